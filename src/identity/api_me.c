/*
 * api_me.c - the signed-in user's own account: profile, settings,
 * sessions, password, deletion and data export.  Every query is keyed by
 * the session's user, so a user can reach no one else's data here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/auth.h"
#include "http/problem.h"
#include "identity/api.h"
#include "identity/password.h"
#include "identity/rules.h"
#include "identity/support.h"

static void
answer_doc(struct req *r, const char *query, int n, const char *p0,
    const char *p1)
{
	const char *params[2] = {p0, p1};

	api_doc(r, query, n, params, "Nothing is there.");
}

void
me_get(struct req *r)
{
	answer_doc(r, "me_get", 1, r->user->user_id, NULL);
}

void
me_settings_get(struct req *r)
{
	answer_doc(r, "settings_get", 1, r->user->user_id, NULL);
}

void
me_sessions(struct req *r)
{
	answer_doc(r, "sessions_list", 2, r->user->user_id,
	    r->user->session_id);
}

void
me_export(struct req *r)
{
	answer_doc(r, "me_export", 1, r->user->user_id, NULL);
	if (r->status == 200)
		resp_header(r, "Content-Disposition",
		    "attachment; filename=\"ludus-export.json\"");
}

/* ---- profile ----------------------------------------------------------- */

#define PROFILE_FIELDS 7

struct profile {
	struct req *r;
	const char *given[PROFILE_FIELDS];
	const char *value[PROFILE_FIELDS];
	json_t *changed;
	char *json;
};

static int
profile_tx(struct db *db, void *arg)
{
	struct profile *p = arg;
	const char *params[1 + 2 * PROFILE_FIELDS];
	PGresult *res;

	params[0] = p->r->user->user_id;
	for (int i = 0; i < PROFILE_FIELDS; i++) {
		params[1 + 2 * i] = p->given[i];
		params[2 + 2 * i] = p->value[i];
	}
	if ((res = db_query(db, "profile_update", 15, params)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_query(db, "me_get", 1, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(p->r, 401, "unauthenticated", "The account is "
		    "gone.");
		return 1;
	}
	p->json = arena_strdup(p->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return audit_write(db, p->r, p->r->user->org_id, p->r->user->user_id,
	    "user.profile_updated", "user", p->r->user->user_id, NULL,
	    json_incref(p->changed), true, NULL);
}

void
me_patch(struct req *r)
{
	/* In the order of the profile_update query's parameters. */
	static const char *const fields[PROFILE_FIELDS + 1] = {"first_name",
	    "last_name", "display_name", "bio", "avatar_url", "timezone",
	    "locale", NULL};
	static const size_t max[PROFILE_FIELDS] = {100, 100, 100, 2000, 500,
	    64, 5};
	struct profile p = {.r = r};
	struct input in;
	struct db *db;

	input_begin(&in, r);
	input_only(&in, fields);
	p.changed = json_object();
	for (int i = 0; i < PROFILE_FIELDS; i++) {
		/* timezone and locale cannot be cleared; the rest can. */
		bool clearable = i < 5;
		const char *v, *why = NULL;

		p.given[i] = "false";
		if (!input_has(&in, fields[i]))
			continue;
		v = input_string(&in, fields[i], clearable ? IN_NULLABLE : 0,
		    clearable ? 0 : 1, max[i]);
		if (v == NULL && !json_is_null(json_object_get(in.body,
		    fields[i])))
			continue;
		if (v != NULL && *v == '\0')
			v = NULL; /* "" clears, like null */
		if (v != NULL && i == 4)
			why = rules_url(v);
		else if (v != NULL && i == 5)
			why = rules_timezone(v);
		else if (v != NULL && i == 6)
			why = rules_locale(v);
		if (why != NULL) {
			input_error(&in, fields[i], why);
			continue;
		}
		p.given[i] = "true";
		p.value[i] = v;
		json_object_set_new(p.changed, fields[i],
		    v ? json_string(v) : json_null());
	}
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, profile_tx, &p)) {
		json_decref(p.changed);
		return;
	}
	json_decref(p.changed);
	resp_raw_json(r, 200, p.json);
}

/* ---- settings ---------------------------------------------------------- */

#define SETTINGS_FIELDS 7

struct settings {
	struct req *r;
	const char *given[SETTINGS_FIELDS];
	const char *value[SETTINGS_FIELDS];
	char *json;
};

static int
settings_tx(struct db *db, void *arg)
{
	struct settings *s = arg;
	struct principal *u = s->r->user;
	const char *params[1 + 2 * SETTINGS_FIELDS];
	json_t *oldv, *newv;
	PGresult *res;
	int rc;

	bool any = false;

	params[0] = u->user_id;
	for (int i = 0; i < SETTINGS_FIELDS; i++) {
		params[1 + 2 * i] = s->given[i];
		params[2 + 2 * i] = s->value[i];
		any |= strcmp(s->given[i], "true") == 0;
	}
	if (!any)
		goto answer; /* nothing to change, nothing to audit */
	if ((res = db_query(db, "settings_update", 1 + 2 * SETTINGS_FIELDS,
	    params)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(s->r, 401, "unauthenticated", "The account is "
		    "gone.");
		return 1;
	}
	oldv = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	newv = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
	PQclear(res);
	rc = audit_write(db, s->r, u->org_id, u->user_id,
	    "user.settings_changed", "user_settings", u->user_id, oldv, newv,
	    true, NULL);
	if (rc != 0)
		return -1;
answer:
	if ((res = db_query(db, "settings_get", 1, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(s->r, 401, "unauthenticated", "The account is "
		    "gone.");
		return 1;
	}
	s->json = arena_strdup(s->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* notification_prefs: an object of up to 50 true/false switches. */
static const char *
check_prefs(json_t *v)
{
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return "must be an object of true/false switches";
	if (json_object_size(v) > 50)
		return "may hold at most 50 switches";
	json_object_foreach(v, key, x) {
		if (strlen(key) < 1 || strlen(key) > 64 || !json_is_boolean(x))
			return "must be an object of true/false switches "
			    "with names of 1 to 64 characters";
	}
	return NULL;
}

void
me_settings_patch(struct req *r)
{
	static const char *const fields[SETTINGS_FIELDS + 1] = {"theme",
	    "daily_goal_minutes", "email_notifications", "push_notifications",
	    "sound_effects", "notification_prefs", "leaderboard_visibility",
	    NULL};
	struct settings s = {.r = r};
	struct input in;
	struct db *db;
	long goal;
	int b;

	input_begin(&in, r);
	input_only(&in, fields);
	for (int i = 0; i < SETTINGS_FIELDS; i++)
		s.given[i] = input_has(&in, fields[i]) ? "true" : "false";
	if (input_has(&in, "theme")) {
		s.value[0] = input_string(&in, "theme", 0, 1, 10);
		if (s.value[0] && strcmp(s.value[0], "light") != 0 &&
		    strcmp(s.value[0], "dark") != 0 &&
		    strcmp(s.value[0], "system") != 0)
			input_error(&in, "theme", "must be light, dark or "
			    "system");
	}
	if (input_has(&in, "daily_goal_minutes") &&
	    input_int(&in, "daily_goal_minutes", 0, 1, 1440, &goal))
		s.value[1] = arena_printf(r->arena, "%ld", goal);
	for (int i = 2; i <= 4; i++)
		if (input_has(&in, fields[i]) &&
		    (b = input_bool(&in, fields[i], 0)) >= 0)
			s.value[i] = b ? "true" : "false";
	if (input_has(&in, "notification_prefs")) {
		json_t *v = json_object_get(in.body, "notification_prefs");
		const char *why = check_prefs(v);

		if (why != NULL) {
			input_error(&in, "notification_prefs", why);
		} else {
			char *t = json_dumps(v, JSON_COMPACT);

			s.value[5] = arena_strdup(r->arena, t);
			free(t);
		}
	}
	if (input_has(&in, "leaderboard_visibility")) {
		s.value[6] = input_string(&in, "leaderboard_visibility", 0, 1,
		    16);
		if (s.value[6] && strcmp(s.value[6], "username") != 0 &&
		    strcmp(s.value[6], "full_name") != 0 &&
		    strcmp(s.value[6], "hidden") != 0)
			input_error(&in, "leaderboard_visibility", "must be "
			    "username, full_name or hidden");
	}
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, settings_tx, &s))
		return;
	resp_raw_json(r, 200, s.json);
}

/* ---- sessions ---------------------------------------------------------- */

struct end_session {
	struct req *r;
	const char *id;
	bool found;
};

static int
end_session_tx(struct db *db, void *arg)
{
	struct end_session *e = arg;
	struct principal *u = e->r->user;
	const char *p[2] = {e->id, u->user_id};
	PGresult *res;

	if ((res = db_query(db, "session_delete", 2, p)) == NULL)
		return -1;
	e->found = atoi(PQcmdTuples(res)) == 1;
	PQclear(res);
	if (!e->found)
		return 0;
	return audit_write(db, e->r, u->org_id, u->user_id, "session.revoked",
	    "session", e->id, NULL, NULL, true, NULL);
}

void
me_session_delete(struct req *r)
{
	struct end_session e = {.r = r, .id = req_param(r, "id")};
	struct db *db;

	if (!api_is_uuid(e.id)) {
		resp_problem(r, 404, "not-found", "There is no such session.");
		return;
	}
	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, end_session_tx, &e))
		return;
	if (!e.found) {
		resp_problem(r, 404, "not-found", "There is no such session.");
		return;
	}
	if (strcasecmp(e.id, r->user->session_id) == 0)
		auth_set_cookies(r, "", "", 0);
	resp_text(r, 204, "application/json", "", 0);
}

/* ---- password and deletion --------------------------------------------- */

/*
 * Checks the user's current password (one bcrypt computation).  Returns
 * true; or false after answering: 422 naming field when it is wrong.
 */
static bool
confirm_password(struct req *r, struct db *db, const char *password,
    const char *field, char *hash_out, char **username, char **email)
{
	const char *p[1] = {r->user->user_id};
	char key[80];
	PGresult *res;
	bool ok;

	/* A stolen session must not become a password oracle. */
	snprintf(key, sizeof(key), "password-check:user:%s", r->user->user_id);
	if (!rate_limit(r, db, key, r->cfg->lockout_threshold, 900, true))
		return false;
	res = db_query(db, "user_password_hash", 1, p);
	if (res == NULL) {
		api_db_problem(r, db, db->status);
		return false;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(r, 401, "unauthenticated", "The account is gone.");
		return false;
	}
	snprintf(hash_out, PASSWORD_HASH_MAX, "%s", PQgetvalue(res, 0, 0));
	if (username)
		*username = arena_strdup(r->arena, PQgetvalue(res, 0, 1));
	if (email)
		*email = arena_strdup(r->arena, PQgetvalue(res, 0, 2));
	PQclear(res);
	ok = password_verify(password, hash_out);
	if (!ok) {
		api_field_error(r, field, "is not the current password");
	}
	return ok;
}

struct change {
	struct req *r;
	char old_hash[PASSWORD_HASH_MAX], new_hash[PASSWORD_HASH_MAX];
	long ended;
	bool stale;
};

static int
password_tx(struct db *db, void *arg)
{
	struct change *c = arg;
	struct principal *u = c->r->user;
	const char *p[3] = {u->user_id, c->new_hash, c->old_hash};
	PGresult *res;

	if ((res = db_query(db, "user_set_password", 3, p)) == NULL)
		return -1;
	c->stale = atoi(PQgetvalue(res, 0, 0)) != 1;
	PQclear(res);
	if (c->stale) {
		resp_problem(c->r, 409, "conflict", "The password was changed "
		    "in the meantime; sign in again.");
		return 1;
	}
	/* The other sessions end; this one goes on. */
	p[1] = u->session_id;
	if ((res = db_query(db, "sessions_delete_user", 2, p)) == NULL)
		return -1;
	c->ended = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return audit_write(db, c->r, u->org_id, u->user_id,
	    "user.password_changed", "user", u->user_id, NULL,
	    json_pack("{s:I}", "sessions_ended", (json_int_t)c->ended), true,
	    NULL);
}

void
me_password(struct req *r)
{
	static const char *const fields[] = {"current_password",
	    "new_password", NULL};
	struct change c = {.r = r};
	const char *current, *next, *why;
	char *username, *email;
	struct input in;
	struct db *db;

	input_begin(&in, r);
	input_only(&in, fields);
	current = input_string(&in, "current_password", IN_REQUIRED, 1, 1000);
	next = input_string(&in, "new_password", IN_REQUIRED, 0,
	    NEW_PASSWORD_ANY);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !confirm_password(r, db, current, "current_password", c.old_hash,
	    &username, &email))
		return;
	if ((why = rules_password(next, username, email)) != NULL ||
	    (strcmp(next, current) == 0 &&
	    (why = "must differ from the current password"))) {
		api_field_error(r, "new_password", why);
		return;
	}
	if (password_hash(next, r->cfg->bcrypt_cost, c.new_hash) != 0) {
		resp_problem(r, 500, "internal", "The password could not be "
		    "hashed.");
		return;
	}
	if (!api_tx(r, db, DB_READ_COMMITTED, password_tx, &c))
		return;
	resp_json(r, 200, json_pack("{s:s, s:I}", "status", "password_changed",
	    "other_sessions_ended", (json_int_t)c.ended));
}

int
identity_delete_tx(struct db *db, void *arg)
{
	struct removal *m = arg;
	const char *p[3] = {m->user, m->org, NULL}; /* they leave */
	const char *g[1] = {m->org};
	PGresult *res;
	bool gone;

	/* In line with admin changes (see change_tx): takes their lock. */
	if ((res = db_query(db, "admin_lock", 1, g)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_query(db, "admins_left_without", 3, p)) == NULL)
		return -1;
	if (atoi(PQgetvalue(res, 0, 0)) == 0) {
		PQclear(res);
		resp_problem(m->r, 409, "last-admin", "This is the last active "
		    "admin of the organization: make someone else admin "
		    "first.");
		return 1;
	}
	PQclear(res);
	if ((res = db_query(db, "user_soft_delete", 2, p)) == NULL)
		return -1;
	gone = atoi(PQcmdTuples(res)) == 1;
	PQclear(res);
	if (!gone) {
		resp_problem(m->r, 409, "conflict", "The account is deleted "
		    "already.");
		return 1;
	}
	p[1] = NULL;
	if ((res = db_query(db, "sessions_delete_user", 2, p)) == NULL)
		return -1;
	PQclear(res);
	return audit_write(db, m->r, m->org, m->actor, "user.deleted", "user",
	    m->user, json_pack("{s:b}", "deleted", 0),
	    json_pack("{s:b, s:s}", "deleted", 1, "by",
	    m->by_admin ? "admin" : "self"), true, NULL);
}

void
me_delete(struct req *r)
{
	static const char *const fields[] = {"password", NULL};
	struct removal m = {.r = r, .user = r->user->user_id,
	    .org = r->user->org_id, .actor = r->user->user_id};
	char hash[PASSWORD_HASH_MAX];
	const char *password;
	struct input in;
	struct db *db;

	input_begin(&in, r);
	input_only(&in, fields);
	password = input_string(&in, "password", IN_REQUIRED, 1, 1000);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !confirm_password(r, db, password, "password", hash, NULL, NULL) ||
	    !api_tx(r, db, DB_READ_COMMITTED, identity_delete_tx, &m))
		return;
	auth_set_cookies(r, "", "", 0);
	resp_json(r, 200, json_pack("{s:s, s:i}", "status", "deleted",
	    "anonymized_after_days", r->cfg->deleted_retention_days));
}
