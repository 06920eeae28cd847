/*
 * jobs.c - fitting FSRS parameters, as jobs (jobs.h): a learner's to their
 * own review log, an organization's to all its learners' logs.
 *
 * The review log is read card by card in time order; a card's history
 * starts at its first review, and again after a reset (a review of a New
 * card).  The fit (fsrs_optimize) replaces the defaults only when it
 * predicts recall better than they do; either way the result says both
 * losses.  An organization's log is read learner by learner, so that one
 * card reviewed by two learners makes two histories.
 */
#include "flashcards/jobs.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "flashcards/optimize.h"

/*
 * An organization's fit reads at most this many reviews: whole learners,
 * the most recently active first (fc_fit_log_org), so that the fit
 * describes the people studying now and its time and memory stay bounded
 * (about 5 MB of rows, a few seconds of fitting).
 */
#define ORG_FIT_MAX_REVIEWS 200000

/* What a fit found. */
struct fit {
	double w[FSRS_NPARAMS], before, after;
	long scored;
};

/*
 * Fits f to the rows of res (cleared): nkey key columns (a new key starts
 * a card's history), then rating, state before and seconds since the
 * review before.  whose ("you have", "its learners have") goes into the
 * message when there are too few reviews.  0, or 1 with *error set.
 */
static int
fit_rows(struct job *j, PGresult *res, int nkey, const char *whose,
    struct fit *f, char **error)
{
	size_t n = (size_t)PQntuples(res), nh = 0;
	struct fsrs_review_item *items = calloc(n + 1, sizeof(*items));
	struct fsrs_history *hist = calloc(n + 1, sizeof(*hist));
	int rc = 0;

	if (items == NULL || hist == NULL) {
		free(items);
		free(hist);
		PQclear(res);
		*error = xstrdup("Out of memory.");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		bool fresh = i == 0 ||
		    atoi(PQgetvalue(res, (int)i, nkey + 1)) == 0;

		for (int k = 0; k < nkey && !fresh; k++)
			fresh = strcmp(PQgetvalue(res, (int)i, k),
			    PQgetvalue(res, (int)i - 1, k)) != 0;
		items[i].rating = atoi(PQgetvalue(res, (int)i, nkey));
		items[i].elapsed_days = fresh ? 0 :
		    atof(PQgetvalue(res, (int)i, nkey + 2)) / 86400.0;
		if (fresh)
			hist[nh++].reviews = &items[i];
		hist[nh - 1].n++;
	}
	PQclear(res);
	f->scored = fsrs_scored_reviews(hist, nh);
	if (jobs_progress(j, 1, 3)) {
		*error = xstrdup("Cancelled.");
		rc = 1;
	} else if (f->scored < FSRS_OPTIMIZE_MIN_REVIEWS) {
		char msg[200];

		snprintf(msg, sizeof(msg), "The optimizer needs %d reviews "
		    "made a day or more after the one before; %s %ld.",
		    FSRS_OPTIMIZE_MIN_REVIEWS, whose,
		    f->scored < 0 ? 0 : f->scored);
		*error = xstrdup(msg);
		rc = 1;
	} else if (fsrs_optimize(hist, nh, NULL, f->w, &f->before,
	    &f->after) != 0) {
		*error = xstrdup("The review log cannot be fitted.");
		rc = 1;
	}
	free(items);
	free(hist);
	if (rc == 0 && jobs_progress(j, 2, 3)) {
		*error = xstrdup("Cancelled.");
		rc = 1;
	}
	return rc;
}

/* f's parameters as a PostgreSQL array literal, and its numbers as text. */
struct fit_text {
	char w[FSRS_NPARAMS * 26 + 3], before[32], after[32], scored[24];
};

static void
fit_text(const struct fit *f, struct fit_text *t)
{
	char *q = t->w;

	*q++ = '{';
	for (int i = 0; i < FSRS_NPARAMS; i++)
		q += sprintf(q, i ? ",%.17g" : "%.17g", f->w[i]);
	strcpy(q, "}");
	snprintf(t->before, sizeof(t->before), "%.17g", f->before);
	snprintf(t->after, sizeof(t->after), "%.17g", f->after);
	snprintf(t->scored, sizeof(t->scored), "%ld", f->scored);
}

/* The job's result: reviews, both losses and the parameters. */
static int
fit_result(const struct fit *f, json_t **result)
{
	json_t *params = json_array();

	for (int i = 0; i < FSRS_NPARAMS; i++)
		json_array_append_new(params, json_real(f->w[i]));
	*result = json_pack("{s:I, s:f, s:f, s:o}", "reviews",
	    (json_int_t)f->scored, "log_loss_before", f->before,
	    "log_loss_after", f->after, "parameters", params);
	return *result != NULL ? 0 : -1;
}

static int
run_optimize(struct db *db, struct job *j, json_t **result, char **error)
{
	const char *p[6] = {j->user};
	struct fit f;
	struct fit_text t;
	PGresult *res = db_query(db, "fc_fit_log", 1, p);
	int rc;

	if (res == NULL)
		return -1;
	if ((rc = fit_rows(j, res, 1, "you have", &f, error)) != 0)
		return rc;
	fit_text(&f, &t);
	p[1] = j->org;
	p[2] = t.w;
	p[3] = t.before;
	p[4] = t.after;
	p[5] = t.scored;
	if ((res = db_query(db, "fc_params_save", 6, p)) == NULL)
		return -1;
	PQclear(res);
	return fit_result(&f, result);
}

/*
 * The organization's fit, saved and audited as the change of its
 * parameters by the admin who asked for it (a job has no request: no
 * address, user agent nor request id go with the event).
 */
static int
run_optimize_org(struct db *db, struct job *j, json_t **result,
    char **error)
{
	char cap[24];
	const char *p[12] = {j->org, cap};
	struct fit f;
	struct fit_text t;
	PGresult *res;
	int rc;

	snprintf(cap, sizeof(cap), "%d", ORG_FIT_MAX_REVIEWS);
	if ((res = db_query(db, "fc_fit_log_org", 2, p)) == NULL)
		return -1;
	if ((rc = fit_rows(j, res, 2, "its learners have", &f, error)) != 0)
		return rc;
	fit_text(&f, &t);
	p[1] = t.w;
	p[2] = t.before;
	p[3] = t.after;
	p[4] = t.scored;
	p[5] = j->user;
	if ((res = db_query(db, "fc_org_params_save", 6, p)) == NULL)
		return -1;
	{
		const char *a[12] = {j->org, j->user,
		    "flashcard_parameters.fitted", "flashcard_parameters",
		    j->org, PQgetisnull(res, 0, 0) ? NULL :
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), "", "", NULL,
		    "true", NULL};
		PGresult *ar = db_query(db, "audit_insert", 12, a);

		PQclear(res);
		if (ar == NULL)
			return -1;
		PQclear(ar);
	}
	return fit_result(&f, result);
}

const struct job_kind flashcard_jobs[] = {
	{OPTIMIZE_JOB_KIND, run_optimize},
	{OPTIMIZE_ORG_JOB_KIND, run_optimize_org},
	{IMPORT_ANKI_JOB_KIND, anki_import_run},
};
const size_t flashcard_jobs_count =
    sizeof(flashcard_jobs) / sizeof(flashcard_jobs[0]);
