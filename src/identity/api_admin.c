/*
 * api_admin.c - admins manage the users of their organization and read its
 * audit trail.  Every query is scoped to the admin's organization: a user
 * of another one is "not found".  An admin cannot change their own role,
 * lock or delete themselves, nor leave the organization without an admin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/problem.h"
#include "identity/api.h"
#include "identity/support.h"

/* A named query with its parameters, answered by api_doc(). */
struct doc {
	const char *query;
	const char *params[10];
	int n;
};

static void
run_doc(struct req *r, struct doc *d, const char *missing)
{
	api_doc(r, d->query, d->n, d->params, missing);
}

/* A query parameter that must be one of a list, or absent. */
static const char *
query_choice(struct req *r, struct input *in, const char *name,
    const char *const *choices, const char *message)
{
	const char *v = req_query(r, name);

	if (v == NULL)
		return NULL;
	for (size_t i = 0; choices[i] != NULL; i++)
		if (strcmp(v, choices[i]) == 0)
			return v;
	input_error(in, name, message);
	return NULL;
}

/* A UUID query parameter, or absent. */
static const char *
query_uuid(struct req *r, struct input *in, const char *name)
{
	const char *v = req_query(r, name);

	if (v != NULL && !api_is_uuid(v)) {
		input_error(in, name, "must be an id (a UUID)");
		return NULL;
	}
	return v;
}

void
admin_users(struct req *r)
{
	static const char *const roles[] = {"student", "instructor", "admin",
	    NULL};
	static const char *const states[] = {"active", "locked", "deleted",
	    "all", NULL};
	struct doc d = {.query = "admin_users_list", .n = 6};
	const char *q = req_query(r, "q"), *status;
	struct input in;
	int limit;

	input_query_begin(&in, r);
	if (q != NULL && (util_utf8_chars(q) < 1 || util_utf8_chars(q) > 100)) {
		input_error(&in, "q", "must be 1 to 100 characters");
		q = NULL;
	}
	d.params[0] = r->user->org_id;
	d.params[1] = q;
	d.params[2] = query_choice(r, &in, "role", roles,
	    "must be student, instructor or admin");
	status = query_choice(r, &in, "status", states,
	    "must be active, locked, deleted or all");
	d.params[3] = status ? status : "all";
	d.params[4] = query_uuid(r, &in, "after");
	if (!input_end(&in) || (limit = api_limit(r, 50, 200)) < 0)
		return;
	d.params[5] = arena_printf(r->arena, "%d", limit);
	run_doc(r, &d, "Nothing is there.");
}

/* The {id} of the route, or NULL after answering 404. */
static const char *
target_id(struct req *r)
{
	const char *id = req_param(r, "id");

	if (!api_is_uuid(id)) {
		resp_problem(r, 404, "not-found", "There is no such user in "
		    "your organization.");
		return NULL;
	}
	return id;
}

void
admin_user_get(struct req *r)
{
	struct doc d = {.query = "admin_user_get", .n = 2};

	if ((d.params[0] = target_id(r)) == NULL)
		return;
	d.params[1] = r->user->org_id;
	run_doc(r, &d, "There is no such user in your organization.");
}

enum change_kind { CH_ROLE, CH_LOCK, CH_UNLOCK, CH_RESTORE, CH_DELETE };

struct change {
	struct req *r;
	enum change_kind kind;
	const char *id;
	const char *role; /* CH_ROLE */
	char *json;
};

/* Locks the target row; false after answering 404 (or on error, -1). */
static int
lock_target(struct db *db, struct change *c, PGresult **out)
{
	const char *p[2] = {c->id, c->r->user->org_id};
	PGresult *res = db_query(db, "admin_user_state", 2, p);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(c->r, 404, "not-found", "There is no such user in "
		    "your organization.");
		return 1;
	}
	*out = res;
	return 0;
}

static int
end_sessions(struct db *db, const char *user)
{
	const char *p[2] = {user, NULL};
	PGresult *res = db_query(db, "sessions_delete_user", 2, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static int
change_tx(struct db *db, void *arg)
{
	struct change *c = arg;
	struct principal *u = c->r->user;
	const char *p[3] = {c->id, u->org_id, NULL};
	PGresult *st, *res;
	bool active, deleted, anonymized;
	char old_role[33];
	int rc;

	/*
	 * Admins acting at the same time go one after the other, and each
	 * checks that it is still an admin: two admins locking each other
	 * cannot leave the organization without one.
	 */
	p[0] = u->org_id;
	p[1] = u->user_id;
	if ((res = db_query(db, "admin_lock", 1, p)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_query(db, "admin_is_active", 2, p)) == NULL)
		return -1;
	rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!rc) {
		resp_problem(c->r, 403, "forbidden", "This needs the "
		    "permission user.manage.");
		return 1;
	}
	p[0] = c->id;
	p[1] = u->org_id;
	if ((rc = lock_target(db, c, &st)) != 0)
		return rc;
	snprintf(old_role, sizeof(old_role), "%s", PQgetvalue(st, 0, 1));
	active = strcmp(PQgetvalue(st, 0, 2), "t") == 0;
	deleted = strcmp(PQgetvalue(st, 0, 3), "t") == 0;
	anonymized = strcmp(PQgetvalue(st, 0, 4), "t") == 0;
	PQclear(st);
	/* Nobody changes an account whose role permits more than theirs. */
	if ((rc = identity_role_within(db, c->r, old_role, NULL)) != 0)
		return rc;

	if (c->kind == CH_DELETE) {
		struct removal m = {.r = c->r, .user = c->id, .org = u->org_id,
		    .actor = u->user_id, .by_admin = true};

		if ((rc = identity_delete_tx(db, &m)) != 0)
			return rc;
	} else if (c->kind == CH_RESTORE) {
		if (!deleted || anonymized) {
			resp_problem(c->r, 409, "conflict", "%s", !deleted ?
			    "The account is not deleted." : "The account was "
			    "anonymized: it cannot be restored.");
			return 1;
		}
		if ((res = db_query(db, "admin_restore", 2, p)) == NULL)
			return -1;
		PQclear(res);
		if (audit_write(db, c->r, u->org_id, u->user_id,
		    "user.restored", "user", c->id, json_pack("{s:b}",
		    "deleted", 1), json_pack("{s:b}", "deleted", 0), true,
		    NULL) != 0)
			return -1;
	} else if (deleted) {
		resp_problem(c->r, 409, "conflict", "The account is deleted: "
		    "restore it first.");
		return 1;
	} else if (c->kind == CH_ROLE) {
		if (strcmp(old_role, c->role) != 0) {
			rc = identity_role_within(db, c->r, c->role, "role");
			if (rc != 0)
				return rc;
			{
				const char *q[3] = {c->id, u->org_id, c->role};

				/* Cannot happen for oneself (refused before),
				 * but another admin may be the last but one. */
				if ((res = db_query(db, "admins_left_without",
				    3, q)) == NULL)
					return -1;
				rc = atoi(PQgetvalue(res, 0, 0));
				PQclear(res);
				if (rc == 0) {
					resp_problem(c->r, 409, "last-admin",
					    "The organization needs an "
					    "active admin.");
					return 1;
				}
			}
			p[2] = c->role;
			if ((res = db_query(db, "admin_set_role", 3, p)) == NULL)
				return -1;
			PQclear(res);
			/* Sessions carry the old rights: they end now. */
			if (end_sessions(db, c->id) != 0 ||
			    audit_write(db, c->r, u->org_id, u->user_id,
			    "user.role_changed", "user", c->id,
			    json_pack("{s:s}", "role", old_role),
			    json_pack("{s:s}", "role", c->role), true,
			    NULL) != 0)
				return -1;
		}
	} else {
		bool lock = c->kind == CH_LOCK;

		p[2] = lock ? "false" : "true";
		if ((res = db_query(db, "admin_set_active", 3, p)) == NULL)
			return -1;
		PQclear(res);
		if ((lock && end_sessions(db, c->id) != 0) ||
		    audit_write(db, c->r, u->org_id, u->user_id,
		    lock ? "user.locked" : "user.unlocked", "user", c->id,
		    json_pack("{s:b}", "is_active", active),
		    json_pack("{s:b}", "is_active", !lock), true, NULL) != 0)
			return -1;
	}
	if ((res = db_query(db, "admin_user_get", 2, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(c->r, 404, "not-found", "There is no such user in "
		    "your organization.");
		return 1;
	}
	c->json = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static void
change(struct req *r, enum change_kind kind, const char *role)
{
	struct change c = {.r = r, .kind = kind, .role = role};
	struct db *db;

	if ((c.id = target_id(r)) == NULL)
		return;
	if (kind != CH_UNLOCK && kind != CH_RESTORE &&
	    strcasecmp(c.id, r->user->user_id) == 0) {
		resp_problem(r, 409, "own-account", "Admins cannot change the "
		    "role of, lock or delete their own account.");
		return;
	}
	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, change_tx, &c))
		return;
	resp_raw_json(r, 200, c.json);
}

void
admin_user_patch(struct req *r)
{
	static const char *const fields[] = {"role", NULL};
	struct input in;
	const char *role;

	input_begin(&in, r);
	input_only(&in, fields);
	role = input_string(&in, "role", IN_REQUIRED, 1, 32);
	if (role != NULL && !api_role_key(role))
		input_error(&in, "role", "must be a role's key: a lowercase "
		    "letter, then 1 to 31 lowercase letters, digits or _");
	if (input_end(&in))
		change(r, CH_ROLE, role);
}

void
admin_user_lock(struct req *r)
{
	change(r, CH_LOCK, NULL);
}

void
admin_user_unlock(struct req *r)
{
	change(r, CH_UNLOCK, NULL);
}

void
admin_user_delete(struct req *r)
{
	change(r, CH_DELETE, NULL);
}

void
admin_user_restore(struct req *r)
{
	change(r, CH_RESTORE, NULL);
}

/* An ISO 8601 date or timestamp, as far as its characters go. */
static const char *
query_time(struct req *r, struct input *in, const char *name)
{
	const char *v = req_query(r, name);

	if (v == NULL)
		return NULL;
	if (!api_iso_time(v)) {
		input_error(in, name, "must be an ISO 8601 date or time, such "
		    "as 2026-11-21 or 2026-11-21T08:00:00Z");
		return NULL;
	}
	return v;
}

void
admin_audit(struct req *r)
{
	static const char *const bools[] = {"true", "false", NULL};
	struct doc d = {.query = "admin_audit_list", .n = 10};
	const char *action = req_query(r, "action");
	const char *etype = req_query(r, "entity_type");
	struct input in;
	int limit;

	input_query_begin(&in, r);
	if (action != NULL && (util_utf8_chars(action) < 1 ||
	    util_utf8_chars(action) > 64)) {
		input_error(&in, "action", "must be 1 to 64 characters");
		action = NULL;
	}
	if (etype != NULL && (util_utf8_chars(etype) < 1 || util_utf8_chars(etype) > 64)) {
		input_error(&in, "entity_type", "must be 1 to 64 characters");
		etype = NULL;
	}
	d.params[0] = r->user->org_id;
	d.params[1] = action;
	d.params[2] = query_uuid(r, &in, "actor");
	d.params[3] = etype;
	d.params[4] = query_uuid(r, &in, "entity_id");
	d.params[5] = query_time(r, &in, "since");
	d.params[6] = query_time(r, &in, "until");
	d.params[7] = query_choice(r, &in, "success", bools,
	    "must be true or false");
	d.params[8] = query_uuid(r, &in, "after");
	if (!input_end(&in) || (limit = api_limit(r, 50, 200)) < 0)
		return;
	d.params[9] = arena_printf(r->arena, "%d", limit);
	/* Dates are checked above: the database refuses none of them. */
	run_doc(r, &d, "Nothing is there.");
}
