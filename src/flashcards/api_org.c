/*
 * api_org.c - an organization's FSRS parameters, for its admins: fit them
 * to all its learners' reviews (the job flashcards.optimize_org, jobs.c),
 * show them, go back to FSRS-6's defaults.
 *
 * A learner without parameters of their own is scheduled with these
 * (fc_settings), so a reset changes the schedule of everyone who follows
 * them; the fit (in the job) and the reset are audited.
 */
#include <stdlib.h>

#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/jobs.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"

/* What the audit keeps of the row (fc_org_params_save shows it so). */
static const char *const params_audited[] = {"params", "loss_before",
    "loss_after", "reviews", "fitted_at", "fitted_by", NULL};

struct op {
	struct req *r;
	char *json;
};

static int
show_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	const char *p[1] = {o->r->user->org_id};
	PGresult *res = db_query(db, "fc_org_params", 1, p);
	json_t *doc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		doc = json_pack("{s:n}", "parameters");
	else
		doc = json_pack("{s:o, s:{s:f, s:f, s:i}, s:s, s:o}",
		    "parameters", card_numbers(PQgetvalue(res, 0, 0)), "fit",
		    "log_loss_before", strtod(PQgetvalue(res, 0, 1), NULL),
		    "log_loss_after", strtod(PQgetvalue(res, 0, 2), NULL),
		    "reviews", atoi(PQgetvalue(res, 0, 3)), "fitted_at",
		    PQgetvalue(res, 0, 4), "fitted_by", PQgetisnull(res, 0, 5) ?
		    json_null() : json_pack("{s:s, s:s}", "id",
		    PQgetvalue(res, 0, 5), "username", PQgetvalue(res, 0, 6)));
	PQclear(res);
	return card_answer(o->r, &o->json, doc, JSON_REAL_PRECISION(8));
}

void
fc_org_params_show(struct req *r)
{
	struct op o = {.r = r};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    show_tx, &o))
		resp_raw_json(r, 200, o.json);
}

void
fc_org_optimize(struct req *r)
{
	api_enqueue(r, OPTIMIZE_ORG_JOB_KIND, NULL);
}

static int
reset_tx(struct db *db, void *arg)
{
	struct op *o = arg;
	const char *org = o->r->user->org_id, *p[1] = {org};
	PGresult *res = db_query(db, "fc_org_params_reset", 1, p);
	int rc = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rc = audit_change(db, o->r, "flashcard_parameters.reset",
		    "flashcard_parameters", org, PQgetvalue(res, 0, 0), NULL,
		    params_audited);
	PQclear(res);
	return rc;
}

void
fc_org_params_reset(struct req *r)
{
	struct op o = {.r = r};
	struct db *db;

	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    reset_tx, &o))
		resp_text(r, 204, "text/plain", "", 0);
}
