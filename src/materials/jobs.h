/*
 * jobs.h - the study-material module's kinds of background job:
 * processing a material that arrived, and proposing assets again (jobs.c).
 */
#ifndef LUDUS_MATERIALS_JOBS_H
#define LUDUS_MATERIALS_JOBS_H

#include <stddef.h>

#include "core/config.h"
#include "db/jobs.h"

/*
 * Keeps the configuration the jobs need (the model, the networks a URL
 * may reach, the upload limit): before jobs_start().  0, or -1 with err
 * when LUDUS_FETCH_ALLOW_NETS is not a list of networks.
 */
int materials_init(const struct config *c, char *err, size_t errlen);

extern const struct job_kind material_jobs[];
extern const size_t material_jobs_count;

#endif
