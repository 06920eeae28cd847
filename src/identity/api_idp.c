/*
 * api_idp.c - an organization's identity providers, managed by its admins
 * (org.manage): added with their discovery document fetched at once (a
 * wrong issuer shows here, not at the first sign-in), changed, switched
 * off, removed.  The client secret goes in and never comes out; the audit
 * trail notes that it changed, not what it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "http/api.h"
#include "http/audit.h"
#include "http/auth.h"
#include "identity/api.h"
#include "identity/rules.h"
#include "identity/sso.h"

static const char *const idp_audited[] = {"name", "issuer", "client_id",
    "allowed_domains", "create_accounts", "enabled", "client_secret", NULL};

void
idp_list(struct req *r)
{
	PGresult *res;
	struct db *db;
	char uri[600];
	json_t *items;

	if ((db = api_db(r)) == NULL)
		return;
	if ((res = db_query(db, "idp_list", 0, NULL)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	/* What the admin registers at the provider. */
	sso_redirect_uri(r, uri, sizeof(uri));
	resp_json(r, 200, json_pack("{s:o, s:s}", "items", items ? items :
	    json_array(), "redirect_uri", uri));
}

struct idp_change {
	struct req *r;
	const char *id, *name, *issuer, *client_id, *secret, *domains;
	const char *create_accounts, *enabled;
	struct idp p; /* a new provider's discovery */
	char *json;
};

/* The fields of a new provider (create) or of a change; false after a
 * 422. */
static bool
idp_input(struct req *r, struct idp_change *c, bool create)
{
	static const char *const new_fields[] = {"name", "issuer", "client_id",
	    "client_secret", "allowed_domains", "create_accounts", "enabled",
	    NULL};
	static const char *const change_fields[] = {"name", "client_id",
	    "client_secret", "allowed_domains", "create_accounts", "enabled",
	    NULL};
	unsigned need = create ? IN_REQUIRED : 0;
	struct input in;

	input_begin(&in, r);
	input_only(&in, create ? new_fields : change_fields);
	if (create || input_has(&in, "name"))
		c->name = input_string(&in, "name", IN_REQUIRED, 1, 100);
	if (create && (c->issuer = input_string(&in, "issuer", IN_REQUIRED,
	    8, 500)) != NULL && (!sso_url_ok(r, c->issuer) ||
	    strpbrk(c->issuer, "?#") != NULL))
		input_error(&in, "issuer", r->cfg->oidc_allow_http ? "must be "
		    "an http or https URL without a query" : "must be an "
		    "https URL without a query");
	if (create || input_has(&in, "client_id"))
		c->client_id = input_string(&in, "client_id", IN_REQUIRED | need,
		    1, 255);
	if (create || input_has(&in, "client_secret"))
		c->secret = input_string(&in, "client_secret", IN_REQUIRED |
		    need, 1, 500);
	if (c->client_id && strpbrk(c->client_id, "\t\r\n"))
		input_error(&in, "client_id", "must be one line");
	if (c->secret && strpbrk(c->secret, "\t\r\n"))
		input_error(&in, "client_secret", "must be one line");
	if (input_has(&in, "allowed_domains"))
		c->domains = input_pg_array(&in, "allowed_domains", IN_REQUIRED,
		    50, rules_domain);
	c->create_accounts = input_flag(&in, "create_accounts");
	c->enabled = input_flag(&in, "enabled");
	return input_end(&in);
}

static int
idp_create_tx(struct db *db, void *arg)
{
	struct idp_change *c = arg;
	struct principal *u = c->r->user;
	const char *p[8] = {u->org_id, c->name, c->issuer, c->client_id,
	    c->secret, c->domains, c->create_accounts, c->enabled};
	PGresult *res;

	if ((res = db_query(db, "idp_insert", 8, p)) == NULL)
		return -1;
	snprintf(c->p.id, sizeof(c->p.id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (sso_discovered_save(db, &c->p) != 0)
		return -1;
	p[0] = c->p.id;
	if ((res = db_query(db, "idp_get", 1, p)) == NULL)
		return -1;
	c->json = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	return audit_change(db, c->r, "identity_provider.created",
	    "identity_provider", c->p.id, NULL, c->json, idp_audited);
}

void
idp_create(struct req *r)
{
	struct idp_change c = {.r = r};
	char err[256];
	struct db *db;
	enum db_status st;

	if (!idp_input(r, &c, true) || (db = api_db(r)) == NULL)
		return;
	/* The provider must answer now: a typo shows here, not at the
	 * first sign-in. */
	c.p.issuer = c.issuer;
	if (sso_discover(r, &c.p, err, sizeof(err)) != 0) {
		api_field_error(r, "issuer", arena_printf(r->arena, "has no "
		    "usable discovery document: %s", err));
		return;
	}
	st = db_tx(db, DB_READ_COMMITTED, idp_create_tx, &c);
	if (st == DB_UNIQUE)
		resp_problem(r, 409, "conflict", "The organization has a "
		    "provider with this issuer and client id already.");
	else if (st != DB_OK && st != DB_TX_ABORTED)
		api_db_problem(r, db, st);
	else if (st == DB_OK)
		resp_raw_json(r, 201, c.json);
}

static int
idp_patch_tx(struct db *db, void *arg)
{
	struct idp_change *c = arg;
	const char *p[7] = {c->id, c->name, c->client_id, c->secret,
	    c->domains, c->create_accounts, c->enabled};
	PGresult *res;
	char *old;
	json_t *doc;
	int rc;

	if ((res = db_query(db, "idp_get", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(c->r, 404, "not-found", "There is no such "
		    "identity provider.");
		return 1;
	}
	old = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_query(db, "idp_update", 7, p)) == NULL)
		return -1;
	c->json = arena_strdup(c->r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	/* The secret itself stays out of the trail: only that it changed. */
	doc = json_loads(c->json, 0, NULL);
	if (c->secret != NULL && doc != NULL)
		json_object_set_new(doc, "client_secret", json_string(
		    "(changed)"));
	{
		char *after = doc ? json_dumps(doc, JSON_COMPACT) : NULL;

		rc = audit_change(db, c->r, "identity_provider.changed",
		    "identity_provider", c->id, old, after ? after : c->json,
		    idp_audited);
		free(after);
	}
	json_decref(doc);
	return rc;
}

void
idp_patch(struct req *r)
{
	struct idp_change c = {.r = r};
	struct db *db;

	if ((c.id = api_path_id(r, "id", "identity provider")) == NULL ||
	    !idp_input(r, &c, false) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, idp_patch_tx, &c))
		return;
	resp_raw_json(r, 200, c.json);
}

static int
idp_delete_tx(struct db *db, void *arg)
{
	struct req *r = arg;
	const char *p[1] = {req_param(r, "id")};
	PGresult *res = db_query(db, "idp_get", 1, p);
	char *old;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such identity "
		    "provider.");
		return 1;
	}
	old = arena_strdup(r->arena, PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_query(db, "idp_delete", 1, p)) == NULL)
		return -1;
	PQclear(res);
	return audit_change(db, r, "identity_provider.deleted",
	    "identity_provider", p[0], old, NULL, idp_audited);
}

void
idp_delete(struct req *r)
{
	struct db *db;

	if (api_path_id(r, "id", "identity provider") == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, idp_delete_tx, r))
		return;
	resp_text(r, 204, "text/plain", "", 0);
}
