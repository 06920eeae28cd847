/*
 * db.h - PostgreSQL access for request handlers.
 *
 * Each worker thread owns one connection, opened on first use and prepared
 * with every named query of sql/queries/.  When PostgreSQL goes away the
 * requests of that moment get DB_UNAVAILABLE (503 for the client); the next
 * request reconnects by itself, at most once per DB_RECONNECT_MS per worker.
 *
 * Handlers do their work inside db_tx(): one transaction per request,
 * retried from the start on a serialization failure or deadlock, and on a
 * connection lost before COMMIT was sent.
 */
#ifndef LUDUS_DB_DB_H
#define LUDUS_DB_DB_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/alloc.h"
#include "core/config.h"

/* What went wrong, from SQLSTATE classes. */
enum db_status {
	DB_OK = 0,
	DB_UNAVAILABLE,  /* no connection, or it was lost */
	DB_RETRY,        /* 40001, 40P01: retries ran out */
	DB_UNIQUE,       /* 23505 */
	DB_FOREIGN_KEY,  /* 23503 */
	DB_CHECK,        /* 23514, 23502: a constraint refused the values */
	DB_BAD_INPUT,    /* class 22: data exception */
	DB_TIMEOUT,      /* 57014: statement timeout or cancel */
	DB_LOCKED,       /* 55P03: a lock wait ran past lock_timeout */
	DB_ERROR,        /* anything else: a bug or an outage */
	DB_TX_ABORTED,   /* the transaction function chose to roll back */
};

#define DB_RECONNECT_MS 200
#define DB_TX_ATTEMPTS 5

/* The session's plan_cache_mode, as far as db_query() knows it. */
enum db_plan { PLAN_UNKNOWN, PLAN_AUTO, PLAN_GENERIC };

struct db {
	PGconn *conn;
	bool prepared;
	enum db_plan plan;
	char org[37];         /* the organization transactions run for */
	char org_session[37]; /* the session-level ludus.org_id */
	long long last_attempt_us;
	enum db_status status; /* of the last failed call */
	char sqlstate[6];
	char constraint[64]; /* the constraint a 23xxx error names */
	char table[64];      /* and its table */
	char message[256];   /* the primary message: for the log, and for
			       * clients only where a check of ours wrote it
			       * for them (the question bank's triggers) */
};

/*
 * Loads the named queries and remembers the configuration.  Call once, in
 * the main thread, before any other db_* function.  0 or -1 (logged).
 */
int db_init(const struct config *cfg);
/* Releases what db_init() made and the calling thread's connection. */
void db_shutdown(void);

/* The calling thread's handle, connected and prepared, or NULL. */
struct db *db_acquire(void);

/*
 * Runs the prepared query `name` with n text parameters.  Returns the result
 * (the caller PQclear()s it), or NULL with db->status and friends set.
 */
PGresult *db_query(struct db *db, const char *name, int n,
    const char *const *params);

/*
 * db_query with some parameters in binary (a bytea's bytes as they are):
 * lengths[i] is parameter i's length in bytes, or -1 for a text one
 * (lengths NULL: all text); binary asks for the result's columns in
 * binary (a bytea's bytes, a text's characters; other types are not
 * readable so).  At most DB_MAX_PARAMS parameters.
 */
#define DB_MAX_PARAMS 16
PGresult *db_query_bin(struct db *db, const char *name, int n,
    const char *const *params, const int *lengths, int binary);

/* Runs plain SQL without parameters; for tests and operations only. */
PGresult *db_exec(struct db *db, const char *sql);

/*
 * The transaction body: returns 0 to commit, a positive value to roll back
 * (db_tx() then returns DB_TX_ABORTED), or -1 after a failed db_query()
 * (db->status says why).  It may run several times, so it must start from
 * scratch on each call.
 */
typedef int (*db_tx_fn)(struct db *db, void *arg);

/*
 * DB_ONE_STATEMENT: fn runs exactly one statement, which is its own
 * transaction (no BEGIN and COMMIT: two round trips fewer).  It must
 * return 0 or -1 (once the statement has run it has committed), and the
 * statement must be safe to repeat (a read, or a write whose repeat
 * changes nothing): like a transaction, it runs again on a new connection
 * when its connection was lost, and then it may have run already.
 */
enum db_isolation {
	DB_READ_COMMITTED, DB_REPEATABLE_READ, DB_SERIALIZABLE,
	DB_ONE_STATEMENT
};

/*
 * Row-level security: the organization db's transactions run for, "" for
 * none (then every organization's rows are out of sight).  db_tx() sets
 * it as ludus.org_id at BEGIN (SET LOCAL, in the same round trip); inside
 * a transaction this also sets it at once (a sign-in finds the account's
 * organization first).  A one-statement transaction reads the session's
 * value, set only when it changes.  -1 for a value that is not a UUID
 * (then it is "").
 */
int db_set_org(struct db *db, const char *org_id);

/* Runs fn in one transaction; returns DB_OK, DB_TX_ABORTED or the error. */
enum db_status db_tx(struct db *db, enum db_isolation iso, db_tx_fn fn,
    void *arg);

/* Writes db's counters in Prometheus text format. */
void db_metrics(FILE *out);

/*
 * "{a,b,c}": a PostgreSQL array literal of the strings of list (or of
 * each entry's field key), in the arena.  The strings must need no
 * quoting (checked codes, tags, ids); other entries are skipped.
 */
const char *db_text_array(struct arena *a, const json_t *list,
    const char *key);

/*
 * A handle on a connection the caller opened (a command-line tool's), with
 * every named query prepared on it; NULL when preparing failed (logged).
 * db_init() must have run.  db_unadopt() frees the handle, not the
 * connection.
 */
struct db *db_adopt(PGconn *conn);
void db_unadopt(struct db *db);

/*
 * A single connection for the command-line tools and the job runner's
 * side connection, as role (NULL: the URL's user; migrate and seed run as
 * the tables' owner).  Returns NULL with a message in err.
 */
PGconn *db_connect_once(const char *url, const char *role, char *err,
    size_t errlen);

#endif
