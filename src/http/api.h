/*
 * api.h - what every handler uses: the database with its errors turned
 * into problems, and input fields checked one by one into a single 422.
 *
 *	struct input in;
 *	input_begin(&in, r);
 *	const char *email = input_string(&in, "email", IN_REQUIRED, 3, 254);
 *	...
 *	if (!input_end(&in))
 *		return;		// 422 sent, one error per bad field
 */
#ifndef LUDUS_HTTP_API_H
#define LUDUS_HTTP_API_H

#include <stdbool.h>

#include "db/db.h"
#include "http/request.h"

/* The worker's database, or NULL after answering 503. */
struct db *api_db(struct req *r);

/*
 * Runs fn in one transaction.  True when it committed.  On a database error
 * the matching problem is sent (409 for a unique or foreign key conflict,
 * 422 for a check, 400 for bad input, 503 when unreachable, else 500); when
 * fn rolled back on purpose, the response it set stays.
 */
bool api_tx(struct req *r, struct db *db, enum db_isolation iso,
    db_tx_fn fn, void *arg);

/* Answers the problem for a database failure. */
void api_db_problem(struct req *r, const struct db *db, enum db_status st);

/* 429 with Retry-After. */
void api_too_many(struct req *r, int retry_after_s);

/*
 * 202 for a background job just queued (its id and kind), with Location
 * and href where to follow it (/api/v1/jobs/{id}); wakes the runners.
 */
void api_job_accepted(struct req *r, const char *id, const char *kind);
/*
 * Queues a job of kind for r's user, in a transaction of its own (payload
 * NULL: {}), and answers 202 as api_job_accepted() does; or the problem.
 */
void api_enqueue(struct req *r, const char *kind, const json_t *payload);

/* A 422 with a single field error. */
void api_field_error(struct req *r, const char *field, const char *message);

/*
 * Runs a named query that returns one JSON document (one row, one column)
 * as one statement (its own transaction, without BEGIN and COMMIT: it must
 * be safe to repeat, see DB_ONE_STATEMENT) and answers 200 with it, or 404
 * with `missing` when it returns no row or NULL.
 */
void api_doc(struct req *r, const char *query, int n,
    const char *const *params, const char *missing);

enum input_flags {
	IN_REQUIRED = 1u << 0, /* absent or null is an error */
	IN_NULLABLE = 1u << 1, /* null is accepted (input_has() tells it from
				  absent) */
};

struct input {
	struct req *r;
	json_t *body;    /* the request's JSON object */
	json_t *problem; /* collects the errors */
	int nerrors;
};

void input_begin(struct input *in, struct req *r);
/* The same for checking a query string, which has no body. */
void input_query_begin(struct input *in, struct req *r);
/* Records an error under field. */
void input_error(struct input *in, const char *field, const char *message);
/* Errors for fields other than the NULL-terminated list allowed. */
void input_only(struct input *in, const char *const *allowed);
/* True when field is in the body (null included). */
bool input_has(struct input *in, const char *field);
/*
 * A string field of min..max characters, copied to the arena; NULL when
 * absent, null or invalid (after recording the error).  Control characters
 * other than newlines (\n, \r) and tab are refused.
 */
const char *input_string(struct input *in, const char *field, unsigned flags,
    size_t min, size_t max);
/* A boolean field: 1 true, 0 false, -1 absent or invalid. */
int input_bool(struct input *in, const char *field, unsigned flags);
/* A boolean field as "true" or "false" (a query parameter); NULL when
 * absent (nothing to change) or invalid (after recording the error). */
const char *input_flag(struct input *in, const char *field);
/* An integer field in min..max; false when absent or invalid. */
bool input_int(struct input *in, const char *field, unsigned flags,
    long min, long max, long *out);
/*
 * The query parameter name, checked by rule (which returns NULL or why
 * not); NULL when absent or invalid (after recording the error).
 */
const char *input_query(struct input *in, const char *name,
    const char *(*rule)(const char *));
/* Sends the 422 if any error was recorded; true when the input is good. */
bool input_end(struct input *in);

/*
 * An array of up to max_items strings, each accepted by ok (which returns
 * NULL or why not), as a PostgreSQL array literal in the arena; NULL when
 * absent, null or invalid (after recording the error).  The strings must
 * hold no '"', '\\', ',', '{', '}' or spaces: ok must refuse those.
 */
const char *input_pg_array(struct input *in, const char *field,
    unsigned flags, size_t max_items, const char *(*ok)(const char *));

/*
 * The version an If-Match header names ("v12", in quotes, W/ allowed):
 * 0 when there is no If-Match, -1 when it names no version of ours.
 */
long api_if_match(struct req *r);
/* Sets the ETag header for version. */
void api_etag(struct req *r, long version);

/* ?limit= in 1..max, default def; -1 after answering 422. */
int api_limit(struct req *r, int def, int max);


/*
 * True when s is an ISO 8601 date ("2026-11-21") or date and time
 * ("2026-11-21T08:30", with seconds, fractions, and Z or an offset if
 * wanted) that exists on the calendar.
 */
bool api_iso_time(const char *s);

/* True when s is a UUID in canonical text form. */
bool api_is_uuid(const char *s);

/* The {name} path parameter if it is a UUID, else NULL after a 404 that
 * says there is no such `what`. */
const char *api_path_id(struct req *r, const char *name, const char *what);

/* NULL for "true" or "false", else why not: a rule for input_query(). */
const char *api_true_false(const char *s);

/* Whether s has the shape of a role's key: [a-z][a-z0-9_]{1,31}. */
bool api_role_key(const char *s);

/*
 * "true" or "false": whether r's session holds perm, as a query parameter
 * (content.all: may change what others own; jobs.all: sees every job).
 */
const char *api_may(struct req *r, unsigned perm);

#endif
