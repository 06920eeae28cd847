/*
 * question.h - the rules of a question object (docs/questions.md), for
 * every way a question comes in: the authoring API, the importers and the
 * seed.  Pure code, unit-tested in tests/unit/test_question.c.
 */
#ifndef LUDUS_ASSESSMENT_QUESTION_H
#define LUDUS_ASSESSMENT_QUESTION_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define QUESTION_MAX_ERRORS 16

struct question_errors {
	int count;
	struct {
		char field[96];   /* "body.options[2].text" */
		char message[160];
	} e[QUESTION_MAX_ERRORS];
};

/*
 * Checks q and returns a new object in normal form: every field present
 * (null or a default where q left it out: difficulty 3, status
 * `default_status`, no tags...), texts trimmed, the body rebuilt with only
 * its known fields.  NULL when q breaks a rule; err then lists why, field
 * by field.  Objectives are checked for form here and against the exam by
 * the database.
 */
json_t *question_normalize(const json_t *q, const char *default_status,
    struct question_errors *err);

/* "field: message; field: message" of err, in buf. */
const char *question_errors_text(const struct question_errors *err,
    char *buf, size_t n);

/*
 * The SHA-256 (hex) of a normal question's type, stem and body: the same
 * question imported twice without an external id is found by it.
 */
void question_hash(const json_t *q, char out[65]);

/* NULL for a known type ("single_choice"...), else a message. */
const char *question_type(const char *s);

/* True for the types whose body is a list of options. */
bool question_has_options(const char *type);

#endif
