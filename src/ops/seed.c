/*
 * seed.c - the demo data.
 *
 * The seed files are plain SQL that may run any number of times (ON
 * CONFLICT DO NOTHING).  They run in one transaction.  The demo password's
 * bcrypt hash is made here, in C, and handed to the SQL as the
 * transaction-local setting ludus.demo_password_hash.
 */
#include "ops/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/bank.h"
#include "assessment/import.h"
#include "core/markdown.h"
#include "content/rules.h"
#include "core/embed.h"
#include "db/db.h"
#include "gamify/engine.h"
#include "identity/password.h"
#include "ops/migrate.h"

#define DEMO_PASSWORD "password123"

static int
exec_cmd(PGconn *conn, const char *sql, int n, const char *const *params,
    const char *what)
{
	PGresult *res = n ? PQexecParams(conn, sql, n, NULL, params, NULL,
	    NULL, 0) : PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "ludus seed: %s: %s", what,
		    PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/*
 * Seeded lessons carry Markdown only: their HTML is made here, as the API
 * makes it when a lesson is written, and so is the time of those that are
 * read and watched (a lab or a quiz keeps the time the seed gives it).
 */
static int
render_lessons(PGconn *conn)
{
	PGresult *res = PQexec(conn, "SELECT id, content->>'markdown', "
	    "content::text, kind FROM lessons "
	    "WHERE content_html = '' AND content ? 'markdown'");
	int rc = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "ludus seed: lessons: %s",
		    PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *md = PQgetvalue(res, i, 1);
		char *html = markdown_to_html(md, strlen(md));
		json_t *content = json_loads(PQgetvalue(res, i, 2), 0, NULL);
		char minutes[16];
		const char *p[3] = {PQgetvalue(res, i, 0), html,
		    content_kind_is_read(PQgetvalue(res, i, 3)) ? minutes : NULL};

		snprintf(minutes, sizeof(minutes), "%d",
		    content_estimate_minutes(content));
		json_decref(content);
		if (html == NULL) {
			PQclear(res);
			return -1;
		}
		/* The row as first inserted, unrendered, is no version of
		 * anyone's: its snapshot goes. */
		rc = exec_cmd(conn, "UPDATE lessons SET content_html = $2, "
		    "estimated_minutes = coalesce($3::integer, "
		    "estimated_minutes) WHERE id = $1", 3, p,
		    "rendering lessons");
		if (rc == 0)
			rc = exec_cmd(conn, "DELETE FROM lesson_versions WHERE "
			    "lesson_id = $1 AND content_html = ''", 1, p,
			    "rendering lessons");
		free(html);
	}
	PQclear(res);
	return rc;
}

/*
 * A seed file of questions (CSV, docs/questions.md) goes in through the
 * importer, as the demo instructor's, in the seed's transaction.
 */
static int
seed_questions(struct db *db, const struct embedded_file *f)
{
	PGconn *conn = db->conn;
	struct import_list list = {0};
	struct import_options o = {.admin = true, .status = "active"};
	PGresult *res = PQexec(conn, "SELECT u.id, u.org_id FROM users u "
	    "JOIN organizations o ON o.id = u.org_id AND o.is_default "
	    "WHERE u.email = 'instructor@network.test'");
	char user[37], org[37];
	json_t *report = NULL;
	int rc = -1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "ludus seed: %s: the demo instructor is "
		    "missing\n", f->path);
		PQclear(res);
		return -1;
	}
	snprintf(user, sizeof(user), "%s", PQgetvalue(res, 0, 0));
	snprintf(org, sizeof(org), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	o.user = user;
	o.org = org;
	if (import_parse(IMPORT_CSV, f->data, f->size, &list) != 0) {
		fprintf(stderr, "ludus seed: %s: line %d: %s\n", f->path,
		    list.error_line, list.error);
		goto out;
	}
	if ((report = bank_import(db, &list, &o)) == NULL) {
		fprintf(stderr, "ludus seed: %s: %s\n", f->path, db->message);
		goto out;
	}
	if (json_integer_value(json_object_get(report, "failed")) > 0) {
		json_t *e = json_array_get(json_object_get(report, "errors"), 0);

		fprintf(stderr, "ludus seed: %s: line %d: %s\n", f->path,
		    (int)json_integer_value(json_object_get(e, "line")),
		    json_string_value(json_object_get(e, "reason")));
		goto out;
	}
	rc = 0;
out:
	json_decref(report);
	import_list_free(&list);
	return rc;
}

/*
 * The demo's progress is written as rows; what it earns is awarded here by
 * the engine that awards a learner's own (XP, study days, streaks, goals,
 * achievements, levels), at the times the rows give, oldest first, so that
 * the demo is what the rules would have made of it.  Learners who already
 * have an XP ledger are left alone: a second seeding awards nothing twice.
 */
static int
replay_progress(struct db *db)
{
	PGresult *res = PQexec(db->conn, "SELECT p.user_id, p.org_id, "
	    "p.lesson_id, p.status = 'completed', coalesce(p.completed_at, "
	    "p.updated_at), p.time_spent_seconds FROM lesson_progress p "
	    "WHERE NOT EXISTS (SELECT 1 FROM xp_events x "
	    "WHERE x.user_id = p.user_id) "
	    "ORDER BY p.user_id, coalesce(p.completed_at, p.updated_at)");
	int rc = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "ludus seed: progress: %s",
		    PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		bool done = strcmp(PQgetvalue(res, i, 3), "t") == 0;
		struct gamify_event e = {.user = PQgetvalue(res, i, 0),
		    .org = PQgetvalue(res, i, 1),
		    .lesson = done ? PQgetvalue(res, i, 2) : NULL,
		    .at = PQgetvalue(res, i, 4),
		    .seconds = atoi(PQgetvalue(res, i, 5))};

		if ((rc = gamify_record(db, &e)) != 0)
			fprintf(stderr, "ludus seed: progress: %s\n",
			    db->message);
	}
	PQclear(res);
	return rc;
}

static bool
is_csv(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && strcmp(path + n - 4, ".csv") == 0;
}

int
seed_main(const struct config *cfg, int argc, char **argv)
{
	static const char prefix[] = "sql/seed/";
	struct migration_set set = {0};
	char err[1024], hash[PASSWORD_HASH_MAX];
	const char *params[1] = {hash};
	PGconn *conn;
	struct db *db = NULL;
	int files = 0;
	bool inited = false;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "ludus seed: takes no arguments\n"
		    "Try 'ludus seed --help'.\n");
		return 2;
	}
	if (migrate_load(cfg, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "ludus seed: %s\n", err);
		migrations_free(&set);
		return 1;
	}
	conn = db_connect_once(cfg->database_url, NULL, err, sizeof(err));
	if (conn == NULL) {
		fprintf(stderr, "ludus seed: cannot connect to the database: "
		    "%s\n", err);
		migrations_free(&set);
		return 1;
	}
	if (migrate_check_current(conn, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "ludus seed: %s\n", err);
		goto fail;
	}
	if (db_init(cfg) != 0) {
		fprintf(stderr, "ludus seed: cannot load the queries\n");
		goto fail;
	}
	inited = true;
	if (password_hash(DEMO_PASSWORD, cfg->bcrypt_cost, hash) != 0) {
		fprintf(stderr, "ludus seed: cannot hash the demo password\n");
		goto fail;
	}
	if (exec_cmd(conn, "SET client_min_messages = warning", 0, NULL,
	    "settings") != 0 ||
	    exec_cmd(conn, "BEGIN", 0, NULL, "begin") != 0 ||
	    exec_cmd(conn, "SELECT set_config('ludus.demo_password_hash', $1,"
	    " true)", 1, params, "settings") != 0)
		goto fail;
	if ((db = db_adopt(conn)) == NULL) {
		fprintf(stderr, "ludus seed: cannot prepare the queries\n");
		goto fail;
	}
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];

		if (strncmp(f->path, prefix, sizeof(prefix) - 1) != 0)
			continue;
		if (is_csv(f->path) ? seed_questions(db, f) != 0 :
		    exec_cmd(conn, f->data, 0, NULL, f->path) != 0)
			goto fail;
		files++;
	}
	if (render_lessons(conn) != 0 || replay_progress(db) != 0 ||
	    exec_cmd(conn, "COMMIT", 0, NULL, "commit") != 0)
		goto fail;
	printf("seeded the demo data (%d file%s)\n", files, files == 1 ? "" :
	    "s");
	db_unadopt(db);
	db_shutdown();
	PQfinish(conn);
	migrations_free(&set);
	return 0;
fail:
	if (db != NULL)
		db_unadopt(db);
	if (inited)
		db_shutdown();
	PQfinish(conn);
	migrations_free(&set);
	return 1;
}
