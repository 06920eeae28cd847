/*
 * rule.h - running a community rule: a SQL function of the forums (0031)
 * or the messages (0034) answering forum_result, through a named query
 * whose columns are its status, the problem's type, the document (or the
 * problem's text), what to write in the audit trail and the XP to award.
 * The rule runs in the request's one transaction, rolled back on a
 * problem; a 422 whose text is "field: why" answers as the input checks
 * do.  Also the small input checks the community's handlers share.
 */
#ifndef LUDUS_COMMUNITY_RULE_H
#define LUDUS_COMMUNITY_RULE_H

#include <stdbool.h>

#include "http/request.h"

struct rule {
	struct req *r;
	const char *query;
	int n;
	const char *p[12];
	const char *retry_after;	/* seconds a 429 says (NULL: a day's
					   limit, 3600) */
	int status;
	char *json;
};

/* Puts the caller's organization, id and edit_all in p[0..2] (n = 3). */
void rule_me(struct rule *u);
/* Runs the rule's query and answers what it said. */
void rule_run(struct rule *u);

/* The input checks the community's handlers share. */
/* An id in a query string: NULL, or why not (for input_query). */
const char *community_id_rule(const char *s);
/* Whether s (not NULL) is only white space. */
bool community_blank(const char *s);

#endif
