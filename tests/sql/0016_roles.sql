-- 0016_roles: permissions as data, the built-in roles of every
-- organization, roles of one's own, and users.role naming a role.

BEGIN;
SET client_min_messages = warning;
SELECT plan(22);

SELECT is((SELECT array_agg(code ORDER BY position) FROM permissions),
	ARRAY['account.self', 'learn', 'user.lookup', 'course.author',
		'question.manage', 'content.all', 'grade.write', 'analytics.read',
		'user.manage', 'role.manage', 'org.manage', 'audit.read', 'jobs.all',
		'token.create'],
	'the permissions are src/core/perm.h''s, in its order');

INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000016a0', 'roles-a', 'Roles A');

SELECT is((SELECT array_agg(key ORDER BY key) FROM roles
	WHERE org_id = '00000000-0000-4000-8000-0000000016a0' AND builtin),
	ARRAY['admin', 'instructor', 'student'],
	'a new organization has the three built-in roles');
SELECT is_empty($$
	SELECT o.id FROM organizations o WHERE NOT EXISTS (
		SELECT 1 FROM roles r WHERE r.org_id = o.id AND r.builtin
		GROUP BY r.org_id HAVING count(*) = 3)$$,
	'and so does every organization that was there before');

CREATE TEMP TABLE sets ON COMMIT DROP AS
SELECT r.key, array_agg(p.permission ORDER BY pm.position) AS perms
FROM roles r JOIN role_permissions p ON p.role_id = r.id
JOIN permissions pm ON pm.code = p.permission
WHERE r.org_id = '00000000-0000-4000-8000-0000000016a0'
GROUP BY r.key;
SELECT is((SELECT perms FROM sets WHERE key = 'student'),
	ARRAY['account.self', 'learn'], 'a student learns');
SELECT is((SELECT perms FROM sets WHERE key = 'instructor'),
	ARRAY['account.self', 'learn', 'user.lookup', 'course.author',
		'question.manage', 'grade.write', 'analytics.read', 'token.create'],
	'an instructor teaches');
SELECT is((SELECT cardinality(perms) FROM sets WHERE key = 'admin'),
	(SELECT count(*)::integer FROM permissions), 'an admin may do everything');

SELECT throws_ok($$
	DELETE FROM role_permissions WHERE permission = 'learn' AND role_id =
		(SELECT id FROM roles WHERE org_id = '00000000-0000-4000-8000-0000000016a0'
			AND key = 'student')$$,
	'23514', 'the built-in roles cannot change', 'a built-in role keeps its permissions');
SELECT throws_ok($$
	INSERT INTO role_permissions (role_id, org_id, permission)
	SELECT id, org_id, 'audit.read' FROM roles
	WHERE org_id = '00000000-0000-4000-8000-0000000016a0' AND key = 'student'$$,
	'23514', 'the built-in roles cannot change', 'and gains none');
SELECT throws_ok($$
	UPDATE roles SET name = 'Pupil'
	WHERE org_id = '00000000-0000-4000-8000-0000000016a0' AND key = 'student'$$,
	'23514', 'the built-in roles cannot change', 'nor is it renamed');
SELECT throws_ok($$
	DELETE FROM roles
	WHERE org_id = '00000000-0000-4000-8000-0000000016a0' AND key = 'student'$$,
	'23514', 'the built-in roles cannot change', 'nor deleted');
SELECT throws_ok($$
	UPDATE roles SET builtin = true
	WHERE org_id = '00000000-0000-4000-8000-0000000016a0' AND key = 'admin'$$,
	'23514', 'the built-in roles cannot change',
	'and no role becomes built in after the fact');

-- A role of one's own: a teaching assistant.
INSERT INTO roles (id, org_id, key, name)
VALUES ('00000000-0000-4000-8000-0000000016a1',
	'00000000-0000-4000-8000-0000000016a0', 'ta', 'Teaching assistant');
INSERT INTO role_permissions (role_id, org_id, permission)
SELECT '00000000-0000-4000-8000-0000000016a1',
	'00000000-0000-4000-8000-0000000016a0', p
FROM unnest(ARRAY['account.self', 'learn', 'grade.write']) p;
SELECT throws_ok($$
	INSERT INTO role_permissions (role_id, org_id, permission)
	VALUES ('00000000-0000-4000-8000-0000000016a1',
		'00000000-0000-4000-8000-0000000016a0', 'fly')$$,
	'23503', NULL, 'a role holds only permissions that exist');
SELECT throws_ok($$
	INSERT INTO roles (org_id, key, name)
	VALUES ('00000000-0000-4000-8000-0000000016a0', 'TA', 'Shouting')$$,
	'23514', NULL, 'a key is lowercase');
SELECT throws_ok($$
	INSERT INTO roles (org_id, key, name)
	VALUES ('00000000-0000-4000-8000-0000000016a0', 'ta', 'Again')$$,
	'23505', NULL, 'and unique in its organization');

INSERT INTO users (id, org_id, email, username, password_hash, role)
VALUES ('00000000-0000-4000-8000-0000000016a2',
	'00000000-0000-4000-8000-0000000016a0', 'ta@x.test', 'roles_ta',
	'$2b$10$' || repeat('.', 53), 'ta');
SELECT ok(role_can('00000000-0000-4000-8000-0000000016a0', 'ta', 'grade.write')
	AND NOT role_can('00000000-0000-4000-8000-0000000016a0', 'ta', 'course.author'),
	'role_can reads a role''s set');
SELECT throws_ok($$
	UPDATE users SET role = 'wizard'
	WHERE id = '00000000-0000-4000-8000-0000000016a2'$$,
	'23503', NULL, 'a user''s role is one of the organization''s');
SELECT throws_ok($$
	UPDATE users SET role = 'ta' WHERE org_id <> '00000000-0000-4000-8000-0000000016a0'
		AND username = 'sarah_network'$$,
	'23503', NULL, 'not another organization''s');
SELECT throws_ok($$
	DELETE FROM roles WHERE id = '00000000-0000-4000-8000-0000000016a1'$$,
	'23503', NULL, 'a role someone has stays');
SELECT lives_ok($$
	INSERT INTO roles (org_id, key, name)
	SELECT id, 'ta', 'Theirs' FROM organizations WHERE is_default$$,
	'another organization may use the same key');

INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, expires_at,
	absolute_expires_at)
VALUES ('00000000-0000-4000-8000-0000000016a2',
	'00000000-0000-4000-8000-0000000016a0', repeat('f', 64), repeat('c', 43),
	now() + interval '1 hour', now() + interval '1 day');
SELECT is((SELECT perms FROM auth_session(repeat('f', 64), 3600)),
	ARRAY['account.self', 'grade.write', 'learn'],
	'the session check says what the session''s user may do');
SELECT is((SELECT role_json(r)::jsonb FROM roles r
	WHERE id = '00000000-0000-4000-8000-0000000016a1') - 'created_at' - 'updated_at',
	'{"key": "ta", "name": "Teaching assistant", "description": "",
	  "builtin": false, "members": 1,
	  "permissions": ["account.self", "learn", "grade.write"]}'::jsonb,
	'a role as the API shows it');

DELETE FROM users WHERE id = '00000000-0000-4000-8000-0000000016a2';
SELECT lives_ok($$
	DELETE FROM roles WHERE id = '00000000-0000-4000-8000-0000000016a1'$$,
	'a role nobody has goes, and its permissions with it');

SELECT * FROM finish();
ROLLBACK;
