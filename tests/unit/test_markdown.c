/*
 * test_markdown.c - lesson Markdown to safe HTML (src/core/markdown.h).
 *
 * markdown_to_html: CommonMark with GitHub's tables, strikethrough and task
 * lists; raw HTML (blocks, spans, comments) comes out escaped; link and
 * image addresses stay when relative, http(s): or (links only) mailto:, and
 * every other scheme - however it is written: upper case, with character
 * references, as an autolink or a reference definition - ends as "#".  Text
 * that merely looks like an attribute never becomes one.  markdown_url_ok
 * is checked directly on its own.  Every result is freed, so the ASan build
 * also proves there is no leak.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/markdown.h"

/* html contains (or lacks) the text s; shows the HTML when it does not. */
#define assert_has(html, s) do {					\
	if (strstr((html), (s)) == NULL) {				\
		print_error("expected %s in:\n%s\n", (s), (html));	\
		fail();							\
	}								\
} while (0)
#define assert_lacks(html, s) do {					\
	if (strstr((html), (s)) != NULL) {				\
		print_error("did not expect %s in:\n%s\n", (s), (html));	\
		fail();							\
	}								\
} while (0)
#define assert_lacks_nocase(html, s) do {				\
	if (strcasestr((html), (s)) != NULL) {				\
		print_error("did not expect %s in:\n%s\n", (s), (html));	\
		fail();							\
	}								\
} while (0)
#define assert_links_safe(html) do {					\
	if (!links_safe(html)) {					\
		print_error("an unsafe address in:\n%s\n", (html));	\
		fail();							\
	}								\
} while (0)

static char *
render(const char *md)
{
	char *html = markdown_to_html(md, strlen(md));

	assert_non_null(html);
	return html;
}

static int
url_ok(const char *url, int allow_mailto)
{
	return markdown_url_ok(url, strlen(url), allow_mailto);
}

/*
 * The scheme a browser would see in an attribute value of n bytes, lower
 * case, in out; "" when the address is relative.  As the URL standard
 * says: leading spaces and C0 controls are dropped, tabs and newlines
 * anywhere are removed, and a scheme is an ASCII letter followed by
 * letters, digits, '+', '-' or '.' up to a ':'.
 */
static void
browser_scheme(const char *v, size_t n, char *out, size_t size)
{
	char clean[1024];
	size_t m = 0, i = 0, k;

	while (i < n && (unsigned char)v[i] <= 0x20)
		i++;
	for (; i < n && m + 1 < sizeof(clean); i++)
		if (v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			clean[m++] = v[i];
	clean[m] = '\0';
	out[0] = '\0';
	if (m == 0 || !isalpha((unsigned char)clean[0]))
		return;
	for (k = 1; k < m; k++)
		if (!(isalnum((unsigned char)clean[k]) || clean[k] == '+' ||
		    clean[k] == '-' || clean[k] == '.'))
			break;
	if (k == m || clean[k] != ':' || k + 1 > size)
		return;
	for (i = 0; i < k; i++)
		out[i] = (char)tolower((unsigned char)clean[i]);
	out[k] = '\0';
}

/*
 * True when every href and src value in html (the attributes md4c writes)
 * is relative, "#", http(s): or, for href, mailto:.
 */
static int
links_safe(const char *html)
{
	static const char *const attrs[] = {" href=\"", " src=\""};

	for (size_t a = 0; a < 2; a++) {
		const char *p = html;

		while ((p = strstr(p, attrs[a])) != NULL) {
			const char *v = p + strlen(attrs[a]);
			const char *end = strchr(v, '"');
			char scheme[64];

			if (end == NULL)
				return 0;
			browser_scheme(v, (size_t)(end - v), scheme,
			    sizeof(scheme));
			if (scheme[0] != '\0' && strcmp(scheme, "http") != 0 &&
			    strcmp(scheme, "https") != 0 &&
			    !(a == 0 && strcmp(scheme, "mailto") == 0))
				return 0;
			p = end;
		}
	}
	return 1;
}

/* The checker above catches what it should (else it would prove nothing). */
static void
links_safe_self_check(void **state)
{
	(void)state;
	assert_false(links_safe("<a href=\"javascript:x\">"));
	assert_false(links_safe("<a href=\"JavaScript:x\">"));
	assert_false(links_safe("<a href=\" \x01java\tscript:x\">"));
	assert_false(links_safe("<a href=\"/ok\"> <img src=\"data:x\">"));
	assert_false(links_safe("<img src=\"mailto:a@b\">"));
	assert_false(links_safe("<a href=\"unterminated"));
	assert_true(links_safe("<a href=\"mailto:a@b\">"));
	assert_true(links_safe("<a href=\"#\"><img src=\"HTTPS://x\">"));
	assert_true(links_safe("<a href=\"java%09script:x\">"));
	assert_true(links_safe("<a href=\"a/b:c\">"));
}

/* ---- Rendering ------------------------------------------------------- */

static void
empty_input(void **state)
{
	char *html;

	(void)state;
	html = markdown_to_html("", 0);
	assert_non_null(html);
	assert_string_equal(html, "");
	free(html);

	/* Only the length counts: a non-empty string of length 0. */
	html = markdown_to_html("# not read", 0);
	assert_non_null(html);
	assert_string_equal(html, "");
	free(html);
}

static void
headings(void **state)
{
	char *html;

	(void)state;
	html = render("# One\n\n## Two\n\n### Three\n\n###### Six\n");
	assert_has(html, "<h1>One</h1>");
	assert_has(html, "<h2>Two</h2>");
	assert_has(html, "<h3>Three</h3>");
	assert_has(html, "<h6>Six</h6>");
	free(html);

	html = render("Title\n=====\n\nSub\n---\n");
	assert_has(html, "<h1>Title</h1>");
	assert_has(html, "<h2>Sub</h2>");
	free(html);

	/* Seven hashes are no heading. */
	html = render("####### seven\n");
	assert_lacks(html, "<h7>");
	assert_has(html, "<p>####### seven</p>");
	free(html);
}

static void
emphasis(void **state)
{
	char *html;

	(void)state;
	html = render("*a* _b_ **c** __d__ ***e***\n");
	assert_has(html, "<em>a</em>");
	assert_has(html, "<em>b</em>");
	assert_has(html, "<strong>c</strong>");
	assert_has(html, "<strong>d</strong>");
	assert_has(html, "<em><strong>e</strong></em>");
	free(html);

	/* Escaped markers stay text. */
	html = render("\\*not em\\*\n");
	assert_has(html, "<p>*not em*</p>");
	free(html);
}

static void
lists(void **state)
{
	char *html;

	(void)state;
	html = render("- a\n- b\n  - nested\n- c\n");
	assert_has(html, "<ul>\n<li>a</li>\n<li>b<ul>\n<li>nested</li>\n</ul>\n"
	    "</li>\n<li>c</li>\n</ul>");
	free(html);

	html = render("1. one\n2. two\n");
	assert_has(html, "<ol>\n<li>one</li>\n<li>two</li>\n</ol>");
	free(html);

	html = render("3. three\n4. four\n");
	assert_has(html, "<ol start=\"3\">");
	free(html);

	/* GitHub's task lists. */
	html = render("- [x] done\n- [ ] to do\n");
	assert_has(html, "class=\"task-list-item\"");
	assert_has(html, "disabled checked>done");
	assert_has(html, "disabled>to do");
	free(html);
}

static void
code(void **state)
{
	char *html;

	(void)state;
	html = render("Use `a < b && c` here.\n");
	assert_has(html, "<code>a &lt; b &amp;&amp; c</code>");
	free(html);

	html = render("```c\nint main(void) { return 1 < 2; }\n<b>x</b>\n```\n");
	assert_has(html, "<pre><code class=\"language-c\">int main(void) { "
	    "return 1 &lt; 2; }\n&lt;b&gt;x&lt;/b&gt;\n</code></pre>");
	free(html);

	html = render("~~~\nplain\n~~~\n");
	assert_has(html, "<pre><code>plain\n</code></pre>");
	free(html);

	html = render("    indented <code>\n");
	assert_has(html, "<pre><code>indented &lt;code&gt;\n</code></pre>");
	free(html);

	/* A quote in the info string cannot close the class attribute. */
	html = render("```js\" onclick=\"x\nbody\n```\n");
	assert_lacks(html, "onclick=\"");
	assert_lacks(html, "\" onclick");
	free(html);
}

static void
tables(void **state)
{
	char *html;

	(void)state;
	html = render("| Port | Protocol |\n|---|---|\n| 22 | SSH |\n"
	    "| 443 | HTTPS |\n");
	assert_has(html, "<table>");
	assert_has(html, "<thead>\n<tr>\n<th>Port</th>\n<th>Protocol</th>\n"
	    "</tr>\n</thead>");
	assert_has(html, "<tbody>\n<tr>\n<td>22</td>\n<td>SSH</td>\n</tr>");
	assert_has(html, "<td>443</td>\n<td>HTTPS</td>");
	free(html);

	html = render("| L | C | R |\n|:--|:-:|--:|\n| a | `b|c` | c |\n");
	assert_has(html, "<th align=\"left\">L</th>");
	assert_has(html, "<th align=\"center\">C</th>");
	assert_has(html, "<th align=\"right\">R</th>");
	free(html);

	/* Without the delimiter row it is a paragraph. */
	html = render("| a | b |\n| c | d |\n");
	assert_lacks(html, "<table>");
	free(html);
}

static void
strikethrough(void **state)
{
	char *html;

	(void)state;
	html = render("~~gone~~ and ~kept~\n");
	assert_has(html, "<del>gone</del>");
	assert_lacks(html, "~~");
	free(html);

	html = render("| a |\n|---|\n| ~~x~~ |\n");
	assert_has(html, "<td><del>x</del></td>");
	free(html);
}

/* ---- Raw HTML --------------------------------------------------------- */

static void
raw_html_escaped(void **state)
{
	static const char *const cases[][2] = {
		{"<script>alert(1)</script>\n",
		    "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"<img src=x onerror=alert(1)>\n",
		    "&lt;img src=x onerror=alert(1)&gt;"},
		{"<iframe src=\"https://evil.example\"></iframe>\n",
		    "&lt;iframe src=&quot;https://evil.example&quot;&gt;"
		    "&lt;/iframe&gt;"},
		{"<!-- hidden -->\n", "&lt;!-- hidden --&gt;"},
		{"<div onclick=\"x()\">hi</div>\n",
		    "&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;"},
		{"a <b>bold</b> <span style=\"x\">s</span>\n",
		    "a &lt;b&gt;bold&lt;/b&gt; &lt;span style=&quot;x&quot;&gt;"
		    "s&lt;/span&gt;"},
		{"<a href=\"javascript:alert(1)\">x</a>\n",
		    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"},
		{"<?php echo 1; ?>\n", "&lt;?php echo 1; ?&gt;"},
		{"<![CDATA[x]]>\n", "&lt;![CDATA[x]]&gt;"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i][0]);

		assert_has(html, cases[i][1]);
		assert_lacks_nocase(html, "<script");
		assert_lacks_nocase(html, "<img");
		assert_lacks_nocase(html, "<iframe");
		assert_lacks_nocase(html, "<div");
		assert_lacks_nocase(html, "<b>");
		assert_lacks_nocase(html, "<span");
		assert_lacks_nocase(html, "<!--");
		assert_lacks_nocase(html, "<a ");
		assert_lacks_nocase(html, "<?");
		assert_lacks_nocase(html, "<![");
		free(html);
	}
}

static void
raw_html_in_lists_and_tables(void **state)
{
	char *html;

	(void)state;
	html = render("- <script>x</script>\n\n| a |\n|---|\n| <img src=x> |\n"
	    "\n> <iframe>\n");
	assert_lacks_nocase(html, "<script");
	assert_lacks_nocase(html, "<img");
	assert_lacks_nocase(html, "<iframe");
	assert_has(html, "&lt;script&gt;x&lt;/script&gt;");
	free(html);
}

/* ---- Link and image addresses kept ------------------------------------ */

static void
links_kept(void **state)
{
	static const char *const cases[][2] = {
		{"[x](https://example.com/a)", "<a href=\"https://example.com/a\">"},
		{"[x](http://example.com)", "<a href=\"http://example.com\">"},
		{"[x](HTTPS://EXAMPLE.COM)", "<a href=\"HTTPS://EXAMPLE.COM\">"},
		{"[x](/x)", "<a href=\"/x\">"},
		{"[x](../x)", "<a href=\"../x\">"},
		{"[x](x/y.html)", "<a href=\"x/y.html\">"},
		{"[x](#frag)", "<a href=\"#frag\">"},
		{"[x](?q=1)", "<a href=\"?q=1\">"},
		{"[x](a/b:c)", "<a href=\"a/b:c\">"},
		{"[x](mailto:someone@example.com)",
		    "<a href=\"mailto:someone@example.com\">"},
		{"[x](https://example.com/?a=1&b=2)",
		    "<a href=\"https://example.com/?a=1&amp;b=2\">"},
		{"[x](/ok \"A title\")", "<a href=\"/ok\" title=\"A title\">"},
		{"<https://example.com/auto>",
		    "<a href=\"https://example.com/auto\">"},
		{"www.example.com", "<a href=\"http://www.example.com\">"},
		{"someone@example.com", "<a href=\"mailto:someone@example.com\">"},
		{"[x][r]\n\n[r]: https://example.com/ref",
		    "<a href=\"https://example.com/ref\">"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i][0]);

		assert_has(html, cases[i][1]);
		assert_links_safe(html);
		free(html);
	}
}

static void
images_kept(void **state)
{
	static const char *const cases[][2] = {
		{"![i](https://example.com/i.png)",
		    "<img src=\"https://example.com/i.png\" alt=\"i\">"},
		{"![i](http://example.com/i.png \"T\")",
		    "<img src=\"http://example.com/i.png\" alt=\"i\" title=\"T\">"},
		{"![i](/media/i.png)", "<img src=\"/media/i.png\" alt=\"i\">"},
		{"![i](../i.png)", "<img src=\"../i.png\" alt=\"i\">"},
		{"![i](i.png?v=2)", "<img src=\"i.png?v=2\" alt=\"i\">"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i][0]);

		assert_has(html, cases[i][1]);
		free(html);
	}
}

/* ---- Link and image addresses refused --------------------------------- */

static void
bad_schemes_become_hash(void **state)
{
	static const char *const cases[] = {
		"[x](javascript:alert(1))",
		"[x](JAVASCRIPT:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"[x](<javascript:alert(1)>)",
		"[x](javascript:alert(1) \"title\")",
		"[x](vbscript:msgbox(1))",
		"[x](VBScript:msgbox(1))",
		"[x](data:text/html,<script>alert(1)</script>)",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"[x](data:image/png;base64,AAAA)",
		"[x](file:///etc/passwd)",
		"[x](c:x)",
		"[x](ftp://example.com/)",
		"[x](https+evil:x)",
		"[x](httpx://example.com)",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i]);

		assert_has(html, "<a href=\"#\"");
		assert_has(html, ">x</a>");
		assert_lacks_nocase(html, "href=\"javascript");
		assert_links_safe(html);
		free(html);
	}
}

static void
images_refused(void **state)
{
	static const char *const cases[] = {
		"![i](javascript:alert(1))",
		"![i](JAVASCRIPT:alert(1))",
		"![i](vbscript:x)",
		"![i](data:image/png;base64,iVBORw0KGgo=)",
		"![i](data:image/svg+xml;base64,PHN2Zz4=)",
		"![i](data:text/html,<script>)",
		/* mailto: is for links only */
		"![i](mailto:someone@example.com)",
		"![i][r]\n\n[r]: data:image/gif;base64,R0lGOD",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i]);

		assert_has(html, "<img src=\"#\" alt=\"i\">");
		assert_lacks_nocase(html, "src=\"data");
		assert_links_safe(html);
		free(html);
	}
}

static void
entity_obfuscated_schemes(void **state)
{
	static const char *const cases[] = {
		"[x](jav&#x61;script:alert(1))",
		"[x](&#x6A;avascript:alert(1))",
		"[x](&#106;avascript:alert(1))",
		"[x](javascript&#58;alert(1))",
		"[x](javascript&colon;alert(1))",
		"[x](&#x4A;&#x41;&#x56;&#x41;script:alert(1))",
		"![i](jav&#x61;script:alert(1))",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i]);

		if (strstr(html, "<a href=\"#\">x</a>") == NULL)
			assert_has(html, "<img src=\"#\"");
		assert_lacks_nocase(html, "href=\"javascript");
		assert_lacks_nocase(html, "src=\"javascript");
		assert_links_safe(html);
		free(html);
	}
}

/*
 * A tab or newline hidden in the scheme as a character reference: a browser
 * removes literal tabs and newlines from an address, so the address must not
 * keep a bare one.  md4c percent-encodes them ("java%09script:..."), which
 * no longer parses as a scheme: a harmless relative address.  Either "#" or
 * such an address is fine; a live javascript: is not.
 */
static void
whitespace_obfuscated_schemes(void **state)
{
	static const char *const cases[] = {
		"[x](java&#09;script:alert(1))",
		"[x](java&#x0A;script:alert(1))",
		"[x](java&#13;script:alert(1))",
		"[x](&#32;javascript:alert(1))",
		"[x](<\tjavascript:alert(1)>)",
		"[x](< javascript:alert(1)>)",
		"[x](<\x01javascript:alert(1)>)",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i]);

		assert_lacks_nocase(html, "href=\"javascript");
		assert_lacks(html, "\t");
		assert_lacks(html, "\x01");
		assert_links_safe(html);
		free(html);
	}
}

static void
autolinks_refused(void **state)
{
	static const char *const cases[] = {
		"<javascript:alert(1)>",
		"<JAVASCRIPT:alert(1)>",
		"<vbscript:msgbox(1)>",
		"<data:text/html,hi>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i]);

		assert_has(html, "<a href=\"#\">");
		assert_lacks_nocase(html, "href=\"javascript");
		assert_links_safe(html);
		free(html);
	}

	/* Permissive autolinks only make http(s): and mailto: links. */
	{
		char *html = render("javascript:alert(1) and "
		    "www.example.com/javascript:x\n");

		assert_lacks_nocase(html, "href=\"javascript");
		assert_links_safe(html);
		free(html);
	}
}

static void
reference_links_refused(void **state)
{
	char *html;

	(void)state;
	html = render("[x][r]\n\n[r]: javascript:alert(1)\n");
	assert_has(html, "<a href=\"#\">x</a>");
	assert_lacks_nocase(html, "javascript:alert");
	free(html);

	html = render("[r][] [r] ![i][r]\n\n[r]: JavaScript:alert(1) \"t\"\n");
	assert_has(html, "<a href=\"#\" title=\"t\">r</a> <a href=\"#\" "
	    "title=\"t\">r</a> <img src=\"#\" alt=\"i\" title=\"t\">");
	assert_links_safe(html);
	free(html);

	html = render("[x][r]\n\n[r]: <jav&#x61;script:alert(1)>\n");
	assert_has(html, "<a href=\"#\">x</a>");
	assert_links_safe(html);
	free(html);
}

static void
nested_link_and_image_refused(void **state)
{
	char *html;

	(void)state;
	html = render("[![i](javascript:1)](javascript:2)\n");
	assert_has(html, "<a href=\"#\"><img src=\"#\" alt=\"i\"></a>");
	free(html);

	/* One bad address among good ones: only it is replaced. */
	html = render("[a](/ok) [b](javascript:x) [c](https://e.example) "
	    "![d](data:image/png,x) ![e](/e.png)\n");
	assert_has(html, "<a href=\"/ok\">a</a>");
	assert_has(html, "<a href=\"#\">b</a>");
	assert_has(html, "<a href=\"https://e.example\">c</a>");
	assert_has(html, "<img src=\"#\" alt=\"d\">");
	assert_has(html, "<img src=\"/e.png\" alt=\"e\">");
	free(html);
}

/* Text that looks like an attribute never becomes one. */
static void
attribute_lookalike_text(void **state)
{
	static const char *const cases[] = {
		"`\" href=\"javascript:alert(1)`\n",
		"`<a href=\"javascript:alert(1)\">`\n",
		"a \" href=\"javascript:alert(1)\" b\n",
		"x href=\"javascript:alert(1)\" y src=\"javascript:alert(2)\"\n",
		"```\n<a href=\"javascript:alert(1)\">x</a>\n```\n",
		"    <img src=\"javascript:alert(1)\">\n",
		"[x](/ok \"t\\\" href=\\\"javascript:alert(1)\")\n",
		"![a\" src=\"javascript:alert(1)](/i.png)\n",
		"| c |\n|---|\n| ` href=\"javascript:x` |\n",
		"# \" href=\"javascript:alert(1)\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *html = render(cases[i]);

		assert_lacks_nocase(html, "href=\"javascript");
		assert_lacks_nocase(html, "src=\"javascript");
		assert_has(html, "&quot;");
		assert_links_safe(html);
		free(html);
	}
}

static void
large_input(void **state)
{
	const char line[] = "- item *em* **strong** [l](/x) `c` ~~d~~\n";
	size_t n = 200 * 1024, ll = strlen(line), lines = 0;
	char *md = malloc(n + 1), *html;
	const char *p;

	(void)state;
	assert_non_null(md);
	for (size_t o = 0; o < n; o += ll) {
		size_t k = n - o < ll ? n - o : ll;

		memcpy(md + o, line, k);
		lines += k == ll;
	}
	md[n] = '\0';
	html = markdown_to_html(md, n);
	assert_non_null(html);
	assert_true(strlen(html) > n);
	{
		size_t items = 0;

		for (p = html; (p = strstr(p, "<li>")) != NULL; p++)
			items++;
		assert_true(items >= lines);
	}
	free(html);

	/* 200 KB of markers that never close. */
	memset(md, '[', n / 2);
	memset(md + n / 2, '*', n - n / 2);
	html = markdown_to_html(md, n);
	assert_non_null(html);
	assert_true(strlen(html) >= n);
	free(html);
	free(md);
}

/* Input need not be NUL-terminated: only len bytes are read. */
static void
length_not_terminator(void **state)
{
	char md[] = {'*', 'a', '*', '[', 'x', ']', '(', '/', 'y', ')'};
	char *html;

	(void)state;
	html = markdown_to_html(md, 3);
	assert_string_equal(html, "<p><em>a</em></p>\n");
	free(html);
	html = markdown_to_html(md, sizeof(md));
	assert_string_equal(html, "<p><em>a</em><a href=\"/y\">x</a></p>\n");
	free(html);
}

/* ---- markdown_url_ok -------------------------------------------------- */

static void
url_ok_http_https(void **state)
{
	(void)state;
	assert_true(url_ok("http://example.com", 0));
	assert_true(url_ok("https://example.com/a?b=c#d", 0));
	assert_true(url_ok("HTTP://EXAMPLE.COM", 0));
	assert_true(url_ok("HtTpS://example.com", 0));
	assert_true(url_ok("http:", 0));
	assert_true(url_ok("https:", 0));
	assert_true(url_ok("https:x", 0));
	assert_true(url_ok("http://a.example/?x=1&amp;y=2", 0));
}

static void
url_ok_relative(void **state)
{
	(void)state;
	assert_true(url_ok("", 0));
	assert_true(url_ok("/x", 0));
	assert_true(url_ok("../x", 0));
	assert_true(url_ok("./x", 0));
	assert_true(url_ok("x", 0));
	assert_true(url_ok("x/y.html", 0));
	assert_true(url_ok("#frag", 0));
	assert_true(url_ok("?q", 0));
	assert_true(url_ok("?q=a:b", 0));
	assert_true(url_ok("#a:b", 0));
	assert_true(url_ok("/a:b", 0));
	assert_true(url_ok("a/b:c", 0));
	assert_true(url_ok("//example.com/x", 0));
	assert_true(url_ok("mailto", 0));
	assert_true(url_ok("javascript", 0));
	/* percent-encoded: not a scheme */
	assert_true(url_ok("java%09script:alert(1)", 0));
	assert_true(url_ok("%6Aavascript:alert(1)", 0));
}

static void
url_ok_other_schemes(void **state)
{
	static const char *const refused[] = {
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", "JavaScript:x",
		"javascript:", "vbscript:msgbox(1)", "VBSCRIPT:x",
		"data:text/html,<script>", "data:image/png;base64,AAAA",
		"DATA:image/gif,x", "file:///etc/passwd", "ftp://example.com",
		"c:x", "C:\\Windows", "a:", "ht:x", "htt:x", "httpx:x",
		"xhttp:x", "http2://x", "https2:x", "httpss:x", "shttp:x",
		"svn+ssh://x", "ms-settings:x", "a.b:c", "blob:https://x",
		"mailto:a@example.com", "MAILTO:a@example.com", "tel:123",
		"mailtox:a", "xmailto:a", ":x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (url_ok(refused[i], 0)) {
			print_error("accepted %s\n", refused[i]);
			fail();
		}
	}
}

static void
url_ok_mailto(void **state)
{
	(void)state;
	assert_false(url_ok("mailto:a@example.com", 0));
	assert_true(url_ok("mailto:a@example.com", 1));
	assert_true(url_ok("MAILTO:a@example.com", 1));
	assert_true(url_ok("MailTo:a@example.com", 1));
	assert_true(url_ok("mailto:", 1));
	assert_false(url_ok("mailtox:a", 1));
	assert_false(url_ok("mail:a", 1));
	assert_false(url_ok("xmailto:a", 1));
	/* allow_mailto allows nothing else */
	assert_false(url_ok("javascript:alert(1)", 1));
	assert_false(url_ok("data:text/html,x", 1));
	assert_false(url_ok("tel:123", 1));
	assert_true(url_ok("https://x", 1));
	assert_true(url_ok("/x", 1));
}

static void
url_ok_reads_len_bytes(void **state)
{
	/* no terminator: ASan sees any read past len */
	char *http = malloc(4), *js = malloc(11);

	(void)state;
	memcpy(http, "http", 4);
	memcpy(js, "javascript:", 11);
	assert_true(markdown_url_ok(http, 4, 0));
	assert_false(markdown_url_ok(js, 11, 0));
	/* "javascript" alone (no ':' within len) is a relative path */
	assert_true(markdown_url_ok(js, 10, 0));
	/* "https:x" cut to "https" */
	assert_true(markdown_url_ok("https:x", 5, 0));
	/* len 0 */
	assert_true(markdown_url_ok(js, 0, 0));
	free(http);
	free(js);
}

/*
 * The value of an href is read by a browser after dropping leading spaces
 * and C0 controls and removing tabs and newlines anywhere, so these all
 * are javascript: addresses and must not be "ok".
 */
static void
url_ok_whitespace_and_controls(void **state)
{
	(void)state;
	/* Regression (fixed): markdown_url_ok treats any character outside [A-Za-z0-9+.-]
	 * before the ':' as "not a scheme: relative" and returns 1 for
	 * " javascript:alert(1)", "\tjavascript:", "java\tscript:",
	 * "java\nscript:" and "\x01javascript:", which browsers run as
	 * javascript: (URL standard: leading C0/space stripped, tab and
	 * newline removed).  Not reachable through markdown_to_html today
	 * (md4c percent-encodes such bytes) nor content_lesson_body (it
	 * wants a leading "http"), but the predicate itself is unsafe. */
	assert_false(url_ok(" javascript:alert(1)", 0));
	assert_false(url_ok("  javascript:alert(1)", 1));
	assert_false(url_ok("\tjavascript:alert(1)", 0));
	assert_false(url_ok("java\tscript:alert(1)", 0));
	assert_false(url_ok("java\nscript:alert(1)", 0));
	assert_false(url_ok("java\rscript:alert(1)", 0));
	assert_false(url_ok("\x01javascript:alert(1)", 0));
}

/*
 * Found by make security (fuzz_markdown): md4c 0.4.8 read one byte past
 * the end of this input (a table row, then an image whose address is cut
 * short by the end of the text).  markdown_to_html() hands md4c a copy
 * that ends in a NUL, which is where that read now lands.  The input is
 * in an allocation of its exact size, so that ASan sees a read past it.
 */
static void
input_read_past_its_end_by_md4c(void **state)
{
	static const unsigned char input[] = {
	    0x0a, 0x0a, 0x7c, 0x20, 0x61, 0x20, 0x7c, 0x20, 0xff, 0xff, 0xff,
	    0x61, 0x20, 0x7c, 0x20, 0x64, 0x61, 0x74, 0x21, 0x5b, 0x69, 0x5d,
	    0x28, 0x68, 0x74, 0x74, 0x70, 0x31, 0x3a, 0x2f, 0x2f, 0x65, 0x2f,
	    0x78, 0x2e, 0x70, 0x6e, 0x67, 0x29, 0x20, 0x3c, 0x62, 0x3e, 0x78,
	    0x3c, 0x2f, 0x62, 0x3e, 0x0a, 0x0a, 0x7c, 0x20, 0x61, 0x20, 0x7c,
	    0x20, 0xff, 0xff, 0xff, 0x61, 0x20, 0x7c, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x5d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x62, 0x20, 0x7c, 0x0a,
	    0x7c, 0x21, 0x34, 0x39, 0x30, 0x32, 0x33, 0x31, 0x39, 0x30, 0x39,
	    0x34, 0x38, 0x38, 0x2f, 0x28, 0x68, 0x74, 0x74, 0x70, 0x3a, 0x2f,
	    0x2f, 0x65, 0x23, 0x20, 0x54, 0x9e, 0xc1, 0x87, 0xc3, 0xd0, 0x9d,
	    0xc1, 0xf0, 0x0a, 0x7d, 0x20, 0x20, 0x21, 0x5b, 0x69, 0x5d, 0x28,
	    0x68, 0x74, 0x74, 0x70, 0x31, 0x3a, 0x2f, 0x2f, 0x65, 0x2f, 0x74,
	    0x70, 0x3a, 0x2f, 0x2f, 0x65, 0x2f, 0x78, 0x2e, 0x70, 0x6e, 0xbb
	};
	char *copy = malloc(sizeof(input));
	char *html;

	(void)state;
	memcpy(copy, input, sizeof(input));
	html = markdown_to_html(copy, sizeof(input));
	assert_non_null(html);
	free(html);
	free(copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input_read_past_its_end_by_md4c),
		cmocka_unit_test(links_safe_self_check),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(headings),
		cmocka_unit_test(emphasis),
		cmocka_unit_test(lists),
		cmocka_unit_test(code),
		cmocka_unit_test(tables),
		cmocka_unit_test(strikethrough),
		cmocka_unit_test(raw_html_escaped),
		cmocka_unit_test(raw_html_in_lists_and_tables),
		cmocka_unit_test(links_kept),
		cmocka_unit_test(images_kept),
		cmocka_unit_test(bad_schemes_become_hash),
		cmocka_unit_test(images_refused),
		cmocka_unit_test(entity_obfuscated_schemes),
		cmocka_unit_test(whitespace_obfuscated_schemes),
		cmocka_unit_test(autolinks_refused),
		cmocka_unit_test(reference_links_refused),
		cmocka_unit_test(nested_link_and_image_refused),
		cmocka_unit_test(attribute_lookalike_text),
		cmocka_unit_test(large_input),
		cmocka_unit_test(length_not_terminator),
		cmocka_unit_test(url_ok_http_https),
		cmocka_unit_test(url_ok_relative),
		cmocka_unit_test(url_ok_other_schemes),
		cmocka_unit_test(url_ok_mailto),
		cmocka_unit_test(url_ok_reads_len_bytes),
		cmocka_unit_test(url_ok_whitespace_and_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
