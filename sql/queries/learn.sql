-- The learner's side: enrollments, progress, learning sessions, bookmarks.

-- name: course_learnable
-- $1 course, $2 org: whether a learner may enroll (published and live).
SELECT EXISTS (SELECT 1 FROM courses WHERE id = $1 AND org_id = $2
	AND status = 'published' AND deleted_at IS NULL)

-- name: enroll
-- $1 user, $2 org, $3 course: enrolls (again); whether it is new.
INSERT INTO enrollments (user_id, org_id, course_id)
VALUES ($1, $2, $3)
ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active'
	WHERE enrollments.status <> 'active'
RETURNING xmax = 0

-- name: unenroll
UPDATE enrollments SET status = 'dropped'
WHERE user_id = $1 AND course_id = $2 AND status = 'active'

-- name: enrollment_get
SELECT json_build_object('course_id', course_id, 'status', status,
	'progress_percent', progress_percent, 'enrolled_at', enrolled_at,
	'completed_at', completed_at, 'last_activity_at', last_activity_at)
FROM enrollments WHERE user_id = $1 AND course_id = $2

-- name: enrollment_refresh
-- $1 user, $2 course: the course's percentage from its published lessons.
UPDATE enrollments e SET
	progress_percent = s.pct,
	completed_at = CASE WHEN s.pct = 100 THEN coalesce(e.completed_at, now()) END,
	last_activity_at = now()
FROM (SELECT CASE WHEN count(*) = 0 THEN 0 ELSE round(100.0 * count(*)
		FILTER (WHERE p.status = 'completed') / count(*), 2) END AS pct
	FROM lessons l
	LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.user_id = $1
	WHERE l.course_id = $2 AND l.deleted_at IS NULL
		AND l.status = 'published') s
WHERE e.user_id = $1 AND e.course_id = $2
RETURNING e.progress_percent, e.completed_at IS NOT NULL

-- name: lesson_learnable
-- $1 lesson, $2 org, $3 user: its course, whether a learner may study it
-- (published and live, in a published and live course), and the titles
-- of the prerequisites not yet completed.
SELECT l.course_id,
	l.status = 'published' AND l.deleted_at IS NULL
		AND c.status = 'published' AND c.deleted_at IS NULL,
	coalesce((SELECT json_agg(json_build_object('id', p.id, 'title', p.title))
		FROM lesson_prerequisites q
		JOIN lessons p ON p.id = q.prerequisite_id AND p.deleted_at IS NULL
			AND p.status = 'published'
		WHERE q.lesson_id = l.id AND NOT EXISTS (SELECT 1
			FROM lesson_progress pp WHERE pp.user_id = $3
			AND pp.lesson_id = p.id AND pp.status = 'completed')), '[]')::text
FROM lessons l JOIN courses c ON c.id = l.course_id
WHERE l.id = $1 AND l.org_id = $2

-- name: progress_upsert
-- $1 user, $2 org, $3 lesson, $4 course, $5 percent (or null),
-- $6 last position (or null).  The percentage never goes down.
INSERT INTO lesson_progress (user_id, org_id, lesson_id, course_id, status,
	progress_percent, last_position)
VALUES ($1, $2, $3, $4, 'in_progress', coalesce($5::numeric, 0), $6::jsonb)
ON CONFLICT (user_id, lesson_id) DO UPDATE SET
	progress_percent = CASE WHEN lesson_progress.status = 'completed' THEN 100
		ELSE greatest(lesson_progress.progress_percent,
			coalesce($5::numeric, 0)) END,
	last_position = coalesce($6::jsonb, lesson_progress.last_position),
	status = CASE WHEN lesson_progress.status = 'not_started'
		THEN 'in_progress' ELSE lesson_progress.status END

-- name: progress_complete
-- $1 user, $2 org, $3 lesson, $4 course: completes the lesson; a row only
-- when this call completed it (so two completions at once count once).
INSERT INTO lesson_progress (user_id, org_id, lesson_id, course_id, status,
	progress_percent, completed_at)
VALUES ($1, $2, $3, $4, 'completed', 100, now())
ON CONFLICT (user_id, lesson_id) DO UPDATE SET status = 'completed',
	progress_percent = 100, completed_at = now()
	WHERE lesson_progress.status <> 'completed'
RETURNING 1

-- name: progress_get
SELECT json_build_object('lesson_id', lesson_id, 'status', status,
	'progress_percent', progress_percent,
	'time_spent_seconds', time_spent_seconds, 'last_position', last_position,
	'started_at', started_at, 'completed_at', completed_at)
FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2

-- name: sessions_mark_completion
UPDATE learning_sessions SET completion_achieved = true
WHERE user_id = $1 AND lesson_id = $2 AND ended_at IS NULL

-- name: session_open
-- $1 user, $2 lesson: an open session of the user on this lesson, used in
-- the last five minutes, to resume.
SELECT id FROM learning_sessions
WHERE user_id = $1 AND lesson_id = $2 AND ended_at IS NULL
	AND last_heartbeat_at > now() - interval '5 minutes'
ORDER BY last_heartbeat_at DESC
LIMIT 1

-- name: session_start
INSERT INTO learning_sessions (user_id, org_id, lesson_id)
VALUES ($1, $2, $3)
RETURNING id

-- name: session_get
SELECT json_build_object('id', id, 'lesson_id', lesson_id,
	'started_at', started_at, 'last_heartbeat_at', last_heartbeat_at,
	'ended_at', ended_at, 'seconds_counted', seconds_counted,
	'completion_achieved', completion_achieved)
FROM learning_sessions WHERE id = $1 AND user_id = $2

-- name: session_heartbeat
-- $1 session, $2 user, $3 most seconds to credit
SELECT study_heartbeat($1, $2, $3)

-- name: session_end
UPDATE learning_sessions SET ended_at = now()
WHERE id = $1 AND user_id = $2 AND ended_at IS NULL

-- name: sessions_close_stale
-- Lesson sessions without a heartbeat for five minutes end where they
-- stopped (a material's: sessions_close_stale_materials).
UPDATE learning_sessions SET ended_at = last_heartbeat_at
WHERE ended_at IS NULL AND last_heartbeat_at < now() - interval '5 minutes'
	AND study_material_id IS NULL

-- name: bookmark_put
-- $1 user, $2 org, $3 lesson, $4 note
INSERT INTO bookmarks (user_id, org_id, lesson_id, note)
VALUES ($1, $2, $3, $4)
ON CONFLICT (user_id, lesson_id) DO UPDATE SET note = $4
RETURNING json_build_object('lesson_id', lesson_id, 'note', note,
	'created_at', created_at, 'updated_at', updated_at)

-- name: bookmark_delete
DELETE FROM bookmarks WHERE user_id = $1 AND lesson_id = $2

-- name: bookmarks_list
-- $1 user, $2 cursor "<microseconds since 1970>.<lesson id>" (or null),
-- $3 limit: newest first.  The cursor carries the position itself, so it
-- still works when its bookmark is gone.  Lessons the user can no longer
-- open are left out.
WITH page AS (
	SELECT b.*, l.title, l.kind, l.course_id, c.title AS course_title
	FROM bookmarks b
	JOIN lessons l ON l.id = b.lesson_id
	JOIN courses c ON c.id = l.course_id
	WHERE b.user_id = $1 AND l.deleted_at IS NULL
		AND l.status = 'published' AND c.status = 'published'
		AND c.deleted_at IS NULL
		AND ($2::text IS NULL OR (b.created_at, b.lesson_id) <
			(timestamptz 'epoch' + split_part($2, '.', 1)::bigint
				* interval '1 microsecond',
			 split_part($2, '.', 2)::uuid))
	ORDER BY b.created_at DESC, b.lesson_id DESC
	LIMIT $3 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY created_at DESC, lesson_id DESC) AS n
	FROM page
)
SELECT json_build_object(
	'items', coalesce((SELECT json_agg(json_build_object(
		'lesson', json_build_object('id', lesson_id, 'title', title,
			'kind', kind),
		'course', json_build_object('id', course_id, 'title', course_title),
		'note', note, 'created_at', created_at) ORDER BY n)
		FROM numbered WHERE n <= $3), '[]'),
	'next', (SELECT ((extract(epoch FROM created_at - timestamptz 'epoch')
		* 1000000)::numeric(20, 0))::text || '.' || lesson_id
		FROM numbered WHERE n = $3
		AND EXISTS (SELECT 1 FROM numbered WHERE n = $3 + 1)))
