/*
 * framing.c - Content-Length and Transfer-Encoding, counted (see framing.h).
 */
#include "http/framing.h"

#include <string.h>
#include <strings.h>

#include <microhttpd.h>

struct framing {
	int content_length;     /* Content-Length headers */
	int transfer_encoding;  /* Transfer-Encoding headers */
	const char *te;         /* the last one's value */
};

static enum MHD_Result
count(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (strcasecmp(key, "Content-Length") == 0) {
		f->content_length++;
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->transfer_encoding++;
		f->te = value;
	}
	return MHD_YES;
}

/* "chunked", in any case, with spaces or tabs around it. */
static int
is_chunked(const char *v)
{
	size_t n;

	if (v == NULL)
		return 0;
	v += strspn(v, " \t");
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n == 7 && strncasecmp(v, "chunked", 7) == 0;
}

const char *
framing_problem(struct MHD_Connection *conn, const char *version)
{
	struct framing f = {0, 0, NULL};

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count, &f);
	if (f.content_length > 1)
		return "The request has more than one Content-Length header.";
	if (f.transfer_encoding == 0)
		return NULL;
	if (f.content_length > 0)
		return "The request has both Content-Length and "
		    "Transfer-Encoding headers.";
	if (version != NULL && strcmp(version, "HTTP/1.0") == 0)
		return "HTTP/1.0 requests cannot use Transfer-Encoding.";
	if (f.transfer_encoding > 1 || !is_chunked(f.te))
		return "The only Transfer-Encoding accepted is chunked, "
		    "given once.";
	return NULL;
}
