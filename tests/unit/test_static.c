/*
 * test_static.c - the pure parts of serving the web app (src/http/static.h):
 * which paths may be looked up, which are addresses of the app, which
 * unknown ones still get the app's own 404 page, the theme put on the page
 * from the ludus_theme cookie, and the Content-Type of each kind of file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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
test_unknown_addresses_get_the_app(void **state)
{
	(void)state;
	/* A mistyped address of the app gets its 404 page. */
	assert_true(static_is_unknown_app_path("/dashbord"));
	assert_true(static_is_unknown_app_path("/nope/deeper/still"));
	assert_true(static_is_unknown_app_path("/healthz/"));
	assert_true(static_is_unknown_app_path("/apis"));
	assert_true(static_is_unknown_app_path("/v1.2/x"));
	/* The API and file names keep their problem+json 404. */
	assert_false(static_is_unknown_app_path("/api"));
	assert_false(static_is_unknown_app_path("/api/"));
	assert_false(static_is_unknown_app_path("/api/v1/nothing-here"));
	assert_false(static_is_unknown_app_path("/teach.x"));
	assert_false(static_is_unknown_app_path("/nothing.js"));
	assert_false(static_is_unknown_app_path("/js/missing.css"));
	assert_false(static_is_unknown_app_path("nope"));
}

static void
test_theme_cookie(void **state)
{
	(void)state;
	assert_string_equal(static_theme("ludus_theme=dark"), "dark");
	assert_string_equal(static_theme("a=1; ludus_theme=light; b=2"),
	    "light");
	assert_null(static_theme(NULL));
	assert_null(static_theme(""));
	assert_null(static_theme("ludus_theme=system"));
	assert_null(static_theme("ludus_theme=darkest"));
	assert_null(static_theme("ludus_theme=\"><script>"));
	assert_null(static_theme("other_theme=dark"));
}

static void
test_page_gets_the_theme(void **state)
{
	static const char page[] =
	    "<!doctype html>\n<html lang=\"en\" data-theme=\"system\">\n"
	    "<body></body></html>\n";
	size_t len = 12345;
	char *out;

	(void)state;
	out = static_with_theme(page, strlen(page), "dark", &len);
	assert_non_null(out);
	assert_string_equal(out,
	    "<!doctype html>\n<html lang=\"en\" data-theme=\"dark\">\n"
	    "<body></body></html>\n");
	assert_int_equal(len, strlen(out));
	free(out);
	out = static_with_theme(page, strlen(page), "light", &len);
	assert_non_null(out);
	assert_non_null(strstr(out, "<html lang=\"en\" data-theme=\"light\">"));
	assert_int_equal(len, strlen(page) - 1);
	free(out);
	/* A page without the mark is left alone. */
	len = 7;
	assert_null(static_with_theme("<html>", 6, "dark", &len));
	assert_int_equal(len, 7);
	/* Only the first len bytes count. */
	assert_null(static_with_theme(page, 20, "dark", &len));
}

static void
test_byte_ranges(void **state)
{
	size_t from = 99, n = 99;

	(void)state;
	assert_int_equal(static_range("bytes=0-99", 1000, &from, &n), 1);
	assert_int_equal(from, 0);
	assert_int_equal(n, 100);
	assert_int_equal(static_range("bytes=500-", 1000, &from, &n), 1);
	assert_int_equal(from, 500);
	assert_int_equal(n, 500);
	assert_int_equal(static_range("bytes=900-5000", 1000, &from, &n), 1);
	assert_int_equal(from, 900);
	assert_int_equal(n, 100);
	assert_int_equal(static_range("bytes=-10", 1000, &from, &n), 1);
	assert_int_equal(from, 990);
	assert_int_equal(n, 10);
	assert_int_equal(static_range("bytes=-5000", 1000, &from, &n), 1);
	assert_int_equal(from, 0);
	assert_int_equal(n, 1000);
	/* Past the end: 416. */
	assert_int_equal(static_range("bytes=1000-", 1000, &from, &n), -1);
	assert_int_equal(static_range("bytes=-0", 1000, &from, &n), -1);
	assert_int_equal(static_range("bytes=0-", 0, &from, &n), -1);
	/* Anything else: the whole file. */
	assert_int_equal(static_range(NULL, 1000, &from, &n), 0);
	assert_int_equal(static_range("", 1000, &from, &n), 0);
	assert_int_equal(static_range("items=0-5", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=0-5,10-20", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=5-1", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=x-1", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=1-x", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=-", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes= 1-2", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=-1-2", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=--1", 1000, &from, &n), 0);
	assert_int_equal(static_range("bytes=99999999999999999999999-", 1000,
	    &from, &n), -1);
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
	assert_string_equal(static_content_type("/media/intro.webm"),
	    "video/webm");
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
		cmocka_unit_test(test_unknown_addresses_get_the_app),
		cmocka_unit_test(test_theme_cookie),
		cmocka_unit_test(test_page_gets_the_theme),
		cmocka_unit_test(test_byte_ranges),
		cmocka_unit_test(test_content_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
