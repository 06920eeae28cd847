/*
 * engine.h - what a learning event earns: the learner's day and streak,
 * XP, levels, achievements, avatars and notifications, all in the
 * caller's transaction (the lesson completion, the submit, the heartbeat).
 *
 * The XP rules (README: XP and levels):
 *	a lesson completed for the first time          20
 *	a question answered right for the first time    2
 *	a finished attempt                             10
 *	  at 90 % or more                             +10
 *	  at 100 %                                    +25
 *	a day of study (the first event of a day)       5
 *	the daily goal reached                         15
 *	an exam-date goal reached (a passed simulation) 50
 *	an achievement                                 its xp_reward
 *	a flashcard review, up to 50 a day              1
 *	a like on one's forum post, up to 10 a day      2
 *	one's forum reply accepted, up to 5 a day      10
 * Each award has an idempotency key ("lesson:<id>", "attempt:<id>",
 * "answer:<question>", "day:<date>", "goal:<date>", "goal:<id>", "achievement:<id>",
 * "review:<date>:<n>", "liked:<post>:<liker>", "accepted:<reply>"),
 * unique per learner, so nothing pays twice.
 */
#ifndef LUDUS_GAMIFY_ENGINE_H
#define LUDUS_GAMIFY_ENGINE_H

#include "db/db.h"

struct gamify_event {
	const char *org;
	const char *user;
	const char *lesson;    /* a lesson completed just now, or NULL */
	const char *attempt;   /* an attempt finished just now, or NULL */
	double percent;        /* its percentage */
	int seconds;           /* study time credited just now */
	int review_n;          /* a flashcard review just now: the how-manyth
				  of its day it is (0: none) */
	const char *at;        /* when it happened (timestamptz text), or NULL
				  for now: `ludus seed` replays the demo's
				  progress at its own times */
};

/* Records the event and everything it earns: 0, or -1 (db says why). */
int gamify_record(struct db *db, const struct gamify_event *e);

enum helpful { HELPFUL_LIKED, HELPFUL_ACCEPTED };

/*
 * A helpful forum post of user's: a like it received, or its acceptance
 * as an answer.  Its XP (key: "liked:<post>:<liker>", "accepted:<reply>";
 * post: the post's id) up to the day's cap, and what that earns; no day
 * of study, since the learner did nothing.  0, or -1.
 */
int gamify_helpful(struct db *db, const char *org, const char *user,
    enum helpful kind, const char *key, const char *post);

#endif
