/*
 * lang.c - language guessing with libexttextcat (lang.h).
 *
 * textcat compares the n-gram profile of the text with one fingerprint per
 * language and answers the names of the fingerprints that come within 3 %
 * of the best, "[en--utf8][sco--utf8]", or "SHORT" / "UNKNOWN".  Those
 * names are the second column of fpdb.conf, so they are mapped here to
 * ISO 639-1 codes.  A guess stands only when every candidate maps to the
 * same code: "[es--utf8][ca--utf8]" is a tie we cannot settle, and a wrong
 * language would do more harm (the generator would write in it) than "und".
 */
#include "materials/lang.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <textcat.h>

#include "core/util.h"

#ifndef LUDUS_TEXTCAT_DIR
#define LUDUS_TEXTCAT_DIR "/usr/share/libexttextcat/"
#endif

/*
 * Fingerprint names with an ISO 639-1 code, by the part of the name before
 * its first '-' ("zh-CN-utf8" is "zh").  Every two-letter name of the
 * Debian fpdb.conf is already the code; older textcat configurations name
 * languages in English, hence the second half.
 */
static const struct {
	const char *name, *code;
} names[] = {
	/* Two-letter fingerprint names, each its own code. */
	{"ab", "ab"}, {"af", "af"}, {"ak", "ak"}, {"am", "am"}, {"ar", "ar"},
	{"ay", "ay"}, {"az", "az"}, {"be", "be"}, {"bg", "bg"}, {"bi", "bi"},
	{"bm", "bm"}, {"bn", "bn"}, {"bo", "bo"}, {"br", "br"}, {"bs", "bs"},
	{"ca", "ca"}, {"cs", "cs"}, {"cy", "cy"}, {"da", "da"}, {"de", "de"},
	{"dv", "dv"}, {"ee", "ee"}, {"el", "el"}, {"en", "en"}, {"eo", "eo"},
	{"es", "es"}, {"et", "et"}, {"eu", "eu"}, {"fa", "fa"}, {"fi", "fi"},
	{"fj", "fj"}, {"fo", "fo"}, {"fr", "fr"}, {"fy", "fy"}, {"ga", "ga"},
	{"gd", "gd"}, {"gl", "gl"}, {"gu", "gu"}, {"gv", "gv"}, {"ha", "ha"},
	{"he", "he"}, {"hi", "hi"}, {"hr", "hr"}, {"ht", "ht"}, {"hu", "hu"},
	{"hy", "hy"}, {"ia", "ia"}, {"id", "id"}, {"is", "is"}, {"it", "it"},
	{"ja", "ja"}, {"ka", "ka"}, {"kk", "kk"}, {"kl", "kl"}, {"km", "km"},
	{"kn", "kn"}, {"ko", "ko"}, {"ky", "ky"}, {"la", "la"}, {"lb", "lb"},
	{"lg", "lg"}, {"ln", "ln"}, {"lo", "lo"}, {"lt", "lt"}, {"lv", "lv"},
	{"mi", "mi"}, {"mk", "mk"}, {"ml", "ml"}, {"mn", "mn"}, {"mr", "mr"},
	{"ms", "ms"}, {"mt", "mt"}, {"my", "my"}, {"nb", "nb"}, {"ne", "ne"},
	{"nl", "nl"}, {"nn", "nn"}, {"nr", "nr"}, {"ny", "ny"}, {"oc", "oc"},
	{"om", "om"}, {"pa", "pa"}, {"pl", "pl"}, {"pt", "pt"}, {"rm", "rm"},
	{"ro", "ro"}, {"ru", "ru"}, {"rw", "rw"}, {"sa", "sa"}, {"sc", "sc"},
	{"sd", "sd"}, {"se", "se"}, {"sg", "sg"}, {"si", "si"}, {"sk", "sk"},
	{"sl", "sl"}, {"so", "so"}, {"sq", "sq"}, {"sr", "sr"}, {"ss", "ss"},
	{"st", "st"}, {"sv", "sv"}, {"sw", "sw"}, {"ta", "ta"}, {"tg", "tg"},
	{"th", "th"}, {"ti", "ti"}, {"tk", "tk"}, {"tl", "tl"}, {"tn", "tn"},
	{"tr", "tr"}, {"ts", "ts"}, {"tt", "tt"}, {"ty", "ty"}, {"ug", "ug"},
	{"uk", "uk"}, {"ur", "ur"}, {"uz", "uz"}, {"ve", "ve"}, {"vi", "vi"},
	{"wa", "wa"}, {"xh", "xh"}, {"yi", "yi"}, {"yo", "yo"}, {"zh", "zh"},
	{"zu", "zu"},
	/* Serbian in Latin script is filed as Serbo-Croatian. */
	{"sh", "sr"},
	/*
	 * Scots has no two-letter code, and its fingerprint wins over
	 * English on plain English prose often enough that learners would
	 * see "und" for English material.
	 */
	{"sco", "en"},
	/* Varieties whose macrolanguage has a two-letter code. */
	{"quz", "qu"}, {"plt", "mg"}, {"gug", "gn"},
	/* Older textcat configurations. */
	{"afrikaans", "af"}, {"albanian", "sq"}, {"arabic", "ar"},
	{"basque", "eu"}, {"bosnian", "bs"}, {"breton", "br"},
	{"bulgarian", "bg"}, {"catalan", "ca"}, {"chinese", "zh"},
	{"croatian", "hr"}, {"czech", "cs"}, {"danish", "da"},
	{"dutch", "nl"}, {"english", "en"}, {"esperanto", "eo"},
	{"estonian", "et"}, {"finnish", "fi"}, {"french", "fr"},
	{"frisian", "fy"}, {"georgian", "ka"}, {"german", "de"},
	{"greek", "el"}, {"hebrew", "he"}, {"hindi", "hi"},
	{"hungarian", "hu"}, {"icelandic", "is"}, {"indonesian", "id"},
	{"irish", "ga"}, {"italian", "it"}, {"japanese", "ja"},
	{"korean", "ko"}, {"latin", "la"}, {"latvian", "lv"},
	{"lithuanian", "lt"}, {"malay", "ms"}, {"norwegian", "no"},
	{"persian", "fa"}, {"polish", "pl"}, {"portuguese", "pt"},
	{"romanian", "ro"}, {"russian", "ru"}, {"scots", "en"},
	{"serbian", "sr"}, {"slovak", "sk"}, {"slovenian", "sl"},
	{"spanish", "es"}, {"swahili", "sw"}, {"swedish", "sv"},
	{"tamil", "ta"}, {"thai", "th"}, {"turkish", "tr"},
	{"ukrainian", "uk"}, {"vietnamese", "vi"}, {"welsh", "cy"},
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *handle;		/* NULL when the fingerprints did not load */

static void
load(void)
{
	handle = special_textcat_Init(LUDUS_TEXTCAT_DIR "fpdb.conf",
	    LUDUS_TEXTCAT_DIR);
}

/* The code of the fingerprint named name (n bytes), or NULL. */
static const char *
code_of(const char *name, size_t n)
{
	const char *dash = memchr(name, '-', n);

	if (dash != NULL)
		n = (size_t)(dash - name);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    strncmp(names[i].name, name, n) == 0)
			return names[i].code;
	return NULL;
}

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;

	return util_utf8_decode(s, n, &cp);
}

/*
 * Copies the first LANG_WINDOW bytes of text into out as valid UTF-8
 * (other bytes become spaces, so textcat never sees a torn sequence) and
 * counts the letters: ASCII letters, and every character from U+00C0 up
 * other than general punctuation, a good enough count for a threshold.
 */
static size_t
clean_window(const char *text, size_t len, char *out, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, o = 0, letters = 0;

	if (len > LANG_WINDOW)
		len = LANG_WINDOW;
	while (i < len) {
		size_t n = utf8_len(s + i, len - i);

		if (n == 0 || s[i] == '\0') {
			out[o++] = ' ';
			i++;
			continue;
		}
		if (n == 1 && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
			letters++;
		else if (n == 2 && s[i] >= 0xc3)
			letters++;
		else if (n == 3 && !(s[i] == 0xe2 && s[i + 1] == 0x80) &&
		    !(s[i] == 0xe3 && s[i + 1] == 0x80))
			letters++;
		else if (n == 4)
			letters++;
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	*outlen = o;
	return letters;
}

int
lang_detect(const char *text, size_t len, char code[8])
{
	static char window[LANG_WINDOW];
	char answer[256];
	const char *found = NULL, *p, *end;
	size_t n;
	bool ambiguous = false;

	strcpy(code, LANG_UNDETERMINED);
	if (text == NULL || len == 0)
		return -1;
	pthread_once(&once, load);
	if (handle == NULL)
		return -1;
	/* window is shared, so it is filled under the lock too. */
	pthread_mutex_lock(&lock);
	if (clean_window(text, len, window, &n) < LANG_MIN_LETTERS) {
		pthread_mutex_unlock(&lock);
		return -1;
	}
	p = textcat_Classify(handle, window, n);
	/* The answer lives in the handle until the next call. */
	snprintf(answer, sizeof(answer), "%s", p != NULL ? p : "");
	pthread_mutex_unlock(&lock);

	for (p = answer; (p = strchr(p, '[')) != NULL; p = end + 1) {
		const char *c;

		if ((end = strchr(++p, ']')) == NULL)
			break;
		/* A language without a two-letter code does not vote. */
		if ((c = code_of(p, (size_t)(end - p))) == NULL)
			continue;
		if (found != NULL && strcmp(found, c) != 0)
			ambiguous = true;
		found = c;
	}
	if (found == NULL || ambiguous)
		return -1;
	strcpy(code, found);
	return 0;
}
