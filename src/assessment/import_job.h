/*
 * import_job.h - the assessment module's kinds of background job.
 */
#ifndef LUDUS_ASSESSMENT_IMPORT_JOB_H
#define LUDUS_ASSESSMENT_IMPORT_JOB_H

#include <stddef.h>

#include "db/jobs.h"

#define IMPORT_JOB_KIND "questions.import"

/*
 * An import of more records or bytes than this runs as a job; smaller ones
 * are answered in the request.
 */
#define IMPORT_SYNC_MAX_RECORDS 200
#define IMPORT_SYNC_MAX_BYTES (256 * 1024)

extern const struct job_kind assessment_jobs[];
extern const size_t assessment_jobs_count;

#endif
