/*
 * anki_read.c - Anki packages read into plain memory (anki_read,
 * anki_free and anki_limits_default in anki.h).
 *
 * Why it is built so.  A package is uploaded by anyone, so reading it is
 * a series of bounded steps, each refusing before it spends more than the
 * limits allow: the zip's directory is checked first (entry count, names,
 * declared sizes and ratios), then the collection is unpacked into a
 * private temporary file while the bytes actually produced are counted (a
 * zip or zstd bomb stops at the limit, whatever the headers claim), then
 * SQLite opens that file read-only and immutable, with views, triggers and
 * extensions off, small limits and a budget of virtual machine steps.
 * Every query is a plain scan with a LIMIT; sorting and joining are done
 * here, in memory bounded by those limits.  Rows that make no sense are
 * skipped and counted, never trusted: an id that names nothing, an
 * ordinal out of range, a time before Anki existed.  Last, the media
 * files the package's map names are unpacked one at a time, counted the
 * same way; a file that fails is skipped, never the package (that part,
 * and the protobuf reader the schema 18 configs are read with too, is in
 * anki_media.c).
 */
#include "flashcards/anki.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>
#include <zip.h>
#include <zstd.h>

#include "core/alloc.h"
#include "flashcards/anki_int.h"
#include "flashcards/cloze.h"
#include "flashcards/media.h"

#define MIB		((uint64_t)1 << 20)
#define RATIO_FLOOR	MIB		/* the ratio counts past this */
#define MAX_MODELS	10000
#define MAX_TEMPLATES	100000
#define MAX_TAGS	20		/* Ludus's tags_ok() */
#define MAX_TAG_LEN	40
#define MAX_NAME	200		/* a deck's title */
#define MAX_GUID	64
#define DURATION_MAX	86400000	/* a day, in ms */
#define KIND_SKIP	(-1)		/* a note type Ludus cannot take */

static const char *const kind_names[] = {"basic", "reversed", "cloze"};

void
anki_limits_default(struct anki_limits *lim)
{
	lim->max_package = (size_t)(100 * MIB);
	lim->max_entries = 100000;
	lim->max_entry = 256 * MIB;
	lim->max_total = 256 * MIB;
	lim->max_ratio = 200;
	lim->max_json = (size_t)(8 * MIB);
	lim->max_notes = 50000;
	lim->max_cards = 200000;
	lim->max_reviews = 1000000;
	lim->max_field = 10000;
	lim->max_sql_steps = 50000000;
	lim->max_media = 5000;
	lim->max_media_file = MEDIA_FILE_MAX;
	lim->max_media_total = 500 * MIB;
}

/* Writes the reason into why; always -1. */
int
anki_fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- Text of the collection: tags, guids and deck names. ---- */

/*
 * Anki's tags as Ludus tags: ASCII letters and digits lowercased, every
 * other run (the "::" of a hierarchy too) one hyphen, at most 40
 * characters and 20 tags, each once.
 */
static void
tags_read(const char *s, size_t n, struct anki_note *note)
{
	size_t i = 0;

	while (i < n && note->n_tags < MAX_TAGS) {
		char t[MAX_TAG_LEN + 1];
		size_t start, k = 0;
		bool dup = false;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
			i++;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
			i++;
		if (start == i)
			break;
		for (size_t j = start; j < i && k < MAX_TAG_LEN; j++) {
			unsigned char c = (unsigned char)s[j];

			if (anki_ascii_alnum(c))
				t[k++] = (char)(c >= 'A' && c <= 'Z' ?
				    c | 0x20 : c);
			else if (k > 0 && t[k - 1] != '-')
				t[k++] = '-';
		}
		while (k > 0 && t[k - 1] == '-')
			k--;
		t[k] = '\0';
		for (size_t j = 0; j < note->n_tags && !dup; j++)
			dup = strcmp(note->tags[j], t) == 0;
		if (k == 0 || dup)
			continue;
		note->tags = xrealloc(note->tags,
		    (note->n_tags + 1) * sizeof(*note->tags));
		note->tags[note->n_tags++] = xstrdup(t);
	}
}

/* A guid worth keeping: 1 to 64 bytes of printable ASCII. */
char *
anki_guid_read(const char *s, size_t n)
{
	if (n == 0 || n > MAX_GUID)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return NULL;
	return xstrndup(s, n);
}

/*
 * A deck name fit for a Ludus title: valid UTF-8, schema 18's 0x1f
 * separators as "::", control characters dropped, trimmed, at most 200
 * characters; "Anki deck" when nothing is left.
 */
static char *
name_clean(const char *s, size_t n)
{
	struct buf b = {0};
	size_t i = 0, chars = 0, start, end;
	char *out;

	while (i < n && chars < MAX_NAME) {
		uint32_t cp = anki_utf8_get((const unsigned char *)s, n, &i);

		if (cp == 0x1f) {
			buf_puts(&b, "::");
			chars += 2;
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			buf_putc(&b, ' ');
			chars++;
		} else if (cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0)) {
			anki_utf8_put(&b, cp);
			chars++;
		}
	}
	out = buf_take(&b);
	for (start = 0; out[start] == ' '; start++)
		;
	for (end = strlen(out); end > start && out[end - 1] == ' '; end--)
		;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
	if (out[0] == '\0') {
		free(out);
		return xstrdup("Anki deck");
	}
	/* Cut at 200 characters, "::" counted whole: never past it. */
	while (anki_utf8_chars(out) > MAX_NAME) {
		size_t l = strlen(out);

		while (l > 0 && ((unsigned char)out[l - 1] & 0xc0) == 0x80)
			l--;
		out[l > 0 ? l - 1 : 0] = '\0';
	}
	return out;
}

/* ---- The package: the zip, and the collection unpacked. ---- */

struct package {
	zip_t *za;
	zip_uint64_t coll;	/* the collection's entry */
	uint64_t size, packed;	/* as declared */
	bool zstd;		/* collection.anki21b */
};

/* True when out bytes from in packed bytes pass the ratio limit. */
bool
anki_too_compressed(uint64_t out, uint64_t in,
    const struct anki_limits *lim)
{
	if (lim->max_ratio == 0 || out <= RATIO_FLOOR)
		return false;
	if (in > UINT64_MAX / lim->max_ratio)
		return false;
	return out > in * lim->max_ratio;
}

/* A name that could leave the folder it is unpacked in. */
static bool
name_unsafe(const char *name)
{
	const char *p = name;

	if (name[0] == '/' || strchr(name, '\\') != NULL)
		return true;
	if (((name[0] >= 'a' && name[0] <= 'z') ||
	    (name[0] >= 'A' && name[0] <= 'Z')) && name[1] == ':')
		return true;
	while (*p != '\0') {
		size_t seg = strcspn(p, "/");

		if (seg == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += seg;
		if (*p == '/')
			p++;
	}
	return false;
}

/* Which collection a name is: 3 the newest, 0 none. */
int
anki_collection_rank(const char *name)
{
	if (strcmp(name, "collection.anki21b") == 0)
		return 3;
	if (strcmp(name, "collection.anki21") == 0)
		return 2;
	if (strcmp(name, "collection.anki2") == 0)
		return 1;
	return 0;
}

/* Opens the zip and checks its directory; finds the collection. */
static int
package_open(const void *data, size_t len, const struct anki_limits *lim,
    struct package *pkg, char *why, size_t whylen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_int64_t n;
	zip_stat_t best;
	uint64_t total = 0;
	int rank = 0;

	if (data == NULL || len == 0)
		return anki_fail(why, whylen, "not a zip file (it is empty)");
	if (len > lim->max_package)
		return anki_fail(why, whylen, "the package is larger than %zu "
		    "bytes", lim->max_package);
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return anki_fail(why, whylen, "the package cannot be read");
	}
	if ((pkg->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		int code = zip_error_code_zip(&ze);

		zip_source_free(src);
		zip_error_fini(&ze);
		return anki_fail(why, whylen, code == ZIP_ER_NOZIP ?
		    "not a zip file" : "the zip file is damaged");
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(pkg->za, 0);
	if (n < 0 || (uint64_t)n > lim->max_entries)
		return anki_fail(why, whylen, "too many entries in the package "
		    "(limit %zu)", lim->max_entries);
	zip_stat_init(&best);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		int r;

		zip_stat_init(&st);
		if (zip_stat_index(pkg->za, (zip_uint64_t)i, 0, &st) != 0 ||
		    (st.valid & ZIP_STAT_NAME) == 0 ||
		    (st.valid & ZIP_STAT_SIZE) == 0 ||
		    (st.valid & ZIP_STAT_COMP_SIZE) == 0)
			return anki_fail(why, whylen, "the zip file is "
			    "damaged");
		if (name_unsafe(st.name))
			return anki_fail(why, whylen, "path traversal in an "
			    "entry name");
		if (st.size > lim->max_entry)
			return anki_fail(why, whylen, "an entry would unpack "
			    "to more than %" PRIu64 " bytes", lim->max_entry);
		total += st.size;
		if (total > lim->max_total)
			return anki_fail(why, whylen, "the package would "
			    "unpack to more than %" PRIu64 " bytes",
			    lim->max_total);
		if (anki_too_compressed(st.size, st.comp_size, lim))
			return anki_fail(why, whylen, "an entry is compressed "
			    "more than %u to 1", lim->max_ratio);
		if ((r = anki_collection_rank(st.name)) > rank) {
			rank = r;
			best = st;
			pkg->coll = (zip_uint64_t)i;
		}
	}
	if (rank == 0)
		return anki_fail(why, whylen, "no Anki collection in the "
		    "package");
	if ((best.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 &&
	    best.encryption_method != ZIP_EM_NONE)
		return anki_fail(why, whylen, "the collection is encrypted");
	if ((best.valid & ZIP_STAT_COMP_METHOD) == 0 ||
	    !zip_compression_method_supported(best.comp_method, 0))
		return anki_fail(why, whylen, "the collection is compressed "
		    "in a way Ludus cannot read");
	pkg->size = best.size;
	pkg->packed = best.comp_size;
	pkg->zstd = rank == 3;
	return 0;
}

/* Where the unpacked collection goes, counted and checked. */
struct sink {
	int fd;
	uint64_t written, packed;
	unsigned char head[100];	/* SQLite's header */
	const struct anki_limits *lim;
};

static const char sqlite_magic[16] = "SQLite format 3";

static int
sink_write(struct sink *k, const unsigned char *p, size_t n, char *why,
    size_t whylen)
{
	if (n == 0)
		return 0;
	if (k->written + n > k->lim->max_entry)
		return anki_fail(why, whylen, "an entry would unpack to more "
		    "than %" PRIu64 " bytes", k->lim->max_entry);
	if (anki_too_compressed(k->written + n, k->packed, k->lim))
		return anki_fail(why, whylen, "an entry is compressed more "
		    "than %u to 1", k->lim->max_ratio);
	if (k->written < sizeof(k->head)) {
		size_t c = sizeof(k->head) - (size_t)k->written;

		memcpy(k->head + k->written, p, c < n ? c : n);
	}
	/* Garbage is refused at its 16th byte, not at its 256th MiB. */
	if (k->written < 16 && k->written + n >= 16 &&
	    memcmp(k->head, sqlite_magic, 16) != 0)
		return anki_fail(why, whylen, "the collection is not SQLite");
	k->written += n;
	while (n > 0) {
		ssize_t w = write(k->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return anki_fail(why, whylen, "could not write a "
			    "temporary file");
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* zstd frames from in, decompressed into k. */
static int
unzstd(ZSTD_DCtx *dz, const unsigned char *in, size_t n, unsigned char *obuf,
    struct sink *k, size_t *left, char *why, size_t whylen)
{
	ZSTD_inBuffer ib = {in, n, 0};
	ZSTD_outBuffer ob;

	do {
		ob.dst = obuf;
		ob.size = IO_CHUNK;
		ob.pos = 0;
		*left = ZSTD_decompressStream(dz, &ob, &ib);
		if (ZSTD_isError(*left))
			return anki_fail(why, whylen, "the collection is not "
			    "valid zstd data");
		if (sink_write(k, obuf, ob.pos, why, whylen) != 0)
			return -1;
	} while (ib.pos < ib.size || ob.pos == ob.size);
	return 0;
}

/*
 * Unpacks the collection into fd, counting every byte produced: past its
 * declared size (a forged header), past max_entry or past the ratio, it
 * stops.  A WAL database is marked a rollback one, since its -wal file
 * is not in the package and SQLite must not look for one.
 */
static int
extract(struct package *pkg, int fd, const struct anki_limits *lim,
    char *why, size_t whylen)
{
	struct sink k = {fd, 0, pkg->packed, {0}, lim};
	unsigned char *in = xmalloc(IO_CHUNK), *obuf = NULL;
	ZSTD_DCtx *dz = NULL;
	zip_file_t *zf;
	uint64_t raw = 0;
	size_t left = 0;
	int rc = -1;

	if ((zf = zip_fopen_index(pkg->za, pkg->coll, 0)) == NULL) {
		anki_fail(why, whylen, "the collection cannot be unpacked");
		goto out;
	}
	if (pkg->zstd) {
		obuf = xmalloc(IO_CHUNK);
		if ((dz = ZSTD_createDCtx()) == NULL ||
		    ZSTD_isError(ZSTD_DCtx_setParameter(dz,
		    ZSTD_d_windowLogMax, ZSTD_WINDOW_MAX))) {
			anki_fail(why, whylen, "out of memory");
			goto out;
		}
	}
	for (;;) {
		zip_int64_t n = zip_fread(zf, in, IO_CHUNK);

		if (n < 0) {
			anki_fail(why, whylen, "the collection is damaged");
			goto out;
		}
		if (n == 0)
			break;
		raw += (uint64_t)n;
		if (raw > pkg->size) {
			anki_fail(why, whylen, "an entry unpacks to more than "
			    "it declares");
			goto out;
		}
		if (dz != NULL ? unzstd(dz, in, (size_t)n, obuf, &k, &left, why,
		    whylen) != 0 : sink_write(&k, in, (size_t)n, why,
		    whylen) != 0)
			goto out;
	}
	if (dz != NULL && (left != 0 || raw == 0)) {
		anki_fail(why, whylen, "the collection is cut short");
		goto out;
	}
	if (k.written < sizeof(k.head) ||
	    memcmp(k.head, sqlite_magic, 16) != 0) {
		anki_fail(why, whylen, "the collection is not SQLite");
		goto out;
	}
	if (k.head[18] == 2 || k.head[19] == 2) {
		static const unsigned char legacy[2] = {1, 1};

		if (pwrite(fd, legacy, 2, 18) != 2) {
			anki_fail(why, whylen, "could not write a temporary "
			    "file");
			goto out;
		}
	}
	rc = 0;
out:
	if (zf != NULL)
		zip_fclose(zf);
	ZSTD_freeDCtx(dz);
	free(in);
	free(obuf);
	return rc;
}

/* A private file in $TMPDIR or /tmp; its fd, or -1. */
static int
temp_open(char **path)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	*path = xasprintf("%s/ludus-anki-XXXXXX", dir);
	if ((fd = mkostemp(*path, O_CLOEXEC)) < 0) {
		free(*path);
		*path = NULL;
	}
	return fd;
}

/* ---- The collection: SQLite, bounded. ---- */

enum {
	T_COL = 1, T_NOTES = 2, T_CARDS = 4, T_REVLOG = 8, T_NOTETYPES = 16,
	T_TEMPLATES = 32, T_DECKS = 64
};

struct model {
	int64_t id;
	int kind;		/* enum note_kind, or KIND_SKIP */
	unsigned templates;
	bool cloze, occlusion;
};

/* A kept note: its Anki id and place in out->notes. */
struct note_ref {
	int64_t id;
	size_t index;
};

/* What cards a kept note has, by ordinal (bits 0 .. 127). */
struct note_aux {
	int kind;
	uint64_t have[2], used[2];
};

struct card_ref {
	int64_t id;
	size_t index;		/* into out->cards */
};

struct reader {
	sqlite3 *db;
	const struct anki_limits *lim;
	struct anki_deck_data *out;
	uint64_t ticks, max_ticks;
	unsigned tables;
	struct model *models;
	size_t n_models;
	struct note_ref *notes;
	struct note_aux *aux;
	size_t n_refs, cap;
	struct card_ref *cards;
	int64_t deck;		/* holding most cards; -1 for none */
};

static bool
bit_get(const uint64_t m[2], int64_t b)
{
	return b >= 0 && b < 128 && (m[b / 64] >> (b % 64) & 1) != 0;
}

static void
bit_set(uint64_t m[2], int64_t b)
{
	if (b >= 0 && b < 128)
		m[b / 64] |= (uint64_t)1 << (b % 64);
}

/* Anki's "unicase" collation, enough to read tables declared with it. */
static int
unicase(void *arg, int na, const void *a, int nb, const void *b)
{
	int n = na < nb ? na : nb, d;

	(void)arg;
	for (int i = 0; i < n; i++) {
		int ca = ((const unsigned char *)a)[i];
		int cb = ((const unsigned char *)b)[i];

		ca = ca >= 'A' && ca <= 'Z' ? ca | 0x20 : ca;
		cb = cb >= 'A' && cb <= 'Z' ? cb | 0x20 : cb;
		if ((d = ca - cb) != 0)
			return d;
	}
	return na - nb;
}

/* The step budget: a non-zero return interrupts the statement. */
static int
progress(void *arg)
{
	struct reader *rd = arg;

	return ++rd->ticks > rd->max_ticks;
}

/* A reason for a failed SQLite call. */
static int
sql_fail(struct reader *rd, int rc, char *why, size_t whylen)
{
	switch (rc & 0xff) {
	case SQLITE_INTERRUPT:
		return anki_fail(why, whylen, "the collection needs more than %"
		    PRIu64 " steps to read", rd->lim->max_sql_steps);
	case SQLITE_NOTADB:
		return anki_fail(why, whylen, "the collection is not SQLite");
	case SQLITE_CORRUPT:
		return anki_fail(why, whylen, "the collection is damaged");
	case SQLITE_TOOBIG:
		return anki_fail(why, whylen, "a value in the collection is "
		    "too large");
	case SQLITE_NOMEM:
		return anki_fail(why, whylen, "out of memory reading the "
		    "collection");
	default:
		return anki_fail(why, whylen, "the collection is not an Anki "
		    "collection");
	}
}

/*
 * Opens path read-only and immutable (no journal, no lock, no -wal or
 * -shm file), defensive, without triggers, views or extensions, with
 * small limits and the step budget.
 */
static int
collection_open(struct reader *rd, const char *path, char *why,
    size_t whylen)
{
	struct buf uri = {0};
	int rc, length;

	buf_puts(&uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (anki_ascii_alnum(*p) || strchr("/._-~", *p) != NULL)
			buf_putc(&uri, (char)*p);
		else {
			char hex[4];

			snprintf(hex, sizeof(hex), "%%%02X", *p);
			buf_puts(&uri, hex);
		}
	}
	buf_puts(&uri, "?immutable=1");
	rc = sqlite3_open_v2(uri.s, &rd->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE,
	    NULL);
	free(uri.s);
	if (rc != SQLITE_OK)
		return anki_fail(why, whylen, "the collection is not SQLite");
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(rd->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	length = rd->lim->max_json < 32 * MIB ? (int)(32 * MIB) :
	    rd->lim->max_json >= 1000000000 ? 1000000000 :
	    (int)rd->lim->max_json + 1;
	sqlite3_limit(rd->db, SQLITE_LIMIT_LENGTH, length);
	sqlite3_limit(rd->db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(rd->db, SQLITE_LIMIT_COLUMN, 500);
	sqlite3_limit(rd->db, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(rd->db, SQLITE_LIMIT_COMPOUND_SELECT, 4);
	sqlite3_limit(rd->db, SQLITE_LIMIT_VDBE_OP, 25000);
	sqlite3_limit(rd->db, SQLITE_LIMIT_FUNCTION_ARG, 8);
	sqlite3_limit(rd->db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(rd->db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100);
	sqlite3_limit(rd->db, SQLITE_LIMIT_VARIABLE_NUMBER, 8);
	sqlite3_limit(rd->db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	sqlite3_limit(rd->db, SQLITE_LIMIT_WORKER_THREADS, 0);
	sqlite3_busy_timeout(rd->db, 0);
	rd->max_ticks = rd->lim->max_sql_steps / 1000 + 1;
	sqlite3_progress_handler(rd->db, 1000, progress, rd);
	sqlite3_create_collation(rd->db, "unicase", SQLITE_UTF8, NULL,
	    unicase);
	rc = sqlite3_exec(rd->db, "PRAGMA cell_size_check = ON;"
	    "PRAGMA mmap_size = 0;", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sql_fail(rd, rc, why, whylen);
}

static int
prepare(struct reader *rd, const char *sql, sqlite3_stmt **st, char *why,
    size_t whylen)
{
	int rc = sqlite3_prepare_v2(rd->db, sql, -1, st, NULL);

	return rc == SQLITE_OK ? 0 : sql_fail(rd, rc, why, whylen);
}

/* Column i as text and its length; "" for NULL. */
static const char *
col_text(sqlite3_stmt *st, int i, size_t *len)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	*len = s != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return s != NULL ? (const char *)s : "";
}

/* Ends a scan: 0 when it ran to the end, else the reason. */
static int
scan_end(struct reader *rd, sqlite3_stmt *st, int rc, char *why,
    size_t whylen)
{
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_fail(rd, rc, why, whylen);
}

/* The next word of SQL text at *p (comments and blanks skipped). */
static size_t
sql_word(const char **p, char *w, size_t wlen)
{
	const char *s = *p;
	size_t n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f')
			s++;
		if (s[0] == '-' && s[1] == '-')
			s += strcspn(s, "\n");
		else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e != NULL ? e + 2 : s + strlen(s);
		} else
			break;
	}
	while (anki_ascii_alnum((unsigned char)*s) || *s == '_') {
		if (n + 1 < wlen)
			w[n++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
		s++;
	}
	w[n] = '\0';
	*p = s;
	return n;
}

/* True for "CREATE [TEMP] TABLE ...": not a virtual table, not a view. */
static bool
plain_table(const char *sql)
{
	char w[16];

	if (sql == NULL || sql_word(&sql, w, sizeof(w)) == 0 ||
	    strcmp(w, "CREATE") != 0)
		return false;
	sql_word(&sql, w, sizeof(w));
	if (strcmp(w, "TEMP") == 0 || strcmp(w, "TEMPORARY") == 0)
		sql_word(&sql, w, sizeof(w));
	return strcmp(w, "TABLE") == 0;
}

/* Which of the tables read are there, as plain tables. */
static int
tables_check(struct reader *rd, char *why, size_t whylen)
{
	static const char *const names[] = {"col", "notes", "cards",
	    "revlog", "notetypes", "templates", "decks"};
	sqlite3_stmt *st;
	int rc;

	if (prepare(rd, "SELECT type, name, sql FROM sqlite_master WHERE name "
	    "IN ('col', 'notes', 'cards', 'revlog', 'notetypes', "
	    "'templates', 'decks')", &st, why, whylen) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *sql = (const char *)sqlite3_column_text(st, 2);

		if (type == NULL || name == NULL ||
		    strcmp(type, "table") != 0 || !plain_table(sql))
			continue;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(name, names[i]) == 0)
				rd->tables |= 1u << i;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	if ((rd->tables & (T_NOTES | T_CARDS)) != (T_NOTES | T_CARDS) ||
	    ((rd->tables & T_COL) == 0 &&
	    (rd->tables & (T_NOTETYPES | T_TEMPLATES)) !=
	    (T_NOTETYPES | T_TEMPLATES)))
		return anki_fail(why, whylen, "the collection is not an Anki "
		    "collection");
	return 0;
}

static int
model_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct model *)a)->id;
	int64_t y = ((const struct model *)b)->id;

	return (x > y) - (x < y);
}

static struct model *
model_find(struct reader *rd, int64_t id)
{
	struct model key = {.id = id};

	if (rd->n_models == 0)
		return NULL;
	return bsearch(&key, rd->models, rd->n_models, sizeof(key),
	    model_cmp);
}

/* The kind of every model, once its templates are known. */
static void
models_finish(struct reader *rd)
{
	for (size_t i = 0; i < rd->n_models; i++) {
		struct model *m = &rd->models[i];

		m->kind = m->occlusion ? KIND_SKIP : m->cloze ? NOTE_CLOZE :
		    m->templates == 2 ? NOTE_REVERSED : NOTE_BASIC;
	}
}

/* What a template's question says about its note type. */
static void
template_look(struct model *m, const void *text, size_t n)
{
	if (memmem(text, n, "{{cloze:", 8) != NULL ||
	    memmem(text, n, ":cloze:", 7) != NULL)
		m->cloze = true;
	if (memmem(text, n, "image-occlusion:", 16) != NULL)
		m->occlusion = true;
	m->templates++;
}

/* Schema 11: the note types are JSON in col.models. */
static int
models_json(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	json_t *root = NULL, *m;
	const char *key, *text;
	size_t len;
	int rc;

	if (prepare(rd, "SELECT models FROM col LIMIT 1", &st, why,
	    whylen) != 0)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? anki_fail(why, whylen, "the "
		    "collection is not an Anki collection") : sql_fail(rd, rc,
		    why, whylen);
	}
	text = col_text(st, 0, &len);
	if (len > rd->lim->max_json) {
		sqlite3_finalize(st);
		return anki_fail(why, whylen, "the note types take more than "
		    "%zu bytes", rd->lim->max_json);
	}
	root = json_loadb(text, len, 0, NULL);
	sqlite3_finalize(st);
	if (!json_is_object(root) || json_object_size(root) > MAX_MODELS) {
		json_decref(root);
		return anki_fail(why, whylen, "the note types cannot be read");
	}
	rd->models = xcalloc(json_object_size(root) + 1, sizeof(*rd->models));
	json_object_foreach(root, key, m) {
		struct model *md = &rd->models[rd->n_models++];
		json_t *id = json_object_get(m, "id"), *t;
		size_t i;

		md->id = json_is_integer(id) ? json_integer_value(id) :
		    strtoll(json_is_string(id) ? json_string_value(id) : key,
		    NULL, 10);
		t = json_object_get(m, "type");
		md->cloze = json_is_integer(t) && json_integer_value(t) == 1;
		json_array_foreach(json_object_get(m, "tmpls"), i, t) {
			const char *q = json_string_value(json_object_get(t,
			    "qfmt"));

			if (q != NULL)
				template_look(md, q, strlen(q));
			else
				md->templates++;
		}
	}
	json_decref(root);
	qsort(rd->models, rd->n_models, sizeof(*rd->models), model_cmp);
	models_finish(rd);
	return 0;
}

/*
 * Schema 18: note types in notetypes (kind in the config's field 1, 1 for
 * cloze) and their templates in templates (the question in the config).
 */
static int
models_tables(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	size_t cap = 16;
	int rc;

	if (prepare(rd, "SELECT id, config FROM notetypes LIMIT 10001", &st,
	    why, whylen) != 0)
		return -1;
	rd->models = xcalloc(cap, sizeof(*rd->models));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *cfg = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		struct model *m;

		if (rd->n_models == MAX_MODELS) {
			sqlite3_finalize(st);
			return anki_fail(why, whylen, "too many note types "
			    "(limit %d)", MAX_MODELS);
		}
		if (rd->n_models == cap) {
			cap *= 2;
			rd->models = xrealloc(rd->models, cap * sizeof(*m));
		}
		m = &rd->models[rd->n_models++];
		memset(m, 0, sizeof(*m));
		m->id = sqlite3_column_int64(st, 0);
		m->cloze = cfg != NULL && anki_pb_field(cfg, n, 1) == 1;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	qsort(rd->models, rd->n_models, sizeof(*rd->models), model_cmp);
	if (prepare(rd, "SELECT ntid, config FROM templates LIMIT 100001", &st,
	    why, whylen) != 0)
		return -1;
	for (size_t rows = 0; (rc = sqlite3_step(st)) == SQLITE_ROW;) {
		struct model *m = model_find(rd, sqlite3_column_int64(st, 0));
		const void *cfg = sqlite3_column_blob(st, 1);

		if (++rows > MAX_TEMPLATES) {
			sqlite3_finalize(st);
			return anki_fail(why, whylen, "too many card templates "
			    "(limit %d)", MAX_TEMPLATES);
		}
		if (m != NULL)
			template_look(m, cfg != NULL ? cfg : "",
			    (size_t)sqlite3_column_bytes(st, 1));
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	models_finish(rd);
	return 0;
}

/* Appends md to back, after a blank line when back holds something. */
static void
back_add(struct buf *back, char *md)
{
	if (md[0] != '\0') {
		if (back->len > 0)
			buf_puts(back, "\n\n");
		buf_puts(back, md);
	}
	free(md);
}

/*
 * One row of notes, kept as a Ludus note or counted as skipped: its note
 * type is one Ludus has no kind for, its front is empty, a basic or
 * reversed note has no back, a field is longer than max_field, or a cloze
 * text has no deletion Ludus reads.
 */
static void
note_take(struct reader *rd, sqlite3_stmt *st)
{
	struct anki_deck_data *d = rd->out;
	struct model *m = model_find(rd, sqlite3_column_int64(st, 1));
	int kind = m != NULL ? m->kind : NOTE_BASIC;
	struct buf back = {0};
	struct anki_note note = {0};
	struct note_aux aux = {kind, {0, 0}, {0, 0}};
	const char *flds, *p, *end, *s;
	size_t len, field = 0;
	int ords[CLOZE_MAX], n = 0;
	bool ok;

	if (kind == KIND_SKIP) {
		d->skipped_notes++;
		return;
	}
	flds = col_text(st, 4, &len);
	for (p = flds, end = flds + len; p <= end; field++) {
		const char *sep = memchr(p, 0x1f, (size_t)(end - p));
		size_t flen = (size_t)((sep != NULL ? sep : end) - p);

		if (field == 0)
			note.front = anki_field_to_markdown(p, flen,
			    &d->skipped_refs);
		else if (kind != NOTE_REVERSED || field == 1)
			back_add(&back, anki_field_to_markdown(p, flen,
			    &d->skipped_refs));
		/* A back past the limit is refused anyway: stop growing it. */
		if (sep == NULL || back.len > 4 * rd->lim->max_field)
			break;
		p = sep + 1;
	}
	note.back = buf_take(&back);
	ok = note.front[0] != '\0' && (kind == NOTE_CLOZE ||
	    note.back[0] != '\0') && anki_utf8_chars(note.front) <=
	    rd->lim->max_field && anki_utf8_chars(note.back) <=
	    rd->lim->max_field;
	if (ok && kind == NOTE_CLOZE) {
		const char *w;

		ok = (n = cloze_ordinals(note.front, ords, &w)) > 0;
		for (int i = 0; i < n; i++)
			bit_set(aux.have, ords[i]);
	} else if (ok) {
		bit_set(aux.have, 0);
		if (kind == NOTE_REVERSED)
			bit_set(aux.have, 1);
	}
	if (!ok) {
		free(note.front);
		free(note.back);
		d->skipped_notes++;
		return;
	}
	note.kind = kind_names[kind];
	s = col_text(st, 2, &len);
	note.guid = anki_guid_read(s, len);
	s = col_text(st, 3, &len);
	tags_read(s, len, &note);
	if (d->n_notes == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 64;
		d->notes = xrealloc(d->notes, rd->cap * sizeof(*d->notes));
		rd->notes = xrealloc(rd->notes, rd->cap * sizeof(*rd->notes));
		rd->aux = xrealloc(rd->aux, rd->cap * sizeof(*rd->aux));
	}
	rd->notes[rd->n_refs].id = sqlite3_column_int64(st, 0);
	rd->notes[rd->n_refs++].index = d->n_notes;
	rd->aux[d->n_notes] = aux;
	d->notes[d->n_notes++] = note;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct note_ref *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->index > y->index) - (x->index < y->index);
}

static int
notes_read(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	size_t rows = 0;
	int rc;

	if (prepare(rd, "SELECT id, mid, guid, tags, flds FROM notes LIMIT ?1",
	    &st, why, whylen) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rd->lim->max_notes < INT64_MAX ?
	    (sqlite3_int64)rd->lim->max_notes + 1 : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > rd->lim->max_notes) {
			sqlite3_finalize(st);
			return anki_fail(why, whylen, "too many notes (limit "
			    "%zu)", rd->lim->max_notes);
		}
		note_take(rd, st);
	}
	if (scan_end(rd, st, rc, why, whylen) != 0)
		return -1;
	if (rd->n_refs > 0)
		qsort(rd->notes, rd->n_refs, sizeof(*rd->notes), ref_cmp);
	return 0;
}

/* A kept card while the cards are read. */
struct kept {
	int64_t id, did;
	size_t note;
	int ordinal;
};

static int
kept_cmp(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	if (x->note != y->note)
		return (x->note > y->note) - (x->note < y->note);
	return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

static int
card_ref_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct card_ref *)a)->id;
	int64_t y = ((const struct card_ref *)b)->id;

	return (x > y) - (x < y);
}

static int
i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The card of one row, if Ludus has it: its note kept, its ordinal one
 * the note makes, not seen before. */
static bool
card_take(struct reader *rd, sqlite3_stmt *st, struct kept *k)
{
	struct note_ref key = {sqlite3_column_int64(st, 1), 0}, *ref;
	struct note_aux *aux;
	int64_t ord = sqlite3_column_int64(st, 3);
	size_t lo = 0, hi = rd->n_refs;

	/* The first ref with the id: duplicated ids keep their first note. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rd->notes[mid].id < key.id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == rd->n_refs || rd->notes[lo].id != key.id)
		return false;
	ref = &rd->notes[lo];
	aux = &rd->aux[ref->index];
	if (ord < 0 || ord > CLOZE_MAX)
		return false;
	if (aux->kind == NOTE_CLOZE)
		ord++;
	if (!bit_get(aux->have, ord) || bit_get(aux->used, ord))
		return false;
	bit_set(aux->used, ord);
	k->id = sqlite3_column_int64(st, 0);
	k->did = sqlite3_column_int64(st, 2);
	k->note = ref->index;
	k->ordinal = (int)ord;
	return true;
}

static int
cards_read(struct reader *rd, char *why, size_t whylen)
{
	struct anki_deck_data *d = rd->out;
	struct kept *kept = NULL;
	int64_t *dids;
	sqlite3_stmt *st;
	size_t rows = 0, n = 0, cap = 0, run = 0, best = 0;
	int rc;

	if (prepare(rd, "SELECT id, nid, did, ord FROM cards LIMIT ?1", &st,
	    why, whylen) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rd->lim->max_cards < INT64_MAX ?
	    (sqlite3_int64)rd->lim->max_cards + 1 : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > rd->lim->max_cards) {
			sqlite3_finalize(st);
			free(kept);
			return anki_fail(why, whylen, "too many cards (limit "
			    "%zu)", rd->lim->max_cards);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			kept = xrealloc(kept, cap * sizeof(*kept));
		}
		if (card_take(rd, st, &kept[n]))
			n++;
		else
			d->skipped_cards++;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0) {
		free(kept);
		return -1;
	}
	if (n > 0)
		qsort(kept, n, sizeof(*kept), kept_cmp);
	d->cards = xcalloc(n + 1, sizeof(*d->cards));
	rd->cards = xcalloc(n + 1, sizeof(*rd->cards));
	dids = xcalloc(n + 1, sizeof(*dids));
	for (size_t i = 0; i < n; i++) {
		d->cards[i].note = kept[i].note;
		d->cards[i].ordinal = kept[i].ordinal;
		rd->cards[i].id = kept[i].id;
		rd->cards[i].index = i;
		dids[i] = kept[i].did;
	}
	d->n_cards = n;
	if (n > 0) {
		qsort(rd->cards, n, sizeof(*rd->cards), card_ref_cmp);
		qsort(dids, n, sizeof(*dids), i64_cmp);
	}
	rd->deck = -1;
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && dids[i] == dids[i - 1] ? run + 1 : 1;
		if (run > best) {
			best = run;
			rd->deck = dids[i];
		}
	}
	free(dids);
	free(kept);
	return 0;
}

/* A review while the log is read. */
struct review_row {
	size_t card;
	int64_t at, id;
	int rating, ms;
};

static int
review_cmp(const void *a, const void *b)
{
	const struct review_row *x = a, *y = b;

	if (x->card != y->card)
		return (x->card > y->card) - (x->card < y->card);
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The review log: answers (ease 1 to 4; not the manual entries of type 4
 * nor the ease 0 of rescheduling) of kept cards, at a time Anki could
 * have recorded them.
 */
static int
reviews_read(struct reader *rd, char *why, size_t whylen)
{
	struct anki_deck_data *d = rd->out;
	struct review_row *rows = NULL;
	sqlite3_stmt *st;
	size_t seen = 0, n = 0, cap = 0;
	int rc;

	if ((rd->tables & T_REVLOG) == 0)
		return 0;
	if (prepare(rd, "SELECT id, cid, ease, time, type FROM revlog "
	    "LIMIT ?1", &st, why, whylen) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rd->lim->max_reviews < INT64_MAX ?
	    (sqlite3_int64)rd->lim->max_reviews + 1 : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct card_ref key = {sqlite3_column_int64(st, 1), 0}, *ref;
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t ease = sqlite3_column_int64(st, 2);
		int64_t ms = sqlite3_column_int64(st, 3);

		if (++seen > rd->lim->max_reviews) {
			sqlite3_finalize(st);
			free(rows);
			return anki_fail(why, whylen, "too many reviews (limit "
			    "%zu)", rd->lim->max_reviews);
		}
		if (ease < 1 || ease > 4 || sqlite3_column_int64(st, 4) == 4)
			continue;
		ref = d->n_cards > 0 ? bsearch(&key, rd->cards, d->n_cards,
		    sizeof(key), card_ref_cmp) : NULL;
		if (ref == NULL || id / 1000 < REVIEW_MIN ||
		    id / 1000 > REVIEW_MAX) {
			d->skipped_reviews++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		rows[n].card = ref->index;
		rows[n].at = id / 1000;
		rows[n].id = id;
		rows[n].rating = (int)ease;
		rows[n++].ms = ms < 0 ? 0 : ms > DURATION_MAX ? DURATION_MAX :
		    (int)ms;
	}
	if (scan_end(rd, st, rc, why, whylen) != 0) {
		free(rows);
		return -1;
	}
	if (n > 0)
		qsort(rows, n, sizeof(*rows), review_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		struct anki_card *c = &d->cards[rows[i].card];

		for (j = i; j < n && rows[j].card == rows[i].card; j++)
			;
		c->reviews = xcalloc(j - i, sizeof(*c->reviews));
		for (size_t k = i; k < j; k++) {
			struct anki_review *r = &c->reviews[c->n_reviews++];

			r->at = rows[k].at;
			r->rating = rows[k].rating;
			r->duration_ms = rows[k].ms;
		}
	}
	free(rows);
	return 0;
}

/* The name of the deck holding most cards, from decks or col.decks. */
static int
deck_name_read(struct reader *rd, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	const char *text;
	size_t len;
	int rc;

	if (rd->deck < 0) {
		rd->out->name = name_clean("", 0);
		return 0;
	}
	if ((rd->tables & T_DECKS) != 0) {
		if (prepare(rd, "SELECT name FROM decks WHERE id = ?1", &st,
		    why, whylen) != 0)
			return -1;
		sqlite3_bind_int64(st, 1, rd->deck);
		rc = sqlite3_step(st);
		text = rc == SQLITE_ROW ? col_text(st, 0, &len) : "";
		rd->out->name = name_clean(text, rc == SQLITE_ROW ? len : 0);
		return scan_end(rd, st, rc == SQLITE_ROW ? SQLITE_DONE : rc,
		    why, whylen);
	}
	if (prepare(rd, "SELECT decks FROM col LIMIT 1", &st, why,
	    whylen) != 0)
		return -1;
	rc = sqlite3_step(st);
	text = rc == SQLITE_ROW ? col_text(st, 0, &len) : "";
	if (rc == SQLITE_ROW && len <= rd->lim->max_json) {
		json_t *decks = json_loadb(text, len, 0, NULL), *deck;
		char key[24];

		snprintf(key, sizeof(key), "%" PRId64, rd->deck);
		deck = json_object_get(decks, key);
		text = json_string_value(json_object_get(deck, "name"));
		rd->out->name = text != NULL ? name_clean(text, strlen(text)) :
		    NULL;
		json_decref(decks);
	}
	if (rd->out->name == NULL)
		rd->out->name = name_clean("", 0);
	return scan_end(rd, st, rc == SQLITE_ROW ? SQLITE_DONE : rc, why,
	    whylen);
}

static void
reader_close(struct reader *rd)
{
	if (rd->db != NULL)
		sqlite3_close_v2(rd->db);
	free(rd->models);
	free(rd->notes);
	free(rd->aux);
	free(rd->cards);
}

int
anki_read(const void *data, size_t len, const struct anki_limits *lim,
    struct anki_deck_data *out, char *why, size_t whylen)
{
	struct anki_limits def;
	struct package pkg = {0};
	struct reader rd = {0};
	char *path = NULL;
	int fd = -1, rc = -1;

	memset(out, 0, sizeof(*out));
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (lim == NULL) {
		anki_limits_default(&def);
		lim = &def;
	}
	rd.lim = lim;
	rd.out = out;
	if (package_open(data, len, lim, &pkg, why, whylen) != 0)
		goto done;
	if ((fd = temp_open(&path)) < 0) {
		anki_fail(why, whylen, "could not make a temporary file");
		goto done;
	}
	if (extract(&pkg, fd, lim, why, whylen) != 0 ||
	    collection_open(&rd, path, why, whylen) != 0 ||
	    tables_check(&rd, why, whylen) != 0)
		goto done;
	if (((rd.tables & (T_NOTETYPES | T_TEMPLATES)) ==
	    (T_NOTETYPES | T_TEMPLATES) ? models_tables(&rd, why, whylen) :
	    models_json(&rd, why, whylen)) != 0)
		goto done;
	if (notes_read(&rd, why, whylen) != 0 ||
	    cards_read(&rd, why, whylen) != 0 ||
	    reviews_read(&rd, why, whylen) != 0 ||
	    deck_name_read(&rd, why, whylen) != 0)
		goto done;
	anki_media_read(pkg.za, lim, out);
	rc = 0;
done:
	reader_close(&rd);
	if (pkg.za != NULL)
		zip_discard(pkg.za);
	if (fd >= 0)
		close(fd);
	if (path != NULL) {
		unlink(path);
		free(path);
	}
	if (rc != 0)
		anki_free(out);
	return rc;
}

void
anki_free(struct anki_deck_data *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n_notes; i++) {
		struct anki_note *n = &d->notes[i];

		free(n->front);
		free(n->back);
		free(n->guid);
		for (size_t t = 0; t < n->n_tags; t++)
			free(n->tags[t]);
		free(n->tags);
	}
	for (size_t i = 0; i < d->n_cards; i++)
		free(d->cards[i].reviews);
	for (size_t i = 0; i < d->n_media; i++) {
		free(d->media[i].name);
		free(d->media[i].data);
	}
	free(d->media);
	free(d->notes);
	free(d->cards);
	free(d->name);
	memset(d, 0, sizeof(*d));
}
