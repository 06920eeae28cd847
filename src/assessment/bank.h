/*
 * bank.h - writing to the question bank: one question (the authoring API)
 * or a whole imported file (the upload route, `ludus import` and the demo
 * seed), inside the caller's transaction.
 */
#ifndef LUDUS_ASSESSMENT_BANK_H
#define LUDUS_ASSESSMENT_BANK_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "assessment/import.h"
#include "db/db.h"

enum bank_outcome {
	BANK_CREATED,
	BANK_UPDATED,
	BANK_UNCHANGED,
	BANK_REFUSED, /* reason says why; nothing was written */
	BANK_ERROR,   /* a database error: db->status and db->message */
};

struct bank_write {
	const char *org;
	const char *user;  /* the author of a new question */
	bool admin;        /* may change anyone's questions */
	const char *id;    /* change this question; NULL: a new one */
	bool match;        /* an import: update the question it matches */
	char new_id[37];   /* the question written */
	char field[32];    /* the field at fault, when refused */
	char reason[256];
};

/*
 * Why the database refused a question, in words for the author: the
 * message of our own triggers (an objective not in the exam), else a
 * sentence for the kind of error.
 */
const char *bank_reason(const struct db *db);

/* Writes the normal question q (question_normalize). */
enum bank_outcome bank_write(struct db *db, const json_t *q,
    struct bank_write *w);

struct import_options {
	const char *org;
	const char *user;        /* the author of new questions */
	bool admin;
	const char *exam;        /* for records that name none; or NULL */
	const char *status;      /* for records that give none */
	/* Called after each record (may be NULL). */
	void (*progress)(size_t done, size_t total, void *arg);
	void *arg;
};

/*
 * Saves the good items of list, each in its own savepoint, so that a bad
 * one leaves the others in.  Returns a report {"created", "updated",
 * "unchanged", "failed", "errors": [{"line", "reason"}]} (the first 1000
 * errors), or NULL when the database failed in a way that ends the import
 * (the transaction is then to be rolled back).
 */
json_t *bank_import(struct db *db, struct import_list *list,
    const struct import_options *o);

#endif
