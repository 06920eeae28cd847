/*
 * cli.c - `ludus import questions FILE`: a question file into the bank,
 * with a progress bar on a terminal and the same report as the upload
 * route.  Exit codes: 0 every record went in, 1 some were refused (the
 * good ones are kept) or the import failed, 2 a usage error.
 */
#include "assessment/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "assessment/bank.h"
#include "assessment/import.h"
#include "db/db.h"
#include "ops/migrate.h"

#define MAX_FILE (256L << 20)

/* The whole file, malloc'd; NULL with errno set. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;

	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_FILE) {
		fclose(f);
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL || fread(buf, 1, (size_t)st.st_size, f) !=
	    (size_t)st.st_size) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	buf[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	fclose(f);
	return buf;
}

struct bar {
	int shown; /* percent last drawn */
};

static void
progress(size_t done, size_t total, void *arg)
{
	struct bar *b = arg;
	int pct = total ? (int)(done * 100 / total) : 100;
	char cells[41];

	if (pct == b->shown)
		return;
	b->shown = pct;
	memset(cells, '#', (size_t)(pct * 40 / 100));
	memset(cells + pct * 40 / 100, ' ', (size_t)(40 - pct * 40 / 100));
	cells[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%% %zu/%zu", cells, pct, done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static const char *
format_of(const struct config *cfg, const char *path)
{
	const char *dot = strrchr(path, '.');

	if (cfg->import_format != NULL)
		return cfg->import_format;
	if (dot == NULL)
		return NULL;
	if (strcasecmp(dot, ".gift") == 0)
		return "gift";
	if (strcasecmp(dot, ".csv") == 0)
		return "csv";
	if (strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".aiken") == 0)
		return "aiken";
	return NULL;
}

/* The author: 0, or -1 after saying why. */
static int
owner(struct db *db, const struct config *cfg, char user[37], char org[37],
    bool *admin)
{
	const char *p[2] = {cfg->import_org, cfg->import_owner};
	PGresult *res = db_query(db, "org_of_slug", 1, p);

	/* The organization first: row-level security shows no other. */
	if (res != NULL && PQntuples(res) == 1) {
		int rc = db_set_org(db, PQgetvalue(res, 0, 0));

		PQclear(res);
		res = rc == 0 ? db_query(db, "import_owner", 2, p) : NULL;
	}
	if (res == NULL) {
		fprintf(stderr, "ludus import: %s\n", db->message);
		return -1;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		fprintf(stderr, "ludus import: no instructor or admin %s%s in "
		    "the organization%s%s\n", cfg->import_owner ? "named " :
		    "", cfg->import_owner ? cfg->import_owner : "",
		    cfg->import_org ? " " : "", cfg->import_org ?
		    cfg->import_org : "");
		return -1;
	}
	snprintf(user, 37, "%s", PQgetvalue(res, 0, 0));
	snprintf(org, 37, "%s", PQgetvalue(res, 0, 1));
	*admin = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	return 0;
}

static void
print_report(const json_t *report, bool dry_run)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(report, "errors"), i, e)
		fprintf(stderr, "line %d: %s\n", (int)json_integer_value(
		    json_object_get(e, "line")), json_string_value(
		    json_object_get(e, "reason")));
	printf("%s%d records: %d created, %d updated, %d unchanged, "
	    "%d refused\n", dry_run ? "dry run, nothing kept: " : "",
	    (int)json_integer_value(json_object_get(report, "records")),
	    (int)json_integer_value(json_object_get(report, "created")),
	    (int)json_integer_value(json_object_get(report, "updated")),
	    (int)json_integer_value(json_object_get(report, "unchanged")),
	    (int)json_integer_value(json_object_get(report, "failed")));
}

static int
run(struct db *db, const struct config *cfg, struct import_list *list)
{
	struct import_options o = {.exam = cfg->import_exam,
	    .status = cfg->import_status};
	struct bar bar = {-1};
	char user[37], org[37];
	json_t *report;
	PGresult *res;
	int failed;

	/* One transaction: the import is all or nothing. */
	if ((res = db_exec(db, "BEGIN")) == NULL)
		goto fail;
	PQclear(res);
	if (owner(db, cfg, user, org, &o.admin) != 0)
		return 1;
	o.user = user;
	o.org = org;
	if (isatty(STDERR_FILENO) && list->count > 0) {
		o.progress = progress;
		o.arg = &bar;
	}
	if ((report = bank_import(db, list, &o)) == NULL)
		goto fail;
	res = db_exec(db, cfg->import_dry_run ? "ROLLBACK" : "COMMIT");
	if (res == NULL) {
		json_decref(report);
		goto fail;
	}
	PQclear(res);
	print_report(report, cfg->import_dry_run);
	failed = (int)json_integer_value(json_object_get(report, "failed"));
	json_decref(report);
	return failed > 0 ? 1 : 0;
fail:
	fprintf(stderr, "ludus import: the database failed, nothing was "
	    "imported: %s\n", db->message);
	return 1;
}

int
import_main(const struct config *cfg, int argc, char **argv)
{
	struct import_list list = {0};
	const char *name;
	size_t len = 0;
	char *text;
	struct db *db;
	int fmt, rc = 1;

	if (argc != 2 || strcmp(argv[0], "questions") != 0) {
		fprintf(stderr, "ludus import: usage: ludus import questions "
		    "FILE [--format csv|gift|aiken]\nTry 'ludus import "
		    "--help'.\n");
		return 2;
	}
	if ((name = format_of(cfg, argv[1])) == NULL ||
	    (fmt = import_format_by_name(name)) < 0) {
		fprintf(stderr, "ludus import: say --format csv, gift or aiken "
		    "(the file name does not tell)\n");
		return 2;
	}
	if (strcmp(cfg->import_status, "draft") != 0 &&
	    strcmp(cfg->import_status, "active") != 0 &&
	    strcmp(cfg->import_status, "retired") != 0) {
		fprintf(stderr, "ludus import: --status must be draft, active "
		    "or retired\n");
		return 2;
	}
	if ((text = slurp(argv[1], &len)) == NULL) {
		fprintf(stderr, "ludus import: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	if (import_parse((enum import_format)fmt, text, len, &list) != 0) {
		fprintf(stderr, "ludus import: %s: line %d: %s\n", argv[1],
		    list.error_line, list.error ? list.error :
		    "cannot be read");
		goto out;
	}
	if ((db = migrate_cli_open(cfg, cfg->database_role, "ludus import")) !=
	    NULL) {
		rc = run(db, cfg, &list);
		migrate_cli_close(db);
	}
out:
	import_list_free(&list);
	free(text);
	return rc;
}
