/*
 * flashcards.h - what the flashcard module offers the other modules.
 */
#ifndef LUDUS_FLASHCARDS_FLASHCARDS_H
#define LUDUS_FLASHCARDS_FLASHCARDS_H

#include "db/db.h"

/*
 * A card for each question the learner answered wrong in the attempt just
 * finished, in their deck of mistakes for its exam, when their setting
 * says to make them (cards_from_mistakes = make); in the caller's
 * transaction.  0, or -1 (db says why).
 */
int flashcards_from_attempt(struct db *db, const char *org, const char *user,
    const char *attempt);

#endif
