/*
 * import.h - reading question files: CSV (seed 003's format, extended),
 * Moodle GIFT and Aiken, as docs/questions.md describes them.
 *
 * Parsing is pure: text in, one item per record out, each either a
 * question object (the authoring API's shape) or the reason it was
 * refused, with the line where the record starts.  Nothing here checks a
 * question's rules in depth (question.c does, for every source alike) or
 * touches the database (the caller saves the good items).
 */
#ifndef LUDUS_ASSESSMENT_IMPORT_H
#define LUDUS_ASSESSMENT_IMPORT_H

#include <stddef.h>

#include <jansson.h>

enum import_format { IMPORT_CSV, IMPORT_GIFT, IMPORT_AIKEN };

struct import_item {
	int line;          /* 1-based line where the record starts */
	json_t *question;  /* the question object, or NULL when refused */
	char *error;       /* malloc'd reason, when question is NULL */
};

struct import_list {
	struct import_item *items;
	size_t count, cap;
	/*
	 * A fault of the whole file (a CSV header that names an unknown
	 * column, text that is not UTF-8...): malloc'd, with its line;
	 * items is then empty.
	 */
	char *error;
	int error_line;
};

/* The format named "csv", "gift" or "aiken"; -1 for any other name. */
int import_format_by_name(const char *name);

/*
 * Parses len bytes of text (need not end in NUL) into out, which the
 * caller zeroes first and frees with import_list_free.  Returns 0, or -1
 * when the whole file was refused (out->error says why).
 */
int import_parse(enum import_format format, const char *text, size_t len,
    struct import_list *out);

void import_list_free(struct import_list *list);

#endif
