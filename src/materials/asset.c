/*
 * asset.c - the shapes of study assets (asset.h).
 *
 * Each shape is a table of keys with a checker per key, so that "unknown
 * key" and "missing key" are found the same way for every type and the
 * first error met is the one reported: a learner fixes one field at a
 * time, and a language model told one precise thing corrects it more
 * reliably than one told a list.
 */
#include "materials/asset.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "flashcards/cloze.h"

struct verdict {
	char *field, *err;
	size_t fieldlen, errlen;
};

static int fail(struct verdict *v, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct verdict *v, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(v->field, v->fieldlen, "%s", field);
	snprintf(v->err, v->errlen, "%s: %s", field, msg);
	return -1;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* s without the white space around it, as a pointer and a length. */
static const char *
trimmed(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* Code points of UTF-8 text (jansson only hands out valid UTF-8). */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * The string at v, checked: present text of at most max characters
 * (empty allowed when may_be_empty).  NULL after fail().
 */
static const char *
text(struct verdict *vd, const char *field, const json_t *v, size_t max,
    bool may_be_empty)
{
	const char *s;
	size_t len;

	if (!json_is_string(v)) {
		fail(vd, field, "must be a string");
		return NULL;
	}
	s = json_string_value(v);
	/* "\u0000" is valid JSON; C strings and PostgreSQL text are not. */
	if (strlen(s) != json_string_length(v)) {
		fail(vd, field, "must not contain NUL characters");
		return NULL;
	}
	for (const char *p = s; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' &&
		    *p != '\r') || *p == 0x7f) {
			fail(vd, field, "must not contain control characters");
			return NULL;
		}
	trimmed(s, &len);
	if (len == 0 && !may_be_empty) {
		fail(vd, field, "must not be empty");
		return NULL;
	}
	if (chars(s) > max) {
		fail(vd, field, "must be at most %zu characters", max);
		return NULL;
	}
	return s;
}

/* Two texts equal once trimmed, ASCII letters compared without case. */
static bool
same_text(const char *a, const char *b)
{
	size_t la, lb;

	a = trimmed(a, &la);
	b = trimmed(b, &lb);
	return la == lb && strncasecmp(a, b, la) == 0;
}

/*
 * A shape: its keys in the order they are checked and reported, which of
 * them may be left out, and how each is checked.
 */
struct key {
	const char *name;
	bool optional;
	/* NULL when nothing is left to check. */
	int (*check)(struct verdict *, const char *, const json_t *,
	    const json_t *);
};

/* Unknown keys first, then each key in order. */
static int
check_keys(struct verdict *v, const json_t *o, const struct key *keys,
    size_t nkeys)
{
	const char *name;
	json_t *val;

	if (!json_is_object(o))
		return fail(v, "content", "must be an object");
	json_object_foreach((json_t *)o, name, val) {
		size_t i;

		for (i = 0; i < nkeys && strcmp(keys[i].name, name) != 0; i++)
			;
		if (i == nkeys) {
			char field[80];

			snprintf(field, sizeof(field), "%.60s%s", name,
			    strlen(name) > 60 ? "..." : "");
			return fail(v, field, "is not a known field");
		}
	}
	for (size_t i = 0; i < nkeys; i++) {
		json_t *k = json_object_get(o, keys[i].name);

		if (k == NULL) {
			if (keys[i].optional)
				continue;
			return fail(v, keys[i].name, "is required");
		}
		if (keys[i].check != NULL &&
		    keys[i].check(v, keys[i].name, k, o) != 0)
			return -1;
	}
	return 0;
}

static int
check_front(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	(void)o;
	return text(v, field, k, ASSET_MAX_FRONT, false) ? 0 : -1;
}

static int
check_back(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	(void)o;
	return text(v, field, k, ASSET_MAX_BACK, false) ? 0 : -1;
}

static int
check_optional_back(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	(void)o;
	return text(v, field, k, ASSET_MAX_BACK, true) ? 0 : -1;
}

static int
check_cloze(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	int ordinals[CLOZE_MAX];
	const char *s, *why = NULL;
	int n;

	(void)o;
	if ((s = text(v, field, k, ASSET_MAX_BACK, false)) == NULL)
		return -1;
	if ((n = cloze_ordinals(s, ordinals, &why)) < 0)
		return fail(v, field, "%s", why ? why : "malformed deletion");
	if (n == 0)
		return fail(v, field, "must hide at least one part as "
		    "{{c1::answer}} or {{c1::answer::hint}}");
	return 0;
}

static int
check_summary(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	(void)o;
	return text(v, field, k, ASSET_MAX_SUMMARY, false) ? 0 : -1;
}

static int
check_options(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	size_t n = json_array_size(k);

	(void)o;
	if (!json_is_array(k))
		return fail(v, field, "must be an array of strings");
	if (n < ASSET_MIN_OPTIONS || n > ASSET_MAX_OPTIONS)
		return fail(v, field, "must hold %d to %d options (not %zu)",
		    ASSET_MIN_OPTIONS, ASSET_MAX_OPTIONS, n);
	for (size_t i = 0; i < n; i++) {
		char f[32];

		snprintf(f, sizeof(f), "%s[%zu]", field, i);
		if (text(v, f, json_array_get(k, i), ASSET_MAX_OPTION,
		    false) == NULL)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (same_text(json_string_value(json_array_get(k, i)),
			    json_string_value(json_array_get(k, j))))
				return fail(v, f, "repeats options[%zu]", j);
	}
	return 0;
}

static int
check_answer(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	const json_t *opts = json_object_get(o, "options");
	json_int_t i;

	if (!json_is_integer(k))
		return fail(v, field, "must be an integer (the index of the "
		    "right option, from 0)");
	i = json_integer_value(k);
	if (i < 0 || (size_t)i >= json_array_size(opts))
		return fail(v, field, "must be between 0 and %zu",
		    json_array_size(opts) - 1);
	return 0;
}

/* The kinds the built-in generator gives (textrank.h): keyword is one word. */
static const char *const term_kinds[] = {"acronym", "defined", "phrase",
    "number", "name", "keyword"};

static int
check_term(struct verdict *v, const char *field, const json_t *t)
{
	char f[64];
	const json_t *k;
	const char *name, *val;
	json_t *x;
	size_t i;

	if (!json_is_object(t))
		return fail(v, field, "must be an object");
	json_object_foreach((json_t *)t, name, x) {
		if (strcmp(name, "term") != 0 && strcmp(name, "kind") != 0 &&
		    strcmp(name, "score") != 0) {
			snprintf(f, sizeof(f), "%s.%.20s", field, name);
			return fail(v, f, "is not a known field");
		}
	}
	snprintf(f, sizeof(f), "%s.term", field);
	if ((k = json_object_get(t, "term")) == NULL)
		return fail(v, f, "is required");
	if (text(v, f, k, ASSET_MAX_TERM, false) == NULL)
		return -1;
	snprintf(f, sizeof(f), "%s.kind", field);
	if ((k = json_object_get(t, "kind")) == NULL)
		return fail(v, f, "is required");
	if ((val = json_string_value(k)) == NULL)
		return fail(v, f, "must be a string");
	for (i = 0; i < sizeof(term_kinds) / sizeof(term_kinds[0]); i++)
		if (strcmp(val, term_kinds[i]) == 0)
			break;
	if (i == sizeof(term_kinds) / sizeof(term_kinds[0]))
		return fail(v, f, "must be one of acronym, defined, phrase, "
		    "number, name, keyword");
	snprintf(f, sizeof(f), "%s.score", field);
	if ((k = json_object_get(t, "score")) == NULL)
		return fail(v, f, "is required");
	if (!json_is_number(k))
		return fail(v, f, "must be a number");
	if (!(json_number_value(k) >= 0 && json_number_value(k) <= 1))
		return fail(v, f, "must be between 0 and 1");
	return 0;
}

static int
check_terms(struct verdict *v, const char *field, const json_t *k,
    const json_t *o)
{
	size_t n = json_array_size(k);

	(void)o;
	if (!json_is_array(k))
		return fail(v, field, "must be an array of objects");
	if (n < 1 || n > ASSET_MAX_TERMS)
		return fail(v, field, "must hold 1 to %d terms (not %zu)",
		    ASSET_MAX_TERMS, n);
	for (size_t i = 0; i < n; i++) {
		const char *ti;
		char f[32];

		snprintf(f, sizeof(f), "%s[%zu]", field, i);
		if (check_term(v, f, json_array_get(k, i)) != 0)
			return -1;
		ti = json_string_value(json_object_get(json_array_get(k, i),
		    "term"));
		for (size_t j = 0; j < i; j++)
			if (same_text(ti, json_string_value(json_object_get(
			    json_array_get(k, j), "term")))) {
				snprintf(f, sizeof(f), "%s[%zu].term", field, i);
				return fail(v, f, "repeats terms[%zu]", j);
			}
	}
	return 0;
}

static const struct key basic_keys[] = {
	{"kind", false, NULL},	/* settled before the table was chosen */
	{"front", false, check_front},
	{"back", false, check_back},
};
static const struct key cloze_keys[] = {
	{"kind", false, NULL},
	{"text", false, check_cloze},
	{"extra", true, check_optional_back},
};
static const struct key quiz_keys[] = {
	{"stem", false, check_front},
	{"options", false, check_options},
	{"answer", false, check_answer},
	{"explanation", true, check_optional_back},
};
static const struct key summary_keys[] = {
	{"text", false, check_summary},
};
static const struct key key_terms_keys[] = {
	{"terms", false, check_terms},
};

#define KEYS(k) (k), sizeof(k) / sizeof((k)[0])

static int
check_flashcard(struct verdict *v, const json_t *o)
{
	const char *kind;

	if (!json_is_object(o))
		return fail(v, "content", "must be an object");
	kind = json_string_value(json_object_get(o, "kind"));
	if (json_object_get(o, "kind") == NULL)
		return fail(v, "kind", "is required");
	if (kind != NULL && strcmp(kind, "basic") == 0)
		return check_keys(v, o, KEYS(basic_keys));
	if (kind != NULL && strcmp(kind, "cloze") == 0)
		return check_keys(v, o, KEYS(cloze_keys));
	return fail(v, "kind", "must be \"basic\" or \"cloze\"");
}

int
asset_type_known(const char *type)
{
	return type != NULL && (strcmp(type, "flashcard") == 0 ||
	    strcmp(type, "quiz") == 0 || strcmp(type, "summary") == 0 ||
	    strcmp(type, "key_terms") == 0);
}

const char *
asset_type_rule(const char *type)
{
	return asset_type_known(type) ? NULL :
	    "must be flashcard, quiz, summary or key_terms";
}

int
asset_validate(const char *type, const json_t *content, char *field,
    size_t fieldlen, char *err, size_t errlen)
{
	struct verdict v = {field, err, fieldlen, errlen};

	if (!asset_type_known(type))
		return fail(&v, "type", "must be flashcard, quiz, summary or "
		    "key_terms");
	if (strcmp(type, "flashcard") == 0)
		return check_flashcard(&v, content);
	if (strcmp(type, "quiz") == 0)
		return check_keys(&v, content, KEYS(quiz_keys));
	if (strcmp(type, "summary") == 0)
		return check_keys(&v, content, KEYS(summary_keys));
	return check_keys(&v, content, KEYS(key_terms_keys));
}
