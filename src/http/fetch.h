/*
 * fetch.h - Ludus as an HTTP client: one request to a server elsewhere
 * (an identity provider's discovery document, keys and token endpoint),
 * with libcurl, under strict limits.
 *
 * No redirects are followed, the answer is cut off past max_bytes, the
 * whole exchange past timeout_ms, and only https is spoken unless
 * allow_http says plain http will do (a provider on the same machine, in
 * tests).  Nothing here knows what the answer means.
 */
#ifndef LUDUS_HTTP_FETCH_H
#define LUDUS_HTTP_FETCH_H
#include <stdbool.h>
#include <stddef.h>

struct fetch {
	const char *url;
	const char *form;  /* a POST body, form-encoded; NULL for GET */
	const char *user;  /* HTTP Basic credentials, or NULL */
	const char *password;
	bool allow_http;
	size_t max_bytes;
	long timeout_ms;
};

struct fetched {
	long status;
	char *body; /* malloc'd and NUL-terminated; free() it */
	size_t len;
};

/* Prepares libcurl; call once before any thread fetches.  0 or -1. */
int fetch_init(void);

/*
 * Makes the request.  0 with *out filled (whatever the status), or -1
 * with err saying why nothing usable came back.
 */
int fetch_url(const struct fetch *f, struct fetched *out, char *err,
    size_t errlen);

/* A string form-encoded (application/x-www-form-urlencoded), malloc'd. */
char *fetch_escape(const char *s);

#endif
