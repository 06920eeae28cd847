/*
 * test_lang.c - language guessing (src/materials/lang.h), against the
 * fingerprints installed with libexttextcat.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "materials/lang.h"

static const char english[] =
    "Photosynthesis is the process by which green plants use sunlight to\n"
    "make their own food. Chlorophyll in the leaves absorbs light energy,\n"
    "which is then used to turn water and carbon dioxide into glucose and\n"
    "oxygen. Without this process there would be very little oxygen in the\n"
    "atmosphere for animals to breathe, and no food for them to eat.\n";

static const char german[] =
    "Die Photosynthese ist der Vorgang, bei dem grüne Pflanzen das Licht\n"
    "der Sonne nutzen, um ihre eigene Nahrung herzustellen. Das Blattgrün\n"
    "in den Blättern nimmt die Energie des Lichts auf, mit der dann aus\n"
    "Wasser und Kohlendioxid Zucker und Sauerstoff werden. Ohne diesen\n"
    "Vorgang gäbe es kaum Sauerstoff in der Luft, die Tiere atmen.\n";

static const char french[] =
    "La photosynthèse est le processus par lequel les plantes vertes\n"
    "utilisent la lumière du soleil pour fabriquer leur propre nourriture.\n"
    "La chlorophylle des feuilles absorbe l'énergie lumineuse, qui sert\n"
    "ensuite à transformer l'eau et le gaz carbonique en sucre et en\n"
    "oxygène. Sans elle, il n'y aurait presque pas d'oxygène dans l'air.\n";

static const char spanish[] =
    "La fotosíntesis es el proceso mediante el cual las plantas verdes\n"
    "utilizan la luz del sol para fabricar su propio alimento. La clorofila\n"
    "de las hojas absorbe la energía de la luz, que después sirve para\n"
    "convertir el agua y el dióxido de carbono en azúcar y oxígeno. Sin\n"
    "este proceso casi no habría oxígeno en el aire que respiramos.\n";

static void
expect(const char *text, const char *want)
{
	char code[8];

	memset(code, 'x', sizeof(code));
	assert_int_equal(lang_detect(text, strlen(text), code),
	    strcmp(want, "und") == 0 ? -1 : 0);
	assert_string_equal(code, want);
}

static void
finds_common_languages(void **state)
{
	(void)state;
	expect(english, "en");
	expect(german, "de");
	expect(french, "fr");
	expect(spanish, "es");
	/* textcat's Scots fingerprint wins this one: it still counts as en. */
	expect("The quick brown fox jumps over the lazy dog while the farmer "
	    "watches from the kitchen window. It was a bright cold day in "
	    "April, and the clocks were striking thirteen.", "en");
}

static void
short_or_empty_text_is_undetermined(void **state)
{
	char code[8];

	(void)state;
	expect("", "und");
	expect("Hello, world.", "und");
	/* 39 letters, however many spaces and digits around them. */
	expect("The cat sat on the mat and looked at the  1 2 3 4 5 6 7 8 9",
	    "und");
	assert_int_equal(lang_detect(NULL, 0, code), -1);
	assert_string_equal(code, "und");
	/* len, not the terminator, bounds the text. */
	assert_int_equal(lang_detect(english, 10, code), -1);
	assert_string_equal(code, "und");
}

static void
garbage_does_not_crash(void **state)
{
	unsigned char junk[20000];
	char code[8];
	unsigned int x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 16);
	}
	lang_detect((const char *)junk, sizeof(junk), code);
	assert_true(strlen(code) >= 2 && strlen(code) <= 3);
	memset(junk, 0, sizeof(junk));
	assert_int_equal(lang_detect((const char *)junk, sizeof(junk), code),
	    -1);
	assert_string_equal(code, "und");
	expect("zxqv kkkk qqqq zzzz xxxxx wwwww jjjjj bbbbb ppppp hhhhh "
	    "ttttt ggggg", "und");
}

static void
looks_at_the_start_only(void **state)
{
	size_t n = 0, cap = LANG_WINDOW * 3;
	char *text = malloc(cap + 1);
	char code[8];

	(void)state;
	/* German first, then far more English than the window holds. */
	while (n + sizeof(german) < LANG_WINDOW) {
		memcpy(text + n, german, sizeof(german) - 1);
		n += sizeof(german) - 1;
	}
	while (n + sizeof(english) < cap) {
		memcpy(text + n, english, sizeof(english) - 1);
		n += sizeof(english) - 1;
	}
	assert_int_equal(lang_detect(text, n, code), 0);
	assert_string_equal(code, "de");
	free(text);
}

static void *
guess_many(void *arg)
{
	char code[8];

	for (int i = 0; i < 20; i++) {
		lang_detect(arg, strlen(arg), code);
		if (strcmp(code, arg == english ? "en" : "fr") != 0)
			return (void *)1;
	}
	return NULL;
}

static void
threads_share_the_classifier(void **state)
{
	pthread_t t[4];
	void *rc;

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, guess_many,
		    (void *)(i % 2 ? english : french)), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_common_languages),
		cmocka_unit_test(short_or_empty_text_is_undetermined),
		cmocka_unit_test(garbage_does_not_crash),
		cmocka_unit_test(looks_at_the_start_only),
		cmocka_unit_test(threads_share_the_classifier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
