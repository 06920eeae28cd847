/*
 * password.h - bcrypt password hashes through libcrypt.
 *
 * New hashes are "$2b$" with the configured cost.  Verification accepts the
 * $2a$, $2b$ and $2y$ forms other tools write (htpasswd, mkpasswd) and
 * compares in constant time.
 */
#ifndef LUDUS_IDENTITY_PASSWORD_H
#define LUDUS_IDENTITY_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128

/* Hashes password into out; 0, or -1 if libcrypt failed. */
int password_hash(const char *password, int cost, char out[PASSWORD_HASH_MAX]);

/* True when password matches hash. */
bool password_verify(const char *password, const char *hash);

/* True when hash is not a $2b$ hash of the given cost: worth redoing at
 * the next sign-in, while the password is at hand. */
bool password_needs_rehash(const char *hash, int cost);

#endif
