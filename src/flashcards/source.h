/*
 * source.h - notes made from what a learner already studies: a question
 * answered wrong, the key terms of a lesson.  Pure code.
 */
#ifndef LUDUS_FLASHCARDS_SOURCE_H
#define LUDUS_FLASHCARDS_SOURCE_H

#include <stddef.h>

#include <jansson.h>

/*
 * A basic note from a question of the bank (docs/questions.md): the stem
 * (and the options, for the choice types) on the front; the right answer
 * and the explanations on the back, as Markdown (malloc'd, both freed by
 * the caller).  0, or -1 when the body does not fit its type.
 */
int source_question_note(const char *type, const char *stem,
    const char *explanation, const json_t *body, char **front, char **back);

/* A term of a lesson and what it means, as Markdown. */
struct key_term {
	char *front, *back;
	int reversed;		/* a table row: both ways make sense */
};

/*
 * The key terms of a lesson's Markdown, at most max, in order:
 *  - a paragraph or list item that opens with a bold term and then a
 *    colon, a dash or the verb "is"/"are" ("**TCP** is connection-
 *    oriented. ..."): the term, and the first sentence of what follows;
 *  - each row of a table of two or more columns: the first cell under
 *    its heading, and the other cells under theirs (reversed).
 * Bold that is part of a word (a mnemonic's letters) is no term.  Returns
 * how many were found into out (each freed with source_terms_free), or -1
 * when memory runs out.
 */
int source_key_terms(const char *markdown, struct key_term *out, int max);
void source_terms_free(struct key_term *t, int n);

#endif
