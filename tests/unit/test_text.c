/*
 * test_text.c - sentences, words, stopwords and plain text of light
 * Markdown (src/materials/text.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "materials/text.h"

/*
 * Checks that text splits into exactly the sentences want (NULL-ended),
 * each prefixed with its kind: "P:" prose, "H:" heading, "I:" item, "R:"
 * row, "T:" header row.
 */
static void
sentences_are_(const char *text, bool in_code, const char *const *want,
    const char *file, int line)
{
	static const char kinds[] = "PHIRT";
	struct text_sent *s;
	size_t n = text_sentences(text, strlen(text), in_code, &s), i;
	char got[512];

	for (i = 0; i < n; i++) {
		snprintf(got, sizeof(got), "%c:%.*s", kinds[s[i].kind],
		    (int)(s[i].end - s[i].start), text + s[i].start);
		if (want[i] == NULL)
			_fail(file, line);
		if (strcmp(got, want[i]) != 0) {
			print_error("sentence %zu: got \"%s\", want \"%s\"\n",
			    i, got, want[i]);
			_fail(file, line);
		}
	}
	if (want[i] != NULL) {
		print_error("%zu sentences, more wanted: \"%s\"\n", n, want[i]);
		_fail(file, line);
	}
	free(s);
}
#define sentences_are(t, c, ...) sentences_are_((t), (c),		\
	(const char *const[]){__VA_ARGS__, NULL}, __FILE__, __LINE__)

static void
abbreviations_do_not_end_sentences(void **state)
{
	(void)state;
	sentences_are("Dr. Smith met Mr. Jones on Main St. in the U.S. Army "
	    "at 5 p.m. yesterday. It was fun! Was it? Yes.", false,
	    "P:Dr. Smith met Mr. Jones on Main St. in the U.S. Army at 5 "
	    "p.m. yesterday.", "P:It was fun!", "P:Was it?", "P:Yes.");
	sentences_are("Pick a protocol, e.g. TCP or i.e. UDP. Routers, "
	    "switches, etc. are devices. See Fig. 3 for details. No. 5 is odd. "
	    "The answer is no. Next one.", false,
	    "P:Pick a protocol, e.g. TCP or i.e. UDP.",
	    "P:Routers, switches, etc. are devices.",
	    "P:See Fig. 3 for details.", "P:No. 5 is odd.",
	    "P:The answer is no.", "P:Next one.");
	sentences_are("TCP vs. UDP is a classic. J. R. R. Tolkien wrote it.",
	    false, "P:TCP vs. UDP is a classic.", "P:J. R. R. Tolkien wrote it.");
}

static void
numbers_and_ellipses_do_not_end_sentences(void **state)
{
	(void)state;
	sentences_are("Version 2.0.1 costs 3.5 units. The host 192.168.0.1 is "
	    "private. Wait... Then go. It was 2024. 3 people came. It is "
	    "version 3. then 4.", false,
	    "P:Version 2.0.1 costs 3.5 units.",
	    "P:The host 192.168.0.1 is private.", "P:Wait... Then go.",
	    "P:It was 2024.", "P:3 people came.",
	    "P:It is version 3. then 4.");
	sentences_are("Visit example.com. Later, ask\xe2\x80\xa6 Nobody knows.",
	    false, "P:Visit example.com.",
	    "P:Later, ask\xe2\x80\xa6 Nobody knows.");
}

static void
quotes_and_emphasis_close_sentences(void **state)
{
	(void)state;
	sentences_are("He said \"Stop.\" Then he left. (It rained.) **Bold** "
	    "starts this. \xe2\x80\x9cQuoted.\xe2\x80\x9d Yes!", false,
	    "P:He said \"Stop.\"", "P:Then he left.", "P:(It rained.)",
	    "P:**Bold** starts this.",
	    "P:\xe2\x80\x9cQuoted.\xe2\x80\x9d", "P:Yes!");
	sentences_are("Yahoo! is a site. Why? because.", false,
	    "P:Yahoo! is a site.", "P:Why? because.");
}

static void
unicode_sentences(void **state)
{
	(void)state;
	sentences_are("Caf\xc3\xa9 is open. \xc3\x89lan vital. "
	    "\xe6\x9d\xb1\xe4\xba\xac\xe3\x80\x82\xe5\xa4\xa7\xe9\x98\xaa"
	    "\xe3\x80\x82", false, "P:Caf\xc3\xa9 is open.",
	    "P:\xc3\x89lan vital.", "P:\xe6\x9d\xb1\xe4\xba\xac\xe3\x80\x82",
	    "P:\xe5\xa4\xa7\xe9\x98\xaa\xe3\x80\x82");
}

static void
blocks_are_sentences_of_their_own(void **state)
{
	(void)state;
	sentences_are("# Title #\n"
	    "Para one. Para two\ncontinues here.\n"
	    "\n"
	    "- item one. Still item.\n"
	    "  more of it\n"
	    "- item two\n"
	    "1. numbered\n"
	    "\n"
	    "| a | b |\n"
	    "| --- | :-: |\n"
	    "| c | d |\n"
	    "\n"
	    "```c\n"
	    "int x = 1. Not prose.\n"
	    "```\n"
	    "> A quote. Two.\n"
	    "---\n"
	    "## Next", false,
	    "H:Title", "P:Para one.", "P:Para two\ncontinues here.",
	    "I:item one. Still item.\n  more of it", "I:item two",
	    "I:numbered", "T:| a | b |", "R:| c | d |", "P:A quote.",
	    "P:Two.", "H:Next");
	/* A table without a rule has no header; a lone row is a row. */
	sentences_are("| a | b |\n| c | d |\n\n| e |", false, "R:| a | b |",
	    "R:| c | d |", "R:| e |");
	/* A chunk may start inside code. */
	sentences_are("x = 1. Y.\n```\nAfter. Text.", true, "P:After.",
	    "P:Text.");
	sentences_are("", false, NULL);
	sentences_are(" \n\n ...  \n", false, NULL);
}

static void
line_kinds(void **state)
{
	static const struct {
		const char *line;
		enum text_line kind;
		size_t body;
		int level;
	} t[] = {
		{"", LINE_BLANK, 0, 0}, {"   ", LINE_BLANK, 3, 0},
		{"# A", LINE_HEADING, 2, 1}, {"###### A", LINE_HEADING, 7, 6},
		{"####### A", LINE_TEXT, 0, 0}, {"#hashtag", LINE_TEXT, 0, 0},
		{"- a", LINE_ITEM, 2, 0}, {"  * a", LINE_ITEM, 4, 0},
		{"12. a", LINE_ITEM, 4, 0}, {"3) a", LINE_ITEM, 3, 0},
		{"2024.Was", LINE_TEXT, 0, 0}, {"**bold**", LINE_TEXT, 0, 0},
		{"| a |", LINE_ROW, 0, 0}, {"|---|:-:|", LINE_RULE, 0, 0},
		{"```python", LINE_FENCE, 0, 0}, {"~~~", LINE_FENCE, 0, 0},
		{"---", LINE_BREAK, 0, 0}, {"* * *", LINE_BREAK, 0, 0},
		{"> q", LINE_QUOTE, 2, 0}, {"--", LINE_TEXT, 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t body;
		int level;

		assert_int_equal(text_line_kind(t[i].line, strlen(t[i].line),
		    &body, &level), t[i].kind);
		assert_int_equal(body, t[i].body);
		assert_int_equal(level, t[i].level);
	}
}

static size_t
count(const char *s)
{
	return text_word_count(s, strlen(s));
}

static void
words_and_counts(void **state)
{
	const char *s = "Don't split Berners-Lee\xe2\x80\x99s 3.5 words; e-mail "
	    "x--y.";
	static const char *const want[] = {"Don't", "split",
	    "Berners-Lee\xe2\x80\x99s", "3.5", "words", "e-mail", "x", "y"};
	struct text_span w;
	size_t pos = 0, i = 0;

	(void)state;
	while (text_next_word(s, strlen(s), &pos, &w)) {
		assert_true(i < 8);
		assert_int_equal(w.end - w.start, strlen(want[i]));
		assert_memory_equal(s + w.start, want[i], w.end - w.start);
		i++;
	}
	assert_int_equal(i, 8);
	assert_int_equal(count("[link text](http://example.com/a-b) and "
	    "https://x.org/y z <https://q.org> <b>bold</b>"), 5);
	assert_int_equal(count("Caf\xc3\xa9 na\xc3\xafve \xe6\x9d\xb1\xe4\xba"
	    "\xac"), 3);
	assert_int_equal(count("\xe2\x80\x94 \xe2\x80\x93 \xe2\x80\xa2 | --- "
	    "|"), 0);
	assert_int_equal(count("**bold** _it_ `code` snake_case 192.168.0.1."),
	    5);
	assert_int_equal(count(""), 0);
	/* Bad UTF-8 is no letter, and reading it stays in bounds. */
	assert_int_equal(count("a \xff\xfe b \xe2\x80"), 2);
}

static void
stopwords_in_any_case(void **state)
{
	static const char *const yes[] = {"the", "The", "THE", "a", "don't",
	    "don\xe2\x80\x99t", "yourselves", "which"};
	static const char *const no[] = {"router", "", "th", "thee",
	    "protocol", "a very long word that is not a stopword at all"};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(text_is_stopword(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(text_is_stopword(no[i], strlen(no[i])));
}

static void
plain_is_(const char *md, const char *want, const char *file, int line)
{
	char *got = text_plain(md, strlen(md));

	if (strcmp(got, want) != 0) {
		print_error("plain of \"%s\": got \"%s\", want \"%s\"\n", md,
		    got, want);
		free(got);
		_fail(file, line);
	}
	free(got);
}
#define plain_is(m, w) plain_is_((m), (w), __FILE__, __LINE__)

static void
plain_text_strips_inline_markdown(void **state)
{
	(void)state;
	plain_is("**DHCP**: assigns *IP*  addresses", "DHCP: assigns IP "
	    "addresses");
	plain_is("[the text](http://u.org/x_(y)) and ![alt](x.png)",
	    "the text and alt");
	plain_is("`a*b` and ``x ` y``", "a*b and x ` y");
	plain_is("snake_case and 2 * 3 and __under__", "snake_case and 2 * 3 "
	    "and under");
	plain_is("  a \n  b\t", "a b");
	plain_is("&amp; &lt;x&gt; &#65;&#x42; &bogus; & so", "& <x> AB "
	    "&bogus; & so");
	plain_is("a[0] and x[^1] and [ref][1]", "a[0] and x and ref");
	plain_is("<b>bold</b> <https://x.org> a < b", "bold https://x.org "
	    "a < b");
	plain_is("\\*not\\* ~~gone~~ ~5", "*not* gone ~5");
	plain_is("", "");
}

static void
cells_and_words(void **state)
{
	const char *row = "| a | b \\| c |  | d";
	struct text_span c[4];
	size_t n = text_cells(row, strlen(row), c, 4);

	(void)state;
	assert_int_equal(n, 4);
	assert_memory_equal(row + c[0].start, "a", 1);
	assert_int_equal(c[1].end - c[1].start, 6);
	assert_memory_equal(row + c[1].start, "b \\| c", 6);
	assert_int_equal(c[2].end, c[2].start);
	assert_memory_equal(row + c[3].start, "d", 1);
	assert_int_equal(text_cells("| a | b |", 9, c, 1), 2);
	assert_int_equal(text_cells("|", 1, c, 4), 0);

	assert_int_equal(text_find_word("IPv4 and IP", "IP", false), 9);
	assert_int_equal(text_find_word("The DNS's job", "dns", true), 4);
	assert_int_equal(text_find_word("The DNS's job", "dns", false), -1);
	assert_int_equal(text_find_word("port 443 and 4430", "443", false),
	    5);
	assert_int_equal(text_find_word("abc", "abcd", false), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(abbreviations_do_not_end_sentences),
		cmocka_unit_test(numbers_and_ellipses_do_not_end_sentences),
		cmocka_unit_test(quotes_and_emphasis_close_sentences),
		cmocka_unit_test(unicode_sentences),
		cmocka_unit_test(blocks_are_sentences_of_their_own),
		cmocka_unit_test(line_kinds),
		cmocka_unit_test(words_and_counts),
		cmocka_unit_test(stopwords_in_any_case),
		cmocka_unit_test(plain_text_strips_inline_markdown),
		cmocka_unit_test(cells_and_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
