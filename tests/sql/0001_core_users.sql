-- 0001_core: users constraints.
--
-- Email (format, length, no surrounding spaces), username (3..32 of
-- [A-Za-z0-9_.-], not starting with . or -), role, the bcrypt shape of
-- password_hash, failed_login_count >= 0, the organization foreign key and
-- install-wide case-insensitive uniqueness of email and username.  The
-- seeded demo accounts (admin@network.test / admin, ...) are used as the
-- existing rows.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(60);

-- A well-formed bcrypt hash: $2b$, two-digit cost, 53 characters of salt
-- and digest.
CREATE FUNCTION pg_temp.hash(p_prefix text DEFAULT '$2b$10$', p_len int DEFAULT 53)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT p_prefix || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), p_len)
$$;

-- Inserts one user in the default organization (or p_org).
CREATE FUNCTION pg_temp.new_user(p_email text, p_username text,
	p_hash text DEFAULT pg_temp.hash(), p_role text DEFAULT 'student',
	p_org uuid DEFAULT NULL)
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO users (org_id, email, username, password_hash, role)
	VALUES (coalesce(p_org, (SELECT id FROM organizations WHERE is_default)),
		p_email, p_username, p_hash, p_role)
	RETURNING id
$$;

-- email ----------------------------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_user('a@b', 'email_min')$$, 'email: 3 characters (a@b) is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('first.last+tag@sub.example.org', 'email_plus')$$,
	'email: dots, plus and subdomains are accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('Mixed.Case@Example.TEST', 'email_case')$$,
	'email: mixed case is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user(repeat('a', 250) || '@b.c', 'email_254')$$,
	'email: 254 characters is accepted');

SELECT throws_ok($$SELECT pg_temp.new_user(repeat('a', 251) || '@b.c', 'email_255')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: 255 characters is refused');
SELECT throws_ok($$SELECT pg_temp.new_user(' lead@space.test', 'email_lead')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: a leading space is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('trail@space.test ', 'email_trail')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: a trailing space is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('in side@space.test', 'email_inside')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: an inner space is refused');
SELECT throws_ok($$SELECT pg_temp.new_user(E'tab\t@space.test', 'email_tab')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: a tab is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('no-at-sign.test', 'email_noat')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: no @ is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('two@at@signs.test', 'email_twoat')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: two @ is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('@domain.test', 'email_nolocal')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: an empty local part is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('local@', 'email_nodomain')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: an empty domain is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('', 'email_empty')$$, '23514',
	'new row for relation "users" violates check constraint "users_email_check"',
	'email: empty is refused');
SELECT throws_ok($$SELECT pg_temp.new_user(NULL, 'email_null')$$, '23502', NULL, 'email: NULL is refused');

-- username: ^[A-Za-z0-9_][A-Za-z0-9_.-]{2,31}$ ---------------------------------

SELECT lives_ok($$SELECT pg_temp.new_user('u1@x.test', 'abc')$$, 'username: 3 characters is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('u2@x.test', repeat('u', 32))$$, 'username: 32 characters is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('u3@x.test', '_a.b-c_D9')$$,
	'username: letters, digits, _ . - (leading _) are accepted');

SELECT throws_ok($$SELECT pg_temp.new_user('u4@x.test', 'ab')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: 2 characters is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('u5@x.test', repeat('u', 33))$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: 33 characters is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('u6@x.test', '.dotfirst')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: a leading dot is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('u7@x.test', '-dashfirst')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: a leading hyphen is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('u8@x.test', 'has space')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: a space is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('u9@x.test', 'at@sign')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: an @ is refused (it could be taken for an email)');
SELECT throws_ok($$SELECT pg_temp.new_user('u10@x.test', 'jürgen')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: non-ASCII letters are refused');
SELECT throws_ok($$SELECT pg_temp.new_user('u11@x.test', '')$$, '23514',
	'new row for relation "users" violates check constraint "users_username_check"',
	'username: empty is refused');

-- role -------------------------------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_user('r1@x.test', 'role_student', pg_temp.hash(), 'student')$$, 'role: student is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('r2@x.test', 'role_instructor', pg_temp.hash(), 'instructor')$$, 'role: instructor is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('r3@x.test', 'role_admin', pg_temp.hash(), 'admin')$$, 'role: admin is accepted');
-- Since 0016 a role is one of the organization's (a foreign key).
SELECT throws_ok($$SELECT pg_temp.new_user('r4@x.test', 'role_super', pg_temp.hash(), 'superuser')$$, '23503',
	'insert or update on table "users" violates foreign key constraint "users_role_fkey"',
	'role: superuser is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('r5@x.test', 'role_upper', pg_temp.hash(), 'Admin')$$, '23503',
	'insert or update on table "users" violates foreign key constraint "users_role_fkey"',
	'role: Admin (wrong case) is refused');
INSERT INTO users (org_id, email, username, password_hash)
SELECT id, 'r6@x.test', 'role_default', pg_temp.hash() FROM organizations WHERE is_default;
SELECT is((SELECT role FROM users WHERE username = 'role_default'), 'student', 'role: defaults to student');

-- password_hash: ^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$ -----------------------

SELECT lives_ok($$SELECT pg_temp.new_user('p1@x.test', 'hash_2a', pg_temp.hash('$2a$10$'))$$, 'password_hash: $2a$ is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('p2@x.test', 'hash_2b', pg_temp.hash('$2b$12$'))$$, 'password_hash: $2b$ (cost 12) is accepted');
SELECT lives_ok($$SELECT pg_temp.new_user('p3@x.test', 'hash_2y', pg_temp.hash('$2y$04$'))$$, 'password_hash: $2y$ (cost 04) is accepted');

SELECT throws_ok($$SELECT pg_temp.new_user('p4@x.test', 'hash_2x', pg_temp.hash('$2x$10$'))$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: $2x$ is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p5@x.test', 'hash_cost1', pg_temp.hash('$2b$9$'))$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: a one-digit cost is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p6@x.test', 'hash_cost3', pg_temp.hash('$2b$100$'))$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: a three-digit cost is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p7@x.test', 'hash_short', pg_temp.hash('$2b$10$', 52))$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: 52 characters after the cost is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p8@x.test', 'hash_long', pg_temp.hash('$2b$10$', 54))$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: 54 characters after the cost is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p9@x.test', 'hash_char', '$2b$10$' || repeat('!', 53))$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: characters outside the bcrypt alphabet are refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p10@x.test', 'hash_plain', 'correct horse battery staple')$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: a plaintext password is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p11@x.test', 'hash_argon',
	'$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: a non-bcrypt (argon2) hash is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('p12@x.test', 'hash_empty', '')$$, '23514',
	'new row for relation "users" violates check constraint "users_password_hash_check"',
	'password_hash: empty is refused');

-- failed_login_count >= 0 --------------------------------------------------------

SELECT lives_ok($$UPDATE users SET failed_login_count = 0 WHERE username = 'admin'$$, 'failed_login_count: 0 is accepted');
SELECT lives_ok($$UPDATE users SET failed_login_count = 5 WHERE username = 'admin'$$, 'failed_login_count: 5 is accepted');
SELECT throws_ok($$UPDATE users SET failed_login_count = -1 WHERE username = 'admin'$$, '23514',
	'new row for relation "users" violates check constraint "users_failed_login_count_check"',
	'failed_login_count: -1 is refused');
SELECT throws_ok($$UPDATE users SET failed_login_count = NULL WHERE username = 'admin'$$, '23502', NULL,
	'failed_login_count: NULL is refused');

-- Organization foreign key -------------------------------------------------------

SELECT throws_ok($$SELECT pg_temp.new_user('fk@x.test', 'fk_org', pg_temp.hash(), 'student',
	'00000000-0000-0000-0000-000000000000')$$, '23503',
	'insert or update on table "users" violates foreign key constraint "users_org_id_fkey"',
	'a user in an organization that does not exist is refused');

-- Case-insensitive uniqueness of email and username, across the install --------

SELECT throws_ok($$SELECT pg_temp.new_user('admin@network.test', 'admin_copy')$$, '23505',
	'duplicate key value violates unique constraint "users_email_key"',
	'email: an exact duplicate is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('ADMIN@network.test', 'admin_upper')$$, '23505',
	'duplicate key value violates unique constraint "users_email_key"',
	'email: ADMIN@network.test is refused when admin@network.test exists');
SELECT throws_ok($$SELECT pg_temp.new_user('Admin@Network.Test', 'admin_mixed')$$, '23505',
	'duplicate key value violates unique constraint "users_email_key"',
	'email: Admin@Network.Test is refused when admin@network.test exists');
SELECT throws_ok($$SELECT pg_temp.new_user('someone.else@network.test', 'admin')$$, '23505',
	'duplicate key value violates unique constraint "users_username_key"',
	'username: an exact duplicate is refused');
SELECT throws_ok($$SELECT pg_temp.new_user('someone.else@network.test', 'ADMIN')$$, '23505',
	'duplicate key value violates unique constraint "users_username_key"',
	'username: ADMIN is refused when admin exists');
SELECT throws_ok($$SELECT pg_temp.new_user('someone.else@network.test', 'Sarah_Network')$$, '23505',
	'duplicate key value violates unique constraint "users_username_key"',
	'username: Sarah_Network is refused when sarah_network exists');
SELECT throws_ok($$UPDATE users SET email = 'STUDENT1@NETWORK.TEST' WHERE username = 'jane_tech'$$, '23505',
	'duplicate key value violates unique constraint "users_email_key"',
	'email: updating to another user''s email in other case is refused');
SELECT lives_ok($$UPDATE users SET email = 'Student3@Network.Test' WHERE username = 'jane_tech'$$,
	'email: a user may change the case of their own email');

-- Uniqueness holds across organizations (sign-in happens before the
-- organization is known).
INSERT INTO organizations (slug, name) VALUES ('other-org', 'Other org');
SELECT throws_ok($$SELECT pg_temp.new_user('Instructor@Network.test', 'instructor2', pg_temp.hash(), 'student',
	(SELECT id FROM organizations WHERE slug = 'other-org'))$$, '23505',
	'duplicate key value violates unique constraint "users_email_key"',
	'email: uniqueness spans organizations');
SELECT throws_ok($$SELECT pg_temp.new_user('new.person@other.test', 'Instructor', pg_temp.hash(), 'student',
	(SELECT id FROM organizations WHERE slug = 'other-org'))$$, '23505',
	'duplicate key value violates unique constraint "users_username_key"',
	'username: uniqueness spans organizations');
SELECT lives_ok($$SELECT pg_temp.new_user('new.person@other.test', 'new_person', pg_temp.hash(), 'student',
	(SELECT id FROM organizations WHERE slug = 'other-org'))$$,
	'a fresh email and username in another organization is accepted');

SELECT * FROM finish();
ROLLBACK;
