/*
 * api_learn.c - the learner's way through a course: enrolling, studying a
 * lesson (a learning session with heartbeats), progress and completion,
 * and bookmarks.
 *
 * Completing a lesson follows seed 000's flow in one transaction: the
 * progress row, the open learning sessions, the course's percentage and an
 * activity event.  Completing twice, even at once, counts once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/rules.h"
#include "core/util.h"
#include "gamify/engine.h"
#include "http/api.h"
#include "http/problem.h"

/* Seconds a heartbeat credits at most: tabs beat every 30 seconds. */
#define HEARTBEAT_CAP 120

struct learn {
	struct req *r;
	const char *lesson, *course;
	const char *percent, *position; /* progress */
	char *json;
	bool fresh; /* completed or enrolled by this call */
	char session[37];
};

static int
activity(struct db *db, struct req *r, const char *type, const char *etype,
    const char *id, const char *data)
{
	const char *p[6] = {r->user->org_id, r->user->user_id, type, etype, id,
	    data};
	PGresult *res = db_query(db, "activity_insert", 6, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Enrolls the user in the course; l->fresh tells whether it is new. */
static int
enroll(struct db *db, struct learn *l)
{
	const char *p[3] = {l->r->user->user_id, l->r->user->org_id, l->course};
	PGresult *res = db_query(db, "enroll", 3, p);

	if (res == NULL)
		return -1;
	l->fresh = PQntuples(res) == 1;
	PQclear(res);
	if (l->fresh && activity(db, l->r, "course.enrolled", "course",
	    l->course, NULL) != 0)
		return -1;
	return 0;
}

/*
 * Checks that the lesson may be studied: 0 with l->course set; 1 after
 * answering 404 (not visible) or, unless allow_locked, 409 (locked by
 * prerequisites); -1.
 */
static int
learnable(struct db *db, struct learn *l, bool allow_locked)
{
	const char *p[3] = {l->lesson, l->r->user->org_id, l->r->user->user_id};
	PGresult *res = db_query(db, "lesson_learnable", 3, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
		PQclear(res);
		resp_problem(l->r, 404, "not-found", "There is no such lesson.");
		return 1;
	}
	l->course = arena_strdup(l->r->arena, PQgetvalue(res, 0, 0));
	if (!allow_locked && strcmp(PQgetvalue(res, 0, 2), "[]") != 0) {
		json_t *p2 = problem_new(409, "lesson-locked", "Complete the "
		    "prerequisites of this lesson first.");

		json_object_set_new(p2, "missing_prerequisites",
		    json_loads(PQgetvalue(res, 0, 2), 0, NULL));
		PQclear(res);
		resp_problem_json(l->r, p2);
		return 1;
	}
	PQclear(res);
	return 0;
}

static int
refresh_course(struct db *db, struct learn *l)
{
	const char *p[2] = {l->r->user->user_id, l->course};
	PGresult *res = db_query(db, "enrollment_refresh", 2, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static char *
one_doc(struct db *db, struct req *r, const char *query, const char *a,
    const char *b)
{
	const char *p[2] = {a, b};
	PGresult *res = db_query(db, query, 2, p);
	char *s = NULL;

	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 1)
		s = arena_strdup(r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return s;
}

/*
 * The shape of the handlers here: the route's {id} as the course or the
 * lesson, one transaction, then its JSON (fresh_status when it made
 * something new), or 204 when it left none.
 */
static void
run(struct req *r, bool on_course, db_tx_fn fn, int fresh_status)
{
	struct learn l = {.r = r};
	const char *id = api_path_id(r, "id", on_course ? "course" : "lesson");
	struct db *db;

	if (id == NULL)
		return;
	if (on_course)
		l.course = id;
	else
		l.lesson = id;
	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, fn, &l))
		return;
	if (l.json == NULL)
		resp_text(r, 204, "application/json", "", 0);
	else
		resp_raw_json(r, l.fresh ? fresh_status : 200, l.json);
}

/* ---- enrollment ---------------------------------------------------------- */

static int
enroll_tx(struct db *db, void *arg)
{
	struct learn *l = arg;
	const char *p[2] = {l->course, l->r->user->org_id};
	PGresult *res = db_query(db, "course_learnable", 2, p);
	bool ok;

	if (res == NULL)
		return -1;
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ok) {
		resp_problem(l->r, 404, "not-found", "There is no such course.");
		return 1;
	}
	if (enroll(db, l) != 0 || refresh_course(db, l) != 0)
		return -1;
	l->json = one_doc(db, l->r, "enrollment_get", l->r->user->user_id,
	    l->course);
	return l->json ? 0 : -1;
}

void
course_enroll(struct req *r)
{
	run(r, true, enroll_tx, 201);
}

static int
unenroll_tx(struct db *db, void *arg)
{
	struct learn *l = arg;
	const char *p[2] = {l->r->user->user_id, l->course};
	PGresult *res = db_query(db, "unenroll", 2, p);

	if (res == NULL)
		return -1;
	l->fresh = atoi(PQcmdTuples(res)) == 1;
	PQclear(res);
	if (!l->fresh) {
		resp_problem(l->r, 404, "not-found", "You are not enrolled in "
		    "this course.");
		return 1;
	}
	return activity(db, l->r, "course.unenrolled", "course", l->course,
	    NULL);
}

void
course_unenroll(struct req *r)
{
	run(r, true, unenroll_tx, 200);
}

/* ---- progress and completion ----------------------------------------- */

static int
progress_tx(struct db *db, void *arg)
{
	struct learn *l = arg;
	struct principal *u = l->r->user;
	PGresult *res;
	int rc;

	if ((rc = learnable(db, l, false)) != 0)
		return rc;
	if (enroll(db, l) != 0)
		return -1;
	{
		const char *p[6] = {u->user_id, u->org_id, l->lesson, l->course,
		    l->percent, l->position};

		if ((res = db_query(db, "progress_upsert", 6, p)) == NULL)
			return -1;
		PQclear(res);
	}
	if (refresh_course(db, l) != 0)
		return -1;
	l->json = one_doc(db, l->r, "progress_get", u->user_id, l->lesson);
	return l->json ? 0 : -1;
}

void
lesson_progress(struct req *r)
{
	static const char *const fields[] = {"progress_percent",
	    "last_position", NULL};
	struct learn l = {.r = r};
	struct input in;
	struct db *db;
	long pct;

	if ((l.lesson = api_path_id(r, "id", "lesson")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	if (input_has(&in, "progress_percent") &&
	    input_int(&in, "progress_percent", 0, 0, 100, &pct))
		l.percent = arena_printf(r->arena, "%ld", pct);
	if (input_has(&in, "last_position")) {
		json_t *v = json_object_get(in.body, "last_position");
		char *t = json_dumps(v, JSON_COMPACT);

		if (!json_is_object(v) || t == NULL || util_utf8_chars(t) > 2000)
			input_error(&in, "last_position", "must be an object of "
			    "at most 2000 characters as JSON");
		else
			l.position = arena_strdup(r->arena, t);
		free(t);
	}
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, progress_tx, &l))
		return;
	resp_raw_json(r, 200, l.json);
}

static int
complete_tx(struct db *db, void *arg)
{
	struct learn *l = arg;
	struct principal *u = l->r->user;
	const char *p[4] = {u->user_id, u->org_id, l->lesson, NULL};
	PGresult *res;
	int rc;

	if ((rc = learnable(db, l, false)) != 0)
		return rc;
	if (enroll(db, l) != 0)
		return -1;
	p[3] = l->course;
	if ((res = db_query(db, "progress_complete", 4, p)) == NULL)
		return -1;
	l->fresh = PQntuples(res) == 1;
	PQclear(res);
	if (l->fresh) {
		const char *q[2] = {u->user_id, l->lesson};
		struct gamify_event e = {.org = u->org_id, .user = u->user_id,
		    .lesson = l->lesson};

		if ((res = db_query(db, "sessions_mark_completion", 2, q)) ==
		    NULL)
			return -1;
		PQclear(res);
		if (refresh_course(db, l) != 0 ||
		    activity(db, l->r, "lesson.completed", "lesson", l->lesson,
		    NULL) != 0 || gamify_record(db, &e) != 0)
			return -1;
	}
	{
		char *prog = one_doc(db, l->r, "progress_get", u->user_id,
		    l->lesson);
		char *enr = one_doc(db, l->r, "enrollment_get", u->user_id,
		    l->course);

		if (prog == NULL || enr == NULL)
			return -1;
		l->json = arena_printf(l->r->arena, "{\"newly_completed\":%s,"
		    "\"progress\":%s,\"enrollment\":%s}", l->fresh ? "true" :
		    "false", prog, enr);
	}
	return 0;
}

void
lesson_complete(struct req *r)
{
	run(r, false, complete_tx, 200);
}

/* ---- learning sessions ------------------------------------------------- */

static int
session_start_tx(struct db *db, void *arg)
{
	struct learn *l = arg;
	struct principal *u = l->r->user;
	const char *p[6] = {u->user_id, l->lesson, NULL, NULL, NULL, NULL};
	PGresult *res;
	int rc;

	if ((rc = learnable(db, l, false)) != 0)
		return rc;
	if (enroll(db, l) != 0)
		return -1;
	if ((res = db_query(db, "session_open", 2, p)) == NULL)
		return -1;
	l->fresh = PQntuples(res) == 0;
	if (!l->fresh)
		snprintf(l->session, sizeof(l->session), "%s",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
	if (l->fresh) {
		const char *q[3] = {u->user_id, u->org_id, l->lesson};

		if ((res = db_query(db, "session_start", 3, q)) == NULL)
			return -1;
		snprintf(l->session, sizeof(l->session), "%s",
		    PQgetvalue(res, 0, 0));
		PQclear(res);
		if (activity(db, l->r, "lesson.viewed", "lesson", l->lesson,
		    NULL) != 0)
			return -1;
	}
	p[0] = u->user_id;
	p[1] = u->org_id;
	p[2] = l->lesson;
	p[3] = l->course;
	if ((res = db_query(db, "progress_upsert", 6, p)) == NULL)
		return -1;
	PQclear(res);
	l->json = one_doc(db, l->r, "session_get", l->session, u->user_id);
	return l->json ? 0 : -1;
}

void
lesson_session_start(struct req *r)
{
	run(r, false, session_start_tx, 201);
}

struct beat {
	struct req *r;
	const char *id;
	bool end;
	char *json;
};

static int
beat_tx(struct db *db, void *arg)
{
	struct beat *b = arg;
	char cap[16];
	const char *p[3] = {b->id, b->r->user->user_id, cap};
	PGresult *res;
	bool open;
	int credit;

	snprintf(cap, sizeof(cap), "%d", HEARTBEAT_CAP);
	if ((res = db_query(db, "session_heartbeat", 3, p)) == NULL)
		return -1;
	open = !PQgetisnull(res, 0, 0);
	credit = open ? atoi(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	if (!open) {
		resp_problem(b->r, 404, "not-found", "There is no such open "
		    "learning session.");
		return 1;
	}
	if (credit > 0) {
		/* Study time counts toward the day, the streak and the goal. */
		struct gamify_event e = {.org = b->r->user->org_id,
		    .user = b->r->user->user_id, .seconds = credit};

		if (gamify_record(db, &e) != 0)
			return -1;
	}
	if (b->end) {
		if ((res = db_query(db, "session_end", 2, p)) == NULL)
			return -1;
		PQclear(res);
	}
	b->json = one_doc(db, b->r, "session_get", b->id, b->r->user->user_id);
	return b->json ? 0 : -1;
}

static void
beat(struct req *r, bool end)
{
	struct beat b = {.r = r, .end = end};
	struct db *db;

	if ((b.id = api_path_id(r, "id", "learning session")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, beat_tx, &b))
		return;
	resp_raw_json(r, 200, b.json);
}

void
session_heartbeat(struct req *r)
{
	beat(r, false);
}

void
session_end(struct req *r)
{
	beat(r, true);
}

/* ---- bookmarks --------------------------------------------------------- */

struct mark {
	struct req *r;
	const char *lesson, *note;
	char *json;
	bool found;
};

static int
bookmark_tx(struct db *db, void *arg)
{
	struct mark *m = arg;
	struct principal *u = m->r->user;
	struct learn l = {.r = m->r, .lesson = m->lesson};
	const char *p[4] = {u->user_id, u->org_id, m->lesson, m->note};
	PGresult *res;
	int rc;

	/* A bookmark may be set on a locked lesson. */
	if ((rc = learnable(db, &l, true)) != 0)
		return rc;
	if ((res = db_query(db, "bookmark_put", 4, p)) == NULL)
		return -1;
	m->json = arena_strdup(m->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
bookmark_put(struct req *r)
{
	static const char *const fields[] = {"note", NULL};
	struct mark m = {.r = r};
	struct input in;
	struct db *db;

	if ((m.lesson = api_path_id(r, "id", "lesson")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	m.note = input_string(&in, "note", IN_NULLABLE, 0, 2000);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, bookmark_tx, &m))
		return;
	resp_raw_json(r, 200, m.json);
}

static int
unmark_tx(struct db *db, void *arg)
{
	struct mark *m = arg;
	const char *p[2] = {m->r->user->user_id, m->lesson};
	PGresult *res = db_query(db, "bookmark_delete", 2, p);

	if (res == NULL)
		return -1;
	m->found = atoi(PQcmdTuples(res)) == 1;
	PQclear(res);
	return 0;
}

void
bookmark_delete(struct req *r)
{
	struct mark m = {.r = r};
	struct db *db;

	if ((m.lesson = api_path_id(r, "id", "lesson")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, unmark_tx, &m))
		return;
	if (!m.found)
		resp_problem(r, 404, "not-found", "This lesson is not "
		    "bookmarked.");
	else
		resp_text(r, 204, "application/json", "", 0);
}

void
bookmarks_list(struct req *r)
{
	const char *p[3] = {r->user->user_id, req_query(r, "after"), NULL};
	const char *dot = p[1] ? strchr(p[1], '.') : NULL;
	int limit;

	/* The cursor: "<microseconds>.<lesson id>", as "next" gave it. */
	if (p[1] != NULL && (dot == NULL || dot == p[1] || dot - p[1] > 17 ||
	    strspn(p[1], "0123456789") != (size_t)(dot - p[1]) ||
	    !api_is_uuid(dot + 1))) {
		api_field_error(r, "after", "must be the next of an earlier "
		    "page");
		return;
	}
	if ((limit = api_limit(r, 50, 200)) < 0)
		return;
	p[2] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "bookmarks_list", 3, p, "Nothing is there.");
}
