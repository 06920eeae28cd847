/*
 * test_config.c - configuration (src/core/config.h): the defaults,
 * config_from_env through a fake variable table (valid and invalid values,
 * variables of other subcommands ignored) and config_from_args (--flag N,
 * --flag=N, booleans, --help, unknown flags, missing values, positional
 * arguments and "--"), and flags overriding the environment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

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
}

static void
env_int_bounds_are_inclusive(void **state)
{
	static const struct var low[] = {{"LUDUS_PORT", "1"}, {NULL, NULL}};
	static const struct var high[] = {{"LUDUS_PORT", "65535"},
	    {NULL, NULL}};
	struct config c;
	char err[256];

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, low, err, sizeof(err)), 0);
	assert_int_equal(c.port, 1);
	assert_int_equal(from_env(&c, CMD_SERVE, high, err, sizeof(err)), 0);
	assert_int_equal(c.port, 65535);
}

/* Asserts that LUDUS_PORT=value is refused with a message naming it. */
static void
assert_bad_port(const char *value)
{
	const struct var vars[] = {{"LUDUS_PORT", value}, {NULL, NULL}};
	struct config c;
	char err[256] = "";

	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "LUDUS_PORT"));
}

static void
env_bad_ports_are_refused(void **state)
{
	(void)state;
	assert_bad_port("0");
	assert_bad_port("70000");
	assert_bad_port("65536");
	assert_bad_port("-1");
	assert_bad_port("abc");
	assert_bad_port("80x");
	assert_bad_port("");
	assert_bad_port("99999999999999999999999");
}

static void
env_bad_port_message_names_value_and_range(void **state)
{
	static const struct var vars[] = {{"LUDUS_PORT", "80x"}, {NULL, NULL}};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'80x'"));
	assert_non_null(strstr(err, "1 to 65535"));
}

static void
env_bad_log_level(void **state)
{
	static const struct var vars[] = {{"LUDUS_LOG_LEVEL", "verbose"},
	    {NULL, NULL}};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "LUDUS_LOG_LEVEL"));
	assert_non_null(strstr(err, "verbose"));
}

static void
env_log_levels(void **state)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	static const enum log_level levels[] = {LOG_DEBUG, LOG_INFO, LOG_WARN,
	    LOG_ERROR};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		const struct var vars[] = {{"LUDUS_LOG_LEVEL", names[i]},
		    {NULL, NULL}};
		struct config c;
		char err[256];

		assert_int_equal(from_env(&c, CMD_MIGRATE, vars, err,
		    sizeof(err)), 0);
		assert_int_equal(c.log_level, levels[i]);
	}
}

static void
env_bad_bool(void **state)
{
	static const struct var vars[] = {{"LUDUS_TEST_ROUTES", "maybe"},
	    {NULL, NULL}};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SERVE, vars, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "LUDUS_TEST_ROUTES"));
	assert_non_null(strstr(err, "maybe"));
}

static void
env_bool_spellings(void **state)
{
	static const char *const yes[] = {"1", "true", "TRUE", "yes", "On"};
	static const char *const no[] = {"0", "false", "False", "no", "OFF"};

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		const struct var t[] = {{"LUDUS_TEST_ROUTES", yes[i]},
		    {NULL, NULL}};
		const struct var f[] = {{"LUDUS_TEST_ROUTES", no[i]},
		    {NULL, NULL}};
		struct config c;
		char err[256];

		assert_int_equal(from_env(&c, CMD_SERVE, t, err, sizeof(err)),
		    0);
		assert_true(c.test_routes);
		c.test_routes = true;
		fake_env = f;
		assert_int_equal(config_from_env(&c, CMD_SERVE, fake_getenv,
		    err, sizeof(err)), 0);
		assert_false(c.test_routes);
	}
}

static void
env_empty_string_option_refused(void **state)
{
	static const struct var vars[] = {{"LUDUS_DATABASE_URL", ""},
	    {NULL, NULL}};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SEED, vars, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "LUDUS_DATABASE_URL"));
	assert_non_null(strstr(err, "empty"));
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

static void
env_seed_takes_bcrypt_cost_range(void **state)
{
	static const struct var ok[] = {{"LUDUS_BCRYPT_COST", "16"},
	    {NULL, NULL}};
	static const struct var low[] = {{"LUDUS_BCRYPT_COST", "9"},
	    {NULL, NULL}};
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(from_env(&c, CMD_SEED, ok, err, sizeof(err)), 0);
	assert_int_equal(c.bcrypt_cost, 16);
	assert_int_equal(from_env(&c, CMD_SEED, low, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "LUDUS_BCRYPT_COST"));
}

/* ---- config_from_args ------------------------------------------------- */

static void
args_port_separate_value(void **state)
{
	static const char *const list[] = {"--port", "9000", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_int_equal(c.port, 9000);
	assert_int_equal(a.npos, 0);
}

static void
args_port_equals_value(void **state)
{
	static const char *const list[] = {"--port=9000", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_int_equal(c.port, 9000);
	assert_int_equal(a.npos, 0);
}

static void
args_bad_port_value_names_flag(void **state)
{
	static const char *const list[] = {"--port", "70000", NULL};
	static const char *const empty[] = {"--port=", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_non_null(strstr(a.err, "--port"));
	assert_non_null(strstr(a.err, "70000"));
	assert_int_equal(c.port, 8080);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, empty), -1);
	assert_non_null(strstr(a.err, "--port"));
}

static void
args_bool_without_value_is_true(void **state)
{
	static const char *const list[] = {"--test-routes", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), 0);
	assert_true(c.test_routes);
	assert_int_equal(a.npos, 0);
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
args_bool_with_value(void **state)
{
	static const char *const off[] = {"--test-routes=false", NULL};
	static const char *const on[] = {"--test-routes=1", NULL};
	static const char *const bad[] = {"--test-routes=maybe", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	c.test_routes = true;
	assert_int_equal(from_args(&c, CMD_SERVE, &a, off), 0);
	assert_false(c.test_routes);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, on), 0);
	assert_true(c.test_routes);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, bad), -1);
	assert_non_null(strstr(a.err, "--test-routes"));
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
args_unknown_long_flag(void **state)
{
	static const char *const list[] = {"--foo", NULL};
	static const char *const with_value[] = {"--foo=bar", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_non_null(strstr(a.err, "--foo"));
	assert_int_equal(from_args(&c, CMD_SERVE, &a, with_value), -1);
	assert_non_null(strstr(a.err, "--foo"));
	/* The value is not part of the flag's name. */
	assert_null(strstr(a.err, "bar"));
}

static void
args_flag_prefix_is_not_a_flag(void **state)
{
	static const char *const list[] = {"--por", "1", NULL};
	static const char *const longer[] = {"--portx=1", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_non_null(strstr(a.err, "--por"));
	assert_int_equal(from_args(&c, CMD_SERVE, &a, longer), -1);
	assert_non_null(strstr(a.err, "--portx"));
}

static void
args_unknown_short_flag(void **state)
{
	static const char *const list[] = {"-x", NULL};
	static const char *const p[] = {"-p", "80", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_non_null(strstr(a.err, "-x"));
	assert_int_equal(from_args(&c, CMD_SERVE, &a, p), -1);
}

static void
args_missing_value_at_end(void **state)
{
	static const char *const list[] = {"--workers", "2", "--port", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_non_null(strstr(a.err, "--port"));
	assert_non_null(strstr(a.err, "value"));
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
args_flag_of_other_command_is_unknown(void **state)
{
	static const char *const port[] = {"--port", "9000", NULL};
	static const char *const dir[] = {"--migrations-dir", "/x", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_MIGRATE, &a, port), -1);
	assert_non_null(strstr(a.err, "--port"));
	assert_int_equal(c.port, 8080);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, dir), -1);
	assert_non_null(strstr(a.err, "--migrations-dir"));
	assert_int_equal(from_args(&c, CMD_VERSION, &a, port), -1);
}

static void
args_empty_string_value_refused(void **state)
{
	static const char *const list[] = {"--listen", "", NULL};
	struct config c;
	struct args a;

	(void)state;
	config_defaults(&c);
	assert_int_equal(from_args(&c, CMD_SERVE, &a, list), -1);
	assert_non_null(strstr(a.err, "--listen"));
	assert_string_equal(c.listen, "127.0.0.1");
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
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_have_documented_values),
		cmocka_unit_test(env_empty_keeps_defaults),
		cmocka_unit_test(env_valid_values_for_serve),
		cmocka_unit_test(env_int_bounds_are_inclusive),
		cmocka_unit_test(env_bad_ports_are_refused),
		cmocka_unit_test(env_bad_port_message_names_value_and_range),
		cmocka_unit_test(env_bad_log_level),
		cmocka_unit_test(env_log_levels),
		cmocka_unit_test(env_bad_bool),
		cmocka_unit_test(env_bool_spellings),
		cmocka_unit_test(env_empty_string_option_refused),
		cmocka_unit_test(env_options_of_other_commands_ignored),
		cmocka_unit_test(env_version_takes_nothing),
		cmocka_unit_test(env_seed_takes_bcrypt_cost_range),
		cmocka_unit_test(args_port_separate_value),
		cmocka_unit_test(args_port_equals_value),
		cmocka_unit_test(args_bad_port_value_names_flag),
		cmocka_unit_test(args_bool_without_value_is_true),
		cmocka_unit_test(args_bool_does_not_take_next_argument),
		cmocka_unit_test(args_bool_with_value),
		cmocka_unit_test(args_help),
		cmocka_unit_test(args_unknown_long_flag),
		cmocka_unit_test(args_flag_prefix_is_not_a_flag),
		cmocka_unit_test(args_unknown_short_flag),
		cmocka_unit_test(args_missing_value_at_end),
		cmocka_unit_test(args_positionals_kept_in_order),
		cmocka_unit_test(args_dash_and_negative_numbers_are_positional),
		cmocka_unit_test(args_double_dash_makes_rest_positional),
		cmocka_unit_test(args_no_arguments),
		cmocka_unit_test(args_flag_of_other_command_is_unknown),
		cmocka_unit_test(args_empty_string_value_refused),
		cmocka_unit_test(args_last_flag_wins),
		cmocka_unit_test(args_long_unknown_flag_message_is_bounded),
		cmocka_unit_test(flags_override_env),
		cmocka_unit_test(print_options_lists_command_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
