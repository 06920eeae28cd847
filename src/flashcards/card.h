/*
 * card.h - what the flashcard handlers share: a card's sides as HTML, and
 * a learner's scheduler settings and card state read from query rows.
 */
#ifndef LUDUS_FLASHCARDS_CARD_H
#define LUDUS_FLASHCARDS_CARD_H

#include <stdbool.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "db/db.h"
#include "flashcards/fsrs.h"
#include "http/request.h"

/*
 * Sets "question_html" and "answer_html" of obj for card ordinal of a note
 * (kind "basic", "reversed" or "cloze"), its media named as files of deck
 * (a UUID; NULL leaves them as written: media.h).  0, or -1 when the card
 * is not one of the note's or memory ran out.
 */
int card_sides(json_t *obj, const char *kind, const char *front,
    const char *back, int ordinal, const char *deck);

/* What the fc_settings query gives, beyond the scheduler's own. */
struct learner_settings {
	struct fsrs_settings fsrs;
	int new_per_day, reviews_per_day;
	bool bury_siblings, load_balance;
	double easy_days[7];		/* Monday .. Sunday */
	char timezone[64];
	char day_start[40], day_end[40];	/* of today, timestamptz text */
	long long now;				/* unix seconds */
};

/* Reads row 0 of an fc_settings result; false when it is malformed. */
bool settings_read(const PGresult *res, struct learner_settings *ls);

/*
 * The caller's settings (made on first use) into *ls: 0, 1 after a 500
 * when they cannot be read, -1.  keep (when not NULL) gets the result,
 * for the caller to read more of and clear.
 */
int settings_load(struct db *db, struct req *r, struct learner_settings *ls,
    PGresult **keep);

/*
 * Puts len bytes of type (one media_type_allowed gave) in the deck's media
 * under name (checked by media_name_ok), in the caller's transaction, the
 * deck locked (api_media.c): the fc_media_put result (no row: the deck is
 * full), or NULL after a failed query.
 */
PGresult *media_put(struct db *db, const char *org, const char *deck,
    const char *user, const char *name, const void *data, size_t len,
    const char *type);

/* What a write to a deck needs to know of it. */
struct deck_facts {
	bool course_deck;	/* a course's, not the caller's own */
	char course[37];	/* its course ("" for none) */
	char exam[37];		/* its exam's id ("" for none) */
	long version;
};

/*
 * Whether r's user may change the deck (api_decks.c): 0 yes, with *f
 * filled; 1 after a 404 (no such deck for them), 403 (a learner of the
 * course) or 412 (want is not 0 nor the deck's version); -1.
 */
int deck_write_check(struct db *db, struct req *r, const char *deck,
    long want, struct deck_facts *f);

/* "{60,600}"-like text of a column (an array) as a JSON array of
 * numbers, whole ones as integers. */
json_t *card_numbers(const char *csv);
/* doc (taken over) dumped into *json in r's arena: 0, or -1. */
int card_answer(struct req *r, char **json, json_t *doc, size_t flags);

/*
 * The settings for a card of a deck: the learner's, with the deck's
 * retention (column col of res, when not null) and fuzz (col + 1).
 */
void settings_for_deck(const struct learner_settings *ls,
    const PGresult *res, int row, int col, struct fsrs_settings *out);

/*
 * A card state from eight columns of res starting at col: state, step,
 * stability, difficulty, due and last review (unix seconds; null), reps,
 * lapses.
 */
void card_read(const PGresult *res, int row, int col, struct fsrs_card *c);

/* The seed of a card's fuzz: its id and how many reviews it had. */
unsigned long long card_seed(const char *card_id, int reps);

/* The state's name: "new", "learning", "review" or "relearning". */
const char *card_state_name(enum fsrs_state s);

/*
 * What each rating would do to c at now: [{rating, due, interval_seconds,
 * state}] with due as ISO 8601 UTC.
 */
json_t *card_previews(const struct fsrs_settings *s, const struct fsrs_card *c,
    long long now, unsigned long long seed);

/* An ISO 8601 UTC time ("2026-12-07T10:00:00Z") of unix seconds t. */
void card_time(long long t, char out[32]);

#endif
