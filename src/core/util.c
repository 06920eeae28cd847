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

size_t
util_utf8_decode(const void *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = s;
	unsigned c = p[0];
	size_t len;
	uint32_t min, v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; min = 0x80; v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; min = 0x800; v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; min = 0x10000; v = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at a NUL */
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* The length of the well-formed UTF-8 sequence at p (NUL-terminated), or
 * 0: a continuation byte is never a NUL, so reading stops there. */
static size_t
utf8_seq(const unsigned char *p)
{
	uint32_t cp;

	return util_utf8_decode(p, 4, &cp);
}

char *
util_utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p != '\0') {
		size_t n = utf8_seq(p);

		if (n == 0) {
			*p++ = '?';
		} else {
			p += n;
		}
	}
	return s;
}

uint64_t
util_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int64_t
util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

size_t
util_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}
