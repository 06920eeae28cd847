-- Bench data set, step 4: the learning that goes with those attempts, and
-- what gamification made of it all, consistent with the rules of ludus:
--
--   enrollments     learners of the default organization in the courses of
--                   their favourite exam (and a few others), with the
--                   percentage of completed lessons;
--   lesson_progress the first lessons of each enrolled course completed in
--                   order (most learners stop early), the next one in
--                   progress;
--   activity_days   every local day (the learner's time zone) with a lesson
--                   completed or an attempt finished, its study time and
--                   whether the daily goal was met;
--   learning_streaks current and longest runs of consecutive days;
--   xp_events       the ledger: 20 XP a lesson, 10 a finished attempt (+10
--                   at 90 %, +25 at 100 %), 2 a question first answered
--                   right, 5 a day of study, 15 a daily goal, and the
--                   achievements' rewards, with the idempotency keys ludus
--                   uses;
--   user_achievements, user_avatars, notifications: the achievements whose
--                   criteria the learner's numbers meet;
--   user_profiles   with xp and level cached from the ledger;
--   activity_events enrollments, lesson completions, attempts started and
--                   submitted, in the monthly partitions.
--
-- Like the answers, these big tables are loaded without row-by-row
-- foreign-key checks (every key comes from a join on its target).

RESET ROLE;
SET session_replication_role = replica;
SET ROLE ludus;

CREATE TEMP TABLE g_enr AS
SELECT u.n, u.id AS user_id, u.org_id, u.timezone, c.i AS course_i,
	c.id AS course_id,
	floor(41 * power(random(), 5.5))::int AS done,
	u.created_at + (now() - interval '1 day' - u.created_at)
		* random() AS enrolled_at,
	0.3 + 0.7 * random() AS pace
FROM g_users u
JOIN g_exams fav ON fav.pos = 1 + (hashint4(u.n * 17) & 1023) % 4
JOIN g_courses c ON random() < CASE WHEN c.exam_id = fav.id THEN 0.3 ELSE 0.02 END
WHERE u.n <= 90000;
CREATE INDEX ON g_enr (user_id, course_id);

INSERT INTO enrollments (user_id, course_id, org_id, status, progress_percent,
	enrolled_at, completed_at, last_activity_at, updated_at)
SELECT e.user_id, e.course_id, e.org_id,
	CASE WHEN e.done = 0 AND e.pace > 0.95 THEN 'dropped' ELSE 'active' END,
	round(100.0 * e.done / 40, 2), e.enrolled_at,
	CASE WHEN e.done = 40 THEN e.enrolled_at + (now() - e.enrolled_at) * e.pace END,
	e.enrolled_at + (now() - e.enrolled_at) * e.pace,
	e.enrolled_at + (now() - e.enrolled_at) * e.pace
FROM g_enr e;

-- Lesson j of a course is its j-th in outline order.
CREATE TEMP TABLE g_prog AS
SELECT e.user_id, e.org_id, e.timezone, e.course_id, l.id AS lesson_id,
	l.i - (e.course_i - 1) * 40 AS j, e.done,
	e.enrolled_at + (now() - e.enrolled_at) * e.pace
		* (l.i - (e.course_i - 1) * 40) / (e.done + 1.0) AS at,
	5 + (l.i * 7) % 26 AS minutes
FROM g_enr e
JOIN g_lessons l ON l.course_i = e.course_i
	AND l.i - (e.course_i - 1) * 40 <= least(e.done + 1, 40);

INSERT INTO lesson_progress (user_id, lesson_id, org_id, course_id, status,
	progress_percent, time_spent_seconds, last_position, started_at,
	completed_at, updated_at)
SELECT p.user_id, p.lesson_id, p.org_id, p.course_id,
	CASE WHEN p.j <= p.done THEN 'completed' ELSE 'in_progress' END,
	CASE WHEN p.j <= p.done THEN 100 ELSE 10 + (p.minutes * 7) % 80 END,
	p.minutes * 60 - 30 + (p.j * 13) % 120,
	jsonb_build_object('seconds', (p.j * 37) % 600),
	p.at - make_interval(mins => p.minutes),
	CASE WHEN p.j <= p.done THEN p.at END, p.at
FROM g_prog p;

-- Every lesson completed and attempt finished, as the engine saw them.
CREATE TEMP TABLE g_events AS
SELECT p.user_id, p.org_id, p.timezone, p.at, 1 AS lessons, 0 AS attempts,
	p.minutes * 60 AS seconds
FROM g_prog p WHERE p.j <= p.done
UNION ALL
SELECT a.user_id, a.org_id, u.timezone, a.started_at + a.duration, 0, 1,
	extract(epoch FROM a.duration)::int
FROM g_att a JOIN g_users u ON u.n = a.n
WHERE a.pool = 'finished';

CREATE TEMP TABLE g_days AS
SELECT e.user_id, e.org_id, (e.at AT TIME ZONE e.timezone)::date AS day,
	sum(e.lessons)::int AS lessons, sum(e.attempts)::int AS attempts,
	sum(e.seconds)::int AS seconds, min(e.at) AS first_at, max(e.at) AS last_at,
	min(e.timezone) AS timezone
FROM g_events e GROUP BY 1, 2, 3;
ALTER TABLE g_days ADD COLUMN goal_met boolean;
UPDATE g_days d SET goal_met = d.seconds >= s.daily_goal_minutes * 60
FROM user_settings s WHERE s.user_id = d.user_id;

INSERT INTO activity_days (user_id, day, org_id, lessons, attempts,
	study_seconds, goal_met_at)
SELECT d.user_id, d.day, d.org_id, d.lessons, d.attempts, d.seconds,
	CASE WHEN d.goal_met THEN d.last_at END
FROM g_days d;

-- Runs of consecutive days: the current one ends on the last day.
INSERT INTO learning_streaks (user_id, org_id, current_streak, longest_streak,
	last_activity_date, freezes_available, created_at, updated_at)
SELECT u.id, u.org_id, coalesce(s.cur, 0), coalesce(s.longest, 0), s.last_day,
	least(2, coalesce(s.cur, 0) / 7), u.created_at, now()
FROM g_users u
LEFT JOIN (
	SELECT user_id, max(len) AS longest,
		(array_agg(len ORDER BY last DESC))[1] AS cur, max(last) AS last_day
	FROM (SELECT user_id, count(*) AS len, max(day) AS last
		FROM (SELECT user_id, day,
			day - (row_number() OVER (PARTITION BY user_id ORDER BY day))::int AS grp
			FROM g_days) r
		GROUP BY user_id, grp) islands
	GROUP BY user_id
) s ON s.user_id = u.id;

-- ---- The XP ledger ----

CREATE TEMP TABLE g_xp (org_id uuid, user_id uuid, source text, amount int,
	reason text, idempotency_key text, entity_type text, entity_id uuid,
	occurred_at timestamptz);

INSERT INTO g_xp
SELECT p.org_id, p.user_id, 'lesson', 20, 'Lesson completed',
	'lesson:' || p.lesson_id, 'lesson', p.lesson_id, p.at
FROM g_prog p WHERE p.j <= p.done;

INSERT INTO g_xp
SELECT a.org_id, a.user_id, 'quiz', x.amount, x.reason,
	'attempt:' || a.id || x.suffix, 'attempt', a.id, a.started_at + a.duration
FROM g_att a JOIN g_score s ON s.k = a.k
CROSS JOIN LATERAL (VALUES (10, 'Quiz finished', '', true),
	(10, 'A score of 90 % or more', ':high', s.correct * 100 >= 90 * s.questions),
	(25, 'A perfect score', ':perfect', s.correct = s.questions))
	AS x (amount, reason, suffix, due)
WHERE a.pool = 'finished' AND x.due;

INSERT INTO g_xp
SELECT DISTINCT ON (a.user_id, s.question_id) a.org_id, a.user_id, 'answer', 2,
	'A question answered right', 'answer:' || s.question_id, 'question',
	s.question_id, a.started_at + a.duration
FROM g_ans s JOIN g_att a ON a.k = s.k
WHERE a.pool = 'finished' AND s.answered AND s.correct
ORDER BY a.user_id, s.question_id, a.started_at;

INSERT INTO g_xp
SELECT d.org_id, d.user_id, 'streak', 5, 'A day of study', 'day:' || d.day,
	NULL, NULL, d.first_at
FROM g_days d;

INSERT INTO g_xp
SELECT d.org_id, d.user_id, 'daily_goal', 15, 'Daily goal reached',
	'goal:' || d.day, NULL, NULL, d.last_at
FROM g_days d WHERE d.goal_met;

-- ---- Achievements: the numbers of src/gamify/criteria.h ----

CREATE TEMP TABLE g_stats AS
SELECT u.id AS user_id, u.org_id,
	coalesce(q.quizzes, 0) AS quizzes, coalesce(q.perfect, 0) AS perfect,
	coalesce(q.high, 0) AS high, coalesce(q.correct, 0) AS correct,
	coalesce(k.longest_streak, 0) AS longest_streak,
	coalesce(l.lessons, 0) AS lessons, coalesce(d.seconds, 0) AS study_seconds,
	coalesce(ex.exams, '{}') AS exams, coalesce(m.domains, '{}') AS domains,
	greatest(coalesce(q.last_at, u.created_at), coalesce(d.last_at, u.created_at))
		AS last_at,
	coalesce(x.xp, 0) AS xp
FROM g_users u
LEFT JOIN (SELECT user_id, sum(amount) AS xp FROM g_xp GROUP BY 1) x
	ON x.user_id = u.id
LEFT JOIN learning_streaks k ON k.user_id = u.id
LEFT JOIN (SELECT a.user_id, count(*) AS quizzes,
		count(*) FILTER (WHERE s.correct = s.questions) AS perfect,
		count(*) FILTER (WHERE s.correct * 100 >= 90 * s.questions) AS high,
		sum(s.correct) AS correct, max(a.started_at + a.duration) AS last_at
	FROM g_att a JOIN g_score s ON s.k = a.k
	GROUP BY a.user_id) q ON q.user_id = u.id
LEFT JOIN (SELECT user_id, jsonb_object_agg(code, c) AS exams
	FROM (SELECT a.user_id, e.code, count(*) AS c
		FROM g_att a JOIN g_exams e ON e.id = a.exam_id
		WHERE a.pool = 'finished' GROUP BY 1, 2) z
	GROUP BY user_id) ex ON ex.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS lessons FROM g_prog WHERE j <= done
	GROUP BY user_id) l ON l.user_id = u.id
LEFT JOIN (SELECT user_id, sum(seconds) AS seconds, max(last_at) AS last_at
	FROM g_days GROUP BY user_id) d ON d.user_id = u.id
LEFT JOIN (SELECT user_id, jsonb_object_agg(key, jsonb_build_object(
		'answered', answered, 'correct', correct)) AS domains
	FROM (SELECT a.user_id, e.code || ' ' || q.domain_code AS key,
			count(*) FILTER (WHERE s.answered) AS answered,
			count(*) FILTER (WHERE s.answered AND s.correct) AS correct
		FROM g_ans s JOIN g_att a ON a.k = s.k AND a.pool = 'finished'
		JOIN g_qmeta q ON q.id = s.question_id
		JOIN g_exams e ON e.id = a.exam_id
		GROUP BY 1, 2) y
	GROUP BY user_id) m ON m.user_id = u.id;
CREATE UNIQUE INDEX ON g_stats (user_id);

CREATE FUNCTION pg_temp.met(c jsonb, s g_stats, lvl integer) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE c->>'type'
		WHEN 'quiz_completed' THEN s.quizzes >= (c->>'count')::int
		WHEN 'perfect_quiz' THEN s.perfect >= (c->>'count')::int
		WHEN 'high_score_quiz' THEN s.high >= (c->>'count')::int
		WHEN 'correct_answers' THEN s.correct >= (c->>'count')::int
		WHEN 'study_streak' THEN s.longest_streak >= (c->>'days')::int
		WHEN 'level_reached' THEN lvl >= (c->>'level')::int
		WHEN 'exam_specific' THEN coalesce((s.exams->>(c->>'exam'))::int, 0)
			>= (c->>'count')::int
		WHEN 'lessons_completed' THEN s.lessons >= (c->>'count')::int
		WHEN 'study_time' THEN s.study_seconds >= (c->>'minutes')::int * 60
		WHEN 'domain_mastery' THEN coalesce((s.domains->(c->>'exam' || ' '
				|| (c->>'domain'))->>'answered')::int, 0) >= (c->>'questions')::int
			AND coalesce((s.domains->(c->>'exam' || ' ' || (c->>'domain'))
				->>'correct')::int, 0) * 100 >= (c->>'percent')::int
				* coalesce((s.domains->(c->>'exam' || ' ' || (c->>'domain'))
				->>'answered')::int, 0)
		ELSE false END
$$;

CREATE TEMP TABLE g_grants (user_id uuid, org_id uuid, achievement_id uuid,
	earned_at timestamptz, PRIMARY KEY (user_id, achievement_id));
-- Three rounds: an achievement's XP may reach a level that grants another.
DO $$
BEGIN
	FOR round IN 1..3 LOOP
		INSERT INTO g_grants
		SELECT s.user_id, s.org_id, a.id, s.last_at
		FROM g_stats s
		LEFT JOIN (SELECT g.user_id, sum(a.xp_reward) AS xp FROM g_grants g
			JOIN achievements a ON a.id = g.achievement_id GROUP BY 1) r
			ON r.user_id = s.user_id
		CROSS JOIN achievements a
		WHERE (round = 1 OR a.criteria->>'type' = 'level_reached')
			AND pg_temp.met(a.criteria, s, xp_level(s.xp + coalesce(r.xp, 0)))
		ON CONFLICT DO NOTHING;
	END LOOP;
END
$$;

INSERT INTO g_xp
SELECT g.org_id, g.user_id, 'achievement', a.xp_reward, a.name,
	'achievement:' || a.id, 'achievement', a.id, g.earned_at
FROM g_grants g JOIN achievements a ON a.id = g.achievement_id
WHERE a.xp_reward > 0;

INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key, entity_type, entity_id, occurred_at)
SELECT * FROM g_xp ORDER BY occurred_at;

INSERT INTO user_achievements (user_id, achievement_id, org_id, earned_at)
SELECT user_id, achievement_id, org_id, earned_at FROM g_grants;

INSERT INTO user_avatars (user_id, avatar_id, org_id, unlocked_at)
SELECT g.user_id, a.avatar_id, g.org_id, g.earned_at
FROM g_grants g JOIN achievements a ON a.id = g.achievement_id
WHERE a.avatar_id IS NOT NULL;

INSERT INTO notifications (org_id, user_id, kind, title, body, data,
	dedupe_key, created_at, read_at)
SELECT g.org_id, g.user_id, 'achievement_unlocked', a.name,
	'Achievement unlocked.', jsonb_build_object('achievement_id', a.id),
	'achievement:' || a.id, g.earned_at,
	CASE WHEN hashtext(g.user_id::text || a.code) % 5 <> 0
		THEN g.earned_at + interval '1 hour' END
FROM g_grants g JOIN achievements a ON a.id = g.achievement_id;

-- ---- Profiles, with the cached XP and level ----

INSERT INTO user_profiles (user_id, org_id, first_name, last_name,
	display_name, timezone, xp, level, created_at, updated_at)
SELECT u.id, u.org_id, u.first_name, u.last_name,
	u.first_name || ' ' || left(u.last_name, 1) || '.', u.timezone,
	coalesce(x.xp, 0), xp_level(coalesce(x.xp, 0)), u.created_at, u.created_at
FROM g_users u
LEFT JOIN (SELECT user_id, sum(amount) AS xp FROM g_xp GROUP BY 1) x
	ON x.user_id = u.id;

-- ---- The activity stream ----

INSERT INTO activity_events (org_id, user_id, event_type, entity_type,
	entity_id, data, occurred_at)
SELECT org_id, user_id, event_type, entity_type, entity_id, data, at
FROM (
	SELECT e.org_id, e.user_id, 'course.enrolled' AS event_type,
		'course' AS entity_type, e.course_id AS entity_id, '{}'::jsonb AS data,
		e.enrolled_at AS at
	FROM g_enr e
	UNION ALL
	SELECT p.org_id, p.user_id, 'lesson.completed', 'lesson', p.lesson_id,
		'{}', p.at
	FROM g_prog p WHERE p.j <= p.done
	UNION ALL
	SELECT a.org_id, a.user_id, 'assessment.started', 'attempt', a.id, '{}',
		a.started_at
	FROM g_att a
	UNION ALL
	SELECT a.org_id, a.user_id, 'assessment.submitted', 'attempt', a.id,
		jsonb_build_object('assessment_id', a.assessment_id,
			'status', 'submitted',
			'percentage', round(100.0 * s.correct / s.questions, 2),
			'passed', 100.0 * s.correct / s.questions >= a.passing),
		a.started_at + a.duration
	FROM g_att a JOIN g_score s ON s.k = a.k
) ev
ORDER BY at;

RESET ROLE;
SET session_replication_role = DEFAULT;
SET ROLE ludus;

-- The ledger, the progress and the days went in with triggers off: the
-- totals that their triggers keep (migration 0010) are made by
-- gamify_rebuild() in 90_finish.sql.
