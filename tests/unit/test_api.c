/*
 * test_api.c - the pure parts of the handler helpers (src/http/api.h):
 * api_is_uuid, and the input_* functions that check a JSON body field by
 * field and answer one 422 problem listing every bad field.
 *
 * The requests are built on the stack: an arena and a parsed JSON body,
 * no connection.  Nothing here calls what needs libmicrohttpd (req_query,
 * req_header, api_limit) or the database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "http/api.h"
#include "http/request.h"

/* ---- helpers --------------------------------------------------------- */

/*
 * A request whose body is the JSON text (any value, NUL escapes allowed so
 * that input_string's own NUL check can be reached), or no body for NULL.
 */
static void
req_init(struct req *r, const char *json_text)
{
	json_error_t err;

	memset(r, 0, sizeof(*r));
	r->arena = arena_new();
	r->route_index = -1;
	if (json_text != NULL) {
		r->json = json_loads(json_text, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, &err);
		if (r->json == NULL)
			fail_msg("bad test JSON %s: %s", json_text, err.text);
	}
}

static void
req_done(struct req *r)
{
	json_decref(r->json);
	free(r->resp_body);
	arena_free(r->arena);
}

/* The "errors" array of the 422 the request was answered with. */
static json_t *
sent_errors(struct req *r)
{
	json_error_t err;
	json_t *doc, *errors;

	assert_int_equal(r->status, 422);
	assert_non_null(r->resp_body);
	assert_string_equal(r->resp_type, "application/problem+json");
	doc = json_loadb(r->resp_body, r->resp_len, 0, &err);
	if (doc == NULL)
		fail_msg("response is not JSON: %s", err.text);
	assert_string_equal(json_string_value(json_object_get(doc, "type")),
	    "/problems/validation-failed");
	assert_int_equal(json_integer_value(json_object_get(doc, "status")),
	    422);
	errors = json_incref(json_object_get(doc, "errors"));
	json_decref(doc);
	assert_true(json_is_array(errors));
	return errors;
}

/* How many entries of errors name field. */
static int
count_field(const json_t *errors, const char *field)
{
	size_t i;
	json_t *e;
	int n = 0;

	json_array_foreach(errors, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));

		assert_non_null(f);
		assert_non_null(json_string_value(json_object_get(e,
		    "message")));
		if (strcmp(f, field) == 0)
			n++;
	}
	return n;
}

/* The message of the first entry for field, or NULL. */
static const char *
message_for(const json_t *errors, const char *field)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0)
			return json_string_value(json_object_get(e, "message"));
	return NULL;
}

/*
 * Checks one string field alone: ends the input and says whether it was
 * accepted; when it was not, the 422 names field exactly once and its
 * message contains want_msg.  Copies an accepted value into got.
 */
static bool
one_string(const char *body, unsigned flags, size_t min, size_t max,
    const char *want_msg, char *got, size_t gotlen)
{
	struct req r;
	struct input in;
	const char *s;
	bool ok;

	req_init(&r, body);
	input_begin(&in, &r);
	s = input_string(&in, "s", flags, min, max);
	ok = input_end(&in);
	if (ok) {
		assert_int_equal(r.status, 0);
		assert_null(r.resp_body);
		if (got != NULL) {
			if (s == NULL)
				got[0] = '\0';
			else {
				assert_true(strlen(s) < gotlen);
				strcpy(got, s);
			}
		}
	} else {
		json_t *errors = sent_errors(&r);
		const char *m;

		assert_null(s);
		assert_int_equal(json_array_size(errors), 1);
		assert_int_equal(count_field(errors, "s"), 1);
		m = message_for(errors, "s");
		if (want_msg != NULL && strstr(m, want_msg) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", m, want_msg);
		json_decref(errors);
	}
	req_done(&r);
	return ok;
}

/* ---- api_is_uuid ----------------------------------------------------- */

static void
uuid_canonical(void **state)
{
	(void)state;
	assert_true(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6f"));
	assert_true(api_is_uuid("00000000-0000-0000-0000-000000000000"));
	assert_true(api_is_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff"));
}

static void
uuid_uppercase(void **state)
{
	(void)state;
	assert_true(api_is_uuid("0191D2C4-7B3A-7C2E-9F10-1A2B3C4D5E6F"));
	assert_true(api_is_uuid("0191d2c4-7B3A-7c2e-9F10-1a2b3c4d5e6f"));
}

static void
uuid_bad_shape(void **state)
{
	(void)state;
	/* A dash missing, moved, or all of them gone. */
	assert_false(api_is_uuid("0191d2c47b3a-7c2e-9f10-1a2b3c4d5e6f"));
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f101a2b3c4d5e6f0"));
	assert_false(api_is_uuid("0191d2c-47b3a-7c2e-9f10-1a2b3c4d5e6f"));
	assert_false(api_is_uuid("0191d2c47b3a7c2e9f101a2b3c4d5e6f"));
	/* One character short or long. */
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6"));
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6f0"));
	/* Braces and the urn: form are not canonical. */
	assert_false(api_is_uuid("{0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6f}"));
	assert_false(api_is_uuid(
	    "urn:uuid:0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6f"));
	assert_false(api_is_uuid(""));
	assert_false(api_is_uuid(" 0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6f"));
}

static void
uuid_non_hex(void **state)
{
	(void)state;
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6g"));
	assert_false(api_is_uuid("g191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6f"));
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e6 "));
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f1--1a2b3c4d5e6f"));
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e-f"));
	assert_false(api_is_uuid("0191d2c4-7b3a-7c2e-9f10-1a2b3c4d5e\xc3"));
}

static void
uuid_null(void **state)
{
	(void)state;
	assert_false(api_is_uuid(NULL));
}

/* ---- input_begin / input_only / input_has ---------------------------- */

static void
begin_object_no_errors(void **state)
{
	struct req r;
	struct input in;

	(void)state;
	req_init(&r, "{}");
	input_begin(&in, &r);
	assert_ptr_equal(in.r, &r);
	assert_ptr_equal(in.body, r.json);
	assert_int_equal(in.nerrors, 0);
	assert_true(input_end(&in));
	assert_null(in.problem);
	assert_int_equal(r.status, 0);
	assert_null(r.resp_body);
	req_done(&r);
}

static void
begin_non_object(void **state)
{
	static const char *const bodies[] = {
		"[]", "[{\"a\": 1}]", "\"text\"", "3", "true", "null", NULL,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct req r;
		struct input in;
		json_t *errors;

		req_init(&r, bodies[i]);
		input_begin(&in, &r);
		assert_null(in.body);
		assert_int_equal(in.nerrors, 1);
		assert_false(input_has(&in, "a"));
		assert_false(input_end(&in));
		errors = sent_errors(&r);
		assert_int_equal(json_array_size(errors), 1);
		assert_int_equal(count_field(errors, ""), 1);
		assert_non_null(strstr(message_for(errors, ""), "JSON object"));
		json_decref(errors);
		req_done(&r);
	}
}

static void
begin_non_object_then_fields(void **state)
{
	static const char *const allowed[] = {"a", NULL};
	struct req r;
	struct input in;
	json_t *errors;
	long n = 7;

	(void)state;
	req_init(&r, "[1]");
	input_begin(&in, &r);
	input_only(&in, allowed); /* nothing to flag without an object */
	assert_null(input_string(&in, "a", 0, 0, 10));
	assert_null(input_string(&in, "b", IN_REQUIRED, 0, 10));
	assert_int_equal(input_bool(&in, "c", 0), -1);
	assert_false(input_int(&in, "d", 0, 0, 10, &n));
	assert_int_equal(n, 7);
	assert_false(input_end(&in));
	errors = sent_errors(&r);
	assert_int_equal(json_array_size(errors), 2);
	assert_int_equal(count_field(errors, ""), 1);
	assert_int_equal(count_field(errors, "b"), 1);
	json_decref(errors);
	req_done(&r);
}

static void
only_flags_unknown_fields(void **state)
{
	static const char *const allowed[] = {"email", "password", NULL};
	struct req r;
	struct input in;
	json_t *errors;

	(void)state;
	req_init(&r, "{\"email\": \"a@b.c\", \"extra\": 1, \"password\": null,"
	    " \"Email\": \"x\", \"other\": {}}");
	input_begin(&in, &r);
	input_only(&in, allowed);
	assert_int_equal(in.nerrors, 3);
	assert_false(input_end(&in));
	errors = sent_errors(&r);
	assert_int_equal(json_array_size(errors), 3);
	assert_int_equal(count_field(errors, "extra"), 1);
	assert_int_equal(count_field(errors, "other"), 1);
	assert_int_equal(count_field(errors, "Email"), 1); /* case matters */
	assert_int_equal(count_field(errors, "email"), 0);
	assert_int_equal(count_field(errors, "password"), 0);
	assert_string_equal(message_for(errors, "extra"),
	    "is not a known field");
	json_decref(errors);
	req_done(&r);
}

static void
only_all_known(void **state)
{
	static const char *const allowed[] = {"a", "b", "c", NULL};
	static const char *const none[] = {NULL};
	struct req r;
	struct input in;

	(void)state;
	req_init(&r, "{\"a\": 1, \"b\": 2}");
	input_begin(&in, &r);
	input_only(&in, allowed);
	assert_true(input_end(&in));
	req_done(&r);

	req_init(&r, "{}");
	input_begin(&in, &r);
	input_only(&in, none);
	assert_true(input_end(&in));
	req_done(&r);
}

static void
has_fields(void **state)
{
	struct req r;
	struct input in;

	(void)state;
	req_init(&r, "{\"a\": 1, \"n\": null, \"f\": false}");
	input_begin(&in, &r);
	assert_true(input_has(&in, "a"));
	assert_true(input_has(&in, "n")); /* null included */
	assert_true(input_has(&in, "f"));
	assert_false(input_has(&in, "b"));
	assert_false(input_has(&in, "A"));
	assert_true(input_end(&in));
	req_done(&r);
}

/* ---- input_string ---------------------------------------------------- */

static void
string_accepted_and_copied(void **state)
{
	struct req r;
	struct input in;
	const char *s;

	(void)state;
	req_init(&r, "{\"s\": \"hello\"}");
	input_begin(&in, &r);
	s = input_string(&in, "s", IN_REQUIRED, 1, 10);
	assert_non_null(s);
	assert_string_equal(s, "hello");
	/* A copy in the arena, not jansson's buffer. */
	assert_ptr_not_equal(s, json_string_value(json_object_get(r.json,
	    "s")));
	assert_true(input_end(&in));
	req_done(&r);
}

static void
string_required_absent_or_null(void **state)
{
	(void)state;
	assert_false(one_string("{}", IN_REQUIRED, 0, 10, "is required",
	    NULL, 0));
	assert_false(one_string("{\"s\": null}", IN_REQUIRED, 0, 10,
	    "is required", NULL, 0));
	/* Required wins over nullable. */
	assert_false(one_string("{\"s\": null}", IN_REQUIRED | IN_NULLABLE, 0,
	    10, "is required", NULL, 0));
}

static void
string_optional_absent(void **state)
{
	struct req r;
	struct input in;

	(void)state;
	req_init(&r, "{}");
	input_begin(&in, &r);
	assert_null(input_string(&in, "s", 0, 1, 10));
	assert_null(input_string(&in, "s", IN_NULLABLE, 1, 10));
	assert_int_equal(in.nerrors, 0);
	assert_true(input_end(&in));
	req_done(&r);
}

static void
string_null(void **state)
{
	struct req r;
	struct input in;

	(void)state;
	/* Nullable: null is accepted (NULL back, input_has says it was sent). */
	req_init(&r, "{\"s\": null}");
	input_begin(&in, &r);
	assert_null(input_string(&in, "s", IN_NULLABLE, 1, 10));
	assert_true(input_has(&in, "s"));
	assert_int_equal(in.nerrors, 0);
	assert_true(input_end(&in));
	req_done(&r);
	/* Neither required nor nullable: null is an error. */
	assert_false(one_string("{\"s\": null}", 0, 0, 10, "must not be null",
	    NULL, 0));
}

static void
string_wrong_type(void **state)
{
	static const char *const bodies[] = {
		"{\"s\": 5}", "{\"s\": 1.5}", "{\"s\": true}", "{\"s\": []}",
		"{\"s\": {}}", "{\"s\": [\"x\"]}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		assert_false(one_string(bodies[i], IN_REQUIRED, 0, 10,
		    "must be a string", NULL, 0));
}

static void
string_length_in_characters(void **state)
{
	char got[64];

	(void)state;
	/* "ü" is two bytes and one character. */
	assert_true(one_string("{\"s\": \"\\u00fc\"}", 0, 1, 1, NULL, got,
	    sizeof(got)));
	assert_string_equal(got, "\xc3\xbc");
	assert_true(one_string("{\"s\": \"\xc3\xbc\xc3\xbc\"}", 0, 1, 2, NULL,
	    got, sizeof(got)));
	assert_false(one_string("{\"s\": \"\xc3\xbc\xc3\xbc\xc3\xbc\"}", 0, 1,
	    2, "1 to 2", NULL, 0));
	/* A 4-byte character (U+1F600) and a 3-byte one (U+20AC). */
	assert_true(one_string("{\"s\": \"\\ud83d\\ude00\\u20ac\"}", 0, 2, 2,
	    NULL, got, sizeof(got)));
	assert_string_equal(got, "\xf0\x9f\x98\x80\xe2\x82\xac");
	/* Too few characters, though enough bytes. */
	assert_false(one_string("{\"s\": \"\xc3\xbc\xc3\xbc\"}", 0, 3, 10,
	    "3 to 10", NULL, 0));
}

static void
string_bounds(void **state)
{
	char got[64];

	(void)state;
	assert_true(one_string("{\"s\": \"abc\"}", 0, 3, 5, NULL, got,
	    sizeof(got)));
	assert_true(one_string("{\"s\": \"abcde\"}", 0, 3, 5, NULL, got,
	    sizeof(got)));
	assert_false(one_string("{\"s\": \"ab\"}", 0, 3, 5, "3 to 5", NULL,
	    0));
	assert_false(one_string("{\"s\": \"abcdef\"}", 0, 3, 5, "3 to 5",
	    NULL, 0));
	/* Empty when at least one character is needed. */
	assert_false(one_string("{\"s\": \"\"}", 0, 1, 5, "must not be empty",
	    NULL, 0));
	/* Empty allowed with min 0. */
	assert_true(one_string("{\"s\": \"\"}", 0, 0, 5, NULL, got,
	    sizeof(got)));
	assert_string_equal(got, "");
	/* min == max: an exact length. */
	assert_false(one_string("{\"s\": \"abcd\"}", 0, 3, 3, "3 characters",
	    NULL, 0));
}

static void
string_control_characters(void **state)
{
	static const char *const bad[] = {
		"{\"s\": \"a\\u0001b\"}", "{\"s\": \"a\\u000bb\"}",
		"{\"s\": \"\\u001b[31m\"}", "{\"s\": \"a\\u001fb\"}",
		"{\"s\": \"a\\bb\"}", "{\"s\": \"a\\fb\"}",
	};
	char got[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(one_string(bad[i], 0, 0, 20, "control", NULL, 0));
	/* Newlines (also Windows' \r\n) and tab are text. */
	assert_true(one_string("{\"s\": \"line 1\\r\\nline\\t2\"}", 0, 0, 20,
	    NULL, got, sizeof(got)));
	assert_string_equal(got, "line 1\r\nline\t2");
}

static void
string_delete_character(void **state)
{
	(void)state;
	/*
	 * Regression (fixed): input_string refused only bytes below 0x20, so
	 * DEL (U+007F) and the C1 controls (U+0080..U+009F) passed.
	 */
	assert_false(one_string("{\"s\": \"a\\u007fb\"}", 0, 0, 20, "control",
	    NULL, 0));
	assert_false(one_string("{\"s\": \"a\\u0085b\"}", 0, 0, 20, "control",
	    NULL, 0));
}

static void
string_embedded_nul(void **state)
{
	(void)state;
	assert_false(one_string("{\"s\": \"a\\u0000b\"}", 0, 0, 20, "NUL",
	    NULL, 0));
	assert_false(one_string("{\"s\": \"\\u0000\"}", 0, 0, 20, "NUL", NULL,
	    0));
	assert_false(one_string("{\"s\": \"ab\\u0000\"}", 0, 0, 20, "NUL",
	    NULL, 0));
}

/* ---- input_bool ------------------------------------------------------ */

static void
bool_values(void **state)
{
	struct req r;
	struct input in;

	(void)state;
	req_init(&r, "{\"t\": true, \"f\": false, \"n\": null}");
	input_begin(&in, &r);
	assert_int_equal(input_bool(&in, "t", IN_REQUIRED), 1);
	assert_int_equal(input_bool(&in, "f", IN_REQUIRED), 0);
	assert_int_equal(input_bool(&in, "t", 0), 1);
	assert_int_equal(input_bool(&in, "absent", 0), -1);
	assert_int_equal(input_bool(&in, "n", IN_NULLABLE), -1);
	assert_int_equal(in.nerrors, 0);
	assert_true(input_end(&in));
	req_done(&r);
}

static void
bool_errors(void **state)
{
	struct req r;
	struct input in;
	json_t *errors;

	(void)state;
	req_init(&r, "{\"s\": \"true\", \"i\": 1, \"z\": 0, \"n\": null}");
	input_begin(&in, &r);
	assert_int_equal(input_bool(&in, "s", 0), -1);
	assert_int_equal(input_bool(&in, "i", 0), -1);
	assert_int_equal(input_bool(&in, "z", 0), -1);
	assert_int_equal(input_bool(&in, "n", 0), -1);
	assert_int_equal(input_bool(&in, "absent", IN_REQUIRED), -1);
	assert_false(input_end(&in));
	errors = sent_errors(&r);
	assert_int_equal(json_array_size(errors), 5);
	assert_int_equal(count_field(errors, "s"), 1);
	assert_int_equal(count_field(errors, "i"), 1);
	assert_int_equal(count_field(errors, "z"), 1);
	assert_int_equal(count_field(errors, "n"), 1);
	assert_int_equal(count_field(errors, "absent"), 1);
	assert_string_equal(message_for(errors, "s"), "must be true or false");
	assert_string_equal(message_for(errors, "n"), "must not be null");
	assert_string_equal(message_for(errors, "absent"), "is required");
	json_decref(errors);
	req_done(&r);
}

/* ---- input_int ------------------------------------------------------- */

static void
int_in_range(void **state)
{
	struct req r;
	struct input in;
	long n = 0;

	(void)state;
	req_init(&r, "{\"a\": 5, \"lo\": 1, \"hi\": 1440, \"neg\": -3,"
	    " \"big\": 1099511627776, \"zero\": 0}");
	input_begin(&in, &r);
	assert_true(input_int(&in, "a", IN_REQUIRED, 1, 1440, &n));
	assert_int_equal(n, 5);
	assert_true(input_int(&in, "lo", 0, 1, 1440, &n));
	assert_int_equal(n, 1);
	assert_true(input_int(&in, "hi", 0, 1, 1440, &n));
	assert_int_equal(n, 1440);
	assert_true(input_int(&in, "neg", 0, -10, 10, &n));
	assert_int_equal(n, -3);
	assert_true(input_int(&in, "big", 0, 0, 1L << 41, &n));
	assert_int_equal(n, 1L << 40);
	assert_true(input_int(&in, "zero", 0, 0, 0, &n));
	assert_int_equal(n, 0);
	assert_int_equal(in.nerrors, 0);
	assert_true(input_end(&in));
	req_done(&r);
}

static void
int_absent_or_null(void **state)
{
	struct req r;
	struct input in;
	long n = 42;

	(void)state;
	req_init(&r, "{\"n\": null}");
	input_begin(&in, &r);
	assert_false(input_int(&in, "absent", 0, 0, 10, &n));
	assert_false(input_int(&in, "n", IN_NULLABLE, 0, 10, &n));
	assert_int_equal(n, 42);
	assert_int_equal(in.nerrors, 0);
	assert_true(input_end(&in));
	req_done(&r);
}

static void
int_errors(void **state)
{
	struct req r;
	struct input in;
	json_t *errors;
	long n = 42;

	(void)state;
	req_init(&r, "{\"below\": 0, \"above\": 1441, \"real\": 1.5,"
	    " \"whole_real\": 3.0, \"text\": \"3\", \"bool\": true,"
	    " \"huge\": 9223372036854775807, \"n\": null}");
	input_begin(&in, &r);
	assert_false(input_int(&in, "below", 0, 1, 1440, &n));
	assert_false(input_int(&in, "above", 0, 1, 1440, &n));
	assert_false(input_int(&in, "real", 0, 1, 1440, &n));
	assert_false(input_int(&in, "whole_real", 0, 1, 1440, &n));
	assert_false(input_int(&in, "text", 0, 1, 1440, &n));
	assert_false(input_int(&in, "bool", 0, 1, 1440, &n));
	assert_false(input_int(&in, "huge", 0, 1, 1440, &n));
	assert_false(input_int(&in, "n", 0, 1, 1440, &n));
	assert_false(input_int(&in, "absent", IN_REQUIRED, 1, 1440, &n));
	assert_int_equal(n, 42); /* never written on failure */
	assert_false(input_end(&in));
	errors = sent_errors(&r);
	assert_int_equal(json_array_size(errors), 9);
	assert_int_equal(count_field(errors, "below"), 1);
	assert_int_equal(count_field(errors, "above"), 1);
	assert_int_equal(count_field(errors, "real"), 1);
	assert_int_equal(count_field(errors, "whole_real"), 1);
	assert_int_equal(count_field(errors, "text"), 1);
	assert_int_equal(count_field(errors, "bool"), 1);
	assert_int_equal(count_field(errors, "huge"), 1);
	assert_int_equal(count_field(errors, "n"), 1);
	assert_int_equal(count_field(errors, "absent"), 1);
	assert_string_equal(message_for(errors, "real"),
	    "must be a whole number from 1 to 1440");
	assert_string_equal(message_for(errors, "absent"), "is required");
	json_decref(errors);
	req_done(&r);
}

/* ---- input_end ------------------------------------------------------- */

static void
end_lists_every_error(void **state)
{
	static const char *const allowed[] = {
		"email", "username", "password", "age", "terms", NULL,
	};
	struct req r;
	struct input in;
	json_t *errors;
	long age = 0;
	size_t i;
	json_t *e;

	(void)state;
	req_init(&r, "{\"email\": 7, \"username\": \"ok_name\","
	    " \"password\": null, \"age\": 1.5, \"admin\": true}");
	input_begin(&in, &r);
	input_only(&in, allowed);
	assert_null(input_string(&in, "email", IN_REQUIRED, 3, 254));
	assert_string_equal(input_string(&in, "username", IN_REQUIRED, 3, 32),
	    "ok_name");
	assert_null(input_string(&in, "password", IN_REQUIRED, 10, 72));
	assert_false(input_int(&in, "age", 0, 0, 150, &age));
	assert_int_equal(input_bool(&in, "terms", IN_REQUIRED), -1);
	assert_int_equal(in.nerrors, 5);
	assert_false(input_end(&in));
	assert_null(in.problem);
	assert_int_equal(r.status, 422);
	assert_int_equal(strlen(r.resp_body), r.resp_len);
	errors = sent_errors(&r);
	assert_int_equal(json_array_size(errors), 5);
	assert_int_equal(count_field(errors, "admin"), 1);
	assert_int_equal(count_field(errors, "email"), 1);
	assert_int_equal(count_field(errors, "username"), 0);
	assert_int_equal(count_field(errors, "password"), 1);
	assert_int_equal(count_field(errors, "age"), 1);
	assert_int_equal(count_field(errors, "terms"), 1);
	/* In the order they were found; each entry is {field, message}. */
	{
		static const char *const order[] = {
			"admin", "email", "password", "age", "terms",
		};

		json_array_foreach(errors, i, e) {
			assert_int_equal(json_object_size(e), 2);
			assert_string_equal(json_string_value(json_object_get(e,
			    "field")), order[i]);
		}
	}
	json_decref(errors);
	req_done(&r);
}

static void
end_same_field_twice(void **state)
{
	struct req r;
	struct input in;
	json_t *errors;

	(void)state;
	/* One entry per error, so a field checked twice may appear twice. */
	req_init(&r, "{\"x\": 1}");
	input_begin(&in, &r);
	assert_null(input_string(&in, "x", 0, 0, 5));
	input_error(&in, "x", "is odd");
	assert_false(input_end(&in));
	errors = sent_errors(&r);
	assert_int_equal(json_array_size(errors), 2);
	assert_int_equal(count_field(errors, "x"), 2);
	json_decref(errors);
	req_done(&r);
}

static void
end_good_input(void **state)
{
	struct req r;
	struct input in;

	(void)state;
	req_init(&r, "{\"email\": \"a@b.c\"}");
	input_begin(&in, &r);
	assert_non_null(input_string(&in, "email", IN_REQUIRED, 3, 254));
	assert_true(input_end(&in));
	assert_null(in.problem);
	assert_int_equal(r.status, 0);
	assert_null(r.resp_body);
	req_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid_canonical),
		cmocka_unit_test(uuid_uppercase),
		cmocka_unit_test(uuid_bad_shape),
		cmocka_unit_test(uuid_non_hex),
		cmocka_unit_test(uuid_null),
		cmocka_unit_test(begin_object_no_errors),
		cmocka_unit_test(begin_non_object),
		cmocka_unit_test(begin_non_object_then_fields),
		cmocka_unit_test(only_flags_unknown_fields),
		cmocka_unit_test(only_all_known),
		cmocka_unit_test(has_fields),
		cmocka_unit_test(string_accepted_and_copied),
		cmocka_unit_test(string_required_absent_or_null),
		cmocka_unit_test(string_optional_absent),
		cmocka_unit_test(string_null),
		cmocka_unit_test(string_wrong_type),
		cmocka_unit_test(string_length_in_characters),
		cmocka_unit_test(string_bounds),
		cmocka_unit_test(string_control_characters),
		cmocka_unit_test(string_delete_character),
		cmocka_unit_test(string_embedded_nul),
		cmocka_unit_test(bool_values),
		cmocka_unit_test(bool_errors),
		cmocka_unit_test(int_in_range),
		cmocka_unit_test(int_absent_or_null),
		cmocka_unit_test(int_errors),
		cmocka_unit_test(end_lists_every_error),
		cmocka_unit_test(end_same_field_twice),
		cmocka_unit_test(end_good_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
