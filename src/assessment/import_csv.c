/*
 * import_csv.c - questions from CSV (seed 003's format, extended), as
 * docs/questions.md describes it.
 *
 * Rows are RFC 4180: fields in double quotes may hold commas, doubled
 * quotes and line breaks.  The first row that is not blank names the
 * columns; every later row is one question.  A row that cannot be read (an
 * unterminated quote, text after a closing quote) is refused on its own and
 * reading goes on, so one typo costs one question and not the rest of the
 * file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment/import_int.h"
#include "core/alloc.h"

#define NOPTS 10		/* option_a .. option_j */

enum col {
	C_ID, C_EXAM, C_DOMAIN, C_OBJECTIVES, C_TYPE, C_TEXT, C_OPTIONS,
	C_CORRECT, C_EXPLANATION, C_DIFFICULTY, C_TAGS, C_STATUS,
	C_OPT,				/* option_a .. option_j */
	C_OPTX = C_OPT + NOPTS,		/* option_a_explanation .. */
	C_COUNT = C_OPTX + NOPTS
};

static const char *const col_names[C_OPT] = {"question_id", "exam_type",
    "domain", "objectives", "type", "question_text", "options",
    "correct_answer", "explanation", "difficulty", "tags", "status"};

enum type { T_SINGLE, T_MULTI, T_TF, T_FILL, T_MATCH, T_ORDER };

static const char *const type_names[] = {"single_choice", "multiple_select",
    "true_false", "fill_blank", "matching", "ordering", NULL};

struct csv {
	const char *s;		/* NUL-terminated, LF line ends */
	size_t len, pos;
	int line;		/* line at pos */
};

struct row {
	char **f;
	size_t n, cap;
	int line;		/* where the row starts */
};

/* An option, whichever way the row gives it; the strings are borrowed. */
struct opt {
	const char *key, *text, *expl, *match;
	char keybuf[2];
};

static void
row_push(struct row *r, char *f)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	r->f[r->n++] = f;
}

static void
row_clear(struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

/* Moves c past the end of the line that begins before offset at. */
static void
skip_line(struct csv *c, size_t at, int line)
{
	const char *nl = strchr(c->s + at, '\n');

	c->pos = nl ? (size_t)(nl - c->s) + 1 : c->len;
	c->line = line + 1;
}

/*
 * Reads the next row into r (fields trimmed): 1, or 0 at the end of the
 * text, or -1 with *why when the row is broken (c then stands after it).
 */
static int
read_row(struct csv *c, struct row *r, struct import_buf *b,
    const char **why)
{
	const char *s = c->s;
	size_t p = c->pos;

	row_clear(r);
	if (p >= c->len)
		return 0;
	r->line = c->line;
	for (;;) {
		size_t q = p + strspn(s + p, " \t");

		import_buf_reset(b);
		if (s[q] == '"') {
			int qline = c->line;

			p = q + 1;
			for (;;) {
				const char *e = strchr(s + p, '"');
				const char *nl;

				if (e == NULL) {
					/*
					 * Most likely a stray quote: read on
					 * from the line after it.
					 */
					*why = "unterminated quoted field";
					skip_line(c, q, qline);
					return -1;
				}
				for (nl = s + p; (nl = memchr(nl, '\n',
				    (size_t)(e - nl))) != NULL; nl++)
					c->line++;
				import_buf_add(b, s + p, (size_t)(e - s) - p);
				p = (size_t)(e - s) + 1;
				if (s[p] != '"')
					break;
				import_buf_addc(b, '"');
				p++;
			}
			p += strspn(s + p, " \t");
			if (s[p] != ',' && s[p] != '\n' && s[p] != '\0') {
				*why = "unexpected text after a closing quote "
				    "(write a quote inside a quoted field as "
				    "\"\")";
				skip_line(c, p, c->line);
				return -1;
			}
		} else {
			size_t e = p + strcspn(s + p, ",\n");

			import_buf_add(b, s + p, e - p);
			p = e;
		}
		row_push(r, import_trimdup(import_buf_str(b), b->n));
		if (s[p] == ',') {
			p++;
			continue;
		}
		if (s[p] == '\n') {
			p++;
			c->line++;
		}
		c->pos = p;
		return 1;
	}
}

static int
row_blank(const struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->f[i][0] != '\0')
			return 0;
	return 1;
}

/* The column a header name stands for, or -1. */
static int
column(const char *name)
{
	for (int i = 0; i < C_OPT; i++)
		if (strcasecmp(name, col_names[i]) == 0)
			return i;
	if (strncasecmp(name, "option_", 7) == 0 && name[7] != '\0') {
		char l = name[7];
		int k = (l >= 'a' && l <= 'z') ? l - 'a' :
		    (l >= 'A' && l <= 'Z') ? l - 'A' : NOPTS;

		if (k >= NOPTS)
			return -1;
		if (name[8] == '\0')
			return C_OPT + k;
		if (strcasecmp(name + 8, "_explanation") == 0)
			return C_OPTX + k;
	}
	return -1;
}

/* Maps the header's fields onto col (field index or -1); 0 or -1. */
static int
read_header(const struct row *r, int *col, struct import_list *out)
{
	int known = 0;

	for (int i = 0; i < C_COUNT; i++)
		col[i] = -1;
	for (size_t i = 0; i < r->n; i++) {
		int k;

		/* Spreadsheets leave nameless columns after the last one. */
		if (r->f[i][0] == '\0')
			continue;
		if ((k = column(r->f[i])) < 0)
			continue;
		if (col[k] >= 0)
			return import_fail(out, r->line, "column \"%.60s\" "
			    "appears twice in the header", r->f[i]);
		col[k] = (int)i;
		known++;
	}
	if (known == 0)
		return import_fail(out, r->line, "the first row is not a "
		    "header: it names no known column (question_text, "
		    "correct_answer, options...)");
	for (size_t i = 0; i < r->n; i++)
		if (r->f[i][0] != '\0' && column(r->f[i]) < 0)
			return import_fail(out, r->line, "unknown column "
			    "\"%.60s\" in the header", r->f[i]);
	if (col[C_TEXT] < 0)
		return import_fail(out, r->line, "the header has no "
		    "question_text column");
	return 0;
}

/* The field of column k in the row, NULL when absent or empty. */
static const char *
get(const struct row *r, const int *col, int k)
{
	if (col[k] < 0 || (size_t)col[k] >= r->n || r->f[col[k]][0] == '\0')
		return NULL;
	return r->f[col[k]];
}

/* The option with key (of n bytes), without regard to case; or NULL. */
static struct opt *
find_opt(struct opt *o, size_t no, const char *key, size_t n)
{
	for (size_t i = 0; i < no; i++)
		if (strlen(o[i].key) == n && strncasecmp(o[i].key, key, n) == 0)
			return &o[i];
	return NULL;
}

/*
 * The options of the row into o (at most IMPORT_MAX_OPTIONS), from the
 * options JSON (kept alive in *json) or the option columns.  NULL, or the
 * reason the row is refused written into why.
 */
static const char *
gather(const struct row *r, const int *col, json_t **json, struct opt *o,
    size_t *no, char *why, size_t wn)
{
	const char *js = get(r, col, C_OPTIONS), *key;
	json_t *v;
	int columns = 0;

	*no = 0;
	for (int k = 0; k < NOPTS; k++)
		if (get(r, col, C_OPT + k) || get(r, col, C_OPTX + k))
			columns = 1;
	if (js != NULL && columns)
		return "give the options either in the options column or in "
		    "option_a..option_j, not both";
	if (js == NULL) {
		for (int k = 0; k < NOPTS; k++) {
			const char *t = get(r, col, C_OPT + k);
			const char *x = get(r, col, C_OPTX + k);

			if (t == NULL && x == NULL)
				continue;
			o[*no].keybuf[0] = (char)('A' + k);
			o[*no].keybuf[1] = '\0';
			o[*no].key = o[*no].keybuf;
			/* Text-less is for true_false; the others refuse it. */
			o[*no].text = t ? t : "";
			o[*no].expl = x;
			o[*no].match = NULL;
			(*no)++;
		}
		return NULL;
	}

	{
		json_error_t e;

		*json = json_loads(js, 0, &e);
		if (*json == NULL) {
			snprintf(why, wn, "options is not valid JSON: %s",
			    e.text);
			return why;
		}
	}
	if (!json_is_object(*json))
		return "options must be a JSON object such as {\"A\": "
		    "{\"text\": \"...\", \"explanation\": \"...\"}}";
	if (json_object_size(*json) > IMPORT_MAX_OPTIONS) {
		snprintf(why, wn, "too many options (%zu)",
		    json_object_size(*json));
		return why;
	}
	json_object_foreach(*json, key, v) {
		struct opt *p = &o[(*no)++];
		json_t *t, *x, *m;

		p->key = key;
		p->text = p->expl = p->match = NULL;
		if (json_is_string(v)) {
			p->text = json_string_value(v);
		} else if (json_is_object(v)) {
			t = json_object_get(v, "text");
			x = json_object_get(v, "explanation");
			m = json_object_get(v, "match");
			if ((t && !json_is_string(t)) ||
			    (x && !json_is_string(x) && !json_is_null(x)) ||
			    (m && !json_is_string(m))) {
				snprintf(why, wn, "option %.20s: text, "
				    "explanation and match must be strings",
				    key);
				return why;
			}
			p->text = json_string_value(t);
			p->expl = json_string_value(x);
			p->match = json_string_value(m);
		} else {
			snprintf(why, wn, "option %.20s must be {\"text\": "
			    "\"...\", \"explanation\": \"...\"}", key);
			return why;
		}
		if (p->text == NULL || p->text[0] == '\0') {
			/* As with the columns: only true_false does without. */
			if (p->expl == NULL || p->expl[0] == '\0') {
				snprintf(why, wn, "option %.20s has no text",
				    key);
				return why;
			}
			p->text = "";
		}
	}
	return NULL;
}

/* single_choice and multiple_select: options marked by correct_answer. */
static const char *
choice_body(enum type t, const char *answer, struct opt *o, size_t no,
    json_t *body, char *why, size_t wn)
{
	const char *p = answer, *k;
	size_t n, count = 0, named = 0;
	char *correct;
	json_t *a;

	if (no == 0)
		return "the question has no options (option_a..option_j or "
		    "options)";
	if (answer == NULL)
		return "correct_answer is empty";
	correct = xcalloc(no, 1);
	while ((k = import_token(&p, ", ;\t\n", &n)) != NULL) {
		struct opt *hit = find_opt(o, no, k, n);

		if (++named > IMPORT_MAX_OPTIONS) {
			free(correct);
			return "correct_answer names too many options";
		}
		if (hit == NULL) {
			snprintf(why, wn, "correct_answer names %.*s but "
			    "there is no option %.*s", (int)(n > 20 ? 20 : n),
			    k, (int)(n > 20 ? 20 : n), k);
			free(correct);
			return why;
		}
		if (!correct[hit - o]++)
			count++;
	}
	if (t == T_SINGLE && count > 1) {
		free(correct);
		return "a single_choice question takes one correct_answer "
		    "(use multiple_select for more)";
	}
	a = json_array();
	for (size_t i = 0; i < no; i++) {
		if (o[i].text[0] == '\0') {
			json_decref(a);
			free(correct);
			snprintf(why, wn, "option %.20s has no text", o[i].key);
			return why;
		}
		json_array_append_new(a, import_option(o[i].key, o[i].text,
		    o[i].expl, correct[i] != 0));
	}
	free(correct);
	json_object_set_new(body, "options", a);
	return NULL;
}

/* A cell that only says which option it is, not why. */
static int
tf_label(const char *s)
{
	return s == NULL || strcasecmp(s, "true") == 0 ||
	    strcasecmp(s, "false") == 0 || strcasecmp(s, "t") == 0 ||
	    strcasecmp(s, "f") == 0 || s[0] == '\0';
}

/*
 * true_false: the options, when given, only explain True (option_a, or key
 * "true" or "A") and False (option_b, "false", "B").  A cell holding a
 * label ("True") rather than a reason is not taken as an explanation.
 */
static const char *
tf_body(const char *answer, struct opt *o, size_t no, json_t *body,
    char *why, size_t wn)
{
	const char *expl[2] = {NULL, NULL};
	int truth;
	json_t *a;

	if (answer == NULL)
		return "correct_answer is empty (true or false)";
	if (strcasecmp(answer, "true") == 0 || strcasecmp(answer, "t") == 0)
		truth = 1;
	else if (strcasecmp(answer, "false") == 0 ||
	    strcasecmp(answer, "f") == 0)
		truth = 0;
	else
		return "correct_answer of a true_false question must be true "
		    "or false";
	for (size_t i = 0; i < no; i++) {
		int side;

		if (strcasecmp(o[i].key, "true") == 0 ||
		    strcasecmp(o[i].key, "a") == 0)
			side = 0;
		else if (strcasecmp(o[i].key, "false") == 0 ||
		    strcasecmp(o[i].key, "b") == 0)
			side = 1;
		else {
			snprintf(why, wn, "a true_false question has only the "
			    "options true and false (A and B), not %.20s",
			    o[i].key);
			return why;
		}
		if (o[i].expl != NULL && o[i].expl[0] != '\0')
			expl[side] = o[i].expl;
		else if (!tf_label(o[i].text))
			expl[side] = o[i].text;
	}
	a = json_array();
	json_array_append_new(a, import_option("true", "True", expl[0],
	    truth));
	json_array_append_new(a, import_option("false", "False", expl[1],
	    !truth));
	json_object_set_new(body, "options", a);
	return NULL;
}

static const char *
fill_body(const char *answer, json_t *body)
{
	const char *p = answer, *t;
	size_t n;
	json_t *a = json_array(), *one;

	while (p != NULL && (t = import_token(&p, "|", &n)) != NULL) {
		import_trim(&t, &n);
		if (n == 0)
			continue;
		if (json_array_size(a) >= IMPORT_MAX_OPTIONS) {
			json_decref(a);
			return "too many accepted answers";
		}
		one = json_object();
		json_object_set_new(one, "text", json_stringn(t, n));
		json_array_append_new(a, one);
	}
	if (json_array_size(a) == 0) {
		json_decref(a);
		return "correct_answer is empty (the accepted answers, "
		    "separated by |)";
	}
	json_object_set_new(body, "answers", a);
	return NULL;
}

/*
 * ordering: the options are the items; correct_answer lists every key
 * once, in the right order.  Without one, the options are taken to be in
 * the right order already (authors list them so; the learner sees them
 * shuffled).
 */
static const char *
order_body(const char *answer, struct opt *o, size_t no, json_t *body,
    char *why, size_t wn)
{
	const char *p = answer, *k;
	size_t n, named = 0;
	char *seen;
	json_t *a = json_array();

	if (no == 0) {
		json_decref(a);
		return "the question has no items (option_a..option_j or "
		    "options)";
	}
	seen = xcalloc(no, 1);
	while (p != NULL && (k = import_token(&p, ", ;\t\n", &n)) != NULL) {
		struct opt *hit = find_opt(o, no, k, n);
		int w = (int)(n > 20 ? 20 : n);

		if (++named > IMPORT_MAX_OPTIONS)
			snprintf(why, wn, "correct_answer names too many "
			    "options");
		else if (hit == NULL)
			snprintf(why, wn, "correct_answer names %.*s but "
			    "there is no option %.*s", w, k, w, k);
		else if (seen[hit - o]++)
			snprintf(why, wn, "correct_answer names %.*s twice",
			    w, k);
		else {
			json_t *it = json_object();

			json_object_set_new(it, "key", json_string(hit->key));
			json_object_set_new(it, "text",
			    json_string(hit->text));
			json_array_append_new(a, it);
			continue;
		}
		free(seen);
		json_decref(a);
		return why;
	}
	for (size_t i = 0; i < no; i++) {
		if (o[i].text[0] == '\0') {
			snprintf(why, wn, "option %.20s has no text", o[i].key);
			goto refuse;
		}
		if (answer != NULL && !seen[i]) {
			snprintf(why, wn, "correct_answer leaves out option "
			    "%.20s", o[i].key);
			goto refuse;
		}
		if (answer == NULL) {
			json_t *it = json_object();

			json_object_set_new(it, "key", json_string(o[i].key));
			json_object_set_new(it, "text", json_string(o[i].text));
			json_array_append_new(a, it);
		}
	}
	free(seen);
	json_object_set_new(body, "items", a);
	return NULL;
refuse:
	free(seen);
	json_decref(a);
	return why;
}

/* matching: "left -> right" or {"text": left, "match": right}. */
static const char *
match_body(struct opt *o, size_t no, json_t *body, char *why, size_t wn)
{
	json_t *a;

	if (no == 0)
		return "the question has no pairs (option_a..option_j as "
		    "\"left -> right\", or options)";
	a = json_array();
	for (size_t i = 0; i < no; i++) {
		const char *l = o[i].text, *r = o[i].match, *arrow;
		size_t ln = strlen(l), rn = r ? strlen(r) : 0;
		char key[24];
		json_t *pair;

		if (ln == 0) {
			snprintf(why, wn, "option %.20s has no text", o[i].key);
			json_decref(a);
			return why;
		}
		if (r == NULL) {
			if ((arrow = strstr(l, "->")) == NULL) {
				snprintf(why, wn, "option %.20s is not "
				    "\"left -> right\"", o[i].key);
				json_decref(a);
				return why;
			}
			ln = (size_t)(arrow - l);
			r = arrow + 2;
			rn = strlen(r);
		}
		import_trim(&l, &ln);
		import_trim(&r, &rn);
		if (ln == 0 || rn == 0) {
			snprintf(why, wn, "option %.20s needs text on both "
			    "sides of ->", o[i].key);
			json_decref(a);
			return why;
		}
		snprintf(key, sizeof(key), "%zu", i + 1);
		pair = json_object();
		json_object_set_new(pair, "key", json_string(key));
		json_object_set_new(pair, "left", json_stringn(l, ln));
		json_object_set_new(pair, "right", json_stringn(r, rn));
		import_set_text(pair, "explanation", o[i].expl);
		json_array_append_new(a, pair);
	}
	json_object_set_new(body, "pairs", a);
	return NULL;
}

/* domain, objectives, difficulty, tags: the metadata that needs reading. */
static const char *
metadata(const struct row *r, const int *col, json_t *q, char *why,
    size_t wn)
{
	const char *d = get(r, col, C_DOMAIN), *p, *t;
	const char *diff = get(r, col, C_DIFFICULTY);
	json_t *objs = json_array(), *tags;
	size_t n;

	/* Seed 003's "domain" is an objective code: "2.3". */
	if (d != NULL) {
		n = strlen(d);
		if (import_is_code(d, n) && !import_is_domain(d, n)) {
			char dom[8];

			import_domain_of(d, n, dom);
			json_object_set_new(q, "domain", json_string(dom));
			import_add_unique(objs, d, n);
		} else
			json_object_set_new(q, "domain", json_string(d));
	}
	p = get(r, col, C_OBJECTIVES);
	while (p != NULL && (t = import_token(&p, "; ,\t\n", &n)) != NULL)
		import_add_unique(objs, t, n);
	if (json_array_size(objs) > 0)
		json_object_set_new(q, "objectives", objs);
	else
		json_decref(objs);

	if (diff != NULL) {
		char *end;
		long v = strtol(diff, &end, 10);

		if (*end != '\0' || end == diff || v < -1000000 ||
		    v > 1000000) {
			snprintf(why, wn, "difficulty must be a whole number, "
			    "not \"%.20s\"", diff);
			return why;
		}
		json_object_set_new(q, "difficulty", json_integer(v));
	}

	p = get(r, col, C_TAGS);
	tags = json_array();
	while (p != NULL && (t = import_token(&p, "; ,\t\n", &n)) != NULL) {
		char *low = import_lower(xstrndup(t, n));

		import_add_unique(tags, low, n);
		free(low);
	}
	if (json_array_size(tags) > 0)
		json_object_set_new(q, "tags", tags);
	else
		json_decref(tags);
	return NULL;
}

/* The question of a row, or NULL with the reason in why. */
static json_t *
question(const struct row *r, const int *col, char *why, size_t wn)
{
	const char *v, *answer = get(r, col, C_CORRECT), *err = NULL;
	struct opt o[IMPORT_MAX_OPTIONS];
	json_t *q, *body, *json = NULL;
	enum type t = T_SINGLE;
	size_t no = 0;
	char *low;

	if ((v = get(r, col, C_TYPE)) != NULL) {
		size_t i;

		for (i = 0; type_names[i]; i++)
			if (strcasecmp(v, type_names[i]) == 0)
				break;
		if (type_names[i] == NULL) {
			snprintf(why, wn, "unknown type \"%.40s\" "
			    "(single_choice, multiple_select, true_false, "
			    "fill_blank, matching or ordering)", v);
			return NULL;
		}
		t = (enum type)i;
	}
	if (get(r, col, C_TEXT) == NULL) {
		snprintf(why, wn, "question_text is empty");
		return NULL;
	}

	q = json_object();
	body = json_object();
	import_set_text(q, "external_id", get(r, col, C_ID));
	json_object_set_new(q, "type", json_string(type_names[t]));
	import_set_text(q, "stem", get(r, col, C_TEXT));
	import_set_text(q, "explanation", get(r, col, C_EXPLANATION));
	if ((v = get(r, col, C_EXAM)) != NULL) {
		low = import_lower(xstrdup(v));
		json_object_set_new(q, "exam", json_string(low));
		free(low);
	}
	if ((v = get(r, col, C_STATUS)) != NULL) {
		low = import_lower(xstrdup(v));
		json_object_set_new(q, "status", json_string(low));
		free(low);
	}
	if ((err = metadata(r, col, q, why, wn)) != NULL)
		goto refuse;
	if (t != T_FILL &&
	    (err = gather(r, col, &json, o, &no, why, wn)) != NULL)
		goto refuse;
	switch (t) {
	case T_SINGLE:
	case T_MULTI:
		err = choice_body(t, answer, o, no, body, why, wn);
		break;
	case T_TF:
		err = tf_body(answer, o, no, body, why, wn);
		break;
	case T_FILL:
		err = fill_body(answer, body);
		break;
	case T_ORDER:
		err = order_body(answer, o, no, body, why, wn);
		break;
	case T_MATCH:
		err = match_body(o, no, body, why, wn);
		break;
	}
	if (err != NULL)
		goto refuse;
	json_decref(json);
	json_object_set_new(q, "body", body);
	return q;
refuse:
	if (err != why)
		snprintf(why, wn, "%s", err);
	json_decref(json);
	json_decref(body);
	json_decref(q);
	return NULL;
}

int
import_csv(const char *text, size_t len, struct import_list *out)
{
	struct csv c = {text, len, 0, 1};
	struct import_buf b = {0};
	struct row r = {0};
	int col[C_COUNT], rc, ret = 0;
	const char *why = NULL;
	size_t width;
	char reason[300];

	/* The header: the first row that is not blank. */
	while ((rc = read_row(&c, &r, &b, &why)) == 1 && row_blank(&r))
		;
	if (rc == 0)
		ret = import_fail(out, 1, "the file is empty: a CSV file "
		    "starts with a header row naming its columns");
	else if (rc < 0)
		ret = import_fail(out, r.line, "the header row: %s", why);
	else
		ret = read_header(&r, col, out);
	width = r.n;

	while (ret == 0 && (rc = read_row(&c, &r, &b, &why)) != 0) {
		json_t *q;

		if (rc < 0) {
			ret = import_refuse(out, r.line, "%s", why);
			continue;
		}
		if (row_blank(&r))
			continue;
		/* Trailing empty fields are harmless; more data is not. */
		for (size_t i = width; i < r.n; i++)
			if (r.f[i][0] != '\0') {
				snprintf(reason, sizeof(reason), "the row has "
				    "%zu fields but the header names %zu "
				    "columns (quote fields that hold commas)",
				    r.n, width);
				goto refused;
			}
		if ((q = question(&r, col, reason, sizeof(reason))) != NULL) {
			ret = import_add(out, r.line, q);
			continue;
		}
refused:
		ret = import_refuse(out, r.line, "%s", reason);
	}
	row_clear(&r);
	free(r.f);
	import_buf_free(&b);
	return ret;
}
