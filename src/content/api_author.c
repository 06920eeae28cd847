/*
 * api_author.c - authoring courses and their units: create, change, order,
 * publish, delete and restore, and collaborators.  Each change goes
 * through edit.c: the right to edit, If-Match, one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/edit.h"
#include "core/markdown.h"
#include "content/rules.h"
#include "core/util.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/problem.h"

/* ---- courses ------------------------------------------------------------ */

#define COURSE_FIELDS 8

struct course_in {
	const char *given[COURSE_FIELDS];
	const char *value[COURSE_FIELDS];
};

/*
 * Reads the course fields of the body; in a create, title is required.
 * Order: exam, slug, title, summary, description, difficulty, language,
 * tags (course_update's parameters).
 */
static bool
course_input(struct req *r, struct course_in *c, bool create)
{
	static const char *const fields[] = {"exam", "slug", "title",
	    "summary", "description", "difficulty", "language", "tags", NULL};
	struct input in;
	const char *why;

	input_begin(&in, r);
	input_only(&in, fields);
	for (int i = 0; i < COURSE_FIELDS; i++)
		c->given[i] = input_has(&in, fields[i]) ? "true" : "false";
	c->value[0] = input_string(&in, "exam", IN_NULLABLE, 1, 32);
	c->value[1] = input_string(&in, "slug", 0, 1, 80);
	c->value[2] = input_string(&in, "title", create ? IN_REQUIRED : 0, 1,
	    200);
	c->value[3] = input_string(&in, "summary", IN_NULLABLE, 0, 500);
	c->value[4] = input_string(&in, "description", IN_NULLABLE, 0, 20000);
	c->value[5] = input_string(&in, "difficulty", 0, 1, 20);
	c->value[6] = input_string(&in, "language", 0, 1, 5);
	c->value[7] = input_pg_array(&in, "tags", 0, 20, content_tag);
	if (c->value[1] && (why = content_slug(c->value[1])))
		input_error(&in, "slug", why);
	if (c->value[2] && util_utf8_chars(c->value[2]) > 0 &&
	    strspn(c->value[2], " \t\n\r") == strlen(c->value[2]))
		input_error(&in, "title", "must not be blank");
	if (c->value[5] && (why = content_difficulty(c->value[5])))
		input_error(&in, "difficulty", why);
	if (c->value[6] && (why = content_language(c->value[6])))
		input_error(&in, "language", why);
	return input_end(&in);
}

struct create {
	struct req *r;
	struct course_in c;
	char slug[96];
	char id[37];
	char *json;
	long version;
};

static int
course_create_tx(struct db *db, void *arg)
{
	struct create *k = arg;
	struct principal *u = k->r->user;
	const char *p[10] = {u->org_id, u->user_id, k->c.value[0], k->slug,
	    k->c.value[2], k->c.value[3], k->c.value[4], k->c.value[5],
	    k->c.value[6], k->c.value[7]};
	PGresult *res;
	int rc;

	if ((rc = content_check_exam(db, k->r, k->c.value[0])) != 0)
		return rc;
	if ((res = db_query(db, "course_insert", 10, p)) == NULL)
		return -1;
	snprintf(k->id, sizeof(k->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	{
		const char *q[4] = {k->id, u->org_id, u->user_id,
		    api_may(k->r, PERM_CONTENT_ALL)};

		if ((res = db_query(db, "course_get", 4, q)) == NULL)
			return -1;
		k->json = arena_strdup(k->r->arena, PQgetvalue(res, 0, 0));
		k->version = atol(PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	if (audit_change(db, k->r, "course.created", "course", k->id, NULL,
	    k->json, content_audit_course) != 0)
		return -1;
	return 0;
}

void
course_create(struct req *r)
{
	struct create k = {.r = r};
	struct db *db;
	enum db_status st;

	if (!course_input(r, &k.c, true))
		return;
	if (k.c.value[1] != NULL)
		snprintf(k.slug, sizeof(k.slug), "%s", k.c.value[1]);
	else
		content_slugify(k.c.value[2], k.slug, sizeof(k.slug));
	if ((db = api_db(r)) == NULL)
		return;
	st = db_tx(db, DB_READ_COMMITTED, course_create_tx, &k);
	if (st == DB_TX_ABORTED)
		return;
	if (st != DB_OK) {
		edit_failed(r, db, st);
		return;
	}
	resp_header(r, "Location", arena_printf(r->arena, "/api/v1/courses/%s",
	    k.id));
	api_etag(r, k.version);
	resp_raw_json(r, 201, k.json);
}

struct course_patch_args {
	struct course_in c;
	const char *params[18];
};

static int
apply_course_patch(struct db *db, struct edit *e)
{
	int rc;

	if ((rc = content_check_exam(db, e->r, e->params[3])) != 0)
		return rc;
	return apply_query(db, e);
}

void
course_patch(struct req *r)
{
	struct course_patch_args a;
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_course_patch,
	    .query = "course_update", .nparams = 18, .params = a.params,
	    .audit = "course.updated"};

	if ((e.id = api_path_id(r, "id", "course")) == NULL ||
	    !course_input(r, &a.c, false))
		return;
	if (strcmp(a.c.given[1], "true") == 0 && a.c.value[1] == NULL) {
		api_field_error(r, "slug", "must not be null");
		return;
	}
	a.params[0] = e.id;
	a.params[1] = r->user->org_id;
	for (int i = 0; i < COURSE_FIELDS; i++) {
		a.params[2 + 2 * i] = a.c.given[i];
		a.params[3 + 2 * i] = a.c.value[i];
	}
	run_edit(r, &e, 200);
}

static void
course_flag(struct req *r, const char *query, const char *value,
    bool allow_deleted, const char *action)
{
	const char *p[3];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = query, .nparams = 3, .params = p,
	    .allow_deleted = allow_deleted, .audit = action};

	if ((e.id = api_path_id(r, "id", "course")) == NULL)
		return;
	p[0] = e.id;
	p[1] = r->user->org_id;
	p[2] = value;
	run_edit(r, &e, 200);
}

void
course_publish(struct req *r)
{
	course_flag(r, "course_set_status", "published", false,
	    "course.published");
}

void
course_unpublish(struct req *r)
{
	course_flag(r, "course_set_status", "draft", false,
	    "course.unpublished");
}

void
course_delete(struct req *r)
{
	course_flag(r, "course_set_deleted", "true", false,
	    "course.deleted");
}

void
course_restore(struct req *r)
{
	course_flag(r, "course_set_deleted", "false", true,
	    "course.restored");
}

static int
apply_collaborator_add(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, "collaborator_add", 6, e->params);
	const char *field = e->params[2] != NULL ? "user_id" : "login";
	char who[40], before[16];
	bool eligible;
	int rc;

	if (res == NULL)
		return -1;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		api_field_error(e->r, field, "is nobody of your organization");
		return 1;
	}
	eligible = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	snprintf(who, sizeof(who), "%s", PQgetvalue(res, 0, 0));
	snprintf(before, sizeof(before), "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	if (!eligible) {
		api_field_error(e->r, field, "must be an instructor or admin of "
		    "your organization");
		return 1;
	}
	rc = audit_write(db, e->r, e->r->user->org_id, e->r->user->user_id,
	    before[0] != '\0' ? "course.collaborator_changed" :
	    "course.collaborator_added", "course", e->id, before[0] != '\0' ?
	    json_pack("{s:s, s:s}", "collaborator", who, "role", before) : NULL,
	    json_pack("{s:s, s:s}", "collaborator", who, "role", e->params[4]),
	    true, NULL);
	return rc;
}

static int
apply_collaborator_remove(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, "collaborator_remove", 2, e->params);
	bool removed;

	if (res == NULL)
		return -1;
	removed = atoi(PQcmdTuples(res)) == 1;
	PQclear(res);
	if (!removed) {
		resp_problem(e->r, 404, "not-found", "This user is not a "
		    "collaborator of the course.");
		return 1;
	}
	return audit_write(db, e->r, e->r->user->org_id, e->r->user->user_id,
	    "course.collaborator_removed", "course", e->id,
	    json_pack("{s:s}", "collaborator", e->params[1]), NULL, true, NULL);
}

void
course_collaborator_add(struct req *r)
{
	static const char *const fields[] = {"user_id", "login", "role", NULL};
	const char *p[6];
	struct edit e = {.r = r, .target = T_COURSE,
	    .apply = apply_collaborator_add, .params = p};
	struct input in;
	const char *user, *login, *role, *why;

	if ((e.id = api_path_id(r, "id", "course")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	user = input_string(&in, "user_id", 0, 36, 36);
	login = input_string(&in, "login", 0, 1, 254);
	role = input_string(&in, "role", 0, 1, 16);
	if (user && (why = content_uuid(user)))
		input_error(&in, "user_id", why);
	if (user == NULL && login == NULL)
		input_error(&in, "user_id", "give the user_id, or the login "
		    "(username or email), of who to add");
	else if (user != NULL && login != NULL)
		input_error(&in, "login", "give a user_id or a login, not both");
	if (role != NULL && strcmp(role, "editor") != 0 &&
	    strcmp(role, "reviewer") != 0)
		input_error(&in, "role", "must be editor or reviewer");
	if (!input_end(&in))
		return;
	p[0] = e.id;
	p[1] = r->user->org_id;
	p[2] = user;
	p[3] = r->user->user_id;
	p[4] = role != NULL ? role : "editor";
	p[5] = login;
	run_edit(r, &e, 200);
}

void
course_collaborator_remove(struct req *r)
{
	const char *p[2];
	struct edit e = {.r = r, .target = T_COURSE,
	    .apply = apply_collaborator_remove, .params = p};

	if ((e.id = api_path_id(r, "id", "course")) == NULL ||
	    (p[1] = api_path_id(r, "user_id", "collaborator")) == NULL)
		return;
	p[0] = e.id;
	run_edit(r, &e, 200);
}

/* ---- units ---------------------------------------------------------------- */

void
unit_create(struct req *r)
{
	static const char *const fields[] = {"title", "summary", NULL};
	const char *p[4];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = "unit_insert", .nparams = 4, .params = p,
	    .touch = true, .audit = "course.unit_created"};
	struct input in;

	if ((e.id = api_path_id(r, "id", "course")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	p[2] = input_string(&in, "title", IN_REQUIRED, 1, 200);
	p[3] = input_string(&in, "summary", IN_NULLABLE, 0, 500);
	if (!input_end(&in))
		return;
	p[0] = r->user->org_id;
	p[1] = e.id;
	run_edit(r, &e, 201);
}

void
unit_patch(struct req *r)
{
	static const char *const fields[] = {"title", "summary", NULL};
	const char *p[5];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = "unit_update", .nparams = 5, .params = p,
	    .touch = true, .audit = "course.unit_updated"};
	struct input in;

	if ((p[0] = api_path_id(r, "id", "unit")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	p[1] = input_has(&in, "title") ? "true" : "false";
	p[2] = input_string(&in, "title", 0, 1, 200);
	p[3] = input_has(&in, "summary") ? "true" : "false";
	p[4] = input_string(&in, "summary", IN_NULLABLE, 0, 500);
	if (!input_end(&in) || (e.id = content_unit_course(r, p[0])) == NULL)
		return;
	run_edit(r, &e, 200);
}

void
unit_delete(struct req *r)
{
	const char *p[1];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = "unit_delete", .nparams = 1, .params = p,
	    .touch = true, .audit = "course.unit_deleted"};

	if ((p[0] = api_path_id(r, "id", "unit")) == NULL ||
	    (e.id = content_unit_course(r, p[0])) == NULL)
		return;
	run_edit(r, &e, 200);
}

/* A reorder: the query answers whether every live item was named. */
static int
apply_order(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, e->query, 2, e->params);
	bool good;

	if (res == NULL)
		return -1;
	good = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!good) {
		api_field_error(e->r, "ids", "must name every unit or lesson "
		    "there, each once");
		return 1;
	}
	return 0;
}

static void
order(struct req *r, const char *what, const char *query, bool units)
{
	static const char *const fields[] = {"ids", NULL};
	const char *p[2];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_order,
	    .query = query, .nparams = 2, .params = p,
	    .touch = true, .audit = units ? "course.units_reordered" :
	    "course.lessons_reordered"};
	struct input in;

	if ((p[0] = api_path_id(r, "id", what)) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	p[1] = input_pg_array(&in, "ids", IN_REQUIRED, 500, content_uuid);
	if (!input_end(&in))
		return;
	e.id = units ? p[0] : content_unit_course(r, p[0]);
	if (e.id != NULL)
		run_edit(r, &e, 200);
}

void
units_order(struct req *r)
{
	order(r, "course", "units_reorder", true);
}

void
lessons_order(struct req *r)
{
	order(r, "unit", "lessons_reorder", false);
}
