/*
 * request.h - one HTTP request on its way through Ludus, and the functions
 * handlers answer it with.
 *
 * A handler reads the request (path parameters, query, headers, the parsed
 * JSON body) and ends by calling exactly one resp_* function.  Everything it
 * allocates comes from r->arena and is released with the request.
 */
#ifndef LUDUS_HTTP_REQUEST_H
#define LUDUS_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/config.h"
#include "http/router.h"

struct MHD_Connection;

struct resp_header {
	const char *name, *value;
	struct resp_header *next;
};

/* Who sent a request, once its session checked out. */
struct principal {
	char user_id[37];
	char org_id[37];
	char session_id[37];
	char role[33];  /* the role's key, e.g. "instructor" */
	unsigned perms; /* what it permits: PERM_* bits */
	bool leaderboards; /* the organization has them on */
	bool messaging;    /* and messaging */
	bool via_cookie; /* writes then need X-CSRF-Token */
	bool via_token;  /* a personal access token, not a session */
};

struct req {
	struct arena *arena;
	const struct config *cfg;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	char id[65]; /* X-Request-Id */
	int64_t start_us;

	char *body; /* the raw body, NUL-terminated */
	size_t body_len, body_cap;
	size_t body_limit; /* the route's: uploads may be larger */
	bool too_large;   /* a chunked body went past the limit */
	size_t discarded; /* bytes of it dropped since */
	json_t *json; /* the parsed body of a ROUTE_JSON_BODY route */

	struct route_match match;
	int route_index; /* into the route table; -1 when nothing matched */
	struct principal *user; /* NULL until auth_request() */
	char ip[46];            /* the client address, see req_client_ip() */

	int status; /* 0 until a resp_* function has run */
	char *resp_body; /* malloc'd; handed to libmicrohttpd */
	size_t resp_len;
	const char *resp_type;
	struct resp_header *headers;
	bool queued;
	void *live; /* a live event stream (live.h) answers, not resp_body */
};

/* Answers with a JSON document; takes ownership of body. */
void resp_json(struct req *r, int status, json_t *body);
/* Answers with a copy of len bytes of text of the given content type. */
void resp_text(struct req *r, int status, const char *content_type,
    const char *text, size_t len);
/* Answers with an RFC 9457 problem; detail is printf-formatted. */
void resp_problem(struct req *r, int status, const char *code,
    const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));
/* Answers with a problem built by problem_new(); takes ownership. */
void resp_problem_json(struct req *r, json_t *problem);
/* Adds a response header; name and value are copied. */
void resp_header(struct req *r, const char *name, const char *value);

/* A path parameter by name, NUL-terminated in the arena; NULL if absent. */
const char *req_param(struct req *r, const char *name);
/* A query-string argument, or NULL. */
const char *req_query(struct req *r, const char *name);
/* A request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/*
 * The client's address: the peer of the connection, or with trust_proxy
 * the last address of X-Forwarded-For.  Empty when unknown.
 */
const char *req_client_ip(struct req *r);
/* The User-Agent, cut to 512 bytes and valid UTF-8; "" when absent. */
const char *req_user_agent(struct req *r);
/* Answers with JSON text made elsewhere (by PostgreSQL); copies it. */
void resp_raw_json(struct req *r, int status, const char *json);

#endif
