/*
 * files.c - the file store (files.h): what a file is, by libmagic, and
 * its bytes kept in file_blobs.
 */
#include "db/files.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <magic.h>

#include "core/log.h"

/*
 * libmagic reads the start of a file: the signatures that tell the types
 * Ludus takes all sit in the first few KiB, and reading no more keeps a
 * hostile file's cost bounded.
 */
#define SNIFF_BYTES	(256u << 10)

/*
 * One handle, loaded at first use: a magic_t is not safe to share between
 * threads, so its use is serialized (a file is recognized in well under a
 * millisecond, and only uploads ask).
 */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;
static bool magic_failed;

bool
files_sniff(const void *data, size_t len, char *out, size_t cap)
{
	const char *type = NULL;

	pthread_mutex_lock(&magic_lock);
	if (cookie == NULL && !magic_failed) {
		/*
		 * Compressed files are not opened to look inside, nor are
		 * tar or ELF ones examined: none is a type Ludus takes.
		 */
		cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
		    MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF | MAGIC_ERROR);
		if (cookie == NULL || magic_load(cookie, NULL) != 0) {
			log_write(LOG_ERROR, "libmagic cannot load its database",
			    json_pack("{s:s}", "reason", cookie != NULL ?
			    magic_error(cookie) : "out of memory"));
			if (cookie != NULL)
				magic_close(cookie);
			cookie = NULL;
			magic_failed = true;
		}
	}
	if (cookie != NULL && len > 0)
		type = magic_buffer(cookie, data, len < SNIFF_BYTES ? len :
		    SNIFF_BYTES);
	snprintf(out, cap, "%s", type != NULL ? type :
	    "application/octet-stream");
	pthread_mutex_unlock(&magic_lock);
	return type != NULL && strcmp(out, "application/octet-stream") != 0;
}

void
files_shutdown(void)
{
	pthread_mutex_lock(&magic_lock);
	if (cookie != NULL)
		magic_close(cookie);
	cookie = NULL;
	pthread_mutex_unlock(&magic_lock);
}

int
files_put(struct db *db, const char *org, const void *data, size_t len,
    const char *type, char sha[65])
{
	const char *p[3] = {org, data, type};
	const int lengths[3] = {-1, (int)len, -1};
	PGresult *res = db_query_bin(db, "file_put", 3, p, lengths, 0);

	if (res == NULL)
		return -1;
	snprintf(sha, 65, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}
