/*
 * rule.c - running a community rule (rule.h).
 */
#include "community/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/perm.h"
#include "gamify/engine.h"
#include "http/api.h"
#include "http/audit.h"

/* The XP a rule asks for ({user, kind, key, id}): 0, or -1. */
static int
rule_xp(struct db *db, struct req *r, const char *xp)
{
	json_t *j = json_loads(xp, 0, NULL);
	const char *user, *kind, *key, *id;
	int rc = -1;

	if (j != NULL && json_unpack(j, "{s:s, s:s, s:s, s:s}", "user", &user,
	    "kind", &kind, "key", &key, "id", &id) == 0)
		rc = gamify_helpful(db, r->user->org_id, user,
		    strcmp(kind, "accepted") == 0 ? HELPFUL_ACCEPTED :
		    HELPFUL_LIKED, key, id);
	json_decref(j);
	return rc;
}

/* The audit row a rule asks for ({action, type, id, ...}): 0, or -1. */
static int
rule_audit(struct db *db, struct req *r, const char *audit)
{
	json_t *j = json_loads(audit, 0, NULL), *v;
	char action[64], type[32], id[40];
	int rc;

	if (j == NULL)
		return -1;
	snprintf(action, sizeof(action), "%s", json_string_value(json_object_get(
	    j, "action")) ? json_string_value(json_object_get(j, "action")) :
	    "forum.moderated");
	snprintf(type, sizeof(type), "%s", json_string_value(json_object_get(j,
	    "type")) ? json_string_value(json_object_get(j, "type")) : "forum");
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j,
	    "id")) ? json_string_value(json_object_get(j, "id")) : "");
	v = json_deep_copy(j);
	json_object_del(v, "action");
	json_object_del(v, "type");
	json_object_del(v, "id");
	json_decref(j);
	rc = audit_write(db, r, r->user->org_id, r->user->user_id, action, type,
	    id[0] != '\0' ? id : NULL, NULL, v, true, NULL);
	return rc != 0 ? -1 : 0;
}

static int
rule_tx(struct db *db, void *arg)
{
	struct rule *u = arg;
	PGresult *res = db_query(db, u->query, u->n, u->p);
	int rc = 0;

	if (res == NULL)
		return -1;
	u->status = atoi(PQgetvalue(res, 0, 0));
	if (u->status == 422 && strstr(PQgetvalue(res, 0, 2), ": ") != NULL) {
		/* "field: why", as the input checks say it */
		const char *d = PQgetvalue(res, 0, 2);
		const char *colon = strstr(d, ": ");

		api_field_error(u->r, arena_printf(u->r->arena, "%.*s",
		    (int)(colon - d), d), arena_strdup(u->r->arena, colon + 2));
		PQclear(res);
		return 1;
	}
	if (u->status >= 400) {
		if (u->status == 429)
			resp_header(u->r, "Retry-After", u->retry_after != NULL ?
			    u->retry_after : "3600");
		resp_problem(u->r, u->status, arena_strdup(u->r->arena,
		    PQgetvalue(res, 0, 1)), "%s", PQgetvalue(res, 0, 2));
		PQclear(res);
		return 1;
	}
	u->json = PQgetisnull(res, 0, 2) ? NULL : arena_strdup(u->r->arena,
	    PQgetvalue(res, 0, 2));
	if (!PQgetisnull(res, 0, 3))
		rc = rule_audit(db, u->r, PQgetvalue(res, 0, 3));
	if (rc == 0 && !PQgetisnull(res, 0, 4))
		rc = rule_xp(db, u->r, PQgetvalue(res, 0, 4));
	PQclear(res);
	return rc;
}

/* Runs a rule's named query in a transaction and answers what it said. */
void
rule_run(struct rule *u)
{
	struct db *db;

	if ((db = api_db(u->r)) == NULL ||
	    !api_tx(u->r, db, DB_READ_COMMITTED, rule_tx, u))
		return;
	if (u->status == 204 || u->json == NULL)
		resp_text(u->r, 204, "text/plain", "", 0);
	else
		resp_raw_json(u->r, u->status, u->json);
}

/* The caller's org, id and edit_all, the first three of most rules. */
void
rule_me(struct rule *u)
{
	u->p[0] = u->r->user->org_id;
	u->p[1] = u->r->user->user_id;
	u->p[2] = api_may(u->r, PERM_CONTENT_ALL);
	u->n = 3;
}


const char *
community_id_rule(const char *s)
{
	return api_is_uuid(s) ? NULL : "must be an id";
}

bool
community_blank(const char *s)
{
	return s != NULL && strspn(s, " \t\r\n") == strlen(s);
}
