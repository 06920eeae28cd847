/*
 * source.c - notes from questions and lessons (source.h).
 */
#include "flashcards/source.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* A string member, or "". */
static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

int
source_question_note(const char *type, const char *stem,
    const char *explanation, const json_t *body, char **front, char **back)
{
	struct buf f = {0}, k = {0};
	json_t *x;
	size_t i;
	int n = 0;

	buf_puts(&f, stem);
	if (strcmp(type, "single_choice") == 0 ||
	    strcmp(type, "multiple_select") == 0 ||
	    strcmp(type, "true_false") == 0) {
		const json_t *opts = json_object_get(body, "options");

		if (!json_is_array(opts))
			goto bad;
		if (strcmp(type, "true_false") != 0)
			buf_puts(&f, "\n");
		json_array_foreach(opts, i, x) {
			if (strcmp(type, "true_false") != 0) {
				buf_puts(&f, "\n- ");
				buf_puts(&f, str(x, "text"));
			}
			if (!json_is_true(json_object_get(x, "correct")))
				continue;
			buf_puts(&k, n++ ? "\n- **" : "- **");
			buf_puts(&k, str(x, "text"));
			buf_puts(&k, "**");
			if (*str(x, "explanation") != '\0') {
				buf_puts(&k, ": ");
				buf_puts(&k, str(x, "explanation"));
			}
		}
	} else if (strcmp(type, "fill_blank") == 0) {
		const json_t *ans = json_object_get(body, "answers");
		const json_t *num = json_object_get(body, "numeric");

		json_array_foreach(ans, i, x) {
			if (json_object_get(x, "credit") != NULL &&
			    json_number_value(json_object_get(x, "credit")) < 1)
				continue;
			buf_puts(&k, n++ ? " or **" : "**");
			buf_puts(&k, str(x, "text"));
			buf_puts(&k, "**");
		}
		json_array_foreach(num, i, x) {
			char v[64];

			if (json_object_get(x, "credit") != NULL &&
			    json_number_value(json_object_get(x, "credit")) < 1)
				continue;
			snprintf(v, sizeof(v), "%s**%g**", n++ ? " or " : "",
			    json_number_value(json_object_get(x, "value")));
			buf_puts(&k, v);
		}
	} else if (strcmp(type, "matching") == 0) {
		json_array_foreach(json_object_get(body, "pairs"), i, x) {
			buf_puts(&k, n++ ? "\n- " : "- ");
			buf_puts(&k, str(x, "left"));
			buf_puts(&k, " → **");
			buf_puts(&k, str(x, "right"));
			buf_puts(&k, "**");
		}
	} else if (strcmp(type, "ordering") == 0) {
		json_array_foreach(json_object_get(body, "items"), i, x) {
			char num[16];

			snprintf(num, sizeof(num), "%s%d. ", n ? "\n" : "",
			    n + 1);
			n++;
			buf_puts(&k, num);
			buf_puts(&k, str(x, "text"));
		}
	} else
		goto bad;
	if (n == 0)
		goto bad;
	if (explanation != NULL && *explanation != '\0') {
		buf_puts(&k, "\n\n");
		buf_puts(&k, explanation);
	}
	*front = buf_take(&f);
	*back = buf_take(&k);
	return 0;
bad:
	free(f.s);
	free(k.s);
	return -1;
}

/* ---- key terms --------------------------------------------------------- */

static char *
dup_trim(const char *s, size_t n)
{
	char *d;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* The first sentence of s (up to ". " or the end), length. */
static size_t
sentence(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
		    s[i + 1] == ' ')
			return i + 1;
	return n;
}

static int
add(struct key_term *out, int *count, int max, char *front, char *back,
    int reversed)
{
	if (front == NULL || back == NULL || *front == '\0' || *back == '\0' ||
	    strlen(front) > 200 || strlen(back) > 2000 || *count >= max) {
		free(front);
		free(back);
		return front == NULL || back == NULL ? -1 : 0;
	}
	for (int i = 0; i < *count; i++)
		if (strcmp(out[i].front, front) == 0) {	/* said before */
			free(front);
			free(back);
			return 0;
		}
	out[*count].front = front;
	out[*count].back = back;
	out[*count].reversed = reversed;
	(*count)++;
	return 0;
}

/* A line that opens with a bold term: "**Term**: ..." and the like. */
static int
bold_term(const char *line, size_t n, struct key_term *out, int *count,
    int max)
{
	const char *p = line, *end = line + n, *t, *te, *rest;

	if (n >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ')
		p += 2;
	if (end - p < 5 || strncmp(p, "**", 2) != 0)
		return 0;
	t = p + 2;
	for (te = t; te + 1 < end && strncmp(te, "**", 2) != 0; te++)
		;
	if (te + 1 >= end || te == t)
		return 0;
	rest = te + 2;
	/* A colon inside the bold: "**Placing devices:** a hub ...". */
	if (te[-1] == ':' && rest < end && *rest == ' ')
		return add(out, count, max, dup_trim(t, (size_t)(te - 1 - t)),
		    dup_trim(rest, sentence(rest, (size_t)(end - rest))), 0);
	if (rest < end && (*rest == ':' || (end - rest > 3 &&
	    strncmp(rest, " - ", 3) == 0) || (end - rest > 3 &&
	    strncmp(rest, " – ", strlen(" – ")) == 0))) {
		rest += *rest == ':' ? 1 : strncmp(rest, " - ", 3) == 0 ? 3 :
		    strlen(" – ");
		return add(out, count, max, dup_trim(t, (size_t)(te - t)),
		    dup_trim(rest, sentence(rest, (size_t)(end - rest))), 0);
	}
	if (end - rest > 4 && (strncmp(rest, " is ", 4) == 0 ||
	    strncmp(rest, " are ", 5) == 0)) {
		size_t s = sentence(rest, (size_t)(end - rest));

		return add(out, count, max, dup_trim(t, (size_t)(te - t)),
		    dup_trim(rest + 1, s - 1), 0);
	}
	return 0;
}

/* The cells of a table row "| a | b |" into cells; how many. */
static int
cells(const char *line, size_t n, const char **c, size_t *len, int max)
{
	const char *p = line, *end = line + n;
	int k = 0;

	if (n < 3 || *p != '|')
		return 0;
	p++;
	while (p < end && k < max) {
		const char *q = memchr(p, '|', (size_t)(end - p));

		if (q == NULL)
			break;
		c[k] = p;
		len[k] = (size_t)(q - p);
		/* without the spaces around the text */
		while (len[k] > 0 && *c[k] == ' ') {
			c[k]++;
			len[k]--;
		}
		while (len[k] > 0 && c[k][len[k] - 1] == ' ')
			len[k]--;
		k++;
		p = q + 1;
	}
	return k;
}

static bool
separator_row(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("|-: ", line[i]) == NULL)
			return false;
	return n > 0;
}

int
source_key_terms(const char *md, struct key_term *out, int max)
{
	const char *hc[8] = {NULL}, *p = md;
	size_t hl[8] = {0};
	int count = 0, nhead = 0;
	bool in_table = false, in_code = false;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *c[8];
		size_t l[8];
		int k;

		while (n > 0 && p[n - 1] == '\r')
			n--;
		if (n >= 3 && strncmp(p, "```", 3) == 0)
			in_code = !in_code;
		else if (in_code)
			;
		else if ((k = cells(p, n, c, l, 8)) >= 2) {
			if (!in_table) {
				memcpy(hc, c, sizeof(c));
				memcpy(hl, l, sizeof(l));
				nhead = k;
				in_table = true;
			} else if (!separator_row(p, n) && k == nhead) {
				struct buf f = {0}, b = {0};

				buf_put(&f, "**", 2);
				buf_put(&f, hc[0], hl[0]);
				buf_puts(&f, "**: ");
				buf_put(&f, c[0], l[0]);
				for (int i = 1; i < k; i++) {
					buf_puts(&b, i > 1 ? "\n\n**" : "**");
					buf_put(&b, hc[i], hl[i]);
					buf_puts(&b, "**: ");
					buf_put(&b, c[i], l[i]);
				}
				/* (the cells come without their spaces) */
				if (add(out, &count, max, buf_take(&f),
				    buf_take(&b), 1) != 0)
					return -1;
			}
		} else {
			in_table = false;
			if (bold_term(p, n, out, &count, max) != 0)
				return -1;
		}
		p += n;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	return count;
}

void
source_terms_free(struct key_term *t, int n)
{
	for (int i = 0; i < n; i++) {
		free(t[i].front);
		free(t[i].back);
	}
}
