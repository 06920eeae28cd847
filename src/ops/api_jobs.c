/*
 * api_jobs.c - following background jobs (db/jobs.h): the one who asked
 * for a job reads it, as does an admin of the organization; nobody else
 * learns that it exists.
 */
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
};
const size_t ops_job_routes_count =
    sizeof(ops_job_routes) / sizeof(ops_job_routes[0]);
