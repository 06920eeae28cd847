/*
 * api_lookup.c - finding people by name, for the instructor pages that pick
 * a user (a course's collaborators).  Unlike /admin/users it is open to
 * instructors, so it shows little: the id, username, display name and role
 * of active accounts of the caller's own organization, a handful at a time,
 * and only for a search of at least two characters, so it cannot be used
 * to list everyone.  Email addresses are shown (and searched) for admins
 * only.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/util.h"
#include "http/api.h"
#include "http/auth.h"
#include "identity/api.h"

/* The search text: 2 to 100 characters of text. */
static const char *
rule_search(const char *s)
{
	size_t n = util_utf8_chars(s);

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "must hold no control characters";
	return n >= 2 && n <= 100 ? NULL : "must be 2 to 100 characters";
}

void
users_lookup(struct req *r)
{
	const char *p[5], *staff;
	struct input in;
	int limit;

	input_query_begin(&in, r);
	p[0] = r->user->org_id;
	p[1] = input_query(&in, "q", rule_search);
	if (p[1] == NULL && req_query(r, "q") == NULL)
		input_error(&in, "q", "is required: 2 to 100 characters");
	staff = input_query(&in, "staff", api_true_false);
	if (!input_end(&in) || (limit = api_limit(r, 10, 25)) < 0)
		return;
	/* Bytes that are not UTF-8 become '?' rather than a database error. */
	p[1] = util_utf8_sanitize(arena_strdup(r->arena, p[1]));
	p[2] = staff != NULL && strcmp(staff, "true") == 0 ? "true" : "false";
	p[3] = arena_printf(r->arena, "%d", limit);
	p[4] = auth_may(r, PERM_USER_MANAGE) ? "true" : "false";
	api_doc(r, "users_lookup", 5, p, "Nothing is there.");
}
