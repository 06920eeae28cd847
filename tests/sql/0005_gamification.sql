-- 0005_gamification: the level curve (xp_level), the XP ledger (append
-- only, one award per idempotency key), activity_touch (local days in the
-- learner's time zone, across daylight-saving changes; the streak: +1
-- after yesterday, freezes that cover missed days, a freeze every 7th
-- day, at most 2; the daily goal met once), streak_now, notifications
-- (one per dedupe key), the constraints of goals and avatars, and the
-- seeded achievements and avatars.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(49);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.uid(p_username text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = p_username
$$;
-- A learner of their own in a time zone.
CREATE FUNCTION pg_temp.learner(p_name text, p_tz text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	u uuid;
BEGIN
	INSERT INTO users (org_id, email, username, password_hash)
	VALUES (pg_temp.org(), p_name || '@gamify.test', p_name,
		'$2b$10$' || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), 53))
	RETURNING id INTO u;
	INSERT INTO user_profiles (user_id, org_id, timezone) VALUES (u, pg_temp.org(), p_tz);
	INSERT INTO user_settings (user_id, org_id, daily_goal_minutes) VALUES (u, pg_temp.org(), 10);
	RETURN u;
END
$$;
-- An event at a moment: (day, new_day, streak, goal_met) as text.
CREATE FUNCTION pg_temp.touch(p_user uuid, p_at timestamptz, p_seconds integer DEFAULT 0)
RETURNS text LANGUAGE sql AS $$
	SELECT day || ' ' || new_day || ' ' || streak || ' ' || goal_met
	FROM activity_touch(p_user, pg_temp.org(), p_at, 0, 0, p_seconds)
$$;
CREATE FUNCTION pg_temp.streak(p_user uuid) RETURNS text LANGUAGE sql AS $$
	SELECT current_streak || '/' || longest_streak || '/' || freezes_available
	FROM learning_streaks WHERE user_id = p_user
$$;

-- ---- the level curve -----------------------------------------------------

SELECT is(xp_level(0), 1, 'no XP: level 1');
SELECT is(xp_level(99), 1, '99 XP: still level 1');
SELECT is(xp_level(100), 2, 'level 2 starts at 100 XP');
SELECT is(xp_level(299), 2, '299 XP: level 2');
SELECT is(xp_level(300), 3, 'level 3 at 300 XP');
SELECT is(xp_level(1000), 5, 'level 5 at 1000 XP');
SELECT is(xp_level(4500), 10, 'level 10 at 4500 XP');
SELECT is(xp_level(122500), 50, 'level 50 at 122500 XP');
SELECT is(xp_level(-5), 1, 'a negative total is level 1');
SELECT ok((SELECT bool_and(xp_level(50 * n * (n - 1)) = n
	AND xp_level(50 * n * (n - 1) - 1) = n - 1) FROM generate_series(2, 200) n),
	'every level n starts exactly at 50 n (n - 1) XP');

-- ---- the ledger ----------------------------------------------------------

DO $$ BEGIN PERFORM pg_temp.learner('gm_ledger', 'UTC'); END $$;
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key)
VALUES (pg_temp.org(), pg_temp.uid('gm_ledger'), 'lesson', 20, 'Lesson', 'lesson:x');
SELECT throws_ok($$INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key) VALUES (pg_temp.org(), pg_temp.uid('gm_ledger'), 'lesson', 20,
	'Lesson', 'lesson:x')$$, '23505', NULL, 'one award per idempotency key');
SELECT lives_ok($$INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key) VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), 'lesson', 20,
	'Lesson', 'lesson:x')$$, 'the same key for another learner is another award');
SELECT throws_ok($$UPDATE xp_events SET amount = 1000
	WHERE user_id = pg_temp.uid('gm_ledger')$$, '42501', NULL,
	'XP events cannot be changed');
SELECT throws_ok($$INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key) VALUES (pg_temp.org(), pg_temp.uid('gm_ledger'), 'lesson', 0,
	'Nothing', 'zero')$$, '23514', NULL, 'an award is never 0 XP');
SELECT throws_ok($$INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key) VALUES (pg_temp.org(), pg_temp.uid('gm_ledger'), 'luck', 5,
	'Luck', 'luck')$$, '23514', NULL, 'the source is one of the known ones');

-- ---- days and streaks ----------------------------------------------------

DO $$ BEGIN PERFORM pg_temp.learner('gm_ny', 'America/New_York'); END $$;
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-10-30 12:00Z'),
	'2026-10-30 true 1 false', 'the first day: a streak of 1');
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-10-30 20:00Z'),
	'2026-10-30 false 1 false', 'the same day again: nothing new');
-- 03:30Z on 31 October is still the 30th in New York (EDT, UTC-4).
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-10-31 03:30Z'),
	'2026-10-30 false 1 false', 'the local day decides, not UTC''s');
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-10-31 14:00Z'),
	'2026-10-31 true 2 false', 'the next local day: 2');
-- Clocks go back at 02:00 on 1 November: that day has 25 hours.  04:30Z
-- is 00:30 EDT on the 1st; 04:30Z the next day is 23:30 EST, still the 1st.
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-11-01 04:30Z'),
	'2026-11-01 true 3 false', 'the first minutes of the 25-hour day');
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-11-02 04:30Z'),
	'2026-11-01 false 3 false', 'its last hour (now EST) is the same day');
SELECT is(pg_temp.touch(pg_temp.uid('gm_ny'), '2026-11-02 05:30Z'),
	'2026-11-02 true 4 false', 'midnight EST starts the next one');
SELECT is(pg_temp.streak(pg_temp.uid('gm_ny')), '4/4/0', 'current 4, longest 4');

-- Spring forward (8 March 2026 has 23 hours in New York).
DO $$ BEGIN PERFORM pg_temp.learner('gm_spring', 'America/New_York'); END $$;
SELECT is(pg_temp.touch(pg_temp.uid('gm_spring'), '2026-03-08 04:59Z'),
	'2026-03-07 true 1 false', '23:59 EST on the 7th');
SELECT is(pg_temp.touch(pg_temp.uid('gm_spring'), '2026-03-09 03:59Z'),
	'2026-03-08 true 2 false', '23:59 EDT on the 8th: the short day counts');

-- The same moment is two different days far apart.
DO $$ BEGIN PERFORM pg_temp.learner('gm_east', 'Pacific/Kiritimati'); END $$;
DO $$ BEGIN PERFORM pg_temp.learner('gm_west', 'Pacific/Pago_Pago'); END $$;
SELECT is(split_part(pg_temp.touch(pg_temp.uid('gm_east'), '2026-06-15 12:00Z'), ' ', 1),
	'2026-06-16', 'UTC+14: already tomorrow');
SELECT is(split_part(pg_temp.touch(pg_temp.uid('gm_west'), '2026-06-15 12:00Z'), ' ', 1),
	'2026-06-15', 'UTC-11: still today');

-- A week in a row earns a freeze; a missed day spends it.
DO $$ BEGIN PERFORM pg_temp.learner('gm_week', 'UTC'); END $$;
DO $$ BEGIN PERFORM pg_temp.touch(pg_temp.uid('gm_week'),
	('2026-01-0' || d || ' 10:00Z')::timestamptz) FROM generate_series(1, 7) d; END $$;
SELECT is(pg_temp.streak(pg_temp.uid('gm_week')), '7/7/1', 'seven days: a freeze earned');
SELECT is(pg_temp.touch(pg_temp.uid('gm_week'), '2026-01-09 10:00Z'),
	'2026-01-09 true 8 false', 'one day missed: the freeze covers it');
SELECT is(pg_temp.streak(pg_temp.uid('gm_week')), '8/8/0', 'the freeze is spent');
SELECT is((SELECT frozen FROM activity_days WHERE user_id = pg_temp.uid('gm_week')
	AND day = '2026-01-08'), true, 'the missed day is marked frozen');
SELECT is(pg_temp.touch(pg_temp.uid('gm_week'), '2026-01-11 10:00Z'),
	'2026-01-11 true 1 false', 'a day missed without a freeze: back to 1');
SELECT is(pg_temp.streak(pg_temp.uid('gm_week')), '1/8/0', 'the longest stays');

DO $$ BEGIN PERFORM pg_temp.learner('gm_cap', 'UTC'); END $$;
DO $$ BEGIN PERFORM pg_temp.touch(pg_temp.uid('gm_cap'),
	('2026-02-01 10:00Z'::timestamptz + d * interval '1 day'))
	FROM generate_series(0, 27) d; END $$;
SELECT is(pg_temp.streak(pg_temp.uid('gm_cap')), '28/28/2', 'freezes stop at 2');

-- The daily goal (10 minutes here) is met once a day.
DO $$ BEGIN PERFORM pg_temp.learner('gm_goal', 'UTC'); END $$;
SELECT is(pg_temp.touch(pg_temp.uid('gm_goal'), '2026-04-01 10:00Z', 300),
	'2026-04-01 true 1 false', '5 minutes: not yet');
SELECT is(pg_temp.touch(pg_temp.uid('gm_goal'), '2026-04-01 10:10Z', 300),
	'2026-04-01 false 1 true', '10 minutes: the goal is met');
SELECT is(pg_temp.touch(pg_temp.uid('gm_goal'), '2026-04-01 10:20Z', 300),
	'2026-04-01 false 1 false', 'and met only once that day');
INSERT INTO study_goals (org_id, user_id, kind, target)
VALUES (pg_temp.org(), pg_temp.uid('gm_goal'), 'daily_minutes', 1);
SELECT is(pg_temp.touch(pg_temp.uid('gm_goal'), '2026-04-02 10:00Z', 60),
	'2026-04-02 true 2 true', 'an active daily goal of 1 minute wins over the setting');

SELECT is(streak_now(pg_temp.uid('gm_goal')), 0,
	'days ago without freezes: the streak as of now is 0');
UPDATE learning_streaks SET last_activity_date = (now() AT TIME ZONE 'UTC')::date - 1
WHERE user_id = pg_temp.uid('gm_goal');
SELECT is(streak_now(pg_temp.uid('gm_goal')), 2, 'studied yesterday: the streak holds');

-- ---- goals, notifications, avatars ---------------------------------------

SELECT throws_ok($$INSERT INTO study_goals (org_id, user_id, kind, target)
	VALUES (pg_temp.org(), pg_temp.uid('gm_goal'), 'daily_minutes', 5)$$, '23505',
	NULL, 'one active goal of a kind');
SELECT throws_ok($$INSERT INTO study_goals (org_id, user_id, kind)
	VALUES (pg_temp.org(), pg_temp.uid('gm_goal'), 'exam_date')$$, '23514', NULL,
	'an exam date goal names the exam and the date');
SELECT throws_ok($$UPDATE study_goals SET status = 'completed'
	WHERE user_id = pg_temp.uid('gm_goal')$$, '23514', NULL,
	'a completed goal has its completion time');
INSERT INTO notifications (org_id, user_id, kind, title, dedupe_key)
VALUES (pg_temp.org(), pg_temp.uid('gm_goal'), 'level_up', 'Level 2', 'level:2');
SELECT throws_ok($$INSERT INTO notifications (org_id, user_id, kind, title, dedupe_key)
	VALUES (pg_temp.org(), pg_temp.uid('gm_goal'), 'level_up', 'Level 2', 'level:2')$$,
	'23505', NULL, 'one notification per dedupe key');
SELECT throws_ok($$INSERT INTO avatars (code, name, description, image_url, rarity,
	is_default) VALUES ('gm-odd', 'Odd', 'Odd', '/a.svg', 'epic', true)$$, '23514',
	NULL, 'only common avatars are everybody''s');

-- ---- the seed ------------------------------------------------------------

SELECT is((SELECT count(*)::int FROM achievements), 31, '31 achievements');
SELECT is((SELECT count(DISTINCT category)::int FROM achievements), 11, 'in eleven categories');
SELECT is((SELECT array_agg(rarity || ':' || n ORDER BY rarity) FROM (SELECT rarity,
	count(*) AS n FROM avatars GROUP BY rarity) x),
	'{common:3,epic:7,legendary:5,rare:3}'::text[], '18 avatars in four rarities');
SELECT is((SELECT count(*)::int FROM achievements WHERE avatar_id IS NOT NULL), 15,
	'every avatar that is not common is unlocked by an achievement');

SELECT * FROM finish();
ROLLBACK;
