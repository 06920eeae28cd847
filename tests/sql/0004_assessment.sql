-- 0004_assessment: the question bank, assessments, attempts and answers.
--
-- questions: the CHECKs (type, stem, difficulty, status, external_id form,
-- hash form, body an object, objectives need an exam), the unique
-- external id per organization, questions_before_write (the domain follows
-- the first objective, objectives must be the exam's, a given domain must
-- hold the first objective, the version moves on).  question_json and
-- question_flags.  assessments: kind, feedback, window order, a
-- simulation needs an exam, rules need a count, status <-> published_at,
-- the version.  attempts: one in progress per learner and assessment, the
-- number is unique, the result columns come together, score within
-- max_score.  attempt_answers: partitioned by month (this month's
-- partition takes the rows), tied to the attempt's start and learner, credit and is_correct
-- agree.  The demo seed: the bank and its assessments.  All in one
-- rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(54);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.uid(p_username text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = p_username
$$;
CREATE FUNCTION pg_temp.exam(p_code text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM exams WHERE code = p_code
$$;
CREATE FUNCTION pg_temp.hash(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT md5(p) || md5(p || 'x')
$$;

-- A question of the instructor's with the given objectives.
CREATE FUNCTION pg_temp.q(p_stem text, p_objectives text[] DEFAULT '{1.4}',
	p_exam text DEFAULT 'network') RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO questions (org_id, owner_id, content_hash, type, stem, body,
		exam_id, objective_codes, status)
	VALUES (pg_temp.org(), pg_temp.uid('instructor'), pg_temp.hash(p_stem),
		'single_choice', p_stem, '{"options": []}', pg_temp.exam(p_exam),
		p_objectives, 'active')
	RETURNING id
$$;

-- ---- questions -----------------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.q('pgtap one')$$, 'a question goes in');
SELECT is((SELECT d.code FROM questions q JOIN exam_domains d ON d.id = q.domain_id
	WHERE q.stem = 'pgtap one'), '1.0', 'the domain follows the first objective');
SELECT is((SELECT version FROM questions WHERE stem = 'pgtap one'), 1, 'version 1');
UPDATE questions SET difficulty = 4 WHERE stem = 'pgtap one';
SELECT is((SELECT version FROM questions WHERE stem = 'pgtap one'), 2,
	'the version moves on with a change');
SELECT throws_ok($$SELECT pg_temp.q('pgtap bad objective', '{9.9}')$$, '23514',
	NULL, 'an objective that is not the exam''s is refused');
SELECT throws_ok($$SELECT pg_temp.q('pgtap no exam', '{1.4}', 'nope')$$, '23514',
	NULL, 'objectives without an exam are refused');
SELECT throws_ok($$UPDATE questions SET domain_id = (SELECT d.id FROM exam_domains d
	WHERE d.exam_id = pg_temp.exam('network') AND d.code = '3.0')
	WHERE stem = 'pgtap one'$$, '23514', NULL,
	'a domain that does not hold the first objective is refused');
SELECT lives_ok($$UPDATE questions SET objective_codes = '{2.1,1.4}', domain_id = NULL
	WHERE stem = 'pgtap one'$$, 'objectives of two domains: the first one decides');
SELECT is((SELECT d.code FROM questions q JOIN exam_domains d ON d.id = q.domain_id
	WHERE q.stem = 'pgtap one'), '2.0', 'the domain follows the new first objective');
SELECT throws_ok($$UPDATE questions SET type = 'essay' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'an unknown type is refused');
SELECT throws_ok($$UPDATE questions SET stem = '   ' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'a blank stem is refused');
SELECT throws_ok($$UPDATE questions SET difficulty = 6 WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'difficulty is 1..5');
SELECT throws_ok($$UPDATE questions SET status = 'published' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'status is draft, active or retired');
SELECT throws_ok($$UPDATE questions SET external_id = 'has space' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'an external id has no spaces');
SELECT throws_ok($$UPDATE questions SET content_hash = 'abc' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'the content hash is 64 hex digits');
SELECT throws_ok($$UPDATE questions SET body = '[]' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'the body is an object');
SELECT throws_ok($$UPDATE questions SET tags = '{"Bad Tag"}' WHERE stem = 'pgtap one'$$,
	'23514', NULL, 'tags follow tags_ok');
UPDATE questions SET external_id = 'PGTAP-1' WHERE stem = 'pgtap one';
SELECT lives_ok($$SELECT pg_temp.q('pgtap two')$$, 'a second question');
SELECT throws_ok($$UPDATE questions SET external_id = 'PGTAP-1' WHERE stem = 'pgtap two'$$,
	'23505', NULL, 'an external id is unique in the organization');
SELECT is((SELECT (question_json(q))->>'domain' FROM questions q WHERE stem = 'pgtap one'),
	'2.0', 'question_json names the domain by code');
SELECT is((SELECT (question_json(q))->>'exam' FROM questions q WHERE stem = 'pgtap one'),
	'network', 'question_json names the exam by code');

-- ---- question_flags ------------------------------------------------------

SELECT is(question_flags(9, 0.5, -0.3, '{A}'), '{}'::text[],
	'fewer than 10 attempts: no flags');
SELECT is(question_flags(10, 0.5, -0.3, '{}'), '{negative_discrimination}'::text[],
	'a negative discrimination is flagged');
SELECT is(question_flags(10, 0.5, 0.3, '{C}'), '{unused_option}'::text[],
	'an option nobody picks is flagged');
SELECT is(question_flags(40, 0.1, 0.05, '{}'), '{low_discrimination,very_hard}'::text[],
	'low discrimination and very hard');
SELECT is(question_flags(40, 0.99, NULL, '{}'), '{very_easy}'::text[],
	'very easy; no discrimination without variance');

-- ---- assessments ---------------------------------------------------------

CREATE FUNCTION pg_temp.a(p_title text, p_kind text DEFAULT 'quiz',
	p_exam text DEFAULT NULL) RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO assessments (org_id, owner_id, kind, title, exam_id)
	VALUES (pg_temp.org(), pg_temp.uid('instructor'), p_kind, p_title,
		pg_temp.exam(p_exam))
	RETURNING id
$$;
SELECT lives_ok($$SELECT pg_temp.a('pgtap quiz')$$, 'a quiz goes in');
SELECT throws_ok($$SELECT pg_temp.a('pgtap sim', 'exam_simulation')$$, '23514', NULL,
	'an exam simulation needs an exam');
SELECT throws_ok($$SELECT pg_temp.a('pgtap test', 'test')$$, '23514', NULL,
	'kind is quiz, practice_exam or exam_simulation');
SELECT throws_ok($$UPDATE assessments SET selection = 'rules' WHERE title = 'pgtap quiz'$$,
	'23514', NULL, 'drawing by rules needs a question count');
SELECT throws_ok($$UPDATE assessments SET available_from = now(),
	available_until = now() - interval '1 hour' WHERE title = 'pgtap quiz'$$,
	'23514', NULL, 'the window ends after it opens');
SELECT throws_ok($$UPDATE assessments SET status = 'published' WHERE title = 'pgtap quiz'$$,
	'23514', NULL, 'published needs published_at');
SELECT throws_ok($$UPDATE assessments SET passing_percent = 101 WHERE title = 'pgtap quiz'$$,
	'23514', NULL, 'the passing percentage is 0..100');
SELECT throws_ok($$UPDATE assessments SET time_limit_seconds = 10 WHERE title = 'pgtap quiz'$$,
	'23514', NULL, 'a time limit is at least a minute');
SELECT throws_ok($$UPDATE assessments SET feedback = 'never' WHERE title = 'pgtap quiz'$$,
	'23514', NULL, 'feedback is immediate or end');
UPDATE assessments SET title = 'pgtap quiz 2' WHERE title = 'pgtap quiz';
SELECT is((SELECT version FROM assessments WHERE title = 'pgtap quiz 2'), 2,
	'the assessment''s version moves on');

-- ---- attempts and answers ------------------------------------------------

CREATE FUNCTION pg_temp.attempt(p_user text, p_number integer DEFAULT 1)
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO attempts (org_id, user_id, assessment_id, number, kind,
		passing_percent, feedback, partial_credit, question_count, max_score)
	SELECT pg_temp.org(), pg_temp.uid(p_user), a.id, p_number, 'quiz', 70,
		'end', true, 1, 1
	FROM assessments a WHERE a.title = 'pgtap quiz 2'
	RETURNING id
$$;
SELECT lives_ok($$SELECT pg_temp.attempt('sarah_network')$$, 'an attempt starts');
SELECT throws_ok($$SELECT pg_temp.attempt('sarah_network', 2)$$, '23505', NULL,
	'one attempt in progress per learner and assessment');
SELECT lives_ok($$SELECT pg_temp.attempt('mike_netplus')$$,
	'another learner has an attempt of their own');
SELECT throws_ok($$UPDATE attempts SET status = 'submitted'
	WHERE user_id = pg_temp.uid('sarah_network')$$, '23514', NULL,
	'a finished attempt has finished_at and a result');
SELECT throws_ok($$UPDATE attempts SET status = 'submitted', finished_at = now(),
	score = 1 WHERE user_id = pg_temp.uid('sarah_network')$$, '23514', NULL,
	'the result columns come together');
SELECT throws_ok($$UPDATE attempts SET status = 'submitted', finished_at = now(),
	score = 2, percentage = 100, passed = true, correct_count = 1,
	domain_scores = '{}' WHERE user_id = pg_temp.uid('sarah_network')$$, '23514',
	NULL, 'the score is at most the maximum');
SELECT throws_ok($$UPDATE attempts SET deadline_at = started_at - interval '1 second'
	WHERE user_id = pg_temp.uid('sarah_network')$$, '23514', NULL,
	'the deadline comes after the start');

INSERT INTO attempt_answers (attempt_id, started_at, user_id, org_id,
	question_id, position, points, type, stem, body, layout)
SELECT t.id, t.started_at, t.user_id, t.org_id, q.id, 1, 1, q.type, q.stem,
	q.body, '{"options": []}'
FROM attempts t, questions q
WHERE t.user_id = pg_temp.uid('sarah_network') AND q.stem = 'pgtap one';
SELECT is((SELECT tableoid::regclass::text FROM attempt_answers
	WHERE user_id = pg_temp.uid('sarah_network')),
	'attempt_answers_' || to_char(now(), 'YYYY_MM'),
	'answers land in the partition of their attempt''s month');
SELECT throws_ok($$INSERT INTO attempt_answers (attempt_id, started_at, user_id,
	org_id, question_id, position, points, type, stem, body, layout)
	SELECT t.id, t.started_at + interval '1 second', t.user_id, t.org_id, q.id,
		2, 1, q.type, q.stem, q.body, '{}'
	FROM attempts t, questions q
	WHERE t.user_id = pg_temp.uid('sarah_network') AND q.stem = 'pgtap two'$$,
	'23503', NULL, 'an answer carries its attempt''s start');
SELECT throws_ok($$INSERT INTO attempt_answers (attempt_id, started_at, user_id,
	org_id, question_id, position, points, type, stem, body, layout)
	SELECT t.id, t.started_at, pg_temp.uid('mike_netplus'), t.org_id, q.id, 2, 1,
		q.type, q.stem, q.body, '{}'
	FROM attempts t, questions q
	WHERE t.user_id = pg_temp.uid('sarah_network') AND q.stem = 'pgtap two'$$,
	'23503', NULL, 'an answer belongs to the attempt''s learner');
SELECT throws_ok($$INSERT INTO attempt_answers (attempt_id, started_at, user_id,
	org_id, question_id, position, points, type, stem, body, layout)
	SELECT t.id, t.started_at, t.user_id, t.org_id, q.id, 1, 1, q.type, q.stem,
		q.body, '{}'
	FROM attempts t, questions q
	WHERE t.user_id = pg_temp.uid('sarah_network') AND q.stem = 'pgtap two'$$,
	'23505', NULL, 'one question per position');
SELECT throws_ok($$UPDATE attempt_answers SET credit = 0.5, is_correct = true
	WHERE user_id = pg_temp.uid('sarah_network')$$, '23514', NULL,
	'is_correct means full credit');
SELECT throws_ok($$UPDATE attempt_answers SET answer = '{"choice": "A"}'
	WHERE user_id = pg_temp.uid('sarah_network')$$, '23514', NULL,
	'an answer has its time');
SELECT lives_ok($$DELETE FROM attempts WHERE user_id = pg_temp.uid('sarah_network')$$,
	'deleting an attempt takes its answers along');

-- ---- the demo seed -------------------------------------------------------

SELECT ok((SELECT count(*) FROM questions q WHERE q.exam_id = pg_temp.exam('network')
	AND q.status = 'active' AND q.external_id LIKE 'N10-009-%') >= 100,
	'the seed holds at least 100 Network+ questions of our own');
SELECT is((SELECT count(*)::int FROM questions WHERE external_id LIKE 'S000-%'), 15,
	'and seed 000''s 15');
SELECT is((SELECT count(DISTINCT d.code)::int FROM questions q
	JOIN exam_domains d ON d.id = q.domain_id WHERE q.external_id LIKE 'N10-009-%'), 5,
	'every domain has questions');
SELECT is((SELECT array_agg(kind || ':' || coalesce(question_count, 0) ORDER BY id)
	FROM assessments WHERE id::text LIKE '4e700009-0000-4000-8000-0000000009%'),
	'{quiz:10,quiz:10,quiz:10,quiz:10,practice_exam:15,exam_simulation:90}'::text[],
	'a quiz per domain, a practice exam and a full simulation');

SELECT * FROM finish();
ROLLBACK;
