/*
 * extract_pdf.c - a PDF to normalized text with poppler (extract_pdf()).
 *
 * poppler gives each page's text and a box per character.  The boxes say
 * where paragraphs break, which lines are headings, which hyphens split a
 * word and which lines are page numbers or running heads; then the lines
 * are re-flowed like plain text (extract.c).  poppler is a large C++
 * parser: the server calls this only in a child process
 * (extract_sandbox.c).
 */
#include "materials/extract.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <poppler.h>

#include "core/alloc.h"
#include "materials/extract_int.h"

/* PDF */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n, double none)
{
	if (n == 0)
		return none;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static bool
starts_lower(const char *text, const struct line *l)
{
	return g_unichar_islower(extract_first_char(text + l->off, l->len));
}

/* The line ends a sentence: . ! ? : ; or … before closing quotes. */
static bool
ends_sentence(const char *text, const struct line *l)
{
	const char *s = text + l->off;
	size_t n = extract_trimmed(s, l->len), at;
	uint32_t cp;

	while (n > 0) {
		cp = extract_last_char(s, n, &at);
		if (cp == '.' || cp == '!' || cp == '?' || cp == ':' ||
		    cp == ';' || cp == 0x2026)
			return true;
		if (cp != '"' && cp != '\'' && cp != ')' && cp != ']' &&
		    cp != 0x201d && cp != 0x2019 && cp != 0xbb)
			return false;
		n = at;
	}
	return false;
}

/* A word split across lines: "exam-" then "ple". */
static bool
hyphenated(const char *text, const struct line *a, const struct line *b)
{
	const char *s = text + a->off;
	size_t n = extract_trimmed(s, a->len), at;
	uint32_t cp = extract_last_char(s, n, &at);

	if (cp != '-' && cp != 0xad && cp != 0x2010)
		return false;
	return g_unichar_isalpha(extract_last_char(s, at, NULL)) &&
	    starts_lower(text, b);
}

/* A line alone at the top or the bottom of a page: "12", "- 12 -". */
static bool
page_number(const char *s, size_t n)
{
	bool digit = false;

	if (n > 16)
		return false;
	if (n > 5 && strncasecmp(s, "page ", 5) == 0)
		s += 5, n -= 5;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = true;
		else if (s[i] != ' ' && s[i] != '-' && s[i] != '/')
			return false;
	}
	return digit;
}

static double
height(const struct line *l)
{
	return l->y1 - l->y0;
}

/*
 * How each PDF line follows the one before, from the boxes: a blank
 * space taller than half a line, a change of font size, an indented first
 * line or a short line that ends a sentence start a paragraph.  Across
 * pages and columns (the next line is higher up) the paragraph goes on
 * only when the sentence obviously does: no final stop and a lowercase
 * start.  Blocks of one or two lines in a font much bigger than the body
 * text become headings.
 */
static void
pdf_decide(const char *text, struct line *v, size_t n)
{
	double *tmp = xmalloc((n + 1) * sizeof(*tmp));
	double H, W, G;
	size_t k = 0, ngeo = 0;
	struct line *a = NULL;
	bool item = false;

	for (size_t i = 0; i < n; i++)
		if (v[i].geo && !v[i].drop)
			tmp[k++] = height(&v[i]);
	ngeo = k;
	H = median(tmp, k, 10);
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].geo && !v[i].drop)
			tmp[k++] = v[i].x1 - v[i].x0;
	W = median(tmp, k, 0);
	k = 0;
	for (size_t i = 1; i < n; i++) {
		const struct line *p = &v[i - 1], *q = &v[i];

		if (p->geo && q->geo && p->page == q->page &&
		    q->y0 > p->y0 + 0.3 * height(p) &&
		    fabs(height(p) - height(q)) < 0.2 * height(p) &&
		    q->y0 - p->y1 < 2.5 * H)
			tmp[k++] = q->y0 - p->y1;
	}
	G = median(tmp, k, 0.2 * H);

	for (size_t i = 0; i < n; i++) {
		struct line *b = &v[i];
		char prefix[16];
		size_t skip;

		if (b->drop)
			continue;
		if (a == NULL)
			b->brk = L_BREAK;
		else if (a->page == b->page && (!a->geo || !b->geo))
			b->brk = hyphenated(text, a, b) ? L_HYPH : L_JOIN;
		else if (a->page != b->page ||
		    b->y0 < a->y0 - 0.3 * height(a)) {
			/* A new page or column. */
			if (hyphenated(text, a, b))
				b->brk = L_HYPH;
			else if (!ends_sentence(text, a) &&
			    starts_lower(text, b))
				b->brk = L_JOIN;
			else
				b->brk = L_BREAK;
		} else {
			double ha = height(a), hb = height(b);
			double hmin = ha < hb ? ha : hb;
			double indent = b->x0 - a->x0;

			if (fabs(b->y0 - a->y0) < 0.3 * hmin)
				b->brk = L_JOIN;	/* the same row */
			else if (fabs(ha - hb) > 0.2 * (ha > hb ? ha : hb))
				b->brk = L_BREAK;
			else if (b->y0 - a->y1 > G + 0.5 * hmin)
				b->brk = L_BREAK;
			else if (ends_sentence(text, a) &&
			    a->x1 - a->x0 < 0.75 * W)
				b->brk = L_BREAK;
			else if (!item && indent > 0.5 * hb &&
			    indent < 6 * hb)
				b->brk = L_BREAK;
			else if (hyphenated(text, a, b))
				b->brk = L_HYPH;
			else
				b->brk = L_JOIN;
		}
		/* An item's lines hang indented under its text. */
		if (extract_bullet(text + b->off, b->len, prefix, &skip))
			item = true;
		else if (b->brk == L_BREAK)
			item = false;
		a = b;
	}

	/* Headings: short blocks in a big font, without a final stop. */
	for (size_t i = 0; i < n && ngeo >= 3;) {
		size_t j = i + 1, lines = 1, bytes = v[i].len;
		double h = height(&v[i]);
		bool geo = v[i].geo, ok;
		char prefix[16];
		size_t skip;
		uint32_t last;

		if (v[i].drop) {
			i++;
			continue;
		}
		for (; j < n && (v[j].drop || v[j].brk != L_BREAK); j++)
			if (!v[j].drop) {
				lines++;
				bytes += v[j].len;
				geo &= v[j].geo;
				h = h > height(&v[j]) ? h : height(&v[j]);
			}
		last = extract_last_char(text + v[j - 1].off,
		    extract_trimmed(text + v[j - 1].off, v[j - 1].len), NULL);
		/* "1.2 Scope" in a big font is a heading, "• x" is not. */
		ok = geo && lines <= 2 && bytes <= 150 && h >= 1.3 * H &&
		    last != '.' && last != ',' &&
		    !(extract_bullet(text + v[i].off, v[i].len, prefix,
		    &skip) && prefix[0] == '-');
		for (size_t m = i; ok && m < j; m++)
			v[m].heading = h >= 1.7 * H ? 1 : 2;
		i = j;
	}
	free(tmp);
}

struct pdf_text {
	struct buf text;
	struct lines lines;
	size_t visible;		/* bytes of kept characters, a floor of the
				 * output's length */
};

/*
 * Adds the lines of a page; rects, when there is one a character (as
 * poppler promises), give each line its box.
 */
static void
pdf_page(struct pdf_text *p, int page, const char *t,
    const PopplerRectangle *rects, size_t nrects)
{
	size_t base = p->text.len, tlen = strlen(t), chars = 0, first;
	bool geo;
	uint32_t cp;

	for (size_t i = 0; i < tlen;
	    i += extract_utf8_next(t + i, tlen - i, &cp))
		chars++;
	geo = rects != NULL && chars == nrects;
	buf_put(&p->text, t, tlen);
	buf_putc(&p->text, '\n');
	first = p->lines.n;
	chars = 0;
	for (size_t i = 0, start = 0; i <= tlen;) {
		struct line *l;
		bool any = false;
		double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY,
		    y1 = -INFINITY;

		for (; i < tlen && t[i] != '\n'; chars++) {
			size_t len = extract_utf8_next(t + i, tlen - i, &cp);

			if (extract_cclass(cp) == C_KEEP) {
				any = true;
				p->visible += len;
				if (geo) {
					const PopplerRectangle *r =
					    &rects[chars];

					x0 = fmin(x0, fmin(r->x1, r->x2));
					x1 = fmax(x1, fmax(r->x1, r->x2));
					y0 = fmin(y0, fmin(r->y1, r->y2));
					y1 = fmax(y1, fmax(r->y1, r->y2));
				}
			}
			i += len;
		}
		if (any) {
			l = extract_lines_add(&p->lines);
			l->off = base + start;
			l->len = i - start;
			l->page = page;
			l->geo = geo;
			l->x0 = x0, l->y0 = y0, l->x1 = x1, l->y1 = y1;
		}
		i++;		/* the '\n' */
		chars++;
		start = i;
	}
	/* Page numbers stand first or last on their page. */
	if (p->lines.n > first) {
		struct line *top = &p->lines.v[first];
		struct line *bottom = &p->lines.v[p->lines.n - 1];

		top->drop = page_number(p->text.s + top->off, top->len);
		bottom->drop = page_number(p->text.s + bottom->off,
		    bottom->len);
	}
}

struct running {
	char *key;
	size_t line;
};

static int
running_cmp(const void *a, const void *b)
{
	return strcmp(((const struct running *)a)->key,
	    ((const struct running *)b)->key);
}

/* A line without its digits and spaces: the key of a running head. */
static void
running_add(struct running *r, size_t *n, const struct pdf_text *p,
    size_t line)
{
	const char *s = p->text.s + p->lines.v[line].off;
	size_t len = p->lines.v[line].len, m = 0;
	char *key = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != ' ')
			key[m++] = s[i];
	key[m] = '\0';
	r[*n].key = key;
	r[(*n)++].line = line;
}

/*
 * Running heads and feet go: a first or last line of a page whose text,
 * digits aside ("Chapter 2: Cells   17"), is the first or last line of at
 * least 3 pages.
 */
static void
pdf_running(struct pdf_text *p, int pages)
{
	struct line *v = p->lines.v;
	struct running *r;
	size_t n = 0;

	if (pages < 3)
		return;
	r = xcalloc(2 * (size_t)pages, sizeof(*r));
	for (size_t i = 0, j; i < p->lines.n; i = j) {
		size_t first = SIZE_MAX, last = SIZE_MAX;

		for (j = i; j < p->lines.n && v[j].page == v[i].page; j++)
			if (!v[j].drop) {
				if (first == SIZE_MAX)
					first = j;
				last = j;
			}
		if (first != SIZE_MAX)
			running_add(r, &n, p, first);
		if (last != first)
			running_add(r, &n, p, last);
	}
	qsort(r, n, sizeof(*r), running_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(r[j].key, r[i].key) == 0; j++)
			;
		for (size_t k = i; j - i >= 3 && r[i].key[0] != '\0' && k < j;
		    k++)
			v[r[k].line].drop = true;
	}
	for (size_t i = 0; i < n; i++)
		free(r[i].key);
	free(r);
}

int
extract_pdf_refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int
extract_pdf(const void *data, size_t len, const struct extract_limits *lim,
    int probe, char **out, struct extract_info *info, char *err,
    size_t errlen)
{
	struct pdf_text p = {0};
	struct em e;
	GBytes *bytes;
	GError *gerr = NULL;
	PopplerDocument *doc;
	char *title;
	int pages, rc = -1;

	if (out != NULL)
		*out = NULL;
	extract_info_clear(info);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0)
		return extract_pdf_refuse(err, errlen,
		    "The file is not a PDF.");
	/* poppler keeps a reference, dropped with the document below. */
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		if (g_error_matches(gerr, POPPLER_ERROR,
		    POPPLER_ERROR_ENCRYPTED))
			extract_pdf_refuse(err, errlen, "The PDF is "
			    "encrypted: save it without a password and "
			    "send it again.");
		else
			extract_pdf_refuse(err, errlen, "The PDF is damaged "
			    "and could not be read.");
		g_clear_error(&gerr);
		return -1;
	}
	pages = poppler_document_get_n_pages(doc);
	if (pages <= 0) {
		extract_pdf_refuse(err, errlen, "The PDF has no pages.");
		goto out;
	}
	if (pages > lim->max_pages) {
		extract_pdf_refuse(err, errlen, "The PDF has %d pages, more "
		    "than the %d allowed.", pages, lim->max_pages);
		goto out;
	}
	if (info != NULL) {
		info->pages = pages;
		if ((title = poppler_document_get_title(doc)) != NULL) {
			extract_set_title(info, title, strlen(title));
			g_free(title);
		}
	}
	if (probe) {
		rc = 0;
		goto out;
	}
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		PopplerRectangle *rects = NULL;
		guint nrects = 0;
		char *t;

		if (page == NULL)
			continue;
		if ((t = poppler_page_get_text(page)) != NULL) {
			if (!poppler_page_get_text_layout(page, &rects,
			    &nrects))
				rects = NULL;
			pdf_page(&p, i, t, rects, nrects);
			g_free(rects);
			g_free(t);
		}
		g_object_unref(page);
		/* Visible characters alone already pass the limit: stop. */
		if (p.visible > lim->max_chars) {
			extract_pdf_refuse(err, errlen, "The material holds "
			    "more than the %zu characters of text allowed.",
			    lim->max_chars);
			goto out;
		}
	}
	if (p.lines.n == 0) {
		extract_pdf_refuse(err, errlen, "The PDF holds no text (a scan "
		    "needs text recognition first).");
		goto out;
	}
	pdf_running(&p, pages);
	pdf_decide(p.text.s, p.lines.v, p.lines.n);
	extract_em_init(&e, lim->max_chars);
	extract_flow(&e, p.text.s, p.lines.v, p.lines.n);
	if ((rc = extract_em_finish(&e, out, err, errlen)) == 0 &&
	    info != NULL && info->title[0] == '\0') {
		/* Without a title in the metadata, the first big heading. */
		const char *h = strncmp(*out, "# ", 2) == 0 ? *out :
		    strstr(*out, "\n# ");

		if (h != NULL) {
			h += h == *out ? 2 : 3;
			extract_set_title(info, h, strcspn(h, "\n"));
		}
	}
out:
	free(p.text.s);
	free(p.lines.v);
	g_object_unref(doc);
	if (rc != 0)
		extract_info_clear(info);
	return rc;
}
