/*
 * metrics_access.c - who may read /metrics (see metrics_access.h).
 */
#include "http/metrics_access.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <sodium.h>

#include "core/util.h"
#include "http/server.h"

static bool
peer_is_loopback(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		    (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* A request from this machine that no proxy relayed. */
static bool
local_and_direct(struct req *r)
{
	static const char *const relayed[] = {"X-Forwarded-For", "Forwarded",
	    "X-Real-IP"};

	for (size_t i = 0; i < sizeof(relayed) / sizeof(relayed[0]); i++)
		if (req_header(r, relayed[i]) != NULL)
			return false;
	return peer_is_loopback(r->conn);
}

/* Authorization: Bearer <the metrics token>, compared in constant time. */
static bool
metrics_token_given(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	char given[65], want[65];

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	h += strspn(h, " ");
	/* Hashes of equal length: the time taken says nothing about the
	 * token, not even its length. */
	util_sha256_hex(h, strlen(h), given);
	util_sha256_hex(r->cfg->metrics_token, strlen(r->cfg->metrics_token),
	    want);
	return sodium_memcmp(given, want, 64) == 0;
}

bool
metrics_access_allowed(struct req *r)
{
	const struct config *cfg = r->cfg;
	bool own = server_on_metrics_listener();

	if ((cfg->metrics_addr != NULL && !own) || (cfg->metrics_addr == NULL &&
	    cfg->metrics_token == NULL && !local_and_direct(r))) {
		resp_problem(r, 404, "not-found", "No resource lives at %s.",
		    r->path);
		return false;
	}
	if (cfg->metrics_token != NULL && !metrics_token_given(r)) {
		resp_header(r, "WWW-Authenticate", "Bearer realm=\"metrics\"");
		resp_problem(r, 401, "unauthenticated", "/metrics needs "
		    "'Authorization: Bearer' with the metrics token.");
		return false;
	}
	return true;
}
