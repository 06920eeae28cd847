/*
 * api_anki.c - Anki packages in and out of a deck (anki_read.c reads and
 * anki_write.c writes them).
 *
 * An import is a job (flashcards.import): the request checks who may
 * write the deck and that the body is a zip, and queues the package
 * (base64 in the job's input).  The job reads it under the reader's limits,
 * then writes every note and card in one statement and the importer's
 * review history in a few more, all in the job's transaction: a package
 * that cannot be read fails the job with the reader's reason, and nothing
 * is half imported.  The reviews are replayed through the scheduler, so
 * the cards come in with the memory FSRS gives that history.  The
 * package's images and sounds become the deck's media (a file of the same
 * name is replaced), each recognized by its content as an upload is: one
 * a card cannot show, or one past the deck's room, is left out and
 * counted.
 *
 * An export is answered at once: the deck's notes and cards, with the
 * caller's own reviews in the review log, and its media, as an .apkg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/perm.h"
#include "db/files.h"
#include "flashcards/anki.h"
#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/cloze.h"
#include "flashcards/jobs.h"
#include "flashcards/media.h"
#include "http/api.h"

#define IMPORT_BATCH 1000	/* notes written by one statement */
#define REVIEW_BATCH 5000	/* reviews written by one statement */
/* The most media an export answers with at once (it is built in memory). */
#define EXPORT_MEDIA_MAX (64u << 20)

/* ---- the request --------------------------------------------------------- */

struct queued {
	struct req *r;
	const char *deck;
	char *b64;
	char id[37];
};

static int
import_tx(struct db *db, void *arg)
{
	struct queued *q = arg;
	struct deck_facts f;
	json_t *payload;
	int rc;

	if ((rc = deck_write_check(db, q->r, q->deck, 0, &f)) != 0)
		return rc;
	payload = json_pack("{s:s, s:I}", "deck", q->deck, "bytes",
	    (json_int_t)q->r->body_len);
	rc = jobs_enqueue(db, q->r->user->org_id, q->r->user->user_id,
	    IMPORT_ANKI_JOB_KIND, payload, q->b64, q->id);
	json_decref(payload);
	return rc != 0 ? -1 : 0;
}

void
fc_deck_import(struct req *r)
{
	struct queued q = {.r = r};
	size_t len;
	struct db *db;

	if ((q.deck = api_path_id(r, "id", "deck")) == NULL)
		return;
	/* A zip begins with a local file header, "PK\3\4". */
	if (r->body == NULL || r->body_len < 4 ||
	    memcmp(r->body, "PK\003\004", 4) != 0) {
		resp_problem(r, 422, "validation-failed", "The body must be an "
		    "Anki package (.apkg or .colpkg): a zip file.");
		return;
	}
	len = sodium_base64_encoded_len(r->body_len,
	    sodium_base64_VARIANT_ORIGINAL);
	if (len > 16u << 20) {
		resp_problem(r, 413, "too-large", "An imported package may "
		    "hold at most 12 MiB.");
		return;
	}
	q.b64 = arena_alloc(r->arena, len);
	sodium_bin2base64(q.b64, len, (const unsigned char *)r->body,
	    r->body_len, sodium_base64_VARIANT_ORIGINAL);
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    import_tx, &q))
		api_job_accepted(r, q.id, IMPORT_ANKI_JOB_KIND);
}

/* ---- the job -------------------------------------------------------------- */

/* The cards Ludus makes of a note, as a JSON array of ordinals. */
static json_t *
ordinals(const struct anki_note *n)
{
	json_t *a = json_array();
	int ord[CLOZE_MAX], k;
	const char *why;

	if (strcmp(n->kind, "cloze") == 0) {
		k = cloze_ordinals(n->front, ord, &why);
		for (int i = 0; i < k; i++)
			json_array_append_new(a, json_integer(ord[i]));
	} else {
		json_array_append_new(a, json_integer(0));
		if (strcmp(n->kind, "reversed") == 0)
			json_array_append_new(a, json_integer(1));
	}
	return a;
}

/* Runs a query with a JSON parameter made from doc (taken over). */
static PGresult *
with_json(struct db *db, const char *name, const char *org, const char *user,
    const char *third, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT);
	const char *p[4] = {org, user, third, s};
	PGresult *res = NULL;

	json_decref(doc);
	if (s != NULL)
		res = db_query(db, name, third != NULL ? 4 : 3, third != NULL ?
		    p : (const char *[]){org, user, s});
	free(s);
	return res;
}

/* Where the reviews of the import are written, a batch at a time. */
struct replay {
	struct db *db;
	struct job *j;
	json_t *log, *progress;
	size_t reviews;
};

static int
flush(struct replay *rp, bool all)
{
	PGresult *res;

	if (json_array_size(rp->log) >= REVIEW_BATCH || (all &&
	    json_array_size(rp->log) > 0)) {
		if ((res = with_json(rp->db, "fc_import_reviews", rp->j->org,
		    rp->j->user, NULL, rp->log)) == NULL)
			return -1;
		PQclear(res);
		rp->log = json_array();
	}
	if (json_array_size(rp->progress) >= REVIEW_BATCH || (all &&
	    json_array_size(rp->progress) > 0)) {
		if ((res = with_json(rp->db, "fc_import_progress", rp->j->org,
		    rp->j->user, NULL, rp->progress)) == NULL)
			return -1;
		PQclear(res);
		rp->progress = json_array();
	}
	return 0;
}

/* The card's reviews through the scheduler: the log, and the memory. */
static int
replay(struct replay *rp, const struct fsrs_settings *s, const char *card,
    const struct anki_card *c)
{
	struct fsrs_card m, before;

	fsrs_card_new(&m, c->reviews[0].at);
	for (size_t i = 0; i < c->n_reviews; i++) {
		const struct anki_review *v = &c->reviews[i];
		int64_t ivl;

		/* A review dated after now (a wrong clock) is left out. */
		if (v->at > (int64_t)time(NULL) + 60)
			break;
		before = m;
		fsrs_review(s, &before, (enum fsrs_rating)v->rating, v->at,
		    card_seed(card, before.reps), &m, &ivl);
		json_array_append_new(rp->log, json_pack("{s:s, s:i, s:I, s:o, "
		    "s:I, s:i, s:i, s:i, s:f, s:f, s:I, s:i, s:i, s:i, s:f, "
		    "s:f}", "card", card, "rating", v->rating, "at",
		    (json_int_t)v->at, "last", before.last_review ?
		    json_integer(before.last_review) : json_null(), "ivl",
		    (json_int_t)ivl, "ms", v->duration_ms < 0 ? 0 :
		    v->duration_ms > 3600000 ? 3600000 : v->duration_ms, "state",
		    before.state, "step", before.step, "s", before.stability, "d",
		    before.difficulty, "due", (json_int_t)before.due, "reps",
		    before.reps, "lapses", before.lapses, "state_after", m.state,
		    "s_after", m.stability, "d_after", m.difficulty));
		rp->reviews++;
	}
	json_array_append_new(rp->progress, json_pack("{s:s, s:i, s:i, s:f, "
	    "s:f, s:I, s:I, s:i, s:i}", "card", card, "state", m.state, "step",
	    m.step, "s", m.stability, "d", m.difficulty, "due",
	    (json_int_t)m.due, "last", (json_int_t)m.last_review, "reps",
	    m.reps, "lapses", m.lapses));
	return flush(rp, false);
}

/* The scheduler's settings of the importer for the deck; the room the
 * deck has for notes. */
static int
import_settings(struct db *db, struct job *j, const char *deck,
    struct fsrs_settings *s, int *room)
{
	const char *p[2] = {j->user, j->org};
	struct learner_settings ls;
	PGresult *res = db_query(db, "fc_settings", 2, p);
	bool ok;

	if (res == NULL)
		return -1;
	ok = settings_read(res, &ls);
	PQclear(res);
	if (!ok)
		return 1;
	p[0] = deck;
	if ((res = db_query(db, "fc_import_target", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	settings_for_deck(&ls, res, 0, 0, s);
	*room = atoi(PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}

/* Writes d's notes and cards into deck, and replays its reviews. */
static int
import_write(struct db *db, struct job *j, const char *deck,
    const struct fsrs_settings *s, const struct anki_deck_data *d,
    size_t *cards_made, size_t *reviews)
{
	struct replay rp = {db, j, json_array(), json_array(), 0};
	size_t next_card = 0;
	int rc = 0;

	for (size_t first = 0; first < d->n_notes && rc == 0;
	    first += IMPORT_BATCH) {
		size_t last = first + IMPORT_BATCH < d->n_notes ?
		    first + IMPORT_BATCH : d->n_notes;
		json_t *notes = json_array();
		PGresult *res;

		for (size_t i = first; i < last; i++) {
			const struct anki_note *n = &d->notes[i];
			json_t *tags = json_array();

			for (size_t t = 0; t < n->n_tags; t++)
				json_array_append_new(tags,
				    json_string(n->tags[t]));
			json_array_append_new(notes, json_pack("{s:s, s:s, s:s, "
			    "s:o, s:o}", "kind", n->kind, "front", n->front,
			    "back", n->back ? n->back : "", "tags", tags,
			    "cards", ordinals(n)));
		}
		if ((res = with_json(db, "fc_import_notes", j->org, deck,
		    j->user, notes)) == NULL) {
			rc = -1;
			break;
		}
		*cards_made += (size_t)PQntuples(res);
		/* Anki's cards (in note and ordinal order) meet Ludus's. */
		for (int row = 0; row < PQntuples(res) && rc == 0; row++) {
			size_t note = first + (size_t)atoi(PQgetvalue(res, row,
			    0)) - 1;
			int ord = atoi(PQgetvalue(res, row, 1));

			while (next_card < d->n_cards &&
			    (d->cards[next_card].note < note ||
			    (d->cards[next_card].note == note &&
			    d->cards[next_card].ordinal < ord)))
				next_card++;
			if (next_card < d->n_cards &&
			    d->cards[next_card].note == note &&
			    d->cards[next_card].ordinal == ord &&
			    d->cards[next_card].n_reviews > 0)
				rc = replay(&rp, s, PQgetvalue(res, row, 2),
				    &d->cards[next_card]);
		}
		PQclear(res);
		jobs_progress(j, last, d->n_notes);
	}
	if (rc == 0)
		rc = flush(&rp, true);
	*reviews = rp.reviews;
	json_decref(rp.log);
	json_decref(rp.progress);
	return rc;
}

/*
 * The package's media into the deck (locked by fc_import_target): *kept
 * and *left (a type cards cannot show, or no room left).
 */
static int
import_media(struct db *db, struct job *j, const char *deck,
    const struct anki_deck_data *d, size_t *kept, size_t *left)
{
	for (size_t i = 0; i < d->n_media; i++) {
		const struct anki_media *m = &d->media[i];
		char sniffed[128];
		const char *type;
		PGresult *res;

		files_sniff(m->data, m->len, sniffed, sizeof(sniffed));
		if ((type = media_type_allowed(sniffed)) == NULL ||
		    m->len > MEDIA_FILE_MAX) {
			(*left)++;
			continue;
		}
		if ((res = media_put(db, j->org, deck, j->user, m->name, m->data,
		    m->len, type)) == NULL)
			return -1;
		if (PQntuples(res) == 1)
			(*kept)++;
		else
			(*left)++;
		PQclear(res);
	}
	return 0;
}

int
anki_import_run(struct db *db, struct job *j, json_t **result, char **error)
{
	const char *deck = json_string_value(json_object_get(j->payload,
	    "deck"));
	struct anki_deck_data d = {0};
	struct fsrs_settings s;
	unsigned char *bin;
	size_t len, cards = 0, reviews = 0, media = 0, left = 0;
	char why[160];
	int rc, room;

	if (deck == NULL || j->input == NULL) {
		*error = xstrdup("The job lacks its deck or its package.");
		return 1;
	}
	len = strlen(j->input);
	if ((bin = malloc(len + 1)) == NULL || sodium_base642bin(bin, len,
	    j->input, len, NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		*error = xstrdup("The package cannot be read back.");
		return 1;
	}
	rc = anki_read(bin, len, NULL, &d, why, sizeof(why));
	free(bin);
	if (rc != 0) {
		*error = xstrdup(why);
		return 1;
	}
	if ((rc = import_settings(db, j, deck, &s, &room)) != 0) {
		anki_free(&d);
		if (rc > 0)
			*error = xstrdup("The deck is gone.");
		return rc;
	}
	if ((size_t)(room < 0 ? 0 : room) < d.n_notes) {
		snprintf(why, sizeof(why), "The deck has room for %d more notes "
		    "(50,000 at most); the package holds %zu.", room < 0 ? 0 :
		    room, d.n_notes);
		anki_free(&d);
		*error = xstrdup(why);
		return 1;
	}
	rc = import_write(db, j, deck, &s, &d, &cards, &reviews);
	if (rc == 0)
		rc = import_media(db, j, deck, &d, &media, &left);
	if (rc == 0)
		*result = json_pack("{s:s?, s:I, s:I, s:I, s:I, s:{s:I, s:I, "
		    "s:I, s:I, s:I}}", "name", d.name, "notes",
		    (json_int_t)d.n_notes, "cards", (json_int_t)cards,
		    "reviews", (json_int_t)reviews, "media", (json_int_t)media,
		    "skipped", "notes", (json_int_t)d.skipped_notes, "cards",
		    (json_int_t)d.skipped_cards, "reviews",
		    (json_int_t)d.skipped_reviews, "media",
		    (json_int_t)(d.skipped_media + left), "media_references",
		    (json_int_t)d.skipped_refs);
	anki_free(&d);
	return rc != 0 ? -1 : *result != NULL ? 0 : -1;
}

/* ---- the export ----------------------------------------------------------- */

struct out {
	struct req *r;
	const char *deck;
	char *title;
	bool media;		/* with the deck's media (?media=false: not) */
	PGresult *files;	/* their names and bytes, while writing */
	void *apkg;
	size_t len;
};

/* The deck's media into d (o->files holds them until PQclear): 0, 1 after
 * a 422 (too much for one answer), -1. */
static int
export_media(struct db *db, struct out *o, struct anki_deck_data *d)
{
	const char *p[1] = {o->deck};
	PGresult *res = db_query(db, "fc_export_media_size", 1, p);
	unsigned long long bytes;

	if (res == NULL)
		return -1;
	bytes = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	if (bytes > EXPORT_MEDIA_MAX) {
		resp_problem(o->r, 422, "too-large", "With its media the package "
		    "would hold %llu MiB, more than the %u MiB an export may: "
		    "export it without them (?media=false), or remove some.",
		    bytes >> 20, EXPORT_MEDIA_MAX >> 20);
		return 1;
	}
	if ((o->files = db_query_bin(db, "fc_export_media", 1, p, NULL, 1)) ==
	    NULL)
		return -1;
	d->n_media = (size_t)PQntuples(o->files);
	d->media = arena_alloc(o->r->arena, sizeof(*d->media) *
	    (d->n_media + 1));
	for (size_t i = 0; i < d->n_media; i++) {
		d->media[i].name = PQgetvalue(o->files, (int)i, 0);
		d->media[i].data = (unsigned char *)PQgetvalue(o->files, (int)i,
		    1);
		d->media[i].len = (size_t)PQgetlength(o->files, (int)i, 1);
	}
	return 0;
}

/* The deck's notes and cards, with the caller's reviews, into d. */
static int
export_read(struct db *db, struct out *o, struct anki_deck_data *d)
{
	const char *p[2] = {o->deck, o->r->user->user_id};
	PGresult *notes = db_query(db, "fc_export_notes", 1, p), *cards;
	size_t n;

	if (notes == NULL)
		return -1;
	if ((n = (size_t)PQntuples(notes)) > 50000) {
		PQclear(notes);
		resp_problem(o->r, 422, "validation-failed", "A deck of more "
		    "than 50,000 notes is too large to export at once.");
		return 1;
	}
	if ((cards = db_query(db, "fc_export_cards", 2, p)) == NULL) {
		PQclear(notes);
		return -1;
	}
	d->notes = arena_alloc(o->r->arena, sizeof(*d->notes) * (n + 1));
	d->cards = arena_alloc(o->r->arena, sizeof(*d->cards) *
	    ((size_t)PQntuples(cards) + 1));
	for (size_t i = 0; i < n; i++) {
		struct anki_note *a = &d->notes[i];
		json_t *tags = json_loads(PQgetvalue(notes, (int)i, 4), 0, NULL);

		memset(a, 0, sizeof(*a));
		a->guid = arena_strdup(o->r->arena, PQgetvalue(notes, (int)i, 0));
		a->kind = strcmp(PQgetvalue(notes, (int)i, 1), "cloze") == 0 ?
		    "cloze" : strcmp(PQgetvalue(notes, (int)i, 1), "reversed")
		    == 0 ? "reversed" : "basic";
		a->front = arena_strdup(o->r->arena, PQgetvalue(notes, (int)i, 2));
		a->back = arena_strdup(o->r->arena, PQgetvalue(notes, (int)i, 3));
		a->n_tags = json_array_size(tags);
		a->tags = arena_alloc(o->r->arena, sizeof(char *) *
		    (a->n_tags + 1));
		for (size_t t = 0; t < a->n_tags; t++)
			a->tags[t] = arena_strdup(o->r->arena,
			    json_string_value(json_array_get(tags, t)));
		json_decref(tags);
	}
	d->n_notes = n;
	/* Notes and cards both come in note id order. */
	for (int i = 0, k = 0; i < PQntuples(cards); i++) {
		const char *note = PQgetvalue(cards, i, 0);
		struct anki_card *c = &d->cards[d->n_cards];
		json_t *revs;

		while ((size_t)k < n && strcmp(d->notes[k].guid, note) < 0)
			k++;
		if ((size_t)k >= n || strcmp(d->notes[k].guid, note) != 0)
			continue;
		memset(c, 0, sizeof(*c));
		c->note = (size_t)k;
		c->ordinal = atoi(PQgetvalue(cards, i, 1));
		revs = json_loads(PQgetvalue(cards, i, 2), 0, NULL);
		c->n_reviews = json_array_size(revs);
		c->reviews = arena_alloc(o->r->arena, sizeof(*c->reviews) *
		    (c->n_reviews + 1));
		for (size_t v = 0; v < c->n_reviews; v++) {
			json_t *x = json_array_get(revs, v);

			c->reviews[v].at = json_integer_value(json_array_get(x,
			    0));
			c->reviews[v].rating = (int)json_integer_value(
			    json_array_get(x, 1));
			c->reviews[v].duration_ms = (int)json_integer_value(
			    json_array_get(x, 2));
		}
		json_decref(revs);
		d->n_cards++;
	}
	PQclear(notes);
	PQclear(cards);
	return 0;
}

static int
export_tx(struct db *db, void *arg)
{
	struct out *o = arg;
	const char *p[3] = {o->deck, o->r->user->user_id,
	    api_may(o->r, PERM_CONTENT_ALL)};
	struct anki_deck_data d = {0};
	PGresult *res = db_query(db, "fc_deck_get", 3, p);
	json_t *deck;
	char why[160];
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(o->r, 404, "not-found", "There is no such deck.");
		return 1;
	}
	deck = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	o->title = arena_strdup(o->r->arena, json_string_value(
	    json_object_get(deck, "title")));
	json_decref(deck);
	if ((rc = export_read(db, o, &d)) != 0 || (o->media &&
	    (rc = export_media(db, o, &d)) != 0))
		return rc;
	d.name = o->title;
	rc = anki_write(&d, &o->apkg, &o->len, why, sizeof(why));
	PQclear(o->files);
	o->files = NULL;
	if (rc != 0) {
		resp_problem(o->r, 500, "internal", "The deck cannot be "
		    "written as a package: %s.", why);
		return 1;
	}
	return 0;
}

void
fc_deck_export(struct req *r)
{
	struct out o = {.r = r, .media = true};
	const char *media = req_query(r, "media");
	struct db *db;
	char name[64];
	size_t k = 0;

	if (media != NULL) {
		if (api_true_false(media) != NULL) {
			api_field_error(r, "media", api_true_false(media));
			return;
		}
		o.media = strcmp(media, "true") == 0;
	}
	if ((o.deck = api_path_id(r, "id", "deck")) == NULL ||
	    (db = api_db(r)) == NULL || !api_tx(r, db, DB_READ_COMMITTED,
	    export_tx, &o)) {
		free(o.apkg);
		return;
	}
	/* A file name of the title's letters, digits and dashes. */
	for (const char *s = o.title; *s != '\0' && k < 40; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9'))
			name[k++] = *s;
		else if (k > 0 && name[k - 1] != '-')
			name[k++] = '-';
	name[k] = '\0';
	resp_header(r, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"%s.apkg\"", k ? name : "deck"));
	resp_text(r, 200, "application/zip", o.apkg, o.len);
	free(o.apkg);
}
