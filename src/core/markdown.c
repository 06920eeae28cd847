/*
 * markdown.c - md4c, then a pass over the addresses it wrote.
 */
#include "core/markdown.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c-html.h>

#include "core/alloc.h"

struct buf {
	char *data;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
on_output(const MD_CHAR *text, MD_SIZE size, void *arg)
{
	put(arg, text, size);
}

int
markdown_url_ok(const char *url, size_t len, int allow_mailto)
{
	char scheme[8];
	size_t i = 0, n = 0;

	/*
	 * Read it as a browser does: leading spaces and control characters
	 * are dropped, and tabs and newlines anywhere are ignored.  A scheme
	 * is letters, digits, '+', '-', '.' before the first ':', with no
	 * '/', '?' or '#' before it; anything else is relative.
	 */
	while (i < len && (unsigned char)url[i] <= 0x20)
		i++;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)url[i];

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7f)
			return 0; /* a control character: no guessing */
		if (c == ':')
			break;
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (!(isalnum(c) || c == '+' || c == '-' || c == '.'))
			return 1; /* not a scheme: a relative path */
		if (n < sizeof(scheme))
			scheme[n] = (char)c;
		n++;
	}
	if (i == len)
		return 1;
	if ((n == 4 && strncasecmp(scheme, "http", 4) == 0) ||
	    (n == 5 && strncasecmp(scheme, "https", 5) == 0))
		return 1;
	return allow_mailto && n == 6 && strncasecmp(scheme, "mailto", 6) == 0;
}

/* Copies html to out, replacing unsafe href and src values with "#". */
static void
filter_urls(const char *html, struct buf *out)
{
	const char *p = html;

	for (;;) {
		const char *href = strstr(p, " href=\"");
		const char *src = strstr(p, " src=\"");
		const char *at, *v, *end;
		int is_href;

		if (href == NULL && src == NULL)
			break;
		is_href = src == NULL || (href != NULL && href < src);
		at = is_href ? href : src;
		v = at + (is_href ? 7 : 6);
		end = strchr(v, '"');
		if (end == NULL)
			break;
		put(out, p, (size_t)(v - p));
		if (markdown_url_ok(v, (size_t)(end - v), is_href))
			put(out, v, (size_t)(end - v));
		else
			put(out, "#", 1);
		p = end;
	}
	put(out, p, strlen(p));
}

char *
markdown_to_html(const char *md, size_t len)
{
	struct buf raw = {0}, safe = {0}, in = {0};
	int rc;

	/*
	 * md4c 0.4.8 can read one byte past the end of its input (make
	 * security's fuzzing found an image address cut short by the end
	 * of the text): it gets a copy that ends in a NUL.
	 */
	put(&in, md, len);
	put(&raw, "", 0);
	rc = md_html(in.data, (MD_SIZE)len, on_output, &raw,
	    MD_DIALECT_GITHUB | MD_FLAG_NOHTML, MD_HTML_FLAG_SKIP_UTF8_BOM);
	free(in.data);
	if (rc != 0) {
		free(raw.data);
		return NULL;
	}
	put(&safe, "", 0);
	filter_urls(raw.data, &safe);
	free(raw.data);
	return safe.data;
}
