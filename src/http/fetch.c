/*
 * fetch.c - one outbound HTTP request with libcurl (see fetch.h).
 *
 * The public-address rule is enforced in libcurl's open-socket callback
 * rather than by resolving the name first: libcurl resolves again for
 * each connection and for each redirect, and only the callback sees the
 * address that is really about to be used.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "http/fetch.h"

struct sink {
	char *buf;
	size_t len, cap, max;
	bool over;
};

/* What the open-socket callback needs, and what it refused. */
struct guard {
	const struct fetch_nets *allow;
	char refused[INET6_ADDRSTRLEN];
};

int
fetch_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static size_t
sink_write(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;
	char *p;

	if (add > s->max - s->len) {
		s->over = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	if (s->len + add + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;

		while (cap < s->len + add + 1)
			cap *= 2;
		if ((p = realloc(s->buf, cap)) == NULL)
			return 0;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return add;
}

char *
fetch_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *copy = e ? strdup(e) : NULL;

	curl_free(e);
	return copy;
}

/* Whether the first bits of a are those of b. */
static bool
prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[whole] ^ b[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

struct range {
	unsigned char addr[16];
	int prefix;
};

#define V4(a, b, c, d, p) {{a, b, c, d}, p}

/* IPv4 networks that are not public (RFC 6890 and its updates). */
static const struct range v4_closed[] = {
	V4(0, 0, 0, 0, 8),		/* "this network" */
	V4(10, 0, 0, 0, 8),		/* private */
	V4(100, 64, 0, 0, 10),		/* carrier-grade NAT */
	V4(127, 0, 0, 0, 8),		/* loopback */
	V4(169, 254, 0, 0, 16),		/* link-local, cloud metadata */
	V4(172, 16, 0, 0, 12),		/* private */
	V4(192, 0, 0, 0, 24),		/* IETF protocol assignments */
	V4(192, 0, 2, 0, 24),		/* documentation */
	V4(192, 168, 0, 0, 16),		/* private */
	V4(198, 18, 0, 0, 15),		/* benchmarking */
	V4(198, 51, 100, 0, 24),	/* documentation */
	V4(203, 0, 113, 0, 24),		/* documentation */
	V4(224, 0, 0, 0, 4),		/* multicast */
	V4(240, 0, 0, 0, 4),		/* reserved, and the broadcast address */
};

/* IPv6 networks within global unicast 2000::/3 that are not public. */
static const struct range v6_closed[] = {
	{{0x20, 0x01, 0x0d, 0xb8}, 32},	/* documentation */
	{{0x3f, 0xff}, 20},		/* documentation (RFC 9637) */
	{{0x20, 0x01, 0x00, 0x00}, 32},	/* Teredo: tunnels to anywhere */
	{{0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48}, /* benchmarking */
};

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xff};
static const unsigned char nat64[12] = {0x00, 0x64, 0xff, 0x9b};

static bool
in_ranges(const unsigned char *a, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_match(a, r[i].addr, r[i].prefix))
			return true;
	return false;
}

static bool
allow_listed(int family, const unsigned char *a,
    const struct fetch_nets *allow)
{
	if (allow == NULL)
		return false;
	for (size_t i = 0; i < allow->n; i++)
		if (allow->net[i].family == family &&
		    prefix_match(a, allow->net[i].addr, allow->net[i].prefix))
			return true;
	return false;
}

/*
 * The IPv4 address an IPv6 one carries when it stands for it on the
 * wire (mapped, NAT64, 6to4); false for any other.
 */
static bool
embedded_v4(const unsigned char *a6, unsigned char *a4)
{
	if (memcmp(a6, v4_mapped, 12) == 0 || memcmp(a6, nat64, 12) == 0) {
		memcpy(a4, a6 + 12, 4);
		return true;
	}
	if (a6[0] == 0x20 && a6[1] == 0x02) {
		memcpy(a4, a6 + 2, 4);
		return true;
	}
	return false;
}

bool
fetch_addr_allowed(const struct sockaddr *sa, const struct fetch_nets *allow)
{
	unsigned char a4[4];
	const unsigned char *a6;

	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		memcpy(a4, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
		return !in_ranges(a4, v4_closed, sizeof(v4_closed) /
		    sizeof(v4_closed[0])) || allow_listed(AF_INET, a4, allow);
	}
	if (sa->sa_family != AF_INET6)
		return false;
	a6 = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
	if (allow_listed(AF_INET6, a6, allow))
		return true;
	if (embedded_v4(a6, a4))
		return !in_ranges(a4, v4_closed, sizeof(v4_closed) /
		    sizeof(v4_closed[0])) || allow_listed(AF_INET, a4, allow);
	/* Only 2000::/3 is handed out for use on the Internet. */
	if ((a6[0] & 0xe0) != 0x20)
		return false;
	return !in_ranges(a6, v6_closed, sizeof(v6_closed) /
	    sizeof(v6_closed[0]));
}

/* One entry of an allow-list, s..s+len, into *net. */
static int
net_parse(const char *s, size_t len, struct fetch_net *net, char *err,
    size_t errlen)
{
	char text[INET6_ADDRSTRLEN + 8], addr[INET6_ADDRSTRLEN + 1], *slash;
	int bytes, max;

	if (len == 0) {
		snprintf(err, errlen, "an entry of the list is empty");
		return -1;
	}
	if (len >= sizeof(text)) {
		snprintf(err, errlen, "\"%.*s...\" is not a network", 40, s);
		return -1;
	}
	memcpy(text, s, len);
	text[len] = '\0';
	slash = strchr(text, '/');
	snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - text) :
	    (int)len, text);
	memset(net, 0, sizeof(*net));
	if (inet_pton(AF_INET, addr, net->addr) == 1) {
		net->family = AF_INET;
		bytes = 4;
	} else if (inet_pton(AF_INET6, addr, net->addr) == 1) {
		net->family = AF_INET6;
		bytes = 16;
	} else {
		snprintf(err, errlen, "\"%s\": \"%s\" is not an IP address",
		    text, addr);
		return -1;
	}
	max = bytes * 8;
	net->prefix = max;
	if (slash != NULL) {
		const char *p = slash + 1;
		int n = 0;

		if (*p == '\0' || strlen(p) > 3) {
			snprintf(err, errlen, "\"%s\": the prefix length must "
			    "be 0 to %d", text, max);
			return -1;
		}
		for (; *p != '\0'; p++) {
			if (*p < '0' || *p > '9')
				break;
			n = n * 10 + (*p - '0');
		}
		if (*p != '\0' || n > max) {
			snprintf(err, errlen, "\"%s\": the prefix length must "
			    "be 0 to %d", text, max);
			return -1;
		}
		net->prefix = n;
	}
	for (int bit = net->prefix; bit < max; bit++)
		if (net->addr[bit / 8] & (0x80 >> (bit % 8))) {
			snprintf(err, errlen, "\"%s\" has bits set past its "
			    "prefix length", text);
			return -1;
		}
	/* ::ffff:10.0.0.0/104 means 10.0.0.0/8: match it as IPv4. */
	if (net->family == AF_INET6 && net->prefix >= 96 &&
	    memcmp(net->addr, v4_mapped, 12) == 0) {
		memmove(net->addr, net->addr + 12, 4);
		memset(net->addr + 4, 0, 12);
		net->family = AF_INET;
		net->prefix -= 96;
	}
	return 0;
}

int
fetch_nets_parse(const char *list, struct fetch_nets *out, char *err,
    size_t errlen)
{
	const char *s = list;

	memset(out, 0, sizeof(*out));
	if (list == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return 0;
	for (;;) {
		const char *end = strchr(s, ',');
		size_t len;

		if (end == NULL)
			end = s + strlen(s);
		while (*s == ' ' || *s == '\t')
			s++;
		len = (size_t)(end - s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (out->n == FETCH_MAX_NETS) {
			snprintf(err, errlen, "more than %d networks",
			    FETCH_MAX_NETS);
			return -1;
		}
		if (net_parse(s, len, &out->net[out->n], err, errlen) != 0) {
			memset(out, 0, sizeof(*out));
			return -1;
		}
		out->n++;
		if (*end == '\0')
			return 0;
		s = end + 1;
	}
}

/*
 * libcurl's open-socket callback with public_only: the socket, or
 * CURL_SOCKET_BAD (libcurl then tries the next address, or fails) for an
 * address that is not allowed, remembered for the error message.
 */
static curl_socket_t
guard_open(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct guard *g = arg;
	const void *ip;

	(void)purpose;
	if (!fetch_addr_allowed(&a->addr, g->allow)) {
		if (a->family == AF_INET6)
			ip = &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr;
		else
			ip = &((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
		if ((a->family != AF_INET && a->family != AF_INET6) ||
		    inet_ntop(a->family, ip, g->refused,
		    sizeof(g->refused)) == NULL)
			snprintf(g->refused, sizeof(g->refused), "an address");
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/*
 * Hands the answer over: body, content type and final URL in one
 * allocation, so that callers written before the last two existed still
 * free everything with free(body).
 */
static int
take(struct sink *s, CURL *c, struct fetched *out)
{
	char *ct = NULL, *url = NULL, *all;
	size_t ctlen, urllen;

	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url);
	ctlen = ct ? strlen(ct) : 0;
	urllen = url ? strlen(url) : 0;
	if ((all = realloc(s->buf, s->len + ctlen + urllen + 3)) == NULL)
		return -1;
	all[s->len] = '\0';
	memcpy(all + s->len + 1, ct ? ct : "", ctlen + 1);
	memcpy(all + s->len + ctlen + 2, url ? url : "", urllen + 1);
	out->body = all;
	out->len = s->len;
	out->content_type = all + s->len + 1;
	out->url = all + s->len + ctlen + 2;
	s->buf = NULL;
	return 0;
}

int
fetch_url(const struct fetch *f, struct fetched *out, char *err,
    size_t errlen)
{
	struct sink s = {.max = f->max_bytes};
	struct guard g = {.allow = f->allow_nets};
	struct curl_slist *headers = NULL;
	char curl_err[CURL_ERROR_SIZE] = "", accept[256];
	const char *proto = f->allow_http ? "http,https" : "https";
	CURL *c;
	CURLcode rc;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(accept, sizeof(accept), "Accept: %s",
	    f->accept ? f->accept : "application/json");
	headers = curl_slist_append(headers, accept);
	/* No "Expect: 100-continue" wait before a large body. */
	headers = curl_slist_append(headers, "Expect:");
	if (f->json != NULL)
		headers = curl_slist_append(headers,
		    "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, f->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, proto);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, proto);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION,
	    f->follow_redirects ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
	/* Proxies from the environment would hide where we connect. */
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    f->connect_timeout_ms > 0 ? f->connect_timeout_ms : f->timeout_ms);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)f->max_bytes);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Ludus");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	if (f->public_only) {
		curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, guard_open);
		curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &g);
	}
	if (f->json != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, f->json);
	else if (f->form != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, f->form);
	if (f->user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, f->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, f->password);
	} else if (f->bearer != NULL) {
		/* Unlike a header of our own, libcurl drops it when a
		 * redirect leads to another host. */
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, f->bearer);
	}
	rc = curl_easy_perform(c);
	out->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
		if (take(&s, c, out) == 0)
			ret = 0;
		else
			snprintf(err, errlen, "out of memory");
	} else if (rc == CURLE_COULDNT_CONNECT && g.refused[0] != '\0')
		snprintf(err, errlen, "refused: %s is not a public address",
		    g.refused);
	else if (s.over || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, errlen, "the answer is over %zu bytes",
		    f->max_bytes);
	else if (rc == CURLE_TOO_MANY_REDIRECTS)
		snprintf(err, errlen, "more than %d redirects",
		    FETCH_MAX_REDIRECTS);
	else
		snprintf(err, errlen, "%s", curl_err[0] ? curl_err :
		    curl_easy_strerror(rc));
	free(s.buf);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return ret;
}
