/*
 * test_asset.c - the shapes of study assets (src/materials/asset.h): each
 * shape accepted when right and refused, with the right field named, for
 * every way it can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "materials/asset.h"

static void
good(const char *type, const char *json)
{
	char field[64] = "", err[256] = "";
	json_error_t jerr;
	json_t *v = json_loads(json, 0, &jerr);

	if (v == NULL)
		fail_msg("bad test JSON %s: %s", json, jerr.text);
	if (asset_validate(type, v, field, sizeof(field), err,
	    sizeof(err)) != 0)
		fail_msg("%s refused: %s", json, err);
	json_decref(v);
}

/* Refused, naming want_field, with err "want_field: ..." containing want. */
static void
bad(const char *type, const char *json, const char *want_field,
    const char *want)
{
	char field[64] = "", err[256] = "", prefix[80];
	json_t *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	if (v == NULL)
		fail_msg("bad test JSON %s", json);
	if (asset_validate(type, v, field, sizeof(field), err,
	    sizeof(err)) != -1)
		fail_msg("%s accepted", json);
	json_decref(v);
	if (strcmp(field, want_field) != 0)
		fail_msg("%s: field %s, not %s (%s)", json, field, want_field,
		    err);
	snprintf(prefix, sizeof(prefix), "%s: ", want_field);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, want) == NULL)
		fail_msg("%s: err \"%s\" lacks \"%s\"", json, err, want);
}

/* A JSON string of n copies of the UTF-8 character c. */
static char *
long_string(const char *c, size_t n)
{
	size_t cl = strlen(c);
	char *s = malloc(n * cl + 3), *p = s;

	*p++ = '"';
	for (size_t i = 0; i < n; i++, p += cl)
		memcpy(p, c, cl);
	*p++ = '"';
	*p = '\0';
	return s;
}

static void
types_known(void **state)
{
	char field[64], err[256];
	json_t *v = json_object();

	(void)state;
	assert_true(asset_type_known("flashcard"));
	assert_true(asset_type_known("quiz"));
	assert_true(asset_type_known("summary"));
	assert_true(asset_type_known("key_terms"));
	assert_false(asset_type_known("Quiz"));
	assert_false(asset_type_known("card"));
	assert_false(asset_type_known(""));
	assert_false(asset_type_known(NULL));
	assert_int_equal(asset_validate("card", v, field, sizeof(field), err,
	    sizeof(err)), -1);
	assert_string_equal(field, "type");
	json_decref(v);
}

static void
basic_cards(void **state)
{
	(void)state;
	good("flashcard", "{\"kind\":\"basic\",\"front\":\"SSH port?\","
	    "\"back\":\"22\"}");
	good("flashcard", "{\"back\":\"22\",\"front\":\" é \",\"kind\":"
	    "\"basic\"}");
	bad("flashcard", "[]", "content", "must be an object");
	bad("flashcard", "\"x\"", "content", "must be an object");
	bad("flashcard", "{\"front\":\"a\",\"back\":\"b\"}", "kind",
	    "is required");
	bad("flashcard", "{\"kind\":\"reversed\",\"front\":\"a\",\"back\":"
	    "\"b\"}", "kind", "\"basic\" or \"cloze\"");
	bad("flashcard", "{\"kind\":1,\"front\":\"a\",\"back\":\"b\"}",
	    "kind", "\"basic\" or \"cloze\"");
	bad("flashcard", "{\"kind\":\"basic\",\"back\":\"b\"}", "front",
	    "is required");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\"}", "back",
	    "is required");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\",\"back\":\"b\","
	    "\"hint\":\"c\"}", "hint", "is not a known field");
	/* The fields of the other kind are unknown to this one. */
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\",\"back\":\"b\","
	    "\"extra\":\"\"}", "extra", "is not a known field");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\" \\n\\t \",\"back\":"
	    "\"b\"}", "front", "must not be empty");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"\",\"back\":\"b\"}",
	    "front", "must not be empty");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\",\"back\":\"\"}",
	    "back", "must not be empty");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":3,\"back\":\"b\"}",
	    "front", "must be a string");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":null,\"back\":\"b\"}",
	    "front", "must be a string");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\",\"back\":[\"b\"]}",
	    "back", "must be a string");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\\u0000b\","
	    "\"back\":\"b\"}", "front", "NUL");
	bad("flashcard", "{\"kind\":\"basic\",\"front\":\"a\\u0007b\","
	    "\"back\":\"b\"}", "front", "control characters");
	good("flashcard", "{\"kind\":\"basic\",\"front\":\"a\\tb\\r\\nc\","
	    "\"back\":\"b\"}");
}

static void
lengths_are_in_characters(void **state)
{
	char *s, json[50000];

	(void)state;
	/* 2000 two-byte characters fit a front; 2001 do not. */
	s = long_string("é", ASSET_MAX_FRONT);
	snprintf(json, sizeof(json), "{\"kind\":\"basic\",\"front\":%s,"
	    "\"back\":\"b\"}", s);
	good("flashcard", json);
	free(s);
	s = long_string("é", ASSET_MAX_FRONT + 1);
	snprintf(json, sizeof(json), "{\"kind\":\"basic\",\"front\":%s,"
	    "\"back\":\"b\"}", s);
	bad("flashcard", json, "front", "at most 2000 characters");
	free(s);
	s = long_string("x", ASSET_MAX_BACK);
	snprintf(json, sizeof(json), "{\"kind\":\"basic\",\"front\":\"a\","
	    "\"back\":%s}", s);
	good("flashcard", json);
	free(s);
	s = long_string("x", ASSET_MAX_BACK + 1);
	snprintf(json, sizeof(json), "{\"kind\":\"basic\",\"front\":\"a\","
	    "\"back\":%s}", s);
	bad("flashcard", json, "back", "at most 4000");
	free(s);
	s = long_string("x", ASSET_MAX_SUMMARY);
	snprintf(json, sizeof(json), "{\"text\":%s}", s);
	good("summary", json);
	free(s);
	s = long_string("x", ASSET_MAX_SUMMARY + 1);
	snprintf(json, sizeof(json), "{\"text\":%s}", s);
	bad("summary", json, "text", "at most 20000");
	free(s);
	s = long_string("x", ASSET_MAX_OPTION + 1);
	snprintf(json, sizeof(json), "{\"stem\":\"q\",\"options\":[\"a\",%s],"
	    "\"answer\":0}", s);
	bad("quiz", json, "options[1]", "at most 500");
	free(s);
	s = long_string("x", ASSET_MAX_TERM + 1);
	snprintf(json, sizeof(json), "{\"terms\":[{\"term\":%s,\"kind\":"
	    "\"name\",\"score\":1}]}", s);
	bad("key_terms", json, "terms[0].term", "at most 200");
	free(s);
}

static void
cloze_cards(void **state)
{
	(void)state;
	good("flashcard", "{\"kind\":\"cloze\",\"text\":\"DNS uses "
	    "{{c1::53}}.\",\"extra\":\"\"}");
	good("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c1::DNS}} uses "
	    "{{c2::53::a port}}.\"}");
	good("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c99::x}}\","
	    "\"extra\":\"more\"}");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"DNS uses 53.\"}",
	    "text", "at least one");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"DNS uses {{c1:53}}."
	    "\"}", "text", "at least one");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"DNS uses {{c1::53"
	    "\"}", "text", "not closed");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c0::53}}\"}",
	    "text", "c1 to c99");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c100::53}}\"}",
	    "text", "c1 to c99");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"a {{c1:: }} b\"}",
	    "text", "hides nothing");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c1::a {{c2::b}}}}"
	    "\"}", "text", "nested");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"  \"}", "text",
	    "must not be empty");
	bad("flashcard", "{\"kind\":\"cloze\",\"extra\":\"e\"}", "text",
	    "is required");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c1::a}}\","
	    "\"extra\":5}", "extra", "must be a string");
	bad("flashcard", "{\"kind\":\"cloze\",\"text\":\"{{c1::a}}\","
	    "\"front\":\"a\"}", "front", "is not a known field");
}

static void
quizzes(void **state)
{
	char json[1024];

	(void)state;
	good("quiz", "{\"stem\":\"Port of SSH?\",\"options\":[\"21\",\"22\"],"
	    "\"answer\":1,\"explanation\":\"It is 22.\"}");
	good("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\",\"c\",\"d\","
	    "\"e\",\"f\"],\"answer\":5}");
	good("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":0,"
	    "\"explanation\":\"\"}");
	bad("quiz", "{\"options\":[\"a\",\"b\"],\"answer\":0}", "stem",
	    "is required");
	bad("quiz", "{\"stem\":\"q\",\"answer\":0}", "options", "is required");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"]}", "answer",
	    "is required");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":0,"
	    "\"correct\":1}", "correct", "is not a known field");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\"],\"answer\":0}",
	    "options", "2 to 6 options (not 1)");
	bad("quiz", "{\"stem\":\"q\",\"options\":[],\"answer\":0}",
	    "options", "2 to 6");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\",\"c\",\"d\","
	    "\"e\",\"f\",\"g\"],\"answer\":0}", "options", "(not 7)");
	bad("quiz", "{\"stem\":\"q\",\"options\":\"a,b\",\"answer\":0}",
	    "options", "must be an array");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\",\" \"],"
	    "\"answer\":0}", "options[2]", "must not be empty");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",2],\"answer\":0}",
	    "options[1]", "must be a string");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"Paris\",\"Rome\","
	    "\" paris \"],\"answer\":0}", "options[2]", "repeats options[0]");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"TCP\",\"tcp\"],"
	    "\"answer\":0}", "options[2]", "repeats options[1]");
	/* Close but different is fine. */
	good("quiz", "{\"stem\":\"q\",\"options\":[\"TCP\",\"TCP/IP\"],"
	    "\"answer\":0}");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":2}",
	    "answer", "between 0 and 1");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":-1}",
	    "answer", "between 0 and 1");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":1.0}",
	    "answer", "must be an integer");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":"
	    "\"1\"}", "answer", "must be an integer");
	bad("quiz", "{\"stem\":\"\",\"options\":[\"a\",\"b\"],\"answer\":0}",
	    "stem", "must not be empty");
	bad("quiz", "{\"stem\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":0,"
	    "\"explanation\":null}", "explanation", "must be a string");
	snprintf(json, sizeof(json), "{\"stem\":\"q\",\"options\":[\"a\","
	    "\"b\"],\"answer\":%lld}", 1LL << 40);
	bad("quiz", json, "answer", "between 0 and 1");
}

static void
summaries(void **state)
{
	(void)state;
	good("summary", "{\"text\":\"SSH gives encrypted shells.\"}");
	bad("summary", "{}", "text", "is required");
	bad("summary", "{\"text\":\"\"}", "text", "must not be empty");
	bad("summary", "{\"text\":[]}", "text", "must be a string");
	bad("summary", "{\"text\":\"a\",\"title\":\"b\"}", "title",
	    "is not a known field");
	bad("summary", "null", "content", "must be an object");
}

static void
key_terms(void **state)
{
	char *json;
	size_t cap = 20000, len;

	(void)state;
	good("key_terms", "{\"terms\":[{\"term\":\"SSH\",\"kind\":\"acronym\","
	    "\"score\":0.9},{\"term\":\"port 22\",\"kind\":\"number\","
	    "\"score\":0},{\"term\":\"Tatu Ylönen\",\"kind\":\"name\","
	    "\"score\":1},{\"term\":\"a shell\",\"kind\":\"defined\","
	    "\"score\":0.5},{\"term\":\"secure channel\",\"kind\":\"phrase\","
	    "\"score\":0.25}]}");
	bad("key_terms", "{}", "terms", "is required");
	bad("key_terms", "{\"terms\":[]}", "terms", "1 to 200 terms (not 0)");
	bad("key_terms", "{\"terms\":{}}", "terms", "must be an array");
	bad("key_terms", "{\"terms\":[\"SSH\"]}", "terms[0]",
	    "must be an object");
	bad("key_terms", "{\"terms\":[{\"kind\":\"name\",\"score\":1}]}",
	    "terms[0].term", "is required");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"score\":1}]}",
	    "terms[0].kind", "is required");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"name\"}]}",
	    "terms[0].score", "is required");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"name\","
	    "\"score\":1,\"weight\":2}]}", "terms[0].weight",
	    "is not a known field");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"word\","
	    "\"score\":1}]}", "terms[0].kind", "one of acronym");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"Name\","
	    "\"score\":1}]}", "terms[0].kind", "one of acronym");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"name\","
	    "\"score\":1.01}]}", "terms[0].score", "between 0 and 1");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"name\","
	    "\"score\":-0.001}]}", "terms[0].score", "between 0 and 1");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"name\","
	    "\"score\":2}]}", "terms[0].score", "between 0 and 1");
	bad("key_terms", "{\"terms\":[{\"term\":\"a\",\"kind\":\"name\","
	    "\"score\":\"0.5\"}]}", "terms[0].score", "must be a number");
	bad("key_terms", "{\"terms\":[{\"term\":\"\",\"kind\":\"name\","
	    "\"score\":0.5}]}", "terms[0].term", "must not be empty");
	bad("key_terms", "{\"terms\":[{\"term\":\"SSH\",\"kind\":\"acronym\","
	    "\"score\":0.5},{\"term\":\"b\",\"kind\":\"name\",\"score\":0.5},"
	    "{\"term\":\" ssh\",\"kind\":\"name\",\"score\":0.1}]}",
	    "terms[2].term", "repeats terms[0]");
	/* 200 terms are the most. */
	json = malloc(cap);
	for (int n = 200; n <= 201; n++) {
		len = (size_t)snprintf(json, cap, "{\"terms\":[");
		for (int i = 0; i < n; i++)
			len += (size_t)snprintf(json + len, cap - len,
			    "%s{\"term\":\"t%d\",\"kind\":\"name\",\"score\":"
			    "0.5}", i ? "," : "", i);
		snprintf(json + len, cap - len, "]}");
		if (n == 200)
			good("key_terms", json);
		else
			bad("key_terms", json, "terms", "(not 201)");
	}
	free(json);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(types_known),
		cmocka_unit_test(basic_cards),
		cmocka_unit_test(lengths_are_in_characters),
		cmocka_unit_test(cloze_cards),
		cmocka_unit_test(quizzes),
		cmocka_unit_test(summaries),
		cmocka_unit_test(key_terms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
