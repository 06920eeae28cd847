/*
 * api_tokens.c - personal access tokens (migration 0018): for scripts and
 * integrations, sent as "Authorization: Bearer lpat_...".  Making one
 * takes token.create, and a session: a token cannot make tokens.  It gets
 * a name, some of its maker's permissions and 1 to 365 days; it is shown
 * once, listed with its last use, and revocable.  Audited.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/perm.h"
#include "core/token.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"
#include "identity/api.h"

static const char *const audited[] = {"name", "permissions", "expires_at",
    "status", NULL};

struct pat {
	struct req *r;
	const char *name, *perms, *days, *id;
	char token[sizeof(PAT_PREFIX) + TOKEN_LEN];
	char *json;
};

static const char *
known_permission(const char *s)
{
	return perm_parse(s) != 0 ? NULL : "is not a permission (see GET "
	    "/api/v1/permissions)";
}

static int
create_tx(struct db *db, void *arg)
{
	struct pat *x = arg;
	struct principal *u = x->r->user;
	char secret[TOKEN_LEN + 1], hash[65], prefix[16];
	const char *p[7] = {u->org_id, u->user_id, x->name, hash, prefix,
	    x->perms, x->days};
	PGresult *res;
	json_t *doc;

	token_new(secret);
	token_hash(secret, hash);
	snprintf(x->token, sizeof(x->token), "%s%s", PAT_PREFIX, secret);
	snprintf(prefix, sizeof(prefix), "%.9s", x->token);
	if ((res = db_query(db, "token_create", 7, p)) == NULL)
		return -1;
	x->json = arena_strdup(x->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	doc = json_loads(x->json, 0, NULL);
	x->id = arena_strdup(x->r->arena, json_string_value(json_object_get(
	    doc, "id")) ?: "");
	json_decref(doc);
	return audit_change(db, x->r, "token.created", "access_token", x->id,
	    NULL, x->json, audited);
}

void
token_create(struct req *r)
{
	static const char *const fields[] = {"name", "permissions", "days",
	    NULL};
	struct pat x = {.r = r, .days = "30"};
	struct input in;
	struct db *db;
	unsigned want, beyond;
	long days;
	json_t *doc;

	if (r->user->via_token) {
		resp_problem(r, 403, "forbidden", "An access token cannot make "
		    "tokens: sign in.");
		return;
	}
	input_begin(&in, r);
	input_only(&in, fields);
	x.name = input_string(&in, "name", IN_REQUIRED, 1, 100);
	x.perms = input_pg_array(&in, "permissions", IN_REQUIRED, PERM_COUNT,
	    known_permission);
	if (input_has(&in, "days") && input_int(&in, "days", IN_REQUIRED, 1,
	    365, &days))
		x.days = arena_printf(r->arena, "%ld", days);
	want = perm_parse_array(x.perms);
	if (x.perms != NULL && want == 0)
		input_error(&in, "permissions", "must name at least one "
		    "permission");
	if (!input_end(&in))
		return;
	if ((beyond = want & ~r->user->perms) != 0) {
		for (unsigned bit = 1; bit != 0; bit <<= 1)
			if (beyond & bit) {
				resp_problem(r, 403, "forbidden", "A token "
				    "cannot have the permission %s: your role "
				    "does not hold it.", perm_name(bit));
				return;
			}
	}
	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, create_tx, &x))
		return;
	/* The one time the token is shown. */
	doc = json_loads(x.json, 0, NULL);
	json_object_set_new(doc, "token", json_string(x.token));
	resp_json(r, 201, doc);
}

void
tokens_list(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "tokens_list", 1, p, "Nothing is there.");
}

static int
revoke_tx(struct db *db, void *arg)
{
	struct pat *x = arg;
	const char *p[2] = {x->id, x->r->user->user_id};
	PGresult *res = db_query(db, "token_revoke", 2, p);
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(x->r, 404, "not-found", "There is no such token.");
		return 1;
	}
	if (PQgetisnull(res, 0, 1)) {
		PQclear(res);
		resp_problem(x->r, 409, "conflict", "The token is revoked "
		    "already.");
		return 1;
	}
	x->json = arena_strdup(x->r->arena, PQgetvalue(res, 0, 1));
	rc = audit_change(db, x->r, "token.revoked", "access_token", x->id,
	    PQgetvalue(res, 0, 0), x->json, audited);
	PQclear(res);
	return rc;
}

void
token_revoke(struct req *r)
{
	struct pat x = {.r = r};
	struct db *db;

	if ((x.id = api_path_id(r, "id", "token")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, revoke_tx, &x))
		return;
	resp_raw_json(r, 200, x.json);
}
