/*
 * fuzz_markdown.c - libFuzzer target: lesson Markdown to safe HTML
 * (src/core/markdown.c, md4c and our URL rules) on any bytes, and a
 * card's HTML with its deck's media made addresses (src/flashcards/
 * media.c): what md4c wrote, then the raw bytes themselves, which need
 * not be HTML md4c would write.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/markdown.h"
#include "flashcards/media.h"

#define DECK "11111111-2222-4333-8444-555555555555"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *html = markdown_to_html((const char *)data, size), *text;

	if (html != NULL)
		free(media_html(html, DECK));
	free(html);
	markdown_url_ok((const char *)data, size, size & 1);
	media_name_ok((const char *)data, size);
	if ((text = malloc(size + 1)) != NULL) {
		memcpy(text, data, size);
		text[size] = '\0';
		free(media_html(text, DECK));
		free(text);
	}
	return 0;
}
