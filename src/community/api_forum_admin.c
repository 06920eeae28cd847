/*
 * api_forum_admin.c - running the forums: categories (their moderators),
 * members' trust levels (user.manage) and the organization's forum rules
 * (org.manage), each change in the audit trail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community/api.h"
#include "core/perm.h"
#include "http/api.h"
#include "http/audit.h"

/* ---- categories ---------------------------------------------------------- */

struct category {
	struct req *r;
	const char *p[9];
	bool made;
	char *json;
	char id[40];
};

/*
 * After nothing was changed: 403 for a member of the forum (not a
 * moderator), 404 for anyone else; 1, or -1.
 */
static int
category_refused(struct db *db, struct category *c, const char *category,
    const char *course, const char *missing)
{
	const char *p[4] = {c->r->user->user_id, api_may(c->r,
	    PERM_CONTENT_ALL), category, course};
	PGresult *res = db_query(db, "forum_category_role", 4, p);
	bool staff, member;

	if (res == NULL)
		return -1;
	staff = !PQgetisnull(res, 0, 0) && strcmp(PQgetvalue(res, 0, 0),
	    "staff") == 0;
	member = !PQgetisnull(res, 0, 0) && !staff;
	PQclear(res);
	if (staff)
		resp_problem(c->r, 409, "last-category", "A forum keeps at least "
		    "one category.");
	else if (member)
		resp_problem(c->r, 403, "forbidden", "Only the forum's moderators "
		    "(the course's authors, or staff) manage its categories.");
	else
		resp_problem(c->r, 404, "not-found", "%s", missing);
	return 1;
}

static int
category_put_tx(struct db *db, void *arg)
{
	struct category *c = arg;
	PGresult *res = db_query(db, "forum_category_put", 9, c->p);
	int rc;

	if (res == NULL) {
		if (strcmp(db->constraint,
		    "forum_categories_org_id_course_id_name_key") == 0) {
			resp_problem(c->r, 409, "name-taken", "This forum has a "
			    "category of that name already.");
			return 1;
		}
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return category_refused(db, c, c->p[3], c->p[4], c->p[3] != NULL ?
		    "There is no such category." : "There is no such forum.");
	}
	c->made = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	c->json = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	snprintf(c->id, sizeof(c->id), "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	rc = audit_write(db, c->r, c->r->user->org_id, c->r->user->user_id,
	    c->made ? "forum_category.created" : "forum_category.changed",
	    "forum_category", c->id, NULL, json_loads(c->json, 0, NULL), true,
	    NULL);
	return rc != 0 ? -1 : 0;
}

static void
category_put(struct req *r, bool create)
{
	static const char *const fields[] = {"course_id", "name", "description",
	    "kind", "position", NULL};
	struct category c = {.r = r};
	struct input in;
	struct db *db;
	long pos = 0;
	char spos[16];

	c.p[0] = r->user->org_id;
	c.p[1] = r->user->user_id;
	c.p[2] = api_may(r, PERM_CONTENT_ALL);
	if (!create && (c.p[3] = api_path_id(r, "id", "category")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	if (create)
		c.p[4] = input_string(&in, "course_id", IN_NULLABLE, 36, 36);
	else if (input_has(&in, "course_id"))
		input_error(&in, "course_id", "a category stays in its forum; "
		    "move threads instead");
	c.p[5] = input_string(&in, "name", create ? IN_REQUIRED : 0, 1, 80);
	c.p[6] = input_string(&in, "description", 0, 0, 500);
	c.p[7] = input_string(&in, "kind", 0, 1, 16);
	if (input_has(&in, "position") && input_int(&in, "position", 0, 0,
	    10000, &pos)) {
		snprintf(spos, sizeof(spos), "%ld", pos);
		c.p[8] = spos;
	}
	if (c.p[4] != NULL && !api_is_uuid(c.p[4]))
		input_error(&in, "course_id", "must be a course's id");
	if (c.p[5] != NULL && strspn(c.p[5], " \t\r\n") == strlen(c.p[5]))
		input_error(&in, "name", "must not be blank");
	if (c.p[7] != NULL && strcmp(c.p[7], "discussion") != 0 &&
	    strcmp(c.p[7], "qa") != 0)
		input_error(&in, "kind", "must be discussion or qa");
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    category_put_tx, &c))
		resp_raw_json(r, c.made ? 201 : 200, c.json);
}

void
forum_category_create(struct req *r)
{
	category_put(r, true);
}

void
forum_category_update(struct req *r)
{
	category_put(r, false);
}

static int
category_delete_tx(struct db *db, void *arg)
{
	struct category *c = arg;
	PGresult *res = db_query(db, "forum_category_delete", 3, c->p);
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return category_refused(db, c, c->p[2], NULL, "There is no such "
		    "category.");
	}
	rc = audit_write(db, c->r, c->r->user->org_id, c->r->user->user_id,
	    "forum_category.deleted", "forum_category", c->p[2], json_pack(
	    "{s:s, s:s?, s:i}", "name", PQgetvalue(res, 0, 0), "course_id",
	    PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1), "threads",
	    atoi(PQgetvalue(res, 0, 2))), NULL, true, NULL);
	PQclear(res);
	return rc != 0 ? -1 : 0;
}

void
forum_category_delete(struct req *r)
{
	struct category c = {.r = r};
	struct db *db;

	c.p[0] = r->user->user_id;
	c.p[1] = api_may(r, PERM_CONTENT_ALL);
	if ((c.p[2] = api_path_id(r, "id", "category")) != NULL &&
	    (db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    category_delete_tx, &c))
		resp_text(r, 204, "text/plain", "", 0);
}

/* ---- trust levels -------------------------------------------------------- */

struct trust {
	struct req *r;
	const char *p[4];
	char *json;
};

static int
trust_tx(struct db *db, void *arg)
{
	struct trust *t = arg;
	PGresult *res = db_query(db, "forum_trust_set", 4, t->p);
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1)) {
		PQclear(res);
		resp_problem(t->r, 404, "not-found", "There is no such member.");
		return 1;
	}
	t->json = arena_printf(t->r->arena, "{\"user_id\":\"%s\","
	    "\"trust_level\":%s,\"set_by_staff\":%s}", t->p[1],
	    PQgetvalue(res, 0, 1), t->p[2] != NULL ? "true" : "false");
	rc = audit_write(db, t->r, t->r->user->org_id, t->r->user->user_id,
	    "forum_member.trust_set", "user", t->p[1], json_pack("{s:i}",
	    "trust_level", atoi(PQgetvalue(res, 0, 0))), json_pack("{s:i, s:b}",
	    "trust_level", atoi(PQgetvalue(res, 0, 1)), "set_by_staff",
	    t->p[2] != NULL), true, NULL);
	PQclear(res);
	return rc != 0 ? -1 : 0;
}

void
forum_trust_put(struct req *r)
{
	static const char *const fields[] = {"trust_level", NULL};
	struct trust t = {.r = r};
	struct input in;
	struct db *db;
	long level = 0;
	char s[8];

	t.p[0] = r->user->org_id;
	t.p[3] = r->user->user_id;
	if ((t.p[1] = api_path_id(r, "id", "member")) == NULL)
		return;
	input_begin(&in, r);
	input_only(&in, fields);
	if (input_int(&in, "trust_level", IN_NULLABLE, 0, 4, &level)) {
		snprintf(s, sizeof(s), "%ld", level);
		t.p[2] = s;
	}
	if (!input_has(&in, "trust_level"))
		input_error(&in, "trust_level", "is required: 0 to 4, or null to "
		    "let the member earn it again");
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    trust_tx, &t))
		resp_raw_json(r, 200, t.json);
}

/* ---- the organization's rules -------------------------------------------- */

void
forum_settings_get_h(struct req *r)
{
	api_doc(r, "forum_settings_get", 0, NULL, "There are no forum rules.");
}

struct settings {
	struct req *r;
	const char *json;
	char *out;
};

static int
settings_tx(struct db *db, void *arg)
{
	struct settings *s = arg;
	const char *p[1] = {s->json};
	PGresult *res = db_query(db, "forum_settings_put", 1, p);
	int rc;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(s->r, 404, "not-found", "There are no forum rules.");
		return 1;
	}
	s->out = arena_strdup(s->r->arena, PQgetvalue(res, 0, 0));
	rc = audit_write(db, s->r, s->r->user->org_id, s->r->user->user_id,
	    "forum_settings.changed", "organization", s->r->user->org_id,
	    json_loads(PQgetvalue(res, 0, 1), 0, NULL), json_loads(s->out, 0,
	    NULL), true, NULL);
	PQclear(res);
	return rc != 0 ? -1 : 0;
}

/* The rules an organization sets: each a whole number in its range. */
static const struct {
	const char *name;
	long min, max;
} rules[] = {
	{"flags_to_hide", 1, 100},
	{"tl1_threads_entered", 0, 100000}, {"tl1_posts_read", 0, 100000},
	{"tl2_days_visited", 0, 100000}, {"tl2_posts_read", 0, 100000},
	{"tl2_likes_given", 0, 100000}, {"tl2_likes_received", 0, 100000},
	{"tl2_replies", 0, 100000}, {"tl3_days_visited", 0, 100000},
	{"tl3_posts_read", 0, 100000}, {"tl3_likes_given", 0, 100000},
	{"tl3_likes_received", 0, 100000}, {"tl3_replies", 0, 100000},
	{"tl0_posts_a_day", 0, 10000}, {"tl0_likes_a_day", 0, 10000},
	{"tl0_flags_a_day", 0, 10000}, {"tl1_posts_a_day", 0, 10000},
	{"tl1_likes_a_day", 0, 10000}, {"tl1_flags_a_day", 0, 10000},
	{"posts_a_day", 0, 10000}, {"likes_a_day", 0, 10000},
	{"flags_a_day", 0, 10000},
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

void
forum_settings_patch(struct req *r)
{
	const char *fields[NRULES + 1] = {NULL};
	struct settings s = {.r = r};
	json_t *out = json_object();
	struct input in;
	struct db *db;
	char *dump;

	for (size_t i = 0; i < NRULES; i++)
		fields[i] = rules[i].name;
	input_begin(&in, r);
	input_only(&in, fields);
	for (size_t i = 0; i < NRULES; i++) {
		long v;

		if (input_has(&in, rules[i].name) && input_int(&in,
		    rules[i].name, IN_REQUIRED, rules[i].min, rules[i].max, &v))
			json_object_set_new(out, rules[i].name, json_integer(v));
	}
	if (!input_end(&in)) {
		json_decref(out);
		return;
	}
	dump = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	if (dump == NULL) {
		resp_problem(r, 500, "internal", "Out of memory.");
		return;
	}
	s.json = arena_strdup(r->arena, dump);
	free(dump);
	if ((db = api_db(r)) != NULL && api_tx(r, db, DB_READ_COMMITTED,
	    settings_tx, &s))
		resp_raw_json(r, 200, s.out);
}
