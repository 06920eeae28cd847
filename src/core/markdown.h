/*
 * markdown.h - Markdown (lessons, cards, forum posts) to HTML that is
 * safe to show.
 *
 * md4c renders CommonMark with GitHub's tables, strikethrough and task
 * lists.  Raw HTML in the Markdown is not passed through, and link and
 * image addresses other than relative ones, http(s): and (for links)
 * mailto: are replaced with "#", so no script can come in through a lesson.
 * Pure code.
 */
#ifndef LUDUS_CORE_MARKDOWN_H
#define LUDUS_CORE_MARKDOWN_H

#include <stddef.h>

/* The HTML of len bytes of Markdown, malloc'd and NUL-terminated; NULL
 * only if md4c fails. */
char *markdown_to_html(const char *md, size_t len);

/*
 * True when url (as written in an HTML attribute by md4c, so & is &amp;)
 * may stay: relative, http:, https:, or mailto: when allow_mailto.
 */
int markdown_url_ok(const char *url, size_t len, int allow_mailto);

#endif
