/*
 * rules.h - what makes an account's fields valid.  Pure code.
 *
 * Each check returns NULL when the value is acceptable, or a message for
 * the client ("must be 3 to 32 characters ...") to put under the field.
 * The database has the same rules as CHECK constraints; these give the
 * clear per-field 422 before a query runs.
 */
#ifndef LUDUS_IDENTITY_RULES_H
#define LUDUS_IDENTITY_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN 10
#define PASSWORD_MAX 72 /* bcrypt reads no further than 72 bytes */
#define USERNAME_MIN 3
#define USERNAME_MAX 32

/*
 * Handlers read these fields with input_string(USERNAME_MIN, USERNAME_MAX)
 * and, for a new password, input_string(0, NEW_PASSWORD_ANY): the length
 * rule is then said by one message whatever the length (the body's size
 * limit bounds what arrives).
 */
#define NEW_PASSWORD_ANY ((size_t)-1)

const char *rules_email(const char *email);
/*
 * Whether email's domain (after the last @, any case) is one of domains,
 * a PostgreSQL text array literal of lowercase names ("{a.edu,b.org}").
 */
bool rules_email_domain_in(const char *email, const char *domains);
/* NULL when s is a lowercase domain name (example.edu), else why not. */
const char *rules_domain(const char *s);
/* NULL when s is an organization's slug (acme-school), else why not. */
const char *rules_slug(const char *s);
/* NULL when s is a language code (en, pt-BR), else why not. */
const char *rules_language(const char *s);
const char *rules_username(const char *username);
/*
 * Length, and refusal of the most common passwords and of passwords that
 * are the username or the email (or its local part), ignoring case.
 * username and email may be NULL.
 */
const char *rules_password(const char *password, const char *username,
    const char *email);
/* An IANA zone name in the shape the database accepts ("Europe/Berlin"). */
const char *rules_timezone(const char *tz);
/* http:// or https:// without spaces, at most 500 characters. */
const char *rules_url(const char *url);
/* "en" or "en-US". */
const char *rules_locale(const char *locale);

/* True when password is on the list of the most common passwords. */
bool rules_common_password(const char *password);

#endif
