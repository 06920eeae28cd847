-- Gamification: XP, levels, streaks, achievements, avatars, notifications,
-- goals, leaderboards and the dashboard.

-- name: gamify_lock
-- $1 user: one learner's awards take turns, so that what one request
-- awarded is seen by the next (and nothing is awarded twice).
SELECT pg_advisory_xact_lock(hashtextextended('ludus.gamify:' || $1, 0))

-- name: activity_touch
-- $1 user, $2 org, $3 lessons, $4 attempts, $5 seconds, $6 when (null:
-- now)
SELECT day, new_day, streak, goal_met
FROM activity_touch($1, $2, coalesce($6::timestamptz, now()), $3::integer,
	$4::integer, $5::integer)

-- name: xp_awards
-- $1 org, $2 user, $3 the awards: a JSON array of {source, amount, reason,
-- key, type, id}, $4 when (null: now), $5 an attempt (or null), $6 XP per
-- answer: the awards and, for the attempt, each question the learner
-- answered right for the first time ever in it, in one statement (the
-- ledger's triggers, 0010, then run once for all of them).  A row whose
-- idempotency key is taken is left out.
INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key, entity_type, entity_id, occurred_at)
SELECT $1::uuid, $2::uuid, x.source, x.amount, x.reason, x.key, x.type,
	x.id, coalesce($4::timestamptz, now())
FROM jsonb_to_recordset($3::jsonb) AS x (source text, amount integer,
	reason text, key text, type text, id uuid)
UNION ALL
SELECT $1::uuid, $2::uuid, 'answer', $6::integer, 'A question answered right',
	'answer:' || a.question_id, 'question', a.question_id, now()
FROM attempt_answers a JOIN attempts t ON t.id = a.attempt_id
	AND t.started_at = a.started_at
WHERE t.id = $5::uuid AND t.user_id = $2::uuid AND a.is_correct
ON CONFLICT (user_id, idempotency_key) DO NOTHING

-- name: xp_refresh
-- $1 user: the cached total and level from the all-time XP board
-- (migration 0010, kept by the ledger's trigger); the level before.
UPDATE user_profiles p SET xp = greatest(t.xp, 0), level = xp_level(t.xp)
FROM (SELECT coalesce((SELECT value FROM board_totals
		WHERE user_id = $1 AND metric = 'xp'
			AND exam_id = board_any_exam() AND week = '-infinity'), 0)::bigint
		AS xp) t,
	-- read before the update: the level it had
	(SELECT level FROM user_profiles WHERE user_id = $1) o
WHERE p.user_id = $1
RETURNING p.xp, p.level, o.level

-- name: xp_rebuild_all
-- Every learner's cached total and level from the ledger; how many changed.
WITH total AS (
	SELECT p.user_id, coalesce((SELECT sum(amount) FROM xp_events x
		WHERE x.user_id = p.user_id), 0) AS xp
	FROM user_profiles p
), changed AS (
	UPDATE user_profiles p SET xp = greatest(t.xp, 0), level = xp_level(t.xp)
	FROM total t
	WHERE p.user_id = t.user_id
		AND (p.xp, p.level) IS DISTINCT FROM (greatest(t.xp, 0), xp_level(t.xp))
	RETURNING 1
)
SELECT count(*) FROM changed

-- name: gamify_rebuild
-- The leaderboards' totals and histograms and the achievement counters
-- from the history (migration 0010): rows changed in all, and by table
-- as JSON.
SELECT (SELECT sum(v::bigint) FROM jsonb_each_text(r) x (k, v)), r
FROM gamify_rebuild() r

-- name: gamify_stats
-- $1 user: the numbers achievement criteria look at (src/gamify/criteria.h),
-- from the counters kept with the history (migration 0010): the same
-- cost at the first attempt and at the ten-thousandth.
SELECT json_build_object(
	'quizzes', coalesce(s.quizzes, 0),
	'perfect', coalesce(s.perfect, 0),
	'high', coalesce(s.high, 0),
	'correct', coalesce(s.correct, 0),
	'longest_streak', (SELECT longest_streak FROM learning_streaks
		WHERE user_id = $1),
	'level', (SELECT level FROM user_profiles WHERE user_id = $1),
	'lessons', coalesce(s.lessons, 0),
	'study_seconds', coalesce(s.study_seconds, 0),
	'reviews', coalesce((SELECT reviews FROM flashcard_settings
		WHERE user_id = $1), 0),
	'likes_received', coalesce((SELECT likes_received FROM forum_members
		WHERE user_id = $1), 0),
	'accepted_answers', coalesce((SELECT accepted_answers FROM forum_members
		WHERE user_id = $1), 0),
	'exams', (SELECT coalesce(json_object_agg(e.code, d.quizzes), '{}')
		FROM learner_domain_stats d JOIN exams e ON e.id = d.exam_id
		WHERE d.user_id = $1 AND d.domain_code = '' AND d.quizzes > 0),
	'domains', (SELECT coalesce(json_object_agg(e.code || ' ' || d.domain_code,
		json_build_object('answered', d.answered, 'correct', d.correct)),
		'{}')
		FROM learner_domain_stats d JOIN exams e ON e.id = d.exam_id
		WHERE d.user_id = $1 AND d.domain_code <> ''
			AND (d.answered > 0 OR d.correct > 0)))
FROM (SELECT 1) one
LEFT JOIN learner_stats s ON s.user_id = $1

-- name: achievements_open
-- $1 user: the achievements not yet earned.
SELECT a.id, a.name, a.criteria, a.xp_reward, a.avatar_id
FROM achievements a
WHERE NOT EXISTS (SELECT 1 FROM user_achievements u
	WHERE u.user_id = $1 AND u.achievement_id = a.id)
ORDER BY a.display_order, a.code

-- name: achievement_grant
-- $1 user, $2 achievement, $3 org: a row only when this call granted it.
INSERT INTO user_achievements (user_id, achievement_id, org_id)
VALUES ($1, $2::uuid, $3)
ON CONFLICT DO NOTHING
RETURNING earned_at

-- name: avatar_unlock
-- $1 user, $2 avatar, $3 org: its name, when this call unlocked it.
INSERT INTO user_avatars (user_id, avatar_id, org_id)
VALUES ($1, $2::uuid, $3)
ON CONFLICT DO NOTHING
RETURNING (SELECT name FROM avatars WHERE id = $2::uuid)

-- name: notify
-- $1 org, $2 user, $3 kind, $4 title, $5 body, $6 data, $7 dedupe key
INSERT INTO notifications (org_id, user_id, kind, title, body, data,
	dedupe_key)
VALUES ($1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'), $7)
ON CONFLICT (user_id, dedupe_key) DO NOTHING

-- name: me_xp
-- $1 user, $2 before this event id (or null), $3 limit: my XP, level,
-- the level's span, and my ledger, newest first.
WITH p AS (
	SELECT xp, level FROM user_profiles WHERE user_id = $1
), page AS (
	SELECT * FROM xp_events
	WHERE user_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid)
	ORDER BY id DESC LIMIT $3 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY id DESC) AS n FROM page
)
SELECT json_build_object('xp', p.xp, 'level', p.level,
	'level_starts_at', 50 * p.level * (p.level - 1),
	'next_level_at', 50 * (p.level + 1) * p.level,
	'progress_percent', round(100.0 * (p.xp - 50 * p.level * (p.level - 1))
		/ (100 * p.level), 2),
	'items', coalesce((SELECT json_agg(json_build_object('id', n.id,
		'source', n.source, 'amount', n.amount, 'reason', n.reason,
		'entity_type', n.entity_type, 'entity_id', n.entity_id,
		'occurred_at', n.occurred_at) ORDER BY n.id DESC)
		FROM numbered n WHERE n.n <= $3), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $3
		AND EXISTS (SELECT 1 FROM numbered m WHERE m.n > $3)))
FROM p

-- name: me_achievements
-- $1 user: every achievement with when I earned it.
SELECT a.id, a.code, a.name, a.description, a.category, a.criteria,
	a.xp_reward, a.badge_icon_url, a.is_hidden,
	to_json(u.earned_at) #>> '{}',
	(SELECT json_build_object('id', v.id, 'code', v.code, 'name', v.name,
		'rarity', v.rarity) FROM avatars v WHERE v.id = a.avatar_id)
FROM achievements a
LEFT JOIN user_achievements u ON u.achievement_id = a.id AND u.user_id = $1
ORDER BY a.display_order, a.code

-- name: me_avatars
-- $1 user: every avatar, whether I have it and which one I wear.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', v.id, 'code', v.code, 'name', v.name, 'description', v.description,
	'image_url', v.image_url, 'rarity', v.rarity,
	'unlocked', v.is_default OR u.user_id IS NOT NULL,
	'unlocked_at', u.unlocked_at,
	'equipped', coalesce(v.id = (SELECT avatar_id FROM user_profiles
		WHERE user_id = $1), false),
	'unlocked_by', (SELECT a.name FROM achievements a WHERE a.avatar_id = v.id
		AND (NOT a.is_hidden OR u.user_id IS NOT NULL)))
	ORDER BY v.display_order, v.code), '[]'))
FROM avatars v
LEFT JOIN user_avatars u ON u.avatar_id = v.id AND u.user_id = $1

-- name: avatar_equip
-- $1 user, $2 avatar: wears it if I have it; a row when done.
UPDATE user_profiles p SET avatar_id = v.id
FROM avatars v
WHERE p.user_id = $1 AND v.id = $2::uuid AND (v.is_default OR EXISTS (
	SELECT 1 FROM user_avatars u WHERE u.user_id = $1 AND u.avatar_id = v.id))
RETURNING v.id

-- name: avatar_exists
SELECT EXISTS (SELECT 1 FROM avatars WHERE id = $1::uuid)

-- name: me_notifications
-- $1 user, $2 only unread ('true'), $3 before this id, $4 limit
WITH page AS (
	SELECT * FROM notifications
	WHERE user_id = $1 AND (coalesce($2::boolean, false) = false OR read_at IS NULL)
		AND ($3::uuid IS NULL OR id < $3::uuid)
	ORDER BY id DESC LIMIT $4 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY id DESC) AS n FROM page
)
SELECT json_build_object(
	'unread', (SELECT count(*) FROM notifications
		WHERE user_id = $1 AND read_at IS NULL),
	'items', coalesce((SELECT json_agg(json_build_object('id', n.id,
		'kind', n.kind, 'title', n.title, 'body', n.body, 'data', n.data,
		'created_at', n.created_at, 'read_at', n.read_at) ORDER BY n.id DESC)
		FROM numbered n WHERE n.n <= $4), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $4
		AND EXISTS (SELECT 1 FROM numbered m WHERE m.n > $4)))

-- name: notifications_read
-- $1 user, $2 ids (uuid[] literal, or null for all): marks them read; how
-- many were unread.
WITH done AS (
	UPDATE notifications SET read_at = now()
	WHERE user_id = $1 AND read_at IS NULL
		AND ($2::uuid[] IS NULL OR id = ANY ($2::uuid[]))
	RETURNING 1
)
SELECT json_build_object('marked', (SELECT count(*) FROM done),
	'unread', (SELECT count(*) FROM notifications
		WHERE user_id = $1 AND read_at IS NULL) - (SELECT count(*) FROM done))

-- name: leaderboard
-- $1 org, $2 user, $3 period ('weekly': since Monday 00:00 UTC, or 'all'),
-- $4 exam code (or null), $5 by ('xp' or 'score'), $6 limit: the top and
-- my own place.  Ranks are shared by ties (1, 1, 3); within a tie the
-- order is by username.  Scores are the average percentage of finished
-- attempts (previews left out).  Learners who chose to be hidden are left
-- out, and so are staff unless the organization includes them (migration
-- 0007); a display name shows only where its owner allows it.
--
-- Nothing here grows with the organization (migrations 0010 and 0012):
-- the top is an index scan of the board's totals that stops after $6
-- rows; my rank is 1 + the learners in the bands of the board's histogram
-- above my value's band + those at values above mine within my band; the
-- entries are the bands' sum.
--
-- Its plan is made once per connection: PostgreSQL's default would plan
-- it again at every call (the generic plan's guess at LIMIT $6 looks
-- dearer than a plan for the values), and planning took longer than
-- running it.
-- plan: generic
WITH k AS (
	SELECT board_exam($4) AS exam_id, board_period($3) AS week
), top AS (
	-- the board's keys as plain expressions, so that the index gives the
	-- order and the scan stops after $6 rows
	SELECT t.user_id, t.username, t.value,
		row_number() OVER (ORDER BY t.value DESC, t.username) AS place,
		rank() OVER (ORDER BY t.value DESC) AS rank
	FROM (SELECT b.user_id, b.username, b.value
		FROM board_totals b
		WHERE b.org_id = $1 AND b.metric = $5
			AND b.exam_id = (SELECT exam_id FROM k)
			AND b.week = (SELECT week FROM k) AND b.shown
			AND (b.metric = 'score' OR b.value > 0)
		ORDER BY b.value DESC, b.username
		LIMIT $6) t
), me AS (
	SELECT b.counted AS value, board_band($5, b.counted) AS band
	FROM board_totals b
	WHERE b.user_id = $2 AND b.metric = $5
		AND b.exam_id = (SELECT exam_id FROM k)
		AND b.week = (SELECT week FROM k) AND b.org_id = $1
		AND b.counted IS NOT NULL
), bands AS (
	-- one pass over the board's bands: everybody, and those above mine
	SELECT coalesce(sum(c.n), 0) AS entries,
		coalesce(sum(c.n) FILTER (WHERE c.band > (SELECT band FROM me)), 0)
			AS ahead
	FROM board_bands c
	WHERE c.org_id = $1 AND c.metric = $5
		AND c.exam_id = (SELECT exam_id FROM k)
		AND c.week = (SELECT week FROM k)
)
SELECT json_build_object('period', $3, 'exam', $4, 'by', $5,
	'since', CASE WHEN $3 = 'weekly' THEN date_trunc('week',
		now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END,
	'items', coalesce((SELECT json_agg(json_build_object('rank', t.rank,
		'user_id', t.user_id, 'username', t.username,
		'display_name', CASE WHEN s.leaderboard_visibility = 'full_name'
			THEN p.display_name END,
		'avatar', (SELECT code FROM avatars WHERE id = p.avatar_id),
		'value', t.value)
		ORDER BY t.place)
		FROM top t
		JOIN user_profiles p ON p.user_id = t.user_id
		LEFT JOIN user_settings s ON s.user_id = t.user_id), '[]'),
	'me', (SELECT json_build_object('rank', 1 + x.ahead
			+ coalesce((SELECT sum(c.n) FROM board_counts c
				WHERE c.org_id = $1 AND c.metric = $5
					AND c.exam_id = (SELECT exam_id FROM k)
					AND c.week = (SELECT week FROM k)
					AND c.value > m.value
					AND c.value < board_band_end($5, m.band)), 0),
			'value', m.value)
		FROM me m, bands x),
	'entries', (SELECT entries FROM bands))

-- name: me_goals
-- $1 user: my goals with their progress (today, this week: my time zone).
WITH tz AS (
	SELECT coalesce((SELECT timezone FROM user_profiles WHERE user_id = $1),
		'UTC') AS z
), today AS (
	SELECT (now() AT TIME ZONE (SELECT z FROM tz))::date AS d
)
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', g.id, 'kind', g.kind, 'target', g.target,
	'exam', (SELECT code FROM exams WHERE id = g.exam_id),
	'target_date', g.target_date, 'status', g.status,
	'created_at', g.created_at, 'completed_at', g.completed_at,
	'progress', CASE g.kind
		WHEN 'daily_minutes' THEN (SELECT coalesce(sum(study_seconds), 0) / 60
			FROM activity_days WHERE user_id = $1 AND day = (SELECT d FROM today))
		WHEN 'weekly_lessons' THEN (SELECT count(*) FROM lesson_progress
			WHERE user_id = $1 AND status = 'completed'
			AND (completed_at AT TIME ZONE (SELECT z FROM tz))::date
				>= date_trunc('week', (SELECT d FROM today))::date)
		ELSE (SELECT max(scaled_score) FROM attempts
			WHERE user_id = $1 AND exam_id = g.exam_id
			AND kind = 'exam_simulation' AND status <> 'in_progress') END,
	'days_left', CASE WHEN g.target_date IS NOT NULL
		THEN g.target_date - (SELECT d FROM today) END,
	-- today's or this week's target reached; an exam goal is met when a
	-- simulation at that exam passes
	'met', g.status = 'completed' OR (g.kind <> 'exam_date' AND CASE g.kind
		WHEN 'daily_minutes' THEN (SELECT coalesce(sum(study_seconds), 0) / 60
			FROM activity_days WHERE user_id = $1
			AND day = (SELECT d FROM today))
		ELSE (SELECT count(*) FROM lesson_progress
			WHERE user_id = $1 AND status = 'completed'
			AND (completed_at AT TIME ZONE (SELECT z FROM tz))::date
				>= date_trunc('week', (SELECT d FROM today))::date) END
		>= g.target))
	ORDER BY g.created_at DESC), '[]'))
FROM study_goals g WHERE g.user_id = $1 AND g.status <> 'abandoned'

-- name: goal_insert
-- $1 org, $2 user, $3 kind, $4 target, $5 exam code, $6 target date
INSERT INTO study_goals (org_id, user_id, kind, target, exam_id, target_date)
VALUES ($1, $2, $3, $4::integer, (SELECT id FROM exams WHERE code = $5),
	$6::date)
RETURNING id

-- name: goal_update
-- $1 goal, $2 user, $3 target (or null), $4 target date (or null),
-- $5 status (or null)
UPDATE study_goals SET target = coalesce($3::integer, target),
	target_date = coalesce($4::date, target_date),
	status = coalesce($5, status),
	completed_at = CASE WHEN coalesce($5, status) = 'completed'
		THEN coalesce(completed_at, now()) END
WHERE id = $1 AND user_id = $2 AND status <> 'abandoned'
RETURNING id

-- name: goal_delete
UPDATE study_goals SET status = 'abandoned', completed_at = NULL
WHERE id = $1 AND user_id = $2 AND status <> 'abandoned'
RETURNING id

-- name: me_dashboard
-- $1 user, $2 org: what the learner's home page shows, in one document.
WITH mine AS (
	-- the exams of my courses, of my finished attempts (the counters of
	-- migration 0010) and of those in progress
	SELECT c.exam_id FROM enrollments n JOIN courses c ON c.id = n.course_id
	WHERE n.user_id = $1 AND c.exam_id IS NOT NULL
	UNION
	SELECT exam_id FROM learner_domain_stats
	WHERE user_id = $1 AND domain_code = '' AND quizzes > 0
	UNION
	SELECT exam_id FROM attempts
	WHERE user_id = $1 AND status = 'in_progress' AND exam_id IS NOT NULL
		AND NOT preview
)
SELECT json_build_object(
	'xp', p.xp, 'level', p.level,
	'next_level_at', 50 * (p.level + 1) * p.level,
	'level_progress_percent', round(100.0 * (p.xp - 50 * p.level
		* (p.level - 1)) / (100 * p.level), 2),
	'avatar', (SELECT json_build_object('id', v.id, 'code', v.code,
		'name', v.name, 'image_url', v.image_url)
		FROM avatars v WHERE v.id = p.avatar_id),
	'streak', json_build_object('current', coalesce(streak_now($1), 0),
		'longest', coalesce(k.longest_streak, 0),
		'freezes', coalesce(k.freezes_available, 0),
		'last_day', k.last_activity_date,
		'studied_today', coalesce(k.last_activity_date = (now() AT TIME ZONE
			p.timezone)::date, false)),
	'today', json_build_object(
		'study_minutes', coalesce((SELECT study_seconds / 60 FROM activity_days
			WHERE user_id = $1 AND day = (now() AT TIME ZONE p.timezone)::date),
			0),
		'goal_minutes', coalesce((SELECT g.target FROM study_goals g
			WHERE g.user_id = $1 AND g.kind = 'daily_minutes'
			AND g.status = 'active' ORDER BY g.created_at DESC LIMIT 1),
			s.daily_goal_minutes),
		'goal_met', EXISTS (SELECT 1 FROM activity_days WHERE user_id = $1
			AND day = (now() AT TIME ZONE p.timezone)::date
			AND goal_met_at IS NOT NULL)),
	'recent_achievements', coalesce((SELECT json_agg(x ORDER BY x.earned_at DESC)
		FROM (SELECT a.id, a.name, a.description, u.earned_at
			FROM user_achievements u JOIN achievements a ON a.id = u.achievement_id
			WHERE u.user_id = $1 ORDER BY u.earned_at DESC LIMIT 5) x), '[]'),
	'unread_notifications', (SELECT count(*) FROM notifications
		WHERE user_id = $1 AND read_at IS NULL),
	-- flashcards waiting by the end of my day (new ones before the limit)
	-- (the decks first: their cards through the deck index)
	'flashcards', (SELECT json_build_object('due', count(*) FILTER (
			WHERE q.state > 0 AND q.due < ((now() AT TIME ZONE p.timezone)::date
				+ 1)::timestamp AT TIME ZONE p.timezone),
			'new', count(*) FILTER (WHERE coalesce(q.state, 0) = 0))
		FROM flashcard_decks_for($1) d (id)
		JOIN flashcards c ON c.set_id = d.id AND c.deleted_at IS NULL
		LEFT JOIN user_flashcard_progress q ON q.user_id = $1
			AND q.card_id = c.id
		WHERE NOT coalesce(q.suspended, false)
			AND (q.buried_until IS NULL OR q.buried_until <= now())),
	'continue', coalesce((SELECT json_agg(x ORDER BY x.updated_at DESC)
		FROM (SELECT l.id AS lesson_id, l.title, c.id AS course_id,
			c.title AS course_title, lp.progress_percent, lp.updated_at
			FROM lesson_progress lp JOIN lessons l ON l.id = lp.lesson_id
			JOIN courses c ON c.id = l.course_id
			WHERE lp.user_id = $1 AND lp.status = 'in_progress'
				AND l.deleted_at IS NULL AND l.status = 'published'
			ORDER BY lp.updated_at DESC LIMIT 5) x), '[]'),
	'practice', json_build_object(
		'in_progress', coalesce((SELECT json_agg(json_build_object(
			'attempt_id', t.id, 'assessment_id', t.assessment_id,
			'title', a.title, 'deadline_at', t.deadline_at))
			FROM attempts t JOIN assessments a ON a.id = t.assessment_id
			WHERE t.user_id = $1 AND t.status = 'in_progress'), '[]'),
		-- up to three published domain quizzes of my exams (those of my
		-- courses and attempts; every exam while I have none): domains
		-- I have not tried first, then my lowest average in the domain
		'suggested', coalesce((SELECT json_agg(json_build_object(
			'assessment_id', x.id, 'title', x.title, 'kind', x.kind,
			'exam', x.exam, 'domain', x.code, 'domain_percent', x.percent)
			ORDER BY x.percent NULLS FIRST, x.title)
			FROM (SELECT a.id, a.title, a.kind, e.code AS exam,
				a.rules->'domains'->0->>'code' AS code, m.percent
				FROM assessments a
				JOIN exams e ON e.id = a.exam_id
				-- my attempts' average in the domain, from the counters
				LEFT JOIN LATERAL (
					SELECT round(d.percent_sum / d.percent_n, 2) AS percent
					FROM learner_domain_stats d
					WHERE d.user_id = $1 AND d.exam_id = a.exam_id
						AND d.domain_code = a.rules->'domains'->0->>'code'
						AND d.percent_n > 0) m ON true
				WHERE a.org_id = $2 AND a.status = 'published'
					AND a.deleted_at IS NULL AND a.kind = 'quiz'
					AND a.rules->'domains'->0->>'code' IS NOT NULL
					AND (a.exam_id IN (SELECT exam_id FROM mine)
						OR NOT EXISTS (SELECT 1 FROM mine))
				ORDER BY m.percent NULLS FIRST, a.title
				LIMIT 3) x), '[]')),
	'goals', (SELECT coalesce(json_agg(json_build_object('id', g.id,
		'kind', g.kind, 'target', g.target, 'target_date', g.target_date)),
		'[]') FROM study_goals g WHERE g.user_id = $1 AND g.status = 'active'))
FROM user_profiles p
LEFT JOIN learning_streaks k ON k.user_id = p.user_id
LEFT JOIN user_settings s ON s.user_id = p.user_id
WHERE p.user_id = $1

-- name: streaks_at_risk
-- For the maintenance job: learners with a streak who studied yesterday
-- (their time) but not yet today, after 18:00 their time, get one
-- notification a day; how many.
WITH due AS (
	SELECT k.user_id, k.org_id, k.current_streak,
		(now() AT TIME ZONE p.timezone)::date AS today
	FROM learning_streaks k JOIN user_profiles p ON p.user_id = k.user_id
	JOIN users u ON u.id = k.user_id AND u.deleted_at IS NULL
	WHERE k.current_streak > 0
		AND k.last_activity_date = (now() AT TIME ZONE p.timezone)::date - 1
		AND (now() AT TIME ZONE p.timezone)::time >= '18:00'
), sent AS (
	INSERT INTO notifications (org_id, user_id, kind, title, body, data,
		dedupe_key)
	SELECT org_id, user_id, 'streak_at_risk', 'Your streak is at risk',
		'Study today to keep your ' || current_streak || '-day streak.',
		json_build_object('streak', current_streak)::jsonb,
		'streak:' || today
	FROM due
	ON CONFLICT (user_id, dedupe_key) DO NOTHING
	RETURNING 1
)
SELECT count(*) FROM sent

-- name: goal_exam_done
-- $1 user, $2 attempt: a passed exam simulation completes my active
-- exam-date goal for that exam; the goals it completed.
UPDATE study_goals g SET status = 'completed', completed_at = now()
FROM attempts t
WHERE t.id = $2 AND t.user_id = $1 AND t.kind = 'exam_simulation' AND t.passed
	AND g.user_id = $1 AND g.kind = 'exam_date' AND g.status = 'active'
	AND g.exam_id = t.exam_id
RETURNING g.id

-- name: xp_forum_today
-- $1 user, $2 the kind of forum award ('liked', 'accepted'): how many
-- the learner earned in the last 24 hours.
SELECT count(*) FROM xp_events
WHERE user_id = $1 AND source = 'forum' AND occurred_at > now() - interval '1 day'
	AND idempotency_key LIKE $2 || ':%'
