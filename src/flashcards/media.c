/*
 * media.c - card media: names, types, and their addresses in card HTML
 * (media.h).
 */
#include "flashcards/media.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/util.h"

#define MEDIA_PATH "/api/v1/flashcards/decks/"

bool
media_name_ok(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || len > MEDIA_NAME_MAX || s[0] == '.' || s[0] == ' ' ||
	    s[len - 1] == ' ')
		return false;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f || strchr("[]<>:\"/?*^\\|",
			    c) != NULL)
				return false;
			i++;
			continue;
		}
		n = util_utf8_decode(s + i, len - i, &cp);
		if (n == 0 || (cp >= 0x80 && cp < 0xa0))
			return false;
		i += n;
	}
	return true;
}

const char *
media_type_allowed(const char *sniffed)
{
	static const char *const map[][2] = {
		{"image/png", "image/png"},
		{"image/jpeg", "image/jpeg"},
		{"image/gif", "image/gif"},
		{"image/webp", "image/webp"},
		{"image/avif", "image/avif"},
		{"image/svg+xml", "image/svg+xml"},
		{"audio/mpeg", "audio/mpeg"},
		{"audio/ogg", "audio/ogg"},
		{"audio/x-wav", "audio/wav"},
		{"audio/wav", "audio/wav"},
		{"audio/flac", "audio/flac"},
		{"audio/x-flac", "audio/flac"},
		{"audio/x-m4a", "audio/mp4"},
		{"audio/mp4", "audio/mp4"},
		{"video/mp4", "video/mp4"},
		{"video/webm", "video/webm"},
	};

	if (sniffed == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(sniffed, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

bool
media_url_name(const char *name, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = strlen(out);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~';

		if (k + (plain ? 1 : 3) >= cap)
			return false;
		if (plain) {
			out[k++] = (char)c;
		} else {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		}
	}
	out[k] = '\0';
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The media name an attribute value or a text stands for: HTML's &amp;
 * (the one entity md4c writes that a name may hold) undone, and %XX when
 * pct; into out (cap bytes).  False when it is not a media name.
 */
static bool
name_of(const char *s, size_t n, bool pct, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '&') {
			if (n - i < 5 || memcmp(s + i, "&amp;", 5) != 0)
				return false;
			i += 4;
		} else if (c == '%' && pct) {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(s[i + 2]) : -1;

			if (lo < 0)
				return false;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (k + 1 >= cap)
			return false;
		out[k++] = c;
	}
	out[k] = '\0';
	return media_name_ok(out, k);
}

/* The address of a media name of the deck, appended to b. */
static void
put_address(struct buf *b, const char *deck, const char *name)
{
	char enc[MEDIA_NAME_MAX * 3 + 1] = "";

	media_url_name(name, strlen(name), enc, sizeof(enc));
	buf_puts(b, MEDIA_PATH);
	buf_puts(b, deck);
	buf_puts(b, "/media/");
	buf_puts(b, enc);
}

static bool
is_video(const char *name)
{
	static const char *const ext[] = {".mp4", ".webm", ".m4v", ".ogv",
	    ".mov"};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return true;
	}
	return false;
}

/*
 * The tag at html (it begins with '<') copied to b, ending at its '>'
 * (md4c escapes every '<' and '>' of text and attributes, so the next one
 * ends it); an <img>'s bare name made an address.  Returns its length.
 */
static size_t
copy_tag(struct buf *b, const char *html, const char *deck)
{
	const char *end = strchr(html, '>'), *src, *v, *q;
	size_t len = end != NULL ? (size_t)(end - html) + 1 : strlen(html);
	char name[MEDIA_NAME_MAX + 1];

	/* The source and its closing quote, both inside this tag. */
	if (len < 5 || strncmp(html, "<img ", 5) != 0 ||
	    (src = memmem(html, len, " src=\"", 6)) == NULL ||
	    (q = memchr(v = src + 6, '"', len - (size_t)(src + 6 - html))) ==
	    NULL || !name_of(v, (size_t)(q - v), true, name, sizeof(name))) {
		buf_put(b, html, len);
		return len;
	}
	buf_put(b, html, (size_t)(v - html));
	put_address(b, deck, name);
	buf_put(b, q, len - (size_t)(q - html));
	return len;
}

char *
media_html(const char *html, const char *deck)
{
	struct buf b = {0};
	const char *p = html;
	int code = 0;	/* inside <code> (and so <pre>) */

	while (*p != '\0') {
		char name[MEDIA_NAME_MAX + 1];
		const char *e;

		if (*p == '<') {
			if (strncmp(p, "<code", 5) == 0 && (p[5] == '>' ||
			    p[5] == ' '))
				code++;
			else if (strncmp(p, "</code>", 7) == 0 && code > 0)
				code--;
			p += copy_tag(&b, p, deck);
			continue;
		}
		if (code == 0 && strncmp(p, "[sound:", 7) == 0 &&
		    (e = strpbrk(p + 7, "]<")) != NULL && *e == ']' &&
		    name_of(p + 7, (size_t)(e - p - 7), false, name,
		    sizeof(name))) {
			const char *tag = is_video(name) ? "video" : "audio";

			buf_putc(&b, '<');
			buf_puts(&b, tag);
			buf_puts(&b, " controls preload=\"metadata\" src=\"");
			put_address(&b, deck, name);
			buf_puts(&b, "\"></");
			buf_puts(&b, tag);
			buf_putc(&b, '>');
			p = e + 1;
			continue;
		}
		/* The text up to the next tag or bracket, as it is. */
		e = p + 1 + strcspn(p + 1, "<[");
		buf_put(&b, p, (size_t)(e - p));
		p = e;
	}
	return buf_take(&b);
}

void
media_markdown(const char *name, bool image, char *out, size_t cap)
{
	bool angle = image && strpbrk(name, " ()") != NULL;
	size_t k;

	if (!image) {
		snprintf(out, cap, "[sound:%s]", name);
		return;
	}
	/*
	 * An image's address is read with %XX decoded (media_html), so a
	 * '%' of the name is written %25.
	 */
	k = (size_t)snprintf(out, cap, "![](%s", angle ? "<" : "");
	for (const char *p = name; *p != '\0' && k + 4 < cap; p++) {
		if (*p == '%') {
			memcpy(out + k, "%25", 3);
			k += 3;
		} else {
			out[k++] = *p;
		}
	}
	snprintf(out + (k < cap ? k : cap - 1), cap - (k < cap ? k : cap - 1),
	    "%s)", angle ? ">" : "");
}
