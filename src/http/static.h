/*
 * static.h - serving the web app (web/) from the binary or a folder.
 */
#ifndef LUDUS_HTTP_STATIC_H
#define LUDUS_HTTP_STATIC_H

#include <stdbool.h>

struct req;

/*
 * Answers a GET or HEAD for a file of the web app, or for an address of the
 * app (which gets index.html).  Returns false, having answered nothing, when
 * the path is not one: the caller then answers 404.
 */
bool static_serve(struct req *r);

/* The Content-Type for a file name by its extension; NULL when unknown. */
const char *static_content_type(const char *path);
/* Whether path is safe to look up: [A-Za-z0-9._/-], no "..", no dot files. */
bool static_path_ok(const char *path);
/* Whether path is an address of the app (see app_sections in static.c). */
bool static_is_app_path(const char *path);

#endif
