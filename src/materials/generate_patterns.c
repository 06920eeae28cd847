/*
 * generate_patterns.c - the facts the generator finds by patterns
 * (generate_int.h), in the sentences of every chunk: definitions ("X is
 * a ...", "A ... is called X", "X, which ..."), list items ("X: ..."),
 * table rows, acronym expansions ("Dynamic Host Configuration Protocol
 * (DHCP)") and ports ("HTTPS uses port 443").
 */
#include "materials/generate_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"

/* Whether p[a..b) is the word w, in any ASCII case. */
static bool
word_is(const char *p, struct text_span x, const char *w)
{
	size_t n = strlen(w);

	if (x.end - x.start != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (gen_lower(p[x.start + i]) != w[i])
			return false;
	return true;
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

bool
gen_is_caps_word(const char *s, size_t n)
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

		for (i = 0; i < l && a + i < b &&
		    gen_lower(p[a + i]) == art[k][i]; i++)
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
	int bw = gen_words(back);
	char *alias = NULL;

	if (term == NULL)
		term = subject_term(front, &alias);
	/* A card whose back repeats its front teaches nothing. */
	if (bw < (strcmp(method, "table") == 0 ? 1 : 2) ||
	    text_find_word(back, term, true) >= 0 ||
	    gen_same_nocase(front, back)) {
		free(front);
		free(back);
		free(term);
		free(alias);
		return;
	}
	if (bw > 30)
		quality -= 0.15;
	if (gen_words(term) > 4)
		quality -= 0.05;
	g->d = gen_grow(g->d, &g->dcap, g->nd, sizeof(*g->d));
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
		back[0] = gen_lower(back[0]);
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

			if (gen_words(back) < 3 || text_is_stopword(back, l) ||
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

	g->pt = gen_grow(g->pt, &g->pcap, g->npt, sizeof(*g->pt));
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
	if (cell[0][0] == '\0' || cell[1][0] == '\0' || gen_words(cell[0]) > 8)
		goto out;
	/* "| 7 | Application |" under "| Layer | Name |": "Layer 7". */
	if (nh > 0 && is_port_number(cell[0]) && head[0][0] != '\0')
		front = xasprintf("%s %s", head[0], cell[0]);
	else
		front = xstrdup(cell[0]);
	/* "HTTP" and "80" say little alone: "Port of HTTP" and "80". */
	if (nc == 2 && nh > 0 && head[1][0] != '\0' &&
	    gen_words(cell[1]) <= 2) {
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
	    nc == 2 ? 0.8 : 0.7, nc == 2 && gen_words(cell[1]) >= 3);
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
		if (gen_is_caps_word(o + 1, (size_t)(e - o - 1)) && spells(p, 0,
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
			if (!gen_is_caps_word(w, an) || !spells(o + 1, 0,
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
		g->a = gen_grow(g->a, &g->acap, g->na, sizeof(*g->a));
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
void
gen_read_chunks(struct gen *g)
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

			g->s = gen_grow(g->s, &cap, g->ns, sizeof(*g->s));
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
