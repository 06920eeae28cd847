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

enum role
auth_role_parse(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "student") == 0)
		return ROLE_STUDENT;
	if (strcmp(s, "instructor") == 0)
		return ROLE_INSTRUCTOR;
	if (strcmp(s, "admin") == 0)
		return ROLE_ADMIN;
	return 0;
}

const char *
auth_role_name(enum role role)
{
	switch (role) {
	case ROLE_STUDENT: return "student";
	case ROLE_INSTRUCTOR: return "instructor";
	case ROLE_ADMIN: return "admin";
	}
	return "";
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

/* The token of the request, and whether it came in a cookie. */
static bool
find_token(struct req *r, char token[TOKEN_LEN + 1], bool *via_cookie)
{
	const char *h = req_header(r, "Authorization");

	*via_cookie = false;
	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return false;
		h += 7;
		while (*h == ' ')
			h++;
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

bool
auth_request(struct req *r)
{
	unsigned flags = r->match.route->flags;
	char token[TOKEN_LEN + 1], hash[65], idle[16];
	const char *params[2] = {hash, idle};
	struct principal *p;
	struct db *db;
	PGresult *res;
	bool via_cookie;
	enum role need;

	if (!find_token(r, token, &via_cookie)) {
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
	snprintf(idle, sizeof(idle), "%ld",
	    (long)r->cfg->session_idle_minutes * 60);
	if ((db = api_db(r)) == NULL)
		return false;
	res = db_query(db, "auth_session", 2, params);
	if (res == NULL && db->status == DB_UNAVAILABLE) {
		/* The statement is safe to repeat: try a new connection. */
		if ((db = api_db(r)) == NULL)
			return false;
		res = db_query(db, "auth_session", 2, params);
	}
	if (res == NULL) {
		api_db_problem(r, db, db->status);
		return false;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		if (via_cookie)
			auth_set_cookies(r, "", "", 0);
		unauthorized(r, "The session has ended or is not valid; sign "
		    "in again.");
		return false;
	}
	p = arena_alloc(r->arena, sizeof(*p));
	snprintf(p->session_id, sizeof(p->session_id), "%s",
	    PQgetvalue(res, 0, 0));
	snprintf(p->user_id, sizeof(p->user_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(p->org_id, sizeof(p->org_id), "%s", PQgetvalue(res, 0, 2));
	p->role = auth_role_parse(PQgetvalue(res, 0, 4));
	p->via_cookie = via_cookie;
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
	need = flags & ROUTE_ADMIN ? ROLE_ADMIN : flags & ROUTE_INSTRUCTOR ?
	    ROLE_INSTRUCTOR : ROLE_STUDENT;
	if (p->role < need) {
		resp_problem(r, 403, "forbidden", "This needs the %s role.",
		    auth_role_name(need));
		return false;
	}
	return true;
}
