/*
 * generate.c - study assets from chunks, without a language model
 * (generate.h).
 *
 * The steps: the sentences of each chunk; definitions, acronym expansions
 * and port facts found by patterns; the word model and key terms
 * (textrank.c), told which terms the text defines; sentence ranks within
 * each chunk, hence summaries and cloze sentences; chunk relevance; then
 * candidate assets, best quality first, without duplicates, under the
 * caps.  A quiz candidate is only built once it is chosen: picking its
 * distractors scans a pool of terms, and doing that for every candidate
 * of a big material would be quadratic.
 */
#include "materials/generate.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "materials/text.h"
#include "materials/textrank.h"

#define CLOZE_PER_CHUNK	3	/* key sentences tried per chunk */
#define CLOZE_PER_TERM	2	/* cloze cards hiding the same term */
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

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * size);
}

static void
pool_add(struct pool *p, const char *s)
{
	p->v = grow(p->v, &p->cap, p->n, sizeof(*p->v));
	p->v[p->n++] = s;
}

static char
lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

static bool
same_nocase(const char *a, const char *b)
{
	while (*a != '\0' && lower(*a) == lower(*b)) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Whether p[a..b) is the word w, in any ASCII case. */
static bool
word_is(const char *p, struct text_span x, const char *w)
{
	size_t n = strlen(w);

	if (x.end - x.start != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(p[x.start + i]) != w[i])
			return false;
	return true;
}

static char *
lower_dup(const char *prefix, const char *s)
{
	char *r = xasprintf("%s%s", prefix, s);

	for (char *p = r; *p != '\0'; p++)
		*p = lower(*p);
	return r;
}

static int
words(const char *s)
{
	return (int)text_word_count(s, strlen(s));
}

static double
clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static int
clamp_difficulty(int d)
{
	return d < 1 ? 1 : d > 10 ? 10 : d;
}

/* Rounded to 3 decimals: what is stored should not show float noise. */
static double
q3(double x)
{
	return round(x * 1000) / 1000;
}

/* s[a..b), blanks trimmed and a final '.' or '!' dropped, malloc'd. */
static char *
clip(const char *s, size_t a, size_t b)
{
	while (a < b && s[a] == ' ')
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '.' ||
	    s[b - 1] == '!' || s[b - 1] == ';' || s[b - 1] == ','))
		b--;
	return xstrndup(s + a, b - a);
}

static bool
is_caps_word(const char *s, size_t n)
{
	size_t caps = 0;

	if (n < 2 || n > 9 || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			caps++;
		else if (!(s[i] >= '0' && s[i] <= '9') && !(i == n - 1 &&
		    s[i] == 's'))
			return false;
	}
	return caps >= 2;
}

/* Words that may sit inside an expansion without giving it a letter. */
static bool
is_minor(const char *s, size_t n)
{
	static const char *const minor[] = {"a", "an", "and", "by", "for",
	    "in", "of", "on", "over", "the", "to", "with"};
	char f[8];

	if (n >= sizeof(f))
		return false;
	text_fold(f, s, n);
	for (size_t i = 0; i < sizeof(minor) / sizeof(minor[0]); i++)
		if (strlen(minor[i]) == n && memcmp(minor[i], f, n) == 0)
			return true;
	return false;
}

/*
 * Whether the words of p ending at offset q spell the acronym acr[0..an)
 * ("Dynamic Host Configuration Protocol" for DHCP; "HyperText Transfer
 * Protocol" for HTTP: a word with inner capitals gives them all); where
 * they start in *from.  Small words like "of" may be skipped.
 */
static bool
spells(const char *p, size_t a, size_t q, const char *acr, size_t an,
    size_t *from)
{
	struct text_span w[16];
	char letters[10];
	size_t nw = 0, nl = 0, pos = a;
	struct text_span x;
	int j, i;

	for (size_t k = 0; k < an; k++)
		if (acr[k] >= 'A' && acr[k] <= 'Z' && nl < sizeof(letters))
			letters[nl++] = acr[k];
	if (nl < 2)
		return false;
	/* Only the last 16 words before the '(' can matter. */
	while (text_next_word(p, q, &pos, &x)) {
		if (nw == 16) {
			memmove(w, w + 1, 15 * sizeof(*w));
			nw = 15;
		}
		w[nw++] = x;
	}
	for (j = (int)nl - 1, i = (int)nw - 1; j >= 0 && i >= 0; i--) {
		const char *s = p + w[i].start;
		size_t n = w[i].end - w[i].start, nc = 0;
		char give[10];

		for (size_t k = 0; k < n && nc < sizeof(give); k++)
			if (s[k] >= 'A' && s[k] <= 'Z')
				give[nc++] = s[k];
		if (nc < 2 || nc == n) {
			give[0] = (char)(s[0] & ~0x20);
			nc = 1;
		}
		if ((int)nc <= j + 1 && memcmp(give, letters + j + 1 - nc,
		    nc) == 0) {
			j -= (int)nc;
			if (j < 0)
				break;
			continue;
		}
		if (!is_minor(s, n))
			return false;
	}
	if (j >= 0 || i < 0)
		return false;
	*from = w[i].start;
	return true;
}

/*
 * The subject p[a..b) of a definition made a term: an article dropped, 1
 * to 6 words, neither end a stopword, no punctuation but "(ABC)".  NULL
 * when it is no term.
 */
static char *
subject(const char *p, size_t a, size_t b)
{
	static const char *const art[] = {"a ", "an ", "the "};
	struct text_span w, last = {0, 0};
	size_t pos, n = 0;
	bool first = true;

	while (a < b && p[a] == ' ')
		a++;
	while (b > a && p[b - 1] == ' ')
		b--;
	for (int k = 0; k < 3; k++) {
		size_t l = strlen(art[k]), i;

		for (i = 0; i < l && a + i < b && lower(p[a + i]) == art[k][i];
		    i++)
			;
		if (i == l) {
			a += l;
			break;
		}
	}
	for (size_t i = a; i < b; i++) {
		if (strchr(",;:!?\"[]", p[i]) != NULL ||
		    (p[i] == '.' && (i + 1 == b || p[i + 1] == ' ')))
			return NULL;
		if (p[i] == '(') {
			const char *e = memchr(p + i, ')', b - i);

			if (e == NULL || memchr(p + i, ' ', (size_t)(e - p) - i)
			    != NULL)
				return NULL;
		}
	}
	for (pos = a; text_next_word(p, b, &pos, &w); n++) {
		if (first && text_is_stopword(p + w.start, w.end - w.start))
			return NULL;
		first = false;
		last = w;
	}
	if (n < 1 || n > 6 || text_is_stopword(p + last.start,
	    last.end - last.start))
		return NULL;
	return xstrndup(p + a, b - a);
}

/*
 * The term a subject names for quizzes: "Dynamic Host Configuration
 * Protocol (DHCP)" is "DHCP", "Open Systems Interconnection (OSI) model"
 * is "OSI model"; another parenthesis is dropped ("Deoxyribonucleic acid
 * (DNA)" is "Deoxyribonucleic acid") but kept in *alias (malloc'd, or
 * NULL) since it names the same thing.
 */
static char *
subject_term(const char *s, char **alias)
{
	const char *o = strchr(s, '('), *e;
	size_t from;
	struct buf b = {0};

	*alias = NULL;
	if (o == NULL || (e = strchr(o, ')')) == NULL)
		return xstrdup(s);
	if (spells(s, 0, (size_t)(o - s), o + 1, (size_t)(e - o - 1), &from)) {
		buf_put(&b, s, from);
		buf_put(&b, o + 1, (size_t)(e - o - 1));
	} else {
		buf_put(&b, s, (size_t)(o - s));
		while (b.len > 0 && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		*alias = xstrndup(o + 1, (size_t)(e - o - 1));
	}
	buf_puts(&b, e + 1);
	return buf_take(&b);
}

/*
 * Records a definition card from sentence sent, taking the strings; term
 * answers its quiz (NULL: derived from the front).  Dropped when it would
 * teach nothing.
 */
static void
def_add(struct gen *g, char *front, char *back, char *term, int sent,
    const char *method, double quality, bool quiz)
{
	struct defn *d;
	int bw = words(back);
	char *alias = NULL;

	if (term == NULL)
		term = subject_term(front, &alias);
	/* A card whose back repeats its front teaches nothing. */
	if (bw < (strcmp(method, "table") == 0 ? 1 : 2) ||
	    text_find_word(back, term, true) >= 0 ||
	    same_nocase(front, back)) {
		free(front);
		free(back);
		free(term);
		free(alias);
		return;
	}
	if (bw > 30)
		quality -= 0.15;
	if (words(term) > 4)
		quality -= 0.05;
	g->d = grow(g->d, &g->dcap, g->nd, sizeof(*g->d));
	d = &g->d[g->nd++];
	d->front = front;
	d->back = back;
	d->term = term;
	d->sent = sent;
	d->method = method;
	d->quality = quality;
	d->quiz = quiz && bw >= 3 && bw <= 30;
	d->alias = alias;
	g->s[sent].used = true;
}

enum verb_kind {
	V_FORWARD,	/* term, verb, definition */
	V_CALLED,	/* definition, verb, term */
	V_WHICH		/* term, ", which", definition, "," */
};

static const struct {
	const char *s;
	enum verb_kind kind;
	size_t skip;		/* from the verb to the definition */
	double quality;
} verbs[] = {
	{" is a ", V_FORWARD, 4, 0.9},
	{" is an ", V_FORWARD, 4, 0.9},
	{" is the ", V_FORWARD, 4, 0.85},
	{" is defined as ", V_FORWARD, 15, 0.9},
	{" are defined as ", V_FORWARD, 16, 0.9},
	{" refers to ", V_FORWARD, 11, 0.85},
	{" refer to ", V_FORWARD, 10, 0.85},
	{" means ", V_FORWARD, 7, 0.8},
	{" are ", V_FORWARD, 5, 0.7},
	{" is called ", V_CALLED, 11, 0.8},
	{" are called ", V_CALLED, 12, 0.8},
	{" is known as ", V_CALLED, 13, 0.8},
	{", which ", V_WHICH, 8, 0.6},
};

/* A definition in the sentence or item i, by the verbs above. */
static bool
find_verb_def(struct gen *g, int i)
{
	const char *p = g->s[i].plain;
	size_t n = strlen(p), best = n, k = 0;
	char *subj = NULL, *back;

	if (n == 0 || p[n - 1] == '?')
		return false;
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
		const char *at = strstr(p, verbs[v].s);
		char *t;

		if (at == NULL || (size_t)(at - p) >= best)
			continue;
		t = verbs[v].kind == V_CALLED ? NULL : subject(p, 0,
		    (size_t)(at - p));
		if (verbs[v].kind == V_CALLED) {
			const char *tail = at + verbs[v].skip;

			/* "A device that ... is called a router." */
			if (strncmp(p, "A ", 2) != 0 && strncmp(p, "An ", 3) != 0
			    && strncmp(p, "The ", 4) != 0)
				continue;
			t = subject(tail, 0, strlen(tail) - (p[n - 1] == '.'));
		}
		if (t == NULL)
			continue;
		free(subj);
		subj = t;
		best = (size_t)(at - p);
		k = v;
	}
	if (subj == NULL)
		return false;
	if (verbs[k].kind == V_CALLED) {
		back = clip(p, 0, best);
		back[0] = lower(back[0]);
	} else if (verbs[k].kind == V_WHICH) {
		const char *d = p + best + verbs[k].skip;
		const char *e = strstr(d, ", ");

		back = clip(d, 0, e != NULL ? (size_t)(e - d) : strlen(d));
	} else {
		const char *d = p + best + verbs[k].skip;

		back = clip(d, 0, strlen(d));
		/* "Ports are numbered ...": a passive, not a definition. */
		if (strcmp(verbs[k].s, " are ") == 0) {
			size_t l = strcspn(back, " ");

			if (words(back) < 3 || text_is_stopword(back, l) ||
			    (l > 2 && strncmp(back + l - 2, "ed", 2) == 0)) {
				free(back);
				free(subj);
				return false;
			}
		}
	}
	def_add(g, subj, back, NULL, i, "definition",
	    verbs[k].quality, verbs[k].kind != V_WHICH);
	return true;
}

/* "TCP: a protocol ...", "TCP - a protocol ..." in a list item. */
static bool
find_item_def(struct gen *g, int i)
{
	static const char *const sep[] = {": ", " - ", " \xe2\x80\x93 ",
	    " \xe2\x80\x94 "};
	const char *p = g->s[i].plain, *best = NULL;
	size_t skip = 0;
	char *t;

	for (size_t k = 0; k < 4; k++) {
		const char *at = strstr(p, sep[k]);

		if (at != NULL && at - p < 80 && (best == NULL || at < best)) {
			best = at;
			skip = strlen(sep[k]);
		}
	}
	if (best == NULL || (t = subject(p, 0, (size_t)(best - p))) == NULL)
		return false;
	def_add(g, t, clip(best + skip, 0, strlen(best + skip)), NULL, i,
	    "list", 0.85, true);
	return true;
}

static char *
cell_plain(const char *text, const struct text_span *c)
{
	return text_plain(text + c->start, c->end - c->start);
}

static bool
is_port_number(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return atoi(s) <= 65535;
}

static void
port_add(struct gen *g, const char *subj, size_t sn, const char *num,
    int sent, bool card)
{
	struct port *p;

	g->pt = grow(g->pt, &g->pcap, g->npt, sizeof(*g->pt));
	p = &g->pt[g->npt++];
	p->subject = xstrndup(subj, sn);
	p->number = xstrdup(num);
	p->sent = sent;
	p->card = card;
}

/* A table row: a card, maybe a definition, maybe a port. */
static void
find_row(struct gen *g, int i)
{
	const struct sent *s = &g->s[i];
	struct text_span c[8], h[8];
	size_t nc = text_cells(g->text + s->start, s->end - s->start, c, 8);
	size_t nh = s->he > s->hs ? text_cells(g->text + s->hs, s->he - s->hs,
	    h, 8) : 0;
	char *cell[8] = {NULL}, *head[8] = {NULL}, *front;
	struct buf back = {0};

	if (nc < 2 || nc > 8)
		return;
	if (nh != nc)
		nh = 0;
	for (size_t k = 0; k < nc; k++) {
		c[k].start += s->start;
		c[k].end += s->start;
		cell[k] = cell_plain(g->text, &c[k]);
		if (nh > 0) {
			h[k].start += s->hs;
			h[k].end += s->hs;
			head[k] = cell_plain(g->text, &h[k]);
		}
	}
	if (cell[0][0] == '\0' || cell[1][0] == '\0' || words(cell[0]) > 8)
		goto out;
	/* "| 7 | Application |" under "| Layer | Name |": "Layer 7". */
	if (nh > 0 && is_port_number(cell[0]) && head[0][0] != '\0')
		front = xasprintf("%s %s", head[0], cell[0]);
	else
		front = xstrdup(cell[0]);
	/* "HTTP" and "80" say little alone: "Port of HTTP" and "80". */
	if (nc == 2 && nh > 0 && head[1][0] != '\0' && words(cell[1]) <= 2) {
		char *f = xasprintf("%s of %s", head[1], front);

		free(front);
		front = f;
	}
	for (size_t k = 1; k < nc; k++) {
		if (nc == 2) {
			buf_puts(&back, cell[1]);
			break;
		}
		if (cell[k][0] == '\0')
			continue;
		if (back.len > 0)
			buf_puts(&back, "; ");
		if (nh > 0 && head[k][0] != '\0') {
			buf_puts(&back, head[k]);
			buf_puts(&back, ": ");
		}
		buf_puts(&back, cell[k]);
	}
	for (size_t k = 1; k < nh; k++)
		if (is_port_number(cell[k]) && text_find_word(head[k], "port",
		    true) >= 0)
			port_add(g, cell[0], strlen(cell[0]), cell[k], i, false);
	def_add(g, front, buf_take(&back), xstrdup(cell[0]), i, "table",
	    nc == 2 ? 0.8 : 0.7, nc == 2 && words(cell[1]) >= 3);
out:
	for (size_t k = 0; k < nc; k++) {
		free(cell[k]);
		free(head[k]);
	}
}

/* "DHCP (Dynamic ...)" and "Dynamic ... (DHCP)" in sentence i. */
static void
find_acronyms(struct gen *g, int i)
{
	const char *p = g->s[i].plain, *o = p;

	while ((o = strchr(o, '(')) != NULL) {
		const char *e = strchr(o, ')'), *acr, *exp;
		size_t an, en, from;
		struct acro *a;

		if (e == NULL)
			break;
		if (is_caps_word(o + 1, (size_t)(e - o - 1)) && spells(p, 0,
		    (size_t)(o - p), o + 1, (size_t)(e - o - 1), &from)) {
			acr = o + 1;
			an = (size_t)(e - o - 1);
			exp = p + from;
			en = (size_t)(o - p) - from;
			while (en > 0 && exp[en - 1] == ' ')
				en--;
		} else {
			/* The acronym first: the word before the '('. */
			const char *w = o;

			while (w > p && w[-1] == ' ')
				w--;
			an = 0;
			while (w > p && w[-1] != ' ') {
				w--;
				an++;
			}
			if (!is_caps_word(w, an) || !spells(o + 1, 0,
			    (size_t)(e - o - 1), w, an, &from) || from != 0) {
				o = e;
				continue;
			}
			acr = w;
			exp = o + 1;
			en = (size_t)(e - o - 1);
		}
		o = e;
		for (size_t k = 0; k < g->na; k++)
			if (strlen(g->a[k].acr) == an &&
			    memcmp(g->a[k].acr, acr, an) == 0)
				goto next;
		g->a = grow(g->a, &g->acap, g->na, sizeof(*g->a));
		a = &g->a[g->na++];
		a->acr = xstrndup(acr, an);
		a->exp = xstrndup(exp, en);
		a->sent = i;
next:
		;
	}
}

/* "HTTPS uses port 443", "SSH runs on TCP port 22". */
static void
find_ports(struct gen *g, int i)
{
	const char *p = g->s[i].plain;
	struct text_span w[64];
	size_t n = 0, pos = 0, len = strlen(p);
	struct text_span x;

	while (n < 64 && text_next_word(p, len, &pos, &x))
		w[n++] = x;
	for (size_t k = 1; k + 1 < n; k++) {
		static const char *const on[] = {"runs", "run", "listens",
		    "listen", "operates", "operate"};
		char num[8];
		size_t l = w[k + 1].end - w[k + 1].start;
		long j = (long)k - 1, sj = -1;

		if ((!word_is(p, w[k], "port") && !word_is(p, w[k], "ports")) ||
		    l >= sizeof(num))
			continue;
		memcpy(num, p + w[k + 1].start, l);
		num[l] = '\0';
		if (!is_port_number(num))
			continue;
		if (j >= 0 && (word_is(p, w[j], "tcp") || word_is(p, w[j],
		    "udp")))
			j--;
		if (j < 1)
			continue;
		if (word_is(p, w[j], "uses") || word_is(p, w[j], "use"))
			sj = j - 1;
		else if (word_is(p, w[j], "to") && word_is(p, w[j - 1],
		    "defaults"))
			sj = j - 2;
		else if (word_is(p, w[j], "on"))
			for (size_t v = 0; v < sizeof(on) / sizeof(on[0]); v++)
				if (word_is(p, w[j - 1], on[v]))
					sj = j - 2;
		if (sj < 0 || p[w[sj].start] < 'A' || p[w[sj].start] > 'Z')
			continue;
		port_add(g, p + w[sj].start, w[sj].end - w[sj].start, num, i,
		    true);
		g->s[i].used = true;
	}
}

/* A row as plain text: its cells with " | " between. */
static char *
row_plain(const char *text, const struct sent *s)
{
	struct text_span c[16];
	size_t n = text_cells(text + s->start, s->end - s->start, c, 16);
	struct buf b = {0};

	for (size_t i = 0; i < n && i < 16; i++) {
		char *p = text_plain(text + s->start + c[i].start,
		    c[i].end - c[i].start);

		if (i > 0)
			buf_puts(&b, " | ");
		buf_puts(&b, p);
		free(p);
	}
	return buf_take(&b);
}

/* The sentences of every chunk, and what patterns find in them. */
static void
read_chunks(struct gen *g)
{
	size_t cap = 0;

	g->first = xcalloc(g->nc + 1, sizeof(*g->first));
	for (size_t ci = 0; ci < g->nc; ci++) {
		const struct chunk *c = &g->c[ci];
		struct text_sent *ts;
		bool code = c->head_end > c->head_start &&
		    (g->text[c->head_start] == '`' ||
		    g->text[c->head_start] == '~');
		size_t n, hs = 0, he = 0;

		if (c->head_end > c->head_start && g->text[c->head_start] ==
		    '|') {
			const char *nl = memchr(g->text + c->head_start, '\n',
			    c->head_end - c->head_start);

			hs = c->head_start;
			he = nl != NULL ? (size_t)(nl - g->text) : c->head_end;
		}
		g->first[ci] = g->ns;
		n = text_sentences(g->text + c->start, c->end - c->start, code,
		    &ts);
		for (size_t k = 0; k < n; k++) {
			struct sent *s;

			g->s = grow(g->s, &cap, g->ns, sizeof(*g->s));
			s = &g->s[g->ns++];
			memset(s, 0, sizeof(*s));
			s->start = c->start + ts[k].start;
			s->end = c->start + ts[k].end;
			s->kind = ts[k].kind;
			s->chunk = (int)ci;
			if (s->kind == TEXT_HEAD_ROW) {
				hs = s->start;
				he = s->end;
			} else if (s->kind == TEXT_ROW) {
				s->hs = hs;
				s->he = he;
			} else
				hs = he = 0;
			s->plain = s->kind == TEXT_ROW || s->kind ==
			    TEXT_HEAD_ROW ? row_plain(g->text, s) :
			    text_plain(g->text + s->start, s->end - s->start);
		}
		free(ts);
	}
	g->first[g->nc] = g->ns;
	for (size_t i = 0; i < g->ns; i++) {
		int k = (int)i;

		switch (g->s[i].kind) {
		case TEXT_ROW:
			find_row(g, k);
			break;
		case TEXT_ITEM:
			find_acronyms(g, k);
			if (!find_item_def(g, k))
				find_verb_def(g, k);
			break;
		case TEXT_PROSE:
			find_acronyms(g, k);
			find_ports(g, k);
			find_verb_def(g, k);
			break;
		default:
			break;
		}
	}
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

	g->v = grow(g->v, &g->vcap, g->nv, sizeof(*g->v));
	c = &g->v[g->nv];
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->method = method;
	c->chunk = chunk;
	c->quality = q3(clamp01(quality));
	c->difficulty = clamp_difficulty(difficulty);
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
				avg += words(g->s[v[i]].plain);
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
		g->relevance[ci] = best > 0 ? q3(g->relevance[ci] / best) : 0;
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
		int bw = words(d->back);
		struct cand *c = cand_new(g, "flashcard", d->method, s->chunk,
		    d->quality, 3 + (bw > 12) + (bw > 25) +
		    (words(d->term) >= 3) + (d->quality < 0.7),
		    lower_dup("b:", d->front));

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
		    0.9, 2 + (strlen(a->acr) >= 4) + (words(a->exp) >= 4),
		    lower_dup("b:", a->acr));

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
			    lower_dup("b:", front));
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
	    lower_dup("c:", text));
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
			int sw = words(p);

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
		    t->text, "kind", t->kind, "score", q3(t->score)));
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

/* Quiz options: the distractors closest to the answer first. */
static long
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	long d = labs((long)la - (long)lb);

	return (is_caps_word(a, la) != is_caps_word(b, lb)) * 10000 +
	    abs(words(a) - words(b)) * 100 + (d > 99 ? 99 : d);
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
		if ((same_nocase(alias->v[i], a) && same_nocase(alias->v[i + 1],
		    b)) || (same_nocase(alias->v[i], b) &&
		    same_nocase(alias->v[i + 1], a)))
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
			bad = same_nocase(out[k], s);
		for (size_t k = 0; skip != NULL && k < skip->n && !bad; k++)
			bad = same_nocase(skip->v[k], s);
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

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
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
			if (same_nocase(g->pt[i].subject,
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
		int j = (int)(splitmix64(&st) % (uint64_t)(i + 1));
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
	c->key = lower_dup("q:", stem);
	c->quality = q3(clamp01(c->quality - (n < 3 ? 0.1 : 0)));
	c->difficulty = clamp_difficulty(c->difficulty + close - (n < 3) +
	    (words(stem) > 20));
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

static void
cand_free(struct cand *c)
{
	json_decref(c->content);
	free(c->key);
	free(c->term);
	free(c->src);
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
static void
choose(struct gen *g, struct gen_result *out)
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
static void
pools(struct gen *g)
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

	read_chunks(&g);
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
	pools(&g);
	fact_candidates(&g);
	cloze_candidates(&g);
	terms_candidate(&g);
	choose(&g, out);

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
