/*
 * test_score.c - the pure logic of an attempt (src/assessment/score.h):
 * score_layout (shuffles that are permutations, true/false never shuffled,
 * ordering never shown in its correct order, matching answers always
 * shuffled), score_answer_in / score_answer_out (labels <-> keys, and what
 * is refused), score_credit (every type, partial credit, the fill_blank
 * text and number rules), score_view (nothing of the answer before reveal),
 * score_apportion and the 100-900 scale (score_scaled, score_linear_cut).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "assessment/score.h"

/* ---- helpers ------------------------------------------------------------ */

static json_t *
parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (j == NULL) {
		print_error("bad JSON in the test: %s: %s\n", text, e.text);
		fail();
	}
	return j;
}

static void
assert_json_equal_(const json_t *actual, const char *expected_text,
    const char *file, int line)
{
	json_t *expected = parse(expected_text);

	if (!json_equal((json_t *)actual, expected)) {
		char *a = actual ? json_dumps(actual, JSON_SORT_KEYS |
		    JSON_ENCODE_ANY) : NULL;
		char *e = json_dumps(expected, JSON_SORT_KEYS | JSON_ENCODE_ANY);

		print_error("%s:%d: JSON differs\n  actual:   %s\n"
		    "  expected: %s\n", file, line, a ? a : "(NULL)", e);
		free(a);
		free(e);
		json_decref(expected);
		fail();
	}
	json_decref(expected);
}
#define assert_json_equal(a, e) assert_json_equal_((a), (e), __FILE__, __LINE__)

#define assert_near(a, b) do {						\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= 1e-9)) {					\
		print_error("%s:%d: %s is %.10g, expected %.10g\n",	\
		    __FILE__, __LINE__, #a, a_, b_);			\
		fail();							\
	}								\
} while (0)

/* Random numbers the tests control. */
static unsigned
rand_zero(unsigned n)
{
	assert_true(n >= 1);
	return 0;
}

static unsigned
rand_last(unsigned n)
{
	assert_true(n >= 1);
	return n - 1;
}

static uint32_t lcg_state = 12345;

static unsigned
rand_lcg(unsigned n)
{
	assert_true(n >= 1);
	lcg_state = lcg_state * 1103515245u + 12345u;
	return (unsigned)((lcg_state >> 8) % n);
}

/* A scripted sequence: seq[i] % n on the i-th call; calls counted. */
static unsigned script[32];
static size_t script_at, script_calls;
static unsigned script_max_n;

static unsigned
rand_script(unsigned n)
{
	unsigned v;

	assert_true(n >= 1);
	assert_true(script_at < sizeof(script) / sizeof(script[0]));
	v = script[script_at++] % n;
	script_calls++;
	if (n > script_max_n)
		script_max_n = n;
	return v;
}

static void
script_reset(void)
{
	memset(script, 0, sizeof(script));
	script_at = script_calls = 0;
	script_max_n = 0;
}

/* True when list (strings) holds exactly the keys of items, each once. */
static bool
is_permutation(const json_t *list, const json_t *items)
{
	size_t n = json_array_size(items);

	if (!json_is_array(list) || json_array_size(list) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *k = json_object_get(json_array_get(items, i), "key");
		size_t seen = 0;

		for (size_t j = 0; j < n; j++)
			seen += json_equal(json_array_get(list, j), (json_t *)k);
		if (seen != 1)
			return false;
	}
	return true;
}

static bool
in_body_order(const json_t *list, const json_t *items)
{
	for (size_t i = 0; i < json_array_size(items); i++)
		if (!json_equal(json_array_get(list, i), json_object_get(
		    json_array_get(items, i), "key")))
			return false;
	return json_array_size(list) == json_array_size(items);
}

/* The index of a permutation of n <= 6 keys as a number below 6^6. */
static unsigned
perm_code(const json_t *list, const json_t *items)
{
	unsigned code = 0;

	for (size_t i = 0; i < json_array_size(list); i++) {
		size_t j;

		for (j = 0; j < json_array_size(items); j++)
			if (json_equal(json_array_get(list, i), json_object_get(
			    json_array_get(items, j), "key")))
				break;
		code = code * 6 + (unsigned)j;
	}
	return code;
}

/* ---- bodies in normal form ---------------------------------------------- */

static const char SINGLE[] =
    "{\"options\": ["
    " {\"key\": \"A\", \"text\": \"21\", \"explanation\": \"FTP.\","
    "  \"correct\": false},"
    " {\"key\": \"B\", \"text\": \"22\", \"explanation\": \"SSH.\","
    "  \"correct\": true},"
    " {\"key\": \"C\", \"text\": \"23\", \"explanation\": null,"
    "  \"correct\": false},"
    " {\"key\": \"D\", \"text\": \"3389\", \"explanation\": \"RDP.\","
    "  \"correct\": false}]}";

/* A and C correct of four. */
static const char MULTI[] =
    "{\"options\": ["
    " {\"key\": \"A\", \"text\": \"OSPF\", \"explanation\": null,"
    "  \"correct\": true},"
    " {\"key\": \"B\", \"text\": \"RIP\", \"explanation\": null,"
    "  \"correct\": false},"
    " {\"key\": \"C\", \"text\": \"IS-IS\", \"explanation\": \"Link state.\","
    "  \"correct\": true},"
    " {\"key\": \"D\", \"text\": \"EIGRP\", \"explanation\": null,"
    "  \"correct\": false}]}";

static const char TRUE_FALSE[] =
    "{\"options\": ["
    " {\"key\": \"true\", \"text\": \"True\", \"explanation\": null,"
    "  \"correct\": false},"
    " {\"key\": \"false\", \"text\": \"False\","
    "  \"explanation\": \"Plain text.\", \"correct\": true}]}";

static const char MATCHING[] =
    "{\"pairs\": ["
    " {\"key\": \"1\", \"left\": \"SSH\", \"right\": \"22\","
    "  \"explanation\": \"Secure Shell.\"},"
    " {\"key\": \"2\", \"left\": \"Telnet\", \"right\": \"23\","
    "  \"explanation\": null},"
    " {\"key\": \"3\", \"left\": \"RDP\", \"right\": \"3389\","
    "  \"explanation\": null}]}";

static const char ORDERING[] =
    "{\"items\": ["
    " {\"key\": \"A\", \"text\": \"Physical\"},"
    " {\"key\": \"B\", \"text\": \"Data link\"},"
    " {\"key\": \"C\", \"text\": \"Network\"},"
    " {\"key\": \"D\", \"text\": \"Transport\"}]}";

static const char ORDERING3[] =
    "{\"items\": ["
    " {\"key\": \"A\", \"text\": \"Physical\"},"
    " {\"key\": \"B\", \"text\": \"Data link\"},"
    " {\"key\": \"C\", \"text\": \"Network\"}]}";

static const char ORDERING2[] =
    "{\"items\": ["
    " {\"key\": \"x1\", \"text\": \"First\"},"
    " {\"key\": \"x2\", \"text\": \"Second\"}]}";

static const char FILL[] =
    "{\"answers\": [{\"text\": \"255.255.255.0\"}], \"numeric\": [],"
    " \"case_sensitive\": false, \"whitespace\": \"collapse\"}";

/* ---- score_layout ------------------------------------------------------- */

static void
layout_options_unshuffled(void **state)
{
	json_t *body = parse(SINGLE), *l;

	(void)state;
	l = score_layout("single_choice", body, false, rand_zero);
	assert_json_equal(l, "{\"options\": [\"A\", \"B\", \"C\", \"D\"]}");
	json_decref(l);
	l = score_layout("multiple_select", body, false, rand_lcg);
	assert_json_equal(l, "{\"options\": [\"A\", \"B\", \"C\", \"D\"]}");
	json_decref(l);
	json_decref(body);
}

static void
layout_options_shuffled(void **state)
{
	static const char *const types[] = {"single_choice", "multiple_select"};
	json_t *body = parse(SINGLE);
	json_t *items = json_object_get(body, "options");

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		unsigned count[6 * 6 * 6 * 6] = {0};
		int kinds = 0;

		/* Every layout is a permutation, and all 24 of them come up
		 * about as often as each other. */
		lcg_state = 777;
		for (int r = 0; r < 2400; r++) {
			json_t *l = score_layout(types[t], body, true, rand_lcg);
			json_t *o = json_object_get(l, "options");

			assert_int_equal(json_object_size(l), 1);
			assert_true(is_permutation(o, items));
			count[perm_code(o, items)]++;
			json_decref(l);
		}
		for (size_t i = 0; i < sizeof(count) / sizeof(count[0]); i++)
			if (count[i]) {
				kinds++;
				if (count[i] < 40 || count[i] > 180) {
					print_error("%s: permutation %zu came up "
					    "%u times of 2400\n", types[t], i,
					    count[i]);
					fail();
				}
			}
		assert_int_equal(kinds, 24);

		/* rand is only asked for numbers below the list's size. */
		script_reset();
		for (int i = 0; i < 32; i++)
			script[i] = 1000003u * (unsigned)i;
		json_decref(score_layout(types[t], body, true, rand_script));
		assert_true(script_calls >= 1);
		assert_true(script_max_n <= 4);
	}
	json_decref(body);
}

static void
layout_true_false_never_shuffled(void **state)
{
	json_t *body = parse(TRUE_FALSE);

	(void)state;
	lcg_state = 1;
	for (int r = 0; r < 200; r++) {
		json_t *l = score_layout("true_false", body, r % 2 == 0,
		    r % 3 == 0 ? rand_zero : r % 3 == 1 ? rand_last : rand_lcg);

		assert_json_equal(l, "{\"options\": [\"true\", \"false\"]}");
		json_decref(l);
	}
	json_decref(body);
}

/* score_layout of ordering with every possible sequence of rand. */
static void
ordering_all_scripts(const char *text)
{
	json_t *body = parse(text);
	json_t *items = json_object_get(body, "items");
	size_t n = json_array_size(items);
	unsigned combos = 1, seen = 0;
	unsigned count[6 * 6 * 6 * 6] = {0};

	for (size_t i = 1; i < n; i++)
		combos *= (unsigned)n;
	for (unsigned c = 0; c < combos; c++) {
		json_t *l;
		unsigned x = c;

		script_reset();
		for (size_t i = 0; i + 1 < n; i++) {
			script[i] = x % (unsigned)n;
			x /= (unsigned)n;
		}
		for (int shuffle = 0; shuffle < 2; shuffle++) {
			script_at = 0;
			l = score_layout("ordering", body, shuffle, rand_script);
			assert_int_equal(json_object_size(l), 1);
			assert_true(is_permutation(json_object_get(l, "items"),
			    items));
			if (in_body_order(json_object_get(l, "items"), items)) {
				char *s = json_dumps(l, 0);

				print_error("shown in the correct order: %s\n", s);
				free(s);
				fail();
			}
			count[perm_code(json_object_get(l, "items"), items)]++;
			json_decref(l);
		}
	}
	/* Every other order can come up. */
	for (size_t i = 0; i < sizeof(count) / sizeof(count[0]); i++)
		seen += count[i] > 0;
	assert_int_equal(seen, n == 2 ? 1 : n == 3 ? 5 : 23);
	json_decref(body);
}

static void
layout_ordering_never_correct(void **state)
{
	json_t *body;
	json_t *l;

	(void)state;
	ordering_all_scripts(ORDERING2);
	ordering_all_scripts(ORDERING3);
	ordering_all_scripts(ORDERING);

	/* Two items: always the other way round, whatever rand says. */
	body = parse(ORDERING2);
	l = score_layout("ordering", body, false, rand_zero);
	assert_json_equal(l, "{\"items\": [\"x2\", \"x1\"]}");
	json_decref(l);
	l = score_layout("ordering", body, true, rand_last);
	assert_json_equal(l, "{\"items\": [\"x2\", \"x1\"]}");
	json_decref(l);
	json_decref(body);

	/* Four items, random. */
	body = parse(ORDERING);
	lcg_state = 99;
	for (int r = 0; r < 1000; r++) {
		l = score_layout("ordering", body, false, rand_lcg);
		assert_true(is_permutation(json_object_get(l, "items"),
		    json_object_get(body, "items")));
		assert_false(in_body_order(json_object_get(l, "items"),
		    json_object_get(body, "items")));
		json_decref(l);
	}
	json_decref(body);
}

static void
layout_matching(void **state)
{
	json_t *body = parse(MATCHING);
	json_t *pairs = json_object_get(body, "pairs");
	unsigned rights[6 * 6 * 6] = {0}, lefts[6 * 6 * 6] = {0};
	int kinds;

	(void)state;
	/* Without shuffle the lefts keep their order; the rights are
	 * shuffled all the same. */
	lcg_state = 4242;
	for (int r = 0; r < 600; r++) {
		json_t *l = score_layout("matching", body, false, rand_lcg);

		assert_int_equal(json_object_size(l), 2);
		assert_json_equal(json_object_get(l, "lefts"),
		    "[\"1\", \"2\", \"3\"]");
		assert_true(is_permutation(json_object_get(l, "rights"), pairs));
		rights[perm_code(json_object_get(l, "rights"), pairs)]++;
		json_decref(l);
	}
	kinds = 0;
	for (size_t i = 0; i < sizeof(rights) / sizeof(rights[0]); i++)
		kinds += rights[i] > 0;
	assert_int_equal(kinds, 6);

	/* With shuffle both sides are. */
	memset(rights, 0, sizeof(rights));
	for (int r = 0; r < 600; r++) {
		json_t *l = score_layout("matching", body, true, rand_lcg);

		assert_true(is_permutation(json_object_get(l, "lefts"), pairs));
		assert_true(is_permutation(json_object_get(l, "rights"), pairs));
		lefts[perm_code(json_object_get(l, "lefts"), pairs)]++;
		rights[perm_code(json_object_get(l, "rights"), pairs)]++;
		json_decref(l);
	}
	kinds = 0;
	for (size_t i = 0; i < sizeof(lefts) / sizeof(lefts[0]); i++)
		kinds += (lefts[i] > 0) + (rights[i] > 0);
	assert_int_equal(kinds, 12);

	/* rand is asked for the rights even without shuffle. */
	script_reset();
	{
		json_t *l = score_layout("matching", body, false, rand_script);

		assert_true(is_permutation(json_object_get(l, "rights"), pairs));
		assert_true(script_calls >= 1);
		assert_true(script_max_n <= 3);
		json_decref(l);
	}
	json_decref(body);
}

static void
layout_fill_blank(void **state)
{
	json_t *body = parse(FILL), *l;

	(void)state;
	l = score_layout("fill_blank", body, true, rand_zero);
	assert_true(json_is_object(l));
	assert_int_equal(json_object_size(l), 0);
	json_decref(l);
	l = score_layout("fill_blank", body, false, rand_lcg);
	assert_json_equal(l, "{}");
	json_decref(l);
	json_decref(body);
}

/* ---- score_answer_in / score_answer_out --------------------------------- */

/*
 * given (labels) -> stored (keys) -> back to the same labels; stored must
 * be expected.
 */
static void
round_trip_(const char *type, const char *body_text, const char *layout_text,
    const char *given_text, const char *expected, const char *file, int line)
{
	json_t *body = parse(body_text), *layout = parse(layout_text);
	json_t *given = parse(given_text), *in, *out;
	const char *why = NULL;

	in = score_answer_in(type, body, layout, given, &why);
	if (in == NULL) {
		print_error("%s:%d: %s refused: %s\n", file, line, given_text,
		    why ? why : "(no reason)");
		fail();
	}
	assert_json_equal_(in, expected, file, line);
	out = score_answer_out(type, layout, in);
	assert_json_equal_(out, given_text, file, line);
	json_decref(out);
	json_decref(in);
	json_decref(given);
	json_decref(layout);
	json_decref(body);
}
#define round_trip(t, b, l, g, e) \
	round_trip_((t), (b), (l), (g), (e), __FILE__, __LINE__)

/* given (JSON text, NULL for a NULL pointer) must be refused with a why. */
static void
refused_(const char *type, const char *body_text, const char *layout_text,
    const char *given_text, const char *file, int line)
{
	json_t *body = parse(body_text), *layout = parse(layout_text);
	json_t *given = given_text ? parse(given_text) : NULL, *in;
	const char *why = NULL;

	in = score_answer_in(type, body, layout, given, &why);
	if (in != NULL) {
		char *s = json_dumps(in, JSON_ENCODE_ANY);

		print_error("%s:%d: %s taken as %s\n", file, line,
		    given_text ? given_text : "NULL", s);
		free(s);
		json_decref(in);
		fail();
	}
	if (why == NULL || strlen(why) == 0) {
		print_error("%s:%d: refused without a reason\n", file, line);
		fail();
	}
	json_decref(given);
	json_decref(layout);
	json_decref(body);
}
#define refused(t, b, l, g) refused_((t), (b), (l), (g), __FILE__, __LINE__)

static const char SINGLE_LAYOUT[] = "{\"options\": [\"C\", \"A\", \"D\", \"B\"]}";
static const char MATCHING_LAYOUT[] =
    "{\"lefts\": [\"2\", \"3\", \"1\"], \"rights\": [\"3\", \"1\", \"2\"]}";
static const char ORDERING_LAYOUT[] =
    "{\"items\": [\"C\", \"A\", \"D\", \"B\"]}";

static void
answer_single_choice(void **state)
{
	(void)state;
	/* Label B is the second shown: key A. */
	round_trip("single_choice", SINGLE, SINGLE_LAYOUT,
	    "{\"choice\": \"B\"}", "{\"choice\": \"A\"}");
	round_trip("single_choice", SINGLE, SINGLE_LAYOUT,
	    "{\"choice\": \"D\"}", "{\"choice\": \"B\"}");
	round_trip("single_choice", SINGLE, SINGLE_LAYOUT,
	    "{\"choice\": \"A\"}", "{\"choice\": \"C\"}");

	refused("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": \"E\"}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": \"b\"}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": \"\"}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": 1}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": null}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT,
	    "{\"choice\": [\"A\"]}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\"]}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT,
	    "{\"choice\": \"A\", \"extra\": 1}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "{}");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "\"A\"");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, "null");
	refused("single_choice", SINGLE, SINGLE_LAYOUT, NULL);
}

static void
answer_true_false(void **state)
{
	static const char layout[] = "{\"options\": [\"true\", \"false\"]}";

	(void)state;
	/* True and false are their own labels. */
	round_trip("true_false", TRUE_FALSE, layout,
	    "{\"choice\": \"false\"}", "{\"choice\": \"false\"}");
	round_trip("true_false", TRUE_FALSE, layout,
	    "{\"choice\": \"true\"}", "{\"choice\": \"true\"}");
	refused("true_false", TRUE_FALSE, layout, "{\"choice\": \"A\"}");
	refused("true_false", TRUE_FALSE, layout, "{\"choice\": \"True\"}");
	refused("true_false", TRUE_FALSE, layout, "{\"choice\": true}");
	refused("true_false", TRUE_FALSE, layout,
	    "{\"choice\": \"true\", \"sure\": true}");
}

static void
answer_multiple_select(void **state)
{
	(void)state;
	round_trip("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\", \"C\"]}", "{\"choices\": [\"C\", \"D\"]}");
	round_trip("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"D\"]}", "{\"choices\": [\"B\"]}");
	round_trip("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"D\", \"C\", \"B\", \"A\"]}",
	    "{\"choices\": [\"B\", \"D\", \"A\", \"C\"]}");

	refused("multiple_select", MULTI, SINGLE_LAYOUT, "{\"choices\": []}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\", \"A\"]}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\", \"B\", \"C\", \"D\", \"A\"]}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\", \"E\"]}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\", 2]}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT, "{\"choices\": \"A\"}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT, "{\"choice\": \"A\"}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"A\"], \"choice\": \"A\"}");
	refused("multiple_select", MULTI, SINGLE_LAYOUT, "[\"A\"]");
}

static void
answer_fill_blank(void **state)
{
	(void)state;
	/* Kept as typed: the rules apply when it is scored. */
	round_trip("fill_blank", FILL, "{}",
	    "{\"text\": \" 255.255.255.0 \"}", "{\"text\": \" 255.255.255.0 \"}");
	round_trip("fill_blank", FILL, "{}", "{\"text\": \"\"}",
	    "{\"text\": \"\"}");
	round_trip("fill_blank", FILL, "{}", "{\"text\": \"caf\\u00e9\"}",
	    "{\"text\": \"caf\\u00e9\"}");

	refused("fill_blank", FILL, "{}", "{\"text\": 22}");
	refused("fill_blank", FILL, "{}", "{\"text\": null}");
	refused("fill_blank", FILL, "{}", "{\"text\": [\"22\"]}");
	refused("fill_blank", FILL, "{}", "{\"answer\": \"22\"}");
	refused("fill_blank", FILL, "{}", "{\"text\": \"22\", \"extra\": 1}");
	refused("fill_blank", FILL, "{}", "{\"text\": \"a\\u0000b\"}");
	refused("fill_blank", FILL, "{}", "\"22\"");
	{
		/* Very long texts are refused. */
		char *s = malloc(5000 + 20);
		json_t *body = parse(FILL), *layout = parse("{}"), *g;
		const char *why = NULL;

		assert_non_null(s);
		memset(s, '9', 5000);
		s[5000] = '\0';
		g = json_pack("{s:s}", "text", s);
		assert_null(score_answer_in("fill_blank", body, layout, g, &why));
		assert_non_null(why);
		json_decref(g);
		json_decref(layout);
		json_decref(body);
		free(s);
	}
}

static void
answer_matching(void **state)
{
	(void)state;
	/* Left 1 is key 2, left 2 key 3, left 3 key 1; right a is key 3,
	 * b key 1, c key 2. */
	round_trip("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": \"c\", \"2\": \"a\", \"3\": \"b\"}}",
	    "{\"pairs\": {\"2\": \"2\", \"3\": \"3\", \"1\": \"1\"}}");
	round_trip("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": \"a\", \"2\": \"b\", \"3\": \"c\"}}",
	    "{\"pairs\": {\"2\": \"3\", \"3\": \"1\", \"1\": \"2\"}}");
	/* Some lefts may be left out. */
	round_trip("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"3\": \"b\"}}", "{\"pairs\": {\"1\": \"1\"}}");

	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": \"a\", \"2\": \"a\"}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"4\": \"a\"}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": \"d\"}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"a\": \"1\"}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": 1}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": null}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": [[\"1\", \"a\"]]}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pair\": {\"1\": \"a\"}}");
	refused("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"1\": \"a\"}, \"x\": 1}");
}

static void
answer_ordering(void **state)
{
	(void)state;
	/* Labels A..D show C, A, D, B. */
	round_trip("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"B\", \"D\", \"A\", \"C\"]}",
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\"]}");
	round_trip("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\"]}",
	    "{\"order\": [\"C\", \"A\", \"D\", \"B\"]}");

	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"A\", \"B\", \"C\"]}");
	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\"]}");
	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\", \"E\"]}");
	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\", \"E\"]}");
	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\", 4]}");
	refused("ordering", ORDERING, ORDERING_LAYOUT, "{\"order\": []}");
	refused("ordering", ORDERING, ORDERING_LAYOUT, "{\"order\": \"ABCD\"}");
	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"choices\": [\"A\", \"B\", \"C\", \"D\"]}");
	refused("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\"], \"x\": 1}");
}

static void
answer_other(void **state)
{
	json_t *layout = parse(SINGLE_LAYOUT), *a;

	(void)state;
	refused("essay", SINGLE, SINGLE_LAYOUT, "{\"text\": \"x\"}");

	/* Nothing stored, nothing shown. */
	a = score_answer_out("single_choice", layout, NULL);
	assert_true(json_is_null(a));
	json_decref(a);
	a = json_null();
	{
		json_t *o = score_answer_out("ordering", layout, a);

		assert_true(json_is_null(o));
		json_decref(o);
	}
	json_decref(a);

	/* A stored key the layout does not have is not shown as a label. */
	a = parse("{\"choice\": \"Z\"}");
	{
		json_t *o = score_answer_out("single_choice", layout, a);

		assert_true(json_is_null(o));
		json_decref(o);
	}
	json_decref(a);
	json_decref(layout);
}

/* Layouts made by score_layout, answers through them, any rand. */
static void
answer_through_layouts(void **state)
{
	json_t *ord = parse(ORDERING), *m = parse(MATCHING);

	(void)state;
	lcg_state = 31337;
	for (int r = 0; r < 200; r++) {
		json_t *l = score_layout("ordering", ord, r % 2, rand_lcg);
		json_t *g = parse("{\"order\": [\"A\", \"B\", \"C\", \"D\"]}");
		const char *why = NULL;
		json_t *in = score_answer_in("ordering", ord, l, g, &why);
		json_t *out, *v, *sol;

		/* The labels in the order shown are the layout's keys... */
		assert_non_null(in);
		assert_true(json_equal(json_object_get(in, "order"),
		    json_object_get(l, "items")));
		/* ...which are never the correct order. */
		assert_near(score_credit("ordering", ord, in, false), 0);
		assert_true(score_credit("ordering", ord, in, true) < 1);
		out = score_answer_out("ordering", l, in);
		assert_true(json_equal(out, g));
		/* The revealed solution earns full credit. */
		v = score_view("ordering", ord, l, in, true);
		sol = score_answer_in("ordering", ord, l, json_object_get(v,
		    "solution"), &why);
		assert_non_null(sol);
		assert_near(score_credit("ordering", ord, sol, false), 1);
		json_decref(sol);
		json_decref(v);
		json_decref(out);
		json_decref(in);
		json_decref(g);
		json_decref(l);

		l = score_layout("matching", m, r % 2, rand_lcg);
		v = score_view("matching", m, l, NULL, true);
		sol = score_answer_in("matching", m, l, json_object_get(v,
		    "solution"), &why);
		assert_non_null(sol);
		assert_json_equal(sol,
		    "{\"pairs\": {\"1\": \"1\", \"2\": \"2\", \"3\": \"3\"}}");
		assert_near(score_credit("matching", m, sol, false), 1);
		out = score_answer_out("matching", l, sol);
		assert_true(json_equal(out, json_object_get(v, "solution")));
		json_decref(out);
		json_decref(sol);
		json_decref(v);
		json_decref(l);
	}
	json_decref(m);
	json_decref(ord);
}

/* ---- score_credit ------------------------------------------------------- */

/* The credit of a stored answer given as JSON text (NULL: none). */
static double
credit(const char *type, const char *body_text, const char *answer_text,
    bool partial)
{
	json_t *body = parse(body_text);
	json_t *answer = answer_text ? parse(answer_text) : NULL;
	double c = score_credit(type, body, answer, partial);

	json_decref(answer);
	json_decref(body);
	return c;
}

static void
credit_single_choice(void **state)
{
	(void)state;
	for (int partial = 0; partial < 2; partial++) {
		assert_near(credit("single_choice", SINGLE,
		    "{\"choice\": \"B\"}", partial), 1);
		assert_near(credit("single_choice", SINGLE,
		    "{\"choice\": \"A\"}", partial), 0);
		assert_near(credit("single_choice", SINGLE,
		    "{\"choice\": \"D\"}", partial), 0);
		assert_near(credit("single_choice", SINGLE,
		    "{\"choice\": \"Z\"}", partial), 0);
		assert_near(credit("single_choice", SINGLE, "{}", partial), 0);
		assert_near(credit("single_choice", SINGLE, "null", partial), 0);
		assert_near(credit("single_choice", SINGLE, NULL, partial), 0);
	}
}

static void
credit_true_false(void **state)
{
	(void)state;
	for (int partial = 0; partial < 2; partial++) {
		assert_near(credit("true_false", TRUE_FALSE,
		    "{\"choice\": \"false\"}", partial), 1);
		assert_near(credit("true_false", TRUE_FALSE,
		    "{\"choice\": \"true\"}", partial), 0);
		assert_near(credit("true_false", TRUE_FALSE, NULL, partial), 0);
	}
}

static void
credit_multiple_select(void **state)
{
	static const char three[] =
	    "{\"options\": ["
	    " {\"key\": \"A\", \"text\": \"a\", \"explanation\": null,"
	    "  \"correct\": true},"
	    " {\"key\": \"B\", \"text\": \"b\", \"explanation\": null,"
	    "  \"correct\": true},"
	    " {\"key\": \"C\", \"text\": \"c\", \"explanation\": null,"
	    "  \"correct\": true},"
	    " {\"key\": \"D\", \"text\": \"d\", \"explanation\": null,"
	    "  \"correct\": false}]}";

	(void)state;
	/* Partial: (right - wrong) / correct options, never below 0. */
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"C\"]}", true), 1);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"C\", \"A\"]}", true), 1);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\"]}", true), 0.5);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"C\"]}", true), 0.5);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"B\"]}", true), 0);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"C\", \"B\"]}", true), 0.5);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"B\", \"C\", \"D\"]}", true), 0);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"B\", \"D\"]}", true), 0);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"B\"]}", true), 0);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": []}", true), 0);
	assert_near(credit("multiple_select", MULTI, NULL, true), 0);
	assert_near(credit("multiple_select", MULTI, "{}", true), 0);

	/* Three correct of four. */
	assert_near(credit("multiple_select", three,
	    "{\"choices\": [\"A\", \"B\", \"C\", \"D\"]}", true), 0.66667);
	assert_near(credit("multiple_select", three,
	    "{\"choices\": [\"A\"]}", true), 0.33333);
	assert_near(credit("multiple_select", three,
	    "{\"choices\": [\"A\", \"B\"]}", true), 0.66667);
	assert_near(credit("multiple_select", three,
	    "{\"choices\": [\"A\", \"D\"]}", true), 0);

	/* Without partial credit: all or nothing. */
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"C\"]}", false), 1);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\"]}", false), 0);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"C\", \"B\"]}", false), 0);
	assert_near(credit("multiple_select", MULTI,
	    "{\"choices\": [\"A\", \"B\", \"C\", \"D\"]}", false), 0);
	assert_near(credit("multiple_select", three,
	    "{\"choices\": [\"A\", \"B\", \"C\"]}", false), 1);
}

static void
credit_matching(void **state)
{
	(void)state;
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"1\", \"2\": \"2\", \"3\": \"3\"}}", true), 1);
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"1\", \"2\": \"2\", \"3\": \"3\"}}", false),
	    1);
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"1\", \"2\": \"2\"}}", true), 0.66667);
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"1\", \"2\": \"3\", \"3\": \"2\"}}", true),
	    0.33333);
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"2\", \"2\": \"3\", \"3\": \"1\"}}", true), 0);
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"1\", \"2\": \"2\"}}", false), 0);
	assert_near(credit("matching", MATCHING,
	    "{\"pairs\": {\"1\": \"1\", \"2\": \"3\", \"3\": \"2\"}}", false), 0);
	assert_near(credit("matching", MATCHING, "{\"pairs\": {}}", true), 0);
	assert_near(credit("matching", MATCHING, NULL, true), 0);
}

static void
credit_ordering(void **state)
{
	(void)state;
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\"]}", true), 1);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\"]}", false), 1);
	/* One adjacent swap: 5 of 6 pairs in order. */
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"B\", \"A\", \"C\", \"D\"]}", true), 0.83333);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"C\", \"B\", \"D\"]}", true), 0.83333);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"B\", \"D\", \"C\"]}", true), 0.83333);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"B\", \"A\", \"C\", \"D\"]}", false), 0);
	/* The first moved to the end: 3 of 6. */
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"B\", \"C\", \"D\", \"A\"]}", true), 0.5);
	/* Two swaps far apart: 4 of 6. */
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"B\", \"A\", \"D\", \"C\"]}", true), 0.66667);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"D\", \"C\", \"B\", \"A\"]}", true), 0);
	assert_near(credit("ordering", ORDERING3,
	    "{\"order\": [\"B\", \"A\", \"C\"]}", true), 0.66667);
	assert_near(credit("ordering", ORDERING2,
	    "{\"order\": [\"x2\", \"x1\"]}", true), 0);
	assert_near(credit("ordering", ORDERING2,
	    "{\"order\": [\"x1\", \"x2\"]}", true), 1);
	/* Not a permutation of the items: nothing. */
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"B\", \"C\"]}", true), 0);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"A\", \"B\", \"C\"]}", true), 0);
	assert_near(credit("ordering", ORDERING,
	    "{\"order\": [\"A\", \"B\", \"C\", \"E\"]}", true), 0);
	assert_near(credit("ordering", ORDERING, "{\"order\": []}", true), 0);
	assert_near(credit("ordering", ORDERING, NULL, true), 0);
}

/* A fill_blank body, in a static buffer (nothing to free when a check
 * fails). */
static const char *
fill_body(const char *answers, const char *numeric, bool cs, const char *ws)
{
	static char s[1024];
	int n = snprintf(s, sizeof(s), "{\"answers\": %s, \"numeric\": %s,"
	    " \"case_sensitive\": %s, \"whitespace\": \"%s\"}", answers, numeric,
	    cs ? "true" : "false", ws);

	assert_true(n > 0 && (size_t)n < sizeof(s));
	return s;
}

static double
fill(const char *body, const char *typed)
{
	json_t *b = parse(body), *a = json_pack("{s:s}", "text", typed);
	double c;

	assert_non_null(a);
	c = score_credit("fill_blank", b, a, true);
	assert_near(score_credit("fill_blank", b, a, false), c);
	json_decref(a);
	json_decref(b);
	return c;
}

static void
credit_fill_blank_text(void **state)
{
	const char *b;

	(void)state;
	/* collapse, case-insensitive (the defaults). */
	b = fill_body("[{\"text\": \"Spanning Tree Protocol\"},"
	    " {\"text\": \"STP\"}]", "[]", false, "collapse");
	assert_near(fill(b, "Spanning Tree Protocol"), 1);
	assert_near(fill(b, "spanning tree protocol"), 1);
	assert_near(fill(b, "  SPANNING   tree\tprotocol \n"), 1);
	assert_near(fill(b, "stp"), 1);
	assert_near(fill(b, "SpanningTree Protocol"), 0);
	assert_near(fill(b, "Spanning Tree Protocols"), 0);
	assert_near(fill(b, "Spanning Tree"), 0);
	assert_near(fill(b, ""), 0);
	assert_near(fill(b, "   "), 0);

	/* ignore: every space goes. */
	b = fill_body("[{\"text\": \"Spanning Tree Protocol\"}]", "[]", false,
	    "ignore");
	assert_near(fill(b, "spanningtreeprotocol"), 1);
	assert_near(fill(b, " s p a n n i n g tree  PROTOCOL "), 1);
	assert_near(fill(b, "spanning tree protocol"), 1);
	assert_near(fill(b, "spanning tree protocols"), 0);

	/* exact: spaces as typed, case still folded. */
	b = fill_body("[{\"text\": \"Spanning Tree Protocol\"}]", "[]", false,
	    "exact");
	assert_near(fill(b, "Spanning Tree Protocol"), 1);
	assert_near(fill(b, "spanning tree protocol"), 1);
	assert_near(fill(b, "Spanning  Tree Protocol"), 0);
	assert_near(fill(b, " Spanning Tree Protocol"), 0);
	assert_near(fill(b, "Spanning Tree Protocol "), 0);
	assert_near(fill(b, "SpanningTreeProtocol"), 0);

	/* case-sensitive. */
	b = fill_body("[{\"text\": \"Spanning Tree Protocol\"}]", "[]", true,
	    "collapse");
	assert_near(fill(b, "Spanning Tree Protocol"), 1);
	assert_near(fill(b, "  Spanning   Tree Protocol "), 1);
	assert_near(fill(b, "spanning tree protocol"), 0);
	assert_near(fill(b, "SPANNING TREE PROTOCOL"), 0);

	b = fill_body("[{\"text\": \"sudo\"}]", "[]", true, "ignore");
	assert_near(fill(b, " su do "), 1);
	assert_near(fill(b, "SUDO"), 0);

	/* A text answer that looks like a number matches as text only. */
	b = fill_body("[{\"text\": \"22\"}]", "[]", false, "collapse");
	assert_near(fill(b, "22"), 1);
	assert_near(fill(b, " 22 "), 1);
	assert_near(fill(b, "22.0"), 0);
}

static void
credit_fill_blank_numeric(void **state)
{
	const char *b;

	(void)state;
	b = fill_body("[]", "[{\"value\": 22.0, \"tolerance\": 0.0}]", false,
	    "collapse");
	assert_near(fill(b, "22"), 1);
	assert_near(fill(b, "22.0"), 1);
	assert_near(fill(b, " 22 "), 1);
	assert_near(fill(b, "+22"), 1);
	assert_near(fill(b, "2.2e1"), 1);
	assert_near(fill(b, "21"), 0);
	assert_near(fill(b, "22.1"), 0);
	assert_near(fill(b, "22abc"), 0);
	assert_near(fill(b, "22 23"), 0);
	assert_near(fill(b, "twenty-two"), 0);
	assert_near(fill(b, ""), 0);
	assert_near(fill(b, " "), 0);
	assert_near(fill(b, "nan"), 0);
	assert_near(fill(b, "inf"), 0);
	assert_near(fill(b, "1e400"), 0);

	/* With a tolerance; a hair of slack for decimal fractions. */
	b = fill_body("[]", "[{\"value\": 3.3, \"tolerance\": 0.1}]", false,
	    "collapse");
	assert_near(fill(b, "3.3"), 1);
	assert_near(fill(b, "3.2"), 1);
	assert_near(fill(b, "3.4"), 1);
	assert_near(fill(b, "3.25"), 1);
	assert_near(fill(b, "3.41"), 0);
	assert_near(fill(b, "3.19"), 0);
	assert_near(fill(b, "-3.3"), 0);

	/* The slack scales with the value: 1000000.3 - 1000000 is
	 * 0.3 + 4.7e-11 in binary. */
	b = fill_body("[]", "[{\"value\": 1000000.0, \"tolerance\": 0.3}]",
	    false, "collapse");
	assert_near(fill(b, "1000000.3"), 1);
	assert_near(fill(b, "999999.7"), 1);
	assert_near(fill(b, "1000000.31"), 0);
	assert_near(fill(b, "999999.69"), 0);

	/* GIFT's {#20..24} is value 22, tolerance 2. */
	b = fill_body("[]", "[{\"value\": 22.0, \"tolerance\": 2.0}]", false,
	    "collapse");
	assert_near(fill(b, "20"), 1);
	assert_near(fill(b, "24"), 1);
	assert_near(fill(b, "23.5"), 1);
	assert_near(fill(b, "19.99"), 0);
	assert_near(fill(b, "24.01"), 0);
	assert_near(fill(b, "-22"), 0);

	/* Several ranges, negative values, big numbers. */
	b = fill_body("[]", "[{\"value\": -1.5, \"tolerance\": 0.0},"
	    " {\"value\": 1000.0, \"tolerance\": 0.0},"
	    " {\"value\": 65535.0, \"tolerance\": 0.0}]", false, "collapse");
	assert_near(fill(b, "-1.5"), 1);
	assert_near(fill(b, " -1.5 "), 1);
	assert_near(fill(b, "1.5"), 0);
	assert_near(fill(b, "1e3"), 1);
	assert_near(fill(b, "1000"), 1);
	assert_near(fill(b, "65535"), 1);
	assert_near(fill(b, "65536"), 0);

	/* Words and numbers together. */
	b = fill_body("[{\"text\": \"twenty-two\"}]",
	    "[{\"value\": 22.0, \"tolerance\": 0.0}]", false, "collapse");
	assert_near(fill(b, "Twenty-Two"), 1);
	assert_near(fill(b, "22"), 1);
	assert_near(fill(b, "22.000"), 1);
	assert_near(fill(b, "twenty two"), 0);
}

static void
credit_fill_blank_hex_is_not_decimal(void **state)
{
	const char *b;

	(void)state;
	/* Regression: numbers were read with strtod, which also takes C
	 * hexadecimal, so "0x16" earned the credit of 22. */
	b = fill_body("[]", "[{\"value\": 22.0, \"tolerance\": 0.0}]", false,
	    "collapse");
	assert_near(fill(b, "0x16"), 0);
	assert_near(fill(b, "0X16"), 0);
	assert_near(fill(b, "0x1.6p4"), 0);
}

static void
credit_other(void **state)
{
	json_t *body = parse(FILL), *a;

	(void)state;
	/* Not a string, not an object, unknown type: nothing. */
	assert_near(credit("fill_blank", FILL, "{\"text\": 22}", true), 0);
	assert_near(credit("fill_blank", FILL, "{\"text\": null}", true), 0);
	assert_near(credit("fill_blank", FILL, "{}", true), 0);
	assert_near(credit("fill_blank", FILL, "\"255.255.255.0\"", true), 0);
	assert_near(credit("fill_blank", FILL, NULL, true), 0);
	assert_near(credit("fill_blank", FILL,
	    "{\"text\": \"255.255.255.0\"}", true), 1);
	assert_near(credit("essay", FILL, "{\"text\": \"255.255.255.0\"}",
	    true), 0);

	/* Credit is always within 0..1 and to 5 decimals. */
	a = parse("{\"text\": \"255.255.255.0\"}");
	assert_near(score_credit("fill_blank", body, a, true), 1);
	json_decref(a);
	json_decref(body);
}

/* ---- score_view --------------------------------------------------------- */

/* The first forbidden key anywhere in v, or NULL. */
static const char *
find_key(const json_t *v, const char *const *keys)
{
	const char *k, *found;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x) {
			for (size_t j = 0; keys[j]; j++)
				if (strcmp(k, keys[j]) == 0)
					return keys[j];
			if ((found = find_key(x, keys)) != NULL)
				return found;
		}
	} else if (json_is_array(v))
		json_array_foreach((json_t *)v, i, x)
			if ((found = find_key(x, keys)) != NULL)
				return found;
	return NULL;
}

/* True when the string s is anywhere in v, as a key or a value. */
static bool
has_string(const json_t *v, const char *s)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_string(v))
		return strcmp(json_string_value(v), s) == 0;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			if (strcmp(k, s) == 0 || has_string(x, s))
				return true;
	} else if (json_is_array(v))
		json_array_foreach((json_t *)v, i, x)
			if (has_string(x, s))
				return true;
	return false;
}

static const char *const SECRET[] = {"correct", "explanation", "solution",
    "accepted", "numeric", NULL};

/* score_view of JSON texts (answer NULL: none). */
static json_t *
view(const char *type, const char *body_text, const char *layout_text,
    const char *answer_text, bool reveal)
{
	json_t *body = parse(body_text), *layout = parse(layout_text);
	json_t *answer = answer_text ? parse(answer_text) : NULL;
	json_t *v = score_view(type, body, layout, answer, reveal);

	assert_non_null(v);
	json_decref(answer);
	json_decref(layout);
	json_decref(body);
	return v;
}

static void
assert_hidden_(json_t *v, const char *file, int line)
{
	const char *k = find_key(v, SECRET);

	if (k != NULL) {
		char *s = json_dumps(v, JSON_SORT_KEYS);

		print_error("%s:%d: \"%s\" shown before reveal: %s\n", file, line,
		    k, s);
		free(s);
		fail();
	}
}
#define assert_hidden(v) assert_hidden_((v), __FILE__, __LINE__)

static void
view_options_hidden(void **state)
{
	json_t *v;

	(void)state;
	/* Layout C, A, D, B; the stored answer is key A, label B. */
	v = view("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": \"A\"}",
	    false);
	assert_hidden(v);
	assert_json_equal(v,
	    "{\"options\": [{\"label\": \"A\", \"text\": \"23\"},"
	    " {\"label\": \"B\", \"text\": \"21\"},"
	    " {\"label\": \"C\", \"text\": \"3389\"},"
	    " {\"label\": \"D\", \"text\": \"22\"}],"
	    " \"answer\": {\"choice\": \"B\"}}");
	json_decref(v);

	v = view("single_choice", SINGLE, SINGLE_LAYOUT, NULL, false);
	assert_hidden(v);
	assert_true(json_is_null(json_object_get(v, "answer")));
	json_decref(v);

	v = view("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"C\", \"D\"]}", false);
	assert_hidden(v);
	assert_json_equal(v,
	    "{\"options\": [{\"label\": \"A\", \"text\": \"IS-IS\"},"
	    " {\"label\": \"B\", \"text\": \"OSPF\"},"
	    " {\"label\": \"C\", \"text\": \"EIGRP\"},"
	    " {\"label\": \"D\", \"text\": \"RIP\"}],"
	    " \"choose\": 2, \"answer\": {\"choices\": [\"A\", \"C\"]}}");
	json_decref(v);

	v = view("true_false", TRUE_FALSE,
	    "{\"options\": [\"true\", \"false\"]}", "{\"choice\": \"true\"}",
	    false);
	assert_hidden(v);
	assert_json_equal(v,
	    "{\"options\": [{\"label\": \"true\", \"text\": \"True\"},"
	    " {\"label\": \"false\", \"text\": \"False\"}],"
	    " \"answer\": {\"choice\": \"true\"}}");
	json_decref(v);
}

static void
view_options_revealed(void **state)
{
	json_t *v;

	(void)state;
	v = view("single_choice", SINGLE, SINGLE_LAYOUT, "{\"choice\": \"A\"}",
	    true);
	assert_json_equal(v,
	    "{\"options\": ["
	    " {\"label\": \"A\", \"text\": \"23\", \"correct\": false,"
	    "  \"explanation\": null, \"selected\": false},"
	    " {\"label\": \"B\", \"text\": \"21\", \"correct\": false,"
	    "  \"explanation\": \"FTP.\", \"selected\": true},"
	    " {\"label\": \"C\", \"text\": \"3389\", \"correct\": false,"
	    "  \"explanation\": \"RDP.\", \"selected\": false},"
	    " {\"label\": \"D\", \"text\": \"22\", \"correct\": true,"
	    "  \"explanation\": \"SSH.\", \"selected\": false}],"
	    " \"answer\": {\"choice\": \"B\"}}");
	json_decref(v);

	/* No answer: nothing selected. */
	v = view("single_choice", SINGLE, SINGLE_LAYOUT, NULL, true);
	for (size_t i = 0; i < 4; i++)
		assert_true(json_is_false(json_object_get(json_array_get(
		    json_object_get(v, "options"), i), "selected")));
	assert_true(json_is_null(json_object_get(v, "answer")));
	json_decref(v);

	v = view("multiple_select", MULTI, SINGLE_LAYOUT,
	    "{\"choices\": [\"C\", \"D\"]}", true);
	assert_json_equal(v,
	    "{\"options\": ["
	    " {\"label\": \"A\", \"text\": \"IS-IS\", \"correct\": true,"
	    "  \"explanation\": \"Link state.\", \"selected\": true},"
	    " {\"label\": \"B\", \"text\": \"OSPF\", \"correct\": true,"
	    "  \"explanation\": null, \"selected\": false},"
	    " {\"label\": \"C\", \"text\": \"EIGRP\", \"correct\": false,"
	    "  \"explanation\": null, \"selected\": true},"
	    " {\"label\": \"D\", \"text\": \"RIP\", \"correct\": false,"
	    "  \"explanation\": null, \"selected\": false}],"
	    " \"choose\": 2, \"answer\": {\"choices\": [\"A\", \"C\"]}}");
	json_decref(v);

	v = view("true_false", TRUE_FALSE,
	    "{\"options\": [\"true\", \"false\"]}", "{\"choice\": \"true\"}",
	    true);
	assert_json_equal(v,
	    "{\"options\": ["
	    " {\"label\": \"true\", \"text\": \"True\", \"correct\": false,"
	    "  \"explanation\": null, \"selected\": true},"
	    " {\"label\": \"false\", \"text\": \"False\", \"correct\": true,"
	    "  \"explanation\": \"Plain text.\", \"selected\": false}],"
	    " \"answer\": {\"choice\": \"true\"}}");
	json_decref(v);
}

static void
view_matching(void **state)
{
	json_t *v, *body, *layout, *g, *in;
	const char *why;

	(void)state;
	/* Lefts shown 2, 3, 1 (Telnet, RDP, SSH); rights 3, 1, 2. */
	v = view("matching", MATCHING, MATCHING_LAYOUT,
	    "{\"pairs\": {\"2\": \"3\"}}", false);
	assert_hidden(v);
	assert_json_equal(v,
	    "{\"lefts\": [{\"label\": \"1\", \"text\": \"Telnet\"},"
	    " {\"label\": \"2\", \"text\": \"RDP\"},"
	    " {\"label\": \"3\", \"text\": \"SSH\"}],"
	    " \"rights\": [{\"label\": \"a\", \"text\": \"3389\"},"
	    " {\"label\": \"b\", \"text\": \"22\"},"
	    " {\"label\": \"c\", \"text\": \"23\"}],"
	    " \"answer\": {\"pairs\": {\"1\": \"a\"}}}");
	json_decref(v);

	v = view("matching", MATCHING, MATCHING_LAYOUT, NULL, true);
	assert_json_equal(v,
	    "{\"lefts\": [{\"label\": \"1\", \"text\": \"Telnet\","
	    "  \"explanation\": null},"
	    " {\"label\": \"2\", \"text\": \"RDP\", \"explanation\": null},"
	    " {\"label\": \"3\", \"text\": \"SSH\","
	    "  \"explanation\": \"Secure Shell.\"}],"
	    " \"rights\": [{\"label\": \"a\", \"text\": \"3389\"},"
	    " {\"label\": \"b\", \"text\": \"22\"},"
	    " {\"label\": \"c\", \"text\": \"23\"}],"
	    " \"solution\": {\"pairs\": {\"1\": \"c\", \"2\": \"a\","
	    "  \"3\": \"b\"}},"
	    " \"answer\": null}");

	/* The solution, answered, earns full credit. */
	body = parse(MATCHING);
	layout = parse(MATCHING_LAYOUT);
	g = json_deep_copy(json_object_get(v, "solution"));
	in = score_answer_in("matching", body, layout, g, &why);
	assert_non_null(in);
	assert_near(score_credit("matching", body, in, false), 1);
	json_decref(in);
	json_decref(g);
	json_decref(layout);
	json_decref(body);
	json_decref(v);
}

/*
 * A matching question with distractors (right texts that match no left,
 * Moodle's extra wrong answers): they are shown among the rights, can be
 * picked, and a left matched to one is wrong.
 */
static const char MATCHING_EXTRA[] =
    "{\"pairs\": ["
    " {\"key\": \"1\", \"left\": \"SSH\", \"right\": \"22\","
    "  \"explanation\": null},"
    " {\"key\": \"2\", \"left\": \"Telnet\", \"right\": \"23\","
    "  \"explanation\": null}],"
    " \"distractors\": [{\"key\": \"x1\", \"text\": \"25\"},"
    " {\"key\": \"x2\", \"text\": \"80\"}]}";

static void
matching_distractors(void **state)
{
	json_t *body = parse(MATCHING_EXTRA), *layout, *all, *v, *in, *g;
	const char *why;

	(void)state;
	all = parse("[{\"key\": \"1\"}, {\"key\": \"2\"},"
	    " {\"key\": \"x1\"}, {\"key\": \"x2\"}]");
	lcg_state = 777;
	for (int r = 0; r < 50; r++) {
		json_t *l = score_layout("matching", body, false, rand_lcg);

		assert_json_equal(json_object_get(l, "lefts"),
		    "[\"1\", \"2\"]");
		assert_true(is_permutation(json_object_get(l, "rights"), all));
		json_decref(l);
	}
	json_decref(all);

	/* Rights shown 25, 22, 80, 23. */
	layout = parse("{\"lefts\": [\"1\", \"2\"],"
	    " \"rights\": [\"x1\", \"1\", \"x2\", \"2\"]}");
	v = score_view("matching", body, layout, NULL, false);
	assert_json_equal(json_object_get(v, "rights"),
	    "[{\"label\": \"a\", \"text\": \"25\"},"
	    " {\"label\": \"b\", \"text\": \"22\"},"
	    " {\"label\": \"c\", \"text\": \"80\"},"
	    " {\"label\": \"d\", \"text\": \"23\"}]");
	json_decref(v);

	/* A distractor may be picked, and is wrong. */
	g = parse("{\"pairs\": {\"1\": \"b\", \"2\": \"c\"}}");
	in = score_answer_in("matching", body, layout, g, &why);
	assert_non_null(in);
	assert_json_equal(in, "{\"pairs\": {\"1\": \"1\", \"2\": \"x2\"}}");
	assert_near(score_credit("matching", body, in, true), 0.5);
	assert_near(score_credit("matching", body, in, false), 0);
	json_decref(in);
	json_decref(g);

	/* The revealed solution leaves the distractors out, earns all. */
	v = score_view("matching", body, layout, NULL, true);
	assert_json_equal(json_object_get(v, "solution"),
	    "{\"pairs\": {\"1\": \"b\", \"2\": \"d\"}}");
	g = json_deep_copy(json_object_get(v, "solution"));
	in = score_answer_in("matching", body, layout, g, &why);
	assert_non_null(in);
	assert_near(score_credit("matching", body, in, false), 1);
	json_decref(in);
	json_decref(g);
	json_decref(v);
	json_decref(layout);
	json_decref(body);
}

/*
 * Part-credit answers and ranges of a fill_blank (Moodle's =%50%answer):
 * the best one hit counts, with partial credit; without it only full
 * credit earns anything.
 */
static void
credit_fill_blank_part(void **state)
{
	static const char body[] =
	    "{\"answers\": [{\"text\": \"pi\"}, {\"text\": \"three\","
	    " \"credit\": 0.25}],"
	    " \"numeric\": [{\"value\": 3.1, \"tolerance\": 0.1,"
	    "  \"credit\": 0.5}, {\"value\": 3.14, \"tolerance\": 0.005}],"
	    " \"case_sensitive\": false, \"whitespace\": \"collapse\"}";

	(void)state;
	assert_near(credit("fill_blank", body, "{\"text\": \"PI\"}", true),
	    1);
	assert_near(credit("fill_blank", body, "{\"text\": \"three\"}",
	    true), 0.25);
	assert_near(credit("fill_blank", body, "{\"text\": \"three\"}",
	    false), 0);
	/* 3.14 is in both ranges: the full one counts. */
	assert_near(credit("fill_blank", body, "{\"text\": \"3.14\"}",
	    true), 1);
	assert_near(credit("fill_blank", body, "{\"text\": \"3.144\"}",
	    false), 1);
	assert_near(credit("fill_blank", body, "{\"text\": \"3.05\"}",
	    true), 0.5);
	assert_near(credit("fill_blank", body, "{\"text\": \"3.05\"}",
	    false), 0);
	assert_near(credit("fill_blank", body, "{\"text\": \"3.3\"}",
	    true), 0);
}

static void
view_ordering(void **state)
{
	json_t *v, *body, *layout, *g, *in;
	const char *why;

	(void)state;
	/* Shown C, A, D, B. */
	v = view("ordering", ORDERING, ORDERING_LAYOUT,
	    "{\"order\": [\"A\", \"B\", \"C\", \"D\"]}", false);
	assert_hidden(v);
	assert_json_equal(v,
	    "{\"items\": [{\"label\": \"A\", \"text\": \"Network\"},"
	    " {\"label\": \"B\", \"text\": \"Physical\"},"
	    " {\"label\": \"C\", \"text\": \"Transport\"},"
	    " {\"label\": \"D\", \"text\": \"Data link\"}],"
	    " \"answer\": {\"order\": [\"B\", \"D\", \"A\", \"C\"]}}");
	json_decref(v);

	v = view("ordering", ORDERING, ORDERING_LAYOUT, NULL, true);
	assert_json_equal(json_object_get(v, "solution"),
	    "{\"order\": [\"B\", \"D\", \"A\", \"C\"]}");
	body = parse(ORDERING);
	layout = parse(ORDERING_LAYOUT);
	g = json_deep_copy(json_object_get(v, "solution"));
	in = score_answer_in("ordering", body, layout, g, &why);
	assert_non_null(in);
	assert_near(score_credit("ordering", body, in, false), 1);
	json_decref(in);
	json_decref(g);
	json_decref(layout);
	json_decref(body);
	json_decref(v);
}

static void
view_fill_blank(void **state)
{
	static const char body[] =
	    "{\"answers\": [{\"text\": \"22\"}, {\"text\": \"ssh\"}],"
	    " \"numeric\": [{\"value\": 22.0, \"tolerance\": 0.0}],"
	    " \"case_sensitive\": false, \"whitespace\": \"collapse\"}";
	json_t *v;

	(void)state;
	v = view("fill_blank", body, "{}", "{\"text\": \"23\"}", false);
	assert_hidden(v);
	assert_json_equal(v, "{\"answer\": {\"text\": \"23\"}}");
	json_decref(v);

	v = view("fill_blank", body, "{}", NULL, false);
	assert_json_equal(v, "{\"answer\": null}");
	json_decref(v);

	v = view("fill_blank", body, "{}", "{\"text\": \"23\"}", true);
	assert_json_equal(v,
	    "{\"accepted\": [\"22\", \"ssh\"],"
	    " \"numeric\": [{\"value\": 22.0, \"tolerance\": 0.0}],"
	    " \"answer\": {\"text\": \"23\"}}");
	json_decref(v);
}

/* No key of the question reaches the learner before the end. */
static void
view_no_keys_before_reveal(void **state)
{
	static const char options[] =
	    "{\"options\": ["
	    " {\"key\": \"k1\", \"text\": \"one\", \"explanation\": \"e1\","
	    "  \"correct\": false},"
	    " {\"key\": \"k2\", \"text\": \"two\", \"explanation\": \"e2\","
	    "  \"correct\": true},"
	    " {\"key\": \"k3\", \"text\": \"three\", \"explanation\": null,"
	    "  \"correct\": true}]}";
	static const char pairs[] =
	    "{\"pairs\": ["
	    " {\"key\": \"p1\", \"left\": \"l1\", \"right\": \"r1\","
	    "  \"explanation\": \"e1\"},"
	    " {\"key\": \"p2\", \"left\": \"l2\", \"right\": \"r2\","
	    "  \"explanation\": null}]}";
	static const char items[] =
	    "{\"items\": [{\"key\": \"s1\", \"text\": \"t1\"},"
	    " {\"key\": \"s2\", \"text\": \"t2\"}, {\"key\": \"s3\","
	    " \"text\": \"t3\"}]}";
	static const char *const keys[] = {"k1", "k2", "k3", "p1", "p2", "s1",
	    "s2", "s3", "e1", "e2"};
	struct {
		const char *type, *body, *given;
	} cases[] = {
		{"single_choice", options, "{\"choice\": \"B\"}"},
		{"multiple_select", options, "{\"choices\": [\"A\", \"C\"]}"},
		{"matching", pairs, "{\"pairs\": {\"1\": \"b\", \"2\": \"a\"}}"},
		{"ordering", items, "{\"order\": [\"C\", \"A\", \"B\"]}"},
	};

	(void)state;
	lcg_state = 2024;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (int r = 0; r < 20; r++) {
			json_t *body = parse(cases[c].body), *g = parse(
			    cases[c].given);
			json_t *layout = score_layout(cases[c].type, body, true,
			    rand_lcg);
			const char *why = NULL;
			json_t *in = score_answer_in(cases[c].type, body, layout,
			    g, &why);
			json_t *v;

			if (in == NULL) {
				print_error("%s refused: %s\n", cases[c].given,
				    why);
				fail();
			}
			v = score_view(cases[c].type, body, layout, in, false);
			assert_hidden(v);
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]);
			    k++)
				assert_false(has_string(v, keys[k]));
			/* The answer is shown as it was given. */
			assert_true(json_equal(json_object_get(v, "answer"), g));
			json_decref(v);
			json_decref(in);
			json_decref(layout);
			json_decref(g);
			json_decref(body);
		}
}

/* ---- score_apportion ---------------------------------------------------- */

static void
assert_ints_(const int *got, const int *want, int n, const char *file,
    int line)
{
	for (int i = 0; i < n; i++)
		if (got[i] != want[i]) {
			print_error("%s:%d: [%d] is %d, expected %d\n", file, line,
			    i, got[i], want[i]);
			fail();
		}
}
#define assert_ints(g, w, n) assert_ints_((g), (w), (n), __FILE__, __LINE__)

static void
apportion_network_plus(void **state)
{
	/* N10-009: concepts 23, implementation 20, operations 19,
	 * security 14, troubleshooting 24. */
	static const double w[] = {23, 20, 19, 14, 24};
	int out[5], sum;

	(void)state;
	score_apportion(w, 5, 90, out);
	assert_ints(out, ((int[]){21, 18, 17, 12, 22}), 5);
	sum = out[0] + out[1] + out[2] + out[3] + out[4];
	assert_int_equal(sum, 90);

	score_apportion(w, 5, 0, out);
	assert_ints(out, ((int[]){0, 0, 0, 0, 0}), 5);
	/* One question: the heaviest domain. */
	score_apportion(w, 5, 1, out);
	assert_ints(out, ((int[]){0, 0, 0, 0, 1}), 5);
	/* 1.15 1.0 0.95 0.7 1.2: the two largest remainders. */
	score_apportion(w, 5, 5, out);
	assert_ints(out, ((int[]){1, 1, 1, 1, 1}), 5);
	score_apportion(w, 5, 100, out);
	assert_ints(out, ((int[]){23, 20, 19, 14, 24}), 5);
	score_apportion(w, 5, 10, out);
	assert_ints(out, ((int[]){2, 2, 2, 1, 3}), 5);
}

static void
apportion_ties_and_zeros(void **state)
{
	int out[6];

	(void)state;
	/* Equal remainders: the heavier, then the earlier. */
	score_apportion((double[]){1, 3}, 2, 2, out);
	assert_ints(out, ((int[]){0, 2}), 2);
	score_apportion((double[]){3, 1}, 2, 2, out);
	assert_ints(out, ((int[]){2, 0}), 2);
	score_apportion((double[]){1, 1, 1}, 3, 2, out);
	assert_ints(out, ((int[]){1, 1, 0}), 3);
	score_apportion((double[]){1, 1, 1}, 3, 1, out);
	assert_ints(out, ((int[]){1, 0, 0}), 3);
	score_apportion((double[]){1, 2, 1, 2}, 4, 3, out);
	assert_ints(out, ((int[]){1, 1, 0, 1}), 4);

	/* Zero and negative weights get nothing. */
	score_apportion((double[]){0, -5, 10, 10}, 4, 7, out);
	assert_ints(out, ((int[]){0, 0, 4, 3}), 4);
	score_apportion((double[]){-1, 0, 0.5, -100, 0, 0}, 6, 3, out);
	assert_ints(out, ((int[]){0, 0, 3, 0, 0, 0}), 6);
	score_apportion((double[]){0, 0, 1e-9}, 3, 5, out);
	assert_ints(out, ((int[]){0, 0, 5}), 3);

	/* No weight at all: nothing anywhere. */
	memset(out, 0x55, sizeof(out));
	score_apportion((double[]){0, -1, 0}, 3, 5, out);
	assert_ints(out, ((int[]){0, 0, 0}), 3);

	/* One domain takes all; n = 0 touches nothing. */
	score_apportion((double[]){7}, 1, 13, out);
	assert_int_equal(out[0], 13);
	out[0] = 99;
	score_apportion((double[]){7}, 0, 13, out);
	assert_int_equal(out[0], 99);
}

static void
apportion_sums(void **state)
{
	double w[8];
	int out[8];

	(void)state;
	/* Random weights (some zero or negative) and totals: the sum is the
	 * total, each share within one of its quota, none for no weight. */
	lcg_state = 5150;
	for (int r = 0; r < 5000; r++) {
		int n = 1 + (int)rand_lcg(8), total = (int)rand_lcg(201);
		double sum = 0;
		int given = 0;

		for (int i = 0; i < n; i++) {
			unsigned x = rand_lcg(40);

			w[i] = x < 5 ? 0 : x < 8 ? -(double)x : (double)x / 3.0;
			sum += w[i] > 0 ? w[i] : 0;
		}
		score_apportion(w, n, total, out);
		for (int i = 0; i < n; i++) {
			double quota = sum > 0 && w[i] > 0 ? total * w[i] / sum :
			    0;

			assert_true(out[i] >= 0);
			if (w[i] <= 0)
				assert_int_equal(out[i], 0);
			assert_true(out[i] >= (int)floor(quota + 1e-9) - 0);
			assert_true(out[i] <= (int)ceil(quota - 1e-9));
			given += out[i];
		}
		assert_int_equal(given, sum > 0 ? total : 0);
	}
}

/* ---- score_scaled, score_linear_cut ------------------------------------- */

static void
scaled_network_plus(void **state)
{
	double cut;

	(void)state;
	cut = score_linear_cut(100, 720, 900);
	assert_near(cut, 77.5);
	assert_int_equal(score_scaled(77.5, cut, 100, 720, 900), 720);
	assert_int_equal(score_scaled(100, cut, 100, 720, 900), 900);
	assert_int_equal(score_scaled(0, cut, 100, 720, 900), 100);
	/* Linear: 8 points a percent. */
	assert_int_equal(score_scaled(50, cut, 100, 720, 900), 500);
	assert_int_equal(score_scaled(88.75, cut, 100, 720, 900), 810);
	assert_int_equal(score_scaled(10, cut, 100, 720, 900), 180);
	/* Just below the cut stays under the passing score. */
	assert_int_equal(score_scaled(77.4, cut, 100, 720, 900), 719);
	assert_int_equal(score_scaled(77.49, cut, 100, 720, 900), 719);
	assert_int_equal(score_scaled(77.4999, cut, 100, 720, 900), 719);
	assert_int_equal(score_scaled(nextafter(77.5, 0), cut, 100, 720, 900),
	    719);
	assert_int_equal(score_scaled(77.5001, cut, 100, 720, 900), 720);

	/* Out of range: clamped. */
	assert_int_equal(score_scaled(-5, cut, 100, 720, 900), 100);
	assert_int_equal(score_scaled(-1e300, cut, 100, 720, 900), 100);
	assert_int_equal(score_scaled(-INFINITY, cut, 100, 720, 900), 100);
	assert_int_equal(score_scaled(100.5, cut, 100, 720, 900), 900);
	assert_int_equal(score_scaled(1e300, cut, 100, 720, 900), 900);
	assert_int_equal(score_scaled(INFINITY, cut, 100, 720, 900), 900);
}

static void
scaled_other_cuts(void **state)
{
	(void)state;
	/* A+ (675 of 100..900) and Security+ (750). */
	assert_near(score_linear_cut(100, 675, 900), 71.875);
	assert_near(score_linear_cut(100, 750, 900), 81.25);
	assert_near(score_linear_cut(0, 70, 100), 70);
	assert_near(score_linear_cut(100, 100, 900), 0);
	assert_near(score_linear_cut(100, 900, 900), 100);
	/* A scale without width. */
	assert_near(score_linear_cut(500, 500, 500), 100);

	/* A cut above the linear one: 60% is 100..720, then 720..900. */
	assert_int_equal(score_scaled(60, 60, 100, 720, 900), 720);
	assert_int_equal(score_scaled(30, 60, 100, 720, 900), 410);
	assert_int_equal(score_scaled(80, 60, 100, 720, 900), 810);
	assert_int_equal(score_scaled(59.99, 60, 100, 720, 900), 719);
	assert_int_equal(score_scaled(85, 85, 100, 720, 900), 720);
	assert_int_equal(score_scaled(84.99, 85, 100, 720, 900), 719);
	assert_int_equal(score_scaled(92.5, 85, 100, 720, 900), 810);

	/* Cuts at the ends. */
	assert_int_equal(score_scaled(100, 100, 100, 720, 900), 900);
	assert_int_equal(score_scaled(99.99, 100, 100, 720, 900), 719);
	assert_int_equal(score_scaled(0, 0, 100, 720, 900), 720);
	assert_int_equal(score_scaled(50, 0, 100, 720, 900), 810);
}

static void
scaled_monotonic(void **state)
{
	static const double cuts[] = {60, 77.5, 85, 71.875, 81.25, 1, 99};

	(void)state;
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		int prev = -1;

		for (int k = 0; k <= 1000; k++) {
			double p = k / 10.0;
			int s = score_scaled(p, cuts[c], 100, 720, 900);

			if (s < prev || s < 100 || s > 900 ||
			    (p >= cuts[c]) != (s >= 720)) {
				print_error("cut %g: %g%% is %d (before: %d)\n",
				    cuts[c], p, s, prev);
				fail();
			}
			prev = s;
		}
		assert_int_equal(score_scaled(0, cuts[c], 100, 720, 900), 100);
		assert_int_equal(score_scaled(100, cuts[c], 100, 720, 900), 900);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_options_unshuffled),
		cmocka_unit_test(layout_options_shuffled),
		cmocka_unit_test(layout_true_false_never_shuffled),
		cmocka_unit_test(layout_ordering_never_correct),
		cmocka_unit_test(layout_matching),
		cmocka_unit_test(layout_fill_blank),
		cmocka_unit_test(answer_single_choice),
		cmocka_unit_test(answer_true_false),
		cmocka_unit_test(answer_multiple_select),
		cmocka_unit_test(answer_fill_blank),
		cmocka_unit_test(answer_matching),
		cmocka_unit_test(answer_ordering),
		cmocka_unit_test(answer_other),
		cmocka_unit_test(answer_through_layouts),
		cmocka_unit_test(credit_single_choice),
		cmocka_unit_test(credit_true_false),
		cmocka_unit_test(credit_multiple_select),
		cmocka_unit_test(credit_matching),
		cmocka_unit_test(credit_ordering),
		cmocka_unit_test(credit_fill_blank_text),
		cmocka_unit_test(credit_fill_blank_numeric),
		cmocka_unit_test(credit_fill_blank_hex_is_not_decimal),
		cmocka_unit_test(credit_other),
		cmocka_unit_test(view_options_hidden),
		cmocka_unit_test(view_options_revealed),
		cmocka_unit_test(view_matching),
		cmocka_unit_test(view_ordering),
		cmocka_unit_test(matching_distractors),
		cmocka_unit_test(credit_fill_blank_part),
		cmocka_unit_test(view_fill_blank),
		cmocka_unit_test(view_no_keys_before_reveal),
		cmocka_unit_test(apportion_network_plus),
		cmocka_unit_test(apportion_ties_and_zeros),
		cmocka_unit_test(apportion_sums),
		cmocka_unit_test(scaled_network_plus),
		cmocka_unit_test(scaled_other_cuts),
		cmocka_unit_test(scaled_monotonic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
