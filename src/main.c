/*
 * main.c - `ludus`: subcommand dispatch.
 *
 * Every subcommand reads its configuration from LUDUS_* variables, then
 * from flags, and exits 2 on a usage error (unknown flag, bad value).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assessment/api.h"
#include "assessment/cli.h"
#include "assessment/import_job.h"
#include "community/api.h"
#include "content/api.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/files.h"
#include "db/jobs.h"
#include "flashcards/api.h"
#include "flashcards/jobs.h"
#include "gamify/api.h"
#include "gamify/cli.h"
#include "http/routes.h"
#include "http/server.h"
#include "identity/api.h"
#include "identity/platform.h"
#include "materials/api.h"
#include "materials/extract.h"
#include "materials/jobs.h"
#include "ops/api.h"
#include "ops/maintenance.h"
#include "ops/migrate.h"
#include "ops/seed.h"


static int serve_main(const struct config *cfg, int argc, char **argv);
static int version_main(const struct config *cfg, int argc, char **argv);

struct command {
	const char *name;
	unsigned id;
	int (*run)(const struct config *cfg, int argc, char **argv);
	const char *synopsis;
	const char *help;
};

static const struct command commands[] = {
	{"serve", CMD_SERVE, serve_main, "",
	    "Serve the web app and the API over HTTP until SIGINT or SIGTERM,\n"
	    "which let the requests in flight finish first."},
	{"migrate", CMD_MIGRATE, migrate_main, " up | down [N|all] | status",
	    "Apply pending migrations (up), revert the last N applied ones\n"
	    "(down, N defaults to 1), or list them (status).  Each migration\n"
	    "runs in one transaction; an applied migration whose file changed\n"
	    "is refused.  Concurrent runs wait for each other."},
	{"seed", CMD_SEED, seed_main, "",
	    "Load the demo organization and accounts (password123); running\n"
	    "it again changes nothing.  Needs every migration applied."},
	{"import", CMD_IMPORT, import_main, " questions FILE",
	    "Import a question file (CSV, Moodle GIFT or Aiken; see\n"
	    "docs/questions.md) into the bank.  Each bad record is reported\n"
	    "with its line; the good ones go in.  Importing the same file\n"
	    "again updates instead of duplicating.  Exit 1 when a record was\n"
	    "refused."},
	{"gamify", CMD_GAMIFY, gamify_main, " rebuild",
	    "Recompute every learner's XP total and level from the XP\n"
	    "ledger (they are a cache of it)."},
	{"org", CMD_ORG, org_main, " list | create SLUG NAME [ADMIN_EMAIL] | "
	    "suspend|resume|delete SLUG",
	    "The platform operator's organizations: list them; create one\n"
	    "(its first admin, if an email is given, gets an invitation by\n"
	    "mail, whose link is printed too); suspend one (its members are\n"
	    "signed out and cannot sign in or up), resume it, or delete it\n"
	    "(soft, for good).  Runs as the tables' owner."},
	{"version", CMD_VERSION, version_main, "",
	    "Print the version of ludus."},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *
env_get(const char *name)
{
	return getenv(name);
}

static void
usage(FILE *out)
{
	fprintf(out, "Usage: ludus COMMAND [OPTIONS]\n\n"
	    "Ludus, a self-hosted learning and exam-preparation platform.\n\n"
	    "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *nl = strchr(commands[i].help, '\n');
		int n = nl ? (int)(nl - commands[i].help) : 
		    (int)strlen(commands[i].help);

		fprintf(out, "  %-9s %.*s\n", commands[i].name, n,
		    commands[i].help);
	}
	fprintf(out, "\nRun 'ludus COMMAND --help' for a command's options.\n");
}

static void
command_help(const struct command *c)
{
	printf("Usage: ludus %s%s [OPTIONS]\n\n%s\n", c->name, c->synopsis,
	    c->help);
	config_print_options(stdout, c->id);
}

static int
version_main(const struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "ludus version: takes no arguments\n");
		return 2;
	}
	printf("ludus %s\n", ludus_version);
	return 0;
}


/*
 * The one list of the modules, above them all: their routes (the test
 * routes last, served only with --test-routes) and their kinds of
 * background job.  src/http and src/db know no module.
 */
static const struct route_table modules[] = {
	{ops_routes, &ops_routes_count},
	{identity_routes, &identity_routes_count},
	{content_routes, &content_routes_count},
	{assessment_routes, &assessment_routes_count},
	{gamify_routes, &gamify_routes_count},
	{flashcard_routes, &flashcard_routes_count},
	{material_routes, &material_routes_count},
	{community_routes, &community_routes_count},
	{ops_job_routes, &ops_job_routes_count},
	{ops_test_routes, &ops_test_routes_count},
};
#define MODULES_COUNT (sizeof(modules) / sizeof(modules[0]))

/*
 * Row-level security binds ludus only if its role cannot step around it.
 * When the database answers at start, a role that can (a superuser, a
 * BYPASSRLS role, a table's owner) is refused, unless the operator allowed
 * it (the benchmark's comparison run).  When the database is down, serving
 * starts anyway and the policies still bind whatever role is used later.
 */
static int
serve_role_check(const struct config *cfg)
{
	struct db *db = db_acquire();
	PGresult *res;
	bool bypass;

	if (db == NULL || (res = db_query(db, "role_bypasses_rls", 0,
	    NULL)) == NULL)
		return 0;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	bypass = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	if (bypass && !cfg->allow_rls_bypass) {
		fprintf(stderr, "ludus serve: the role %s bypasses row-level "
		    "security (a superuser, BYPASSRLS, or a table's owner); "
		    "serve as ludus_app (--database-role)\n",
		    PQgetvalue(res, 0, 0));
		PQclear(res);
		return -1;
	}
	if (bypass)
		log_write(LOG_WARN, "row-level security is bypassed", json_pack(
		    "{s:s}", "role", PQgetvalue(res, 0, 0)));
	PQclear(res);
	return 0;
}

/* The modules' kinds of background job, in one list. */
static const struct job_table {
	const struct job_kind *kinds;
	const size_t *count;
} job_tables[] = {
	{assessment_jobs, &assessment_jobs_count},
	{flashcard_jobs, &flashcard_jobs_count},
	{material_jobs, &material_jobs_count},
};
#define MAX_JOB_KINDS 16
static struct job_kind all_job_kinds[MAX_JOB_KINDS];
static size_t njob_kinds;

static const struct job_kind *
job_kinds(void)
{
	njob_kinds = 0;
	for (size_t t = 0; t < sizeof(job_tables) / sizeof(job_tables[0]); t++)
		for (size_t i = 0; i < *job_tables[t].count &&
		    njob_kinds < MAX_JOB_KINDS; i++)
			all_job_kinds[njob_kinds++] = job_tables[t].kinds[i];
	return all_job_kinds;
}

static int
serve_main(const struct config *cfg, int argc, char **argv)
{
	const struct route *routes;
	const struct job_kind *kinds;
	size_t n;
	int rc;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "ludus serve: takes no arguments\n"
		    "Try 'ludus serve --help'.\n");
		return 2;
	}
	{
		unsigned char buf[sizeof(struct in6_addr)];

		if (inet_pton(AF_INET, cfg->listen, buf) != 1 &&
		    inet_pton(AF_INET6, cfg->listen, buf) != 1) {
			fprintf(stderr, "ludus serve: invalid value for "
			    "--listen: '%s' (expected an IPv4 or IPv6 "
			    "address)\n", cfg->listen);
			return 2;
		}
	}
	/* before any thread starts (the database pool, maintenance, jobs) */
	server_block_signals(NULL);
	if (db_init(cfg) != 0)
		return 1;
	if (serve_role_check(cfg) != 0) {
		db_shutdown();
		return 1;
	}
	if (identity_init(cfg) != 0) {
		fprintf(stderr, "ludus serve: cannot hash with bcrypt\n");
		db_shutdown();
		return 1;
	}
	{
		char err[200];

		if (materials_init(cfg, err, sizeof(err)) != 0) {
			fprintf(stderr, "ludus serve: LUDUS_FETCH_ALLOW_NETS: "
			    "%s\n", err);
			db_shutdown();
			return 2;
		}
	}
	routes = routes_build(modules, cfg->test_routes ? MODULES_COUNT :
	    MODULES_COUNT - 1, &n);
	log_write(LOG_INFO, "starting", json_pack("{s:s, s:i}", "version",
	    ludus_version, "routes", (int)n));
	if (maintenance_start(cfg) != 0) {
		fprintf(stderr, "ludus serve: cannot start the maintenance "
		    "thread\n");
		routes_free();
		db_shutdown();
		return 1;
	}
	/* The modules' kinds of background job. */
	kinds = job_kinds();
	if (jobs_start(cfg, kinds, njob_kinds, JOB_RUNNERS) != 0) {
		fprintf(stderr, "ludus serve: cannot start the job runner\n");
		maintenance_stop();
		routes_free();
		db_shutdown();
		return 1;
	}
	rc = server_run(cfg, routes, n);
	jobs_stop();
	maintenance_stop();
	routes_free();
	db_shutdown();
	files_shutdown();
	/* The last line: every thread has ended (the maintenance's daily
	 * step, a job) and nothing more is written. */
	if (rc == 0)
		log_write(LOG_INFO, "stopped", NULL);
	return rc;
}

int
main(int argc, char **argv)
{
	static char errbuf[1 << 16];
	const struct command *cmd = NULL;
	struct config cfg;
	char err[512];
	int npos = 0, rc;

	/* Whole log lines leave in one write (see log.c). */
	setvbuf(stderr, errbuf, _IOLBF, sizeof(errbuf));
	json_set_alloc_funcs(xmalloc, free);
	if (util_init() != 0) {
		fprintf(stderr, "ludus: cannot initialize libsodium\n");
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	/* The server's sandboxed PDF reader (materials/extract.h): not a
	 * command for people. */
	if (strcmp(argv[1], EXTRACT_PDF_COMMAND) == 0)
		return extract_pdf_main(argc, argv);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return version_main(NULL, 0, NULL);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL) {
		fprintf(stderr, "ludus: unknown command '%s'\n"
		    "Try 'ludus --help'.\n", argv[1]);
		return 2;
	}
	config_defaults(&cfg);
	if (config_from_env(&cfg, cmd->id, env_get, err, sizeof(err)) != 0) {
		fprintf(stderr, "ludus %s: %s\n", cmd->name, err);
		return 2;
	}
	rc = config_from_args(&cfg, cmd->id, argc - 2, argv + 2, &npos, err,
	    sizeof(err));
	if (rc == 1) {
		command_help(cmd);
		return 0;
	}
	if (rc != 0) {
		fprintf(stderr, "ludus %s: %s\nTry 'ludus %s --help'.\n",
		    cmd->name, err, cmd->name);
		return 2;
	}
	log_set_level(cfg.log_level);
	rc = cmd->run(&cfg, npos, argv + 2);
	fflush(stdout);
	return rc;
}
