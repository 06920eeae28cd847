/*
 * api_media.c - a deck's media: listed, put under a name, served, removed
 * (migration 0028, media.h).
 *
 * A file is put with its bytes as the request body; what it is comes from
 * its content (files_sniff), never from its name or the Content-Type the
 * client sent, and only the types cards can show are taken (415
 * otherwise).  The bytes go to the organization's file store and the name
 * to the deck in one transaction.  Reading a file takes what reading its
 * deck takes (its owner, the course's authors, its enrolled learners);
 * putting and removing one what changing the deck takes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "db/files.h"
#include "flashcards/api.h"
#include "flashcards/card.h"
#include "flashcards/media.h"
#include "http/api.h"

/*
 * The media answer: the file's own Content-Security-Policy keeps an SVG
 * opened by itself from running anything, whatever it holds.
 */
static const char media_csp[] = "default-src 'none'; "
    "img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

struct media_op {
	struct req *r;
	const char *deck, *name;
	char type[64];
	PGresult *res;		/* the answer's row (put, head) */
};

/* The deck and the name of the path; false after a 404 or 422. */
static bool
media_path(struct req *r, struct media_op *o)
{
	o->r = r;
	if ((o->deck = api_path_id(r, "id", "deck")) == NULL)
		return false;
	o->name = req_param(r, "name");
	if (o->name == NULL || !media_name_ok(o->name, strlen(o->name))) {
		resp_problem(r, 422, "validation-failed", "A media name is 1 to "
		    "%d bytes without [ ] < > : \" / ? * ^ \\ | or control "
		    "characters, and does not begin with a dot or a space nor "
		    "end with a space.", MEDIA_NAME_MAX);
		return false;
	}
	return true;
}

static int
list_tx(struct db *db, void *arg)
{
	struct media_op *o = arg;
	const char *p[3] = {o->deck, o->r->user->user_id,
	    api_may(o->r, PERM_CONTENT_ALL)};
	PGresult *res = db_query(db, "fc_media_list", 3, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		resp_problem(o->r, 404, "not-found", "There is no such deck.");
	else
		resp_raw_json(o->r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

void
fc_media_list(struct req *r)
{
	struct media_op o = {.r = r};
	struct db *db;

	if ((o.deck = api_path_id(r, "id", "deck")) != NULL &&
	    (db = api_db(r)) != NULL)
		api_tx(r, db, DB_ONE_STATEMENT, list_tx, &o);
}

PGresult *
media_put(struct db *db, const char *org, const char *deck,
    const char *user, const char *name, const void *data, size_t len,
    const char *type)
{
	char sha[65], size[24];
	const char *p[7] = {org, deck, name, sha, type, size, user};

	if (files_put(db, org, data, len, type, sha) != 0)
		return NULL;
	snprintf(size, sizeof(size), "%zu", len);
	return db_query(db, "fc_media_put", 7, p);
}

static int
put_tx(struct db *db, void *arg)
{
	struct media_op *o = arg;
	struct deck_facts f;
	int rc;

	if ((rc = deck_write_check(db, o->r, o->deck, 0, &f)) != 0)
		return rc;
	if ((o->res = media_put(db, o->r->user->org_id, o->deck,
	    o->r->user->user_id, o->name, o->r->body, o->r->body_len,
	    o->type)) == NULL)
		return -1;
	if (PQntuples(o->res) != 1) {
		PQclear(o->res);
		o->res = NULL;
		resp_problem(o->r, 409, "deck-full", "The deck has no room for "
		    "this file: a deck holds 5,000 files and 500 MiB at most.");
		return 1;
	}
	return 0;
}

void
fc_media_put(struct req *r)
{
	struct media_op o;
	char sniffed[128], snippet[MEDIA_NAME_MAX * 3 + 8];
	char enc[MEDIA_NAME_MAX * 3 + 1] = "";
	const char *type;
	struct db *db;
	json_t *doc;

	memset(&o, 0, sizeof(o));
	if (!media_path(r, &o))
		return;
	if (r->body == NULL || r->body_len == 0) {
		resp_problem(r, 422, "validation-failed", "The body must be the "
		    "file's bytes.");
		return;
	}
	if (r->body_len > MEDIA_FILE_MAX) {
		resp_problem(r, 413, "too-large", "A media file may hold at "
		    "most %u MiB.", MEDIA_FILE_MAX >> 20);
		return;
	}
	files_sniff(r->body, r->body_len, sniffed, sizeof(sniffed));
	if ((type = media_type_allowed(sniffed)) == NULL) {
		resp_problem(r, 415, "unsupported-media-type", "The file is "
		    "%s; a card shows PNG, JPEG, GIF, WebP, AVIF or SVG "
		    "images, MP3, Ogg, WAV, FLAC or M4A sounds, MP4 or WebM "
		    "videos.", sniffed);
		return;
	}
	snprintf(o.type, sizeof(o.type), "%s", type);
	if ((db = api_db(r)) == NULL || !api_tx(r, db, DB_READ_COMMITTED,
	    put_tx, &o))
		return;
	doc = json_loads(PQgetvalue(o.res, 0, 1), 0, NULL);
	media_markdown(o.name, strncmp(type, "image/", 6) == 0, snippet,
	    sizeof(snippet));
	json_object_set_new(doc, "markdown", json_string(snippet));
	if (strcmp(PQgetvalue(o.res, 0, 0), "t") == 0) {
		media_url_name(o.name, strlen(o.name), enc, sizeof(enc));
		resp_header(r, "Location", arena_printf(r->arena,
		    "/api/v1/flashcards/decks/%s/media/%s", o.deck, enc));
		resp_json(r, 201, doc);
	} else {
		resp_json(r, 200, doc);
	}
	PQclear(o.res);
}

static int
head_tx(struct db *db, void *arg)
{
	struct media_op *o = arg;
	const char *p[4] = {o->deck, o->r->user->user_id,
	    api_may(o->r, PERM_CONTENT_ALL), o->name};

	if ((o->res = db_query(db, "fc_media_head", 4, p)) == NULL)
		return -1;
	return 0;
}

static int
data_tx(struct db *db, void *arg)
{
	struct media_op *o = arg;
	const char *p[2] = {o->deck, o->name};

	if ((o->res = db_query_bin(db, "fc_media_data", 2, p, NULL, 1)) ==
	    NULL)
		return -1;
	return 0;
}

void
fc_media_get(struct req *r)
{
	struct media_op o;
	const char *inm;
	char etag[70], enc[MEDIA_NAME_MAX * 3 + 1] = "";
	struct db *db;

	memset(&o, 0, sizeof(o));
	if (!media_path(r, &o) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_ONE_STATEMENT, head_tx, &o))
		return;
	if (PQntuples(o.res) != 1) {
		PQclear(o.res);
		resp_problem(r, 404, "not-found", "The deck has no file of that "
		    "name.");
		return;
	}
	snprintf(etag, sizeof(etag), "\"%s\"", PQgetvalue(o.res, 0, 1));
	snprintf(o.type, sizeof(o.type), "%s", PQgetvalue(o.res, 0, 0));
	PQclear(o.res);
	o.res = NULL;
	resp_header(r, "ETag", etag);
	/*
	 * Kept by the browser, asked again after five minutes: a name may
	 * get new bytes (the ETag then changes).
	 */
	resp_header(r, "Cache-Control", "private, max-age=300");
	resp_header(r, "Content-Security-Policy", media_csp);
	if ((inm = req_header(r, "If-None-Match")) != NULL &&
	    strstr(inm, etag) != NULL) {
		resp_text(r, 304, arena_strdup(r->arena, o.type), "", 0);
		return;
	}
	if (!api_tx(r, db, DB_ONE_STATEMENT, data_tx, &o))
		return;
	if (PQntuples(o.res) != 1) {	/* removed in between */
		PQclear(o.res);
		resp_problem(r, 404, "not-found", "The deck has no file of that "
		    "name.");
		return;
	}
	media_url_name(o.name, strlen(o.name), enc, sizeof(enc));
	resp_header(r, "Content-Disposition", arena_printf(r->arena,
	    "inline; filename*=UTF-8''%s", enc));
	resp_text(r, 200, arena_strdup(r->arena, o.type), PQgetvalue(o.res,
	    0, 0), (size_t)PQgetlength(o.res, 0, 0));
	PQclear(o.res);
}

static int
delete_tx(struct db *db, void *arg)
{
	struct media_op *o = arg;
	struct deck_facts f;
	const char *p[2] = {o->deck, o->name};
	PGresult *res;
	int rc;

	if ((rc = deck_write_check(db, o->r, o->deck, 0, &f)) != 0)
		return rc;
	if ((res = db_query(db, "fc_media_delete", 2, p)) == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : 1;
	PQclear(res);
	if (rc != 0)
		resp_problem(o->r, 404, "not-found", "The deck has no file of "
		    "that name.");
	return rc;
}

void
fc_media_delete(struct req *r)
{
	struct media_op o;
	struct db *db;

	memset(&o, 0, sizeof(o));
	if (media_path(r, &o) && (db = api_db(r)) != NULL &&
	    api_tx(r, db, DB_READ_COMMITTED, delete_tx, &o))
		resp_text(r, 204, "text/plain", "", 0);
}
