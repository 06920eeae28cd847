/*
 * materials.h - what the study-material handlers and jobs share: limits,
 * the access check, the job kinds and the generator's names.
 */
#ifndef LUDUS_MATERIALS_MATERIALS_H
#define LUDUS_MATERIALS_MATERIALS_H

#include <stdbool.h>

#include "db/db.h"
#include "http/request.h"

#define MAT_MAX_PER_USER 200		/* materials a user may keep */
#define MAT_MAX_BYTES_PER_USER (256L << 20)	/* what they uploaded */
#define MAT_MAX_TEXT ((size_t)2 << 20)	/* bytes of extracted text */
#define MAT_MAX_PAGES 500		/* of a PDF */
#define MAT_MAX_CHUNKS 5000
#define MAT_PDF_PROBE_MS 10000		/* the upload's quick look */
#define MAT_PDF_EXTRACT_MS 60000	/* the job's full read */
#define MAT_FETCH_MS 20000		/* a material's URL */
#define MAT_SESSION_ITEMS 50		/* a study session at most */

#define MAT_PROCESS_JOB "materials.process"
#define MAT_GENERATE_JOB "materials.generate"
/* What the built-in generator is called in generation_model. */
#define MAT_BUILTIN_MODEL "ludus-extractive-1"

/* What a request needs to know of a material it reads or changes. */
struct mat_facts {
	char role[8];		/* owner, editor or learner */
	long version;
	char course[37];	/* "" for a learner's own */
	char status[12];	/* processing, ready, failed */
	char title[256];
	bool busy;		/* a job of it is waiting or running */
};

/*
 * Whether r's user may read the material id (write false) or change it
 * (write true: its owner, or an author of its course; then it is locked).  0 with
 * *f; 1 after a 404 (no such material for them), 403 (a learner of the
 * course) or 412 (want is neither 0 nor its version); -1.
 */
int mat_check(struct db *db, struct req *r, const char *id, bool write,
    long want, struct mat_facts *f);

/* "true" or "false": whether r may change what others wrote. */
const char *mat_edit_all(struct req *r);

#endif
