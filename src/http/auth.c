/*
 * auth.c - request authentication and authorization.
 */
#include "http/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "http/api.h"
#include "http/cookie.h"
#include "core/token.h"

bool
auth_may(const struct req *r, unsigned perm)
{
	return r->user != NULL && (r->user->perms & perm) == perm;
}

void
auth_set_cookies(struct req *r, const char *token, const char *csrf,
    long max_age)
{
	unsigned secure = r->cfg->cookie_secure ? COOKIE_SECURE : 0;
	char buf[256];

	if (cookie_format(buf, sizeof(buf), SESSION_COOKIE, token, max_age,
	    COOKIE_HTTP_ONLY | secure))
		resp_header(r, "Set-Cookie", buf);
	/* Readable by the page's scripts, which send it back as a header. */
	if (cookie_format(buf, sizeof(buf), CSRF_COOKIE, csrf, max_age, secure))
		resp_header(r, "Set-Cookie", buf);
}

static void
unauthorized(struct req *r, const char *detail)
{
	resp_header(r, "WWW-Authenticate", "Bearer realm=\"ludus\"");
	resp_problem(r, 401, "unauthenticated", "%s", detail);
}

/*
 * The token of the request, and whether it came in a cookie or is a
 * personal access token ("lpat_" and a token, as a bearer only).
 */
static bool
find_token(struct req *r, char token[TOKEN_LEN + 1], bool *via_cookie,
    bool *pat)
{
	const char *h = req_header(r, "Authorization");

	*via_cookie = *pat = false;
	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return false;
		h += 7;
		while (*h == ' ')
			h++;
		if (strncmp(h, PAT_PREFIX, sizeof(PAT_PREFIX) - 1) == 0) {
			h += sizeof(PAT_PREFIX) - 1;
			*pat = true;
		}
		if (!token_shape_ok(h))
			return false;
		memcpy(token, h, TOKEN_LEN + 1);
		return true;
	}
	if (cookie_get(req_header(r, "Cookie"), SESSION_COOKIE, token,
	    TOKEN_LEN + 1) && token_shape_ok(token)) {
		*via_cookie = true;
		return true;
	}
	return false;
}

static bool
is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/*
 * The platform operator: a bearer token equal to --operator-token.  Without
 * one configured, nothing opens the platform API.
 */
static bool
operator_request(struct req *r)
{
	const char *h = req_header(r, "Authorization");

	if (r->cfg->operator_token == NULL) {
		unauthorized(r, "The platform API is off: this server has no "
		    "operator token (--operator-token).");
		return false;
	}
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 ||
	    strlen(h + 7) != strlen(r->cfg->operator_token) ||
	    !token_equal(h + 7, r->cfg->operator_token)) {
		unauthorized(r, "This needs the platform operator's token.");
		return false;
	}
	return true;
}

bool
auth_request(struct req *r)
{
	char token[TOKEN_LEN + 1], hash[65], idle[16];
	const char *params[2] = {hash, idle};
	/* The columns of auth_session, and of auth_token (no CSRF token). */
	static const int session_cols[] = {0, 1, 2, 3, 4, 5, 6, 7};
	static const int token_cols[] = {0, 1, 2, -1, 3, 4, 5, 6};
	const int *col;
	const char *query;
	struct principal *p;
	struct db *db;
	PGresult *res;
	bool via_cookie, pat;

	if (r->match.route->flags & ROUTE_OPERATOR)
		return operator_request(r);
	if (!find_token(r, token, &via_cookie, &pat)) {
		char junk[8];

		/* A session cookie that cannot be one: have the browser drop
		 * it (cookie_get is false for overlong values too). */
		if (req_header(r, "Authorization") == NULL &&
		    (cookie_get(req_header(r, "Cookie"), SESSION_COOKIE, junk,
		    sizeof(junk)) || (req_header(r, "Cookie") != NULL &&
		    strstr(req_header(r, "Cookie"), SESSION_COOKIE "=") != NULL)))
			auth_set_cookies(r, "", "", 0);
		unauthorized(r, "Sign in first: this needs a session "
		    "(Authorization: Bearer <token>, or the session cookie).");
		return false;
	}
	token_hash(token, hash);
	if (pat) {
		query = "auth_token";
		col = token_cols;
		params[1] = req_client_ip(r);
	} else {
		query = "auth_session";
		col = session_cols;
		snprintf(idle, sizeof(idle), "%ld",
		    (long)r->cfg->session_idle_minutes * 60);
	}
	if ((db = api_db(r)) == NULL)
		return false;
	res = db_query(db, query, 2, params);
	if (res == NULL && db->status == DB_UNAVAILABLE) {
		/* The statement is safe to repeat: try a new connection. */
		if ((db = api_db(r)) == NULL)
			return false;
		res = db_query(db, query, 2, params);
	}
	if (res == NULL) {
		api_db_problem(r, db, db->status);
		return false;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		if (via_cookie)
			auth_set_cookies(r, "", "", 0);
		unauthorized(r, pat ? "The access token is not valid: it may "
		    "have expired or been revoked." : "The session has ended "
		    "or is not valid; sign in again.");
		return false;
	}
	p = arena_alloc(r->arena, sizeof(*p));
	/* A token's id stands for the session (which it has none of). */
	snprintf(p->session_id, sizeof(p->session_id), "%s",
	    PQgetvalue(res, 0, col[0]));
	snprintf(p->user_id, sizeof(p->user_id), "%s", PQgetvalue(res, 0,
	    col[1]));
	snprintf(p->org_id, sizeof(p->org_id), "%s", PQgetvalue(res, 0,
	    col[2]));
	snprintf(p->role, sizeof(p->role), "%s", PQgetvalue(res, 0, col[4]));
	p->perms = perm_parse_array(PQgetvalue(res, 0, col[5]));
	p->leaderboards = strcmp(PQgetvalue(res, 0, col[6]), "t") == 0;
	p->messaging = strcmp(PQgetvalue(res, 0, col[7]), "t") == 0;
	p->via_cookie = via_cookie;
	p->via_token = pat;
	if (via_cookie && !is_safe_method(r->method)) {
		const char *sent = req_header(r, "X-CSRF-Token");

		if (sent == NULL || !token_equal(sent, PQgetvalue(res, 0, 3))) {
			PQclear(res);
			resp_problem(r, 403, "csrf-token-invalid", "Writes "
			    "authenticated by cookie need the X-CSRF-Token "
			    "header (the value of the %s cookie).", CSRF_COOKIE);
			return false;
		}
	}
	PQclear(res);
	r->user = p;
	if (!auth_may(r, r->match.route->perm)) {
		resp_problem(r, 403, "forbidden", "This needs the permission "
		    "%s, which your role (%s) does not hold.",
		    perm_name(r->match.route->perm), p->role);
		return false;
	}
	return true;
}
