/*
 * password.c - bcrypt through libcrypt (crypt_rn and crypt_gensalt_rn,
 * which are thread-safe and read their salt from the kernel).
 */
#include "identity/password.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/alloc.h"

int
password_hash(const char *password, int cost, char out[PASSWORD_HASH_MAX])
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *data;
	const char *h;
	int rc = -1;

	if (crypt_gensalt_rn("$2b$", (unsigned long)cost, NULL, 0, salt,
	    sizeof(salt)) == NULL)
		return -1;
	data = xcalloc(1, sizeof(*data));
	h = crypt_rn(password, salt, data, sizeof(*data));
	if (h != NULL && h[0] == '$' && strlen(h) < PASSWORD_HASH_MAX) {
		snprintf(out, PASSWORD_HASH_MAX, "%s", h);
		rc = 0;
	}
	sodium_memzero(data, sizeof(*data));
	free(data);
	return rc;
}

bool
password_needs_rehash(const char *hash, int cost)
{
	char want[8];

	snprintf(want, sizeof(want), "$2b$%02d$", cost);
	return strncmp(hash, want, 7) != 0;
}

bool
password_verify(const char *password, const char *hash)
{
	struct crypt_data *data;
	const char *h;
	size_t n = strlen(hash);
	bool ok = false;

	if (n < 4 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' ||
	    (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y'))
		return false;
	data = xcalloc(1, sizeof(*data));
	h = crypt_rn(password, hash, data, sizeof(*data));
	/* crypt_rn answers "*0"-style strings on failure: never equal. */
	if (h != NULL && strlen(h) == n)
		ok = sodium_memcmp(h, hash, n) == 0;
	sodium_memzero(data, sizeof(*data));
	free(data);
	return ok;
}
