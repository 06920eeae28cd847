-- The question bank: questions, imports and question statistics.

-- name: question_get
-- $1 question, $2 org: the question and its version.
SELECT question_json(q), q.version
FROM questions q
WHERE q.id = $1 AND q.org_id = $2

-- name: question_access
-- $1 question, $2 org, $3 user, $4 role: version, deleted, may edit (its
-- author or an admin), locked for a change.
SELECT q.version, q.deleted_at IS NOT NULL, ($4::boolean OR q.owner_id = $3)
FROM questions q
WHERE q.id = $1 AND q.org_id = $2
FOR UPDATE

-- name: question_refs
-- $1 exam code, $2 domain code: whether each names something (true when
-- not given).
SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM exams WHERE code = $1),
	$2::text IS NULL OR EXISTS (SELECT 1 FROM exam_domains d
		JOIN exams e ON e.id = d.exam_id WHERE e.code = $1 AND d.code = $2)

-- name: question_find
-- $1 org, $2 external id (or null), $3 content hash: the question a
-- re-import means (by external id when there is one, else by hash), with
-- its owner and whether it is deleted.
SELECT id, owner_id, deleted_at IS NOT NULL
FROM questions
WHERE org_id = $1 AND CASE WHEN $2::text IS NOT NULL THEN external_id = $2
	ELSE content_hash = $3 AND deleted_at IS NULL END
ORDER BY created_at
LIMIT 1
FOR UPDATE

-- name: question_insert
-- $1 org, $2 owner, $3 external id, $4 hash, $5 type, $6 stem,
-- $7 explanation, $8 body, $9 exam code, $10 domain code, $11 objectives
-- (text[] literal), $12 difficulty, $13 tags (text[] literal), $14 status
INSERT INTO questions (org_id, owner_id, external_id, content_hash, type,
	stem, explanation, body, exam_id, domain_id, objective_codes, difficulty,
	tags, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb,
	(SELECT id FROM exams WHERE code = $9),
	(SELECT d.id FROM exam_domains d JOIN exams e ON e.id = d.exam_id
		WHERE e.code = $9 AND d.code = $10),
	$11::text[], $12::smallint, $13::text[], $14)
RETURNING id

-- name: question_update
-- $1 question, $2 org, then as question_insert from $3.  No row when
-- nothing changed (a re-import of the same record).
UPDATE questions q SET external_id = v.external_id,
	content_hash = v.content_hash, type = v.type, stem = v.stem,
	explanation = v.explanation, body = v.body, exam_id = v.exam_id,
	domain_id = v.domain_id, objective_codes = v.objective_codes,
	difficulty = v.difficulty, tags = v.tags, status = v.status
FROM (SELECT $3::text AS external_id, $4::text AS content_hash,
	$5::text AS type, $6::text AS stem, $7::text AS explanation,
	$8::jsonb AS body, (SELECT id FROM exams WHERE code = $9) AS exam_id,
	(SELECT d.id FROM exam_domains d JOIN exams e ON e.id = d.exam_id
		WHERE e.code = $9 AND d.code = $10) AS domain_id,
	$11::text[] AS objective_codes, $12::smallint AS difficulty,
	$13::text[] AS tags, $14::text AS status) v
WHERE q.id = $1 AND q.org_id = $2
	AND (q.external_id, q.content_hash, q.explanation, q.exam_id,
		q.domain_id, q.objective_codes, q.difficulty, q.tags, q.status)
	IS DISTINCT FROM (v.external_id, v.content_hash, v.explanation,
		v.exam_id, v.domain_id, v.objective_codes,
		v.difficulty, v.tags, v.status)
RETURNING q.id

-- name: question_set_deleted
-- $1 question, $2 org, $3 true to delete, false to restore
UPDATE questions SET deleted_at = CASE WHEN $3 THEN now() END
WHERE id = $1 AND org_id = $2

-- name: questions_list
-- $1 org, $2 exam code, $3 domain code, $4 objective, $5 type, $6 status,
-- $7 difficulty, $8 tag, $9 text, $10 owner (mine) or null, $11 deleted
-- ('true' for the deleted ones), $12 after question id, $13 limit.
WITH page AS (
	SELECT q AS p, q.created_at, q.id FROM questions q
	WHERE q.org_id = $1
		AND (q.deleted_at IS NOT NULL) = coalesce($11::boolean, false)
		AND ($2::text IS NULL OR q.exam_id = (SELECT id FROM exams WHERE code = $2))
		AND ($3::text IS NULL OR q.domain_id IN (SELECT d.id FROM exam_domains d
			JOIN exams e ON e.id = d.exam_id WHERE d.code = $3
			AND ($2::text IS NULL OR e.code = $2)))
		AND ($4::text IS NULL OR q.objective_codes @> ARRAY[$4])
		AND ($5::text IS NULL OR q.type = $5)
		AND ($6::text IS NULL OR q.status = $6)
		AND ($7::smallint IS NULL OR q.difficulty = $7::smallint)
		AND ($8::text IS NULL OR q.tags @> ARRAY[$8])
		-- the text as a substring, or its words (typos corrected against
		-- the bank's words) anywhere: both on an index; the query made
		-- once (a subquery), not for each row a plan would filter
		AND ($9::text IS NULL OR q.search_text LIKE '%' || lower($9) || '%'
			OR q.search @@ (SELECT search_tsquery($1, $9, true)))
		AND ($10::uuid IS NULL OR q.owner_id = $10)
		AND ($12::uuid IS NULL OR (q.created_at, q.id) <
			(SELECT created_at, id FROM questions WHERE id = $12 AND org_id = $1))
	ORDER BY q.created_at DESC, q.id DESC
	LIMIT $13 + 1
), numbered AS (
	SELECT p, id, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n
	FROM page
)
SELECT json_build_object(
	'items', coalesce((SELECT json_agg(question_json(n.p) ORDER BY n.n)
		FROM numbered n WHERE n.n <= $13), '[]'),
	'next', (SELECT n.id FROM numbered n WHERE n.n = $13
		AND EXISTS (SELECT 1 FROM numbered m WHERE m.n > $13)))

-- name: question_stats
-- $1 question, $2 org: how the question did in finished attempts (not
-- its authors' previews).
-- Discrimination is the point-biserial correlation between the credit on
-- this question and the attempt's score on the other questions.
WITH q AS (
	SELECT * FROM questions WHERE id = $1 AND org_id = $2
), a AS (
	SELECT aa.credit, aa.time_spent_seconds, aa.answer, aa.answered_at,
		(t.score - aa.credit * aa.points) / nullif(t.max_score - aa.points, 0)
			AS rest
	FROM attempt_answers aa
	JOIN attempts t ON t.id = aa.attempt_id AND t.started_at = aa.started_at
	WHERE aa.question_id = $1 AND aa.org_id = $2 AND t.status <> 'in_progress'
		AND NOT t.preview
), s AS (
	SELECT count(*) AS n,
		count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
		avg(credit) AS p,
		corr(credit, rest) AS r,
		avg(time_spent_seconds) FILTER (WHERE answered_at IS NOT NULL) AS t
	FROM a
), picks AS (
	SELECT o->>'key' AS key, o->>'text' AS text,
		(o->>'correct')::boolean AS correct,
		(SELECT count(*) FROM a WHERE a.answer->>'choice' = o->>'key'
			OR a.answer->'choices' ? (o->>'key')) AS chosen
	FROM q, jsonb_array_elements(CASE WHEN q.type IN ('single_choice',
		'multiple_select', 'true_false') THEN q.body->'options'
		ELSE '[]' END) o
)
SELECT json_build_object('question_id', q.id, 'type', q.type,
	'attempts', s.n, 'answered', s.answered,
	'share_correct', round(s.p, 4),
	'discrimination', round(s.r::numeric, 4),
	'average_seconds', round(s.t, 1),
	'options', (SELECT coalesce(json_agg(json_build_object('key', key,
		'text', text, 'correct', correct, 'chosen', chosen,
		'share', CASE WHEN s.answered > 0 THEN round(chosen::numeric
			/ s.answered, 4) END)), '[]') FROM picks),
	'flags', question_flags(s.n, s.p, s.r,
		(SELECT array_agg(key) FROM picks WHERE chosen = 0)))
FROM q, s

-- name: questions_stats
-- $1 org, $2 exam code, $3 only flagged ('true'), $4 owner (mine) or
-- null, $5 limit: the bank's questions with their numbers, the most
-- doubtful first.
WITH a AS (
	SELECT aa.question_id, aa.credit, aa.time_spent_seconds, aa.answer,
		aa.answered_at,
		(t.score - aa.credit * aa.points) / nullif(t.max_score - aa.points, 0)
			AS rest
	FROM attempt_answers aa
	JOIN attempts t ON t.id = aa.attempt_id AND t.started_at = aa.started_at
	WHERE aa.org_id = $1 AND t.status <> 'in_progress'
		AND NOT t.preview
), s AS (
	SELECT question_id, count(*) AS n, avg(credit) AS p, corr(credit, rest) AS r,
		avg(time_spent_seconds) FILTER (WHERE answered_at IS NOT NULL) AS t
	FROM a GROUP BY question_id
), rows AS (
	SELECT q.id, q.external_id, q.type, left(q.stem, 200) AS stem, s.n, s.p,
		s.r, s.t,
		question_flags(s.n, s.p, s.r, (SELECT array_agg(o->>'key')
			FROM jsonb_array_elements(CASE WHEN q.type IN ('single_choice',
				'multiple_select', 'true_false') THEN q.body->'options'
				ELSE '[]' END) o
			WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.question_id = q.id
				AND (a.answer->>'choice' = o->>'key'
				OR a.answer->'choices' ? (o->>'key'))))) AS flags
	FROM questions q JOIN s ON s.question_id = q.id
	WHERE q.org_id = $1 AND q.deleted_at IS NULL
		AND ($2::text IS NULL OR q.exam_id = (SELECT id FROM exams WHERE code = $2))
		AND ($4::uuid IS NULL OR q.owner_id = $4)
)
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'question_id', id, 'external_id', external_id, 'type', type,
	'stem', stem, 'attempts', n, 'share_correct', round(p, 4),
	'discrimination', round(r::numeric, 4), 'average_seconds', round(t, 1),
	'flags', flags) ORDER BY cardinality(flags) DESC, r NULLS LAST, id), '[]'))
FROM (SELECT * FROM rows
	WHERE coalesce($3::boolean, false) = false OR cardinality(flags) > 0
	ORDER BY cardinality(flags) DESC, r NULLS LAST, id
	LIMIT $5) x

-- name: import_owner
-- $1 organization slug (or null: the default one), $2 email or username
-- (or null: the organization's first admin): the author of imported
-- questions, with the organization and whether they may change anyone's
-- questions (content.all).  Only roles with question.manage write them.
SELECT u.id, u.org_id, role_can(u.org_id, u.role, 'content.all')
FROM users u JOIN organizations o ON o.id = u.org_id
WHERE (CASE WHEN $1::text IS NULL THEN o.is_default ELSE o.slug = $1 END)
	AND u.deleted_at IS NULL
	AND role_can(u.org_id, u.role, 'question.manage')
	AND (CASE WHEN $2::text IS NULL THEN u.role = 'admin'
		ELSE lower(u.email) = lower($2) OR lower(u.username) = lower($2) END)
ORDER BY u.created_at
LIMIT 1

-- name: org_of_slug
-- org: any
-- $1 organization slug (or null: the default one): its id, for a command
-- that then works in it (0015's function looks across organizations).
SELECT id FROM org_for_registration($1)
