/*
 * text.c - the words and plain text of light Markdown (text.h); lines and
 * sentences are cut in text_sentences.c.
 *
 * Everything walks bytes and decodes UTF-8 by hand: the C library's
 * character classes depend on the locale, and the output must not.  Only
 * ASCII is case-folded; other letters are kept as their bytes, which is
 * enough to compare the words of one text with each other.
 */
#include "materials/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "materials/text_int.h"

/* The code point at s[i] (i < n) and its length; 0xFFFD for a bad byte. */
uint32_t
text_utf8_at(const char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp;

	if ((*len = util_utf8_decode(s + i, n - i, &cp)) == 0) {
		*len = 1;
		return 0xfffd;
	}
	return cp;
}

/* Where the code point ending just before p starts (p > 0). */
static size_t
utf8_back(const char *s, size_t p)
{
	size_t q = p - 1;

	while (q > 0 && p - q < 4 && ((unsigned char)s[q] & 0xc0) == 0x80)
		q--;
	return q;
}

/*
 * Letters and digits.  Beyond ASCII a code point is a letter unless it is
 * in a block of punctuation or symbols that prose uses (Latin-1 signs,
 * general punctuation, currency, arrows and shapes, CJK punctuation,
 * emoji): without Unicode tables this keeps accented, Greek, Cyrillic and
 * CJK words whole while dashes, curly quotes and bullets still separate.
 */
bool
text_is_word_cp(uint32_t c)
{
	if (c < 0x80)
		return IS_ALPHA(c) || IS_DIGIT(c);
	if (c < 0xc0)
		return c == 0xaa || c == 0xb5 || c == 0xba;
	if (c == 0xd7 || c == 0xf7)
		return false;
	if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff0f) ||
	    (c >= 0xff1a && c <= 0xff20) || (c >= 0xff3b && c <= 0xff40) ||
	    (c >= 0xff5b && c <= 0xff65) || (c >= 0xe000 && c <= 0xf8ff) ||
	    (c >= 0x1f000 && c <= 0x1faff) || c == 0xfffd || c == 0xfeff)
		return false;
	return true;
}

bool
text_is_word_at(const char *s, size_t n, size_t p)
{
	size_t len;

	return p < n && text_is_word_cp(text_utf8_at(s, n, p, &len));
}

/* Whether a letter or digit ends just before p. */
static bool
word_before(const char *s, size_t p)
{
	size_t q, len;

	if (p == 0)
		return false;
	q = utf8_back(s, p);
	return text_is_word_cp(text_utf8_at(s, p, q, &len));
}

/* Past a link's "(address)" opening at s[i], or i when it is none. */
static size_t
skip_target(const char *s, size_t n, size_t i)
{
	int depth = 0;

	for (size_t j = i; j < n && j - i < 2048; j++) {
		if (s[j] == '(')
			depth++;
		else if (s[j] == ')' && --depth == 0)
			return j + 1;
		else if (s[j] == ' ' || s[j] == '\n')
			break;
	}
	return i;
}

/* Past an autolink or HTML tag opening at s[i] ('<'), or i. */
static size_t
skip_angle(const char *s, size_t n, size_t i)
{
	if (i + 1 >= n || !(IS_ALPHA(s[i + 1]) || s[i + 1] == '/' ||
	    s[i + 1] == '!'))
		return i;
	for (size_t j = i + 1; j < n && j - i < 256; j++) {
		if (s[j] == '>')
			return j + 1;
		if (s[j] == '<' || s[j] == '\n')
			break;
	}
	return i;
}

/* Whether a bare URL starts at s[i]. */
static bool
is_url(const char *s, size_t n, size_t i)
{
	static const char *const pre[] = {"http://", "https://", "ftp://",
	    "www."};

	for (size_t k = 0; k < 4; k++) {
		size_t l = strlen(pre[k]), j;

		if (n - i < l)
			continue;
		for (j = 0; j < l; j++)
			if ((s[i + j] | (IS_ALPHA(s[i + j]) ? 0x20 : 0)) !=
			    pre[k][j])
				break;
		if (j == l)
			return true;
	}
	return false;
}

bool
text_next_word(const char *s, size_t n, size_t *pos, struct text_span *w)
{
	size_t i = *pos, len, start;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			size_t t = skip_target(s, n, i + 1);

			i = t > i + 1 ? t : i + 1;
			continue;
		}
		if (c == '<') {
			size_t j = skip_angle(s, n, i);

			i = j > i ? j : i + 1;
			continue;
		}
		if (c < 0x80 ? IS_ALPHA(c) || IS_DIGIT(c) :
		    text_is_word_cp(text_utf8_at(s, n, i, &len))) {
			if ((c == 'h' || c == 'H' || c == 'f' || c == 'F' ||
			    c == 'w' || c == 'W') && !word_before(s, i) &&
			    is_url(s, n, i)) {
				while (i < n && !IS_BLANK(s[i]) && s[i] != ')'
				    && s[i] != '>')
					i++;
				continue;
			}
			break;
		}
		i += c < 0x80 ? 1 : len;
	}
	if (i >= n) {
		*pos = n;
		return false;
	}
	start = i;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;

		if (c < 0x80 && (IS_ALPHA(c) || IS_DIGIT(c))) {
			i++;
			continue;
		}
		cp = text_utf8_at(s, n, i, &len);
		if (text_is_word_cp(cp)) {
			i += len;
			continue;
		}
		if ((cp == '\'' || cp == 0x2019 || cp == '-' || cp == '_') &&
		    text_is_word_at(s, n, i + len)) {
			i += len;
			continue;
		}
		if (cp == '.' && IS_DIGIT(s[i - 1]) && i + 1 < n &&
		    IS_DIGIT(s[i + 1])) {
			i++;
			continue;
		}
		break;
	}
	w->start = start;
	w->end = i;
	*pos = i;
	return true;
}

size_t
text_word_count(const char *s, size_t n)
{
	struct text_span w;
	size_t pos = 0, count = 0;

	while (text_next_word(s, n, &pos, &w))
		count++;
	return count;
}

size_t
text_fold(char *dst, const char *w, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c == 0xe2 && i + 2 < n && (unsigned char)w[i + 1] == 0x80 &&
		    (unsigned char)w[i + 2] == 0x99) {
			dst[o++] = '\'';
			i += 2;
		} else
			dst[o++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	return o;
}

/* Sorted in strcmp order: looked up by binary search. */
static const char *const stopwords[] = {
	"a", "about", "above", "after", "again", "against", "all",
	"also", "although", "always", "am", "among", "an", "and",
	"another", "any", "anyone", "anything", "are", "aren't",
	"around", "as", "at", "be", "because", "been", "before",
	"being", "below", "between", "both", "but", "by", "can",
	"can't", "cannot", "could", "couldn't", "did", "didn't", "do",
	"does", "doesn't", "doing", "don't", "down", "during", "each",
	"either", "else", "even", "ever", "every", "everyone",
	"everything", "few", "for", "from", "further", "get", "gets",
	"got", "had", "hadn't", "has", "hasn't", "have", "haven't",
	"having", "he", "he'd", "he'll", "he's", "her", "here",
	"here's", "hers", "herself", "him", "himself", "his", "how",
	"how's", "however", "i", "i'd", "i'll", "i'm", "i've", "if",
	"in", "into", "is", "isn't", "it", "it's", "its", "itself",
	"just", "let", "let's", "like", "many", "may", "me", "might",
	"more", "most", "much", "must", "mustn't", "my", "myself",
	"neither", "never", "no", "nor", "not", "nothing", "now", "of",
	"off", "often", "on", "once", "one", "only", "onto", "or",
	"other", "others", "otherwise", "our", "ours", "ourselves",
	"out", "over", "own", "per", "quite", "rather", "really",
	"same", "shall", "shan't", "she", "she'd", "she'll", "she's",
	"should", "shouldn't", "since", "so", "some", "someone",
	"something", "sometimes", "still", "such", "than", "that",
	"that's", "the", "their", "theirs", "them", "themselves",
	"then", "there", "there's", "therefore", "these", "they",
	"they'd", "they'll", "they're", "they've", "this", "those",
	"though", "through", "thus", "to", "too", "toward", "towards",
	"under", "unless", "until", "up", "upon", "us", "usually",
	"very", "via", "was", "wasn't", "we", "we'd", "we'll", "we're",
	"we've", "well", "were", "weren't", "what", "what's", "when",
	"when's", "where", "where's", "whether", "which", "while",
	"who", "who's", "whom", "whose", "why", "why's", "will",
	"with", "within", "without", "won't", "would", "wouldn't",
	"yet", "you", "you'd", "you'll", "you're", "you've", "your",
	"yours", "yourself", "yourselves"
};

bool
text_is_stopword(const char *w, size_t n)
{
	char f[32];
	size_t lo = 0, hi = sizeof(stopwords) / sizeof(stopwords[0]);

	if (n >= sizeof(f))
		return false;
	n = text_fold(f, w, n);
	f[n] = '\0';
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(f, stopwords[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Plain text being built: blanks collapse into one space. */
struct plain {
	struct buf b;
	bool blank;
};

static void
plain_put(struct plain *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (IS_BLANK(s[i])) {
			p->blank = p->b.len > 0;
			continue;
		}
		if (p->blank)
			buf_putc(&p->b, ' ');
		p->blank = false;
		buf_putc(&p->b, s[i]);
	}
}

static void
plain_code(struct plain *p, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x20 || c == 0x7f || (c >= 0xd800 && c <= 0xdfff) ||
	    c > 0x10ffff)
		return;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	plain_put(p, u, n);
}

/* Past an HTML entity at s[i] ('&'), put into p; or i when none. */
static size_t
plain_entity(struct plain *p, const char *s, size_t n, size_t i)
{
	static const struct {
		const char *name, *text;
	} ent[] = {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""},
	    {"apos", "'"}, {"nbsp", " "}};
	size_t j = i + 1;

	while (j < n && j - i < 10 && (IS_ALPHA(s[j]) || IS_DIGIT(s[j]) ||
	    s[j] == '#'))
		j++;
	if (j >= n || s[j] != ';' || j == i + 1)
		return i;
	if (s[i + 1] == '#') {
		uint32_t c = 0;
		bool hex = i + 2 < j && (s[i + 2] | 0x20) == 'x';

		for (size_t k = i + 2 + hex; k < j; k++) {
			int d = IS_DIGIT(s[k]) ? s[k] - '0' : hex &&
			    (s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'f' ?
			    (s[k] | 0x20) - 'a' + 10 : -1;

			if (d < 0 || c > 0x10ffff)
				return i;
			c = c * (hex ? 16 : 10) + (uint32_t)d;
		}
		plain_code(p, c);
		return j + 1;
	}
	for (size_t k = 0; k < sizeof(ent) / sizeof(ent[0]); k++)
		if (strlen(ent[k].name) == j - i - 1 &&
		    memcmp(ent[k].name, s + i + 1, j - i - 1) == 0) {
			plain_put(p, ent[k].text, strlen(ent[k].text));
			return j + 1;
		}
	return i;
}

/* The ']' closing the '[' at s[i], or n. */
static size_t
close_bracket(const char *s, size_t n, size_t i)
{
	int depth = 0;

	for (size_t j = i; j < n && j - i < 2048; j++) {
		if (s[j] == '\\')
			j++;
		else if (s[j] == '[')
			depth++;
		else if (s[j] == ']' && --depth == 0)
			return j;
	}
	return n;
}

static void
plain_run(struct plain *p, const char *s, size_t n, int depth)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];

		if (c == '\\' && i + 1 < n && s[i + 1] >= '!' &&
		    s[i + 1] <= '~' && !IS_ALPHA(s[i + 1]) &&
		    !IS_DIGIT(s[i + 1])) {
			plain_put(p, s + i + 1, 1);
			i += 2;
		} else if (c == '`') {
			size_t k = 0, j;
			const char *close = NULL;

			while (i + k < n && s[i + k] == '`')
				k++;
			for (j = i + k; j + k <= n; j++)
				if (s[j] == '`') {
					size_t r = 0;

					while (j + r < n && s[j + r] == '`')
						r++;
					if (r == k) {
						close = s + j;
						break;
					}
					j += r - 1;
				}
			if (close == NULL) {
				plain_put(p, s + i, k);
				i += k;
			} else {
				plain_put(p, s + i + k,
				    (size_t)(close - s) - i - k);
				i = (size_t)(close - s) + k;
			}
		} else if ((c == '[' || (c == '!' && i + 1 < n &&
		    s[i + 1] == '[')) && depth < 4) {
			size_t o = c == '!' ? i + 1 : i;
			size_t cl = close_bracket(s, n, o), after;

			if (cl == n) {
				plain_put(p, s + i, 1);
				i++;
				continue;
			}
			after = cl + 1;
			if (after < n && s[after] == '(') {
				size_t t = skip_target(s, n, after);

				after = t > after ? t : cl + 1;
			} else if (after < n && s[after] == '[') {
				size_t r = close_bracket(s, n, after);

				after = r < n ? r + 1 : cl + 1;
			}
			/* A footnote mark says nothing on its own. */
			if (c == '[' && s[o + 1] == '^') {
				i = after;
				continue;
			}
			/* Brackets that open no link ("a[0]") are text. */
			if (after == cl + 1) {
				plain_put(p, s + i, 1);
				i++;
				continue;
			}
			plain_run(p, s + o + 1, cl - o - 1, depth + 1);
			i = after;
		} else if (c == '<') {
			size_t j = skip_angle(s, n, i);

			if (j == i)
				plain_put(p, s + i++, 1);
			else {
				if (is_url(s, n, i + 1) || memchr(s + i, '@',
				    j - i) != NULL)
					plain_put(p, s + i + 1, j - i - 2);
				i = j;
			}
		} else if (c == '&') {
			size_t j = plain_entity(p, s, n, i);

			if (j == i)
				plain_put(p, s + i++, 1);
			else
				i = j;
		} else if (c == '*' || c == '_' || c == '~') {
			size_t k = 0;
			bool before, after;

			while (i + k < n && s[i + k] == c)
				k++;
			before = i > 0 && !IS_BLANK(s[i - 1]);
			after = i + k < n && !IS_BLANK(s[i + k]);
			/* "2 * 3", "snake_case" and "~5" are text. */
			if ((c == '*' && !before && !after) || (c == '_' &&
			    word_before(s, i) && text_is_word_at(s, n,
			    i + k)) || (c == '~' && k == 1))
				plain_put(p, s + i, k);
			i += k;
		} else
			plain_put(p, s + i++, 1);
	}
}

/* Whether s[0..n) is valid UTF-8 (an encoded U+FFFD is). */
static bool
utf8_valid(const char *s, size_t n)
{
	size_t len;

	for (size_t i = 0; i < n; i += len)
		if (text_utf8_at(s, n, i, &len) == 0xfffd && (len != 3 ||
		    memcmp(s + i, "\xef\xbf\xbd", 3) != 0))
			return false;
	return true;
}

char *
text_plain(const char *s, size_t n)
{
	struct plain p = {{0}, false};
	struct buf ok = {0};
	size_t len;

	plain_run(&p, s, n, 0);
	if (utf8_valid(p.b.s, p.b.len))
		return buf_take(&p.b);
	/* Bad UTF-8 becomes U+FFFD: what is shown must be valid. */
	for (size_t i = 0; i < p.b.len; i += len) {
		uint32_t c = text_utf8_at(p.b.s, p.b.len, i, &len);

		if (c == 0xfffd && (len != 3 || memcmp(p.b.s + i,
		    "\xef\xbf\xbd", 3) != 0))
			buf_puts(&ok, "\xef\xbf\xbd");
		else
			buf_put(&ok, p.b.s + i, len);
	}
	free(p.b.s);
	return buf_take(&ok);
}

size_t
text_cells(const char *s, size_t n, struct text_span *cell, size_t max)
{
	size_t i = 0, count = 0;

	while (i < n && IS_BLANK(s[i]))
		i++;
	if (i < n && s[i] == '|')
		i++;
	while (i < n) {
		size_t a = i, b;

		while (i < n && s[i] != '|') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		b = i;
		while (a < b && IS_BLANK(s[a]))
			a++;
		while (b > a && IS_BLANK(s[b - 1]))
			b--;
		/* Nothing after the last pipe is no cell. */
		if (i == n && a == b)
			break;
		if (count < max) {
			cell[count].start = a;
			cell[count].end = b;
		}
		count++;
		if (i < n)
			i++;
	}
	return count;
}

long
text_find_word(const char *s, const char *w, bool nocase)
{
	size_t n = strlen(s), m = strlen(w);
	bool wa, wb;

	if (m == 0 || m > n)
		return -1;
	wa = text_is_word_at(w, m, 0);
	wb = word_before(w, m);
	for (size_t i = 0; i + m <= n; i++) {
		size_t j;

		for (j = 0; j < m; j++) {
			char a = s[i + j], b = w[j];

			if (nocase) {
				a = (char)(a >= 'A' && a <= 'Z' ? a | 0x20 : a);
				b = (char)(b >= 'A' && b <= 'Z' ? b | 0x20 : b);
			}
			if (a != b)
				break;
		}
		if (j < m)
			continue;
		if (wa && word_before(s, i))
			continue;
		if (wb && text_is_word_at(s, n, i + m))
			continue;
		return (long)i;
	}
	return -1;
}
