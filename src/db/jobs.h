/*
 * jobs.h - work longer than a request should take (imports, and later
 * generation, mail digests, refreshes), queued in PostgreSQL (migration
 * 0008).  A handler enqueues a job in its own transaction and answers 202;
 * a runner thread of any `ludus serve` claims it, runs it, and commits its
 * effects together with its "succeeded"; the client follows it at
 * /api/v1/jobs/{id}.  The kinds of job are given by the modules, through
 * the one list of them in main.c.
 */
#ifndef LUDUS_DB_JOBS_H
#define LUDUS_DB_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/config.h"
#include "db/db.h"

/* Runner threads of each `ludus serve`: jobs of one server run in turn. */
#define JOB_RUNNERS 1

struct job_runner;

struct job {
	const char *id, *org, *user, *kind;
	json_t *payload;          /* the object given to jobs_enqueue */
	const char *input;        /* the text given to it, or NULL */
	int attempt;              /* 1 the first time */
	struct job_runner *runner;
	bool cancelled;           /* someone asked it to stop (jobs_progress) */
	bool retry_later;         /* set by run() with its 1: the failure may
				   * pass (a server away), try again later */
};

/*
 * What a kind of job does.  run() works in the transaction that will mark
 * the job done (statement and lock timeouts are long there): it returns 0
 * with *result set (a JSON object the runner takes over), -1 after a
 * failed db_query() (a failure that may pass is tried again later), or 1
 * with *error set (malloc'd) when the job cannot succeed, or cannot now
 * (j->retry_later: tried again after a wait that doubles each time), or
 * was cancelled (j->cancelled).  Either way its transaction is rolled
 * back.
 */
struct job_kind {
	const char *name;
	int (*run)(struct db *db, struct job *j, json_t **result,
	    char **error);
};

/*
 * Queues a job in the caller's transaction; id gets its id.  payload is
 * not taken over; input may be NULL.  0 or -1.
 */
int jobs_enqueue(struct db *db, const char *org, const char *user,
    const char *kind, const json_t *payload, const char *input,
    char id[37]);

/*
 * How far a running job is: shown at once (it is written outside the
 * work's transaction) and at most a few times a second.  True when the
 * job was asked to stop (j->cancelled): run() should then return 1.
 */
bool jobs_progress(struct job *j, size_t done, size_t total);

/*
 * Starts `workers` runner threads for these kinds (0: none, this server
 * only serves); 0 or -1.  jobs_stop() lets the running jobs finish.
 */
int jobs_start(const struct config *cfg, const struct job_kind *kinds,
    size_t n, int workers);
void jobs_stop(void);

/* Wakes the runners: a job was queued in this process. */
void jobs_kick(void);

#endif
