/*
 * queries.h - named SQL queries.
 *
 * sql/queries/<module>.sql holds the queries of a module, each introduced
 * by a line "-- name: <name>".  They are compiled into the binary and
 * prepared on every database connection under that name.  Pure code.
 */
#ifndef LUDUS_DB_QUERIES_H
#define LUDUS_DB_QUERIES_H

#include <stdbool.h>
#include <stddef.h>

struct query {
	char *name;
	char *sql;
	/*
	 * A line "-- plan: generic" among its comments: run under
	 * plan_cache_mode = force_generic_plan, its plan made once per
	 * connection (db_query()), for a query that PostgreSQL would
	 * otherwise plan again at every call.
	 */
	bool generic;
	/*
	 * A line "-- org: any": the query reads no organization's rows under
	 * row-level security (it asks a function of 0015 that looks across
	 * them, or a table without org_id), so it runs whatever the session's
	 * ludus.org_id says.
	 */
	bool any_org;
};

struct query_set {
	struct query *items;
	size_t count;
};

/*
 * Adds the queries of one file's text to set.  Returns 0, or -1 with a
 * message naming file and line in err (text before the first name, a bad or
 * repeated name, an empty query).
 */
int queries_parse(struct query_set *set, const char *file, const char *text,
    char *err, size_t errlen);

/* The query called name, or NULL. */
const struct query *queries_find(const struct query_set *set,
    const char *name);

void queries_free(struct query_set *set);

#endif
