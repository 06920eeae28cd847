/*
 * anki.h - Anki packages (.apkg, .colpkg) read into plain memory, and
 * decks written as packages Anki opens.  No database of Ludus is touched:
 * the only side effect is one private temporary file while a package is
 * read, always removed.
 *
 * A package is a zip holding an SQLite collection: collection.anki21b
 * (zstd-compressed, schema 18, Anki 2.1.50 and later), collection.anki21
 * or collection.anki2 (schema 11).  The reader takes the newest one there
 * is and treats every byte of it as hostile: sizes, counts and SQLite's
 * work are bounded by struct anki_limits, and whatever cannot become a
 * Ludus note (over-long fields, note types Ludus has no kind for) or a
 * Ludus media file (a name Ludus refuses, a file too large) is skipped and
 * counted rather than failing the whole package.
 *
 * The package's images and sounds come with it: its "media" entry maps
 * the zip's entries to file names, JSON {"0": "osi.png", ...} in the
 * older packages and zstd-compressed protobuf in the latest, whose files
 * are zstd-compressed too.  The notes refer to them by name (see
 * anki_field_to_markdown).
 *
 * Note types become Ludus kinds: a cloze type is "cloze" (its first field
 * the text, the other non-empty fields the extra), a standard type with two
 * templates "reversed" (fields 0 and 1), any other "basic" (field 0 the
 * front, the other non-empty fields the back, apart by blank lines).
 * Fields are HTML in Anki and Markdown in Ludus: see anki_field_to_markdown.
 */
#ifndef LUDUS_FLASHCARDS_ANKI_H
#define LUDUS_FLASHCARDS_ANKI_H

#include <stddef.h>
#include <stdint.h>

/* What a package may cost; anki_limits_default gives the values below. */
struct anki_limits {
	size_t max_package;	/* bytes of the package: 100 MiB */
	size_t max_entries;	/* entries in the zip (media too): 100,000 */
	uint64_t max_entry;	/* bytes the collection unpacks to:
				   256 MiB */
	uint64_t max_total;	/* bytes all entries declare: 256 MiB */
	/*
	 * Unpacked bytes per packed byte of an entry, past its first MiB
	 * (declared, and counted while unpacking): 200.
	 */
	unsigned max_ratio;
	size_t max_json;	/* bytes of schema 11's note type and deck
				   JSON: 8 MiB */
	size_t max_notes;	/* 50,000 */
	size_t max_cards;	/* 200,000 */
	size_t max_reviews;	/* rows of the review log: 1,000,000 */
	/*
	 * Characters of a field once converted (Ludus's own bound): a note
	 * with a longer one is skipped.  10,000.
	 */
	size_t max_field;
	/*
	 * SQLite virtual machine steps for the whole read: 50 million (a
	 * collection at the limits above takes about 12 million).
	 */
	uint64_t max_sql_steps;
	size_t max_media;	/* media files kept: 5,000 */
	size_t max_media_file;	/* bytes of one, unpacked: 10 MiB
				   (MEDIA_FILE_MAX) */
	/*
	 * Bytes unpacked for all media files, kept or not (a file found too
	 * large midway has cost its bytes too): 500 MiB.  max_total already
	 * bounds what the zip declares; this bounds what zstd makes of it.
	 */
	uint64_t max_media_total;
};

/* Fills lim with the defaults above. */
void anki_limits_default(struct anki_limits *lim);

/* One answer to a card, from Anki's review log. */
struct anki_review {
	int64_t at;		/* unix seconds */
	int rating;		/* 1 again, 2 hard, 3 good, 4 easy */
	int duration_ms;	/* time spent answering */
};

/*
 * A card: a note and its ordinal as Ludus numbers them (0 for a basic
 * note's card and the first of a reversed note, 1 for the second; the
 * deletion number of a cloze card), with its reviews oldest first.
 */
struct anki_card {
	size_t note;		/* index into anki_deck_data.notes */
	int ordinal;
	struct anki_review *reviews;
	size_t n_reviews;
};

/*
 * A note as Ludus keeps it: kind is one of the static strings "basic",
 * "reversed" or "cloze"; front and back are Markdown (a cloze note's text
 * with its {{cN::...}} and its extra); tags are Ludus tags (lowercase
 * letters, digits and single hyphens, at most 40 characters, at most 20 a
 * note).  guid is Anki's note guid when read (NULL when it had none fit to
 * keep); when writing, a stable id of the note (Ludus's), from which the
 * Anki guid is derived so that importing a later export again updates the
 * notes instead of adding them twice, or NULL for one derived from the
 * note's content and place.
 */
struct anki_note {
	const char *kind;
	char *front, *back;
	char **tags;
	size_t n_tags;
	char *guid;
};

/*
 * A media file: its name as the notes refer to it (media_name_ok in
 * media.h holds for every name read) and its bytes.
 */
struct anki_media {
	char *name;		/* as the notes name it (media_name_ok) */
	unsigned char *data;	/* its bytes, malloc'd */
	size_t len;
};

/*
 * A deck: its notes and cards (cards in note and ordinal order when read),
 * its media files, and what reading left out.  name is the Anki deck
 * holding most of the cards ("Parent::Child" for a subdeck); every note
 * and every media file of the package is read whatever deck uses it.
 */
struct anki_deck_data {
	char *name;
	struct anki_note *notes;
	size_t n_notes;
	struct anki_card *cards;
	size_t n_cards;
	/*
	 * Read: the package's media files, in the order of its media map,
	 * each name once.  Written: the files to put in the package.
	 */
	struct anki_media *media;
	size_t n_media;
	/*
	 * Media files of the package not kept: a name media_name_ok refuses,
	 * a file larger than max_media_file, past max_media files or past
	 * max_media_total bytes, a missing or unreadable entry, a name seen
	 * before.  When the media map itself cannot be read, no file is kept
	 * and this is the number of the zip's entries other than the
	 * collections, "media" and "meta".
	 */
	size_t skipped_media;
	/*
	 * References to media dropped from the fields: an image or a sound
	 * whose name media_name_ok refuses, a remote (http) image, an <img>
	 * without a source (anki_field_to_markdown's count).
	 */
	size_t skipped_refs;
	size_t skipped_notes;	/* notes Ludus cannot take (see anki_read.c) */
	/*
	 * Cards not kept: of skipped or missing notes, of an ordinal their
	 * note does not make in Ludus (a basic note's second template, a
	 * cloze number no longer in the text), or seen twice.
	 */
	size_t skipped_cards;
	size_t skipped_reviews;	/* answers not kept: of cards not
				   kept, or out of range */
};

/*
 * Reads the package of len bytes at data into out, which the caller frees
 * with anki_free.  lim NULL means the defaults.  Returns 0, or -1 with out
 * left empty and a short reason for the uploader in why (NULL is ok): "not
 * a zip file", "no Anki collection in the package", "the collection is not
 * SQLite", "too many notes (limit 50000)", "an entry would unpack to more
 * than N bytes", "path traversal in an entry name", ...  Thread-safe; the
 * only file it makes is its temporary one, removed before it returns.
 */
int anki_read(const void *data, size_t len, const struct anki_limits *lim,
    struct anki_deck_data *out, char *why, size_t whylen);

/* Frees what anki_read allocated in d and zeroes it.  NULL is ok. */
void anki_free(struct anki_deck_data *d);

/*
 * A package Anki 2.1 and later imports (File > Import): a zip with a schema
 * 11 collection.anki2 holding one note type for each kind, the deck named
 * d->name, every card each note makes (new, as Anki schedules them again)
 * and the reviews of d->cards in the review log, and the files of d->media
 * as entries "0", "1", ... (stored as they are) named by the JSON "media"
 * map.  *out is malloc'd, *outlen bytes.  Returns 0, or -1 with why (a note
 * of an unknown kind, a card that is not one of its note's, a rating
 * outside 1..4, a media name media_name_ok refuses or given twice, ...).
 */
int anki_write(const struct anki_deck_data *d, void **out, size_t *outlen,
    char *why, size_t whylen);

/*
 * The Markdown of an Anki field of len bytes of HTML, malloc'd: tags
 * dropped (<br> and block ends become line breaks, kept as Markdown hard
 * breaks, empty lines as paragraph breaks), common entities decoded, text
 * that Markdown would read as markup escaped with backslashes, bad UTF-8
 * and control characters replaced or dropped.  Never NULL.
 *
 * Media a name media_name_ok takes are kept as media.h writes them: an
 * <img src="NAME"> (the source's entities and %XX decoded) becomes
 * ![](NAME), or ![](<NAME>) when NAME holds a space or a parenthesis; a
 * [sound:NAME] stays, and an <audio> or <video> with a src becomes one.
 * So that Markdown takes none of it for markup and the server finds the
 * name again, a backslash goes before a ` or an & that would start an
 * entity in NAME, before a ~, an @, the '.' of "www." or an _ not inside
 * a word in a sound's NAME, and before a ( right after a sound or a :
 * right after one that starts a line; an image's '%' is written %25.
 * Others, remote images and an <img> without a source among them, are
 * dropped and counted in *media (media NULL: not counted).
 */
char *anki_field_to_markdown(const char *html, size_t len, size_t *media);

/*
 * The Anki field (HTML) of Markdown text, malloc'd: the inverse of
 * anki_field_to_markdown on what it produces (line breaks become <br>,
 * backslash escapes are undone, &, < and > are escaped, ![alt](NAME) and
 * ![alt](<NAME>) of a media name (%XX decoded, as the server reads it)
 * become <img alt="alt" src="NAME">, without alt when it is empty, and
 * [sound:NAME] stays).  Never NULL.
 */
char *anki_markdown_to_field(const char *md);

#endif
