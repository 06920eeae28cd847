/*
 * generate.c - study assets from chunks, without a language model
 * (generate.h).
 *
 * The steps: the sentences of each chunk; definitions, acronym expansions
 * and port facts found by patterns (generate_patterns.c); the word model
 * and key terms (textrank.c), told which terms the text defines; sentence
 * ranks within each chunk, hence summaries and cloze sentences; chunk
 * relevance; then candidate assets, of which the best quality come first,
 * without duplicates, under the caps (generate_choose.c).
 */
#include "materials/generate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "materials/generate_int.h"

#define CLOZE_PER_CHUNK	3	/* key sentences tried per chunk */
#define CLOZE_TERMS	200	/* key terms tried per sentence */
#define PARAM_MAX	100000	/* any parameter above is taken as this */

void
gen_params_default(struct gen_params *p)
{
	p->max_flashcards = 40;
	p->max_questions = 20;
	p->summary_sentences = 2;
	p->material_summary_sentences = 5;
	p->max_terms = 20;
	p->seed = 0;
}

void *
gen_grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * size);
}

char
gen_lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

bool
gen_same_nocase(const char *a, const char *b)
{
	while (*a != '\0' && gen_lower(*a) == gen_lower(*b)) {
		a++;
		b++;
	}
	return *a == *b;
}

char *
gen_lower_dup(const char *prefix, const char *s)
{
	char *r = xasprintf("%s%s", prefix, s);

	for (char *p = r; *p != '\0'; p++)
		*p = gen_lower(*p);
	return r;
}

int
gen_words(const char *s)
{
	return (int)text_word_count(s, strlen(s));
}

double
gen_clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

int
gen_clamp_difficulty(int d)
{
	return d < 1 ? 1 : d > 10 ? 10 : d;
}

/* Rounded to 3 decimals: what is stored should not show float noise. */
double
gen_q3(double x)
{
	return round(x * 1000) / 1000;
}


static int
int_cmp(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;

	return a < b ? -1 : a > b;
}

static bool
rankable(const struct sent *s)
{
	return s->kind == TEXT_PROSE || s->kind == TEXT_ITEM;
}

/* TextRank over the sentences of chunk ci. */
static void
rank_chunk(struct gen *g, size_t ci)
{
	size_t a = g->first[ci], b = g->first[ci + 1], k = 0, nids = 0;
	struct tr_sentence *ts = xcalloc(b - a + 1, sizeof(*ts));
	size_t *at = xcalloc(b - a + 1, sizeof(*at));
	int *ids;
	double *score = xcalloc(b - a + 1, sizeof(*score)), best = 0;

	for (size_t i = a; i < b; i++)
		nids += g->m.first[i + 1] - g->m.first[i];
	ids = xmalloc((nids + 1) * sizeof(*ids));
	nids = 0;
	for (size_t i = a; i < b; i++) {
		size_t from = nids, u = 0;

		if (!rankable(&g->s[i]))
			continue;
		for (size_t t = g->m.first[i]; t < g->m.first[i + 1]; t++)
			if (g->m.tok[t].flags & TR_CANDIDATE)
				ids[nids++] = g->m.tok[t].word;
		qsort(ids + from, nids - from, sizeof(*ids), int_cmp);
		for (size_t t = from; t < nids; t++)
			if (u == 0 || ids[from + u - 1] != ids[t])
				ids[from + u++] = ids[t];
		nids = from + u;
		ts[k].length = g->m.first[i + 1] - g->m.first[i];
		ts[k].nwords = u;
		at[k++] = i;
	}
	/* Pointers only once ids stops moving. */
	for (size_t i = 0, off = 0; i < k; i++) {
		ts[i].words = ids + off;
		off += ts[i].nwords;
	}
	textrank_sentences(ts, k, score);
	for (size_t i = 0; i < k; i++)
		if (score[i] > best)
			best = score[i];
	for (size_t i = 0; i < k; i++)
		g->s[at[i]].rank = best > 0 ? score[i] / best : 0;
	free(ts);
	free(at);
	free(ids);
	free(score);
}

/* Sentence indices sorted by rank, best first, ties by position. */
static int
by_rank(const void *x, const void *y, void *arg)
{
	const struct sent *s = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (s[a].rank != s[b].rank)
		return s[a].rank > s[b].rank ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int
by_score(const void *x, const void *y, void *arg)
{
	const struct sent *s = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (s[a].score != s[b].score)
		return s[a].score > s[b].score ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int
size_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return a < b ? -1 : a > b;
}

/* The rankable sentences of chunk ci, best first; how many. */
static size_t
ranked(struct gen *g, size_t ci, size_t **out)
{
	size_t n = 0, *v = xmalloc((g->first[ci + 1] - g->first[ci] + 1) *
	    sizeof(*v));

	for (size_t i = g->first[ci]; i < g->first[ci + 1]; i++)
		if (rankable(&g->s[i]))
			v[n++] = i;
	qsort_r(v, n, sizeof(*v), by_rank, g->s);
	*out = v;
	return n;
}

/* Sentences v[0..n) joined in text order; their spans into src. */
static char *
join(struct gen *g, size_t *v, size_t n, struct gen_span *src)
{
	struct buf b = {0};

	qsort(v, n, sizeof(*v), size_cmp);
	for (size_t i = 0; i < n; i++) {
		const char *p = g->s[v[i]].plain;
		size_t l = strlen(p);

		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, p);
		/* A list item reads as a sentence once it ends like one. */
		if (l > 0 && strchr(".!?:;\xe3\x80\x82", p[l - 1]) == NULL)
			buf_putc(&b, '.');
		src[i].start = g->s[v[i]].start;
		src[i].end = g->s[v[i]].end;
	}
	return buf_take(&b);
}

static struct cand *
cand_new(struct gen *g, const char *type, const char *method, int chunk,
    double quality, int difficulty, char *key)
{
	struct cand *c;

	g->v = gen_grow(g->v, &g->vcap, g->nv, sizeof(*g->v));
	c = &g->v[g->nv];
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->method = method;
	c->chunk = chunk;
	c->quality = gen_q3(gen_clamp01(quality));
	c->difficulty = gen_clamp_difficulty(difficulty);
	c->key = key;
	c->seq = g->nv++;
	return c;
}

static void
cand_source(struct cand *c, const struct sent *s)
{
	c->src = xrealloc(c->src, (size_t)(c->nsrc + 1) * sizeof(*c->src));
	c->src[c->nsrc].start = s->start;
	c->src[c->nsrc].end = s->end;
	c->nsrc++;
}

/* Summaries of each chunk and of the material. */
static void
summaries(struct gen *g)
{
	size_t total = 0, nm = 0, want = (size_t)g->p.material_summary_sentences;
	size_t *mat = xmalloc((g->ns + 1) * sizeof(*mat));
	double *mscore = xcalloc(g->ns + 1, sizeof(*mscore));

	g->summary = xcalloc(g->nc + 1, sizeof(*g->summary));
	for (size_t ci = 0; ci < g->nc; ci++) {
		size_t *v, n = ranked(g, ci, &v), k;
		struct gen_span *src;
		double avg = 0;

		k = n < (size_t)g->p.summary_sentences ? n :
		    (size_t)g->p.summary_sentences;
		/* The material's summary draws on each chunk's best. */
		for (size_t i = 0; i < n && i < want; i++) {
			mscore[nm] = g->relevance[ci] * g->s[v[i]].rank;
			mat[nm++] = v[i];
		}
		total += n;
		src = xcalloc(k + 1, sizeof(*src));
		g->summary[ci] = join(g, v, k, src);
		if (n >= 2 && k >= 1) {
			struct cand *c = cand_new(g, "summary", "textrank",
			    (int)ci, 0.5 + 0.3 * g->relevance[ci], 2,
			    xasprintf("s:%zu", ci));

			for (size_t i = 0; i < k; i++)
				avg += gen_words(g->s[v[i]].plain);
			c->difficulty = avg / (double)k > 20 ? 3 : 2;
			c->content = json_pack("{s:s}", "text", g->summary[ci]);
			c->src = src;
			c->nsrc = (int)k;
		} else
			free(src);
		free(v);
	}
	if (total >= 2 && want > 0) {
		size_t k = nm < want ? nm : want;
		struct gen_span *src = xcalloc(k + 1, sizeof(*src));
		struct cand *c;
		char *text;

		/* Best combined score first, ties by position. */
		for (size_t i = 0; i < nm; i++)
			g->s[mat[i]].score = mscore[i];
		qsort_r(mat, nm, sizeof(*mat), by_score, g->s);
		text = join(g, mat, k, src);
		c = cand_new(g, "summary", "textrank", -1, 0.85, 3,
		    xstrdup("s:material"));
		c->content = json_pack("{s:s}", "text", text);
		c->src = src;
		c->nsrc = (int)k;
		free(text);
	}
	free(mat);
	free(mscore);
}

/*
 * How central each chunk is: the cosine between its keyword vector (count
 * times TextRank score) and the material's, over the best chunk's.
 */
static void
relevance(struct gen *g)
{
	const struct tr_model *m = &g->m;
	double *mv = xcalloc((size_t)m->nvocab + 1, sizeof(*mv)), mn = 0;
	double *cv = xcalloc((size_t)m->nvocab + 1, sizeof(*cv)), best = 0;
	int *touched = xmalloc((m->ntok + 1) * sizeof(*touched));

	g->relevance = xcalloc(g->nc + 1, sizeof(*g->relevance));
	for (size_t t = 0; t < m->ntok; t++)
		if (m->wkey[m->tok[t].word])
			mv[m->tok[t].word] += m->wscore[m->tok[t].word];
	for (int w = 0; w < m->nvocab; w++)
		mn += mv[w] * mv[w];
	for (size_t ci = 0; ci < g->nc; ci++) {
		size_t nt = 0;
		double dot = 0, cn = 0;

		for (size_t t = m->first[g->first[ci]];
		    t < m->first[g->first[ci + 1]]; t++) {
			int w = m->tok[t].word;

			if (!m->wkey[w])
				continue;
			if (cv[w] == 0)
				touched[nt++] = w;
			cv[w] += m->wscore[w];
		}
		/* In word order, so the sums do not depend on the text's. */
		qsort(touched, nt, sizeof(*touched), int_cmp);
		for (size_t i = 0; i < nt; i++) {
			dot += cv[touched[i]] * mv[touched[i]];
			cn += cv[touched[i]] * cv[touched[i]];
			cv[touched[i]] = 0;
		}
		g->relevance[ci] = cn > 0 && mn > 0 ? dot / sqrt(cn * mn) : 0;
		if (g->relevance[ci] > best)
			best = g->relevance[ci];
	}
	for (size_t ci = 0; ci < g->nc; ci++)
		g->relevance[ci] = best > 0 ? gen_q3(g->relevance[ci] / best) :
		    0;
	free(mv);
	free(cv);
	free(touched);
}

/* Cards and quiz candidates from definitions, acronyms and ports. */
static void
fact_candidates(struct gen *g)
{
	for (size_t i = 0; i < g->nd; i++) {
		const struct defn *d = &g->d[i];
		const struct sent *s = &g->s[d->sent];
		int bw = gen_words(d->back);
		struct cand *c = cand_new(g, "flashcard", d->method, s->chunk,
		    d->quality, 3 + (bw > 12) + (bw > 25) +
		    (gen_words(d->term) >= 3) + (d->quality < 0.7),
		    gen_lower_dup("b:", d->front));

		c->content = json_pack("{s:s,s:s,s:s}", "kind", "basic",
		    "front", d->front, "back", d->back);
		cand_source(c, s);
		if (!d->quiz)
			continue;
		c = cand_new(g, "quiz", d->method, s->chunk, d->quality - 0.05,
		    3, NULL);
		c->quiz = QUIZ_DEF;
		c->index = i;
		cand_source(c, s);
	}
	for (size_t i = 0; i < g->na; i++) {
		const struct acro *a = &g->a[i];
		const struct sent *s = &g->s[a->sent];
		struct cand *c = cand_new(g, "flashcard", "acronym", s->chunk,
		    0.9, 2 + (strlen(a->acr) >= 4) + (gen_words(a->exp) >= 4),
		    gen_lower_dup("b:", a->acr));

		c->content = json_pack("{s:s,s:s,s:s}", "kind", "basic",
		    "front", a->acr, "back", a->exp);
		cand_source(c, s);
		c = cand_new(g, "quiz", "acronym", s->chunk, 0.85, 3, NULL);
		c->quiz = QUIZ_ACRO;
		c->index = i;
		cand_source(c, s);
	}
	for (size_t i = 0; i < g->npt; i++) {
		const struct port *p = &g->pt[i];
		const struct sent *s = &g->s[p->sent];
		struct cand *c;

		if (p->card) {
			char *front = xasprintf("Port used by %s", p->subject);

			c = cand_new(g, "flashcard", "port", s->chunk, 0.8, 4,
			    gen_lower_dup("b:", front));
			c->content = json_pack("{s:s,s:s,s:s}", "kind", "basic",
			    "front", front, "back", p->number);
			cand_source(c, s);
			free(front);
		}
		c = cand_new(g, "quiz", "port", s->chunk, 0.8, 4, NULL);
		c->quiz = QUIZ_PORT;
		c->index = i;
		cand_source(c, s);
	}
}

/*
 * How much a term is worth hiding, per point of score: defined terms,
 * acronyms and names most, and more words more ("IP address" over "IP").
 * At most WEIGHT_MAX.
 */
#define WEIGHT_MAX (1.4 * 1.6)

static double
kind_weight(const struct tr_term *t)
{
	double w = strcmp(t->kind, "defined") == 0 ||
	    strcmp(t->kind, "acronym") == 0 || strcmp(t->kind, "name") == 0 ?
	    1.4 : strcmp(t->kind, "phrase") == 0 ? 1.2 : 1;
	int extra = t->nwords > 5 ? 4 : t->nwords - 1;

	return w * (1 + 0.15 * extra);
}

/*
 * A cloze card from sentence s (of sw words): the key term that weighs
 * most hidden, if one occurs in it once and leaves enough to read.
 */
static void
cloze_sentence(struct gen *g, const struct sent *s, int sw)
{
	const char *p = s->plain;
	const struct tr_term *best = NULL;
	long best_at = 0;
	double weight = 0, quality;
	struct cand *c;
	char *text;
	size_t tl, si = (size_t)(s - g->s), nw = 0;
	size_t a = g->m.first[si], b = g->m.first[si + 1];
	int *ids = xmalloc((b - a + 1) * sizeof(*ids));

	/* The sentence's words: a term can only be there if they hold its. */
	for (size_t t = a; t < b; t++)
		ids[nw++] = g->m.tok[t].word;
	qsort(ids, nw, sizeof(*ids), int_cmp);
	for (size_t k = 0; k < g->m.nterms && k < CLOZE_TERMS; k++) {
		const struct tr_term *t = &g->m.terms[k];
		bool nocase;
		double w;
		long at;

		/* Terms come best first: none after can weigh more. */
		if (t->score * WEIGHT_MAX <= weight)
			break;
		if (t->word >= 0 && bsearch(&t->word, ids, nw, sizeof(*ids),
		    int_cmp) == NULL)
			continue;
		nocase = strcmp(t->kind, "keyword") == 0 ||
		    strcmp(t->kind, "phrase") == 0;
		w = t->score * kind_weight(t);
		tl = strlen(t->text);
		/* Hidden once but shown again gives it away. */
		if (w <= weight || t->nwords > sw - 3 || tl == 0 ||
		    (at = text_find_word(p, t->text, nocase)) < 0 ||
		    text_find_word(p + at + tl, t->text, true) >= 0)
			continue;
		best = t;
		best_at = at;
		weight = w;
	}
	free(ids);
	if (best == NULL)
		return;
	tl = strlen(best->text);
	text = xasprintf("%.*s{{c1::%.*s}}%s", (int)best_at, p, (int)tl,
	    p + best_at, p + best_at + tl);
	/*
	 * Below a definition card: a central term in a key sentence of
	 * middling length is the best a cloze gets.
	 */
	quality = 0.35 + 0.3 * best->score + 0.15 * s->rank;
	if (strcmp(best->kind, "keyword") != 0 &&
	    strcmp(best->kind, "phrase") != 0)
		quality += 0.1;
	if (sw > 30)
		quality -= 0.1;
	else if (sw < 8)
		quality -= 0.05;
	c = cand_new(g, "flashcard", "cloze", s->chunk, quality, 4 + (sw > 20) +
	    (sw > 30) + (best->nwords >= 2) + (best->score < 0.3),
	    gen_lower_dup("c:", text));
	c->content = json_pack("{s:s,s:s,s:s}", "kind", "cloze", "text", text,
	    "extra", "");
	c->term = xstrdup(best->key);
	cand_source(c, s);
	free(text);
}

/* Cloze cards: each chunk's key sentences, a key term hidden. */
static void
cloze_candidates(struct gen *g)
{
	for (size_t ci = 0; ci < g->nc; ci++) {
		size_t *v, n = ranked(g, ci, &v), tried = 0;

		for (size_t i = 0; i < n && tried < CLOZE_PER_CHUNK; i++) {
			const struct sent *s = &g->s[v[i]];
			const char *p = s->plain;
			int sw = gen_words(p);

			if (s->used || sw < 6 || sw > 40 || strstr(p, "{{") !=
			    NULL || strstr(p, "}}") != NULL ||
			    strstr(p, "::") != NULL)
				continue;
			tried++;
			cloze_sentence(g, s, sw);
		}
		free(v);
	}
}

/* The material's key terms. */
static void
terms_candidate(struct gen *g)
{
	size_t n = g->m.nterms < (size_t)g->p.max_terms ? g->m.nterms :
	    (size_t)g->p.max_terms;
	json_t *list;
	struct cand *c;
	size_t *sv;

	if (n == 0)
		return;
	list = json_array();
	sv = xmalloc(n * sizeof(*sv));
	for (size_t i = 0; i < n; i++) {
		const struct tr_term *t = &g->m.terms[i];

		json_array_append_new(list, json_pack("{s:s,s:s,s:f}", "term",
		    t->text, "kind", t->kind, "score", gen_q3(t->score)));
		sv[i] = (size_t)t->sent;
	}
	c = cand_new(g, "key_terms", "textrank", -1, n >= 3 ? 0.8 : 0.5, 2,
	    xstrdup("k:material"));
	c->content = json_pack("{s:o}", "terms", list);
	qsort(sv, n, sizeof(*sv), size_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || sv[i] != sv[i - 1])
			cand_source(c, &g->s[sv[i]]);
	free(sv);
}

static void
cand_free(struct cand *c)
{
	json_decref(c->content);
	free(c->key);
	free(c->term);
	free(c->src);
}

static int
param(int v)
{
	return v < 0 ? 0 : v > PARAM_MAX ? PARAM_MAX : v;
}

int
generate(const char *text, size_t len, const struct chunk *c, size_t n,
    const struct gen_params *p, struct gen_result *out)
{
	struct gen g;
	struct text_sent *ts;
	struct tr_hint *hints;
	size_t nh = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		if (c[i].start > c[i].end || c[i].end > len ||
		    c[i].head_start > c[i].head_end || c[i].head_end > len ||
		    (i > 0 && c[i].start < c[i - 1].end))
			return -1;
	memset(&g, 0, sizeof(g));
	g.text = text;
	g.len = len;
	g.c = c;
	g.nc = n;
	if (p != NULL)
		g.p = *p;
	else
		gen_params_default(&g.p);
	g.p.max_flashcards = param(g.p.max_flashcards);
	g.p.max_questions = param(g.p.max_questions);
	g.p.summary_sentences = param(g.p.summary_sentences);
	g.p.material_summary_sentences =
	    param(g.p.material_summary_sentences);
	g.p.max_terms = param(g.p.max_terms);

	gen_read_chunks(&g);
	ts = xcalloc(g.ns + 1, sizeof(*ts));
	for (size_t i = 0; i < g.ns; i++) {
		ts[i].start = g.s[i].start;
		ts[i].end = g.s[i].end;
		ts[i].kind = g.s[i].kind;
	}
	/* Terms defined well enough to quiz on are key terms. */
	hints = xcalloc(g.nd + 1, sizeof(*hints));
	for (size_t i = 0; i < g.nd; i++) {
		if (!g.d[i].quiz)
			continue;
		hints[nh].text = g.d[i].term;
		hints[nh].sent = g.d[i].sent;
		hints[nh].start = g.s[g.d[i].sent].start;
		hints[nh++].end = g.s[g.d[i].sent].end;
	}
	tr_model_build(&g.m, text, ts, g.ns, hints, nh);
	free(ts);
	free(hints);
	for (size_t ci = 0; ci < g.nc; ci++)
		rank_chunk(&g, ci);
	relevance(&g);
	summaries(&g);
	gen_pools(&g);
	fact_candidates(&g);
	cloze_candidates(&g);
	terms_candidate(&g);
	gen_choose(&g, out);

	out->chunk_summary = g.summary;
	out->chunk_relevance = g.relevance;
	for (size_t i = 0; i < g.nv; i++)
		cand_free(&g.v[i]);
	free(g.v);
	for (size_t i = 0; i < g.ns; i++)
		free(g.s[i].plain);
	free(g.s);
	free(g.first);
	for (size_t i = 0; i < g.nd; i++) {
		free(g.d[i].front);
		free(g.d[i].back);
		free(g.d[i].term);
		free(g.d[i].alias);
	}
	free(g.d);
	for (size_t i = 0; i < g.na; i++) {
		free(g.a[i].acr);
		free(g.a[i].exp);
	}
	free(g.a);
	for (size_t i = 0; i < g.npt; i++) {
		free(g.pt[i].subject);
		free(g.pt[i].number);
	}
	free(g.pt);
	free(g.terms.v);
	free(g.exps.v);
	free(g.acrs.v);
	free(g.numbers.v);
	free(g.alias.v);
	tr_model_free(&g.m);
	return 0;
}

void
gen_result_free(struct gen_result *r, size_t nchunks)
{
	if (r->chunk_summary != NULL)
		for (size_t i = 0; i < nchunks; i++)
			free(r->chunk_summary[i]);
	free(r->chunk_summary);
	free(r->chunk_relevance);
	for (size_t i = 0; i < r->nassets; i++) {
		json_decref(r->assets[i].content);
		json_decref(r->assets[i].params);
		free(r->assets[i].src);
	}
	free(r->assets);
	memset(r, 0, sizeof(*r));
}
