/*
 * cli.c - `ludus gamify rebuild`: every learner's XP total and level from
 * the ledger, and the leaderboards' totals and the achievement counters
 * from the history (migration 0010): all of them are caches.
 */
#include "gamify/cli.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "ops/migrate.h"

int
gamify_main(const struct config *cfg, int argc, char **argv)
{
	struct migration_set set = {0};
	char err[1024];
	PGconn *conn;
	struct db *db;
	PGresult *res;
	int rc = 1;

	if (argc != 1 || strcmp(argv[0], "rebuild") != 0) {
		fprintf(stderr, "ludus gamify: usage: ludus gamify rebuild\n"
		    "Try 'ludus gamify --help'.\n");
		return 2;
	}
	if (migrate_load(cfg, &set, err, sizeof(err)) != 0) {
		fprintf(stderr, "ludus gamify: %s\n", err);
		migrations_free(&set);
		return 1;
	}
	if ((conn = db_connect_once(cfg->database_url, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "ludus gamify: cannot connect to the database: "
		    "%s\n", err);
		migrations_free(&set);
		return 1;
	}
	if (migrate_check_current(conn, &set, err, sizeof(err)) != 0)
		fprintf(stderr, "ludus gamify: %s\n", err);
	else if (db_init(cfg) != 0)
		fprintf(stderr, "ludus gamify: cannot load the queries\n");
	else {
		if ((db = db_adopt(conn)) == NULL)
			fprintf(stderr, "ludus gamify: cannot prepare the "
			    "queries\n");
		else {
			if ((res = db_query(db, "xp_rebuild_all", 0, NULL)) ==
			    NULL)
				fprintf(stderr, "ludus gamify: %s\n",
				    db->message);
			else {
				printf("rebuilt XP totals and levels from the "
				    "ledger: %s changed\n", PQgetvalue(res, 0,
				    0));
				PQclear(res);
				res = db_query(db, "gamify_rebuild", 0, NULL);
				if (res == NULL) {
					fprintf(stderr, "ludus gamify: %s\n",
					    db->message);
				} else {
					printf("rebuilt the leaderboards and the "
					    "achievement counters: %s changed "
					    "%s\n", PQgetvalue(res, 0, 0),
					    PQgetvalue(res, 0, 1));
					PQclear(res);
					rc = 0;
				}
			}
			db_unadopt(db);
		}
		db_shutdown();
	}
	PQfinish(conn);
	migrations_free(&set);
	return rc;
}
