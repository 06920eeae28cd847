/*
 * chunk.c - light Markdown to blocks, blocks to chunks (chunk.h).
 *
 * Chunks are packed greedily in one pass: a block that fits joins the
 * open chunk, one that does not closes it, and one too big for any chunk
 * is cut into units (sentences, items or lines) packed the same way.  A
 * second pass merges chunks left too small.  A chunk is one byte range of
 * the text so that it can be stored as offsets; the price is that a piece
 * of a cut table or code block lacks its header or fence, which the head
 * range gives back.
 */
#include "materials/chunk.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "materials/text.h"

/* A growing array of blocks. */
struct blocks {
	struct chunk_block *v;
	size_t n, cap;
};

static struct chunk_block *
block_new(struct blocks *b, enum chunk_block_kind kind, size_t start,
    size_t end)
{
	struct chunk_block *k;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	k = &b->v[b->n++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->start = start;
	k->end = end;
	k->head = start;
	return k;
}

size_t
chunk_blocks(const char *text, size_t len, struct chunk_block **out)
{
	struct blocks b = {0};
	struct chunk_block *cur = NULL;	/* the block lines may extend */
	size_t ls = 0, lines = 0;	/* lines: of the open table */
	bool code = false;

	while (ls < len) {
		const char *nl = memchr(text + ls, '\n', len - ls);
		size_t le = nl != NULL ? (size_t)(nl - text) : len, body;
		size_t next = nl != NULL ? le + 1 : len;
		int level;
		enum text_line k = text_line_kind(text + ls, le - ls, &body,
		    &level);

		if (code) {
			cur->end = le;
			if (k == LINE_FENCE) {
				code = false;
				cur = NULL;
			}
			ls = next;
			continue;
		}
		if (cur != NULL && ((cur->kind == BLOCK_TABLE && (k == LINE_ROW ||
		    k == LINE_RULE)) || (cur->kind == BLOCK_LIST &&
		    (k == LINE_ITEM || k == LINE_TEXT)) ||
		    (cur->kind == BLOCK_PARAGRAPH && (k == LINE_TEXT ||
		    k == LINE_QUOTE)))) {
			cur->end = le;
			if (cur->kind == BLOCK_TABLE && k == LINE_RULE &&
			    lines++ == 1)
				cur->head = next;
			ls = next;
			continue;
		}
		cur = NULL;
		switch (k) {
		case LINE_FENCE:
			cur = block_new(&b, BLOCK_CODE, ls, le);
			cur->head = next;
			code = true;
			break;
		case LINE_HEADING:
			block_new(&b, BLOCK_HEADING, ls, le)->level = level;
			break;
		case LINE_ROW:
		case LINE_RULE:
			cur = block_new(&b, BLOCK_TABLE, ls, le);
			lines = 1;
			break;
		case LINE_ITEM:
			cur = block_new(&b, BLOCK_LIST, ls, le);
			break;
		case LINE_QUOTE:
		case LINE_TEXT:
			cur = block_new(&b, BLOCK_PARAGRAPH, ls, le);
			break;
		default:
			break;
		}
		ls = next;
	}
	for (size_t i = 0; i < b.n; i++)
		b.v[i].words = (int)text_word_count(text + b.v[i].start,
		    b.v[i].end - b.v[i].start);
	*out = b.v;
	return b.n;
}

/* A chunk being built, with what packing and merging need. */
struct piece {
	size_t start, end, head_start, head_end;
	int words;		/* shown */
	int content;		/* besides headings and the head */
	unsigned kinds;		/* bit per block kind, headings not */
	char *path;
};

struct packer {
	const char *text;
	int max, min, limit;
	struct piece *v;
	size_t n, cap;
	struct piece cur;
	bool open;
	char *title[6];
	char *path;		/* of the last heading read */
	bool full;		/* over the limit: stop */
};

static void
path_update(struct packer *k, int level, const char *text, size_t a,
    size_t b)
{
	struct text_sent *s;
	size_t ns = text_sentences(text + a, b - a, false, &s);
	struct buf p = {0};

	for (int i = level - 1; i < 6; i++) {
		free(k->title[i]);
		k->title[i] = NULL;
	}
	k->title[level - 1] = ns > 0 ? text_plain(text + a + s[0].start,
	    s[0].end - s[0].start) : xstrdup("");
	free(s);
	for (int i = 0; i < level; i++) {
		if (k->title[i] == NULL || k->title[i][0] == '\0')
			continue;
		if (p.len > 0)
			buf_puts(&p, " > ");
		buf_puts(&p, k->title[i]);
	}
	free(k->path);
	k->path = buf_take(&p);
}

static void
close_piece(struct packer *k)
{
	if (!k->open)
		return;
	k->open = false;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 32;
		k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
	}
	k->v[k->n++] = k->cur;
	/* Merging only shrinks the count: stop long before memory does. */
	if (k->n > (size_t)k->limit * 4)
		k->full = true;
}

static void
open_piece(struct packer *k, size_t start)
{
	memset(&k->cur, 0, sizeof(k->cur));
	k->cur.start = k->cur.end = start;
	k->cur.head_start = k->cur.head_end = 0;
	k->cur.path = xstrdup(k->path != NULL ? k->path : "");
	k->open = true;
}

/* Adds the unit text[a..b) of w words, of a block of kind bit. */
static void
add_unit(struct packer *k, size_t a, size_t b, int w, unsigned bit,
    size_t head_start, size_t head_end)
{
	if (k->open && k->cur.kinds != 0 && k->cur.content + w > k->max)
		close_piece(k);
	if (!k->open) {
		open_piece(k, a);
		/* A piece that continues a table or code shows its head. */
		if (head_end > head_start && a >= head_end) {
			k->cur.head_start = head_start;
			k->cur.head_end = head_end;
			k->cur.words = (int)text_word_count(k->text + head_start,
			    head_end - head_start);
		}
	}
	k->cur.end = b;
	k->cur.words += w;
	k->cur.content += w;
	k->cur.kinds |= bit;
}

/*
 * Adds a unit, cut between words when it alone is over max_words: a
 * sentence or a line that long has no better place to cut.
 */
static void
add_cut(struct packer *k, size_t a, size_t b, unsigned bit, size_t hs,
    size_t he)
{
	int w = (int)text_word_count(k->text + a, b - a);
	struct text_span word;
	size_t pos = a, from = a, last = a;
	int count = 0;

	if (w <= k->max) {
		add_unit(k, a, b, w, bit, hs, he);
		return;
	}
	while (text_next_word(k->text, b, &pos, &word)) {
		if (count == k->max) {
			add_unit(k, from, last, count, bit, hs, he);
			from = word.start;
			count = 0;
		}
		count++;
		last = word.end;
	}
	add_unit(k, from, b, count, bit, hs, he);
}

/* The end of the line holding p (no '\n'). */
static size_t
line_end(const char *text, size_t p, size_t end)
{
	const char *nl = memchr(text + p, '\n', end - p);

	return nl != NULL ? (size_t)(nl - text) : end;
}

/* Adds a block too big for one chunk, unit by unit. */
static void
add_split(struct packer *k, const struct chunk_block *b)
{
	const char *t = k->text;
	unsigned bit = 1u << b->kind;
	size_t hs = b->start, he = b->head, p, e;

	if (b->kind == BLOCK_PARAGRAPH) {
		struct text_sent *s;
		size_t ns = text_sentences(t + b->start, b->end - b->start,
		    false, &s);

		for (size_t i = 0; i < ns; i++)
			add_cut(k, b->start + s[i].start, b->start + s[i].end,
			    bit, 0, 0);
		free(s);
		return;
	}
	if (b->kind == BLOCK_LIST) {
		/* An item with its continuation lines is one unit. */
		p = b->start;
		while (p <= b->end) {
			size_t q = p, body;

			e = line_end(t, q, b->end);
			for (q = e + 1; q <= b->end; q = e + 1) {
				size_t qe = line_end(t, q, b->end);

				if (text_line_kind(t + q, qe - q, &body, NULL) ==
				    LINE_ITEM)
					break;
				e = qe;
			}
			add_cut(k, p, e, bit, 0, 0);
			p = e + 1;
		}
		return;
	}
	/*
	 * A table or code: line by line after a first unit that holds the
	 * head and the line after it, so no piece ends on a bare header.
	 */
	if (he > b->end)
		he = b->end;
	p = b->start;
	e = line_end(t, he > p ? he : p, b->end);
	for (;;) {
		add_cut(k, p, e, bit, he > hs ? hs : 0, he > hs ? he : 0);
		if (e >= b->end)
			break;
		p = e + 1;
		e = line_end(t, p, b->end);
	}
}

static void
add_block(struct packer *k, const struct chunk_block *b)
{
	if (b->kind == BLOCK_HEADING) {
		path_update(k, b->level, k->text, b->start, b->end);
		if (k->open && k->cur.kinds != 0)
			close_piece(k);
		if (!k->open)
			open_piece(k, b->start);
		else {
			/* Headings in a row: the chunk takes the last path. */
			free(k->cur.path);
			k->cur.path = xstrdup(k->path);
		}
		k->cur.end = b->end;
		k->cur.words += b->words;
		return;
	}
	if (b->words <= k->max)
		add_unit(k, b->start, b->end, b->words, 1u << b->kind, 0, 0);
	else {
		/* A block cut in pieces starts a chunk of its own. */
		if (k->open && k->cur.kinds != 0)
			close_piece(k);
		add_split(k, b);
	}
}

/* Whether the chunk with path b may merge into one with path a. */
static bool
same_section(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == 0 || strcmp(a, b) == 0 || (strncmp(a, b, n) == 0 &&
	    strncmp(b + n, " > ", 3) == 0);
}

static const char *
type_name(unsigned kinds)
{
	static const char *const names[] = {"section", "paragraph", "list",
	    "table", "code"};

	for (int i = BLOCK_PARAGRAPH; i <= BLOCK_CODE; i++)
		if (kinds == 1u << i)
			return names[i];
	return names[0];
}

int
chunk_text(const char *text, size_t len, const struct chunk_params *p,
    struct chunk **out, size_t *n, char *err, size_t errlen)
{
	struct packer k;
	struct chunk_block *b;
	struct chunk *c;
	size_t nb, m = 0;

	memset(&k, 0, sizeof(k));
	k.text = text;
	k.max = p != NULL && p->max_words > 0 ? p->max_words :
	    CHUNK_MAX_WORDS;
	k.min = p != NULL && p->min_words > 0 ? p->min_words :
	    CHUNK_MIN_WORDS;
	k.limit = p != NULL && p->max_chunks > 0 ? p->max_chunks :
	    CHUNK_MAX_CHUNKS;
	if (k.min > k.max)
		k.min = k.max;
	*out = NULL;
	*n = 0;
	nb = chunk_blocks(text, len, &b);
	for (size_t i = 0; i < nb && !k.full; i++)
		add_block(&k, &b[i]);
	close_piece(&k);
	free(b);
	for (int i = 0; i < 6; i++)
		free(k.title[i]);
	free(k.path);

	/*
	 * Small chunks join the next of their section while they fit, unless
	 * it shows a head (it would then land in the middle).  A chunk
	 * without a word (an empty heading) is dropped.
	 */
	for (size_t i = 0; i < k.n;) {
		struct piece a = k.v[i++];

		while (i < k.n && a.content < k.min && a.kinds != 0 &&
		    k.v[i].head_end == k.v[i].head_start &&
		    a.content + k.v[i].content <= k.max &&
		    same_section(a.path, k.v[i].path)) {
			a.end = k.v[i].end;
			a.words += k.v[i].words;
			a.content += k.v[i].content;
			a.kinds |= k.v[i].kinds;
			free(k.v[i++].path);
		}
		if (a.words == 0)
			free(a.path);
		else
			k.v[m++] = a;
	}
	if (m > (size_t)k.limit || k.full) {
		for (size_t i = 0; i < m; i++)
			free(k.v[i].path);
		free(k.v);
		snprintf(err, errlen, "the material makes more than %d chunks; "
		    "split it or raise the limit", k.limit);
		return -1;
	}
	c = m > 0 ? xcalloc(m, sizeof(*c)) : NULL;
	for (size_t i = 0; i < m; i++) {
		c[i].order = (int)i;
		c[i].type = type_name(k.v[i].kinds);
		c[i].start = k.v[i].start;
		c[i].end = k.v[i].end;
		c[i].head_start = k.v[i].head_start;
		c[i].head_end = k.v[i].head_end;
		if (c[i].head_end == c[i].head_start)
			c[i].head_start = c[i].head_end = c[i].start;
		c[i].words = k.v[i].words;
		c[i].heading = k.v[i].path;
	}
	free(k.v);
	*out = c;
	*n = m;
	return 0;
}

void
chunks_free(struct chunk *c, size_t n)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(c[i].heading);
	free(c);
}
