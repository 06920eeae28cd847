/*
 * routes.h - the route table of the whole program, assembled from the
 * modules' tables, and the OpenAPI document made from it: the table is the
 * one source of truth for both dispatch and documentation.
 */
#ifndef LUDUS_HTTP_ROUTES_H
#define LUDUS_HTTP_ROUTES_H

#include <stddef.h>

#include <jansson.h>

#include "http/router.h"

/* One module's routes: the modules' list of them is in main.c. */
struct route_table {
	const struct route *routes;
	const size_t *count;
};

/* Joins the tables, in order, into the program's; call once. */
const struct route *routes_build(const struct route_table *tables,
    size_t ntables, size_t *n);
void routes_free(void);

/* The OpenAPI 3.1 document of the table routes_build() made. */
json_t *routes_openapi(void);

#endif
