/*
 * router.c - pattern matching for the route table.
 */
#include "http/router.h"

#include <stdbool.h>
#include <string.h>

/* Matches path against pattern, filling params; -1 if it does not match. */
static int
match_path(const char *pattern, const char *path,
    struct route_param *params)
{
	int n = 0;

	while (*pattern != '\0' && *path != '\0') {
		if (*pattern == '{') {
			const char *close = strchr(pattern, '}');
			size_t len = strcspn(path, "/");

			if (close == NULL || len == 0 || n == ROUTE_MAX_PARAMS)
				return -1;
			params[n].name = pattern + 1;
			params[n].name_len = (size_t)(close - pattern - 1);
			params[n].value = path;
			params[n].value_len = len;
			n++;
			pattern = close + 1;
			path += len;
		} else if (*pattern++ != *path++) {
			return -1;
		}
	}
	return *pattern == '\0' && *path == '\0' ? n : -1;
}

static void
allow_add(char *allow, size_t size, const char *method)
{
	size_t len = strlen(method);
	const char *p = allow;

	/* Already listed? */
	while ((p = strstr(p, method)) != NULL) {
		if ((p == allow || (p - allow >= 2 && p[-2] == ',')) &&
		    (p[len] == '\0' || p[len] == ','))
			return;
		p += len;
	}
	if (strlen(allow) + len + 3 > size)
		return;
	if (*allow != '\0')
		strcat(allow, ", ");
	strcat(allow, method);
}

int
router_match(const struct route *routes, size_t n, const char *method,
    const char *path, struct route_match *m)
{
	struct route_param params[ROUTE_MAX_PARAMS];
	bool path_known = false;
	int best = -1;
	bool head = strcmp(method, "HEAD") == 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		int np = match_path(routes[i].pattern, path, params);

		if (np < 0)
			continue;
		path_known = true;
		allow_add(m->allow, sizeof(m->allow), routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			allow_add(m->allow, sizeof(m->allow), "HEAD");
		if (strcmp(routes[i].method, method) != 0 &&
		    !(head && strcmp(routes[i].method, "GET") == 0))
			continue;
		if (best < 0 || np < best) {
			best = np;
			m->route = &routes[i];
			m->nparams = np;
			memcpy(m->params, params, sizeof(params[0]) * (size_t)np);
		}
	}
	if (m->route != NULL)
		return ROUTER_FOUND;
	return path_known ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}
