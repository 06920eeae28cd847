/*
 * test_media.c - card media: the name rule, the types a card shows, and
 * card HTML whose media become addresses (src/flashcards/media.h), with
 * the file store's recognition of types by content (src/db/files.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/markdown.h"
#include "db/files.h"
#include "flashcards/media.h"

#define DECK "11111111-2222-4333-8444-555555555555"
#define BASE "/api/v1/flashcards/decks/" DECK "/media/"

static bool
ok(const char *s)
{
	return media_name_ok(s, strlen(s));
}

static void
names_follow_ankis_rule(void **state)
{
	char long_name[MEDIA_NAME_MAX + 2];

	(void)state;
	assert_true(ok("osi.png"));
	assert_true(ok("port 22 (ssh).mp3"));
	assert_true(ok("été.mp3"));
	assert_true(ok("_style.css"));
	assert_true(ok("50%.png"));
	memset(long_name, 'x', MEDIA_NAME_MAX);
	long_name[MEDIA_NAME_MAX] = '\0';
	assert_true(ok(long_name));
	long_name[MEDIA_NAME_MAX] = 'x';
	long_name[MEDIA_NAME_MAX + 1] = '\0';
	assert_false(ok(long_name));
	assert_false(ok(""));
	assert_false(ok(".hidden"));
	assert_false(ok(".."));
	assert_false(ok(" lead.png"));
	assert_false(ok("trail.png "));
	for (const char *c = "[]<>:\"/?*^\\|"; *c != '\0'; c++) {
		char s[8] = "a?b.png";

		s[1] = *c;
		assert_false(ok(s));
	}
	assert_false(ok("a\tb.png"));
	assert_false(ok("a\x7f" "b.png"));
	assert_false(ok("a\xc2\x85" "b.png"));	/* U+0085, a C1 control */
	assert_false(ok("\xc3\x28.png"));		/* not UTF-8 */
	assert_false(ok("\xed\xa0\x80.png"));		/* a surrogate */
	assert_false(media_name_ok("a\0b", 3));
}

static void
types_cards_show(void **state)
{
	(void)state;
	assert_string_equal(media_type_allowed("image/png"), "image/png");
	assert_string_equal(media_type_allowed("audio/x-wav"), "audio/wav");
	assert_string_equal(media_type_allowed("audio/x-m4a"), "audio/mp4");
	assert_string_equal(media_type_allowed("video/webm"), "video/webm");
	assert_null(media_type_allowed("text/plain"));
	assert_null(media_type_allowed("text/html"));
	assert_null(media_type_allowed("application/pdf"));
	assert_null(media_type_allowed("application/octet-stream"));
	assert_null(media_type_allowed(NULL));
}

/* Markdown through md4c, then media_html. */
static char *
render(const char *md)
{
	char *html = markdown_to_html(md, strlen(md)), *out;

	assert_non_null(html);
	out = media_html(html, DECK);
	free(html);
	return out;
}

static void
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("%s\n  has no\n%s", hay, needle);
}

static void
images_become_addresses(void **state)
{
	char *s;

	(void)state;
	s = render("![the OSI model](osi.png)");
	contains(s, "<img src=\"" BASE "osi.png\" alt=\"the OSI model\">");
	free(s);
	/* md4c writes the space as %20; the address says it once. */
	s = render("![](<star topology.png>)");
	contains(s, "src=\"" BASE "star%20topology.png\"");
	free(s);
	s = render("![](a&b.png)");
	contains(s, "src=\"" BASE "a%26b.png\"");
	free(s);
	/* Not media names: left as written. */
	s = render("![x](https://example.com/x.png) ![y](../y.png) "
	    "![z](/img/z.png) ![w](.w.png)");
	contains(s, "src=\"https://example.com/x.png\"");
	contains(s, "src=\"../y.png\"");
	contains(s, "src=\"/img/z.png\"");
	contains(s, "src=\".w.png\"");
	assert_null(strstr(s, "/media/"));
	free(s);
	/* A link is not an image. */
	s = render("[a link](osi.png)");
	contains(s, "href=\"osi.png\"");
	assert_null(strstr(s, "/media/"));
	free(s);
}

static void
sounds_become_players(void **state)
{
	char *s;

	(void)state;
	s = render("Listen: [sound:port 22.mp3] then [sound:clip.MP4]");
	contains(s, "<audio controls preload=\"metadata\" src=\"" BASE
	    "port%2022.mp3\"></audio>");
	contains(s, "<video controls preload=\"metadata\" src=\"" BASE
	    "clip.MP4\"></video>");
	assert_null(strstr(s, "[sound:"));
	free(s);
	/* In code, in an attribute, or not a media name: left alone. */
	s = render("`[sound:a.mp3]`\n\n```\n[sound:b.mp3]\n```\n\n"
	    "![[sound:c.mp3]](d.png) [sound:e/f.mp3] [sound:g.mp3");
	contains(s, "<code>[sound:a.mp3]</code>");
	contains(s, "[sound:b.mp3]\n</code></pre>");
	contains(s, "alt=\"[sound:c.mp3]\"");
	contains(s, "[sound:e/f.mp3]");
	contains(s, "[sound:g.mp3");
	assert_null(strstr(s, "<audio"));
	free(s);
	/* Text around them is kept, escaped as md4c wrote it. */
	s = render("a < b & [sound:x.ogg] > c");
	contains(s, "a &lt; b &amp; <audio");
	contains(s, "</audio> &gt; c");
	free(s);
}

/*
 * HTML that md4c would not write (the fuzzer's finds): a tag cut short, a
 * " src=\"" after the tag's end or at its very end, a quote missing.
 */
static void
odd_html_is_copied_as_it_is(void **state)
{
	static const char *const odd[] = {
		"<img ", "<img", "<", "<img src=\"", "<img src=\"a.png",
		"<img x> src=\"a.png\"", "<img )\" src=\">", "<img  src=\">",
		"[sound:", "[sound:a.mp3", "[sound:a<b.mp3]", "<code>[sound:a.mp3]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		char *s = media_html(odd[i], DECK);

		assert_string_equal(s, odd[i]);
		free(s);
	}
}

static void
markdown_for_a_name(void **state)
{
	char out[MEDIA_NAME_MAX * 3 + 8], enc[64] = "";
	char *html;

	(void)state;
	media_markdown("osi.png", true, out, sizeof(out));
	assert_string_equal(out, "![](osi.png)");
	media_markdown("star (1).png", true, out, sizeof(out));
	assert_string_equal(out, "![](<star (1).png>)");
	/* A '%' is written so that it reads back as itself. */
	media_markdown("100%.png", true, out, sizeof(out));
	assert_string_equal(out, "![](100%25.png)");
	html = render(out);
	contains(html, "src=\"" BASE "100%25.png\"");
	free(html);
	media_markdown("port 22.mp3", false, out, sizeof(out));
	assert_string_equal(out, "[sound:port 22.mp3]");
	assert_true(media_url_name("a b~é", strlen("a b~é"), enc,
	    sizeof(enc)));
	assert_string_equal(enc, "a%20b~%C3%A9");
	enc[0] = '\0';
	assert_false(media_url_name("abcdef", 6, enc, 4));
}

static void
types_come_from_the_bytes(void **state)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0,
	    1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde};
	static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns="
	    "\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n";
	char type[128];

	(void)state;
	assert_true(files_sniff(png, sizeof(png), type, sizeof(type)));
	assert_string_equal(type, "image/png");
	assert_true(files_sniff(svg, strlen(svg), type, sizeof(type)));
	assert_string_equal(type, "image/svg+xml");
	assert_true(files_sniff("plain words\n", 12, type, sizeof(type)));
	assert_string_equal(type, "text/plain");
	assert_true(files_sniff("%PDF-1.4\n%\xe2\xe3\n", 13, type,
	    sizeof(type)));
	assert_string_equal(type, "application/pdf");
	/* The name says nothing: there is none to say it. */
	files_sniff("\x00\x01\x02\x03", 4, type, sizeof(type));
	assert_null(media_type_allowed(type));
	assert_false(files_sniff("", 0, type, sizeof(type)));
	assert_string_equal(type, "application/octet-stream");
	files_shutdown();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_follow_ankis_rule),
		cmocka_unit_test(types_cards_show),
		cmocka_unit_test(images_become_addresses),
		cmocka_unit_test(sounds_become_players),
		cmocka_unit_test(odd_html_is_copied_as_it_is),
		cmocka_unit_test(markdown_for_a_name),
		cmocka_unit_test(types_come_from_the_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
