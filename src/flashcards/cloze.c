/*
 * cloze.c - deletions of a cloze note and the sides of every card
 * (cloze.h).
 */
#include "flashcards/cloze.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* One {{cN::text::hint}} found at s. */
struct deletion {
	int n;
	const char *text, *hint;	/* hint NULL when absent */
	size_t text_len, hint_len;
	size_t len;			/* of the whole, braces included */
};

/*
 * 1 when s opens a deletion (parsed into *d), 0 when it does not ("{{" of
 * something else), -1 when it opens one that is malformed (*why says).
 */
static int
deletion_at(const char *s, struct deletion *d, const char **why)
{
	const char *p = s + 3, *body, *end, *sep, *inner;
	int n = 0, digits = 0;

	if (strncmp(s, "{{c", 3) != 0)
		return 0;
	while (*p >= '0' && *p <= '9' && digits < 3) {
		n = n * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || strncmp(p, "::", 2) != 0)
		return 0;
	if (n < 1 || n > CLOZE_MAX) {
		*why = "deletion numbers go from c1 to c99";
		return -1;
	}
	body = p + 2;
	if ((end = strstr(body, "}}")) == NULL) {
		*why = "a deletion is not closed with }}";
		return -1;
	}
	/* A brace pair inside would be ambiguous: refuse it plainly. */
	inner = strstr(body, "{{");
	if (inner != NULL && inner < end) {
		*why = "deletions cannot be nested";
		return -1;
	}
	d->n = n;
	d->text = body;
	sep = strstr(body, "::");
	if (sep != NULL && sep < end) {
		d->text_len = (size_t)(sep - body);
		d->hint = sep + 2;
		d->hint_len = (size_t)(end - d->hint);
	} else {
		d->text_len = (size_t)(end - body);
		d->hint = NULL;
		d->hint_len = 0;
	}
	{
		bool blank = true;

		for (size_t i = 0; i < d->text_len; i++)
			if (d->text[i] != ' ' && d->text[i] != '\t' &&
			    d->text[i] != '\n' && d->text[i] != '\r')
				blank = false;
		if (blank) {
			*why = "a deletion hides nothing";
			return -1;
		}
	}
	d->len = (size_t)(end + 2 - s);
	return 1;
}

int
cloze_ordinals(const char *text, int *out, const char **why)
{
	bool seen[CLOZE_MAX + 1] = {false};
	int count = 0;

	for (const char *s = text; (s = strstr(s, "{{")) != NULL;) {
		struct deletion d;
		int rc = deletion_at(s, &d, why);

		if (rc < 0)
			return -1;
		if (rc == 0) {
			s += 2;
			continue;
		}
		seen[d.n] = true;
		s += d.len;
	}
	for (int n = 1; n <= CLOZE_MAX; n++)
		if (seen[n])
			out[count++] = n;
	return count;
}

int
note_kind_parse(const char *s)
{
	static const char *const names[] = {"basic", "reversed", "cloze"};

	for (int i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* Text with deletion `n` hidden (answer false) or shown in bold. */
static bool
cloze_side(const char *text, int n, bool answer, struct buf *b)
{
	const char *s = text, *open, *why;
	bool found = false;

		while ((open = strstr(s, "{{")) != NULL) {
		struct deletion d;
		int rc = deletion_at(open, &d, &why);

		if (rc < 0)
			return false;
		buf_put(b, s, (size_t)(open - s) + (rc == 0 ? 2 : 0));
		if (rc == 0) {
			s = open + 2;
			continue;
		}
		if (d.n != n)
			buf_put(b, d.text, d.text_len);
		else if (answer) {
			buf_puts(b, "**");
			buf_put(b, d.text, d.text_len);
			buf_puts(b, "**");
		} else {
			buf_puts(b, "**[");
			if (d.hint != NULL && d.hint_len > 0)
				buf_put(b, d.hint, d.hint_len);
			else
				buf_puts(b, "...");
			buf_puts(b, "]**");
		}
		found |= d.n == n;
		s = open + d.len;
	}
	buf_puts(b, s);
	return found;
}

int
note_card_sides(enum note_kind kind, const char *front, const char *back,
    int ordinal, char **question, char **answer)
{
	struct buf q = {0}, a = {0};
	bool ok = true;

	switch (kind) {
	case NOTE_BASIC:
	case NOTE_REVERSED:
		if (ordinal == 0 || (kind == NOTE_REVERSED && ordinal == 1)) {
			buf_puts(&q, ordinal == 0 ? front : back);
			buf_puts(&a, ordinal == 0 ? back : front);
		} else
			ok = false;
		break;
	case NOTE_CLOZE:
		ok = cloze_side(front, ordinal, false, &q) &&
		    cloze_side(front, ordinal, true, &a);
		if (ok && back[0] != '\0') {
			buf_puts(&a, "\n\n");
			buf_puts(&a, back);
		}
		break;
	default:
		ok = false;
	}
	if (!ok) {
		free(q.s);
		free(a.s);
		return -1;
	}
	*question = buf_take(&q);
	*answer = buf_take(&a);
	return 0;
}
