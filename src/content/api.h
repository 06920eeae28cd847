/*
 * api.h - the content routes: exams, courses, units, lessons, search, and
 * the learner's enrollments, progress, learning sessions and bookmarks.
 */
#ifndef LUDUS_CONTENT_API_H
#define LUDUS_CONTENT_API_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "http/request.h"
#include "http/router.h"

extern const struct route content_routes[];
extern const size_t content_routes_count;

/* api_catalog.c */
void exams_list(struct req *r);
void exam_objectives(struct req *r);
void courses_list(struct req *r);
void course_get(struct req *r);
void lesson_get(struct req *r);
void content_search(struct req *r);

/* api_author.c and api_lessons.c */
void course_create(struct req *r);
void course_patch(struct req *r);
void course_delete(struct req *r);
void course_restore(struct req *r);
void course_publish(struct req *r);
void course_unpublish(struct req *r);
void course_collaborator_add(struct req *r);
void course_collaborator_remove(struct req *r);
void unit_create(struct req *r);
void unit_patch(struct req *r);
void unit_delete(struct req *r);
void units_order(struct req *r);
void lesson_create(struct req *r);
void lesson_patch(struct req *r);
void lesson_delete(struct req *r);
void lesson_restore(struct req *r);
void lesson_publish(struct req *r);
void lesson_unpublish(struct req *r);
void lesson_versions(struct req *r);
void lesson_version_restore(struct req *r);
void lesson_prerequisites(struct req *r);
void lessons_order(struct req *r);
void lesson_preview(struct req *r);
void suggestion_create(struct req *r);
void suggestions_list(struct req *r);
void suggestion_get(struct req *r);
void suggestion_withdraw(struct req *r);
void suggestion_accept(struct req *r);
void suggestion_reject(struct req *r);

/* api_learn.c */
void course_enroll(struct req *r);
void course_unenroll(struct req *r);
void lesson_progress(struct req *r);
void lesson_complete(struct req *r);
void lesson_session_start(struct req *r);
void session_heartbeat(struct req *r);
void session_end(struct req *r);
void bookmark_put(struct req *r);
void bookmark_delete(struct req *r);
void bookmarks_list(struct req *r);

/* api_paths.c */
void paths_list(struct req *r);
void path_create(struct req *r);
void path_get(struct req *r);
void path_patch(struct req *r);
void path_delete(struct req *r);
void path_courses(struct req *r);

/* Shared by the files. */

/*
 * 0 when code (or NULL) names an exam; 1 after answering 422 on "exam";
 * -1 on a database error.
 */
int content_check_exam(struct db *db, struct req *r, const char *code);

/*
 * Whether r's user may add `what` ("decks", "materials") to the course:
 * an admin (content.all), its owner or a collaborator, with the
 * course.author permission.  0 yes; 1 after a 422 on "course_id" (no such
 * course) or a 403; -1 on a database error.
 */
int content_course_writable(struct db *db, struct req *r, const char *course,
    const char *what);

/*
 * Runs a query returning (json, version) and answers 200 with the JSON and
 * an ETag, or 404 with missing.
 */
void content_doc_etag(struct req *r, const char *query, int n,
    const char *const *params, const char *missing);

#endif
