/*
 * alloc.h - allocation wrappers that never return NULL, and per-request
 * arenas.
 *
 * Out of memory stops the process (as kore, h2o and PostgreSQL do) so no
 * caller threads NULL checks through its error paths.  An arena hands out
 * memory that is released all at once: a request allocates from its arena
 * and never frees strings one by one, so an error path cannot leak.
 */
#ifndef LUDUS_CORE_ALLOC_H
#define LUDUS_CORE_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string; never NULL. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct arena;

/* A new, empty arena. */
struct arena *arena_new(void);
/* Releases every allocation of the arena and the arena itself. NULL is ok. */
void arena_free(struct arena *a);
/* size bytes aligned for any type, zeroed. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
