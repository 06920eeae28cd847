/*
 * score.c - layouts, answers, credit, apportioning and the scaled score.
 */
#include "assessment/score.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment/question.h"
#include "core/util.h"

enum labels { UPPER, LOWER, DIGITS, KEYS };

static bool
is(const char *type, const char *name)
{
	return strcmp(type, name) == 0;
}

/* The list of the body that a type's layout orders, and its name. */
static json_t *
items_of(const char *type, const json_t *body)
{
	if (question_has_options(type))
		return json_object_get(body, "options");
	if (is(type, "matching"))
		return json_object_get(body, "pairs");
	if (is(type, "ordering"))
		return json_object_get(body, "items");
	return NULL;
}

static void
label(enum labels kind, size_t i, const char *key, char out[12])
{
	if (kind == KEYS)
		snprintf(out, 12, "%s", key);
	else if (kind == DIGITS)
		snprintf(out, 12, "%u", (unsigned)(i + 1) % 1000u);
	else
		snprintf(out, 12, "%c", (char)((kind == UPPER ? 'A' : 'a') + i));
}

/* The keys of list, shuffled when asked. */
static json_t *
order(const json_t *list, bool shuffle, unsigned (*rand)(unsigned n))
{
	size_t n = json_array_size(list);
	json_t *out = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append(out, json_object_get(json_array_get(list, i),
		    "key"));
	if (!shuffle)
		return out;
	for (size_t i = n; i > 1; i--) {	/* Fisher-Yates */
		size_t j = rand((unsigned)i);
		json_t *a = json_incref(json_array_get(out, i - 1));

		json_array_set(out, i - 1, json_array_get(out, j));
		json_array_set_new(out, j, a);
	}
	return out;
}

static bool
same_order(const json_t *keys, const json_t *list)
{
	for (size_t i = 0; i < json_array_size(keys); i++)
		if (!json_equal(json_array_get(keys, i), json_object_get(
		    json_array_get(list, i), "key")))
			return false;
	return true;
}

json_t *
score_layout(const char *type, const json_t *body, bool shuffle,
    unsigned (*rand)(unsigned n))
{
	json_t *list = items_of(type, body);

	if (is(type, "true_false"))
		return json_pack("{s:o}", "options", order(list, false, rand));
	if (question_has_options(type))
		return json_pack("{s:o}", "options", order(list, shuffle, rand));
	if (is(type, "matching")) {
		json_t *all = json_deep_copy(list), *rights;

		/* Distractors are shown among the right texts. */
		json_array_extend(all, json_object_get(body, "distractors"));
		rights = order(all, true, rand);
		json_decref(all);
		return json_pack("{s:o, s:o}", "lefts", order(list, shuffle,
		    rand), "rights", rights);
	}
	if (is(type, "ordering")) {
		json_t *keys = order(list, true, rand);

		if (same_order(keys, list)) {
			/* Shown as the answer: swap the first two instead. */
			json_t *a = json_incref(json_array_get(keys, 0));

			json_array_set(keys, 0, json_array_get(keys, 1));
			json_array_set_new(keys, 1, a);
		}
		return json_pack("{s:o}", "items", keys);
	}
	return json_object();
}

/* The key shown under label in keys (labelled kind); NULL if none. */
static json_t *
key_of(const json_t *keys, enum labels kind, const json_t *lab)
{
	const char *s = json_string_value(lab);

	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < json_array_size(keys); i++) {
		char l[12];
		json_t *k = json_array_get(keys, i);

		label(kind, i, json_string_value(k), l);
		if (strcmp(l, s) == 0)
			return k;
	}
	return NULL;
}

/* The label of key in keys; NULL if it is not there. */
static json_t *
label_of(const json_t *keys, enum labels kind, const json_t *key)
{
	for (size_t i = 0; i < json_array_size(keys); i++)
		if (json_equal(json_array_get(keys, i), key)) {
			char l[12];

			label(kind, i, json_string_value(key), l);
			return json_string(l);
		}
	return NULL;
}

static enum labels
option_labels(const char *type)
{
	return is(type, "true_false") ? KEYS : UPPER;
}

static bool
in_list(const json_t *list, const json_t *v)
{
	for (size_t i = 0; i < json_array_size(list); i++)
		if (json_equal(json_array_get(list, i), v))
			return true;
	return false;
}

static bool
only_field(const json_t *given, const char *name)
{
	return json_is_object(given) && json_object_size(given) == 1 &&
	    json_object_get(given, name) != NULL;
}

json_t *
score_answer_in(const char *type, const json_t *body, const json_t *layout,
    const json_t *given, const char **why)
{
	(void)body;
	if (is(type, "single_choice") || is(type, "true_false")) {
		json_t *k = only_field(given, "choice") ? key_of(json_object_get(
		    layout, "options"), option_labels(type), json_object_get(
		    given, "choice")) : NULL;

		*why = "must be {\"choice\": one of the option labels}";
		return k ? json_pack("{s:O}", "choice", k) : NULL;
	}
	if (is(type, "multiple_select")) {
		json_t *a = json_object_get(given, "choices"), *out, *v;
		json_t *keys = json_object_get(layout, "options");
		size_t i;

		*why = "must be {\"choices\": [option labels, at least one, "
		    "each once]}";
		if (!only_field(given, "choices") || !json_is_array(a) ||
		    json_array_size(a) == 0 ||
		    json_array_size(a) > json_array_size(keys))
			return NULL;
		out = json_array();
		json_array_foreach(a, i, v) {
			json_t *k = key_of(keys, UPPER, v);

			if (k == NULL || in_list(out, k)) {
				json_decref(out);
				return NULL;
			}
			json_array_append(out, k);
		}
		return json_pack("{s:o}", "choices", out);
	}
	if (is(type, "fill_blank")) {
		json_t *t = json_object_get(given, "text");

		*why = "must be {\"text\": up to 500 characters}";
		if (!only_field(given, "text") || !json_is_string(t) ||
		    strlen(json_string_value(t)) != json_string_length(t) ||
		    util_utf8_chars(json_string_value(t)) > 500)
			return NULL;
		return json_pack("{s:O}", "text", t);
	}
	if (is(type, "matching")) {
		json_t *m = json_object_get(given, "pairs"), *out, *used, *v;
		const char *l;

		*why = "must be {\"pairs\": {left label: right label, ...}}, "
		    "at least one, each right label used once";
		if (!only_field(given, "pairs") || !json_is_object(m) ||
		    json_object_size(m) == 0)
			return NULL;
		out = json_object();
		used = json_array();
		json_object_foreach(m, l, v) {
			json_t *lab = json_string(l);
			json_t *lk = key_of(json_object_get(layout, "lefts"),
			    DIGITS, lab);
			json_t *rk = key_of(json_object_get(layout, "rights"),
			    LOWER, v);

			json_decref(lab);
			if (lk == NULL || rk == NULL || in_list(used, rk)) {
				json_decref(out);
				json_decref(used);
				return NULL;
			}
			json_array_append(used, rk);
			json_object_set(out, json_string_value(lk), rk);
		}
		json_decref(used);
		return json_pack("{s:o}", "pairs", out);
	}
	if (is(type, "ordering")) {
		json_t *a = json_object_get(given, "order"), *out, *v;
		json_t *keys = json_object_get(layout, "items");
		size_t i;

		*why = "must be {\"order\": [every item label, once each]}";
		if (!only_field(given, "order") || !json_is_array(a) ||
		    json_array_size(a) != json_array_size(keys))
			return NULL;
		out = json_array();
		json_array_foreach(a, i, v) {
			json_t *k = key_of(keys, UPPER, v);

			if (k == NULL || in_list(out, k)) {
				json_decref(out);
				return NULL;
			}
			json_array_append(out, k);
		}
		return json_pack("{s:o}", "order", out);
	}
	*why = "this question takes no answer";
	return NULL;
}

json_t *
score_answer_out(const char *type, const json_t *layout, const json_t *answer)
{
	json_t *out, *v;
	size_t i;

	if (answer == NULL || json_is_null(answer))
		return json_null();
	if (is(type, "single_choice") || is(type, "true_false")) {
		json_t *l = label_of(json_object_get(layout, "options"),
		    option_labels(type), json_object_get(answer, "choice"));

		return l ? json_pack("{s:o}", "choice", l) : json_null();
	}
	if (is(type, "multiple_select")) {
		out = json_array();
		json_array_foreach(json_object_get(answer, "choices"), i, v) {
			json_t *l = label_of(json_object_get(layout, "options"),
			    UPPER, v);

			if (l)
				json_array_append_new(out, l);
		}
		return json_pack("{s:o}", "choices", out);
	}
	if (is(type, "fill_blank"))
		return json_deep_copy(answer);
	if (is(type, "matching")) {
		const char *k;

		out = json_object();
		json_object_foreach(json_object_get(answer, "pairs"), k, v) {
			json_t *key = json_string(k);
			json_t *l = label_of(json_object_get(layout, "lefts"),
			    DIGITS, key);
			json_t *r = label_of(json_object_get(layout, "rights"),
			    LOWER, v);

			if (l && r)
				json_object_set_new(out, json_string_value(l), r);
			else
				json_decref(r);
			json_decref(l);
			json_decref(key);
		}
		return json_pack("{s:o}", "pairs", out);
	}
	if (is(type, "ordering")) {
		out = json_array();
		json_array_foreach(json_object_get(answer, "order"), i, v) {
			json_t *l = label_of(json_object_get(layout, "items"),
			    UPPER, v);

			if (l)
				json_array_append_new(out, l);
		}
		return json_pack("{s:o}", "order", out);
	}
	return json_null();
}

/* ---- credit ------------------------------------------------------------- */

/* s with the question's whitespace and case rules applied, malloc'd. */
static char *
fold(const char *s, const char *ws, bool case_sensitive)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	bool exact = strcmp(ws, "exact") == 0;
	bool ignore = strcmp(ws, "ignore") == 0;

	if (out == NULL)
		abort();
	if (!exact)
		while (isspace((unsigned char)*s))
			s++;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!exact && isspace(c)) {
			if (ignore)
				continue;
			while (isspace((unsigned char)s[1]))
				s++;
			if (s[1] == '\0')
				break;
			c = ' ';
		}
		*o++ = (char)(case_sensitive ? c : tolower(c));
	}
	*o = '\0';
	return out;
}

/* A whole number in text ("22", " -1.5 ", "1e3"); false when it is not. */
static bool
number(const char *s, double *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	/* Decimal only: strtod would also take "0x16", "inf" and "nan". */
	if (*s == '\0' || s[strspn(s, "0123456789+-.eE \t")] != '\0')
		return false;
	*out = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0' && isfinite(*out);
}

/* An answer's or range's credit: "credit" when below full, else 1. */
static double
credit_of(const json_t *v)
{
	json_t *c = json_object_get(v, "credit");

	return json_is_number(c) ? json_number_value(c) : 1;
}

/* The best credit of the accepted answers and ranges that given hits. */
static double
fill_credit(const json_t *body, const char *given)
{
	const char *ws = json_string_value(json_object_get(body, "whitespace"));
	bool cs = json_is_true(json_object_get(body, "case_sensitive"));
	char *g = fold(given, ws ? ws : "collapse", cs);
	double x, hit = 0;
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(body, "answers"), i, v) {
		char *a = fold(json_string_value(json_object_get(v, "text")),
		    ws ? ws : "collapse", cs);

		if (strcmp(a, g) == 0)
			hit = fmax(hit, credit_of(v));
		free(a);
	}
	if (hit < 1 && number(given, &x))
		json_array_foreach(json_object_get(body, "numeric"), i, v) {
			double c = json_number_value(json_object_get(v, "value"));
			double t = json_number_value(json_object_get(v,
			    "tolerance"));

			/* A hair of slack for decimal fractions. */
			if (fabs(x - c) <= t + 1e-9 * fmax(1, fabs(c)))
				hit = fmax(hit, credit_of(v));
		}
	free(g);
	return hit;
}

static double
choices_credit(const json_t *body, const json_t *chosen, bool partial)
{
	size_t i, ncorrect = 0, right = 0, wrong = 0;
	json_t *o;

	json_array_foreach(json_object_get(body, "options"), i, o) {
		bool picked = in_list(chosen, json_object_get(o, "key"));

		if (json_is_true(json_object_get(o, "correct"))) {
			ncorrect++;
			right += picked;
		} else
			wrong += picked;
	}
	if (ncorrect == 0)
		return 0;
	if (!partial)
		return right == ncorrect && wrong == 0;
	return right <= wrong ? 0 : (double)(right - wrong) / (double)ncorrect;
}

static double
matching_credit(const json_t *body, const json_t *pairs, bool partial)
{
	json_t *list = json_object_get(body, "pairs"), *p;
	size_t i, hits = 0, n = json_array_size(list);

	json_array_foreach(list, i, p) {
		const char *k = json_string_value(json_object_get(p, "key"));
		json_t *r = json_object_get(pairs, k);

		hits += r != NULL && strcmp(json_string_value(r), k) == 0;
	}
	if (n == 0)
		return 0;
	return partial ? (double)hits / (double)n : hits == n;
}

static double
ordering_credit(const json_t *body, const json_t *order, bool partial)
{
	json_t *items = json_object_get(body, "items");
	size_t n = json_array_size(items), good = 0, total = n * (n - 1) / 2;
	size_t pos[16];

	if (n < 2 || n > 16 || json_array_size(order) != n)
		return 0;
	/* pos[i]: where the learner put the item that belongs at i. */
	for (size_t i = 0; i < n; i++) {
		json_t *k = json_object_get(json_array_get(items, i), "key");

		pos[i] = n;
		for (size_t j = 0; j < n; j++)
			if (json_equal(json_array_get(order, j), k))
				pos[i] = j;
		if (pos[i] == n)
			return 0;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			good += pos[i] < pos[j];
	return partial ? (double)good / (double)total : good == total;
}

double
score_credit(const char *type, const json_t *body, const json_t *answer,
    bool partial)
{
	double c = 0;

	if (answer == NULL || !json_is_object(answer))
		return 0;
	if (is(type, "single_choice") || is(type, "true_false")) {
		json_t *k = json_object_get(answer, "choice");
		json_t *one = json_pack("[O]", k ? k : json_null());

		c = choices_credit(body, one, false);
		json_decref(one);
	} else if (is(type, "multiple_select"))
		c = choices_credit(body, json_object_get(answer, "choices"),
		    partial);
	else if (is(type, "fill_blank")) {
		const char *t = json_string_value(json_object_get(answer,
		    "text"));

		c = t ? fill_credit(body, t) : 0;
		if (!partial && c < 1)
			c = 0;
	} else if (is(type, "matching"))
		c = matching_credit(body, json_object_get(answer, "pairs"),
		    partial);
	else if (is(type, "ordering"))
		c = ordering_credit(body, json_object_get(answer, "order"),
		    partial);
	return round(c * 100000.0) / 100000.0;
}

/* ---- what the learner sees ---------------------------------------------- */

/* The entry of list whose key is key. */
static json_t *
find(const json_t *list, const json_t *key)
{
	for (size_t i = 0; i < json_array_size(list); i++)
		if (json_equal(json_object_get(json_array_get(list, i), "key"),
		    key))
			return json_array_get(list, i);
	return NULL;
}

json_t *
score_view(const char *type, const json_t *body, const json_t *layout,
    const json_t *answer, bool reveal)
{
	json_t *view = json_object();
	json_t *shown = score_answer_out(type, layout, answer);
	size_t i;
	json_t *k;

	if (question_has_options(type)) {
		json_t *opts = json_array();
		const json_t *chosen = json_object_get(answer, "choices");
		json_t *one = json_pack("[O]", answer && json_object_get(answer,
		    "choice") ? json_object_get(answer, "choice") : json_null());

		if (chosen == NULL)
			chosen = one;
		json_array_foreach(json_object_get(layout, "options"), i, k) {
			json_t *o = find(json_object_get(body, "options"), k);
			char l[12];
			json_t *e;

			label(option_labels(type), i, json_string_value(k), l);
			e = json_pack("{s:s, s:O}", "label", l, "text",
			    json_object_get(o, "text"));
			if (reveal) {
				json_object_set(e, "correct",
				    json_object_get(o, "correct"));
				json_object_set(e, "explanation",
				    json_object_get(o, "explanation"));
				json_object_set_new(e, "selected", json_boolean(
				    in_list(chosen, k)));
			}
			json_array_append_new(opts, e);
		}
		json_decref(one);
		json_object_set_new(view, "options", opts);
		if (is(type, "multiple_select")) {
			size_t n = 0;
			json_t *o;

			json_array_foreach(json_object_get(body, "options"), i, o)
				n += json_is_true(json_object_get(o, "correct"));
			/* "Choose two": how many to pick is part of the stem. */
			json_object_set_new(view, "choose", json_integer(
			    (json_int_t)n));
		}
	} else if (is(type, "matching")) {
		json_t *lefts = json_array(), *rights = json_array();
		json_t *solution = json_object();
		json_t *pairs = json_object_get(body, "pairs");
		json_t *rk = json_object_get(layout, "rights");

		json_array_foreach(json_object_get(layout, "lefts"), i, k) {
			json_t *p = find(pairs, k), *e, *r;
			char l[12];

			label(DIGITS, i, NULL, l);
			e = json_pack("{s:s, s:O}", "label", l, "text",
			    json_object_get(p, "left"));
			if (reveal) {
				json_object_set(e, "explanation",
				    json_object_get(p, "explanation"));
				if ((r = label_of(rk, LOWER, k)) != NULL)
					json_object_set_new(solution, l, r);
			}
			json_array_append_new(lefts, e);
		}
		json_array_foreach(rk, i, k) {
			json_t *p = find(pairs, k), *t;
			char l[12];

			label(LOWER, i, NULL, l);
			t = p ? json_object_get(p, "right") : json_object_get(
			    find(json_object_get(body, "distractors"), k),
			    "text");
			json_array_append_new(rights, json_pack("{s:s, s:O}",
			    "label", l, "text", t ? t : json_null()));
		}
		json_object_set_new(view, "lefts", lefts);
		json_object_set_new(view, "rights", rights);
		if (reveal)
			json_object_set_new(view, "solution", json_pack("{s:o}",
			    "pairs", solution));
		else
			json_decref(solution);
	} else if (is(type, "ordering")) {
		json_t *items = json_array(), *solution = json_array();
		json_t *keys = json_object_get(layout, "items");
		json_t *it;

		json_array_foreach(keys, i, k) {
			char l[12];

			label(UPPER, i, NULL, l);
			json_array_append_new(items, json_pack("{s:s, s:O}",
			    "label", l, "text", json_object_get(find(
			    json_object_get(body, "items"), k), "text")));
		}
		json_array_foreach(json_object_get(body, "items"), i, it) {
			json_t *l = label_of(keys, UPPER, json_object_get(it,
			    "key"));

			if (l)
				json_array_append_new(solution, l);
		}
		json_object_set_new(view, "items", items);
		if (reveal)
			json_object_set_new(view, "solution", json_pack("{s:o}",
			    "order", solution));
		else
			json_decref(solution);
	} else if (is(type, "fill_blank") && reveal) {
		json_t *acc = json_array(), *a;

		json_array_foreach(json_object_get(body, "answers"), i, a)
			json_array_append(acc, json_object_get(a, "text"));
		json_object_set_new(view, "accepted", acc);
		json_object_set(view, "numeric", json_object_get(body,
		    "numeric"));
	}
	json_object_set_new(view, "answer", shown);
	return view;
}

/* ---- drawing and scaling ------------------------------------------------ */

void
score_apportion(const double *weights, int n, int total, int *out)
{
	double sum = 0;
	int given = 0;

	for (int i = 0; i < n; i++)
		sum += weights[i] > 0 ? weights[i] : 0;
	for (int i = 0; i < n; i++) {
		double w = weights[i] > 0 ? weights[i] : 0;

		out[i] = sum > 0 ? (int)floor(total * w / sum) : 0;
		given += out[i];
	}
	while (given < total && sum > 0) {
		int best = -1;
		double br = -1;

		for (int i = 0; i < n; i++) {
			double w = weights[i] > 0 ? weights[i] : 0;
			double r = total * w / sum - out[i];

			/* Largest remainder; then the heavier; then the first. */
			if (w > 0 && (r > br + 1e-12 || (fabs(r - br) <= 1e-12 &&
			    w > weights[best]))) {
				best = i;
				br = r;
			}
		}
		out[best]++;
		given++;
	}
}

int
score_scaled(double percent, double cut, int lo, int pass, int hi)
{
	double s;

	if (isnan(percent) || percent < 0)
		percent = 0;
	if (percent > 100)
		percent = 100;
	if (percent >= cut) {
		s = cut >= 100 ? hi : pass + (hi - pass) * (percent - cut) /
		    (100 - cut);
		return (int)lround(s);
	}
	s = lo + (pass - lo) * percent / cut;
	s = round(s);
	return s >= pass ? pass - 1 : (int)s;
}

double
score_linear_cut(int lo, int pass, int hi)
{
	return hi > lo ? 100.0 * (pass - lo) / (hi - lo) : 100;
}
