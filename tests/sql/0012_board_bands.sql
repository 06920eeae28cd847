-- 0012_board_bands: every value falls in its band, the bands follow the
-- values' counts through moves, hiding and removal, a rank read from the
-- bands (as the leaderboard query reads it) is the learner's rank on the
-- whole board, and the rebuild puts wrong bands right.

BEGIN;
SET client_min_messages = warning;
SELECT plan(24);

-- ---- The bands ------------------------------------------------------------

SELECT is(board_band('xp', 3), 1, 'XP 3 is in band 1 (1 to 3)');
SELECT is(board_band('xp', 4), 2, 'XP 4 starts band 2');
SELECT is(board_band('xp', 8), 2, 'XP 8 ends it');
SELECT is(board_band_end('xp', 2), 9::numeric, 'and 9 is past it');
SELECT is(board_band('score', 99.99), 99, 'a score of 99.99 is in band 99');
SELECT is(board_band('score', 100), 100, 'and 100 in band 100');
SELECT is(board_band('xp', NULL), NULL, 'nothing counted: no band');
SELECT is_empty($$
	SELECT v FROM generate_series(1, 5000) v
	WHERE NOT (v < board_band_end('xp', board_band('xp', v))
		AND (board_band('xp', v) = 0
			OR v >= board_band_end('xp', board_band('xp', v) - 1)))$$,
	'each XP value from 1 to 5,000 is within its band''s bounds');
SELECT is_empty($$
	SELECT v FROM (SELECT i / 100.0 AS v FROM generate_series(0, 10000) i) s
	WHERE NOT (v < board_band_end('score', board_band('score', v))
		AND (board_band('score', v) = 0
			OR v >= board_band_end('score', board_band('score', v) - 1)))$$,
	'and each score from 0.00 to 100.00');

SELECT is(board_exam(NULL), board_any_exam(), 'no exam code: the every-exam board');
SELECT is(board_exam('network'), (SELECT id FROM exams WHERE code = 'network'),
	'an exam code: its exam');
SELECT is(board_exam('nope'), NULL, 'an unknown code: no board');

-- ---- A board's ranks from its bands ---------------------------------------

CREATE FUNCTION pg_temp.hash() RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT '$2b$10$' || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), 53)
$$;
-- My rank as the leaderboard query reads it: the bands above mine, then
-- the values above mine within my band.
CREATE FUNCTION pg_temp.rank(p_user uuid, p_metric text)
RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT 1 + coalesce((SELECT sum(c.n) FROM board_bands c
			WHERE (c.org_id, c.metric, c.exam_id, c.week)
				= (b.org_id, b.metric, b.exam_id, b.week)
			AND c.band > board_band(b.metric, b.counted)), 0)
		+ coalesce((SELECT sum(c.n) FROM board_counts c
			WHERE (c.org_id, c.metric, c.exam_id, c.week)
				= (b.org_id, b.metric, b.exam_id, b.week)
			AND c.value > b.counted
			AND c.value < board_band_end(b.metric,
				board_band(b.metric, b.counted))), 0)
	FROM board_totals b
	WHERE b.user_id = p_user AND b.metric = p_metric
		AND b.exam_id = board_any_exam() AND b.week = '-infinity'
		AND b.counted IS NOT NULL
$$;

INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000000c0', 'band-org', 'Bands');
INSERT INTO users (id, org_id, email, username, password_hash)
SELECT ('00000000-0000-4000-8000-0000000002' || lpad(i::text, 2, '0'))::uuid,
	'00000000-0000-4000-8000-0000000000c0', 'b' || i || '@x.test',
	'band_' || lpad(i::text, 2, '0'), pg_temp.hash()
FROM generate_series(1, 60) i;
-- (as signing up makes them)
INSERT INTO user_settings (user_id, org_id)
SELECT id, org_id FROM users WHERE org_id = '00000000-0000-4000-8000-0000000000c0';
-- XP on and around the bands' edges (squares, one below, one above), with
-- ties; scores on and around whole percents, with ties.
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key)
SELECT org_id, id, 'admin', (ARRAY[1, 3, 4, 8, 9, 10, 15, 16, 17, 99, 100, 101,
	120, 121, 144, 16, 9, 100])[1 + substr(username, 6)::integer % 18], 'test', 'b1'
FROM users WHERE org_id = '00000000-0000-4000-8000-0000000000c0';
INSERT INTO board_totals (user_id, metric, exam_id, week, org_id, total, n, value)
SELECT id, 'score', board_any_exam(), '-infinity', org_id, s, 1, s
FROM (SELECT id, org_id, (ARRAY[0, 0.01, 0.99, 1, 49.5, 50, 50, 99.99, 100,
	100, 75.25, 75.26])[1 + substr(username, 6)::integer % 12] AS s
	FROM users WHERE org_id = '00000000-0000-4000-8000-0000000000c0') x;
SET CONSTRAINTS ALL IMMEDIATE;

CREATE TEMP VIEW ranks AS
SELECT b.metric, u.username, b.value,
	rank() OVER (PARTITION BY b.metric ORDER BY b.value DESC) AS want,
	pg_temp.rank(u.id, b.metric) AS got
FROM users u JOIN board_totals b ON b.user_id = u.id
	AND b.exam_id = board_any_exam() AND b.week = '-infinity' AND b.shown
WHERE u.org_id = '00000000-0000-4000-8000-0000000000c0';

SELECT is((SELECT count(*) FROM ranks), 120::bigint, 'sixty learners on two boards');
SELECT is_empty('SELECT * FROM ranks WHERE want <> got',
	'each rank read from the bands is the rank on the whole board');
SELECT is_empty('SELECT * FROM board_bands_check()',
	'the bands are the sums of the values'' counts');
SELECT is((SELECT sum(n) FROM board_bands WHERE org_id = '00000000-0000-4000-8000-0000000000c0'
	AND metric = 'xp' AND week = '-infinity' AND exam_id = board_any_exam()),
	60::bigint, 'the bands'' sum is the number of entries');

-- Moves within a band and across bands, a learner hidden, one removed.
INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key)
SELECT org_id, id, 'admin', CASE WHEN substr(username, 6)::integer % 2 = 0 THEN 1 ELSE 40 END,
	'test', 'b2'
FROM users WHERE org_id = '00000000-0000-4000-8000-0000000000c0'
	AND substr(username, 6)::integer % 3 = 0;
UPDATE board_totals SET value = value - 0.5, total = total - 0.5
WHERE metric = 'score' AND value >= 0.5
	AND org_id = '00000000-0000-4000-8000-0000000000c0'
	AND user_id IN (SELECT id FROM users WHERE substr(username, 6)::integer % 4 = 1);
UPDATE user_settings SET leaderboard_visibility = 'hidden'
WHERE user_id = '00000000-0000-4000-8000-000000000207';
DELETE FROM users WHERE id = '00000000-0000-4000-8000-000000000211';
SET CONSTRAINTS ALL IMMEDIATE;

SELECT is((SELECT count(*) FROM ranks), 116::bigint,
	'the hidden and the removed learners leave both boards');
SELECT is_empty('SELECT * FROM ranks WHERE want <> got',
	'after the moves, each rank from the bands is still the board''s');
SELECT is_empty('SELECT * FROM board_bands_check()', 'and the bands follow the values');
SELECT is((SELECT sum(n) FROM board_bands WHERE org_id = '00000000-0000-4000-8000-0000000000c0'
	AND metric = 'score' AND week = '-infinity' AND exam_id = board_any_exam()),
	58::bigint, 'the bands'' sum follows the entries');

-- ---- The rebuild ----------------------------------------------------------

SELECT is_empty($$SELECT * FROM (SELECT gamify_rebuild()) r
	WHERE NOT gamify_rebuild ? 'board_bands'$$, 'the rebuild reports the bands');
UPDATE board_bands SET n = n + 2 WHERE org_id = '00000000-0000-4000-8000-0000000000c0'
	AND metric = 'xp' AND band = 3;
DELETE FROM board_bands WHERE org_id = '00000000-0000-4000-8000-0000000000c0'
	AND metric = 'xp' AND band = 4;
SELECT ok(((SELECT gamify_rebuild()) ->> 'board_bands')::integer > 0,
	'it puts back a wrong band and a missing one');
SELECT is(((SELECT gamify_rebuild()) ->> 'board_bands')::integer, 0,
	'after which there is nothing left to change');
-- (The score rows written straight into board_totals above are not the
-- attempts' history, so the rebuild took them away again.)
SELECT is_empty('SELECT * FROM board_bands_check()', 'and the bands agree');

SELECT * FROM finish();
ROLLBACK;
