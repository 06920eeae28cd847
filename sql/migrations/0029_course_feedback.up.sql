-- 0029_course_feedback: seed 002's course_feedback and feedback_upvotes,
-- the first of the community's tables (src/community/).
--
-- A learner enrolled in a course (active) may review it once: a rating of 1 to 5
-- and a text, which they may change or take back.  Members who see the
-- course upvote the reviews they find helpful, once each (not their own);
-- the course's authors answer a review once, in public, and may hide one
-- (with a reason, in the audit trail).  What the catalog and the course
-- page show is kept, not counted at each read: a review's upvotes by the
-- trigger of feedback_upvotes, and the course's count, sum and stars by
-- the trigger of course_feedback (hidden reviews are not counted), both
-- in the transaction that changes them.

CREATE TABLE course_feedback (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	course_id uuid NOT NULL,
	user_id uuid NOT NULL,
	rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
	comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
	upvotes integer NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
	-- the authors' public answer
	response text CHECK (length(btrim(response)) BETWEEN 1 AND 5000),
	responded_by uuid,
	responded_at timestamptz,
	-- hidden by the course's authors or staff, with why
	hidden_at timestamptz,
	hidden_reason text CHECK (length(btrim(hidden_reason)) BETWEEN 1 AND 500),
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (course_id, user_id),
	UNIQUE (id, org_id),
	CHECK ((response IS NULL) = (responded_at IS NULL)),
	CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL)),
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (responded_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (responded_by)
);
CREATE INDEX course_feedback_course_idx
	ON course_feedback (course_id, created_at DESC, id DESC);
CREATE INDEX course_feedback_helpful_idx
	ON course_feedback (course_id, upvotes DESC, created_at DESC, id DESC);
CREATE INDEX course_feedback_course_fk_idx ON course_feedback (course_id, org_id);
CREATE INDEX course_feedback_user_idx ON course_feedback (user_id, org_id);
CREATE INDEX course_feedback_responded_by_idx
	ON course_feedback (responded_by, org_id);
SELECT ludus_isolate('course_feedback');
-- Edited is what its author changes: an upvote, an answer or hiding is not.
CREATE TRIGGER course_feedback_updated_at BEFORE UPDATE OF rating, comment
	ON course_feedback FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE feedback_upvotes (
	feedback_id uuid NOT NULL,
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (feedback_id, user_id),
	FOREIGN KEY (feedback_id, org_id) REFERENCES course_feedback (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX feedback_upvotes_fk_idx ON feedback_upvotes (feedback_id, org_id);
CREATE INDEX feedback_upvotes_user_idx ON feedback_upvotes (user_id, org_id);
SELECT ludus_isolate('feedback_upvotes');

-- A review's upvotes, counted as they come and go.
CREATE FUNCTION feedback_upvotes_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE course_feedback SET upvotes = upvotes + 1
		WHERE id = NEW.feedback_id;
	ELSE
		UPDATE course_feedback SET upvotes = upvotes - 1
		WHERE id = OLD.feedback_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER feedback_upvotes_count AFTER INSERT OR DELETE
	ON feedback_upvotes FOR EACH ROW EXECUTE FUNCTION feedback_upvotes_count();

-- What a course's reviews add up to: how many are shown, their sum, and
-- how many of each star (stars[1] one star .. stars[5] five).
CREATE TABLE course_ratings (
	course_id uuid PRIMARY KEY,
	org_id uuid NOT NULL,
	reviews integer NOT NULL DEFAULT 0 CHECK (reviews >= 0),
	rating_sum integer NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
	stars integer[] NOT NULL DEFAULT '{0,0,0,0,0}'
		CHECK (cardinality(stars) = 5 AND 0 <= ALL (stars)),
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX course_ratings_fk_idx ON course_ratings (course_id, org_id);
SELECT ludus_isolate('course_ratings');

-- Adds (sign 1) or takes away (-1) one shown review of rating r.  The
-- row is made by the first review added (an INSERT's own row is checked
-- before its conflict is found, so a removal only updates).
CREATE FUNCTION course_ratings_move(course uuid, org uuid, r smallint,
	sign integer) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO course_ratings AS c (course_id, org_id, reviews, rating_sum,
		stars)
	SELECT course, org, 1, r, (SELECT array_agg(CASE WHEN k = r THEN 1
		ELSE 0 END ORDER BY k) FROM generate_series(1, 5) k)
	WHERE sign > 0
	ON CONFLICT (course_id) DO UPDATE SET reviews = c.reviews + 1,
		rating_sum = c.rating_sum + r, stars[r] = c.stars[r] + 1;
	UPDATE course_ratings SET reviews = reviews - 1,
		rating_sum = rating_sum - r, stars[r] = stars[r] - 1
	WHERE course_id = course AND sign < 0;
$$;

CREATE FUNCTION course_feedback_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' AND OLD.hidden_at IS NULL THEN
		PERFORM course_ratings_move(OLD.course_id, OLD.org_id, OLD.rating, -1);
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.hidden_at IS NULL THEN
		PERFORM course_ratings_move(NEW.course_id, NEW.org_id, NEW.rating, 1);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER course_feedback_count
	AFTER INSERT OR DELETE OR UPDATE OF rating, hidden_at
	ON course_feedback FOR EACH ROW EXECUTE FUNCTION course_feedback_count();

-- How a user stands to a course, for what its members do together
-- (reviews, and suggested edits of 0030): 'author' (its owner, a
-- collaborator, or content.all when edit_all), 'learner' (enrolled, the
-- course published; a finished course stays an active enrollment),
-- 'member' (the course published), or null.
CREATE FUNCTION course_member_role(course uuid, uid uuid, edit_all boolean)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN c.deleted_at IS NOT NULL THEN NULL
		WHEN edit_all OR c.owner_id = uid OR EXISTS (SELECT 1
			FROM course_collaborators k WHERE k.course_id = c.id
			AND k.user_id = uid) THEN 'author'
		WHEN c.status <> 'published' THEN NULL
		WHEN EXISTS (SELECT 1 FROM enrollments e WHERE e.course_id = c.id
			AND e.user_id = uid AND e.status = 'active')
			THEN 'learner'
		ELSE 'member'
	END
	FROM courses c WHERE c.id = course
$$;

-- A review as its readers see it; uid's own upvote, and whether they may
-- see it hidden (its author, or an author of the course).
CREATE FUNCTION course_feedback_json(f course_feedback, uid uuid)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', f.id, 'course_id', f.course_id,
		'rating', f.rating, 'comment', f.comment, 'upvotes', f.upvotes,
		'upvoted', EXISTS (SELECT 1 FROM feedback_upvotes v
			WHERE v.feedback_id = f.id AND v.user_id = uid),
		'mine', f.user_id = uid,
		'author', (SELECT jsonb_build_object('id', u.id, 'username',
				u.username, 'display_name', p.display_name)
			FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
			WHERE u.id = f.user_id),
		'response', CASE WHEN f.response IS NOT NULL THEN
			jsonb_build_object('text', f.response, 'at', f.responded_at,
				'by', (SELECT u.username FROM users u
					WHERE u.id = f.responded_by)) END,
		'hidden', f.hidden_at IS NOT NULL,
		'hidden_reason', f.hidden_reason,
		'version', f.version, 'created_at', f.created_at,
		'updated_at', f.updated_at)
$$;

-- A course's rating for the catalog and the course page: the average of
-- the shown reviews (null when none), their count and stars.
CREATE FUNCTION course_rating_json(course uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT jsonb_build_object('average', CASE
			WHEN r.reviews > 0 THEN round(r.rating_sum::numeric / r.reviews,
				2) END, 'count', r.reviews, 'stars', to_jsonb(r.stars))
		FROM course_ratings r WHERE r.course_id = course),
		jsonb_build_object('average', NULL, 'count', 0,
			'stars', '[0,0,0,0,0]'::jsonb))
$$;

-- Two more kinds of notification: a new review of a course I write, and
-- an answer to my review.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind IN ('achievement_unlocked', 'level_up', 'streak_at_risk',
		'goal_reached', 'avatar_unlocked', 'course_reviewed',
		'review_answered'));
