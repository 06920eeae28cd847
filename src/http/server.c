/*
 * server.c - libmicrohttpd glue: request lifecycle, access log, metrics and
 * graceful shutdown.
 *
 * libmicrohttpd calls on_request() several times per request: first with
 * the headers only, then with each piece of the body, then once more with
 * no data.  We answer on that last call; answering on the first would make
 * libmicrohttpd 0.9.75 drop keep-alive.  The exceptions are a body that is
 * announced too large and a body whose length is ambiguous (framing.h): we
 * refuse those at once rather than read them, and the connection closes.
 *
 * With cfg->metrics_addr, a second daemon serves /metrics alone on that
 * address; it shares the route table, the statistics and the connection
 * table (conntrack.h) with the main one.
 *
 * Stopping never calls MHD_quiesce_daemon(): in 0.9.75, with epoll and a
 * thread pool, it takes the listening socket out of each worker's epoll set
 * from the calling thread while the worker may be taking it out itself, and
 * the loser aborts the process ("Failed to remove listen FD from epoll set",
 * daemon.c:5531 in MHD_quiesce_daemon, or the worker's own check in
 * MHD_epoll; neither reads the other's flags under a lock).  Nor can the
 * listening socket be shut down while the workers poll it: it then reports
 * EPOLLHUP for ever and every worker spins until MHD_stop_daemon().  So a
 * drain is ours: the accept policy closes every new connection at once,
 * unread, answers in the meantime say "Connection: close", and
 * MHD_stop_daemon() comes when the requests in flight are done; it closes
 * the listening socket, and new connections are refused from then on.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/log.h"
#include "core/util.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/conntrack.h"
#include "http/framing.h"
#include "http/live.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/static.h"

/* Upper bounds of the latency histogram, in microseconds. */
static const int64_t bucket_us[] = {
	1000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
	2500000,
};
#define NBUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))

/* How much of an oversized chunked body is read and dropped at most. */
#define DISCARD_MAX (16u << 20)

struct route_stats {
	atomic_uint_fast64_t by_class[6]; /* [k] counts kxx answers */
	atomic_uint_fast64_t buckets[NBUCKETS + 1];
	atomic_uint_fast64_t sum_us;
};

struct server {
	const struct config *cfg;
	const struct route *routes;
	size_t nroutes;
	struct route_stats *stats; /* nroutes + 1: the last is "unmatched" */
	atomic_int in_flight;
	atomic_bool draining; /* stopping: no new connections, no keep-alive */
};

/* What on_request() and on_completed() get: the server, and which daemon. */
struct listener {
	struct server *s;
	bool metrics_only; /* the LUDUS_METRICS_ADDR listener */
};

static struct server *the_server;
/* The listener of the request this thread is serving. */
static _Thread_local const struct listener *current_listener;

bool
server_valid_request_id(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++) {
		char c = s[n];

		if (n == 64 || !((c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.'))
			return false;
	}
	return n > 0;
}

static struct req *
req_new(struct server *s, struct MHD_Connection *conn, const char *method,
    const char *url)
{
	struct req *r = xcalloc(1, sizeof(*r));
	const char *given;

	r->arena = arena_new();
	r->cfg = s->cfg;
	r->conn = conn;
	/* Decoded from %XX, the path may hold any byte: problems and log
	 * lines quote it, so it is made valid UTF-8 here, once. */
	r->method = util_utf8_sanitize(arena_strdup(r->arena, method));
	r->path = util_utf8_sanitize(arena_strdup(r->arena, url));
	r->start_us = util_now_us();
	r->route_index = -1;
	given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "X-Request-Id");
	if (given != NULL && server_valid_request_id(given)) {
		snprintf(r->id, sizeof(r->id), "%s", given);
	} else {
		unsigned char raw[16];

		util_random(raw, sizeof(raw));
		util_hex(raw, sizeof(raw), r->id);
	}
	return r;
}

static void
req_free(struct req *r)
{
	json_decref(r->json);
	free(r->body);
	free(r->resp_body);
	arena_free(r->arena);
	free(r);
}

static bool
has_header(const struct req *r, const char *name)
{
	for (const struct resp_header *h = r->headers; h; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return true;
	return false;
}

static enum MHD_Result
send_response(struct server *s, struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->status == 0)
		resp_problem(r, 500, "internal", "The request could not be "
		    "answered.");
	if (r->live != NULL && (resp = live_response(r)) != NULL) {
		/* an event stream */
	} else {
		resp = MHD_create_response_from_buffer(r->resp_len,
		    r->resp_body, MHD_RESPMEM_MUST_FREE);
		r->resp_body = NULL; /* libmicrohttpd frees it now */
	}
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->resp_type);
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (!has_header(r, "Cache-Control"))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	for (const struct resp_header *h = r->headers; h; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
	/* While draining, a kept-alive connection ends with this answer. */
	if (atomic_load(&s->draining) && !has_header(r, "Connection"))
		MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	r->queued = true;
	return ret;
}

static void
refuse_too_large(struct req *r)
{
	resp_problem(r, 413, "body-too-large", "The request body is larger "
	    "than the limit of %zu bytes.", r->body_limit);
}

/*
 * The largest body r may have: its route's, found before the body is
 * read (dispatch matches it again, the same way).
 */
static size_t
body_limit(struct server *s, struct req *r)
{
	struct route_match m;

	if (router_match(s->routes, s->nroutes, r->method, r->path, &m) ==
	    ROUTER_FOUND && (m.route->flags & ROUTE_UPLOAD))
		return (size_t)s->cfg->max_upload_bytes;
	return (size_t)s->cfg->max_body_bytes;
}

/* Routes r and runs its handler; the response is left in r. */
static void
dispatch(struct server *s, const struct listener *l, struct req *r)
{
	int rc = router_match(s->routes, s->nroutes, r->method, r->path,
	    &r->match);

	if (l->metrics_only && strcmp(r->path, "/metrics") != 0) {
		r->match.route = NULL;
		resp_problem(r, 404, "not-found", "This address serves /metrics "
		    "alone.");
		return;
	}
	if (rc == ROUTER_NOT_FOUND) {
		if (static_serve(r))
			return;
		resp_problem(r, 404, "not-found", "No resource lives at %s.",
		    r->path);
		return;
	}
	if (rc == ROUTER_BAD_METHOD) {
		resp_header(r, "Allow", r->match.allow);
		resp_problem(r, 405, "method-not-allowed", "%s is not allowed "
		    "on %s; allowed: %s.", r->method, r->path, r->match.allow);
		return;
	}
	r->route_index = (int)(r->match.route - s->routes);
	if (!(r->match.route->flags & ROUTE_PUBLIC) && !auth_request(r))
		return;
	if (r->match.route->flags & ROUTE_JSON_BODY) {
		char detail[256];

		if (!body_is_json(req_header(r, "Content-Type"))) {
			resp_problem(r, 415, "unsupported-media-type",
			    "The request body must be application/json.");
			return;
		}
		if (body_parse_json(r->body ? r->body : "", r->body_len,
		    &r->json, detail, sizeof(detail)) != 0) {
			resp_problem(r, 400, "malformed-json", "%s", detail);
			return;
		}
	}
	r->match.route->handler(r);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	const struct listener *l = cls;
	struct server *s = l->s;
	struct req *r = *ctx;
	enum MHD_Result ret;

	if (r == NULL) {
		const char *cl, *bad;

		conntrack_headers_done(conn);
		r = req_new(s, conn, method, url);
		*ctx = r;
		atomic_fetch_add(&s->in_flight, 1);
		bad = framing_problem(conn, version);
		if (bad != NULL) {
			/* Answered before the body is read; nothing after
			 * these headers on this connection is read either. */
			resp_header(r, "Connection", "close");
			resp_problem(r, 400, "ambiguous-framing", "%s", bad);
			return send_response(s, r);
		}
		r->body_limit = body_limit(s, r);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    "Content-Length");
		if (cl != NULL && strtoull(cl, NULL, 10) >
		    (unsigned long long)r->body_limit) {
			/* Answer before reading: the connection then closes. */
			refuse_too_large(r);
			return send_response(s, r);
		}
		return MHD_YES;
	}
	if (*upload_size != 0) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (r->queued)
			return MHD_YES;
		if (r->too_large || r->body_len + n > r->body_limit) {
			/*
			 * A chunked body grew past the limit.  libmicrohttpd
			 * cannot answer in the middle of an upload, so the rest
			 * is read and dropped, and 413 goes out at the end; a
			 * client that keeps sending is cut off.
			 */
			r->too_large = true;
			r->discarded += n;
			return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
		}
		if (r->body_len + n + 1 > r->body_cap) {
			r->body_cap = (r->body_len + n + 1) * 2;
			r->body = xrealloc(r->body, r->body_cap);
		}
		memcpy(r->body + r->body_len, upload, n);
		r->body_len += n;
		r->body[r->body_len] = '\0';
		return MHD_YES;
	}
	if (r->queued)
		return MHD_YES;
	log_set_request_id(r->id);
	current_listener = l;
	if (r->too_large)
		refuse_too_large(r);
	else
		dispatch(s, l, r);
	current_listener = NULL;
	ret = send_response(s, r);
	log_set_request_id(NULL);
	return ret;
}

static void
record(struct server *s, const struct req *r, int64_t us)
{
	size_t idx = r->route_index >= 0 ? (size_t)r->route_index : s->nroutes;
	struct route_stats *st = &s->stats[idx];
	size_t b = 0;
	int cls = r->status / 100;

	if (cls >= 1 && cls <= 5)
		atomic_fetch_add(&st->by_class[cls], 1);
	while (b < NBUCKETS && us > bucket_us[b])
		b++;
	atomic_fetch_add(&st->buckets[b], 1);
	atomic_fetch_add(&st->sum_us, (uint_fast64_t)us);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	const struct listener *l = cls;
	struct server *s = l->s;
	struct req *r = *ctx;
	int64_t us;
	json_t *f;

	conntrack_request_done(conn);
	if (r == NULL)
		return;
	*ctx = NULL;
	us = util_now_us() - r->start_us;
	record(s, r, us);
	f = json_pack("{s:s, s:s, s:s, s:i, s:I, s:f, s:s}", "request_id",
	    r->id, "method", r->method, "path", r->path, "status", r->status,
	    "bytes", (json_int_t)r->resp_len, "duration_ms", (double)us / 1000.0,
	    "remote", req_client_ip(r));
	if (r->match.route != NULL)
		json_object_set_new(f, "route",
		    json_string(r->match.route->pattern));
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		json_object_set_new(f, "aborted", json_true());
	log_write(LOG_INFO, "request", f);
	req_free(r);
	atomic_fetch_sub(&s->in_flight, 1);
}

/*
 * The daemons' accept policy: while draining, every new connection is
 * closed at once, before a byte of it is read; else the per-address limit.
 */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	const struct listener *l = cls;

	if (atomic_load(&l->s->draining))
		return MHD_NO;
	return conntrack_accept(NULL, addr, addrlen);
}

/* libmicrohttpd's message when it refuses a connection at its limit. */
#define AT_LIMIT "Server reached connection limit"
/* At most this many libmicrohttpd lines a second reach the log. */
#define MHD_LOG_PER_SECOND 10

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int64_t window;
	static int lines, dropped;
	char buf[512];
	size_t n;
	int64_t now = util_now_us() / 1000000;
	int skipped = 0;

	(void)cls;
	if (strncmp(fmt, AT_LIMIT, strlen(AT_LIMIT)) == 0) {
		/* Counted, and logged once a second by conntrack. */
		conntrack_note_total_limit();
		return;
	}
	/* Under attack, libmicrohttpd may say the same thing thousands of
	 * times a second: keep the log readable. */
	pthread_mutex_lock(&lock);
	if (now != window) {
		window = now;
		lines = 0;
		skipped = dropped;
		dropped = 0;
	}
	if (++lines > MHD_LOG_PER_SECOND) {
		dropped++;
		pthread_mutex_unlock(&lock);
		return;
	}
	pthread_mutex_unlock(&lock);
	if (skipped > 0)
		log_write(LOG_WARN, "libmicrohttpd", json_pack("{s:s, s:i}",
		    "detail", "messages suppressed", "count", skipped));
	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	log_write(LOG_WARN, "libmicrohttpd", json_pack("{s:s}", "detail", buf));
}

void
server_metrics(FILE *f)
{
	struct server *s = the_server;

	if (s == NULL)
		return;
	fprintf(f, "# HELP ludus_http_requests_total HTTP requests answered, "
	    "by route and status class.\n# TYPE ludus_http_requests_total "
	    "counter\n");
	for (size_t i = 0; i <= s->nroutes; i++) {
		const char *m = i < s->nroutes ? s->routes[i].method : "";
		const char *p = i < s->nroutes ? s->routes[i].pattern :
		    "unmatched";

		for (int c = 1; c <= 5; c++) {
			uint_fast64_t v = atomic_load(&s->stats[i].by_class[c]);
			if (v)
				fprintf(f, "ludus_http_requests_total{method="
				    "\"%s\",route=\"%s\",code=\"%dxx\"} %lu\n",
				    m, p, c, (unsigned long)v);
		}
	}
	fprintf(f, "# HELP ludus_http_request_duration_seconds Time from "
	    "request headers to completion.\n# TYPE "
	    "ludus_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= s->nroutes; i++) {
		const char *m = i < s->nroutes ? s->routes[i].method : "";
		const char *p = i < s->nroutes ? s->routes[i].pattern :
		    "unmatched";
		uint_fast64_t cum = 0;

		for (size_t b = 0; b <= NBUCKETS; b++)
			cum += atomic_load(&s->stats[i].buckets[b]);
		if (cum == 0)
			continue;
		cum = 0;
		for (size_t b = 0; b <= NBUCKETS; b++) {
			cum += atomic_load(&s->stats[i].buckets[b]);
			if (b < NBUCKETS)
				fprintf(f, "ludus_http_request_duration_seconds"
				    "_bucket{method=\"%s\",route=\"%s\",le="
				    "\"%g\"} %lu\n", m, p,
				    (double)bucket_us[b] / 1e6,
				    (unsigned long)cum);
			else
				fprintf(f, "ludus_http_request_duration_seconds"
				    "_bucket{method=\"%s\",route=\"%s\",le="
				    "\"+Inf\"} %lu\n", m, p,
				    (unsigned long)cum);
		}
		fprintf(f, "ludus_http_request_duration_seconds_sum{method="
		    "\"%s\",route=\"%s\"} %g\n", m, p,
		    (double)atomic_load(&s->stats[i].sum_us) / 1e6);
		fprintf(f, "ludus_http_request_duration_seconds_count{method="
		    "\"%s\",route=\"%s\"} %lu\n", m, p, (unsigned long)cum);
	}
	fprintf(f, "# HELP ludus_http_requests_in_flight Requests being "
	    "served.\n# TYPE ludus_http_requests_in_flight gauge\n"
	    "ludus_http_requests_in_flight %d\n", atomic_load(&s->in_flight));
	conntrack_metrics(f);
}

bool
server_on_metrics_listener(void)
{
	return current_listener != NULL && current_listener->metrics_only;
}

static int
make_addr(const char *host, int port, struct sockaddr_storage *ss,
    unsigned *flags)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*flags |= MHD_USE_IPv6;
		return 0;
	}
	return -1;
}

/*
 * Each connection is a file descriptor: raise the soft limit so that
 * max_connections can all be open, if the hard limit lets us.
 */
static void
raise_fd_limit(const struct config *cfg)
{
	rlim_t want = (rlim_t)cfg->max_connections +
	    (rlim_t)cfg->workers * 4 + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ?
	    rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want)
		log_write(LOG_WARN, "too few file descriptors", json_pack(
		    "{s:I, s:I, s:s}", "limit", (json_int_t)rl.rlim_cur,
		    "wanted", (json_int_t)want, "hint", "raise the open files "
		    "limit (ulimit -n) or lower --max-connections"));
}

static struct MHD_Daemon *
start_daemon(const struct config *cfg, struct listener *l, const char *host,
    int port, unsigned threads, unsigned limit)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_Daemon *d;

	if (make_addr(host, port, &ss, &flags) != 0) {
		log_printf(LOG_ERROR, "cannot listen on '%s': not an IPv4 or "
		    "IPv6 address", host);
		return NULL;
	}
	d = MHD_start_daemon(flags, 0, on_accept, l, on_request, l,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout_s,
	    MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, l,
	    MHD_OPTION_NOTIFY_CONNECTION, conntrack_notify, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_END);
	if (d == NULL)
		log_write(LOG_ERROR, "cannot start the HTTP server", json_pack(
		    "{s:s, s:i, s:s}", "listen", host, "port", port, "reason",
		    strerror(errno)));
	return d;
}

/* Says at start who may read /metrics, and warns when anyone may. */
static void
log_metrics_access(const struct config *cfg)
{
	const char *how = cfg->metrics_token != NULL ?
	    "with the bearer token" : cfg->metrics_addr != NULL ?
	    "to anyone who reaches its address" :
	    "to loopback clients not relayed by a proxy";

	log_write(cfg->metrics_token == NULL && cfg->metrics_addr != NULL &&
	    strncmp(cfg->metrics_addr, "127.", 4) != 0 &&
	    strncmp(cfg->metrics_addr, "[::1]", 5) != 0 ? LOG_WARN : LOG_INFO,
	    "metrics", json_pack("{s:s, s:s}", "listen", cfg->metrics_addr ?
	    cfg->metrics_addr : "main", "access", how));
}

void
server_block_signals(sigset_t *set)
{
	sigset_t own;

	if (set == NULL)
		set = &own;
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

int
server_run(const struct config *cfg, const struct route *routes,
    size_t nroutes)
{
	struct server s = {.cfg = cfg, .routes = routes, .nroutes = nroutes};
	struct listener main_l = {.s = &s}, metrics_l = {.s = &s,
	    .metrics_only = true};
	struct MHD_Daemon *d, *md = NULL;
	sigset_t set;
	int sig = 0;
	int64_t deadline;

	if (cfg->max_connections < cfg->workers) {
		log_printf(LOG_ERROR, "max-connections (%d) must be at least "
		    "the number of workers (%d)", cfg->max_connections,
		    cfg->workers);
		return 1;
	}
	server_block_signals(&set);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit(cfg);

	s.stats = xcalloc(nroutes + 1, sizeof(*s.stats));
	atomic_init(&s.in_flight, 0);
	atomic_init(&s.draining, false);
	the_server = &s;
	if (conntrack_start(cfg) != 0) {
		log_printf(LOG_ERROR, "cannot start the connection reaper");
		goto fail;
	}
	/* The metrics listener first: once the main one answers, both do. */
	if (cfg->metrics_addr != NULL) {
		char host[INET6_ADDRSTRLEN];
		int port = 0;

		/* Checked when the configuration was read. */
		config_parse_hostport(cfg->metrics_addr, host, sizeof(host),
		    &port);
		md = start_daemon(cfg, &metrics_l, host, port, 1, 64);
		if (md == NULL)
			goto fail;
	}
	d = start_daemon(cfg, &main_l, cfg->listen, cfg->port,
	    (unsigned)cfg->workers, (unsigned)cfg->max_connections);
	if (d == NULL) {
		if (md != NULL)
			MHD_stop_daemon(md);
		goto fail;
	}
	log_write(LOG_INFO, "listening", json_pack("{s:s, s:i, s:i, s:i, s:i, "
	    "s:i}", "listen", cfg->listen, "port", cfg->port, "workers",
	    cfg->workers, "max_connections", cfg->max_connections,
	    "max_connections_per_ip", cfg->trust_proxy ? 0 :
	    cfg->max_connections_per_ip, "header_timeout_s",
	    cfg->header_timeout_s));
	log_metrics_access(cfg);
	if (live_start(cfg) != 0)
		log_printf(LOG_WARN, "live updates are off: cannot start their "
		    "listener");

	while (sigwait(&set, &sig) != 0)
		;
	log_write(LOG_INFO, "shutting down", json_pack("{s:s, s:i}", "signal",
	    sig == SIGINT ? "SIGINT" : "SIGTERM", "in_flight",
	    atomic_load(&s.in_flight)));
	atomic_store(&s.draining, true);
	/* Live streams end now; their clients will come back elsewhere. */
	live_drain();
	deadline = util_now_us() + (int64_t)cfg->shutdown_timeout_s * 1000000;
	while (atomic_load(&s.in_flight) > 0 && util_now_us() < deadline)
		usleep(5000);
	if (atomic_load(&s.in_flight) > 0)
		log_printf(LOG_WARN, "shutdown timeout: abandoning %d requests",
		    atomic_load(&s.in_flight));
	live_drain();
	MHD_stop_daemon(d);
	if (md != NULL)
		MHD_stop_daemon(md);
	live_stop();
	conntrack_stop();
	the_server = NULL;
	free(s.stats);
	return 0;

fail:
	conntrack_stop();
	the_server = NULL;
	free(s.stats);
	return 1;
}
