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

-- ---- Forums (migration 0031) ----------------------------------------------

-- name: forum_index
-- $1 user, $2 edit_all, $3 course (null: the organization's general
-- forum): the forum as I may see it, its categories (with threads new or
-- with unread replies in the last 30 days), and its latest threads; null
-- when it is not mine to read.
WITH cats AS (
	SELECT k.*, forum_role(k.id, $1, $2) AS role
	FROM forum_categories k
	WHERE k.course_id IS NOT DISTINCT FROM $3::uuid
), mine AS (
	SELECT * FROM cats WHERE role IS NOT NULL
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM mine) THEN jsonb_build_object(
	'course', (SELECT jsonb_build_object('id', c.id, 'title', c.title)
		FROM courses c WHERE c.id = $3::uuid),
	'role', (SELECT max(role) FROM mine),
	'categories', (SELECT jsonb_agg(jsonb_build_object('id', k.id,
			'name', k.name, 'description', k.description, 'kind', k.kind,
			'position', k.position, 'threads', k.threads,
			'last_activity_at', (SELECT t.last_activity_at
				FROM forum_posts t WHERE t.category_id = k.id
					AND t.deleted_at IS NULL
				ORDER BY t.last_activity_at DESC, t.id DESC LIMIT 1),
			'watching', EXISTS (SELECT 1 FROM forum_watches w
				WHERE w.user_id = $1 AND w.category_id = k.id),
			'unread', (SELECT count(*) FROM forum_posts t
				LEFT JOIN forum_reads d ON d.post_id = t.id AND d.user_id = $1
				WHERE t.category_id = k.id AND t.deleted_at IS NULL
					AND t.hidden_at IS NULL
					AND t.last_activity_at > now() - interval '30 days'
					AND (d.last_n IS NULL OR d.last_n < t.reply_seq)))
		ORDER BY k.position, k.name) FROM mine k),
	-- the ten latest of each category from its index, then of them all
	'latest', coalesce((SELECT jsonb_agg(x.j ORDER BY x.at DESC, x.id DESC)
		FROM (SELECT forum_thread_item(t, $1, k.role = 'staff') AS j,
				t.last_activity_at AS at, t.id
			FROM mine k CROSS JOIN LATERAL (SELECT t.* FROM forum_posts t
				WHERE t.category_id = k.id AND t.deleted_at IS NULL
					AND (t.hidden_at IS NULL OR k.role = 'staff'
						OR t.user_id = $1)
				ORDER BY t.last_activity_at DESC, t.id DESC LIMIT 10) t
			ORDER BY t.last_activity_at DESC, t.id DESC
			LIMIT 10) x), '[]')) END

-- name: forum_forums
-- $1 user, $2 edit_all: the forums I may read: the general one and those
-- of the courses I write or learn, with their threads and last activity.
SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
	'course_id', f.course_id, 'title', coalesce(c.title, 'General forum'),
	'role', f.role, 'threads', f.threads, 'last_activity_at', f.at)
	ORDER BY f.course_id IS NOT NULL, f.at DESC NULLS LAST, c.title), '[]'))
FROM (SELECT k.course_id, max(forum_role(k.id, $1, $2)) AS role,
		sum(k.threads)::integer AS threads,
		(SELECT max(t.last_activity_at) FROM forum_posts t
			JOIN forum_categories j ON j.id = t.category_id
			WHERE j.course_id IS NOT DISTINCT FROM k.course_id) AS at
	FROM forum_categories k
	WHERE (k.course_id IS NULL OR k.course_id IN (
		SELECT e.course_id FROM enrollments e WHERE e.user_id = $1
			AND e.status = 'active'
		UNION SELECT c.id FROM courses c WHERE c.owner_id = $1 OR $2
		UNION SELECT k2.course_id FROM course_collaborators k2
			WHERE k2.user_id = $1))
	GROUP BY k.course_id) f
LEFT JOIN courses c ON c.id = f.course_id
WHERE f.role IS NOT NULL

-- name: forum_threads
-- $1 user, $2 edit_all, $3 category, $4 after this thread (or null), $5
-- limit: a page of the category's threads, pinned first, then by last
-- activity; null when the category is not mine to read.
WITH k AS (
	SELECT k.*, forum_role(k.id, $1, $2) AS role FROM forum_categories k
	WHERE k.id = $3
), page AS (
	SELECT x.thread, row_number() OVER (ORDER BY x.pinned DESC, x.at DESC,
		x.id DESC) AS n
	FROM (SELECT t AS thread, t.pinned_at IS NOT NULL AS pinned,
			t.last_activity_at AS at, t.id
		-- the category's own id, not k's: the index gives the order
		FROM k JOIN forum_posts t ON t.category_id = $3
		WHERE k.role IS NOT NULL AND t.deleted_at IS NULL
			AND (t.hidden_at IS NULL OR k.role = 'staff' OR t.user_id = $1)
			AND ($4::uuid IS NULL OR (t.pinned_at IS NOT NULL,
				t.last_activity_at, t.id) < (SELECT c.pinned_at IS NOT NULL,
				c.last_activity_at, c.id FROM forum_posts c
				WHERE c.id = $4 AND c.category_id = $3))
		ORDER BY t.pinned_at IS NOT NULL DESC, t.last_activity_at DESC,
			t.id DESC
		LIMIT $5 + 1) x
)
SELECT CASE WHEN k.role IS NOT NULL THEN jsonb_build_object(
	'category', jsonb_build_object('id', k.id, 'name', k.name,
		'description', k.description, 'kind', k.kind,
		'course_id', k.course_id, 'threads', k.threads,
		'course_title', (SELECT c.title FROM courses c WHERE c.id = k.course_id),
		'watching', EXISTS (SELECT 1 FROM forum_watches w
			WHERE w.user_id = $1 AND w.category_id = k.id)),
	'role', k.role,
	'items', coalesce((SELECT jsonb_agg(forum_thread_item(p.thread, $1,
			k.role = 'staff') ORDER BY p.n)
		FROM page p WHERE p.n <= $5), '[]'),
	'next', (SELECT (p.thread).id FROM page p WHERE p.n = $5
		AND EXISTS (SELECT 1 FROM page WHERE n = $5 + 1))) END
FROM k

-- name: forum_thread
-- $1 user, $2 edit_all, $3 thread: the thread's first post, its category
-- and course, my role, my place in it and whether I watch it, and whether
-- its answers are hidden from me until I answer (a Q&A category); null
-- when it is not mine to see.
SELECT CASE WHEN x.role IS NOT NULL AND (t.deleted_at IS NULL
		OR x.role = 'staff' OR t.reply_seq > 0)
		AND (t.hidden_at IS NULL OR x.role = 'staff' OR t.user_id = $1)
	THEN jsonb_build_object(
	'thread', forum_post_json(t, $1, x.role = 'staff'),
	'category', jsonb_build_object('id', k.id, 'name', k.name, 'kind', k.kind,
		'course_id', k.course_id, 'course_title', c.title),
	'role', x.role,
	'watching', (SELECT w.watching FROM forum_watches w
		WHERE w.user_id = $1 AND w.post_id = t.id),
	'last_read', (SELECT d.last_n FROM forum_reads d
		WHERE d.user_id = $1 AND d.post_id = t.id),
	'answers_hidden', forum_answers_hidden(k, t.id, $1, x.role)) END
FROM forum_posts t
JOIN forum_categories k ON k.id = t.category_id
LEFT JOIN courses c ON c.id = k.course_id
CROSS JOIN LATERAL (SELECT forum_role(k.id, $1, $2) AS role) x
WHERE t.id = $3

-- name: forum_replies_page
-- $1 user, $2 edit_all, $3 thread, $4 order (tree: a depth-first walk;
-- time: oldest first; newest), $5 after this reply number (or null), $6
-- limit: a page of the thread's replies, each one index range however
-- long the thread (the scans name the thread by $3, not through x, so
-- that the planner walks the index from the key); null when the thread
-- is not mine to see.  A deleted or
-- hidden reply keeps its place, without its text.
WITH x AS (
	SELECT t.id, k.role, forum_answers_hidden(k.cat, t.id, $1, k.role) AS gated,
		t.accepted_reply_id
	FROM forum_posts t
	CROSS JOIN LATERAL (SELECT j AS cat, forum_role(j.id, $1, $2) AS role
		FROM forum_categories j WHERE j.id = t.category_id) k
	WHERE t.id = $3 AND k.role IS NOT NULL
		AND (t.hidden_at IS NULL OR k.role = 'staff' OR t.user_id = $1)
), page AS (
	SELECT r.reply, row_number() OVER (ORDER BY
		CASE WHEN $4 = 'tree' THEN r.path END,
		CASE WHEN $4 = 'newest' THEN -r.num ELSE r.num END) AS n
	FROM ((SELECT r AS reply, r.path, r.num FROM x, forum_replies r
		WHERE $4 = 'tree' AND r.post_id = $3
			AND (NOT x.gated OR r.user_id = $1)
			AND ($5::integer IS NULL OR r.path > (SELECT a.path
				FROM forum_replies a WHERE a.post_id = $3 AND a.num = $5))
		ORDER BY r.path LIMIT $6 + 1)
		UNION ALL
		(SELECT r, r.path, r.num FROM x, forum_replies r
		WHERE $4 = 'time' AND r.post_id = $3
			AND (NOT x.gated OR r.user_id = $1)
			AND r.num > coalesce($5::integer, 0)
		ORDER BY r.num LIMIT $6 + 1)
		UNION ALL
		(SELECT r, r.path, r.num FROM x, forum_replies r
		WHERE $4 = 'newest' AND r.post_id = $3
			AND (NOT x.gated OR r.user_id = $1)
			AND r.num < coalesce($5::integer, 2147483647)
		ORDER BY r.num DESC LIMIT $6 + 1)) r
)
SELECT jsonb_build_object('order', $4, 'answers_hidden', x.gated,
	'items', coalesce((SELECT jsonb_agg(forum_reply_json(p.reply, $1,
			x.role = 'staff', x.accepted_reply_id) ORDER BY p.n)
		FROM page p WHERE p.n <= $6), '[]'),
	'next', (SELECT (p.reply).num FROM page p WHERE p.n = $6
		AND EXISTS (SELECT 1 FROM page WHERE n = $6 + 1)))
FROM x

-- name: forum_thread_visible
-- $1 user, $2 edit_all, $3 thread: whether I may read the thread (and so
-- follow its new replies live).
SELECT EXISTS (SELECT 1 FROM forum_posts t
	JOIN forum_categories k ON k.id = t.category_id
	CROSS JOIN LATERAL (SELECT forum_role(k.id, $1, $2) AS role) x
	WHERE t.id = $3 AND x.role IS NOT NULL
		AND (t.hidden_at IS NULL OR x.role = 'staff' OR t.user_id = $1))

-- name: forum_reply_get
-- $1 user, $2 edit_all, $3 reply: the reply as I may see it (its thread
-- in post_id, its number in n); null when not mine to see.
SELECT CASE WHEN x.role IS NOT NULL
		AND (t.hidden_at IS NULL OR x.role = 'staff' OR t.user_id = $1)
		AND (NOT forum_answers_hidden(k, t.id, $1, x.role) OR r.user_id = $1)
	THEN forum_reply_json(r, $1, x.role = 'staff', t.accepted_reply_id) END
FROM forum_replies r
JOIN forum_posts t ON t.id = r.post_id
JOIN forum_categories k ON k.id = t.category_id
CROSS JOIN LATERAL (SELECT forum_role(k.id, $1, $2) AS role) x
WHERE r.id = $3

-- name: forum_revisions
-- $1 user, $2 edit_all, $3 'thread' or 'reply', $4 its id: what the post
-- said before each edit, newest first; null when not mine to see.
SELECT CASE WHEN l.role IS NOT NULL AND (NOT l.hidden OR l.role = 'staff'
		OR l.author = $1) AND (NOT l.deleted OR l.role = 'staff')
	THEN jsonb_build_object('items', coalesce((SELECT jsonb_agg(
			jsonb_build_object('version', v.version, 'title', v.title,
				'body', v.body, 'edited_by', (SELECT u.username FROM users u
					WHERE u.id = v.edited_by), 'replaced_at', v.created_at)
			ORDER BY v.version DESC)
		FROM forum_revisions v
		WHERE (v.post_id = $4 AND $3 = 'thread')
			OR (v.reply_id = $4 AND $3 = 'reply')), '[]')) END
FROM forum_locate($3, $4, $1, $2) l
WHERE $3 = 'thread' OR l.reply_id IS NOT NULL

-- The forum's rules (migration 0031), each answering a forum_result:
-- the status, the problem's type, the document (or the problem's text),
-- what to audit and the XP to award.

-- name: forum_do_thread_create
-- $1 org, $2 user, $3 edit_all, $4 category, $5 title, $6 body, $7 its
-- HTML, $8 whether it has links or pictures.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_thread_create($1, $2, $3, $4, $5, $6, $7, $8) f

-- name: forum_do_reply_create
-- $1 org, $2 user, $3 edit_all, $4 thread, $5 parent reply (or null), $6
-- body, $7 its HTML, $8 whether it has links or pictures.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_reply_create($1, $2, $3, $4, $5, $6, $7, $8) f

-- name: forum_do_edit
-- $1 org, $2 user, $3 edit_all, $4 'thread' or 'reply', $5 its id, $6
-- title (or null), $7 body (or null), $8 its HTML, $9 links or pictures,
-- $10 the version read (0: any).
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_edit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) f

-- name: forum_do_delete
-- $1 user, $2 edit_all, $3 'thread' or 'reply', $4 its id.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_delete($1, $2, $3, $4) f

-- name: forum_do_like
-- $1 org, $2 user, $3 edit_all, $4 'thread' or 'reply', $5 its id, $6
-- true to like, false to take it back.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_like($1, $2, $3, $4, $5, $6) f

-- name: forum_do_accept
-- $1 org, $2 user, $3 edit_all, $4 thread, $5 the answer (null: none).
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_accept($1, $2, $3, $4, $5) f

-- name: forum_do_watch
-- $1 org, $2 user, $3 edit_all, $4 'thread' or 'category', $5 its id, $6
-- watching (true), muted (false) or neither (null).
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_watch($1, $2, $3, $4, $5, $6) f

-- name: forum_do_read
-- $1 org, $2 user, $3 edit_all, $4 thread, $5 read up to this reply.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_read($1, $2, $3, $4, $5) f

-- name: forum_do_flag
-- $1 org, $2 user, $3 edit_all, $4 'thread' or 'reply', $5 its id, $6
-- reason, $7 note.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_flag($1, $2, $3, $4, $5, $6, $7) f

-- name: forum_do_moderate
-- $1 user, $2 edit_all, $3 'thread' or 'reply', $4 its id, $5 action, $6
-- reason (hide), $7 category (move).
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_moderate($1, $2, $3, $4, $5, $6, $7) f

-- name: forum_do_flag_resolve
-- $1 user, $2 edit_all, $3 flag, $4 'agree' or 'dismiss'.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM forum_flag_resolve($1, $2, $3, $4) f

-- name: forum_flags_queue
-- $1 user, $2 edit_all, $3 status (open, agreed, dismissed), $4 limit:
-- the moderation queue: the flagged posts in the forums I moderate, the
-- oldest flag first, with their flags.  My categories are found first
-- (once each), then their flags.
WITH mine AS MATERIALIZED (
	SELECT k.id, k.name, k.course_id FROM forum_categories k
	WHERE forum_role(k.id, $1, $2) = 'staff'
), f AS (
	SELECT g.*, p.id AS thread, m.id AS category_id
	FROM forum_flags g
	LEFT JOIN forum_replies r ON r.id = g.reply_id
	JOIN forum_posts p ON p.id = coalesce(g.post_id, r.post_id)
	JOIN mine m ON m.id = p.category_id
	WHERE g.status = $3
), t AS (
	SELECT f.post_id, f.reply_id, f.thread, f.category_id,
		min(f.created_at) AS first,
		jsonb_agg(jsonb_build_object('id', f.id, 'reason', f.reason,
			'note', f.note, 'by', (SELECT u.username FROM users u
				WHERE u.id = f.user_id), 'created_at', f.created_at,
			'resolved_at', f.resolved_at) ORDER BY f.created_at) AS flags,
		(array_agg(f.id ORDER BY f.created_at))[1] AS flag_id
	FROM f
	GROUP BY f.post_id, f.reply_id, f.thread, f.category_id
	ORDER BY first
	LIMIT $4
)
SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
	'flag_id', t.flag_id,
	'kind', CASE WHEN t.reply_id IS NULL THEN 'thread' ELSE 'reply' END,
	'post_id', t.thread, 'reply_id', t.reply_id, 'n', r.num,
	'title', p.title, 'category', m.name, 'course_id', m.course_id,
	'body', coalesce(r.body, p.body),
	'author', forum_user_json(coalesce(r.user_id, p.user_id)),
	'hidden', coalesce(r.hidden_at, p.hidden_at) IS NOT NULL,
	'hidden_reason', coalesce(r.hidden_reason, p.hidden_reason),
	'flags', t.flags) ORDER BY t.first), '[]'))
FROM t
JOIN forum_posts p ON p.id = t.thread
JOIN mine m ON m.id = t.category_id
LEFT JOIN forum_replies r ON r.id = t.reply_id

-- name: forum_member
-- $1 user: my standing in the forums: my trust level, my numbers, what I
-- may do in a day, and what the next level asks.
SELECT jsonb_build_object('trust_level', coalesce(m.trust_level, 0),
	'set_by_staff', m.level_set_at IS NOT NULL,
	'numbers', jsonb_build_object('threads_entered',
		coalesce(m.threads_entered, 0), 'posts_read', coalesce(m.posts_read, 0),
		'days_visited', coalesce(m.days_visited, 0),
		'threads', coalesce(m.threads, 0), 'replies', coalesce(m.replies, 0),
		'likes_given', coalesce(m.likes_given, 0),
		'likes_received', coalesce(m.likes_received, 0),
		'accepted_answers', coalesce(m.accepted_answers, 0)),
	'limits', CASE coalesce(m.trust_level, 0)
		WHEN 0 THEN jsonb_build_object('posts_a_day', s.tl0_posts_a_day,
			'likes_a_day', s.tl0_likes_a_day, 'flags_a_day', s.tl0_flags_a_day,
			'links_and_pictures', false)
		WHEN 1 THEN jsonb_build_object('posts_a_day', s.tl1_posts_a_day,
			'likes_a_day', s.tl1_likes_a_day, 'flags_a_day', s.tl1_flags_a_day,
			'links_and_pictures', true)
		ELSE jsonb_build_object('posts_a_day', s.posts_a_day,
			'likes_a_day', s.likes_a_day, 'flags_a_day', s.flags_a_day,
			'links_and_pictures', true) END,
	'next_level', CASE coalesce(m.trust_level, 0)
		WHEN 0 THEN jsonb_build_object('threads_entered',
			s.tl1_threads_entered, 'posts_read', s.tl1_posts_read)
		WHEN 1 THEN jsonb_build_object('days_visited', s.tl2_days_visited,
			'posts_read', s.tl2_posts_read, 'likes_given', s.tl2_likes_given,
			'likes_received', s.tl2_likes_received, 'replies', s.tl2_replies)
		WHEN 2 THEN jsonb_build_object('days_visited', s.tl3_days_visited,
			'posts_read', s.tl3_posts_read, 'likes_given', s.tl3_likes_given,
			'likes_received', s.tl3_likes_received, 'replies', s.tl3_replies)
		END)
FROM users u
LEFT JOIN forum_members m ON m.user_id = u.id
LEFT JOIN forum_settings s ON s.org_id = u.org_id
WHERE u.id = $1

-- name: forum_trust_set
-- $1 org, $2 member, $3 level (null: earned again), $4 staff: a member's
-- trust level as staff set it; the level before and after, or no row for
-- no such member.
WITH u AS (
	SELECT u.id, (SELECT m.trust_level FROM forum_members m
		WHERE m.user_id = u.id) AS before
	FROM users u WHERE u.id = $2 AND u.org_id = $1
), up AS (
	INSERT INTO forum_members AS f (user_id, org_id, trust_level,
		level_set_by, level_set_at)
	SELECT u.id, $1, coalesce($3::smallint, 0),
		CASE WHEN $3::smallint IS NOT NULL THEN $4::uuid END,
		CASE WHEN $3::smallint IS NOT NULL THEN now() END
	FROM u
	ON CONFLICT (user_id) DO UPDATE SET trust_level = excluded.trust_level,
		level_set_by = excluded.level_set_by,
		level_set_at = excluded.level_set_at
	RETURNING f.trust_level
)
SELECT coalesce(u.before, 0), up.trust_level FROM u, up

-- name: forum_settings_get
-- The organization's forum rules (org_id from the transaction).
SELECT to_jsonb(s) - 'org_id' FROM forum_settings s WHERE s.org_id = ludus_org()

-- name: forum_settings_put
-- $1 the rules to change, as a JSON object of integers: the rules after,
-- and before (for the audit trail).
WITH old AS (
	SELECT s AS row, s.org_id FROM forum_settings s
	WHERE s.org_id = ludus_org() FOR UPDATE
)
UPDATE forum_settings s SET (flags_to_hide, tl1_threads_entered,
	tl1_posts_read, tl2_days_visited, tl2_posts_read, tl2_likes_given,
	tl2_likes_received, tl2_replies, tl3_days_visited, tl3_posts_read,
	tl3_likes_given, tl3_likes_received, tl3_replies, tl0_posts_a_day,
	tl0_likes_a_day, tl0_flags_a_day, tl1_posts_a_day, tl1_likes_a_day,
	tl1_flags_a_day, posts_a_day, likes_a_day, flags_a_day) = (
	SELECT n.flags_to_hide, n.tl1_threads_entered, n.tl1_posts_read,
		n.tl2_days_visited, n.tl2_posts_read, n.tl2_likes_given,
		n.tl2_likes_received, n.tl2_replies, n.tl3_days_visited,
		n.tl3_posts_read, n.tl3_likes_given, n.tl3_likes_received,
		n.tl3_replies, n.tl0_posts_a_day, n.tl0_likes_a_day,
		n.tl0_flags_a_day, n.tl1_posts_a_day, n.tl1_likes_a_day,
		n.tl1_flags_a_day, n.posts_a_day, n.likes_a_day, n.flags_a_day
	FROM jsonb_populate_record(old.row, $1::jsonb) n)
FROM old
WHERE s.org_id = old.org_id
RETURNING to_jsonb(s) - 'org_id', to_jsonb(old.row) - 'org_id'

-- name: forum_category_put
-- $1 org, $2 user, $3 edit_all, $4 category (null: a new one), $5 course
-- (null: the general forum; for a new one), $6 name, $7 description, $8
-- kind, $9 position: the category made or changed, if I moderate its
-- forum; no row otherwise.
WITH may AS (
	SELECT CASE WHEN $4::uuid IS NOT NULL THEN
			forum_role($4::uuid, $2, $3) = 'staff'
		WHEN $5::uuid IS NULL THEN $3
		ELSE course_member_role($5::uuid, $2, $3) = 'author' END AS ok
), made AS (
	INSERT INTO forum_categories (org_id, course_id, name, description, kind,
		position)
	SELECT $1, $5, btrim($6), coalesce($7, ''), coalesce($8, 'discussion'),
		coalesce($9::integer, 0)
	FROM may WHERE may.ok AND $4::uuid IS NULL
	RETURNING *
), changed AS (
	UPDATE forum_categories k SET name = coalesce(btrim($6), k.name),
		description = coalesce($7, k.description),
		kind = coalesce($8, k.kind), position = coalesce($9::integer, k.position)
	FROM may WHERE may.ok AND k.id = $4::uuid
	RETURNING k.*
)
SELECT jsonb_build_object('id', k.id, 'course_id', k.course_id, 'name', k.name,
	'description', k.description, 'kind', k.kind, 'position', k.position,
	'threads', k.threads), k.id IS NOT NULL AND $4::uuid IS NULL, k.id
FROM (SELECT * FROM made UNION ALL SELECT * FROM changed) k

-- name: forum_category_delete
-- $1 user, $2 edit_all, $3 category: deleted with its threads, if I
-- moderate its forum and it is not the forum's last category: its name,
-- course and threads, or no row.
DELETE FROM forum_categories k
WHERE k.id = $3 AND forum_role(k.id, $1, $2) = 'staff'
	AND EXISTS (SELECT 1 FROM forum_categories j WHERE j.id <> k.id
		AND j.course_id IS NOT DISTINCT FROM k.course_id)
RETURNING k.name, k.course_id, k.threads

-- name: forum_category_role
-- $1 user, $2 edit_all, $3 category (or null), $4 course (for a new
-- category; null with no category: the general forum): my role in that
-- forum, 'staff', 'member' or null.
SELECT CASE
	WHEN $3::uuid IS NOT NULL THEN forum_role($3::uuid, $1, $2)
	WHEN $4::uuid IS NULL THEN CASE WHEN $2 THEN 'staff' ELSE 'member' END
	ELSE CASE course_member_role($4::uuid, $1, $2) WHEN 'author' THEN 'staff'
		WHEN 'learner' THEN 'member' END END

-- name: forum_search
-- $1 user, $2 edit_all, $3 the text, $4 course (or null), $5 limit.
SELECT forum_search($1, $2, $3, $4, $5)

-- name: forum_digest
-- For the organization db is set to: one mail to each member with forum
-- notifications unread for an hour or more and no digest for a day,
-- listing them (at most 20); the number of mails queued.
WITH due AS (
	SELECT u.id, u.org_id, u.email, p.display_name,
		array_agg(n.title || ': ' || n.body ORDER BY n.created_at DESC)
			AS lines
	FROM notifications n
	JOIN users u ON u.id = n.user_id
	LEFT JOIN user_profiles p ON p.user_id = u.id
	LEFT JOIN forum_members m ON m.user_id = u.id
	WHERE n.kind IN ('forum_reply', 'forum_mention', 'forum_accepted')
		AND n.read_at IS NULL AND n.created_at < now() - interval '1 hour'
		AND n.created_at > coalesce(m.digested_at, now() - interval '7 days')
		AND (m.digested_at IS NULL OR m.digested_at < now() - interval '1 day')
		AND u.deleted_at IS NULL AND u.email IS NOT NULL
		AND n.org_id = ludus_org()
	GROUP BY u.id, u.org_id, u.email, p.display_name
), mailed AS (
	INSERT INTO mail_outbox (org_id, user_id, to_address, subject, body_text)
	SELECT d.org_id, d.id, d.email, 'New in your Ludus forums',
		left('Hello ' || coalesce(d.display_name, 'there') || E',\n\n'
		|| 'Since your last visit:' || E'\n\n- '
		|| array_to_string(d.lines[1:20], E'\n- ')
		|| CASE WHEN cardinality(d.lines) > 20 THEN E'\n- and '
			|| (cardinality(d.lines) - 20) || ' more' ELSE '' END
		|| E'\n\nOpen Ludus to read them.\n', 20000)
	FROM due d
	RETURNING user_id
), marked AS (
	INSERT INTO forum_members AS m (user_id, org_id, digested_at)
	SELECT d.id, d.org_id, now() FROM due d
	ON CONFLICT (user_id) DO UPDATE SET digested_at = now()
	RETURNING 1
)
SELECT (SELECT count(*) FROM mailed) + 0 * (SELECT count(*) FROM marked)

-- ---- Direct messages (migration 0034) -------------------------------------

-- name: msg_conversations
-- $1 user, $2 after this conversation (or null), $3 limit: the
-- conversations I am in, the latest activity first.
WITH mine AS (
	SELECT c, coalesce(c.last_message_at, c.created_at) AS at
	FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
	WHERE m.user_id = $1 AND m.left_at IS NULL
), page AS (
	SELECT x.c, row_number() OVER (ORDER BY x.at DESC, (x.c).id DESC) AS n
	FROM (SELECT * FROM mine
		WHERE $2::uuid IS NULL OR (at, (c).id) < (SELECT m2.at, (m2.c).id
			FROM mine m2 WHERE (m2.c).id = $2)
		ORDER BY at DESC, (c).id DESC LIMIT $3 + 1) x
)
SELECT jsonb_build_object('items', coalesce((SELECT jsonb_agg(
		conversation_json(p.c, $1) ORDER BY p.n) FROM page p
		WHERE p.n <= $3), '[]'),
	'next', (SELECT (p.c).id FROM page p WHERE p.n = $3
		AND EXISTS (SELECT 1 FROM page WHERE n = $3 + 1)))

-- name: msg_unread
-- $1 user: how many messages wait for me, in how many conversations.
SELECT jsonb_build_object('unread', count(*), 'conversations',
	count(DISTINCT x.conversation_id))
FROM conversation_members m
JOIN messages x ON x.conversation_id = m.conversation_id
	AND x.created_at >= m.joined_at
	AND x.created_at > coalesce(m.read_at, '-infinity')
WHERE m.user_id = $1 AND m.left_at IS NULL
	AND x.sender_id IS DISTINCT FROM $1 AND x.deleted_at IS NULL
	AND x.removed_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM user_blocks k
		WHERE k.blocker_id = $1 AND k.blocked_id = x.sender_id)

-- name: msg_conversation
-- $1 conversation, $2 user: the conversation, if I am (or was) in it.
SELECT conversation_json(c, $2) FROM conversations c
JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = $2
WHERE c.id = $1

-- name: msg_page
-- $1 conversation, $2 user, $3 before this message (or null), $4 limit:
-- a page of its messages, newest first, from when I joined (until I
-- left); a blocked member's left out.  Null when I am not in it.
WITH me AS (
	SELECT m.joined_at, m.left_at FROM conversation_members m
	WHERE m.conversation_id = $1 AND m.user_id = $2
), page AS (
	SELECT y.x, row_number() OVER (ORDER BY y.at DESC, y.id DESC) AS n
	FROM (SELECT x, x.created_at AS at, x.id FROM messages x, me
		WHERE x.conversation_id = $1 AND x.created_at >= me.joined_at
			AND (me.left_at IS NULL OR x.created_at <= me.left_at)
			AND NOT EXISTS (SELECT 1 FROM user_blocks k
				WHERE k.blocker_id = $2 AND k.blocked_id = x.sender_id)
			AND ($3::uuid IS NULL OR (x.created_at, x.id) < (SELECT b.created_at,
				b.id FROM messages b WHERE b.id = $3
					AND b.conversation_id = $1))
		ORDER BY x.created_at DESC, x.id DESC LIMIT $4 + 1) y
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM me) THEN jsonb_build_object(
	'items', coalesce((SELECT jsonb_agg(message_json(p.x, $2) ORDER BY p.n)
		FROM page p WHERE p.n <= $4), '[]'),
	'next', (SELECT (p.x).id FROM page p WHERE p.n = $4
		AND EXISTS (SELECT 1 FROM page WHERE n = $4 + 1))) END

-- name: msg_start
-- $1 org, $2 user, $3 the others (a uuid array), $4 title, $5 body.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM conversation_start($1, $2, $3::uuid[], $4, $5) f

-- name: msg_send
-- $1 org, $2 user, $3 conversation, $4 body.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM message_send($1, $2, $3, $4) f

-- name: msg_report
-- $1 org, $2 user, $3 message, $4 reason, $5 note.
SELECT f.status, f.problem, f.body #>> '{}', f.audit, f.xp
FROM message_report($1, $2, $3, $4, $5) f

-- name: msg_read
-- $1 conversation, $2 user: read up to now.
UPDATE conversation_members SET read_at = now()
WHERE conversation_id = $1 AND user_id = $2
RETURNING read_at

-- name: msg_leave
-- $1 conversation, $2 user: I leave a group I am in (no row: none such,
-- or not a group).
UPDATE conversation_members m SET left_at = now()
FROM conversations c
WHERE m.conversation_id = $1 AND m.user_id = $2 AND m.left_at IS NULL
	AND c.id = m.conversation_id AND c.is_group
RETURNING m.left_at

-- name: msg_delete
-- $1 message, $2 user: my message deleted (its place stays).
UPDATE messages SET deleted_at = now()
WHERE id = $1 AND sender_id = $2 AND deleted_at IS NULL
RETURNING id

-- name: msg_blocks
-- $1 user: the members I blocked.
SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
	'id', u.id, 'username', u.username, 'blocked_at', k.created_at)
	ORDER BY k.created_at DESC), '[]'))
FROM user_blocks k JOIN users u ON u.id = k.blocked_id
WHERE k.blocker_id = $1

-- name: msg_block
-- $1 org, $2 user, $3 whom: blocked (again is fine); no row: no such
-- member of my organization.
INSERT INTO user_blocks (blocker_id, blocked_id, org_id)
SELECT $2, u.id, $1 FROM users u WHERE u.id = $3 AND u.org_id = $1
	AND u.id <> $2
ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET created_at = user_blocks.created_at
RETURNING blocked_id

-- name: msg_unblock
-- $1 user, $2 whom.
DELETE FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2
RETURNING blocked_id

-- name: msg_contacts
-- $1 user, $2 text to find (username or name; null: any), $3 limit: who I
-- may write to.
SELECT jsonb_build_object('items', coalesce(jsonb_agg(x.j ORDER BY x.name),
	'[]'))
FROM (SELECT jsonb_build_object('id', u.id, 'username', u.username,
		'display_name', p.display_name,
		'staff', role_can(u.org_id, u.role, 'course.author')) AS j,
		u.username AS name
	FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
	WHERE u.org_id = (SELECT org_id FROM users WHERE id = $1)
		AND u.deleted_at IS NULL AND u.id <> $1
		AND ($2::text IS NULL OR strpos(lower(u.username), lower($2)) > 0
			OR strpos(lower(coalesce(p.display_name, '')), lower($2)) > 0)
		AND message_allowed($1, u.id)
	ORDER BY u.username LIMIT $3) x

-- name: msg_reports
-- $1 status (open, dismissed, removed), $2 limit: the organization's
-- reported messages, the oldest first, with the message and its sender.
SELECT jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object(
	'id', r.id, 'reason', r.reason, 'note', r.note, 'status', r.status,
	'created_at', r.created_at,
	'reporter', (SELECT u.username FROM users u WHERE u.id = r.reporter_id),
	'message', jsonb_build_object('id', x.id, 'body', x.body,
		'conversation_id', x.conversation_id, 'created_at', x.created_at,
		'removed', x.removed_at IS NOT NULL,
		'deleted', x.deleted_at IS NOT NULL,
		'sender', (SELECT u.username FROM users u WHERE u.id = x.sender_id)))
	ORDER BY r.created_at), '[]'))
FROM (SELECT * FROM message_reports WHERE status = $1
	ORDER BY created_at LIMIT $2) r
JOIN messages x ON x.id = r.message_id

-- name: msg_report_resolve
-- $1 report, $2 admin, $3 'dismiss' or 'remove': the reports of its
-- message settled (the message removed when so decided); the message and
-- its sender, or no row when the report is not open.
WITH r AS (
	SELECT * FROM message_reports WHERE id = $1 AND status = 'open'
), done AS (
	UPDATE message_reports m SET status = CASE $3 WHEN 'remove'
			THEN 'removed' ELSE 'dismissed' END,
		resolved_by = $2, resolved_at = now()
	FROM r WHERE m.message_id = r.message_id AND m.status = 'open'
	RETURNING m.id
), gone AS (
	UPDATE messages x SET removed_at = now()
	FROM r WHERE x.id = r.message_id AND $3 = 'remove'
	RETURNING x.id
)
SELECT r.message_id, (SELECT sender_id FROM messages WHERE id = r.message_id),
	(SELECT count(*) FROM done)
FROM r
