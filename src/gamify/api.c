/*
 * api.c - the learner's motivation routes: XP and its ledger,
 * achievements with progress, avatars, notifications, study goals,
 * leaderboards and the dashboard.  Every route is about the caller (or
 * their organization's board): nothing here reads another learner's data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/rules.h"
#include "gamify/api.h"
#include "gamify/criteria.h"
#include "http/api.h"

void
me_xp(struct req *r)
{
	const char *p[3];
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->user_id;
	p[1] = input_query(&in, "after", content_uuid);
	if (!input_end(&in) || (limit = api_limit(r, 50, 200)) < 0)
		return;
	p[2] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "me_xp", 3, p, "There is no such account.");
}

struct list {
	struct req *r;
	char *json;
};

/* Every achievement with my progress toward it; hidden ones stay masked
 * until earned. */
static int
achievements_tx(struct db *db, void *arg)
{
	struct list *l = arg;
	const char *p[1] = {l->r->user->user_id};
	PGresult *res = db_query(db, "gamify_stats", 1, p);
	json_t *stats, *items;
	char *s;

	if (res == NULL)
		return -1;
	stats = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if ((res = db_query(db, "me_achievements", 1, p)) == NULL) {
		json_decref(stats);
		return -1;
	}
	items = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		bool earned = !PQgetisnull(res, i, 9);
		bool masked = !earned && strcmp(PQgetvalue(res, i, 8), "t") == 0;
		json_t *c = json_loads(PQgetvalue(res, i, 5), 0, NULL);
		long have, need;
		json_t *a;

		criteria_progress(c, stats, &have, &need);
		json_decref(c);
		if (earned)
			have = need;
		a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b}", "id", PQgetvalue(res, i, 0), "code", masked ?
		    "hidden" : PQgetvalue(res, i, 1), "name", masked ?
		    "Hidden achievement" : PQgetvalue(res, i, 2), "description",
		    masked ? "Keep learning to find out." : PQgetvalue(res, i, 3),
		    "category", PQgetvalue(res, i, 4), "xp_reward",
		    atoi(PQgetvalue(res, i, 6)), "hidden",
		    strcmp(PQgetvalue(res, i, 8), "t") == 0, "earned", earned);
		/* A hidden one's goal would give it away. */
		json_object_set_new(a, "progress", masked ? json_null() :
		    json_pack("{s:I, s:I}", "have", (json_int_t)have, "need",
		    (json_int_t)need));
		json_object_set_new(a, "earned_at", earned ?
		    json_string(PQgetvalue(res, i, 9)) : json_null());
		json_object_set_new(a, "badge_icon_url", PQgetisnull(res, i, 7) ?
		    json_null() : json_string(PQgetvalue(res, i, 7)));
		json_object_set_new(a, "avatar", PQgetisnull(res, i, 10) ||
		    masked ? json_null() : json_loads(PQgetvalue(res, i, 10), 0,
		    NULL));
		json_array_append_new(items, a);
	}
	PQclear(res);
	json_decref(stats);
	{
		json_t *doc = json_pack("{s:o}", "items", items);

		s = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
	}
	l->json = arena_strdup(l->r->arena, s);
	free(s);
	return 0;
}

void
me_achievements(struct req *r)
{
	struct list l = {.r = r};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    achievements_tx, &l))
		resp_raw_json(r, 200, l.json);
}

void
me_avatars(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "me_avatars", 1, p, "Nothing is there.");
}

struct equip {
	struct req *r;
	const char *avatar;
	int found; /* 0 none, 1 locked, 2 worn */
};

static int
equip_tx(struct db *db, void *arg)
{
	struct equip *e = arg;
	const char *p[2] = {e->r->user->user_id, e->avatar};
	PGresult *res = db_query(db, "avatar_equip", 2, p);

	if (res == NULL)
		return -1;
	e->found = PQntuples(res) == 1 ? 2 : 0;
	PQclear(res);
	if (e->found == 0) {
		if ((res = db_query(db, "avatar_exists", 1, p + 1)) == NULL)
			return -1;
		e->found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
	}
	return 0;
}

void
me_avatar_put(struct req *r)
{
	struct equip e = {.r = r};
	struct input in;
	struct db *db;

	input_begin(&in, r);
	input_only(&in, (const char *const[]){"avatar_id", NULL});
	e.avatar = input_string(&in, "avatar_id", IN_REQUIRED, 1, 64);
	if (e.avatar != NULL && !api_is_uuid(e.avatar))
		input_error(&in, "avatar_id", "must be an avatar id");
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, equip_tx, &e))
		return;
	if (e.found == 0)
		api_field_error(r, "avatar_id", "is not an avatar");
	else if (e.found == 1)
		resp_problem(r, 409, "avatar-locked", "That avatar is not "
		    "unlocked yet.");
	else
		me_avatars(r);
}

void
me_notifications(struct req *r)
{
	const char *p[4];
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->user_id;
	p[1] = input_query(&in, "unread", api_true_false);
	p[2] = input_query(&in, "after", content_uuid);
	if (!input_end(&in) || (limit = api_limit(r, 50, 200)) < 0)
		return;
	p[3] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "me_notifications", 4, p, "Nothing is there.");
}

void
me_notifications_read(struct req *r)
{
	json_t *ids = json_object_get(r->json, "ids"), *v;
	const char *p[2] = {r->user->user_id, NULL};
	struct input in;
	size_t i;

	input_begin(&in, r);
	input_only(&in, (const char *const[]){"ids", NULL});
	if (ids != NULL) {
		if (!json_is_array(ids) || json_array_size(ids) == 0 ||
		    json_array_size(ids) > 500)
			input_error(&in, "ids", "must be a list of 1 to 500 "
			    "notification ids (leave it out for all)");
		else
			json_array_foreach(ids, i, v)
				if (!json_is_string(v) || !api_is_uuid(
				    json_string_value(v))) {
					input_error(&in, arena_printf(r->arena,
					    "ids[%zu]", i), "must be a "
					    "notification id");
					break;
				}
		p[1] = db_text_array(r->arena, ids, NULL);
	}
	if (!input_end(&in))
		return;
	api_doc(r, "notifications_read", 2, p, "Nothing is there.");
}

void
leaderboard(struct req *r)
{
	static const char *const periods[] = {"weekly", "all", NULL};
	static const char *const bys[] = {"xp", "score", NULL};
	const char *p[6], *v;
	struct input in;
	int limit;

	if (!r->user->leaderboards) {
		resp_problem(r, 403, "leaderboards-off", "Your organization "
		    "has turned the leaderboards off.");
		return;
	}
	input_query_begin(&in, r);
	p[0] = r->user->org_id;
	p[1] = r->user->user_id;
	p[2] = (v = req_query(r, "period")) ? v : "weekly";
	if (strcmp(p[2], periods[0]) != 0 && strcmp(p[2], periods[1]) != 0)
		input_error(&in, "period", "must be weekly or all");
	p[3] = input_query(&in, "exam", content_exam_code);
	p[4] = (v = req_query(r, "by")) ? v : "xp";
	if (strcmp(p[4], bys[0]) != 0 && strcmp(p[4], bys[1]) != 0)
		input_error(&in, "by", "must be xp or score");
	if (!input_end(&in) || (limit = api_limit(r, 10, 100)) < 0)
		return;
	p[5] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "leaderboard", 6, p, "Nothing is there.");
}

void
me_dashboard(struct req *r)
{
	const char *p[2] = {r->user->user_id, r->user->org_id};

	api_doc(r, "me_dashboard", 2, p, "There is no such account.");
}

/* ---- goals -------------------------------------------------------------- */

void
me_goals(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "me_goals", 1, p, "Nothing is there.");
}

struct goal {
	struct req *r;
	const char *id;
	const char *p[6];
	bool found;
	char *json;
};

static int
goal_insert_tx(struct db *db, void *arg)
{
	struct goal *g = arg;
	const char *q[1] = {g->r->user->user_id};
	PGresult *res;
	int rc;

	if ((rc = content_check_exam(db, g->r, g->p[4])) != 0)
		return rc;
	if ((res = db_query(db, "goal_insert", 6, g->p)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_query(db, "me_goals", 1, q)) == NULL)
		return -1;
	g->json = arena_strdup(g->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* A field present and not null (an invalid one has its own error). */
static bool
given(struct input *in, const char *field)
{
	json_t *v = in->body ? json_object_get(in->body, field) : NULL;

	return v != NULL && !json_is_null(v);
}

void
me_goal_create(struct req *r)
{
	static const char *const kinds[] = {"daily_minutes", "weekly_lessons",
	    "exam_date", NULL};
	struct goal g = {.r = r};
	struct input in;
	struct db *db;
	long target = 0;
	bool has_target;
	int k;

	input_begin(&in, r);
	input_only(&in, (const char *const[]){"kind", "target", "exam",
	    "target_date", NULL});
	g.p[0] = r->user->org_id;
	g.p[1] = r->user->user_id;
	g.p[2] = input_string(&in, "kind", IN_REQUIRED, 1, 20);
	for (k = 0; g.p[2] && kinds[k] && strcmp(kinds[k], g.p[2]) != 0; k++)
		;
	if (g.p[2] != NULL && kinds[k] == NULL)
		input_error(&in, "kind", "must be daily_minutes, weekly_lessons "
		    "or exam_date");
	has_target = input_int(&in, "target", IN_NULLABLE, 1, 10000, &target);
	g.p[3] = has_target ? arena_printf(r->arena, "%ld", target) : NULL;
	g.p[4] = input_string(&in, "exam", IN_NULLABLE, 1, 32);
	g.p[5] = input_string(&in, "target_date", IN_NULLABLE, 10, 10);
	if (g.p[5] != NULL && !api_iso_time(g.p[5]))
		input_error(&in, "target_date", "must be a date (2026-12-31)");
	if (g.p[2] != NULL && kinds[k] != NULL) {
		bool exam = strcmp(g.p[2], "exam_date") == 0;

		if (!exam && !has_target && !given(&in, "target"))
			input_error(&in, "target", "is required");
		if (exam && g.p[4] == NULL && !given(&in, "exam"))
			input_error(&in, "exam", "is required");
		if (exam && g.p[5] == NULL && !given(&in, "target_date"))
			input_error(&in, "target_date", "is required");
		/* A daily or weekly goal has no exam or date. */
		if (!exam && g.p[4] != NULL)
			input_error(&in, "exam", "is only for an exam_date goal");
		if (!exam && g.p[5] != NULL)
			input_error(&in, "target_date", "is only for an exam_date "
			    "goal");
	}
	if (!input_end(&in) || (db = api_db(r)) == NULL)
		return;
	/* A second active goal of a kind is a unique conflict: 409. */
	if (api_tx(r, db, DB_READ_COMMITTED, goal_insert_tx, &g))
		resp_raw_json(r, 201, g.json);
}

static int
goal_change_tx(struct db *db, void *arg)
{
	struct goal *g = arg;
	PGresult *res = db_query(db, g->p[5] ? "goal_update" : "goal_delete",
	    g->p[5] ? 5 : 2, g->p);

	if (res == NULL)
		return -1;
	g->found = PQntuples(res) == 1;
	PQclear(res);
	return 0;
}

static void
goal_change(struct req *r, bool del)
{
	static const char *const statuses[] = {"active", "completed",
	    "abandoned", NULL};
	struct goal g = {.r = r};
	struct input in;
	struct db *db;
	long target;
	int k;

	if ((g.id = req_param(r, "id")) == NULL || !api_is_uuid(g.id)) {
		resp_problem(r, 404, "not-found", "There is no such goal.");
		return;
	}
	g.p[0] = g.id;
	g.p[1] = r->user->user_id;
	if (!del) {
		input_begin(&in, r);
		input_only(&in, (const char *const[]){"target", "target_date",
		    "status", NULL});
		g.p[2] = input_int(&in, "target", 0, 1, 10000, &target) ?
		    arena_printf(r->arena, "%ld", target) : NULL;
		g.p[3] = input_string(&in, "target_date", 0, 10, 10);
		if (g.p[3] != NULL && !api_iso_time(g.p[3]))
			input_error(&in, "target_date", "must be a date");
		g.p[4] = input_string(&in, "status", 0, 1, 12);
		for (k = 0; g.p[4] && statuses[k] &&
		    strcmp(statuses[k], g.p[4]) != 0; k++)
			;
		if (g.p[4] != NULL && statuses[k] == NULL)
			input_error(&in, "status", "must be active, completed or "
			    "abandoned");
		if (!input_end(&in))
			return;
		g.p[5] = "update";
	}
	if ((db = api_db(r)) == NULL || !api_tx(r, db, DB_READ_COMMITTED,
	    goal_change_tx, &g))
		return;
	if (!g.found)
		resp_problem(r, 404, "not-found", "There is no such goal.");
	else
		me_goals(r);
}

void
me_goal_patch(struct req *r)
{
	goal_change(r, false);
}

void
me_goal_delete(struct req *r)
{
	goal_change(r, true);
}
