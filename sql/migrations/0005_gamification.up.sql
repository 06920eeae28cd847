-- 0005_gamification: the XP ledger, levels, activity days and streak
-- freezes, achievements, avatars, study goals and notifications.
--
-- XP is an append-only ledger; the total and the level on user_profiles are
-- a cache of it that `ludus` can rebuild.  Every award carries an
-- idempotency key, unique per learner, so the same event never pays twice
-- however many requests race to award it.

-- ---- The XP ledger ----

CREATE TABLE xp_events (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	source text NOT NULL CHECK (source IN ('lesson', 'answer', 'quiz',
		'daily_goal', 'streak', 'achievement', 'goal', 'admin')),
	amount integer NOT NULL CHECK (amount <> 0 AND amount BETWEEN -100000 AND 100000),
	reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
	-- "lesson:<id>", "attempt:<id>", "answer:<question id>", ...
	idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
	entity_type text CHECK (entity_type ~ '^[a-z][a-z0-9_]{0,63}$'),
	entity_id uuid,
	occurred_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (user_id, idempotency_key),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX xp_events_user_org_idx ON xp_events (user_id, org_id, occurred_at);
CREATE INDEX xp_events_board_idx ON xp_events (org_id, occurred_at);

CREATE FUNCTION xp_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'XP events cannot be changed'
		USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER xp_events_append_only BEFORE UPDATE ON xp_events
	FOR EACH ROW EXECUTE FUNCTION xp_events_append_only();

-- The level of an XP total: level n starts at 50 * n * (n - 1) XP, so each
-- level takes 100 XP more than the one before (README: the level curve).
CREATE FUNCTION xp_level(xp bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT greatest(1, floor((1 + sqrt(1 + greatest(xp, 0) / 12.5)) / 2))::integer
$$;

ALTER TABLE user_profiles
	ADD COLUMN xp bigint NOT NULL DEFAULT 0 CHECK (xp >= 0),
	ADD COLUMN level integer NOT NULL DEFAULT 1 CHECK (level >= 1);
-- the all-time leaderboard of an organization
CREATE INDEX user_profiles_board_idx ON user_profiles (org_id, xp DESC);

-- ---- Activity days and streaks ----

-- A learner's local calendar days with learning in them (seed 002's
-- login_days): what made the day count.
CREATE TABLE activity_days (
	user_id uuid NOT NULL,
	day date NOT NULL,
	org_id uuid NOT NULL,
	lessons integer NOT NULL DEFAULT 0 CHECK (lessons >= 0),
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	study_seconds integer NOT NULL DEFAULT 0 CHECK (study_seconds >= 0),
	goal_met_at timestamptz,
	frozen boolean NOT NULL DEFAULT false,
	PRIMARY KEY (user_id, day),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX activity_days_user_org_idx ON activity_days (user_id, org_id);

-- ---- Avatars and achievements (install-wide definitions) ----

CREATE TABLE avatars (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
	image_url text NOT NULL CHECK (length(image_url) <= 500),
	rarity text NOT NULL CHECK (rarity IN ('common', 'rare', 'epic', 'legendary')),
	-- common avatars belong to everybody
	is_default boolean NOT NULL DEFAULT false,
	display_order integer NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (is_default = (rarity = 'common'))
);

CREATE TABLE achievements (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
	category text NOT NULL CHECK (length(category) BETWEEN 1 AND 60),
	-- {"type": "quiz_completed", "count": 10} ... (src/gamify/criteria.h)
	criteria jsonb NOT NULL CHECK (jsonb_typeof(criteria) = 'object'
		AND criteria ? 'type'),
	xp_reward integer NOT NULL DEFAULT 0 CHECK (xp_reward BETWEEN 0 AND 10000),
	avatar_id uuid UNIQUE REFERENCES avatars (id) ON DELETE SET NULL,
	badge_icon_url text CHECK (length(badge_icon_url) <= 500),
	display_order integer NOT NULL DEFAULT 0,
	is_hidden boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_achievements (
	user_id uuid NOT NULL,
	achievement_id uuid NOT NULL REFERENCES achievements (id) ON DELETE CASCADE,
	org_id uuid NOT NULL,
	earned_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, achievement_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX user_achievements_user_org_idx
	ON user_achievements (user_id, org_id, earned_at);
CREATE INDEX user_achievements_achievement_idx
	ON user_achievements (achievement_id);

CREATE TABLE user_avatars (
	user_id uuid NOT NULL,
	avatar_id uuid NOT NULL REFERENCES avatars (id) ON DELETE CASCADE,
	org_id uuid NOT NULL,
	unlocked_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, avatar_id),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX user_avatars_user_org_idx ON user_avatars (user_id, org_id, unlocked_at);
CREATE INDEX user_avatars_avatar_idx ON user_avatars (avatar_id);

ALTER TABLE user_profiles
	ADD COLUMN avatar_id uuid REFERENCES avatars (id) ON DELETE SET NULL;
CREATE INDEX user_profiles_avatar_idx ON user_profiles (avatar_id);

-- ---- Study goals ----

CREATE TABLE study_goals (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	-- daily_minutes: study N minutes a day; weekly_lessons: complete N
	-- lessons a week; exam_date: be ready for an exam by a date
	kind text NOT NULL CHECK (kind IN ('daily_minutes', 'weekly_lessons',
		'exam_date')),
	target integer CHECK (target BETWEEN 1 AND 10000),
	exam_id uuid REFERENCES exams (id),
	target_date date,
	status text NOT NULL DEFAULT 'active'
		CHECK (status IN ('active', 'completed', 'abandoned')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	completed_at timestamptz,
	CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
	CHECK (kind = 'exam_date' OR target IS NOT NULL),
	CHECK ((kind = 'exam_date') = (exam_id IS NOT NULL)),
	CHECK (kind <> 'exam_date' OR target_date IS NOT NULL),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX study_goals_user_org_idx ON study_goals (user_id, org_id, status);
CREATE INDEX study_goals_exam_idx ON study_goals (exam_id);
-- One active goal of each kind (and exam).
CREATE UNIQUE INDEX study_goals_active_key
	ON study_goals (user_id, kind, coalesce(exam_id, '00000000-0000-0000-0000-000000000000'))
	WHERE status = 'active';
CREATE TRIGGER study_goals_updated_at BEFORE UPDATE ON study_goals
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---- Notifications ----

CREATE TABLE notifications (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	kind text NOT NULL CHECK (kind IN ('achievement_unlocked', 'level_up',
		'streak_at_risk', 'goal_reached', 'avatar_unlocked')),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	body text CHECK (length(body) <= 1000),
	data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
	-- at most one of a kind for the same thing ("level:5", "streak:2026-11-21")
	dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
	created_at timestamptz NOT NULL DEFAULT now(),
	read_at timestamptz,
	UNIQUE (user_id, dedupe_key),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX notifications_user_org_idx ON notifications (user_id, org_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- Counts a learning event into the learner's local day (their time zone):
-- lessons completed, attempts finished, seconds studied.  On the first
-- event of a day the streak moves on: +1 after yesterday; after missed
-- days, +1 as well when streak freezes cover every missed day (they are
-- spent, and the days are marked frozen); else it starts again at 1.
-- Every 7th day of a streak earns a freeze (at most 2 are held).  The
-- caller holds the learner's gamification lock.  Returns the day, whether
-- the event started it, the current streak, and whether the daily goal
-- was met by this very event.
CREATE FUNCTION activity_touch(p_user uuid, p_org uuid, p_at timestamptz,
	p_lessons integer, p_attempts integer, p_seconds integer)
RETURNS TABLE (day date, new_day boolean, streak integer, goal_met boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	tz text;
	d date;
	existed boolean;
	s learning_streaks%ROWTYPE;
	missed integer;
	cur integer;
	freezes integer;
	goal_seconds integer;
	met timestamptz;
BEGIN
	SELECT p.timezone INTO tz FROM user_profiles p WHERE p.user_id = p_user;
	d := (p_at AT TIME ZONE coalesce(tz, 'UTC'))::date;
	SELECT EXISTS (SELECT 1 FROM activity_days a
		WHERE a.user_id = p_user AND a.day = d AND NOT a.frozen) INTO existed;
	INSERT INTO activity_days AS a (user_id, day, org_id, lessons, attempts,
		study_seconds)
	VALUES (p_user, d, p_org, p_lessons, p_attempts, p_seconds)
	ON CONFLICT (user_id, day) DO UPDATE SET
		lessons = a.lessons + EXCLUDED.lessons,
		attempts = a.attempts + EXCLUDED.attempts,
		study_seconds = a.study_seconds + EXCLUDED.study_seconds,
		frozen = false;

	INSERT INTO learning_streaks (user_id, org_id) VALUES (p_user, p_org)
	ON CONFLICT (user_id) DO NOTHING;
	SELECT * INTO s FROM learning_streaks k WHERE k.user_id = p_user FOR UPDATE;
	cur := s.current_streak;
	IF NOT existed AND (s.last_activity_date IS NULL OR d > s.last_activity_date) THEN
		missed := CASE WHEN s.last_activity_date IS NULL THEN NULL
			ELSE d - s.last_activity_date - 1 END;
		freezes := s.freezes_available;
		IF missed = 0 THEN
			cur := s.current_streak + 1;
		ELSIF missed IS NOT NULL AND s.current_streak > 0
			AND missed <= freezes THEN
			freezes := freezes - missed;
			INSERT INTO activity_days (user_id, day, org_id, frozen)
			SELECT p_user, g::date, p_org, true
			FROM generate_series(s.last_activity_date + 1, d - 1,
				interval '1 day') g
			ON CONFLICT (user_id, day) DO NOTHING;
			cur := s.current_streak + 1;
		ELSE
			cur := 1;
		END IF;
		IF cur % 7 = 0 THEN
			freezes := least(2, freezes + 1);
		END IF;
		UPDATE learning_streaks SET current_streak = cur,
			longest_streak = greatest(s.longest_streak, cur),
			last_activity_date = d, freezes_available = freezes
		WHERE user_id = p_user;
	END IF;

	-- The daily goal: an active daily_minutes goal, else the setting.
	SELECT coalesce((SELECT g.target * 60 FROM study_goals g
		WHERE g.user_id = p_user AND g.kind = 'daily_minutes'
			AND g.status = 'active'
		ORDER BY g.created_at DESC LIMIT 1), st.daily_goal_minutes * 60)
	INTO goal_seconds
	FROM user_settings st WHERE st.user_id = p_user;
	UPDATE activity_days a SET goal_met_at = p_at
	WHERE a.user_id = p_user AND a.day = d AND a.goal_met_at IS NULL
		AND a.study_seconds >= coalesce(goal_seconds, 1800)
	RETURNING a.goal_met_at INTO met;
	RETURN QUERY SELECT d, NOT existed, cur, met IS NOT NULL;
END
$$;

-- A learner's streak as of now, in their time zone: the stored streak
-- while yesterday (or a day the freezes can still cover) had activity,
-- else 0.
CREATE FUNCTION streak_now(p_user uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN k.last_activity_date >= (now() AT TIME ZONE
		coalesce(p.timezone, 'UTC'))::date - 1 - k.freezes_available
		THEN k.current_streak ELSE 0 END
	FROM learning_streaks k
	LEFT JOIN user_profiles p ON p.user_id = k.user_id
	WHERE k.user_id = p_user
$$;
