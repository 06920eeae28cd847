/*
 * api_invitations.c - an organization's admins invite people by email
 * (org.manage): an invitation names the address and the role its account
 * will have (none beyond the inviter's own), lasts 1 to 30 days, and is
 * sent as a link with a single-use token of which only the hash is kept.
 * Signing up with it (POST /auth/register with "invitation") bypasses the
 * organization's sign-up rules, gives the role and confirms the address.
 * A new invitation to the same address replaces the open one.  Anyone
 * holding the link may read what it invites to (POST /auth/invitation).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/token.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"
#include "identity/api.h"
#include "identity/rules.h"
#include "identity/support.h"

static const char *const audited[] = {"email", "role", "expires_at",
    "status", NULL};

struct invite {
	struct req *r;
	const char *email, *role, *days, *id;
	char token[TOKEN_LEN + 1];
	char *json;
};

static int
invite_tx(struct db *db, void *arg)
{
	struct invite *x = arg;
	struct principal *u = x->r->user;
	char hash[65], id[37], *org_name;
	const char *p[6] = {u->org_id, x->email, x->role, hash, u->user_id,
	    x->days};
	const char *q[1] = {u->org_id};
	PGresult *res;
	int rc;

	if ((rc = identity_role_within(db, x->r, x->role, "role")) != 0)
		return rc;
	token_new(x->token);
	token_hash(x->token, hash);
	if ((res = db_query(db, "invitation_create", 6, p)) == NULL)
		return -1;
	x->json = arena_strdup(x->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	{
		json_t *doc = json_loads(x->json, 0, NULL);

		snprintf(id, sizeof(id), "%s", json_string_value(
		    json_object_get(doc, "id")) ?: "");
		json_decref(doc);
	}
	if ((res = db_query(db, "org_get", 1, q)) == NULL)
		return -1;
	{
		json_t *doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);

		org_name = arena_strdup(x->r->arena, json_string_value(
		    json_object_get(doc, "name")) ?: "");
		json_decref(doc);
	}
	PQclear(res);
	if (mail_queue(db, x->r->cfg, MAIL_INVITATION, u->org_id, NULL,
	    x->email, org_name, x->token) != 0)
		return -1;
	return audit_change(db, x->r, "invitation.created", "invitation", id,
	    NULL, x->json, audited);
}

void
invitation_create(struct req *r)
{
	static const char *const fields[] = {"email", "role", "days", NULL};
	struct invite x = {.r = r, .role = "student", .days = "7"};
	struct input in;
	struct db *db;
	const char *why;
	long days;

	input_begin(&in, r);
	input_only(&in, fields);
	x.email = input_string(&in, "email", IN_REQUIRED, 3, 254);
	if (x.email != NULL && (why = rules_email(x.email)) != NULL)
		input_error(&in, "email", why);
	if (input_has(&in, "role") && (x.role = input_string(&in, "role",
	    IN_REQUIRED, 2, 32)) != NULL && !api_role_key(x.role))
		input_error(&in, "role", "must be a role's key");
	if (input_has(&in, "days") && input_int(&in, "days", IN_REQUIRED, 1,
	    30, &days))
		x.days = arena_printf(r->arena, "%ld", days);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, invite_tx, &x))
		return;
	resp_raw_json(r, 201, x.json);
}

void
invitations_list(struct req *r)
{
	const char *p[2] = {r->user->org_id, NULL};
	int limit;

	if ((limit = api_limit(r, 50, 200)) < 0)
		return;
	p[1] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "invitations_list", 2, p, "Nothing is there.");
}

static int
revoke_tx(struct db *db, void *arg)
{
	struct invite *x = arg;
	const char *p[2] = {x->id, x->r->user->org_id};
	PGresult *res = db_query(db, "invitation_revoke", 2, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(x->r, 404, "not-found", "There is no such "
		    "invitation.");
		return 1;
	}
	if (PQgetisnull(res, 0, 1)) {
		PQclear(res);
		resp_problem(x->r, 409, "conflict", "The invitation is not "
		    "open any more: it was accepted or revoked.");
		return 1;
	}
	x->json = arena_strdup(x->r->arena, PQgetvalue(res, 0, 1));
	{
		int rc = audit_change(db, x->r, "invitation.revoked",
		    "invitation", x->id, PQgetvalue(res, 0, 0), x->json,
		    audited);

		PQclear(res);
		return rc;
	}
}

void
invitation_revoke(struct req *r)
{
	struct invite x = {.r = r};
	struct db *db;

	if ((x.id = api_path_id(r, "id", "invitation")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, revoke_tx, &x))
		return;
	resp_raw_json(r, 200, x.json);
}

/* Public: what an invitation's link invites to, for the sign-up page. */
void
invitation_show(struct req *r)
{
	static const char *const fields[] = {"invitation", NULL};
	const char *token;
	char hash[65];
	const char *p[1] = {hash};
	struct input in;
	struct db *db;
	PGresult *res;

	input_begin(&in, r);
	input_only(&in, fields);
	token = input_string(&in, "invitation", IN_REQUIRED, 1, 100);
	if (!input_end(&in))
		return;
	if (!token_shape_ok(token)) {
		resp_problem(r, 404, "not-found", "This invitation is not "
		    "valid.");
		return;
	}
	token_hash(token, hash);
	if ((db = api_db(r)) == NULL)
		return;
	if ((res = db_query(db, "invitation_lookup", 1, p)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "This invitation is not "
		    "valid: it may have expired, been used or revoked.");
		return;
	}
	resp_json(r, 200, json_pack("{s:{s:s, s:s}, s:s, s:{s:s, s:s}, s:s}",
	    "organization", "slug", PQgetvalue(res, 0, 2), "name",
	    PQgetvalue(res, 0, 3), "email", PQgetvalue(res, 0, 4), "role",
	    "key", PQgetvalue(res, 0, 5), "name", PQgetvalue(res, 0, 6),
	    "expires_at", PQgetvalue(res, 0, 7)));
	PQclear(res);
}
