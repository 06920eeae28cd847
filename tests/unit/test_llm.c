/*
 * test_llm.c - the language-model backend (src/materials/llm.h): the
 * request body, the parsing and checking of answers, and llm_generate()
 * end to end against a scripted chat-completions server on 127.0.0.1
 * (retries with a correction, backoff on 5xx, no retry on 401, timeout).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http/fetch.h"
#include "materials/asset.h"
#include "materials/llm.h"

#include "stub_server.h"

static const char *const sentences[] = {
	"SSH listens on port 22.",
	"It encrypts\nremote shells.",
	"DNS uses port 53.",
};
#define NS (sizeof(sentences) / sizeof(sentences[0]))

static const char good_card[] = "{\"assets\":[{\"kind\":\"basic\","
    "\"front\":\"Which port does SSH use?\",\"back\":\"22\",\"source\":[1]}]}";

/* A chat-completions answer body whose message is content. */
static char *
chat(const char *content, const char *model, const char *finish)
{
	json_t *doc = json_pack("{s:s, s:[{s:i, s:{s:s, s:s?}, s:s}]}",
	    "object", "chat.completion", "choices", "index", 0, "message",
	    "role", "assistant", "content", content, "finish_reason",
	    finish ? finish : "stop");
	char *s;

	if (model != NULL)
		json_object_set_new(doc, "model", json_string(model));
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return s;
}

/* Queues an HTTP answer with body on s. */
static void
push(struct srv *s, int delay_ms, int status, const char *body)
{
	srv_push(s, delay_ms, "HTTP/1.1 %d X\r\nContent-Type: application/json"
	    "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", status,
	    strlen(body), body);
}

static void
push_chat(struct srv *s, const char *content, const char *model)
{
	char *b = chat(content, model, NULL);

	push(s, 0, 200, b);
	free(b);
}

/* ---- the request ------------------------------------------------------- */

static const char *
msg(json_t *req, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(req, "messages"), i), key));
}

static void
request_body(void **state)
{
	json_t *req;

	(void)state;
	req = llm_request("tiny", "quiz", sentences, NS, 4, NULL);
	assert_non_null(req);
	assert_string_equal(json_string_value(json_object_get(req, "model")),
	    "tiny");
	assert_true(json_is_number(json_object_get(req, "temperature")));
	assert_true(json_number_value(json_object_get(req, "temperature")) ==
	    0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    req, "response_format"), "type")), "json_object");
	assert_true(json_is_false(json_object_get(req, "stream")));
	assert_int_equal(json_array_size(json_object_get(req, "messages")), 2);
	assert_string_equal(msg(req, 0, "role"), "system");
	assert_non_null(strstr(msg(req, 0, "content"), "multiple-choice"));
	assert_non_null(strstr(msg(req, 0, "content"), "\"answer\""));
	assert_non_null(strstr(msg(req, 0, "content"), "only JSON") ?
	    strstr(msg(req, 0, "content"), "only JSON") :
	    strstr(msg(req, 0, "content"), "one JSON object and nothing else"));
	assert_string_equal(msg(req, 1, "role"), "user");
	assert_non_null(strstr(msg(req, 1, "content"), "Write 4 "));
	/* Numbered from 1, one a line, line breaks inside flattened. */
	assert_non_null(strstr(msg(req, 1, "content"),
	    "\n[1] SSH listens on port 22.\n[2] It encrypts remote shells.\n"
	    "[3] DNS uses port 53.\n"));
	json_decref(req);

	req = llm_request("tiny", "quiz", sentences, NS, 4,
	    "assets[0].answer: must be between 0 and 1");
	assert_int_equal(json_array_size(json_object_get(req, "messages")), 3);
	assert_string_equal(msg(req, 2, "role"), "user");
	assert_non_null(strstr(msg(req, 2, "content"),
	    "rejected: assets[0].answer: must be between 0 and 1"));
	json_decref(req);

	assert_null(llm_request("tiny", "essay", sentences, NS, 1, NULL));
}

/* Each type's prompt names its own shape, and its example is valid. */
static void
prompts_hold_valid_examples(void **state)
{
	static const struct {
		const char *type, *mark, *ask;
	} t[] = {
		{"flashcard", "{{c1::", "Write 7 flashcards"},
		{"quiz", "\"options\"", "Write 7 multiple-choice"},
		{"summary", "\"text\"", "Write a summary"},
		{"key_terms", "\"acronym\"", "up to 7 key terms"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_t *req = llm_request("m", t[i].type, sentences, NS, 7, NULL);
		const char *sys = msg(req, 0, "content"), *ex;
		char *body, err[256] = "", model[64];
		json_t *assets;

		assert_non_null(strstr(sys, t[i].mark));
		assert_non_null(strstr(msg(req, 1, "content"), t[i].ask));
		ex = strstr(sys, "Example: ");
		assert_non_null(ex);
		body = chat(ex + 9, NULL, NULL);
		if (llm_parse(t[i].type, body, strlen(body), 6, &assets, model,
		    sizeof(model), err, sizeof(err)) != 0)
			fail_msg("%s: example refused: %s", t[i].type, err);
		json_decref(assets);
		free(body);
		json_decref(req);
	}
}

/* ---- parsing answers --------------------------------------------------- */

static int
parse(const char *type, const char *body, size_t n, json_t **assets,
    char *model, char *err)
{
	return llm_parse(type, body, strlen(body), n, assets, model, 64, err,
	    256);
}

/* The message content is refused with err containing want. */
static void
refused_content(const char *type, const char *content, const char *want)
{
	char *body = chat(content, "m", NULL), err[256] = "", model[64];
	json_t *assets = (json_t *)1;

	if (parse(type, body, NS, &assets, model, err) != -1)
		fail_msg("accepted: %s", content);
	assert_null(assets);
	if (strstr(err, want) == NULL)
		fail_msg("%s: err \"%s\" lacks \"%s\"", content, err, want);
	free(body);
}

static void
parse_good(void **state)
{
	char *body, err[256] = "", model[64];
	json_t *assets, *a;

	(void)state;
	body = chat("{\"assets\":[{\"kind\":\"basic\",\"front\":\"F?\","
	    "\"back\":\"B\",\"source\":[1,3]},{\"source\":[2],\"kind\":"
	    "\"cloze\",\"text\":\"It encrypts {{c1::remote shells}}.\"}]}",
	    "tiny-test-model", NULL);
	assert_int_equal(parse("flashcard", body, NS, &assets, model, err), 0);
	free(body);
	assert_string_equal(model, "tiny-test-model");
	assert_int_equal(json_array_size(assets), 2);
	a = json_array_get(assets, 0);
	assert_int_equal(json_object_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(a,
	    "content"), "front")), "F?");
	assert_null(json_object_get(json_object_get(a, "content"), "source"));
	assert_int_equal(json_array_size(json_object_get(a, "source")), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(a,
	    "source"), 1)), 3);
	a = json_array_get(assets, 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(a,
	    "content"), "kind")), "cloze");
	assert_int_equal(json_object_size(json_object_get(a, "content")), 2);
	json_decref(assets);

	/* No "model" in the answer: none reported. */
	body = chat(good_card, NULL, NULL);
	strcpy(model, "stale");
	assert_int_equal(parse("flashcard", body, NS, &assets, model, err), 0);
	assert_string_equal(model, "");
	json_decref(assets);
	free(body);
}

static void
parse_fenced(void **state)
{
	static const char *const fenced[][2] = {
		{"```json\n", "\n```"},
		{"```\n", "\n```"},
		{"\n  ```JSON\r\n", "\r\n```  \n"},
		{"  ", "\n\n"},
	};
	char content[1024], *body, err[256] = "", model[64];
	json_t *assets;

	(void)state;
	for (size_t i = 0; i < sizeof(fenced) / sizeof(fenced[0]); i++) {
		snprintf(content, sizeof(content), "%s%s%s", fenced[i][0],
		    good_card, fenced[i][1]);
		body = chat(content, "m", NULL);
		if (parse("flashcard", body, NS, &assets, model, err) != 0)
			fail_msg("%s: %s", content, err);
		assert_int_equal(json_array_size(assets), 1);
		json_decref(assets);
		free(body);
	}
	/* Prose around a fence is not tolerated. */
	snprintf(content, sizeof(content), "Here you go:\n```json\n%s\n```",
	    good_card);
	refused_content("flashcard", content, "not a JSON object");
}

static void
parse_bad_answers(void **state)
{
	static const struct {
		const char *body, *want;
	} bad[] = {
		{"<html>oops</html>", "not JSON"},
		{"", "not JSON"},
		{"[]", "no choices"},
		{"{\"object\":\"error\"}", "no choices"},
		{"{\"choices\":[]}", "no choices"},
		{"{\"choices\":[{}]}", "no message content"},
		{"{\"choices\":[{\"message\":{\"content\":null}}]}",
		    "no message content"},
		{"{\"choices\":[{\"message\":{\"content\":{\"assets\":[]}}}]}",
		    "no message content"},
	};
	char err[256], model[64];
	json_t *assets;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse("flashcard", bad[i].body, NS, &assets, model,
		    err) != -1)
			fail_msg("accepted: %s", bad[i].body);
		if (strstr(err, bad[i].want) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].body, err,
			    bad[i].want);
		assert_null(assets);
	}
	assert_int_equal(parse("essay", "{}", NS, &assets, model, err), -1);
}

static void
parse_bad_content(void **state)
{
	char *body, err[256] = "", model[64];
	json_t *assets;

	(void)state;
	refused_content("flashcard", "Sure! Here are your cards.",
	    "not a JSON object");
	refused_content("flashcard", "{\"assets\":[", "not a JSON object");
	refused_content("flashcard", "[{\"kind\":\"basic\"}]",
	    "must be a JSON object");
	refused_content("flashcard", "{\"cards\":[]}", "only \"assets\"");
	refused_content("flashcard", "{\"assets\":[],\"note\":\"x\"}",
	    "not \"note\"");
	refused_content("flashcard", "{\"assets\":[]}", "non-empty array");
	refused_content("flashcard", "{\"assets\":{}}", "non-empty array");
	refused_content("flashcard", "{\"assets\":[\"card\"]}",
	    "assets[0]: must be an object");
	refused_content("flashcard", "{\"assets\":[{\"kind\":\"basic\","
	    "\"front\":\"a\",\"back\":\"b\",\"source\":[1]},{\"kind\":"
	    "\"basic\",\"front\":\"a\",\"back\":\" \",\"source\":[1]}]}",
	    "assets[1].back: must not be empty");
	refused_content("quiz", "{\"assets\":[{\"stem\":\"q\",\"options\":"
	    "[\"a\",\"b\"],\"answer\":5,\"source\":[1]}]}",
	    "assets[0].answer: must be between 0 and 1");
	refused_content("quiz", "{\"assets\":[{\"stem\":\"q\",\"options\":"
	    "[\"a\",\"A\"],\"answer\":0,\"source\":[1]}]}",
	    "assets[0].options[1]: repeats options[0]");
	/* A flashcard is not a quiz. */
	refused_content("quiz", good_card, "assets[0].kind: is not a known");
	refused_content("summary", "{\"assets\":[{\"text\":\"x\",\"source\":"
	    "[1],\"title\":\"t\"}]}", "assets[0].title: is not a known field");
	refused_content("flashcard", "{\"assets\":[{\"kind\":\"basic\","
	    "\"front\":\"a\",\"back\":\"b\",\"source\":[1]}],"
	    "\"assets\":[]}", "duplicate");
	/* Cut off by the model's length limit. */
	body = chat("{\"assets\":[{\"kind\":\"basic\",\"fro", "m", "length");
	assert_int_equal(parse("flashcard", body, NS, &assets, model, err), -1);
	assert_non_null(strstr(err, "cut off"));
	free(body);
}

static void
parse_bad_sources(void **state)
{
	static const struct {
		const char *source, *want;
	} bad[] = {
		{NULL, "assets[0].source: is required"},
		{"[]", "assets[0].source: must be an array of 1 to 3"},
		{"[1,2,3,1]", "must be an array of 1 to 3"},
		{"1", "must be an array of 1 to 3"},
		{"[0]", "assets[0].source[0]: must be a sentence number from 1 "
		    "to 3"},
		{"[1,4]", "assets[0].source[1]: must be a sentence number"},
		{"[-1]", "source[0]: must be a sentence number"},
		{"[\"1\"]", "source[0]: must be a sentence number"},
		{"[1.0]", "source[0]: must be a sentence number"},
		{"[null]", "source[0]: must be a sentence number"},
		{"[2,3,2]", "assets[0].source[2]: repeats sentence 2"},
	};
	char content[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(content, sizeof(content), "{\"assets\":[{\"text\":"
		    "\"A summary.\"%s%s}]}", bad[i].source ? ",\"source\":" :
		    "", bad[i].source ? bad[i].source : "");
		refused_content("summary", content, bad[i].want);
	}
	refused_content("summary", "{\"assets\":[{\"text\":\"ok\",\"source\":"
	    "[3]},{\"text\":\"again\"}]}", "assets[1].source: is required");
}

/* ---- llm_generate against a scripted server --------------------------- */

struct fixture {
	struct srv *srv;
	char url[64];
	struct llm_config c;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->srv = srv_start("127.0.0.1");
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d/v1",
	    f->srv->port);
	f->c.url = f->url;
	f->c.model = "cfg-model";
	f->c.key = "sk-test";
	f->c.timeout_ms = 3000;
	f->c.attempts = 3;
	f->c.allow_http = true;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	srv_stop(f->srv);
	free(f);
	return 0;
}

static int
generate(struct fixture *f, const char *type, int count, json_t **assets,
    char *model, char *err)
{
	*assets = NULL;
	err[0] = '\0';
	return llm_generate(&f->c, type, sentences, NS, count, assets, model,
	    64, err, 256);
}

/* The JSON body of the i-th request the server received. */
static json_t *
request_json(struct fixture *f, size_t i)
{
	const char *r = strstr(srv_request(f->srv, i), "\r\n\r\n");
	json_t *j;

	assert_non_null(r);
	j = json_loads(r + 4, 0, NULL);
	assert_non_null(j);
	return j;
}

static void
generate_success(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256];
	const char *req;
	json_t *assets, *body;

	push_chat(f->srv, good_card, "served-model");
	assert_int_equal(generate(f, "flashcard", 5, &assets, model, err), 0);
	assert_int_equal(json_array_size(assets), 1);
	assert_string_equal(model, "served-model");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(assets, 0), "content"), "back")), "22");
	json_decref(assets);
	assert_int_equal(srv_requests(f->srv), 1);
	req = srv_request(f->srv, 0);
	assert_non_null(strstr(req, "POST /v1/chat/completions HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: Bearer sk-test\r\n"));
	assert_non_null(strstr(req, "\r\nContent-Type: application/json\r\n"));
	body = request_json(f, 0);
	assert_string_equal(json_string_value(json_object_get(body, "model")),
	    "cfg-model");
	assert_int_equal(json_array_size(json_object_get(body, "messages")), 2);
	json_decref(body);
}

static void
generate_defaults_and_trims(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256], url[80];
	json_t *assets;

	/* No model named in the answer: the configured one; no key: no
	 * Authorization; a base URL with a slash at its end. */
	snprintf(url, sizeof(url), "%s/", f->url);
	f->c.url = url;
	f->c.key = NULL;
	push_chat(f->srv, "{\"assets\":["
	    "{\"stem\":\"a?\",\"options\":[\"x\",\"y\"],\"answer\":0,\"source\":[1]},"
	    "{\"stem\":\"b?\",\"options\":[\"x\",\"y\"],\"answer\":1,\"source\":[2]},"
	    "{\"stem\":\"c?\",\"options\":[\"x\",\"y\"],\"answer\":0,\"source\":[3]}"
	    "]}", NULL);
	assert_int_equal(generate(f, "quiz", 2, &assets, model, err), 0);
	assert_string_equal(model, "cfg-model");
	/* More than asked: the first ones kept. */
	assert_int_equal(json_array_size(assets), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(assets, 1), "content"), "stem")), "b?");
	json_decref(assets);
	assert_non_null(strstr(srv_request(f->srv, 0),
	    "POST /v1/chat/completions "));
	assert_null(strcasestr(srv_request(f->srv, 0), "Authorization"));
	/* Nothing to ask for. */
	assert_int_equal(generate(f, "quiz", 0, &assets, model, err), -1);
	assert_int_equal(generate(f, "essay", 1, &assets, model, err), -1);
	assert_int_equal(srv_requests(f->srv), 1);
}

static void
generate_corrects_itself(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256];
	json_t *assets, *body, *msgs;

	push_chat(f->srv, "{\"assets\":[{\"kind\":\"basic\",\"front\":\"F\","
	    "\"back\":\"\",\"source\":[1]}]}", "m");
	push_chat(f->srv, good_card, "m");
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), 0);
	json_decref(assets);
	assert_int_equal(srv_requests(f->srv), 2);
	body = request_json(f, 1);
	msgs = json_object_get(body, "messages");
	assert_int_equal(json_array_size(msgs), 3);
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_array_get(msgs, 2), "content")),
	    "assets[0].back: must not be empty"));
	json_decref(body);
	/* The first try had no correction. */
	body = request_json(f, 0);
	assert_int_equal(json_array_size(json_object_get(body, "messages")), 2);
	json_decref(body);
}

static void
generate_gives_up(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256];
	json_t *assets;

	for (int i = 0; i < 4; i++)
		push_chat(f->srv, "I cannot do that.", "m");
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_null(assets);
	assert_int_equal(srv_requests(f->srv), 3);
	assert_non_null(strstr(err, "3 tries"));
	assert_non_null(strstr(err, "not a JSON object"));
}

static void
generate_retries_server_errors(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256];
	json_t *assets;

	push(f->srv, 0, 500, "{\"error\":{\"message\":\"overloaded\"}}");
	push_chat(f->srv, good_card, "m");
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), 0);
	json_decref(assets);
	assert_int_equal(srv_requests(f->srv), 2);

	push(f->srv, 0, 429, "{}");
	push(f->srv, 0, 503, "{}");
	push(f->srv, 0, 429, "{\"error\":{\"message\":\"slow\\ndown\"}}");
	push_chat(f->srv, good_card, "m");
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_int_equal(srv_requests(f->srv), 5);
	assert_non_null(strstr(err, "HTTP 429: slow?down"));
}

static void
generate_does_not_retry_client_errors(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256];
	json_t *assets;

	push(f->srv, 0, 404, "not json");
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_string_equal(err, "the model server answered HTTP 404");
	assert_int_equal(srv_requests(f->srv), 1);
	push(f->srv, 0, 401, "{\"error\":{\"message\":\"Incorrect API key\"}}");
	push_chat(f->srv, good_card, "m");
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_null(assets);
	assert_int_equal(srv_requests(f->srv), 2);
	assert_string_equal(err, "the model server answered HTTP 401: "
	    "Incorrect API key");
}

static void
generate_timeout(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256], *b = chat(good_card, "m", NULL);
	json_t *assets;

	f->c.timeout_ms = 300;
	push(f->srv, 3000, 200, b);
	push_chat(f->srv, good_card, "m");
	free(b);
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_null(assets);
	assert_string_equal(err, "the model did not answer within 300 ms");
	assert_int_equal(srv_requests(f->srv), 1);
}

static void
generate_unreachable(void **state)
{
	struct fixture *f = *state;
	char model[64], err[256];
	json_t *assets;

	(void)state;
	f->c.url = "http://127.0.0.1:1/v1";
	f->c.attempts = 2;
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_non_null(strstr(err, "2 tries"));
	assert_non_null(strstr(err, "could not reach the model"));
	/* https only unless allowed. */
	f->c.url = f->url;
	f->c.allow_http = false;
	f->c.attempts = 1;
	assert_int_equal(generate(f, "flashcard", 1, &assets, model, err), -1);
	assert_int_equal(srv_requests(f->srv), 0);
}

int
main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(request_body),
		cmocka_unit_test(prompts_hold_valid_examples),
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_fenced),
		cmocka_unit_test(parse_bad_answers),
		cmocka_unit_test(parse_bad_content),
		cmocka_unit_test(parse_bad_sources),
	};
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest io[] = {
		T(generate_success),
		T(generate_defaults_and_trims),
		T(generate_corrects_itself),
		T(generate_gives_up),
		T(generate_retries_server_errors),
		T(generate_does_not_retry_client_errors),
		T(generate_timeout),
		T(generate_unreachable),
	};
	int failed;

	if (fetch_init() != 0)
		return 1;
	failed = cmocka_run_group_tests_name("pure", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("io", io, NULL, NULL);
	curl_global_cleanup();
	return failed;
}
