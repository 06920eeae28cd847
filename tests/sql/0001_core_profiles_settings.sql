-- 0001_core: user_profiles and user_settings constraints.
--
-- Profiles: timezone (valid IANA name), avatar_url (http/https), bio and
-- name lengths, locale.  Settings: theme, daily_goal_minutes, the shape of
-- notification_prefs.  Both: the composite foreign key (user_id, org_id) ->
-- users (id, org_id) that keeps a row in its user's organization, and
-- ON DELETE CASCADE from users.  The seeded admin's rows are used for the
-- value checks (UPDATE runs the same CHECKs as INSERT).  All in one
-- rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(67);

CREATE FUNCTION pg_temp.admin_id() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = 'admin'
$$;

-- timezone: a valid IANA name ---------------------------------------------------

SELECT lives_ok($$UPDATE user_profiles SET timezone = 'Europe/Berlin' WHERE user_id = pg_temp.admin_id()$$,
	'timezone: Europe/Berlin is accepted');
SELECT lives_ok($$UPDATE user_profiles SET timezone = 'UTC' WHERE user_id = pg_temp.admin_id()$$,
	'timezone: UTC is accepted');
SELECT lives_ok($$UPDATE user_profiles SET timezone = 'America/Argentina/Buenos_Aires' WHERE user_id = pg_temp.admin_id()$$,
	'timezone: America/Argentina/Buenos_Aires (three levels) is accepted');
SELECT lives_ok($$UPDATE user_profiles SET timezone = 'America/Port-au-Prince' WHERE user_id = pg_temp.admin_id()$$,
	'timezone: America/Port-au-Prince (hyphens) is accepted');
SELECT lives_ok($$UPDATE user_profiles SET timezone = 'Etc/GMT+3' WHERE user_id = pg_temp.admin_id()$$,
	'timezone: Etc/GMT+3 (an IANA name with a sign) is accepted');

SELECT throws_ok($$UPDATE user_profiles SET timezone = 'Mars/Olympus' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: Mars/Olympus is refused');
-- Regression (fixed): is_valid_timezone() accepts POSIX-style zone specs, although the
-- migration says "UTC+3" is refused on purpose (its sign is inverted).  The
-- name regex allows '+' and digits after the first letter, and
-- `now() AT TIME ZONE 'UTC+3'` succeeds (PostgreSQL parses it as a POSIX
-- TZ string), so the CHECK passes.  Expected 23514; actual: the UPDATE
-- succeeds.  Same for 'Foo3', 'Abc+99', and abbreviations such as 'PST'.
SELECT throws_ok($$UPDATE user_profiles SET timezone = 'UTC+3' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: UTC+3 (POSIX offset, inverted sign) is refused');
SELECT throws_ok($$UPDATE user_profiles SET timezone = '' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: empty is refused');
SELECT throws_ok($$UPDATE user_profiles SET timezone = 'Europe/' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: Europe/ (empty last part) is refused');
SELECT throws_ok($$UPDATE user_profiles SET timezone = 'Europe//Berlin' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: Europe//Berlin is refused');
SELECT throws_ok($$UPDATE user_profiles SET timezone = '../../etc/passwd' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: a path is refused');
SELECT throws_ok($$UPDATE user_profiles SET timezone = ' Europe/Berlin' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_timezone_check"',
	'timezone: surrounding spaces are refused');
SELECT throws_ok($$UPDATE user_profiles SET timezone = NULL WHERE user_id = pg_temp.admin_id()$$, '23502', NULL,
	'timezone: NULL is refused');

-- avatar_url: http(s), no spaces, <= 500 --------------------------------------------

SELECT lives_ok($$UPDATE user_profiles SET avatar_url = 'https://cdn.example.test/a/b.png?s=64' WHERE user_id = pg_temp.admin_id()$$,
	'avatar_url: https is accepted');
SELECT lives_ok($$UPDATE user_profiles SET avatar_url = 'http://example.test/a.png' WHERE user_id = pg_temp.admin_id()$$,
	'avatar_url: http is accepted');
SELECT lives_ok($$UPDATE user_profiles SET avatar_url = 'https://x.test/' || repeat('a', 485) WHERE user_id = pg_temp.admin_id()$$,
	'avatar_url: 500 characters is accepted');
SELECT lives_ok($$UPDATE user_profiles SET avatar_url = NULL WHERE user_id = pg_temp.admin_id()$$,
	'avatar_url: NULL (no avatar) is accepted');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = 'https://x.test/' || repeat('a', 486) WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: 501 characters is refused');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = 'javascript:alert(1)' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: javascript: is refused');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = 'ftp://example.test/a.png' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: ftp is refused');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = 'data:image/png;base64,iVBORw0KGgo=' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: a data: URL is refused');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = '//example.test/a.png' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: a scheme-relative URL is refused');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = 'https://' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: a bare scheme is refused');
SELECT throws_ok($$UPDATE user_profiles SET avatar_url = 'https://example.test/my avatar.png' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_avatar_url_check"',
	'avatar_url: a space is refused');

-- bio <= 2000 characters, names <= 100, locale ------------------------------------------

SELECT lives_ok($$UPDATE user_profiles SET bio = repeat('b', 2000) WHERE user_id = pg_temp.admin_id()$$,
	'bio: 2000 characters is accepted');
SELECT lives_ok($$UPDATE user_profiles SET bio = repeat('é', 2000) WHERE user_id = pg_temp.admin_id()$$,
	'bio: 2000 two-byte characters is accepted (characters, not bytes, are counted)');
SELECT throws_ok($$UPDATE user_profiles SET bio = repeat('b', 2001) WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_bio_check"',
	'bio: 2001 characters is refused');
SELECT lives_ok($$UPDATE user_profiles SET first_name = repeat('f', 100), last_name = repeat('l', 100),
	display_name = repeat('d', 100) WHERE user_id = pg_temp.admin_id()$$,
	'first_name, last_name, display_name: 100 characters are accepted');
SELECT throws_ok($$UPDATE user_profiles SET first_name = repeat('f', 101) WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_first_name_check"',
	'first_name: 101 characters is refused');
SELECT throws_ok($$UPDATE user_profiles SET display_name = repeat('d', 101) WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_display_name_check"',
	'display_name: 101 characters is refused');
SELECT lives_ok($$UPDATE user_profiles SET locale = 'pt-BR' WHERE user_id = pg_temp.admin_id()$$,
	'locale: pt-BR is accepted');
SELECT throws_ok($$UPDATE user_profiles SET locale = 'en_US' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_locale_check"',
	'locale: en_US (underscore) is refused');
SELECT throws_ok($$UPDATE user_profiles SET locale = 'EN' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_profiles" violates check constraint "user_profiles_locale_check"',
	'locale: EN (uppercase language) is refused');

-- settings: theme ---------------------------------------------------------------------

SELECT lives_ok($$UPDATE user_settings SET theme = 'light' WHERE user_id = pg_temp.admin_id()$$, 'theme: light is accepted');
SELECT lives_ok($$UPDATE user_settings SET theme = 'dark' WHERE user_id = pg_temp.admin_id()$$, 'theme: dark is accepted');
SELECT lives_ok($$UPDATE user_settings SET theme = 'system' WHERE user_id = pg_temp.admin_id()$$, 'theme: system is accepted');
SELECT throws_ok($$UPDATE user_settings SET theme = 'blue' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_theme_check"',
	'theme: blue is refused');
SELECT throws_ok($$UPDATE user_settings SET theme = 'Dark' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_theme_check"',
	'theme: Dark (wrong case) is refused');
SELECT throws_ok($$UPDATE user_settings SET theme = '' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_theme_check"',
	'theme: empty is refused');

-- settings: daily_goal_minutes 1..1440 ---------------------------------------------------

SELECT lives_ok($$UPDATE user_settings SET daily_goal_minutes = 1 WHERE user_id = pg_temp.admin_id()$$, 'daily_goal_minutes: 1 is accepted');
SELECT lives_ok($$UPDATE user_settings SET daily_goal_minutes = 1440 WHERE user_id = pg_temp.admin_id()$$, 'daily_goal_minutes: 1440 is accepted');
SELECT throws_ok($$UPDATE user_settings SET daily_goal_minutes = 0 WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_daily_goal_minutes_check"',
	'daily_goal_minutes: 0 is refused');
SELECT throws_ok($$UPDATE user_settings SET daily_goal_minutes = 1441 WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_daily_goal_minutes_check"',
	'daily_goal_minutes: 1441 is refused');
SELECT throws_ok($$UPDATE user_settings SET daily_goal_minutes = -30 WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_daily_goal_minutes_check"',
	'daily_goal_minutes: negative is refused');

-- settings: notification_prefs is a JSON object -------------------------------------------

SELECT lives_ok($$UPDATE user_settings SET notification_prefs = '{"digest": {"email": "weekly"}, "streak": true}' WHERE user_id = pg_temp.admin_id()$$,
	'notification_prefs: a nested object is accepted');
SELECT throws_ok($$UPDATE user_settings SET notification_prefs = '[]' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_notification_prefs_check"',
	'notification_prefs: an array is refused');
SELECT throws_ok($$UPDATE user_settings SET notification_prefs = '"email"' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_notification_prefs_check"',
	'notification_prefs: a string is refused');
SELECT throws_ok($$UPDATE user_settings SET notification_prefs = 'null' WHERE user_id = pg_temp.admin_id()$$, '23514',
	'new row for relation "user_settings" violates check constraint "user_settings_notification_prefs_check"',
	'notification_prefs: JSON null is refused');
SELECT throws_ok($$UPDATE user_settings SET notification_prefs = NULL WHERE user_id = pg_temp.admin_id()$$, '23502', NULL,
	'notification_prefs: SQL NULL is refused');

-- Composite foreign key (user_id, org_id) -> users (id, org_id) ---------------------------

INSERT INTO organizations (slug, name) VALUES ('other-org', 'Other org');
INSERT INTO users (org_id, email, username, password_hash)
SELECT id, 'pairing@x.test', 'pairing_user', '$2b$10$' || repeat('x', 53)
FROM organizations WHERE is_default;

CREATE FUNCTION pg_temp.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = 'pairing_user'
$$;
CREATE FUNCTION pg_temp.default_org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.other_org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE slug = 'other-org'
$$;

SELECT throws_ok($$INSERT INTO user_profiles (user_id, org_id) VALUES (pg_temp.uid(), pg_temp.other_org())$$, '23503',
	'insert or update on table "user_profiles" violates foreign key constraint "user_profiles_user_id_org_id_fkey"',
	'a profile whose org_id differs from its user''s organization is refused');
SELECT throws_ok($$INSERT INTO user_settings (user_id, org_id) VALUES (pg_temp.uid(), pg_temp.other_org())$$, '23503',
	'insert or update on table "user_settings" violates foreign key constraint "user_settings_user_id_org_id_fkey"',
	'settings whose org_id differs from its user''s organization are refused');
SELECT throws_ok($$INSERT INTO user_profiles (user_id, org_id) VALUES ('00000000-0000-0000-0000-000000000001', pg_temp.default_org())$$, '23503',
	'insert or update on table "user_profiles" violates foreign key constraint "user_profiles_user_id_org_id_fkey"',
	'a profile for a user who does not exist is refused');
SELECT lives_ok($$INSERT INTO user_profiles (user_id, org_id) VALUES (pg_temp.uid(), pg_temp.default_org())$$,
	'a profile in its user''s organization is accepted');
SELECT lives_ok($$INSERT INTO user_settings (user_id, org_id) VALUES (pg_temp.uid(), pg_temp.default_org())$$,
	'settings in their user''s organization are accepted');
SELECT results_eq(
	$$SELECT p.timezone, p.locale, s.theme, s.daily_goal_minutes, s.notification_prefs,
	         s.email_notifications, s.push_notifications, s.sound_effects
	  FROM user_profiles p JOIN user_settings s USING (user_id) WHERE user_id = pg_temp.uid()$$,
	$$VALUES ('UTC'::text, 'en'::text, 'system'::text, 30, '{}'::jsonb, true, true, true)$$,
	'a bare profile and settings row get the documented defaults');
SELECT throws_ok($$INSERT INTO user_profiles (user_id, org_id) VALUES (pg_temp.uid(), pg_temp.default_org())$$, '23505',
	'duplicate key value violates unique constraint "user_profiles_pkey"',
	'a second profile for the same user is refused');
SELECT throws_ok($$UPDATE user_profiles SET org_id = pg_temp.other_org() WHERE user_id = pg_temp.uid()$$, '23503',
	'insert or update on table "user_profiles" violates foreign key constraint "user_profiles_user_id_org_id_fkey"',
	'moving a profile to another organization than its user''s is refused');
SELECT throws_ok($$UPDATE user_settings SET org_id = pg_temp.other_org() WHERE user_id = pg_temp.uid()$$, '23503',
	'insert or update on table "user_settings" violates foreign key constraint "user_settings_user_id_org_id_fkey"',
	'moving settings to another organization than their user''s is refused');
SELECT throws_ok($$UPDATE users SET org_id = pg_temp.other_org() WHERE id = pg_temp.uid()$$, '23503', NULL,
	'moving a user away from the organization of their profile is refused (no silent split)');

-- Regression (fixed): activity_events references users (id) and organizations (id)
-- separately instead of users (id, org_id), so an event can pair a user
-- with another organization, breaking the rule of the migration header
-- ("a row can never pair a user with another organization").  Expected
-- 23503; actual: the INSERT succeeds.
SELECT throws_ok($$INSERT INTO activity_events (org_id, user_id, event_type)
	VALUES (pg_temp.other_org(), pg_temp.uid(), 'lesson.viewed')$$, '23503', NULL,
	'an activity event pairing a user with another organization is refused');

-- ON DELETE CASCADE from users ---------------------------------------------------------

SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.uid()$$, 'a user with a profile and settings can be deleted');
SELECT is((SELECT count(*) FROM user_profiles p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)),
	0::bigint, 'no orphan profile remains');
SELECT is((SELECT count(*) FROM user_profiles WHERE org_id = pg_temp.default_org()), 5::bigint,
	'the deleted user''s profile went with them; the 5 demo profiles remain');
SELECT is((SELECT count(*) FROM user_settings WHERE org_id = pg_temp.default_org()), 5::bigint,
	'the deleted user''s settings went with them; the 5 demo settings rows remain');
SELECT lives_ok($$DELETE FROM users WHERE username = 'jane_tech'$$, 'a seeded user can be deleted');
SELECT is((SELECT count(*) FROM user_profiles p JOIN users u ON u.id = p.user_id), 4::bigint,
	'her profile is gone too');
SELECT is((SELECT count(*) FROM user_settings s JOIN users u ON u.id = s.user_id), 4::bigint,
	'her settings are gone too');

SELECT * FROM finish();
ROLLBACK;
