-- 0030_suggested_edits: a learner's proposed text for a lesson.
--
-- suggested_edits: its keys to its organization's lesson, course and
-- people and what their going away does (the lesson, the course and the
-- proposer take it; its decider is forgotten); its checks (a payload that
-- is an object whose markdown is a string of 1 to 100,000 characters, a
-- note of 2,000 at most, a positive base version, the four statuses, a
-- decision's time given exactly when accepted or rejected, a reason
-- exactly when rejected, the version it became exactly when accepted);
-- one waiting suggestion per learner and lesson but any number decided or
-- withdrawn; updated_at kept by its trigger.  suggested_edit_json; the
-- three new kinds of notification; row-level security as ludus_app
-- (tests/sql/0015_isolation.sql checks the policy with every other
-- table).  The down migration is not tested here.  All in one
-- rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(113);

\ir lib/refused.psql

-- This file's ids: a1 organization A, a2 its instructor (owns c1), a3 and
-- a4 learners, a5 an instructor who decides (deleted for good later), a6
-- a learner deleted for good later; c1 A's course, e1 its unit, d1, d2
-- and d3 its lessons (d3 deleted for good later); 01.. A's suggestions.
-- b1 organization B, b2 its instructor, b3 a learner, bc its course, be
-- its unit, bd its lesson, bf a suggestion for it.
CREATE FUNCTION pg_temp.id(p text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
	SELECT ('00000000-0000-4000-8000-0000000030' || p)::uuid
$$;
GRANT EXECUTE ON FUNCTION pg_temp.id(text) TO ludus_app;
-- A suggestion p_id for lesson p_lesson of course p_course by p_user.
CREATE FUNCTION pg_temp.suggest(p_id text, p_lesson text, p_user text,
	p_payload jsonb DEFAULT '{"markdown": "A better text."}',
	p_base integer DEFAULT 1, p_note text DEFAULT '',
	p_course text DEFAULT 'c1', p_org text DEFAULT 'a1')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO suggested_edits (id, org_id,
		lesson_id, course_id, user_id, payload, note, base_version)
		VALUES (%L, %L, %L, %L, %L, %L, %L, %L)', pg_temp.id(p_id),
		pg_temp.id(p_org), pg_temp.id(p_lesson), pg_temp.id(p_course),
		pg_temp.id(p_user), p_payload, p_note, p_base))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.suggest(text, text, text, jsonb, integer,
	text, text, text) TO ludus_app;
-- The suggestion p_id changed by p_set (an UPDATE's SET list).
CREATE FUNCTION pg_temp.set(p_id text, p_set text) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('UPDATE suggested_edits SET %s WHERE id = %L',
		p_set, pg_temp.id(p_id)))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.set(text, text) TO ludus_app;
-- p_user's suggestions for lesson p_lesson, their statuses in id order.
CREATE FUNCTION pg_temp.statuses(p_lesson text, p_user text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT string_agg(status, ' ' ORDER BY id) FROM suggested_edits
	WHERE lesson_id = pg_temp.id(p_lesson) AND user_id = pg_temp.id(p_user)
$$;
-- The suggestion p_id as JSON (null: no such suggestion).
CREATE FUNCTION pg_temp.json(p_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT suggested_edit_json(s) FROM suggested_edits s
	WHERE id = pg_temp.id(p_id)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.json(text) TO ludus_app;
-- A notification of kind p_kind for A's learner a3: 'ok' or why refused.
CREATE FUNCTION pg_temp.notify(p_kind text) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO notifications (org_id, user_id,
		kind, title, dedupe_key) VALUES (%L, %L, %L, %L, %L)',
		pg_temp.id('a1'), pg_temp.id('a3'), p_kind, 'A notification',
		p_kind || ':0030'))
$$;

-- ---- the table -------------------------------------------------------------

SELECT has_table('suggested_edits');
SELECT col_is_pk('suggested_edits', 'id');
SELECT fk_ok('suggested_edits', ARRAY['lesson_id', 'org_id'],
	'lessons', ARRAY['id', 'org_id']);
SELECT fk_ok('suggested_edits', ARRAY['course_id', 'org_id'],
	'courses', ARRAY['id', 'org_id']);
SELECT fk_ok('suggested_edits', ARRAY['user_id', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT fk_ok('suggested_edits', ARRAY['decided_by', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT is(ARRAY(SELECT conname || ' ' || confdeltype::text FROM pg_constraint
		WHERE conrelid = 'suggested_edits'::regclass AND contype = 'f'
		ORDER BY conname),
	ARRAY['suggested_edits_course_id_org_id_fkey c',
		'suggested_edits_decided_by_org_id_fkey n',
		'suggested_edits_lesson_id_course_id_fkey c',
		'suggested_edits_lesson_id_org_id_fkey c',
		'suggested_edits_user_id_org_id_fkey c'],
	'a suggestion goes with its lesson, its course and its proposer; its decider is forgotten');
SELECT matches((SELECT pg_get_constraintdef(oid) FROM pg_constraint
	WHERE conname = 'suggested_edits_decided_by_org_id_fkey'),
	'ON DELETE SET NULL \(decided_by\)$',
	'(the decider only, not the organization)');
SELECT is((SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
	WHERE i.indexrelid = 'suggested_edits_pending_key'::regclass),
	'CREATE UNIQUE INDEX suggested_edits_pending_key ON public.suggested_edits '
	'USING btree (lesson_id, user_id) WHERE (status = ''pending''::text)',
	'one waiting suggestion per lesson and learner: a unique partial index');
SELECT trigger_is('suggested_edits', 'suggested_edits_updated_at',
	'set_updated_at');
SELECT function_returns('suggested_edit_json', ARRAY['suggested_edits'],
	'jsonb');

-- Two organizations of their own.
INSERT INTO organizations (id, slug, name) VALUES
	(pg_temp.id('a1'), 'suggest-a', 'Suggest A'),
	(pg_temp.id('b1'), 'suggest-b', 'Suggest B');
INSERT INTO users (id, org_id, email, username, password_hash, role)
SELECT pg_temp.id(u), pg_temp.id(o), 'se-' || u || '@x.test', 'se_' || u,
	'$2b$10$' || repeat('.', 53), r
FROM (VALUES ('a2', 'a1', 'instructor'), ('a3', 'a1', 'student'),
	('a4', 'a1', 'student'), ('a5', 'a1', 'instructor'),
	('a6', 'a1', 'student'), ('b2', 'b1', 'instructor'),
	('b3', 'b1', 'student')) v(u, o, r);
INSERT INTO courses (id, org_id, owner_id, slug, title, status, published_at)
VALUES (pg_temp.id('c1'), pg_temp.id('a1'), pg_temp.id('a2'), 'se-c1',
		'Networks', 'published', now()),
	(pg_temp.id('bc'), pg_temp.id('b1'), pg_temp.id('b2'), 'se-bc',
		'B''s course', 'published', now()),
	(pg_temp.id('c9'), pg_temp.id('a1'), pg_temp.id('a2'), 'se-c9',
		'Another course of A', 'published', now());
INSERT INTO units (id, org_id, course_id, title)
VALUES (pg_temp.id('e1'), pg_temp.id('a1'), pg_temp.id('c1'), 'Unit 1'),
	(pg_temp.id('be'), pg_temp.id('b1'), pg_temp.id('bc'), 'Unit B');
INSERT INTO lessons (id, org_id, course_id, unit_id, title, content, status,
	published_at)
SELECT pg_temp.id(l), pg_temp.id(o), pg_temp.id(c), pg_temp.id(u), t,
	jsonb_build_object('markdown', 'The text of ' || t || '.'), 'published',
	now()
FROM (VALUES ('d1', 'a1', 'c1', 'e1', 'Subnetting'),
	('d2', 'a1', 'c1', 'e1', 'Routing'), ('d3', 'a1', 'c1', 'e1', 'VLANs'),
	('bd', 'b1', 'bc', 'be', 'B''s lesson')) v(l, o, c, u, t);

-- ---- keys and ties to the organization -------------------------------------

SELECT is(pg_temp.suggest('0f', 'd1', 'a3', p_course => 'c9'),
	'23503 suggested_edits_lesson_id_course_id_fkey',
	'the course is the lesson''s own, not another of the organization''s');
SELECT is(pg_temp.suggest('01', 'd1', 'a3'), 'ok',
	'a learner suggests an edit to a lesson');
SELECT is((SELECT ROW(status, note, decided_by, decided_at, reason,
		applied_version)::text FROM suggested_edits WHERE id = pg_temp.id('01')),
	'(pending,"",,,,)', 'it waits, with no note and nothing decided');
SELECT is(pg_temp.suggest('01', 'd2', 'a4'), '23505 suggested_edits_pkey',
	'a suggestion''s id is its own');
SELECT is(pg_temp.suggest('0f', 'bd', 'a3'),
	'23503 suggested_edits_lesson_id_org_id_fkey',
	'a lesson of the suggestion''s organization');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', p_course => 'bc'),
	'23503 suggested_edits_course_id_org_id_fkey', 'a course of it');
SELECT is(pg_temp.suggest('0f', 'd2', 'b3'),
	'23503 suggested_edits_user_id_org_id_fkey', 'by one of its people');
SELECT is(pg_temp.suggest('0f', 'd2', 'b3', p_course => 'bc', p_org => 'b1'),
	'23503 suggested_edits_lesson_id_org_id_fkey',
	'(nor written as the other organization''s)');
SELECT is(pg_temp.suggest('0f', 'ff', 'a3'),
	'23503 suggested_edits_lesson_id_org_id_fkey', 'of a lesson that exists');
SELECT is(pg_temp.set('01', format('decided_by = %L', pg_temp.id('b2'))),
	'23503 suggested_edits_decided_by_org_id_fkey',
	'decided by one of the organization''s people');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', NULL), '23502 -',
	'a payload is never null');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', p_base => NULL), '23502 -',
	'nor the version it was made against');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', p_note => NULL), '23502 -',
	'nor a note');

-- ---- the payload, the note, the base version -------------------------------

SELECT is(pg_temp.suggest('0f', 'd2', 'a3', '[]'),
	'23514 suggested_edits_payload_check', 'a payload is an object, not an array');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', '"A better text."'),
	'23514 suggested_edits_payload_check', 'nor a string');
-- A payload without the key is refused too (a null CHECK would pass).
SELECT is(pg_temp.suggest('f0', 'd2', 'a2', '{}'),
	'23514 suggested_edits_payload_check', 'it has its markdown');
SELECT is(pg_temp.suggest('f1', 'd3', 'a2', '{"text": "A better text."}'),
	'23514 suggested_edits_payload_check', 'under that name');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', '{"markdown": 5}'),
	'23514 suggested_edits_payload_check', 'a string, not a number');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', '{"markdown": null}'),
	'23514 suggested_edits_payload_check', 'nor null');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', '{"markdown": ["A text"]}'),
	'23514 suggested_edits_payload_check', 'nor an array');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3', '{"markdown": ""}'),
	'23514 suggested_edits_payload_check', 'the markdown is not empty');
SELECT is(pg_temp.suggest('0f', 'd2', 'a3',
		jsonb_build_object('markdown', repeat('m', 100001))),
	'23514 suggested_edits_payload_check',
	'nor longer than 100,000 characters');
SELECT is(pg_temp.suggest('02', 'd2', 'a3',
		jsonb_build_object('markdown', repeat('m', 100000))), 'ok',
	'100,000 characters go in (the same learner, another lesson)');
SELECT is(pg_temp.suggest('03', 'd2', 'a4',
		jsonb_build_object('markdown', repeat('é', 100000))), 'ok',
	'characters, not bytes (another learner, the same lesson)');
SELECT is(pg_temp.suggest('04', 'd3', 'a4', '{"markdown": "x"}'), 'ok',
	'and one character');
SELECT is(pg_temp.suggest('0f', 'd1', 'a6', p_note => repeat('n', 2001)),
	'23514 suggested_edits_note_check', 'a note of 2,001 characters is refused');
SELECT is(pg_temp.suggest('05', 'd1', 'a6', p_note => repeat('n', 2000)),
	'ok', 'one of 2,000 is not');
SELECT is(pg_temp.suggest('0f', 'd1', 'a2', p_base => 0),
	'23514 suggested_edits_base_version_check',
	'the version it was made against is positive');
SELECT is(pg_temp.suggest('0f', 'd1', 'a2', p_base => -1),
	'23514 suggested_edits_base_version_check', '(not negative)');

-- ---- statuses and decisions ------------------------------------------------

SELECT is(pg_temp.set('01', $$status = 'draft'$$),
	'23514 suggested_edits_status_check', 'a status unknown is refused');
SELECT is(pg_temp.set('01', $$status = 'Pending'$$),
	'23514 suggested_edits_status_check', '(as written)');
SELECT is(pg_temp.set('01', 'status = NULL'), '23502 -', 'a status is never null');

-- A decision's time: given exactly when accepted or rejected.
SELECT is(pg_temp.set('01', $$status = 'accepted', applied_version = 2$$),
	'23514 suggested_edits_check', 'accepted, it has the time it was decided');
SELECT is(pg_temp.set('01', $$status = 'rejected', reason = 'Off topic'$$),
	'23514 suggested_edits_check', 'rejected too');
SELECT is(pg_temp.set('01', 'decided_at = now()'),
	'23514 suggested_edits_check', 'a waiting one has none');
SELECT is(pg_temp.set('01', $$status = 'withdrawn', decided_at = now()$$),
	'23514 suggested_edits_check', 'nor a withdrawn one');
-- A reason: given exactly when rejected.
SELECT is(pg_temp.set('01', $$status = 'rejected', decided_at = now()$$),
	'23514 suggested_edits_check1', 'rejected, it has a reason');
SELECT is(pg_temp.set('01', $$reason = 'Off topic'$$),
	'23514 suggested_edits_check1', 'a waiting one has none');
SELECT is(pg_temp.set('01', $$status = 'withdrawn', reason = 'Off topic'$$),
	'23514 suggested_edits_check1', 'nor a withdrawn one');
SELECT is(pg_temp.set('01', $$status = 'accepted', decided_at = now(),
	applied_version = 2, reason = 'Off topic'$$),
	'23514 suggested_edits_check1', 'nor an accepted one');
-- The version the text became: given exactly when accepted.
SELECT is(pg_temp.set('01', $$status = 'accepted', decided_at = now()$$),
	'23514 suggested_edits_check2', 'accepted, it has the version it became');
SELECT is(pg_temp.set('01', 'applied_version = 2'),
	'23514 suggested_edits_check2', 'a waiting one has none');
SELECT is(pg_temp.set('01', $$status = 'rejected', decided_at = now(),
	reason = 'Off topic', applied_version = 2$$),
	'23514 suggested_edits_check2', 'nor a rejected one');
SELECT is(pg_temp.set('01', $$status = 'withdrawn', applied_version = 2$$),
	'23514 suggested_edits_check2', 'nor a withdrawn one');
SELECT is(pg_temp.set('01', $$status = 'rejected', decided_at = now(),
	reason = '   '$$), '23514 suggested_edits_reason_check',
	'a reason is not blank');
SELECT is(pg_temp.set('01', $$status = 'rejected', decided_at = now(),
	reason = repeat('r', 2001)$$), '23514 suggested_edits_reason_check',
	'nor longer than 2,000 characters');
SELECT is(pg_temp.set('01', $$status = 'accepted', decided_at = now(),
	applied_version = 0$$), '23514 suggested_edits_applied_version_check',
	'the version it became is positive');
SELECT is(pg_temp.statuses('d1', 'a3'), 'pending',
	'(the refused changes changed nothing)');

-- ---- one waiting per learner and lesson ------------------------------------

SELECT is(pg_temp.suggest('06', 'd1', 'a3'),
	'23505 suggested_edits_pending_key',
	'a learner has one suggestion waiting per lesson');
SELECT is(pg_temp.suggest('06', 'd1', 'a4'), 'ok',
	'another learner has one for the same lesson');
SELECT is(pg_temp.set('01', $$status = 'withdrawn'$$), 'ok',
	'a suggestion withdrawn (no time, no reason)');
SELECT is(pg_temp.suggest('07', 'd1', 'a3'), 'ok',
	'a new one may wait after the old is withdrawn');
SELECT is(pg_temp.set('07', format($$status = 'rejected', decided_at = now(),
	decided_by = %L, reason = repeat('r', 2000)$$, pg_temp.id('a2'))), 'ok',
	'a suggestion rejected, with a reason of 2,000 characters');
SELECT is(pg_temp.suggest('08', 'd1', 'a3'), 'ok', 'and after one is rejected');
SELECT is(pg_temp.set('08', format($$status = 'accepted', decided_at = now(),
	decided_by = %L, applied_version = 2$$, pg_temp.id('a5'))), 'ok',
	'a suggestion accepted, with the version it became');
SELECT is(pg_temp.suggest('09', 'd1', 'a3'), 'ok', 'and after one is accepted');
SELECT is(pg_temp.set('01', $$status = 'pending'$$),
	'23505 suggested_edits_pending_key',
	'a withdrawn one does not wait again beside the new one');
SELECT is(pg_temp.set('09', $$status = 'withdrawn'$$), 'ok',
	'the new one withdrawn too');
SELECT is(pg_temp.suggest('0a', 'd1', 'a3'), 'ok', 'and another made');
SELECT is(pg_temp.statuses('d1', 'a3'),
	'withdrawn rejected accepted withdrawn pending',
	'any number withdrawn or decided; one waiting');
SELECT is(pg_temp.refused(format($$INSERT INTO suggested_edits (id, org_id,
		lesson_id, course_id, user_id, payload, base_version, status)
		VALUES (%L, %L, %L, %L, %L, '{"markdown": "Old"}', 1, 'withdrawn')$$,
		pg_temp.id('0e'), pg_temp.id('a1'), pg_temp.id('d2'), pg_temp.id('c1'),
		pg_temp.id('a4'))), 'ok',
	'a withdrawn one beside a waiting one of the same learner and lesson');

-- ---- updated_at ------------------------------------------------------------

INSERT INTO suggested_edits (id, org_id, lesson_id, course_id, user_id,
	payload, base_version, created_at, updated_at)
VALUES (pg_temp.id('0b'), pg_temp.id('a1'), pg_temp.id('d3'), pg_temp.id('c1'),
	pg_temp.id('a3'), '{"markdown": "Yesterday''s"}', 1,
	now() - interval '1 day', now() - interval '1 day');
SELECT is(pg_temp.set('0b', $$note = 'Typo fixed'$$), 'ok', 'a note changed');
SELECT is((SELECT ARRAY[now() - created_at, now() - updated_at]
	FROM suggested_edits WHERE id = pg_temp.id('0b')),
	ARRAY[interval '1 day', interval '0'],
	'moves updated_at to now, not created_at');
UPDATE suggested_edits SET updated_at = now() - interval '1 hour'
WHERE id = pg_temp.id('0b');
SELECT is((SELECT updated_at FROM suggested_edits WHERE id = pg_temp.id('0b')),
	now(), 'an update that sets updated_at itself gets now all the same');

-- ---- suggested_edit_json ---------------------------------------------------

SELECT is(ARRAY(SELECT jsonb_object_keys(pg_temp.json('08')) ORDER BY 1),
	ARRAY['applied_version', 'author', 'base_version', 'course_id',
		'created_at', 'decided_at', 'decided_by', 'id', 'lesson_id',
		'lesson_title', 'markdown', 'note', 'reason', 'status', 'updated_at'],
	'a suggestion as JSON: its keys');
SELECT is(pg_temp.json('08') - 'created_at' - 'updated_at',
	jsonb_build_object('id', pg_temp.id('08'), 'lesson_id', pg_temp.id('d1'),
		'course_id', pg_temp.id('c1'), 'lesson_title', 'Subnetting',
		'author', jsonb_build_object('id', pg_temp.id('a3'), 'username',
			'se_a3'), 'markdown', 'A better text.', 'note', '',
		'base_version', 1, 'status', 'accepted', 'decided_by', 'se_a5',
		'decided_at', now(), 'reason', NULL, 'applied_version', 2),
	'an accepted one: its lesson and title, author, text, decider and version');
SELECT is((SELECT jsonb_build_array(j->'status', j->'decided_by',
		length(j->>'reason'), j->'applied_version') FROM pg_temp.json('07') j),
	'["rejected", "se_a2", 2000, null]'::jsonb,
	'a rejected one: by whom, and why');
SELECT is((SELECT jsonb_build_array(j->'status', j->'decided_by',
		j->'decided_at', j->'reason', j->'applied_version')
		FROM pg_temp.json('0a') j),
	'["pending", null, null, null, null]'::jsonb,
	'a waiting one: nothing decided, by nobody');
SELECT is(pg_temp.json('02')->>'markdown', repeat('m', 100000),
	'the whole markdown, from the payload');
SELECT is(pg_temp.json('05')->>'note', repeat('n', 2000), 'the note');
SELECT is((SELECT jsonb_build_array(j->'author'->>'username', j->'base_version')
		FROM pg_temp.json('04') j), '["se_a4", 1]'::jsonb,
	'another''s, made against version 1');
SELECT is(pg_temp.json('0b')->'created_at',
	to_jsonb((SELECT created_at FROM suggested_edits WHERE id = pg_temp.id('0b'))),
	'when it was made');
SELECT is(pg_temp.json('0b')->'updated_at', to_jsonb(now()), 'and last changed');
UPDATE lessons SET title = 'Subnetting, again' WHERE id = pg_temp.id('d1');
SELECT is(pg_temp.json('08')->>'lesson_title', 'Subnetting, again',
	'the lesson''s title as it is now');

-- ---- what the going away of others does ------------------------------------

SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('a5')$$,
	'the one who accepted a suggestion deleted for good');
SELECT is((SELECT ROW(status, decided_by, decided_at = now(), applied_version,
		org_id = pg_temp.id('a1'))::text
	FROM suggested_edits WHERE id = pg_temp.id('08')),
	'(accepted,,t,2,t)', 'the suggestion stays accepted, then, by nobody');
SELECT is(pg_temp.json('08')->'decided_by', 'null'::jsonb,
	'and is shown without a name');
SELECT is((SELECT count(*) FROM suggested_edits
	WHERE user_id = pg_temp.id('a6')), 1::bigint, '(a6 has a suggestion)');
SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('a6')$$,
	'a learner deleted for good');
SELECT is((SELECT count(*) FROM suggested_edits
	WHERE user_id = pg_temp.id('a6')), 0::bigint, 'takes their suggestions');
SELECT is(ARRAY(SELECT status FROM suggested_edits
		WHERE lesson_id = pg_temp.id('d3') ORDER BY id),
	ARRAY['pending', 'pending'], '(d3 has two suggestions)');
SELECT lives_ok($$DELETE FROM lessons WHERE id = pg_temp.id('d3')$$,
	'a lesson deleted for good');
SELECT is((SELECT count(*) FROM suggested_edits
	WHERE lesson_id = pg_temp.id('d3')), 0::bigint, 'takes its suggestions');
SELECT is((SELECT count(*) FROM suggested_edits
	WHERE org_id = pg_temp.id('a1')), 9::bigint,
	'not the others'' (01, 02, 03, 06, 07, 08, 09, 0a and 0e are left)');

-- ---- notifications ---------------------------------------------------------

SELECT is(pg_temp.notify('edit_suggested'), 'ok',
	'a notification of a suggestion for a lesson one writes');
SELECT is(pg_temp.notify('suggestion_accepted'), 'ok', 'of one''s accepted');
SELECT is(pg_temp.notify('suggestion_rejected'), 'ok', 'of one''s rejected');
SELECT is(ARRAY(SELECT pg_temp.notify(k) FROM unnest(ARRAY[
		'achievement_unlocked', 'level_up', 'streak_at_risk', 'goal_reached',
		'avatar_unlocked', 'course_reviewed', 'review_answered']) k),
	ARRAY['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'the kinds of before still go in');
SELECT is(pg_temp.notify('suggestion_withdrawn'), '23514 notifications_kind_check',
	'a kind unknown does not');
SELECT is(pg_temp.notify('Edit_suggested'), '23514 notifications_kind_check',
	'(as written)');

-- ---- row-level security, as ludus_app --------------------------------------

SELECT is(pg_temp.suggest('bf', 'bd', 'b3', p_course => 'bc', p_org => 'b1'),
	'ok', 'B has a suggestion');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000030a1', true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is(ARRAY(SELECT DISTINCT org_id FROM suggested_edits),
	ARRAY[pg_temp.id('a1')], 'ludus_app sees its organization''s suggestions only');
SELECT is((SELECT count(*) FROM suggested_edits), 9::bigint, 'all of them');
SELECT is(pg_temp.json('bf'), NULL, 'no other organization''s, even as JSON');
SELECT is(pg_temp.json('0a')->'author'->>'username', 'se_a3',
	'its own as JSON, with their authors');
SELECT is(pg_temp.suggest('0c', 'd2', 'a2'), 'ok', 'it writes a suggestion');
SELECT is(pg_temp.set('0c', $$status = 'withdrawn'$$), 'ok', 'and withdraws it');
SELECT is(pg_temp.suggest('bb', 'bd', 'b2', p_course => 'bc', p_org => 'b1'),
	'42501 -', 'but writes none for another organization');
SELECT is(pg_temp.set('0a', format('org_id = %L', pg_temp.id('b1'))),
	'42501 -', 'nor moves its own to it');
WITH u AS (UPDATE suggested_edits SET note = 'Mine now'
	WHERE org_id = pg_temp.id('b1') RETURNING 1)
SELECT is(count(*), 0::bigint, 'it changes none of the other''s') FROM u;
WITH d AS (DELETE FROM suggested_edits WHERE id = pg_temp.id('bf') RETURNING 1)
SELECT is(count(*), 0::bigint, 'and deletes none') FROM d;
RESET ROLE;
SELECT is((SELECT ROW(org_id = pg_temp.id('b1'), status, note)::text
	FROM suggested_edits WHERE id = pg_temp.id('bf')), '(t,pending,"")',
	'whose suggestion is as it was');

SELECT * FROM finish();
ROLLBACK;
