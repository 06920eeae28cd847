/*
 * fetch.h - Ludus as an HTTP client: one request to a server elsewhere
 * (an identity provider's discovery document, keys and token endpoint, a
 * language model, a study material at a URL a user gave), with libcurl,
 * under strict limits.
 *
 * By default no redirects are followed, the answer is cut off past
 * max_bytes, the whole exchange past timeout_ms, and only https is spoken
 * unless allow_http says plain http will do (a provider on the same
 * machine, in tests).  Proxies named in the environment and cookies are
 * never used.  Nothing here knows what the answer means.
 *
 * A URL that a user chose is fetched with public_only: every address
 * libcurl is about to connect to, for the first request and for every
 * redirect, must be a public one (fetch_addr_allowed()), so a user cannot
 * make Ludus call a service on its own machine or network (SSRF).  The
 * check is made on the address actually connected to, after name
 * resolution, so a name that resolves to a public address when checked
 * and to a private one when used (DNS rebinding) gains nothing.
 */
#ifndef LUDUS_HTTP_FETCH_H
#define LUDUS_HTTP_FETCH_H
#include <stdbool.h>
#include <stddef.h>

#include <sys/socket.h>

#define FETCH_MAX_REDIRECTS	5
#define FETCH_MAX_NETS		32

/* Networks an operator allows although they are not public. */
struct fetch_net {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];		/* network byte order; 4 used for v4 */
	int prefix;			/* bits */
};

struct fetch_nets {
	size_t n;
	struct fetch_net net[FETCH_MAX_NETS];
};

struct fetch {
	const char *url;
	const char *form;  /* a POST body, form-encoded; NULL for GET */
	const char *json;  /* or a POST body sent as application/json */
	const char *user;  /* HTTP Basic credentials, or NULL */
	const char *password;
	const char *bearer; /* or a token sent as "Authorization: Bearer" */
	const char *accept; /* the Accept header; NULL: application/json */
	bool allow_http;
	bool follow_redirects; /* up to FETCH_MAX_REDIRECTS, to http(s) only */
	bool public_only;  /* connect to public addresses only (see above) */
	const struct fetch_nets *allow_nets; /* with public_only: and these */
	size_t max_bytes;
	long timeout_ms;
	long connect_timeout_ms; /* 0: timeout_ms */
};

struct fetched {
	long status;
	char *body; /* malloc'd and NUL-terminated; free() it */
	size_t len;
	/*
	 * The answer's Content-Type ("" when none) and the URL finally
	 * fetched, after redirects.  Both live in body's allocation, after
	 * its NUL, so free(body) releases them too.
	 */
	const char *content_type;
	const char *url;
	bool timed_out; /* set on failure too: timeout_ms ran out */
};

/* Prepares libcurl; call once before any thread fetches.  0 or -1. */
int fetch_init(void);

/*
 * Makes the request.  0 with *out filled (whatever the status), or -1
 * with err saying why nothing usable came back: "refused: 127.0.0.1 is
 * not a public address" when public_only kept it from connecting.
 */
int fetch_url(const struct fetch *f, struct fetched *out, char *err,
    size_t errlen);

/* A string form-encoded (application/x-www-form-urlencoded), malloc'd. */
char *fetch_escape(const char *s);

/*
 * Parses an operator's comma-separated list of networks ("127.0.0.2/32,
 * 10.1.0.0/16, fd00::/8"; an address without a prefix is one host) into
 * *out.  NULL or "" is an empty list.  0, or -1 with err naming the entry
 * that is not a network (bad address, prefix out of range, bits set past
 * the prefix, more than FETCH_MAX_NETS entries).  Pure.
 */
int fetch_nets_parse(const char *list, struct fetch_nets *out, char *err,
    size_t errlen);

/*
 * Whether Ludus may connect to sa (AF_INET or AF_INET6) when public_only:
 * when the address is public, or within one of allow's networks (allow may
 * be NULL).  Not public: 0/8, 10/8, 100.64/10, 127/8, 169.254/16,
 * 172.16/12, 192.0.0/24, 192.0.2/24, 192.168/16, 198.18/15,
 * 198.51.100/24, 203.0.113/24, 224/4, 240/4 (255.255.255.255 included);
 * for IPv6 anything outside global unicast 2000::/3 (so ::, ::1, the
 * IPv4-compatible ::/96, fc00::/7, fe80::/10, ff00::/8), 2001:db8::/32,
 * 3fff::/20, Teredo 2001::/32 and benchmarking 2001:2::/48.  IPv4-mapped
 * (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses
 * are judged by the IPv4 address they carry, and an allow-list entry for
 * that IPv4 address allows them too.  Pure.
 */
bool fetch_addr_allowed(const struct sockaddr *sa,
    const struct fetch_nets *allow);

#endif
