/*
 * api_live.c - the member's live updates (http/live.h): their own channel
 * (notifications) and, when they read one, a forum thread's new replies,
 * once the thread is known to be theirs to read.
 */
#include <stdio.h>
#include <string.h>

#include "community/api.h"
#include "core/perm.h"
#include "http/api.h"
#include "http/live.h"

struct live {
	struct req *r;
	const char *thread;
};

static const char *
uuid_rule(const char *s)
{
	return api_is_uuid(s) ? NULL : "must be a thread's id";
}

static int
live_tx(struct db *db, void *arg)
{
	struct live *l = arg;
	struct req *r = l->r;
	const char *channels[2];
	int n = 0;

	/* A transaction run again (a serialization failure) opens anew. */
	live_discard(r);
	if (l->thread != NULL) {
		const char *p[3] = {r->user->user_id, api_may(r,
		    PERM_CONTENT_ALL), l->thread};
		PGresult *res = db_query(db, "forum_thread_visible", 3, p);

		if (res == NULL)
			return -1;
		n = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (n == 0) {
			resp_problem(r, 404, "not-found", "There is no such thread.");
			return 1;
		}
		channels[0] = arena_printf(r->arena, "thread:%s", l->thread);
	}
	channels[n++] = arena_printf(r->arena, "user:%s", r->user->user_id);
	if (!live_open(r, channels, n))
		return 1;
	return live_replay(r, db);
}

void
live_stream(struct req *r)
{
	struct live l = {.r = r};
	struct input in;
	struct db *db;

	input_query_begin(&in, r);
	l.thread = input_query(&in, "thread", uuid_rule);
	if (input_end(&in) && (db = api_db(r)) != NULL)
		api_tx(r, db, DB_ONE_STATEMENT, live_tx, &l);
}
