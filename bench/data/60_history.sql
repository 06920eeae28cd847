-- Bench data set, step 6: learners with a long history, for the "submit
-- with history" case (does a learner's ten-thousandth submit cost what
-- their first does?).  In an organization of their own, "history-lab", so
-- that nothing here changes what the other benchmarks read:
--
--   accounts 100001..100004  10,000 finished quizzes each (10 answers
--                            each, about 60 % right, over the last year),
--                            with the ledger, days and counters that go
--                            with them;
--   accounts 100005..100008  no history at all;
--   each of the eight        1,000 quizzes in progress, fully answered:
--                            what the case submits (bench.submit_pool,
--                            rows 200001.. and 300001..).
--
-- Sessions use the same tokens as the others ("bench-" and n in 37
-- digits).  10 questions (copies of Network+ domain 1.0 questions) and
-- 1,000 published quizzes drawn from them belong to the organization.

INSERT INTO organizations (slug, name, created_at, updated_at)
VALUES ('history-lab', 'History Lab', now() - interval '400 days',
	now() - interval '400 days');

CREATE TEMP TABLE h_users AS
SELECT n, gen_random_uuid() AS id,
	(SELECT id FROM organizations WHERE slug = 'history-lab') AS org_id,
	n <= 100004 AS heavy
FROM generate_series(100001, 100008) n;

INSERT INTO users (id, org_id, email, username, password_hash, role,
	email_verified_at, created_at, updated_at, password_changed_at)
SELECT h.id, h.org_id, 'history' || h.n || '@example.com',
	'history_' || h.n, (SELECT password_hash FROM users
		WHERE email = 'admin@network.test'),
	'student', now() - interval '400 days', now() - interval '400 days',
	now() - interval '400 days', now() - interval '400 days'
FROM h_users h;
INSERT INTO user_settings (user_id, org_id) SELECT id, org_id FROM h_users;
INSERT INTO user_profiles (user_id, org_id, first_name, last_name,
	display_name, timezone)
SELECT id, org_id, 'History', 'Learner ' || n, 'History ' || n, 'UTC'
FROM h_users;
INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, created_at,
	last_seen_at, expires_at, absolute_expires_at, ip, user_agent)
SELECT h.id, h.org_id,
	encode(sha256(convert_to('bench-' || lpad(h.n::text, 37, '0'), 'UTF8')),
		'hex'),
	md5(h.n::text || random()::text) || md5(random()::text),
	now() - interval '2 hours', now() - interval '10 minutes',
	now() + interval '14 days', now() + interval '28 days',
	('10.200.0.' || (h.n - 100000))::inet, 'Mozilla/5.0 (X11; Linux x86_64) Ludus bench'
FROM h_users h;
INSERT INTO bench.users
SELECT h.n, h.id, h.org_id, 'history_' || h.n, 'student',
	encode(sha256(convert_to('bench-' || lpad(h.n::text, 37, '0'), 'UTF8')),
		'hex')
FROM h_users h;

-- The questions: ten of the default organization's, copied.
CREATE TEMP TABLE h_questions AS
SELECT row_number() OVER (ORDER BY q.id) AS pos, gen_random_uuid() AS id,
	q.id AS source_id, q.type, q.stem, q.explanation, q.body, q.exam_id,
	q.domain_id, q.objective_codes, d.code AS domain_code
FROM questions q JOIN exam_domains d ON d.id = q.domain_id
WHERE q.org_id = (SELECT id FROM organizations WHERE is_default)
	AND q.exam_id = (SELECT id FROM exams WHERE code = 'network')
	AND d.code = '1.0' AND q.type = 'single_choice' AND q.deleted_at IS NULL
ORDER BY q.id LIMIT 10;
INSERT INTO questions (id, org_id, owner_id, content_hash, type, stem,
	explanation, body, exam_id, domain_id, objective_codes, status)
SELECT q.id, (SELECT id FROM organizations WHERE slug = 'history-lab'),
	(SELECT id FROM h_users WHERE n = 100001),
	encode(sha256(convert_to(q.type || q.stem || q.body::text || 'h', 'UTF8')),
		'hex'),
	q.type, q.stem, q.explanation, q.body, q.exam_id, q.domain_id,
	q.objective_codes, 'active'
FROM h_questions q;
-- A right and a wrong answer of each, in the question's own keys.
ALTER TABLE h_questions ADD COLUMN right_answer jsonb,
	ADD COLUMN wrong_answer jsonb;
UPDATE h_questions SET
	right_answer = jsonb_build_object('choice', (SELECT o->'key'
		FROM jsonb_array_elements(body->'options') o
		WHERE (o->>'correct')::boolean LIMIT 1)),
	wrong_answer = jsonb_build_object('choice', (SELECT o->'key'
		FROM jsonb_array_elements(body->'options') o
		WHERE NOT (o->>'correct')::boolean LIMIT 1));

-- 1,000 quizzes of those ten questions.
CREATE TEMP TABLE h_quizzes AS
SELECT i, gen_random_uuid() AS id FROM generate_series(1, 1000) i;
INSERT INTO assessments (id, org_id, owner_id, kind, title, exam_id,
	selection, question_count, passing_percent, feedback, partial_credit,
	status, published_at, created_at, updated_at)
SELECT z.id, (SELECT id FROM organizations WHERE slug = 'history-lab'),
	(SELECT id FROM h_users WHERE n = 100001), 'quiz',
	'History quiz ' || z.i, (SELECT id FROM exams WHERE code = 'network'),
	'fixed', 10, 70, 'end', true, 'published', now() - interval '399 days',
	now() - interval '399 days', now() - interval '399 days'
FROM h_quizzes z;
INSERT INTO assessment_questions (assessment_id, question_id, org_id,
	position)
SELECT z.id, q.id, (SELECT id FROM organizations WHERE slug = 'history-lab'),
	q.pos
FROM h_quizzes z, h_questions q;

-- The attempts: 10,000 finished for each heavy learner (ten at each quiz,
-- over the last year), then one open at each quiz for everyone.
CREATE TEMP TABLE h_attempts AS
SELECT gen_random_uuid() AS id, u.id AS user_id, u.org_id, u.n, z.id AS quiz,
	k AS number, k <= 10 AS finished,
	CASE WHEN k <= 10 THEN now() - interval '1 day'
		- interval '364 days' * random() ELSE now() - interval '1 hour' END
		AS started_at
FROM h_users u, h_quizzes z, generate_series(1, 11) k
WHERE u.heavy OR k = 11;
-- right answers: a pattern per attempt, 4 to 8 of the 10
CREATE TEMP TABLE h_answers AS
SELECT a.id AS attempt_id, q.pos,
	(hashtext(a.id::text || q.pos) & 1023) < 620 AS correct
FROM h_attempts a, h_questions q;
CREATE INDEX ON h_answers (attempt_id);

RESET ROLE;
SET session_replication_role = replica;
SET ROLE ludus;
INSERT INTO attempts (id, org_id, user_id, assessment_id, number, status,
	started_at, finished_at, kind, exam_id, passing_percent, feedback,
	partial_credit, question_count, max_score, score, correct_count,
	percentage, passed, domain_scores, time_taken_seconds)
SELECT a.id, a.org_id, a.user_id, a.quiz, a.number,
	CASE WHEN a.finished THEN 'submitted' ELSE 'in_progress' END,
	a.started_at, CASE WHEN a.finished THEN a.started_at + interval '6 minutes' END,
	'quiz', (SELECT id FROM exams WHERE code = 'network'), 70, 'end', true, 10, 10,
	CASE WHEN a.finished THEN s.c END, CASE WHEN a.finished THEN s.c END,
	CASE WHEN a.finished THEN s.c * 10 END,
	CASE WHEN a.finished THEN s.c >= 7 END,
	CASE WHEN a.finished THEN jsonb_build_object('1.0', jsonb_build_object(
		'questions', 10, 'correct', s.c, 'score', s.c, 'max_score', 10,
		'percent', s.c * 10)) END,
	CASE WHEN a.finished THEN 360 END
FROM h_attempts a
JOIN (SELECT attempt_id, count(*) FILTER (WHERE correct)::integer AS c
	FROM h_answers GROUP BY 1) s ON s.attempt_id = a.id;
INSERT INTO attempt_answers (attempt_id, started_at, user_id, org_id,
	question_id, position, points, type, stem, explanation, body, domain_code,
	objective_codes, layout, answer, answered_at, time_spent_seconds, credit,
	is_correct)
SELECT a.id, a.started_at, a.user_id, a.org_id, q.id, q.pos, 1, q.type,
	q.stem, q.explanation, q.body, q.domain_code, q.objective_codes,
	jsonb_build_object('options', (SELECT jsonb_agg(o->'key')
		FROM jsonb_array_elements(q.body->'options') o)),
	CASE WHEN s.correct THEN q.right_answer ELSE q.wrong_answer END,
	a.started_at + q.pos * interval '30 seconds', 30,
	CASE WHEN a.finished THEN s.correct::integer END,
	CASE WHEN a.finished THEN s.correct END
FROM h_attempts a
JOIN h_answers s ON s.attempt_id = a.id
JOIN h_questions q ON q.pos = s.pos;

-- What a year of those attempts earned: 10 XP each, 2 per question the
-- first time it was answered right, and a day of study for each day.
INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key, entity_type, entity_id, occurred_at)
SELECT a.org_id, a.user_id, 'quiz', 10, 'Quiz finished', 'attempt:' || a.id,
	'attempt', a.id, a.started_at + interval '6 minutes'
FROM h_attempts a WHERE a.finished
UNION ALL
SELECT * FROM (SELECT DISTINCT ON (a.user_id, q.id) a.org_id, a.user_id,
		'answer', 2, 'A question answered right', 'answer:' || q.id,
		'question', q.id, a.started_at + interval '6 minutes'
	FROM h_attempts a JOIN h_answers s ON s.attempt_id = a.id AND s.correct
	JOIN h_questions q ON q.pos = s.pos
	WHERE a.finished
	ORDER BY a.user_id, q.id, a.started_at) first_right;
INSERT INTO activity_days (user_id, day, org_id, attempts, study_seconds)
SELECT a.user_id, (a.started_at AT TIME ZONE 'UTC')::date, a.org_id,
	count(*)::integer, 360 * count(*)::integer
FROM h_attempts a WHERE a.finished
GROUP BY 1, 2, 3;
UPDATE user_profiles p SET xp = x.xp, level = xp_level(x.xp)
FROM (SELECT user_id, sum(amount) AS xp FROM xp_events
	WHERE org_id = (SELECT id FROM organizations WHERE slug = 'history-lab')
	GROUP BY 1) x
WHERE p.user_id = x.user_id;
RESET ROLE;
SET session_replication_role = DEFAULT;
SET ROLE ludus;

-- What the case submits: every open attempt, with the credits ludus would
-- compute, in bench.submit_pool (read by bench/pgbench/submit.sql and, as
-- history.txt and fresh.txt, by bench/wrk/submit.lua): the heavy learners'
-- from row 200001, the others' from 300001, the four learners in turn so
-- that wrk's thread t (of 4) always submits as the same learner.
INSERT INTO bench.submit_pool
SELECT CASE WHEN a.n <= 100004 THEN 200000 ELSE 300000 END
		+ row_number() OVER (PARTITION BY a.n <= 100004 ORDER BY z.i, a.n),
	a.n, a.id, a.started_at,
	'{' || string_agg(s.pos::text, ',' ORDER BY s.pos) || '}',
	'{' || string_agg(CASE WHEN s.correct THEN '1.00000' ELSE '0.00000' END,
		',' ORDER BY s.pos) || '}',
	count(*) FILTER (WHERE s.correct),
	10 * count(*) FILTER (WHERE s.correct),
	count(*) FILTER (WHERE s.correct) >= 7,
	jsonb_build_object('1.0', jsonb_build_object('questions', 10,
		'correct', count(*) FILTER (WHERE s.correct),
		'score', count(*) FILTER (WHERE s.correct), 'max_score', 10,
		'percent', 10 * count(*) FILTER (WHERE s.correct)))::text
FROM h_attempts a JOIN h_quizzes z ON z.id = a.quiz
JOIN h_answers s ON s.attempt_id = a.id
WHERE NOT a.finished
GROUP BY a.n, a.id, a.started_at, z.i;
