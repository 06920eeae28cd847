/*
 * framing.h - refusing requests whose body length is ambiguous.
 *
 * libmicrohttpd 0.9.75 takes the first of two Content-Length headers and
 * lets Transfer-Encoding: chunked win over Content-Length, reading what is
 * left as the next request on the connection; a proxy in front that reads
 * the other length sees other requests (request smuggling).  It also waits
 * for ever on a transfer coding other than chunked.  Such requests are
 * refused before their body is read, and the connection is closed.
 */
#ifndef LUDUS_HTTP_FRAMING_H
#define LUDUS_HTTP_FRAMING_H

struct MHD_Connection;

/*
 * Why the body of the request on conn (of HTTP version `version`) cannot be
 * delimited for sure, as a sentence for a 400 problem; NULL when it can:
 * more than one Content-Length, Content-Length with Transfer-Encoding, or a
 * Transfer-Encoding other than one "chunked" (none at all in HTTP/1.0).
 */
const char *framing_problem(struct MHD_Connection *conn, const char *version);

#endif
