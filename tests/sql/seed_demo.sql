-- Seed 0001_demo: the five demo accounts.
--
-- admin, instructor and three students (sarah_network, mike_netplus,
-- jane_tech), all in the default organization, each with a profile and a
-- settings row, with bcrypt ($2b$) password hashes made by `ludus seed`.
-- Read-only; still wrapped in a rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(15);

SELECT results_eq(
	$$SELECT email, username, role FROM users ORDER BY username$$,
	$$VALUES
		('admin@network.test'::text, 'admin'::text, 'admin'::text),
		('instructor@network.test', 'instructor', 'instructor'),
		('student3@network.test', 'jane_tech', 'student'),
		('student2@network.test', 'mike_netplus', 'student'),
		('student1@network.test', 'sarah_network', 'student')$$,
	'the 5 demo accounts exist with their emails, usernames and roles (and no other user)');

SELECT is((SELECT role FROM users WHERE username = 'admin'), 'admin', 'admin is an admin');
SELECT is((SELECT role FROM users WHERE username = 'instructor'), 'instructor', 'instructor is an instructor');
SELECT results_eq(
	$$SELECT username FROM users WHERE role = 'student' ORDER BY username$$,
	$$VALUES ('jane_tech'::text), ('mike_netplus'::text), ('sarah_network'::text)$$,
	'sarah_network, mike_netplus and jane_tech are the students');

SELECT is_empty(
	$$SELECT u.username FROM users u JOIN organizations o ON o.id = u.org_id
	  WHERE NOT o.is_default OR o.slug <> 'default'$$,
	'every demo account is in the default organization');
SELECT is((SELECT count(*) FROM users u JOIN organizations o ON o.id = u.org_id WHERE o.slug = 'default'), 5::bigint,
	'the default organization has the 5 accounts');

SELECT is_empty(
	$$SELECT username FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_profiles p WHERE p.user_id = u.id)$$,
	'every demo account has a profile');
SELECT is_empty(
	$$SELECT username FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_settings s WHERE s.user_id = u.id)$$,
	'every demo account has a settings row');
SELECT is_empty(
	$$SELECT u.username FROM users u
	  JOIN user_profiles p ON p.user_id = u.id
	  JOIN user_settings s ON s.user_id = u.id
	  WHERE p.org_id <> u.org_id OR s.org_id <> u.org_id$$,
	'profiles and settings are in their user''s organization');

SELECT results_eq(
	$$SELECT u.username, p.first_name, p.last_name, p.display_name, p.timezone
	  FROM users u JOIN user_profiles p ON p.user_id = u.id ORDER BY u.username$$,
	$$VALUES
		('admin'::text, 'Alex'::text, 'Morgan'::text, 'Alex Morgan'::text, 'UTC'::text),
		('instructor', 'Priya', 'Raman', 'Priya Raman', 'America/Chicago'),
		('jane_tech', 'Jane', 'Tanaka', 'Jane Tanaka', 'Asia/Tokyo'),
		('mike_netplus', 'Mike', 'Okafor', 'Mike Okafor', 'America/New_York'),
		('sarah_network', 'Sarah', 'Lindqvist', 'Sarah Lindqvist', 'Europe/Stockholm')$$,
	'the demo profiles carry the seeded names and time zones');
SELECT is_empty(
	$$SELECT user_id FROM user_settings
	  WHERE theme <> 'system' OR daily_goal_minutes <> 30 OR notification_prefs <> '{}'$$,
	'the demo settings rows have the defaults');

SELECT is_empty($$SELECT username FROM users WHERE password_hash NOT LIKE '$2b$%'$$,
	'every demo password hash starts with $2b$');
SELECT is_empty($$SELECT username FROM users WHERE password_hash !~ '^\$2b\$[0-9]{2}\$[./A-Za-z0-9]{53}$'$$,
	'every demo password hash is a full bcrypt hash');

SELECT is_empty(
	$$SELECT username FROM users
	  WHERE email_verified_at IS NULL OR NOT is_active OR failed_login_count <> 0
	     OR locked_until IS NOT NULL OR deleted_at IS NOT NULL$$,
	'every demo account is verified, active, unlocked and not deleted');
SELECT is((SELECT count(*) FROM organizations), 1::bigint, 'the seed adds no organization');

SELECT * FROM finish();
ROLLBACK;
