-- 0034_messages: seed 004's direct messages (src/community/api_messages.c).
--
-- A conversation is between members of one organization: two (one to
-- one: one conversation per pair, found again rather than made twice) or
-- a small group (3 to 20, with a title).  Its members read its messages
-- from the time they joined, mark where they have read to, and leave a
-- group.  Who may write to whom (message_allowed): staff (course.author)
-- to anyone of their organization; a learner to the staff and to the
-- learners of a course they take together.  Nobody writes to a member
-- who blocked them, or whom they blocked.  A message is plain text; its
-- sender deletes it (the place stays); a member reports one to the
-- organization's admins, who dismiss the report or remove the message.
-- The organization's messaging_enabled (0017) turns it all off.  A new
-- message is a live event (0032) on each other member's channel.

CREATE TABLE conversations (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	created_by uuid,
	is_group boolean NOT NULL,
	title text CHECK (length(btrim(title, E' \t\r\n')) BETWEEN 1 AND 100),
	-- one to one: the two members' ids in order, once per pair
	pair_key text UNIQUE CHECK (pair_key ~ '^[0-9a-f-]{36}:[0-9a-f-]{36}$'),
	last_message_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, org_id),
	CHECK (is_group = (pair_key IS NULL)),
	CHECK (is_group OR title IS NULL),
	FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (created_by)
);
CREATE INDEX conversations_org_idx ON conversations (org_id);
CREATE INDEX conversations_created_by_idx ON conversations (created_by, org_id);
SELECT ludus_isolate('conversations');

CREATE TABLE conversation_members (
	conversation_id uuid NOT NULL,
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	joined_at timestamptz NOT NULL DEFAULT now(),
	left_at timestamptz,
	read_at timestamptz,
	PRIMARY KEY (conversation_id, user_id),
	FOREIGN KEY (conversation_id, org_id) REFERENCES conversations (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX conversation_members_user_idx
	ON conversation_members (user_id, conversation_id) WHERE left_at IS NULL;
CREATE INDEX conversation_members_fk_idx
	ON conversation_members (conversation_id, org_id);
CREATE INDEX conversation_members_user_org_idx
	ON conversation_members (user_id, org_id);
SELECT ludus_isolate('conversation_members');

CREATE TABLE messages (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	conversation_id uuid NOT NULL,
	sender_id uuid,
	body text NOT NULL CHECK (length(btrim(body, E' \t\r\n')) BETWEEN 1 AND 5000),
	deleted_at timestamptz,
	-- removed by an admin after a report
	removed_at timestamptz,
	-- the clock's time, not the transaction's: a message written after
	-- waiting for its pair's lock is later than the members who joined
	created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	UNIQUE (id, org_id),
	FOREIGN KEY (conversation_id, org_id) REFERENCES conversations (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (sender_id, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (sender_id)
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at DESC, id DESC);
CREATE INDEX messages_conversation_fk_idx ON messages (conversation_id, org_id);
CREATE INDEX messages_sender_idx ON messages (sender_id, created_at);
CREATE INDEX messages_sender_org_idx ON messages (sender_id, org_id);
SELECT ludus_isolate('messages');

CREATE TABLE user_blocks (
	blocker_id uuid NOT NULL,
	blocked_id uuid NOT NULL,
	org_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (blocker_id, blocked_id),
	CHECK (blocker_id <> blocked_id),
	FOREIGN KEY (blocker_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (blocked_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX user_blocks_blocked_idx ON user_blocks (blocked_id, org_id);
CREATE INDEX user_blocks_blocker_org_idx ON user_blocks (blocker_id, org_id);
SELECT ludus_isolate('user_blocks');

CREATE TABLE message_reports (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL,
	message_id uuid NOT NULL,
	reporter_id uuid NOT NULL,
	reason text NOT NULL CHECK (reason IN ('spam', 'harassment',
		'inappropriate', 'other')),
	note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	status text NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'dismissed', 'removed')),
	resolved_by uuid,
	resolved_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (message_id, reporter_id),
	CHECK ((status = 'open') = (resolved_at IS NULL)),
	CHECK (reason <> 'other' OR length(btrim(note, E' \t\r\n')) > 0),
	FOREIGN KEY (message_id, org_id) REFERENCES messages (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (reporter_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (resolved_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (resolved_by)
);
CREATE INDEX message_reports_open_idx ON message_reports (org_id, created_at)
	WHERE status = 'open';
CREATE INDEX message_reports_message_idx ON message_reports (message_id, org_id);
CREATE INDEX message_reports_reporter_idx ON message_reports (reporter_id, org_id);
CREATE INDEX message_reports_resolved_by_idx ON message_reports (resolved_by, org_id);
SELECT ludus_isolate('message_reports');

-- Whether uid may write to other (both of one organization, neither
-- deleted, other not locked, neither blocking the other): staff to anyone; a learner to
-- staff, and to a learner of a course they both take.
CREATE FUNCTION message_allowed(uid uuid, other uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT uid <> other AND EXISTS (
		SELECT 1 FROM users a JOIN users b ON b.org_id = a.org_id
		WHERE a.id = uid AND b.id = other
			AND a.deleted_at IS NULL AND b.deleted_at IS NULL AND b.is_active
			AND (role_can(a.org_id, a.role, 'course.author')
				OR role_can(b.org_id, b.role, 'course.author')
				OR EXISTS (SELECT 1 FROM enrollments x JOIN enrollments y
					ON y.course_id = x.course_id
					WHERE x.user_id = uid AND y.user_id = other
						AND x.status = 'active' AND y.status = 'active')))
		AND NOT EXISTS (SELECT 1 FROM user_blocks k
			WHERE (k.blocker_id = uid AND k.blocked_id = other)
				OR (k.blocker_id = other AND k.blocked_id = uid))
$$;

-- A conversation as one of its members sees it: the others, the last
-- message, how many are unread.
CREATE FUNCTION conversation_json(c conversations, uid uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', c.id, 'is_group', c.is_group,
		'title', c.title, 'created_at', c.created_at,
		'last_message_at', c.last_message_at,
		'members', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id,
				'username', u.username, 'display_name', p.display_name,
				'left', m.left_at IS NOT NULL,
				'blocked', EXISTS (SELECT 1 FROM user_blocks k
					WHERE k.blocker_id = uid AND k.blocked_id = u.id))
				ORDER BY m.joined_at, u.username), '[]')
			FROM conversation_members m JOIN users u ON u.id = m.user_id
			LEFT JOIN user_profiles p ON p.user_id = u.id
			WHERE m.conversation_id = c.id AND m.user_id <> uid),
		'last', (SELECT jsonb_build_object('id', x.id, 'sender_id',
				x.sender_id, 'excerpt', CASE WHEN x.deleted_at IS NULL
					AND x.removed_at IS NULL THEN left(x.body, 140) END,
				'created_at', x.created_at)
			FROM messages x, conversation_members me
			WHERE x.conversation_id = c.id AND me.conversation_id = c.id
				AND me.user_id = uid AND x.created_at >= me.joined_at
				AND (me.left_at IS NULL OR x.created_at <= me.left_at)
				AND NOT EXISTS (SELECT 1 FROM user_blocks k
					WHERE k.blocker_id = uid AND k.blocked_id = x.sender_id)
			ORDER BY x.created_at DESC, x.id DESC LIMIT 1),
		'unread', (SELECT count(*) FROM messages x, conversation_members me
			WHERE x.conversation_id = c.id AND me.conversation_id = c.id
				AND me.user_id = uid AND x.created_at >= me.joined_at
				AND (me.left_at IS NULL OR x.created_at <= me.left_at)
				AND x.created_at > coalesce(me.read_at, '-infinity')
				AND x.sender_id IS DISTINCT FROM uid AND x.deleted_at IS NULL
				AND x.removed_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM user_blocks k
					WHERE k.blocker_id = uid AND k.blocked_id = x.sender_id)),
		'left', (SELECT me.left_at IS NOT NULL FROM conversation_members me
			WHERE me.conversation_id = c.id AND me.user_id = uid))
$$;

CREATE FUNCTION message_json(x messages, uid uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('id', x.id, 'conversation_id', x.conversation_id,
		'sender', (SELECT jsonb_build_object('id', u.id, 'username',
				u.username, 'display_name', p.display_name)
			FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
			WHERE u.id = x.sender_id),
		'mine', x.sender_id = uid,
		'body', CASE WHEN x.deleted_at IS NULL AND x.removed_at IS NULL
			THEN x.body END,
		'deleted', x.deleted_at IS NOT NULL,
		'removed', x.removed_at IS NOT NULL,
		'created_at', x.created_at)
$$;

-- A new message: its conversation's last activity, and a live event for
-- each other member still in it (not blocking the sender).
CREATE FUNCTION messages_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE conversations SET last_message_at = NEW.created_at
	WHERE id = NEW.conversation_id;
	PERFORM live_emit(NEW.org_id, 'user:' || m.user_id, 'message',
		jsonb_build_object('id', NEW.id, 'conversation_id',
			NEW.conversation_id))
	FROM conversation_members m
	WHERE m.conversation_id = NEW.conversation_id AND m.left_at IS NULL
		AND m.user_id IS DISTINCT FROM NEW.sender_id
		AND NOT EXISTS (SELECT 1 FROM user_blocks k
			WHERE k.blocker_id = m.user_id AND k.blocked_id = NEW.sender_id);
	RETURN NULL;
END
$$;
CREATE TRIGGER messages_after_insert AFTER INSERT ON messages
	FOR EACH ROW EXECUTE FUNCTION messages_after_insert();

-- ---- The rules (answering forum_result, 0031: a status and the
-- document, or a problem) ----

-- Starts a conversation with others (one: the pair's, found again if it
-- is there; more: a group, titled) and its first message.
CREATE FUNCTION conversation_start(org uuid, uid uuid, others uuid[],
	p_title text, p_body text) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	n integer := cardinality(others);
	c conversations;
	bad uuid;
	made boolean := false;
BEGIN
	IF n IS NULL OR n < 1 OR n > 19 THEN
		RETURN forum_no(422, 'validation', 'user_ids: name 1 to 19 members');
	END IF;
	IF (SELECT count(DISTINCT o) FROM unnest(others) o) <> n THEN
		RETURN forum_no(422, 'validation', 'user_ids: name each member once');
	END IF;
	SELECT o INTO bad FROM unnest(others) o
	WHERE NOT message_allowed(uid, o) LIMIT 1;
	IF bad IS NOT NULL THEN
		RETURN forum_no(403, 'forbidden', 'You may not write to ' || coalesce(
			(SELECT u.username FROM users u WHERE u.id = bad), 'that member')
			|| ' (learners write to their instructors and to the learners '
			|| 'of their courses; nobody to whom they blocked or who '
			|| 'blocked them).');
	END IF;
	IF n = 1 THEN
		PERFORM pg_advisory_xact_lock(hashtext('conversation:'
			|| least(uid, others[1]) || ':' || greatest(uid, others[1])));
		SELECT * INTO c FROM conversations
		WHERE pair_key = least(uid, others[1]) || ':'
			|| greatest(uid, others[1]);
		IF NOT FOUND THEN
			INSERT INTO conversations (org_id, created_by, is_group, pair_key)
			VALUES (org, uid, false, least(uid, others[1]) || ':'
				|| greatest(uid, others[1]))
			RETURNING * INTO c;
			made := true;
		END IF;
		INSERT INTO conversation_members (conversation_id, user_id, org_id)
		VALUES (c.id, uid, org), (c.id, others[1], org)
		ON CONFLICT DO NOTHING;
	ELSE
		IF p_title IS NULL THEN
			RETURN forum_no(422, 'validation', 'title: a group needs one');
		END IF;
		INSERT INTO conversations (org_id, created_by, is_group, title)
		VALUES (org, uid, true, btrim(p_title))
		RETURNING * INTO c;
		made := true;
		INSERT INTO conversation_members (conversation_id, user_id, org_id)
		SELECT c.id, m, org FROM (SELECT uid AS m UNION SELECT unnest(others)) x;
	END IF;
	IF p_body IS NOT NULL THEN
		INSERT INTO messages (org_id, conversation_id, sender_id, body)
		VALUES (org, c.id, uid, p_body);
		UPDATE conversation_members SET read_at = now()
		WHERE conversation_id = c.id AND user_id = uid;
	END IF;
	SELECT * INTO c FROM conversations WHERE id = c.id;
	RETURN forum_ok(CASE WHEN made THEN 201 ELSE 200 END,
		conversation_json(c, uid));
END
$$;

-- Sends a message to a conversation one is in; 30 a minute at most.
CREATE FUNCTION message_send(org uuid, uid uuid, conv uuid, p_body text)
RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	c conversations;
	other uuid;
	x messages;
BEGIN
	SELECT k.* INTO c FROM conversations k JOIN conversation_members m
		ON m.conversation_id = k.id AND m.user_id = uid
	WHERE k.id = conv;
	IF NOT FOUND THEN
		RETURN forum_no(404, 'not-found', 'There is no such conversation.');
	END IF;
	IF EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = conv
		AND user_id = uid AND left_at IS NOT NULL) THEN
		RETURN forum_no(409, 'left', 'You left this conversation.');
	END IF;
	IF NOT c.is_group THEN
		SELECT user_id INTO other FROM conversation_members
		WHERE conversation_id = conv AND user_id <> uid;
		IF other IS NULL OR NOT message_allowed(uid, other) THEN
			RETURN forum_no(403, 'forbidden', 'You may not write to this '
				'member any more (one of you blocked the other, or they '
				'left).');
		END IF;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('message_rate:' || uid::text));
	IF (SELECT count(*) FROM messages WHERE sender_id = uid
		AND created_at > now() - interval '1 minute') >= 30 THEN
		RETURN forum_no(429, 'rate-limited', 'You may send 30 messages a '
			'minute; wait a little.');
	END IF;
	INSERT INTO messages (org_id, conversation_id, sender_id, body)
	VALUES (org, conv, uid, p_body)
	RETURNING * INTO x;
	UPDATE conversation_members SET read_at = now()
	WHERE conversation_id = conv AND user_id = uid;
	RETURN forum_ok(201, message_json(x, uid));
END
$$;

-- Reports a message of another member of a conversation one is in.
CREATE FUNCTION message_report(org uuid, uid uuid, msg uuid, p_reason text,
	p_note text) RETURNS forum_result
LANGUAGE plpgsql AS $$
DECLARE
	x messages;
	r message_reports;
BEGIN
	SELECT x2.* INTO x FROM messages x2 JOIN conversation_members m
		ON m.conversation_id = x2.conversation_id AND m.user_id = uid
			AND x2.created_at >= m.joined_at
			AND (m.left_at IS NULL OR x2.created_at <= m.left_at)
	WHERE x2.id = msg AND x2.deleted_at IS NULL AND x2.removed_at IS NULL;
	IF NOT FOUND THEN
		RETURN forum_no(404, 'not-found', 'There is no such message.');
	END IF;
	IF x.sender_id = uid THEN
		RETURN forum_no(403, 'forbidden', 'Your own message is not yours '
			'to report: delete it.');
	END IF;
	INSERT INTO message_reports (org_id, message_id, reporter_id, reason, note)
	VALUES (org, msg, uid, p_reason, coalesce(p_note, ''))
	ON CONFLICT DO NOTHING
	RETURNING * INTO r;
	IF r.id IS NULL THEN
		RETURN forum_no(409, 'already-reported', 'You reported this message '
			'already.');
	END IF;
	RETURN forum_ok(201, jsonb_build_object('id', r.id, 'status', r.status));
END
$$;
