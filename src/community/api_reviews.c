/*
 * api_reviews.c - course reviews (migration 0029): a learner's rating and
 * text, upvotes, the authors' public answer, and hiding.
 *
 * Who may do what is the database's course_member_role: a learner of the
 * course (enrolled, active or completed) reviews it, once; whoever sees the
 * published course reads and upvotes its reviews (not their own); its
 * authors (owner, collaborators, content.all) answer and hide them.  Others
 * get 404, as if the course were not there.  Counts are kept by triggers
 * in the same transaction, so an upvote asked twice, or by two requests
 * at once, counts once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community/api.h"
#include "core/perm.h"
#include "http/api.h"
#include "http/audit.h"

#define REVIEWS_PAGE	20
#define REVIEWS_MAX	100

static const char *
edit_all(struct req *r)
{
	return api_may(r, PERM_CONTENT_ALL);
}

/* NULL for a sort reviews know, else why not: a rule for input_query(). */
static const char *
sort_rule(const char *s)
{
	return strcmp(s, "helpful") == 0 || strcmp(s, "newest") == 0 ||
	    strcmp(s, "highest") == 0 || strcmp(s, "lowest") == 0 ? NULL :
	    "must be helpful, newest, highest or lowest";
}

static const char *
uuid_rule(const char *s)
{
	return api_is_uuid(s) ? NULL : "must be a review's id";
}

void
reviews_list(struct req *r)
{
	const char *course, *sort, *after, *p[6];
	char limit[12];
	struct input in;
	int n;

	if ((course = api_path_id(r, "id", "course")) == NULL ||
	    (n = api_limit(r, REVIEWS_PAGE, REVIEWS_MAX)) < 0)
		return;
	input_query_begin(&in, r);
	sort = input_query(&in, "sort", sort_rule);
	after = input_query(&in, "after", uuid_rule);
	if (!input_end(&in))
		return;
	snprintf(limit, sizeof(limit), "%d", n);
	p[0] = course;
	p[1] = r->user->user_id;
	p[2] = edit_all(r);
	p[3] = sort != NULL ? sort : "helpful";
	p[4] = after;
	p[5] = limit;
	api_doc(r, "reviews_list", 6, p, "There is no such course.");
}

/* ---- my review ----------------------------------------------------------- */

struct mine {
	struct req *r;
	const char *course, *rating, *comment;
	long want;
	bool made;
	char *json;
};

/* My role on the course, its owner and title: 0, 1 after a 404, -1. */
static int
course_role(struct db *db, struct req *r, const char *course,
    PGresult **out)
{
	const char *p[3] = {course, r->user->user_id, edit_all(r)};
	PGresult *res = db_query(db, "review_course_role", 3, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such course.");
		return 1;
	}
	*out = res;
	return 0;
}

/* A notification of a review to whom (a user id), once per kind. */
static int
notify(struct db *db, struct req *r, const char *whom, const char *kind,
    const char *title, const char *body, const char *course,
    const char *review)
{
	const char *p[7] = {r->user->org_id, whom, kind, title, body, course,
	    review};
	PGresult *res = db_query(db, "review_notify", 7, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static int
put_tx(struct db *db, void *arg)
{
	struct mine *m = arg;
	char want[24];
	const char *p[6] = {m->r->user->org_id, m->course, m->r->user->user_id,
	    m->rating, m->comment, want};
	PGresult *role, *res;
	char owner[37], title[256], me[64];
	int rc;

	if ((rc = course_role(db, m->r, m->course, &role)) != 0)
		return rc;
	if (strcmp(PQgetvalue(role, 0, 0), "learner") != 0) {
		rc = strcmp(PQgetvalue(role, 0, 0), "author") == 0;
		PQclear(role);
		resp_problem(m->r, 403, "forbidden", rc ? "The course's authors "
		    "answer reviews; they do not write one." : "Only a learner "
		    "enrolled in the course may review it.");
		return 1;
	}
	snprintf(owner, sizeof(owner), "%s", PQgetvalue(role, 0, 1));
	snprintf(title, sizeof(title), "%s", PQgetvalue(role, 0, 2));
	snprintf(me, sizeof(me), "%s", PQgetvalue(role, 0, 3));
	PQclear(role);
	snprintf(want, sizeof(want), "%ld", m->want);
	if ((res = db_query(db, "review_put", 6, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(m->r, 412, "stale-version", "Your review was changed "
		    "since you read it: read it again.");
		return 1;
	}
	m->made = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	m->json = arena_strdup(m->r->arena, PQgetvalue(res, 0, 1));
	rc = 0;
	if (m->made && owner[0] != '\0' && strcmp(owner,
	    m->r->user->user_id) != 0)
		rc = notify(db, m->r, owner, "course_reviewed", arena_printf(
		    m->r->arena, "A new review of %.150s", title), arena_printf(
		    m->r->arena, "%s gave it %s of 5.", me, m->rating),
		    m->course, PQgetvalue(res, 0, 2));
	PQclear(res);
	return rc;
}

void
review_put_mine(struct req *r)
{
	static const char *const fields[] = {"rating", "comment", NULL};
	struct mine m = {.r = r};
	struct input in;
	struct db *db;
	long rating = 0;

	if ((m.course = api_path_id(r, "id", "course")) == NULL)
		return;
	if ((m.want = api_if_match(r)) < 0) {
		resp_problem(r, 412, "stale-version", "If-Match names no "
		    "version of this review.");
		return;
	}
	input_begin(&in, r);
	input_only(&in, fields);
	input_int(&in, "rating", IN_REQUIRED, 1, 5, &rating);
	m.comment = input_string(&in, "comment", 0, 0, 5000);
	if (!input_end(&in))
		return;
	m.rating = arena_printf(r->arena, "%ld", rating);
	if (m.comment == NULL)
		m.comment = "";
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    put_tx, &m))
		resp_raw_json(r, m.made ? 201 : 200, m.json);
}

static int
delete_tx(struct db *db, void *arg)
{
	struct mine *m = arg;
	const char *p[2] = {m->course, m->r->user->user_id};
	PGresult *res = db_query(db, "review_delete_mine", 2, p);
	int rc;

	if (res == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : 1;
	PQclear(res);
	if (rc != 0)
		resp_problem(m->r, 404, "not-found", "You have not reviewed this "
		    "course.");
	return rc;
}

void
review_delete_mine(struct req *r)
{
	struct mine m = {.r = r};
	struct db *db;

	if ((m.course = api_path_id(r, "id", "course")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    delete_tx, &m))
		resp_text(r, 204, "text/plain", "", 0);
}

/* ---- a review ------------------------------------------------------------ */

enum review_act { ACT_UPVOTE, ACT_UNVOTE, ACT_RESPOND, ACT_HIDE };

struct act {
	struct req *r;
	const char *id;
	enum review_act what;
	const char *text;	/* the answer, or why hidden (NULL: undo) */
	char *json;
};

/* Reads the review as r's user may act on it: 0 with *res, 1, -1. */
static int
review_open(struct db *db, struct act *a, PGresult **res)
{
	const char *p[3] = {a->id, a->r->user->user_id, edit_all(a->r)};

	if ((*res = db_query(db, "review_access", 3, p)) == NULL)
		return -1;
	/* Hidden: out of sight for all but its author and the authors. */
	if (PQntuples(*res) != 1 || PQgetisnull(*res, 0, 0) ||
	    (strcmp(PQgetvalue(*res, 0, 2), "t") == 0 &&
	    strcmp(PQgetvalue(*res, 0, 1), "t") != 0 &&
	    strcmp(PQgetvalue(*res, 0, 0), "author") != 0)) {
		PQclear(*res);
		resp_problem(a->r, 404, "not-found", "There is no such review.");
		return 1;
	}
	return 0;
}

static int
act_tx(struct db *db, void *arg)
{
	struct act *a = arg;
	const char *user = a->r->user->user_id;
	const char *p[3] = {a->id, user, a->text};
	char author[37], course[37];
	bool mine, staff;
	PGresult *res;
	int rc;

	if ((rc = review_open(db, a, &res)) != 0)
		return rc;
	mine = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	staff = strcmp(PQgetvalue(res, 0, 0), "author") == 0;
	snprintf(author, sizeof(author), "%s", PQgetvalue(res, 0, 3));
	snprintf(course, sizeof(course), "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	if ((a->what == ACT_RESPOND || a->what == ACT_HIDE) && !staff) {
		resp_problem(a->r, 403, "forbidden", "Only the course's authors "
		    "may %s a review.", a->what == ACT_HIDE ? "hide" : "answer");
		return 1;
	}
	if (a->what == ACT_UPVOTE && mine) {
		resp_problem(a->r, 403, "forbidden", "Your own review is not "
		    "yours to upvote.");
		return 1;
	}
	switch (a->what) {
	case ACT_UPVOTE:
		p[0] = a->r->user->org_id;
		p[1] = a->id;
		p[2] = user;
		res = db_query(db, "review_upvote", 3, p);
		break;
	case ACT_UNVOTE:
		res = db_query(db, "review_unvote", 2, p);
		break;
	case ACT_RESPOND:
		res = db_query(db, "review_respond", 3, p);
		break;
	case ACT_HIDE:
		res = db_query(db, "review_hide", 3, p);
		break;
	}
	if (res == NULL)
		return -1;
	PQclear(res);
	p[0] = a->id;
	p[1] = user;
	if ((res = db_query(db, "review_get", 2, p)) == NULL)
		return -1;
	a->json = arena_strdup(a->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (a->what == ACT_RESPOND && a->text != NULL && strcmp(author,
	    user) != 0 && notify(db, a->r, author, "review_answered",
	    "Your review was answered", "The course's authors answered your "
	    "review.", course, a->id) != 0)
		return -1;
	if (a->what == ACT_HIDE)
		return audit_write(db, a->r, a->r->user->org_id, user,
		    a->text != NULL ? "course_review.hidden" :
		    "course_review.shown", "course_review", a->id, NULL,
		    json_pack("{s:s?, s:s}", "reason", a->text, "course_id",
		    course), true, NULL) != 0 ? -1 : 0;
	return 0;
}

static void
act(struct req *r, enum review_act what, const char *text)
{
	struct act a = {.r = r, .what = what, .text = text};
	struct db *db;

	if ((a.id = api_path_id(r, "id", "review")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    act_tx, &a))
		resp_raw_json(r, 200, a.json);
}

void
review_upvote(struct req *r)
{
	act(r, ACT_UPVOTE, NULL);
}

void
review_unvote(struct req *r)
{
	act(r, ACT_UNVOTE, NULL);
}

/* The one string field of a body: {"<field>": "..."}; NULL after a 422. */
static const char *
text_field(struct req *r, const char *field, size_t max)
{
	const char *const fields[] = {field, NULL};
	struct input in;
	const char *s;

	input_begin(&in, r);
	input_only(&in, fields);
	s = input_string(&in, field, IN_REQUIRED, 1, max);
	if (s != NULL && strspn(s, " \t\r\n") == strlen(s))
		input_error(&in, field, "must not be blank");
	return input_end(&in) ? s : NULL;
}

void
review_respond(struct req *r)
{
	const char *text = text_field(r, "response", 5000);

	if (text != NULL)
		act(r, ACT_RESPOND, text);
}

void
review_unrespond(struct req *r)
{
	act(r, ACT_RESPOND, NULL);
}

void
review_hide(struct req *r)
{
	const char *why = text_field(r, "reason", 500);

	if (why != NULL)
		act(r, ACT_HIDE, why);
}

void
review_show(struct req *r)
{
	act(r, ACT_HIDE, NULL);
}
