/*
 * anki_field.c - Anki's fields (HTML) as Ludus Markdown and back
 * (anki_field_to_markdown and anki_markdown_to_field in anki.h), and the
 * text helpers that the reader and the writer share with it (anki_int.h):
 * a growing string, ASCII classes, UTF-8 and HTML entities.
 *
 * A field comes from an uploaded package, so the conversion never fails
 * and never trusts it: bad UTF-8 becomes U+FFFD, a tag never closed runs
 * to the end as a browser would, and every pass is linear in the field.
 *
 * Images and sounds are kept as Markdown of their own (media.h): the
 * HTML is made into lines of plain text first, and Markdown cannot be
 * written into those, since the second pass escapes them as text.  Such
 * Markdown goes between LIT_OPEN and LIT_CLOSE instead, control
 * characters the text never holds (html_char drops them), and the second
 * pass copies it as it is.
 */
#include "flashcards/anki.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "flashcards/anki_int.h"
#include "flashcards/media.h"

#define LIT_OPEN	'\x01'	/* Markdown written as it is, up to */
#define LIT_CLOSE	'\x02'	/* this */

/* ---- Shared text helpers (anki_int.h). ---- */

bool
anki_ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* ASCII punctuation: what a backslash escapes in Markdown. */
static bool
ascii_punct(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && !anki_ascii_alnum(c);
}

/*
 * The code point at s[*i] (n bytes in all), advancing *i past it; U+FFFD
 * for a malformed sequence, of which one byte is consumed.
 */
uint32_t
anki_utf8_get(const unsigned char *s, size_t n, size_t *i)
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

void
anki_utf8_put(struct buf *b, uint32_t cp)
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
	buf_put(b, u, n);
}

/* Code points of UTF-8 text (continuation bytes not counted). */
size_t
anki_utf8_chars(const char *s)
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
bool
anki_entity_at(const char *s, size_t n, uint32_t *cp, size_t *len)
{
	size_t k = 0;

	while (k < n && k < 32 && (anki_ascii_alnum((unsigned char)s[k]) ||
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

/* ---- Fields: HTML to Markdown and back. ---- */

/* HTML being made into lines of plain text. */
struct html {
	struct buf out;
	bool space;		/* source white space waits to be written */
	size_t media;
};

/* The white space seen before what is written next, as one space. */
static void
html_space(struct html *h)
{
	if (h->space) {
		h->space = false;
		if (h->out.len > 0 && h->out.s[h->out.len - 1] != '\n' &&
		    h->out.s[h->out.len - 1] != ' ')
			buf_putc(&h->out, ' ');
	}
}

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
	html_space(h);
	anki_utf8_put(&h->out, cp);
}

/* A line break: always for <br> (hard), else only to end a line. */
static void
html_break(struct html *h, bool hard)
{
	h->space = false;
	if (hard || (h->out.len > 0 && h->out.s[h->out.len - 1] != '\n'))
		buf_putc(&h->out, '\n');
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

static bool
html_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * The value of the attribute attr (lowercase) of the tag whose name ends
 * at s[j] and which ends at s[end]: true with where it starts and its
 * length (0 for an attribute without a value).  Quoted as tag_end reads
 * quotes, with ' or " just after the '='; unquoted up to white space or
 * the '>'.
 */
static bool
tag_attr(const char *s, size_t j, size_t end, const char *attr, size_t *at,
    size_t *len)
{
	size_t alen = strlen(attr);

	while (j < end) {
		size_t name, nlen, v, vlen = 0;

		while (j < end && (html_blank(s[j]) || s[j] == '/'))
			j++;
		if (j >= end || s[j] == '>')
			return false;
		name = j;
		while (j < end && !html_blank(s[j]) && s[j] != '/' &&
		    s[j] != '=' && s[j] != '>')
			j++;
		if ((nlen = j - name) == 0) {
			j++;	/* a stray '=': HTML makes it a name */
			continue;
		}
		while (j < end && html_blank(s[j]))
			j++;
		v = j;
		if (j < end && s[j] == '=') {
			j++;
			while (j < end && html_blank(s[j]))
				j++;
			if (j < end && (s[j] == '"' || s[j] == '\'')) {
				char q = s[j++];

				v = j;
				while (j < end && s[j] != q)
					j++;
				vlen = j - v;
				if (j < end)
					j++;
			} else {
				v = j;
				while (j < end && !html_blank(s[j]) &&
				    s[j] != '>')
					j++;
				vlen = j - v;
			}
		}
		if (nlen == alen && strncasecmp(s + name, attr, alen) == 0) {
			*at = v;
			*len = vlen;
			return true;
		}
	}
	return false;
}

/* Every %XX of b made the byte it stands for; a lone '%' stays. */
static void
pct_decode(struct buf *b)
{
	size_t k = 0;

	for (size_t i = 0; i < b->len; i++) {
		int hi, lo;

		if (b->s[i] == '%' && i + 2 < b->len &&
		    (hi = hex_value((unsigned char)b->s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)b->s[i + 2])) >= 0) {
			b->s[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			b->s[k++] = b->s[i];
	}
	b->len = k;
	if (b->s != NULL)
		b->s[k] = '\0';
}

/*
 * A media name as the HTML has it, into b: entities decoded, then %XX
 * when pct (an attribute's URL; Anki writes some names so, a [sound:]'s
 * text is never so).  A '%' without two hex digits stays.
 */
static void
name_decode(struct buf *b, const char *s, size_t n, bool pct)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len;

		if (s[i] == '&' && anki_entity_at(s + i + 1, n - i - 1, &cp,
		    &len)) {
			if (cp != 0)
				anki_utf8_put(b, cp);
			i += 1 + len;
		} else
			buf_putc(b, s[i++]);
	}
	if (pct)
		pct_decode(b);
}

/* True when s (n bytes) starts like an entity name and its ';'. */
static bool
entity_like(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && k < 32 && (anki_ascii_alnum((unsigned char)s[k]) ||
	    (k == 0 && s[k] == '#')))
		k++;
	return k > 0 && k < n && s[k] == ';';
}

static bool
word_byte(unsigned char c)
{
	return anki_ascii_alnum(c) || c >= 0x80;
}

/*
 * A media name written into Markdown, where what Markdown would read as
 * markup gets a backslash: a ` (a code span binds before a link), an &
 * that would start an entity, and in a sound's name, which is text, a ~
 * or an _ that could start or end emphasis and what md4c would make a
 * link of (GitHub's autolinks: the @ of an address, the '.' of "www.").
 * An image's '%' is written %25: the server takes %XX out of an image's
 * address (md4c writes a space as %20), not out of a sound's name.  Every
 * other byte a name may hold (media_name_ok) means nothing there.
 */
static void
name_markdown(struct buf *b, const char *s, size_t n, bool sound)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool esc = false;

		switch (c) {
		case '`':
			esc = true;
			break;
		case '&':
			esc = entity_like(s + i + 1, n - i - 1);
			break;
		case '~':
		case '@':
			esc = sound;
			break;
		case '_':
			esc = sound && !(i > 0 &&
			    word_byte((unsigned char)s[i - 1]) && i + 1 < n &&
			    word_byte((unsigned char)s[i + 1]));
			break;
		case '.':
			esc = sound && i >= 3 &&
			    memcmp(s + i - 3, "www", 3) == 0;
			break;
		case '%':
			if (!sound) {
				buf_puts(b, "%25");
				continue;
			}
			break;
		}
		if (esc)
			buf_putc(b, '\\');
		buf_putc(b, (char)c);
	}
}

/*
 * The media of n bytes at s (decoded as name_decode does): an image as
 * ![](NAME), or ![](<NAME>) when a space or a parenthesis would end a
 * bare one, a sound as [sound:NAME], written for the second pass to copy;
 * counted when it is not a media name.
 */
static void
html_media(struct html *h, const char *s, size_t n, bool pct, bool image)
{
	struct buf name = {0};

	name_decode(&name, s, n, pct);
	if (name.len == 0 || !media_name_ok(name.s, name.len)) {
		h->media++;
		free(name.s);
		return;
	}
	html_space(h);
	buf_putc(&h->out, LIT_OPEN);
	if (image) {
		bool angle = memchr(name.s, ' ', name.len) != NULL ||
		    memchr(name.s, '(', name.len) != NULL ||
		    memchr(name.s, ')', name.len) != NULL;

		buf_puts(&h->out, angle ? "![](<" : "![](");
		name_markdown(&h->out, name.s, name.len, false);
		buf_puts(&h->out, angle ? ">)" : ")");
	} else {
		buf_puts(&h->out, "[sound:");
		name_markdown(&h->out, name.s, name.len, true);
		buf_putc(&h->out, ']');
	}
	buf_putc(&h->out, LIT_CLOSE);
	free(name.s);
}

/*
 * The tag at s[i] handled; returns where the text goes on.  Tags are
 * dropped; line breaks and block ends end a line; an image becomes one of
 * Markdown and audio or video a [sound:], their src a media name, or are
 * counted; scripts, styles and comments vanish whole.
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
	while (j < n && anki_ascii_alnum((unsigned char)s[j])) {
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
	    strcmp(name, "audio") == 0 || strcmp(name, "video") == 0)) {
		size_t at, len;

		if (tag_attr(s, j, end, "src", &at, &len))
			html_media(h, s + at, len, true, name[0] == 'i');
		else
			h->media++;
	}
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
	/*
	 * The last ']': a "[sound:" after it is text, found so without a
	 * look to the end of the field for each one (quadratic on a field
	 * of "[sound:[sound:...").
	 */
	const char *last = memrchr(s, ']', n);
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t len;

		if (c == '<') {
			i = html_tag(h, s, n, i);
		} else if (c == '&' && anki_entity_at(s + i + 1, n - i - 1, &cp,
		    &len)) {
			if (cp != 0)
				html_char(h, cp);
			i += 1 + len;
		} else if (c == '[' && n - i >= 7 &&
		    memcmp(s + i, "[sound:", 7) == 0 && last != NULL &&
		    s + i < last) {
			const char *e = memchr(s + i, ']', n - i);

			html_media(h, s + i + 7, (size_t)(e - s) - i - 7, false,
			    false);
			i = (size_t)(e - s) + 1;
		} else {
			html_char(h, anki_utf8_get((const unsigned char *)s, n,
			    &i));
		}
	}
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
 * _ not inside a word, & before an entity name, \ before punctuation, an
 * image or a sound, or at the end) gets a backslash.  Braces and colons
 * stay: they are cloze syntax.  The Markdown of media is copied as it is;
 * after a sound, a ( that would make it a link gets a backslash, and so
 * does a : that would make a line's first sound a link definition.
 */
static void
markdown_line(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;
	unsigned char c0 = (unsigned char)s[0];
	bool sound = false, first = false;	/* just after a sound */

	if (c0 == '#' || c0 == '>')
		buf_putc(b, '\\');
	else if ((c0 == '-' || c0 == '+' || c0 == '=') &&
	    (n == 1 || s[1] == ' ' || line_of(s, n, (char)c0)))
		buf_putc(b, '\\');
	else if (c0 >= '0' && c0 <= '9') {
		size_t k = 0;

		while (k < n && k < 10 && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k < 10 && k < n && (s[k] == '.' || s[k] == ')') &&
		    (k + 1 == n || s[k + 1] == ' ')) {
			buf_put(b, s, k);
			buf_putc(b, '\\');
			i = k;
		}
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool esc = false;

		if (c == LIT_OPEN) {
			const char *e = memchr(s + i, LIT_CLOSE, n - i);
			size_t end = e != NULL ? (size_t)(e - s) : n;

			sound = i + 1 < n && s[i + 1] == '[';
			first = i == 0;
			buf_put(b, s + i + 1, end - i - 1);
			i = end;
			continue;
		}
		switch (c) {
		case '*':
		case '`':
		case '[':
		case '~':
		case '|':
			esc = true;
			break;
		case '(':
			esc = sound;
			break;
		case ':':
			esc = sound && first;
			break;
		case '\\':
			esc = i + 1 == n ||
			    ascii_punct((unsigned char)s[i + 1]) ||
			    s[i + 1] == LIT_OPEN;
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
			buf_putc(b, '\\');
		buf_putc(b, (char)c);
		sound = false;
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
	struct buf b = {0};
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
				buf_put(&b, blank > 0 ? "\n\n" : "\\\n",
				    2);
			markdown_line(&b, t + s, e - s);
			any = true;
			blank = 0;
		}
		if (nl == NULL)
			break;
		i = end + 1;
	}
	return buf_take(&b);
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

/* Text of Markdown as HTML's text or attribute: &, <, > and " escaped. */
static void
html_escape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		switch (s[i]) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		default:
			buf_putc(b, s[i]);
		}
}

/*
 * The text of Markdown at md[*i] up to the first of the bytes in stop or
 * the end of the line, into t: backslash escapes and entities undone as
 * Markdown does.  True when it ends at one of stop; *i is left there.
 */
static bool
md_text(const char *md, size_t *i, const char *stop, struct buf *t)
{
	for (;;) {
		char c = md[*i];
		uint32_t cp;
		size_t len;

		if (c == '\0' || c == '\n')
			return false;
		if (strchr(stop, c) != NULL)
			return true;
		if (c == '\\' && ascii_punct((unsigned char)md[*i + 1])) {
			buf_putc(t, md[*i + 1]);
			*i += 2;
		} else if (c == '&' && anki_entity_at(md + *i + 1,
		    strnlen(md + *i + 1, 40), &cp, &len)) {
			if (cp != 0)
				anki_utf8_put(t, cp);
			*i += 1 + len;
		} else {
			buf_putc(t, c);
			(*i)++;
		}
	}
}

/*
 * The image ![alt](NAME) or ![alt](<NAME>) at md, which starts with "![",
 * NAME a media name: written to b as <img>, and its length returned; 0
 * when md holds none, and then nothing is written.  Each look stops at
 * the next "![" or sooner, which keeps a line of them linear.
 */
static size_t
md_image(struct buf *b, const char *md)
{
	struct buf alt = {0}, name = {0};
	size_t i = 2, r = 0;
	bool angle;

	if (!md_text(md, &i, "[]", &alt) || md[i] != ']' || md[i + 1] != '(')
		goto out;
	i += 2;
	if ((angle = md[i] == '<'))
		i++;
	if (!md_text(md, &i, angle ? "<>" : " ()", &name) ||
	    md[i] != (angle ? '>' : ')'))
		goto out;
	if (angle && md[++i] != ')')
		goto out;
	/* As the server reads an image's address: %XX decoded. */
	pct_decode(&name);
	if (name.len == 0 || !media_name_ok(name.s, name.len))
		goto out;
	buf_puts(b, "<img ");
	if (alt.len > 0) {
		buf_puts(b, "alt=\"");
		html_escape(b, alt.s, alt.len);
		buf_puts(b, "\" ");
	}
	buf_puts(b, "src=\"");
	html_escape(b, name.s, name.len);
	buf_puts(b, "\">");
	r = i + 1;
out:
	free(alt.s);
	free(name.s);
	return r;
}

char *
anki_markdown_to_field(const char *md)
{
	struct buf b = {0};

	for (size_t i = 0; md[i] != '\0'; i++) {
		char c = md[i];
		size_t len;

		if (c == '!' && md[i + 1] == '[' &&
		    (len = md_image(&b, md + i)) > 0) {
			i += len - 1;
			continue;
		}

		if (c == '\\' && md[i + 1] == '\n') {
			buf_puts(&b, "<br>");
			i++;
			continue;
		}
		if (c == '\\' && ascii_punct((unsigned char)md[i + 1]))
			c = md[++i];
		switch (c) {
		case '\n':
			buf_puts(&b, "<br>");
			break;
		case '\r':
			break;
		case '&':
			buf_puts(&b, "&amp;");
			break;
		case '<':
			buf_puts(&b, "&lt;");
			break;
		case '>':
			buf_puts(&b, "&gt;");
			break;
		default:
			buf_putc(&b, c);
		}
	}
	return buf_take(&b);
}
