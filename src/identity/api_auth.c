/*
 * api_auth.c - registration, sign-in and out, email verification and
 * password reset.
 *
 * No answer tells whether an email address has an account: registration
 * answers 202 the same way for a new and a taken address (the owner of a
 * taken one gets a notice by mail), a password reset request always
 * answers 202, and every failed sign-in gets the same 401.  Each path
 * costs one bcrypt computation, so timing does not tell either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/api.h"
#include "http/auth.h"
#include "http/fetch.h"
#include "http/problem.h"
#include "identity/api.h"
#include "identity/password.h"
#include "identity/rules.h"
#include "identity/support.h"
#include "core/token.h"

/*
 * Verified against when the account is unknown or cannot sign in, so that
 * a failed sign-in takes as long whatever the account's state: the hash,
 * at the configured cost, of a random password nobody knows.
 */
static char dummy_hash[PASSWORD_HASH_MAX];

int
identity_init(const struct config *cfg)
{
	char secret[TOKEN_LEN + 1];

	token_new(secret);
	if (fetch_init() != 0)
		return -1;
	return password_hash(secret, cfg->bcrypt_cost, dummy_hash);
}

static const char login_failed[] = "Sign-in failed: the email, username "
    "or password is wrong, or the account cannot sign in right now.";

static const char accepted_detail[] = "If this address can be used, a "
    "message to confirm it is on its way.  You can sign in now.";

/* ---- registration ------------------------------------------------------ */

struct reg {
	struct req *r;
	const char *email, *username, *first, *last, *tz, *org_slug;
	const char *invitation; /* the token of an invitation, or NULL */
	char hash[PASSWORD_HASH_MAX];
	char token[TOKEN_LEN + 1];
	enum { REG_CREATED, REG_EMAIL_TAKEN } outcome;
};

/*
 * The organization of slug (NULL: the default one), if it takes this
 * registration: its id and default time zone; 0, 1 after answering 422,
 * or -1.  rules: its sign-up rules apply (not to the invited).
 */
static int
registration_org(struct db *db, struct reg *g, const char *slug, bool rules,
    char org[37], char tz[65])
{
	const char *p[1] = {slug};
	PGresult *res = db_query(db, "org_for_registration", 1, p);
	const char *field = "organization", *why = NULL, *signup;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		why = "does not exist";
	} else if (strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
		why = "does not take registrations";
	} else if (rules) {
		signup = PQgetvalue(res, 0, 2);
		if (strcmp(signup, "invite") == 0) {
			why = "takes new members by invitation only";
		} else if (strcmp(signup, "domains") == 0 &&
		    !rules_email_domain_in(g->email, PQgetvalue(res, 0, 3))) {
			field = "email";
			why = "must be an address at one of the organization's "
			    "own domains";
		}
	}
	if (why != NULL) {
		PQclear(res);
		api_field_error(g->r, field, why);
		return 1;
	}
	snprintf(org, 37, "%s", PQgetvalue(res, 0, 0));
	snprintf(tz, 65, "%s", PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

/*
 * The invitation of a registration: open, and for this address (and for
 * the organization asked, if one was).  Its id, role and organization's
 * slug; 0, 1 after answering 422, or -1.
 */
static int
registration_invitation(struct db *db, struct reg *g, char invitation[37],
    char role[33], char slug[64])
{
	char hash[65];
	const char *p[1] = {hash};
	PGresult *res;
	const char *why = NULL;

	token_hash(g->invitation, hash);
	if ((res = db_query(db, "invitation_lookup", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1)
		why = "is not valid: it may have expired, been used or revoked";
	else if (strcasecmp(PQgetvalue(res, 0, 4), g->email) != 0)
		why = "was sent to another address: register with that one";
	else if (g->org_slug != NULL &&
	    strcmp(PQgetvalue(res, 0, 2), g->org_slug) != 0)
		why = "is for another organization";
	if (why != NULL) {
		PQclear(res);
		api_field_error(g->r, "invitation", why);
		return 1;
	}
	snprintf(invitation, 37, "%s", PQgetvalue(res, 0, 0));
	snprintf(slug, 64, "%s", PQgetvalue(res, 0, 2));
	snprintf(role, 33, "%s", PQgetvalue(res, 0, 5));
	PQclear(res);
	return 0;
}

static int
register_tx(struct db *db, void *arg)
{
	struct reg *g = arg;
	struct req *r = g->r;
	const char *p2[2] = {g->email, g->username};
	char org[37], user[37], thash[65], secs[16];
	char invitation[37] = "", role[33] = "", tz[65] = "", slug[64];
	PGresult *res;
	int rc;

	if (g->invitation != NULL)
		rc = registration_invitation(db, g, invitation, role, slug);
	else
		rc = 0;
	if (rc != 0 || (rc = registration_org(db, g, *invitation ? slug :
	    g->org_slug, *invitation == '\0', org, tz)) != 0)
		return rc;
	if (db_set_org(db, org) != 0)
		return -1;

	if ((res = db_query(db, "user_taken", 2, p2)) == NULL)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		PQclear(res);
		api_field_error(r, "username", "is taken");
		return 1;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		const char *p3[1] = {g->email};

		PQclear(res);
		g->outcome = REG_EMAIL_TAKEN;
		if ((res = db_query(db, "user_by_email", 1, p3)) == NULL)
			return -1;
		/* The mail belongs to the account's organization. */
		if (PQntuples(res) == 1 && (db_set_org(db, PQgetvalue(res, 0,
		    1)) != 0 || mail_queue(db, r->cfg,
		    MAIL_ALREADY_REGISTERED, PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 4),
		    PQgetvalue(res, 0, 2), NULL) != 0)) {
			PQclear(res);
			return -1;
		}
		PQclear(res);
		return 0;
	}
	PQclear(res);

	{
		const char *p[9] = {org, g->email, g->username, g->hash,
		    g->first, g->last, g->tz ? g->tz : tz,
		    *role ? role : NULL, *invitation ? "true" : "false"};

		if ((res = db_query(db, "user_register", 9, p)) == NULL)
			return -1;
		snprintf(user, sizeof(user), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	{
		const char *p[6] = {org, user, "user.registered", "user", user,
		    NULL};

		if ((res = db_query(db, "activity_insert", 6, p)) == NULL)
			return -1;
		PQclear(res);
	}
	/* The invitation came to this address: it is confirmed. */
	if (*invitation) {
		const char *q[2] = {invitation, user};

		if ((res = db_query(db, "invitation_accept", 2, q)) == NULL)
			return -1;
		PQclear(res);
		if (audit_write(db, r, org, user, "invitation.accepted",
		    "invitation", invitation, NULL, NULL, true, NULL) != 0)
			return -1;
		g->outcome = REG_CREATED;
		return audit_write(db, r, org, user, "user.registered", "user",
		    user, NULL, NULL, true, NULL);
	}
	token_new(g->token);
	token_hash(g->token, thash);
	snprintf(secs, sizeof(secs), "%d", VERIFY_TOKEN_SECONDS);
	{
		const char *p[5] = {user, org, "verify_email", thash, secs};

		if ((res = db_query(db, "token_insert", 5, p)) == NULL)
			return -1;
		PQclear(res);
	}
	if (mail_queue(db, r->cfg, MAIL_VERIFY, org, user, g->email,
	    g->username, g->token) != 0)
		return -1;
	/* The account row holds the names; the audit row only points at it,
	 * so that anonymizing the account leaves nothing behind here. */
	if (audit_write(db, r, org, user, "user.registered", "user", user,
	    NULL, NULL, true, NULL) != 0)
		return -1;
	g->outcome = REG_CREATED;
	return 0;
}

void
auth_register(struct req *r)
{
	static const char *const fields[] = {"email", "username", "password",
	    "first_name", "last_name", "timezone", "organization", "invitation",
	    NULL};
	struct reg g = {.r = r};
	struct input in;
	const char *password, *why;
	enum db_status st;
	struct db *db;

	input_begin(&in, r);
	input_only(&in, fields);
	g.email = input_string(&in, "email", IN_REQUIRED, 3, 254);
	g.username = input_string(&in, "username", IN_REQUIRED, USERNAME_MIN,
	    USERNAME_MAX);
	password = input_string(&in, "password", IN_REQUIRED, 0,
	    NEW_PASSWORD_ANY);
	g.first = input_string(&in, "first_name", IN_NULLABLE, 0, 100);
	g.last = input_string(&in, "last_name", IN_NULLABLE, 0, 100);
	g.tz = input_string(&in, "timezone", IN_NULLABLE, 1, 64);
	g.org_slug = input_string(&in, "organization", IN_NULLABLE, 1, 63);
	g.invitation = input_string(&in, "invitation", IN_NULLABLE, TOKEN_LEN,
	    TOKEN_LEN);
	if (g.invitation != NULL && !token_shape_ok(g.invitation))
		input_error(&in, "invitation", "is not an invitation's token");
	if (g.email && (why = rules_email(g.email)) != NULL)
		input_error(&in, "email", why);
	if (g.username && (why = rules_username(g.username)) != NULL)
		input_error(&in, "username", why);
	if (password && (why = rules_password(password, g.username,
	    g.email)) != NULL)
		input_error(&in, "password", why);
	if (g.tz && (why = rules_timezone(g.tz)) != NULL)
		input_error(&in, "timezone", why);
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) == NULL ||
	    !rate_limit_ip(r, db, "register", r->cfg->register_rate, 60))
		return;
	if (password_hash(password, r->cfg->bcrypt_cost, g.hash) != 0) {
		resp_problem(r, 500, "internal", "The password could not be "
		    "hashed.");
		return;
	}
	if ((st = db_tx(db, DB_READ_COMMITTED, register_tx, &g)) != DB_OK) {
		if (st == DB_UNIQUE &&
		    strcmp(db->constraint, "users_username_key") == 0) {
			api_field_error(r, "username", "is taken");
		} else if (st == DB_UNIQUE &&
		    strcmp(db->constraint, "users_email_key") == 0) {
			/* Lost a race with the same address: same answer. */
			resp_json(r, 202, json_pack("{s:s, s:s}", "status",
			    "accepted", "detail", accepted_detail));
		} else if (st != DB_TX_ABORTED) {
			api_db_problem(r, db, st);
		}
		return;
	}
	resp_json(r, 202, json_pack("{s:s, s:s}", "status", "accepted",
	    "detail", accepted_detail));
}

/* ---- sign in ----------------------------------------------------------- */

struct login {
	struct req *r;
	const char *login;
	const char *hash;   /* the password was verified against this */
	char rehash[PASSWORD_HASH_MAX]; /* a new hash of it, when due */
	char fail_key[128]; /* failed logins of the client's address */
	char user[37], org[37];
	bool known, good, locked_now;
	const char *failure; /* for the audit trail */
	struct opened s;
};

/*
 * Mails user a password reset link of kind MAIL_RESET (asked for) or
 * MAIL_LOCKED (the account just locked itself).  At most register_rate
 * such mails an hour per account, so that nobody can flood a mailbox by
 * asking, or by failing sign-ins; past that nothing is sent, and nothing
 * tells.  0 when sent, 1 when not (the limit), -1 on a database error.
 */
static int
mail_reset_link(struct db *db, struct req *r, enum mail_kind kind,
    const char *user, const char *org, const char *username,
    const char *address)
{
	char token[TOKEN_LEN + 1], thash[65], secs[16], key[80];
	const char *t[5] = {user, org, "password_reset", thash, secs};
	PGresult *res;
	int retry, rc;

	snprintf(key, sizeof(key), "mail:user:%s", user);
	if ((rc = rate_hit(db, key, r->cfg->register_rate, 3600, &retry)) <= 0)
		return rc < 0 ? -1 : 1;
	token_new(token);
	token_hash(token, thash);
	snprintf(secs, sizeof(secs), "%d", RESET_TOKEN_SECONDS);
	if ((res = db_query(db, "token_insert", 5, t)) == NULL)
		return -1;
	PQclear(res);
	return mail_queue(db, r->cfg, kind, org, user, address, username,
	    token);
}

/* The owner of an account that just locked hears of it, with a way in. */
static int
mail_locked(struct db *db, struct req *r, const char *user, const char *org)
{
	const char *p[1] = {user};
	PGresult *res = db_query(db, "user_password_hash", 1, p);
	char *username, *address;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	username = arena_strdup(r->arena, PQgetvalue(res, 0, 1));
	address = arena_strdup(r->arena, PQgetvalue(res, 0, 2));
	PQclear(res);
	return mail_reset_link(db, r, MAIL_LOCKED, user, org, username,
	    address) < 0 ? -1 : 0;
}

static int
login_fail_tx(struct db *db, void *arg)
{
	struct login *l = arg;
	struct req *r = l->r;
	char threshold[16], secs[16];
	PGresult *res;
	int retry;

	if (rate_hit(db, l->fail_key, 1 << 30, 3600, &retry) < 0)
		return -1;
	l->locked_now = false;
	if (l->known && strcmp(l->failure, "wrong password") == 0) {
		const char *p[3] = {l->user, threshold, secs};

		snprintf(threshold, sizeof(threshold), "%d",
		    r->cfg->lockout_threshold);
		snprintf(secs, sizeof(secs), "%d", r->cfg->lockout_minutes * 60);
		if ((res = db_query(db, "login_failed", 3, p)) == NULL)
			return -1;
		l->locked_now = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
	}
	if (!l->known) {
		if ((res = db_query(db, "org_default", 0, NULL)) == NULL)
			return -1;
		snprintf(l->org, sizeof(l->org), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		if (db_set_org(db, l->org) != 0)
			return -1;
	}
	/* What was typed for an unknown account may be a pasted password:
	 * it stays out of the audit trail. */
	if (audit_write(db, r, l->org, l->known ? l->user : NULL,
	    "user.login", "user", l->known ? l->user : NULL, NULL,
	    l->known ? json_pack("{s:s}", "login", l->login) : NULL, false,
	    l->failure) != 0)
		return -1;
	if (l->locked_now && (audit_write(db, r, l->org, NULL, "user.locked",
	    "user", l->user, NULL, json_pack("{s:s, s:i}", "reason",
	    "failed logins", "minutes", r->cfg->lockout_minutes), true,
	    NULL) != 0 || mail_locked(db, r, l->user, l->org) != 0))
		return -1;
	return 0;
}

static int
login_ok_tx(struct db *db, void *arg)
{
	struct login *l = arg;
	struct req *r = l->r;
	const char *p1[2] = {l->user, l->hash};
	PGresult *res;
	bool still;

	/* bcrypt ran outside the transaction: check nothing changed since. */
	if ((res = db_query(db, "login_recheck", 2, p1)) == NULL)
		return -1;
	still = PQntuples(res) == 1;
	PQclear(res);
	if (!still) {
		resp_problem(r, 401, "login-failed", "%s", login_failed);
		return 1;
	}
	if (l->rehash[0] != '\0') {
		const char *p3[3] = {l->user, l->hash, l->rehash};

		if ((res = db_query(db, "login_rehash", 3, p3)) == NULL)
			return -1;
		PQclear(res);
	}
	if (session_open(db, r, l->user, l->org, &l->s) != 0)
		return -1;
	return audit_write(db, r, l->org, l->user, "user.login", "user",
	    l->user, NULL, json_pack("{s:s}", "session", l->s.session), true,
	    NULL);
}

int
session_open(struct db *db, struct req *r, const char *user, const char *org,
    struct opened *o)
{
	char hash[65], idle[24], life[24];
	const char *p1[1] = {user};
	const char *p2[8] = {user, org, hash, o->csrf, idle, life,
	    req_client_ip(r), req_user_agent(r)};
	PGresult *res;

	token_new(o->token);
	token_new(o->csrf);
	token_hash(o->token, hash);
	snprintf(idle, sizeof(idle), "%ld",
	    (long)r->cfg->session_idle_minutes * 60);
	snprintf(life, sizeof(life), "%ld",
	    (long)r->cfg->session_max_days * 86400);
	if ((res = db_query(db, "login_succeeded", 1, p1)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_query(db, "session_create", 8, p2)) == NULL)
		return -1;
	snprintf(o->session, sizeof(o->session), "%s", PQgetvalue(res, 0, 0));
	snprintf(o->expires, sizeof(o->expires), "%s", PQgetvalue(res, 0, 1));
	snprintf(o->absolute, sizeof(o->absolute), "%s", PQgetvalue(res, 0, 2));
	PQclear(res);
	if ((res = db_query(db, "me_get", 1, p1)) == NULL)
		return -1;
	o->me = arena_strdup(r->arena, PQntuples(res) == 1 ?
	    PQgetvalue(res, 0, 0) : "null");
	PQclear(res);
	return 0;
}

void
session_answer(struct req *r, const struct opened *o)
{
	json_t *me = json_loads(o->me, 0, NULL);

	auth_set_cookies(r, o->token, o->csrf,
	    (long)r->cfg->session_max_days * 86400);
	/* expires_at moves forward with use; absolute_expires_at does not. */
	resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "token",
	    o->token, "csrf_token", o->csrf, "session_id", o->session,
	    "expires_at", o->expires, "absolute_expires_at", o->absolute,
	    "user", me ? me : json_null()));
}

void
auth_login(struct req *r)
{
	static const char *const fields[] = {"login", "password", NULL};
	struct login l = {.r = r};
	const char *password, *hash = dummy_hash;
	const char *p[1];
	struct input in;
	struct db *db;
	PGresult *res;

	input_begin(&in, r);
	input_only(&in, fields);
	l.login = input_string(&in, "login", IN_REQUIRED, 1, 254);
	password = input_string(&in, "password", IN_REQUIRED, 1, 1000);
	if (!input_end(&in))
		return;
	if ((db = api_db(r)) == NULL ||
	    !rate_limit_ip(r, db, "login", r->cfg->login_rate, 60))
		return;
	snprintf(l.fail_key, sizeof(l.fail_key), "login-fail:ip:%s",
	    req_client_ip(r));
	if (!rate_limit(r, db, l.fail_key, r->cfg->login_failures_per_ip,
	    3600, false))
		return;

	p[0] = l.login;
	if ((res = db_query(db, "login_lookup", 1, p)) == NULL) {
		api_db_problem(r, db, db->status);
		return;
	}
	if (PQntuples(res) == 1) {
		l.known = true;
		snprintf(l.user, sizeof(l.user), "%s", PQgetvalue(res, 0, 0));
		snprintf(l.org, sizeof(l.org), "%s", PQgetvalue(res, 0, 1));
		hash = arena_strdup(r->arena, PQgetvalue(res, 0, 2));
		if (strcmp(PQgetvalue(res, 0, 4), "t") == 0)
			l.failure = "account disabled or deleted";
		else if (strcmp(PQgetvalue(res, 0, 5), "t") == 0)
			l.failure = "account locked";
	} else {
		l.failure = "unknown account";
	}
	PQclear(res);
	/* What follows is the account's organization's business. */
	db_set_org(db, l.org);
	/* Always one bcrypt computation, whatever the account's state. */
	l.hash = hash;
	l.good = password_verify(password, hash) && l.failure == NULL;
	if (!l.good) {
		if (l.failure == NULL)
			l.failure = "wrong password";
		if (!api_tx(r, db, DB_READ_COMMITTED, login_fail_tx, &l))
			return;
		resp_problem(r, 401, "login-failed", "%s", login_failed);
		return;
	}
	/* An older or imported hash, or another cost: redo it now, once. */
	if (password_needs_rehash(hash, r->cfg->bcrypt_cost) &&
	    password_hash(password, r->cfg->bcrypt_cost, l.rehash) != 0)
		l.rehash[0] = '\0';
	if (!api_tx(r, db, DB_READ_COMMITTED, login_ok_tx, &l))
		return;
	session_answer(r, &l.s);
}

/* ---- sign out ---------------------------------------------------------- */

struct logout {
	struct req *r;
	bool all;
	long ended;
	char *sso; /* the provider's sign-out, for a session it made */
};

static int
logout_tx(struct db *db, void *arg)
{
	struct logout *o = arg;
	struct principal *u = o->r->user;
	const char *p[2] = {u->user_id, u->session_id};
	PGresult *res;

	if (o->all) {
		p[1] = NULL;
		if ((res = db_query(db, "sessions_delete_user", 2, p)) == NULL)
			return -1;
		o->ended = atol(PQgetvalue(res, 0, 0));
	} else {
		p[0] = u->session_id;
		p[1] = u->user_id;
		if (!u->via_token)
			o->sso = sso_logout_url(db, o->r);
		if ((res = db_query(db, "session_delete", 2, p)) == NULL)
			return -1;
		o->ended = atol(PQcmdTuples(res));
	}
	PQclear(res);
	return audit_write(db, o->r, u->org_id, u->user_id,
	    o->all ? "user.logout_all" : "user.logout", "user", u->user_id,
	    NULL, json_pack("{s:I}", "sessions_ended", (json_int_t)o->ended),
	    true, NULL);
}

static void
logout(struct req *r, bool all)
{
	struct logout o = {.r = r, .all = all};
	struct db *db = api_db(r);

	if (db == NULL || !api_tx(r, db, DB_READ_COMMITTED, logout_tx, &o))
		return;
	auth_set_cookies(r, "", "", 0);
	/* Signed in by a provider: the page may sign out there too. */
	{
		json_t *body = json_pack("{s:I}", "sessions_ended",
		    (json_int_t)o.ended);

		if (o.sso != NULL)
			json_object_set_new(body, "sso_logout_url",
			    json_string(o.sso));
		resp_json(r, 200, body);
	}
}

void
auth_logout(struct req *r)
{
	logout(r, false);
}

void
auth_logout_all(struct req *r)
{
	logout(r, true);
}

/* ---- email verification ------------------------------------------------ */

struct spend {
	struct req *r;
	const char *token;
	const char *password; /* a reset: the new password */
	char hash[PASSWORD_HASH_MAX];
};

static void
invalid_token(struct req *r)
{
	resp_problem(r, 400, "invalid-token", "The link is not valid: it was "
	    "used already, has expired, or was replaced by a newer one.");
}

/*
 * Spends the link token of s for purpose.  0 with its account's id and
 * organization in user and org, and *row holding (id, org_id, username,
 * email) for the caller to PQclear(); 1 after answering 400 for a token
 * that is not (or no longer) valid; -1 on a database error.
 */
static int
spend_token(struct db *db, struct spend *s, const char *purpose,
    char user[37], char org[37], PGresult **row)
{
	char thash[65];
	const char *p[2] = {thash, purpose};
	PGresult *res;

	token_hash(s->token, thash);
	if ((res = db_query(db, "token_use", 2, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		invalid_token(s->r);
		return 1;
	}
	snprintf(user, 37, "%s", PQgetvalue(res, 0, 0));
	snprintf(org, 37, "%s", PQgetvalue(res, 0, 1));
	if (db_set_org(db, org) != 0) {
		PQclear(res);
		return -1;
	}
	*row = res;
	return 0;
}

static int
verify_tx(struct db *db, void *arg)
{
	struct spend *s = arg;
	const char *p[1];
	char user[37], org[37];
	PGresult *res;
	int rc;

	if ((rc = spend_token(db, s, "verify_email", user, org, &res)) != 0)
		return rc;
	PQclear(res);
	p[0] = user;
	if ((res = db_query(db, "user_mark_verified", 1, p)) == NULL)
		return -1;
	PQclear(res);
	return audit_write(db, s->r, org, user, "user.email_verified", "user",
	    user, NULL, NULL, true, NULL);
}

/* The token field of a link; NULL after answering. */
static const char *
link_token(struct input *in)
{
	const char *t = input_string(in, "token", IN_REQUIRED, 1, 200);

	if (t != NULL && !token_shape_ok(t)) {
		input_error(in, "token", "is not a token from a Ludus link");
		return NULL;
	}
	return t;
}

void
auth_verify_email(struct req *r)
{
	static const char *const fields[] = {"token", NULL};
	struct spend s = {.r = r};
	struct input in;
	struct db *db;

	input_begin(&in, r);
	input_only(&in, fields);
	s.token = link_token(&in);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !api_tx(r, db, DB_READ_COMMITTED, verify_tx, &s))
		return;
	resp_json(r, 200, json_pack("{s:b}", "email_verified", 1));
}

struct resend {
	struct req *r;
	bool already;
};

static int
resend_tx(struct db *db, void *arg)
{
	struct resend *o = arg;
	struct principal *u = o->r->user;
	const char *p[1] = {u->user_id};
	char token[TOKEN_LEN + 1], thash[65], secs[16];
	char *email, *username;
	PGresult *res;
	int rc;

	if ((res = db_query(db, "user_password_hash", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) { /* deleted meanwhile */
		PQclear(res);
		resp_problem(o->r, 401, "unauthenticated", "The account is "
		    "gone.");
		return 1;
	}
	username = arena_strdup(o->r->arena, PQgetvalue(res, 0, 1));
	email = arena_strdup(o->r->arena, PQgetvalue(res, 0, 2));
	PQclear(res);
	{
		const char *q[1] = {email};

		if ((res = db_query(db, "user_by_email", 1, q)) == NULL)
			return -1;
		o->already = PQntuples(res) == 1 &&
		    strcmp(PQgetvalue(res, 0, 3), "t") == 0;
		PQclear(res);
	}
	if (o->already)
		return 0;
	token_new(token);
	token_hash(token, thash);
	snprintf(secs, sizeof(secs), "%d", VERIFY_TOKEN_SECONDS);
	{
		const char *q[5] = {u->user_id, u->org_id, "verify_email",
		    thash, secs};

		if ((res = db_query(db, "token_insert", 5, q)) == NULL)
			return -1;
		PQclear(res);
	}
	rc = mail_queue(db, o->r->cfg, MAIL_VERIFY, u->org_id, u->user_id,
	    email, username, token);
	return rc;
}

void
auth_verify_email_resend(struct req *r)
{
	struct resend o = {.r = r};
	struct db *db = api_db(r);
	char key[80];

	snprintf(key, sizeof(key), "mail:user:%s", r->user->user_id);
	if (db == NULL ||
	    !rate_limit(r, db, key, r->cfg->register_rate, 3600, true) ||
	    !api_tx(r, db, DB_READ_COMMITTED, resend_tx, &o))
		return;
	if (o.already)
		resp_json(r, 200, json_pack("{s:b}", "email_verified", 1));
	else
		resp_json(r, 202, json_pack("{s:s, s:s}", "status", "accepted",
		    "detail", "A new confirmation link is on its way."));
}

/* ---- password reset ---------------------------------------------------- */

struct reset_req {
	struct req *r;
	const char *email;
};

static int
reset_request_tx(struct db *db, void *arg)
{
	struct reset_req *q = arg;
	const char *p[1] = {q->email};
	char user[37], org[37], *username, *address;
	PGresult *res;
	int rc;

	if ((res = db_query(db, "user_by_email", 1, p)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0; /* nobody to tell: the answer is the same */
	}
	snprintf(user, sizeof(user), "%s", PQgetvalue(res, 0, 0));
	snprintf(org, sizeof(org), "%s", PQgetvalue(res, 0, 1));
	username = arena_strdup(q->r->arena, PQgetvalue(res, 0, 2));
	address = arena_strdup(q->r->arena, PQgetvalue(res, 0, 4));
	PQclear(res);
	if (db_set_org(db, org) != 0)
		return -1;
	if ((rc = mail_reset_link(db, q->r, MAIL_RESET, user, org, username,
	    address)) != 0)
		return rc < 0 ? -1 : 0;	/* past the limit: nothing to audit */
	return audit_write(db, q->r, org, NULL, "user.password_reset_requested",
	    "user", user, NULL, NULL, true, NULL);
}

void
auth_password_reset(struct req *r)
{
	static const char *const fields[] = {"email", NULL};
	struct reset_req q = {.r = r};
	struct input in;
	struct db *db;
	const char *why;

	input_begin(&in, r);
	input_only(&in, fields);
	q.email = input_string(&in, "email", IN_REQUIRED, 3, 254);
	if (q.email && (why = rules_email(q.email)) != NULL)
		input_error(&in, "email", why);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !rate_limit_ip(r, db, "mail", r->cfg->register_rate, 60) ||
	    !api_tx(r, db, DB_READ_COMMITTED, reset_request_tx, &q))
		return;
	resp_json(r, 202, json_pack("{s:s, s:s}", "status", "accepted",
	    "detail", "If an account has this address, a link to reset its "
	    "password is on its way."));
}

static int
reset_confirm_tx(struct db *db, void *arg)
{
	struct spend *s = arg;
	char user[37], org[37];
	const char *p[3];
	const char *why;
	PGresult *res;
	int rc;

	if ((rc = spend_token(db, s, "password_reset", user, org, &res)) != 0)
		return rc;
	why = rules_password(s->password, PQgetvalue(res, 0, 2),
	    PQgetvalue(res, 0, 3));
	PQclear(res);
	if (why != NULL) {
		api_field_error(s->r, "password", why);
		return 1; /* rolled back: the link still works */
	}
	p[0] = user;
	p[1] = s->hash;
	p[2] = NULL;
	if ((res = db_query(db, "user_set_password", 3, p)) == NULL)
		return -1;
	PQclear(res);
	/* Whoever held a session with the old password is out. */
	p[1] = NULL;
	if ((res = db_query(db, "sessions_delete_user", 2, p)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_query(db, "user_mark_verified", 1, p)) == NULL)
		return -1;
	PQclear(res);
	return audit_write(db, s->r, org, user, "user.password_reset", "user",
	    user, NULL, NULL, true, NULL);
}

void
auth_password_reset_confirm(struct req *r)
{
	static const char *const fields[] = {"token", "password", NULL};
	struct spend s = {.r = r};
	struct input in;
	struct db *db;
	const char *why;

	input_begin(&in, r);
	input_only(&in, fields);
	s.token = link_token(&in);
	s.password = input_string(&in, "password", IN_REQUIRED, 0,
	    NEW_PASSWORD_ANY);
	if (s.password && (why = rules_password(s.password, NULL, NULL)))
		input_error(&in, "password", why);
	if (!input_end(&in) || (db = api_db(r)) == NULL ||
	    !rate_limit_ip(r, db, "reset-confirm", r->cfg->login_rate, 60))
		return;
	/* The cheap check first: a made-up token costs no bcrypt. */
	{
		char thash[65];
		const char *p[2] = {thash, "password_reset"};
		PGresult *res;
		bool valid;

		token_hash(s.token, thash);
		if ((res = db_query(db, "token_valid", 2, p)) == NULL) {
			api_db_problem(r, db, db->status);
			return;
		}
		valid = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!valid) {
			invalid_token(r);
			return;
		}
	}
	if (password_hash(s.password, r->cfg->bcrypt_cost, s.hash) != 0) {
		resp_problem(r, 500, "internal", "The password could not be "
		    "hashed.");
		return;
	}
	if (!api_tx(r, db, DB_READ_COMMITTED, reset_confirm_tx, &s))
		return;
	auth_set_cookies(r, "", "", 0);
	resp_json(r, 200, json_pack("{s:s}", "status", "password_changed"));
}
