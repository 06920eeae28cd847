/*
 * api_questions.c - the question bank for instructors: list, create,
 * change, delete and restore, import a file, and the statistics.  The
 * bank is shared within an organization: every instructor may read it and
 * use its questions; only a question's author (or an admin) changes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment/api.h"
#include "assessment/bank.h"
#include "assessment/import.h"
#include "assessment/import_job.h"
#include "assessment/question.h"
#include "content/rules.h"
#include "core/util.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"

/* Answers 422 with every error of a question. */
static void
question_problem(struct req *r, const struct question_errors *qe)
{
	struct input in;

	input_query_begin(&in, r);
	for (int i = 0; i < qe->count; i++)
		input_error(&in, qe->e[i].field, qe->e[i].message);
	input_end(&in);
}

/* Answers a refusal or a database error of bank_write. */
static int
write_failed(struct req *r, struct db *db, enum bank_outcome out,
    const struct bank_write *w)
{
	if (out == BANK_REFUSED) {
		api_field_error(r, w->field, w->reason);
		return 1;
	}
	if (db->status == DB_CHECK) {
		const char *field = strstr(db->constraint, "objectives") ?
		    "objectives" : "body";

		api_field_error(r, field, bank_reason(db));
		return 1;
	}
	if (db->status == DB_UNIQUE) {
		resp_problem(r, 409, "conflict", "Another question has this "
		    "external_id.");
		return 1;
	}
	return -1;
}

struct qdoc {
	struct req *r;
	const char *id;
	json_t *q;          /* the normal question to write */
	char *json;
	long version;
	bool del;           /* delete (or restore) */
	bool restore;
};

/* The question's document and version into d; 0, or -1. */
static int
load(struct db *db, struct qdoc *d, const char *id)
{
	const char *p[2] = {id, d->r->user->org_id};
	PGresult *res = db_query(db, "question_get", 2, p);

	if (res == NULL)
		return -1;
	d->json = PQntuples(res) ? arena_strdup(d->r->arena,
	    PQgetvalue(res, 0, 0)) : NULL;
	d->version = PQntuples(res) ? atol(PQgetvalue(res, 0, 1)) : 0;
	PQclear(res);
	return 0;
}

/* The fields of a question that audit events keep. */
static const char *const audited[] = {"external_id", "type", "stem",
    "explanation", "exam", "domain", "objectives", "difficulty", "tags",
    "status", "body", "deleted_at", NULL};

static int
create_tx(struct db *db, void *arg)
{
	struct qdoc *d = arg;
	struct bank_write w = {.org = d->r->user->org_id,
	    .user = d->r->user->user_id,
	    .admin = auth_may(d->r, PERM_CONTENT_ALL)};
	enum bank_outcome out = bank_write(db, d->q, &w);

	if (out != BANK_CREATED)
		return write_failed(d->r, db, out, &w);
	d->id = arena_strdup(d->r->arena, w.new_id);
	if (load(db, d, w.new_id) != 0)
		return -1;
	return audit_change(db, d->r, "question.created", "question", d->id,
	    NULL, d->json, audited);
}

static void
answer_doc(struct req *r, struct qdoc *d, int status)
{
	api_etag(r, d->version);
	resp_raw_json(r, status, d->json);
}

void
question_create(struct req *r)
{
	struct question_errors qe;
	struct qdoc d = {.r = r};
	struct db *db;

	if ((d.q = question_normalize(r->json, "draft", &qe)) == NULL) {
		question_problem(r, &qe);
		return;
	}
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    create_tx, &d)) {
		resp_header(r, "Location", arena_printf(r->arena,
		    "/api/v1/questions/%s", d.id));
		answer_doc(r, &d, 201);
	}
	json_decref(d.q);
}

static int
get_tx(struct db *db, void *arg)
{
	struct qdoc *d = arg;

	return load(db, d, d->id);
}

void
question_get(struct req *r)
{
	struct qdoc d = {.r = r};
	struct db *db;

	if ((d.id = api_path_id(r, "id", "question")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, get_tx, &d))
		return;
	if (d.json == NULL)
		resp_problem(r, 404, "not-found", "There is no such question.");
	else
		answer_doc(r, &d, 200);
}

int
assess_lock(struct db *db, struct req *r, const char *query, const char *id,
    const char *what, bool *deleted)
{
	struct principal *u = r->user;
	const char *p[4] = {id, u->org_id, u->user_id,
	    api_may(r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, query, 4, p);
	long version, want = api_if_match(r);
	bool may;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such %s.", what);
		return 1;
	}
	version = atol(PQgetvalue(res, 0, 0));
	*deleted = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	may = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	if (!may) {
		resp_problem(r, 403, "forbidden", "Only the %s's author or an "
		    "admin may change it.", what);
		return 1;
	}
	if (want != 0 && want != version) {
		resp_problem(r, 412, "stale-version", "The %s was changed since "
		    "you read it (now version %ld).", what, version);
		return 1;
	}
	return 0;
}

/* Locks the question for a change: 0, or 1 after answering, or -1. */
static int
access(struct db *db, struct qdoc *d, bool want_deleted)
{
	bool deleted;
	int rc = assess_lock(db, d->r, "question_access", d->id, "question",
	    &deleted);

	if (rc != 0 || deleted == want_deleted)
		return rc;
	resp_problem(d->r, deleted ? 404 : 409, deleted ? "not-found" :
	    "conflict", deleted ? "There is no such question." :
	    "The question is not deleted.");
	return 1;
}

/* The fields of a question document that a change may keep. */
static json_t *
editable(const char *doc)
{
	static const char *const keep[] = {"external_id", "type", "stem",
	    "explanation", "exam", "domain", "objectives", "difficulty", "tags",
	    "status", "body", NULL};
	json_t *all = json_loads(doc, 0, NULL), *out = json_object();

	for (int i = 0; keep[i]; i++)
		json_object_set(out, keep[i], json_object_get(all, keep[i]));
	json_decref(all);
	return out;
}

static int
patch_tx(struct db *db, void *arg)
{
	struct qdoc *d = arg;
	struct question_errors qe;
	struct bank_write w = {.org = d->r->user->org_id,
	    .user = d->r->user->user_id,
	    .admin = auth_may(d->r, PERM_CONTENT_ALL), .id = d->id};
	enum bank_outcome out;
	json_t *merged;
	char *before;
	int rc;

	if ((rc = access(db, d, false)) != 0 || (rc = load(db, d, d->id)) != 0)
		return rc;
	merged = editable(d->json);
	/* A changed objective list means a new domain unless one is given. */
	if (json_object_get(d->r->json, "objectives") != NULL &&
	    json_object_get(d->r->json, "domain") == NULL)
		json_object_set_new(merged, "domain", json_null());
	json_object_update(merged, d->r->json);
	d->q = question_normalize(merged, "draft", &qe);
	json_decref(merged);
	if (d->q == NULL) {
		question_problem(d->r, &qe);
		return 1;
	}
	before = d->json;
	out = bank_write(db, d->q, &w);
	if (out == BANK_ERROR || out == BANK_REFUSED)
		return write_failed(d->r, db, out, &w);
	if (load(db, d, d->id) != 0)
		return -1;
	return audit_change(db, d->r, "question.updated", "question", d->id,
	    before, d->json, audited);
}

void
question_patch(struct req *r)
{
	struct qdoc d = {.r = r};
	struct db *db;

	if ((d.id = api_path_id(r, "id", "question")) == NULL)
		return;
	if (!json_is_object(r->json)) {
		api_field_error(r, "", "the body must be a JSON object");
		return;
	}
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    patch_tx, &d))
		answer_doc(r, &d, 200);
	json_decref(d.q);
}

static int
delete_tx(struct db *db, void *arg)
{
	struct qdoc *d = arg;
	const char *p[3] = {d->id, d->r->user->org_id, d->del ? "true" :
	    "false"};
	PGresult *res;
	char *before;
	int rc;

	if ((rc = access(db, d, !d->del)) != 0 || (rc = load(db, d, d->id)) != 0)
		return rc;
	before = d->json;
	if ((res = db_query(db, "question_set_deleted", 3, p)) == NULL)
		return -1;
	PQclear(res);
	if (load(db, d, d->id) != 0)
		return -1;
	return audit_change(db, d->r, d->del ? "question.deleted" :
	    "question.restored", "question", d->id, before, d->json, audited);
}

static void
set_deleted(struct req *r, bool del)
{
	struct qdoc d = {.r = r, .del = del};
	struct db *db;

	if ((d.id = api_path_id(r, "id", "question")) == NULL)
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    delete_tx, &d))
		answer_doc(r, &d, 200);
}

void
question_delete(struct req *r)
{
	set_deleted(r, true);
}

void
question_restore(struct req *r)
{
	set_deleted(r, false);
}

/* ---- listing ------------------------------------------------------------- */

static const char *
rule_type(const char *s)
{
	return question_type(s);
}

static const char *
rule_status(const char *s)
{
	return strcmp(s, "draft") == 0 || strcmp(s, "active") == 0 ||
	    strcmp(s, "retired") == 0 ? NULL :
	    "must be draft, active or retired";
}

static const char *
rule_difficulty(const char *s)
{
	return strlen(s) == 1 && s[0] >= '1' && s[0] <= '5' ? NULL :
	    "must be 1 to 5";
}

static const char *
rule_text(const char *s)
{
	size_t n = util_utf8_chars(s);

	return n >= 2 && n <= 200 ? NULL : "must be 2 to 200 characters";
}

void
questions_list(struct req *r)
{
	const char *p[13], *mine;
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->org_id;
	p[1] = input_query(&in, "exam", content_exam_code);
	p[2] = input_query(&in, "domain", content_domain_code);
	p[3] = input_query(&in, "objective", content_objective_code);
	p[4] = input_query(&in, "type", rule_type);
	p[5] = input_query(&in, "status", rule_status);
	p[6] = input_query(&in, "difficulty", rule_difficulty);
	p[7] = input_query(&in, "tag", content_tag);
	p[8] = input_query(&in, "q", rule_text);
	mine = input_query(&in, "mine", api_true_false);
	p[9] = mine && strcmp(mine, "true") == 0 ? r->user->user_id : NULL;
	p[10] = input_query(&in, "deleted", api_true_false);
	p[11] = input_query(&in, "after", content_uuid);
	if (!input_end(&in) || (limit = api_limit(r, 50, 200)) < 0)
		return;
	if (p[8] != NULL)
		p[8] = util_utf8_sanitize(arena_strdup(r->arena, p[8]));
	p[12] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "questions_list", 13, p, "Nothing is there.");
}

void
question_stats(struct req *r)
{
	const char *p[2];

	if ((p[0] = api_path_id(r, "id", "question")) == NULL)
		return;
	p[1] = r->user->org_id;
	api_doc(r, "question_stats", 2, p, "There is no such question.");
}

void
questions_stats(struct req *r)
{
	const char *p[5], *mine;
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->org_id;
	p[1] = input_query(&in, "exam", content_exam_code);
	p[2] = input_query(&in, "flagged", api_true_false);
	mine = input_query(&in, "mine", api_true_false);
	p[3] = mine && strcmp(mine, "true") == 0 ? r->user->user_id : NULL;
	if (!input_end(&in) || (limit = api_limit(r, 50, 500)) < 0)
		return;
	p[4] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "questions_stats", 5, p, "Nothing is there.");
}

/* ---- import -------------------------------------------------------------- */

struct upload {
	struct req *r;
	struct import_list list;
	struct import_options o;
	bool dry_run;
	json_t *report;
};

static int
import_tx(struct db *db, void *arg)
{
	struct upload *u = arg;

	json_decref(u->report);
	if ((u->report = bank_import(db, &u->list, &u->o)) == NULL)
		return -1;
	json_object_set_new(u->report, "dry_run", json_boolean(u->dry_run));
	if (u->dry_run) {
		/* Nothing is kept: the report is the answer. */
		resp_json(u->r, 200, json_incref(u->report));
		return 1;
	}
	return 0;
}

/* The format from ?format=, else from the Content-Type; -1 after a 422. */
static int
upload_format(struct req *r)
{
	const char *f = req_query(r, "format");
	const char *ct = req_header(r, "Content-Type");
	int fmt;

	if (f == NULL && ct != NULL && strncasecmp(ct, "text/csv", 8) == 0)
		f = "csv";
	if (f == NULL) {
		api_field_error(r, "format", "is required: csv, gift or aiken");
		return -1;
	}
	if ((fmt = import_format_by_name(f)) < 0) {
		api_field_error(r, "format", "must be csv, gift or aiken");
		return -1;
	}
	return fmt;
}

struct queued {
	struct req *r;
	json_t *payload;
	char id[37];
};

static int
enqueue_tx(struct db *db, void *arg)
{
	struct queued *q = arg;
	/* The body holds no NUL: import_parse() refuses one. */
	const char *input = arena_strndup(q->r->arena, q->r->body,
	    q->r->body_len);

	return jobs_enqueue(db, q->r->user->org_id, q->r->user->user_id,
	    IMPORT_JOB_KIND, q->payload, input, q->id);
}

/* A large file is saved by a background job: 202 and where to follow it. */
static void
import_later(struct req *r, const struct upload *u, const char *format)
{
	struct queued q = {.r = r};
	struct db *db;
	char *where;

	q.payload = json_pack("{s:s, s:s?, s:s, s:b, s:b}", "format", format,
	    "exam", u->o.exam, "status", u->o.status, "admin", u->o.admin,
	    "dry_run", u->dry_run);
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    enqueue_tx, &q)) {
		jobs_kick();
		where = arena_printf(r->arena, "/api/v1/jobs/%s", q.id);
		resp_header(r, "Location", where);
		resp_json(r, 202, json_pack("{s:s, s:s, s:s, s:i, s:s}", "id",
		    q.id, "kind", IMPORT_JOB_KIND, "status", "queued",
		    "records", (int)u->list.count, "href", where));
	}
	json_decref(q.payload);
}

void
questions_import(struct req *r)
{
	struct upload u = {.r = r};
	struct input in;
	const char *dry, *status, *later;
	struct db *db;
	int fmt;

	if ((fmt = upload_format(r)) < 0)
		return;
	input_query_begin(&in, r);
	u.o.exam = input_query(&in, "exam", content_exam_code);
	status = input_query(&in, "status", rule_status);
	dry = input_query(&in, "dry_run", api_true_false);
	later = input_query(&in, "background", api_true_false);
	if (!input_end(&in))
		return;
	if (r->body_len == 0) {
		resp_problem(r, 400, "empty-body", "Send the file as the body "
		    "of the request.");
		return;
	}
	if (import_parse((enum import_format)fmt, r->body, r->body_len,
	    &u.list) != 0) {
		json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:i}", "type",
		    "/problems/unreadable-file", "title", "Unprocessable Content",
		    "status", 422, "detail", u.list.error ? u.list.error :
		    "The file cannot be read.", "line", u.list.error_line);

		resp_problem_json(r, p);
		import_list_free(&u.list);
		return;
	}
	u.dry_run = dry != NULL && strcmp(dry, "true") == 0;
	u.o.org = r->user->org_id;
	u.o.user = r->user->user_id;
	u.o.admin = auth_may(r, PERM_CONTENT_ALL);
	u.o.status = status ? status : "active";
	if ((later != NULL && strcmp(later, "true") == 0) ||
	    u.list.count > IMPORT_SYNC_MAX_RECORDS ||
	    r->body_len > IMPORT_SYNC_MAX_BYTES) {
		static const char *const names[] = {
			[IMPORT_CSV] = "csv", [IMPORT_GIFT] = "gift",
			[IMPORT_AIKEN] = "aiken",
		};

		import_later(r, &u, names[fmt]);
		import_list_free(&u.list);
		return;
	}
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    import_tx, &u))
		resp_json(r, 200, json_incref(u.report));
	json_decref(u.report);
	import_list_free(&u.list);
}
