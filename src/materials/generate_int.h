/*
 * generate_int.h - what the files of the built-in generator share; not an
 * API (see generate.h).
 *
 *	generate.c		the steps, ranks, summaries, relevance and
 *				the candidate assets; small helpers
 *	generate_patterns.c	definitions, acronyms and ports found by
 *				patterns in the sentences of every chunk
 *	generate_choose.c	quiz building and the choice of assets
 */
#ifndef LUDUS_MATERIALS_GENERATE_INT_H
#define LUDUS_MATERIALS_GENERATE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "materials/generate.h"
#include "materials/text.h"
#include "materials/textrank.h"

struct sent {
	size_t start, end;
	enum text_kind kind;
	int chunk;
	char *plain;
	size_t hs, he;		/* a row's table header row; equal if none */
	double rank;		/* in its chunk, the best 1 */
	double score;		/* rank times its chunk's relevance */
	bool used;		/* a definition or fact came from it */
};

struct defn {
	char *front, *back;
	char *term;		/* answers a quiz: "DHCP", "router" */
	char *alias;		/* another name of it, or NULL */
	int sent;
	const char *method;	/* "definition", "list", "table" */
	double quality;
	bool quiz;
};

struct acro {
	char *acr, *exp;
	int sent;
};

struct port {
	char *subject, *number;
	int sent;
	bool card;		/* from prose: a card too, not just a quiz */
};

enum quiz_kind {
	QUIZ_NONE,
	QUIZ_DEF,
	QUIZ_ACRO,
	QUIZ_PORT
};

/* An asset that may be chosen. */
struct cand {
	const char *type, *method;
	int chunk;
	double quality;
	int difficulty;
	json_t *content;	/* NULL for a quiz not built yet */
	enum quiz_kind quiz;
	size_t index;		/* of its definition, acronym or port */
	char *key;		/* equal keys are duplicates */
	char *term;		/* a cloze's term key */
	struct gen_span *src;
	int nsrc;
	size_t seq;
};

/* Strings, looked up by value. */
struct pool {
	const char **v;
	size_t n, cap;
};

struct gen {
	const char *text;
	size_t len;
	const struct chunk *c;
	size_t nc;
	struct gen_params p;
	struct sent *s;
	size_t ns;
	size_t *first;		/* chunk i has s[first[i]..first[i+1]) */
	struct tr_model m;
	struct defn *d;
	size_t nd, dcap;
	struct acro *a;
	size_t na, acap;
	struct port *pt;
	size_t npt, pcap;
	struct pool terms, exps, acrs, numbers;
	struct pool alias;	/* pairs: two names of one thing */
	struct cand *v;
	size_t nv, vcap;
	double *relevance;
	char **summary;
};

/* Helpers (generate.c) */

/* v with room for n + 1 elements of size bytes, *cap grown to match. */
void *gen_grow(void *v, size_t *cap, size_t n, size_t size);
char gen_lower(char c);
bool gen_same_nocase(const char *a, const char *b);
char *gen_lower_dup(const char *prefix, const char *s);
int gen_words(const char *s);
double gen_clamp01(double x);
int gen_clamp_difficulty(int d);
double gen_q3(double x);

/* Patterns (generate_patterns.c) */

bool gen_is_caps_word(const char *s, size_t n);
void gen_read_chunks(struct gen *g);

/* The choice (generate_choose.c) */

void gen_pools(struct gen *g);
void gen_choose(struct gen *g, struct gen_result *out);

#endif
