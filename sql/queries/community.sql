-- Community: course reviews and their upvotes (migration 0029).

-- name: reviews_list
-- $1 course, $2 user, $3 edit_all, $4 sort (helpful, newest, highest,
-- lowest), $5 after this review (or null), $6 limit: my role on the
-- course, its rating, my own review, and a page of reviews; or null when
-- I may not see the course.  A hidden review is shown to its author and
-- to the course's authors only.
WITH me AS (
	SELECT course_member_role($1, $2, $3) AS role
), shown AS (
	SELECT f, CASE $4 WHEN 'helpful' THEN f.upvotes
		WHEN 'highest' THEN f.rating WHEN 'lowest' THEN -f.rating
		ELSE 0 END AS k
	FROM course_feedback f, me
	WHERE f.course_id = $1 AND me.role IS NOT NULL
		AND (f.hidden_at IS NULL OR f.user_id = $2 OR me.role = 'author')
), page AS (
	SELECT s.* FROM shown s
	WHERE $5::uuid IS NULL OR (s.k, (s.f).created_at, (s.f).id) <
		(SELECT c.k, (c.f).created_at, (c.f).id FROM shown c
		WHERE (c.f).id = $5)
	ORDER BY s.k DESC, (s.f).created_at DESC, (s.f).id DESC
	LIMIT $6 + 1
), numbered AS (
	SELECT p.*, row_number() OVER (ORDER BY p.k DESC,
		(p.f).created_at DESC, (p.f).id DESC) AS n
	FROM page p
)
SELECT CASE WHEN me.role IS NOT NULL THEN jsonb_build_object(
	'role', me.role,
	'rating', course_rating_json($1),
	'mine', (SELECT course_feedback_json(f, $2) FROM course_feedback f
		WHERE f.course_id = $1 AND f.user_id = $2),
	'items', coalesce((SELECT jsonb_agg(course_feedback_json(n.f, $2)
		ORDER BY n.n) FROM numbered n WHERE n.n <= $6), '[]'),
	'next', (SELECT (n.f).id FROM numbered n WHERE n.n = $6
		AND EXISTS (SELECT 1 FROM numbered WHERE n = $6 + 1))) END
FROM me

-- name: review_course_role
-- $1 course, $2 user, $3 edit_all: my role on the course for its reviews
-- (null: none), its owner and title, and my username.
SELECT course_member_role($1, $2, $3), c.owner_id, c.title,
	(SELECT u.username FROM users u WHERE u.id = $2)
FROM courses c WHERE c.id = $1

-- name: review_put
-- $1 org, $2 course, $3 user, $4 rating, $5 comment, $6 the version I
-- read (0: any): my review, made or changed; true when made.  No row: it
-- changed since I read it.
INSERT INTO course_feedback AS f (org_id, course_id, user_id, rating,
	comment)
VALUES ($1, $2, $3, $4::smallint, $5)
ON CONFLICT (course_id, user_id) DO UPDATE SET rating = excluded.rating,
	comment = excluded.comment, version = f.version + 1
	WHERE $6::integer = 0 OR f.version = $6::integer
RETURNING f.xmax = 0, course_feedback_json(f, $3), f.id

-- name: review_delete_mine
-- $1 course, $2 user: my review of the course, taken back.
DELETE FROM course_feedback WHERE course_id = $1 AND user_id = $2
RETURNING id

-- name: review_access
-- $1 review, $2 user, $3 edit_all: my role on its course (null: none),
-- whether it is mine, hidden, its author and course, locked for a change.
SELECT course_member_role(f.course_id, $2, $3), f.user_id = $2,
	f.hidden_at IS NOT NULL, f.user_id, f.course_id
FROM course_feedback f
WHERE f.id = $1
FOR UPDATE

-- name: review_upvote
-- $1 org, $2 review, $3 user: my upvote, once however often I ask.
INSERT INTO feedback_upvotes (org_id, feedback_id, user_id)
VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING

-- name: review_unvote
-- $1 review, $2 user: my upvote taken back.
DELETE FROM feedback_upvotes WHERE feedback_id = $1 AND user_id = $2

-- name: review_get
-- $1 review, $2 user: the review as I see it.
SELECT course_feedback_json(f, $2) FROM course_feedback f WHERE f.id = $1

-- name: review_respond
-- $1 review, $2 author, $3 the answer (null: taken back): the review.
UPDATE course_feedback AS f SET response = $3,
	responded_by = CASE WHEN $3::text IS NULL THEN NULL ELSE $2::uuid END,
	responded_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END
WHERE f.id = $1
RETURNING course_feedback_json(f, $2)

-- name: review_hide
-- $1 review, $2 user, $3 why (null: shown again): the review.
UPDATE course_feedback AS f SET hidden_reason = $3,
	hidden_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END
WHERE f.id = $1
RETURNING course_feedback_json(f, $2)

-- name: review_notify
-- $1 org, $2 whom, $3 kind, $4 title, $5 body, $6 course, $7 review: a
-- notification of a review (once per review and kind).
INSERT INTO notifications (org_id, user_id, kind, title, body, data,
	dedupe_key)
VALUES ($1, $2, $3, $4, $5, jsonb_build_object('course_id', $6::uuid,
	'review_id', $7::uuid), $3 || ':' || $7)
ON CONFLICT (user_id, dedupe_key) DO NOTHING
