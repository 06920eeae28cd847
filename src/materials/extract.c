/*
 * extract.c - uploads to normalized text (extract.h).
 *
 * Every format goes through one writer, struct em, which owns the output
 * rules: it drops control characters, re-encodes invalid UTF-8 as U+FFFD,
 * collapses spaces, and writes the separator before a line only when text
 * for that line arrives.  The readers only say where blocks and lines
 * begin, however deep or empty their input nests, so no rule of the
 * output has to be checked twice.
 *
 * Plain text and PDF both arrive as lines to re-flow into paragraphs
 * (struct line, flow()); a PDF line also carries its box on the page, from
 * which paragraph breaks, headings and hyphenation are guessed.
 *
 * The PDF parser runs in a child process (extract_pdf_sandboxed); all else
 * runs in the server.
 */
#include "materials/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <poppler.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/util.h"

#define HTML_MAX_DEPTH	256	/* elements deeper are skipped */
#define TABLE_MAX_COLS	64
#define CHILD_HEADER_MAX 4096	/* the child's JSON line, newline included */

/* UTF-8 */

/* The character at s as *cp, U+FFFD for a bad byte; its length, >= 1. */
static size_t
utf8_next(const char *s, size_t n, uint32_t *cp)
{
	size_t len = util_utf8_decode(s, n, cp);

	if (len == 0) {
		*cp = 0xfffd;
		return 1;
	}
	return len;
}

static bool
utf8_valid(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0, len; i < n; i += len)
		if ((len = util_utf8_decode(s + i, n - i,
		    &cp)) == 0)
			return false;
	return true;
}

static void
utf8_put(struct buf *b, uint32_t cp)
{
	char s[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | cp >> 18);
		s[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		s[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_put(b, s, 4);
	}
}

/* The character before s + n, and where it starts in *at. */
static uint32_t
last_char(const char *s, size_t n, size_t *at)
{
	uint32_t cp = 0;
	size_t k;

	if (n == 0)
		return 0;
	k = n - 1;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	utf8_next(s + k, n - k, &cp);
	if (at != NULL)
		*at = k;
	return cp;
}

/* What a character becomes in the output. */
enum cclass {
	C_KEEP,
	C_DROP,		/* controls, BOM, soft hyphen, zero-width space */
	C_SPACE,	/* tab and the Unicode spaces */
	C_LINE,		/* a line end */
	C_PARA		/* a line end that also ends a paragraph */
};

static enum cclass
cclass(uint32_t cp)
{
	if (cp == '\n' || cp == '\r' || cp == 0x0b || cp == 0x2028)
		return C_LINE;
	if (cp == 0x0c || cp == 0x2029)
		return C_PARA;
	if (cp == ' ' || cp == '\t' || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000)
		return C_SPACE;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
	    cp == 0x200b || cp == 0x2060 || cp == 0xfeff ||
	    (cp >= 0xfff9 && cp <= 0xfffb))
		return C_DROP;
	return C_KEEP;
}

/* The first character of s that is kept, or 0 when there is none. */
static uint32_t
first_char(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		i += utf8_next(s + i, n - i, &cp);
		if (cclass(cp) == C_KEEP)
			return cp;
	}
	return 0;
}

static bool
has_text(const char *s, size_t n)
{
	return first_char(s, n) != 0;
}

/* The writer */

enum em_mode {
	EM_BLOCK,	/* blocks and lines as asked */
	EM_ITEM,	/* in a list item: only nested lists start lines */
	EM_FLAT		/* in a heading or a table cell: one line */
};

struct em {
	struct buf b;
	size_t max;		/* output bytes allowed */
	bool over;		/* more than max was written: stop */
	int want;		/* newlines due before the next line, 1 or 2 */
	bool space;		/* a space is due before the next character */
	bool inl;		/* the current line has text */
	char prefix[16];	/* due at the start of the next line */
	enum em_mode mode;
	bool cell;		/* '|' becomes '/' */
};

static void
em_init(struct em *e, size_t max)
{
	memset(e, 0, sizeof(*e));
	e->max = max;
}

/* Ends the current line; level 1 asks for a newline, 2 a blank line. */
static void
em_end_line(struct em *e, int level)
{
	e->inl = false;
	if (level > e->want)
		e->want = level;
	e->space = false;
	e->prefix[0] = '\0';
}

/* A break inside a list item or a heading is only a space. */
static void
em_break(struct em *e, int level)
{
	if (e->mode != EM_BLOCK)
		e->space = true;
	else
		em_end_line(e, level);
}

/* Starts a block whose first line begins with prefix, if it gets text. */
static void
em_block(struct em *e, int level, const char *prefix)
{
	if (e->mode != EM_BLOCK) {
		e->space = true;
		return;
	}
	em_end_line(e, level);
	snprintf(e->prefix, sizeof(e->prefix), "%s", prefix);
}

static void
em_check(struct em *e)
{
	if (e->b.len > e->max)
		e->over = true;
}

/* Writes what is due before the next character of a line. */
static void
em_start(struct em *e)
{
	if (!e->inl) {
		if (e->b.len > 0)
			buf_put(&e->b, "\n\n", e->want >= 2 ? 2 : 1);
		buf_puts(&e->b, e->prefix);
		e->prefix[0] = '\0';
		e->inl = true;
		e->want = 0;
	} else if (e->space)
		buf_putc(&e->b, ' ');
	e->space = false;
}

/* Inline text: every kind of white space and line end is one space. */
static void
em_text(struct em *e, const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n && !e->over;) {
		i += utf8_next(s + i, n - i, &cp);
		switch (cclass(cp)) {
		case C_KEEP:
			em_start(e);
			utf8_put(&e->b, e->cell && cp == '|' ? '/' : cp);
			em_check(e);
			break;
		case C_DROP:
			break;
		default:
			e->space = true;
		}
	}
}

static void
em_texts(struct em *e, const char *s)
{
	em_text(e, s, strlen(s));
}

/* A line written as is, in a block of lines (a table). */
static void
em_raw_line(struct em *e, const char *s, size_t n, int level)
{
	em_end_line(e, level);
	em_start(e);
	buf_put(&e->b, s, n);
	em_end_line(e, 1);
	em_check(e);
}

/*
 * Code between fences: lines kept as they are but for tabs (four spaces),
 * control characters, trailing spaces and runs of blank lines.  A line
 * that would close the fence early is indented past what closes one.
 */
static void
em_code(struct em *e, const char *s, size_t n)
{
	struct buf code = {0}, line = {0};
	size_t blanks = 0;
	uint32_t cp;

	if (e->mode != EM_BLOCK) {
		em_text(e, s, n);
		return;
	}
	for (size_t i = 0; i <= n;) {
		enum cclass c = C_LINE;

		if (i < n) {
			i += utf8_next(s + i, n - i, &cp);
			/* A CR LF is one line end. */
			if (cp == '\r' && i < n && s[i] == '\n')
				continue;
			c = cclass(cp);
		} else
			i++;
		if (c == C_KEEP || (c == C_SPACE && cp != '\t'))
			utf8_put(&line, cp);
		else if (c == C_SPACE)
			buf_puts(&line, "    ");
		if (c != C_LINE && c != C_PARA)
			continue;
		while (line.len > 0 && line.s[line.len - 1] == ' ')
			line.len--;
		if (line.len == 0) {
			blanks++;
			continue;
		}
		if (code.len > 0)
			buf_put(&code, "\n\n", blanks > 0 ? 2 : 1);
		blanks = 0;
		{
			size_t lead = 0;

			while (lead < line.len && line.s[lead] == ' ')
				lead++;
			if (lead < 4 && line.len - lead >= 3 &&
			    (strncmp(line.s + lead, "```", 3) == 0 ||
			    strncmp(line.s + lead, "~~~", 3) == 0))
				buf_puts(&code, "    ");
		}
		buf_put(&code, line.s, line.len);
		line.len = 0;
	}
	free(line.s);
	if (code.len > 0) {
		em_end_line(e, 2);
		em_start(e);
		buf_puts(&e->b, "```\n");
		buf_put(&e->b, code.s, code.len);
		buf_puts(&e->b, "\n```");
		em_end_line(e, 2);
		em_check(e);
	}
	free(code.s);
}

/* The text written, ending with one newline, or -1 with err. */
static int
em_finish(struct em *e, char **out, char *err, size_t errlen)
{
	if (!e->over && e->b.len > 0)
		buf_putc(&e->b, '\n');
	em_check(e);
	if (e->over) {
		snprintf(err, errlen, "The material holds more than the %zu "
		    "characters of text allowed.", e->max);
		free(e->b.s);
		return -1;
	}
	if (e->b.len == 0) {
		snprintf(err, errlen, "The material holds no text.");
		free(e->b.s);
		return -1;
	}
	*out = buf_take(&e->b);
	return 0;
}

static void
info_clear(struct extract_info *info)
{
	if (info != NULL)
		memset(info, 0, sizeof(*info));
}

/* info->title from s: one line, at most 255 bytes cut between characters. */
static void
set_title(struct extract_info *info, const char *s, size_t n)
{
	struct em e;
	size_t len;

	if (info == NULL || info->title[0] != '\0' || s == NULL)
		return;
	em_init(&e, SIZE_MAX);
	e.mode = EM_FLAT;
	em_text(&e, s, n);
	if ((len = e.b.len) >= sizeof(info->title)) {
		len = sizeof(info->title) - 1;
		while (len > 0 && (e.b.s[len] & 0xc0) == 0x80)
			len--;
		while (len > 0 && e.b.s[len - 1] == ' ')
			len--;
	}
	if (len > 0)
		memcpy(info->title, e.b.s, len);
	info->title[len] = '\0';
	free(e.b.s);
}

/* Sniffing */

static const struct {
	const char *type;
	enum mat_format fmt;
} types[] = {
	{"text/plain", MAT_TEXT},
	{"text/markdown", MAT_MARKDOWN},
	{"text/x-markdown", MAT_MARKDOWN},
	{"text/html", MAT_HTML},
	{"application/xhtml+xml", MAT_HTML},
	{"application/pdf", MAT_PDF},
};

static bool
is_lws(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The charset parameter of a Content-Type's parameters at p, quotes taken
 * off, into cs; "" when there is none.  Parameters that do not parse are
 * skipped: only the charset matters here.
 */
static void
charset_param(const char *p, char *cs, size_t cslen)
{
	cs[0] = '\0';
	while ((p = strchr(p, ';')) != NULL) {
		const char *name, *eq, *v;
		size_t n = 0;

		for (name = ++p; is_lws(*name); name++)
			;
		if ((eq = strchr(name, '=')) == NULL)
			return;
		if ((size_t)(eq - name) != 7 ||
		    strncasecmp(name, "charset", 7) != 0)
			continue;
		v = eq + 1;
		if (*v == '"')
			for (v++; *v != '\0' && *v != '"' && n + 1 < cslen;)
				cs[n++] = *v++;
		else
			while (*v != '\0' && *v != ';' && !is_lws(*v) &&
			    n + 1 < cslen)
				cs[n++] = *v++;
		cs[n] = '\0';
		return;
	}
}

static int
refuse(int *status, int code, char *err, size_t errlen, const char *msg)
{
	*status = code;
	snprintf(err, errlen, "%s", msg);
	return -1;
}

int
extract_sniff(const char *content_type, const void *data, size_t len,
    enum mat_format *fmt, int *status, char *err, size_t errlen)
{
	const char *t = content_type, *end;
	bool pdf_magic = len >= 5 && memcmp(data, "%PDF-", 5) == 0;
	char cs[32];
	size_t n;
	int found = -1;

	if (t == NULL)
		t = "";
	while (is_lws(*t))
		t++;
	for (end = t; *end != '\0' && *end != ';' && !is_lws(*end); end++)
		;
	n = (size_t)(end - t);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].type) == n &&
		    strncasecmp(types[i].type, t, n) == 0)
			found = (int)i;
	if (found < 0)
		return refuse(status, 415, err, errlen, "Files of this type are "
		    "not taken: send plain text, Markdown, HTML or PDF.");
	*fmt = types[found].fmt;
	if (len == 0)
		return refuse(status, 422, err, errlen, "The file is empty.");
	if (*fmt == MAT_PDF) {
		if (!pdf_magic)
			return refuse(status, 422, err, errlen,
			    "The file is not a PDF.");
		return 0;
	}
	charset_param(end, cs, sizeof(cs));
	if (cs[0] != '\0' && strcasecmp(cs, "utf-8") != 0 &&
	    strcasecmp(cs, "us-ascii") != 0)
		return refuse(status, 415, err, errlen,
		    "The text must be encoded in UTF-8.");
	if (pdf_magic)
		return refuse(status, 422, err, errlen,
		    "The file is a PDF but was sent as text.");
	if (!utf8_valid(data, len))
		return refuse(status, 422, err, errlen,
		    "The file is not valid UTF-8 text.");
	if (!has_text(data, len))
		return refuse(status, 422, err, errlen,
		    "The material holds no text.");
	return 0;
}

/* Lines re-flowed into paragraphs: plain text and PDF */

enum brk {
	L_JOIN,		/* goes on the paragraph of the line before */
	L_HYPH,		/* the same, and the hyphen before it goes */
	L_BREAK		/* starts a block */
};

struct line {
	size_t off, len;	/* in the text */
	enum brk brk;
	int heading;		/* 1..2 for a heading line, else 0 */
	bool drop;		/* a page number */
	bool geo;		/* the box below is known */
	int page;
	double x0, y0, x1, y1;	/* points, y down */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static struct line *
lines_add(struct lines *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/*
 * If the line s opens a list item ("- ", "* ", "• ", "3. ", "3) " ...),
 * its prefix in the output and, in *skip, where its text starts.
 */
static bool
bullet(const char *s, size_t n, char prefix[16], size_t *skip)
{
	/* Marks that are text too, then marks that are only bullets. */
	static const uint32_t marks[] = {'-', '*', '+', 0xb7, 0x2013,
	    0x2022, 0x2023, 0x2043, 0x2219, 0x25a0, 0x25aa, 0x25cb, 0x25cf,
	    0x25e6, 0x27a2, 0xf0a7, 0xf0b7};
	size_t i = 0, len, digits = 0, text_marks = 5;
	bool apart = true;
	uint32_t cp;

	while (i < n && (len = utf8_next(s + i, n - i, &cp)) > 0 &&
	    cclass(cp) == C_SPACE)
		i += len;
	while (i + digits < n && digits < 4 && s[i + digits] >= '0' &&
	    s[i + digits] <= '9')
		digits++;
	if (digits > 0 && digits < 4 && i + digits < n &&
	    (s[i + digits] == '.' || s[i + digits] == ')')) {
		snprintf(prefix, 16, "%.*s. ", (int)digits, s + i);
		i += digits + 1;
	} else if (i < n) {
		size_t k = 0;

		i += utf8_next(s + i, n - i, &cp);
		while (k < sizeof(marks) / sizeof(marks[0]) && cp != marks[k])
			k++;
		if (k == sizeof(marks) / sizeof(marks[0]))
			return false;
		/* PDFs often set a bullet glyph without a space after it. */
		apart = k < text_marks;
		snprintf(prefix, 16, "- ");
	} else
		return false;
	/* A mark must stand apart: "-5 degrees" and "3.14" are text. */
	if (i >= n || (apart && (utf8_next(s + i, n - i, &cp),
	    cclass(cp) != C_SPACE)))
		return false;
	*skip = i;
	return true;
}

/* The line's length without trailing white space and dropped characters. */
static size_t
trimmed(const char *s, size_t n)
{
	while (n > 0) {
		size_t k = n - 1;
		uint32_t cp;

		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		utf8_next(s + k, n - k, &cp);
		if (cclass(cp) == C_KEEP || cp == 0xad)
			break;
		n = k;
	}
	return n;
}

/*
 * Writes lines as blocks: a line that starts a block (L_BREAK), a list
 * item or a heading, or that ends one, separates; other lines join the
 * paragraph with a space, or with nothing when the next line takes the
 * hyphen off this one.
 */
static void
flow(struct em *e, const char *text, struct line *v, size_t n)
{
	enum { NONE, PARA, ITEM, HEAD } cur = NONE;
	size_t i, next;

	/* Where a block starts, now that items and headings are known. */
	for (i = 0; i < n; i++) {
		char prefix[16];
		size_t skip;
		bool item;

		if (v[i].drop)
			continue;
		item = v[i].heading == 0 &&
		    bullet(text + v[i].off, v[i].len, prefix, &skip);
		if (cur == NONE || item || (v[i].heading > 0) != (cur == HEAD))
			v[i].brk = L_BREAK;
		if (v[i].brk == L_BREAK)
			cur = item ? ITEM : v[i].heading > 0 ? HEAD : PARA;
	}
	cur = NONE;
	for (i = 0; i < n && !e->over; i = next) {
		const char *s = text + v[i].off;
		size_t len = v[i].len, skip = 0;
		char prefix[16];

		for (next = i + 1; next < n && v[next].drop; next++)
			;
		if (v[i].drop)
			continue;
		if (v[i].brk == L_BREAK) {
			bool item = v[i].heading == 0 &&
			    bullet(s, len, prefix, &skip);

			if (v[i].heading > 0)
				snprintf(prefix, sizeof(prefix), "%.*s ",
				    v[i].heading, "######");
			else if (!item)
				prefix[0] = '\0';
			em_block(e, item && cur == ITEM ? 1 : 2, prefix);
			cur = item ? ITEM : v[i].heading > 0 ? HEAD : PARA;
		}
		len = trimmed(s, len);
		if (next < n && v[next].brk == L_HYPH) {
			size_t at;

			/* hyphenated() saw the line end on its hyphen. */
			last_char(s, len, &at);
			em_text(e, s + skip, at > skip ? at - skip : 0);
		} else {
			em_text(e, s + skip, len - skip);
			em_texts(e, " ");
		}
	}
}

/*
 * Plain text: lines end at any line end; blank lines (and U+2029, form
 * feeds) end paragraphs.
 */
static void
text_lines(const char *s, size_t n, struct lines *l)
{
	bool para = true;
	size_t start = 0;

	for (size_t i = 0; i <= n;) {
		enum cclass c = C_PARA;
		size_t len = 1, end = i;
		uint32_t cp;

		if (i < n) {
			len = utf8_next(s + i, n - i, &cp);
			c = cclass(cp);
			if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
				len = 2;
		}
		i += len;
		if (c != C_LINE && c != C_PARA)
			continue;
		if (has_text(s + start, end - start)) {
			struct line *ln = lines_add(l);

			ln->off = start;
			ln->len = end - start;
			ln->brk = para ? L_BREAK : L_JOIN;
			para = false;
		} else
			para = true;
		para |= c == C_PARA;
		start = i;
	}
}

static void
text_extract(const char *s, size_t n, struct em *e)
{
	struct lines l = {0};

	text_lines(s, n, &l);
	flow(e, s, l.v, l.n);
	free(l.v);
}

/*
 * Markdown keeps its own syntax, lines and indentation: only characters,
 * inner runs of spaces outside code, trailing spaces and blank lines are
 * normalized.  The title is the first level-1 heading.
 */
static void
markdown_extract(const char *s, size_t n, struct em *e,
    struct extract_info *info)
{
	struct buf line = {0};
	char fence = 0;
	size_t fence_len = 0, blanks = 0;
	uint32_t cp;

	for (size_t i = 0; i <= n && !e->over;) {
		enum cclass c = C_LINE;
		size_t lead = 0, ticks = 0;

		if (i < n) {
			i += utf8_next(s + i, n - i, &cp);
			if (cp == '\r' && i < n && s[i] == '\n')
				continue;
			c = cclass(cp);
		} else
			i++;
		if (c == C_KEEP)
			utf8_put(&line, cp);
		else if (c == C_SPACE) {
			bool keep = true;

			/* Indentation and code keep every space. */
			for (size_t k = 0; fence == 0 && keep && k < line.len;
			    k++)
				keep = line.s[k] == ' ';
			if (keep)
				buf_puts(&line, cp == '\t' ? "    " : " ");
			else if (line.s[line.len - 1] != ' ')
				buf_putc(&line, ' ');
		}
		if (c != C_LINE && c != C_PARA)
			continue;
		while (line.len > 0 && line.s[line.len - 1] == ' ')
			line.len--;
		if (line.len == 0) {
			blanks++;
			continue;
		}
		while (lead < line.len && line.s[lead] == ' ')
			lead++;
		while (lead + ticks < line.len && (line.s[lead] == '`' ||
		    line.s[lead] == '~') && line.s[lead + ticks] ==
		    line.s[lead])
			ticks++;
		if (lead < 4 && ticks >= 3) {
			if (fence == 0) {
				fence = line.s[lead];
				fence_len = ticks;
			} else if (line.s[lead] == fence && ticks >= fence_len &&
			    lead + ticks == line.len)
				fence = 0;
		} else if (fence == 0 && line.len > 2 &&
		    strncmp(line.s, "# ", 2) == 0)
			set_title(info, line.s + 2, line.len - 2);
		em_raw_line(e, line.s, line.len, blanks > 0 ? 2 : 1);
		blanks = c == C_PARA;
		line.len = 0;
	}
	free(line.s);
}

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
		set_title(info, (const char *)s, strlen((const char *)s));
		xmlFree(s);
	}
}

static void
walk_item(struct walk *w, xmlNode *li, const char *prefix, int depth)
{
	struct em *e = w->e;

	em_end_line(e, 1);
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
	em_end_line(e, 1);
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
	em_end_line(e, w->lists > 0 ? 1 : 2);
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
	em_end_line(e, w->lists > 0 ? 1 : 2);
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
		em_init(&sub, outer->max > outer->b.len + t->bytes ?
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
	em_end_line(e, 2);
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
		em_raw_line(e, line.s, line.len, r == 0 ? 2 : 1);
		if (r == 0) {
			line.len = 0;
			buf_putc(&line, '|');
			for (size_t c = 0; c < ncol; c++)
				buf_puts(&line, " --- |");
			em_raw_line(e, line.s, line.len, 1);
		}
	}
	em_end_line(e, 2);
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
			em_texts(e, (const char *)n->content);
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
		em_break(e, 2);
		walk_children(w, n, depth);
		em_break(e, 2);
		break;
	case H_BREAK:
		em_break(e, 2);
		break;
	case H_HEADING:
		snprintf(prefix, sizeof(prefix), "%.*s ", n->name[1] - '0',
		    "######");
		if (n->name[1] == '1' && w->h1[0] == '\0') {
			struct extract_info h1 = {0};

			node_title(n, &h1);
			memcpy(w->h1, h1.title, sizeof(w->h1));
		}
		em_block(e, 2, prefix);
		e->mode = EM_FLAT;
		walk_children(w, n, depth);
		e->mode = saved;
		em_break(e, 2);
		break;
	case H_LIST:
	case H_OLIST:
		walk_list(w, n, hkind(n) == H_OLIST, depth);
		break;
	case H_TABLE:
		walk_table(w, n, depth);
		break;
	case H_CELL:
		em_texts(e, " ");
		walk_children(w, n, depth);
		em_texts(e, " ");
		break;
	case H_PRE:
		if (e->mode != EM_BLOCK) {
			walk_children(w, n, depth);
			break;
		}
		pre_text(n, &pre, depth);
		em_code(e, pre.s != NULL ? pre.s : "", pre.len);
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

static int
html_extract(const char *s, size_t n, struct em *e, struct extract_info *info,
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

/* More visible bytes than max: the output would be longer still. */
static bool
too_long(const char *s, size_t n, size_t max)
{
	size_t visible = 0;
	uint32_t cp;

	for (size_t i = 0; i < n && visible <= max;) {
		size_t k = utf8_next(s + i, n - i, &cp);

		if (cclass(cp) == C_KEEP)
			visible += k;
		i += k;
	}
	return visible > max;
}

int
extract_text(enum mat_format fmt, const void *data, size_t len,
    const struct extract_limits *lim, char **out, struct extract_info *info,
    char *err, size_t errlen)
{
	struct em e;
	int rc = 0;

	*out = NULL;
	info_clear(info);
	if (fmt != MAT_TEXT && fmt != MAT_MARKDOWN && fmt != MAT_HTML) {
		snprintf(err, errlen, "A PDF is read with extract_pdf().");
		return -1;
	}
	em_init(&e, lim->max_chars);
	/* Refused before a line array or a copy is built for nothing. */
	if (fmt != MAT_HTML && too_long(data, len, lim->max_chars))
		e.over = true;
	else if (fmt == MAT_TEXT)
		text_extract(data, len, &e);
	else if (fmt == MAT_MARKDOWN)
		markdown_extract(data, len, &e, info);
	else
		rc = html_extract(data, len, &e, info, err, errlen);
	if (rc != 0) {
		free(e.b.s);
		return -1;
	}
	return em_finish(&e, out, err, errlen);
}

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
	return g_unichar_islower(first_char(text + l->off, l->len));
}

/* The line ends a sentence: . ! ? : ; or … before closing quotes. */
static bool
ends_sentence(const char *text, const struct line *l)
{
	const char *s = text + l->off;
	size_t n = trimmed(s, l->len), at;
	uint32_t cp;

	while (n > 0) {
		cp = last_char(s, n, &at);
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
	size_t n = trimmed(s, a->len), at;
	uint32_t cp = last_char(s, n, &at);

	if (cp != '-' && cp != 0xad && cp != 0x2010)
		return false;
	return g_unichar_isalpha(last_char(s, at, NULL)) &&
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
		if (bullet(text + b->off, b->len, prefix, &skip))
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
		last = last_char(text + v[j - 1].off, trimmed(text +
		    v[j - 1].off, v[j - 1].len), NULL);
		/* "1.2 Scope" in a big font is a heading, "• x" is not. */
		ok = geo && lines <= 2 && bytes <= 150 && h >= 1.3 * H &&
		    last != '.' && last != ',' &&
		    !(bullet(text + v[i].off, v[i].len, prefix, &skip) &&
		    prefix[0] == '-');
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

	for (size_t i = 0; i < tlen; i += utf8_next(t + i, tlen - i, &cp))
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
			size_t len = utf8_next(t + i, tlen - i, &cp);

			if (cclass(cp) == C_KEEP) {
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
			l = lines_add(&p->lines);
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

static int
pdf_refuse(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
pdf_refuse(char *err, size_t errlen, const char *fmt, ...)
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
	info_clear(info);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0)
		return pdf_refuse(err, errlen, "The file is not a PDF.");
	/* poppler keeps a reference, dropped with the document below. */
	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		if (g_error_matches(gerr, POPPLER_ERROR,
		    POPPLER_ERROR_ENCRYPTED))
			pdf_refuse(err, errlen, "The PDF is encrypted: save "
			    "it without a password and send it again.");
		else
			pdf_refuse(err, errlen, "The PDF is damaged and could "
			    "not be read.");
		g_clear_error(&gerr);
		return -1;
	}
	pages = poppler_document_get_n_pages(doc);
	if (pages <= 0) {
		pdf_refuse(err, errlen, "The PDF has no pages.");
		goto out;
	}
	if (pages > lim->max_pages) {
		pdf_refuse(err, errlen, "The PDF has %d pages, more than the "
		    "%d allowed.", pages, lim->max_pages);
		goto out;
	}
	if (info != NULL) {
		info->pages = pages;
		if ((title = poppler_document_get_title(doc)) != NULL) {
			set_title(info, title, strlen(title));
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
			pdf_refuse(err, errlen, "The material holds more than "
			    "the %zu characters of text allowed.",
			    lim->max_chars);
			goto out;
		}
	}
	if (p.lines.n == 0) {
		pdf_refuse(err, errlen, "The PDF holds no text (a scan needs "
		    "text recognition first).");
		goto out;
	}
	pdf_running(&p, pages);
	pdf_decide(p.text.s, p.lines.v, p.lines.n);
	em_init(&e, lim->max_chars);
	flow(&e, p.text.s, p.lines.v, p.lines.n);
	if ((rc = em_finish(&e, out, err, errlen)) == 0 && info != NULL &&
	    info->title[0] == '\0') {
		/* Without a title in the metadata, the first big heading. */
		const char *h = strncmp(*out, "# ", 2) == 0 ? *out :
		    strstr(*out, "\n# ");

		if (h != NULL) {
			h += h == *out ? 2 : 3;
			set_title(info, h, strcspn(h, "\n"));
		}
	}
out:
	free(p.text.s);
	free(p.lines.v);
	g_object_unref(doc);
	if (rc != 0)
		info_clear(info);
	return rc;
}

/* The sandbox */

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's environment: nothing of ours but the sanitizers' options. */
static char **
child_env(void)
{
	static const char *const keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS",
	    "LSAN_OPTIONS"};
	char **env = xcalloc(sizeof(keep) / sizeof(keep[0]) + 1,
	    sizeof(*env));
	size_t n = 0;

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = getenv(keep[i]);

		if (v != NULL)
			env[n++] = xasprintf("%s=%s", keep[i], v);
	}
	return env;
}

static void
free_env(char **env)
{
	for (size_t i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* Text from the child must already be what extract_pdf() writes. */
static bool
normalized(const char *s, size_t n)
{
	uint32_t cp;

	if (!utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n;) {
		i += utf8_next(s + i, n - i, &cp);
		if (cp != '\n' && cp != ' ' && cclass(cp) != C_KEEP)
			return false;
	}
	return true;
}

/* Reads the child's answer: a JSON line, then the text. */
static int
child_answer(const char *s, size_t n, size_t max_chars, int probe, char **out,
    struct extract_info *info, char *err, size_t errlen)
{
	const char *nl = memchr(s, '\n', n);
	json_t *h, *v;
	json_error_t jerr;
	int rc = -1;

	if (nl == NULL || (h = json_loadb(s, (size_t)(nl - s), 0, &jerr)) ==
	    NULL)
		return pdf_refuse(err, errlen, "The PDF could not be read.");
	n -= (size_t)(nl + 1 - s);
	s = nl + 1;
	if (!json_is_true(json_object_get(h, "ok"))) {
		v = json_object_get(h, "error");
		pdf_refuse(err, errlen, "%s", json_is_string(v) ?
		    json_string_value(v) : "The PDF could not be read.");
	} else if ((probe && n != 0) || (!probe && (n == 0 ||
	    n > max_chars || s[n - 1] != '\n' || !normalized(s, n))))
		pdf_refuse(err, errlen, "The PDF could not be read.");
	else {
		if (info != NULL) {
			v = json_object_get(h, "title");
			info->pages = (int)json_integer_value(
			    json_object_get(h, "pages"));
			if (json_is_string(v))
				set_title(info, json_string_value(v),
				    json_string_length(v));
		}
		if (!probe && out != NULL)
			*out = xstrndup(s, n);
		rc = 0;
	}
	json_decref(h);
	return rc;
}

int
extract_pdf_sandboxed(const char *argv0, const void *data, size_t len,
    const struct extract_limits *lim, int probe, long timeout_ms,
    char **out, struct extract_info *info, char *err, size_t errlen)
{
	return extract_pdf_sandboxed_cmd(argv0, EXTRACT_PDF_COMMAND, data,
	    len, lim, probe, timeout_ms, out, info, err, errlen);
}

/*
 * Starts `argv0 command --max-chars N --max-pages N [--probe]` with its
 * stdin and stdout on pipes (*to, *from: our ends); its pid, or -1.
 */
static pid_t
spawn_child(const char *argv0, const char *command,
    const struct extract_limits *lim, int probe, int *to, int *from)
{
	char chars[32], pages[32];
	char *argv[8], **env;
	int in[2], out[2], ac = 0, rc;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	snprintf(chars, sizeof(chars), "%zu", lim->max_chars);
	snprintf(pages, sizeof(pages), "%d", lim->max_pages);
	argv[ac++] = (char *)argv0;
	argv[ac++] = (char *)command;
	argv[ac++] = "--max-chars";
	argv[ac++] = chars;
	argv[ac++] = "--max-pages";
	argv[ac++] = pages;
	if (probe)
		argv[ac++] = "--probe";
	argv[ac] = NULL;
	env = child_env();
	/*
	 * dup2 clears close-on-exec on 0 and 1; every other descriptor of
	 * ours (sockets, the database) is closed in the child.  The signal
	 * mask and handlers of this thread are not the child's business.
	 */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, argv0, &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free_env(env);
	close(in[0]);
	close(out[1]);
	if (rc != 0) {
		close(in[1]);
		close(out[0]);
		return -1;
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	*to = in[1];
	*from = out[0];
	return pid;
}

enum pump {
	PUMP_EOF,	/* the child closed its output */
	PUMP_TIMEOUT,
	PUMP_FLOOD,	/* it wrote more than cap */
	PUMP_FAIL
};

/*
 * Writes data to the child while reading what it writes into got, until
 * it closes its output, the deadline passes or got passes cap.  Doing
 * both at once, neither pipe's buffer can stall the pair.  Closes to and
 * from.
 */
static enum pump
pump(int to, int from, const void *data, size_t len, size_t cap,
    long deadline, struct buf *got)
{
	char tmp[16384];
	sigset_t pipeset, oldmask, pending;
	bool epipe = false, was_pending;
	enum pump rc;
	size_t off = 0;

	/* A child that dies before reading all must not kill us with EPIPE. */
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldmask);
	if (len == 0) {
		close(to);
		to = -1;
	}
	for (;;) {
		struct pollfd pfd[2];
		nfds_t nfd = 0;
		long left = deadline - now_ms();
		ssize_t k;
		int pr;

		if (left <= 0) {
			rc = PUMP_TIMEOUT;
			break;
		}
		if (to >= 0)
			pfd[nfd++] = (struct pollfd){to, POLLOUT, 0};
		pfd[nfd++] = (struct pollfd){from, POLLIN, 0};
		pr = poll(pfd, nfd, left > INT_MAX ? INT_MAX : (int)left);
		if (pr < 0 && errno != EINTR) {
			rc = PUMP_FAIL;
			break;
		}
		if (pr <= 0)
			continue;
		if (to >= 0 && pfd[0].revents != 0) {
			k = write(to, (const char *)data + off, len - off >
			    65536 ? 65536 : len - off);
			if (k > 0)
				off += (size_t)k;
			else if (k < 0 && errno != EAGAIN && errno != EINTR) {
				epipe |= errno == EPIPE;
				off = len;	/* it reads no more */
			}
			if (off == len) {
				close(to);
				to = -1;
			}
		}
		if (pfd[nfd - 1].revents == 0)
			continue;
		k = read(from, tmp, sizeof(tmp));
		if (k > 0) {
			buf_put(got, tmp, (size_t)k);
			if (got->len > cap) {
				rc = PUMP_FLOOD;
				break;
			}
		} else if (k == 0) {
			rc = PUMP_EOF;
			break;
		} else if (errno != EAGAIN && errno != EINTR) {
			rc = PUMP_FAIL;
			break;
		}
	}
	if (to >= 0)
		close(to);
	close(from);
	if (epipe && !was_pending) {
		struct timespec zero = {0, 0};

		sigtimedwait(&pipeset, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	return rc;
}

/*
 * Reaps the child: with patience, it has until the deadline to exit (its
 * output is closed, it should be leaving); then, or without patience, it
 * is killed.  -1 when it overstayed or was reaped by someone else.
 */
static int
reap(pid_t pid, bool patience, long deadline, int *status)
{
	while (patience) {
		struct timespec nap = {0, 2 * 1000 * 1000};
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		/* Reaped elsewhere: the pid may be another process now. */
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			break;
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

int
extract_pdf_sandboxed_cmd(const char *argv0, const char *command,
    const void *data, size_t len, const struct extract_limits *lim,
    int probe, long timeout_ms, char **out, struct extract_info *info,
    char *err, size_t errlen)
{
	struct buf got = {0};
	long deadline = now_ms() + timeout_ms;
	int to, from, status = 0, rc = -1;
	enum pump how;
	pid_t pid;

	if (out != NULL)
		*out = NULL;
	info_clear(info);
	if (len > EXTRACT_PDF_MAX_BYTES)
		return pdf_refuse(err, errlen, "The PDF is bigger than the "
		    "%zu MiB allowed.", EXTRACT_PDF_MAX_BYTES >> 20);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0)
		return pdf_refuse(err, errlen, "The file is not a PDF.");
	if ((pid = spawn_child(argv0, command, lim, probe, &to, &from)) < 0)
		return pdf_refuse(err, errlen, "The PDF could not be read "
		    "now; try again later.");
	how = pump(to, from, data, len, lim->max_chars + CHILD_HEADER_MAX,
	    deadline, &got);
	if (reap(pid, how == PUMP_EOF, deadline, &status) != 0 &&
	    how == PUMP_EOF)
		how = now_ms() >= deadline ? PUMP_TIMEOUT : PUMP_FAIL;

	if (how == PUMP_TIMEOUT ||
	    (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
		pdf_refuse(err, errlen, "The PDF could not be read in time.");
	else if (how == PUMP_FLOOD)
		pdf_refuse(err, errlen, "The material holds more than the %zu "
		    "characters of text allowed.", lim->max_chars);
	else if (how == PUMP_FAIL || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		pdf_refuse(err, errlen, "The PDF could not be read.");
	else
		rc = child_answer(got.s != NULL ? got.s : "", got.len,
		    lim->max_chars, probe, out, info, err, errlen);
	free(got.s);
	return rc;
}

/* The child */

static int
limit(int resource, rlim_t value)
{
	struct rlimit rl = {value, value};

	if (resource == RLIMIT_CPU)
		rl.rlim_max = value + 1;	/* SIGXCPU, then SIGKILL */
	return setrlimit(resource, &rl);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static int
limit_self(void)
{
	/* The server may die first; this child must not outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* With no file to write, a write to a file fails with EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	if (limit(RLIMIT_CPU, 30) != 0 || limit(RLIMIT_FSIZE, 0) != 0 ||
	    limit(RLIMIT_NOFILE, 16) != 0 || limit(RLIMIT_CORE, 0) != 0)
		return -1;
#ifndef UNDER_ASAN
	/* AddressSanitizer reserves terabytes of address space up front. */
	if (limit(RLIMIT_AS, (rlim_t)1 << 30) != 0)
		return -1;
#endif
	return 0;
}

static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

static bool
parse_size(const char *s, unsigned long long maxv, unsigned long long *v)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' && *v <= maxv;
}

int
extract_pdf_main(int argc, char **argv)
{
	struct extract_limits lim = {2u << 20, 500};
	struct extract_info info;
	struct buf in = {0};
	char err[256], *text = NULL, *head;
	json_t *h;
	int probe = 0, rc;
	unsigned long long v;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--probe") == 0)
			probe = 1;
		else if (strcmp(argv[i], "--max-chars") == 0 &&
		    parse_size(argv[i + 1], SIZE_MAX / 2, &v))
			lim.max_chars = (size_t)v, i++;
		else if (strcmp(argv[i], "--max-pages") == 0 &&
		    parse_size(argv[i + 1], INT_MAX, &v))
			lim.max_pages = (int)v, i++;
		else {
			fprintf(stderr, "usage: ludus %s [--probe] "
			    "[--max-chars N] [--max-pages N] <pdf\n",
			    EXTRACT_PDF_COMMAND);
			return 2;
		}
	}
	if (limit_self() != 0) {
		fprintf(stderr, "ludus %s: cannot set resource limits\n",
		    EXTRACT_PDF_COMMAND);
		return 2;
	}
	for (;;) {
		char chunk[65536];
		ssize_t k = read(0, chunk, sizeof(chunk));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		buf_put(&in, chunk, (size_t)k);
		if (in.len > EXTRACT_PDF_MAX_BYTES)
			break;
	}
	if (in.len > EXTRACT_PDF_MAX_BYTES)
		rc = pdf_refuse(err, sizeof(err), "The PDF is bigger than the "
		    "%zu MiB allowed.", EXTRACT_PDF_MAX_BYTES >> 20);
	else
		rc = extract_pdf(in.s != NULL ? in.s : "", in.len, &lim, probe,
		    &text, &info, err, sizeof(err));
	free(in.s);
	if (rc == 0)
		h = json_pack("{s:b, s:i, s:s}", "ok", 1, "pages", info.pages,
		    "title", info.title);
	else
		h = json_pack("{s:b, s:s}", "ok", 0, "error", err);
	head = h != NULL ? json_dumps(h, JSON_COMPACT) : NULL;
	json_decref(h);
	rc = 0;
	if (write_all(1, head != NULL ? head : "{\"ok\":false}",
	    strlen(head != NULL ? head : "{\"ok\":false}")) != 0 ||
	    write_all(1, "\n", 1) != 0)
		rc = 1;
	else if (text != NULL && write_all(1, text, strlen(text)) != 0)
		rc = 1;
	free(head);
	free(text);
	return rc;
}
