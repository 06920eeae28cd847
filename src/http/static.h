/*
 * static.h - serving the web app (web/) from the binary or a folder.
 */
#ifndef LUDUS_HTTP_STATIC_H
#define LUDUS_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

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
/*
 * Whether path, known to no route and not an address of the app, still gets
 * the app (with status 404, to show its own "not found" page): not under
 * /api, and no dot in its last segment (not a file name).
 */
bool static_is_unknown_app_path(const char *path);
/*
 * The theme in the ludus_theme cookie of a Cookie header: "light" or
 * "dark"; NULL when absent or anything else (the system's theme).
 */
const char *static_theme(const char *cookie_header);
/*
 * A malloc'd copy of the page html (len bytes) with its data-theme="system"
 * replaced by data-theme="<theme>", NUL-terminated, its length in *out_len;
 * NULL (and *out_len untouched) when the page has no such attribute.
 */
char *static_with_theme(const char *html, size_t len, const char *theme,
    size_t *out_len);

/*
 * The byte range a Range header asks of a file of size bytes: 1 with
 * *start and *len set for one satisfiable range ("bytes=a-b", "bytes=a-",
 * "bytes=-n"), -1 when it lies past the end (416), 0 when the header is
 * absent, malformed or asks for several ranges (the whole file is sent).
 */
int static_range(const char *header, size_t size, size_t *start,
    size_t *len);

#endif
