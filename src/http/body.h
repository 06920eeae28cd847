/*
 * body.h - checking and parsing JSON request bodies.  Pure code.
 */
#ifndef LUDUS_HTTP_BODY_H
#define LUDUS_HTTP_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * True when content_type is application/json, in any case, with optional
 * parameters; a charset parameter must name UTF-8.
 */
bool body_is_json(const char *content_type);

/*
 * Parses len bytes of JSON into *out.  Returns 0, or -1 with a sentence for
 * the client in detail, naming the line and column of a syntax error.
 * Duplicate object keys and invalid UTF-8 are refused.
 */
int body_parse_json(const char *data, size_t len, json_t **out,
    char *detail, size_t detail_size);

#endif
