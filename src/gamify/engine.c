/*
 * engine.c - awarding what learning earns (engine.h).
 *
 * The learner's awards take turns (an advisory lock per learner), so each
 * evaluation sees what the one before committed.  Achievements are
 * granted with INSERT ... ON CONFLICT DO NOTHING and pay only when the
 * insert happened; XP rows carry idempotency keys.  Two submits at once
 * therefore never award anything twice.
 */
#include "gamify/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gamify/criteria.h"

#define XP_LESSON 20
#define XP_ANSWER 2
#define XP_ATTEMPT 10
#define XP_HIGH 10
#define XP_PERFECT 25
#define XP_DAY 5
#define XP_GOAL 15
#define XP_EXAM_GOAL 50
#define XP_REVIEW 1
#define XP_REVIEWS_A_DAY 50
#define XP_LIKED 2
#define XP_LIKED_A_DAY 10
#define XP_ACCEPTED 10
#define XP_ACCEPTED_A_DAY 5

/* Runs a command-like named query: 0 or -1; *rows gets the row count. */
static int
run(struct db *db, const char *name, int n, const char *const *p, int *rows)
{
	PGresult *res = db_query(db, name, n, p);

	if (res == NULL)
		return -1;
	if (rows != NULL)
		*rows = PQntuples(res);
	PQclear(res);
	return 0;
}

/*
 * The XP a record call awards, written in one statement when it is next
 * needed (before the total is refreshed): the ledger's triggers (0010)
 * then run once for all of them, not once an award.
 */
struct awards {
	json_t *rows;         /* [{source, amount, reason, key, type, id}] */
	const char *attempt;  /* and the first right answers of this attempt */
};

static int
award(struct awards *w, const char *source, int amount, const char *reason,
    const char *key, const char *etype, const char *eid)
{
	json_t *row = json_pack("{s:s, s:i, s:s, s:s, s:s*, s:s*}", "source",
	    source, "amount", amount, "reason", reason, "key", key, "type",
	    etype, "id", eid);

	return row != NULL && json_array_append_new(w->rows, row) == 0 ?
	    0 : -1;
}

/* Writes the awards gathered so far. */
static int
awards_write(struct db *db, const struct gamify_event *e, struct awards *w)
{
	char n[16], *rows;
	const char *p[6] = {e->org, e->user, NULL, e->at, w->attempt, n};
	int rc;

	if (json_array_size(w->rows) == 0 && w->attempt == NULL)
		return 0;
	if ((rows = json_dumps(w->rows, JSON_COMPACT)) == NULL)
		return -1;
	p[2] = rows;
	snprintf(n, sizeof(n), "%d", XP_ANSWER);
	rc = run(db, "xp_awards", 6, p, NULL);
	free(rows);
	json_array_clear(w->rows);
	w->attempt = NULL;
	return rc;
}

static int
notify(struct db *db, const struct gamify_event *e, const char *kind,
    const char *title, const char *body, const char *data, const char *key)
{
	const char *p[7] = {e->org, e->user, kind, title, body, data, key};

	return run(db, "notify", 7, p, NULL);
}

/* The cached total and level; a notification per level gained. */
static int
refresh(struct db *db, const struct gamify_event *e, struct awards *w)
{
	const char *p[1] = {e->user};
	PGresult *res;
	int level, before;

	if (awards_write(db, e, w) != 0 ||
	    (res = db_query(db, "xp_refresh", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	level = atoi(PQgetvalue(res, 0, 1));
	before = atoi(PQgetvalue(res, 0, 2));
	PQclear(res);
	for (int l = before + 1; l <= level; l++) {
		char title[64], key[32], data[32];

		snprintf(title, sizeof(title), "Level %d reached", l);
		snprintf(key, sizeof(key), "level:%d", l);
		snprintf(data, sizeof(data), "{\"level\":%d}", l);
		if (notify(db, e, "level_up", title, "Keep going: every level "
		    "takes a little more XP than the last.", data, key) != 0)
			return -1;
	}
	return 0;
}

/* Grants one met achievement: its XP, avatar and notifications. */
static int
grant(struct db *db, const struct gamify_event *e, struct awards *w,
    const PGresult *res, int i, int *granted)
{
	const char *id = PQgetvalue(res, i, 0);
	const char *name = PQgetvalue(res, i, 1);
	const char *p[3] = {e->user, id, e->org};
	char key[64], data[96];
	int rows;

	if (run(db, "achievement_grant", 3, p, &rows) != 0)
		return -1;
	if (rows == 0)
		return 0;	/* someone else granted it first */
	(*granted)++;
	snprintf(key, sizeof(key), "achievement:%s", id);
	snprintf(data, sizeof(data), "{\"achievement_id\":\"%s\"}", id);
	if (atoi(PQgetvalue(res, i, 3)) > 0 && award(w, "achievement",
	    atoi(PQgetvalue(res, i, 3)), name, key, "achievement", id) != 0)
		return -1;
	if (notify(db, e, "achievement_unlocked", name, "Achievement "
	    "unlocked.", data, key) != 0)
		return -1;
	if (!PQgetisnull(res, i, 4)) {
		const char *q[3] = {e->user, PQgetvalue(res, i, 4), e->org};
		PGresult *a = db_query(db, "avatar_unlock", 3, q);

		if (a == NULL)
			return -1;
		if (PQntuples(a) == 1) {
			char title[160];

			snprintf(key, sizeof(key), "avatar:%s", q[1]);
			snprintf(data, sizeof(data), "{\"avatar_id\":\"%s\"}",
			    q[1]);
			snprintf(title, sizeof(title), "New avatar: %s",
			    PQgetvalue(a, 0, 0));
			if (notify(db, e, "avatar_unlocked", title, "Equip it "
			    "from your profile.", data, key) != 0) {
				PQclear(a);
				return -1;
			}
		}
		PQclear(a);
	}
	return 0;
}

/* Grants every achievement the learner now meets; how many, or -1. */
static int
achievements(struct db *db, const struct gamify_event *e, struct awards *w)
{
	const char *p[1] = {e->user};
	PGresult *res = db_query(db, "gamify_stats", 1, p), *open;
	json_t *stats;
	int granted = 0;

	if (res == NULL)
		return -1;
	stats = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if ((open = db_query(db, "achievements_open", 1, p)) == NULL) {
		json_decref(stats);
		return -1;
	}
	for (int i = 0; i < PQntuples(open); i++) {
		json_t *c = json_loads(PQgetvalue(open, i, 2), 0, NULL);
		long have, need;
		bool met = criteria_progress(c, stats, &have, &need);

		json_decref(c);
		if (met && grant(db, e, w, open, i, &granted) != 0) {
			granted = -1;
			break;
		}
	}
	PQclear(open);
	json_decref(stats);
	return granted;
}

/* A passed simulation completes an exam-date goal: XP and a notification. */
static int
exam_goals(struct db *db, const struct gamify_event *e, struct awards *w)
{
	const char *p[2] = {e->user, e->attempt};
	PGresult *res = db_query(db, "goal_exam_done", 2, p);

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		char key[64];

		snprintf(key, sizeof(key), "goal:%s", PQgetvalue(res, i, 0));
		if (award(w, "goal", XP_EXAM_GOAL, "Exam goal reached", key,
		    "goal", PQgetvalue(res, i, 0)) != 0 || notify(db, e,
		    "goal_reached", "Exam goal reached", "You passed an exam "
		    "simulation: you are ready.", NULL, key) != 0) {
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

/* gamify_record() with the awards gathered in w. */
/*
 * The total and level after the awards; an achievement's XP may level up,
 * which may grant another (a few rounds at most).
 */
static int
settle(struct db *db, const struct gamify_event *e, struct awards *w)
{
	for (int round = 0;; round++) {
		int granted;

		if (refresh(db, e, w) != 0)
			return -1;
		if (round == 5)
			return 0;
		if ((granted = achievements(db, e, w)) < 0)
			return -1;
		if (granted == 0)
			return 0;
	}
}

static int
record(struct db *db, const struct gamify_event *e, struct awards *w)
{
	const char *p[6] = {e->user, e->org, e->lesson ? "1" : "0",
	    e->attempt ? "1" : "0", NULL, e->at};
	char secs[16], day[16] = "", key[96];
	bool new_day, goal;
	PGresult *res;

	if (run(db, "gamify_lock", 1, p, NULL) != 0)
		return -1;
	snprintf(secs, sizeof(secs), "%d", e->seconds > 0 ? e->seconds : 0);
	p[4] = secs;
	if ((res = db_query(db, "activity_touch", 6, p)) == NULL)
		return -1;
	snprintf(day, sizeof(day), "%s", PQgetvalue(res, 0, 0));
	new_day = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	goal = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	PQclear(res);

	if (e->lesson != NULL) {
		snprintf(key, sizeof(key), "lesson:%s", e->lesson);
		if (award(w, "lesson", XP_LESSON, "Lesson completed", key,
		    "lesson", e->lesson) != 0)
			return -1;
	}
	if (e->attempt != NULL) {
		snprintf(key, sizeof(key), "attempt:%s", e->attempt);
		if (award(w, "quiz", XP_ATTEMPT, "Quiz finished", key,
		    "attempt", e->attempt) != 0)
			return -1;
		snprintf(key, sizeof(key), "attempt:%s:high", e->attempt);
		if (e->percent >= 90 && award(w, "quiz", XP_HIGH,
		    "A score of 90 % or more", key, "attempt", e->attempt) != 0)
			return -1;
		snprintf(key, sizeof(key), "attempt:%s:perfect", e->attempt);
		if (e->percent >= 100 && award(w, "quiz", XP_PERFECT,
		    "A perfect score", key, "attempt", e->attempt) != 0)
			return -1;
		w->attempt = e->attempt;
		if (exam_goals(db, e, w) != 0)
			return -1;
	}
	if (e->review_n > 0 && e->review_n <= XP_REVIEWS_A_DAY) {
		snprintf(key, sizeof(key), "review:%s:%d", day, e->review_n);
		if (award(w, "flashcards", XP_REVIEW, "A flashcard reviewed",
		    key, NULL, NULL) != 0)
			return -1;
	}
	if (new_day) {
		snprintf(key, sizeof(key), "day:%s", day);
		if (award(w, "streak", XP_DAY, "A day of study", key, NULL,
		    NULL) != 0)
			return -1;
	}
	if (goal) {
		snprintf(key, sizeof(key), "goal:%s", day);
		if (award(w, "daily_goal", XP_GOAL, "Daily goal reached",
		    key, NULL, NULL) != 0 || notify(db, e, "goal_reached",
		    "Daily goal reached", "You studied as long as you planned "
		    "today.", NULL, key) != 0)
			return -1;
	}
	/*
	 * Time alone (a heartbeat) awards nothing and changes little:
	 * achievements are looked at when a day starts, a goal is met, a
	 * lesson or attempt ends, or a review earns XP.
	 */
	if (e->lesson == NULL && e->attempt == NULL && !new_day && !goal &&
	    (e->review_n <= 0 || e->review_n > XP_REVIEWS_A_DAY))
		return 0;
	return settle(db, e, w);
}

int
gamify_record(struct db *db, const struct gamify_event *e)
{
	struct awards w = {json_array(), NULL};
	int rc;

	if (w.rows == NULL)
		return -1;
	rc = record(db, e, &w);
	json_decref(w.rows);
	return rc;
}

int
gamify_helpful(struct db *db, const char *org, const char *user,
    enum helpful kind, const char *key, const char *post)
{
	struct gamify_event e = {.org = org, .user = user};
	struct awards w = {json_array(), NULL};
	const char *what = kind == HELPFUL_ACCEPTED ? "accepted" : "liked";
	const char *p[2] = {user, what};
	PGresult *res;
	int rc = -1, today;

	if (w.rows == NULL)
		return -1;
	if (run(db, "gamify_lock", 1, p, NULL) != 0 ||
	    (res = db_query(db, "xp_forum_today", 2, p)) == NULL)
		goto out;
	today = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = 0;
	if (today >= (kind == HELPFUL_ACCEPTED ? XP_ACCEPTED_A_DAY :
	    XP_LIKED_A_DAY))
		goto out;
	if (award(&w, "forum", kind == HELPFUL_ACCEPTED ? XP_ACCEPTED :
	    XP_LIKED, kind == HELPFUL_ACCEPTED ? "An answer accepted" :
	    "A post liked", key, "forum_post", post) != 0)
		rc = -1;
	else
		rc = settle(db, &e, &w);
out:
	json_decref(w.rows);
	return rc;
}
