/*
 * api_sources.c - cards from what the learner already does: a question
 * answered wrong (offered on the attempt's page, or made at once by a
 * setting), and for authors, a set of the bank's questions or the key
 * terms of a lesson turned into notes of a deck (source.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/rules.h"
#include "core/perm.h"
#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/flashcards.h"
#include "flashcards/source.h"
#include "http/api.h"

#define MAX_QUESTIONS 200
#define MAX_TERMS 200

/* Who makes the notes, and where. */
struct maker {
	const char *org, *user;
	const char *deck;
	const char *exam;	/* the deck's exam id, "" for none */
	int made, kept;		/* notes made, notes the deck had already */
	int full;		/* notes the deck had no room for */
	char *note;		/* the last note (made or kept) */
};

static int
sync_one(struct db *db, struct maker *m, const char *note, const char *ords)
{
	const char *p[4] = {note, m->org, m->deck, ords};
	PGresult *res = db_query(db, "fc_cards_sync", 4, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/*
 * A note of the question in columns col.. of row i of res (type, stem,
 * explanation, body, exam, objectives); a body that makes no note is
 * skipped.  0, or -1.
 */
static int
question_note(struct db *db, struct maker *m, PGresult *res, int i, int col,
    const char *question)
{
	json_t *body = json_loads(PQgetvalue(res, i, col + 3), 0, NULL);
	const char *exam = PQgetvalue(res, i, col + 4);
	char *front = NULL, *back = NULL;
	const char *p[7];
	PGresult *r;
	int rc;

	rc = source_question_note(PQgetvalue(res, i, col),
	    PQgetvalue(res, i, col + 1), PQgetvalue(res, i, col + 2), body,
	    &front, &back);
	json_decref(body);
	if (rc != 0)
		return 0;
	p[0] = m->org;
	p[1] = m->deck;
	p[2] = front;
	p[3] = back;
	/* Objectives only where the deck is about the question's exam. */
	p[4] = *exam != '\0' && strcmp(exam, m->exam) == 0 ?
	    PQgetvalue(res, i, col + 5) : "{}";
	p[5] = m->user;
	p[6] = question;
	r = db_query(db, "fc_question_note", 7, p);
	free(front);
	free(back);
	if (r == NULL)
		return -1;
	if (PQntuples(r) == 0) {	/* the deck is full */
		PQclear(r);
		m->full++;
		return 0;
	}
	free(m->note);
	m->note = strdup(PQgetvalue(r, 0, 0));
	if (strcmp(PQgetvalue(r, 0, 1), "t") == 0) {
		m->made++;
		rc = sync_one(db, m, m->note, "{0}");
	} else
		m->kept++;
	PQclear(r);
	return m->note == NULL ? -1 : rc;
}

/* The learner's deck of mistakes for an exam (id, or "" for none). */
static int
mistakes_deck(struct db *db, struct maker *m, const char *exam, char *deck)
{
	const char *p[3] = {m->user, m->org, *exam ? exam : NULL};

	for (int tries = 0; tries < 2; tries++) {
		PGresult *res = db_query(db, "fc_mistakes_deck", 3, p);
		int n;

		if (res == NULL)
			return -1;
		if ((n = PQntuples(res)) == 1)
			snprintf(deck, 37, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		if (n == 1)
			return 0;
		/* Made meanwhile by another request: it is there now. */
	}
	return -1;
}

int
flashcards_from_attempt(struct db *db, const char *org, const char *user,
    const char *attempt)
{
	const char *p[2] = {user, attempt};
	PGresult *res = db_query(db, "fc_attempt_mistakes", 2, p);
	struct maker m = {.org = org, .user = user};
	char deck[37] = "";
	int rc = 0;

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *exam = PQgetvalue(res, i, 5);

		if ((rc = mistakes_deck(db, &m, exam, deck)) != 0)
			break;
		m.deck = deck;
		m.exam = exam;
		rc = question_note(db, &m, res, i, 1, PQgetvalue(res, i, 0));
	}
	PQclear(res);
	free(m.note);
	return rc;
}

/* ---- a question I answered wrong ---------------------------------------- */

struct from {
	struct req *r;
	const char *id;		/* the question, the lesson, the deck */
	const char *deck;
	const char *ids;	/* questions, as a uuid[] literal */
	struct maker m;
	char *json;
	int status;
};

static int
note_answer(struct db *db, struct from *f)
{
	const char *p[1] = {f->m.note};
	PGresult *res = db_query(db, "fc_note_get", 1, p);

	if (res == NULL)
		return -1;
	f->json = arena_strdup(f->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
from_question_tx(struct db *db, void *arg)
{
	struct from *f = arg;
	const char *p[2] = {f->r->user->user_id, f->id};
	PGresult *res = db_query(db, "fc_wrong_answer", 2, p);
	char deck[37];
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(f->r, 404, "not-found", "You have no wrong answer "
		    "to this question in a finished attempt.");
		return 1;
	}
	f->m.org = f->r->user->org_id;
	f->m.user = f->r->user->user_id;
	if ((rc = mistakes_deck(db, &f->m, PQgetvalue(res, 0, 4), deck)) == 0) {
		f->m.deck = deck;
		f->m.exam = PQgetvalue(res, 0, 4);
		rc = question_note(db, &f->m, res, 0, 0, f->id);
	}
	PQclear(res);
	if (rc != 0)
		return rc;
	if (f->m.full) {
		resp_problem(f->r, 422, "too-many", "Your deck of mistakes holds "
		    "50,000 notes: it is full.");
		return 1;
	}
	if (f->m.note == NULL) {
		resp_problem(f->r, 422, "validation-failed", "This question "
		    "makes no flashcard.");
		return 1;
	}
	f->status = f->m.made ? 201 : 200;
	return note_answer(db, f);
}

static void
finish(struct req *r, struct from *f, db_tx_fn fn)
{
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED, fn,
	    f))
		resp_raw_json(r, f->status, f->json);
	free(f->m.note);
}

void
fc_from_question(struct req *r)
{
	struct from f = {.r = r, .status = 200};
	struct input in;

	input_begin(&in, r);
	input_only(&in, (const char *const[]){"question_id", NULL});
	f.id = input_string(&in, "question_id", IN_REQUIRED, 36, 36);
	if (f.id != NULL && !api_is_uuid(f.id))
		input_error(&in, "question_id", "must be a question's id");
	if (input_end(&in))
		finish(r, &f, from_question_tx);
}

/* ---- a deck from the bank, or from a lesson ------------------------------ */

static int
deck_open(struct db *db, struct from *f, struct deck_facts *d)
{
	int rc = deck_write_check(db, f->r, f->deck, 0, d);

	f->m.org = f->r->user->org_id;
	f->m.user = f->r->user->user_id;
	f->m.deck = f->deck;
	return rc;
}

/* 0 when the deck has room for n more notes; 1 after a 422; -1. */
static int
room_for(struct db *db, struct from *f, int n)
{
	const char *p[1] = {f->deck};
	PGresult *res = db_query(db, "fc_deck_room", 1, p);
	int room;

	if (res == NULL)
		return -1;
	room = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (room < n) {
		resp_problem(f->r, 422, "too-many", "The deck has room for %d "
		    "more notes (50,000 at most), not %d.", room < 0 ? 0 : room,
		    n);
		return 1;
	}
	return 0;
}

static int
answer_counts(struct from *f)
{
	f->json = arena_printf(f->r->arena, "{\"added\":%d,\"already\":%d}",
	    f->m.made, f->m.kept);
	return 0;
}

static int
from_questions_tx(struct db *db, void *arg)
{
	struct from *f = arg;
	struct deck_facts d;
	const char *p[1] = {f->ids};
	PGresult *res;
	int rc;

	if ((rc = deck_open(db, f, &d)) != 0)
		return rc;
	f->m.exam = arena_strdup(f->r->arena, d.exam);
	if ((res = db_query(db, "fc_bank_questions", 1, p)) == NULL)
		return -1;
	if ((rc = room_for(db, f, PQntuples(res))) != 0) {
		PQclear(res);
		return rc;
	}
	for (int i = 0; i < PQntuples(res) && rc == 0; i++)
		rc = question_note(db, &f->m, res, i, 1, PQgetvalue(res, i, 0));
	PQclear(res);
	return rc != 0 ? rc : answer_counts(f);
}

void
fc_deck_from_questions(struct req *r)
{
	struct from f = {.r = r, .status = 200};
	struct input in;

	if ((f.deck = api_path_id(r, "id", "deck")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, (const char *const[]){"question_ids", NULL});
	f.ids = input_pg_array(&in, "question_ids", IN_REQUIRED, MAX_QUESTIONS,
	    content_uuid);
	if (input_end(&in))
		finish(r, &f, from_questions_tx);
}

static int
from_lesson_tx(struct db *db, void *arg)
{
	struct from *f = arg;
	struct deck_facts d;
	struct key_term terms[MAX_TERMS];
	const char *p[8];
	PGresult *res;
	char *objectives;
	int rc, n;
	bool usable;

	if ((rc = deck_open(db, f, &d)) != 0)
		return rc;
	p[0] = f->id;
	if ((res = db_query(db, "fc_lesson_source", 1, p)) == NULL)
		return -1;
	/* A course's deck takes its own course's lessons; a learner's own,
	 * any lesson published for learners. */
	usable = PQntuples(res) == 1 && (d.course_deck ?
	    strcmp(PQgetvalue(res, 0, 1), d.course) == 0 :
	    strcmp(PQgetvalue(res, 0, 4), "t") == 0);
	if (!usable) {
		PQclear(res);
		api_field_error(f->r, "lesson_id", d.course_deck ? "is not a "
		    "lesson of the deck's course" : "is not a published lesson");
		return 1;
	}
	n = source_key_terms(PQgetvalue(res, 0, 0), terms, MAX_TERMS);
	objectives = arena_strdup(f->r->arena, strcmp(PQgetvalue(res, 0, 3),
	    d.exam) == 0 && d.exam[0] != '\0' ? PQgetvalue(res, 0, 2) : "{}");
	PQclear(res);
	if (n < 0)
		return -1;
	if ((rc = room_for(db, f, n)) != 0) {
		source_terms_free(terms, n);
		return rc;
	}
	p[0] = f->m.org;
	p[1] = f->deck;
	p[5] = objectives;
	p[6] = f->m.user;
	p[7] = f->id;
	for (int i = 0; i < n && rc == 0; i++) {
		p[2] = terms[i].reversed ? "reversed" : "basic";
		p[3] = terms[i].front;
		p[4] = terms[i].back;
		if ((res = db_query(db, "fc_lesson_note", 8, p)) == NULL) {
			rc = -1;
			break;
		}
		if (PQntuples(res) == 1) {
			f->m.made++;
			rc = sync_one(db, &f->m, PQgetvalue(res, 0, 0),
			    terms[i].reversed ? "{0,1}" : "{0}");
		} else
			f->m.kept++;
		PQclear(res);
	}
	source_terms_free(terms, n);
	return rc != 0 ? rc : answer_counts(f);
}

void
fc_deck_from_lesson(struct req *r)
{
	struct from f = {.r = r, .status = 200};
	struct input in;

	if ((f.deck = api_path_id(r, "id", "deck")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, (const char *const[]){"lesson_id", NULL});
	f.id = input_string(&in, "lesson_id", IN_REQUIRED, 36, 36);
	if (f.id != NULL && !api_is_uuid(f.id))
		input_error(&in, "lesson_id", "must be a lesson's id");
	if (input_end(&in))
		finish(r, &f, from_lesson_tx);
}
