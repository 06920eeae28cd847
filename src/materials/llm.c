/*
 * llm.c - study assets from a language model (llm.h).
 *
 * Small local models follow a shape best when shown one example of it and
 * told one mistake at a time, so each type has a short system prompt with
 * an example, the temperature is 0 (the same chunk gives the same assets,
 * and tests can be scripted), and a rejected answer comes back to the
 * model as a last user message naming the first thing wrong with it.
 */
#include "materials/llm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "http/fetch.h"
#include "materials/asset.h"

static const char preamble[] =
    "You write study material for learners from a passage of a document. "
    "The passage is given as numbered sentences. Use only what the "
    "passage says; add no outside knowledge. Answer with one JSON object "
    "and nothing else (no prose, no Markdown): {\"assets\":[...]}. Every "
    "asset has, besides its own fields, \"source\": the numbers of the 1 "
    "to 3 sentences it comes from.\n\n";

struct prompt {
	const char *type;
	const char *what;	/* in "Write 5 <what>" */
	const char *shape;
};

static const struct prompt prompts[] = {
	{"flashcard", "flashcards",
	    "Each asset is a flashcard that asks about one fact. Either basic:"
	    " {\"kind\":\"basic\",\"front\":question,\"back\":answer}, or "
	    "cloze: {\"kind\":\"cloze\",\"text\":a sentence hiding its key "
	    "words as {{c1::hidden words}} or {{c1::hidden words::hint}},"
	    "\"extra\":context or \"\"}. Keep fronts short and backs exact.\n"
	    "Example: {\"assets\":[{\"kind\":\"basic\",\"front\":\"Which port "
	    "does SSH listen on by default?\",\"back\":\"22\",\"source\":[3]},"
	    "{\"kind\":\"cloze\",\"text\":\"DNS answers queries on "
	    "{{c1::port 53}}.\",\"extra\":\"\",\"source\":[5,6]}]}"},
	{"quiz", "multiple-choice questions",
	    "Each asset is a multiple-choice question with exactly one right "
	    "option: {\"stem\":question,\"options\":[2 to 6 different "
	    "options],\"answer\":index of the right option counting from 0,"
	    "\"explanation\":why it is right}. Wrong options must be "
	    "plausible but wrong according to the passage.\n"
	    "Example: {\"assets\":[{\"stem\":\"Which port does SSH listen on "
	    "by default?\",\"options\":[\"21\",\"22\",\"23\",\"80\"],"
	    "\"answer\":1,\"explanation\":\"The passage gives 22 as SSH's "
	    "port.\",\"source\":[3]}]}"},
	{"summary", "summary",
	    "Write exactly one asset: {\"text\":a summary of the passage in a "
	    "few sentences of plain prose}, with \"source\" naming the 1 to 3 "
	    "most important sentences.\n"
	    "Example: {\"assets\":[{\"text\":\"SSH gives encrypted remote "
	    "shells on port 22 ...\",\"source\":[1,3]}]}"},
	{"key_terms", "key terms",
	    "Write exactly one asset: {\"terms\":[{\"term\":the term as "
	    "written,\"kind\":one of \"acronym\", \"defined\" (a term the "
	    "passage defines), \"phrase\", \"number\", \"name\",\"score\":its "
	    "importance from 0 to 1}, ...]}, each term once, with \"source\" "
	    "naming the 1 to 3 sentences richest in terms.\n"
	    "Example: {\"assets\":[{\"terms\":[{\"term\":\"SSH\",\"kind\":"
	    "\"acronym\",\"score\":0.9},{\"term\":\"port 22\",\"kind\":"
	    "\"number\",\"score\":0.6}],\"source\":[3]}]}"},
};

static const struct prompt *
prompt_of(const char *type)
{
	for (size_t i = 0; i < sizeof(prompts) / sizeof(prompts[0]); i++)
		if (type != NULL && strcmp(prompts[i].type, type) == 0)
			return &prompts[i];
	return NULL;
}

static json_t *
message(const char *role, const char *content)
{
	return json_pack("{s:s, s:s}", "role", role, "content", content);
}

json_t *
llm_request(const char *model, const char *type,
    const char *const *sentences, size_t n, int count,
    const char *correction)
{
	const struct prompt *p = prompt_of(type);
	struct buf sys = {0}, user = {0};
	json_t *msgs, *req;
	char *s;

	if (p == NULL)
		return NULL;
	buf_puts(&sys, preamble);
	buf_puts(&sys, p->shape);
	if (strcmp(type, "summary") == 0)
		s = xasprintf("Write a summary of this passage:\n\n");
	else if (strcmp(type, "key_terms") == 0)
		s = xasprintf("List up to %d key terms of this passage:\n\n",
		    count);
	else
		s = xasprintf("Write %d %s from this passage:\n\n", count,
		    p->what);
	buf_puts(&user, s);
	free(s);
	for (size_t i = 0; i < n; i++) {
		char num[32];

		snprintf(num, sizeof(num), "[%zu] ", i + 1);
		buf_puts(&user, num);
		/* One sentence a line, so its number cannot be mistaken. */
		for (const char *c = sentences[i]; *c != '\0'; c++)
			buf_putc(&user, *c == '\n' || *c == '\r' || *c == '\t' ?
			    ' ' : *c);
		buf_putc(&user, '\n');
	}
	msgs = json_array();
	s = buf_take(&sys);
	json_array_append_new(msgs, message("system", s));
	free(s);
	s = buf_take(&user);
	json_array_append_new(msgs, message("user", s));
	free(s);
	if (correction != NULL) {
		s = xasprintf("Your answer was rejected: %s. Answer again with "
		    "only the JSON object {\"assets\":[...]}, every asset in "
		    "the shape described.", correction);
		json_array_append_new(msgs, message("user", s));
		free(s);
	}
	req = json_pack("{s:s, s:o, s:i, s:{s:s}, s:b}", "model", model,
	    "messages", msgs, "temperature", 0, "response_format", "type",
	    "json_object", "stream", 0);
	return req;
}

/* The text between ``` fences, when s is fenced; s otherwise. */
static const char *
unfence(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(" \t\r\n", *s) != NULL) {
		s++;
		n--;
	}
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		n--;
	if (n >= 6 && strncmp(s, "```", 3) == 0 &&
	    strncmp(s + n - 3, "```", 3) == 0) {
		const char *nl = memchr(s, '\n', n - 3);

		/* The opening fence's line may name a language. */
		if (nl != NULL) {
			n -= (size_t)(nl + 1 - s) + 3;
			s = nl + 1;
		}
	}
	*len = n;
	return s;
}

/* The "source" of an asset: 1 to 3 distinct numbers of sentences. */
static int
check_source(const json_t *src, size_t i, size_t nsentences, char *err,
    size_t errlen)
{
	size_t n = json_array_size(src);

	if (src == NULL) {
		snprintf(err, errlen, "assets[%zu].source: is required", i);
		return -1;
	}
	if (!json_is_array(src) || n < 1 || n > LLM_MAX_SOURCES) {
		snprintf(err, errlen, "assets[%zu].source: must be an array of "
		    "1 to %d sentence numbers", i, LLM_MAX_SOURCES);
		return -1;
	}
	for (size_t j = 0; j < n; j++) {
		json_t *v = json_array_get(src, j);
		json_int_t k = json_integer_value(v);

		if (!json_is_integer(v) || k < 1 || (size_t)k > nsentences) {
			snprintf(err, errlen, "assets[%zu].source[%zu]: must "
			    "be a sentence number from 1 to %zu", i, j,
			    nsentences);
			return -1;
		}
		for (size_t m = 0; m < j; m++)
			if (json_integer_value(json_array_get(src, m)) == k) {
				snprintf(err, errlen, "assets[%zu].source[%zu]: "
				    "repeats sentence %lld", i, j, (long long)k);
				return -1;
			}
	}
	return 0;
}

/* The assets of the message, checked; NULL after writing err. */
static json_t *
assets_of(const char *type, const json_t *msg, size_t nsentences, char *err,
    size_t errlen)
{
	const json_t *list = json_object_get(msg, "assets");
	json_t *out;
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)msg, key, v)
		if (strcmp(key, "assets") != 0) {
			snprintf(err, errlen, "the object must hold only "
			    "\"assets\", not \"%.40s\"", key);
			return NULL;
		}
	if (!json_is_array(list) || json_array_size(list) == 0) {
		snprintf(err, errlen, "\"assets\" must be a non-empty array");
		return NULL;
	}
	out = json_array();
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *a = json_array_get(list, i), *content;
		char field[64], why[256];

		if (!json_is_object(a)) {
			snprintf(err, errlen, "assets[%zu]: must be an object",
			    i);
			goto fail;
		}
		if (check_source(json_object_get(a, "source"), i, nsentences,
		    err, errlen) != 0)
			goto fail;
		content = json_deep_copy(a);
		json_object_del(content, "source");
		if (asset_validate(type, content, field, sizeof(field), why,
		    sizeof(why)) != 0) {
			json_decref(content);
			snprintf(err, errlen, "assets[%zu].%s", i, why);
			goto fail;
		}
		json_array_append_new(out, json_pack("{s:o, s:O}", "content",
		    content, "source", json_object_get(a, "source")));
	}
	return out;
fail:
	json_decref(out);
	return NULL;
}

int
llm_parse(const char *type, const char *body, size_t len,
    size_t nsentences, json_t **assets, char *model_used, size_t mlen,
    char *err, size_t errlen)
{
	json_t *doc, *choice, *msg = NULL;
	json_error_t jerr;
	const char *content, *text, *finish;
	size_t tlen;
	int rc = -1;

	*assets = NULL;
	if (mlen > 0)
		model_used[0] = '\0';
	if (prompt_of(type) == NULL) {
		snprintf(err, errlen, "no assets of type \"%s\"", type);
		return -1;
	}
	if ((doc = json_loadb(body, len, 0, &jerr)) == NULL) {
		snprintf(err, errlen, "the server's answer is not JSON (%s)",
		    jerr.text);
		return -1;
	}
	if (json_is_string(json_object_get(doc, "model")))
		snprintf(model_used, mlen, "%s",
		    json_string_value(json_object_get(doc, "model")));
	choice = json_array_get(json_object_get(doc, "choices"), 0);
	content = json_string_value(json_object_get(json_object_get(choice,
	    "message"), "content"));
	finish = json_string_value(json_object_get(choice, "finish_reason"));
	if (choice == NULL) {
		snprintf(err, errlen, "the server's answer has no choices");
		goto out;
	}
	if (content == NULL) {
		snprintf(err, errlen, "the server's answer has no message "
		    "content");
		goto out;
	}
	text = unfence(content, &tlen);
	msg = json_loadb(text, tlen, JSON_REJECT_DUPLICATES, &jerr);
	if (msg == NULL) {
		if (finish != NULL && strcmp(finish, "length") == 0)
			snprintf(err, errlen, "the answer was cut off before "
			    "its end; write fewer or shorter assets");
		else
			snprintf(err, errlen, "the answer is not a JSON object "
			    "(%s at character %d)", jerr.text, jerr.position);
		goto out;
	}
	if (!json_is_object(msg)) {
		snprintf(err, errlen, "the answer must be a JSON object "
		    "{\"assets\":[...]}");
		goto out;
	}
	if ((*assets = assets_of(type, msg, nsentences, err, errlen)) != NULL)
		rc = 0;
out:
	json_decref(msg);
	json_decref(doc);
	return rc;
}

static void
pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * A short account of an error answer for the log: the OpenAI-style
 * {"error":{"message":...}} when there is one, printable ASCII only.
 */
static void
error_detail(const struct fetched *got, char *out, size_t outlen)
{
	json_t *doc = json_loadb(got->body, got->len, 0, NULL);
	const char *m = json_string_value(json_object_get(json_object_get(doc,
	    "error"), "message"));
	size_t i = 0;

	if (m == NULL)
		m = json_string_value(json_object_get(doc, "error"));
	if (m != NULL && outlen > 3) {
		out[i++] = ':';
		out[i++] = ' ';
		for (; *m != '\0' && i + 1 < outlen && i < 200; m++)
			out[i++] = *m >= 0x20 && *m < 0x7f ? *m : '?';
	}
	if (outlen > 0)
		out[i] = '\0';
	json_decref(doc);
}

int
llm_generate(const struct llm_config *c, const char *type,
    const char *const *sentences, size_t nsentences, int count,
    json_t **assets, char *model_used, size_t mlen, char *err,
    size_t errlen)
{
	int attempts = c->attempts > 0 ? c->attempts : LLM_ATTEMPTS;
	size_t ulen = strlen(c->url), keep;
	char *url, correction[512] = "", last[600] = "";
	long backoff = 250;
	int rc = -1;

	*assets = NULL;
	if (prompt_of(type) == NULL) {
		snprintf(err, errlen, "no assets of type \"%s\"", type);
		return -1;
	}
	if (nsentences == 0 || count < 1) {
		snprintf(err, errlen, "nothing to ask the model for");
		return -1;
	}
	keep = strcmp(type, "flashcard") == 0 || strcmp(type, "quiz") == 0 ?
	    (size_t)count : 1;
	url = xasprintf("%.*s/chat/completions",
	    (int)(ulen > 0 && c->url[ulen - 1] == '/' ? ulen - 1 : ulen),
	    c->url);
	for (int try = 1; try <= attempts && rc != 0; try++) {
		json_t *req = llm_request(c->model, type, sentences, nsentences,
		    count, correction[0] ? correction : NULL);
		char *body = json_dumps(req, JSON_COMPACT);
		struct fetch f = {.url = url, .json = body, .bearer = c->key,
		    .allow_http = c->allow_http, .max_bytes = LLM_MAX_ANSWER,
		    .timeout_ms = c->timeout_ms};
		struct fetched got;
		char why[512], detail[256];
		bool again;

		json_decref(req);
		if (fetch_url(&f, &got, why, sizeof(why)) != 0) {
			free(body);
			if (got.timed_out) {
				snprintf(err, errlen, "the model did not answer "
				    "within %ld ms", c->timeout_ms);
				goto out;
			}
			snprintf(last, sizeof(last), "could not reach the "
			    "model: %s", why);
			again = true;
		} else if (got.status >= 200 && got.status < 300) {
			free(body);
			if (llm_parse(type, got.body, got.len, nsentences,
			    assets, model_used, mlen, why, sizeof(why)) == 0) {
				while (json_array_size(*assets) > keep)
					json_array_remove(*assets, keep);
				if (mlen > 0 && model_used[0] == '\0')
					snprintf(model_used, mlen, "%s",
					    c->model);
				rc = 0;
			} else {
				snprintf(correction, sizeof(correction), "%s",
				    why);
				snprintf(last, sizeof(last), "the answer was "
				    "rejected: %s", why);
			}
			free(got.body);
			continue;
		} else {
			free(body);
			error_detail(&got, detail, sizeof(detail));
			snprintf(last, sizeof(last), "the model server answered "
			    "HTTP %ld%s", got.status, detail);
			free(got.body);
			again = got.status == 429 || got.status >= 500;
			if (!again) {
				snprintf(err, errlen, "%s", last);
				goto out;
			}
		}
		if (again && try < attempts) {
			pause_ms(backoff);
			backoff = backoff * 2 > 4000 ? 4000 : backoff * 2;
		}
	}
	if (rc != 0)
		snprintf(err, errlen, "no usable answer in %d tries; the last: "
		    "%s", attempts, last);
out:
	free(url);
	return rc;
}
