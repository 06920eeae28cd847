/*
 * textrank.c - TextRank for sentences and key terms (textrank.h).
 *
 * Words get ids in the order they first occur and every list is kept in
 * that order or sorted with a total order, so the hash tables used to
 * find words never decide what comes out.  Scores are doubles summed in
 * a fixed order: the same text gives the same bits.
 */
#include "materials/textrank.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"

#define SENT_ITERATIONS	100
#define SENT_TOLERANCE	1e-6
#define WORD_ITERATIONS	50
#define WORD_TOLERANCE	1e-4
#define DENSE_MAX	400	/* sentences compared all with all */
#define DENSE_SPAN	200	/* past that, how far apart at most */
#define PHRASE_MAX	4	/* words in a phrase */
#define KEYWORDS_MAX	2000	/* words that may join phrases */
#define WORD_MAX	64	/* longer "words" are never terms */

struct edge {
	int a, b;		/* a < b */
	double w;
};

struct edges {
	struct edge *v;
	size_t n, cap;
};

static void
edge_add(struct edges *e, int a, int b, double w)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n].a = a < b ? a : b;
	e->v[e->n].b = a < b ? b : a;
	e->v[e->n].w = w;
	e->n++;
}

static int
edge_cmp(const void *x, const void *y)
{
	const struct edge *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return 0;
}

/*
 * Weighted PageRank on the undirected graph of nv vertices and edges e
 * (repeated pairs add up):
 *	S(v) = (1 - d) + d * sum over u next to v of w(u,v) / W(u) * S(u)
 * with W(u) the sum of u's weights.  Stops after iters rounds or when no
 * score moved more than tol.
 */
static void
rank_graph(size_t nv, struct edges *e, int iters, double tol, double *score)
{
	size_t *row = xcalloc(nv + 1, sizeof(*row)), *at, m = 0;
	double *w, *strength, *next, *share;
	int *col;

	if (e->n > 0)
		qsort(e->v, e->n, sizeof(*e->v), edge_cmp);
	for (size_t i = 0; i < e->n; i++) {
		if (m > 0 && e->v[m - 1].a == e->v[i].a &&
		    e->v[m - 1].b == e->v[i].b)
			e->v[m - 1].w += e->v[i].w;
		else
			e->v[m++] = e->v[i];
	}
	e->n = m;
	for (size_t i = 0; i < m; i++) {
		row[e->v[i].a + 1]++;
		row[e->v[i].b + 1]++;
	}
	for (size_t v = 0; v < nv; v++)
		row[v + 1] += row[v];
	at = xmalloc((nv + 1) * sizeof(*at));
	memcpy(at, row, (nv + 1) * sizeof(*at));
	col = xmalloc((2 * m + 1) * sizeof(*col));
	w = xmalloc((2 * m + 1) * sizeof(*w));
	for (size_t i = 0; i < m; i++) {
		col[at[e->v[i].a]] = e->v[i].b;
		w[at[e->v[i].a]++] = e->v[i].w;
		col[at[e->v[i].b]] = e->v[i].a;
		w[at[e->v[i].b]++] = e->v[i].w;
	}
	strength = xcalloc(nv + 1, sizeof(*strength));
	next = xmalloc((nv + 1) * sizeof(*next));
	share = xmalloc((nv + 1) * sizeof(*share));
	for (size_t v = 0; v < nv; v++) {
		for (size_t k = row[v]; k < row[v + 1]; k++)
			strength[v] += w[k];
		score[v] = 1.0;
	}
	for (int it = 0; it < iters; it++) {
		double moved = 0;

		/* What each vertex hands out per unit of weight. */
		for (size_t v = 0; v < nv; v++)
			share[v] = strength[v] > 0 ? score[v] / strength[v] : 0;
		for (size_t v = 0; v < nv; v++) {
			double acc = 0;

			for (size_t k = row[v]; k < row[v + 1]; k++)
				acc += w[k] * share[col[k]];
			next[v] = (1 - TR_DAMPING) + TR_DAMPING * acc;
			if (fabs(next[v] - score[v]) > moved)
				moved = fabs(next[v] - score[v]);
		}
		memcpy(score, next, nv * sizeof(*score));
		if (moved < tol)
			break;
	}
	free(row);
	free(at);
	free(col);
	free(w);
	free(strength);
	free(next);
	free(share);
}

static size_t
shared(const struct tr_sentence *a, const struct tr_sentence *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->nwords && j < b->nwords) {
		if (a->words[i] == b->words[j]) {
			n++;
			i++;
			j++;
		} else if (a->words[i] < b->words[j])
			i++;
		else
			j++;
	}
	return n;
}

void
textrank_sentences(const struct tr_sentence *s, size_t n, double *score)
{
	struct edges e = {0};
	size_t span = n > DENSE_MAX ? DENSE_SPAN : n;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && j - i <= span; j++) {
			size_t k = shared(&s[i], &s[j]);
			/* log 1 is 0: a one-word sentence counts as two. */
			double li = log((double)(s[i].length > 2 ?
			    s[i].length : 2));
			double lj = log((double)(s[j].length > 2 ?
			    s[j].length : 2));

			if (k > 0)
				edge_add(&e, (int)i, (int)j, (double)k /
				    (li + lj));
		}
	rank_graph(n, &e, SENT_ITERATIONS, SENT_TOLERANCE, score);
	free(e.v);
}

/* A table from strings to ids 0, 1, ... in the order they were added. */
struct strmap {
	int *slot;		/* -1 when free */
	size_t cap;		/* a power of two */
	char **key;
	size_t *klen;
	uint64_t *hash;
	size_t n, kcap;
};

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

static void
strmap_grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;

	free(m->slot);
	m->slot = xmalloc(cap * sizeof(*m->slot));
	for (size_t i = 0; i < cap; i++)
		m->slot[i] = -1;
	m->cap = cap;
	for (size_t id = 0; id < m->n; id++) {
		size_t i = m->hash[id] & (cap - 1);

		while (m->slot[i] >= 0)
			i = (i + 1) & (cap - 1);
		m->slot[i] = (int)id;
	}
}

/* The id of k[0..n); a new one when add (and *added), else -1. */
static int
strmap_get(struct strmap *m, const char *k, size_t n, bool add,
    bool *added)
{
	uint64_t h = fnv(k, n);
	size_t i;

	if (added != NULL)
		*added = false;
	if (m->cap == 0) {
		if (!add)
			return -1;
		strmap_grow(m);
	}
	for (i = h & (m->cap - 1); m->slot[i] >= 0; i = (i + 1) &
	    (m->cap - 1)) {
		int id = m->slot[i];

		if (m->hash[id] == h && m->klen[id] == n &&
		    memcmp(m->key[id], k, n) == 0)
			return id;
	}
	if (!add)
		return -1;
	if (m->n == m->kcap) {
		m->kcap = m->kcap ? m->kcap * 2 : 256;
		m->key = xrealloc(m->key, m->kcap * sizeof(*m->key));
		m->klen = xrealloc(m->klen, m->kcap * sizeof(*m->klen));
		m->hash = xrealloc(m->hash, m->kcap * sizeof(*m->hash));
	}
	m->key[m->n] = xstrndup(k, n);
	m->klen[m->n] = n;
	m->hash[m->n] = h;
	m->slot[i] = (int)m->n;
	m->n++;
	if (added != NULL)
		*added = true;
	if (m->n * 2 > m->cap)
		strmap_grow(m);
	return (int)m->n - 1;
}

/* Frees the table; its keys too unless keep (the caller has them). */
static void
strmap_free(struct strmap *m, bool keep)
{
	if (!keep) {
		for (size_t i = 0; i < m->n; i++)
			free(m->key[i]);
		free(m->key);
	}
	free(m->klen);
	free(m->hash);
	free(m->slot);
}

/* Words too common in teaching prose to be key terms on their own. */
static const char *const weak[] = {
	"allow", "called", "certain", "different", "example", "give",
	"given", "include", "included", "including", "known", "made",
	"make", "need", "provide", "provided", "said", "see", "seen",
	"serve", "served", "several", "shown", "take", "use", "used",
	"using", "various", "way"
};

static bool
is_weak(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++)
		if (strlen(weak[i]) == n && memcmp(weak[i], k, n) == 0)
			return true;
	return false;
}

static bool
is_acronym(const char *w, size_t n)
{
	static const char *const roman[] = {"II", "III", "IV", "VI", "VII",
	    "VIII", "IX", "XI", "XII", "XIV", "XV", "XX"};

	if (n < 2 || n > 6)
		return false;
	for (size_t i = 0; i < n; i++)
		if (w[i] < 'A' || w[i] > 'Z')
			return false;
	for (size_t i = 0; i < sizeof(roman) / sizeof(roman[0]); i++)
		if (strlen(roman[i]) == n && memcmp(roman[i], w, n) == 0)
			return false;
	return !text_is_stopword(w, n);
}

/*
 * The vocabulary form of w[0..n) into dst (WORD_MAX bytes): folded, "'s"
 * dropped and, unless an acronym, a plural "s" ("routers"), "es" of
 * "-sses" ("addresses") or "ies" made "y".  A light stemmer: wrong on a
 * few words, but it only has to put a word and its plural together.
 */
static size_t
word_key(char *dst, const char *w, size_t n, bool acronym)
{
	size_t k;

	if (n > WORD_MAX)
		n = WORD_MAX;
	k = text_fold(dst, w, n);
	if (k > 2 && dst[k - 2] == '\'' && dst[k - 1] == 's')
		k -= 2;
	else if (k > 1 && dst[k - 1] == '\'')
		k--;
	if (acronym)
		return k;
	if (k > 4 && memcmp(dst + k - 3, "ies", 3) == 0) {
		dst[k - 3] = 'y';
		k -= 2;
	} else if (k > 4 && memcmp(dst + k - 4, "sses", 4) == 0)
		k -= 2;
	else if (k > 3 && dst[k - 1] == 's' && dst[k - 2] >= 'a' &&
	    dst[k - 2] <= 'z' && dst[k - 2] != 's' && dst[k - 2] != 'u' &&
	    dst[k - 2] != 'i')
		k--;
	return k;
}

static bool
is_number(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(w[i] >= '0' && w[i] <= '9') && w[i] != '.')
			return false;
	return true;
}

static bool
has_letter(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z') ||
		    (unsigned char)w[i] >= 0x80)
			return true;
	return false;
}

/* Whether only blanks and emphasis lie between two words. */
static bool
joined(const char *t, size_t a, size_t b)
{
	if (b - a > 5)
		return false;
	for (size_t i = a; i < b; i++)
		if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' &&
		    t[i] != '*' && t[i] != '_' && t[i] != '`')
			return false;
	return true;
}

static void
tokenize(struct tr_model *m, struct strmap *vocab, const char *text,
    const struct text_sent *s, size_t ns)
{
	size_t cap = 0;

	m->first = xmalloc((ns + 1) * sizeof(*m->first));
	m->nsent = ns;
	for (size_t i = 0; i < ns; i++) {
		struct text_span w;
		size_t pos = s[i].start;
		bool lead = true;

		m->first[i] = m->ntok;
		while (text_next_word(text, s[i].end, &pos, &w)) {
			const char *p = text + w.start;
			size_t n = w.end - w.start, kn;
			char key[WORD_MAX];
			struct tr_token *t;
			bool acr = is_acronym(p, n);

			if (m->ntok == cap) {
				cap = cap ? cap * 2 : 1024;
				m->tok = xrealloc(m->tok, cap * sizeof(*m->tok));
			}
			t = &m->tok[m->ntok];
			kn = word_key(key, p, n, acr);
			t->start = w.start;
			t->end = w.end;
			t->sent = (int)i;
			t->word = strmap_get(vocab, key, kn, true, NULL);
			t->flags = 0;
			/* A table cell starts afresh, as a sentence does. */
			if (lead || memchr(text + t[-1].end, '|',
			    w.start - t[-1].end) != NULL)
				t->flags |= TR_INITIAL;
			else if (joined(text, t[-1].end, w.start))
				t->flags |= TR_JOINED;
			if (p[0] >= 'A' && p[0] <= 'Z')
				t->flags |= TR_CAPITAL;
			if (acr)
				t->flags |= TR_ACRONYM;
			if (is_number(p, n))
				t->flags |= TR_NUMBER;
			if (text_is_stopword(p, n))
				t->flags |= TR_STOP;
			if (!(t->flags & (TR_STOP | TR_NUMBER)) && n <= WORD_MAX &&
			    has_letter(p, n) && (kn >= 3 || acr) &&
			    !is_weak(key, kn))
				t->flags |= TR_CANDIDATE;
			m->ntok++;
			lead = false;
		}
	}
	m->first[ns] = m->ntok;
}

static int
by_score(const void *x, const void *y, void *arg)
{
	const double *score = arg;
	int a = *(const int *)x, b = *(const int *)y;

	if (score[a] != score[b])
		return score[a] > score[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Ranks the words on their co-occurrence graph; picks the keywords. */
static void
rank_words(struct tr_model *m)
{
	struct edges e = {0};
	double *score = xmalloc(((size_t)m->nvocab + 1) * sizeof(*score));
	double best = 0;
	int *order, ncand = 0, keep;
	bool *cand = xcalloc((size_t)m->nvocab + 1, sizeof(*cand));

	for (size_t i = 0; i < m->nsent; i++) {
		int prev = -1;

		for (size_t k = m->first[i]; k < m->first[i + 1]; k++) {
			const struct tr_token *t = &m->tok[k];

			if (!(t->flags & TR_CANDIDATE))
				continue;
			cand[t->word] = true;
			if (prev >= 0 && prev != t->word)
				edge_add(&e, prev, t->word, 1.0);
			prev = t->word;
		}
	}
	rank_graph((size_t)m->nvocab, &e, WORD_ITERATIONS, WORD_TOLERANCE,
	    score);
	free(e.v);
	order = xmalloc(((size_t)m->nvocab + 1) * sizeof(*order));
	for (int v = 0; v < m->nvocab; v++)
		if (cand[v]) {
			order[ncand++] = v;
			if (score[v] > best)
				best = score[v];
		}
	for (int v = 0; v < m->nvocab; v++)
		m->wscore[v] = cand[v] && best > 0 ? score[v] / best : 0;
	/* Best first, ties to the word seen first. */
	qsort_r(order, (size_t)ncand, sizeof(*order), by_score, m->wscore);
	keep = (ncand + 2) / 3;
	if (keep < 10)
		keep = ncand < 10 ? ncand : 10;
	if (keep > KEYWORDS_MAX)
		keep = KEYWORDS_MAX;
	for (int i = 0; i < keep; i++)
		m->wkey[order[i]] = true;
	free(order);
	free(cand);
	free(score);
}

/* A term being collected. */
struct cand {
	const char *kind;	/* NULL until decided */
	int nwords, count;
	size_t ta, tb;		/* the tokens of its shown occurrence */
	double sum;		/* of its words' scores */
	size_t hint;		/* 1 + the hint it comes from; 0 if none */
};

struct collect {
	struct tr_model *m;
	const char *text;
	struct strmap map;
	struct cand *v;
	size_t cap;
};

static struct cand *
cand_at(struct collect *c, int id)
{
	if ((size_t)id >= c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	return &c->v[id];
}

/*
 * Whether occurrence [a, b) shows a term better than [c, d): inside a
 * sentence (where case means something), then in lowercase ("protocol",
 * not the "Protocol" of a name), then shorter ("router", not "routers").
 */
static bool
better(const struct tr_model *m, size_t a, size_t b, size_t c, size_t d)
{
	bool ia = m->tok[a].flags & TR_INITIAL, ic = m->tok[c].flags &
	    TR_INITIAL;
	bool ua = m->tok[a].flags & TR_CAPITAL, uc = m->tok[c].flags &
	    TR_CAPITAL;
	size_t la = m->tok[b - 1].end - m->tok[a].start;
	size_t lc = m->tok[d - 1].end - m->tok[c].start;

	if (ia != ic)
		return !ia;
	if (ua != uc)
		return !ua;
	if (la != lc)
		return la < lc;
	return a < c;
}

/* Counts an occurrence of the term made of tokens [a, b). */
static struct cand *
occur(struct collect *c, size_t a, size_t b, const char *kind)
{
	char k[(PHRASE_MAX + 1) * (WORD_MAX + 1)];
	size_t kn = 0;
	struct cand *t;
	bool added;
	int id;

	/* Runs are at most PHRASE_MAX + 1 words of at most WORD_MAX. */
	for (size_t i = a; i < b; i++) {
		const char *v = c->m->vocab[c->m->tok[i].word];
		size_t l = strlen(v);

		if (i > a)
			k[kn++] = ' ';
		memcpy(k + kn, v, l);
		kn += l;
	}
	id = strmap_get(&c->map, k, kn, true, &added);
	t = cand_at(c, id);
	if (added) {
		memset(t, 0, sizeof(*t));
		t->kind = kind;
		t->nwords = (int)(b - a);
		t->ta = a;
		t->tb = b;
		for (size_t i = a; i < b; i++)
			t->sum += c->m->wscore[c->m->tok[i].word];
	} else if (t->hint == 0 && better(c->m, a, b, t->ta, t->tb)) {
		t->ta = a;
		t->tb = b;
	}
	/* An acronym or a number also read as a plain word is one still. */
	if (t->kind == NULL)
		t->kind = kind;
	t->count++;
	return t;
}

/* Units a number is a term with: "port 443", "layer 4", "RFC 791". */
static const char *
number_unit(const char *key)
{
	static const char *const unit[] = {"port", "layer", "rfc"};

	for (size_t i = 0; i < 3; i++)
		if (strcmp(key, unit[i]) == 0)
			return unit[i];
	return NULL;
}

/* Whether token t may be part of a name: a capitalized content word. */
static bool
nameish(const struct tr_token *t)
{
	return (t->flags & (TR_CANDIDATE | TR_CAPITAL | TR_ACRONYM)) ==
	    (TR_CANDIDATE | TR_CAPITAL);
}

static void
collect_sentence(struct collect *c, size_t s, enum text_kind kind)
{
	struct tr_model *m = c->m;
	size_t a = m->first[s], b = m->first[s + 1], run = a;

	/*
	 * Capitalized words in a row name one thing ("Open Systems
	 * Interconnection"), ranked or not; a heading's capitals are only
	 * title case.
	 */
	for (size_t k = a; k < b && kind != TEXT_HEADING; k++) {
		size_t e = k + 1;

		if (!nameish(&m->tok[k]))
			continue;
		while (e < b && nameish(&m->tok[e]) &&
		    (m->tok[e].flags & TR_JOINED))
			e++;
		if (e - k >= 2 && e - k <= PHRASE_MAX + 1) {
			occur(c, k, e, "name");
			for (size_t i = k; i < e; i++)
				m->tok[i].flags |= TR_NAME;
		}
		k = e - 1;
	}
	for (size_t k = a; k <= b; k++) {
		const struct tr_token *t = k < b ? &m->tok[k] : NULL;
		bool in = t != NULL && (t->flags & TR_CANDIDATE) &&
		    !(t->flags & TR_NAME) && m->wkey[t->word];

		if (in && k > run && (t->flags & TR_JOINED) &&
		    k - run < PHRASE_MAX)
			continue;
		/* A lone acronym is counted below, with all the others. */
		if (k > run && !(k - run == 1 &&
		    (m->tok[run].flags & TR_ACRONYM)))
			occur(c, run, k, NULL);
		if (t == NULL)
			break;
		run = in ? k : k + 1;
	}
	for (size_t k = a; k < b; k++) {
		const struct tr_token *t = &m->tok[k];

		if (t->flags & TR_ACRONYM)
			occur(c, k, k + 1, "acronym");
		if (k + 1 < b && (m->tok[k + 1].flags & TR_NUMBER) &&
		    (m->tok[k + 1].flags & TR_JOINED) &&
		    number_unit(m->vocab[t->word]) != NULL)
			occur(c, k, k + 2, "number");
	}
}

/* The kind of a term found in the text. */
static const char *
kind_of(const struct tr_model *m, const struct cand *t)
{
	bool caps = true;

	if (t->kind != NULL)
		return t->kind;
	for (size_t i = t->ta; i < t->tb; i++)
		if (!(m->tok[i].flags & TR_CAPITAL) ||
		    (m->tok[i].flags & TR_ACRONYM))
			caps = false;
	if (caps && (t->nwords > 1 || !(m->tok[t->ta].flags & TR_INITIAL)))
		return "name";
	return t->nwords > 1 ? "phrase" : "keyword";
}

static double
cand_score(const struct tr_model *m, const struct cand *t)
{
	if (strcmp(t->kind, "number") == 0)
		return 0.8 * m->wscore[m->tok[t->ta].word];
	/* The mean, and a quarter more per extra word. */
	return t->sum / t->nwords * (1 + 0.25 * (t->nwords - 1));
}

static int
term_cmp(const void *x, const void *y)
{
	const struct tr_term *p = x, *q = y;

	if (p->score != q->score)
		return p->score > q->score ? -1 : 1;
	if (p->start != q->start)
		return p->start < q->start ? -1 : 1;
	return strcmp(p->key, q->key);
}

char *
tr_key(const char *t)
{
	struct text_span w;
	struct buf b = {0};
	size_t pos = 0, n = strlen(t);

	while (text_next_word(t, n, &pos, &w)) {
		char key[WORD_MAX];
		size_t kn = word_key(key, t + w.start, w.end - w.start,
		    is_acronym(t + w.start, w.end - w.start));

		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_put(&b, key, kn);
	}
	return buf_take(&b);
}

/* Marks a hinted term "defined", adding it when the text lacks it. */
static void
add_hint(struct collect *c, struct strmap *vocab, const struct tr_hint *h,
    size_t index)
{
	char *key = tr_key(h->text), *p, *sp;
	struct cand *t;
	bool added;
	int id;

	if (key[0] == '\0') {
		free(key);
		return;
	}
	id = strmap_get(&c->map, key, strlen(key), true, &added);
	t = cand_at(c, id);
	if (added) {
		memset(t, 0, sizeof(*t));
		t->hint = index + 1;
		t->count = 1;
		/* Scored by the words of it that the text ranked. */
		for (p = key;; p = sp + 1) {
			int w;

			sp = strchr(p, ' ');
			w = strmap_get(vocab, p, sp != NULL ? (size_t)(sp - p) :
			    strlen(p), false, NULL);
			t->sum += w >= 0 ? c->m->wscore[w] : 0;
			t->nwords++;
			if (sp == NULL)
				break;
		}
	}
	if (t->kind == NULL || strcmp(t->kind, "defined") != 0) {
		t->kind = "defined";
		t->sum *= 1.25;
	}
	free(key);
}

void
tr_model_build(struct tr_model *m, const char *text,
    const struct text_sent *s, size_t ns, const struct tr_hint *hints,
    size_t nhints)
{
	struct strmap vocab = {0};
	struct collect c;
	double best = 0;

	memset(m, 0, sizeof(*m));
	tokenize(m, &vocab, text, s, ns);
	m->nvocab = (int)vocab.n;
	m->vocab = vocab.key;
	m->wscore = xcalloc(vocab.n + 1, sizeof(*m->wscore));
	m->wcount = xcalloc(vocab.n + 1, sizeof(*m->wcount));
	m->wkey = xcalloc(vocab.n + 1, sizeof(*m->wkey));
	for (size_t i = 0; i < m->ntok; i++)
		m->wcount[m->tok[i].word]++;
	rank_words(m);

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.text = text;
	/* A table's header names columns, not things the text is about. */
	for (size_t i = 0; i < ns; i++)
		if (s[i].kind != TEXT_HEAD_ROW)
			collect_sentence(&c, i, s[i].kind);
	for (size_t i = 0; i < nhints; i++)
		add_hint(&c, &vocab, &hints[i], i);

	m->terms = xcalloc(c.map.n + 1, sizeof(*m->terms));
	for (size_t i = 0; i < c.map.n; i++) {
		struct cand *t = &c.v[i];
		struct tr_term *o = &m->terms[m->nterms];

		t->kind = kind_of(m, t);
		o->key = c.map.key[i];
		c.map.key[i] = NULL;
		o->kind = t->kind;
		o->count = t->count;
		o->nwords = t->nwords;
		o->score = cand_score(m, t);
		if (t->hint > 0) {
			/* A hint the text does not hold as it was given. */
			const struct tr_hint *h = &hints[t->hint - 1];

			o->text = xstrdup(h->text);
			o->start = h->start;
			o->end = h->end;
			o->sent = h->sent;
			o->word = strmap_get(&vocab, o->key, strcspn(o->key,
			    " "), false, NULL);
		} else {
			const struct tr_token *u = &m->tok[t->ta];

			o->start = u->start;
			o->end = m->tok[t->tb - 1].end;
			o->sent = u->sent;
			o->word = u->word;
			if (strcmp(o->kind, "number") == 0)
				o->text = xasprintf("%s %.*s",
				    strcmp(m->vocab[u->word], "rfc") == 0 ?
				    "RFC" : m->vocab[u->word],
				    (int)(u[1].end - u[1].start),
				    text + u[1].start);
			else
				o->text = text_plain(text + o->start,
				    o->end - o->start);
		}
		if (o->score > best)
			best = o->score;
		m->nterms++;
	}
	for (size_t i = 0; i < m->nterms; i++)
		m->terms[i].score = best > 0 ? m->terms[i].score / best : 0;
	if (m->nterms > 1)
		qsort(m->terms, m->nterms, sizeof(*m->terms), term_cmp);
	free(c.v);
	strmap_free(&c.map, false);
	strmap_free(&vocab, true);
}

void
tr_model_free(struct tr_model *m)
{
	for (int i = 0; i < m->nvocab; i++)
		free(m->vocab[i]);
	free(m->vocab);
	for (size_t i = 0; i < m->nterms; i++) {
		free(m->terms[i].text);
		free(m->terms[i].key);
	}
	free(m->terms);
	free(m->tok);
	free(m->first);
	free(m->wscore);
	free(m->wcount);
	free(m->wkey);
	memset(m, 0, sizeof(*m));
}
