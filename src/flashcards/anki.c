/*
 * anki.c - Anki packages read and written (anki.h).
 *
 * Why it is built so.  A package is uploaded by anyone, so reading it is
 * a series of bounded steps, each refusing before it spends more than the
 * limits allow: the zip's directory is checked first (entry count, names,
 * declared sizes and ratios), then the collection is unpacked into a
 * private temporary file while the bytes actually produced are counted (a
 * zip or zstd bomb stops at the limit, whatever the headers claim), then
 * SQLite opens that file read-only and immutable, with views, triggers and
 * extensions off, small limits and a budget of virtual machine steps.
 * Every query is a plain scan with a LIMIT; sorting and joining are done
 * here, in memory bounded by those limits.  Rows that make no sense are
 * skipped and counted, never trusted: an id that names nothing, an
 * ordinal out of range, a time before Anki existed.
 *
 * Writing needs no temporary file: the collection is built in an SQLite
 * database in memory, serialized, and zipped in memory.
 */
#include "flashcards/anki.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <zip.h>
#include <zstd.h>

#include "core/alloc.h"
#include "flashcards/cloze.h"

#define MIB		((uint64_t)1 << 20)
#define RATIO_FLOOR	MIB		/* the ratio counts past this */
#define IO_CHUNK	65536
#define ZSTD_WINDOW_MAX	25		/* 32 MiB; Anki's zstd level uses 2 */
#define MAX_MODELS	10000
#define MAX_TEMPLATES	100000
#define MAX_TAGS	20		/* Ludus's tags_ok() */
#define MAX_TAG_LEN	40
#define MAX_NAME	200		/* a deck's title */
#define MAX_GUID	64
#define REVIEW_MIN	1136073600LL	/* 2006-01-01: before Anki */
#define REVIEW_MAX	4102444800LL	/* 2100-01-01 */
#define DURATION_MAX	86400000	/* a day, in ms */
#define KIND_SKIP	(-1)		/* a note type Ludus cannot take */

static const char *const kind_names[] = {"basic", "reversed", "cloze"};

void
anki_limits_default(struct anki_limits *lim)
{
	lim->max_package = (size_t)(100 * MIB);
	lim->max_entries = 100000;
	lim->max_entry = 256 * MIB;
	lim->max_total = 256 * MIB;
	lim->max_ratio = 200;
	lim->max_json = (size_t)(8 * MIB);
	lim->max_notes = 50000;
	lim->max_cards = 200000;
	lim->max_reviews = 1000000;
	lim->max_field = 10000;
	lim->max_sql_steps = 50000000;
}

static int fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes the reason into why; always -1. */
static int
fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- Text: a growing string, UTF-8, and the field conversions. ---- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sb_put(struct sbuf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_putc(struct sbuf *b, char c)
{
	sb_put(b, &c, 1);
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

/* The string built, never NULL; b is left empty. */
static char *
sb_take(struct sbuf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	memset(b, 0, sizeof(*b));
	return s;
}

static bool
ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* ASCII punctuation: what a backslash escapes in Markdown. */
static bool
ascii_punct(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && !ascii_alnum(c);
}

/*
 * The code point at s[*i] (n bytes in all), advancing *i past it; U+FFFD
 * for a malformed sequence, of which one byte is consumed.
 */
static uint32_t
utf8_get(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char c = s[*i];
	uint32_t cp, min;
	size_t need;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		(*i)++;
		return 0xfffd;
	}
	if (n - *i <= need) {
		(*i)++;
		return 0xfffd;
	}
	for (size_t k = 1; k <= need; k++) {
		unsigned char d = s[*i + k];

		if ((d & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		cp = cp << 6 | (d & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		(*i)++;
		return 0xfffd;
	}
	*i += need + 1;
	return cp;
}

static void
utf8_put(struct sbuf *b, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sb_put(b, u, n);
}

/* Code points of UTF-8 text (continuation bytes not counted). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The named entities decoded; others are left as text. */
static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'},
	{"apos", '\''}, {"nbsp", 0xa0}, {"ndash", 0x2013},
	{"mdash", 0x2014}, {"hellip", 0x2026}, {"lsquo", 0x2018},
	{"rsquo", 0x2019}, {"ldquo", 0x201c}, {"rdquo", 0x201d},
	{"laquo", 0xab}, {"raquo", 0xbb}, {"middot", 0xb7},
	{"bull", 0x2022}, {"times", 0xd7}, {"divide", 0xf7},
	{"deg", 0xb0}, {"plusmn", 0xb1}, {"micro", 0xb5},
	{"copy", 0xa9}, {"reg", 0xae}, {"trade", 0x2122},
	{"euro", 0x20ac}, {"pound", 0xa3}, {"cent", 0xa2},
	{"yen", 0xa5}, {"sect", 0xa7}, {"para", 0xb6},
	{"larr", 0x2190}, {"rarr", 0x2192}, {"uarr", 0x2191},
	{"darr", 0x2193}, {"harr", 0x2194}, {"le", 0x2264},
	{"ge", 0x2265}, {"ne", 0x2260}, {"asymp", 0x2248},
	{"infin", 0x221e},
};

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * An entity after an '&' at s (n bytes left): true with its code point
 * (0 for one to drop: NUL, a surrogate, past U+10FFFF) and its length up
 * to the ';' included; false when s does not hold one.
 */
static bool
entity_at(const char *s, size_t n, uint32_t *cp, size_t *len)
{
	size_t k = 0;

	while (k < n && k < 32 && (ascii_alnum((unsigned char)s[k]) ||
	    (k == 0 && s[k] == '#')))
		k++;
	if (k == 0 || k >= n || s[k] != ';')
		return false;
	*len = k + 1;
	if (s[0] == '#') {
		uint32_t v = 0;
		size_t j = 1;
		int base = 10;

		if (j < k && (s[j] == 'x' || s[j] == 'X')) {
			base = 16;
			j++;
		}
		if (j == k)
			return false;
		for (; j < k; j++) {
			int dv = hex_value((unsigned char)s[j]);

			if (dv < 0 || dv >= base)
				return false;
			v = v * (uint32_t)base + (uint32_t)dv;
			if (v > 0x10ffff)
				v = 0x110000;	/* stays out of range */
		}
		*cp = v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ? 0 : v;
		return true;
	}
	for (size_t e = 0; e < sizeof(entities) / sizeof(entities[0]); e++)
		if (strlen(entities[e].name) == k &&
		    memcmp(entities[e].name, s, k) == 0) {
			*cp = entities[e].cp;
			return true;
		}
	return false;
}

/* HTML being made into lines of plain text. */
struct html {
	struct sbuf out;
	bool space;		/* source white space waits to be written */
	size_t media;
};

static void
html_char(struct html *h, uint32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f') {
		h->space = true;
		return;
	}
	if (cp == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    cp == 0xfeff)
		return;
	if (cp == 0xa0)
		cp = ' ';	/* written, not collapsed */
	if (h->space) {
		h->space = false;
		if (h->out.len > 0 && h->out.s[h->out.len - 1] != '\n' &&
		    h->out.s[h->out.len - 1] != ' ')
			sb_putc(&h->out, ' ');
	}
	utf8_put(&h->out, cp);
}

/* A line break: always for <br> (hard), else only to end a line. */
static void
html_break(struct html *h, bool hard)
{
	h->space = false;
	if (hard || (h->out.len > 0 && h->out.s[h->out.len - 1] != '\n'))
		sb_putc(&h->out, '\n');
}

static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "dd", "details", "div",
	"dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
	"h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
	"section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
};

static bool
is_block(const char *name)
{
	for (size_t i = 0; i < sizeof(block_tags) / sizeof(block_tags[0]); i++)
		if (strcmp(name, block_tags[i]) == 0)
			return true;
	return false;
}

/*
 * Where the tag opening at s[i] ('<') ends (just past its '>'), or n when
 * it is never closed: a browser lets it run to the end, and so does this,
 * which keeps the conversion linear.
 */
static size_t
tag_end(const char *s, size_t n, size_t i)
{
	char quote = 0, prev = 0;

	for (size_t j = i + 1; j < n; j++) {
		char c = s[j];

		if (quote != 0) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if ((c == '"' || c == '\'') && prev == '=')
			quote = c;
		else if (c == '>')
			return j + 1;
		else if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			prev = c;
	}
	return n;
}

/* Index of the first "</name" (any case) at or after i, or n. */
static size_t
find_close(const char *s, size_t n, size_t i, const char *name)
{
	size_t k = strlen(name);

	for (; i + 2 + k <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, k) == 0)
			return i;
	return n;
}

/*
 * The tag at s[i] handled; returns where the text goes on.  Tags are
 * dropped; line breaks and block ends end a line; images, audio and
 * video are counted; scripts, styles and comments vanish whole.
 */
static size_t
html_tag(struct html *h, const char *s, size_t n, size_t i)
{
	char name[16];
	size_t j = i + 1, k = 0, end;
	bool closing = false;

	if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);

		return e != NULL ? (size_t)(e - s) + 3 : n;
	}
	if (j < n && (s[j] == '!' || s[j] == '?'))
		return tag_end(s, n, i);
	if (j < n && s[j] == '/') {
		closing = true;
		j++;
	}
	if (j >= n || !((s[j] >= 'a' && s[j] <= 'z') ||
	    (s[j] >= 'A' && s[j] <= 'Z'))) {
		html_char(h, '<');	/* "a < b": text */
		return i + 1;
	}
	while (j < n && ascii_alnum((unsigned char)s[j])) {
		if (k < sizeof(name) - 1)
			name[k++] = (char)(s[j] | 0x20);
		j++;
	}
	name[k] = '\0';
	end = tag_end(s, n, i);
	if (strcmp(name, "br") == 0)
		html_break(h, true);
	else if (is_block(name))
		html_break(h, false);
	else if (!closing && (strcmp(name, "img") == 0 ||
	    strcmp(name, "audio") == 0 || strcmp(name, "video") == 0))
		h->media++;
	else if (closing && (strcmp(name, "td") == 0 ||
	    strcmp(name, "th") == 0))
		h->space = true;
	else if (!closing && (strcmp(name, "script") == 0 ||
	    strcmp(name, "style") == 0)) {
		size_t c = find_close(s, n, end, name);

		return c < n ? tag_end(s, n, c) : n;
	}
	return end;
}

/* Lines of plain text from len bytes of HTML, into h->out. */
static void
html_lines(struct html *h, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t len;

		if (c == '<') {
			i = html_tag(h, s, n, i);
		} else if (c == '&' && entity_at(s + i + 1, n - i - 1, &cp,
		    &len)) {
			if (cp != 0)
				html_char(h, cp);
			i += 1 + len;
		} else if (c == '[' && n - i >= 7 &&
		    memcmp(s + i, "[sound:", 7) == 0 &&
		    memchr(s + i, ']', n - i) != NULL) {
			const char *e = memchr(s + i, ']', n - i);

			h->media++;
			i = (size_t)(e - s) + 1;
		} else {
			html_char(h, utf8_get((const unsigned char *)s, n, &i));
		}
	}
}

/* True when s (n bytes) starts like an entity name and its ';'. */
static bool
entity_like(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && k < 32 && (ascii_alnum((unsigned char)s[k]) ||
	    (k == 0 && s[k] == '#')))
		k++;
	return k > 0 && k < n && s[k] == ';';
}

static bool
word_byte(unsigned char c)
{
	return ascii_alnum(c) || c >= 0x80;
}

/* True when the line is one character repeated, spaces aside. */
static bool
line_of(const char *s, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != c && s[i] != ' ')
			return false;
	return true;
}

/*
 * A line of text written as Markdown that shows it as it is: what would
 * open a block at the start of the line (#, >, a list marker, a rule or a
 * heading underline) and what would start inline markup (*, `, [, ~, |,
 * _ not inside a word, & before an entity name, \ before punctuation or
 * at the end) gets a backslash.  Braces and colons stay: they are cloze
 * syntax.
 */
static void
markdown_line(struct sbuf *b, const char *s, size_t n)
{
	size_t i = 0;
	unsigned char c0 = (unsigned char)s[0];

	if (c0 == '#' || c0 == '>')
		sb_putc(b, '\\');
	else if ((c0 == '-' || c0 == '+' || c0 == '=') &&
	    (n == 1 || s[1] == ' ' || line_of(s, n, (char)c0)))
		sb_putc(b, '\\');
	else if (c0 >= '0' && c0 <= '9') {
		size_t k = 0;

		while (k < n && k < 10 && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k < 10 && k < n && (s[k] == '.' || s[k] == ')') &&
		    (k + 1 == n || s[k + 1] == ' ')) {
			sb_put(b, s, k);
			sb_putc(b, '\\');
			i = k;
		}
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool esc = false;

		switch (c) {
		case '*':
		case '`':
		case '[':
		case '~':
		case '|':
			esc = true;
			break;
		case '\\':
			esc = i + 1 == n ||
			    ascii_punct((unsigned char)s[i + 1]);
			break;
		case '_':
			esc = !(i > 0 && word_byte((unsigned char)s[i - 1]) &&
			    i + 1 < n && word_byte((unsigned char)s[i + 1]));
			break;
		case '&':
			esc = entity_like(s + i + 1, n - i - 1);
			break;
		}
		if (esc)
			sb_putc(b, '\\');
		sb_putc(b, (char)c);
	}
}

/*
 * Lines to Markdown: each line trimmed, lines that follow each other kept
 * apart by a hard break ("\" at the end), empty lines between them made
 * one paragraph break, empty lines at either end dropped.
 */
static char *
lines_markdown(const char *t, size_t n)
{
	struct sbuf b = {0};
	size_t i = 0, blank = 0;
	bool any = false;

	while (i <= n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t end = nl != NULL ? (size_t)(nl - t) : n, s = i, e = end;

		while (s < e && t[s] == ' ')
			s++;
		while (e > s && t[e - 1] == ' ')
			e--;
		if (s == e) {
			blank += any;
		} else {
			if (any)
				sb_put(&b, blank > 0 ? "\n\n" : "\\\n", 2);
			markdown_line(&b, t + s, e - s);
			any = true;
			blank = 0;
		}
		if (nl == NULL)
			break;
		i = end + 1;
	}
	return sb_take(&b);
}

char *
anki_field_to_markdown(const char *html, size_t len, size_t *media)
{
	struct html h = {{0}, false, 0};
	char *md;

	html_lines(&h, html, len);
	md = lines_markdown(h.out.s != NULL ? h.out.s : "", h.out.len);
	free(h.out.s);
	if (media != NULL)
		*media += h.media;
	return md;
}

char *
anki_markdown_to_field(const char *md)
{
	struct sbuf b = {0};

	for (size_t i = 0; md[i] != '\0'; i++) {
		char c = md[i];

		if (c == '\\' && md[i + 1] == '\n') {
			sb_puts(&b, "<br>");
			i++;
			continue;
		}
		if (c == '\\' && ascii_punct((unsigned char)md[i + 1]))
			c = md[++i];
		switch (c) {
		case '\n':
			sb_puts(&b, "<br>");
			break;
		case '\r':
			break;
		case '&':
			sb_puts(&b, "&amp;");
			break;
		case '<':
			sb_puts(&b, "&lt;");
			break;
		case '>':
			sb_puts(&b, "&gt;");
			break;
		default:
			sb_putc(&b, c);
		}
	}
	return sb_take(&b);
}

/*
 * Anki's tags as Ludus tags: ASCII letters and digits lowercased, every
 * other run (the "::" of a hierarchy too) one hyphen, at most 40
 * characters and 20 tags, each once.
 */
static void
tags_read(const char *s, size_t n, struct anki_note *note)
{
	size_t i = 0;

	while (i < n && note->n_tags < MAX_TAGS) {
		char t[MAX_TAG_LEN + 1];
		size_t start, k = 0;
		bool dup = false;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
			i++;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
			i++;
		if (start == i)
			break;
		for (size_t j = start; j < i && k < MAX_TAG_LEN; j++) {
			unsigned char c = (unsigned char)s[j];

			if (ascii_alnum(c))
				t[k++] = (char)(c >= 'A' && c <= 'Z' ?
				    c | 0x20 : c);
			else if (k > 0 && t[k - 1] != '-')
				t[k++] = '-';
		}
		while (k > 0 && t[k - 1] == '-')
			k--;
		t[k] = '\0';
		for (size_t j = 0; j < note->n_tags && !dup; j++)
			dup = strcmp(note->tags[j], t) == 0;
		if (k == 0 || dup)
			continue;
		note->tags = xrealloc(note->tags,
		    (note->n_tags + 1) * sizeof(*note->tags));
		note->tags[note->n_tags++] = xstrdup(t);
	}
}

/* A guid worth keeping: 1 to 64 bytes of printable ASCII. */
static char *
guid_read(const char *s, size_t n)
{
	if (n == 0 || n > MAX_GUID)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return NULL;
	return xstrndup(s, n);
}

/*
 * A deck name fit for a Ludus title: valid UTF-8, schema 18's 0x1f
 * separators as "::", control characters dropped, trimmed, at most 200
 * characters; "Anki deck" when nothing is left.
 */
static char *
name_clean(const char *s, size_t n)
{
	struct sbuf b = {0};
	size_t i = 0, chars = 0, start, end;
	char *out;

	while (i < n && chars < MAX_NAME) {
		uint32_t cp = utf8_get((const unsigned char *)s, n, &i);

		if (cp == 0x1f) {
			sb_puts(&b, "::");
			chars += 2;
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			sb_putc(&b, ' ');
			chars++;
		} else if (cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0)) {
			utf8_put(&b, cp);
			chars++;
		}
	}
	out = sb_take(&b);
	for (start = 0; out[start] == ' '; start++)
		;
	for (end = strlen(out); end > start && out[end - 1] == ' '; end--)
		;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
	if (out[0] == '\0') {
		free(out);
		return xstrdup("Anki deck");
	}
	/* Cut at 200 characters, "::" counted whole: never past it. */
	while (utf8_chars(out) > MAX_NAME) {
		size_t l = strlen(out);

		while (l > 0 && ((unsigned char)out[l - 1] & 0xc0) == 0x80)
			l--;
		out[l > 0 ? l - 1 : 0] = '\0';
	}
	return out;
}

/* ---- The package: the zip, and the collection unpacked. ---- */

struct package {
	zip_t *za;
	zip_uint64_t coll;	/* the collection's entry */
	uint64_t size, packed;	/* as declared */
	bool zstd;		/* collection.anki21b */
};

/* True when out bytes from in packed bytes pass the ratio limit. */
static bool
too_compressed(uint64_t out, uint64_t in, const struct anki_limits *lim)
{
	if (lim->max_ratio == 0 || out <= RATIO_FLOOR)
		return false;
	if (in > UINT64_MAX / lim->max_ratio)
		return false;
	return out > in * lim->max_ratio;
}

/* A name that could leave the folder it is unpacked in. */
static bool
name_unsafe(const char *name)
{
	const char *p = name;

	if (name[0] == '/' || strchr(name, '\\') != NULL)
		return true;
	if (((name[0] >= 'a' && name[0] <= 'z') ||
	    (name[0] >= 'A' && name[0] <= 'Z')) && name[1] == ':')
		return true;
	while (*p != '\0') {
		size_t seg = strcspn(p, "/");

		if (seg == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += seg;
		if (*p == '/')
			p++;
	}
	return false;
}

/* Which collection a name is: 3 the newest, 0 none. */
static int
collection_rank(const char *name)
{
	if (strcmp(name, "collection.anki21b") == 0)
		return 3;
	if (strcmp(name, "collection.anki21") == 0)
		return 2;
	if (strcmp(name, "collection.anki2") == 0)
		return 1;
	return 0;
}

/* Opens the zip and checks its directory; finds the collection. */
static int
package_open(const void *data, size_t len, const struct anki_limits *lim,
    struct package *pkg, char *why, size_t whylen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_int64_t n;
	zip_stat_t best;
	uint64_t total = 0;
	int rank = 0;

	if (data == NULL || len == 0)
		return fail(why, whylen, "not a zip file (it is empty)");
	if (len > lim->max_package)
		return fail(why, whylen, "the package is larger than %zu bytes",
		    lim->max_package);
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return fail(why, whylen, "the package cannot be read");
	}
	if ((pkg->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		int code = zip_error_code_zip(&ze);

		zip_source_free(src);
		zip_error_fini(&ze);
		return fail(why, whylen, code == ZIP_ER_NOZIP ?
		    "not a zip file" : "the zip file is damaged");
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(pkg->za, 0);
	if (n < 0 || (uint64_t)n > lim->max_entries)
		return fail(why, whylen, "too many entries in the package "
		    "(limit %zu)", lim->max_entries);
	zip_stat_init(&best);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		int r;

		zip_stat_init(&st);
		if (zip_stat_index(pkg->za, (zip_uint64_t)i, 0, &st) != 0 ||
		    (st.valid & ZIP_STAT_NAME) == 0 ||
		    (st.valid & ZIP_STAT_SIZE) == 0 ||
		    (st.valid & ZIP_STAT_COMP_SIZE) == 0)
			return fail(why, whylen, "the zip file is damaged");
		if (name_unsafe(st.name))
			return fail(why, whylen, "path traversal in an entry "
			    "name");
		if (st.size > lim->max_entry)
			return fail(why, whylen, "an entry would unpack to "
			    "more than %" PRIu64 " bytes", lim->max_entry);
		total += st.size;
		if (total > lim->max_total)
			return fail(why, whylen, "the package would unpack to "
			    "more than %" PRIu64 " bytes", lim->max_total);
		if (too_compressed(st.size, st.comp_size, lim))
			return fail(why, whylen, "an entry is compressed more "
			    "than %u to 1", lim->max_ratio);
		if ((r = collection_rank(st.name)) > rank) {
			rank = r;
			best = st;
			pkg->coll = (zip_uint64_t)i;
		}
	}
	if (rank == 0)
		return fail(why, whylen, "no Anki collection in the package");
	if ((best.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 &&
	    best.encryption_method != ZIP_EM_NONE)
		return fail(why, whylen, "the collection is encrypted");
	if ((best.valid & ZIP_STAT_COMP_METHOD) == 0 ||
	    !zip_compression_method_supported(best.comp_method, 0))
		return fail(why, whylen, "the collection is compressed in a "
		    "way Ludus cannot read");
	pkg->size = best.size;
	pkg->packed = best.comp_size;
	pkg->zstd = rank == 3;
	return 0;
}

/* Where the unpacked collection goes, counted and checked. */
struct sink {
	int fd;
	uint64_t written, packed;
	unsigned char head[100];	/* SQLite's header */
	const struct anki_limits *lim;
};

static const char sqlite_magic[16] = "SQLite format 3";

static int
sink_write(struct sink *k, const unsigned char *p, size_t n, char *why,
    size_t whylen)
{
	if (n == 0)
		return 0;
	if (k->written + n > k->lim->max_entry)
		return fail(why, whylen, "an entry would unpack to more than "
		    "%" PRIu64 " bytes", k->lim->max_entry);
	if (too_compressed(k->written + n, k->packed, k->lim))
		return fail(why, whylen, "an entry is compressed more than %u "
		    "to 1", k->lim->max_ratio);
	if (k->written < sizeof(k->head)) {
		size_t c = sizeof(k->head) - (size_t)k->written;

		memcpy(k->head + k->written, p, c < n ? c : n);
	}
	/* Garbage is refused at its 16th byte, not at its 256th MiB. */
	if (k->written < 16 && k->written + n >= 16 &&
	    memcmp(k->head, sqlite_magic, 16) != 0)
		return fail(why, whylen, "the collection is not SQLite");
	k->written += n;
	while (n > 0) {
		ssize_t w = write(k->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail(why, whylen, "could not write a temporary "
			    "file");
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* zstd frames from in, decompressed into k. */
static int
unzstd(ZSTD_DCtx *dz, const unsigned char *in, size_t n, unsigned char *obuf,
    struct sink *k, size_t *left, char *why, size_t whylen)
{
	ZSTD_inBuffer ib = {in, n, 0};
	ZSTD_outBuffer ob;

	do {
		ob.dst = obuf;
		ob.size = IO_CHUNK;
		ob.pos = 0;
		*left = ZSTD_decompressStream(dz, &ob, &ib);
		if (ZSTD_isError(*left))
			return fail(why, whylen, "the collection is not valid "
			    "zstd data");
		if (sink_write(k, obuf, ob.pos, why, whylen) != 0)
			return -1;
	} while (ib.pos < ib.size || ob.pos == ob.size);
	return 0;
}

/*
 * Unpacks the collection into fd, counting every byte produced: past its
 * declared size (a forged header), past max_entry or past the ratio, it
 * stops.  A WAL database is marked a rollback one, since its -wal file
 * is not in the package and SQLite must not look for one.
 */
static int
extract(struct package *pkg, int fd, const struct anki_limits *lim,
    char *why, size_t whylen)
{
	struct sink k = {fd, 0, pkg->packed, {0}, lim};
	unsigned char *in = xmalloc(IO_CHUNK), *obuf = NULL;
	ZSTD_DCtx *dz = NULL;
	zip_file_t *zf;
	uint64_t raw = 0;
	size_t left = 0;
	int rc = -1;

	if ((zf = zip_fopen_index(pkg->za, pkg->coll, 0)) == NULL) {
		fail(why, whylen, "the collection cannot be unpacked");
		goto out;
	}
	if (pkg->zstd) {
		obuf = xmalloc(IO_CHUNK);
		if ((dz = ZSTD_createDCtx()) == NULL ||
		    ZSTD_isError(ZSTD_DCtx_setParameter(dz,
		    ZSTD_d_windowLogMax, ZSTD_WINDOW_MAX))) {
			fail(why, whylen, "out of memory");
			goto out;
		}
	}
	for (;;) {
		zip_int64_t n = zip_fread(zf, in, IO_CHUNK);

		if (n < 0) {
			fail(why, whylen, "the collection is damaged");
			goto out;
		}
		if (n == 0)
			break;
		raw += (uint64_t)n;
		if (raw > pkg->size) {
			fail(why, whylen, "an entry unpacks to more than it "
			    "declares");
			goto out;
		}
		if (dz != NULL ? unzstd(dz, in, (size_t)n, obuf, &k, &left, why,
		    whylen) != 0 : sink_write(&k, in, (size_t)n, why,
		    whylen) != 0)
			goto out;
	}
	if (dz != NULL && (left != 0 || raw == 0)) {
		fail(why, whylen, "the collection is cut short");
		goto out;
	}
	if (k.written < sizeof(k.head) ||
	    memcmp(k.head, sqlite_magic, 16) != 0) {
		fail(why, whylen, "the collection is not SQLite");
		goto out;
	}
	if (k.head[18] == 2 || k.head[19] == 2) {
		static const unsigned char legacy[2] = {1, 1};

		if (pwrite(fd, legacy, 2, 18) != 2) {
			fail(why, whylen, "could not write a temporary file");
			goto out;
		}
	}
	rc = 0;
out:
	if (zf != NULL)
		zip_fclose(zf);
	ZSTD_freeDCtx(dz);
	free(in);
	free(obuf);
	return rc;
}

/* A private file in $TMPDIR or /tmp; its fd, or -1. */
static int
temp_open(char **path)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	*path = xasprintf("%s/ludus-anki-XXXXXX", dir);
	if ((fd = mkostemp(*path, O_CLOEXEC)) < 0) {
		free(*path);
		*path = NULL;
	}
	return fd;
}

/* ---- The collection: SQLite, bounded. ---- */

enum {
	T_COL = 1, T_NOTES = 2, T_CARDS = 4, T_REVLOG = 8, T_NOTETYPES = 16,
	T_TEMPLATES = 32, T_DECKS = 64
};

struct model {
	int64_t id;
	int kind;		/* enum note_kind, or KIND_SKIP */
	unsigned templates;
	bool cloze, occlusion;
};

/* A kept note: its Anki id and place in out->notes. */
struct note_ref {
	int64_t id;
	size_t index;
};

/* What cards a kept note has, by ordinal (bits 0 .. 127). */
struct note_aux {
	int kind;
	uint64_t have[2], used[2];
};

struct card_ref {
	int64_t id;
	size_t index;		/* into out->cards */
};

struct reader {
	sqlite3 *db;
	const struct anki_limits *lim;
	struct anki_deck_data *out;
	uint64_t ticks, max_ticks;
	unsigned tables;
	struct model *models;
	size_t n_models;
	struct note_ref *notes;
	struct note_aux *aux;
	size_t n_refs, cap;
	struct card_ref *cards;
	int64_t deck;		/* holding most cards; -1 for none */
};

static bool
bit_get(const uint64_t m[2], int64_t b)
{
	return b >= 0 && b < 128 && (m[b / 64] >> (b % 64) & 1) != 0;
}

static void
bit_set(uint64_t m[2], int64_t b)
{
	if (b >= 0 && b < 128)
		m[b / 64] |= (uint64_t)1 << (b % 64);
}

/* Anki's "unicase" collation, enough to read tables declared with it. */
static int
unicase(void *arg, int na, const void *a, int nb, const void *b)
{
	int n = na < nb ? na : nb, d;

	(void)arg;
	for (int i = 0; i < n; i++) {
		int ca = ((const unsigned char *)a)[i];
		int cb = ((const unsigned char *)b)[i];

		ca = ca >= 'A' && ca <= 'Z' ? ca | 0x20 : ca;
		cb = cb >= 'A' && cb <= 'Z' ? cb | 0x20 : cb;
		if ((d = ca - cb) != 0)
			return d;
	}
	return na - nb;
}

/* The step budget: a non-zero return interrupts the statement. */
static int
progress(void *arg)
{
	struct reader *rd = arg;

	return ++rd->ticks > rd->max_ticks;
}

/* A reason for a failed SQLite call. */
static int
sql_fail(struct reader *rd, int rc, char *why, size_t whylen)
{
	switch (rc & 0xff) {
	case SQLITE_INTERRUPT:
		return fail(why, whylen, "the collection needs more than %"
		    PRIu64 " steps to read", rd->lim->max_sql_steps);
	case SQLITE_NOTADB:
		return fail(why, whylen, "the collection is not SQLite");
	case SQLITE_CORRUPT:
		return fail(why, whylen, "the collection is damaged");
	case SQLITE_TOOBIG:
		return fail(why, whylen, "a value in the collection is too "
		    "large");
	case SQLITE_NOMEM:
		return fail(why, whylen, "out of memory reading the "
		    "collection");
	default:
		return fail(why, whylen, "the collection is not an Anki "
		    "collection");
	}
}

/*
 * Opens path read-only and immutable (no journal, no lock, no -wal or
 * -shm file), defensive, without triggers, views or extensions, with
 * small limits and the step budget.
 */
static int
collection_open(struct reader *rd, const char *path, char *why,
    size_t whylen)
{
	struct sbuf uri = {0};
	int rc, length;

	sb_puts(&uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (ascii_alnum(*p) || strchr("/._-~", *p) != NULL)
			sb_putc(&uri, (char)*p);
		else {
			char hex[4];

			snprintf(hex, sizeof(hex), "%%%02X", *p);
			sb_puts(&uri, hex);
		}
	}
	sb_puts(&uri, "?immutable=1");
	rc = sqlite3_open_v2(uri.s, &rd->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE,
	    NULL);
	free(uri.s);
	if (rc != SQLITE_OK)
		return fail(why, whylen, "the collection is not SQLite");
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	length = rd->lim->max_json < 32 * MIB ? (int)(32 * MIB) :
	    rd->lim->max_json >= 1000000000 ? 1000000000 :
	    (int)rd->lim->max_json + 1;
	sqlite3_limit(rd->db, SQLITE_LIMIT_LENGTH, length);
	sqlite3_limit(rd->db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(rd->db, SQLITE_LIMIT_COLUMN, 500);
	sqlite3_limit(rd->db, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(rd->db, SQLITE_LIMIT_COMPOUND_SELECT, 4);
	sqlite3_limit(rd->db, SQLITE_LIMIT_VDBE_OP, 25000);
	sqlite3_limit(rd->db, SQLITE_LIMIT_FUNCTION_ARG, 8);
	sqlite3_limit(rd->db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(rd->db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100);
	sqlite3_limit(rd->db, SQLITE_LIMIT_VARIABLE_NUMBER, 8);
	sqlite3_limit(rd->db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	sqlite3_limit(rd->db, SQLITE_LIMIT_WORKER_THREADS, 0);
	sqlite3_busy_timeout(rd->db, 0);
	rd->max_ticks = rd->lim->max_sql_steps / 1000 + 1;
	sqlite3_progress_handler(rd->db, 1000, progress, rd);
	sqlite3_create_collation(rd->db, "unicase", SQLITE_UTF8, NULL,
	    unicase);
	rc = sqlite3_exec(rd->db, "PRAGMA cell_size_check = ON;"
	    "PRAGMA mmap_size = 0;", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sql_fail(rd, rc, why, whylen);
}

static int
prepare(struct reader *rd, const char *sql, sqlite3_stmt **st, char *why,
    size_t whylen)
{
	int rc = sqlite3_prepare_v2(rd->db, sql, -1, st, NULL);

	return rc == SQLITE_OK ? 0 : sql_fail(rd, rc, why, whylen);
}

/* Column i as text and its length; "" for NULL. */
static const char *
col_text(sqlite3_stmt *st, int i, size_t *len)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	*len = s != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return s != NULL ? (const char *)s : "";
}

/* Ends a scan: 0 when it ran to the end, else the reason. */
static int
scan_end(struct reader *rd, sqlite3_stmt *st, int rc, char *why,
    size_t whylen)
{
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_fail(rd, rc, why, whylen);
}

/* The next word of SQL text at *p (comments and blanks skipped). */
static size_t
sql_word(const char **p, char *w, size_t wlen)
{
	const char *s = *p;
	size_t n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f')
			s++;
		if (s[0] == '-' && s[1] == '-')
			s += strcspn(s, "\n");
		else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e != NULL ? e + 2 : s + strlen(s);
		} else
			break;
	}
	while (ascii_alnum((unsigned char)*s) || *s == '_') {
		if (n + 1 < wlen)
			w[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
		s++;
	}
	w[n] = '\0';
	*p = s;
	return n;
}

/* True for "CREATE [TEMP] TABLE ...": not a virtual table, not a view. */
static bool
plain_table(const char *sql)
{
	char w[16];

	if (sql == NULL || sql_word(&sql, w, sizeof(w)) == 0 ||
	    strcmp(w, "CREATE") != 0)
		return false;
	sql_word(&sql, w, sizeof(w));
	if (strcmp(w, "TEMP") == 0 || strcmp(w, "TEMPORARY") == 0)
		sql_word(&sql, w, sizeof(w));
	return strcmp(w, "TABLE") == 0;
}

/* Which of the tables read are there, as plain tables. */
static int
tables_check(struct reader *rd, char *why, size_t whylen)
{
	static const char *const names[] = {"col", "notes", "cards",
	    "revlog", "notetypes", "templates", "decks"};
	sqlite3_stmt *st;
	int rc;

	if (prepare(rd, "SELECT type, name, sql FROM sqlite_master WHERE name "
	    "IN ('col', 'notes', 'cards', 'revlog', 'notetypes', "
	    "'templates', 'decks')", &st, why, whylen) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 2);

		if (type == NULL || name == NULL ||
		    strcmp(type, "table") != 0 || !plain_table(sql))
			continue;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(name, names[i]) == 0)
				rd->tables |= 1u << i;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	if ((rd->tables & (T_NOTES | T_CARDS)) != (T_NOTES | T_CARDS) ||
	    ((rd->tables & T_COL) == 0 &&
	    (rd->tables & (T_NOTETYPES | T_TEMPLATES)) !=
	    (T_NOTETYPES | T_TEMPLATES)))
		return fail(why, whylen, "the collection is not an Anki "
		    "collection");
	return 0;
}

static int
model_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct model *)a)->id;
	int64_t y = ((const struct model *)b)->id;

	return (x > y) - (x < y);
}

static struct model *
model_find(struct reader *rd, int64_t id)
{
	struct model key = {.id = id};

	if (rd->n_models == 0)
		return NULL;
	return bsearch(&key, rd->models, rd->n_models, sizeof(key),
	    model_cmp);
}

/* The kind of every model, once its templates are known. */
static void
models_finish(struct reader *rd)
{
	for (size_t i = 0; i < rd->n_models; i++) {
		struct model *m = &rd->models[i];

		m->kind = m->occlusion ? KIND_SKIP : m->cloze ? NOTE_CLOZE :
		    m->templates == 2 ? NOTE_REVERSED : NOTE_BASIC;
	}
}

/* What a template's question says about its note type. */
static void
template_look(struct model *m, const void *text, size_t n)
{
	if (memmem(text, n, "{{cloze:", 8) != NULL ||
	    memmem(text, n, ":cloze:", 7) != NULL)
		m->cloze = true;
	if (memmem(text, n, "image-occlusion:", 16) != NULL)
		m->occlusion = true;
	m->templates++;
}

/* Schema 11: the note types are JSON in col.models. */
static int
models_json(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	json_t *root = NULL, *m;
	const char *key, *text;
	size_t len;
	int rc;

	if (prepare(rd, "SELECT models FROM col LIMIT 1", &st, why,
	    whylen) != 0)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? fail(why, whylen, "the collection "
		    "is not an Anki collection") : sql_fail(rd, rc, why,
		    whylen);
	}
	text = col_text(st, 0, &len);
	if (len > rd->lim->max_json) {
		sqlite3_finalize(st);
		return fail(why, whylen, "the note types take more than %zu "
		    "bytes", rd->lim->max_json);
	}
	root = json_loadb(text, len, 0, NULL);
	sqlite3_finalize(st);
	if (!json_is_object(root) || json_object_size(root) > MAX_MODELS) {
		json_decref(root);
		return fail(why, whylen, "the note types cannot be read");
	}
	rd->models = xcalloc(json_object_size(root) + 1, sizeof(*rd->models));
	json_object_foreach(root, key, m) {
		struct model *md = &rd->models[rd->n_models++];
		json_t *id = json_object_get(m, "id"), *t;
		size_t i;

		md->id = json_is_integer(id) ? json_integer_value(id) :
		    strtoll(json_is_string(id) ? json_string_value(id) : key,
		    NULL, 10);
		t = json_object_get(m, "type");
		md->cloze = json_is_integer(t) && json_integer_value(t) == 1;
		json_array_foreach(json_object_get(m, "tmpls"), i, t) {
			const char *q = json_string_value(json_object_get(t,
			    "qfmt"));

			if (q != NULL)
				template_look(md, q, strlen(q));
			else
				md->templates++;
		}
	}
	json_decref(root);
	qsort(rd->models, rd->n_models, sizeof(*rd->models), model_cmp);
	models_finish(rd);
	return 0;
}

/* Reads a protobuf varint at p[*i]; false when malformed. */
static bool
pb_uvarint(const unsigned char *p, size_t n, size_t *i, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && *i < n; shift += 7) {
		unsigned char c = p[(*i)++];

		*v |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0)
			return true;
	}
	return false;
}

/*
 * The varint field number `field` of a protobuf message: its value, 0
 * when absent (proto3's default) or when the message is malformed.
 */
static uint64_t
pb_field(const unsigned char *p, size_t n, uint64_t field)
{
	size_t i = 0;
	uint64_t key, v;

	while (i < n) {
		if (!pb_uvarint(p, n, &i, &key))
			return 0;
		switch (key & 7) {
		case 0:
			if (!pb_uvarint(p, n, &i, &v))
				return 0;
			if (key >> 3 == field)
				return v;
			break;
		case 1:
			if (n - i < 8)
				return 0;
			i += 8;
			break;
		case 2:
			if (!pb_uvarint(p, n, &i, &v) || v > n - i)
				return 0;
			i += (size_t)v;
			break;
		case 5:
			if (n - i < 4)
				return 0;
			i += 4;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * Schema 18: note types in notetypes (kind in the config's field 1, 1 for
 * cloze) and their templates in templates (the question in the config).
 */
static int
models_tables(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	size_t cap = 16;
	int rc;

	if (prepare(rd, "SELECT id, config FROM notetypes LIMIT 10001", &st,
	    why, whylen) != 0)
		return -1;
	rd->models = xcalloc(cap, sizeof(*rd->models));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *cfg = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		struct model *m;

		if (rd->n_models == MAX_MODELS) {
			sqlite3_finalize(st);
			return fail(why, whylen, "too many note types (limit "
			    "%d)", MAX_MODELS);
		}
		if (rd->n_models == cap) {
			cap *= 2;
			rd->models = xrealloc(rd->models, cap * sizeof(*m));
		}
		m = &rd->models[rd->n_models++];
		memset(m, 0, sizeof(*m));
		m->id = sqlite3_column_int64(st, 0);
		m->cloze = cfg != NULL && pb_field(cfg, n, 1) == 1;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	qsort(rd->models, rd->n_models, sizeof(*rd->models), model_cmp);
	if (prepare(rd, "SELECT ntid, config FROM templates LIMIT 100001", &st,
	    why, whylen) != 0)
		return -1;
	for (size_t rows = 0; (rc = sqlite3_step(st)) == SQLITE_ROW;) {
		struct model *m = model_find(rd, sqlite3_column_int64(st, 0));
		const void *cfg = sqlite3_column_blob(st, 1);

		if (++rows > MAX_TEMPLATES) {
			sqlite3_finalize(st);
			return fail(why, whylen, "too many card templates "
			    "(limit %d)", MAX_TEMPLATES);
		}
		if (m != NULL)
			template_look(m, cfg != NULL ? cfg : "",
			    (size_t)sqlite3_column_bytes(st, 1));
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	models_finish(rd);
	return 0;
}

/* Appends md to back, after a blank line when back holds something. */
static void
back_add(struct sbuf *back, char *md)
{
	if (md[0] != '\0') {
		if (back->len > 0)
			sb_puts(back, "\n\n");
		sb_puts(back, md);
	}
	free(md);
}

/*
 * One row of notes, kept as a Ludus note or counted as skipped: its note
 * type is one Ludus has no kind for, its front is empty, a basic or
 * reversed note has no back, a field is longer than max_field, or a cloze
 * text has no deletion Ludus reads.
 */
static void
note_take(struct reader *rd, sqlite3_stmt *st)
{
	struct anki_deck_data *d = rd->out;
	struct model *m = model_find(rd, sqlite3_column_int64(st, 1));
	int kind = m != NULL ? m->kind : NOTE_BASIC;
	struct sbuf back = {0};
	struct anki_note note = {0};
	struct note_aux aux = {kind, {0, 0}, {0, 0}};
	const char *flds, *p, *end, *s;
	size_t len, field = 0;
	int ords[CLOZE_MAX], n = 0;
	bool ok;

	if (kind == KIND_SKIP) {
		d->skipped_notes++;
		return;
	}
	flds = col_text(st, 4, &len);
	for (p = flds, end = flds + len; p <= end; field++) {
		const char *sep = memchr(p, 0x1f, (size_t)(end - p));
		size_t flen = (size_t)((sep != NULL ? sep : end) - p);

		if (field == 0)
			note.front = anki_field_to_markdown(p, flen,
			    &d->skipped_media);
		else if (kind != NOTE_REVERSED || field == 1)
			back_add(&back, anki_field_to_markdown(p, flen,
			    &d->skipped_media));
		/* A back past the limit is refused anyway: stop growing it. */
		if (sep == NULL || back.len > 4 * rd->lim->max_field)
			break;
		p = sep + 1;
	}
	note.back = sb_take(&back);
	ok = note.front[0] != '\0' && (kind == NOTE_CLOZE ||
	    note.back[0] != '\0') && utf8_chars(note.front) <=
	    rd->lim->max_field && utf8_chars(note.back) <= rd->lim->max_field;
	if (ok && kind == NOTE_CLOZE) {
		const char *w;

		ok = (n = cloze_ordinals(note.front, ords, &w)) > 0;
		for (int i = 0; i < n; i++)
			bit_set(aux.have, ords[i]);
	} else if (ok) {
		bit_set(aux.have, 0);
		if (kind == NOTE_REVERSED)
			bit_set(aux.have, 1);
	}
	if (!ok) {
		free(note.front);
		free(note.back);
		d->skipped_notes++;
		return;
	}
	note.kind = kind_names[kind];
	s = col_text(st, 2, &len);
	note.guid = guid_read(s, len);
	s = col_text(st, 3, &len);
	tags_read(s, len, &note);
	if (d->n_notes == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 64;
		d->notes = xrealloc(d->notes, rd->cap * sizeof(*d->notes));
		rd->notes = xrealloc(rd->notes, rd->cap * sizeof(*rd->notes));
		rd->aux = xrealloc(rd->aux, rd->cap * sizeof(*rd->aux));
	}
	rd->notes[rd->n_refs].id = sqlite3_column_int64(st, 0);
	rd->notes[rd->n_refs++].index = d->n_notes;
	rd->aux[d->n_notes] = aux;
	d->notes[d->n_notes++] = note;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->index > y->index) - (x->index < y->index);
}

static int
notes_read(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	size_t rows = 0;
	int rc;

	if (prepare(rd, "SELECT id, mid, guid, tags, flds FROM notes LIMIT ?1",
	    &st, why, whylen) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rd->lim->max_notes < INT64_MAX ?
	    (sqlite3_int64)rd->lim->max_notes + 1 : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > rd->lim->max_notes) {
			sqlite3_finalize(st);
			return fail(why, whylen, "too many notes (limit %zu)",
			    rd->lim->max_notes);
		}
		note_take(rd, st);
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	if (rd->n_refs > 0)
		qsort(rd->notes, rd->n_refs, sizeof(*rd->notes), ref_cmp);
	return 0;
}

/* A kept card while the cards are read. */
struct kept {
	int64_t id, did;
	size_t note;
	int ordinal;
};

static int
kept_cmp(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	if (x->note != y->note)
		return (x->note > y->note) - (x->note < y->note);
	return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

static int
card_ref_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct card_ref *)a)->id;
	int64_t y = ((const struct card_ref *)b)->id;

	return (x > y) - (x < y);
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The card of one row, if Ludus has it: its note kept, its ordinal one
 * the note makes, not seen before. */
static bool
card_take(struct reader *rd, sqlite3_stmt *st, struct kept *k)
{
	struct note_ref key = {sqlite3_column_int64(st, 1), 0}, *ref;
	struct note_aux *aux;
	int64_t ord = sqlite3_column_int64(st, 3);
	size_t lo = 0, hi = rd->n_refs;

	/* The first ref with the id: duplicated ids keep their first note. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rd->notes[mid].id < key.id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == rd->n_refs || rd->notes[lo].id != key.id)
		return false;
	ref = &rd->notes[lo];
	aux = &rd->aux[ref->index];
	if (ord < 0 || ord > CLOZE_MAX)
		return false;
	if (aux->kind == NOTE_CLOZE)
		ord++;
	if (!bit_get(aux->have, ord) || bit_get(aux->used, ord))
		return false;
	bit_set(aux->used, ord);
	k->id = sqlite3_column_int64(st, 0);
	k->did = sqlite3_column_int64(st, 2);
	k->note = ref->index;
	k->ordinal = (int)ord;
	return true;
}

static int
cards_read(struct reader *rd, char *why, size_t whylen)
{
	struct anki_deck_data *d = rd->out;
	struct kept *kept = NULL;
	int64_t *dids;
	sqlite3_stmt *st;
	size_t rows = 0, n = 0, cap = 0, run = 0, best = 0;
	int rc;

	if (prepare(rd, "SELECT id, nid, did, ord FROM cards LIMIT ?1", &st,
	    why, whylen) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rd->lim->max_cards < INT64_MAX ?
	    (sqlite3_int64)rd->lim->max_cards + 1 : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > rd->lim->max_cards) {
			sqlite3_finalize(st);
			free(kept);
			return fail(why, whylen, "too many cards (limit %zu)",
			    rd->lim->max_cards);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			kept = xrealloc(kept, cap * sizeof(*kept));
		}
		if (card_take(rd, st, &kept[n]))
			n++;
		else
			d->skipped_cards++;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0) {
		free(kept);
		return -1;
	}
	if (n > 0)
		qsort(kept, n, sizeof(*kept), kept_cmp);
	d->cards = xcalloc(n + 1, sizeof(*d->cards));
	rd->cards = xcalloc(n + 1, sizeof(*rd->cards));
	dids = xcalloc(n + 1, sizeof(*dids));
	for (size_t i = 0; i < n; i++) {
		d->cards[i].note = kept[i].note;
		d->cards[i].ordinal = kept[i].ordinal;
		rd->cards[i].id = kept[i].id;
		rd->cards[i].index = i;
		dids[i] = kept[i].did;
	}
	d->n_cards = n;
	if (n > 0) {
		qsort(rd->cards, n, sizeof(*rd->cards), card_ref_cmp);
		qsort(dids, n, sizeof(*dids), i64_cmp);
	}
	rd->deck = -1;
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && dids[i] == dids[i - 1] ? run + 1 : 1;
		if (run > best) {
			best = run;
			rd->deck = dids[i];
		}
	}
	free(dids);
	free(kept);
	return 0;
}

/* A review while the log is read. */
struct review_row {
	size_t card;
	int64_t at, id;
	int rating, ms;
};

static int
review_cmp(const void *a, const void *b)
{
	const struct review_row *x = a, *y = b;

	if (x->card != y->card)
		return (x->card > y->card) - (x->card < y->card);
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The review log: answers (ease 1 to 4; not the manual entries of type 4
 * nor the ease 0 of rescheduling) of kept cards, at a time Anki could
 * have recorded them.
 */
static int
reviews_read(struct reader *rd, char *why, size_t whylen)
{
	struct anki_deck_data *d = rd->out;
	struct review_row *rows = NULL;
	sqlite3_stmt *st;
	size_t seen = 0, n = 0, cap = 0;
	int rc;

	if ((rd->tables & T_REVLOG) == 0)
		return 0;
	if (prepare(rd, "SELECT id, cid, ease, time, type FROM revlog "
	    "LIMIT ?1", &st, why, whylen) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rd->lim->max_reviews < INT64_MAX ?
	    (sqlite3_int64)rd->lim->max_reviews + 1 : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct card_ref key = {sqlite3_column_int64(st, 1), 0}, *ref;
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t ease = sqlite3_column_int64(st, 2);
		int64_t ms = sqlite3_column_int64(st, 3);

		if (++seen > rd->lim->max_reviews) {
			sqlite3_finalize(st);
			free(rows);
			return fail(why, whylen, "too many reviews (limit %zu)",
			    rd->lim->max_reviews);
		}
		if (ease < 1 || ease > 4 || sqlite3_column_int64(st, 4) == 4)
			continue;
		ref = d->n_cards > 0 ? bsearch(&key, rd->cards, d->n_cards,
		    sizeof(key), card_ref_cmp) : NULL;
		if (ref == NULL || id / 1000 < REVIEW_MIN ||
		    id / 1000 > REVIEW_MAX) {
			d->skipped_reviews++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		rows[n].card = ref->index;
		rows[n].at = id / 1000;
		rows[n].id = id;
		rows[n].rating = (int)ease;
		rows[n++].ms = ms < 0 ? 0 : ms > DURATION_MAX ? DURATION_MAX :
		    (int)ms;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0) {
		free(rows);
		return -1;
	}
	if (n > 0)
		qsort(rows, n, sizeof(*rows), review_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		struct anki_card *c = &d->cards[rows[i].card];

		for (j = i; j < n && rows[j].card == rows[i].card; j++)
			;
		c->reviews = xcalloc(j - i, sizeof(*c->reviews));
		for (size_t k = i; k < j; k++) {
			struct anki_review *r = &c->reviews[c->n_reviews++];

			r->at = rows[k].at;
			r->rating = rows[k].rating;
			r->duration_ms = rows[k].ms;
		}
	}
	free(rows);
	return 0;
}

/* The name of the deck holding most cards, from decks or col.decks. */
static int
deck_name_read(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	const char *text;
	size_t len;
	int rc;

	if (rd->deck < 0) {
		rd->out->name = name_clean("", 0);
		return 0;
	}
	if ((rd->tables & T_DECKS) != 0) {
		if (prepare(rd, "SELECT name FROM decks WHERE id = ?1", &st,
		    why, whylen) != 0)
			return -1;
		sqlite3_bind_int64(st, 1, rd->deck);
		rc = sqlite3_step(st);
		text = rc == SQLITE_ROW ? col_text(st, 0, &len) : "";
		rd->out->name = name_clean(text, rc == SQLITE_ROW ? len : 0);
		return scan_end(rd, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
		    why, whylen);
	}
	if (prepare(rd, "SELECT decks FROM col LIMIT 1", &st, why,
	    whylen) != 0)
		return -1;
	rc = sqlite3_step(st);
	text = rc == SQLITE_ROW ? col_text(st, 0, &len) : "";
	if (rc == SQLITE_ROW && len <= rd->lim->max_json) {
		json_t *decks = json_loadb(text, len, 0, NULL), *deck;
		char key[24];

		snprintf(key, sizeof(key), "%" PRId64, rd->deck);
		deck = json_object_get(decks, key);
		text = json_string_value(json_object_get(deck, "name"));
		rd->out->name = text != NULL ? name_clean(text, strlen(text)) :
		    NULL;
		json_decref(decks);
	}
	if (rd->out->name == NULL)
		rd->out->name = name_clean("", 0);
	return scan_end(rd, st, rc == SQLITE_ROW ? SQLITE_DONE : rc, why,
	    whylen);
}

static void
reader_close(struct reader *rd)
{
	if (rd->db != NULL)
		sqlite3_close_v2(rd->db);
	free(rd->models);
	free(rd->notes);
	free(rd->aux);
	free(rd->cards);
}

int
anki_read(const void *data, size_t len, const struct anki_limits *lim,
    struct anki_deck_data *out, char *why, size_t whylen)
{
	struct anki_limits def;
	struct package pkg = {0};
	struct reader rd = {0};
	char *path = NULL;
	int fd = -1, rc = -1;

	memset(out, 0, sizeof(*out));
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (lim == NULL) {
		anki_limits_default(&def);
		lim = &def;
	}
	rd.lim = lim;
	rd.out = out;
	if (package_open(data, len, lim, &pkg, why, whylen) != 0)
		goto done;
	if ((fd = temp_open(&path)) < 0) {
		fail(why, whylen, "could not make a temporary file");
		goto done;
	}
	if (extract(&pkg, fd, lim, why, whylen) != 0 ||
	    collection_open(&rd, path, why, whylen) != 0 ||
	    tables_check(&rd, why, whylen) != 0)
		goto done;
	if (((rd.tables & (T_NOTETYPES | T_TEMPLATES)) ==
	    (T_NOTETYPES | T_TEMPLATES) ? models_tables(&rd, why, whylen) :
	    models_json(&rd, why, whylen)) != 0)
		goto done;
	if (notes_read(&rd, why, whylen) != 0 ||
	    cards_read(&rd, why, whylen) != 0 ||
	    reviews_read(&rd, why, whylen) != 0 ||
	    deck_name_read(&rd, why, whylen) != 0)
		goto done;
	rc = 0;
done:
	reader_close(&rd);
	if (pkg.za != NULL)
		zip_discard(pkg.za);
	if (fd >= 0)
		close(fd);
	if (path != NULL) {
		unlink(path);
		free(path);
	}
	if (rc != 0)
		anki_free(out);
	return rc;
}

void
anki_free(struct anki_deck_data *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n_notes; i++) {
		struct anki_note *n = &d->notes[i];

		free(n->front);
		free(n->back);
		free(n->guid);
		for (size_t t = 0; t < n->n_tags; t++)
			free(n->tags[t]);
		free(n->tags);
	}
	for (size_t i = 0; i < d->n_cards; i++)
		free(d->cards[i].reviews);
	free(d->notes);
	free(d->cards);
	free(d->name);
	memset(d, 0, sizeof(*d));
}

/* ---- Writing: a schema 11 collection, zipped. ---- */

/* Anki's own schema 11 (rslib/src/storage/schema11.sql). */
static const char schema11[] =
	"CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL,"
	" mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL,"
	" dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,"
	" conf text NOT NULL, models text NOT NULL, decks text NOT NULL,"
	" dconf text NOT NULL, tags text NOT NULL);"
	"CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL,"
	" mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,"
	" tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,"
	" csum integer NOT NULL, flags integer NOT NULL,"
	" data text NOT NULL);"
	"CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL,"
	" did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,"
	" usn integer NOT NULL, type integer NOT NULL,"
	" queue integer NOT NULL, due integer NOT NULL,"
	" ivl integer NOT NULL, factor integer NOT NULL,"
	" reps integer NOT NULL, lapses integer NOT NULL,"
	" left integer NOT NULL, odue integer NOT NULL,"
	" odid integer NOT NULL, flags integer NOT NULL,"
	" data text NOT NULL);"
	"CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL,"
	" usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,"
	" lastIvl integer NOT NULL, factor integer NOT NULL,"
	" time integer NOT NULL, type integer NOT NULL);"
	"CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL,"
	" type integer NOT NULL);"
	"CREATE INDEX ix_notes_usn ON notes (usn);"
	"CREATE INDEX ix_cards_usn ON cards (usn);"
	"CREATE INDEX ix_revlog_usn ON revlog (usn);"
	"CREATE INDEX ix_cards_nid ON cards (nid);"
	"CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
	"CREATE INDEX ix_revlog_cid ON revlog (cid);"
	"CREATE INDEX ix_notes_csum ON notes (csum);";

/* The deck options group every deck of the package uses: Anki's default. */
static const char dconf_json[] =
	"{\"1\": {\"id\": 1, \"mod\": 0, \"name\": \"Default\", \"usn\": 0,"
	" \"maxTaken\": 60, \"autoplay\": true, \"timer\": 0,"
	" \"replayq\": true, \"dyn\": false,"
	" \"new\": {\"bury\": false, \"delays\": [1.0, 10.0],"
	" \"initialFactor\": 2500, \"ints\": [1, 4, 0], \"order\": 1,"
	" \"perDay\": 20},"
	" \"rev\": {\"bury\": false, \"ease4\": 1.3, \"ivlFct\": 1.0,"
	" \"maxIvl\": 36500, \"perDay\": 200, \"hardFactor\": 1.2},"
	" \"lapse\": {\"delays\": [10.0], \"leechAction\": 1,"
	" \"leechFails\": 8, \"minInt\": 1, \"mult\": 0.0}}}";

static const char card_css[] =
	".card {\n    font-family: arial;\n    font-size: 20px;\n"
	"    text-align: center;\n    color: black;\n"
	"    background-color: white;\n}\n";
static const char cloze_css[] =
	".card {\n    font-family: arial;\n    font-size: 20px;\n"
	"    text-align: center;\n    color: black;\n"
	"    background-color: white;\n}\n"
	".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
	".nightMode .cloze {\n    color: lightblue;\n}\n";
static const char latex_pre[] =
	"\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
	"\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n"
	"\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n"
	"\\begin{document}\n";
static const char latex_post[] = "\\end{document}";

/*
 * The three note types, by enum note_kind.  Fixed ids: a second package
 * from Ludus finds its note types already there and reuses them.
 */
static const struct model_def {
	int64_t id;
	const char *name;
	int type;		/* 0 standard, 1 cloze */
	const char *fields[2];
	size_t n_tmpls;
	const char *tmpls[2][3];	/* name, question, answer */
	const char *css;
} model_defs[3] = {
	{1700000000101LL, "Basic (Ludus)", 0, {"Front", "Back"}, 1,
	    {{"Card 1", "{{Front}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}}, card_css},
	{1700000000102LL, "Basic and reversed card (Ludus)", 0,
	    {"Front", "Back"}, 2,
	    {{"Card 1", "{{Front}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"},
	    {"Card 2", "{{Back}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"}}, card_css},
	{1700000000103LL, "Cloze (Ludus)", 1, {"Text", "Back Extra"}, 1,
	    {{"Cloze", "{{cloze:Text}}",
	    "{{cloze:Text}}<br>\n{{Back Extra}}"}}, cloze_css},
};

static json_t *
model_json(const struct model_def *m, int64_t did, int64_t mod)
{
	json_t *flds = json_array(), *tmpls = json_array(), *req = json_array();

	for (size_t i = 0; i < 2; i++)
		json_array_append_new(flds, json_pack("{s:s, s:i, s:b, s:b, "
		    "s:s, s:i, s:[]}", "name", m->fields[i], "ord", (int)i,
		    "sticky", 0, "rtl", 0, "font", "Arial", "size", 20,
		    "media"));
	for (size_t i = 0; i < m->n_tmpls; i++) {
		json_array_append_new(tmpls, json_pack("{s:s, s:i, s:s, s:s, "
		    "s:s, s:s, s:n, s:s, s:i}", "name", m->tmpls[i][0], "ord",
		    (int)i, "qfmt", m->tmpls[i][1], "afmt", m->tmpls[i][2],
		    "bqfmt", "", "bafmt", "", "did", "bfont", "", "bsize", 0));
		json_array_append_new(req, json_pack("[i, s, [i]]", (int)i,
		    "any", (int)i));
	}
	return json_pack("{s:I, s:s, s:i, s:I, s:i, s:i, s:I, s:o, s:o, s:s, "
	    "s:s, s:s, s:b, s:o, s:[], s:[]}", "id", (json_int_t)m->id, "name",
	    m->name, "type", m->type, "mod", (json_int_t)mod, "usn", -1,
	    "sortf", 0, "did", (json_int_t)did, "tmpls", tmpls, "flds", flds,
	    "css", m->css, "latexPre", latex_pre, "latexPost", latex_post,
	    "latexsvg", 0, "req", req, "tags", "vers");
}

static json_t *
deck_json(int64_t id, const char *name, int64_t mod)
{
	return json_pack("{s:I, s:I, s:s, s:i, s:[i,i], s:[i,i], s:[i,i], "
	    "s:[i,i], s:b, s:b, s:s, s:i, s:i, s:i, s:i}", "id",
	    (json_int_t)id, "mod", (json_int_t)mod, "name", name, "usn", -1,
	    "lrnToday", 0, 0, "revToday", 0, 0, "newToday", 0, 0, "timeToday",
	    0, 0, "collapsed", 0, "browserCollapsed", 0, "desc", "", "dyn", 0,
	    "conf", 1, "extendNew", 0, "extendRev", 0);
}

/* The col row's JSON: conf, models, decks; NULL if memory ran out. */
static char *
json_text(json_t *v)
{
	char *s = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	return s;
}

/* A field's text as Anki compares it: tags dropped, entities decoded. */
static char *
field_plain(const char *html)
{
	struct sbuf b = {0};
	size_t n = strlen(html), i = 0;
	char *s;

	while (i < n) {
		uint32_t cp;
		size_t len;

		if (html[i] == '<') {
			const char *e = strchr(html + i, '>');

			i = e != NULL ? (size_t)(e - html) + 1 : n;
		} else if (html[i] == '&' && entity_at(html + i + 1, n - i - 1,
		    &cp, &len)) {
			if (cp != 0)
				utf8_put(&b, cp == 0xa0 ? ' ' : cp);
			i += 1 + len;
		} else
			sb_putc(&b, html[i++]);
	}
	s = sb_take(&b);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	i = strspn(s, " \n");
	memmove(s, s + i, n - i + 1);
	return s;
}

static void
sha1(const void *p, size_t n, unsigned char md[EVP_MAX_MD_SIZE])
{
	unsigned int len;

	EVP_Digest(p, n, md, &len, EVP_sha1(), NULL);
}

/* Anki's checksum: the first 32 bits of the SHA-1 of the plain field. */
static int64_t
field_csum(const char *plain)
{
	unsigned char md[EVP_MAX_MD_SIZE];

	sha1(plain, strlen(plain), md);
	return (int64_t)md[0] << 24 | md[1] << 16 | md[2] << 8 | md[3];
}

/*
 * A guid as Anki makes them (64 bits in base 91) from the note's stable
 * id, or, without one, from its content and place; the stable id itself
 * when it is a plain one (printable ASCII, no space), so that reading the
 * package gives it back.
 */
static char *
note_guid(const struct anki_note *n, size_t index)
{
	static const char table[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
	unsigned char md[EVP_MAX_MD_SIZE];
	char out[16], *p = out + sizeof(out) - 1;
	uint64_t v = 0;
	char *g;

	if (n->guid != NULL &&
	    (g = guid_read(n->guid, strlen(n->guid))) != NULL)
		return g;
	if (n->guid != NULL)
		sha1(n->guid, strlen(n->guid), md);
	else {
		char *s = xasprintf("%zu\x1f%s\x1f%s\x1f%s", index, n->kind,
		    n->front, n->back != NULL ? n->back : "");

		sha1(s, strlen(s), md);
		free(s);
	}
	for (int i = 0; i < 8; i++)
		v = v << 8 | md[i];
	*p = '\0';
	do {
		*--p = table[v % 91];
		v /= 91;
	} while (v != 0);
	return xstrdup(p);
}

/* A card of d->cards looked up by note and ordinal. */
struct card_key {
	size_t note;
	int ordinal;
	size_t index;
};

static int
card_key_cmp(const void *a, const void *b)
{
	const struct card_key *x = a, *y = b;

	if (x->note != y->note)
		return (x->note > y->note) - (x->note < y->note);
	return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

/* A review as written: its card, time and rating. */
struct wreview {
	int64_t at, cid;
	size_t seq;		/* given order: ties keep it */
	int rating, ms, type;
};

static int
seq_cmp(const struct wreview *x, const struct wreview *y)
{
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
wreview_card_cmp(const void *a, const void *b)
{
	const struct wreview *x = a, *y = b;

	if (x->cid != y->cid)
		return (x->cid > y->cid) - (x->cid < y->cid);
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return seq_cmp(x, y);
}

static int
wreview_time_cmp(const void *a, const void *b)
{
	const struct wreview *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	if (x->cid != y->cid)
		return (x->cid > y->cid) - (x->cid < y->cid);
	return seq_cmp(x, y);
}

/* The ordinals a note makes into ords; how many, or -1 with why. */
static int
note_ordinals(const struct anki_note *n, size_t i, int *kind, int *ords,
    char *why, size_t whylen)
{
	const char *w = NULL;
	int count;

	if ((*kind = note_kind_parse(n->kind)) < 0)
		return fail(why, whylen, "note %zu has an unknown kind", i);
	if (n->front == NULL)
		return fail(why, whylen, "note %zu has no front", i);
	if (*kind == NOTE_BASIC || *kind == NOTE_REVERSED) {
		ords[0] = 0;
		ords[1] = 1;
		return *kind == NOTE_BASIC ? 1 : 2;
	}
	if ((count = cloze_ordinals(n->front, ords, &w)) <= 0)
		return fail(why, whylen, "note %zu: %s", i, count < 0 ? w :
		    "a cloze note needs a deletion");
	return count;
}

/* Checks d->cards and their reviews; their keys sorted into keys. */
static int
write_check(const struct anki_deck_data *d, struct card_key *keys,
    size_t *n_reviews, char *why, size_t whylen)
{
	*n_reviews = 0;
	for (size_t i = 0; i < d->n_cards; i++) {
		const struct anki_card *c = &d->cards[i];
		int kind, ords[CLOZE_MAX], n;
		bool found = false;

		if (c->note >= d->n_notes)
			return fail(why, whylen, "card %zu names no note", i);
		if ((n = note_ordinals(&d->notes[c->note], c->note, &kind,
		    ords, why, whylen)) < 0)
			return -1;
		for (int k = 0; k < n; k++)
			found |= ords[k] == c->ordinal;
		if (!found)
			return fail(why, whylen, "card %zu is not one of its "
			    "note's cards", i);
		for (size_t r = 0; r < c->n_reviews; r++) {
			const struct anki_review *rv = &c->reviews[r];

			if (rv->rating < 1 || rv->rating > 4)
				return fail(why, whylen, "card %zu has a "
				    "rating outside 1..4", i);
			if (rv->at < 0 || rv->at > REVIEW_MAX)
				return fail(why, whylen, "card %zu has a "
				    "review at an impossible time", i);
		}
		*n_reviews += c->n_reviews;
		keys[i].note = c->note;
		keys[i].ordinal = c->ordinal;
		keys[i].index = i;
	}
	if (d->n_cards > 0)
		qsort(keys, d->n_cards, sizeof(*keys), card_key_cmp);
	for (size_t i = 1; i < d->n_cards; i++)
		if (card_key_cmp(&keys[i - 1], &keys[i]) == 0)
			return fail(why, whylen, "two cards are the same card "
			    "of note %zu", keys[i].note);
	return 0;
}

struct writer {
	const struct anki_deck_data *d;
	sqlite3 *db;
	sqlite3_stmt *note, *card, *rev;
	struct card_key *keys;
	struct wreview *reviews;
	size_t n_reviews;
	int64_t now, did;
};

/* The col row. */
static int
write_col(struct writer *w)
{
	const char *name = w->d->name != NULL && w->d->name[0] != '\0' ?
	    w->d->name : "Ludus";
	json_t *models = json_object(), *decks = json_object();
	char key[24], *conf, *m, *dk;
	sqlite3_stmt *st;
	int rc = -1;

	for (int k = 0; k < 3; k++) {
		snprintf(key, sizeof(key), "%" PRId64, model_defs[k].id);
		json_object_set_new(models, key, model_json(&model_defs[k],
		    w->did, w->now));
	}
	json_object_set_new(decks, "1", deck_json(1, "Default", w->now));
	snprintf(key, sizeof(key), "%" PRId64, w->did);
	json_object_set_new(decks, key, deck_json(w->did, name, w->now));
	conf = json_text(json_pack("{s:[i], s:I, s:i, s:i, s:i, s:b, s:b, "
	    "s:I, s:I, s:s, s:b, s:b, s:i}", "activeDecks", 1, "curDeck",
	    (json_int_t)w->did, "newSpread", 0, "collapseTime", 1200,
	    "timeLim", 0, "estTimes", 1, "dueCounts", 1, "curModel",
	    (json_int_t)model_defs[0].id, "nextPos",
	    (json_int_t)w->d->n_notes + 1, "sortType", "noteFld",
	    "sortBackwards", 0, "addToCur", 1, "schedVer", 2));
	m = json_text(models);
	dk = json_text(decks);
	if (conf != NULL && m != NULL && dk != NULL &&
	    sqlite3_prepare_v2(w->db, "INSERT INTO col VALUES (1, ?1, ?2, ?2, "
	    "11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, w->now - w->now % 86400);
		sqlite3_bind_int64(st, 2, w->now * 1000);
		sqlite3_bind_text(st, 3, conf, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, dk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, dconf_json, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	free(conf);
	free(m);
	free(dk);
	return rc;
}

/* Tags as Anki keeps them: " a b " (white space inside one made _). */
static char *
tags_field(const struct anki_note *n)
{
	struct sbuf b = {0};

	for (size_t t = 0; t < n->n_tags; t++) {
		if (n->tags[t] == NULL || n->tags[t][0] == '\0')
			continue;
		sb_putc(&b, ' ');
		for (const char *p = n->tags[t]; *p != '\0'; p++)
			sb_putc(&b, *p == ' ' || *p == '\t' || *p == '\n' ||
			    *p == '\r' ? '_' : *p);
	}
	if (b.len > 0)
		sb_putc(&b, ' ');
	return sb_take(&b);
}

/* Note i, its cards and their reviews (gathered in w->reviews). */
static int
write_note(struct writer *w, size_t i, int64_t *next_card, char *why,
    size_t whylen)
{
	const struct anki_note *n = &w->d->notes[i];
	char *front, *back, *flds, *plain, *guid, *tags;
	int kind, ords[CLOZE_MAX], count, rc = -1;

	if ((count = note_ordinals(n, i, &kind, ords, why, whylen)) < 0)
		return -1;
	front = anki_markdown_to_field(n->front);
	back = anki_markdown_to_field(n->back != NULL ? n->back : "");
	flds = xasprintf("%s\x1f%s", front, back);
	plain = field_plain(front);
	guid = note_guid(n, i);
	tags = tags_field(n);
	sqlite3_reset(w->note);
	sqlite3_bind_int64(w->note, 1, w->now * 1000 + (int64_t)i);
	sqlite3_bind_text(w->note, 2, guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->note, 3, model_defs[kind].id);
	sqlite3_bind_int64(w->note, 4, w->now);
	sqlite3_bind_text(w->note, 5, tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->note, 6, flds, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->note, 7, plain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->note, 8, field_csum(plain));
	if (sqlite3_step(w->note) != SQLITE_DONE) {
		fail(why, whylen, "could not build the collection");
		goto out;
	}
	for (int k = 0; k < count; k++) {
		struct card_key key = {i, ords[k], 0}, *found;
		int64_t cid = (*next_card)++;

		sqlite3_reset(w->card);
		sqlite3_bind_int64(w->card, 1, cid);
		sqlite3_bind_int64(w->card, 2, w->now * 1000 + (int64_t)i);
		sqlite3_bind_int64(w->card, 3, w->did);
		sqlite3_bind_int(w->card, 4, kind == NOTE_CLOZE ? ords[k] - 1 :
		    ords[k]);
		sqlite3_bind_int64(w->card, 5, w->now);
		sqlite3_bind_int64(w->card, 6, (int64_t)i + 1);
		if (sqlite3_step(w->card) != SQLITE_DONE) {
			fail(why, whylen, "could not build the collection");
			goto out;
		}
		found = w->d->n_cards > 0 ? bsearch(&key, w->keys,
		    w->d->n_cards, sizeof(key), card_key_cmp) : NULL;
		if (found == NULL)
			continue;
		for (size_t r = 0; r < w->d->cards[found->index].n_reviews;
		    r++) {
			const struct anki_review *rv =
			    &w->d->cards[found->index].reviews[r];
			struct wreview *o = &w->reviews[w->n_reviews];

			o->seq = w->n_reviews++;
			o->at = rv->at;
			o->cid = cid;
			o->rating = rv->rating;
			o->ms = rv->duration_ms < 0 ? 0 : rv->duration_ms;
		}
	}
	rc = 0;
out:
	free(front);
	free(back);
	free(flds);
	free(plain);
	free(guid);
	free(tags);
	return rc;
}

/*
 * The review log: a card's first answer typed learning (0), the others
 * review (1); ids are the times in ms, made unique by a ms where two
 * answers share one.
 */
static int
write_revlog(struct writer *w)
{
	int64_t last = INT64_MIN;

	if (w->n_reviews == 0)
		return 0;
	qsort(w->reviews, w->n_reviews, sizeof(*w->reviews), wreview_card_cmp);
	for (size_t i = 0; i < w->n_reviews; i++)
		w->reviews[i].type = i == 0 ||
		    w->reviews[i].cid != w->reviews[i - 1].cid ? 0 : 1;
	qsort(w->reviews, w->n_reviews, sizeof(*w->reviews), wreview_time_cmp);
	for (size_t i = 0; i < w->n_reviews; i++) {
		const struct wreview *r = &w->reviews[i];
		int64_t id = r->at * 1000 > last ? r->at * 1000 : last + 1;

		last = id;
		sqlite3_reset(w->rev);
		sqlite3_bind_int64(w->rev, 1, id);
		sqlite3_bind_int64(w->rev, 2, r->cid);
		sqlite3_bind_int(w->rev, 3, r->rating);
		sqlite3_bind_int(w->rev, 4, r->ms);
		sqlite3_bind_int(w->rev, 5, r->type);
		if (sqlite3_step(w->rev) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/* The zip of the collection and an empty media list, in memory. */
static int
zip_package(const void *db, size_t dblen, void **out, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_stat_t st;
	zip_t *za;
	zip_int64_t idx;
	void *buf;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return -1;
	}
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	zip_source_keep(src);
	if ((s = zip_source_buffer(za, db, dblen, 0)) == NULL ||
	    (idx = zip_file_add(za, "collection.anki2", s,
	    ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		goto bad;
	}
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
	if ((s = zip_source_buffer(za, "{}", 2, 0)) == NULL ||
	    zip_file_add(za, "media", s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		goto bad;
	}
	if (zip_close(za) != 0)
		goto bad;
	if (zip_source_stat(src, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0 ||
	    zip_source_open(src) != 0) {
		zip_source_free(src);
		return -1;
	}
	buf = xmalloc(st.size > 0 ? st.size : 1);
	if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
		free(buf);
		zip_source_close(src);
		zip_source_free(src);
		return -1;
	}
	zip_source_close(src);
	zip_source_free(src);
	*out = buf;
	*outlen = st.size;
	return 0;
bad:
	zip_discard(za);
	zip_source_free(src);
	return -1;
}

int
anki_write(const struct anki_deck_data *d, void **out, size_t *outlen,
    char *why, size_t whylen)
{
	struct writer w = {0};
	size_t total = 0;
	sqlite3_int64 dblen = 0;
	unsigned char *db = NULL;
	int64_t next_card;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	w.d = d;
	w.keys = xcalloc(d->n_cards + 1, sizeof(*w.keys));
	if (write_check(d, w.keys, &total, why, whylen) != 0)
		goto done;
	w.reviews = xcalloc(total + 1, sizeof(*w.reviews));
	w.now = (int64_t)time(NULL);
	w.did = w.now * 1000;
	next_card = w.now * 1000;
	if (sqlite3_open_v2(":memory:", &w.db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(w.db, schema11, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(w.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    write_col(&w) != 0 ||
	    sqlite3_prepare_v2(w.db, "INSERT INTO notes VALUES (?1, ?2, ?3, "
	    "?4, -1, ?5, ?6, ?7, ?8, 0, '')", -1, &w.note, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w.db, "INSERT INTO cards VALUES (?1, ?2, ?3, "
	    "?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')", -1, &w.card,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w.db, "INSERT INTO revlog VALUES (?1, ?2, -1, "
	    "?3, 0, 0, 0, ?4, ?5)", -1, &w.rev, NULL) != SQLITE_OK) {
		fail(why, whylen, "could not build the collection");
		goto done;
	}
	for (size_t i = 0; i < d->n_notes; i++)
		if (write_note(&w, i, &next_card, why, whylen) != 0)
			goto done;
	if (write_revlog(&w) != 0 ||
	    sqlite3_exec(w.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
	    (db = sqlite3_serialize(w.db, "main", &dblen, 0)) == NULL ||
	    zip_package(db, (size_t)dblen, out, outlen) != 0) {
		fail(why, whylen, "could not build the collection");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(w.note);
	sqlite3_finalize(w.card);
	sqlite3_finalize(w.rev);
	sqlite3_close(w.db);
	sqlite3_free(db);
	free(w.keys);
	free(w.reviews);
	return rc;
}
