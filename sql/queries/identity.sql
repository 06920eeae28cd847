-- Identity: sessions, accounts, tokens, mail, rate limits, audit.

-- name: auth_session
-- org: any
-- $1 token hash, $2 idle seconds.  The session and its user if both are
-- good; a session last used over a minute ago is pushed forward (sliding
-- expiry, written at most once a minute).  A temporary lock after failed
-- logins does not end sessions: it only stops new sign-ins, so that
-- guessing at someone's password cannot throw them out.  The push forward
-- commits without waiting for the WAL flush (synchronous_commit off for
-- the statement's own transaction: ludus runs it alone): a crash can lose
-- the pushes of its last second, which only leaves those sessions' idle
-- expiry where the push before had put it; in exchange, a request that
-- comes over a minute after its session's last one does not wait for a
-- disk flush before its real work (2 to 4 ms on the bench machine).  The
-- organization is not known yet: the function (0015) looks across them.
SELECT id, user_id, org_id, csrf_token, role, perms, leaderboards, messaging
FROM auth_session($1, $2)

-- name: session_create
-- $1 user, $2 org, $3 token hash, $4 csrf token, $5 idle seconds,
-- $6 lifetime seconds, $7 ip, $8 user agent
INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, expires_at,
	absolute_expires_at, ip, user_agent)
VALUES ($1, $2, $3, $4,
	least(now() + make_interval(secs => $5), now() + make_interval(secs => $6)),
	now() + make_interval(secs => $6), nullif($7, '')::inet, nullif($8, ''))
RETURNING id, to_char(expires_at AT TIME ZONE 'UTC',
	'YYYY-MM-DD"T"HH24:MI:SS"Z"'), to_char(absolute_expires_at AT TIME ZONE
	'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')

-- name: session_delete
-- $1 session, $2 user
DELETE FROM sessions WHERE id = $1 AND user_id = $2

-- name: sessions_delete_user
-- $1 user, $2 a session to keep (or null): ends the user's other sessions.
WITH d AS (
	DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2
	RETURNING 1
)
SELECT count(*) FROM d

-- name: sessions_list
-- $1 user, $2 the current session
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
		'id', id,
		'created_at', created_at,
		'last_seen_at', last_seen_at,
		'expires_at', expires_at,
		'ip', host(ip),
		'user_agent', user_agent,
		'current', id = $2)
	ORDER BY last_seen_at DESC, id), '[]'))
FROM sessions
WHERE user_id = $1 AND expires_at > now() AND absolute_expires_at > now()

-- name: rate_hit
-- org: any
-- $1 key, $2 window seconds: counts one more in the current window and
-- says how many there were and how long the window still runs.
INSERT INTO rate_limits AS r (key, window_start)
VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2))
ON CONFLICT (key, window_start) DO UPDATE SET count = r.count + 1
RETURNING count, greatest(1, ceil(extract(epoch FROM
	r.window_start + make_interval(secs => $2) - now())))::integer

-- name: rate_peek
-- org: any
-- $1 key, $2 window seconds: the count of the current window.
SELECT coalesce(max(count), 0), greatest(1, ceil(extract(epoch FROM
	to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)
	+ make_interval(secs => $2) - now())))::integer
FROM rate_limits
WHERE key = $1 AND window_start = to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)

-- name: org_for_registration
-- org: any
-- $1 slug or null (the default organization): it, whether it is open for
-- business, and its sign-up rules and defaults.
SELECT id, open, signup, signup_domains, default_timezone, default_language
FROM org_for_registration($1)

-- name: user_taken
-- org: any
-- $1 email, $2 username: whether each is taken already (anywhere).
SELECT email_taken, username_taken FROM user_taken($1, $2)

-- name: user_by_email
-- org: any
-- $1 email: the account it belongs to, if it can receive mail, with the
-- address as stored (mail goes there, not to the case the caller typed).
SELECT id, org_id, username, verified, email FROM user_by_email($1)

-- name: user_register
-- $1 org, $2 email, $3 username, $4 password hash, $5 first name,
-- $6 last name, $7 time zone, $8 role (null: student), $9 whether the
-- email is known to be theirs (an invitation went there): the account
-- with its profile, settings and streak row (seed 000's registration
-- flow).
WITH u AS (
	INSERT INTO users (org_id, email, username, password_hash, role,
		email_verified_at)
	VALUES ($1, $2, $3, $4, coalesce($8, (SELECT default_role FROM organizations
		WHERE id = $1)),
		CASE WHEN $9::boolean THEN now() END)
	RETURNING id, org_id
), p AS (
	INSERT INTO user_profiles (user_id, org_id, first_name, last_name,
		display_name, timezone)
	SELECT id, org_id, nullif($5, ''), nullif($6, ''),
		nullif(left(btrim(coalesce($5, '') || ' ' || coalesce($6, '')), 100),
			''),
		coalesce($7, 'UTC')
	FROM u
), s AS (
	INSERT INTO user_settings (user_id, org_id) SELECT id, org_id FROM u
), k AS (
	INSERT INTO learning_streaks (user_id, org_id) SELECT id, org_id FROM u
)
SELECT id FROM u

-- name: activity_insert
-- $1 org, $2 user, $3 event type, $4 entity type, $5 entity id, $6 data
INSERT INTO activity_events (org_id, user_id, event_type, entity_type,
	entity_id, data)
VALUES ($1, $2, $3, $4, $5, coalesce($6::jsonb, '{}'))

-- name: token_insert
-- $1 user, $2 org, $3 purpose, $4 token hash, $5 lifetime seconds.  Earlier
-- unused tokens of the same purpose stop working.
WITH old AS (
	UPDATE user_tokens SET used_at = now()
	WHERE user_id = $1 AND purpose = $3 AND used_at IS NULL
)
INSERT INTO user_tokens (user_id, org_id, purpose, token_hash, expires_at)
VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))

-- name: token_use
-- org: any
-- $1 token hash, $2 purpose: spends the token; its user, or no row.
SELECT id, org_id, username, email FROM token_use($1, $2)

-- name: token_valid
-- org: any
-- $1 token hash, $2 purpose: whether the token would be accepted now.
SELECT token_valid($1, $2)

-- name: user_mark_verified
UPDATE users SET email_verified_at = coalesce(email_verified_at, now())
WHERE id = $1

-- name: mail_enqueue
-- $1 org, $2 user (or null), $3 to, $4 subject, $5 body
INSERT INTO mail_outbox (org_id, user_id, to_address, subject, body_text)
VALUES ($1, $2, $3, $4, $5)

-- name: login_lookup
-- org: any
-- $1 email or username
SELECT id, org_id, password_hash, role, disabled, locked FROM login_lookup($1)

-- name: login_failed
-- $1 user, $2 threshold, $3 lock seconds: counts a failure; at the
-- threshold the account locks and the count starts again.
UPDATE users SET
	failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0
		ELSE failed_login_count + 1 END,
	locked_until = CASE WHEN failed_login_count + 1 >= $2
		THEN now() + make_interval(secs => $3) ELSE locked_until END
WHERE id = $1
RETURNING coalesce(locked_until > now(), false)

-- name: login_recheck
-- $1 user, $2 the hash the password was verified against: the account,
-- locked for the sign-in, if it still has that password and may sign in
-- (a reset, a lock or a deletion may have come in the meantime).
SELECT 1 FROM users
WHERE id = $1 AND password_hash = $2 AND is_active AND deleted_at IS NULL
	AND (locked_until IS NULL OR locked_until <= now())
FOR UPDATE

-- name: login_rehash
-- $1 user, $2 the hash verified, $3 the same password hashed anew
UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2

-- name: login_succeeded
UPDATE users SET failed_login_count = 0, locked_until = NULL,
	last_login_at = now()
WHERE id = $1

-- name: audit_insert
-- $1 org, $2 actor (or null), $3 action, $4 entity type, $5 entity id,
-- $6 old values, $7 new values, $8 ip, $9 user agent, $10 request id,
-- $11 success, $12 error message
INSERT INTO audit_events (org_id, actor_user_id, action, entity_type,
	entity_id, old_values, new_values, ip, user_agent, request_id, success,
	error_message)
VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, nullif($8, '')::inet,
	nullif($9, ''), $10, $11, $12)

-- name: org_default
-- org: any
SELECT org_default()

-- name: me_get
-- $1 user
SELECT json_build_object(
	'id', u.id,
	'email', u.email,
	'username', u.username,
	'role', u.role,
	'permissions', (SELECT coalesce(json_agg(rp.permission
			ORDER BY pm.position), '[]')
		FROM roles r JOIN role_permissions rp ON rp.role_id = r.id
		JOIN permissions pm ON pm.code = rp.permission
		WHERE r.org_id = u.org_id AND r.key = u.role),
	'email_verified', u.email_verified_at IS NOT NULL,
	'created_at', u.created_at,
	'last_login_at', u.last_login_at,
	'organization', json_build_object('id', o.id, 'slug', o.slug,
		'name', o.name),
	'profile', json_build_object(
		'first_name', p.first_name,
		'last_name', p.last_name,
		'display_name', p.display_name,
		'bio', p.bio,
		'avatar_url', p.avatar_url,
		'timezone', p.timezone,
		'locale', p.locale))
FROM users u
JOIN organizations o ON o.id = u.org_id
JOIN user_profiles p ON p.user_id = u.id
WHERE u.id = $1

-- name: profile_update
-- $1 user, then for each field a "given" flag and a value: first_name
-- ($2, $3), last_name ($4, $5), display_name ($6, $7), bio ($8, $9),
-- avatar_url ($10, $11), timezone ($12, $13), locale ($14, $15).
UPDATE user_profiles SET
	first_name = CASE WHEN $2 THEN $3 ELSE first_name END,
	last_name = CASE WHEN $4 THEN $5 ELSE last_name END,
	display_name = CASE WHEN $6 THEN $7 ELSE display_name END,
	bio = CASE WHEN $8 THEN $9 ELSE bio END,
	avatar_url = CASE WHEN $10 THEN $11 ELSE avatar_url END,
	timezone = CASE WHEN $12 THEN $13 ELSE timezone END,
	locale = CASE WHEN $14 THEN $15 ELSE locale END
WHERE user_id = $1

-- name: settings_get
-- $1 user
SELECT json_build_object(
	'theme', theme,
	'daily_goal_minutes', daily_goal_minutes,
	'email_notifications', email_notifications,
	'push_notifications', push_notifications,
	'sound_effects', sound_effects,
	'notification_prefs', notification_prefs,
	'leaderboard_visibility', leaderboard_visibility,
	'updated_at', updated_at)
FROM user_settings WHERE user_id = $1

-- name: settings_update
-- $1 user, then given/value pairs: theme ($2, $3), daily_goal_minutes
-- ($4, $5), email_notifications ($6, $7), push_notifications ($8, $9),
-- sound_effects ($10, $11), notification_prefs ($12, $13),
-- leaderboard_visibility ($14, $15).  Returns the
-- values before and after, for the audit trail.
WITH old AS (
	SELECT to_jsonb(s) - 'user_id' - 'org_id' - 'created_at' - 'updated_at'
		AS v
	FROM user_settings s WHERE user_id = $1 FOR UPDATE
), upd AS (
	UPDATE user_settings SET
		theme = CASE WHEN $2 THEN $3 ELSE theme END,
		daily_goal_minutes = CASE WHEN $4 THEN $5::integer
			ELSE daily_goal_minutes END,
		email_notifications = CASE WHEN $6 THEN $7::boolean
			ELSE email_notifications END,
		push_notifications = CASE WHEN $8 THEN $9::boolean
			ELSE push_notifications END,
		sound_effects = CASE WHEN $10 THEN $11::boolean
			ELSE sound_effects END,
		notification_prefs = CASE WHEN $12 THEN $13::jsonb
			ELSE notification_prefs END,
		leaderboard_visibility = CASE WHEN $14 THEN $15
			ELSE leaderboard_visibility END
	WHERE user_id = $1
	RETURNING to_jsonb(user_settings) - 'user_id' - 'org_id' - 'created_at'
		- 'updated_at' AS v
)
SELECT old.v::text, upd.v::text FROM old, upd

-- name: user_password_hash
-- $1 user
SELECT password_hash, username, email FROM users
WHERE id = $1 AND deleted_at IS NULL

-- name: user_set_password
-- $1 user, $2 new hash, $3 the hash it must still have (or null).  Reset
-- links still out stop working.
WITH u AS (
	UPDATE users SET password_hash = $2, password_changed_at = now(),
		failed_login_count = 0, locked_until = NULL
	WHERE id = $1 AND ($3::text IS NULL OR password_hash = $3)
	RETURNING id
), t AS (
	UPDATE user_tokens SET used_at = now()
	WHERE user_id IN (SELECT id FROM u) AND purpose = 'password_reset'
		AND used_at IS NULL
)
SELECT count(*) FROM u

-- name: user_soft_delete
-- $1 user, $2 org: marks the account deleted; whether it was live.
UPDATE users SET deleted_at = now()
WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL

-- name: me_export
-- $1 user: everything Ludus keeps about the account, as one document.
SELECT json_build_object(
	'exported_at', now(),
	'account', (SELECT json_build_object('id', id, 'email', email,
		'username', username, 'role', role, 'created_at', created_at,
		'email_verified_at', email_verified_at,
		'last_login_at', last_login_at,
		'password_changed_at', password_changed_at)
		FROM users WHERE id = $1),
	'profile', (SELECT to_jsonb(p) - 'user_id' - 'org_id'
		FROM user_profiles p WHERE user_id = $1),
	'settings', (SELECT to_jsonb(s) - 'user_id' - 'org_id'
		FROM user_settings s WHERE user_id = $1),
	'streak', (SELECT to_jsonb(k) - 'user_id' - 'org_id'
		FROM learning_streaks k WHERE user_id = $1),
	'sessions', (SELECT coalesce(json_agg(json_build_object('id', id,
		'created_at', created_at, 'last_seen_at', last_seen_at,
		'ip', host(ip), 'user_agent', user_agent) ORDER BY created_at), '[]')
		FROM sessions WHERE user_id = $1),
	'activity', (SELECT coalesce(json_agg(json_build_object(
		'event_type', event_type, 'entity_type', entity_type,
		'entity_id', entity_id, 'data', data, 'occurred_at', occurred_at)
		ORDER BY occurred_at), '[]')
		FROM activity_events WHERE user_id = $1),
	'audit', (SELECT coalesce(json_agg(json_build_object(
		'action', action, 'entity_type', entity_type,
		'entity_id', entity_id, 'old_values', old_values,
		'new_values', new_values,
		-- Where an admin acted on the account, not where they were.
		'ip', CASE WHEN actor_user_id = $1 THEN host(ip) END,
		'by_me', actor_user_id IS NOT DISTINCT FROM $1,
		'success', success, 'occurred_at', occurred_at)
		ORDER BY occurred_at), '[]')
		FROM audit_events
		WHERE actor_user_id = $1 OR (entity_type = 'user' AND entity_id = $1)),
	'enrollments', (SELECT coalesce(json_agg(to_jsonb(e) - 'user_id' - 'org_id'
		ORDER BY e.enrolled_at), '[]') FROM enrollments e WHERE e.user_id = $1),
	'lesson_progress', (SELECT coalesce(json_agg(to_jsonb(p) - 'user_id'
		- 'org_id' ORDER BY p.started_at), '[]')
		FROM lesson_progress p WHERE p.user_id = $1),
	'bookmarks', (SELECT coalesce(json_agg(to_jsonb(b) - 'user_id' - 'org_id'
		ORDER BY b.created_at), '[]') FROM bookmarks b WHERE b.user_id = $1),
	'attempts', (SELECT coalesce(json_agg((to_jsonb(t) - 'user_id' - 'org_id')
		|| jsonb_build_object('answers', (SELECT coalesce(jsonb_agg(
			jsonb_build_object('position', a.position,
				'question_id', a.question_id, 'stem', a.stem,
				'answer', a.answer, 'answered_at', a.answered_at,
				'flagged', a.flagged, 'credit', a.credit,
				'time_spent_seconds', a.time_spent_seconds)
			ORDER BY a.position), '[]')
			FROM attempt_answers a WHERE a.attempt_id = t.id
				AND a.started_at = t.started_at)) ORDER BY t.started_at), '[]')
		FROM attempts t WHERE t.user_id = $1),
	'learning_sessions', (SELECT coalesce(json_agg(to_jsonb(l) - 'user_id'
		- 'org_id' ORDER BY l.started_at), '[]')
		FROM learning_sessions l WHERE l.user_id = $1),
	'xp_events', (SELECT coalesce(json_agg(to_jsonb(x) - 'user_id' - 'org_id'
		ORDER BY x.occurred_at), '[]') FROM xp_events x WHERE x.user_id = $1),
	'activity_days', (SELECT coalesce(json_agg(to_jsonb(d) - 'user_id'
		- 'org_id' ORDER BY d.day), '[]')
		FROM activity_days d WHERE d.user_id = $1),
	'achievements', (SELECT coalesce(json_agg(json_build_object(
		'code', a.code, 'name', a.name, 'earned_at', ua.earned_at)
		ORDER BY ua.earned_at), '[]')
		FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id
		WHERE ua.user_id = $1),
	'avatars', (SELECT coalesce(json_agg(json_build_object(
		'code', v.code, 'name', v.name, 'unlocked_at', uv.unlocked_at)
		ORDER BY uv.unlocked_at), '[]')
		FROM user_avatars uv JOIN avatars v ON v.id = uv.avatar_id
		WHERE uv.user_id = $1),
	'goals', (SELECT coalesce(json_agg(to_jsonb(g) - 'user_id' - 'org_id'
		ORDER BY g.created_at), '[]') FROM study_goals g WHERE g.user_id = $1),
	'notifications', (SELECT coalesce(json_agg(to_jsonb(n) - 'user_id'
		- 'org_id' ORDER BY n.created_at), '[]')
		FROM notifications n WHERE n.user_id = $1),
	-- Flashcards: my own decks with their notes and the names of their
	-- media (the files themselves come with GET .../decks/{id}/export),
	-- my settings, my memory of each card and every review I made.
	'flashcards', json_build_object(
		'decks', (SELECT coalesce(json_agg(json_build_object('id', d.id,
				'title', d.title, 'description', d.description,
				'created_at', d.created_at, 'deleted_at', d.deleted_at,
				'notes', (SELECT coalesce(json_agg(json_build_object(
						'id', n.id, 'kind', n.kind, 'front', n.front,
						'back', n.back, 'tags', n.tags,
						'deleted_at', n.deleted_at) ORDER BY n.id), '[]')
					FROM flashcard_notes n WHERE n.set_id = d.id),
				'media', (SELECT coalesce(json_agg(flashcard_media_json(f)
						ORDER BY f.name), '[]')
					FROM flashcard_media f WHERE f.set_id = d.id))
				ORDER BY d.created_at), '[]')
			FROM flashcard_sets d WHERE d.owner_id = $1),
		'settings', (SELECT to_jsonb(s) - 'user_id' - 'org_id'
			FROM flashcard_settings s WHERE s.user_id = $1),
		'memory', (SELECT coalesce(json_agg(to_jsonb(p) - 'user_id'
				- 'org_id' ORDER BY p.card_id), '[]')
			FROM user_flashcard_progress p WHERE p.user_id = $1),
		'reviews', (SELECT coalesce(json_agg(json_build_object(
				'card_id', r.card_id, 'rating', r.rating,
				'reviewed_at', r.reviewed_at,
				'duration_ms', r.duration_ms,
				'undone_at', r.undone_at) ORDER BY r.reviewed_at), '[]')
			FROM flashcard_reviews r WHERE r.user_id = $1)),
	-- Study materials I added, with the text Ludus kept of each, and my
	-- feedback on what was made of them.
	'materials', (SELECT coalesce(json_agg(json_build_object('id', m.id,
			'title', m.title, 'description', m.description,
			'source_url', m.source_url, 'media_type', m.media_type,
			'status', m.status, 'tags', m.tags, 'body', m.body,
			'created_at', m.created_at) ORDER BY m.created_at), '[]')
		FROM study_materials m WHERE m.user_id = $1),
	'material_feedback', (SELECT coalesce(json_agg(to_jsonb(f) - 'user_id'
		- 'org_id' ORDER BY f.created_at), '[]')
		FROM user_feedback f WHERE f.user_id = $1),
	-- My reviews of courses, and the reviews I found helpful.
	'course_reviews', (SELECT coalesce(json_agg(course_feedback_json(f, $1)
		ORDER BY f.created_at), '[]')
		FROM course_feedback f WHERE f.user_id = $1),
	'review_upvotes', (SELECT coalesce(json_agg(json_build_object(
			'review_id', v.feedback_id, 'at', v.created_at)
		ORDER BY v.created_at), '[]')
		FROM feedback_upvotes v WHERE v.user_id = $1),
	-- The edits of lessons I suggested, whatever became of them.
	'suggested_edits', (SELECT coalesce(json_agg(suggested_edit_json(s)
		ORDER BY s.created_at), '[]')
		FROM suggested_edits s WHERE s.user_id = $1),
	-- What I wrote in the forums (deleted and hidden posts too: they are
	-- still mine), with what it said before each edit, my likes, flags,
	-- watches and reading, and my standing.
	'forum_threads', (SELECT coalesce(json_agg(forum_post_json(t, $1, true)
			|| jsonb_build_object('body', t.body, 'revisions', (SELECT
				coalesce(jsonb_agg(jsonb_build_object('version', v.version,
					'title', v.title, 'body', v.body, 'replaced_at',
					v.created_at) ORDER BY v.version), '[]')
				FROM forum_revisions v WHERE v.post_id = t.id))
		ORDER BY t.created_at), '[]')
		FROM forum_posts t WHERE t.user_id = $1),
	'forum_replies', (SELECT coalesce(json_agg(forum_reply_json(r, $1, true,
			NULL) || jsonb_build_object('body', r.body, 'revisions', (SELECT
				coalesce(jsonb_agg(jsonb_build_object('version', v.version,
					'body', v.body, 'replaced_at', v.created_at)
					ORDER BY v.version), '[]')
				FROM forum_revisions v WHERE v.reply_id = r.id))
		ORDER BY r.created_at), '[]')
		FROM forum_replies r WHERE r.user_id = $1),
	'forum_likes', (SELECT coalesce(json_agg(l ORDER BY l.at), '[]')
		FROM (SELECT post_id AS thread_id, NULL::uuid AS reply_id,
				created_at AS at
			FROM forum_post_likes WHERE user_id = $1
			UNION ALL
			SELECT NULL, reply_id, created_at FROM forum_reply_likes
			WHERE user_id = $1) l),
	'forum_flags', (SELECT coalesce(json_agg(json_build_object('thread_id',
			g.post_id, 'reply_id', g.reply_id, 'reason', g.reason,
			'note', g.note, 'status', g.status, 'at', g.created_at)
		ORDER BY g.created_at), '[]')
		FROM forum_flags g WHERE g.user_id = $1),
	'forum_watches', (SELECT coalesce(json_agg(json_build_object('thread_id',
			w.post_id, 'category_id', w.category_id, 'watching', w.watching)
		ORDER BY w.created_at), '[]')
		FROM forum_watches w WHERE w.user_id = $1),
	'forum_reads', (SELECT coalesce(json_agg(json_build_object('thread_id',
			d.post_id, 'last_read', d.last_n, 'at', d.read_at)
		ORDER BY d.read_at), '[]')
		FROM forum_reads d WHERE d.user_id = $1),
	'forum_member', (SELECT to_jsonb(m) - 'user_id' - 'org_id'
		- 'level_set_by' FROM forum_members m WHERE m.user_id = $1),
	-- The messages I sent (the others' are theirs), my conversations'
	-- ids and when I read them, whom I blocked, what I reported.
	'messages_sent', (SELECT coalesce(json_agg(json_build_object('id', x.id,
			'conversation_id', x.conversation_id, 'body', x.body,
			'deleted_at', x.deleted_at, 'removed_at', x.removed_at,
			'created_at', x.created_at) ORDER BY x.created_at), '[]')
		FROM messages x WHERE x.sender_id = $1),
	'conversations', (SELECT coalesce(json_agg(json_build_object('id',
			m.conversation_id, 'joined_at', m.joined_at, 'left_at', m.left_at,
			'read_at', m.read_at) ORDER BY m.joined_at), '[]')
		FROM conversation_members m WHERE m.user_id = $1),
	'blocks', (SELECT coalesce(json_agg(json_build_object('user_id',
			k.blocked_id, 'at', k.created_at) ORDER BY k.created_at), '[]')
		FROM user_blocks k WHERE k.blocker_id = $1),
	'message_reports', (SELECT coalesce(json_agg(json_build_object(
			'message_id', r.message_id, 'reason', r.reason, 'note', r.note,
			'status', r.status, 'at', r.created_at) ORDER BY r.created_at),
			'[]')
		FROM message_reports r WHERE r.reporter_id = $1))

-- name: admin_users_list
-- $1 org, $2 search text (or null), $3 role (or null), $4 status: active,
-- locked, deleted or all, $5 after this user id (or null), $6 limit.
-- Newest first; "next" is the id to pass as after for the next page.
WITH page AS (
	SELECT u.id, u.email, u.username, u.role, u.is_active,
		u.locked_until > now() AS temporarily_locked,
		u.email_verified_at IS NOT NULL AS email_verified,
		u.created_at, u.last_login_at, u.deleted_at, p.display_name
	FROM users u
	JOIN user_profiles p ON p.user_id = u.id
	-- The search text as a LIKE pattern, its wildcards taken literally.
	CROSS JOIN (SELECT '%' || replace(replace(replace(lower($2), '\',
		'\\'), '%', '\%'), '_', '\_') || '%' AS pattern) q
	WHERE u.org_id = $1
		AND ($2::text IS NULL OR lower(u.email) LIKE q.pattern
			OR lower(u.username) LIKE q.pattern)
		AND ($3::text IS NULL OR u.role = $3)
		AND CASE $4
			WHEN 'active' THEN u.deleted_at IS NULL AND u.is_active
				AND NOT coalesce(u.locked_until > now(), false)
			WHEN 'locked' THEN u.deleted_at IS NULL AND (NOT u.is_active
				OR coalesce(u.locked_until > now(), false))
			WHEN 'deleted' THEN u.deleted_at IS NOT NULL
			ELSE true END
		AND ($5::uuid IS NULL OR (u.created_at, u.id) <
			(SELECT created_at, id FROM users WHERE id = $5 AND org_id = $1))
	ORDER BY u.created_at DESC, u.id DESC
	LIMIT $6 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n
	FROM page
)
SELECT json_build_object(
	'items', coalesce((SELECT json_agg(json_build_object(
		'id', id, 'email', email, 'username', username,
		'display_name', display_name, 'role', role,
		'status', CASE WHEN deleted_at IS NOT NULL THEN 'deleted'
			WHEN NOT is_active THEN 'locked'
			WHEN coalesce(temporarily_locked, false) THEN 'temporarily_locked'
			ELSE 'active' END,
		'email_verified', email_verified, 'created_at', created_at,
		'last_login_at', last_login_at, 'deleted_at', deleted_at)
		ORDER BY n) FROM numbered WHERE n <= $6), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $6
		AND EXISTS (SELECT 1 FROM numbered WHERE n = $6 + 1)))

-- name: admin_lock
-- $1 org: one admin change at a time per organization, until the end of
-- the transaction.
SELECT pg_advisory_xact_lock(hashtextextended('ludus.admin:' ||
	$1::uuid::text, 0))

-- name: admin_is_active
-- $1 org, $2 user: whether the user is an active admin.  Run as a
-- statement of its own after admin_lock, so that its snapshot (taken when
-- the statement starts) sees what the admin before committed.
SELECT EXISTS (SELECT 1 FROM users WHERE id = $2 AND org_id = $1
	AND role_can(org_id, role, 'user.manage') AND is_active
	AND deleted_at IS NULL)

-- name: admin_user_state
-- $1 user, $2 org: the account's state, locked for the change to come.
SELECT id, role, is_active, deleted_at IS NOT NULL, anonymized_at IS NOT NULL,
	coalesce(locked_until > now(), false)
FROM users WHERE id = $1 AND org_id = $2
FOR UPDATE

-- name: admin_user_get
-- $1 user, $2 org
SELECT json_build_object(
	'id', u.id, 'email', u.email, 'username', u.username,
	'display_name', p.display_name, 'role', u.role,
	'status', CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted'
		WHEN NOT u.is_active THEN 'locked'
		WHEN coalesce(u.locked_until > now(), false) THEN 'temporarily_locked'
		ELSE 'active' END,
	'email_verified', u.email_verified_at IS NOT NULL,
	'failed_login_count', u.failed_login_count,
	'locked_until', u.locked_until,
	'created_at', u.created_at, 'last_login_at', u.last_login_at,
	'deleted_at', u.deleted_at,
	'sessions', (SELECT count(*) FROM sessions s WHERE s.user_id = u.id
		AND s.expires_at > now()))
FROM users u JOIN user_profiles p ON p.user_id = u.id
WHERE u.id = $1 AND u.org_id = $2

-- name: admin_set_role
UPDATE users SET role = $3 WHERE id = $1 AND org_id = $2

-- name: admin_set_active
-- $1 user, $2 org, $3 active: locking is indefinite; unlocking also lifts
-- a lock from failed logins.
UPDATE users SET is_active = $3,
	failed_login_count = CASE WHEN $3 THEN 0 ELSE failed_login_count END,
	locked_until = CASE WHEN $3 THEN NULL ELSE locked_until END
WHERE id = $1 AND org_id = $2

-- name: admin_restore
UPDATE users SET deleted_at = NULL
WHERE id = $1 AND org_id = $2 AND anonymized_at IS NULL

-- name: org_get
-- $1 org: the organization as its admin sees it.
SELECT org_json(o) FROM organizations o WHERE id = $1 AND deleted_at IS NULL

-- name: org_update
-- $1 org, $2 name, $3 leaderboard_include_staff, $4 signup, $5 signup
-- domains (a text array), $6 default time zone, $7 default language,
-- $8 messaging on, $9 leaderboards on, $10 default role; each null:
-- unchanged.  The
-- organization before and after, for the audit trail.
WITH old AS (
	SELECT org_json(o) AS v FROM organizations o
	WHERE id = $1 AND deleted_at IS NULL FOR UPDATE
), upd AS (
	UPDATE organizations SET name = coalesce($2, name),
		settings = CASE WHEN $3::boolean IS NULL THEN settings
			ELSE settings || jsonb_build_object('leaderboard_include_staff',
				$3::boolean) END,
		signup = coalesce($4, signup),
		signup_domains = coalesce($5::text[], signup_domains),
		default_timezone = coalesce($6, default_timezone),
		default_language = coalesce($7, default_language),
		messaging_enabled = coalesce($8::boolean, messaging_enabled),
		leaderboards_enabled = coalesce($9::boolean, leaderboards_enabled),
		default_role = coalesce($10, default_role)
	WHERE id = $1 AND deleted_at IS NULL
	RETURNING org_json(organizations) AS v
)
SELECT old.v, upd.v FROM old, upd

-- name: admin_audit_list
-- $1 org, $2 action (or null; a trailing * matches a prefix), $3 actor,
-- $4 entity type, $5 entity id, $6 since, $7 until, $8 success,
-- $9 after this event id, $10 limit.  Newest first.
WITH page AS (
	SELECT a.*, u.username AS actor_username
	FROM audit_events a
	LEFT JOIN users u ON u.id = a.actor_user_id
	WHERE a.org_id = $1
		AND ($2::text IS NULL OR CASE WHEN right($2, 1) = '*'
			THEN a.action LIKE replace(replace(left($2, -1), '%', '\%'),
				'_', '\_') || '%'
			ELSE a.action = $2 END)
		AND ($3::uuid IS NULL OR a.actor_user_id = $3)
		AND ($4::text IS NULL OR a.entity_type = $4)
		AND ($5::uuid IS NULL OR a.entity_id = $5)
		AND ($6::timestamptz IS NULL OR a.occurred_at >= $6)
		AND ($7::timestamptz IS NULL OR a.occurred_at < $7)
		AND ($8::boolean IS NULL OR a.success = $8)
		AND ($9::uuid IS NULL OR (a.occurred_at, a.id) <
			(SELECT occurred_at, id FROM audit_events
			 WHERE id = $9 AND org_id = $1))
	ORDER BY a.occurred_at DESC, a.id DESC
	LIMIT $10 + 1
), numbered AS (
	SELECT *, row_number() OVER (ORDER BY occurred_at DESC, id DESC) AS n
	FROM page
)
SELECT json_build_object(
	'items', coalesce((SELECT json_agg(json_build_object(
		'id', id, 'occurred_at', occurred_at, 'action', action,
		'actor_user_id', actor_user_id, 'actor_username', actor_username,
		'entity_type', entity_type, 'entity_id', entity_id,
		'old_values', old_values, 'new_values', new_values,
		'ip', host(ip), 'user_agent', user_agent, 'request_id', request_id,
		'success', success, 'error_message', error_message) ORDER BY n)
		FROM numbered WHERE n <= $10), '[]'),
	'next', (SELECT id FROM numbered WHERE n = $10
		AND EXISTS (SELECT 1 FROM numbered WHERE n = $10 + 1)))

-- name: mail_claim
-- org: any
-- The oldest pending mail of any organization, locked so that one mailer
-- sends it.
SELECT id, to_address, subject, body_text, date, org_id FROM mail_claim()

-- name: mail_sent
-- Clears the body: a mailed secret does not stay in the database.
UPDATE mail_outbox SET status = 'sent', sent_at = now(), body_text = NULL,
	attempts = attempts + 1
WHERE id = $1

-- name: mail_failed
-- $1 mail, $2 error, $3 give up after this many attempts
UPDATE mail_outbox SET attempts = attempts + 1, last_error = left($2, 1000),
	status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END,
	body_text = CASE WHEN attempts + 1 >= $3 THEN NULL ELSE body_text END
WHERE id = $1

-- name: cleanup_expired
-- Sessions, tokens and rate-limit windows that can no longer matter.
WITH s AS (
	DELETE FROM sessions
	WHERE expires_at < now() - interval '1 day'
		OR absolute_expires_at < now() - interval '1 day'
	RETURNING 1
), t AS (
	DELETE FROM user_tokens WHERE expires_at < now() - interval '7 days'
	RETURNING 1
), r AS (
	DELETE FROM rate_limits WHERE window_start < now() - interval '2 hours'
	RETURNING 1
)
SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM t),
	(SELECT count(*) FROM r)

-- name: anonymize_deleted
-- $1 retention seconds: accounts deleted longer ago lose what identifies
-- them; their learning history stays, under a meaningless name.
WITH due AS (
	SELECT id, org_id FROM users
	WHERE deleted_at < now() - make_interval(secs => $1)
		AND anonymized_at IS NULL
	ORDER BY deleted_at
	LIMIT 100
	FOR UPDATE SKIP LOCKED
), u AS (
	UPDATE users SET
		email = 'deleted-' || users.id || '@deleted.invalid',
		username = 'deleted_' || left(replace(users.id::text, '-', ''), 24),
		password_hash = '$2b$12$' || repeat('.', 53),
		anonymized_at = now()
	FROM due WHERE users.id = due.id
	RETURNING users.id, users.org_id
), p AS (
	UPDATE user_profiles SET first_name = NULL, last_name = NULL,
		display_name = NULL, bio = NULL, avatar_url = NULL
	FROM u WHERE user_profiles.user_id = u.id
), s AS (
	DELETE FROM sessions USING u WHERE sessions.user_id = u.id
), t AS (
	DELETE FROM user_tokens USING u WHERE user_tokens.user_id = u.id
), m AS (
	UPDATE mail_outbox SET to_address = 'deleted@deleted.invalid'
	FROM u WHERE mail_outbox.user_id = u.id
), a AS (
	INSERT INTO audit_events (org_id, action, entity_type, entity_id)
	SELECT org_id, 'user.anonymized', 'user', id FROM u
)
SELECT count(*) FROM u

-- name: role_within
-- $1 org, $2 role key, $3 permissions (text array): whether the role is
-- one of the organization's, and whether it permits nothing beyond $3 (no
-- one gives, or takes away, a role that permits more than they hold).
SELECT EXISTS (SELECT 1 FROM roles WHERE org_id = $1 AND key = $2),
	NOT EXISTS (SELECT 1 FROM roles r
		JOIN role_permissions p ON p.role_id = r.id
		WHERE r.org_id = $1 AND r.key = $2
			AND NOT p.permission = ANY ($3::text[]))

-- name: admins_left_without
-- $1 user, $2 org, $3 the role they get (null: none, they leave): how
-- many active admins (members whose role may manage roles) the
-- organization keeps (a non-admin, or one who stays an admin, leaves them
-- all).
SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = $1 AND org_id = $2
		AND role_can(org_id, role, 'role.manage') AND deleted_at IS NULL
		AND is_active)
		AND NOT coalesce(role_can($2, $3, 'role.manage'), false)
	THEN (SELECT count(*) FROM users WHERE org_id = $2
		AND role_can(org_id, role, 'role.manage')
		AND id <> $1 AND deleted_at IS NULL AND is_active)
	ELSE 1 END

-- name: users_lookup
-- $1 org, $2 search text, $3 staff only (instructors and admins), $4 limit,
-- $5 with emails (for admins).  Active accounts (not deleted, not locked by
-- an admin) of the organization whose username or display name (or, with
-- emails, email) holds the text; names that start with it first.
WITH q AS (
	SELECT replace(replace(replace(lower($2), '\', '\\'), '%', '\%'), '_',
		'\_') AS text
), found AS (
	SELECT u.id, u.username, p.display_name, u.role, u.email,
		lower(u.username) LIKE q.text || '%'
			OR lower(coalesce(p.display_name, '')) LIKE q.text || '%'
			AS prefix
	FROM users u
	JOIN user_profiles p ON p.user_id = u.id
	CROSS JOIN q
	WHERE u.org_id = $1 AND u.deleted_at IS NULL AND u.is_active
		AND (NOT $3::boolean OR role_can(u.org_id, u.role, 'course.author'))
		AND (lower(u.username) LIKE '%' || q.text || '%'
			OR lower(coalesce(p.display_name, '')) LIKE
				'%' || q.text || '%'
			OR ($5::boolean AND lower(u.email) LIKE '%' || q.text || '%'))
	ORDER BY prefix DESC, lower(u.username)
	LIMIT $4
)
SELECT json_build_object('items', coalesce(json_agg(
	jsonb_build_object('id', id, 'username', username,
		'display_name', display_name, 'role', role)
	|| CASE WHEN $5::boolean THEN jsonb_build_object('email', email)
		ELSE '{}'::jsonb END
	ORDER BY prefix DESC, lower(username)), '[]'))
FROM found

-- name: permissions_list
-- org: any
-- Every permission a role can hold, in their usual order.
SELECT json_build_object('items', json_agg(json_build_object('code', code,
	'description', description) ORDER BY position))
FROM permissions

-- name: roles_list
-- $1 org: its roles (built-in first), each with its permissions and how
-- many accounts have it.
SELECT json_build_object('items', coalesce(json_agg(role_json(r)
	ORDER BY NOT r.builtin, array_position(ARRAY['student', 'instructor',
		'admin'], r.key), r.created_at, r.key), '[]'))
FROM roles r WHERE r.org_id = $1

-- name: role_get
-- $1 org, $2 key
SELECT role_json(r) FROM roles r WHERE r.org_id = $1 AND r.key = $2

-- name: role_lock
-- $1 org, $2 key: the role, locked for a change, as JSON, and whether it
-- is built in.
SELECT r.id, role_json(r), r.builtin FROM roles r
WHERE r.org_id = $1 AND r.key = $2
FOR UPDATE

-- name: role_create
-- $1 org, $2 key, $3 name, $4 description, $5 permissions (text array)
WITH r AS (
	INSERT INTO roles (org_id, key, name, description)
	VALUES ($1, $2, $3, coalesce($4, ''))
	RETURNING id, org_id
), p AS (
	INSERT INTO role_permissions (role_id, org_id, permission)
	SELECT r.id, r.org_id, unnest($5::text[]) FROM r
)
SELECT id FROM r

-- name: role_update
-- $1 role, $2 name or null, $3 description or null, $4 permissions (text
-- array) or null: null keeps what is there.
WITH r AS (
	UPDATE roles SET name = coalesce($2, name),
		description = coalesce($3, description)
	WHERE id = $1
	RETURNING id, org_id
), gone AS (
	DELETE FROM role_permissions
	WHERE role_id = $1 AND $4::text[] IS NOT NULL
		AND permission <> ALL ($4::text[])
), added AS (
	INSERT INTO role_permissions (role_id, org_id, permission)
	SELECT r.id, r.org_id, unnest($4::text[]) FROM r
	ON CONFLICT DO NOTHING
)
SELECT id FROM r

-- name: role_delete
-- $1 role: gone, unless an account still has it (23503).
DELETE FROM roles WHERE id = $1

-- name: role_members
-- $1 org, $2 key: how many accounts (deleted ones too, until they are
-- anonymized) have the role.
SELECT count(*) FROM users WHERE org_id = $1 AND role = $2

-- name: admins_active
-- $1 org: how many active accounts may manage roles (the organization
-- must keep one).
SELECT count(*) FROM users
WHERE org_id = $1 AND role_can(org_id, role, 'role.manage')
	AND deleted_at IS NULL AND is_active

-- name: invitation_lookup
-- org: any
-- $1 token hash: the invitation, if it can still be accepted.
SELECT id, org_id, org_slug, org_name, email, role, role_name,
	to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM invitation_lookup($1)

-- name: invitation_accept
-- $1 invitation, $2 the account made with it.
UPDATE invitations SET accepted_at = now(), accepted_by = $2
WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
	AND expires_at > now()
RETURNING id

-- name: invitation_create
-- $1 org, $2 email, $3 role, $4 token hash, $5 invited by, $6 days valid.
-- An open invitation to the same address is replaced (revoked).
WITH old AS (
	UPDATE invitations SET revoked_at = now()
	WHERE org_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL
		AND revoked_at IS NULL
	RETURNING id
), ins AS (
	INSERT INTO invitations (org_id, email, role, token_hash, invited_by,
		expires_at)
	SELECT $1, $2, $3, $4, $5, now() + make_interval(days => $6::integer)
	FROM (SELECT count(*) FROM old) replaced
	RETURNING *
)
SELECT invitation_json(ins) FROM ins

-- name: invitations_list
-- $1 org, $2 limit: the newest invitations first, with their state.
SELECT json_build_object('items', coalesce(json_agg(invitation_json(i)
	ORDER BY i.created_at DESC, i.id DESC), '[]'))
FROM (SELECT * FROM invitations WHERE org_id = $1
	ORDER BY created_at DESC, id DESC LIMIT $2::integer) i

-- name: invitation_revoke
-- $1 invitation, $2 org: revoked if still open; before and after.
WITH old AS (
	SELECT invitation_json(i) AS v FROM invitations i
	WHERE id = $1 AND org_id = $2 FOR UPDATE
), upd AS (
	UPDATE invitations SET revoked_at = now()
	WHERE id = $1 AND org_id = $2 AND accepted_at IS NULL
		AND revoked_at IS NULL
	RETURNING invitation_json(invitations) AS v
)
SELECT old.v, (SELECT v FROM upd) FROM old

-- name: platform_orgs
-- org: any
-- Every organization, for the platform operator.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', id, 'slug', slug, 'name', name, 'default', is_default,
	'state', state, 'members', members, 'created_at', created_at)
	ORDER BY created_at, slug), '[]'))
FROM platform_orgs()

-- name: platform_org_create
-- org: any
-- $1 slug, $2 name: the new organization's id (with its built-in roles).
SELECT platform_org_create($1, $2)

-- name: platform_org_state
-- org: any
-- $1 slug, $2 active, suspended or deleted: the organization's id, or
-- null when there is no such organization (or it was deleted).
SELECT platform_org_state($1, $2)

-- name: auth_token
-- org: any
-- $1 token hash, $2 client address: the personal access token's user and
-- what the request may do (0018).
SELECT id, user_id, org_id, role, perms, leaderboards, messaging
FROM auth_token($1, $2)

-- name: token_create
-- $1 org, $2 user, $3 name, $4 token hash, $5 prefix, $6 permissions
-- (text array), $7 days valid.
INSERT INTO access_tokens (org_id, user_id, name, token_hash, prefix,
	permissions, expires_at)
VALUES ($1, $2, $3, $4, $5, $6::text[],
	now() + make_interval(days => $7::integer))
RETURNING access_token_json(access_tokens)

-- name: tokens_list
-- $1 user: my tokens, newest first.
SELECT json_build_object('items', coalesce(json_agg(access_token_json(t)
	ORDER BY t.created_at DESC, t.id DESC), '[]'))
FROM access_tokens t WHERE t.user_id = $1

-- name: token_revoke
-- $1 token, $2 user: revoked if it is mine and not yet; before and after.
WITH old AS (
	SELECT access_token_json(t) AS v FROM access_tokens t
	WHERE id = $1 AND user_id = $2 FOR UPDATE
), upd AS (
	UPDATE access_tokens SET revoked_at = now()
	WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
	RETURNING access_token_json(access_tokens) AS v
)
SELECT old.v, (SELECT v FROM upd) FROM old
