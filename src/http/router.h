/*
 * router.h - matching a method and a path against the route table.
 *
 * A route's pattern is a path whose segments are literals or {name}
 * parameters: "/api/v1/courses/{id}".  A {name} matches one non-empty
 * segment.  When several routes match, the one with the fewest parameters
 * wins, so "/courses/new" beats "/courses/{id}".  HEAD is served by GET
 * routes.  Pure code: no I/O, unit-tested in tests/unit/test_router.c.
 */
#ifndef LUDUS_HTTP_ROUTER_H
#define LUDUS_HTTP_ROUTER_H

#include <stddef.h>

#include "core/perm.h"

struct req;
typedef void (*handler_fn)(struct req *r);

/*
 * Who may call a route: nobody signed in (ROUTE_PUBLIC), or a session
 * whose role holds the route's permission (a PERM_* bit; every other
 * route names one).  Ownership is checked by the handler, the
 * organization by the database (row-level security).
 */
enum route_flags {
	ROUTE_JSON_BODY = 1u << 0,  /* needs an application/json body */
	ROUTE_PUBLIC = 1u << 1,     /* no session needed */
	ROUTE_OPERATOR = 1u << 2,   /* the platform operator's token, no
				     * session (LUDUS_OPERATOR_TOKEN) */
	ROUTE_UPLOAD = 1u << 3,     /* a file as the body, up to
				     * LUDUS_MAX_UPLOAD_BYTES */
};

struct route {
	const char *method;
	const char *pattern;
	handler_fn handler;
	unsigned flags;
	unsigned perm;       /* the permission it takes; 0 when public */
	const char *tag;     /* OpenAPI tag: the module */
	const char *summary; /* OpenAPI summary */
};

#define ROUTE_MAX_PARAMS 8

struct route_param {
	const char *name; /* points into the pattern */
	size_t name_len;
	const char *value; /* points into the path */
	size_t value_len;
};

struct route_match {
	const struct route *route;
	int nparams;
	struct route_param params[ROUTE_MAX_PARAMS];
	char allow[96]; /* for 405: "GET, HEAD, POST" */
};

enum { ROUTER_FOUND = 200, ROUTER_NOT_FOUND = 404, ROUTER_BAD_METHOD = 405 };

/*
 * Finds the route for method and path.  Returns ROUTER_FOUND with m->route
 * and m->params set, ROUTER_BAD_METHOD with m->allow listing the methods the
 * path has, or ROUTER_NOT_FOUND.
 */
int router_match(const struct route *routes, size_t n, const char *method,
    const char *path, struct route_match *m);

#endif
