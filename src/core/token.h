/*
 * token.h - opaque secrets handed to clients (session tokens, CSRF tokens,
 * email links) and the hashes the database keeps of them.
 */
#ifndef LUDUS_CORE_TOKEN_H
#define LUDUS_CORE_TOKEN_H

#include <stdbool.h>

/* 32 random bytes, base64url without padding: 43 characters. */
#define TOKEN_LEN 43

void token_new(char out[TOKEN_LEN + 1]);
/* True when t has the shape token_new() makes. */
bool token_shape_ok(const char *t);
/* SHA-256 of the token as 64 hex digits: what the database stores. */
void token_hash(const char *token, char out[65]);
/* Compares two NUL-terminated secrets in time independent of where they
 * differ. */
bool token_equal(const char *a, const char *b);

#endif
