-- Bench data set, step 5: what the load generators pick from, in the
-- schema `bench` (a few megabytes; counted in the data set's size).
--
--   bench.users       account n (1..100000): id, organization, username and
--                     the SHA-256 of session n's token;
--   bench.courses, bench.lessons, bench.quizzes: the bench content, numbered;
--                     a quiz carries the questions an attempt at it would
--                     freeze (for pgbench, which cannot draw them in C);
--   bench.save_pool   single-choice questions of the 5,000 open attempts;
--   bench.submit_pool the 25,000 open, fully answered attempts, with the
--                     positions and credits ludus would compute;
--   bench.terms       search words (and a few misspellings).

CREATE TABLE bench.users (n integer PRIMARY KEY, user_id uuid NOT NULL,
	org_id uuid NOT NULL, username text NOT NULL, role text NOT NULL,
	token_hash text NOT NULL);
INSERT INTO bench.users
SELECT g.n, g.id, g.org_id, u.username, g.role,
	encode(sha256(convert_to('bench-' || lpad(g.n::text, 37, '0'), 'UTF8')), 'hex')
FROM g_users g JOIN users u ON u.id = g.id;

CREATE TABLE bench.courses (i integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench.courses SELECT i, id FROM g_courses;

CREATE TABLE bench.lessons (i integer PRIMARY KEY, id uuid NOT NULL,
	course_id uuid NOT NULL);
INSERT INTO bench.lessons SELECT i, id, course_id FROM g_lessons;

CREATE TABLE bench.quizzes (i integer PRIMARY KEY, id uuid NOT NULL,
	exam_id uuid NOT NULL, domain_code text NOT NULL, items text NOT NULL);
INSERT INTO bench.quizzes
SELECT row_number() OVER (ORDER BY a.exam_pos, a.dom_i), a.id, a.exam_id,
	a.domain_code,
	(SELECT jsonb_agg(jsonb_build_object('question_id', q.id,
		'position', q.k_domain + 1, 'points', '1.00', 'layout', q.layout)
		ORDER BY q.k_domain)
	FROM g_qmeta q WHERE q.exam_id = a.exam_id AND q.domain_code = a.domain_code
		AND q.k_domain < 10)::text
FROM g_assessments a WHERE a.kind = 'quiz';

CREATE TABLE bench.save_pool (i integer PRIMARY KEY, n integer NOT NULL,
	attempt_id uuid NOT NULL, started_at timestamptz NOT NULL,
	question_id uuid NOT NULL);
INSERT INTO bench.save_pool
SELECT row_number() OVER (ORDER BY a.n, s.pos), a.n, a.id, a.started_at,
	s.question_id
FROM g_att a JOIN g_ans s ON s.k = a.k
JOIN g_qmeta q ON q.id = s.question_id AND q.type = 'single_choice'
WHERE a.pool = 'save';

CREATE TABLE bench.submit_pool (i integer PRIMARY KEY, n integer NOT NULL,
	attempt_id uuid NOT NULL, started_at timestamptz NOT NULL,
	positions text NOT NULL, credits text NOT NULL, correct integer NOT NULL,
	percentage numeric NOT NULL, passed boolean NOT NULL,
	domain_scores text NOT NULL);
INSERT INTO bench.submit_pool
SELECT row_number() OVER (ORDER BY a.n), a.n, a.id, a.started_at,
	'{' || string_agg(s.pos::text, ',' ORDER BY s.pos) || '}',
	'{' || string_agg(CASE WHEN s.correct THEN '1.00000' ELSE '0.00000' END,
		',' ORDER BY s.pos) || '}',
	count(*) FILTER (WHERE s.correct),
	round(100.0 * count(*) FILTER (WHERE s.correct) / count(*), 2),
	100.0 * count(*) FILTER (WHERE s.correct) / count(*) >= a.passing,
	jsonb_build_object(min(a.domain_code), jsonb_build_object(
		'questions', count(*), 'correct', count(*) FILTER (WHERE s.correct),
		'score', count(*) FILTER (WHERE s.correct), 'max_score', count(*),
		'percent', round(100.0 * count(*) FILTER (WHERE s.correct) / count(*), 2)))::text
FROM g_att a JOIN g_ans s ON s.k = a.k
WHERE a.pool = 'submit'
GROUP BY a.n, a.id, a.started_at, a.passing;

CREATE TABLE bench.terms (i integer PRIMARY KEY, term text NOT NULL);
INSERT INTO bench.terms
SELECT row_number() OVER (ORDER BY t), t
FROM (SELECT DISTINCT unnest(vocab) AS t FROM words
	UNION ALL SELECT unnest(ARRAY['subneting', 'firewal', 'kerberoes',
		'spaning tree', 'dhcp server', 'vlan trunk', 'ransomeware',
		'troubleshoting'])) x;
