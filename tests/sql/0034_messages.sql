-- 0034_messages: direct messages between members of an organization.
--
-- conversations, conversation_members, messages, user_blocks and
-- message_reports: their checks (one conversation per pair, a group
-- exactly when there is no pair and only a group titled; a body of 1 to
-- 5,000 characters, not blank; nobody blocks themself; one report per
-- member and message; a report resolved exactly when not open; other
-- needs a note), their keys to the organization and what the going away of
-- a member, a conversation, a message or an organization does.
-- message_allowed; conversation_json's last message and unread count past
-- a block; message_json; the trigger's last_message_at and its live
-- events (only the other members still in, and not to one who blocked the
-- sender); the rules conversation_start, message_send and message_report;
-- row-level security as ludus_app.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(135);

\ir lib/refused.psql

-- This file's ids: a1 organization A, a2 its instructor, a7 its admin,
-- a3 a4 learners of course c1, a5 a learner of no course, a6 a deleted
-- learner of c1, a8 a learner who dropped c1, a9 a learner deleted for
-- good later.  b1 organization B, b2 its instructor, b3 a learner.
-- Conversations: e1 (a2 a3), e2 (a3 a4), e3 (a group: a2 a3 a4 a5), eb
-- (B's b2 b3).  Messages d0..., reports f1...
CREATE FUNCTION pg_temp.id(p text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
	SELECT ('00000000-0000-4000-8000-0000000034' || p)::uuid
$$;
GRANT EXECUTE ON FUNCTION pg_temp.id(text) TO ludus_app;
-- The pair key of two members.
CREATE FUNCTION pg_temp.pair(a text, b text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT least(pg_temp.id(a), pg_temp.id(b)) || ':'
		|| greatest(pg_temp.id(a), pg_temp.id(b))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.pair(text, text) TO ludus_app;
-- A conversation: 'ok' or why refused.
CREATE FUNCTION pg_temp.conv(p_id text, p_group boolean, p_pair text,
	p_title text DEFAULT NULL, p_org text DEFAULT 'a1', p_by text DEFAULT 'a2')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO conversations (id, org_id,
		created_by, is_group, pair_key, title) VALUES (%L, %L, %L, %L, %L, %L)',
		pg_temp.id(p_id), pg_temp.id(p_org), pg_temp.id(p_by), p_group,
		p_pair, p_title))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.conv(text, boolean, text, text, text, text)
	TO ludus_app;
CREATE FUNCTION pg_temp.member(p_conv text, p_user text,
	p_org text DEFAULT 'a1') RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO conversation_members
		(conversation_id, user_id, org_id) VALUES (%L, %L, %L)',
		pg_temp.id(p_conv), pg_temp.id(p_user), pg_temp.id(p_org)))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.member(text, text, text) TO ludus_app;
-- A message p_secs seconds from now.
CREATE FUNCTION pg_temp.msg(p_id text, p_conv text, p_sender text,
	p_body text, p_secs integer DEFAULT 0, p_org text DEFAULT 'a1')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO messages (id, org_id,
		conversation_id, sender_id, body, created_at)
		VALUES (%L, %L, %L, %L, %L, now() + make_interval(secs => %s))',
		pg_temp.id(p_id), pg_temp.id(p_org), pg_temp.id(p_conv),
		pg_temp.id(p_sender), p_body, p_secs))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.msg(text, text, text, text, integer, text)
	TO ludus_app;
CREATE FUNCTION pg_temp.report(p_id text, p_msg text, p_by text,
	p_reason text DEFAULT 'spam', p_note text DEFAULT '',
	p_status text DEFAULT 'open', p_resolved boolean DEFAULT false)
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO message_reports (id, org_id,
		message_id, reporter_id, reason, note, status, resolved_at)
		VALUES (%L, %L, %L, %L, %L, %L, %L, %s)', pg_temp.id(p_id),
		pg_temp.id('a1'), pg_temp.id(p_msg), pg_temp.id(p_by), p_reason,
		p_note, p_status, CASE WHEN p_resolved THEN 'now()' ELSE 'NULL' END))
$$;
CREATE FUNCTION pg_temp.block(p_by text, p_whom text, p_org text DEFAULT 'a1')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO user_blocks (blocker_id,
		blocked_id, org_id) VALUES (%L, %L, %L)', pg_temp.id(p_by),
		pg_temp.id(p_whom), pg_temp.id(p_org)))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.block(text, text, text) TO ludus_app;
CREATE FUNCTION pg_temp.may(a text, b text) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT message_allowed(pg_temp.id(a), pg_temp.id(b)) $$;
-- A conversation as p_user sees it.
CREATE FUNCTION pg_temp.cj(p_conv text, p_user text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT conversation_json(c, pg_temp.id(p_user)) FROM conversations c
	WHERE id = pg_temp.id(p_conv)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.cj(text, text) TO ludus_app;
-- The live events since the mark, as 'channel-user event' in id order.
CREATE FUNCTION pg_temp.events(p_after bigint) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(right(channel, 2) || ' ' || event
		|| ' ' || right(data->>'id', 2) ORDER BY id), '{}')
	FROM live_events WHERE id > p_after AND event = 'message'
$$;
CREATE FUNCTION pg_temp.mark() RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT coalesce(max(id), 0) FROM live_events
$$;

-- ---- the tables ------------------------------------------------------------

SELECT has_table(t) FROM unnest(ARRAY['conversations', 'conversation_members',
	'messages', 'user_blocks', 'message_reports']) t;
SELECT is(ARRAY(SELECT conrelid::regclass || ' ' || conname || ' '
		|| confdeltype::text FROM pg_constraint
		WHERE conrelid IN ('conversations'::regclass,
			'conversation_members'::regclass, 'messages'::regclass,
			'user_blocks'::regclass, 'message_reports'::regclass)
			AND contype = 'f' ORDER BY 1),
	ARRAY['conversation_members conversation_members_conversation_id_org_id_fkey c',
		'conversation_members conversation_members_user_id_org_id_fkey c',
		'conversations conversations_created_by_org_id_fkey n',
		'conversations conversations_org_id_fkey c',
		'message_reports message_reports_message_id_org_id_fkey c',
		'message_reports message_reports_reporter_id_org_id_fkey c',
		'message_reports message_reports_resolved_by_org_id_fkey n',
		'messages messages_conversation_id_org_id_fkey c',
		'messages messages_sender_id_org_id_fkey n',
		'user_blocks user_blocks_blocked_id_org_id_fkey c',
		'user_blocks user_blocks_blocker_id_org_id_fkey c'],
	'what each key''s going away does');
SELECT is(ARRAY(SELECT substring(pg_get_constraintdef(oid)
		FROM 'ON DELETE SET NULL .*$') FROM pg_constraint
		WHERE conname IN ('conversations_created_by_org_id_fkey',
			'messages_sender_id_org_id_fkey',
			'message_reports_resolved_by_org_id_fkey') ORDER BY conname),
	ARRAY['ON DELETE SET NULL (created_by)', 'ON DELETE SET NULL (resolved_by)',
		'ON DELETE SET NULL (sender_id)'],
	'the set-null keys forget the person, never the organization');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
		WHERE c.relname IN ('conversations', 'conversation_members',
			'messages', 'user_blocks', 'message_reports')
			AND c.relrowsecurity ORDER BY 1),
	ARRAY['conversation_members', 'conversations', 'message_reports',
		'messages', 'user_blocks'], 'each table is isolated by organization');
SELECT trigger_is('messages', 'messages_after_insert', 'messages_after_insert');

INSERT INTO organizations (id, slug, name) VALUES
	(pg_temp.id('a1'), 'msg-a', 'Messages A'),
	(pg_temp.id('b1'), 'msg-b', 'Messages B');
INSERT INTO users (id, org_id, email, username, password_hash, role)
SELECT pg_temp.id(u), pg_temp.id(o), 'msg-' || u || '@x.test', 'msg_' || u,
	'$2b$10$' || repeat('.', 53), r
FROM (VALUES ('a2', 'a1', 'instructor'), ('a3', 'a1', 'student'),
	('a4', 'a1', 'student'), ('a5', 'a1', 'student'),
	('a6', 'a1', 'student'), ('a7', 'a1', 'admin'), ('a8', 'a1', 'student'),
	('a9', 'a1', 'student'), ('b2', 'b1', 'instructor'),
	('b3', 'b1', 'student')) v(u, o, r);
INSERT INTO courses (id, org_id, owner_id, slug, title, status, published_at)
VALUES (pg_temp.id('c1'), pg_temp.id('a1'), pg_temp.id('a2'), 'msg-c1',
	'Networks', 'published', now());
INSERT INTO enrollments (user_id, course_id, org_id, status)
SELECT pg_temp.id(u), pg_temp.id('c1'), pg_temp.id('a1'), s
FROM (VALUES ('a3', 'active'), ('a4', 'active'), ('a6', 'active'),
	('a8', 'dropped'), ('a9', 'active')) v(u, s);
UPDATE users SET deleted_at = now() WHERE id = pg_temp.id('a6');

-- ---- who may write to whom -------------------------------------------------

SELECT ok(pg_temp.may('a2', 'a5'), 'staff to a learner of no course');
SELECT ok(pg_temp.may('a7', 'a5'), 'an admin too');
SELECT ok(pg_temp.may('a5', 'a2'), 'a learner to staff');
SELECT ok(pg_temp.may('a5', 'a7'), 'and to an admin');
SELECT ok(pg_temp.may('a3', 'a4'), 'a learner to a learner of their course');
SELECT ok(pg_temp.may('a4', 'a3'), '(and back)');
SELECT ok(NOT pg_temp.may('a3', 'a5'), 'not to a learner of no course of theirs');
SELECT ok(NOT pg_temp.may('a5', 'a3'), '(nor back)');
SELECT ok(NOT pg_temp.may('a3', 'a8'), 'nor to one who dropped the course');
SELECT ok(NOT pg_temp.may('a3', 'a6'), 'nor to a deleted member');
SELECT ok(NOT pg_temp.may('a6', 'a2'), 'nor as one');
SELECT ok(NOT pg_temp.may('a2', 'a2'), 'nor to oneself');
SELECT ok(NOT pg_temp.may('a2', 'b3'), 'nor, staff, to another organization');
SELECT ok(NOT pg_temp.may('b2', 'a3'), '(nor from it)');
SELECT ok(NOT message_allowed(pg_temp.id('a2'), pg_temp.id('ff')),
	'nor to nobody');
SELECT is(pg_temp.block('a4', 'a3'), 'ok', 'a4 blocks a3');
SELECT ok(NOT pg_temp.may('a3', 'a4'), 'the blocked no longer writes to the blocker');
SELECT ok(NOT pg_temp.may('a4', 'a3'), 'nor the blocker to the blocked');
SELECT ok(pg_temp.may('a7', 'a4'), '(others are not concerned)');
SELECT is(pg_temp.block('a4', 'a3'), '23505 user_blocks_pkey', 'a block once');
SELECT is(pg_temp.block('a4', 'a4'), '23514 user_blocks_check',
	'nobody blocks themself');
SELECT is(pg_temp.block('a4', 'b3'), '23503 user_blocks_blocked_id_org_id_fkey',
	'nor someone of another organization');
DELETE FROM user_blocks WHERE blocker_id = pg_temp.id('a4');

-- ---- conversations' checks -------------------------------------------------

SELECT is(pg_temp.conv('e1', false, pg_temp.pair('a2', 'a3')), 'ok', 'a pair');
SELECT is(pg_temp.conv('e9', false, pg_temp.pair('a3', 'a2')),
	'23505 conversations_pair_key_key', 'one conversation per pair');
SELECT is(pg_temp.conv('e9', false, NULL),
	'23514 conversations_check', 'a one to one has its pair key');
SELECT is(pg_temp.conv('e9', true, pg_temp.pair('a3', 'a5'), 'T'),
	'23514 conversations_check', 'a group has none');
SELECT is(pg_temp.conv('e9', false, pg_temp.pair('a3', 'a5'), 'T'),
	'23514 conversations_check1', 'a one to one has no title');
SELECT is(pg_temp.conv('e9', false, 'a:b'),
	'23514 conversations_pair_key_check', 'a pair key is two ids');
SELECT is(pg_temp.conv('e9', true, NULL, E' \t\n'),
	'23514 conversations_title_check', 'a title is not blank');
SELECT is(pg_temp.conv('e9', true, NULL, repeat('t', 101)),
	'23514 conversations_title_check', 'nor longer than 100');
SELECT is(pg_temp.conv('e9', true, NULL, repeat('é', 100)), 'ok',
	'100 characters are fine');
SELECT is(pg_temp.conv('e8', true, NULL, 'T', p_by => 'b2'),
	'23503 conversations_created_by_org_id_fkey',
	'its creator is of its organization');
SELECT is(pg_temp.conv('e2', false, pg_temp.pair('a3', 'a4'), p_by => 'a3'),
	'ok', 'another pair');
SELECT is(pg_temp.conv('e3', true, NULL, 'Study group'), 'ok', 'a group');
SELECT is(pg_temp.conv('eb', false, pg_temp.pair('b2', 'b3'), p_org => 'b1',
	p_by => 'b2'), 'ok', 'B''s pair');
SELECT is(pg_temp.member('e1', 'a2') || pg_temp.member('e1', 'a3')
	|| pg_temp.member('e2', 'a3') || pg_temp.member('e2', 'a4')
	|| pg_temp.member('e3', 'a2') || pg_temp.member('e3', 'a3')
	|| pg_temp.member('e3', 'a4') || pg_temp.member('e3', 'a5')
	|| pg_temp.member('eb', 'b2', 'b1') || pg_temp.member('eb', 'b3', 'b1'),
	repeat('ok', 10), 'their members');
SELECT is(pg_temp.member('e1', 'b3'),
	'23503 conversation_members_user_id_org_id_fkey',
	'nobody of another organization joins');
SELECT is(pg_temp.member('e1', 'a2'), '23505 conversation_members_pkey',
	'a member once');

-- ---- messages, the trigger -------------------------------------------------

SELECT is(pg_temp.msg('d0', 'e1', 'a2', ''), '23514 messages_body_check',
	'a body is not empty');
SELECT is(pg_temp.msg('d0', 'e1', 'a2', E' \r\n\t'), '23514 messages_body_check',
	'nor blank');
SELECT is(pg_temp.msg('d0', 'e1', 'a2', repeat('x', 5001)),
	'23514 messages_body_check', 'nor longer than 5,000 characters');
SELECT is(pg_temp.msg('d0', 'e1', 'b2', 'x'),
	'23503 messages_sender_id_org_id_fkey', 'its sender is of its organization');
SELECT is(pg_temp.msg('d0', 'eb', 'b2', 'x'),
	'23503 messages_conversation_id_org_id_fkey',
	'its conversation too');

-- e3: a5 left; a4 blocks a3.
UPDATE conversation_members SET left_at = now()
WHERE conversation_id = pg_temp.id('e3') AND user_id = pg_temp.id('a5');
SELECT is(pg_temp.block('a4', 'a3'), 'ok', 'a4 blocks a3 again');
CREATE TEMP TABLE mark AS SELECT pg_temp.mark() AS m;
SELECT is(pg_temp.msg('d1', 'e3', 'a3', repeat('é', 5000), 10), 'ok',
	'5,000 characters from a3 to the group');
SELECT is(pg_temp.events((SELECT m FROM mark)), ARRAY['a2 message d1'],
	'a live event for a2 only: not the sender, not who left, not the blocker');
SELECT is((SELECT last_message_at FROM conversations WHERE id = pg_temp.id('e3')),
	now() + interval '10 seconds', 'the group''s last activity');
SELECT is((SELECT data FROM live_events WHERE id > (SELECT m FROM mark)),
	jsonb_build_object('id', pg_temp.id('d1'), 'conversation_id',
		pg_temp.id('e3')), 'the event says which message, of which conversation');
UPDATE mark SET m = pg_temp.mark();
SELECT is(pg_temp.msg('d2', 'e3', 'a2', 'From a2', 20), 'ok', 'a2 writes');
SELECT is(pg_temp.events((SELECT m FROM mark)),
	ARRAY['a3 message d2', 'a4 message d2'], 'a3 and a4 hear of it');
SELECT is(pg_temp.msg('d3', 'e3', 'a3', 'a3 again', 30), 'ok', 'a3 again');
SELECT is(pg_temp.msg('d4', 'e2', 'a4', 'to a3', 5), 'ok', 'a one to one');

-- ---- conversation_json, message_json --------------------------------------

SELECT is(pg_temp.cj('e3', 'a4')->'last'->>'id', pg_temp.id('d2')::text,
	'the blocker''s last message is not the blocked''s');
SELECT is(pg_temp.cj('e3', 'a4')->'unread', '1'::jsonb,
	'nor are theirs unread');
SELECT is(pg_temp.cj('e3', 'a2')->'last'->>'id', pg_temp.id('d3')::text,
	'the others'' last is');
SELECT is(pg_temp.cj('e3', 'a2')->'unread', '2'::jsonb, 'two unread for a2');
SELECT is(pg_temp.cj('e3', 'a3')->'unread', '1'::jsonb,
	'one for a3 (their own are never unread)');
SELECT is(pg_temp.cj('e3', 'a3')->'last'->>'excerpt', 'a3 again',
	'the last one''s excerpt');
SELECT is(length(pg_temp.cj('e3', 'a2')->'last'->>'excerpt'), 8, '(short)');
SELECT is(ARRAY(SELECT jsonb_array_elements(pg_temp.cj('e3', 'a4')->'members')
		->> 'blocked' ORDER BY 1), ARRAY['false', 'false', 'true'],
	'the blocker sees whom they blocked among the others');
SELECT is((SELECT array_agg(e->>'left' ORDER BY e->>'username')
		FROM jsonb_array_elements(pg_temp.cj('e3', 'a2')->'members') e),
	ARRAY['false', 'false', 'true'], 'and who left');
SELECT is(jsonb_array_length(pg_temp.cj('e3', 'a2')->'members'), 3,
	'the others, not oneself');
SELECT is(pg_temp.cj('e3', 'a5')->'left', 'true'::jsonb, 'who left knows it');
SELECT is(pg_temp.cj('e3', 'a5')->'last', 'null'::jsonb,
	'and sees nothing said after they left');
UPDATE conversation_members SET read_at = now() + interval '20 seconds'
WHERE conversation_id = pg_temp.id('e3') AND user_id = pg_temp.id('a2');
SELECT is(pg_temp.cj('e3', 'a2')->'unread', '1'::jsonb, 'read up to d2');
UPDATE messages SET deleted_at = now() WHERE id = pg_temp.id('d3');
SELECT is(pg_temp.cj('e3', 'a2')->'unread', '0'::jsonb,
	'a deleted message is not unread');
SELECT is(pg_temp.cj('e3', 'a2')->'last'->'excerpt', 'null'::jsonb,
	'nor shown as the last');
SELECT is((SELECT message_json(x, pg_temp.id('a2')) - 'created_at' - 'sender'
		FROM messages x WHERE id = pg_temp.id('d3')),
	jsonb_build_object('id', pg_temp.id('d3'), 'conversation_id',
		pg_temp.id('e3'), 'mine', false, 'body', NULL, 'deleted', true,
		'removed', false), 'message_json: its place stays, its body not');
UPDATE messages SET removed_at = now() WHERE id = pg_temp.id('d2');
SELECT is((SELECT ARRAY[message_json(x, pg_temp.id('a2'))->>'body',
		message_json(x, pg_temp.id('a2'))->>'removed',
		message_json(x, pg_temp.id('a2'))->>'mine',
		message_json(x, pg_temp.id('a2'))->'sender'->>'username']
		FROM messages x WHERE id = pg_temp.id('d2')),
	ARRAY[NULL, 'true', 'true', 'msg_a2'], 'a removed message: no body, for its sender too');
UPDATE messages SET removed_at = NULL WHERE id = pg_temp.id('d2');

-- ---- reports ---------------------------------------------------------------

SELECT is(pg_temp.report('f1', 'd1', 'a2'), 'ok', 'a report');
SELECT is(pg_temp.report('f2', 'd1', 'a2', 'harassment'),
	'23505 message_reports_message_id_reporter_id_key',
	'one per member and message');
SELECT is(pg_temp.report('f2', 'd1', 'a4', 'rude'),
	'23514 message_reports_reason_check', 'the four reasons');
SELECT is(pg_temp.report('f2', 'd1', 'a4', 'other', E' \n'),
	'23514 message_reports_check1', 'other needs a note');
SELECT is(pg_temp.report('f2', 'd1', 'a4', 'other', 'It is rude.'), 'ok',
	'(with one, fine)');
SELECT is(pg_temp.report('f3', 'd2', 'a4', p_note => repeat('n', 501)),
	'23514 message_reports_note_check', 'a note of 500 at most');
SELECT is(pg_temp.report('f3', 'd2', 'a4', p_status => 'closed', p_resolved => true),
	'23514 message_reports_status_check', 'the three statuses');
SELECT is(pg_temp.report('f3', 'd2', 'a4', p_status => 'removed'),
	'23514 message_reports_check', 'a resolved report has its time');
SELECT is(pg_temp.report('f3', 'd2', 'a4', p_resolved => true),
	'23514 message_reports_check', 'an open one none');
SELECT is(pg_temp.report('f3', 'd2', 'a4', p_status => 'dismissed',
	p_resolved => true), 'ok', 'a dismissed report');
UPDATE message_reports SET resolved_by = pg_temp.id('a7')
WHERE id = pg_temp.id('f3');

-- ---- the rules --------------------------------------------------------------

SELECT is((SELECT ROW(status, body->>'is_group', body->'unread')::text
		FROM conversation_start(pg_temp.id('a1'), pg_temp.id('a5'),
			ARRAY[pg_temp.id('a7')], NULL, 'Hello admin')),
	'(201,false,0)', 'conversation_start: a new pair, 201');
SELECT is((SELECT ROW(status, body->'id' = to_jsonb(c.id))::text
		FROM conversation_start(pg_temp.id('a1'), pg_temp.id('a7'),
			ARRAY[pg_temp.id('a5')], 'ignored', NULL) f, conversations c
		WHERE c.pair_key = pg_temp.pair('a5', 'a7')),
	'(200,t)', 'from the other side: the same one, 200');
SELECT is((SELECT count(*) FROM messages x JOIN conversations c
		ON c.id = x.conversation_id WHERE c.pair_key = pg_temp.pair('a5', 'a7')),
	1::bigint, 'no body, no message');
SELECT is((SELECT ROW(status, problem, body #>> '{}')::text
		FROM conversation_start(pg_temp.id('a1'), pg_temp.id('a2'),
			ARRAY[pg_temp.id('a3'), pg_temp.id('a5')], NULL, 'x')),
	'(422,validation,"title: a group needs one")', 'a group needs a title');
SELECT is((SELECT status FROM conversation_start(pg_temp.id('a1'),
		pg_temp.id('a2'), ARRAY(SELECT pg_temp.id('a3')
			FROM generate_series(1, 20)), 'T', 'x')),
	422, 'no more than 19 others');
SELECT is((SELECT status FROM conversation_start(pg_temp.id('a1'),
		pg_temp.id('a2'), '{}', 'T', 'x')), 422, 'nor none');
SELECT is((SELECT ROW(status, problem)::text FROM conversation_start(
		pg_temp.id('a1'), pg_temp.id('a3'), ARRAY[pg_temp.id('a5')], NULL, 'x')),
	'(403,forbidden)', 'a learner to a stranger: 403');
SELECT is((SELECT ROW(status, problem)::text FROM conversation_start(
		pg_temp.id('a1'), pg_temp.id('a2'),
		ARRAY[pg_temp.id('a3'), pg_temp.id('a3')], 'Twice', 'x')),
	'(422,validation)', 'a member named twice makes no group of two');
SELECT is((SELECT ROW(status, problem)::text FROM message_send(
		pg_temp.id('a1'), pg_temp.id('a3'), pg_temp.id('e2'), 'hi')),
	'(403,forbidden)', 'message_send: not past a block in a one to one');
SELECT is((SELECT ROW(status, problem)::text FROM message_send(
		pg_temp.id('a1'), pg_temp.id('a5'), pg_temp.id('e3'), 'hi')),
	'(409,left)', 'nor to a group one left');
SELECT is((SELECT ROW(status, problem)::text FROM message_send(
		pg_temp.id('a1'), pg_temp.id('b3'), pg_temp.id('e1'), 'hi')),
	'(404,not-found)', 'nor to a conversation one is not in');
SELECT is((SELECT ROW(status, body->>'body', body->>'mine')::text
		FROM message_send(pg_temp.id('a1'), pg_temp.id('a3'),
			pg_temp.id('e3'), 'in the group')),
	'(201,"in the group",true)', 'the blocked still writes to the group');
INSERT INTO messages (org_id, conversation_id, sender_id, body)
SELECT pg_temp.id('a1'), pg_temp.id('e1'), pg_temp.id('a2'), 'n' || i
FROM generate_series(1, 29 - (SELECT count(*)::integer FROM messages
	WHERE sender_id = pg_temp.id('a2'))) i;  -- 29 this minute
SELECT is((SELECT ROW(status, problem)::text FROM message_send(
		pg_temp.id('a1'), pg_temp.id('a2'), pg_temp.id('e1'), 'one more')),
	'(201,)', 'the 30th message of the minute');
SELECT is((SELECT ROW(status, problem)::text FROM message_send(
		pg_temp.id('a1'), pg_temp.id('a2'), pg_temp.id('e1'), 'too many')),
	'(429,rate-limited)', 'not the 31st');
SELECT is((SELECT read_at FROM conversation_members
		WHERE conversation_id = pg_temp.id('e1') AND user_id = pg_temp.id('a2')),
	now(), 'the sender has read their conversation');
SELECT is((SELECT ROW(status, problem)::text FROM message_report(
		pg_temp.id('a1'), pg_temp.id('a3'), pg_temp.id('d1'), 'spam', NULL)),
	'(403,forbidden)', 'message_report: not one''s own');
SELECT is((SELECT ROW(status, problem)::text FROM message_report(
		pg_temp.id('a1'), pg_temp.id('a2'), pg_temp.id('d1'), 'spam', NULL)),
	'(409,already-reported)', 'once');
SELECT is((SELECT ROW(status, problem)::text FROM message_report(
		pg_temp.id('a1'), pg_temp.id('b3'), pg_temp.id('d1'), 'spam', NULL)),
	'(404,not-found)', 'not from outside the conversation');
SELECT is((SELECT ROW(status, problem)::text FROM message_report(
		pg_temp.id('a1'), pg_temp.id('a2'), pg_temp.id('d3'), 'spam', NULL)),
	'(404,not-found)', 'nor a deleted message');
SELECT is((SELECT ROW(status, problem)::text FROM message_report(
		pg_temp.id('a1'), pg_temp.id('a5'), pg_temp.id('d1'), 'spam', NULL)),
	'(404,not-found)', 'nor, having left, what was said after');

-- ---- row-level security, as ludus_app --------------------------------------

SELECT is(pg_temp.msg('db', 'eb', 'b2', 'B only', p_org => 'b1'), 'ok',
	'B has a message');
SELECT is(pg_temp.block('b3', 'b2', 'b1'), 'ok', 'and a block');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000034a1', true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is(ARRAY(SELECT DISTINCT org_id FROM conversations
	UNION SELECT DISTINCT org_id FROM conversation_members
	UNION SELECT DISTINCT org_id FROM messages
	UNION SELECT DISTINCT org_id FROM user_blocks
	UNION SELECT DISTINCT org_id FROM message_reports),
	ARRAY[pg_temp.id('a1')], 'ludus_app sees its organization''s rows only');
SELECT is(pg_temp.cj('eb', 'b2'), NULL, 'no other organization''s conversation');
SELECT is(pg_temp.msg('d9', 'e3', 'a2', 'as the app', 40), 'ok',
	'it writes a message of its own');
SELECT is(pg_temp.msg('dc', 'eb', 'b2', 'into B', p_org => 'b1'), '42501 -',
	'none into B');
SELECT is(pg_temp.member('eb', 'b2', 'b1'), '42501 -', 'nor a member');
SELECT is(pg_temp.block('b2', 'b3', 'b1'), '42501 -', 'nor a block');
SELECT is(pg_temp.conv('b8', true, NULL, 'T', 'b1', 'b2'), '42501 -',
	'nor a conversation');
WITH d AS (DELETE FROM messages WHERE org_id = pg_temp.id('b1') RETURNING 1)
SELECT is(count(*), 0::bigint, 'it deletes none of B''s') FROM d;
RESET ROLE;
SELECT is((SELECT body FROM messages WHERE id = pg_temp.id('db')), 'B only',
	'whose message is as it was');

-- ---- what going away does ---------------------------------------------------

INSERT INTO conversation_members (conversation_id, user_id, org_id)
VALUES (pg_temp.id('e3'), pg_temp.id('a9'), pg_temp.id('a1'));
SELECT is(pg_temp.msg('d5', 'e3', 'a9', 'from a9', 50), 'ok', 'a9 writes');
SELECT is(pg_temp.report('f5', 'd1', 'a9'), 'ok', 'and reports');
SELECT is(pg_temp.block('a9', 'a2'), 'ok', 'and blocks');
UPDATE conversations SET created_by = pg_temp.id('a9') WHERE id = pg_temp.id('e3');
SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('a9')$$,
	'a member deleted for good');
SELECT is((SELECT ROW(sender_id, body)::text FROM messages
	WHERE id = pg_temp.id('d5')), '(,"from a9")', 'their message stays, by nobody');
SELECT is((SELECT ROW(id = pg_temp.id('e3'), created_by)::text FROM conversations
	WHERE id = pg_temp.id('e3')), '(t,)', 'the group they made stays');
SELECT is((SELECT count(*) FROM conversation_members
	WHERE user_id = pg_temp.id('a9')), 0::bigint, 'their membership goes');
SELECT is((SELECT count(*) FROM message_reports
	WHERE reporter_id = pg_temp.id('a9')), 0::bigint, 'their reports go');
SELECT is((SELECT count(*) FROM user_blocks
	WHERE blocker_id = pg_temp.id('a9')), 0::bigint, 'their blocks go');
SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('a7')$$,
	'an admin who resolved a report deleted for good');
SELECT is((SELECT ROW(status, resolved_by)::text FROM message_reports
	WHERE id = pg_temp.id('f3')), '(dismissed,)', 'the report stays, resolved by nobody');
SELECT lives_ok($$DELETE FROM messages WHERE id = pg_temp.id('d1')$$,
	'a reported message deleted for good');
SELECT is((SELECT count(*) FROM message_reports WHERE message_id = pg_temp.id('d1')),
	0::bigint, 'takes its reports');
SELECT lives_ok($$DELETE FROM conversations WHERE id = pg_temp.id('e3')$$,
	'a conversation deleted');
SELECT is((SELECT count(*) FROM messages WHERE conversation_id = pg_temp.id('e3'))
	+ (SELECT count(*) FROM conversation_members
		WHERE conversation_id = pg_temp.id('e3')), 0::bigint,
	'takes its messages and members');
SELECT is((SELECT count(*) FROM message_reports WHERE message_id = pg_temp.id('d2')),
	0::bigint, 'and the reports of its messages');

SELECT * FROM finish();
ROLLBACK;
