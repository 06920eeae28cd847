-- 0017_organizations: an organization's settings, its state (suspended,
-- deleted), and invitations.
--
-- Settings that were loose keys of organizations.settings become columns
-- with their rules: who may sign up (anyone, only people invited, or
-- people whose email is at one of the listed domains), the time zone and
-- language new members start with, and whether messaging and leaderboards
-- are on.  A platform operator suspends or deletes an organization: its
-- members' sessions stop working at once, and nobody signs in or up.

-- Whether every entry is a lowercase domain name (example.edu).
CREATE FUNCTION domains_ok(domains text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT coalesce(bool_and(d IS NOT NULL AND length(d) <= 253 AND
		d ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'), true)
	FROM unnest(domains) d
$$;

ALTER TABLE organizations
	ADD COLUMN signup text NOT NULL DEFAULT 'open'
		CHECK (signup IN ('open', 'invite', 'domains')),
	ADD COLUMN signup_domains text[] NOT NULL DEFAULT '{}'
		CHECK (cardinality(signup_domains) <= 50
			AND domains_ok(signup_domains)),
	ADD COLUMN default_timezone text NOT NULL DEFAULT 'UTC'
		CHECK (is_valid_timezone(default_timezone)),
	ADD COLUMN default_language text NOT NULL DEFAULT 'en'
		CHECK (default_language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
	ADD COLUMN messaging_enabled boolean NOT NULL DEFAULT true,
	ADD COLUMN leaderboards_enabled boolean NOT NULL DEFAULT true,
	ADD COLUMN suspended_at timestamptz,
	ADD CONSTRAINT organizations_domains_need_list
		CHECK (signup <> 'domains' OR cardinality(signup_domains) > 0),
	ADD CONSTRAINT organizations_default_stays
		CHECK (NOT (is_default AND suspended_at IS NOT NULL));

-- settings.registration was 'open' or anything else (closed).
UPDATE organizations SET signup = 'invite'
WHERE coalesce(settings->>'registration', 'open') <> 'open';
UPDATE organizations SET settings = settings - 'registration';

-- Whether an organization is open for business (not suspended, not
-- deleted).
CREATE FUNCTION org_active(org uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT EXISTS (SELECT 1 FROM organizations WHERE id = org
		AND deleted_at IS NULL AND suspended_at IS NULL)
$$;

CREATE TABLE invitations (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254
		AND email ~ '^[^@\s]+@[^@\s]+$'),
	role text NOT NULL,
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	invited_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	accepted_at timestamptz,
	accepted_by uuid,
	revoked_at timestamptz,
	CHECK (expires_at > created_at),
	CHECK ((accepted_at IS NULL) = (accepted_by IS NULL)),
	CHECK (accepted_at IS NULL OR revoked_at IS NULL),
	FOREIGN KEY (org_id, role) REFERENCES roles (org_id, key),
	FOREIGN KEY (invited_by) REFERENCES users (id),
	FOREIGN KEY (accepted_by) REFERENCES users (id)
);
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at DESC);
CREATE INDEX invitations_role_idx ON invitations (org_id, role);
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by);
CREATE INDEX invitations_accepted_by_idx ON invitations (accepted_by);
-- One open invitation per address and organization.
CREATE UNIQUE INDEX invitations_open_idx ON invitations (org_id, lower(email))
	WHERE accepted_at IS NULL AND revoked_at IS NULL;
SELECT ludus_isolate('invitations');

-- An organization as its admin sees it, and an invitation as the API shows
-- it (never its token).
CREATE FUNCTION org_json(o organizations) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', o.id, 'slug', o.slug, 'name', o.name,
		'leaderboard_include_staff',
		coalesce((o.settings->>'leaderboard_include_staff')::boolean, false),
		'signup', o.signup, 'signup_domains', o.signup_domains,
		'default_timezone', o.default_timezone,
		'default_language', o.default_language,
		'messaging_enabled', o.messaging_enabled,
		'leaderboards_enabled', o.leaderboards_enabled,
		'updated_at', o.updated_at)
$$;

CREATE FUNCTION invitation_json(i invitations) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', i.id, 'email', i.email, 'role', i.role,
		'invited_by', i.invited_by, 'created_at', i.created_at,
		'expires_at', i.expires_at, 'accepted_at', i.accepted_at,
		'accepted_by', i.accepted_by, 'revoked_at', i.revoked_at,
		'status', CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted'
			WHEN i.revoked_at IS NOT NULL THEN 'revoked'
			WHEN i.expires_at <= now() THEN 'expired'
			ELSE 'pending' END)
$$;

-- ---- Looking across organizations (0015's list, continued) ---------------

-- The organization a registration goes to, with its sign-up rules.
DROP FUNCTION org_for_registration(text);
CREATE FUNCTION org_for_registration(p_slug text)
RETURNS TABLE (id uuid, open boolean, signup text, signup_domains text[],
	default_timezone text, default_language text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, deleted_at IS NULL AND suspended_at IS NULL, signup,
		signup_domains, default_timezone, default_language
	FROM organizations
	WHERE deleted_at IS NULL
		AND (CASE WHEN p_slug IS NULL THEN is_default ELSE slug = p_slug END)
$$;

-- An invitation by its token, if it can still be accepted, with what the
-- sign-up page shows.
CREATE FUNCTION invitation_lookup(p_hash text)
RETURNS TABLE (id uuid, org_id uuid, org_slug text, org_name text,
	email text, role text, role_name text, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT i.id, i.org_id, o.slug, o.name, i.email, i.role, r.name,
		i.expires_at
	FROM invitations i
	JOIN organizations o ON o.id = i.org_id
		AND o.deleted_at IS NULL AND o.suspended_at IS NULL
	JOIN roles r ON r.org_id = i.org_id AND r.key = i.role
	WHERE i.token_hash = p_hash AND i.accepted_at IS NULL
		AND i.revoked_at IS NULL AND i.expires_at > now()
$$;

-- Sign-in and the session check refuse the members of an organization
-- that is suspended or deleted.
DROP FUNCTION login_lookup(text);
CREATE FUNCTION login_lookup(p_login text)
RETURNS TABLE (id uuid, org_id uuid, password_hash text, role text,
	disabled boolean, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT u.id, u.org_id, u.password_hash, u.role,
		(NOT u.is_active OR u.deleted_at IS NOT NULL
			OR o.deleted_at IS NOT NULL OR o.suspended_at IS NOT NULL),
		coalesce(u.locked_until > now(), false)
	FROM users u JOIN organizations o ON o.id = u.org_id
	WHERE lower(u.email) = lower(p_login) OR lower(u.username) = lower(p_login)
$$;

DROP FUNCTION auth_session(text, integer);
CREATE FUNCTION auth_session(p_hash text, p_idle integer)
RETURNS TABLE (id uuid, user_id uuid, org_id uuid, csrf_token text,
	role text, perms text[], leaderboards boolean, messaging boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	seen timestamptz;
	ends timestamptz;
BEGIN
	SELECT s.id, s.user_id, s.org_id, s.csrf_token, u.role,
		ARRAY(SELECT p.permission FROM roles r
			JOIN role_permissions p ON p.role_id = r.id
			WHERE r.org_id = s.org_id AND r.key = u.role
			ORDER BY p.permission),
		o.leaderboards_enabled, o.messaging_enabled,
		s.last_seen_at, s.absolute_expires_at
	INTO id, user_id, org_id, csrf_token, role, perms, leaderboards,
		messaging, seen, ends
	FROM sessions s
	JOIN users u ON u.id = s.user_id AND u.org_id = s.org_id
	JOIN organizations o ON o.id = s.org_id
	WHERE s.token_hash = p_hash
		AND s.expires_at > now() AND s.absolute_expires_at > now()
		AND u.deleted_at IS NULL AND u.is_active
		AND o.deleted_at IS NULL AND o.suspended_at IS NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF seen < now() - interval '1 minute' THEN
		PERFORM set_config('synchronous_commit', 'off', true);
		UPDATE sessions t SET last_seen_at = now(),
			expires_at = least(now() + make_interval(secs => p_idle), ends)
		WHERE t.id = auth_session.id;
	END IF;
	RETURN NEXT;
END
$$;

-- The platform operator's view and changes (ludus org, /api/v1/platform).
CREATE FUNCTION platform_orgs()
RETURNS TABLE (id uuid, slug text, name text, is_default boolean,
	state text, members bigint, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT o.id, o.slug, o.name, o.is_default,
		CASE WHEN o.deleted_at IS NOT NULL THEN 'deleted'
			WHEN o.suspended_at IS NOT NULL THEN 'suspended'
			ELSE 'active' END,
		(SELECT count(*) FROM users u WHERE u.org_id = o.id
			AND u.deleted_at IS NULL),
		o.created_at
	FROM organizations o
	ORDER BY o.created_at, o.slug
$$;

CREATE FUNCTION platform_org_create(p_slug text, p_name text) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	INSERT INTO organizations (slug, name) VALUES (p_slug, p_name)
	RETURNING id
$$;

-- p_state: 'active', 'suspended' or 'deleted'.  The organization's id, or
-- null when there is no such organization (a deleted one stays deleted).
CREATE FUNCTION platform_org_state(p_slug text, p_state text) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	UPDATE organizations SET
		suspended_at = CASE p_state WHEN 'suspended'
			THEN coalesce(suspended_at, now()) ELSE NULL END,
		deleted_at = CASE p_state WHEN 'deleted' THEN now() ELSE NULL END
	WHERE slug = p_slug AND deleted_at IS NULL
		AND p_state IN ('active', 'suspended', 'deleted')
	RETURNING id
$$;

SELECT ludus_grant_definers();
