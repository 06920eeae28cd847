/*
 * api_paths.c - learning paths: an ordered list of courses toward a goal
 * (an exam, say).  Instructors and admins make them; learners follow the
 * published ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/rules.h"
#include "http/api.h"

void
paths_list(struct req *r)
{
	const char *p[3] = {r->user->org_id, r->user->user_id,
	    api_may(r, PERM_CONTENT_ALL)};

	api_doc(r, "paths_list", 3, p, "Nothing is there.");
}

void
path_get(struct req *r)
{
	const char *p[4];

	if ((p[0] = api_path_id(r, "id", "learning path")) == NULL)
		return;
	p[1] = r->user->org_id;
	p[2] = r->user->user_id;
	p[3] = api_may(r, PERM_CONTENT_ALL);
	api_doc(r, "path_get", 4, p, "There is no such learning path.");
}

#define PATH_FIELDS 4

struct path_change {
	struct req *r;
	const char *id;
	const char *given[PATH_FIELDS], *value[PATH_FIELDS];
	const char *courses; /* PUT .../courses */
	bool remove;
	char *json;
};

static const char *
path_status(const char *s)
{
	return strcmp(s, "draft") == 0 || strcmp(s, "published") == 0 ? NULL :
	    "must be draft or published";
}

/* exam, title, description, status */
static bool
path_input(struct req *r, struct path_change *c, bool create)
{
	static const char *const fields[] = {"exam", "title", "description",
	    "status", NULL};
	struct input in;
	const char *why;

	input_begin(&in, r);
	input_only(&in, fields);
	for (int i = 0; i < PATH_FIELDS; i++)
		c->given[i] = input_has(&in, fields[i]) ? "true" : "false";
	c->value[0] = input_string(&in, "exam", IN_NULLABLE, 1, 32);
	c->value[1] = input_string(&in, "title", create ? IN_REQUIRED : 0, 1,
	    200);
	c->value[2] = input_string(&in, "description", IN_NULLABLE, 0, 5000);
	c->value[3] = input_string(&in, "status", 0, 1, 20);
	if (c->value[3] && (why = path_status(c->value[3])))
		input_error(&in, "status", why);
	return input_end(&in);
}

static int
answer(struct db *db, struct path_change *c)
{
	const char *p[4] = {c->id, c->r->user->org_id, c->r->user->user_id,
	    api_may(c->r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, "path_get", 4, p);

	if (res == NULL)
		return -1;
	c->json = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
create_tx(struct db *db, void *arg)
{
	struct path_change *c = arg;
	const char *p[6] = {c->r->user->org_id, c->r->user->user_id,
	    c->value[0], c->value[1], c->value[2], c->value[3]};
	PGresult *res;
	int rc;

	if ((rc = content_check_exam(db, c->r, c->value[0])) != 0)
		return rc;
	if ((res = db_query(db, "path_insert", 6, p)) == NULL)
		return -1;
	c->id = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return answer(db, c);
}

void
path_create(struct req *r)
{
	struct path_change c = {.r = r};
	struct db *db;

	if (!path_input(r, &c, true) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, create_tx, &c))
		return;
	resp_header(r, "Location", arena_printf(r->arena,
	    "/api/v1/paths/%s", c.id));
	resp_raw_json(r, 201, c.json);
}

/* Locks the path and checks the caller may change it; then the change. */
static int
change_tx(struct db *db, void *arg)
{
	struct path_change *c = arg;
	const char *p[9] = {c->id, c->r->user->org_id, c->r->user->user_id,
	    api_may(c->r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, "path_access", 4, p);
	bool can;
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(c->r, 404, "not-found", "There is no such "
		    "learning path.");
		return 1;
	}
	can = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!can) {
		resp_problem(c->r, 403, "forbidden", "Only an admin or the "
		    "path's owner may change it.");
		return 1;
	}
	if (c->remove) {
		res = db_query(db, "path_delete", 1, p);
	} else if (c->courses != NULL) {
		p[2] = c->courses;
		if ((res = db_query(db, "path_set_courses", 3, p)) == NULL)
			return -1;
		rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!rc) {
			api_field_error(c->r, "course_ids", "must be courses of "
			    "your organization, each once");
			return 1;
		}
		return answer(db, c);
	} else {
		if ((rc = content_check_exam(db, c->r, c->value[0])) != 0)
			return rc;
		for (int i = 0; i < PATH_FIELDS; i++) {
			p[1 + 2 * i] = c->given[i];
			p[2 + 2 * i] = c->value[i];
		}
		res = db_query(db, "path_update", 9, p);
	}
	if (res == NULL)
		return -1;
	PQclear(res);
	return c->remove ? 0 : answer(db, c);
}

static void
change(struct req *r, struct path_change *c)
{
	struct db *db;

	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, change_tx, c))
		return;
	if (c->remove)
		resp_text(r, 204, "application/json", "", 0);
	else
		resp_raw_json(r, 200, c->json);
}

void
path_patch(struct req *r)
{
	struct path_change c = {.r = r};

	if ((c.id = api_path_id(r, "id", "learning path")) == NULL ||
	    !path_input(r, &c, false))
		return;
	if (strcmp(c.given[1], "true") == 0 && c.value[1] == NULL) {
		api_field_error(r, "title", "must not be null");
		return;
	}
	change(r, &c);
}

void
path_delete(struct req *r)
{
	struct path_change c = {.r = r, .remove = true};

	if ((c.id = api_path_id(r, "id", "learning path")) != NULL)
		change(r, &c);
}

void
path_courses(struct req *r)
{
	static const char *const fields[] = {"course_ids", NULL};
	struct path_change c = {.r = r};
	struct input in;

	if ((c.id = api_path_id(r, "id", "learning path")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	c.courses = input_pg_array(&in, "course_ids", IN_REQUIRED, 100,
	    content_uuid);
	if (input_end(&in))
		change(r, &c);
}
