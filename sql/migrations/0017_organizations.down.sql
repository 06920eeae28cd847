-- 0017_organizations, undone: the settings go back to loose keys (a
-- sign-up that is not open becomes "registration": "closed"), and the
-- functions to 0015's and 0016's.
DROP FUNCTION platform_orgs(), platform_org_create(text, text),
	platform_org_state(text, text), invitation_lookup(text), org_active(uuid);

DROP FUNCTION org_for_registration(text);
CREATE FUNCTION org_for_registration(p_slug text)
RETURNS TABLE (id uuid, open boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, coalesce(settings->>'registration', 'open') = 'open'
	FROM organizations
	WHERE deleted_at IS NULL
		AND (CASE WHEN p_slug IS NULL THEN is_default ELSE slug = p_slug END)
$$;

DROP FUNCTION login_lookup(text);
CREATE FUNCTION login_lookup(p_login text)
RETURNS TABLE (id uuid, org_id uuid, password_hash text, role text,
	disabled boolean, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, org_id, password_hash, role,
		(NOT is_active OR deleted_at IS NOT NULL),
		coalesce(locked_until > now(), false)
	FROM users
	WHERE lower(email) = lower(p_login) OR lower(username) = lower(p_login)
$$;

DROP FUNCTION auth_session(text, integer);
CREATE FUNCTION auth_session(p_hash text, p_idle integer)
RETURNS TABLE (id uuid, user_id uuid, org_id uuid, csrf_token text,
	role text, perms text[])
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
		s.last_seen_at, s.absolute_expires_at
	INTO id, user_id, org_id, csrf_token, role, perms, seen, ends
	FROM sessions s
	JOIN users u ON u.id = s.user_id AND u.org_id = s.org_id
	WHERE s.token_hash = p_hash
		AND s.expires_at > now() AND s.absolute_expires_at > now()
		AND u.deleted_at IS NULL AND u.is_active;
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

SELECT ludus_grant_definers();

DROP FUNCTION org_json(organizations), invitation_json(invitations);
DROP TABLE invitations;
UPDATE organizations SET settings = settings || '{"registration": "closed"}'
WHERE signup <> 'open';
ALTER TABLE organizations DROP CONSTRAINT organizations_domains_need_list,
	DROP CONSTRAINT organizations_default_stays,
	DROP COLUMN signup, DROP COLUMN signup_domains,
	DROP COLUMN default_timezone, DROP COLUMN default_language,
	DROP COLUMN messaging_enabled, DROP COLUMN leaderboards_enabled,
	DROP COLUMN suspended_at;
DROP FUNCTION domains_ok(text[]);
