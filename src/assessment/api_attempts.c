/*
 * api_attempts.c - taking an assessment: start (the server draws and
 * freezes the questions), read, answer (autosave, flag, change), submit,
 * and my history with its trends by domain.
 *
 * The learner sees options under labels (score.h) and never a correct
 * answer or an explanation before the attempt is over, except, with
 * immediate feedback, for a question already answered for good.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/api.h"
#include "assessment/attempt.h"
#include "assessment/score.h"
#include "content/rules.h"
#include "core/util.h"
#include "http/api.h"

/* A number in 0..n-1 without bias. */
static unsigned
rnd(unsigned n)
{
	unsigned x, limit;

	if (n <= 1)
		return 0;
	limit = 0xffffffffu - 0xffffffffu % n;
	do
		util_random(&x, sizeof(x));
	while (x >= limit);
	return x % n;
}

static bool
yes(const PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

/* One question of an attempt (a row of attempt_items) for the learner. */
static json_t *
item_json(const PGresult *res, int i, bool finished)
{
	const char *type = PQgetvalue(res, i, 2);
	bool reveal = finished || yes(res, i, 12);
	json_t *body = json_loads(PQgetvalue(res, i, 5), 0, NULL);
	json_t *layout = json_loads(PQgetvalue(res, i, 6), 0, NULL);
	json_t *answer = PQgetisnull(res, i, 7) ? NULL :
	    json_loads(PQgetvalue(res, i, 7), 0, NULL);
	json_t *item = json_pack("{s:i, s:s, s:s, s:s, s:f, s:b, s:b, s:i}",
	    "position", atoi(PQgetvalue(res, i, 0)), "question_id",
	    PQgetvalue(res, i, 1), "type", type, "stem", PQgetvalue(res, i, 3),
	    "points", atof(PQgetvalue(res, i, 9)), "flagged", yes(res, i, 8),
	    "answered", answer != NULL, "time_spent_seconds",
	    atoi(PQgetvalue(res, i, 14)));
	json_t *view = score_view(type, body, layout, answer, reveal);

	json_object_update(item, view);
	json_decref(view);
	if (reveal) {
		json_object_set_new(item, "explanation", PQgetisnull(res, i, 4) ?
		    json_null() : json_string(PQgetvalue(res, i, 4)));
		json_object_set_new(item, "domain", PQgetisnull(res, i, 13) ?
		    json_null() : json_string(PQgetvalue(res, i, 13)));
		json_object_set_new(item, "credit", PQgetisnull(res, i, 10) ?
		    json_null() : json_real(atof(PQgetvalue(res, i, 10))));
		json_object_set_new(item, "correct", PQgetisnull(res, i, 11) ?
		    json_null() : json_boolean(yes(res, i, 11)));
	}
	json_decref(body);
	json_decref(layout);
	json_decref(answer);
	return item;
}

/*
 * The attempt as its learner sees it, in the arena; NULL (with *missing)
 * when it is not theirs.  An attempt whose time is up is finished first.
 */
static int
attempt_doc(struct db *db, struct req *r, const char *id, char **out)
{
	const char *p[2] = {id, r->user->user_id};
	PGresult *res, *items;
	json_t *doc, *list;
	bool finished;
	char started[64];
	char *s;

	*out = NULL;
	for (int pass = 0;; pass++) {
		if ((res = db_query(db, "attempt_head", 2, p)) == NULL)
			return -1;
		if (PQntuples(res) == 0) {
			PQclear(res);
			return 0;
		}
		if (pass > 0 || !yes(res, 0, 1))
			break;
		PQclear(res);
		if (attempt_finish(db, id, r->user->user_id, true) ==
		    FINISH_ERROR)
			return -1;
	}
	doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	finished = strcmp(PQgetvalue(res, 0, 2), "in_progress") != 0;
	snprintf(started, sizeof(started), "%s", PQgetvalue(res, 0, 3));
	PQclear(res);
	{
		const char *q[2] = {id, started};

		if ((items = db_query(db, "attempt_items", 2, q)) == NULL) {
			json_decref(doc);
			return -1;
		}
	}
	list = json_array();
	for (int i = 0; i < PQntuples(items); i++)
		json_array_append_new(list, item_json(items, i, finished));
	PQclear(items);
	json_object_set_new(doc, "questions", list);
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	*out = arena_strdup(r->arena, s);
	free(s);
	return 0;
}

/* ---- start ------------------------------------------------------------- */

struct pick {
	char id[37];
	char points[16];
	char type[24];
	json_t *body;
};

struct start {
	struct req *r;
	const char *assessment;
	struct pick *picks;
	size_t n, cap;
	bool resumed;
	bool refused;        /* answered with a problem, and committed */
	char id[37];
	char *json;
};

/*
 * Refuses the start; when an overdue attempt was finished on the way,
 * that is kept (committed) all the same.
 */
static int
refuse(struct start *s, bool finished, const char *code, const char *detail)
{
	resp_problem(s->r, 409, code, "%s", detail);
	s->refused = true;
	return finished ? 0 : 1;
}

static void
picks_free(struct start *s)
{
	for (size_t i = 0; i < s->n; i++)
		json_decref(s->picks[i].body);
	free(s->picks);
	s->picks = NULL;
	s->n = s->cap = 0;
}

/* Adds the rows of a pick query (id, points, type, body). */
static void
add_picks(struct start *s, const PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++) {
		struct pick *k;

		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->picks = xrealloc(s->picks, s->cap * sizeof(*s->picks));
		}
		k = &s->picks[s->n++];
		snprintf(k->id, sizeof(k->id), "%s", PQgetvalue(res, i, 0));
		snprintf(k->points, sizeof(k->points), "%s",
		    PQgetvalue(res, i, 1));
		snprintf(k->type, sizeof(k->type), "%s", PQgetvalue(res, i, 2));
		k->body = json_loads(PQgetvalue(res, i, 3), 0, NULL);
	}
}

/* "{a,b}" of a rules list (checked codes or tags), or NULL when empty. */
static const char *
literal(struct req *r, const json_t *list)
{
	return json_array_size(list) ? db_text_array(r->arena, list, NULL) :
	    NULL;
}

static const char *
picked(struct start *s)
{
	json_t *ids = json_array();
	const char *out;

	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(ids, json_string(s->picks[i].id));
	out = db_text_array(s->r->arena, ids, NULL);
	json_decref(ids);
	return out;
}

/* Draws count questions by the rules: 0, or -1. */
static int
draw(struct db *db, struct start *s, const char *exam, const json_t *rules,
    int count)
{
	struct principal *u = s->r->user;
	const json_t *domains = json_object_get(rules, "domains");
	const json_t *diff = json_object_get(rules, "difficulty");
	char lo[4], hi[4], k[16];
	const char *codes[32];
	double weights[32];
	int counts[32], n = 0;
	PGresult *res;
	size_t i;
	json_t *d;

	snprintf(lo, sizeof(lo), "%d", diff ? (int)json_integer_value(
	    json_object_get(diff, "min")) : 1);
	snprintf(hi, sizeof(hi), "%d", diff ? (int)json_integer_value(
	    json_object_get(diff, "max")) : 5);
	if (json_array_size(domains) > 0) {
		json_array_foreach(domains, i, d) {
			if (n == 32)
				break;
			codes[n] = arena_strdup(s->r->arena, json_string_value(
			    json_object_get(d, "code")));
			counts[n] = (int)json_integer_value(json_object_get(d,
			    "count"));
			weights[n] = json_number_value(json_object_get(d,
			    "weight"));
			n++;
		}
		if (json_object_get(json_array_get(domains, 0), "weight"))
			score_apportion(weights, n, count, counts);
	} else if (json_array_size(json_object_get(rules, "objectives")) == 0) {
		/* No domains named: the exam's own weights. */
		const char *p[1] = {exam};

		if ((res = db_query(db, "exam_weights", 1, p)) == NULL)
			return -1;
		for (int r = 0; r < PQntuples(res) && n < 32; r++, n++) {
			codes[n] = arena_strdup(s->r->arena, PQgetvalue(res, r,
			    0));
			weights[n] = atof(PQgetvalue(res, r, 1));
		}
		PQclear(res);
		score_apportion(weights, n, count, counts);
	}
	for (int b = 0; b <= n; b++) {
		/* Each domain its share; then whatever is short, from any. */
		int want = b < n ? counts[b] : count - (int)s->n;
		const char *p[9];

		if (want <= 0)
			continue;
		snprintf(k, sizeof(k), "%d", want);
		p[0] = u->org_id;
		p[1] = exam;
		p[2] = b < n ? codes[b] : NULL;
		p[3] = k;
		p[4] = lo;
		p[5] = hi;
		p[6] = literal(s->r, json_object_get(rules, "objectives"));
		p[7] = literal(s->r, json_object_get(rules, "tags"));
		p[8] = picked(s);
		if ((res = db_query(db, "pick_rules", 9, p)) == NULL)
			return -1;
		add_picks(s, res);
		PQclear(res);
	}
	return 0;
}

static int
start_tx(struct db *db, void *arg)
{
	struct start *s = arg;
	struct principal *u = s->r->user;
	const char *p[4] = {s->assessment, u->org_id, u->user_id,
	    api_may(s->r, PERM_CONTENT_ALL)};
	char kind[32], exam[37], sel[8], limit[16], pass[16], fb[16];
	char number[24], count[24], max[32];
	bool has_exam, shuffle_q, shuffle_o, partial, has_limit, preview;
	json_t *rules, *list;
	PGresult *res;
	double total = 0;
	bool finished = false;
	int want;

	picks_free(s);
	s->resumed = s->refused = false;
	{
		const char *q[2] = {u->user_id, s->assessment};

		if ((res = db_query(db, "attempt_turn", 2, q)) == NULL)
			return -1;
		PQclear(res);
	}
	if ((res = db_query(db, "attempt_plan", 4, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_problem(s->r, 404, "not-found", "There is no such "
		    "assessment.");
		return 1;
	}
	if (!PQgetisnull(res, 0, 15)) {
		bool overdue = yes(res, 0, 16);

		snprintf(s->id, sizeof(s->id), "%s", PQgetvalue(res, 0, 15));
		if (!overdue) {
			/* One attempt at a time: carry on with it. */
			PQclear(res);
			s->resumed = true;
			return attempt_doc(db, s->r, s->id, &s->json);
		}
		PQclear(res);
		if (attempt_finish(db, s->id, u->user_id, true) == FINISH_ERROR)
			return -1;
		finished = true;
		if ((res = db_query(db, "attempt_plan", 4, p)) == NULL)
			return -1;
	}
	if (!yes(res, 0, 13)) {
		PQclear(res);
		return refuse(s, finished, "not-open", "This assessment is not "
		    "open now.");
	}
	if (!PQgetisnull(res, 0, 11) && atol(PQgetvalue(res, 0, 14)) >=
	    atol(PQgetvalue(res, 0, 11))) {
		PQclear(res);
		return refuse(s, finished, "no-attempts-left", "You have used "
		    "every attempt this assessment allows.");
	}
	snprintf(kind, sizeof(kind), "%s", PQgetvalue(res, 0, 0));
	has_exam = !PQgetisnull(res, 0, 1);
	snprintf(exam, sizeof(exam), "%s", PQgetvalue(res, 0, 1));
	snprintf(sel, sizeof(sel), "%s", PQgetvalue(res, 0, 2));
	rules = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	want = atoi(PQgetvalue(res, 0, 4));
	shuffle_q = yes(res, 0, 5);
	shuffle_o = yes(res, 0, 6);
	has_limit = !PQgetisnull(res, 0, 7);
	snprintf(limit, sizeof(limit), "%s", PQgetvalue(res, 0, 7));
	snprintf(pass, sizeof(pass), "%s", PQgetvalue(res, 0, 8));
	snprintf(fb, sizeof(fb), "%s", PQgetvalue(res, 0, 9));
	partial = yes(res, 0, 10);
	snprintf(number, sizeof(number), "%ld", atol(PQgetvalue(res, 0, 14)) +
	    1);
	PQclear(res);

	if (strcmp(sel, "fixed") == 0) {
		const char *q[1] = {s->assessment};

		if ((res = db_query(db, "pick_fixed", 1, q)) == NULL) {
			json_decref(rules);
			return -1;
		}
		add_picks(s, res);
		PQclear(res);
	} else if (has_exam && draw(db, s, exam, rules, want) != 0) {
		json_decref(rules);
		return -1;
	}
	json_decref(rules);
	if (s->n == 0)
		return refuse(s, finished, "no-questions", "This assessment "
		    "has no active questions to ask.");
	if (shuffle_q)
		for (size_t i = s->n; i > 1; i--) {
			size_t j = rnd((unsigned)i);
			struct pick t = s->picks[i - 1];

			s->picks[i - 1] = s->picks[j];
			s->picks[j] = t;
		}
	list = json_array();
	for (size_t i = 0; i < s->n; i++) {
		struct pick *k = &s->picks[i];

		total += atof(k->points);
		json_array_append_new(list, json_pack("{s:s, s:i, s:s, s:o}",
		    "question_id", k->id, "position", (int)i + 1, "points",
		    k->points, "layout", score_layout(k->type, k->body,
		    shuffle_o, rnd)));
	}
	snprintf(count, sizeof(count), "%zu", s->n);
	snprintf(max, sizeof(max), "%.2f", total);
	{
		const char *q[12] = {u->org_id, u->user_id, s->assessment,
		    number, has_limit ? limit : NULL, kind, has_exam ? exam :
		    NULL, pass, fb, partial ? "true" : "false", count, max};
		char started[64], *items;

		if ((res = db_query(db, "attempt_insert", 12, q)) == NULL) {
			json_decref(list);
			return -1;
		}
		snprintf(s->id, sizeof(s->id), "%s", PQgetvalue(res, 0, 0));
		snprintf(started, sizeof(started), "%s", PQgetvalue(res, 0, 1));
		preview = yes(res, 0, 2);
		PQclear(res);
		items = json_dumps(list, JSON_COMPACT);
		json_decref(list);
		{
			const char *a[5] = {s->id, started, u->user_id,
			    u->org_id, items};

			res = db_query(db, "attempt_answers_insert", 5, a);
		}
		free(items);
		if (res == NULL)
			return -1;
		PQclear(res);
	}
	if (!preview) {	/* an author's preview is no learning activity */
		const char *a[6] = {u->org_id, u->user_id, "assessment.started",
		    "attempt", s->id, NULL};

		if ((res = db_query(db, "activity_insert", 6, a)) == NULL)
			return -1;
		PQclear(res);
	}
	return attempt_doc(db, s->r, s->id, &s->json);
}

void
attempt_start(struct req *r)
{
	struct start s = {.r = r};
	struct db *db;

	if ((s.assessment = api_path_id(r, "id", "assessment")) == NULL)
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    start_tx, &s) && !s.refused) {
		if (!s.resumed)
			resp_header(r, "Location", arena_printf(r->arena,
			    "/api/v1/attempts/%s", s.id));
		resp_raw_json(r, s.resumed ? 200 : 201, s.json);
	}
	picks_free(&s);
}

/* ---- read, answer, submit -------------------------------------------- */

struct one {
	struct req *r;
	const char *id;
	const char *question;
	char *json;
	/* answer */
	bool given;          /* "answer" is in the body */
	const json_t *answer;
	const char *flagged;
	char seconds[24];
	bool late;
};

static int
get_tx(struct db *db, void *arg)
{
	struct one *o = arg;

	return attempt_doc(db, o->r, o->id, &o->json);
}

static void
answer_doc(struct req *r, struct one *o)
{
	if (o->json == NULL)
		resp_problem(r, 404, "not-found", "There is no such attempt.");
	else
		resp_raw_json(r, 200, o->json);
}

void
attempt_get(struct req *r)
{
	struct one o = {.r = r};
	struct db *db;

	if ((o.id = api_path_id(r, "id", "attempt")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, get_tx, &o))
		return;
	answer_doc(r, &o);
}

static int
save_tx(struct db *db, void *arg)
{
	struct one *o = arg;
	struct principal *u = o->r->user;
	const char *p[2] = {o->id, u->user_id};
	char started[64], credit[16] = "0";
	bool immediate, partial, lock = false;
	json_t *body, *layout, *stored = NULL;
	const char *type, *why = NULL;
	PGresult *res;

	if ((res = db_query(db, "attempt_share", 2, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_problem(o->r, 404, "not-found", "There is no such "
		    "attempt.");
		return 1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "in_progress") != 0) {
		PQclear(res);
		resp_problem(o->r, 409, "attempt-finished", "This attempt is "
		    "over; answers can no longer change.");
		return 1;
	}
	if (yes(res, 0, 1)) {
		PQclear(res);
		o->late = true;
		resp_problem(o->r, 409, "time-up", "The time for this attempt "
		    "is up; the answer was not saved.");
		return 1;
	}
	snprintf(started, sizeof(started), "%s", PQgetvalue(res, 0, 2));
	immediate = strcmp(PQgetvalue(res, 0, 3), "immediate") == 0;
	partial = yes(res, 0, 4);
	PQclear(res);
	{
		const char *q[3] = {o->id, started, o->question};

		if ((res = db_query(db, "answer_row", 3, q)) == NULL)
			return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_problem(o->r, 404, "not-found", "That question is not "
		    "part of this attempt.");
		return 1;
	}
	if (yes(res, 0, 12) && o->given) {
		PQclear(res);
		resp_problem(o->r, 409, "answer-final", "This answer was "
		    "checked already and cannot change.");
		return 1;
	}
	type = PQgetvalue(res, 0, 2);
	body = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	layout = json_loads(PQgetvalue(res, 0, 6), 0, NULL);
	if (o->given && !json_is_null(o->answer) &&
	    (stored = score_answer_in(type, body, layout, o->answer, &why)) ==
	    NULL) {
		json_decref(body);
		json_decref(layout);
		PQclear(res);
		api_field_error(o->r, "answer", why);
		return 1;
	}
	if (immediate && stored != NULL) {
		lock = true;
		snprintf(credit, sizeof(credit), "%.5f", score_credit(type, body,
		    stored, partial));
	}
	json_decref(body);
	json_decref(layout);
	PQclear(res);
	{
		char *a = stored ? json_dumps(stored, JSON_COMPACT) : NULL;
		const char *q[9] = {o->id, started, o->question, o->given ?
		    "true" : "false", a, o->flagged, o->seconds, lock ? "true" :
		    "false", credit};

		res = db_query(db, "answer_save", 9, q);
		free(a);
		json_decref(stored);
		if (res == NULL)
			return -1;
		PQclear(res);
	}
	{
		const char *q[3] = {o->id, started, o->question};
		json_t *item;

		if ((res = db_query(db, "answer_row", 3, q)) == NULL)
			return -1;
		item = item_json(res, 0, false);
		PQclear(res);
		o->json = json_dumps(item, JSON_COMPACT);
		json_decref(item);
	}
	return 0;
}

struct late {
	const char *id, *user;
};

static int
late_tx(struct db *db, void *arg)
{
	struct late *l = arg;

	return attempt_finish(db, l->id, l->user, true) == FINISH_ERROR ? -1 :
	    0;
}

void
attempt_answer(struct req *r)
{
	struct one o = {.r = r};
	struct input in;
	struct db *db;
	long secs = 0;
	int flag;

	if ((o.id = api_path_id(r, "id", "attempt")) == NULL ||
	    (o.question = api_path_id(r, "question_id", "question")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, (const char *const[]){"answer", "flagged",
	    "time_spent_seconds", NULL});
	o.given = input_has(&in, "answer");
	o.answer = in.body ? json_object_get(in.body, "answer") : NULL;
	if (o.given && !json_is_null(o.answer) && !json_is_object(o.answer))
		input_error(&in, "answer", "must be an object (see the "
		    "question's type) or null to clear it");
	flag = input_bool(&in, "flagged", 0);
	o.flagged = flag == 1 ? "true" : flag == 0 ? "false" : NULL;
	input_int(&in, "time_spent_seconds", 0, 0, 3600, &secs);
	snprintf(o.seconds, sizeof(o.seconds), "%ld", secs);
	if (in.body != NULL && !o.given && o.flagged == NULL &&
	    !input_has(&in, "time_spent_seconds"))
		input_error(&in, "answer", "give an answer, flagged or "
		    "time_spent_seconds");
	if (!input_end(&in) || (db = api_db(r)) == NULL)
		return;
	if (api_tx(r, db, DB_READ_COMMITTED, save_tx, &o)) {
		resp_raw_json(r, 200, o.json);
	} else if (o.late) {
		/* The answer came too late: the attempt ends here. */
		struct late l = {o.id, r->user->user_id};

		(void)db_tx(db, DB_READ_COMMITTED, late_tx, &l);
	}
	free(o.json);
}

static int
submit_tx(struct db *db, void *arg)
{
	struct one *o = arg;

	switch (attempt_finish(db, o->id, o->r->user->user_id, false)) {
	case FINISH_MISSING:
		resp_problem(o->r, 404, "not-found", "There is no such "
		    "attempt.");
		return 1;
	case FINISH_ALREADY:
		resp_problem(o->r, 409, "already-submitted", "This attempt "
		    "was submitted already; only the first submit counts.");
		return 1;
	case FINISH_ERROR:
		return -1;
	default:
		return attempt_doc(db, o->r, o->id, &o->json);
	}
}

void
attempt_submit(struct req *r)
{
	struct one o = {.r = r};
	struct db *db;

	if ((o.id = api_path_id(r, "id", "attempt")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, submit_tx, &o))
		return;
	answer_doc(r, &o);
}

/* ---- history ------------------------------------------------------------ */

void
my_attempts(struct req *r)
{
	const char *p[6];
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->user_id;
	p[1] = r->user->org_id;
	p[2] = req_query(r, "assessment");
	if (p[2] != NULL && !api_is_uuid(p[2]))
		input_error(&in, "assessment", "must be an assessment id");
	p[3] = input_query(&in, "exam", content_exam_code);
	p[4] = req_query(r, "after");
	if (p[4] != NULL && !api_is_uuid(p[4]))
		input_error(&in, "after", "must be an attempt id");
	if (!input_end(&in) || (limit = api_limit(r, 20, 100)) < 0)
		return;
	p[5] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "my_attempts", 6, p, "Nothing is there.");
}

void
my_trends(struct req *r)
{
	const char *p[3] = {r->user->user_id, r->user->org_id,
	    req_query(r, "exam")};

	if (p[2] != NULL && content_exam_code(p[2]) != NULL) {
		api_field_error(r, "exam", content_exam_code(p[2]));
		return;
	}
	api_doc(r, "my_trends", 3, p, "Nothing is there.");
}
