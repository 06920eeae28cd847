/*
 * test_anki.c - Anki packages read and written (src/flashcards/anki.h).
 *
 * The packages are built here, with SQLite, libzip and zstd: a schema 11
 * collection with a Basic, a reversed, a Cloze, a three-field and an image
 * occlusion note type; the same compressed as collection.anki21b; a
 * schema 18 one; and hostile ones (bombs, traversal, views, not SQLite).
 * Media come in both formats, a JSON map with plain files and a zstd
 * protobuf map (encoded by hand) with zstd files, hostile ones among them.
 * Every temporary file goes to a private TMPDIR, checked empty at the end.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <zip.h>
#include <zstd.h>

#include "flashcards/anki.h"

static char tmpdir[] = "/tmp/test_anki.XXXXXX";

/* ---- Building packages. ---- */

struct blob {
	unsigned char *p;
	size_t n;
};

static void
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* The database's bytes, malloc'd; the database is closed. */
static struct blob
db_bytes(sqlite3 *db)
{
	sqlite3_int64 n = 0;
	unsigned char *s = sqlite3_serialize(db, "main", &n, 0);
	struct blob b;

	assert_non_null(s);
	b.p = malloc((size_t)n);
	memcpy(b.p, s, (size_t)n);
	b.n = (size_t)n;
	sqlite3_free(s);
	sqlite3_close(db);
	return b;
}

static int
unicase(void *arg, int na, const void *a, int nb, const void *b)
{
	int r = strncasecmp(a, b, (size_t)(na < nb ? na : nb));

	(void)arg;
	return r != 0 ? r : na - nb;
}

static sqlite3 *
db_new(void)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_create_collation(db, "unicase", SQLITE_UTF8, NULL, unicase);
	return db;
}

static const char schema11[] =
	"CREATE TABLE col (id integer primary key, crt integer not null,"
	" mod integer not null, scm integer not null, ver integer not null,"
	" dty integer not null, usn integer not null, ls integer not null,"
	" conf text not null, models text not null, decks text not null,"
	" dconf text not null, tags text not null);"
	"CREATE TABLE notes (id integer primary key, guid text not null,"
	" mid integer not null, mod integer not null, usn integer not null,"
	" tags text not null, flds text not null, sfld integer not null,"
	" csum integer not null, flags integer not null, data text not null);"
	"CREATE TABLE cards (id integer primary key, nid integer not null,"
	" did integer not null, ord integer not null, mod integer not null,"
	" usn integer not null, type integer not null, queue integer not null,"
	" due integer not null, ivl integer not null, factor integer not null,"
	" reps integer not null, lapses integer not null,"
	" left integer not null, odue integer not null,"
	" odid integer not null, flags integer not null,"
	" data text not null);"
	"CREATE TABLE revlog (id integer primary key, cid integer not null,"
	" usn integer not null, ease integer not null, ivl integer not null,"
	" lastIvl integer not null, factor integer not null,"
	" time integer not null, type integer not null);";

static const char models11[] =
	"{\"1001\": {\"id\": 1001, \"name\": \"Basic\", \"type\": 0,"
	"  \"tmpls\": [{\"name\": \"Card 1\", \"qfmt\": \"{{Front}}\"}]},"
	" \"1002\": {\"id\": 1002, \"name\": \"Basic (and reversed card)\","
	"  \"type\": 0, \"tmpls\": [{\"qfmt\": \"{{Front}}\"},"
	"  {\"qfmt\": \"{{Back}}\"}]},"
	" \"1003\": {\"id\": \"1003\", \"name\": \"Cloze\", \"type\": 1,"
	"  \"tmpls\": [{\"qfmt\": \"{{cloze:Text}}\"}]},"
	" \"1004\": {\"name\": \"Three fields\", \"type\": 0,"
	"  \"tmpls\": [{\"qfmt\": \"{{Q}}\"}]},"
	" \"1005\": {\"id\": 1005, \"name\": \"Image Occlusion\", \"type\": 1,"
	"  \"tmpls\": [{\"qfmt\": \"{{#Image Occlusion}}"
	"{{image-occlusion:Image Occlusion}}{{/Image Occlusion}}\"}]}}";

static void
note_add(sqlite3 *db, int64_t id, int64_t mid, const char *tags,
    const char *flds)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO notes VALUES (?1, "
	    "'g' || ?1, ?2, 0, 0, ?3, ?4, '', 0, 0, '')", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, mid);
	sqlite3_bind_text(st, 3, tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, flds, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void
card_add(sqlite3 *db, int64_t id, int64_t nid, int64_t did, int ord)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "INSERT INTO cards VALUES (%lld, %lld, "
	    "%lld, %d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '')",
	    (long long)id, (long long)nid, (long long)did, ord);
	exec(db, sql);
}

static void
review_add(sqlite3 *db, int64_t id, int64_t cid, int ease, int ms, int type)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "INSERT INTO revlog VALUES (%lld, %lld, "
	    "0, %d, 0, 0, 0, %d, %d)", (long long)id, (long long)cid, ease, ms,
	    type);
	exec(db, sql);
}

/* Notes, cards and reviews both test collections share. */
static void
content_add(sqlite3 *db, int64_t basic, int64_t reversed, int64_t cloze,
    int64_t three, int64_t occlusion, int64_t deck)
{
	note_add(db, 11, basic, " Networking::Ports  tcp TCP ",
	    "What is <b>port 22</b>?\x1fSSH&nbsp;&amp; SFTP<br>encrypted");
	note_add(db, 12, reversed, "", "DNS<div>port</div>\x1f"
	    "53 <img src=\"dns.png\">");
	note_add(db, 13, cloze, "geo", "{{c1::Paris}} is the capital of "
	    "{{c2::France}}[sound:fr.mp3]\x1f" "A &lt;city&gt;");
	note_add(db, 14, three, "", "Q &#x41;&#66;\x1f" "A1\x1f\x1f"
	    "A3<img src=\"https://example.com/remote.png\">");
	note_add(db, 15, cloze, "", "no deletion here\x1fx");
	note_add(db, 16, basic, "", "only a front\x1f");
	note_add(db, 17, occlusion, "", "{{c1::image-occlusion:rect}}\x1f");
	card_add(db, 101, 11, deck, 0);
	card_add(db, 102, 12, deck, 0);
	card_add(db, 103, 12, deck, 1);
	card_add(db, 104, 13, deck, 0);
	card_add(db, 105, 13, 1, 1);
	card_add(db, 106, 14, deck, 0);
	card_add(db, 107, 14, deck, 1);		/* basic: no second */
	card_add(db, 108, 15, deck, 0);		/* of a skipped note */
	card_add(db, 109, 999, deck, 0);	/* of no note */
	card_add(db, 110, 13, deck, 5);		/* c6: not in the text */
	review_add(db, 1700000100000LL, 101, 3, 5000, 0);
	review_add(db, 1700000000000LL, 101, 1, 12000, 0);
	review_add(db, 1700000200000LL, 101, 0, 0, 5);	/* rescheduled */
	review_add(db, 1700000300000LL, 101, 4, 0, 4);	/* manual */
	review_add(db, 1700000400000LL, 104, 2, 3000, 1);
	review_add(db, 1700000500000LL, 108, 3, 1000, 1); /* card not kept */
	review_add(db, 1000, 101, 3, 1000, 1);		/* in 1970 */
}

/* The schema 11 collection of the tests. */
static struct blob
legacy_collection(void)
{
	sqlite3 *db = db_new();
	sqlite3_stmt *st;

	exec(db, schema11);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO col VALUES (1, 0, "
	    "0, 0, 11, 0, 0, 0, '{}', ?1, ?2, '{}', '{}')", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, models11, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "{\"1\": {\"name\": \"Default\"}, \"77\": "
	    "{\"name\": \"Networking::Ports\"}}", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	content_add(db, 1001, 1002, 1003, 1004, 1005, 77);
	return db_bytes(db);
}

/* A protobuf message holding one string field. */
static void
pb_string(char *out, int field, const char *s)
{
	size_t n = strlen(s);

	assert_true(n < 128);
	out[0] = (char)(field << 3 | 2);
	out[1] = (char)n;
	memcpy(out + 2, s, n);
	out[2 + n] = '\0';
}

static void
blob_insert(sqlite3 *db, const char *sql, int64_t a, int64_t b,
    const void *blob, size_t n)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_blob(st, 3, blob, (int)n, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/*
 * A schema 18 collection: note types in notetypes (kind in the config's
 * field 1) and templates (the question in the config's field 1), decks
 * in decks with 0x1f between a parent and its child, the same notes.
 */
static struct blob
schema18_collection(void)
{
	sqlite3 *db = db_new();
	char q[64];
	static const struct {
		int64_t id;
		const char *kind;
		size_t kind_len;
		const char *tmpls[2];
	} types[] = {
		{3001, "", 0, {"{{Front}}", NULL}},
		{3002, "\x10\x01", 2, {"{{Front}}", "{{Back}}"}},
		{3003, "\x08\x01\x10\x00", 4, {"{{cloze:Text}}", NULL}},
		{3004, "\x10\x02", 2, {"{{Q}}", NULL}},
		{3005, "\x08\x01", 2, {"{{image-occlusion:Image}}", NULL}},
	};

	exec(db, schema11);
	exec(db, "INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', "
	    "'', '', '');"
	    "CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY,"
	    " name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
	    " usn integer NOT NULL, config blob NOT NULL);"
	    "CREATE TABLE templates (ntid integer NOT NULL,"
	    " ord integer NOT NULL,"
	    " name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
	    " usn integer NOT NULL, config blob NOT NULL,"
	    " PRIMARY KEY (ntid, ord)) without rowid;"
	    "CREATE TABLE decks (id integer PRIMARY KEY NOT NULL,"
	    " name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,"
	    " usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);"
	    "CREATE UNIQUE INDEX idx_decks_name ON decks (name);"
	    "INSERT INTO decks VALUES (1, 'Default', 0, 0, x'', x''),"
	    " (88, 'Networking' || char(31) || 'Ports', 0, 0, x'', x'');");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		blob_insert(db, "INSERT INTO notetypes VALUES (?1, "
		    "'type ' || ?2, 0, 0, ?3)", types[i].id, (int64_t)i,
		    types[i].kind, types[i].kind_len);
		for (int t = 0; t < 2 && types[i].tmpls[t] != NULL; t++) {
			pb_string(q, 1, types[i].tmpls[t]);
			blob_insert(db, "INSERT INTO templates VALUES (?1, ?2, "
			    "'Card', 0, 0, ?3)", types[i].id, t, q, strlen(q));
		}
	}
	content_add(db, 3001, 3002, 3003, 3004, 3005, 88);
	return db_bytes(db);
}

struct entry {
	const char *name;
	const void *data;
	size_t len;
};

/* A zip of the entries, in memory (malloc'd). */
static struct blob
zip_make(const struct entry *e, size_t n)
{
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	struct blob b;

	src = zip_source_buffer_create(NULL, 0, 0, NULL);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	assert_non_null(za);
	zip_source_keep(src);
	for (size_t i = 0; i < n; i++) {
		s = zip_source_buffer(za, e[i].data, e[i].len, 0);
		assert_non_null(s);
		assert_true(zip_file_add(za, e[i].name, s, 0) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	assert_int_equal(zip_source_open(src), 0);
	b.n = st.size;
	b.p = malloc(b.n);
	assert_int_equal(zip_source_read(src, b.p, b.n), (zip_int64_t)b.n);
	zip_source_close(src);
	zip_source_free(src);
	return b;
}

static struct blob
zip_one(const char *name, struct blob data)
{
	struct entry e[] = {{name, data.p, data.n}, {"media", "{}", 2}};

	return zip_make(e, 2);
}

static struct blob
zstd_make(struct blob in)
{
	struct blob b;
	size_t r;

	b.p = malloc(ZSTD_compressBound(in.n));
	r = ZSTD_compress(b.p, ZSTD_compressBound(in.n), in.p, in.n, 3);
	assert_false(ZSTD_isError(r));
	b.n = r;
	return b;
}

static int
read_package(struct blob pkg, const struct anki_limits *lim,
    struct anki_deck_data *d, char *why, size_t whylen)
{
	return anki_read(pkg.p, pkg.n, lim, d, why, whylen);
}

/* ---- Reading. ---- */

static void
check_review(const struct anki_review *r, int64_t at, int rating, int ms)
{
	assert_int_equal(r->at, at);
	assert_int_equal(r->rating, rating);
	assert_int_equal(r->duration_ms, ms);
}

/* What both test collections read as. */
static void
check_content(const struct anki_deck_data *d, const char *deck)
{
	assert_string_equal(d->name, deck);
	assert_int_equal(d->n_notes, 4);
	assert_int_equal(d->skipped_notes, 3);

	assert_string_equal(d->notes[0].kind, "basic");
	assert_string_equal(d->notes[0].front, "What is port 22?");
	assert_string_equal(d->notes[0].back, "SSH & SFTP\\\nencrypted");
	assert_int_equal(d->notes[0].n_tags, 2);
	assert_string_equal(d->notes[0].tags[0], "networking-ports");
	assert_string_equal(d->notes[0].tags[1], "tcp");
	assert_string_equal(d->notes[0].guid, "g11");

	assert_string_equal(d->notes[1].kind, "reversed");
	assert_string_equal(d->notes[1].front, "DNS\\\nport");
	assert_string_equal(d->notes[1].back, "53 ![](dns.png)");
	assert_int_equal(d->notes[1].n_tags, 0);

	assert_string_equal(d->notes[2].kind, "cloze");
	assert_string_equal(d->notes[2].front,
	    "{{c1::Paris}} is the capital of {{c2::France}}[sound:fr.mp3]");
	assert_string_equal(d->notes[2].back, "A <city>");

	assert_string_equal(d->notes[3].kind, "basic");
	assert_string_equal(d->notes[3].front, "Q AB");
	assert_string_equal(d->notes[3].back, "A1\n\nA3");
	/* The image and the sound are kept; the remote image is not. */
	assert_int_equal(d->skipped_refs, 1);
	/* The packages have an empty map (or none): no file to skip. */
	assert_int_equal(d->skipped_media, 0);
	assert_int_equal(d->n_media, 0);

	assert_int_equal(d->n_cards, 6);
	assert_int_equal(d->skipped_cards, 4);
	assert_int_equal(d->cards[0].note, 0);
	assert_int_equal(d->cards[0].ordinal, 0);
	assert_int_equal(d->cards[1].note, 1);
	assert_int_equal(d->cards[1].ordinal, 0);
	assert_int_equal(d->cards[2].note, 1);
	assert_int_equal(d->cards[2].ordinal, 1);
	assert_int_equal(d->cards[3].note, 2);
	assert_int_equal(d->cards[3].ordinal, 1);
	assert_int_equal(d->cards[4].note, 2);
	assert_int_equal(d->cards[4].ordinal, 2);
	assert_int_equal(d->cards[5].note, 3);
	assert_int_equal(d->cards[5].ordinal, 0);

	assert_int_equal(d->cards[0].n_reviews, 2);
	check_review(&d->cards[0].reviews[0], 1700000000, 1, 12000);
	check_review(&d->cards[0].reviews[1], 1700000100, 3, 5000);
	assert_int_equal(d->cards[3].n_reviews, 1);
	check_review(&d->cards[3].reviews[0], 1700000400, 2, 3000);
	assert_int_equal(d->cards[1].n_reviews + d->cards[2].n_reviews +
	    d->cards[4].n_reviews + d->cards[5].n_reviews, 0);
	assert_int_equal(d->skipped_reviews, 2);
}

static void
reads_a_legacy_package(void **state)
{
	struct blob coll = legacy_collection();
	struct blob pkg = zip_one("collection.anki2", coll);
	struct anki_deck_data d;
	char why[200];

	(void)state;
	assert_int_equal(read_package(pkg, NULL, &d, why, sizeof(why)), 0);
	check_content(&d, "Networking::Ports");
	anki_free(&d);
	anki_free(&d);		/* twice is harmless */
	free(pkg.p);
	pkg = zip_one("collection.anki21", coll);
	assert_int_equal(read_package(pkg, NULL, &d, why, sizeof(why)), 0);
	assert_int_equal(d.n_notes, 4);
	anki_free(&d);
	free(pkg.p);
	free(coll.p);
}

static void
prefers_the_zstd_collection(void **state)
{
	struct blob coll = legacy_collection(), z = zstd_make(coll), pkg;
	sqlite3 *db = db_new();
	struct blob dummy;
	struct anki_deck_data d;
	char why[200];

	(void)state;
	/* As Anki 2.1.50 exports: a stub for old versions beside it. */
	exec(db, schema11);
	exec(db, "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}',"
	    " '{}', '{}', '{}')");
	note_add(db, 1, 1, "", "Please update to the latest Anki version\x1f");
	dummy = db_bytes(db);
	{
		struct entry e[] = {{"collection.anki2", dummy.p, dummy.n},
		    {"collection.anki21b", z.p, z.n}, {"media", "", 0}};

		pkg = zip_make(e, 3);
	}
	assert_int_equal(read_package(pkg, NULL, &d, why, sizeof(why)), 0);
	check_content(&d, "Networking::Ports");
	anki_free(&d);
	free(pkg.p);
	free(dummy.p);
	free(z.p);
	free(coll.p);
}

static void
reads_a_schema_18_collection(void **state)
{
	struct blob coll = schema18_collection(), z, pkg;
	struct anki_deck_data d;
	char why[200];

	(void)state;
	/* Marked WAL, as a collection copied while open would be. */
	coll.p[18] = coll.p[19] = 2;
	z = zstd_make(coll);
	pkg = zip_one("collection.anki21b", z);
	assert_int_equal(read_package(pkg, NULL, &d, why, sizeof(why)), 0);
	check_content(&d, "Networking::Ports");
	anki_free(&d);
	free(pkg.p);
	free(z.p);
	free(coll.p);
}

static void
converts_fields(void **state)
{
	static const struct {
		const char *html, *md;
		size_t media;
	} cases[] = {
		{"plain", "plain", 0},
		{"  a \n\t b  ", "a b", 0},
		{"a<br>b", "a\\\nb", 0},
		{"a<br/><br />b", "a\n\nb", 0},
		{"a<div>b</div><div>c</div>", "a\\\nb\\\nc", 0},
		{"<div>a</div><div><br></div><div>b</div>", "a\n\nb", 0},
		{"<p>one</p><p>two</p>", "one\\\ntwo", 0},
		{"x&nbsp;&amp;&lt;&gt;&quot;&#39;&apos;y", "x &<>\"''y", 0},
		{"&#65;&#x42;&#X43;&#0;&#xD800;&#1114112;", "ABC", 0},
		{"&unknown; &amp", "\\&unknown; &amp", 0},
		{"&amp;copy;", "\\&copy;", 0},
		{"caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac", 0},
		{"bad\xff\xc0\x80utf8", "bad\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbdutf8", 0},
		{"ctl\x01\x7f", "ctl", 0},
		{"<img src=\"a.png\">x<IMG SRC='b.png'/>",
		    "![](a.png)x![](b.png)", 0},
		{"a[sound:x.mp3]b [sound:unclosed", "a[sound:x.mp3]b "
		    "\\[sound:unclosed", 0},
		/* Images: quoted either way or not, entities, %XX. */
		{"see <img alt=\"src=x\" src=osi.png> now",
		    "see ![](osi.png) now", 0},
		{"<IMG  SRC = \"a.png\" >", "![](a.png)", 0},
		{"<img src=\"a b.png\"><img src=\"f(1).png\">",
		    "![](<a b.png>)![](<f(1).png>)", 0},
		{"<img src=\"caf%C3%A9%20x.png\">",
		    "![](<caf\xc3\xa9 x.png>)", 0},
		{"<img src=\"a&amp;b.png\"><img src=\"100%.png\">",
		    "![](a&b.png)![](100%25.png)", 0},
		{"<img src=\"a&amp;amp;b.png\"><img src=\"a`b.png\">",
		    "![](a\\&amp;b.png)![](a\\`b.png)", 0},
		/* Not media names: dropped and counted. */
		{"<img src=\"https://example.com/a.png\">x", "x", 1},
		{"<img src=\"../x.png\"><img src=\"a/b.png\">"
		    "<img src=\".hidden.png\"><img src=\"%2e%2e%2fx.png\">", "",
		    4},
		{"<img><img src=\"\"><img src>x", "x", 3},
		{"<img src=\"data:image/png;base64,AAAA\">", "", 1},
		/* Sounds and videos. */
		{"<audio src=\"p.mp3\"></audio> <video controls "
		    "src='v.mp4'></video>", "[sound:p.mp3] [sound:v.mp4]", 0},
		{"<audio controls><source src=\"x.mp3\"></audio>", "", 1},
		{"[sound:a/b.mp3]x[sound:]", "x", 2},
		{"[sound:a&amp;b.mp3] [sound:port_22.mp3]",
		    "[sound:a&b.mp3] [sound:port_22.mp3]", 0},
		{"[sound:_a~b.mp3]", "[sound:\\_a\\~b.mp3]", 0},
		/* Not an address nor a web site to md4c's autolinks. */
		{"[sound:me@x.com.mp3] [sound:a www.x.mp3]",
		    "[sound:me\\@x.com.mp3] [sound:a www\\.x.mp3]", 0},
		/* What follows a sound is not read as a link with it. */
		{"[sound:a.mp3](x) [sound:b.mp3]: y",
		    "[sound:a.mp3]\\(x) [sound:b.mp3]: y", 0},
		{"[sound:a.mp3]: y", "[sound:a.mp3]\\: y", 0},
		/* Text around media is escaped as always, media are not. */
		{"C:\\<img src=\"a.png\">*", "C:\\\\![](a.png)\\*", 0},
		{"# <img src=\"a.png\"><br><img src=\"b.png\">",
		    "\\# ![](a.png)\\\n![](b.png)", 0},
		{"{{c1::<img src=\"a.png\">::[sound:b.mp3]}}",
		    "{{c1::![](a.png)::[sound:b.mp3]}}", 0},
		{"<style>.c{color:red}</style>t<script>alert(1)</script>",
		    "t", 0},
		{"a<!-- hidden -->b", "ab", 0},
		{"a < b and c<d", "a < b and c", 0},
		{"<a href=\"x>y\">link</a>", "link", 0},
		{"2*3*4 `code` [x](y) ~z~ a|b", "2\\*3\\*4 \\`code\\` \\[x](y) "
		    "\\~z\\~ a\\|b", 0},
		{"snake_case _em_", "snake_case \\_em\\_", 0},
		{"# h<br>&gt; q<br>- l<br>+ m<br>1. n<br>12) o<br>---<br>==",
		    "\\# h\\\n\\> q\\\n\\- l\\\n\\+ m\\\n1\\. n\\\n12\\) o\\\n"
		    "\\---\\\n\\==", 0},
		{"-5 and 1.5 and 2024", "-5 and 1.5 and 2024", 0},
		{"C:\\dir\\<br>\\*", "C:\\dir\\\\\\\n\\\\\\*", 0},
		{"{{c1::a::hint}} {{c2::b}}", "{{c1::a::hint}} {{c2::b}}", 0},
		{"<table><tr><td>a</td><td>b</td></tr></table>", "a b", 0},
		{"", "", 0},
		{"<br><br>", "", 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t media = 0;
		char *md = anki_field_to_markdown(cases[i].html,
		    strlen(cases[i].html), &media);

		if (strcmp(md, cases[i].md) != 0)
			fail_msg("case %zu: \"%s\" gave \"%s\", not \"%s\"", i,
			    cases[i].html, md, cases[i].md);
		assert_int_equal(media, cases[i].media);
		free(md);
	}
}

static void
fields_go_back_to_html(void **state)
{
	static const struct {
		const char *md, *html;
	} cases[] = {
		{"a\\\nb", "a<br>b"},
		{"a\n\nb", "a<br><br>b"},
		{"x & <y> \\*z\\*", "x &amp; &lt;y&gt; *z*"},
		{"C:\\dir\\\\", "C:\\dir\\"},
		{"{{c1::Paris}}", "{{c1::Paris}}"},
		{"![](a.png) [sound:b.mp3]",
		    "<img src=\"a.png\"> [sound:b.mp3]"},
		{"![](<a b.png>)", "<img src=\"a b.png\">"},
		{"![Port \\*22\\* & \"x\"](p&amp;q.png)",
		    "<img alt=\"Port *22* &amp; &quot;x&quot;\" "
		    "src=\"p&amp;q.png\">"},
		{"![](a\\`b.png)", "<img src=\"a`b.png\">"},
		{"![](a%20b.png)![](100%25.png)",
		    "<img src=\"a b.png\"><img src=\"100%.png\">"},
		/* Not images of media: text, as before. */
		{"![x](https://e.example/a.png)",
		    "![x](https://e.example/a.png)"},
		{"![](a.png", "![](a.png"},
		{"![](<a.png)", "![](&lt;a.png)"},
		{"![](../x.png)", "![](../x.png)"},
		{"\\![](a.png)", "![](a.png)"},
		{"![a\nb](c.png)", "![a<br>b](c.png)"},
	};
	static const char *const round[] = {"a\\\nb", "a\n\nb", "\\# h",
	    "1\\. x", "2\\*3", "C:\\\\", "\\&amp; & x", "{{c1::a::b}} c",
	    "see ![](a.png) and [sound:b.mp3]",
	    "![](<a b.png>)\\\n[sound:\\_d.mp3]\\(x)",
	    "![](a\\&amp;b.png) [sound:a\\&amp;b.mp3]",
	    "{{c1::![](a.png)}} [sound:b.mp3]: y", "![](100%25.png)",
	    "[sound:me\\@x.mp3]"};
	/* Fields with media go to Markdown and back as they were. */
	static const char *const fields[] = {
		"<img src=\"a b.png\"> [sound:c.mp3]<br><img src=\"d.png\">",
		"{{c1::<img src=\"a.png\">}} and [sound:b_c.mp3]",
		"[sound:a.mp3](x)",
		"<img src=\"100%.png\"><img src=\"f(1) &amp; g.png\">",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *h = anki_markdown_to_field(cases[i].md);

		assert_string_equal(h, cases[i].html);
		free(h);
	}
	for (size_t i = 0; i < sizeof(round) / sizeof(round[0]); i++) {
		char *h = anki_markdown_to_field(round[i]);
		char *md = anki_field_to_markdown(h, strlen(h), NULL);

		assert_string_equal(md, round[i]);
		free(h);
		free(md);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t media = 0;
		char *md = anki_field_to_markdown(fields[i], strlen(fields[i]),
		    &media);
		char *h = anki_markdown_to_field(md);

		assert_string_equal(h, fields[i]);
		assert_int_equal(media, 0);
		free(h);
		free(md);
	}
}

/* ---- Writing. ---- */

static char *tags0[] = {"ports", "tcp"};
static struct anki_review reviews0[] = {
	{1700000000, 1, 12000}, {1700000000, 3, 4000}, {1700086400, 4, 2500},
};
static struct anki_review reviews2[] = {{1700000500, 2, 7000}};

static void
sample_deck(struct anki_deck_data *d, struct anki_note notes[4],
    struct anki_card cards[3])
{
	memset(d, 0, sizeof(*d));
	memset(notes, 0, 4 * sizeof(*notes));
	memset(cards, 0, 3 * sizeof(*cards));
	notes[0].kind = "basic";
	notes[0].front = "What is port 22?";
	notes[0].back = "SSH\\\nand SFTP";
	notes[0].tags = tags0;
	notes[0].n_tags = 2;
	notes[0].guid = "5f0c1c6e-note-1";
	notes[1].kind = "reversed";
	notes[1].front = "DNS";
	notes[1].back = "53 \\*UDP\\*";
	notes[2].kind = "cloze";
	notes[2].front = "{{c1::Paris}} is in {{c2::France::country}}";
	notes[2].back = "Capital\n\nCity";
	notes[2].guid = "a guid with spaces";
	notes[3].kind = "basic";
	notes[3].front = "1\\. first\n\nsecond";
	notes[3].back = "C:\\\\";
	cards[0].note = 0;
	cards[0].ordinal = 0;
	cards[0].reviews = reviews0;
	cards[0].n_reviews = 3;
	cards[1].note = 2;
	cards[1].ordinal = 2;
	cards[1].reviews = reviews2;
	cards[1].n_reviews = 1;
	cards[2].note = 1;
	cards[2].ordinal = 1;
	d->name = "Network+ Ports";
	d->notes = notes;
	d->n_notes = 4;
	d->cards = cards;
	d->n_cards = 3;
}

static int64_t
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The package as Anki sees it: entries, col, note types, notes, log. */
static void
check_written(const void *pkg, size_t len)
{
	zip_source_t *src = zip_source_buffer_create(pkg, len, 0, NULL);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, NULL);
	zip_stat_t st;
	zip_file_t *zf;
	unsigned char *db_bytes_, media[8];
	sqlite3 *db;

	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 2);
	assert_int_equal(zip_stat(za, "media", 0, &st), 0);
	zf = zip_fopen(za, "media", 0);
	assert_int_equal(zip_fread(zf, media, sizeof(media)), 2);
	assert_memory_equal(media, "{}", 2);
	zip_fclose(zf);
	assert_int_equal(zip_stat(za, "collection.anki2", 0, &st), 0);
	db_bytes_ = sqlite3_malloc64(st.size);
	zf = zip_fopen(za, "collection.anki2", 0);
	assert_int_equal(zip_fread(zf, db_bytes_, st.size),
	    (zip_int64_t)st.size);
	zip_fclose(zf);
	zip_discard(za);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_deserialize(db, "main", db_bytes_,
	    (sqlite3_int64)st.size, (sqlite3_int64)st.size,
	    SQLITE_DESERIALIZE_FREEONCLOSE), SQLITE_OK);
	assert_int_equal(query_int(db, "SELECT ver FROM col"), 11);
	assert_int_equal(query_int(db, "SELECT json_array_length("
	    "json_each.value -> 'tmpls') FROM col, json_each(col.models) "
	    "WHERE json_each.value ->> 'name' = "
	    "'Basic and reversed card (Ludus)'"), 2);
	assert_int_equal(query_int(db, "SELECT json_each.value ->> 'type' FROM"
	    " col, json_each(col.models) WHERE json_each.value ->> 'name' = "
	    "'Cloze (Ludus)'"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM col, "
	    "json_each(col.decks) WHERE json_each.value ->> 'name' = "
	    "'Network+ Ports'"), 1);
	assert_int_equal(query_int(db, "SELECT csum FROM notes WHERE sfld = "
	    "'What is port 22?'"), 3413661946LL);
	assert_int_equal(query_int(db, "SELECT count(*) FROM notes WHERE "
	    "tags = ' ports tcp ' AND flds = 'What is port 22?' || char(31) || "
	    "'SSH<br>and SFTP'"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards"), 6);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards WHERE "
	    "type = 0 AND queue = 0"), 6);
	assert_int_equal(query_int(db, "SELECT count(*) FROM revlog"), 4);
	assert_int_equal(query_int(db, "SELECT count(DISTINCT id) FROM revlog"),
	    4);
	assert_int_equal(query_int(db, "SELECT count(*) FROM revlog WHERE "
	    "type = 0"), 2);
	sqlite3_close(db);
}

static void
writes_a_package_that_reads_back(void **state)
{
	struct anki_note notes[4];
	struct anki_card cards[3];
	struct anki_deck_data in, out;
	void *pkg;
	size_t len;
	char why[200];

	(void)state;
	sample_deck(&in, notes, cards);
	assert_int_equal(anki_write(&in, &pkg, &len, why, sizeof(why)), 0);
	check_written(pkg, len);
	assert_int_equal(anki_read(pkg, len, NULL, &out, why, sizeof(why)), 0);
	assert_string_equal(out.name, "Network+ Ports");
	assert_int_equal(out.n_notes, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(out.notes[i].kind, notes[i].kind);
		assert_string_equal(out.notes[i].front, notes[i].front);
		assert_string_equal(out.notes[i].back, notes[i].back);
	}
	assert_int_equal(out.notes[0].n_tags, 2);
	assert_string_equal(out.notes[0].tags[0], "ports");
	assert_string_equal(out.notes[0].tags[1], "tcp");
	assert_string_equal(out.notes[0].guid, "5f0c1c6e-note-1");
	assert_non_null(out.notes[1].guid);
	assert_non_null(out.notes[2].guid);
	assert_string_not_equal(out.notes[2].guid, "a guid with spaces");
	assert_int_equal(out.skipped_notes + out.skipped_cards +
	    out.skipped_reviews + out.skipped_media + out.skipped_refs, 0);
	/* Every card the notes make: 1 + 2 + 2 + 1. */
	assert_int_equal(out.n_cards, 6);
	assert_int_equal(out.cards[0].note, 0);
	assert_int_equal(out.cards[0].n_reviews, 3);
	check_review(&out.cards[0].reviews[0], 1700000000, 1, 12000);
	check_review(&out.cards[0].reviews[1], 1700000000, 3, 4000);
	check_review(&out.cards[0].reviews[2], 1700086400, 4, 2500);
	assert_int_equal(out.cards[4].note, 2);
	assert_int_equal(out.cards[4].ordinal, 2);
	assert_int_equal(out.cards[4].n_reviews, 1);
	check_review(&out.cards[4].reviews[0], 1700000500, 2, 7000);
	assert_int_equal(out.cards[1].n_reviews + out.cards[2].n_reviews +
	    out.cards[3].n_reviews + out.cards[5].n_reviews, 0);
	anki_free(&out);
	free(pkg);
}

static void
writes_an_empty_deck(void **state)
{
	struct anki_deck_data in = {0}, out;
	void *pkg;
	size_t len;
	char why[200];

	(void)state;
	assert_int_equal(anki_write(&in, &pkg, &len, why, sizeof(why)), 0);
	assert_int_equal(anki_read(pkg, len, NULL, &out, why, sizeof(why)), 0);
	assert_int_equal(out.n_notes, 0);
	assert_string_equal(out.name, "Anki deck");
	anki_free(&out);
	free(pkg);
}

static void
refuses_to_write_what_is_not_a_deck(void **state)
{
	struct anki_note notes[4];
	struct anki_card cards[3];
	struct anki_review bad = {1700000000, 5, 0};
	struct anki_deck_data d;
	void *pkg = (void *)1;
	size_t len = 1;
	char why[200];

	(void)state;
	sample_deck(&d, notes, cards);
	notes[1].kind = "essay";
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	assert_string_equal(why, "note 1 has an unknown kind");
	assert_null(pkg);
	assert_int_equal(len, 0);
	sample_deck(&d, notes, cards);
	notes[2].front = "no deletion";
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	sample_deck(&d, notes, cards);
	cards[2].ordinal = 2;
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	assert_string_equal(why, "card 2 is not one of its note's cards");
	sample_deck(&d, notes, cards);
	cards[1].reviews = &bad;
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	assert_string_equal(why, "card 1 has a rating outside 1..4");
	sample_deck(&d, notes, cards);
	cards[2].note = 0;
	cards[2].ordinal = 0;
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
}

/* ---- Hostile packages. ---- */

/* Reading pkg fails with a reason that contains want. */
static void
refused(struct blob pkg, const struct anki_limits *lim, const char *want)
{
	struct anki_deck_data d;
	char why[200];

	assert_int_equal(read_package(pkg, lim, &d, why, sizeof(why)), -1);
	if (strstr(why, want) == NULL)
		fail_msg("refused with \"%s\", not \"%s\"", why, want);
	assert_null(d.notes);
	assert_null(d.name);
	anki_free(&d);
}

static void
refuses_what_is_not_a_package(void **state)
{
	unsigned char noise[4096];
	struct blob b = {noise, 0};
	uint32_t x = 2463534242u;

	(void)state;
	refused(b, NULL, "not a zip file");
	for (size_t i = 0; i < sizeof(noise); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	b.n = sizeof(noise);
	refused(b, NULL, "not a zip file");
	memcpy(noise, "PK\x03\x04", 4);
	refused(b, NULL, "zip");
	{
		struct anki_limits lim;

		anki_limits_default(&lim);
		lim.max_package = 100;
		refused(b, &lim, "larger than 100 bytes");
	}
}

static void
refuses_a_package_without_a_collection(void **state)
{
	struct entry e[] = {{"media", "{}", 2}, {"0", "\x89PNG", 4}};
	struct blob pkg = zip_make(e, 2);

	(void)state;
	refused(pkg, NULL, "no Anki collection in the package");
	free(pkg.p);
}

static void
refuses_a_collection_that_is_not_sqlite(void **state)
{
	struct blob text = {(unsigned char *)"hello, this is not a database",
	    29}, pkg = zip_one("collection.anki2", text);
	struct blob z, zpkg;

	(void)state;
	refused(pkg, NULL, "the collection is not SQLite");
	free(pkg.p);
	text.n = 5;	/* shorter than a header */
	pkg = zip_one("collection.anki21", text);
	refused(pkg, NULL, "the collection is not SQLite");
	free(pkg.p);
	z = zstd_make(text);
	zpkg = zip_one("collection.anki21b", z);
	refused(zpkg, NULL, "the collection is not SQLite");
	free(zpkg.p);
	free(z.p);
	pkg = zip_one("collection.anki21b", text);	/* not zstd */
	refused(pkg, NULL, "zstd");
	free(pkg.p);
}

static void
refuses_path_traversal(void **state)
{
	static const char *const names[] = {"../x", "a/../../x", "/etc/x",
	    "a\\b", "C:x"};
	struct blob coll = legacy_collection();

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct entry e[] = {{"collection.anki2", coll.p, coll.n},
		    {names[i], "x", 1}};
		struct blob pkg = zip_make(e, 2);

		refused(pkg, NULL, "path traversal");
		free(pkg.p);
	}
	{
		struct entry e[] = {{"collection.anki2", coll.p, coll.n},
		    {"a..b/c..", "x", 1}};
		struct blob pkg = zip_make(e, 2);
		struct anki_deck_data d;

		assert_int_equal(read_package(pkg, NULL, &d, NULL, 0), 0);
		anki_free(&d);
		free(pkg.p);
	}
	free(coll.p);
}

/* A libzip source of size zero bytes, never held in memory. */
struct zeros {
	uint64_t size, pos;
	zip_error_t error;
};

static zip_int64_t
zeros_read(void *arg, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct zeros *z = arg;
	uint64_t n;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		n = z->size - z->pos < len ? z->size - z->pos : len;
		memset(data, 0, n);
		z->pos += n;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT:
		zip_stat_init(data);
		((zip_stat_t *)data)->size = z->size;
		((zip_stat_t *)data)->valid |= ZIP_STAT_SIZE;
		return sizeof(zip_stat_t);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&z->error, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

/* A zip of one entry of size zeros, deflated. */
static struct blob
zero_bomb(const char *name, uint64_t size)
{
	struct zeros z = {size, 0, {0}};
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	zip_int64_t idx;
	struct blob b;

	zip_error_init(&z.error);
	src = zip_source_buffer_create(NULL, 0, 0, NULL);
	za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	zip_source_keep(src);
	s = zip_source_function(za, zeros_read, &z);
	assert_non_null(s);
	idx = zip_file_add(za, name, s, 0);
	assert_true(idx >= 0);
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
	assert_int_equal(zip_close(za), 0);
	zip_source_stat(src, &st);
	zip_source_open(src);
	b.n = st.size;
	b.p = malloc(b.n);
	assert_int_equal(zip_source_read(src, b.p, b.n), (zip_int64_t)b.n);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&z.error);
	return b;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
refuses_zip_bombs(void **state)
{
	struct blob bomb = zero_bomb("collection.anki2", 300 * 1048576ULL);
	unsigned char *cd;

	(void)state;
	/* 300 MiB of zeros in well under 1 MiB: refused by its header. */
	assert_true(bomb.n < 1048576);
	refused(bomb, NULL, "an entry would unpack to more than 268435456 "
	    "bytes");
	/* The same claiming 1000 bytes: refused by the bytes counted. */
	assert_memory_equal(bomb.p, "PK\x03\x04", 4);
	put32(bomb.p + 22, 1000);
	cd = memmem(bomb.p, bomb.n, "PK\x01\x02", 4);
	assert_non_null(cd);
	put32(cd + 24, 1000);
	refused(bomb, NULL, "an entry unpacks to more than it declares");
	free(bomb.p);
	/* Too many entries. */
	{
		struct anki_limits lim;
		struct entry e[] = {{"a", "1", 1}, {"b", "2", 1}};
		struct blob pkg = zip_make(e, 2);

		anki_limits_default(&lim);
		lim.max_entries = 1;
		refused(pkg, &lim, "too many entries in the package (limit 1)");
		lim.max_entries = 10;
		lim.max_total = 1;
		refused(pkg, &lim, "would unpack to more than 1 bytes");
		free(pkg.p);
	}
}

/*
 * A zstd collection that is a real SQLite file followed by 300 MiB of
 * zeros: only counting the bytes zstd produces can stop it, since the
 * zip entry is small and honest.
 */
static void
refuses_a_zstd_bomb(void **state)
{
	struct blob coll = legacy_collection(), z, pkg;
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	unsigned char *zeros = calloc(1, 1048576);
	size_t cap = 4 * 1048576;
	struct anki_limits lim;
	ZSTD_outBuffer out;

	(void)state;
	z.p = malloc(cap);
	out.dst = z.p;
	out.size = cap;
	out.pos = 0;
	{
		ZSTD_inBuffer in = {coll.p, coll.n, 0};

		assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &out, &in,
		    ZSTD_e_continue)));
		assert_int_equal(in.pos, in.size);
	}
	for (int i = 0; i < 300; i++) {
		ZSTD_inBuffer in = {zeros, 1048576, 0};

		while (in.pos < in.size)
			assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &out,
			    &in, ZSTD_e_continue)));
	}
	{
		ZSTD_inBuffer in = {NULL, 0, 0};
		size_t left;

		do {
			left = ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end);
			assert_false(ZSTD_isError(left));
		} while (left != 0);
	}
	z.n = out.pos;
	assert_true(z.n < 1048576);
	pkg = zip_one("collection.anki21b", z);
	refused(pkg, NULL, "compressed more than 200 to 1");
	anki_limits_default(&lim);
	lim.max_ratio = 0;	/* none: the size limit stops it */
	lim.max_entry = 16 * 1048576;
	refused(pkg, &lim, "an entry would unpack to more than 16777216 bytes");
	free(pkg.p);
	free(z.p);
	free(zeros);
	free(coll.p);
	ZSTD_freeCCtx(cc);
}

static void
refuses_too_much_content(void **state)
{
	struct blob coll = legacy_collection();
	struct blob pkg = zip_one("collection.anki2", coll);
	struct anki_limits lim;
	struct anki_deck_data d;
	char why[200];

	(void)state;
	anki_limits_default(&lim);
	lim.max_notes = 6;
	refused(pkg, &lim, "too many notes (limit 6)");
	lim.max_notes = 7;
	assert_int_equal(read_package(pkg, &lim, &d, why, sizeof(why)), 0);
	anki_free(&d);
	lim.max_cards = 9;
	refused(pkg, &lim, "too many cards (limit 9)");
	anki_limits_default(&lim);
	lim.max_reviews = 6;
	refused(pkg, &lim, "too many reviews (limit 6)");
	anki_limits_default(&lim);
	lim.max_json = 100;
	refused(pkg, &lim, "the note types take more than 100 bytes");
	/* Long fields skip their notes only ("53 ![](dns.png)" is 15). */
	anki_limits_default(&lim);
	lim.max_field = 15;
	assert_int_equal(read_package(pkg, &lim, &d, why, sizeof(why)), 0);
	assert_int_equal(d.n_notes, 2);
	assert_int_equal(d.skipped_notes, 5);
	assert_string_equal(d.notes[0].front, "DNS\\\nport");
	anki_free(&d);
	free(pkg.p);
	free(coll.p);
}

static void
bounds_the_work_of_sqlite(void **state)
{
	sqlite3 *db = db_new();
	struct blob coll, pkg;
	struct anki_limits lim;

	(void)state;
	exec(db, schema11);
	exec(db, "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}',"
	    " '{}', '{}', '{}');"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	    "WHERE i < 5000) INSERT INTO notes SELECT i, 'g', 1, 0, 0, '', "
	    "'front' || char(31) || 'back', '', 0, 0, '' FROM n;");
	coll = db_bytes(db);
	pkg = zip_one("collection.anki2", coll);
	anki_limits_default(&lim);
	lim.max_sql_steps = 20000;
	refused(pkg, &lim, "steps to read");
	free(pkg.p);
	free(coll.p);
}

static void
refuses_views_and_strangers(void **state)
{
	sqlite3 *db = db_new();
	struct blob coll, pkg;

	(void)state;
	/* notes is a view: views are off, and it is not taken for a table. */
	exec(db, "CREATE TABLE col (id, models, decks);"
	    "INSERT INTO col VALUES (1, '{}', '{}');"
	    "CREATE TABLE cards (id, nid, did, ord);"
	    "CREATE VIEW notes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n) SELECT i AS id, 1 AS mid, '' AS guid, '' AS "
	    "tags, 'x' AS flds FROM n;");
	coll = db_bytes(db);
	pkg = zip_one("collection.anki2", coll);
	refused(pkg, NULL, "not an Anki collection");
	free(pkg.p);
	free(coll.p);
	/* An SQLite file of something else. */
	db = db_new();
	exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
	coll = db_bytes(db);
	pkg = zip_one("collection.anki2", coll);
	refused(pkg, NULL, "not an Anki collection");
	free(pkg.p);
	/* Damaged: a valid header, then garbage pages. */
	memset(coll.p + 100, 0xa5, coll.n - 100);
	pkg = zip_one("collection.anki2", coll);
	refused(pkg, NULL, "collection");
	free(pkg.p);
	free(coll.p);
	/* Note types that are not JSON. */
	db = db_new();
	exec(db, schema11);
	exec(db, "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', "
	    "'[[[[', '{}', '{}', '{}')");
	coll = db_bytes(db);
	pkg = zip_one("collection.anki2", coll);
	refused(pkg, NULL, "the note types cannot be read");
	free(pkg.p);
	free(coll.p);
}

/* ---- Media. ---- */

/* n bytes that compress to nothing, different for each seed. */
static struct blob
noise(size_t n, uint32_t seed)
{
	struct blob b = {malloc(n > 0 ? n : 1), n};
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b.p[i] = (unsigned char)x;
	}
	return b;
}

static void
blob_put(struct blob *b, const void *p, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
pb_varint(struct blob *b, uint64_t v)
{
	unsigned char c;

	do {
		c = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			c |= 0x80;
		blob_put(b, &c, 1);
	} while (v != 0);
}

/*
 * A MediaEntry (name 1, size 2, sha1 3, legacy_zip_filename 255 when
 * legacy is not negative, and two fields Anki does not write, a fixed32
 * and a fixed64, to be skipped) appended to the MediaEntries in b.
 */
static void
pb_media(struct blob *b, const char *name, uint32_t size, long legacy)
{
	struct blob e = {NULL, 0};
	unsigned char sha1[20] = {0};

	pb_varint(&e, 1 << 3 | 2);
	pb_varint(&e, strlen(name));
	blob_put(&e, name, strlen(name));
	pb_varint(&e, 2 << 3 | 0);
	pb_varint(&e, size);
	pb_varint(&e, 3 << 3 | 2);
	pb_varint(&e, sizeof(sha1));
	blob_put(&e, sha1, sizeof(sha1));
	pb_varint(&e, 6 << 3 | 5);
	blob_put(&e, "abcd", 4);
	pb_varint(&e, 7 << 3 | 1);
	blob_put(&e, "abcdefgh", 8);
	if (legacy >= 0) {
		pb_varint(&e, 255 << 3 | 0);
		pb_varint(&e, (uint64_t)legacy);
	}
	pb_varint(b, 1 << 3 | 2);
	pb_varint(b, e.n);
	blob_put(b, e.p, e.n);
	free(e.p);
}

/* Reads pkg, which must succeed, into d. */
static void
read_ok(struct blob pkg, const struct anki_limits *lim,
    struct anki_deck_data *d)
{
	char why[200];

	if (read_package(pkg, lim, d, why, sizeof(why)) != 0)
		fail_msg("refused: %s", why);
	assert_int_equal(d->n_notes, 4);	/* the notes are all there */
}

static void
check_media(const struct anki_media *m, const char *name, struct blob b)
{
	assert_string_equal(m->name, name);
	assert_int_equal(m->len, b.n);
	assert_memory_equal(m->data, b.p, b.n);
}

/*
 * A package as Anki before 2.1.50 writes it: a JSON map, the files as
 * they are.  The map is hostile too: names that could leave a folder or
 * hide, a name twice, an entry that is not there, a file too large, the
 * collection itself, a number for a name.
 */
static void
reads_legacy_media(void **state)
{
	struct blob coll = legacy_collection(), png = noise(300, 1),
	    mp3 = noise(200, 2), big = noise(2000, 3), small = noise(10, 4);
	static const char map[] = "{\"0\": \"osi.png\", \"1\": \"port 22.mp3\","
	    " \"2\": \"../x.png\", \"3\": \"a/b.png\", \"4\": \".hidden.png\","
	    " \"5\": \"osi.png\", \"6\": \"missing.png\", \"7\": \"big.png\","
	    " \"collection.anki2\": \"coll.png\", \"9\": 42,"
	    " \"8\": \"caf\\u00e9.png\"}";
	struct entry e[] = {{"collection.anki2", coll.p, coll.n},
	    {"media", map, strlen(map)}, {"0", png.p, png.n},
	    {"1", mp3.p, mp3.n}, {"2", "x", 1}, {"3", "x", 1}, {"4", "x", 1},
	    {"5", "x", 1}, {"7", big.p, big.n}, {"8", small.p, small.n},
	    {"9", "x", 1}};
	struct blob pkg = zip_make(e, sizeof(e) / sizeof(e[0]));
	struct anki_limits lim;
	struct anki_deck_data d;

	(void)state;
	anki_limits_default(&lim);
	assert_int_equal(lim.max_media, 5000);
	assert_int_equal(lim.max_media_file, 10 << 20);
	assert_int_equal(lim.max_media_total, 500 << 20);
	lim.max_media_file = 1000;
	read_ok(pkg, &lim, &d);
	assert_int_equal(d.n_media, 3);
	check_media(&d.media[0], "osi.png", png);
	check_media(&d.media[1], "port 22.mp3", mp3);
	check_media(&d.media[2], "caf\xc3\xa9.png", small);
	/* 3 bad names, a second osi.png, missing, big, coll.png, 42. */
	assert_int_equal(d.skipped_media, 8);
	anki_free(&d);
	assert_null(d.media);
	/* Past max_media files: the first ones in the map are kept. */
	lim.max_media = 2;
	read_ok(pkg, &lim, &d);
	assert_int_equal(d.n_media, 2);
	check_media(&d.media[1], "port 22.mp3", mp3);
	assert_int_equal(d.skipped_media, 9);
	anki_free(&d);
	/* Past max_media_total bytes: 300 fit, 200 more do not, 10 do. */
	lim.max_media = 5000;
	lim.max_media_total = 350;
	read_ok(pkg, &lim, &d);
	assert_int_equal(d.n_media, 2);
	check_media(&d.media[0], "osi.png", png);
	check_media(&d.media[1], "caf\xc3\xa9.png", small);
	assert_int_equal(d.skipped_media, 9);
	anki_free(&d);
	free(pkg.p);
	free(coll.p);
	free(png.p);
	free(mp3.p);
	free(big.p);
	free(small.p);
}

/*
 * A package as Anki 2.1.50 and later writes it: a zstd collection, meta
 * saying version 3, a zstd-compressed protobuf map, zstd-compressed files;
 * one file named by legacy_zip_filename and stored as it is.
 */
static void
reads_latest_media(void **state)
{
	struct blob coll = legacy_collection(), zcoll = zstd_make(coll);
	struct blob png = noise(3000, 5), mp3 = noise(70000, 6),
	    old = noise(50, 7), zpng = zstd_make(png), zmp3 = zstd_make(mp3);
	struct blob pb = {NULL, 0}, zpb, pkg;
	struct anki_deck_data d;

	(void)state;
	pb_media(&pb, "osi.png", 3000, -1);		/* "0" */
	pb_media(&pb, "port 22.mp3", 70000, -1);	/* "1" */
	pb_media(&pb, "sub/x.png", 1, -1);		/* "2": a bad name */
	pb_media(&pb, "legacy.png", 50, 9);		/* "9" */
	pb_media(&pb, "", 0, -1);			/* "4": no name */
	pb_media(&pb, "missing.png", 1, -1);		/* "5": not there */
	pb_varint(&pb, 2 << 3 | 0);			/* unknown: skipped */
	pb_varint(&pb, 300);
	zpb = zstd_make(pb);
	{
		struct entry e[] = {{"collection.anki21b", zcoll.p, zcoll.n},
		    {"meta", "\x08\x03", 2}, {"media", zpb.p, zpb.n},
		    {"0", zpng.p, zpng.n}, {"1", zmp3.p, zmp3.n},
		    {"2", "x", 1}, {"9", old.p, old.n}, {"4", "x", 1}};

		pkg = zip_make(e, sizeof(e) / sizeof(e[0]));
	}
	read_ok(pkg, NULL, &d);
	assert_int_equal(d.n_media, 3);
	check_media(&d.media[0], "osi.png", png);
	check_media(&d.media[1], "port 22.mp3", mp3);
	check_media(&d.media[2], "legacy.png", old);
	assert_int_equal(d.skipped_media, 3);
	anki_free(&d);
	free(pkg.p);
	/* The map stored as it is, not compressed: the same. */
	{
		struct entry e[] = {{"collection.anki21b", zcoll.p, zcoll.n},
		    {"media", pb.p, pb.n}, {"0", zpng.p, zpng.n},
		    {"1", zmp3.p, zmp3.n}, {"9", old.p, old.n}};

		pkg = zip_make(e, sizeof(e) / sizeof(e[0]));
	}
	read_ok(pkg, NULL, &d);
	assert_int_equal(d.n_media, 3);
	check_media(&d.media[2], "legacy.png", old);
	anki_free(&d);
	free(pkg.p);
	free(pb.p);
	free(zpb.p);
	free(coll.p);
	free(zcoll.p);
	free(png.p);
	free(mp3.p);
	free(old.p);
	free(zpng.p);
	free(zmp3.p);
}

/* Reads a package of the collection, the map and the files given. */
static void
read_with_map(const void *map, size_t maplen, const struct entry *files,
    size_t n, const struct anki_limits *lim, struct anki_deck_data *d)
{
	struct blob coll = legacy_collection(), pkg;
	struct entry e[8];

	assert_true(n + 2 <= sizeof(e) / sizeof(e[0]));
	e[0].name = "collection.anki2";
	e[0].data = coll.p;
	e[0].len = coll.n;
	e[1].name = "media";
	e[1].data = map;
	e[1].len = maplen;
	memcpy(e + 2, files, n * sizeof(*files));
	pkg = zip_make(e, n + 2);
	read_ok(pkg, lim, d);
	free(pkg.p);
	free(coll.p);
}

/* zstd of n zeros; contentsize false: a frame that does not say n. */
static struct blob
zstd_zeros(size_t n, bool contentsize)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	unsigned char *zeros = calloc(1, n);
	struct blob b;
	size_t r;

	ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, contentsize);
	b.p = malloc(ZSTD_compressBound(n));
	r = ZSTD_compress2(cc, b.p, ZSTD_compressBound(n), zeros, n);
	assert_false(ZSTD_isError(r));
	b.n = r;
	free(zeros);
	ZSTD_freeCCtx(cc);
	return b;
}

/*
 * zstd bombs among the files: each is skipped, and the file after it
 * kept, whether the frame says its size or not, whether the ratio or the
 * size stops it.
 */
static void
skips_media_bombs(void **state)
{
	struct blob map = {NULL, 0}, zmap, ok = noise(100, 8), zok;
	struct anki_limits lim;
	struct anki_deck_data d;

	(void)state;
	pb_media(&map, "bomb.png", 0, -1);
	pb_media(&map, "ok.png", 100, -1);
	zmap = zstd_make(map);
	zok = zstd_make(ok);
	for (int k = 0; k < 4; k++) {
		struct blob bomb = zstd_zeros(20 << 20, k % 2 == 0);
		struct entry e[] = {{"0", bomb.p, bomb.n}, {"1", zok.p, zok.n}};

		assert_true(bomb.n < 4096);
		anki_limits_default(&lim);
		if (k >= 2) {
			lim.max_ratio = 0;	/* none: the size stops it */
			lim.max_media_file = 1 << 20;
		}
		read_with_map(zmap.p, zmap.n, e, 2, &lim, &d);
		assert_int_equal(d.n_media, 1);
		check_media(&d.media[0], "ok.png", ok);
		assert_int_equal(d.skipped_media, 1);
		anki_free(&d);
		free(bomb.p);
	}
	/* A frame cut short, and one that is not zstd past its magic. */
	{
		struct entry e[] = {{"0", zok.p, zok.n - 3},
		    {"1", "\x28\xb5\x2f\xfdnot zstd", 12}};

		read_with_map(zmap.p, zmap.n, e, 2, NULL, &d);
		assert_int_equal(d.n_media, 0);
		assert_int_equal(d.skipped_media, 2);
		anki_free(&d);
	}
	free(map.p);
	free(zmap.p);
	free(ok.p);
	free(zok.p);
}

/*
 * A map that cannot be read keeps no file and fails nothing else: the
 * files it had are taken to be the entries that are not the collection,
 * the map or meta.
 */
static void
skips_media_of_a_broken_map(void **state)
{
	static const struct {
		const char *map;
		size_t len;
	} maps[] = {
		{"\x0a\x7f\x0a\x03" "abc", 7},	/* a length past the end */
		{"\x0a\x05\x0a\x09" "abc", 7},	/* inside the entry too */
		{"\x0a\x02\x0b\x00", 4},	/* a group */
		{"\x0a\x80", 2},		/* a varint cut short */
		{"\x00\x00", 2},		/* field number 0 */
		{"\x0a\x04\xfa\x0f\x01" "a", 6},	/* 255, not a varint */
		{"\x28\xb5\x2f\xfd" "garbage", 11},	/* not zstd after all */
		{"{\"0\": ", 6},		/* JSON cut short */
		{"{\"0\": \"a.png\"} {", 16},
	};
	struct entry e[] = {{"0", "x", 1}, {"1", "y", 1}, {"meta", "\x08\x02",
	    2}};
	struct anki_deck_data d;

	(void)state;
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		read_with_map(maps[i].map, maps[i].len, e, 3, NULL, &d);
		if (d.n_media != 0 || d.skipped_media != 2)
			fail_msg("map %zu: %zu kept, %zu skipped", i, d.n_media,
			    d.skipped_media);
		anki_free(&d);
	}
	/* Empty, a map of nothing, or no map at all: nothing to skip. */
	read_with_map("", 0, e, 3, NULL, &d);
	assert_int_equal(d.n_media + d.skipped_media, 0);
	anki_free(&d);
	read_with_map("{}", 2, e, 3, NULL, &d);
	assert_int_equal(d.n_media + d.skipped_media, 0);
	anki_free(&d);
	{
		struct blob coll = legacy_collection(), pkg;
		struct entry f[] = {{"collection.anki2", coll.p, coll.n},
		    {"0", "x", 1}};

		pkg = zip_make(f, 2);
		read_ok(pkg, NULL, &d);
		assert_int_equal(d.n_media + d.skipped_media, 0);
		anki_free(&d);
		free(pkg.p);
		free(coll.p);
	}
	/* A map larger than max_json (here the note types') is not read. */
	{
		struct anki_limits lim;
		char map[sizeof(models11) + 20];

		anki_limits_default(&lim);
		lim.max_json = strlen(models11);
		memset(map, ' ', sizeof(map));
		memcpy(map, "{\"0\": \"a.png\"", 13);
		map[sizeof(map) - 1] = '}';
		read_with_map(map, sizeof(map), e, 3, &lim, &d);
		assert_int_equal(d.n_media, 0);
		assert_int_equal(d.skipped_media, 2);
		anki_free(&d);
		lim.max_json = sizeof(map);
		read_with_map(map, sizeof(map), e, 3, &lim, &d);
		assert_int_equal(d.n_media, 1);
		assert_int_equal(d.skipped_media, 0);
		anki_free(&d);
	}
}

static struct anki_media media2[2];

static void
sample_media(struct anki_deck_data *d, struct blob a, struct blob b)
{
	media2[0].name = "osi.png";
	media2[0].data = a.p;
	media2[0].len = a.n;
	media2[1].name = "port 22 \xe2\x80\x93 caf\xc3\xa9.mp3";
	media2[1].data = b.p;
	media2[1].len = b.n;
	d->media = media2;
	d->n_media = 2;
}

static void
writes_media_that_read_back(void **state)
{
	struct anki_note notes[4];
	struct anki_card cards[3];
	struct anki_deck_data in, out;
	struct blob a = noise(5000, 9), b = noise(1, 10);
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	zip_file_t *zf;
	char map[200];
	void *pkg;
	size_t len;
	char why[200];
	zip_int64_t n;

	(void)state;
	sample_deck(&in, notes, cards);
	notes[0].back = "![](osi.png) and [sound:port 22 \xe2\x80\x93 "
	    "caf\xc3\xa9.mp3]";
	sample_media(&in, a, b);
	assert_int_equal(anki_write(&in, &pkg, &len, why, sizeof(why)), 0);
	/* The files stored as they are, the map as JSON. */
	src = zip_source_buffer_create(pkg, len, 0, NULL);
	za = zip_open_from_source(src, ZIP_RDONLY, NULL);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 4);
	assert_int_equal(zip_stat(za, "0", 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_STORE);
	assert_int_equal(st.size, 5000);
	assert_int_equal(zip_stat(za, "1", 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_STORE);
	zf = zip_fopen(za, "media", 0);
	assert_non_null(zf);
	n = zip_fread(zf, map, sizeof(map) - 1);
	assert_true(n > 0);
	map[n] = '\0';
	assert_string_equal(map, "{\"0\":\"osi.png\",\"1\":\"port 22 "
	    "\xe2\x80\x93 caf\xc3\xa9.mp3\"}");
	zip_fclose(zf);
	zip_discard(za);
	/* Read back: the same files, the same notes. */
	assert_int_equal(anki_read(pkg, len, NULL, &out, why, sizeof(why)), 0);
	assert_int_equal(out.n_media, 2);
	check_media(&out.media[0], "osi.png", a);
	check_media(&out.media[1], "port 22 \xe2\x80\x93 caf\xc3\xa9.mp3", b);
	assert_int_equal(out.skipped_media + out.skipped_refs, 0);
	assert_string_equal(out.notes[0].back, "![](osi.png) and [sound:port "
	    "22 \xe2\x80\x93 caf\xc3\xa9.mp3]");
	anki_free(&out);
	free(pkg);
	free(a.p);
	free(b.p);
}

static void
refuses_to_write_bad_media(void **state)
{
	struct anki_note notes[4];
	struct anki_card cards[3];
	struct anki_deck_data d;
	struct blob a = noise(10, 11), b = noise(10, 12);
	void *pkg;
	size_t len;
	char why[200];

	(void)state;
	sample_deck(&d, notes, cards);
	sample_media(&d, a, b);
	media2[1].name = "../x.mp3";
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	assert_string_equal(why, "media file 1 has a name Anki cannot take");
	sample_media(&d, a, b);
	media2[1].name = "osi.png";
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	assert_string_equal(why, "two media files are named osi.png");
	sample_media(&d, a, b);
	media2[0].data = NULL;
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), -1);
	assert_string_equal(why, "media file 0 has no bytes");
	/* An empty file is a file. */
	media2[0].len = 0;
	assert_int_equal(anki_write(&d, &pkg, &len, why, sizeof(why)), 0);
	free(pkg);
	free(a.p);
	free(b.p);
}

static void
leaves_no_temporary_file(void **state)
{
	DIR *dir = opendir(tmpdir);
	struct dirent *e;
	int files = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			files++;
	closedir(dir);
	assert_int_equal(files, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_legacy_package),
		cmocka_unit_test(prefers_the_zstd_collection),
		cmocka_unit_test(reads_a_schema_18_collection),
		cmocka_unit_test(converts_fields),
		cmocka_unit_test(fields_go_back_to_html),
		cmocka_unit_test(writes_a_package_that_reads_back),
		cmocka_unit_test(writes_an_empty_deck),
		cmocka_unit_test(refuses_to_write_what_is_not_a_deck),
		cmocka_unit_test(refuses_what_is_not_a_package),
		cmocka_unit_test(refuses_a_package_without_a_collection),
		cmocka_unit_test(refuses_a_collection_that_is_not_sqlite),
		cmocka_unit_test(refuses_path_traversal),
		cmocka_unit_test(refuses_zip_bombs),
		cmocka_unit_test(refuses_a_zstd_bomb),
		cmocka_unit_test(refuses_too_much_content),
		cmocka_unit_test(bounds_the_work_of_sqlite),
		cmocka_unit_test(refuses_views_and_strangers),
		cmocka_unit_test(reads_legacy_media),
		cmocka_unit_test(reads_latest_media),
		cmocka_unit_test(skips_media_bombs),
		cmocka_unit_test(skips_media_of_a_broken_map),
		cmocka_unit_test(writes_media_that_read_back),
		cmocka_unit_test(refuses_to_write_bad_media),
		cmocka_unit_test(leaves_no_temporary_file),
	};
	int rc;

	if (mkdtemp(tmpdir) == NULL || setenv("TMPDIR", tmpdir, 1) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return rc;
}
