-- 0016_roles, undone: users.role back to three names (custom roles'
-- members become students), and 0015's session check.
DROP FUNCTION auth_session(text, integer);
CREATE FUNCTION auth_session(p_hash text, p_idle integer)
RETURNS TABLE (id uuid, user_id uuid, org_id uuid, csrf_token text,
	role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	seen timestamptz;
	ends timestamptz;
BEGIN
	SELECT s.id, s.user_id, s.org_id, s.csrf_token, u.role, s.last_seen_at,
		s.absolute_expires_at
	INTO id, user_id, org_id, csrf_token, role, seen, ends
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

DROP FUNCTION role_can(uuid, text, text), role_json(roles);
ALTER TABLE users DROP CONSTRAINT users_role_fkey;
DROP INDEX users_role_idx;
UPDATE users SET role = 'student'
WHERE role NOT IN ('student', 'instructor', 'admin');
ALTER TABLE users ADD CONSTRAINT users_role_check
	CHECK (role IN ('student', 'instructor', 'admin'));
DROP TRIGGER organizations_roles ON organizations;
DROP FUNCTION organizations_roles(), roles_builtin(uuid);
DROP TABLE role_permissions, roles, permissions;
DROP FUNCTION roles_builtin_guard(), roles_builtin_keep();
