/*
 * rules.c - content field rules.
 */
#include "content/rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/markdown.h"
#include "core/util.h"
#include "http/api.h"
#include "http/static.h"
#include "identity/rules.h"

/* Lowercase letters and digits in words joined by single '-'. */
static int
words(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n < 1 || n > max || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' && s[i + 1] == '-')
			return 0;
		if (!(islower((unsigned char)s[i]) ||
		    isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	}
	return 1;
}

const char *
content_slug(const char *s)
{
	return words(s, 80) ? NULL : "must be 1 to 80 lowercase letters and "
	    "digits in words joined by '-'";
}

const char *
content_tag(const char *s)
{
	return words(s, 40) ? NULL : "must be 1 to 40 lowercase letters and "
	    "digits in words joined by '-'";
}

const char *
content_exam_code(const char *s)
{
	size_t n = strlen(s);

	/* As the exams table has it: [a-z0-9][a-z0-9-]{1,31}. */
	if (n >= 2 && n <= 32 && s[0] != '-' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n)
		return NULL;
	return "must be an exam code such as network";
}

const char *
content_domain_code(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 2 && strcmp(s + n, ".0") == 0 ? NULL :
	    "must be a domain code such as 2.0";
}

const char *
content_objective_code(const char *s)
{
	size_t a = strspn(s, "0123456789");

	if (a >= 1 && a <= 2 && s[a] == '.' &&
	    strspn(s + a + 1, "0123456789") == strlen(s + a + 1) &&
	    strlen(s + a + 1) >= 1 && strlen(s + a + 1) <= 2)
		return NULL;
	return "must be an objective code such as 1.4";
}

const char *
content_uuid(const char *s)
{
	return api_is_uuid(s) ? NULL : "must be an id (a UUID)";
}

static const char *
one_of(const char *s, const char *const *list, const char *message)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return NULL;
	return message;
}

const char *
content_kind(const char *s)
{
	static const char *const kinds[] = {"lesson", "video", "flashcards",
	    "quiz", "lab", "simulation", "practice_exam", "study_guide", NULL};

	return one_of(s, kinds, "must be lesson, video, flashcards, quiz, lab, "
	    "simulation, practice_exam or study_guide");
}

const char *
content_difficulty(const char *s)
{
	static const char *const levels[] = {"beginner", "intermediate",
	    "advanced", NULL};

	return one_of(s, levels, "must be beginner, intermediate or advanced");
}

const char *
content_language(const char *s)
{
	return rules_locale(s) == NULL ? NULL :
	    "must be a language code such as en or pt-BR";
}

/* NULL, or too_long (a constant) when v is longer than max characters. */
static const char *
text_field(json_t *v, size_t max, const char *too_long)
{
	if (!json_is_string(v))
		return "must be a string";
	return util_utf8_chars(json_string_value(v)) > max ? too_long : NULL;
}

/*
 * An absolute http(s) address with a host, of at most 500 characters, or a
 * file that ludus serves itself from web/media/ ("/media/intro.webm", as the
 * demo lessons use).
 */
static int
http_url(const char *u)
{
	if (strncmp(u, "/media/", 7) == 0)
		return static_path_ok(u) && static_content_type(u) != NULL;
	size_t skip = strncasecmp(u, "https://", 8) == 0 ? 8 :
	    strncasecmp(u, "http://", 7) == 0 ? 7 : 0;

	return skip > 0 && strlen(u) <= 500 && u[skip] != '\0' &&
	    u[skip] != '/' && markdown_url_ok(u, strlen(u), 0);
}

const char *
content_lesson_body(json_t *c, char *field, size_t n)
{
	static const char *const media_types[] = {"video", "audio", "image",
	    "link", "document", NULL};
	const char *key, *why;
	json_t *v, *item;
	size_t i;

	snprintf(field, n, "content");
	if (!json_is_object(c))
		return "must be an object";
	json_object_foreach(c, key, v) {
		if (strcmp(key, "markdown") == 0) {
			snprintf(field, n, "content.markdown");
			if ((why = text_field(v, 100000, "must be at most "
			    "100000 characters")) != NULL)
				return why;
		} else if (strcmp(key, "media") == 0) {
			snprintf(field, n, "content.media");
			if (!json_is_array(v) || json_array_size(v) > 20)
				return "must be a list of at most 20 items";
			json_array_foreach(v, i, item) {
				json_t *t = json_object_get(item, "type");
				json_t *u = json_object_get(item, "url");
				json_t *ti = json_object_get(item, "title");
				json_t *d = json_object_get(item,
				    "duration_seconds");

				snprintf(field, n, "content.media[%zu]", i);
				if (!json_is_object(item) ||
				    json_object_size(item) != (size_t)(2 +
				    (ti != NULL) + (d != NULL)) ||
				    !json_is_string(t) || !json_is_string(u))
					return "must be {\"type\", \"url\", "
					    "\"title\", \"duration_seconds\"} "
					    "(title and duration optional)";
				snprintf(field, n,
				    "content.media[%zu].duration_seconds", i);
				if (d != NULL && (!json_is_integer(d) ||
				    json_integer_value(d) < 1 ||
				    json_integer_value(d) > 86400))
					return "must be a whole number of seconds "
					    "from 1 to 86400";
				snprintf(field, n, "content.media[%zu].type", i);
				if (one_of(json_string_value(t), media_types, "x"))
					return "must be video, audio, image, link "
					    "or document";
				snprintf(field, n, "content.media[%zu].url", i);
				if (!http_url(json_string_value(u)))
					return "must be an http(s) address of at "
					    "most 500 characters, or a /media/ file";
				snprintf(field, n, "content.media[%zu].title", i);
				if (ti != NULL && (why = text_field(ti, 200,
				    "must be at most 200 characters")) != NULL)
					return why;
			}
		} else if (strcmp(key, "chapters") == 0) {
			snprintf(field, n, "content.chapters");
			if (!json_is_array(v) || json_array_size(v) > 100)
				return "must be a list of at most 100 items";
			json_array_foreach(v, i, item) {
				json_t *ti = json_object_get(item, "title");
				json_t *s = json_object_get(item, "start_seconds");

				snprintf(field, n, "content.chapters[%zu]", i);
				if (!json_is_object(item) ||
				    json_object_size(item) != 2 ||
				    text_field(ti, 200, "x") != NULL ||
				    !json_is_integer(s) || json_integer_value(s) < 0 ||
				    json_integer_value(s) > 86400)
					return "must be {\"title\": at most 200 "
					    "characters, \"start_seconds\": 0 to "
					    "86400}";
			}
		} else {
			snprintf(field, n, "content.%.40s", key);
			return "is not a known part of a lesson's content";
		}
	}
	return NULL;
}

void
content_slugify(const char *title, char *out, size_t n)
{
	size_t o = 0;
	int dash = 0;

	if (n < 8) { /* room for the fallback "course" */
		if (n > 0)
			*out = '\0';
		return;
	}
	for (const char *p = title; *p && o + 2 < n; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) && c < 0x80) {
			if (dash && o > 0)
				out[o++] = '-';
			out[o++] = (char)tolower(c);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (o > 80)
		o = 80;
	while (o > 0 && out[o - 1] == '-')
		o--;
	if (o == 0)
		o = (size_t)snprintf(out, n, "course");
	out[o] = '\0';
}

int
content_estimate_minutes(const json_t *c)
{
	const char *md = json_string_value(json_object_get(c, "markdown"));
	const json_t *media = json_object_get(c, "media"), *item;
	long words = 0, seconds = 0, minutes;
	bool in_word = false;
	size_t i;

	/* A word: a run of non-space bytes holding a letter or a digit. */
	for (const unsigned char *p = (const unsigned char *)(md ? md : "");
	    *p; p++) {
		if (isspace(*p)) {
			in_word = false;
		} else if (!in_word && (isalnum(*p) || *p >= 0x80)) {
			in_word = true;
			words++;
		}
	}
	json_array_foreach(media, i, item)
		seconds += (long)json_integer_value(json_object_get(item,
		    "duration_seconds"));
	/* Reading at READING_WPM, rounded up, plus the media's length. */
	seconds += (words * 60 + READING_WPM - 1) / READING_WPM;
	minutes = (seconds + 59) / 60;
	return minutes < 1 ? 1 : minutes > 600 ? 600 : (int)minutes;
}

bool
content_kind_is_read(const char *kind)
{
	return strcmp(kind, "lesson") == 0 || strcmp(kind, "video") == 0 ||
	    strcmp(kind, "study_guide") == 0;
}

const char *
content_suggestion_status(const char *s)
{
	return strcmp(s, "pending") == 0 || strcmp(s, "accepted") == 0 ||
	    strcmp(s, "rejected") == 0 || strcmp(s, "withdrawn") == 0 ? NULL :
	    "must be pending, accepted, rejected or withdrawn";
}
