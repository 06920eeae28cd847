/*
 * conntrack.c - the table of open connections, the per-address limit and
 * the header deadline (see conntrack.h for why).
 *
 * One mutex guards the list of connections and the counts per address.
 * libmicrohttpd 0.9.75 calls the "started" notification in the worker that
 * owns the connection, before the socket joins its event loop, and the
 * "closed" notification before it closes the socket, on every path
 * (daemon.c: new_connection_process_, MHD_cleanup_connections).  So a
 * socket found in the list under the mutex is open, and shutdown() on it
 * only makes libmicrohttpd read the end of the stream.
 *
 * On a kept-alive connection, the time between two requests is governed by
 * the idle timeout (cfg->connection_timeout_s), not by the header deadline:
 * the next request's deadline starts when its first bytes are seen, which
 * the reaper learns from the kernel's count of bytes received on the socket
 * (TCP_INFO), about once a second.
 */
#include "http/conntrack.h"

#include <arpa/inet.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/util.h"

#define TICK_MS 250
#define IDLE_CHECK_TICKS 4 /* kept-alive sockets are looked at every 1 s */
#define LOG_TICKS 4        /* at most one log line a second */
#define NBUCKETS 1024

struct ipkey {
	int family;
	unsigned char addr[16];
};

struct ipcount {
	struct ipkey key;
	int n;
	struct ipcount *next;
};

enum phase {
	READING, /* waiting for a request's headers: the deadline runs */
	BUSY,    /* headers in: body, handler and response */
	IDLE,    /* kept alive between two requests */
	CLOSING, /* shut down by us; libmicrohttpd closes it soon */
};

struct entry {
	struct entry *prev, *next;
	MHD_socket fd;
	struct ipkey key;
	bool counted; /* in the counts per address */
	enum phase phase;
	int64_t since_us; /* READING: since when; IDLE: since when */
	bool rx_marked;   /* IDLE: rx_mark is set */
	uint64_t rx_mark; /* IDLE: bytes received when first looked at */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t reaper;
	bool running, stopping;

	int per_ip;          /* 0: no limit */
	int64_t deadline_us; /* 0: no header deadline */
	int max_connections;

	struct entry *head;
	struct ipcount *buckets[NBUCKETS];
	char last_refused[INET6_ADDRSTRLEN];
	char last_timeout[INET6_ADDRSTRLEN];

	atomic_int open;
	atomic_uint_fast64_t refused_per_ip, refused_total, header_timeouts,
	    total_reached;
} ct = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* ---- addresses ---------------------------------------------------------- */

/* The key of an address; an IPv4-mapped IPv6 address counts as IPv4. */
static bool
key_of(const struct sockaddr *sa, struct ipkey *k)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff};

	memset(k, 0, sizeof(*k));
	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const void *)sa;

		k->family = AF_INET;
		memcpy(k->addr, &v4->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const void *)sa;
		const unsigned char *a = v6->sin6_addr.s6_addr;

		if (memcmp(a, mapped, sizeof(mapped)) == 0) {
			k->family = AF_INET;
			memcpy(k->addr, a + 12, 4);
		} else {
			k->family = AF_INET6;
			memcpy(k->addr, a, 16);
		}
		return true;
	}
	return false;
}

static void
key_text(const struct ipkey *k, char out[INET6_ADDRSTRLEN])
{
	if (k->family == 0 || inet_ntop(k->family, k->addr, out,
	    INET6_ADDRSTRLEN) == NULL)
		strcpy(out, "?");
}

static struct ipcount **
bucket(const struct ipkey *k)
{
	uint32_t h = 2166136261u;

	h = (h ^ (uint32_t)k->family) * 16777619u;
	for (size_t i = 0; i < sizeof(k->addr); i++)
		h = (h ^ k->addr[i]) * 16777619u;
	return &ct.buckets[h % NBUCKETS];
}

/* The open connections of an address.  With ct.lock held. */
static int
ip_count(const struct ipkey *k)
{
	for (struct ipcount *c = *bucket(k); c; c = c->next)
		if (memcmp(&c->key, k, sizeof(*k)) == 0)
			return c->n;
	return 0;
}

/* Counts one more connection of k; returns its count.  With ct.lock. */
static int
ip_add(const struct ipkey *k)
{
	struct ipcount **b = bucket(k);
	struct ipcount *c;

	for (c = *b; c; c = c->next)
		if (memcmp(&c->key, k, sizeof(*k)) == 0)
			return ++c->n;
	c = xcalloc(1, sizeof(*c));
	c->key = *k;
	c->n = 1;
	c->next = *b;
	*b = c;
	return 1;
}

static void
ip_del(const struct ipkey *k)
{
	for (struct ipcount **p = bucket(k); *p; p = &(*p)->next) {
		struct ipcount *c = *p;

		if (memcmp(&c->key, k, sizeof(*k)) != 0)
			continue;
		if (--c->n == 0) {
			*p = c->next;
			free(c);
		}
		return;
	}
}

/* ---- the libmicrohttpd callbacks --------------------------------------- */

enum MHD_Result
conntrack_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct ipkey k;
	bool refuse;

	(void)cls;
	(void)addrlen;
	if (ct.per_ip == 0 || !key_of(addr, &k))
		return MHD_YES;
	/*
	 * Concurrent accepts of one address in several workers may all pass
	 * here; the "started" notification counts them exactly.
	 */
	pthread_mutex_lock(&ct.lock);
	refuse = ip_count(&k) >= ct.per_ip;
	if (refuse)
		key_text(&k, ct.last_refused);
	pthread_mutex_unlock(&ct.lock);
	if (!refuse)
		return MHD_YES;
	atomic_fetch_add(&ct.refused_per_ip, 1);
	return MHD_NO;
}

static struct entry *
entry_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

static void
started(struct MHD_Connection *conn, void **socket_context)
{
	struct entry *e = xcalloc(1, sizeof(*e));
	const union MHD_ConnectionInfo *ci;
	bool over = false;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	e->fd = ci != NULL ? ci->connect_fd : MHD_INVALID_SOCKET;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	key_of(ci != NULL ? ci->client_addr : NULL, &e->key);
	e->phase = READING;
	e->since_us = util_now_us();

	pthread_mutex_lock(&ct.lock);
	e->next = ct.head;
	if (ct.head != NULL)
		ct.head->prev = e;
	ct.head = e;
	if (ct.per_ip > 0 && e->key.family != 0) {
		e->counted = true;
		over = ip_add(&e->key) > ct.per_ip;
	}
	if (over) {
		/* Several accepts raced past conntrack_accept(). */
		key_text(&e->key, ct.last_refused);
		e->phase = CLOSING;
		if (e->fd != MHD_INVALID_SOCKET)
			shutdown(e->fd, SHUT_RDWR);
	}
	if (atomic_fetch_add(&ct.open, 1) + 1 >= ct.max_connections)
		atomic_fetch_add(&ct.total_reached, 1);
	pthread_mutex_unlock(&ct.lock);
	if (over)
		atomic_fetch_add(&ct.refused_per_ip, 1);
	*socket_context = e;
}

static void
closed(void **socket_context)
{
	struct entry *e = *socket_context;

	if (e == NULL)
		return;
	pthread_mutex_lock(&ct.lock);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		ct.head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	if (e->counted)
		ip_del(&e->key);
	atomic_fetch_sub(&ct.open, 1);
	pthread_mutex_unlock(&ct.lock);
	free(e);
	*socket_context = NULL;
}

void
conntrack_notify(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		started(conn, socket_context);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		closed(socket_context);
}

void
conntrack_headers_done(struct MHD_Connection *conn)
{
	struct entry *e = entry_of(conn);

	if (e == NULL)
		return;
	pthread_mutex_lock(&ct.lock);
	if (e->phase != CLOSING)
		e->phase = BUSY;
	pthread_mutex_unlock(&ct.lock);
}

void
conntrack_request_done(struct MHD_Connection *conn)
{
	struct entry *e = entry_of(conn);

	if (e == NULL)
		return;
	pthread_mutex_lock(&ct.lock);
	if (e->phase != CLOSING) {
		e->phase = IDLE;
		e->since_us = util_now_us();
		e->rx_marked = false;
	}
	pthread_mutex_unlock(&ct.lock);
}

void
conntrack_note_total_limit(void)
{
	atomic_fetch_add(&ct.refused_total, 1);
}

/* ---- the reaper --------------------------------------------------------- */

/* Bytes the kernel has received on fd, or false when it cannot say. */
static bool
bytes_received(MHD_socket fd, uint64_t *out)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_received) +
	    sizeof(ti.tcpi_bytes_received))
		return false;
	*out = ti.tcpi_bytes_received;
	return true;
}

/* One pass over the connections.  With ct.lock held. */
static void
reap(bool check_idle)
{
	int64_t now = util_now_us();

	for (struct entry *e = ct.head; e != NULL; e = e->next) {
		uint64_t rx;

		if (e->fd == MHD_INVALID_SOCKET)
			continue;
		if (e->phase == IDLE && check_idle &&
		    bytes_received(e->fd, &rx)) {
			if (!e->rx_marked) {
				e->rx_mark = rx;
				e->rx_marked = true;
			} else if (rx != e->rx_mark) {
				/* The next request has begun to arrive. */
				e->phase = READING;
				e->since_us = now;
			}
		}
		if (e->phase == READING && now - e->since_us > ct.deadline_us) {
			e->phase = CLOSING;
			shutdown(e->fd, SHUT_RDWR);
			key_text(&e->key, ct.last_timeout);
			atomic_fetch_add(&ct.header_timeouts, 1);
		}
	}
}

/* Logs what was refused or closed since the last line, if anything. */
static void
log_hits(uint_fast64_t seen[4])
{
	uint_fast64_t now[4] = {
		atomic_load(&ct.refused_per_ip), atomic_load(&ct.refused_total),
		atomic_load(&ct.header_timeouts), atomic_load(&ct.total_reached),
	};
	json_t *f;

	if (memcmp(now, seen, sizeof(now)) == 0)
		return;
	f = json_pack("{s:I, s:I, s:I, s:I, s:i, s:i, s:i}",
	    "refused_per_ip", (json_int_t)(now[0] - seen[0]),
	    "refused_at_total_limit", (json_int_t)(now[1] - seen[1]),
	    "header_timeouts", (json_int_t)(now[2] - seen[2]),
	    "total_limit_reached", (json_int_t)(now[3] - seen[3]),
	    "open", atomic_load(&ct.open), "max_connections",
	    ct.max_connections, "max_connections_per_ip", ct.per_ip);
	pthread_mutex_lock(&ct.lock);
	if (now[0] != seen[0])
		json_object_set_new(f, "last_refused_address",
		    json_string(ct.last_refused));
	if (now[2] != seen[2])
		json_object_set_new(f, "last_timeout_address",
		    json_string(ct.last_timeout));
	pthread_mutex_unlock(&ct.lock);
	log_write(LOG_WARN, "connection limits hit", f);
	memcpy(seen, now, sizeof(now));
}

static void *
reaper_main(void *arg)
{
	uint_fast64_t seen[4] = {0, 0, 0, 0};
	struct timespec ts;
	unsigned tick = 0;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	pthread_mutex_lock(&ct.lock);
	while (!ct.stopping) {
		ts.tv_nsec += TICK_MS * 1000000L;
		while (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ct.wake, &ct.lock, &ts);
		if (ct.stopping)
			break;
		tick++;
		if (ct.deadline_us > 0)
			reap(tick % IDLE_CHECK_TICKS == 0);
		if (tick % LOG_TICKS == 0) {
			pthread_mutex_unlock(&ct.lock);
			log_hits(seen);
			pthread_mutex_lock(&ct.lock);
		}
	}
	pthread_mutex_unlock(&ct.lock);
	log_hits(seen);
	return NULL;
}

int
conntrack_start(const struct config *cfg)
{
	pthread_condattr_t ca;

	ct.per_ip = cfg->trust_proxy ? 0 : cfg->max_connections_per_ip;
	ct.deadline_us = (int64_t)cfg->header_timeout_s * 1000000;
	ct.max_connections = cfg->max_connections;
	ct.stopping = false;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ct.wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&ct.reaper, NULL, reaper_main, NULL) != 0) {
		pthread_cond_destroy(&ct.wake);
		return -1;
	}
	ct.running = true;
	return 0;
}

void
conntrack_stop(void)
{
	if (!ct.running)
		return;
	pthread_mutex_lock(&ct.lock);
	ct.stopping = true;
	pthread_cond_signal(&ct.wake);
	pthread_mutex_unlock(&ct.lock);
	pthread_join(ct.reaper, NULL);
	pthread_cond_destroy(&ct.wake);
	ct.running = false;
	/* Every daemon has stopped: every connection has been closed. */
	for (size_t i = 0; i < NBUCKETS; i++) {
		while (ct.buckets[i] != NULL) {
			struct ipcount *c = ct.buckets[i];

			ct.buckets[i] = c->next;
			free(c);
		}
	}
}

void
conntrack_metrics(FILE *f)
{
	fprintf(f, "# HELP ludus_http_connections_open Open HTTP "
	    "connections.\n# TYPE ludus_http_connections_open gauge\n"
	    "ludus_http_connections_open %d\n"
	    "# HELP ludus_http_connections_refused_total Connections closed "
	    "at once by a limit: per client address, or the total.\n"
	    "# TYPE ludus_http_connections_refused_total counter\n"
	    "ludus_http_connections_refused_total{limit=\"per_ip\"} %lu\n"
	    "ludus_http_connections_refused_total{limit=\"total\"} %lu\n"
	    "# HELP ludus_http_header_timeouts_total Connections closed "
	    "because a request's headers did not arrive in time.\n"
	    "# TYPE ludus_http_header_timeouts_total counter\n"
	    "ludus_http_header_timeouts_total %lu\n"
	    "# HELP ludus_http_connection_limit_reached_total Connections "
	    "that took the last free slot of the total limit.\n"
	    "# TYPE ludus_http_connection_limit_reached_total counter\n"
	    "ludus_http_connection_limit_reached_total %lu\n",
	    atomic_load(&ct.open),
	    (unsigned long)atomic_load(&ct.refused_per_ip),
	    (unsigned long)atomic_load(&ct.refused_total),
	    (unsigned long)atomic_load(&ct.header_timeouts),
	    (unsigned long)atomic_load(&ct.total_reached));
}
