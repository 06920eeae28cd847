/*
 * auth.h - who sent a request, and may they call this route.
 *
 * The session token comes from "Authorization: Bearer <token>" (API
 * clients) or the ludus_session cookie (browsers).  One statement finds the
 * session and its user, refusing sessions that expired and users that are
 * deleted, locked or inactive, and slides the expiry forward; or a
 * personal access token ("lpat_...").  Then the route's permission is
 * checked against what the session's role (and the token) permit, and
 * writes authenticated by cookie must carry the session's CSRF token in
 * X-CSRF-Token.  The platform API takes the operator's token instead.
 */
#ifndef LUDUS_HTTP_AUTH_H
#define LUDUS_HTTP_AUTH_H

#include <stdbool.h>

#include "http/request.h"

#define SESSION_COOKIE "ludus_session"
/* A personal access token is this and a token: "lpat_...". */
#define PAT_PREFIX "lpat_"
#define CSRF_COOKIE "ludus_csrf"

/*
 * Authenticates r for its route.  True with r->user set; false after
 * answering 401, 403 or 503.
 */
bool auth_request(struct req *r);

/* Whether the request's session holds permission perm (a PERM_* bit). */
bool auth_may(const struct req *r, unsigned perm);

/*
 * Sets the session and CSRF cookies (max_age seconds; 0 clears them).
 */
void auth_set_cookies(struct req *r, const char *token, const char *csrf,
    long max_age);

#endif
