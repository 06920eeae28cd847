/*
 * cookie.h - reading a Cookie header and writing Set-Cookie values.  Pure.
 */
#ifndef LUDUS_HTTP_COOKIE_H
#define LUDUS_HTTP_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Finds cookie `name` in a Cookie header ("a=1; b=2") and copies its value
 * (without surrounding quotes) into out.  False when it is absent, empty or
 * does not fit.
 */
bool cookie_get(const char *header, const char *name, char *out,
    size_t outlen);

enum cookie_flags {
	COOKIE_HTTP_ONLY = 1u << 0, /* not readable by scripts */
	COOKIE_SECURE = 1u << 1,    /* HTTPS only */
};

/*
 * Writes a Set-Cookie value: Path=/ and SameSite=Lax always; Max-Age when
 * max_age >= 0 (0 deletes the cookie).  Returns false if out is too small.
 */
bool cookie_format(char *out, size_t outlen, const char *name,
    const char *value, long max_age, unsigned flags);

#endif
