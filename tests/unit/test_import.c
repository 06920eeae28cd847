/*
 * test_import.c - the question-file parsers (src/assessment/import.h):
 * CSV (seed 003's format, extended), Moodle GIFT and Aiken, as
 * docs/questions.md describes them.  Good files are written to each
 * format's published syntax and their questions compared whole with the
 * expected JSON; bad records must be refused at the line where they start
 * while the records around them still parse; whole-file faults (header,
 * UTF-8, NUL bytes, the record cap) refuse the file with their line.
 *
 * Expected JSON is written with ' for " to keep it readable (an
 * apostrophe in a text is \\u0027).
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

#include "assessment/import.h"

/* json_loads of text with every ' turned into ". */
static json_t *
expect(const char *text)
{
	char *s = strdup(text);
	json_error_t e;
	json_t *j;

	assert_non_null(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = json_loads(s, 0, &e);
	if (j == NULL)
		print_error("bad JSON in the test: %s: %s\n", s, e.text);
	free(s);
	assert_non_null(j);
	return j;
}

/* Parses text (up to its NUL) and expects the file to be accepted. */
static void
parse(enum import_format f, const char *text, struct import_list *l)
{
	memset(l, 0, sizeof(*l));
	if (import_parse(f, text, strlen(text), l) != 0) {
		print_error("file refused at line %d: %s\n", l->error_line,
		    l->error ? l->error : "(no reason)");
		fail();
	}
	assert_null(l->error);
}

/* Parses n bytes of text and expects the whole file refused at line. */
static void
parse_fails(enum import_format f, const char *text, size_t n, int line,
    const char *reason)
{
	struct import_list l;

	memset(&l, 0, sizeof(l));
	assert_int_equal(import_parse(f, text, n, &l), -1);
	assert_non_null(l.error);
	if (strstr(l.error, reason) == NULL) {
		print_error("file refused with \"%s\", wanted \"%s\"\n",
		    l.error, reason);
		fail();
	}
	assert_int_equal(l.error_line, line);
	assert_int_equal(l.count, 0);
	assert_null(l.items);
	import_list_free(&l);
}

static void
question_is(const struct import_list *l, size_t i, int line,
    const char *json)
{
	json_t *want;

	assert_true(i < l->count);
	if (l->items[i].question == NULL) {
		print_error("record %zu (line %d) refused: %s\n", i,
		    l->items[i].line, l->items[i].error);
		fail();
	}
	assert_null(l->items[i].error);
	want = expect(json);
	if (!json_equal(want, l->items[i].question)) {
		char *got = json_dumps(l->items[i].question, JSON_SORT_KEYS);
		char *w = json_dumps(want, JSON_SORT_KEYS);

		print_error("record %zu:\n got  %s\n want %s\n", i, got, w);
		free(got);
		free(w);
		json_decref(want);
		fail();
	}
	json_decref(want);
	assert_int_equal(l->items[i].line, line);
}

static void
refused_is(const struct import_list *l, size_t i, int line,
    const char *reason)
{
	assert_true(i < l->count);
	if (l->items[i].question != NULL) {
		char *got = json_dumps(l->items[i].question, JSON_SORT_KEYS);

		print_error("record %zu (line %d) accepted: %s\n", i,
		    l->items[i].line, got);
		free(got);
		fail();
	}
	assert_non_null(l->items[i].error);
	if (strstr(l->items[i].error, reason) == NULL) {
		print_error("record %zu refused with \"%s\", wanted \"%s\"\n",
		    i, l->items[i].error, reason);
		fail();
	}
	assert_int_equal(l->items[i].line, line);
}

/* ---- import_format_by_name, import_list_free ------------------------- */

static void
format_names(void **state)
{
	(void)state;
	assert_int_equal(import_format_by_name("csv"), IMPORT_CSV);
	assert_int_equal(import_format_by_name("CSV"), IMPORT_CSV);
	assert_int_equal(import_format_by_name("gift"), IMPORT_GIFT);
	assert_int_equal(import_format_by_name("Gift"), IMPORT_GIFT);
	assert_int_equal(import_format_by_name("aiken"), IMPORT_AIKEN);
	assert_int_equal(import_format_by_name("AIKEN"), IMPORT_AIKEN);
	assert_int_equal(import_format_by_name("xml"), -1);
	assert_int_equal(import_format_by_name(""), -1);
	assert_int_equal(import_format_by_name("csv "), -1);
	assert_int_equal(import_format_by_name(NULL), -1);
}

static void
list_free_twice(void **state)
{
	struct import_list l;

	(void)state;
	memset(&l, 0, sizeof(l));
	import_list_free(&l);
	parse(IMPORT_AIKEN, "Q?\nA) a\nB) b\nANSWER: A\n", &l);
	assert_int_equal(l.count, 1);
	import_list_free(&l);
	assert_int_equal(l.count, 0);
	assert_null(l.items);
	import_list_free(&l);
	import_list_free(NULL);
}

static void
empty_files(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT, "", &l);
	assert_int_equal(l.count, 0);
	import_list_free(&l);
	parse(IMPORT_GIFT, "// only a comment\n\n\n", &l);
	assert_int_equal(l.count, 0);
	import_list_free(&l);
	parse(IMPORT_AIKEN, "\n\n  \n", &l);
	assert_int_equal(l.count, 0);
	import_list_free(&l);
	parse(IMPORT_CSV, "question_text,correct_answer\n\n", &l);
	assert_int_equal(l.count, 0);
	import_list_free(&l);
}

/* ---- whole-file faults ----------------------------------------------- */

static void
file_not_utf8(void **state)
{
	static const char csv[] = "question_text\nok\n\"caf\xe9\"\n";
	static const char gift[] = "Q {T}\n\nQ2\n{=a ~\xc0\xaf}\n";
	static const char aiken[] = "Q\nA) a\nB) \xed\xa0\x80\nANSWER: A\n";
	static const char cut[] = "Q\nA) a\nB) b \xe2\x82";

	(void)state;
	parse_fails(IMPORT_CSV, csv, strlen(csv), 3, "UTF-8");
	/* An overlong '/'. */
	parse_fails(IMPORT_GIFT, gift, strlen(gift), 4, "UTF-8");
	/* A UTF-16 surrogate. */
	parse_fails(IMPORT_AIKEN, aiken, strlen(aiken), 3, "UTF-8");
	/* A sequence cut short by the end of the file. */
	parse_fails(IMPORT_AIKEN, cut, strlen(cut), 3, "UTF-8");
}

static void
file_with_nul(void **state)
{
	static const char text[] = "Q\nA) a\nB) b\nANSWER: A\n\nQ\0\n";

	(void)state;
	parse_fails(IMPORT_AIKEN, text, sizeof(text) - 1, 6, "NUL");
	parse_fails(IMPORT_CSV, "question_text\n\0", 15, 2, "NUL");
}

/* len is authoritative: the text need not end in NUL, nor stop at one. */
static void
file_length(void **state)
{
	static const char text[] = "Q\nA) a\nB) b\nANSWER: A\n\nQ2\nA) c\n"
	    "B) d\nANSWER: B\n";
	struct import_list l;
	char *copy = malloc(23);

	(void)state;
	assert_non_null(copy);
	memcpy(copy, text, 23);		/* just the first question, no NUL */
	memset(&l, 0, sizeof(l));
	assert_int_equal(import_parse(IMPORT_AIKEN, copy, 23, &l), 0);
	assert_int_equal(l.count, 1);
	question_is(&l, 0, 1, "{'type': 'single_choice', 'stem': 'Q', "
	    "'body': {'options': [{'key': 'A', 'text': 'a', 'correct': true},"
	    "{'key': 'B', 'text': 'b', 'correct': false}]}}");
	import_list_free(&l);
	free(copy);
}

static void
record_cap(void **state)
{
	size_t rows = 100001, n = 0;
	char *text = malloc(20 + rows * 8);
	struct import_list l;

	(void)state;
	assert_non_null(text);
	n += (size_t)sprintf(text, "question_text\n");
	for (size_t i = 0; i < rows; i++)
		n += (size_t)sprintf(text + n, "q%zu\n", i % 1000);
	parse_fails(IMPORT_CSV, text, n, 100002, "more than 100000");

	/* 100000 is fine (each refused: it has no options). */
	n -= strlen("q0\n");
	memset(&l, 0, sizeof(l));
	assert_int_equal(import_parse(IMPORT_CSV, text, n, &l), 0);
	assert_int_equal(l.count, 100000);
	refused_is(&l, 99999, 100001, "no options");
	import_list_free(&l);
	free(text);
}

/* A long file and a huge field go through in linear time. */
static void
huge_input(void **state)
{
	size_t big = 4 * 1024 * 1024, n = 0;
	char *text = malloc(big + 256);
	struct import_list l;

	(void)state;
	assert_non_null(text);
	n += (size_t)sprintf(text, "question_text,option_a,option_b,"
	    "correct_answer\n\"");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\",a,b,A\n");
	memset(&l, 0, sizeof(l));
	assert_int_equal(import_parse(IMPORT_CSV, text, n, &l), 0);
	assert_int_equal(l.count, 1);
	assert_non_null(l.items[0].question);
	assert_int_equal(strlen(json_string_value(json_object_get(
	    l.items[0].question, "stem"))), big);
	import_list_free(&l);

	/* One GIFT answer block with a great many escapes and answers. */
	n = (size_t)sprintf(text, "Q {");
	while (n < big)
		n += (size_t)sprintf(text + n, "~\\{x\\} ");
	n += (size_t)sprintf(text + n, "=y}\n");
	memset(&l, 0, sizeof(l));
	assert_int_equal(import_parse(IMPORT_GIFT, text, n, &l), 0);
	refused_is(&l, 0, 1, "too many answers");
	import_list_free(&l);

	/* An unterminated quote at the top of a long file. */
	n = (size_t)sprintf(text, "question_text,correct_answer\n\"oops\n");
	while (n < big)
		n += (size_t)sprintf(text + n, "%s,\n", "a question of a "
		    "hundred characters or so, to keep under the record cap "
		    "of the file");
	memset(&l, 0, sizeof(l));
	assert_int_equal(import_parse(IMPORT_CSV, text, n, &l), 0);
	refused_is(&l, 0, 2, "unterminated quoted field");
	assert_true(l.count > 1000);
	refused_is(&l, 1, 3, "no options");
	import_list_free(&l);
	free(text);
}

/* A reason that clips a quote of the file mid-character is still UTF-8. */
static void
reasons_are_utf8(void **state)
{
	struct import_list l;
	json_t *j;

	(void)state;
	/* "a" and twenty "é": 20 bytes end inside an "é". */
	parse(IMPORT_CSV, "question_text,option_a,option_b,correct_answer\n"
	    "q,x,y,a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n",
	    &l);
	refused_is(&l, 0, 2, "correct_answer names a\xc3\xa9");
	j = json_string(l.items[0].error);
	assert_non_null(j);
	json_decref(j);
	import_list_free(&l);
}

/* ---- CSV ------------------------------------------------------------- */

static void
csv_columns(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_CSV,
	    "Question_ID,exam_type,DOMAIN,objectives,type,question_text,"
	    "option_a,option_a_explanation,option_b,option_b_explanation,"
	    "option_c,option_d,correct_answer,explanation,difficulty,tags,"
	    "status\n"
	    "N10-009-0042,Network,1.4,1.5;1.4 1.6,single_choice,Which port "
	    "does SSH listen on by default?,21,FTP control.,22,SSH.,23,3389,"
	    "b,SSH is TCP 22.,2,Ports; SSH  ports,active\n", &l);
	assert_int_equal(l.count, 1);
	question_is(&l, 0, 2, "{'external_id': 'N10-009-0042', "
	    "'type': 'single_choice', "
	    "'stem': 'Which port does SSH listen on by default?', "
	    "'explanation': 'SSH is TCP 22.', 'exam': 'network', "
	    "'domain': '1.0', 'objectives': ['1.4', '1.5', '1.6'], "
	    "'difficulty': 2, 'tags': ['ports', 'ssh'], 'status': 'active', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': '21', 'explanation': 'FTP control.', "
	    "'correct': false},"
	    "{'key': 'B', 'text': '22', 'explanation': 'SSH.', "
	    "'correct': true},"
	    "{'key': 'C', 'text': '23', 'correct': false},"
	    "{'key': 'D', 'text': '3389', 'correct': false}]}}");
	import_list_free(&l);

	/*
	 * Any order; only what the row gives (no status, no difficulty);
	 * single_choice by default; a domain code is the domain; empty
	 * options keep their column's letter.
	 */
	parse(IMPORT_CSV,
	    "correct_answer,option_d,option_b,question_text,domain\n"
	    "D,four,two,Pick four,3.0\n"
	    "B,,two,Pick two,\n", &l);
	assert_int_equal(l.count, 2);
	question_is(&l, 0, 2, "{'type': 'single_choice', "
	    "'stem': 'Pick four', 'domain': '3.0', 'body': {'options': ["
	    "{'key': 'B', 'text': 'two', 'correct': false},"
	    "{'key': 'D', 'text': 'four', 'correct': true}]}}");
	question_is(&l, 1, 3, "{'type': 'single_choice', "
	    "'stem': 'Pick two', 'body': {'options': ["
	    "{'key': 'B', 'text': 'two', 'correct': true}]}}");
	import_list_free(&l);
}

/* Quotes, doubled quotes, commas and line breaks in fields; CRLF; BOM. */
static void
csv_quoting(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_CSV,
	    "\xef\xbb\xbfquestion_text,option_a,option_b,correct_answer,"
	    "explanation\r\n"
	    "\"Which is right, A or B?\",\"A, surely\",\"He said \"\"B\"\"\","
	    "A,\"Line one\r\nLine two\r\n\r\nLine four\"\r\n"
	    "\r\n"
	    "  \"Padded\"  ,x,y,B,\r\n"
	    "\"\",\"\",\"\",\"\",\"\"\r\n"
	    ",,,,\r\n"
	    "Short row,x,y,A\r\n"
	    "Last \"quoted\" word,x,y,A,no newline at the end", &l);
	assert_int_equal(l.count, 4);
	question_is(&l, 0, 2, "{'type': 'single_choice', "
	    "'stem': 'Which is right, A or B?', "
	    "'explanation': 'Line one\\nLine two\\n\\nLine four', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'A, surely', 'correct': true},"
	    "{'key': 'B', 'text': 'He said \\u0022B\\u0022', "
	    "'correct': false}]}}");
	question_is(&l, 1, 7, "{'type': 'single_choice', 'stem': 'Padded', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'x', 'correct': false},"
	    "{'key': 'B', 'text': 'y', 'correct': true}]}}");
	/* Blank rows (also all-empty ones) are skipped, short rows padded. */
	question_is(&l, 2, 10, "{'type': 'single_choice', "
	    "'stem': 'Short row', 'body': {'options': ["
	    "{'key': 'A', 'text': 'x', 'correct': true},"
	    "{'key': 'B', 'text': 'y', 'correct': false}]}}");
	/* A quote inside an unquoted field is only a character. */
	question_is(&l, 3, 11, "{'type': 'single_choice', "
	    "'stem': 'Last \\u0022quoted\\u0022 word', "
	    "'explanation': 'no newline at the end', 'body': {'options': ["
	    "{'key': 'A', 'text': 'x', 'correct': true},"
	    "{'key': 'B', 'text': 'y', 'correct': false}]}}");
	import_list_free(&l);
}

/* Seed 003's options JSON, in a quoted field with its quotes doubled. */
static void
csv_options_json(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_CSV,
	    "question_id,exam_type,domain,question_text,correct_answer,"
	    "options\n"
	    "SEC-1,security,2.3,What does a WAF inspect?,C,\"{\"\"A\"\": "
	    "{\"\"text\"\": \"\"Frames\"\", \"\"explanation\"\": \"\"Layer 2."
	    "\"\"}, \"\"B\"\": {\"\"text\"\": \"\"Packets\"\", "
	    "\"\"explanation\"\": \"\"\"\"}, \"\"C\"\": {\"\"text\"\": "
	    "\"\"HTTP traffic\"\", \"\"explanation\"\": "
	    "\"\"Layer 7, yes.\"\"}, "
	    "\"\"D\"\": \"\"Bits\"\"}\"\n", &l);
	question_is(&l, 0, 2, "{'external_id': 'SEC-1', "
	    "'type': 'single_choice', 'stem': 'What does a WAF inspect?', "
	    "'exam': 'security', 'domain': '2.0', 'objectives': ['2.3'], "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'Frames', 'explanation': 'Layer 2.', "
	    "'correct': false},"
	    "{'key': 'B', 'text': 'Packets', 'correct': false},"
	    "{'key': 'C', 'text': 'HTTP traffic', "
	    "'explanation': 'Layer 7, yes.', 'correct': true},"
	    "{'key': 'D', 'text': 'Bits', 'correct': false}]}}");
	import_list_free(&l);
}

static void
csv_types(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_CSV,
	    "type,question_text,option_a,option_a_explanation,option_b,"
	    "option_b_explanation,option_c,option_d,correct_answer,options\n"
	    /* 2 */
	    "multiple_select,Choose two,a,,b,,c,d,\"A, c\",\n"
	    /* 3 */
	    "True_False,The sky is blue,True,Rayleigh scattering.,"
	    "It is not,,,,t,\n"
	    /* 4: seed 003 leaves the texts empty, explains in the columns */
	    "true_false,Two is odd,,Not so.,,Right: two is even.,,,FALSE,\n"
	    /* 5 */
	    "true_false,Three is odd,,,,,,,true,\"{\"\"true\"\": "
	    "{\"\"text\"\": \"\"True\"\", \"\"explanation\"\": \"\"Yes.\"\"}, "
	    "\"\"false\"\": {\"\"explanation\"\": \"\"It is.\"\"}}\"\n"
	    /* 6 */
	    "fill_blank,The /24 mask?,,,,,,,255.255.255.0| 255.255.255.0 |"
	    "|/24,\n"
	    /* 7 */
	    "ordering,OSI from the bottom,Network,,Physical,,Data link,,"
	    "\"B, C, A\",\n"
	    /* 8 */
	    "ordering,Already in order,one,,two,,,,,\n"
	    /* 9 */
	    "matching,Match the ports,SSH -> 22,Secure shell.,Telnet->23,,"
	    "DNS  ->  53,,,\n"
	    /* 10 */
	    "matching,Match the layers,,,,,,,,\"{\"\"1\"\": {\"\"text\"\": "
	    "\"\"Router\"\", \"\"match\"\": \"\"Network\"\"}, \"\"x\"\": "
	    "{\"\"text\"\": \"\"Switch -> Data link\"\", "
	    "\"\"explanation\"\": \"\"Frames.\"\"}}\"\n", &l);
	assert_int_equal(l.count, 9);
	question_is(&l, 0, 2, "{'type': 'multiple_select', "
	    "'stem': 'Choose two', 'body': {'options': ["
	    "{'key': 'A', 'text': 'a', 'correct': true},"
	    "{'key': 'B', 'text': 'b', 'correct': false},"
	    "{'key': 'C', 'text': 'c', 'correct': true},"
	    "{'key': 'D', 'text': 'd', 'correct': false}]}}");
	question_is(&l, 1, 3, "{'type': 'true_false', "
	    "'stem': 'The sky is blue', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', "
	    "'explanation': 'Rayleigh scattering.', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'explanation': 'It is not', "
	    "'correct': false}]}}");
	question_is(&l, 2, 4, "{'type': 'true_false', "
	    "'stem': 'Two is odd', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'explanation': 'Not so.', "
	    "'correct': false},"
	    "{'key': 'false', 'text': 'False', "
	    "'explanation': 'Right: two is even.', 'correct': true}]}}");
	question_is(&l, 3, 5, "{'type': 'true_false', "
	    "'stem': 'Three is odd', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'explanation': 'Yes.', "
	    "'correct': true},"
	    "{'key': 'false', 'text': 'False', 'explanation': 'It is.', "
	    "'correct': false}]}}");
	question_is(&l, 4, 6, "{'type': 'fill_blank', "
	    "'stem': 'The /24 mask?', 'body': {'answers': ["
	    "{'text': '255.255.255.0'}, {'text': '255.255.255.0'}, "
	    "{'text': '/24'}]}}");
	question_is(&l, 5, 7, "{'type': 'ordering', "
	    "'stem': 'OSI from the bottom', 'body': {'items': ["
	    "{'key': 'B', 'text': 'Physical'},"
	    "{'key': 'C', 'text': 'Data link'},"
	    "{'key': 'A', 'text': 'Network'}]}}");
	question_is(&l, 6, 8, "{'type': 'ordering', "
	    "'stem': 'Already in order', 'body': {'items': ["
	    "{'key': 'A', 'text': 'one'}, {'key': 'B', 'text': 'two'}]}}");
	question_is(&l, 7, 9, "{'type': 'matching', "
	    "'stem': 'Match the ports', 'body': {'pairs': ["
	    "{'key': '1', 'left': 'SSH', 'right': '22', "
	    "'explanation': 'Secure shell.'},"
	    "{'key': '2', 'left': 'Telnet', 'right': '23'},"
	    "{'key': '3', 'left': 'DNS', 'right': '53'}]}}");
	question_is(&l, 8, 10, "{'type': 'matching', "
	    "'stem': 'Match the layers', 'body': {'pairs': ["
	    "{'key': '1', 'left': 'Router', 'right': 'Network'},"
	    "{'key': '2', 'left': 'Switch', 'right': 'Data link', "
	    "'explanation': 'Frames.'}]}}");
	import_list_free(&l);
}

/* Each bad row is refused at its line; the rows around it still go in. */
static void
csv_bad_records(void **state)
{
	struct import_list l;
	const char *good = "{'type': 'single_choice', 'stem': 'Good', "
	    "'body': {'options': [{'key': 'A', 'text': 'a', 'correct': true},"
	    "{'key': 'B', 'text': 'b', 'correct': false}]}}";

	(void)state;
	parse(IMPORT_CSV,
	    "question_text,option_a,option_b,option_b_explanation,"
	    "correct_answer,difficulty,type,options\n"
	    "Good,a,b,,A,,,\n"					/* 2 */
	    "Bad key,a,b,,E,,,\n"				/* 3 */
	    "No text,a,,why,A,,,\n"				/* 4 */
	    "Bad difficulty,a,b,,A,hard,,\n"			/* 5 */
	    "Bad type,a,b,,A,,essay,\n"				/* 6 */
	    "Two answers,a,b,,\"A,B\",,,\n"			/* 7 */
	    ",a,b,,A,,,\n"					/* 8 */
	    "No answer,a,b,,,,,\n"				/* 9 */
	    "Good,a,b,,A,,,\n"					/* 10 */
	    "\"Quoted\" then text,a,b,,A,,,\n"			/* 11 */
	    "Too many,a,b,,A,,,,extra\n"			/* 12 */
	    "Bad JSON,,,,A,,,{A: 1}\n"				/* 13 */
	    "Both,a,,,A,,,\"{\"\"A\"\": \"\"x\"\"}\"\n"		/* 14 */
	    "Truth,,,,maybe,,true_false,\n"			/* 15 */
	    "Order,a,b,,A,,ordering,\n"				/* 16 */
	    "Order twice,a,b,,\"A,A,B\",,ordering,\n"		/* 17 */
	    "Pairs,a,b -> c,,,,matching,\n"			/* 18 */
	    "Blanks,,,,|  |,,fill_blank,\n"			/* 19 */
	    "TF key,,,,true,,true_false,\"{\"\"C\"\": \"\"x\"\"}\"\n" /* 20 */
	    "Empty option,,,,A,,,\"{\"\"A\"\": {\"\"text\"\": \"\"\"\"}}\"\n"
	    "No options,,,,A,,,\n"				/* 22 */
	    "Good,a,b,,A,,,\n"					/* 23 */
	    "\"multi\nline\" oops,a,b,,A,,,\n"			/* 24 */
	    "Good,a,b,,A,,,\n"					/* 26 */
	    "\"Never closed,a,b,,A,,,\n"			/* 27 */
	    "Good,a,b,,A,,,\n", &l);				/* 28 */
	assert_int_equal(l.count, 26);
	question_is(&l, 0, 2, good);
	refused_is(&l, 1, 3, "correct_answer names E but there is no "
	    "option E");
	refused_is(&l, 2, 4, "option B has no text");
	refused_is(&l, 3, 5, "difficulty must be a whole number");
	refused_is(&l, 4, 6, "unknown type \"essay\"");
	refused_is(&l, 5, 7, "takes one correct_answer");
	refused_is(&l, 6, 8, "question_text is empty");
	refused_is(&l, 7, 9, "correct_answer is empty");
	question_is(&l, 8, 10, good);
	refused_is(&l, 9, 11, "unexpected text after a closing quote");
	refused_is(&l, 10, 12, "the row has 9 fields but the header names 8");
	refused_is(&l, 11, 13, "options is not valid JSON");
	refused_is(&l, 12, 14, "not both");
	refused_is(&l, 13, 15, "must be true or false");
	refused_is(&l, 14, 16, "leaves out option B");
	refused_is(&l, 15, 17, "names A twice");
	refused_is(&l, 16, 18, "option A is not \"left -> right\"");
	refused_is(&l, 17, 19, "correct_answer is empty");
	refused_is(&l, 18, 20, "only the options true and false");
	refused_is(&l, 19, 21, "option A has no text");
	refused_is(&l, 20, 22, "no options");
	question_is(&l, 21, 23, good);
	refused_is(&l, 22, 24, "unexpected text after a closing quote");
	question_is(&l, 23, 26, good);
	/* Read on from the line after the stray quote. */
	refused_is(&l, 24, 27, "unterminated quoted field");
	question_is(&l, 25, 28, good);
	import_list_free(&l);
}

/* An explanation without its option's text serves true_false only. */
static void
csv_textless_options(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_CSV,
	    "type,question_text,option_a,option_a_explanation,option_b,"
	    "option_c_explanation,correct_answer\n"
	    "single_choice,q,,why,b,,B\n"
	    "multiple_select,q,a,,b,why,\"A,B\"\n"
	    "ordering,q,,why,b,,\n"
	    "matching,q,,why,x -> y,,\n"
	    "true_false,q,,why,,why not,T\n"
	    "true_false,q,,Because.,,,T\n", &l);
	assert_int_equal(l.count, 6);
	refused_is(&l, 0, 2, "option A has no text");
	refused_is(&l, 1, 3, "option C has no text");
	refused_is(&l, 2, 4, "option A has no text");
	refused_is(&l, 3, 5, "option A has no text");
	refused_is(&l, 4, 6, "only the options true and false (A and B), "
	    "not C");
	question_is(&l, 5, 7, "{'type': 'true_false', 'stem': 'q', "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'explanation': 'Because.', "
	    "'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	import_list_free(&l);
}

static void
csv_header(void **state)
{
	static const char unknown[] = "question_text,answer\nq,A\n";
	static const char dup[] = "\n\nquestion_text,Question_Text\nq,q\n";
	static const char notext[] = "option_a,option_b,correct_answer\n"
	    "a,b,A\n";
	static const char data[] = "What is 2+2?,4,5,A\n";
	static const char quote[] = "\"question_text,correct_answer\nq,A\n";
	struct import_list l;

	(void)state;
	parse_fails(IMPORT_CSV, unknown, strlen(unknown), 1,
	    "unknown column \"answer\"");
	parse_fails(IMPORT_CSV, dup, strlen(dup), 3, "appears twice");
	parse_fails(IMPORT_CSV, notext, strlen(notext), 1,
	    "no question_text column");
	parse_fails(IMPORT_CSV, data, strlen(data), 1, "not a header");
	parse_fails(IMPORT_CSV, "", 0, 1, "empty");
	parse_fails(IMPORT_CSV, "\xef\xbb\xbf\n\n", 5, 1, "empty");
	parse_fails(IMPORT_CSV, quote, strlen(quote), 1, "unterminated");
	parse_fails(IMPORT_CSV, "question_text,option_k\n", 23, 1,
	    "unknown column \"option_k\"");

	/* Nameless columns at the end of the header are left alone. */
	parse(IMPORT_CSV, " QUESTION_TEXT , Option_A ,option_b,"
	    "CORRECT_ANSWER,,\nq,a,b,B,,\n", &l);
	question_is(&l, 0, 2, "{'type': 'single_choice', 'stem': 'q', "
	    "'body': {'options': [{'key': 'A', 'text': 'a', 'correct': false},"
	    "{'key': 'B', 'text': 'b', 'correct': true}]}}");
	import_list_free(&l);
}

/* ---- GIFT ------------------------------------------------------------ */

static void
gift_choices(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "// A comment before the first question.\n"
	    "\n"
	    "// Its own comment.\n"
	    "::N10-009-0042:: Which port does SSH listen on by default? {\n"
	    "  ~21 # FTP control.\n"
	    "  =22 # SSH.\n"
	    "  // a comment among the answers\n"
	    "  ~23 # Telnet.\n"
	    "  ~3389\n"
	    "  #### SSH is TCP 22; Telnet is 23.\n"
	    "}\n"
	    "\n"
	    "\n"
	    "::Escapes and more:: [markdown]What does \\{x\\} mean\\: a "
	    "set\\?\\nSecond line.{=braces \\= set # yes \\# really ~ a "
	    "tilde \\~ # no}\n"
	    "\n"
	    "Who's buried in Grant's tomb?\n"
	    "Think twice.\n"
	    "{~Grant ~Jefferson =no one}  // a trailing comment\n", &l);
	assert_int_equal(l.count, 3);
	question_is(&l, 0, 4, "{'external_id': 'N10-009-0042', "
	    "'type': 'single_choice', "
	    "'stem': 'Which port does SSH listen on by default?', "
	    "'explanation': 'SSH is TCP 22; Telnet is 23.', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': '21', 'explanation': 'FTP control.', "
	    "'correct': false},"
	    "{'key': 'B', 'text': '22', 'explanation': 'SSH.', "
	    "'correct': true},"
	    "{'key': 'C', 'text': '23', 'explanation': 'Telnet.', "
	    "'correct': false},"
	    "{'key': 'D', 'text': '3389', 'correct': false}]}}");
	/* A title that does not fit the id rule is only a title. */
	question_is(&l, 1, 14, "{'type': 'single_choice', "
	    "'stem': 'What does {x} mean: a set\\\\?\\nSecond line.', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'braces = set', 'explanation': 'yes # "
	    "really', 'correct': true},"
	    "{'key': 'B', 'text': 'a tilde ~', 'explanation': 'no', "
	    "'correct': false}]}}");
	question_is(&l, 2, 16, "{'type': 'single_choice', "
	    "'stem': 'Who\\u0027s buried in Grant\\u0027s tomb?\\n"
	    "Think twice.', 'body': {'options': ["
	    "{'key': 'A', 'text': 'Grant', 'correct': false},"
	    "{'key': 'B', 'text': 'Jefferson', 'correct': false},"
	    "{'key': 'C', 'text': 'no one', 'correct': true}]}}");
	import_list_free(&l);
}

static void
gift_weights(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "What two people are entombed in Grant's tomb? {\n"
	    "   ~%-100%No one\n"
	    "   ~%50%Grant # Half of it.\n"
	    "   ~%50%Grant's wife\n"
	    "   ~%-100%Grant's father\n"
	    "}\n"
	    "\n"
	    "One right by weight {~%100%yes ~%0%no ~%-50%never}\n"
	    "\n"
	    "Two right by = {=a =b ~c}\n"
	    "\n"
	    "Part credit in a one-answer question {=a ~%50%b ~c}\n"
	    "\n"
	    "Full by weight with = {=a ~%100%b ~c}\n"
	    "\n"
	    "Too heavy {~%150%a ~b}\n"
	    "\n"
	    "One answer, a wrong one weighted {=a ~%-50%b ~%0%c}\n", &l);
	assert_int_equal(l.count, 7);
	question_is(&l, 0, 1, "{'type': 'multiple_select', "
	    "'stem': 'What two people are entombed in Grant\\u0027s tomb?', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'No one', 'correct': false},"
	    "{'key': 'B', 'text': 'Grant', 'explanation': 'Half of it.', "
	    "'correct': true},"
	    "{'key': 'C', 'text': 'Grant\\u0027s wife', 'correct': true},"
	    "{'key': 'D', 'text': 'Grant\\u0027s father', "
	    "'correct': false}]}}");
	question_is(&l, 1, 8, "{'type': 'single_choice', "
	    "'stem': 'One right by weight', 'body': {'options': ["
	    "{'key': 'A', 'text': 'yes', 'correct': true},"
	    "{'key': 'B', 'text': 'no', 'correct': false},"
	    "{'key': 'C', 'text': 'never', 'correct': false}]}}");
	/*
	 * With an = the question takes one answer (Moodle): two full
	 * answers, either of them right, or a part-credit option cannot be
	 * a Ludus single choice.
	 */
	refused_is(&l, 2, 10, "2 answers are marked = in a one-answer "
	    "question");
	refused_is(&l, 3, 12, "option B earns part credit (50%) in a "
	    "one-answer question");
	refused_is(&l, 4, 14, "2 answers are marked =");
	refused_is(&l, 5, 16, "option A weighs more than 100%");
	question_is(&l, 6, 18, "{'type': 'single_choice', "
	    "'stem': 'One answer, a wrong one weighted', 'body': {'options': ["
	    "{'key': 'A', 'text': 'a', 'correct': true},"
	    "{'key': 'B', 'text': 'b', 'correct': false},"
	    "{'key': 'C', 'text': 'c', 'correct': false}]}}");
	import_list_free(&l);
}

static void
gift_true_false(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "Grant is buried in Grant's tomb.{F}\n"
	    "\n"
	    "The sun rises in the east.{T}\n"
	    "\n"
	    "::TF-3::The sun rises in the west.{FALSE#No, in the east.#Right, "
	    "it rises in the east.}\n"
	    "\n"
	    "Water is wet.{TRUE#Wet it is, in fact.#Yes.####Mostly "
	    "hydrogen bonds.}\n", &l);
	assert_int_equal(l.count, 4);
	question_is(&l, 0, 1, "{'type': 'true_false', "
	    "'stem': 'Grant is buried in Grant\\u0027s tomb.', "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': false},"
	    "{'key': 'false', 'text': 'False', 'correct': true}]}}");
	question_is(&l, 1, 3, "{'type': 'true_false', "
	    "'stem': 'The sun rises in the east.', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	/* The first feedback is for the wrong answer, the second the right. */
	question_is(&l, 2, 5, "{'external_id': 'TF-3', 'type': 'true_false', "
	    "'stem': 'The sun rises in the west.', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'explanation': 'No, in the "
	    "east.', 'correct': false},"
	    "{'key': 'false', 'text': 'False', 'explanation': 'Right, it "
	    "rises in the east.', 'correct': true}]}}");
	question_is(&l, 3, 7, "{'type': 'true_false', 'stem': 'Water is wet.', "
	    "'explanation': 'Mostly hydrogen bonds.', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'explanation': 'Yes.', "
	    "'correct': true},"
	    "{'key': 'false', 'text': 'False', 'explanation': 'Wet it is, in "
	    "fact.', 'correct': false}]}}");
	import_list_free(&l);
}

static void
gift_short_answer(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant "
	    "=Ulysses Grant}\n"
	    "\n"
	    "Two plus two equals {=four =4 # digits are fine ####Arithmetic.}\n"
	    "\n"
	    "The mask of a /24? {=%100%255.255.255.0 =%0%255.255.0.0}\n", &l);
	assert_int_equal(l.count, 3);
	question_is(&l, 0, 1, "{'type': 'fill_blank', "
	    "'stem': 'Who\\u0027s buried in Grant\\u0027s tomb?', "
	    "'body': {'answers': [{'text': 'Grant'}, "
	    "{'text': 'Ulysses S. Grant'}, {'text': 'Ulysses Grant'}]}}");
	question_is(&l, 1, 3, "{'type': 'fill_blank', "
	    "'stem': 'Two plus two equals', 'explanation': 'Arithmetic.', "
	    "'body': {'answers': [{'text': 'four'}, {'text': '4'}]}}");
	question_is(&l, 2, 5, "{'type': 'fill_blank', "
	    "'stem': 'The mask of a /24?', "
	    "'body': {'answers': [{'text': '255.255.255.0'}]}}");
	import_list_free(&l);
}

static void
gift_numeric(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "SSH's port? {#22}\n"
	    "\n"
	    "A number from 1 to 5? {#3:2}\n"
	    "\n"
	    "Another, from 1 to 5? {#1..5}\n"
	    "\n"
	    "When was Ulysses S. Grant born? {#\n"
	    "    =1822:0      # Correct! Full credit.\n"
	    "    =%50%1822:2  # Half credit for being close.\n"
	    "    =%0%1900\n"
	    "    ####He was born in 1822.\n"
	    "}\n"
	    "\n"
	    "Pi, roughly? {#3.14:0.005}\n"
	    "\n"
	    "A cold one: {#-40..-38.5}\n"
	    "\n"
	    "Several {#=22:0 =21:1}\n", &l);
	assert_int_equal(l.count, 7);
	question_is(&l, 0, 1, "{'type': 'fill_blank', 'stem': 'SSH\\u0027s "
	    "port?', 'body': {'numeric': [{'value': 22, 'tolerance': 0}]}}");
	question_is(&l, 1, 3, "{'type': 'fill_blank', "
	    "'stem': 'A number from 1 to 5?', "
	    "'body': {'numeric': [{'value': 3, 'tolerance': 2}]}}");
	question_is(&l, 2, 5, "{'type': 'fill_blank', "
	    "'stem': 'Another, from 1 to 5?', "
	    "'body': {'numeric': [{'value': 3, 'tolerance': 2}]}}");
	question_is(&l, 3, 7, "{'type': 'fill_blank', "
	    "'stem': 'When was Ulysses S. Grant born?', "
	    "'explanation': 'He was born in 1822.', "
	    "'body': {'numeric': [{'value': 1822, 'tolerance': 0}, "
	    "{'value': 1822, 'tolerance': 2, 'credit': 0.5}]}}");
	question_is(&l, 4, 14, "{'type': 'fill_blank', 'stem': 'Pi, roughly?', "
	    "'body': {'numeric': [{'value': 3.14, 'tolerance': 0.005}]}}");
	question_is(&l, 5, 16, "{'type': 'fill_blank', 'stem': 'A cold one:', "
	    "'body': {'numeric': [{'value': -39.25, 'tolerance': 0.75}]}}");
	question_is(&l, 6, 18, "{'type': 'fill_blank', 'stem': 'Several', "
	    "'body': {'numeric': [{'value': 22, 'tolerance': 0}, "
	    "{'value': 21, 'tolerance': 1}]}}");
	import_list_free(&l);
}

static void
gift_matching(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "::Ports:: Match the protocol to its port. {\n"
	    "    =SSH -> 22\n"
	    "    =Telnet -> 23 # Unencrypted.\n"
	    "    =DNS->53\n"
	    "    ####Well-known ports.\n"
	    "}\n", &l);
	assert_int_equal(l.count, 1);
	question_is(&l, 0, 1, "{'external_id': 'Ports', 'type': 'matching', "
	    "'stem': 'Match the protocol to its port.', "
	    "'explanation': 'Well-known ports.', 'body': {'pairs': ["
	    "{'key': '1', 'left': 'SSH', 'right': '22'},"
	    "{'key': '2', 'left': 'Telnet', 'right': '23', "
	    "'explanation': 'Unencrypted.'},"
	    "{'key': '3', 'left': 'DNS', 'right': '53'}]}}");
	import_list_free(&l);
}

static void
gift_categories(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "Before any category {T}\n"
	    "\n"
	    "$CATEGORY: $course$/top/Network/1.0/1.4/Ports & Protocols/"
	    " Well known  ports /1.4\n"
	    "\n"
	    "In the category {T}\n"
	    "\n"
	    "And this one {F}\n"
	    "\n"
	    "// A category line may sit right above its first question.\n"
	    "$CATEGORY: security/2.3\n"
	    "::S-1::Objective only {T}\n"
	    "\n"
	    "$CATEGORY: $system$/top/A1102/3.0\n"
	    "\n"
	    "Domain only {T}\n"
	    "\n"
	    "$CATEGORY: top\n"
	    "\n"
	    "Nothing {T}\n", &l);
	assert_int_equal(l.count, 6);
	question_is(&l, 0, 1, "{'type': 'true_false', "
	    "'stem': 'Before any category', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	question_is(&l, 1, 5, "{'type': 'true_false', "
	    "'stem': 'In the category', 'exam': 'network', 'domain': '1.0', "
	    "'objectives': ['1.4'], "
	    "'tags': ['ports-protocols', 'well-known-ports'], "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	question_is(&l, 2, 7, "{'type': 'true_false', "
	    "'stem': 'And this one', 'exam': 'network', 'domain': '1.0', "
	    "'objectives': ['1.4'], "
	    "'tags': ['ports-protocols', 'well-known-ports'], "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': false},"
	    "{'key': 'false', 'text': 'False', 'correct': true}]}}");
	question_is(&l, 3, 11, "{'external_id': 'S-1', 'type': 'true_false', "
	    "'stem': 'Objective only', 'exam': 'security', 'domain': '2.0', "
	    "'objectives': ['2.3'], 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	question_is(&l, 4, 15, "{'type': 'true_false', 'stem': 'Domain only', "
	    "'exam': 'a1102', 'domain': '3.0', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	question_is(&l, 5, 19, "{'type': 'true_false', 'stem': 'Nothing', "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	import_list_free(&l);
}

/*
 * The missing-word form: text after the answer block.  The stem keeps a
 * blank "_____" where the block was, with the spacing written around it;
 * any kind of block may stand there.
 */
static void
gift_missing_word(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "Moodle costs {~lots of money =nothing ~a small amount} to "
	    "download.\n"
	    "\n"
	    "::MW-2::Grant is {\n"
	    "  ~buried\n"
	    "  =entombed # Yes.\n"
	    "  ~living\n"
	    "} in Grant's tomb\n"
	    "(the one in New York).\n"
	    "\n"
	    "The sun {T} rises in the east.\n"
	    "\n"
	    "Two plus {=two =2} equals four.\n"
	    "\n"
	    "Port {#22}, for SSH.\n"
	    "\n"
	    "{=Paris ~Rome} is the capital of France.\n"
	    "\n"
	    "The last word, right after the block: {=dog ~cat}.\n"
	    "\n"
	    "A comment after the block is no missing word {=a ~b} // note\n",
	    &l);
	assert_int_equal(l.count, 8);
	question_is(&l, 0, 1, "{'type': 'single_choice', "
	    "'stem': 'Moodle costs _____ to download.', 'body': {'options': ["
	    "{'key': 'A', 'text': 'lots of money', 'correct': false},"
	    "{'key': 'B', 'text': 'nothing', 'correct': true},"
	    "{'key': 'C', 'text': 'a small amount', 'correct': false}]}}");
	question_is(&l, 1, 3, "{'external_id': 'MW-2', "
	    "'type': 'single_choice', "
	    "'stem': 'Grant is _____ in Grant\\u0027s tomb\\n"
	    "(the one in New York).', 'body': {'options': ["
	    "{'key': 'A', 'text': 'buried', 'correct': false},"
	    "{'key': 'B', 'text': 'entombed', 'explanation': 'Yes.', "
	    "'correct': true},"
	    "{'key': 'C', 'text': 'living', 'correct': false}]}}");
	question_is(&l, 2, 10, "{'type': 'true_false', "
	    "'stem': 'The sun _____ rises in the east.', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	question_is(&l, 3, 12, "{'type': 'fill_blank', "
	    "'stem': 'Two plus _____ equals four.', "
	    "'body': {'answers': [{'text': 'two'}, {'text': '2'}]}}");
	question_is(&l, 4, 14, "{'type': 'fill_blank', "
	    "'stem': 'Port _____, for SSH.', "
	    "'body': {'numeric': [{'value': 22, 'tolerance': 0}]}}");
	question_is(&l, 5, 16, "{'type': 'single_choice', "
	    "'stem': '_____ is the capital of France.', 'body': {'options': ["
	    "{'key': 'A', 'text': 'Paris', 'correct': true},"
	    "{'key': 'B', 'text': 'Rome', 'correct': false}]}}");
	question_is(&l, 6, 18, "{'type': 'single_choice', "
	    "'stem': 'The last word, right after the block: _____.', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'dog', 'correct': true},"
	    "{'key': 'B', 'text': 'cat', 'correct': false}]}}");
	question_is(&l, 7, 20, "{'type': 'single_choice', "
	    "'stem': 'A comment after the block is no missing word', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'a', 'correct': true},"
	    "{'key': 'B', 'text': 'b', 'correct': false}]}}");
	import_list_free(&l);
}

/*
 * Matching with extra wrong answers: a pair without a left side is a
 * distractor, a right text that matches nothing.
 */
static void
gift_matching_distractors(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "Match the protocol to its port. {\n"
	    "    =SSH -> 22\n"
	    "    = -> 25\n"
	    "    =Telnet -> 23\n"
	    "    =   ->   80\n"
	    "    =DNS -> 53\n"
	    "}\n"
	    "\n"
	    "Only distractors {= -> a = -> b}\n", &l);
	assert_int_equal(l.count, 2);
	question_is(&l, 0, 1, "{'type': 'matching', "
	    "'stem': 'Match the protocol to its port.', 'body': {'pairs': ["
	    "{'key': '1', 'left': 'SSH', 'right': '22'},"
	    "{'key': '2', 'left': 'Telnet', 'right': '23'},"
	    "{'key': '3', 'left': 'DNS', 'right': '53'}], "
	    "'distractors': [{'key': 'x1', 'text': '25'}, "
	    "{'key': 'x2', 'text': '80'}]}}");
	/* Parsed as written; the validator refuses fewer than two pairs. */
	question_is(&l, 1, 9, "{'type': 'matching', "
	    "'stem': 'Only distractors', 'body': {'pairs': [], "
	    "'distractors': [{'key': 'x1', 'text': 'a'}, "
	    "{'key': 'x2', 'text': 'b'}]}}");
	import_list_free(&l);
}

/*
 * Weights below 100% on short answers and numeric answers become their
 * "credit"; 0% and negative ones are not accepted answers.
 */
static void
gift_partial_credit(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "Pi to two places? {# =%50%3.1:0.1 =3.14:0.005 }\n"
	    "\n"
	    "Who's buried in Grant's tomb? {=%50%Grant # Half. "
	    "=%100%no one =%-50%Jefferson =%0%Lincoln}\n"
	    "\n"
	    "Name the ports: {=answer1 =answer2}\n"
	    "\n"
	    "Range with part credit {#=1..5 =%33.3%6..10}\n"
	    "\n"
	    "Too much {=%200%a}\n"
	    "\n"
	    "Too much number {#=%101%5}\n", &l);
	assert_int_equal(l.count, 6);
	question_is(&l, 0, 1, "{'type': 'fill_blank', "
	    "'stem': 'Pi to two places?', 'body': {'numeric': ["
	    "{'value': 3.1, 'tolerance': 0.1, 'credit': 0.5},"
	    "{'value': 3.14, 'tolerance': 0.005}]}}");
	question_is(&l, 1, 3, "{'type': 'fill_blank', "
	    "'stem': 'Who\\u0027s buried in Grant\\u0027s tomb?', "
	    "'body': {'answers': [{'text': 'Grant', 'credit': 0.5}, "
	    "{'text': 'no one'}]}}");
	question_is(&l, 2, 5, "{'type': 'fill_blank', "
	    "'stem': 'Name the ports:', "
	    "'body': {'answers': [{'text': 'answer1'}, {'text': 'answer2'}]}}");
	question_is(&l, 3, 7, "{'type': 'fill_blank', "
	    "'stem': 'Range with part credit', 'body': {'numeric': ["
	    "{'value': 3, 'tolerance': 2},"
	    "{'value': 8, 'tolerance': 2, 'credit': 0.333}]}}");
	refused_is(&l, 4, 9, "answer 1 weighs more than 100%");
	refused_is(&l, 5, 11, "answer 1 weighs more than 100%");
	import_list_free(&l);
}

/*
 * Format markers: [markdown], [plain] and [moodle] text is kept as
 * written; [html] text (the question's, which its answers share, or one
 * part's) loses its tags and entities, as Ludus shows plain text.
 */
static void
gift_format_markers(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "::H1::[html]<p>Which tag makes <b>bold</b> text?</p>"
	    "<p>Pick one &amp; only one.</p>{\n"
	    "  =&lt;b&gt; # <i>Right</i>.\n"
	    "  ~&lt;i&gt;\n"
	    "  ~a &\\#x3c; b &\\#233;\n"
	    "}\n"
	    "\n"
	    "[markdown]Is **this** bold? {T}\n"
	    "\n"
	    "[plain]1 < 2 <b>stays</b> {=yes ~[html]<em>no</em>}\n", &l);
	assert_int_equal(l.count, 3);
	question_is(&l, 0, 1, "{'external_id': 'H1', "
	    "'type': 'single_choice', "
	    "'stem': 'Which tag makes bold text?\\nPick one & only one.', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': '<b>', 'explanation': 'Right.', "
	    "'correct': true},"
	    "{'key': 'B', 'text': '<i>', 'correct': false},"
	    "{'key': 'C', 'text': 'a < b \\u00e9', 'correct': false}]}}");
	question_is(&l, 1, 7, "{'type': 'true_false', "
	    "'stem': 'Is **this** bold?', 'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	question_is(&l, 2, 9, "{'type': 'single_choice', "
	    "'stem': '1 < 2 <b>stays</b>', 'body': {'options': ["
	    "{'key': 'A', 'text': 'yes', 'correct': true},"
	    "{'key': 'B', 'text': 'no', 'correct': false}]}}");
	import_list_free(&l);
}

/* [html] text that is not quite HTML is kept, never cut short. */
static void
gift_html_edges(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "[html]a <b unclosed &#0; &\\#xD800; &\\#x110000; &bogus; &amp "
	    "{=x ~y}\n"
	    "\n"
	    "[html]<br><p></p>\n<p>Two</p><p></p><p>paras</p> < 3 {=x ~y}\n",
	    &l);
	assert_int_equal(l.count, 2);
	question_is(&l, 0, 1, "{'type': 'single_choice', "
	    "'stem': 'a <b unclosed &#0; &#xD800; &#x110000; &bogus; &amp', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'x', 'correct': true},"
	    "{'key': 'B', 'text': 'y', 'correct': false}]}}");
	question_is(&l, 1, 3, "{'type': 'single_choice', "
	    "'stem': 'Two\\n\\nparas\\n< 3', 'body': {'options': ["
	    "{'key': 'A', 'text': 'x', 'correct': true},"
	    "{'key': 'B', 'text': 'y', 'correct': false}]}}");
	import_list_free(&l);
}

/* Refused items at their lines, the good ones around them kept. */
static void
gift_refused(void **state)
{
	struct import_list l;
	const char *good = "{'type': 'true_false', 'stem': 'Good', "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}";

	(void)state;
	parse(IMPORT_GIFT,
	    "Good {T}\n"					/* 1 */
	    "\n"
	    "// the essay\n"
	    "Write about SSH. {}\n"				/* 4 */
	    "\n"
	    "Only a description, no answers.\n"			/* 6 */
	    "\n"
	    "Grant is {~buried =entombed ~living} in Grant's } tomb.\n" /* 8 */
	    "\n"
	    "Never closed {=a ~b\n"				/* 10 */
	    "\n"
	    "No right answer {~a ~b}\n"				/* 12 */
	    "\n"
	    "Empty option {=a ~ # why}\n"			/* 14 */
	    "\n"
	    "{=a ~b}\n"						/* 16 */
	    "\n"
	    "Good {T}\n"					/* 18 */
	    "Run-on question {F}\n"
	    "\n"
	    "::Open title {T}\n"				/* 21 */
	    "\n"
	    "Bad number {#abc}\n"				/* 23 */
	    "\n"
	    "Bad range {#5..1}\n"				/* 25 */
	    "\n"
	    "Bad tolerance {#5:-1}\n"				/* 27 */
	    "\n"
	    "Half a pair {=a -> 1 =b}\n"			/* 29 */
	    "\n"
	    "Distractor, no right {=a -> 1 =b -> 2 = -> }\n"	/* 31 */
	    "\n"
	    "Nested {=a {x} ~b}\n"				/* 33 */
	    "\n"
	    "Stray } brace {T}\n"				/* 35 */
	    "\n"
	    "Junk {words =a ~b}\n"				/* 37 */
	    "\n"
	    "No credit {#=%0%5 ~6}\n"				/* 39 */
	    "\n"
	    "Good {T}\n", &l);					/* 41 */
	assert_int_equal(l.count, 20);
	question_is(&l, 0, 1, good);
	refused_is(&l, 1, 4, "essay questions ({}) need manual grading, not "
	    "yet supported");
	refused_is(&l, 2, 6, "a description is not a question");
	refused_is(&l, 3, 8, "a } after the answer block");
	refused_is(&l, 4, 10, "no closing }");
	refused_is(&l, 5, 12, "no answer is marked right");
	refused_is(&l, 6, 14, "option B has no text");
	refused_is(&l, 7, 16, "no text before its answer block");
	refused_is(&l, 8, 18, "separate questions with a blank line");
	refused_is(&l, 9, 21, "title has no closing ::");
	refused_is(&l, 10, 23, "\"abc\" is not a number");
	refused_is(&l, 11, 25, "not a range");
	refused_is(&l, 12, 27, "tolerance");
	refused_is(&l, 13, 29, "answer 2 is not =left -> right");
	refused_is(&l, 14, 31, "pair 3 has no right side");
	refused_is(&l, 15, 33, "a { inside the answer block");
	refused_is(&l, 16, 35, "a } before any {");
	refused_is(&l, 17, 37, "starting with = (right) or ~ (wrong)");
	refused_is(&l, 18, 39, "no answer that earns credit");
	question_is(&l, 19, 41, good);
	import_list_free(&l);
}

static void
gift_crlf_bom(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_GIFT,
	    "\xef\xbb\xbf// comment\r\n"
	    "::Q1::Pick one\r\n"
	    "{\r\n"
	    "=yes\r\n"
	    "~no\r\n"
	    "}\r\n"
	    "\r\n"
	    "Two {T}", &l);
	assert_int_equal(l.count, 2);
	question_is(&l, 0, 2, "{'external_id': 'Q1', 'type': 'single_choice', "
	    "'stem': 'Pick one', 'body': {'options': ["
	    "{'key': 'A', 'text': 'yes', 'correct': true},"
	    "{'key': 'B', 'text': 'no', 'correct': false}]}}");
	question_is(&l, 1, 8, "{'type': 'true_false', 'stem': 'Two', "
	    "'body': {'options': ["
	    "{'key': 'true', 'text': 'True', 'correct': true},"
	    "{'key': 'false', 'text': 'False', 'correct': false}]}}");
	import_list_free(&l);
}

/* ---- Aiken ----------------------------------------------------------- */

static void
aiken_good(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_AIKEN,
	    "\xef\xbb\xbfIs this a multiple choice question?\r\n"
	    "A) Yes\r\n"
	    "B) No\r\n"
	    "ANSWER: A\r\n"
	    "\r\n"
	    "\r\n"
	    "Which LMS has the most quiz import formats?\n"
	    "(Choose one.)\n"
	    "A. Moodle\n"
	    "B. ATutor\n"
	    "C. Claroline\n"
	    "D. Blackboard\n"
	    "answer : c\n"
	    "Right after the answer line\n"
	    "A) one\n"
	    "B) two, with B) inside\n"
	    "ANSWER: B", &l);
	assert_int_equal(l.count, 3);
	question_is(&l, 0, 1, "{'type': 'single_choice', "
	    "'stem': 'Is this a multiple choice question?', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'Yes', 'correct': true},"
	    "{'key': 'B', 'text': 'No', 'correct': false}]}}");
	question_is(&l, 1, 7, "{'type': 'single_choice', "
	    "'stem': 'Which LMS has the most quiz import formats?\\n"
	    "(Choose one.)', 'body': {'options': ["
	    "{'key': 'A', 'text': 'Moodle', 'correct': false},"
	    "{'key': 'B', 'text': 'ATutor', 'correct': false},"
	    "{'key': 'C', 'text': 'Claroline', 'correct': true},"
	    "{'key': 'D', 'text': 'Blackboard', 'correct': false}]}}");
	question_is(&l, 2, 14, "{'type': 'single_choice', "
	    "'stem': 'Right after the answer line', 'body': {'options': ["
	    "{'key': 'A', 'text': 'one', 'correct': false},"
	    "{'key': 'B', 'text': 'two, with B) inside', "
	    "'correct': true}]}}");
	import_list_free(&l);
}

static void
aiken_bad(void **state)
{
	struct import_list l;
	const char *good = "{'type': 'single_choice', 'stem': 'Good', "
	    "'body': {'options': [{'key': 'A', 'text': 'a', 'correct': false},"
	    "{'key': 'B', 'text': 'b', 'correct': true}]}}";

	(void)state;
	parse(IMPORT_AIKEN,
	    "Good\nA) a\nB) b\nANSWER: B\n"		/* 1 */
	    "\n"
	    "One option\nA) a\nANSWER: A\n"		/* 6 */
	    "\n"
	    "No answer\nA) a\nB) b\n"			/* 10 */
	    "Good\nA) a\nB) b\nANSWER: B\n"		/* 13 */
	    "\n"
	    "Out of range\nA) a\nB) b\nANSWER: E\n"	/* 18 */
	    "\n"
	    "Skips\nA) a\nB) b\nD) d\nANSWER: A\n"	/* 23 */
	    "\n"
	    "Not a letter\nA) a\nB) b\nANSWER: AB\n"	/* 29 */
	    "\n"
	    "Empty option\nA) a\nB)\nANSWER: A\n"	/* 34 */
	    "\n"
	    "No options at all\n"			/* 39 */
	    "\n"
	    "Good\nA) a\nB) b\nANSWER: B\n"		/* 41 */
	    "\n"
	    "Trailing, no answer\nA) a\nB) b\n", &l);	/* 46 */
	assert_int_equal(l.count, 11);
	question_is(&l, 0, 1, good);
	refused_is(&l, 1, 6, "at least two options");
	refused_is(&l, 2, 10, "no ANSWER: line");
	question_is(&l, 3, 13, good);
	refused_is(&l, 4, 18, "ANSWER: names E but there is no option E");
	refused_is(&l, 5, 23, "options not in sequence: expected C, found D");
	refused_is(&l, 6, 29, "one option letter");
	refused_is(&l, 7, 34, "option B has no text");
	refused_is(&l, 8, 39, "at least two options");
	question_is(&l, 9, 41, good);
	refused_is(&l, 10, 46, "no ANSWER: line");
	import_list_free(&l);
}

/*
 * The lenient forms Moodle's Aiken importer takes: no space after the
 * letter ("A)Paris", "B.Rome"), a tab, spaces around the ANSWER colon or
 * none, any case of ANSWER; "A.M." opening a stem line stays text.
 */
static void
aiken_lenient(void **state)
{
	struct import_list l;

	(void)state;
	parse(IMPORT_AIKEN,
	    "What is the capital of France?\n"
	    "A)Paris\n"
	    "B)Rome\n"
	    "C.Berlin\n"
	    "D.\tMadrid\n"
	    "ANSWER:A\n"
	    "\n"
	    "A.M. radio uses which modulation?\n"
	    "A)Amplitude\n"
	    "B) Frequency\n"
	    "Answer : a\n", &l);
	assert_int_equal(l.count, 2);
	question_is(&l, 0, 1, "{'type': 'single_choice', "
	    "'stem': 'What is the capital of France?', 'body': {'options': ["
	    "{'key': 'A', 'text': 'Paris', 'correct': true},"
	    "{'key': 'B', 'text': 'Rome', 'correct': false},"
	    "{'key': 'C', 'text': 'Berlin', 'correct': false},"
	    "{'key': 'D', 'text': 'Madrid', 'correct': false}]}}");
	question_is(&l, 1, 8, "{'type': 'single_choice', "
	    "'stem': 'A.M. radio uses which modulation?', "
	    "'body': {'options': ["
	    "{'key': 'A', 'text': 'Amplitude', 'correct': true},"
	    "{'key': 'B', 'text': 'Frequency', 'correct': false}]}}");
	import_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_names),
		cmocka_unit_test(list_free_twice),
		cmocka_unit_test(empty_files),
		cmocka_unit_test(file_not_utf8),
		cmocka_unit_test(file_with_nul),
		cmocka_unit_test(file_length),
		cmocka_unit_test(record_cap),
		cmocka_unit_test(huge_input),
		cmocka_unit_test(reasons_are_utf8),
		cmocka_unit_test(csv_columns),
		cmocka_unit_test(csv_quoting),
		cmocka_unit_test(csv_options_json),
		cmocka_unit_test(csv_types),
		cmocka_unit_test(csv_bad_records),
		cmocka_unit_test(csv_textless_options),
		cmocka_unit_test(csv_header),
		cmocka_unit_test(gift_choices),
		cmocka_unit_test(gift_weights),
		cmocka_unit_test(gift_true_false),
		cmocka_unit_test(gift_short_answer),
		cmocka_unit_test(gift_numeric),
		cmocka_unit_test(gift_matching),
		cmocka_unit_test(gift_categories),
		cmocka_unit_test(gift_missing_word),
		cmocka_unit_test(gift_matching_distractors),
		cmocka_unit_test(gift_partial_credit),
		cmocka_unit_test(gift_format_markers),
		cmocka_unit_test(gift_html_edges),
		cmocka_unit_test(gift_refused),
		cmocka_unit_test(gift_crlf_bom),
		cmocka_unit_test(aiken_good),
		cmocka_unit_test(aiken_bad),
		cmocka_unit_test(aiken_lenient),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
