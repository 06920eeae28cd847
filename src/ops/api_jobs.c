/*
 * api_jobs.c - following background jobs (db/jobs.h): the one who asked
 * for a job reads it, as does an admin of the organization; nobody else
 * learns that it exists.
 */
#include <string.h>

#include "http/api.h"
#include "http/auth.h"
#include "ops/api.h"

static void
job_get(struct req *r)
{
	const char *id = api_path_id(r, "id", "job");
	const char *p[4] = {id, NULL, NULL, NULL};

	if (id == NULL)
		return;
	p[1] = r->user->org_id;
	p[2] = r->user->user_id;
	p[3] = api_may(r, PERM_JOBS_ALL);
	api_doc(r, "job_get", 4, p, "There is no such job.");
}

struct cancel {
	struct req *r;
	const char *p[4];
};

static int
cancel_tx(struct db *db, void *arg)
{
	struct cancel *c = arg;
	PGresult *res = db_query(db, "job_cancel", 4, c->p);
	bool asked;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(c->r, 404, "not-found", "There is no such job.");
		return 1;
	}
	asked = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (!asked) {
		resp_problem(c->r, 409, "job-ended", "The job has ended: there "
		    "is nothing to cancel.");
		return 1;
	}
	return 0;
}

/*
 * Cancels a job: a queued one at once, a running one at its next progress
 * report (its work is rolled back).  202: the job tells when it stopped.
 */
static void
job_cancel(struct req *r)
{
	struct cancel c = {r, {NULL, NULL, NULL, NULL}};
	struct db *db;

	if ((c.p[0] = api_path_id(r, "id", "job")) == NULL ||
	    (db = api_db(r)) == NULL)
		return;
	c.p[1] = r->user->org_id;
	c.p[2] = r->user->user_id;
	c.p[3] = api_may(r, PERM_JOBS_ALL);
	if (!api_tx(r, db, DB_READ_COMMITTED, cancel_tx, &c))
		return;
	api_doc(r, "job_get", 4, c.p, "There is no such job.");
	if (r->status == 200)
		r->status = 202;
}

static void
jobs_list(struct req *r)
{
	const char *p[3] = {r->user->org_id, r->user->user_id, NULL};
	int limit;

	if ((limit = api_limit(r, 20, 100)) < 0)
		return;
	p[2] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "jobs_list", 3, p, "Nothing is there.");
}

const struct route ops_job_routes[] = {
	{"GET", "/api/v1/jobs", jobs_list, 0, PERM_ACCOUNT, "jobs", "My latest "
	    "background jobs (imports): ?limit="},
	{"GET", "/api/v1/jobs/{id}", job_get, 0, PERM_ACCOUNT, "jobs", "A "
	    "background job: its status, progress and result"},
	{"POST", "/api/v1/jobs/{id}/cancel", job_cancel, 0, PERM_ACCOUNT,
	    "jobs", "Cancel a job: a queued one at once, a running one at its "
	    "next step (nothing of it is kept); 409 once it has ended"},
};
const size_t ops_job_routes_count =
    sizeof(ops_job_routes) / sizeof(ops_job_routes[0]);
