/*
 * cloze.h - what a note's cards show.  Pure code.
 *
 * A cloze note's text hides parts of itself: {{c1::Paris}} is deletion 1,
 * {{c2::1889::a year}} is deletion 2 with a hint.  Each deletion number
 * makes one card; the same number may hide several parts, which that card
 * hides together.  Braces that do not open a deletion are left as text.
 */
#ifndef LUDUS_FLASHCARDS_CLOZE_H
#define LUDUS_FLASHCARDS_CLOZE_H

#include <stddef.h>

#define CLOZE_MAX 99	/* deletion numbers are 1 .. CLOZE_MAX */

/*
 * The deletion numbers of text, ascending and each once, in out (which
 * holds CLOZE_MAX); how many, or -1 with *why when a deletion is
 * malformed: unclosed, numbered outside 1..CLOZE_MAX, or hiding nothing.
 * A text without deletions gives 0.
 */
int cloze_ordinals(const char *text, int *out, const char **why);

enum note_kind {
	NOTE_BASIC,	/* one card: front, then back */
	NOTE_REVERSED,	/* and a second card: back, then front */
	NOTE_CLOZE	/* a card per deletion; back is an extra */
};

/* The kind named by s ("basic", "reversed", "cloze"); -1 for none. */
int note_kind_parse(const char *s);

/*
 * The question and answer a card of a note shows, as Markdown (malloc'd,
 * both freed by the caller): for a cloze card, its deletions shown as
 * [...] (or [hint]) in the question and in bold in the answer, the other
 * deletions as plain text, then the extra.  0, or -1 when the ordinal is
 * not one of the note's cards (or a deletion is malformed).
 */
int note_card_sides(enum note_kind kind, const char *front, const char *back,
    int ordinal, char **question, char **answer);

#endif
