/*
 * jobs.h - the flashcard module's kinds of background job: fitting a
 * learner's FSRS parameters to their review log (optimize.h).
 */
#ifndef LUDUS_FLASHCARDS_JOBS_H
#define LUDUS_FLASHCARDS_JOBS_H

#include <stddef.h>

#include "db/jobs.h"

#define OPTIMIZE_JOB_KIND "flashcards.optimize"

extern const struct job_kind flashcard_jobs[];
extern const size_t flashcard_jobs_count;

#endif
