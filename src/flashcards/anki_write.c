/*
 * anki_write.c - a deck written as a package Anki imports (anki_write in
 * anki.h).
 *
 * Writing needs no temporary file: the collection is built in an SQLite
 * database in memory, serialized, and zipped in memory with the media
 * files.  Those go as a schema 11 package has them, which every Anki
 * since 2.1 reads: entries "0", "1", ... stored as they are (images and
 * sounds are compressed already), named by the JSON map in "media".
 */
#include "flashcards/anki.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <zip.h>

#include "core/alloc.h"
#include "flashcards/anki_int.h"
#include "flashcards/cloze.h"
#include "flashcards/media.h"

/* Anki's own schema 11 (rslib/src/storage/schema11.sql). */
static const char schema11[] =
	"CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL,"
	" mod integer NOT NULL, scm integer NOT NULL, ver integer NOT NULL,"
	" dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,"
	" conf text NOT NULL, models text NOT NULL, decks text NOT NULL,"
	" dconf text NOT NULL, tags text NOT NULL);"
	"CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL,"
	" mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,"
	" tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,"
	" csum integer NOT NULL, flags integer NOT NULL,"
	" data text NOT NULL);"
	"CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL,"
	" did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,"
	" usn integer NOT NULL, type integer NOT NULL,"
	" queue integer NOT NULL, due integer NOT NULL,"
	" ivl integer NOT NULL, factor integer NOT NULL,"
	" reps integer NOT NULL, lapses integer NOT NULL,"
	" left integer NOT NULL, odue integer NOT NULL,"
	" odid integer NOT NULL, flags integer NOT NULL,"
	" data text NOT NULL);"
	"CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL,"
	" usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,"
	" lastIvl integer NOT NULL, factor integer NOT NULL,"
	" time integer NOT NULL, type integer NOT NULL);"
	"CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL,"
	" type integer NOT NULL);"
	"CREATE INDEX ix_notes_usn ON notes (usn);"
	"CREATE INDEX ix_cards_usn ON cards (usn);"
	"CREATE INDEX ix_revlog_usn ON revlog (usn);"
	"CREATE INDEX ix_cards_nid ON cards (nid);"
	"CREATE INDEX ix_cards_sched ON cards (did, queue, due);"
	"CREATE INDEX ix_revlog_cid ON revlog (cid);"
	"CREATE INDEX ix_notes_csum ON notes (csum);";

/* The deck options group every deck of the package uses: Anki's default. */
static const char dconf_json[] =
	"{\"1\": {\"id\": 1, \"mod\": 0, \"name\": \"Default\", \"usn\": 0,"
	" \"maxTaken\": 60, \"autoplay\": true, \"timer\": 0,"
	" \"replayq\": true, \"dyn\": false,"
	" \"new\": {\"bury\": false, \"delays\": [1.0, 10.0],"
	" \"initialFactor\": 2500, \"ints\": [1, 4, 0], \"order\": 1,"
	" \"perDay\": 20},"
	" \"rev\": {\"bury\": false, \"ease4\": 1.3, \"ivlFct\": 1.0,"
	" \"maxIvl\": 36500, \"perDay\": 200, \"hardFactor\": 1.2},"
	" \"lapse\": {\"delays\": [10.0], \"leechAction\": 1,"
	" \"leechFails\": 8, \"minInt\": 1, \"mult\": 0.0}}}";

static const char card_css[] =
	".card {\n    font-family: arial;\n    font-size: 20px;\n"
	"    text-align: center;\n    color: black;\n"
	"    background-color: white;\n}\n";
static const char cloze_css[] =
	".card {\n    font-family: arial;\n    font-size: 20px;\n"
	"    text-align: center;\n    color: black;\n"
	"    background-color: white;\n}\n"
	".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
	".nightMode .cloze {\n    color: lightblue;\n}\n";
static const char latex_pre[] =
	"\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
	"\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n"
	"\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n"
	"\\begin{document}\n";
static const char latex_post[] = "\\end{document}";

/*
 * The three note types, by enum note_kind.  Fixed ids: a second package
 * from Ludus finds its note types already there and reuses them.
 */
static const struct model_def {
	int64_t id;
	const char *name;
	int type;		/* 0 standard, 1 cloze */
	const char *fields[2];
	size_t n_tmpls;
	const char *tmpls[2][3];	/* name, question, answer */
	const char *css;
} model_defs[3] = {
	{1700000000101LL, "Basic (Ludus)", 0, {"Front", "Back"}, 1,
	    {{"Card 1", "{{Front}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}}, card_css},
	{1700000000102LL, "Basic and reversed card (Ludus)", 0,
	    {"Front", "Back"}, 2,
	    {{"Card 1", "{{Front}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"},
	    {"Card 2", "{{Back}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"}}, card_css},
	{1700000000103LL, "Cloze (Ludus)", 1, {"Text", "Back Extra"}, 1,
	    {{"Cloze", "{{cloze:Text}}",
	    "{{cloze:Text}}<br>\n{{Back Extra}}"}}, cloze_css},
};

static json_t *
model_json(const struct model_def *m, int64_t did, int64_t mod)
{
	json_t *flds = json_array(), *tmpls = json_array(), *req = json_array();

	for (size_t i = 0; i < 2; i++)
		json_array_append_new(flds, json_pack("{s:s, s:i, s:b, s:b, "
		    "s:s, s:i, s:[]}", "name", m->fields[i], "ord", (int)i,
		    "sticky", 0, "rtl", 0, "font", "Arial", "size", 20,
		    "media"));
	for (size_t i = 0; i < m->n_tmpls; i++) {
		json_array_append_new(tmpls, json_pack("{s:s, s:i, s:s, s:s, "
		    "s:s, s:s, s:n, s:s, s:i}", "name", m->tmpls[i][0], "ord",
		    (int)i, "qfmt", m->tmpls[i][1], "afmt", m->tmpls[i][2],
		    "bqfmt", "", "bafmt", "", "did", "bfont", "", "bsize", 0));
		json_array_append_new(req, json_pack("[i, s, [i]]", (int)i,
		    "any", (int)i));
	}
	return json_pack("{s:I, s:s, s:i, s:I, s:i, s:i, s:I, s:o, s:o, s:s, "
	    "s:s, s:s, s:b, s:o, s:[], s:[]}", "id", (json_int_t)m->id, "name",
	    m->name, "type", m->type, "mod", (json_int_t)mod, "usn", -1,
	    "sortf", 0, "did", (json_int_t)did, "tmpls", tmpls, "flds", flds,
	    "css", m->css, "latexPre", latex_pre, "latexPost", latex_post,
	    "latexsvg", 0, "req", req, "tags", "vers");
}

static json_t *
deck_json(int64_t id, const char *name, int64_t mod)
{
	return json_pack("{s:I, s:I, s:s, s:i, s:[i,i], s:[i,i], s:[i,i], "
	    "s:[i,i], s:b, s:b, s:s, s:i, s:i, s:i, s:i}", "id",
	    (json_int_t)id, "mod", (json_int_t)mod, "name", name, "usn", -1,
	    "lrnToday", 0, 0, "revToday", 0, 0, "newToday", 0, 0, "timeToday",
	    0, 0, "collapsed", 0, "browserCollapsed", 0, "desc", "", "dyn", 0,
	    "conf", 1, "extendNew", 0, "extendRev", 0);
}

/* The col row's JSON: conf, models, decks; NULL if memory ran out. */
static char *
json_text(json_t *v)
{
	char *s = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	return s;
}

/* A field's text as Anki compares it: tags dropped, entities decoded. */
static char *
field_plain(const char *html)
{
	struct buf b = {0};
	size_t n = strlen(html), i = 0;
	char *s;

	while (i < n) {
		uint32_t cp;
		size_t len;

		if (html[i] == '<') {
			const char *e = strchr(html + i, '>');

			i = e != NULL ? (size_t)(e - html) + 1 : n;
		} else if (html[i] == '&' && anki_entity_at(html + i + 1,
		    n - i - 1, &cp, &len)) {
			if (cp != 0)
				anki_utf8_put(&b, cp == 0xa0 ? ' ' : cp);
			i += 1 + len;
		} else
			buf_putc(&b, html[i++]);
	}
	s = buf_take(&b);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	i = strspn(s, " \n");
	memmove(s, s + i, n - i + 1);
	return s;
}

static void
sha1(const void *p, size_t n, unsigned char md[EVP_MAX_MD_SIZE])
{
	unsigned int len;

	EVP_Digest(p, n, md, &len, EVP_sha1(), NULL);
}

/* Anki's checksum: the first 32 bits of the SHA-1 of the plain field. */
static int64_t
field_csum(const char *plain)
{
	unsigned char md[EVP_MAX_MD_SIZE];

	sha1(plain, strlen(plain), md);
	return (int64_t)md[0] << 24 | md[1] << 16 | md[2] << 8 | md[3];
}

/*
 * A guid as Anki makes them (64 bits in base 91) from the note's stable
 * id, or, without one, from its content and place; the stable id itself
 * when it is a plain one (printable ASCII, no space), so that reading the
 * package gives it back.
 */
static char *
note_guid(const struct anki_note *n, size_t index)
{
	static const char table[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
	unsigned char md[EVP_MAX_MD_SIZE];
	char out[16], *p = out + sizeof(out) - 1;
	uint64_t v = 0;
	char *g;

	if (n->guid != NULL &&
	    (g = anki_guid_read(n->guid, strlen(n->guid))) != NULL)
		return g;
	if (n->guid != NULL)
		sha1(n->guid, strlen(n->guid), md);
	else {
		char *s = xasprintf("%zu\x1f%s\x1f%s\x1f%s", index, n->kind,
		    n->front, n->back != NULL ? n->back : "");

		sha1(s, strlen(s), md);
		free(s);
	}
	for (int i = 0; i < 8; i++)
		v = v << 8 | md[i];
	*p = '\0';
	do {
		*--p = table[v % 91];
		v /= 91;
	} while (v != 0);
	return xstrdup(p);
}

/* A card of d->cards looked up by note and ordinal. */
struct card_key {
	size_t note;
	int ordinal;
	size_t index;
};

static int
card_key_cmp(const void *a, const void *b)
{
	const struct card_key *x = a, *y = b;

	if (x->note != y->note)
		return (x->note > y->note) - (x->note < y->note);
	return (x->ordinal > y->ordinal) - (x->ordinal < y->ordinal);
}

/* A review as written: its card, time and rating. */
struct wreview {
	int64_t at, cid;
	size_t seq;		/* given order: ties keep it */
	int rating, ms, type;
};

static int
seq_cmp(const struct wreview *x, const struct wreview *y)
{
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
wreview_card_cmp(const void *a, const void *b)
{
	const struct wreview *x = a, *y = b;

	if (x->cid != y->cid)
		return (x->cid > y->cid) - (x->cid < y->cid);
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return seq_cmp(x, y);
}

static int
wreview_time_cmp(const void *a, const void *b)
{
	const struct wreview *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	if (x->cid != y->cid)
		return (x->cid > y->cid) - (x->cid < y->cid);
	return seq_cmp(x, y);
}

/* The ordinals a note makes into ords; how many, or -1 with why. */
static int
note_ordinals(const struct anki_note *n, size_t i, int *kind, int *ords,
    char *why, size_t whylen)
{
	const char *w = NULL;
	int count;

	if ((*kind = note_kind_parse(n->kind)) < 0)
		return anki_fail(why, whylen, "note %zu has an unknown kind",
		    i);
	if (n->front == NULL)
		return anki_fail(why, whylen, "note %zu has no front", i);
	if (*kind == NOTE_BASIC || *kind == NOTE_REVERSED) {
		ords[0] = 0;
		ords[1] = 1;
		return *kind == NOTE_BASIC ? 1 : 2;
	}
	if ((count = cloze_ordinals(n->front, ords, &w)) <= 0)
		return anki_fail(why, whylen, "note %zu: %s", i, count < 0 ? w :
		    "a cloze note needs a deletion");
	return count;
}

/* Checks d->cards and their reviews; their keys sorted into keys. */
static int
write_check(const struct anki_deck_data *d, struct card_key *keys,
    size_t *n_reviews, char *why, size_t whylen)
{
	*n_reviews = 0;
	for (size_t i = 0; i < d->n_cards; i++) {
		const struct anki_card *c = &d->cards[i];
		int kind, ords[CLOZE_MAX], n;
		bool found = false;

		if (c->note >= d->n_notes)
			return anki_fail(why, whylen, "card %zu names no note",
			    i);
		if ((n = note_ordinals(&d->notes[c->note], c->note, &kind,
		    ords, why, whylen)) < 0)
			return -1;
		for (int k = 0; k < n; k++)
			found |= ords[k] == c->ordinal;
		if (!found)
			return anki_fail(why, whylen, "card %zu is not one of "
			    "its note's cards", i);
		for (size_t r = 0; r < c->n_reviews; r++) {
			const struct anki_review *rv = &c->reviews[r];

			if (rv->rating < 1 || rv->rating > 4)
				return anki_fail(why, whylen, "card %zu has a "
				    "rating outside 1..4", i);
			if (rv->at < 0 || rv->at > REVIEW_MAX)
				return anki_fail(why, whylen, "card %zu has a "
				    "review at an impossible time", i);
		}
		*n_reviews += c->n_reviews;
		keys[i].note = c->note;
		keys[i].ordinal = c->ordinal;
		keys[i].index = i;
	}
	if (d->n_cards > 0)
		qsort(keys, d->n_cards, sizeof(*keys), card_key_cmp);
	for (size_t i = 1; i < d->n_cards; i++)
		if (card_key_cmp(&keys[i - 1], &keys[i]) == 0)
			return anki_fail(why, whylen, "two cards are the same "
			    "card of note %zu", keys[i].note);
	return 0;
}

static int
media_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Checks d->media: names media_name_ok takes (Anki's rule too), each once,
 * and bytes for every file that has any.
 */
static int
media_check(const struct anki_deck_data *d, char *why, size_t whylen)
{
	const char **names;
	int rc = 0;

	if (d->n_media == 0)
		return 0;
	if (d->media == NULL)
		return anki_fail(why, whylen, "the media files are missing");
	names = xcalloc(d->n_media, sizeof(*names));
	for (size_t i = 0; i < d->n_media && rc == 0; i++) {
		const struct anki_media *m = &d->media[i];

		if (m->name == NULL || !media_name_ok(m->name, strlen(m->name)))
			rc = anki_fail(why, whylen, "media file %zu has a name "
			    "Anki cannot take", i);
		else if (m->data == NULL && m->len > 0)
			rc = anki_fail(why, whylen, "media file %zu has no "
			    "bytes", i);
		names[i] = m->name;
	}
	if (rc == 0) {
		qsort(names, d->n_media, sizeof(*names), media_name_cmp);
		for (size_t i = 1; i < d->n_media && rc == 0; i++)
			if (strcmp(names[i - 1], names[i]) == 0)
				rc = anki_fail(why, whylen, "two media files "
				    "are named %s", names[i]);
	}
	free(names);
	return rc;
}

/* The media map, {"0": "osi.png", ...}; NULL if memory ran out. */
static char *
media_map(const struct anki_deck_data *d)
{
	json_t *map = json_object();

	for (size_t i = 0; i < d->n_media; i++) {
		char key[24];

		snprintf(key, sizeof(key), "%zu", i);
		if (json_object_set_new(map, key,
		    json_string(d->media[i].name)) != 0) {
			json_decref(map);
			return NULL;
		}
	}
	return json_text(map);
}

struct writer {
	const struct anki_deck_data *d;
	sqlite3 *db;
	sqlite3_stmt *note, *card, *rev;
	struct card_key *keys;
	struct wreview *reviews;
	size_t n_reviews;
	int64_t now, did;
};

/* The col row. */
static int
write_col(struct writer *w)
{
	const char *name = w->d->name != NULL && w->d->name[0] != '\0' ?
	    w->d->name : "Ludus";
	json_t *models = json_object(), *decks = json_object();
	char key[24], *conf, *m, *dk;
	sqlite3_stmt *st;
	int rc = -1;

	for (int k = 0; k < 3; k++) {
		snprintf(key, sizeof(key), "%" PRId64, model_defs[k].id);
		json_object_set_new(models, key, model_json(&model_defs[k],
		    w->did, w->now));
	}
	json_object_set_new(decks, "1", deck_json(1, "Default", w->now));
	snprintf(key, sizeof(key), "%" PRId64, w->did);
	json_object_set_new(decks, key, deck_json(w->did, name, w->now));
	conf = json_text(json_pack("{s:[i], s:I, s:i, s:i, s:i, s:b, s:b, "
	    "s:I, s:I, s:s, s:b, s:b, s:i}", "activeDecks", 1, "curDeck",
	    (json_int_t)w->did, "newSpread", 0, "collapseTime", 1200,
	    "timeLim", 0, "estTimes", 1, "dueCounts", 1, "curModel",
	    (json_int_t)model_defs[0].id, "nextPos",
	    (json_int_t)w->d->n_notes + 1, "sortType", "noteFld",
	    "sortBackwards", 0, "addToCur", 1, "schedVer", 2));
	m = json_text(models);
	dk = json_text(decks);
	if (conf != NULL && m != NULL && dk != NULL &&
	    sqlite3_prepare_v2(w->db, "INSERT INTO col VALUES (1, ?1, ?2, ?2, "
	    "11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, w->now - w->now % 86400);
		sqlite3_bind_int64(st, 2, w->now * 1000);
		sqlite3_bind_text(st, 3, conf, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, dk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, dconf_json, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	free(conf);
	free(m);
	free(dk);
	return rc;
}

/* Tags as Anki keeps them: " a b " (white space inside one made _). */
static char *
tags_field(const struct anki_note *n)
{
	struct buf b = {0};

	for (size_t t = 0; t < n->n_tags; t++) {
		if (n->tags[t] == NULL || n->tags[t][0] == '\0')
			continue;
		buf_putc(&b, ' ');
		for (const char *p = n->tags[t]; *p != '\0'; p++)
			buf_putc(&b, *p == ' ' || *p == '\t' ||
			    *p == '\n' || *p == '\r' ? '_' : *p);
	}
	if (b.len > 0)
		buf_putc(&b, ' ');
	return buf_take(&b);
}

/* Note i, its cards and their reviews (gathered in w->reviews). */
static int
write_note(struct writer *w, size_t i, int64_t *next_card, char *why,
    size_t whylen)
{
	const struct anki_note *n = &w->d->notes[i];
	char *front, *back, *flds, *plain, *guid, *tags;
	int kind, ords[CLOZE_MAX], count, rc = -1;

	if ((count = note_ordinals(n, i, &kind, ords, why, whylen)) < 0)
		return -1;
	front = anki_markdown_to_field(n->front);
	back = anki_markdown_to_field(n->back != NULL ? n->back : "");
	flds = xasprintf("%s\x1f%s", front, back);
	plain = field_plain(front);
	guid = note_guid(n, i);
	tags = tags_field(n);
	sqlite3_reset(w->note);
	sqlite3_bind_int64(w->note, 1, w->now * 1000 + (int64_t)i);
	sqlite3_bind_text(w->note, 2, guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->note, 3, model_defs[kind].id);
	sqlite3_bind_int64(w->note, 4, w->now);
	sqlite3_bind_text(w->note, 5, tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->note, 6, flds, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->note, 7, plain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(w->note, 8, field_csum(plain));
	if (sqlite3_step(w->note) != SQLITE_DONE) {
		anki_fail(why, whylen, "could not build the collection");
		goto out;
	}
	for (int k = 0; k < count; k++) {
		struct card_key key = {i, ords[k], 0}, *found;
		int64_t cid = (*next_card)++;

		sqlite3_reset(w->card);
		sqlite3_bind_int64(w->card, 1, cid);
		sqlite3_bind_int64(w->card, 2, w->now * 1000 + (int64_t)i);
		sqlite3_bind_int64(w->card, 3, w->did);
		sqlite3_bind_int(w->card, 4, kind == NOTE_CLOZE ? ords[k] - 1 :
		    ords[k]);
		sqlite3_bind_int64(w->card, 5, w->now);
		sqlite3_bind_int64(w->card, 6, (int64_t)i + 1);
		if (sqlite3_step(w->card) != SQLITE_DONE) {
			anki_fail(why, whylen, "could not build the "
			    "collection");
			goto out;
		}
		found = w->d->n_cards > 0 ? bsearch(&key, w->keys,
		    w->d->n_cards, sizeof(key), card_key_cmp) : NULL;
		if (found == NULL)
			continue;
		for (size_t r = 0; r < w->d->cards[found->index].n_reviews;
		    r++) {
			const struct anki_review *rv =
			    &w->d->cards[found->index].reviews[r];
			struct wreview *o = &w->reviews[w->n_reviews];

			o->seq = w->n_reviews++;
			o->at = rv->at;
			o->cid = cid;
			o->rating = rv->rating;
			o->ms = rv->duration_ms < 0 ? 0 : rv->duration_ms;
		}
	}
	rc = 0;
out:
	free(front);
	free(back);
	free(flds);
	free(plain);
	free(guid);
	free(tags);
	return rc;
}

/*
 * The review log: a card's first answer typed learning (0), the others
 * review (1); ids are the times in ms, made unique by a ms where two
 * answers share one.
 */
static int
write_revlog(struct writer *w)
{
	int64_t last = INT64_MIN;

	if (w->n_reviews == 0)
		return 0;
	qsort(w->reviews, w->n_reviews, sizeof(*w->reviews), wreview_card_cmp);
	for (size_t i = 0; i < w->n_reviews; i++)
		w->reviews[i].type = i == 0 ||
		    w->reviews[i].cid != w->reviews[i - 1].cid ? 0 : 1;
	qsort(w->reviews, w->n_reviews, sizeof(*w->reviews), wreview_time_cmp);
	for (size_t i = 0; i < w->n_reviews; i++) {
		const struct wreview *r = &w->reviews[i];
		int64_t id = r->at * 1000 > last ? r->at * 1000 : last + 1;

		last = id;
		sqlite3_reset(w->rev);
		sqlite3_bind_int64(w->rev, 1, id);
		sqlite3_bind_int64(w->rev, 2, r->cid);
		sqlite3_bind_int(w->rev, 3, r->rating);
		sqlite3_bind_int(w->rev, 4, r->ms);
		sqlite3_bind_int(w->rev, 5, r->type);
		if (sqlite3_step(w->rev) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/*
 * The zip of the collection, the media files and their map, in memory;
 * the files are not copied, and must stay until it returns.
 */
static int
zip_package(const void *db, size_t dblen, const struct anki_deck_data *d,
    const char *map, void **out, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_stat_t st;
	zip_t *za;
	zip_int64_t idx;
	void *buf;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return -1;
	}
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	zip_source_keep(src);
	if ((s = zip_source_buffer(za, db, dblen, 0)) == NULL ||
	    (idx = zip_file_add(za, "collection.anki2", s,
	    ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		goto bad;
	}
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
	if ((s = zip_source_buffer(za, map, strlen(map), 0)) == NULL ||
	    zip_file_add(za, "media", s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		goto bad;
	}
	for (size_t i = 0; i < d->n_media; i++) {
		char name[24];

		snprintf(name, sizeof(name), "%zu", i);
		if ((s = zip_source_buffer(za, d->media[i].len > 0 ?
		    d->media[i].data : (const void *)"", d->media[i].len,
		    0)) == NULL || (idx = zip_file_add(za, name, s,
		    ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(s);
			goto bad;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE,
		    0);
	}
	if (zip_close(za) != 0)
		goto bad;
	if (zip_source_stat(src, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0 ||
	    zip_source_open(src) != 0) {
		zip_source_free(src);
		return -1;
	}
	buf = xmalloc(st.size > 0 ? st.size : 1);
	if (zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
		free(buf);
		zip_source_close(src);
		zip_source_free(src);
		return -1;
	}
	zip_source_close(src);
	zip_source_free(src);
	*out = buf;
	*outlen = st.size;
	return 0;
bad:
	zip_discard(za);
	zip_source_free(src);
	return -1;
}

int
anki_write(const struct anki_deck_data *d, void **out, size_t *outlen,
    char *why, size_t whylen)
{
	struct writer w = {0};
	size_t total = 0;
	sqlite3_int64 dblen = 0;
	unsigned char *db = NULL;
	char *map = NULL;
	int64_t next_card;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	w.d = d;
	w.keys = xcalloc(d->n_cards + 1, sizeof(*w.keys));
	if (write_check(d, w.keys, &total, why, whylen) != 0 ||
	    media_check(d, why, whylen) != 0)
		goto done;
	w.reviews = xcalloc(total + 1, sizeof(*w.reviews));
	w.now = (int64_t)time(NULL);
	w.did = w.now * 1000;
	next_card = w.now * 1000;
	if (sqlite3_open_v2(":memory:", &w.db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(w.db, schema11, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(w.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    write_col(&w) != 0 ||
	    sqlite3_prepare_v2(w.db, "INSERT INTO notes VALUES (?1, ?2, ?3, "
	    "?4, -1, ?5, ?6, ?7, ?8, 0, '')", -1, &w.note, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w.db, "INSERT INTO cards VALUES (?1, ?2, ?3, "
	    "?4, ?5, -1, 0, 0, ?6, 0, 0, 0, 0, 0, 0, 0, 0, '')", -1, &w.card,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w.db, "INSERT INTO revlog VALUES (?1, ?2, -1, "
	    "?3, 0, 0, 0, ?4, ?5)", -1, &w.rev, NULL) != SQLITE_OK) {
		anki_fail(why, whylen, "could not build the collection");
		goto done;
	}
	for (size_t i = 0; i < d->n_notes; i++)
		if (write_note(&w, i, &next_card, why, whylen) != 0)
			goto done;
	if (write_revlog(&w) != 0 ||
	    sqlite3_exec(w.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
	    (db = sqlite3_serialize(w.db, "main", &dblen, 0)) == NULL ||
	    (map = media_map(d)) == NULL ||
	    zip_package(db, (size_t)dblen, d, map, out, outlen) != 0) {
		anki_fail(why, whylen, "could not build the collection");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(w.note);
	sqlite3_finalize(w.card);
	sqlite3_finalize(w.rev);
	sqlite3_close(w.db);
	sqlite3_free(db);
	free(map);
	free(w.keys);
	free(w.reviews);
	return rc;
}
