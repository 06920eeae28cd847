/*
 * api.h - the assessment routes: the question bank and its imports,
 * question statistics, assessments, attempts and my results.
 */
#ifndef LUDUS_ASSESSMENT_API_H
#define LUDUS_ASSESSMENT_API_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

#include "http/request.h"
#include "http/router.h"

extern const struct route assessment_routes[];
extern const size_t assessment_routes_count;

/* api_questions.c */
void questions_list(struct req *r);
void question_create(struct req *r);
void question_get(struct req *r);
void question_patch(struct req *r);
void question_delete(struct req *r);
void question_restore(struct req *r);
void questions_import(struct req *r);
void question_stats(struct req *r);
void questions_stats(struct req *r);

/* api_assessments.c */
void assessments_list(struct req *r);
void assessment_create(struct req *r);
void assessment_get(struct req *r);
void assessment_patch(struct req *r);
void assessment_delete(struct req *r);
void assessment_restore(struct req *r);
void assessment_results(struct req *r);
void assessment_questions(struct req *r);

/* api_attempts.c */
void attempt_start(struct req *r);
void attempt_get(struct req *r);
void attempt_answer(struct req *r);
void attempt_submit(struct req *r);
void my_attempts(struct req *r);
void my_trends(struct req *r);

/*
 * Runs the lock query (id, org, user, role -> version, deleted, may edit)
 * of a question or assessment for a change, and checks the caller may
 * make it and If-Match: 0 (deleted says whether it is), 1 after answering
 * 404, 403 or 412, or -1.
 */
int assess_lock(struct db *db, struct req *r, const char *query,
    const char *id, const char *what, bool *deleted);

#endif
