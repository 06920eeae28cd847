/*
 * attempt.c - finishing an attempt (attempt.h).
 */
#include "assessment/attempt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assessment/score.h"
#include "core/log.h"
#include "flashcards/flashcards.h"
#include "gamify/engine.h"

static bool
is_true(const PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

/* Adds one answer to its domain's line of the breakdown. */
static void
tally(json_t *domains, const char *code, double credit, double points)
{
	json_t *d = json_object_get(domains, code);

	if (d == NULL) {
		d = json_pack("{s:i, s:i, s:f, s:f}", "questions", 0, "correct",
		    0, "score", 0.0, "max_score", 0.0);
		json_object_set_new(domains, code, d);
	}
	json_object_set_new(d, "questions", json_integer(json_integer_value(
	    json_object_get(d, "questions")) + 1));
	json_object_set_new(d, "correct", json_integer(json_integer_value(
	    json_object_get(d, "correct")) + (credit == 1)));
	json_object_set_new(d, "score", json_real(json_real_value(
	    json_object_get(d, "score")) + credit * points));
	json_object_set_new(d, "max_score", json_real(json_real_value(
	    json_object_get(d, "max_score")) + points));
}

/* Rounds the breakdown's numbers and adds each domain's percentage. */
static void
round_domains(json_t *domains)
{
	const char *code;
	json_t *d;

	json_object_foreach(domains, code, d) {
		double s = json_real_value(json_object_get(d, "score"));
		double m = json_real_value(json_object_get(d, "max_score"));

		json_object_set_new(d, "score", json_real(round(s * 100) / 100));
		json_object_set_new(d, "max_score", json_real(round(m * 100) /
		    100));
		json_object_set_new(d, "percent", json_real(m > 0 ?
		    round(10000 * s / m) / 100 : 0));
	}
}

/* A PostgreSQL array literal, built element by element. */
struct pg_list {
	char *s;
	size_t len;
};

static void
list_add(struct pg_list *l, const char *x)
{
	size_t n = strlen(x);
	char sep = l->len == 0 ? '{' : ',';

	l->s = realloc(l->s, l->len + n + 3);
	if (l->s == NULL)
		abort();
	l->s[l->len++] = sep;
	memcpy(l->s + l->len, x, n);
	l->len += n;
	memcpy(l->s + l->len, "}", 2);
}

static const char *
list_text(struct pg_list *l)
{
	return l->s ? l->s : "{}";
}

struct lock {
	char status[16];
	bool overdue;
	char started[64];
	bool partial;
	double cut;
	char kind[32];
	bool scaled;
	int lo, pass, hi;
	char lesson[37];
	char assessment[37];
	char org[37];
	int seconds;
	bool preview;	/* an author trying the assessment: it earns nothing */
};

/* Scores every answer and writes the credits; the totals in the out args. */
static int
score_all(struct db *db, const char *attempt, const struct lock *l,
    double *score, double *max, int *correct, json_t *domains)
{
	const char *p[4] = {attempt, l->started, NULL, NULL};
	PGresult *res = db_query(db, "attempt_items", 2, p);
	struct pg_list pos = {0}, cred = {0};
	int rc = 0;

	if (res == NULL)
		return -1;
	*score = *max = 0;
	*correct = 0;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *type = PQgetvalue(res, i, 2);
		json_t *body = json_loads(PQgetvalue(res, i, 5), 0, NULL);
		json_t *answer = PQgetisnull(res, i, 7) ? NULL :
		    json_loads(PQgetvalue(res, i, 7), 0, NULL);
		double points = atof(PQgetvalue(res, i, 9));
		double c = score_credit(type, body, answer, l->partial);
		char num[32];

		list_add(&pos, PQgetvalue(res, i, 0));
		snprintf(num, sizeof(num), "%.5f", c);
		list_add(&cred, num);
		*score += c * points;
		*max += points;
		*correct += c == 1;
		tally(domains, PQgetisnull(res, i, 13) ? "none" :
		    PQgetvalue(res, i, 13), c, points);
		json_decref(body);
		json_decref(answer);
	}
	PQclear(res);
	p[2] = list_text(&pos);
	p[3] = list_text(&cred);
	if ((res = db_query(db, "answers_score", 4, p)) == NULL)
		rc = -1;
	PQclear(res);
	free(pos.s);
	free(cred.s);
	round_domains(domains);
	return rc;
}

static int
lock_attempt(struct db *db, const char *attempt, const char *user,
    struct lock *l)
{
	const char *p[2] = {attempt, user};
	PGresult *res = db_query(db, "attempt_lock", 2, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	snprintf(l->status, sizeof(l->status), "%s", PQgetvalue(res, 0, 0));
	l->overdue = is_true(res, 0, 1);
	snprintf(l->started, sizeof(l->started), "%s", PQgetvalue(res, 0, 2));
	l->partial = is_true(res, 0, 3);
	l->cut = atof(PQgetvalue(res, 0, 4));
	snprintf(l->kind, sizeof(l->kind), "%s", PQgetvalue(res, 0, 5));
	l->scaled = !PQgetisnull(res, 0, 6) &&
	    (strcmp(l->kind, "exam_simulation") == 0 ||
	    strcmp(l->kind, "practice_exam") == 0);
	l->lo = atoi(PQgetvalue(res, 0, 6));
	l->pass = atoi(PQgetvalue(res, 0, 7));
	l->hi = atoi(PQgetvalue(res, 0, 8));
	snprintf(l->lesson, sizeof(l->lesson), "%s", PQgetvalue(res, 0, 9));
	snprintf(l->assessment, sizeof(l->assessment), "%s",
	    PQgetvalue(res, 0, 10));
	snprintf(l->org, sizeof(l->org), "%s", PQgetvalue(res, 0, 11));
	l->seconds = atoi(PQgetvalue(res, 0, 12));
	l->preview = is_true(res, 0, 13);
	PQclear(res);
	return 0;
}

/*
 * A passed attempt completes the lesson it belongs to; *fresh when it did
 * just now.
 */
static int
complete_lesson(struct db *db, const char *user, const struct lock *l,
    bool *fresh)
{
	const char *p[3] = {user, l->org, l->lesson};
	PGresult *res;
	char course[37] = "";

	if (l->lesson[0] == '\0')
		return 0;
	if ((res = db_query(db, "attempt_lesson_complete", 3, p)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		snprintf(course, sizeof(course), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	*fresh = course[0] != '\0';
	if (course[0] != '\0') {
		const char *q[2] = {user, course};

		if ((res = db_query(db, "enrollment_refresh", 2, q)) == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}

enum finish_result
attempt_finish(struct db *db, const char *attempt, const char *user,
    bool only_overdue)
{
	struct lock l;
	json_t *domains = json_object();
	double score, max, percent;
	int correct, scaled = 0, rc;
	bool passed, lesson_done = false;
	char s_score[32], s_correct[16], s_percent[16], s_scaled[16];
	char s_seconds[16], *s_domains, *data;
	const char *status;
	PGresult *res;

	if ((rc = lock_attempt(db, attempt, user, &l)) != 0) {
		json_decref(domains);
		return rc > 0 ? FINISH_MISSING : FINISH_ERROR;
	}
	if (strcmp(l.status, "in_progress") != 0) {
		json_decref(domains);
		return FINISH_ALREADY;
	}
	if (only_overdue && !l.overdue) {
		json_decref(domains);
		return FINISH_NOT_DUE;
	}
	if (score_all(db, attempt, &l, &score, &max, &correct, domains) != 0) {
		json_decref(domains);
		return FINISH_ERROR;
	}
	percent = max > 0 ? round(10000.0 * score / max) / 100 : 0;
	passed = percent >= l.cut;
	if (l.scaled)
		scaled = score_scaled(percent, l.cut, l.lo, l.pass, l.hi);
	status = l.overdue ? "expired" : "submitted";
	snprintf(s_score, sizeof(s_score), "%.2f", score);
	snprintf(s_correct, sizeof(s_correct), "%d", correct);
	snprintf(s_percent, sizeof(s_percent), "%.2f", percent);
	snprintf(s_scaled, sizeof(s_scaled), "%d", scaled);
	snprintf(s_seconds, sizeof(s_seconds), "%d", l.seconds < 0 ? 0 :
	    l.seconds);
	s_domains = json_dumps(domains, JSON_COMPACT);
	json_decref(domains);
	{
		const char *p[9] = {attempt, status, s_score, s_correct,
		    s_percent, passed ? "true" : "false",
		    l.scaled ? s_scaled : NULL, s_domains, s_seconds};

		res = db_query(db, "attempt_finish", 9, p);
	}
	free(s_domains);
	if (res == NULL)
		return FINISH_ERROR;
	PQclear(res);
	/*
	 * A preview is scored and kept for its author, but it is no learning:
	 * no lesson completed, no activity, no XP, achievement, streak day,
	 * goal or notification.
	 */
	if (l.preview)
		return FINISH_DONE;
	if (passed && complete_lesson(db, user, &l, &lesson_done) != 0)
		return FINISH_ERROR;
	{
		json_t *d = json_pack("{s:s, s:s, s:f, s:b, s:o}",
		    "assessment_id", l.assessment, "status", status,
		    "percentage", percent, "passed", passed, "scaled_score",
		    l.scaled ? json_integer(scaled) : json_null());

		data = json_dumps(d, JSON_COMPACT);
		json_decref(d);
	}
	{
		const char *p[6] = {l.org, user, strcmp(status, "expired") == 0 ?
		    "assessment.expired" : "assessment.submitted", "attempt",
		    attempt, data};

		res = db_query(db, "activity_insert", 6, p);
	}
	free(data);
	if (res == NULL)
		return FINISH_ERROR;
	PQclear(res);
	{
		struct gamify_event e = {.org = l.org, .user = user,
		    .attempt = attempt, .percent = percent,
		    .lesson = lesson_done ? l.lesson : NULL};

		if (gamify_record(db, &e) != 0)
			return FINISH_ERROR;
	}
	/* Wrong answers become flashcards, if the learner asked for that. */
	if (flashcards_from_attempt(db, l.org, user, attempt) != 0)
		return FINISH_ERROR;
	return FINISH_DONE;
}

struct overdue {
	const char *attempt, *user;
	enum finish_result result;
};

static int
overdue_tx(struct db *db, void *arg)
{
	struct overdue *o = arg;

	o->result = attempt_finish(db, o->attempt, o->user, true);
	return o->result == FINISH_ERROR ? -1 : 0;
}

int
attempt_finish_overdue(struct db *db)
{
	PGresult *res = db_query(db, "attempts_overdue", 0, NULL);
	int done = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct overdue o = {PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    FINISH_ERROR};

		if (db_tx(db, DB_READ_COMMITTED, overdue_tx, &o) == DB_OK &&
		    o.result == FINISH_DONE)
			done++;
	}
	PQclear(res);
	return done;
}
