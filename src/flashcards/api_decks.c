/*
 * api_decks.c - decks, their notes and the cards the notes make.
 *
 * A learner's own deck is theirs alone: nobody else sees that it exists
 * (404).  A course's deck is written by the course's authors (its owner,
 * its collaborators, content.all) and read by the learners enrolled in the
 * course once it is published; a learner who tries to change it gets 403.
 * Changes to course decks and their notes are in the audit trail, as the
 * course's own are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/api.h"
#include "content/rules.h"
#include "core/perm.h"
#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/cloze.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"

static const char *const deck_audited[] = {"title", "description", "exam",
    "desired_retention", "fuzz", "course_id", NULL};
static const char *const note_audited[] = {"kind", "front", "back", "tags",
    "objectives", NULL};

/* One request on a deck or a note. */
struct op {
	struct req *r;
	const char *id;		/* the deck or note */
	const char *deck;	/* the note's deck */
	const char *p[12];	/* the write's parameters */
	const char *cards;	/* the note's ordinals, "{0,1}" */
	const char *course;	/* a new course deck's course */
	const char *exam;	/* an exam code to check */
	long want;		/* If-Match version; 0 none */
	bool course_deck;
	char *json;
	/* a note patch: what is given, checked against the note */
	const char *kind, *front, *back;
};

static const char *
edit_all(struct req *r)
{
	return api_may(r, PERM_CONTENT_ALL);
}

/* ---- decks ------------------------------------------------------------ */

void
fc_decks_list(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "fc_decks_mine", 1, p, "Nothing is there.");
}

void
fc_course_decks(struct req *r)
{
	const char *p[3] = {NULL, r->user->user_id, edit_all(r)};

	if ((p[0] = api_path_id(r, "id", "course")) != NULL)
		api_doc(r, "fc_course_decks", 3, p, "There is no such course.");
}

/* The deck as the caller sees it into o->json; 0, 1 after a 404, -1. */
static int
deck_doc(struct db *db, struct op *o, const char *id)
{
	const char *p[3] = {id, o->r->user->user_id, edit_all(o->r)};
	PGresult *res = db_query(db, "fc_deck_get", 3, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(o->r, 404, "not-found", "There is no such deck.");
		return 1;
	}
	o->json = arena_strdup(o->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int
deck_write_check(struct db *db, struct req *r, const char *deck, long want,
    struct deck_facts *f)
{
	const char *p[3] = {deck, r->user->user_id, edit_all(r)};
	PGresult *res = db_query(db, "fc_deck_access", 3, p);
	const char *role;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such deck.");
		return 1;
	}
	role = PQgetvalue(res, 0, 0);
	f->version = atol(PQgetvalue(res, 0, 1));
	f->course_deck = strcmp(role, "owner") != 0;
	snprintf(f->course, sizeof(f->course), "%s", PQgetvalue(res, 0, 2));
	snprintf(f->exam, sizeof(f->exam), "%s", PQgetvalue(res, 0, 3));
	if (strcmp(role, "learner") == 0) {
		PQclear(res);
		resp_problem(r, 403, "forbidden", "Only the course's authors "
		    "may change its decks.");
		return 1;
	}
	PQclear(res);
	if (want != 0 && want != f->version) {
		api_etag(r, f->version);
		resp_problem(r, 412, "stale-version", "The deck was changed "
		    "since you read it: read it again.");
		return 1;
	}
	return 0;
}

/*
 * Whether the caller may write the deck (or note's deck) id: 0 yes, 1
 * after a 404, 403 or 412 (If-Match applies to the deck itself), -1.
 */
static int
deck_writable(struct db *db, struct op *o, const char *deck)
{
	struct deck_facts f = {0};
	int rc = deck_write_check(db, o->r, deck, strcmp(o->id ? o->id : "",
	    deck) == 0 ? o->want : 0, &f);

	o->course_deck = f.course_deck;
	return rc;
}

static int
deck_create_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	PGresult *res;
	int rc;

	if ((o->course != NULL && (rc = content_course_writable(db, o->r,
	    o->course, "decks")) != 0) ||
	    (rc = content_check_exam(db, o->r, o->exam)) != 0)
		return rc;
	if ((res = db_query(db, "fc_deck_insert", 9, o->p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(o->r, 422, "too-many", o->course ? "The course has "
		    "100 decks: delete one first." : "You have 1,000 decks: "
		    "delete one first.");
		return 1;
	}
	o->id = arena_strdup(o->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((rc = deck_doc(db, o, o->id)) != 0)
		return rc;
	return o->course == NULL ? 0 : audit_change(db, o->r,
	    "flashcard_deck.created", "flashcard_deck", o->id, NULL, o->json,
	    deck_audited);
}

/* A retention in 0.70 .. 0.99 as text, or NULL (after an error, when it
 * was given and is bad; *given says whether it was there, null or not). */
static const char *
retention(struct input *in, const char *field, bool *given)
{
	json_t *v = json_object_get(in->body, field);
	double x;

	*given = v != NULL;
	if (v == NULL || json_is_null(v))
		return NULL;
	x = json_number_value(v);
	if (!json_is_number(v) || x < 0.695 || x > 0.995) {
		input_error(in, field, "must be a number from 0.70 to 0.99");
		return NULL;
	}
	return arena_printf(in->r->arena, "%.2f", x);
}

void
fc_deck_create(struct req *r)
{
	static const char *const fields[] = {"title", "description", "exam",
	    "desired_retention", "fuzz", "course_id", NULL};
	struct op o = {.r = r};
	struct input in;
	struct db *db;
	bool given;
	int fuzz;

	input_begin(&in, r);
	input_only(&in, fields);
	o.course = input_string(&in, "course_id", IN_NULLABLE, 36, 36);
	if (o.course != NULL && !api_is_uuid(o.course))
		input_error(&in, "course_id", "must be a course's id");
	o.p[0] = r->user->org_id;
	o.p[1] = o.course == NULL ? r->user->user_id : NULL;
	o.p[2] = o.course;
	o.p[3] = r->user->user_id;
	o.p[4] = input_string(&in, "title", IN_REQUIRED, 1, 200);
	o.p[5] = input_string(&in, "description", IN_NULLABLE, 0, 5000);
	o.p[6] = o.exam = input_string(&in, "exam", IN_NULLABLE, 1, 32);
	o.p[7] = retention(&in, "desired_retention", &given);
	fuzz = input_bool(&in, "fuzz", IN_NULLABLE);
	o.p[8] = fuzz == 0 ? "false" : "true";
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, deck_create_tx, &o))
		return;
	resp_header(r, "Location", arena_printf(r->arena,
	    "/api/v1/flashcards/decks/%s", o.id));
	resp_raw_json(r, 201, o.json);
}

static int
deck_show_tx(struct db *db, void *arg)
{
	struct op *o = arg;

	return deck_doc(db, o, o->id);
}

void
fc_deck_show(struct req *r)
{
	struct op o = {.r = r};
	struct db *db;

	if ((o.id = api_path_id(r, "id", "deck")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    deck_show_tx, &o))
		resp_raw_json(r, 200, o.json);
}

static int
deck_patch_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	char *old;
	PGresult *res;
	int rc;

	if ((rc = deck_writable(db, o, o->id)) != 0 ||
	    (rc = content_check_exam(db, o->r, o->exam)) != 0 || (rc = deck_doc(db, o, o->id)) != 0)
		return rc;
	old = o->json;
	if ((res = db_query(db, "fc_deck_update", 8, o->p)) == NULL) {
		if (db->status != DB_CHECK ||
		    strstr(db->constraint, "exam_objectives") == NULL)
			return -1;
		api_field_error(o->r, "exam", "cannot change while notes name "
		    "objectives of the deck's exam");
		return 1;
	}
	PQclear(res);
	if ((rc = deck_doc(db, o, o->id)) != 0)
		return rc;
	return o->course_deck ? audit_change(db, o->r,
	    "flashcard_deck.updated", "flashcard_deck", o->id, old, o->json,
	    deck_audited) : 0;
}

void
fc_deck_patch(struct req *r)
{
	static const char *const fields[] = {"title", "description", "exam",
	    "desired_retention", "fuzz", NULL};
	struct op o = {.r = r};
	struct input in;
	struct db *db;
	bool given;
	int fuzz;

	if ((o.id = api_path_id(r, "id", "deck")) == NULL)
		return;
	if ((o.want = api_if_match(r)) < 0) {
		resp_problem(r, 412, "stale-version", "If-Match names no "
		    "version of this deck.");
		return;
	}
	input_begin(&in, r);
	input_only(&in, fields);
	o.p[0] = o.id;
	o.p[1] = input_string(&in, "title", 0, 1, 200);
	o.p[2] = input_string(&in, "description", 0, 0, 5000);
	o.p[3] = o.exam = input_string(&in, "exam", IN_NULLABLE, 1, 32);
	o.p[4] = input_has(&in, "exam") && o.exam == NULL ? "true" : "false";
	o.p[5] = retention(&in, "desired_retention", &given);
	o.p[6] = given && o.p[5] == NULL ? "true" : "false";
	fuzz = input_bool(&in, "fuzz", 0);
	o.p[7] = fuzz < 0 ? NULL : fuzz ? "true" : "false";
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, deck_patch_tx, &o))
		return;
	resp_raw_json(r, 200, o.json);
}

static int
deck_delete_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	const char *p[1] = {o->id};
	PGresult *res;
	int rc;

	if ((rc = deck_writable(db, o, o->id)) != 0 ||
	    (rc = deck_doc(db, o, o->id)) != 0)
		return rc;
	if ((res = db_query(db, "fc_deck_delete", 1, p)) == NULL)
		return -1;
	PQclear(res);
	return o->course_deck ? audit_change(db, o->r,
	    "flashcard_deck.deleted", "flashcard_deck", o->id, o->json, NULL,
	    deck_audited) : 0;
}

void
fc_deck_delete(struct req *r)
{
	struct op o = {.r = r};
	struct db *db;

	if ((o.id = api_path_id(r, "id", "deck")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    deck_delete_tx, &o))
		resp_text(r, 204, "text/plain", "", 0);
}

/* ---- notes ------------------------------------------------------------- */

static int
notes_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	PGresult *res;
	int rc;

	if ((rc = deck_doc(db, o, o->id)) != 0)
		return rc;
	if ((res = db_query(db, "fc_notes_list", 5, o->p)) == NULL)
		return -1;
	o->json = arena_printf(o->r->arena, "{\"items\":%s}",
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static const char *
search_text(const char *s)
{
	return strlen(s) > 200 ? "must be at most 200 characters" : NULL;
}

void
fc_notes_list(struct req *r)
{
	struct op o = {.r = r};
	struct input in;
	struct db *db;
	int limit;

	if ((o.id = api_path_id(r, "id", "deck")) == NULL)
		return;
	input_query_begin(&in, r);
	o.p[0] = o.id;
	o.p[1] = input_query(&in, "after", content_uuid);
	o.p[3] = input_query(&in, "tag", content_tag);
	o.p[4] = input_query(&in, "q", search_text);
	if (!input_end(&in) || (limit = api_limit(r, 100, 500)) < 0)
		return;
	o.p[2] = arena_printf(r->arena, "%d", limit);
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    notes_tx, &o))
		resp_raw_json(r, 200, o.json);
}

/*
 * The cards a note of kind with front and back makes, as an integer[]
 * literal; NULL after recording why not.
 */
static const char *
note_cards(struct input *in, const char *kind, const char *front,
    const char *back)
{
	int ord[CLOZE_MAX], n;
	const char *why = NULL;
	char *lit, *p;

	switch (note_kind_parse(kind)) {
	case NOTE_BASIC:
	case NOTE_REVERSED:
		if (back == NULL || back[strspn(back, " \t\r\n")] == '\0') {
			input_error(in, "back", "is required for a basic or "
			    "reversed note");
			return NULL;
		}
		return strcmp(kind, "basic") == 0 ? "{0}" : "{0,1}";
	case NOTE_CLOZE:
		if ((n = cloze_ordinals(front, ord, &why)) <= 0) {
			input_error(in, "front", n < 0 ? why : "a cloze note "
			    "needs a deletion such as {{c1::text}}");
			return NULL;
		}
		lit = p = arena_alloc(in->r->arena, (size_t)n * 4 + 3);
		*p++ = '{';
		for (int i = 0; i < n; i++)
			p += sprintf(p, i ? ",%d" : "%d", ord[i]);
		strcpy(p, "}");
		return lit;
	default:
		input_error(in, "kind", "must be basic, reversed or cloze");
		return NULL;
	}
}

/* Answers a refused objective with a 422 on the field; 1, or -1. */
static int
note_write_failed(struct db *db, struct op *o)
{
	if (db->status == DB_CHECK && strstr(db->constraint, "objectives")) {
		api_field_error(o->r, "objectives", "must be objectives of "
		    "the deck's exam (and the deck must have one)");
		return 1;
	}
	return -1;
}

static int
note_doc(struct db *db, struct op *o)
{
	const char *p[1] = {o->id};
	PGresult *res = db_query(db, "fc_note_get", 1, p);

	if (res == NULL)
		return -1;
	o->json = arena_strdup(o->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
sync_cards(struct db *db, struct op *o)
{
	const char *p[4] = {o->id, o->r->user->org_id, o->deck, o->cards};
	PGresult *res = db_query(db, "fc_cards_sync", 4, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static int
note_create_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	PGresult *res;
	int rc;

	if ((rc = deck_writable(db, o, o->deck)) != 0)
		return rc;
	if ((res = db_query(db, "fc_note_insert", 10, o->p)) == NULL)
		return note_write_failed(db, o);
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(o->r, 422, "too-many", "The deck holds 50,000 notes: "
		    "it is full.");
		return 1;
	}
	o->id = arena_strdup(o->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (sync_cards(db, o) != 0 || note_doc(db, o) != 0)
		return -1;
	return o->course_deck ? audit_change(db, o->r,
	    "flashcard_note.created", "flashcard_note", o->id, NULL, o->json,
	    note_audited) : 0;
}

/*
 * Reads the note fields of a create (flags IN_REQUIRED) or a patch (0);
 * a preview's also take the deck whose media it shows.
 */
static void
note_fields(struct input *in, struct op *o, unsigned flags, bool preview)
{
	static const char *const fields[] = {"kind", "front", "back", "tags",
	    "objectives", NULL, NULL};
	const char *allowed[7];

	memcpy(allowed, fields, sizeof(fields));
	allowed[5] = preview ? "deck_id" : NULL;
	input_only(in, allowed);
	o->kind = input_string(in, "kind", flags, 1, 20);
	if (o->kind != NULL && note_kind_parse(o->kind) < 0) {
		input_error(in, "kind", "must be basic, reversed or cloze");
		o->kind = NULL;
	}
	o->front = input_string(in, "front", flags, 1, 10000);
	o->back = input_string(in, "back", 0, 0, 10000);
	o->p[5] = input_pg_array(in, "tags", 0, 20, content_tag);
	o->p[6] = input_pg_array(in, "objectives", 0, 20,
	    content_objective_code);
}

void
fc_note_create(struct req *r)
{
	struct op o = {.r = r};
	struct input in;
	struct db *db;

	if ((o.deck = api_path_id(r, "id", "deck")) == NULL)
		return;
	input_begin(&in, r);
	note_fields(&in, &o, IN_REQUIRED, false);
	if (o.kind != NULL && o.front != NULL)
		o.cards = note_cards(&in, o.kind, o.front, o.back);
	o.p[0] = r->user->org_id;
	o.p[1] = o.deck;
	o.p[2] = o.kind;
	o.p[3] = o.front;
	o.p[4] = o.back;
	o.p[7] = r->user->user_id;
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, note_create_tx, &o))
		return;
	resp_header(r, "Location", arena_printf(r->arena,
	    "/api/v1/flashcards/notes/%s", o.id));
	resp_raw_json(r, 201, o.json);
}

/*
 * The note o->id, locked, with the caller's right to it: 0 (o->deck set),
 * 1 after a 404 (or 403, 412 when write), -1.  want_write asks for the
 * right to change it; o->kind, front and back get the note's where the
 * request gives none.
 */
static int
note_open(struct db *db, struct op *o, bool write)
{
	const char *p[3] = {o->id, o->r->user->user_id, edit_all(o->r)};
	PGresult *res = db_query(db, "fc_note_access", 3, p);
	long version;
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1) ||
	    strcmp(PQgetvalue(res, 0, 6), "t") == 0) {
		PQclear(res);
		resp_problem(o->r, 404, "not-found", "There is no such note.");
		return 1;
	}
	o->deck = arena_strdup(o->r->arena, PQgetvalue(res, 0, 0));
	if (o->kind == NULL)
		o->kind = arena_strdup(o->r->arena, PQgetvalue(res, 0, 2));
	if (o->front == NULL)
		o->front = arena_strdup(o->r->arena, PQgetvalue(res, 0, 3));
	if (o->back == NULL)
		o->back = arena_strdup(o->r->arena, PQgetvalue(res, 0, 4));
	version = atol(PQgetvalue(res, 0, 5));
	PQclear(res);
	if (!write)
		return 0;
	if ((rc = deck_writable(db, o, o->deck)) != 0)
		return rc;
	if (o->want != 0 && o->want != version) {
		api_etag(o->r, version);
		resp_problem(o->r, 412, "stale-version", "The note was changed "
		    "since you read it: read it again.");
		return 1;
	}
	return 0;
}

static int
note_show_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	int rc;

	if ((rc = note_open(db, o, false)) != 0)
		return rc;
	return note_doc(db, o);
}

void
fc_note_show(struct req *r)
{
	struct op o = {.r = r};
	struct db *db;

	if ((o.id = api_path_id(r, "id", "note")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    note_show_tx, &o))
		resp_raw_json(r, 200, o.json);
}

static int
note_patch_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	struct input in;
	PGresult *res;
	char *old;
	int rc;

	if ((rc = note_open(db, o, true)) != 0 || (rc = note_doc(db, o)) != 0)
		return rc;
	old = o->json;
	/* The note as it will be must still make cards. */
	input_query_begin(&in, o->r);
	if ((o->cards = note_cards(&in, o->kind, o->front, o->back)) == NULL) {
		input_end(&in);
		return 1;
	}
	input_end(&in);
	o->p[0] = o->id;
	o->p[1] = o->kind;
	o->p[2] = o->front;
	o->p[3] = o->back;
	o->p[4] = o->p[5];
	o->p[5] = o->p[6];
	if ((res = db_query(db, "fc_note_update", 6, o->p)) == NULL)
		return note_write_failed(db, o);
	PQclear(res);
	if (sync_cards(db, o) != 0 || note_doc(db, o) != 0)
		return -1;
	return o->course_deck ? audit_change(db, o->r,
	    "flashcard_note.updated", "flashcard_note", o->id, old, o->json,
	    note_audited) : 0;
}

void
fc_note_patch(struct req *r)
{
	struct op o = {.r = r};
	struct input in;
	struct db *db;

	if ((o.id = api_path_id(r, "id", "note")) == NULL)
		return;
	if ((o.want = api_if_match(r)) < 0) {
		resp_problem(r, 412, "stale-version", "If-Match names no "
		    "version of this note.");
		return;
	}
	input_begin(&in, r);
	note_fields(&in, &o, 0, false);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, note_patch_tx, &o))
		return;
	resp_raw_json(r, 200, o.json);
}

static int
note_delete_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	const char *p[1] = {o->id};
	PGresult *res;
	int rc;

	if ((rc = note_open(db, o, true)) != 0 || (rc = note_doc(db, o)) != 0)
		return rc;
	if ((res = db_query(db, "fc_note_delete", 1, p)) == NULL)
		return -1;
	PQclear(res);
	return o->course_deck ? audit_change(db, o->r,
	    "flashcard_note.deleted", "flashcard_note", o->id, o->json, NULL,
	    note_audited) : 0;
}

void
fc_note_delete(struct req *r)
{
	struct op o = {.r = r};
	struct db *db;

	if ((o.id = api_path_id(r, "id", "note")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    note_delete_tx, &o))
		resp_text(r, 204, "text/plain", "", 0);
}

/* The cards a note would make, rendered: the editor's preview. */
void
fc_preview(struct req *r)
{
	struct op o = {.r = r};
	struct input in;
	json_t *cards;
	int ord[CLOZE_MAX + 1], n = 0;
	const char *why;

	input_begin(&in, r);
	note_fields(&in, &o, IN_REQUIRED, true);
	/* The deck whose media the preview shows (none: left as written). */
	if ((o.deck = input_string(&in, "deck_id", 0, 36, 36)) != NULL &&
	    !api_is_uuid(o.deck))
		input_error(&in, "deck_id", "must be a deck's id");
	if (o.back == NULL)
		o.back = "";
	if (o.kind != NULL && o.front != NULL)
		o.cards = note_cards(&in, o.kind, o.front, o.back);
	if (!input_end(&in))
		return;
	switch (note_kind_parse(o.kind)) {
	case NOTE_BASIC:
		ord[n++] = 0;
		break;
	case NOTE_REVERSED:
		ord[n++] = 0;
		ord[n++] = 1;
		break;
	default:
		n = cloze_ordinals(o.front, ord, &why);
	}
	cards = json_array();
	for (int i = 0; i < n; i++) {
		json_t *c = json_pack("{s:i}", "ordinal", ord[i]);

		card_sides(c, o.kind, o.front, o.back, ord[i], o.deck);
		json_array_append_new(cards, c);
	}
	resp_json(r, 200, json_pack("{s:o}", "cards", cards));
}
