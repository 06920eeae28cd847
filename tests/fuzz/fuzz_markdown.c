/*
 * fuzz_markdown.c - libFuzzer target: lesson Markdown to safe HTML
 * (src/content/markdown.c, md4c and our URL rules) on any bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "content/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	free(markdown_to_html((const char *)data, size));
	markdown_url_ok((const char *)data, size, size & 1);
	return 0;
}
