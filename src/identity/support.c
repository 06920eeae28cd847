/*
 * support.c - rate limits and mail for the identity handlers (audit rows
 * are written by http/audit.c).
 */
#include "identity/support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/perm.h"
#include "http/api.h"

static int
rate(struct db *db, const char *query, const char *key, int limit,
    int window_s, int *retry_after)
{
	char w[16];
	const char *params[2] = {key, w};
	PGresult *res;
	int count;

	snprintf(w, sizeof(w), "%d", window_s);
	res = db_query(db, query, 2, params);
	if (res == NULL)
		return -1;
	count = atoi(PQgetvalue(res, 0, 0));
	*retry_after = atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return count <= limit ? 1 : 0;
}

int
rate_hit(struct db *db, const char *key, int limit, int window_s,
    int *retry_after)
{
	return rate(db, "rate_hit", key, limit, window_s, retry_after);
}

bool
rate_limit(struct req *r, struct db *db, const char *key, int limit,
    int window_s, bool count)
{
	int retry = 0;
	/* Without counting: over the limit once the next one would pass it. */
	int rc = count ? rate(db, "rate_hit", key, limit, window_s, &retry) :
	    rate(db, "rate_peek", key, limit - 1, window_s, &retry);

	if (rc < 0)
		api_db_problem(r, db, db->status);
	else if (rc == 0)
		api_too_many(r, retry);
	return rc == 1;
}

int
mail_queue(struct db *db, const struct config *cfg, enum mail_kind kind,
    const char *org_id, const char *user_id, const char *address,
    const char *username, const char *token)
{
	const char *subject;
	char *body;
	PGresult *res;
	int rc = 0;

	switch (kind) {
	case MAIL_VERIFY:
		subject = "Confirm your email address for Ludus";
		body = xasprintf("Hello %s,\n\nPlease confirm your email "
		    "address by opening this link within 48 hours:\n\n"
		    "%s/verify-email?token=%s\n\nIf you did not create a "
		    "Ludus account, you can ignore this message.\n", username,
		    cfg->public_url, token);
		break;
	case MAIL_RESET:
		subject = "Reset your Ludus password";
		body = xasprintf("Hello %s,\n\nSomeone, hopefully you, asked "
		    "to reset the password of your Ludus account.  Choose a "
		    "new one within an hour here:\n\n%s/reset-password?token="
		    "%s\n\nIf it was not you, ignore this message: your "
		    "password stays as it is.\n", username, cfg->public_url,
		    token);
		break;
	case MAIL_LOCKED:
		subject = "Your Ludus account is locked for a while";
		body = xasprintf("Hello %s,\n\nYour Ludus account was locked "
		    "for %d minutes after %d failed sign-ins in a row.  If it "
		    "was you, wait and sign in again, or choose a new password "
		    "within an hour here (that also unlocks the account):\n\n"
		    "%s/reset-password?token=%s\n\nIf it was not you, someone "
		    "may be guessing your password: choosing a new one keeps "
		    "them out.\n", username, cfg->lockout_minutes,
		    cfg->lockout_threshold, cfg->public_url, token);
		break;
	case MAIL_INVITATION:
		subject = "You are invited to Ludus";
		body = xasprintf("Hello,\n\nYou are invited to join %s on "
		    "Ludus.  Create your account with this address here "
		    "before the invitation expires:\n\n%s/register?"
		    "invitation=%s\n\nIf you do not know them, you can "
		    "ignore this message.\n", username, cfg->public_url, token);
		break;
	default:
		subject = "Someone tried to register with your address";
		body = xasprintf("Hello %s,\n\nSomeone tried to create a new "
		    "Ludus account with this email address, which already "
		    "has one.  If it was you, sign in, or reset your "
		    "password here:\n\n%s/reset-password\n\nIf it was not "
		    "you, there is nothing to do.\n", username,
		    cfg->public_url);
		break;
	}
	{
		const char *params[5] = {org_id, user_id, address, subject,
		    body};

		res = db_query(db, "mail_enqueue", 5, params);
	}
	free(body);
	if (res == NULL)
		rc = -1;
	PQclear(res);
	return rc;
}

int
identity_role_within(struct db *db, struct req *r, const char *role,
    const char *field)
{
	struct principal *u = r->user;
	char perms[PERM_ARRAY_MAX];
	const char *p[3] = {u->org_id, role, perms};
	PGresult *res;
	bool exists, within;

	perm_array(u->perms, perms, sizeof(perms));
	if ((res = db_query(db, "role_within", 3, p)) == NULL)
		return -1;
	exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	within = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (!exists && field != NULL) {
		api_field_error(r, field, "is not a role of the organization");
		return 1;
	}
	if (!within) {
		resp_problem(r, 403, "forbidden", "The role %s permits more "
		    "than yours does: only someone who holds all of its "
		    "permissions may give it or change its members.", role);
		return 1;
	}
	return 0;
}

bool
rate_limit_ip(struct req *r, struct db *db, const char *what, int limit,
    int window_s)
{
	char key[128];

	snprintf(key, sizeof(key), "%s:ip:%s", what, req_client_ip(r));
	return rate_limit(r, db, key, limit, window_s, true);
}
