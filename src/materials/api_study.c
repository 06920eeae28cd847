/*
 * api_study.c - studying a material: sessions (study the cards and
 * summaries, take the quiz of its accepted questions, or review what one
 * got wrong), every view, reveal, answer and skip in them (interactions),
 * and what they came to (progress_metrics, and the progress page).
 *
 * A session's items are fixed when it starts.  A question's answer is
 * judged here, never by the client, and its answer, explanation and
 * source are shown only once it is answered.  Sessions are a learner's
 * own: nobody else learns that they exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/rules.h"
#include "http/api.h"
#include "materials/api.h"
#include "materials/materials.h"

static const char *
session_doc(struct db *db, struct req *r, const char *id)
{
	const char *p[2] = {id, r->user->user_id};
	PGresult *res = db_query(db, "study_session_get", 2, p);
	const char *doc;

	if (res == NULL)
		return NULL;
	doc = PQntuples(res) == 1 ? arena_strdup(r->arena,
	    PQgetvalue(res, 0, 0)) : "null";
	PQclear(res);
	return doc;
}

/* ---- starting ------------------------------------------------------------ */

struct start {
	struct req *r;
	const char *material, *type;
	long limit;
	char id[37];
	const char *doc;
};

static int
start_tx(struct db *db, void *arg)
{
	struct start *s = arg;
	struct mat_facts f;
	char lim[16], *conf;
	const char *p[5] = {s->material, s->r->user->user_id, s->type, lim,
	    NULL};
	PGresult *res;
	json_t *items;
	int rc;

	if ((rc = mat_check(db, s->r, s->material, false, 0, &f)) != 0)
		return rc;
	if (strcmp(f.status, "ready") != 0) {
		resp_problem(s->r, 409, "material-not-ready", "The material is "
		    "%s: it can be studied once it is ready.", f.status);
		return 1;
	}
	snprintf(lim, sizeof(lim), "%ld", s->limit);
	p[4] = strcmp(f.role, "learner") == 0 ? "true" : "false";
	if ((res = db_query(db, "study_items", 5, p)) == NULL)
		return -1;
	items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (json_array_size(items) == 0) {
		json_decref(items);
		resp_problem(s->r, 422, "nothing-to-study", strcmp(s->type,
		    "quiz") == 0 ? "The material has no accepted questions yet: "
		    "accept some first." : strcmp(s->type, "review") == 0 ?
		    "There is nothing you got wrong or skipped here." :
		    "The material has no cards or summaries to study yet.");
		return 1;
	}
	items = json_pack("{s:o, s:i}", "items", items, "limit",
	    (int)s->limit);
	conf = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	{
		const char *q[5] = {s->r->user->org_id, s->r->user->user_id,
		    s->material, s->type, conf};

		res = db_query(db, "study_session_insert", 5, q);
	}
	free(conf);
	if (res == NULL)
		return -1;
	snprintf(s->id, sizeof(s->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return (s->doc = session_doc(db, s->r, s->id)) == NULL ? -1 : 0;
}

void
study_start(struct req *r)
{
	static const char *const allowed[] = {"session_type", "limit", NULL};
	struct start s = {.r = r, .limit = 20};
	struct input in;
	struct db *db;

	if ((s.material = api_path_id(r, "id", "material")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, allowed);
	s.type = input_string(&in, "session_type", IN_REQUIRED, 1, 10);
	input_int(&in, "limit", 0, 1, MAT_SESSION_ITEMS, &s.limit);
	if (s.type != NULL && strcmp(s.type, "study") != 0 &&
	    strcmp(s.type, "quiz") != 0 && strcmp(s.type, "review") != 0)
		input_error(&in, "session_type", "must be study, quiz or review");
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    start_tx, &s)) {
		resp_header(r, "Location", arena_printf(r->arena,
		    "/api/v1/study-sessions/%s", s.id));
		resp_text(r, 201, "application/json", s.doc, strlen(s.doc));
	}
}

void
study_show(struct req *r)
{
	const char *p[2] = {NULL, r->user->user_id};

	if ((p[0] = api_path_id(r, "id", "session")) != NULL)
		api_doc(r, "study_session_get", 2, p, "There is no such session.");
}

/* ---- interacting --------------------------------------------------------- */

struct act {
	struct req *r;
	const char *id, *asset, *type;
	json_t *answer;		/* the learner's answer, or NULL */
	const char *ms, *confidence;
	json_t *out;		/* what the answer is */
};

/* Whether the array a holds the string s. */
static bool
holds(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/*
 * Judges an answer to the asset: 1 right, 0 wrong, -1 no judgement (not
 * an answer), -2 after a 422 for an answer of the wrong shape.  *fb gets
 * what the learner is shown after answering.
 */
static int
judge(struct act *a, const char *type, json_t *content, json_t *source,
    json_t **fb)
{
	*fb = NULL;
	if (strcmp(a->type, "answer") != 0)
		return -1;
	if (strcmp(type, "quiz") == 0) {
		json_int_t right = json_integer_value(json_object_get(content,
		    "answer"));
		size_t n = json_array_size(json_object_get(content, "options"));

		if (!json_is_integer(a->answer) ||
		    json_integer_value(a->answer) < 0 ||
		    (size_t)json_integer_value(a->answer) >= n) {
			api_field_error(a->r, "answer", arena_printf(a->r->arena,
			    "must be the index of an option, 0 to %zu", n - 1));
			return -2;
		}
		*fb = json_pack("{s:I, s:O, s:O}", "correct_answer", right,
		    "explanation", json_object_get(content, "explanation") ?
		    json_object_get(content, "explanation") : json_string(""),
		    "source", source ? source : json_null());
		return json_integer_value(a->answer) == right;
	}
	if (strcmp(type, "flashcard") == 0) {
		/* A card is judged by the learner: did they know it? */
		if (!json_is_boolean(a->answer)) {
			api_field_error(a->r, "answer", "must be true (I knew "
			    "it) or false, for a card");
			return -2;
		}
		*fb = json_pack("{s:O}", "source", source ? source :
		    json_null());
		return json_is_true(a->answer);
	}
	api_field_error(a->r, "interaction_type", "a summary is viewed, not "
	    "answered");
	return -2;
}

static int
act_tx(struct db *db, void *arg)
{
	struct act *a = arg;
	const char *p[2] = {a->id, a->r->user->user_id};
	char material[37], status[12], *state = NULL, *data = NULL;
	char *fbtext = NULL, completion[32];
	json_t *items = NULL, *sd = NULL, *content, *fb = NULL, *v;
	PGresult *res, *ar;
	int verdict, rc = 1;

	if ((res = db_query(db, "study_session_lock", 2, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(a->r, 404, "not-found", "There is no such session.");
		return 1;
	}
	snprintf(material, sizeof(material), "%s", PQgetvalue(res, 0, 0));
	snprintf(status, sizeof(status), "%s", PQgetvalue(res, 0, 2));
	items = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
	sd = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
	PQclear(res);
	if (strcmp(status, "active") != 0) {
		resp_problem(a->r, 409, "session-ended", "The session has "
		    "ended: start another.");
		goto out;
	}
	{
		const char *q[2] = {a->id, a->asset};

		if ((ar = db_query(db, "study_session_asset", 2, q)) == NULL) {
			rc = -1;
			goto out;
		}
	}
	if (PQntuples(ar) != 1) {
		PQclear(ar);
		api_field_error(a->r, "asset_id", "is not one of the session's "
		    "items");
		goto out;
	}
	content = json_loads(PQgetvalue(ar, 0, 1), 0, NULL);
	v = json_loads(PQgetvalue(ar, 0, 2), 0, NULL);
	verdict = judge(a, PQgetvalue(ar, 0, 0), content, v, &fb);
	PQclear(ar);
	json_decref(content);
	json_decref(v);
	if (verdict == -2)
		goto out;
	if (verdict >= 0 && holds(json_object_get(sd, "done"), a->asset)) {
		resp_problem(a->r, 409, "answered-already", "You answered this "
		    "one already in this session.");
		goto out;
	}
	/* The session's state after this. */
	if (!json_is_object(sd))
		sd = json_object();
	if (!json_is_array(json_object_get(sd, "seen")))
		json_object_set_new(sd, "seen", json_array());
	if (!json_is_array(json_object_get(sd, "done")))
		json_object_set_new(sd, "done", json_array());
	if (!holds(json_object_get(sd, "seen"), a->asset))
		json_array_append_new(json_object_get(sd, "seen"),
		    json_string(a->asset));
	if ((verdict >= 0 || strcmp(a->type, "skip") == 0) &&
	    !holds(json_object_get(sd, "done"), a->asset))
		json_array_append_new(json_object_get(sd, "done"),
		    json_string(a->asset));
	if (verdict >= 0) {
		json_object_set_new(sd, "answered", json_integer(
		    json_integer_value(json_object_get(sd, "answered")) + 1));
		json_object_set_new(sd, "correct", json_integer(
		    json_integer_value(json_object_get(sd, "correct")) +
		    verdict));
	}
	if (a->ms != NULL)
		json_object_set_new(sd, "ms", json_integer(json_integer_value(
		    json_object_get(sd, "ms")) + atol(a->ms)));
	snprintf(completion, sizeof(completion), "%.1f", 100.0 *
	    (double)json_array_size(json_object_get(sd, "seen")) /
	    (double)(json_array_size(items) ? json_array_size(items) : 1));
	state = json_dumps(sd, JSON_COMPACT);
	v = json_pack("{s:O?}", "answer", a->answer);
	data = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	fbtext = fb != NULL ? json_dumps(fb, JSON_COMPACT) : NULL;
	{
		const char *q[13] = {a->r->user->org_id, a->r->user->user_id,
		    a->id, material, a->asset, a->type, data, verdict < 0 ?
		    NULL : verdict ? "true" : "false", a->ms, a->confidence,
		    fbtext, state, completion};

		if ((res = db_query(db, "interaction_insert", 13, q)) == NULL) {
			rc = -1;
			goto out;
		}
	}
	a->out = json_pack("{s:s, s:o, s:O, s:f, s:I, s:I}", "interaction_id",
	    PQgetvalue(res, 0, 0), "is_correct", verdict < 0 ? json_null() :
	    json_boolean(verdict), "feedback", fb ? fb : json_null(),
	    "completion_percentage", atof(completion), "answered",
	    json_integer_value(json_object_get(sd, "answered")), "correct",
	    json_integer_value(json_object_get(sd, "correct")));
	PQclear(res);
	rc = 0;
out:
	free(state);
	free(data);
	free(fbtext);
	json_decref(fb);
	json_decref(items);
	json_decref(sd);
	return rc;
}

void
study_interact(struct req *r)
{
	static const char *const allowed[] = {"interaction_type", "asset_id",
	    "answer", "response_time_ms", "confidence_level", NULL};
	struct act a = {.r = r};
	struct input in;
	long ms;
	json_t *conf;
	struct db *db;

	if ((a.id = api_path_id(r, "id", "session")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, allowed);
	a.type = input_string(&in, "interaction_type", IN_REQUIRED, 1, 10);
	a.asset = input_string(&in, "asset_id", IN_REQUIRED, 36, 36);
	if (input_int(&in, "response_time_ms", 0, 0, 3600000, &ms))
		a.ms = arena_printf(r->arena, "%ld", ms);
	conf = json_object_get(r->json, "confidence_level");
	if (conf != NULL && !json_is_null(conf)) {
		if (!json_is_number(conf) || json_number_value(conf) < 0 ||
		    json_number_value(conf) > 1)
			input_error(&in, "confidence_level", "must be a number "
			    "from 0 to 1");
		else
			a.confidence = arena_printf(r->arena, "%.4f",
			    json_number_value(conf));
	}
	a.answer = json_object_get(r->json, "answer");
	if (a.type != NULL && strcmp(a.type, "view") != 0 &&
	    strcmp(a.type, "answer") != 0 && strcmp(a.type, "reveal") != 0 &&
	    strcmp(a.type, "skip") != 0)
		input_error(&in, "interaction_type", "must be view, answer, "
		    "reveal or skip");
	if (a.asset != NULL && !api_is_uuid(a.asset))
		input_error(&in, "asset_id", "must be an asset's id");
	if (a.type != NULL && strcmp(a.type, "answer") == 0 &&
	    (a.answer == NULL || json_is_null(a.answer)))
		input_error(&in, "answer", "say what the answer is");
	else if (a.type != NULL && strcmp(a.type, "answer") != 0 &&
	    a.answer != NULL)
		input_error(&in, "answer", "only an answer has one");
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    act_tx, &a))
		resp_json(r, 201, a.out);
	else
		json_decref(a.out);
}

/* ---- ending ------------------------------------------------------------ */

struct end {
	struct req *r;
	const char *id;
	const char *doc;
};

static int
end_tx(struct db *db, void *arg)
{
	struct end *e = arg;
	const char *p[2] = {e->id, e->r->user->user_id};
	PGresult *res;
	bool active;

	if ((res = db_query(db, "study_session_lock", 2, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(e->r, 404, "not-found", "There is no such session.");
		return 1;
	}
	active = strcmp(PQgetvalue(res, 0, 2), "active") == 0;
	PQclear(res);
	if (!active) {
		resp_problem(e->r, 409, "session-ended", "The session has "
		    "ended already.");
		return 1;
	}
	p[1] = "completed";
	if ((res = db_query(db, "study_session_end", 2, p)) == NULL)
		return -1;
	PQclear(res);
	return (e->doc = session_doc(db, e->r, e->id)) == NULL ? -1 : 0;
}

void
study_end(struct req *r)
{
	struct end e = {.r = r};
	struct db *db;

	if ((e.id = api_path_id(r, "id", "session")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    end_tx, &e))
		resp_text(r, 200, "application/json", e.doc, strlen(e.doc));
}

/* ---- progress ------------------------------------------------------------ */

static const char *
period_rule(const char *s)
{
	return strcmp(s, "day") == 0 || strcmp(s, "week") == 0 ||
	    strcmp(s, "month") == 0 ? NULL : "must be day, week or month";
}

static const char *
days_rule(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 1 && v <= 3660 ? NULL :
	    "must be 1 to 3660 days";
}

void
mat_progress(struct req *r)
{
	const char *p[4] = {r->user->user_id};
	struct input in;
	const char *days;

	input_query_begin(&in, r);
	p[1] = input_query(&in, "period", period_rule);
	p[2] = input_query(&in, "material", content_uuid);
	days = input_query(&in, "days", days_rule);
	if (!input_end(&in))
		return;
	if (p[1] == NULL)
		p[1] = "day";
	p[3] = days != NULL ? days : "30";
	api_doc(r, "mat_progress", 4, p, "Nothing is there.");
}
