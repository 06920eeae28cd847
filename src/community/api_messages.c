/*
 * api_messages.c - direct messages (migration 0034): conversations one to
 * one and in small groups, unread counts, blocking, reports to the
 * organization's admins.  Who may write to whom, the pair's one
 * conversation and the rate are the database's rules (conversation_start,
 * message_send, message_report, run as community/rule.h says); reads are
 * named queries.  All of it answers 403 when the organization turned
 * messaging off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community/api.h"
#include "community/rule.h"
#include "core/perm.h"
#include "http/api.h"
#include "http/audit.h"

#define BODY_MAX	5000
#define PAGE		30
#define PAGE_MAX	100
#define MEMBERS_MAX	19

/* False after the 403 when the organization has messaging off. */
static bool
messaging_on(struct req *r)
{
	if (r->user->messaging)
		return true;
	resp_problem(r, 403, "messaging-off", "Your organization has turned "
	    "messages off.");
	return false;
}

/* ---- reads --------------------------------------------------------------- */

void
msg_conversations_list(struct req *r)
{
	const char *p[3] = {r->user->user_id};
	char limit[12];
	struct input in;
	int n;

	if (!messaging_on(r) || (n = api_limit(r, PAGE, PAGE_MAX)) < 0)
		return;
	input_query_begin(&in, r);
	p[1] = input_query(&in, "after", community_id_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[2] = limit;
	api_doc(r, "msg_conversations", 3, p, "There are no conversations.");
}

void
msg_unread_get(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	if (messaging_on(r))
		api_doc(r, "msg_unread", 1, p, "Nothing.");
}

void
msg_conversation_get(struct req *r)
{
	const char *p[2] = {NULL, r->user->user_id};

	if (messaging_on(r) &&
	    (p[0] = api_path_id(r, "id", "conversation")) != NULL)
		api_doc(r, "msg_conversation", 2, p, "There is no such "
		    "conversation.");
}

void
msg_messages_list(struct req *r)
{
	const char *p[4] = {NULL, r->user->user_id};
	char limit[12];
	struct input in;
	int n;

	if (!messaging_on(r) ||
	    (p[0] = api_path_id(r, "id", "conversation")) == NULL ||
	    (n = api_limit(r, PAGE, PAGE_MAX)) < 0)
		return;
	input_query_begin(&in, r);
	p[2] = input_query(&in, "before", community_id_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[3] = limit;
	api_doc(r, "msg_page", 4, p, "There is no such conversation.");
}

static const char *
text_rule(const char *s)
{
	return strlen(s) <= 100 ? NULL : "must be at most 100 characters";
}

void
msg_contacts_list(struct req *r)
{
	const char *p[3] = {r->user->user_id};
	char limit[12];
	struct input in;
	int n;

	if (!messaging_on(r) || (n = api_limit(r, 20, 50)) < 0)
		return;
	input_query_begin(&in, r);
	p[1] = input_query(&in, "q", text_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[2] = limit;
	api_doc(r, "msg_contacts", 3, p, "Nobody.");
}

void
msg_blocks_list(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "msg_blocks", 1, p, "Nobody.");
}

/* ---- writing ------------------------------------------------------------- */

/* The body of a message from in: NULL when refused. */
static const char *
body_field(struct input *in)
{
	const char *body = input_string(in, "body", IN_REQUIRED, 1, BODY_MAX);

	if (community_blank(body))
		input_error(in, "body", "must not be blank");
	return body;
}

static const char *
member_rule(const char *s)
{
	return api_is_uuid(s) ? NULL : "must be members' ids";
}

void
msg_conversation_start(struct req *r)
{
	static const char *const fields[] = {"user_ids", "title", "body", NULL};
	struct rule u = {.r = r, .query = "msg_start"};
	struct input in;

	if (!messaging_on(r))
		return;
	rule_me(&u);
	input_begin(&in, r);
	input_only(&in, fields);
	u.p[2] = input_pg_array(&in, "user_ids", IN_REQUIRED, MEMBERS_MAX,
	    member_rule);
	u.p[3] = input_string(&in, "title", 0, 1, 100);
	if (community_blank(u.p[3]))
		input_error(&in, "title", "must not be blank");
	u.p[4] = body_field(&in);
	if (!input_end(&in))
		return;
	u.n = 5;
	rule_run(&u);
}

void
msg_send(struct req *r)
{
	static const char *const fields[] = {"body", NULL};
	/* 30 a minute (message_send) */
	struct rule u = {.r = r, .query = "msg_send", .retry_after = "60"};
	struct input in;

	if (!messaging_on(r))
		return;
	rule_me(&u);
	if ((u.p[2] = api_path_id(r, "id", "conversation")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	u.p[3] = body_field(&in);
	if (!input_end(&in))
		return;
	u.n = 4;
	rule_run(&u);
}

void
msg_report(struct req *r)
{
	static const char *const fields[] = {"reason", "note", NULL};
	struct rule u = {.r = r, .query = "msg_report"};
	const char *reason;
	struct input in;

	if (!messaging_on(r))
		return;
	rule_me(&u);
	if ((u.p[2] = api_path_id(r, "id", "message")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	reason = input_string(&in, "reason", IN_REQUIRED, 1, 32);
	u.p[4] = input_string(&in, "note", 0, 0, 500);
	if (reason != NULL && strcmp(reason, "spam") != 0 &&
	    strcmp(reason, "harassment") != 0 &&
	    strcmp(reason, "inappropriate") != 0 && strcmp(reason, "other") != 0)
		input_error(&in, "reason", "must be spam, harassment, "
		    "inappropriate or other");
	else if (reason != NULL && strcmp(reason, "other") == 0 &&
	    (u.p[4] == NULL || community_blank(u.p[4])))
		input_error(&in, "note", "must say what is wrong when the reason "
		    "is other");
	if (!input_end(&in))
		return;
	u.p[3] = reason;
	u.n = 5;
	rule_run(&u);
}

/* ---- one-statement changes ----------------------------------------------- */

struct change {
	struct req *r;
	const char *query;
	const char *p[3];
	int n;
	const char *missing;	/* the 404's text when no row comes back */
};

static int
change_tx(struct db *db, void *arg)
{
	struct change *c = arg;
	PGresult *res = db_query(db, c->query, c->n, c->p);
	int rows;

	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	PQclear(res);
	if (rows == 0) {
		resp_problem(c->r, 404, "not-found", "%s", c->missing);
		return 1;
	}
	return 0;
}

/* Runs c in a transaction: 204, or its 404. */
static void
change(struct change *c)
{
	struct db *db;

	if ((db = api_db(c->r)) != NULL && api_tx(c->r, db, DB_READ_COMMITTED,
	    change_tx, c))
		resp_text(c->r, 204, "text/plain", "", 0);
}

void
msg_read(struct req *r)
{
	struct change c = {.r = r, .query = "msg_read", .n = 2,
	    .missing = "There is no such conversation."};

	if (messaging_on(r) &&
	    (c.p[0] = api_path_id(r, "id", "conversation")) != NULL) {
		c.p[1] = r->user->user_id;
		change(&c);
	}
}

void
msg_leave(struct req *r)
{
	struct change c = {.r = r, .query = "msg_leave", .n = 2,
	    .missing = "There is no such group of yours."};

	if (messaging_on(r) &&
	    (c.p[0] = api_path_id(r, "id", "conversation")) != NULL) {
		c.p[1] = r->user->user_id;
		change(&c);
	}
}

void
msg_delete(struct req *r)
{
	struct change c = {.r = r, .query = "msg_delete", .n = 2,
	    .missing = "There is no such message of yours."};

	if (messaging_on(r) &&
	    (c.p[0] = api_path_id(r, "id", "message")) != NULL) {
		c.p[1] = r->user->user_id;
		change(&c);
	}
}

void
msg_block(struct req *r)
{
	struct change c = {.r = r, .query = "msg_block", .n = 3,
	    .missing = "There is no such member."};

	if ((c.p[2] = api_path_id(r, "id", "member")) != NULL) {
		c.p[0] = r->user->org_id;
		c.p[1] = r->user->user_id;
		change(&c);
	}
}

void
msg_unblock(struct req *r)
{
	struct change c = {.r = r, .query = "msg_unblock", .n = 2,
	    .missing = "You have not blocked this member."};

	if ((c.p[1] = api_path_id(r, "id", "member")) != NULL) {
		c.p[0] = r->user->user_id;
		change(&c);
	}
}

/* ---- the admins' reports -------------------------------------------------- */

static const char *
report_status_rule(const char *s)
{
	return strcmp(s, "open") == 0 || strcmp(s, "dismissed") == 0 ||
	    strcmp(s, "removed") == 0 ? NULL :
	    "must be open, dismissed or removed";
}

void
msg_reports_list(struct req *r)
{
	const char *p[2], *status;
	char limit[12];
	struct input in;
	int n;

	if ((n = api_limit(r, 50, 200)) < 0)
		return;
	input_query_begin(&in, r);
	status = input_query(&in, "status", report_status_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[0] = status != NULL ? status : "open";
	p[1] = limit;
	api_doc(r, "msg_reports", 2, p, "There are no reports.");
}

struct resolve {
	struct req *r;
	const char *p[3];
};

static int
resolve_tx(struct db *db, void *arg)
{
	struct resolve *v = arg;
	PGresult *res = db_query(db, "msg_report_resolve", 3, v->p);
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(v->r, 404, "not-found", "There is no such open "
		    "report.");
		return 1;
	}
	rc = audit_write(db, v->r, v->r->user->org_id, v->r->user->user_id,
	    strcmp(v->p[2], "remove") == 0 ? "message.removed" :
	    "message_report.dismissed", "message", PQgetvalue(res, 0, 0), NULL,
	    json_pack("{s:s?, s:i}", "sender", PQgetisnull(res, 0, 1) ? NULL :
	    PQgetvalue(res, 0, 1), "reports", atoi(PQgetvalue(res, 0, 2))),
	    true, NULL);
	PQclear(res);
	return rc != 0 ? -1 : 0;
}

void
msg_report_resolve(struct req *r)
{
	static const char *const fields[] = {"decision", NULL};
	struct resolve v = {.r = r};
	struct input in;
	struct db *db;

	if ((v.p[0] = api_path_id(r, "id", "report")) == NULL)
		return;
	v.p[1] = r->user->user_id;
	input_begin(&in, r);
	input_only(&in, fields);
	v.p[2] = input_string(&in, "decision", IN_REQUIRED, 1, 16);
	if (v.p[2] != NULL && strcmp(v.p[2], "dismiss") != 0 &&
	    strcmp(v.p[2], "remove") != 0)
		input_error(&in, "decision", "must be dismiss or remove");
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    resolve_tx, &v))
		resp_text(r, 204, "text/plain", "", 0);
}
