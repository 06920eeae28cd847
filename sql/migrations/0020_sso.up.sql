-- 0020_sso: single sign-on with OpenID Connect.
--
-- An organization's admin adds identity providers: an issuer, the client
-- id and secret the provider gave Ludus, the email domains it may vouch
-- for, and whether it may create accounts on first sign-in.  Ludus keeps
-- the endpoints of the provider's discovery document and its published
-- keys (JWKS) with the time they were fetched, so that every worker and
-- every restart shares one cache; the keys are fetched again when they
-- are old or when a token names a key they do not hold (the provider
-- rotated them).
--
-- A sign-in under way is an sso_requests row: the hash of its state, its
-- nonce and PKCE verifier; it is spent by the first callback that names
-- it, so a replayed state finds nothing.  A person is recognized by the
-- provider's subject (user_identities); an existing account is linked
-- only through an sso_links offer that its owner confirms with the
-- account's password.  The client secret has to be sent to the provider,
-- so it cannot be hashed: it is kept as given, never shown again by the
-- API, and readable only inside its organization.

-- The role new members get, whether they register, are created by a
-- provider, or are invited without one.
ALTER TABLE organizations
	ADD COLUMN default_role text NOT NULL DEFAULT 'student',
	ADD CONSTRAINT organizations_default_role_fkey
		FOREIGN KEY (id, default_role) REFERENCES roles (org_id, key)
		DEFERRABLE INITIALLY DEFERRED;
-- Deferred: a new organization's built-in roles are made by a trigger
-- after its row.  The index serves the check when a role is deleted.
CREATE INDEX organizations_default_role_idx ON organizations (default_role, id);

CREATE OR REPLACE FUNCTION org_json(o organizations) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', o.id, 'slug', o.slug, 'name', o.name,
		'leaderboard_include_staff',
		coalesce((o.settings->>'leaderboard_include_staff')::boolean, false),
		'signup', o.signup, 'signup_domains', o.signup_domains,
		'default_timezone', o.default_timezone,
		'default_language', o.default_language,
		'default_role', o.default_role,
		'messaging_enabled', o.messaging_enabled,
		'leaderboards_enabled', o.leaderboards_enabled,
		'updated_at', o.updated_at)
$$;

CREATE TABLE identity_providers (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
	issuer text NOT NULL CHECK (length(issuer) <= 500
		AND issuer ~ '^https?://[^[:space:]?#]+$'),
	client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255
		AND client_id !~ '[[:cntrl:]]'),
	client_secret text NOT NULL CHECK (length(client_secret) BETWEEN 1 AND 500
		AND client_secret !~ '[[:cntrl:]]'),
	allowed_domains text[] NOT NULL DEFAULT '{}'
		CHECK (cardinality(allowed_domains) <= 50
			AND domains_ok(allowed_domains)),
	create_accounts boolean NOT NULL DEFAULT true,
	enabled boolean NOT NULL DEFAULT true,
	authorization_endpoint text CHECK (length(authorization_endpoint) <= 500),
	token_endpoint text CHECK (length(token_endpoint) <= 500),
	jwks_uri text CHECK (length(jwks_uri) <= 500),
	end_session_endpoint text CHECK (length(end_session_endpoint) <= 500),
	discovered_at timestamptz,
	jwks text CHECK (length(jwks) <= 262144),
	jwks_fetched_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (org_id, issuer, client_id),
	UNIQUE (id, org_id)
);
CREATE TRIGGER identity_providers_updated_at BEFORE UPDATE
	ON identity_providers FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('identity_providers');

CREATE TABLE user_identities (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	provider_id uuid NOT NULL,
	subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
	email text CHECK (length(email) <= 254),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_login_at timestamptz,
	UNIQUE (provider_id, subject),
	UNIQUE (provider_id, user_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (provider_id, org_id) REFERENCES identity_providers (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id, org_id);
CREATE INDEX user_identities_provider_idx ON user_identities (provider_id, org_id);
SELECT ludus_isolate('user_identities');

CREATE TABLE sso_requests (
	state_hash text PRIMARY KEY CHECK (state_hash ~ '^[0-9a-f]{64}$'),
	org_id uuid NOT NULL,
	provider_id uuid NOT NULL,
	nonce text NOT NULL CHECK (length(nonce) BETWEEN 22 AND 64),
	code_verifier text NOT NULL
		CHECK (code_verifier ~ '^[A-Za-z0-9._~-]{43,128}$'),
	next text NOT NULL DEFAULT '/' CHECK (length(next) <= 500
		AND next ~ '^/([^/\\]|$)'),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz,
	FOREIGN KEY (provider_id, org_id) REFERENCES identity_providers (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX sso_requests_expires_idx ON sso_requests (expires_at);
CREATE INDEX sso_requests_provider_idx ON sso_requests (provider_id, org_id);
SELECT ludus_isolate('sso_requests');

CREATE TABLE sso_links (
	token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	provider_id uuid NOT NULL,
	subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
	email text NOT NULL CHECK (length(email) <= 254),
	next text NOT NULL DEFAULT '/' CHECK (length(next) <= 500
		AND next ~ '^/([^/\\]|$)'),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (provider_id, org_id) REFERENCES identity_providers (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX sso_links_expires_idx ON sso_links (expires_at);
CREATE INDEX sso_links_user_idx ON sso_links (user_id, org_id);
CREATE INDEX sso_links_provider_idx ON sso_links (provider_id, org_id);
SELECT ludus_isolate('sso_links');

-- A session made by a provider remembers it, for the provider's sign-out.
ALTER TABLE sessions ADD COLUMN provider_id uuid,
	ADD CONSTRAINT sessions_provider_fkey FOREIGN KEY (provider_id, org_id)
		REFERENCES identity_providers (id, org_id)
		ON DELETE SET NULL (provider_id);
CREATE INDEX sessions_provider_idx ON sessions (provider_id, org_id);

-- The providers a sign-in page offers: those switched on, of an
-- organization open for business (slug null: the default one).
CREATE FUNCTION sso_providers_for(p_slug text)
RETURNS TABLE (id uuid, name text, org_slug text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT p.id, p.name, o.slug
	FROM organizations o
	JOIN identity_providers p ON p.org_id = o.id AND p.enabled
	WHERE (CASE WHEN p_slug IS NULL THEN o.is_default ELSE o.slug = p_slug END)
		AND o.deleted_at IS NULL AND o.suspended_at IS NULL
	ORDER BY p.name, p.id
$$;

-- The organization of a provider a sign-in starts with, if it may.
CREATE FUNCTION sso_provider_org(p_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT p.org_id FROM identity_providers p
	JOIN organizations o ON o.id = p.org_id
	WHERE p.id = p_id AND p.enabled
		AND o.deleted_at IS NULL AND o.suspended_at IS NULL
$$;

-- Spends the sign-in of a state: its row once, never again.
CREATE FUNCTION sso_request_take(p_hash text)
RETURNS TABLE (org_id uuid, provider_id uuid, nonce text,
	code_verifier text, next text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	UPDATE sso_requests s SET used_at = now()
	WHERE s.state_hash = p_hash AND s.used_at IS NULL
		AND s.expires_at > now()
	RETURNING s.org_id, s.provider_id, s.nonce, s.code_verifier, s.next
$$;

-- An offer to link an account, as its confirmation page shows it
-- (p_spend false) or as the confirmation spends it (true).
CREATE FUNCTION sso_link_find(p_hash text, p_spend boolean)
RETURNS TABLE (org_id uuid, user_id uuid, provider_id uuid, subject text,
	email text, next text, provider_name text, username text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	IF p_spend THEN
		RETURN QUERY
		WITH s AS (
			UPDATE sso_links l SET used_at = now()
			WHERE l.token_hash = p_hash AND l.used_at IS NULL
				AND l.expires_at > now()
			RETURNING l.*
		)
		SELECT s.org_id, s.user_id, s.provider_id, s.subject, s.email,
			s.next, p.name, u.username
		FROM s JOIN identity_providers p ON p.id = s.provider_id
		JOIN users u ON u.id = s.user_id;
	ELSE
		RETURN QUERY
		SELECT l.org_id, l.user_id, l.provider_id, l.subject, l.email,
			l.next, p.name, u.username
		FROM sso_links l JOIN identity_providers p ON p.id = l.provider_id
		JOIN users u ON u.id = l.user_id
		WHERE l.token_hash = p_hash AND l.used_at IS NULL
			AND l.expires_at > now();
	END IF;
END
$$;
SELECT ludus_grant_definers();

-- A provider as its organization's admin sees it: never the secret.
CREATE FUNCTION identity_provider_json(p identity_providers) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', p.id, 'name', p.name,
		'issuer', p.issuer, 'client_id', p.client_id,
		'allowed_domains', p.allowed_domains,
		'create_accounts', p.create_accounts, 'enabled', p.enabled,
		'authorization_endpoint', p.authorization_endpoint,
		'end_session_endpoint', p.end_session_endpoint,
		'discovered_at', p.discovered_at,
		'keys_fetched_at', p.jwks_fetched_at,
		'members', (SELECT count(*) FROM user_identities i
			WHERE i.provider_id = p.id),
		'created_at', p.created_at, 'updated_at', p.updated_at)
$$;
