/*
 * api_stats.c - a learner's flashcard statistics and what a desired
 * retention would cost them (the workload simulator, workload.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "content/rules.h"
#include "core/perm.h"
#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/workload.h"
#include "http/api.h"

/* Cards the simulator follows at most; a larger deck is sampled. */
#define SIM_CARDS 5000

struct st {
	struct req *r;
	const char *deck;
	int days;
	char *json;
};

/* 0 when deck is null or one the caller studies; 1 after a 404; -1. */
static int
deck_known(struct db *db, struct st *t)
{
	const char *p[3] = {t->deck, t->r->user->user_id,
	    api_may(t->r, PERM_CONTENT_ALL)};
	PGresult *res;
	int n;

	if (t->deck == NULL)
		return 0;
	if ((res = db_query(db, "fc_deck_get", 3, p)) == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	if (n != 1) {
		resp_problem(t->r, 404, "not-found", "There is no such deck.");
		return 1;
	}
	return 0;
}

/* Buckets of a histogram: edges[i] <= x < edges[i + 1]. */
static json_t *
histogram(const double *x, size_t n, const double *edges, int nb,
    const char *const *labels)
{
	json_t *a = json_array();

	for (int b = 0; b < nb; b++) {
		size_t count = 0;

		for (size_t i = 0; i < n; i++)
			count += x[i] >= edges[b] && x[i] < edges[b + 1];
		json_array_append_new(a, json_pack("{s:s, s:I}", "label",
		    labels[b], "cards", (json_int_t)count));
	}
	return a;
}

/* Difficulty, stability and recall now of every card I have learned. */
static json_t *
memory(const PGresult *res, const struct learner_settings *ls)
{
	static const double d_edges[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10.01};
	static const char *const d_labels[] = {"1", "2", "3", "4", "5", "6",
	    "7", "8", "9", "10"};
	static const double s_edges[] = {0, 1, 7, 30, 90, 365, 1e9};
	static const char *const s_labels[] = {"under a day", "1-7 days",
	    "1-4 weeks", "1-3 months", "3-12 months", "a year or more"};
	static const double r_edges[] = {0, .5, .7, .8, .85, .9, .95, 1.01};
	static const char *const r_labels[] = {"under 50 %", "50-70 %",
	    "70-80 %", "80-85 %", "85-90 %", "90-95 %", "95-100 %"};
	size_t n = (size_t)PQntuples(res);
	double *d = calloc(n + 1, sizeof(*d)), *s = calloc(n + 1, sizeof(*s));
	double *rr = calloc(n + 1, sizeof(*rr)), sum = 0;
	json_t *weak = json_array(), *out;
	size_t *order = calloc(n + 1, sizeof(*order));

	if (d == NULL || s == NULL || rr == NULL || order == NULL) {
		free(d);
		free(s);
		free(rr);
		free(order);
		json_decref(weak);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct fsrs_card c;

		card_read(res, (int)i, 1, &c);
		d[i] = c.difficulty;
		s[i] = c.stability;
		rr[i] = fsrs_retrievability(&ls->fsrs, &c, ls->now);
		sum += rr[i];
		order[i] = i;
	}
	/* The ten cards I am likeliest to have forgotten. */
	for (size_t k = 0; k < n && k < 10; k++) {
		size_t m = k;

		for (size_t i = k + 1; i < n; i++)
			if (rr[order[i]] < rr[order[m]])
				m = i;
		size_t tmp = order[k];
		order[k] = order[m];
		order[m] = tmp;
		json_array_append_new(weak, json_pack("{s:s, s:s, s:f, s:f, "
		    "s:f}", "card_id", PQgetvalue(res, (int)order[k], 0),
		    "front", PQgetvalue(res, (int)order[k], 9), "retrievability",
		    rr[order[k]], "stability", s[order[k]], "difficulty",
		    d[order[k]]));
	}
	out = json_pack("{s:I, s:f, s:o, s:o, s:o, s:o}", "cards",
	    (json_int_t)n, "average_retrievability", n ? sum / (double)n : 0.0,
	    "difficulty", histogram(d, n, d_edges, 10, d_labels), "stability",
	    histogram(s, n, s_edges, 6, s_labels), "retrievability",
	    histogram(rr, n, r_edges, 7, r_labels), "weakest", weak);
	free(d);
	free(s);
	free(rr);
	free(order);
	return out;
}

static int
memory_rows(struct db *db, struct st *t, PGresult **res)
{
	const char *p[2] = {t->r->user->user_id, t->deck};

	return (*res = db_query(db, "fc_memory", 2, p)) == NULL ? -1 : 0;
}

static int
stats_tx(struct db *db, void *arg)
{
	struct st *t = arg;
	struct learner_settings ls;
	const char *p[2] = {t->r->user->user_id, t->deck};
	PGresult *res;
	json_t *doc, *mem;
	int rc;

	if ((rc = deck_known(db, t)) != 0 ||
	    (rc = settings_load(db, t->r, &ls, NULL)) != 0)
		return rc;
	if ((res = db_query(db, "fc_stats", 2, p)) == NULL)
		return -1;
	doc = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (doc == NULL || memory_rows(db, t, &res) != 0) {
		json_decref(doc);
		return -1;
	}
	mem = memory(res, &ls);
	PQclear(res);
	if (mem == NULL) {
		json_decref(doc);
		return -1;
	}
	json_object_set_new(doc, "memory", mem);
	return card_answer(t->r, &t->json, doc, JSON_REAL_PRECISION(6));
}

static void
run(struct req *r, db_tx_fn fn, bool days)
{
	struct st t = {.r = r, .days = 365};
	struct input in;
	struct db *db;
	const char *v;

	input_query_begin(&in, r);
	t.deck = input_query(&in, "deck", content_uuid);
	if (days && (v = req_query(r, "days")) != NULL) {
		char *end;
		long n = strtol(v, &end, 10);

		if (*end != '\0' || end == v || n < 7 || n > 730)
			input_error(&in, "days", "must be a whole number from "
			    "7 to 730");
		else
			t.days = (int)n;
	}
	if (input_end(&in) && (db = api_db(r)) != NULL && api_tx(r, db,
	    DB_READ_COMMITTED, fn, &t))
		resp_raw_json(r, 200, t.json);
}

void
fc_stats(struct req *r)
{
	run(r, stats_tx, false);
}

/* The seconds a kind of review takes me: mine, or a fair guess. */
static double
seconds(const PGresult *res, int col, double guess)
{
	return PQgetisnull(res, 0, col) ? guess :
	    strtod(PQgetvalue(res, 0, col), NULL);
}

static int
workload_tx(struct db *db, void *arg)
{
	static const double retentions[] = {0.70, 0.75, 0.80, 0.85, 0.90,
	    0.93, 0.95, 0.97, 0.99};
	struct st *t = arg;
	struct learner_settings ls;
	struct workload_input in = {0};
	struct workload_card *cards;
	const char *p[4] = {t->r->user->user_id, t->deck, NULL, NULL};
	PGresult *res;
	json_t *list;
	size_t n, step;
	double scale;
	int rc;
	char now[32];

	if ((rc = deck_known(db, t)) != 0 ||
	    (rc = settings_load(db, t->r, &ls, NULL)) != 0)
		return rc;
	if ((res = db_query(db, "fc_durations", 1, p)) == NULL)
		return -1;
	in.seconds_pass = seconds(res, 0, 8);
	in.seconds_fail = seconds(res, 1, 20);
	in.seconds_new = seconds(res, 2, 15);
	PQclear(res);
	card_time(ls.now, now);
	p[2] = now;
	p[3] = ls.day_end;
	if ((res = db_query(db, "fc_counts", 4, p)) == NULL)
		return -1;
	in.new_cards = atoi(PQgetvalue(res, 0, 2));
	PQclear(res);
	if (memory_rows(db, t, &res) != 0)
		return -1;
	n = (size_t)PQntuples(res);
	step = n > SIM_CARDS ? (n + SIM_CARDS - 1) / SIM_CARDS : 1;
	cards = arena_alloc(t->r->arena, sizeof(*cards) * (n / step + 1));
	in.n_cards = 0;
	for (size_t i = 0; i < n; i += step) {
		struct fsrs_card c;

		card_read(res, (int)i, 1, &c);
		/* A card still in its steps counts as learned a day ago. */
		if (c.state != FSRS_REVIEW) {
			c.stability = c.stability > 0 ? c.stability : 1;
			c.due = ls.now + 86400;
			c.last_review = ls.now;
		}
		cards[in.n_cards].stability = c.stability;
		cards[in.n_cards].difficulty = c.difficulty > 0 ? c.difficulty :
		    5;
		cards[in.n_cards].since = (double)(ls.now - c.last_review) /
		    86400;
		cards[in.n_cards].until = (double)(c.due - ls.now) / 86400;
		in.n_cards++;
	}
	PQclear(res);
	scale = in.n_cards ? (double)n / (double)in.n_cards : 1;
	in.cards = cards;
	in.new_per_day = ls.new_per_day;
	in.days = t->days;
	in.seed = 7;
	list = json_array();
	for (size_t i = 0; i < sizeof(retentions) / sizeof(retentions[0]);
	    i++) {
		struct fsrs_settings s = ls.fsrs;
		struct workload_result w;

		s.desired_retention = retentions[i];
		if (workload_simulate(&s, &in, &w) != 0) {
			json_decref(list);
			return -1;
		}
		json_array_append_new(list, json_pack("{s:f, s:f, s:f, s:f}",
		    "desired_retention", retentions[i], "minutes_per_day",
		    round(w.seconds_per_day * scale / 6) / 10, "reviews_per_day",
		    round(w.reviews_per_day * scale * 10) / 10, "memorized",
		    round(w.memorized * scale)));
	}
	return card_answer(t->r, &t->json, json_pack("{s:i, s:f, s:I, s:I, "
	    "s:{s:f, s:f, s:f}, s:o}", "days", t->days, "desired_retention",
	    ls.fsrs.desired_retention, "cards", (json_int_t)n, "new_cards",
	    (json_int_t)in.new_cards, "seconds", "pass", in.seconds_pass,
	    "fail", in.seconds_fail, "new", in.seconds_new, "retentions",
	    list), JSON_REAL_PRECISION(6));
}

void
fc_workload(struct req *r)
{
	run(r, workload_tx, true);
}
