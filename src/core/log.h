/*
 * log.h - JSON-lines logging on stderr.
 *
 * Every line is one JSON object: "ts", "level", "msg", the request id of the
 * request the calling thread is serving (if any), then the caller's fields.
 * Secrets never go to the log: callers pass only what is safe to keep.
 */
#ifndef LUDUS_CORE_LOG_H
#define LUDUS_CORE_LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parses "debug", "info", "warn" or "error"; 0 on success, -1 otherwise. */
int log_level_parse(const char *s, enum log_level *out);
const char *log_level_name(enum log_level level);
void log_set_level(enum log_level level);
int log_enabled(enum log_level level);

/* The request id that log lines from this thread carry; NULL clears it. */
void log_set_request_id(const char *request_id);

/* Writes one line; takes ownership of fields (a JSON object, or NULL). */
void log_write(enum log_level level, const char *msg, json_t *fields);
/* A line whose message is printf-formatted, without extra fields. */
void log_printf(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
