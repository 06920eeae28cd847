/*
 * api_materials.c - study materials: added as pasted text, as an upload or
 * from a URL, and processed by a job (jobs.c) that extracts their text,
 * cuts it into chunks and proposes study assets; read, changed, deleted;
 * their chunks; search over them.
 *
 * A learner's material is theirs alone: nobody else learns that it exists
 * (404).  A course's material is added and changed by the course's
 * authors (its owner, its collaborators, content.all) and read, once
 * ready, by the learners enrolled in the course, who get 403 for a
 * change.  Changes to course materials are in the audit trail.
 *
 * What can be known at once is answered at once: a type we do not take
 * (415), bytes that do not match their type, an empty or invalid text, a
 * PDF that is encrypted, damaged or too long (a quick look in a sandboxed
 * child), a URL to a private address (422), no room left (422).  What is
 * found while processing (a PDF that explodes when read, a URL that
 * redirects somewhere private) fails the job, and the material with it,
 * with the reason.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "content/api.h"
#include "content/rules.h"
#include "core/perm.h"
#include "core/util.h"
#include "db/jobs.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"
#include "http/fetch.h"
#include "materials/api.h"
#include "materials/asset.h"
#include "materials/extract.h"
#include "materials/materials.h"

static const char *const audited[] = {"title", "description", "subject_area",
    "tags", "difficulty_level", "source_type", "source_url", "file_name",
    "course_id", NULL};

const char *
mat_edit_all(struct req *r)
{
	return api_may(r, PERM_CONTENT_ALL);
}

int
mat_check(struct db *db, struct req *r, const char *id, bool write,
    long want, struct mat_facts *f)
{
	const char *p[3] = {id, r->user->user_id, mat_edit_all(r)};
	/* A change locks the material; a read takes no lock. */
	PGresult *res = db_query(db, write ? "mat_access" : "mat_role", 3, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such material.");
		return 1;
	}
	snprintf(f->role, sizeof(f->role), "%s", PQgetvalue(res, 0, 0));
	f->version = atol(PQgetvalue(res, 0, 1));
	snprintf(f->course, sizeof(f->course), "%s", PQgetvalue(res, 0, 2));
	snprintf(f->status, sizeof(f->status), "%s", PQgetvalue(res, 0, 3));
	snprintf(f->title, sizeof(f->title), "%s", PQgetvalue(res, 0, 4));
	f->busy = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
	PQclear(res);
	if (write && strcmp(f->role, "learner") == 0) {
		resp_problem(r, 403, "forbidden", "Only the course's authors "
		    "may change its materials.");
		return 1;
	}
	if (want != 0 && want != f->version) {
		api_etag(r, f->version);
		resp_problem(r, 412, "stale-version", "The material was changed "
		    "since you read it: read it again.");
		return 1;
	}
	return 0;
}

/* The material as the caller sees it, in the arena; NULL after a 404. */
static char *
mat_doc(struct db *db, struct req *r, const char *id, bool *failed)
{
	const char *p[3] = {id, r->user->user_id, mat_edit_all(r)};
	PGresult *res = db_query(db, "mat_get", 3, p);
	char *doc = NULL;

	*failed = res == NULL;
	if (res != NULL && PQntuples(res) == 1)
		doc = arena_strdup(r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return doc;
}

/* ---- adding a material --------------------------------------------------- */

/* A new material and the job that processes it. */
struct add {
	struct req *r;
	const char *p[16];	/* mat_insert's parameters */
	const char *course;
	const char *format;	/* text, markdown, html, pdf or url */
	const char *input;	/* the text, or the file in base64 */
	const char *url;
	bool generate;
	bool base64;		/* input is a file, in base64 */
	char id[37], job[37];
	char *doc;
};

static int
add_tx(struct db *db, void *arg)
{
	struct add *a = arg;
	char count[16], bytes[24];
	json_t *payload;
	PGresult *res;
	bool failed;
	int rc;

	if (a->course != NULL && (rc = content_course_writable(db, a->r,
	    a->course, "materials")) != 0)
		return rc;
	if (a->p[10] != NULL) {
		const char *p[3] = {a->p[1], a->p[10], a->course};

		if ((res = db_query(db, "mat_same_file", 3, p)) == NULL)
			return -1;
		if (PQntuples(res) == 1) {
			resp_problem(a->r, 409, "duplicate-material", "You have "
			    "added these very contents already: material %s.",
			    PQgetvalue(res, 0, 0));
			PQclear(res);
			return 1;
		}
		PQclear(res);
	}
	snprintf(count, sizeof(count), "%d", MAT_MAX_PER_USER);
	snprintf(bytes, sizeof(bytes), "%ld", MAT_MAX_BYTES_PER_USER);
	a->p[14] = count;
	a->p[15] = bytes;
	if ((res = db_query(db, "mat_insert", 16, a->p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(a->r, 422, "too-many", "You have %d materials or "
		    "%ld MiB of them: delete some first.", MAT_MAX_PER_USER,
		    MAT_MAX_BYTES_PER_USER >> 20);
		return 1;
	}
	snprintf(a->id, sizeof(a->id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	payload = json_pack("{s:s, s:s, s:b, s:b}", "material_id", a->id,
	    "format", a->format, "generate", a->generate, "base64", a->base64);
	if (a->url != NULL)
		json_object_set_new(payload, "url", json_string(a->url));
	rc = jobs_enqueue(db, a->r->user->org_id, a->r->user->user_id,
	    MAT_PROCESS_JOB, payload, a->input, a->job);
	json_decref(payload);
	if (rc != 0)
		return -1;
	if ((a->doc = mat_doc(db, a->r, a->id, &failed)) == NULL)
		return -1;
	return a->course == NULL ? 0 : audit_change(db, a->r,
	    "material.created", "study_material", a->id, NULL, a->doc, audited);
}

/* Queues the material; 202 with it and where to follow it. */
static void
add(struct req *r, struct add *a)
{
	struct db *db;

	a->r = r;
	a->p[0] = r->user->org_id;
	a->p[1] = r->user->user_id;
	a->p[2] = a->course;
	if ((db = api_db(r)) == NULL || !api_tx(r, db, DB_READ_COMMITTED,
	    add_tx, a))
		return;
	jobs_kick();
	resp_header(r, "Location", arena_printf(r->arena,
	    "/api/v1/materials/%s", a->id));
	resp_text(r, 202, "application/json", a->doc, strlen(a->doc));
}

/* The SHA-256 of len bytes at p, in hex, in the arena. */
static const char *
sha256_hex(struct req *r, const void *p, size_t len)
{
	char *hex = arena_alloc(r->arena, 65);

	util_sha256_hex(p, len, hex);
	return hex;
}

/*
 * Why the URL a user gave cannot be fetched, or NULL: only http and https
 * to a named host or a public address, no credentials in it.  Where a
 * name leads is checked again on every connection the job makes.
 */
static const char *
url_refused(struct req *r, const char *url)
{
	CURLU *h = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL;
	const char *why = NULL;
	unsigned char addr[16];
	struct fetch_nets nets;
	char err[160];

	if (h == NULL)
		return "cannot be read now";
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		why = "is not a URL";
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		why = "must be an http or https URL";
		goto out;
	}
	if (curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		why = "must not hold a user name or password";
		goto out;
	}
	if (strcasecmp(host, "localhost") == 0 || (strlen(host) > 10 &&
	    strcasecmp(host + strlen(host) - 10, ".localhost") == 0)) {
		why = "must not point to this machine";
		goto out;
	}
	if (fetch_nets_parse(r->cfg->fetch_allow_nets, &nets, err,
	    sizeof(err)) != 0)
		nets.n = 0;
	if (inet_pton(AF_INET, host, addr) == 1) {
		struct sockaddr_in sa = {.sin_family = AF_INET};

		memcpy(&sa.sin_addr, addr, 4);
		if (!fetch_addr_allowed((struct sockaddr *)&sa, &nets))
			why = "must point to a public address";
	} else if (host[0] == '[') {
		struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
		char inner[64];
		size_t n = strlen(host);

		snprintf(inner, sizeof(inner), "%.*s", (int)(n > 2 ? n - 2 : 0),
		    host + 1);
		if (inet_pton(AF_INET6, inner, &sa.sin6_addr) != 1 ||
		    !fetch_addr_allowed((struct sockaddr *)&sa, &nets))
			why = "must point to a public address";
	}
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_url_cleanup(h);
	return why;
}

static const char *
media_type_rule(const char *s)
{
	return strcmp(s, "text/plain") == 0 || strcmp(s, "text/markdown") == 0 ||
	    strcmp(s, "text/html") == 0 ? NULL :
	    "must be text/plain, text/markdown or text/html";
}

/* The format a media type is processed as. */
static const char *
format_of(const char *media_type)
{
	if (strcmp(media_type, "text/plain") == 0)
		return "text";
	if (strcmp(media_type, "text/html") == 0)
		return "html";
	if (strcmp(media_type, "application/pdf") == 0)
		return "pdf";
	return "markdown";
}

void
mat_create(struct req *r)
{
	static const char *const allowed[] = {"title", "description", "text",
	    "url", "media_type", "subject_area", "tags", "difficulty_level",
	    "course_id", "generate", NULL};
	struct add a = {0};
	struct input in;
	const char *text, *url, *media, *why;
	int gen;

	input_begin(&in, r);
	input_only(&in, allowed);
	a.p[3] = input_string(&in, "title", IN_REQUIRED, 1, 255);
	a.p[4] = input_string(&in, "description", 0, 0, 5000);
	text = input_string(&in, "text", 0, 1, MAT_MAX_TEXT);
	url = input_string(&in, "url", 0, 8, 1000);
	media = input_string(&in, "media_type", 0, 1, 40);
	a.p[11] = input_string(&in, "subject_area", 0, 1, 100);
	a.p[12] = input_pg_array(&in, "tags", 0, 20, content_tag);
	a.p[13] = input_string(&in, "difficulty_level", 0, 1, 20);
	a.course = input_string(&in, "course_id", 0, 36, 36);
	gen = input_bool(&in, "generate", 0);
	if (!input_has(&in, "text") && !input_has(&in, "url"))
		input_error(&in, "text", "give the material's text, or its url");
	else if (input_has(&in, "text") && input_has(&in, "url"))
		input_error(&in, "url", "give text or url, not both");
	if (media != NULL && (why = media_type_rule(media)) != NULL)
		input_error(&in, "media_type", why);
	if (media != NULL && url != NULL)
		input_error(&in, "media_type", "is the server's to say for a url");
	if (a.p[13] != NULL && (why = content_difficulty(a.p[13])) != NULL)
		input_error(&in, "difficulty_level", why);
	if (a.course != NULL && !api_is_uuid(a.course))
		input_error(&in, "course_id", "must be a course's id");
	if (a.p[3] != NULL && strspn(a.p[3], " \t\r\n") == strlen(a.p[3]))
		input_error(&in, "title", "must not be blank");
	if (url != NULL && (why = url_refused(r, url)) != NULL)
		input_error(&in, "url", why);
	if (!input_end(&in))
		return;
	a.generate = gen != 0;
	if (url != NULL) {
		a.p[5] = "url";
		a.p[6] = url;
		/* What it is, the job will know: until then, a web page. */
		a.p[8] = "text/html";
		a.p[9] = "0";
		a.format = "url";
		a.url = url;
	} else {
		a.p[5] = "text";
		a.p[8] = media != NULL ? media : "text/markdown";
		a.p[9] = arena_printf(r->arena, "%zu", strlen(text));
		a.p[10] = sha256_hex(r, text, strlen(text));
		a.format = format_of(a.p[8]);
		a.input = text;
	}
	add(r, &a);
}

/* Query-string rules for an upload. */
static const char *
title_rule(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 255 || strspn(s, " ") == n)
		return "must be 1 to 255 characters";
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			return "must not hold control characters";
	return NULL;
}

static const char *
file_name_rule(const char *s)
{
	const char *why = title_rule(s);

	return why != NULL ? why : strchr(s, '/') != NULL ?
	    "must be a file's name, not a path" : NULL;
}

static const char *
subject_rule(const char *s)
{
	return strlen(s) > 100 ? "must be at most 100 characters" :
	    title_rule(s);
}

/* "a,b,c" of tags as a PostgreSQL array literal, or NULL after an error. */
static const char *
tags_literal(struct input *in, struct req *r, const char *s)
{
	char *copy = arena_strdup(r->arena, s), *save = NULL, *t;
	char *out = arena_alloc(r->arena, strlen(s) + 3);
	int n = 0;

	strcpy(out, "{");
	for (t = strtok_r(copy, ",", &save); t != NULL;
	    t = strtok_r(NULL, ",", &save)) {
		if (content_tag(t) != NULL || ++n > 20) {
			input_error(in, "tags", "must be up to 20 tags like "
			    "\"subnetting\", separated by commas");
			return NULL;
		}
		if (n > 1)
			strcat(out, ",");
		strcat(out, t);
	}
	strcat(out, "}");
	return out;
}

void
mat_upload(struct req *r)
{
	struct add a = {0};
	struct input in;
	struct extract_info info = {0};
	struct extract_limits lim = {MAT_MAX_TEXT, MAT_MAX_PAGES};
	const char *type = req_header(r, "Content-Type"), *tags, *gen;
	const char *name;
	enum mat_format fmt;
	char err[256];
	int status;
	size_t len;
	char *b64;

	input_query_begin(&in, r);
	a.p[3] = input_query(&in, "title", title_rule);
	name = input_query(&in, "file_name", file_name_rule);
	a.p[4] = input_query(&in, "description", title_rule);
	a.p[11] = input_query(&in, "subject_area", subject_rule);
	a.p[13] = input_query(&in, "difficulty_level", content_difficulty);
	a.course = input_query(&in, "course_id", content_uuid);
	gen = input_query(&in, "generate", api_true_false);
	tags = req_query(r, "tags");
	a.p[12] = tags != NULL && *tags != '\0' ? tags_literal(&in, r, tags) :
	    NULL;
	if (!input_end(&in))
		return;
	if (type == NULL) {
		resp_problem(r, 415, "unsupported-media-type", "Say what the "
		    "file is in Content-Type: text/plain, text/markdown, "
		    "text/html or application/pdf.");
		return;
	}
	if (extract_sniff(type, r->body, r->body_len, &fmt, &status, err,
	    sizeof(err)) != 0) {
		resp_problem(r, status, status == 415 ?
		    "unsupported-media-type" : "unreadable-file", "%s", err);
		return;
	}
	/* A quick look at a PDF, in a child that may die: not encrypted,
	 * not damaged, not too long. */
	if (fmt == MAT_PDF && extract_pdf_sandboxed("/proc/self/exe", r->body,
	    r->body_len, &lim, 1, MAT_PDF_PROBE_MS, NULL, &info, err,
	    sizeof(err)) != 0) {
		resp_problem(r, 422, "unreadable-file", "%s", err);
		return;
	}
	a.p[5] = "upload";
	a.p[7] = name;
	a.p[8] = fmt == MAT_PDF ? "application/pdf" : fmt == MAT_HTML ?
	    "text/html" : fmt == MAT_MARKDOWN ? "text/markdown" : "text/plain";
	if (a.p[3] == NULL)
		a.p[3] = info.title[0] != '\0' ? arena_strdup(r->arena,
		    info.title) : name != NULL ? name : "Untitled material";
	a.p[9] = arena_printf(r->arena, "%zu", r->body_len);
	a.p[10] = sha256_hex(r, r->body, r->body_len);
	a.format = format_of(a.p[8]);
	a.generate = gen == NULL || strcmp(gen, "true") == 0;
	len = sodium_base64_encoded_len(r->body_len,
	    sodium_base64_VARIANT_ORIGINAL);
	b64 = arena_alloc(r->arena, len);
	sodium_bin2base64(b64, len, (const unsigned char *)r->body,
	    r->body_len, sodium_base64_VARIANT_ORIGINAL);
	a.input = b64;
	a.base64 = true;
	add(r, &a);
}

/* ---- reading, changing, deleting ----------------------------------------- */

void
mat_show(struct req *r)
{
	const char *p[3] = {NULL, r->user->user_id, mat_edit_all(r)};

	if ((p[0] = api_path_id(r, "id", "material")) != NULL)
		api_doc(r, "mat_get", 3, p, "There is no such material.");
}

void
mat_course_list(struct req *r)
{
	const char *p[3] = {NULL, r->user->user_id, mat_edit_all(r)};

	if ((p[0] = api_path_id(r, "id", "course")) != NULL)
		api_doc(r, "mat_course_list", 3, p, "There is no such course.");
}

static const char *
status_rule(const char *s)
{
	return strcmp(s, "processing") == 0 || strcmp(s, "ready") == 0 ||
	    strcmp(s, "failed") == 0 ? NULL :
	    "must be processing, ready or failed";
}

static const char *
words_rule(const char *s)
{
	return strlen(s) >= 1 && strlen(s) <= 200 ? NULL :
	    "must be 1 to 200 characters";
}

void
mat_list(struct req *r)
{
	const char *p[9] = {r->user->user_id, mat_edit_all(r)};
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[2] = input_query(&in, "q", words_rule);
	p[3] = input_query(&in, "status", status_rule);
	p[4] = input_query(&in, "tag", content_tag);
	p[5] = input_query(&in, "subject", subject_rule);
	p[6] = input_query(&in, "course", content_uuid);
	p[7] = input_query(&in, "after", content_uuid);
	if (!input_end(&in) || (limit = api_limit(r, 20, 100)) < 0)
		return;
	p[8] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "mat_list", 9, p, "Nothing is there.");
}

void
mat_search(struct req *r)
{
	const char *p[4] = {r->user->user_id, mat_edit_all(r)};
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[2] = input_query(&in, "q", words_rule);
	if (p[2] == NULL)
		input_error(&in, "q", "say what to look for");
	if (!input_end(&in) || (limit = api_limit(r, 20, 50)) < 0)
		return;
	p[3] = arena_printf(r->arena, "%d", limit);
	api_doc(r, "mat_search", 4, p, "Nothing is there.");
}

struct change {
	struct req *r;
	const char *query;	/* mat_update or mat_delete */
	const char *id;
	const char *p[6];
	long want;
	char *before, *after;
	struct mat_facts f;
};

/* The material {id} and the version If-Match names; false after a 4xx. */
static bool
change_begin(struct req *r, struct change *c)
{
	c->r = r;
	if ((c->id = api_path_id(r, "id", "material")) == NULL)
		return false;
	if ((c->want = api_if_match(r)) < 0) {
		resp_problem(r, 412, "stale-version", "If-Match names no "
		    "version of this material.");
		return false;
	}
	return true;
}

/* A change or a deletion (c->query), audited for a course's material. */
static int
change_tx(struct db *db, void *arg)
{
	struct change *c = arg;
	bool deleting = strcmp(c->query, "mat_delete") == 0, failed;
	PGresult *res;
	int rc;

	if ((rc = mat_check(db, c->r, c->id, true, c->want, &c->f)) != 0)
		return rc;
	if ((c->before = mat_doc(db, c->r, c->id, &failed)) == NULL)
		return -1;
	c->p[0] = c->id;
	if ((res = db_query(db, c->query, deleting ? 1 : 6, c->p)) == NULL)
		return -1;
	PQclear(res);
	if (!deleting && (c->after = mat_doc(db, c->r, c->id, &failed)) ==
	    NULL)
		return -1;
	return c->f.course[0] == '\0' ? 0 : audit_change(db, c->r, deleting ?
	    "material.deleted" : "material.updated", "study_material", c->id,
	    c->before, c->after, audited);
}

void
mat_patch(struct req *r)
{
	static const char *const allowed[] = {"title", "description",
	    "subject_area", "tags", "difficulty_level", NULL};
	struct change c = {.r = r};
	struct input in;
	const char *why;
	struct db *db;

	if (!change_begin(r, &c))
		return;
	input_begin(&in, r);
	input_only(&in, allowed);
	c.p[1] = input_string(&in, "title", 0, 1, 255);
	c.p[2] = input_string(&in, "description", 0, 0, 5000);
	c.p[3] = input_string(&in, "subject_area", IN_NULLABLE, 0, 100);
	c.p[4] = input_pg_array(&in, "tags", 0, 20, content_tag);
	c.p[5] = input_string(&in, "difficulty_level", IN_NULLABLE, 0, 20);
	if (input_has(&in, "subject_area") && c.p[3] == NULL)
		c.p[3] = "";
	if (input_has(&in, "difficulty_level") && c.p[5] == NULL)
		c.p[5] = "";
	if (c.p[5] != NULL && *c.p[5] != '\0' &&
	    (why = content_difficulty(c.p[5])) != NULL)
		input_error(&in, "difficulty_level", why);
	if (c.p[1] != NULL && strspn(c.p[1], " \t\r\n") == strlen(c.p[1]))
		input_error(&in, "title", "must not be blank");
	if (!input_end(&in))
		return;
	c.query = "mat_update";
	if ((db = api_db(r)) == NULL || !api_tx(r, db, DB_READ_COMMITTED,
	    change_tx, &c))
		return;
	api_etag(r, c.f.version + 1);
	resp_text(r, 200, "application/json", c.after, strlen(c.after));
}

void
mat_delete(struct req *r)
{
	struct change c = {.r = r};
	struct db *db;

	if (!change_begin(r, &c))
		return;
	c.query = "mat_delete";
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    change_tx, &c))
		resp_text(r, 204, "text/plain", "", 0);
}

/* ---- chunks ---------------------------------------------------------------- */

struct chunks {
	struct req *r;
	const char *p[3];
	char *doc;
};

static int
chunks_tx(struct db *db, void *arg)
{
	struct chunks *c = arg;
	struct mat_facts f;
	PGresult *res;
	int rc;

	if ((rc = mat_check(db, c->r, c->p[0], false, 0, &f)) != 0)
		return rc;
	if ((res = db_query(db, "mat_chunks", 3, c->p)) == NULL)
		return -1;
	c->doc = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static const char *
order_rule(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 0 && v < 1000000 ? NULL :
	    "must be a chunk's order (0 or more)";
}

void
mat_chunks(struct req *r)
{
	struct chunks c = {.r = r};
	struct input in;
	struct db *db;
	int limit;

	if ((c.p[0] = api_path_id(r, "id", "material")) == NULL)
		return;
	input_query_begin(&in, r);
	c.p[1] = input_query(&in, "after", order_rule);
	if (!input_end(&in) || (limit = api_limit(r, 50, 200)) < 0)
		return;
	if (c.p[1] == NULL)
		c.p[1] = "-1";
	c.p[2] = arena_printf(r->arena, "%d", limit);
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    chunks_tx, &c))
		resp_text(r, 200, "application/json", c.doc, strlen(c.doc));
}

/* ---- generating again ---------------------------------------------------- */

struct regen {
	struct req *r;
	const char *id;
	json_t *payload;
	char job[37];
	char *doc;
};

static int
generate_tx(struct db *db, void *arg)
{
	struct regen *g = arg;
	struct mat_facts f;
	bool failed;
	int rc;

	if ((rc = mat_check(db, g->r, g->id, true, 0, &f)) != 0)
		return rc;
	if (strcmp(f.status, "ready") != 0 || f.busy) {
		resp_problem(g->r, 409, "material-busy", f.busy ? "A job of "
		    "this material is waiting or running: let it end, or "
		    "cancel it." : "The material is not ready: it is %s.",
		    f.status);
		return 1;
	}
	if (jobs_enqueue(db, g->r->user->org_id, g->r->user->user_id,
	    MAT_GENERATE_JOB, g->payload, NULL, g->job) != 0)
		return -1;
	return (g->doc = mat_doc(db, g->r, g->id, &failed)) == NULL ? -1 : 0;
}

void
mat_generate(struct req *r)
{
	static const char *const allowed[] = {"generator", "types",
	    "max_flashcards", "max_questions", "seed", NULL};
	struct regen g = {.r = r};
	struct input in;
	const char *gen, *types;
	long cards = 40, questions = 20, seed = 1;
	struct db *db;

	if ((g.id = api_path_id(r, "id", "material")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, allowed);
	gen = input_string(&in, "generator", 0, 1, 20);
	types = input_pg_array(&in, "types", 0, 4, asset_type_rule);
	input_int(&in, "max_flashcards", 0, 0, 200, &cards);
	input_int(&in, "max_questions", 0, 0, 200, &questions);
	input_int(&in, "seed", 0, 0, 2147483647, &seed);
	if (gen != NULL && strcmp(gen, "builtin") != 0 &&
	    strcmp(gen, "model") != 0)
		input_error(&in, "generator", "must be builtin or model");
	else if (gen != NULL && strcmp(gen, "model") == 0 &&
	    r->cfg->llm_url == NULL)
		input_error(&in, "generator", "no language model is set up on "
		    "this server (LUDUS_LLM_URL): use builtin");
	if (!input_end(&in))
		return;
	g.payload = json_pack("{s:s, s:s, s:{s:I, s:I, s:I}}", "material_id",
	    g.id, "generator", gen != NULL ? gen : "builtin", "params",
	    "max_flashcards", (json_int_t)cards, "max_questions",
	    (json_int_t)questions, "seed", (json_int_t)seed);
	if (types != NULL)
		json_object_set_new(g.payload, "types", json_string(types));
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    generate_tx, &g)) {
		jobs_kick();
		resp_header(r, "Location", arena_printf(r->arena,
		    "/api/v1/jobs/%s", g.job));
		resp_text(r, 202, "application/json", g.doc, strlen(g.doc));
	}
	json_decref(g.payload);
}
