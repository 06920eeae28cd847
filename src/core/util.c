/*
 * util.c - randomness and hashing come from libsodium, which is audited and
 * reads the kernel's getrandom().
 */
#include "core/util.h"

#include <sodium.h>
#include <time.h>

int
util_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
util_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void
util_hex(const void *data, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, data, n);
}

void
util_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, data, n);
	util_hex(digest, sizeof(digest), out);
}

int64_t
util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
