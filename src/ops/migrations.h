/*
 * migrations.h - the set of schema migrations and its checks.  Pure code:
 * reading the files and talking to the database live in migrate.c.
 *
 * A migration is a pair of files, NNNN_name.up.sql and NNNN_name.down.sql.
 * Its checksum is the SHA-256 of both texts; a database that applied a
 * migration with another checksum has seen a different file.
 */
#ifndef LUDUS_OPS_MIGRATIONS_H
#define LUDUS_OPS_MIGRATIONS_H

#include <stddef.h>

struct migration {
	int version;
	char *name; /* "0001_core" */
	char *up, *down;
	char checksum[65];
};

struct migration_set {
	struct migration *items; /* sorted by version after _finish */
	size_t count;
};

/*
 * Adds one file (its base name and text).  Names that do not end in .sql
 * are ignored; a .sql name of the wrong shape or a second copy of a file is
 * an error.  0, or -1 with err set.
 */
int migrations_add(struct migration_set *set, const char *filename,
    const char *text, char *err, size_t errlen);

/* Sorts, checks every up has its down and computes the checksums. */
int migrations_finish(struct migration_set *set, char *err, size_t errlen);

const struct migration *migrations_find(const struct migration_set *set,
    int version);

void migrations_free(struct migration_set *set);

#endif
