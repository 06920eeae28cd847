/*
 * problem.h - RFC 9457 problem documents (application/problem+json).
 *
 * Every error a client sees is one of these: "type" is a stable URI
 * reference of the form /problems/<code>, "title" the status's phrase,
 * "status" the HTTP status and "detail" a sentence for people.  422s add
 * "errors": one object per invalid field.
 */
#ifndef LUDUS_HTTP_PROBLEM_H
#define LUDUS_HTTP_PROBLEM_H

#include <jansson.h>

/* The reason phrase of an HTTP status ("Not Found"), or "Error". */
const char *http_reason(int status);

/*
 * A new problem object; code is a slug such as "not-found".  Bytes of
 * detail that are not UTF-8 are replaced with '?'.  Never NULL.
 */
json_t *problem_new(int status, const char *code, const char *detail);

/* Adds {"field": field, "message": message} to the problem's "errors". */
void problem_add_error(json_t *problem, const char *field,
    const char *message);

#endif
