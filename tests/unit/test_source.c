/*
 * test_source.c - notes from a question answered wrong and from a
 * lesson's key terms (src/flashcards/source.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flashcards/source.h"

static void
note(const char *type, const char *body, const char *want_front,
    const char *want_back)
{
	json_t *b = json_loads(body, 0, NULL);
	char *f, *k;

	assert_non_null(b);
	assert_int_equal(source_question_note(type, "Which port?", "Well "
	    "known.", b, &f, &k), 0);
	assert_string_equal(f, want_front);
	assert_string_equal(k, want_back);
	free(f);
	free(k);
	json_decref(b);
}

static void
every_type_of_question_makes_a_note(void **state)
{
	(void)state;
	note("single_choice", "{\"options\": [{\"key\": \"A\", \"text\": "
	    "\"21\"}, {\"key\": \"B\", \"text\": \"22\", \"correct\": true, "
	    "\"explanation\": \"SSH.\"}]}", "Which port?\n\n- 21\n- 22",
	    "- **22**: SSH.\n\nWell known.");
	note("multiple_select", "{\"options\": [{\"key\": \"A\", \"text\": "
	    "\"a\", \"correct\": true}, {\"key\": \"B\", \"text\": \"b\", "
	    "\"correct\": true}]}", "Which port?\n\n- a\n- b",
	    "- **a**\n- **b**\n\nWell known.");
	note("true_false", "{\"options\": [{\"key\": \"true\", \"text\": "
	    "\"True\", \"correct\": true}, {\"key\": \"false\", \"text\": "
	    "\"False\"}]}", "Which port?", "- **True**\n\nWell known.");
	note("fill_blank", "{\"answers\": [{\"text\": \"22\"}, {\"text\": "
	    "\"ssh\", \"credit\": 0.5}], \"numeric\": [{\"value\": 22.5, "
	    "\"tolerance\": 0}]}", "Which port?",
	    "**22** or **22.5**\n\nWell known.");
	note("matching", "{\"pairs\": [{\"key\": \"1\", \"left\": \"SSH\", "
	    "\"right\": \"22\"}, {\"key\": \"2\", \"left\": \"DNS\", "
	    "\"right\": \"53\"}]}", "Which port?",
	    "- SSH → **22**\n- DNS → **53**\n\nWell known.");
	note("ordering", "{\"items\": [{\"key\": \"A\", \"text\": \"first\"}, "
	    "{\"key\": \"B\", \"text\": \"second\"}]}", "Which port?",
	    "1. first\n2. second\n\nWell known.");
}

static void
a_body_that_does_not_fit_makes_none(void **state)
{
	json_t *b = json_loads("{\"options\": [{\"key\": \"A\", \"text\": "
	    "\"x\"}]}", 0, NULL);
	char *f, *k;

	(void)state;
	assert_int_equal(source_question_note("single_choice", "q", NULL, b,
	    &f, &k), -1);	/* no right option */
	assert_int_equal(source_question_note("essay", "q", NULL, b, &f, &k),
	    -1);
	json_decref(b);
}

static const char LESSON[] =
    "# TCP, UDP\n\n"
    "**TCP** is connection-oriented. Before any data flows, ...\n\n"
    "A mnemonic: **P**lease **D**o **N**ot.\n\n"
    "- **Placing devices:** a hub repeats bits (Layer 1). More.\n"
    "- **Networking Concepts** - the OSI model and ports\n"
    "**TCP** is said again.\n\n"
    "| Port | Service | Transport |\n"
    "|---|---|---|\n"
    "| 22 | SSH | TCP |\n"
    "| 53 | DNS | UDP |\n\n"
    "```\n**Code** is not a term\n```\n";

static void
key_terms_of_a_lesson(void **state)
{
	struct key_term t[16];
	int n;

	(void)state;
	n = source_key_terms(LESSON, t, 16);
	assert_int_equal(n, 5);
	assert_string_equal(t[0].front, "TCP");
	assert_string_equal(t[0].back, "is connection-oriented.");
	assert_string_equal(t[1].front, "Placing devices");
	assert_string_equal(t[1].back, "a hub repeats bits (Layer 1).");
	assert_string_equal(t[2].front, "Networking Concepts");
	assert_string_equal(t[2].back, "the OSI model and ports");
	assert_string_equal(t[3].front, "**Port**: 22");
	assert_string_equal(t[3].back, "**Service**: SSH\n\n"
	    "**Transport**: TCP");
	assert_true(t[3].reversed && !t[0].reversed);
	assert_string_equal(t[4].front, "**Port**: 53");
	source_terms_free(t, n);
	/* At most max. */
	n = source_key_terms(LESSON, t, 2);
	assert_int_equal(n, 2);
	source_terms_free(t, n);
	assert_int_equal(source_key_terms("no terms here", t, 16), 0);
	assert_int_equal(source_key_terms("", t, 16), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_of_question_makes_a_note),
		cmocka_unit_test(a_body_that_does_not_fit_makes_none),
		cmocka_unit_test(key_terms_of_a_lesson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
