/*
 * llm.h - an optional language model that writes study assets, spoken to
 * through the OpenAI-compatible chat-completions API (OpenAI, Ollama,
 * llama.cpp's server, vLLM...).
 *
 * Nothing the model says is trusted: its answer must be one JSON object
 * {"assets":[...]}, each asset the content of asset.h plus "source", the
 * numbers of the 1 to 3 sentences of the chunk it comes from, and each
 * must pass asset_validate().  An answer that does not is sent back with
 * the reason, so the model can correct itself, until the tries run out.
 *
 * llm_request() and llm_parse() are pure; llm_generate() does the I/O.
 */
#ifndef LUDUS_MATERIALS_LLM_H
#define LUDUS_MATERIALS_LLM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define LLM_MAX_ANSWER		(1024 * 1024)	/* bytes of an HTTP answer */
#define LLM_ATTEMPTS		3	/* when the configuration says 0 */
#define LLM_MAX_SOURCES		3	/* sentences an asset may cite */

struct llm_config {
	const char *url;	/* endpoint base: "http://127.0.0.1:11434/v1" */
	const char *model;
	const char *key;	/* sent as "Authorization: Bearer"; NULL: none */
	long timeout_ms;	/* of each try */
	int attempts;		/* tries in all; 0: LLM_ATTEMPTS */
	bool allow_http;	/* plain http (a model on the same machine) */
};

/*
 * Asks the model at c for assets of one type (asset.h) from one chunk,
 * given as its sentences.  count is how many assets for "flashcard" and
 * "quiz", how many terms for "key_terms" (one asset), and is ignored for
 * "summary" (one asset); more than asked are dropped, fewer are kept.
 * POSTs {url}/chat/completions.  Rejected answers (see llm_parse()) are
 * tried again with the reason added to the conversation; HTTP 429, 5xx
 * and failed connections after a short backoff; other 4xx and a timeout
 * are not tried again.  At most c->attempts tries in all.
 * 0 with *assets a new JSON array of {"content":{...},"source":[n...]}
 * and model_used the model the server says answered (else c->model); or
 * -1 with err saying why.
 */
int llm_generate(const struct llm_config *c, const char *type,
    const char *const *sentences, size_t nsentences, int count,
    json_t **assets, char *model_used, size_t mlen, char *err,
    size_t errlen);

/*
 * The request body of one try: the system prompt of type, the sentences
 * numbered from 1 as "[1] ...", one per line, and when correction is not
 * NULL a last message telling the model why its previous answer was
 * rejected.  Temperature 0, a JSON object asked for.  A new reference.
 */
json_t *llm_request(const char *model, const char *type,
    const char *const *sentences, size_t n, int count,
    const char *correction);

/*
 * Parses one chat-completions answer body and checks the assets in
 * choices[0].message.content (which may be wrapped in ``` fences) against
 * type and nsentences.  0 with *assets as for llm_generate() and
 * model_used the answer's "model" ("" when absent), or -1 with err saying
 * exactly what was wrong ("assets[1].options[2]: must not be empty"),
 * in words meant for the model as much as for the log.
 */
int llm_parse(const char *type, const char *body, size_t len,
    size_t nsentences, json_t **assets, char *model_used, size_t mlen,
    char *err, size_t errlen);

#endif
