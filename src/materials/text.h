/*
 * text.h - the words and sentences of a material's normalized text.
 * Pure code: no I/O, no locale, the same output for the same input.
 *
 * The text is "light Markdown" (see chunk.h): headings, one-line
 * paragraphs, list items, tables and fenced code, plus what learners type
 * in ordinary Markdown (emphasis, inline code, links, soft line breaks).
 * Everything here works on byte ranges of that text, so a span found here
 * can be stored and shown later as text[start..end).
 */
#ifndef LUDUS_MATERIALS_TEXT_H
#define LUDUS_MATERIALS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes [start, end) of a text. */
struct text_span {
	size_t start, end;
};

/* What a line of light Markdown is (text_line_kind). */
enum text_line {
	LINE_BLANK,
	LINE_HEADING,	/* "# Title" .. "###### Title" */
	LINE_ITEM,	/* "- x", "* x", "+ x", "1. x", "1) x" */
	LINE_ROW,	/* "| a | b |" */
	LINE_RULE,	/* a table's "| --- | :-: |" line */
	LINE_FENCE,	/* ``` or ~~~, opening or closing code */
	LINE_BREAK,	/* a thematic break: ---, ***, ___ */
	LINE_QUOTE,	/* "> x" */
	LINE_TEXT	/* anything else: paragraph text */
};

/*
 * The kind of the line s[0..n) (no '\n' in it).  *body is set to where its
 * content starts: after the '#'s, the list marker or "> ", at the '|' of
 * a row, at the first non-blank byte otherwise.  *level (may be NULL) to
 * the heading level (1-6), else 0.
 */
enum text_line text_line_kind(const char *s, size_t n, size_t *body,
    int *level);

/* What a sentence is. */
enum text_kind {
	TEXT_PROSE,	/* a sentence of a paragraph or quote */
	TEXT_HEADING,	/* a heading's title, without the '#'s */
	TEXT_ITEM,	/* a list item, without its marker */
	TEXT_ROW,	/* a table row, pipes included */
	TEXT_HEAD_ROW	/* a table's header row (the row above its rule) */
};

struct text_sent {
	size_t start, end;	/* no blank at either end */
	enum text_kind kind;
};

/*
 * The sentences of s[0..n) in order, as a malloc'd array in *out (free()
 * it; NULL when there are none), and how many.  Code (between fences) and
 * table rules make no sentence; in_code says that s starts inside a fenced
 * code block (a chunk that continues one).
 *
 * A paragraph is cut after '.', '!' or '?' (and closing quotes or
 * brackets) followed by a blank and an uppercase letter, a digit, a quote
 * or an opening bracket, or by its end; not after abbreviations (e.g.,
 * i.e., Dr., Fig. 2, No. 5, vs.), initials and acronyms (J. Smith, U.S.),
 * nor after an ellipsis.  "3.5" and "192.168.0.1" never cut since no blank
 * follows their dots.  Headings, list items and table rows are a sentence
 * each; soft line breaks inside a paragraph or an item are blanks.
 */
size_t text_sentences(const char *s, size_t n, bool in_code,
    struct text_sent **out);

/*
 * The next word of s[0..n) at or after *pos, in *w, moving *pos past it;
 * false when none is left.  A word is a run of letters and digits (any
 * non-ASCII letter counts, kept as its UTF-8 bytes) with apostrophes and
 * hyphens inside it ("don't", "Berners-Lee") and dots between digits
 * ("3.5", "192.168.0.1").  Link addresses ("[t](u)", "<u>") and bare URLs
 * are skipped: they are not words of the text.
 */
bool text_next_word(const char *s, size_t n, size_t *pos,
    struct text_span *w);

/* How many words (text_next_word) s[0..n) holds. */
size_t text_word_count(const char *s, size_t n);

/*
 * The word w[0..n) case-folded for comparison into dst (which holds n
 * bytes): ASCII letters lowered, a typographic apostrophe made '\''.
 * Returns the length written.  Other bytes are copied: only ASCII folds,
 * so that no locale is involved.
 */
size_t text_fold(char *dst, const char *w, size_t n);

/* Whether the word w[0..n) is an English stopword, in any ASCII case. */
bool text_is_stopword(const char *w, size_t n);

/*
 * s[0..n) as plain text for display, malloc'd: emphasis markers, code
 * backticks, escapes and HTML tags removed, links and images reduced to
 * their text, common entities decoded, blanks and line breaks collapsed to
 * one space, no blank at either end.  Never NULL.
 */
char *text_plain(const char *s, size_t n);

/*
 * The cells of the table row s[0..n) ("| a | b |"), trimmed, into cell
 * (room for max); returns how many the row has (more than max when it
 * did not fit).  "\|" does not separate cells.
 */
size_t text_cells(const char *s, size_t n, struct text_span *cell,
    size_t max);

/* Whether the byte at p (inside s[0..n)) starts a letter or digit. */
bool text_is_word_at(const char *s, size_t n, size_t p);

/*
 * Where the whole word or phrase w (plain text) first occurs in s: at a
 * position with no letter or digit on either side; ASCII case ignored
 * when nocase.  -1 when it does not.
 */
long text_find_word(const char *s, const char *w, bool nocase);

#endif
