/*
 * api_org.c - an admin reads and changes their organization (org.manage):
 * its name, who may sign up (anyone, the invited, or addresses at its own
 * domains), the time zone and language new members start with, whether
 * messaging and leaderboards are on, and whether staff appear on the
 * learners' leaderboards.  Every change is audited with the values before
 * and after.
 */
#include <string.h>

#include "core/alloc.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/problem.h"
#include "identity/api.h"
#include "identity/rules.h"
#include "identity/support.h"

void
admin_org_get(struct req *r)
{
	const char *p[1] = {r->user->org_id};

	api_doc(r, "org_get", 1, p, "The organization is gone.");
}

/* Each NULL: unchanged. */
struct org_change {
	struct req *r;
	const char *name;
	const char *include_staff; /* "true" or "false" */
	const char *signup;        /* open, invite, domains */
	const char *domains;       /* a text array literal */
	const char *timezone, *language;
	const char *messaging, *leaderboards;
	const char *role; /* the default role's key */
	char *json;
};

static int
org_change_tx(struct db *db, void *arg)
{
	static const char *const keep[] = {"name", "leaderboard_include_staff",
	    "signup", "signup_domains", "default_timezone", "default_language",
	    "messaging_enabled", "leaderboards_enabled", "default_role", NULL};
	struct org_change *c = arg;
	struct principal *u = c->r->user;
	const char *p[10] = {u->org_id, c->name, c->include_staff, c->signup,
	    c->domains, c->timezone, c->language, c->messaging,
	    c->leaderboards, c->role};
	PGresult *res;
	int rc;

	/* New members get it: nobody hands out more than they hold. */
	if (c->role != NULL && (rc = identity_role_within(db, c->r, c->role,
	    "default_role")) != 0)
		return rc;
	if ((res = db_query(db, "org_update", 10, p)) == NULL)
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

static bool
one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

void
admin_org_patch(struct req *r)
{
	static const char *const fields[] = {"name",
	    "leaderboard_include_staff", "signup", "signup_domains",
	    "default_timezone", "default_language", "messaging_enabled",
	    "leaderboards_enabled", "default_role", NULL};
	static const char *const signups[] = {"open", "invite", "domains",
	    NULL};
	struct org_change c = {.r = r};
	struct input in;
	struct db *db;
	const char *why;

	input_begin(&in, r);
	input_only(&in, fields);
	if (input_has(&in, "name"))
		c.name = input_string(&in, "name", IN_REQUIRED, 1, 200);
	c.include_staff = input_flag(&in, "leaderboard_include_staff");
	c.messaging = input_flag(&in, "messaging_enabled");
	c.leaderboards = input_flag(&in, "leaderboards_enabled");
	if (input_has(&in, "signup") && (c.signup = input_string(&in,
	    "signup", IN_REQUIRED, 1, 16)) != NULL && !one_of(c.signup,
	    signups))
		input_error(&in, "signup", "must be open, invite or domains");
	if (input_has(&in, "signup_domains"))
		c.domains = input_pg_array(&in, "signup_domains", IN_REQUIRED,
		    50, rules_domain);
	if (input_has(&in, "default_timezone") && (c.timezone = input_string(
	    &in, "default_timezone", IN_REQUIRED, 1, 64)) != NULL &&
	    (why = rules_timezone(c.timezone)) != NULL)
		input_error(&in, "default_timezone", why);
	if (input_has(&in, "default_language") && (c.language = input_string(
	    &in, "default_language", IN_REQUIRED, 2, 5)) != NULL &&
	    (why = rules_language(c.language)) != NULL)
		input_error(&in, "default_language", why);
	if (input_has(&in, "default_role") && (c.role = input_string(&in,
	    "default_role", IN_REQUIRED, 2, 32)) != NULL &&
	    !api_role_key(c.role))
		input_error(&in, "default_role", "is not a role's key");
	if (!input_end(&in) || (db = api_db(r)) == NULL)
		return;
	switch (db_tx(db, DB_READ_COMMITTED, org_change_tx, &c)) {
	case DB_OK:
		resp_raw_json(r, 200, c.json);
		return;
	case DB_TX_ABORTED:
		return;
	case DB_CHECK:
		/* What only the database can tell. */
		if (strcmp(db->constraint, "organizations_domains_need_list") ==
		    0)
			api_field_error(r, "signup_domains", "must list at "
			    "least one domain while sign-up is by domain");
		else if (strstr(db->constraint, "timezone") != NULL)
			api_field_error(r, "default_timezone", "is not a time "
			    "zone PostgreSQL knows");
		else
			api_db_problem(r, db, db->status);
		return;
	default:
		api_db_problem(r, db, db->status);
	}
}
