/*
 * migrate.c - applying and reverting migrations.
 *
 * The whole run holds a session advisory lock, so two `migrate up` at once
 * take turns and the second finds nothing left to do.  Each migration runs
 * in its own transaction together with its schema_migrations row.
 */
#include "ops/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/embed.h"
#include "core/util.h"
#include "db/db.h"

/* "LUDUSMIG" as a number: the advisory lock key of migrations. */
#define MIGRATE_LOCK_KEY "5482737236846113095"

struct applied {
	int version;
	char name[128];
	char checksum[65];
	char applied_at[64];
};

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

int
migrate_load(const struct config *cfg, struct migration_set *set, char *err,
    size_t errlen)
{
	static const char prefix[] = "sql/migrations/";

	if (cfg->migrations_dir == NULL) {
		for (size_t i = 0; i < embedded_files_count; i++) {
			const struct embedded_file *f = &embedded_files[i];

			if (strncmp(f->path, prefix, sizeof(prefix) - 1) == 0 &&
			    migrations_add(set, f->path + sizeof(prefix) - 1,
			    f->data, err, errlen) != 0)
				return -1;
		}
	} else {
		DIR *d = opendir(cfg->migrations_dir);
		struct dirent *e;

		if (d == NULL) {
			snprintf(err, errlen, "cannot read %s: %s",
			    cfg->migrations_dir, strerror(errno));
			return -1;
		}
		while ((e = readdir(d)) != NULL) {
			char *path, *text;
			int rc;

			if (e->d_name[0] == '.')
				continue;
			path = xasprintf("%s/%s", cfg->migrations_dir,
			    e->d_name);
			text = read_file(path);
			free(path);
			if (text == NULL) {
				snprintf(err, errlen, "cannot read %s/%s: %s",
				    cfg->migrations_dir, e->d_name,
				    strerror(errno));
				closedir(d);
				return -1;
			}
			rc = migrations_add(set, e->d_name, text, err, errlen);
			free(text);
			if (rc != 0) {
				closedir(d);
				return -1;
			}
		}
		closedir(d);
	}
	return migrations_finish(set, err, errlen);
}

static int
exec_cmd(PGconn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
		err[strcspn(err, "\n")] = '\0';
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* The applied migrations, oldest first; -1 when the table cannot be read. */
static int
load_applied(PGconn *conn, struct applied **out, int *n, char *err,
    size_t errlen)
{
	PGresult *res = PQexec(conn, "SELECT to_regclass('schema_migrations')"
	    " IS NOT NULL");
	int rows;

	*out = NULL;
	*n = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	res = PQexec(conn, "SELECT version, name, checksum, "
	    "to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ') "
	    "FROM schema_migrations ORDER BY version");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	rows = PQntuples(res);
	*out = xcalloc((size_t)rows + 1, sizeof(**out));
	for (int i = 0; i < rows; i++) {
		struct applied *a = &(*out)[i];

		a->version = atoi(PQgetvalue(res, i, 0));
		snprintf(a->name, sizeof(a->name), "%s", PQgetvalue(res, i, 1));
		snprintf(a->checksum, sizeof(a->checksum), "%s",
		    PQgetvalue(res, i, 2));
		snprintf(a->applied_at, sizeof(a->applied_at), "%s",
		    PQgetvalue(res, i, 3));
	}
	*n = rows;
	PQclear(res);
	return 0;
}

/* Refuses edited and unknown applied migrations. */
static int
verify(const struct migration_set *set, const struct applied *applied,
    int napplied, char *err, size_t errlen)
{
	for (int i = 0; i < napplied; i++) {
		const struct migration *m = migrations_find(set,
		    applied[i].version);

		if (m == NULL) {
			snprintf(err, errlen, "the database has migration %s "
			    "applied, which this ludus does not know: it was "
			    "made by a newer version", applied[i].name);
			return -1;
		}
		if (strcmp(m->checksum, applied[i].checksum) != 0) {
			snprintf(err, errlen, "migration %s was edited after it "
			    "was applied (checksum %.12s in the database, %.12s "
			    "in the file); applied migrations cannot change: "
			    "restore the file and write a new migration "
			    "instead", m->name, applied[i].checksum,
			    m->checksum);
			return -1;
		}
	}
	return 0;
}

int
migrate_check_current(PGconn *conn, const struct migration_set *set,
    char *err, size_t errlen)
{
	struct applied *applied;
	int n, rc;

	if (load_applied(conn, &applied, &n, err, errlen) != 0)
		return -1;
	rc = verify(set, applied, n, err, errlen);
	if (rc == 0 && (size_t)n != set->count) {
		snprintf(err, errlen, "%zu migration(s) are not applied yet: "
		    "run `ludus migrate up` first", set->count - (size_t)n);
		rc = -1;
	}
	free(applied);
	return rc;
}

/* Runs sql and records (or forgets) m in one transaction. */
static int
step(PGconn *conn, const struct migration *m, int up, char *err,
    size_t errlen)
{
	char version[16];
	const char *params[3] = {version, m->name, m->checksum};
	PGresult *res;
	int64_t t0 = util_now_us();
	char inner[400];

	snprintf(version, sizeof(version), "%d", m->version);
	if (exec_cmd(conn, "BEGIN", err, errlen) != 0)
		return -1;
	if (exec_cmd(conn, up ? m->up : m->down, inner, sizeof(inner)) != 0) {
		snprintf(err, errlen, "%s %s failed: %s", m->name,
		    up ? "up" : "down", inner);
		goto fail;
	}
	if (up)
		res = PQexecParams(conn, "INSERT INTO schema_migrations "
		    "(version, name, checksum) VALUES ($1, $2, $3)", 3, NULL,
		    params, NULL, NULL, 0);
	else
		res = PQexecParams(conn, "DELETE FROM schema_migrations "
		    "WHERE version = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "%s: cannot record it: %s", m->name,
		    PQresultErrorMessage(res));
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	if (exec_cmd(conn, "COMMIT", inner, sizeof(inner)) != 0) {
		snprintf(err, errlen, "%s: commit failed: %s", m->name, inner);
		goto fail;
	}
	printf("%s %s (%.0f ms)\n", up ? "applied " : "reverted", m->name,
	    (double)(util_now_us() - t0) / 1000.0);
	fflush(stdout);
	return 0;
fail:
	res = PQexec(conn, "ROLLBACK");
	PQclear(res);
	return -1;
}

static int
do_up(PGconn *conn, const struct migration_set *set, int napplied,
    const struct applied *applied, char *err, size_t errlen)
{
	int done = 0;

	for (size_t i = 0; i < set->count; i++) {
		bool is_applied = false;

		for (int j = 0; j < napplied; j++)
			if (applied[j].version == set->items[i].version)
				is_applied = true;
		if (is_applied)
			continue;
		if (step(conn, &set->items[i], 1, err, errlen) != 0)
			return -1;
		done++;
	}
	if (done == 0)
		printf("up to date: %zu migration(s) applied\n", set->count);
	return 0;
}

static int
do_down(PGconn *conn, const struct migration_set *set, int napplied,
    const struct applied *applied, int count, char *err, size_t errlen)
{
	if (napplied == 0)
		printf("nothing to revert\n");
	for (int i = napplied - 1; i >= 0 && count > 0; i--, count--) {
		const struct migration *m = migrations_find(set,
		    applied[i].version);

		if (step(conn, m, 0, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static void
do_status(const struct migration_set *set, int napplied,
    const struct applied *applied)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct migration *m = &set->items[i];
		const struct applied *a = NULL;

		for (int j = 0; j < napplied; j++)
			if (applied[j].version == m->version)
				a = &applied[j];
		if (a == NULL)
			printf("%-40s pending\n", m->name);
		else if (strcmp(a->checksum, m->checksum) != 0)
			printf("%-40s EDITED after it was applied %s\n",
			    m->name, a->applied_at);
		else
			printf("%-40s applied %s\n", m->name, a->applied_at);
	}
	for (int j = 0; j < napplied; j++)
		if (migrations_find(set, applied[j].version) == NULL)
			printf("%-40s UNKNOWN to this ludus (applied %s)\n",
			    applied[j].name, applied[j].applied_at);
}

static void
usage_error(const char *msg)
{
	fprintf(stderr, "ludus migrate: %s\nTry 'ludus migrate --help'.\n",
	    msg);
}

int
migrate_main(const struct config *cfg, int argc, char **argv)
{
	struct migration_set set = {0};
	struct applied *applied = NULL;
	int napplied = 0, count = 1, rc = 1;
	char err[1024];
	PGconn *conn;

	if (argc < 1 || (strcmp(argv[0], "up") != 0 &&
	    strcmp(argv[0], "down") != 0 && strcmp(argv[0], "status") != 0)) {
		usage_error(argc < 1 ? "missing action: up, down or status" :
		    "unknown action: expected up, down or status");
		return 2;
	}
	if (strcmp(argv[0], "down") == 0 && argc > 1) {
		char *end;
		long n = strtol(argv[1], &end, 10);

		if (strcmp(argv[1], "all") == 0) {
			count = 1 << 30;
		} else if (*end != '\0' || end == argv[1] || n < 1 ||
		    n > 100000) {
			usage_error("down takes a count of at least 1, or "
			    "'all'");
			return 2;
		} else {
			count = (int)n;
		}
	}
	if (argc > (strcmp(argv[0], "down") == 0 ? 2 : 1)) {
		usage_error("too many arguments");
		return 2;
	}
	if (migrate_load(cfg, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "ludus migrate: %s\n", err);
		migrations_free(&set);
		return 1;
	}
	conn = db_connect_once(cfg->database_url, NULL, err, sizeof(err));
	if (conn == NULL) {
		fprintf(stderr, "ludus migrate: cannot connect to the "
		    "database: %s\n", err);
		migrations_free(&set);
		return 1;
	}
	if (exec_cmd(conn, "SET client_min_messages = warning", err,
	    sizeof(err)) != 0 ||
	    exec_cmd(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", err,
	    sizeof(err)) != 0)
		goto out;
	if (strcmp(argv[0], "status") != 0 && exec_cmd(conn,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY CHECK (version > 0),"
	    " name text NOT NULL UNIQUE,"
	    " checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),"
	    " applied_at timestamptz NOT NULL DEFAULT now())",
	    err, sizeof(err)) != 0)
		goto out;
	if (load_applied(conn, &applied, &napplied, err, sizeof(err)) != 0)
		goto out;
	if (strcmp(argv[0], "status") == 0) {
		do_status(&set, napplied, applied);
		rc = verify(&set, applied, napplied, err, sizeof(err)) == 0 ?
		    0 : 1;
		if (rc != 0)
			fprintf(stderr, "ludus migrate: %s\n", err);
		goto out_quiet;
	}
	if (verify(&set, applied, napplied, err, sizeof(err)) != 0)
		goto out;
	if (strcmp(argv[0], "up") == 0)
		rc = do_up(conn, &set, napplied, applied, err, sizeof(err));
	else
		rc = do_down(conn, &set, napplied, applied, count, err,
		    sizeof(err));
	rc = rc == 0 ? 0 : 1;
	if (rc == 0)
		goto out_quiet;
out:
	fprintf(stderr, "ludus migrate: %s\n", err);
	rc = 1;
out_quiet:
	free(applied);
	PQfinish(conn); /* also releases the advisory lock */
	migrations_free(&set);
	return rc;
}

struct db *
migrate_cli_open(const struct config *cfg, const char *role, const char *who)
{
	struct migration_set set = {0};
	struct db *db = NULL;
	char err[1024];
	PGconn *conn;

	if (migrate_load(cfg, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", who, err);
		migrations_free(&set);
		return NULL;
	}
	conn = db_connect_once(cfg->database_url, role, err, sizeof(err));
	if (conn == NULL)
		fprintf(stderr, "%s: cannot connect to the database: %s\n", who,
		    err);
	else if (migrate_check_current(conn, &set, err, sizeof(err)) != 0)
		fprintf(stderr, "%s: %s\n", who, err);
	else if (db_init(cfg) != 0)
		fprintf(stderr, "%s: cannot load the queries\n", who);
	else if ((db = db_adopt(conn)) == NULL) {
		fprintf(stderr, "%s: cannot prepare the queries\n", who);
		db_shutdown();
	}
	if (db == NULL)
		PQfinish(conn);
	migrations_free(&set);
	return db;
}

void
migrate_cli_close(struct db *db)
{
	if (db == NULL)
		return;
	PQfinish(db->conn);
	db_unadopt(db);
	db_shutdown();
}
