/*
 * jobs.c - the study-material jobs.
 *
 * materials.process turns what arrived (pasted text, an uploaded file in
 * base64, or a URL to fetch) into the material's normalized text, cuts it
 * into chunks, guesses their language, and lets the built-in generator
 * propose assets; materials.generate proposes again, with the built-in
 * generator or a language model.  Each runs in the transaction that marks
 * it done: a material is ready with all its chunks and assets, or (its job
 * failed or was cancelled) failed with the reason and nothing else
 * (migration 0023's trigger).  A failure that may pass (the URL's server
 * or the model was away) is tried again later, waiting longer each time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/util.h"
#include "http/fetch.h"
#include "materials/chunk.h"
#include "materials/extract.h"
#include "materials/generate.h"
#include "materials/jobs.h"
#include "materials/lang.h"
#include "materials/llm.h"
#include "materials/materials.h"
#include "materials/text.h"

#define MODEL_CHUNKS 30		/* chunks a model is asked about, at most */
#define MODEL_SENTENCES 60	/* sentences of one chunk it is shown */

static const struct config *cfg;
static struct fetch_nets allow_nets;

int
materials_init(const struct config *c, char *err, size_t errlen)
{
	cfg = c;
	return fetch_nets_parse(c->fetch_allow_nets, &allow_nets, err, errlen);
}

/* Fails the job for good with a reason for the learner. */
static int
fail(char **error, const char *why)
{
	*error = xstrdup(why);
	return 1;
}

/* The same, to be tried again later. */
static int
fail_later(struct job *j, char **error, const char *why)
{
	j->retry_later = true;
	return fail(error, why);
}

static int
cancelled(char **error)
{
	return fail(error, "Cancelled.");
}

/* ---- what arrived ------------------------------------------------------- */

/* The bytes a material's job has to read, and what they are. */
struct arrival {
	unsigned char *data;
	size_t len;
	enum mat_format fmt;
	char *fetched_type;	/* a URL's Content-Type */
	char *fetched_url;	/* where it led */
};

static int
fetch_material(struct job *j, const char *url, struct arrival *a,
    char **error)
{
	struct fetch f = {.url = url, .accept = "text/html, text/markdown, "
	    "text/plain, application/pdf;q=0.9", .allow_http = true,
	    .follow_redirects = true, .public_only = true,
	    .allow_nets = &allow_nets,
	    .max_bytes = (size_t)cfg->max_upload_bytes,
	    .timeout_ms = MAT_FETCH_MS};
	struct fetched got = {0};
	char err[256], msg[400];
	int status;

	if (fetch_url(&f, &got, err, sizeof(err)) != 0) {
		/* Refused is for good; a server away may come back. */
		snprintf(msg, sizeof(msg), "The URL could not be fetched: %s.",
		    err);
		return strncmp(err, "refused", 7) == 0 ? fail(error, msg) :
		    fail_later(j, error, msg);
	}
	if (got.status != 200) {
		snprintf(msg, sizeof(msg), "The URL answered HTTP %ld.",
		    got.status);
		free(got.body);
		return got.status >= 500 || got.status == 429 ?
		    fail_later(j, error, msg) : fail(error, msg);
	}
	if (extract_sniff(got.content_type, got.body, got.len, &a->fmt,
	    &status, err, sizeof(err)) != 0) {
		snprintf(msg, sizeof(msg), "The URL's page cannot be used: %s",
		    err);
		free(got.body);
		return fail(error, msg);
	}
	a->fetched_type = xstrdup(got.content_type);
	a->fetched_url = xstrdup(got.url);
	a->len = got.len;
	a->data = xmalloc(got.len + 1);
	memcpy(a->data, got.body, got.len);
	a->data[got.len] = '\0';
	free(got.body);
	return 0;
}

static enum mat_format
format_named(const char *s)
{
	if (strcmp(s, "pdf") == 0)
		return MAT_PDF;
	if (strcmp(s, "html") == 0)
		return MAT_HTML;
	if (strcmp(s, "text") == 0)
		return MAT_TEXT;
	return MAT_MARKDOWN;
}

static int
arrive(struct job *j, const char *format, const char *url,
    struct arrival *a, char **error)
{
	if (strcmp(format, "url") == 0)
		return fetch_material(j, url, a, error);
	if (j->input == NULL)
		return fail(error, "The material's contents are missing.");
	a->fmt = format_named(format);
	if (json_is_true(json_object_get(j->payload, "base64"))) {
		/* An upload: its bytes as they came. */
		size_t n = strlen(j->input);

		a->data = xmalloc(n + 1);
		if (sodium_base642bin(a->data, n, j->input, n, NULL, &a->len,
		    NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			return fail(error, "The uploaded file is damaged.");
		return 0;
	}
	a->len = strlen(j->input);
	a->data = (unsigned char *)xstrdup(j->input);
	return 0;
}

/* ---- chunks and assets as JSON for the queries -------------------------- */

/* The text of a chunk as shown alone: a cut table's header first. */
static char *
chunk_content(const char *text, const struct chunk *c)
{
	struct buf b = {0};

	buf_put(&b, text + c->head_start, c->head_end - c->head_start);
	buf_put(&b, text + c->start, c->end - c->start);
	return buf_take(&b);
}

static json_t *
chunks_json(const char *text, const struct chunk *c, size_t n,
    const struct gen_result *g, const char *lang)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char *content = chunk_content(text, &c[i]);
		char code[8];

		/* A chunk's own language where it has enough letters. */
		if (lang_detect(content, strlen(content), code) != 0)
			snprintf(code, sizeof(code), "%s", lang);
		json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s, s:I, "
		    "s:I, s:i, s:s, s:s?, s:f}", "ord", c[i].order, "content",
		    content, "type", c[i].type, "heading", c[i].heading,
		    "start", (json_int_t)c[i].start, "end",
		    (json_int_t)c[i].end, "words", c[i].words, "language", code,
		    "summary", g != NULL ? g->chunk_summary[i] : NULL,
		    "relevance", g != NULL ? g->chunk_relevance[i] : 0.0));
		free(content);
	}
	return a;
}

/* The spans' text, for showing an asset's source. */
static json_t *
source_json(const char *text, const struct gen_span *s, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++) {
		char *plain = text_plain(text + s[i].start,
		    s[i].end - s[i].start);

		json_array_append_new(a, json_pack("{s:I, s:I, s:s}", "start",
		    (json_int_t)s[i].start, "end", (json_int_t)s[i].end, "text",
		    plain));
		free(plain);
	}
	return a;
}

/*
 * Whether the job was asked for assets of type; when it names none, all
 * of them from the built-in generator, cards and questions from a model.
 */
static bool
wanted(const struct job *j, const char *type, bool model)
{
	const char *types = json_string_value(json_object_get(j->payload,
	    "types"));

	if (types == NULL)
		return !model || strcmp(type, "flashcard") == 0 ||
		    strcmp(type, "quiz") == 0;
	return strstr(types, type) != NULL;
}

static json_t *
assets_json(const struct job *j, const char *text, const struct gen_result *g,
    const json_t *chunk_ids, const json_t *params)
{
	json_t *a = json_array();

	for (size_t i = 0; i < g->nassets; i++) {
		const struct gen_asset *x = &g->assets[i];

		if (!wanted(j, x->type, false))
			continue;
		json_t *ps = json_deep_copy(params);

		/* The job's parameters, and what the generator says it did. */
		json_object_update(ps, x->params);
		json_array_append_new(a, json_pack("{s:O, s:s, s:O, s:o, s:s, "
		    "s:o, s:f, s:i}", "chunk", x->chunk >= 0 ?
		    json_array_get(chunk_ids, (size_t)x->chunk) : json_null(),
		    "type", x->type, "content", x->content, "source",
		    source_json(text, x->src, x->nsrc), "model",
		    MAT_BUILTIN_MODEL, "params", ps, "quality", x->quality,
		    "difficulty", x->difficulty));
	}
	return a;
}

/* Runs a query whose last parameter is doc (taken over) as JSON text. */
static PGresult *
query_json(struct db *db, const char *name, const char **p, int n,
    json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT);
	PGresult *res;

	json_decref(doc);
	p[n - 1] = s;
	res = db_query(db, name, n, p);
	free(s);
	return res;
}

/* Writes the assets, after clearing the model's undecided ones; added. */
static int
put_assets(struct db *db, struct job *j, const char *material,
    const char *model, json_t *assets, long *added)
{
	const char *p[4] = {material, model, NULL, NULL};
	PGresult *res;
	char *s;

	if ((res = db_query(db, "mat_job_assets_clear", 2, p)) == NULL) {
		json_decref(assets);
		return -1;
	}
	PQclear(res);
	s = json_dumps(assets, JSON_COMPACT);
	json_decref(assets);
	p[0] = j->org;
	p[1] = material;
	p[2] = s;
	p[3] = j->id;
	res = db_query(db, "mat_job_assets_put", 4, p);
	free(s);
	if (res == NULL)
		return -1;
	*added = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static void
params_from(const struct job *j, struct gen_params *gp, json_t **echo)
{
	json_t *p = json_object_get(j->payload, "params");
	json_int_t v;

	*gp = (struct gen_params){0};
	gen_params_default(gp);
	if ((v = json_integer_value(json_object_get(p, "max_flashcards"))) > 0)
		gp->max_flashcards = (int)v;
	if ((v = json_integer_value(json_object_get(p, "max_questions"))) > 0)
		gp->max_questions = (int)v;
	if (json_is_integer(json_object_get(p, "seed")))
		gp->seed = (int64_t)json_integer_value(json_object_get(p,
		    "seed"));
	*echo = json_pack("{s:i, s:i, s:i, s:i, s:I}", "max_flashcards",
	    gp->max_flashcards, "max_questions", gp->max_questions,
	    "summary_sentences", gp->summary_sentences, "max_terms",
	    gp->max_terms, "seed", (json_int_t)gp->seed);
}

/* ---- materials.process ---------------------------------------------------- */

static int
process_run(struct db *db, struct job *j, json_t **result, char **error)
{
	const char *material = json_string_value(json_object_get(j->payload,
	    "material_id"));
	const char *format = json_string_value(json_object_get(j->payload,
	    "format"));
	const char *url = json_string_value(json_object_get(j->payload, "url"));
	struct extract_limits lim = {MAT_MAX_TEXT, MAT_MAX_PAGES};
	struct extract_info info = {0};
	struct arrival a = {0};
	struct chunk *chunks = NULL;
	struct gen_result g = {0};
	bool generated = false;
	size_t n = 0;
	char *text = NULL, err[256], lang[8], words[24];
	json_t *ids = NULL, *echo = NULL, *meta;
	const char *p[6];
	PGresult *res;
	long added = 0;
	int rc = 1;

	if (material == NULL || format == NULL)
		return fail(error, "The job names no material.");
	p[0] = material;
	if ((res = db_query(db, "mat_job_material", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		/* Deleted meanwhile: nothing to do. */
		PQclear(res);
		*result = json_pack("{s:b}", "deleted", 1);
		return 0;
	}
	PQclear(res);
	jobs_progress(j, 0, 4);
	if ((rc = arrive(j, format, url, &a, error)) != 0)
		goto out;
	rc = 1;
	if (jobs_progress(j, 1, 4)) {
		rc = cancelled(error);
		goto out;
	}
	if ((a.fmt == MAT_PDF ? extract_pdf_sandboxed("/proc/self/exe",
	    a.data, a.len, &lim, 0, MAT_PDF_EXTRACT_MS, &text, &info, err,
	    sizeof(err)) : extract_text(a.fmt, a.data, a.len, &lim, &text,
	    &info, err, sizeof(err))) != 0) {
		rc = fail(error, err);
		goto out;
	}
	if (lang_detect(text, strlen(text), lang) != 0)
		snprintf(lang, sizeof(lang), "%s", LANG_UNDETERMINED);
	if (chunk_text(text, strlen(text), NULL, &chunks, &n, err,
	    sizeof(err)) != 0) {
		rc = fail(error, err);
		goto out;
	}
	if (n == 0) {
		rc = fail(error, "The material holds no words to study.");
		goto out;
	}
	if (jobs_progress(j, 2, 4)) {
		rc = cancelled(error);
		goto out;
	}
	if (json_is_true(json_object_get(j->payload, "generate"))) {
		struct gen_params gp;

		params_from(j, &gp, &echo);
		if (generate(text, strlen(text), chunks, n, &gp, &g) != 0) {
			rc = fail(error, "The generator could not read the "
			    "material.");
			goto out;
		}
		generated = true;
	}
	if (jobs_progress(j, 3, 4)) {
		rc = cancelled(error);
		goto out;
	}
	/* Ready, with its chunks and assets, all in this transaction. */
	snprintf(words, sizeof(words), "%zu", text_word_count(text,
	    strlen(text)));
	meta = json_pack("{s:i, s:s}", "pages", info.pages, "format",
	    a.fmt == MAT_PDF ? "pdf" : a.fmt == MAT_HTML ? "html" :
	    a.fmt == MAT_TEXT ? "text" : "markdown");
	if (info.title[0] != '\0')
		json_object_set_new(meta, "document_title",
		    json_string(info.title));
	if (a.fetched_url != NULL) {
		json_object_set_new(meta, "fetched_url",
		    json_string(a.fetched_url));
		json_object_set_new(meta, "fetched_type",
		    json_string(a.fetched_type));
	}
	{
		char *ms = json_dumps(meta, JSON_COMPACT);
		char bytes[24], hex[65];
		const char *q[8] = {material, text, lang, words, ms, NULL,
		    NULL, NULL};

		json_decref(meta);
		if (a.fetched_url != NULL) {
			util_sha256_hex(a.data, a.len, hex);
			snprintf(bytes, sizeof(bytes), "%zu", a.len);
			q[6] = a.fmt == MAT_PDF ? "application/pdf" :
			    a.fmt == MAT_HTML ? "text/html" : a.fmt == MAT_TEXT ?
			    "text/plain" : "text/markdown";
			q[5] = bytes;
			q[7] = hex;
		}
		res = db_query(db, "mat_job_ready", 8, q);
		free(ms);
		if (res == NULL) {
			rc = -1;
			goto out;
		}
		PQclear(res);
	}
	{
		const char *q[3] = {j->org, material, NULL};

		if ((res = query_json(db, "mat_job_chunks_put", q, 3,
		    chunks_json(text, chunks, n, generated ? &g : NULL,
		    lang))) == NULL) {
			rc = -1;
			goto out;
		}
		ids = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(ids, json_string(
			    PQgetvalue(res, i, 0)));
		PQclear(res);
	}
	if (generated && put_assets(db, j, material, MAT_BUILTIN_MODEL,
	    assets_json(j, text, &g, ids, echo), &added) != 0) {
		rc = -1;
		goto out;
	}
	*result = json_pack("{s:I, s:I, s:s, s:s, s:i}", "chunks",
	    (json_int_t)n, "assets", (json_int_t)added, "language", lang,
	    "words", words, "pages", info.pages);
	rc = 0;
out:
	if (generated)
		gen_result_free(&g, n);
	chunks_free(chunks, n);
	json_decref(ids);
	json_decref(echo);
	free(text);
	free(a.data);
	free(a.fetched_type);
	free(a.fetched_url);
	return rc;
}

/* ---- materials.generate ---------------------------------------------------- */

/* The material's chunks from the database, as chunk_text() made them. */
static int
load_chunks(struct db *db, const char *material, struct chunk **out,
    size_t *n, json_t **ids)
{
	const char *p[1] = {material};
	PGresult *res = db_query(db, "mat_job_chunks", 1, p);

	if (res == NULL)
		return -1;
	*n = (size_t)PQntuples(res);
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	*ids = json_array();
	for (size_t i = 0; i < *n; i++) {
		struct chunk *c = &(*out)[i];
		const char *type = PQgetvalue(res, (int)i, 3);

		json_array_append_new(*ids, json_string(PQgetvalue(res, (int)i,
		    0)));
		c->order = (int)i;
		c->start = strtoul(PQgetvalue(res, (int)i, 1), NULL, 10);
		c->end = strtoul(PQgetvalue(res, (int)i, 2), NULL, 10);
		c->head_start = c->head_end = c->start;
		/* chunk.h's types are static strings: map back to them. */
		c->type = strcmp(type, "section") == 0 ? "section" :
		    strcmp(type, "list") == 0 ? "list" : strcmp(type,
		    "table") == 0 ? "table" : strcmp(type, "code") == 0 ?
		    "code" : "paragraph";
		c->heading = xstrdup(PQgetvalue(res, (int)i, 4));
		c->words = atoi(PQgetvalue(res, (int)i, 5));
	}
	PQclear(res);
	return 0;
}

/* A model's assets for one chunk, appended to out; 0, or -1 with err. */
static int
model_chunk(const char *text, const struct chunk *c, const char *chunk_id,
    const char *type, int count, json_t *out, char *model, size_t mlen,
    char *err, size_t errlen)
{
	struct llm_config lc = {cfg->llm_url, cfg->llm_model, cfg->llm_key,
	    cfg->llm_timeout_ms, cfg->llm_attempts, true};
	struct text_sent *s = NULL;
	size_t ns = text_sentences(text + c->start, c->end - c->start, false,
	    &s);
	char **plain;
	json_t *assets = NULL, *x;
	size_t i;
	int rc;

	if (ns == 0) {
		free(s);
		return 0;
	}
	if (ns > MODEL_SENTENCES)
		ns = MODEL_SENTENCES;
	plain = xcalloc(ns, sizeof(*plain));
	for (i = 0; i < ns; i++)
		plain[i] = text_plain(text + c->start + s[i].start,
		    s[i].end - s[i].start);
	rc = llm_generate(&lc, type, (const char *const *)plain, ns, count,
	    &assets, model, mlen, err, errlen);
	json_array_foreach(assets, i, x) {
		json_t *src = json_array(), *v;
		size_t k;

		json_array_foreach(json_object_get(x, "source"), k, v) {
			size_t at = (size_t)json_integer_value(v) - 1;

			if (at < ns)
				json_array_append_new(src, json_pack("{s:I, "
				    "s:I, s:s}", "start", (json_int_t)(c->start +
				    s[at].start), "end", (json_int_t)(c->start +
				    s[at].end), "text", plain[at]));
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:O, s:o, "
		    "s:s, s:{s:s, s:i}, s:f, s:n}", "chunk", chunk_id, "type",
		    type, "content", json_object_get(x, "content"), "source",
		    src, "model", model, "params", "type", type, "count", count,
		    "quality", 0.6, "difficulty"));
	}
	json_decref(assets);
	for (i = 0; i < ns; i++)
		free(plain[i]);
	free(plain);
	free(s);
	return rc;
}

static int
generate_run(struct db *db, struct job *j, json_t **result, char **error)
{
	const char *material = json_string_value(json_object_get(j->payload,
	    "material_id"));
	const char *generator = json_string_value(json_object_get(j->payload,
	    "generator"));
	struct chunk *chunks = NULL;
	struct gen_result g = {0};
	struct gen_params gp;
	size_t n = 0;
	json_t *ids = NULL, *echo = NULL, *assets;
	char *text = NULL;
	const char *p[1] = {material};
	PGresult *res;
	long added = 0;
	int rc = 1;

	if (material == NULL)
		return fail(error, "The job names no material.");
	if ((res = db_query(db, "mat_job_body", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return fail(error, "The material is gone, or not ready.");
	}
	text = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (load_chunks(db, material, &chunks, &n, &ids) != 0) {
		rc = -1;
		goto out;
	}
	params_from(j, &gp, &echo);
	if (generator == NULL || strcmp(generator, "model") != 0) {
		if (generate(text, strlen(text), chunks, n, &gp, &g) != 0) {
			rc = fail(error, "The generator could not read the "
			    "material.");
			goto out;
		}
		assets = assets_json(j, text, &g, ids, echo);
		gen_result_free(&g, n);
		if (put_assets(db, j, material, MAT_BUILTIN_MODEL, assets,
		    &added) != 0) {
			rc = -1;
			goto out;
		}
	} else {
		static const char *const types[] = {"flashcard", "quiz",
		    "summary", "key_terms"};
		char model[128] = "", err[300] = "";
		size_t asked = n < MODEL_CHUNKS ? n : MODEL_CHUNKS, failed = 0;

		if (cfg->llm_url == NULL || cfg->llm_model == NULL) {
			rc = fail(error, "No language model is set up on this "
			    "server.");
			goto out;
		}
		assets = json_array();
		for (size_t i = 0; i < asked; i++) {
			if (jobs_progress(j, i, asked)) {
				json_decref(assets);
				rc = cancelled(error);
				goto out;
			}
			for (size_t t = 0; t < 4; t++) {
				int count = t == 0 ? 3 : t == 1 ? 2 : 8;

				if (!wanted(j, types[t], true))
					continue;
				if (model_chunk(text, &chunks[i],
				    json_string_value(json_array_get(ids, i)),
				    types[t], count, assets, model,
				    sizeof(model), err, sizeof(err)) != 0)
					failed++;
			}
		}
		if (json_array_size(assets) == 0 && failed > 0) {
			char msg[400];

			json_decref(assets);
			snprintf(msg, sizeof(msg), "The language model gave "
			    "nothing usable: %s", err);
			rc = fail_later(j, error, msg);
			goto out;
		}
		if (put_assets(db, j, material, model[0] ? model :
		    cfg->llm_model, assets, &added) != 0) {
			rc = -1;
			goto out;
		}
	}
	*result = json_pack("{s:I, s:s}", "assets", (json_int_t)added,
	    "generator", generator ? generator : "builtin");
	rc = 0;
out:
	chunks_free(chunks, n);
	json_decref(ids);
	json_decref(echo);
	free(text);
	return rc;
}

const struct job_kind material_jobs[] = {
	{MAT_PROCESS_JOB, process_run},
	{MAT_GENERATE_JOB, generate_run},
};
const size_t material_jobs_count =
    sizeof(material_jobs) / sizeof(material_jobs[0]);
