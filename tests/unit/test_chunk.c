/*
 * test_chunk.c - light Markdown cut into chunks (src/materials/chunk.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "materials/chunk.h"
#include "materials/text.h"

static const char net[] =
    "# Networking\n"
    "\n"
    "## OSI model\n"
    "\n"
    "The Open Systems Interconnection (OSI) model divides network "
    "communication into seven layers. Each layer serves the layer above it "
    "and is served by the layer below it.\n"
    "\n"
    "| Layer | Name |\n"
    "| --- | --- |\n"
    "| 7 | Application |\n"
    "| 4 | Transport |\n"
    "\n"
    "## Ports\n"
    "\n"
    "HTTPS uses port 443. DNS uses port 53. SSH uses port 22.\n"
    "\n"
    "```sh\n"
    "ss -tlnp\n"
    "```\n";

/* The chunks of text, checked for what holds of any cut. */
static struct chunk *
cut(const char *text, int max, int min, size_t *n)
{
	struct chunk_params p = {max, min, 0};
	struct chunk *c;
	char err[128];
	size_t len = strlen(text), words = 0;

	assert_int_equal(chunk_text(text, len, &p, &c, n, err, sizeof(err)),
	    0);
	for (size_t i = 0; i < *n; i++) {
		assert_int_equal(c[i].order, (int)i);
		assert_true(c[i].start < c[i].end && c[i].end <= len);
		if (i > 0)
			assert_true(c[i - 1].end < c[i].start);
		/* No blank at either end of a chunk. */
		assert_true(text[c[i].start] != ' ' &&
		    text[c[i].start] != '\n');
		assert_true(text[c[i].end - 1] != ' ' &&
		    text[c[i].end - 1] != '\n');
		assert_true(c[i].head_start <= c[i].head_end &&
		    c[i].head_end <= c[i].start);
		assert_int_equal(c[i].words, (int)(text_word_count(text +
		    c[i].start, c[i].end - c[i].start) + text_word_count(text +
		    c[i].head_start, c[i].head_end - c[i].head_start)));
		words += text_word_count(text + c[i].start,
		    c[i].end - c[i].start);
		assert_non_null(c[i].heading);
	}
	/* Every word of the text is in a chunk, once. */
	assert_int_equal(words, text_word_count(text, len));
	return c;
}

/* Words of text[a..b) outside heading lines. */
static int
content_words(const char *text, size_t a, size_t b)
{
	int w = 0;

	while (a < b) {
		const char *nl = memchr(text + a, '\n', b - a);
		size_t e = nl != NULL ? (size_t)(nl - text) : b, body;

		if (text_line_kind(text + a, e - a, &body, NULL) != LINE_HEADING)
			w += (int)text_word_count(text + a, e - a);
		a = e + 1;
	}
	return w;
}

static void
assert_chunk_(const char *text, const struct chunk *c, const char *type,
    const char *heading, const char *body, const char *file, int line)
{
	size_t n = strlen(body);

	if (strcmp(c->type, type) != 0 || strcmp(c->heading, heading) != 0 ||
	    c->end - c->start != n || memcmp(text + c->start, body, n) != 0) {
		print_error("chunk %d: %s \"%s\" \"%.*s\"\n", c->order, c->type,
		    c->heading, (int)(c->end - c->start), text + c->start);
		_fail(file, line);
	}
}
#define assert_chunk(t, c, ty, h, b)					\
	assert_chunk_((t), (c), (ty), (h), (b), __FILE__, __LINE__)

static void
headings_start_chunks(void **state)
{
	size_t n;
	struct chunk *c = cut(net, 0, 0, &n);

	(void)state;
	assert_int_equal(n, 2);
	assert_chunk(net, &c[0], "section", "Networking > OSI model",
	    "# Networking\n\n## OSI model\n\nThe Open Systems Interconnection "
	    "(OSI) model divides network communication into seven layers. Each "
	    "layer serves the layer above it and is served by the layer below "
	    "it.\n\n| Layer | Name |\n| --- | --- |\n| 7 | Application |\n"
	    "| 4 | Transport |");
	assert_int_equal(c[0].words, 36);
	assert_chunk(net, &c[1], "section", "Networking > Ports",
	    "## Ports\n\nHTTPS uses port 443. DNS uses port 53. SSH uses port "
	    "22.\n\n```sh\nss -tlnp\n```");
	assert_int_equal(c[1].head_start, c[1].start);
	chunks_free(c, n);
}

static void
small_chunks_merge_within_their_section(void **state)
{
	const char *t = "# A\n\nShort intro.\n\n## B\n\nOne two three four "
	    "five six.\n\n# C\n\nSeven eight.\n\n# D\n\nNine ten eleven.";
	size_t n;
	struct chunk *c = cut(t, 8, 5, &n);

	(void)state;
	/* The intro joins its subsection B; C is another section. */
	assert_int_equal(n, 3);
	assert_chunk(t, &c[0], "paragraph", "A", "# A\n\nShort intro.\n\n## B"
	    "\n\nOne two three four five six.");
	assert_chunk(t, &c[1], "paragraph", "C", "# C\n\nSeven eight.");
	assert_chunk(t, &c[2], "paragraph", "D", "# D\n\nNine ten eleven.");
	chunks_free(c, n);

	/* Headings in a row start one chunk, with the deepest path. */
	t = "# A\n## B\n### C\nText here.\n## D\n";
	c = cut(t, 0, 0, &n);
	assert_int_equal(n, 2);
	assert_chunk(t, &c[0], "paragraph", "A > B > C",
	    "# A\n## B\n### C\nText here.");
	assert_chunk(t, &c[1], "section", "A > D", "## D");
	chunks_free(c, n);
}

static void
big_paragraphs_split_between_sentences(void **state)
{
	struct buf b = {0};
	char *t;
	size_t n;
	struct chunk *c;

	(void)state;
	buf_puts(&b, "# Big\n\n");
	for (int i = 0; i < 40; i++)
		buf_puts(&b, "This sentence has exactly seven words here. ");
	buf_puts(&b, "\n\nA short closing paragraph.");
	t = buf_take(&b);
	c = cut(t, 50, 10, &n);
	/* 280 words: 7 sentences (49 words) a piece; the last takes 35. */
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c[i].type, "paragraph");
		assert_string_equal(c[i].heading, "Big");
		assert_true(content_words(t, c[i].start, c[i].end) <= 50);
		assert_int_equal(t[c[i].end - 1], '.');
		assert_true(i == 0 ? t[c[i].start] == '#' :
		    t[c[i].start] == 'T');
	}
	assert_int_equal(c[5].words, 35 + 4);
	free(t);
	chunks_free(c, n);

	/* A sentence longer than a chunk is cut between words. */
	b = (struct buf){0};
	for (int i = 0; i < 25; i++)
		buf_puts(&b, "word ");
	t = buf_take(&b);
	c = cut(t, 10, 1, &n);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].words, 10);
	assert_int_equal(c[2].words, 5);
	free(t);
	chunks_free(c, n);
}

static void
big_tables_keep_their_header(void **state)
{
	struct buf b = {0};
	char *t;
	size_t n;
	struct chunk *c;
	const char *head = "| Term | Meaning |\n| --- | --- |\n";

	(void)state;
	buf_puts(&b, "## Glossary\n\n");
	buf_puts(&b, head);
	for (int i = 0; i < 12; i++)
		buf_puts(&b, "| term | one two three |\n");
	t = buf_take(&b);
	c = cut(t, 10, 1, &n);
	/* Rows of 4 words: the header's 2 and two rows, then 2 a piece. */
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(c[i].type, "table");
		assert_true(content_words(t, c[i].start, c[i].end) <= 10);
		if (i == 0) {
			assert_int_equal(c[i].head_start, c[i].start);
			continue;
		}
		assert_int_equal(c[i].head_end - c[i].head_start, strlen(head));
		assert_memory_equal(t + c[i].head_start, head, strlen(head));
		assert_memory_equal(t + c[i].start, "| term |", 8);
		assert_int_equal(c[i].words, 2 + 8);
	}
	free(t);
	chunks_free(c, n);
}

static void
big_code_splits_between_lines(void **state)
{
	struct buf b = {0};
	char *t;
	size_t n;
	struct chunk *c;

	(void)state;
	buf_puts(&b, "```c\n");
	for (int i = 0; i < 9; i++)
		buf_puts(&b, "int x;\n");
	buf_puts(&b, "```\n\nThen prose.");
	t = buf_take(&b);
	c = cut(t, 6, 1, &n);
	assert_int_equal(n, 4);
	assert_chunk(t, &c[0], "code", "", "```c\nint x;\nint x;");
	assert_chunk(t, &c[1], "code", "", "int x;\nint x;\nint x;");
	assert_int_equal(c[1].head_end - c[1].head_start, 5);
	assert_memory_equal(t + c[1].head_start, "```c\n", 5);
	assert_chunk(t, &c[2], "code", "", "int x;\nint x;\nint x;");
	assert_chunk(t, &c[3], "section", "", "int x;\n```\n\nThen prose.");
	free(t);
	chunks_free(c, n);
}

static void
types_name_the_kind_held(void **state)
{
	const char *t = "# L\n\n- a b c\n- d e f\n\n# T\n\n| x | y |\n\n# C\n\n"
	    "```\ncode here\n```\n\n# M\n\nWords.\n\n- item\n\n# Empty\n";
	size_t n;
	struct chunk *c = cut(t, 0, 1, &n);

	(void)state;
	assert_int_equal(n, 5);
	assert_string_equal(c[0].type, "list");
	assert_string_equal(c[1].type, "table");
	assert_string_equal(c[2].type, "code");
	assert_string_equal(c[3].type, "section");
	assert_string_equal(c[4].type, "section");
	assert_string_equal(c[4].heading, "Empty");
	chunks_free(c, n);
}

static void
limits_and_empty_texts(void **state)
{
	struct chunk_params p = {3, 1, 4};
	struct chunk *c;
	size_t n;
	char err[128];
	const char *t = "a b c d e f g h i j k l m n o";

	(void)state;
	assert_int_equal(chunk_text(t, strlen(t), &p, &c, &n, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 4 chunks"));
	p.max_chunks = 5;
	assert_int_equal(chunk_text(t, strlen(t), &p, &c, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 5);
	chunks_free(c, n);

	assert_int_equal(chunk_text("", 0, NULL, &c, &n, err, sizeof(err)),
	    0);
	assert_int_equal(n, 0);
	assert_null(c);
	assert_int_equal(chunk_text("\n\n---\n#\n", 8, NULL, &c, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 0);
	chunks_free(c, n);
}

static void
blocks_of_a_text(void **state)
{
	struct chunk_block *b;
	size_t n = chunk_blocks(net, strlen(net), &b);

	(void)state;
	assert_int_equal(n, 7);
	assert_int_equal(b[0].kind, BLOCK_HEADING);
	assert_int_equal(b[0].level, 1);
	assert_int_equal(b[1].level, 2);
	assert_int_equal(b[2].kind, BLOCK_PARAGRAPH);
	assert_int_equal(b[3].kind, BLOCK_TABLE);
	assert_memory_equal(net + b[3].head, "| 7 |", 5);
	assert_int_equal(b[5].kind, BLOCK_PARAGRAPH);
	assert_int_equal(b[6].kind, BLOCK_CODE);
	assert_memory_equal(net + b[6].head, "ss -tlnp", 8);
	assert_int_equal(b[6].end, strlen(net) - 1);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(headings_start_chunks),
		cmocka_unit_test(small_chunks_merge_within_their_section),
		cmocka_unit_test(big_paragraphs_split_between_sentences),
		cmocka_unit_test(big_tables_keep_their_header),
		cmocka_unit_test(big_code_splits_between_lines),
		cmocka_unit_test(types_name_the_kind_held),
		cmocka_unit_test(limits_and_empty_texts),
		cmocka_unit_test(blocks_of_a_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
