-- 0030_suggested_edits: seed 002's suggested_edits, the community's
-- second part (src/content/api_suggest.c; issue 17).
--
-- A learner of a course proposes a change to one of its lessons: the
-- lesson's Markdown as they would have it, kept in seed 002's JSON payload
-- ({"markdown": ...}) with the lesson's version they read.  The course's
-- authors read it as a diff against that version, and accept it (the
-- lesson gets a new version with the proposed text; when the lesson has
-- changed since, only with a merged text they checked) or reject it with
-- a reason; the learner is notified either way, and may withdraw it while
-- it waits.  One waits at a time per learner and lesson.
CREATE TABLE suggested_edits (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	lesson_id uuid NOT NULL,
	course_id uuid NOT NULL,
	user_id uuid NOT NULL,
	payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'
		AND payload ? 'markdown'
		AND jsonb_typeof(payload->'markdown') = 'string'
		AND length(payload->>'markdown') BETWEEN 1 AND 100000),
	note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	base_version integer NOT NULL CHECK (base_version > 0),
	status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending',
		'accepted', 'rejected', 'withdrawn')),
	decided_by uuid,
	decided_at timestamptz,
	reason text CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
	-- the lesson's version the accepted text became
	applied_version integer CHECK (applied_version > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((status IN ('accepted', 'rejected')) = (decided_at IS NOT NULL)),
	CHECK ((status = 'rejected') = (reason IS NOT NULL)),
	CHECK ((status = 'accepted') = (applied_version IS NOT NULL)),
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE,
	-- the course is the lesson's own (who may decide is read from it)
	FOREIGN KEY (lesson_id, course_id) REFERENCES lessons (id, course_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (decided_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (decided_by)
);
CREATE UNIQUE INDEX suggested_edits_pending_key
	ON suggested_edits (lesson_id, user_id) WHERE status = 'pending';
CREATE INDEX suggested_edits_lesson_idx
	ON suggested_edits (lesson_id, created_at DESC);
CREATE INDEX suggested_edits_lesson_fk_idx ON suggested_edits (lesson_id, org_id);
CREATE INDEX suggested_edits_course_idx ON suggested_edits (course_id, org_id);
CREATE INDEX suggested_edits_lesson_course_idx
	ON suggested_edits (lesson_id, course_id);
CREATE INDEX suggested_edits_user_idx ON suggested_edits (user_id, org_id);
CREATE INDEX suggested_edits_decided_by_idx
	ON suggested_edits (decided_by, org_id);
SELECT ludus_isolate('suggested_edits');
CREATE TRIGGER suggested_edits_updated_at BEFORE UPDATE ON suggested_edits
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A suggestion as its readers see it (the proposer, the course's authors).
CREATE FUNCTION suggested_edit_json(s suggested_edits) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', s.id, 'lesson_id', s.lesson_id,
		'course_id', s.course_id,
		'lesson_title', (SELECT l.title FROM lessons l WHERE l.id = s.lesson_id),
		'author', (SELECT jsonb_build_object('id', u.id, 'username',
				u.username) FROM users u WHERE u.id = s.user_id),
		'markdown', s.payload->>'markdown', 'note', s.note,
		'base_version', s.base_version, 'status', s.status,
		'decided_by', (SELECT u.username FROM users u
			WHERE u.id = s.decided_by),
		'decided_at', s.decided_at, 'reason', s.reason,
		'applied_version', s.applied_version,
		'created_at', s.created_at, 'updated_at', s.updated_at)
$$;

-- Three more kinds of notification: a suggestion for a lesson I write,
-- and mine accepted or rejected.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind IN ('achievement_unlocked', 'level_up', 'streak_at_risk',
		'goal_reached', 'avatar_unlocked', 'course_reviewed',
		'review_answered', 'edit_suggested', 'suggestion_accepted',
		'suggestion_rejected'));
