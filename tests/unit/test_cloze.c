/*
 * test_cloze.c - cloze deletions and the sides of every kind of card
 * (src/flashcards/cloze.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flashcards/cloze.h"

static int
ordinals(const char *text, int *out, const char **why)
{
	*why = NULL;
	return cloze_ordinals(text, out, why);
}

static void
finds_each_number_once_in_order(void **state)
{
	int o[CLOZE_MAX];
	const char *why;

	(void)state;
	assert_int_equal(ordinals("{{c2::b}} {{c1::a}} {{c2::c::hint}}", o,
	    &why), 2);
	assert_int_equal(o[0], 1);
	assert_int_equal(o[1], 2);
	assert_int_equal(ordinals("{{c99::last}}", o, &why), 1);
	assert_int_equal(o[0], 99);
	assert_int_equal(ordinals("{{c10::ten}}{{c3::three}}", o, &why), 2);
	assert_int_equal(o[0], 3);
	assert_int_equal(o[1], 10);
}

static void
text_without_deletions_gives_none(void **state)
{
	int o[CLOZE_MAX];
	const char *why;

	(void)state;
	assert_int_equal(ordinals("", o, &why), 0);
	assert_int_equal(ordinals("plain {{ braces }} and {{cx::y}}", o, &why),
	    0);
	assert_int_equal(ordinals("{{c1:not two colons}}", o, &why), 0);
	assert_int_equal(ordinals("{c1::single braces}", o, &why), 0);
}

static void
malformed_deletions_are_refused(void **state)
{
	static const char *const bad[] = {"{{c1::never closed",
	    "{{c0::zero}}", "{{c100::too big}}", "{{c1::}}", "{{c1:: \t}}",
	    "{{c1::a {{c2::b}} c}}", "{{c1::::hint only}}"};
	int o[CLOZE_MAX];
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ordinals(bad[i], o, &why), -1);
		assert_non_null(why);
	}
}

static void
sides(enum note_kind k, const char *front, const char *back, int ord,
    const char *want_q, const char *want_a)
{
	char *q, *a;

	assert_int_equal(note_card_sides(k, front, back, ord, &q, &a), 0);
	assert_string_equal(q, want_q);
	assert_string_equal(a, want_a);
	free(q);
	free(a);
}

static void
cloze_sides_hide_their_own_deletion(void **state)
{
	const char *t = "{{c1::DNS}} uses {{c2::53::a port}}; {{c1::it}} "
	    "resolves.";

	(void)state;
	sides(NOTE_CLOZE, t, "", 1, "**[...]** uses 53; **[...]** resolves.",
	    "**DNS** uses 53; **it** resolves.");
	sides(NOTE_CLOZE, t, "TCP and UDP", 2,
	    "DNS uses **[a port]**; it resolves.",
	    "DNS uses **53**; it resolves.\n\nTCP and UDP");
	sides(NOTE_CLOZE, "{{ not one }} {{c1::x}}", "", 1,
	    "{{ not one }} **[...]**", "{{ not one }} **x**");
}

static void
basic_and_reversed_sides(void **state)
{
	char *q, *a;

	(void)state;
	sides(NOTE_BASIC, "SSH?", "22", 0, "SSH?", "22");
	sides(NOTE_REVERSED, "SSH?", "22", 0, "SSH?", "22");
	sides(NOTE_REVERSED, "SSH?", "22", 1, "22", "SSH?");
	/* No such card. */
	assert_int_equal(note_card_sides(NOTE_BASIC, "a", "b", 1, &q, &a), -1);
	assert_int_equal(note_card_sides(NOTE_CLOZE, "{{c1::a}}", "", 2, &q,
	    &a), -1);
	assert_int_equal(note_card_sides(NOTE_CLOZE, "{{c1::a", "", 1, &q,
	    &a), -1);
}

static void
kinds_by_name(void **state)
{
	(void)state;
	assert_int_equal(note_kind_parse("basic"), NOTE_BASIC);
	assert_int_equal(note_kind_parse("reversed"), NOTE_REVERSED);
	assert_int_equal(note_kind_parse("cloze"), NOTE_CLOZE);
	assert_int_equal(note_kind_parse("Cloze"), -1);
	assert_int_equal(note_kind_parse(NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_each_number_once_in_order),
		cmocka_unit_test(text_without_deletions_gives_none),
		cmocka_unit_test(malformed_deletions_are_refused),
		cmocka_unit_test(cloze_sides_hide_their_own_deletion),
		cmocka_unit_test(basic_and_reversed_sides),
		cmocka_unit_test(kinds_by_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
