-- Content: exams, courses, units, lessons, versions, learning paths.

-- name: exams_list
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', e.id, 'code', e.code, 'name', e.name, 'vendor', e.vendor,
	'exam_number', e.exam_number, 'max_questions', e.max_questions,
	'minutes', e.minutes, 'scale_min', e.scale_min, 'scale_max', e.scale_max,
	'passing_score', e.passing_score,
	'domains', (SELECT json_agg(json_build_object('id', d.id, 'code', d.code,
		'name', d.name, 'weight', d.weight) ORDER BY d.code)
		FROM exam_domains d WHERE d.exam_id = e.id))
	ORDER BY e.position, e.code), '[]'))
FROM exams e

-- name: exam_objectives
-- $1 exam id or code
SELECT json_build_object(
	'exam', json_build_object('id', e.id, 'code', e.code, 'name', e.name,
		'exam_number', e.exam_number),
	'domains', coalesce((SELECT json_agg(json_build_object(
		'id', d.id, 'code', d.code, 'name', d.name, 'weight', d.weight,
		'objectives', coalesce((SELECT json_agg(json_build_object(
			'id', o.id, 'code', o.code, 'title', o.title)
			ORDER BY string_to_array(o.code, '.')::int[])
			FROM exam_objectives o WHERE o.domain_id = d.id), '[]'))
		ORDER BY d.code) FROM exam_domains d WHERE d.exam_id = e.id), '[]'))
FROM exams e
WHERE e.code = $1 OR e.id::text = $1

-- name: course_access
-- $1 course, $2 org, $3 user, $4 role: the course's version, whether it
-- is deleted, and whether the user may edit it (admin, owner or editor,
-- 0033), locked for a change.
SELECT c.version, c.deleted_at IS NOT NULL,
	($4::boolean OR c.owner_id = $3 OR EXISTS (SELECT 1
		FROM course_collaborators k WHERE k.course_id = c.id
		AND k.user_id = $3 AND k.role = 'editor'))
FROM courses c
WHERE c.id = $1 AND c.org_id = $2
FOR UPDATE

-- name: course_insert
-- $1 org, $2 owner, $3 exam code (or null), $4 slug, $5 title, $6 summary,
-- $7 description, $8 difficulty, $9 language, $10 tags (text[] literal)
INSERT INTO courses (org_id, owner_id, exam_id, slug, title, summary,
	description, difficulty, language, tags)
VALUES ($1, $2, (SELECT id FROM exams WHERE code = $3), $4, $5, $6, $7,
	coalesce($8, 'beginner'), coalesce($9, 'en'), coalesce($10::text[], '{}'))
RETURNING id

-- name: exam_exists
SELECT EXISTS (SELECT 1 FROM exams WHERE code = $1)

-- name: course_update
-- $1 course, $2 org, then given/value pairs: exam code ($3, $4), slug
-- ($5, $6), title ($7, $8), summary ($9, $10), description ($11, $12),
-- difficulty ($13, $14), language ($15, $16), tags ($17, $18)
UPDATE courses SET
	exam_id = CASE WHEN $3 THEN (SELECT id FROM exams WHERE code = $4)
		ELSE exam_id END,
	slug = CASE WHEN $5 THEN $6 ELSE slug END,
	title = CASE WHEN $7 THEN $8 ELSE title END,
	summary = CASE WHEN $9 THEN $10 ELSE summary END,
	description = CASE WHEN $11 THEN $12 ELSE description END,
	difficulty = CASE WHEN $13 THEN $14 ELSE difficulty END,
	language = CASE WHEN $15 THEN $16 ELSE language END,
	tags = CASE WHEN $17 THEN $18::text[] ELSE tags END
WHERE id = $1 AND org_id = $2

-- name: course_touch
-- $1 course, $2 org: a new version (the trigger counts it), for changes
-- to its units.
UPDATE courses SET updated_at = now() WHERE id = $1 AND org_id = $2

-- name: course_set_status
-- $1 course, $2 org, $3 'draft' or 'published'
UPDATE courses SET status = $3,
	published_at = CASE WHEN $3 = 'published'
		THEN coalesce(published_at, now()) END
WHERE id = $1 AND org_id = $2

-- name: course_set_deleted
-- $1 course, $2 org, $3 deleted
UPDATE courses SET deleted_at = CASE WHEN $3 THEN now() END
WHERE id = $1 AND org_id = $2

-- name: course_get
-- $1 course, $2 org, $3 user, $4 role: the course with its outline and
-- the user's state in each lesson.  Without the right to edit, only a
-- published, undeleted course and its published lessons are visible.
WITH c AS (
	SELECT c.*, course_can_edit(c.id, $3, $4::boolean) AS can_edit,
		course_can_review(c.id, $3, $4::boolean) AS can_review
	FROM courses c WHERE c.id = $1 AND c.org_id = $2
), v AS (
	SELECT * FROM c WHERE can_review OR (status = 'published' AND deleted_at IS NULL)
), les AS (
	SELECT l.*, p.status AS my_status, p.progress_percent AS my_percent,
		EXISTS (SELECT 1 FROM lesson_prerequisites q
			JOIN lessons pl ON pl.id = q.prerequisite_id
				AND pl.deleted_at IS NULL AND pl.status = 'published'
			WHERE q.lesson_id = l.id AND NOT EXISTS (SELECT 1
				FROM lesson_progress pp WHERE pp.user_id = $3
				AND pp.lesson_id = q.prerequisite_id
				AND pp.status = 'completed')) AS locked
	FROM lessons l
	JOIN v ON v.id = l.course_id
	LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.user_id = $3
	WHERE l.deleted_at IS NULL AND (v.can_review OR l.status = 'published')
)
SELECT json_build_object(
	'id', v.id, 'slug', v.slug, 'title', v.title, 'summary', v.summary,
	'description', v.description, 'difficulty', v.difficulty,
	'language', v.language, 'tags', v.tags, 'status', v.status,
	'published_at', v.published_at, 'deleted_at', v.deleted_at,
	'version', v.version, 'can_edit', v.can_edit,
	'can_review', v.can_review,
	'exam', (SELECT json_build_object('id', e.id, 'code', e.code,
		'name', e.name) FROM exams e WHERE e.id = v.exam_id),
	'owner', (SELECT json_build_object('id', u.id, 'username', u.username)
		FROM users u WHERE u.id = v.owner_id),
	'collaborators', CASE WHEN v.can_review THEN (SELECT
		coalesce(json_agg(json_build_object('id', u.id, 'username',
			u.username, 'display_name', pr.display_name, 'role', k.role)
			ORDER BY k.added_at), '[]')
		FROM course_collaborators k JOIN users u ON u.id = k.user_id
		LEFT JOIN user_profiles pr ON pr.user_id = u.id
		WHERE k.course_id = v.id) END,
	'created_at', v.created_at, 'updated_at', v.updated_at,
	'rating', course_rating_json(v.id),
	'enrollment', (SELECT json_build_object('status', en.status,
		'progress_percent', en.progress_percent,
		'enrolled_at', en.enrolled_at, 'completed_at', en.completed_at)
		FROM enrollments en WHERE en.course_id = v.id AND en.user_id = $3),
	'units', coalesce((SELECT json_agg(json_build_object(
		'id', un.id, 'title', un.title, 'summary', un.summary,
		'position', un.position,
		'lessons', coalesce((SELECT json_agg(json_build_object(
			'id', les.id, 'title', les.title, 'kind', les.kind,
			'summary', les.summary, 'position', les.position,
			'estimated_minutes', les.estimated_minutes,
			'difficulty', les.difficulty,
			'objective_codes', les.objective_codes,
			'status', les.status,
			'state', CASE WHEN les.my_status = 'completed' THEN 'completed'
				WHEN les.locked THEN 'locked'
				WHEN les.my_status = 'in_progress' THEN 'in_progress'
				ELSE 'not_started' END,
			'progress_percent', coalesce(les.my_percent, 0))
			ORDER BY les.position, les.created_at)
			FROM les WHERE les.unit_id = un.id), '[]'))
		ORDER BY un.position, un.created_at)
		FROM units un WHERE un.course_id = v.id AND un.deleted_at IS NULL),
		'[]')), v.version
FROM v

-- name: courses_catalog
-- $1 org, $2 user, $3 role, $4 exam code, $5 domain code ("2.0"), $6 kind,
-- $7 difficulty, $8 tag, $9 language, $10 status (published, draft, all:
-- drafts only for those who may edit or review), $11 after course id,
-- $12 limit.
WITH page AS (
	SELECT c.*, course_can_review(c.id, $2, $3::boolean) AS can_review,
		course_can_edit(c.id, $2, $3::boolean) AS can_edit
	FROM courses c
	WHERE c.org_id = $1 AND c.deleted_at IS NULL
		AND ($4::text IS NULL OR c.exam_id = (SELECT id FROM exams WHERE code = $4))
		AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM lessons l
			WHERE l.course_id = c.id AND l.deleted_at IS NULL
			AND l.status = 'published'
			AND EXISTS (SELECT 1 FROM unnest(l.objective_codes) oc
				WHERE split_part(oc, '.', 1) = split_part($5, '.', 1))))
		AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM lessons l
			WHERE l.course_id = c.id AND l.deleted_at IS NULL
			AND l.status = 'published' AND l.kind = $6))
		AND ($7::text IS NULL OR c.difficulty = $7)
		AND ($8::text IS NULL OR c.tags @> ARRAY[$8])
		AND ($9::text IS NULL OR c.language = $9)
		AND ($11::uuid IS NULL OR (c.created_at, c.id) <
			(SELECT created_at, id FROM courses WHERE id = $11 AND org_id = $1))
), visible AS (
	SELECT * FROM page
	WHERE CASE coalesce($10, 'published')
		WHEN 'published' THEN status = 'published'
		WHEN 'draft' THEN status = 'draft' AND can_review
		ELSE status = 'published' OR can_review END
	ORDER BY created_at DESC, id DESC
	LIMIT $12 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n
	FROM visible
)
SELECT json_build_object(
	'items', coalesce((SELECT json_agg(json_build_object(
		'id', n.id, 'slug', n.slug, 'title', n.title, 'summary', n.summary,
		'difficulty', n.difficulty, 'language', n.language, 'tags', n.tags,
		'status', n.status, 'can_edit', n.can_edit,
		'can_review', n.can_review,
		'exam', (SELECT e.code FROM exams e WHERE e.id = n.exam_id),
		'lessons', (SELECT count(*) FROM lessons l WHERE l.course_id = n.id
			AND l.deleted_at IS NULL AND l.status = 'published'),
		'estimated_minutes', (SELECT coalesce(sum(l.estimated_minutes), 0)
			FROM lessons l WHERE l.course_id = n.id
			AND l.deleted_at IS NULL AND l.status = 'published'),
		'enrolled', EXISTS (SELECT 1 FROM enrollments en
			WHERE en.course_id = n.id AND en.user_id = $2
			AND en.status = 'active'),
		'progress_percent', (SELECT en.progress_percent FROM enrollments en
			WHERE en.course_id = n.id AND en.user_id = $2),
		'rating', course_rating_json(n.id),
		'created_at', n.created_at) ORDER BY n.n)
		FROM numbered n WHERE n.n <= $12), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $12
		AND EXISTS (SELECT 1 FROM numbered WHERE n = $12 + 1)))

-- name: collaborator_add
-- $1 course, $2 org, $3 user id, $4 added by, $5 role (editor, reviewer),
-- $6 username or email (when no user id): adds an instructor or admin of
-- the organization, or changes their role; the user's id (null: no such
-- person), whether they may collaborate, and their role before (null:
-- new).
WITH who AS (
	SELECT u.id, role_can(u.org_id, u.role, 'course.author') AS eligible
	FROM users u
	WHERE u.org_id = $2 AND u.deleted_at IS NULL
		AND (u.id = $3::uuid OR ($3::uuid IS NULL
			AND (lower(u.username) = lower($6) OR lower(u.email) = lower($6))))
	LIMIT 1
), before AS (
	SELECT k.role FROM course_collaborators k, who
	WHERE k.course_id = $1 AND k.user_id = who.id
), ins AS (
	INSERT INTO course_collaborators AS k (course_id, org_id, user_id,
		added_by, role)
	SELECT $1, $2, who.id, $4, $5 FROM who WHERE who.eligible
	ON CONFLICT (course_id, user_id) DO UPDATE SET role = excluded.role
)
SELECT (SELECT id FROM who), coalesce((SELECT eligible FROM who), false),
	(SELECT role FROM before)

-- name: collaborator_remove
DELETE FROM course_collaborators WHERE course_id = $1 AND user_id = $2

-- name: unit_insert
-- $1 org, $2 course, $3 title, $4 summary: at the end of the course.
INSERT INTO units (org_id, course_id, title, summary, position)
SELECT $1, $2, $3, $4, coalesce(max(position) + 1, 0)
FROM units WHERE course_id = $2 AND deleted_at IS NULL
RETURNING id

-- name: unit_course
-- $1 unit, $2 org: its course, if it is live.
SELECT course_id FROM units WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL

-- name: unit_update
-- $1 unit, $2 given title, $3 title, $4 given summary, $5 summary
UPDATE units SET title = CASE WHEN $2 THEN $3 ELSE title END,
	summary = CASE WHEN $4 THEN $5 ELSE summary END
WHERE id = $1

-- name: unit_delete
-- Soft-deletes the unit and its lessons.
WITH u AS (
	UPDATE units SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL
	RETURNING id
)
UPDATE lessons SET deleted_at = coalesce(deleted_at, now())
WHERE unit_id IN (SELECT id FROM u)

-- name: units_reorder
-- $1 course, $2 ids in their new order (uuid[] literal): the live units
-- of the course must all be named, each once.  Returns whether they were.
WITH want AS (
	SELECT id, ord - 1 AS position FROM unnest($2::uuid[]) WITH ORDINALITY AS t (id, ord)
), ok AS (
	SELECT (SELECT count(*) FROM want) = (SELECT count(DISTINCT id) FROM want)
		AND (SELECT array_agg(id ORDER BY id) FROM want) IS NOT DISTINCT FROM
			(SELECT array_agg(id ORDER BY id) FROM units
			 WHERE course_id = $1 AND deleted_at IS NULL) AS good
), upd AS (
	UPDATE units SET position = want.position FROM want, ok
	WHERE ok.good AND units.id = want.id AND units.course_id = $1
)
SELECT good FROM ok

-- name: lessons_reorder
-- $1 unit, $2 ids in their new order: the live lessons of the unit.
WITH want AS (
	SELECT id, ord - 1 AS position FROM unnest($2::uuid[]) WITH ORDINALITY AS t (id, ord)
), ok AS (
	SELECT (SELECT count(*) FROM want) = (SELECT count(DISTINCT id) FROM want)
		AND (SELECT array_agg(id ORDER BY id) FROM want) IS NOT DISTINCT FROM
			(SELECT array_agg(id ORDER BY id) FROM lessons
			 WHERE unit_id = $1 AND deleted_at IS NULL) AS good
), upd AS (
	UPDATE lessons SET position = want.position FROM want, ok
	WHERE ok.good AND lessons.id = want.id AND lessons.unit_id = $1
)
SELECT good FROM ok

-- name: lesson_access
-- $1 lesson, $2 org, $3 user, $4 role: its course, version, whether it is
-- deleted, and whether the user may edit it; locked for a change.
SELECT l.course_id, l.version, l.deleted_at IS NOT NULL,
	($4::boolean OR c.owner_id = $3 OR EXISTS (SELECT 1
		FROM course_collaborators k WHERE k.course_id = c.id
		AND k.user_id = $3 AND k.role = 'editor'))
FROM lessons l JOIN courses c ON c.id = l.course_id
WHERE l.id = $1 AND l.org_id = $2
FOR UPDATE OF l

-- name: lesson_insert
-- $1 org, $2 course, $3 unit, $4 kind, $5 title, $6 summary,
-- $7 estimated minutes, $8 difficulty, $9 objective codes, $10 content,
-- $11 content html, $12 language, $13 tags, $14 created by, $15 whether
-- the minutes are the author's: at the end of the unit.
INSERT INTO lessons (org_id, course_id, unit_id, kind, title, summary,
	position, estimated_minutes, difficulty, objective_codes, content,
	content_html, language, tags, created_by, minutes_by_author)
SELECT $1, $2, $3, coalesce($4, 'lesson'), $5, $6,
	(SELECT coalesce(max(position) + 1, 0) FROM lessons
	 WHERE unit_id = $3 AND deleted_at IS NULL),
	coalesce($7::integer, 10), coalesce($8, 'beginner'),
	coalesce($9::text[], '{}'), coalesce($10::jsonb, '{}'),
	coalesce($11, ''), coalesce($12, 'en'), coalesce($13::text[], '{}'), $14,
	$15::boolean
RETURNING id

-- name: lesson_update
-- $1 lesson, then given/value pairs: kind ($2, $3), title ($4, $5),
-- summary ($6, $7), estimated_minutes ($8, $9), difficulty ($10, $11),
-- objective_codes ($12, $13), content ($14, $15) with its html ($16),
-- language ($17, $18), tags ($19, $20), unit ($21, $22).  $8 is "true"
-- (the author's minutes), "reset" (the content's from now on), "auto"
-- (the new content's, unless the author gave a time) or "false"; the
-- content's count for the kinds that are read and watched only
-- (content_kind_is_read).
UPDATE lessons SET
	kind = CASE WHEN $2 THEN $3 ELSE kind END,
	title = CASE WHEN $4 THEN $5 ELSE title END,
	summary = CASE WHEN $6 THEN $7 ELSE summary END,
	estimated_minutes = CASE WHEN $8 = 'true' THEN $9::integer
		WHEN ($8 = 'reset' OR ($8 = 'auto' AND NOT minutes_by_author))
			AND CASE WHEN $2 THEN $3 ELSE kind END IN ('lesson', 'video',
				'study_guide')
			THEN coalesce($9::integer, estimated_minutes)
		ELSE estimated_minutes END,
	minutes_by_author = CASE WHEN $8 = 'true' THEN true
		WHEN $8 = 'reset' THEN false ELSE minutes_by_author END,
	difficulty = CASE WHEN $10 THEN $11 ELSE difficulty END,
	objective_codes = CASE WHEN $12 THEN $13::text[] ELSE objective_codes END,
	content = CASE WHEN $14 THEN $15::jsonb ELSE content END,
	content_html = CASE WHEN $14 THEN $16 ELSE content_html END,
	language = CASE WHEN $17 THEN $18 ELSE language END,
	tags = CASE WHEN $19 THEN $20::text[] ELSE tags END,
	unit_id = CASE WHEN $21 THEN $22::uuid ELSE unit_id END,
	position = CASE WHEN $21 AND $22::uuid IS DISTINCT FROM unit_id THEN
		(SELECT coalesce(max(position) + 1, 0) FROM lessons
		 WHERE unit_id = $22::uuid AND deleted_at IS NULL) ELSE position END
WHERE id = $1

-- name: lesson_set_status
UPDATE lessons SET status = $2,
	published_at = CASE WHEN $2 = 'published'
		THEN coalesce(published_at, now()) END
WHERE id = $1

-- name: lesson_set_deleted
UPDATE lessons SET deleted_at = CASE WHEN $2 THEN now() END WHERE id = $1

-- name: lesson_prerequisites_set
-- $1 lesson, $2 org, $3 prerequisite ids (uuid[] literal): replaces them;
-- each must be a lesson of the same course.  Returns how many were valid.
-- (The parts of one statement see the same snapshot: what stays is kept,
-- not deleted and inserted again.)
WITH valid AS (
	SELECT p.id FROM lessons p, lessons l
	WHERE l.id = $1 AND p.id = ANY ($3::uuid[]) AND p.course_id = l.course_id
		AND p.org_id = $2
), del AS (
	DELETE FROM lesson_prerequisites
	WHERE lesson_id = $1 AND NOT (prerequisite_id = ANY ($3::uuid[]))
), ins AS (
	INSERT INTO lesson_prerequisites (lesson_id, prerequisite_id, org_id)
	SELECT $1, id, $2 FROM valid
	ON CONFLICT DO NOTHING
)
SELECT count(*) FROM valid

-- name: lesson_get
-- $1 lesson, $2 org, $3 user, $4 role: the lesson, its content, my
-- progress and bookmark, and whether it is locked by prerequisites.
WITH l AS (
	SELECT l.*, course_can_edit(c.id, $3, $4::boolean) AS can_edit,
		course_can_review(c.id, $3, $4::boolean) AS can_review,
		c.status AS course_status,
		c.deleted_at AS course_deleted, c.title AS course_title
	FROM lessons l JOIN courses c ON c.id = l.course_id
	WHERE l.id = $1 AND l.org_id = $2
)
SELECT json_build_object(
	'id', l.id, 'course', json_build_object('id', l.course_id,
		'title', l.course_title), 'unit_id', l.unit_id,
	'kind', l.kind, 'title', l.title, 'summary', l.summary,
	'position', l.position, 'estimated_minutes', l.estimated_minutes,
	'difficulty', l.difficulty, 'objective_codes', l.objective_codes,
	'content', l.content, 'content_html', l.content_html,
	'status', l.status, 'published_at', l.published_at,
	'language', l.language, 'tags', l.tags, 'version', l.version,
	'can_edit', l.can_edit, 'can_review', l.can_review,
	'deleted_at', l.deleted_at,
	'created_at', l.created_at, 'updated_at', l.updated_at,
	'prerequisites', coalesce((SELECT json_agg(json_build_object(
		'id', p.id, 'title', p.title,
		'completed', coalesce(pp.status = 'completed', false))
		ORDER BY p.position) FROM lesson_prerequisites q
		JOIN lessons p ON p.id = q.prerequisite_id
		LEFT JOIN lesson_progress pp ON pp.lesson_id = p.id AND pp.user_id = $3
		WHERE q.lesson_id = l.id AND p.deleted_at IS NULL
			AND (l.can_review OR p.status = 'published')), '[]'),
	'locked', EXISTS (SELECT 1 FROM lesson_prerequisites q
		JOIN lessons p ON p.id = q.prerequisite_id AND p.deleted_at IS NULL
			AND p.status = 'published'
		WHERE q.lesson_id = l.id AND NOT EXISTS (SELECT 1
			FROM lesson_progress pp WHERE pp.user_id = $3
			AND pp.lesson_id = p.id AND pp.status = 'completed')),
	'progress', (SELECT json_build_object('status', p.status,
		'progress_percent', p.progress_percent,
		'time_spent_seconds', p.time_spent_seconds,
		'last_position', p.last_position, 'started_at', p.started_at,
		'completed_at', p.completed_at)
		FROM lesson_progress p WHERE p.lesson_id = l.id AND p.user_id = $3),
	'bookmark', (SELECT json_build_object('note', b.note,
		'created_at', b.created_at) FROM bookmarks b
		WHERE b.lesson_id = l.id AND b.user_id = $3),
	-- the learners whose suggested edits it took, credited (0030)
	'contributors', coalesce((SELECT json_agg(DISTINCT u.username)
		FROM suggested_edits s JOIN users u ON u.id = s.user_id
		WHERE s.lesson_id = l.id AND s.status = 'accepted'), '[]'),
	-- my suggestion waiting for the authors, if any
	'my_suggestion', (SELECT json_build_object('id', s.id,
		'created_at', s.created_at) FROM suggested_edits s
		WHERE s.lesson_id = l.id AND s.user_id = $3
			AND s.status = 'pending')),
	l.version
FROM l
WHERE l.can_review OR (l.status = 'published' AND l.deleted_at IS NULL
	AND l.course_status = 'published' AND l.course_deleted IS NULL)

-- name: lesson_versions_list
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'version', v.version, 'title', v.title, 'kind', v.kind,
	'saved_at', v.saved_at) ORDER BY v.version DESC), '[]'))
FROM lesson_versions v WHERE v.lesson_id = $1

-- name: lesson_version_restore
-- $1 lesson, $2 version: puts that version's fields back (which saves the
-- current ones as a new version).  Whether the version exists.
WITH v AS (SELECT * FROM lesson_versions WHERE lesson_id = $1 AND version = $2),
upd AS (
	UPDATE lessons l SET kind = v.kind, title = v.title, summary = v.summary,
		estimated_minutes = v.estimated_minutes, difficulty = v.difficulty,
		objective_codes = v.objective_codes, content = v.content,
		content_html = v.content_html, tags = v.tags, language = v.language
	FROM v WHERE l.id = v.lesson_id
)
SELECT EXISTS (SELECT 1 FROM v)

-- name: search
-- $1 user, $2 may see every draft (content.all), $3 query text, $4 limit:
-- published courses and lessons of the transaction's organization (and
-- drafts the user may edit), ranked by full-text match, with snippets; see
-- search_doc() (0019) for how, and why it is a function.
SELECT search_doc($1, $2::boolean, $3, $4::integer)

-- name: paths_list
-- $1 org, $2 user, $3 role: published paths, and drafts the user may edit.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', p.id, 'title', p.title, 'description', p.description,
	'status', p.status,
	'exam', (SELECT code FROM exams WHERE id = p.exam_id),
	'courses', (SELECT count(*) FROM learning_path_courses lc
		JOIN courses c ON c.id = lc.course_id
		WHERE lc.path_id = p.id AND c.deleted_at IS NULL
		AND c.status = 'published'),
	'can_edit', $3::boolean OR p.owner_id = $2)
	ORDER BY p.created_at DESC, p.id), '[]'))
FROM learning_paths p
WHERE p.org_id = $1 AND p.deleted_at IS NULL
	AND (p.status = 'published' OR $3::boolean OR p.owner_id = $2)

-- name: path_get
-- $1 path, $2 org, $3 user, $4 role: the path with its courses in order
-- (for learners: the published ones) and my progress in each.
WITH p AS (
	SELECT p.*, ($4::boolean OR p.owner_id = $3) AS can_edit
	FROM learning_paths p
	WHERE p.id = $1 AND p.org_id = $2 AND p.deleted_at IS NULL
)
SELECT json_build_object(
	'id', p.id, 'title', p.title, 'description', p.description,
	'status', p.status, 'can_edit', p.can_edit,
	'exam', (SELECT code FROM exams WHERE id = p.exam_id),
	'created_at', p.created_at, 'updated_at', p.updated_at,
	'courses', coalesce((SELECT json_agg(json_build_object(
		'id', c.id, 'title', c.title, 'summary', c.summary,
		'status', c.status, 'position', lc.position,
		'progress_percent', (SELECT e.progress_percent FROM enrollments e
			WHERE e.course_id = c.id AND e.user_id = $3))
		ORDER BY lc.position)
		FROM learning_path_courses lc JOIN courses c ON c.id = lc.course_id
		WHERE lc.path_id = p.id AND c.deleted_at IS NULL
			AND (p.can_edit OR c.status = 'published')), '[]'))
FROM p
WHERE p.can_edit OR p.status = 'published'

-- name: path_access
-- $1 path, $2 org, $3 user, $4 role: whether the user may change it.
SELECT $4::boolean OR owner_id = $3 FROM learning_paths
WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL
FOR UPDATE

-- name: path_insert
-- $1 org, $2 owner, $3 exam code, $4 title, $5 description, $6 status
INSERT INTO learning_paths (org_id, owner_id, exam_id, title, description,
	status)
VALUES ($1, $2, (SELECT id FROM exams WHERE code = $3), $4, $5,
	coalesce($6, 'draft'))
RETURNING id

-- name: path_update
-- $1 path, given/value: exam ($2, $3), title ($4, $5), description
-- ($6, $7), status ($8, $9)
UPDATE learning_paths SET
	exam_id = CASE WHEN $2 THEN (SELECT id FROM exams WHERE code = $3)
		ELSE exam_id END,
	title = CASE WHEN $4 THEN $5 ELSE title END,
	description = CASE WHEN $6 THEN $7 ELSE description END,
	status = CASE WHEN $8 THEN $9 ELSE status END
WHERE id = $1

-- name: path_delete
UPDATE learning_paths SET deleted_at = now() WHERE id = $1

-- name: path_set_courses
-- $1 path, $2 org, $3 course ids in order: replaces the list; each must be
-- a live course of the organization, once.  How many were valid.
WITH want AS (
	SELECT id, ord - 1 AS position
	FROM unnest($3::uuid[]) WITH ORDINALITY AS t (id, ord)
), valid AS (
	SELECT w.id, w.position FROM want w
	JOIN courses c ON c.id = w.id AND c.org_id = $2 AND c.deleted_at IS NULL
), del AS (
	DELETE FROM learning_path_courses
	WHERE path_id = $1 AND NOT (course_id = ANY ($3::uuid[]))
), ins AS (
	INSERT INTO learning_path_courses (path_id, course_id, org_id, position)
	SELECT DISTINCT ON (id) $1, id, $2, position FROM valid
	ORDER BY id, position
	ON CONFLICT (path_id, course_id) DO UPDATE SET position = EXCLUDED.position
)
SELECT (SELECT count(*) FROM valid) = (SELECT count(DISTINCT id) FROM want)
	AND (SELECT count(*) FROM want) = (SELECT count(DISTINCT id) FROM want)

-- ---- suggested edits (migration 0030) ----

-- name: suggestion_target
-- $1 lesson, $2 user, $3 edit_all: what a suggestion for the lesson needs
-- to know: its course, version and Markdown, my role on the course
-- (course_member_role), whether it is published and live, how many I
-- suggested in the last day, and the course's owner.
SELECT l.course_id, l.version, coalesce(l.content->>'markdown', ''),
	course_member_role(l.course_id, $2, $3),
	l.status = 'published' AND l.deleted_at IS NULL,
	(SELECT count(*) FROM suggested_edits s WHERE s.user_id = $2
		AND s.created_at > now() - interval '1 day'),
	c.owner_id, l.title
FROM lessons l JOIN courses c ON c.id = l.course_id
WHERE l.id = $1

-- name: suggestion_insert
-- $1 org, $2 lesson, $3 course, $4 user, $5 Markdown, $6 note, $7 the
-- lesson's version it was made against.
INSERT INTO suggested_edits AS s (org_id, lesson_id, course_id, user_id,
	payload, note, base_version)
VALUES ($1, $2, $3, $4, jsonb_build_object('markdown', $5::text), $6,
	$7::integer)
RETURNING suggested_edit_json(s), s.id

-- name: suggestions_list
-- $1 lesson, $2 user, $3 edit_all, $4 status (or null): the lesson's
-- suggestions, waiting ones first, for its course's authors; only mine for
-- anyone else; null when I may not see the lesson's course.
WITH me AS (
	SELECT course_member_role(l.course_id, $2, $3) AS role, l.version
	FROM lessons l WHERE l.id = $1
)
SELECT CASE WHEN me.role IS NOT NULL THEN jsonb_build_object(
	'role', me.role, 'lesson_version', me.version,
	'items', coalesce((SELECT jsonb_agg(suggested_edit_json(s)
			ORDER BY s.status <> 'pending', s.created_at DESC)
		FROM suggested_edits s
		WHERE s.lesson_id = $1 AND ($4::text IS NULL OR s.status = $4)
			AND (me.role = 'author' OR s.user_id = $2)), '[]')) END
FROM me

-- name: suggestion_get
-- $1 suggestion, $2 user, $3 edit_all: the suggestion with the lesson's
-- Markdown as it was at its base version and as it is now, and whether
-- its text changed since; for the course's authors and the proposer only.
SELECT suggested_edit_json(s) || jsonb_build_object(
	'base_markdown', coalesce((SELECT v.content->>'markdown'
		FROM lesson_versions v WHERE v.lesson_id = s.lesson_id
			AND v.version >= s.base_version
		ORDER BY v.version LIMIT 1), l.content->>'markdown', ''),
	'current_markdown', coalesce(l.content->>'markdown', ''),
	'lesson_version', l.version,
	'changed_since', EXISTS (SELECT 1 FROM lesson_versions v
		WHERE v.lesson_id = s.lesson_id AND v.version >= s.base_version),
	'role', course_member_role(s.course_id, $2, $3))
FROM suggested_edits s JOIN lessons l ON l.id = s.lesson_id
WHERE s.id = $1 AND (s.user_id = $2
	OR course_member_role(s.course_id, $2, $3) = 'author')

-- name: suggestion_lesson
-- $1 suggestion, $2 user, $3 edit_all: its lesson, for the course's authors
-- and the proposer only.
SELECT s.lesson_id
FROM suggested_edits s
WHERE s.id = $1 AND (s.user_id = $2
	OR course_member_role(s.course_id, $2, $3) = 'author')

-- name: suggestion_lock
-- $1 suggestion, $2 user, $3 edit_all: its lesson, status, proposer,
-- Markdown, whether the lesson's text changed since its base version, my
-- role on its course, the lesson's content, and the lesson's title;
-- locked for a decision.
SELECT s.lesson_id, s.status, s.user_id, s.payload->>'markdown',
	EXISTS (SELECT 1 FROM lesson_versions v WHERE v.lesson_id = s.lesson_id
		AND v.version >= s.base_version),
	course_member_role(s.course_id, $2, $3), l.content, l.title,
	s.course_id
FROM suggested_edits s JOIN lessons l ON l.id = s.lesson_id
WHERE s.id = $1
FOR UPDATE OF s

-- name: suggestion_decide
-- $1 suggestion, $2 accepted or rejected, $3 who, $4 why (rejected): the
-- suggestion, with the lesson's version it became when accepted.
UPDATE suggested_edits AS s SET status = $2, decided_by = $3,
	decided_at = now(), reason = $4,
	applied_version = CASE WHEN $2 = 'accepted' THEN (SELECT l.version
		FROM lessons l WHERE l.id = s.lesson_id) END
WHERE s.id = $1 AND s.status = 'pending'
RETURNING suggested_edit_json(s)

-- name: suggestion_withdraw
-- $1 suggestion, $2 user: my waiting suggestion, withdrawn.
UPDATE suggested_edits AS s SET status = 'withdrawn'
WHERE s.id = $1 AND s.user_id = $2 AND s.status = 'pending'
RETURNING suggested_edit_json(s)

-- name: suggestion_notify
-- $1 org, $2 whom, $3 kind, $4 title, $5 body, $6 course, $7 lesson, $8
-- suggestion: a notification of a suggestion (once per kind).
INSERT INTO notifications (org_id, user_id, kind, title, body, data,
	dedupe_key)
VALUES ($1, $2, $3, $4, $5, jsonb_build_object('course_id', $6::uuid,
	'lesson_id', $7::uuid, 'suggestion_id', $8::uuid), $3 || ':' || $8)
ON CONFLICT (user_id, dedupe_key) DO NOTHING
