/*
 * attempt.h - finishing an attempt: scoring every answer, the totals, the
 * per-domain breakdown, the scaled score, the lesson it completes and the
 * activity event, all in the caller's transaction.  Used by submit, by any
 * request that finds an attempt whose time is up, and by the maintenance
 * job that finalizes the ones nobody came back to.
 */
#ifndef LUDUS_ASSESSMENT_ATTEMPT_H
#define LUDUS_ASSESSMENT_ATTEMPT_H

#include <stdbool.h>

#include "db/db.h"

enum finish_result {
	FINISH_DONE,      /* finished now */
	FINISH_MISSING,   /* no such attempt of this user */
	FINISH_ALREADY,   /* it was finished before */
	FINISH_NOT_DUE,   /* only_overdue, and there is time left */
	FINISH_ERROR,     /* a database error */
};

/*
 * Finishes the user's attempt: "submitted", or "expired" when its time is
 * up (answers saved in time count either way).  With only_overdue, an
 * attempt with time left is left alone.
 */
enum finish_result attempt_finish(struct db *db, const char *attempt,
    const char *user, bool only_overdue);

/* Finishes overdue attempts (the maintenance job); how many, or -1. */
int attempt_finish_overdue(struct db *db);

#endif
