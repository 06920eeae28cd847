/*
 * api_review.c - reviewing: the queue, a review and its undo, a card's
 * page, suspend, bury and reset, and the learner's settings.
 *
 * A review is one transaction: the card's state is locked, the scheduler
 * (fsrs.c) computes the next one, load balancing picks the day, the log
 * gets its row, the siblings are buried, and the review counts as study
 * (gamify_record).  Everything is about the caller's own memory: a card
 * of a deck they do not study is not there (404).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/rules.h"
#include "core/perm.h"
#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/jobs.h"
#include "gamify/engine.h"
#include "http/api.h"
#include "http/auth.h"

#define QUEUE_MAX 200

struct rv {
	struct req *r;
	const char *card;
	const char *deck;
	int limit;
	int rating;
	const char *reviewed_at;	/* as given; NULL: now */
	long duration_ms;
	int flag;			/* suspend or bury: 1 on, 0 off */
	const char **params;		/* a settings change */
	char *json;
	/* the card, from fc_card_access */
	char kind[16];
	char *front, *back, *note;
	char card_deck[37];
	int ordinal;
	bool has_retention;
	double retention;
	bool fuzz;
};

static int
run(struct db *db, const char *name, int n, const char *const *p)
{
	PGresult *res = db_query(db, name, n, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* doc (taken over) as v's answer; 0, or -1. */
static int
answer(struct rv *v, json_t *doc, size_t flags)
{
	return card_answer(v->r, &v->json, doc, flags);
}

/* The card as the caller may review it: 0, 1 after a 404, -1. */
static int
card_open(struct db *db, struct rv *v)
{
	const char *p[3] = {v->card, v->r->user->user_id,
	    api_may(v->r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, "fc_card_access", 3, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0) ||
	    strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		PQclear(res);
		resp_problem(v->r, 404, "not-found", "There is no such card.");
		return 1;
	}
	snprintf(v->kind, sizeof(v->kind), "%s", PQgetvalue(res, 0, 2));
	v->front = arena_strdup(v->r->arena, PQgetvalue(res, 0, 3));
	v->back = arena_strdup(v->r->arena, PQgetvalue(res, 0, 4));
	v->ordinal = atoi(PQgetvalue(res, 0, 5));
	v->note = arena_strdup(v->r->arena, PQgetvalue(res, 0, 6));
	snprintf(v->card_deck, sizeof(v->card_deck), "%s", PQgetvalue(res, 0,
	    7));
	v->has_retention = !PQgetisnull(res, 0, 8);
	v->retention = v->has_retention ? strtod(PQgetvalue(res, 0, 8),
	    NULL) : 0;
	v->fuzz = strcmp(PQgetvalue(res, 0, 9), "t") == 0;
	PQclear(res);
	return 0;
}

/* The learner's settings for v's card. */
static void
card_settings(const struct rv *v, const struct learner_settings *ls,
    struct fsrs_settings *s)
{
	*s = ls->fsrs;
	if (v->has_retention)
		s->desired_retention = v->retention;
	s->fuzz = v->fuzz;
}

/* A card state as the API shows it, with its recall probability now. */
static json_t *
state_json(const char *card, const struct fsrs_settings *s,
    const struct fsrs_card *c, long long now, bool suspended,
    const char *buried_until)
{
	char due[32], last[32];

	card_time(c->due, due);
	card_time(c->last_review, last);
	/* Four decimals, as fc_card_state shows them. */
	return json_pack("{s:s, s:s, s:i, s:f, s:f, s:s, s:s?, s:i, s:i, "
	    "s:f, s:b, s:s?}", "card_id", card, "state",
	    card_state_name(c->state), "step", c->step, "stability",
	    round(c->stability * 1e4) / 1e4, "difficulty",
	    round(c->difficulty * 1e4) / 1e4, "due", due, "last_review",
	    c->last_review ? last : NULL, "reps", c->reps, "lapses", c->lapses,
	    "retrievability", round(fsrs_retrievability(s, c, now) * 1e4) /
	    1e4, "suspended", suspended, "buried_until", buried_until);
}

/* ---- the queue --------------------------------------------------------- */

static int
today(struct db *db, struct rv *v, const struct learner_settings *ls,
    long done[4])
{
	const char *p[3] = {v->r->user->user_id, ls->day_start, ls->day_end};
	PGresult *res = db_query(db, "fc_today", 3, p);

	if (res == NULL)
		return -1;
	for (int i = 0; i < 4; i++)
		done[i] = atol(PQgetvalue(res, 0, i));
	PQclear(res);
	return 0;
}

static json_t *
queue_card(PGresult *res, int i, const struct learner_settings *ls)
{
	static const char *const queues[] = {"learning", "review", "new"};
	struct fsrs_settings s;
	struct fsrs_card c;
	const char *id = PQgetvalue(res, i, 1);
	json_t *o;

	settings_for_deck(ls, res, i, 17, &s);
	card_read(res, i, 9, &c);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "id", id,
	    "note_id", PQgetvalue(res, i, 2), "deck_id", PQgetvalue(res, i, 3),
	    "deck_title", PQgetvalue(res, i, 4), "kind", PQgetvalue(res, i, 5),
	    "ordinal", atoi(PQgetvalue(res, i, 8)), "queue",
	    queues[atoi(PQgetvalue(res, i, 0)) % 3]);
	json_object_set_new(o, "tags", json_loads(PQgetvalue(res, i, 19), 0,
	    NULL));
	json_object_set_new(o, "objectives", json_loads(PQgetvalue(res, i,
	    20), 0, NULL));
	if (card_sides(o, PQgetvalue(res, i, 5), PQgetvalue(res, i, 6),
	    PQgetvalue(res, i, 7), atoi(PQgetvalue(res, i, 8)),
	    PQgetvalue(res, i, 3)) != 0) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "state", state_json(id, &s, &c, ls->now, false,
	    NULL));
	json_object_set_new(o, "previews", card_previews(&s, &c, ls->now,
	    card_seed(id, c.reps)));
	return o;
}

static int
queue_tx(struct db *db, void *arg)
{
	struct rv *v = arg;
	struct learner_settings ls;
	long done[4], new_left, review_left;
	char now[32], nl[24], rl[24], lim[16];
	const char *p[7];
	PGresult *res;
	json_t *doc, *cards;
	int rc;

	if ((rc = settings_load(db, v->r, &ls, NULL)) != 0)
		return rc;
	if (v->deck != NULL) {
		const char *q[3] = {v->deck, v->r->user->user_id,
		    api_may(v->r, PERM_CONTENT_ALL)};

		if ((res = db_query(db, "fc_deck_get", 3, q)) == NULL)
			return -1;
		rc = PQntuples(res);
		PQclear(res);
		if (rc != 1) {
			resp_problem(v->r, 404, "not-found", "There is no such "
			    "deck.");
			return 1;
		}
	}
	if (today(db, v, &ls, done) != 0)
		return -1;
	new_left = ls.new_per_day - done[0];
	review_left = ls.reviews_per_day - done[1];
	if (new_left < 0)
		new_left = 0;
	if (review_left < 0)
		review_left = 0;
	card_time(ls.now, now);
	snprintf(nl, sizeof(nl), "%ld", new_left);
	snprintf(rl, sizeof(rl), "%ld", review_left);
	snprintf(lim, sizeof(lim), "%d", v->limit);
	p[0] = v->r->user->user_id;
	p[1] = v->deck;
	p[2] = now;
	p[3] = ls.day_end;
	p[4] = nl;
	p[5] = rl;
	p[6] = lim;
	if ((res = db_query(db, "fc_queue", 7, p)) == NULL)
		return -1;
	cards = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *c = queue_card(res, i, &ls);

		if (c != NULL)
			json_array_append_new(cards, c);
	}
	PQclear(res);
	if ((res = db_query(db, "fc_counts", 4, p)) == NULL) {
		json_decref(cards);
		return -1;
	}
	{
		long learning = atol(PQgetvalue(res, 0, 0));
		long review = atol(PQgetvalue(res, 0, 1));
		long fresh = atol(PQgetvalue(res, 0, 2));

		PQclear(res);
		doc = json_pack("{s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}, "
		    "s:{s:i, s:i}, s:o}", "counts", "learning",
		    (json_int_t)learning, "review", (json_int_t)(review <
		    review_left ? review : review_left), "new",
		    (json_int_t)(fresh < new_left ? fresh : new_left), "today",
		    "new", (json_int_t)done[0], "review", (json_int_t)done[1],
		    "reviews", (json_int_t)done[2], "seconds",
		    (json_int_t)done[3], "limits", "new_per_day", ls.new_per_day,
		    "reviews_per_day", ls.reviews_per_day, "cards", cards);
	}
	json_object_set_new(doc, "now", json_string(now));
	return answer(v, doc, 0);
}

void
fc_queue(struct req *r)
{
	struct rv v = {.r = r};
	struct input in;
	struct db *db;

	input_query_begin(&in, r);
	v.deck = input_query(&in, "deck", content_uuid);
	if (!input_end(&in) || (v.limit = api_limit(r, 50, QUEUE_MAX)) < 0)
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    queue_tx, &v))
		resp_raw_json(r, 200, v.json);
}

/* ---- a review ---------------------------------------------------------- */

/*
 * Load balancing and easy days: out's Review interval moves to the least
 * loaded day of its fuzz range.  0, or -1.
 */
static int
balance(struct db *db, struct rv *v, const struct learner_settings *ls,
    const struct fsrs_settings *s, long long when, struct fsrs_card *out,
    long long *ivl)
{
	bool easy = false;
	int days, lo, hi, n, first, *load;
	double *weight;
	char w[24], l[16], c[16];
	const char *p[5] = {v->r->user->user_id, w, l, c, ls->timezone};
	const char *csv;
	PGresult *res;

	for (int i = 0; i < 7; i++)
		easy |= ls->easy_days[i] < 1;
	if (out->state != FSRS_REVIEW || !s->fuzz || (!ls->load_balance &&
	    !easy))
		return 0;
	days = fsrs_interval_days(s, out->stability);
	fsrs_fuzz_range(s, days, &lo, &hi);
	if (hi <= lo)
		return 0;
	n = hi - lo + 1;
	snprintf(w, sizeof(w), "%lld", when);
	snprintf(l, sizeof(l), "%d", lo);
	snprintf(c, sizeof(c), "%d", n);
	if ((res = db_query(db, "fc_loads", 5, p)) == NULL)
		return -1;
	load = arena_alloc(v->r->arena, sizeof(*load) * (size_t)n);
	weight = arena_alloc(v->r->arena, sizeof(*weight) * (size_t)n);
	csv = PQgetvalue(res, 0, 0);
	first = atoi(PQgetvalue(res, 0, 1)) - 1;
	for (int i = 0; i < n; i++) {
		char *end;

		/* Without load balancing only the easy days count. */
		load[i] = ls->load_balance ? (int)strtol(csv, &end, 10) : 0;
		if (ls->load_balance)
			csv = *end == ',' ? end + 1 : end;
		weight[i] = ls->easy_days[(first + i) % 7];
	}
	PQclear(res);
	days = fsrs_balance(lo, hi, days, load, weight);
	*ivl = (long long)days * 86400;
	out->due = when + *ivl;
	return 0;
}

static int
review_tx(struct db *db, void *arg)
{
	struct rv *v = arg;
	struct principal *u = v->r->user;
	struct learner_settings ls;
	struct fsrs_settings s;
	struct fsrs_card c, out;
	long long when, ivl;
	int64_t ivl64;
	char n[20][32], id[40];
	const char *p[18];
	PGresult *res;
	int rc;

	if ((rc = card_open(db, v)) != 0 ||
	    (rc = settings_load(db, v->r, &ls, NULL)) != 0)
		return rc;
	card_settings(v, &ls, &s);
	{
		const char *q[3] = {u->user_id, u->org_id, v->card};

		if ((res = db_query(db, "fc_progress_lock", 3, q)) == NULL)
			return -1;
	}
	card_read(res, 0, 0, &c);
	rc = strcmp(PQgetvalue(res, 0, 8), "t") == 0;
	PQclear(res);
	if (rc) {
		resp_problem(v->r, 409, "suspended", "The card is suspended: "
		    "unsuspend it to review it.");
		return 1;
	}
	when = ls.now;
	if (v->reviewed_at != NULL) {
		const char *q[1] = {v->reviewed_at};

		if ((res = db_query(db, "fc_epoch", 1, q)) == NULL)
			return -1;
		when = atoll(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (when > ls.now) {
			api_field_error(v->r, "reviewed_at", "is in the future");
			return 1;
		}
		if (c.last_review != 0 && when < c.last_review) {
			api_field_error(v->r, "reviewed_at", "is before the "
			    "card's last review");
			return 1;
		}
	}
	fsrs_review(&s, &c, (enum fsrs_rating)v->rating, when,
	    card_seed(v->card, c.reps), &out, &ivl64);
	ivl = ivl64;
	if (balance(db, v, &ls, &s, when, &out, &ivl) != 0)
		return -1;

	card_time(when, n[0]);
	snprintf(n[1], 32, "%lld", ivl);
	snprintf(n[2], 32, "%ld", v->duration_ms);
	snprintf(n[3], 32, "%d", c.state);
	snprintf(n[4], 32, "%d", c.step);
	snprintf(n[5], 32, "%.17g", c.stability);
	snprintf(n[6], 32, "%.17g", c.difficulty);
	snprintf(n[7], 32, "%lld", (long long)c.due);
	snprintf(n[8], 32, "%lld", (long long)c.last_review);
	snprintf(n[9], 32, "%d", c.reps);
	snprintf(n[10], 32, "%d", c.lapses);
	snprintf(n[11], 32, "%d", out.state);
	snprintf(n[12], 32, "%.17g", out.stability);
	snprintf(n[13], 32, "%.17g", out.difficulty);
	snprintf(n[14], 32, "%d", v->rating);
	p[0] = u->org_id;
	p[1] = u->user_id;
	p[2] = v->card;
	p[3] = n[14];
	p[4] = n[0];
	p[5] = n[1];
	p[6] = n[2];
	for (int i = 0; i < 8; i++)
		p[7 + i] = n[3 + i];
	if (c.last_review == 0)
		p[12] = NULL;
	p[15] = n[11];
	p[16] = n[12];
	p[17] = n[13];
	if ((res = db_query(db, "fc_review_insert", 18, p)) == NULL)
		return -1;
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	snprintf(n[3], 32, "%d", out.state);
	snprintf(n[4], 32, "%d", out.step);
	snprintf(n[5], 32, "%.17g", out.stability);
	snprintf(n[6], 32, "%.17g", out.difficulty);
	snprintf(n[7], 32, "%lld", (long long)out.due);
	snprintf(n[8], 32, "%lld", (long long)out.last_review);
	snprintf(n[9], 32, "%d", out.reps);
	snprintf(n[10], 32, "%d", out.lapses);
	p[0] = u->user_id;
	p[1] = v->card;
	for (int i = 0; i < 8; i++)
		p[2 + i] = n[3 + i];
	if (run(db, "fc_progress_put", 10, p) != 0)
		return -1;
	snprintf(n[15], 32, "%lld", when);
	if (ls.bury_siblings) {
		const char *q[4] = {u->user_id, u->org_id, v->card, ls.day_end};

		if (run(db, "fc_bury_siblings", 4, q) != 0)
			return -1;
	}
	{
		const char *q[2] = {u->user_id, "1"};
		const char *d[3] = {u->user_id, n[15], ls.timezone};
		struct gamify_event e = {.org = u->org_id, .user = u->user_id,
		    .seconds = (int)((v->duration_ms + 500) / 1000),
		    .at = v->reviewed_at != NULL ? n[0] : NULL};

		if (run(db, "fc_reviews_count", 2, q) != 0 ||
		    (res = db_query(db, "fc_day_count", 3, d)) == NULL)
			return -1;
		e.review_n = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (gamify_record(db, &e) != 0)
			return -1;
	}
	return answer(v, json_pack("{s:s, s:i, s:s, s:o, s:o}", "review_id",
	    id, "rating", v->rating, "reviewed_at", n[0], "card",
	    state_json(v->card, &s, &out, ls.now, false, NULL), "previews",
	    card_previews(&s, &out, ls.now, card_seed(v->card, out.reps))), 0);
}

void
fc_review(struct req *r)
{
	static const char *const fields[] = {"rating", "reviewed_at",
	    "duration_ms", NULL};
	struct rv v = {.r = r};
	struct input in;
	struct db *db;
	long rating = 0, ms = 0;

	if ((v.card = api_path_id(r, "id", "card")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	input_int(&in, "rating", IN_REQUIRED, 1, 4, &rating);
	v.reviewed_at = input_string(&in, "reviewed_at", IN_NULLABLE, 10, 40);
	if (v.reviewed_at != NULL && !api_iso_time(v.reviewed_at)) {
		input_error(&in, "reviewed_at", "must be a time in ISO 8601 "
		    "(2026-12-07T10:00:00Z)");
		v.reviewed_at = NULL;
	}
	input_int(&in, "duration_ms", IN_NULLABLE, 0, 3600000, &ms);
	v.rating = (int)rating;
	v.duration_ms = ms;
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, review_tx, &v))
		return;
	resp_raw_json(r, 200, v.json);
}

/* ---- undo -------------------------------------------------------------- */

static int
undo_tx(struct db *db, void *arg)
{
	struct rv *v = arg;
	struct principal *u = v->r->user;
	const char *p[10] = {u->user_id};
	PGresult *res = db_query(db, "fc_last_review", 1, p);
	char *review, *at, *card;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(v->r, 404, "not-found", "There is no review of "
		    "the last day to undo.");
		return 1;
	}
	if (strcmp(PQgetvalue(res, 0, 11), "t") != 0) {
		PQclear(res);
		resp_problem(v->r, 409, "conflict", "The card was reset or "
		    "changed since its last review: nothing to undo.");
		return 1;
	}
	review = arena_strdup(v->r->arena, PQgetvalue(res, 0, 0));
	at = arena_strdup(v->r->arena, PQgetvalue(res, 0, 1));
	card = arena_strdup(v->r->arena, PQgetvalue(res, 0, 2));
	p[1] = card;
	for (int i = 0; i < 8; i++)
		p[2 + i] = PQgetisnull(res, 0, 3 + i) ? NULL :
		    arena_strdup(v->r->arena, PQgetvalue(res, 0, 3 + i));
	PQclear(res);
	{
		const char *q[2] = {review, at};
		const char *c[2] = {u->user_id, "-1"};

		if (run(db, "fc_review_undo", 2, q) != 0 ||
		    run(db, "fc_progress_put", 10, p) != 0 ||
		    run(db, "fc_reviews_count", 2, c) != 0)
			return -1;
	}
	if ((res = db_query(db, "fc_card_state", 2, p)) == NULL)
		return -1;
	v->json = arena_printf(v->r->arena, "{\"undone\":\"%s\",\"card\":%s}",
	    review, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
fc_undo(struct req *r)
{
	struct rv v = {.r = r};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    undo_tx, &v))
		resp_raw_json(r, 200, v.json);
}

/* ---- a card ------------------------------------------------------------ */

/* The card's sides, my state of it and my reviews of it. */
static int
card_doc(struct db *db, struct rv *v)
{
	const char *p[2] = {v->r->user->user_id, v->card};
	PGresult *res = db_query(db, "fc_card_state", 2, p);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:i}", "id", v->card,
	    "note_id", v->note, "kind", v->kind, "ordinal", v->ordinal);

	if (res == NULL) {
		json_decref(doc);
		return -1;
	}
	card_sides(doc, v->kind, v->front, v->back, v->ordinal, v->card_deck);
	json_object_set_new(doc, "state", PQntuples(res) == 1 ?
	    json_loads(PQgetvalue(res, 0, 0), 0, NULL) : json_pack("{s:s, "
	    "s:s, s:i, s:i, s:b}", "card_id", v->card, "state", "new", "reps",
	    0, "lapses", 0, "suspended", 0));
	PQclear(res);
	if ((res = db_query(db, "fc_card_log", 2, p)) == NULL) {
		json_decref(doc);
		return -1;
	}
	json_object_set_new(doc, "reviews", json_loads(PQgetvalue(res, 0, 0),
	    0, NULL));
	PQclear(res);
	return answer(v, doc, 0);
}

static int
card_show_tx(struct db *db, void *arg)
{
	struct rv *v = arg;
	int rc;

	if ((rc = card_open(db, v)) != 0)
		return rc;
	return card_doc(db, v);
}

void
fc_card_show(struct req *r)
{
	struct rv v = {.r = r};
	struct db *db;

	if ((v.card = api_path_id(r, "id", "card")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    card_show_tx, &v))
		resp_raw_json(r, 200, v.json);
}

enum card_action { SUSPEND, BURY, RESET };

struct action {
	struct rv v;
	enum card_action what;
};

static int
action_tx(struct db *db, void *arg)
{
	struct action *a = arg;
	struct rv *v = &a->v;
	struct principal *u = v->r->user;
	struct learner_settings ls;
	const char *p[4] = {u->user_id, u->org_id, v->card, NULL};
	int rc;

	if ((rc = card_open(db, v)) != 0)
		return rc;
	switch (a->what) {
	case SUSPEND:
		p[3] = v->flag ? "true" : "false";
		rc = run(db, "fc_card_suspend", 4, p);
		break;
	case BURY:
		if ((rc = settings_load(db, v->r, &ls, NULL)) != 0)
			return rc;
		p[3] = v->flag ? ls.day_end : NULL;
		rc = run(db, "fc_card_bury", 4, p);
		break;
	case RESET:
		p[1] = v->card;
		rc = run(db, "fc_card_reset", 2, p);
		break;
	}
	return rc != 0 ? -1 : card_doc(db, v);
}

static void
action(struct req *r, enum card_action what, const char *field)
{
	struct action a = {.v = {.r = r}, .what = what};
	struct input in;
	struct db *db;

	if ((a.v.card = api_path_id(r, "id", "card")) == NULL)
		return;
	if (field != NULL) {
		input_begin(&in, r);
		input_only(&in, (const char *const[]){field, NULL});
		a.v.flag = input_bool(&in, field, IN_REQUIRED);
		if (!input_end(&in))
			return;
	}
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    action_tx, &a))
		resp_raw_json(r, 200, a.v.json);
}

void
fc_card_suspend(struct req *r)
{
	action(r, SUSPEND, "suspended");
}

void
fc_card_bury(struct req *r)
{
	action(r, BURY, "buried");
}

void
fc_card_reset(struct req *r)
{
	action(r, RESET, NULL);
}

/* ---- settings ---------------------------------------------------------- */


static int
settings_doc(struct db *db, struct rv *v)
{
	struct learner_settings ls;
	PGresult *res = NULL;
	json_t *doc;
	int rc;

	if ((rc = settings_load(db, v->r, &ls, &res)) != 0)
		return rc;
	doc = json_pack("{s:f, s:i, s:i, s:o, s:o, s:i, s:b, s:b, s:o, s:s, "
	    "s:o, s:s?, s:I, s:s}", "desired_retention",
	    strtod(PQgetvalue(res, 0, 0), NULL), "new_per_day", ls.new_per_day,
	    "reviews_per_day", ls.reviews_per_day, "learning_steps",
	    card_numbers(PQgetvalue(res, 0, 3)), "relearning_steps",
	    card_numbers(PQgetvalue(res, 0, 4)), "max_interval_days",
	    ls.fsrs.max_interval_days, "bury_siblings", ls.bury_siblings,
	    "load_balance", ls.load_balance, "easy_days",
	    card_numbers(PQgetvalue(res, 0, 8)), "cards_from_mistakes",
	    PQgetvalue(res, 0, 9), "parameters", card_numbers(PQgetvalue(res, 0,
	    10)), "parameters_fitted_at", PQgetisnull(res, 0, 11) ? NULL :
	    PQgetvalue(res, 0, 11), "reviews", (json_int_t)atoll(PQgetvalue(res,
	    0, 12)), "timezone", ls.timezone);
	json_object_set_new(doc, "fit", PQgetisnull(res, 0, 17) ? json_null() :
	    json_pack("{s:f, s:f, s:i}", "log_loss_before",
	    strtod(PQgetvalue(res, 0, 17), NULL), "log_loss_after",
	    strtod(PQgetvalue(res, 0, 18), NULL), "reviews",
	    atoi(PQgetvalue(res, 0, 19))));
	/* mine, organization (flashcard_org_params) or default */
	json_object_set_new(doc, "parameters_from",
	    json_string(PQgetvalue(res, 0, 20)));
	PQclear(res);
	if (json_array_size(json_object_get(doc, "parameters")) == 0) {
		json_t *w = json_array();

		for (int i = 0; i < FSRS_NPARAMS; i++)
			json_array_append_new(w, json_real(ls.fsrs.w[i]));
		json_object_set_new(doc, "parameters", w);
	}
	return answer(v, doc, JSON_REAL_PRECISION(8));
}

static int
settings_show_tx(struct db *db, void *arg)
{
	return settings_doc(db, arg);
}

void
fc_settings_show(struct req *r)
{
	struct rv v = {.r = r};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    settings_show_tx, &v))
		resp_raw_json(r, 200, v.json);
}

/*
 * A list of at most max numbers in lo..hi, each above the one before when
 * rising, as a PostgreSQL array literal; NULL when absent or bad (after
 * the error).  integer: whole numbers only.
 */
static const char *
number_list(struct input *in, const char *field, size_t min, size_t max,
    double lo, double hi, bool integer, bool rising)
{
	json_t *a = json_object_get(in->body, field), *x;
	char *lit, *p;
	double last = -1;
	size_t i;

	if (a == NULL)
		return NULL;
	if (!json_is_array(a) || json_array_size(a) < min ||
	    json_array_size(a) > max)
		goto bad;
	lit = p = arena_alloc(in->r->arena, json_array_size(a) * 24 + 3);
	*p++ = '{';
	json_array_foreach(a, i, x) {
		double d = json_number_value(x);

		if (!json_is_number(x) || d < lo || d > hi || (integer &&
		    !json_is_integer(x)) || (rising && i > 0 && d <= last))
			goto bad;
		last = d;
		p += sprintf(p, i ? ",%.10g" : "%.10g", d);
	}
	strcpy(p, "}");
	return lit;
bad:
	input_error(in, field, rising ? "must be a list of at most 8 "
	    "whole numbers of seconds (1 to 31536000), each longer than the "
	    "one before" : "must be a list of 7 numbers from 0 to 1, Monday "
	    "first, one of them above 0");
	return NULL;
}

static int
settings_patch_tx(struct db *db, void *arg)
{
	struct rv *v = arg;
	struct learner_settings ls;
	PGresult *res;
	int rc;

	/* Made first, so that the update finds the row. */
	if ((rc = settings_load(db, v->r, &ls, NULL)) != 0)
		return rc;
	if ((res = db_query(db, "fc_settings_update", 11, v->params)) == NULL)
		return -1;
	PQclear(res);
	return settings_doc(db, v);
}

void
fc_settings_patch(struct req *r)
{
	static const char *const fields[] = {"desired_retention",
	    "new_per_day", "reviews_per_day", "learning_steps",
	    "relearning_steps", "max_interval_days", "bury_siblings",
	    "load_balance", "easy_days", "cards_from_mistakes", NULL};
	static const char *const mistakes[] = {"off", "offer", "make", NULL};
	struct rv v = {.r = r};
	const char **p = arena_alloc(r->arena, sizeof(*p) * 11);
	struct input in;
	struct db *db;
	long x;
	int b;

	input_begin(&in, r);
	input_only(&in, fields);
	memset(p, 0, sizeof(*p) * 11);
	p[0] = r->user->user_id;
	if (input_has(&in, "desired_retention")) {
		json_t *d = json_object_get(in.body, "desired_retention");

		if (!json_is_number(d) || json_number_value(d) < 0.695 ||
		    json_number_value(d) > 0.995)
			input_error(&in, "desired_retention", "must be a number "
			    "from 0.70 to 0.99");
		else
			p[1] = arena_printf(r->arena, "%.2f",
			    json_number_value(d));
	}
	if (input_int(&in, "new_per_day", 0, 0, 9999, &x))
		p[2] = arena_printf(r->arena, "%ld", x);
	if (input_int(&in, "reviews_per_day", 0, 0, 99999, &x))
		p[3] = arena_printf(r->arena, "%ld", x);
	p[4] = number_list(&in, "learning_steps", 0, 8, 1, 31536000, true,
	    true);
	p[5] = number_list(&in, "relearning_steps", 0, 8, 1, 31536000, true,
	    true);
	if (input_int(&in, "max_interval_days", 0, 1, 36500, &x))
		p[6] = arena_printf(r->arena, "%ld", x);
	if ((b = input_bool(&in, "bury_siblings", 0)) >= 0)
		p[7] = b ? "true" : "false";
	if ((b = input_bool(&in, "load_balance", 0)) >= 0)
		p[8] = b ? "true" : "false";
	if ((p[9] = number_list(&in, "easy_days", 7, 7, 0, 1, false, false)) !=
	    NULL) {
		json_t *d, *days = json_object_get(in.body, "easy_days");
		size_t i;
		bool any = false;

		json_array_foreach(days, i, d)
			any |= json_number_value(d) > 0;
		if (!any) {
			input_error(&in, "easy_days", "must leave one day of "
			    "the week above 0");
			p[9] = NULL;
		}
	}
	if ((p[10] = input_string(&in, "cards_from_mistakes", 0, 1, 10)) !=
	    NULL) {
		int k;

		for (k = 0; mistakes[k] && strcmp(mistakes[k], p[10]); k++)
			;
		if (mistakes[k] == NULL)
			input_error(&in, "cards_from_mistakes", "must be off, "
			    "offer or make");
	}
	v.params = p;
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, settings_patch_tx, &v))
		return;
	resp_raw_json(r, 200, v.json);
}

/* ---- fitting the parameters ---------------------------------------------- */

void
fc_optimize(struct req *r)
{
	api_enqueue(r, OPTIMIZE_JOB_KIND, NULL);
}

static int
params_reset_tx(struct db *db, void *arg)
{
	struct rv *v = arg;
	struct learner_settings ls;
	const char *p[1] = {v->r->user->user_id};
	int rc;

	if ((rc = settings_load(db, v->r, &ls, NULL)) != 0)
		return rc;
	return run(db, "fc_params_reset", 1, p) != 0 ? -1 : settings_doc(db, v);
}

void
fc_params_reset(struct req *r)
{
	struct rv v = {.r = r};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    params_reset_tx, &v))
		resp_raw_json(r, 200, v.json);
}
