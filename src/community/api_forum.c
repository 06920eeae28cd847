/*
 * api_forum.c - the forums (migration 0031): categories, threads, nested
 * replies, likes, edits, answers, watching, reading, flags, moderation and
 * trust.
 *
 * What a member may do is decided in the database, by the forum's rule
 * functions (forum_thread_create, forum_like, ...), each in the request's
 * one transaction: they answer a status and the document, or a problem.
 * Here the request is read and checked, the Markdown rendered (safe, as a
 * lesson's: core/markdown.h), and what the rules ask for done around
 * them (community/rule.h): the audit trail of moderation, and the XP of
 * a helpful post.
 * Reads are named queries returning one JSON document each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community/api.h"
#include "community/rule.h"
#include "core/markdown.h"
#include "core/perm.h"
#include "gamify/engine.h"
#include "http/api.h"
#include "http/audit.h"

#define THREADS_PAGE	30
#define THREADS_MAX	100
#define REPLIES_PAGE	50
#define REPLIES_MAX	200
#define BODY_MAX	20000
#define TITLE_MAX	200

static const char *
edit_all(struct req *r)
{
	return api_may(r, PERM_CONTENT_ALL);
}

/* ---- input --------------------------------------------------------------- */

static const char *
order_rule(const char *s)
{
	return strcmp(s, "tree") == 0 || strcmp(s, "time") == 0 ||
	    strcmp(s, "newest") == 0 ? NULL : "must be tree, time or newest";
}

static const char *
num_rule(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s != '\0' && *end == '\0' && v >= 0 && v <= 2000000000 ?
	    NULL : "must be a reply number";
}

static const char *
text_rule(const char *s)
{
	(void)s;
	return NULL;
}

/*
 * The body's HTML (safe), and whether it has links or pictures, which a
 * new member may not post; NULL after a 500.
 */
static const char *
render(struct req *r, const char *md, const char **has_media)
{
	char *html = markdown_to_html(md, strlen(md)), *copy;

	if (html == NULL) {
		resp_problem(r, 500, "internal", "The post could not be rendered.");
		return NULL;
	}
	*has_media = strstr(html, "<a ") != NULL || strstr(html, "<img ") !=
	    NULL ? "true" : "false";
	copy = arena_strdup(r->arena, html);
	free(html);
	return copy;
}

/* A post's Markdown body from in: NULL when absent or refused. */
static const char *
body_field(struct input *in, unsigned flags)
{
	const char *body = input_string(in, "body", flags, 1, BODY_MAX);

	if (community_blank(body))
		input_error(in, "body", "must not be blank");
	return body;
}

/*
 * The body, its HTML and whether it has links or pictures, as the rule's
 * parameters i, i + 1 and i + 2 (none but the last for no body); false
 * after a 500.
 */
static bool
body_params(struct rule *u, int i, const char *body)
{
	u->p[i] = body;
	u->p[i + 2] = "false";
	return body == NULL || (u->p[i + 1] = render(u->r, body,
	    &u->p[i + 2])) != NULL;
}

/* ---- reads --------------------------------------------------------------- */

void
forum_list(struct req *r)
{
	const char *p[2] = {r->user->user_id, edit_all(r)};

	api_doc(r, "forum_forums", 2, p, "There is no forum.");
}

void
forum_get(struct req *r)
{
	const char *p[3] = {r->user->user_id, edit_all(r), NULL};
	struct input in;

	input_query_begin(&in, r);
	p[2] = input_query(&in, "course", community_id_rule);
	if (input_end(&in))
		api_doc(r, "forum_index", 3, p, "There is no such forum.");
}

void
forum_threads_list(struct req *r)
{
	const char *p[5] = {r->user->user_id, edit_all(r)};
	char limit[12];
	struct input in;
	int n;

	if ((p[2] = api_path_id(r, "id", "category")) == NULL ||
	    (n = api_limit(r, THREADS_PAGE, THREADS_MAX)) < 0)
		return;
	input_query_begin(&in, r);
	p[3] = input_query(&in, "after", community_id_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[4] = limit;
	api_doc(r, "forum_threads", 5, p, "There is no such category.");
}

void
forum_thread_get(struct req *r)
{
	const char *p[3] = {r->user->user_id, edit_all(r)};

	if ((p[2] = api_path_id(r, "id", "thread")) != NULL)
		api_doc(r, "forum_thread", 3, p, "There is no such thread.");
}

void
forum_replies_list(struct req *r)
{
	const char *p[6] = {r->user->user_id, edit_all(r)}, *order;
	char limit[12];
	struct input in;
	int n;

	if ((p[2] = api_path_id(r, "id", "thread")) == NULL ||
	    (n = api_limit(r, REPLIES_PAGE, REPLIES_MAX)) < 0)
		return;
	input_query_begin(&in, r);
	order = input_query(&in, "order", order_rule);
	p[4] = input_query(&in, "after", num_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[3] = order != NULL ? order : "tree";
	p[5] = limit;
	api_doc(r, "forum_replies_page", 6, p, "There is no such thread.");
}

void
forum_reply_get_h(struct req *r)
{
	const char *p[3] = {r->user->user_id, edit_all(r)};

	if ((p[2] = api_path_id(r, "id", "reply")) != NULL)
		api_doc(r, "forum_reply_get", 3, p, "There is no such reply.");
}

static void
revisions(struct req *r, const char *kind)
{
	const char *p[4] = {r->user->user_id, edit_all(r), kind};

	if ((p[3] = api_path_id(r, "id", kind)) != NULL)
		api_doc(r, "forum_revisions", 4, p, "There is no such post.");
}

void
forum_thread_revisions(struct req *r)
{
	revisions(r, "thread");
}

void
forum_reply_revisions(struct req *r)
{
	revisions(r, "reply");
}

void
forum_search_posts(struct req *r)
{
	const char *p[5] = {r->user->user_id, edit_all(r)};
	char limit[12];
	struct input in;
	int n;

	if ((n = api_limit(r, 20, 50)) < 0)
		return;
	input_query_begin(&in, r);
	p[2] = input_query(&in, "q", text_rule);
	p[3] = input_query(&in, "course", community_id_rule);
	if (p[2] == NULL || community_blank(p[2]))
		input_error(&in, "q", "is required");
	else if (strlen(p[2]) > 200)
		input_error(&in, "q", "must be at most 200 characters");
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[4] = limit;
	api_doc(r, "forum_search", 5, p, "Nothing to search.");
}

void
forum_member_me(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "forum_member", 1, p, "There is no such member.");
}

static const char *
status_rule(const char *s)
{
	return strcmp(s, "open") == 0 || strcmp(s, "agreed") == 0 ||
	    strcmp(s, "dismissed") == 0 ? NULL :
	    "must be open, agreed or dismissed";
}

void
forum_flags_list(struct req *r)
{
	const char *p[4] = {r->user->user_id, edit_all(r)}, *status;
	char limit[12];
	struct input in;
	int n;

	if ((n = api_limit(r, 50, 200)) < 0)
		return;
	input_query_begin(&in, r);
	status = input_query(&in, "status", status_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[2] = status != NULL ? status : "open";
	p[3] = limit;
	api_doc(r, "forum_flags_queue", 4, p, "There is no queue.");
}

/* ---- writing posts ------------------------------------------------------- */

void
forum_thread_create_h(struct req *r)
{
	static const char *const fields[] = {"title", "body", NULL};
	struct rule u = {.r = r, .query = "forum_do_thread_create"};
	const char *body;
	struct input in;

	rule_me(&u);
	if ((u.p[3] = api_path_id(r, "id", "category")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	u.p[4] = input_string(&in, "title", IN_REQUIRED, 1, TITLE_MAX);
	body = body_field(&in, IN_REQUIRED);
	if (community_blank(u.p[4]))
		input_error(&in, "title", "must not be blank");
	if (!input_end(&in) || !body_params(&u, 5, body))
		return;
	u.n = 8;
	rule_run(&u);
}

void
forum_reply_create_h(struct req *r)
{
	static const char *const fields[] = {"body", "parent_id", NULL};
	struct rule u = {.r = r, .query = "forum_do_reply_create"};
	const char *body;
	struct input in;

	rule_me(&u);
	if ((u.p[3] = api_path_id(r, "id", "thread")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	body = body_field(&in, IN_REQUIRED);
	u.p[4] = input_string(&in, "parent_id", 0, 36, 36);
	if (u.p[4] != NULL && !api_is_uuid(u.p[4]))
		input_error(&in, "parent_id", "must be a reply's id");
	if (!input_end(&in) || !body_params(&u, 5, body))
		return;
	u.n = 8;
	rule_run(&u);
}

static void
edit(struct req *r, const char *kind)
{
	static const char *const thread_fields[] = {"title", "body", NULL};
	static const char *const reply_fields[] = {"body", NULL};
	struct rule u = {.r = r, .query = "forum_do_edit"};
	const char *title = NULL, *body;
	bool thread = strcmp(kind, "thread") == 0;
	struct input in;
	long want;
	char v[24];

	rule_me(&u);
	u.p[3] = kind;
	if ((u.p[4] = api_path_id(r, "id", thread ? "thread" : "reply")) == NULL)
		return;
	if ((want = api_if_match(r)) < 0) {
		resp_problem(r, 412, "stale-version", "If-Match names no version "
		    "of this post.");
		return;
	}
	input_begin(&in, r);
	input_only(&in, thread ? thread_fields : reply_fields);
	if (thread)
		title = input_string(&in, "title", 0, 1, TITLE_MAX);
	body = body_field(&in, thread ? 0 : IN_REQUIRED);
	if (community_blank(title))
		input_error(&in, "title", "must not be blank");
	if (!input_end(&in))
		return;
	if (title == NULL && body == NULL) {
		resp_problem(r, 422, "validation", "Nothing to change: give a "
		    "title or a body.");
		return;
	}
	u.p[5] = title;
	if (!body_params(&u, 6, body))
		return;
	snprintf(v, sizeof(v), "%ld", want);
	u.p[9] = v;
	u.n = 10;
	rule_run(&u);
}

void
forum_thread_edit(struct req *r)
{
	edit(r, "thread");
}

void
forum_reply_edit(struct req *r)
{
	edit(r, "reply");
}

static void
delete_post(struct req *r, const char *kind)
{
	struct rule u = {.r = r, .query = "forum_do_delete"};

	u.p[0] = r->user->user_id;
	u.p[1] = edit_all(r);
	u.p[2] = kind;
	u.n = 4;
	if ((u.p[3] = api_path_id(r, "id", kind)) != NULL)
		rule_run(&u);
}

void
forum_thread_delete(struct req *r)
{
	delete_post(r, "thread");
}

void
forum_reply_delete(struct req *r)
{
	delete_post(r, "reply");
}

/* ---- likes, answers, watching, reading, flags ---------------------------- */

static void
like(struct req *r, const char *kind, const char *on)
{
	struct rule u = {.r = r, .query = "forum_do_like"};

	rule_me(&u);
	u.p[3] = kind;
	u.p[5] = on;
	u.n = 6;
	if ((u.p[4] = api_path_id(r, "id", kind)) != NULL)
		rule_run(&u);
}

void
forum_thread_like(struct req *r)
{
	like(r, "thread", "true");
}

void
forum_thread_unlike(struct req *r)
{
	like(r, "thread", "false");
}

void
forum_reply_like(struct req *r)
{
	like(r, "reply", "true");
}

void
forum_reply_unlike(struct req *r)
{
	like(r, "reply", "false");
}

void
forum_accept_h(struct req *r)
{
	static const char *const fields[] = {"reply_id", NULL};
	struct rule u = {.r = r, .query = "forum_do_accept"};
	struct input in;

	rule_me(&u);
	if ((u.p[3] = api_path_id(r, "id", "thread")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	u.p[4] = input_string(&in, "reply_id", IN_REQUIRED, 36, 36);
	if (u.p[4] != NULL && !api_is_uuid(u.p[4]))
		input_error(&in, "reply_id", "must be a reply's id");
	if (!input_end(&in))
		return;
	u.n = 5;
	rule_run(&u);
}

void
forum_unaccept_h(struct req *r)
{
	struct rule u = {.r = r, .query = "forum_do_accept"};

	rule_me(&u);
	u.p[4] = NULL;
	u.n = 5;
	if ((u.p[3] = api_path_id(r, "id", "thread")) != NULL)
		rule_run(&u);
}

static void
watch(struct req *r, const char *kind, bool clear)
{
	static const char *const fields[] = {"watching", NULL};
	struct rule u = {.r = r, .query = "forum_do_watch"};
	struct input in;
	int w;

	rule_me(&u);
	u.p[3] = kind;
	u.n = 6;
	if ((u.p[4] = api_path_id(r, "id", kind)) == NULL)
		return;
	if (!clear) {
		input_begin(&in, r);
		input_only(&in, fields);
		w = input_bool(&in, "watching", IN_REQUIRED);
		if (!input_end(&in))
			return;
		u.p[5] = w ? "true" : "false";
	}
	rule_run(&u);
}

void
forum_thread_watch(struct req *r)
{
	watch(r, "thread", false);
}

void
forum_thread_unwatch(struct req *r)
{
	watch(r, "thread", true);
}

void
forum_category_watch(struct req *r)
{
	watch(r, "category", false);
}

void
forum_category_unwatch(struct req *r)
{
	watch(r, "category", true);
}

void
forum_read_h(struct req *r)
{
	static const char *const fields[] = {"upto", NULL};
	struct rule u = {.r = r, .query = "forum_do_read"};
	struct input in;
	long upto = 0;
	char n[24];

	rule_me(&u);
	if ((u.p[3] = api_path_id(r, "id", "thread")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	input_int(&in, "upto", IN_REQUIRED, 0, 2000000000, &upto);
	if (!input_end(&in))
		return;
	snprintf(n, sizeof(n), "%ld", upto);
	u.p[4] = n;
	u.n = 5;
	rule_run(&u);
}

static void
flag(struct req *r, const char *kind)
{
	static const char *const fields[] = {"reason", "note", NULL};
	struct rule u = {.r = r, .query = "forum_do_flag"};
	const char *reason, *note;
	struct input in;

	rule_me(&u);
	u.p[3] = kind;
	if ((u.p[4] = api_path_id(r, "id", kind)) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	reason = input_string(&in, "reason", IN_REQUIRED, 1, 32);
	note = input_string(&in, "note", 0, 0, 500);
	if (reason != NULL && strcmp(reason, "spam") != 0 &&
	    strcmp(reason, "inappropriate") != 0 &&
	    strcmp(reason, "off_topic") != 0 && strcmp(reason, "other") != 0)
		input_error(&in, "reason", "must be spam, inappropriate, "
		    "off_topic or other");
	else if (reason != NULL && strcmp(reason, "other") == 0 &&
	    (note == NULL || community_blank(note)))
		input_error(&in, "note", "must say what is wrong when the reason "
		    "is other");
	if (!input_end(&in))
		return;
	u.p[5] = reason;
	u.p[6] = note != NULL ? note : "";
	u.n = 7;
	rule_run(&u);
}

void
forum_thread_flag(struct req *r)
{
	flag(r, "thread");
}

void
forum_reply_flag(struct req *r)
{
	flag(r, "reply");
}

/* ---- moderation ---------------------------------------------------------- */

static void
moderate(struct req *r, const char *kind)
{
	static const char *const fields[] = {"action", "reason", "category_id",
	    NULL};
	struct rule u = {.r = r, .query = "forum_do_moderate"};
	const char *action, *reason, *category;
	struct input in;

	u.p[0] = r->user->user_id;
	u.p[1] = edit_all(r);
	u.p[2] = kind;
	if ((u.p[3] = api_path_id(r, "id", kind)) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	action = input_string(&in, "action", IN_REQUIRED, 1, 16);
	reason = input_string(&in, "reason", 0, 1, 500);
	category = input_string(&in, "category_id", 0, 36, 36);
	if (action != NULL && strcmp(action, "pin") != 0 &&
	    strcmp(action, "unpin") != 0 && strcmp(action, "lock") != 0 &&
	    strcmp(action, "unlock") != 0 && strcmp(action, "hide") != 0 &&
	    strcmp(action, "unhide") != 0 && strcmp(action, "move") != 0)
		input_error(&in, "action", "must be pin, unpin, lock, unlock, "
		    "hide, unhide or move");
	else if (action != NULL && strcmp(action, "hide") == 0 &&
	    (reason == NULL || community_blank(reason)))
		input_error(&in, "reason", "must say why the post is hidden");
	else if (action != NULL && strcmp(action, "move") == 0 &&
	    (category == NULL || !api_is_uuid(category)))
		input_error(&in, "category_id", "must be the category to move "
		    "the thread to");
	if (!input_end(&in))
		return;
	u.p[4] = action;
	u.p[5] = strcmp(action, "hide") == 0 ? reason : NULL;
	u.p[6] = strcmp(action, "move") == 0 ? category : NULL;
	u.n = 7;
	rule_run(&u);
}

void
forum_thread_moderate(struct req *r)
{
	moderate(r, "thread");
}

void
forum_reply_moderate(struct req *r)
{
	moderate(r, "reply");
}

void
forum_flag_resolve_h(struct req *r)
{
	static const char *const fields[] = {"decision", NULL};
	struct rule u = {.r = r, .query = "forum_do_flag_resolve"};
	struct input in;

	u.p[0] = r->user->user_id;
	u.p[1] = edit_all(r);
	if ((u.p[2] = api_path_id(r, "id", "flag")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	u.p[3] = input_string(&in, "decision", IN_REQUIRED, 1, 16);
	if (u.p[3] != NULL && strcmp(u.p[3], "agree") != 0 &&
	    strcmp(u.p[3], "dismiss") != 0)
		input_error(&in, "decision", "must be agree or dismiss");
	if (!input_end(&in))
		return;
	u.n = 4;
	rule_run(&u);
}
