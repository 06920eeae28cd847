/*
 * api_author.c - authoring: courses, units and lessons, their order,
 * publication, soft deletion, a lesson's earlier versions and its
 * prerequisites.
 *
 * Instructors and admins call these routes; a change to a course needs the
 * right to edit it (an admin, the owner or a collaborator).  Changes are
 * optimistic: with If-Match naming another version than the current one,
 * the answer is 412 and nothing changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/markdown.h"
#include "content/rules.h"
#include "http/api.h"
#include "http/problem.h"

enum target { T_COURSE, T_LESSON };

/* One authoring change: what it is about, and what to do in the lock. */
struct edit {
	struct req *r;
	enum target target;
	const char *id;      /* course or lesson id */
	const char *course;  /* filled from the lesson */
	const char *unit;    /* a lesson's unit */
	long version;        /* current */
	bool deleted;
	char status[16];
	int (*apply)(struct db *db, struct edit *e);
	const char *const *params; /* for apply */
	int nparams;
	const char *query;
	bool allow_deleted;  /* restore */
	bool touch;          /* a change inside the course: new version */
	void *arg;           /* for apply */
	char *out;           /* what apply answers, instead of the item */
	char *json;
	long new_version;
};

/*
 * Locks the course or lesson and checks the caller may change it and that
 * If-Match, when sent, names the current version.
 */
static int
edit_tx(struct db *db, void *arg)
{
	struct edit *e = arg;
	struct principal *u = e->r->user;
	const char *p[4] = {e->id, u->org_id, u->user_id, content_role(e->r)};
	long want = api_if_match(e->r);
	PGresult *res;
	bool can;
	int rc;

	res = db_query(db, e->target == T_COURSE ? "course_access" :
	    "lesson_access", 4, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(e->r, 404, "not-found", "There is no such %s.",
		    e->target == T_COURSE ? "course" : "lesson");
		return 1;
	}
	if (e->target == T_COURSE) {
		e->version = atol(PQgetvalue(res, 0, 0));
		e->deleted = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		can = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
		snprintf(e->status, sizeof(e->status), "%s",
		    PQgetvalue(res, 0, 3));
		e->course = e->id;
	} else {
		e->course = arena_strdup(e->r->arena, PQgetvalue(res, 0, 0));
		e->version = atol(PQgetvalue(res, 0, 1));
		e->deleted = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
		snprintf(e->status, sizeof(e->status), "%s",
		    PQgetvalue(res, 0, 3));
		can = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
		e->unit = arena_strdup(e->r->arena, PQgetvalue(res, 0, 5));
	}
	PQclear(res);
	if (!can) {
		resp_problem(e->r, 403, "forbidden", "Only an admin, the "
		    "course's owner or a collaborator may change it.");
		return 1;
	}
	if (want < 0 || (want > 0 && want != e->version)) {
		api_etag(e->r, e->version);
		resp_problem(e->r, 412, "stale-version", "This was changed "
		    "since you read it (it is at version %ld): read it again "
		    "and redo the change.", e->version);
		return 1;
	}
	if (e->deleted && !e->allow_deleted) {
		resp_problem(e->r, 404, "not-found", "There is no such %s.",
		    e->target == T_COURSE ? "course" : "lesson");
		return 1;
	}
	if ((rc = e->apply(db, e)) != 0)
		return rc;
	if (e->touch) {
		/* Units and their order belong to the course's version, so
		 * that If-Match guards them too. */
		const char *q[2] = {e->course, u->org_id};

		if ((res = db_query(db, "course_touch", 2, q)) == NULL)
			return -1;
		PQclear(res);
	}
	{
		const char *q[4] = {e->id, u->org_id, u->user_id,
		    content_role(e->r)};

		res = db_query(db, e->target == T_COURSE ? "course_get" :
		    "lesson_get", 4, q);
		if (res == NULL)
			return -1;
		e->json = arena_strdup(e->r->arena, PQgetvalue(res, 0, 0));
		e->new_version = atol(PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	return 0;
}

/* Runs e->query with e->params. */
static int
apply_query(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, e->query, e->nparams, e->params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Answers a database error of an authoring change. */
static void
edit_failed(struct req *r, struct db *db, enum db_status st)
{
	if (st == DB_UNIQUE && strstr(db->constraint, "slug") != NULL)
		api_field_error(r, "slug", "is taken by another course");
	else if (st == DB_CHECK && strcmp(db->constraint,
	    "lesson_prerequisites_acyclic") == 0)
		api_field_error(r, "lesson_ids", "would make the prerequisites "
		    "go round in a circle");
	else
		api_db_problem(r, db, st);
}

static void
run_edit(struct req *r, struct edit *e, int status)
{
	struct db *db = api_db(r);
	enum db_status st;

	if (db == NULL)
		return;
	st = db_tx(db, DB_READ_COMMITTED, edit_tx, e);
	if (st == DB_TX_ABORTED)
		return;
	if (st != DB_OK) {
		edit_failed(r, db, st);
		return;
	}
	api_etag(r, e->new_version);
	resp_raw_json(r, status, e->json);
}

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
	if (c->value[2] && api_chars(c->value[2]) > 0 &&
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
		    content_role(k->r)};

		if ((res = db_query(db, "course_get", 4, q)) == NULL)
			return -1;
		k->json = arena_strdup(k->r->arena, PQgetvalue(res, 0, 0));
		k->version = atol(PQgetvalue(res, 0, 1));
		PQclear(res);
	}
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
	    .query = "course_update", .nparams = 18, .params = a.params};

	if ((e.id = content_id(r, "id", "course")) == NULL ||
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
    bool allow_deleted)
{
	const char *p[3];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = query, .nparams = 3, .params = p,
	    .allow_deleted = allow_deleted};

	if ((e.id = content_id(r, "id", "course")) == NULL)
		return;
	p[0] = e.id;
	p[1] = r->user->org_id;
	p[2] = value;
	run_edit(r, &e, 200);
}

void
course_publish(struct req *r)
{
	course_flag(r, "course_set_status", "published", false);
}

void
course_unpublish(struct req *r)
{
	course_flag(r, "course_set_status", "draft", false);
}

void
course_delete(struct req *r)
{
	course_flag(r, "course_set_deleted", "true", false);
}

void
course_restore(struct req *r)
{
	course_flag(r, "course_set_deleted", "false", true);
}

static int
apply_collaborator_add(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, "collaborator_add", 4, e->params);
	bool eligible;

	if (res == NULL)
		return -1;
	eligible = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!eligible) {
		api_field_error(e->r, "user_id", "must be an instructor or "
		    "admin of your organization");
		return 1;
	}
	return 0;
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
	return 0;
}

void
course_collaborator_add(struct req *r)
{
	static const char *const fields[] = {"user_id", NULL};
	const char *p[4];
	struct edit e = {.r = r, .target = T_COURSE,
	    .apply = apply_collaborator_add, .params = p};
	struct input in;
	const char *user, *why;

	if ((e.id = content_id(r, "id", "course")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	user = input_string(&in, "user_id", IN_REQUIRED, 36, 36);
	if (user && (why = content_uuid(user)))
		input_error(&in, "user_id", why);
	if (!input_end(&in))
		return;
	p[0] = e.id;
	p[1] = r->user->org_id;
	p[2] = user;
	p[3] = r->user->user_id;
	run_edit(r, &e, 200);
}

void
course_collaborator_remove(struct req *r)
{
	const char *p[2];
	struct edit e = {.r = r, .target = T_COURSE,
	    .apply = apply_collaborator_remove, .params = p};

	if ((e.id = content_id(r, "id", "course")) == NULL ||
	    (p[1] = content_id(r, "user_id", "collaborator")) == NULL)
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
	    .touch = true};
	struct input in;

	if ((e.id = content_id(r, "id", "course")) == NULL)
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

/* The course of a live unit, for a change through the course; NULL after
 * answering 404 or 503. */
static const char *
unit_course(struct req *r, const char *unit)
{
	const char *p[2] = {unit, r->user->org_id};
	struct db *db = api_db(r);
	PGresult *res;
	char *course = NULL;

	if (db == NULL)
		return NULL;
	if ((res = db_query(db, "unit_course", 2, p)) == NULL) {
		api_db_problem(r, db, db->status);
		return NULL;
	}
	if (PQntuples(res) == 1)
		course = arena_strdup(r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (course == NULL)
		resp_problem(r, 404, "not-found", "There is no such unit.");
	return course;
}

void
unit_patch(struct req *r)
{
	static const char *const fields[] = {"title", "summary", NULL};
	const char *p[5];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = "unit_update", .nparams = 5, .params = p,
	    .touch = true};
	struct input in;

	if ((p[0] = content_id(r, "id", "unit")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	p[1] = input_has(&in, "title") ? "true" : "false";
	p[2] = input_string(&in, "title", 0, 1, 200);
	p[3] = input_has(&in, "summary") ? "true" : "false";
	p[4] = input_string(&in, "summary", IN_NULLABLE, 0, 500);
	if (!input_end(&in) || (e.id = unit_course(r, p[0])) == NULL)
		return;
	run_edit(r, &e, 200);
}

void
unit_delete(struct req *r)
{
	const char *p[1];
	struct edit e = {.r = r, .target = T_COURSE, .apply = apply_query,
	    .query = "unit_delete", .nparams = 1, .params = p,
	    .touch = true};

	if ((p[0] = content_id(r, "id", "unit")) == NULL ||
	    (e.id = unit_course(r, p[0])) == NULL)
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
	    .touch = true};
	struct input in;

	if ((p[0] = content_id(r, "id", what)) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	p[1] = input_pg_array(&in, "ids", IN_REQUIRED, 500, content_uuid);
	if (!input_end(&in))
		return;
	e.id = units ? p[0] : unit_course(r, p[0]);
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

/* ---- lessons -------------------------------------------------------------- */

#define LESSON_FIELDS 10

/* In lesson_update's order; content brings its html along. */
struct lesson_in {
	const char *given[LESSON_FIELDS];
	const char *value[LESSON_FIELDS];
	const char *html;
};

static bool
lesson_input(struct req *r, struct lesson_in *l, bool create)
{
	static const char *const fields[] = {"kind", "title", "summary",
	    "estimated_minutes", "difficulty", "objective_codes", "content",
	    "language", "tags", "unit_id", NULL};
	struct input in;
	const char *why;
	long minutes;

	input_begin(&in, r);
	input_only(&in, fields);
	for (int i = 0; i < LESSON_FIELDS; i++)
		l->given[i] = input_has(&in, fields[i]) ? "true" : "false";
	l->value[0] = input_string(&in, "kind", 0, 1, 20);
	l->value[1] = input_string(&in, "title", create ? IN_REQUIRED : 0, 1,
	    200);
	l->value[2] = input_string(&in, "summary", IN_NULLABLE, 0, 500);
	if (input_has(&in, "estimated_minutes") && input_int(&in,
	    "estimated_minutes", 0, 1, 600, &minutes))
		l->value[3] = arena_printf(r->arena, "%ld", minutes);
	l->value[4] = input_string(&in, "difficulty", 0, 1, 20);
	l->value[5] = input_pg_array(&in, "objective_codes", 0, 50,
	    content_objective_code);
	if (input_has(&in, "content")) {
		json_t *c = json_object_get(in.body, "content");
		char field[64];

		if ((why = content_lesson_body(c, field, sizeof(field)))) {
			input_error(&in, field, why);
		} else {
			const char *md = json_string_value(json_object_get(c,
			    "markdown"));
			char *t = json_dumps(c, JSON_COMPACT);
			char *html = markdown_to_html(md ? md : "",
			    md ? strlen(md) : 0);

			l->value[6] = arena_strdup(r->arena, t ? t : "{}");
			l->html = arena_strdup(r->arena, html ? html : "");
			free(t);
			free(html);
		}
	}
	l->value[7] = input_string(&in, "language", 0, 1, 5);
	l->value[8] = input_pg_array(&in, "tags", 0, 20, content_tag);
	l->value[9] = input_string(&in, "unit_id", 0, 36, 36);
	if (l->value[0] && (why = content_kind(l->value[0])))
		input_error(&in, "kind", why);
	if (l->value[4] && (why = content_difficulty(l->value[4])))
		input_error(&in, "difficulty", why);
	if (l->value[7] && (why = content_language(l->value[7])))
		input_error(&in, "language", why);
	if (l->value[9] && (why = content_uuid(l->value[9])))
		input_error(&in, "unit_id", why);
	if (l->value[1] && strspn(l->value[1], " \t\n\r") ==
	    strlen(l->value[1]))
		input_error(&in, "title", "must not be blank");
	return input_end(&in);
}

struct lesson_create_args {
	struct lesson_in l;
	const char *unit;
	const char *params[14];
	char id[37];
};

static int
apply_lesson_insert(struct db *db, struct edit *e)
{
	struct lesson_create_args *a = e->arg;
	PGresult *res = db_query(db, "lesson_insert", 14, a->params);

	if (res == NULL)
		return -1;
	snprintf(a->id, sizeof(a->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
lesson_create(struct req *r)
{
	struct lesson_create_args a = {0};
	struct edit e = {.r = r, .target = T_COURSE,
	    .apply = apply_lesson_insert, .arg = &a,
	    .touch = true};
	const char **p = a.params;

	if ((a.unit = content_id(r, "id", "unit")) == NULL ||
	    !lesson_input(r, &a.l, true))
		return;
	if (a.l.value[9] != NULL) {
		api_field_error(r, "unit_id", "is the unit of the path: leave it "
		    "out here");
		return;
	}
	if ((e.id = unit_course(r, a.unit)) == NULL)
		return;
	p[0] = r->user->org_id;
	p[1] = e.id;
	p[2] = a.unit;
	p[3] = a.l.value[0];
	p[4] = a.l.value[1];
	p[5] = a.l.value[2];
	p[6] = a.l.value[3];
	p[7] = a.l.value[4];
	p[8] = a.l.value[5];
	p[9] = a.l.value[6];
	p[10] = a.l.html;
	p[11] = a.l.value[7];
	p[12] = a.l.value[8];
	p[13] = r->user->user_id;
	{
		struct db *db = api_db(r);
		enum db_status st;
		const char *q[4];

		if (db == NULL)
			return;
		st = db_tx(db, DB_READ_COMMITTED, edit_tx, &e);
		if (st == DB_TX_ABORTED)
			return;
		if (st != DB_OK) {
			edit_failed(r, db, st);
			return;
		}
		/* The answer is the new lesson, not its course. */
		q[0] = a.id;
		q[1] = r->user->org_id;
		q[2] = r->user->user_id;
		q[3] = content_role(r);
		resp_header(r, "Location", arena_printf(r->arena,
		    "/api/v1/lessons/%s", a.id));
		content_doc_etag(r, "lesson_get", 4, q, "The lesson is gone.");
		if (r->status == 200)
			r->status = 201;
	}
}

/* The unit a lesson moves to must belong to the same course. */
static int
apply_lesson_patch(struct db *db, struct edit *e)
{
	const char *unit = e->params[21];

	if (unit != NULL) {
		const char *p[2] = {unit, e->r->user->org_id};
		PGresult *res = db_query(db, "unit_course", 2, p);
		bool same;

		if (res == NULL)
			return -1;
		same = PQntuples(res) == 1 &&
		    strcmp(PQgetvalue(res, 0, 0), e->course) == 0;
		PQclear(res);
		if (!same) {
			api_field_error(e->r, "unit_id", "must be a unit of the "
			    "same course");
			return 1;
		}
	}
	return apply_query(db, e);
}

void
lesson_patch(struct req *r)
{
	struct lesson_in l = {0};
	/* $1 the lesson, given/value pairs, and the HTML after content. */
	const char *p[1 + 2 * LESSON_FIELDS + 1];
	struct edit e = {.r = r, .target = T_LESSON, .apply = apply_lesson_patch,
	    .query = "lesson_update", .nparams = 1 + 2 * LESSON_FIELDS + 1,
	    .params = p};
	int k = 1;

	if ((e.id = content_id(r, "id", "lesson")) == NULL ||
	    !lesson_input(r, &l, false))
		return;
	if ((strcmp(l.given[1], "true") == 0 && l.value[1] == NULL) ||
	    (strcmp(l.given[6], "true") == 0 && l.value[6] == NULL)) {
		api_field_error(r, l.value[1] == NULL ? "title" : "content",
		    "must not be null");
		return;
	}
	p[0] = e.id;
	for (int i = 0; i < LESSON_FIELDS; i++) {
		p[k++] = l.given[i];
		p[k++] = l.value[i];
		if (i == 6)
			p[k++] = l.html;
	}
	run_edit(r, &e, 200);
}

static void
lesson_flag(struct req *r, const char *query, const char *value,
    bool allow_deleted)
{
	const char *p[2];
	struct edit e = {.r = r, .target = T_LESSON, .apply = apply_query,
	    .query = query, .nparams = 2, .params = p,
	    .allow_deleted = allow_deleted};

	if ((e.id = content_id(r, "id", "lesson")) == NULL)
		return;
	p[0] = e.id;
	p[1] = value;
	run_edit(r, &e, 200);
}

void
lesson_publish(struct req *r)
{
	lesson_flag(r, "lesson_set_status", "published", false);
}

void
lesson_unpublish(struct req *r)
{
	lesson_flag(r, "lesson_set_status", "draft", false);
}

void
lesson_delete(struct req *r)
{
	lesson_flag(r, "lesson_set_deleted", "true", false);
}

void
lesson_restore(struct req *r)
{
	lesson_flag(r, "lesson_set_deleted", "false", true);
}

static int
apply_list_versions(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, "lesson_versions_list", 1, &e->id);

	if (res == NULL)
		return -1;
	e->out = arena_strdup(e->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
lesson_versions(struct req *r)
{
	struct edit e = {.r = r, .target = T_LESSON,
	    .apply = apply_list_versions, .allow_deleted = true};
	struct db *db;

	if ((e.id = content_id(r, "id", "lesson")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, edit_tx, &e))
		return;
	resp_raw_json(r, 200, e.out);
}

static int
apply_restore_version(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, "lesson_version_restore", 2, e->params);
	bool found;

	if (res == NULL)
		return -1;
	found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!found) {
		resp_problem(e->r, 404, "not-found", "This lesson has no such "
		    "version.");
		return 1;
	}
	return 0;
}

void
lesson_version_restore(struct req *r)
{
	const char *p[2];
	const char *v = req_param(r, "version");
	struct edit e = {.r = r, .target = T_LESSON,
	    .apply = apply_restore_version, .nparams = 2, .params = p};
	char *end;
	long n = strtol(v, &end, 10);

	if ((e.id = content_id(r, "id", "lesson")) == NULL)
		return;
	if (*v < '1' || *v > '9' || *end != '\0' || n < 1 || n > 1000000) {
		resp_problem(r, 404, "not-found", "This lesson has no such "
		    "version.");
		return;
	}
	p[0] = e.id;
	p[1] = v;
	run_edit(r, &e, 200);
}

static int
apply_prerequisites(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, "lesson_prerequisites_set", 3, e->params);
	long valid, wanted = 0;

	if (res == NULL)
		return -1;
	valid = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	/* Count the ids asked for: commas + 1, unless the list is empty. */
	if (strcmp(e->params[2], "{}") != 0) {
		wanted = 1;
		for (const char *c = e->params[2]; *c; c++)
			wanted += *c == ',';
	}
	if (valid != wanted) {
		api_field_error(e->r, "lesson_ids", "must be lessons of the "
		    "same course, each once, not the lesson itself");
		return 1;
	}
	return 0;
}

void
lesson_prerequisites(struct req *r)
{
	static const char *const fields[] = {"lesson_ids", NULL};
	const char *p[3];
	struct edit e = {.r = r, .target = T_LESSON,
	    .apply = apply_prerequisites, .nparams = 3, .params = p};
	struct input in;

	if ((e.id = content_id(r, "id", "lesson")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	p[2] = input_pg_array(&in, "lesson_ids", IN_REQUIRED, 50, content_uuid);
	if (!input_end(&in))
		return;
	p[0] = e.id;
	p[1] = r->user->org_id;
	run_edit(r, &e, 200);
}
