/*
 * import.c - reading question files: the entry point, the checks every
 * format shares (UTF-8, NUL bytes, the record cap) and the small helpers
 * of the three parsers (import_csv.c, import_gift.c, import_aiken.c).
 */
#include "assessment/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment/import_int.h"
#include "core/alloc.h"
#include "core/util.h"

/* Duplicates are looked for among this many first entries of a list. */
#define UNIQUE_SCAN 64

int
import_format_by_name(const char *name)
{
	if (name == NULL)
		return -1;
	if (strcasecmp(name, "csv") == 0)
		return IMPORT_CSV;
	if (strcasecmp(name, "gift") == 0)
		return IMPORT_GIFT;
	if (strcasecmp(name, "aiken") == 0)
		return IMPORT_AIKEN;
	return -1;
}

/*
 * Offset of the first byte that is NUL or not part of a well-formed UTF-8
 * sequence (overlong forms, surrogates and code points past U+10FFFF are
 * not); len when there is none.
 */
static size_t
bad_byte(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], lo = 0x80, hi = 0xbf;
		size_t more;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3;
		else
			return i;
		if (len - i <= more)
			return i;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
		else if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= more; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
		i += more + 1;
	}
	return len;
}

static int
line_at(const char *s, size_t off)
{
	int line = 1;
	const char *p = s, *end = s + off, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p = nl + 1;
	}
	return line;
}

static void
clear_items(struct import_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		json_decref(l->items[i].question);
		free(l->items[i].error);
	}
	free(l->items);
	l->items = NULL;
	l->count = l->cap = 0;
}

int
import_parse(enum import_format format, const char *text, size_t len,
    struct import_list *out)
{
	size_t bad, n = 0;
	char *copy;
	int rc;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if ((bad = bad_byte((const unsigned char *)text, len)) < len)
		return import_fail(out, line_at(text, bad), text[bad] == '\0' ?
		    "the file holds a NUL byte: it is not a text file" :
		    "the text is not valid UTF-8 (save the file as UTF-8)");

	/* One line end from here on: the parsers see LF only. */
	copy = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			copy[n++] = text[i];
	copy[n] = '\0';

	switch (format) {
	case IMPORT_CSV:
		rc = import_csv(copy, n, out);
		break;
	case IMPORT_GIFT:
		rc = import_gift(copy, n, out);
		break;
	case IMPORT_AIKEN:
		rc = import_aiken(copy, n, out);
		break;
	default:
		rc = import_fail(out, 1, "unknown file format");
		break;
	}
	free(copy);
	if (rc != 0)
		clear_items(out);
	return rc;
}

void
import_list_free(struct import_list *list)
{
	if (list == NULL)
		return;
	clear_items(list);
	free(list->error);
	memset(list, 0, sizeof(*list));
}

static struct import_item *
new_item(struct import_list *l, int line)
{
	struct import_item *it;

	if (l->count >= IMPORT_MAX_RECORDS) {
		if (l->error == NULL) {
			l->error = xasprintf("the file holds more than %d "
			    "questions: split it", IMPORT_MAX_RECORDS);
			l->error_line = line;
		}
		return NULL;
	}
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	it = &l->items[l->count++];
	memset(it, 0, sizeof(*it));
	it->line = line;
	return it;
}

int
import_add(struct import_list *l, int line, json_t *q)
{
	struct import_item *it = new_item(l, line);

	if (it == NULL) {
		json_decref(q);
		return -1;
	}
	it->question = q;
	return 0;
}

int
import_refuse(struct import_list *l, int line, const char *fmt, ...)
{
	struct import_item *it = new_item(l, line);
	va_list ap;

	if (it == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&it->error, fmt, ap) < 0)
		it->error = xstrdup("out of memory");
	va_end(ap);
	/*
	 * A reason quotes the file, clipped ("%.20s") where it may cut a
	 * character in two, and it goes out in a JSON report.
	 */
	util_utf8_sanitize(it->error);
	return 0;
}

int
import_fail(struct import_list *l, int line, const char *fmt, ...)
{
	va_list ap;

	free(l->error);
	va_start(ap, fmt);
	if (vasprintf(&l->error, fmt, ap) < 0)
		l->error = xstrdup("out of memory");
	va_end(ap);
	util_utf8_sanitize(l->error);
	l->error_line = line;
	return -1;
}

/* ---- strings ---------------------------------------------------------- */

void
import_buf_add(struct import_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void
import_buf_addc(struct import_buf *b, char c)
{
	import_buf_add(b, &c, 1);
}

const char *
import_buf_str(struct import_buf *b)
{
	return b->s ? b->s : "";
}

void
import_buf_reset(struct import_buf *b)
{
	b->n = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
import_buf_free(struct import_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void
import_trim(const char **s, size_t *n)
{
	while (*n > 0 && blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && blank((*s)[*n - 1]))
		(*n)--;
}

char *
import_trimdup(const char *s, size_t n)
{
	import_trim(&s, &n);
	return xstrndup(s, n);
}

char *
import_lower(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

const char *
import_token(const char **p, const char *seps, size_t *n)
{
	const char *t = *p + strspn(*p, seps);

	if (*t == '\0') {
		*p = t;
		return NULL;
	}
	*n = strcspn(t, seps);
	*p = t + *n;
	return t;
}

static size_t
digits(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

int
import_is_code(const char *s, size_t n)
{
	size_t a = digits(s, n), b;

	if (a < 1 || a > 2 || a >= n || s[a] != '.')
		return 0;
	b = digits(s + a + 1, n - a - 1);
	return b >= 1 && b <= 2 && a + 1 + b == n;
}

int
import_is_domain(const char *s, size_t n)
{
	return import_is_code(s, n) && s[n - 1] == '0' && s[n - 2] == '.';
}

void
import_domain_of(const char *code, size_t n, char *out)
{
	size_t a = digits(code, n);

	memcpy(out, code, a);
	memcpy(out + a, ".0", 3);
}

void
import_add_unique(json_t *a, const char *s, size_t n)
{
	size_t size = json_array_size(a);

	for (size_t i = 0; i < size && i < UNIQUE_SCAN; i++) {
		json_t *v = json_array_get(a, i);

		if (json_string_length(v) == n &&
		    memcmp(json_string_value(v), s, n) == 0)
			return;
	}
	json_array_append_new(a, json_stringn(s, n));
}

void
import_set_text(json_t *q, const char *key, const char *s)
{
	if (s != NULL && *s != '\0')
		json_object_set_new(q, key, json_string(s));
}

json_t *
import_option(const char *key, const char *text, const char *expl,
    int correct)
{
	json_t *o = json_object();

	json_object_set_new(o, "key", json_string(key));
	json_object_set_new(o, "text", json_string(text));
	import_set_text(o, "explanation", expl);
	json_object_set_new(o, "correct", json_boolean(correct));
	return o;
}

json_t *
import_number(double v)
{
	/* Within +-2^53 a double that equals its truncation is exact. */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
	    (double)(json_int_t)v == v)
		return json_integer((json_int_t)v);
	return json_real(v);
}
