-- 0006_xp_weekly: the weekly XP totals follow the ledger: awards in one
-- statement or many, across weeks (Monday 00:00 UTC), repeats that pay
-- nothing, and the whole install agreeing with its ledger.  All in one
-- rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(9);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.week(p_user uuid, p_week date) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT xp FROM xp_weekly WHERE user_id = p_user AND week = p_week
$$;

INSERT INTO users (id, org_id, email, username, password_hash)
VALUES ('00000000-0000-4000-8000-00000000aa01', pg_temp.org(), 'weekly@x.test',
	'weekly_one', '$2b$10$' || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), 53));

-- Three awards in one statement, two weeks: Sunday 23:30 UTC is the week
-- before, Monday 00:00 UTC the new one.
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key, occurred_at)
VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'lesson', 20, 'a', 'k1', '2026-11-15 23:30Z'),
	(pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'lesson', 20, 'b', 'k2', '2026-11-16 00:00Z'),
	(pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'quiz', 15, 'c', 'k3', '2026-11-18 12:00Z');
SELECT is(pg_temp.week('00000000-0000-4000-8000-00000000aa01', '2026-11-09'), 20::bigint,
	'an award late on Sunday (UTC) counts in the week before');
SELECT is(pg_temp.week('00000000-0000-4000-8000-00000000aa01', '2026-11-16'), 35::bigint,
	'awards from Monday 00:00 UTC count in the new week, added up');

-- Another statement adds to the same row; a repeat that the idempotency
-- key turns away adds nothing.
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key, occurred_at)
VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'achievement', 50, 'd', 'k4', '2026-11-20 08:00Z');
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key, occurred_at)
VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'lesson', 20, 'b', 'k2', '2026-11-20 09:00Z')
ON CONFLICT (user_id, idempotency_key) DO NOTHING;
SELECT is(pg_temp.week('00000000-0000-4000-8000-00000000aa01', '2026-11-16'), 85::bigint,
	'a later award adds to the week; a repeat turned away adds nothing');

-- A negative correction lowers it.
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key, occurred_at)
VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'admin', -5, 'e', 'k5', '2026-11-21 10:00Z');
SELECT is(pg_temp.week('00000000-0000-4000-8000-00000000aa01', '2026-11-16'), 80::bigint,
	'a correction takes XP off the week');

SELECT throws_ok($$INSERT INTO xp_weekly (org_id, user_id, week, xp)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', '2026-11-17', 1)$$,
	'23514', NULL, 'a week starts on a Monday');
INSERT INTO organizations (slug, name) VALUES ('weekly-other', 'Another one');
SELECT throws_ok($$INSERT INTO xp_weekly (org_id, user_id, week, xp)
	SELECT o.id, '00000000-0000-4000-8000-00000000aa01', '2026-11-23', 1
	FROM organizations o WHERE o.slug = 'weekly-other'$$,
	'23503', NULL, 'a week''s row cannot pair a user with another organization');

-- The whole install: every learner's weeks are their ledger's.
SELECT is_empty($$
	SELECT user_id, week, xp FROM xp_weekly
	EXCEPT
	SELECT user_id, date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date, sum(amount)
	FROM xp_events GROUP BY 1, 2$$,
	'no weekly total that the ledger does not give');
SELECT is_empty($$
	SELECT user_id, date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date, sum(amount)
	FROM xp_events GROUP BY 1, 2
	EXCEPT
	SELECT user_id, week, xp FROM xp_weekly$$,
	'no week of the ledger missing from the weekly totals');

-- A deleted user's weeks go with them.
DELETE FROM xp_events WHERE user_id = '00000000-0000-4000-8000-00000000aa01';
DELETE FROM users WHERE id = '00000000-0000-4000-8000-00000000aa01';
SELECT is((SELECT count(*) FROM xp_weekly WHERE user_id = '00000000-0000-4000-8000-00000000aa01'),
	0::bigint, 'a removed user leaves no weekly rows');

SELECT * FROM finish();
ROLLBACK;
