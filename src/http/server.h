/*
 * server.h - the HTTP server: libmicrohttpd with a pool of worker threads.
 *
 * Each request is read in full (bodies up to cfg->max_body_bytes, else 413),
 * routed, checked (415 and 400 for JSON routes), handed to its handler and
 * answered with X-Request-Id and the standard headers; then one JSON access
 * log line is written.  SIGINT and SIGTERM stop taking connections (new ones
 * are closed unread, answers say "Connection: close"), let the requests in
 * flight finish (up to cfg->shutdown_timeout_s), stop the daemons and return.
 */
#ifndef LUDUS_HTTP_SERVER_H
#define LUDUS_HTTP_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/config.h"
#include "http/router.h"

/*
 * Blocks SIGINT and SIGTERM in the calling thread and so in every thread it
 * starts afterwards (set, if not NULL, gets them): call it before starting
 * any thread, so that the stop signals wait for server_run's sigwait()
 * instead of ending the process in whichever thread they land.
 */
void server_block_signals(sigset_t *set);

/*
 * Serves routes until SIGINT or SIGTERM.  Returns 0 after a clean shutdown,
 * 1 when the server could not start.
 */
int server_run(const struct config *cfg, const struct route *routes,
    size_t nroutes);

/* Writes the server's metrics in Prometheus text format. */
void server_metrics(FILE *out);

/*
 * True while this thread serves a request that came to the LUDUS_METRICS_ADDR
 * listener.
 */
bool server_on_metrics_listener(void);

/* True when s is acceptable as a client-supplied X-Request-Id. */
bool server_valid_request_id(const char *s);

#endif
