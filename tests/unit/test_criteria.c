/*
 * test_criteria.c - achievement criteria (src/gamify/criteria.h):
 * criteria_check, which accepts exactly the fields of each type and says
 * why not otherwise, and criteria_progress, which measures a learner's
 * stats against them.  Messages are pinned down where the brief names
 * them, since the message also shows which rule refused the criteria.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "gamify/criteria.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* One well-formed criteria object of each type, and its fields. */
static const struct example {
	const char	*json;
	const char	*fields[5];	/* besides "type"; NULL-terminated */
	const char	*target;
} examples[] = {
	{"{\"type\": \"quiz_completed\", \"count\": 10}", {"count"},
	    "count"},
	{"{\"type\": \"perfect_quiz\", \"count\": 1}", {"count"}, "count"},
	{"{\"type\": \"high_score_quiz\", \"count\": 5}", {"count"}, "count"},
	{"{\"type\": \"correct_answers\", \"count\": 100}", {"count"},
	    "count"},
	{"{\"type\": \"study_streak\", \"days\": 7}", {"days"}, "days"},
	{"{\"type\": \"level_reached\", \"level\": 5}", {"level"}, "level"},
	{"{\"type\": \"exam_specific\", \"exam\": \"network\", \"count\": 3}",
	    {"exam", "count"}, "count"},
	{"{\"type\": \"lessons_completed\", \"count\": 10}", {"count"},
	    "count"},
	{"{\"type\": \"study_time\", \"minutes\": 600}", {"minutes"},
	    "minutes"},
	{"{\"type\": \"flashcard_reviews\", \"count\": 100}", {"count"},
	    "count"},
	{"{\"type\": \"likes_received\", \"count\": 25}", {"count"},
	    "count"},
	{"{\"type\": \"accepted_answers\", \"count\": 1}", {"count"},
	    "count"},
	{"{\"type\": \"domain_mastery\", \"exam\": \"network\", "
	    "\"domain\": \"1.0\", \"percent\": 80, \"questions\": 20}",
	    {"exam", "domain", "percent", "questions"}, "questions"},
};

/* The types measured by one plain stats number, and that number. */
static const struct counter {
	const char	*type;
	const char	*target;
	const char	*stat;
} counters[] = {
	{"quiz_completed", "count", "quizzes"},
	{"perfect_quiz", "count", "perfect"},
	{"high_score_quiz", "count", "high"},
	{"correct_answers", "count", "correct"},
	{"study_streak", "days", "longest_streak"},
	{"level_reached", "level", "level"},
	{"lessons_completed", "count", "lessons"},
	{"flashcard_reviews", "count", "reviews"},
	{"likes_received", "count", "likes_received"},
	{"accepted_answers", "count", "accepted_answers"},
};

static json_t *
parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &e);

	if (j == NULL) {
		print_error("bad JSON in the test: %s: %s\n", text, e.text);
		fail();
	}
	return j;
}

/* criteria_check on a JSON value, which it takes over (NULL is passed). */
static const char *
check_of(json_t *c)
{
	const char *why = criteria_check(c);

	json_decref(c);
	return why;
}

/* criteria_check on text, with field set to v (taken over) or, v NULL,
 * removed; field NULL changes nothing. */
static const char *
check_with(const char *text, const char *field, json_t *v)
{
	json_t *c = parse(text);

	if (field != NULL && v != NULL)
		assert_int_equal(json_object_set_new(c, field, v), 0);
	else if (field != NULL)
		assert_int_equal(json_object_del(c, field), 0);
	return check_of(c);
}

static void
expect(const char *what, const char *why, const char *message)
{
	if (message == NULL && why != NULL) {
		print_error("%s refused: %s\n", what, why);
		fail();
	}
	if (message != NULL && why == NULL) {
		print_error("%s accepted, expected \"%s\"\n", what, message);
		fail();
	}
	if (message != NULL && strcmp(why, message) != 0) {
		print_error("%s: \"%s\", expected \"%s\"\n", what, why, message);
		fail();
	}
}

#define assert_check(text, message)					\
	expect((text), check_with((text), NULL, NULL), (message))

struct result {
	bool	met;
	long	have, need;
};

/* criteria_progress on values it takes over (either may be NULL), with
 * have and need set beforehand to values it must overwrite. */
static struct result
progress_of(json_t *c, json_t *stats)
{
	struct result r = {true, -7, -7};

	r.met = criteria_progress(c, stats, &r.have, &r.need);
	json_decref(c);
	json_decref(stats);
	return r;
}

static void
expect_progress(const char *what, struct result r, long have, long need,
    bool met)
{
	if (r.have != have || r.need != need || r.met != met) {
		print_error("%s: %ld of %ld, %s; expected %ld of %ld, %s\n",
		    what, r.have, r.need, r.met ? "met" : "not met", have,
		    need, met ? "met" : "not met");
		fail();
	}
}

/* Progress on JSON texts; stats NULL passes a NULL stats. */
#define assert_progress(criteria, stats, have, need, met)		\
	expect_progress((criteria), progress_of(parse(criteria),	\
	    (stats) != NULL ? parse(stats) : NULL), (have), (need), (met))

static struct result
counter_progress(const struct counter *k, long target, json_int_t got)
{
	return progress_of(json_pack("{s:s, s:I}", "type", k->type, k->target,
	    (json_int_t)target), json_pack("{s:I}", k->stat, got));
}

/* --- criteria_check ------------------------------------------------- */

static void
check_accepts_every_type(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(examples); i++)
		assert_check(examples[i].json, NULL);
}

static void
check_not_an_object(void **state)
{
	static const char *const texts[] = {"[]", "[{\"type\": "
	    "\"quiz_completed\", \"count\": 1}]", "\"quiz_completed\"", "5",
	    "null", "true"};

	(void)state;
	expect("NULL", criteria_check(NULL), "criteria must be an object");
	for (size_t i = 0; i < NELEM(texts); i++)
		assert_check(texts[i], "criteria must be an object");
}

static void
check_type_missing_or_not_a_string(void **state)
{
	static const char *const types[] = {"5", "null", "true",
	    "[\"quiz_completed\"]", "{}", "1.5"};
	char text[128];

	(void)state;
	assert_check("{}", "type is missing");
	assert_check("{\"count\": 10}", "type is missing");
	for (size_t i = 0; i < NELEM(types); i++) {
		snprintf(text, sizeof(text), "{\"type\": %s, \"count\": 10}",
		    types[i]);
		assert_check(text, "type must be a string");
	}
}

static void
check_unknown_type(void **state)
{
	(void)state;
	assert_check("{\"type\": \"x\", \"count\": 10}", "unknown type \"x\"");
	assert_check("{\"type\": \"\"}", "unknown type \"\"");
	assert_check("{\"type\": \"Quiz_completed\", \"count\": 10}",
	    "unknown type \"Quiz_completed\"");
	assert_check("{\"type\": \"quiz_completed \", \"count\": 10}",
	    "unknown type \"quiz_completed \"");
	assert_check("{\"type\": \"quiz\", \"count\": 10}",
	    "unknown type \"quiz\"");
}

/* "quiz_completed\0x" is not quiz_completed, though C reads it so. */
static void
check_type_with_nul(void **state)
{
	json_t *c = parse("{\"count\": 10}");

	(void)state;
	json_object_set_new(c, "type", json_stringn("quiz_completed\0x", 16));
	expect("type with a NUL", check_of(c), "unknown type");
}

/* A long name is quoted in part, cut where a character starts. */
static void
check_long_type_quoted_in_part(void **state)
{
	char name[64], want[96];
	const char *why;
	json_t *s;

	(void)state;
	memset(name, 'a', 50);
	name[50] = '\0';
	snprintf(want, sizeof(want), "unknown type \"%.40s...\"", name);
	why = check_of(json_pack("{s:s}", "type", name));
	expect("50 a's", why, want);

	/* 39 a's then "é" (2 bytes): byte 40 is the middle of the é. */
	memset(name, 'a', 39);
	strcpy(name + 39, "\xc3\xa9zzzz");
	snprintf(want, sizeof(want), "unknown type \"%.39s...\"", name);
	why = check_of(json_pack("{s:s}", "type", name));
	expect("39 a's then é", why, want);
	s = json_string(why);
	assert_non_null(s);	/* still UTF-8 */
	json_decref(s);
}

static void
check_missing_field_every_type(void **state)
{
	char want[64];

	(void)state;
	for (size_t i = 0; i < NELEM(examples); i++) {
		const struct example *e = &examples[i];

		for (size_t f = 0; e->fields[f] != NULL; f++) {
			snprintf(want, sizeof(want), "%s is missing",
			    e->fields[f]);
			expect(e->json, check_with(e->json, e->fields[f], NULL),
			    want);
		}
		expect(e->json, check_with(e->json, "type", NULL),
		    "type is missing");
	}
}

static void
check_extra_field_every_type(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(examples); i++) {
		const char *j = examples[i].json;

		expect(j, check_with(j, "foo", json_integer(1)),
		    "unknown field \"foo\"");
		expect(j, check_with(j, "Count", json_integer(1)),
		    "unknown field \"Count\"");
		expect(j, check_with(j, "", json_null()), "unknown field \"\"");
	}
	/* Fields of other types are extra too. */
	assert_check("{\"type\": \"quiz_completed\", \"count\": 10, "
	    "\"exam\": \"network\"}", "unknown field \"exam\"");
	assert_check("{\"type\": \"study_streak\", \"days\": 7, "
	    "\"count\": 7}", "unknown field \"count\"");
	assert_check("{\"type\": \"study_time\", \"minutes\": 600, "
	    "\"count\": 1}", "unknown field \"count\"");
	assert_check("{\"type\": \"exam_specific\", \"exam\": \"network\", "
	    "\"count\": 3, \"domain\": \"1.0\"}", "unknown field \"domain\"");
	assert_check("{\"type\": \"domain_mastery\", \"exam\": \"network\", "
	    "\"domain\": \"1.0\", \"percent\": 80, \"questions\": 20, "
	    "\"count\": 20}", "unknown field \"count\"");
}

/* A misspelt field is reported as the one that is missing. */
static void
check_missing_before_extra(void **state)
{
	(void)state;
	assert_check("{\"type\": \"quiz_completed\", \"cuont\": 10}",
	    "count is missing");
}

/* "count\0x" is a key of its own, which C would read as "count". */
static void
check_key_with_nul(void **state)
{
	json_t *c = parse("{\"type\": \"quiz_completed\", \"count\": 10}");

	(void)state;
	json_object_setn_new(c, "count\0x", 7, json_integer(10));
	assert_int_equal(json_object_size(c), 3);
	expect("key with a NUL", check_of(c), "unknown field");
}

/* Every target (count, days, level, minutes, questions) of every type. */
static void
check_target_values_every_type(void **state)
{
	static const char *const bad[] = {"0", "-1", "1000001",
	    "1000000000000000000", "10.0", "1.5", "\"10\"", "true", "null",
	    "[10]", "{}"};
	char want[96];

	(void)state;
	for (size_t i = 0; i < NELEM(examples); i++) {
		const struct example *e = &examples[i];
		const char *t = e->target;

		expect(e->json, check_with(e->json, t, json_integer(1)), NULL);
		expect(e->json, check_with(e->json, t, json_integer(1000000)),
		    NULL);
		snprintf(want, sizeof(want),
		    "%s must be a whole number from 1 to 1000000", t);
		for (size_t b = 0; b < NELEM(bad); b++) {
			char what[256];

			snprintf(what, sizeof(what), "%s with %s: %s", e->json, t,
			    bad[b]);
			expect(what, check_with(e->json, t,
			    json_loads(bad[b], JSON_DECODE_ANY, NULL)), want);
		}
	}
}

static const char *const exam_specific =
    "{\"type\": \"exam_specific\", \"exam\": \"network\", \"count\": 3}";
static const char *const domain_mastery =
    "{\"type\": \"domain_mastery\", \"exam\": \"network\", "
    "\"domain\": \"1.0\", \"percent\": 80, \"questions\": 20}";

/* exam, in both types that have one. */
static void
check_exam_codes(void **state)
{
	static const char *const good[] = {"network", "ab", "a1", "1a", "00",
	    "security-plus", "a-", "a--b",
	    "abcdefghijklmnopqrstuvwxyz012345"};
	static const char *const bad[] = {"", "a", "-ab", "Network",
	    "net work", "net_work", "net.work", "n\xc3\xa9twork", " network",
	    "abcdefghijklmnopqrstuvwxyz0123456"};
	const char *const types[] = {exam_specific, domain_mastery};
	const char *msg = "exam must be an exam code such as network";

	(void)state;
	for (size_t t = 0; t < NELEM(types); t++) {
		for (size_t i = 0; i < NELEM(good); i++)
			expect(good[i], check_with(types[t], "exam",
			    json_string(good[i])), NULL);
		for (size_t i = 0; i < NELEM(bad); i++)
			expect(bad[i], check_with(types[t], "exam",
			    json_string(bad[i])), msg);
		expect("5", check_with(types[t], "exam", json_integer(5)), msg);
		expect("null", check_with(types[t], "exam", json_null()), msg);
		expect("[\"network\"]", check_with(types[t], "exam",
		    json_pack("[s]", "network")), msg);
		expect("network\\0x", check_with(types[t], "exam",
		    json_stringn("network\0x", 9)), msg);
	}
}

static void
check_domain_codes(void **state)
{
	static const char *const good[] = {"1.0", "12.0", "0.0", "09.0"};
	static const char *const bad[] = {"", "1", "1.", ".0", "123.0", "1.1",
	    "1.00", "a.0", "1.0 ", " 1.0", "1,0", "-1.0"};
	const char *msg = "domain must be a domain code such as 2.0";

	(void)state;
	for (size_t i = 0; i < NELEM(good); i++)
		expect(good[i], check_with(domain_mastery, "domain",
		    json_string(good[i])), NULL);
	for (size_t i = 0; i < NELEM(bad); i++)
		expect(bad[i], check_with(domain_mastery, "domain",
		    json_string(bad[i])), msg);
	expect("1.0 (a number)", check_with(domain_mastery, "domain",
	    json_real(1.0)), msg);
	expect("1", check_with(domain_mastery, "domain", json_integer(1)),
	    msg);
	expect("null", check_with(domain_mastery, "domain", json_null()), msg);
	expect("1.0\\0x", check_with(domain_mastery, "domain",
	    json_stringn("1.0\0x", 5)), msg);
}

static void
check_percent(void **state)
{
	static const char *const bad[] = {"0", "-1", "101", "1000", "80.0",
	    "79.5", "\"80\"", "true", "null"};
	const char *msg = "percent must be 1 to 100";

	(void)state;
	expect("1", check_with(domain_mastery, "percent", json_integer(1)),
	    NULL);
	expect("100", check_with(domain_mastery, "percent", json_integer(100)),
	    NULL);
	for (size_t i = 0; i < NELEM(bad); i++)
		expect(bad[i], check_with(domain_mastery, "percent",
		    json_loads(bad[i], JSON_DECODE_ANY, NULL)), msg);
}

/* Measuring has a buffer of its own: a message from criteria_check is not
 * overwritten by criteria_progress on other bad criteria. */
static void
check_message_survives_progress(void **state)
{
	json_t *c = parse("{\"type\": \"x\"}");
	const char *why = criteria_check(c);

	(void)state;
	json_decref(c);
	expect_progress("{\"type\": \"y\"}", progress_of(parse("{\"type\": "
	    "\"y\"}"), NULL), 0, 1, false);
	expect("x", why, "unknown type \"x\"");
}

/* --- criteria_progress ---------------------------------------------- */

/* Each plain counter: one below, exactly at, and past the target. */
static void
progress_counters(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(counters); i++) {
		const struct counter *k = &counters[i];

		expect_progress(k->type, counter_progress(k, 5, 0), 0, 5,
		    false);
		expect_progress(k->type, counter_progress(k, 5, 4), 4, 5,
		    false);
		expect_progress(k->type, counter_progress(k, 5, 5), 5, 5, true);
		expect_progress(k->type, counter_progress(k, 5, 6), 5, 5, true);
		expect_progress(k->type, counter_progress(k, 1, 0), 0, 1,
		    false);
		expect_progress(k->type, counter_progress(k, 1, 1), 1, 1, true);
		expect_progress(k->type, counter_progress(k, 1000000, 999999),
		    999999, 1000000, false);
		/* have is capped however large the number is */
		expect_progress(k->type, counter_progress(k, 1000000,
		    INT64_MAX), 1000000, 1000000, true);
	}
}

/* Each counter reads its own number, not one of the others'. */
static void
progress_counters_read_their_own_number(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(counters); i++) {
		json_t *stats = json_pack("{s:I, s:{s:I}, s:{s:{s:I, s:I}}}",
		    "study_seconds", (json_int_t)100000, "exams", "network",
		    (json_int_t)1000, "domains", "network 1.0", "answered",
		    (json_int_t)1000, "correct", (json_int_t)1000);

		for (size_t o = 0; o < NELEM(counters); o++)
			if (strcmp(counters[o].stat, counters[i].stat) != 0)
				json_object_set_new(stats, counters[o].stat,
				    json_integer(1000));
		expect_progress(counters[i].type, progress_of(json_pack(
		    "{s:s, s:i}", "type", counters[i].type, counters[i].target,
		    5), stats), 0, 5, false);
	}
}

/* Stats missing, or not a number where one is wanted: 0. */
static void
progress_counters_bad_stats(void **state)
{
	static const char *const values[] = {"\"10\"", "10.0", "1e3", "true",
	    "null", "[10]", "{\"n\": 10}", "-5", "-9223372036854775808"};
	static const char *const whole[] = {"[]", "\"x\"", "5", "null",
	    "true"};

	(void)state;
	for (size_t i = 0; i < NELEM(counters); i++) {
		const struct counter *k = &counters[i];
		json_t *c = json_pack("{s:s, s:i}", "type", k->type,
		    k->target, 5);

		expect_progress(k->type, progress_of(json_incref(c), NULL),
		    0, 5, false);
		expect_progress(k->type, progress_of(json_incref(c),
		    json_object()), 0, 5, false);
		for (size_t w = 0; w < NELEM(whole); w++)
			expect_progress(whole[w], progress_of(json_incref(c),
			    parse(whole[w])), 0, 5, false);
		for (size_t v = 0; v < NELEM(values); v++)
			expect_progress(values[v], progress_of(json_incref(c),
			    json_pack("{s:o}", k->stat, parse(values[v]))), 0, 5,
			    false);
		json_decref(c);
	}
}

static void
progress_need_is_the_target(void **state)
{
	(void)state;
	assert_progress("{\"type\": \"quiz_completed\", \"count\": 12}", "{}",
	    0, 12, false);
	assert_progress("{\"type\": \"study_streak\", \"days\": 30}", "{}",
	    0, 30, false);
	assert_progress("{\"type\": \"level_reached\", \"level\": 9}", "{}",
	    0, 9, false);
	assert_progress("{\"type\": \"study_time\", \"minutes\": 600}", "{}",
	    0, 600, false);
	assert_progress("{\"type\": \"exam_specific\", \"exam\": \"network\", "
	    "\"count\": 3}", "{}", 0, 3, false);
	assert_progress("{\"type\": \"domain_mastery\", \"exam\": \"network\", "
	    "\"domain\": \"1.0\", \"percent\": 80, \"questions\": 20}", "{}",
	    0, 20, false);
}

/* The header's example stats against its example criteria. */
static void
progress_header_example(void **state)
{
	static const char *const stats = "{\"quizzes\": 12, \"perfect\": 1, "
	    "\"high\": 4, \"correct\": 230, \"longest_streak\": 9, "
	    "\"level\": 4, \"lessons\": 11, \"study_seconds\": 40000, "
	    "\"reviews\": 350, \"likes_received\": 12, "
	    "\"accepted_answers\": 2, "
	    "\"exams\": {\"network\": 7}, \"domains\": {\"network 1.0\": "
	    "{\"answered\": 40, \"correct\": 33}}}";
	static const struct {
		long	have, need;
		bool	met;
	} want[NELEM(examples)] = {
		{10, 10, true}, {1, 1, true}, {4, 5, false}, {100, 100, true},
		{7, 7, true}, {4, 5, false}, {3, 3, true}, {10, 10, true},
		{600, 600, true}, {100, 100, true}, {12, 25, false},
		{1, 1, true}, {20, 20, true},
	};

	(void)state;
	for (size_t i = 0; i < NELEM(examples); i++)
		assert_progress(examples[i].json, stats, want[i].have,
		    want[i].need, want[i].met);
}

static void
progress_study_time_minutes(void **state)
{
	const char *ten = "{\"type\": \"study_time\", \"minutes\": 10}";
	const char *one = "{\"type\": \"study_time\", \"minutes\": 1}";

	(void)state;
	assert_progress(ten, "{\"study_seconds\": 599}", 9, 10, false);
	assert_progress(ten, "{\"study_seconds\": 600}", 10, 10, true);
	assert_progress(ten, "{\"study_seconds\": 659}", 10, 10, true);
	assert_progress(ten, "{\"study_seconds\": 540}", 9, 10, false);
	assert_progress(ten, "{\"study_seconds\": 1000000000}", 10, 10, true);
	assert_progress(ten, "{\"study_seconds\": 9223372036854775807}", 10,
	    10, true);
	assert_progress(one, "{\"study_seconds\": 59}", 0, 1, false);
	assert_progress(one, "{\"study_seconds\": 60}", 1, 1, true);
	/* minutes are not read as seconds, nor another number as time */
	assert_progress(ten, "{\"study_seconds\": 10}", 0, 10, false);
	assert_progress(ten, "{\"minutes\": 600, \"quizzes\": 600}", 0, 10,
	    false);
	assert_progress(ten, "{\"study_seconds\": 600.0}", 0, 10, false);
	assert_progress(ten, "{\"study_seconds\": \"600\"}", 0, 10, false);
	assert_progress(ten, "{\"study_seconds\": -600}", 0, 10, false);
	assert_progress(ten, NULL, 0, 10, false);
}

static void
progress_exam_specific(void **state)
{
	const char *c = "{\"type\": \"exam_specific\", \"exam\": \"network\", "
	    "\"count\": 3}";

	(void)state;
	assert_progress(c, "{\"exams\": {\"network\": 3}}", 3, 3, true);
	assert_progress(c, "{\"exams\": {\"network\": 2}}", 2, 3, false);
	assert_progress(c, "{\"exams\": {\"network\": 70}}", 3, 3, true);
	/* no entry for the exam, or for any */
	assert_progress(c, "{\"exams\": {\"security\": 9}}", 0, 3, false);
	assert_progress(c, "{\"exams\": {}}", 0, 3, false);
	assert_progress(c, "{\"quizzes\": 9}", 0, 3, false);
	assert_progress(c, NULL, 0, 3, false);
	/* another exam's count */
	assert_progress("{\"type\": \"exam_specific\", \"exam\": "
	    "\"security-plus\", \"count\": 2}", "{\"exams\": "
	    "{\"network\": 1, \"security-plus\": 2}}", 2, 2, true);
	assert_progress("{\"type\": \"exam_specific\", \"exam\": "
	    "\"security-plus\", \"count\": 2}", "{\"exams\": "
	    "{\"network\": 9}}", 0, 2, false);
	/* the exam's code must match exactly */
	assert_progress(c, "{\"exams\": {\"Network\": 9, \"network \": 9, "
	    "\"networks\": 9}}", 0, 3, false);
	/* wrong types */
	assert_progress(c, "{\"exams\": [3]}", 0, 3, false);
	assert_progress(c, "{\"exams\": 3}", 0, 3, false);
	assert_progress(c, "{\"exams\": {\"network\": \"3\"}}", 0, 3, false);
	assert_progress(c, "{\"exams\": {\"network\": 3.0}}", 0, 3, false);
	assert_progress(c, "{\"exams\": {\"network\": -3}}", 0, 3, false);
	assert_progress(c, "{\"exams\": {\"network\": {\"count\": 3}}}", 0,
	    3, false);
}

static const char *const mastery =
    "{\"type\": \"domain_mastery\", \"exam\": \"network\", "
    "\"domain\": \"1.0\", \"percent\": 80, \"questions\": 20}";

static struct result
mastery_of(long percent, long questions, json_int_t answered,
    json_int_t correct)
{
	return progress_of(json_pack("{s:s, s:s, s:s, s:i, s:i}", "type",
	    "domain_mastery", "exam", "network", "domain", "1.0", "percent",
	    (int)percent, "questions", (int)questions),
	    json_pack("{s:{s:{s:I, s:I}}}", "domains", "network 1.0",
	    "answered", answered, "correct", correct));
}

static void
progress_domain_mastery_share(void **state)
{
	(void)state;
	/* exactly the percent passes, one answer fewer right does not */
	expect_progress("20 of 20, 16 right", mastery_of(80, 20, 20, 16), 20,
	    20, true);
	expect_progress("20 of 20, 15 right", mastery_of(80, 20, 20, 15), 19,
	    20, false);
	expect_progress("20 of 20, all right", mastery_of(80, 20, 20, 20), 20,
	    20, true);
	/* more answered than asked: capped, the share over all of them */
	expect_progress("40, 32 right", mastery_of(80, 20, 40, 32), 20, 20,
	    true);
	expect_progress("40, 31 right", mastery_of(80, 20, 40, 31), 19, 20,
	    false);
	/* a share that is not a whole number of answers: 7 of 9 is 77.8 % */
	expect_progress("9, 7 right at 78 %", mastery_of(78, 5, 9, 7), 4, 5,
	    false);
	expect_progress("9, 7 right at 77 %", mastery_of(77, 5, 9, 7), 5, 5,
	    true);
	/* 100 % and 1 % at their edges */
	expect_progress("100 %, one wrong", mastery_of(100, 10, 10, 9), 9, 10,
	    false);
	expect_progress("100 %, none wrong", mastery_of(100, 10, 10, 10), 10,
	    10, true);
	expect_progress("1 %, 1 of 100", mastery_of(1, 100, 100, 1), 100, 100,
	    true);
	expect_progress("1 %, 0 of 100", mastery_of(1, 100, 100, 0), 99, 100,
	    false);
	expect_progress("1 %, 1 of 101", mastery_of(1, 100, 101, 1), 99, 100,
	    false);
	expect_progress("1 %, 2 of 101", mastery_of(1, 100, 101, 2), 100, 100,
	    true);
	/* one question, answered wrong: 0 of 1, not complete */
	expect_progress("1 question, wrong", mastery_of(50, 1, 1, 0), 0, 1,
	    false);
}

static void
progress_domain_mastery_too_few_answered(void **state)
{
	(void)state;
	/* all right, but one short of the questions asked */
	expect_progress("19, all right", mastery_of(80, 20, 19, 19), 19, 20,
	    false);
	expect_progress("0", mastery_of(80, 20, 0, 0), 0, 20, false);
	expect_progress("5, all right", mastery_of(80, 20, 5, 5), 5, 20,
	    false);
	/* correct past answered is bad data, still not enough answers */
	expect_progress("19, 50 right", mastery_of(80, 20, 19, 50), 19, 20,
	    false);
}

/* Numbers far past what a product of two can hold. */
static void
progress_domain_mastery_huge_numbers(void **state)
{
	json_int_t a = 9000000000000000000;

	(void)state;
	expect_progress("huge, 80 %", mastery_of(80, 20, a, a / 100 * 80),
	    20, 20, true);
	expect_progress("huge, just under 80 %", mastery_of(80, 20, a,
	    a / 100 * 80 - 1), 19, 20, false);
	expect_progress("max, 100 %", mastery_of(100, 20, INT64_MAX,
	    INT64_MAX), 20, 20, true);
	expect_progress("max, one wrong", mastery_of(100, 20, INT64_MAX,
	    INT64_MAX - 1), 19, 20, false);
	expect_progress("max, 99 %", mastery_of(99, 20, INT64_MAX,
	    INT64_MAX - 1), 20, 20, true);
}

static void
progress_domain_mastery_lookup(void **state)
{
	(void)state;
	assert_progress(mastery, "{\"domains\": {\"network 1.0\": "
	    "{\"answered\": 20, \"correct\": 20}}}", 20, 20, true);
	/* another domain, another exam, or the key spelt otherwise */
	assert_progress(mastery, "{\"domains\": {\"network 2.0\": "
	    "{\"answered\": 20, \"correct\": 20}, \"security 1.0\": "
	    "{\"answered\": 20, \"correct\": 20}, \"network1.0\": "
	    "{\"answered\": 20, \"correct\": 20}, \"network  1.0\": "
	    "{\"answered\": 20, \"correct\": 20}}}", 0, 20, false);
	/* not nested under domains */
	assert_progress(mastery, "{\"network 1.0\": {\"answered\": 20, "
	    "\"correct\": 20}, \"answered\": 20, \"correct\": 20}", 0, 20,
	    false);
	/* missing */
	assert_progress(mastery, NULL, 0, 20, false);
	assert_progress(mastery, "{}", 0, 20, false);
	assert_progress(mastery, "{\"domains\": {}}", 0, 20, false);
	assert_progress(mastery, "{\"domains\": {\"network 1.0\": {}}}", 0,
	    20, false);
	/* correct missing: enough answered, none right */
	assert_progress(mastery, "{\"domains\": {\"network 1.0\": "
	    "{\"answered\": 20}}}", 19, 20, false);
}

static void
progress_domain_mastery_bad_stats(void **state)
{
	static const char *const bad[] = {"\"20\"", "20.0", "true", "null",
	    "[20]", "-20"};
	char stats[160];

	(void)state;
	assert_progress(mastery, "{\"domains\": []}", 0, 20, false);
	assert_progress(mastery, "{\"domains\": \"network 1.0\"}", 0, 20,
	    false);
	assert_progress(mastery, "{\"domains\": {\"network 1.0\": [20, 20]}}",
	    0, 20, false);
	assert_progress(mastery, "{\"domains\": {\"network 1.0\": 20}}", 0, 20,
	    false);
	for (size_t i = 0; i < NELEM(bad); i++) {
		/* answered of the wrong type: nothing answered */
		snprintf(stats, sizeof(stats), "{\"domains\": {\"network 1.0\": "
		    "{\"answered\": %s, \"correct\": 20}}}", bad[i]);
		assert_progress(mastery, stats, 0, 20, false);
		/* correct of the wrong type: none right */
		snprintf(stats, sizeof(stats), "{\"domains\": {\"network 1.0\": "
		    "{\"answered\": 20, \"correct\": %s}}}", bad[i]);
		assert_progress(mastery, stats, 19, 20, false);
	}
}

/* Malformed criteria are 0 of 1 and never met, whatever the stats. */
static void
progress_malformed_criteria(void **state)
{
	static const char *const bad[] = {
		"[]", "null", "\"quiz_completed\"", "{}",
		"{\"type\": \"x\", \"count\": 1}",
		"{\"type\": \"quiz_completed\"}",
		"{\"type\": \"quiz_completed\", \"count\": 0}",
		"{\"type\": \"quiz_completed\", \"count\": 1, \"foo\": 1}",
		"{\"type\": \"exam_specific\", \"exam\": \"Network\", "
		    "\"count\": 1}",
		"{\"type\": \"study_time\", \"minutes\": 1.0}",
		"{\"type\": \"domain_mastery\", \"exam\": \"network\", "
		    "\"domain\": \"1.0\", \"percent\": 0, \"questions\": 1}",
		"{\"type\": \"domain_mastery\", \"exam\": \"network\", "
		    "\"domain\": \"1\", \"percent\": 50, \"questions\": 1}",
	};
	static const char *const stats = "{\"quizzes\": 100, "
	    "\"study_seconds\": 100000, \"exams\": {\"network\": 100, "
	    "\"Network\": 100}, \"domains\": {\"network 1.0\": "
	    "{\"answered\": 100, \"correct\": 100}, \"network 1\": "
	    "{\"answered\": 100, \"correct\": 100}}}";

	(void)state;
	expect_progress("NULL", progress_of(NULL, parse(stats)), 0, 1, false);
	for (size_t i = 0; i < NELEM(bad); i++) {
		assert_progress(bad[i], stats, 0, 1, false);
		assert_progress(bad[i], NULL, 0, 1, false);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_accepts_every_type),
		cmocka_unit_test(check_not_an_object),
		cmocka_unit_test(check_type_missing_or_not_a_string),
		cmocka_unit_test(check_unknown_type),
		cmocka_unit_test(check_type_with_nul),
		cmocka_unit_test(check_long_type_quoted_in_part),
		cmocka_unit_test(check_missing_field_every_type),
		cmocka_unit_test(check_extra_field_every_type),
		cmocka_unit_test(check_missing_before_extra),
		cmocka_unit_test(check_key_with_nul),
		cmocka_unit_test(check_target_values_every_type),
		cmocka_unit_test(check_exam_codes),
		cmocka_unit_test(check_domain_codes),
		cmocka_unit_test(check_percent),
		cmocka_unit_test(check_message_survives_progress),
		cmocka_unit_test(progress_counters),
		cmocka_unit_test(progress_counters_read_their_own_number),
		cmocka_unit_test(progress_counters_bad_stats),
		cmocka_unit_test(progress_need_is_the_target),
		cmocka_unit_test(progress_header_example),
		cmocka_unit_test(progress_study_time_minutes),
		cmocka_unit_test(progress_exam_specific),
		cmocka_unit_test(progress_domain_mastery_share),
		cmocka_unit_test(progress_domain_mastery_too_few_answered),
		cmocka_unit_test(progress_domain_mastery_huge_numbers),
		cmocka_unit_test(progress_domain_mastery_lookup),
		cmocka_unit_test(progress_domain_mastery_bad_stats),
		cmocka_unit_test(progress_malformed_criteria),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
