/*
 * import_aiken.c - questions from Moodle's Aiken format: single choice
 * questions with no metadata.
 *
 *	Which port does SSH listen on by default?
 *	A) 21
 *	B. 22
 *	ANSWER: B
 *
 * The stem is every line before the first option "A) " or "A. " (the
 * space may be missing: "A)text"); the options follow with consecutive
 * uppercase letters; "ANSWER: X" (any case, spaces or none around the
 * colon) ends the question.  Blank lines separate questions, but a question may also
 * start right after the ANSWER line of the one before, and a line that
 * is no option after the options starts the next question (the one before
 * then lacks its ANSWER), so one mistake costs one question.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assessment/import_int.h"
#include "core/alloc.h"

#define LETTERS 26

struct record {
	int line;			/* where it starts; 0: none open */
	struct import_buf stem;
	char *opt[LETTERS];
	size_t nopts;
	char answer[24];		/* what ANSWER: said */
	int answered;
	char why[200];			/* the first fault, if any */
};

/*
 * "B) text" or "B. text", and as Moodle also takes them "B)text" and
 * "B.text": the letter's index and the text; else -1.  Without a space,
 * "A.M. radio" is an abbreviation, not option A.
 */
static int
option_line(const char *s, size_t n, const char **text, size_t *tn)
{
	if (n < 2 || s[0] < 'A' || s[0] > 'Z' ||
	    (s[1] != ')' && s[1] != '.'))
		return -1;
	if (s[1] == '.' && n > 3 && s[3] == '.' &&
	    ((s[2] >= 'A' && s[2] <= 'Z') || (s[2] >= 'a' && s[2] <= 'z')))
		return -1;
	*text = s + 2;
	*tn = n - 2;
	import_trim(text, tn);
	return s[0] - 'A';
}

/* "ANSWER: B": the text after the colon; else NULL. */
static const char *
answer_line(const char *s, size_t n, size_t *an)
{
	size_t i = 6;

	if (n < 7 || strncasecmp(s, "ANSWER", 6) != 0)
		return NULL;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != ':')
		return NULL;
	s += i + 1;
	*an = n - i - 1;
	import_trim(&s, an);
	return s;
}

static void fault(struct record *, const char *, ...)
	__attribute__((format(printf, 2, 3)));

/* Keeps the first fault of the record. */
static void
fault(struct record *r, const char *fmt, ...)
{
	va_list ap;

	if (r->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* Adds the record's question, or its refusal, to out; 0 or -1. */
static int
finish(struct record *r, struct import_list *out)
{
	size_t an = strlen(r->answer);
	int ret, k = -1;

	if (r->why[0] == '\0') {
		if (r->nopts < 2)
			snprintf(r->why, sizeof(r->why), "a question needs at "
			    "least two options (A) text, B) text)");
		else if (!r->answered)
			snprintf(r->why, sizeof(r->why), "no ANSWER: line "
			    "after the options");
		else if (an != 1 || !((r->answer[0] >= 'A' &&
		    r->answer[0] <= 'Z') || (r->answer[0] >= 'a' &&
		    r->answer[0] <= 'z')))
			snprintf(r->why, sizeof(r->why), "ANSWER: must name "
			    "one option letter, not \"%s\"", r->answer);
		else if ((k = (r->answer[0] & ~0x20) - 'A') >= (int)r->nopts)
			snprintf(r->why, sizeof(r->why), "ANSWER: names %c "
			    "but there is no option %c", 'A' + k, 'A' + k);
	}
	if (r->why[0] != '\0')
		ret = import_refuse(out, r->line, "%s", r->why);
	else {
		json_t *q = json_object(), *opts = json_array(), *body;

		json_object_set_new(q, "type", json_string("single_choice"));
		json_object_set_new(q, "stem",
		    json_string(import_buf_str(&r->stem)));
		for (size_t i = 0; i < r->nopts; i++) {
			char key[2] = {(char)('A' + i), '\0'};

			json_array_append_new(opts, import_option(key,
			    r->opt[i], NULL, (int)i == k));
		}
		body = json_object();
		json_object_set_new(body, "options", opts);
		json_object_set_new(q, "body", body);
		ret = import_add(out, r->line, q);
	}
	for (size_t i = 0; i < r->nopts; i++)
		free(r->opt[i]);
	import_buf_reset(&r->stem);
	r->nopts = 0;
	r->answered = 0;
	r->answer[0] = r->why[0] = '\0';
	r->line = 0;
	return ret;
}

static void
begin(struct record *r, int line, const char *s, size_t n)
{
	r->line = line;
	import_buf_add(&r->stem, s, n);
}

int
import_aiken(const char *text, size_t len, struct import_list *out)
{
	struct record r;
	const char *p = text, *end = text + len;
	int line = 0, ret = 0;

	memset(&r, 0, sizeof(r));
	while (ret == 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *t, *a;
		size_t n = (size_t)((nl ? nl : end) - p), tn, an;
		int k;

		p = nl ? nl + 1 : end;
		line++;
		import_trim(&s, &n);
		if (r.line == 0) {
			if (n > 0)
				begin(&r, line, s, n);
			continue;
		}
		if (n == 0) {
			ret = finish(&r, out);
			continue;
		}
		if ((a = answer_line(s, n, &an)) != NULL) {
			snprintf(r.answer, sizeof(r.answer), "%.*s",
			    (int)(an > 20 ? 20 : an), a);
			r.answered = 1;
			ret = finish(&r, out);
			continue;
		}
		k = option_line(s, n, &t, &tn);
		if (k >= 0 && (r.nopts > 0 || k == 0)) {
			if (k != (int)r.nopts)
				fault(&r, "options not in sequence: "
				    "expected %c, found %c",
				    (int)('A' + r.nopts), 'A' + k);
			else if (tn == 0)
				fault(&r, "option %c has no text", 'A' + k);
			else
				r.opt[r.nopts++] = xstrndup(t, tn);
			continue;
		}
		if (r.nopts == 0) {
			import_buf_addc(&r.stem, '\n');
			import_buf_add(&r.stem, s, n);
			continue;
		}
		/* Not an option after the options: a new question. */
		if ((ret = finish(&r, out)) == 0)
			begin(&r, line, s, n);
	}
	if (ret == 0 && r.line != 0)
		ret = finish(&r, out);
	for (size_t i = 0; i < r.nopts; i++)
		free(r.opt[i]);
	import_buf_free(&r.stem);
	return ret;
}
