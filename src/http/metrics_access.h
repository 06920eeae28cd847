/*
 * metrics_access.h - who may read /metrics.
 *
 * The metrics tell how busy the server is and which routes fail, which is
 * for the operator, not for the public.  With cfg->metrics_addr, they are
 * served on that listener alone (the main one answers 404); with
 * cfg->metrics_token, only to requests bearing it (401 otherwise, compared
 * in constant time); with neither, only to clients on this machine whose
 * request no proxy relayed (a loopback peer and no X-Forwarded-For,
 * Forwarded or X-Real-IP header), so that a proxy on the same machine does
 * not publish them; others get 404.
 */
#ifndef LUDUS_HTTP_METRICS_ACCESS_H
#define LUDUS_HTTP_METRICS_ACCESS_H

#include <stdbool.h>

#include "http/request.h"

/*
 * Whether r may read /metrics; when not, answers it (404, or 401 with
 * WWW-Authenticate when a token is set and was not given) and returns
 * false.
 */
bool metrics_access_allowed(struct req *r);

#endif
