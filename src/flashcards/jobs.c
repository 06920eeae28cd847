/*
 * jobs.c - fitting a learner's FSRS parameters, as a job (jobs.h).
 *
 * The review log is read card by card in time order; a card's history
 * starts at its first review, and again after a reset (a review of a New
 * card).  The fit (fsrs_optimize) replaces the learner's parameters only
 * when it predicts their recall better than the defaults; either way the
 * result says both losses.
 */
#include "flashcards/jobs.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "flashcards/optimize.h"

static int
run_optimize(struct db *db, struct job *j, json_t **result, char **error)
{
	const char *p[6] = {j->user};
	struct fsrs_review_item *items;
	struct fsrs_history *hist;
	double w[FSRS_NPARAMS], before, after;
	size_t n, nh = 0;
	long scored;
	PGresult *res = db_query(db, "fc_fit_log", 1, p);
	char lit[FSRS_NPARAMS * 26 + 3], b[32], a[32], c[24];
	int rc = 0;

	if (res == NULL)
		return -1;
	n = (size_t)PQntuples(res);
	items = calloc(n + 1, sizeof(*items));
	hist = calloc(n + 1, sizeof(*hist));
	if (items == NULL || hist == NULL) {
		free(items);
		free(hist);
		PQclear(res);
		*error = xstrdup("Out of memory.");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		bool fresh = i == 0 || strcmp(PQgetvalue(res, (int)i, 0),
		    PQgetvalue(res, (int)i - 1, 0)) != 0 ||
		    atoi(PQgetvalue(res, (int)i, 2)) == 0;

		items[i].rating = atoi(PQgetvalue(res, (int)i, 1));
		items[i].elapsed_days = fresh ? 0 :
		    atof(PQgetvalue(res, (int)i, 3)) / 86400.0;
		if (fresh)
			hist[nh++].reviews = &items[i];
		hist[nh - 1].n++;
	}
	PQclear(res);
	jobs_progress(j, 1, 3);
	scored = fsrs_scored_reviews(hist, nh);
	if (scored < FSRS_OPTIMIZE_MIN_REVIEWS) {
		char msg[160];

		snprintf(msg, sizeof(msg), "The optimizer needs %d reviews "
		    "made a day or more after the one before; you have %ld.",
		    FSRS_OPTIMIZE_MIN_REVIEWS, scored < 0 ? 0 : scored);
		*error = xstrdup(msg);
		rc = 1;
	} else if (fsrs_optimize(hist, nh, NULL, w, &before, &after) != 0) {
		*error = xstrdup("The review log cannot be fitted.");
		rc = 1;
	}
	free(items);
	free(hist);
	if (rc != 0)
		return rc;
	jobs_progress(j, 2, 3);
	{
		char *q = lit;

		*q++ = '{';
		for (int i = 0; i < FSRS_NPARAMS; i++)
			q += sprintf(q, i ? ",%.17g" : "%.17g", w[i]);
		strcpy(q, "}");
	}
	snprintf(b, sizeof(b), "%.17g", before);
	snprintf(a, sizeof(a), "%.17g", after);
	snprintf(c, sizeof(c), "%ld", scored);
	p[1] = j->org;
	p[2] = lit;
	p[3] = b;
	p[4] = a;
	p[5] = c;
	if ((res = db_query(db, "fc_params_save", 6, p)) == NULL)
		return -1;
	PQclear(res);
	{
		json_t *params = json_array();

		for (int i = 0; i < FSRS_NPARAMS; i++)
			json_array_append_new(params, json_real(w[i]));
		*result = json_pack("{s:I, s:f, s:f, s:o}", "reviews",
		    (json_int_t)scored, "log_loss_before", before,
		    "log_loss_after", after, "parameters", params);
	}
	return *result != NULL ? 0 : -1;
}

const struct job_kind flashcard_jobs[] = {
	{OPTIMIZE_JOB_KIND, run_optimize},
	{IMPORT_ANKI_JOB_KIND, anki_import_run},
};
const size_t flashcard_jobs_count =
    sizeof(flashcard_jobs) / sizeof(flashcard_jobs[0]);
