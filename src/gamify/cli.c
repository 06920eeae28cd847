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
	struct db *db;
	PGresult *res;
	int rc = 1;

	if (argc != 1 || strcmp(argv[0], "rebuild") != 0) {
		fprintf(stderr, "ludus gamify: usage: ludus gamify rebuild\n"
		    "Try 'ludus gamify --help'.\n");
		return 2;
	}
	/* Every organization's caches: as the URL's user (the owner). */
	if ((db = migrate_cli_open(cfg, NULL, "ludus gamify")) == NULL)
		return 1;
	if ((res = db_query(db, "xp_rebuild_all", 0, NULL)) == NULL) {
		fprintf(stderr, "ludus gamify: %s\n", db->message);
		goto out;
	}
	printf("rebuilt XP totals and levels from the ledger: %s changed\n",
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_query(db, "gamify_rebuild", 0, NULL)) == NULL) {
		fprintf(stderr, "ludus gamify: %s\n", db->message);
		goto out;
	}
	printf("rebuilt the leaderboards and the achievement counters: %s "
	    "changed %s\n", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	rc = 0;
out:
	migrate_cli_close(db);
	return rc;
}
