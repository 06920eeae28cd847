/*
 * bank.c - writes to the question bank, shared by the authoring API and
 * every importer, so that a question is the same whichever way it came.
 */
#include "assessment/bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/question.h"

#define MAX_REPORTED 1000

static const char *
str(const json_t *q, const char *key)
{
	return json_string_value(json_object_get(q, key));
}

static void
refuse(struct bank_write *w, const char *field, const char *reason)
{
	snprintf(w->field, sizeof(w->field), "%s", field);
	if (reason != w->reason)
		snprintf(w->reason, sizeof(w->reason), "%s", reason);
}

/* Whether the exam and domain exist: 0, 1 refused, -1 error. */
static int
check_refs(struct db *db, const json_t *q, struct bank_write *w)
{
	const char *p[2] = {str(q, "exam"), str(q, "domain")};
	PGresult *res = db_query(db, "question_refs", 2, p);
	bool exam, domain;

	if (res == NULL)
		return -1;
	exam = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	domain = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (!exam) {
		snprintf(w->reason, sizeof(w->reason), "%s is not an exam code "
		    "(see /api/v1/exams)", p[0]);
		refuse(w, "exam", w->reason);
		return 1;
	}
	if (!domain) {
		snprintf(w->reason, sizeof(w->reason), "%s is not a domain of "
		    "the exam %s", p[1], p[0]);
		refuse(w, "domain", w->reason);
		return 1;
	}
	return 0;
}

/* Finds the question an import record means: 0, 1 refused, -1 error. */
static int
find(struct db *db, const json_t *q, const char *hash, struct bank_write *w)
{
	const char *p[3] = {w->org, str(q, "external_id"), hash};
	PGresult *res = db_query(db, "question_find", 3, p);
	int rc = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		if (strcmp(PQgetvalue(res, 0, 2), "t") == 0) {
			refuse(w, "external_id", "names a deleted question; "
			    "restore it first");
			rc = 1;
		} else if (!w->admin && strcmp(PQgetvalue(res, 0, 1),
		    w->user) != 0) {
			refuse(w, "external_id", "names a question of another "
			    "author");
			rc = 1;
		} else
			snprintf(w->new_id, sizeof(w->new_id), "%s",
			    PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return rc;
}

enum bank_outcome
bank_write(struct db *db, const json_t *q, struct bank_write *w)
{
	char hash[65], difficulty[8];
	struct arena *a;
	char *body;
	const char *p[14];
	enum bank_outcome out;
	PGresult *res;
	int rc;

	w->new_id[0] = w->field[0] = w->reason[0] = '\0';
	if ((rc = check_refs(db, q, w)) != 0)
		return rc > 0 ? BANK_REFUSED : BANK_ERROR;
	question_hash(q, hash);
	if (w->id != NULL)
		snprintf(w->new_id, sizeof(w->new_id), "%s", w->id);
	else if (w->match && (rc = find(db, q, hash, w)) != 0)
		return rc > 0 ? BANK_REFUSED : BANK_ERROR;

	body = json_dumps(json_object_get(q, "body"), JSON_COMPACT);
	a = arena_new();
	snprintf(difficulty, sizeof(difficulty), "%d",
	    (int)json_integer_value(json_object_get(q, "difficulty")));
	p[2] = str(q, "external_id");
	p[3] = hash;
	p[4] = str(q, "type");
	p[5] = str(q, "stem");
	p[6] = str(q, "explanation");
	p[7] = body;
	p[8] = str(q, "exam");
	p[9] = str(q, "domain");
	/* Objective codes and tags that question.c checked: no quoting. */
	p[10] = db_text_array(a, json_object_get(q, "objectives"), NULL);
	p[11] = difficulty;
	p[12] = db_text_array(a, json_object_get(q, "tags"), NULL);
	p[13] = str(q, "status");
	if (w->new_id[0] != '\0') {
		p[0] = w->new_id;
		p[1] = w->org;
		res = db_query(db, "question_update", 14, p);
		out = res == NULL ? BANK_ERROR : PQntuples(res) == 1 ?
		    BANK_UPDATED : BANK_UNCHANGED;
	} else {
		p[0] = w->org;
		p[1] = w->user;
		res = db_query(db, "question_insert", 14, p);
		out = res == NULL ? BANK_ERROR : BANK_CREATED;
		if (res != NULL)
			snprintf(w->new_id, sizeof(w->new_id), "%s",
			    PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	free(body);
	arena_free(a);
	return out;
}

const char *
bank_reason(const struct db *db)
{
	switch (db->status) {
	case DB_CHECK:
		return strncmp(db->constraint, "questions_objectives_", 21) == 0 ?
		    db->message : "a value is out of the allowed range";
	case DB_UNIQUE:
		return "another question has this external_id";
	case DB_FOREIGN_KEY:
		return "it refers to something that does not exist";
	default:
		return "a value has the wrong form";
	}
}

static bool
command(struct db *db, const char *sql)
{
	PGresult *res = db_exec(db, sql);

	PQclear(res);
	return res != NULL;
}

static void
report_error(json_t *report, int line, const char *reason)
{
	json_t *errors = json_object_get(report, "errors");

	json_object_set_new(report, "failed", json_integer(json_integer_value(
	    json_object_get(report, "failed")) + 1));
	if (json_array_size(errors) < MAX_REPORTED)
		json_array_append_new(errors, json_pack("{s:i, s:s}", "line",
		    line, "reason", reason));
}

static void
count(json_t *report, const char *what)
{
	json_object_set_new(report, what, json_integer(json_integer_value(
	    json_object_get(report, what)) + 1));
}

/* One record: 0 when it was counted, -1 when the import must stop. */
static int
import_one(struct db *db, struct import_item *it,
    const struct import_options *o, json_t *report)
{
	static const char *const counted[] = {"created", "updated",
	    "unchanged"};
	struct question_errors qe;
	struct bank_write w = {.org = o->org, .user = o->user,
	    .admin = o->admin, .match = true};
	enum bank_outcome out;
	char text[512];
	json_t *q;

	if (it->question == NULL) {
		report_error(report, it->line, it->error ? it->error :
		    "cannot be read");
		return 0;
	}
	if (o->exam != NULL && json_object_get(it->question, "exam") == NULL)
		json_object_set_new(it->question, "exam", json_string(o->exam));
	if ((q = question_normalize(it->question, o->status, &qe)) == NULL) {
		report_error(report, it->line, question_errors_text(&qe, text,
		    sizeof(text)));
		return 0;
	}
	if (!command(db, "SAVEPOINT record")) {
		json_decref(q);
		return -1;
	}
	out = bank_write(db, q, &w);
	if (out == BANK_ERROR && db->status == DB_UNIQUE) {
		/*
		 * Another import wrote the same external id meanwhile: its
		 * row is committed now, so the record is an update after all.
		 */
		if (!command(db, "ROLLBACK TO SAVEPOINT record")) {
			json_decref(q);
			return -1;
		}
		out = bank_write(db, q, &w);
	}
	json_decref(q);
	if (out == BANK_ERROR && (db->status == DB_CHECK ||
	    db->status == DB_UNIQUE || db->status == DB_BAD_INPUT ||
	    db->status == DB_FOREIGN_KEY)) {
		/* The record broke a rule of the schema: say which. */
		report_error(report, it->line, bank_reason(db));
		return command(db, "ROLLBACK TO SAVEPOINT record") ? 0 : -1;
	}
	if (out == BANK_ERROR)
		return -1;
	if (out == BANK_REFUSED) {
		snprintf(text, sizeof(text), "%s: %s", w.field, w.reason);
		report_error(report, it->line, text);
		return command(db, "ROLLBACK TO SAVEPOINT record") ? 0 : -1;
	}
	count(report, counted[out]);
	return command(db, "RELEASE SAVEPOINT record") ? 0 : -1;
}

json_t *
bank_import(struct db *db, struct import_list *list,
    const struct import_options *o)
{
	json_t *report = json_pack("{s:i, s:i, s:i, s:i, s:i, s:[]}",
	    "records", (int)list->count, "created", 0, "updated", 0,
	    "unchanged", 0, "failed", 0, "errors");

	for (size_t i = 0; i < list->count; i++) {
		if (import_one(db, &list->items[i], o, report) != 0) {
			json_decref(report);
			return NULL;
		}
		if (o->progress != NULL)
			o->progress(i + 1, list->count, o->arg);
	}
	return report;
}
