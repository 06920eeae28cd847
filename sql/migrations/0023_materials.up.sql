-- 0023_materials: study materials that learners bring, cut into chunks,
-- and the study assets made from them (seed 001).
--
-- A material belongs to the learner who added it, or to a course (added by
-- its authors, studied by its enrolled learners).  It arrives as an
-- upload, pasted text or a URL, and is processed by a job (src/materials/
-- jobs.c): its text is extracted into one normalized "light Markdown"
-- body, cut into content_chunks, and the built-in generator (or a language
-- model, where the operator has one) proposes generated_assets: cards,
-- questions, summaries and key terms, each keeping the spans of the body
-- it came from.  The learner accepts, edits or rejects each; feedback
-- lowers an asset's quality and hides it below a threshold.
--
-- Studying a material is a learning_sessions row (seed 001's; the table
-- already holds lesson sessions, so it gains a type), each answer or view
-- an interactions row, and what came of it progress_metrics rows; both
-- are partitioned by month, and kept as the retention policy says
-- (migration 0024).

-- Tags as text for a search vector (array_to_string is only STABLE).
CREATE FUNCTION tags_text(tags text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_to_string(tags, ' '), '')
$$;

CREATE TABLE study_materials (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	-- who added it; a course's material is also its course's
	user_id uuid NOT NULL,
	course_id uuid,
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 255),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
	source_type text NOT NULL CHECK (source_type IN ('upload', 'text', 'url')),
	source_url text CHECK (length(source_url) <= 1000
		AND source_url ~ '^https?://'),
	file_name text CHECK (length(file_name) BETWEEN 1 AND 255),
	media_type text NOT NULL CHECK (media_type IN ('text/plain',
		'text/markdown', 'text/html', 'application/pdf')),
	-- what arrived: its size and SHA-256
	byte_size integer NOT NULL DEFAULT 0 CHECK (byte_size >= 0),
	sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	metadata jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(metadata) = 'object'),
	status text NOT NULL DEFAULT 'processing'
		CHECK (status IN ('processing', 'ready', 'failed')),
	error text CHECK (length(error) <= 1000),
	-- the extracted text, normalized; chunks and sources are spans of it
	body text CHECK (octet_length(body) <= 4194304),
	content_length integer CHECK (content_length >= 0),
	word_count integer CHECK (word_count >= 0),
	language text CHECK (language ~ '^([a-z]{2,3}|und)$'),
	difficulty_level text CHECK (difficulty_level IN ('beginner',
		'intermediate', 'advanced')),
	subject_area text CHECK (length(btrim(subject_area)) BETWEEN 1 AND 100),
	tags text[] NOT NULL DEFAULT '{}' CHECK (tags_ok(tags)),
	search tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('simple', title), 'A') ||
		setweight(to_tsvector('simple', description || ' ' ||
			coalesce(subject_area, '') || ' ' || tags_text(tags)), 'B'))
		STORED,
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	processed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	CHECK (status <> 'ready' OR body IS NOT NULL),
	CHECK (source_type <> 'url' OR source_url IS NOT NULL),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX study_materials_user_idx
	ON study_materials (user_id, org_id, created_at DESC, id DESC)
	WHERE deleted_at IS NULL;
CREATE INDEX study_materials_user_fk_idx ON study_materials (user_id, org_id);
CREATE INDEX study_materials_course_idx ON study_materials (course_id, org_id);
CREATE INDEX study_materials_status_idx ON study_materials (status);
CREATE INDEX study_materials_subject_idx ON study_materials (subject_area);
CREATE INDEX study_materials_tags_idx ON study_materials USING gin (tags);
CREATE INDEX study_materials_search_idx ON study_materials USING gin (search);
CREATE TRIGGER study_materials_updated_at BEFORE UPDATE ON study_materials
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('study_materials');

CREATE TABLE content_chunks (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	material_id uuid NOT NULL,
	chunk_order integer NOT NULL CHECK (chunk_order >= 0),
	content text NOT NULL CHECK (length(content) BETWEEN 1 AND 65536),
	chunk_type text NOT NULL CHECK (chunk_type IN ('section', 'paragraph',
		'list', 'table', 'code')),
	-- the headings it sits under: "Networking > OSI model"
	heading text NOT NULL DEFAULT '' CHECK (length(heading) <= 1000),
	-- where it is in the material's body, in bytes
	start_offset integer NOT NULL CHECK (start_offset >= 0),
	end_offset integer NOT NULL,
	metadata jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(metadata) = 'object'),
	word_count integer NOT NULL CHECK (word_count >= 0),
	language text CHECK (language ~ '^([a-z]{2,3}|und)$'),
	summary text CHECK (length(summary) <= 20000),
	relevance_score double precision
		CHECK (relevance_score BETWEEN 0 AND 1),
	search tsvector GENERATED ALWAYS AS (to_tsvector('simple', content))
		STORED,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (material_id, chunk_order),
	UNIQUE (id, org_id),
	UNIQUE (id, material_id),
	CHECK (end_offset > start_offset),
	FOREIGN KEY (material_id, org_id) REFERENCES study_materials (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX content_chunks_material_fk_idx
	ON content_chunks (material_id, org_id);
CREATE INDEX content_chunks_type_idx ON content_chunks (chunk_type);
CREATE INDEX content_chunks_relevance_idx ON content_chunks (relevance_score);
CREATE INDEX content_chunks_language_idx ON content_chunks (language);
CREATE INDEX content_chunks_search_idx ON content_chunks USING gin (search);
CREATE TRIGGER content_chunks_updated_at BEFORE UPDATE ON content_chunks
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('content_chunks');

CREATE TABLE generated_assets (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	material_id uuid NOT NULL,
	-- null: made from the whole material
	chunk_id uuid,
	asset_type text NOT NULL CHECK (asset_type IN ('flashcard', 'quiz',
		'summary', 'key_terms')),
	-- the shape of each type: src/materials/asset.h
	content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'
		AND octet_length(content::text) <= 65536),
	-- {"source": [{"start", "end", "text"}]}: the sentences it came from
	metadata jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(metadata) = 'object' AND CASE
			WHEN jsonb_typeof(metadata->'source') = 'array'
			THEN jsonb_array_length(metadata->'source') >= 1
			ELSE false END),
	generation_model text NOT NULL
		CHECK (length(generation_model) BETWEEN 1 AND 100),
	generation_params jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(generation_params) = 'object'),
	-- ready: proposed and waiting for the learner's word
	status text NOT NULL DEFAULT 'ready'
		CHECK (status IN ('ready', 'accepted', 'rejected')),
	-- the generator's own estimate, and that estimate moved by feedback
	base_quality double precision NOT NULL DEFAULT 0.5
		CHECK (base_quality BETWEEN 0 AND 1),
	quality_score double precision NOT NULL DEFAULT 0.5
		CHECK (quality_score BETWEEN 0 AND 1),
	difficulty_level integer CHECK (difficulty_level BETWEEN 1 AND 10),
	-- hidden once feedback took its quality below the threshold
	hidden_at timestamptz,
	edited boolean NOT NULL DEFAULT false,
	-- where the generator put it among its proposals (best first)
	position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	job_id uuid REFERENCES jobs (id) ON DELETE SET NULL,
	-- the note an accepted card became
	note_id uuid,
	decided_by uuid,
	decided_at timestamptz,
	-- the same card or question is proposed once per material
	fingerprint text NOT NULL GENERATED ALWAYS AS (md5(asset_type || ':' ||
		CASE WHEN asset_type IN ('summary', 'key_terms')
			THEN coalesce(chunk_id::text, 'all')
			ELSE lower(coalesce(content->>'front', content->>'text',
				content->>'stem', '')) END)) STORED,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, org_id),
	UNIQUE (material_id, fingerprint),
	CHECK ((status = 'ready') = (decided_at IS NULL)),
	FOREIGN KEY (material_id, org_id) REFERENCES study_materials (id, org_id)
		ON DELETE CASCADE,
	-- a chunk of the same material
	FOREIGN KEY (chunk_id, material_id)
		REFERENCES content_chunks (id, material_id) ON DELETE CASCADE,
	FOREIGN KEY (note_id, org_id) REFERENCES flashcard_notes (id, org_id)
		ON DELETE SET NULL (note_id),
	FOREIGN KEY (decided_by, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX generated_assets_material_idx
	ON generated_assets (material_id, org_id, asset_type, quality_score DESC);
CREATE INDEX generated_assets_chunk_idx
	ON generated_assets (chunk_id, material_id);
CREATE INDEX generated_assets_type_idx ON generated_assets (asset_type);
CREATE INDEX generated_assets_status_idx ON generated_assets (status);
CREATE INDEX generated_assets_quality_idx ON generated_assets (quality_score);
CREATE INDEX generated_assets_difficulty_idx
	ON generated_assets (difficulty_level);
CREATE INDEX generated_assets_created_idx ON generated_assets (created_at);
CREATE INDEX generated_assets_job_idx ON generated_assets (job_id);
CREATE INDEX generated_assets_note_idx ON generated_assets (note_id, org_id);
CREATE INDEX generated_assets_decided_by_idx
	ON generated_assets (decided_by, org_id);
CREATE TRIGGER generated_assets_updated_at BEFORE UPDATE ON generated_assets
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('generated_assets');

-- Seed 001's learning sessions, in the table lesson sessions already use:
-- a session is a lesson's (lesson_id) or a material's (study, quiz or
-- review).
ALTER TABLE learning_sessions
	ADD CONSTRAINT learning_sessions_id_org_key UNIQUE (id, org_id),
	ALTER COLUMN lesson_id DROP NOT NULL,
	ADD COLUMN session_type text NOT NULL DEFAULT 'lesson'
		CHECK (session_type IN ('lesson', 'study', 'quiz', 'review')),
	ADD COLUMN study_material_id uuid,
	ADD COLUMN status text NOT NULL DEFAULT 'active'
		CHECK (status IN ('active', 'completed', 'abandoned')),
	ADD COLUMN total_interactions integer NOT NULL DEFAULT 0
		CHECK (total_interactions >= 0),
	ADD COLUMN completion_percentage double precision NOT NULL DEFAULT 0
		CHECK (completion_percentage BETWEEN 0 AND 100),
	-- what the session is made of (the assets, in order) and its state
	ADD COLUMN configuration jsonb CHECK (jsonb_typeof(configuration) = 'object'),
	ADD COLUMN session_data jsonb CHECK (jsonb_typeof(session_data) = 'object'),
	-- when retention folded session_data into progress_metrics
	ADD COLUMN archived_at timestamptz,
	ADD CONSTRAINT learning_sessions_kind_check CHECK (
		(session_type = 'lesson') = (lesson_id IS NOT NULL)
		AND (session_type = 'lesson') = (study_material_id IS NULL)),
	ADD CONSTRAINT learning_sessions_material_fk
		FOREIGN KEY (study_material_id, org_id)
		REFERENCES study_materials (id, org_id) ON DELETE CASCADE;
CREATE INDEX learning_sessions_material_idx
	ON learning_sessions (study_material_id, org_id);
CREATE INDEX learning_sessions_user_material_idx
	ON learning_sessions (user_id, org_id, study_material_id, started_at DESC)
	WHERE study_material_id IS NOT NULL;
CREATE INDEX learning_sessions_status_idx ON learning_sessions (status);
CREATE INDEX learning_sessions_type_idx ON learning_sessions (session_type);

-- Every answer, view, reveal or skip in a material's session.
CREATE TABLE interactions (
	id uuid NOT NULL DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	learning_session_id uuid NOT NULL,
	material_id uuid NOT NULL,
	generated_asset_id uuid,
	interaction_type text NOT NULL CHECK (interaction_type IN ('view',
		'answer', 'reveal', 'skip')),
	interaction_data jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(interaction_data) = 'object'
			AND octet_length(interaction_data::text) <= 8192),
	is_correct boolean,
	response_time_ms integer CHECK (response_time_ms BETWEEN 0 AND 3600000),
	confidence_level real CHECK (confidence_level BETWEEN 0 AND 1),
	feedback_data jsonb CHECK (jsonb_typeof(feedback_data) = 'object'),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (id, created_at),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (learning_session_id, org_id)
		REFERENCES learning_sessions (id, org_id) ON DELETE CASCADE,
	FOREIGN KEY (material_id, org_id) REFERENCES study_materials (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (generated_asset_id, org_id)
		REFERENCES generated_assets (id, org_id)
		ON DELETE SET NULL (generated_asset_id)
) PARTITION BY RANGE (created_at);
CREATE INDEX interactions_session_idx
	ON interactions (learning_session_id, org_id, created_at);
CREATE INDEX interactions_user_idx ON interactions (user_id, org_id, created_at);
CREATE INDEX interactions_material_idx ON interactions (material_id, org_id);
CREATE INDEX interactions_asset_idx
	ON interactions (generated_asset_id, org_id);
CREATE INDEX interactions_type_idx ON interactions (interaction_type);
CREATE INDEX interactions_correct_idx ON interactions (is_correct);
CREATE INDEX interactions_created_idx ON interactions (created_at);
CREATE TABLE interactions_default PARTITION OF interactions DEFAULT;
SELECT ludus_isolate('interactions');
SELECT ludus_isolate('interactions_default');
SELECT ensure_monthly_partitions('interactions',
	(now() - interval '1 month')::date, 14);

-- A learner's word on an asset: one per learner and asset, changed in
-- place.
CREATE TABLE user_feedback (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	generated_asset_id uuid NOT NULL,
	-- the interaction it was given in (interactions are partitioned, so
	-- this is not a foreign key; retention may remove it first)
	interaction_id uuid,
	feedback_type text NOT NULL CHECK (feedback_type IN ('rating',
		'comment', 'report')),
	rating integer CHECK (rating BETWEEN 1 AND 5),
	flags text[] NOT NULL DEFAULT '{}' CHECK (flags <@ ARRAY['wrong',
		'unclear', 'duplicate', 'too_easy', 'too_hard', 'offensive']),
	comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
	metadata jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(metadata) = 'object'),
	status text NOT NULL DEFAULT 'active'
		CHECK (status IN ('active', 'resolved', 'dismissed')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (user_id, generated_asset_id),
	CHECK (rating IS NOT NULL OR cardinality(flags) > 0
		OR length(btrim(comment)) > 0),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (generated_asset_id, org_id)
		REFERENCES generated_assets (id, org_id) ON DELETE CASCADE
);
CREATE INDEX user_feedback_user_idx ON user_feedback (user_id, org_id);
CREATE INDEX user_feedback_asset_idx
	ON user_feedback (generated_asset_id, org_id);
CREATE INDEX user_feedback_interaction_idx ON user_feedback (interaction_id);
CREATE INDEX user_feedback_type_idx ON user_feedback (feedback_type);
CREATE INDEX user_feedback_rating_idx ON user_feedback (rating);
CREATE INDEX user_feedback_created_idx ON user_feedback (created_at);
CREATE TRIGGER user_feedback_updated_at BEFORE UPDATE ON user_feedback
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('user_feedback');

-- How much one piece of feedback says the asset is good, 0 to 1: the
-- rating, cut to nothing by "wrong" or "offensive" and halved by "unclear"
-- or "duplicate"; a flag without a rating counts as a middling rating.
CREATE FUNCTION feedback_score(rating integer, flags text[]) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce((rating - 1) / 4.0, 0.5) * CASE
		WHEN flags && ARRAY['wrong', 'offensive'] THEN 0
		WHEN flags && ARRAY['unclear', 'duplicate'] THEN 0.5
		ELSE 1 END
$$;

-- An asset's quality is its generator's estimate, worth two opinions,
-- averaged with every learner's feedback.  It is hidden (and shown again
-- if feedback lifts it) when that falls below 0.35, or when half of
-- those who gave feedback or more say it is wrong or offensive: a
-- learner alone with her material hides a wrong card with one flag.
CREATE FUNCTION generated_asset_requality(asset uuid) RETURNS void
LANGUAGE sql AS $$
	UPDATE generated_assets a SET quality_score = q.quality,
		hidden_at = CASE WHEN q.n > 0 AND (q.quality < 0.35
				OR q.bad * 2 >= q.n)
			THEN coalesce(a.hidden_at, now()) END
	FROM (SELECT (2 * g.base_quality + coalesce(sum(feedback_score(f.rating,
			f.flags)) FILTER (WHERE f.id IS NOT NULL), 0))
			/ (2 + count(f.id)) AS quality, count(f.id) AS n,
			count(f.id) FILTER (WHERE f.flags && ARRAY['wrong',
				'offensive']) AS bad
		FROM generated_assets g
		LEFT JOIN user_feedback f ON f.generated_asset_id = g.id
			AND f.status = 'active'
		WHERE g.id = asset GROUP BY g.id, g.base_quality) q
	WHERE a.id = asset
$$;

CREATE FUNCTION user_feedback_after() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM generated_asset_requality(CASE WHEN TG_OP = 'DELETE'
		THEN OLD.generated_asset_id ELSE NEW.generated_asset_id END);
	RETURN NULL;
END
$$;
CREATE TRIGGER user_feedback_after AFTER INSERT OR UPDATE OR DELETE
	ON user_feedback FOR EACH ROW EXECUTE FUNCTION user_feedback_after();

-- Seed 001's progress metrics: what a session came to (time_period
-- 'session'), and month by month what retention folded away.
CREATE TABLE progress_metrics (
	id uuid NOT NULL DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	learning_session_id uuid,
	material_id uuid,
	metric_type text NOT NULL CHECK (metric_type IN ('accuracy',
		'response_time', 'study_time', 'interactions', 'completion',
		'sessions', 'assets_accepted')),
	metric_value double precision NOT NULL,
	metric_data jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(metric_data) = 'object'),
	recorded_at timestamptz NOT NULL DEFAULT now(),
	time_period text NOT NULL CHECK (time_period IN ('session', 'day',
		'week', 'month')),
	subject_area text CHECK (length(subject_area) <= 100),
	aggregation_type text NOT NULL CHECK (aggregation_type IN ('value',
		'sum', 'mean', 'count')),
	PRIMARY KEY (id, recorded_at),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (learning_session_id, org_id)
		REFERENCES learning_sessions (id, org_id)
		ON DELETE SET NULL (learning_session_id),
	FOREIGN KEY (material_id, org_id) REFERENCES study_materials (id, org_id)
		ON DELETE CASCADE
) PARTITION BY RANGE (recorded_at);
CREATE INDEX progress_metrics_user_idx
	ON progress_metrics (user_id, org_id, recorded_at);
CREATE INDEX progress_metrics_session_idx
	ON progress_metrics (learning_session_id, org_id);
CREATE INDEX progress_metrics_material_idx
	ON progress_metrics (material_id, org_id);
CREATE INDEX progress_metrics_type_idx ON progress_metrics (metric_type);
CREATE INDEX progress_metrics_recorded_idx ON progress_metrics (recorded_at);
CREATE INDEX progress_metrics_period_idx ON progress_metrics (time_period);
CREATE INDEX progress_metrics_subject_idx ON progress_metrics (subject_area);
CREATE TABLE progress_metrics_default PARTITION OF progress_metrics DEFAULT;
SELECT ludus_isolate('progress_metrics');
SELECT ludus_isolate('progress_metrics_default');
SELECT ensure_monthly_partitions('progress_metrics',
	(now() - interval '1 month')::date, 14);

-- A material's jobs, found from it.
CREATE INDEX jobs_material_idx ON jobs ((payload->>'material_id'), created_at)
	WHERE kind LIKE 'materials.%';

-- A material follows its jobs: when its processing fails or is cancelled
-- (the job's own transaction was rolled back), it is failed, with the
-- job's reason.
CREATE FUNCTION jobs_material_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE study_materials SET status = 'failed',
		error = coalesce(NEW.error, 'The job was cancelled.')
	WHERE id = (NEW.payload->>'material_id')::uuid AND status = 'processing';
	RETURN NULL;
END
$$;
CREATE TRIGGER jobs_material_status AFTER UPDATE OF status ON jobs
	FOR EACH ROW WHEN (NEW.kind = 'materials.process'
		AND NEW.status IN ('failed', 'cancelled'))
	EXECUTE FUNCTION jobs_material_status();

-- How a user stands to a material: 'owner' (theirs), 'editor' (a course
-- material they may change: an author of the course, or content.all when
-- edit_all), 'learner' (enrolled in its published course: sees it ready,
-- with its accepted assets), or null.
CREATE FUNCTION material_role(m study_materials, uid uuid, edit_all boolean)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN m.deleted_at IS NOT NULL THEN NULL
		WHEN m.course_id IS NULL THEN
			CASE WHEN m.user_id = uid THEN 'owner' END
		WHEN (SELECT c.deleted_at FROM courses c WHERE c.id = m.course_id)
			IS NOT NULL THEN NULL
		WHEN edit_all OR EXISTS (SELECT 1 FROM courses c
				WHERE c.id = m.course_id AND c.owner_id = uid)
			OR EXISTS (SELECT 1 FROM course_collaborators k
				WHERE k.course_id = m.course_id AND k.user_id = uid)
			THEN 'editor'
		WHEN m.status = 'ready' AND EXISTS (SELECT 1 FROM enrollments e
				JOIN courses c ON c.id = e.course_id
			WHERE e.user_id = uid AND e.course_id = m.course_id
				AND e.status = 'active' AND c.status = 'published'
				AND c.deleted_at IS NULL)
			THEN 'learner'
	END
$$;

-- A material as the API shows it, for a user with that role.
CREATE FUNCTION material_json(m study_materials, role text) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', m.id, 'title', m.title,
		'description', m.description, 'source_type', m.source_type,
		'source_url', m.source_url, 'file_name', m.file_name,
		'media_type', m.media_type, 'byte_size', m.byte_size,
		'sha256', m.sha256, 'metadata', m.metadata, 'status', m.status,
		'error', m.error, 'content_length', m.content_length,
		'word_count', m.word_count, 'language', m.language,
		'difficulty_level', m.difficulty_level,
		'subject_area', m.subject_area, 'tags', m.tags,
		'course_id', m.course_id, 'user_id', m.user_id, 'role', role,
		'version', m.version, 'processed_at', m.processed_at,
		'created_at', m.created_at, 'updated_at', m.updated_at,
		'chunks', (SELECT count(*) FROM content_chunks c
			WHERE c.material_id = m.id),
		'assets', (SELECT json_build_object(
				'ready', count(*) FILTER (WHERE a.status = 'ready'),
				'accepted', count(*) FILTER (WHERE a.status = 'accepted'),
				'rejected', count(*) FILTER (WHERE a.status = 'rejected'),
				'hidden', count(*) FILTER (WHERE a.hidden_at IS NOT NULL))
			FROM generated_assets a WHERE a.material_id = m.id),
		'job', (SELECT json_build_object('id', j.id, 'kind', j.kind,
				'status', j.status, 'progress', j.progress,
				'error', j.error, 'attempts', j.attempts)
			FROM jobs j WHERE j.payload->>'material_id' = m.id::text
				AND j.kind LIKE 'materials.%'
			ORDER BY j.created_at DESC LIMIT 1))
$$;

-- An asset as the API shows it.
CREATE FUNCTION generated_asset_json(a generated_assets) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', a.id, 'material_id', a.material_id,
		'chunk_id', a.chunk_id, 'asset_type', a.asset_type,
		'content', a.content, 'source', a.metadata->'source',
		'generation_model', a.generation_model,
		'generation_params', a.generation_params, 'status', a.status,
		'quality_score', round(a.quality_score::numeric, 3),
		'difficulty_level', a.difficulty_level,
		'hidden', a.hidden_at IS NOT NULL, 'edited', a.edited,
		'version', a.version, 'note_id', a.note_id,
		'decided_at', a.decided_at, 'created_at', a.created_at,
		'updated_at', a.updated_at)
$$;

-- How many more materials a learner may add, and bytes they may store.
CREATE FUNCTION material_room(uid uuid, p_count integer, p_bytes bigint)
RETURNS TABLE (count_left integer, bytes_left bigint)
LANGUAGE sql STABLE AS $$
	SELECT p_count - count(*)::integer,
		p_bytes - coalesce(sum(byte_size), 0)::bigint
	FROM study_materials WHERE user_id = uid AND deleted_at IS NULL
$$;

-- Accepted cards go into a deck of the material's: the learner's own for
-- their material, the course's for a course's (where its learners review
-- them); one deck per material.
ALTER TABLE flashcard_sets DROP CONSTRAINT flashcard_sets_source_check,
	ADD CONSTRAINT flashcard_sets_source_check
		CHECK (source IN ('mistakes', 'material')),
	DROP CONSTRAINT flashcard_sets_check1,
	ADD CONSTRAINT flashcard_sets_mistakes_owner_check
		CHECK (source IS DISTINCT FROM 'mistakes' OR owner_id IS NOT NULL),
	ADD COLUMN material_id uuid,
	ADD CONSTRAINT flashcard_sets_material_fk FOREIGN KEY (material_id, org_id)
		REFERENCES study_materials (id, org_id) ON DELETE SET NULL (material_id),
	ADD CONSTRAINT flashcard_sets_material_check
		CHECK (material_id IS NULL OR source = 'material');
CREATE INDEX flashcard_sets_material_idx
	ON flashcard_sets (material_id, org_id);
CREATE UNIQUE INDEX flashcard_sets_material_key ON flashcard_sets (material_id)
	WHERE source = 'material' AND deleted_at IS NULL;
