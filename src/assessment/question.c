/*
 * question.c - checking a question object and bringing it to normal form.
 *
 * Every check adds to err and goes on, so that a client learns about all
 * of its mistakes at once; the object is built only when there were none.
 */
#include "assessment/question.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "content/rules.h"
#include "core/util.h"

#define MAX_OPTIONS 10
#define MAX_PAIRS 12
#define MAX_DISTRACTORS 10
#define MAX_ANSWERS 20

static void
fail(struct question_errors *err, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (err->count >= QUESTION_MAX_ERRORS)
		return;
	snprintf(err->e[err->count].field, sizeof(err->e[0].field), "%s",
	    field);
	va_start(ap, fmt);
	vsnprintf(err->e[err->count].message, sizeof(err->e[0].message), fmt,
	    ap);
	va_end(ap);
	err->count++;
}

const char *
question_errors_text(const struct question_errors *err, char *buf, size_t n)
{
	size_t at = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < err->count && at < n; i++) {
		int w = snprintf(buf + at, n - at, "%s%s: %s", i ? "; " : "",
		    err->e[i].field, err->e[i].message);

		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}

/*
 * The text of v, trimmed, as a new JSON string; NULL (after recording the
 * error) when v is not a string of min..max characters without control
 * characters other than newlines and tabs.
 */
static json_t *
text(json_t *v, const char *field, size_t min, size_t max,
    struct question_errors *err)
{
	const char *s, *e;
	size_t n;
	json_t *out;
	char *copy;

	if (!json_is_string(v)) {
		fail(err, field, "must be a string");
		return NULL;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		fail(err, field, "must not contain NUL characters");
		return NULL;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		/* C0 but newlines and tabs, DEL, and C1 (U+0080..U+009F). */
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') ||
		    *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			fail(err, field, "must not contain control characters");
			return NULL;
		}
	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	copy = strndup(s, (size_t)(e - s));
	if (copy == NULL)
		return NULL;
	n = util_utf8_chars(copy);
	if (n < min || n > max) {
		if (min > 0 && n == 0)
			fail(err, field, "must not be empty");
		else
			fail(err, field, "must be at most %zu characters", max);
		free(copy);
		return NULL;
	}
	out = json_string(copy);
	free(copy);
	return out;
}

/* An optional text: JSON null when absent, null or empty. */
static json_t *
optional_text(const json_t *obj, const char *key, const char *field,
    size_t max, struct question_errors *err)
{
	json_t *v = json_object_get(obj, key);
	json_t *t;

	if (v == NULL || json_is_null(v))
		return json_null();
	if ((t = text(v, field, 0, max, err)) == NULL)
		return NULL;
	if (json_string_length(t) == 0) {
		json_decref(t);
		return json_null();
	}
	return t;
}

static bool
only(const json_t *obj, const char *const *keys, const char *field,
    struct question_errors *err)
{
	const char *k;
	json_t *v;
	bool ok = true;

	json_object_foreach((json_t *)obj, k, v) {
		size_t i;

		(void)v;
		for (i = 0; keys[i] && strcmp(keys[i], k) != 0; i++)
			;
		if (keys[i] == NULL) {
			char f[96];

			snprintf(f, sizeof(f), "%s%s%s", field, *field ? "." : "",
			    k);
			fail(err, f, "is not a known field");
			ok = false;
		}
	}
	return ok;
}

static bool
key_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 8)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return false;
	return true;
}

/* A key field of element i of list; NULL when bad (recorded). */
static const char *
item_key(json_t *item, const char *list, size_t i, json_t *seen,
    struct question_errors *err)
{
	json_t *k = json_object_get(item, "key");
	char f[96];

	snprintf(f, sizeof(f), "body.%s[%zu].key", list, i);
	if (!json_is_string(k) || !key_ok(json_string_value(k))) {
		fail(err, f, "must be 1 to 8 letters or digits");
		return NULL;
	}
	if (json_object_get(seen, json_string_value(k)) != NULL) {
		fail(err, f, "is used twice");
		return NULL;
	}
	json_object_set_new(seen, json_string_value(k), json_true());
	return json_string_value(k);
}

static json_t *
list_of(const json_t *body, const char *name, size_t min, size_t max,
    struct question_errors *err)
{
	json_t *a = json_object_get(body, name);
	char f[64];

	snprintf(f, sizeof(f), "body.%s", name);
	if (!json_is_array(a)) {
		fail(err, f, "must be a list");
		return NULL;
	}
	if (json_array_size(a) < min || json_array_size(a) > max) {
		fail(err, f, "must hold %zu to %zu entries", min, max);
		return NULL;
	}
	return a;
}

static json_t *
body_options(const char *type, const json_t *body, struct question_errors *err)
{
	static const char *const keys[] = {"key", "text", "explanation",
	    "correct", NULL};
	bool tf = strcmp(type, "true_false") == 0;
	json_t *a = list_of(body, "options", 2, tf ? 2 : MAX_OPTIONS, err);
	json_t *out, *seen;
	size_t i, ncorrect = 0;
	int before = err->count;
	json_t *item;

	if (a == NULL)
		return NULL;
	out = json_array();
	seen = json_object();
	json_array_foreach(a, i, item) {
		char f[96];
		const char *key;
		json_t *t, *x, *c;

		snprintf(f, sizeof(f), "body.options[%zu]", i);
		if (!json_is_object(item)) {
			fail(err, f, "must be an object");
			continue;
		}
		only(item, keys, f, err);
		key = item_key(item, "options", i, seen, err);
		snprintf(f, sizeof(f), "body.options[%zu].text", i);
		t = text(json_object_get(item, "text"), f, 1, 1000, err);
		snprintf(f, sizeof(f), "body.options[%zu].explanation", i);
		x = optional_text(item, "explanation", f, 2000, err);
		c = json_object_get(item, "correct");
		snprintf(f, sizeof(f), "body.options[%zu].correct", i);
		if (c != NULL && !json_is_boolean(c))
			fail(err, f, "must be true or false");
		if (json_is_true(c))
			ncorrect++;
		if (key != NULL && t != NULL && x != NULL)
			json_array_append_new(out, json_pack("{s:s, s:o, s:o, s:b}",
			    "key", key, "text", t, "explanation", x, "correct",
			    json_is_true(c)));
		else {
			json_decref(t);
			json_decref(x);
		}
	}
	if (tf && json_array_size(out) == 2 &&
	    (json_object_get(seen, "true") == NULL ||
	    json_object_get(seen, "false") == NULL))
		fail(err, "body.options", "a true/false question has the "
		    "options \"true\" and \"false\"");
	if (strcmp(type, "multiple_select") == 0 ? ncorrect < 1 : ncorrect != 1)
		fail(err, "body.options", strcmp(type, "multiple_select") == 0 ?
		    "at least one option must be correct" :
		    "exactly one option must be correct");
	json_decref(seen);
	if (err->count > before) {
		json_decref(out);
		return NULL;
	}
	if (tf && strcmp(json_string_value(json_object_get(
	    json_array_get(out, 0), "key")), "true") != 0) {
		/* True comes first, whatever order it was written in. */
		json_t *first = json_incref(json_array_get(out, 0));

		json_array_remove(out, 0);
		json_array_append_new(out, first);
	}
	return json_pack("{s:o}", "options", out);
}

/*
 * The optional "credit" of a fill_blank answer or range: a number above 0
 * and at most 1 (a fraction of the question's points, as Moodle's
 * =%50%answer).  Full credit is left out of the normal form, so that the
 * hash of a question written before credit existed stays what it was.
 * 0 when bad (recorded), else the credit.
 */
static double
fill_answer_credit(json_t *item, const char *field,
    struct question_errors *err)
{
	json_t *c = json_object_get(item, "credit");
	char f[96];

	if (c == NULL || json_is_null(c))
		return 1;
	snprintf(f, sizeof(f), "%s.credit", field);
	if (!json_is_number(c) || !(json_number_value(c) > 0) ||
	    json_number_value(c) > 1) {
		fail(err, f, "must be a number above 0 and at most 1");
		return 0;
	}
	return json_number_value(c);
}

static void
set_credit(json_t *o, double credit)
{
	if (credit < 1)
		json_object_set_new(o, "credit", json_real(credit));
}

/* True when an entry of list (normal form) earns full credit. */
static bool
full_credit(const json_t *list)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
		if (json_object_get(v, "credit") == NULL)
			return true;
	return false;
}

static json_t *
body_fill(const json_t *body, struct question_errors *err)
{
	static const char *const keys[] = {"answers", "numeric",
	    "case_sensitive", "whitespace", NULL};
	json_t *answers = json_array(), *numeric = json_array();
	json_t *a, *item, *cs, *ws;
	const char *wsv = "collapse";
	int before = err->count;
	double credit;
	size_t i;

	only(body, keys, "body", err);
	a = json_object_get(body, "answers");
	if (a != NULL && !json_is_array(a))
		fail(err, "body.answers", "must be a list");
	else if (json_array_size(a) > MAX_ANSWERS)
		fail(err, "body.answers", "must hold at most %d entries",
		    MAX_ANSWERS);
	else
		json_array_foreach(a, i, item) {
			char f[96];
			json_t *t;

			snprintf(f, sizeof(f), "body.answers[%zu]", i);
			if (!json_is_object(item)) {
				fail(err, f, "must be an object with a text");
				continue;
			}
			credit = fill_answer_credit(item, f, err);
			snprintf(f, sizeof(f), "body.answers[%zu].text", i);
			if ((t = text(json_object_get(item, "text"), f, 1, 200,
			    err)) != NULL && credit > 0) {
				json_t *one = json_pack("{s:o}", "text", t);

				set_credit(one, credit);
				json_array_append_new(answers, one);
			} else
				json_decref(t);
		}
	a = json_object_get(body, "numeric");
	if (a != NULL && !json_is_array(a))
		fail(err, "body.numeric", "must be a list");
	else if (json_array_size(a) > MAX_ANSWERS)
		fail(err, "body.numeric", "must hold at most %d entries",
		    MAX_ANSWERS);
	else
		json_array_foreach(a, i, item) {
			char f[96];
			json_t *v = json_object_get(item, "value");
			json_t *t = json_object_get(item, "tolerance");

			snprintf(f, sizeof(f), "body.numeric[%zu]", i);
			if (!json_is_number(v) || (t != NULL && !json_is_number(t))
			    || (t != NULL && json_number_value(t) < 0) ||
			    !isfinite(json_number_value(v)) ||
			    fabs(json_number_value(v)) > 1e15) {
				fail(err, f, "must be {\"value\": a number, "
				    "\"tolerance\": a number >= 0}");
				continue;
			}
			if ((credit = fill_answer_credit(item, f, err)) > 0) {
				json_t *one = json_pack("{s:f, s:f}", "value",
				    json_number_value(v), "tolerance",
				    t ? json_number_value(t) : 0.0);

				set_credit(one, credit);
				json_array_append_new(numeric, one);
			}
		}
	cs = json_object_get(body, "case_sensitive");
	if (cs != NULL && !json_is_boolean(cs))
		fail(err, "body.case_sensitive", "must be true or false");
	ws = json_object_get(body, "whitespace");
	if (ws != NULL) {
		wsv = json_string_value(ws);
		if (wsv == NULL || (strcmp(wsv, "collapse") != 0 &&
		    strcmp(wsv, "ignore") != 0 && strcmp(wsv, "exact") != 0)) {
			fail(err, "body.whitespace", "must be collapse, ignore "
			    "or exact");
			wsv = "collapse";
		}
	}
	if (err->count == before && json_array_size(answers) == 0 &&
	    json_array_size(numeric) == 0)
		fail(err, "body.answers", "give at least one accepted answer "
		    "or numeric range");
	else if (err->count == before && !full_credit(answers) &&
	    !full_credit(numeric))
		fail(err, "body.answers", "at least one answer or numeric range "
		    "must earn full credit");
	if (err->count > before) {
		json_decref(answers);
		json_decref(numeric);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:b, s:s}", "answers", answers, "numeric",
	    numeric, "case_sensitive", json_is_true(cs), "whitespace", wsv);
}

/*
 * A matching question's distractors: right-hand texts that match no left
 * (Moodle's "extra wrong answers"), each {"key", "text"}.  Their keys
 * share the pairs' key space (seen) and their texts differ from every
 * right text (rights), so that a learner's pick is never ambiguous.
 * Absent or empty: an empty list, left out of the normal form so that the
 * hash of a question without distractors stays what it was.
 */
static json_t *
distractors(const json_t *body, json_t *seen, json_t *rights,
    struct question_errors *err)
{
	static const char *const keys[] = {"key", "text", NULL};
	json_t *a = json_object_get(body, "distractors"), *out, *item;
	size_t i;

	if (a == NULL || json_is_null(a))
		return json_array();
	if ((a = list_of(body, "distractors", 0, MAX_DISTRACTORS, err)) ==
	    NULL)
		return NULL;
	out = json_array();
	json_array_foreach(a, i, item) {
		char f[96];
		const char *key;
		json_t *t;

		snprintf(f, sizeof(f), "body.distractors[%zu]", i);
		if (!json_is_object(item)) {
			fail(err, f, "must be an object");
			continue;
		}
		only(item, keys, f, err);
		key = item_key(item, "distractors", i, seen, err);
		snprintf(f, sizeof(f), "body.distractors[%zu].text", i);
		t = text(json_object_get(item, "text"), f, 1, 500, err);
		if (t != NULL && json_object_get(rights, json_string_value(t))) {
			fail(err, f, "is the same as another right text");
			json_decref(t);
			t = NULL;
		} else if (t != NULL)
			json_object_set_new(rights, json_string_value(t),
			    json_true());
		if (key && t)
			json_array_append_new(out, json_pack("{s:s, s:o}",
			    "key", key, "text", t));
		else
			json_decref(t);
	}
	return out;
}

/*
 * matching (pairs: key, left, right, explanation; distractors: key, text)
 * or ordering (items).
 */
static json_t *
body_list(const char *type, const json_t *body, struct question_errors *err)
{
	static const char *const pair_keys[] = {"key", "left", "right",
	    "explanation", NULL};
	static const char *const item_keys[] = {"key", "text", NULL};
	bool matching = strcmp(type, "matching") == 0;
	const char *name = matching ? "pairs" : "items";
	json_t *a, *out, *seen, *rights, *item, *extra;
	int before = err->count;
	size_t i;

	only(body, matching ? (const char *const[]){name, "distractors", NULL} :
	    (const char *const[]){name, NULL}, "body", err);
	if ((a = list_of(body, name, 2, MAX_PAIRS, err)) == NULL)
		return NULL;
	out = json_array();
	seen = json_object();
	rights = json_object();
	json_array_foreach(a, i, item) {
		char f[96];
		const char *key;

		snprintf(f, sizeof(f), "body.%s[%zu]", name, i);
		if (!json_is_object(item)) {
			fail(err, f, "must be an object");
			continue;
		}
		only(item, matching ? pair_keys : item_keys, f, err);
		key = item_key(item, name, i, seen, err);
		if (matching) {
			json_t *l, *r, *x;

			snprintf(f, sizeof(f), "body.pairs[%zu].left", i);
			l = text(json_object_get(item, "left"), f, 1, 500, err);
			snprintf(f, sizeof(f), "body.pairs[%zu].right", i);
			r = text(json_object_get(item, "right"), f, 1, 500, err);
			snprintf(f, sizeof(f), "body.pairs[%zu].explanation", i);
			x = optional_text(item, "explanation", f, 2000, err);
			if (r != NULL) {
				if (json_object_get(rights,
				    json_string_value(r)) != NULL) {
					snprintf(f, sizeof(f),
					    "body.pairs[%zu].right", i);
					fail(err, f, "is the same as another "
					    "pair's");
				}
				json_object_set_new(rights, json_string_value(r),
				    json_true());
			}
			if (key && l && r && x)
				json_array_append_new(out, json_pack(
				    "{s:s, s:o, s:o, s:o}", "key", key, "left", l,
				    "right", r, "explanation", x));
			else {
				json_decref(l);
				json_decref(r);
				json_decref(x);
			}
		} else {
			json_t *t;

			snprintf(f, sizeof(f), "body.items[%zu].text", i);
			t = text(json_object_get(item, "text"), f, 1, 500, err);
			if (key && t)
				json_array_append_new(out, json_pack("{s:s, s:o}",
				    "key", key, "text", t));
			else
				json_decref(t);
		}
	}
	extra = matching ? distractors(body, seen, rights, err) : NULL;
	json_decref(seen);
	json_decref(rights);
	if (err->count > before) {
		json_decref(out);
		json_decref(extra);
		return NULL;
	}
	if (extra != NULL && json_array_size(extra) > 0)
		return json_pack("{s:o, s:o}", name, out, "distractors", extra);
	json_decref(extra);
	return json_pack("{s:o}", name, out);
}

const char *
question_type(const char *s)
{
	static const char *const types[] = {"single_choice", "multiple_select",
	    "true_false", "fill_blank", "matching", "ordering", NULL};

	for (int i = 0; types[i]; i++)
		if (strcmp(s, types[i]) == 0)
			return NULL;
	return "must be single_choice, multiple_select, true_false, "
	    "fill_blank, matching or ordering";
}

bool
question_has_options(const char *type)
{
	return strcmp(type, "single_choice") == 0 ||
	    strcmp(type, "multiple_select") == 0 ||
	    strcmp(type, "true_false") == 0;
}

/* A list of distinct strings, each passing ok (NULL or why not). */
static json_t *
words(const json_t *q, const char *key, size_t max,
    const char *(*ok)(const char *), struct question_errors *err)
{
	json_t *a = json_object_get(q, key), *out, *v;
	size_t i;
	int before = err->count;

	if (a == NULL || json_is_null(a))
		return json_array();
	if (!json_is_array(a) || json_array_size(a) > max) {
		fail(err, key, "must be a list of at most %zu entries", max);
		return NULL;
	}
	out = json_array();
	json_array_foreach(a, i, v) {
		char f[64];
		const char *why;
		bool dup = false;
		size_t j;
		json_t *w;

		snprintf(f, sizeof(f), "%s[%zu]", key, i);
		if (!json_is_string(v)) {
			fail(err, f, "must be a string");
			continue;
		}
		if ((why = ok(json_string_value(v))) != NULL) {
			fail(err, f, "%s", why);
			continue;
		}
		json_array_foreach(out, j, w)
			dup = dup || json_equal(w, v);
		if (!dup)
			json_array_append(out, v);
	}
	if (err->count > before) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *
question_normalize(const json_t *q, const char *default_status,
    struct question_errors *err)
{
	static const char *const fields[] = {"external_id", "type", "stem",
	    "explanation", "exam", "domain", "objectives", "difficulty", "tags",
	    "status", "body", NULL};
	json_t *v, *stem = NULL, *expl = NULL, *objs = NULL, *tags = NULL;
	json_t *body = NULL, *ext = json_null(), *exam = json_null();
	json_t *domain = json_null();
	const char *type = NULL, *status = default_status;
	json_int_t difficulty = 3;

	memset(err, 0, sizeof(*err));
	if (!json_is_object(q)) {
		fail(err, "", "a question must be a JSON object");
		return NULL;
	}
	only(q, fields, "", err);

	v = json_object_get(q, "external_id");
	if (v != NULL && !json_is_null(v)) {
		const char *s = json_string_value(v);

		if (s == NULL || strlen(s) < 1 || strlen(s) > 100 ||
		    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._:-") != strlen(s))
			fail(err, "external_id", "must be 1 to 100 letters, "
			    "digits or . _ : -");
		else
			ext = json_string(s);
	}
	v = json_object_get(q, "type");
	if (!json_is_string(v))
		fail(err, "type", "is required");
	else if (question_type(json_string_value(v)) != NULL)
		fail(err, "type", "%s", question_type(json_string_value(v)));
	else
		type = json_string_value(v);
	stem = text(json_object_get(q, "stem"), "stem", 1, 5000, err);
	if (json_object_get(q, "stem") == NULL && stem == NULL &&
	    err->count > 0 && strcmp(err->e[err->count - 1].field, "stem") == 0)
		snprintf(err->e[err->count - 1].message,
		    sizeof(err->e[0].message), "is required");
	expl = optional_text(q, "explanation", "explanation", 5000, err);

	v = json_object_get(q, "exam");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) ||
		    content_exam_code(json_string_value(v)) != NULL)
			fail(err, "exam", "must be an exam code such as network");
		else
			exam = json_incref(v);
	}
	v = json_object_get(q, "domain");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) ||
		    content_domain_code(json_string_value(v)) != NULL)
			fail(err, "domain", "must be a domain code such as 2.0");
		else
			domain = json_incref(v);
	}
	objs = words(q, "objectives", 20, content_objective_code, err);
	tags = words(q, "tags", 20, content_tag, err);
	if (objs != NULL && json_array_size(objs) > 0) {
		const char *first = json_string_value(json_array_get(objs, 0));

		if (json_is_null(domain)) {
			char d[8];

			snprintf(d, sizeof(d), "%.*s.0",
			    (int)strcspn(first, "."), first);
			json_decref(domain);
			domain = json_string(d);
		} else if (strncmp(first, json_string_value(domain),
		    strcspn(first, ".") + 1) != 0)
			fail(err, "domain", "does not hold the first objective, "
			    "%s", first);
	}
	if (json_is_null(exam) && (!json_is_null(domain) ||
	    json_array_size(objs) > 0))
		fail(err, "exam", "is needed with a domain or objectives");

	v = json_object_get(q, "difficulty");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 5)
			fail(err, "difficulty", "must be a whole number from 1 "
			    "to 5");
		else
			difficulty = json_integer_value(v);
	}
	v = json_object_get(q, "status");
	if (v != NULL && !json_is_null(v)) {
		status = json_string_value(v);
		if (status == NULL || (strcmp(status, "draft") != 0 &&
		    strcmp(status, "active") != 0 &&
		    strcmp(status, "retired") != 0)) {
			fail(err, "status", "must be draft, active or retired");
			status = default_status;
		}
	}
	v = json_object_get(q, "body");
	if (!json_is_object(v))
		fail(err, "body", "must be an object");
	else if (type != NULL) {
		if (question_has_options(type)) {
			only(v, (const char *const[]){"options", NULL}, "body",
			    err);
			body = body_options(type, v, err);
		} else if (strcmp(type, "fill_blank") == 0)
			body = body_fill(v, err);
		else
			body = body_list(type, v, err);
	}

	if (err->count > 0) {
		json_decref(stem);
		json_decref(expl);
		json_decref(objs);
		json_decref(tags);
		json_decref(body);
		json_decref(ext);
		json_decref(exam);
		json_decref(domain);
		return NULL;
	}
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:s, "
	    "s:o}", "external_id", ext, "type", type, "stem", stem,
	    "explanation", expl, "exam", exam, "domain", domain, "objectives",
	    objs, "difficulty", difficulty, "tags", tags, "status", status,
	    "body", body);
}

void
question_hash(const json_t *q, char out[65])
{
	json_t *key = json_pack("{s:O, s:O, s:O}", "type",
	    json_object_get(q, "type"), "stem", json_object_get(q, "stem"),
	    "body", json_object_get(q, "body"));
	char *s = json_dumps(key, JSON_SORT_KEYS | JSON_COMPACT);

	util_sha256_hex(s, strlen(s), out);
	free(s);
	json_decref(key);
}
