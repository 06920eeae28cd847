/*
 * test_static.c - the pure parts of serving the web app (src/http/static.h):
 * which paths may be looked up, which are addresses of the app, and the
 * Content-Type of each kind of file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/static.h"

static void
test_safe_paths(void **state)
{
	(void)state;
	assert_true(static_path_ok("/"));
	assert_true(static_path_ok("/js/app.js"));
	assert_true(static_path_ok("/js/pages/teach/questions.js"));
	assert_true(static_path_ok("/courses/4e700009-0000-4000-8000-000000000001"));
	assert_true(static_path_ok("/reset-password"));
}

static void
test_unsafe_paths(void **state)
{
	(void)state;
	assert_false(static_path_ok(""));
	assert_false(static_path_ok("js/app.js"));
	assert_false(static_path_ok("/../etc/passwd"));
	assert_false(static_path_ok("/js/../../x.js"));
	assert_false(static_path_ok("/.git/config"));
	assert_false(static_path_ok("/js/.hidden.js"));
	assert_false(static_path_ok("//js/app.js"));
	assert_false(static_path_ok("/js//app.js"));
	assert_false(static_path_ok("/js/app.js%00"));
	assert_false(static_path_ok("/js/app js"));
	assert_false(static_path_ok("/js\\app.js"));
	assert_false(static_path_ok("/caf\xc3\xa9.js"));
	{
		char longp[300];

		memset(longp, 'a', sizeof(longp) - 1);
		longp[0] = '/';
		longp[sizeof(longp) - 1] = '\0';
		assert_false(static_path_ok(longp));
	}
}

static void
test_app_addresses(void **state)
{
	(void)state;
	assert_true(static_is_app_path("/"));
	assert_true(static_is_app_path("/dashboard"));
	assert_true(static_is_app_path("/courses/abc"));
	assert_true(static_is_app_path("/teach/questions/new"));
	assert_true(static_is_app_path("/admin/users/1"));
	assert_true(static_is_app_path("/verify-email"));
	/* Unknown sections, files and near misses are not. */
	assert_false(static_is_app_path("/nope"));
	assert_false(static_is_app_path("/healthz"));
	assert_false(static_is_app_path("/dashboards"));
	assert_false(static_is_app_path("/dash"));
	assert_false(static_is_app_path("/js/app.js"));
	assert_false(static_is_app_path("/courses/x.json"));
	assert_false(static_is_app_path("/index.html"));
}

static void
test_content_types(void **state)
{
	(void)state;
	assert_string_equal(static_content_type("/index.html"),
	    "text/html; charset=utf-8");
	assert_string_equal(static_content_type("/js/app.js"),
	    "text/javascript; charset=utf-8");
	assert_string_equal(static_content_type("/css/app.css"),
	    "text/css; charset=utf-8");
	assert_string_equal(static_content_type("/favicon.svg"),
	    "image/svg+xml");
	assert_null(static_content_type("/Makefile"));
	assert_null(static_content_type("/x.exe"));
	assert_null(static_content_type("/a.js/b"));
	assert_null(static_content_type("/x.js.bak"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_paths),
		cmocka_unit_test(test_unsafe_paths),
		cmocka_unit_test(test_app_addresses),
		cmocka_unit_test(test_content_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
