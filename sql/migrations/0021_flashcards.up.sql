-- 0021_flashcards: decks, notes and cards, each learner's memory of every
-- card (FSRS-6, src/flashcards/fsrs.h), and the review log.
--
-- Seed 002's flashcard_sets, flashcards and user_flashcard_progress,
-- extended as Anki has them.  A deck (flashcard_sets) belongs to a learner
-- or to a course; a course's deck is made by the course's authors and
-- reviewed by every learner enrolled in it.  A deck holds notes, which
-- hold what was written (Markdown), and a note makes its cards: a basic
-- note one (ordinal 0), a reversed note two (0 front to back, 1 back to
-- front), a cloze note one per deletion ({{c1::...}} is ordinal 1).  A
-- card whose deletion was edited away is soft-deleted and comes back if
-- the deletion does, so its learners keep their memory of it.
--
-- A learner's memory of a card is a user_flashcard_progress row, made at
-- the first review (a card without one is new to that learner).  Every
-- review is a flashcard_reviews row, partitioned by month like the other
-- event streams; rows are never changed or removed by the app, except that
-- an undone review is marked (undone_at) and left out of everything.
-- Each row keeps the card's whole state before the review, so that undo
-- restores it and the optimizer can replay the history.

-- Seconds of (re)learning steps: at most 8, each positive and longer than
-- the one before (fsrs_settings_check() says the same).
CREATE FUNCTION flashcard_steps_ok(steps integer[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT cardinality(steps) <= 8 AND NOT EXISTS (
		SELECT 1 FROM unnest(steps) WITH ORDINALITY s (v, i)
		WHERE v IS NULL OR v < 1 OR v > 86400 * 365 OR (i > 1
			AND v <= steps[i - 1]))
$$;

-- Seven shares of a normal day, 0 to 1, one of them above 0.
CREATE FUNCTION flashcard_easy_days_ok(days numeric[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT cardinality(days) = 7 AND NOT EXISTS (SELECT 1 FROM unnest(days) d
			WHERE d IS NULL OR d < 0 OR d > 1)
		AND EXISTS (SELECT 1 FROM unnest(days) d WHERE d > 0)
$$;

CREATE TABLE flashcard_sets (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	-- a learner's own deck, or a course's
	owner_id uuid,
	course_id uuid,
	created_by uuid NOT NULL,
	title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 5000),
	-- the exam whose objectives the notes may name
	exam_id uuid REFERENCES exams (id),
	-- overrides the learner's own retention for this deck
	desired_retention numeric(3, 2)
		CHECK (desired_retention BETWEEN 0.70 AND 0.99),
	fuzz boolean NOT NULL DEFAULT true,
	-- 'mistakes': where a learner's wrong answers become cards (one such
	-- deck per exam)
	source text CHECK (source IN ('mistakes')),
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	CHECK ((owner_id IS NULL) <> (course_id IS NULL)),
	CHECK (source IS NULL OR owner_id IS NOT NULL),
	FOREIGN KEY (owner_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX flashcard_sets_owner_idx ON flashcard_sets (owner_id, org_id);
CREATE INDEX flashcard_sets_course_idx ON flashcard_sets (course_id, org_id);
CREATE INDEX flashcard_sets_created_by_idx
	ON flashcard_sets (created_by, org_id);
CREATE INDEX flashcard_sets_exam_idx ON flashcard_sets (exam_id);
CREATE UNIQUE INDEX flashcard_sets_mistakes_key
	ON flashcard_sets (owner_id, exam_id) NULLS NOT DISTINCT
	WHERE source = 'mistakes' AND deleted_at IS NULL;
CREATE TRIGGER flashcard_sets_updated_at BEFORE UPDATE ON flashcard_sets
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('flashcard_sets');

CREATE TABLE flashcard_notes (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	set_id uuid NOT NULL,
	kind text NOT NULL CHECK (kind IN ('basic', 'reversed', 'cloze')),
	-- Markdown; a cloze note's text with its {{cN::...}} is the front,
	-- and its back is an extra shown with the answer
	front text NOT NULL CHECK (length(btrim(front)) BETWEEN 1 AND 10000),
	back text NOT NULL DEFAULT '' CHECK (length(back) <= 10000),
	tags text[] NOT NULL DEFAULT '{}' CHECK (tags_ok(tags)),
	objective_codes text[] NOT NULL DEFAULT '{}'
		CHECK (objective_codes_ok(objective_codes)
			AND cardinality(objective_codes) <= 20),
	-- made from a question answered wrong, or from a lesson
	question_id uuid,
	lesson_id uuid,
	created_by uuid NOT NULL,
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (id, org_id),
	UNIQUE (id, set_id),
	CHECK (kind = 'cloze' OR length(btrim(back)) > 0),
	FOREIGN KEY (set_id, org_id) REFERENCES flashcard_sets (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (question_id, org_id) REFERENCES questions (id, org_id),
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id),
	FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
);
CREATE INDEX flashcard_notes_set_idx ON flashcard_notes (set_id, org_id, id)
	WHERE deleted_at IS NULL;
CREATE INDEX flashcard_notes_set_fk_idx ON flashcard_notes (set_id, org_id);
CREATE INDEX flashcard_notes_question_idx
	ON flashcard_notes (question_id, org_id);
-- A question makes one note in a deck.
CREATE UNIQUE INDEX flashcard_notes_question_key
	ON flashcard_notes (set_id, question_id)
	WHERE question_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX flashcard_notes_lesson_idx ON flashcard_notes (lesson_id, org_id);
CREATE INDEX flashcard_notes_created_by_idx
	ON flashcard_notes (created_by, org_id);
CREATE INDEX flashcard_notes_tags_idx ON flashcard_notes USING gin (tags);
CREATE TRIGGER flashcard_notes_updated_at BEFORE UPDATE ON flashcard_notes
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('flashcard_notes');

-- Objectives are the deck's exam's, as a question's are its exam's; the
-- version moves on every change.
CREATE FUNCTION flashcard_notes_before_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	exam uuid;
	bad text;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.version := OLD.version + 1;
	END IF;
	-- (a deck's exam changes only when its notes' objectives allow it)
	IF cardinality(NEW.objective_codes) > 0 AND (TG_OP = 'INSERT'
			OR NEW.objective_codes IS DISTINCT FROM OLD.objective_codes) THEN
		SELECT s.exam_id INTO exam FROM flashcard_sets s
		WHERE s.id = NEW.set_id;
		SELECT c INTO bad FROM unnest(NEW.objective_codes) c
		WHERE NOT EXISTS (SELECT 1 FROM exam_objectives o
			WHERE o.exam_id = exam AND o.code = c)
		LIMIT 1;
		IF bad IS NOT NULL THEN
			RAISE EXCEPTION 'objective % is not in the deck''s exam', bad
				USING ERRCODE = 'check_violation',
				CONSTRAINT = 'flashcard_notes_objectives_in_exam';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER flashcard_notes_before_write BEFORE INSERT OR UPDATE
	ON flashcard_notes
	FOR EACH ROW EXECUTE FUNCTION flashcard_notes_before_write();

-- A deck's exam may change only while its notes name none of the old
-- exam's objectives that the new one lacks.
CREATE FUNCTION flashcard_sets_exam_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM flashcard_notes n, unnest(n.objective_codes) c
		WHERE n.set_id = NEW.id AND n.deleted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM exam_objectives o
				WHERE o.exam_id = NEW.exam_id AND o.code = c)) THEN
		RAISE EXCEPTION 'notes of the deck name objectives of its exam'
			USING ERRCODE = 'check_violation',
			CONSTRAINT = 'flashcard_sets_exam_objectives';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER flashcard_sets_exam_check BEFORE UPDATE OF exam_id
	ON flashcard_sets FOR EACH ROW
	WHEN (OLD.exam_id IS DISTINCT FROM NEW.exam_id)
	EXECUTE FUNCTION flashcard_sets_exam_check();

CREATE TABLE flashcards (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	note_id uuid NOT NULL,
	set_id uuid NOT NULL,
	ordinal smallint NOT NULL CHECK (ordinal BETWEEN 0 AND 99),
	created_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz,
	UNIQUE (note_id, ordinal),
	UNIQUE (id, org_id),
	FOREIGN KEY (note_id, org_id) REFERENCES flashcard_notes (id, org_id)
		ON DELETE CASCADE,
	-- a card is in its note's deck
	FOREIGN KEY (note_id, set_id) REFERENCES flashcard_notes (id, set_id)
		ON DELETE CASCADE,
	FOREIGN KEY (set_id, org_id) REFERENCES flashcard_sets (id, org_id)
		ON DELETE CASCADE
);
-- New cards come in the order their notes were made (uuid_v7 is
-- time-ordered), a note's in the order of its cards.
CREATE INDEX flashcards_set_idx ON flashcards (set_id, note_id, ordinal)
	WHERE deleted_at IS NULL;
CREATE INDEX flashcards_set_fk_idx ON flashcards (set_id, org_id);
CREATE INDEX flashcards_note_org_idx ON flashcards (note_id, org_id);
CREATE INDEX flashcards_note_set_idx ON flashcards (note_id, set_id);
SELECT ludus_isolate('flashcards');

-- A learner's flashcard settings, made on first use.
CREATE TABLE flashcard_settings (
	user_id uuid PRIMARY KEY,
	org_id uuid NOT NULL,
	desired_retention numeric(3, 2) NOT NULL DEFAULT 0.90
		CHECK (desired_retention BETWEEN 0.70 AND 0.99),
	new_per_day integer NOT NULL DEFAULT 20
		CHECK (new_per_day BETWEEN 0 AND 9999),
	reviews_per_day integer NOT NULL DEFAULT 200
		CHECK (reviews_per_day BETWEEN 0 AND 99999),
	learning_steps integer[] NOT NULL DEFAULT '{60,600}'
		CHECK (flashcard_steps_ok(learning_steps)),
	relearning_steps integer[] NOT NULL DEFAULT '{600}'
		CHECK (flashcard_steps_ok(relearning_steps)),
	max_interval_days integer NOT NULL DEFAULT 36500
		CHECK (max_interval_days BETWEEN 1 AND 36500),
	bury_siblings boolean NOT NULL DEFAULT true,
	load_balance boolean NOT NULL DEFAULT true,
	-- Monday .. Sunday: the share of a normal day's reviews (Anki's easy
	-- days: 1 normal, 0.5 reduced, 0 minimum)
	easy_days numeric(3, 2)[] NOT NULL DEFAULT '{1,1,1,1,1,1,1}'
		CHECK (flashcard_easy_days_ok(easy_days)),
	-- a question answered wrong: offer a card, make one, or neither
	cards_from_mistakes text NOT NULL DEFAULT 'offer'
		CHECK (cards_from_mistakes IN ('off', 'offer', 'make')),
	-- fitted by the optimizer; null: FSRS-6's defaults
	params double precision[] CHECK (cardinality(params) = 21),
	params_fitted_at timestamptz,
	-- the fit's log loss on the reviews it used, with the defaults and
	-- with the fitted parameters, and how many reviews it scored
	params_loss_before double precision,
	params_loss_after double precision,
	params_reviews integer,
	-- reviews made (undone ones left out), for achievements
	reviews bigint NOT NULL DEFAULT 0 CHECK (reviews >= 0),
	updated_at timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX flashcard_settings_user_org_idx
	ON flashcard_settings (user_id, org_id);
CREATE TRIGGER flashcard_settings_updated_at BEFORE UPDATE
	ON flashcard_settings FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('flashcard_settings');

CREATE TABLE user_flashcard_progress (
	user_id uuid NOT NULL,
	card_id uuid NOT NULL,
	org_id uuid NOT NULL,
	-- enum fsrs_state: 0 new, 1 learning, 2 review, 3 relearning
	state smallint NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),
	step smallint NOT NULL DEFAULT 0 CHECK (step BETWEEN 0 AND 8),
	stability double precision NOT NULL DEFAULT 0
		CHECK (stability BETWEEN 0 AND 36500),
	difficulty double precision NOT NULL DEFAULT 0
		CHECK (difficulty = 0 OR difficulty BETWEEN 1 AND 10),
	due timestamptz NOT NULL DEFAULT now(),
	last_review timestamptz,
	reps integer NOT NULL DEFAULT 0 CHECK (reps >= 0),
	lapses integer NOT NULL DEFAULT 0 CHECK (lapses >= 0),
	suspended boolean NOT NULL DEFAULT false,
	-- buried: left out of the queue until then
	buried_until timestamptz,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, card_id),
	CHECK ((state = 0) = (last_review IS NULL)),
	CHECK ((state = 0) = (reps = 0)),
	CHECK (state = 0 OR (stability > 0 AND difficulty >= 1)),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (card_id, org_id) REFERENCES flashcards (id, org_id)
		ON DELETE CASCADE
);
-- The queue: a learner's cards by due time.
CREATE INDEX user_flashcard_progress_due_idx
	ON user_flashcard_progress (user_id, due) WHERE state > 0;
CREATE INDEX user_flashcard_progress_card_idx
	ON user_flashcard_progress (card_id, org_id);
CREATE INDEX user_flashcard_progress_user_org_idx
	ON user_flashcard_progress (user_id, org_id);
CREATE TRIGGER user_flashcard_progress_updated_at BEFORE UPDATE
	ON user_flashcard_progress
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT ludus_isolate('user_flashcard_progress');

CREATE TABLE flashcard_reviews (
	id uuid NOT NULL DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	card_id uuid NOT NULL,
	rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
	-- when the learner answered (a phone offline sends it later) and
	-- when the server heard of it
	reviewed_at timestamptz NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT now(),
	-- since the review before (null for the first), and the interval
	-- this one scheduled
	elapsed_seconds bigint CHECK (elapsed_seconds >= 0),
	scheduled_seconds bigint NOT NULL CHECK (scheduled_seconds >= 0),
	duration_ms integer NOT NULL DEFAULT 0
		CHECK (duration_ms BETWEEN 0 AND 3600000),
	-- the card's state before the review (user_flashcard_progress)
	state smallint NOT NULL CHECK (state BETWEEN 0 AND 3),
	step smallint NOT NULL CHECK (step BETWEEN 0 AND 8),
	stability double precision NOT NULL,
	difficulty double precision NOT NULL,
	due timestamptz NOT NULL,
	last_review timestamptz,
	reps integer NOT NULL,
	lapses integer NOT NULL,
	-- and after it
	state_after smallint NOT NULL CHECK (state_after BETWEEN 1 AND 3),
	stability_after double precision NOT NULL,
	difficulty_after double precision NOT NULL,
	undone_at timestamptz,
	PRIMARY KEY (id, reviewed_at),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (card_id, org_id) REFERENCES flashcards (id, org_id)
		ON DELETE CASCADE
) PARTITION BY RANGE (reviewed_at);
CREATE INDEX flashcard_reviews_user_idx
	ON flashcard_reviews (user_id, reviewed_at);
CREATE INDEX flashcard_reviews_card_idx
	ON flashcard_reviews (card_id, org_id);
CREATE INDEX flashcard_reviews_user_org_idx
	ON flashcard_reviews (user_id, org_id);
CREATE TABLE flashcard_reviews_default PARTITION OF flashcard_reviews DEFAULT;
SELECT ludus_isolate('flashcard_reviews');
SELECT ludus_isolate('flashcard_reviews_default');
SELECT ensure_monthly_partitions('flashcard_reviews',
	(now() - interval '1 month')::date, 14);

-- The log is append-only: a row is never removed or rewritten by the app,
-- only marked undone, once.  The grants say so for the parent table, and
-- the triggers (which every partition, made now or later, inherits) for
-- each partition read by its own name.  Only the tables' owner (the
-- migrations, a cascade from a deleted account) may delete rows.
REVOKE UPDATE, DELETE ON flashcard_reviews FROM ludus_app;
GRANT UPDATE (undone_at) ON flashcard_reviews TO ludus_app;
CREATE FUNCTION flashcard_reviews_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF current_user <> (SELECT relowner::regrole::name FROM pg_class
				WHERE oid = TG_RELID)
			AND NOT (SELECT rolsuper FROM pg_roles
				WHERE rolname = current_user) THEN
			RAISE EXCEPTION 'the review log is append-only'
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		RETURN OLD;
	END IF;
	IF to_jsonb(OLD) - 'undone_at' IS DISTINCT FROM
			to_jsonb(NEW) - 'undone_at' THEN
		RAISE EXCEPTION 'a review is never rewritten'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF OLD.undone_at IS NOT NULL OR NEW.undone_at IS NULL THEN
		RAISE EXCEPTION 'a review is undone once, and not redone'
			USING ERRCODE = 'check_violation',
			CONSTRAINT = 'flashcard_reviews_undo_once';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER flashcard_reviews_append_only BEFORE UPDATE OR DELETE
	ON flashcard_reviews
	FOR EACH ROW EXECUTE FUNCTION flashcard_reviews_append_only();

-- How a user stands to a deck: 'owner' (their own), 'editor' (a course
-- deck they may change: an author of the course, or content.all when
-- edit_all), 'learner' (enrolled in its published course), or null.
CREATE FUNCTION flashcard_deck_role(d flashcard_sets, uid uuid,
	edit_all boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN d.deleted_at IS NOT NULL THEN NULL
		WHEN d.owner_id IS NOT NULL THEN
			CASE WHEN d.owner_id = uid THEN 'owner' END
		WHEN (SELECT c.deleted_at FROM courses c WHERE c.id = d.course_id)
			IS NOT NULL THEN NULL
		WHEN edit_all OR EXISTS (SELECT 1 FROM courses c
				WHERE c.id = d.course_id AND c.owner_id = uid)
			OR EXISTS (SELECT 1 FROM course_collaborators k
				WHERE k.course_id = d.course_id AND k.user_id = uid)
			THEN 'editor'
		WHEN EXISTS (SELECT 1 FROM enrollments e JOIN courses c
				ON c.id = e.course_id
			WHERE e.user_id = uid AND e.course_id = d.course_id
				AND e.status = 'active' AND c.status = 'published'
				AND c.deleted_at IS NULL)
			THEN 'learner'
	END
$$;

-- The decks a user studies: their own, those of the courses they are
-- enrolled in (published), and those of the courses they write.
CREATE FUNCTION flashcard_decks_for(uid uuid) RETURNS SETOF uuid
LANGUAGE sql STABLE AS $$
	SELECT d.id FROM flashcard_sets d
	WHERE d.owner_id = uid AND d.deleted_at IS NULL
	UNION ALL
	SELECT d.id FROM flashcard_sets d
	WHERE d.deleted_at IS NULL AND d.course_id IN (
		SELECT e.course_id FROM enrollments e JOIN courses c
			ON c.id = e.course_id
		WHERE e.user_id = uid AND e.status = 'active'
			AND c.status = 'published' AND c.deleted_at IS NULL
		UNION
		SELECT c.id FROM courses c
		WHERE c.owner_id = uid AND c.deleted_at IS NULL
		UNION
		SELECT k.course_id FROM course_collaborators k JOIN courses c
			ON c.id = k.course_id
		WHERE k.user_id = uid AND c.deleted_at IS NULL)
$$;

CREATE FUNCTION flashcard_set_json(d flashcard_sets, role text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', d.id, 'title', d.title,
		'description', d.description, 'owner_id', d.owner_id,
		'course_id', d.course_id,
		'course_title', (SELECT c.title FROM courses c
			WHERE c.id = d.course_id),
		'exam', (SELECT e.code FROM exams e WHERE e.id = d.exam_id),
		'desired_retention', d.desired_retention, 'fuzz', d.fuzz,
		'source', d.source, 'role', role, 'version', d.version, 'created_at', d.created_at,
		'updated_at', d.updated_at)
$$;

CREATE FUNCTION flashcard_note_json(n flashcard_notes) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', n.id, 'deck_id', n.set_id,
		'kind', n.kind, 'front', n.front, 'back', n.back, 'tags', n.tags,
		'objectives', n.objective_codes, 'question_id', n.question_id,
		'lesson_id', n.lesson_id, 'version', n.version,
		'created_at', n.created_at, 'updated_at', n.updated_at,
		'cards', coalesce((SELECT jsonb_agg(jsonb_build_object('id', c.id,
				'ordinal', c.ordinal) ORDER BY c.ordinal)
			FROM flashcards c
			WHERE c.note_id = n.id AND c.deleted_at IS NULL), '[]'))
$$;

-- How many more notes a deck takes: 50,000 at most (as many as an
-- Anki package may bring).
CREATE FUNCTION fc_deck_room(deck uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT 50000 - (SELECT count(*)::integer FROM flashcard_notes n
		WHERE n.set_id = deck AND n.deleted_at IS NULL)
$$;

-- A day's bounds in a time zone: [start, end) of the day holding t.
CREATE FUNCTION local_day_bounds(t timestamptz, tz text,
	OUT day date, OUT day_start timestamptz, OUT day_end timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT (t AT TIME ZONE tz)::date,
		((t AT TIME ZONE tz)::date)::timestamp AT TIME ZONE tz,
		((t AT TIME ZONE tz)::date + 1)::timestamp AT TIME ZONE tz
$$;

-- Reviews earn XP (src/gamify/engine.h).
ALTER TABLE xp_events DROP CONSTRAINT xp_events_source_check,
	ADD CONSTRAINT xp_events_source_check CHECK (source IN ('lesson',
		'answer', 'quiz', 'daily_goal', 'streak', 'achievement', 'goal',
		'admin', 'flashcards'));
