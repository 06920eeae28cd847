/*
 * api_assessments.c - quizzes, practice exams and exam simulations:
 * list, read, create, change, delete, and the fixed list of questions.
 *
 * A change (PATCH) is merged into the assessment as it stands and the
 * result is checked like a new one, so the rules that tie fields together
 * (a simulation has an exam, rules have a count) hold after any change.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/api.h"
#include "content/api.h"
#include "content/rules.h"
#include "http/api.h"
#include "http/audit.h"

#define FIELDS 18

/* The fields in assessment_insert/_update order ($3...$20). */
struct fields {
	const char *v[FIELDS];
	char *rules;          /* malloc'd JSON */
	const char *domains;  /* the rules' domain codes, a text[] literal */
	const char *objectives; /* and objective codes */
	char count[24], limit[24], percent[24], attempts[24];
};

static bool
one_of(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Checks rules; returns the normal form and the sum of domain counts. */
static json_t *
check_rules(struct input *in, json_t *rules, bool *has_exam_parts,
    long *sum)
{
	static const char *const keys[] = {"domains", "difficulty",
	    "objectives", "tags", NULL};
	json_t *out = json_object(), *v, *d;
	const char *k;
	size_t i;
	int counts = 0, weights = 0;

	*has_exam_parts = false;
	*sum = 0;
	if (rules == NULL || json_is_null(rules))
		return out;
	if (!json_is_object(rules)) {
		input_error(in, "rules", "must be an object");
		return out;
	}
	json_object_foreach(rules, k, v)
		if (!one_of(k, keys))
			input_error(in, arena_printf(in->r->arena, "rules.%s", k),
			    "is not a known field");
	if ((v = json_object_get(rules, "domains")) != NULL) {
		json_t *list = json_array();

		if (!json_is_array(v) || json_array_size(v) > 20)
			input_error(in, "rules.domains", "must be a list of at "
			    "most 20 {\"code\", \"count\" or \"weight\"}");
		else
			json_array_foreach(v, i, d) {
				const char *code = json_string_value(
				    json_object_get(d, "code"));
				json_t *c = json_object_get(d, "count");
				json_t *w = json_object_get(d, "weight");
				const char *f = arena_printf(in->r->arena,
				    "rules.domains[%zu]", i);
				size_t n = code ? strspn(code, "0123456789") : 0;

				if (code == NULL || n < 1 || n > 2 ||
				    strcmp(code + n, ".0") != 0 ||
				    json_object_size(d) != 2 || (c == NULL) ==
				    (w == NULL) || (c && (!json_is_integer(c) ||
				    json_integer_value(c) < 1 ||
				    json_integer_value(c) > 500)) || (w &&
				    (!json_is_number(w) || json_number_value(w)
				    <= 0 || json_number_value(w) > 100))) {
					input_error(in, f, "must be {\"code\": "
					    "\"2.0\", \"count\": 1..500} or "
					    "{\"code\", \"weight\": 0..100}");
					continue;
				}
				counts += c != NULL;
				weights += w != NULL;
				if (c)
					*sum += (long)json_integer_value(c);
				json_array_append(list, d);
			}
		if (counts && weights)
			input_error(in, "rules.domains", "give every domain a "
			    "count, or every domain a weight");
		*has_exam_parts = json_array_size(list) > 0;
		json_object_set_new(out, "domains", list);
	}
	if ((v = json_object_get(rules, "difficulty")) != NULL) {
		json_t *lo = json_object_get(v, "min"), *hi = json_object_get(v,
		    "max");
		json_int_t a = json_is_integer(lo) ? json_integer_value(lo) : 1;
		json_int_t b = json_is_integer(hi) ? json_integer_value(hi) : 5;

		if (!json_is_object(v) || (lo && !json_is_integer(lo)) ||
		    (hi && !json_is_integer(hi)) || a < 1 || b > 5 || a > b)
			input_error(in, "rules.difficulty", "must be {\"min\", "
			    "\"max\"} within 1..5, min <= max");
		else
			json_object_set_new(out, "difficulty", json_pack(
			    "{s:I, s:I}", "min", a, "max", b));
	}
	for (int t = 0; t < 2; t++) {
		const char *name = t ? "tags" : "objectives";
		const char *(*ok)(const char *) = t ? content_tag :
		    content_objective_code;

		if ((v = json_object_get(rules, name)) == NULL)
			continue;
		if (!json_is_array(v) || json_array_size(v) > 50) {
			input_error(in, arena_printf(in->r->arena, "rules.%s",
			    name), "must be a list of at most 50");
			continue;
		}
		json_array_foreach(v, i, d)
			if (!json_is_string(d) || ok(json_string_value(d))) {
				input_error(in, arena_printf(in->r->arena,
				    "rules.%s[%zu]", name, i), json_is_string(d) ?
				    ok(json_string_value(d)) : "must be a string");
				break;
			}
		json_object_set(out, name, v);
		if (!t && json_array_size(v) > 0)
			*has_exam_parts = true;
	}
	return out;
}

/* Reads and checks the assessment in r->json into f; false after 422. */
static bool
read_fields(struct req *r, struct fields *f)
{
	static const char *const fields[] = {"title", "description", "kind",
	    "exam", "lesson_id", "selection", "rules", "question_count",
	    "shuffle_questions", "shuffle_options", "time_limit_seconds",
	    "passing_percent", "max_attempts", "available_from",
	    "available_until", "feedback", "partial_credit", "status", NULL};
	static const char *const kinds[] = {"quiz", "practice_exam",
	    "exam_simulation", NULL};
	static const char *const selections[] = {"fixed", "rules", NULL};
	static const char *const feedbacks[] = {"immediate", "end", NULL};
	static const char *const statuses[] = {"draft", "published", NULL};
	struct input in;
	json_t *rules, *pp;
	bool exam_parts;
	long n, sum;
	int b;

	memset(f, 0, sizeof(*f));
	input_begin(&in, r);
	input_only(&in, fields);
	f->v[0] = input_string(&in, "title", IN_REQUIRED, 1, 200);
	f->v[1] = input_string(&in, "description", IN_NULLABLE, 0, 5000);
	f->v[2] = input_string(&in, "kind", 0, 1, 32);
	if (f->v[2] == NULL)
		f->v[2] = "quiz";
	else if (!one_of(f->v[2], kinds))
		input_error(&in, "kind", "must be quiz, practice_exam or "
		    "exam_simulation");
	f->v[3] = input_string(&in, "exam", IN_NULLABLE, 1, 32);
	f->v[4] = input_string(&in, "lesson_id", IN_NULLABLE, 1, 64);
	if (f->v[4] != NULL && !api_is_uuid(f->v[4]))
		input_error(&in, "lesson_id", "must be a lesson id");
	rules = check_rules(&in, in.body ? json_object_get(in.body, "rules") :
	    NULL, &exam_parts, &sum);
	/* Codes check_rules accepted: no quoting needed. */
	f->domains = db_text_array(r->arena, json_object_get(rules, "domains"),
	    "code");
	f->objectives = db_text_array(r->arena, json_object_get(rules,
	    "objectives"), NULL);
	f->rules = json_dumps(rules, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rules);
	f->v[6] = f->rules;
	f->v[5] = input_string(&in, "selection", 0, 1, 10);
	if (f->v[5] == NULL)
		f->v[5] = strcmp(f->v[2], "exam_simulation") == 0 ||
		    strcmp(f->rules, "{}") != 0 ? "rules" : "fixed";
	else if (!one_of(f->v[5], selections))
		input_error(&in, "selection", "must be fixed or rules");
	if (input_int(&in, "question_count", IN_NULLABLE, 1, 500, &n)) {
		snprintf(f->count, sizeof(f->count), "%ld", n);
		f->v[7] = f->count;
	} else if (sum > 0 && !input_has(&in, "question_count")) {
		snprintf(f->count, sizeof(f->count), "%ld", sum);
		f->v[7] = f->count;
	}
	if (f->v[7] != NULL && sum > atol(f->v[7]))
		input_error(&in, "question_count", "is less than the domain "
		    "counts add up to");
	b = input_bool(&in, "shuffle_questions", 0);
	f->v[8] = b == 0 ? "false" : "true";
	b = input_bool(&in, "shuffle_options", 0);
	f->v[9] = b == 0 ? "false" : "true";
	if (input_int(&in, "time_limit_seconds", IN_NULLABLE, 60, 86400, &n)) {
		snprintf(f->limit, sizeof(f->limit), "%ld", n);
		f->v[10] = f->limit;
	}
	pp = in.body ? json_object_get(in.body, "passing_percent") : NULL;
	if (pp != NULL && !json_is_null(pp)) {
		if (!json_is_number(pp) || json_number_value(pp) < 0 ||
		    json_number_value(pp) > 100)
			input_error(&in, "passing_percent", "must be a number "
			    "from 0 to 100");
		else {
			snprintf(f->percent, sizeof(f->percent), "%.2f",
			    json_number_value(pp));
			f->v[11] = f->percent;
		}
	}
	if (input_int(&in, "max_attempts", IN_NULLABLE, 1, 1000, &n)) {
		snprintf(f->attempts, sizeof(f->attempts), "%ld", n);
		f->v[12] = f->attempts;
	}
	f->v[13] = input_string(&in, "available_from", IN_NULLABLE, 10, 40);
	if (f->v[13] != NULL && !api_iso_time(f->v[13]))
		input_error(&in, "available_from", "must be an ISO 8601 time");
	f->v[14] = input_string(&in, "available_until", IN_NULLABLE, 10, 40);
	if (f->v[14] != NULL && !api_iso_time(f->v[14]))
		input_error(&in, "available_until", "must be an ISO 8601 time");
	f->v[15] = input_string(&in, "feedback", 0, 1, 10);
	if (f->v[15] == NULL)
		f->v[15] = "end";
	else if (!one_of(f->v[15], feedbacks))
		input_error(&in, "feedback", "must be immediate or end");
	b = input_bool(&in, "partial_credit", IN_NULLABLE);
	f->v[16] = b == 1 ? "true" : b == 0 ? "false" :
	    strcmp(f->v[2], "exam_simulation") == 0 ? "false" : "true";
	f->v[17] = input_string(&in, "status", 0, 1, 10);
	if (f->v[17] == NULL)
		f->v[17] = "draft";
	else if (!one_of(f->v[17], statuses))
		input_error(&in, "status", "must be draft or published");

	if (strcmp(f->v[2], "exam_simulation") == 0 && f->v[3] == NULL)
		input_error(&in, "exam", "is required for an exam simulation");
	if (exam_parts && f->v[3] == NULL)
		input_error(&in, "exam", "is required with domains or "
		    "objectives in the rules");
	if (strcmp(f->v[5], "rules") == 0 && f->v[7] == NULL &&
	    strcmp(f->v[2], "exam_simulation") != 0)
		input_error(&in, "question_count", "is required when questions "
		    "are drawn by rules");
	if (strcmp(f->v[5], "rules") == 0 && f->v[3] == NULL)
		input_error(&in, "exam", "is required when questions are drawn "
		    "by rules");
	return input_end(&in);
}

struct adoc {
	struct req *r;
	const char *id;
	struct fields f;
	char *json;
	long version;
	json_t *questions;
	bool del;             /* delete, or restore */
};

/* The fields of an assessment that audit events keep. */
static const char *const audited[] = {"title", "description", "kind",
    "exam", "lesson_id", "selection", "rules", "question_count",
    "shuffle_questions", "shuffle_options", "time_limit_seconds",
    "passing_percent", "max_attempts", "available_from", "available_until",
    "feedback", "partial_credit", "status", "deleted_at",
    "questions:question_id,points", NULL};

static int
load(struct db *db, struct adoc *d)
{
	struct principal *u = d->r->user;
	const char *p[4] = {d->id, u->org_id, u->user_id,
	    api_may(d->r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, "assessment_get", 4, p);

	if (res == NULL)
		return -1;
	d->json = PQntuples(res) ? arena_strdup(d->r->arena,
	    PQgetvalue(res, 0, 0)) : NULL;
	d->version = PQntuples(res) ? atol(PQgetvalue(res, 0, 1)) : 0;
	PQclear(res);
	return 0;
}

/* The exam and the lesson the fields name: 0, 1 after a 422, -1. */
static int
check_refs(struct db *db, struct adoc *d)
{
	struct principal *u = d->r->user;
	PGresult *res;
	int rc;

	if ((rc = content_check_exam(db, d->r, d->f.v[3])) != 0)
		return rc;
	if (d->f.v[3] != NULL) {
		/* The rules name domains and objectives of the exam. */
		const char *p[3] = {d->f.v[3], d->f.domains, d->f.objectives};

		if ((res = db_query(db, "assessment_rules_refs", 3, p)) == NULL)
			return -1;
		if (PQntuples(res) == 1) {
			api_field_error(d->r, arena_printf(d->r->arena,
			    "rules.%s[%s]", PQgetvalue(res, 0, 0),
			    PQgetvalue(res, 0, 2)), arena_printf(
			    d->r->arena, "%s is not in the exam %s",
			    PQgetvalue(res, 0, 1), d->f.v[3]));
			PQclear(res);
			return 1;
		}
		PQclear(res);
	}
	if (d->f.v[4] != NULL) {
		const char *p[4] = {d->f.v[4], u->org_id, u->user_id,
		    api_may(d->r, PERM_CONTENT_ALL)};
		bool ok;

		if ((res = db_query(db, "assessment_lesson_ok", 4, p)) == NULL)
			return -1;
		ok = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0),
		    "t") == 0 && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		PQclear(res);
		if (!ok) {
			api_field_error(d->r, "lesson_id", "is not a lesson "
			    "whose course you may edit");
			return 1;
		}
	}
	return 0;
}

static void
params(struct adoc *d, const char **p, const char *a, const char *b)
{
	p[0] = a;
	p[1] = b;
	for (int i = 0; i < FIELDS; i++)
		p[2 + i] = d->f.v[i];
}

static int
create_tx(struct db *db, void *arg)
{
	struct adoc *d = arg;
	const char *p[2 + FIELDS];
	PGresult *res;
	int rc;

	if ((rc = check_refs(db, d)) != 0)
		return rc;
	params(d, p, d->r->user->org_id, d->r->user->user_id);
	if ((res = db_query(db, "assessment_insert", 2 + FIELDS, p)) == NULL)
		return -1;
	d->id = arena_strdup(d->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (load(db, d) != 0)
		return -1;
	return audit_change(db, d->r, "assessment.created", "assessment", d->id,
	    NULL, d->json, audited);
}

static void
answer(struct req *r, struct adoc *d, int status)
{
	api_etag(r, d->version);
	resp_raw_json(r, status, d->json);
}

void
assessment_create(struct req *r)
{
	struct adoc d = {.r = r};
	struct db *db;

	if (!read_fields(r, &d.f)) {
		free(d.f.rules);
		return;
	}
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    create_tx, &d)) {
		resp_header(r, "Location", arena_printf(r->arena,
		    "/api/v1/assessments/%s", d.id));
		answer(r, &d, 201);
	}
	free(d.f.rules);
}

static int
get_tx(struct db *db, void *arg)
{
	return load(db, arg);
}

void
assessment_get(struct req *r)
{
	struct adoc d = {.r = r};
	struct db *db;

	if ((d.id = api_path_id(r, "id", "assessment")) == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, get_tx, &d))
		return;
	if (d.json == NULL)
		resp_problem(r, 404, "not-found", "There is no such "
		    "assessment.");
	else
		answer(r, &d, 200);
}

/*
 * Locks the assessment for a change (a live one, or a deleted one to
 * restore): 0, or 1 after answering, -1.
 */
static int
access(struct db *db, struct adoc *d, bool want_deleted)
{
	bool deleted;
	int rc = assess_lock(db, d->r, "assessment_access", d->id,
	    "assessment", &deleted);

	if (rc != 0 || deleted == want_deleted)
		return rc;
	resp_problem(d->r, deleted ? 404 : 409, deleted ? "not-found" :
	    "conflict", deleted ? "There is no such assessment." :
	    "The assessment is not deleted.");
	return 1;
}

static int
patch_tx(struct db *db, void *arg)
{
	struct adoc *d = arg;
	const char *p[2] = {d->id, d->r->user->org_id};
	const char *q[2 + FIELDS];
	PGresult *res;
	json_t *merged;
	char *before;
	int rc;

	if ((rc = access(db, d, false)) != 0 || (rc = load(db, d)) != 0)
		return rc;
	before = d->json;
	if ((res = db_query(db, "assessment_source", 2, p)) == NULL)
		return -1;
	merged = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (merged == NULL)
		return -1;
	json_object_update(merged, d->r->json);
	/* Checked like a new one: the body becomes the merged object. */
	json_decref(d->r->json);
	d->r->json = merged;
	if (!read_fields(d->r, &d->f) || (rc = check_refs(db, d)) != 0)
		return rc ? rc : 1;
	params(d, q, d->id, d->r->user->org_id);
	if ((res = db_query(db, "assessment_update", 2 + FIELDS, q)) == NULL)
		return -1;
	PQclear(res);
	if (load(db, d) != 0)
		return -1;
	return audit_change(db, d->r, "assessment.updated", "assessment", d->id,
	    before, d->json, audited);
}

void
assessment_patch(struct req *r)
{
	struct adoc d = {.r = r};
	struct db *db;

	if ((d.id = api_path_id(r, "id", "assessment")) == NULL)
		return;
	if (!json_is_object(r->json)) {
		api_field_error(r, "", "the body must be a JSON object");
		return;
	}
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    patch_tx, &d))
		answer(r, &d, 200);
	free(d.f.rules);
}

static int
delete_tx(struct db *db, void *arg)
{
	struct adoc *d = arg;
	const char *p[3] = {d->id, d->r->user->org_id, d->del ? "true" :
	    "false"};
	PGresult *res;
	char *before;
	int rc;

	if ((rc = access(db, d, !d->del)) != 0 || (rc = load(db, d)) != 0)
		return rc;
	before = d->json;
	if ((res = db_query(db, "assessment_set_deleted", 3, p)) == NULL)
		return -1;
	PQclear(res);
	if (load(db, d) != 0)
		return -1;
	return audit_change(db, d->r, d->del ? "assessment.deleted" :
	    "assessment.restored", "assessment", d->id, before, d->json,
	    audited);
}

static void
set_deleted(struct req *r, bool del)
{
	struct adoc d = {.r = r, .del = del};
	struct db *db;

	if ((d.id = api_path_id(r, "id", "assessment")) == NULL)
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    delete_tx, &d)) {
		if (del)
			resp_json(r, 200, json_pack("{s:s, s:b}", "id", d.id,
			    "deleted", 1));
		else
			answer(r, &d, 200);
	}
}

void
assessment_delete(struct req *r)
{
	set_deleted(r, true);
}

void
assessment_restore(struct req *r)
{
	set_deleted(r, false);
}

static int
questions_tx(struct db *db, void *arg)
{
	struct adoc *d = arg;
	char *list = json_dumps(d->questions, JSON_COMPACT);
	const char *p[3] = {d->id, d->r->user->org_id, list};
	PGresult *res;
	size_t i, got;
	char *before;
	int rc;
	json_t *v;

	if ((rc = access(db, d, false)) != 0 || (rc = load(db, d)) != 0) {
		free(list);
		return rc;
	}
	before = d->json;
	if ((res = db_query(db, "assessment_clear_questions", 1, p)) == NULL) {
		free(list);
		return -1;
	}
	PQclear(res);
	res = db_query(db, "assessment_set_questions", 3, p);
	free(list);
	if (res == NULL)
		return -1;
	got = (size_t)PQntuples(res);
	PQclear(res);
	if (got != json_array_size(d->questions)) {
		/* Say which: the ones that are not live questions of ours. */
		const char *q[2];

		json_array_foreach(d->questions, i, v) {
			q[0] = json_string_value(json_object_get(v,
			    "question_id"));
			q[1] = d->r->user->org_id;
			if ((res = db_query(db, "question_get", 2, q)) == NULL)
				return -1;
			got = (size_t)PQntuples(res);
			PQclear(res);
			if (got == 0) {
				api_field_error(d->r, arena_printf(d->r->arena,
				    "questions[%zu].question_id", i),
				    "is not a question of the bank");
				return 1;
			}
		}
		api_field_error(d->r, "questions", "holds deleted questions");
		return 1;
	}
	if (load(db, d) != 0)
		return -1;
	return audit_change(db, d->r, "assessment.questions_set", "assessment",
	    d->id, before, d->json, audited);
}

void
assessment_questions(struct req *r)
{
	struct adoc d = {.r = r};
	json_t *list = json_object_get(r->json, "questions"), *v;
	struct input in;
	struct db *db;
	size_t i;

	if ((d.id = api_path_id(r, "id", "assessment")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, (const char *const[]){"questions", NULL});
	if (!json_is_array(list) || json_array_size(list) > 500)
		input_error(&in, "questions", "must be a list of up to 500 "
		    "{\"question_id\", \"points\"}");
	else
		json_array_foreach(list, i, v) {
			json_t *id = json_object_get(v, "question_id");
			json_t *pts = json_object_get(v, "points");
			size_t j;
			json_t *w;

			if (!json_is_string(id) || !api_is_uuid(
			    json_string_value(id)) || (pts != NULL &&
			    (!json_is_number(pts) || json_number_value(pts) <= 0
			    || json_number_value(pts) > 100 ||
			    fabs(json_number_value(pts) * 100 -
			    round(json_number_value(pts) * 100)) > 1e-9)) ||
			    json_object_size(v) != 1 + (pts != NULL)) {
				input_error(&in, arena_printf(r->arena,
				    "questions[%zu]", i), "must be {\"question_id"
				    "\": a question id, \"points\": 0.01..100}");
				continue;
			}
			json_array_foreach(list, j, w)
				if (j < i && json_equal(json_object_get(w,
				    "question_id"), id)) {
					input_error(&in, arena_printf(r->arena,
					    "questions[%zu]", i), "is listed "
					    "twice");
					break;
				}
		}
	if (!input_end(&in))
		return;
	d.questions = list;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    questions_tx, &d))
		answer(r, &d, 200);
}

void
assessments_list(struct req *r)
{
	static const char *const kinds[] = {"quiz", "practice_exam",
	    "exam_simulation", NULL};
	const char *p[9], *status;
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->org_id;
	p[1] = r->user->user_id;
	p[2] = api_may(r, PERM_CONTENT_ALL);
	p[3] = input_query(&in, "exam", content_exam_code);
	p[4] = req_query(r, "kind");
	if (p[4] != NULL && !one_of(p[4], kinds))
		input_error(&in, "kind", "must be quiz, practice_exam or "
		    "exam_simulation");
	p[5] = req_query(r, "lesson");
	if (p[5] != NULL && !api_is_uuid(p[5]))
		input_error(&in, "lesson", "must be a lesson id");
	status = req_query(r, "status");
	if (status != NULL && strcmp(status, "published") != 0 &&
	    strcmp(status, "draft") != 0 && strcmp(status, "all") != 0)
		input_error(&in, "status", "must be published, draft or all");
	p[6] = status;
	p[7] = req_query(r, "after");
	if (p[7] != NULL && !api_is_uuid(p[7]))
		input_error(&in, "after", "must be an assessment id");
	if (!input_end(&in) || (limit = api_limit(r, 20, 100)) < 0)
		return;
	p[8] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "assessments_list", 9, p, "Nothing is there.");
}

struct results {
	struct req *r;
	const char *p[5];
	int found;            /* 0 none, 1 not allowed, 2 json */
	char *json;
};

static int
results_tx(struct db *db, void *arg)
{
	struct results *x = arg;
	PGresult *res = db_query(db, "assessment_results", 5, x->p);

	if (res == NULL)
		return -1;
	x->found = PQntuples(res) == 0 ? 0 : strcmp(PQgetvalue(res, 0, 0),
	    "t") == 0 ? 2 : 1;
	if (x->found == 2)
		x->json = arena_strdup(x->r->arena, PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

void
assessment_results(struct req *r)
{
	struct results x = {.r = r};
	struct db *db;
	int limit;

	if ((x.p[0] = api_path_id(r, "id", "assessment")) == NULL ||
	    (limit = api_limit(r, 100, 1000)) < 0)
		return;
	x.p[1] = r->user->org_id;
	x.p[2] = r->user->user_id;
	x.p[3] = api_may(r, PERM_CONTENT_ALL);
	x.p[4] = arena_printf(r->arena, "%d", limit);
	if ((db = api_db(r)) == NULL || !api_tx(r, db, DB_READ_COMMITTED,
	    results_tx, &x))
		return;
	if (x.found == 0)
		resp_problem(r, 404, "not-found", "There is no such "
		    "assessment.");
	else if (x.found == 1)
		resp_problem(r, 403, "forbidden", "Only the assessment's author "
		    "or an admin sees its results.");
	else
		resp_raw_json(r, 200, x.json);
}
