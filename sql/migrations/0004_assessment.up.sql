-- 0004_assessment: the question bank, assessments (quizzes, practice exams
-- and exam simulations), attempts and their answers.
--
-- A question's shape per type lives in body (docs/questions.md); ludus
-- checks it in C (src/assessment/question.c) before it gets here.  An
-- attempt freezes its questions: each answer row keeps the question as it
-- was when the attempt began, so later edits change no one's result.

CREATE TABLE questions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	owner_id uuid NOT NULL,
	-- seed 003's question_id: the id in the file it came from
	external_id text CHECK (external_id ~ '^[A-Za-z0-9._:-]{1,100}$'),
	-- sha-256 of type, stem and body: finds a re-imported question
	-- that has no external id
	content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
	type text NOT NULL CHECK (type IN ('single_choice', 'multiple_select',
		'true_false', 'fill_blank', 'matching', 'ordering')),
	stem text NOT NULL CHECK (length(btrim(stem)) BETWEEN 1 AND 5000),
	explanation text CHECK (length(explanation) <= 5000),
	body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'
		AND length(body::text) <= 100000),
	exam_id uuid REFERENCES exams (id),
	domain_id uuid,
	objective_codes text[] NOT NULL DEFAULT '{}'
		CHECK (objective_codes_ok(objective_codes)
			AND cardinality(objective_codes) <= 20),
	difficulty smallint NOT NULL DEFAULT 3 CHECK (difficulty BETWEEN 1 AND 5),
	tags text[] NOT NULL DEFAULT '{}' CHECK (tags_ok(tags)),
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'active', 'retired')),
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	search_text text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	CHECK (domain_id IS NULL OR exam_id IS NOT NULL),
	CHECK (exam_id IS NOT NULL OR cardinality(objective_codes) = 0),
	FOREIGN KEY (owner_id, org_id) REFERENCES users (id, org_id),
	FOREIGN KEY (domain_id, exam_id) REFERENCES exam_domains (id, exam_id)
);
CREATE UNIQUE INDEX questions_external_key ON questions (org_id, external_id);
CREATE INDEX questions_owner_idx ON questions (owner_id, org_id);
CREATE INDEX questions_hash_idx ON questions (org_id, content_hash);
CREATE INDEX questions_exam_idx ON questions (exam_id);
CREATE INDEX questions_domain_idx ON questions (domain_id, exam_id);
CREATE INDEX questions_bank_idx ON questions (org_id, exam_id, status, domain_id)
	WHERE deleted_at IS NULL;
CREATE INDEX questions_list_idx ON questions (org_id, created_at DESC, id DESC);
CREATE INDEX questions_objectives_idx ON questions USING gin (objective_codes);
CREATE INDEX questions_tags_idx ON questions USING gin (tags);
CREATE INDEX questions_search_trgm_idx ON questions USING gin (search_text gin_trgm_ops);

-- The domain follows from the objectives (the first one's), and every
-- objective is one of the exam's; the version moves on every change.
CREATE FUNCTION questions_before_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	bad text;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.version := OLD.version + 1;
	END IF;
	IF cardinality(NEW.objective_codes) > 0 THEN
		SELECT c INTO bad FROM unnest(NEW.objective_codes) c
		WHERE NOT EXISTS (SELECT 1 FROM exam_objectives o
			WHERE o.exam_id = NEW.exam_id AND o.code = c)
		LIMIT 1;
		IF bad IS NOT NULL THEN
			RAISE EXCEPTION 'objective % is not in the exam', bad
				USING ERRCODE = 'check_violation',
				CONSTRAINT = 'questions_objectives_in_exam';
		END IF;
		IF NEW.domain_id IS NULL THEN
			SELECT o.domain_id INTO NEW.domain_id FROM exam_objectives o
			WHERE o.exam_id = NEW.exam_id
				AND o.code = NEW.objective_codes[1];
		ELSIF NOT EXISTS (SELECT 1 FROM exam_objectives o
			WHERE o.exam_id = NEW.exam_id AND o.code = NEW.objective_codes[1]
				AND o.domain_id = NEW.domain_id) THEN
			RAISE EXCEPTION 'the first objective is not in the domain'
				USING ERRCODE = 'check_violation',
				CONSTRAINT = 'questions_objectives_in_domain';
		END IF;
	END IF;
	NEW.search_text := lower(left(NEW.stem || ' ' ||
		array_to_string(NEW.tags, ' '), 6000));
	RETURN NEW;
END
$$;
CREATE TRIGGER questions_before_write BEFORE INSERT OR UPDATE ON questions
	FOR EACH ROW EXECUTE FUNCTION questions_before_write();
CREATE TRIGGER questions_updated_at BEFORE UPDATE ON questions
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A question as the authoring API shows it (docs/questions.md).
CREATE FUNCTION question_json(q questions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', q.id, 'external_id', q.external_id,
		'type', q.type, 'stem', q.stem, 'explanation', q.explanation,
		'exam', e.code, 'domain', d.code, 'objectives', q.objective_codes,
		'difficulty', q.difficulty, 'tags', q.tags, 'status', q.status,
		'body', q.body, 'owner_id', q.owner_id, 'version', q.version,
		'created_at', q.created_at, 'updated_at', q.updated_at,
		'deleted_at', q.deleted_at)
	FROM (SELECT 1) one
	LEFT JOIN exams e ON e.id = q.exam_id
	LEFT JOIN exam_domains d ON d.id = q.domain_id
$$;

-- What looks wrong with a question, once 10 finished attempts have seen
-- it: n attempts, p the share of credit, r the discrimination, unpicked
-- the options nobody chose.
CREATE FUNCTION question_flags(n bigint, p numeric, r double precision,
	unpicked text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN n < 10 THEN '{}'::text[] ELSE array_remove(ARRAY[
		CASE WHEN r < 0 THEN 'negative_discrimination' END,
		CASE WHEN r >= 0 AND r < 0.1 THEN 'low_discrimination' END,
		CASE WHEN cardinality(unpicked) > 0 THEN 'unused_option' END,
		CASE WHEN p < 0.2 THEN 'very_hard' END,
		CASE WHEN p > 0.95 THEN 'very_easy' END], NULL) END
$$;

-- ---- Assessments ----

CREATE TABLE assessments (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	owner_id uuid NOT NULL,
	kind text NOT NULL DEFAULT 'quiz'
		CHECK (kind IN ('quiz', 'practice_exam', 'exam_simulation')),
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
	description text CHECK (length(description) <= 5000),
	exam_id uuid REFERENCES exams (id),
	-- the lesson (a quiz or practice exam in a course) this completes
	lesson_id uuid,
	-- 'fixed': assessment_questions; 'rules': drawn at each attempt
	selection text NOT NULL DEFAULT 'fixed'
		CHECK (selection IN ('fixed', 'rules')),
	-- {"domains": [{"code", "count" | "weight"}], "difficulty": {"min",
	--  "max"}, "objectives": [...], "tags": [...]}
	rules jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(rules) = 'object'
		AND length(rules::text) <= 10000),
	-- questions drawn by the rules
	question_count integer CHECK (question_count BETWEEN 1 AND 500),
	shuffle_questions boolean NOT NULL DEFAULT true,
	shuffle_options boolean NOT NULL DEFAULT true,
	time_limit_seconds integer CHECK (time_limit_seconds BETWEEN 60 AND 86400),
	passing_percent numeric(5, 2) NOT NULL DEFAULT 70
		CHECK (passing_percent BETWEEN 0 AND 100),
	max_attempts integer CHECK (max_attempts BETWEEN 1 AND 1000),
	available_from timestamptz,
	available_until timestamptz,
	-- 'immediate': an answer is final and explained as soon as it is saved
	feedback text NOT NULL DEFAULT 'end' CHECK (feedback IN ('immediate', 'end')),
	partial_credit boolean NOT NULL DEFAULT true,
	status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	published_at timestamptz,
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	CHECK ((status = 'published') = (published_at IS NOT NULL)),
	CONSTRAINT assessments_available_until_check CHECK (available_until IS NULL
		OR available_from IS NULL OR available_until > available_from),
	CHECK (selection = 'fixed' OR question_count IS NOT NULL),
	CHECK (kind <> 'exam_simulation' OR exam_id IS NOT NULL),
	FOREIGN KEY (owner_id, org_id) REFERENCES users (id, org_id),
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
);
CREATE INDEX assessments_owner_idx ON assessments (owner_id, org_id);
CREATE INDEX assessments_exam_idx ON assessments (exam_id);
CREATE INDEX assessments_lesson_idx ON assessments (lesson_id, org_id);
CREATE INDEX assessments_list_idx ON assessments (org_id, created_at DESC, id DESC);

CREATE FUNCTION assessments_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.version := OLD.version + 1;
	RETURN NEW;
END
$$;
CREATE TRIGGER assessments_before_update BEFORE UPDATE ON assessments
	FOR EACH ROW EXECUTE FUNCTION assessments_before_update();
CREATE TRIGGER assessments_updated_at BEFORE UPDATE ON assessments
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The fixed list of an assessment, in order.
CREATE TABLE assessment_questions (
	assessment_id uuid NOT NULL,
	question_id uuid NOT NULL,
	org_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 1),
	points numeric(6, 2) NOT NULL DEFAULT 1 CHECK (points > 0 AND points <= 100),
	PRIMARY KEY (assessment_id, question_id),
	UNIQUE (assessment_id, position),
	FOREIGN KEY (assessment_id, org_id) REFERENCES assessments (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (question_id, org_id) REFERENCES questions (id, org_id)
);
CREATE INDEX assessment_questions_assessment_org_idx
	ON assessment_questions (assessment_id, org_id);
CREATE INDEX assessment_questions_question_idx
	ON assessment_questions (question_id, org_id);

-- ---- Attempts ----

CREATE TABLE attempts (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	assessment_id uuid NOT NULL,
	-- 1 for my first attempt at this assessment, 2 for the next...
	number integer NOT NULL CHECK (number >= 1),
	status text NOT NULL DEFAULT 'in_progress'
		CHECK (status IN ('in_progress', 'submitted', 'expired')),
	started_at timestamptz NOT NULL DEFAULT now(),
	-- the time limit, or the end of the availability window
	deadline_at timestamptz,
	finished_at timestamptz,
	-- frozen from the assessment when the attempt began
	kind text NOT NULL,
	exam_id uuid REFERENCES exams (id),
	passing_percent numeric(5, 2) NOT NULL,
	feedback text NOT NULL CHECK (feedback IN ('immediate', 'end')),
	partial_credit boolean NOT NULL,
	question_count integer NOT NULL CHECK (question_count > 0),
	max_score numeric(8, 2) NOT NULL CHECK (max_score > 0),
	-- the author trying their own or an unpublished assessment: left out
	-- of the question statistics
	preview boolean NOT NULL DEFAULT false,
	-- the result, once finished
	score numeric(8, 2),
	correct_count integer,
	percentage numeric(5, 2) CHECK (percentage BETWEEN 0 AND 100),
	passed boolean,
	-- 100-900 for an exam simulation (README: the scaling)
	scaled_score integer,
	-- {"1.0": {"name", "questions", "correct", "score", "max_score",
	--  "percent"}, ...}
	domain_scores jsonb CHECK (jsonb_typeof(domain_scores) = 'object'),
	time_taken_seconds integer CHECK (time_taken_seconds >= 0),
	UNIQUE (id, org_id),
	UNIQUE (id, started_at, user_id),
	UNIQUE (assessment_id, user_id, number),
	CHECK (deadline_at IS NULL OR deadline_at > started_at),
	CHECK ((status = 'in_progress') = (finished_at IS NULL)),
	CHECK ((status = 'in_progress') = (score IS NULL)),
	CHECK ((score IS NULL) = (percentage IS NULL)
		AND (score IS NULL) = (passed IS NULL)
		AND (score IS NULL) = (correct_count IS NULL)
		AND (score IS NULL) = (domain_scores IS NULL)),
	CHECK (score IS NULL OR score BETWEEN 0 AND max_score),
	CHECK (correct_count IS NULL OR correct_count BETWEEN 0 AND question_count),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (assessment_id, org_id) REFERENCES assessments (id, org_id)
		ON DELETE CASCADE
);
-- One attempt in progress per learner and assessment.
CREATE UNIQUE INDEX attempts_open_key ON attempts (assessment_id, user_id)
	WHERE status = 'in_progress';
CREATE INDEX attempts_user_idx ON attempts (user_id, org_id, started_at DESC);
CREATE INDEX attempts_assessment_idx ON attempts (assessment_id, org_id);
CREATE INDEX attempts_exam_idx ON attempts (exam_id);
CREATE INDEX attempts_deadline_idx ON attempts (deadline_at)
	WHERE status = 'in_progress';

-- One row per question of an attempt: the frozen question, where its
-- options were shown, and my answer.  Answers are the busiest table of all:
-- partitioned by month of the attempt's start, as DESIGN.md asks.
CREATE TABLE attempt_answers (
	attempt_id uuid NOT NULL,
	started_at timestamptz NOT NULL,
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	question_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 1),
	points numeric(6, 2) NOT NULL CHECK (points > 0),
	type text NOT NULL,
	stem text NOT NULL,
	explanation text,
	body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
	domain_code text,
	objective_codes text[] NOT NULL DEFAULT '{}',
	-- the question's keys in the order shown: {"options": ["C", "A", ...]}
	layout jsonb NOT NULL CHECK (jsonb_typeof(layout) = 'object'),
	-- my answer in the question's own keys: {"choice": "C"} ...
	answer jsonb CHECK (jsonb_typeof(answer) = 'object'),
	answered_at timestamptz,
	changes integer NOT NULL DEFAULT 0 CHECK (changes >= 0),
	flagged boolean NOT NULL DEFAULT false,
	time_spent_seconds integer NOT NULL DEFAULT 0
		CHECK (time_spent_seconds BETWEEN 0 AND 86400),
	-- immediate feedback: the answer was checked and is final
	locked boolean NOT NULL DEFAULT false,
	credit numeric(6, 5) CHECK (credit BETWEEN 0 AND 1),
	is_correct boolean,
	PRIMARY KEY (attempt_id, position, started_at),
	UNIQUE (attempt_id, question_id, started_at),
	CHECK ((answer IS NULL) = (answered_at IS NULL)),
	CHECK ((credit IS NULL) = (is_correct IS NULL)),
	CHECK (is_correct IS NULL OR is_correct = (credit = 1)),
	FOREIGN KEY (attempt_id, started_at, user_id)
		REFERENCES attempts (id, started_at, user_id) ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (question_id, org_id) REFERENCES questions (id, org_id)
) PARTITION BY RANGE (started_at);
CREATE INDEX attempt_answers_attempt_idx
	ON attempt_answers (attempt_id, started_at, user_id);
CREATE INDEX attempt_answers_user_idx ON attempt_answers (user_id, org_id);
CREATE INDEX attempt_answers_question_idx
	ON attempt_answers (question_id, org_id);
CREATE TABLE attempt_answers_default PARTITION OF attempt_answers DEFAULT;
-- This month, the one before and a year ahead, as for the event streams.
SELECT ensure_monthly_partitions('attempt_answers',
	(now() - interval '1 month')::date, 14);
