/*
 * extract.h - the text of an uploaded study material, in one normalized
 * form the chunker reads ("light Markdown").
 *
 * The normalized text is valid UTF-8 without NUL or control characters
 * other than '\n', and ends with exactly one '\n'.  Blocks are separated
 * by exactly one blank line:
 *	# Title			a heading, 1 to 6 '#' and one space
 *	one paragraph		one line; soft line breaks became spaces
 *	- item / 1. item	one list item a line, no blank line between
 *	| a | b |		a table: header row, "| --- | --- |", rows;
 *				cells hold no '|' (it becomes '/')
 *	```			code, verbatim but for tabs (4 spaces),
 *				control characters and trailing spaces
 * Outside code, runs of spaces are one space and no line ends in a space.
 * Markdown uploads keep their own syntax (only the characters, line ends
 * and blank lines are normalized), so their lines are not re-flowed.
 *
 * PDF is parsed by poppler, a large C++ parser: the server reads PDFs in a
 * child process (extract_pdf_sandboxed) whose crash, hang or memory hunger
 * costs only that child.
 */
#ifndef LUDUS_MATERIALS_EXTRACT_H
#define LUDUS_MATERIALS_EXTRACT_H

#include <stddef.h>

enum mat_format { MAT_TEXT, MAT_MARKDOWN, MAT_HTML, MAT_PDF };

struct extract_limits {
	size_t max_chars;	/* bytes of normalized text, e.g. 2 MiB */
	int max_pages;		/* of a PDF, e.g. 500 */
};

struct extract_info {
	char title[256];	/* "" when none; one line, valid UTF-8 */
	int pages;		/* of a PDF; 0 for other formats */
};

/* The biggest PDF the sandboxed child reads from its stdin. */
#define EXTRACT_PDF_MAX_BYTES ((size_t)256 << 20)
/* The subcommand of the ludus program that extract_pdf_main() serves. */
#define EXTRACT_PDF_COMMAND "extract-pdf"

/*
 * The format of an upload, from its declared Content-Type checked against
 * its bytes.  Taken: text/plain, text/markdown, text/x-markdown,
 * text/html, application/xhtml+xml (charset utf-8 or us-ascii when
 * given) and application/pdf.  0 with *fmt; or -1 with err (a sentence for
 * the user) and *status the HTTP status to answer: 415 for a type we do
 * not take or a charset other than UTF-8, 422 for bytes that do not match
 * the type (a PDF sent as text or the reverse, text that is not valid
 * UTF-8) or that hold nothing (empty or only whitespace).
 */
int extract_sniff(const char *content_type, const void *data, size_t len,
    enum mat_format *fmt, int *status, char *err, size_t errlen);

/*
 * Normalizes text, Markdown or HTML (not PDF) in process.  0 with *out
 * (malloc'd) and *info filled (the HTML <title>, else the first level-1
 * heading); -1 with err when nothing but whitespace comes out ("The
 * material holds no text.") or when more than lim->max_chars would (an
 * error, never a silent cut).  Invalid UTF-8 becomes U+FFFD.  info may be
 * NULL.
 */
int extract_text(enum mat_format fmt, const void *data, size_t len,
    const struct extract_limits *lim, char **out, struct extract_info *info,
    char *err, size_t errlen);

/*
 * Normalizes a PDF in process with poppler.  Refuses with err an encrypted
 * document (one that needs a password to open), a damaged one, one with no
 * pages or more than lim->max_pages, one without text (a scan) and one
 * whose text passes lim->max_chars (reading stops there).  Paragraphs come
 * from blank space between lines, changes of font size, indentation and
 * short last lines; a line's hyphen before a lowercase continuation is
 * taken out; a page or column break ends a paragraph unless the sentence
 * obviously goes on; lone page numbers are dropped.  The title comes from
 * the document's metadata, else the first level-1 heading.  With probe,
 * only opens the document and checks it, without reading the pages: *out
 * is set to NULL (out may be NULL then).  info may be NULL.
 * Call it in a process that may die: see extract_pdf_sandboxed().
 */
int extract_pdf(const void *data, size_t len, const struct extract_limits *lim,
    int probe, char **out, struct extract_info *info, char *err,
    size_t errlen);

/*
 * extract_pdf() in a child process: runs `argv0 extract-pdf [--probe]
 * --max-chars N --max-pages N` (argv0, the ludus program; the server
 * passes "/proc/self/exe") without a shell, with no other descriptor than
 * its stdin and stdout pipes and its inherited stderr, and an environment
 * reduced to the sanitizers' options.  The PDF goes to its stdin while its
 * stdout is read (see extract_pdf_main for what it answers).  The child is
 * killed when timeout_ms passes or when it writes more than the text the
 * limits allow, and is always reaped before this returns.  Same results as
 * extract_pdf(); a child that dies, hangs or misbehaves gives "The PDF
 * could not be read..." in err.
 * The calling thread must not reap children with waitpid(-1, ...) meanwhile,
 * and SIGCHLD must not be ignored.  SIGPIPE is blocked in the calling
 * thread while it writes, so a child that dies early cannot kill us.
 */
int extract_pdf_sandboxed(const char *argv0, const void *data, size_t len,
    const struct extract_limits *lim, int probe, long timeout_ms,
    char **out, struct extract_info *info, char *err, size_t errlen);

/*
 * The same with another subcommand than EXTRACT_PDF_COMMAND: tests run
 * their own binary as a child that hangs or floods its output.
 */
int extract_pdf_sandboxed_cmd(const char *argv0, const char *command,
    const void *data, size_t len, const struct extract_limits *lim,
    int probe, long timeout_ms, char **out, struct extract_info *info,
    char *err, size_t errlen);

/*
 * main() of `ludus extract-pdf [--probe] --max-chars N --max-pages N`,
 * given main's argc and argv (argv[1] is the subcommand).  Limits itself
 * first (30 s of CPU, 1 GiB of address space unless built with
 * AddressSanitizer, no file writes, few descriptors, no core), reads the
 * PDF from stdin (at most EXTRACT_PDF_MAX_BYTES) and writes one JSON line,
 * {"ok":true,"pages":N,"title":"..."} or {"ok":false,"error":"..."},
 * then the normalized text.  Returns the exit status: 0 when it answered
 * (even "ok":false), 2 for bad arguments.
 */
int extract_pdf_main(int argc, char **argv);

#endif
