/*
 * maintenance.c - the background thread of `ludus serve`.
 */
#include "ops/maintenance.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "assessment/attempt.h"
#include "core/log.h"
#include "db/db.h"

#define MAIL_ATTEMPTS 5
#define CLEANUP_EVERY_S 60
#define DAILY_EVERY_S 86400

static const struct config *cfg;
static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool stopping, running;

/* mkdir -p */
static int
make_dir(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

/* Writes one message as an .eml file; 0, or -1 with errno. */
static int
write_mail(const char *id, const char *to, const char *subject,
    const char *body, const char *date)
{
	char path[600], tmp[620];
	FILE *f;
	int fd;

	if (make_dir(cfg->mail_dir) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.eml", cfg->mail_dir, id);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* 0600: the body may hold a secret link. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(f, "Message-ID: <%s@ludus>\r\nDate: %s\r\nFrom: Ludus "
	    "<no-reply@ludus.invalid>\r\nTo: %s\r\nSubject: %s\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "\r\n%s", id, date, to, subject, body);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

static int
deliver_tx(struct db *db, void *arg)
{
	int *sent = arg;
	PGresult *res = db_query(db, "mail_claim", 0, NULL);
	char id[37];
	const char *p[3] = {id, NULL, NULL};
	char attempts[8];
	int rc;

	*sent = 0;
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 0;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	/* Marking it sent or failed is its organization's business. */
	if (db_set_org(db, PQgetvalue(res, 0, 5)) != 0) {
		PQclear(res);
		return -1;
	}
	rc = write_mail(id, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
	    PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4));
	if (rc == 0) {
		log_write(LOG_INFO, "mail delivered", json_pack("{s:s, s:s, "
		    "s:s, s:s}", "mail_id", id, "to", PQgetvalue(res, 0, 1),
		    "subject", PQgetvalue(res, 0, 2), "file", cfg->mail_dir));
		PQclear(res);
		if ((res = db_query(db, "mail_sent", 1, p)) == NULL)
			return -1;
		*sent = 1;
	} else {
		p[1] = strerror(errno);
		log_write(LOG_ERROR, "mail delivery failed", json_pack(
		    "{s:s, s:s}", "mail_id", id, "reason", p[1]));
		PQclear(res);
		snprintf(attempts, sizeof(attempts), "%d", MAIL_ATTEMPTS);
		p[2] = attempts;
		if ((res = db_query(db, "mail_failed", 3, p)) == NULL)
			return -1;
	}
	PQclear(res);
	return 0;
}

/* One maintenance step: a named query, in a transaction of its own. */
struct step {
	const char *query;
	const char *param;
	int count; /* the first column of the answer, if any */
};

static int
step_tx(struct db *db, void *arg)
{
	struct step *s = arg;
	const char *p[1] = {s->param};
	PGresult *res = db_query(db, s->query, s->param ? 1 : 0, p);

	if (res == NULL)
		return -1;
	s->count = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return 0;
}

/*
 * The steps for the organization db is set to, each alone, so that one
 * failing cannot hold back the others.
 */
static void
cleanup_org(struct db *db)
{
	char secs[24];
	int n;
	struct step steps[] = {
		{"cleanup_expired", NULL, 0},
		{"jobs_cleanup", NULL, 0},
		{"sessions_close_stale", NULL, 0},
		{"sessions_close_stale_materials", NULL, 0},
		{"anonymize_deleted", secs, 0},
		{"streaks_at_risk", NULL, 0},
		{"sso_cleanup", NULL, 0},
		{"forum_digest", NULL, 0},
		{"live_prune", NULL, 0},
	};

	snprintf(secs, sizeof(secs), "%ld",
	    (long)cfg->deleted_retention_days * 86400);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		enum db_status st = db_tx(db, DB_READ_COMMITTED, step_tx,
		    &steps[i]);

		if (st != DB_OK)
			log_write(LOG_ERROR, "maintenance step failed", json_pack(
			    "{s:s, s:s, s:s}", "step", steps[i].query,
			    "sqlstate", db->sqlstate, "reason", db->message));
	}
	if (steps[4].count > 0)
		log_write(LOG_INFO, "accounts anonymized", json_pack("{s:i}",
		    "count", steps[4].count));
	/* Attempts nobody came back to: scored with the answers saved. */
	if ((n = attempt_finish_overdue(db)) > 0)
		log_write(LOG_INFO, "overdue attempts finished", json_pack(
		    "{s:i}", "count", n));
}

/* One step of the daily maintenance: its query's result, or NULL (logged). */
static PGresult *
daily_step(struct db *db, const char *step, int n, const char *const *p)
{
	PGresult *res = db_query(db, step, n, p);

	if (res == NULL)
		log_write(LOG_ERROR, "maintenance step failed", json_pack(
		    "{s:s, s:s, s:s}", "step", step, "sqlstate", db->sqlstate,
		    "reason", db->message));
	return res;
}

/*
 * What is done once a day for every organization at once, by one server
 * at a time: next months' partitions, the retention policy, and the
 * files nobody has used for a day.
 */
static void
daily(struct db *db)
{
	char days[5][16];
	const char *p[5];
	PGresult *res;

	db_set_org(db, NULL);
	snprintf(days[0], 16, "%d", cfg->retain_interactions_days);
	snprintf(days[1], 16, "%d", cfg->retain_inactive_days);
	snprintf(days[2], 16, "%d", cfg->retain_sessions_days);
	snprintf(days[3], 16, "%d", cfg->retain_audit_days);
	snprintf(days[4], 16, "%d", cfg->retain_metrics_days);
	for (int i = 0; i < 5; i++)
		p[i] = days[i];
	if ((res = daily_step(db, "partitions_ahead", 0, NULL)) != NULL) {
		if (PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) > 0)
			log_write(LOG_INFO, "partitions made", json_pack("{s:i}",
			    "count", atoi(PQgetvalue(res, 0, 0))));
		PQclear(res);
	}
	if ((res = daily_step(db, "retention_apply", 5, p)) != NULL) {
		if (PQntuples(res) == 1)
			log_write(LOG_INFO, "retention applied", json_loads(
			    PQgetvalue(res, 0, 0), 0, NULL));
		PQclear(res);
	}
	p[0] = "1 day";
	if ((res = daily_step(db, "file_blobs_sweep", 1, p)) != NULL) {
		if (PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) > 0)
			log_write(LOG_INFO, "unused files removed", json_pack(
			    "{s:i}", "count", atoi(PQgetvalue(res, 0, 0))));
		PQclear(res);
	}
}

/* Each organization in turn: row-level security shows one at a time. */
static void
cleanup(struct db *db)
{
	PGresult *orgs;

	db_set_org(db, NULL);
	if ((orgs = db_query(db, "orgs_all", 0, NULL)) == NULL) {
		log_write(LOG_ERROR, "maintenance step failed", json_pack(
		    "{s:s, s:s, s:s}", "step", "orgs_all", "sqlstate",
		    db->sqlstate, "reason", db->message));
		return;
	}
	for (int i = 0; i < PQntuples(orgs); i++) {
		db_set_org(db, PQgetvalue(orgs, i, 0));
		cleanup_org(db);
	}
	PQclear(orgs);
	db_set_org(db, NULL);
}

static void *
run(void *arg)
{
	time_t last_cleanup = 0, last_daily = 0;

	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct db *db;
		struct timespec until;

		pthread_mutex_unlock(&mu);
		if ((db = db_acquire()) != NULL) {
			int sent = 1;

			/* Everything pending, one transaction per message. */
			db_set_org(db, NULL);
			for (int i = 0; i < 100 && sent; i++)
				if (db_tx(db, DB_READ_COMMITTED, deliver_tx,
				    &sent) != DB_OK)
					break;
			if (time(NULL) - last_cleanup >= CLEANUP_EVERY_S) {
				last_cleanup = time(NULL);
				cleanup(db);
			}
			if (time(NULL) - last_daily >= DAILY_EVERY_S) {
				last_daily = time(NULL);
				daily(db);
			}
		}
		pthread_mutex_lock(&mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (!stopping)
			pthread_cond_timedwait(&cv, &mu, &until);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int
maintenance_start(const struct config *c)
{
	cfg = c;
	stopping = false;
	if (pthread_create(&thread, NULL, run, NULL) != 0)
		return -1;
	running = true;
	return 0;
}

void
maintenance_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	running = false;
}
