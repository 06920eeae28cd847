/*
 * test_perm.c - permission codes and bits (src/core/perm.h): each bit has
 * its code and back; array literals both ways, with unknown codes skipped
 * and malformed ones refused.  tests/sql/0016_roles.sql checks that the
 * codes are the table's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/perm.h"

static void
every_bit_has_its_code(void **state)
{
	(void)state;
	for (int i = 0; i < PERM_COUNT; i++) {
		const char *name = perm_name(1u << i);

		assert_non_null(name);
		assert_int_equal(perm_parse(name), 1u << i);
	}
	assert_null(perm_name(0));
	assert_null(perm_name(1u << PERM_COUNT));
	assert_null(perm_name(PERM_LEARN | PERM_ACCOUNT));
	assert_string_equal(perm_name(PERM_COURSE_AUTHOR), "course.author");
	assert_int_equal(perm_parse("learn"), PERM_LEARN);
	assert_int_equal(perm_parse("lear"), 0);
	assert_int_equal(perm_parse("learn "), 0);
	assert_int_equal(perm_parse(""), 0);
	assert_int_equal(perm_parse(NULL), 0);
}

static void
arrays_both_ways(void **state)
{
	char buf[PERM_ARRAY_MAX];
	unsigned all = (1u << PERM_COUNT) - 1;

	(void)state;
	assert_int_equal(perm_parse_array("{}"), 0);
	assert_int_equal(perm_parse_array("{learn}"), PERM_LEARN);
	assert_int_equal(perm_parse_array("{account.self,learn,audit.read}"),
	    PERM_ACCOUNT | PERM_LEARN | PERM_AUDIT_READ);
	/* A code this build does not know gives nothing, and hides nothing. */
	assert_int_equal(perm_parse_array("{future.thing,learn}"), PERM_LEARN);
	assert_int_equal(perm_parse_array("learn"), 0);
	assert_int_equal(perm_parse_array(""), 0);
	assert_int_equal(perm_parse_array(NULL), 0);
	assert_int_equal(perm_parse_array("{learn"), PERM_LEARN);
	/* Quoted elements, as input_pg_array() writes them. */
	assert_int_equal(perm_parse_array("{\"learn\",\"audit.read\"}"),
	    PERM_LEARN | PERM_AUDIT_READ);
	assert_int_equal(perm_parse_array("{\"learn}"), 0);

	perm_array(0, buf, sizeof(buf));
	assert_string_equal(buf, "{}");
	perm_array(PERM_LEARN | PERM_ACCOUNT, buf, sizeof(buf));
	assert_string_equal(buf, "{account.self,learn}");
	perm_array(all, buf, sizeof(buf));
	assert_int_equal(perm_parse_array(buf), all);
	/* Too small a buffer keeps what fits, still a literal. */
	perm_array(all, buf, 16);
	assert_string_equal(buf, "{account.self}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_bit_has_its_code),
		cmocka_unit_test(arrays_both_ways),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
