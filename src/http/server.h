/*
 * server.h - the HTTP server: libmicrohttpd with a pool of worker threads.
 *
 * Each request is read in full (bodies up to cfg->max_body_bytes, else 413),
 * routed, checked (415 and 400 for JSON routes), handed to its handler and
 * answered with X-Request-Id and the standard headers; then one JSON access
 * log line is written.  SIGINT and SIGTERM stop accepting connections, let
 * the requests in flight finish (up to cfg->shutdown_timeout_s) and return.
 */
#ifndef LUDUS_HTTP_SERVER_H
#define LUDUS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/config.h"
#include "http/router.h"

/*
 * Serves routes until SIGINT or SIGTERM.  Returns 0 after a clean shutdown,
 * 1 when the server could not start.
 */
int server_run(const struct config *cfg, const struct route *routes,
    size_t nroutes);

/* Writes the server's metrics in Prometheus text format. */
void server_metrics(FILE *out);

/*
 * Whether r may read /metrics; when not, answers it (404, or 401 when a
 * token is set and was not given) and returns false.  With
 * cfg->metrics_addr, only requests on that listener may; else with
 * cfg->metrics_token, only those bearing it; else only those from a
 * loopback address that carry no proxy header (X-Forwarded-For, Forwarded,
 * X-Real-IP).
 */
struct req;
bool server_metrics_allowed(struct req *r);

/* True when s is acceptable as a client-supplied X-Request-Id. */
bool server_valid_request_id(const char *s);

#endif
