/*
 * test_extract.c - sniffing uploads and normalizing their text
 * (src/materials/extract.h).
 *
 * PDFs are drawn here with cairo, so each test knows where every line
 * stands on the page.  The sandbox runs this very binary as its child:
 * main() plays `ludus extract-pdf` when asked, and also a child that
 * hangs, floods, crashes or lies, which the real one cannot be made to do.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include "materials/extract.h"

static char self[PATH_MAX];	/* this binary, the sandbox's program */

static const struct extract_limits lim = {1 << 20, 50};

/* Sniffing */

static int
sniff(const char *type, const char *body, int *status)
{
	enum mat_format fmt = -1;
	char err[256] = "";

	*status = 0;
	if (extract_sniff(type, body, strlen(body), &fmt, status, err,
	    sizeof(err)) != 0) {
		assert_true(strlen(err) > 10);
		assert_true(*status == 415 || *status == 422);
		return -1;
	}
	return (int)fmt;
}

static void
sniff_takes_every_declared_type(void **state)
{
	int st;

	(void)state;
	assert_int_equal(sniff("text/plain", "hi", &st), MAT_TEXT);
	assert_int_equal(sniff("text/plain; charset=utf-8", "hi", &st),
	    MAT_TEXT);
	assert_int_equal(sniff("Text/Plain;Charset=\"UTF-8\"", "hi", &st),
	    MAT_TEXT);
	assert_int_equal(sniff("text/plain; format=flowed; charset=us-ascii",
	    "hi", &st), MAT_TEXT);
	assert_int_equal(sniff("text/markdown", "# hi", &st), MAT_MARKDOWN);
	assert_int_equal(sniff("text/x-markdown;charset=UTF-8", "# hi", &st),
	    MAT_MARKDOWN);
	assert_int_equal(sniff("text/html", "<p>hi", &st), MAT_HTML);
	assert_int_equal(sniff(" application/xhtml+xml ; charset=utf-8",
	    "<p>hi</p>", &st), MAT_HTML);
	assert_int_equal(sniff("application/pdf", "%PDF-1.7 rest", &st),
	    MAT_PDF);
	/* A charset means nothing to a PDF. */
	assert_int_equal(sniff("application/pdf; charset=latin1",
	    "%PDF-1.4", &st), MAT_PDF);
	/* UTF-8 beyond ASCII, a BOM included. */
	assert_int_equal(sniff("text/plain", "\xef\xbb\xbf" "caf\xc3\xa9 "
	    "\xf0\x9f\x98\x80", &st), MAT_TEXT);
}

static void
sniff_refuses_other_types_with_415(void **state)
{
	static const char *const bad[] = {"application/octet-stream",
	    "image/png", "text/csv", "text/plainx", "text", "", "text/html2",
	    "application/pdf-x", "multipart/form-data"};
	int st;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sniff(bad[i], "hello", &st), -1);
		assert_int_equal(st, 415);
	}
	assert_int_equal(sniff(NULL, "hello", &st), -1);
	assert_int_equal(st, 415);
	assert_int_equal(sniff("text/plain; charset=iso-8859-1", "hi", &st),
	    -1);
	assert_int_equal(st, 415);
	assert_int_equal(sniff("text/html;charset=\"utf-16\"", "hi", &st),
	    -1);
	assert_int_equal(st, 415);
}

static void
sniff_checks_the_bytes_against_the_type(void **state)
{
	enum mat_format fmt;
	char err[256];
	int st;

	(void)state;
	assert_int_equal(sniff("text/plain", "%PDF-1.4\n%...", &st), -1);
	assert_int_equal(st, 422);
	assert_int_equal(sniff("text/markdown", "%PDF-", &st), -1);
	assert_int_equal(st, 422);
	assert_int_equal(extract_sniff("application/pdf", "hello pdf", 9,
	    &fmt, &st, err, sizeof(err)), -1);
	assert_int_equal(st, 422);
	assert_string_equal(err, "The file is not a PDF.");
	assert_int_equal(sniff("application/pdf", " %PDF-1.4", &st), -1);
	assert_int_equal(st, 422);
}

static void
sniff_refuses_empty_and_blank_bodies(void **state)
{
	enum mat_format fmt;
	char err[256];
	int st;

	(void)state;
	assert_int_equal(extract_sniff("text/plain", "", 0, &fmt, &st, err,
	    sizeof(err)), -1);
	assert_int_equal(st, 422);
	assert_int_equal(extract_sniff("application/pdf", "", 0, &fmt, &st,
	    err, sizeof(err)), -1);
	assert_int_equal(st, 422);
	assert_int_equal(sniff("text/plain", " \t\r\n\n  ", &st), -1);
	assert_int_equal(st, 422);
	/* No-break spaces, a BOM and control characters are no text either. */
	assert_int_equal(sniff("text/markdown", "\xef\xbb\xbf\xc2\xa0\x01\x7f",
	    &st), -1);
	assert_int_equal(st, 422);
	assert_int_equal(extract_sniff("text/plain", "\0\0\0", 3, &fmt, &st,
	    err, sizeof(err)), -1);
	assert_int_equal(st, 422);
}

static void
sniff_refuses_invalid_utf8(void **state)
{
	static const char *const bad[] = {"caf\xe9", "\xc0\xaf", "\xed\xa0\x80",
	    "abc\xe2\x82", "\xf4\x90\x80\x80", "\x80", "ok \xff ok"};
	int st;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sniff("text/plain", bad[i], &st), -1);
		assert_int_equal(st, 422);
		assert_int_equal(sniff("text/html", bad[i], &st), -1);
	}
}

/* Text and Markdown */

static char *
normalize_n(enum mat_format fmt, const char *in, size_t len,
    struct extract_info *info)
{
	char *out = NULL, err[256] = "";

	if (extract_text(fmt, in, len, &lim, &out, info, err,
	    sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	return out;
}

static void
expect(enum mat_format fmt, const char *in, const char *want)
{
	char *out = normalize_n(fmt, in, strlen(in), NULL);

	assert_string_equal(out, want);
	free(out);
}

static void
expect_refused(enum mat_format fmt, const char *in, size_t max,
    const char *why)
{
	struct extract_limits l = {max, 50};
	struct extract_info info;
	char *out = (char *)1, err[256] = "";

	assert_int_equal(extract_text(fmt, in, strlen(in), &l, &out, &info,
	    err, sizeof(err)), -1);
	assert_null(out);
	assert_non_null(strstr(err, why));
}

static void
text_makes_paragraphs(void **state)
{
	(void)state;
	expect(MAT_TEXT, "Line one\nline two\n\n\n\nSecond  para\r\nwith "
	    "CRLF\r\n", "Line one line two\n\nSecond para with CRLF\n");
	expect(MAT_TEXT, "\n\n   hello   \n\n\n", "hello\n");
	expect(MAT_TEXT, "one\rtwo\r\rthree", "one two\n\nthree\n");
	/* A form feed (a page) and U+2029 end a paragraph, U+2028 a line. */
	expect(MAT_TEXT, "page one\fpage two\xe2\x80\xa9three\xe2\x80\xa8" "four",
	    "page one\n\npage two\n\nthree four\n");
	/* Lines of spaces are blank lines. */
	expect(MAT_TEXT, "a\n \t \nb", "a\n\nb\n");
}

static void
text_drops_control_characters(void **state)
{
	static const char in[] = "a\tb\x01" "c\0d\x7f e\x1b[0m \xc2\x85x";
	char *out;

	(void)state;
	out = normalize_n(MAT_TEXT, in, sizeof(in) - 1, NULL);
	assert_string_equal(out, "a bcd e[0m x\n");
	free(out);
	/* No-break and other Unicode spaces are spaces; BOM, soft hyphen go. */
	expect(MAT_TEXT, "\xef\xbb\xbf" "a\xc2\xa0\xc2\xa0" "b\xe2\x80\x83"
	    "c\xc2\xad" "d", "a b cd\n");
	/* Invalid UTF-8 is replaced, never passed on. */
	expect(MAT_TEXT, "a\xff" "b\xc3", "a\xef\xbf\xbd" "b\xef\xbf\xbd\n");
	expect_refused(MAT_TEXT, "\x01\x02 \n\t\xc2\xa0", 100,
	    "holds no text");
}

static void
text_keeps_list_items(void **state)
{
	(void)state;
	expect(MAT_TEXT, "Intro line\n- milk\n- eggs\n  and ham\n\nOutro\n",
	    "Intro line\n\n- milk\n- eggs and ham\n\nOutro\n");
	expect(MAT_TEXT, "Steps:\n\n1. first\n2) second\n\xe2\x80\xa2 third",
	    "Steps:\n\n1. first\n2. second\n- third\n");
	/* Not items: no space after the mark, or a number that goes on. */
	expect(MAT_TEXT, "-5 degrees\n3.14 is pi\n*bold*",
	    "-5 degrees 3.14 is pi *bold*\n");
}

static void
text_leaves_hyphens_alone(void **state)
{
	(void)state;
	/* Only a PDF's line ends are typeset: a text's hyphen is meant. */
	expect(MAT_TEXT, "an exam-\nple of this", "an exam- ple of this\n");
}

static void
text_refuses_more_than_max_chars(void **state)
{
	struct extract_limits l = {6, 50};
	char *out, err[256];

	(void)state;
	/* "hello\n" is 6 bytes: exactly the limit passes. */
	assert_int_equal(extract_text(MAT_TEXT, "  hello  \n", 10, &l, &out,
	    NULL, err, sizeof(err)), 0);
	assert_string_equal(out, "hello\n");
	free(out);
	expect_refused(MAT_TEXT, "hello!", 6, "more than the 6 characters");
	expect_refused(MAT_MARKDOWN, "# a\n\nb", 6, "more than the 6");
	expect_refused(MAT_HTML, "<p>hello</p><p>world</p>", 11,
	    "more than the 11");
}

static void
markdown_is_kept_nearly_as_is(void **state)
{
	static const char in[] =
	    "\r\n\r\n# Title  \r\n\r\n\r\n\r\nSome *text*   here.  \n"
	    "next\tline\x01\n\n"
	    "```c\ncode\t  x  \n\n\n\n  indented\n```\n"
	    "- item\n\t- nested\n   \n"
	    "## Second # heading\n\0";
	struct extract_info info;
	char *out;

	(void)state;
	out = normalize_n(MAT_MARKDOWN, in, sizeof(in) - 1, &info);
	assert_string_equal(out,
	    "# Title\n\nSome *text* here.\nnext line\n\n"
	    "```c\ncode      x\n\n  indented\n```\n"
	    "- item\n    - nested\n\n"
	    "## Second # heading\n");
	assert_string_equal(info.title, "Title");
	assert_int_equal(info.pages, 0);
	free(out);
	/* A heading in code is no title. */
	out = normalize_n(MAT_MARKDOWN, "```\n# not\n```\n# Real", 20, &info);
	assert_string_equal(info.title, "Real");
	free(out);
}

/* HTML */

static char *
html(const char *in, struct extract_info *info)
{
	return normalize_n(MAT_HTML, in, strlen(in), info);
}

static void
expect_html(const char *in, const char *want)
{
	char *out = html(in, NULL);

	assert_string_equal(out, want);
	free(out);
}

static void
html_drops_what_is_not_text(void **state)
{
	struct extract_info info;
	char *out;

	(void)state;
	out = html("<!DOCTYPE html><html><head><title>My \n Page</title>"
	    "<style>p { color: red }</style><script>alert(1)</script></head>"
	    "<body><nav>Home | About</nav><p>Hello <b>world</b>!</p>"
	    "<script>x()</script><noscript>enable js</noscript>"
	    "<form><input value=v><button>Go</button>form text</form>"
	    "<template><p>tpl</p></template><svg><text>svg</text></svg>"
	    "<iframe src=x>frame</iframe><object>obj</object>"
	    "<!-- a comment --><p>Bye</p></body></html>", &info);
	assert_string_equal(out, "Hello world!\n\nBye\n");
	assert_string_equal(info.title, "My Page");
	free(out);
}

static void
html_headings_and_paragraphs(void **state)
{
	struct extract_info info;
	char *out;

	(void)state;
	out = html("<h1>Top <small>level</small></h1><p>a\n   b</p>"
	    "<h3>Deep <i>one</i></h3><div>c<div>d</div></div>"
	    "<h2></h2><p>e<br>f</p><section><p>g</p></section>"
	    "<blockquote>q</blockquote><h6>six</h6>", &info);
	assert_string_equal(out, "# Top level\n\na b\n\n### Deep one\n\nc\n\n"
	    "d\n\ne\n\nf\n\ng\n\nq\n\n###### six\n");
	/* Without <title>, the first h1. */
	assert_string_equal(info.title, "Top level");
	free(out);
	/* Inline elements do not split words. */
	expect_html("<p>in<b>line</b><a href=x>s</a> <span>ok</span></p>",
	    "inlines ok\n");
}

static void
html_lists_flatten(void **state)
{
	(void)state;
	expect_html("<p>x</p><ul><li>one</li><li>two<ul><li>nested</li>"
	    "<li><ol><li>deeper</li></ol></li></ul>tail</li><li></li></ul>"
	    "<ol start=3><li>c</li><li><p>d</p><p>e</p></li></ol><p>y</p>",
	    "x\n\n- one\n- two\n- nested\n1. deeper\n- tail\n\n3. c\n"
	    "4. d e\n\ny\n");
	/* A list right at the start, and text that strays into it. */
	expect_html("<ul>stray<li>a</li></ul>", "- stray\n- a\n");
}

static void
html_tables_become_pipes(void **state)
{
	(void)state;
	expect_html("<p>before</p><table><caption>Cap</caption>"
	    "<thead><tr><th>Name</th><th>Value</th></tr></thead><tbody>"
	    "<tr><td>a|b</td><td>1<br>2</td></tr>"
	    "<tr><td colspan=2>wide</td></tr><tr><td></td><td>x</td></tr>"
	    "<tr><td> </td></tr><tr><td>three</td><td>cells</td><td>!</td>"
	    "</tr></tbody></table><p>after</p>",
	    "before\n\nCap\n\n| Name | Value | |\n| --- | --- | --- |\n"
	    "| a/b | 1 2 | |\n| wide | | |\n| | x | |\n"
	    "| three | cells | ! |\n\nafter\n");
	/* A table in a cell is text of that cell. */
	expect_html("<table><tr><td>out<table><tr><td>in1</td><td>in2</td>"
	    "</tr></table></td></tr></table>", "| out in1 in2 |\n| --- |\n");
}

static void
html_pre_becomes_a_fence(void **state)
{
	(void)state;
	expect_html("<p>before</p><pre>\n  int x;\n\tif (x)\r\n\n\n    y();"
	    "   \n```\n</pre><p>after <code>inline()</code></p>",
	    "before\n\n```\n  int x;\n    if (x)\n\n    y();\n    ```\n```\n\n"
	    "after inline()\n");
	expect_html("<pre>   \n\n</pre><p>only</p>", "only\n");
	expect_html("<pre><b>bold</b><br>line&lt;2&gt;</pre>",
	    "```\nbold\nline<2>\n```\n");
}

static void
html_decodes_entities(void **state)
{
	(void)state;
	expect_html("<p>caf&eacute; &amp; &lt;tag&gt; &#x263A; a&nbsp;&nbsp;b"
	    " &quot;q&quot; &#9;t</p>",
	    "caf\xc3\xa9 & <tag> \xe2\x98\xba a b \"q\" t\n");
}

/* <p>start</p>, n nested divs around "deep", <p>end</p>. */
static char *
nested(size_t n, size_t *len)
{
	char *in = malloc(n * 11 + 64);

	*len = (size_t)sprintf(in, "<p>start</p>");
	for (size_t i = 0; i < n; i++)
		*len += (size_t)sprintf(in + *len, "<div>");
	*len += (size_t)sprintf(in + *len, "deep");
	for (size_t i = 0; i < n; i++)
		*len += (size_t)sprintf(in + *len, "</div>");
	*len += (size_t)sprintf(in + *len, "<p>end</p>");
	return in;
}

static void
html_survives_deep_nesting(void **state)
{
	struct extract_info info;
	size_t len;
	char *in, *out = NULL, err[256];

	(void)state;
	in = nested(200, &len);
	assert_int_equal(extract_text(MAT_HTML, in, len, &lim, &out, &info,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "start\n\ndeep\n\nend\n");
	free(out);
	free(in);
	/*
	 * libxml2 stops parsing at 256 levels (without HTML_PARSE_HUGE) and
	 * our walk stops there too: what comes before is kept, no crash.
	 */
	in = nested(10000, &len);
	assert_int_equal(extract_text(MAT_HTML, in, len, &lim, &out, &info,
	    err, sizeof(err)), 0);
	assert_true(strncmp(out, "start\n", 6) == 0);
	free(out);
	free(in);
	/* Unclosed, and lists too. */
	in = malloc(10000 * 8 + 2);
	len = 0;
	for (size_t i = 0; i < 10000; i++)
		len += (size_t)sprintf(in + len, "<ul><li>");
	len += (size_t)sprintf(in + len, "x");
	out = NULL;
	if (extract_text(MAT_HTML, in, len, &lim, &out, &info, err,
	    sizeof(err)) == 0)
		assert_non_null(out);
	free(out);
	free(in);
}

static void
html_holding_no_text_is_refused(void **state)
{
	(void)state;
	expect_refused(MAT_HTML, "<html><head><title>t</title></head>"
	    "<body><script>x</script><p> </p></body></html>", 100,
	    "holds no text");
}

/* PDF */

struct mem {
	unsigned char *p;
	size_t n;
};

static cairo_status_t
mem_write(void *closure, const unsigned char *data, unsigned int n)
{
	struct mem *m = closure;

	m->p = realloc(m->p, m->n + n);
	memcpy(m->p + m->n, data, n);
	m->n += n;
	return CAIRO_STATUS_SUCCESS;
}

struct pdf_line {
	int page;
	double x, y, size;	/* y of the baseline, from the top */
	const char *text;
};

/* A PDF of A4 pages with these lines, in memory. */
static unsigned char *
make_pdf(const struct pdf_line *l, size_t n, const char *title, size_t *len)
{
	struct mem m = {0};
	cairo_surface_t *s;
	cairo_t *cr;
	int page = 0;

	s = cairo_pdf_surface_create_for_stream(mem_write, &m, 595, 842);
	if (title != NULL)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
		    title);
	cr = cairo_create(s);
	cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	for (size_t i = 0; i < n; i++) {
		while (page < l[i].page) {
			cairo_show_page(cr);
			page++;
		}
		if (l[i].text == NULL) {
			/* A drawing, not text. */
			cairo_rectangle(cr, l[i].x, l[i].y, 100, 100);
			cairo_fill(cr);
			continue;
		}
		cairo_set_font_size(cr, l[i].size);
		cairo_move_to(cr, l[i].x, l[i].y);
		cairo_show_text(cr, l[i].text);
	}
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	*len = m.n;
	return m.p;
}

/* Two pages: a heading, paragraphs, a page break mid-sentence, items. */
static const struct pdf_line primer[] = {
	{0, 50, 60, 22, "Cell Biology"},
	{0, 50, 100, 11, "The cell is the basic unit of all known living"},
	{0, 50, 114, 11, "organisms. Every cell has a membrane that sepa-"},
	{0, 50, 128, 11, "rates it from the world outside, called the North-"},
	{0, 50, 142, 11, "East boundary in this example."},
	{0, 50, 170, 11, "A second paragraph starts here after a gap and"},
	{0, 50, 184, 11, "the nucleus holds the genetic material of the"},
	{0, 297, 800, 11, "1"},
	{1, 50, 100, 11, "cell and controls its activity."},
	{1, 50, 128, 11, "\xe2\x80\xa2 First point"},
	{1, 50, 142, 11, "\xe2\x80\xa2 Second point that is long and"},
	{1, 60, 156, 11, "goes on here"},
	{1, 50, 184, 11, "Mitochondria make the energy of the cell."},
	{1, 50, 198, 11, "They have their own DNA."},
	{1, 297, 800, 11, "- 2 -"},
};

static const char primer_text[] =
    "# Cell Biology\n\n"
    "The cell is the basic unit of all known living organisms. Every cell "
    "has a membrane that separates it from the world outside, called the "
    "North- East boundary in this example.\n\n"
    "A second paragraph starts here after a gap and the nucleus holds the "
    "genetic material of the cell and controls its activity.\n\n"
    "- First point\n- Second point that is long and goes on here\n\n"
    "Mitochondria make the energy of the cell. They have their own DNA.\n";

static unsigned char *
primer_pdf(size_t *len)
{
	return make_pdf(primer, sizeof(primer) / sizeof(primer[0]),
	    "Cells \xe2\x80\x94 a primer", len);
}

static void
pdf_text_comes_out_in_paragraphs(void **state)
{
	struct extract_info info;
	size_t len;
	unsigned char *pdf = primer_pdf(&len);
	char *out = NULL, err[256] = "";

	(void)state;
	if (extract_pdf(pdf, len, &lim, 0, &out, &info, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(out, primer_text);
	assert_int_equal(info.pages, 2);
	assert_string_equal(info.title, "Cells \xe2\x80\x94 a primer");
	free(out);
	free(pdf);
}

static void
pdf_probe_reads_no_page(void **state)
{
	struct extract_info info;
	size_t len;
	unsigned char *pdf = primer_pdf(&len);
	char *out = (char *)1, err[256];

	(void)state;
	assert_int_equal(extract_pdf(pdf, len, &lim, 1, &out, &info, err,
	    sizeof(err)), 0);
	assert_null(out);
	assert_int_equal(info.pages, 2);
	assert_string_equal(info.title, "Cells \xe2\x80\x94 a primer");
	free(pdf);
}

static void
pdf_limits_pages_and_text(void **state)
{
	struct extract_limits pages1 = {1 << 20, 1}, chars = {100, 50};
	struct extract_info info;
	size_t len;
	unsigned char *pdf = primer_pdf(&len);
	char *out = (char *)1, err[256];

	(void)state;
	for (int probe = 0; probe <= 1; probe++) {
		assert_int_equal(extract_pdf(pdf, len, &pages1, probe, &out,
		    &info, err, sizeof(err)), -1);
		assert_string_equal(err, "The PDF has 2 pages, more than the "
		    "1 allowed.");
		assert_null(out);
		assert_int_equal(info.pages, 0);
	}
	assert_int_equal(extract_pdf(pdf, len, &chars, 0, &out, &info, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "more than the 100 characters"));
	/* The exact size passes; one byte less does not. */
	chars.max_chars = sizeof(primer_text) - 1;
	assert_int_equal(extract_pdf(pdf, len, &chars, 0, &out, &info, err,
	    sizeof(err)), 0);
	free(out);
	chars.max_chars--;
	assert_int_equal(extract_pdf(pdf, len, &chars, 0, &out, &info, err,
	    sizeof(err)), -1);
	free(pdf);
}

/*
 * A one-page PDF whose trailer names a standard security handler with
 * made-up keys: the empty user password does not open it.
 */
static char *
encrypted_pdf(size_t *len)
{
	static const char *const objs[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	    "<< /Filter /Standard /V 1 /R 2 /P -44 "
	    "/O <0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef>"
	    " /U <fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210>"
	    " >>",
	};
	char *s = malloc(4096);
	size_t off[4], n = 0, xref;

	n += (size_t)sprintf(s, "%%PDF-1.4\n");
	for (size_t i = 0; i < 4; i++) {
		off[i] = n;
		n += (size_t)sprintf(s + n, "%zu 0 obj\n%s\nendobj\n", i + 1,
		    objs[i]);
	}
	xref = n;
	n += (size_t)sprintf(s + n, "xref\n0 5\n0000000000 65535 f \n");
	for (size_t i = 0; i < 4; i++)
		n += (size_t)sprintf(s + n, "%010zu 00000 n \n", off[i]);
	n += (size_t)sprintf(s + n, "trailer\n<< /Size 5 /Root 1 0 R "
	    "/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff>"
	    "<00112233445566778899aabbccddeeff>] >>\nstartxref\n%zu\n%%%%EOF\n",
	    xref);
	*len = n;
	return s;
}

static void
pdf_refuses_encrypted_and_broken_files(void **state)
{
	static const char garbage[] = "%PDF-1.7\nthis is not really a pdf, "
	    "only its first bytes\n%%EOF\n";
	struct extract_info info;
	size_t len;
	char *pdf = encrypted_pdf(&len), *out, err[256];

	(void)state;
	for (int probe = 0; probe <= 1; probe++) {
		assert_int_equal(extract_pdf(pdf, len, &lim, probe, &out, &info,
		    err, sizeof(err)), -1);
		assert_non_null(strstr(err, "The PDF is encrypted"));
	}
	free(pdf);
	assert_int_equal(extract_pdf(garbage, sizeof(garbage) - 1, &lim, 0,
	    &out, &info, err, sizeof(err)), -1);
	assert_string_equal(err, "The PDF is damaged and could not be read.");
	assert_int_equal(extract_pdf("%PDF-", 5, &lim, 0, &out, &info, err,
	    sizeof(err)), -1);
	assert_int_equal(extract_pdf("hello world", 11, &lim, 0, &out, &info,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "The file is not a PDF.");
}

static void
pdf_without_text_is_refused(void **state)
{
	static const struct pdf_line drawing[] = {{0, 50, 50, 0, NULL}};
	struct extract_info info;
	size_t len;
	unsigned char *pdf = make_pdf(drawing, 1, NULL, &len);
	char *out, err[256];

	(void)state;
	assert_int_equal(extract_pdf(pdf, len, &lim, 0, &out, &info, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "holds no text"));
	/* Probing does not look at the pages: it passes. */
	assert_int_equal(extract_pdf(pdf, len, &lim, 1, &out, &info, err,
	    sizeof(err)), 0);
	assert_string_equal(info.title, "");
	free(pdf);
}

static void
pdf_joins_hyphenated_words_and_columns(void **state)
{
	/* Two columns: the sentence goes on at the top of the second. */
	static const struct pdf_line cols[] = {
		{0, 50, 100, 11, "Left column text that is quite long and"},
		{0, 50, 114, 11, "hyphen-"},
		{0, 50, 128, 11, "ated words are joined while the text"},
		{0, 320, 100, 11, "continues in the right column. A new"},
		{0, 320, 114, 11, "sentence stays in the same paragraph."},
		{1, 50, 100, 11, "Next page starts fresh."},
	};
	size_t len;
	unsigned char *pdf = make_pdf(cols, sizeof(cols) / sizeof(cols[0]),
	    NULL, &len);
	char *out = NULL, err[256] = "";

	(void)state;
	if (extract_pdf(pdf, len, &lim, 0, &out, NULL, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(out, "Left column text that is quite long and "
	    "hyphenated words are joined while the text continues in the "
	    "right column. A new sentence stays in the same paragraph.\n\n"
	    "Next page starts fresh.\n");
	free(out);
	free(pdf);
}

static void
pdf_drops_running_heads_and_feet(void **state)
{
	static const struct pdf_line book[] = {
		{0, 50, 40, 9, "Course notes: Chapter 1"},
		{0, 50, 100, 20, "Photosynthesis"},
		{0, 50, 140, 11, "Plants turn light into sugar."},
		{0, 250, 800, 9, "Page 1 of 3"},
		{1, 50, 40, 9, "Course notes: Chapter 1"},
		{1, 50, 100, 11, "\xe2\x80\xa2" "Light reactions"},
		{1, 50, 114, 11, "\xe2\x80\xa2" "Dark reactions that need"},
		{1, 62, 128, 11, "no light at all"},
		{1, 250, 800, 9, "Page 2 of 3"},
		{2, 50, 40, 9, "Course notes: Chapter 2"},
		{2, 50, 100, 11, "Chlorophyll is green."},
		{2, 250, 800, 9, "Page 3 of 3"},
	};
	struct extract_info info;
	size_t len;
	unsigned char *pdf = make_pdf(book, sizeof(book) / sizeof(book[0]),
	    NULL, &len);
	char *out = NULL, err[256] = "";

	(void)state;
	if (extract_pdf(pdf, len, &lim, 0, &out, &info, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(out, "# Photosynthesis\n\n"
	    "Plants turn light into sugar.\n\n"
	    "- Light reactions\n- Dark reactions that need no light at all\n\n"
	    "Chlorophyll is green.\n");
	/* No title in the metadata: the first big heading. */
	assert_string_equal(info.title, "Photosynthesis");
	assert_int_equal(info.pages, 3);
	free(out);
	free(pdf);
}

/* The sandbox */

static const char *
sandbox(const char *command, const void *pdf, size_t len,
    const struct extract_limits *l, int probe, long timeout_ms, char **out,
    struct extract_info *info, char *err, size_t errlen)
{
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = extract_pdf_sandboxed_cmd(self, command, pdf, len, l, probe,
	    timeout_ms, out, info, err, errlen);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Never much past the deadline, and no child left behind. */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000 < timeout_ms + 2000);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	return rc == 0 ? NULL : err;
}

static void
sandbox_reads_a_good_pdf(void **state)
{
	struct extract_info info;
	size_t len;
	unsigned char *pdf = primer_pdf(&len);
	char *out = NULL, err[256];
	const char *why;

	(void)state;
	why = sandbox(EXTRACT_PDF_COMMAND, pdf, len, &lim, 0, 20000, &out,
	    &info, err, sizeof(err));
	if (why != NULL)
		fail_msg("refused: %s", why);
	assert_string_equal(out, primer_text);
	assert_int_equal(info.pages, 2);
	assert_string_equal(info.title, "Cells \xe2\x80\x94 a primer");
	free(out);
	out = (char *)1;
	assert_null(sandbox(EXTRACT_PDF_COMMAND, pdf, len, &lim, 1, 20000,
	    &out, &info, err, sizeof(err)));
	assert_null(out);
	assert_int_equal(info.pages, 2);
	free(pdf);
	/* The same through the function the server calls. */
	assert_int_equal(extract_pdf_sandboxed(self, "%PDF-", 5, &lim, 0,
	    20000, &out, &info, err, sizeof(err)), -1);
	assert_string_equal(err, "The PDF is damaged and could not be read.");
}

static void
sandbox_passes_the_childs_refusal_on(void **state)
{
	struct extract_limits pages1 = {1 << 20, 1};
	struct extract_info info;
	size_t len;
	char *pdf = encrypted_pdf(&len), *out, err[256];
	unsigned char *good;

	(void)state;
	assert_non_null(strstr(sandbox(EXTRACT_PDF_COMMAND, pdf, len, &lim, 0,
	    20000, &out, &info, err, sizeof(err)), "The PDF is encrypted"));
	assert_null(out);
	free(pdf);
	good = primer_pdf(&len);
	assert_string_equal(sandbox(EXTRACT_PDF_COMMAND, good, len, &pages1,
	    1, 20000, &out, &info, err, sizeof(err)),
	    "The PDF has 2 pages, more than the 1 allowed.");
	free(good);
}

static void
sandbox_kills_a_child_that_hangs(void **state)
{
	struct extract_info info;
	char *out, err[256];

	(void)state;
	assert_string_equal(sandbox("test-hang", "%PDF-1.4", 8, &lim, 0, 300,
	    &out, &info, err, sizeof(err)),
	    "The PDF could not be read in time.");
	assert_null(out);
	/* Also one that closes its output but does not exit. */
	assert_string_equal(sandbox("test-linger", "%PDF-1.4", 8, &lim, 0,
	    300, &out, &info, err, sizeof(err)),
	    "The PDF could not be read in time.");
}

static void
sandbox_cuts_a_child_that_floods(void **state)
{
	struct extract_limits small = {1000, 50};
	struct extract_info info;
	char *out, err[256];

	(void)state;
	assert_string_equal(sandbox("test-flood", "%PDF-1.4", 8, &small, 0,
	    20000, &out, &info, err, sizeof(err)),
	    "The material holds more than the 1000 characters of text "
	    "allowed.");
	assert_null(out);
}

static void
sandbox_survives_children_that_crash_or_lie(void **state)
{
	static const char *const bad[] = {"test-crash", "test-lie",
	    "test-silent", "test-exit3", "no-such-command"};
	size_t big = 4 << 20;
	char *pdf = calloc(1, big), *out, err[256];
	struct extract_info info;

	(void)state;
	memcpy(pdf, "%PDF-1.4\n", 9);
	/* A child that reads nothing: writing to it must not kill us. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_string_equal(sandbox(bad[i], pdf, big, &lim, 0, 20000,
		    &out, &info, err, sizeof(err)),
		    "The PDF could not be read.");
		assert_null(out);
		assert_int_equal(info.pages, 0);
	}
	free(pdf);
	assert_int_equal(extract_pdf_sandboxed_cmd("/nonexistent/ludus",
	    EXTRACT_PDF_COMMAND, "%PDF-1.4", 8, &lim, 0, 1000, &out, &info,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "could not be read"));
	assert_int_equal(extract_pdf_sandboxed(self, "not a pdf", 9, &lim, 0,
	    1000, &out, &info, err, sizeof(err)), -1);
	assert_string_equal(err, "The file is not a PDF.");
}

/* The children that the sandbox tests run. */
static int
child(int argc, char **argv)
{
	static char flood[65536];
	const char *cmd = argv[1];

	if (strcmp(cmd, EXTRACT_PDF_COMMAND) == 0)
		return extract_pdf_main(argc, argv);
	if (strcmp(cmd, "test-hang") == 0)
		for (;;)
			pause();
	if (strcmp(cmd, "test-linger") == 0) {
		close(1);
		for (;;)
			pause();
	}
	if (strcmp(cmd, "test-flood") == 0) {
		memset(flood, 'x', sizeof(flood));
		for (;;)
			if (write(1, flood, sizeof(flood)) < 0)
				return 1;
	}
	if (strcmp(cmd, "test-crash") == 0)
		abort();
	if (strcmp(cmd, "test-lie") == 0) {
		static const char lie[] = "{\"ok\":true,\"pages\":1,"
		    "\"title\":\"t\"}\nbad \x01 text\n";

		return write(1, lie, sizeof(lie) - 1) < 0;
	}
	if (strcmp(cmd, "test-exit3") == 0) {
		static const char ok[] = "{\"ok\":true,\"pages\":1}\ntext\n";

		return write(1, ok, sizeof(ok) - 1) < 0 ? 1 : 3;
	}
	/* test-silent and the unknown: exit at once, reading nothing. */
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sniff_takes_every_declared_type),
		cmocka_unit_test(sniff_refuses_other_types_with_415),
		cmocka_unit_test(sniff_checks_the_bytes_against_the_type),
		cmocka_unit_test(sniff_refuses_empty_and_blank_bodies),
		cmocka_unit_test(sniff_refuses_invalid_utf8),
		cmocka_unit_test(text_makes_paragraphs),
		cmocka_unit_test(text_drops_control_characters),
		cmocka_unit_test(text_keeps_list_items),
		cmocka_unit_test(text_leaves_hyphens_alone),
		cmocka_unit_test(text_refuses_more_than_max_chars),
		cmocka_unit_test(markdown_is_kept_nearly_as_is),
		cmocka_unit_test(html_drops_what_is_not_text),
		cmocka_unit_test(html_headings_and_paragraphs),
		cmocka_unit_test(html_lists_flatten),
		cmocka_unit_test(html_tables_become_pipes),
		cmocka_unit_test(html_pre_becomes_a_fence),
		cmocka_unit_test(html_decodes_entities),
		cmocka_unit_test(html_survives_deep_nesting),
		cmocka_unit_test(html_holding_no_text_is_refused),
		cmocka_unit_test(pdf_text_comes_out_in_paragraphs),
		cmocka_unit_test(pdf_probe_reads_no_page),
		cmocka_unit_test(pdf_limits_pages_and_text),
		cmocka_unit_test(pdf_refuses_encrypted_and_broken_files),
		cmocka_unit_test(pdf_without_text_is_refused),
		cmocka_unit_test(pdf_joins_hyphenated_words_and_columns),
		cmocka_unit_test(pdf_drops_running_heads_and_feet),
		cmocka_unit_test(sandbox_reads_a_good_pdf),
		cmocka_unit_test(sandbox_passes_the_childs_refusal_on),
		cmocka_unit_test(sandbox_kills_a_child_that_hangs),
		cmocka_unit_test(sandbox_cuts_a_child_that_floods),
		cmocka_unit_test(sandbox_survives_children_that_crash_or_lie),
	};
	int rc;

	if (argc >= 2)
		return child(argc, argv);
	if (realpath(argv[0], self) == NULL) {
		perror(argv[0]);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	/* Let LeakSanitizer see only what is ours. */
	cairo_debug_reset_static_data();
	return rc;
}
