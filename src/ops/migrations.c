/*
 * migrations.c - parsing migration file names and checking the set.
 */
#include "ops/migrations.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/util.h"

/*
 * Splits "0001_core.up.sql" into version 1, name "0001_core" and direction
 * up (1) or down (0).  -1 when the name has another shape.
 */
static int
parse_name(const char *filename, int *version, char **name, int *up)
{
	size_t len = strlen(filename), stem;

	if (len > 7 && strcmp(filename + len - 7, ".up.sql") == 0) {
		stem = len - 7;
		*up = 1;
	} else if (len > 9 && strcmp(filename + len - 9, ".down.sql") == 0) {
		stem = len - 9;
		*up = 0;
	} else {
		return -1;
	}
	if (stem < 6 || filename[4] != '_')
		return -1;
	for (size_t i = 0; i < 4; i++)
		if (!isdigit((unsigned char)filename[i]))
			return -1;
	for (size_t i = 5; i < stem; i++)
		if (!(islower((unsigned char)filename[i]) ||
		    isdigit((unsigned char)filename[i]) || filename[i] == '_'))
			return -1;
	*version = atoi(filename);
	if (*version <= 0)
		return -1;
	*name = xstrndup(filename, stem);
	return 0;
}

int
migrations_add(struct migration_set *set, const char *filename,
    const char *text, char *err, size_t errlen)
{
	struct migration *m = NULL;
	int version, up;
	char *name;
	char **slot;

	if (strlen(filename) < 4 ||
	    strcmp(filename + strlen(filename) - 4, ".sql") != 0)
		return 0;
	if (parse_name(filename, &version, &name, &up) != 0) {
		snprintf(err, errlen, "%s: a migration file is named "
		    "NNNN_name.up.sql or NNNN_name.down.sql (name: a-z, 0-9, "
		    "_; NNNN from 0001)", filename);
		return -1;
	}
	for (size_t i = 0; i < set->count; i++) {
		if (set->items[i].version != version)
			continue;
		if (strcmp(set->items[i].name, name) != 0) {
			snprintf(err, errlen, "%s: version %04d is already "
			    "taken by %s", filename, version,
			    set->items[i].name);
			free(name);
			return -1;
		}
		m = &set->items[i];
	}
	if (m == NULL) {
		set->items = xrealloc(set->items, (set->count + 1) *
		    sizeof(*set->items));
		m = &set->items[set->count++];
		memset(m, 0, sizeof(*m));
		m->version = version;
		m->name = name;
	} else {
		free(name);
	}
	slot = up ? &m->up : &m->down;
	if (*slot != NULL) {
		snprintf(err, errlen, "%s: given twice", filename);
		return -1;
	}
	*slot = xstrdup(text);
	return 0;
}

static int
by_version(const void *a, const void *b)
{
	return ((const struct migration *)a)->version -
	    ((const struct migration *)b)->version;
}

int
migrations_finish(struct migration_set *set, char *err, size_t errlen)
{
	if (set->count > 1)
		qsort(set->items, set->count, sizeof(*set->items), by_version);
	for (size_t i = 0; i < set->count; i++) {
		struct migration *m = &set->items[i];
		size_t nu, nd;
		char *both;

		if (m->up == NULL || m->down == NULL) {
			snprintf(err, errlen, "migration %s has no %s.sql file",
			    m->name, m->up == NULL ? "up" : "down");
			return -1;
		}
		nu = strlen(m->up);
		nd = strlen(m->down);
		both = xmalloc(nu + nd + 1);
		memcpy(both, m->up, nu);
		both[nu] = '\0';
		memcpy(both + nu + 1, m->down, nd);
		util_sha256_hex(both, nu + 1 + nd, m->checksum);
		free(both);
	}
	return 0;
}

const struct migration *
migrations_find(const struct migration_set *set, int version)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->items[i].version == version)
			return &set->items[i];
	return NULL;
}

void
migrations_free(struct migration_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->items[i].name);
		free(set->items[i].up);
		free(set->items[i].down);
	}
	free(set->items);
	set->items = NULL;
	set->count = 0;
}
