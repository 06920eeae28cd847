/*
 * request.c - response helpers and request accessors.
 */
#include "http/request.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "core/util.h"
#include "http/problem.h"

static void
set_body(struct req *r, int status, const char *type, char *body, size_t len)
{
	free(r->resp_body);
	r->status = status;
	r->resp_type = type;
	r->resp_body = body;
	r->resp_len = len;
}

void
resp_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(body);
	if (text == NULL) {
		resp_problem(r, 500, "internal", "The response could not be "
		    "encoded.");
		return;
	}
	set_body(r, status, "application/json", text, strlen(text));
}

void
resp_text(struct req *r, int status, const char *content_type,
    const char *text, size_t len)
{
	set_body(r, status, content_type, xstrndup(text, len), len);
}

void
resp_problem_json(struct req *r, json_t *problem)
{
	int status = (int)json_integer_value(json_object_get(problem,
	    "status"));
	char *text = json_dumps(problem, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(problem);
	if (text == NULL)
		text = xstrdup("{\"type\":\"/problems/internal\",\"status\":500}");
	set_body(r, status, "application/problem+json", text, strlen(text));
}

void
resp_problem(struct req *r, int status, const char *code,
    const char *detail_fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, detail_fmt);
	vsnprintf(detail, sizeof(detail), detail_fmt, ap);
	va_end(ap);
	resp_problem_json(r, problem_new(status, code, detail));
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	struct resp_header *h = arena_alloc(r->arena, sizeof(*h));

	h->name = arena_strdup(r->arena, name);
	h->value = arena_strdup(r->arena, value);
	h->next = r->headers;
	r->headers = h;
}

const char *
req_param(struct req *r, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; i < r->match.nparams; i++) {
		const struct route_param *p = &r->match.params[i];

		if (p->name_len == len && memcmp(p->name, name, len) == 0)
			return arena_strndup(r->arena, p->value, p->value_len);
	}
	return NULL;
}

const char *
req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Keeps the last X-Forwarded-For line: a proxy appends its own. */
static enum MHD_Result
last_xff(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") == 0 && value != NULL)
		*(const char **)cls = value;
	return MHD_YES;
}

const char *
req_client_ip(struct req *r)
{
	const union MHD_ConnectionInfo *ci;
	unsigned char buf[sizeof(struct in6_addr)];

	if (r->ip[0] != '\0')
		return r->ip;
	if (r->cfg->trust_proxy) {
		const char *xff = NULL;
		const char *last;
		size_t len;

		/* The last address of the last line is the one our proxy saw;
		 * whatever comes before it the client may have made up. */
		MHD_get_connection_values(r->conn, MHD_HEADER_KIND, last_xff,
		    &xff);
		last = xff ? strrchr(xff, ',') : NULL;
		if (xff != NULL) {
			last = last ? last + 1 : xff;
			while (*last == ' ')
				last++;
			len = strcspn(last, " ");
			if (len < sizeof(r->ip)) {
				memcpy(r->ip, last, len);
				r->ip[len] = '\0';
				if (inet_pton(AF_INET, r->ip, buf) == 1 ||
				    inet_pton(AF_INET6, r->ip, buf) == 1)
					return r->ip;
				r->ip[0] = '\0';
			}
		}
	}
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)
			    (const void *)sa)->sin_addr, r->ip, sizeof(r->ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
			    (const void *)sa)->sin6_addr, r->ip, sizeof(r->ip));
	}
	return r->ip;
}

const char *
req_user_agent(struct req *r)
{
	const char *ua = req_header(r, "User-Agent");

	if (ua == NULL)
		return "";
	return util_utf8_sanitize(arena_strndup(r->arena, ua,
	    strnlen(ua, 512)));
}

void
resp_raw_json(struct req *r, int status, const char *json)
{
	resp_text(r, status, "application/json", json, strlen(json));
}
