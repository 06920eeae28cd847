/*
 * api_lessons.c - authoring lessons: create, change (the earlier version
 * is kept), order, publish, delete and restore, versions and
 * prerequisites.  Each change goes through edit.c.
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
	    "estimated_minutes", IN_NULLABLE, 1, 600, &minutes))
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
	/*
	 * The minutes (lesson_update's $8): "true", the author's; "reset"
	 * (null), back to the content's; "auto", new content's, which count
	 * unless the author gave a time before (migration 0009).  The
	 * content's are the time it takes to read and watch, for the kinds
	 * that are read and watched (lesson_update checks the kind again).
	 */
	if (json_is_null(json_object_get(in.body, "estimated_minutes")))
		l->given[3] = "reset";
	else if (l->value[3] == NULL && l->value[6] != NULL)
		l->given[3] = "auto";
	if (l->value[3] == NULL && l->value[6] != NULL &&
	    (!create || content_kind_is_read(l->value[0] ? l->value[0] :
	    "lesson")))
		l->value[3] = arena_printf(r->arena, "%d",
		    content_estimate_minutes(json_object_get(in.body,
		    "content")));
	return input_end(&in);
}

struct lesson_create_args {
	struct lesson_in l;
	const char *unit;
	const char *params[15];
	char id[37];
};

static int
apply_lesson_insert(struct db *db, struct edit *e)
{
	struct lesson_create_args *a = e->arg;
	PGresult *res = db_query(db, "lesson_insert", 15, a->params);
	int rc;

	if (res == NULL)
		return -1;
	snprintf(a->id, sizeof(a->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	{
		/* The event is about the new lesson, not its course. */
		struct principal *u = e->r->user;
		const char *q[4] = {a->id, u->org_id, u->user_id,
		    api_may(e->r, PERM_CONTENT_ALL)};

		if ((res = db_query(db, "lesson_get", 4, q)) == NULL)
			return -1;
		rc = audit_change(db, e->r, "lesson.created", "lesson", a->id,
		    NULL, PQntuples(res) ? PQgetvalue(res, 0, 0) : NULL,
		    content_audit_lesson);
		PQclear(res);
		if (rc != 0)
			return -1;
	}
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

	if ((a.unit = api_path_id(r, "id", "unit")) == NULL ||
	    !lesson_input(r, &a.l, true))
		return;
	if (a.l.value[9] != NULL) {
		api_field_error(r, "unit_id", "is the unit of the path: leave it "
		    "out here");
		return;
	}
	if ((e.id = content_unit_course(r, a.unit)) == NULL)
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
	p[14] = strcmp(a.l.given[3], "true") == 0 ? "true" : "false";
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
		q[3] = api_may(r, PERM_CONTENT_ALL);
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
	    .params = p, .audit = "lesson.updated"};
	int k = 1;

	if ((e.id = api_path_id(r, "id", "lesson")) == NULL ||
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

int
lesson_apply_markdown(struct db *db, struct edit *e, const char *content,
    const char *markdown)
{
	const char *p[1 + 2 * LESSON_FIELDS + 1];
	json_t *c = json_loads(content, 0, NULL);
	char field[64], *t, *html;
	int k = 1, rc;

	if (!json_is_object(c)) {
		json_decref(c);
		c = json_object();
	}
	json_object_set_new(c, "markdown", json_string(markdown));
	if (content_lesson_body(c, field, sizeof(field)) != NULL) {
		json_decref(c);
		api_field_error(e->r, "markdown", "must be a lesson's text: at "
		    "most 100000 characters");
		return 1;
	}
	t = json_dumps(c, JSON_COMPACT);
	html = markdown_to_html(markdown, strlen(markdown));
	p[0] = e->id;
	for (int i = 0; i < LESSON_FIELDS; i++) {
		p[k++] = i == 6 ? "true" : i == 3 ? "auto" : "false";
		p[k++] = i == 6 ? arena_strdup(e->r->arena, t ? t : "{}") :
		    i == 3 ? arena_printf(e->r->arena, "%d",
		    content_estimate_minutes(c)) : NULL;
		if (i == 6)
			p[k++] = arena_strdup(e->r->arena, html ? html : "");
	}
	free(t);
	free(html);
	json_decref(c);
	e->query = "lesson_update";
	e->params = p;
	e->nparams = k;
	rc = apply_query(db, e);
	e->params = NULL;
	return rc;
}

static void
lesson_flag(struct req *r, const char *query, const char *value,
    bool allow_deleted, const char *action)
{
	const char *p[2];
	struct edit e = {.r = r, .target = T_LESSON, .apply = apply_query,
	    .query = query, .nparams = 2, .params = p,
	    .allow_deleted = allow_deleted, .audit = action};

	if ((e.id = api_path_id(r, "id", "lesson")) == NULL)
		return;
	p[0] = e.id;
	p[1] = value;
	run_edit(r, &e, 200);
}

void
lesson_publish(struct req *r)
{
	lesson_flag(r, "lesson_set_status", "published", false,
	    "lesson.published");
}

void
lesson_unpublish(struct req *r)
{
	lesson_flag(r, "lesson_set_status", "draft", false,
	    "lesson.unpublished");
}

void
lesson_delete(struct req *r)
{
	lesson_flag(r, "lesson_set_deleted", "true", false,
	    "lesson.deleted");
}

void
lesson_restore(struct req *r)
{
	lesson_flag(r, "lesson_set_deleted", "false", true,
	    "lesson.restored");
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

	if ((e.id = api_path_id(r, "id", "lesson")) == NULL ||
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
	    .apply = apply_restore_version, .nparams = 2, .params = p,
	    .audit = "lesson.version_restored"};
	char *end;
	long n = strtol(v, &end, 10);

	if ((e.id = api_path_id(r, "id", "lesson")) == NULL)
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
	    .apply = apply_prerequisites, .nparams = 3, .params = p,
	    .audit = "lesson.prerequisites_set"};
	struct input in;

	if ((e.id = api_path_id(r, "id", "lesson")) == NULL)
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

/* ---- preview -------------------------------------------------------------- */

/*
 * The HTML of Markdown not saved yet, by the renderer and the rules a saved
 * lesson goes through, so the editor's preview shows what is typed.  The
 * text is checked as a lesson's content.markdown is (a string of at most
 * 100000 characters); nothing is stored.
 */
void
lesson_preview(struct req *r)
{
	static const char *const fields[] = {"markdown", NULL};
	struct input in;
	json_t *md;
	const char *s;
	char *html;

	input_begin(&in, r);
	input_only(&in, fields);
	md = json_object_get(in.body, "markdown");
	if (!json_is_string(md))
		input_error(&in, "markdown", "must be a string");
	else if (util_utf8_chars(json_string_value(md)) > 100000)
		input_error(&in, "markdown", "must be at most 100000 characters");
	if (!input_end(&in))
		return;
	s = json_string_value(md);
	if ((html = markdown_to_html(s, json_string_length(md))) == NULL) {
		resp_problem(r, 500, "internal", "The text could not be "
		    "rendered.");
		return;
	}
	resp_json(r, 200, json_pack("{s:s}", "html", html));
	free(html);
}
