/*
 * api.c - operations handlers.
 */
#include "ops/api.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "db/db.h"
#include "http/api.h"
#include "http/live.h"
#include "http/metrics_access.h"
#include "http/request.h"
#include "http/routes.h"
#include "http/server.h"

static void
healthz(struct req *r)
{
	resp_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

static int
ready_tx(struct db *db, void *arg)
{
	PGresult *res = db_query(db, "ops_schema_version", 0, NULL);

	if (res == NULL)
		return -1;
	*(int *)arg = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static void
readyz(struct req *r)
{
	struct db *db = db_acquire();
	int version = 0;
	enum db_status st;

	if (db == NULL) {
		api_db_problem(r, NULL, DB_UNAVAILABLE);
		return;
	}
	/* Not ready is not ready, whatever the reason: always 503 here. */
	st = db_tx(db, DB_READ_COMMITTED, ready_tx, &version);
	if (st != DB_OK) {
		api_db_problem(r, db, DB_UNAVAILABLE);
		return;
	}
	resp_json(r, 200, json_pack("{s:s, s:s, s:i}", "status", "ready",
	    "database", "ok", "schema_version", version));
}

static void
metrics(struct req *r)
{
	char *text = NULL;
	size_t len;
	FILE *f;

	if (!metrics_access_allowed(r))
		return;
	f = open_memstream(&text, &len);
	if (f == NULL) {
		resp_problem(r, 500, "internal", "Metrics are unavailable.");
		return;
	}
	server_metrics(f);
	live_metrics(f);
	db_metrics(f);
	fclose(f);
	resp_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", text,
	    len);
	free(text);
}

static void
openapi(struct req *r)
{
	resp_json(r, 200, routes_openapi());
}

const struct route ops_routes[] = {
	{"GET", "/healthz", healthz, ROUTE_PUBLIC, 0, "ops", "Liveness: the "
	    "process is up"},
	{"GET", "/readyz", readyz, ROUTE_PUBLIC, 0, "ops", "Readiness: the "
	    "database answers"},
	{"GET", "/metrics", metrics, ROUTE_PUBLIC, 0, "ops", "Prometheus "
	    "metrics (see LUDUS_METRICS_TOKEN and LUDUS_METRICS_ADDR for who "
	    "may read them)"},
	{"GET", "/api/v1/openapi.json", openapi, ROUTE_PUBLIC, 0, "ops", "This "
	    "API's OpenAPI 3.1 document"},
};
const size_t ops_routes_count = sizeof(ops_routes) / sizeof(ops_routes[0]);

static void
test_echo(struct req *r)
{
	resp_json(r, 200, json_pack("{s:O}", "received", r->json));
}

static void
test_sleep(struct req *r)
{
	const char *ms = req_query(r, "ms");
	long n = ms ? strtol(ms, NULL, 10) : 100;

	if (n < 0 || n > 30000) {
		resp_problem(r, 422, "validation-failed", "ms must be from 0 "
		    "to 30000.");
		return;
	}
	usleep((useconds_t)n * 1000);
	resp_json(r, 200, json_pack("{s:i}", "slept_ms", (int)n));
}

const struct route ops_test_routes[] = {
	{"POST", "/api/v1/_test/echo", test_echo,
	    ROUTE_PUBLIC | ROUTE_JSON_BODY, 0, "test", "Echo a JSON body (test "
	    "suite only)"},
	{"GET", "/api/v1/_test/sleep", test_sleep, ROUTE_PUBLIC, 0, "test",
	    "Answer after ?ms= milliseconds (test suite only)"},
};
const size_t ops_test_routes_count =
    sizeof(ops_test_routes) / sizeof(ops_test_routes[0]);
