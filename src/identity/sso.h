/*
 * sso.h - what the sign-in with a provider (api_sso.c) and the admins'
 * management of providers (api_idp.c) share: a provider as the database
 * holds it, and its discovery document.
 */
#ifndef LUDUS_IDENTITY_SSO_H
#define LUDUS_IDENTITY_SSO_H
#include <stdbool.h>
#include <stddef.h>
#include "db/db.h"
#include "http/request.h"

/* Where providers send the browser back, after LUDUS_PUBLIC_URL. */
#define CALLBACK_PATH "/api/v1/auth/sso/callback"

struct idp {
	char id[37], org[37];
	const char *name, *issuer, *client_id, *secret, *domains;
	const char *auth_ep, *token_ep, *jwks_uri, *end_ep, *jwks, *tz;
	bool create_accounts, enabled;
	long discovered_age, keys_age; /* seconds; -1: never fetched */
};

/* The redirect URI: LUDUS_PUBLIC_URL and CALLBACK_PATH. */
void sso_redirect_uri(const struct req *r, char *buf, size_t size);

/* Whether Ludus may call url: https, or http when the operator allows. */
bool sso_url_ok(const struct req *r, const char *url);

/*
 * Fetches p's discovery document (OpenID Connect Discovery 1.0) and fills
 * its endpoints; its issuer must be p's to the character.  0, or -1 with
 * err saying what was wrong.
 */
int sso_discover(struct req *r, struct idp *p, char *err, size_t errlen);

/* Stores the endpoints sso_discover() found, with the time. */
int sso_discovered_save(struct db *db, const struct idp *p);

#endif
