/*
 * migrate.h - `ludus migrate up|down [N|all]|status` and the checks that
 * other commands share.
 */
#ifndef LUDUS_OPS_MIGRATE_H
#define LUDUS_OPS_MIGRATE_H

#include <libpq-fe.h>

#include "core/config.h"
#include "ops/migrations.h"

/* Runs the migrate subcommand; returns the process exit code. */
int migrate_main(const struct config *cfg, int argc, char **argv);

/* The migrations built into the binary, or read from cfg->migrations_dir. */
int migrate_load(const struct config *cfg, struct migration_set *set,
    char *err, size_t errlen);

/*
 * 0 when every migration of set is applied on conn with the same checksum
 * and nothing else is; otherwise -1 with the reason in err.
 */
int migrate_check_current(PGconn *conn, const struct migration_set *set,
    char *err, size_t errlen);

struct db;

/*
 * For a command-line tool (who: "ludus org"): a connection as role (NULL:
 * the URL's user) to a database whose migrations are all applied, with
 * the named queries prepared.  NULL after saying why on stderr.  Close it
 * with migrate_cli_close().
 */
struct db *migrate_cli_open(const struct config *cfg, const char *role,
    const char *who);
void migrate_cli_close(struct db *db);

#endif
