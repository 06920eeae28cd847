-- 0016_roles: permissions as data, roles as sets of them (seed 004).
--
-- A permission is a code that routes name (src/core/perm.h keeps the same
-- list as bits).  A role belongs to an organization and is a set of
-- permissions; users.role names one of its organization's roles by key.
-- Every organization has the three built-in roles, student, instructor
-- and admin, whose sets do not change; its admins may define more (a
-- teaching assistant who grades but does not author).  Leaderboards still
-- count the members whose role is the built-in student; every other role
-- is staff there.

CREATE TABLE permissions (
	code text PRIMARY KEY CHECK (code ~ '^[a-z]+(\.[a-z_]+)?$'),
	description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
	position integer NOT NULL UNIQUE
);
INSERT INTO permissions (position, code, description) VALUES
	(1, 'account.self', 'Sign in and keep one''s own account, profile, settings and sessions'),
	(2, 'learn', 'Follow courses, practise, take exams, earn XP and see the leaderboards'),
	(3, 'user.lookup', 'Find the people of the organization by name'),
	(4, 'course.author', 'Write courses, units, lessons and learning paths'),
	(5, 'question.manage', 'Write and import questions, build assessments and read their results'),
	(6, 'content.all', 'Change anyone''s courses, paths, questions and assessments, not only one''s own'),
	(7, 'grade.write', 'Grade learners'' work'),
	(8, 'analytics.read', 'Read the organization''s learning analytics'),
	(9, 'user.manage', 'Change, lock, delete and restore accounts, and give roles'),
	(10, 'role.manage', 'Define the organization''s roles and what each permits'),
	(11, 'org.manage', 'Change the organization''s settings and invite people'),
	(12, 'audit.read', 'Read the audit trail'),
	(13, 'jobs.all', 'Follow every background job of the organization'),
	(14, 'token.create', 'Make personal access tokens for scripts and integrations');
REVOKE INSERT, UPDATE, DELETE ON permissions FROM ludus_app;

CREATE TABLE roles (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,31}$'),
	name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 1000),
	builtin boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (org_id, key),
	UNIQUE (id, org_id)
);
CREATE TRIGGER roles_updated_at BEFORE UPDATE ON roles
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE role_permissions (
	role_id uuid NOT NULL,
	org_id uuid NOT NULL,
	permission text NOT NULL REFERENCES permissions (code),
	PRIMARY KEY (role_id, org_id, permission),
	FOREIGN KEY (role_id, org_id) REFERENCES roles (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX role_permissions_permission_idx ON role_permissions (permission);

SELECT ludus_isolate('roles');
SELECT ludus_isolate('role_permissions');

-- The built-in roles stay as they are: their keys, and their sets.  Only
-- roles_builtin() below may write them (it says so in a setting).
CREATE FUNCTION roles_builtin_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.role_id ELSE NEW.role_id END;
BEGIN
	IF current_setting('ludus.roles_builtin', true) IS DISTINCT FROM 'on'
		AND EXISTS (SELECT 1 FROM roles WHERE id = r AND builtin) THEN
		RAISE EXCEPTION 'the built-in roles cannot change'
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER role_permissions_builtin BEFORE INSERT OR UPDATE OR DELETE
	ON role_permissions FOR EACH ROW EXECUTE FUNCTION roles_builtin_guard();

CREATE FUNCTION roles_builtin_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('ludus.roles_builtin', true) IS DISTINCT FROM 'on'
		AND (OLD.builtin OR (TG_OP = 'UPDATE' AND NEW.builtin)) THEN
		RAISE EXCEPTION 'the built-in roles cannot change'
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER roles_builtin BEFORE UPDATE OR DELETE ON roles
	FOR EACH ROW EXECUTE FUNCTION roles_builtin_keep();

-- An organization's three built-in roles.
CREATE FUNCTION roles_builtin(org uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('ludus.roles_builtin', 'on', true);
	INSERT INTO roles (org_id, key, name, description, builtin) VALUES
		(org, 'student', 'Student', 'Learns: courses, practice, exams, XP.', true),
		(org, 'instructor', 'Instructor',
			'Teaches: writes courses and questions, builds assessments, grades.',
			true),
		(org, 'admin', 'Admin', 'Runs the organization: everything.', true);
	INSERT INTO role_permissions (role_id, org_id, permission)
	SELECT r.id, org, p.code
	FROM roles r JOIN permissions p ON CASE r.key
		WHEN 'student' THEN p.code IN ('account.self', 'learn')
		WHEN 'instructor' THEN p.code IN ('account.self', 'learn',
			'user.lookup', 'course.author', 'question.manage', 'grade.write',
			'analytics.read', 'token.create')
		ELSE true END
	WHERE r.org_id = org AND r.builtin;
	PERFORM set_config('ludus.roles_builtin', 'off', true);
END
$$;

CREATE FUNCTION organizations_roles() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM roles_builtin(NEW.id);
	RETURN NULL;
END
$$;
CREATE TRIGGER organizations_roles AFTER INSERT ON organizations
	FOR EACH ROW EXECUTE FUNCTION organizations_roles();

SELECT roles_builtin(id) FROM organizations;

-- users.role: a role of the user's organization (was: one of three names).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_fkey FOREIGN KEY (org_id, role)
	REFERENCES roles (org_id, key);
CREATE INDEX users_role_idx ON users (org_id, role);

-- Whether a role of an organization holds a permission (inlined).
CREATE FUNCTION role_can(org uuid, role text, perm text) RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT EXISTS (SELECT 1 FROM roles r
		JOIN role_permissions p ON p.role_id = r.id
		WHERE r.org_id = org AND r.key = role AND p.permission = perm)
$$;

-- A role as the API shows it.
CREATE FUNCTION role_json(r roles) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('key', r.key, 'name', r.name,
		'description', r.description, 'builtin', r.builtin,
		'permissions', (SELECT coalesce(json_agg(p.permission
				ORDER BY pm.position), '[]')
			FROM role_permissions p JOIN permissions pm ON pm.code = p.permission
			WHERE p.role_id = r.id),
		'members', (SELECT count(*) FROM users u
			WHERE u.org_id = r.org_id AND u.role = r.key
				AND u.deleted_at IS NULL),
		'created_at', r.created_at, 'updated_at', r.updated_at)
$$;

-- The session check now says what the session's user may do.
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
