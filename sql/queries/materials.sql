-- Study materials (migration 0023): materials, their chunks and generated
-- assets, feedback, study sessions and their interactions, progress.

-- name: mat_insert
-- $1 org, $2 user, $3 course (or null), $4 title, $5 description,
-- $6 source_type, $7 source_url, $8 file_name, $9 media_type, $10 bytes,
-- $11 sha256, $12 subject_area, $13 tags, $14 difficulty, $15 most
-- materials a user may have, $16 most bytes: the new material's id; no
-- row when the user has no room left.
INSERT INTO study_materials (org_id, user_id, course_id, title, description,
	source_type, source_url, file_name, media_type, byte_size, sha256,
	subject_area, tags, difficulty_level)
SELECT $1, $2, $3, btrim($4), coalesce($5, ''), $6, $7, $8, $9, $10::integer,
	$11, $12, coalesce($13::text[], '{}'), $14
FROM material_room($2, $15::integer, $16::bigint) r
WHERE r.count_left > 0 AND r.bytes_left >= $10::bigint
RETURNING id

-- name: mat_get
-- $1 material, $2 user, $3 edit_all: the material as the user may see it.
SELECT material_json(m, material_role(m, $2, $3))
FROM study_materials m
WHERE m.id = $1 AND material_role(m, $2, $3) IS NOT NULL

-- name: mat_access
-- $1 material, $2 user, $3 edit_all: my role on it (null: none), its
-- version, course, status, title and whether a job of it is waiting or
-- running; locked for a change.
SELECT material_role(m, $2, $3), m.version, m.course_id, m.status, m.title,
	EXISTS (SELECT 1 FROM jobs j WHERE j.payload->>'material_id' = m.id::text
		AND j.kind LIKE 'materials.%' AND j.status IN ('queued', 'running'))
FROM study_materials m
WHERE m.id = $1
FOR UPDATE OF m

-- name: mat_role
-- $1 material, $2 user, $3 edit_all: what mat_access says, for a read
-- (nothing locked).
SELECT material_role(m, $2, $3), m.version, m.course_id, m.status, m.title,
	EXISTS (SELECT 1 FROM jobs j WHERE j.payload->>'material_id' = m.id::text
		AND j.kind LIKE 'materials.%' AND j.status IN ('queued', 'running'))
FROM study_materials m
WHERE m.id = $1

-- name: mat_list
-- $1 user, $2 edit_all, $3 search words (or null), $4 status, $5 tag,
-- $6 subject, $7 course, $8 after (a material id), $9 limit: my materials
-- and those of the courses I write, newest first.
SELECT json_build_object('items', coalesce(json_agg(material_json(m,
		material_role(m, $1, $2)) ORDER BY m.created_at DESC, m.id DESC),
	'[]'), 'next', CASE WHEN count(*) = $9::integer
		THEN (array_agg(m.id ORDER BY m.created_at, m.id))[1] END)
FROM (
	SELECT * FROM study_materials m
	WHERE m.deleted_at IS NULL
		AND (m.user_id = $1 OR (m.course_id IS NOT NULL
			AND material_role(m, $1, $2) = 'editor'))
		AND ($3::text IS NULL OR m.search @@ websearch_to_tsquery('simple', $3)
			OR m.id IN (SELECT c.material_id FROM content_chunks c
				WHERE c.search @@ websearch_to_tsquery('simple', $3)))
		AND ($4::text IS NULL OR m.status = $4)
		AND ($5::text IS NULL OR m.tags @> ARRAY[$5::text])
		AND ($6::text IS NULL OR lower(m.subject_area) = lower($6))
		AND ($7::uuid IS NULL OR m.course_id = $7)
		AND ($8::uuid IS NULL OR (m.created_at, m.id) < (SELECT a.created_at,
			a.id FROM study_materials a WHERE a.id = $8))
	ORDER BY m.created_at DESC, m.id DESC
	LIMIT $9::integer
) m

-- name: mat_course_list
-- $1 course, $2 user, $3 edit_all: a course's materials as I may see them
-- (its learners: the ready ones).
SELECT coalesce(json_agg(material_json(m, material_role(m, $2, $3))
	ORDER BY m.created_at, m.id), '[]')
FROM study_materials m
WHERE m.course_id = $1 AND material_role(m, $2, $3) IS NOT NULL
HAVING EXISTS (SELECT 1 FROM courses c WHERE c.id = $1
	AND c.deleted_at IS NULL)

-- name: mat_search
-- $1 user, $2 edit_all, $3 words, $4 limit: the materials and chunks I
-- may read that match, best first, with a highlighted excerpt.
WITH q AS (SELECT websearch_to_tsquery('simple', $3) AS q),
mine AS (
	SELECT m.* FROM study_materials m
	WHERE m.deleted_at IS NULL AND material_role(m, $1, $2) IS NOT NULL
), hits AS (
	SELECT 'material' AS kind, m.id AS material_id, NULL::uuid AS chunk_id,
		NULL::integer AS chunk_order, m.title,
		ts_rank(m.search, q.q) * 2 AS rank,
		ts_headline('simple', m.title || '. ' || m.description, q.q,
			'MaxWords=30, MinWords=10, MaxFragments=1') AS excerpt
	FROM mine m, q WHERE m.search @@ q.q
	UNION ALL
	SELECT 'chunk', m.id, c.id, c.chunk_order, m.title,
		ts_rank(c.search, q.q),
		ts_headline('simple', c.content, q.q,
			'MaxWords=30, MinWords=10, MaxFragments=2')
	FROM content_chunks c JOIN mine m ON m.id = c.material_id, q
	WHERE c.search @@ q.q
)
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'kind', kind, 'material_id', material_id, 'chunk_id', chunk_id,
	'chunk_order', chunk_order, 'title', title,
	'rank', round(rank::numeric, 4), 'excerpt', excerpt)
	ORDER BY rank DESC, material_id, chunk_order NULLS FIRST), '[]'))
FROM (SELECT * FROM hits ORDER BY rank DESC, material_id,
	chunk_order NULLS FIRST LIMIT $4::integer) h

-- name: mat_update
-- $1 material, $2 title, $3 description, $4 subject_area ('' clears),
-- $5 tags, $6 difficulty ('' clears), each null: unchanged.
UPDATE study_materials SET title = coalesce(btrim($2), title),
	description = coalesce($3, description),
	subject_area = CASE WHEN $4::text IS NULL THEN subject_area
		ELSE nullif(btrim($4), '') END,
	tags = coalesce($5::text[], tags),
	difficulty_level = CASE WHEN $6::text IS NULL THEN difficulty_level
		ELSE nullif($6, '') END,
	version = version + 1
WHERE id = $1

-- name: mat_delete
-- $1 material: deleted (soft), and its waiting jobs cancelled.
WITH gone AS (
	UPDATE study_materials SET deleted_at = now(), version = version + 1
	WHERE id = $1 AND deleted_at IS NULL
	RETURNING id
)
UPDATE jobs SET status = CASE status WHEN 'queued' THEN 'cancelled'
		ELSE status END,
	finished_at = CASE status WHEN 'queued' THEN now() ELSE finished_at END,
	input = CASE status WHEN 'queued' THEN NULL ELSE input END,
	cancel_requested_at = now()
WHERE payload->>'material_id' = (SELECT id::text FROM gone)
	AND kind LIKE 'materials.%' AND status IN ('queued', 'running')

-- name: mat_chunks
-- $1 material, $2 after (a chunk order, -1 from the start), $3 limit:
-- the material's chunks in order.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
		'id', c.id, 'chunk_order', c.chunk_order, 'chunk_type', c.chunk_type,
		'heading', c.heading, 'content', c.content,
		'start_offset', c.start_offset, 'end_offset', c.end_offset,
		'word_count', c.word_count, 'language', c.language,
		'summary', c.summary,
		'relevance_score', round(c.relevance_score::numeric, 3),
		'metadata', c.metadata) ORDER BY c.chunk_order), '[]'),
	'next', CASE WHEN count(*) = $3::integer THEN max(c.chunk_order) END)
FROM (SELECT * FROM content_chunks WHERE material_id = $1
	AND chunk_order > $2::integer ORDER BY chunk_order
	LIMIT $3::integer) c

-- name: mat_assets
-- $1 material, $2 learner view (true: accepted and not hidden only),
-- $3 type (or null), $4 status (or null), $5 chunk (or null): the
-- material's assets, by chunk, then best first.
SELECT coalesce(json_agg(generated_asset_json(a) ORDER BY
	c.chunk_order NULLS FIRST, a.asset_type, a.quality_score DESC,
	a.position, a.id), '[]')
FROM generated_assets a
LEFT JOIN content_chunks c ON c.id = a.chunk_id
WHERE a.material_id = $1
	AND (NOT $2::boolean OR (a.status = 'accepted' AND a.hidden_at IS NULL))
	AND ($3::text IS NULL OR a.asset_type = $3)
	AND ($4::text IS NULL OR a.status = $4)
	AND ($5::uuid IS NULL OR a.chunk_id = $5)

-- name: asset_access
-- $1 asset, $2 user, $3 edit_all: the asset's material, my role on it,
-- the asset's type, status, version, content, whether hidden, the
-- material's course and title; locked for a change.
SELECT a.material_id, material_role(m, $2, $3), a.asset_type, a.status,
	a.version, a.content, a.hidden_at IS NOT NULL, m.course_id, m.title
FROM generated_assets a JOIN study_materials m ON m.id = a.material_id
WHERE a.id = $1
FOR UPDATE OF a

-- name: asset_get
-- $1 asset: as the API shows it, with my feedback ($2 user).
SELECT generated_asset_json(a)::jsonb || jsonb_build_object('my_feedback',
	(SELECT jsonb_build_object('rating', f.rating, 'flags', f.flags,
		'comment', f.comment, 'updated_at', f.updated_at)
	FROM user_feedback f WHERE f.generated_asset_id = a.id
		AND f.user_id = $2))
FROM generated_assets a WHERE a.id = $1

-- name: asset_edit
-- $1 asset, $2 content: the learner's or author's own version.
UPDATE generated_assets SET content = $2::jsonb, edited = true,
	version = version + 1
WHERE id = $1

-- name: asset_decide
-- $1 asset, $2 status (accepted, rejected or ready), $3 user, $4 note (or
-- null).
UPDATE generated_assets SET status = $2,
	hidden_at = CASE WHEN $2 = 'accepted' THEN NULL ELSE hidden_at END,
	decided_by = CASE WHEN $2 = 'ready' THEN NULL ELSE $3::uuid END,
	decided_at = CASE WHEN $2 = 'ready' THEN NULL ELSE now() END,
	note_id = coalesce($4::uuid, note_id), version = version + 1
WHERE id = $1

-- name: feedback_put
-- $1 org, $2 user, $3 asset, $4 rating (or null), $5 flags, $6 comment,
-- $7 interaction (or null): my feedback on the asset, made or replaced.
INSERT INTO user_feedback (org_id, user_id, generated_asset_id, rating,
	flags, comment, interaction_id, feedback_type)
VALUES ($1, $2, $3, $4::integer, coalesce($5::text[], '{}'),
	coalesce($6, ''), $7, CASE WHEN cardinality(coalesce($5::text[], '{}')) > 0
		THEN 'report' WHEN $4 IS NOT NULL THEN 'rating' ELSE 'comment' END)
ON CONFLICT (user_id, generated_asset_id) DO UPDATE SET
	rating = EXCLUDED.rating, flags = EXCLUDED.flags,
	comment = EXCLUDED.comment, interaction_id = EXCLUDED.interaction_id,
	feedback_type = EXCLUDED.feedback_type, status = 'active'

-- name: feedback_delete
-- $1 user, $2 asset: my feedback withdrawn; whether there was one.
DELETE FROM user_feedback WHERE user_id = $1 AND generated_asset_id = $2
RETURNING 1

-- name: study_items
-- $1 material, $2 user, $3 type (study, quiz or review), $4 limit, $5
-- learner view: the assets a new session goes through, in order.
-- study: the cards and summaries, chunk by chunk; quiz: the questions,
-- least answered right first; review: what I got wrong or skipped last.
SELECT coalesce(json_agg(x.id ORDER BY x.k1, x.k2, x.id), '[]')
FROM (
	SELECT a.id,
		CASE WHEN $3 = 'study' THEN coalesce(c.chunk_order, -1)::double precision
			ELSE coalesce(w.right_share, 0) END AS k1,
		CASE WHEN $3 = 'study' THEN a.asset_type ELSE '' END AS k2
	FROM generated_assets a
	LEFT JOIN content_chunks c ON c.id = a.chunk_id
	LEFT JOIN LATERAL (
		SELECT avg(CASE WHEN i.is_correct THEN 1 ELSE 0 END) AS right_share,
			bool_or(i.interaction_type = 'skip' OR NOT i.is_correct) AS missed
		FROM interactions i
		WHERE i.user_id = $2 AND i.generated_asset_id = a.id
			AND i.interaction_type IN ('answer', 'skip')
	) w ON true
	WHERE a.material_id = $1 AND a.hidden_at IS NULL
		AND (a.status = 'accepted' OR (NOT $5::boolean AND a.status = 'ready'
			AND $3 <> 'quiz'))
		AND CASE $3
			WHEN 'study' THEN a.asset_type IN ('flashcard', 'summary')
			WHEN 'quiz' THEN a.asset_type = 'quiz'
			ELSE a.asset_type IN ('flashcard', 'quiz') AND w.missed
		END
	ORDER BY 2, 3, a.id
	LIMIT $4::integer
) x

-- name: study_session_insert
-- $1 org, $2 user, $3 material, $4 type, $5 configuration: the new
-- session's id.
INSERT INTO learning_sessions (org_id, user_id, study_material_id,
	session_type, configuration, session_data)
VALUES ($1, $2, $3, $4, $5::jsonb, '{"answered": 0, "correct": 0,
	"ms": 0, "seen": [], "done": []}')
RETURNING id

-- name: study_session_get
-- $1 session, $2 user: my session on a material, with its items.
SELECT json_build_object('id', s.id, 'material_id', s.study_material_id,
	'session_type', s.session_type, 'status', s.status,
	'started_at', s.started_at, 'ended_at', s.ended_at,
	'total_interactions', s.total_interactions,
	'completion_percentage', round(s.completion_percentage::numeric, 1),
	'answered', coalesce((s.session_data->>'answered')::integer, 0),
	'correct', coalesce((s.session_data->>'correct')::integer, 0),
	'seen', coalesce(s.session_data->'seen', '[]'),
	'done', coalesce(s.session_data->'done', '[]'),
	-- a question's answer, explanation and source only once answered
	'items', coalesce((SELECT json_agg(CASE WHEN a.asset_type = 'quiz'
				AND NOT coalesce(s.session_data->'done', '[]') ? a.id::text
			THEN (generated_asset_json(a)::jsonb - 'generation_params'
				- 'source') || jsonb_build_object('content',
				a.content - 'answer' - 'explanation')
			ELSE generated_asset_json(a)::jsonb - 'generation_params' END
			ORDER BY x.n)
		FROM jsonb_array_elements_text(s.configuration->'items')
			WITH ORDINALITY x (id, n)
		JOIN generated_assets a ON a.id = x.id::uuid), '[]'))
FROM learning_sessions s
WHERE s.id = $1 AND s.user_id = $2 AND s.study_material_id IS NOT NULL

-- name: study_session_lock
-- $1 session, $2 user: my session's material, type, status, items and
-- state, locked for an interaction.
SELECT s.study_material_id, s.session_type, s.status,
	s.configuration->'items', s.session_data
FROM learning_sessions s
WHERE s.id = $1 AND s.user_id = $2 AND s.study_material_id IS NOT NULL
FOR UPDATE

-- name: study_session_asset
-- $1 session, $2 asset: the asset if it is one of the session's items:
-- its type, content and source.
SELECT a.asset_type, a.content, a.metadata->'source'
FROM learning_sessions s JOIN generated_assets a ON a.id = $2
WHERE s.id = $1 AND s.configuration->'items' ? $2::text

-- name: interaction_insert
-- $1 org, $2 user, $3 session, $4 material, $5 asset (or null), $6 type,
-- $7 data, $8 correct (or null), $9 ms (or null), $10 confidence (or
-- null), $11 feedback data (or null), $12 the session's state after it,
-- $13 its completion after it: the new interaction's id.
WITH s AS (
	UPDATE learning_sessions SET total_interactions = total_interactions + 1,
		last_heartbeat_at = now(), session_data = $12::jsonb,
		completion_percentage = $13::double precision
	WHERE id = $3
)
INSERT INTO interactions (org_id, user_id, learning_session_id,
	material_id, generated_asset_id, interaction_type, interaction_data,
	is_correct, response_time_ms, confidence_level, feedback_data)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::boolean, $9::integer,
	$10::real, $11::jsonb)
RETURNING id

-- name: study_session_end
-- $1 session, $2 status (completed or abandoned): ended, with what it came
-- to in progress_metrics (time_period 'session').
WITH s AS (
	UPDATE learning_sessions SET status = $2, ended_at = now()
	WHERE id = $1 AND status = 'active'
	RETURNING *
), m AS (
	SELECT s.*, coalesce((s.session_data->>'answered')::integer, 0) AS answered,
		coalesce((s.session_data->>'correct')::integer, 0) AS correct,
		coalesce((s.session_data->>'ms')::bigint, 0) AS ms,
		(SELECT subject_area FROM study_materials x
			WHERE x.id = s.study_material_id) AS subject
	FROM s
)
INSERT INTO progress_metrics (org_id, user_id, learning_session_id,
	material_id, metric_type, metric_value, metric_data, time_period,
	subject_area, aggregation_type)
SELECT m.org_id, m.user_id, m.id, m.study_material_id, v.type, v.value,
	jsonb_build_object('session_type', m.session_type, 'answered', m.answered,
		'correct', m.correct), 'session', m.subject, v.agg
FROM m CROSS JOIN LATERAL (VALUES
	('study_time', extract(epoch FROM m.ended_at - m.started_at)::double precision, 'sum'),
	('interactions', m.total_interactions::double precision, 'sum'),
	('completion', m.completion_percentage, 'value'),
	('accuracy', CASE WHEN m.answered > 0 THEN m.correct::double precision
		/ m.answered END, 'mean'),
	('response_time', CASE WHEN m.total_interactions > 0
		THEN m.ms::double precision / m.total_interactions END, 'mean')
) v (type, value, agg)
WHERE v.value IS NOT NULL
RETURNING 1

-- name: sessions_close_stale_materials
-- Material sessions left without an interaction for 30 minutes are
-- abandoned where they stopped.
UPDATE learning_sessions SET status = 'abandoned', ended_at = last_heartbeat_at
WHERE status = 'active' AND study_material_id IS NOT NULL
	AND last_heartbeat_at < now() - interval '30 minutes'

-- name: mat_progress
-- $1 user, $2 period (day, week or month), $3 material (or null), $4
-- days back: my progress on materials by period in my time zone, from the
-- sessions' metrics (and retention's monthly folds).
WITH tz AS (
	SELECT coalesce((SELECT timezone FROM user_profiles WHERE user_id = $1),
		'UTC') AS z
), rows AS (
	SELECT p.material_id, date_trunc($2, p.recorded_at AT TIME ZONE tz.z)::date
			AS period, p.learning_session_id,
		p.metric_type, p.metric_value, p.metric_data, p.time_period
	FROM progress_metrics p, tz
	WHERE p.user_id = $1
		AND p.recorded_at >= now() - make_interval(days => $4::integer)
		AND ($3::uuid IS NULL OR p.material_id = $3)
), per AS (
	SELECT r.period, r.material_id,
		count(DISTINCT r.learning_session_id)
			FILTER (WHERE r.time_period = 'session')
			+ coalesce(sum(r.metric_value) FILTER (WHERE r.metric_type
				= 'sessions'), 0) AS sessions,
		coalesce(sum(r.metric_value) FILTER (WHERE r.metric_type
			= 'study_time'), 0) AS seconds,
		coalesce(sum(r.metric_value) FILTER (WHERE r.metric_type
			= 'interactions'), 0) AS interactions,
		sum((r.metric_data->>'correct')::double precision)
			FILTER (WHERE r.metric_type IN ('accuracy', 'sessions')) AS correct,
		sum((r.metric_data->>'answered')::double precision)
			FILTER (WHERE r.metric_type IN ('accuracy', 'sessions')) AS answered
	FROM rows r
	GROUP BY r.period, r.material_id
)
SELECT json_build_object('period', $2, 'items', coalesce(json_agg(
	json_build_object('period_start', per.period, 'material_id',
		per.material_id, 'title', m.title, 'sessions', per.sessions,
		'study_seconds', round(per.seconds), 'interactions', per.interactions,
		'answered', coalesce(per.answered, 0), 'correct',
		coalesce(per.correct, 0), 'accuracy', CASE WHEN per.answered > 0
			THEN round((per.correct / per.answered)::numeric, 3) END)
	ORDER BY per.period DESC, m.title), '[]'),
	'materials', (SELECT coalesce(json_agg(json_build_object(
		'material_id', x.id, 'title', x.title, 'status', x.status,
		'assets_accepted', (SELECT count(*) FROM generated_assets a
			WHERE a.material_id = x.id AND a.status = 'accepted'),
		'assets_ready', (SELECT count(*) FROM generated_assets a
			WHERE a.material_id = x.id AND a.status = 'ready'
				AND a.hidden_at IS NULL),
		'sessions', (SELECT count(*) FROM learning_sessions s
			WHERE s.study_material_id = x.id AND s.user_id = $1),
		'last_studied_at', (SELECT max(s.started_at) FROM learning_sessions s
			WHERE s.study_material_id = x.id AND s.user_id = $1))
		ORDER BY x.created_at DESC), '[]')
		FROM study_materials x WHERE x.user_id = $1 AND x.deleted_at IS NULL
			AND ($3::uuid IS NULL OR x.id = $3)))
FROM per LEFT JOIN study_materials m ON m.id = per.material_id

-- name: mat_job_material
-- $1 material: what the processing job needs of it (locked: the job
-- writes it), unless it was deleted meanwhile.
SELECT m.id, m.media_type, m.source_type, m.source_url, m.course_id,
	m.title, m.status
FROM study_materials m
WHERE m.id = $1 AND m.deleted_at IS NULL
FOR UPDATE

-- name: mat_job_body
-- $1 material: its body and language (for generation).
SELECT m.body, m.language, m.title
FROM study_materials m WHERE m.id = $1 AND m.deleted_at IS NULL
	AND m.status = 'ready'
FOR UPDATE

-- name: mat_job_chunks
-- $1 material: its chunks in order: id, start, end, type, heading.
SELECT c.id, c.start_offset, c.end_offset, c.chunk_type, c.heading,
	c.word_count
FROM content_chunks c WHERE c.material_id = $1 ORDER BY c.chunk_order

-- name: mat_job_ready
-- $1 material, $2 body, $3 language, $4 words, $5 metadata to merge; for
-- a URL, what it gave: $6 bytes, $7 media type, $8 sha256 (each null:
-- kept): processed and ready.
UPDATE study_materials SET body = $2, language = $3,
	content_length = length($2), word_count = $4::integer,
	metadata = metadata || $5::jsonb,
	byte_size = coalesce($6::integer, byte_size),
	media_type = coalesce($7, media_type), sha256 = coalesce($8, sha256),
	status = 'ready', error = NULL, processed_at = now(),
	version = version + 1
WHERE id = $1

-- name: mat_job_chunks_put
-- $1 org, $2 material, $3 chunks (JSON array of {order, content, type,
-- heading, start, end, words, language, summary, relevance}): the
-- material's chunks, replacing any it had; their ids in order.
WITH gone AS (
	DELETE FROM content_chunks WHERE material_id = $2
)
INSERT INTO content_chunks (org_id, material_id, chunk_order, content,
	chunk_type, heading, start_offset, end_offset, word_count, language,
	summary, relevance_score)
SELECT $1, $2, x.ord, x.content, x.type, coalesce(x.heading, ''), x.start,
	x."end", x.words, x.language, x.summary, x.relevance
FROM jsonb_to_recordset($3::jsonb) AS x (ord integer, content text,
	type text, heading text, start integer, "end" integer, words integer,
	language text, summary text, relevance double precision)
ORDER BY x.ord
RETURNING id, chunk_order

-- name: mat_job_assets_clear
-- $1 material, $2 generation model: the proposals of that model nobody
-- decided on yet go, before it proposes again.
DELETE FROM generated_assets
WHERE material_id = $1 AND generation_model = $2 AND status = 'ready'
	AND NOT edited

-- name: mat_job_assets_put
-- $1 org, $2 material, $3 assets (JSON array of {chunk (id or null),
-- type, content, source, model, params, quality, difficulty}), $4 job:
-- the assets, less those the material has already (same fingerprint,
-- whatever became of them); how many were added.
WITH put AS (
	INSERT INTO generated_assets (org_id, material_id, chunk_id, asset_type,
		content, metadata, generation_model, generation_params,
		base_quality, quality_score, difficulty_level, job_id, position)
	SELECT $1, $2, x.chunk, x.type, x.content,
		jsonb_build_object('source', x.source), x.model, x.params,
		x.quality, x.quality, x.difficulty, $4, e.n - 1
	FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY e (v, n)
	CROSS JOIN LATERAL jsonb_to_record(e.v) AS x (chunk uuid, type text,
		content jsonb, source jsonb, model text, params jsonb,
		quality double precision, difficulty integer)
	ORDER BY e.n
	ON CONFLICT (material_id, fingerprint) DO NOTHING
	RETURNING 1
)
SELECT count(*) FROM put

-- name: mat_same_file
-- $1 user, $2 sha256, $3 course (or null): a material of theirs (or of
-- the course) made of the same bytes, not failed, if there is one.
SELECT id FROM study_materials
WHERE user_id = $1 AND sha256 = $2 AND course_id IS NOT DISTINCT FROM $3::uuid
	AND deleted_at IS NULL AND status <> 'failed'
LIMIT 1
