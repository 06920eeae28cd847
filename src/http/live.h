/*
 * live.h - Server-Sent Events fed by PostgreSQL LISTEN/NOTIFY.
 *
 * What happens is written by the database (live_emit(), migration 0032):
 * a row of live_events on a channel ("user:<id>", "thread:<id>"), and a
 * NOTIFY on ludus_live with the channel, the event's id, its name and its
 * data, sent when the transaction commits.  Each server listens on one
 * connection of its own and hands each event to the streams open on its
 * channel, so that every server behind a balancer delivers what any of
 * them (or a job) wrote.
 *
 * A stream is an answer of type text/event-stream that never ends on its
 * own.  While it has nothing to send, its connection is suspended (no
 * worker thread waits on it); an event resumes it.  A comment line goes
 * out every LIVE_PING_S seconds, so that a connection the client left is
 * found and closed; a stream ends after LIVE_MAX_AGE_S, and its client
 * comes back with its session checked again.  A client that comes back with Last-Event-ID gets the
 * events it missed first (from live_events: those of the last hours), or,
 * when there are too many or the listener lost the database meanwhile, a
 * "resync" event that tells it to read afresh.
 */
#ifndef LUDUS_HTTP_LIVE_H
#define LUDUS_HTTP_LIVE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "db/db.h"
#include "http/request.h"

#define LIVE_PING_S 20
#define LIVE_MAX_AGE_S 3600
#define LIVE_CHANNELS_MAX 4
#define LIVE_PER_USER_MAX 8
#define LIVE_REPLAY_MAX 200

/* Starts the listener thread (it connects, and reconnects, by itself). */
int live_start(const struct config *cfg);
/* Ends every stream (their connections resume and close): at shutdown. */
void live_drain(void);
/* Stops the listener thread; call after the daemons have stopped. */
void live_stop(void);

/*
 * Answers r with a stream of the events of these channels (decided by the
 * caller, who checked that r's user may follow them): false after a 429
 * (the server has as many open as it takes) or a 503.  Past
 * LIVE_PER_USER_MAX, the member's oldest stream ends.  Events from now
 * on are kept for it at once.
 */
bool live_open(struct req *r, const char *const *channels, int n);
/*
 * The events r's stream missed since its Last-Event-ID, read with db (in
 * the caller's transaction, r's organization): 0, or -1 (db says why).
 */
int live_replay(struct req *r, struct db *db);
/* Closes the stream r opened, when r is answered otherwise after all. */
void live_discard(struct req *r);

/* Writes the streams' metrics in Prometheus text format. */
void live_metrics(FILE *out);

/* The libmicrohttpd response of the stream r answers with (server.c);
 * NULL (and the stream closed) if r was answered with a problem since. */
struct MHD_Response *live_response(struct req *r);

/*
 * Parses a NOTIFY payload, "<channel> <id> <event> <data>": 0 with the
 * parts (pointers into p, which is cut with NULs), -1 when malformed.
 * Pure, for the unit test.
 */
int live_parse(char *p, char **channel, long long *id, char **event,
    char **data);

#endif
