/*
 * criteria.c - achievement criteria: checking them and measuring a
 * learner's progress toward them (criteria.h shows the JSON of both).
 *
 * Each type is one row of a table: the fields it takes, which of them is
 * the target and which stats number measures it.  Checking and measuring
 * walk the same row, so the two cannot disagree about a type's shape.
 */
#include "gamify/criteria.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "content/rules.h"

#define TARGET_MAX	1000000

/* Where a type's stats number is found. */
enum measure {
	COUNTER,	/* stats[stat] */
	PER_EXAM,	/* stats[stat][exam] */
	SECONDS,	/* stats[stat], in seconds; the target is in minutes */
	DOMAIN		/* stats[stat]["<exam> <domain>"]: domain_met() */
};

struct kind {
	const char	*type;
	const char	*fields[5];	/* besides "type"; NULL-terminated */
	const char	*target;
	const char	*stat;
	enum measure	 measure;
};

static const struct kind kinds[] = {
	{"quiz_completed", {"count"}, "count", "quizzes", COUNTER},
	{"perfect_quiz", {"count"}, "count", "perfect", COUNTER},
	{"high_score_quiz", {"count"}, "count", "high", COUNTER},
	{"correct_answers", {"count"}, "count", "correct", COUNTER},
	{"study_streak", {"days"}, "days", "longest_streak", COUNTER},
	{"level_reached", {"level"}, "level", "level", COUNTER},
	{"exam_specific", {"exam", "count"}, "count", "exams", PER_EXAM},
	{"lessons_completed", {"count"}, "count", "lessons", COUNTER},
	{"study_time", {"minutes"}, "minutes", "study_seconds", SECONDS},
	{"flashcard_reviews", {"count"}, "count", "reviews", COUNTER},
	{"likes_received", {"count"}, "count", "likes_received", COUNTER},
	{"accepted_answers", {"count"}, "count", "accepted_answers", COUNTER},
	{"domain_mastery", {"exam", "domain", "percent", "questions"},
	    "questions", "domains", DOMAIN},
};

/*
 * Messages that quote the criteria are formatted here.  One per thread,
 * since the server checks criteria on its worker threads; a message stays
 * valid until the same thread checks criteria again.
 */
static _Thread_local char message[128];

/*
 * A JSON string's text, or NULL when v is not a string or holds a NUL:
 * "network\u0000x" must not pass for "network".
 */
static const char *
text(const json_t *v)
{
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

static bool
whole(const json_t *v, json_int_t max)
{
	return json_is_integer(v) && json_integer_value(v) >= 1 &&
	    json_integer_value(v) <= max;
}

/*
 * How many bytes of s a message quotes: at most 40, cut back to the start
 * of a UTF-8 character.  Messages end up in JSON problem documents, and
 * jansson refuses text that is not valid UTF-8.
 */
static int
quotable(const char *s, bool *cut)
{
	size_t n = strlen(s);

	*cut = n > 40;
	if (!*cut)
		return (int)n;
	n = 40;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

static const char *
quote(char *buf, size_t n, const char *what, const char *s)
{
	bool cut;
	int len = quotable(s, &cut);

	snprintf(buf, n, "%s \"%.*s%s\"", what, len, s, cut ? "..." : "");
	return buf;
}

static const char *
field_why(const char *name, const json_t *v, char *buf, size_t n)
{
	const char *s;

	if (strcmp(name, "exam") == 0)
		return (s = text(v)) != NULL && content_exam_code(s) == NULL ? NULL :
		    "exam must be an exam code such as network";
	if (strcmp(name, "domain") == 0)
		return (s = text(v)) != NULL && content_domain_code(s) == NULL ?
		    NULL :
		    "domain must be a domain code such as 2.0";
	if (strcmp(name, "percent") == 0)
		return whole(v, 100) ? NULL : "percent must be 1 to 100";
	if (whole(v, TARGET_MAX))
		return NULL;
	snprintf(buf, n, "%s must be a whole number from 1 to %d", name,
	    TARGET_MAX);
	return buf;
}

/*
 * NULL and *kp set when c is well formed, else why not (a constant or
 * buf).  Fields are checked in table order before extra keys are looked
 * for, so a misspelt field reads as the missing one it was meant to be.
 */
static const char *
check(const json_t *c, const struct kind **kp, char *buf, size_t n)
{
	const struct kind *k = NULL;
	const char *type, *why, *key;
	json_t *v;
	size_t i;

	if (!json_is_object(c))
		return "criteria must be an object";
	v = json_object_get(c, "type");
	if (v == NULL)
		return "type is missing";
	if (!json_is_string(v))
		return "type must be a string";
	if ((type = text(v)) == NULL)
		return "unknown type";
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && k == NULL; i++)
		if (strcmp(type, kinds[i].type) == 0)
			k = &kinds[i];
	if (k == NULL)
		return quote(buf, n, "unknown type", type);
	for (i = 0; k->fields[i] != NULL; i++) {
		if ((v = json_object_get(c, k->fields[i])) == NULL) {
			snprintf(buf, n, "%s is missing", k->fields[i]);
			return buf;
		}
		if ((why = field_why(k->fields[i], v, buf, n)) != NULL)
			return why;
	}
	if (json_object_size(c) > i + 1) {
		/* jansson's iterator takes a json_t *; it only reads. */
		json_object_foreach((json_t *)c, key, v) {
			size_t f;

			for (f = 0; k->fields[f] != NULL; f++)
				if (strcmp(key, k->fields[f]) == 0)
					break;
			if (k->fields[f] == NULL && strcmp(key, "type") != 0)
				return quote(buf, n, "unknown field", key);
		}
		/* A key with a NUL in it reads as one of ours. */
		return "unknown field";
	}
	*kp = k;
	return NULL;
}

const char *
criteria_check(const json_t *criteria)
{
	const struct kind *k;

	return check(criteria, &k, message, sizeof(message));
}

/* A stats number: anything but a whole number of at least 0 counts as 0. */
static json_int_t
number(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) > 0 ?
	    json_integer_value(v) : 0;
}

/*
 * correct * 100 >= percent * answered, without either product: the stats
 * are whatever the database sums up, and a product could overflow.  With
 * answered = 100q + r the right side is 100pq + pr, so the test is
 * correct - pq >= pr / 100 rounded up, where pq <= answered and pr < 10000.
 */
static bool
share_at_least(json_int_t correct, json_int_t answered, json_int_t percent)
{
	json_int_t q = answered / 100, r = answered % 100;

	return correct - percent * q >= (percent * r + 99) / 100;
}

/*
 * Mastery asks for two things: questions answered in the domain, and a
 * share of them right.  *have counts answers toward questions, but stays
 * one short while the share is too low; otherwise a learner with enough
 * answers and too few right would see "20 of 20" on an achievement they
 * do not have.
 */
static bool
domain_met(const json_t *c, const json_t *domains, json_int_t questions,
    json_int_t *have)
{
	char key[64];
	const json_t *d;
	json_int_t answered, correct, percent;

	/* Both codes were checked: at most 32 and 4 characters. */
	snprintf(key, sizeof(key), "%s %s",
	    json_string_value(json_object_get(c, "exam")),
	    json_string_value(json_object_get(c, "domain")));
	d = json_object_get(domains, key);
	answered = number(json_object_get(d, "answered"));
	correct = number(json_object_get(d, "correct"));
	percent = json_integer_value(json_object_get(c, "percent"));
	if (answered < questions) {
		*have = answered;
		return false;
	}
	if (share_at_least(correct, answered, percent)) {
		*have = questions;
		return true;
	}
	*have = questions - 1;
	return false;
}

bool
criteria_progress(const json_t *criteria, const json_t *stats, long *have,
    long *need)
{
	char buf[sizeof(message)];
	const struct kind *k;
	const json_t *src;
	json_int_t target, got = 0;
	bool met;

	/* A buffer of our own: measuring must not overwrite the message a
	 * caller may still hold from criteria_check. */
	if (check(criteria, &k, buf, sizeof(buf)) != NULL) {
		*have = 0;
		*need = 1;
		return false;
	}
	target = json_integer_value(json_object_get(criteria, k->target));
	/* json_object_get is NULL for a NULL or non-object stats. */
	src = json_object_get(stats, k->stat);
	switch (k->measure) {
	case COUNTER:
		got = number(src);
		break;
	case PER_EXAM:
		got = number(json_object_get(src,
		    json_string_value(json_object_get(criteria, "exam"))));
		break;
	case SECONDS:
		got = number(src) / 60;
		break;
	case DOMAIN:
		met = domain_met(criteria, src, target, &got);
		*have = (long)got;
		*need = (long)target;
		return met;
	}
	*have = (long)(got < target ? got : target);
	*need = (long)target;
	return got >= target;
}
