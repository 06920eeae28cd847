/*
 * anki_int.h - what the Anki reader (anki_read.c and its media,
 * anki_media.c), the writer (anki_write.c) and the field conversion
 * (anki_field.c) share.  Private to them: the rest of Ludus includes
 * anki.h.
 *
 * The text helpers are defined in anki_field.c; anki_fail,
 * anki_guid_read, anki_too_compressed and anki_collection_rank in
 * anki_read.c; anki_pb_field and anki_media_read in anki_media.c.  None
 * of them can fail: memory comes from core/alloc.h, which stops the
 * process when there is none.
 */
#ifndef LUDUS_FLASHCARDS_ANKI_INT_H
#define LUDUS_FLASHCARDS_ANKI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct anki_deck_data;
struct anki_limits;
struct zip;

/*
 * The times (unix seconds) a review may have: the reader skips one
 * outside them, the writer refuses one past REVIEW_MAX.
 */
#define REVIEW_MIN	1136073600LL	/* 2006-01-01: before Anki */
#define REVIEW_MAX	4102444800LL	/* 2100-01-01 */

/*
 * The reader's unpacking: bytes read or unpacked at a time, and the
 * largest zstd window it accepts, 2^25 bytes (32 MiB; Anki's zstd level
 * uses 2).
 */
#define IO_CHUNK	65536
#define ZSTD_WINDOW_MAX	25

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

/*
 * True when out bytes unpacked from in packed bytes pass lim's ratio:
 * never while out is 1 MiB or less, nor when max_ratio is 0.
 */
bool anki_too_compressed(uint64_t out, uint64_t in,
    const struct anki_limits *lim);

/*
 * Which collection a zip entry's name is: 3 collection.anki21b, 2
 * collection.anki21, 1 collection.anki2, 0 none.
 */
int anki_collection_rank(const char *name);

/*
 * The varint field number field of the protobuf message at p (n bytes):
 * its value, 0 when absent (proto3's default) or when the message is
 * malformed.
 */
uint64_t anki_pb_field(const unsigned char *p, size_t n, uint64_t field);

/*
 * The media files of the package za into out (media, n_media and
 * skipped_media), under lim; none when it has no media map.  A file that
 * cannot be read is counted, never a reason to refuse the package.
 */
void anki_media_read(struct zip *za, const struct anki_limits *lim,
    struct anki_deck_data *out);

#endif
