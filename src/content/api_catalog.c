/*
 * api_catalog.c - reading content: the exam catalog, the course catalog,
 * a course's outline with my state in each lesson, a lesson, and search.
 * Learners see published content only; editors (admins, a course's owner
 * and collaborators) see their drafts too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/rules.h"
#include "core/util.h"
#include "http/api.h"
#include "http/auth.h"

int
content_check_exam(struct db *db, struct req *r, const char *code)
{
	const char *p[1] = {code};
	PGresult *res;
	bool ok;

	if (code == NULL)
		return 0;
	if ((res = db_query(db, "exam_exists", 1, p)) == NULL)
		return -1;
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ok) {
		api_field_error(r, "exam", "is not an exam code (see "
		    "/api/v1/exams)");
		return 1;
	}
	return 0;
}

int
content_course_writable(struct db *db, struct req *r, const char *course,
    const char *what)
{
	const char *p[4] = {course, r->user->org_id, r->user->user_id,
	    api_may(r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, "course_access", 4, p);
	bool can, gone;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		api_field_error(r, "course_id", "is not a course of yours");
		return 1;
	}
	gone = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	can = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	if (gone || !can || !auth_may(r, PERM_COURSE_AUTHOR)) {
		resp_problem(r, 403, "forbidden", "Only an admin, the course's "
		    "owner or a collaborator may add %s to it.", what);
		return 1;
	}
	return 0;
}

struct etag_doc {
	struct req *r;
	const char *query;
	int n;
	const char *const *params;
	char *json;
	long version;
};

static int
etag_doc_tx(struct db *db, void *arg)
{
	struct etag_doc *d = arg;
	PGresult *res = db_query(db, d->query, d->n, d->params);

	if (res == NULL)
		return -1;
	d->json = NULL;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		d->json = arena_strdup(d->r->arena, PQgetvalue(res, 0, 0));
		d->version = atol(PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return 0;
}

void
content_doc_etag(struct req *r, const char *query, int n,
    const char *const *params, const char *missing)
{
	struct etag_doc d = {.r = r, .query = query, .n = n, .params = params};
	struct db *db = api_db(r);

	if (db == NULL || !api_tx(r, db, DB_ONE_STATEMENT, etag_doc_tx, &d))
		return;
	if (d.json == NULL) {
		resp_problem(r, 404, "not-found", "%s", missing);
		return;
	}
	api_etag(r, d.version);
	resp_raw_json(r, 200, d.json);
}

void
exams_list(struct req *r)
{
	api_doc(r, "exams_list", 0, NULL, "Nothing is there.");
}

void
exam_objectives(struct req *r)
{
	const char *params[1] = {req_param(r, "id")};

	if (strlen(params[0]) > 64) {
		resp_problem(r, 404, "not-found", "There is no such exam.");
		return;
	}
	api_doc(r, "exam_objectives", 1, params, "There is no such exam.");
}

void
course_get(struct req *r)
{
	const char *params[4];

	if ((params[0] = api_path_id(r, "id", "course")) == NULL)
		return;
	params[1] = r->user->org_id;
	params[2] = r->user->user_id;
	params[3] = api_may(r, PERM_CONTENT_ALL);
	content_doc_etag(r, "course_get", 4, params, "There is no such course.");
}

void
lesson_get(struct req *r)
{
	const char *params[4];

	if ((params[0] = api_path_id(r, "id", "lesson")) == NULL)
		return;
	params[1] = r->user->org_id;
	params[2] = r->user->user_id;
	params[3] = api_may(r, PERM_CONTENT_ALL);
	content_doc_etag(r, "lesson_get", 4, params, "There is no such lesson.");
}

static const char *
status_filter(const char *s)
{
	return strcmp(s, "published") == 0 || strcmp(s, "draft") == 0 ||
	    strcmp(s, "all") == 0 ? NULL : "must be published, draft or all";
}

void
courses_list(struct req *r)
{
	const char *p[12];
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->org_id;
	p[1] = r->user->user_id;
	p[2] = api_may(r, PERM_CONTENT_ALL);
	p[3] = input_query(&in, "exam", content_exam_code);
	p[4] = input_query(&in, "domain", content_domain_code);
	p[5] = input_query(&in, "kind", content_kind);
	p[6] = input_query(&in, "difficulty", content_difficulty);
	p[7] = input_query(&in, "tag", content_tag);
	p[8] = input_query(&in, "language", content_language);
	p[9] = input_query(&in, "status", status_filter);
	p[10] = input_query(&in, "after", content_uuid);
	if (!input_end(&in) || (limit = api_limit(r, 20, 100)) < 0)
		return;
	p[11] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "courses_catalog", 12, p, "Nothing is there.");
}

void
content_search(struct req *r)
{
	const char *q = req_query(r, "q");
	const char *p[4];
	int limit;

	if (q == NULL || util_utf8_chars(q) < 2 || util_utf8_chars(q) > 200) {
		api_field_error(r, "q", "must be 2 to 200 characters");
		return;
	}
	if ((limit = api_limit(r, 20, 50)) < 0)
		return;
	/* The organization is the transaction's (search_doc() reads it). */
	p[0] = r->user->user_id;
	p[1] = api_may(r, PERM_CONTENT_ALL);
	p[2] = util_utf8_sanitize(arena_strdup(r->arena, q));
	p[3] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "search", 4, p, "Nothing is there.");
}
