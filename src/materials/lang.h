/*
 * lang.h - the language a study material is written in, guessed from its
 * text with libexttextcat's character n-gram fingerprints.
 *
 * Thread-safe: one classifier is loaded on first use and shared under a
 * lock, since a libexttextcat handle keeps its answer in itself.
 */
#ifndef LUDUS_MATERIALS_LANG_H
#define LUDUS_MATERIALS_LANG_H

#include <stddef.h>

#define LANG_UNDETERMINED "und"

/*
 * Writes into code the ISO 639-1 code of the language of text ("en", "de",
 * "fr", ...), or "und" when the text is too short (fewer than
 * LANG_MIN_LETTERS letters), when the guess is unsure or ambiguous, when
 * the language has no two-letter code, or when the fingerprints cannot be
 * loaded.  Only the first LANG_WINDOW bytes are looked at; invalid UTF-8
 * is skipped.  Returns 0 when a language was found, -1 for "und"; never
 * fails otherwise.
 */
int lang_detect(const char *text, size_t len, char code[8]);

#define LANG_MIN_LETTERS 40
#define LANG_WINDOW 8192

#endif
