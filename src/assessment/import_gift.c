/*
 * import_gift.c - questions from Moodle's GIFT format, as Moodle documents
 * it and docs/questions.md maps it.
 *
 * A question is a run of lines without a blank one; lines that start with
 * "//" are comments wherever they stand.  "$CATEGORY: a/b/c" at the start
 * of a run sets the exam, objectives, domain and tags of the questions
 * after it.  A question is an optional ::title::, an optional format
 * marker ([markdown], dropped), its text, then one answer block { ... }
 * whose first characters tell its kind, the way Moodle's importer reads
 * them:
 *
 *	{}			essay: refused (needs manual grading)
 *	{#...}			numeric: fill_blank with numeric ranges
 *	{T} {FALSE#...}		true/false
 *	{=a -> b = -> c ...}	matching ("= -> c": a distractor)
 *	{=a ~b ...}		choices: single_choice or multiple_select
 *	{=a =b}			short answer: fill_blank
 *
 * Text after the block makes a missing-word question: the stem keeps a
 * blank "_____" where the block stood.  A %weight% below 100 on a short
 * or numeric answer becomes its part credit.
 *
 * "####text" inside the block is the general feedback.  A backslash
 * escapes ~ = # { } : and itself, and \n is a line break; escaped
 * characters are kept apart (struct text) so that they are never taken
 * for syntax.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment/import_int.h"
#include "core/alloc.h"

/* The characters of a question with its escapes resolved. */
struct text {
	char *c;		/* NUL-terminated */
	unsigned char *lit;	/* 1: an escaped character, plain text */
	size_t n;
	int html;		/* the question text is [html]: so are its parts */
};

/* What the last $CATEGORY said; NULL members when it said nothing. */
struct category {
	char *exam, *domain;
	json_t *objectives, *tags;
};

/* One answer of an answer block. */
struct answer {
	char mark;		/* '=' or '~' */
	double weight;		/* percent: '=' 100, '~' 0, or %n% */
	char *text, *feedback;	/* feedback NULL when none */
};

static const char *const exams[] = {"network", "security", "a1101",
    "a1102", NULL};

static void
unescape(const char *s, size_t n, struct text *t)
{
	size_t o = 0;

	t->c = xmalloc(n + 1);
	t->lit = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		char e = i + 1 < n ? s[i + 1] : '\0';

		if (s[i] == '\\' && e != '\0' && strchr("~=#{}:\\n", e)) {
			t->c[o] = e == 'n' ? '\n' : e;
			t->lit[o++] = 1;
			i++;
			continue;
		}
		t->c[o] = s[i];
		t->lit[o++] = 0;
	}
	t->c[o] = '\0';
	t->n = o;
	t->html = 0;
}

/* 1 when position i holds the syntax character ch (not escaped). */
static int
at(const struct text *t, size_t i, char ch)
{
	return i < t->n && t->c[i] == ch && !t->lit[i];
}

/* The first syntax ch in [from, to), or to. */
static size_t
find(const struct text *t, size_t from, size_t to, char ch)
{
	while (from < to && !at(t, from, ch))
		from++;
	return from;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The UTF-8 bytes of code point u into out (4 bytes); their count. */
static size_t
utf8(unsigned long u, char *out)
{
	if (u < 0x80) {
		out[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (char)(0xc0 | (u >> 6));
		out[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (char)(0xe0 | (u >> 12));
		out[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		out[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (u >> 18));
	out[1] = (char)(0x80 | ((u >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((u >> 6) & 0x3f));
	out[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/*
 * "&amp;", "&#233;", "&#xe9;"... at s (n bytes): the text into out and
 * the length of the entity; 0 when it is none Ludus knows.
 */
static size_t
entity(const char *s, size_t n, char *out, size_t *on)
{
	static const struct {
		const char *name, *text;
	} named[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
	    {"&quot;", "\""}, {"&apos;", "'"}, {"&nbsp;", " "}, {NULL, NULL}};
	const char *semi = memchr(s, ';', n < 12 ? n : 12);
	unsigned long u;
	char *e;

	if (semi == NULL)
		return 0;
	for (size_t i = 0; named[i].name; i++)
		if ((size_t)(semi - s + 1) == strlen(named[i].name) &&
		    strncmp(s, named[i].name, strlen(named[i].name)) == 0) {
			*on = strlen(named[i].text);
			memcpy(out, named[i].text, *on);
			return (size_t)(semi - s + 1);
		}
	if (semi - s < 3 || s[1] != '#')
		return 0;
	u = s[2] == 'x' || s[2] == 'X' ? strtoul(s + 3, &e, 16) :
	    strtoul(s + 2, &e, 10);
	/* No control characters, surrogates or beyond Unicode. */
	if (e != semi || u < 0x20 || (u >= 0x7f && u < 0xa0) ||
	    (u >= 0xd800 && u < 0xe000) || u > 0x10ffff)
		return 0;
	*on = utf8(u, out);
	return (size_t)(semi - s + 1);
}

/*
 * Text of [html]: Ludus shows plain text, so tags go (a line break for
 * <br> and the end of a paragraph, list item or heading), entities become
 * their characters, and runs of blank lines shrink to one.  A '<' that
 * opens no tag ("a < b") stays.  Malloc'd.
 */
static char *
html_text(const char *s, size_t n)
{
	struct import_buf b = {0};
	char *out;
	const char *r;
	size_t rn;

	for (size_t i = 0; i < n; i++) {
		const char *close;
		char ent[8];
		size_t en, k;

		if (s[i] == '<' && i + 1 < n && (s[i + 1] == '/' ||
		    s[i + 1] == '!' || (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
		    (s[i + 1] >= 'A' && s[i + 1] <= 'Z')) &&
		    (close = memchr(s + i, '>', n - i)) != NULL) {
			size_t tn = (size_t)(close - s - i);

			if ((tn >= 3 && strncasecmp(s + i, "<br", 3) == 0) ||
			    (tn >= 3 && (strncasecmp(s + i, "</p", 3) == 0 ||
			    strncasecmp(s + i, "</h", 3) == 0)) ||
			    (tn >= 4 && (strncasecmp(s + i, "</li", 4) == 0 ||
			    strncasecmp(s + i, "</tr", 4) == 0)) ||
			    (tn >= 5 && strncasecmp(s + i, "</div", 5) == 0))
				import_buf_addc(&b, '\n');
			i += tn;
			continue;
		}
		if (s[i] == '&' && (k = entity(s + i, n - i, ent, &en)) > 0) {
			import_buf_add(&b, ent, en);
			i += k - 1;
			continue;
		}
		import_buf_addc(&b, s[i] == '\n' ? ' ' : s[i]);
	}
	/* Trim each line; keep at most one blank line in a row. */
	r = import_buf_str(&b);
	rn = b.n;
	out = xmalloc(rn + 1);
	{
		size_t o = 0;
		int blanks = 0;

		for (const char *p = r, *end = r + rn; p <= end;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *ls = p;
			size_t ln = (size_t)((nl ? nl : end) - p);

			import_trim(&ls, &ln);
			if (ln == 0)
				blanks++;
			else {
				if (o > 0)
					out[o++] = '\n';
				if (o > 0 && blanks > 0)
					out[o++] = '\n';
				memcpy(out + o, ls, ln);
				o += ln;
				blanks = 0;
			}
			if (nl == NULL)
				break;
			p = nl + 1;
		}
		out[o] = '\0';
	}
	import_buf_free(&b);
	return out;
}

/*
 * A malloc'd copy of [a, b), trimmed, without a leading format marker.
 * Ludus keeps plain text: [moodle], [plain] and [markdown] text is kept
 * as written, [html] text (a part so marked, or any part of a question
 * whose text is) loses its tags and entities.
 */
static char *
cut(const struct text *t, size_t a, size_t b)
{
	static const char *const markers[] = {"[html]", "[moodle]",
	    "[plain]", "[markdown]", NULL};
	const char *s = t->c + a;
	size_t n = b > a ? b - a : 0;
	int html = t->html;

	import_trim(&s, &n);
	for (size_t i = 0; markers[i]; i++) {
		size_t m = strlen(markers[i]);

		if (n >= m && strncasecmp(s, markers[i], m) == 0 &&
		    !t->lit[s - t->c]) {
			html = i == 0;
			s += m;
			n -= m;
			import_trim(&s, &n);
			break;
		}
	}
	return html ? html_text(s, n) : xstrndup(s, n);
}

/* ---- categories ------------------------------------------------------- */

static void
category_clear(struct category *cat)
{
	free(cat->exam);
	free(cat->domain);
	json_decref(cat->objectives);
	json_decref(cat->tags);
	memset(cat, 0, sizeof(*cat));
}

/*
 * A segment that is no code becomes a tag: lowercase ASCII letters and
 * digits in words joined by single '-' (the tag rule), everything else
 * dropped.  Returns the length written to out (n + 1 bytes).
 */
static size_t
tag_of(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == ' ' || c == '\t' || c == '-') {
			if (o > 0 && out[o - 1] != '-')
				out[o++] = '-';
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
	return o;
}

/*
 * "$CATEGORY: $course$/top/network/1.0/Ports and protocols".  Its lists
 * are copied into every question after it, so they stop growing at
 * IMPORT_MAX_OPTIONS entries (the validator allows 20) rather than make a
 * hostile file's work grow with both its category and its questions.
 */
static void
category_set(struct category *cat, const char *s, size_t n)
{
	const char *end = s + n;

	category_clear(cat);
	while (s < end) {
		const char *slash = memchr(s, '/', (size_t)(end - s));
		const char *seg = s;
		size_t sn = (size_t)((slash ? slash : end) - s), k;

		s = slash ? slash + 1 : end;
		import_trim(&seg, &sn);
		/* Moodle's own levels: contexts ($course$...) and top. */
		if (sn == 0 || (sn == 3 && strncasecmp(seg, "top", 3) == 0) ||
		    (sn >= 2 && seg[0] == '$' && seg[sn - 1] == '$'))
			continue;
		for (k = 0; exams[k]; k++)
			if (strlen(exams[k]) == sn &&
			    strncasecmp(seg, exams[k], sn) == 0)
				break;
		if (exams[k]) {
			free(cat->exam);
			cat->exam = xstrdup(exams[k]);
		} else if (import_is_domain(seg, sn)) {
			free(cat->domain);
			cat->domain = xstrndup(seg, sn);
		} else if (import_is_code(seg, sn)) {
			if (cat->objectives == NULL)
				cat->objectives = json_array();
			if (json_array_size(cat->objectives) <
			    IMPORT_MAX_OPTIONS)
				import_add_unique(cat->objectives, seg, sn);
		} else {
			char *tag = xmalloc(sn + 1);
			size_t tn = tag_of(seg, sn, tag);

			if (tn > 0 && json_array_size(cat->tags) <
			    IMPORT_MAX_OPTIONS) {
				if (cat->tags == NULL)
					cat->tags = json_array();
				import_add_unique(cat->tags, tag, tn);
			}
			free(tag);
		}
	}
	if (cat->domain == NULL && cat->objectives != NULL) {
		const char *first = json_string_value(
		    json_array_get(cat->objectives, 0));
		char dom[8];

		import_domain_of(first, strlen(first), dom);
		cat->domain = xstrdup(dom);
	}
}

static void
category_apply(const struct category *cat, json_t *q)
{
	import_set_text(q, "exam", cat->exam);
	import_set_text(q, "domain", cat->domain);
	if (cat->objectives)
		json_object_set_new(q, "objectives",
		    json_deep_copy(cat->objectives));
	if (cat->tags)
		json_object_set_new(q, "tags", json_deep_copy(cat->tags));
}

/* ---- answers ---------------------------------------------------------- */

static void
answers_free(struct answer *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].feedback);
	}
}

/* "%50%", "%-33.3%" at i: the weight, and i moved past it; else 0. */
static int
weight(const struct text *t, size_t *i, size_t end, double *w)
{
	size_t close = find(t, *i + 1, end, '%');
	char num[32], *e;
	size_t n = close - *i - 1;

	if (close == end || n == 0 || n >= sizeof(num))
		return 0;
	memcpy(num, t->c + *i + 1, n);
	num[n] = '\0';
	if (strspn(num, "-+.0123456789") != n)
		return 0;
	*w = strtod(num, &e);
	if (*e != '\0')
		return 0;
	*i = close + 1;
	return 1;
}

/*
 * The answers of [a, b), each from its '=' or '~' to the next one, into
 * v (IMPORT_MAX_OPTIONS).  NULL, or why the block is refused.
 */
static const char *
split_answers(const struct text *t, size_t a, size_t b, struct answer *v,
    size_t *nv)
{
	size_t i = a;

	*nv = 0;
	while (i < b && !at(t, i, '=') && !at(t, i, '~')) {
		if (!blank(t->c[i]))
			return "the answer block must list answers, each "
			    "starting with = (right) or ~ (wrong)";
		i++;
	}
	while (i < b) {
		size_t s = i + 1, e = s, h;
		struct answer *x;

		while (e < b && !at(t, e, '=') && !at(t, e, '~'))
			e++;
		if (*nv == IMPORT_MAX_OPTIONS)
			return "too many answers";
		x = &v[(*nv)++];
		x->mark = t->c[i];
		x->weight = x->mark == '=' ? 100 : 0;
		while (s < e && blank(t->c[s]))
			s++;
		if (at(t, s, '%'))
			(void)weight(t, &s, e, &x->weight);
		h = find(t, s, e, '#');
		x->text = cut(t, s, h);
		x->feedback = h < e ? cut(t, h + 1, e) : NULL;
		i = e;
	}
	return NULL;
}

/*
 * Sets o["credit"] from an answer's %weight%: Moodle's =%50%answer earns
 * half the points.  Full credit (100) is left out, as the validator's
 * normal form does.
 */
static void
set_credit(json_t *o, double weight)
{
	/* To 5 places, as credit is scored: %33.3% is 0.333, not 0.33299... */
	if (weight < 100)
		json_object_set_new(o, "credit",
		    json_real(round(weight * 1000) / 100000));
}

/* NULL, or why answer i's weight has no place in a Ludus question. */
static const char *
weight_ok(const struct answer *x, size_t i, char *why, size_t wn)
{
	if (x->weight > 100) {
		snprintf(why, wn, "answer %zu weighs more than 100%%", i + 1);
		return why;
	}
	return NULL;
}

/* A number of s (n bytes, trimmed): 0, or -1 when it is none. */
static int
number(const char *s, size_t n, double *v)
{
	char num[64], *e;

	import_trim(&s, &n);
	if (n == 0 || n >= sizeof(num) ||
	    strspn(s, "+-.0123456789eE") < n)
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	*v = strtod(num, &e);
	return *e == '\0' && isfinite(*v) ? 0 : -1;
}

/* "22", "22:1" or "20..24" as {"value", "tolerance"}; or NULL and why. */
static json_t *
range(const char *s, char *why, size_t wn)
{
	const char *dots = strstr(s, ".."), *colon = strchr(s, ':');
	double v, tol = 0, lo, hi;
	json_t *r;

	if (dots != NULL) {
		if (number(s, (size_t)(dots - s), &lo) < 0 ||
		    number(dots + 2, strlen(dots + 2), &hi) < 0 || lo > hi) {
			snprintf(why, wn, "\"%.40s\" is not a range min..max",
			    s);
			return NULL;
		}
		v = lo + (hi - lo) / 2;
		tol = (hi - lo) / 2;
	} else if (colon != NULL) {
		if (number(s, (size_t)(colon - s), &v) < 0 ||
		    number(colon + 1, strlen(colon + 1), &tol) < 0 ||
		    tol < 0) {
			snprintf(why, wn, "\"%.40s\" is not a number with its "
			    "tolerance (value:tolerance)", s);
			return NULL;
		}
	} else if (number(s, strlen(s), &v) < 0) {
		snprintf(why, wn, "\"%.40s\" is not a number", s);
		return NULL;
	}
	r = json_object();
	json_object_set_new(r, "value", import_number(v));
	json_object_set_new(r, "tolerance", import_number(tol));
	return r;
}

/*
 * {#22}, {#22:1}, {#20..24} and {#=22:0 =%50%21:1 ...}: the answers that
 * earn credit become ranges, a %weight% below 100 their "credit";
 * per-answer feedback has no place in a fill_blank body and is dropped.
 */
static const char *
numeric(const struct text *t, size_t a, size_t b, json_t *body, char *why,
    size_t wn)
{
	struct answer v[IMPORT_MAX_OPTIONS];
	json_t *list = json_array(), *r;
	size_t nv = 0;
	const char *err = NULL;

	if (find(t, a, b, '=') < b || find(t, a, b, '~') < b) {
		if ((err = split_answers(t, a, b, v, &nv)) != NULL)
			goto out;
		for (size_t i = 0; i < nv; i++) {
			if (v[i].mark != '=' || v[i].weight <= 0)
				continue;
			if ((err = weight_ok(&v[i], i, why, wn)) != NULL)
				goto out;
			if ((r = range(v[i].text, why, wn)) == NULL) {
				err = why;
				goto out;
			}
			set_credit(r, v[i].weight);
			json_array_append_new(list, r);
		}
	} else {
		char *s = cut(t, a, find(t, a, b, '#'));

		r = range(s, why, wn);
		free(s);
		if (r == NULL) {
			err = why;
			goto out;
		}
		json_array_append_new(list, r);
	}
	if (json_array_size(list) == 0)
		err = "the numeric answer block has no answer that earns "
		    "credit";
out:
	answers_free(v, nv);
	if (err != NULL)
		json_decref(list);
	else
		json_object_set_new(body, "numeric", list);
	return err;
}

/*
 * {T#wrong#right}: Moodle reads the first feedback as the one shown to a
 * learner who answers wrongly and the second to one who answers rightly
 * (split_truefalse_comment: "wrong", then "right").  The wrong answer's
 * option therefore explains with the first, the right one with the second
 * - which is what docs/questions.md means by the first feedback explaining
 * the right answer: it is what a learner who missed it reads.
 */
static void
true_false(const struct text *t, size_t h, size_t b, int truth,
    json_t *body)
{
	size_t h2 = h < b ? find(t, h + 1, b, '#') : b;
	char *wrong = h < b ? cut(t, h + 1, h2) : NULL;
	char *right = h2 < b ? cut(t, h2 + 1, b) : NULL;
	json_t *a = json_array();

	json_array_append_new(a, import_option("true", "True",
	    truth ? right : wrong, truth));
	json_array_append_new(a, import_option("false", "False",
	    truth ? wrong : right, !truth));
	json_object_set_new(body, "options", a);
	free(wrong);
	free(right);
}

/*
 * "=left -> right" pairs; "= -> text" (no left side) is a distractor, a
 * right text that matches nothing (Moodle's extra wrong answers).  Pairs
 * are keyed 1, 2... and distractors x1, x2... in the order written.
 */
static const char *
matching(struct answer *v, size_t nv, json_t *body, char *why, size_t wn)
{
	json_t *pairs = json_array(), *extra = json_array();
	size_t npairs = 0, nextra = 0;

	for (size_t i = 0; i < nv; i++) {
		const char *arrow = strstr(v[i].text, "->"), *l, *r;
		size_t ln, rn;
		char key[24];
		json_t *p;

		if (v[i].mark != '=' || arrow == NULL) {
			snprintf(why, wn, "answer %zu is not =left -> right: "
			    "a matching question pairs every answer", i + 1);
			goto refuse;
		}
		l = v[i].text;
		ln = (size_t)(arrow - l);
		r = arrow + 2;
		rn = strlen(r);
		import_trim(&l, &ln);
		import_trim(&r, &rn);
		if (rn == 0) {
			snprintf(why, wn, "pair %zu has no right side", i + 1);
			goto refuse;
		}
		if (ln == 0) {
			snprintf(key, sizeof(key), "x%zu", ++nextra);
			p = json_object();
			json_object_set_new(p, "key", json_string(key));
			json_object_set_new(p, "text", json_stringn(r, rn));
			json_array_append_new(extra, p);
			continue;
		}
		snprintf(key, sizeof(key), "%zu", ++npairs);
		p = json_object();
		json_object_set_new(p, "key", json_string(key));
		json_object_set_new(p, "left", json_stringn(l, ln));
		json_object_set_new(p, "right", json_stringn(r, rn));
		import_set_text(p, "explanation", v[i].feedback);
		json_array_append_new(pairs, p);
	}
	json_object_set_new(body, "pairs", pairs);
	if (nextra > 0)
		json_object_set_new(body, "distractors", extra);
	else
		json_decref(extra);
	return NULL;
refuse:
	json_decref(pairs);
	json_decref(extra);
	return why;
}

/*
 * Choices, as Moodle reads them: with an '=' answer the question takes
 * one answer, and the answers worth 100% are right; without one it takes
 * several, and every answer with a positive %weight% is right (Ludus's
 * own partial-credit rule then scores it, not the weights).  A one-answer
 * question that Ludus cannot score the same way - two full answers either
 * of which is right, or a part-credit option - is refused.
 */
static const char *
choices(struct answer *v, size_t nv, json_t *q, json_t *body, char *why,
    size_t wn)
{
	json_t *opts = json_array();
	size_t right = 0;
	int single = 0;

	for (size_t i = 0; i < nv; i++)
		single |= v[i].mark == '=';
	for (size_t i = 0; i < nv; i++) {
		char key[24];
		int ok = single ? v[i].weight >= 100 : v[i].weight > 0;

		if (i < 26)
			snprintf(key, sizeof(key), "%c", (int)('A' + i));
		else
			snprintf(key, sizeof(key), "O%zu", i + 1);
		if (v[i].text[0] == '\0')
			snprintf(why, wn, "option %s has no text", key);
		else if (v[i].weight > 100)
			snprintf(why, wn, "option %s weighs more than 100%%",
			    key);
		else if (single && v[i].weight > 0 && !ok)
			snprintf(why, wn, "option %s earns part credit (%g%%) "
			    "in a one-answer question: Ludus scores a single "
			    "choice all or nothing", key, v[i].weight);
		else
			why[0] = '\0';
		if (why[0] != '\0') {
			json_decref(opts);
			return why;
		}
		right += ok;
		json_array_append_new(opts, import_option(key, v[i].text,
		    v[i].feedback, ok));
	}
	if (right == 0) {
		json_decref(opts);
		return "no answer is marked right (= or a positive %weight%)";
	}
	if (single && right > 1) {
		json_decref(opts);
		snprintf(why, wn, "%zu answers are marked = in a one-answer "
		    "question, any of which Moodle takes as right: Ludus has "
		    "one right answer per single choice (for \"choose "
		    "several\", give each right answer ~%%50%% and no =)",
		    right);
		return why;
	}
	json_object_set_new(q, "type", json_string(right > 1 ?
	    "multiple_select" : "single_choice"));
	json_object_set_new(body, "options", opts);
	return NULL;
}

/*
 * Short answer: the answers that earn credit are accepted, a %weight%
 * below 100 as their "credit".  A fill_blank answer has no explanation,
 * so per-answer feedback is dropped.
 */
static const char *
short_answer(struct answer *v, size_t nv, json_t *body, char *why,
    size_t wn)
{
	json_t *list = json_array();

	for (size_t i = 0; i < nv; i++) {
		json_t *one;

		if (v[i].text[0] == '\0') {
			snprintf(why, wn, "answer %zu has no text", i + 1);
			json_decref(list);
			return why;
		}
		if (v[i].weight <= 0)
			continue;
		if (weight_ok(&v[i], i, why, wn) != NULL) {
			json_decref(list);
			return why;
		}
		one = json_object();
		json_object_set_new(one, "text", json_string(v[i].text));
		set_credit(one, v[i].weight);
		json_array_append_new(list, one);
	}
	if (json_array_size(list) == 0) {
		json_decref(list);
		return "no answer earns credit";
	}
	json_object_set_new(body, "answers", list);
	return NULL;
}

/* The body (and type) of the answers in [a, b). */
static const char *
answer_block(const struct text *t, size_t a, size_t b, json_t *q,
    json_t *body, char *why, size_t wn)
{
	struct answer v[IMPORT_MAX_OPTIONS];
	size_t nv = 0, h, arrows = 0;
	const char *err;
	int tilde = 0;
	char *head;

	while (a < b && blank(t->c[a]))
		a++;
	while (b > a && blank(t->c[b - 1]))
		b--;
	if (a == b)
		return "essay questions ({}) need manual grading, not yet "
		    "supported";
	if (at(t, a, '#')) {
		json_object_set_new(q, "type", json_string("fill_blank"));
		return numeric(t, a + 1, b, body, why, wn);
	}

	h = find(t, a, b, '#');
	head = cut(t, a, h);
	if (strcasecmp(head, "T") == 0 || strcasecmp(head, "TRUE") == 0 ||
	    strcasecmp(head, "F") == 0 || strcasecmp(head, "FALSE") == 0) {
		int truth = head[0] == 'T' || head[0] == 't';

		free(head);
		json_object_set_new(q, "type", json_string("true_false"));
		true_false(t, h, b, truth, body);
		return NULL;
	}
	free(head);

	if ((err = split_answers(t, a, b, v, &nv)) != NULL)
		goto out;
	for (size_t i = 0; i < nv; i++) {
		tilde |= v[i].mark == '~';
		arrows += v[i].mark == '=' && strstr(v[i].text, "->") != NULL;
	}
	if (!tilde && arrows > 0) {
		json_object_set_new(q, "type", json_string("matching"));
		err = matching(v, nv, body, why, wn);
	} else if (tilde)
		err = choices(v, nv, q, body, why, wn);
	else {
		json_object_set_new(q, "type", json_string("fill_blank"));
		err = short_answer(v, nv, body, why, wn);
	}
out:
	answers_free(v, nv);
	return err;
}

/*
 * The stem of a missing-word question, "Moodle costs {...} to download.":
 * the text before the block, a blank "_____" where the block was, and
 * the text after it (rest, already cut), spaced as written.
 */
static char *
missing_word(const struct text *t, size_t p, size_t open, size_t close,
    const char *rest)
{
	char *before = cut(t, p, open), *stem;
	struct import_buf b = {0};

	import_buf_add(&b, before, strlen(before));
	if (before[0] != '\0' && blank(t->c[open - 1]))
		import_buf_addc(&b, ' ');
	import_buf_add(&b, "_____", 5);
	if (blank(t->c[close + 1]))
		import_buf_addc(&b, ' ');
	import_buf_add(&b, rest, strlen(rest));
	stem = xstrdup(import_buf_str(&b));
	import_buf_free(&b);
	free(before);
	return stem;
}

/* 1 when s fits the external id rule: 1-100 of A-Z a-z 0-9 . _ : - */
static int
external_id(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 100 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._:-") == n;
}

/* The question of n bytes of s, or NULL and why. */
static json_t *
question(const char *s, size_t n, const struct category *cat, char *why,
    size_t wn)
{
	struct text t;
	size_t p = 0, open, close, gf;
	char *title = NULL, *stem = NULL, *rest = NULL, *expl = NULL;
	const char *err = NULL;
	json_t *q = json_object(), *body = json_object();

	unescape(s, n, &t);
	while (p < t.n && blank(t.c[p]))
		p++;
	if (at(&t, p, ':') && at(&t, p + 1, ':')) {
		size_t e = p + 2;

		while (e < t.n && !(at(&t, e, ':') && at(&t, e + 1, ':')))
			e++;
		if (e >= t.n) {
			err = "the title has no closing ::";
			goto out;
		}
		title = cut(&t, p + 2, e);
		p = e + 2;
	}
	while (p < t.n && blank(t.c[p]))
		p++;
	t.html = t.n - p >= 6 && strncasecmp(t.c + p, "[html]", 6) == 0 &&
	    !t.lit[p];
	open = find(&t, p, t.n, '{');
	if (find(&t, p, open, '}') < open) {
		err = "a } before any { (write \\} for a brace in text)";
		goto out;
	}
	if (open == t.n) {
		err = "no answer block { ... }: a description is not a "
		    "question";
		goto out;
	}
	close = find(&t, open + 1, t.n, '}');
	if (close == t.n) {
		err = "the answer block has no closing }";
		goto out;
	}
	if (find(&t, open + 1, close, '{') < close) {
		err = "a { inside the answer block (write \\{ for a brace in "
		    "text)";
		goto out;
	}
	rest = cut(&t, close + 1, t.n);
	if (rest[0] != '\0' && strncmp(rest, "//", 2) != 0) {
		if (find(&t, close + 1, t.n, '{') < t.n) {
			err = "a second answer block: separate questions with "
			    "a blank line";
			goto out;
		}
		if (find(&t, close + 1, t.n, '}') < t.n) {
			err = "a } after the answer block (write \\} for a "
			    "brace in text)";
			goto out;
		}
		stem = missing_word(&t, p, open, close, rest);
	} else
		stem = cut(&t, p, open);
	if (stem[0] == '\0') {
		err = "the question has no text before its answer block";
		goto out;
	}

	/* "####" starts the general feedback. */
	for (gf = open + 1; gf + 3 < close; gf++)
		if (at(&t, gf, '#') && at(&t, gf + 1, '#') &&
		    at(&t, gf + 2, '#') && at(&t, gf + 3, '#'))
			break;
	if (gf + 3 >= close)
		gf = close;
	else
		expl = cut(&t, gf + 4, close);

	if (title != NULL && external_id(title))
		json_object_set_new(q, "external_id", json_string(title));
	json_object_set_new(q, "type", json_string("single_choice"));
	json_object_set_new(q, "stem", json_string(stem));
	import_set_text(q, "explanation", expl);
	category_apply(cat, q);
	err = answer_block(&t, open + 1, gf, q, body, why, wn);
out:
	free(t.c);
	free(t.lit);
	free(title);
	free(stem);
	free(rest);
	free(expl);
	if (err != NULL) {
		if (err != why)
			snprintf(why, wn, "%s", err);
		json_decref(body);
		json_decref(q);
		return NULL;
	}
	json_object_set_new(q, "body", body);
	return q;
}

int
import_gift(const char *text, size_t len, struct import_list *out)
{
	struct category cat = {0};
	struct import_buf block = {0};
	const char *p = text, *end = text + len;
	int line = 1, start = 0, ret = 0;
	char why[300];

	while (ret == 0 && (p < end || start != 0)) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) :
		    NULL;
		const char *s = p;
		size_t n = (size_t)((nl ? nl : end) - p);

		import_trim(&s, &n);
		if (p < end && n >= 2 && s[0] == '/' && s[1] == '/')
			;	/* a comment, even inside a question */
		else if (p < end && n > 0 && start == 0 &&
		    strncasecmp(s, "$CATEGORY:", 10) == 0)
			category_set(&cat, s + 10, n - 10);
		else if (p < end && n > 0) {
			if (start == 0)
				start = line;
			else
				import_buf_addc(&block, '\n');
			import_buf_add(&block, s, n);
		} else if (start != 0) {
			/* A blank line (or the end) ends the question. */
			json_t *q = question(import_buf_str(&block), block.n,
			    &cat, why, sizeof(why));

			ret = q ? import_add(out, start, q) :
			    import_refuse(out, start, "%s", why);
			start = 0;
			import_buf_reset(&block);
		}
		if (p >= end)
			break;
		p = nl ? nl + 1 : end;
		line++;
	}
	category_clear(&cat);
	import_buf_free(&block);
	return ret;
}
