/*
 * cookie.c - the Cookie and Set-Cookie syntax of RFC 6265.
 */
#include "http/cookie.h"

#include <stdio.h>
#include <string.h>

bool
cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = header;

	if (header == NULL)
		return false;
	while (*p != '\0') {
		const char *end, *v;
		size_t vlen;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			v = p + nlen + 1;
			vlen = (size_t)(end - v);
			while (vlen > 0 && (v[vlen - 1] == ' ' ||
			    v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			if (vlen == 0 || vlen >= outlen)
				return false;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = end;
	}
	return false;
}

bool
cookie_format(char *out, size_t outlen, const char *name, const char *value,
    long max_age, unsigned flags)
{
	char age[32] = "";
	int n;

	if (max_age >= 0)
		snprintf(age, sizeof(age), "; Max-Age=%ld", max_age);
	n = snprintf(out, outlen, "%s=%s; Path=/; SameSite=Lax%s%s%s", name,
	    value, age, flags & COOKIE_HTTP_ONLY ? "; HttpOnly" : "",
	    flags & COOKIE_SECURE ? "; Secure" : "");
	return n > 0 && (size_t)n < outlen;
}
