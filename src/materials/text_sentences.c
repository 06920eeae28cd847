/*
 * text_sentences.c - the lines and sentences of light Markdown
 * (text_line_kind() and text_sentences() in text.h): a line's kind from
 * its first bytes, and a paragraph cut where a sentence ends, not after
 * an abbreviation, an initial or an ellipsis.  UTF-8 is decoded by hand,
 * as in text.c.
 */
#include "materials/text.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "materials/text_int.h"

/* Uppercase letters a sentence may start with. */
static bool
is_upper_cp(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde &&
	    c != 0xd7) || (c >= 0x391 && c <= 0x3a9) ||
	    (c >= 0x400 && c <= 0x42f);
}

enum text_line
text_line_kind(const char *s, size_t n, size_t *body, int *level)
{
	size_t i = 0, k;
	char c;

	if (level != NULL)
		*level = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*body = i;
	if (i == n)
		return LINE_BLANK;
	c = s[i];
	for (k = 0; i + k < n && s[i + k] == c; k++)
		;
	if (i <= 3 && (c == '`' || c == '~') && k >= 3)
		return LINE_FENCE;
	if (i <= 3 && c == '#' && k <= 6 && (i + k == n ||
	    s[i + k] == ' ' || s[i + k] == '\t')) {
		if (level != NULL)
			*level = (int)k;
		for (i += k; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		*body = i;
		return LINE_HEADING;
	}
	if (c == '|') {
		bool dash = false, other = false;

		for (size_t j = i; j < n; j++) {
			if (s[j] == '-')
				dash = true;
			else if (s[j] != '|' && s[j] != ':' &&
			    s[j] != ' ' && s[j] != '\t')
				other = true;
		}
		return dash && !other ? LINE_RULE : LINE_ROW;
	}
	if (c == '>') {
		i++;
		if (i < n && s[i] == ' ')
			i++;
		*body = i;
		return LINE_QUOTE;
	}
	if (i <= 3 && (c == '-' || c == '*' || c == '_')) {
		size_t same = 0, j;

		for (j = i; j < n; j++) {
			if (s[j] == c)
				same++;
			else if (s[j] != ' ' && s[j] != '\t')
				break;
		}
		if (j == n && same >= 3)
			return LINE_BREAK;
	}
	if ((c == '-' || c == '*' || c == '+') && (i + 1 == n ||
	    s[i + 1] == ' ' || s[i + 1] == '\t')) {
		for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		*body = i;
		return LINE_ITEM;
	}
	if (IS_DIGIT(c)) {
		size_t j = i;

		while (j < n && IS_DIGIT(s[j]) && j - i < 9)
			j++;
		if (j < n && (s[j] == '.' || s[j] == ')') && (j + 1 == n ||
		    s[j + 1] == ' ' || s[j + 1] == '\t')) {
			for (j++; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
				;
			*body = j;
			return LINE_ITEM;
		}
	}
	return LINE_TEXT;
}

/* A growing array of sentences. */
struct sents {
	struct text_sent *v;
	size_t n, cap;
};

static bool
has_word(const char *s, size_t a, size_t b)
{
	size_t len;

	for (size_t i = a; i < b; i += len)
		if (text_is_word_cp(text_utf8_at(s, b, i, &len)))
			return true;
	return false;
}

/* Adds s[a..b), trimmed, when it holds a word; its index or -1. */
static long
sent_add(struct sents *v, const char *s, size_t a, size_t b,
    enum text_kind kind)
{
	while (a < b && IS_BLANK(s[a]))
		a++;
	while (b > a && IS_BLANK(s[b - 1]))
		b--;
	if (!has_word(s, a, b))
		return -1;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 32;
		v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n].start = a;
	v->v[v->n].end = b;
	v->v[v->n].kind = kind;
	return (long)v->n++;
}

/*
 * Abbreviations a '.' does not end a sentence after.  The second list only
 * before a number ("No. 5", "pp. 12"): "no." ends many a sentence.
 */
static const char *const abbrev[] = {
	"al", "apr", "approx", "aug", "capt", "cf", "col", "corp", "dec",
	"dept", "dr", "eq", "eqs", "est", "feb", "fig", "figs", "gen",
	"hon", "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "mr", "mrs",
	"ms", "mt", "nov", "oct", "prof", "rev", "sen", "sep", "sept",
	"sgt", "sr", "st", "vs"
};
static const char *const abbrev_num[] = {
	"art", "ch", "no", "nos", "op", "p", "pp", "ref", "sec", "vol"
};

static bool
in_list(const char *const *l, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], w) == 0)
			return true;
	return false;
}

/*
 * Whether the '.' at s[dot] closes an abbreviation rather than a sentence;
 * next is where the following text starts.
 */
static bool
is_abbrev(const char *s, size_t a, size_t dot, size_t next)
{
	size_t w = dot, seg = 0;
	bool dotted = false, letters = true;
	char low[10];

	while (w > a && (IS_ALPHA(s[w - 1]) || IS_DIGIT(s[w - 1]) ||
	    s[w - 1] == '.'))
		w--;
	if (w == dot)
		return false;
	/* "e.g", "i.e", "U.S", "Ph.D": short letter runs between dots. */
	for (size_t i = w; i < dot; i++) {
		if (s[i] == '.') {
			dotted = true;
			if (seg == 0 || seg > 2)
				letters = false;
			seg = 0;
		} else if (!IS_ALPHA(s[i]))
			letters = false;
		else
			seg++;
	}
	if (dotted)
		return letters && seg >= 1 && seg <= 2;
	/* An initial: "J. Smith". */
	if (dot - w == 1 && IS_ALPHA(s[w]))
		return true;
	if (dot - w >= sizeof(low))
		return false;
	for (size_t i = w; i < dot; i++)
		low[i - w] = (char)(s[i] | (IS_ALPHA(s[i]) ? 0x20 : 0));
	low[dot - w] = '\0';
	if (in_list(abbrev, sizeof(abbrev) / sizeof(abbrev[0]), low))
		return true;
	return IS_DIGIT(s[next]) && in_list(abbrev_num,
	    sizeof(abbrev_num) / sizeof(abbrev_num[0]), low);
}

static bool
is_quote_cp(uint32_t c)
{
	return c == '"' || c == '\'' || c == 0x201c || c == 0x201d ||
	    c == 0x2018 || c == 0x2019 || c == 0xab || c == 0xbb;
}

/* Whether a sentence may start at s[p]. */
static bool
starts_sentence(const char *s, size_t p, size_t b)
{
	size_t len;
	uint32_t c = text_utf8_at(s, b, p, &len);

	if (is_quote_cp(c) || c == '(' || c == '[')
		return true;
	while (p < b && (s[p] == '*' || s[p] == '_' || s[p] == '`'))
		p++;
	if (p >= b)
		return false;
	c = text_utf8_at(s, b, p, &len);
	/* CJK and the scripts after it have no case to go by. */
	return IS_DIGIT(c) || is_upper_cp(c) || (c >= 0x2e80 &&
	    text_is_word_cp(c));
}

/* Closing quotes, brackets and emphasis after a sentence's mark. */
static size_t
skip_closers(const char *s, size_t k, size_t b)
{
	size_t len;

	while (k < b) {
		uint32_t c = text_utf8_at(s, b, k, &len);

		if (!is_quote_cp(c) && c != ')' && c != ']' && c != '*' &&
		    c != '_' && c != '`')
			break;
		k += len;
	}
	return k;
}

/* Cuts the prose s[a..b) into sentences. */
static void
split_prose(struct sents *v, const char *s, size_t a, size_t b)
{
	size_t start = a, i = a, len;

	while (i < b) {
		uint32_t c = text_utf8_at(s, b, i, &len);
		size_t j, k, m;

		if (c == 0x3002 || c == 0xff01 || c == 0xff1f) {
			/* CJK full stops need no blank after them. */
			k = skip_closers(s, i + len, b);
			sent_add(v, s, start, k, TEXT_PROSE);
			start = i = k;
			continue;
		}
		if (c != '.' && c != '!' && c != '?') {
			i += len;
			continue;
		}
		for (j = i; j < b && (s[j] == '.' || s[j] == '!' ||
		    s[j] == '?'); j++)
			;
		k = skip_closers(s, j, b);
		if (k < b && !IS_BLANK(s[k])) {
			i = j;	/* "3.5", "example.com", "?!x" */
			continue;
		}
		for (m = k; m < b && IS_BLANK(s[m]); m++)
			;
		if (m == b)
			break;
		/* An ellipsis trails off inside a sentence. */
		if (memmem(s + i, j - i, "..", 2) != NULL ||
		    (j - i == 1 && s[i] == '.' && is_abbrev(s, a, i, m)) ||
		    !starts_sentence(s, m, b)) {
			i = k;
			continue;
		}
		sent_add(v, s, start, k, TEXT_PROSE);
		start = i = m;
	}
	sent_add(v, s, start, b, TEXT_PROSE);
}

/* The end of a heading's title: closing '#'s and blanks dropped. */
static size_t
heading_end(const char *s, size_t a, size_t b)
{
	size_t e = b;

	while (e > a && IS_BLANK(s[e - 1]))
		e--;
	if (e > a && s[e - 1] == '#') {
		size_t h = e;

		while (h > a && s[h - 1] == '#')
			h--;
		if (h == a || s[h - 1] == ' ' || s[h - 1] == '\t')
			e = h;
	}
	while (e > a && IS_BLANK(s[e - 1]))
		e--;
	return e;
}

size_t
text_sentences(const char *s, size_t n, bool in_code,
    struct text_sent **out)
{
	struct sents v = {0};
	size_t ls = 0, para = SIZE_MAX, para_end = 0, item = SIZE_MAX;
	size_t item_end = 0;
	long first_row = -1;	/* the first row of the table being read */
	enum text_line prev = LINE_BLANK;

	while (ls < n) {
		const char *nl = memchr(s + ls, '\n', n - ls);
		size_t le = nl != NULL ? (size_t)(nl - s) : n, body;
		enum text_line k = text_line_kind(s + ls, le - ls, &body, NULL);

		if (in_code) {
			if (k == LINE_FENCE)
				in_code = false;
			ls = le + 1;
			prev = LINE_BLANK;
			continue;
		}
		if (k == LINE_TEXT && (item != SIZE_MAX || para != SIZE_MAX)) {
			/* A soft line break, in a paragraph or an item. */
			if (item != SIZE_MAX)
				item_end = le;
			else
				para_end = le;
			ls = le + 1;
			prev = k;
			continue;
		}
		if (para != SIZE_MAX)
			split_prose(&v, s, para, para_end);
		if (item != SIZE_MAX)
			sent_add(&v, s, item, item_end, TEXT_ITEM);
		para = item = SIZE_MAX;
		switch (k) {
		case LINE_FENCE:
			in_code = true;
			break;
		case LINE_HEADING:
			sent_add(&v, s, ls + body, heading_end(s, ls + body,
			    le), TEXT_HEADING);
			break;
		case LINE_ROW: {
			long at = sent_add(&v, s, ls + body, le, TEXT_ROW);

			if (prev != LINE_ROW && prev != LINE_RULE)
				first_row = at;
			break;
		}
		case LINE_RULE:
			if (prev == LINE_ROW && first_row >= 0 &&
			    (size_t)first_row == v.n - 1)
				v.v[first_row].kind = TEXT_HEAD_ROW;
			break;
		case LINE_QUOTE:
			split_prose(&v, s, ls + body, le);
			break;
		case LINE_ITEM:
			item = ls + body;
			item_end = le;
			break;
		case LINE_TEXT:
			para = ls + body;
			para_end = le;
			break;
		default:
			break;
		}
		prev = k;
		ls = le + 1;
	}
	if (para != SIZE_MAX)
		split_prose(&v, s, para, para_end);
	if (item != SIZE_MAX)
		sent_add(&v, s, item, item_end, TEXT_ITEM);
	*out = v.v;
	return v.n;
}
