/*
 * fuzz_anki.c - libFuzzer target: the Anki package reader
 * (src/flashcards/anki_read.c) on any bytes, under the default limits made
 * smaller where a run would be slow.  It must refuse or read, never crash
 * or leak; what it reads must make sense (notes of a known kind, cards of
 * kept notes with ordinals their notes make, in order, reviews in time
 * order with ratings 1..4, media files of good names, each once, none
 * larger than the limit), and must go through anki_write and back to the
 * same number of notes and no more media files.  (Not always as many: a
 * file that is itself zstd data is unpacked once more when read back.)
 *
 * The zip checks the CRC of what it holds, so a mutated collection inside
 * a package is mostly refused before SQLite sees it.  Input that starts
 * as an SQLite database or a zstd frame is therefore put in a package
 * here first (collection.anki2 or collection.anki21b, stored), which lets
 * the fuzzer reach the collection's reading; any other input is the
 * package itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "flashcards/anki.h"
#include "flashcards/cloze.h"
#include "flashcards/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = {"basic", "reversed", "cloze"};

static void
broken(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_anki: %s (%zu)\n", what, i);
	abort();
}

/* True when the note makes the card of that ordinal. */
static int
note_makes(const struct anki_note *n, int kind, int ordinal)
{
	int ords[CLOZE_MAX], count;
	const char *why;

	if (kind != NOTE_CLOZE)
		return ordinal == 0 || (kind == NOTE_REVERSED && ordinal == 1);
	count = cloze_ordinals(n->front, ords, &why);
	for (int k = 0; k < count; k++)
		if (ords[k] == ordinal)
			return 1;
	return 0;
}

/* Aborts unless d holds what anki.h promises of a deck read. */
static void
check(const struct anki_deck_data *d, const struct anki_limits *lim)
{
	uint64_t total = 0;

	if (d->name == NULL)
		broken("no deck name", 0);
	if (d->n_media > lim->max_media)
		broken("more media files than the limit", d->n_media);
	for (size_t i = 0; i < d->n_media; i++) {
		const struct anki_media *m = &d->media[i];

		if (m->name == NULL || m->data == NULL ||
		    !media_name_ok(m->name, strlen(m->name)))
			broken("a media file of a bad name", i);
		if (m->len > lim->max_media_file)
			broken("a media file larger than the limit", i);
		total += m->len;
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->media[k].name, m->name) == 0)
				broken("two media files of a name", i);
	}
	if (total > lim->max_media_total)
		broken("more media bytes than the limit", d->n_media);
	for (size_t i = 0; i < d->n_notes; i++) {
		const struct anki_note *n = &d->notes[i];
		int known = 0;

		for (size_t k = 0; k < 3 && n->kind != NULL; k++)
			known |= strcmp(n->kind, kinds[k]) == 0;
		if (!known)
			broken("a note of an unknown kind", i);
		if (n->front == NULL || n->back == NULL)
			broken("a note without its front or back", i);
		if (n->n_tags > 20)
			broken("a note with more than 20 tags", i);
	}
	for (size_t i = 0; i < d->n_cards; i++) {
		const struct anki_card *c = &d->cards[i];

		if (c->note >= d->n_notes)
			broken("a card of no note", i);
		if (!note_makes(&d->notes[c->note],
		    note_kind_parse(d->notes[c->note].kind), c->ordinal))
			broken("a card its note does not make", i);
		if (i > 0 && (c->note < c[-1].note || (c->note == c[-1].note &&
		    c->ordinal <= c[-1].ordinal)))
			broken("cards out of note and ordinal order", i);
		for (size_t r = 0; r < c->n_reviews; r++) {
			const struct anki_review *rv = &c->reviews[r];

			if (rv->rating < 1 || rv->rating > 4)
				broken("a rating outside 1..4", i);
			if (r > 0 && rv->at < rv[-1].at)
				broken("reviews out of time order", i);
		}
	}
}

/* A package of one stored entry holding the n bytes at p; 0 or -1. */
static int
package(const char *name, const void *p, size_t n, void **out,
    size_t *outlen)
{
	zip_source_t *src, *s;
	zip_stat_t st;
	zip_t *za;
	zip_int64_t idx;

	if ((src = zip_source_buffer_create(NULL, 0, 0, NULL)) == NULL)
		return -1;
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, NULL)) == NULL) {
		zip_source_free(src);
		return -1;
	}
	zip_source_keep(src);
	if ((s = zip_source_buffer(za, p, n, 0)) == NULL ||
	    (idx = zip_file_add(za, name, s, 0)) < 0) {
		zip_source_free(s);
		zip_discard(za);
		zip_source_free(src);
		return -1;
	}
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	if (zip_close(za) != 0) {
		zip_discard(za);
		zip_source_free(src);
		return -1;
	}
	if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0) {
		zip_source_free(src);
		return -1;
	}
	*out = malloc(st.size > 0 ? st.size : 1);
	*outlen = st.size;
	if (*out == NULL ||
	    zip_source_read(src, *out, st.size) != (zip_int64_t)st.size) {
		free(*out);
		*out = NULL;
	}
	zip_source_close(src);
	zip_source_free(src);
	return *out != NULL ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};
	struct anki_limits lim, def;
	struct anki_deck_data d, back;
	const char *entry = NULL;
	void *wrapped = NULL, *out = NULL;
	size_t outlen = 0;
	char why[200];

	if (size >= 16 && memcmp(data, "SQLite format 3", 16) == 0)
		entry = "collection.anki2";
	else if (size >= 4 && memcmp(data, zstd_magic, 4) == 0)
		entry = "collection.anki21b";
	if (entry != NULL) {
		if (package(entry, data, size, &wrapped, &size) != 0)
			return 0;
		data = wrapped;
	}
	anki_limits_default(&lim);
	lim.max_package = 1 << 20;
	lim.max_entry = 8 << 20;
	lim.max_notes = 2000;
	lim.max_sql_steps = 2000000;
	lim.max_media = 500;
	lim.max_media_total = 16 << 20;
	anki_limits_default(&def);
	if (anki_read(data, size, &lim, &d, why, sizeof(why)) != 0) {
		if (why[0] == '\0')
			broken("a refusal without a reason", 0);
		free(wrapped);
		return 0;
	}
	check(&d, &lim);
	if (anki_write(&d, &out, &outlen, why, sizeof(why)) != 0) {
		fprintf(stderr, "fuzz_anki: anki_write: %s\n", why);
		broken("a deck read cannot be written", d.n_notes);
	}
	if (anki_read(out, outlen, NULL, &back, why, sizeof(why)) != 0) {
		fprintf(stderr, "fuzz_anki: anki_read: %s\n", why);
		broken("a package written cannot be read", d.n_notes);
	}
	check(&back, &def);
	if (back.n_notes != d.n_notes)
		broken("the round trip changed the number of notes",
		    back.n_notes);
	if (back.n_media > d.n_media)
		broken("the round trip made more media files", back.n_media);
	anki_free(&back);
	anki_free(&d);
	free(out);
	free(wrapped);
	return 0;
}
