/*
 * routes.c - assembling the route table and describing it in OpenAPI.
 */
#include "http/routes.h"

#include <ctype.h>
#include <string.h>

#include "core/alloc.h"
#include "core/util.h"
#include "http/auth.h"


static struct route *table;
static size_t table_len;

static void
append(const struct route *r, size_t n)
{
	table = xrealloc(table, (table_len + n) * sizeof(*table));
	memcpy(table + table_len, r, n * sizeof(*r));
	table_len += n;
}

const struct route *
routes_build(const struct route_table *tables, size_t ntables, size_t *n)
{
	for (size_t i = 0; i < ntables; i++)
		append(tables[i].routes, *tables[i].count);
	*n = table_len;
	return table;
}

void
routes_free(void)
{
	free(table);
	table = NULL;
	table_len = 0;
}

/* "GET" + "/api/v1/courses/{id}" -> "get_api_v1_courses_id" */
static json_t *
operation_id(const struct route *r)
{
	char buf[160];
	size_t n = 0;

	for (const char *p = r->method; *p && n < sizeof(buf) - 1; p++)
		buf[n++] = (char)tolower((unsigned char)*p);
	for (const char *p = r->pattern; *p && n < sizeof(buf) - 1; p++) {
		if (isalnum((unsigned char)*p))
			buf[n++] = (char)tolower((unsigned char)*p);
		else if (n > 0 && buf[n - 1] != '_' && *p != '}')
			buf[n++] = '_';
	}
	while (n > 0 && buf[n - 1] == '_')
		n--;
	return json_stringn(buf, n);
}

json_t *
routes_openapi(void)
{
	json_t *paths = json_object();

	for (size_t i = 0; i < table_len; i++) {
		const struct route *r = &table[i];
		json_t *item = json_object_get(paths, r->pattern);
		json_t *op, *params = json_array();
		char method[16];
		size_t m;

		if (item == NULL) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		for (m = 0; r->method[m] && m < sizeof(method) - 1; m++)
			method[m] = (char)tolower((unsigned char)r->method[m]);
		method[m] = '\0';
		for (const char *p = strchr(r->pattern, '{'); p;
		    p = strchr(p + 1, '{')) {
			const char *close = strchr(p, '}');

			if (close == NULL)
				break;
			json_array_append_new(params, json_pack(
			    "{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
			    (size_t)(close - p - 1), "in", "path", "required",
			    1, "schema", "type", "string"));
		}
		op = json_pack("{s:s, s:o, s:[s], s:o, s:{s:{s:s}, s:{s:s}}}",
		    "summary", r->summary, "operationId", operation_id(r),
		    "tags", r->tag, "parameters", params, "responses",
		    "default", "description", "A JSON document, or an RFC 9457 "
		    "problem", "4XX", "description", "application/problem+json");
		if (r->flags & ROUTE_JSON_BODY)
			json_object_set_new(op, "requestBody", json_pack(
			    "{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
			    "application/json", "schema", "type", "object"));
		/* Who may call it: nobody signed in, or a permission. */
		if (r->flags & ROUTE_PUBLIC) {
			json_object_set_new(op, "security", json_array());
			json_object_set_new(op, "x-ludus-permission",
			    json_string("public"));
		} else if (r->flags & ROUTE_OPERATOR) {
			json_object_set_new(op, "security",
			    json_pack("[{s:[]}]", "bearer"));
			json_object_set_new(op, "x-ludus-permission",
			    json_string("operator"));
		} else {
			const char *name = perm_name(r->perm);

			json_object_set_new(op, "x-ludus-permission",
			    json_string(name ? name : "?"));
		}
		json_object_set_new(item, method, op);
	}
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:[{s:[]},"
	    "{s:[]}], s:{s:{s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s}}}}",
	    "openapi", "3.1.0", "info", "title", "Ludus API", "version",
	    ludus_version, "description", "Errors are RFC 9457 problem "
	    "documents; lists use keyset pagination (limit, after).  "
	    "x-ludus-permission names the permission a route takes (public: "
	    "no session; operator: the platform operator's token); a role is "
	    "a set of permissions.  Writes authenticated by cookie need "
	    "X-CSRF-Token.",
	    "servers", "url", "/", "paths", paths,
	    "security", "bearer", "cookie",
	    "components", "securitySchemes",
	    "bearer", "type", "http", "scheme", "bearer",
	    "cookie", "type", "apiKey", "in", "cookie", "name",
	    SESSION_COOKIE, "description", "with X-CSRF-Token on writes");
}
