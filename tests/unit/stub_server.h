/*
 * stub_server.h - a scripted HTTP server on a loopback address for the
 * unit tests of the HTTP client (test_fetch.c) and of the language-model
 * client (test_llm.c).  Included by each: static functions only.
 */
#ifndef LUDUS_TESTS_STUB_SERVER_H
#define LUDUS_TESTS_STUB_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * A scripted HTTP server: each connection gets the next queued reply
 * (a whole raw response, after an optional delay), or a 404 when none is
 * left, and every request received is kept for the test to read.
 */
#define SRV_MAX 16

struct srv {
	int fd, port;
	char host[32];
	pthread_t th;
	pthread_mutex_t mu;
	bool stop;
	char *reply[SRV_MAX];
	int delay_ms[SRV_MAX];
	size_t nreply, next;
	char *request[SRV_MAX];
	size_t nrequest;
};

static char *
vfmt(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

static void srv_push(struct srv *s, int delay_ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
srv_push(struct srv *s, int delay_ms, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pthread_mutex_lock(&s->mu);
	assert_true(s->nreply < SRV_MAX);
	s->delay_ms[s->nreply] = delay_ms;
	s->reply[s->nreply++] = vfmt(fmt, ap);
	pthread_mutex_unlock(&s->mu);
	va_end(ap);
}

/* A request's head and body, as far as Content-Length says. */
static char *
srv_read(int c)
{
	size_t len = 0, cap = 65536, want = 0;
	char *buf = malloc(cap), *end;
	ssize_t n;

	for (;;) {
		struct pollfd p = {c, POLLIN, 0};

		if (poll(&p, 1, 5000) <= 0 ||
		    (n = read(c, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");

			want = (size_t)(end + 4 - buf);
			if (cl != NULL && cl < end)
				want += strtoul(cl + 17, NULL, 10);
			if (len >= want || len + 1 >= cap)
				break;
		}
	}
	buf[len] = '\0';
	return buf;
}

static void *
srv_run(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		struct pollfd p = {s->fd, POLLIN, 0};
		char *req, *reply;
		int c, delay = 0;
		bool stop;

		pthread_mutex_lock(&s->mu);
		stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		if (poll(&p, 1, 20) <= 0 || (c = accept(s->fd, NULL, NULL)) < 0)
			continue;
		req = srv_read(c);
		pthread_mutex_lock(&s->mu);
		if (s->nrequest < SRV_MAX)
			s->request[s->nrequest++] = req;
		else
			free(req);
		if (s->next < s->nreply) {
			delay = s->delay_ms[s->next];
			reply = s->reply[s->next++];
		} else
			reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
			    "Connection: close\r\n\r\n";
		pthread_mutex_unlock(&s->mu);
		if (delay > 0) {
			/* Until the delay ends or the client gives up. */
			struct pollfd w = {c, POLLIN, 0};

			poll(&w, 1, delay);
		}
		for (size_t off = 0, len = strlen(reply); off < len;) {
			ssize_t n = send(c, reply + off, len - off,
			    MSG_NOSIGNAL);

			if (n <= 0)
				break;
			off += (size_t)n;
		}
		shutdown(c, SHUT_WR);
		close(c);
	}
	return NULL;
}

static struct srv *
srv_start(const char *host)
{
	struct srv *s = calloc(1, sizeof(*s));
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	int one = 1;

	assert_int_equal(inet_pton(AF_INET, host, &a.sin_addr), 1);
	snprintf(s->host, sizeof(s->host), "%s", host);
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->fd >= 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 16), 0);
	getsockname(s->fd, (struct sockaddr *)&a, &alen);
	s->port = ntohs(a.sin_port);
	pthread_mutex_init(&s->mu, NULL);
	assert_int_equal(pthread_create(&s->th, NULL, srv_run, s), 0);
	return s;
}

static size_t
srv_requests(struct srv *s)
{
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = s->nrequest;
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* The i-th request received, or "" (the thread may still add some). */
static const char *
srv_request(struct srv *s, size_t i)
{
	const char *r;

	pthread_mutex_lock(&s->mu);
	r = i < s->nrequest ? s->request[i] : "";
	pthread_mutex_unlock(&s->mu);
	return r;
}

static void
srv_stop(struct srv *s)
{
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	close(s->fd);
	for (size_t i = 0; i < s->nreply; i++)
		free(s->reply[i]);
	for (size_t i = 0; i < s->nrequest; i++)
		free(s->request[i]);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

#endif
