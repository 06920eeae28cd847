/*
 * test_config.c - configuration (src/core/config.h): the defaults,
 * config_from_env through a fake variable table and config_from_args, then
 * flags overriding the environment and config_print_options.
 *
 * The cases of one shape are rows of a table, and a failing row is named:
 * env_acceptances and args_acceptances (one variable or argv list sets one
 * field), env_refusals and args_refusals (one bad variable or argv list
 * returns -1 with a message naming it: values out of range or misspelt,
 * empty strings, unknown flags, missing values, flags of other subcommands).
 * The rest have tests of their own: no variables, all of them at once,
 * those of other subcommands not read (version reads none), --help, a bare
 * boolean not taking the next argument, positional arguments and "--", the
 * last flag winning, the message for a very long unknown flag, the
 * ADDR:PORT parser (config_parse_hostport) and a refused secret not being
 * echoed in the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include "core/config.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a fake environment ---------------------------------------------- */

struct var {
	const char *name, *value;
};

/* The table fake_getenv reads; each test sets it. NULL-terminated. */
static const struct var *fake_env;
/* Every name config_from_env asked for, space-separated. */
static char asked[1024];

static const char *
fake_getenv(const char *name)
{
	size_t len = strlen(asked);

	snprintf(asked + len, sizeof(asked) - len, "%s ", name);
	for (const struct var *v = fake_env; v != NULL && v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			return v->value;
	return NULL;
}

/* config_from_env over vars for command, after the defaults. */
static int
from_env(struct config *c, unsigned command, const struct var *vars,
    char *err, size_t errlen)
{
	fake_env = vars;
	asked[0] = '\0';
	config_defaults(c);
	return config_from_env(c, command, fake_getenv, err, errlen);
}

/* config_from_args over a NULL-terminated list, after the defaults. */
#define MAX_ARGS 16
struct args {
	char *argv[MAX_ARGS];
	int argc;
	int npos;
	char err[256];
};

static int
from_args(struct config *c, unsigned command, struct args *a,
    const char *const *list)
{
	a->argc = 0;
	while (list[a->argc] != NULL) {
		assert_true(a->argc < MAX_ARGS);
		a->argv[a->argc] = (char *)list[a->argc];
		a->argc++;
	}
	a->npos = -1;
	a->err[0] = '\0';
	return config_from_args(c, command, a->argc, a->argv, &a->npos, a->err,
	    sizeof(a->err));
}

/* ---- the table rows --------------------------------------------------- */

static const char *
command_name(unsigned command)
{
	switch (command) {
	case CMD_SERVE:
		return "serve";
	case CMD_MIGRATE:
		return "migrate";
	case CMD_SEED:
		return "seed";
	case CMD_VERSION:
		return "version";
	}
	return "?";
}

/* Writes "table row i: command "arg" ..." into buf, for failure messages. */
static void
describe_args(char *buf, size_t len, const char *table, size_t i,
    unsigned command, const char *const *argv)
{
	int n = snprintf(buf, len, "%s row %zu: %s", table, i,
	    command_name(command));

	for (; *argv != NULL && n >= 0 && (size_t)n < len; argv++)
		n += snprintf(buf + n, len - (size_t)n, " \"%s\"", *argv);
}

/* The field an acceptance row checks; each is read and set as an int. */
enum field {
	F_PORT, F_BCRYPT_COST, F_LOG_LEVEL, F_TEST_ROUTES, F_MAX_CONNECTIONS,
	F_PER_IP, F_HEADER_TIMEOUT,
};

static int
get_field(const struct config *c, enum field f)
{
	switch (f) {
	case F_PORT:
		return c->port;
	case F_BCRYPT_COST:
		return c->bcrypt_cost;
	case F_LOG_LEVEL:
		return (int)c->log_level;
	case F_TEST_ROUTES:
		return c->test_routes;
	case F_MAX_CONNECTIONS:
		return c->max_connections;
	case F_PER_IP:
		return c->max_connections_per_ip;
	case F_HEADER_TIMEOUT:
		return c->header_timeout_s;
	}
	fail_msg("unknown field %d", (int)f);
	return -1;
}

static void
set_field(struct config *c, enum field f, int value)
{
	switch (f) {
	case F_PORT:
		c->port = value;
		return;
	case F_BCRYPT_COST:
		c->bcrypt_cost = value;
		return;
	case F_LOG_LEVEL:
		c->log_level = (enum log_level)value;
		return;
	case F_TEST_ROUTES:
		c->test_routes = value != 0;
		return;
	case F_MAX_CONNECTIONS:
		c->max_connections = value;
		return;
	case F_PER_IP:
		c->max_connections_per_ip = value;
		return;
	case F_HEADER_TIMEOUT:
		c->header_timeout_s = value;
		return;
	}
	fail_msg("unknown field %d", (int)f);
}

/*
 * Fails, naming the row, unless rc is -1 and err holds every string of want
 * (NULL ends it early) and, when absent is not NULL, not that one.
 */
static void
check_refusal(const char *row, int rc, const char *err,
    const char *const want[3], const char *absent)
{
	if (rc != -1)
		fail_msg("%s: returned %d, not -1", row, rc);
	for (size_t i = 0; i < 3 && want[i] != NULL; i++)
		if (strstr(err, want[i]) == NULL)
			fail_msg("%s: \"%s\" not in the error \"%s\"", row,
			    want[i], err);
	if (absent != NULL && strstr(err, absent) != NULL)
		fail_msg("%s: \"%s\" in the error \"%s\"", row, absent, err);
}

/* ---- defaults --------------------------------------------------------- */

static void
defaults_have_documented_values(void **state)
{
	struct config c;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int want;

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	config_defaults(&c);
	assert_string_equal(c.database_url, "dbname=ludus");
	assert_string_equal(c.listen, "127.0.0.1");
	assert_null(c.migrations_dir);
	assert_int_equal(c.port, 8080);
	assert_int_equal(c.max_body_bytes, 1 << 20);
	assert_int_equal(c.statement_timeout_ms, 5000);
	assert_int_equal(c.shutdown_timeout_s, 10);
	assert_int_equal(c.connection_timeout_s, 30);
	assert_int_equal(c.max_connections, 4096);
	assert_int_equal(c.max_connections_per_ip, 256);
	assert_int_equal(c.header_timeout_s, 10);
	assert_null(c.metrics_token);
	assert_null(c.metrics_addr);
	assert_int_equal(c.bcrypt_cost, 12);
	assert_int_equal(c.log_level, LOG_INFO);
	assert_false(c.test_routes);

	/* Two workers per core, at least 4 and at most 64. */
	want = cpus > 0 ? (int)(cpus * 2) : 4;
	if (want < 4)
		want = 4;
	if (want > 64)
		want = 64;
	assert_int_equal(c.workers, want);
	assert_in_range(c.workers, 4, 64);
}

/* ---- config_from_env -------------------------------------------------- */

static void
env_empty_keeps_defaults(void **state)
{
	static const struct var vars[] = {{NULL, NULL}};
	struct config c, d;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), 0);
	config_defaults(&d);
	assert_memory_equal(&c, &d, sizeof(c));
}

static void
env_valid_values_for_serve(void **state)
{
	static const struct var vars[] = {
		{"LUDUS_DATABASE_URL", "host=/tmp dbname=x"},
		{"LUDUS_LISTEN", "::1"},
		{"LUDUS_PORT", "9000"},
		{"LUDUS_WORKERS", "3"},
		{"LUDUS_MAX_BODY_BYTES", "2048"},
		{"LUDUS_STATEMENT_TIMEOUT_MS", "100"},
		{"LUDUS_SHUTDOWN_TIMEOUT", "0"},
		{"LUDUS_CONNECTION_TIMEOUT", "3600"},
		{"LUDUS_BCRYPT_COST", "10"},
		{"LUDUS_LOG_LEVEL", "debug"},
		{"LUDUS_TEST_ROUTES", "yes"},
		{"LUDUS_MAX_CONNECTIONS", "100"},
		{"LUDUS_MAX_CONNECTIONS_PER_IP", "8"},
		{"LUDUS_HEADER_TIMEOUT", "3"},
		{"LUDUS_METRICS_TOKEN", "0123456789abcdef"},
		{"LUDUS_METRICS_ADDR", "[::1]:9090"},
		{NULL, NULL},
	};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(c.database_url, "host=/tmp dbname=x");
	assert_string_equal(c.listen, "::1");
	assert_int_equal(c.port, 9000);
	assert_int_equal(c.workers, 3);
	assert_int_equal(c.max_body_bytes, 2048);
	assert_int_equal(c.statement_timeout_ms, 100);
	assert_int_equal(c.shutdown_timeout_s, 0);
	assert_int_equal(c.connection_timeout_s, 3600);
	assert_int_equal(c.bcrypt_cost, 10);
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_true(c.test_routes);
	assert_int_equal(c.max_connections, 100);
	assert_int_equal(c.max_connections_per_ip, 8);
	assert_int_equal(c.header_timeout_s, 3);
	assert_string_equal(c.metrics_token, "0123456789abcdef");
	assert_string_equal(c.metrics_addr, "[::1]:9090");
}

/*
 * name=value alone, for command, sets field to want.  The field is set to
 * something else first, so a value equal to the default is still seen.
 */
static const struct env_acceptance {
	unsigned command;
	const char *name, *value;
	enum field field;
	int want;
} env_accepted[] = {
	/* Integer bounds are inclusive. */
	{CMD_SERVE, "LUDUS_PORT", "1", F_PORT, 1},
	{CMD_SERVE, "LUDUS_PORT", "65535", F_PORT, 65535},
	{CMD_SEED, "LUDUS_BCRYPT_COST", "16", F_BCRYPT_COST, 16},
	{CMD_MIGRATE, "LUDUS_LOG_LEVEL", "debug", F_LOG_LEVEL, LOG_DEBUG},
	{CMD_MIGRATE, "LUDUS_LOG_LEVEL", "info", F_LOG_LEVEL, LOG_INFO},
	{CMD_MIGRATE, "LUDUS_LOG_LEVEL", "warn", F_LOG_LEVEL, LOG_WARN},
	{CMD_MIGRATE, "LUDUS_LOG_LEVEL", "error", F_LOG_LEVEL, LOG_ERROR},
	/* Booleans, in any case. */
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "1", F_TEST_ROUTES, 1},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "true", F_TEST_ROUTES, 1},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "TRUE", F_TEST_ROUTES, 1},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "yes", F_TEST_ROUTES, 1},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "On", F_TEST_ROUTES, 1},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "0", F_TEST_ROUTES, 0},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "false", F_TEST_ROUTES, 0},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "False", F_TEST_ROUTES, 0},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "no", F_TEST_ROUTES, 0},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "OFF", F_TEST_ROUTES, 0},
	/* The connection limits; 0 turns the per-address one and the header
	 * deadline off. */
	{CMD_SERVE, "LUDUS_MAX_CONNECTIONS", "16", F_MAX_CONNECTIONS, 16},
	{CMD_SERVE, "LUDUS_MAX_CONNECTIONS", "1000000", F_MAX_CONNECTIONS,
	    1000000},
	{CMD_SERVE, "LUDUS_MAX_CONNECTIONS_PER_IP", "0", F_PER_IP, 0},
	{CMD_SERVE, "LUDUS_MAX_CONNECTIONS_PER_IP", "1000000", F_PER_IP,
	    1000000},
	{CMD_SERVE, "LUDUS_HEADER_TIMEOUT", "0", F_HEADER_TIMEOUT, 0},
	{CMD_SERVE, "LUDUS_HEADER_TIMEOUT", "3600", F_HEADER_TIMEOUT, 3600},
};

static void
env_acceptances(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(env_accepted); i++) {
		const struct env_acceptance *r = &env_accepted[i];
		const struct var vars[] = {{r->name, r->value}, {NULL, NULL}};
		struct config c;
		char err[256] = "";
		int rc;

		fake_env = vars;
		config_defaults(&c);
		set_field(&c, r->field, r->want == 0);
		rc = config_from_env(&c, r->command, fake_getenv, err,
		    sizeof(err));
		if (rc != 0)
			fail_msg("env_acceptances row %zu: %s %s='%s': "
			    "returned %d: %s", i, command_name(r->command),
			    r->name, r->value, rc, err);
		if (get_field(&c, r->field) != r->want)
			fail_msg("env_acceptances row %zu: %s %s='%s': "
			    "field is %d, not %d", i, command_name(r->command),
			    r->name, r->value, get_field(&c, r->field),
			    r->want);
	}
}

/* name=value alone, for command, is refused with all of want in the error. */
static const struct env_refusal {
	unsigned command;
	const char *name, *value;
	const char *want[3];
} env_refused[] = {
	{CMD_SERVE, "LUDUS_PORT", "0", {"LUDUS_PORT"}},
	{CMD_SERVE, "LUDUS_PORT", "70000", {"LUDUS_PORT"}},
	{CMD_SERVE, "LUDUS_PORT", "65536", {"LUDUS_PORT"}},
	{CMD_SERVE, "LUDUS_PORT", "-1", {"LUDUS_PORT"}},
	{CMD_SERVE, "LUDUS_PORT", "abc", {"LUDUS_PORT"}},
	{CMD_SERVE, "LUDUS_PORT", "80x", {"LUDUS_PORT", "'80x'", "1 to 65535"}},
	{CMD_SERVE, "LUDUS_PORT", "", {"LUDUS_PORT"}},
	{CMD_SERVE, "LUDUS_PORT", "99999999999999999999999", {"LUDUS_PORT"}},
	{CMD_SEED, "LUDUS_BCRYPT_COST", "9", {"LUDUS_BCRYPT_COST"}},
	{CMD_SERVE, "LUDUS_LOG_LEVEL", "verbose",
	    {"LUDUS_LOG_LEVEL", "verbose"}},
	{CMD_SERVE, "LUDUS_TEST_ROUTES", "maybe",
	    {"LUDUS_TEST_ROUTES", "maybe"}},
	{CMD_SEED, "LUDUS_DATABASE_URL", "", {"LUDUS_DATABASE_URL", "empty"}},
	{CMD_SERVE, "LUDUS_MAX_CONNECTIONS", "15",
	    {"LUDUS_MAX_CONNECTIONS", "16 to 1000000"}},
	{CMD_SERVE, "LUDUS_MAX_CONNECTIONS_PER_IP", "-1",
	    {"LUDUS_MAX_CONNECTIONS_PER_IP", "0 to 1000000"}},
	{CMD_SERVE, "LUDUS_HEADER_TIMEOUT", "3601", {"LUDUS_HEADER_TIMEOUT"}},
	{CMD_SERVE, "LUDUS_HEADER_TIMEOUT", "10s", {"LUDUS_HEADER_TIMEOUT"}},
	{CMD_SERVE, "LUDUS_METRICS_TOKEN", "", {"LUDUS_METRICS_TOKEN",
	    "empty"}},
	{CMD_SERVE, "LUDUS_METRICS_TOKEN", "0123456789abcde",
	    {"LUDUS_METRICS_TOKEN", "at least 16"}},
	/* ADDR:PORT: an IP address (no name), a port from 1 to 65535, IPv6
	 * in brackets. */
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1", {"LUDUS_METRICS_ADDR",
	    "ADDRESS:PORT"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1:", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", ":9090", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1:0",
	    {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1:65536",
	    {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1:009090",
	    {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1:90x",
	    {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "127.0.0.1:-1",
	    {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "localhost:9090",
	    {"LUDUS_METRICS_ADDR", "localhost:9090"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "::1:9090", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "[::1]9090", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "[::1]:", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "[::1:9090", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "[]:9090", {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "[127.0.0.1]:9090",
	    {"LUDUS_METRICS_ADDR"}},
	{CMD_SERVE, "LUDUS_METRICS_ADDR", "256.0.0.1:9090",
	    {"LUDUS_METRICS_ADDR"}},
};

static void
env_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(env_refused); i++) {
		const struct env_refusal *r = &env_refused[i];
		const struct var vars[] = {{r->name, r->value}, {NULL, NULL}};
		struct config c;
		char err[256] = "", row[160];
		int rc;

		rc = from_env(&c, r->command, vars, err, sizeof(err));
		snprintf(row, sizeof(row), "env_refusals row %zu: %s %s='%s'",
		    i, command_name(r->command), r->name, r->value);
		check_refusal(row, rc, err, r->want, NULL);
	}
}

static void
env_options_of_other_commands_ignored(void **state)
{
	/* Invalid on purpose: they must not even be looked at. */
	static const struct var vars[] = {
		{"LUDUS_PORT", "not-a-port"},
		{"LUDUS_TEST_ROUTES", "maybe"},
		{"LUDUS_BCRYPT_COST", "99"},
		{"LUDUS_MIGRATIONS_DIR", "/srv/migrations"},
		{NULL, NULL},
	};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_MIGRATE, vars, err, sizeof(err)), 0);
	assert_int_equal(c.port, 8080);
	assert_false(c.test_routes);
	assert_int_equal(c.bcrypt_cost, 12);
	assert_string_equal(c.migrations_dir, "/srv/migrations");
	assert_null(strstr(asked, "LUDUS_PORT"));
	assert_null(strstr(asked, "LUDUS_BCRYPT_COST"));
	assert_non_null(strstr(asked, "LUDUS_DATABASE_URL"));
}

static void
env_version_takes_nothing(void **state)
{
	static const struct var vars[] = {{"LUDUS_DATABASE_URL", ""},
	    {NULL, NULL}};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_VERSION, vars, err, sizeof(err)), 0);
	assert_string_equal(asked, "");
}

/* ---- config_from_args ------------------------------------------------- */

/*
 * argv, for command, sets field to want and leaves no positional argument.
 * The field is set to something else first, as in env_acceptances.
 */
static const struct args_acceptance {
	unsigned command;
	const char *argv[4]; /* NULL-terminated */
	enum field field;
	int want;
} args_accepted[] = {
	{CMD_SERVE, {"--port", "9000", NULL}, F_PORT, 9000},
	{CMD_SERVE, {"--port=9000", NULL}, F_PORT, 9000},
	/* A bare bool flag is true; with =value it is parsed. */
	{CMD_SERVE, {"--test-routes", NULL}, F_TEST_ROUTES, 1},
	{CMD_SERVE, {"--test-routes=false", NULL}, F_TEST_ROUTES, 0},
	{CMD_SERVE, {"--test-routes=1", NULL}, F_TEST_ROUTES, 1},
	{CMD_SERVE, {"--max-connections", "512", NULL}, F_MAX_CONNECTIONS, 512},
	{CMD_SERVE, {"--max-connections-per-ip=0", NULL}, F_PER_IP, 0},
	{CMD_SERVE, {"--header-timeout", "5", NULL}, F_HEADER_TIMEOUT, 5},
};

static void
args_acceptances(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(args_accepted); i++) {
		const struct args_acceptance *r = &args_accepted[i];
		struct config c;
		struct args a;
		char row[160];
		int rc;

		config_defaults(&c);
		set_field(&c, r->field, r->want == 0);
		rc = from_args(&c, r->command, &a, r->argv);
		describe_args(row, sizeof(row), "args_acceptances", i,
		    r->command, r->argv);
		if (rc != 0)
			fail_msg("%s: returned %d: %s", row, rc, a.err);
		if (get_field(&c, r->field) != r->want)
			fail_msg("%s: field is %d, not %d", row,
			    get_field(&c, r->field), r->want);
		if (a.npos != 0)
			fail_msg("%s: %d positional arguments, not 0", row,
			    a.npos);
	}
}

/*
 * argv, for command, is refused with all of want in the error and, when
 * absent is set, not that.  Unless partial (an earlier flag was applied),
 * the config is still the defaults: the refused value was not stored.
 */
static const struct args_refusal {
	unsigned command;
	const char *argv[7]; /* NULL-terminated */
	const char *want[3];
	const char *absent;
	bool partial;
} args_refused[] = {
	/* Bad values name the flag. */
	{CMD_SERVE, {"--port", "70000", NULL}, {"--port", "70000"}, NULL,
	    false},
	{CMD_SERVE, {"--port=", NULL}, {"--port"}, NULL, false},
	{CMD_SERVE, {"--test-routes=maybe", NULL}, {"--test-routes"}, NULL,
	    false},
	{CMD_SERVE, {"--listen", "", NULL}, {"--listen"}, NULL, false},
	{CMD_SERVE, {"--header-timeout=-1", NULL}, {"--header-timeout"}, NULL,
	    false},
	{CMD_SERVE, {"--metrics-addr", "9090", NULL}, {"--metrics-addr"}, NULL,
	    false},
	/* A token too short is refused without being repeated. */
	{CMD_SERVE, {"--metrics-token=hunter2", NULL}, {"--metrics-token",
	    "16"}, "hunter2", false},
	{CMD_MIGRATE, {"--metrics-token", "0123456789abcdef0", NULL},
	    {"--metrics-token"}, NULL, false},
	/* Unknown flags; the value is not part of the flag's name. */
	{CMD_SERVE, {"--foo", NULL}, {"--foo"}, NULL, false},
	{CMD_SERVE, {"--foo=bar", NULL}, {"--foo"}, "bar", false},
	{CMD_SERVE, {"--por", "1", NULL}, {"--por"}, NULL, false},
	{CMD_SERVE, {"--portx=1", NULL}, {"--portx"}, NULL, false},
	{CMD_SERVE, {"-x", NULL}, {"-x"}, NULL, false},
	{CMD_SERVE, {"-p", "80", NULL}, {"-p"}, NULL, false},
	/* A value missing at the end. */
	{CMD_SERVE, {"--workers", "2", "--port", NULL}, {"--port", "value"},
	    NULL, true},
	/* Flags of other subcommands are unknown. */
	{CMD_MIGRATE, {"--port", "9000", NULL}, {"--port"}, NULL, false},
	{CMD_SERVE, {"--migrations-dir", "/x", NULL}, {"--migrations-dir"},
	    NULL, false},
	{CMD_VERSION, {"--port", "9000", NULL}, {"--port"}, NULL, false},
};

static void
args_refusals(void **state)
{
	struct config d;

	(void)state;
	config_defaults(&d);
	for (size_t i = 0; i < NELEM(args_refused); i++) {
		const struct args_refusal *r = &args_refused[i];
		struct config c;
		struct args a;
		char row[160];
		int rc;

		config_defaults(&c);
		rc = from_args(&c, r->command, &a, r->argv);
		describe_args(row, sizeof(row), "args_refusals", i,
		    r->command, r->argv);
		check_refusal(row, rc, a.err, r->want, r->absent);
		if (!r->partial && memcmp(&c, &d, sizeof(c)) != 0)
			fail_msg("%s: the config is not the defaults", row);
	}
}

static void
args_bool_does_not_take_next_argument(void **state)
{
	/* "false" after a bare bool flag is a positional argument. */
	static const char *const list[] = {"--test-routes", "false", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_true(c.test_routes);
	assert_int_equal(a.npos, 1);
	assert_string_equal(a.argv[0], "false");
}

static void
args_help(void **state)
{
	static const char *const short_h[] = {"-h", NULL};
	static const char *const long_h[] = {"up", "--port", "1", "--help",
	    "--bogus", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_MIGRATE, &a, short_h), 1);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, long_h), 1);
	assert_int_equal(from_args(&c, CMD_VERSION, &a, short_h), 1);
}

static void
args_positionals_kept_in_order(void **state)
{
	static const char *const list[] = {"up", "--log-level", "warn", "down",
	    "--database-url=dbname=t", "3", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_MIGRATE, &a, list), 0);
	assert_int_equal(a.npos, 3);
	assert_string_equal(a.argv[0], "up");
	assert_string_equal(a.argv[1], "down");
	assert_string_equal(a.argv[2], "3");
	assert_int_equal(c.log_level, LOG_WARN);
	assert_string_equal(c.database_url, "dbname=t");
}

static void
args_dash_and_negative_numbers_are_positional(void **state)
{
	static const char *const list[] = {"-", "-1", "-42", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_MIGRATE, &a, list), 0);
	assert_int_equal(a.npos, 3);
	assert_string_equal(a.argv[0], "-");
	assert_string_equal(a.argv[1], "-1");
	assert_string_equal(a.argv[2], "-42");
}

static void
args_double_dash_makes_rest_positional(void **state)
{
	static const char *const list[] = {"a", "--", "--port", "-h", "--",
	    "--bogus", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_int_equal(a.npos, 5);
	assert_string_equal(a.argv[0], "a");
	assert_string_equal(a.argv[1], "--port");
	assert_string_equal(a.argv[2], "-h");
	assert_string_equal(a.argv[3], "--");
	assert_string_equal(a.argv[4], "--bogus");
	assert_int_equal(c.port, 8080);
}

static void
args_no_arguments(void **state)
{
	static const char *const list[] = {NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_int_equal(a.npos, 0);
}

static void
args_last_flag_wins(void **state)
{
	static const char *const list[] = {"--port=1", "--port", "2", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_int_equal(c.port, 2);
}

static void
args_long_unknown_flag_message_is_bounded(void **state)
{
	char flag[300];
	const char *list[] = {flag, NULL};
	struct config c;
	struct args a;

	(void)state;
	flag[0] = flag[1] = '-';
	memset(flag + 2, 'z', sizeof(flag) - 3);
	flag[sizeof(flag) - 1] = '\0';
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_true(strlen(a.err) < sizeof(a.err) - 1);
	assert_non_null(strstr(a.err, "--zzzz"));
}

static void
flags_override_env(void **state)
{
	static const struct var vars[] = {
		{"LUDUS_PORT", "7000"},
		{"LUDUS_LISTEN", "0.0.0.0"},
		{"LUDUS_TEST_ROUTES", "true"},
		{NULL, NULL},
	};
	static const char *const list[] = {"--port", "9000",
	    "--test-routes=off", NULL};
	struct config c;
	struct args a;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), 0);
	assert_int_equal(c.port, 7000);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_int_equal(c.port, 9000);
	assert_false(c.test_routes);
	/* Not given as a flag: the environment's value stays. */
	assert_string_equal(c.listen, "0.0.0.0");
}

/* ---- config_parse_hostport -------------------------------------------- */

static void
hostport_splits_address_and_port(void **state)
{
	static const struct {
		const char *in, *host;
		int port;
	} ok[] = {
		{"127.0.0.1:9090", "127.0.0.1", 9090},
		{"0.0.0.0:1", "0.0.0.0", 1},
		{"10.1.2.3:65535", "10.1.2.3", 65535},
		{"[::1]:9090", "::1", 9090},
		{"[::]:80", "::", 80},
		{"[2001:db8::7]:443", "2001:db8::7", 443},
		{"[::ffff:127.0.0.1]:9100", "::ffff:127.0.0.1", 9100},
	};
	char host[INET6_ADDRSTRLEN];
	int port;

	(void)state;
	for (size_t i = 0; i < NELEM(ok); i++) {
		memset(host, 'x', sizeof(host));
		port = -1;
		if (config_parse_hostport(ok[i].in, host, sizeof(host),
		    &port) != 0)
			fail_msg("\"%s\" refused", ok[i].in);
		assert_string_equal(host, ok[i].host);
		assert_int_equal(port, ok[i].port);
	}
	/* A host that does not fit is refused, not cut. */
	assert_int_equal(config_parse_hostport("127.0.0.1:80", host, 9, &port),
	    -1);
	assert_int_equal(config_parse_hostport("127.0.0.1:80", host, 10,
	    &port), 0);
	assert_string_equal(host, "127.0.0.1");
}

static void
print_options_lists_command_options(void **state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	(void)state;
	assert_non_null(f);
	config_print_options(f, CMD_MIGRATE);
	fclose(f);
	assert_non_null(strstr(buf, "--migrations-dir DIR"));
	assert_non_null(strstr(buf, "LUDUS_MIGRATIONS_DIR"));
	assert_non_null(strstr(buf, "[dbname=ludus]"));
	assert_non_null(strstr(buf, "[info]"));
	assert_non_null(strstr(buf, "--help"));
	assert_null(strstr(buf, "--port"));
	assert_null(strstr(buf, "--metrics-token"));
	free(buf);
}

static void
print_options_lists_the_limits_for_serve(void **state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	(void)state;
	assert_non_null(f);
	config_print_options(f, CMD_SERVE);
	fclose(f);
	assert_non_null(strstr(buf, "--max-connections N"));
	assert_non_null(strstr(buf, "(LUDUS_MAX_CONNECTIONS)"));
	assert_non_null(strstr(buf, "--max-connections-per-ip N"));
	assert_non_null(strstr(buf, "(LUDUS_MAX_CONNECTIONS_PER_IP)"));
	assert_non_null(strstr(buf, "--header-timeout SECONDS"));
	assert_non_null(strstr(buf, "(LUDUS_HEADER_TIMEOUT)"));
	assert_non_null(strstr(buf, "--metrics-token TOKEN"));
	assert_non_null(strstr(buf, "(LUDUS_METRICS_TOKEN)"));
	assert_non_null(strstr(buf, "--metrics-addr ADDR:PORT"));
	assert_non_null(strstr(buf, "(LUDUS_METRICS_ADDR)"));
	assert_non_null(strstr(buf, "[4096]"));
	assert_non_null(strstr(buf, "[256]"));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_have_documented_values),
		cmocka_unit_test(env_empty_keeps_defaults),
		cmocka_unit_test(env_valid_values_for_serve),
		cmocka_unit_test(env_acceptances),
		cmocka_unit_test(env_refusals),
		cmocka_unit_test(env_options_of_other_commands_ignored),
		cmocka_unit_test(env_version_takes_nothing),
		cmocka_unit_test(args_acceptances),
		cmocka_unit_test(args_refusals),
		cmocka_unit_test(args_bool_does_not_take_next_argument),
		cmocka_unit_test(args_help),
		cmocka_unit_test(args_positionals_kept_in_order),
		cmocka_unit_test(args_dash_and_negative_numbers_are_positional),
		cmocka_unit_test(args_double_dash_makes_rest_positional),
		cmocka_unit_test(args_no_arguments),
		cmocka_unit_test(args_last_flag_wins),
		cmocka_unit_test(args_long_unknown_flag_message_is_bounded),
		cmocka_unit_test(flags_override_env),
		cmocka_unit_test(hostport_splits_address_and_port),
		cmocka_unit_test(print_options_lists_command_options),
		cmocka_unit_test(print_options_lists_the_limits_for_serve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
