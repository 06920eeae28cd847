/*
 * jobs.h - the flashcard module's kinds of background job: fitting a
 * learner's FSRS parameters to their review log, or an organization's to
 * all its learners' logs (optimize.h), and importing an Anki package into
 * a deck (api_anki.c).
 */
#ifndef LUDUS_FLASHCARDS_JOBS_H
#define LUDUS_FLASHCARDS_JOBS_H

#include <stddef.h>

#include "db/jobs.h"

#define OPTIMIZE_JOB_KIND "flashcards.optimize"
#define OPTIMIZE_ORG_JOB_KIND "flashcards.optimize_org"
#define IMPORT_ANKI_JOB_KIND "flashcards.import"

/* An Anki package into a deck (api_anki.c). */
int anki_import_run(struct db *db, struct job *j, json_t **result,
    char **error);

extern const struct job_kind flashcard_jobs[];
extern const size_t flashcard_jobs_count;

#endif
