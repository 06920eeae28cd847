-- 0031_forums: seed 002's forum_posts and forum_replies (with their likes),
-- and what a mature forum keeps around them: categories, edit history,
-- watching, reading, flags, and trust (src/community/).
--
-- Each course has a forum and each organization a general one; a forum is
-- its categories (forum_categories, course_id null for the general one),
-- and every course and organization starts with one, "General".  A
-- category is a discussion or a question-and-answer one (Moodle's Q&A: a
-- learner sees the others' answers only after answering).
--
-- A thread is a forum_posts row (title, Markdown body and its rendered
-- HTML, made safe by the server as lessons are); its replies nest to any
-- depth the reader will follow (64) through parent_reply_id.  Each reply
-- has its number in the thread (num, given in order by the thread's row)
-- and its path, the numbers from the top of its branch down to it: in
-- path order the replies are a depth-first walk of the tree, in num order
-- they are flat by time, and both are one index range however long the
-- thread (a page is the next 50 after a key).
--
-- Counts are kept, not counted at each read, by the triggers of the
-- transaction that changes them: a thread's replies and likes, a reply's
-- likes, a category's threads, and each member's taking part
-- (forum_members), from which their trust level follows (Discourse's
-- levels; the thresholds and the daily limits are the organization's
-- forum_settings).  Enough flags from different members hide a post at
-- once; the moderators decide after.

-- ---- The organization's rules ----

CREATE TABLE forum_settings (
	org_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
	-- open flags from this many members hide a post until it is reviewed
	flags_to_hide integer NOT NULL DEFAULT 3 CHECK (flags_to_hide BETWEEN 1 AND 100),
	-- level 1 (basic): threads entered and posts read
	tl1_threads_entered integer NOT NULL DEFAULT 5,
	tl1_posts_read integer NOT NULL DEFAULT 30,
	-- level 2 (member): days visited, posts read, likes given and
	-- received, replies made
	tl2_days_visited integer NOT NULL DEFAULT 15,
	tl2_posts_read integer NOT NULL DEFAULT 100,
	tl2_likes_given integer NOT NULL DEFAULT 1,
	tl2_likes_received integer NOT NULL DEFAULT 1,
	tl2_replies integer NOT NULL DEFAULT 3,
	-- level 3 (regular): the same, more of it
	tl3_days_visited integer NOT NULL DEFAULT 50,
	tl3_posts_read integer NOT NULL DEFAULT 500,
	tl3_likes_given integer NOT NULL DEFAULT 30,
	tl3_likes_received integer NOT NULL DEFAULT 20,
	tl3_replies integer NOT NULL DEFAULT 10,
	-- what a member may do in a day at level 0, at level 1, and above
	tl0_posts_a_day integer NOT NULL DEFAULT 10,
	tl0_likes_a_day integer NOT NULL DEFAULT 20,
	tl0_flags_a_day integer NOT NULL DEFAULT 3,
	tl1_posts_a_day integer NOT NULL DEFAULT 50,
	tl1_likes_a_day integer NOT NULL DEFAULT 100,
	tl1_flags_a_day integer NOT NULL DEFAULT 10,
	posts_a_day integer NOT NULL DEFAULT 500,
	likes_a_day integer NOT NULL DEFAULT 500,
	flags_a_day integer NOT NULL DEFAULT 50,
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (0 <= least(tl1_threads_entered, tl1_posts_read, tl2_days_visited,
		tl2_posts_read, tl2_likes_given, tl2_likes_received, tl2_replies,
		tl3_days_visited, tl3_posts_read, tl3_likes_given,
		tl3_likes_received, tl3_replies)),
	CHECK (100000 >= greatest(tl1_threads_entered, tl1_posts_read,
		tl2_days_visited, tl2_posts_read, tl2_likes_given,
		tl2_likes_received, tl2_replies, tl3_days_visited, tl3_posts_read,
		tl3_likes_given, tl3_likes_received, tl3_replies)),
	CHECK (0 <= least(tl0_posts_a_day, tl0_likes_a_day, tl0_flags_a_day,
		tl1_posts_a_day, tl1_likes_a_day, tl1_flags_a_day, posts_a_day,
		likes_a_day, flags_a_day)),
	CHECK (10000 >= greatest(tl0_posts_a_day, tl0_likes_a_day,
		tl0_flags_a_day, tl1_posts_a_day, tl1_likes_a_day, tl1_flags_a_day,
		posts_a_day, likes_a_day, flags_a_day))
);
SELECT ludus_isolate('forum_settings');
CREATE TRIGGER forum_settings_updated_at BEFORE UPDATE ON forum_settings
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---- Categories ----

CREATE TABLE forum_categories (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	-- the course whose forum it is; null: the organization's general forum
	course_id uuid,
	name text NOT NULL CHECK (length(btrim(name, E' \t\r\n')) BETWEEN 1 AND 80),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
	kind text NOT NULL DEFAULT 'discussion' CHECK (kind IN ('discussion', 'qa')),
	position integer NOT NULL DEFAULT 0 CHECK (position BETWEEN 0 AND 10000),
	threads integer NOT NULL DEFAULT 0 CHECK (threads >= 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE NULLS NOT DISTINCT (org_id, course_id, name),
	UNIQUE (id, org_id),
	FOREIGN KEY (course_id, org_id) REFERENCES courses (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX forum_categories_course_idx ON forum_categories (course_id, org_id);
SELECT ludus_isolate('forum_categories');

-- Every course and organization starts with a forum: its "General"
-- category (as the definer: an operator makes organizations other than
-- the one the transaction is set to).
CREATE FUNCTION forum_start() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_TABLE_NAME = 'organizations' THEN
		INSERT INTO forum_settings (org_id) VALUES (NEW.id)
		ON CONFLICT DO NOTHING;
		INSERT INTO forum_categories (org_id, name, description)
		VALUES (NEW.id, 'General', 'Anything about studying here.')
		ON CONFLICT DO NOTHING;
	ELSE
		INSERT INTO forum_categories (org_id, course_id, name, description)
		VALUES (NEW.org_id, NEW.id, 'General', 'Questions and talk about '
			'this course.')
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER organizations_forum_start AFTER INSERT ON organizations
	FOR EACH ROW EXECUTE FUNCTION forum_start();
CREATE TRIGGER courses_forum_start AFTER INSERT ON courses
	FOR EACH ROW EXECUTE FUNCTION forum_start();
INSERT INTO forum_settings (org_id) SELECT id FROM organizations;
INSERT INTO forum_categories (org_id, name, description)
SELECT id, 'General', 'Anything about studying here.' FROM organizations;
INSERT INTO forum_categories (org_id, course_id, name, description)
SELECT org_id, id, 'General', 'Questions and talk about this course.'
FROM courses;

-- ---- Threads and replies ----

CREATE TABLE forum_posts (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	category_id uuid NOT NULL,
	user_id uuid NOT NULL,
	title text NOT NULL CHECK (length(btrim(title, E' \t\r\n')) BETWEEN 1 AND 200),
	body text NOT NULL CHECK (length(btrim(body, E' \t\r\n')) BETWEEN 1 AND 20000),
	body_html text NOT NULL CHECK (length(body_html) <= 200000),
	-- the last reply's number, replies shown (not deleted or hidden), likes
	reply_seq integer NOT NULL DEFAULT 0 CHECK (reply_seq >= 0),
	replies integer NOT NULL DEFAULT 0 CHECK (replies >= 0),
	likes integer NOT NULL DEFAULT 0 CHECK (likes >= 0),
	last_activity_at timestamptz NOT NULL DEFAULT now(),
	last_reply_by uuid,
	pinned_at timestamptz,
	locked_at timestamptz,
	-- hidden by a moderator (hidden_by) or by flags (hidden_by null)
	hidden_at timestamptz,
	hidden_reason text CHECK (length(btrim(hidden_reason, E' \t\r\n')) BETWEEN 1 AND 500),
	hidden_by uuid,
	-- taken back by its author: its text goes, the thread's replies stay
	deleted_at timestamptz,
	accepted_reply_id uuid,
	edited_at timestamptz,
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	search tsvector NOT NULL GENERATED ALWAYS AS (
		setweight(to_tsvector('english', title), 'A') ||
		setweight(to_tsvector('english', body), 'B')) STORED,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, org_id),
	CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL)),
	CHECK (hidden_by IS NULL OR hidden_at IS NOT NULL),
	FOREIGN KEY (category_id, org_id) REFERENCES forum_categories (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (last_reply_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (last_reply_by),
	FOREIGN KEY (hidden_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (hidden_by)
);
-- A category's threads: pinned first, then by last activity.
CREATE INDEX forum_posts_category_idx ON forum_posts (category_id,
	(pinned_at IS NOT NULL) DESC, last_activity_at DESC, id DESC);
-- The latest of a category (a forum's index), deleted ones left out.
CREATE INDEX forum_posts_latest_idx ON forum_posts (category_id,
	last_activity_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX forum_posts_category_fk_idx ON forum_posts (category_id, org_id);
CREATE INDEX forum_posts_user_idx ON forum_posts (user_id, created_at);
CREATE INDEX forum_posts_user_org_idx ON forum_posts (user_id, org_id);
CREATE INDEX forum_posts_last_reply_by_idx ON forum_posts (last_reply_by, org_id);
CREATE INDEX forum_posts_hidden_by_idx ON forum_posts (hidden_by, org_id);
CREATE INDEX forum_posts_search_idx ON forum_posts USING gin (search);
SELECT ludus_isolate('forum_posts');

CREATE TABLE forum_replies (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	post_id uuid NOT NULL,
	parent_reply_id uuid,
	-- its number in the thread, and the numbers of its branch down to it
	num integer NOT NULL CHECK (num > 0),
	path integer[] NOT NULL CHECK (cardinality(path) BETWEEN 1 AND 64
		AND path[cardinality(path)] = num),
	user_id uuid NOT NULL,
	body text NOT NULL CHECK (length(btrim(body, E' \t\r\n')) BETWEEN 1 AND 20000),
	body_html text NOT NULL CHECK (length(body_html) <= 200000),
	likes integer NOT NULL DEFAULT 0 CHECK (likes >= 0),
	hidden_at timestamptz,
	hidden_reason text CHECK (length(btrim(hidden_reason, E' \t\r\n')) BETWEEN 1 AND 500),
	hidden_by uuid,
	deleted_at timestamptz,
	edited_at timestamptz,
	version integer NOT NULL DEFAULT 1 CHECK (version > 0),
	search tsvector NOT NULL GENERATED ALWAYS AS (
		to_tsvector('english', body)) STORED,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (post_id, num),
	UNIQUE (id, org_id),
	UNIQUE (id, post_id),
	CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL)),
	CHECK (hidden_by IS NULL OR hidden_at IS NOT NULL),
	CHECK ((parent_reply_id IS NULL) = (cardinality(path) = 1)),
	FOREIGN KEY (post_id, org_id) REFERENCES forum_posts (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (parent_reply_id, post_id) REFERENCES forum_replies (id, post_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (hidden_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (hidden_by)
);
CREATE INDEX forum_replies_tree_idx ON forum_replies (post_id, path);
CREATE INDEX forum_replies_post_fk_idx ON forum_replies (post_id, org_id);
CREATE INDEX forum_replies_parent_idx ON forum_replies (parent_reply_id, post_id);
CREATE INDEX forum_replies_user_idx ON forum_replies (user_id, created_at);
CREATE INDEX forum_replies_user_org_idx ON forum_replies (user_id, org_id);
CREATE INDEX forum_replies_hidden_by_idx ON forum_replies (hidden_by, org_id);
CREATE INDEX forum_replies_search_idx ON forum_replies USING gin (search);
SELECT ludus_isolate('forum_replies');

ALTER TABLE forum_posts ADD FOREIGN KEY (accepted_reply_id, id)
	REFERENCES forum_replies (id, post_id) ON DELETE SET NULL (accepted_reply_id);
CREATE INDEX forum_posts_accepted_idx ON forum_posts (accepted_reply_id, id);

-- ---- Likes (seed 002), once per member, never one's own ----

CREATE TABLE forum_post_likes (
	post_id uuid NOT NULL,
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (post_id, user_id),
	FOREIGN KEY (post_id, org_id) REFERENCES forum_posts (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX forum_post_likes_fk_idx ON forum_post_likes (post_id, org_id);
CREATE INDEX forum_post_likes_user_idx ON forum_post_likes (user_id, created_at);
CREATE INDEX forum_post_likes_user_org_idx ON forum_post_likes (user_id, org_id);
SELECT ludus_isolate('forum_post_likes');

CREATE TABLE forum_reply_likes (
	reply_id uuid NOT NULL,
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (reply_id, user_id),
	FOREIGN KEY (reply_id, org_id) REFERENCES forum_replies (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX forum_reply_likes_fk_idx ON forum_reply_likes (reply_id, org_id);
CREATE INDEX forum_reply_likes_user_idx ON forum_reply_likes (user_id, created_at);
CREATE INDEX forum_reply_likes_user_org_idx ON forum_reply_likes (user_id, org_id);
SELECT ludus_isolate('forum_reply_likes');

-- ---- Edit history: what a post said before each edit ----

CREATE TABLE forum_revisions (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	post_id uuid,
	reply_id uuid,
	version integer NOT NULL CHECK (version > 0),
	title text,
	body text NOT NULL,
	edited_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(post_id, reply_id) = 1),
	CHECK (title IS NULL OR post_id IS NOT NULL),
	UNIQUE NULLS NOT DISTINCT (post_id, reply_id, version),
	FOREIGN KEY (post_id, org_id) REFERENCES forum_posts (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (reply_id, org_id) REFERENCES forum_replies (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (edited_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (edited_by)
);
CREATE INDEX forum_revisions_post_idx ON forum_revisions (post_id, org_id);
CREATE INDEX forum_revisions_reply_idx ON forum_revisions (reply_id, org_id);
CREATE INDEX forum_revisions_edited_by_idx ON forum_revisions (edited_by, org_id);
SELECT ludus_isolate('forum_revisions');

-- ---- Watching a thread or a category; reading a thread ----

CREATE TABLE forum_watches (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	post_id uuid,
	category_id uuid,
	-- false: muted (a thread one wrote in, which would be watched)
	watching boolean NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(post_id, category_id) = 1),
	UNIQUE NULLS NOT DISTINCT (user_id, post_id, category_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (post_id, org_id) REFERENCES forum_posts (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (category_id, org_id) REFERENCES forum_categories (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX forum_watches_post_idx ON forum_watches (post_id, org_id);
CREATE INDEX forum_watches_category_idx ON forum_watches (category_id, org_id);
CREATE INDEX forum_watches_user_org_idx ON forum_watches (user_id, org_id);
SELECT ludus_isolate('forum_watches');

CREATE TABLE forum_reads (
	user_id uuid NOT NULL,
	post_id uuid NOT NULL,
	org_id uuid NOT NULL,
	-- the highest reply number read (0: the thread's first post only)
	last_n integer NOT NULL DEFAULT 0 CHECK (last_n >= 0),
	read_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, post_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (post_id, org_id) REFERENCES forum_posts (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX forum_reads_post_idx ON forum_reads (post_id, org_id);
CREATE INDEX forum_reads_user_org_idx ON forum_reads (user_id, org_id);
SELECT ludus_isolate('forum_reads');

-- ---- Flags ----

CREATE TABLE forum_flags (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	post_id uuid,
	reply_id uuid,
	reason text NOT NULL CHECK (reason IN ('spam', 'inappropriate',
		'off_topic', 'other')),
	note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	-- open; agreed (the post stays hidden); dismissed (shown again)
	status text NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'agreed', 'dismissed')),
	resolved_by uuid,
	resolved_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(post_id, reply_id) = 1),
	CHECK ((status = 'open') = (resolved_at IS NULL)),
	CHECK (reason <> 'other' OR length(btrim(note, E' \t\r\n')) > 0),
	UNIQUE NULLS NOT DISTINCT (user_id, post_id, reply_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (post_id, org_id) REFERENCES forum_posts (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (reply_id, org_id) REFERENCES forum_replies (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (resolved_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (resolved_by)
);
CREATE INDEX forum_flags_open_idx ON forum_flags (org_id, created_at)
	WHERE status = 'open';
CREATE INDEX forum_flags_post_idx ON forum_flags (post_id, org_id);
CREATE INDEX forum_flags_reply_idx ON forum_flags (reply_id, org_id);
CREATE INDEX forum_flags_user_idx ON forum_flags (user_id, created_at);
CREATE INDEX forum_flags_user_org_idx ON forum_flags (user_id, org_id);
CREATE INDEX forum_flags_resolved_by_idx ON forum_flags (resolved_by, org_id);
SELECT ludus_isolate('forum_flags');

-- ---- Members: taking part, and the trust it earns ----

CREATE TABLE forum_members (
	user_id uuid PRIMARY KEY,
	org_id uuid NOT NULL,
	-- 0 new, 1 basic, 2 member, 3 regular (earned); 4 leader (staff only)
	trust_level smallint NOT NULL DEFAULT 0 CHECK (trust_level BETWEEN 0 AND 4),
	-- set by staff (who, when): no longer earned
	level_set_by uuid,
	level_set_at timestamptz,
	threads_entered integer NOT NULL DEFAULT 0 CHECK (threads_entered >= 0),
	posts_read integer NOT NULL DEFAULT 0 CHECK (posts_read >= 0),
	days_visited integer NOT NULL DEFAULT 0 CHECK (days_visited >= 0),
	last_visit date,
	threads integer NOT NULL DEFAULT 0 CHECK (threads >= 0),
	replies integer NOT NULL DEFAULT 0 CHECK (replies >= 0),
	likes_given integer NOT NULL DEFAULT 0 CHECK (likes_given >= 0),
	likes_received integer NOT NULL DEFAULT 0 CHECK (likes_received >= 0),
	accepted_answers integer NOT NULL DEFAULT 0 CHECK (accepted_answers >= 0),
	-- the last mail digest of forum notifications
	digested_at timestamptz,
	UNIQUE (user_id, org_id),
	CHECK (level_set_by IS NULL OR level_set_at IS NOT NULL),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (level_set_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (level_set_by)
);
CREATE INDEX forum_members_org_idx ON forum_members (org_id);
CREATE INDEX forum_members_level_set_by_idx ON forum_members (level_set_by, org_id);
SELECT ludus_isolate('forum_members');

-- The level a member's numbers earn under their organization's rules.
CREATE FUNCTION forum_trust_earned(m forum_members) RETURNS smallint
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN m.days_visited >= s.tl3_days_visited
			AND m.posts_read >= s.tl3_posts_read
			AND m.likes_given >= s.tl3_likes_given
			AND m.likes_received >= s.tl3_likes_received
			AND m.replies >= s.tl3_replies THEN 3
		WHEN m.days_visited >= s.tl2_days_visited
			AND m.posts_read >= s.tl2_posts_read
			AND m.likes_given >= s.tl2_likes_given
			AND m.likes_received >= s.tl2_likes_received
			AND m.replies >= s.tl2_replies THEN 2
		WHEN m.threads_entered >= s.tl1_threads_entered
			AND m.posts_read >= s.tl1_posts_read THEN 1
		ELSE 0 END::smallint
	FROM forum_settings s WHERE s.org_id = m.org_id
$$;

-- A member's level rises with their numbers (never falls by itself),
-- unless staff set it (level_set_at stays when that staff member's
-- account goes).
CREATE FUNCTION forum_members_level() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.level_set_by IS NOT NULL THEN
		NEW.level_set_at := coalesce(NEW.level_set_at, now());
	END IF;
	IF NEW.level_set_at IS NULL THEN
		NEW.trust_level := greatest(NEW.trust_level,
			coalesce(forum_trust_earned(NEW), 0));
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER forum_members_level BEFORE INSERT OR UPDATE ON forum_members
	FOR EACH ROW EXECUTE FUNCTION forum_members_level();

-- Adds delta to one of a member's counters ('threads', 'replies',
-- 'likes_given', 'likes_received', 'accepted_answers'), making the row
-- the first time.
CREATE FUNCTION forum_member_add(uid uuid, org uuid, what text,
	delta integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	-- Nothing to take from a member without a row (nor one being deleted).
	IF delta > 0 THEN
		INSERT INTO forum_members (user_id, org_id) VALUES (uid, org)
		ON CONFLICT (user_id) DO NOTHING;
	END IF;
	EXECUTE format('UPDATE forum_members SET %1$I = greatest(%1$I + $1, 0) '
		'WHERE user_id = $2', what) USING delta, uid;
END
$$;

-- ---- What the triggers keep ----

-- A new reply: its number and path (from the thread's row, locked, so
-- numbers come in order), the thread's counts and last activity.
CREATE FUNCTION forum_replies_place() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE forum_posts SET reply_seq = reply_seq + 1,
		replies = replies + 1, last_activity_at = NEW.created_at,
		last_reply_by = NEW.user_id
	WHERE id = NEW.post_id
	RETURNING reply_seq INTO NEW.num;
	-- No thread in sight: num stays null, and the row is refused (by the
	-- policy for another organization's thread, else as num is null).
	NEW.path := coalesce((SELECT r.path FROM forum_replies r
		WHERE r.id = NEW.parent_reply_id AND r.post_id = NEW.post_id),
		'{}') || NEW.num;
	RETURN NEW;
END
$$;
CREATE TRIGGER forum_replies_place BEFORE INSERT ON forum_replies
	FOR EACH ROW EXECUTE FUNCTION forum_replies_place();

-- What a reply shown or not changes: the thread's count of shown replies
-- and its author's count of replies.
CREATE FUNCTION forum_replies_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	was boolean := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
		AND OLD.hidden_at IS NULL;
	now_shown boolean := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
		AND NEW.hidden_at IS NULL;
BEGIN
	IF TG_OP = 'INSERT' THEN
		-- counted in the thread by forum_replies_place
		PERFORM forum_member_add(NEW.user_id, NEW.org_id, 'replies', 1);
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL
		AND NEW.deleted_at IS NOT NULL THEN
		PERFORM forum_member_add(OLD.user_id, OLD.org_id, 'replies', -1);
	END IF;
	IF was AND NOT now_shown THEN
		UPDATE forum_posts SET replies = greatest(replies - 1, 0)
		WHERE id = OLD.post_id;
	ELSIF now_shown AND NOT was THEN
		UPDATE forum_posts SET replies = replies + 1 WHERE id = NEW.post_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER forum_replies_count AFTER INSERT OR DELETE
	OR UPDATE OF deleted_at, hidden_at
	ON forum_replies FOR EACH ROW EXECUTE FUNCTION forum_replies_count();

-- A category's threads (deleted ones left out), and its author's count.
CREATE FUNCTION forum_posts_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
		UPDATE forum_categories SET threads = greatest(threads - 1, 0)
		WHERE id = OLD.category_id;
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
		UPDATE forum_categories SET threads = threads + 1
		WHERE id = NEW.category_id;
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM forum_member_add(NEW.user_id, NEW.org_id, 'threads', 1);
	ELSIF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL
		AND NEW.deleted_at IS NOT NULL THEN
		PERFORM forum_member_add(OLD.user_id, OLD.org_id, 'threads', -1);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER forum_posts_count AFTER INSERT OR DELETE
	OR UPDATE OF deleted_at, category_id
	ON forum_posts FOR EACH ROW EXECUTE FUNCTION forum_posts_count();

-- A like: the post's count, the liker's and the author's.
CREATE FUNCTION forum_likes_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d integer := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
	liker uuid;
	org uuid;
	author uuid;
BEGIN
	IF TG_OP = 'INSERT' THEN
		liker := NEW.user_id;
		org := NEW.org_id;
	ELSE
		liker := OLD.user_id;
		org := OLD.org_id;
	END IF;
	IF TG_TABLE_NAME = 'forum_post_likes' THEN
		UPDATE forum_posts SET likes = greatest(likes + d, 0)
		WHERE id = CASE WHEN d > 0 THEN NEW.post_id ELSE OLD.post_id END
		RETURNING user_id INTO author;
	ELSE
		UPDATE forum_replies SET likes = greatest(likes + d, 0)
		WHERE id = CASE WHEN d > 0 THEN NEW.reply_id ELSE OLD.reply_id END
		RETURNING user_id INTO author;
	END IF;
	PERFORM forum_member_add(liker, org, 'likes_given', d);
	IF author IS NOT NULL THEN
		PERFORM forum_member_add(author, org, 'likes_received', d);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER forum_post_likes_count AFTER INSERT OR DELETE
	ON forum_post_likes FOR EACH ROW EXECUTE FUNCTION forum_likes_count();
CREATE TRIGGER forum_reply_likes_count AFTER INSERT OR DELETE
	ON forum_reply_likes FOR EACH ROW EXECUTE FUNCTION forum_likes_count();

-- An accepted answer: its author's count.
CREATE FUNCTION forum_posts_accepted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.accepted_reply_id IS NOT NULL THEN
		PERFORM forum_member_add(r.user_id, r.org_id, 'accepted_answers', -1)
		FROM forum_replies r WHERE r.id = OLD.accepted_reply_id;
	END IF;
	IF NEW.accepted_reply_id IS NOT NULL THEN
		PERFORM forum_member_add(r.user_id, r.org_id, 'accepted_answers', 1)
		FROM forum_replies r WHERE r.id = NEW.accepted_reply_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER forum_posts_accepted AFTER UPDATE OF accepted_reply_id
	ON forum_posts FOR EACH ROW
	WHEN (OLD.accepted_reply_id IS DISTINCT FROM NEW.accepted_reply_id)
	EXECUTE FUNCTION forum_posts_accepted();

-- A reply deleted for good (with its thread's branch, or its author's
-- account) stops being the answer first, so that the answer's count
-- follows and the thread's key never names a reply that is gone.
CREATE FUNCTION forum_replies_unaccept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE forum_posts SET accepted_reply_id = NULL
	WHERE id = OLD.post_id AND accepted_reply_id = OLD.id;
	RETURN OLD;
END
$$;
CREATE TRIGGER forum_replies_unaccept BEFORE DELETE ON forum_replies
	FOR EACH ROW EXECUTE FUNCTION forum_replies_unaccept();

-- A flag: when the open flags of different members on a post reach the
-- organization's number, the post is hidden until a moderator decides.
CREATE FUNCTION forum_flags_hide() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	need integer := (SELECT flags_to_hide FROM forum_settings
		WHERE org_id = NEW.org_id);
	have integer;
BEGIN
	SELECT count(*) INTO have FROM forum_flags f
	WHERE f.status = 'open' AND f.post_id IS NOT DISTINCT FROM NEW.post_id
		AND f.reply_id IS NOT DISTINCT FROM NEW.reply_id;
	IF have < coalesce(need, 3) THEN
		RETURN NULL;
	END IF;
	IF NEW.post_id IS NOT NULL THEN
		UPDATE forum_posts SET hidden_at = now(), hidden_reason =
			'Hidden after flags from ' || have || ' members, until a '
			'moderator looks at it.'
		WHERE id = NEW.post_id AND hidden_at IS NULL;
	ELSE
		UPDATE forum_replies SET hidden_at = now(), hidden_reason =
			'Hidden after flags from ' || have || ' members, until a '
			'moderator looks at it.'
		WHERE id = NEW.reply_id AND hidden_at IS NULL;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER forum_flags_hide AFTER INSERT ON forum_flags
	FOR EACH ROW EXECUTE FUNCTION forum_flags_hide();

-- ---- Who may do what ----

-- How a user stands to a category's forum: 'staff' (a course forum's
-- authors, or content.all), 'member' (may read and take part: a course
-- forum's learners and, for the general forum, everyone in the
-- organization), or null.  A course forum is its learners' (enrolled) and
-- authors': members who only see the course in the catalog do not read
-- its forum.
CREATE FUNCTION forum_role(category uuid, uid uuid, edit_all boolean)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN k.course_id IS NULL THEN
			CASE WHEN edit_all THEN 'staff' ELSE 'member' END
		ELSE CASE course_member_role(k.course_id, uid, edit_all)
			WHEN 'author' THEN 'staff' WHEN 'learner' THEN 'member' END
	END
	FROM forum_categories k
	WHERE k.id = category
		AND EXISTS (SELECT 1 FROM users u WHERE u.id = uid
			AND u.org_id = k.org_id)
$$;

-- ---- How they are shown ----

-- A post's author.  PL/pgSQL, so that its plan is kept for the session:
-- as SQL it was planned again at each of a page's rows (18 of a 30-thread
-- page's 21 ms on the bench).
CREATE FUNCTION forum_user_json(uid uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT jsonb_build_object('id', u.id, 'username', u.username,
		'display_name', p.display_name,
		'trust_level', coalesce(m.trust_level, 0))
	FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
	LEFT JOIN forum_members m ON m.user_id = u.id
	WHERE u.id = uid);
END
$$;

-- A thread's head as a reader sees it: a deleted or hidden one's text is
-- gone for all but staff (and, when hidden, its author).
CREATE FUNCTION forum_post_json(t forum_posts, uid uuid, staff boolean)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', t.id, 'category_id', t.category_id,
		'title', t.title,
		'body', CASE WHEN shown THEN t.body END,
		'html', CASE WHEN shown THEN t.body_html END,
		'author', forum_user_json(t.user_id), 'mine', t.user_id = uid,
		'replies', t.replies, 'reply_seq', t.reply_seq, 'likes', t.likes,
		'liked', EXISTS (SELECT 1 FROM forum_post_likes l
			WHERE l.post_id = t.id AND l.user_id = uid),
		'pinned', t.pinned_at IS NOT NULL, 'locked', t.locked_at IS NOT NULL,
		'hidden', t.hidden_at IS NOT NULL,
		'hidden_reason', CASE WHEN staff OR t.user_id = uid
			THEN t.hidden_reason END,
		'deleted', t.deleted_at IS NOT NULL,
		'accepted_reply_id', t.accepted_reply_id,
		'last_activity_at', t.last_activity_at,
		'last_reply_by', CASE WHEN t.last_reply_by IS NOT NULL
			THEN forum_user_json(t.last_reply_by) END,
		'edited_at', t.edited_at, 'version', t.version,
		'created_at', t.created_at)
	FROM (SELECT t.deleted_at IS NULL AND (t.hidden_at IS NULL OR staff
		OR t.user_id = uid) AS shown) s
$$;

CREATE FUNCTION forum_reply_json(r forum_replies, uid uuid, staff boolean,
	accepted uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', r.id, 'post_id', r.post_id,
		'parent_id', r.parent_reply_id, 'n', r.num,
		'depth', cardinality(r.path) - 1,
		'body', CASE WHEN shown THEN r.body END,
		'html', CASE WHEN shown THEN r.body_html END,
		'author', CASE WHEN r.deleted_at IS NULL OR staff
			THEN forum_user_json(r.user_id) END,
		'mine', r.user_id = uid, 'likes', r.likes,
		'liked', EXISTS (SELECT 1 FROM forum_reply_likes l
			WHERE l.reply_id = r.id AND l.user_id = uid),
		'accepted', r.id IS NOT DISTINCT FROM accepted,
		'hidden', r.hidden_at IS NOT NULL,
		'hidden_reason', CASE WHEN staff OR r.user_id = uid
			THEN r.hidden_reason END,
		'deleted', r.deleted_at IS NOT NULL,
		'edited_at', r.edited_at, 'version', r.version,
		'created_at', r.created_at)
	FROM (SELECT r.deleted_at IS NULL AND (r.hidden_at IS NULL OR staff
		OR r.user_id = uid) AS shown) s
$$;

-- A thread as a category's list shows it: no body; whether I have read
-- it all (unread: replies since I last read, null: never opened).
CREATE FUNCTION forum_thread_item(t forum_posts, uid uuid, staff boolean)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', t.id, 'category_id', t.category_id,
		'title', t.title, 'author', forum_user_json(t.user_id),
		'replies', t.replies, 'likes', t.likes,
		'pinned', t.pinned_at IS NOT NULL, 'locked', t.locked_at IS NOT NULL,
		'hidden', t.hidden_at IS NOT NULL,
		'answered', t.accepted_reply_id IS NOT NULL,
		'last_activity_at', t.last_activity_at,
		'last_reply_by', CASE WHEN t.last_reply_by IS NOT NULL
			THEN forum_user_json(t.last_reply_by) END,
		'created_at', t.created_at,
		'unread', (SELECT t.reply_seq - d.last_n FROM forum_reads d
			WHERE d.user_id = uid AND d.post_id = t.id))
$$;

-- Whether a thread's answers are hidden from a member: in a Q&A
-- category, until they have answered (staff see everything).
CREATE FUNCTION forum_answers_hidden(k forum_categories, thread uuid,
	uid uuid, role text) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT k.kind = 'qa' AND role IS DISTINCT FROM 'staff'
		AND NOT EXISTS (SELECT 1 FROM forum_posts t
			WHERE t.id = thread AND t.user_id = uid)
		AND NOT EXISTS (SELECT 1 FROM forum_replies r
			WHERE r.post_id = thread AND r.user_id = uid
				AND r.deleted_at IS NULL)
$$;

-- ---- Search, as the definer (0019's reason: the GIN indexes) ----

-- Threads and replies matching a searcher's text (typos corrected against
-- the organization's words, 0011) in the forums they may read: the
-- organization's general forum, and the forums of the courses they write
-- or are enrolled in (p_all: every course's).  Deleted and hidden posts
-- are left out.  At most p_limit hits, best first, with a snippet.
CREATE FUNCTION forum_search(p_user uuid, p_all boolean, p_q text,
	p_course uuid, p_limit integer) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_org uuid := ludus_org();
BEGIN
	IF v_org IS NULL THEN
		RETURN jsonb_build_object('query', p_q, 'items', '[]'::jsonb);
	END IF;
	RETURN (
	WITH q AS (
		SELECT coalesce(search_tsquery(v_org, p_q, false),
			plainto_tsquery('english', p_q)) AS tsq
	), cats AS (
		SELECT x.* FROM (SELECT k.id, k.name, k.course_id, k.kind,
				c.title AS course_title,
				forum_role(k.id, p_user, p_all) AS role
			FROM forum_categories k LEFT JOIN courses c ON c.id = k.course_id
			WHERE k.org_id = v_org
				AND (p_course IS NULL OR k.course_id = p_course)) x
		WHERE x.role IS NOT NULL
	), hits AS (
		(SELECT t.id AS post_id, NULL::uuid AS reply_id, NULL::integer AS n,
			t.title, t.body, k.id AS category_id, k.name AS category,
			k.course_id, k.course_title,
			ts_rank_cd(t.search, q.tsq, 32) + 0.1 AS rank, t.created_at
		FROM q, forum_posts t JOIN cats k ON k.id = t.category_id
		WHERE t.search @@ q.tsq AND t.deleted_at IS NULL
			AND t.hidden_at IS NULL
		ORDER BY rank DESC LIMIT 10 * p_limit)
		UNION ALL
		(SELECT t.id, r.id, r.num, t.title, r.body, k.id, k.name,
			k.course_id, k.course_title,
			ts_rank_cd(r.search, q.tsq, 32), r.created_at
		FROM q, forum_replies r JOIN forum_posts t ON t.id = r.post_id
			JOIN cats k ON k.id = t.category_id
		WHERE r.search @@ q.tsq AND r.deleted_at IS NULL
			AND r.hidden_at IS NULL AND t.deleted_at IS NULL
			AND t.hidden_at IS NULL
			-- a Q&A thread's answers: not before one's own (0031's rule)
			AND (r.user_id = p_user OR NOT (k.kind = 'qa' AND k.role <> 'staff'
				AND t.user_id <> p_user AND NOT EXISTS (SELECT 1
					FROM forum_replies x WHERE x.post_id = t.id
						AND x.user_id = p_user AND x.deleted_at IS NULL)))
		ORDER BY 10 DESC LIMIT 10 * p_limit)
	), top AS (
		SELECT * FROM hits ORDER BY rank DESC, created_at DESC
		LIMIT p_limit
	)
	SELECT jsonb_build_object('query', p_q, 'items', coalesce(jsonb_agg(
		jsonb_build_object('post_id', h.post_id, 'reply_id', h.reply_id,
			'n', h.n, 'title', h.title, 'category_id', h.category_id,
			'category', h.category, 'course_id', h.course_id,
			'course_title', h.course_title, 'created_at', h.created_at,
			'snippet', ts_headline('english', h.body, q.tsq,
				'StartSel=' || chr(1) || ', StopSel=' || chr(2)
				|| ', MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1'))
		ORDER BY h.rank DESC, h.created_at DESC), '[]'::jsonb))
	FROM top h, q);
END
$fn$;
SELECT ludus_grant_definers();

-- Forum posts' words feed the organization's vocabulary (0011), so that
-- a typo in a search is corrected to a word said in the forums.
CREATE OR REPLACE FUNCTION search_doc(r jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws(' ', r->>'title', r->>'summary', r->>'description',
		r->'content'->>'markdown', r->>'stem',
		CASE WHEN r ? 'body_html' THEN r->>'body' END,
		(SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(r->'tags') t))
$$;
CREATE TRIGGER forum_posts_words_ins AFTER INSERT ON forum_posts
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow('content');
CREATE TRIGGER forum_posts_words_upd AFTER UPDATE ON forum_posts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow('content');
CREATE TRIGGER forum_posts_words_del AFTER DELETE ON forum_posts
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow('content');
CREATE TRIGGER forum_replies_words_ins AFTER INSERT ON forum_replies
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow('content');
CREATE TRIGGER forum_replies_words_upd AFTER UPDATE ON forum_replies
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow('content');
CREATE TRIGGER forum_replies_words_del AFTER DELETE ON forum_replies
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow('content');

-- ---- The forum's rules, one function per thing a member does ----
--
-- Each answers a forum_result: an HTTP status with the document, or a
-- problem (its type and what to tell the member); what the caller is to
-- write in the audit trail (moderation), and XP to award (a like, an
-- accepted answer).  The caller (src/community/api_forum.c) renders the
-- Markdown, says whether it has links or pictures, and runs each in its
-- request's transaction, rolled back on a problem.

CREATE TYPE forum_result AS (status integer, problem text, body jsonb,
	audit jsonb, xp jsonb);

CREATE FUNCTION forum_ok(status integer, body jsonb) RETURNS forum_result
LANGUAGE sql IMMUTABLE AS $$
	SELECT ROW(status, NULL, body, NULL, NULL)::forum_result
$$;

CREATE FUNCTION forum_no(status integer, problem text, detail text)
RETURNS forum_result
LANGUAGE sql IMMUTABLE AS $$
	SELECT ROW(status, problem, to_jsonb(detail), NULL, NULL)::forum_result
$$;

-- A post (a thread's first post or a reply) as a member may act on it:
-- the thread, the reply (or null), the category, its course, the
-- member's role there, the post's author, whether it is hidden, deleted,
-- and (for the thread) locked.  The thread's row is locked, so that
-- everything done to a thread takes turns.  No row: nothing in sight.
CREATE FUNCTION forum_locate(p_kind text, p_id uuid, uid uuid, edit_all boolean,
	OUT post_id uuid, OUT reply_id uuid, OUT category_id uuid,
	OUT course_id uuid, OUT kind text, OUT role text, OUT author uuid,
	OUT hidden boolean, OUT deleted boolean, OUT locked boolean,
	OUT thread_author uuid, OUT thread_gone boolean, OUT version integer)
RETURNS SETOF record
LANGUAGE sql AS $$
	SELECT t.id, r.id, k.id, k.course_id, k.kind,
		forum_role(k.id, uid, edit_all),
		coalesce(r.user_id, t.user_id),
		coalesce(r.hidden_at, t.hidden_at) IS NOT NULL,
		coalesce(r.deleted_at, t.deleted_at) IS NOT NULL,
		t.locked_at IS NOT NULL, t.user_id,
		t.deleted_at IS NOT NULL OR t.hidden_at IS NOT NULL,
		coalesce(r.version, t.version)
	FROM forum_posts t
	JOIN forum_categories k ON k.id = t.category_id
	LEFT JOIN forum_replies r ON p_kind = 'reply' AND r.id = p_id
	WHERE t.id = CASE WHEN p_kind = 'thread' THEN p_id
		ELSE (SELECT x.post_id FROM forum_replies x WHERE x.id = p_id) END
	FOR UPDATE OF t
$$;

-- Whether a member (not staff) has used up a day's posts, likes or flags
-- ('posts', 'likes', 'flags') under their trust level: null, or why.
CREATE FUNCTION forum_over_limit(uid uuid, org uuid, what text)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	lvl smallint := coalesce((SELECT trust_level FROM forum_members
		WHERE user_id = uid), 0);
	s forum_settings;
	cap integer;
	used bigint;
	since timestamptz := now() - interval '1 day';
BEGIN
	SELECT * INTO s FROM forum_settings WHERE org_id = org;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	cap := CASE what
		WHEN 'posts' THEN CASE lvl WHEN 0 THEN s.tl0_posts_a_day
			WHEN 1 THEN s.tl1_posts_a_day ELSE s.posts_a_day END
		WHEN 'likes' THEN CASE lvl WHEN 0 THEN s.tl0_likes_a_day
			WHEN 1 THEN s.tl1_likes_a_day ELSE s.likes_a_day END
		ELSE CASE lvl WHEN 0 THEN s.tl0_flags_a_day
			WHEN 1 THEN s.tl1_flags_a_day ELSE s.flags_a_day END END;
	used := CASE what
		WHEN 'posts' THEN (SELECT count(*) FROM forum_posts
				WHERE user_id = uid AND created_at > since)
			+ (SELECT count(*) FROM forum_replies
				WHERE user_id = uid AND created_at > since)
		WHEN 'likes' THEN (SELECT count(*) FROM forum_post_likes
				WHERE user_id = uid AND created_at > since)
			+ (SELECT count(*) FROM forum_reply_likes
				WHERE user_id = uid AND created_at > since)
		ELSE (SELECT count(*) FROM forum_flags
				WHERE user_id = uid AND created_at > since) END;
	IF used < cap THEN
		RETURN NULL;
	END IF;
	RETURN format('At trust level %s you may make %s %s a day; taking part '
		'raises the limit.', lvl, cap, CASE what WHEN 'posts'
		THEN 'posts' WHEN 'likes' THEN 'likes' ELSE 'flags' END);
END
$$;

-- A member's requests that count against their daily limits take turns
-- (until their transactions end), so that requests at once cannot all
-- see room for one more.  Called before the count, which must then be
-- read in a statement that starts after the lock (forum_over_limit is
-- such a statement: STABLE functions see the snapshot of the statement
-- that calls them, in READ COMMITTED).
CREATE FUNCTION forum_limit_lock(uid uuid) RETURNS void
LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock(hashtext('forum_limit:' || uid::text))
$$;

-- Why a member may not post this text (null: they may): a new member
-- (level 0) posts no links or pictures, and nobody beyond their limits.
CREATE FUNCTION forum_may_post(uid uuid, org uuid, has_media boolean)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN has_media AND coalesce((SELECT trust_level FROM forum_members
			WHERE user_id = uid), 0) = 0
			THEN 'New members may not post links or pictures yet: read '
				'and take part a little first.'
		ELSE forum_over_limit(uid, org, 'posts') END
$$;

-- The members named with @username in a text (at most 10), who may read
-- the category, other than its writer.
CREATE FUNCTION forum_mentioned(body text, category uuid, writer uuid)
RETURNS SETOF uuid
LANGUAGE sql STABLE AS $$
	SELECT u.id
	FROM (SELECT DISTINCT lower(rtrim(m[1], '.-')) AS name
		FROM regexp_matches(' ' || left(body, 20000),
			'[^A-Za-z0-9_.@]@([A-Za-z0-9_][A-Za-z0-9_.-]{1,39})', 'g') m) n
	JOIN users u ON lower(u.username) = n.name
	WHERE u.id <> writer AND u.deleted_at IS NULL
		AND forum_role(category, u.id, false) IS NOT NULL
	ORDER BY n.name
	LIMIT 10
$$;

-- Tells the watchers of a thread (and of its category, unless they muted
-- the thread) of a new reply, and those it mentions: one notification a
-- thread for its watchers, brought back unread by each new reply.
CREATE FUNCTION forum_notify(org uuid, thread uuid, reply uuid, num integer,
	writer uuid, body text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	t forum_posts;
	k forum_categories;
	who text := (SELECT username FROM users WHERE id = writer);
BEGIN
	SELECT * INTO t FROM forum_posts WHERE id = thread;
	SELECT * INTO k FROM forum_categories WHERE id = t.category_id;
	INSERT INTO notifications (org_id, user_id, kind, title, body, data,
		dedupe_key)
	SELECT org, m, 'forum_mention', left(who || ' mentioned you', 200),
		left('In "' || t.title || '"', 500),
		jsonb_build_object('post_id', thread, 'reply_id', reply, 'n', num,
			'course_id', k.course_id),
		'forum_mention:' || coalesce(reply, thread)
	FROM forum_mentioned(body, k.id, writer) m
	ON CONFLICT (user_id, dedupe_key) DO NOTHING;
	IF reply IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO notifications AS x (org_id, user_id, kind, title, body, data,
		dedupe_key)
	SELECT org, w.user_id, 'forum_reply', left('New replies in "' || t.title
		|| '"', 200), left(who || ' replied.', 500),
		jsonb_build_object('post_id', thread, 'reply_id', reply, 'n', num,
			'course_id', k.course_id),
		'forum_reply:' || thread
	FROM (SELECT DISTINCT w.user_id FROM forum_watches w
		WHERE w.watching AND (w.post_id = thread OR (w.category_id = k.id
			AND NOT EXISTS (SELECT 1 FROM forum_watches m
				WHERE m.user_id = w.user_id AND m.post_id = thread
					AND NOT m.watching)))) w
	WHERE w.user_id <> writer
		AND w.user_id NOT IN (SELECT forum_mentioned(body, k.id, writer))
		AND forum_role(k.id, w.user_id, false) IS NOT NULL
	ON CONFLICT (user_id, dedupe_key) DO UPDATE SET read_at = NULL,
		created_at = now(), body = excluded.body, data = excluded.data;
END
$$;

-- Starts a thread in a category.
CREATE FUNCTION forum_thread_create(org uuid, uid uuid, edit_all boolean,
	category uuid, p_title text, p_body text, p_html text,
	has_media boolean) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	role text := forum_role(category, uid, edit_all);
	why text;
	t forum_posts;
BEGIN
	IF role IS NULL THEN
		RETURN forum_no(404, 'not-found', 'There is no such category.');
	END IF;
	IF role <> 'staff' THEN
		PERFORM forum_limit_lock(uid);
		why := forum_may_post(uid, org, has_media);
		IF why IS NOT NULL THEN
			RETURN forum_no(CASE WHEN has_media AND why LIKE 'New%'
				THEN 403 ELSE 429 END, CASE WHEN has_media AND why
				LIKE 'New%' THEN 'forbidden' ELSE 'rate-limited' END, why);
		END IF;
	END IF;
	INSERT INTO forum_posts (org_id, category_id, user_id, title, body,
		body_html)
	VALUES (org, category, uid, btrim(p_title), p_body, p_html)
	RETURNING * INTO t;
	INSERT INTO forum_watches (user_id, org_id, post_id, watching)
	VALUES (uid, org, t.id, true) ON CONFLICT DO NOTHING;
	PERFORM forum_notify(org, t.id, NULL, 0, uid, p_body);
	RETURN forum_ok(201, forum_post_json(t, uid, role = 'staff'));
END
$$;

-- Replies to a thread, or to one of its replies (parent).
CREATE FUNCTION forum_reply_create(org uuid, uid uuid, edit_all boolean,
	thread uuid, parent uuid, p_body text, p_html text, has_media boolean)
RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
	why text;
	depth integer;
	r forum_replies;
BEGIN
	SELECT * INTO l FROM forum_locate('thread', thread, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR (l.thread_gone AND l.role <> 'staff'
		AND l.author <> uid) THEN
		RETURN forum_no(404, 'not-found', 'There is no such thread.');
	END IF;
	IF l.deleted OR l.hidden THEN
		RETURN forum_no(409, 'thread-closed', 'This thread was '
			|| CASE WHEN l.deleted THEN 'deleted' ELSE 'hidden' END
			|| ': it takes no replies.');
	END IF;
	IF l.locked AND l.role <> 'staff' THEN
		RETURN forum_no(409, 'thread-locked', 'This thread is locked: '
			'only moderators reply to it.');
	END IF;
	IF parent IS NOT NULL THEN
		SELECT cardinality(x.path) INTO depth FROM forum_replies x
		WHERE x.id = parent AND x.post_id = thread;
		IF depth IS NULL THEN
			RETURN forum_no(422, 'validation', 'parent_id: is not a reply '
				'of this thread');
		END IF;
		IF depth >= 64 THEN
			RETURN forum_no(422, 'validation', 'parent_id: replies nest '
				'64 deep at most; answer a post further up');
		END IF;
	END IF;
	IF l.role <> 'staff' THEN
		PERFORM forum_limit_lock(uid);
		why := forum_may_post(uid, org, has_media);
		IF why IS NOT NULL THEN
			RETURN forum_no(CASE WHEN has_media AND why LIKE 'New%'
				THEN 403 ELSE 429 END, CASE WHEN has_media AND why
				LIKE 'New%' THEN 'forbidden' ELSE 'rate-limited' END, why);
		END IF;
	END IF;
	INSERT INTO forum_replies (org_id, post_id, parent_reply_id, num, path,
		user_id, body, body_html)
	VALUES (org, thread, parent, 0, '{0}', uid, p_body, p_html)
	RETURNING * INTO r;
	INSERT INTO forum_watches (user_id, org_id, post_id, watching)
	VALUES (uid, org, thread, true) ON CONFLICT DO NOTHING;
	INSERT INTO forum_reads AS d (user_id, post_id, org_id, last_n)
	VALUES (uid, thread, org, r.num)
	ON CONFLICT (user_id, post_id) DO UPDATE
		SET last_n = greatest(d.last_n, excluded.last_n), read_at = now();
	PERFORM forum_notify(org, thread, r.id, r.num, uid, p_body);
	RETURN forum_ok(201, forum_reply_json(r, uid, l.role = 'staff', NULL));
END
$$;

-- Edits a post (its author, or staff), keeping what it said before;
-- want: the version the editor read (0: any).  A thread's title changes
-- with its body (p_title null: kept).
CREATE FUNCTION forum_edit(org uuid, uid uuid, edit_all boolean, p_kind text,
	p_id uuid, p_title text, p_body text, p_html text, has_media boolean,
	want integer) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
	t forum_posts;
	r forum_replies;
BEGIN
	SELECT * INTO l FROM forum_locate(p_kind, p_id, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR (p_kind = 'reply' AND l.reply_id IS NULL)
		OR ((l.hidden OR l.thread_gone) AND l.role <> 'staff'
			AND l.author <> uid AND l.thread_author <> uid) THEN
		RETURN forum_no(404, 'not-found', 'There is no such post.');
	END IF;
	IF l.author <> uid AND l.role <> 'staff' THEN
		RETURN forum_no(403, 'forbidden', 'Only its author or a moderator '
			'may edit a post.');
	END IF;
	IF l.deleted THEN
		RETURN forum_no(409, 'post-deleted', 'A deleted post is not edited.');
	END IF;
	IF l.locked AND l.role <> 'staff' THEN
		RETURN forum_no(409, 'thread-locked', 'This thread is locked.');
	END IF;
	IF want > 0 AND want <> l.version THEN
		RETURN forum_no(412, 'stale-version', 'The post was changed since '
			'you read it: read it again.');
	END IF;
	IF has_media AND l.role <> 'staff' AND coalesce((SELECT trust_level
		FROM forum_members WHERE user_id = uid), 0) = 0 THEN
		RETURN forum_no(403, 'forbidden', 'New members may not post links '
			'or pictures yet: read and take part a little first.');
	END IF;
	IF p_kind = 'thread' THEN
		INSERT INTO forum_revisions (org_id, post_id, version, title, body,
			edited_by)
		SELECT org, x.id, x.version, x.title, x.body, uid
		FROM forum_posts x WHERE x.id = l.post_id;
		UPDATE forum_posts x SET title = coalesce(btrim(p_title), x.title),
			body = coalesce(p_body, x.body),
			body_html = coalesce(p_html, x.body_html),
			version = x.version + 1, edited_at = now()
		WHERE x.id = l.post_id RETURNING * INTO t;
		RETURN forum_ok(200, forum_post_json(t, uid, l.role = 'staff'));
	END IF;
	INSERT INTO forum_revisions (org_id, reply_id, version, body, edited_by)
	SELECT org, x.id, x.version, x.body, uid
	FROM forum_replies x WHERE x.id = l.reply_id;
	UPDATE forum_replies x SET body = p_body, body_html = p_html,
		version = x.version + 1, edited_at = now()
	WHERE x.id = l.reply_id RETURNING * INTO r;
	RETURN forum_ok(200, forum_reply_json(r, uid, l.role = 'staff',
		(SELECT accepted_reply_id FROM forum_posts WHERE id = l.post_id)));
END
$$;

-- Deletes a post softly (its author, or staff): its text is no longer
-- shown, the replies to it stay.
CREATE FUNCTION forum_delete(uid uuid, edit_all boolean, p_kind text,
	p_id uuid) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
BEGIN
	SELECT * INTO l FROM forum_locate(p_kind, p_id, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR (p_kind = 'reply' AND l.reply_id IS NULL)
		OR l.deleted OR (l.hidden AND l.role <> 'staff' AND l.author <> uid) THEN
		RETURN forum_no(404, 'not-found', 'There is no such post.');
	END IF;
	IF l.author <> uid AND l.role <> 'staff' THEN
		RETURN forum_no(403, 'forbidden', 'Only its author or a moderator '
			'may delete a post.');
	END IF;
	IF p_kind = 'thread' THEN
		UPDATE forum_posts SET deleted_at = now() WHERE id = l.post_id;
	ELSE
		UPDATE forum_replies SET deleted_at = now() WHERE id = l.reply_id;
		UPDATE forum_posts SET accepted_reply_id = NULL
		WHERE id = l.post_id AND accepted_reply_id = l.reply_id;
	END IF;
	RETURN ROW(204, NULL, NULL, CASE WHEN l.author <> uid THEN
		jsonb_build_object('action', 'forum_' || p_kind || '.deleted',
			'type', 'forum_' || p_kind, 'id', p_id, 'course_id', l.course_id)
		END, NULL)::forum_result;
END
$$;

-- Likes a post, or takes the like back (p_on false): once per member,
-- never one's own.  A like received earns its author XP (the caller
-- awards it, capped a day).
CREATE FUNCTION forum_like(org uuid, uid uuid, edit_all boolean, p_kind text,
	p_id uuid, p_on boolean) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
	why text;
	n integer;
BEGIN
	SELECT * INTO l FROM forum_locate(p_kind, p_id, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR (p_kind = 'reply' AND l.reply_id IS NULL)
		OR l.deleted OR l.hidden OR l.thread_gone THEN
		RETURN forum_no(404, 'not-found', 'There is no such post.');
	END IF;
	IF l.author = uid THEN
		RETURN forum_no(403, 'forbidden', 'Your own post is not yours to '
			'like.');
	END IF;
	IF p_on THEN
		IF l.role <> 'staff' THEN
			PERFORM forum_limit_lock(uid);
			why := forum_over_limit(uid, org, 'likes');
			IF why IS NOT NULL THEN
				RETURN forum_no(429, 'rate-limited', why);
			END IF;
		END IF;
		IF p_kind = 'thread' THEN
			INSERT INTO forum_post_likes (post_id, user_id, org_id)
			VALUES (p_id, uid, org) ON CONFLICT DO NOTHING;
		ELSE
			INSERT INTO forum_reply_likes (reply_id, user_id, org_id)
			VALUES (p_id, uid, org) ON CONFLICT DO NOTHING;
		END IF;
	ELSIF p_kind = 'thread' THEN
		DELETE FROM forum_post_likes WHERE post_id = p_id AND user_id = uid;
	ELSE
		DELETE FROM forum_reply_likes WHERE reply_id = p_id AND user_id = uid;
	END IF;
	IF p_kind = 'thread' THEN
		SELECT likes INTO n FROM forum_posts WHERE id = p_id;
	ELSE
		SELECT likes INTO n FROM forum_replies WHERE id = p_id;
	END IF;
	RETURN ROW(200, NULL, jsonb_build_object('likes', n, 'liked', p_on),
		NULL, CASE WHEN p_on THEN jsonb_build_object('user', l.author,
			'kind', 'liked', 'key', 'liked:' || p_id || ':' || uid,
			'id', p_id) END)::forum_result;
END
$$;

-- Marks a reply as the thread's answer (reply null: none): the thread's
-- author or staff.  The answer's author earns XP (the caller awards it).
CREATE FUNCTION forum_accept(org uuid, uid uuid, edit_all boolean,
	thread uuid, reply uuid) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
	answerer uuid;
	t forum_posts;
BEGIN
	SELECT * INTO l FROM forum_locate('thread', thread, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR l.deleted OR (l.hidden
		AND l.role <> 'staff' AND l.author <> uid) THEN
		RETURN forum_no(404, 'not-found', 'There is no such thread.');
	END IF;
	IF l.author <> uid AND l.role <> 'staff' THEN
		RETURN forum_no(403, 'forbidden', 'Only the thread''s author or a '
			'moderator marks its answer.');
	END IF;
	IF reply IS NOT NULL THEN
		SELECT x.user_id INTO answerer FROM forum_replies x
		WHERE x.id = reply AND x.post_id = thread AND x.deleted_at IS NULL
			AND x.hidden_at IS NULL;
		IF answerer IS NULL THEN
			RETURN forum_no(422, 'validation', 'reply_id: is not a reply '
				'shown in this thread');
		END IF;
	END IF;
	UPDATE forum_posts SET accepted_reply_id = reply WHERE id = thread
	RETURNING * INTO t;
	IF reply IS NOT NULL AND answerer <> uid THEN
		INSERT INTO notifications (org_id, user_id, kind, title, body, data,
			dedupe_key)
		VALUES (org, answerer, 'forum_accepted', 'Your answer was accepted',
			left('In "' || t.title || '"', 500), jsonb_build_object(
				'post_id', thread, 'reply_id', reply, 'n', (SELECT x.num
					FROM forum_replies x WHERE x.id = reply),
				'course_id', l.course_id), 'forum_accepted:' || reply)
		ON CONFLICT (user_id, dedupe_key) DO NOTHING;
	END IF;
	RETURN ROW(200, NULL, forum_post_json(t, uid, l.role = 'staff'), NULL,
		CASE WHEN reply IS NOT NULL AND answerer <> uid THEN
			jsonb_build_object('user', answerer, 'kind', 'accepted',
				'key', 'accepted:' || reply, 'id', reply) END)::forum_result;
END
$$;

-- Watches a thread or a category (true), mutes a thread (false), or
-- goes back to the default (null).
CREATE FUNCTION forum_watch(org uuid, uid uuid, edit_all boolean, p_kind text,
	p_id uuid, p_watching boolean) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	role text := CASE WHEN p_kind = 'category'
		THEN forum_role(p_id, uid, edit_all)
		ELSE (SELECT x.role FROM forum_posts t
			CROSS JOIN LATERAL (SELECT forum_role(t.category_id, uid,
				edit_all) AS role) x
			WHERE t.id = p_id AND t.deleted_at IS NULL
				AND (t.hidden_at IS NULL OR x.role = 'staff'
					OR t.user_id = uid)) END;
BEGIN
	IF role IS NULL THEN
		RETURN forum_no(404, 'not-found', 'There is no such '
			|| p_kind || '.');
	END IF;
	IF p_kind = 'category' AND p_watching IS FALSE THEN
		RETURN forum_no(422, 'validation', 'watching: a category is watched '
			'or not (null); threads are muted');
	END IF;
	DELETE FROM forum_watches WHERE user_id = uid
		AND post_id IS NOT DISTINCT FROM CASE WHEN p_kind = 'thread' THEN p_id END
		AND category_id IS NOT DISTINCT FROM
			CASE WHEN p_kind = 'category' THEN p_id END;
	IF p_watching IS NOT NULL THEN
		INSERT INTO forum_watches (user_id, org_id, post_id, category_id,
			watching)
		VALUES (uid, org, CASE WHEN p_kind = 'thread' THEN p_id END,
			CASE WHEN p_kind = 'category' THEN p_id END, p_watching);
	END IF;
	RETURN forum_ok(200, jsonb_build_object('watching', p_watching));
END
$$;

-- A member has read a thread up to reply number upto: their place in
-- it, and the numbers that earn trust (threads entered, posts read, days
-- visited).
CREATE FUNCTION forum_read(org uuid, uid uuid, edit_all boolean, thread uuid,
	upto integer) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	seq integer;
	was integer;
	today date := (now() AT TIME ZONE coalesce((SELECT p.timezone
		FROM user_profiles p WHERE p.user_id = uid), 'UTC'))::date;
BEGIN
	SELECT t.reply_seq INTO seq
	FROM forum_posts t
	CROSS JOIN LATERAL (SELECT forum_role(t.category_id, uid, edit_all) AS role) x
	WHERE t.id = thread AND x.role IS NOT NULL
		AND (t.hidden_at IS NULL OR x.role = 'staff' OR t.user_id = uid)
		AND (t.deleted_at IS NULL OR x.role = 'staff' OR t.reply_seq > 0);
	IF seq IS NULL THEN
		RETURN forum_no(404, 'not-found', 'There is no such thread.');
	END IF;
	upto := least(greatest(upto, 0), seq);
	SELECT last_n INTO was FROM forum_reads WHERE user_id = uid
		AND post_id = thread FOR UPDATE;
	INSERT INTO forum_members (user_id, org_id) VALUES (uid, org)
	ON CONFLICT (user_id) DO NOTHING;
	UPDATE forum_members SET
		threads_entered = threads_entered + CASE WHEN was IS NULL THEN 1
			ELSE 0 END,
		posts_read = posts_read + greatest(upto - coalesce(was, -1), 0),
		days_visited = days_visited + CASE WHEN last_visit IS DISTINCT FROM
			today THEN 1 ELSE 0 END,
		last_visit = today
	WHERE user_id = uid;
	INSERT INTO forum_reads AS d (user_id, post_id, org_id, last_n)
	VALUES (uid, thread, org, upto)
	ON CONFLICT (user_id, post_id) DO UPDATE
		SET last_n = greatest(d.last_n, excluded.last_n), read_at = now();
	RETURN forum_ok(200, jsonb_build_object('last_read',
		greatest(upto, coalesce(was, 0)), 'unread',
		seq - greatest(upto, coalesce(was, 0))));
END
$$;

-- Flags a post for the moderators, once per member; enough flags hide it
-- (forum_flags_hide).
CREATE FUNCTION forum_flag(org uuid, uid uuid, edit_all boolean, p_kind text,
	p_id uuid, p_reason text, p_note text) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
	why text;
	f forum_flags;
BEGIN
	SELECT * INTO l FROM forum_locate(p_kind, p_id, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR (p_kind = 'reply' AND l.reply_id IS NULL)
		OR l.deleted OR l.hidden THEN
		RETURN forum_no(404, 'not-found', 'There is no such post.');
	END IF;
	IF l.author = uid THEN
		RETURN forum_no(403, 'forbidden', 'Your own post is not yours to '
			'flag: edit or delete it.');
	END IF;
	IF l.role <> 'staff' THEN
		PERFORM forum_limit_lock(uid);
		why := forum_over_limit(uid, org, 'flags');
		IF why IS NOT NULL THEN
			RETURN forum_no(429, 'rate-limited', why);
		END IF;
	END IF;
	INSERT INTO forum_flags (org_id, user_id, post_id, reply_id, reason, note)
	VALUES (org, uid, CASE WHEN p_kind = 'thread' THEN p_id END,
		CASE WHEN p_kind = 'reply' THEN p_id END, p_reason, p_note)
	ON CONFLICT DO NOTHING
	RETURNING * INTO f;
	IF f.id IS NULL THEN
		RETURN forum_no(409, 'already-flagged', 'You flagged this post '
			'already; the moderators will look at it.');
	END IF;
	RETURN forum_ok(201, jsonb_build_object('id', f.id, 'reason', f.reason,
		'status', f.status, 'hidden', CASE WHEN p_kind = 'thread'
			THEN (SELECT hidden_at IS NOT NULL FROM forum_posts
				WHERE id = p_id)
			ELSE (SELECT hidden_at IS NOT NULL FROM forum_replies
				WHERE id = p_id) END));
END
$$;

-- Tells a post's author that it was hidden, and why.
CREATE FUNCTION forum_tell_hidden(thread uuid, reply uuid, why text)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO notifications (org_id, user_id, kind, title, body, data,
		dedupe_key)
	SELECT t.org_id, coalesce(r.user_id, t.user_id), 'forum_moderated',
		'A post of yours was hidden', left(why, 500),
		jsonb_build_object('post_id', t.id, 'reply_id', r.id, 'n', r.num,
			'course_id', k.course_id),
		'forum_moderated:' || coalesce(r.id, t.id) || ':'
			|| extract(epoch FROM now())
	FROM forum_posts t JOIN forum_categories k ON k.id = t.category_id
	LEFT JOIN forum_replies r ON r.id = reply
	WHERE t.id = thread
	ON CONFLICT (user_id, dedupe_key) DO NOTHING
$$;

-- A moderator's action on a thread (pin, unpin, lock, unlock, hide,
-- unhide, move to category) or a reply (hide, unhide), with the reason
-- for hiding; for the audit trail, what was done.
CREATE FUNCTION forum_moderate(uid uuid, edit_all boolean, p_kind text,
	p_id uuid, p_action text, p_reason text, p_category uuid)
RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	l record;
	t forum_posts;
	r forum_replies;
	owner uuid;
BEGIN
	SELECT * INTO l FROM forum_locate(p_kind, p_id, uid, edit_all);
	IF NOT FOUND OR l.role IS NULL OR (p_kind = 'reply' AND l.reply_id IS NULL)
		OR (l.role <> 'staff' AND (l.hidden OR l.deleted)) THEN
		RETURN forum_no(404, 'not-found', 'There is no such post.');
	END IF;
	IF l.role <> 'staff' THEN
		RETURN forum_no(403, 'forbidden', 'Only the forum''s moderators '
			'(the course''s authors, or staff) may do that.');
	END IF;
	IF p_kind = 'reply' AND p_action NOT IN ('hide', 'unhide') THEN
		RETURN forum_no(422, 'validation', 'action: a reply is hidden or '
			'shown again');
	END IF;
	IF p_action = 'move' THEN
		IF forum_role(p_category, uid, edit_all) IS DISTINCT FROM 'staff' THEN
			RETURN forum_no(422, 'validation', 'category_id: is not a '
				'category you moderate');
		END IF;
		-- its watchers of the old category, its readers of the old course:
		-- nothing to move; a reply's own rows follow the thread.
	END IF;
	IF p_kind = 'thread' THEN
		UPDATE forum_posts x SET
			pinned_at = CASE p_action WHEN 'pin' THEN coalesce(x.pinned_at,
				now()) WHEN 'unpin' THEN NULL ELSE x.pinned_at END,
			locked_at = CASE p_action WHEN 'lock' THEN coalesce(x.locked_at,
				now()) WHEN 'unlock' THEN NULL ELSE x.locked_at END,
			hidden_at = CASE p_action WHEN 'hide' THEN coalesce(x.hidden_at,
				now()) WHEN 'unhide' THEN NULL ELSE x.hidden_at END,
			hidden_reason = CASE p_action WHEN 'hide' THEN p_reason
				WHEN 'unhide' THEN NULL ELSE x.hidden_reason END,
			hidden_by = CASE p_action WHEN 'hide' THEN uid
				WHEN 'unhide' THEN NULL ELSE x.hidden_by END,
			category_id = CASE p_action WHEN 'move' THEN p_category
				ELSE x.category_id END
		WHERE x.id = l.post_id RETURNING * INTO t;
		owner := t.user_id;
	ELSE
		UPDATE forum_replies x SET
			hidden_at = CASE p_action WHEN 'hide' THEN coalesce(x.hidden_at,
				now()) ELSE NULL END,
			hidden_reason = CASE p_action WHEN 'hide' THEN p_reason END,
			hidden_by = CASE p_action WHEN 'hide' THEN uid END
		WHERE x.id = l.reply_id RETURNING * INTO r;
		owner := r.user_id;
		IF p_action = 'hide' THEN
			UPDATE forum_posts SET accepted_reply_id = NULL
			WHERE id = l.post_id AND accepted_reply_id = l.reply_id;
		END IF;
	END IF;
	-- Flags on a post a moderator hid or showed are settled with it.
	IF p_action IN ('hide', 'unhide') THEN
		UPDATE forum_flags SET status = CASE p_action WHEN 'hide'
			THEN 'agreed' ELSE 'dismissed' END, resolved_by = uid,
			resolved_at = now()
		WHERE status = 'open' AND (post_id = t.id OR reply_id = r.id);
	END IF;
	IF p_action = 'hide' AND owner <> uid THEN
		PERFORM forum_tell_hidden(l.post_id, l.reply_id, p_reason);
	END IF;
	RETURN ROW(200, NULL, CASE WHEN p_kind = 'thread'
		THEN forum_post_json(t, uid, true)
		ELSE forum_reply_json(r, uid, true, (SELECT accepted_reply_id
			FROM forum_posts WHERE id = l.post_id)) END,
		jsonb_build_object('action', 'forum_' || p_kind || '.' || p_action,
			'type', 'forum_' || p_kind, 'id', p_id, 'course_id', l.course_id,
			'reason', p_reason, 'category_id', CASE WHEN p_action = 'move'
				THEN p_category END, 'from_category_id',
			CASE WHEN p_action = 'move' THEN l.category_id END),
		NULL)::forum_result;
END
$$;

-- Settles the open flags on a flag's post: 'agree' (the post is, or
-- stays, hidden) or 'dismiss' (shown again if the flags hid it).
CREATE FUNCTION forum_flag_resolve(uid uuid, edit_all boolean, flag uuid,
	decision text) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	f forum_flags;
	l record;
	n integer;
BEGIN
	SELECT * INTO f FROM forum_flags WHERE id = flag;
	IF NOT FOUND THEN
		RETURN forum_no(404, 'not-found', 'There is no such flag.');
	END IF;
	SELECT * INTO l FROM forum_locate(CASE WHEN f.post_id IS NOT NULL
		THEN 'thread' ELSE 'reply' END, coalesce(f.post_id, f.reply_id), uid,
		edit_all);
	IF NOT FOUND OR l.role IS DISTINCT FROM 'staff' THEN
		RETURN forum_no(404, 'not-found', 'There is no such flag.');
	END IF;
	IF f.status <> 'open' THEN
		RETURN forum_no(409, 'already-resolved', 'This flag was settled '
			'already.');
	END IF;
	UPDATE forum_flags SET status = CASE decision WHEN 'agree' THEN 'agreed'
		ELSE 'dismissed' END, resolved_by = uid, resolved_at = now()
	WHERE status = 'open' AND post_id IS NOT DISTINCT FROM f.post_id
		AND reply_id IS NOT DISTINCT FROM f.reply_id;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF decision = 'agree' THEN
		UPDATE forum_posts SET hidden_at = coalesce(hidden_at, now()),
			hidden_reason = coalesce(hidden_reason, 'Hidden by a moderator '
				'after flags.'), hidden_by = coalesce(hidden_by, uid)
		WHERE id = f.post_id;
		UPDATE forum_replies SET hidden_at = coalesce(hidden_at, now()),
			hidden_reason = coalesce(hidden_reason, 'Hidden by a moderator '
				'after flags.'), hidden_by = coalesce(hidden_by, uid)
		WHERE id = f.reply_id;
		UPDATE forum_posts SET accepted_reply_id = NULL
		WHERE id = l.post_id AND accepted_reply_id = f.reply_id;
		IF l.author <> uid THEN
			PERFORM forum_tell_hidden(l.post_id, l.reply_id, 'A moderator '
				'agreed with the members who flagged it ('
				|| f.reason || ').');
		END IF;
	ELSE
		-- shown again only if the flags hid it, not a moderator
		UPDATE forum_posts SET hidden_at = NULL, hidden_reason = NULL
		WHERE id = f.post_id AND hidden_by IS NULL;
		UPDATE forum_replies SET hidden_at = NULL, hidden_reason = NULL
		WHERE id = f.reply_id AND hidden_by IS NULL;
	END IF;
	RETURN ROW(200, NULL, jsonb_build_object('resolved', n, 'decision',
		decision), jsonb_build_object('action', 'forum_flag.' || CASE decision
			WHEN 'agree' THEN 'agreed' ELSE 'dismissed' END,
		'type', CASE WHEN f.post_id IS NOT NULL THEN 'forum_thread'
			ELSE 'forum_reply' END, 'id', coalesce(f.post_id, f.reply_id),
		'course_id', l.course_id, 'flags', n), NULL)::forum_result;
END
$$;

-- ---- XP for helpful posts; notifications ----

ALTER TABLE xp_events DROP CONSTRAINT xp_events_source_check;
ALTER TABLE xp_events ADD CONSTRAINT xp_events_source_check
	CHECK (source IN ('lesson', 'answer', 'quiz', 'daily_goal', 'streak',
		'achievement', 'goal', 'admin', 'flashcards', 'forum'));

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind IN ('achievement_unlocked', 'level_up', 'streak_at_risk',
		'goal_reached', 'avatar_unlocked', 'course_reviewed',
		'review_answered', 'edit_suggested', 'suggestion_accepted',
		'suggestion_rejected', 'forum_reply', 'forum_mention',
		'forum_accepted', 'forum_moderated'));
