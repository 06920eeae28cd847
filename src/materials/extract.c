/*
 * extract.c - uploads to normalized text (extract.h): the format of an
 * upload, plain text and Markdown, and the re-flow of lines into
 * paragraphs that plain text and PDF share.
 *
 * Every format goes through one writer (extract_writer.c); HTML is read
 * in extract_html.c and PDF in extract_pdf.c.
 *
 * Plain text and PDF both arrive as lines to re-flow into paragraphs
 * (struct line, extract_flow()); a PDF line also carries its box on the
 * page, from which paragraph breaks, headings and hyphenation are guessed.
 *
 * The PDF parser runs in a child process (extract_pdf_sandboxed, in
 * extract_sandbox.c); all else runs in the server.
 */
#include "materials/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "materials/extract_int.h"

static bool
has_text(const char *s, size_t n)
{
	return extract_first_char(s, n) != 0;
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
	if (!extract_utf8_valid(data, len))
		return refuse(status, 422, err, errlen,
		    "The file is not valid UTF-8 text.");
	if (!has_text(data, len))
		return refuse(status, 422, err, errlen,
		    "The material holds no text.");
	return 0;
}

/* Lines re-flowed into paragraphs: plain text and PDF */

struct line *
extract_lines_add(struct lines *l)
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
bool
extract_bullet(const char *s, size_t n, char prefix[16], size_t *skip)
{
	/* Marks that are text too, then marks that are only bullets. */
	static const uint32_t marks[] = {'-', '*', '+', 0xb7, 0x2013,
	    0x2022, 0x2023, 0x2043, 0x2219, 0x25a0, 0x25aa, 0x25cb, 0x25cf,
	    0x25e6, 0x27a2, 0xf0a7, 0xf0b7};
	size_t i = 0, len, digits = 0, text_marks = 5;
	bool apart = true;
	uint32_t cp;

	while (i < n && (len = extract_utf8_next(s + i, n - i, &cp)) > 0 &&
	    extract_cclass(cp) == C_SPACE)
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

		i += extract_utf8_next(s + i, n - i, &cp);
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
	if (i >= n || (apart && (extract_utf8_next(s + i, n - i, &cp),
	    extract_cclass(cp) != C_SPACE)))
		return false;
	*skip = i;
	return true;
}

/* The line's length without trailing white space and dropped characters. */
size_t
extract_trimmed(const char *s, size_t n)
{
	while (n > 0) {
		size_t k = n - 1;
		uint32_t cp;

		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		extract_utf8_next(s + k, n - k, &cp);
		if (extract_cclass(cp) == C_KEEP || cp == 0xad)
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
void
extract_flow(struct em *e, const char *text, struct line *v, size_t n)
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
		    extract_bullet(text + v[i].off, v[i].len, prefix, &skip);
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
			    extract_bullet(s, len, prefix, &skip);

			if (v[i].heading > 0)
				snprintf(prefix, sizeof(prefix), "%.*s ",
				    v[i].heading, "######");
			else if (!item)
				prefix[0] = '\0';
			extract_em_block(e, item && cur == ITEM ? 1 : 2,
			    prefix);
			cur = item ? ITEM : v[i].heading > 0 ? HEAD : PARA;
		}
		len = extract_trimmed(s, len);
		if (next < n && v[next].brk == L_HYPH) {
			size_t at;

			/* hyphenated() saw the line end on its hyphen. */
			extract_last_char(s, len, &at);
			extract_em_text(e, s + skip, at > skip ? at - skip : 0);
		} else {
			extract_em_text(e, s + skip, len - skip);
			extract_em_texts(e, " ");
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
			len = extract_utf8_next(s + i, n - i, &cp);
			c = extract_cclass(cp);
			if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
				len = 2;
		}
		i += len;
		if (c != C_LINE && c != C_PARA)
			continue;
		if (has_text(s + start, end - start)) {
			struct line *ln = extract_lines_add(l);

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
	extract_flow(e, s, l.v, l.n);
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
			i += extract_utf8_next(s + i, n - i, &cp);
			if (cp == '\r' && i < n && s[i] == '\n')
				continue;
			c = extract_cclass(cp);
		} else
			i++;
		if (c == C_KEEP)
			extract_utf8_put(&line, cp);
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
			extract_set_title(info, line.s + 2, line.len - 2);
		extract_em_raw_line(e, line.s, line.len, blanks > 0 ? 2 : 1);
		blanks = c == C_PARA;
		line.len = 0;
	}
	free(line.s);
}

/* More visible bytes than max: the output would be longer still. */
static bool
too_long(const char *s, size_t n, size_t max)
{
	size_t visible = 0;
	uint32_t cp;

	for (size_t i = 0; i < n && visible <= max;) {
		size_t k = extract_utf8_next(s + i, n - i, &cp);

		if (extract_cclass(cp) == C_KEEP)
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
	extract_info_clear(info);
	if (fmt != MAT_TEXT && fmt != MAT_MARKDOWN && fmt != MAT_HTML) {
		snprintf(err, errlen, "A PDF is read with extract_pdf().");
		return -1;
	}
	extract_em_init(&e, lim->max_chars);
	/* Refused before a line array or a copy is built for nothing. */
	if (fmt != MAT_HTML && too_long(data, len, lim->max_chars))
		e.over = true;
	else if (fmt == MAT_TEXT)
		text_extract(data, len, &e);
	else if (fmt == MAT_MARKDOWN)
		markdown_extract(data, len, &e, info);
	else
		rc = extract_html(data, len, &e, info, err, errlen);
	if (rc != 0) {
		free(e.b.s);
		return -1;
	}
	return extract_em_finish(&e, out, err, errlen);
}
