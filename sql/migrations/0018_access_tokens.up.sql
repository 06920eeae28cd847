-- 0018_access_tokens: personal access tokens for scripts and
-- integrations.
--
-- A token belongs to a user, has a name, a subset of the user's
-- permissions, an expiry (a year at most) and may be revoked.  It is
-- shown once: only its SHA-256 is kept, with its first characters to tell
-- it apart in lists.  A request with one may do what both the token and
-- the user's role (as it is now) permit, and never make more tokens.  Its
-- last use (time and address) is written at most once a minute.

CREATE TABLE access_tokens (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	prefix text NOT NULL CHECK (prefix ~ '^lpat_[A-Za-z0-9_-]{4}$'),
	permissions text[] NOT NULL
		CHECK (cardinality(permissions) BETWEEN 1 AND 32
			AND array_position(permissions, NULL) IS NULL),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	last_used_at timestamptz,
	last_used_ip inet,
	revoked_at timestamptz,
	CHECK (expires_at > created_at
		AND expires_at <= created_at + interval '366 days'),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id, org_id);
SELECT ludus_isolate('access_tokens');

-- The token behind a hash, as the session check sees a session: its user,
-- what it may do (the token's permissions that the user's role still
-- holds), and the organization's switches.  Its use is noted at most once
-- a minute, without waiting for the WAL flush (as auth_session does).
CREATE FUNCTION auth_token(p_hash text, p_ip text)
RETURNS TABLE (id uuid, user_id uuid, org_id uuid, role text, perms text[],
	leaderboards boolean, messaging boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	used timestamptz;
BEGIN
	SELECT t.id, t.user_id, t.org_id, u.role,
		ARRAY(SELECT p.permission FROM roles r
			JOIN role_permissions p ON p.role_id = r.id
			WHERE r.org_id = t.org_id AND r.key = u.role
				AND p.permission = ANY (t.permissions)
				AND p.permission <> 'token.create'
			ORDER BY p.permission),
		o.leaderboards_enabled, o.messaging_enabled, t.last_used_at
	INTO id, user_id, org_id, role, perms, leaderboards, messaging, used
	FROM access_tokens t
	JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id
	JOIN organizations o ON o.id = t.org_id
	WHERE t.token_hash = p_hash AND t.revoked_at IS NULL
		AND t.expires_at > now()
		AND u.deleted_at IS NULL AND u.is_active
		AND o.deleted_at IS NULL AND o.suspended_at IS NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF used IS NULL OR used < now() - interval '1 minute' THEN
		PERFORM set_config('synchronous_commit', 'off', true);
		UPDATE access_tokens t SET last_used_at = now(),
			last_used_ip = nullif(p_ip, '')::inet
		WHERE t.id = auth_token.id;
	END IF;
	RETURN NEXT;
END
$$;
SELECT ludus_grant_definers();

CREATE FUNCTION access_token_json(t access_tokens) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', t.id, 'name', t.name,
		'prefix', t.prefix, 'permissions', t.permissions,
		'created_at', t.created_at, 'expires_at', t.expires_at,
		'last_used_at', t.last_used_at, 'last_used_ip', host(t.last_used_ip),
		'revoked_at', t.revoked_at,
		'status', CASE WHEN t.revoked_at IS NOT NULL THEN 'revoked'
			WHEN t.expires_at <= now() THEN 'expired' ELSE 'active' END)
$$;
