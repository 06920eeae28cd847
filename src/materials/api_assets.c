/*
 * api_assets.c - the study assets proposed from a material: cards,
 * questions, summaries and key terms (asset.h has their shapes).
 *
 * The material's owner (or, for a course's material, its authors)
 * accepts, edits or rejects each.  An accepted card becomes a note of the
 * material's deck and is scheduled like every other card (the learner's
 * own deck, or the course's, which its learners review); accepted
 * questions make the material's practice quiz (api_study.c).  Everyone
 * who may see an asset may rate and flag it; feedback moves its quality
 * score, and below a threshold the asset is hidden (migration 0023).
 * Learners of a course see its accepted assets that are not hidden, and
 * nothing else (404).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/rules.h"
#include "flashcards/flashcards.h"
#include "http/api.h"
#include "http/audit.h"
#include "materials/api.h"
#include "materials/asset.h"
#include "materials/materials.h"

static const char *const audited[] = {"asset_type", "status", "content",
    NULL};

/* What a request knows of an asset. */
struct asset {
	struct req *r;
	const char *id;
	char material[37], course[37];
	char role[8], type[12], status[12];
	char title[256];
	long version;
	json_t *content;	/* as stored */
	bool hidden;
};

/*
 * Reads and locks the asset for r's user: 0; 1 after a 404 (no such asset
 * for them: a learner sees only accepted ones that are not hidden) or,
 * when write, a 403 for a learner; -1.
 */
static int
asset_load(struct db *db, struct asset *a, bool write)
{
	const char *p[3] = {a->id, a->r->user->user_id, mat_edit_all(a->r)};
	PGresult *res = db_query(db, "asset_access", 3, p);
	bool learner;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1)) {
		PQclear(res);
		resp_problem(a->r, 404, "not-found", "There is no such asset.");
		return 1;
	}
	snprintf(a->material, sizeof(a->material), "%s", PQgetvalue(res, 0, 0));
	snprintf(a->role, sizeof(a->role), "%s", PQgetvalue(res, 0, 1));
	snprintf(a->type, sizeof(a->type), "%s", PQgetvalue(res, 0, 2));
	snprintf(a->status, sizeof(a->status), "%s", PQgetvalue(res, 0, 3));
	a->version = atol(PQgetvalue(res, 0, 4));
	json_decref(a->content);
	a->content = json_loads(PQgetvalue(res, 0, 5), 0, NULL);
	a->hidden = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
	snprintf(a->course, sizeof(a->course), "%s", PQgetvalue(res, 0, 7));
	snprintf(a->title, sizeof(a->title), "%s", PQgetvalue(res, 0, 8));
	PQclear(res);
	learner = strcmp(a->role, "learner") == 0;
	if (learner && (strcmp(a->status, "accepted") != 0 || a->hidden)) {
		resp_problem(a->r, 404, "not-found", "There is no such asset.");
		return 1;
	}
	if (write && learner) {
		resp_problem(a->r, 403, "forbidden", "Only the course's authors "
		    "may change its materials' assets.");
		return 1;
	}
	return 0;
}

/* The asset as the API shows it, into *doc (the arena). */
static int
asset_doc(struct db *db, struct asset *a, char **doc)
{
	const char *p[2] = {a->id, a->r->user->user_id};
	PGresult *res = db_query(db, "asset_get", 2, p);

	if (res == NULL)
		return -1;
	*doc = arena_strdup(a->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* ---- the list ------------------------------------------------------------ */

struct listing {
	struct req *r;
	const char *p[5];
	char *doc;
};

static int
list_tx(struct db *db, void *arg)
{
	struct listing *l = arg;
	struct mat_facts f;
	PGresult *res;
	int rc;

	if ((rc = mat_check(db, l->r, l->p[0], false, 0, &f)) != 0)
		return rc;
	l->p[1] = strcmp(f.role, "learner") == 0 ? "true" : "false";
	if ((res = db_query(db, "mat_assets", 5, l->p)) == NULL)
		return -1;
	l->doc = arena_strdup(l->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static const char *
status_rule(const char *s)
{
	return strcmp(s, "ready") == 0 || strcmp(s, "accepted") == 0 ||
	    strcmp(s, "rejected") == 0 ? NULL :
	    "must be ready, accepted or rejected";
}

void
mat_assets(struct req *r)
{
	struct listing l = {.r = r};
	struct input in;
	struct db *db;

	if ((l.p[0] = api_path_id(r, "id", "material")) == NULL)
		return;
	input_query_begin(&in, r);
	l.p[2] = input_query(&in, "type", asset_type_rule);
	l.p[3] = input_query(&in, "status", status_rule);
	l.p[4] = input_query(&in, "chunk", content_uuid);
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    list_tx, &l))
		resp_text(r, 200, "application/json", l.doc, strlen(l.doc));
}

/* ---- one asset ----------------------------------------------------------- */

/* One request on an asset: what it asks, what it answers. */
struct op {
	struct asset a;
	long want;		/* If-Match version; 0 none */
	json_t *content;	/* a new content */
	const char *decision;	/* accepted, rejected, ready */
	const char *fb[7];	/* feedback_put's parameters */
	char *before, *doc;
	bool deleted;
};

static int
show_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	int rc;

	if ((rc = asset_load(db, &o->a, false)) != 0)
		return rc;
	return asset_doc(db, &o->a, &o->doc);
}

/* Runs fn on the asset {id} in one transaction, and answers doc. */
static void
run(struct req *r, struct op *o, db_tx_fn fn, int status)
{
	struct db *db;

	o->a.r = r;
	if ((o->a.id = api_path_id(r, "id", "asset")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED, fn,
	    o)) {
		if (o->deleted)
			resp_text(r, 204, "text/plain", "", 0);
		else {
			api_etag(r, o->a.version);
			resp_text(r, status, "application/json", o->doc,
			    strlen(o->doc));
		}
	}
	json_decref(o->a.content);
	json_decref(o->content);
}

void
asset_show(struct req *r)
{
	struct op o = {0};

	run(r, &o, show_tx, 200);
}

/* Audits a change to a course's asset: 0, or -1. */
static int
audit(struct db *db, struct op *o, const char *action)
{
	if (o->a.course[0] == '\0')
		return 0;
	return audit_change(db, o->a.r, action, "generated_asset", o->a.id,
	    o->before, o->doc, audited);
}

static int
patch_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	char field[64], err[256], *text;
	const char *p[2];
	PGresult *res;
	int rc;

	if ((rc = asset_load(db, &o->a, true)) != 0)
		return rc;
	if (o->want != 0 && o->want != o->a.version) {
		api_etag(o->a.r, o->a.version);
		resp_problem(o->a.r, 412, "stale-version", "The asset was "
		    "changed since you read it: read it again.");
		return 1;
	}
	if (strcmp(o->a.status, "accepted") == 0 &&
	    strcmp(o->a.type, "flashcard") == 0) {
		resp_problem(o->a.r, 409, "asset-accepted", "This card is in "
		    "your deck already: change it there.");
		return 1;
	}
	if (asset_validate(o->a.type, o->content, field, sizeof(field), err,
	    sizeof(err)) != 0) {
		/* err begins with the field's path: "front: ..." */
		api_field_error(o->a.r, arena_printf(o->a.r->arena,
		    "content.%s", field), strlen(err) > strlen(field) + 2 ?
		    err + strlen(field) + 2 : err);
		return 1;
	}
	if (asset_doc(db, &o->a, &o->before) != 0)
		return -1;
	text = json_dumps(o->content, JSON_COMPACT);
	p[0] = o->a.id;
	p[1] = text;
	res = db_query(db, "asset_edit", 2, p);
	free(text);
	if (res == NULL)
		return -1;
	PQclear(res);
	o->a.version++;
	if (asset_doc(db, &o->a, &o->doc) != 0)
		return -1;
	return audit(db, o, "generated_asset.edited");
}

void
asset_patch(struct req *r)
{
	static const char *const allowed[] = {"content", NULL};
	struct op o = {0};
	struct input in;

	if ((o.want = api_if_match(r)) < 0) {
		resp_problem(r, 412, "stale-version", "If-Match names no "
		    "version of this asset.");
		return;
	}
	input_begin(&in, r);
	input_only(&in, allowed);
	o.content = json_incref(json_object_get(r->json, "content"));
	if (!json_is_object(o.content))
		input_error(&in, "content", "must be the asset's new content, "
		    "an object");
	if (!input_end(&in)) {
		json_decref(o.content);
		return;
	}
	run(r, &o, patch_tx, 200);
}

/* Accepts, rejects or reopens the asset (o->decision). */
static int
decide_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	const char *p[4] = {NULL, o->decision, NULL, NULL};
	char note[37];
	PGresult *res;
	int rc;

	if ((rc = asset_load(db, &o->a, true)) != 0)
		return rc;
	if (strcmp(o->a.status, o->decision) == 0) {
		/* Asking twice changes nothing. */
		return asset_doc(db, &o->a, &o->doc);
	}
	if (strcmp(o->a.status, "accepted") == 0 &&
	    strcmp(o->a.type, "flashcard") == 0) {
		resp_problem(o->a.r, 409, "asset-accepted", "This card is in "
		    "the deck already: delete it there.");
		return 1;
	}
	if (asset_doc(db, &o->a, &o->before) != 0)
		return -1;
	if (strcmp(o->decision, "accepted") == 0 &&
	    strcmp(o->a.type, "flashcard") == 0) {
		json_t *c = o->a.content;
		const char *kind = json_string_value(json_object_get(c, "kind"));
		bool cloze = kind != NULL && strcmp(kind, "cloze") == 0;
		struct material_note m = {o->a.r->user->org_id,
		    o->a.r->user->user_id, o->a.material,
		    o->a.course[0] ? o->a.course : NULL,
		    arena_printf(o->a.r->arena, "Cards: %s", o->a.title),
		    cloze ? "cloze" : "basic",
		    json_string_value(json_object_get(c, cloze ? "text" :
		    "front")), json_string_value(json_object_get(c, cloze ?
		    "extra" : "back"))};

		if (m.back == NULL)
			m.back = "";
		if (m.front == NULL)
			rc = 2;
		else if ((rc = flashcards_material_note(db, &m, note)) < 0)
			return -1;
		if (rc == 1) {
			resp_problem(o->a.r, 422, "deck-full", "The material's "
			    "deck is full.");
			return 1;
		}
		if (rc == 2) {
			api_field_error(o->a.r, "content", "is not a card that "
			    "can be studied: edit it first");
			return 1;
		}
		p[3] = note;
	}
	p[0] = o->a.id;
	p[2] = o->a.r->user->user_id;
	if ((res = db_query(db, "asset_decide", 4, p)) == NULL)
		return -1;
	PQclear(res);
	o->a.version++;
	if (asset_doc(db, &o->a, &o->doc) != 0)
		return -1;
	return audit(db, o, arena_printf(o->a.r->arena,
	    "generated_asset.%s", strcmp(o->decision, "ready") == 0 ?
	    "reopened" : o->decision));
}

void
asset_accept(struct req *r)
{
	struct op o = {.decision = "accepted"};

	run(r, &o, decide_tx, 200);
}

void
asset_reject(struct req *r)
{
	struct op o = {.decision = "rejected"};

	run(r, &o, decide_tx, 200);
}

void
asset_undecide(struct req *r)
{
	struct op o = {.decision = "ready"};

	run(r, &o, decide_tx, 200);
}

/* ---- feedback ---------------------------------------------------------- */

static int
feedback_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	PGresult *res;
	int rc;

	if ((rc = asset_load(db, &o->a, false)) != 0)
		return rc;
	o->fb[0] = o->a.r->user->org_id;
	o->fb[1] = o->a.r->user->user_id;
	o->fb[2] = o->a.id;
	if ((res = db_query(db, "feedback_put", 7, o->fb)) == NULL)
		return -1;
	PQclear(res);
	return asset_doc(db, &o->a, &o->doc);
}

static const char *
flag_rule(const char *s)
{
	static const char *const flags[] = {"wrong", "unclear", "duplicate",
	    "too_easy", "too_hard", "offensive", NULL};

	for (int i = 0; flags[i] != NULL; i++)
		if (strcmp(s, flags[i]) == 0)
			return NULL;
	return "must be wrong, unclear, duplicate, too_easy, too_hard or "
	    "offensive";
}

void
asset_feedback_put(struct req *r)
{
	static const char *const allowed[] = {"rating", "flags", "comment",
	    "interaction_id", NULL};
	struct op o = {0};
	struct input in;
	long rating = 0;
	bool rated;

	input_begin(&in, r);
	input_only(&in, allowed);
	rated = input_int(&in, "rating", IN_NULLABLE, 1, 5, &rating);
	o.fb[4] = input_pg_array(&in, "flags", 0, 6, flag_rule);
	o.fb[5] = input_string(&in, "comment", 0, 0, 2000);
	o.fb[6] = input_string(&in, "interaction_id", 0, 36, 36);
	if (o.fb[6] != NULL && !api_is_uuid(o.fb[6]))
		input_error(&in, "interaction_id", "must be an interaction's id");
	/* (a bad field given has had its say already) */
	if (!rated && !input_has(&in, "rating") && (o.fb[4] == NULL ||
	    strcmp(o.fb[4], "{}") == 0) && !input_has(&in, "flags") &&
	    (o.fb[5] == NULL || strspn(o.fb[5], " \t\r\n") ==
	    strlen(o.fb[5])))
		input_error(&in, "rating", "give a rating, a flag or a comment");
	if (!input_end(&in))
		return;
	o.fb[3] = rated ? arena_printf(r->arena, "%ld", rating) : NULL;
	run(r, &o, feedback_tx, 200);
}

static int
unfeedback_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	const char *p[2] = {o->a.r->user->user_id, NULL};
	PGresult *res;
	int rc;

	if ((rc = asset_load(db, &o->a, false)) != 0)
		return rc;
	p[1] = o->a.id;
	if ((res = db_query(db, "feedback_delete", 2, p)) == NULL)
		return -1;
	rc = PQntuples(res);
	PQclear(res);
	if (rc == 0) {
		resp_problem(o->a.r, 404, "not-found", "You gave no feedback "
		    "on this asset.");
		return 1;
	}
	o->deleted = true;
	return 0;
}

void
asset_feedback_delete(struct req *r)
{
	struct op o = {0};

	run(r, &o, unfeedback_tx, 200);
}
