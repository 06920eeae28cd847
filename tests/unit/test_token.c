/*
 * test_token.c - opaque tokens (src/core/token.h): token_new makes 43
 * base64url characters that differ from call to call, token_shape_ok
 * accepts exactly that shape, token_hash is the SHA-256 hex of the text
 * (checked against the FIPS 180-2 vector for "abc") and token_equal
 * compares whole strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "core/token.h"

#define MANY 1000

static bool
base64url_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int
cmp_tokens(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* ---- token_new ------------------------------------------------------- */

static void
new_has_43_base64url_chars(void **state)
{
	char t[TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(TOKEN_LEN, 43);
	for (int i = 0; i < 100; i++) {
		memset(t, '#', sizeof(t));
		token_new(t);
		assert_int_equal(strlen(t), 43);
		for (size_t j = 0; j < TOKEN_LEN; j++)
			if (!base64url_char(t[j]))
				fail_msg("character %zu of \"%s\"", j, t);
		assert_true(token_shape_ok(t));
	}
}

static void
new_values_are_distinct(void **state)
{
	char (*t)[TOKEN_LEN + 1] = calloc(MANY, sizeof(*t));

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < MANY; i++)
		token_new(t[i]);
	qsort(t, MANY, sizeof(*t), cmp_tokens);
	for (int i = 1; i < MANY; i++)
		if (strcmp(t[i - 1], t[i]) == 0)
			fail_msg("token \"%s\" made twice", t[i]);
	free(t);
}

static void
new_uses_the_whole_alphabet(void **state)
{
	/*
	 * 1000 tokens hold 43,000 characters: each of the 64 letters of the
	 * alphabet turns up (a fixed or biased generator would not).
	 */
	bool seen[256] = {false};
	char t[TOKEN_LEN + 1];
	int n = 0;

	(void)state;
	for (int i = 0; i < MANY; i++) {
		token_new(t);
		for (size_t j = 0; j < TOKEN_LEN; j++)
			seen[(unsigned char)t[j]] = true;
	}
	for (int c = 0; c < 256; c++)
		if (seen[c])
			n++;
	assert_int_equal(n, 64);
}

/* ---- token_shape_ok -------------------------------------------------- */

static void
shape_accepts_43(void **state)
{
	(void)state;
	assert_true(token_shape_ok(
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"));
	assert_true(token_shape_ok(
	    "0123456789-_0123456789-_0123456789-_0123456"));
}

static void
shape_refuses_other_lengths(void **state)
{
	char t[64];

	(void)state;
	memset(t, 'a', sizeof(t));
	t[42] = '\0';
	assert_false(token_shape_ok(t));
	t[42] = 'a';
	t[43] = '\0';
	assert_true(token_shape_ok(t));
	t[43] = 'a';
	t[44] = '\0';
	assert_false(token_shape_ok(t));
	t[44] = 'a';
	t[63] = '\0';
	assert_false(token_shape_ok(t));
	assert_false(token_shape_ok(""));
	assert_false(token_shape_ok("a"));
}

static void
shape_refuses_other_characters(void **state)
{
	static const char bad[] = "+/= .%\t\n\"'*~!";
	char t[TOKEN_LEN + 1];

	(void)state;
	for (size_t i = 0; bad[i] != '\0'; i++) {
		for (size_t pos = 0; pos < TOKEN_LEN; pos += 21) {
			memset(t, 'A', TOKEN_LEN);
			t[TOKEN_LEN] = '\0';
			t[pos] = bad[i];
			if (token_shape_ok(t))
				fail_msg("'%c' at %zu accepted", bad[i], pos);
		}
	}
	/* Standard base64 with padding, as a client might mangle it. */
	assert_false(token_shape_ok(
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP="));
	/* Non-ASCII bytes. */
	memset(t, 'A', TOKEN_LEN);
	t[TOKEN_LEN] = '\0';
	t[10] = (char)0xc3;
	assert_false(token_shape_ok(t));
}

/* ---- token_hash ------------------------------------------------------ */

static void
hash_known_vector(void **state)
{
	char h[65];

	(void)state;
	token_hash("abc", h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	token_hash("", h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
hash_matches_sha256_hex_of_token(void **state)
{
	char t[TOKEN_LEN + 1], h[65], want[65];

	(void)state;
	for (int i = 0; i < 20; i++) {
		token_new(t);
		token_hash(t, h);
		util_sha256_hex(t, strlen(t), want);
		assert_string_equal(h, want);
		assert_int_equal(strlen(h), 64);
		for (size_t j = 0; j < 64; j++)
			assert_true((h[j] >= '0' && h[j] <= '9') ||
			    (h[j] >= 'a' && h[j] <= 'f'));
	}
}

static void
hash_differs_for_different_tokens(void **state)
{
	char a[65], b[65];

	(void)state;
	token_hash("abc", a);
	token_hash("abd", b);
	assert_string_not_equal(a, b);
	token_hash("abc", b);
	assert_string_equal(a, b);
}

/* ---- token_equal ----------------------------------------------------- */

static void
equal_same(void **state)
{
	char t[TOKEN_LEN + 1], u[TOKEN_LEN + 1];

	(void)state;
	token_new(t);
	memcpy(u, t, sizeof(t));
	assert_true(token_equal(t, u));
	assert_true(token_equal("abc", "abc"));
}

static void
equal_different(void **state)
{
	char t[TOKEN_LEN + 1], u[TOKEN_LEN + 1];

	(void)state;
	token_new(t);
	memcpy(u, t, sizeof(t));
	u[0] = u[0] == 'A' ? 'B' : 'A';
	assert_false(token_equal(t, u));
	memcpy(u, t, sizeof(t));
	u[TOKEN_LEN - 1] = u[TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
	assert_false(token_equal(t, u));
	assert_false(token_equal("abc", "ABC"));
}

static void
equal_different_lengths(void **state)
{
	(void)state;
	assert_false(token_equal("abc", "abcd"));
	assert_false(token_equal("abcd", "abc"));
	assert_false(token_equal("abc", "ab"));
}

static void
equal_empty(void **state)
{
	(void)state;
	assert_true(token_equal("", ""));
	assert_false(token_equal("", "a"));
	assert_false(token_equal("a", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_has_43_base64url_chars),
		cmocka_unit_test(new_values_are_distinct),
		cmocka_unit_test(new_uses_the_whole_alphabet),
		cmocka_unit_test(shape_accepts_43),
		cmocka_unit_test(shape_refuses_other_lengths),
		cmocka_unit_test(shape_refuses_other_characters),
		cmocka_unit_test(hash_known_vector),
		cmocka_unit_test(hash_matches_sha256_hex_of_token),
		cmocka_unit_test(hash_differs_for_different_tokens),
		cmocka_unit_test(equal_same),
		cmocka_unit_test(equal_different),
		cmocka_unit_test(equal_different_lengths),
		cmocka_unit_test(equal_empty),
	};

	if (util_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
