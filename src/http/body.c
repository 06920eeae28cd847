/*
 * body.c - JSON request bodies.
 */
#include "http/body.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Skips spaces and tabs. */
static const char *
skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool
body_is_json(const char *ct)
{
	static const char type[] = "application/json";
	const char *p;

	if (ct == NULL)
		return false;
	ct = skip_ws(ct);
	if (strncasecmp(ct, type, sizeof(type) - 1) != 0)
		return false;
	p = skip_ws(ct + sizeof(type) - 1);
	while (*p == ';') {
		const char *name = skip_ws(p + 1);
		size_t nlen = strcspn(name, "=; \t");

		if (*name == '\0' || *name == ';') {
			p = name;
			continue;
		}
		if (nlen == 0)
			return false;
		const char *value = name + nlen;
		size_t vlen;

		if (*value != '=')
			return false;
		value++;
		if (*value == '"')
			value++;
		vlen = strcspn(value, "\"; \t");
		if (nlen == 7 && strncasecmp(name, "charset", 7) == 0 &&
		    !((vlen == 5 && strncasecmp(value, "utf-8", 5) == 0) ||
		    (vlen == 4 && strncasecmp(value, "utf8", 4) == 0)))
			return false;
		p = value + vlen;
		if (*p == '"')
			p++;
		p = skip_ws(p);
	}
	return *p == '\0';
}

int
body_parse_json(const char *data, size_t len, json_t **out, char *detail,
    size_t detail_size)
{
	json_error_t err;
	size_t i;

	*out = NULL;
	for (i = 0; i < len && isspace((unsigned char)data[i]); i++)
		;
	if (i == len) {
		snprintf(detail, detail_size,
		    "The request body is empty; a JSON document is required.");
		return -1;
	}
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (*out == NULL) {
		snprintf(detail, detail_size,
		    "Malformed JSON at line %d, column %d: %s.", err.line,
		    err.column, err.text);
		return -1;
	}
	return 0;
}
