/*
 * conntrack.h - every open HTTP connection, for two limits that
 * libmicrohttpd's own timeout cannot give: connections per client address,
 * and a deadline for a request's headers.
 *
 * libmicrohttpd's idle timeout starts again with every byte, so a client
 * that sends one header byte every few seconds holds its connection for
 * ever, and a few thousand such clients fill every connection slot
 * (slowloris).  Here each connection is registered when libmicrohttpd
 * opens it and dropped when libmicrohttpd closes it; a reaper thread shuts
 * down the socket of any connection whose request headers are not complete
 * within cfg->header_timeout_s.  The reaper only ever calls shutdown() on a
 * socket, under the lock that the "closed" notification takes before
 * libmicrohttpd closes it, so it never touches a closed or reused
 * descriptor; libmicrohttpd then sees the end of the stream and closes the
 * connection in its own thread.
 *
 * Limits hit are counted for /metrics and logged at most once a second,
 * with counts, by the reaper.
 */
#ifndef LUDUS_HTTP_CONNTRACK_H
#define LUDUS_HTTP_CONNTRACK_H

#include <stdio.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "core/config.h"

/* Starts the reaper thread.  Returns 0, or -1 when it cannot start. */
int conntrack_start(const struct config *cfg);

/* Stops it, after every daemon using the callbacks below has stopped. */
void conntrack_stop(void);

/*
 * An MHD_AcceptPolicyCallback (server.c's accept policy ends with it):
 * refuses a connection from an address that already has
 * cfg->max_connections_per_ip open.
 */
enum MHD_Result conntrack_accept(void *cls, const struct sockaddr *addr,
    socklen_t addrlen);

/* The daemons' MHD_OPTION_NOTIFY_CONNECTION callback. */
void conntrack_notify(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code);

/* A request's headers arrived in full: its deadline no longer applies. */
void conntrack_headers_done(struct MHD_Connection *conn);

/*
 * A request on conn ended; on a kept-alive connection the deadline applies
 * again from the first byte of the next request.
 */
void conntrack_request_done(struct MHD_Connection *conn);

/* libmicrohttpd refused a connection at its total connection limit. */
void conntrack_note_total_limit(void);

/* Writes the connection metrics in Prometheus text format. */
void conntrack_metrics(FILE *out);

#endif
