-- 0010_gamify_totals: the leaderboards' totals follow the ledger and the
-- attempts, their histograms follow the totals, ranks from the histogram
-- are the ranks of the whole board, who is shown follows settings, roles
-- and deletion, and the achievement counters follow the history.  The
-- commit-time histogram moves are made to happen at once (SET CONSTRAINTS
-- ... IMMEDIATE) so that one rolled-back transaction can look at them.

BEGIN;
SET client_min_messages = warning;
SELECT plan(41);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.hash() RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT '$2b$10$' || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), 53)
$$;
CREATE FUNCTION pg_temp.xp(p_user uuid, p_week date, p_exam uuid DEFAULT board_any_exam())
RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT value FROM board_totals WHERE user_id = p_user AND metric = 'xp'
		AND exam_id = p_exam AND week = p_week
$$;
CREATE FUNCTION pg_temp.award(p_user uuid, p_amount integer, p_key text,
	p_at timestamptz DEFAULT now(), p_type text DEFAULT NULL, p_id uuid DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO xp_events (org_id, user_id, source, amount, reason,
		idempotency_key, entity_type, entity_id, occurred_at)
	SELECT u.org_id, u.id, 'admin', p_amount, 'test', p_key, p_type, p_id, p_at
	FROM users u WHERE u.id = p_user
$$;
-- What a board's histogram says my rank is.
CREATE FUNCTION pg_temp.rank(p_user uuid, p_metric text, p_week date)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT 1 + coalesce((SELECT sum(c.n) FROM board_counts c
		WHERE c.org_id = b.org_id AND c.metric = b.metric
			AND c.exam_id = b.exam_id AND c.week = b.week
			AND c.value > b.counted), 0)
	FROM board_totals b
	WHERE b.user_id = p_user AND b.metric = p_metric
		AND b.exam_id = board_any_exam() AND b.week = p_week
		AND b.counted IS NOT NULL
$$;

INSERT INTO users (id, org_id, email, username, password_hash)
VALUES ('00000000-0000-4000-8000-00000000aa01', pg_temp.org(), 'weekly@x.test',
	'weekly_one', pg_temp.hash());

-- ---- XP by week and all time --------------------------------------------

-- Three awards in one statement, two weeks: Sunday 23:30 UTC is the week
-- before, Monday 00:00 UTC the new one.
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key, occurred_at)
VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'lesson', 20, 'a', 'k1', '2026-11-15 23:30Z'),
	(pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'lesson', 20, 'b', 'k2', '2026-11-16 00:00Z'),
	(pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'quiz', 15, 'c', 'k3', '2026-11-18 12:00Z');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '2026-11-09'), 20::numeric,
	'an award late on Sunday (UTC) counts in the week before');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '2026-11-16'), 35::numeric,
	'awards from Monday 00:00 UTC count in the new week, added up');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '-infinity'), 55::numeric,
	'all time adds up every week');

-- Another statement adds to the same rows; a repeat that the idempotency
-- key turns away adds nothing.
SELECT pg_temp.award('00000000-0000-4000-8000-00000000aa01', 50, 'k4', '2026-11-20 08:00Z');
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key, occurred_at)
VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'lesson', 20, 'b', 'k2', '2026-11-20 09:00Z')
ON CONFLICT (user_id, idempotency_key) DO NOTHING;
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '2026-11-16'), 85::numeric,
	'a later award adds to the week; a repeat turned away adds nothing');

-- A negative correction lowers it.
SELECT pg_temp.award('00000000-0000-4000-8000-00000000aa01', -5, 'k5', '2026-11-21 10:00Z');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '2026-11-16'), 80::numeric,
	'a correction takes XP off the week');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '-infinity'), 100::numeric,
	'and off all time');

SELECT throws_ok($$INSERT INTO board_totals (org_id, user_id, metric, exam_id, week, total, n, value)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-00000000aa01', 'xp', board_any_exam(), '2026-11-17', 1, 1, 1)$$,
	'23514', NULL, 'a week starts on a Monday');
INSERT INTO organizations (slug, name) VALUES ('weekly-other', 'Another one');
SELECT throws_ok($$INSERT INTO board_totals (org_id, user_id, metric, exam_id, week, total, n, value)
	SELECT o.id, '00000000-0000-4000-8000-00000000aa01', 'xp', board_any_exam(), '2026-11-23', 1, 1, 1
	FROM organizations o WHERE o.slug = 'weekly-other'$$,
	'23503', NULL, 'a total cannot pair a user with another organization');

-- ---- XP by exam -----------------------------------------------------------

-- An award about a question counts for the question's exam; one about an
-- attempt, for the attempt's; others for no exam.
SELECT pg_temp.award('00000000-0000-4000-8000-00000000aa01', 2, 'q1', '2026-11-20 10:00Z',
	'question', (SELECT id FROM questions WHERE exam_id = (SELECT id FROM exams WHERE code = 'network')
		AND deleted_at IS NULL ORDER BY id LIMIT 1));
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '2026-11-16',
	(SELECT id FROM exams WHERE code = 'network')), 2::numeric,
	'an answer''s XP counts on its exam''s board');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '-infinity',
	(SELECT id FROM exams WHERE code = 'security')), NULL,
	'and on no other exam''s');

-- ---- The whole install against its history --------------------------------

SET CONSTRAINTS ALL IMMEDIATE;
SELECT is_empty($$
	SELECT user_id, metric, exam_id, week, org_id, total, n, value FROM board_totals
	EXCEPT SELECT * FROM board_totals_fresh()$$,
	'no board total that the ledger and the attempts do not give');
SELECT is_empty($$
	SELECT * FROM board_totals_fresh()
	EXCEPT SELECT user_id, metric, exam_id, week, org_id, total, n, value FROM board_totals$$,
	'no total of the ledger or the attempts missing from the boards');
SELECT is_empty('SELECT * FROM board_counts_check()',
	'every histogram counts the shown learners at each value');
SELECT is_empty($$
	SELECT * FROM learner_stats EXCEPT SELECT * FROM learner_stats_fresh()
	UNION ALL
	(SELECT * FROM learner_stats_fresh() EXCEPT SELECT * FROM learner_stats)$$,
	'the achievement counters are the history''s');
SELECT is_empty($$
	SELECT * FROM learner_domain_stats EXCEPT SELECT * FROM learner_domain_stats_fresh()
	UNION ALL
	(SELECT * FROM learner_domain_stats_fresh() EXCEPT SELECT * FROM learner_domain_stats)$$,
	'the counters by exam and domain are the history''s');

-- ---- Ranks from the histogram are the board's ranks -----------------------

-- Forty learners of a new organization with tied values, some staff, some
-- hidden, one deleted.
-- Its default role is checked at commit (0020): its built-in roles are
-- made by a trigger after the row, which an immediate check would precede.
SET CONSTRAINTS organizations_default_role_fkey DEFERRED;
INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000000b0', 'rank-org', 'Ranks');
INSERT INTO users (id, org_id, email, username, password_hash, role)
SELECT ('00000000-0000-4000-8000-0000000001' || lpad(i::text, 2, '0'))::uuid,
	'00000000-0000-4000-8000-0000000000b0', 'r' || i || '@x.test',
	'rank_' || lpad(i::text, 2, '0'), pg_temp.hash(),
	CASE WHEN i % 10 = 0 THEN 'instructor' ELSE 'student' END
FROM generate_series(1, 40) i;
INSERT INTO user_settings (user_id, org_id, leaderboard_visibility)
SELECT id, org_id, CASE WHEN username IN ('rank_03', 'rank_17') THEN 'hidden'
	ELSE 'username' END
FROM users WHERE org_id = '00000000-0000-4000-8000-0000000000b0'
ON CONFLICT (user_id) DO UPDATE SET leaderboard_visibility = EXCLUDED.leaderboard_visibility;
SELECT pg_temp.award(id, 10 * (1 + (substr(username, 6)::integer * 7) % 9), 'r', now())
FROM users WHERE org_id = '00000000-0000-4000-8000-0000000000b0';
UPDATE users SET deleted_at = now() WHERE username = 'rank_05';
SET CONSTRAINTS ALL IMMEDIATE;

CREATE TEMP VIEW ranks AS
SELECT u.id, u.username, b.value,
	rank() OVER (ORDER BY b.value DESC) AS want,
	pg_temp.rank(u.id, 'xp', board_week(now())) AS got
FROM users u JOIN board_totals b ON b.user_id = u.id AND b.metric = 'xp'
	AND b.exam_id = board_any_exam() AND b.week = board_week(now())
LEFT JOIN user_settings s ON s.user_id = u.id
WHERE u.org_id = '00000000-0000-4000-8000-0000000000b0' AND u.role = 'student'
	AND u.deleted_at IS NULL AND s.leaderboard_visibility <> 'hidden';
SELECT is((SELECT count(*) FROM ranks), 33::bigint,
	'staff, the hidden and the deleted are left off the board');
SELECT is_empty('SELECT * FROM ranks WHERE want <> got',
	'each learner''s rank from the histogram is their rank on the whole board');
SELECT ok((SELECT count(DISTINCT value) < count(*) FROM ranks),
	'(with ties among them)');
SELECT is((SELECT sum(n) FROM board_counts WHERE org_id = '00000000-0000-4000-8000-0000000000b0'
	AND metric = 'xp' AND exam_id = board_any_exam() AND week = board_week(now())),
	33::bigint, 'the histogram''s sum is the number of entries');
SELECT is(pg_temp.rank('00000000-0000-4000-8000-000000000103', 'xp', board_week(now())), NULL,
	'a hidden learner has no rank');
SELECT is_empty('SELECT * FROM board_counts_check()', 'the histograms agree with the totals');

-- Shown and not shown, both ways.
UPDATE user_settings SET leaderboard_visibility = 'full_name'
WHERE user_id = '00000000-0000-4000-8000-000000000103';
UPDATE users SET deleted_at = NULL WHERE username = 'rank_05';
UPDATE organizations SET settings = settings || '{"leaderboard_include_staff": true}'
WHERE id = '00000000-0000-4000-8000-0000000000b0';
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT sum(n) FROM board_counts WHERE org_id = '00000000-0000-4000-8000-0000000000b0'
	AND metric = 'xp' AND week = '-infinity' AND exam_id = board_any_exam()),
	39::bigint, 'unhiding, restoring and including staff put them back on');
SELECT is_empty('SELECT * FROM board_counts_check()', 'and the histograms follow');
UPDATE users SET role = 'student' WHERE username = 'rank_10';
UPDATE organizations SET settings = settings - 'leaderboard_include_staff'
WHERE id = '00000000-0000-4000-8000-0000000000b0';
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT count(*) FROM board_totals WHERE shown AND org_id = '00000000-0000-4000-8000-0000000000b0'
	AND metric = 'xp' AND week = '-infinity' AND exam_id = board_any_exam()),
	36::bigint, 'staff leave with the setting; a new student stays');
SELECT is_empty('SELECT * FROM board_counts_check()', 'and the histograms follow again');

UPDATE users SET username = 'rank_renamed' WHERE username = 'rank_01';
SELECT is((SELECT DISTINCT username FROM board_totals
	WHERE user_id = '00000000-0000-4000-8000-000000000101'), 'rank_renamed',
	'a new username reaches the boards, for the order of ties');

-- A learner's rows go with them, and so do their counts.
DELETE FROM xp_events WHERE user_id = '00000000-0000-4000-8000-000000000102';
DELETE FROM users WHERE id = '00000000-0000-4000-8000-000000000102';
SELECT is((SELECT count(*) FROM board_totals WHERE user_id = '00000000-0000-4000-8000-000000000102'),
	0::bigint, 'a removed user leaves no totals');
SELECT is_empty('SELECT * FROM board_counts_check()', 'nor anything counted');

-- ---- Scores and counters from attempts -------------------------------------

-- Three assessments of one exam.
CREATE TEMP TABLE t_attempt AS
SELECT row_number() OVER (ORDER BY a.id) AS i, a.id AS assessment_id, a.org_id,
	a.exam_id, a.passing_percent
FROM assessments a
WHERE a.exam_id = (SELECT id FROM exams WHERE code = 'network') AND a.deleted_at IS NULL
ORDER BY a.id LIMIT 3;
INSERT INTO attempts (id, org_id, user_id, assessment_id, number, kind, exam_id,
	passing_percent, feedback, partial_credit, question_count, max_score)
SELECT ('00000000-0000-4000-8000-0000000002' || lpad(t.i::text, 2, '0'))::uuid,
	t.org_id, '00000000-0000-4000-8000-00000000aa01', t.assessment_id, 1, 'quiz',
	t.exam_id, t.passing_percent, 'end', false, 4, 4
FROM t_attempt t;
SELECT is((SELECT count(*) FROM board_totals WHERE user_id = '00000000-0000-4000-8000-00000000aa01'
	AND metric = 'score'), 0::bigint, 'an attempt in progress is on no score board');
UPDATE attempts SET status = 'submitted', finished_at = now(), score = v.s,
	correct_count = v.s::integer, percentage = v.p, passed = v.p >= 70,
	domain_scores = '{}'
FROM (VALUES ('00000000-0000-4000-8000-000000000201'::uuid, 4, 100),
	('00000000-0000-4000-8000-000000000202', 1, 25)) v (id, s, p)
WHERE attempts.id = v.id;
SELECT is((SELECT value FROM board_totals WHERE user_id = '00000000-0000-4000-8000-00000000aa01'
	AND metric = 'score' AND exam_id = board_any_exam() AND week = board_week(now())),
	62.50::numeric, 'finished attempts make the average score, this week');
SELECT is((SELECT value FROM board_totals WHERE user_id = '00000000-0000-4000-8000-00000000aa01'
	AND metric = 'score' AND exam_id = (SELECT id FROM exams WHERE code = 'network') AND week = '-infinity'),
	62.50::numeric, 'and on their exam''s board, all time');
SELECT is((SELECT (quizzes, perfect, high) FROM learner_stats
	WHERE user_id = '00000000-0000-4000-8000-00000000aa01')::text, '(2,1,1)',
	'the counters count finished attempts, perfect and high ones');
SELECT is((SELECT quizzes FROM learner_domain_stats WHERE user_id = '00000000-0000-4000-8000-00000000aa01'
	AND exam_id = (SELECT id FROM exams WHERE code = 'network') AND domain_code = ''), 2,
	'and by exam');
UPDATE attempts SET preview = true, status = 'submitted', finished_at = now(), score = 4,
	correct_count = 4, percentage = 100, passed = true, domain_scores = '{}'
WHERE id = '00000000-0000-4000-8000-000000000203';
SELECT is((SELECT n FROM board_totals WHERE user_id = '00000000-0000-4000-8000-00000000aa01'
	AND metric = 'score' AND exam_id = board_any_exam() AND week = '-infinity'), 2,
	'a preview counts nowhere');
DELETE FROM attempts WHERE id = '00000000-0000-4000-8000-000000000201';
SELECT is((SELECT value FROM board_totals WHERE user_id = '00000000-0000-4000-8000-00000000aa01'
	AND metric = 'score' AND exam_id = board_any_exam() AND week = '-infinity'), 25.00::numeric,
	'an attempt that goes takes its score with it');
SELECT is((SELECT (quizzes, perfect, high) FROM learner_stats
	WHERE user_id = '00000000-0000-4000-8000-00000000aa01')::text, '(1,0,0)',
	'and its counts');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is_empty($$
	SELECT user_id, metric, exam_id, week, org_id, total, n, value FROM board_totals
	EXCEPT SELECT * FROM board_totals_fresh()
	UNION ALL
	(SELECT * FROM board_totals_fresh()
	EXCEPT SELECT user_id, metric, exam_id, week, org_id, total, n, value FROM board_totals)$$,
	'after all that, the totals are still the history''s');

-- ---- The rebuild ----------------------------------------------------------

UPDATE board_totals SET value = 1, total = 1
WHERE user_id = '00000000-0000-4000-8000-00000000aa01' AND metric = 'xp' AND week = '-infinity'
	AND exam_id = board_any_exam();
DELETE FROM learner_stats WHERE user_id = '00000000-0000-4000-8000-00000000aa01';
UPDATE board_counts SET n = n + 3 WHERE org_id = '00000000-0000-4000-8000-0000000000b0';
SELECT ok((SELECT (r->>'board_totals')::int = 1 AND (r->>'learner_stats')::int = 1
		AND (r->>'board_counts')::int > 0 FROM gamify_rebuild() r),
	'the rebuild puts back a wrong total, a missing counter and wrong counts');
SELECT is(gamify_rebuild(), '{"board_bands": 0, "board_counts": 0, "board_totals": 0, "learner_stats": 0, "learner_domain_stats": 0}'::jsonb,
	'after which there is nothing left to change');
SELECT is_empty('SELECT * FROM board_counts_check()', 'the histograms agree after a rebuild');
SELECT is(pg_temp.xp('00000000-0000-4000-8000-00000000aa01', '-infinity'), 102::numeric,
	'and the total is the ledger''s again');

SELECT * FROM finish();
ROLLBACK;
