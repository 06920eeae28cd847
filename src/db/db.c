/*
 * db.c - per-worker connections, prepared queries and transactions.
 */
#include "db/db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/util.h"
#include "db/queries.h"

static const struct config *cfg;
static struct query_set queries;
/* The names of the queries marked "-- plan: generic", "-- org: any". */
struct names {
	const char **v;
	size_t n;
};
static struct names generic_names, any_org_names;
static pthread_key_t thread_key;

static atomic_uint_fast64_t n_connects, n_connect_failures, n_retries,
    n_tx, n_tx_failures;

static void
thread_db_free(void *p)
{
	struct db *db = p;

	if (db != NULL) {
		PQfinish(db->conn);
		free(db);
	}
}

static void
names_add(struct names *s, const char *name)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(s->v[0]));
	s->v[s->n++] = name;
}

static bool
names_have(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

int
db_init(const struct config *c)
{
	static const char prefix[] = "sql/queries/";
	char err[256];

	cfg = c;
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];

		if (strncmp(f->path, prefix, sizeof(prefix) - 1) != 0)
			continue;
		if (queries_parse(&queries, f->path, f->data, err,
		    sizeof(err)) != 0) {
			log_printf(LOG_ERROR, "%s", err);
			return -1;
		}
	}
	for (size_t i = 0; i < queries.count; i++) {
		if (queries.items[i].generic)
			names_add(&generic_names, queries.items[i].name);
		if (queries.items[i].any_org)
			names_add(&any_org_names, queries.items[i].name);
	}
	if (pthread_key_create(&thread_key, thread_db_free) != 0)
		return -1;
	return 0;
}

void
db_shutdown(void)
{
	thread_db_free(pthread_getspecific(thread_key));
	pthread_setspecific(thread_key, NULL);
	pthread_key_delete(thread_key);
	free(generic_names.v);
	free(any_org_names.v);
	generic_names = any_org_names = (struct names){0};
	queries_free(&queries);
}

/* Records why res (or the connection) failed; clears res. */
static void
note_error(struct db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
	    NULL;
	const char *constraint = res ? PQresultErrorField(res,
	    PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *table = res ? PQresultErrorField(res, PG_DIAG_TABLE_NAME) :
	    NULL;
	const char *msg = res ? PQresultErrorField(res,
	    PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(db->conn);
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	snprintf(db->constraint, sizeof(db->constraint), "%s",
	    constraint ? constraint : "");
	snprintf(db->table, sizeof(db->table), "%s", table ? table : "");
	snprintf(db->message, sizeof(db->message), "%s", msg ? msg : "");
	db->message[strcspn(db->message, "\n")] = '\0';
	PQclear(res);

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    strncmp(db->sqlstate, "08", 2) == 0 ||
	    strcmp(db->sqlstate, "57P01") == 0) {
		/* 57P01: the server is shutting down (admin shutdown). */
		db->status = DB_UNAVAILABLE;
		db->prepared = false;
	} else if (strcmp(db->sqlstate, "40001") == 0 ||
	    strcmp(db->sqlstate, "40P01") == 0) {
		db->status = DB_RETRY;
	} else if (strcmp(db->sqlstate, "23505") == 0) {
		db->status = DB_UNIQUE;
	} else if (strcmp(db->sqlstate, "23503") == 0) {
		db->status = DB_FOREIGN_KEY;
	} else if (strcmp(db->sqlstate, "23514") == 0 ||
	    strcmp(db->sqlstate, "23502") == 0) {
		db->status = DB_CHECK;
	} else if (strncmp(db->sqlstate, "22", 2) == 0) {
		db->status = DB_BAD_INPUT;
	} else if (strcmp(db->sqlstate, "57014") == 0) {
		db->status = DB_TIMEOUT;
	} else if (strcmp(db->sqlstate, "55P03") == 0) {
		db->status = DB_LOCKED;
	} else {
		db->status = DB_ERROR;
	}
}

static int
exec_ok(struct db *db, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	note_error(db, res);
	return -1;
}

/* Prepares every named query on db's connection: 0, or -1 (logged). */
static int
prepare_all(struct db *db)
{
	for (size_t i = 0; i < queries.count; i++) {
		PGresult *res = PQprepare(db->conn, queries.items[i].name,
		    queries.items[i].sql, 0, NULL);

		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			note_error(db, res);
			log_write(LOG_ERROR, "cannot prepare query", json_pack(
			    "{s:s, s:s}", "query", queries.items[i].name,
			    "reason", db->message));
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

static int
db_connect(struct db *db)
{
	const char *keys[] = {"dbname", "application_name", "connect_timeout",
	    "user", NULL};
	/* The user after the URL overrides the URL's (libpq reads in order). */
	const char *vals[] = {cfg->database_url, "ludus", "3",
	    cfg->database_role != NULL && *cfg->database_role != '\0' ?
	    cfg->database_role : NULL, NULL};
	long long now = util_now_us();
	char sql[200];

	if (now - db->last_attempt_us < DB_RECONNECT_MS * 1000LL &&
	    db->last_attempt_us != 0) {
		db->status = DB_UNAVAILABLE;
		return -1;
	}
	db->last_attempt_us = now;
	db->prepared = false;
	PQfinish(db->conn);
	atomic_fetch_add(&n_connects, 1);
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		note_error(db, NULL);
		atomic_fetch_add(&n_connect_failures, 1);
		log_write(LOG_WARN, "database connection failed", json_pack(
		    "{s:s}", "reason", db->message));
		return -1;
	}
	/*
	 * A wait for a lock gives up a little before the statement would
	 * (55P03, not 57014), so that a request that met a busy row says so
	 * rather than that it took too long.
	 */
	snprintf(sql, sizeof(sql), "SET client_min_messages = warning; "
	    "SET statement_timeout = %d; SET lock_timeout = %d; "
	    "SET idle_in_transaction_session_timeout = '60s'; "
	    "SET TIME ZONE 'UTC'", cfg->statement_timeout_ms,
	    cfg->statement_timeout_ms > 200 ? cfg->statement_timeout_ms * 9 / 10 :
	    cfg->statement_timeout_ms);
	if (exec_ok(db, sql) != 0)
		goto fail;
	if (prepare_all(db) != 0)
		goto fail;
	db->prepared = true;
	db->plan = PLAN_AUTO;
	db->org_session[0] = '\0';
	db->last_attempt_us = 0;
	return 0;
fail:
	atomic_fetch_add(&n_connect_failures, 1);
	PQfinish(db->conn);
	db->conn = NULL;
	db->status = DB_UNAVAILABLE;
	return -1;
}

struct db *
db_acquire(void)
{
	struct db *db = pthread_getspecific(thread_key);

	if (db == NULL) {
		db = xcalloc(1, sizeof(*db));
		pthread_setspecific(thread_key, db);
	}
	if (db->conn != NULL && db->prepared &&
	    PQstatus(db->conn) == CONNECTION_OK)
		return db;
	return db_connect(db) == 0 ? db : NULL;
}

static bool
uuid_shape(const char *s)
{
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[36] == '\0';
}

/* set_config('ludus.org_id', db->org, local); 0 or -1. */
static int
org_setting(struct db *db, bool local)
{
	const char *params[2] = {db->org, local ? "true" : "false"};
	PGresult *res = PQexecParams(db->conn,
	    "SELECT set_config('ludus.org_id', $1, $2::boolean)", 2, NULL,
	    params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		note_error(db, res);
		return -1;
	}
	PQclear(res);
	if (!local)
		memcpy(db->org_session, db->org, sizeof(db->org));
	return 0;
}

int
db_set_org(struct db *db, const char *org_id)
{
	bool ok = org_id == NULL || *org_id == '\0' || uuid_shape(org_id);

	snprintf(db->org, sizeof(db->org), "%s", ok && org_id ? org_id : "");
	if (!ok)
		return -1;
	if (db->conn != NULL &&
	    PQtransactionStatus(db->conn) == PQTRANS_INTRANS)
		return org_setting(db, true);
	return 0;
}

/*
 * Puts the session's plan_cache_mode where the query wants it, with a SET
 * only when it changes (PLAN_UNKNOWN after a rollback, which undoes a SET
 * made in its transaction).
 */
static int
plan_mode(struct db *db, const char *name)
{
	enum db_plan want = names_have(&generic_names, name) ? PLAN_GENERIC :
	    PLAN_AUTO;

	if (db->plan == want)
		return 0;
	if (exec_ok(db, want == PLAN_GENERIC ? "SET plan_cache_mode = "
	    "force_generic_plan" : "SET plan_cache_mode = auto") != 0)
		return -1;
	db->plan = want;
	return 0;
}

PGresult *
db_query(struct db *db, const char *name, int n, const char *const *params)
{
	return db_query_bin(db, name, n, params, NULL, 0);
}

PGresult *
db_query_bin(struct db *db, const char *name, int n,
    const char *const *params, const int *lengths, int binary)
{
	int formats[DB_MAX_PARAMS];
	PGresult *res;
	ExecStatusType st;

	if (plan_mode(db, name) != 0)
		return NULL;
	/*
	 * Outside a transaction (a statement of its own), the session's
	 * ludus.org_id is what counts: set when it changes.
	 */
	if (strcmp(db->org, db->org_session) != 0 &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE &&
	    !names_have(&any_org_names, name) && org_setting(db, false) != 0)
		return NULL;
	if (lengths != NULL) {
		if (n > DB_MAX_PARAMS)
			abort();	/* a caller's mistake, not input */
		for (int i = 0; i < n; i++)
			formats[i] = lengths[i] >= 0 ? 1 : 0;
	}
	res = PQexecPrepared(db->conn, name, n, params, lengths,
	    lengths != NULL ? formats : NULL, binary);
	st = PQresultStatus(res);

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	note_error(db, res);
	if (db->status == DB_ERROR)
		log_write(LOG_ERROR, "query failed", json_pack("{s:s, s:s, s:s}",
		    "query", name, "sqlstate", db->sqlstate, "reason",
		    db->message));
	return NULL;
}

PGresult *
db_exec(struct db *db, const char *sql)
{
	PGresult *res;
	ExecStatusType st;

	/* It may roll back (to a savepoint), and undo a SET of plan_mode(). */
	db->plan = PLAN_UNKNOWN;
	res = PQexec(db->conn, sql);
	st = PQresultStatus(res);

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	note_error(db, res);
	return NULL;
}

static void
backoff(int attempt)
{
	unsigned r;

	/* Up to 2^attempt ms, at random, so that the rivals part ways. */
	util_random(&r, sizeof(r));
	usleep((useconds_t)(r % ((1u << attempt) * 1000u)));
}

enum db_status
db_tx(struct db *db, enum db_isolation iso, db_tx_fn fn, void *arg)
{
	static const char *const begin[] = {
		"BEGIN",
		"BEGIN ISOLATION LEVEL REPEATABLE READ",
		"BEGIN ISOLATION LEVEL SERIALIZABLE",
	};

	char sql[128];

	atomic_fetch_add(&n_tx, 1);
	/*
	 * BEGIN and the organization in one round trip.  The value is
	 * formatted in, not bound: it is a UUID or "" (db_set_org checked).
	 */
	snprintf(sql, sizeof(sql), "%s; SET LOCAL ludus.org_id = '%s'",
	    begin[iso == DB_ONE_STATEMENT ? 0 : iso], db->org);
	/* What an earlier request left must not be read as this one's. */
	db->status = DB_OK;
	db->sqlstate[0] = db->constraint[0] = db->table[0] = '\0';
	for (int attempt = 1;; attempt++) {
		bool committing = false;
		int rc;

		if ((db->conn == NULL || !db->prepared ||
		    PQstatus(db->conn) != CONNECTION_OK) && db_connect(db) != 0)
			break;
		if (iso == DB_ONE_STATEMENT) {
			if (fn(db, arg) == 0)
				return DB_OK;
			goto failed;
		}
		if (exec_ok(db, sql) != 0)
			goto failed;
		rc = fn(db, arg);
		if (rc > 0) {
			db->plan = PLAN_UNKNOWN;
			if (exec_ok(db, "ROLLBACK") != 0)
				goto failed;
			return DB_TX_ABORTED;
		}
		if (rc == 0) {
			committing = true;
			if (exec_ok(db, "COMMIT") == 0)
				return DB_OK;
		}
failed:
		db->plan = PLAN_UNKNOWN;
		if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
		    PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
			PGresult *res = PQexec(db->conn, "ROLLBACK");
			PQclear(res);
		}
		if (attempt >= DB_TX_ATTEMPTS)
			break;
		if (db->status == DB_RETRY) {
			atomic_fetch_add(&n_retries, 1);
			backoff(attempt);
			continue;
		}
		/*
		 * A lost connection is retried once on a new one, unless
		 * COMMIT was sent: then we cannot know whether it committed.
		 */
		if (db->status == DB_UNAVAILABLE && !committing &&
		    attempt == 1) {
			atomic_fetch_add(&n_retries, 1);
			db->last_attempt_us = 0;
			continue;
		}
		break;
	}
	atomic_fetch_add(&n_tx_failures, 1);
	return db->status;
}

void
db_metrics(FILE *out)
{
	fprintf(out,
	    "# HELP ludus_db_connects_total Database connection attempts.\n"
	    "# TYPE ludus_db_connects_total counter\n"
	    "ludus_db_connects_total %lu\n"
	    "# HELP ludus_db_connect_failures_total Failed connection "
	    "attempts.\n# TYPE ludus_db_connect_failures_total counter\n"
	    "ludus_db_connect_failures_total %lu\n"
	    "# HELP ludus_db_transactions_total Transactions begun.\n"
	    "# TYPE ludus_db_transactions_total counter\n"
	    "ludus_db_transactions_total %lu\n"
	    "# HELP ludus_db_transaction_retries_total Transactions run again "
	    "after a serialization failure, deadlock or lost connection.\n"
	    "# TYPE ludus_db_transaction_retries_total counter\n"
	    "ludus_db_transaction_retries_total %lu\n"
	    "# HELP ludus_db_transaction_failures_total Transactions that "
	    "failed for good.\n"
	    "# TYPE ludus_db_transaction_failures_total counter\n"
	    "ludus_db_transaction_failures_total %lu\n",
	    (unsigned long)atomic_load(&n_connects),
	    (unsigned long)atomic_load(&n_connect_failures),
	    (unsigned long)atomic_load(&n_tx),
	    (unsigned long)atomic_load(&n_retries),
	    (unsigned long)atomic_load(&n_tx_failures));
}

struct db *
db_adopt(PGconn *conn)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->conn = conn;
	if (prepare_all(db) != 0) {
		free(db);
		return NULL;
	}
	db->prepared = true;
	return db;
}

void
db_unadopt(struct db *db)
{
	free(db);
}

PGconn *
db_connect_once(const char *url, const char *role, char *err, size_t errlen)
{
	const char *keys[] = {"dbname", "application_name", "user", NULL};
	const char *vals[] = {url, "ludus", role != NULL && *role != '\0' ?
	    role : NULL, NULL};
	PGconn *conn = PQconnectdbParams(keys, vals, 1);

	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

const char *
db_text_array(struct arena *a, const json_t *list, const char *key)
{
	size_t i, len = 3;
	char *out, *at;
	json_t *v;

	json_array_foreach(list, i, v) {
		const char *t = json_string_value(key ? json_object_get(v, key) :
		    v);

		len += t ? strlen(t) + 1 : 0;
	}
	at = out = arena_alloc(a, len);
	*at++ = '{';
	json_array_foreach(list, i, v) {
		const char *t = json_string_value(key ? json_object_get(v, key) :
		    v);
		size_t n;

		if (t == NULL)
			continue;
		if (at > out + 1)
			*at++ = ',';
		n = strlen(t);
		memcpy(at, t, n);
		at += n;
	}
	memcpy(at, "}", 2);
	return out;
}
