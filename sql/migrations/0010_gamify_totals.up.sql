-- 0010_gamify_totals: leaderboards and achievement counters that cost the
-- same however large the organization and however long a learner's
-- history.
--
-- board_totals holds one row per learner and leaderboard: XP or average
-- score, all time or one week (Monday 00:00 UTC), every exam or one.  The
-- transaction that writes the ledger or finishes an attempt keeps it up
-- to date (triggers below), so a board's top N is an index scan.
-- board_counts is each board's histogram: how many learners shown on it
-- stand at each value, so my rank is 1 + the learners above my value,
-- summed over the distinct values above mine instead of counted learner
-- by learner.  learner_stats and learner_domain_stats are the numbers the
-- achievements look at (src/gamify/criteria.h), kept the same way.
--
-- All of it is a cache of the ledger and the attempts: `ludus gamify
-- rebuild` (gamify_rebuild()) recomputes it, and
-- tests/sql/0010_gamify_totals.sql checks it against them.  It replaces
-- xp_weekly (0006).

DROP TRIGGER xp_events_weekly ON xp_events;
DROP FUNCTION xp_weekly_add();
DROP TABLE xp_weekly;

-- "Every exam" in the exam column, so that it can be part of the keys.
CREATE FUNCTION board_any_exam() RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT '00000000-0000-0000-0000-000000000000'::uuid
$$;

-- The week of a moment: its Monday, in UTC.  All time: -infinity.
CREATE FUNCTION board_week(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT date_trunc('week', t AT TIME ZONE 'UTC')::date
$$;

-- A board's keys from what the API takes: an exam code (null: every
-- exam), and a period ('weekly': this week; else all time).
CREATE FUNCTION board_exam(p_code text) RETURNS uuid
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_code IS NULL THEN board_any_exam()
		ELSE (SELECT id FROM exams WHERE code = p_code) END
$$;
CREATE FUNCTION board_period(p_period text) RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_period = 'weekly' THEN board_week(now())
		ELSE '-infinity'::date END
$$;

CREATE TABLE board_totals (
	user_id uuid NOT NULL,
	metric text NOT NULL CHECK (metric IN ('xp', 'score')),
	-- board_any_exam(), or the exam
	exam_id uuid NOT NULL,
	-- a Monday, or -infinity for all time
	week date NOT NULL CHECK (week = '-infinity'
		OR extract(isodow FROM week) = 1),
	org_id uuid NOT NULL,
	-- xp: the sum of the amounts; score: the sum of the percentages
	total numeric NOT NULL,
	-- xp: how many events; score: how many finished attempts
	n integer NOT NULL CHECK (n >= 0),
	-- what the board ranks by: the XP, or the average score to 2 places
	value numeric NOT NULL,
	-- copied from users, so that a tie lists by name from the index
	username text NOT NULL,
	-- on the boards: not deleted, not hidden, a student (or staff where
	-- the organization includes them)
	shown boolean NOT NULL,
	-- the value as board_counts counts it (null: not counted); brought in
	-- line with the row at commit by board_totals_count
	counted numeric,
	PRIMARY KEY (user_id, metric, exam_id, week),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX board_totals_user_org_idx ON board_totals (user_id, org_id);
-- A board's top N: shown learners by value, ties by username.
CREATE INDEX board_totals_top_idx ON board_totals
	(org_id, metric, exam_id, week, value DESC, username) WHERE shown;

CREATE TABLE board_counts (
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	metric text NOT NULL,
	exam_id uuid NOT NULL,
	week date NOT NULL,
	value numeric NOT NULL,
	-- no CHECK (n >= 0): a move is one upsert of (old value, -1) and (new
	-- value, +1), and a CHECK would refuse the -1 as a row to insert; the
	-- tests (tests/sql/0010_gamify_totals.sql) check the counts instead
	n integer NOT NULL,
	PRIMARY KEY (org_id, metric, exam_id, week, value)
) WITH (fillfactor = 50);
-- (Room on each page: a count's new version stays on its page, next to
-- the board's other values, so that reading a board's histogram reads few
-- pages.)

-- Whether each learner shows on their organization's boards (0007): not
-- deleted, not hidden, a student or staff where the organization includes
-- them.  A view, so that the rebuild reads it by sets and a trigger for
-- one learner by key.
CREATE VIEW board_eligibility AS
SELECT u.id AS user_id, u.deleted_at IS NULL
		AND (u.role = 'student' OR coalesce(
			(o.settings->>'leaderboard_include_staff')::boolean, false))
		AND coalesce(s.leaderboard_visibility, 'username') <> 'hidden'
		AS shown
FROM users u
JOIN organizations o ON o.id = u.org_id
LEFT JOIN user_settings s ON s.user_id = u.id;

-- (plpgsql here and below: its plan is kept for the session, where a SQL
-- function that cannot be inlined is planned again at every call, which
-- cost the awards' triggers more than their work.)
CREATE FUNCTION board_shown(p_user uuid) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
	s boolean;
BEGIN
	SELECT e.shown INTO s FROM board_eligibility e WHERE e.user_id = p_user;
	RETURN s;
END
$$;

-- The value a row counts at on its board: shown, and for XP above 0.
CREATE FUNCTION board_counted(b board_totals) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN b.shown AND (b.metric = 'score' OR b.value > 0)
		THEN b.value END
$$;

-- A new row takes its name and whether it is shown from the user.
CREATE FUNCTION board_totals_fill() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	SELECT u.username, board_shown(u.id) INTO NEW.username, NEW.shown
	FROM users u WHERE u.id = NEW.user_id;
	RETURN NEW;
END
$$;
CREATE TRIGGER board_totals_fill BEFORE INSERT ON board_totals
	FOR EACH ROW WHEN (NEW.username IS NULL OR NEW.shown IS NULL)
	EXECUTE FUNCTION board_totals_fill();

-- At commit, a row whose counted value is behind moves in the histogram:
-- one statement, the lower value first, so that two commits never wait
-- on each other in opposite orders on one board.  Only the learner's own
-- transactions change their rows (the gamification lock), so the row is
-- current.
CREATE FUNCTION board_totals_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	b board_totals;
	want numeric;
BEGIN
	SELECT * INTO b FROM board_totals t WHERE t.user_id = NEW.user_id
		AND t.metric = NEW.metric AND t.exam_id = NEW.exam_id
		AND t.week = NEW.week;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	want := board_counted(b);
	IF b.counted IS NOT DISTINCT FROM want THEN
		RETURN NULL;
	END IF;
	INSERT INTO board_counts AS c (org_id, metric, exam_id, week, value, n)
	SELECT b.org_id, b.metric, b.exam_id, b.week, v.value, sum(v.d)
	FROM (VALUES (b.counted, -1), (want, 1)) v (value, d)
	WHERE v.value IS NOT NULL
	GROUP BY v.value
	ORDER BY v.value
	ON CONFLICT (org_id, metric, exam_id, week, value)
		DO UPDATE SET n = c.n + EXCLUDED.n;
	UPDATE board_totals t SET counted = want
	WHERE t.user_id = b.user_id AND t.metric = b.metric
		AND t.exam_id = b.exam_id AND t.week = b.week;
	RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER board_totals_count AFTER INSERT OR UPDATE
	ON board_totals DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (NEW.counted IS DISTINCT FROM board_counted(NEW))
	EXECUTE FUNCTION board_totals_count();

CREATE FUNCTION board_totals_uncount() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE board_counts c SET n = c.n - 1
	WHERE c.org_id = OLD.org_id AND c.metric = OLD.metric
		AND c.exam_id = OLD.exam_id AND c.week = OLD.week
		AND c.value = OLD.counted;
	RETURN NULL;
END
$$;
CREATE TRIGGER board_totals_uncount AFTER DELETE ON board_totals
	FOR EACH ROW WHEN (OLD.counted IS NOT NULL)
	EXECUTE FUNCTION board_totals_uncount();

-- ---- XP: the ledger's inserts ----

-- The exam an XP event is about: its attempt's, or its question's.
CREATE FUNCTION xp_event_exam(p_type text, p_id uuid) RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
DECLARE
	e uuid;
BEGIN
	IF p_type = 'attempt' THEN
		SELECT exam_id INTO e FROM attempts WHERE id = p_id;
	ELSIF p_type = 'question' THEN
		SELECT exam_id INTO e FROM questions WHERE id = p_id;
	END IF;
	RETURN e;
END
$$;

-- One upsert per learner and board of each INSERT statement, in key
-- order so that concurrent awards cannot deadlock.
CREATE FUNCTION xp_events_boards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO board_totals AS b (user_id, metric, exam_id, week, org_id,
		total, n, value)
	SELECT k.user_id, 'xp', k.exam_id, k.week, k.org_id, sum(k.amount),
		count(*), sum(k.amount)
	FROM (SELECT e.org_id, e.user_id, e.amount, x.exam_id, w.week
		FROM (SELECT n.*, board_week(n.occurred_at) AS week,
			xp_event_exam(n.entity_type, n.entity_id) AS exam
			FROM new_events n) e
		CROSS JOIN LATERAL (VALUES (board_any_exam()), (e.exam)) x (exam_id)
		CROSS JOIN LATERAL (VALUES ('-infinity'::date), (e.week)) w (week)
		WHERE x.exam_id IS NOT NULL) k
	GROUP BY k.user_id, k.exam_id, k.week, k.org_id
	ORDER BY k.user_id, k.exam_id, k.week
	ON CONFLICT (user_id, metric, exam_id, week) DO UPDATE SET
		total = b.total + EXCLUDED.total, n = b.n + EXCLUDED.n,
		value = b.value + EXCLUDED.value;
	RETURN NULL;
END
$$;
CREATE TRIGGER xp_events_boards AFTER INSERT ON xp_events
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT EXECUTE FUNCTION xp_events_boards();

-- ---- Achievement counters ----

CREATE TABLE learner_stats (
	user_id uuid PRIMARY KEY,
	org_id uuid NOT NULL,
	-- finished attempts (previews left out), at 100 %, at 90 % or more
	quizzes integer NOT NULL DEFAULT 0 CHECK (quizzes >= 0),
	perfect integer NOT NULL DEFAULT 0 CHECK (perfect >= 0),
	high integer NOT NULL DEFAULT 0 CHECK (high >= 0),
	-- right answers in those attempts
	correct bigint NOT NULL DEFAULT 0 CHECK (correct >= 0),
	-- lessons completed
	lessons integer NOT NULL DEFAULT 0 CHECK (lessons >= 0),
	-- seconds studied, over every activity day
	study_seconds bigint NOT NULL DEFAULT 0 CHECK (study_seconds >= 0),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);

CREATE INDEX learner_stats_user_org_idx ON learner_stats (user_id, org_id);

-- Per exam (domain_code ''), and per domain of the exam.
CREATE TABLE learner_domain_stats (
	user_id uuid NOT NULL,
	exam_id uuid NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
	domain_code text NOT NULL,
	org_id uuid NOT NULL,
	-- exam rows: finished attempts at the exam
	quizzes integer NOT NULL DEFAULT 0 CHECK (quizzes >= 0),
	-- domain rows: questions answered and answered right
	answered integer NOT NULL DEFAULT 0 CHECK (answered >= 0),
	correct integer NOT NULL DEFAULT 0 CHECK (correct >= 0),
	-- domain rows: the attempts' own percentages in the domain, added up,
	-- and how many (the dashboard's average per domain)
	percent_sum numeric NOT NULL DEFAULT 0,
	percent_n integer NOT NULL DEFAULT 0 CHECK (percent_n >= 0),
	PRIMARY KEY (user_id, exam_id, domain_code),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX learner_domain_stats_user_org_idx
	ON learner_domain_stats (user_id, org_id);
CREATE INDEX learner_domain_stats_exam_idx ON learner_domain_stats (exam_id);

-- What one finished attempt adds per exam ('' row: one attempt) and per
-- domain (answers given and right; the attempt's own percentage there).
CREATE FUNCTION attempt_domain_rows(t attempts)
RETURNS TABLE (code text, quizzes integer, answered integer,
	correct integer, percent_sum numeric, percent_n integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT ''::text, 1, 0, 0, 0::numeric, 0
	UNION ALL
	SELECT coalesce(a.code, p.code), 0, coalesce(a.answered, 0),
		coalesce(a.correct, 0), coalesce(p.percent, 0),
		(p.percent IS NOT NULL)::integer
	FROM (SELECT x.domain_code AS code,
			count(*) FILTER (WHERE x.answer IS NOT NULL)::integer
				AS answered,
			count(*) FILTER (WHERE x.is_correct)::integer AS correct
		FROM attempt_answers x
		WHERE x.attempt_id = t.id AND x.started_at = t.started_at
			AND x.domain_code IS NOT NULL
		GROUP BY x.domain_code) a
	FULL JOIN (SELECT j.key AS code, (j.value->>'percent')::numeric
			AS percent
		FROM jsonb_each(coalesce(t.domain_scores, '{}')) j) p
		ON p.code = a.code;
END
$$;

-- What one finished attempt adds to the counters and the score boards,
-- times sign (+1 as it finishes, -1 as it goes).  Decrements only update:
-- when a user is deleted, their rows are going too.
CREATE FUNCTION attempt_totals_apply(t attempts, sign integer)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	right_answers bigint;
BEGIN
	SELECT count(*) INTO right_answers FROM attempt_answers a
	WHERE a.attempt_id = t.id AND a.started_at = t.started_at
		AND a.is_correct;
	IF sign > 0 THEN
		INSERT INTO learner_stats AS s (user_id, org_id, quizzes, perfect,
			high, correct)
		VALUES (t.user_id, t.org_id, 1, (t.percentage = 100)::integer,
			(t.percentage >= 90)::integer, right_answers)
		ON CONFLICT (user_id) DO UPDATE SET quizzes = s.quizzes + 1,
			perfect = s.perfect + EXCLUDED.perfect,
			high = s.high + EXCLUDED.high,
			correct = s.correct + EXCLUDED.correct;
		INSERT INTO learner_domain_stats AS s (user_id, exam_id,
			domain_code, org_id, quizzes, answered, correct, percent_sum,
			percent_n)
		SELECT t.user_id, t.exam_id, d.code, t.org_id, d.quizzes,
			d.answered, d.correct, d.percent_sum, d.percent_n
		FROM attempt_domain_rows(t) d
		WHERE t.exam_id IS NOT NULL
		ORDER BY d.code
		ON CONFLICT (user_id, exam_id, domain_code) DO UPDATE SET
			quizzes = s.quizzes + EXCLUDED.quizzes,
			answered = s.answered + EXCLUDED.answered,
			correct = s.correct + EXCLUDED.correct,
			percent_sum = s.percent_sum + EXCLUDED.percent_sum,
			percent_n = s.percent_n + EXCLUDED.percent_n;
		-- the score boards: all time and the week it finished, overall
		-- and for its exam
		INSERT INTO board_totals AS b (user_id, metric, exam_id, week,
			org_id, total, n, value)
		SELECT t.user_id, 'score', x.exam_id, w.week, t.org_id,
			t.percentage, 1, round(t.percentage, 2)
		FROM (VALUES (board_any_exam()), (t.exam_id)) x (exam_id),
			(VALUES ('-infinity'::date), (board_week(t.finished_at))) w (week)
		WHERE x.exam_id IS NOT NULL
		ORDER BY x.exam_id, w.week
		ON CONFLICT (user_id, metric, exam_id, week) DO UPDATE SET
			total = b.total + EXCLUDED.total, n = b.n + 1,
			value = round((b.total + EXCLUDED.total) / (b.n + 1), 2);
	ELSE
		UPDATE learner_stats s SET quizzes = s.quizzes - 1,
			perfect = s.perfect - (t.percentage = 100)::integer,
			high = s.high - (t.percentage >= 90)::integer,
			correct = s.correct - right_answers
		WHERE s.user_id = t.user_id;
		UPDATE learner_domain_stats s SET quizzes = s.quizzes - d.quizzes,
			answered = s.answered - d.answered,
			correct = s.correct - d.correct,
			percent_sum = s.percent_sum - d.percent_sum,
			percent_n = s.percent_n - d.percent_n
		FROM attempt_domain_rows(t) d
		WHERE s.user_id = t.user_id AND s.exam_id = t.exam_id
			AND s.domain_code = d.code;
		UPDATE board_totals b SET total = b.total - t.percentage,
			n = b.n - 1,
			value = CASE WHEN b.n > 1 THEN
				round((b.total - t.percentage) / (b.n - 1), 2) ELSE 0 END
		WHERE b.user_id = t.user_id AND b.metric = 'score'
			AND b.exam_id IN (board_any_exam(), t.exam_id)
			AND b.week IN ('-infinity', board_week(t.finished_at));
		DELETE FROM board_totals b
		WHERE b.user_id = t.user_id AND b.metric = 'score' AND b.n = 0;
	END IF;
END
$$;

CREATE FUNCTION attempts_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'in_progress'
		AND NOT OLD.preview THEN
		PERFORM attempt_totals_apply(OLD, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'in_progress'
		AND NOT NEW.preview THEN
		PERFORM attempt_totals_apply(NEW, 1);
	END IF;
	-- (the delete is a BEFORE trigger: it must let the row go)
	RETURN CASE TG_OP WHEN 'DELETE' THEN OLD END;
END
$$;
CREATE TRIGGER attempts_totals_insert AFTER INSERT ON attempts
	FOR EACH ROW WHEN (NEW.status <> 'in_progress' AND NOT NEW.preview)
	EXECUTE FUNCTION attempts_totals();
CREATE TRIGGER attempts_totals_update AFTER UPDATE ON attempts
	FOR EACH ROW WHEN ((OLD.status <> 'in_progress' AND NOT OLD.preview)
		OR (NEW.status <> 'in_progress' AND NOT NEW.preview))
	EXECUTE FUNCTION attempts_totals();
-- Before the delete: its answers, which go with it, are still there.
CREATE TRIGGER attempts_totals_delete BEFORE DELETE ON attempts
	FOR EACH ROW WHEN (OLD.status <> 'in_progress' AND NOT OLD.preview)
	EXECUTE FUNCTION attempts_totals();

-- Lessons completed.
CREATE FUNCTION lesson_progress_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d integer := 0;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'completed' THEN
		d := d - 1;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'completed' THEN
		d := d + 1;
	END IF;
	IF d > 0 THEN
		INSERT INTO learner_stats AS s (user_id, org_id, lessons)
		VALUES (NEW.user_id, NEW.org_id, d)
		ON CONFLICT (user_id) DO UPDATE SET lessons = s.lessons + d;
	ELSIF d < 0 THEN
		UPDATE learner_stats s SET lessons = s.lessons + d
		WHERE s.user_id = OLD.user_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER lesson_progress_totals_insert AFTER INSERT ON lesson_progress
	FOR EACH ROW WHEN (NEW.status = 'completed')
	EXECUTE FUNCTION lesson_progress_totals();
CREATE TRIGGER lesson_progress_totals_update AFTER UPDATE OF status
	ON lesson_progress
	FOR EACH ROW WHEN ((OLD.status = 'completed') <> (NEW.status = 'completed'))
	EXECUTE FUNCTION lesson_progress_totals();
CREATE TRIGGER lesson_progress_totals_delete AFTER DELETE ON lesson_progress
	FOR EACH ROW WHEN (OLD.status = 'completed')
	EXECUTE FUNCTION lesson_progress_totals();

-- Seconds studied.
CREATE FUNCTION activity_days_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	d bigint := 0;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		d := d - OLD.study_seconds;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		d := d + NEW.study_seconds;
	END IF;
	IF d > 0 THEN
		INSERT INTO learner_stats AS s (user_id, org_id, study_seconds)
		VALUES (NEW.user_id, NEW.org_id, d)
		ON CONFLICT (user_id) DO UPDATE SET
			study_seconds = s.study_seconds + d;
	ELSIF d < 0 THEN
		UPDATE learner_stats s SET study_seconds = s.study_seconds + d
		WHERE s.user_id = OLD.user_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER activity_days_totals_insert AFTER INSERT ON activity_days
	FOR EACH ROW WHEN (NEW.study_seconds > 0)
	EXECUTE FUNCTION activity_days_totals();
CREATE TRIGGER activity_days_totals_update AFTER UPDATE OF study_seconds
	ON activity_days
	FOR EACH ROW WHEN (OLD.study_seconds <> NEW.study_seconds)
	EXECUTE FUNCTION activity_days_totals();
CREATE TRIGGER activity_days_totals_delete AFTER DELETE ON activity_days
	FOR EACH ROW WHEN (OLD.study_seconds > 0)
	EXECUTE FUNCTION activity_days_totals();

-- A learner's attempts in progress (the dashboard, the exam page) without
-- reading their finished ones.
CREATE INDEX attempts_open_user_idx ON attempts (user_id)
	WHERE status = 'in_progress';

-- ---- Who shows on the boards ----

CREATE FUNCTION board_totals_reshow(p_user uuid) RETURNS void
LANGUAGE sql AS $$
	UPDATE board_totals b SET shown = e.shown, username = u.username
	FROM users u JOIN board_eligibility e ON e.user_id = u.id
	WHERE u.id = p_user AND b.user_id = p_user
		AND (b.shown, b.username) IS DISTINCT FROM (e.shown, u.username)
$$;

CREATE FUNCTION users_boards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM board_totals_reshow(NEW.id);
	RETURN NULL;
END
$$;
CREATE TRIGGER users_boards AFTER UPDATE OF role, deleted_at, username
	ON users
	FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role
		OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
		OR OLD.username IS DISTINCT FROM NEW.username)
	EXECUTE FUNCTION users_boards();

CREATE FUNCTION user_settings_boards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM board_totals_reshow(NEW.user_id);
	RETURN NULL;
END
$$;
CREATE TRIGGER user_settings_boards AFTER UPDATE OF leaderboard_visibility
	ON user_settings
	FOR EACH ROW WHEN ((OLD.leaderboard_visibility = 'hidden')
		<> (NEW.leaderboard_visibility = 'hidden'))
	EXECUTE FUNCTION user_settings_boards();

-- Staff join or leave the boards with their organization's setting.
CREATE INDEX users_staff_idx ON users (org_id) WHERE role <> 'student';
CREATE FUNCTION organizations_boards() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM board_totals_reshow(u.id)
	FROM users u WHERE u.org_id = NEW.id AND u.role <> 'student'
	ORDER BY u.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER organizations_boards AFTER UPDATE OF settings ON organizations
	FOR EACH ROW WHEN (OLD.settings->'leaderboard_include_staff'
		IS DISTINCT FROM NEW.settings->'leaderboard_include_staff')
	EXECUTE FUNCTION organizations_boards();

-- ---- Rebuilding from the history ----

-- Where the histograms disagree with the totals (none, when all is well):
-- a board value whose count is not the number of rows counted at it, or
-- a row whose counted value is not what it should count at.
CREATE FUNCTION board_counts_check()
RETURNS TABLE (org_id uuid, metric text, exam_id uuid, week date,
	value numeric, rows_counted bigint, histogram bigint)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(t.org_id, c.org_id), coalesce(t.metric, c.metric),
		coalesce(t.exam_id, c.exam_id), coalesce(t.week, c.week),
		coalesce(t.value, c.value), coalesce(t.n, 0), coalesce(c.n, 0)
	FROM (SELECT b.org_id, b.metric, b.exam_id, b.week, b.counted AS value,
			count(*) AS n
		FROM board_totals b WHERE b.counted IS NOT NULL
		GROUP BY 1, 2, 3, 4, 5) t
	FULL JOIN (SELECT * FROM board_counts WHERE n <> 0) c
		ON (c.org_id, c.metric, c.exam_id, c.week, c.value)
			= (t.org_id, t.metric, t.exam_id, t.week, t.value)
	WHERE coalesce(t.n, 0) <> coalesce(c.n, 0)
	UNION ALL
	SELECT b.org_id, b.metric, b.exam_id, b.week, b.value, -1, -1
	FROM board_totals b
	WHERE b.counted IS DISTINCT FROM board_counted(b)
$$;

-- What board_totals should hold, from the ledger and the attempts: each
-- learner's sums by exam and week first, then rolled up into all time and
-- every exam.
CREATE FUNCTION board_totals_fresh()
RETURNS TABLE (user_id uuid, metric text, exam_id uuid, week date,
	org_id uuid, total numeric, n integer, value numeric)
LANGUAGE sql STABLE AS $$
	WITH xp AS (
		SELECT e.user_id, e.org_id, coalesce(a.exam_id, q.exam_id) AS exam,
			board_week(e.occurred_at) AS week, sum(e.amount) AS total,
			count(*) AS n
		FROM xp_events e
		LEFT JOIN attempts a ON e.entity_type = 'attempt'
			AND a.id = e.entity_id
		LEFT JOIN questions q ON e.entity_type = 'question'
			AND q.id = e.entity_id
		GROUP BY 1, 2, 3, 4
	), score AS (
		SELECT t.user_id, t.org_id, t.exam_id AS exam,
			board_week(t.finished_at) AS week, sum(t.percentage) AS total,
			count(*) AS n
		FROM attempts t
		WHERE t.status <> 'in_progress' AND NOT t.preview
		GROUP BY 1, 2, 3, 4
	)
	SELECT s.user_id, s.metric, x.exam_id, w.week, s.org_id, sum(s.total),
		sum(s.n)::integer, CASE s.metric WHEN 'xp' THEN sum(s.total)
			ELSE round(sum(s.total) / sum(s.n), 2) END
	FROM (SELECT 'xp' AS metric, * FROM xp
		UNION ALL SELECT 'score', * FROM score) s
	CROSS JOIN LATERAL (VALUES (board_any_exam()), (s.exam)) x (exam_id)
	CROSS JOIN LATERAL (VALUES ('-infinity'::date), (s.week)) w (week)
	WHERE x.exam_id IS NOT NULL
	GROUP BY s.user_id, s.metric, x.exam_id, w.week, s.org_id
$$;

-- What learner_stats should hold.
CREATE FUNCTION learner_stats_fresh()
RETURNS SETOF learner_stats
LANGUAGE sql STABLE AS $$
	SELECT u.id, u.org_id,
		coalesce(t.quizzes, 0), coalesce(t.perfect, 0), coalesce(t.high, 0),
		coalesce(r.correct, 0), coalesce(l.lessons, 0),
		coalesce(d.seconds, 0)
	FROM users u
	LEFT JOIN (SELECT t.user_id, count(*)::integer AS quizzes,
			count(*) FILTER (WHERE t.percentage = 100)::integer AS perfect,
			count(*) FILTER (WHERE t.percentage >= 90)::integer AS high
		FROM attempts t
		WHERE t.status <> 'in_progress' AND NOT t.preview
		GROUP BY t.user_id) t ON t.user_id = u.id
	LEFT JOIN (SELECT t.user_id, count(*) AS correct
		FROM attempts t JOIN attempt_answers a ON a.attempt_id = t.id
			AND a.started_at = t.started_at
		WHERE t.status <> 'in_progress' AND NOT t.preview AND a.is_correct
		GROUP BY t.user_id) r ON r.user_id = u.id
	LEFT JOIN (SELECT p.user_id, count(*)::integer AS lessons
		FROM lesson_progress p WHERE p.status = 'completed'
		GROUP BY p.user_id) l ON l.user_id = u.id
	LEFT JOIN (SELECT a.user_id, sum(a.study_seconds) AS seconds
		FROM activity_days a GROUP BY a.user_id) d ON d.user_id = u.id
	WHERE t.user_id IS NOT NULL OR l.user_id IS NOT NULL
		OR d.user_id IS NOT NULL
$$;

-- What learner_domain_stats should hold: attempt_domain_rows() over
-- every finished attempt, computed by sets (one call per attempt would
-- take minutes on a large install).
CREATE FUNCTION learner_domain_stats_fresh()
RETURNS SETOF learner_domain_stats
LANGUAGE sql STABLE AS $$
	WITH t AS (
		SELECT * FROM attempts
		WHERE status <> 'in_progress' AND NOT preview AND exam_id IS NOT NULL
	), a AS (
		SELECT t.user_id, t.exam_id, x.domain_code AS code,
			count(*) FILTER (WHERE x.answer IS NOT NULL)::integer AS answered,
			count(*) FILTER (WHERE x.is_correct)::integer AS correct
		FROM t JOIN attempt_answers x ON x.attempt_id = t.id
			AND x.started_at = t.started_at
		WHERE x.domain_code IS NOT NULL
		GROUP BY 1, 2, 3
	), p AS (
		SELECT t.user_id, t.exam_id, j.key AS code,
			sum((j.value->>'percent')::numeric) AS percent_sum,
			count(j.value->>'percent')::integer AS percent_n
		FROM t, jsonb_each(t.domain_scores) j
		GROUP BY 1, 2, 3
	)
	SELECT t.user_id, t.exam_id, '', t.org_id, count(*)::integer, 0, 0, 0, 0
	FROM t GROUP BY t.user_id, t.exam_id, t.org_id
	UNION ALL
	SELECT coalesce(a.user_id, p.user_id), coalesce(a.exam_id, p.exam_id),
		coalesce(a.code, p.code), u.org_id, 0, coalesce(a.answered, 0),
		coalesce(a.correct, 0), coalesce(p.percent_sum, 0),
		coalesce(p.percent_n, 0)
	FROM a FULL JOIN p ON p.user_id = a.user_id AND p.exam_id = a.exam_id
		AND p.code = a.code
	JOIN users u ON u.id = coalesce(a.user_id, p.user_id)
$$;

-- Recomputes every cached total from the history, in one transaction
-- that holds off awards while it runs; how many rows it changed, by
-- table.  Rows it writes are counted as written, so that no commit-time
-- work is queued for them, and the histogram is rebuilt from the totals.
CREATE FUNCTION gamify_rebuild() RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	boards bigint;
	counts bigint;
	stats bigint;
	domains bigint;
BEGIN
	LOCK TABLE board_totals, board_counts, learner_stats,
		learner_domain_stats IN EXCLUSIVE MODE;
	CREATE TEMP TABLE gamify_counts ON COMMIT DROP AS
	SELECT * FROM board_counts WHERE n > 0;
	DELETE FROM board_counts;

	CREATE TEMP TABLE gamify_fresh ON COMMIT DROP AS
	SELECT f.*, u.username, e.shown
	FROM board_totals_fresh() f
	JOIN users u ON u.id = f.user_id
	JOIN board_eligibility e ON e.user_id = f.user_id;
	ANALYZE gamify_fresh;
	WITH gone AS (
		DELETE FROM board_totals b
		WHERE NOT EXISTS (SELECT 1 FROM gamify_fresh f
			WHERE f.user_id = b.user_id AND f.metric = b.metric
				AND f.exam_id = b.exam_id AND f.week = b.week)
		RETURNING 1
	), put AS (
		INSERT INTO board_totals AS b (user_id, metric, exam_id, week,
			org_id, total, n, value, username, shown, counted)
		SELECT f.user_id, f.metric, f.exam_id, f.week, f.org_id, f.total,
			f.n, f.value, f.username, f.shown,
			-- (gamify_fresh has board_totals' columns but the last)
			board_counted(ROW(f.*, NULL)::board_totals)
		FROM gamify_fresh f
		ON CONFLICT (user_id, metric, exam_id, week) DO UPDATE SET
			org_id = EXCLUDED.org_id, total = EXCLUDED.total,
			n = EXCLUDED.n, value = EXCLUDED.value,
			username = EXCLUDED.username, shown = EXCLUDED.shown,
			counted = EXCLUDED.counted
		WHERE (b.org_id, b.total, b.n, b.value, b.username, b.shown,
			b.counted) IS DISTINCT FROM (EXCLUDED.org_id, EXCLUDED.total,
			EXCLUDED.n, EXCLUDED.value, EXCLUDED.username, EXCLUDED.shown,
			EXCLUDED.counted)
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM put)
	INTO boards;
	DROP TABLE gamify_fresh;

	-- The histogram from the totals, whatever it held before (emptied
	-- first: the rows removed below then have nothing to take off).
	INSERT INTO board_counts (org_id, metric, exam_id, week, value, n)
	SELECT org_id, metric, exam_id, week, counted, count(*)::integer
	FROM board_totals WHERE counted IS NOT NULL
	GROUP BY 1, 2, 3, 4, 5
	ORDER BY 1, 2, 3, 4, 5;
	SELECT count(*) INTO counts FROM (
		(SELECT * FROM gamify_counts EXCEPT SELECT * FROM board_counts)
		UNION ALL
		(SELECT * FROM board_counts EXCEPT SELECT * FROM gamify_counts)) x;
	DROP TABLE gamify_counts;

	WITH fresh AS (
		SELECT * FROM learner_stats_fresh()
	), gone AS (
		DELETE FROM learner_stats s
		WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.user_id = s.user_id)
		RETURNING 1
	), put AS (
		INSERT INTO learner_stats AS s SELECT * FROM fresh
		ON CONFLICT (user_id) DO UPDATE SET org_id = EXCLUDED.org_id,
			quizzes = EXCLUDED.quizzes, perfect = EXCLUDED.perfect,
			high = EXCLUDED.high, correct = EXCLUDED.correct,
			lessons = EXCLUDED.lessons,
			study_seconds = EXCLUDED.study_seconds
		WHERE s IS DISTINCT FROM EXCLUDED
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM put)
	INTO stats;

	WITH fresh AS (
		SELECT * FROM learner_domain_stats_fresh()
	), gone AS (
		DELETE FROM learner_domain_stats s
		WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.user_id = s.user_id
			AND f.exam_id = s.exam_id AND f.domain_code = s.domain_code)
		RETURNING 1
	), put AS (
		INSERT INTO learner_domain_stats AS s SELECT * FROM fresh
		ON CONFLICT (user_id, exam_id, domain_code) DO UPDATE SET
			org_id = EXCLUDED.org_id, quizzes = EXCLUDED.quizzes,
			answered = EXCLUDED.answered, correct = EXCLUDED.correct,
			percent_sum = EXCLUDED.percent_sum,
			percent_n = EXCLUDED.percent_n
		WHERE s IS DISTINCT FROM EXCLUDED
		RETURNING 1
	)
	SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM put)
	INTO domains;

	RETURN jsonb_build_object('board_totals', boards,
		'board_counts', counts, 'learner_stats', stats,
		'learner_domain_stats', domains);
END
$$;

SELECT gamify_rebuild();
