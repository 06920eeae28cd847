/*
 * api.c - handler helpers.
 */
#include "http/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "db/jobs.h"
#include "http/auth.h"
#include "http/problem.h"

struct db *
api_db(struct req *r)
{
	struct db *db = db_acquire();

	if (db == NULL)
		api_db_problem(r, NULL, DB_UNAVAILABLE);
	else
		/* The thread's handle served another request before. */
		db_set_org(db, r->user != NULL ? r->user->org_id : NULL);
	return db;
}

void
api_db_problem(struct req *r, const struct db *db, enum db_status st)
{
	switch (st) {
	case DB_UNAVAILABLE:
		resp_header(r, "Retry-After", "1");
		resp_problem(r, 503, "database-unavailable", "The database is "
		    "not reachable right now; try again shortly.");
		break;
	case DB_RETRY:
	case DB_LOCKED:
		/* Busy, not down: another request holds what this one needs. */
		resp_header(r, "Retry-After", "1");
		resp_problem(r, 409, "busy", "Another request is changing the "
		    "same records right now; try again shortly.");
		break;
	case DB_TIMEOUT:
		resp_header(r, "Retry-After", "1");
		resp_problem(r, 503, "timeout", "The database took too long "
		    "over this request; try again shortly.");
		break;
	case DB_UNIQUE:
		resp_problem(r, 409, "conflict", "This conflicts with a record "
		    "that exists already.");
		break;
	case DB_FOREIGN_KEY:
		resp_problem(r, 409, "conflict", "This refers to a record that "
		    "does not exist, or is still referred to.");
		break;
	case DB_CHECK: {
		/* PostgreSQL names a column's check <table>_<column>_check:
		 * that column is the field to blame. */
		size_t t = db ? strlen(db->table) : 0;
		size_t c = db ? strlen(db->constraint) : 0;

		if (t > 0 && c > t + 7 && strncmp(db->constraint, db->table,
		    t) == 0 && db->constraint[t] == '_' &&
		    strcmp(db->constraint + c - 6, "_check") == 0) {
			char field[64];

			snprintf(field, sizeof(field), "%.*s", (int)(c - t - 7),
			    db->constraint + t + 1);
			api_field_error(r, field, "is not an accepted value");
		} else {
			resp_problem(r, 422, "validation-failed", "A value is "
			    "out of the allowed range.");
		}
		break;
	}
	case DB_BAD_INPUT:
		resp_problem(r, 400, "bad-request", "A value has the wrong "
		    "form.");
		break;
	default:
		log_write(LOG_ERROR, "request failed", json_pack("{s:s, s:s}",
		    "sqlstate", db ? db->sqlstate : "", "reason",
		    db ? db->message : ""));
		resp_problem(r, 500, "internal", "The request failed on the "
		    "server; it was logged with its request id.");
	}
}

bool
api_tx(struct req *r, struct db *db, enum db_isolation iso, db_tx_fn fn,
    void *arg)
{
	enum db_status st = db_tx(db, iso, fn, arg);

	if (st == DB_OK)
		return true;
	if (st != DB_TX_ABORTED)
		api_db_problem(r, db, st);
	else if (r->status == 0)
		resp_problem(r, 500, "internal", "The request was abandoned.");
	return false;
}

void
api_too_many(struct req *r, int retry_after_s)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", retry_after_s > 0 ? retry_after_s : 1);
	resp_header(r, "Retry-After", buf);
	resp_problem(r, 429, "rate-limited", "Too many requests from this "
	    "address; try again in %s seconds.", buf);
}

static const char invalid_fields[] = "Some fields are missing or invalid; "
    "see errors.";

void
api_field_error(struct req *r, const char *field, const char *message)
{
	json_t *p = problem_new(422, "validation-failed", invalid_fields);

	problem_add_error(p, field, message);
	resp_problem_json(r, p);
}

struct doc {
	struct req *r;
	const char *query;
	int n;
	const char *const *params;
	char *json;
};

static int
doc_tx(struct db *db, void *arg)
{
	struct doc *d = arg;
	PGresult *res = db_query(db, d->query, d->n, d->params);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		d->json = arena_strdup(d->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
api_doc(struct req *r, const char *query, int n, const char *const *params,
    const char *missing)
{
	struct doc d = {.r = r, .query = query, .n = n, .params = params};
	struct db *db = api_db(r);

	if (db == NULL || !api_tx(r, db, DB_ONE_STATEMENT, doc_tx, &d))
		return;
	if (d.json == NULL)
		resp_problem(r, 404, "not-found", "%s", missing);
	else
		resp_raw_json(r, 200, d.json);
}

void
input_begin(struct input *in, struct req *r)
{
	in->r = r;
	in->body = r->json;
	in->problem = problem_new(422, "validation-failed", invalid_fields);
	in->nerrors = 0;
	if (!json_is_object(in->body)) {
		input_error(in, "", "the body must be a JSON object");
		in->body = NULL;
	}
}

void
input_query_begin(struct input *in, struct req *r)
{
	in->r = r;
	in->body = NULL;
	in->problem = problem_new(422, "validation-failed", invalid_fields);
	in->nerrors = 0;
}

const char *
input_query(struct input *in, const char *name,
    const char *(*rule)(const char *))
{
	const char *v = req_query(in->r, name);
	const char *why;

	if (v != NULL && (why = rule(v)) != NULL) {
		input_error(in, name, why);
		return NULL;
	}
	return v;
}

void
input_error(struct input *in, const char *field, const char *message)
{
	problem_add_error(in->problem, field, message);
	in->nerrors++;
}

void
input_only(struct input *in, const char *const *allowed)
{
	const char *key;
	json_t *v;

	if (in->body == NULL)
		return;
	json_object_foreach(in->body, key, v) {
		bool ok = false;

		for (size_t i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				ok = true;
		if (!ok)
			input_error(in, key, "is not a known field");
	}
}

bool
input_has(struct input *in, const char *field)
{
	return in->body != NULL && json_object_get(in->body, field) != NULL;
}

/* The value of field, or NULL (recording "is required" if it must be). */
static json_t *
value(struct input *in, const char *field, unsigned flags)
{
	json_t *v = in->body ? json_object_get(in->body, field) : NULL;

	if ((v == NULL || json_is_null(v)) && (flags & IN_REQUIRED)) {
		input_error(in, field, "is required");
		return NULL;
	}
	if (v != NULL && json_is_null(v)) {
		if (!(flags & IN_NULLABLE))
			input_error(in, field, "must not be null");
		return NULL;
	}
	return v;
}

const char *
input_string(struct input *in, const char *field, unsigned flags, size_t min,
    size_t max)
{
	json_t *v = value(in, field, flags);
	const char *s;
	size_t n;
	char msg[96];

	if (v == NULL)
		return NULL;
	if (!json_is_string(v)) {
		input_error(in, field, "must be a string");
		return NULL;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		input_error(in, field, "must not contain NUL characters");
		return NULL;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		/* C0 but newlines and tab, DEL, and C1 (U+0080..U+009F). */
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') ||
		    *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			input_error(in, field, "must not contain control "
			    "characters");
			return NULL;
		}
	n = util_utf8_chars(s);
	if (n < min || n > max) {
		if (min == max)
			snprintf(msg, sizeof(msg), "must be %zu character%s",
			    min, min == 1 ? "" : "s");
		else if (min <= 1 && n < min)
			snprintf(msg, sizeof(msg), "must not be empty");
		else
			snprintf(msg, sizeof(msg), "must be %zu to %zu "
			    "characters", min, max);
		input_error(in, field, msg);
		return NULL;
	}
	return arena_strdup(in->r->arena, s);
}

int
input_bool(struct input *in, const char *field, unsigned flags)
{
	json_t *v = value(in, field, flags);

	if (v == NULL)
		return -1;
	if (!json_is_boolean(v)) {
		input_error(in, field, "must be true or false");
		return -1;
	}
	return json_is_true(v) ? 1 : 0;
}

const char *
input_flag(struct input *in, const char *field)
{
	int b;

	if (!input_has(in, field) || (b = input_bool(in, field, 0)) < 0)
		return NULL;
	return b ? "true" : "false";
}

bool
input_int(struct input *in, const char *field, unsigned flags, long min,
    long max, long *out)
{
	json_t *v = value(in, field, flags);
	char msg[96];

	if (v == NULL)
		return false;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		snprintf(msg, sizeof(msg), "must be a whole number from %ld to "
		    "%ld", min, max);
		input_error(in, field, msg);
		return false;
	}
	*out = (long)json_integer_value(v);
	return true;
}

bool
input_end(struct input *in)
{
	if (in->nerrors > 0) {
		resp_problem_json(in->r, in->problem);
		in->problem = NULL;
		return false;
	}
	json_decref(in->problem);
	in->problem = NULL;
	return true;
}

const char *
input_pg_array(struct input *in, const char *field, unsigned flags,
    size_t max_items, const char *(*ok)(const char *))
{
	json_t *v = value(in, field, flags), *item;
	size_t i, len = 2;
	char *lit, *p;
	char msg[96];

	if (v == NULL)
		return NULL;
	if (!json_is_array(v) || json_array_size(v) > max_items) {
		snprintf(msg, sizeof(msg), "must be a list of at most %zu "
		    "strings", max_items);
		input_error(in, field, msg);
		return NULL;
	}
	json_array_foreach(v, i, item) {
		const char *why;

		if (!json_is_string(item)) {
			input_error(in, field, "must hold strings only");
			return NULL;
		}
		if ((why = ok(json_string_value(item))) != NULL) {
			snprintf(msg, sizeof(msg), "item %zu %s", i + 1, why);
			input_error(in, field, msg);
			return NULL;
		}
		len += strlen(json_string_value(item)) + 3;
	}
	lit = p = arena_alloc(in->r->arena, len + 1);
	*p++ = '{';
	json_array_foreach(v, i, item) {
		size_t n = strlen(json_string_value(item));

		/* Quoted, so that a word like null stays a word; ok has
		 * refused '"' and '\\'. */
		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		memcpy(p, json_string_value(item), n);
		p += n;
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return lit;
}

long
api_if_match(struct req *r)
{
	const char *h = req_header(r, "If-Match");
	char *end;
	long v;

	/* "*" matches whatever is there (RFC 9110): no condition then. */
	if (h == NULL || strcmp(h, "*") == 0)
		return 0;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (strncmp(h, "\"v", 2) != 0)
		return -1;
	v = strtol(h + 2, &end, 10);
	if (end == h + 2 || strcmp(end, "\"") != 0 || v < 1)
		return -1;
	return v;
}

void
api_etag(struct req *r, long version)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "\"v%ld\"", version);
	resp_header(r, "ETag", buf);
}

int
api_limit(struct req *r, int def, int max)
{
	const char *s = req_query(r, "limit");
	char *end;
	long n;

	if (s == NULL)
		return def;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n < 1 || n > max) {
		char msg[64];

		snprintf(msg, sizeof(msg), "must be a whole number from 1 to %d",
		    max);
		api_field_error(r, "limit", msg);
		return -1;
	}
	return (int)n;
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
api_iso_time(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int y, m, d, max;

	if (strlen(s) < 10 || (y = digits(s, 4)) < 1 || s[4] != '-' ||
	    (m = digits(s + 5, 2)) < 1 || m > 12 || s[7] != '-' ||
	    (d = digits(s + 8, 2)) < 1)
		return false;
	max = mdays[m - 1] + (m == 2 && y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0));
	if (d > max)
		return false;
	s += 10;
	if (*s == '\0')
		return true;
	if ((*s != 'T' && *s != ' ') || digits(s + 1, 2) < 0 ||
	    digits(s + 1, 2) > 23 || s[3] != ':' || digits(s + 4, 2) < 0 ||
	    digits(s + 4, 2) > 59)
		return false;
	s += 6;
	if (*s == ':') {
		if (digits(s + 1, 2) < 0 || digits(s + 1, 2) > 59)
			return false;
		s += 3;
		if (*s == '.') {
			s++;
			if (*s < '0' || *s > '9')
				return false;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return digits(s + 1, 2) >= 0 && digits(s + 1, 2) <= 14 &&
		    ((s[3] == '\0') || (s[3] == ':' && digits(s + 4, 2) >= 0 &&
		    digits(s + 4, 2) <= 59 && s[6] == '\0'));
	return *s == '\0';
}

bool
api_is_uuid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];

		if (shape[i] == '-' ? c != '-' : !((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

const char *
api_path_id(struct req *r, const char *name, const char *what)
{
	const char *id = req_param(r, name);

	if (!api_is_uuid(id)) {
		resp_problem(r, 404, "not-found", "There is no such %s.", what);
		return NULL;
	}
	return id;
}

bool
api_role_key(const char *s)
{
	size_t n = 0;

	if (s == NULL || !(*s >= 'a' && *s <= 'z'))
		return false;
	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' &&
		    s[n] <= '9') || s[n] == '_'))
			return false;
	return n >= 2 && n <= 32;
}

const char *
api_may(struct req *r, unsigned perm)
{
	return auth_may(r, perm) ? "true" : "false";
}

const char *
api_true_false(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "false") == 0 ? NULL :
	    "must be true or false";
}

struct enqueue {
	struct req *r;
	const char *kind;
	const json_t *payload;
	char id[37];
};

static int
enqueue_tx(struct db *db, void *arg)
{
	struct enqueue *e = arg;
	json_t *empty = json_object();
	int rc = jobs_enqueue(db, e->r->user->org_id, e->r->user->user_id,
	    e->kind, e->payload ? e->payload : empty, NULL, e->id);

	json_decref(empty);
	return rc != 0 ? -1 : 0;
}

void
api_enqueue(struct req *r, const char *kind, const json_t *payload)
{
	struct enqueue e = {r, kind, payload, ""};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    enqueue_tx, &e))
		api_job_accepted(r, e.id, kind);
}

void
api_job_accepted(struct req *r, const char *id, const char *kind)
{
	const char *where = arena_printf(r->arena, "/api/v1/jobs/%s", id);

	jobs_kick();
	resp_header(r, "Location", where);
	resp_json(r, 202, json_pack("{s:s, s:s, s:s, s:s}", "id", id, "kind",
	    kind, "status", "queued", "href", where));
}
