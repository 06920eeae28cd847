/*
 * test_content_rules.c - the field rules of courses and lessons
 * (src/content/rules.h): content_slug, content_tag, content_objective_code,
 * content_uuid, content_kind, content_difficulty, content_language, the
 * lesson content object (content_lesson_body, with the field path it
 * reports) and content_slugify.  A rule returns NULL for a good value and a
 * message for a bad one; the messages are not pinned down, only that there
 * is one (and that it stays valid).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "content/rules.h"

/* s filled with n copies of c, then the tail (which may be ""). */
static char *
fill(char *s, char c, size_t n, const char *tail)
{
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/* n copies of the UTF-8 text unit, malloc'd. */
static char *
repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

/* content_lesson_body on JSON text; field gets the reported path. */
static const char *
body(const char *text, char *field, size_t n)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
	const char *why;

	if (j == NULL) {
		print_error("bad JSON in the test: %s: %s\n", text, e.text);
		fail();
	}
	why = content_lesson_body(j, field, n);
	json_decref(j);
	return why;
}

/* content_lesson_body on a JSON value, which it takes over. */
static const char *
body_of(json_t *j, char *field, size_t n)
{
	const char *why;

	assert_non_null(j);
	why = content_lesson_body(j, field, n);
	json_decref(j);
	return why;
}

#define assert_body_ok(text) do {					\
	char f_[64];							\
	const char *w_ = body((text), f_, sizeof(f_));			\
	if (w_ != NULL) {						\
		print_error("%s refused at %s: %s\n", (text), f_, w_);	\
		fail();							\
	}								\
} while (0)
#define assert_body_refused(text, path) do {				\
	char f_[64];							\
	const char *w_ = body((text), f_, sizeof(f_));			\
	if (w_ == NULL) {						\
		print_error("%s accepted\n", (text));			\
		fail();							\
	}								\
	assert_string_equal(f_, (path));				\
	assert_true(strlen(w_) > 0);					\
} while (0)

/* ---- content_slug ----------------------------------------------------- */

static void
slug_valid(void **state)
{
	char s[128];

	(void)state;
	assert_null(content_slug("a"));
	assert_null(content_slug("7"));
	assert_null(content_slug("network-plus-basics"));
	assert_null(content_slug("n10-009"));
	assert_null(content_slug("a1-b2-c3"));
	assert_null(content_slug(fill(s, 'a', 80, "")));
	assert_null(content_slug(fill(s, 'a', 78, "-b")));
}

static void
slug_refused(void **state)
{
	char s[128];

	(void)state;
	assert_non_null(content_slug(""));
	assert_non_null(content_slug(fill(s, 'a', 81, "")));
	assert_non_null(content_slug(fill(s, 'a', 79, "-b")));
	assert_non_null(content_slug("-a"));
	assert_non_null(content_slug("a-"));
	assert_non_null(content_slug("-"));
	assert_non_null(content_slug("a--b"));
	assert_non_null(content_slug("A"));
	assert_non_null(content_slug("Network-plus"));
	assert_non_null(content_slug("a b"));
	assert_non_null(content_slug("a_b"));
	assert_non_null(content_slug("a.b"));
	assert_non_null(content_slug("a/b"));
	assert_non_null(content_slug("caf\xc3\xa9"));
	assert_non_null(content_slug("\xc3\xbc"));
	assert_non_null(content_slug("a\n"));
}

/* ---- content_tag ------------------------------------------------------ */

static void
tag_valid(void **state)
{
	char s[64];

	(void)state;
	assert_null(content_tag("subnetting"));
	assert_null(content_tag("ipv6"));
	assert_null(content_tag("osi-model"));
	assert_null(content_tag("802-11ax"));
	assert_null(content_tag("x"));
	assert_null(content_tag(fill(s, 't', 40, "")));
	assert_null(content_tag(fill(s, 't', 38, "-u")));
}

static void
tag_refused(void **state)
{
	char s[128];

	(void)state;
	assert_non_null(content_tag(""));
	assert_non_null(content_tag(fill(s, 't', 41, "")));
	assert_non_null(content_tag(fill(s, 't', 39, "-u")));
	/* 80 is a slug's limit, not a tag's */
	assert_non_null(content_tag(fill(s, 't', 80, "")));
	assert_non_null(content_tag("osi--model"));
	assert_non_null(content_tag("-osi"));
	assert_non_null(content_tag("osi-"));
	assert_non_null(content_tag("IPv6"));
	assert_non_null(content_tag("OSI"));
	assert_non_null(content_tag("osi model"));
	assert_non_null(content_tag("osi_model"));
	assert_non_null(content_tag("r\xc3\xa9seau"));
	assert_non_null(content_tag("\xe2\x80\x93"));
}

/* ---- content_objective_code ------------------------------------------- */

static void
objective_code(void **state)
{
	(void)state;
	assert_null(content_objective_code("1.1"));
	assert_null(content_objective_code("1.4"));
	assert_null(content_objective_code("12.34"));
	assert_null(content_objective_code("5.10"));
	assert_null(content_objective_code("10.1"));
	assert_non_null(content_objective_code(""));
	assert_non_null(content_objective_code("1"));
	assert_non_null(content_objective_code("1."));
	assert_non_null(content_objective_code(".1"));
	assert_non_null(content_objective_code("1.123"));
	assert_non_null(content_objective_code("123.1"));
	assert_non_null(content_objective_code("a.1"));
	assert_non_null(content_objective_code("1.a"));
	assert_non_null(content_objective_code("1.1.1"));
	assert_non_null(content_objective_code("1.1a"));
	assert_non_null(content_objective_code("1,1"));
	assert_non_null(content_objective_code(" 1.1"));
	assert_non_null(content_objective_code("1.1 "));
	assert_non_null(content_objective_code("-1.1"));
	assert_non_null(content_objective_code("1.-1"));
}

/* ---- content_uuid ----------------------------------------------------- */

static void
uuid(void **state)
{
	(void)state;
	assert_null(content_uuid("0190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6f"));
	assert_null(content_uuid("00000000-0000-0000-0000-000000000000"));
	assert_null(content_uuid("ABCDEF01-2345-6789-ABCD-EF0123456789"));
	assert_non_null(content_uuid(""));
	assert_non_null(content_uuid("0190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6"));
	assert_non_null(content_uuid("0190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6f0"));
	assert_non_null(content_uuid("0190f5e27c1a7d3e8b4f1a2b3c4d5e6f"));
	assert_non_null(content_uuid("0190f5e2-7c1a-7d3e-8b4f1-a2b3c4d5e6f"));
	assert_non_null(content_uuid("g190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6f"));
	assert_non_null(content_uuid("0190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6z"));
	assert_non_null(content_uuid("{190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6}"));
	assert_non_null(content_uuid("0190f5e2_7c1a_7d3e_8b4f_1a2b3c4d5e6f"));
	assert_non_null(content_uuid(" 190f5e2-7c1a-7d3e-8b4f-1a2b3c4d5e6f"));
}

/* ---- content_kind, content_difficulty --------------------------------- */

static void
kind(void **state)
{
	static const char *const kinds[] = {"lesson", "video", "flashcards",
	    "quiz", "lab", "simulation", "practice_exam", "study_guide"};
	static const char *const bad[] = {"", "Lesson", "LESSON", "lessons",
	    "lesson ", " lesson", "practice-exam", "study-guide", "flashcard",
	    "exam", "course", "article", "pbq"};

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		assert_null(content_kind(kinds[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(content_kind(bad[i]));
}

static void
difficulty(void **state)
{
	(void)state;
	assert_null(content_difficulty("beginner"));
	assert_null(content_difficulty("intermediate"));
	assert_null(content_difficulty("advanced"));
	assert_non_null(content_difficulty(""));
	assert_non_null(content_difficulty("Beginner"));
	assert_non_null(content_difficulty("expert"));
	assert_non_null(content_difficulty("easy"));
	assert_non_null(content_difficulty("advanced "));
	assert_non_null(content_difficulty("begin"));
}

/* ---- content_language ------------------------------------------------- */

static void
language(void **state)
{
	(void)state;
	assert_null(content_language("en"));
	assert_null(content_language("pt"));
	assert_null(content_language("pt-BR"));
	assert_null(content_language("en-US"));
	assert_non_null(content_language(""));
	assert_non_null(content_language("e"));
	assert_non_null(content_language("EN"));
	assert_non_null(content_language("En"));
	assert_non_null(content_language("en-us"));
	assert_non_null(content_language("en-Us"));
	assert_non_null(content_language("EN-US"));
	assert_non_null(content_language("eng"));
	assert_non_null(content_language("en_US"));
	assert_non_null(content_language("en-USA"));
	assert_non_null(content_language("en-"));
	assert_non_null(content_language("e1"));
	assert_non_null(content_language("zh-Hans"));
	assert_non_null(content_language("pt-B1"));
	assert_non_null(content_language("\xc3\xa9n"));
}

/* ---- content_lesson_body ---------------------------------------------- */

static void
body_valid(void **state)
{
	(void)state;
	assert_body_ok("{}");
	assert_body_ok("{\"markdown\": \"\"}");
	assert_body_ok("{\"markdown\": \"# Subnetting\\n\\nText.\", "
	    "\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://cdn.example.com/v.mp4\", \"title\": \"Intro\"}, "
	    "{\"type\": \"image\", \"url\": \"http://img.example.com/a.png\"}], "
	    "\"chapters\": [{\"title\": \"Start\", \"start_seconds\": 0}, "
	    "{\"title\": \"End\", \"start_seconds\": 86400}]}");
	assert_body_ok("{\"media\": [], \"chapters\": []}");
	assert_body_ok("{\"media\": ["
	    "{\"type\": \"video\", \"url\": \"https://a.example/1\"},"
	    "{\"type\": \"audio\", \"url\": \"https://a.example/2\"},"
	    "{\"type\": \"image\", \"url\": \"https://a.example/3\"},"
	    "{\"type\": \"link\", \"url\": \"https://a.example/4\"},"
	    "{\"type\": \"document\", \"url\": \"https://a.example/5\"}]}");
	/* title may be empty */
	assert_body_ok("{\"media\": [{\"type\": \"link\", \"title\": \"\", "
	    "\"url\": \"https://a.example/\"}]}");
}

static void
body_not_an_object(void **state)
{
	static const char *const cases[] = {"[]", "\"text\"", "null", "1",
	    "true", "[{\"markdown\": \"x\"}]"};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_body_refused(cases[i], "content");
	{
		char f[64];

		assert_non_null(content_lesson_body(NULL, f, sizeof(f)));
		assert_string_equal(f, "content");
	}
}

static void
body_markdown(void **state)
{
	char f[64];
	char *s;

	(void)state;
	assert_body_refused("{\"markdown\": 5}", "content.markdown");
	assert_body_refused("{\"markdown\": null}", "content.markdown");
	assert_body_refused("{\"markdown\": [\"a\"]}", "content.markdown");
	assert_body_refused("{\"markdown\": {\"text\": \"a\"}}",
	    "content.markdown");
	assert_body_refused("{\"markdown\": true}", "content.markdown");

	s = repeat("a", 100000);
	assert_null(body_of(json_pack("{s:s}", "markdown", s), f, sizeof(f)));
	free(s);
	s = repeat("a", 100001);
	assert_non_null(body_of(json_pack("{s:s}", "markdown", s), f,
	    sizeof(f)));
	assert_string_equal(f, "content.markdown");
	free(s);

	/* Characters, not bytes: 100,000 'ü' are 200,000 bytes. */
	s = repeat("\xc3\xbc", 100000);
	assert_null(body_of(json_pack("{s:s}", "markdown", s), f, sizeof(f)));
	free(s);
	s = repeat("\xc3\xbc", 100001);
	assert_non_null(body_of(json_pack("{s:s}", "markdown", s), f,
	    sizeof(f)));
	assert_string_equal(f, "content.markdown");
	free(s);
	/* four-byte characters */
	s = repeat("\xf0\x9f\x98\x80", 100000);
	assert_null(body_of(json_pack("{s:s}", "markdown", s), f, sizeof(f)));
	free(s);
}

static void
body_media_list(void **state)
{
	char f[64];
	json_t *list;

	(void)state;
	assert_body_refused("{\"media\": {}}", "content.media");
	assert_body_refused("{\"media\": \"https://a.example/\"}",
	    "content.media");
	assert_body_refused("{\"media\": null}", "content.media");

	list = json_array();
	for (int i = 0; i < 20; i++)
		json_array_append_new(list, json_pack("{s:s,s:s}", "type",
		    "link", "url", "https://a.example/"));
	assert_null(body_of(json_pack("{s:O}", "media", list), f, sizeof(f)));
	json_array_append_new(list, json_pack("{s:s,s:s}", "type", "link",
	    "url", "https://a.example/"));
	assert_non_null(body_of(json_pack("{s:O}", "media", list), f,
	    sizeof(f)));
	assert_string_equal(f, "content.media");
	json_decref(list);
}

static void
body_media_item_shape(void **state)
{
	(void)state;
	assert_body_refused("{\"media\": [\"https://a.example/\"]}",
	    "content.media[0]");
	assert_body_refused("{\"media\": [1]}", "content.media[0]");
	assert_body_refused("{\"media\": [[]]}", "content.media[0]");
	assert_body_refused("{\"media\": [null]}", "content.media[0]");
	assert_body_refused("{\"media\": [{}]}", "content.media[0]");
	/* missing url, missing type */
	assert_body_refused("{\"media\": [{\"type\": \"video\"}]}",
	    "content.media[0]");
	assert_body_refused("{\"media\": [{\"type\": \"video\", "
	    "\"title\": \"x\"}]}", "content.media[0]");
	assert_body_refused("{\"media\": [{\"url\": \"https://a.example/\"}]}",
	    "content.media[0]");
	/* extra keys */
	assert_body_refused("{\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://a.example/\", \"poster\": \"x\"}]}", "content.media[0]");
	assert_body_refused("{\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://a.example/\", \"title\": \"t\", \"x\": 1}]}",
	    "content.media[0]");
	/* wrong types of type and url */
	assert_body_refused("{\"media\": [{\"type\": 1, \"url\": "
	    "\"https://a.example/\"}]}", "content.media[0]");
	assert_body_refused("{\"media\": [{\"type\": \"video\", \"url\": "
	    "null}]}", "content.media[0]");
	/* the index of the item at fault */
	assert_body_refused("{\"media\": ["
	    "{\"type\": \"video\", \"url\": \"https://a.example/0\"},"
	    "{\"type\": \"audio\", \"url\": \"https://a.example/1\"},"
	    "{\"type\": \"video\", \"url\": \"https://a.example/2\", "
	    "\"extra\": true}]}", "content.media[2]");
}

static void
body_media_type(void **state)
{
	static const char *const bad[] = {"", "movie", "Video", "VIDEO",
	    "videos", "pdf", "iframe", "script"};
	char f[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(body_of(json_pack("{s:[{s:s,s:s}]}", "media",
		    "type", bad[i], "url", "https://a.example/"), f, sizeof(f)));
		assert_string_equal(f, "content.media[0].type");
	}
}

static void
body_media_url(void **state)
{
	static const char *const bad[] = {"", "ftp://a.example/v.mp4",
	    "javascript:alert(1)", "JAVASCRIPT:alert(1)",
	    "data:text/html,<script>", "vbscript:x", "/relative/v.mp4",
	    "../v.mp4", "//a.example/v.mp4", "mailto:a@example.com",
	    "httpx://a.example/", "https+x://a.example/", " https://a.example/",
	    "file:///etc/passwd"};
	char f[64], u[600];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = body_of(json_pack("{s:[{s:s,s:s}]}", "media",
		    "type", "link", "url", bad[i]), f, sizeof(f));

		if (why == NULL) {
			print_error("url %s accepted\n", bad[i]);
			fail();
		}
		assert_string_equal(f, "content.media[0].url");
	}

	/* 500 characters at most */
	memcpy(u, "https://a.example/", 18);
	fill(u + 18, 'x', 500 - 18, "");
	assert_int_equal(strlen(u), 500);
	assert_null(body_of(json_pack("{s:[{s:s,s:s}]}", "media", "type",
	    "link", "url", u), f, sizeof(f)));
	fill(u + 18, 'x', 501 - 18, "");
	assert_non_null(body_of(json_pack("{s:[{s:s,s:s}]}", "media", "type",
	    "link", "url", u), f, sizeof(f)));
	assert_string_equal(f, "content.media[0].url");

	/* the position of the bad url is reported */
	assert_body_refused("{\"media\": ["
	    "{\"type\": \"link\", \"url\": \"https://a.example/\"},"
	    "{\"type\": \"link\", \"url\": \"http://a.example/\"},"
	    "{\"type\": \"link\", \"url\": \"javascript:alert(1)\"}]}",
	    "content.media[2].url");
}

static void
body_media_title(void **state)
{
	char f[64], t[256];
	char *s;

	(void)state;
	assert_null(body_of(json_pack("{s:[{s:s,s:s,s:s}]}", "media", "type",
	    "link", "url", "https://a.example/", "title", fill(t, 't', 200, "")),
	    f, sizeof(f)));
	assert_non_null(body_of(json_pack("{s:[{s:s,s:s,s:s}]}", "media",
	    "type", "link", "url", "https://a.example/", "title",
	    fill(t, 't', 201, "")), f, sizeof(f)));
	assert_string_equal(f, "content.media[0].title");

	s = repeat("\xc3\xbc", 200);
	assert_null(body_of(json_pack("{s:[{s:s,s:s,s:s}]}", "media", "type",
	    "link", "url", "https://a.example/", "title", s), f, sizeof(f)));
	free(s);

	assert_body_refused("{\"media\": [{\"type\": \"link\", \"url\": "
	    "\"https://a.example/\", \"title\": 5}]}", "content.media[0].title");
	assert_body_refused("{\"media\": [{\"type\": \"link\", \"url\": "
	    "\"https://a.example/\", \"title\": null}]}", "content.media[0].title");
}

static void
body_chapters_list(void **state)
{
	char f[64];
	json_t *list;

	(void)state;
	assert_body_refused("{\"chapters\": {}}", "content.chapters");
	assert_body_refused("{\"chapters\": 3}", "content.chapters");

	list = json_array();
	for (int i = 0; i < 100; i++)
		json_array_append_new(list, json_pack("{s:s,s:i}", "title", "c",
		    "start_seconds", i));
	assert_null(body_of(json_pack("{s:O}", "chapters", list), f,
	    sizeof(f)));
	json_array_append_new(list, json_pack("{s:s,s:i}", "title", "c",
	    "start_seconds", 100));
	assert_non_null(body_of(json_pack("{s:O}", "chapters", list), f,
	    sizeof(f)));
	assert_string_equal(f, "content.chapters");
	json_decref(list);
}

static void
body_chapter_items(void **state)
{
	static const char *const bad[] = {
		"{\"title\": \"a\", \"start_seconds\": -1}",
		"{\"title\": \"a\", \"start_seconds\": 86401}",
		"{\"title\": \"a\", \"start_seconds\": 1.5}",
		"{\"title\": \"a\", \"start_seconds\": 0.0}",
		"{\"title\": \"a\", \"start_seconds\": \"3\"}",
		"{\"title\": \"a\", \"start_seconds\": null}",
		"{\"title\": \"a\", \"start_seconds\": true}",
		"{\"title\": \"a\"}",
		"{\"start_seconds\": 3}",
		"{\"title\": 1, \"start_seconds\": 3}",
		"{\"title\": null, \"start_seconds\": 3}",
		"{\"title\": \"a\", \"start_seconds\": 3, \"end_seconds\": 9}",
		"{\"title\": \"a\", \"start\": 3}",
		"{}",
		"\"a\"",
		"[\"a\", 3]",
		"3",
	};
	char text[256], f[64], t[256];
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{\"chapters\": [{\"title\": \"ok\", "
		    "\"start_seconds\": 0}, %s]}", bad[i]);
		assert_body_refused(text, "content.chapters[1]");
	}
	assert_body_ok("{\"chapters\": [{\"title\": \"\", \"start_seconds\": 0}, "
	    "{\"start_seconds\": 86400, \"title\": \"b\"}]}");

	assert_null(body_of(json_pack("{s:[{s:s,s:i}]}", "chapters", "title",
	    fill(t, 't', 200, ""), "start_seconds", 1), f, sizeof(f)));
	assert_non_null(body_of(json_pack("{s:[{s:s,s:i}]}", "chapters",
	    "title", fill(t, 't', 201, ""), "start_seconds", 1), f, sizeof(f)));
	assert_string_equal(f, "content.chapters[0]");
	s = repeat("\xc3\xa9", 200);
	assert_null(body_of(json_pack("{s:[{s:s,s:i}]}", "chapters", "title",
	    s, "start_seconds", 1), f, sizeof(f)));
	free(s);
}

static void
body_unknown_key(void **state)
{
	char f[64], key[128];

	(void)state;
	assert_body_refused("{\"video\": \"x\"}", "content.video");
	assert_body_refused("{\"markdown\": \"x\", \"html\": \"<b>\"}",
	    "content.html");
	assert_body_refused("{\"Markdown\": \"x\"}", "content.Markdown");
	assert_body_refused("{\"content_html\": \"x\"}", "content.content_html");
	assert_body_refused("{\"\": 1}", "content.");

	/* A long key is cut, within the buffer. */
	fill(key, 'k', 100, "");
	assert_non_null(body_of(json_pack("{s:i}", key, 1), f, sizeof(f)));
	assert_int_equal(strncmp(f, "content.kkkk", 12), 0);
	assert_true(strlen(f) < sizeof(f));
}

/* The field path never runs past the buffer it is given. */
static void
body_small_field_buffer(void **state)
{
	char f[16];

	(void)state;
	memset(f, 'Z', sizeof(f));
	assert_non_null(body("{\"media\": [{\"type\": \"x\", \"url\": "
	    "\"https://a.example/\"}]}", f, 10));
	assert_string_equal(f, "content.m");
	for (size_t i = 10; i < sizeof(f); i++)
		assert_int_equal(f[i], 'Z');
}

/*
 * A message is for the client, read after the call; a later call (in this
 * thread or, in the server, another worker) must not change it.
 */
static void
body_message_stays_valid(void **state)
{
	char f[64], saved[128];
	const char *m1, *m2;
	char *s;

	(void)state;
	/* Regression (fixed): text_field() in src/content/rules.c formats "must be at most
	 * %zu characters" into one static buffer, so every call overwrites
	 * the message an earlier call returned: a data race between the
	 * server's worker threads (libmicrohttpd's thread pool), and here,
	 * the first message reads "... 200 characters" after the second
	 * call.  The other rules return string constants. */
	s = repeat("a", 100001);
	m1 = body_of(json_pack("{s:s}", "markdown", s), f, sizeof(f));
	free(s);
	assert_non_null(m1);
	snprintf(saved, sizeof(saved), "%s", m1);
	s = repeat("t", 201);
	m2 = body_of(json_pack("{s:[{s:s,s:s,s:s}]}", "media", "type", "link",
	    "url", "https://a.example/", "title", s), f, sizeof(f));
	free(s);
	assert_non_null(m2);
	assert_string_equal(m1, saved);
}

/* Only http(s) addresses: not relative ones that merely start "http". */
static void
body_media_url_relative_http_prefix(void **state)
{
	static const char *const bad[] = {"http/v.mp4", "httpjunk",
	    "http.example.com/v.mp4", "https.example.com", "http?x=1",
	    "http#x", "http%3A//a.example/"};
	char f[64];

	(void)state;
	/* Regression (fixed): content_lesson_body checks a media url with
	 * strncmp(url, "http", 4) == 0 && markdown_url_ok(url, len, 0), and
	 * markdown_url_ok accepts any relative address, so "http/v.mp4",
	 * "httpjunk" or "http.example.com/v.mp4" pass as "an http(s)
	 * address" although they have no scheme at all (a browser resolves
	 * them against the page).  It should require "http:" or "https:"
	 * (case-insensitively) as the scheme. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = body_of(json_pack("{s:[{s:s,s:s}]}", "media",
		    "type", "link", "url", bad[i]), f, sizeof(f));

		if (why == NULL) {
			print_error("url %s accepted\n", bad[i]);
			fail();
		}
	}
}

/* Files that ludus serves from web/media/ may be named by their path. */
static void
body_media_served_by_ludus(void **state)
{
	static const char *const bad[] = {"/media/", "/media/x", "/media/../x.js",
	    "/media/a b.webm", "/mediax/v.webm", "/js/app.js.exe",
	    "/media//v.webm", "media/v.webm"};
	char f[64];

	(void)state;
	assert_null(body_of(json_pack("{s:[{s:s,s:s}]}", "media", "type",
	    "video", "url", "/media/tcp-udp-and-ports.webm"), f, sizeof(f)));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = body_of(json_pack("{s:[{s:s,s:s}]}", "media",
		    "type", "video", "url", bad[i]), f, sizeof(f));

		if (why == NULL) {
			print_error("url %s accepted\n", bad[i]);
			fail();
		}
	}
}

/* rules.h: "*field names the part at fault ("content.media[2].url")". */
static void
body_field_names_the_part(void **state)
{
	(void)state;
	/* Regression (fixed): rules.h documents the field path of a bad media url as
	 * "content.media[2].url", but content_lesson_body reports only the
	 * item, "content.media[2]" (the same for a bad type or title); the
	 * code or the header is wrong. */
	assert_body_refused("{\"media\": ["
	    "{\"type\": \"link\", \"url\": \"https://a.example/\"},"
	    "{\"type\": \"link\", \"url\": \"http://a.example/\"},"
	    "{\"type\": \"link\", \"url\": \"javascript:alert(1)\"}]}",
	    "content.media[2].url");
}

/* ---- content_slugify -------------------------------------------------- */

/* The slug of title in a buffer of the size the API uses. */
static const char *
slugify(const char *title)
{
	static char out[96];

	content_slugify(title, out, sizeof(out));
	return out;
}

static void
slugify_words(void **state)
{
	(void)state;
	assert_string_equal(slugify("Subnetting: Deep Dive!"),
	    "subnetting-deep-dive");
	assert_string_equal(slugify("Network+ N10-009 Basics"),
	    "network-n10-009-basics");
	assert_string_equal(slugify("IPv6 & DNS"), "ipv6-dns");
	assert_string_equal(slugify("OSI   model"), "osi-model");
	assert_string_equal(slugify("a_b.c/d"), "a-b-c-d");
	assert_string_equal(slugify("already-a-slug"), "already-a-slug");
	assert_string_equal(slugify("802.11ax"), "802-11ax");
	assert_string_equal(slugify("x"), "x");
}

static void
slugify_leading_trailing_symbols(void **state)
{
	(void)state;
	assert_string_equal(slugify("  --Hello, World--  "), "hello-world");
	assert_string_equal(slugify("***Ports***"), "ports");
	assert_string_equal(slugify("(TCP/IP)"), "tcp-ip");
	assert_string_equal(slugify("\tTabs\n"), "tabs");
}

static void
slugify_only_symbols(void **state)
{
	(void)state;
	assert_string_equal(slugify(""), "course");
	assert_string_equal(slugify("!!!"), "course");
	assert_string_equal(slugify("- - -"), "course");
	assert_string_equal(slugify("\xc3\xbc\xc3\xa9"), "course");
	assert_string_equal(slugify("\xe2\x80\x94"), "course");
}

static void
slugify_non_ascii_dropped(void **state)
{
	const char *s;

	(void)state;
	assert_string_equal(slugify("\xc3\x9c" "ber Caf\xc3\xa9"), "ber-caf");
	assert_string_equal(slugify("R\xc3\xa9seaux"), "r-seaux");
	s = slugify("Na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac Test");
	assert_null(content_slug(s));
	assert_string_equal(s, "na-ve-test");
	for (const char *p = s; *p; p++)
		assert_true((unsigned char)*p < 0x80);
}

static void
slugify_long_titles(void **state)
{
	char title[400], buf[96];
	const char *s;

	(void)state;
	/* one long word: cut at 80 */
	s = slugify(fill(title, 'a', 300, ""));
	assert_int_equal(strlen(s), 80);
	assert_null(content_slug(s));

	/* "word word ...": the cut falls on a dash, which goes */
	title[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(title, "Word ");
	s = slugify(title);
	assert_true(strlen(s) <= 80);
	assert_true(strlen(s) >= 75);
	assert_true(s[strlen(s) - 1] != '-');
	assert_null(content_slug(s));
	assert_int_equal(strncmp(s, "word-word-", 10), 0);

	/* 79 letters, then a word: the cut leaves "...-" and the dash goes */
	fill(title, 'b', 79, " cdef");
	s = slugify(title);
	assert_int_equal(strlen(s), 79);
	assert_null(content_slug(s));

	/* exactly 80 */
	fill(title, 'c', 80, "");
	assert_string_equal(slugify(title), title);

	/* a buffer just big enough for 80 */
	content_slugify(fill(title, 'd', 200, ""), buf, 82);
	assert_int_equal(strlen(buf), 80);
}

static void
slugify_always_a_slug(void **state)
{
	static const char *const titles[] = {"Subnetting: Deep Dive!",
	    "--", "A", "a - b", "1.0 Networking Concepts",
	    "Given a scenario, troubleshoot common cabling and physical "
	    "interface issues (and a few more words to pass eighty characters)",
	    "\xf0\x9f\x98\x80 Emoji \xf0\x9f\x98\x80", "UPPER lower MiXeD",
	    "tab\there", "x--y", "-x-", "   "};

	(void)state;
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		const char *s = slugify(titles[i]);

		if (content_slug(s) != NULL) {
			print_error("%s -> %s is not a slug\n", titles[i], s);
			fail();
		}
	}
}

/* A small buffer: the slug is cut, never written past n bytes. */
static void
slugify_small_buffer(void **state)
{
	char out[16];

	(void)state;
	memset(out, 'Z', sizeof(out));
	content_slugify("abcdef", out, 5);
	assert_true(strlen(out) < 5);
	assert_int_equal(strncmp(out, "abc", strlen(out)), 0);
	for (size_t i = 5; i < sizeof(out); i++)
		assert_int_equal(out[i], 'Z');
}

static void
slugify_small_buffer_fallback(void **state)
{
	char out[16];

	(void)state;
	/* Regression (fixed): when no letter or digit is kept, content_slugify sets
	 * o = snprintf(out, n, "course") (6) whatever n is, then writes
	 * out[o] = '\0': with n < 7 that is a write past the buffer
	 * (out[6] for n = 4; with n = 0 snprintf writes nothing and out[6]
	 * is still written).  The only caller passes 96 bytes today. */
	memset(out, 'Z', sizeof(out));
	content_slugify("!!!", out, 4);
	assert_true(strlen(out) < 4);
	for (size_t i = 4; i < sizeof(out); i++)
		assert_int_equal(out[i], 'Z');
}


/* ---- content_estimate_minutes ------------------------------------------- */

static int
estimate(const char *json)
{
	json_t *c = json_loads(json, 0, NULL);
	int m;

	assert_non_null(c);
	m = content_estimate_minutes(c);
	json_decref(c);
	return m;
}

static char *
words(int n)
{
	char *s = malloc((size_t)n * 6 + 64), *p = s;

	p += sprintf(p, "{\"markdown\": \"# Title\\n\\n");
	for (int i = 0; i < n - 1; i++)
		p += sprintf(p, "word ");
	sprintf(p, "\"}");
	return s;
}

static void
estimate_reading(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(estimate("{}"), 1);
	assert_int_equal(estimate("{\"markdown\": \"\"}"), 1);
	/* 400 words at 200 a minute: two minutes, not twenty. */
	s = words(400);
	assert_int_equal(estimate(s), 2);
	free(s);
	s = words(401);
	assert_int_equal(estimate(s), 3);
	free(s);
	/* Markup alone is no word. */
	assert_int_equal(estimate("{\"markdown\": \"- * # | --- | ``` > "
	    "- *\"}"), 1);
}

static void
estimate_media(void **state)
{
	(void)state;
	assert_int_equal(estimate("{\"markdown\": \"A short intro.\", "
	    "\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://example.com/v.mp4\", \"duration_seconds\": 600}]}"),
	    11);
	assert_int_equal(estimate("{\"media\": [{\"type\": \"video\", "
	    "\"url\": \"https://e.com/a\", \"duration_seconds\": 90}, "
	    "{\"type\": \"audio\", \"url\": \"https://e.com/b\", "
	    "\"duration_seconds\": 30}]}"), 2);
	/* No duration given: the media add nothing. */
	assert_int_equal(estimate("{\"media\": [{\"type\": \"video\", "
	    "\"url\": \"https://e.com/a\"}]}"), 1);
	/* At most 600 minutes. */
	assert_int_equal(estimate("{\"media\": [{\"type\": \"video\", "
	    "\"url\": \"https://e.com/a\", \"duration_seconds\": 86400}]}"),
	    600);
}

static void
kinds_that_are_read(void **state)
{
	(void)state;
	assert_true(content_kind_is_read("lesson"));
	assert_true(content_kind_is_read("video"));
	assert_true(content_kind_is_read("study_guide"));
	assert_false(content_kind_is_read("lab"));
	assert_false(content_kind_is_read("flashcards"));
	assert_false(content_kind_is_read("quiz"));
	assert_false(content_kind_is_read("simulation"));
	assert_false(content_kind_is_read("practice_exam"));
}

static void
media_duration_rule(void **state)
{
	char field[64];
	json_t *c;

	(void)state;
	c = json_loads("{\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://e.com/a\", \"duration_seconds\": 0}]}", 0, NULL);
	assert_non_null(content_lesson_body(c, field, sizeof(field)));
	assert_string_equal(field, "content.media[0].duration_seconds");
	json_decref(c);
	c = json_loads("{\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://e.com/a\", \"duration_seconds\": \"5\"}]}", 0, NULL);
	assert_non_null(content_lesson_body(c, field, sizeof(field)));
	json_decref(c);
	c = json_loads("{\"media\": [{\"type\": \"video\", \"url\": "
	    "\"https://e.com/a\", \"title\": \"T\", \"duration_seconds\": "
	    "86400}]}", 0, NULL);
	assert_null(content_lesson_body(c, field, sizeof(field)));
	json_decref(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slug_valid),
		cmocka_unit_test(slug_refused),
		cmocka_unit_test(tag_valid),
		cmocka_unit_test(tag_refused),
		cmocka_unit_test(objective_code),
		cmocka_unit_test(uuid),
		cmocka_unit_test(kind),
		cmocka_unit_test(difficulty),
		cmocka_unit_test(language),
		cmocka_unit_test(body_valid),
		cmocka_unit_test(body_not_an_object),
		cmocka_unit_test(body_markdown),
		cmocka_unit_test(body_media_list),
		cmocka_unit_test(body_media_item_shape),
		cmocka_unit_test(body_media_type),
		cmocka_unit_test(body_media_url),
		cmocka_unit_test(body_media_title),
		cmocka_unit_test(body_chapters_list),
		cmocka_unit_test(body_chapter_items),
		cmocka_unit_test(body_unknown_key),
		cmocka_unit_test(body_small_field_buffer),
		cmocka_unit_test(body_message_stays_valid),
		cmocka_unit_test(body_media_url_relative_http_prefix),
		cmocka_unit_test(body_media_served_by_ludus),
		cmocka_unit_test(body_field_names_the_part),
		cmocka_unit_test(slugify_words),
		cmocka_unit_test(slugify_leading_trailing_symbols),
		cmocka_unit_test(slugify_only_symbols),
		cmocka_unit_test(slugify_non_ascii_dropped),
		cmocka_unit_test(slugify_long_titles),
		cmocka_unit_test(slugify_always_a_slug),
		cmocka_unit_test(slugify_small_buffer),
		cmocka_unit_test(slugify_small_buffer_fallback),
		cmocka_unit_test(estimate_reading),
		cmocka_unit_test(estimate_media),
		cmocka_unit_test(media_duration_rule),
		cmocka_unit_test(kinds_that_are_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
