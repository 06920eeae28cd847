/*
 * api.h - the operations routes: health, readiness, metrics, the OpenAPI
 * document, and the routes only the test suite uses.
 */
#ifndef LUDUS_OPS_API_H
#define LUDUS_OPS_API_H

#include <stddef.h>

#include "http/router.h"

extern const struct route ops_routes[];
extern const size_t ops_routes_count;

/* Following background jobs: api_jobs.c. */
extern const struct route ops_job_routes[];
extern const size_t ops_job_routes_count;

/* Served only with --test-routes (LUDUS_TEST_ROUTES=1). */
extern const struct route ops_test_routes[];
extern const size_t ops_test_routes_count;

#endif
