/*
 * generate_choose.c - which candidate assets the generator keeps
 * (generate_int.h): the best quality first, no duplicates, under the
 * caps.  A quiz candidate is only built once it is chosen: picking its
 * distractors scans a pool of terms, and doing that for every candidate
 * of a big material would be quadratic.
 */
#include "core/util.h"
#include "materials/generate_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define CLOZE_PER_TERM	2	/* cloze cards hiding the same term */

static void
pool_add(struct pool *p, const char *s)
{
	p->v = gen_grow(p->v, &p->cap, p->n, sizeof(*p->v));
	p->v[p->n++] = s;
}

/* Quiz options: the distractors closest to the answer first. */
static long
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	long d = labs((long)la - (long)lb);

	return (gen_is_caps_word(a, la) != gen_is_caps_word(b, lb)) * 10000 +
	    abs(gen_words(a) - gen_words(b)) * 100 + (d > 99 ? 99 : d);
}

/* Whether one of a and b holds the other as whole words. */
static bool
overlaps(const char *a, const char *b)
{
	return text_find_word(a, b, true) >= 0 ||
	    text_find_word(b, a, true) >= 0;
}

/* Whether a and b are two names of one thing. */
static bool
aliases(const struct pool *alias, const char *a, const char *b)
{
	for (size_t i = 0; i + 1 < alias->n; i += 2)
		if ((gen_same_nocase(alias->v[i], a) &&
		    gen_same_nocase(alias->v[i + 1], b)) ||
		    (gen_same_nocase(alias->v[i], b) &&
		    gen_same_nocase(alias->v[i + 1], a)))
			return true;
	return false;
}

/*
 * Up to 3 distractors for answer from the pool into out: distinct, not
 * the answer nor another name of it, not in the stem, not in skip (may be
 * NULL).  How many.
 */
static int
distractors(const struct pool *pool, const char *answer, const char *stem,
    const struct pool *skip, const struct pool *alias, const char **out,
    long *dist)
{
	int n = 0;

	for (size_t i = 0; i < pool->n; i++) {
		const char *s = pool->v[i];
		long d = distance(answer, s);
		bool bad = s[0] == '\0' || overlaps(s, answer) ||
		    text_find_word(stem, s, true) >= 0;
		int at;

		if (n == 3 && d >= dist[2])
			continue;
		for (int k = 0; k < n && !bad; k++)
			bad = gen_same_nocase(out[k], s);
		for (size_t k = 0; skip != NULL && k < skip->n && !bad; k++)
			bad = gen_same_nocase(skip->v[k], s);
		bad = bad || aliases(alias, answer, s);
		if (bad)
			continue;
		/* Into place; ties keep the pool's (the text's) order. */
		at = n < 3 ? n++ : 2;
		while (at > 0 && dist[at - 1] > d) {
			out[at] = out[at - 1];
			dist[at] = dist[at - 1];
			at--;
		}
		out[at] = s;
		dist[at] = d;
	}
	return n;
}

/* Builds a chosen quiz candidate; false when it makes no question. */
static bool
build_quiz(struct gen *g, struct cand *c)
{
	const char *answer, *opt[4], *pick[3];
	struct pool same = {0};
	const struct pool *pool;
	char *stem;
	long dist[3];
	int n, close = 0, ans = 0;
	uint64_t st;
	json_t *options;

	switch (c->quiz) {
	case QUIZ_DEF:
		stem = xasprintf("Which term matches this description: %s?",
		    g->d[c->index].back);
		answer = g->d[c->index].term;
		pool = &g->terms;
		break;
	case QUIZ_ACRO:
		stem = xasprintf("What does %s stand for?", g->a[c->index].acr);
		answer = g->a[c->index].exp;
		pool = &g->exps;
		break;
	default:
		stem = xasprintf("Which port does %s use?",
		    g->pt[c->index].subject);
		answer = g->pt[c->index].number;
		pool = &g->numbers;
		/* Another port of the same service is no wrong answer. */
		for (size_t i = 0; i < g->npt; i++)
			if (gen_same_nocase(g->pt[i].subject,
			    g->pt[c->index].subject))
				pool_add(&same, g->pt[i].number);
		break;
	}
	n = text_find_word(stem, answer, true) >= 0 ? 0 :
	    distractors(pool, answer, stem, &same, &g->alias, pick, dist);
	if (n < 2 && c->quiz == QUIZ_ACRO) {
		/* Too few expansions: ask for the acronym instead. */
		free(stem);
		stem = xasprintf("Which acronym stands for %s?",
		    g->a[c->index].exp);
		answer = g->a[c->index].acr;
		n = distractors(&g->acrs, answer, stem, NULL, &g->alias, pick,
		    dist);
	}
	free(same.v);
	if (n < 2) {
		free(stem);
		return false;
	}
	opt[0] = answer;
	for (int i = 0; i < n; i++) {
		opt[i + 1] = pick[i];
		close += dist[i] < 100;
	}
	/* The seed and the stem pick the order: each question its own. */
	st = (uint64_t)g->p.seed;
	for (const char *s = stem; *s != '\0'; s++)
		st = (st ^ (unsigned char)*s) * 0x100000001b3ULL;
	for (int i = n; i > 0; i--) {
		int j = (int)(util_splitmix64(&st) % (uint64_t)(i + 1));
		const char *t = opt[i];

		opt[i] = opt[j];
		opt[j] = t;
	}
	options = json_array();
	for (int i = 0; i <= n; i++) {
		json_array_append_new(options, json_string(opt[i]));
		if (opt[i] == answer)
			ans = i;
	}
	c->content = json_pack("{s:s,s:o,s:i,s:s}", "stem", stem, "options",
	    options, "answer", ans, "explanation",
	    g->s[c->quiz == QUIZ_DEF ? g->d[c->index].sent : c->quiz ==
	    QUIZ_ACRO ? g->a[c->index].sent : g->pt[c->index].sent].plain);
	if (c->content == NULL) {
		free(stem);
		return false;
	}
	c->key = gen_lower_dup("q:", stem);
	c->quality = gen_q3(gen_clamp01(c->quality - (n < 3 ? 0.1 : 0)));
	c->difficulty = gen_clamp_difficulty(c->difficulty + close - (n < 3) +
	    (gen_words(stem) > 20));
	free(stem);
	return true;
}

static int
type_rank(const char *t)
{
	return strcmp(t, "flashcard") == 0 ? 0 : strcmp(t, "quiz") == 0 ? 1 :
	    strcmp(t, "summary") == 0 ? 2 : 3;
}

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->quality != b->quality)
		return a->quality > b->quality ? -1 : 1;
	if (type_rank(a->type) != type_rank(b->type))
		return type_rank(a->type) - type_rank(b->type);
	if (a->src[0].start != b->src[0].start)
		return a->src[0].start < b->src[0].start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Keys seen: an open-addressing set of strings. */
struct keyset {
	const char **slot;
	size_t cap, n;
};

/* Adds k; false when it was in already. */
static bool
keyset_add(struct keyset *s, const char *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	if (s->n * 2 >= s->cap) {
		struct keyset t = {xcalloc(s->cap ? s->cap * 2 : 256,
		    sizeof(*t.slot)), s->cap ? s->cap * 2 : 256, 0};

		for (size_t j = 0; j < s->cap; j++)
			if (s->slot[j] != NULL)
				keyset_add(&t, s->slot[j]);
		free(s->slot);
		*s = t;
	}
	for (const char *p = k; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	for (i = h & (s->cap - 1); s->slot[i] != NULL; i = (i + 1) &
	    (s->cap - 1))
		if (strcmp(s->slot[i], k) == 0)
			return false;
	s->slot[i] = k;
	s->n++;
	return true;
}

static json_t *
params_json(const struct gen *g, const char *method)
{
	return json_pack("{s:s,s:i,s:s,s:I,s:i,s:i,s:i,s:i,s:i}",
	    "generator", "builtin", "version", 1, "method", method, "seed",
	    (json_int_t)g->p.seed, "max_flashcards", g->p.max_flashcards,
	    "max_questions", g->p.max_questions, "summary_sentences",
	    g->p.summary_sentences, "material_summary_sentences",
	    g->p.material_summary_sentences, "max_terms", g->p.max_terms);
}

/* Best first, no duplicates, under the caps: into out. */
void
gen_choose(struct gen *g, struct gen_result *out)
{
	struct keyset seen = {0};
	struct cand *keep = xcalloc(g->nv + 1, sizeof(*keep));
	size_t nk = 0;
	int cards = 0, quizzes = 0;
	char *zkey;

	if (g->nv > 1)
		qsort(g->v, g->nv, sizeof(*g->v), cand_cmp);
	for (size_t i = 0; i < g->nv; i++) {
		struct cand *c = &g->v[i];
		bool card = strcmp(c->type, "flashcard") == 0;
		bool quiz = strcmp(c->type, "quiz") == 0;
		bool ok = true;

		if (quiz && c->content == NULL && quizzes < g->p.max_questions) {
			double before = c->quality;
			size_t j = i + 1;

			if (!build_quiz(g, c))
				continue;
			/* Worse than it looked: back in line, once. */
			while (c->quality < before && j < g->nv &&
			    cand_cmp(&g->v[j], c) < 0)
				j++;
			if (j > i + 1) {
				struct cand t = *c;

				memmove(c, c + 1, (j - i - 1) * sizeof(*c));
				g->v[j - 1] = t;
				i--;
				continue;
			}
		}
		/* No content: a string jansson refused; never expected. */
		if ((card && cards >= g->p.max_flashcards) || (quiz &&
		    quizzes >= g->p.max_questions) || c->content == NULL ||
		    !keyset_add(&seen, c->key))
			ok = false;
		if (ok && c->term != NULL) {
			/* Not every card may hide the same term. */
			int z;

			for (z = 0; z < CLOZE_PER_TERM; z++) {
				zkey = xasprintf("z%d:%s", z, c->term);
				if (keyset_add(&seen, zkey))
					break;
				free(zkey);
			}
			if (z == CLOZE_PER_TERM)
				ok = false;
			else {
				/* The set points at it: it lives as the term. */
				free(c->term);
				c->term = zkey;
			}
		}
		if (!ok)
			continue;
		cards += card;
		quizzes += quiz;
		keep[nk++] = *c;
		c->content = NULL;
		c->key = NULL;
		c->term = NULL;
		c->src = NULL;
	}
	free(seen.slot);
	if (nk > 1)
		qsort(keep, nk, sizeof(*keep), cand_cmp);
	out->assets = xcalloc(nk + 1, sizeof(*out->assets));
	for (size_t i = 0; i < nk; i++) {
		struct gen_asset *a = &out->assets[i];

		a->type = keep[i].type;
		a->chunk = keep[i].chunk;
		a->content = keep[i].content;
		a->src = keep[i].src;
		a->nsrc = keep[i].nsrc;
		a->quality = keep[i].quality;
		a->difficulty = keep[i].difficulty;
		a->params = params_json(g, keep[i].method);
		free(keep[i].key);
		free(keep[i].term);
	}
	out->nassets = nk;
	free(keep);
}

/* Distractor pools: each kind from its own facts. */
void
gen_pools(struct gen *g)
{
	for (size_t i = 0; i < g->nd; i++) {
		if (g->d[i].quiz)
			pool_add(&g->terms, g->d[i].term);
		if (g->d[i].alias != NULL) {
			pool_add(&g->alias, g->d[i].term);
			pool_add(&g->alias, g->d[i].alias);
		}
	}
	for (size_t i = 0; i < g->na; i++) {
		pool_add(&g->exps, g->a[i].exp);
		pool_add(&g->acrs, g->a[i].acr);
		pool_add(&g->alias, g->a[i].acr);
		pool_add(&g->alias, g->a[i].exp);
	}
	for (size_t i = 0; i < g->m.nterms; i++)
		if (strcmp(g->m.terms[i].kind, "acronym") == 0)
			pool_add(&g->acrs, g->m.terms[i].text);
	for (size_t i = 0; i < g->npt; i++)
		pool_add(&g->numbers, g->pt[i].number);
	for (size_t i = 0; i < g->m.nterms; i++)
		if (strcmp(g->m.terms[i].kind, "number") == 0 &&
		    strncmp(g->m.terms[i].key, "port ", 5) == 0)
			pool_add(&g->numbers, g->m.terms[i].text + 5);
}
