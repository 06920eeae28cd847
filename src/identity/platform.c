/*
 * platform.c - the platform operator's organizations: list, create (with
 * an invitation for its first admin), suspend, resume and delete them,
 * from the command line (`ludus org`, as the tables' owner) and over the
 * platform API (/api/v1/platform, with --operator-token).  Suspending or
 * deleting ends the members' sessions at once (the session check looks
 * at the organization) and stops sign-ins and sign-ups; deleting is soft
 * and cannot be undone here.  The default organization is neither
 * suspended nor deleted.  Each change is audited in the organization.
 */
#include "identity/platform.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/token.h"
#include "db/db.h"
#include "http/api.h"
#include "http/audit.h"
#include "identity/api.h"
#include "identity/rules.h"
#include "identity/support.h"
#include "ops/migrate.h"

/* A new organization; mail invites its first admin when email is given. */
struct org_new {
	const struct config *cfg;
	struct req *r;          /* NULL from the command line */
	const char *slug, *name, *email;
	char id[37];
	char token[TOKEN_LEN + 1];
	enum { NEW_OK, NEW_TAKEN } outcome;
};

static int
org_new_tx(struct db *db, void *arg)
{
	struct org_new *o = arg;
	const char *p[2] = {o->slug, o->name};
	char hash[65];
	PGresult *res;

	if ((res = db_query(db, "platform_org_create", 2, p)) == NULL)
		return -1;
	snprintf(o->id, sizeof(o->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (db_set_org(db, o->id) != 0)
		return -1;
	if (o->email != NULL) {
		const char *q[6] = {o->id, o->email, "admin", hash, NULL, "7"};

		token_new(o->token);
		token_hash(o->token, hash);
		if ((res = db_query(db, "invitation_create", 6, q)) == NULL)
			return -1;
		PQclear(res);
		if (mail_queue(db, o->cfg, MAIL_INVITATION, o->id, NULL,
		    o->email, o->name, o->token) != 0)
			return -1;
	}
	if (o->r != NULL)
		return audit_write(db, o->r, o->id, NULL,
		    "organization.created", "organization", o->id, NULL,
		    json_pack("{s:s, s:s, s:s?}", "slug", o->slug, "name",
		    o->name, "admin_invited", o->email), true, NULL);
	return 0;
}

/* A change of state; id is empty when there is no such organization. */
struct org_state {
	struct req *r;
	const char *slug, *state;
	char id[37];
};

static int
org_state_tx(struct db *db, void *arg)
{
	struct org_state *o = arg;
	const char *p[2] = {o->slug, o->state};
	PGresult *res;

	if ((res = db_query(db, "platform_org_state", 2, p)) == NULL)
		return -1;
	snprintf(o->id, sizeof(o->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (o->id[0] == '\0' || o->r == NULL)
		return 0;
	if (db_set_org(db, o->id) != 0)
		return -1;
	return audit_write(db, o->r, o->id, NULL, strcmp(o->state, "active") ==
	    0 ? "organization.resumed" : strcmp(o->state, "suspended") == 0 ?
	    "organization.suspended" : "organization.deleted", "organization",
	    o->id, NULL, NULL, true, NULL);
}

static const char *
state_of(const char *verb)
{
	if (strcmp(verb, "suspend") == 0)
		return "suspended";
	if (strcmp(verb, "resume") == 0)
		return "active";
	if (strcmp(verb, "delete") == 0)
		return "deleted";
	return NULL;
}

/* ---- the command line --------------------------------------------------- */

static int
org_list(struct db *db)
{
	PGresult *res = db_query(db, "platform_orgs", 0, NULL);
	json_t *doc, *o;
	size_t i;

	if (res == NULL)
		return -1;
	doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	printf("%-24s %-10s %8s  %s\n", "slug", "state", "members", "name");
	json_array_foreach(json_object_get(doc, "items"), i, o)
		printf("%-24s %-10s %8lld  %s%s\n",
		    json_string_value(json_object_get(o, "slug")),
		    json_string_value(json_object_get(o, "state")),
		    (long long)json_integer_value(json_object_get(o,
		    "members")), json_string_value(json_object_get(o,
		    "name")), json_is_true(json_object_get(o, "default")) ?
		    " (default)" : "");
	json_decref(doc);
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "ludus org: usage: ludus org list\n"
	    "       ludus org create SLUG NAME [ADMIN_EMAIL]\n"
	    "       ludus org suspend|resume|delete SLUG\n"
	    "Try 'ludus org --help'.\n");
	return 2;
}

static int
run(struct db *db, const struct config *cfg, int argc, char **argv)
{
	const char *why;

	if (strcmp(argv[0], "list") == 0 && argc == 1)
		return org_list(db) == 0 ? 0 : 1;
	if (strcmp(argv[0], "create") == 0 && (argc == 3 || argc == 4)) {
		struct org_new o = {.cfg = cfg, .slug = argv[1],
		    .name = argv[2], .email = argc == 4 ? argv[3] : NULL};
		enum db_status st;

		if (o.email != NULL && (why = rules_email(o.email)) != NULL) {
			fprintf(stderr, "ludus org: the admin's email %s\n",
			    why);
			return 2;
		}
		st = db_tx(db, DB_READ_COMMITTED, org_new_tx, &o);
		if (st == DB_UNIQUE) {
			fprintf(stderr, "ludus org: an organization with the "
			    "slug %s exists already\n", o.slug);
			return 1;
		}
		if (st != DB_OK) {
			fprintf(stderr, "ludus org: %s\n", db->message);
			return 1;
		}
		printf("created %s (%s)\n", o.slug, o.id);
		if (o.email != NULL)
			printf("invited %s as its admin: the mail holds the "
			    "link,\n  %s/register?invitation=%s\n", o.email,
			    cfg->public_url, o.token);
		return 0;
	}
	if (state_of(argv[0]) != NULL && argc == 2) {
		struct org_state o = {.slug = argv[1],
		    .state = state_of(argv[0])};

		if (db_tx(db, DB_READ_COMMITTED, org_state_tx, &o) != DB_OK) {
			fprintf(stderr, "ludus org: %s\n", strcmp(db->sqlstate,
			    "23514") == 0 ? "the default organization stays "
			    "active" : db->message);
			return 1;
		}
		if (o.id[0] == '\0') {
			fprintf(stderr, "ludus org: there is no organization "
			    "%s (or it was deleted)\n", o.slug);
			return 1;
		}
		printf("%s: %s\n", o.slug, o.state);
		return 0;
	}
	return usage();
}

int
org_main(const struct config *cfg, int argc, char **argv)
{
	struct db *db;
	int rc;

	if (argc < 1)
		return usage();
	/* A platform operation: as the URL's user, like migrate. */
	if ((db = migrate_cli_open(cfg, NULL, "ludus org")) == NULL)
		return 1;
	rc = run(db, cfg, argc, argv);
	migrate_cli_close(db);
	return rc;
}

/* ---- the platform API ---------------------------------------------------- */

void
platform_orgs_list(struct req *r)
{
	api_doc(r, "platform_orgs", 0, NULL, "Nothing is there.");
}

void
platform_org_create(struct req *r)
{
	static const char *const fields[] = {"slug", "name", "admin_email",
	    NULL};
	struct org_new o = {.cfg = r->cfg, .r = r};
	struct input in;
	struct db *db;
	const char *why;

	input_begin(&in, r);
	input_only(&in, fields);
	o.slug = input_string(&in, "slug", IN_REQUIRED, 2, 63);
	if (o.slug != NULL && (why = rules_slug(o.slug)) != NULL)
		input_error(&in, "slug", why);
	o.name = input_string(&in, "name", IN_REQUIRED, 1, 200);
	o.email = input_string(&in, "admin_email", IN_NULLABLE, 3, 254);
	if (o.email != NULL && (why = rules_email(o.email)) != NULL)
		input_error(&in, "admin_email", why);
	if (!input_end(&in) || (db = api_db(r)) == NULL)
		return;
	switch (db_tx(db, DB_READ_COMMITTED, org_new_tx, &o)) {
	case DB_OK:
		resp_json(r, 201, json_pack("{s:s, s:s, s:s, s:s, s:b}", "id",
		    o.id, "slug", o.slug, "name", o.name, "state", "active",
		    "admin_invited", o.email != NULL));
		return;
	case DB_UNIQUE:
		api_field_error(r, "slug", "is taken");
		return;
	default:
		api_db_problem(r, db, db->status);
	}
}

static void
change(struct req *r, const char *verb)
{
	struct org_state o = {.r = r, .slug = req_param(r, "slug"),
	    .state = state_of(verb)};
	struct db *db;
	enum db_status st;

	if (o.slug == NULL || rules_slug(o.slug) != NULL) {
		resp_problem(r, 404, "not-found", "There is no such "
		    "organization.");
		return;
	}
	if ((db = api_db(r)) == NULL)
		return;
	st = db_tx(db, DB_READ_COMMITTED, org_state_tx, &o);
	if (st == DB_CHECK) {
		resp_problem(r, 409, "default-organization", "The default "
		    "organization stays active.");
		return;
	}
	if (st != DB_OK) {
		api_db_problem(r, db, st);
		return;
	}
	if (o.id[0] == '\0') {
		resp_problem(r, 404, "not-found", "There is no such "
		    "organization (or it was deleted).");
		return;
	}
	resp_json(r, 200, json_pack("{s:s, s:s, s:s}", "id", o.id, "slug",
	    o.slug, "state", o.state));
}

void
platform_org_suspend(struct req *r)
{
	change(r, "suspend");
}

void
platform_org_resume(struct req *r)
{
	change(r, "resume");
}

void
platform_org_delete(struct req *r)
{
	change(r, "delete");
}
