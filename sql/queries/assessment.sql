-- Assessments and attempts.

-- name: assessment_get
-- $1 assessment, $2 org, $3 user, $4 role: the assessment with my
-- attempts at it (with the seconds left of the one in progress, when it
-- has a deadline), if I may see it (published, or I may edit it); editors
-- also get the question list and the rules.
WITH a AS (
	SELECT a.*, ($4::boolean OR a.owner_id = $3) AS can_edit
	FROM assessments a WHERE a.id = $1 AND a.org_id = $2
), mine AS (
	SELECT count(*) AS used,
		max(percentage) FILTER (WHERE status <> 'in_progress') AS best,
		(SELECT t.id FROM attempts t WHERE t.assessment_id = $1
			AND t.user_id = $3 AND t.status = 'in_progress') AS open,
		(SELECT CASE WHEN t.deadline_at IS NOT NULL THEN greatest(0,
			floor(extract(epoch FROM t.deadline_at - now())))::bigint END
			FROM attempts t
			WHERE t.assessment_id = $1 AND t.user_id = $3
			AND t.status = 'in_progress') AS open_left
	FROM attempts WHERE assessment_id = $1 AND user_id = $3
)
SELECT json_build_object('id', a.id, 'kind', a.kind, 'title', a.title,
	'description', a.description,
	'exam', (SELECT code FROM exams WHERE id = a.exam_id),
	'lesson_id', a.lesson_id, 'selection', a.selection,
	'question_count', CASE WHEN a.selection = 'rules' THEN a.question_count
		ELSE (SELECT count(*) FROM assessment_questions k
			JOIN questions q ON q.id = k.question_id
			WHERE k.assessment_id = a.id AND q.deleted_at IS NULL
			AND q.status = 'active') END,
	'shuffle_questions', a.shuffle_questions,
	'shuffle_options', a.shuffle_options,
	'time_limit_seconds', a.time_limit_seconds,
	'passing_percent', a.passing_percent, 'max_attempts', a.max_attempts,
	'available_from', a.available_from, 'available_until', a.available_until,
	'feedback', a.feedback, 'partial_credit', a.partial_credit,
	'status', a.status, 'version', a.version, 'can_edit', a.can_edit,
	'deleted_at', a.deleted_at,
	'open_now', (a.available_from IS NULL OR a.available_from <= now())
		AND (a.available_until IS NULL OR a.available_until > now()),
	'my_attempts', json_build_object('used', m.used, 'best_percent', m.best,
		'in_progress', m.open, 'seconds_left', m.open_left,
		'left', CASE WHEN a.max_attempts IS NOT NULL
			THEN greatest(a.max_attempts - m.used, 0) END),
	'rules', CASE WHEN a.can_edit THEN a.rules END,
	'questions', CASE WHEN a.can_edit THEN coalesce((SELECT json_agg(
		json_build_object('question_id', k.question_id, 'points', k.points,
			'position', k.position, 'status', q.status,
			'deleted', q.deleted_at IS NOT NULL,
			'stem', left(q.stem, 200)) ORDER BY k.position)
		FROM assessment_questions k JOIN questions q ON q.id = k.question_id
		WHERE k.assessment_id = a.id), '[]') END), a.version
FROM a, mine m
WHERE (a.deleted_at IS NULL AND a.status = 'published') OR a.can_edit

-- name: assessment_source
-- $1 assessment, $2 org: its fields as the API takes them, to merge a
-- change into.
SELECT json_build_object('title', a.title, 'description', a.description,
	'kind', a.kind, 'exam', (SELECT code FROM exams WHERE id = a.exam_id),
	'lesson_id', a.lesson_id, 'selection', a.selection, 'rules', a.rules,
	'question_count', a.question_count,
	'shuffle_questions', a.shuffle_questions,
	'shuffle_options', a.shuffle_options,
	'time_limit_seconds', a.time_limit_seconds,
	'passing_percent', a.passing_percent, 'max_attempts', a.max_attempts,
	'available_from', a.available_from, 'available_until', a.available_until,
	'feedback', a.feedback, 'partial_credit', a.partial_credit,
	'status', a.status)
FROM assessments a WHERE a.id = $1 AND a.org_id = $2

-- name: assessment_access
-- $1 assessment, $2 org, $3 user, $4 role: version, deleted, may edit;
-- locked for a change.
SELECT a.version, a.deleted_at IS NOT NULL, ($4::boolean OR a.owner_id = $3)
FROM assessments a WHERE a.id = $1 AND a.org_id = $2
FOR UPDATE

-- name: assessment_lesson_ok
-- $1 lesson, $2 org, $3 user, $4 role: whether the lesson exists, and
-- whether the caller may edit its course.
SELECT l.deleted_at IS NULL, ($4::boolean OR c.owner_id = $3 OR EXISTS (
	SELECT 1 FROM course_collaborators k WHERE k.course_id = c.id
	AND k.user_id = $3 AND k.role = 'editor'))
FROM lessons l JOIN courses c ON c.id = l.course_id
WHERE l.id = $1 AND l.org_id = $2

-- name: assessment_rules_refs
-- $1 exam code, $2 domain codes, $3 objective codes (text[] literals): the
-- first of them the exam does not have, with its index, or no row.
SELECT 'domains', c, n - 1 FROM unnest($2::text[]) WITH ORDINALITY x (c, n)
WHERE NOT EXISTS (SELECT 1 FROM exam_domains d JOIN exams e ON e.id = d.exam_id
	WHERE e.code = $1 AND d.code = c)
UNION ALL
SELECT 'objectives', c, n - 1 FROM unnest($3::text[]) WITH ORDINALITY x (c, n)
WHERE NOT EXISTS (SELECT 1 FROM exam_objectives o JOIN exams e ON e.id = o.exam_id
	WHERE e.code = $1 AND o.code = c)
LIMIT 1

-- name: assessment_insert
-- $1 org, $2 owner, then the fields as assessment_update takes them from
-- $3.  Exam simulations get the exam's length, time and linear cut
-- (README) where none is given.
INSERT INTO assessments (org_id, owner_id, title, description, kind, exam_id,
	lesson_id, selection, rules, question_count, shuffle_questions,
	shuffle_options, time_limit_seconds, passing_percent, max_attempts,
	available_from, available_until, feedback, partial_credit, status,
	published_at)
SELECT $1, $2, $3, $4, $5, e.id, $7::uuid, $8, $9::jsonb,
	coalesce($10::integer, CASE WHEN $5 = 'exam_simulation'
		THEN e.max_questions END),
	$11::boolean, $12::boolean,
	coalesce($13::integer, CASE WHEN $5 = 'exam_simulation'
		THEN e.minutes * 60 END),
	coalesce($14::numeric, CASE WHEN $5 = 'exam_simulation'
		THEN round(100.0 * (e.passing_score - e.scale_min)
			/ (e.scale_max - e.scale_min), 2) ELSE 70 END),
	$15::integer, $16::timestamptz, $17::timestamptz, $18, $19::boolean, $20,
	CASE WHEN $20 = 'published' THEN now() END
FROM (SELECT 1) one LEFT JOIN exams e ON e.code = $6
RETURNING id

-- name: assessment_update
-- $1 assessment, $2 org, $3 title, $4 description, $5 kind, $6 exam code,
-- $7 lesson, $8 selection, $9 rules, $10 question count, $11 shuffle
-- questions, $12 shuffle options, $13 time limit, $14 passing percent,
-- $15 max attempts, $16 available from, $17 until, $18 feedback,
-- $19 partial credit, $20 status
UPDATE assessments a SET title = $3, description = $4, kind = $5,
	exam_id = (SELECT id FROM exams WHERE code = $6), lesson_id = $7::uuid,
	selection = $8, rules = $9::jsonb,
	question_count = coalesce($10::integer, CASE WHEN $5 = 'exam_simulation'
		THEN (SELECT max_questions FROM exams WHERE code = $6) END),
	shuffle_questions = $11::boolean, shuffle_options = $12::boolean,
	time_limit_seconds = coalesce($13::integer, CASE WHEN $5 = 'exam_simulation'
		THEN (SELECT minutes * 60 FROM exams WHERE code = $6) END),
	passing_percent = coalesce($14::numeric, a.passing_percent),
	max_attempts = $15::integer, available_from = $16::timestamptz,
	available_until = $17::timestamptz, feedback = $18,
	partial_credit = $19::boolean, status = $20,
	published_at = CASE WHEN $20 = 'published'
		THEN coalesce(a.published_at, now()) END
WHERE a.id = $1 AND a.org_id = $2

-- name: assessment_set_deleted
-- $1 assessment, $2 org, $3 true to delete, false to restore
UPDATE assessments SET deleted_at = CASE WHEN $3 THEN now() END
WHERE id = $1 AND org_id = $2

-- name: assessment_clear_questions
-- $1 assessment: before assessment_set_questions (a statement of its own:
-- a DELETE in the same statement would run after the INSERT).
DELETE FROM assessment_questions WHERE assessment_id = $1

-- name: assessment_set_questions
-- $1 assessment, $2 org, $3 [{"question_id", "points"}] in order.  The
-- questions must be live and of the organization (else no row for them:
-- the caller compares the count).
WITH wanted AS (
	SELECT (e->>'question_id')::uuid AS question_id,
		coalesce((e->>'points')::numeric, 1) AS points, n::integer AS position
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY x(e, n)
)
INSERT INTO assessment_questions (assessment_id, question_id, org_id,
	position, points)
SELECT $1, w.question_id, $2, w.position, w.points
FROM wanted w JOIN questions q ON q.id = w.question_id AND q.org_id = $2
	AND q.deleted_at IS NULL
RETURNING question_id

-- name: assessments_list
-- $1 org, $2 user, $3 role, $4 exam code, $5 kind, $6 lesson, $7 status
-- (published, draft, all), $8 after, $9 limit.
WITH page AS (
	SELECT a.*, ($3::boolean OR a.owner_id = $2) AS can_edit
	FROM assessments a
	WHERE a.org_id = $1 AND a.deleted_at IS NULL
		AND ($4::text IS NULL OR a.exam_id = (SELECT id FROM exams WHERE code = $4))
		AND ($5::text IS NULL OR a.kind = $5)
		AND ($6::uuid IS NULL OR a.lesson_id = $6)
		AND ($8::uuid IS NULL OR (a.created_at, a.id) <
			(SELECT created_at, id FROM assessments WHERE id = $8 AND org_id = $1))
), visible AS (
	SELECT * FROM page
	WHERE CASE coalesce($7, 'published')
		WHEN 'published' THEN status = 'published'
		WHEN 'draft' THEN status = 'draft' AND can_edit
		ELSE status = 'published' OR can_edit END
	ORDER BY created_at DESC, id DESC
	LIMIT $9 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n
	FROM visible
)
SELECT json_build_object(
	'items', coalesce((SELECT json_agg(json_build_object('id', n.id,
		'kind', n.kind, 'title', n.title, 'description', n.description,
		'exam', (SELECT code FROM exams WHERE id = n.exam_id),
		'lesson_id', n.lesson_id,
		'question_count', CASE WHEN n.selection = 'rules' THEN n.question_count
			ELSE (SELECT count(*) FROM assessment_questions k
				JOIN questions q ON q.id = k.question_id
				WHERE k.assessment_id = n.id AND q.deleted_at IS NULL
				AND q.status = 'active') END,
		'time_limit_seconds', n.time_limit_seconds,
		'passing_percent', n.passing_percent, 'max_attempts', n.max_attempts,
		'status', n.status, 'can_edit', n.can_edit,
		'my_attempts', (SELECT count(*) FROM attempts t
			WHERE t.assessment_id = n.id AND t.user_id = $2),
		'my_best_percent', (SELECT max(percentage) FROM attempts t
			WHERE t.assessment_id = n.id AND t.user_id = $2))
		ORDER BY n.n) FROM numbered n WHERE n.n <= $9), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $9
		AND EXISTS (SELECT 1 FROM numbered m WHERE m.n > $9)))

-- ---- attempts ----

-- name: attempt_turn
-- $1 user, $2 assessment: attempts of one learner at one assessment take
-- turns (the count of attempts left, and the one in progress).
SELECT pg_advisory_xact_lock(hashtextextended('ludus.attempt:' || $1 || ':'
	|| $2, 0))

-- name: attempt_plan
-- $1 assessment, $2 org, $3 user, $4 role: what starting an attempt needs.
SELECT a.kind, a.exam_id, a.selection, a.rules, a.question_count,
	a.shuffle_questions, a.shuffle_options, a.time_limit_seconds,
	a.passing_percent, a.feedback, a.partial_credit, a.max_attempts,
	-- may start: published, or the caller may edit it (a preview)
	(a.status = 'published' OR $4::boolean OR a.owner_id = $3),
	(a.available_from IS NULL OR a.available_from <= now())
		AND (a.available_until IS NULL OR a.available_until > now()),
	(SELECT count(*) FROM attempts t WHERE t.assessment_id = a.id
		AND t.user_id = $3),
	(SELECT t.id FROM attempts t WHERE t.assessment_id = a.id
		AND t.user_id = $3 AND t.status = 'in_progress'),
	(SELECT t.deadline_at < now() FROM attempts t WHERE t.assessment_id = a.id
		AND t.user_id = $3 AND t.status = 'in_progress')
FROM assessments a
WHERE a.id = $1 AND a.org_id = $2 AND a.deleted_at IS NULL
	AND (a.status = 'published' OR $4::boolean OR a.owner_id = $3)

-- name: exam_weights
-- $1 exam: its domains and their weights.
SELECT d.code, d.weight FROM exam_domains d WHERE d.exam_id = $1 ORDER BY d.code

-- name: pick_fixed
-- $1 assessment: its live, active questions in order with their points.
SELECT k.question_id, k.points, q.type, q.body
FROM assessment_questions k JOIN questions q ON q.id = k.question_id
WHERE k.assessment_id = $1 AND q.deleted_at IS NULL AND q.status = 'active'
ORDER BY k.position

-- name: pick_rules
-- $1 org, $2 exam, $3 domain code (or null), $4 how many, $5 lowest and
-- $6 highest difficulty, $7 objectives (text[] literal or null), $8 tags
-- (text[] literal or null), $9 already picked (uuid[] literal): active
-- questions at random.
SELECT q.id, 1, q.type, q.body
FROM questions q
WHERE q.org_id = $1 AND q.exam_id = $2 AND q.deleted_at IS NULL
	AND q.status = 'active'
	AND ($3::text IS NULL OR q.domain_id = (SELECT d.id FROM exam_domains d
		WHERE d.exam_id = $2 AND d.code = $3))
	AND q.difficulty BETWEEN $5::smallint AND $6::smallint
	AND ($7::text[] IS NULL OR q.objective_codes && $7::text[])
	AND ($8::text[] IS NULL OR q.tags && $8::text[])
	AND NOT (q.id = ANY ($9::uuid[]))
ORDER BY random()
LIMIT $4

-- name: attempt_insert
-- $1 org, $2 user, $3 assessment, $4 number, $5 time limit seconds (or
-- null), $6 kind, $7 exam, $8 passing percent, $9 feedback, $10 partial
-- credit, $11 question count, $12 max score.  The deadline is the time
-- limit or the end of the availability window, whichever comes first.
INSERT INTO attempts (org_id, user_id, assessment_id, number, deadline_at,
	kind, exam_id, passing_percent, feedback, partial_credit, question_count,
	max_score, preview)
SELECT $1, $2, $3, $4::integer, CASE
		WHEN $5::integer IS NULL THEN a.available_until
		WHEN a.available_until IS NULL
			THEN now() + make_interval(secs => $5::integer)
		ELSE least(a.available_until, now() + make_interval(secs => $5::integer))
	END, $6, $7::uuid, $8::numeric, $9, $10::boolean, $11::integer,
	$12::numeric, a.status <> 'published' OR a.owner_id = $2
FROM assessments a WHERE a.id = $3
RETURNING id, started_at, preview

-- name: attempt_answers_insert
-- $1 attempt, $2 its start, $3 user, $4 org, $5 [{"question_id",
-- "position", "points", "layout"}]: the questions, frozen as they are now.
INSERT INTO attempt_answers (attempt_id, started_at, user_id, org_id,
	question_id, position, points, type, stem, explanation, body,
	domain_code, objective_codes, layout)
SELECT $1, $2::timestamptz, $3, $4, q.id, (e->>'position')::integer,
	(e->>'points')::numeric, q.type, q.stem, q.explanation, q.body,
	(SELECT d.code FROM exam_domains d WHERE d.id = q.domain_id),
	q.objective_codes, e->'layout'
FROM jsonb_array_elements($5::jsonb) e
JOIN questions q ON q.id = (e->>'question_id')::uuid AND q.org_id = $4

-- name: attempt_head
-- $1 attempt, $2 user: the attempt (not its questions), whether its time
-- is up, and its status.
SELECT json_build_object('id', t.id, 'assessment', json_build_object(
		'id', a.id, 'title', a.title, 'kind', a.kind,
		'exam', (SELECT code FROM exams WHERE id = t.exam_id)),
	'number', t.number, 'preview', t.preview, 'status', t.status,
	'started_at', t.started_at,
	'deadline_at', t.deadline_at, 'finished_at', t.finished_at,
	'seconds_left', CASE WHEN t.status = 'in_progress'
		AND t.deadline_at IS NOT NULL THEN greatest(0,
			floor(extract(epoch FROM t.deadline_at - now())))::bigint END,
	'feedback', t.feedback, 'partial_credit', t.partial_credit,
	'passing_percent', t.passing_percent,
	'question_count', t.question_count, 'max_score', t.max_score,
	'answered', (SELECT count(*) FROM attempt_answers aa
		WHERE aa.attempt_id = t.id AND aa.started_at = t.started_at
		AND aa.answer IS NOT NULL),
	'flagged', (SELECT count(*) FROM attempt_answers aa
		WHERE aa.attempt_id = t.id AND aa.started_at = t.started_at
		AND aa.flagged),
	'result', CASE WHEN t.status <> 'in_progress' THEN json_build_object(
		'score', t.score, 'max_score', t.max_score,
		'correct', t.correct_count, 'percentage', t.percentage,
		'passed', t.passed, 'scaled_score', t.scaled_score,
		'scale', CASE WHEN t.scaled_score IS NOT NULL THEN json_build_object(
			'min', e.scale_min, 'max', e.scale_max,
			'passing', e.passing_score) END,
		'domains', t.domain_scores,
		'time_taken_seconds', t.time_taken_seconds) END),
	t.status = 'in_progress' AND t.deadline_at < now(), t.status, t.started_at
FROM attempts t
JOIN assessments a ON a.id = t.assessment_id
LEFT JOIN exams e ON e.id = t.exam_id
WHERE t.id = $1 AND t.user_id = $2

-- name: attempt_items
-- $1 attempt, $2 its start: the questions in order.
SELECT position, question_id, type, stem, explanation, body, layout, answer,
	flagged, points, credit, is_correct, locked, domain_code,
	time_spent_seconds
FROM attempt_answers
WHERE attempt_id = $1 AND started_at = $2::timestamptz
ORDER BY position

-- name: attempt_lock
-- $1 attempt, $2 user: the attempt, locked for submitting or expiring;
-- with the exam's scale, the assessment's lesson and whether it is a
-- preview.
SELECT t.status, t.deadline_at < now(), t.started_at, t.partial_credit,
	t.passing_percent, t.kind, e.scale_min, e.passing_score, e.scale_max,
	a.lesson_id, t.assessment_id, t.org_id,
	extract(epoch FROM least(now(), coalesce(t.deadline_at, now()))
		- t.started_at)::integer, t.preview
FROM attempts t
JOIN assessments a ON a.id = t.assessment_id
LEFT JOIN exams e ON e.id = t.exam_id
WHERE t.id = $1 AND t.user_id = $2
FOR UPDATE OF t

-- name: attempt_share
-- $1 attempt, $2 user: the attempt, locked against submitting while an
-- answer is saved (answers to other questions go on at the same time).
SELECT t.status, t.deadline_at < now(), t.started_at, t.feedback,
	t.partial_credit
FROM attempts t
WHERE t.id = $1 AND t.user_id = $2
FOR SHARE

-- name: answer_row
-- $1 attempt, $2 start, $3 question: the question in the attempt, as
-- attempt_items gives it, locked.
SELECT position, question_id, type, stem, explanation, body, layout, answer,
	flagged, points, credit, is_correct, locked, domain_code,
	time_spent_seconds
FROM attempt_answers
WHERE attempt_id = $1 AND started_at = $2::timestamptz AND question_id = $3
FOR UPDATE

-- name: answer_save
-- $1 attempt, $2 start, $3 question, $4 answer given ('true'/'false'),
-- $5 the answer (null clears it), $6 flagged (null keeps it), $7 seconds
-- to add, $8 lock (immediate feedback), $9 credit (with the lock)
UPDATE attempt_answers SET
	answer = CASE WHEN $4 THEN $5::jsonb ELSE answer END,
	answered_at = CASE WHEN NOT $4 THEN answered_at
		WHEN $5::jsonb IS NULL THEN NULL ELSE now() END,
	changes = changes + CASE WHEN $4 AND answer IS DISTINCT FROM $5::jsonb
		THEN 1 ELSE 0 END,
	flagged = coalesce($6::boolean, flagged),
	time_spent_seconds = least(86400, time_spent_seconds + $7::integer),
	locked = locked OR $8::boolean,
	credit = CASE WHEN $8 THEN $9::numeric ELSE credit END,
	is_correct = CASE WHEN $8 THEN $9::numeric = 1 ELSE is_correct END
WHERE attempt_id = $1 AND started_at = $2::timestamptz AND question_id = $3

-- name: answers_score
-- $1 attempt, $2 start, $3 positions (int[] literal), $4 credits
-- (numeric[] literal)
UPDATE attempt_answers aa SET credit = v.credit, is_correct = v.credit = 1
FROM unnest($3::integer[], $4::numeric[]) AS v (position, credit)
WHERE aa.attempt_id = $1 AND aa.started_at = $2::timestamptz
	AND aa.position = v.position

-- name: attempt_finish
-- $1 attempt, $2 status, $3 score, $4 correct, $5 percentage, $6 passed,
-- $7 scaled (or null), $8 domain scores, $9 seconds taken
UPDATE attempts SET status = $2, finished_at = now(), score = $3::numeric,
	correct_count = $4::integer, percentage = $5::numeric,
	passed = $6::boolean, scaled_score = $7::integer,
	domain_scores = $8::jsonb, time_taken_seconds = $9::integer
WHERE id = $1 AND status = 'in_progress'

-- name: attempt_lesson_complete
-- $1 user, $2 org, $3 lesson: a passed attempt completes its lesson (once);
-- the lesson's course, when this completed it.
INSERT INTO lesson_progress (user_id, org_id, lesson_id, course_id, status,
	progress_percent, completed_at)
SELECT $1, $2, l.id, l.course_id, 'completed', 100, now()
FROM lessons l WHERE l.id = $3 AND l.org_id = $2 AND l.deleted_at IS NULL
ON CONFLICT (user_id, lesson_id) DO UPDATE SET status = 'completed',
	progress_percent = 100, completed_at = now()
	WHERE lesson_progress.status <> 'completed'
RETURNING course_id

-- name: attempts_overdue
-- In-progress attempts whose time is up, for the maintenance job.
SELECT id, user_id FROM attempts
WHERE status = 'in_progress' AND deadline_at < now()
ORDER BY deadline_at
LIMIT 100

-- name: my_attempts
-- $1 user, $2 org, $3 assessment (or null), $4 exam code (or null),
-- $5 after attempt id, $6 limit: my attempts, newest first.
WITH page AS (
	SELECT t.*, a.title FROM attempts t JOIN assessments a ON a.id = t.assessment_id
	WHERE t.user_id = $1 AND t.org_id = $2
		AND ($3::uuid IS NULL OR t.assessment_id = $3)
		AND ($4::text IS NULL OR t.exam_id = (SELECT id FROM exams WHERE code = $4))
		AND ($5::uuid IS NULL OR (t.started_at, t.id) <
			(SELECT started_at, id FROM attempts WHERE id = $5 AND user_id = $1))
	ORDER BY t.started_at DESC, t.id DESC
	LIMIT $6 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY started_at DESC, id DESC) AS n FROM page
)
SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object(
	'id', n.id, 'assessment_id', n.assessment_id, 'title', n.title,
	'kind', n.kind, 'number', n.number, 'status', n.status,
	'preview', n.preview,
	'started_at', n.started_at, 'finished_at', n.finished_at,
	'seconds_left', CASE WHEN n.status = 'in_progress'
		AND n.deadline_at IS NOT NULL THEN greatest(0,
			floor(extract(epoch FROM n.deadline_at - now())))::bigint END,
	'score', n.score, 'max_score', n.max_score, 'percentage', n.percentage,
	'passed', n.passed, 'scaled_score', n.scaled_score,
	'time_taken_seconds', n.time_taken_seconds, 'domains', n.domain_scores)
	ORDER BY n.n) FROM numbered n WHERE n.n <= $6), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $6
		AND EXISTS (SELECT 1 FROM numbered m WHERE m.n > $6)))

-- name: my_trends
-- $1 user, $2 org, $3 exam code (or null: the exam of my latest finished
-- attempt): per domain, my percentage in each of my last 20 finished
-- attempts that had questions of it, oldest first, with the average and
-- the change from the first half to the second.
WITH x AS (
	SELECT coalesce($3::text, (SELECT e.code FROM attempts t
		JOIN exams e ON e.id = t.exam_id
		WHERE t.user_id = $1 AND t.org_id = $2 AND t.status <> 'in_progress'
		ORDER BY t.finished_at DESC LIMIT 1)) AS code
), t AS (
	SELECT t.id, t.finished_at, t.domain_scores
	FROM attempts t
	WHERE t.user_id = $1 AND t.org_id = $2 AND t.status <> 'in_progress'
		AND t.exam_id = (SELECT id FROM exams WHERE code = (SELECT code FROM x))
	ORDER BY t.finished_at DESC
	LIMIT 20
), points AS (
	SELECT d.key AS code, t.finished_at AS at,
		(d.value->>'percent')::numeric AS percent,
		row_number() OVER (PARTITION BY d.key ORDER BY t.finished_at) AS i,
		count(*) OVER (PARTITION BY d.key) AS n
	FROM t, jsonb_each(t.domain_scores) d
)
SELECT json_build_object('exam', (SELECT code FROM x),
	'attempts', (SELECT count(*) FROM t),
	'domains', coalesce((SELECT json_agg(json_build_object(
		'code', y.code, 'name', (SELECT dd.name FROM exam_domains dd
			JOIN exams e ON e.id = dd.exam_id
			WHERE e.code = (SELECT code FROM x) AND dd.code = y.code),
		'attempts', y.n, 'average_percent', y.avg, 'last_percent', y.last,
		'change', y.change, 'points', y.points) ORDER BY y.code)
	FROM (SELECT code, max(n) AS n, round(avg(percent), 2) AS avg,
		(array_agg(percent ORDER BY i DESC))[1] AS last,
		CASE WHEN max(n) >= 2 THEN round(avg(percent) FILTER (WHERE i > n / 2)
			- avg(percent) FILTER (WHERE i <= n / 2), 2) END AS change,
		json_agg(json_build_object('at', at, 'percent', percent) ORDER BY i)
			AS points
		FROM points GROUP BY code) y), '[]'))

-- name: assessment_results
-- $1 assessment, $2 org, $3 user, $4 role, $5 limit: whether the caller may
-- see its results (its author or an admin), and then the finished attempts
-- of learners (previews left out), newest first, with a summary.  No row
-- when there is no such assessment.
WITH a AS (
	SELECT a.id, ($4::boolean OR a.owner_id = $3) AS may FROM assessments a
	WHERE a.id = $1 AND a.org_id = $2 AND a.deleted_at IS NULL
), t AS (
	SELECT t.*, u.username FROM attempts t JOIN users u ON u.id = t.user_id
	WHERE t.assessment_id = (SELECT id FROM a WHERE may)
		AND t.status <> 'in_progress' AND NOT t.preview
)
SELECT a.may, CASE WHEN a.may THEN json_build_object('assessment_id', a.id,
	'summary', json_build_object('attempts', (SELECT count(*) FROM t),
		'learners', (SELECT count(DISTINCT user_id) FROM t),
		'average_percent', (SELECT round(avg(percentage), 2) FROM t),
		'pass_rate', (SELECT round(avg(passed::int), 4) FROM t),
		'in_progress', (SELECT count(*) FROM attempts x
			WHERE x.assessment_id = a.id AND x.status = 'in_progress'
			AND NOT x.preview)),
	'items', coalesce((SELECT json_agg(json_build_object('id', t.id,
		'user_id', t.user_id, 'username', t.username, 'number', t.number,
		'status', t.status, 'started_at', t.started_at,
		'finished_at', t.finished_at, 'score', t.score,
		'max_score', t.max_score, 'percentage', t.percentage,
		'passed', t.passed, 'scaled_score', t.scaled_score,
		'time_taken_seconds', t.time_taken_seconds)
		ORDER BY t.finished_at DESC, t.id) FROM (SELECT * FROM t
			ORDER BY finished_at DESC, id LIMIT $5) t), '[]')) END
FROM a
