/*
 * queries.c - parsing "-- name:" files.
 */
#include "db/queries.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static const char marker[] = "-- name:";

static bool
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Whether text has a line that is exactly line. */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p += n)
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* Stores the query whose SQL is sql[0..n), trimmed. */
static int
finish(struct query_set *set, char *name, const char *sql, size_t n,
    const char *file, int line, char *err, size_t errlen)
{
	while (n > 0 && isspace((unsigned char)*sql)) {
		sql++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)sql[n - 1]))
		n--;
	if (n == 0) {
		snprintf(err, errlen, "%s:%d: query '%s' is empty", file, line,
		    name);
		free(name);
		return -1;
	}
	set->items = xrealloc(set->items, (set->count + 1) *
	    sizeof(set->items[0]));
	set->items[set->count].name = name;
	set->items[set->count].sql = xstrndup(sql, n);
	set->items[set->count].generic = has_line(set->items[set->count].sql,
	    "-- plan: generic");
	set->items[set->count].any_org = has_line(set->items[set->count].sql,
	    "-- org: any");
	set->count++;
	return 0;
}

int
queries_parse(struct query_set *set, const char *file, const char *text,
    char *err, size_t errlen)
{
	const char *p = text, *start = NULL;
	char *name = NULL;
	int line = 1, name_line = 0;

	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len >= sizeof(marker) - 1 &&
		    strncmp(p, marker, sizeof(marker) - 1) == 0) {
			const char *n = p + sizeof(marker) - 1;
			size_t nlen;

			if (name != NULL && finish(set, name, start,
			    (size_t)(p - start), file, name_line, err,
			    errlen) != 0)
				return -1;
			name = NULL;
			while (*n == ' ' || *n == '\t')
				n++;
			nlen = 0;
			while (n[nlen] == '_' || isdigit((unsigned char)n[nlen])
			    || (n[nlen] >= 'a' && n[nlen] <= 'z'))
				nlen++;
			if (nlen == 0 || !blank(n + nlen,
			    len - (size_t)(n - p) - nlen)) {
				snprintf(err, errlen, "%s:%d: a query name is "
				    "lowercase letters, digits and _", file,
				    line);
				return -1;
			}
			name = xstrndup(n, nlen);
			if (queries_find(set, name) != NULL) {
				snprintf(err, errlen, "%s:%d: query '%s' is "
				    "defined twice", file, line, name);
				free(name);
				return -1;
			}
			name_line = line;
			start = eol ? eol + 1 : p + len;
		} else if (name == NULL && !blank(p, len) &&
		    strncmp(p, "--", 2) != 0) {
			snprintf(err, errlen, "%s:%d: SQL before the first "
			    "'-- name:' line", file, line);
			return -1;
		}
		p = eol ? eol + 1 : p + len;
		line++;
	}
	if (name != NULL)
		return finish(set, name, start, (size_t)(p - start), file,
		    name_line, err, errlen);
	return 0;
}

const struct query *
queries_find(const struct query_set *set, const char *name)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->items[i].name, name) == 0)
			return &set->items[i];
	return NULL;
}

void
queries_free(struct query_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->items[i].name);
		free(set->items[i].sql);
	}
	free(set->items);
	set->items = NULL;
	set->count = 0;
}
