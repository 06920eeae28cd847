/*
 * test_audit.c - audit_pick (src/http/audit.h): the values an audit event
 * keeps from a document: the named keys only (a missing one stays
 * missing), lists of objects cut to the named fields, null kept as null,
 * and no object from text that is not one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/audit.h"

/* Asserts that audit_pick(doc, keep) is the JSON text want (or NULL). */
static void
assert_pick(const char *doc, const char *const *keep, const char *want)
{
	json_t *got = audit_pick(doc, keep);
	char *text;

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	text = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, want);
	free(text);
	json_decref(got);
}

static void
test_keeps_the_named_keys(void **state)
{
	static const char *const keep[] = {"title", "summary", "missing",
	    NULL};

	(void)state;
	assert_pick("{\"title\":\"A\",\"summary\":null,\"version\":3,"
	    "\"can_edit\":true}", keep, "{\"summary\":null,\"title\":\"A\"}");
}

static void
test_cuts_lists_of_objects_to_their_fields(void **state)
{
	static const char *const keep[] = {"units:id,title", "tags:x", NULL};

	(void)state;
	assert_pick("{\"units\":[{\"id\":\"u1\",\"title\":\"One\","
	    "\"lessons\":[1,2]},{\"id\":\"u2\"}],\"tags\":[\"a\",\"b\"]}", keep,
	    "{\"tags\":[\"a\",\"b\"],\"units\":[{\"id\":\"u1\","
	    "\"title\":\"One\"},{\"id\":\"u2\"}]}");
	/* A field spec on something that is not a list keeps it whole. */
	assert_pick("{\"units\":{\"id\":1}}", keep, "{\"units\":{\"id\":1}}");
}

static void
test_no_object_no_values(void **state)
{
	static const char *const keep[] = {"title", NULL};

	(void)state;
	assert_pick(NULL, keep, NULL);
	assert_pick("[1,2]", keep, NULL);
	assert_pick("not json", keep, NULL);
	assert_pick("{}", keep, "{}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_the_named_keys),
		cmocka_unit_test(test_cuts_lists_of_objects_to_their_fields),
		cmocka_unit_test(test_no_object_no_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
