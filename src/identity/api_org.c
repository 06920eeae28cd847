/*
 * api_org.c - an admin reads and changes their organization: its name and
 * the settings that shape what its members see (for now, whether staff
 * appear on the learners' leaderboards).  Every change is audited with the
 * values before and after.
 */
#include <string.h>

#include "core/alloc.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/problem.h"
#include "identity/api.h"
#include "identity/support.h"

void
admin_org_get(struct req *r)
{
	const char *p[1] = {r->user->org_id};

	api_doc(r, "org_get", 1, p, "The organization is gone.");
}

struct org_change {
	struct req *r;
	const char *name;          /* NULL: unchanged */
	const char *include_staff; /* "true", "false" or NULL: unchanged */
	char *json;
};

static int
org_change_tx(struct db *db, void *arg)
{
	static const char *const keep[] = {"name", "settings", NULL};
	struct org_change *c = arg;
	struct principal *u = c->r->user;
	const char *p[3] = {u->org_id, c->name, c->include_staff};
	PGresult *res;
	int rc;

	if ((res = db_query(db, "org_update", 3, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(c->r, 404, "not-found", "The organization is "
		    "gone.");
		return 1;
	}
	/* A change that changes nothing is not audited. */
	rc = audit_change(db, c->r, "organization.changed", "organization",
	    u->org_id, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), keep);
	PQclear(res);
	if (rc != 0 || (res = db_query(db, "org_get", 1, p)) == NULL)
		return -1;
	c->json = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
admin_org_patch(struct req *r)
{
	static const char *const fields[] = {"name",
	    "leaderboard_include_staff", NULL};
	struct org_change c = {.r = r};
	struct input in;
	struct db *db;
	int b;

	input_begin(&in, r);
	input_only(&in, fields);
	if (input_has(&in, "name"))
		c.name = input_string(&in, "name", IN_REQUIRED, 1, 200);
	if (input_has(&in, "leaderboard_include_staff") &&
	    (b = input_bool(&in, "leaderboard_include_staff", 0)) >= 0)
		c.include_staff = b ? "true" : "false";
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, org_change_tx, &c))
		return;
	resp_raw_json(r, 200, c.json);
}
