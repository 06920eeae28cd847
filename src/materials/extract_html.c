/*
 * extract_html.c - HTML to normalized text (extract_int.h), read by
 * libxml2's forgiving HTML parser and walked into the writer: blocks,
 * headings, lists one item a line, tables as pipe lines, <pre> as code.
 * What is no text (scripts, forms, media, navigation) is skipped, and so
 * is whatever nests deeper than HTML_MAX_DEPTH.
 */
#include "materials/extract_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/alloc.h"

#define HTML_MAX_DEPTH	256	/* elements deeper are skipped */
#define TABLE_MAX_COLS	64

/* HTML */

enum hkind {
	H_INLINE,
	H_SKIP,		/* nothing inside is text */
	H_HEAD,		/* skipped but for its <title> */
	H_TITLE,
	H_BLOCK,
	H_BREAK,
	H_HEADING,
	H_LIST,
	H_OLIST,
	H_ITEM,
	H_TABLE,
	H_CELL,		/* td and th outside a table we lay out */
	H_PRE
};

/* Sorted by name, for bsearch. */
static const struct helement {
	const char *name;
	enum hkind kind;
} helements[] = {
	{"address", H_BLOCK}, {"applet", H_SKIP}, {"article", H_BLOCK},
	{"aside", H_BLOCK}, {"audio", H_SKIP}, {"blockquote", H_BLOCK},
	{"body", H_BLOCK}, {"br", H_BREAK}, {"button", H_SKIP},
	{"canvas", H_SKIP}, {"caption", H_BLOCK}, {"center", H_BLOCK},
	{"dd", H_BLOCK}, {"details", H_BLOCK}, {"dialog", H_BLOCK},
	{"dir", H_LIST}, {"div", H_BLOCK}, {"dl", H_BLOCK}, {"dt", H_BLOCK},
	{"embed", H_SKIP}, {"fieldset", H_BLOCK}, {"figcaption", H_BLOCK},
	{"figure", H_BLOCK}, {"footer", H_BLOCK}, {"form", H_SKIP},
	{"frameset", H_SKIP}, {"h1", H_HEADING}, {"h2", H_HEADING},
	{"h3", H_HEADING}, {"h4", H_HEADING}, {"h5", H_HEADING},
	{"h6", H_HEADING}, {"head", H_HEAD}, {"header", H_BLOCK},
	{"hgroup", H_BLOCK}, {"hr", H_BREAK}, {"html", H_BLOCK},
	{"iframe", H_SKIP}, {"legend", H_BLOCK}, {"li", H_ITEM},
	{"listing", H_PRE}, {"main", H_BLOCK}, {"menu", H_LIST},
	{"nav", H_SKIP}, {"noembed", H_SKIP}, {"noframes", H_SKIP},
	{"noscript", H_SKIP}, {"object", H_SKIP}, {"ol", H_OLIST},
	{"p", H_BLOCK}, {"pre", H_PRE}, {"script", H_SKIP},
	{"section", H_BLOCK}, {"select", H_SKIP}, {"style", H_SKIP},
	{"summary", H_BLOCK}, {"svg", H_SKIP}, {"table", H_TABLE},
	{"td", H_CELL}, {"template", H_SKIP}, {"textarea", H_SKIP},
	{"th", H_CELL}, {"title", H_TITLE}, {"tr", H_BLOCK},
	{"ul", H_LIST}, {"video", H_SKIP}, {"xmp", H_PRE},
};

static int
helement_cmp(const void *key, const void *el)
{
	return strcmp(key, ((const struct helement *)el)->name);
}

static enum hkind
hkind(const xmlNode *n)
{
	const struct helement *h;

	if (n->type != XML_ELEMENT_NODE || n->name == NULL)
		return H_INLINE;
	h = bsearch(n->name, helements, sizeof(helements) /
	    sizeof(helements[0]), sizeof(helements[0]), helement_cmp);
	return h != NULL ? h->kind : H_INLINE;
}

static bool
is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

struct walk {
	struct em *e;
	struct extract_info *info;
	char h1[256];		/* the first <h1>, the title without <title> */
	int lists;		/* lists open around the node */
};

static void walk_node(struct walk *, xmlNode *, int);

static void
walk_children(struct walk *w, xmlNode *n, int depth)
{
	for (xmlNode *c = n->children; c != NULL && !w->e->over; c = c->next)
		walk_node(w, c, depth + 1);
}

/* The text content of n, for a title. */
static void
node_title(xmlNode *n, struct extract_info *info)
{
	xmlChar *s = xmlNodeGetContent(n);

	if (s != NULL) {
		extract_set_title(info, (const char *)s,
		    strlen((const char *)s));
		xmlFree(s);
	}
}

static void
walk_item(struct walk *w, xmlNode *li, const char *prefix, int depth)
{
	struct em *e = w->e;

	extract_em_end_line(e, 1);
	snprintf(e->prefix, sizeof(e->prefix), "%s", prefix);
	e->mode = EM_ITEM;
	for (xmlNode *c = li->children; c != NULL && !e->over; c = c->next) {
		enum hkind k = hkind(c);

		walk_node(w, c, depth + 1);
		/* Text after a nested list is an item of this list again. */
		if (k == H_LIST || k == H_OLIST) {
			snprintf(e->prefix, sizeof(e->prefix), "%s", prefix);
			e->mode = EM_ITEM;
		}
	}
	e->mode = EM_BLOCK;
	extract_em_end_line(e, 1);
}

/* A list, nested ones flattened: one item a line, numbered for <ol>. */
static void
walk_list(struct walk *w, xmlNode *list, bool ordered, int depth)
{
	struct em *e = w->e;
	enum em_mode saved = e->mode;
	int number = 1;
	char prefix[16];

	if (e->mode == EM_FLAT) {
		walk_children(w, list, depth);
		return;
	}
	if (ordered) {
		xmlChar *start = xmlGetProp(list, (const xmlChar *)"start");

		if (start != NULL) {
			long n = strtol((const char *)start, NULL, 10);

			number = n >= 0 && n <= 999999 ? (int)n : 1;
			xmlFree(start);
		}
	}
	e->mode = EM_BLOCK;
	extract_em_end_line(e, w->lists > 0 ? 1 : 2);
	w->lists++;
	for (xmlNode *c = list->children; c != NULL && !e->over; c = c->next) {
		enum hkind k = hkind(c);

		if (ordered)
			snprintf(prefix, sizeof(prefix), "%d. ", number);
		else
			snprintf(prefix, sizeof(prefix), "- ");
		if (k == H_ITEM) {
			walk_item(w, c, prefix, depth + 1);
			number += number < 999999;
		} else if (k == H_LIST || k == H_OLIST)
			walk_node(w, c, depth + 1);
		else {
			/* Stray text in a list is an item of its own. */
			if (!e->inl && e->prefix[0] == '\0')
				snprintf(e->prefix, sizeof(e->prefix), "%s",
				    prefix);
			e->mode = EM_ITEM;
			walk_node(w, c, depth + 1);
			e->mode = EM_BLOCK;
		}
	}
	w->lists--;
	extract_em_end_line(e, w->lists > 0 ? 1 : 2);
	e->mode = saved;
}

struct table {
	char **cell;
	size_t ncell, cellcap;
	size_t *row_end;	/* index in cell past each row */
	size_t nrow, rowcap;
	size_t bytes;
};

static void
table_cell(struct table *t, char *s)
{
	if (t->ncell == t->cellcap) {
		t->cellcap = t->cellcap ? t->cellcap * 2 : 16;
		t->cell = xrealloc(t->cell, t->cellcap * sizeof(*t->cell));
	}
	t->bytes += strlen(s) + 3;
	t->cell[t->ncell++] = s;
}

static void
table_row_end(struct table *t)
{
	size_t first = t->nrow > 0 ? t->row_end[t->nrow - 1] : 0;
	bool empty = true;

	for (size_t i = first; i < t->ncell; i++)
		empty &= t->cell[i][0] == '\0';
	if (empty) {
		while (t->ncell > first)
			free(t->cell[--t->ncell]);
		return;
	}
	if (t->nrow == t->rowcap) {
		t->rowcap = t->rowcap ? t->rowcap * 2 : 16;
		t->row_end = xrealloc(t->row_end, t->rowcap *
		    sizeof(*t->row_end));
	}
	t->row_end[t->nrow++] = t->ncell;
}

/* The cells of a row, each rendered on one line with '|' as '/'. */
static void
table_row(struct walk *w, struct table *t, xmlNode *tr, int depth)
{
	size_t first = t->nrow > 0 ? t->row_end[t->nrow - 1] : 0;
	struct em *outer = w->e;

	for (xmlNode *c = tr->children; c != NULL; c = c->next) {
		xmlChar *span;
		long extra = 0;
		struct em sub;

		if (hkind(c) != H_CELL || t->ncell - first >= TABLE_MAX_COLS)
			continue;
		extract_em_init(&sub, outer->max > outer->b.len + t->bytes ?
		    outer->max - outer->b.len - t->bytes : 0);
		sub.mode = EM_FLAT;
		sub.cell = true;
		w->e = &sub;
		walk_children(w, c, depth + 1);
		w->e = outer;
		if (sub.over)
			outer->over = true;
		table_cell(t, buf_take(&sub.b));
		/* A cell spanning columns keeps the columns after it aligned. */
		if ((span = xmlGetProp(c, (const xmlChar *)"colspan")) != NULL) {
			extra = strtol((const char *)span, NULL, 10) - 1;
			xmlFree(span);
		}
		while (extra-- > 0 && t->ncell - first < TABLE_MAX_COLS)
			table_cell(t, xstrdup(""));
	}
	table_row_end(t);
}

static void
table_rows(struct walk *w, struct table *t, xmlNode *n, int depth)
{
	if (depth > HTML_MAX_DEPTH)
		return;
	for (xmlNode *c = n->children; c != NULL && !w->e->over; c = c->next) {
		if (is_element(c, "tr"))
			table_row(w, t, c, depth + 1);
		else if (is_element(c, "thead") || is_element(c, "tbody") ||
		    is_element(c, "tfoot"))
			table_rows(w, t, c, depth + 1);
		else if (is_element(c, "caption"))
			walk_node(w, c, depth + 1);
	}
}

/* A table as pipe lines: the first row is the header. */
static void
walk_table(struct walk *w, xmlNode *table, int depth)
{
	struct em *e = w->e;
	struct table t = {0};
	struct buf line = {0};
	size_t ncol = 0, first = 0;

	if (e->mode != EM_BLOCK) {
		walk_children(w, table, depth);
		return;
	}
	extract_em_end_line(e, 2);
	table_rows(w, &t, table, depth);
	for (size_t r = 0; r < t.nrow; first = t.row_end[r++])
		if (t.row_end[r] - first > ncol)
			ncol = t.row_end[r] - first;
	first = 0;
	for (size_t r = 0; r < t.nrow && !e->over; first = t.row_end[r++]) {
		line.len = 0;
		buf_putc(&line, '|');
		for (size_t c = 0; c < ncol; c++) {
			const char *s = first + c < t.row_end[r] ?
			    t.cell[first + c] : "";

			buf_putc(&line, ' ');
			if (s[0] != '\0') {
				buf_puts(&line, s);
				buf_putc(&line, ' ');
			}
			buf_putc(&line, '|');
		}
		extract_em_raw_line(e, line.s, line.len, r == 0 ? 2 : 1);
		if (r == 0) {
			line.len = 0;
			buf_putc(&line, '|');
			for (size_t c = 0; c < ncol; c++)
				buf_puts(&line, " --- |");
			extract_em_raw_line(e, line.s, line.len, 1);
		}
	}
	extract_em_end_line(e, 2);
	for (size_t i = 0; i < t.ncell; i++)
		free(t.cell[i]);
	free(t.cell);
	free(t.row_end);
	free(line.s);
}

/* The text inside <pre>, line ends kept. */
static void
pre_text(xmlNode *n, struct buf *b, int depth)
{
	if (depth > HTML_MAX_DEPTH)
		return;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (c->content != NULL)
				buf_puts(b, (const char *)c->content);
		} else if (is_element(c, "br"))
			buf_putc(b, '\n');
		else if (c->type == XML_ELEMENT_NODE && hkind(c) != H_SKIP)
			pre_text(c, b, depth + 1);
	}
}

static void
walk_node(struct walk *w, xmlNode *n, int depth)
{
	struct em *e = w->e;
	enum em_mode saved = e->mode;
	struct buf pre = {0};
	char prefix[8];

	if (depth > HTML_MAX_DEPTH)
		return;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			extract_em_texts(e, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	switch (hkind(n)) {
	case H_SKIP:
		break;
	case H_HEAD:
		for (xmlNode *c = n->children; c != NULL; c = c->next)
			if (is_element(c, "title"))
				node_title(c, w->info);
		break;
	case H_TITLE:
		node_title(n, w->info);
		break;
	case H_BLOCK:
	case H_ITEM:
		extract_em_break(e, 2);
		walk_children(w, n, depth);
		extract_em_break(e, 2);
		break;
	case H_BREAK:
		extract_em_break(e, 2);
		break;
	case H_HEADING:
		snprintf(prefix, sizeof(prefix), "%.*s ", n->name[1] - '0',
		    "######");
		if (n->name[1] == '1' && w->h1[0] == '\0') {
			struct extract_info h1 = {0};

			node_title(n, &h1);
			memcpy(w->h1, h1.title, sizeof(w->h1));
		}
		extract_em_block(e, 2, prefix);
		e->mode = EM_FLAT;
		walk_children(w, n, depth);
		e->mode = saved;
		extract_em_break(e, 2);
		break;
	case H_LIST:
	case H_OLIST:
		walk_list(w, n, hkind(n) == H_OLIST, depth);
		break;
	case H_TABLE:
		walk_table(w, n, depth);
		break;
	case H_CELL:
		extract_em_texts(e, " ");
		walk_children(w, n, depth);
		extract_em_texts(e, " ");
		break;
	case H_PRE:
		if (e->mode != EM_BLOCK) {
			walk_children(w, n, depth);
			break;
		}
		pre_text(n, &pre, depth);
		extract_em_code(e, pre.s != NULL ? pre.s : "", pre.len);
		free(pre.s);
		break;
	default:
		walk_children(w, n, depth);
	}
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	/* libxml2 wants its globals set up once, before threads share it. */
	xmlInitParser();
}

int
extract_html(const char *s, size_t n, struct em *e, struct extract_info *info,
    char *err, size_t errlen)
{
	struct walk w = {.e = e, .info = info};
	xmlDoc *doc;
	xmlNode *root;

	pthread_once(&xml_once, xml_init);
	if (n > INT_MAX) {
		snprintf(err, errlen, "The HTML is too big.");
		return -1;
	}
	/* No network, no external entities, no DTD: only what was sent. */
	doc = htmlReadMemory(s, (int)n, NULL, "UTF-8", HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
	if (doc == NULL) {
		snprintf(err, errlen, "The HTML could not be read.");
		return -1;
	}
	if ((root = xmlDocGetRootElement(doc)) != NULL)
		walk_node(&w, root, 0);
	if (info != NULL && info->title[0] == '\0')
		memcpy(info->title, w.h1, sizeof(info->title));
	xmlFreeDoc(doc);
	return 0;
}
