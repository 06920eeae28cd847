/*
 * rules.h - what makes course and lesson fields valid.  Pure code: each
 * check returns NULL or a message for the client.
 */
#ifndef LUDUS_CONTENT_RULES_H
#define LUDUS_CONTENT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

const char *content_slug(const char *s);          /* "network-plus-basics" */
const char *content_tag(const char *s);           /* "subnetting" */
const char *content_objective_code(const char *s); /* "1.4" */
const char *content_uuid(const char *s);
const char *content_exam_code(const char *s);     /* "network" */
const char *content_domain_code(const char *s);   /* "2.0" */
const char *content_kind(const char *s);          /* lesson, video, ... */
const char *content_difficulty(const char *s);    /* beginner, ... */
/* pending, accepted, rejected, withdrawn: a suggested edit's status */
const char *content_suggestion_status(const char *s);
const char *content_language(const char *s);      /* "en", "pt-BR" */

/*
 * A lesson's content object: {"markdown": text of at most 100,000
 * characters, "media": up to 20 {"type", "url", "title"}, "chapters": up
 * to 100 {"title", "start_seconds"}}, all optional, nothing else.
 * On failure, field names the part at fault ("content.media[2].url").
 */
const char *content_lesson_body(json_t *content, char *field, size_t n);

/*
 * How long a lesson takes, in whole minutes (1 to 600): its words read at
 * READING_WPM words a minute (a common figure for technical prose, below
 * the ~240 of general non-fiction), plus the duration_seconds of its
 * media.  content must have passed content_lesson_body().
 */
#define READING_WPM 200
int content_estimate_minutes(const json_t *content);
/*
 * True for the kinds of lesson whose time is their content's (lesson,
 * video, study guide); a lab, flashcards, quiz, simulation or practice
 * exam takes the time its author gives.
 */
bool content_kind_is_read(const char *kind);

/* A slug made from a title: lowercase ASCII words joined by '-'; "course"
 * when nothing is left.  n must be at least 8 (else out is emptied). */
void content_slugify(const char *title, char *out, size_t n);

#endif
