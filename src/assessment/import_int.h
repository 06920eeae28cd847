/*
 * import_int.h - what the question-file parsers (import_csv.c,
 * import_gift.c, import_aiken.c) share with import.c.  Private to them.
 *
 * import_parse hands each parser a NUL-terminated copy of the file with
 * the byte-order mark gone, every CRLF turned into LF and no NUL byte
 * inside, already checked to be UTF-8: a parser can treat it as one C
 * string and count lines by '\n'.  Every substring a parser cuts at an
 * ASCII character is therefore UTF-8 too, as jansson wants.
 */
#ifndef LUDUS_ASSESSMENT_IMPORT_INT_H
#define LUDUS_ASSESSMENT_IMPORT_INT_H

#include <stddef.h>

#include <jansson.h>

#include "assessment/import.h"

/* More records than this refuse the whole file. */
#define IMPORT_MAX_RECORDS 100000
/*
 * More options (or answers) than this in one record refuse the record.
 * The validator allows far fewer; this only bounds the work on a hostile
 * file, so that matching answers to options never grows quadratic.
 */
#define IMPORT_MAX_OPTIONS 100

/* A growing string; zero it to start, import_buf_free when done. */
struct import_buf {
	char *s;
	size_t n, cap;
};

void import_buf_add(struct import_buf *b, const char *s, size_t n);
void import_buf_addc(struct import_buf *b, char c);
/* The text so far, NUL-terminated ("" when nothing was added). */
const char *import_buf_str(struct import_buf *b);
void import_buf_reset(struct import_buf *b);
void import_buf_free(struct import_buf *b);

/*
 * A record: import_add takes over q; import_refuse formats the reason.
 * Both return 0, or -1 when the file already holds IMPORT_MAX_RECORDS
 * records (the whole-file error is then set and the parser must stop).
 */
int import_add(struct import_list *l, int line, json_t *q);
int import_refuse(struct import_list *l, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Refuses the whole file; returns -1 for the parser to pass on. */
int import_fail(struct import_list *l, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* s without leading and trailing ASCII blanks (space, tab, CR, LF). */
void import_trim(const char **s, size_t *n);
/* A malloc'd, trimmed copy of n bytes of s. */
char *import_trimdup(const char *s, size_t n);
/* Lowercases the ASCII letters of s in place; returns s. */
char *import_lower(char *s);

/*
 * The next token of *p, between any of the bytes of seps, with its length
 * in *n (never 0); NULL when no token is left.  Advances *p past it.
 */
const char *import_token(const char **p, const char *seps, size_t *n);

/* 1 when s (n bytes) is a code like "1.4" or "2.0": 1-2 digits, '.', 1-2. */
int import_is_code(const char *s, size_t n);
/* 1 when the code (as import_is_code) names a domain: "2.0". */
int import_is_domain(const char *s, size_t n);
/* The domain of a code into out (5 bytes or more): "12.3" -> "12.0". */
void import_domain_of(const char *code, size_t n, char *out);

/*
 * Appends the string to the array unless it is there already.  Only the
 * first entries are checked for duplicates: a list that long is refused
 * by the validator anyway, and the check stays linear on a hostile file.
 */
void import_add_unique(json_t *a, const char *s, size_t n);
/* Sets q[key] to s when s is not NULL or empty. */
void import_set_text(json_t *q, const char *key, const char *s);
/* A choice option: {"key", "text", "correct"} and "explanation" if any. */
json_t *import_option(const char *key, const char *text, const char *expl,
    int correct);
/* A number as JSON: an integer when it is a whole one, else a real. */
json_t *import_number(double v);

/* The parsers, over text as described above. */
int import_csv(const char *text, size_t len, struct import_list *out);
int import_gift(const char *text, size_t len, struct import_list *out);
int import_aiken(const char *text, size_t len, struct import_list *out);

#endif
