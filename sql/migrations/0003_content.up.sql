-- 0003_content: the exam catalog (exams, domains, objectives), courses,
-- units and lessons with their versions and prerequisites, learning paths,
-- and the learner's side: enrollments, lesson progress, learning sessions
-- and bookmarks.

-- ---- The exam catalog: reference data shared by every organization. ----

CREATE TABLE exams (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- seed 003's exam types
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,31}$'),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	vendor text NOT NULL DEFAULT 'CompTIA' CHECK (length(vendor) <= 100),
	exam_number text NOT NULL CHECK (length(exam_number) <= 40),
	max_questions integer NOT NULL CHECK (max_questions > 0),
	minutes integer NOT NULL CHECK (minutes > 0),
	scale_min integer NOT NULL,
	scale_max integer NOT NULL,
	passing_score integer NOT NULL,
	position integer NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (scale_min < scale_max AND passing_score BETWEEN scale_min AND scale_max)
);
CREATE TRIGGER exams_updated_at BEFORE UPDATE ON exams
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE exam_domains (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	exam_id uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
	code text NOT NULL CHECK (code ~ '^[0-9]{1,2}\.0$'),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	-- share of the exam, in percent
	weight numeric(5, 2) NOT NULL CHECK (weight > 0 AND weight <= 100),
	UNIQUE (exam_id, code),
	UNIQUE (id, exam_id)
);

CREATE TABLE exam_objectives (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	exam_id uuid NOT NULL,
	domain_id uuid NOT NULL,
	code text NOT NULL CHECK (code ~ '^[0-9]{1,2}\.[0-9]{1,2}$'),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	UNIQUE (exam_id, code),
	FOREIGN KEY (domain_id, exam_id) REFERENCES exam_domains (id, exam_id)
		ON DELETE CASCADE
);
CREATE INDEX exam_objectives_domain_idx ON exam_objectives (domain_id, exam_id);

-- An objective's code starts with its domain's number ("2.3" is in "2.0").
CREATE FUNCTION exam_objective_in_domain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM exam_domains d WHERE d.id = NEW.domain_id
		AND split_part(d.code, '.', 1) = split_part(NEW.code, '.', 1)) THEN
		RAISE EXCEPTION 'objective % is not in the domain it names', NEW.code
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER exam_objectives_in_domain BEFORE INSERT OR UPDATE
	ON exam_objectives FOR EACH ROW EXECUTE FUNCTION exam_objective_in_domain();

-- ...and a domain keeps its number while it has objectives.
CREATE FUNCTION exam_domain_keeps_objectives() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM exam_objectives o WHERE o.domain_id = NEW.id
		AND split_part(o.code, '.', 1) <> split_part(NEW.code, '.', 1)) THEN
		RAISE EXCEPTION 'domain % has objectives of another number', NEW.code
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER exam_domains_keep_objectives BEFORE UPDATE OF code
	ON exam_domains FOR EACH ROW EXECUTE FUNCTION exam_domain_keeps_objectives();

-- Tags: lowercase words with '-' (e.g. "subnetting", "ipv6", "osi-model").
CREATE FUNCTION tags_ok(tags text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT cardinality(tags) <= 20 AND NOT EXISTS (
		SELECT 1 FROM unnest(tags) t
		WHERE t IS NULL OR t !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR length(t) > 40)
$$;

-- Objective codes such as "1.1" or "4.3".
CREATE FUNCTION objective_codes_ok(codes text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT cardinality(codes) <= 50 AND NOT EXISTS (
		SELECT 1 FROM unnest(codes) c
		WHERE c IS NULL OR c !~ '^[0-9]{1,2}\.[0-9]{1,2}$')
$$;

-- ---- Courses, units and lessons. ----

CREATE TABLE courses (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	owner_id uuid NOT NULL,
	exam_id uuid REFERENCES exams (id),
	slug text NOT NULL CHECK (length(slug) <= 80
		AND slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
	summary text CHECK (length(summary) <= 500),
	description text CHECK (length(description) <= 20000),
	difficulty text NOT NULL DEFAULT 'beginner'
		CHECK (difficulty IN ('beginner', 'intermediate', 'advanced')),
	language text NOT NULL DEFAULT 'en'
		CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
	tags text[] NOT NULL DEFAULT '{}' CHECK (tags_ok(tags)),
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'published')),
	published_at timestamptz,
	-- Bumped on every change: the ETag of optimistic concurrency.
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	search tsvector NOT NULL DEFAULT ''::tsvector,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	CHECK ((status = 'published') = (published_at IS NOT NULL)),
	FOREIGN KEY (owner_id, org_id) REFERENCES users (id, org_id)
);
CREATE UNIQUE INDEX courses_slug_key ON courses (org_id, slug);
CREATE INDEX courses_owner_idx ON courses (owner_id, org_id);
CREATE INDEX courses_exam_idx ON courses (exam_id);
CREATE INDEX courses_catalog_idx ON courses (org_id, status, created_at DESC, id DESC)
	WHERE deleted_at IS NULL;
CREATE INDEX courses_tags_idx ON courses USING gin (tags);
CREATE INDEX courses_search_idx ON courses USING gin (search);
CREATE INDEX courses_title_trgm_idx ON courses USING gin (lower(title) gin_trgm_ops);

CREATE TABLE course_collaborators (
	course_id uuid NOT NULL,
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	added_by uuid,
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (course_id, user_id),
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX course_collaborators_course_org_idx
	ON course_collaborators (course_id, org_id);
CREATE INDEX course_collaborators_user_idx
	ON course_collaborators (user_id, org_id);

CREATE TABLE units (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL,
	course_id uuid NOT NULL,
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
	summary text CHECK (length(summary) <= 500),
	position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	UNIQUE (id, course_id),
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
);
CREATE INDEX units_course_idx ON units (course_id, org_id, position);

CREATE TABLE lessons (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL,
	course_id uuid NOT NULL,
	unit_id uuid NOT NULL,
	-- 000's learning components and 002's lessons are one thing
	kind text NOT NULL DEFAULT 'lesson' CHECK (kind IN ('lesson', 'video',
		'flashcards', 'quiz', 'lab', 'simulation', 'practice_exam',
		'study_guide')),
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
	summary text CHECK (length(summary) <= 500),
	position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
	estimated_minutes integer NOT NULL DEFAULT 10
		CHECK (estimated_minutes BETWEEN 1 AND 600),
	difficulty text NOT NULL DEFAULT 'beginner'
		CHECK (difficulty IN ('beginner', 'intermediate', 'advanced')),
	objective_codes text[] NOT NULL DEFAULT '{}'
		CHECK (objective_codes_ok(objective_codes)),
	-- {"markdown": "...", "media": [{"type", "url", "title"}],
	--  "chapters": [{"title", "start_seconds"}]}
	content jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(content) = 'object'
			AND length(content::text) <= 200000),
	-- content.markdown rendered by ludus (md4c, no raw HTML, safe links)
	content_html text NOT NULL DEFAULT '',
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'published')),
	published_at timestamptz,
	language text NOT NULL DEFAULT 'en'
		CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
	tags text[] NOT NULL DEFAULT '{}' CHECK (tags_ok(tags)),
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	search tsvector NOT NULL DEFAULT ''::tsvector,
	-- the lesson's words, for typo-tolerant (trigram) matching
	search_text text NOT NULL DEFAULT '',
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	UNIQUE (id, course_id),
	CHECK ((status = 'published') = (published_at IS NOT NULL)),
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id),
	FOREIGN KEY (unit_id, course_id) REFERENCES units (id, course_id),
	FOREIGN KEY (unit_id, org_id) REFERENCES units (id, org_id)
);
CREATE INDEX lessons_course_idx ON lessons (course_id, org_id);
CREATE INDEX lessons_unit_idx ON lessons (unit_id, course_id, position);
CREATE INDEX lessons_unit_org_idx ON lessons (unit_id, org_id);
CREATE INDEX lessons_objectives_idx ON lessons USING gin (objective_codes);
CREATE INDEX lessons_tags_idx ON lessons USING gin (tags);
CREATE INDEX lessons_search_idx ON lessons USING gin (search);
CREATE INDEX lessons_search_trgm_idx ON lessons USING gin (search_text gin_trgm_ops);

CREATE TABLE lesson_prerequisites (
	lesson_id uuid NOT NULL,
	prerequisite_id uuid NOT NULL,
	org_id uuid NOT NULL,
	PRIMARY KEY (lesson_id, prerequisite_id),
	CHECK (lesson_id <> prerequisite_id),
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (prerequisite_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX lesson_prerequisites_lesson_org_idx
	ON lesson_prerequisites (lesson_id, org_id);
CREATE INDEX lesson_prerequisites_prereq_idx
	ON lesson_prerequisites (prerequisite_id, org_id);

-- No cycles: a lesson cannot (even indirectly) require itself.
CREATE FUNCTION lesson_prerequisites_acyclic() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	-- Changes to prerequisites take turns per organization: the check
	-- below (its own statement, so a fresh snapshot) then sees what the
	-- one before committed, and two edits cannot close a cycle together.
	PERFORM pg_advisory_xact_lock(hashtextextended(
		'ludus.prerequisites:' || NEW.org_id::text, 0));
	IF EXISTS (
		WITH RECURSIVE up (id) AS (
			SELECT NEW.prerequisite_id
			UNION
			SELECT p.prerequisite_id FROM lesson_prerequisites p
			JOIN up ON p.lesson_id = up.id)
		SELECT 1 FROM up WHERE id = NEW.lesson_id) THEN
		RAISE EXCEPTION 'prerequisites would form a cycle'
			USING ERRCODE = 'check_violation',
			CONSTRAINT = 'lesson_prerequisites_acyclic';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER lesson_prerequisites_acyclic BEFORE INSERT OR UPDATE
	ON lesson_prerequisites FOR EACH ROW
	EXECUTE FUNCTION lesson_prerequisites_acyclic();

-- Earlier versions of a lesson, kept on every change of its content.
CREATE TABLE lesson_versions (
	lesson_id uuid NOT NULL,
	org_id uuid NOT NULL,
	version integer NOT NULL CHECK (version > 0),
	kind text NOT NULL,
	title text NOT NULL,
	summary text,
	estimated_minutes integer NOT NULL,
	difficulty text NOT NULL,
	objective_codes text[] NOT NULL,
	content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
	content_html text NOT NULL,
	tags text[] NOT NULL,
	language text NOT NULL,
	saved_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (lesson_id, version),
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX lesson_versions_lesson_org_idx ON lesson_versions (lesson_id, org_id);

-- Versions and search text: courses and lessons.
CREATE FUNCTION courses_before_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.version := OLD.version + 1;
	END IF;
	NEW.search :=
		setweight(to_tsvector('english', NEW.title), 'A') ||
		setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
		setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B') ||
		setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C');
	RETURN NEW;
END
$$;
CREATE TRIGGER courses_before_write BEFORE INSERT OR UPDATE ON courses
	FOR EACH ROW EXECUTE FUNCTION courses_before_write();
CREATE TRIGGER courses_updated_at BEFORE UPDATE ON courses
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE FUNCTION lessons_before_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.version := OLD.version + 1;
		IF (NEW.title, NEW.summary, NEW.kind, NEW.estimated_minutes,
			NEW.difficulty, NEW.objective_codes, NEW.content, NEW.tags,
			NEW.language) IS DISTINCT FROM (OLD.title, OLD.summary, OLD.kind,
			OLD.estimated_minutes, OLD.difficulty, OLD.objective_codes,
			OLD.content, OLD.tags, OLD.language) THEN
			INSERT INTO lesson_versions (lesson_id, org_id, version, kind,
				title, summary, estimated_minutes, difficulty,
				objective_codes, content, content_html, tags, language)
			VALUES (OLD.id, OLD.org_id, OLD.version, OLD.kind, OLD.title,
				OLD.summary, OLD.estimated_minutes, OLD.difficulty,
				OLD.objective_codes, OLD.content, OLD.content_html, OLD.tags,
				OLD.language)
			ON CONFLICT DO NOTHING;
		END IF;
	END IF;
	NEW.search :=
		setweight(to_tsvector('english', NEW.title), 'A') ||
		setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
		setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B') ||
		setweight(to_tsvector('english', coalesce(NEW.content->>'markdown', '')), 'C');
	NEW.search_text := lower(left(NEW.title || ' ' || coalesce(NEW.summary, '')
		|| ' ' || array_to_string(NEW.tags, ' ') || ' '
		|| coalesce(NEW.content->>'markdown', ''), 20000));
	RETURN NEW;
END
$$;
CREATE TRIGGER lessons_before_write BEFORE INSERT OR UPDATE ON lessons
	FOR EACH ROW EXECUTE FUNCTION lessons_before_write();
CREATE TRIGGER lessons_updated_at BEFORE UPDATE ON lessons
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER units_updated_at BEFORE UPDATE ON units
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---- Learning paths: an ordered list of courses. ----

CREATE TABLE learning_paths (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL,
	owner_id uuid NOT NULL,
	exam_id uuid REFERENCES exams (id),
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
	description text CHECK (length(description) <= 5000),
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'published')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	FOREIGN KEY (owner_id, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX learning_paths_owner_idx ON learning_paths (owner_id, org_id);
CREATE INDEX learning_paths_org_idx ON learning_paths (org_id, created_at);
CREATE INDEX learning_paths_exam_idx ON learning_paths (exam_id);
CREATE TRIGGER learning_paths_updated_at BEFORE UPDATE ON learning_paths
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE learning_path_courses (
	path_id uuid NOT NULL,
	course_id uuid NOT NULL,
	org_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 0),
	PRIMARY KEY (path_id, course_id),
	FOREIGN KEY (path_id, org_id) REFERENCES learning_paths (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX learning_path_courses_path_org_idx
	ON learning_path_courses (path_id, org_id, position);
CREATE INDEX learning_path_courses_course_idx
	ON learning_path_courses (course_id, org_id);

-- ---- The learner's side. ----

CREATE TABLE enrollments (
	user_id uuid NOT NULL,
	course_id uuid NOT NULL,
	org_id uuid NOT NULL,
	status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dropped')),
	-- derived from the course's published lessons and my progress in them
	progress_percent numeric(5, 2) NOT NULL DEFAULT 0
		CHECK (progress_percent BETWEEN 0 AND 100),
	enrolled_at timestamptz NOT NULL DEFAULT now(),
	completed_at timestamptz,
	last_activity_at timestamptz,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, course_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX enrollments_user_org_idx ON enrollments (user_id, org_id);
CREATE INDEX enrollments_course_idx ON enrollments (course_id, org_id);
CREATE TRIGGER enrollments_updated_at BEFORE UPDATE ON enrollments
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE lesson_progress (
	user_id uuid NOT NULL,
	lesson_id uuid NOT NULL,
	org_id uuid NOT NULL,
	course_id uuid NOT NULL,
	status text NOT NULL DEFAULT 'in_progress'
		CHECK (status IN ('not_started', 'in_progress', 'completed')),
	progress_percent numeric(5, 2) NOT NULL DEFAULT 0
		CHECK (progress_percent BETWEEN 0 AND 100),
	time_spent_seconds integer NOT NULL DEFAULT 0
		CHECK (time_spent_seconds >= 0),
	-- The API takes 2000 characters of compact JSON; the stored text has
	-- more spaces, hence the room.
	last_position jsonb CHECK (jsonb_typeof(last_position) = 'object'
		AND length(last_position::text) <= 4000),
	started_at timestamptz NOT NULL DEFAULT now(),
	completed_at timestamptz,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, lesson_id),
	CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
	CHECK (status <> 'completed' OR progress_percent = 100),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE,
	-- the course is the lesson's own
	FOREIGN KEY (lesson_id, course_id) REFERENCES lessons (id, course_id)
		ON DELETE CASCADE
);
CREATE INDEX lesson_progress_user_org_idx ON lesson_progress (user_id, org_id);
CREATE INDEX lesson_progress_lesson_course_idx
	ON lesson_progress (lesson_id, course_id);
CREATE INDEX lesson_progress_user_course_idx
	ON lesson_progress (user_id, course_id, status);
CREATE INDEX lesson_progress_lesson_idx ON lesson_progress (lesson_id, org_id);
CREATE INDEX lesson_progress_course_idx ON lesson_progress (course_id, org_id);
CREATE TRIGGER lesson_progress_updated_at BEFORE UPDATE ON lesson_progress
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A learner studying a lesson, from a browser tab.  Time is credited on
-- heartbeats; study_clocks makes several tabs count the time once.
CREATE TABLE learning_sessions (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	lesson_id uuid NOT NULL,
	started_at timestamptz NOT NULL DEFAULT now(),
	last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
	ended_at timestamptz,
	seconds_counted integer NOT NULL DEFAULT 0 CHECK (seconds_counted >= 0),
	completion_achieved boolean NOT NULL DEFAULT false,
	CHECK (ended_at IS NULL OR ended_at >= started_at),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX learning_sessions_user_idx
	ON learning_sessions (user_id, org_id, started_at);
CREATE INDEX learning_sessions_lesson_idx ON learning_sessions (lesson_id, org_id);
CREATE INDEX learning_sessions_open_idx ON learning_sessions (last_heartbeat_at)
	WHERE ended_at IS NULL;

CREATE TABLE study_clocks (
	user_id uuid PRIMARY KEY,
	org_id uuid NOT NULL,
	-- time up to here has been credited to some session
	counted_until timestamptz NOT NULL,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX study_clocks_user_org_idx ON study_clocks (user_id, org_id);

CREATE TABLE bookmarks (
	user_id uuid NOT NULL,
	lesson_id uuid NOT NULL,
	org_id uuid NOT NULL,
	note text CHECK (length(note) <= 2000),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, lesson_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX bookmarks_user_org_idx ON bookmarks (user_id, org_id, created_at);
CREATE INDEX bookmarks_lesson_idx ON bookmarks (lesson_id, org_id);
CREATE TRIGGER bookmarks_updated_at BEFORE UPDATE ON bookmarks
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Credits the time since the later of this session's last heartbeat and the
-- user's study clock (at most cap seconds) to the session and its lesson,
-- and moves the clock on.  Several tabs open at once thus count each second
-- once.  The clock row is locked first, so heartbeats of one user take
-- turns.  Returns the seconds credited, or NULL when the session is not the
-- user's or has ended.
CREATE FUNCTION study_heartbeat(session uuid, learner uuid, cap integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	s learning_sessions%ROWTYPE;
	clock timestamptz;
	credit integer;
BEGIN
	SELECT * INTO s FROM learning_sessions
	WHERE id = session AND user_id = learner AND ended_at IS NULL
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	INSERT INTO study_clocks (user_id, org_id, counted_until)
	VALUES (learner, s.org_id, s.started_at)
	ON CONFLICT (user_id) DO NOTHING;
	SELECT counted_until INTO clock FROM study_clocks
	WHERE user_id = learner FOR UPDATE;
	credit := greatest(0, least(cap, floor(extract(epoch FROM
		now() - greatest(s.last_heartbeat_at, clock)))))::integer;
	UPDATE learning_sessions SET last_heartbeat_at = now(),
		seconds_counted = seconds_counted + credit
	WHERE id = session;
	UPDATE study_clocks SET counted_until = greatest(counted_until, now())
	WHERE user_id = learner;
	UPDATE lesson_progress SET time_spent_seconds = time_spent_seconds + credit
	WHERE user_id = learner AND lesson_id = s.lesson_id;
	RETURN credit;
END
$$;

-- ---- The exam catalog's content. ----

INSERT INTO exams (code, name, exam_number, max_questions, minutes, scale_min,
	scale_max, passing_score, position) VALUES
	('network', 'CompTIA Network+', 'N10-009', 90, 90, 100, 900, 720, 1),
	('security', 'CompTIA Security+', 'SY0-701', 90, 90, 100, 900, 750, 2),
	('a1101', 'CompTIA A+ Core 1', '220-1101', 90, 90, 100, 900, 675, 3),
	('a1102', 'CompTIA A+ Core 2', '220-1102', 90, 90, 100, 900, 700, 4);

INSERT INTO exam_domains (exam_id, code, name, weight)
SELECT e.id, d.code, d.name, d.weight
FROM exams e
JOIN (VALUES
	('network', '1.0', 'Networking Concepts', 23),
	('network', '2.0', 'Network Implementation', 20),
	('network', '3.0', 'Network Operations', 19),
	('network', '4.0', 'Network Security', 14),
	('network', '5.0', 'Network Troubleshooting', 24),
	('security', '1.0', 'General Security Concepts', 12),
	('security', '2.0', 'Threats, Vulnerabilities, and Mitigations', 22),
	('security', '3.0', 'Security Architecture', 18),
	('security', '4.0', 'Security Operations', 28),
	('security', '5.0', 'Security Program Management and Oversight', 20),
	('a1101', '1.0', 'Mobile Devices', 13),
	('a1101', '2.0', 'Networking', 23),
	('a1101', '3.0', 'Hardware', 25),
	('a1101', '4.0', 'Virtualization and Cloud Computing', 11),
	('a1101', '5.0', 'Hardware and Network Troubleshooting', 28),
	('a1102', '1.0', 'Operating Systems', 31),
	('a1102', '2.0', 'Security', 25),
	('a1102', '3.0', 'Software Troubleshooting', 22),
	('a1102', '4.0', 'Operational Procedures', 22)
) AS d (exam, code, name, weight) ON d.exam = e.code;

-- Network+ N10-009, objective by objective (shared/data).
INSERT INTO exam_objectives (exam_id, domain_id, code, title)
SELECT d.exam_id, d.id, o.code, o.title
FROM exam_domains d
JOIN exams e ON e.id = d.exam_id AND e.code = 'network'
JOIN (VALUES
	('1.1', 'Explain concepts related to the Open Systems Interconnection (OSI) reference model'),
	('1.2', 'Compare and contrast networking appliances, applications, and functions'),
	('1.3', 'Summarize cloud concepts and connectivity options'),
	('1.4', 'Explain common networking ports, protocols, services, and traffic types'),
	('1.5', 'Compare and contrast transmission media and transceivers'),
	('1.6', 'Compare and contrast network topologies, architectures, and types'),
	('1.7', 'Given a scenario, use appropriate IPv4 network addressing'),
	('1.8', 'Summarize evolving use cases for modern network environments'),
	('2.1', 'Explain characteristics of routing technologies'),
	('2.2', 'Given a scenario, configure switching technologies and features'),
	('2.3', 'Given a scenario, select and configure wireless devices and technologies'),
	('2.4', 'Explain important factors of physical installations'),
	('3.1', 'Explain the purpose of organizational processes and procedures'),
	('3.2', 'Given a scenario, use network monitoring technologies'),
	('3.3', 'Explain disaster recovery (DR) concepts'),
	('3.4', 'Given a scenario, implement IPv4 and IPv6 network services'),
	('3.5', 'Compare and contrast network access and management methods'),
	('4.1', 'Explain the importance of basic network security concepts'),
	('4.2', 'Summarize various types of attacks and their impact to the network'),
	('4.3', 'Given a scenario, apply network security features, defense techniques, and solutions'),
	('5.1', 'Explain the troubleshooting methodology'),
	('5.2', 'Given a scenario, troubleshoot common cabling and physical interface issues'),
	('5.3', 'Given a scenario, troubleshoot common issues with network services'),
	('5.4', 'Given a scenario, troubleshoot common performance issues'),
	('5.5', 'Given a scenario, use the appropriate tool or protocol to solve networking issues')
) AS o (code, title) ON split_part(o.code, '.', 1) = split_part(d.code, '.', 1);
