/*
 * test_queries.c - "-- name:" query files (src/db/queries.h): parsing
 * several files into one set, trimming, leading comments, and the errors
 * (SQL before the first name, repeated names within and across files, bad
 * names, empty queries) with their file:line; queries_find and
 * queries_free.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "db/queries.h"

static const char courses_sql[] =
	"-- Queries of the courses module.\n"
	"--\n"
	"\n"
	"-- name: course_list\n"
	"SELECT id, title\n"
	"  FROM courses\n"
	" ORDER BY id;\n"
	"\n"
	"-- name: course_get\n"
	"\n"
	"   SELECT id, title FROM courses WHERE id = $1;   \n"
	"\n"
	"\n"
	"-- name:\tcourse_create_2\n"
	"-- a comment inside a query is kept\n"
	"INSERT INTO courses (title) VALUES ($1) RETURNING id;";

static const char users_sql[] =
	"-- name: user_get\n"
	"SELECT * FROM users WHERE id = $1;\n";

/* Parses text as file into a fresh set; the caller frees the set. */
static int
parse1(struct query_set *set, const char *file, const char *text, char *err,
    size_t errlen)
{
	memset(set, 0, sizeof(*set));
	err[0] = '\0';
	return queries_parse(set, file, text, err, errlen);
}

static void
parses_two_files_into_one_set(void **state)
{
	struct query_set set = {0};
	char err[256] = "";

	(void)state;
	assert_int_equal(queries_parse(&set, "courses.sql", courses_sql, err,
	    sizeof(err)), 0);
	assert_int_equal(set.count, 3);
	assert_int_equal(queries_parse(&set, "users.sql", users_sql, err,
	    sizeof(err)), 0);
	assert_int_equal(set.count, 4);
	assert_string_equal(err, "");

	/* In file order. */
	assert_string_equal(set.items[0].name, "course_list");
	assert_string_equal(set.items[1].name, "course_get");
	assert_string_equal(set.items[2].name, "course_create_2");
	assert_string_equal(set.items[3].name, "user_get");
	queries_free(&set);
}

static void
sql_is_trimmed(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "courses.sql", courses_sql, err,
	    sizeof(err)), 0);
	assert_string_equal(queries_find(&set, "course_list")->sql,
	    "SELECT id, title\n  FROM courses\n ORDER BY id;");
	assert_string_equal(queries_find(&set, "course_get")->sql,
	    "SELECT id, title FROM courses WHERE id = $1;");
	/* Last query without a final newline; inner comment kept. */
	assert_string_equal(queries_find(&set, "course_create_2")->sql,
	    "-- a comment inside a query is kept\n"
	    "INSERT INTO courses (title) VALUES ($1) RETURNING id;");
	queries_free(&set);
}

static void
crlf_lines_are_accepted(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "w.sql",
	    "-- name: a\r\nSELECT 1;\r\n-- name: b \r\nSELECT 2;\r\n", err,
	    sizeof(err)), 0);
	assert_int_equal(set.count, 2);
	assert_string_equal(set.items[0].name, "a");
	assert_string_equal(set.items[0].sql, "SELECT 1;");
	assert_string_equal(set.items[1].name, "b");
	assert_string_equal(set.items[1].sql, "SELECT 2;");
	queries_free(&set);
}

static void
empty_and_comment_only_files_add_nothing(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "e.sql", "", err, sizeof(err)), 0);
	assert_int_equal(set.count, 0);
	assert_int_equal(parse1(&set, "c.sql", "-- only\n\n-- comments\n", err,
	    sizeof(err)), 0);
	assert_int_equal(set.count, 0);
	queries_free(&set);
}

static void
sql_before_first_name_refused(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "bad.sql",
	    "-- header\n\nSELECT 1;\n-- name: a\nSELECT 2;\n", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "bad.sql:3:"));
	assert_non_null(strstr(err, "before the first"));
	assert_int_equal(set.count, 0);
	queries_free(&set);
}

static void
duplicate_name_in_one_file_refused(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "dup.sql",
	    "-- name: a\nSELECT 1;\n-- name: b\nSELECT 2;\n-- name: a\n"
	    "SELECT 3;\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "dup.sql:5:"));
	assert_non_null(strstr(err, "'a'"));
	assert_non_null(strstr(err, "twice"));
	queries_free(&set);
}

static void
duplicate_name_across_files_refused(void **state)
{
	struct query_set set = {0};
	char err[256] = "";

	(void)state;
	assert_int_equal(queries_parse(&set, "users.sql", users_sql, err,
	    sizeof(err)), 0);
	assert_int_equal(queries_parse(&set, "more.sql",
	    "\n-- name: other\nSELECT 1;\n-- name: user_get\nSELECT 2;\n",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more.sql:4:"));
	assert_non_null(strstr(err, "user_get"));
	/* The first definition is untouched. */
	assert_string_equal(queries_find(&set, "user_get")->sql,
	    "SELECT * FROM users WHERE id = $1;");
	queries_free(&set);
}

/* Asserts that a file whose line 2 is name_line is refused for its name. */
static void
assert_bad_name(const char *name_line)
{
	struct query_set set;
	char text[128], err[256];

	snprintf(text, sizeof(text), "-- name: ok\nSELECT 1;\n%s\nSELECT 2;\n",
	    name_line);
	assert_int_equal(parse1(&set, "names.sql", text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "names.sql:3:"));
	assert_non_null(strstr(err, "lowercase"));
	queries_free(&set);
}

static void
bad_names_refused(void **state)
{
	(void)state;
	assert_bad_name("-- name: Course_get");
	assert_bad_name("-- name: courseGet");
	assert_bad_name("-- name: course-get");
	assert_bad_name("-- name: course get");
	assert_bad_name("-- name: course.get");
	assert_bad_name("-- name: -x");
	assert_bad_name("-- name:");
	assert_bad_name("-- name:   ");
}

static void
empty_query_refused(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "empty.sql",
	    "-- name: a\nSELECT 1;\n\n-- name: b\n  \n\t\n-- name: c\nSELECT 3;\n",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty.sql:4:"));
	assert_non_null(strstr(err, "'b'"));
	assert_non_null(strstr(err, "empty"));
	queries_free(&set);
}

static void
empty_last_query_refused(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "last.sql",
	    "-- name: a\nSELECT 1;\n-- name: z", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "last.sql:3:"));
	assert_non_null(strstr(err, "'z'"));
	queries_free(&set);

	assert_int_equal(parse1(&set, "last.sql",
	    "-- name: a\nSELECT 1;\n-- name: z\n\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "last.sql:3:"));
	queries_free(&set);
}

static void
find_returns_query_or_null(void **state)
{
	struct query_set set;
	const struct query *q;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "courses.sql", courses_sql, err,
	    sizeof(err)), 0);
	q = queries_find(&set, "course_get");
	assert_non_null(q);
	assert_ptr_equal(q, &set.items[1]);
	assert_string_equal(q->name, "course_get");
	assert_null(queries_find(&set, "course"));
	assert_null(queries_find(&set, "course_get_"));
	assert_null(queries_find(&set, "COURSE_GET"));
	assert_null(queries_find(&set, ""));
	queries_free(&set);
}

static void
find_in_empty_set(void **state)
{
	struct query_set set = {0};

	(void)state;
	assert_null(queries_find(&set, "anything"));
}

static void
free_resets_the_set(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "users.sql", users_sql, err,
	    sizeof(err)), 0);
	queries_free(&set);
	assert_null(set.items);
	assert_int_equal(set.count, 0);
	/* Freeing twice, or an empty set, is harmless. */
	queries_free(&set);
	assert_null(queries_find(&set, "user_get"));
	/* And the set can be reused. */
	assert_int_equal(queries_parse(&set, "users.sql", users_sql, err,
	    sizeof(err)), 0);
	assert_int_equal(set.count, 1);
	queries_free(&set);
}

static void
marker_must_start_the_line(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	/* An indented marker is part of the previous query's SQL. */
	assert_int_equal(parse1(&set, "m.sql",
	    "-- name: a\nSELECT 1;\n  -- name: b\nSELECT 2;\n", err,
	    sizeof(err)), 0);
	assert_int_equal(set.count, 1);
	assert_string_equal(set.items[0].sql,
	    "SELECT 1;\n  -- name: b\nSELECT 2;");
	queries_free(&set);
}

static void
plan_generic_is_a_whole_line(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "p.sql",
	    "-- name: a\n-- plan: generic\nSELECT 1;\n"
	    "-- name: b\nSELECT 2; -- plan: generic\n"
	    "-- name: c\n-- plan: generic, or not\nSELECT 3;\n"
	    "-- name: d\nSELECT 4;\n-- plan: generic", err, sizeof(err)), 0);
	assert_true(queries_find(&set, "a")->generic);
	assert_false(queries_find(&set, "b")->generic);
	assert_false(queries_find(&set, "c")->generic);
	assert_true(queries_find(&set, "d")->generic);
	queries_free(&set);
}

static void
org_any_is_a_whole_line(void **state)
{
	struct query_set set;
	char err[256];

	(void)state;
	assert_int_equal(parse1(&set, "p.sql",
	    "-- name: a\n-- org: any\nSELECT 1;\n"
	    "-- name: b\nSELECT 2; -- org: any\n"
	    "-- name: c\n-- org: anything\nSELECT 3;\n", err, sizeof(err)),
	    0);
	assert_true(queries_find(&set, "a")->any_org);
	assert_false(queries_find(&set, "a")->generic);
	assert_false(queries_find(&set, "b")->any_org);
	assert_false(queries_find(&set, "c")->any_org);
	queries_free(&set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_two_files_into_one_set),
		cmocka_unit_test(sql_is_trimmed),
		cmocka_unit_test(crlf_lines_are_accepted),
		cmocka_unit_test(empty_and_comment_only_files_add_nothing),
		cmocka_unit_test(sql_before_first_name_refused),
		cmocka_unit_test(duplicate_name_in_one_file_refused),
		cmocka_unit_test(duplicate_name_across_files_refused),
		cmocka_unit_test(bad_names_refused),
		cmocka_unit_test(empty_query_refused),
		cmocka_unit_test(empty_last_query_refused),
		cmocka_unit_test(find_returns_query_or_null),
		cmocka_unit_test(find_in_empty_set),
		cmocka_unit_test(free_resets_the_set),
		cmocka_unit_test(marker_must_start_the_line),
		cmocka_unit_test(plan_generic_is_a_whole_line),
		cmocka_unit_test(org_any_is_a_whole_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
