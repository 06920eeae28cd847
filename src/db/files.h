/*
 * files.h - the organization's file store (migration 0027): bytes kept
 * once per organization by their SHA-256, in PostgreSQL.
 *
 * A module keeps a file by putting its bytes here and writing a row of its
 * own that names the blob (its org_id and sha256), in the same
 * transaction; its table's file_blob_ref trigger counts the use, and the
 * daily maintenance removes blobs nobody has used for a day.
 */
#ifndef LUDUS_DB_FILES_H
#define LUDUS_DB_FILES_H

#include <stddef.h>

#include "db/db.h"

/*
 * The media type of the len bytes at data, recognized by their content
 * (libmagic, as file(1) does; the name a file came with is not asked):
 * "image/png", "application/pdf", "text/plain", ... in out (cap bytes).
 * False when the content says nothing (then out is
 * "application/octet-stream").  Thread-safe.
 */
bool files_sniff(const void *data, size_t len, char *out, size_t cap);

/*
 * Keeps len bytes in org's store as type (a media type files_sniff gave
 * or accepted), or finds them there already; sha gets their SHA-256 in
 * hex.  Inside the caller's transaction.  0, or -1 after a failed query.
 */
int files_put(struct db *db, const char *org, const void *data, size_t len,
    const char *type, char sha[65]);

/* Releases what files_sniff loaded; at exit, for the leak checker. */
void files_shutdown(void);

#endif
