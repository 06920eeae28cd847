/*
 * jobs.c - the job queue's runners (jobs.h).
 *
 * Each runner is a thread with the thread's usual connection for the work
 * and a second one of its own for progress, which must show while the
 * work's transaction is still open.  A runner claims the oldest waiting
 * job under a lease, runs it in one transaction that also marks it
 * succeeded, and otherwise puts it back (a failure that may pass) or marks
 * it failed.  It sleeps a quarter of a second when the queue is empty,
 * less when this process queued something (jobs_kick).
 */
#include "db/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/util.h"

#define LEASE_S 600           /* renewed by progress */
#define PROGRESS_EVERY_US 250000
#define IDLE_WAIT_MS 250
#define MAX_RUNNERS 8

struct job_runner {
	pthread_t thread;
	PGconn *side_conn;        /* progress, outside the work's transaction */
	struct db *side;
	int64_t last_progress_us;
};

static const struct config *cfg;
static const struct job_kind *kinds;
static size_t nkinds;
static struct job_runner runners[MAX_RUNNERS];
static int nrunners;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool stopping, kicked;

int
jobs_enqueue(struct db *db, const char *org, const char *user,
    const char *kind, const json_t *payload, const char *input, char id[37])
{
	char *text = json_dumps(payload, JSON_COMPACT);
	const char *p[5] = {org, user, kind, text, input};
	PGresult *res = db_query(db, "job_enqueue", 5, p);

	free(text);
	if (res == NULL)
		return -1;
	snprintf(id, 37, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
jobs_kick(void)
{
	pthread_mutex_lock(&mu);
	kicked = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

struct progress {
	const char *p[4];
	bool cancelled;
};

static int
progress_tx(struct db *db, void *arg)
{
	struct progress *q = arg;
	PGresult *res = db_query(db, "job_progress", 4, q->p);

	if (res == NULL)
		return -1;
	q->cancelled = PQntuples(res) == 1 &&
	    strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return 0;
}

bool
jobs_progress(struct job *j, size_t done, size_t total)
{
	struct job_runner *w = j->runner;
	int64_t now = util_now_us();
	char d[24], t[24], lease[16];
	struct progress q = {{j->id, d, t, lease}, false};

	if (w == NULL || w->side == NULL || (done < total &&
	    now - w->last_progress_us < PROGRESS_EVERY_US))
		return j->cancelled;
	w->last_progress_us = now;
	snprintf(d, sizeof(d), "%zu", done);
	snprintf(t, sizeof(t), "%zu", total);
	snprintf(lease, sizeof(lease), "%d", LEASE_S);
	/* Progress is a courtesy: a failure here does not fail the job. */
	db_set_org(w->side, j->org);
	if (db_tx(w->side, DB_ONE_STATEMENT, progress_tx, &q) == DB_OK &&
	    q.cancelled)
		j->cancelled = true;
	return j->cancelled;
}

/* A claimed job, its strings copied out of the claim's result. */
struct claim {
	bool found;
	char id[37], org[37], user[37], kind[80];
	char *payload, *input;
	int attempt, max_attempts;
};

static int
claim_tx(struct db *db, void *arg)
{
	struct claim *c = arg;
	char lease[16];
	const char *p[1] = {lease};
	PGresult *res;

	snprintf(lease, sizeof(lease), "%d", LEASE_S);
	if ((res = db_query(db, "job_claim", 1, p)) == NULL)
		return -1;
	c->found = PQntuples(res) == 1;
	if (c->found) {
		snprintf(c->id, sizeof(c->id), "%s", PQgetvalue(res, 0, 0));
		snprintf(c->org, sizeof(c->org), "%s", PQgetvalue(res, 0, 1));
		snprintf(c->user, sizeof(c->user), "%s", PQgetvalue(res, 0, 2));
		snprintf(c->kind, sizeof(c->kind), "%s", PQgetvalue(res, 0, 3));
		free(c->payload);
		free(c->input);
		c->payload = xstrdup(PQgetvalue(res, 0, 4));
		c->input = PQgetisnull(res, 0, 5) ? NULL :
		    xstrdup(PQgetvalue(res, 0, 5));
		c->attempt = atoi(PQgetvalue(res, 0, 6));
		c->max_attempts = atoi(PQgetvalue(res, 0, 7));
	}
	PQclear(res);
	return 0;
}

struct work {
	const struct job_kind *kind;
	struct job *job;
	json_t *result;
	char *error;
};

static int
work_tx(struct db *db, void *arg)
{
	struct work *w = arg;
	PGresult *res;
	char *text;
	int rc;

	json_decref(w->result);
	w->result = NULL;
	free(w->error);
	w->error = NULL;
	/* A job may take minutes, and wait for another's rows. */
	if ((res = db_exec(db, "SET LOCAL statement_timeout = '15min'; "
	    "SET LOCAL lock_timeout = '10min'")) == NULL)
		return -1;
	PQclear(res);
	if ((rc = w->kind->run(db, w->job, &w->result, &w->error)) != 0)
		return rc;
	text = json_dumps(w->result ? w->result : json_object(), JSON_COMPACT);
	{
		const char *p[2] = {w->job->id, text};

		res = db_query(db, "job_succeed", 2, p);
	}
	free(text);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

struct failure {
	const char *id, *error;
	bool retry;
	bool cancelled;
	bool requeued;
};

static int
fail_tx(struct db *db, void *arg)
{
	struct failure *f = arg;
	const char *p[3] = {f->id, f->error, f->retry ? "true" : "false"};
	PGresult *res = db_query(db, f->cancelled ? "job_cancelled" :
	    "job_fail", f->cancelled ? 1 : 3, p);

	if (res == NULL)
		return -1;
	f->requeued = !f->cancelled && PQntuples(res) == 1 &&
	    strcmp(PQgetvalue(res, 0, 0), "queued") == 0;
	PQclear(res);
	return 0;
}

static const struct job_kind *
kind_named(const char *name)
{
	for (size_t i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

/* Runs one job if there is one: 1 when it did, 0 when the queue is empty. */
static int
run_one(struct job_runner *r, struct db *db, struct claim *c)
{
	struct work w = {0};
	struct job j = {0};
	struct failure f = {0};
	enum db_status st;
	int64_t t0 = util_now_us();

	db_set_org(db, NULL);
	if (db_tx(db, DB_READ_COMMITTED, claim_tx, c) != DB_OK || !c->found)
		return 0;
	/* The job works for its organization, and for it alone. */
	db_set_org(db, c->org);
	j = (struct job){.id = c->id, .org = c->org, .user = c->user,
	    .kind = c->kind, .payload = json_loads(c->payload, 0, NULL),
	    .input = c->input, .attempt = c->attempt, .runner = r};
	w.job = &j;
	w.kind = kind_named(c->kind);
	r->last_progress_us = 0;
	if (w.kind == NULL) {
		st = DB_TX_ABORTED;
		w.error = xstrdup("No server knows this kind of job.");
	} else {
		st = db_tx(db, DB_READ_COMMITTED, work_tx, &w);
	}
	if (st == DB_OK) {
		log_write(LOG_INFO, "job succeeded", json_pack("{s:s, s:s, s:i, "
		    "s:I}", "job_id", c->id, "kind", c->kind, "attempt",
		    c->attempt, "ms", (json_int_t)((util_now_us() - t0) / 1000)));
	} else {
		f.id = c->id;
		if (st == DB_TX_ABORTED) {
			f.error = w.error ? w.error : "The job failed.";
			f.cancelled = j.cancelled;
			f.retry = !j.cancelled && j.retry_later;
		} else {
			/* The database was away or busy: that may pass. */
			f.retry = st == DB_UNAVAILABLE || st == DB_RETRY ||
			    st == DB_LOCKED || st == DB_TIMEOUT;
			f.error = f.retry ? "The database was busy or away; "
			    "the job will be tried again." : "The job failed on "
			    "the server; it was logged.";
		}
		log_write(f.cancelled ? LOG_INFO : LOG_ERROR, f.cancelled ?
		    "job cancelled" : "job failed", json_pack("{s:s, s:s, s:i, "
		    "s:s, s:s}", "job_id", c->id, "kind", c->kind, "attempt",
		    c->attempt, "sqlstate", db->sqlstate, "reason",
		    st == DB_TX_ABORTED ? f.error : db->message));
		if (db_tx(db, DB_READ_COMMITTED, fail_tx, &f) != DB_OK)
			log_write(LOG_ERROR, "job state not saved", json_pack(
			    "{s:s, s:s}", "job_id", c->id, "reason",
			    db->message));
	}
	json_decref(w.result);
	free(w.error);
	json_decref(j.payload);
	return 1;
}

static void
side_connect(struct job_runner *r)
{
	char err[256];

	if (r->side != NULL)
		return;
	if ((r->side_conn = db_connect_once(cfg->database_url,
	    cfg->database_role, err, sizeof(err))) == NULL)
		return;
	if ((r->side = db_adopt(r->side_conn)) == NULL) {
		PQfinish(r->side_conn);
		r->side_conn = NULL;
	}
}

static void
side_close(struct job_runner *r)
{
	if (r->side != NULL)
		db_unadopt(r->side);
	if (r->side_conn != NULL)
		PQfinish(r->side_conn);
	r->side = NULL;
	r->side_conn = NULL;
}

static void *
run(void *arg)
{
	struct job_runner *r = arg;
	struct claim c = {0};

	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct db *db;
		struct timespec until;

		kicked = false;
		pthread_mutex_unlock(&mu);
		if ((db = db_acquire()) != NULL) {
			side_connect(r);
			if (r->side_conn != NULL &&
			    PQstatus(r->side_conn) != CONNECTION_OK)
				side_close(r);
			while (run_one(r, db, &c) == 1) {
				pthread_mutex_lock(&mu);
				bool stop = stopping;
				pthread_mutex_unlock(&mu);
				if (stop)
					break;
			}
		}
		pthread_mutex_lock(&mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += IDLE_WAIT_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (!stopping && !kicked)
			pthread_cond_timedwait(&cv, &mu, &until);
	}
	pthread_mutex_unlock(&mu);
	free(c.payload);
	free(c.input);
	side_close(r);
	return NULL;
}

int
jobs_start(const struct config *c, const struct job_kind *k, size_t n,
    int workers)
{
	cfg = c;
	kinds = k;
	nkinds = n;
	stopping = false;
	if (workers > MAX_RUNNERS)
		workers = MAX_RUNNERS;
	for (nrunners = 0; nrunners < workers; nrunners++) {
		runners[nrunners] = (struct job_runner){0};
		if (pthread_create(&runners[nrunners].thread, NULL, run,
		    &runners[nrunners]) != 0) {
			jobs_stop();
			return -1;
		}
	}
	return 0;
}

void
jobs_stop(void)
{
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < nrunners; i++)
		pthread_join(runners[i].thread, NULL);
	nrunners = 0;
}
