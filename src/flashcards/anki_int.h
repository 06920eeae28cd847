/*
 * anki_int.h - what the Anki reader (anki_read.c), the writer
 * (anki_write.c) and the field conversion (anki_field.c) share.  Private
 * to them: the rest of Ludus includes anki.h.
 *
 * The text helpers are defined in anki_field.c, anki_fail and
 * anki_guid_read in anki_read.c.  None of them can fail: memory comes
 * from core/alloc.h, which stops the process when there is none.
 */
#ifndef LUDUS_FLASHCARDS_ANKI_INT_H
#define LUDUS_FLASHCARDS_ANKI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/*
 * The times (unix seconds) a review may have: the reader skips one
 * outside them, the writer refuses one past REVIEW_MAX.
 */
#define REVIEW_MIN	1136073600LL	/* 2006-01-01: before Anki */
#define REVIEW_MAX	4102444800LL	/* 2100-01-01 */

/* True for an ASCII letter or digit. */
bool anki_ascii_alnum(unsigned char c);

/*
 * The code point at s[*i] (n bytes in all), advancing *i past it; U+FFFD
 * for a malformed sequence, of which one byte is consumed.
 */
uint32_t anki_utf8_get(const unsigned char *s, size_t n, size_t *i);
/* Appends the code point cp (at most U+10FFFF) to b as UTF-8. */
void anki_utf8_put(struct buf *b, uint32_t cp);
/* Code points of UTF-8 text (continuation bytes not counted). */
size_t anki_utf8_chars(const char *s);

/*
 * An HTML entity after an '&' at s (n bytes left): true with its code
 * point (0 for one to drop: NUL, a surrogate, past U+10FFFF) and its
 * length up to the ';' included; false when s does not hold one.  Numeric
 * entities and the common named ones are known.
 */
bool anki_entity_at(const char *s, size_t n, uint32_t *cp, size_t *len);

/*
 * Writes the reason, formatted, into why (whylen bytes; why NULL: not
 * written); always returns -1, for `return anki_fail(...)`.
 */
int anki_fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A copy of the n bytes at s when they make a guid worth keeping (1 to 64
 * bytes of printable ASCII, no space), malloc'd; NULL otherwise.  The
 * writer keeps a stable id as the guid by the same rule, so that reading
 * its package gives the id back.
 */
char *anki_guid_read(const char *s, size_t n);

#endif
