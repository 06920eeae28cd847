/*
 * live.c - Server-Sent Events fed by PostgreSQL LISTEN/NOTIFY (live.h).
 *
 * One mutex guards the list of streams and everything in them.  The
 * listener thread appends each event to the streams of its channel and
 * resumes those that were suspended; a stream's content reader (a worker
 * thread of libmicrohttpd) hands out what is buffered, or suspends the
 * connection and answers 0 when there is nothing.  Both sides call
 * libmicrohttpd holding the mutex, in the same order, so a resume can
 * never come before the suspend it undoes.
 */
#include "http/live.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <microhttpd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"

/* A stream that falls this far behind is closed; its client comes back. */
#define LIVE_BUFFER_MAX (256 * 1024)
#define SEEN 32
#define HELD 32

struct stream {
	struct stream *next;
	struct MHD_Connection *conn;
	char user[40];
	char channels[LIVE_CHANNELS_MAX][80];
	int nchannels;
	struct buf out;		/* frames not yet handed out */
	size_t off;		/* how much of out has been */
	long long seen[SEEN];	/* the last ids sent, not to send twice */
	int nseen;
	int64_t opened_us;	/* it ends after LIVE_MAX_AGE_S */
	long long since;	/* the events up to this id are before it; -1
				   until known (live_replay) */
	struct held {		/* events heard before since is known */
		long long id;
		char *event, *data;
	} held[HELD];
	int nheld;
	bool suspended, closed;
};

static struct {
	pthread_mutex_t mu;
	struct stream *head;
	int count, max;
	const struct config *cfg;
	pthread_t thread;
	bool started;
	atomic_bool stopping, up;
	bool draining;
	int wake[2];
	atomic_uint_fast64_t events, delivered, resyncs;
} hub = {.mu = PTHREAD_MUTEX_INITIALIZER, .wake = {-1, -1}};

int
live_parse(char *p, char **channel, long long *id, char **event, char **data)
{
	char *sp, *end;

	*channel = p;
	if ((sp = strchr(p, ' ')) == NULL || sp == p)
		return -1;
	*sp++ = '\0';
	errno = 0;
	*id = strtoll(sp, &end, 10);
	if (errno != 0 || end == sp || *end != ' ' || *id <= 0)
		return -1;
	*event = end + 1;
	if ((sp = strchr(*event, ' ')) == NULL || sp == *event)
		return -1;
	*sp++ = '\0';
	*data = sp;
	/* An event line and a data line each: no line breaks inside. */
	if (strpbrk(*channel, "\r\n") || strpbrk(*event, "\r\n:") ||
	    strpbrk(*data, "\r\n") || **data == '\0')
		return -1;
	return 0;
}

/* ---- the streams (hub.mu held) ------------------------------------------- */

static bool
follows(const struct stream *s, const char *channel)
{
	for (int i = 0; i < s->nchannels; i++)
		if (strcmp(s->channels[i], channel) == 0)
			return true;
	return false;
}

static bool
was_sent(struct stream *s, long long id)
{
	for (int i = 0; i < s->nseen && i < SEEN; i++)
		if (s->seen[i] == id)
			return true;
	s->seen[s->nseen++ % SEEN] = id;
	if (s->nseen >= 2 * SEEN)
		s->nseen -= SEEN;
	return false;
}

/* Wakes a suspended stream to send what it has (or to end). */
static void
wake(struct stream *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->conn);
	}
}

static void
put(struct stream *s, const char *frame, size_t len)
{
	if (s->closed)
		return;
	if (s->out.len - s->off + len > LIVE_BUFFER_MAX) {
		/* Too far behind: it ends, and its client replays. */
		s->closed = true;
	} else {
		buf_put(&s->out, frame, len);
	}
	wake(s);
}

static void
put_event(struct stream *s, long long id, const char *event,
    const char *data)
{
	char head[128];
	int n;

	if (id > 0 && s->since < 0) {
		/* Where the stream starts is not known yet: kept till it is. */
		if (s->nheld == HELD) {
			s->closed = true;	/* its client comes back */
			wake(s);
			return;
		}
		s->held[s->nheld].id = id;
		s->held[s->nheld].event = xstrdup(event);
		s->held[s->nheld++].data = xstrdup(data);
		return;
	}
	/* A NOTIFY heard after the stream opened may be older than it. */
	if (id > 0 && (id <= s->since || was_sent(s, id)))
		return;
	n = id > 0 ? snprintf(head, sizeof(head), "id: %lld\nevent: %s\ndata: ",
	    id, event) : snprintf(head, sizeof(head), "event: %s\ndata: ",
	    event);
	if (n < 0 || (size_t)n >= sizeof(head))
		return;
	put(s, head, (size_t)n);
	put(s, data, strlen(data));
	put(s, "\n\n", 2);
}

static void
broadcast(const char *frame_event, const char *data)
{
	for (struct stream *s = hub.head; s; s = s->next)
		put_event(s, 0, frame_event, data);
}

/* ---- the listener -------------------------------------------------------- */

static PGconn *
listen_connect(void)
{
	PGconn *c = PQconnectdb(hub.cfg->database_url);
	PGresult *res;

	if (PQstatus(c) != CONNECTION_OK) {
		log_write(LOG_WARN, "live: cannot reach the database", json_pack(
		    "{s:s}", "reason", PQerrorMessage(c)));
		PQfinish(c);
		return NULL;
	}
	res = PQexec(c, "LISTEN ludus_live");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_write(LOG_WARN, "live: LISTEN failed", json_pack("{s:s}",
		    "reason", PQerrorMessage(c)));
		PQclear(res);
		PQfinish(c);
		return NULL;
	}
	PQclear(res);
	return c;
}

static void
dispatch(PGnotify *n)
{
	char *channel, *event, *data;
	long long id;

	if (live_parse(n->extra, &channel, &id, &event, &data) != 0) {
		log_write(LOG_WARN, "live: malformed event", NULL);
		return;
	}
	atomic_fetch_add(&hub.events, 1);
	pthread_mutex_lock(&hub.mu);
	for (struct stream *s = hub.head; s; s = s->next)
		if (follows(s, channel)) {
			put_event(s, id, event, data);
			atomic_fetch_add(&hub.delivered, 1);
		}
	pthread_mutex_unlock(&hub.mu);
}

/*
 * A comment to every stream, so that a connection its client left fails
 * and closes; and the end of streams older than LIVE_MAX_AGE_S, whose
 * clients come back (with Last-Event-ID) and show their session again:
 * one signed out elsewhere gets no more.
 */
static void
ping_all(void)
{
	int64_t old = util_now_us() - LIVE_MAX_AGE_S * 1000000LL;

	pthread_mutex_lock(&hub.mu);
	for (struct stream *s = hub.head; s; s = s->next) {
		if (s->opened_us < old)
			s->closed = true;
		put(s, ": ping\n\n", 8);
		wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

static void *
listener(void *arg)
{
	PGconn *c = NULL;
	int64_t next_ping = util_now_us() + LIVE_PING_S * 1000000LL;
	int backoff_ms = 500;
	bool lost = false;

	(void)arg;
	while (!atomic_load(&hub.stopping)) {
		struct pollfd fds[2] = {{.fd = hub.wake[0], .events = POLLIN}};
		int64_t now = util_now_us();
		int wait_ms = (int)((next_ping - now) / 1000), nfds = 1;

		if (c == NULL && (c = listen_connect()) != NULL) {
			atomic_store(&hub.up, true);
			backoff_ms = 500;
			if (lost) {
				/* Events may have gone by meanwhile. */
				pthread_mutex_lock(&hub.mu);
				broadcast("resync", "{\"reason\":\"reconnected\"}");
				pthread_mutex_unlock(&hub.mu);
				atomic_fetch_add(&hub.resyncs, 1);
			}
		}
		if (c != NULL) {
			fds[1].fd = PQsocket(c);
			fds[1].events = POLLIN;
			nfds = 2;
		} else if (wait_ms > backoff_ms) {
			wait_ms = backoff_ms;
		}
		if (wait_ms < 0)
			wait_ms = 0;
		if (poll(fds, (nfds_t)nfds, wait_ms) < 0 && errno != EINTR)
			usleep(100000);
		if (c != NULL && (fds[1].revents & (POLLIN | POLLERR | POLLHUP))) {
			PGnotify *n;

			if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) {
				log_write(LOG_WARN, "live: lost the database",
				    json_pack("{s:s}", "reason", PQerrorMessage(c)));
				PQfinish(c);
				c = NULL;
				lost = true;
				atomic_store(&hub.up, false);
				continue;
			}
			while ((n = PQnotifies(c)) != NULL) {
				dispatch(n);
				PQfreemem(n);
			}
		}
		if (c == NULL && backoff_ms < 30000)
			backoff_ms *= 2;
		if (util_now_us() >= next_ping) {
			ping_all();
			next_ping = util_now_us() + LIVE_PING_S * 1000000LL;
		}
	}
	if (c != NULL)
		PQfinish(c);
	return NULL;
}

int
live_start(const struct config *cfg)
{
	hub.cfg = cfg;
	hub.max = cfg->max_connections / 2 > 1 ? cfg->max_connections / 2 : 1;
	atomic_store(&hub.stopping, false);
	if (pipe(hub.wake) != 0)
		return -1;
	if (pthread_create(&hub.thread, NULL, listener, NULL) != 0) {
		close(hub.wake[0]);
		close(hub.wake[1]);
		return -1;
	}
	hub.started = true;
	return 0;
}

void
live_drain(void)
{
	pthread_mutex_lock(&hub.mu);
	hub.draining = true;
	for (struct stream *s = hub.head; s; s = s->next) {
		s->closed = true;
		wake(s);
	}
	pthread_mutex_unlock(&hub.mu);
}

void
live_stop(void)
{
	if (!hub.started)
		return;
	atomic_store(&hub.stopping, true);
	if (write(hub.wake[1], "x", 1) < 0)
		log_printf(LOG_WARN, "live: cannot wake the listener");
	pthread_join(hub.thread, NULL);
	close(hub.wake[0]);
	close(hub.wake[1]);
	hub.wake[0] = hub.wake[1] = -1;
	hub.started = false;
}

/* ---- a stream's response ------------------------------------------------- */

static ssize_t
live_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	ssize_t n;

	(void)pos;
	pthread_mutex_lock(&hub.mu);
	if (s->out.len > s->off) {
		size_t left = s->out.len - s->off;

		n = (ssize_t)(left < max ? left : max);
		memcpy(out, s->out.s + s->off, (size_t)n);
		s->off += (size_t)n;
		if (s->off == s->out.len)
			s->off = s->out.len = 0;
	} else if (s->closed) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* Nothing to send: parked until an event resumes it. */
		s->suspended = true;
		MHD_suspend_connection(s->conn);
		n = 0;
	}
	pthread_mutex_unlock(&hub.mu);
	return n;
}

static void
live_free(void *cls)
{
	struct stream *s = cls;

	pthread_mutex_lock(&hub.mu);
	for (struct stream **p = &hub.head; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			hub.count--;
			break;
		}
	pthread_mutex_unlock(&hub.mu);
	for (int i = 0; i < s->nheld; i++) {
		free(s->held[i].event);
		free(s->held[i].data);
	}
	free(s->out.s);
	free(s);
}

struct MHD_Response *
live_response(struct req *r)
{
	if (r->status != 200) {
		/* A problem came after the stream was opened. */
		live_discard(r);
		return NULL;
	}
	struct MHD_Response *resp = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 16 * 1024, live_read, r->live, live_free);

	if (resp == NULL)
		live_free(r->live);
	r->live = NULL;
	return resp;
}

/* Where s starts (hub.mu held): the events held for it after that go. */
static void
start_at(struct stream *s, long long since)
{
	s->since = since;
	for (int i = 0; i < s->nheld; i++) {
		put_event(s, s->held[i].id, s->held[i].event, s->held[i].data);
		free(s->held[i].event);
		free(s->held[i].data);
	}
	s->nheld = 0;
}

void
live_discard(struct req *r)
{
	if (r->live != NULL)
		live_free(r->live);
	r->live = NULL;
}

bool
live_open(struct req *r, const char *const *channels, int n)
{
	struct stream *s, *oldest = NULL;
	int mine = 0;

	if (!hub.started || !atomic_load(&hub.up)) {
		resp_header(r, "Retry-After", "5");
		resp_problem(r, 503, "live-unavailable", "Live updates are not "
		    "available right now; try again shortly.");
		return false;
	}
	s = xcalloc(1, sizeof(*s));
	s->conn = r->conn;
	s->opened_us = util_now_us();
	s->since = -1;
	snprintf(s->user, sizeof(s->user), "%s", r->user->user_id);
	for (int i = 0; i < n && i < LIVE_CHANNELS_MAX; i++)
		snprintf(s->channels[s->nchannels++], sizeof(s->channels[0]),
		    "%s", channels[i]);
	pthread_mutex_lock(&hub.mu);
	for (struct stream *t = hub.head; t; t = t->next)
		if (strcmp(t->user, s->user) == 0 && !t->closed) {
			mine++;
			oldest = t;	/* the list is newest first */
		}
	if (hub.draining) {
		pthread_mutex_unlock(&hub.mu);
		free(s);
		resp_header(r, "Retry-After", "5");
		resp_problem(r, 503, "shutting-down", "This server is stopping; "
		    "come back in a moment.");
		return false;
	}
	if (hub.count >= hub.max) {
		pthread_mutex_unlock(&hub.mu);
		free(s);
		resp_header(r, "Retry-After", "30");
		resp_problem(r, 429, "too-many-streams", "The server has as many "
		    "live streams open as it takes.");
		return false;
	}
	/*
	 * A member's oldest stream gives way to a new one past their limit:
	 * a tab closed or reloaded is only noticed at the next ping, and
	 * should not keep its member out meanwhile.
	 */
	if (mine >= LIVE_PER_USER_MAX && oldest != NULL) {
		oldest->closed = true;
		wake(oldest);
	}
	/* Listed first, so that nothing committed from now on is missed. */
	s->next = hub.head;
	hub.head = s;
	hub.count++;
	put(s, "retry: 3000\n\n", 13);
	pthread_mutex_unlock(&hub.mu);
	r->live = s;
	r->status = 200;
	r->resp_type = "text/event-stream";
	resp_header(r, "Cache-Control", "no-store");
	resp_header(r, "X-Accel-Buffering", "no");
	return true;
}

int
live_replay(struct req *r, struct db *db)
{
	const char *last = req_header(r, "Last-Event-ID");
	struct stream *s = r->live;
	struct buf chans = {0};
	const char *p[2];
	PGresult *res;
	char *end;
	long long after;
	int rows;

	if (s == NULL)
		return 0;
	if (last != NULL) {
		after = strtoll(last, &end, 10);
		if (*last == '\0' || *end != '\0' || after < 0)
			last = NULL;	/* not one of ours: as if none */
	}
	if (last == NULL) {
		/*
		 * Where the events stand: a client that must come back before
		 * its first event then asks for what came after it (an id
		 * alone sets it, and fires nothing).
		 */
		char frame[48];

		if ((res = db_query(db, "live_last_id", 0, NULL)) == NULL)
			return -1;
		snprintf(frame, sizeof(frame), "id: %s\n\n", PQgetvalue(res, 0, 0));
		pthread_mutex_lock(&hub.mu);
		put(s, frame, strlen(frame));
		start_at(s, atoll(PQgetvalue(res, 0, 0)));
		pthread_mutex_unlock(&hub.mu);
		PQclear(res);
		return 0;
	}
	buf_putc(&chans, '{');
	for (int i = 0; i < s->nchannels; i++) {
		if (i > 0)
			buf_putc(&chans, ',');
		buf_putc(&chans, '"');
		buf_puts(&chans, s->channels[i]);
		buf_putc(&chans, '"');
	}
	buf_putc(&chans, '}');
	p[0] = chans.s;
	p[1] = last;
	res = db_query(db, "live_replay", 2, p);
	free(chans.s);
	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	pthread_mutex_lock(&hub.mu);
	if (rows > LIVE_REPLAY_MAX) {
		put_event(s, 0, "resync", "{\"reason\":\"too many missed\"}");
		atomic_fetch_add(&hub.resyncs, 1);
	} else {
		for (int i = 0; i < rows; i++)
			put_event(s, atoll(PQgetvalue(res, i, 0)),
			    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	}
	start_at(s, after);
	pthread_mutex_unlock(&hub.mu);
	PQclear(res);
	return 0;
}

void
live_metrics(FILE *f)
{
	int n;

	pthread_mutex_lock(&hub.mu);
	n = hub.count;
	pthread_mutex_unlock(&hub.mu);
	fprintf(f, "# HELP ludus_live_streams Live event streams open.\n"
	    "# TYPE ludus_live_streams gauge\nludus_live_streams %d\n"
	    "# HELP ludus_live_listener_up Whether the listener is connected "
	    "to the database.\n# TYPE ludus_live_listener_up gauge\n"
	    "ludus_live_listener_up %d\n"
	    "# HELP ludus_live_events_total Events heard from the database.\n"
	    "# TYPE ludus_live_events_total counter\nludus_live_events_total "
	    "%lu\n# HELP ludus_live_deliveries_total Events handed to "
	    "streams.\n# TYPE ludus_live_deliveries_total counter\n"
	    "ludus_live_deliveries_total %lu\n# HELP ludus_live_resyncs_total "
	    "Streams told to read afresh.\n# TYPE ludus_live_resyncs_total "
	    "counter\nludus_live_resyncs_total %lu\n", n,
	    atomic_load(&hub.up) ? 1 : 0,
	    (unsigned long)atomic_load(&hub.events),
	    (unsigned long)atomic_load(&hub.delivered),
	    (unsigned long)atomic_load(&hub.resyncs));
}
