/*
 * util.h - small helpers: randomness, hex, SHA-256, clocks.
 */
#ifndef LUDUS_CORE_UTIL_H
#define LUDUS_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* "git describe" of the build, from the generated build/version.c. */
extern const char ludus_version[];

/* Must be called once before any other util_* function; 0 or -1. */
int util_init(void);

/* n cryptographically secure random bytes (libsodium). */
void util_random(void *buf, size_t n);
/* Writes 2n lowercase hex digits and a NUL into out. */
void util_hex(const void *data, size_t n, char *out);
/* SHA-256 of data as 64 hex digits and a NUL. */
void util_sha256_hex(const void *data, size_t n, char out[65]);

/*
 * Replaces, in place, every byte of s that is not part of a well-formed
 * UTF-8 sequence (overlong forms, surrogates and truncated sequences
 * included) with '?'.  Returns s.  Text from clients goes through it before
 * it reaches a JSON document or a log line.
 */
char *util_utf8_sanitize(char *s);

/*
 * The well-formed UTF-8 sequence at s (at most n bytes): its length, with
 * its code point in *cp; 0 for a byte that starts none (overlong forms,
 * surrogates, past U+10FFFF and truncated sequences included).  n > 0.
 */
size_t util_utf8_decode(const void *s, size_t n, uint32_t *cp);

/* Characters (code points) of UTF-8 text. */
size_t util_utf8_chars(const char *s);

/*
 * splitmix64 (Steele, Lea and Flood, 2014): the next of the sequence
 * *state seeds, which it moves on.  Fast and well mixed, not for secrets:
 * the seeded, repeatable draws of the scheduler's fuzz, the optimizer's
 * shuffles and the generator's option order.
 */
uint64_t util_splitmix64(uint64_t *state);

/* Monotonic clock in microseconds. */
int64_t util_now_us(void);

#endif
