/*
 * test_cookie.c - the Cookie and Set-Cookie syntax (src/http/cookie.h):
 * cookie_get finds one cookie among several, skips names that only share
 * a prefix, strips quotes and surrounding blanks, and says false for an
 * absent or empty cookie, a NULL header and a value too long for out;
 * cookie_format writes the attributes, Max-Age only when asked and the
 * HttpOnly and Secure flags, and says false when out is too small.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/cookie.h"

/* ---- cookie_get ------------------------------------------------------ */

static void
get_single(void **state)
{
	char out[64];

	(void)state;
	assert_true(cookie_get("ludus_session=abc123", "ludus_session", out,
	    sizeof(out)));
	assert_string_equal(out, "abc123");
}

static void
get_among_several(void **state)
{
	static const char h[] = "a=1; ludus_session=tok-en_9; b=2";
	char out[64];

	(void)state;
	assert_true(cookie_get(h, "a", out, sizeof(out)));
	assert_string_equal(out, "1");
	assert_true(cookie_get(h, "ludus_session", out, sizeof(out)));
	assert_string_equal(out, "tok-en_9");
	assert_true(cookie_get(h, "b", out, sizeof(out)));
	assert_string_equal(out, "2");
}

static void
get_with_spaces(void **state)
{
	char out[64];

	(void)state;
	/* No space after ';', extra spaces and tabs, blanks after a value. */
	assert_true(cookie_get("a=1;b=2", "b", out, sizeof(out)));
	assert_string_equal(out, "2");
	assert_true(cookie_get("a=1;   \tb=2", "b", out, sizeof(out)));
	assert_string_equal(out, "2");
	assert_true(cookie_get("  a=1  ; b=2", "a", out, sizeof(out)));
	assert_string_equal(out, "1");
	assert_true(cookie_get("a=1; b=2 \t", "b", out, sizeof(out)));
	assert_string_equal(out, "2");
	assert_true(cookie_get("a=1;; ;b=2;", "b", out, sizeof(out)));
	assert_string_equal(out, "2");
}

static void
get_quoted_value(void **state)
{
	char out[64];

	(void)state;
	assert_true(cookie_get("s=\"quoted\"; t=1", "s", out, sizeof(out)));
	assert_string_equal(out, "quoted");
	/* A lone quote is not a quoted value: kept as it is. */
	assert_true(cookie_get("s=\"", "s", out, sizeof(out)));
	assert_string_equal(out, "\"");
	/* An empty quoted value is empty. */
	assert_false(cookie_get("s=\"\"", "s", out, sizeof(out)));
}

static void
get_value_with_equals(void **state)
{
	char out[64];

	(void)state;
	assert_true(cookie_get("s=a=b==; t=1", "s", out, sizeof(out)));
	assert_string_equal(out, "a=b==");
}

static void
get_name_prefix_of_another(void **state)
{
	char out[64];

	(void)state;
	assert_true(cookie_get("ludus_session=long; ludus=short", "ludus",
	    out, sizeof(out)));
	assert_string_equal(out, "short");
	assert_true(cookie_get("ludus=short; ludus_session=long",
	    "ludus_session", out, sizeof(out)));
	assert_string_equal(out, "long");
	/* Only the longer one is there. */
	assert_false(cookie_get("ludus_session=long", "ludus", out,
	    sizeof(out)));
	/* Only the shorter one is there. */
	assert_false(cookie_get("ludus=short", "ludus_session", out,
	    sizeof(out)));
	/* A name that ends with the wanted one. */
	assert_false(cookie_get("xludus=1", "ludus", out, sizeof(out)));
	/* Names are case-sensitive. */
	assert_false(cookie_get("LUDUS=1", "ludus", out, sizeof(out)));
}

static void
get_absent(void **state)
{
	char out[64];

	(void)state;
	assert_false(cookie_get("a=1; b=2", "c", out, sizeof(out)));
	assert_false(cookie_get("", "a", out, sizeof(out)));
	assert_false(cookie_get("a", "a", out, sizeof(out)));
	assert_false(cookie_get("a;b", "a", out, sizeof(out)));
	/* The name as a value is not the name. */
	assert_false(cookie_get("x=a", "a", out, sizeof(out)));
}

static void
get_empty_value(void **state)
{
	char out[64];

	(void)state;
	assert_false(cookie_get("a=; b=2", "a", out, sizeof(out)));
	assert_false(cookie_get("b=2; a=", "a", out, sizeof(out)));
	assert_false(cookie_get("a=  ; b=2", "a", out, sizeof(out)));
}

static void
get_null_header(void **state)
{
	char out[64] = "untouched";

	(void)state;
	assert_false(cookie_get(NULL, "a", out, sizeof(out)));
	assert_string_equal(out, "untouched");
}

static void
get_value_too_long(void **state)
{
	char out[4];

	(void)state;
	/* Three characters and the NUL fit; four do not. */
	assert_true(cookie_get("a=xyz", "a", out, sizeof(out)));
	assert_string_equal(out, "xyz");
	assert_false(cookie_get("a=wxyz", "a", out, sizeof(out)));
	assert_false(cookie_get("a=much-too-long; b=1", "a", out,
	    sizeof(out)));
	assert_false(cookie_get("a=x", "a", out, 1));
	/* Quotes do not count. */
	assert_true(cookie_get("a=\"xyz\"", "a", out, sizeof(out)));
	assert_string_equal(out, "xyz");
}

/* ---- cookie_format --------------------------------------------------- */

static void
format_attributes(void **state)
{
	char out[256];

	(void)state;
	assert_true(cookie_format(out, sizeof(out), "ludus_session", "abc",
	    3600, COOKIE_HTTP_ONLY | COOKIE_SECURE));
	assert_string_equal(out, "ludus_session=abc; Path=/; SameSite=Lax; "
	    "Max-Age=3600; HttpOnly; Secure");
}

static void
format_max_age(void **state)
{
	char out[256];

	(void)state;
	/* Negative: a session cookie, no Max-Age. */
	assert_true(cookie_format(out, sizeof(out), "a", "1", -1, 0));
	assert_string_equal(out, "a=1; Path=/; SameSite=Lax");
	assert_null(strstr(out, "Max-Age"));
	/* 0 deletes the cookie. */
	assert_true(cookie_format(out, sizeof(out), "a", "", 0, 0));
	assert_string_equal(out, "a=; Path=/; SameSite=Lax; Max-Age=0");
	assert_true(cookie_format(out, sizeof(out), "a", "1", 1209600, 0));
	assert_string_equal(out, "a=1; Path=/; SameSite=Lax; Max-Age=1209600");
}

static void
format_flags(void **state)
{
	char out[256];

	(void)state;
	assert_true(cookie_format(out, sizeof(out), "a", "1", -1,
	    COOKIE_HTTP_ONLY));
	assert_string_equal(out, "a=1; Path=/; SameSite=Lax; HttpOnly");
	assert_null(strstr(out, "Secure"));
	assert_true(cookie_format(out, sizeof(out), "a", "1", -1,
	    COOKIE_SECURE));
	assert_string_equal(out, "a=1; Path=/; SameSite=Lax; Secure");
	assert_null(strstr(out, "HttpOnly"));
	assert_true(cookie_format(out, sizeof(out), "a", "1", 60,
	    COOKIE_SECURE));
	assert_string_equal(out, "a=1; Path=/; SameSite=Lax; Max-Age=60; "
	    "Secure");
}

static void
format_too_small(void **state)
{
	static const char want[] = "a=1; Path=/; SameSite=Lax; Max-Age=60; "
	    "HttpOnly; Secure";
	char out[sizeof(want)];

	(void)state;
	/* Exactly large enough. */
	assert_true(cookie_format(out, sizeof(out), "a", "1", 60,
	    COOKIE_HTTP_ONLY | COOKIE_SECURE));
	assert_string_equal(out, want);
	/* One byte short. */
	assert_false(cookie_format(out, sizeof(out) - 1, "a", "1", 60,
	    COOKIE_HTTP_ONLY | COOKIE_SECURE));
	assert_false(cookie_format(out, 8, "a", "1", 60, 0));
	assert_false(cookie_format(out, 1, "a", "1", -1, 0));
}

static void
format_then_get(void **state)
{
	char set[256], out[64];
	char *semi;

	(void)state;
	assert_true(cookie_format(set, sizeof(set), "ludus_session",
	    "tok_en-43", 60, COOKIE_HTTP_ONLY));
	/* A browser sends back the name=value part. */
	semi = strchr(set, ';');
	assert_non_null(semi);
	*semi = '\0';
	assert_true(cookie_get(set, "ludus_session", out, sizeof(out)));
	assert_string_equal(out, "tok_en-43");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_single),
		cmocka_unit_test(get_among_several),
		cmocka_unit_test(get_with_spaces),
		cmocka_unit_test(get_quoted_value),
		cmocka_unit_test(get_value_with_equals),
		cmocka_unit_test(get_name_prefix_of_another),
		cmocka_unit_test(get_absent),
		cmocka_unit_test(get_empty_value),
		cmocka_unit_test(get_null_header),
		cmocka_unit_test(get_value_too_long),
		cmocka_unit_test(format_attributes),
		cmocka_unit_test(format_max_age),
		cmocka_unit_test(format_flags),
		cmocka_unit_test(format_too_small),
		cmocka_unit_test(format_then_get),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
