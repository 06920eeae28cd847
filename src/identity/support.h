/*
 * support.h - what the identity handlers share: rate limits and the mail
 * they send; audit rows come from http/audit.h, included here.
 */
#ifndef LUDUS_IDENTITY_SUPPORT_H
#define LUDUS_IDENTITY_SUPPORT_H

#include <stdbool.h>

#include <jansson.h>

#include "db/db.h"
#include "http/audit.h"
#include "http/request.h"
#include "core/token.h"

/*
 * Counts one more request under key in a window of window_s seconds.
 * Returns 1 when the count is within limit, 0 when over it (*retry_after
 * says when the window ends), -1 on a database error.  The count is kept
 * even when the request later fails.
 */
int rate_hit(struct db *db, const char *key, int limit, int window_s,
    int *retry_after);
/*
 * The check of a handler: with count, rate_hit(); without, whether one more
 * would still be within limit.  True when the request may go on; false
 * after answering 429 with Retry-After, or 503.
 */
bool rate_limit(struct req *r, struct db *db, const char *key, int limit,
    int window_s, bool count);

/* rate_limit() counting one more request of what from the client's
 * address ("login:ip:<address>"). */
bool rate_limit_ip(struct req *r, struct db *db, const char *what, int limit,
    int window_s);

enum mail_kind { MAIL_VERIFY, MAIL_RESET, MAIL_LOCKED,
    MAIL_ALREADY_REGISTERED, MAIL_INVITATION };

/*
 * Queues a mail for user (NULL when unknown) at address; token is the
 * secret of the link, when the kind has one.  For MAIL_INVITATION,
 * username is the organization's name.  0 or -1.
 */
int mail_queue(struct db *db, const struct config *cfg, enum mail_kind kind,
    const char *org_id, const char *user_id, const char *address,
    const char *username, const char *token);

/*
 * Soft-deletes an account and ends its sessions (a db_tx_fn over a struct
 * removal); used by DELETE /me and by admins.  Refuses (409) to delete the
 * last active admin of an organization.
 */
struct removal {
	struct req *r;
	const char *user, *org, *actor;
	bool by_admin;
};
int identity_delete_tx(struct db *db, void *arg);

/*
 * Whether role (a key) is one of r's organization's (when field names the
 * input it came from; else a missing role passes) and permits nothing r's
 * user lacks: nobody gives, or changes the holders of, a role beyond
 * their own.  0, or 1 after answering 422 or 403, or -1.
 */
int identity_role_within(struct db *db, struct req *r, const char *role,
    const char *field);

/*
 * A new session for user of org (in a transaction): its tokens, id,
 * expiry times and the account as JSON (in the arena); the account's last
 * sign-in is now.  session_answer() sets the cookies and answers 200 with
 * them, as a sign-in does.
 */
struct opened {
	char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	char session[37], expires[32], absolute[32];
	char *me;
};
int session_open(struct db *db, struct req *r, const char *user,
    const char *org, struct opened *o);
void session_answer(struct req *r, const struct opened *o);

/* The provider's sign-out URL for r's session if a provider made it
 * (api_sso.c), in the arena; else NULL. */
char *sso_logout_url(struct db *db, struct req *r);

/* Seconds a verification link and a reset link stay good. */
#define VERIFY_TOKEN_SECONDS (48 * 3600)
#define RESET_TOKEN_SECONDS 3600

#endif
