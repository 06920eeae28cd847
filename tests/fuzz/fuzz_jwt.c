/*
 * fuzz_jwt.c - libFuzzer target: ID token verification (src/core/jwt.c)
 * on any token and any JWKS.  The input is split at its first NUL byte,
 * or half way if it has none: the token before, the JWKS after.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct jwt_expect e = {
		"https://id.example.org", "ludus-web", "n-0S6_WzA2Mj",
		1700000000LL, 60
	};
	const uint8_t *nul = memchr(data, '\0', size);
	size_t split = nul != NULL ? (size_t)(nul - data) : size / 2;
	size_t rest = nul != NULL ? size - split - 1 : size - split;
	char *token = xstrndup((const char *)data, split);
	char *jwks = xstrndup((const char *)data + size - rest, rest);
	json_t *claims = NULL;

	if (jwt_verify(token, jwks, &e, &claims) == JWT_OK)
		json_decref(claims);
	free(token);
	free(jwks);
	return 0;
}
