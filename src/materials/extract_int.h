/*
 * extract_int.h - what the files of the extractor share; not an API (see
 * extract.h).
 *
 *	extract.c		sniffing, plain text, Markdown, extract_text(),
 *				the re-flow of lines that PDF shares
 *	extract_writer.c	UTF-8, character classes, the writer
 *	extract_html.c		HTML, with libxml2
 *	extract_pdf.c		PDF, with poppler: extract_pdf()
 *	extract_sandbox.c	extract_pdf() in a child process, both ends
 */
#ifndef LUDUS_MATERIALS_EXTRACT_INT_H
#define LUDUS_MATERIALS_EXTRACT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "materials/extract.h"

/* UTF-8 and character classes (extract_writer.c) */

size_t extract_utf8_next(const char *s, size_t n, uint32_t *cp);
bool extract_utf8_valid(const char *s, size_t n);
void extract_utf8_put(struct buf *b, uint32_t cp);
uint32_t extract_last_char(const char *s, size_t n, size_t *at);

/* What a character becomes in the output. */
enum cclass {
	C_KEEP,
	C_DROP,		/* controls, BOM, soft hyphen, zero-width space */
	C_SPACE,	/* tab and the Unicode spaces */
	C_LINE,		/* a line end */
	C_PARA		/* a line end that also ends a paragraph */
};

enum cclass extract_cclass(uint32_t cp);
uint32_t extract_first_char(const char *s, size_t n);

/* The writer (extract_writer.c) */

enum em_mode {
	EM_BLOCK,	/* blocks and lines as asked */
	EM_ITEM,	/* in a list item: only nested lists start lines */
	EM_FLAT		/* in a heading or a table cell: one line */
};

struct em {
	struct buf b;
	size_t max;		/* output bytes allowed */
	bool over;		/* more than max was written: stop */
	int want;		/* newlines due before the next line, 1 or 2 */
	bool space;		/* a space is due before the next character */
	bool inl;		/* the current line has text */
	char prefix[16];	/* due at the start of the next line */
	enum em_mode mode;
	bool cell;		/* '|' becomes '/' */
};

void extract_em_init(struct em *e, size_t max);
void extract_em_end_line(struct em *e, int level);
void extract_em_break(struct em *e, int level);
void extract_em_block(struct em *e, int level, const char *prefix);
void extract_em_text(struct em *e, const char *s, size_t n);
void extract_em_texts(struct em *e, const char *s);
void extract_em_raw_line(struct em *e, const char *s, size_t n, int level);
void extract_em_code(struct em *e, const char *s, size_t n);
int extract_em_finish(struct em *e, char **out, char *err, size_t errlen);

void extract_info_clear(struct extract_info *info);
void extract_set_title(struct extract_info *info, const char *s, size_t n);

/* Lines re-flowed into paragraphs: plain text and PDF (extract.c) */

enum brk {
	L_JOIN,		/* goes on the paragraph of the line before */
	L_HYPH,		/* the same, and the hyphen before it goes */
	L_BREAK		/* starts a block */
};

struct line {
	size_t off, len;	/* in the text */
	enum brk brk;
	int heading;		/* 1..2 for a heading line, else 0 */
	bool drop;		/* a page number */
	bool geo;		/* the box below is known */
	int page;
	double x0, y0, x1, y1;	/* points, y down */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

struct line *extract_lines_add(struct lines *l);
bool extract_bullet(const char *s, size_t n, char prefix[16],
    size_t *skip);
size_t extract_trimmed(const char *s, size_t n);
void extract_flow(struct em *e, const char *text, struct line *v,
    size_t n);

/* Formats (extract_html.c, extract_pdf.c) */

int extract_html(const char *s, size_t n, struct em *e,
    struct extract_info *info, char *err, size_t errlen);

/* err from a printf format; -1. */
int extract_pdf_refuse(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
