/*
 * token.c - random tokens and their hashes (libsodium).
 */
#include "core/token.h"

#include <string.h>

#include <sodium.h>

#include "core/util.h"

void
token_new(char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];

	util_random(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool
token_shape_ok(const char *t)
{
	size_t n = 0;

	for (; t[n] != '\0'; n++) {
		char c = t[n];

		if (n == TOKEN_LEN || !((c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_'))
			return false;
	}
	return n == TOKEN_LEN;
}

void
token_hash(const char *token, char out[65])
{
	util_sha256_hex(token, strlen(token), out);
}

bool
token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
