/*
 * asset.h - the shapes of study assets made from a material, checked.
 * Pure code.
 *
 * An asset's content is a JSON object whose shape depends on its type.
 * The same check applies to what a learner edits and to what a language
 * model answers, so neither can store a card that the rest of Ludus cannot
 * show.  Keys are exact: a missing one or an unknown one is refused.
 *
 *	flashcard	{"kind":"basic","front":S,"back":S}
 *			{"kind":"cloze","text":S,"extra":S}  ("extra" optional)
 *	quiz		{"stem":S,"options":[S, ...],"answer":I,
 *			 "explanation":S}  ("explanation" optional)
 *	summary		{"text":S}
 *	key_terms	{"terms":[{"term":S,"kind":S,"score":N}, ...]}
 *
 * Strings must hold something besides white space (the optional "extra"
 * and "explanation" may be ""), no control characters but tab and line
 * breaks, and at most ASSET_MAX_* characters (code points, not bytes).
 * A cloze text holds at least one well-formed deletion {{cN::answer}} or
 * {{cN::answer::hint}}, N in 1..99 (flashcards/cloze.h).  A quiz has 2 to
 * 6 options, distinct once trimmed and compared without ASCII case, and
 * "answer" is the 0-based index of the right one.  Key terms are 1 to 200,
 * distinct in the same way, each with a score in 0..1 and a kind among
 * acronym, defined, phrase, number, name and keyword.
 */
#ifndef LUDUS_MATERIALS_ASSET_H
#define LUDUS_MATERIALS_ASSET_H

#include <stddef.h>

#include <jansson.h>

#define ASSET_MAX_FRONT		2000	/* a card's front, a quiz stem */
#define ASSET_MAX_BACK		4000	/* a back, extra, explanation, cloze text */
#define ASSET_MAX_OPTION	500
#define ASSET_MAX_SUMMARY	20000
#define ASSET_MAX_TERM		200
#define ASSET_MIN_OPTIONS	2
#define ASSET_MAX_OPTIONS	6
#define ASSET_MAX_TERMS		200

/* 1 when type is one of "flashcard", "quiz", "summary", "key_terms". */
int asset_type_known(const char *type);
/* NULL when type is known, else why not: a rule for input_query(). */
const char *asset_type_rule(const char *type);

/*
 * 0 when content is a valid asset of type; otherwise -1 with field naming
 * the offending key as a path within content ("front", "options[2]",
 * "terms[0].score"; "content" for the object as a whole) and err saying
 * what is wrong, prefixed by that path ("options[2]: must not be empty").
 * An unknown type is refused with field "type".
 */
int asset_validate(const char *type, const json_t *content, char *field,
    size_t fieldlen, char *err, size_t errlen);

#endif
