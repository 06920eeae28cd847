/*
 * problem.c - building problem documents.
 */
#include "http/problem.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/util.h"

const char *
http_reason(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

json_t *
problem_new(int status, const char *code, const char *detail)
{
	char type[96];
	char *safe = xstrdup(detail ? detail : http_reason(status));
	json_t *p;

	/* The detail may quote what a client sent: keep the JSON valid. */
	util_utf8_sanitize(safe);
	snprintf(type, sizeof(type), "/problems/%s", code);
	p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title",
	    http_reason(status), "status", status, "detail", safe);
	free(safe);
	return p;
}

void
problem_add_error(json_t *problem, const char *field, const char *message)
{
	json_t *errors = json_object_get(problem, "errors");

	if (!json_is_object(problem))
		return;
	if (errors == NULL) {
		errors = json_array();
		json_object_set_new(problem, "errors", errors);
	}
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field,
	    "message", message));
}
