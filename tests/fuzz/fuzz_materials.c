/*
 * fuzz_materials.c - libFuzzer target: what a study material's job and a
 * language model's answer go through, on any bytes.  The first byte picks
 * the path: HTML or Markdown normalized (extract.c), then cut into chunks
 * and given to the built-in generator (chunk.c, generate.c); or a
 * chat-completions answer parsed and checked (llm.c, asset.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "materials/chunk.h"
#include "materials/extract.h"
#include "materials/generate.h"
#include "materials/llm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
pipeline(enum mat_format fmt, const uint8_t *data, size_t size)
{
	struct extract_limits lim = {(size_t)1 << 20, 50};
	struct extract_info info;
	struct chunk *c = NULL;
	struct gen_result g = {0};
	char err[256], *text = NULL;
	size_t n = 0;

	if (extract_text(fmt, data, size, &lim, &text, &info, err,
	    sizeof(err)) != 0)
		return;
	if (chunk_text(text, strlen(text), NULL, &c, &n, err,
	    sizeof(err)) == 0) {
		generate(text, strlen(text), c, n, NULL, &g);
		gen_result_free(&g, n);
	}
	chunks_free(c, n);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {"flashcard", "quiz", "summary",
	    "key_terms"};
	json_t *assets = NULL;
	char model[64], err[256];

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		pipeline(MAT_HTML, data + 1, size - 1);
		break;
	case 1:
		pipeline(MAT_MARKDOWN, data + 1, size - 1);
		break;
	case 2:
		pipeline(MAT_TEXT, data + 1, size - 1);
		break;
	default:
		if (llm_parse(types[(data[0] >> 2) % 4], (const char *)data + 1,
		    size - 1, 8, &assets, model, sizeof(model), err,
		    sizeof(err)) == 0)
			json_decref(assets);
		break;
	}
	return 0;
}
