/*
 * embed.h - files compiled into the binary (sql/migrations, sql/queries,
 * sql/seed), so that an operator needs nothing but `ludus` itself.
 * build/embedded.c is generated from the files by tools/embed.c.
 */
#ifndef LUDUS_CORE_EMBED_H
#define LUDUS_CORE_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *path; /* relative to the repository, e.g. sql/seed/x.sql */
	const char *data; /* NUL-terminated */
	size_t size;
};

/* Sorted by path. */
extern const struct embedded_file embedded_files[];
extern const size_t embedded_files_count;

#endif
