/*
 * chunk.h - a material's text cut into chunks: pieces small enough to
 * study, summarize and generate from one at a time.  Pure code.
 *
 * The text is light Markdown: "# Title" headings (1-6 '#'), paragraphs
 * separated by a blank line, "- " and "1. " list items, "| a | b |" tables
 * (a header row, then "| --- | --- |"), code between ``` fences.  It is
 * parsed into blocks; a heading starts a chunk, which takes the following
 * blocks while it stays under max_words; a block too big for a chunk of
 * its own is cut (a paragraph between sentences, a list between items, a
 * table or code between lines); a chunk smaller than min_words is merged
 * with the next one of the same section.
 */
#ifndef LUDUS_MATERIALS_CHUNK_H
#define LUDUS_MATERIALS_CHUNK_H

#include <stddef.h>

#define CHUNK_MAX_WORDS 300
#define CHUNK_MIN_WORDS 40
#define CHUNK_MAX_CHUNKS 5000

struct chunk {
	int order;		/* 0, 1, ... in the text */
	/*
	 * "section" when it mixes kinds of block (or holds only headings);
	 * else the one kind it holds besides headings: "paragraph", "list",
	 * "table" or "code".  A static string.
	 */
	const char *type;
	size_t start, end;	/* the chunk is text[start..end) */
	/*
	 * When the chunk continues a table or a code block cut in pieces,
	 * text[head_start..head_end) is the table's header row and rule, or
	 * the code's opening fence line (newline included), to put before
	 * text[start..end) when the chunk is shown alone.  Equal otherwise.
	 */
	size_t head_start, head_end;
	int words;		/* words shown: the head's and the chunk's */
	char *heading;		/* "Networking > OSI model"; "" before any */
};

/* Zero or negative fields take the defaults above. */
struct chunk_params {
	int max_words, min_words, max_chunks;
};

/*
 * Cuts text[0..len) into chunks, in order, covering every word of it
 * outside blank lines and thematic breaks.  A malloc'd array in *out and
 * its length in *n (0 and NULL for a text without words); free with
 * chunks_free().  p may be NULL for the defaults.  -1 with a message in
 * err when the text makes more than max_chunks chunks; 0 otherwise.
 *
 * No chunk holds more than max_words words besides its headings (and the
 * head of a cut table), except a single word run longer than that.
 */
int chunk_text(const char *text, size_t len, const struct chunk_params *p,
    struct chunk **out, size_t *n, char *err, size_t errlen);

void chunks_free(struct chunk *c, size_t n);

/* The kinds of block (chunk_blocks). */
enum chunk_block_kind {
	BLOCK_HEADING,
	BLOCK_PARAGRAPH,
	BLOCK_LIST,
	BLOCK_TABLE,
	BLOCK_CODE
};

struct chunk_block {
	enum chunk_block_kind kind;
	size_t start, end;	/* from its first line to its last, no '\n' */
	int level;		/* a heading's, 1-6 */
	/*
	 * The end of a table's header (its rule line, '\n' included) or of
	 * a code block's opening fence line; start when it has none.
	 */
	size_t head;
	int words;
};

/*
 * The blocks of text[0..len) in order, malloc'd in *out (free()); how
 * many.  Blank lines and thematic breaks make none; a quote is a
 * paragraph; a text line right after a list item continues the item.
 */
size_t chunk_blocks(const char *text, size_t len, struct chunk_block **out);

#endif
