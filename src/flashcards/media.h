/*
 * media.h - the images, sounds and videos of a deck's cards (migration
 * 0028): the rule for their names, the types a card may show, and card
 * HTML whose references to them are made into addresses.  Pure code.
 *
 * A card's Markdown refers to a file of its deck by name, as Anki's fields
 * do: an image as ![alt](osi-model.png), a sound or a video as
 * [sound:port-22.mp3] (Anki's own syntax, so that imported notes keep
 * theirs).  The server serves it at
 * /api/v1/flashcards/decks/{deck}/media/{name}.
 */
#ifndef LUDUS_FLASHCARDS_MEDIA_H
#define LUDUS_FLASHCARDS_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

#define MEDIA_NAME_MAX	120		/* bytes of a name */
#define MEDIA_FILE_MAX	(10u << 20)	/* bytes of one file */

/*
 * True when the len bytes at s make a media name: 1 to MEDIA_NAME_MAX
 * bytes of valid UTF-8, none of Anki's forbidden [ ] < > : " / ? * ^ \ |
 * nor a control character, not beginning with a dot or a space nor ending
 * with a space (the CHECK of 0028 says the same).
 */
bool media_name_ok(const char *s, size_t len);

/*
 * The type a card may show a file as, given the type its content was
 * recognized as (libmagic's names: "audio/x-wav" ...): a static string
 * ("image/png", "audio/wav", ...), or NULL for a type cards do not take.
 * Images: PNG, JPEG, GIF, WebP, AVIF, SVG; sounds: MP3, Ogg, WAV, FLAC,
 * M4A; videos: MP4, WebM.
 */
const char *media_type_allowed(const char *sniffed);

/*
 * The card HTML html (markdown_to_html's) with the deck's media made into
 * addresses, malloc'd: an <img> whose src is a bare media name gets the
 * address that serves it, and a [sound:name] in the text (not in a tag,
 * not in code) becomes an <audio> player, or a <video> one for a name
 * ending in .mp4, .webm, .m4v, .ogv or .mov.  deck is a UUID.  Anything
 * else is left as it is.
 */
char *media_html(const char *html, const char *deck);

/*
 * Appends to out (cap bytes, NUL-terminated; false when it does not fit)
 * the name percent-encoded for a path segment: every byte but A-Z a-z
 * 0-9 - . _ ~ as %XX.
 */
bool media_url_name(const char *name, size_t len, char *out, size_t cap);

/*
 * The Markdown that shows the file name in a card, into out (cap bytes,
 * at least MEDIA_NAME_MAX * 3 + 8): ![](name) for an image (![](<name>)
 * when the name holds a space or a parenthesis; a '%' written %25, since
 * an image's address is read with %XX decoded), [sound:name] otherwise.
 */
void media_markdown(const char *name, bool image, char *out, size_t cap);

#endif
