/*
 * matgen.c - how fast a study material is processed (make bench): the
 * work of the materials.process job apart from the database, on one core.
 *
 *	matgen LUDUS_BIN FILE...
 *
 * The Markdown files, joined and repeated up to about 1 MiB, go through
 * extract_text (normalizing), chunk_text and generate, each timed alone
 * and repeated for at least a second; then a PDF of the same text (made
 * here with cairo, 60 lines a page) is read by extract_pdf in this
 * process and by extract_pdf_sandboxed in a child (LUDUS_BIN
 * extract-pdf), as the job reads it.  One JSON object on stdout: sizes,
 * MB/s of each text stage and pages/s of each PDF reading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "core/buf.h"
#include "materials/chunk.h"
#include "materials/extract.h"
#include "materials/generate.h"

#define CORPUS_BYTES (1u << 20)
#define LINES_PER_PAGE 60
#define MIN_SECONDS 1.0

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

/* One stage of the text pipeline, run on the corpus. */
enum stage { EXTRACT, CHUNK, GENERATE, ALL };

static int
run_stage(enum stage st, const char *md, size_t len, const char *text,
    size_t tlen, const struct chunk *c, size_t n)
{
	struct extract_limits lim = {(size_t)8 << 20, 500};
	char err[256], *out = NULL;
	struct chunk *cs = NULL;
	struct gen_result g = {0};
	size_t k = 0;
	int rc = 0;

	switch (st) {
	case EXTRACT:
		rc = extract_text(MAT_MARKDOWN, md, len, &lim, &out, NULL, err,
		    sizeof(err));
		free(out);
		break;
	case CHUNK:
		rc = chunk_text(text, tlen, NULL, &cs, &k, err, sizeof(err));
		chunks_free(cs, k);
		break;
	case GENERATE:
		rc = generate(text, tlen, c, n, NULL, &g);
		gen_result_free(&g, n);
		break;
	case ALL:
		if ((rc = extract_text(MAT_MARKDOWN, md, len, &lim, &out, NULL,
		    err, sizeof(err))) == 0 && (rc = chunk_text(out,
		    strlen(out), NULL, &cs, &k, err, sizeof(err))) == 0) {
			rc = generate(out, strlen(out), cs, k, NULL, &g);
			gen_result_free(&g, k);
		}
		chunks_free(cs, k);
		free(out);
		break;
	}
	return rc;
}

/* MB/s of a stage over len bytes, run for at least MIN_SECONDS. */
static double
time_stage(enum stage st, const char *md, size_t len, const char *text,
    size_t tlen, const struct chunk *c, size_t n)
{
	double t0 = now_s(), t;
	int rounds = 0;

	do {
		if (run_stage(st, md, len, text, tlen, c, n) != 0) {
			fprintf(stderr, "matgen: stage %d failed\n", (int)st);
			exit(1);
		}
		rounds++;
	} while ((t = now_s() - t0) < MIN_SECONDS);
	return (double)len * rounds / t / 1e6;
}

static cairo_status_t
pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
	buf_put(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* The text as a PDF, LINES_PER_PAGE lines of at most 90 bytes a page. */
static char *
make_pdf(const char *text, size_t *len, int *pages)
{
	struct buf b = {0};
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pdf_write, &b,
	    595, 842);
	cairo_t *cr = cairo_create(s);
	const char *p = text;
	int line = 0;
	char row[96];

	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 9);
	*pages = 1;
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (n > 90)
			n = 90;
		/* Cut at a character's start, never inside one. */
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		memcpy(row, p, n);
		row[n] = '\0';
		p += n;
		if (*p == '\n')
			p++;
		if (n == 0)
			continue;
		if (line == LINES_PER_PAGE) {
			cairo_show_page(cr);
			line = 0;
			(*pages)++;
		}
		cairo_move_to(cr, 40, 50 + 12.5 * line++);
		cairo_show_text(cr, row);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	*len = b.len;
	return buf_take(&b);
}

/* Pages/s of reading the PDF, in this process or in a child. */
static double
time_pdf(const char *ludus, const char *pdf, size_t len, int pages)
{
	struct extract_limits lim = {(size_t)8 << 20, 5000};
	double t0 = now_s(), t;
	char err[256], *out;
	int rounds = 0, rc;

	do {
		out = NULL;
		rc = ludus == NULL ? extract_pdf(pdf, len, &lim, 0, &out, NULL,
		    err, sizeof(err)) : extract_pdf_sandboxed(ludus, pdf, len,
		    &lim, 0, 120000, &out, NULL, err, sizeof(err));
		free(out);
		if (rc != 0) {
			fprintf(stderr, "matgen: the PDF: %s\n", err);
			exit(1);
		}
		rounds++;
	} while ((t = now_s() - t0) < MIN_SECONDS);
	return (double)pages * rounds / t;
}

int
main(int argc, char **argv)
{
	struct extract_limits lim = {(size_t)8 << 20, 500};
	struct buf corpus = {0};
	struct chunk *c = NULL;
	struct gen_result g = {0};
	char err[256], *md, *text, *pdf;
	size_t len, tlen, n = 0, plen;
	int pages;

	if (argc < 3) {
		fprintf(stderr, "usage: matgen LUDUS_BIN FILE...\n");
		return 2;
	}
	while (corpus.len < CORPUS_BYTES)
		for (int i = 2; i < argc && corpus.len < CORPUS_BYTES; i++) {
			char *s = slurp(argv[i], &len);

			buf_put(&corpus, s, len);
			buf_puts(&corpus, "\n\n");
			free(s);
		}
	len = corpus.len;
	md = buf_take(&corpus);
	if (extract_text(MAT_MARKDOWN, md, len, &lim, &text, NULL, err,
	    sizeof(err)) != 0 || chunk_text(text, tlen = strlen(text), NULL,
	    &c, &n, err, sizeof(err)) != 0) {
		fprintf(stderr, "matgen: %s\n", err);
		return 1;
	}
	if (generate(text, tlen, c, n, NULL, &g) != 0)
		return 1;
	printf("{\"corpus_bytes\": %zu, \"chunks\": %zu, \"assets\": %zu, ",
	    len, n, g.nassets);
	gen_result_free(&g, n);
	printf("\"extract_mb_s\": %.2f, ", time_stage(EXTRACT, md, len, text,
	    tlen, c, n));
	printf("\"chunk_mb_s\": %.2f, ", time_stage(CHUNK, md, len, text, tlen,
	    c, n));
	printf("\"generate_mb_s\": %.2f, ", time_stage(GENERATE, md, len, text,
	    tlen, c, n));
	printf("\"process_mb_s\": %.2f, ", time_stage(ALL, md, len, text, tlen,
	    c, n));
	/* Half of the text makes a PDF of a hundred pages or more. */
	text[tlen / 2] = '\0';
	pdf = make_pdf(text, &plen, &pages);
	printf("\"pdf_pages\": %d, \"pdf_bytes\": %zu, ", pages, plen);
	printf("\"pdf_pages_s\": %.1f, ", time_pdf(NULL, pdf, plen, pages));
	printf("\"pdf_sandboxed_pages_s\": %.1f}\n", time_pdf(argv[1], pdf,
	    plen, pages));
	free(pdf);
	chunks_free(c, n);
	free(text);
	free(md);
	return 0;
}
