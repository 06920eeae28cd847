/*
 * api_sso.c - single sign-on with OpenID Connect (migration 0020).
 *
 * A sign-in starts at /auth/sso/{provider}/start: Ludus makes a state, a
 * nonce and a PKCE verifier, keeps them (the state hashed) for ten
 * minutes, puts the state in a cookie of the browser, and sends the
 * browser to the provider.  The provider sends it back to /auth/sso/
 * callback with a code and the state: the state must be the cookie's and
 * is spent on its first use; the code is exchanged at the provider's
 * token endpoint (with the client's secret and the verifier) for an ID
 * token, which must be signed by one of the provider's published keys
 * (RS256 or ES256), be for this client, from this issuer, not expired,
 * and carry the nonce.  Then:
 *
 *   - a subject already linked signs in to its account;
 *   - an email that is an account of the organization, vouched for by the
 *     provider, is only offered for linking: the owner confirms with the
 *     account's password (/sso/link), so that a provider cannot take over
 *     an account by claiming its address;
 *   - otherwise, if the provider may create accounts and vouches for
 *     the address, a new one is made with the organization's default
 *     role and no usable password.
 *
 * Whatever goes wrong, the browser lands on the sign-in page with an
 * sso_error code that the page explains; the audit trail has the detail.
 * Admins manage providers under /admin/identity-providers; people see and
 * remove their links under /me/identities.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "core/jwt.h"
#include "core/log.h"
#include "core/token.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/cookie.h"
#include "http/fetch.h"
#include "identity/api.h"
#include "identity/password.h"
#include "identity/rules.h"
#include "identity/sso.h"
#include "identity/support.h"

#define STATE_COOKIE "ludus_sso"
#define STATE_SECONDS 600      /* a sign-in at the provider may take */
#define LINK_SECONDS 900       /* an offer to link stays open */
#define DISCOVERY_MAX_AGE 86400
#define KEYS_MAX_AGE 3600
#define KEYS_MIN_AGE 5         /* between fetches for an unknown key */
#define FETCH_MAX_BYTES (256 * 1024)
#define FETCH_TIMEOUT_MS 5000


static const char *
col(struct req *r, PGresult *res, int c)
{
	return PQgetisnull(res, 0, c) ? NULL :
	    arena_strdup(r->arena, PQgetvalue(res, 0, c));
}

/* The provider id of org (set on db); 0, 1 when there is none, or -1. */
static int
idp_load(struct req *r, struct db *db, const char *id, struct idp *p)
{
	const char *prm[1] = {id};
	PGresult *res = db_query(db, "sso_provider_get", 1, prm);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	snprintf(p->id, sizeof(p->id), "%s", id);
	p->name = col(r, res, 0);
	p->issuer = col(r, res, 1);
	p->client_id = col(r, res, 2);
	p->secret = col(r, res, 3);
	p->domains = col(r, res, 4);
	p->create_accounts = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
	p->enabled = strcmp(PQgetvalue(res, 0, 6), "t") == 0;
	p->auth_ep = col(r, res, 7);
	p->token_ep = col(r, res, 8);
	p->jwks_uri = col(r, res, 9);
	p->end_ep = col(r, res, 10);
	p->jwks = col(r, res, 11);
	p->discovered_age = PQgetisnull(res, 0, 12) ? -1 :
	    atol(PQgetvalue(res, 0, 12));
	p->keys_age = PQgetisnull(res, 0, 13) ? -1 :
	    atol(PQgetvalue(res, 0, 13));
	p->tz = col(r, res, 14);
	PQclear(res);
	return 0;
}

void
sso_redirect_uri(const struct req *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", r->cfg->public_url, CALLBACK_PATH);
}

bool
sso_url_ok(const struct req *r, const char *url)
{
	if (url == NULL || strlen(url) > 500 || strpbrk(url, " \t\r\n") != NULL)
		return false;
	return strncmp(url, "https://", 8) == 0 ||
	    (r->cfg->oidc_allow_http && strncmp(url, "http://", 7) == 0);
}

/* GETs (or POSTs a form to) url and parses the JSON object it answers. */
static json_t *
fetch_json(struct req *r, const char *url, const char *form,
    const struct idp *p, long *status, char *err, size_t errlen)
{
	struct fetch f = {.url = url, .form = form,
	    .allow_http = r->cfg->oidc_allow_http,
	    .max_bytes = FETCH_MAX_BYTES, .timeout_ms = FETCH_TIMEOUT_MS};
	char *user = NULL, *pass = NULL;
	struct fetched got;
	json_error_t jerr;
	json_t *doc;
	int rc;

	/* client_secret_basic: both parts form-encoded first (RFC 6749
	 * section 2.3.1). */
	if (p != NULL) {
		user = fetch_escape(p->client_id);
		pass = fetch_escape(p->secret);
		f.user = user;
		f.password = pass;
	}
	rc = fetch_url(&f, &got, err, errlen);
	free(user);
	free(pass);
	if (rc != 0)
		return NULL;
	*status = got.status;
	doc = json_loadb(got.body, got.len, JSON_REJECT_DUPLICATES, &jerr);
	free(got.body);
	if (!json_is_object(doc)) {
		json_decref(doc);
		snprintf(err, errlen, "the answer (HTTP %ld) is not a JSON "
		    "object", *status);
		return NULL;
	}
	return doc;
}

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * The provider's discovery document (OpenID Connect Discovery 1.0): its
 * issuer must be the one configured, to the character, and its endpoints
 * URLs Ludus may call.  Fills p's endpoints; 0, or -1 with err.
 */
int
sso_discover(struct req *r, struct idp *p, char *err, size_t errlen)
{
	char url[600];
	size_t n = strlen(p->issuer);
	long status = 0;
	json_t *doc;
	const char *auth, *tok, *keys, *end;
	int rc = -1;

	snprintf(url, sizeof(url), "%.*s/.well-known/openid-configuration",
	    (int)(n > 0 && p->issuer[n - 1] == '/' ? n - 1 : n), p->issuer);
	if ((doc = fetch_json(r, url, NULL, NULL, &status, err,
	    errlen)) == NULL)
		return -1;
	auth = jstr(doc, "authorization_endpoint");
	tok = jstr(doc, "token_endpoint");
	keys = jstr(doc, "jwks_uri");
	end = jstr(doc, "end_session_endpoint");
	if (status != 200)
		snprintf(err, errlen, "the discovery document answered HTTP %ld",
		    status);
	else if (jstr(doc, "issuer") == NULL ||
	    strcmp(jstr(doc, "issuer"), p->issuer) != 0)
		snprintf(err, errlen, "the discovery document names another "
		    "issuer (%.200s)", jstr(doc, "issuer") ?: "none");
	else if (!sso_url_ok(r, auth) || !sso_url_ok(r, tok) || !sso_url_ok(r, keys))
		snprintf(err, errlen, "the discovery document lacks an "
		    "authorization, token or JWKS endpoint Ludus may use");
	else
		rc = 0;
	if (rc == 0) {
		p->auth_ep = arena_strdup(r->arena, auth);
		p->token_ep = arena_strdup(r->arena, tok);
		p->jwks_uri = arena_strdup(r->arena, keys);
		p->end_ep = sso_url_ok(r, end) ? arena_strdup(r->arena, end) : NULL;
		p->discovered_age = 0;
	}
	json_decref(doc);
	return rc;
}

/* Stores what discover() found, outside any transaction. */
int
sso_discovered_save(struct db *db, const struct idp *p)
{
	const char *prm[5] = {p->id, p->auth_ep, p->token_ep, p->jwks_uri,
	    p->end_ep};
	PGresult *res = db_query(db, "sso_provider_discovered", 5, prm);

	PQclear(res);
	return res ? 0 : -1;
}

/* Fetches the provider's keys (a JWK Set) into p and the database. */
static int
keys_fetch(struct req *r, struct db *db, struct idp *p, char *err,
    size_t errlen)
{
	struct fetch f = {.url = p->jwks_uri,
	    .allow_http = r->cfg->oidc_allow_http,
	    .max_bytes = FETCH_MAX_BYTES, .timeout_ms = FETCH_TIMEOUT_MS};
	struct fetched got;
	const char *prm[2];
	json_t *doc;
	PGresult *res;
	bool ok;

	if (fetch_url(&f, &got, err, errlen) != 0)
		return -1;
	doc = json_loadb(got.body, got.len, JSON_REJECT_DUPLICATES, NULL);
	ok = got.status == 200 && json_is_array(json_object_get(doc, "keys"));
	json_decref(doc);
	if (!ok) {
		snprintf(err, errlen, "the JWKS answered HTTP %ld without a "
		    "key set", got.status);
		free(got.body);
		return -1;
	}
	p->jwks = arena_strdup(r->arena, got.body);
	p->keys_age = 0;
	free(got.body);
	prm[0] = p->id;
	prm[1] = p->jwks;
	res = db_query(db, "sso_provider_keys", 2, prm);
	PQclear(res);
	return res ? 0 : -1;
}

/* The provider's endpoints, fresh enough; 0 or -1 with err. */
static int
idp_ready(struct req *r, struct db *db, struct idp *p, char *err,
    size_t errlen)
{
	if (p->auth_ep != NULL && p->discovered_age >= 0 &&
	    p->discovered_age < DISCOVERY_MAX_AGE)
		return 0;
	if (sso_discover(r, p, err, errlen) != 0)
		return -1;
	return sso_discovered_save(db, p);
}

/* A relative path of this site to go to after signing in, else "/". */
static const char *
next_path(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strlen(next) > 500)
		return "/";
	for (const char *s = next; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return "/";
	return next;
}

static void
redirect(struct req *r, int status, const char *location)
{
	resp_header(r, "Location", location);
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, status, "text/plain; charset=utf-8", "", 0);
}

static void
state_cookie(struct req *r, const char *value, long max_age)
{
	char buf[160];

	if (cookie_format(buf, sizeof(buf), STATE_COOKIE, value, max_age,
	    COOKIE_HTTP_ONLY | (r->cfg->cookie_secure ? COOKIE_SECURE : 0)))
		resp_header(r, "Set-Cookie", buf);
}

/* To the sign-in page with a code it explains. */
static void
to_login(struct req *r, const char *code)
{
	char loc[96];

	snprintf(loc, sizeof(loc), "/login?sso_error=%s", code);
	redirect(r, 303, loc);
}

/* ---- the sign-in page's list ------------------------------------------ */

void
sso_providers(struct req *r)
{
	struct input in;
	const char *slug, *p[1];
	struct db *db;
	PGresult *res;
	json_t *items;

	input_query_begin(&in, r);
	slug = input_query(&in, "organization", rules_slug);
	if (!input_end(&in) || (db = api_db(r)) == NULL)
		return;
	p[0] = slug;
	if ((res = db_query(db, "sso_providers_public", 1, p)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	items = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "id",
		    PQgetvalue(res, i, 0), "name", PQgetvalue(res, i, 1),
		    "organization", PQgetvalue(res, i, 2)));
	PQclear(res);
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---- start ------------------------------------------------------------- */

/*
 * Appends name=value (form-encoded) to buf: a URL, after '?' or '&', or a
 * form (starting empty), after '&'.
 */
static bool
add_param(char *buf, size_t size, const char *name, const char *value)
{
	char *e = fetch_escape(value);
	size_t n = strlen(buf);
	const char *sep = n == 0 ? "" : strchr(buf, '?') || !strchr(buf,
	    '/') ? "&" : "?";
	int w;

	if (e == NULL)
		return false;
	w = snprintf(buf + n, size - n, "%s%s=%s", sep, name, e);
	free(e);
	return w > 0 && (size_t)w < size - n;
}

void
sso_start(struct req *r)
{
	const char *id = api_path_id(r, "id", "identity provider");
	const char *next = next_path(req_query(r, "next"));
	char state[TOKEN_LEN + 1], nonce[TOKEN_LEN + 1];
	char verifier[TOKEN_LEN + 1], challenge[44], hash[65], secs[16];
	char redirect_uri[600], loc[4096], err[256];
	struct idp p = {0};
	struct db *db;
	PGresult *res;
	const char *prm[7];
	bool ok;

	if (id == NULL || (db = api_db(r)) == NULL)
		return;
	if (!rate_limit_ip(r, db, "sso", r->cfg->login_rate, 60))
		return;
	prm[0] = id;
	if ((res = db_query(db, "sso_provider_org", 1, prm)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	ok = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0);
	if (ok)
		snprintf(p.org, sizeof(p.org), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!ok) {
		resp_problem(r, 404, "not-found", "There is no such identity "
		    "provider, or it is switched off.");
		return;
	}
	if (db_set_org(db, p.org) != 0 || idp_load(r, db, id, &p) != 0) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (idp_ready(r, db, &p, err, sizeof(err)) != 0) {
		log_write(LOG_WARN, "sso discovery failed", json_pack(
		    "{s:s, s:s}", "provider", p.id, "reason", err));
		to_login(r, "provider-unreachable");
		return;
	}
	token_new(state);
	token_new(nonce);
	token_new(verifier);
	jwt_pkce_challenge(verifier, challenge);
	token_hash(state, hash);
	snprintf(secs, sizeof(secs), "%d", STATE_SECONDS);
	prm[0] = hash;
	prm[1] = p.org;
	prm[2] = p.id;
	prm[3] = nonce;
	prm[4] = verifier;
	prm[5] = next;
	prm[6] = secs;
	if ((res = db_query(db, "sso_request_insert", 7, prm)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	PQclear(res);
	sso_redirect_uri(r, redirect_uri, sizeof(redirect_uri));
	snprintf(loc, sizeof(loc), "%s", p.auth_ep);
	if (!add_param(loc, sizeof(loc), "response_type", "code") ||
	    !add_param(loc, sizeof(loc), "client_id", p.client_id) ||
	    !add_param(loc, sizeof(loc), "redirect_uri", redirect_uri) ||
	    !add_param(loc, sizeof(loc), "scope", "openid email profile") ||
	    !add_param(loc, sizeof(loc), "state", state) ||
	    !add_param(loc, sizeof(loc), "nonce", nonce) ||
	    !add_param(loc, sizeof(loc), "code_challenge", challenge) ||
	    !add_param(loc, sizeof(loc), "code_challenge_method", "S256")) {
		to_login(r, "provider-unreachable");
		return;
	}
	state_cookie(r, state, STATE_SECONDS);
	redirect(r, 302, loc);
}

/* ---- callback ---------------------------------------------------------- */

struct signin {
	struct req *r;
	struct idp *p;
	const char *next;
	const char *sub, *email, *given, *family, *preferred;
	bool verified;
	const char *fail;   /* an sso_error code: the sign-in failed */
	const char *detail; /* for the audit trail */
	char link[TOKEN_LEN + 1]; /* an offer to link was made */
	char ident[37];           /* the subject's link, when it has one */
	bool active, locked;      /* and the state of its account */
	char user[37];
	char hash[PASSWORD_HASH_MAX]; /* a new account's unusable password */
	struct opened s;
};

static int
audit_failure(struct db *db, struct signin *g)
{
	return audit_write(db, g->r, g->p->org, g->user[0] ? g->user : NULL,
	    "user.login", "identity_provider", g->p->id, NULL,
	    json_pack("{s:s, s:s}", "method", "sso", "provider", g->p->name),
	    false, g->detail ? g->detail : g->fail);
}

static int
failure_tx(struct db *db, void *arg)
{
	return audit_failure(db, arg);
}

/* A sign-in that failed before its transaction: audited (once its
 * provider is known), and the browser to the sign-in page. */
static void
refused(struct db *db, struct signin *g)
{
	if (g->p->name != NULL && !api_tx(g->r, db, DB_READ_COMMITTED,
	    failure_tx, g))
		return;
	to_login(g->r, g->fail);
}

/* A username for a new account: the provider's, else the address's. */
static int
username_pick(struct db *db, struct signin *g, char out[33])
{
	const char *src = g->preferred && !rules_username(g->preferred) ?
	    g->preferred : g->email;
	size_t n = 0;

	for (const char *s = src; *s && *s != '@' && n < 24; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' ||
		    ((*s == '.' || *s == '-') && n > 0))
			out[n++] = *s;
	out[n] = '\0';
	if (n < 3 || rules_username(out) != NULL)
		n = (size_t)snprintf(out, 33, "user");
	for (int i = 0; i < 6; i++) {
		const char *prm[2] = {"", out};
		PGresult *res = db_query(db, "user_taken", 2, prm);
		bool taken;

		if (res == NULL)
			return -1;
		taken = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
		PQclear(res);
		if (!taken && rules_username(out) == NULL)
			return 0;
		/* Taken: the name with a random number, cut to fit. */
		snprintf(out + n, 33 - n, "-%06u",
		    (unsigned)randombytes_uniform(1000000));
	}
	return 1;
}

/* A new account for the provider's person, linked to it. */
static int
create_account(struct db *db, struct signin *g)
{
	struct idp *p = g->p;
	char username[33];
	const char *taken[2] = {g->email, "-"};
	PGresult *res;
	int rc;

	if ((res = db_query(db, "user_taken", 2, taken)) == NULL)
		return -1;
	rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (rc) {
		g->fail = "email-taken";
		return 0;
	}
	if ((rc = username_pick(db, g, username)) != 0) {
		if (rc > 0)
			g->fail = "try-again";
		return rc < 0 ? -1 : 0;
	}
	{
		const char *prm[9] = {p->org, g->email, username, g->hash,
		    g->given, g->family, p->tz, NULL,
		    g->verified ? "true" : "false"};

		if ((res = db_query(db, "user_register", 9, prm)) == NULL)
			return -1;
		snprintf(g->user, sizeof(g->user), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	{
		const char *prm[6] = {p->org, g->user, "user.registered", "user",
		    g->user, NULL};

		if ((res = db_query(db, "activity_insert", 6, prm)) == NULL)
			return -1;
		PQclear(res);
	}
	{
		const char *prm[5] = {p->org, g->user, p->id, g->sub, g->email};

		if ((res = db_query(db, "sso_identity_insert", 5, prm)) == NULL)
			return -1;
		PQclear(res);
	}
	return audit_write(db, g->r, p->org, g->user, "user.registered",
	    "user", g->user, NULL, json_pack("{s:s, s:s}", "method", "sso",
	    "provider", p->name), true, NULL);
}

/* The account of the organization at the provider's address: offered
 * for linking when the provider vouches for the address. */
static int
offer_link(struct db *db, struct signin *g, const char *user)
{
	char hash[65], secs[16];
	const char *prm[8] = {hash, g->p->org, user, g->p->id, g->sub,
	    g->email, g->next, secs};
	PGresult *res;

	snprintf(g->user, sizeof(g->user), "%s", user);
	if (!g->verified) {
		g->fail = "email-unverified";
		return 0;
	}
	token_new(g->link);
	token_hash(g->link, hash);
	snprintf(secs, sizeof(secs), "%d", LINK_SECONDS);
	if ((res = db_query(db, "sso_link_insert", 8, prm)) == NULL)
		return -1;
	PQclear(res);
	return audit_write(db, g->r, g->p->org, user, "sso.link_offered",
	    "identity_provider", g->p->id, NULL, json_pack("{s:s}",
	    "provider", g->p->name), true, NULL);
}

static int
signed_in(struct db *db, struct signin *g)
{
	const char *prm[2] = {NULL, g->p->id};
	PGresult *res;

	if (session_open(db, g->r, g->user, g->p->org, &g->s) != 0)
		return -1;
	prm[0] = g->s.session;
	if ((res = db_query(db, "session_provider", 2, prm)) == NULL)
		return -1;
	PQclear(res);
	return audit_write(db, g->r, g->p->org, g->user, "user.login", "user",
	    g->user, NULL, json_pack("{s:s, s:s, s:s}", "session",
	    g->s.session, "method", "sso", "provider", g->p->name), true,
	    NULL);
}

static int
signin_tx(struct db *db, void *arg)
{
	struct signin *g = arg;
	const char *prm[2];
	PGresult *res;
	bool found = g->ident[0] != '\0', active;
	int rc;

	if (!found && g->email != NULL) {
		prm[0] = g->email;
		if ((res = db_query(db, "sso_user_by_email", 1, prm)) == NULL)
			return -1;
		if (PQntuples(res) == 1) {
			char user[37];

			snprintf(user, sizeof(user), "%s", PQgetvalue(res, 0, 0));
			active = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
			PQclear(res);
			if (!active) {
				snprintf(g->user, sizeof(g->user), "%s", user);
				g->fail = "account-disabled";
				return audit_failure(db, g);
			}
			if ((rc = offer_link(db, g, user)) != 0 || g->fail)
				return rc != 0 ? rc : audit_failure(db, g);
			return 0;
		}
		PQclear(res);
	}
	if (!found) {
		if (!g->p->create_accounts)
			g->fail = "no-account";
		else if (g->email == NULL)
			g->fail = "email-missing";
		/* Nobody takes an address the provider does not vouch for. */
		else if (!g->verified)
			g->fail = "email-unverified";
		else if (create_account(db, g) != 0)
			return -1;
		if (g->fail)
			return audit_failure(db, g);
		return signed_in(db, g);
	}
	if (!g->active || g->locked) {
		g->fail = g->active ? "account-locked" : "account-disabled";
		return audit_failure(db, g);
	}
	prm[0] = g->ident;
	prm[1] = g->email;
	if ((res = db_query(db, "sso_identity_touch", 2, prm)) == NULL)
		return -1;
	PQclear(res);
	return signed_in(db, g);
}

/*
 * The account the provider's subject is linked to, into g (ident, user,
 * active, locked): 1, 0 when it has none, or -1.
 */
static int
subject_known(struct db *db, struct signin *g)
{
	const char *prm[2] = {g->p->id, g->sub};
	PGresult *res = db_query(db, "sso_identity_find", 2, prm);
	int known;

	if (res == NULL)
		return -1;
	if ((known = PQntuples(res) == 1)) {
		snprintf(g->ident, sizeof(g->ident), "%s", PQgetvalue(res, 0, 0));
		snprintf(g->user, sizeof(g->user), "%s", PQgetvalue(res, 0, 1));
		g->active = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
		g->locked = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	}
	PQclear(res);
	return known;
}

/* The ID token of the token endpoint's answer, verified; its claims, or
 * NULL with g->fail set. */
static json_t *
id_token(struct req *r, struct db *db, struct signin *g, const char *code,
    const char *nonce, const char *verifier)
{
	struct idp *p = g->p;
	char form[4096] = "", redirect_uri[600], err[256];
	struct jwt_expect e = {.issuer = p->issuer, .audience = p->client_id,
	    .nonce = nonce, .now = (long long)time(NULL), .leeway_s = 60};
	enum jwt_result v;
	json_t *doc, *claims = NULL;
	const char *tok;
	long status = 0;

	sso_redirect_uri(r, redirect_uri, sizeof(redirect_uri));
	if (!add_param(form, sizeof(form), "grant_type",
	    "authorization_code") ||
	    !add_param(form, sizeof(form), "code", code) ||
	    !add_param(form, sizeof(form), "redirect_uri", redirect_uri) ||
	    !add_param(form, sizeof(form), "code_verifier", verifier)) {
		g->fail = "token-refused";
		return NULL;
	}
	doc = fetch_json(r, p->token_ep, form, p, &status, err,
	    sizeof(err));
	tok = doc ? jstr(doc, "id_token") : NULL;
	if (status != 200 || tok == NULL) {
		if (doc != NULL)
			snprintf(err, sizeof(err), "the token endpoint answered "
			    "HTTP %ld: %.100s", status, jstr(doc, "error") ?:
			    "no ID token");
		g->fail = "token-refused";
		g->detail = arena_strdup(r->arena, err);
		json_decref(doc);
		return NULL;
	}
	tok = arena_strdup(r->arena, tok);
	json_decref(doc);
	if ((p->jwks == NULL || p->keys_age < 0 ||
	    p->keys_age >= KEYS_MAX_AGE) && keys_fetch(r, db, p, err,
	    sizeof(err)) != 0) {
		g->fail = "provider-unreachable";
		g->detail = arena_strdup(r->arena, err);
		return NULL;
	}
	v = jwt_verify(tok, p->jwks, &e, &claims);
	/* A key Ludus has not seen: the provider may have rotated them. */
	if (v == JWT_NO_KEY && p->keys_age >= KEYS_MIN_AGE) {
		if (keys_fetch(r, db, p, err, sizeof(err)) != 0) {
			g->fail = "provider-unreachable";
			g->detail = arena_strdup(r->arena, err);
			return NULL;
		}
		v = jwt_verify(tok, p->jwks, &e, &claims);
	}
	if (v != JWT_OK) {
		g->fail = "token-invalid";
		g->detail = jwt_result_name(v);
		return NULL;
	}
	return claims;
}

/* The claims Ludus uses, copied into the arena. */
static void
claims_take(struct req *r, struct signin *g, json_t *c)
{
	json_t *v = json_object_get(c, "email_verified");
	const char *email = jstr(c, "email");

	g->sub = arena_strdup(r->arena, jstr(c, "sub"));
	if (email != NULL && rules_email(email) == NULL)
		g->email = arena_strdup(r->arena, email);
	/* Some providers send "true" as a string. */
	g->verified = g->email != NULL && (json_is_true(v) ||
	    (json_is_string(v) && strcmp(json_string_value(v), "true") == 0));
	if (jstr(c, "given_name") && strlen(jstr(c, "given_name")) <= 100)
		g->given = arena_strdup(r->arena, jstr(c, "given_name"));
	if (jstr(c, "family_name") && strlen(jstr(c, "family_name")) <= 100)
		g->family = arena_strdup(r->arena, jstr(c, "family_name"));
	if (jstr(c, "preferred_username"))
		g->preferred = arena_strdup(r->arena,
		    jstr(c, "preferred_username"));
}

void
sso_callback(struct req *r)
{
	const char *state = req_query(r, "state");
	const char *code = req_query(r, "code");
	const char *error = req_query(r, "error");
	char cookie[TOKEN_LEN + 2] = "", hash[65], secret[TOKEN_LEN + 1];
	char nonce[65], verifier[129], loc[600], id[37];
	struct idp p = {0};
	struct signin g = {.r = r, .p = &p};
	const char *prm[1] = {hash};
	struct db *db;
	PGresult *res;
	json_t *claims;
	bool mine;
	int rc;

	/* The state goes with this browser's cookie, whatever comes next. */
	state_cookie(r, "", 0);
	mine = cookie_get(req_header(r, "Cookie"), STATE_COOKIE, cookie,
	    sizeof(cookie)) && state != NULL && strlen(state) ==
	    strlen(cookie) && sodium_memcmp(state, cookie, strlen(state)) == 0;
	if (state == NULL || !token_shape_ok(state)) {
		to_login(r, "state-invalid");
		return;
	}
	if (!mine) {
		to_login(r, "state-mismatch");
		return;
	}
	if ((db = api_db(r)) == NULL ||
	    !rate_limit_ip(r, db, "sso", r->cfg->login_rate, 60))
		return;
	token_hash(state, hash);
	if ((res = db_query(db, "sso_request_take", 1, prm)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		to_login(r, "state-invalid");
		return;
	}
	snprintf(p.org, sizeof(p.org), "%s", PQgetvalue(res, 0, 0));
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 1));
	snprintf(nonce, sizeof(nonce), "%s", PQgetvalue(res, 0, 2));
	snprintf(verifier, sizeof(verifier), "%s", PQgetvalue(res, 0, 3));
	g.next = arena_strdup(r->arena, PQgetvalue(res, 0, 4));
	PQclear(res);
	if (db_set_org(db, p.org) != 0 || idp_load(r, db, id, &p) < 0) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (p.name == NULL || !p.enabled)
		g.fail = "provider-disabled";
	else if (error != NULL)
		g.fail = "denied";
	else if (code == NULL || *code == '\0' || strlen(code) > 2048)
		g.fail = "code-missing";
	else if (idp_ready(r, db, &p, loc, sizeof(loc)) != 0) {
		g.fail = "provider-unreachable";
		g.detail = arena_strdup(r->arena, loc);
	}
	if (g.fail != NULL ||
	    (claims = id_token(r, db, &g, code, nonce, verifier)) == NULL) {
		refused(db, &g);
		return;
	}
	claims_take(r, &g, claims);
	json_decref(claims);
	if (p.domains != NULL && strcmp(p.domains, "{}") != 0 &&
	    (!g.verified || !rules_email_domain_in(g.email, p.domains)))
		g.fail = "domain";
	if (g.fail != NULL) {
		refused(db, &g);
		return;
	}
	/* A new account's password: bcrypt of a secret nobody keeps, so
	 * that only the provider, or a reset by mail, lets anyone in.  Made
	 * before the transaction, and only when the subject is new. */
	if ((rc = subject_known(db, &g)) < 0) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (rc == 0) {
		token_new(secret);
		if (password_hash(secret, r->cfg->bcrypt_cost, g.hash) != 0) {
			to_login(r, "try-again");
			return;
		}
		sodium_memzero(secret, sizeof(secret));
	}
	if (db_tx(db, DB_READ_COMMITTED, signin_tx, &g) != DB_OK) {
		to_login(r, "try-again");
		return;
	}
	if (g.fail != NULL) {
		to_login(r, g.fail);
		return;
	}
	if (g.link[0] != '\0') {
		/* In the fragment: it stays out of logs and Referer. */
		snprintf(loc, sizeof(loc), "/sso/link#%s", g.link);
		redirect(r, 303, loc);
		return;
	}
	auth_set_cookies(r, g.s.token, g.s.csrf,
	    (long)r->cfg->session_max_days * 86400);
	redirect(r, 303, g.next);
}

/* ---- linking an account ------------------------------------------------ */

struct link {
	struct req *r;
	const char *token, *password;
	char hash[65];
	char org[37], user[37], provider[37];
	const char *subject, *email, *next, *provider_name;
	struct opened s;
	bool spent;
};

/* The open offer of a token (spend: for good); 0, 1 after a 422, -1. */
static int
link_find(struct db *db, struct link *k, bool spend)
{
	const char *prm[2] = {k->hash, spend ? "true" : "false"};
	PGresult *res = db_query(db, "sso_link_find", 2, prm);
	struct req *r = k->r;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		api_field_error(r, "token", "is not valid: the offer may have "
		    "expired or been used; sign in with the provider again");
		return 1;
	}
	snprintf(k->org, sizeof(k->org), "%s", PQgetvalue(res, 0, 0));
	snprintf(k->user, sizeof(k->user), "%s", PQgetvalue(res, 0, 1));
	snprintf(k->provider, sizeof(k->provider), "%s", PQgetvalue(res, 0, 2));
	k->subject = col(r, res, 3);
	k->email = col(r, res, 4);
	k->next = col(r, res, 5);
	k->provider_name = col(r, res, 6);
	PQclear(res);
	return 0;
}

static const char *
link_input(struct req *r, struct link *k, bool password)
{
	static const char *const fields[] = {"token", "password", NULL};
	struct input in;

	input_begin(&in, r);
	input_only(&in, fields);
	k->token = input_string(&in, "token", IN_REQUIRED, TOKEN_LEN,
	    TOKEN_LEN);
	if (k->token != NULL && !token_shape_ok(k->token))
		input_error(&in, "token", "is not an offer's token");
	if (password)
		k->password = input_string(&in, "password", IN_REQUIRED, 1,
		    1000);
	if (!input_end(&in))
		return NULL;
	token_hash(k->token, k->hash);
	return k->token;
}

void
sso_link_show(struct req *r)
{
	struct link k = {.r = r};
	struct db *db;
	int rc;

	if (link_input(r, &k, false) == NULL || (db = api_db(r)) == NULL)
		return;
	if ((rc = link_find(db, &k, false)) != 0) {
		if (rc < 0)
			api_db_problem(r, db, db->status);
		return;
	}
	resp_json(r, 200, json_pack("{s:s, s:s, s:s}", "provider",
	    k.provider_name, "email", k.email, "next", k.next));
}

static int
link_tx(struct db *db, void *arg)
{
	struct link *k = arg;
	const char *prm[5] = {k->org, k->user, k->provider, k->subject,
	    k->email};
	PGresult *res;
	int rc;

	if ((rc = link_find(db, k, true)) != 0)
		return rc;
	if ((res = db_query(db, "sso_identity_insert", 5, prm)) == NULL)
		return -1;
	PQclear(res);
	if (audit_write(db, k->r, k->org, k->user, "sso.linked",
	    "identity_provider", k->provider, NULL, json_pack("{s:s}",
	    "provider", k->provider_name), true, NULL) != 0 ||
	    session_open(db, k->r, k->user, k->org, &k->s) != 0)
		return -1;
	prm[0] = k->s.session;
	prm[1] = k->provider;
	if ((res = db_query(db, "session_provider", 2, prm)) == NULL)
		return -1;
	PQclear(res);
	return audit_write(db, k->r, k->org, k->user, "user.login", "user",
	    k->user, NULL, json_pack("{s:s, s:s, s:s}", "session",
	    k->s.session, "method", "sso", "provider", k->provider_name),
	    true, NULL);
}

static int
link_refused_tx(struct db *db, void *arg)
{
	struct link *k = arg;

	return audit_write(db, k->r, k->org, k->user, "sso.linked",
	    "identity_provider", k->provider, NULL, json_pack("{s:s}",
	    "provider", k->provider_name), false, "wrong password");
}

void
sso_link(struct req *r)
{
	struct link k = {.r = r};
	const char *prm[1];
	char fail_key[128];
	const char *hash = NULL;
	struct db *db;
	PGresult *res;
	enum db_status st;
	bool good;
	int rc;

	if (link_input(r, &k, true) == NULL || (db = api_db(r)) == NULL)
		return;
	snprintf(fail_key, sizeof(fail_key), "login-fail:ip:%s",
	    req_client_ip(r));
	if (!rate_limit_ip(r, db, "sso-link", r->cfg->login_rate, 60) ||
	    !rate_limit(r, db, fail_key, r->cfg->login_failures_per_ip, 3600,
	    false))
		return;
	if ((rc = link_find(db, &k, false)) != 0) {
		if (rc < 0)
			api_db_problem(r, db, db->status);
		return;
	}
	if (db_set_org(db, k.org) != 0) {
		api_db_problem(r, db, db->status);
		return;
	}
	/* The account's own password, as a sign-in checks it. */
	prm[0] = k.email;
	if ((res = db_query(db, "login_lookup", 1, prm)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	good = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0),
	    k.user) == 0 && strcmp(PQgetvalue(res, 0, 4), "t") != 0 &&
	    strcmp(PQgetvalue(res, 0, 5), "t") != 0;
	if (good)
		hash = arena_strdup(r->arena, PQgetvalue(res, 0, 2));
	PQclear(res);
	if (!good || !password_verify(k.password, hash)) {
		int retry;

		if (rate_hit(db, fail_key, 1 << 30, 3600, &retry) < 0 ||
		    !api_tx(r, db, DB_READ_COMMITTED, link_refused_tx, &k))
			return;
		resp_problem(r, 401, "login-failed", "The password is wrong, "
		    "or the account cannot sign in right now.");
		return;
	}
	if ((st = db_tx(db, DB_READ_COMMITTED, link_tx, &k)) != DB_OK) {
		if (st == DB_UNIQUE)
			resp_problem(r, 409, "already-linked", "This account, or "
			    "this person at the provider, is linked already.");
		else if (st != DB_TX_ABORTED)
			api_db_problem(r, db, st);
		return;
	}
	session_answer(r, &k.s);
}

/* ---- my linked sign-ins ------------------------------------------------ */

void
me_identities(struct req *r)
{
	const char *p[1] = {r->user->user_id};

	api_doc(r, "me_identities", 1, p, "The account is gone.");
}

static int
unlink_tx(struct db *db, void *arg)
{
	struct req *r = arg;
	const char *p[2] = {req_param(r, "id"), r->user->user_id};
	PGresult *res = db_query(db, "me_identity_delete", 2, p);
	char provider[37];

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_problem(r, 404, "not-found", "There is no such linked "
		    "sign-in of yours.");
		return 1;
	}
	snprintf(provider, sizeof(provider), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return audit_write(db, r, r->user->org_id, r->user->user_id,
	    "sso.unlinked", "identity_provider", provider, NULL, NULL, true,
	    NULL);
}

void
me_identity_delete(struct req *r)
{
	struct db *db;

	if (api_path_id(r, "id", "linked sign-in") == NULL ||
	    (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, unlink_tx, r))
		return;
	resp_text(r, 204, "text/plain", "", 0);
}

/* The provider's sign-out for a session it made, or NULL (logout). */
char *
sso_logout_url(struct db *db, struct req *r)
{
	const char *p[1] = {r->user->session_id};
	PGresult *res = db_query(db, "session_sso_logout", 1, p);
	char url[2048], back[600];

	if (res == NULL || PQntuples(res) != 1) {
		PQclear(res);
		return NULL;
	}
	snprintf(url, sizeof(url), "%s", PQgetvalue(res, 0, 0));
	snprintf(back, sizeof(back), "%s/login", r->cfg->public_url);
	if (!add_param(url, sizeof(url), "client_id", PQgetvalue(res, 0, 1)) ||
	    !add_param(url, sizeof(url), "post_logout_redirect_uri", back)) {
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	return arena_strdup(r->arena, url);
}
