-- Bench data set, step 3: 200,000 attempts with their answers (about 2.1
-- million rows of attempt_answers, spread over the monthly partitions of
-- the last 13 months).
--
--   170,000 finished attempts over the past year by learners of the default
--           organization, the most active learners taking many (a skewed
--           pick); 97 % quizzes (10 questions), 2.5 % practice exams (30),
--           0.5 % exam simulations (90); each learner has a skill (the
--           chance of a right answer) and a favourite exam;
--    25,000 quizzes in progress, every question answered: what the
--           "submit" benchmark submits (accounts 55001..80000, one each);
--     5,000 quizzes in progress, half answered: what the "save answer"
--           benchmark answers (accounts 80001..85000, one each).
--
-- An answer row freezes the question as ludus does (type, stem, body,
-- domain, objectives and the layout of its options); answers are stored in
-- the question's keys; finished attempts are scored (credit 1 or 0) with
-- their domain breakdown and, for practice exams and simulations, the
-- scaled score as ludus computes it.

CREATE TEMP TABLE g_exams AS
SELECT e.id, e.position AS pos, e.code, e.scale_min, e.passing_score,
	e.scale_max, (SELECT count(*) FROM exam_domains d WHERE d.exam_id = e.id)::int
		AS ndom
FROM exams e;

ALTER TABLE g_assessments ADD COLUMN exam_pos integer,
	ADD COLUMN dom_i integer;
UPDATE g_assessments a SET exam_pos = e.pos,
	dom_i = split_part(a.domain_code, '.', 1)::integer
FROM g_exams e WHERE e.id = a.exam_id;

CREATE TEMP TABLE g_domcount AS
SELECT exam_id, domain_code, count(*)::int AS c FROM g_qmeta GROUP BY 1, 2;

CREATE TEMP TABLE g_att AS
WITH t0 AS (
	-- A finished attempt's time first: the last year, growing (5 % of
	-- them in the last week); then its learner among those who had signed
	-- up by then, the earlier ones more likely (they come back more).
	SELECT k, CASE WHEN t.at IS NULL THEN NULL
			ELSE 1 + floor(greatest(1, floor(90000 * extract(epoch FROM
				t.at - (now() - interval '400 days')) / extract(epoch FROM
				interval '398 days')) - 1) * power(random(), 1.3))::int END AS n_then,
		t.at
	FROM (SELECT k, CASE WHEN k <= 170000 THEN now() - interval '2 hours'
		- interval '363 days' * power(random(), 1.3) END AS at
		FROM generate_series(1, 200000) k) t
), a0 AS (
	SELECT k,
		CASE WHEN k <= 170000 THEN least(n_then, 90000)
			WHEN k <= 195000 THEN 55001 + (k - 170001)
			ELSE 80001 + (k - 195001) END AS n, at,
		CASE WHEN k <= 170000 THEN 'finished' WHEN k <= 195000 THEN 'submit'
			ELSE 'save' END AS pool,
		random() AS r_kind, random() AS r_fav, random() AS r_exam,
		random() AS r_dom, random() AS r_time, random() AS r_dur,
		floor(random() * 1000)::int AS qoff
	FROM t0
), b AS (
	SELECT a.*, u.id AS user_id, u.org_id, u.created_at AS user_created,
		u.skill,
		CASE WHEN a.pool <> 'finished' OR a.r_kind < 0.97 THEN 'quiz'
			WHEN a.r_kind < 0.995 THEN 'practice_exam'
			ELSE 'exam_simulation' END AS kind,
		CASE WHEN a.r_fav < 0.75 THEN 1 + (hashint4(a.n * 17) & 1023) % 4
			ELSE 1 + floor(a.r_exam * 4)::int END AS exam_pos
	FROM a0 a JOIN g_users u ON u.n = a.n
), c AS (
	SELECT b.*, x.id AS assessment_id, x.exam_id, x.domain_code,
		x.n AS qcount, x.seconds AS time_limit, x.pass AS passing,
		CASE WHEN b.pool = 'finished'
			THEN greatest(b.at, b.user_created + interval '1 hour')
			ELSE now() - interval '1 minute' - interval '30 minutes' * b.r_time
			END AS started_at
	FROM b
	JOIN g_exams e ON e.pos = b.exam_pos
	JOIN g_assessments x ON x.exam_id = e.id AND x.kind = b.kind
		AND (b.kind <> 'quiz' OR x.dom_i = 1 + floor(b.r_dom * e.ndom)::int)
)
SELECT c.*,
	-- a version 7 id of the start time, as uuid_v7() makes at the time
	encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
		placing substring(int8send(floor(extract(epoch FROM c.started_at)
			* 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1),
		'hex')::uuid AS id,
	make_interval(secs => CASE c.kind
		WHEN 'quiz' THEN 180 + 720 * c.r_dur
		WHEN 'practice_exam' THEN 1200 + 1400 * c.r_dur
		ELSE 3000 + 2300 * c.r_dur END) AS duration,
	row_number() OVER (PARTITION BY c.user_id, c.assessment_id
		ORDER BY c.started_at) AS number
FROM c;
CREATE UNIQUE INDEX ON g_att (k);
ANALYZE g_att;

-- The questions of each attempt: consecutive ones of the quiz's domain
-- (or of the exam) from a random offset.
CREATE TEMP TABLE g_ans AS
SELECT a.k, p AS pos, q.id AS question_id, random() < a.skill AS correct,
	CASE a.pool WHEN 'finished' THEN random() >= 0.03 WHEN 'submit' THEN true
		ELSE p % 2 = 0 END AS answered
FROM g_att a
JOIN g_domcount d ON d.exam_id = a.exam_id AND d.domain_code = a.domain_code
CROSS JOIN LATERAL generate_series(1, a.qcount) p
JOIN g_qmeta q ON q.exam_id = a.exam_id AND q.domain_code = a.domain_code
	AND q.k_domain = (a.qoff + p - 1) % d.c
WHERE a.kind = 'quiz';
INSERT INTO g_ans
SELECT a.k, p, q.id, random() < a.skill, random() >= 0.03
FROM g_att a
CROSS JOIN LATERAL generate_series(1, a.qcount) p
JOIN g_qmeta q ON q.exam_id = a.exam_id AND q.k_exam = (a.qoff + p - 1) % 250
WHERE a.kind <> 'quiz';
CREATE INDEX ON g_ans (k);
ANALYZE g_ans;

-- Scores of the finished attempts, with the breakdown by domain.
CREATE TEMP TABLE g_score AS
WITH d AS (
	SELECT s.k, coalesce(q.domain_code, 'none') AS code, count(*) AS questions,
		count(*) FILTER (WHERE s.answered AND s.correct) AS correct
	FROM g_ans s JOIN g_att a ON a.k = s.k AND a.pool = 'finished'
	JOIN g_qmeta q ON q.id = s.question_id
	GROUP BY 1, 2
)
SELECT d.k, sum(d.correct)::int AS correct, sum(d.questions)::int AS questions,
	jsonb_object_agg(d.code, jsonb_build_object('questions', d.questions,
		'correct', d.correct, 'score', d.correct, 'max_score', d.questions,
		'percent', round(100.0 * d.correct / d.questions, 2))) AS domains
FROM d GROUP BY d.k;
CREATE UNIQUE INDEX ON g_score (k);

-- Attempts and their answers go in with triggers off (a superuser's
-- session_replication_role): the foreign keys of the biggest table by far
-- are not checked row by row (every value comes from a join on the rows
-- they point to), which takes a minute off the load, and the totals that
-- triggers keep as attempts finish (migration 0010) are made at the end
-- by gamify_rebuild() (90_finish.sql), in one pass.
RESET ROLE;
SET session_replication_role = replica;
SET ROLE ludus;
INSERT INTO attempts (id, org_id, user_id, assessment_id, number, status,
	started_at, deadline_at, finished_at, kind, exam_id, passing_percent,
	feedback, partial_credit, question_count, max_score, preview, score,
	correct_count, percentage, passed, scaled_score, domain_scores,
	time_taken_seconds)
SELECT a.id, a.org_id, a.user_id, a.assessment_id, a.number,
	CASE WHEN a.pool = 'finished' THEN 'submitted' ELSE 'in_progress' END,
	a.started_at, a.started_at + make_interval(secs => a.time_limit),
	CASE WHEN a.pool = 'finished' THEN a.started_at + a.duration END,
	a.kind, a.exam_id, a.passing, 'end', a.kind <> 'exam_simulation',
	a.qcount, a.qcount, false,
	s.correct, s.correct, round(100.0 * s.correct / s.questions, 2),
	round(100.0 * s.correct / s.questions, 2) >= a.passing,
	-- score_scaled() of src/assessment/score.c
	CASE WHEN a.pool = 'finished' AND a.kind <> 'quiz' THEN (
		SELECT CASE WHEN p >= a.passing THEN round(e.passing_score
				+ (e.scale_max - e.passing_score) * (p - a.passing)
				/ (100 - a.passing))::int
			ELSE least(e.passing_score - 1, round(e.scale_min
				+ (e.passing_score - e.scale_min) * p / a.passing))::int END
		FROM g_exams e, round(100.0 * s.correct / s.questions, 2) p
		WHERE e.id = a.exam_id) END,
	s.domains,
	CASE WHEN a.pool = 'finished' THEN extract(epoch FROM a.duration)::int END
FROM g_att a LEFT JOIN g_score s ON s.k = a.k
ORDER BY a.started_at;

INSERT INTO attempt_answers (attempt_id, started_at, user_id, org_id,
	question_id, position, points, type, stem, explanation, body, domain_code,
	objective_codes, layout, answer, answered_at, changes, flagged,
	time_spent_seconds, credit, is_correct)
SELECT a.id, a.started_at, a.user_id, a.org_id, s.question_id, s.pos, 1,
	q.type, q.stem, q.explanation, q.body, q.domain_code, q.objectives,
	q.layout,
	CASE WHEN s.answered THEN CASE WHEN s.correct THEN q.right_answer
		ELSE q.wrong_answer END END,
	CASE WHEN s.answered THEN a.started_at + s.pos * (CASE WHEN a.pool = 'finished'
		THEN a.duration / (a.qcount + 1) ELSE interval '2 seconds' END) END,
	CASE WHEN s.answered AND s.pos % 7 = 0 THEN 1 ELSE 0 END,
	s.pos % 19 = 0,
	CASE WHEN s.answered THEN 5 + (s.k + s.pos) % 80 ELSE 0 END,
	CASE WHEN a.pool = 'finished' THEN
		CASE WHEN s.answered AND s.correct THEN 1 ELSE 0 END END,
	CASE WHEN a.pool = 'finished' THEN s.answered AND s.correct END
FROM g_ans s
JOIN g_att a ON a.k = s.k
JOIN g_qmeta q ON q.id = s.question_id;
RESET ROLE;
SET session_replication_role = DEFAULT;
SET ROLE ludus;
