/*
 * log.c - JSON-lines logging.  Each line is formatted in full, then written
 * with a single fputs, so lines from several threads never interleave.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const level_names[] = {"debug", "info", "warn", "error"};
static enum log_level min_level = LOG_INFO;
static __thread const char *thread_request_id;

int
log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

const char *
log_level_name(enum log_level level)
{
	return level_names[level];
}

void
log_set_level(enum log_level level)
{
	min_level = level;
}

int
log_enabled(enum log_level level)
{
	return level >= min_level;
}

void
log_set_request_id(const char *request_id)
{
	thread_request_id = request_id;
}

void
log_write(enum log_level level, const char *msg, json_t *fields)
{
	struct timespec ts;
	struct tm tm;
	char stamp[96];
	json_t *line;
	char *text;

	if (!log_enabled(level)) {
		json_decref(fields);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);

	line = json_object();
	json_object_set_new(line, "ts", json_string(stamp));
	json_object_set_new(line, "level", json_string(level_names[level]));
	json_object_set_new(line, "msg", json_string(msg ? msg : ""));
	if (thread_request_id != NULL)
		json_object_set_new(line, "request_id",
		    json_string(thread_request_id));
	if (fields != NULL) {
		json_object_update_missing(line, fields);
		json_decref(fields);
	}
	text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6));
	json_decref(line);
	if (text != NULL) {
		/* stdio locks the stream per call; main() makes stderr line
		 * buffered, so a line leaves in one write. */
		fprintf(stderr, "%s\n", text);
		free(text);
	}
}

void
log_printf(enum log_level level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_write(level, buf, NULL);
}
