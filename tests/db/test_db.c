/*
 * test_db.c - the database layer against a real PostgreSQL
 * (LUDUS_TEST_DATABASE_URL, a migrated copy made by scripts/test.sh):
 * prepared queries, commit and rollback, constraint errors, retries after a
 * deadlock and a serialization failure, recovery from a lost connection,
 * and the organization row-level security reads, as ludus_app.  The other
 * tests run as the URL's user (the owner: they make a table).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/util.h"
#include "db/db.h"

static struct config cfg;

/* Runs sql on the calling thread's connection, outside any transaction. */
static void
exec_or_fail(const char *sql)
{
	struct db *db = db_acquire();
	PGresult *res;

	assert_non_null(db);
	res = db_exec(db, sql);
	if (res == NULL)
		fail_msg("%s: %s", sql, db->message);
	PQclear(res);
}

static long
scalar(const char *sql)
{
	struct db *db = db_acquire();
	PGresult *res = db_exec(db, sql);
	long v;

	assert_non_null(res);
	v = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static int
setup(void **state)
{
	(void)state;
	exec_or_fail("DROP TABLE IF EXISTS probe; CREATE TABLE probe ("
	    "id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0 "
	    "CHECK (n < 100)); INSERT INTO probe VALUES (1, 0), (2, 0)");
	return 0;
}

static void
prepared_query_runs(void **state)
{
	struct db *db = db_acquire();
	PGresult *res;

	(void)state;
	assert_non_null(db);
	res = db_query(db, "ops_schema_version", 0, NULL);
	assert_non_null(res);
	assert_true(atoi(PQgetvalue(res, 0, 0)) >= 1);
	PQclear(res);
}

static void
unknown_query_is_an_error(void **state)
{
	struct db *db = db_acquire();

	(void)state;
	assert_null(db_query(db, "no_such_query", 0, NULL));
	assert_int_equal(db->status, DB_ERROR);
	assert_string_equal(db->sqlstate, "26000");
}

static int
insert_three(struct db *db, void *arg)
{
	PGresult *res = db_exec(db, "INSERT INTO probe VALUES (3, 0)");

	if (res == NULL)
		return -1;
	PQclear(res);
	return arg ? *(int *)arg : 0;
}

static void
commit_and_rollback(void **state)
{
	struct db *db = db_acquire();
	int abort_it = 1;

	(void)state;
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, insert_three, &abort_it),
	    DB_TX_ABORTED);
	assert_int_equal(scalar("SELECT count(*) FROM probe WHERE id = 3"), 0);
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, insert_three, NULL),
	    DB_OK);
	assert_int_equal(scalar("SELECT count(*) FROM probe WHERE id = 3"), 1);
	exec_or_fail("DELETE FROM probe WHERE id = 3");
}

static int
own_transaction(struct db *db, void *arg)
{
	/* Inside BEGIN, now() is the time of BEGIN, before the statement's. */
	PGresult *res = db_exec(db, "SELECT now() = statement_timestamp()");

	if (res == NULL)
		return -1;
	*(bool *)arg = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return 0;
}

static void
one_statement_is_its_own_transaction(void **state)
{
	struct db *db = db_acquire();
	bool alone = false;

	(void)state;
	assert_int_equal(db_tx(db, DB_ONE_STATEMENT, own_transaction, &alone),
	    DB_OK);
	assert_true(alone);
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, own_transaction, &alone),
	    DB_OK);
	assert_false(alone);
	/* A failed statement wrote nothing and is reported as in a
	 * transaction. */
	exec_or_fail("INSERT INTO probe VALUES (3, 0)");
	assert_int_equal(db_tx(db, DB_ONE_STATEMENT, insert_three, NULL),
	    DB_UNIQUE);
	assert_int_equal(PQtransactionStatus(db->conn), PQTRANS_IDLE);
	exec_or_fail("DELETE FROM probe WHERE id = 3");
	assert_int_equal(db_tx(db, DB_ONE_STATEMENT, insert_three, NULL),
	    DB_OK);
	assert_int_equal(scalar("SELECT count(*) FROM probe WHERE id = 3"), 1);
	exec_or_fail("DELETE FROM probe WHERE id = 3");
}

static void
constraint_errors_are_classified(void **state)
{
	struct db *db = db_acquire();

	(void)state;
	exec_or_fail("INSERT INTO probe VALUES (3, 0)");
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, insert_three, NULL),
	    DB_UNIQUE);
	assert_string_equal(db->sqlstate, "23505");
	assert_string_equal(db->constraint, "probe_pkey");
	exec_or_fail("DELETE FROM probe WHERE id = 3");

	assert_null(db_exec(db, "UPDATE probe SET n = 100"));
	assert_int_equal(db->status, DB_CHECK);
	assert_null(db_exec(db, "SELECT 'x'::integer"));
	assert_int_equal(db->status, DB_BAD_INPUT);
	/* The connection is still good after the errors. */
	assert_int_equal(scalar("SELECT 41 + 1"), 42);
}

/* Two transactions that take the same two rows in opposite orders. */
struct rival {
	int first, second;
	pthread_barrier_t *barrier;
	atomic_int *calls;
	enum db_isolation iso;
	enum db_status result;
};

static int
update_both(struct db *db, void *arg)
{
	struct rival *r = arg;
	char sql[96];
	PGresult *res;
	int call = atomic_fetch_add(r->calls, 1);

	snprintf(sql, sizeof(sql), "UPDATE probe SET n = n + 1 WHERE id = %d",
	    r->first);
	if ((res = db_exec(db, sql)) == NULL)
		return -1;
	PQclear(res);
	if (call < 2) /* only the two first attempts meet */
		pthread_barrier_wait(r->barrier);
	snprintf(sql, sizeof(sql), "UPDATE probe SET n = n + 1 WHERE id = %d",
	    r->second);
	if ((res = db_exec(db, sql)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Write skew: each reads both rows, then writes its own. */
static int
read_then_write(struct db *db, void *arg)
{
	struct rival *r = arg;
	char sql[96];
	PGresult *res;
	int call = atomic_fetch_add(r->calls, 1);

	if ((res = db_exec(db, "SELECT sum(n) FROM probe")) == NULL)
		return -1;
	PQclear(res);
	if (call < 2)
		pthread_barrier_wait(r->barrier);
	snprintf(sql, sizeof(sql), "UPDATE probe SET n = n + 1 WHERE id = %d",
	    r->first);
	if ((res = db_exec(db, sql)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static db_tx_fn rival_fn;

static void *
rival_thread(void *arg)
{
	struct rival *r = arg;
	struct db *db = db_acquire();

	r->result = db ? db_tx(db, r->iso, rival_fn, r) : DB_UNAVAILABLE;
	return NULL;
}

static void
run_rivals(db_tx_fn fn, enum db_isolation iso, atomic_int *calls)
{
	pthread_barrier_t barrier;
	pthread_t t1, t2;
	struct rival a = {1, 2, &barrier, calls, iso, DB_ERROR};
	struct rival b = {2, 1, &barrier, calls, iso, DB_ERROR};

	exec_or_fail("UPDATE probe SET n = 0");
	pthread_barrier_init(&barrier, NULL, 2);
	rival_fn = fn;
	pthread_create(&t1, NULL, rival_thread, &a);
	pthread_create(&t2, NULL, rival_thread, &b);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&barrier);
	assert_int_equal(a.result, DB_OK);
	assert_int_equal(b.result, DB_OK);
}

static void
deadlock_is_retried(void **state)
{
	atomic_int calls = 0;

	(void)state;
	run_rivals(update_both, DB_READ_COMMITTED, &calls);
	/* One of the two was chosen as the deadlock victim and ran again. */
	assert_true(atomic_load(&calls) >= 3);
	/* Each transaction added one to each row, exactly once. */
	assert_int_equal(scalar("SELECT min(n) * 10 + max(n) FROM probe"), 22);
}

static void
serialization_failure_is_retried(void **state)
{
	atomic_int calls = 0;

	(void)state;
	run_rivals(read_then_write, DB_SERIALIZABLE, &calls);
	assert_true(atomic_load(&calls) >= 3);
	assert_int_equal(scalar("SELECT sum(n) FROM probe"), 2);
}

static int
read_version(struct db *db, void *arg)
{
	PGresult *res = db_query(db, "ops_schema_version", 0, NULL);

	(void)arg;
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The session's plan_cache_mode, read by plain SQL. */
static void
assert_plan_mode(struct db *db, const char *want)
{
	PGresult *res = db_exec(db, "SHOW plan_cache_mode");

	assert_non_null(res);
	assert_string_equal(PQgetvalue(res, 0, 0), want);
	PQclear(res);
}

static int
board_then(struct db *db, void *arg)
{
	static const char *const p[6] = {"00000000-0000-4000-8000-000000000001",
	    "00000000-0000-4000-8000-000000000002", "weekly", NULL, "xp", "10"};
	PGresult *res = db_query(db, "leaderboard", 6, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return arg ? *(int *)arg : 0;
}

static void
plan_generic_queries_run_generic(void **state)
{
	struct db *db = db_acquire();
	int abort_it = 1;

	(void)state;
	/* "-- plan: generic" (the leaderboard) sets the mode for itself; an
	 * unmarked query sets it back. */
	assert_int_equal(db_tx(db, DB_ONE_STATEMENT, board_then, NULL), DB_OK);
	assert_plan_mode(db, "force_generic_plan");
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, read_version, NULL),
	    DB_OK);
	assert_plan_mode(db, "auto");
	/* A rollback undoes a SET made in its transaction: the next marked
	 * query sets it again. */
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, board_then, &abort_it),
	    DB_TX_ABORTED);
	assert_plan_mode(db, "auto");
	assert_int_equal(db_tx(db, DB_ONE_STATEMENT, board_then, NULL), DB_OK);
	assert_plan_mode(db, "force_generic_plan");
}

/* How many rows of organization org the handle's next query sees. */
static struct db *app;
static char default_org[37];

static int
org_rows(struct db *db, const char *org)
{
	const char *p[1] = {org};
	PGresult *res = db_query(db, "org_get", 1, p);
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	return n;
}

static int
count_default(struct db *db, void *arg)
{
	int *n = arg;

	*n = org_rows(db, default_org);
	return *n < 0 ? -1 : 0;
}

static int
switch_then_count(struct db *db, void *arg)
{
	if (db_set_org(db, default_org) != 0)
		return -1;
	return count_default(db, arg);
}

static void
organization_bounds_every_statement(void **state)
{
	int n = -1;

	(void)state;
	/* A transaction sees the organization it is set to, and only it. */
	assert_int_equal(db_set_org(app, default_org), 0);
	assert_int_equal(db_tx(app, DB_READ_COMMITTED, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_set_org(app, NULL), 0);
	assert_int_equal(db_tx(app, DB_READ_COMMITTED, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_set_org(app, "00000000-0000-4000-8000-000000000000"),
	    0);
	assert_int_equal(db_tx(app, DB_REPEATABLE_READ, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 0);

	/* A statement of its own follows the session's value, which follows
	 * the handle's; so does a query outside any transaction. */
	assert_int_equal(db_set_org(app, default_org), 0);
	assert_int_equal(db_tx(app, DB_ONE_STATEMENT, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_set_org(app, ""), 0);
	assert_int_equal(db_tx(app, DB_ONE_STATEMENT, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_set_org(app, default_org), 0);
	assert_int_equal(org_rows(app, default_org), 1);
	assert_int_equal(db_set_org(app, NULL), 0);
	assert_int_equal(org_rows(app, default_org), 0);
	/* and a transaction after it is not fooled by the session's value */
	assert_int_equal(db_set_org(app, default_org), 0);
	assert_int_equal(db_tx(app, DB_ONE_STATEMENT, count_default, &n),
	    DB_OK);
	assert_int_equal(db_set_org(app, NULL), 0);
	assert_int_equal(db_tx(app, DB_READ_COMMITTED, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 0);

	/* Set inside a transaction, it counts at once (a sign-in). */
	assert_int_equal(db_tx(app, DB_READ_COMMITTED, switch_then_count, &n),
	    DB_OK);
	assert_int_equal(n, 1);

	/* Anything but a UUID is refused, and leaves no organization. */
	assert_int_equal(db_set_org(app, "x'; RESET ROLE; --"), -1);
	assert_string_equal(app->org, "");
	assert_int_equal(db_set_org(app, "00000000-0000-4000-8000-00000000000G"),
	    -1);
	assert_int_equal(db_set_org(app, "00000000-0000-4000-8000-0000000000000"),
	    -1);
	assert_int_equal(db_tx(app, DB_READ_COMMITTED, count_default, &n),
	    DB_OK);
	assert_int_equal(n, 0);
}

static void
lost_connection_is_replaced(void **state)
{
	struct db *db = db_acquire();
	long before = scalar("SELECT pg_backend_pid()");
	char sql[96], err[256];
	PGconn *killer = db_connect_once(cfg.database_url, NULL, err,
	    sizeof(err));
	PGresult *res;

	(void)state;
	assert_non_null(killer);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%ld)", before);
	res = PQexec(killer, sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	PQclear(res);
	PQfinish(killer);
	usleep(100000);

	/* The transaction finds the connection dead at BEGIN, reconnects and
	 * runs on the new one. */
	assert_int_equal(db_tx(db, DB_READ_COMMITTED, read_version, NULL),
	    DB_OK);
	assert_true(scalar("SELECT pg_backend_pid()") != before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prepared_query_runs),
		cmocka_unit_test(unknown_query_is_an_error),
		cmocka_unit_test(commit_and_rollback),
		cmocka_unit_test(one_statement_is_its_own_transaction),
		cmocka_unit_test(plan_generic_queries_run_generic),
		cmocka_unit_test(constraint_errors_are_classified),
		cmocka_unit_test(deadlock_is_retried),
		cmocka_unit_test(serialization_failure_is_retried),
		cmocka_unit_test(lost_connection_is_replaced),
		cmocka_unit_test(organization_bounds_every_statement),
	};
	const char *url = getenv("LUDUS_TEST_DATABASE_URL");
	int failed;

	if (url == NULL) {
		fprintf(stderr, "test_db: LUDUS_TEST_DATABASE_URL is not set\n");
		return 1;
	}
	json_set_alloc_funcs(xmalloc, free);
	util_init();
	config_defaults(&cfg);
	cfg.database_url = url;
	cfg.database_role = NULL;
	if (db_init(&cfg) != 0)
		return 1;
	{
		char err[256];
		PGconn *conn = db_connect_once(url, "ludus_app", err,
		    sizeof(err));
		PGresult *res;

		if (conn == NULL || (app = db_adopt(conn)) == NULL) {
			fprintf(stderr, "test_db: as ludus_app: %s\n", err);
			return 1;
		}
		/* ludus_app sees no organization yet: ask the owner. */
		res = db_exec(db_acquire(), "SELECT id FROM organizations "
		    "WHERE is_default");
		if (res == NULL || PQntuples(res) != 1) {
			fprintf(stderr, "test_db: no default organization\n");
			return 1;
		}
		snprintf(default_org, sizeof(default_org), "%s",
		    PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	failed = cmocka_run_group_tests(tests, setup, NULL);
	PQfinish(app->conn);
	db_unadopt(app);
	db_shutdown();
	return failed;
}
