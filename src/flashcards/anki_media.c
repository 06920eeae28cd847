/*
 * anki_media.c - the images and sounds of an Anki package, read for
 * anki_read (anki_media_read in anki_int.h), and the protobuf reader that
 * both the media map and the schema 18 collection's configs are read with
 * (anki_pb_field).
 *
 * Why it is built so.  The media map names each file twice: the zip entry
 * holding it and the name the notes use.  Older packages write it as
 * JSON, {"0": "osi.png", "1": "port22.mp3"}, with the files stored as
 * they are; the latest as zstd-compressed protobuf (MediaEntries, below),
 * the i-th file in entry "i" and compressed with zstd too.  Which one a
 * package holds is told by the bytes, not by its meta entry: zstd's magic
 * number at the start of the map or of a file, then JSON's '{' or else
 * protobuf.
 *
 * The map is as hostile as the rest of the package.  A file is kept or
 * counted in skipped_media, never a reason to refuse the package; a map
 * that cannot be read at all keeps no file.  Every byte zstd makes is
 * counted, for the map against max_json, for a file against
 * max_media_file and, kept or not, against max_media_total; the ratio is
 * checked as for the collection (anki_too_compressed, anki_read.c).  The
 * first of a name is the one taken: a name seen again is skipped, even
 * when its first file could not be read.
 */
#include "flashcards/anki.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zip.h>
#include <zstd.h>

#include "core/alloc.h"
#include "flashcards/anki_int.h"
#include "flashcards/media.h"

/* ---- Protobuf: a strict reader. ---- */

/*
 * Protobuf, as far as the collection's configs and the media map need
 * it: varints, length-delimited fields, and skipping the others.  Every
 * step checks what is left, so a malformed message is refused, never
 * read past.
 */

/* Reads a protobuf varint at p[*i]; false when malformed. */
static bool
pb_uvarint(const unsigned char *p, size_t n, size_t *i, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && *i < n; shift += 7) {
		unsigned char c = p[(*i)++];

		*v |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0)
			return true;
	}
	return false;
}

/* The bytes of a length-delimited field at p[*i]: where, how many. */
static bool
pb_bytes(const unsigned char *p, size_t n, size_t *i, size_t *at,
    size_t *len)
{
	uint64_t v;

	if (!pb_uvarint(p, n, i, &v) || v > n - *i)
		return false;
	*at = *i;
	*len = (size_t)v;
	*i += (size_t)v;
	return true;
}

/*
 * Steps over the value of a field of wire type wt at p[*i]; false when it
 * is malformed or a group (wire types 3 and 4, which nothing Anki writes
 * uses).
 */
static bool
pb_skip(const unsigned char *p, size_t n, size_t *i, uint64_t wt)
{
	uint64_t v;
	size_t at, len;

	switch (wt) {
	case 0:
		return pb_uvarint(p, n, i, &v);
	case 1:
		if (n - *i < 8)
			return false;
		*i += 8;
		return true;
	case 2:
		return pb_bytes(p, n, i, &at, &len);
	case 5:
		if (n - *i < 4)
			return false;
		*i += 4;
		return true;
	default:
		return false;
	}
}

/*
 * The varint field number `field` of a protobuf message: its value, 0
 * when absent (proto3's default) or when the message is malformed.
 */
uint64_t
anki_pb_field(const unsigned char *p, size_t n, uint64_t field)
{
	size_t i = 0;
	uint64_t key, v;

	while (i < n) {
		if (!pb_uvarint(p, n, &i, &key))
			return 0;
		if ((key & 7) == 0 && key >> 3 == field)
			return pb_uvarint(p, n, &i, &v) ? v : 0;
		if (!pb_skip(p, n, &i, key & 7))
			return 0;
	}
	return 0;
}

/* ---- Media: the map and its files. ---- */

static const unsigned char zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

/* A file of the map: its name (in the map's memory) and zip entry. */
struct mref {
	const char *name;
	size_t len;
	size_t order;		/* in the map */
	char entry[24];		/* "" for a key no zip entry can have */
	bool dup;		/* a name seen before */
};

/* The map's files, at most max of them (more are counted in extra). */
struct mrefs {
	struct mref *v;
	size_t n, cap, max, extra;
};

/* Adds a file of the map, or counts it when the list is full. */
static struct mref *
mref_add(struct mrefs *m, const char *name, size_t len)
{
	struct mref *r;

	if (m->n >= m->max) {
		m->extra++;
		return NULL;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	r = &m->v[m->n];
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->len = len;
	r->order = m->n++;
	return r;
}

/* True for the entries of a package that are not media files. */
static bool
entry_not_media(const char *name)
{
	return anki_collection_rank(name) > 0 || strcmp(name, "media") == 0 ||
	    strcmp(name, "meta") == 0;
}

/* zip_fread until n bytes or the end; -1 on an error. */
static zip_int64_t
fread_full(zip_file_t *zf, unsigned char *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		zip_int64_t r = zip_fread(zf, p + got, n - got);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (zip_int64_t)got;
}

/* Bytes unpacked, held while a file is read. */
struct mbuf {
	unsigned char *p;
	size_t len, cap;
};

static void
mbuf_put(struct mbuf *b, const unsigned char *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : IO_CHUNK;

		while (cap < b->len + n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/*
 * Zip entry idx whole into b, unpacked from zstd when it starts as zstd
 * does: false when it cannot be read (damaged, encrypted, a zstd frame
 * cut short) or would be more than cap bytes or compressed past the
 * ratio.  Every byte made is added to *made, whether it is kept or not.
 */
static bool
entry_read(zip_t *za, zip_uint64_t idx, ZSTD_DCtx *dz, size_t cap,
    const struct anki_limits *lim, uint64_t *made, struct mbuf *b)
{
	unsigned char *in = NULL, *obuf = NULL;
	zip_file_t *zf = NULL;
	zip_stat_t st;
	uint64_t raw = 0;
	size_t left = 0;
	bool zstd = false, ok = false;

	b->len = 0;
	zip_stat_init(&st);
	/*
	 * What the zip declares was checked by package_open (anki_read.c);
	 * a file that zstd could not make fit in cap is not worth opening.
	 */
	if (zip_stat_index(za, idx, 0, &st) != 0 ||
	    (st.valid & ZIP_STAT_SIZE) == 0 ||
	    (cap < SIZE_MAX / 2 && st.size > ZSTD_compressBound(cap)) ||
	    (zf = zip_fopen_index(za, idx, 0)) == NULL)
		return false;
	in = xmalloc(IO_CHUNK);
	for (bool first = true;; first = false) {
		zip_int64_t n = fread_full(zf, in, IO_CHUNK);

		if (n < 0)
			goto out;
		if (n == 0)
			break;
		raw += (uint64_t)n;
		if (raw > st.size)
			goto out;
		if (first && n >= 4 && memcmp(in, zstd_magic, 4) == 0) {
			unsigned long long size = ZSTD_getFrameContentSize(in,
			    (size_t)n);

			/* A frame that says it is too large is not unpacked. */
			if (size != ZSTD_CONTENTSIZE_UNKNOWN &&
			    size != ZSTD_CONTENTSIZE_ERROR && size > cap)
				goto out;
			zstd = true;
			obuf = xmalloc(IO_CHUNK);
			ZSTD_DCtx_reset(dz, ZSTD_reset_session_only);
		}
		if (!zstd) {
			*made += (uint64_t)n;
			if (b->len + (size_t)n > cap)
				goto out;
			mbuf_put(b, in, (size_t)n);
			continue;
		}
		{
			ZSTD_inBuffer ib = {in, (size_t)n, 0};
			ZSTD_outBuffer ob;

			do {
				ob.dst = obuf;
				ob.size = IO_CHUNK;
				ob.pos = 0;
				left = ZSTD_decompressStream(dz, &ob, &ib);
				if (ZSTD_isError(left))
					goto out;
				*made += ob.pos;
				if (b->len + ob.pos > cap ||
				    anki_too_compressed(b->len + ob.pos,
				    st.comp_size, lim))
					goto out;
				mbuf_put(b, obuf, ob.pos);
			} while (ib.pos < ib.size || ob.pos == ob.size);
		}
	}
	ok = !zstd || left == 0;
out:
	zip_fclose(zf);
	free(in);
	free(obuf);
	return ok;
}

/* A JSON map, {"0": "osi.png", ...}: its files into m; -1 if it is not. */
static int
map_json(json_t *root, struct mrefs *m, size_t *bad)
{
	const char *key;
	json_t *v;

	if (!json_is_object(root))
		return -1;
	json_object_foreach(root, key, v) {
		const char *name = json_string_value(v);
		size_t len = name != NULL ? json_string_length(v) : 0;
		struct mref *r;

		if (name == NULL || !media_name_ok(name, len)) {
			(*bad)++;
			continue;
		}
		if ((r = mref_add(m, name, len)) != NULL &&
		    strlen(key) < sizeof(r->entry))
			memcpy(r->entry, key, strlen(key) + 1);
	}
	return 0;
}

/*
 * A protobuf map, as Anki's import_export.proto has it:
 *
 *	message MediaEntries { repeated MediaEntry entries = 1; }
 *	message MediaEntry {
 *		string name = 1; uint32 size = 2; bytes sha1 = 3;
 *		optional uint32 legacy_zip_filename = 255;
 *	}
 *
 * The i-th entry's file is the zip entry "i", or the number of
 * legacy_zip_filename when it has one.  Its files into m; -1 when it is
 * malformed.  The size and the SHA-1 are not needed: the bytes are
 * counted as they are unpacked.
 */
static int
map_protobuf(const unsigned char *p, size_t n, struct mrefs *m, size_t *bad)
{
	size_t i = 0;

	for (uint64_t index = 0; i < n; ) {
		uint64_t key, v, entry = index;
		size_t at, len, j = 0, name = 0, name_len = 0;
		const unsigned char *e;
		struct mref *r;

		if (!pb_uvarint(p, n, &i, &key))
			return -1;
		if (key >> 3 != 1) {
			if (key >> 3 == 0 || !pb_skip(p, n, &i, key & 7))
				return -1;
			continue;
		}
		if ((key & 7) != 2 || !pb_bytes(p, n, &i, &at, &len))
			return -1;
		e = p + at;
		while (j < len) {
			if (!pb_uvarint(e, len, &j, &key) || key >> 3 == 0)
				return -1;
			if (key >> 3 == 1) {
				if ((key & 7) != 2 || !pb_bytes(e, len, &j,
				    &name, &name_len))
					return -1;
			} else if (key >> 3 == 255) {
				if ((key & 7) != 0 || !pb_uvarint(e, len, &j,
				    &v) || v > UINT32_MAX)
					return -1;
				entry = v;
			} else if (!pb_skip(e, len, &j, key & 7))
				return -1;
		}
		index++;
		if (!media_name_ok((const char *)e + name, name_len)) {
			(*bad)++;
			continue;
		}
		if ((r = mref_add(m, (const char *)e + name, name_len)) != NULL)
			snprintf(r->entry, sizeof(r->entry), "%" PRIu64,
			    entry);
	}
	return 0;
}

static int
mref_name_cmp(const void *a, const void *b)
{
	const struct mref *x = *(const struct mref *const *)a;
	const struct mref *y = *(const struct mref *const *)b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return (x->len > y->len) - (x->len < y->len);
	return (x->order > y->order) - (x->order < y->order);
}

/* Marks every file of a name but its first: sorted, not hashed. */
static void
mrefs_dups(struct mrefs *m)
{
	struct mref **by;

	if (m->n < 2)
		return;
	by = xcalloc(m->n, sizeof(*by));
	for (size_t i = 0; i < m->n; i++)
		by[i] = &m->v[i];
	qsort(by, m->n, sizeof(*by), mref_name_cmp);
	for (size_t i = 1; i < m->n; i++)
		by[i]->dup = by[i]->len == by[i - 1]->len &&
		    memcmp(by[i]->name, by[i - 1]->name, by[i]->len) == 0;
	free(by);
}

/* One file of the map, kept in out or counted. */
static void
media_take(zip_t *za, ZSTD_DCtx *dz, const struct mref *r,
    const struct anki_limits *lim, uint64_t *spent, struct mbuf *b,
    struct anki_deck_data *out)
{
	struct anki_media *f;
	zip_int64_t idx;
	size_t cap = lim->max_media_file;

	if (r->dup || out->n_media >= lim->max_media ||
	    *spent >= lim->max_media_total || r->entry[0] == '\0' ||
	    entry_not_media(r->entry) ||
	    (idx = zip_name_locate(za, r->entry, 0)) < 0) {
		out->skipped_media++;
		return;
	}
	if (lim->max_media_total - *spent < cap)
		cap = (size_t)(lim->max_media_total - *spent);
	if (!entry_read(za, (zip_uint64_t)idx, dz, cap, lim, spent, b)) {
		out->skipped_media++;
		return;
	}
	/* Full at every power of two: then twice as large. */
	if ((out->n_media & (out->n_media - 1)) == 0)
		out->media = xrealloc(out->media, (out->n_media ?
		    out->n_media * 2 : 1) * sizeof(*out->media));
	f = &out->media[out->n_media++];
	f->name = xstrndup(r->name, r->len);
	f->len = b->len;
	f->data = xrealloc(b->p, b->len > 0 ? b->len : 1);
	memset(b, 0, sizeof(*b));
}

/*
 * A map that cannot be read keeps no file; the files the package was
 * meant to bring are taken to be its entries that are not the
 * collection, the map or meta (what an uploader is told is missing).
 */
static void
media_unread(zip_t *za, struct anki_deck_data *out)
{
	zip_int64_t n = zip_get_num_entries(za, 0);

	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);

		if (name != NULL && !entry_not_media(name))
			out->skipped_media++;
	}
}

/* The package's media files into out; none when there is no map. */
void
anki_media_read(zip_t *za, const struct anki_limits *lim,
    struct anki_deck_data *out)
{
	struct mbuf map = {0}, file = {0};
	struct mrefs m = {0};
	json_t *root = NULL;
	ZSTD_DCtx *dz = NULL;
	zip_int64_t idx = zip_name_locate(za, "media", 0);
	uint64_t made = 0, spent = 0;
	size_t bad = 0, i = 0;
	int rc = -1;

	if (idx < 0)
		return;
	if ((dz = ZSTD_createDCtx()) == NULL ||
	    ZSTD_isError(ZSTD_DCtx_setParameter(dz, ZSTD_d_windowLogMax,
	    ZSTD_WINDOW_MAX)) ||
	    !entry_read(za, (zip_uint64_t)idx, dz, lim->max_json, lim,
	    &made, &map))
		goto out;
	/* No more files than the zip can hold entries. */
	m.max = lim->max_entries;
	while (i < map.len && (map.p[i] == ' ' || map.p[i] == '\t' ||
	    map.p[i] == '\n' || map.p[i] == '\r'))
		i++;
	if (i < map.len && map.p[i] == '{') {
		root = json_loadb((const char *)map.p, map.len, 0, NULL);
		rc = map_json(root, &m, &bad);
	} else
		rc = map_protobuf(map.p, map.len, &m, &bad);
	if (rc != 0)
		goto out;
	mrefs_dups(&m);
	for (size_t k = 0; k < m.n; k++)
		media_take(za, dz, &m.v[k], lim, &spent, &file, out);
	out->skipped_media += bad + m.extra;
out:
	if (rc != 0)
		media_unread(za, out);
	json_decref(root);
	ZSTD_freeDCtx(dz);
	free(m.v);
	free(map.p);
	free(file.p);
}
