/*
 * generate.h - the built-in generator: flashcards, quiz questions,
 * summaries and key terms from a material's chunks, with no language
 * model.  Pure code: the same text, chunks and parameters give the same
 * assets, byte for byte; the seed only orders quiz options.
 *
 * What it makes:
 *  - definition cards ("basic") from sentences that define ("X is a ...",
 *    "X are ...", "X refers to ...", "X means ...", "X is defined as ...",
 *    "A ... is called X", "X, which ..., ..."), from list items
 *    ("**X**: ...", "X - ...") and from table rows; acronym cards from
 *    "Dynamic Host Configuration Protocol (DHCP)"; port cards from "HTTPS
 *    uses port 443";
 *  - cloze cards: a chunk's key sentence with its best key term hidden;
 *  - quiz questions for defined terms, acronyms and ports, the
 *    distractors other terms of the same kind from the material;
 *  - a summary per chunk of two sentences or more, one for the material;
 *  - the material's key terms.
 * It does not paraphrase, invent questions beyond those patterns, or
 * judge whether a sentence is true.
 */
#ifndef LUDUS_MATERIALS_GENERATE_H
#define LUDUS_MATERIALS_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "materials/chunk.h"

struct gen_params {
	int max_flashcards;	/* basic and cloze cards; 0 for none */
	int max_questions;	/* quiz questions; 0 for none */
	int summary_sentences;	/* in a chunk's summary */
	int material_summary_sentences;
	int max_terms;		/* in the key_terms asset */
	int64_t seed;		/* orders quiz options, nothing else */
};

/* Every field to its default: 40, 20, 2, 5, 20 and seed 0. */
void gen_params_default(struct gen_params *p);

/* Bytes [start, end) of the text. */
struct gen_span {
	size_t start, end;
};

struct gen_asset {
	/* "flashcard", "quiz", "summary" or "key_terms" (static). */
	const char *type;
	int chunk;		/* its chunk's index; -1 for the material */
	/*
	 * flashcard: {"kind":"basic","front":S,"back":S} or
	 *            {"kind":"cloze","text":S,"extra":S}
	 * quiz:      {"stem":S,"options":[S,...],"answer":I,
	 *             "explanation":S}
	 * summary:   {"text":S}
	 * key_terms: {"terms":[{"term":S,"kind":S,"score":N},...]}
	 * Plain text, Markdown markers stripped.
	 */
	json_t *content;
	/* The sentences it comes from, at least one, inside its chunk. */
	struct gen_span *src;
	int nsrc;
	double quality;		/* 0..1, a heuristic */
	int difficulty;		/* 1..10 */
	/*
	 * {"generator":"builtin","version":1,"method":M,"seed":N,...} and
	 * the other parameters; M says which pattern made it.
	 */
	json_t *params;
};

struct gen_result {
	char **chunk_summary;	/* per chunk, plain; "" when it has none */
	double *chunk_relevance;	/* per chunk, 0..1: the best near 1 */
	struct gen_asset *assets;	/* best quality first */
	size_t nassets;
};

/*
 * Generates from text[0..len) cut into the n chunks c (chunk_text()).  p
 * may be NULL for the defaults; negative fields count as 0.  0, or -1
 * when a chunk lies outside the text or chunks overlap.  Free *out with
 * gen_result_free() either way.
 */
int generate(const char *text, size_t len, const struct chunk *c, size_t n,
    const struct gen_params *p, struct gen_result *out);

void gen_result_free(struct gen_result *r, size_t nchunks);

#endif
