/*
 * test_router.c - router_match (src/http/router.h): literal routes, {param}
 * captures, the fewest-parameters rule, 404 and 405 with its Allow list,
 * HEAD served by GET, and paths that must not match (trailing or double
 * slash, empty segment, more than ROUTE_MAX_PARAMS parameters).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Distinct handlers, so a test can tell which route was picked. */
static void h_list(struct req *r) { (void)r; }
static void h_new(struct req *r) { (void)r; }
static void h_get(struct req *r) { (void)r; }
static void h_create(struct req *r) { (void)r; }

static const struct route courses[] = {
	{"GET", "/courses", h_list, 0, 0, "courses", "list"},
	{"POST", "/courses", h_create, 0, 0, "courses", "create"},
	{"GET", "/courses/{id}", h_get, 0, 0, "courses", "get"},
	{"GET", "/courses/new", h_new, 0, 0, "courses", "new form"},
};

/* Asserts that parameter i is called name and holds value. */
static void
assert_param(const struct route_match *m, int i, const char *name,
    const char *value)
{
	assert_true(i < m->nparams);
	assert_int_equal(m->params[i].name_len, strlen(name));
	assert_memory_equal(m->params[i].name, name, strlen(name));
	assert_int_equal(m->params[i].value_len, strlen(value));
	assert_memory_equal(m->params[i].value, value, strlen(value));
}

static void
literal_route_matches(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", "/courses",
	    &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &courses[0]);
	assert_int_equal(m.nparams, 0);
}

static void
method_selects_route_on_same_path(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "POST", "/courses",
	    &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &courses[1]);
	assert_ptr_equal(m.route->handler, h_create);
}

static void
param_is_captured_with_pointers_into_pattern_and_path(void **state)
{
	static const char path[] = "/courses/42";
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", path, &m),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &courses[2]);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "id", "42");
	/* name points into the pattern, value into the path: no copies. */
	assert_ptr_equal(m.params[0].name, courses[2].pattern + 10);
	assert_ptr_equal(m.params[0].value, path + 9);
}

static void
several_params_are_captured_in_order(void **state)
{
	static const struct route routes[] = {
		{"GET", "/courses/{course}/lessons/{lesson}", h_get, 0, 0, NULL,
		    NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "GET",
	    "/courses/abc-1/lessons/x_9", &m), ROUTER_FOUND);
	assert_int_equal(m.nparams, 2);
	assert_param(&m, 0, "course", "abc-1");
	assert_param(&m, 1, "lesson", "x_9");
}

static void
literal_beats_param_whatever_the_table_order(void **state)
{
	/* courses[] lists {id} before new; reversed[] lists new first. */
	static const struct route reversed[] = {
		{"GET", "/courses/new", h_new, 0, 0, NULL, NULL},
		{"GET", "/courses/{id}", h_get, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET",
	    "/courses/new", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_new);
	assert_int_equal(m.nparams, 0);

	assert_int_equal(router_match(reversed, N(reversed), "GET",
	    "/courses/new", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_new);
	assert_int_equal(m.nparams, 0);

	/* And the param route still takes everything else. */
	assert_int_equal(router_match(reversed, N(reversed), "GET",
	    "/courses/newer", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route->handler, h_get);
	assert_param(&m, 0, "id", "newer");
}

static void
fewest_params_wins_with_two_params(void **state)
{
	static const struct route routes[] = {
		{"GET", "/a/{x}/{y}", h_get, 0, 0, NULL, NULL},
		{"GET", "/a/{x}/b", h_new, 0, 0, NULL, NULL},
		{"GET", "/a/{x}/{y}", h_list, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "GET", "/a/1/b", &m),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &routes[1]);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "x", "1");

	/* Equal parameter counts: the first in the table wins. */
	assert_int_equal(router_match(routes, N(routes), "GET", "/a/1/c", &m),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &routes[0]);
	assert_int_equal(m.nparams, 2);
}

static void
unknown_path_is_404(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", "/nope", &m),
	    ROUTER_NOT_FOUND);
	assert_null(m.route);
	assert_string_equal(m.allow, "");
	assert_int_equal(router_match(courses, N(courses), "GET", "/", &m),
	    ROUTER_NOT_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET", "", &m),
	    ROUTER_NOT_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET",
	    "/courses/1/extra", &m), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET", "/course",
	    &m), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET", "/coursesX",
	    &m), ROUTER_NOT_FOUND);
}

static void
empty_table_is_404(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, 0, "GET", "/courses", &m),
	    ROUTER_NOT_FOUND);
	assert_null(m.route);
}

static void
bad_method_on_get_only_path_allows_get_and_head(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "DELETE",
	    "/courses/7", &m), ROUTER_BAD_METHOD);
	assert_null(m.route);
	assert_string_equal(m.allow, "GET, HEAD");
}

static void
bad_method_lists_get_head_post(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "PUT", "/courses",
	    &m), ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, POST");
}

static void
allow_list_has_no_duplicates(void **state)
{
	/* GET comes from two routes, HEAD from both and from its own. */
	static const struct route routes[] = {
		{"GET", "/x/{id}", h_get, 0, 0, NULL, NULL},
		{"POST", "/x/{id}", h_create, 0, 0, NULL, NULL},
		{"GET", "/x/new", h_new, 0, 0, NULL, NULL},
		{"HEAD", "/x/new", h_new, 0, 0, NULL, NULL},
		{"POST", "/x/new", h_create, 0, 0, NULL, NULL},
		{"DELETE", "/x/{id}", h_get, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "PATCH", "/x/new",
	    &m), ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, POST, DELETE");
}

static void
allow_list_follows_table_order(void **state)
{
	static const struct route routes[] = {
		{"POST", "/y", h_create, 0, 0, NULL, NULL},
		{"GET", "/y", h_list, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "PUT", "/y", &m),
	    ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "POST, GET, HEAD");
}

static void
allow_list_does_not_confuse_method_prefixes(void **state)
{
	/* "GET" is a substring of "GETX"; both must be listed. */
	static const struct route routes[] = {
		{"GETX", "/z", h_list, 0, 0, NULL, NULL},
		{"GET", "/z", h_list, 0, 0, NULL, NULL},
		{"ET", "/z", h_list, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "PUT", "/z", &m),
	    ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "GETX, GET, HEAD, ET");
}

static void
allow_list_is_also_filled_on_success(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", "/courses",
	    &m), ROUTER_FOUND);
	assert_string_equal(m.allow, "GET, HEAD, POST");
}

static void
head_is_served_by_get_route(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "HEAD",
	    "/courses/9", &m), ROUTER_FOUND);
	assert_ptr_equal(m.route, &courses[2]);
	assert_param(&m, 0, "id", "9");

	/* HEAD on a POST-only path is 405. */
	{
		static const struct route post_only[] = {
			{"POST", "/login", h_create, 0, 0, NULL, NULL},
		};

		assert_int_equal(router_match(post_only, N(post_only), "HEAD",
		    "/login", &m), ROUTER_BAD_METHOD);
		assert_string_equal(m.allow, "POST");
	}
}

static void
get_is_not_served_by_head_route(void **state)
{
	static const struct route routes[] = {
		{"HEAD", "/ping", h_get, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "GET", "/ping", &m),
	    ROUTER_BAD_METHOD);
	assert_string_equal(m.allow, "HEAD");
}

static void
method_is_case_sensitive(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "get", "/courses",
	    &m), ROUTER_BAD_METHOD);
}

static void
trailing_slash_does_not_match(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", "/courses/",
	    &m), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET",
	    "/courses/5/", &m), ROUTER_NOT_FOUND);
}

static void
double_slash_does_not_match(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", "//courses",
	    &m), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET",
	    "/courses//5", &m), ROUTER_NOT_FOUND);
}

static void
empty_segment_does_not_match_param(void **state)
{
	static const struct route routes[] = {
		{"GET", "/a/{x}/b", h_get, 0, 0, NULL, NULL},
	};
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(routes, N(routes), "GET", "/a//b", &m),
	    ROUTER_NOT_FOUND);
	assert_int_equal(router_match(routes, N(routes), "GET", "/a/", &m),
	    ROUTER_NOT_FOUND);
}

static void
param_does_not_span_slashes(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET",
	    "/courses/1/2", &m), ROUTER_NOT_FOUND);
}

static void
max_params_matches(void **state)
{
	static const struct route routes[] = {
		{"GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", h_get, 0, 0, NULL,
		    NULL},
	};
	static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g",
	    "h"};
	static const char *const values[] = {"1", "2", "3", "4", "5", "6", "7",
	    "8"};
	struct route_match m;

	(void)state;
	assert_int_equal(ROUTE_MAX_PARAMS, 8);
	assert_int_equal(router_match(routes, N(routes), "GET",
	    "/1/2/3/4/5/6/7/8", &m), ROUTER_FOUND);
	assert_int_equal(m.nparams, ROUTE_MAX_PARAMS);
	for (int i = 0; i < ROUTE_MAX_PARAMS; i++)
		assert_param(&m, i, names[i], values[i]);
}

static void
more_than_max_params_never_matches(void **state)
{
	static const struct route routes[] = {
		{"GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", h_get, 0, 0, NULL,
		    NULL},
	};
	struct route_match m;

	(void)state;
	/* Nine parameters cannot be stored: the route is not matched. */
	assert_int_equal(router_match(routes, N(routes), "GET",
	    "/1/2/3/4/5/6/7/8/9", &m), ROUTER_NOT_FOUND);
	assert_int_equal(m.nparams, 0);
	assert_null(m.route);
}

static void
match_struct_is_reset_between_calls(void **state)
{
	struct route_match m;

	(void)state;
	assert_int_equal(router_match(courses, N(courses), "GET", "/courses/3",
	    &m), ROUTER_FOUND);
	assert_int_equal(router_match(courses, N(courses), "GET", "/zzz", &m),
	    ROUTER_NOT_FOUND);
	assert_null(m.route);
	assert_int_equal(m.nparams, 0);
	assert_string_equal(m.allow, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_route_matches),
		cmocka_unit_test(method_selects_route_on_same_path),
		cmocka_unit_test(
		    param_is_captured_with_pointers_into_pattern_and_path),
		cmocka_unit_test(several_params_are_captured_in_order),
		cmocka_unit_test(literal_beats_param_whatever_the_table_order),
		cmocka_unit_test(fewest_params_wins_with_two_params),
		cmocka_unit_test(unknown_path_is_404),
		cmocka_unit_test(empty_table_is_404),
		cmocka_unit_test(bad_method_on_get_only_path_allows_get_and_head),
		cmocka_unit_test(bad_method_lists_get_head_post),
		cmocka_unit_test(allow_list_has_no_duplicates),
		cmocka_unit_test(allow_list_follows_table_order),
		cmocka_unit_test(allow_list_does_not_confuse_method_prefixes),
		cmocka_unit_test(allow_list_is_also_filled_on_success),
		cmocka_unit_test(head_is_served_by_get_route),
		cmocka_unit_test(get_is_not_served_by_head_route),
		cmocka_unit_test(method_is_case_sensitive),
		cmocka_unit_test(trailing_slash_does_not_match),
		cmocka_unit_test(double_slash_does_not_match),
		cmocka_unit_test(empty_segment_does_not_match_param),
		cmocka_unit_test(param_does_not_span_slashes),
		cmocka_unit_test(max_params_matches),
		cmocka_unit_test(more_than_max_params_never_matches),
		cmocka_unit_test(match_struct_is_reset_between_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
