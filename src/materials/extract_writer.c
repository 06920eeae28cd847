/*
 * extract_writer.c - the one writer of normalized text (extract_int.h),
 * with the UTF-8 and the character classes it works with.
 *
 * Every format goes through one writer, struct em, which owns the output
 * rules: it drops control characters, re-encodes invalid UTF-8 as U+FFFD,
 * collapses spaces, and writes the separator before a line only when text
 * for that line arrives.  The readers only say where blocks and lines
 * begin, however deep or empty their input nests, so no rule of the
 * output has to be checked twice.
 */
#include "materials/extract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* UTF-8 */

/* The character at s as *cp, U+FFFD for a bad byte; its length, >= 1. */
size_t
extract_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	size_t len = util_utf8_decode(s, n, cp);

	if (len == 0) {
		*cp = 0xfffd;
		return 1;
	}
	return len;
}

bool
extract_utf8_valid(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0, len; i < n; i += len)
		if ((len = util_utf8_decode(s + i, n - i,
		    &cp)) == 0)
			return false;
	return true;
}

void
extract_utf8_put(struct buf *b, uint32_t cp)
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
uint32_t
extract_last_char(const char *s, size_t n, size_t *at)
{
	uint32_t cp = 0;
	size_t k;

	if (n == 0)
		return 0;
	k = n - 1;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	extract_utf8_next(s + k, n - k, &cp);
	if (at != NULL)
		*at = k;
	return cp;
}

enum cclass
extract_cclass(uint32_t cp)
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
uint32_t
extract_first_char(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		i += extract_utf8_next(s + i, n - i, &cp);
		if (extract_cclass(cp) == C_KEEP)
			return cp;
	}
	return 0;
}

/* The writer */

void
extract_em_init(struct em *e, size_t max)
{
	memset(e, 0, sizeof(*e));
	e->max = max;
}

/* Ends the current line; level 1 asks for a newline, 2 a blank line. */
void
extract_em_end_line(struct em *e, int level)
{
	e->inl = false;
	if (level > e->want)
		e->want = level;
	e->space = false;
	e->prefix[0] = '\0';
}

/* A break inside a list item or a heading is only a space. */
void
extract_em_break(struct em *e, int level)
{
	if (e->mode != EM_BLOCK)
		e->space = true;
	else
		extract_em_end_line(e, level);
}

/* Starts a block whose first line begins with prefix, if it gets text. */
void
extract_em_block(struct em *e, int level, const char *prefix)
{
	if (e->mode != EM_BLOCK) {
		e->space = true;
		return;
	}
	extract_em_end_line(e, level);
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
void
extract_em_text(struct em *e, const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n && !e->over;) {
		i += extract_utf8_next(s + i, n - i, &cp);
		switch (extract_cclass(cp)) {
		case C_KEEP:
			em_start(e);
			extract_utf8_put(&e->b, e->cell && cp == '|' ? '/' :
			    cp);
			em_check(e);
			break;
		case C_DROP:
			break;
		default:
			e->space = true;
		}
	}
}

void
extract_em_texts(struct em *e, const char *s)
{
	extract_em_text(e, s, strlen(s));
}

/* A line written as is, in a block of lines (a table). */
void
extract_em_raw_line(struct em *e, const char *s, size_t n, int level)
{
	extract_em_end_line(e, level);
	em_start(e);
	buf_put(&e->b, s, n);
	extract_em_end_line(e, 1);
	em_check(e);
}

/*
 * Code between fences: lines kept as they are but for tabs (four spaces),
 * control characters, trailing spaces and runs of blank lines.  A line
 * that would close the fence early is indented past what closes one.
 */
void
extract_em_code(struct em *e, const char *s, size_t n)
{
	struct buf code = {0}, line = {0};
	size_t blanks = 0;
	uint32_t cp;

	if (e->mode != EM_BLOCK) {
		extract_em_text(e, s, n);
		return;
	}
	for (size_t i = 0; i <= n;) {
		enum cclass c = C_LINE;

		if (i < n) {
			i += extract_utf8_next(s + i, n - i, &cp);
			/* A CR LF is one line end. */
			if (cp == '\r' && i < n && s[i] == '\n')
				continue;
			c = extract_cclass(cp);
		} else
			i++;
		if (c == C_KEEP || (c == C_SPACE && cp != '\t'))
			extract_utf8_put(&line, cp);
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
		extract_em_end_line(e, 2);
		em_start(e);
		buf_puts(&e->b, "```\n");
		buf_put(&e->b, code.s, code.len);
		buf_puts(&e->b, "\n```");
		extract_em_end_line(e, 2);
		em_check(e);
	}
	free(code.s);
}

/* The text written, ending with one newline, or -1 with err. */
int
extract_em_finish(struct em *e, char **out, char *err, size_t errlen)
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

void
extract_info_clear(struct extract_info *info)
{
	if (info != NULL)
		memset(info, 0, sizeof(*info));
}

/* info->title from s: one line, at most 255 bytes cut between characters. */
void
extract_set_title(struct extract_info *info, const char *s, size_t n)
{
	struct em e;
	size_t len;

	if (info == NULL || info->title[0] != '\0' || s == NULL)
		return;
	extract_em_init(&e, SIZE_MAX);
	e.mode = EM_FLAT;
	extract_em_text(&e, s, n);
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
