/*
 * config.h - configuration from LUDUS_* environment variables, overridden
 * by command-line flags.
 *
 * One table (config.c) describes every option: its flag, its variable, its
 * type and range, the subcommands that take it and its help text.  Env
 * parsing, flag parsing and --help are all driven by that table.
 */
#ifndef LUDUS_CORE_CONFIG_H
#define LUDUS_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/log.h"

/* Subcommands, as a bit mask saying which options each one takes. */
enum {
	CMD_SERVE = 1u << 0,
	CMD_MIGRATE = 1u << 1,
	CMD_SEED = 1u << 2,
	CMD_VERSION = 1u << 3,
	CMD_IMPORT = 1u << 4,
	CMD_GAMIFY = 1u << 5,
	CMD_ORG = 1u << 6,
};

struct config {
	/* Strings point into argv, the environment or literals: never freed. */
	const char *database_url;
	/* The role ludus serves as, under row-level security; NULL or "":
	 * the URL's own user.  Migrations and the seed use the URL's user. */
	const char *database_role;
	bool allow_rls_bypass;      /* serve even as a role RLS does not bind */
	const char *listen;
	const char *web_dir;        /* NULL: the web app built in */
	const char *migrations_dir; /* NULL: the migrations built in */
	int port;
	int workers;
	int max_body_bytes;
	int statement_timeout_ms;
	int shutdown_timeout_s;
	int connection_timeout_s;
	int max_connections;        /* open connections in all */
	int max_connections_per_ip; /* per client address; 0: no limit */
	int header_timeout_s;       /* to receive a request's headers; 0: off */
	const char *metrics_token;  /* NULL: /metrics needs no token */
	const char *operator_token; /* NULL: no platform API */
	const char *metrics_addr;   /* "ADDR:PORT" of its own listener, or NULL */
	int bcrypt_cost;
	enum log_level log_level;
	bool test_routes;

	/* Accounts and sessions. */
	int session_idle_minutes;   /* a session unused this long ends */
	int session_max_days;       /* and none lives longer than this */
	int lockout_threshold;      /* failed logins that lock an account */
	int lockout_minutes;        /* for this long */
	int login_rate;             /* login attempts per IP per minute */
	int register_rate;          /* registrations per IP per minute */
	int login_failures_per_ip;  /* failed logins per IP per hour */
	int deleted_retention_days; /* then deleted accounts are anonymized */
	bool cookie_secure;         /* Secure on cookies: behind HTTPS */
	bool oidc_allow_http;       /* identity providers over plain http */
	bool trust_proxy;           /* client address from X-Forwarded-For */
	const char *public_url;     /* links in mail start with this */
	const char *mail_dir;       /* the development mailer writes here */

	/* Study materials. */
	int max_upload_bytes;       /* an upload or a URL's answer, at most */
	const char *fetch_allow_nets; /* private nets a URL may reach */
	const char *llm_url;        /* chat-completions base URL, or NULL */
	const char *llm_model;
	const char *llm_key;
	int llm_timeout_ms;
	int llm_attempts;

	/* Retention (migration 0024), in days. */
	int retain_interactions_days;
	int retain_inactive_days;
	int retain_sessions_days;
	int retain_audit_days;
	int retain_metrics_days;

	/* ludus import. */
	const char *import_format;  /* csv, gift or aiken */
	const char *import_owner;   /* email or username of the author */
	const char *import_org;     /* organization slug; the default one */
	const char *import_exam;    /* for records that name no exam */
	const char *import_status;  /* for records that give no status */
	bool import_dry_run;        /* check and report, keep nothing */
};

/* The built-in defaults. */
void config_defaults(struct config *c);

/*
 * Reads the LUDUS_* variables that `command` takes, through get (getenv in
 * the program, a table in the tests).  Returns 0, or -1 with a message in err
 * when a value is invalid.
 */
int config_from_env(struct config *c, unsigned command,
    const char *(*get)(const char *name), char *err, size_t errlen);

/*
 * Parses argv[0..argc) (the arguments after the subcommand) into c.  The
 * positional arguments are moved to the front of argv and counted in *npos.
 * Returns 0, 1 when --help was asked for, or -1 with a message in err for an
 * unknown flag, a missing value or an invalid one.
 */
int config_from_args(struct config *c, unsigned command, int argc,
    char **argv, int *npos, char *err, size_t errlen);

/*
 * Splits "ADDR:PORT" (an IPv4 address) or "[ADDR]:PORT" (IPv6) into host,
 * NUL-terminated, and *port (1 to 65535).  Returns 0, or -1 when s is not of
 * that form or host does not fit in hostlen bytes.
 */
int config_parse_hostport(const char *s, char *host, size_t hostlen,
    int *port);

/* Prints the options of `command` with their variables and defaults. */
void config_print_options(FILE *out, unsigned command);

#endif
