/*
 * api_roles.c - permissions and roles: the list of permissions, an
 * organization's roles, and the roles its admins define (role.manage).
 *
 * A role is a set of permissions.  The three built-in roles do not change.
 * Nobody defines or changes a role so that it permits something they do
 * not hold themselves, or changes a role that already does; the
 * organization keeps at least one active account that may manage roles.
 * Members' sessions see a change at their next request (the session check
 * reads the role's permissions each time).  Every change is audited.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/perm.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"
#include "identity/api.h"

static const char *const audited[] = {"key", "name", "description",
    "permissions", NULL};

void
permissions_list(struct req *r)
{
	api_doc(r, "permissions_list", 0, NULL, "Nothing is there.");
}

void
roles_list(struct req *r)
{
	const char *p[1] = {r->user->org_id};

	api_doc(r, "roles_list", 1, p, "Nothing is there.");
}

static const char *
known_permission(const char *s)
{
	return perm_parse(s) != 0 ? NULL : "is not a permission (see GET "
	    "/api/v1/permissions)";
}

/* What a create or change asks for. */
struct role_input {
	struct req *r;
	const char *key, *name, *description;
	const char *perms;  /* a text array literal, or NULL: unchanged */
	unsigned perm_bits;
	char *json;
};

/* 0, or 1 after answering 403 when want holds a permission r's user lacks. */
static int
within(struct req *r, unsigned want)
{
	unsigned beyond = want & ~r->user->perms;

	if (beyond == 0)
		return 0;
	for (unsigned bit = 1; bit != 0; bit <<= 1)
		if (beyond & bit) {
			resp_problem(r, 403, "forbidden", "You cannot give a "
			    "role the permission %s: your own role does not "
			    "hold it.", perm_name(bit));
			break;
		}
	return 1;
}

static bool
read_input(struct role_input *x, struct req *r, bool create)
{
	static const char *const fields[] = {"key", "name", "description",
	    "permissions", NULL};
	struct input in;

	x->r = r;
	input_begin(&in, r);
	input_only(&in, fields);
	if (create) {
		x->key = input_string(&in, "key", IN_REQUIRED, 2, 32);
		if (x->key != NULL && !api_role_key(x->key))
			input_error(&in, "key", "must be a lowercase letter, "
			    "then 1 to 31 lowercase letters, digits or _");
	} else if (input_has(&in, "key")) {
		input_error(&in, "key", "cannot change: make a new role");
	}
	if (create || input_has(&in, "name"))
		x->name = input_string(&in, "name", IN_REQUIRED, 1, 100);
	if (input_has(&in, "description"))
		x->description = input_string(&in, "description", 0, 0, 1000);
	if (create || input_has(&in, "permissions")) {
		x->perms = input_pg_array(&in, "permissions", IN_REQUIRED,
		    PERM_COUNT, known_permission);
		x->perm_bits = perm_parse_array(x->perms);
	}
	return input_end(&in);
}

/* 0, or 1 after answering 409 when no active account may manage roles. */
static int
admins_kept(struct db *db, struct req *r)
{
	const char *p[1] = {r->user->org_id};
	PGresult *res = db_query(db, "admins_active", 1, p);
	bool none;

	if (res == NULL)
		return -1;
	none = strcmp(PQgetvalue(res, 0, 0), "0") == 0;
	PQclear(res);
	if (none) {
		resp_problem(r, 409, "last-admin", "The organization needs an "
		    "active account whose role may manage roles.");
		return 1;
	}
	return 0;
}

static int
role_json_now(struct db *db, struct role_input *x, const char *key)
{
	const char *p[2] = {x->r->user->org_id, key};
	PGresult *res = db_query(db, "role_get", 2, p);

	if (res == NULL)
		return -1;
	x->json = arena_strdup(x->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
create_tx(struct db *db, void *arg)
{
	struct role_input *x = arg;
	struct principal *u = x->r->user;
	const char *p[5] = {u->org_id, x->key, x->name, x->description,
	    x->perms};
	char id[37];
	PGresult *res;

	if ((res = db_query(db, "role_create", 5, p)) == NULL)
		return -1;
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (role_json_now(db, x, x->key) != 0)
		return -1;
	return audit_change(db, x->r, "role.created", "role", id, NULL,
	    x->json, audited);
}

void
role_create(struct req *r)
{
	struct role_input x = {0};
	struct db *db;

	if (!read_input(&x, r, true) || within(r, x.perm_bits) != 0 ||
	    (db = api_db(r)) == NULL)
		return;
	switch (db_tx(db, DB_READ_COMMITTED, create_tx, &x)) {
	case DB_OK:
		resp_raw_json(r, 201, x.json);
		return;
	case DB_UNIQUE:
		resp_problem(r, 409, "conflict", "The organization has a role "
		    "with the key %s already.", x.key);
		return;
	default:
		api_db_problem(r, db, db->status);
	}
}

/* The role of the path, locked: its id and JSON in x; 0, 1 (answered), -1. */
static int
lock_role(struct db *db, struct role_input *x, char id[37], char **old)
{
	const char *p[2] = {x->r->user->org_id, x->key};
	PGresult *res = db_query(db, "role_lock", 2, p);
	bool builtin;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(x->r, 404, "not-found", "There is no such role.");
		return 1;
	}
	snprintf(id, 37, "%s", PQgetvalue(res, 0, 0));
	*old = arena_strdup(x->r->arena, PQgetvalue(res, 0, 1));
	builtin = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	if (builtin) {
		resp_problem(x->r, 409, "builtin-role", "The built-in roles "
		    "(student, instructor, admin) do not change; make a role "
		    "of your own instead.");
		return 1;
	}
	/* Nobody changes a role that permits more than they hold. */
	{
		json_t *doc = json_loads(*old, 0, NULL);
		json_t *list = json_object_get(doc, "permissions");
		unsigned have = perm_parse_array(db_text_array(x->r->arena,
		    list, NULL));

		json_decref(doc);
		return within(x->r, have);
	}
}

static int
update_tx(struct db *db, void *arg)
{
	struct role_input *x = arg;
	char id[37], *old;
	const char *p[4] = {id, x->name, x->description, x->perms};
	PGresult *res;
	int rc;

	if ((rc = lock_role(db, x, id, &old)) != 0)
		return rc;
	if ((res = db_query(db, "role_update", 4, p)) == NULL)
		return -1;
	PQclear(res);
	if ((rc = admins_kept(db, x->r)) != 0)
		return rc;
	if (role_json_now(db, x, x->key) != 0)
		return -1;
	return audit_change(db, x->r, "role.changed", "role", id, old,
	    x->json, audited);
}

void
role_patch(struct req *r)
{
	struct role_input x = {0};
	struct db *db;

	if (!read_input(&x, r, false) || within(r, x.perm_bits) != 0)
		return;
	x.key = req_param(r, "key");
	if (!api_role_key(x.key)) {
		resp_problem(r, 404, "not-found", "There is no such role.");
		return;
	}
	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, update_tx, &x))
		return;
	resp_raw_json(r, 200, x.json);
}

static int
delete_tx(struct db *db, void *arg)
{
	struct role_input *x = arg;
	char id[37], *old;
	const char *p[2] = {x->r->user->org_id, x->key};
	const char *q[1] = {id};
	PGresult *res;
	bool used;
	int rc;

	if ((rc = lock_role(db, x, id, &old)) != 0)
		return rc;
	if ((res = db_query(db, "role_members", 2, p)) == NULL)
		return -1;
	used = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
	PQclear(res);
	if (used) {
		resp_problem(x->r, 409, "role-in-use", "Accounts have this "
		    "role: give them another one first.");
		return 1;
	}
	if ((res = db_query(db, "role_delete", 1, q)) == NULL)
		return -1;
	PQclear(res);
	return audit_change(db, x->r, "role.deleted", "role", id, old,
	    NULL, audited);
}

void
role_delete(struct req *r)
{
	struct role_input x = {.r = r, .key = req_param(r, "key")};
	struct db *db;

	if (!api_role_key(x.key)) {
		resp_problem(r, 404, "not-found", "There is no such role.");
		return;
	}
	if ((db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, delete_tx, &x))
		return;
	resp_text(r, 204, "application/json", "", 0);
}
