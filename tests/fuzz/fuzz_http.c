/*
 * fuzz_http.c - libFuzzer target: what a client controls in a request
 * before any handler runs: the Cookie header (src/http/cookie.c), the
 * JSON body (src/http/body.c with jansson, as a route reads it), the
 * bearer token's shape (src/core/token.c), and the path against the route
 * table's patterns (src/http/router.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/token.h"
#include "http/body.h"
#include "http/cookie.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
h(struct req *r)
{
	(void)r;
}

static const struct route routes[] = {
	{"GET", "/api/v1/courses", h, 0, PERM_LEARN, "t", "t"},
	{"GET", "/api/v1/courses/{id}", h, 0, PERM_LEARN, "t", "t"},
	{"POST", "/api/v1/courses/{id}/units", h, 0, PERM_LEARN, "t", "t"},
	{"PUT", "/api/v1/attempts/{id}/answers/{question_id}", h, 0,
	    PERM_LEARN, "t", "t"},
	{"GET", "/api/v1/lessons/new", h, 0, PERM_LEARN, "t", "t"},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char out[128];
	struct route_match m;
	json_t *doc = NULL;

	memcpy(s, data, size);
	s[size] = '\0';
	cookie_get(s, "ludus_session", out, sizeof(out));
	cookie_get(s, "ludus_csrf", out, 8);
	token_shape_ok(s);
	if (body_parse_json((const char *)data, size, &doc, out,
	    sizeof(out)) == 0)
		json_decref(doc);
	router_match(routes, sizeof(routes) / sizeof(routes[0]),
	    size > 0 && data[0] & 1 ? "GET" : "PUT", s, &m);
	free(s);
	return 0;
}
