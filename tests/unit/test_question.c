/*
 * test_question.c - the rules of a question object (src/assessment/
 * question.h, docs/questions.md): question_normalize brings a good object
 * of each type to normal form (defaults, trimmed texts, derived domain,
 * true/false reordered, fill_blank defaults) and refuses a bad one with the
 * field path of every mistake; question_errors_text formats and truncates;
 * question_hash depends on type, stem and body only; question_type and
 * question_has_options.  Messages are not pinned down, only the paths.
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

#include "assessment/question.h"

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

/* A JSON string of n copies of unit. */
static json_t *
long_string(const char *unit, size_t n)
{
	char *s = repeat(unit, n);
	json_t *j = json_string(s);

	free(s);
	assert_non_null(j);
	return j;
}

/*
 * Sets (v) or deletes (v NULL) the value at path in q: "stem",
 * "body.options[2].text", "objectives[0]".  An array index one past the
 * end appends.  v is taken over.
 */
static void
put(json_t *q, const char *path, json_t *v)
{
	json_t *cur = q;
	const char *p = path;

	for (;;) {
		char name[128];
		size_t n = strcspn(p, ".[");
		json_t *next;

		assert_true(n < sizeof(name));
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		assert_true(json_is_object(cur));
		if (*p == '\0') {
			if (v)
				assert_int_equal(json_object_set_new(cur, name, v), 0);
			else
				assert_int_equal(json_object_del(cur, name), 0);
			return;
		}
		next = json_object_get(cur, name);
		while (*p == '[') {
			char *end;
			size_t i = strtoul(p + 1, &end, 10);

			assert_int_equal(*end, ']');
			p = end + 1;
			assert_true(json_is_array(next));
			if (*p == '\0') {
				if (v == NULL)
					assert_int_equal(json_array_remove(next, i), 0);
				else if (i == json_array_size(next))
					assert_int_equal(json_array_append_new(next, v),
					    0);
				else
					assert_int_equal(json_array_set_new(next, i, v),
					    0);
				return;
			}
			next = json_array_get(next, i);
		}
		assert_int_equal(*p, '.');
		p++;
		cur = next;
	}
}

/* put with the value as JSON text (NULL: delete). */
static void
put_text(json_t *q, const char *path, const char *value)
{
	put(q, path, value ? parse(value) : NULL);
}

static void
assert_json_equal_(json_t *actual, const char *expected_text,
    const char *file, int line)
{
	json_t *expected = parse(expected_text);

	if (!json_equal(actual, expected)) {
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

static void
print_errors(const struct question_errors *err)
{
	for (int i = 0; i < err->count; i++)
		print_error("  %s: %s\n", err->e[i].field, err->e[i].message);
}

static bool
has_field(const struct question_errors *err, const char *field)
{
	for (int i = 0; i < err->count; i++)
		if (strcmp(err->e[i].field, field) == 0)
			return true;
	return false;
}

/* question_normalize of q (taken over) that must succeed. */
static json_t *
normal_of_(json_t *q, const char *status, const char *file, int line)
{
	struct question_errors err;
	json_t *n = question_normalize(q, status, &err);

	json_decref(q);
	if (n == NULL) {
		print_error("%s:%d: refused:\n", file, line);
		print_errors(&err);
		fail();
	}
	assert_int_equal(err.count, 0);
	return n;
}
#define normal_of(q, status) normal_of_((q), (status), __FILE__, __LINE__)

/* What refused_at is checking, for its messages. */
static char context[256];

/*
 * question_normalize of q (taken over) that must fail with every error at
 * field (one mistake, however many messages it gives).
 */
static void
refused_at_(json_t *q, const char *field, const char *file, int line)
{
	struct question_errors err;
	json_t *n = question_normalize(q, "draft", &err);
	char *dump = json_dumps(q, JSON_COMPACT | JSON_ENCODE_ANY);

	json_decref(q);
	if (n != NULL) {
		print_error("%s:%d: %s: accepted: %.300s\n", file, line,
		    context, dump);
		free(dump);
		json_decref(n);
		fail();
	}
	if (err.count < 1) {
		print_error("%s:%d: refused without errors\n", file, line);
		free(dump);
		fail();
	}
	for (int i = 0; i < err.count; i++)
		if (strcmp(err.e[i].field, field) != 0 ||
		    strlen(err.e[i].message) == 0) {
			print_error("%s:%d: %s: %.300s\n expected errors at %s "
			    "only, got:\n", file, line, context, dump, field);
			print_errors(&err);
			free(dump);
			fail();
		}
	free(dump);
}
#define refused_at(q, field) refused_at_((q), (field), __FILE__, __LINE__)

/* ---- good questions, one per type --------------------------------------- */

static const char SINGLE[] =
    "{\"type\": \"single_choice\","
    " \"stem\": \"  Which port does SSH listen on by default?\\n \","
    " \"exam\": \"network\", \"objectives\": [\"1.4\"],"
    " \"body\": {\"options\": ["
    "  {\"key\": \"A\", \"text\": \" 21 \", \"correct\": false},"
    "  {\"key\": \"B\", \"text\": \"22\", \"explanation\": \" SSH. \","
    "   \"correct\": true},"
    "  {\"key\": \"C\", \"text\": \"23\", \"explanation\": null},"
    "  {\"key\": \"D\", \"text\": \"3389\", \"explanation\": \"\"}]}}";

static const char MULTI[] =
    "{\"external_id\": \"N10-009:0042_b.1\", \"type\": \"multiple_select\","
    " \"stem\": \"Which two are link-state protocols? (Choose two.)\","
    " \"explanation\": \"  OSPF and IS-IS flood link states.  \","
    " \"exam\": \"network\", \"domain\": \"2.0\","
    " \"objectives\": [\"2.1\", \"2.3\"], \"difficulty\": 4,"
    " \"tags\": [\"routing\", \"link-state\"], \"status\": \"active\","
    " \"body\": {\"options\": ["
    "  {\"key\": \"A\", \"text\": \"OSPF\", \"correct\": true},"
    "  {\"key\": \"B\", \"text\": \"RIP\", \"correct\": false},"
    "  {\"key\": \"C\", \"text\": \"IS-IS\", \"correct\": true},"
    "  {\"key\": \"D\", \"text\": \"EIGRP\"}]}}";

static const char TRUE_FALSE[] =
    "{\"type\": \"true_false\","
    " \"stem\": \"Telnet encrypts its traffic.\","
    " \"body\": {\"options\": ["
    "  {\"key\": \"false\", \"text\": \"False\", \"correct\": true,"
    "   \"explanation\": \"It is plain text.\"},"
    "  {\"key\": \"true\", \"text\": \"True\"}]}}";

static const char FILL[] =
    "{\"type\": \"fill_blank\","
    " \"stem\": \"The default subnet mask of a /24 is ____.\","
    " \"body\": {\"answers\": [{\"text\": \" 255.255.255.0 \"}]}}";

static const char MATCHING[] =
    "{\"type\": \"matching\", \"stem\": \"Match each protocol to its port.\","
    " \"exam\": \"network\", \"objectives\": [\"1.4\"],"
    " \"body\": {\"pairs\": ["
    "  {\"key\": \"1\", \"left\": \" SSH\", \"right\": \"22 \","
    "   \"explanation\": \"Secure Shell.\"},"
    "  {\"key\": \"2\", \"left\": \"Telnet\", \"right\": \"23\"},"
    "  {\"key\": \"3\", \"left\": \"RDP\", \"right\": \"3389\"}]}}";

static const char ORDERING[] =
    "{\"type\": \"ordering\", \"stem\": \"Put the OSI layers in order.\","
    " \"body\": {\"items\": ["
    "  {\"key\": \"A\", \"text\": \"Physical\"},"
    "  {\"key\": \"B\", \"text\": \" Data link\"},"
    "  {\"key\": \"C\", \"text\": \"Network\"}]}}";

static json_t *
good(const char *type)
{
	if (strcmp(type, "single_choice") == 0)
		return parse(SINGLE);
	if (strcmp(type, "multiple_select") == 0)
		return parse(MULTI);
	if (strcmp(type, "true_false") == 0)
		return parse(TRUE_FALSE);
	if (strcmp(type, "fill_blank") == 0)
		return parse(FILL);
	if (strcmp(type, "matching") == 0)
		return parse(MATCHING);
	if (strcmp(type, "ordering") == 0)
		return parse(ORDERING);
	fail_msg("no good question of type %s", type);
	return NULL;
}

/* ---- normal form -------------------------------------------------------- */

static void
normalize_single_choice(void **state)
{
	json_t *n;

	(void)state;
	n = normal_of(good("single_choice"), "draft");
	assert_json_equal(n,
	    "{\"external_id\": null, \"type\": \"single_choice\","
	    " \"stem\": \"Which port does SSH listen on by default?\","
	    " \"explanation\": null, \"exam\": \"network\", \"domain\": \"1.0\","
	    " \"objectives\": [\"1.4\"], \"difficulty\": 3, \"tags\": [],"
	    " \"status\": \"draft\","
	    " \"body\": {\"options\": ["
	    "  {\"key\": \"A\", \"text\": \"21\", \"explanation\": null,"
	    "   \"correct\": false},"
	    "  {\"key\": \"B\", \"text\": \"22\", \"explanation\": \"SSH.\","
	    "   \"correct\": true},"
	    "  {\"key\": \"C\", \"text\": \"23\", \"explanation\": null,"
	    "   \"correct\": false},"
	    "  {\"key\": \"D\", \"text\": \"3389\", \"explanation\": null,"
	    "   \"correct\": false}]}}");
	json_decref(n);

	/* The status is the caller's default when the object has none. */
	n = normal_of(good("single_choice"), "active");
	assert_string_equal(json_string_value(json_object_get(n, "status")),
	    "active");
	json_decref(n);
}

static void
normalize_multiple_select(void **state)
{
	json_t *n;

	(void)state;
	/* Its own status wins over the default. */
	n = normal_of(good("multiple_select"), "draft");
	assert_json_equal(n,
	    "{\"external_id\": \"N10-009:0042_b.1\","
	    " \"type\": \"multiple_select\","
	    " \"stem\": \"Which two are link-state protocols? (Choose two.)\","
	    " \"explanation\": \"OSPF and IS-IS flood link states.\","
	    " \"exam\": \"network\", \"domain\": \"2.0\","
	    " \"objectives\": [\"2.1\", \"2.3\"], \"difficulty\": 4,"
	    " \"tags\": [\"routing\", \"link-state\"], \"status\": \"active\","
	    " \"body\": {\"options\": ["
	    "  {\"key\": \"A\", \"text\": \"OSPF\", \"explanation\": null,"
	    "   \"correct\": true},"
	    "  {\"key\": \"B\", \"text\": \"RIP\", \"explanation\": null,"
	    "   \"correct\": false},"
	    "  {\"key\": \"C\", \"text\": \"IS-IS\", \"explanation\": null,"
	    "   \"correct\": true},"
	    "  {\"key\": \"D\", \"text\": \"EIGRP\", \"explanation\": null,"
	    "   \"correct\": false}]}}");
	json_decref(n);
}

static void
normalize_true_false(void **state)
{
	json_t *n, *q;

	(void)state;
	/* Written false-first: true comes first in normal form. */
	n = normal_of(good("true_false"), "draft");
	assert_json_equal(n,
	    "{\"external_id\": null, \"type\": \"true_false\","
	    " \"stem\": \"Telnet encrypts its traffic.\", \"explanation\": null,"
	    " \"exam\": null, \"domain\": null, \"objectives\": [],"
	    " \"difficulty\": 3, \"tags\": [], \"status\": \"draft\","
	    " \"body\": {\"options\": ["
	    "  {\"key\": \"true\", \"text\": \"True\", \"explanation\": null,"
	    "   \"correct\": false},"
	    "  {\"key\": \"false\", \"text\": \"False\","
	    "   \"explanation\": \"It is plain text.\", \"correct\": true}]}}");
	json_decref(n);

	/* Written true-first: unchanged. */
	q = parse("{\"type\": \"true_false\", \"stem\": \"SSH is TCP 22.\","
	    " \"body\": {\"options\": ["
	    "  {\"key\": \"true\", \"text\": \"True\", \"correct\": true},"
	    "  {\"key\": \"false\", \"text\": \"False\"}]}}");
	n = normal_of(q, "draft");
	assert_json_equal(json_object_get(n, "body"),
	    "{\"options\": ["
	    "  {\"key\": \"true\", \"text\": \"True\", \"explanation\": null,"
	    "   \"correct\": true},"
	    "  {\"key\": \"false\", \"text\": \"False\", \"explanation\": null,"
	    "   \"correct\": false}]}");
	json_decref(n);
}

static void
normalize_fill_blank(void **state)
{
	json_t *n, *q;

	(void)state;
	/* Only answers: numeric [], case_sensitive false, collapse. */
	n = normal_of(good("fill_blank"), "draft");
	assert_json_equal(n,
	    "{\"external_id\": null, \"type\": \"fill_blank\","
	    " \"stem\": \"The default subnet mask of a /24 is ____.\","
	    " \"explanation\": null, \"exam\": null, \"domain\": null,"
	    " \"objectives\": [], \"difficulty\": 3, \"tags\": [],"
	    " \"status\": \"draft\","
	    " \"body\": {\"answers\": [{\"text\": \"255.255.255.0\"}],"
	    "  \"numeric\": [], \"case_sensitive\": false,"
	    "  \"whitespace\": \"collapse\"}}");
	json_decref(n);

	/* Only numeric ranges: answers [], tolerance 0 by default. */
	q = parse("{\"type\": \"fill_blank\", \"stem\": \"SSH port?\","
	    " \"body\": {\"numeric\": [{\"value\": 22},"
	    "  {\"value\": 2.5, \"tolerance\": 0.5}]}}");
	n = normal_of(q, "draft");
	assert_json_equal(json_object_get(n, "body"),
	    "{\"answers\": [], \"numeric\": [{\"value\": 22.0,"
	    " \"tolerance\": 0.0}, {\"value\": 2.5, \"tolerance\": 0.5}],"
	    " \"case_sensitive\": false, \"whitespace\": \"collapse\"}");
	json_decref(n);

	/* Given settings are kept. */
	q = parse("{\"type\": \"fill_blank\", \"stem\": \"Protocol?\","
	    " \"body\": {\"answers\": [{\"text\": \"STP\"}], \"numeric\": [],"
	    "  \"case_sensitive\": true, \"whitespace\": \"ignore\"}}");
	n = normal_of(q, "draft");
	assert_json_equal(json_object_get(n, "body"),
	    "{\"answers\": [{\"text\": \"STP\"}], \"numeric\": [],"
	    " \"case_sensitive\": true, \"whitespace\": \"ignore\"}");
	json_decref(n);

	q = parse("{\"type\": \"fill_blank\", \"stem\": \"Protocol?\","
	    " \"body\": {\"answers\": [{\"text\": \"STP\"}],"
	    "  \"whitespace\": \"exact\"}}");
	n = normal_of(q, "draft");
	assert_string_equal(json_string_value(json_object_get(json_object_get(n,
	    "body"), "whitespace")), "exact");
	json_decref(n);
}

static void
normalize_matching(void **state)
{
	json_t *n;

	(void)state;
	n = normal_of(good("matching"), "retired");
	assert_json_equal(n,
	    "{\"external_id\": null, \"type\": \"matching\","
	    " \"stem\": \"Match each protocol to its port.\","
	    " \"explanation\": null, \"exam\": \"network\", \"domain\": \"1.0\","
	    " \"objectives\": [\"1.4\"], \"difficulty\": 3, \"tags\": [],"
	    " \"status\": \"retired\","
	    " \"body\": {\"pairs\": ["
	    "  {\"key\": \"1\", \"left\": \"SSH\", \"right\": \"22\","
	    "   \"explanation\": \"Secure Shell.\"},"
	    "  {\"key\": \"2\", \"left\": \"Telnet\", \"right\": \"23\","
	    "   \"explanation\": null},"
	    "  {\"key\": \"3\", \"left\": \"RDP\", \"right\": \"3389\","
	    "   \"explanation\": null}]}}");
	json_decref(n);
}

/*
 * Distractors: right texts that match no left (Moodle's extra wrong
 * answers), kept in the normal form only when there are some, so that a
 * question without them keeps its body (and hash).
 */
static void
normalize_matching_distractors(void **state)
{
	json_t *q, *n;

	(void)state;
	q = good("matching");
	put_text(q, "body.distractors", "[{\"key\": \"x1\", \"text\": "
	    "\" 25 \"}, {\"key\": \"x2\", \"text\": \"80\"}]");
	n = normal_of(q, "draft");
	assert_json_equal(json_object_get(json_object_get(n, "body"),
	    "distractors"), "[{\"key\": \"x1\", \"text\": \"25\"},"
	    " {\"key\": \"x2\", \"text\": \"80\"}]");
	json_decref(n);

	q = good("matching");
	put_text(q, "body.distractors", "[]");
	n = normal_of(q, "draft");
	assert_null(json_object_get(json_object_get(n, "body"),
	    "distractors"));
	json_decref(n);

	q = good("matching");
	put_text(q, "body.distractors", "null");
	n = normal_of(q, "draft");
	assert_null(json_object_get(json_object_get(n, "body"),
	    "distractors"));
	json_decref(n);

	/* A key that a pair has, a text that a right side has, no text. */
	q = good("matching");
	put_text(q, "body.distractors", "[{\"key\": \"2\", \"text\": "
	    "\"25\"}]");
	refused_at(q, "body.distractors[0].key");
	q = good("matching");
	put_text(q, "body.distractors", "[{\"key\": \"x\", \"text\": "
	    "\"23\"}]");
	refused_at(q, "body.distractors[0].text");
	q = good("matching");
	put_text(q, "body.distractors", "[{\"key\": \"x\", \"text\": "
	    "\"25\"}, {\"key\": \"y\", \"text\": \" 25\"}]");
	refused_at(q, "body.distractors[1].text");
	q = good("matching");
	put_text(q, "body.distractors", "[{\"key\": \"x\", \"text\": "
	    "\"\"}]");
	refused_at(q, "body.distractors[0].text");
	q = good("matching");
	put_text(q, "body.distractors", "[{\"key\": \"x\", \"text\": "
	    "\"25\", \"left\": \"SMTP\"}]");
	refused_at(q, "body.distractors[0].left");
	q = good("matching");
	put_text(q, "body.distractors", "{\"x\": \"25\"}");
	refused_at(q, "body.distractors");
	q = good("matching");
	put_text(q, "body.distractors", "[1,2,3,4,5,6,7,8,9,10,11]");
	refused_at(q, "body.distractors");
	/* Ordering has no distractors. */
	q = good("ordering");
	put_text(q, "body.distractors", "[]");
	refused_at(q, "body.distractors");
}

/*
 * A fill_blank answer or range may earn part of the points ("credit",
 * Moodle's =%50%answer); full credit is left out of the normal form, and
 * one answer or range must earn it.
 */
static void
normalize_fill_blank_credit(void **state)
{
	json_t *q, *n;

	(void)state;
	q = parse("{\"type\": \"fill_blank\", \"stem\": \"Pi?\","
	    " \"body\": {\"answers\": [{\"text\": \"pi\", \"credit\": 1},"
	    "  {\"text\": \"three\", \"credit\": 0.25}],"
	    " \"numeric\": [{\"value\": 3.1, \"tolerance\": 0.1,"
	    "  \"credit\": 0.5}, {\"value\": 3.14, \"tolerance\": 0.005,"
	    "  \"credit\": null}]}}");
	n = normal_of(q, "draft");
	assert_json_equal(json_object_get(n, "body"),
	    "{\"answers\": [{\"text\": \"pi\"},"
	    " {\"text\": \"three\", \"credit\": 0.25}],"
	    " \"numeric\": [{\"value\": 3.1, \"tolerance\": 0.1,"
	    "  \"credit\": 0.5}, {\"value\": 3.14, \"tolerance\": 0.005}],"
	    " \"case_sensitive\": false, \"whitespace\": \"collapse\"}");
	json_decref(n);

	/* Only part credit: no answer earns the whole question. */
	q = parse("{\"type\": \"fill_blank\", \"stem\": \"Pi?\","
	    " \"body\": {\"answers\": [{\"text\": \"three\","
	    " \"credit\": 0.5}], \"numeric\": [{\"value\": 3,"
	    " \"credit\": 0.5}]}}");
	refused_at(q, "body.answers");
	q = good("fill_blank");
	put_text(q, "body.answers[0].credit", "0");
	refused_at(q, "body.answers[0].credit");
	q = good("fill_blank");
	put_text(q, "body.answers[0].credit", "1.5");
	refused_at(q, "body.answers[0].credit");
	q = good("fill_blank");
	put_text(q, "body.answers[0].credit", "\"half\"");
	refused_at(q, "body.answers[0].credit");
	q = good("fill_blank");
	put_text(q, "body.numeric", "[{\"value\": 1, \"credit\": -0.5}]");
	refused_at(q, "body.numeric[0].credit");
}

static void
normalize_ordering(void **state)
{
	json_t *n;

	(void)state;
	n = normal_of(good("ordering"), "draft");
	assert_json_equal(n,
	    "{\"external_id\": null, \"type\": \"ordering\","
	    " \"stem\": \"Put the OSI layers in order.\","
	    " \"explanation\": null, \"exam\": null, \"domain\": null,"
	    " \"objectives\": [], \"difficulty\": 3, \"tags\": [],"
	    " \"status\": \"draft\","
	    " \"body\": {\"items\": ["
	    "  {\"key\": \"A\", \"text\": \"Physical\"},"
	    "  {\"key\": \"B\", \"text\": \"Data link\"},"
	    "  {\"key\": \"C\", \"text\": \"Network\"}]}}");
	json_decref(n);
}

static void
normalize_is_idempotent(void **state)
{
	static const char *const types[] = {"single_choice", "multiple_select",
	    "true_false", "fill_blank", "matching", "ordering"};

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		json_t *once = normal_of(good(types[i]), "draft");
		json_t *twice = normal_of(json_deep_copy(once), "active");

		if (!json_equal(once, twice)) {
			print_error("%s: normal form changes again\n", types[i]);
			fail();
		}
		json_decref(once);
		json_decref(twice);
	}
}

static void
normalize_texts(void **state)
{
	json_t *q, *n;

	(void)state;
	/* Inner newlines and tabs stay, the ends are trimmed. */
	q = good("ordering");
	put_text(q, "stem", "\"\\n\\t Line one\\nline\\ttwo\\r\\n  \"");
	n = normal_of(q, "draft");
	assert_string_equal(json_string_value(json_object_get(n, "stem")),
	    "Line one\nline\ttwo");
	json_decref(n);

	/* An explanation of spaces is no explanation. */
	q = good("ordering");
	put_text(q, "explanation", "\"   \"");
	n = normal_of(q, "draft");
	assert_true(json_is_null(json_object_get(n, "explanation")));
	json_decref(n);

	q = good("ordering");
	put_text(q, "explanation", "null");
	put_text(q, "external_id", "null");
	put_text(q, "difficulty", "null");
	put_text(q, "status", "null");
	put_text(q, "tags", "null");
	n = normal_of(q, "active");
	assert_true(json_is_null(json_object_get(n, "explanation")));
	assert_true(json_is_null(json_object_get(n, "external_id")));
	assert_int_equal(json_integer_value(json_object_get(n, "difficulty")),
	    3);
	assert_string_equal(json_string_value(json_object_get(n, "status")),
	    "active");
	assert_int_equal(json_array_size(json_object_get(n, "tags")), 0);
	json_decref(n);
}

static void
normalize_domain(void **state)
{
	json_t *q, *n;

	(void)state;
	/* Derived from the first objective, not the others. */
	q = good("ordering");
	put_text(q, "exam", "\"network\"");
	put_text(q, "objectives", "[\"3.2\", \"1.1\"]");
	n = normal_of(q, "draft");
	assert_string_equal(json_string_value(json_object_get(n, "domain")),
	    "3.0");
	json_decref(n);

	/* Two digits. */
	q = good("ordering");
	put_text(q, "exam", "\"a1101\"");
	put_text(q, "objectives", "[\"12.3\"]");
	n = normal_of(q, "draft");
	assert_string_equal(json_string_value(json_object_get(n, "domain")),
	    "12.0");
	json_decref(n);

	/* A given domain that holds it is kept. */
	q = good("ordering");
	put_text(q, "exam", "\"security\"");
	put_text(q, "domain", "\"12.0\"");
	put_text(q, "objectives", "[\"12.3\", \"1.1\"]");
	n = normal_of(q, "draft");
	assert_string_equal(json_string_value(json_object_get(n, "domain")),
	    "12.0");
	assert_json_equal(json_object_get(n, "objectives"),
	    "[\"12.3\", \"1.1\"]");
	json_decref(n);

	/* Repeated objectives and tags count once, in their first place. */
	q = good("ordering");
	put_text(q, "exam", "\"network\"");
	put_text(q, "objectives", "[\"2.1\", \"1.4\", \"2.1\", \"1.4\"]");
	put_text(q, "tags", "[\"ssh\", \"ports\", \"ssh\"]");
	n = normal_of(q, "draft");
	assert_json_equal(json_object_get(n, "objectives"),
	    "[\"2.1\", \"1.4\"]");
	assert_json_equal(json_object_get(n, "tags"), "[\"ssh\", \"ports\"]");
	assert_string_equal(json_string_value(json_object_get(n, "domain")),
	    "2.0");
	json_decref(n);

	/* A domain without objectives, with an exam. */
	q = good("ordering");
	put_text(q, "exam", "\"network\"");
	put_text(q, "domain", "\"4.0\"");
	n = normal_of(q, "draft");
	assert_string_equal(json_string_value(json_object_get(n, "domain")),
	    "4.0");
	assert_int_equal(json_array_size(json_object_get(n, "objectives")), 0);
	json_decref(n);
}

static void
normalize_limits_pass(void **state)
{
	json_t *q, *n;
	char *s;

	(void)state;
	/* A 5000-character stem of multibyte UTF-8 passes: characters count,
	 * not bytes (10000, 15000 and 20000 bytes). */
	q = good("ordering");
	put(q, "stem", long_string("\xc3\xa9", 5000));
	n = normal_of(q, "draft");
	assert_int_equal(json_string_length(json_object_get(n, "stem")), 10000);
	json_decref(n);

	q = good("ordering");
	put(q, "stem", long_string("\xe2\x82\xac", 5000));
	json_decref(normal_of(q, "draft"));

	q = good("ordering");
	put(q, "stem", long_string("\xf0\x9f\x94\x92", 5000));
	json_decref(normal_of(q, "draft"));

	/* Spaces around do not count. */
	s = repeat("x", 5000);
	q = good("ordering");
	{
		char *padded = malloc(5010);

		assert_non_null(padded);
		snprintf(padded, 5010, "  %s \n", s);
		put(q, "stem", json_string(padded));
		free(padded);
	}
	n = normal_of(q, "draft");
	assert_int_equal(json_string_length(json_object_get(n, "stem")), 5000);
	json_decref(n);
	free(s);

	q = good("single_choice");
	put(q, "explanation", long_string("x", 5000));
	put(q, "body.options[0].text", long_string("\xc3\xa9", 1000));
	put(q, "body.options[0].explanation", long_string("\xc3\xa9", 2000));
	json_decref(normal_of(q, "draft"));

	q = good("matching");
	put(q, "body.pairs[0].left", long_string("\xc3\xa9", 500));
	put(q, "body.pairs[0].right", long_string("\xc3\xa9", 500));
	json_decref(normal_of(q, "draft"));

	q = good("ordering");
	put(q, "external_id", long_string("a", 100));
	json_decref(normal_of(q, "draft"));

	/* 10 options, 12 pairs and items, 20 tags and objectives. */
	q = good("single_choice");
	for (int i = 4; i < 10; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "body.options[%d]", i);
		snprintf(text, sizeof(text), "{\"key\": \"K%d\", \"text\": \"%d\"}",
		    i, i);
		put_text(q, path, text);
	}
	json_decref(normal_of(q, "draft"));

	q = good("ordering");
	for (int i = 3; i < 12; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "body.items[%d]", i);
		snprintf(text, sizeof(text), "{\"key\": \"K%d\", \"text\": \"%d\"}",
		    i, i);
		put_text(q, path, text);
	}
	json_decref(normal_of(q, "draft"));

	q = good("matching");
	for (int i = 3; i < 12; i++) {
		char path[64], text[96];

		snprintf(path, sizeof(path), "body.pairs[%d]", i);
		snprintf(text, sizeof(text), "{\"key\": \"K%d\", \"left\": \"%d\","
		    " \"right\": \"r%d\"}", i, i, i);
		put_text(q, path, text);
	}
	json_decref(normal_of(q, "draft"));

	q = good("single_choice");
	put(q, "tags", json_array());
	put(q, "objectives", json_array());
	for (int i = 0; i < 20; i++) {
		char path[32], text[32];

		snprintf(path, sizeof(path), "tags[%d]", i);
		snprintf(text, sizeof(text), "\"tag-%d\"", i);
		put_text(q, path, text);
		snprintf(path, sizeof(path), "objectives[%d]", i);
		snprintf(text, sizeof(text), "\"1.%d\"", i + 1);
		put_text(q, path, text);
	}
	n = normal_of(q, "draft");
	assert_int_equal(json_array_size(json_object_get(n, "tags")), 20);
	assert_int_equal(json_array_size(json_object_get(n, "objectives")), 20);
	json_decref(n);
}

/* ---- refusals, one mistake each ----------------------------------------- */

struct bad {
	const char *type;
	const char *path;	/* what to change */
	const char *value;	/* JSON text; NULL deletes */
	const char *field;	/* where the error must be */
};

static const struct bad BAD[] = {
	/* Unknown fields, at every level. */
	{"single_choice", "foo", "1", "foo"},
	{"single_choice", "body.foo", "1", "body.foo"},
	{"single_choice", "body.options[0].foo", "1", "body.options[0].foo"},
	{"fill_blank", "body.foo", "1", "body.foo"},
	{"fill_blank", "body.options", "[]", "body.options"},
	{"matching", "body.items", "[]", "body.items"},
	{"matching", "body.pairs[1].text", "\"x\"", "body.pairs[1].text"},
	{"ordering", "body.pairs", "[]", "body.pairs"},
	{"ordering", "body.items[2].explanation", "\"x\"",
	    "body.items[2].explanation"},

	/* type */
	{"single_choice", "type", NULL, "type"},
	{"single_choice", "type", "\"essay\"", "type"},
	{"single_choice", "type", "\"Single_Choice\"", "type"},
	{"single_choice", "type", "1", "type"},
	{"single_choice", "type", "null", "type"},

	/* stem */
	{"single_choice", "stem", NULL, "stem"},
	{"single_choice", "stem", "\"\"", "stem"},
	{"single_choice", "stem", "\" \\n\\t \"", "stem"},
	{"single_choice", "stem", "42", "stem"},
	{"single_choice", "stem", "null", "stem"},
	{"single_choice", "stem", "\"bell\\u0007\"", "stem"},
	{"single_choice", "stem", "\"esc\\u001b[31m red\"", "stem"},
	{"single_choice", "stem", "\"nul\\u0000inside\"", "stem"},
	{"single_choice", "stem", "\"form\\ffeed\"", "stem"},

	/* explanation */
	{"single_choice", "explanation", "5", "explanation"},
	{"single_choice", "explanation", "\"a\\u0001b\"", "explanation"},

	/* external_id */
	{"single_choice", "external_id", "\"\"", "external_id"},
	{"single_choice", "external_id", "\"has space\"", "external_id"},
	{"single_choice", "external_id", "\"a/b\"", "external_id"},
	{"single_choice", "external_id", "\"caf\\u00e9\"", "external_id"},
	{"single_choice", "external_id", "42", "external_id"},

	/* exam */
	{"single_choice", "exam", NULL, "exam"},	/* objectives need it */
	{"single_choice", "exam", "null", "exam"},
	{"single_choice", "exam", "\"Network\"", "exam"},
	{"single_choice", "exam", "\"n\"", "exam"},
	{"single_choice", "exam", "\"net work\"", "exam"},
	{"single_choice", "exam", "5", "exam"},
	{"ordering", "exam", "\"-network\"", "exam"},
	{"ordering", "domain", "\"1.0\"", "exam"},	/* a domain needs it */
	{"ordering", "objectives", "[\"1.4\"]", "exam"},

	/* domain */
	{"single_choice", "domain", "\"2.0\"", "domain"},	/* 1.4 */
	{"single_choice", "domain", "\"11.0\"", "domain"},
	{"single_choice", "domain", "\"1.1\"", "domain"},
	{"single_choice", "domain", "\"1\"", "domain"},
	{"single_choice", "domain", "\"100.0\"", "domain"},
	{"single_choice", "domain", "\"1.0 \"", "domain"},
	{"single_choice", "domain", "1", "domain"},
	{"multiple_select", "objectives", "[\"3.1\", \"2.1\"]", "domain"},
	{"multiple_select", "objectives", "[\"12.1\"]", "domain"},
	{"multiple_select", "domain", "\"1.0\"", "domain"},
	{"matching", "domain", "\"11.0\"", "domain"},

	/* objectives */
	{"single_choice", "objectives[0]", "\"1\"", "objectives[0]"},
	{"single_choice", "objectives[0]", "\"1.4.2\"", "objectives[0]"},
	{"single_choice", "objectives[0]", "\"1.\"", "objectives[0]"},
	{"single_choice", "objectives[0]", "\"a.b\"", "objectives[0]"},
	{"single_choice", "objectives[0]", "\"123.4\"", "objectives[0]"},
	{"single_choice", "objectives[0]", "1.4", "objectives[0]"},
	{"single_choice", "objectives[1]", "\"x\"", "objectives[1]"},
	{"single_choice", "objectives", "\"1.4\"", "objectives"},
	{"single_choice", "objectives", "{}", "objectives"},

	/* difficulty */
	{"single_choice", "difficulty", "0", "difficulty"},
	{"single_choice", "difficulty", "6", "difficulty"},
	{"single_choice", "difficulty", "-1", "difficulty"},
	{"single_choice", "difficulty", "2.5", "difficulty"},
	{"single_choice", "difficulty", "\"3\"", "difficulty"},
	{"single_choice", "difficulty", "true", "difficulty"},

	/* tags, status */
	{"single_choice", "tags", "[\"Ports\"]", "tags[0]"},
	{"single_choice", "tags", "[\"ok\", \"two words\"]", "tags[1]"},
	{"single_choice", "tags", "[\"ok\", 5]", "tags[1]"},
	{"single_choice", "tags", "\"ports\"", "tags"},
	{"single_choice", "status", "\"published\"", "status"},
	{"single_choice", "status", "\"Active\"", "status"},
	{"single_choice", "status", "1", "status"},

	/* body */
	{"single_choice", "body", NULL, "body"},
	{"single_choice", "body", "[]", "body"},
	{"single_choice", "body", "\"options\"", "body"},
	{"single_choice", "body.options", NULL, "body.options"},
	{"single_choice", "body.options", "{}", "body.options"},
	{"single_choice", "body.options", "[]", "body.options"},

	/* options */
	{"single_choice", "body.options[2].text", "\"\"",
	    "body.options[2].text"},
	{"single_choice", "body.options[2].text", "\"   \"",
	    "body.options[2].text"},
	{"single_choice", "body.options[2].text", NULL, "body.options[2].text"},
	{"single_choice", "body.options[2].text", "23",
	    "body.options[2].text"},
	{"single_choice", "body.options[2].text", "\"tab\\tok, vt\\u000b no\"",
	    "body.options[2].text"},
	{"single_choice", "body.options[3].explanation", "false",
	    "body.options[3].explanation"},
	{"single_choice", "body.options[0].correct", "\"yes\"",
	    "body.options[0].correct"},
	{"single_choice", "body.options[0].correct", "1",
	    "body.options[0].correct"},
	{"single_choice", "body.options[1].key", "\"A\"", "body.options[1].key"},
	{"single_choice", "body.options[3].key", "\"B\"", "body.options[3].key"},
	{"single_choice", "body.options[1].key", NULL, "body.options[1].key"},
	{"single_choice", "body.options[1].key", "\"\"", "body.options[1].key"},
	{"single_choice", "body.options[1].key", "\"A-1\"",
	    "body.options[1].key"},
	{"single_choice", "body.options[1].key", "\"ABCDEFGHI\"",
	    "body.options[1].key"},
	{"single_choice", "body.options[1].key", "2", "body.options[1].key"},
	{"single_choice", "body.options[2]", "\"C\"", "body.options[2]"},

	/* single_choice: exactly one correct */
	{"single_choice", "body.options[1].correct", "false", "body.options"},
	{"single_choice", "body.options[0].correct", "true", "body.options"},
	/* multiple_select: at least one */
	{"multiple_select", "body.options",
	    "[{\"key\": \"A\", \"text\": \"a\", \"correct\": false},"
	    " {\"key\": \"B\", \"text\": \"b\"},"
	    " {\"key\": \"C\", \"text\": \"c\", \"correct\": false}]",
	    "body.options"},
	{"multiple_select", "body.options",
	    "[{\"key\": \"A\", \"text\": \"a\", \"correct\": true}]",
	    "body.options"},

	/* true_false */
	{"true_false", "body.options[1].key", "\"yes\"", "body.options"},
	{"true_false", "body.options[0].key", "\"True\"", "body.options"},
	{"true_false", "body.options[1].correct", "true", "body.options"},
	{"true_false", "body.options[0].correct", "false", "body.options"},
	{"true_false", "body.options[2]",
	    "{\"key\": \"maybe\", \"text\": \"Maybe\"}", "body.options"},
	{"true_false", "body.options[1]", NULL, "body.options"},

	/* fill_blank */
	{"fill_blank", "body.answers", NULL, "body.answers"},
	{"fill_blank", "body.answers", "[]", "body.answers"},
	{"fill_blank", "body.answers", "\"255.255.255.0\"", "body.answers"},
	{"fill_blank", "body.answers", "null", "body.answers"},
	{"fill_blank", "body.answers[0]", "\"255.255.255.0\"",
	    "body.answers[0]"},
	{"fill_blank", "body.answers[0].text", "\"\"", "body.answers[0].text"},
	{"fill_blank", "body.answers[0].text", "22", "body.answers[0].text"},
	{"fill_blank", "body.numeric", "{}", "body.numeric"},
	{"fill_blank", "body.numeric",
	    "[{\"value\": 22, \"tolerance\": -1}]", "body.numeric[0]"},
	{"fill_blank", "body.numeric",
	    "[{\"value\": 22}, {\"value\": 1, \"tolerance\": -0.001}]",
	    "body.numeric[1]"},
	{"fill_blank", "body.numeric", "[{\"value\": \"22\"}]",
	    "body.numeric[0]"},
	{"fill_blank", "body.numeric", "[{\"tolerance\": 1}]",
	    "body.numeric[0]"},
	{"fill_blank", "body.numeric", "[{\"value\": 1e16}]",
	    "body.numeric[0]"},
	{"fill_blank", "body.numeric", "[{\"value\": 1, \"tolerance\": \"1\"}]",
	    "body.numeric[0]"},
	{"fill_blank", "body.numeric", "[22]", "body.numeric[0]"},
	{"fill_blank", "body.case_sensitive", "\"no\"", "body.case_sensitive"},
	{"fill_blank", "body.case_sensitive", "0", "body.case_sensitive"},
	{"fill_blank", "body.whitespace", "\"trim\"", "body.whitespace"},
	{"fill_blank", "body.whitespace", "\"Collapse\"", "body.whitespace"},
	{"fill_blank", "body.whitespace", "1", "body.whitespace"},

	/* matching */
	{"matching", "body.pairs[1].right", "\"22\"", "body.pairs[1].right"},
	{"matching", "body.pairs[2].right", "\" 23 \"", "body.pairs[2].right"},
	{"matching", "body.pairs[1].left", "\"\"", "body.pairs[1].left"},
	{"matching", "body.pairs[1].left", NULL, "body.pairs[1].left"},
	{"matching", "body.pairs[0].right", NULL, "body.pairs[0].right"},
	{"matching", "body.pairs[0].explanation", "[]",
	    "body.pairs[0].explanation"},
	{"matching", "body.pairs[2].key", "\"1\"", "body.pairs[2].key"},
	{"matching", "body.pairs", "[{\"key\": \"1\", \"left\": \"a\","
	    " \"right\": \"b\"}]", "body.pairs"},
	{"matching", "body.pairs", "{}", "body.pairs"},
	{"matching", "body.pairs[1]", "[]", "body.pairs[1]"},

	/* ordering */
	{"ordering", "body.items", "[{\"key\": \"A\", \"text\": \"only\"}]",
	    "body.items"},
	{"ordering", "body.items", "[]", "body.items"},
	{"ordering", "body.items", NULL, "body.items"},
	{"ordering", "body.items[1].key", "\"A\"", "body.items[1].key"},
	{"ordering", "body.items[1].text", "\"\"", "body.items[1].text"},
	{"ordering", "body.items[0]", "\"A\"", "body.items[0]"},
};

static void
refused_field_paths(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		json_t *q = good(BAD[i].type);

		put_text(q, BAD[i].path, BAD[i].value);
		snprintf(context, sizeof(context), "%s: %s = %s", BAD[i].type,
		    BAD[i].path, BAD[i].value ? BAD[i].value : "(deleted)");
		refused_at(q, BAD[i].field);
	}
	context[0] = '\0';
}

static void
refused_del_and_c1_controls(void **state)
{
	json_t *q;

	(void)state;
	/* Regression: only bytes below 0x20 used to be refused, so DEL
	 * (U+007F) and the C1 controls U+0080..U+009F (U+009B is the 8-bit
	 * CSI of terminal escapes) got through. */
	q = good("single_choice");
	put_text(q, "stem", "\"delete\\u007f me\"");
	refused_at(q, "stem");

	q = good("single_choice");
	put_text(q, "stem", "\"csi\\u009b31m red\"");
	refused_at(q, "stem");

	q = good("single_choice");
	put_text(q, "body.options[0].text", "\"next\\u0085line\"");
	refused_at(q, "body.options[0].text");
}

static void
refused_over_long(void **state)
{
	json_t *q;

	(void)state;
	q = good("single_choice");
	put(q, "stem", long_string("x", 5001));
	refused_at(q, "stem");

	q = good("single_choice");
	put(q, "stem", long_string("\xc3\xa9", 5001));
	refused_at(q, "stem");

	q = good("single_choice");
	put(q, "explanation", long_string("\xe2\x82\xac", 5001));
	refused_at(q, "explanation");

	q = good("single_choice");
	put(q, "body.options[1].text", long_string("x", 1001));
	refused_at(q, "body.options[1].text");

	q = good("single_choice");
	put(q, "body.options[1].explanation", long_string("x", 2001));
	refused_at(q, "body.options[1].explanation");

	q = good("matching");
	put(q, "body.pairs[0].left", long_string("x", 501));
	refused_at(q, "body.pairs[0].left");

	q = good("matching");
	put(q, "body.pairs[2].right", long_string("x", 501));
	refused_at(q, "body.pairs[2].right");

	q = good("matching");
	put(q, "body.pairs[2].explanation", long_string("x", 2001));
	refused_at(q, "body.pairs[2].explanation");

	q = good("ordering");
	put(q, "body.items[1].text", long_string("x", 501));
	refused_at(q, "body.items[1].text");

	q = good("ordering");
	put(q, "external_id", long_string("a", 101));
	refused_at(q, "external_id");
}

static void
refused_too_many(void **state)
{
	json_t *q;

	(void)state;
	/* 11 options. */
	q = good("single_choice");
	for (int i = 4; i < 11; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "body.options[%d]", i);
		snprintf(text, sizeof(text), "{\"key\": \"K%d\", \"text\": \"%d\"}",
		    i, i);
		put_text(q, path, text);
	}
	refused_at(q, "body.options");

	/* 13 items, 13 pairs. */
	q = good("ordering");
	for (int i = 3; i < 13; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "body.items[%d]", i);
		snprintf(text, sizeof(text), "{\"key\": \"K%d\", \"text\": \"%d\"}",
		    i, i);
		put_text(q, path, text);
	}
	refused_at(q, "body.items");

	q = good("matching");
	for (int i = 3; i < 13; i++) {
		char path[64], text[96];

		snprintf(path, sizeof(path), "body.pairs[%d]", i);
		snprintf(text, sizeof(text), "{\"key\": \"K%d\", \"left\": \"%d\","
		    " \"right\": \"r%d\"}", i, i, i);
		put_text(q, path, text);
	}
	refused_at(q, "body.pairs");

	/* 21 answers, 21 ranges. */
	q = good("fill_blank");
	for (int i = 1; i < 20; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "body.answers[%d]", i);
		snprintf(text, sizeof(text), "{\"text\": \"a%d\"}", i);
		put_text(q, path, text);
	}
	json_decref(normal_of(json_deep_copy(q), "draft"));	/* 20 */
	put_text(q, "body.answers[20]", "{\"text\": \"one more\"}");
	refused_at(q, "body.answers");

	q = good("fill_blank");
	put(q, "body.numeric", json_array());
	for (int i = 0; i < 21; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "body.numeric[%d]", i);
		snprintf(text, sizeof(text), "{\"value\": %d}", i);
		put_text(q, path, text);
	}
	refused_at(q, "body.numeric");

	/* 21 tags, 21 objectives. */
	q = good("single_choice");
	put(q, "tags", json_array());
	for (int i = 0; i < 21; i++) {
		char path[32], text[32];

		snprintf(path, sizeof(path), "tags[%d]", i);
		snprintf(text, sizeof(text), "\"t%d\"", i);
		put_text(q, path, text);
	}
	refused_at(q, "tags");

	q = good("single_choice");
	for (int i = 1; i < 21; i++) {
		char path[32], text[32];

		snprintf(path, sizeof(path), "objectives[%d]", i);
		snprintf(text, sizeof(text), "\"1.%d\"", i + 1);
		put_text(q, path, text);
	}
	refused_at(q, "objectives");
}

static void
refused_not_an_object(void **state)
{
	static const char *const texts[] = {"[]", "\"question\"", "null", "1"};
	struct question_errors err;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_t *q = parse(texts[i]);

		assert_null(question_normalize(q, "draft", &err));
		assert_int_equal(err.count, 1);
		assert_true(strlen(err.e[0].message) > 0);
		json_decref(q);
	}
	assert_null(question_normalize(NULL, "draft", &err));
	assert_int_equal(err.count, 1);
}

static void
refused_many_at_once(void **state)
{
	struct question_errors err;
	json_t *q = good("single_choice");

	(void)state;
	put_text(q, "stem", "\"\"");
	put_text(q, "difficulty", "9");
	put_text(q, "body.options[0].key", "\"\"");
	put_text(q, "body.options[2].text", "5");
	put_text(q, "colour", "\"red\"");
	put_text(q, "tags", "[\"Bad Tag\"]");
	assert_null(question_normalize(q, "draft", &err));
	json_decref(q);
	assert_true(err.count >= 6);
	assert_true(has_field(&err, "stem"));
	assert_true(has_field(&err, "difficulty"));
	assert_true(has_field(&err, "body.options[0].key"));
	assert_true(has_field(&err, "body.options[2].text"));
	assert_true(has_field(&err, "colour"));
	assert_true(has_field(&err, "tags[0]"));

	/* A stale err from before is reset. */
	q = good("ordering");
	put_text(q, "type", "\"essay\"");
	assert_null(question_normalize(q, "draft", &err));
	json_decref(q);
	assert_int_equal(err.count, 1);
	assert_string_equal(err.e[0].field, "type");
}

static void
refused_errors_capped(void **state)
{
	struct question_errors err;
	json_t *q = good("single_choice");

	(void)state;
	/* 10 options with a bad key and a bad text each: 20 mistakes and
	 * more, at most QUESTION_MAX_ERRORS kept. */
	put(q, "body.options", json_array());
	for (int i = 0; i < 10; i++) {
		char path[64];

		snprintf(path, sizeof(path), "body.options[%d]", i);
		put_text(q, path, "{\"key\": \"-\", \"text\": \"\", \"zz\": 1}");
	}
	put_text(q, "stem", "\"\"");
	assert_null(question_normalize(q, "draft", &err));
	json_decref(q);
	assert_int_equal(err.count, QUESTION_MAX_ERRORS);
	for (int i = 0; i < err.count; i++) {
		assert_true(strlen(err.e[i].field) < sizeof(err.e[i].field));
		assert_true(strlen(err.e[i].message) > 0);
	}
}

static void
refused_long_unknown_field(void **state)
{
	struct question_errors err;
	json_t *q = good("single_choice");
	char *name = repeat("z", 300);

	(void)state;
	/* The path of a long unknown name is cut to the buffer. */
	json_object_set_new(json_object_get(q, "body"), name, json_true());
	json_object_set_new(json_array_get(json_object_get(json_object_get(q,
	    "body"), "options"), 0), name, json_true());
	free(name);
	assert_null(question_normalize(q, "draft", &err));
	json_decref(q);
	assert_int_equal(err.count, 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(strlen(err.e[i].field),
		    sizeof(err.e[i].field) - 1);
	assert_memory_equal(err.e[0].field, "body.zzz", 8);
	assert_memory_equal(err.e[1].field, "body.options[0].zzz", 19);
}

/* ---- question_errors_text ----------------------------------------------- */

static void
errors_text_format(void **state)
{
	struct question_errors err;
	char buf[256];

	(void)state;
	memset(&err, 0, sizeof(err));
	memset(buf, 'Z', sizeof(buf));
	assert_ptr_equal(question_errors_text(&err, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "");

	err.count = 1;
	strcpy(err.e[0].field, "stem");
	strcpy(err.e[0].message, "must not be empty");
	assert_string_equal(question_errors_text(&err, buf, sizeof(buf)),
	    "stem: must not be empty");

	err.count = 3;
	strcpy(err.e[1].field, "body.options[2].text");
	strcpy(err.e[1].message, "must be a string");
	strcpy(err.e[2].field, "");
	strcpy(err.e[2].message, "x");
	assert_string_equal(question_errors_text(&err, buf, sizeof(buf)),
	    "stem: must not be empty; body.options[2].text: must be a string; "
	    ": x");
}

static void
errors_text_truncates(void **state)
{
	static const char full[] = "stem: must not be empty; "
	    "difficulty: must be a whole number";
	struct question_errors err;
	char buf[64];

	(void)state;
	memset(&err, 0, sizeof(err));
	err.count = 2;
	strcpy(err.e[0].field, "stem");
	strcpy(err.e[0].message, "must not be empty");
	strcpy(err.e[1].field, "difficulty");
	strcpy(err.e[1].message, "must be a whole number");

	/* Every size from 1 to past the whole: a prefix, NUL-terminated,
	 * nothing written past n. */
	for (size_t n = 1; n <= sizeof(full) + 2; n++) {
		memset(buf, 'Z', sizeof(buf));
		question_errors_text(&err, buf, n);
		assert_true(strlen(buf) < n);
		assert_int_equal(strlen(buf), n - 1 < sizeof(full) - 1 ? n - 1 :
		    sizeof(full) - 1);
		assert_memory_equal(buf, full, strlen(buf));
		for (size_t i = n; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'Z');
	}

	/* n = 0 writes nothing. */
	memset(buf, 'Z', sizeof(buf));
	assert_ptr_equal(question_errors_text(&err, buf, 0), buf);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'Z');
}

static void
errors_text_full_struct(void **state)
{
	struct question_errors err;
	char small[100], big[8192];

	(void)state;
	/* Sixteen errors with fields and messages at their longest. */
	memset(&err, 0, sizeof(err));
	err.count = QUESTION_MAX_ERRORS;
	for (int i = 0; i < err.count; i++) {
		memset(err.e[i].field, 'f', sizeof(err.e[i].field) - 1);
		memset(err.e[i].message, 'm', sizeof(err.e[i].message) - 1);
	}
	memset(small, 'Z', sizeof(small));
	question_errors_text(&err, small, sizeof(small) - 10);
	assert_int_equal(strlen(small), sizeof(small) - 11);
	for (size_t i = sizeof(small) - 10; i < sizeof(small); i++)
		assert_int_equal(small[i], 'Z');

	question_errors_text(&err, big, sizeof(big));
	assert_int_equal(strlen(big), QUESTION_MAX_ERRORS * (95 + 2 + 159) +
	    (QUESTION_MAX_ERRORS - 1) * 2);

	/* From a real refusal. */
	{
		json_t *q = good("ordering");

		put_text(q, "stem", "\"\"");
		put_text(q, "difficulty", "0");
		assert_null(question_normalize(q, "draft", &err));
		json_decref(q);
		question_errors_text(&err, big, sizeof(big));
		assert_int_equal(strncmp(big, "stem: ", 6), 0);
		assert_non_null(strstr(big, "; difficulty: "));
	}
}

/* ---- question_hash ------------------------------------------------------ */

static void
hash_of(const char *text, char out[65])
{
	json_t *n = normal_of(parse(text), "draft");

	question_hash(n, out);
	json_decref(n);
}

static void
hash_same_question(void **state)
{
	char a[65], b[65], c[65];

	(void)state;
	hash_of(
	    "{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
	    " \"body\": {\"options\": ["
	    "  {\"key\": \"A\", \"text\": \"21\", \"correct\": false},"
	    "  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}", a);
	/* Keys in another order, other fields, untrimmed texts. */
	hash_of(
	    "{\"body\": {\"options\": ["
	    "  {\"correct\": false, \"text\": \" 21\", \"key\": \"A\"},"
	    "  {\"correct\": true, \"key\": \"B\", \"text\": \"22\"}]},"
	    " \"external_id\": \"Q-1\", \"difficulty\": 5, \"tags\": [\"ssh\"],"
	    " \"exam\": \"network\", \"objectives\": [\"1.4\"],"
	    " \"explanation\": \"Secure shell.\", \"status\": \"retired\","
	    " \"stem\": \"Which port is SSH?  \", \"type\": \"single_choice\"}",
	    b);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_equal(a, b);

	/* The same again: stable. */
	hash_of(
	    "{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
	    " \"body\": {\"options\": ["
	    "  {\"key\": \"A\", \"text\": \"21\", \"correct\": false},"
	    "  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}", c);
	assert_string_equal(a, c);
}

static void
hash_differs(void **state)
{
	static const char *const variants[] = {
		/* the base */
		"{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"A\", \"text\": \"21\", \"correct\": false},"
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}",
		/* an option's text */
		"{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"A\", \"text\": \"20\", \"correct\": false},"
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}",
		/* which is correct */
		"{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"A\", \"text\": \"21\", \"correct\": true},"
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": false}]}}",
		/* an option's explanation */
		"{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"A\", \"text\": \"21\", \"correct\": false,"
		"   \"explanation\": \"FTP.\"},"
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}",
		/* the order of the options */
		"{\"type\": \"single_choice\", \"stem\": \"Which port is SSH?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": true},"
		"  {\"key\": \"A\", \"text\": \"21\", \"correct\": false}]}}",
		/* the stem */
		"{\"type\": \"single_choice\", \"stem\": \"Which port is SSH? \\n?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"A\", \"text\": \"21\", \"correct\": false},"
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}",
		/* the type */
		"{\"type\": \"multiple_select\", \"stem\": \"Which port is SSH?\","
		" \"body\": {\"options\": ["
		"  {\"key\": \"A\", \"text\": \"21\", \"correct\": false},"
		"  {\"key\": \"B\", \"text\": \"22\", \"correct\": true}]}}",
	};
	enum { N = sizeof(variants) / sizeof(variants[0]) };
	char h[N][65];

	(void)state;
	for (int i = 0; i < N; i++)
		hash_of(variants[i], h[i]);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			if (strcmp(h[i], h[j]) == 0) {
				print_error("variants %d and %d hash alike\n", i, j);
				fail();
			}
}

/* v with the keys of every object in reverse order, deep. */
static json_t *
reversed(const json_t *v)
{
	if (json_is_object(v)) {
		const char *keys[64];
		size_t n = 0;
		const char *k;
		json_t *x, *out = json_object();

		json_object_foreach((json_t *)v, k, x) {
			assert_true(n < 64);
			keys[n++] = k;
		}
		while (n-- > 0)
			json_object_set_new(out, keys[n], reversed(json_object_get(
			    v, keys[n])));
		return out;
	}
	if (json_is_array(v)) {
		json_t *out = json_array(), *x;
		size_t i;

		json_array_foreach((json_t *)v, i, x)
			json_array_append_new(out, reversed(x));
		return out;
	}
	return json_deep_copy(v);
}

static void
hash_key_order(void **state)
{
	static const char *const types[] = {"single_choice", "multiple_select",
	    "true_false", "fill_blank", "matching", "ordering"};

	(void)state;
	/* A normal question read back from the database (jsonb keeps its
	 * own key order) hashes as it did when it was written. */
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		json_t *n = normal_of(good(types[i]), "draft");
		json_t *r = reversed(n);
		char a[65], b[65];
		char *sa = json_dumps(json_object_get(n, "body"), JSON_COMPACT);
		char *sb = json_dumps(json_object_get(r, "body"), JSON_COMPACT);

		assert_true(json_equal(n, r));
		/* The reversal did change the text (when the body has objects
		 * of two keys or more). */
		assert_string_not_equal(sa, sb);
		free(sa);
		free(sb);
		question_hash(n, a);
		question_hash(r, b);
		assert_string_equal(a, b);
		json_decref(r);
		json_decref(n);
	}
}

/* ---- question_type, question_has_options -------------------------------- */

static void
types(void **state)
{
	(void)state;
	assert_null(question_type("single_choice"));
	assert_null(question_type("multiple_select"));
	assert_null(question_type("true_false"));
	assert_null(question_type("fill_blank"));
	assert_null(question_type("matching"));
	assert_null(question_type("ordering"));
	assert_non_null(question_type(""));
	assert_non_null(question_type("essay"));
	assert_non_null(question_type("single_choice "));
	assert_non_null(question_type("SINGLE_CHOICE"));
	assert_true(strlen(question_type("x")) > 0);

	assert_true(question_has_options("single_choice"));
	assert_true(question_has_options("multiple_select"));
	assert_true(question_has_options("true_false"));
	assert_false(question_has_options("fill_blank"));
	assert_false(question_has_options("matching"));
	assert_false(question_has_options("ordering"));
	assert_false(question_has_options("options"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalize_single_choice),
		cmocka_unit_test(normalize_multiple_select),
		cmocka_unit_test(normalize_true_false),
		cmocka_unit_test(normalize_fill_blank),
		cmocka_unit_test(normalize_matching),
		cmocka_unit_test(normalize_matching_distractors),
		cmocka_unit_test(normalize_fill_blank_credit),
		cmocka_unit_test(normalize_ordering),
		cmocka_unit_test(normalize_is_idempotent),
		cmocka_unit_test(normalize_texts),
		cmocka_unit_test(normalize_domain),
		cmocka_unit_test(normalize_limits_pass),
		cmocka_unit_test(refused_field_paths),
		cmocka_unit_test(refused_del_and_c1_controls),
		cmocka_unit_test(refused_over_long),
		cmocka_unit_test(refused_too_many),
		cmocka_unit_test(refused_not_an_object),
		cmocka_unit_test(refused_many_at_once),
		cmocka_unit_test(refused_errors_capped),
		cmocka_unit_test(refused_long_unknown_field),
		cmocka_unit_test(errors_text_format),
		cmocka_unit_test(errors_text_truncates),
		cmocka_unit_test(errors_text_full_struct),
		cmocka_unit_test(hash_same_question),
		cmocka_unit_test(hash_differs),
		cmocka_unit_test(hash_key_order),
		cmocka_unit_test(types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
