/*
 * api_suggest.c - suggested edits (migration 0030): a learner of a course
 * proposes a lesson's text as they would have it; the course's authors
 * accept it (through edit.c, as any change of the lesson: locked, the
 * earlier version kept, audited) or reject it with a reason; the learner
 * may withdraw it while it waits.
 *
 * A suggestion is made against the lesson's version the learner read.
 * When the lesson's text has changed since (a later lesson_versions row),
 * accepting the suggestion as it is would undo that change: it is refused
 * with 409 unless the author sends the text merged by hand, with the
 * lesson's version they merged it against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/edit.h"
#include "content/rules.h"
#include "core/perm.h"
#include "http/api.h"

#define SUGGESTIONS_A_DAY 20	/* a learner's, across lessons */

static const char *
edit_all(struct req *r)
{
	return api_may(r, PERM_CONTENT_ALL);
}

static int
notify(struct db *db, struct req *r, const char *whom, const char *kind,
    const char *title, const char *body, const char *course,
    const char *lesson, const char *id)
{
	const char *p[8] = {r->user->org_id, whom, kind, title, body, course,
	    lesson, id};
	PGresult *res = db_query(db, "suggestion_notify", 8, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* ---- a learner's suggestion ---------------------------------------------- */

struct proposal {
	struct req *r;
	const char *lesson, *markdown, *note;
	long base;
	char *json;
};

static int
propose_tx(struct db *db, void *arg)
{
	struct proposal *s = arg;
	struct req *r = s->r;
	const char *p[7] = {s->lesson, r->user->user_id, edit_all(r)};
	char course[37], owner[37], title[256], base[24];
	const char *role;
	PGresult *res = db_query(db, "suggestion_target", 3, p);
	long version;
	bool live, same;
	int rc = 1;

	if (res == NULL)
		return -1;
	role = PQntuples(res) == 1 && !PQgetisnull(res, 0, 3) ?
	    PQgetvalue(res, 0, 3) : NULL;
	live = role != NULL && strcmp(PQgetvalue(res, 0, 4), "t") == 0;
	if (!live || (strcmp(role, "author") != 0 &&
	    strcmp(role, "learner") != 0 && strcmp(role, "member") != 0)) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such lesson.");
		return 1;
	}
	version = atol(PQgetvalue(res, 0, 1));
	same = strcmp(PQgetvalue(res, 0, 2), s->markdown) == 0;
	snprintf(course, sizeof(course), "%s", PQgetvalue(res, 0, 0));
	snprintf(owner, sizeof(owner), "%s", PQgetvalue(res, 0, 6));
	snprintf(title, sizeof(title), "%s", PQgetvalue(res, 0, 7));
	if (strcmp(role, "learner") != 0)
		resp_problem(r, 403, "forbidden", strcmp(role, "author") == 0 ?
		    "The course's authors change its lessons themselves." :
		    "Only a learner enrolled in the course may suggest an "
		    "edit.");
	else if (atol(PQgetvalue(res, 0, 5)) >= SUGGESTIONS_A_DAY)
		api_too_many(r, 3600);
	else if (s->base > version)
		api_field_error(r, "base_version", "is not a version of this "
		    "lesson");
	else if (same)
		api_field_error(r, "markdown", "is the lesson's text as it is: "
		    "there is nothing to suggest");
	else
		rc = 0;
	PQclear(res);
	if (rc != 0)
		return rc;
	snprintf(base, sizeof(base), "%ld", s->base > 0 ? s->base : version);
	p[0] = r->user->org_id;
	p[1] = s->lesson;
	p[2] = course;
	p[3] = r->user->user_id;
	p[4] = s->markdown;
	p[5] = s->note;
	p[6] = base;
	if ((res = db_query(db, "suggestion_insert", 7, p)) == NULL)
		return -1;
	s->json = arena_strdup(r->arena, PQgetvalue(res, 0, 0));
	rc = owner[0] != '\0' ? notify(db, r, owner, "edit_suggested",
	    "An edit was suggested", arena_printf(r->arena, "For the lesson "
	    "\"%.150s\".", title), course, s->lesson, PQgetvalue(res, 0, 1)) :
	    0;
	PQclear(res);
	return rc;
}

void
suggestion_create(struct req *r)
{
	static const char *const fields[] = {"markdown", "note",
	    "base_version", NULL};
	struct proposal s = {.r = r};
	struct input in;
	struct db *db;

	if ((s.lesson = api_path_id(r, "id", "lesson")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	s.markdown = input_string(&in, "markdown", IN_REQUIRED, 1, 100000);
	s.note = input_string(&in, "note", 0, 0, 2000);
	input_int(&in, "base_version", 0, 1, 1000000000, &s.base);
	if (!input_end(&in))
		return;
	if (s.note == NULL)
		s.note = "";
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    propose_tx, &s)) {
		/* A second one waiting for the same lesson is a 409 (the
		 * database's unique index), answered by api_tx. */
		resp_raw_json(r, 201, s.json);
	}
}

void
suggestions_list(struct req *r)
{
	const char *lesson, *status, *p[4];
	struct input in;

	if ((lesson = api_path_id(r, "id", "lesson")) == NULL)
		return;
	input_query_begin(&in, r);
	status = input_query(&in, "status", content_suggestion_status);
	if (!input_end(&in))
		return;
	p[0] = lesson;
	p[1] = r->user->user_id;
	p[2] = edit_all(r);
	p[3] = status;
	api_doc(r, "suggestions_list", 4, p, "There is no such lesson.");
}

void
suggestion_get(struct req *r)
{
	const char *id, *p[3];

	if ((id = api_path_id(r, "id", "suggestion")) == NULL)
		return;
	p[0] = id;
	p[1] = r->user->user_id;
	p[2] = edit_all(r);
	api_doc(r, "suggestion_get", 3, p, "There is no such suggestion.");
}

static int
withdraw_tx(struct db *db, void *arg)
{
	struct proposal *s = arg;
	const char *p[2] = {s->lesson, s->r->user->user_id};
	PGresult *res = db_query(db, "suggestion_withdraw", 2, p);
	int rc;

	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : 1;
	if (rc == 0)
		s->json = arena_strdup(s->r->arena, PQgetvalue(res, 0, 0));
	else
		resp_problem(s->r, 404, "not-found", "You have no waiting "
		    "suggestion of that id.");
	PQclear(res);
	return rc;
}

void
suggestion_withdraw(struct req *r)
{
	struct proposal s = {.r = r};
	struct db *db;

	/* (s.lesson holds the suggestion's id here.) */
	if ((s.lesson = api_path_id(r, "id", "suggestion")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    withdraw_tx, &s))
		resp_raw_json(r, 200, s.json);
}

/* ---- the authors' decision ----------------------------------------------- */

struct decision {
	struct req *r;
	const char *id;
	bool accept;
	const char *reason;	/* rejected */
	const char *merged;	/* accepted: a text merged by hand */
	long merged_on;		/* the lesson's version it was merged on */
	char *json;
};

/*
 * The suggestion locked, as the caller may decide it: 0 with *res, 1 after
 * a 404, 403 or 409, -1.
 */
static int
decision_open(struct db *db, struct decision *d, PGresult **res)
{
	const char *p[3] = {d->id, d->r->user->user_id, edit_all(d->r)};
	const char *role;

	if ((*res = db_query(db, "suggestion_lock", 3, p)) == NULL)
		return -1;
	role = PQntuples(*res) == 1 && !PQgetisnull(*res, 0, 5) ?
	    PQgetvalue(*res, 0, 5) : "";
	if (strcmp(role, "author") != 0) {
		bool mine = PQntuples(*res) == 1 && strcmp(PQgetvalue(*res, 0,
		    2), d->r->user->user_id) == 0;

		PQclear(*res);
		if (mine)
			resp_problem(d->r, 403, "forbidden", "The course's authors "
			    "decide on suggestions.");
		else
			resp_problem(d->r, 404, "not-found", "There is no such "
			    "suggestion.");
		return 1;
	}
	if (strcmp(PQgetvalue(*res, 0, 1), "pending") != 0) {
		resp_problem(d->r, 409, "already-decided", "This suggestion is "
		    "%s already.", PQgetvalue(*res, 0, 1));
		PQclear(*res);
		return 1;
	}
	return 0;
}

/* Marks the suggestion and tells its proposer. */
static int
decide(struct db *db, struct decision *d, PGresult *s)
{
	const char *p[4] = {d->id, d->accept ? "accepted" : "rejected",
	    d->r->user->user_id, d->reason};
	PGresult *res = db_query(db, "suggestion_decide", 4, p);
	int rc;

	if (res == NULL)
		return -1;
	d->json = arena_strdup(d->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = notify(db, d->r, PQgetvalue(s, 0, 2), d->accept ?
	    "suggestion_accepted" : "suggestion_rejected", d->accept ?
	    "Your suggested edit was accepted" : "Your suggested edit was "
	    "not taken", arena_printf(d->r->arena, d->accept ? "The lesson "
	    "\"%.150s\" now reads as you suggested. Thank you!" : "For the "
	    "lesson \"%.150s\": %.500s", PQgetvalue(s, 0, 7), d->reason ?
	    d->reason : ""), PQgetvalue(s, 0, 8), PQgetvalue(s, 0, 0), d->id);
	return rc;
}

/* edit.c's apply for an acceptance: the lesson is locked by now. */
static int
apply_accept(struct db *db, struct edit *e)
{
	struct decision *d = e->arg;
	PGresult *s;
	bool changed;
	int rc;

	if ((rc = decision_open(db, d, &s)) != 0)
		return rc;
	changed = strcmp(PQgetvalue(s, 0, 4), "t") == 0;
	if (changed && d->merged == NULL) {
		PQclear(s);
		resp_problem(e->r, 409, "lesson-changed", "The lesson's text "
		    "changed after this suggestion was made: accepting it as it "
		    "is would undo that change.  Merge the two and send the "
		    "merged text as markdown, with the lesson's version as "
		    "lesson_version.");
		return 1;
	}
	if (d->merged != NULL && d->merged_on != e->version) {
		PQclear(s);
		api_etag(e->r, e->version);
		resp_problem(e->r, 409, "lesson-changed", "The lesson changed "
		    "again (it is at version %ld): merge again.", e->version);
		return 1;
	}
	rc = lesson_apply_markdown(db, e, PQgetvalue(s, 0, 6), d->merged ?
	    d->merged : PQgetvalue(s, 0, 3));
	if (rc == 0)
		rc = decide(db, d, s);
	PQclear(s);
	return rc;
}

void
suggestion_accept(struct req *r)
{
	static const char *const fields[] = {"markdown", "lesson_version",
	    NULL};
	struct decision d = {.r = r, .accept = true};
	struct edit e = {.r = r, .target = T_LESSON, .apply = apply_accept,
	    .arg = &d, .audit = "lesson.updated"};
	const char *p[3];
	struct input in;
	struct db *db;
	PGresult *res;

	if ((d.id = api_path_id(r, "id", "suggestion")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	d.merged = input_string(&in, "markdown", 0, 1, 100000);
	if (d.merged != NULL && !input_int(&in, "lesson_version", IN_REQUIRED,
	    1, 1000000000, &d.merged_on))
		d.merged = NULL;
	if (!input_end(&in) || (db = api_db(r)) == NULL)
		return;
	/* The lesson to lock first (a suggestion never changes lesson). */
	p[0] = d.id;
	p[1] = r->user->user_id;
	p[2] = edit_all(r);
	if ((res = db_query(db, "suggestion_lesson", 3, p)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such suggestion.");
		return;
	}
	e.id = arena_strdup(r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!api_tx(r, db, DB_READ_COMMITTED, edit_tx, &e))
		return;
	resp_raw_json(r, 200, d.json);
}

static int
reject_tx(struct db *db, void *arg)
{
	struct decision *d = arg;
	PGresult *s;
	int rc;

	if ((rc = decision_open(db, d, &s)) != 0)
		return rc;
	rc = decide(db, d, s);
	PQclear(s);
	return rc;
}

void
suggestion_reject(struct req *r)
{
	static const char *const fields[] = {"reason", NULL};
	struct decision d = {.r = r};
	struct input in;
	struct db *db;

	if ((d.id = api_path_id(r, "id", "suggestion")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	d.reason = input_string(&in, "reason", IN_REQUIRED, 1, 2000);
	if (d.reason != NULL && strspn(d.reason, " \t\r\n") ==
	    strlen(d.reason))
		input_error(&in, "reason", "must not be blank");
	if (input_end(&in) && (db = api_db(r)) != NULL && api_tx(r, db,
	    DB_READ_COMMITTED, reject_tx, &d))
		resp_raw_json(r, 200, d.json);
}
