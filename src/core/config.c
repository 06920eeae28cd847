/*
 * config.c - the option table and its parsers.
 */
#include "core/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/*
 * OPT_STRING takes min as its shortest length; OPT_HOSTPORT is a string
 * that config_parse_hostport() accepts.
 */
enum opt_type { OPT_STRING, OPT_INT, OPT_LEVEL, OPT_BOOL, OPT_HOSTPORT };

struct opt {
	const char *flag;
	const char *env;
	enum opt_type type;
	size_t offset;
	long min, max;
	unsigned commands;
	const char *metavar;
	const char *help;
};

#define ALL_DB (CMD_SERVE | CMD_MIGRATE | CMD_SEED | CMD_IMPORT | CMD_GAMIFY | \
    CMD_ORG)
#define OFF(field) offsetof(struct config, field)

static const struct opt opts[] = {
	{"database-url", "LUDUS_DATABASE_URL", OPT_STRING, OFF(database_url),
	    0, 0, ALL_DB, "DSN",
	    "PostgreSQL connection string (libpq keywords or URI)"},
	{"database-role", "LUDUS_DATABASE_ROLE", OPT_STRING, OFF(database_role),
	    0, 0, CMD_SERVE | CMD_IMPORT, "ROLE",
	    "the role to serve and import as, bound by row-level security"},
	{"allow-rls-bypass", "LUDUS_ALLOW_RLS_BYPASS", OPT_BOOL,
	    OFF(allow_rls_bypass), 0, 0, CMD_SERVE, NULL,
	    "serve even when the role bypasses row-level security (benchmarks "
	    "only)"},
	{"listen", "LUDUS_LISTEN", OPT_STRING, OFF(listen), 0, 0, CMD_SERVE,
	    "ADDR", "IPv4 or IPv6 address to listen on"},
	{"port", "LUDUS_PORT", OPT_INT, OFF(port), 1, 65535, CMD_SERVE, "N",
	    "TCP port to listen on"},
	{"workers", "LUDUS_WORKERS", OPT_INT, OFF(workers), 1, 256, CMD_SERVE,
	    "N", "worker threads, each with one database connection"},
	{"max-body-bytes", "LUDUS_MAX_BODY_BYTES", OPT_INT, OFF(max_body_bytes),
	    1024, 64 << 20, CMD_SERVE, "N",
	    "largest request body accepted (413 past it)"},
	{"statement-timeout-ms", "LUDUS_STATEMENT_TIMEOUT_MS", OPT_INT,
	    OFF(statement_timeout_ms), 100, 600000, CMD_SERVE, "N",
	    "longest a single SQL statement may run"},
	{"shutdown-timeout", "LUDUS_SHUTDOWN_TIMEOUT", OPT_INT,
	    OFF(shutdown_timeout_s), 0, 3600, CMD_SERVE, "SECONDS",
	    "how long SIGTERM waits for requests in flight"},
	{"connection-timeout", "LUDUS_CONNECTION_TIMEOUT", OPT_INT,
	    OFF(connection_timeout_s), 1, 3600, CMD_SERVE, "SECONDS",
	    "idle HTTP connections are closed after this"},
	{"max-connections", "LUDUS_MAX_CONNECTIONS", OPT_INT,
	    OFF(max_connections), 16, 1000000, CMD_SERVE, "N",
	    "open HTTP connections at most; new ones wait in the backlog"},
	{"max-connections-per-ip", "LUDUS_MAX_CONNECTIONS_PER_IP", OPT_INT,
	    OFF(max_connections_per_ip), 0, 1000000, CMD_SERVE, "N",
	    "open connections per client address, more are closed at once "
	    "(0: no limit; off with --trust-proxy)"},
	{"header-timeout", "LUDUS_HEADER_TIMEOUT", OPT_INT,
	    OFF(header_timeout_s), 0, 3600, CMD_SERVE, "SECONDS",
	    "a request's headers must all arrive within this, or the "
	    "connection is closed (0: no deadline)"},
	{"metrics-token", "LUDUS_METRICS_TOKEN", OPT_STRING,
	    OFF(metrics_token), 16, 0, CMD_SERVE, "TOKEN",
	    "/metrics needs 'Authorization: Bearer TOKEN' (16 characters or "
	    "more)"},
	{"operator-token", "LUDUS_OPERATOR_TOKEN", OPT_STRING,
	    OFF(operator_token), 32, 0, CMD_SERVE, "TOKEN",
	    "turns on the platform API (/api/v1/platform): it needs "
	    "'Authorization: Bearer TOKEN' (32 characters or more)"},
	{"metrics-addr", "LUDUS_METRICS_ADDR", OPT_HOSTPORT, OFF(metrics_addr),
	    0, 0, CMD_SERVE, "ADDR:PORT",
	    "serve /metrics on this address alone, e.g. 127.0.0.1:9090 "
	    "(default: the main one, loopback clients only unless a token "
	    "is set)"},
	{"bcrypt-cost", "LUDUS_BCRYPT_COST", OPT_INT, OFF(bcrypt_cost), 10, 16,
	    CMD_SERVE | CMD_SEED, "N", "bcrypt work factor for new passwords"},
	{"session-idle-minutes", "LUDUS_SESSION_IDLE_MINUTES", OPT_INT,
	    OFF(session_idle_minutes), 5, 525600, CMD_SERVE, "N",
	    "a session unused for this long ends"},
	{"session-max-days", "LUDUS_SESSION_MAX_DAYS", OPT_INT,
	    OFF(session_max_days), 1, 365, CMD_SERVE, "N",
	    "no session lives longer than this"},
	{"lockout-threshold", "LUDUS_LOCKOUT_THRESHOLD", OPT_INT,
	    OFF(lockout_threshold), 1, 1000, CMD_SERVE, "N",
	    "failed logins in a row that lock an account"},
	{"lockout-minutes", "LUDUS_LOCKOUT_MINUTES", OPT_INT,
	    OFF(lockout_minutes), 1, 10080, CMD_SERVE, "N",
	    "how long such a lock lasts"},
	{"login-rate", "LUDUS_LOGIN_RATE", OPT_INT, OFF(login_rate), 1, 100000,
	    CMD_SERVE, "N", "login attempts per client address per minute"},
	{"register-rate", "LUDUS_REGISTER_RATE", OPT_INT, OFF(register_rate),
	    1, 100000, CMD_SERVE, "N",
	    "registrations and mail requests per client address per minute"},
	{"login-failures-per-ip", "LUDUS_LOGIN_FAILURES_PER_IP", OPT_INT,
	    OFF(login_failures_per_ip), 1, 1000000, CMD_SERVE, "N",
	    "failed logins per client address per hour"},
	{"deleted-retention-days", "LUDUS_DELETED_RETENTION_DAYS", OPT_INT,
	    OFF(deleted_retention_days), 0, 3650, CMD_SERVE, "N",
	    "deleted accounts are anonymized after this many days"},
	{"max-upload-bytes", "LUDUS_MAX_UPLOAD_BYTES", OPT_INT,
	    OFF(max_upload_bytes), 1024, 12 << 20, CMD_SERVE, "N",
	    "largest study material uploaded or fetched from a URL"},
	{"fetch-allow-nets", "LUDUS_FETCH_ALLOW_NETS", OPT_STRING,
	    OFF(fetch_allow_nets), 0, 0, CMD_SERVE, "CIDRS",
	    "private networks a material's URL may point to anyway, e.g. "
	    "10.1.0.0/16 (default: public addresses only)"},
	{"llm-url", "LUDUS_LLM_URL", OPT_STRING, OFF(llm_url), 0, 0, CMD_SERVE,
	    "URL", "an OpenAI-compatible chat-completions API (Ollama, "
	    "llama.cpp, vLLM), e.g. http://127.0.0.1:11434/v1; unset: the "
	    "built-in generator only"},
	{"llm-model", "LUDUS_LLM_MODEL", OPT_STRING, OFF(llm_model), 0, 0,
	    CMD_SERVE, "NAME", "the model to ask"},
	{"llm-key", "LUDUS_LLM_KEY", OPT_STRING, OFF(llm_key), 0, 0, CMD_SERVE,
	    "KEY", "its API key, sent as a bearer token (if it needs one)"},
	{"llm-timeout-ms", "LUDUS_LLM_TIMEOUT_MS", OPT_INT, OFF(llm_timeout_ms),
	    1000, 600000, CMD_SERVE, "N", "longest one answer may take"},
	{"llm-attempts", "LUDUS_LLM_ATTEMPTS", OPT_INT, OFF(llm_attempts), 1,
	    10, CMD_SERVE, "N", "tries per request when answers do not "
	    "validate or the server fails"},
	{"retain-interactions-days", "LUDUS_RETAIN_INTERACTIONS_DAYS", OPT_INT,
	    OFF(retain_interactions_days), 30, 36500, CMD_SERVE, "N",
	    "study interactions are kept this long"},
	{"retain-inactive-days", "LUDUS_RETAIN_INACTIVE_DAYS", OPT_INT,
	    OFF(retain_inactive_days), 30, 36500, CMD_SERVE, "N",
	    "and this long for learners not seen for as long"},
	{"retain-sessions-days", "LUDUS_RETAIN_SESSIONS_DAYS", OPT_INT,
	    OFF(retain_sessions_days), 30, 36500, CMD_SERVE, "N",
	    "study sessions' data, then folded into monthly metrics"},
	{"retain-audit-days", "LUDUS_RETAIN_AUDIT_DAYS", OPT_INT,
	    OFF(retain_audit_days), 30, 36500, CMD_SERVE, "N",
	    "audit events (whole months are dropped)"},
	{"retain-metrics-days", "LUDUS_RETAIN_METRICS_DAYS", OPT_INT,
	    OFF(retain_metrics_days), 30, 36500, CMD_SERVE, "N",
	    "progress metrics"},
	{"cookie-secure", "LUDUS_COOKIE_SECURE", OPT_BOOL, OFF(cookie_secure),
	    0, 0, CMD_SERVE, NULL,
	    "mark cookies Secure (set it when served over HTTPS)"},
	{"trust-proxy", "LUDUS_TRUST_PROXY", OPT_BOOL, OFF(trust_proxy), 0, 0,
	    CMD_SERVE, NULL,
	    "take the client address from X-Forwarded-For (behind a proxy)"},
	{"oidc-allow-http", "LUDUS_OIDC_ALLOW_HTTP", OPT_BOOL,
	    OFF(oidc_allow_http), 0, 0, CMD_SERVE, NULL,
	    "let identity providers be plain http (a provider on this "
	    "machine; tests)"},
	{"public-url", "LUDUS_PUBLIC_URL", OPT_STRING, OFF(public_url), 0, 0,
	    CMD_SERVE | CMD_ORG, "URL",
	    "where users reach Ludus; links in mail use it"},
	{"mail-dir", "LUDUS_MAIL_DIR", OPT_STRING, OFF(mail_dir), 0, 0,
	    CMD_SERVE, "DIR", "the development mailer writes each mail here"},
	{"web-dir", "LUDUS_WEB_DIR", OPT_STRING, OFF(web_dir), 0, 0,
	    CMD_SERVE, "DIR", "serve the web app from DIR instead of the "
	    "built-in copy (for working on it: edit, then reload)"},
	{"log-level", "LUDUS_LOG_LEVEL", OPT_LEVEL, OFF(log_level), 0, 0,
	    ALL_DB, "LEVEL", "debug, info, warn or error"},
	{"migrations-dir", "LUDUS_MIGRATIONS_DIR", OPT_STRING,
	    OFF(migrations_dir), 0, 0, CMD_MIGRATE, "DIR",
	    "read migrations from DIR instead of the built-in ones"},
	{"format", "LUDUS_IMPORT_FORMAT", OPT_STRING, OFF(import_format), 0, 0,
	    CMD_IMPORT, "FORMAT", "the file's format: csv, gift or aiken "
	    "(default: from the file name)"},
	{"owner", "LUDUS_IMPORT_OWNER", OPT_STRING, OFF(import_owner), 0, 0,
	    CMD_IMPORT, "LOGIN", "email or username of the questions' author "
	    "(default: the organization's first admin)"},
	{"org", "LUDUS_IMPORT_ORG", OPT_STRING, OFF(import_org), 0, 0,
	    CMD_IMPORT, "SLUG", "the organization (default: the default one)"},
	{"exam", "LUDUS_IMPORT_EXAM", OPT_STRING, OFF(import_exam), 0, 0,
	    CMD_IMPORT, "CODE", "exam code for records that name none"},
	{"status", "LUDUS_IMPORT_STATUS", OPT_STRING, OFF(import_status), 0, 0,
	    CMD_IMPORT, "STATUS", "status of records that give none: draft, "
	    "active or retired"},
	{"dry-run", "LUDUS_IMPORT_DRY_RUN", OPT_BOOL, OFF(import_dry_run), 0, 0,
	    CMD_IMPORT, NULL, "check every record and report, but keep nothing"},
	{"test-routes", "LUDUS_TEST_ROUTES", OPT_BOOL, OFF(test_routes), 0, 0,
	    CMD_SERVE, NULL,
	    "serve the /api/v1/_test/* routes the test suite uses"},
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

int
config_parse_hostport(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon, *h = s, *p;
	unsigned char buf[sizeof(struct in6_addr)];
	size_t len;
	long n = 0;
	int family = AF_INET;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -1;
		h = s + 1;
		len = (size_t)(close - h);
		p = close + 2;
		family = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || strchr(s, ':') != colon)
			return -1;
		len = (size_t)(colon - s);
		p = colon + 1;
	}
	if (len == 0 || len >= hostlen)
		return -1;
	memcpy(host, h, len);
	host[len] = '\0';
	if (inet_pton(family, host, buf) != 1)
		return -1;
	if (*p == '\0' || strlen(p) > 5)
		return -1;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (n < 1 || n > 65535)
		return -1;
	*port = (int)n;
	return 0;
}

void
config_defaults(struct config *c)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(c, 0, sizeof(*c));
	c->database_url = "dbname=ludus";
	c->database_role = "ludus_app";
	c->listen = "127.0.0.1";
	c->migrations_dir = NULL;
	c->import_status = "active";
	c->port = 8080;
	/* Workers wait on the database most of the time: two per core. */
	c->workers = cpus > 0 ? (int)(cpus * 2 < 4 ? 4 : cpus * 2) : 4;
	if (c->workers > 64)
		c->workers = 64;
	c->max_body_bytes = 1 << 20;
	c->max_upload_bytes = 8 << 20;
	c->llm_timeout_ms = 60000;
	c->llm_attempts = 3;
	c->retain_interactions_days = 365;
	c->retain_inactive_days = 182;
	c->retain_sessions_days = 182;
	c->retain_audit_days = 730;
	c->retain_metrics_days = 1826;
	c->statement_timeout_ms = 5000;
	c->shutdown_timeout_s = 10;
	c->connection_timeout_s = 30;
	c->max_connections = 4096;
	c->max_connections_per_ip = 256;
	c->header_timeout_s = 10;
	c->bcrypt_cost = 12;
	c->log_level = LOG_INFO;
	c->test_routes = false;
	c->session_idle_minutes = 14 * 24 * 60;
	c->session_max_days = 30;
	c->lockout_threshold = 5;
	c->lockout_minutes = 15;
	c->login_rate = 30;
	c->register_rate = 5;
	c->login_failures_per_ip = 100;
	c->deleted_retention_days = 30;
	c->cookie_secure = false;
	c->trust_proxy = false;
	c->public_url = "http://127.0.0.1:8080";
	c->mail_dir = "var/mail";
}

static int
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Stores value into the field of o; on a bad value, says why in err. */
static int
set_value(struct config *c, const struct opt *o, const char *value,
    const char *what, char *err, size_t errlen)
{
	char *field = (char *)c + o->offset;
	char *end;
	long n;

	switch (o->type) {
	case OPT_STRING:
		if (*value == '\0') {
			snprintf(err, errlen, "%s must not be empty", what);
			return -1;
		}
		if (strlen(value) < (size_t)o->min) {
			/* The value may be a secret: it is not quoted. */
			snprintf(err, errlen, "%s must be at least %ld "
			    "characters long", what, o->min);
			return -1;
		}
		*(const char **)field = value;
		return 0;
	case OPT_HOSTPORT: {
		char host[INET6_ADDRSTRLEN];
		int port;

		if (config_parse_hostport(value, host, sizeof(host),
		    &port) != 0) {
			snprintf(err, errlen, "invalid value for %s: '%.100s' "
			    "(expected ADDRESS:PORT with an IPv4 address, or "
			    "[ADDRESS]:PORT with an IPv6 one)", what, value);
			return -1;
		}
		*(const char **)field = value;
		return 0;
	}
	case OPT_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (!(isdigit((unsigned char)*value) || (*value == '-' &&
		    isdigit((unsigned char)value[1]))) ||
		    errno != 0 || end == value || *end != '\0' || n < o->min ||
		    n > o->max) {
			snprintf(err, errlen,
			    "invalid value for %s: '%s' (expected an integer "
			    "from %ld to %ld)", what, value, o->min, o->max);
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	case OPT_LEVEL:
		if (log_level_parse(value, (enum log_level *)field) != 0) {
			snprintf(err, errlen,
			    "invalid value for %s: '%s' (expected debug, info, "
			    "warn or error)", what, value);
			return -1;
		}
		return 0;
	case OPT_BOOL:
		if (parse_bool(value, (bool *)field) != 0) {
			snprintf(err, errlen,
			    "invalid value for %s: '%s' (expected true or "
			    "false)", what, value);
			return -1;
		}
		return 0;
	}
	return -1;
}

int
config_from_env(struct config *c, unsigned command,
    const char *(*get)(const char *name), char *err, size_t errlen)
{
	for (size_t i = 0; i < NOPTS; i++) {
		const char *v;

		if (!(opts[i].commands & command))
			continue;
		v = get(opts[i].env);
		if (v == NULL)
			continue;
		if (set_value(c, &opts[i], v, opts[i].env, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static const struct opt *
find_flag(const char *name, size_t len, unsigned command)
{
	for (size_t i = 0; i < NOPTS; i++) {
		if ((opts[i].commands & command) &&
		    strlen(opts[i].flag) == len &&
		    strncmp(opts[i].flag, name, len) == 0)
			return &opts[i];
	}
	return NULL;
}

int
config_from_args(struct config *c, unsigned command, int argc, char **argv,
    int *npos, char *err, size_t errlen)
{
	int pos = 0;
	bool only_positional = false;

	for (int i = 0; i < argc; i++) {
		char *arg = argv[i];
		const char *name, *eq, *value;
		const struct opt *o;
		char what[80];
		size_t len;

		if (only_positional || arg[0] != '-' || arg[1] == '\0' ||
		    (arg[1] >= '0' && arg[1] <= '9')) {
			argv[pos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return 1;
		if (arg[1] != '-') {
			snprintf(err, errlen, "unknown option '%s'", arg);
			return -1;
		}
		name = arg + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		o = find_flag(name, len, command);
		if (o == NULL) {
			snprintf(err, errlen, "unknown option '--%.*s'",
			    (int)(len > 60 ? 60 : len), name);
			return -1;
		}
		snprintf(what, sizeof(what), "--%s", o->flag);
		if (eq != NULL) {
			value = eq + 1;
		} else if (o->type == OPT_BOOL) {
			value = "true";
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			snprintf(err, errlen, "option '%s' needs a value", what);
			return -1;
		}
		if (set_value(c, o, value, what, err, errlen) != 0)
			return -1;
	}
	*npos = pos;
	return 0;
}

void
config_print_options(FILE *out, unsigned command)
{
	struct config d;
	int any = 0;

	config_defaults(&d);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		const char *field = (const char *)&d + o->offset;
		char left[64], def[64] = "";

		if (!(o->commands & command))
			continue;
		if (!any++)
			fprintf(out, "\nOptions (flag, then environment "
			    "variable):\n");
		snprintf(left, sizeof(left), "--%s%s%s", o->flag,
		    o->metavar ? " " : "", o->metavar ? o->metavar : "");
		switch (o->type) {
		case OPT_STRING:
		case OPT_HOSTPORT:
			if (*(const char *const *)field != NULL)
				snprintf(def, sizeof(def), " [%s]",
				    *(const char *const *)field);
			break;
		case OPT_INT:
			snprintf(def, sizeof(def), " [%d]",
			    *(const int *)field);
			break;
		case OPT_LEVEL:
			snprintf(def, sizeof(def), " [%s]", log_level_name(
			    *(const enum log_level *)field));
			break;
		case OPT_BOOL:
			break;
		}
		fprintf(out, "  %-30s %s%s\n  %-30s (%s)\n", left, o->help, def,
		    "", o->env);
	}
	fprintf(out, "  %-30s %s\n", "-h, --help", "show this help");
}
