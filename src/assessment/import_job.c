/*
 * import_job.c - a large question import, run as a background job
 * (db/jobs.h): the upload is parsed and checked in the request, which
 * answers 202 at once; the job parses it again and saves it in its own
 * transaction, saying how far it is as it goes.
 */
#include "assessment/import_job.h"

#include <stdlib.h>
#include <string.h>

#include "assessment/bank.h"
#include "assessment/import.h"
#include "core/alloc.h"

static void
progress(size_t done, size_t total, void *arg)
{
	jobs_progress(arg, done, total);
}

static const char *
text(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
run_import(struct db *db, struct job *j, json_t **result, char **error)
{
	struct import_list list = {0};
	struct import_options o = {.org = j->org, .user = j->user,
	    .admin = json_is_true(json_object_get(j->payload, "admin")),
	    .exam = text(j->payload, "exam"),
	    .status = text(j->payload, "status"),
	    .progress = progress, .arg = j};
	bool dry = json_is_true(json_object_get(j->payload, "dry_run"));
	int fmt = import_format_by_name(text(j->payload, "format") ?
	    text(j->payload, "format") : "");
	PGresult *res;

	if (fmt < 0 || j->input == NULL || o.status == NULL) {
		*error = xstrdup("The job lacks its file or its format.");
		return 1;
	}
	if (import_parse((enum import_format)fmt, j->input, strlen(j->input),
	    &list) != 0) {
		*error = xstrdup(list.error ? list.error :
		    "The file cannot be read.");
		import_list_free(&list);
		return 1;
	}
	/* A dry run saves, reports and takes it all back. */
	if (dry && (res = db_exec(db, "SAVEPOINT dry_run")) == NULL) {
		import_list_free(&list);
		return -1;
	}
	if (dry)
		PQclear(res);
	*result = bank_import(db, &list, &o);
	import_list_free(&list);
	if (*result == NULL)
		return -1;
	json_object_set_new(*result, "dry_run", json_boolean(dry));
	if (dry && (res = db_exec(db, "ROLLBACK TO SAVEPOINT dry_run")) ==
	    NULL)
		return -1;
	if (dry)
		PQclear(res);
	return 0;
}

const struct job_kind assessment_jobs[] = {
	{IMPORT_JOB_KIND, run_import},
};
const size_t assessment_jobs_count =
    sizeof(assessment_jobs) / sizeof(assessment_jobs[0]);
