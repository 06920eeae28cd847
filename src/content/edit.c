/*
 * edit.c - the machinery of authoring changes (see edit.h).
 */
#include "content/edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "http/api.h"
#include "http/audit.h"

const char *const content_audit_course[] = {"title", "slug", "summary",
    "description", "exam", "difficulty", "language", "tags", "kind",
    "estimated_minutes", "status", "published_at", "deleted_at",
    "units:id,title", NULL};
const char *const content_audit_lesson[] = {"title", "kind", "summary",
    "estimated_minutes", "difficulty", "objective_codes", "content",
    "language", "tags", "unit_id", "status", "published_at", "deleted_at",
    "prerequisites:id,title", NULL};

/* The course or lesson document as it is now, into *out. */
static int
current_doc(struct db *db, struct edit *e, char **out)
{
	struct principal *u = e->r->user;
	const char *q[4] = {e->id, u->org_id, u->user_id,
	    api_may(e->r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, e->target == T_COURSE ? "course_get" :
	    "lesson_get", 4, q);

	if (res == NULL)
		return -1;
	*out = PQntuples(res) ? arena_strdup(e->r->arena,
	    PQgetvalue(res, 0, 0)) : NULL;
	if (PQntuples(res))
		e->new_version = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

/*
 * Locks the course or lesson and checks the caller may change it and that
 * If-Match, when sent, names the current version.
 */
int
edit_tx(struct db *db, void *arg)
{
	struct edit *e = arg;
	struct principal *u = e->r->user;
	const char *p[4] = {e->id, u->org_id, u->user_id,
	    api_may(e->r, PERM_CONTENT_ALL)};
	long want = api_if_match(e->r);
	PGresult *res;
	char *before = NULL;
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
		e->course = e->id;
	} else {
		e->course = arena_strdup(e->r->arena, PQgetvalue(res, 0, 0));
		e->version = atol(PQgetvalue(res, 0, 1));
		e->deleted = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
		can = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
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
	if (e->audit != NULL && current_doc(db, e, &before) != 0)
		return -1;
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
	if (current_doc(db, e, &e->json) != 0)
		return -1;
	if (e->audit == NULL)
		return 0;
	return audit_change(db, e->r, e->audit, e->target == T_COURSE ?
	    "course" : "lesson", e->id, before, e->json,
	    e->target == T_COURSE ? content_audit_course :
	    content_audit_lesson);
}

/* Runs e->query with e->params. */
int
apply_query(struct db *db, struct edit *e)
{
	PGresult *res = db_query(db, e->query, e->nparams, e->params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Answers a database error of an authoring change. */
void
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

void
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

const char *
content_unit_course(struct req *r, const char *unit)
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
