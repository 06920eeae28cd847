/*
 * test_util.c - src/core/util.c: UTF-8 sanitizing, hex, SHA-256.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"

static void
check(const char *in, const char *want)
{
	char buf[64];

	strcpy(buf, in);
	assert_string_equal(util_utf8_sanitize(buf), want);
}

static void
valid_text_is_kept(void **state)
{
	(void)state;
	check("", "");
	check("plain /ascii?x=1", "plain /ascii?x=1");
	check("gr\xc3\xbc\xc3\x9f", "gr\xc3\xbc\xc3\x9f");           /* grüß */
	check("\xe2\x82\xac 5", "\xe2\x82\xac 5");                   /* € */
	check("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");               /* U+1F600 */
	check("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");               /* U+10FFFF */
}

static void
invalid_bytes_become_question_marks(void **state)
{
	(void)state;
	check("/x/\xff", "/x/?");
	check("\x80 lone continuation", "? lone continuation");
	check("\xc3", "?");                          /* truncated at the end */
	check("\xc3(", "?(");                        /* bad continuation */
	check("\xe2\x82", "??");
	check("\xc0\xaf", "??");                     /* overlong '/' */
	check("\xe0\x80\xaf", "???");                /* overlong, 3 bytes */
	check("\xed\xa0\x80", "???");                /* surrogate U+D800 */
	check("\xf4\x90\x80\x80", "????");           /* past U+10FFFF */
	check("\xf5\x80\x80\x80", "????");
	check("ok\xfe\xc3\xa9ok", "ok?\xc3\xa9ok");  /* recovers after a bad byte */
}

static void
hex_and_sha256(void **state)
{
	unsigned char raw[] = {0x00, 0x7f, 0xff};
	char hex[7], sum[65];

	(void)state;
	util_hex(raw, sizeof(raw), hex);
	assert_string_equal(hex, "007fff");
	util_sha256_hex("abc", 3, sum);
	assert_string_equal(sum, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_text_is_kept),
		cmocka_unit_test(invalid_bytes_become_question_marks),
		cmocka_unit_test(hex_and_sha256),
	};

	if (util_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
