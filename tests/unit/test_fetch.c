/*
 * test_fetch.c - the HTTP client (src/http/fetch.h): the allow-list
 * parser and the public-address rule, exhaustively at the edges of every
 * range; then real requests to small servers on 127.0.0.1 and 127.0.0.2
 * (Linux lets a socket bind any address of 127/8) for redirects, the
 * public-only rule across redirects, byte caps, timeouts and headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http/fetch.h"

#include "stub_server.h"

#define OK_REPLY(ct, body) "HTTP/1.1 200 OK\r\nContent-Type: " ct \
	"\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", \
	strlen(body), body

/* ---- the allow-list ---------------------------------------------------- */

static void
nets_parse_good(void **state)
{
	struct fetch_nets n;
	char err[256] = "";
	unsigned char want6[16];

	(void)state;
	assert_int_equal(fetch_nets_parse(NULL, &n, err, sizeof(err)), 0);
	assert_int_equal(n.n, 0);
	assert_int_equal(fetch_nets_parse("", &n, err, sizeof(err)), 0);
	assert_int_equal(n.n, 0);
	assert_int_equal(fetch_nets_parse("  ", &n, err, sizeof(err)), 0);
	assert_int_equal(n.n, 0);
	assert_int_equal(fetch_nets_parse("127.0.0.2/32,10.1.0.0/16", &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n.n, 2);
	assert_int_equal(n.net[0].family, AF_INET);
	assert_int_equal(n.net[0].prefix, 32);
	assert_memory_equal(n.net[0].addr, "\x7f\0\0\x02", 4);
	assert_int_equal(n.net[1].prefix, 16);
	assert_memory_equal(n.net[1].addr, "\x0a\x01\0\0", 4);
	/* Spaces, a bare host, IPv6, /0. */
	assert_int_equal(fetch_nets_parse(" 192.168.1.7 , fd00::/8,\t0.0.0.0/0 ,"
	    "::1", &n, err, sizeof(err)), 0);
	assert_int_equal(n.n, 4);
	assert_int_equal(n.net[0].prefix, 32);
	assert_int_equal(n.net[1].family, AF_INET6);
	assert_int_equal(n.net[1].prefix, 8);
	assert_int_equal(n.net[1].addr[0], 0xfd);
	assert_int_equal(n.net[2].prefix, 0);
	assert_int_equal(n.net[3].family, AF_INET6);
	assert_int_equal(n.net[3].prefix, 128);
	inet_pton(AF_INET6, "::1", want6);
	assert_memory_equal(n.net[3].addr, want6, 16);
	/* An IPv4-mapped network is kept as the IPv4 network it means. */
	assert_int_equal(fetch_nets_parse("::ffff:10.0.0.0/104", &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n.net[0].family, AF_INET);
	assert_int_equal(n.net[0].prefix, 8);
	assert_memory_equal(n.net[0].addr, "\x0a\0\0\0", 4);
}

static void
nets_parse_bad(void **state)
{
	static const struct {
		const char *list, *why;
	} bad[] = {
		{"10.0.0.0/8,", "empty"},
		{",10.0.0.0/8", "empty"},
		{"10.0.0.0/8,,127.0.0.1", "empty"},
		{"10.0.0/8", "not an IP address"},
		{"localhost", "not an IP address"},
		{"10.0.0.256/32", "not an IP address"},
		{"10.0.0.0/33", "0 to 32"},
		{"10.0.0.0/", "0 to 32"},
		{"10.0.0.0/-1", "0 to 32"},
		{"10.0.0.0/8x", "0 to 32"},
		{"10.0.0.0/0008", "0 to 32"},
		{"fd00::/129", "0 to 128"},
		{"10.1.2.3/16", "bits set past"},
		{"10.0.0.1/31", "bits set past"},
		{"fd00::1/64", "bits set past"},
		{"10.0.0.0/8 127.0.0.1", "0 to 32"},
		{"fd00::/8/8", "0 to 128"},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "not a network"},
	};
	struct fetch_nets n;
	char err[256], list[1024];
	size_t len = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (fetch_nets_parse(bad[i].list, &n, err, sizeof(err)) != -1)
			fail_msg("\"%s\" accepted", bad[i].list);
		if (strstr(err, bad[i].why) == NULL)
			fail_msg("\"%s\": \"%s\" lacks \"%s\"", bad[i].list,
			    err, bad[i].why);
		assert_int_equal(n.n, 0);
	}
	/* The entry at fault is named. */
	fetch_nets_parse("127.0.0.1, 10.1.2.3/16", &n, err, sizeof(err));
	assert_non_null(strstr(err, "\"10.1.2.3/16\""));
	/* FETCH_MAX_NETS entries, then one more. */
	for (int i = 0; i < FETCH_MAX_NETS; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
		    "%s10.0.%d.0/24", i ? "," : "", i);
	assert_int_equal(fetch_nets_parse(list, &n, err, sizeof(err)), 0);
	assert_int_equal(n.n, FETCH_MAX_NETS);
	snprintf(list + len, sizeof(list) - len, ",10.9.9.9");
	assert_int_equal(fetch_nets_parse(list, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 32"));
}

/* ---- the public-address rule ------------------------------------------- */

static bool
allowed(const char *ip, const struct fetch_nets *allow)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(ip, ':') != NULL) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, ip, &a->sin6_addr) != 1)
			fail_msg("bad test address %s", ip);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		if (inet_pton(AF_INET, ip, &a->sin_addr) != 1)
			fail_msg("bad test address %s", ip);
	}
	return fetch_addr_allowed((struct sockaddr *)&ss, allow);
}

struct verdict {
	const char *ip;
	bool ok;
};

static void
judge(const struct verdict *v, size_t n, const struct fetch_nets *allow)
{
	for (size_t i = 0; i < n; i++)
		if (allowed(v[i].ip, allow) != v[i].ok)
			fail_msg("%s: %s, should be %s", v[i].ip,
			    v[i].ok ? "refused" : "allowed",
			    v[i].ok ? "allowed" : "refused");
}

#define JUDGE(v, allow) judge((v), sizeof(v) / sizeof((v)[0]), (allow))

static void
ipv4_ranges_and_their_edges(void **state)
{
	/* Each closed range: its first and last address refused, the
	 * addresses just outside allowed (unless closed themselves). */
	static const struct verdict v[] = {
		{"0.0.0.0", false}, {"0.255.255.255", false},
		{"1.0.0.0", true},
		{"9.255.255.255", true}, {"10.0.0.0", false},
		{"10.255.255.255", false}, {"11.0.0.0", true},
		{"100.63.255.255", true}, {"100.64.0.0", false},
		{"100.127.255.255", false}, {"100.128.0.0", true},
		{"126.255.255.255", true}, {"127.0.0.0", false},
		{"127.0.0.1", false}, {"127.0.0.2", false},
		{"127.255.255.255", false}, {"128.0.0.0", true},
		{"169.253.255.255", true}, {"169.254.0.0", false},
		{"169.254.169.254", false}, {"169.254.255.255", false},
		{"169.255.0.0", true},
		{"172.15.255.255", true}, {"172.16.0.0", false},
		{"172.31.255.255", false}, {"172.32.0.0", true},
		{"191.255.255.255", true}, {"192.0.0.0", false},
		{"192.0.0.255", false}, {"192.0.1.0", true},
		{"192.0.1.255", true}, {"192.0.2.0", false},
		{"192.0.2.255", false}, {"192.0.3.0", true},
		{"192.167.255.255", true}, {"192.168.0.0", false},
		{"192.168.255.255", false}, {"192.169.0.0", true},
		{"198.17.255.255", true}, {"198.18.0.0", false},
		{"198.19.255.255", false}, {"198.20.0.0", true},
		{"198.51.99.255", true}, {"198.51.100.0", false},
		{"198.51.100.255", false}, {"198.51.101.0", true},
		{"203.0.112.255", true}, {"203.0.113.0", false},
		{"203.0.113.255", false}, {"203.0.114.0", true},
		{"223.255.255.255", true}, {"224.0.0.0", false},
		{"239.255.255.255", false}, {"240.0.0.0", false},
		{"255.255.255.254", false}, {"255.255.255.255", false},
		{"8.8.8.8", true}, {"1.1.1.1", true}, {"93.184.215.14", true},
	};

	(void)state;
	JUDGE(v, NULL);
}

static void
ipv6_ranges_and_their_edges(void **state)
{
	static const struct verdict v[] = {
		/* Unspecified, loopback, IPv4-compatible: all of ::/96. */
		{"::", false}, {"::1", false}, {"::2", false},
		{"::127.0.0.1", false}, {"::8.8.8.8", false},
		/* IPv4-mapped: judged by the IPv4 address. */
		{"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false},
		{"::ffff:192.168.1.1", false}, {"::ffff:0.0.0.0", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:8.8.8.8", true}, {"::ffff:1.0.0.0", true},
		{"::fffe:8.8.8.8", false}, {"::1:ffff:8.8.8.8", false},
		/* NAT64. */
		{"64:ff9b::8.8.8.8", true}, {"64:ff9b::127.0.0.1", false},
		{"64:ff9b::a00:1", false}, {"64:ff9b:1::8.8.8.8", false},
		/* Unique local, link-local, multicast. */
		{"fc00::", false}, {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		    false}, {"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false},
		{"fe80::1", false}, {"febf:ffff::1", false}, {"fec0::1", false},
		{"ff00::", false}, {"ff02::1", false},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false},
		/* Documentation. */
		{"2001:db8::", false},
		{"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", false},
		{"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", true},
		{"2001:db9::", true},
		{"3fff::1", false}, {"3fff:fff:ffff::1", false},
		{"3fff:1000::1", true},
		/* Teredo and benchmarking. */
		{"2001::1", false}, {"2001:0:ffff::1", false},
		{"2001:1::1", true}, {"2001:2::1", false},
		{"2001:2:0:ffff::1", false}, {"2001:2:1::1", true},
		/* 6to4: judged by the IPv4 address. */
		{"2002:808:808::1", true}, {"2002:7f00:1::1", false},
		{"2002:c0a8:101::1", false},
		/* Global unicast is 2000::/3 only. */
		{"1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false},
		{"2000::", true}, {"3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		    true}, {"4000::", false}, {"100::1", false},
		{"2606:4700:4700::1111", true}, {"2a00:1450:4001::1", true},
	};

	(void)state;
	JUDGE(v, NULL);
}

static void
allow_list_overrides(void **state)
{
	static const struct verdict one_host[] = {
		{"127.0.0.2", true}, {"127.0.0.1", false}, {"127.0.0.3", false},
		{"::ffff:127.0.0.2", true}, {"::ffff:127.0.0.1", false},
		{"64:ff9b::127.0.0.2", true}, {"::1", false},
		{"10.1.0.0", true}, {"10.1.255.255", true},
		{"10.0.255.255", false}, {"10.2.0.0", false},
		{"fd12::1", true}, {"fe80::1", false},
		{"8.8.8.8", true},
	};
	static const struct verdict mapped[] = {
		{"192.168.3.4", true}, {"192.169.0.0", true},
		{"10.0.0.1", false}, {"::ffff:192.168.77.1", true},
	};
	static const struct verdict all_v4[] = {
		{"127.0.0.1", true}, {"255.255.255.255", true},
		{"::ffff:10.0.0.1", true}, {"::1", false}, {"fe80::1", false},
	};
	struct fetch_nets n;
	char err[256];
	struct sockaddr_storage un = {.ss_family = AF_UNIX};

	(void)state;
	assert_int_equal(fetch_nets_parse("127.0.0.2/32, 10.1.0.0/16,fd00::/8",
	    &n, err, sizeof(err)), 0);
	JUDGE(one_host, &n);
	assert_int_equal(fetch_nets_parse("::ffff:192.168.0.0/112", &n, err,
	    sizeof(err)), 0);
	JUDGE(mapped, &n);
	assert_int_equal(fetch_nets_parse("0.0.0.0/0", &n, err, sizeof(err)),
	    0);
	JUDGE(all_v4, &n);
	/* Not an IP address at all. */
	assert_false(fetch_addr_allowed((struct sockaddr *)&un, &n));
	assert_false(fetch_addr_allowed(NULL, &n));
}

/* ---- real requests ----------------------------------------------------- */

struct fixture {
	struct srv *one, *two;	/* on 127.0.0.1 and 127.0.0.2 */
	char url1[64], url2[64];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->one = srv_start("127.0.0.1");
	f->two = srv_start("127.0.0.2");
	snprintf(f->url1, sizeof(f->url1), "http://127.0.0.1:%d/", f->one->port);
	snprintf(f->url2, sizeof(f->url2), "http://127.0.0.2:%d/", f->two->port);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	srv_stop(f->one);
	srv_stop(f->two);
	free(f);
	return 0;
}

static struct fetch
plain(const char *url)
{
	struct fetch f = {.url = url, .allow_http = true, .max_bytes = 4096,
	    .timeout_ms = 5000};

	return f;
}

static void
get_reports_type_and_url(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "";

	srv_push(fx->one, 0, OK_REPLY("text/html; charset=utf-8", "<p>hi</p>"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_int_equal(got.status, 200);
	assert_string_equal(got.body, "<p>hi</p>");
	assert_int_equal(got.len, 9);
	assert_string_equal(got.content_type, "text/html; charset=utf-8");
	assert_string_equal(got.url, fx->url1);
	free(got.body);
	/* GET, our User-Agent, the JSON Accept of old callers. */
	assert_non_null(strstr(srv_request(fx->one, 0), "GET / HTTP/1.1\r\n"));
	assert_non_null(strstr(srv_request(fx->one, 0), "\r\nUser-Agent: Ludus\r\n"));
	assert_non_null(strstr(srv_request(fx->one, 0),
	    "\r\nAccept: application/json\r\n"));
	assert_null(strcasestr(srv_request(fx->one, 0), "Cookie"));
	assert_null(strcasestr(srv_request(fx->one, 0), "Authorization"));

	/* No Content-Type, an empty body, another Accept. */
	srv_push(fx->one, 0, "HTTP/1.1 204 No Content\r\nConnection: close"
	    "\r\n\r\n");
	f.accept = "text/html, text/plain;q=0.9";
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_int_equal(got.status, 204);
	assert_string_equal(got.body, "");
	assert_int_equal(got.len, 0);
	assert_string_equal(got.content_type, "");
	free(got.body);
	assert_non_null(strstr(srv_request(fx->one, 1),
	    "\r\nAccept: text/html, text/plain;q=0.9\r\n"));
}

static void
https_only_by_default(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "";

	f.allow_http = false;
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_non_null(strcasestr(err, "http"));
	assert_null(got.body);
	assert_int_equal(srv_requests(fx->one), 0);
}

static void
json_post_with_bearer(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "", *big = malloc(5000);
	const char *req;

	/* Over 1 KiB: no "Expect: 100-continue" pause either. */
	memset(big, 'x', 4999);
	big[4999] = '\0';
	memcpy(big, "{\"a\":\"", 6);
	memcpy(big + 4997, "\"}", 3);
	f.json = big;
	f.bearer = "tok-123";
	srv_push(fx->one, 0, OK_REPLY("application/json", "{}"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	free(got.body);
	req = srv_request(fx->one, 0);
	assert_non_null(strstr(req, "POST / HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: Bearer tok-123\r\n"));
	assert_null(strcasestr(req, "Expect:"));
	assert_non_null(strstr(req, "\r\n\r\n{\"a\":\"xxx"));
	assert_int_equal(strlen(strstr(req, "\r\n\r\n") + 4), 4999);
	free(big);
}

static void
form_post_with_basic_as_before(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "";
	const char *req;

	f.form = "a=1&b=2";
	f.user = "me";
	f.password = "pw";
	srv_push(fx->one, 0, OK_REPLY("application/json", "{\"ok\":1}"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_string_equal(got.body, "{\"ok\":1}");
	free(got.body);
	req = srv_request(fx->one, 0);
	assert_non_null(strstr(req, "POST / HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: Basic bWU6cHc=\r\n"));
	assert_non_null(strstr(req, "application/x-www-form-urlencoded"));
	assert_non_null(strstr(req, "\r\n\r\na=1&b=2"));
}

static void
public_only_refuses_loopback(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "", url[64];

	f.public_only = true;
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "refused: 127.0.0.1 is not a public address");
	assert_int_equal(srv_requests(fx->one), 0);
	/* Through a name too: every address it resolves to is refused. */
	snprintf(url, sizeof(url), "http://localhost:%d/", fx->one->port);
	f.url = url;
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a public address"));
	assert_int_equal(srv_requests(fx->one), 0);
	/* Proxies from the environment are not a way around it. */
	setenv("http_proxy", fx->url2, 1);
	setenv("ALL_PROXY", fx->url2, 1);
	f.url = fx->url1;
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "refused: 127.0.0.1 is not a public address");
	f.public_only = false;
	srv_push(fx->one, 0, OK_REPLY("text/plain", "direct"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_string_equal(got.body, "direct");
	free(got.body);
	unsetenv("http_proxy");
	unsetenv("ALL_PROXY");
	assert_int_equal(srv_requests(fx->two), 0);
}

static void
allow_list_does_not_cover_redirects_elsewhere(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url2);
	struct fetch_nets nets;
	struct fetched got;
	char err[256] = "";

	assert_int_equal(fetch_nets_parse("127.0.0.2/32", &nets, err,
	    sizeof(err)), 0);
	f.public_only = true;
	f.allow_nets = &nets;
	f.follow_redirects = true;
	srv_push(fx->two, 0, OK_REPLY("text/plain", "allowed"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_string_equal(got.body, "allowed");
	free(got.body);
	/* 127.0.0.2 sends us on to 127.0.0.1: refused at the connect. */
	srv_push(fx->two, 0, "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n", fx->url1);
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "refused: 127.0.0.1 is not a public address");
	assert_int_equal(srv_requests(fx->two), 2);
	assert_int_equal(srv_requests(fx->one), 0);
	/* With both allowed the redirect is followed, and the final URL
	 * reported. */
	assert_int_equal(fetch_nets_parse("127.0.0.0/30", &nets, err,
	    sizeof(err)), 0);
	srv_push(fx->two, 0, "HTTP/1.1 301 Moved\r\nLocation: %sthere\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n", fx->url1);
	srv_push(fx->one, 0, OK_REPLY("text/plain", "there"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_string_equal(got.body, "there");
	assert_non_null(strstr(got.url, "127.0.0.1"));
	assert_non_null(strstr(got.url, "/there"));
	free(got.body);
}

static void
redirects_only_when_asked_and_at_most_five(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "";

	/* Not followed: the 302 is the answer. */
	srv_push(fx->one, 0, "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
	    "Content-Length: 4\r\nConnection: close\r\n\r\nmove", fx->url1);
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_int_equal(got.status, 302);
	assert_string_equal(got.body, "move");
	free(got.body);
	assert_int_equal(srv_requests(fx->one), 1);

	f.follow_redirects = true;
	for (int i = 0; i < FETCH_MAX_REDIRECTS; i++)
		srv_push(fx->one, 0, "HTTP/1.1 302 Found\r\nLocation: %s%d\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n", fx->url1,
		    i);
	srv_push(fx->one, 0, OK_REPLY("text/plain", "end"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_string_equal(got.body, "end");
	free(got.body);
	assert_int_equal(srv_requests(fx->one), 7);

	for (int i = 0; i < FETCH_MAX_REDIRECTS + 1; i++)
		srv_push(fx->one, 0, "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n", fx->url1);
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "more than 5 redirects");
	assert_int_equal(srv_requests(fx->one), 13);
}

static void
redirects_only_to_http(void **state)
{
	static const char *const where[] = {"file:///etc/passwd",
	    "ftp://127.0.0.1/", "gopher://127.0.0.1/", "dict://127.0.0.1/"};
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "";

	f.follow_redirects = true;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		srv_push(fx->one, 0, "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n", where[i]);
		if (fetch_url(&f, &got, err, sizeof(err)) != -1)
			fail_msg("followed to %s", where[i]);
	}
}

static void
byte_cap(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "", body[101];

	memset(body, 'b', 100);
	body[100] = '\0';
	f.max_bytes = 100;
	srv_push(fx->one, 0, OK_REPLY("text/plain", body));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), 0);
	assert_int_equal(got.len, 100);
	free(got.body);
	/* Announced by Content-Length, or found out while reading. */
	f.max_bytes = 99;
	srv_push(fx->one, 0, OK_REPLY("text/plain", body));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "the answer is over 99 bytes");
	srv_push(fx->one, 0, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%s",
	    body);
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_string_equal(err, "the answer is over 99 bytes");
	assert_null(got.body);
}

static void
timeout(void **state)
{
	struct fixture *fx = *state;
	struct fetch f = plain(fx->url1);
	struct fetched got;
	char err[256] = "";

	f.timeout_ms = 300;
	srv_push(fx->one, 3000, OK_REPLY("text/plain", "late"));
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_true(got.timed_out);
	assert_null(got.body);
	/* And nothing else counts as one. */
	f.url = "http://127.0.0.1:1/";
	assert_int_equal(fetch_url(&f, &got, err, sizeof(err)), -1);
	assert_false(got.timed_out);
}

int
main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(nets_parse_good),
		cmocka_unit_test(nets_parse_bad),
		cmocka_unit_test(ipv4_ranges_and_their_edges),
		cmocka_unit_test(ipv6_ranges_and_their_edges),
		cmocka_unit_test(allow_list_overrides),
	};
	const struct CMUnitTest io[] = {
		cmocka_unit_test_setup_teardown(get_reports_type_and_url, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(https_only_by_default, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(json_post_with_bearer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(form_post_with_basic_as_before,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(public_only_refuses_loopback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    allow_list_does_not_cover_redirects_elsewhere, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    redirects_only_when_asked_and_at_most_five, setup, teardown),
		cmocka_unit_test_setup_teardown(redirects_only_to_http, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(byte_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(timeout, setup, teardown),
	};
	int failed;

	if (fetch_init() != 0)
		return 1;
	failed = cmocka_run_group_tests_name("pure", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("io", io, NULL, NULL);
	curl_global_cleanup();
	return failed;
}
