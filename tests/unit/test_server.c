/*
 * test_server.c - server_valid_request_id (src/http/server.h), the check
 * on a client-supplied X-Request-Id: letters, digits, '-', '_' and '.',
 * 1 to 64 characters.  The rest of server.h needs a running server and is
 * covered by the API suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/server.h"

/* A string of n copies of c, in buf. */
static const char *
repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void
accepts_simple_ids(void **state)
{
	(void)state;
	assert_true(server_valid_request_id("a"));
	assert_true(server_valid_request_id("Z"));
	assert_true(server_valid_request_id("7"));
	assert_true(server_valid_request_id("abc-123"));
	assert_true(server_valid_request_id("req_42.retry-1"));
	assert_true(server_valid_request_id("0123456789abcdef0123456789abcdef"));
	assert_true(server_valid_request_id(
	    "f47ac10b-58cc-4372-a567-0e02b2c3d479"));
}

static void
accepts_every_allowed_character(void **state)
{
	(void)state;
	assert_true(server_valid_request_id("abcdefghijklmnopqrstuvwxyz"));
	assert_true(server_valid_request_id("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
	assert_true(server_valid_request_id("0123456789-_."));
	assert_true(server_valid_request_id("-"));
	assert_true(server_valid_request_id("_"));
	assert_true(server_valid_request_id("."));
	assert_true(server_valid_request_id("..."));
}

static void
refuses_empty(void **state)
{
	(void)state;
	assert_false(server_valid_request_id(""));
}

static void
length_limit_is_64(void **state)
{
	char buf[128];

	(void)state;
	assert_true(server_valid_request_id(repeat(buf, 'a', 63)));
	assert_true(server_valid_request_id(repeat(buf, 'a', 64)));
	assert_false(server_valid_request_id(repeat(buf, 'a', 65)));
	assert_false(server_valid_request_id(repeat(buf, '9', 100)));
	assert_false(server_valid_request_id(repeat(buf, 'x', 127)));
}

static void
refuses_spaces_and_quotes(void **state)
{
	(void)state;
	assert_false(server_valid_request_id(" "));
	assert_false(server_valid_request_id("a b"));
	assert_false(server_valid_request_id(" abc"));
	assert_false(server_valid_request_id("abc "));
	assert_false(server_valid_request_id("a\tb"));
	assert_false(server_valid_request_id("\"abc\""));
	assert_false(server_valid_request_id("a\"b"));
	assert_false(server_valid_request_id("it's"));
	assert_false(server_valid_request_id("a\\b"));
}

static void
refuses_control_characters(void **state)
{
	(void)state;
	/* Header injection and log forging. */
	assert_false(server_valid_request_id("abc\n"));
	assert_false(server_valid_request_id("abc\r\nX-Evil: 1"));
	assert_false(server_valid_request_id("\n"));
	assert_false(server_valid_request_id("a\x01"));
	assert_false(server_valid_request_id("a\x7f"));
}

static void
refuses_other_punctuation(void **state)
{
	static const char punct[] = "!#$%&()*+,/:;<=>?@[]^`{|}~";
	char id[4] = "a?b";

	(void)state;
	for (size_t i = 0; i < sizeof(punct) - 1; i++) {
		id[1] = punct[i];
		if (server_valid_request_id(id))
			fail_msg("accepted '%s'", id);
	}
}

static void
refuses_non_ascii(void **state)
{
	(void)state;
	assert_false(server_valid_request_id("caf\xc3\xa9"));
	assert_false(server_valid_request_id("\xe2\x82\xac"));
	assert_false(server_valid_request_id("\xff"));
	assert_false(server_valid_request_id("a\x80"));
}

static void
sixty_five_chars_with_bad_tail_refused(void **state)
{
	char buf[128];

	(void)state;
	/* 64 good characters, then a bad one: refused either way. */
	repeat(buf, 'b', 64);
	buf[64] = '\n';
	buf[65] = '\0';
	assert_false(server_valid_request_id(buf));
	/* A bad character early in a long string. */
	repeat(buf, 'c', 80);
	buf[3] = ' ';
	assert_false(server_valid_request_id(buf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_simple_ids),
		cmocka_unit_test(accepts_every_allowed_character),
		cmocka_unit_test(refuses_empty),
		cmocka_unit_test(length_limit_is_64),
		cmocka_unit_test(refuses_spaces_and_quotes),
		cmocka_unit_test(refuses_control_characters),
		cmocka_unit_test(refuses_other_punctuation),
		cmocka_unit_test(refuses_non_ascii),
		cmocka_unit_test(sixty_five_chars_with_bad_tail_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
