/*
 * test_body.c - JSON request bodies (src/http/body.h): body_is_json's
 * Content-Type check (case, parameters, charset) and body_parse_json
 * (valid documents, empty bodies, syntax errors with line and column,
 * duplicate keys, invalid UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/body.h"

/* ---- body_is_json ---------------------------------------------------- */

static void
is_json_plain(void **state)
{
	(void)state;
	assert_true(body_is_json("application/json"));
}

static void
is_json_ignores_case(void **state)
{
	(void)state;
	assert_true(body_is_json("Application/JSON"));
	assert_true(body_is_json("APPLICATION/JSON; CHARSET=UTF-8"));
}

static void
is_json_accepts_utf8_charsets(void **state)
{
	(void)state;
	assert_true(body_is_json("application/json; charset=utf-8"));
	assert_true(body_is_json("application/json;charset=utf-8"));
	assert_true(body_is_json("application/json; charset=UTF8"));
	assert_true(body_is_json("application/json; charset=\"utf-8\""));
	assert_true(body_is_json("application/json ; charset=utf-8 "));
}

static void
is_json_refuses_other_charsets(void **state)
{
	(void)state;
	assert_false(body_is_json("application/json; charset=latin1"));
	assert_false(body_is_json("application/json; charset=iso-8859-1"));
	assert_false(body_is_json("application/json; charset=\"latin1\""));
	assert_false(body_is_json("application/json; charset=utf-16"));
	assert_false(body_is_json("application/json; charset=utf-88"));
	assert_false(body_is_json("application/json; charset="));
}

static void
is_json_accepts_extra_params(void **state)
{
	(void)state;
	assert_true(body_is_json("application/json; foo=bar"));
	assert_true(body_is_json("application/json; foo=bar; charset=utf-8"));
	assert_true(body_is_json("application/json; charset=utf-8; v=2"));
	assert_true(body_is_json("application/json; profile=\"x\""));
	/* A charset among other parameters is still checked. */
	assert_false(body_is_json("application/json; foo=bar; charset=latin1"));
}

static void
is_json_refuses_other_types(void **state)
{
	(void)state;
	assert_false(body_is_json("text/plain"));
	assert_false(body_is_json("application/jsonx"));
	assert_false(body_is_json("application/json-patch+json"));
	assert_false(body_is_json("application/problem+json"));
	assert_false(body_is_json("application/jso"));
	assert_false(body_is_json("text/json"));
	assert_false(body_is_json("multipart/form-data; boundary=x"));
}

static void
is_json_refuses_null_and_empty(void **state)
{
	(void)state;
	assert_false(body_is_json(NULL));
	assert_false(body_is_json(""));
	assert_false(body_is_json("   "));
}

static void
is_json_refuses_malformed_params(void **state)
{
	(void)state;
	/* A parameter without '=' is not a parameter. */
	assert_false(body_is_json("application/json; charset"));
	assert_false(body_is_json("application/json garbage"));
}

/* ---- body_parse_json ------------------------------------------------- */

/* Parses s; returns the rc and leaves the detail in detail. */
static int
parse(const char *s, json_t **out, char *detail, size_t size)
{
	return body_parse_json(s, strlen(s), out, detail, size);
}

static void
parse_valid_object(void **state)
{
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(parse("{\"a\": 1, \"b\": [true, null]}", &j, detail,
	    sizeof(detail)), 0);
	assert_non_null(j);
	assert_true(json_is_object(j));
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "b")), 2);
	json_decref(j);
}

static void
parse_valid_array(void **state)
{
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(parse(" \n[1, \"two\", {}]\n", &j, detail,
	    sizeof(detail)), 0);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 3);
	assert_string_equal(json_string_value(json_array_get(j, 1)), "two");
	json_decref(j);
}

static void
parse_uses_only_len_bytes(void **state)
{
	/* The buffer is not NUL-terminated after the document. */
	static const char buf[] = "{\"k\":\"v\"}GARBAGE";
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(body_parse_json(buf, 9, &j, detail, sizeof(detail)),
	    0);
	assert_string_equal(json_string_value(json_object_get(j, "k")), "v");
	json_decref(j);
}

static void
parse_empty_body_is_an_error(void **state)
{
	char detail[256] = "";
	json_t *j = (json_t *)1;

	(void)state;
	assert_int_equal(body_parse_json("", 0, &j, detail, sizeof(detail)),
	    -1);
	assert_null(j);
	assert_non_null(strstr(detail, "empty"));
}

static void
parse_whitespace_only_body_is_empty(void **state)
{
	char detail[256] = "";
	json_t *j = (json_t *)1;

	(void)state;
	assert_int_equal(parse(" \t\r\n  \n", &j, detail, sizeof(detail)), -1);
	assert_null(j);
	assert_non_null(strstr(detail, "empty"));
}

static void
parse_malformed_reports_line_and_column(void **state)
{
	/* jansson: line 2, column 7, "unexpected token near '}'". */
	static const char text[] = "{\"a\": 1,\n \"b\": }";
	char detail[256] = "";
	json_error_t err;
	json_t *j = (json_t *)1;
	char want[64];

	(void)state;
	assert_int_equal(parse(text, &j, detail, sizeof(detail)), -1);
	assert_null(j);
	assert_non_null(strstr(detail, "line 2, column 7"));
	assert_non_null(strstr(detail, "unexpected token"));

	/* Same numbers as jansson itself reports. */
	assert_null(json_loadb(text, strlen(text), 0, &err));
	snprintf(want, sizeof(want), "line %d, column %d", err.line,
	    err.column);
	assert_non_null(strstr(detail, want));
}

static void
parse_malformed_second_example(void **state)
{
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(parse("[1,\n  2,,]", &j, detail, sizeof(detail)), -1);
	assert_null(j);
	assert_non_null(strstr(detail, "line 2, column 5"));
}

static void
parse_truncated_and_trailing_garbage(void **state)
{
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(parse("{\"a\":1", &j, detail, sizeof(detail)), -1);
	assert_non_null(strstr(detail, "Malformed JSON"));
	assert_int_equal(parse("{} x", &j, detail, sizeof(detail)), -1);
	assert_non_null(strstr(detail, "line 1, column 4"));
}

static void
parse_scalar_top_level_is_refused(void **state)
{
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(parse("42", &j, detail, sizeof(detail)), -1);
	assert_null(j);
}

static void
parse_duplicate_keys_refused(void **state)
{
	char detail[256] = "";
	json_t *j = (json_t *)1;

	(void)state;
	assert_int_equal(parse("{\"a\": 1, \"a\": 2}", &j, detail,
	    sizeof(detail)), -1);
	assert_null(j);
	assert_non_null(strstr(detail, "duplicate"));

	/* Also in a nested object. */
	assert_int_equal(parse("{\"o\": {\"x\": 1, \"x\": 1}}", &j, detail,
	    sizeof(detail)), -1);
	assert_null(j);
}

static void
parse_invalid_utf8_refused(void **state)
{
	char detail[256] = "";
	json_t *j = (json_t *)1;

	(void)state;
	assert_int_equal(parse("[\"\xff\"]", &j, detail, sizeof(detail)), -1);
	assert_null(j);
	assert_int_equal(parse("{\"k\": \"\xc3\x28\"}", &j, detail,
	    sizeof(detail)), -1);
	assert_null(j);
	/* An overlong encoding of '/'. */
	assert_int_equal(parse("[\"\xc0\xaf\"]", &j, detail, sizeof(detail)),
	    -1);
	assert_null(j);
}

static void
parse_valid_utf8_accepted(void **state)
{
	char detail[256] = "";
	json_t *j;

	(void)state;
	assert_int_equal(parse("[\"caf\xc3\xa9 \xe2\x82\xac\"]", &j, detail,
	    sizeof(detail)), 0);
	assert_string_equal(json_string_value(json_array_get(j, 0)),
	    "caf\xc3\xa9 \xe2\x82\xac");
	json_decref(j);
}

static void
parse_embedded_nul_refused(void **state)
{
	static const char buf[] = "[\"a\0b\"]";
	char detail[256] = "";
	json_t *j = (json_t *)1;

	(void)state;
	assert_int_equal(body_parse_json(buf, sizeof(buf) - 1, &j, detail,
	    sizeof(detail)), -1);
	assert_null(j);
}

static void
parse_detail_is_truncated_safely(void **state)
{
	char detail[12];
	json_t *j;

	(void)state;
	memset(detail, 'x', sizeof(detail));
	assert_int_equal(parse("{", &j, detail, sizeof(detail)), -1);
	assert_int_equal(strlen(detail), sizeof(detail) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(is_json_plain),
		cmocka_unit_test(is_json_ignores_case),
		cmocka_unit_test(is_json_accepts_utf8_charsets),
		cmocka_unit_test(is_json_refuses_other_charsets),
		cmocka_unit_test(is_json_accepts_extra_params),
		cmocka_unit_test(is_json_refuses_other_types),
		cmocka_unit_test(is_json_refuses_null_and_empty),
		cmocka_unit_test(is_json_refuses_malformed_params),
		cmocka_unit_test(parse_valid_object),
		cmocka_unit_test(parse_valid_array),
		cmocka_unit_test(parse_uses_only_len_bytes),
		cmocka_unit_test(parse_empty_body_is_an_error),
		cmocka_unit_test(parse_whitespace_only_body_is_empty),
		cmocka_unit_test(parse_malformed_reports_line_and_column),
		cmocka_unit_test(parse_malformed_second_example),
		cmocka_unit_test(parse_truncated_and_trailing_garbage),
		cmocka_unit_test(parse_scalar_top_level_is_refused),
		cmocka_unit_test(parse_duplicate_keys_refused),
		cmocka_unit_test(parse_invalid_utf8_refused),
		cmocka_unit_test(parse_valid_utf8_accepted),
		cmocka_unit_test(parse_embedded_nul_refused),
		cmocka_unit_test(parse_detail_is_truncated_safely),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
