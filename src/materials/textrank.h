/*
 * textrank.h - key sentences and key terms by TextRank (Mihalcea and
 * Tarau, 2004).  Pure code, deterministic.
 *
 * Sentences are ranked on a graph whose edges weigh the content words two
 * sentences share; words on a graph of co-occurrence in a window of two
 * content words.  Both use weighted PageRank with damping 0.85 until no
 * score moves by more than a tolerance, or an iteration cap.  The word
 * graph is sparse (an edge per co-occurring pair), so it scales with the
 * text; the sentence graph is dense, so callers rank sentences a chunk at
 * a time.
 */
#ifndef LUDUS_MATERIALS_TEXTRANK_H
#define LUDUS_MATERIALS_TEXTRANK_H

#include <stdbool.h>
#include <stddef.h>

#include "materials/text.h"

#define TR_DAMPING 0.85

/* A sentence to rank: the content words it holds. */
struct tr_sentence {
	const int *words;	/* word ids, ascending, each once */
	size_t nwords;
	size_t length;		/* its words, stopwords included */
};

/*
 * TextRank scores of n sentences in score (room for n): similarity is the
 * number of shared words over log(length i) + log(length j).  A sentence
 * sharing nothing scores 1 - damping.  Past 400 sentences only those at
 * most 200 apart are compared, to bound the work.
 */
void textrank_sentences(const struct tr_sentence *s, size_t n,
    double *score);

/* A word of the text (tr_model). */
struct tr_token {
	size_t start, end;	/* in the text */
	int word;		/* vocabulary id: folded, plural dropped */
	int sent;		/* its sentence */
	unsigned flags;		/* TR_* */
};

#define TR_CANDIDATE	0x01	/* may be part of a key term */
#define TR_JOINED	0x02	/* only blanks or markup since the last */
#define TR_INITIAL	0x04	/* first of its sentence */
#define TR_CAPITAL	0x08	/* starts with an ASCII capital */
#define TR_ACRONYM	0x10	/* 2 to 6 capitals and nothing else */
#define TR_NUMBER	0x20	/* digits (and dots between them) */
#define TR_STOP		0x40	/* a stopword */
#define TR_NAME		0x80	/* in a run of capitalized words */

/* A key term of the text. */
struct tr_term {
	char *text;		/* as shown: plain text */
	char *key;		/* folded words, one space apart */
	/*
	 * "acronym" (TCP), "defined" (given as a hint), "number" (port
	 * 443), "name" (capitalized words: Open Systems Interconnection),
	 * "phrase" (words adjacent in the text) or "keyword" (one word).
	 */
	const char *kind;
	double score;		/* 0..1, the best term 1 */
	int count;		/* occurrences */
	int nwords;
	size_t start, end;	/* the occurrence shown */
	int sent;		/* its sentence */
	int word;		/* the id of its first word; -1 if not read */
};

/* A term the caller found (a defined term), to add or mark. */
struct tr_hint {
	const char *text;	/* plain text */
	int sent;		/* where: a sentence and a span of the text */
	size_t start, end;
};

/* The words and key terms of a text. */
struct tr_model {
	struct tr_token *tok;
	size_t ntok;
	size_t *first;		/* sentence i has tok[first[i]..first[i+1]) */
	size_t nsent;
	int nvocab;
	char **vocab;		/* folded form of each word id */
	double *wscore;		/* word TextRank score, 0..1 */
	int *wcount;		/* occurrences */
	bool *wkey;		/* among the top third: may join a phrase */
	struct tr_term *terms;	/* best first; ties by position */
	size_t nterms;
};

/*
 * Reads the words of the sentences s (of text; in order, not
 * overlapping), ranks them and builds the key terms: runs of adjacent top
 * words merged into phrases and scored by the mean of their words' scores
 * (a little more for each extra word), acronyms, "port 443" numbers, and
 * the hints, which become "defined".  Free with tr_model_free().
 */
void tr_model_build(struct tr_model *m, const char *text,
    const struct text_sent *s, size_t ns, const struct tr_hint *hints,
    size_t nhints);

void tr_model_free(struct tr_model *m);

/*
 * The key of the plain text t as the terms' keys are made (folded words,
 * plurals dropped, one space apart), malloc'd; "" for no word.
 */
char *tr_key(const char *t);

#endif
