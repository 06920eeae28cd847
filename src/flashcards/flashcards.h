/*
 * flashcards.h - what the flashcard module offers the other modules.
 */
#ifndef LUDUS_FLASHCARDS_FLASHCARDS_H
#define LUDUS_FLASHCARDS_FLASHCARDS_H

#include <stdbool.h>

#include "db/db.h"

/*
 * A card for each question the learner answered wrong in the attempt just
 * finished, in their deck of mistakes for its exam, when their setting
 * says to make them (cards_from_mistakes = make); in the caller's
 * transaction.  0, or -1 (db says why).
 */
int flashcards_from_attempt(struct db *db, const char *org, const char *user,
    const char *attempt);

/* A card accepted from a study material. */
struct material_note {
	const char *org, *user;
	const char *material;
	const char *course;	/* the material's course, or NULL */
	const char *deck_title;	/* for the deck, if it is made now */
	const char *kind;	/* "basic" or "cloze" */
	const char *front, *back;	/* Markdown; a cloze's text and extra */
};

/*
 * Adds m as a note, with its cards, to the material's deck (the learner's
 * own, or the course's), made if it has none; in the caller's
 * transaction.  0 with note set, 1 when the deck is full, 2 when a cloze
 * text has no deletion, -1 (db says why).
 */
int flashcards_material_note(struct db *db, const struct material_note *m,
    char note[37]);

#endif
