-- Bench data set, step 4½: what learners leave behind besides progress and
-- attempts, made from the rows of step 4 (the tables, not its temporary
-- ones, so that this file also runs alone on an existing data set):
--
--   learning_sessions one to three sessions for each lesson a learner has
--                     opened, splitting its time_spent_seconds between
--                     them, the last one of a completed lesson marked as
--                     the one that completed it; all ended (at their last
--                     heartbeat, as sessions_close_stale leaves them),
--                     except a few hundred open now (learners studying as
--                     the bench runs);
--   study_clocks      each of those learners' clock, at the last heartbeat;
--   bookmarks         about a fifth of the learners who have studied keep
--                     one to six bookmarks on lessons they opened, a third
--                     of them with a note;
--   study_goals       about a third of the learners have an active daily
--                     minutes goal (its target the daily_goal_minutes of
--                     their settings, so that activity_days.goal_met_at
--                     stays right), 15 % a weekly lessons goal, 20 % an
--                     exam date in the next four months; and the past:
--                     abandoned daily goals, completed exam dates.
--
-- Ids are the table's own (uuid_v7: in order, cheap to index).  Which rows
-- exist is deterministic (hashes, not random()); loaded without
-- row-by-row foreign-key checks like step 4 (every key comes from a row of
-- its target).
SET client_min_messages = warning;
RESET ROLE;
SET session_replication_role = replica;
SET ROLE ludus;

-- Each progress row, numbered, with how many sessions it took.
CREATE TEMP TABLE g_ls AS
SELECT p.user_id, p.org_id, p.lesson_id, p.status, p.started_at,
	p.updated_at, greatest(p.time_spent_seconds, 60) AS seconds,
	CASE WHEN p.status = 'completed' THEN 1 + (hashint4(r) & 1023) % 3
		ELSE 1 + (hashint4(r) & 1023) % 2 END AS k,
	r
FROM (SELECT p.*, (row_number() OVER (ORDER BY p.user_id, p.lesson_id))::int AS r
	FROM lesson_progress p) p;

-- Session s (1..k) of a row: an equal share of its time, the sessions
-- spread between started_at and updated_at (the last one ends there).
INSERT INTO learning_sessions (user_id, org_id, lesson_id, started_at,
	last_heartbeat_at, ended_at, seconds_counted, completion_achieved)
SELECT g.user_id, g.org_id, g.lesson_id, x.at, x.at + x.len,
	x.at + x.len, extract(epoch FROM x.len)::int,
	g.status = 'completed' AND s = g.k
FROM g_ls g
CROSS JOIN LATERAL generate_series(1, g.k) s
CROSS JOIN LATERAL (SELECT make_interval(secs => g.seconds / g.k) AS len) l
CROSS JOIN LATERAL (SELECT greatest(g.started_at, g.updated_at - l.len
		- (g.k - s) * greatest(g.updated_at - g.started_at - l.len,
			interval '0') / g.k) AS at, l.len) x
ORDER BY g.user_id, x.at;

-- A few hundred learners are studying right now: an open session each,
-- its last heartbeat less than five minutes ago.
INSERT INTO learning_sessions (user_id, org_id, lesson_id, started_at,
	last_heartbeat_at, seconds_counted)
SELECT g.user_id, g.org_id, g.lesson_id,
	now() - interval '20 minutes' + (g.r % 600) * interval '1 second',
	now() - (g.r % 240) * interval '1 second', 600 + g.r % 300
FROM g_ls g
WHERE g.status = 'in_progress' AND hashint4(g.r * 31) & 255 = 7;

INSERT INTO study_clocks (user_id, org_id, counted_until)
SELECT user_id, min(org_id::text)::uuid, max(last_heartbeat_at)
FROM learning_sessions GROUP BY user_id;

-- Bookmarks: a quarter of the learners, on about one lesson in four they
-- opened (so about a fifth have any), six at most each.
INSERT INTO bookmarks (user_id, lesson_id, org_id, note, created_at,
	updated_at)
SELECT b.user_id, b.lesson_id, b.org_id,
	CASE WHEN b.r % 3 = 0 THEN (ARRAY['Review before the exam.',
		'Good summary of the topic.', 'Come back to the diagram.',
		'Hard one: read again.', 'Notes for the lab.'])[1 + b.r % 5] END,
	b.started_at + interval '3 minutes', b.started_at + interval '3 minutes'
FROM (SELECT g.*, row_number() OVER (PARTITION BY g.user_id ORDER BY g.r) AS m
	FROM g_ls g
	WHERE hashint4(hashtext(g.user_id::text)) & 3 = 0
		AND hashint4(g.r * 7) & 3 = 0) b
WHERE b.m <= 6;

-- Goals of the learners with a profile (students, instructors, admins
-- alike: anybody may set one), by a hash of the account.
CREATE TEMP TABLE g_gu AS
SELECT u.id AS user_id, u.org_id, u.created_at, s.daily_goal_minutes,
	hashint4(hashtext(u.id::text)) & 1023 AS h
FROM users u JOIN user_settings s ON s.user_id = u.id
WHERE u.deleted_at IS NULL;

INSERT INTO study_goals (org_id, user_id, kind, target, exam_id, target_date,
	status, created_at, updated_at, completed_at)
-- active daily minutes: 35 %
SELECT g.org_id, g.user_id, 'daily_minutes', g.daily_goal_minutes, NULL::uuid,
	NULL::date, 'active', g.created_at + interval '1 day',
	g.created_at + interval '1 day', NULL::timestamptz
FROM g_gu g WHERE g.h < 358
UNION ALL
-- an earlier daily goal, abandoned: 10 %
SELECT g.org_id, g.user_id, 'daily_minutes', 10 + g.h % 50, NULL, NULL,
	'abandoned', g.created_at + interval '2 hours',
	g.created_at + interval '1 day', NULL
FROM g_gu g WHERE g.h < 102
UNION ALL
-- active weekly lessons: 15 %
SELECT g.org_id, g.user_id, 'weekly_lessons', 3 + g.h % 8, NULL, NULL,
	'active', g.created_at + interval '3 days', g.created_at + interval '3 days',
	NULL
FROM g_gu g WHERE g.h BETWEEN 300 AND 453
UNION ALL
-- active exam date: 20 %, an exam in the next four months
SELECT g.org_id, g.user_id, 'exam_date', NULL,
	(SELECT id FROM exams ORDER BY position, code OFFSET g.h % 4 LIMIT 1),
	(now() + (10 + g.h % 110) * interval '1 day')::date, 'active',
	g.created_at + interval '5 days', g.created_at + interval '5 days', NULL
FROM g_gu g WHERE g.h BETWEEN 500 AND 704
UNION ALL
-- an exam date met before: 5 %
SELECT g.org_id, g.user_id, 'exam_date', NULL,
	(SELECT id FROM exams ORDER BY position, code OFFSET (g.h + 1) % 4 LIMIT 1),
	(g.created_at + interval '60 days')::date, 'completed',
	g.created_at + interval '4 days', g.created_at + interval '50 days',
	g.created_at + interval '50 days'
FROM g_gu g WHERE g.h BETWEEN 650 AND 700 AND g.created_at < now() - interval '60 days';

DROP TABLE g_ls, g_gu;

RESET ROLE;
SET session_replication_role = DEFAULT;
SET ROLE ludus;
