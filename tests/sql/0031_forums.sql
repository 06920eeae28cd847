-- 0031_forums: the forums of courses and organizations.
--
-- The tables (under row-level security) and their triggers: a General
-- category for every organization and course made; a reply's number and
-- path (nesting 64 deep at most, a parent of the same thread); a thread's
-- count of shown replies (deleted, hidden, shown again, never below 0);
-- a category's count of threads (made, deleted softly, moved); likes of
-- threads and replies and the members' likes given and received;
-- accepted answers counted for their authors; flags hiding a post at the
-- organization's flags_to_hide open flags, and their settling (agreed,
-- dismissed: shown again only when the flags hid it).  Trust: forum_read's
-- threads entered, posts read and days visited; levels rising with the
-- organization's thresholds, never falling by themselves, kept when staff
-- set them.  The rules: forum_thread_create (links of new members, the
-- day's limit, staff), forum_reply_create (locked, hidden, nesting),
-- forum_answers_hidden, forum_like, forum_accept, forum_edit (versions and
-- revisions), forum_delete, forum_moderate, forum_watch, forum_flag,
-- forum_flag_resolve; forum_role; forum_mentioned; forum_search and the
-- vocabulary its typos are corrected against; the checks of every table;
-- row-level security as ludus_app (tests/sql/0015_isolation.sql checks
-- the policy with every other table); a member and a course deleted for
-- good.  The down migration is not tested here.  All in one rolled-back
-- transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(374);

\ir lib/refused.psql

-- This file's ids: a1 organization A; a2 its instructor (owns c1 and c2),
-- a3 an instructor collaborating on c1, ae an instructor who sets a trust
-- level (deleted for good later); learners enrolled in c1: a4, a5, a6
-- (deleted for good later), a8 (earns trust), a9 (new member, limits), ac,
-- ad, af (Q&A); a7 a member enrolled in nothing, aa one who dropped c1, ab
-- one deleted (softly); e0..eb members for mentions.  c1 and c2 A's
-- courses, c3 one ludus_app makes; ca c1's Q&A category, 0e another of
-- c2's.  Threads 10..1f, replies 20..3f; 0f an id that is always refused.
-- b1 organization B, b2 its instructor (owns bc), b3 a
-- learner, b4 and b7 members; bd a category of B's, b5 and b9 B's threads,
-- b6 a reply, b8 a flag.
CREATE FUNCTION pg_temp.id(p text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
	SELECT ('00000000-0000-4000-8000-0000000031' || p)::uuid
$$;
GRANT EXECUTE ON FUNCTION pg_temp.id(text) TO ludus_app;
-- The General category of course p_course (null: of the organization).
CREATE FUNCTION pg_temp.general(p_course text, p_org text DEFAULT 'a1')
RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM forum_categories WHERE org_id = pg_temp.id(p_org)
		AND course_id IS NOT DISTINCT FROM pg_temp.id(p_course)
		AND name = 'General'
$$;
GRANT EXECUTE ON FUNCTION pg_temp.general(text, text) TO ludus_app;
-- A category p_id of course p_course (null: the organization's).
CREATE FUNCTION pg_temp.category(p_id text, p_course text, p_name text,
	p_kind text DEFAULT 'discussion', p_description text DEFAULT '',
	p_org text DEFAULT 'a1') RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO forum_categories (id, org_id,
		course_id, name, kind, description) VALUES (%L, %L, %L, %L, %L, %L)',
		pg_temp.id(p_id), pg_temp.id(p_org), pg_temp.id(p_course), p_name,
		p_kind, p_description))
$$;
-- A thread p_id in category p_cat by p_user, written straight in.
CREATE FUNCTION pg_temp.thread(p_id text, p_cat uuid, p_user text,
	p_title text DEFAULT 'A thread', p_body text DEFAULT 'A question.',
	p_org text DEFAULT 'a1') RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO forum_posts (id, org_id,
		category_id, user_id, title, body, body_html)
		VALUES (%L, %L, %L, %L, %L, %L, %L)', pg_temp.id(p_id),
		pg_temp.id(p_org), p_cat, pg_temp.id(p_user), p_title, p_body,
		'<p>' || p_body || '</p>'))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.thread(text, uuid, text, text, text, text)
	TO ludus_app;
-- A reply p_id to thread p_thread (to its reply p_parent) by p_user,
-- written straight in: the trigger gives its number and path.
CREATE FUNCTION pg_temp.reply(p_id text, p_thread text, p_user text,
	p_parent text DEFAULT NULL, p_body text DEFAULT 'An answer.',
	p_org text DEFAULT 'a1') RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO forum_replies (id, org_id,
		post_id, parent_reply_id, user_id, body, body_html)
		VALUES (%L, %L, %L, %L, %L, %L, %L)', pg_temp.id(p_id),
		pg_temp.id(p_org), pg_temp.id(p_thread), pg_temp.id(p_parent),
		pg_temp.id(p_user), p_body, '<p>' || p_body || '</p>'))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.reply(text, text, text, text, text, text)
	TO ludus_app;
-- The row p_id of p_table changed by p_set (an UPDATE's SET list).
CREATE FUNCTION pg_temp.set(p_table text, p_id text, p_set text) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('UPDATE %I SET %s WHERE id = %L', p_table,
		p_set, pg_temp.id(p_id)))
$$;
-- A reply's number and path: '3 {1,3}'.
CREATE FUNCTION pg_temp.place(p_reply text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT num || ' ' || path::text FROM forum_replies
	WHERE id = pg_temp.id(p_reply)
$$;
-- A thread's counts as kept: 'reply_seq replies likes'.
CREATE FUNCTION pg_temp.counts(p_thread text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s', reply_seq, replies, likes) FROM forum_posts
	WHERE id = pg_temp.id(p_thread)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.counts(text) TO ludus_app;
-- The same, counted from its rows.
CREATE FUNCTION pg_temp.counted(p_thread text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s', t.reply_seq, (SELECT count(*) FROM forum_replies r
			WHERE r.post_id = t.id AND r.deleted_at IS NULL
				AND r.hidden_at IS NULL),
		(SELECT count(*) FROM forum_post_likes l WHERE l.post_id = t.id))
	FROM forum_posts t WHERE t.id = pg_temp.id(p_thread)
$$;
-- A category's count of threads as kept, and counted.
CREATE FUNCTION pg_temp.threads(p_cat uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT threads FROM forum_categories WHERE id = p_cat
$$;
CREATE FUNCTION pg_temp.live(p_cat uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT count(*)::integer FROM forum_posts
	WHERE category_id = p_cat AND deleted_at IS NULL
$$;
-- One of p_user's forum_members numbers (null: no row).
CREATE FUNCTION pg_temp.mem(p_user text, p_key text) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT (to_jsonb(m)->>p_key)::integer FROM forum_members m
	WHERE user_id = pg_temp.id(p_user)
$$;
-- What trust is earned from: threads entered, posts read, days visited;
-- and the level.
CREATE FUNCTION pg_temp.trust(p_user text) RETURNS integer[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY[threads_entered, posts_read, days_visited, trust_level]
	FROM forum_members WHERE user_id = pg_temp.id(p_user)
$$;
-- A rule's answer in short: '201 -', '403 forbidden'.
CREATE FUNCTION pg_temp.res(r forum_result) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT r.status || ' ' || coalesce(r.problem, '-')
$$;
GRANT EXECUTE ON FUNCTION pg_temp.res(forum_result) TO ludus_app;
-- The rules, as members of A (p_all: content.all).
CREATE FUNCTION pg_temp.like(p_user text, p_kind text, p_id text,
	p_on boolean DEFAULT true) RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_like(pg_temp.id('a1'), pg_temp.id(p_user), false, p_kind,
		pg_temp.id(p_id), p_on)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.like(text, text, text, boolean) TO ludus_app;
CREATE FUNCTION pg_temp.accept(p_user text, p_thread text, p_reply text)
RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_accept(pg_temp.id('a1'), pg_temp.id(p_user), false,
		pg_temp.id(p_thread), pg_temp.id(p_reply))
$$;
CREATE FUNCTION pg_temp.flag(p_user text, p_kind text, p_id uuid,
	p_reason text DEFAULT 'spam', p_note text DEFAULT '')
RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_flag(pg_temp.id('a1'), pg_temp.id(p_user), false, p_kind,
		p_id, p_reason, p_note)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.flag(text, text, uuid, text, text)
	TO ludus_app;
-- p_user settles the flag of p_flagger on the post p_target.
CREATE FUNCTION pg_temp.resolve(p_user text, p_flagger text, p_target text,
	p_decision text) RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_flag_resolve(pg_temp.id(p_user), false,
		(SELECT id FROM forum_flags WHERE user_id = pg_temp.id(p_flagger)
			AND coalesce(post_id, reply_id) = pg_temp.id(p_target)),
		p_decision)
$$;
CREATE FUNCTION pg_temp.read(p_user text, p_thread text, p_upto integer)
RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_read(pg_temp.id('a1'), pg_temp.id(p_user), false,
		pg_temp.id(p_thread), p_upto)
$$;
CREATE FUNCTION pg_temp.mod(p_user text, p_kind text, p_id text,
	p_action text, p_reason text DEFAULT NULL, p_category uuid DEFAULT NULL)
RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_moderate(pg_temp.id(p_user), false, p_kind, pg_temp.id(p_id),
		p_action, p_reason, p_category)
$$;
-- forum_thread_create and forum_reply_create are called in a
-- subtransaction of their own (the block with an exception clause): the
-- SQL function a PL/pgSQL simple expression calls (role :=
-- forum_role(...)) keeps its plans until the end of the (sub)transaction
-- that made them, and a plan made as the superuser, which row-level
-- security does not apply to, would still be used after SET ROLE
-- ludus_app in the same transaction.  (The app is ludus_app in all its
-- transactions; only this file changes roles.)
CREATE FUNCTION pg_temp.create(p_user text, p_cat uuid,
	p_title text DEFAULT 'A new thread', p_body text DEFAULT 'Hello.',
	p_media boolean DEFAULT false, p_all boolean DEFAULT false)
RETURNS forum_result LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		RETURN forum_thread_create(pg_temp.id('a1'), pg_temp.id(p_user), p_all,
			p_cat, p_title, p_body, '<p>' || p_body || '</p>', p_media);
	EXCEPTION WHEN raise_exception THEN
		RAISE;
	END;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.create(text, uuid, text, text, boolean,
	boolean) TO ludus_app;
CREATE FUNCTION pg_temp.answer(p_user text, p_thread uuid,
	p_parent uuid DEFAULT NULL, p_body text DEFAULT 'A reply.',
	p_media boolean DEFAULT false) RETURNS forum_result LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		RETURN forum_reply_create(pg_temp.id('a1'), pg_temp.id(p_user), false,
			p_thread, p_parent, p_body, '<p>' || p_body || '</p>', p_media);
	EXCEPTION WHEN raise_exception THEN
		RAISE;
	END;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.answer(text, uuid, uuid, text, boolean)
	TO ludus_app;
CREATE FUNCTION pg_temp.edit(p_user text, p_kind text, p_id text,
	p_title text, p_body text, p_want integer, p_media boolean DEFAULT false)
RETURNS forum_result LANGUAGE sql AS $$
	SELECT forum_edit(pg_temp.id('a1'), pg_temp.id(p_user), false, p_kind,
		pg_temp.id(p_id), p_title, p_body, '<p>' || p_body || '</p>',
		p_media, p_want)
$$;
-- What p_user finds searching for p_q: the hits' short ids ('1a',
-- '1a/36' for a reply), sorted.
CREATE FUNCTION pg_temp.found(p_user text, p_q text, p_all boolean DEFAULT false,
	p_course text DEFAULT NULL) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(h ORDER BY h), '{}')
	FROM jsonb_array_elements(forum_search(pg_temp.id(p_user), p_all, p_q,
		pg_temp.id(p_course), 20)->'items') i,
		LATERAL (SELECT right(i->>'post_id', 2)
			|| coalesce('/' || right(i->>'reply_id', 2), '') AS h) x
$$;
GRANT EXECUTE ON FUNCTION pg_temp.found(text, text, boolean, text) TO ludus_app;
-- The members named in p_body that forum_mentioned finds, sorted.
CREATE FUNCTION pg_temp.mentioned(p_body text, p_cat uuid, p_writer text)
RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT coalesce(array_agg(right(m::text, 2) ORDER BY right(m::text, 2)), '{}')
	FROM forum_mentioned(p_body, p_cat, pg_temp.id(p_writer)) m
$$;
GRANT EXECUTE ON FUNCTION pg_temp.mentioned(text, uuid, text) TO ludus_app;
-- The rows of table p_table of organization p_org (p_not: of any other).
CREATE FUNCTION pg_temp.rows_of(p_table text, p_org text,
	p_not boolean DEFAULT false) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM %I WHERE (org_id = %L) <> %L',
		p_table, pg_temp.id(p_org), p_not) INTO n;
	RETURN n;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.rows_of(text, text, boolean) TO ludus_app;
CREATE FUNCTION pg_temp.tables() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['forum_categories', 'forum_flags', 'forum_members',
		'forum_post_likes', 'forum_posts', 'forum_reads', 'forum_replies',
		'forum_reply_likes', 'forum_revisions', 'forum_settings',
		'forum_watches']
$$;
GRANT EXECUTE ON FUNCTION pg_temp.tables() TO ludus_app;

-- ---- the tables ------------------------------------------------------------

SELECT is(ARRAY(SELECT relname::text FROM pg_class
		WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
			AND relname LIKE 'forum\_%' AND relrowsecurity ORDER BY 1),
	pg_temp.tables(), 'the forum''s tables, each under row-level security');
SELECT is(ARRAY(SELECT format('%s %s %s', tgrelid::regclass, tgname,
			tgfoid::regproc) FROM pg_trigger
		WHERE NOT tgisinternal AND tgname IN ('courses_forum_start',
			'organizations_forum_start', 'forum_flags_hide',
			'forum_members_level', 'forum_post_likes_count',
			'forum_reply_likes_count', 'forum_posts_accepted',
			'forum_posts_count', 'forum_replies_count', 'forum_replies_place',
			'forum_settings_updated_at', 'forum_posts_words_ins',
			'forum_posts_words_upd', 'forum_posts_words_del',
			'forum_replies_words_ins', 'forum_replies_words_upd',
			'forum_replies_words_del') ORDER BY 1),
	ARRAY['courses courses_forum_start forum_start',
		'forum_flags forum_flags_hide forum_flags_hide',
		'forum_members forum_members_level forum_members_level',
		'forum_post_likes forum_post_likes_count forum_likes_count',
		'forum_posts forum_posts_accepted forum_posts_accepted',
		'forum_posts forum_posts_count forum_posts_count',
		'forum_posts forum_posts_words_del search_words_follow',
		'forum_posts forum_posts_words_ins search_words_follow',
		'forum_posts forum_posts_words_upd search_words_follow',
		'forum_replies forum_replies_count forum_replies_count',
		'forum_replies forum_replies_place forum_replies_place',
		'forum_replies forum_replies_words_del search_words_follow',
		'forum_replies forum_replies_words_ins search_words_follow',
		'forum_replies forum_replies_words_upd search_words_follow',
		'forum_reply_likes forum_reply_likes_count forum_likes_count',
		'forum_settings forum_settings_updated_at set_updated_at',
		'organizations organizations_forum_start forum_start'],
	'the triggers that keep the forum, and what they run');
SELECT is(ARRAY(SELECT conname || ' ' || confdeltype::text FROM pg_constraint
		WHERE conrelid = 'forum_replies'::regclass AND contype = 'f'
		ORDER BY conname),
	ARRAY['forum_replies_hidden_by_org_id_fkey n',
		'forum_replies_parent_reply_id_post_id_fkey c',
		'forum_replies_post_id_org_id_fkey c',
		'forum_replies_user_id_org_id_fkey c'],
	'a reply goes with its thread, its parent and its author; its hider is forgotten');
SELECT is((SELECT prosecdef FROM pg_proc WHERE proname = 'forum_search'), true,
	'forum_search runs as its definer');
SELECT is(has_function_privilege('ludus_app',
	'forum_search(uuid, boolean, text, uuid, integer)', 'EXECUTE'), true,
	'which ludus_app may call');

-- Two organizations of their own.
INSERT INTO organizations (id, slug, name) VALUES
	(pg_temp.id('a1'), 'forum-a', 'Forum A'),
	(pg_temp.id('b1'), 'forum-b', 'Forum B');
INSERT INTO users (id, org_id, email, username, password_hash, role, deleted_at)
SELECT pg_temp.id(u), pg_temp.id(o), 'fo-' || u || '@x.test', 'fo_' || u,
	'$2b$10$' || repeat('.', 53), r, CASE WHEN u = 'ab' THEN now() END
FROM (VALUES ('a2', 'a1', 'instructor'), ('a3', 'a1', 'instructor'),
	('a4', 'a1', 'student'), ('a5', 'a1', 'student'), ('a6', 'a1', 'student'),
	('a7', 'a1', 'student'), ('a8', 'a1', 'student'), ('a9', 'a1', 'student'),
	('aa', 'a1', 'student'), ('ab', 'a1', 'student'), ('ac', 'a1', 'student'),
	('ad', 'a1', 'student'), ('ae', 'a1', 'instructor'),
	('af', 'a1', 'student'), ('b2', 'b1', 'instructor'),
	('b3', 'b1', 'student'), ('b4', 'b1', 'student'),
	('b7', 'b1', 'student')) v(u, o, r);
INSERT INTO users (id, org_id, email, username, password_hash)
SELECT pg_temp.id('e' || to_hex(g)), pg_temp.id('a1'),
	'fo-e' || to_hex(g) || '@x.test', 'fo_e' || to_hex(g),
	'$2b$10$' || repeat('.', 53)
FROM generate_series(0, 11) g;
INSERT INTO courses (id, org_id, owner_id, slug, title, status, published_at)
SELECT pg_temp.id(c), pg_temp.id(o), pg_temp.id(w), 'fo-' || c, t,
	'published', now()
FROM (VALUES ('c1', 'a1', 'a2', 'Networks'), ('c2', 'a1', 'a2', 'Routing'),
	('bc', 'b1', 'b2', 'B''s course')) v(c, o, w, t);
INSERT INTO course_collaborators (course_id, user_id, org_id)
VALUES (pg_temp.id('c1'), pg_temp.id('a3'), pg_temp.id('a1'));
INSERT INTO enrollments (user_id, course_id, org_id, status)
SELECT pg_temp.id(u), pg_temp.id(c), pg_temp.id(o), s
FROM (VALUES ('a4', 'c1', 'a1', 'active'), ('a5', 'c1', 'a1', 'active'),
	('a6', 'c1', 'a1', 'active'), ('a8', 'c1', 'a1', 'active'),
	('a9', 'c1', 'a1', 'active'), ('aa', 'c1', 'a1', 'dropped'),
	('ab', 'c1', 'a1', 'active'), ('ac', 'c1', 'a1', 'active'),
	('ad', 'c1', 'a1', 'active'), ('af', 'c1', 'a1', 'active'),
	('b3', 'bc', 'b1', 'active')) v(u, c, o, s);

-- ---- every organization and course has its General category ----------------

SELECT is((SELECT format('%s %s %s %s', name, kind, threads, description)
	FROM forum_categories WHERE org_id = pg_temp.id('a1') AND course_id IS NULL),
	'General discussion 0 Anything about studying here.',
	'an organization made gets its general forum''s General category');
SELECT is(ARRAY(SELECT course_id FROM forum_categories
		WHERE org_id = pg_temp.id('a1') AND course_id IS NOT NULL
			AND name = 'General' ORDER BY course_id),
	ARRAY[pg_temp.id('c1'), pg_temp.id('c2')],
	'each course made gets its own');
SELECT is((SELECT description FROM forum_categories
	WHERE course_id = pg_temp.id('c1')),
	'Questions and talk about this course.', '(with its description)');
SELECT is(ARRAY[pg_temp.general(NULL, 'b1') IS NOT NULL,
		pg_temp.general('bc', 'b1') IS NOT NULL],
	ARRAY[true, true], 'the other organization and its course have theirs');
SELECT is(ARRAY(SELECT flags_to_hide FROM forum_settings
		WHERE org_id IN (pg_temp.id('a1'), pg_temp.id('b1')) ORDER BY org_id),
	ARRAY[3, 3], 'and their forum settings, at the defaults');
SELECT is((SELECT count(*) FROM organizations o WHERE NOT EXISTS (SELECT 1
		FROM forum_categories k WHERE k.org_id = o.id AND k.course_id IS NULL)
		OR NOT EXISTS (SELECT 1 FROM forum_settings s WHERE s.org_id = o.id)),
	0::bigint, 'every organization, the seeded ones too, has its category and settings');
SELECT is((SELECT count(*) FROM courses c WHERE NOT EXISTS (SELECT 1
		FROM forum_categories k WHERE k.course_id = c.id AND k.org_id = c.org_id)),
	0::bigint, 'every course has its category');
SELECT is(pg_temp.category('0f', 'c1', 'General'),
	'23505 forum_categories_org_id_course_id_name_key',
	'a category''s name is its own in its forum');
SELECT is(pg_temp.category('0f', NULL, 'General'),
	'23505 forum_categories_org_id_course_id_name_key',
	'in the general forum too (no course: not distinct)');
SELECT is(pg_temp.category('0e', 'c2', 'Lounge'), 'ok',
	'another name in a course''s forum');
SELECT is(pg_temp.category('ca', 'c1', 'Questions', 'qa'), 'ok',
	'a question-and-answer category');
SELECT is(pg_temp.category('0f', 'c1', '   '), '23514 forum_categories_name_check',
	'a name is not blank');
SELECT is(pg_temp.category('0f', 'c1', repeat('n', 81)),
	'23514 forum_categories_name_check', 'nor longer than 80 characters');
SELECT is(pg_temp.category('0f', 'c1', 'Wiki', 'wiki'),
	'23514 forum_categories_kind_check', 'a kind is discussion or qa');
SELECT is(pg_temp.category('0f', 'c1', 'Long', 'discussion', repeat('d', 501)),
	'23514 forum_categories_description_check',
	'a description is 500 characters at most');
SELECT is(pg_temp.category('0f', 'bc', 'Mine'),
	'23503 forum_categories_course_id_org_id_fkey',
	'a category of the organization''s own course');

-- A's rules for this file: two flags hide a post; low thresholds of
-- trust; a day's posts not limited but where said.
UPDATE forum_settings SET flags_to_hide = 2, tl0_posts_a_day = 100,
	tl0_flags_a_day = 50,
	tl1_threads_entered = 2, tl1_posts_read = 3, tl2_days_visited = 2,
	tl2_posts_read = 4, tl2_likes_given = 1, tl2_likes_received = 1,
	tl2_replies = 1
WHERE org_id = pg_temp.id('a1');
-- B's forum: a category, two threads, a reply, likes, a revision, a
-- watch, a read, a flag.
SELECT is(pg_temp.category('bd', NULL, 'Off topic', 'discussion', '', 'b1')
	|| pg_temp.thread('b5', pg_temp.general(NULL, 'b1'), 'b3', 'Broadcast in B',
		'A broadcast kookaburra.', 'b1')
	|| pg_temp.thread('b9', pg_temp.id('bd'), 'b3', 'Flag me', 'Spam?', 'b1')
	|| pg_temp.reply('b6', 'b5', 'b2', NULL, 'B''s answer.', 'b1'), 'okokokok',
	'B''s forum: a category, two threads, a reply');
INSERT INTO forum_post_likes (post_id, user_id, org_id)
VALUES (pg_temp.id('b5'), pg_temp.id('b2'), pg_temp.id('b1'));
INSERT INTO forum_reply_likes (reply_id, user_id, org_id)
VALUES (pg_temp.id('b6'), pg_temp.id('b3'), pg_temp.id('b1'));
INSERT INTO forum_revisions (org_id, post_id, version, title, body)
VALUES (pg_temp.id('b1'), pg_temp.id('b5'), 1, 'Broadcast', 'Before.');
INSERT INTO forum_watches (user_id, org_id, post_id, watching)
VALUES (pg_temp.id('b3'), pg_temp.id('b1'), pg_temp.id('b5'), true);
INSERT INTO forum_reads (user_id, post_id, org_id, last_n)
VALUES (pg_temp.id('b2'), pg_temp.id('b5'), pg_temp.id('b1'), 1);
INSERT INTO forum_flags (id, org_id, user_id, post_id, reason)
VALUES (pg_temp.id('b8'), pg_temp.id('b1'), pg_temp.id('b2'), pg_temp.id('b5'),
	'spam');

-- ---- threads ---------------------------------------------------------------

SELECT is(pg_temp.thread('10', pg_temp.general('c1'), 'a4', 'Subnets',
	'Why /30 for a link?'), 'ok', 'a learner starts a thread in the course''s forum');
SELECT is((SELECT ROW(reply_seq, replies, likes, version, pinned_at, locked_at,
		hidden_at, deleted_at, accepted_reply_id, last_reply_by)::text
	FROM forum_posts WHERE id = pg_temp.id('10')), '(0,0,0,1,,,,,,)',
	'no replies, no likes, version 1, nothing done to it');
SELECT is(ARRAY[pg_temp.threads(pg_temp.general('c1')), pg_temp.mem('a4', 'threads')],
	ARRAY[1, 1], 'the category counts it, and its author');
SELECT is((SELECT search @@ to_tsquery('english', 'subnet:A & link:B')
	FROM forum_posts WHERE id = pg_temp.id('10')), true,
	'its search: the title weighs A, the body B');
SELECT is(pg_temp.thread('11', pg_temp.general('c1'), 'a5', 'Routing',
	'Which route wins?'), 'ok', 'another learner starts one');
SELECT is(pg_temp.thread('0f', pg_temp.general('c1'), 'a4', '   '),
	'23514 forum_posts_title_check', 'a title is not blank');
SELECT is(pg_temp.thread('0f', pg_temp.general('c1'), 'a4', repeat('t', 201)),
	'23514 forum_posts_title_check', 'nor longer than 200 characters');
SELECT is(pg_temp.thread('0f', pg_temp.general('c1'), 'a4', 'T', '   '),
	'23514 forum_posts_body_check', 'a body is not blank');
SELECT is(pg_temp.thread('0f', pg_temp.general('c1'), 'a4', 'T', repeat('b', 20001)),
	'23514 forum_posts_body_check', 'nor longer than 20,000 characters');
SELECT is(pg_temp.thread('1e', pg_temp.general(NULL), 'a2', repeat('t', 200),
	repeat('b', 20000)), 'ok',
	'a title of 200 and a body of 20,000 go in (the general forum)');
SELECT is(pg_temp.set('forum_posts', '10', $$body_html = repeat('h', 200001)$$),
	'23514 forum_posts_body_html_check', 'its HTML is 200,000 characters at most');
SELECT is(pg_temp.thread('0f', pg_temp.general(NULL, 'b1'), 'a4'),
	'23503 forum_posts_category_id_org_id_fkey',
	'a thread is in a category of its organization');
SELECT is(pg_temp.thread('0f', pg_temp.general('c1'), 'b3'),
	'23503 forum_posts_user_id_org_id_fkey', 'by one of its people');
SELECT is(pg_temp.set('forum_posts', '10', 'hidden_at = now()'),
	'23514 forum_posts_check', 'hidden, it has a reason');
SELECT is(pg_temp.set('forum_posts', '10', $$hidden_reason = 'Spam'$$),
	'23514 forum_posts_check', 'a reason is for a hidden thread');
SELECT is(pg_temp.set('forum_posts', '10',
	format('hidden_by = %L', pg_temp.id('a2'))), '23514 forum_posts_check1',
	'hidden by someone, it is hidden');
SELECT is(pg_temp.set('forum_posts', '10', $$hidden_at = now(), hidden_reason = ' '$$),
	'23514 forum_posts_hidden_reason_check', 'the reason is not blank');

-- ---- replies: numbers and paths --------------------------------------------

SELECT is(pg_temp.reply('20', '10', 'a5'), 'ok', 'a reply to the thread');
SELECT is(pg_temp.place('20'), '1 {1}', 'is number 1, at the top of its branch');
SELECT is(pg_temp.reply('21', '10', 'a6', '20'), 'ok', 'a reply to the reply');
SELECT is(pg_temp.place('21'), '2 {1,2}', 'is number 2, under number 1');
SELECT is(pg_temp.reply('22', '10', 'a5'), 'ok', 'another to the thread');
SELECT is(pg_temp.place('22'), '3 {3}', 'number 3, a branch of its own');
SELECT is(pg_temp.reply('23', '10', 'ac', '21'), 'ok', 'one to the second');
SELECT is(pg_temp.place('23'), '4 {1,2,4}', 'number 4, two deep');
SELECT is(ARRAY(SELECT num FROM forum_replies WHERE post_id = pg_temp.id('10')
	ORDER BY path), ARRAY[1, 2, 4, 3], 'in path order the replies are a walk of the tree');
SELECT is((SELECT format('%s %s %s', reply_seq, replies,
		last_reply_by = pg_temp.id('ac'))
	FROM forum_posts WHERE id = pg_temp.id('10')), '4 4 t',
	'the thread numbers four, shows four, last replied by the last');
SELECT is(pg_temp.reply('24', '11', 'a5'), 'ok', 'a reply in another thread');
SELECT is(pg_temp.place('24'), '1 {1}', 'is numbered in that thread');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_replies (id, org_id, post_id,
		num, path, user_id, body, body_html) VALUES (%L, %L, %L, 99, '{7,99}',
		%L, 'Mine.', '<p>Mine.</p>')$$, pg_temp.id('25'), pg_temp.id('a1'),
		pg_temp.id('11'), pg_temp.id('a6'))), 'ok',
	'a reply written with a number and path of its own');
SELECT is(pg_temp.place('25'), '2 {2}', 'gets the thread''s all the same');
SELECT is(pg_temp.reply('0f', '11', 'a5', '20'), '23514 forum_replies_check3',
	'a reply to a reply of another thread is refused (no path to follow: it would be at the top)');
SELECT is(pg_temp.set('forum_replies', '21', format('parent_reply_id = %L',
		pg_temp.id('24'))), '23503 forum_replies_parent_reply_id_post_id_fkey',
	'nor may a reply be moved under one of another thread');
SELECT is(pg_temp.reply('0f', 'ff', 'a5'), '23502 -',
	'a reply to no thread gets no number');
-- (Refused first as the thread's last replier, the trigger's doing.)
SELECT is(pg_temp.reply('0f', 'b5', 'a5'), '23503 forum_posts_last_reply_by_org_id_fkey',
	'a reply to a thread of its organization');
SELECT is(pg_temp.reply('0f', '10', 'b3'), '23503 forum_posts_last_reply_by_org_id_fkey',
	'by one of its people');
SELECT is(pg_temp.counts('b5'), '1 1 1', '(B''s thread untouched)');
SELECT is(pg_temp.reply('0f', '10', 'a5', NULL, '  '), '23514 forum_replies_body_check',
	'a reply is not blank');
SELECT is(pg_temp.reply('0f', '10', 'a5', NULL, repeat('r', 20001)),
	'23514 forum_replies_body_check', 'nor longer than 20,000 characters');
SELECT is(pg_temp.counts('10'), '4 4 0', 'the refused replies took no number');
SELECT is(pg_temp.set('forum_replies', '22', $$num = 1, path = '{1}'$$),
	'23505 forum_replies_post_id_num_key', 'a number is a reply''s own in its thread');
SELECT is(pg_temp.set('forum_replies', '22', $$path = '{5}'$$),
	'23514 forum_replies_check', 'a path ends with the reply''s number');

-- 64 deep: thread 12 with a branch of 64 replies.
SELECT is(pg_temp.thread('12', pg_temp.general('c1'), 'a2', 'Deep'), 'ok',
	'a thread to nest in');
DO $$
DECLARE
	parent uuid;
BEGIN
	FOR i IN 1..64 LOOP
		INSERT INTO forum_replies (org_id, post_id, parent_reply_id, user_id,
			body, body_html)
		VALUES (pg_temp.id('a1'), pg_temp.id('12'), parent, pg_temp.id('a2'),
			'Deeper.', '<p>Deeper.</p>')
		RETURNING id INTO parent;
	END LOOP;
END
$$;
SELECT is((SELECT path FROM forum_replies WHERE post_id = pg_temp.id('12')
	AND num = 64), ARRAY(SELECT generate_series(1, 64)),
	'replies nest 64 deep');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_replies (org_id, post_id,
		parent_reply_id, user_id, body, body_html) VALUES (%L, %L, %L, %L,
		'Too deep.', '<p>Too deep.</p>')$$, pg_temp.id('a1'), pg_temp.id('12'),
		(SELECT id FROM forum_replies WHERE post_id = pg_temp.id('12')
			AND num = 64), pg_temp.id('a2'))), '23514 forum_replies_check',
	'not 65');
SELECT is(pg_temp.res(pg_temp.answer('a4', pg_temp.id('12'),
		(SELECT id FROM forum_replies WHERE post_id = pg_temp.id('12')
			AND num = 64))), '422 validation',
	'forum_reply_create says so before');
SELECT is(pg_temp.res(pg_temp.answer('a4', pg_temp.id('12'),
		(SELECT id FROM forum_replies WHERE post_id = pg_temp.id('12')
			AND num = 63))), '201 -', 'and answers one a level up');
SELECT is((SELECT num || ' ' || cardinality(path) FROM forum_replies
	WHERE post_id = pg_temp.id('12') AND user_id = pg_temp.id('a4')), '65 64',
	'number 65, 64 deep');

-- ---- a thread's count of shown replies -------------------------------------

SELECT is(pg_temp.mem('a5', 'replies'), 3, '(a5 wrote three replies)');
SELECT is(pg_temp.set('forum_replies', '22', 'deleted_at = now()'), 'ok',
	'a reply deleted');
SELECT is(pg_temp.counts('10'), '4 3 0', 'is not counted: one fewer, its number kept');
SELECT is(pg_temp.mem('a5', 'replies'), 2, 'nor for its author');
SELECT is(pg_temp.set('forum_replies', '23', $$hidden_at = now(),
	hidden_reason = 'Rude'$$), 'ok', 'a reply hidden');
SELECT is(pg_temp.counts('10'), '4 2 0', 'is not counted');
SELECT is(pg_temp.mem('ac', 'replies'), 1, '(though its author keeps it)');
SELECT is(pg_temp.set('forum_replies', '23', 'hidden_at = NULL, hidden_reason = NULL'),
	'ok', 'shown again');
SELECT is(pg_temp.counts('10'), '4 3 0', 'it counts again');
SELECT is(pg_temp.set('forum_replies', '23', $$hidden_at = now(),
	hidden_reason = 'Rude'$$), 'ok', 'hidden again');
SELECT is(pg_temp.set('forum_replies', '23', 'deleted_at = now()'), 'ok',
	'and deleted');
SELECT is(pg_temp.counts('10'), '4 2 0', 'is not counted twice away');
SELECT is(pg_temp.mem('ac', 'replies'), 0,
	'a hidden reply deleted is not its author''s any more either (as one shown and deleted)');
SELECT is(pg_temp.set('forum_replies', '23', 'hidden_at = NULL, hidden_reason = NULL'),
	'ok', 'a deleted reply shown again');
SELECT is(pg_temp.counts('10'), '4 2 0', 'is still not counted');
SELECT is(pg_temp.counts('11'), '2 2 0', '(thread 11 has two replies)');
DELETE FROM forum_replies WHERE id = pg_temp.id('25');
SELECT is(pg_temp.counts('11'), '2 1 0', 'a reply deleted for good is not counted');
UPDATE forum_posts SET replies = 0 WHERE id = pg_temp.id('11');
SELECT is(pg_temp.set('forum_replies', '24', 'deleted_at = now()'), 'ok',
	'a reply deleted where the count is 0 already');
SELECT is(pg_temp.counts('11'), '2 0 0', 'leaves it at 0');
SELECT is(pg_temp.set('forum_posts', '11', 'replies = -1'),
	'23514 forum_posts_replies_check', 'never below 0');

-- ---- a category's count of threads -----------------------------------------

SELECT is(pg_temp.threads(pg_temp.general('c2')), 0, 'c2''s forum is empty');
SELECT is(pg_temp.thread('13', pg_temp.general('c2'), 'a2', 'News'), 'ok',
	'a thread in it');
SELECT is(pg_temp.thread('14', pg_temp.general('c2'), 'a2', 'More news'), 'ok',
	'another');
SELECT is(pg_temp.threads(pg_temp.general('c2')), 2, 'counts two');
SELECT is(pg_temp.set('forum_posts', '14', 'deleted_at = now()'), 'ok',
	'one deleted');
SELECT is(pg_temp.threads(pg_temp.general('c2')), 1, 'counts one');
SELECT is(pg_temp.set('forum_posts', '14', $$title = 'Old news'$$), 'ok',
	'the deleted one changed');
SELECT is(pg_temp.threads(pg_temp.general('c2')), 1, 'counts one still');
SELECT is(pg_temp.threads(pg_temp.general(NULL)), 1,
	'(the general forum has thread 1e)');
SELECT is(pg_temp.set('forum_posts', '13',
	format('category_id = %L', pg_temp.general(NULL))), 'ok',
	'a thread moved to the general forum');
SELECT is(ARRAY[pg_temp.threads(pg_temp.general('c2')),
		pg_temp.threads(pg_temp.general(NULL))], ARRAY[0, 2],
	'leaves its category for the other');
SELECT is(pg_temp.set('forum_posts', '14',
	format('category_id = %L', pg_temp.general(NULL))), 'ok',
	'a deleted thread moved');
SELECT is(ARRAY[pg_temp.threads(pg_temp.general('c2')),
		pg_temp.threads(pg_temp.general(NULL))], ARRAY[0, 2], 'moves neither count');
DELETE FROM forum_posts WHERE id IN (pg_temp.id('13'), pg_temp.id('14'));
SELECT is(pg_temp.threads(pg_temp.general(NULL)), 1,
	'threads deleted for good, one of them deleted before: one fewer');
SELECT is(pg_temp.thread('1d', pg_temp.general('c2'), 'a2'), 'ok',
	'a thread in c2 again');
UPDATE forum_categories SET threads = 0 WHERE id = pg_temp.general('c2');
SELECT is(pg_temp.set('forum_posts', '1d', 'deleted_at = now()'), 'ok',
	'deleted where the count is 0 already');
SELECT is(pg_temp.threads(pg_temp.general('c2')), 0, 'leaves it at 0');
SELECT is(pg_temp.refused(format('UPDATE forum_categories SET threads = -1
	WHERE id = %L', pg_temp.general('c2'))), '23514 forum_categories_threads_check',
	'never below 0');

-- ---- likes -----------------------------------------------------------------

SELECT is(to_jsonb(x) - 'problem' - 'audit', jsonb_build_object('status', 200,
		'body', '{"likes": 1, "liked": true}'::jsonb, 'xp', jsonb_build_object(
			'user', pg_temp.id('a4'), 'kind', 'liked', 'key', 'liked:'
			|| pg_temp.id('10') || ':' || pg_temp.id('a5'), 'id', pg_temp.id('10'))),
	'a member likes a thread: one like; its author earns XP')
FROM (SELECT pg_temp.like('a5', 'thread', '10') x) s;
SELECT is(ARRAY[pg_temp.mem('a5', 'likes_given'), pg_temp.mem('a4', 'likes_received')],
	ARRAY[1, 1], 'one given by the liker, one received by the author');
SELECT is(pg_temp.res(pg_temp.like('a5', 'thread', '10')), '200 -', 'liked twice');
SELECT is(ARRAY[pg_temp.counts('10'), pg_temp.mem('a5', 'likes_given')::text,
		pg_temp.mem('a4', 'likes_received')::text],
	ARRAY['4 2 1', '1', '1'], 'counts once');
SELECT is(pg_temp.res(pg_temp.like('a4', 'thread', '10')), '403 forbidden',
	'one''s own thread is not liked');
SELECT is(pg_temp.res(pg_temp.like('a6', 'thread', '10')), '200 -', 'another likes it');
SELECT is(ARRAY[pg_temp.counts('10'), pg_temp.mem('a4', 'likes_received')::text],
	ARRAY['4 2 2', '2'], 'two likes, two received');
SELECT is(pg_temp.res(pg_temp.like('a5', 'thread', '10', false)), '200 -',
	'a like taken back');
SELECT is(ARRAY[pg_temp.counts('10'), pg_temp.mem('a5', 'likes_given')::text,
		pg_temp.mem('a4', 'likes_received')::text],
	ARRAY['4 2 1', '0', '1'], 'one fewer of each');
SELECT is((pg_temp.like('a5', 'thread', '10', false)).body,
	'{"likes": 1, "liked": false}'::jsonb, 'taken back again');
SELECT is(ARRAY[pg_temp.counts('10'), pg_temp.mem('a5', 'likes_given')::text],
	ARRAY['4 2 1', '0'], 'nothing moves, nothing below 0');
SELECT is(pg_temp.res(pg_temp.like('a4', 'reply', '20')), '200 -', 'a reply liked');
SELECT is(pg_temp.res(pg_temp.like('a6', 'reply', '20')), '200 -', 'by another');
SELECT is(ARRAY[(SELECT likes FROM forum_replies WHERE id = pg_temp.id('20')),
		pg_temp.mem('a4', 'likes_given'), pg_temp.mem('a6', 'likes_given'),
		pg_temp.mem('a5', 'likes_received')], ARRAY[2, 1, 2, 2],
	'the reply counts two, each liker one more given, its author two received');
SELECT is(pg_temp.res(pg_temp.like('a5', 'reply', '20')), '403 forbidden',
	'one''s own reply is not liked');
DELETE FROM forum_reply_likes WHERE reply_id = pg_temp.id('20')
	AND user_id = pg_temp.id('a6');
SELECT is(ARRAY[(SELECT likes FROM forum_replies WHERE id = pg_temp.id('20')),
		pg_temp.mem('a6', 'likes_given'), pg_temp.mem('a5', 'likes_received')],
	ARRAY[1, 1, 1], 'a like deleted: one fewer of each');
SELECT is(pg_temp.res(pg_temp.like('a4', 'reply', '22')), '404 not-found',
	'a deleted reply is not liked');
SELECT is(pg_temp.refused(format('INSERT INTO forum_post_likes (post_id, user_id,
	org_id) VALUES (%L, %L, %L)', pg_temp.id('10'), pg_temp.id('a6'),
	pg_temp.id('a1'))), '23505 forum_post_likes_pkey', 'a like is once per member');
UPDATE forum_settings SET tl0_likes_a_day = 1 WHERE org_id = pg_temp.id('a1');
SELECT is(pg_temp.res(pg_temp.like('a6', 'thread', '11')), '429 rate-limited',
	'a new member''s likes are limited a day (a6 has one today; one taken back is not counted)');
UPDATE forum_settings SET tl0_likes_a_day = 20 WHERE org_id = pg_temp.id('a1');

-- ---- accepted answers ------------------------------------------------------

SELECT is(pg_temp.thread('15', pg_temp.id('ca'), 'a4', 'Hosts in a /27?',
	'How many hosts?'), 'ok', 'a question');
SELECT is(pg_temp.reply('30', '15', 'a5', NULL, 'Thirty.')
	|| pg_temp.reply('31', '15', 'a6', NULL, 'Thirty, I think.')
	|| pg_temp.reply('35', '15', 'a5', NULL, 'Two to the fifth, less two.')
	|| pg_temp.reply('38', '15', 'a6', NULL, 'Count the netmask bits.'),
	'okokokok', 'four answers');
SELECT is(to_jsonb(x) - 'body' - 'audit', jsonb_build_object('status', 200,
		'problem', NULL, 'xp', jsonb_build_object('user', pg_temp.id('a5'),
			'kind', 'accepted', 'key', 'accepted:' || pg_temp.id('30'),
			'id', pg_temp.id('30'))),
	'the asker accepts one; its author earns XP')
FROM (SELECT pg_temp.accept('a4', '15', '30') x) s;
SELECT is(ARRAY[(SELECT accepted_reply_id FROM forum_posts
		WHERE id = pg_temp.id('15'))::text, pg_temp.mem('a5', 'accepted_answers')::text],
	ARRAY[pg_temp.id('30')::text, '1'], 'it is the answer; its author has one accepted');
SELECT is((SELECT count(*) FROM notifications WHERE user_id = pg_temp.id('a5')
	AND kind = 'forum_accepted'), 1::bigint, 'and is told');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '31')), '200 -', 'another accepted');
SELECT is(ARRAY[pg_temp.mem('a5', 'accepted_answers'),
		pg_temp.mem('a6', 'accepted_answers')], ARRAY[0, 1],
	'the first answer''s author loses it, the second''s has it');
SELECT is(pg_temp.res(pg_temp.accept('a5', '15', '30')), '403 forbidden',
	'another member marks no answer');
SELECT is(pg_temp.res(forum_accept(pg_temp.id('a1'), pg_temp.id('a2'), false,
	pg_temp.id('15'), pg_temp.id('30'))), '200 -', 'a moderator does');
SELECT is(ARRAY[pg_temp.mem('a5', 'accepted_answers'),
		pg_temp.mem('a6', 'accepted_answers')], ARRAY[1, 0], 'the counts follow');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '24')), '422 validation',
	'a reply of another thread is not its answer');
SELECT is(pg_temp.res(forum_delete(pg_temp.id('a5'), false, 'reply',
	pg_temp.id('30'))), '204 -', 'the accepted answer deleted by its author');
SELECT is(ARRAY[(SELECT accepted_reply_id FROM forum_posts
		WHERE id = pg_temp.id('15'))::text, pg_temp.mem('a5', 'accepted_answers')::text],
	ARRAY[NULL, '0'], 'the thread has no answer; its author none accepted');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '30')), '422 validation',
	'a deleted reply is not accepted');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '31')), '200 -', 'a6''s accepted');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', NULL)), '200 -', 'and none');
SELECT is(ARRAY[(SELECT accepted_reply_id FROM forum_posts
		WHERE id = pg_temp.id('15'))::text, pg_temp.mem('a6', 'accepted_answers')::text],
	ARRAY[NULL, '0'], 'no answer: none counted');
SELECT is(pg_temp.reply('33', '15', 'a5', NULL, 'Let me see.')
	|| pg_temp.reply('34', '15', 'ad', '33', 'Thirty: 32 less two.'), 'okok',
	'an answer to an answer');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '34')), '200 -', 'accepted');
SELECT is(pg_temp.mem('ad', 'accepted_answers'), 1, 'ad has one accepted');
SELECT is(pg_temp.refused(format('DELETE FROM forum_replies WHERE id = %L',
	pg_temp.id('33'))), 'ok',
	'the reply the accepted answer answers deleted for good, its answers with it');
DELETE FROM forum_replies WHERE id = pg_temp.id('34');
SELECT is((SELECT accepted_reply_id FROM forum_posts WHERE id = pg_temp.id('15')),
	NULL, 'the accepted answer deleted for good: no answer');
SELECT is(pg_temp.mem('ad', 'accepted_answers'), 0,
	'and its author has none accepted');
DELETE FROM forum_replies WHERE id = pg_temp.id('33');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '31')), '200 -',
	'a6''s accepted again');

-- ---- flags -----------------------------------------------------------------

SELECT is(pg_temp.thread('16', pg_temp.general('c1'), 'a4', 'Buy now')
	|| pg_temp.thread('17', pg_temp.general('c1'), 'a4', 'Hot take')
	|| pg_temp.thread('18', pg_temp.general('c1'), 'a4', 'A link'), 'okokok',
	'three threads to flag');
SELECT is(ARRAY[pg_temp.res(x), (x).body->>'status', (x).body->>'hidden'],
	ARRAY['201 -', 'open', 'false'], 'a member flags a thread: it stays shown')
FROM (SELECT pg_temp.flag('a5', 'thread', pg_temp.id('16')) x) s;
SELECT is(pg_temp.res(pg_temp.flag('a5', 'thread', pg_temp.id('16'))),
	'409 already-flagged', 'once');
SELECT is(pg_temp.res(pg_temp.flag('a4', 'thread', pg_temp.id('16'))),
	'403 forbidden', 'one''s own thread is not flagged');
SELECT is((SELECT hidden_at FROM forum_posts WHERE id = pg_temp.id('16')), NULL,
	'one flag of the two A needs: shown');
SELECT is(ARRAY[pg_temp.res(x), (x).body->>'hidden'], ARRAY['201 -', 'true'],
	'a second member flags it: hidden')
FROM (SELECT pg_temp.flag('a6', 'thread', pg_temp.id('16'), 'other', 'Selling') x) s;
SELECT is((SELECT format('%s %s %s', hidden_at = now(), hidden_by IS NULL,
		hidden_reason) FROM forum_posts WHERE id = pg_temp.id('16')),
	't t Hidden after flags from 2 members, until a moderator looks at it.',
	'by the flags, not by anyone, with why');
SELECT is(pg_temp.res(pg_temp.flag('ac', 'thread', pg_temp.id('16'))),
	'404 not-found', 'a hidden thread is not flagged again');
SELECT is((SELECT jsonb_build_array(forum_post_json(t, pg_temp.id('a5'), false)->'body',
		forum_post_json(t, pg_temp.id('a4'), false)->'body',
		forum_post_json(t, pg_temp.id('a5'), false)->'hidden_reason')
	FROM forum_posts t WHERE id = pg_temp.id('16')),
	'[null, "A question.", null]'::jsonb,
	'its text and why are gone for the others, not for its author');
SELECT is(pg_temp.res(pg_temp.flag('a5', 'thread', pg_temp.id('17'))), '201 -',
	'thread 17 flagged');
SELECT is(pg_temp.res(pg_temp.resolve('a2', 'a5', '17', 'dismiss')), '200 -',
	'the flag dismissed');
SELECT is((SELECT (x).body->>'hidden' FROM (SELECT pg_temp.flag('a6', 'thread',
	pg_temp.id('17')) x) s), 'false',
	'another member flags it: one open flag, the dismissed one not counted: shown');
SELECT is((SELECT (x).body->>'hidden' FROM (SELECT pg_temp.flag('ac', 'thread',
	pg_temp.id('17')) x) s), 'true', 'a third: two open flags, hidden');
SELECT is(pg_temp.res(pg_temp.resolve('a5', 'a6', '17', 'dismiss')),
	'404 not-found', 'a member settles no flag');
SELECT is(to_jsonb(x) - 'problem' - 'xp', jsonb_build_object('status', 200,
		'body', '{"resolved": 2, "decision": "dismiss"}'::jsonb,
		'audit', jsonb_build_object('action', 'forum_flag.dismissed',
			'type', 'forum_thread', 'id', pg_temp.id('17'),
			'course_id', pg_temp.id('c1'), 'flags', 2)),
	'a moderator dismisses them: both open flags settled, for the audit trail')
FROM (SELECT pg_temp.resolve('a2', 'a6', '17', 'dismiss') x) s;
SELECT is((SELECT ROW(hidden_at, hidden_reason, hidden_by)::text FROM forum_posts
	WHERE id = pg_temp.id('17')), '(,,)', 'the thread the flags hid is shown again');
SELECT is(ARRAY(SELECT status || ' ' || (resolved_by = pg_temp.id('a2'))
		FROM forum_flags WHERE post_id = pg_temp.id('17')),
	ARRAY['dismissed true', 'dismissed true', 'dismissed true'],
	'its flags dismissed, by the moderator');
SELECT is(pg_temp.res(pg_temp.resolve('a2', 'ac', '17', 'dismiss')),
	'409 already-resolved', 'a flag is settled once');
SELECT is(pg_temp.res(pg_temp.resolve('a2', 'a5', '16', 'agree')), '200 -',
	'the flags of thread 16 agreed with');
SELECT is((SELECT format('%s %s', hidden_at IS NOT NULL,
		hidden_by = pg_temp.id('a2')) FROM forum_posts WHERE id = pg_temp.id('16')),
	't t', 'it stays hidden, now by the moderator');
SELECT is(ARRAY(SELECT status FROM forum_flags WHERE post_id = pg_temp.id('16')),
	ARRAY['agreed', 'agreed'], 'both flags agreed');
SELECT is(pg_temp.res(pg_temp.mod('a2', 'thread', '18', 'hide', 'A spam link')),
	'200 -', 'a moderator hides thread 18');
INSERT INTO forum_flags (org_id, user_id, post_id, reason)
VALUES (pg_temp.id('a1'), pg_temp.id('a5'), pg_temp.id('18'), 'spam');
SELECT is(pg_temp.res(pg_temp.resolve('a2', 'a5', '18', 'dismiss')), '200 -',
	'a flag on it dismissed');
SELECT is((SELECT format('%s %s', hidden_by = pg_temp.id('a2'), hidden_reason)
	FROM forum_posts WHERE id = pg_temp.id('18')), 't A spam link',
	'does not show a thread a moderator hid');
SELECT is(pg_temp.res(pg_temp.flag('ad', 'thread', pg_temp.id('17'))), '201 -',
	'thread 17 flagged again');
SELECT is(pg_temp.res(pg_temp.mod('a2', 'thread', '17', 'hide', 'Off topic')),
	'200 -', 'and hidden by a moderator');
SELECT is((SELECT status || ' ' || (resolved_by = pg_temp.id('a2'))
	FROM forum_flags WHERE post_id = pg_temp.id('17') AND user_id = pg_temp.id('ad')),
	'agreed true', 'its open flag is settled with it');
SELECT is(pg_temp.counts('15'), '6 3 0', '(thread 15: six numbered, 31, 35 and 38 shown)');
SELECT is(pg_temp.res(pg_temp.flag('a5', 'reply', pg_temp.id('31')))
	|| ' ' || pg_temp.res(pg_temp.flag('ac', 'reply', pg_temp.id('31'))),
	'201 - 201 -', 'the accepted answer flagged twice');
SELECT is(ARRAY[(SELECT (hidden_at IS NOT NULL)::text FROM forum_replies
		WHERE id = pg_temp.id('31')), pg_temp.counts('15')],
	ARRAY['true', '6 2 0'], 'the reply is hidden: its thread shows one fewer');
SELECT is(pg_temp.res(pg_temp.resolve('a2', 'a5', '31', 'agree')), '200 -',
	'the flags agreed with');
SELECT is((SELECT ROW(t.accepted_reply_id, pg_temp.mem('a6', 'accepted_answers'))::text
	FROM forum_posts t WHERE t.id = pg_temp.id('15')), '(,0)',
	'a reply hidden for good is no longer the answer (as when a moderator hides it)');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason) SELECT %L, u, %L, 'spam' FROM unnest(ARRAY[%L, %L]::uuid[]) u$$,
	pg_temp.id('b1'), pg_temp.id('b9'), pg_temp.id('b2'), pg_temp.id('b4'))), 'ok',
	'two members of B flag a thread of B');
SELECT is((SELECT hidden_at FROM forum_posts WHERE id = pg_temp.id('b9')), NULL,
	'B hides at three flags: shown');
INSERT INTO forum_flags (org_id, user_id, post_id, reason)
VALUES (pg_temp.id('b1'), pg_temp.id('b7'), pg_temp.id('b9'), 'spam');
SELECT is((SELECT hidden_at IS NOT NULL FROM forum_posts WHERE id = pg_temp.id('b9')),
	true, 'at the third, hidden');

-- ---- trust -----------------------------------------------------------------

SELECT is(pg_temp.trust('a8'), NULL, 'a8 has not taken part yet');
SELECT is(to_jsonb(x) - 'problem' - 'audit' - 'xp', jsonb_build_object('status',
		200, 'body', '{"last_read": 0, "unread": 4}'::jsonb),
	'a member opens a thread of four replies: read to its first post')
FROM (SELECT pg_temp.read('a8', '10', 0) x) s;
SELECT is(pg_temp.trust('a8'), ARRAY[1, 1, 1, 0],
	'one thread entered, one post read, one day: level 0');
SELECT is((SELECT last_visit FROM forum_members WHERE user_id = pg_temp.id('a8')),
	(now() AT TIME ZONE 'UTC')::date, 'visited today (in their time zone)');
SELECT is(pg_temp.res(pg_temp.read('a8', '10', 0)), '200 -', 'opened again');
SELECT is(pg_temp.trust('a8'), ARRAY[1, 1, 1, 0], 'counts nothing more');
SELECT is((pg_temp.read('a8', '10', 2)).body, '{"last_read": 2, "unread": 2}'::jsonb,
	'read to reply 2');
SELECT is(pg_temp.trust('a8'), ARRAY[1, 3, 1, 0], 'two more posts read');
SELECT is((pg_temp.read('a8', '10', 1)).body, '{"last_read": 2, "unread": 2}'::jsonb,
	'read back to reply 1: still at 2');
SELECT is(pg_temp.trust('a8'), ARRAY[1, 3, 1, 0], 'nothing read twice');
SELECT is((pg_temp.read('a8', '11', 99)).body, '{"last_read": 2, "unread": 0}'::jsonb,
	'another thread read past its end: to its last reply');
SELECT is(pg_temp.trust('a8'), ARRAY[2, 6, 1, 1],
	'two threads entered, six posts read, the same day: level 1');
SELECT is(pg_temp.res(pg_temp.read('a7', '10', 0)), '404 not-found',
	'one not in the course reads none of its threads');
SELECT is(pg_temp.trust('a7'), NULL, 'and counts nothing');
UPDATE forum_members SET last_visit = last_visit - 1
WHERE user_id = pg_temp.id('a8');
SELECT is(pg_temp.res(pg_temp.read('a8', '11', 2)), '200 -', 'a8 comes back the next day');
SELECT is(pg_temp.trust('a8'), ARRAY[2, 6, 2, 1], 'a second day');
SELECT is(pg_temp.reply('26', '11', 'a8', NULL, 'Thanks.'), 'ok', 'a8 replies');
SELECT is(pg_temp.res(pg_temp.like('a8', 'thread', '10')), '200 -', 'likes a thread');
SELECT is(pg_temp.mem('a8', 'trust_level'), 1, 'nothing liked yet of theirs: level 1');
SELECT is(pg_temp.res(pg_temp.like('a5', 'reply', '26')), '200 -',
	'a5 likes a8''s reply');
SELECT is(pg_temp.mem('a8', 'trust_level'), 2,
	'two days, posts read, a like given, one received, a reply: level 2');
SELECT is(pg_temp.res(pg_temp.like('a8', 'thread', '10', false)), '200 -',
	'a8 takes their like back');
SELECT is((SELECT ARRAY[m.likes_given, m.trust_level, forum_trust_earned(m)]
	FROM forum_members m WHERE user_id = pg_temp.id('a8')), ARRAY[0, 2, 1],
	'earns only level 1 now, and keeps 2: a level does not fall by itself');
SELECT is(pg_temp.res(pg_temp.like('a8', 'thread', '10')), '200 -',
	'likes it again (earns 2)');
UPDATE forum_members SET trust_level = 1, level_set_by = pg_temp.id('ae')
WHERE user_id = pg_temp.id('a8');
SELECT is(pg_temp.mem('a8', 'trust_level'), 1, 'staff set a8 to level 1');
SELECT is(pg_temp.res(pg_temp.read('a8', '12', 0)), '200 -', 'a8 reads on');
SELECT is(ARRAY[pg_temp.mem('a8', 'threads_entered'), pg_temp.mem('a8', 'trust_level')],
	ARRAY[3, 1], 'a level set by staff is not earned over');
SELECT is(pg_temp.refused(format('UPDATE forum_members SET trust_level = 5
	WHERE user_id = %L', pg_temp.id('a8'))), '23514 forum_members_trust_level_check',
	'levels go to 4');
SELECT is(pg_temp.refused(format('UPDATE forum_members SET posts_read = -1
	WHERE user_id = %L', pg_temp.id('a8'))), '23514 forum_members_posts_read_check',
	'no number below 0');
SELECT is(pg_temp.refused(format('INSERT INTO forum_members (user_id, org_id)
	VALUES (%L, %L)', pg_temp.id('b4'), pg_temp.id('a1'))),
	'23503 forum_members_user_id_org_id_fkey', 'a member of the organization''s');

-- ---- forum_thread_create ---------------------------------------------------

SELECT is(pg_temp.res(pg_temp.create('a9', pg_temp.general('c1'), 'Links',
	'See https://example.com', true)), '403 forbidden',
	'a new member posts no links');
SELECT is(pg_temp.mem('a9', 'threads'), NULL, '(nothing written)');
SELECT is(pg_temp.res(pg_temp.create('a8', pg_temp.general('c1'), 'Links',
	'See https://example.com', true)), '201 -', 'a member of level 1 does');
SELECT is(to_jsonb(x)->'status' || jsonb_build_array((x).body->'title',
		(x).body->'author'->'username', (x).body->'replies', (x).body->'mine'),
	'[201, "Study plan", "fo_a9", 0, true]'::jsonb,
	'a new member starts a thread without links (its title trimmed)')
FROM (SELECT pg_temp.create('a9', pg_temp.general('c1'), '  Study plan ',
	'Who is in?') x) s;
SELECT is((SELECT watching FROM forum_watches w JOIN forum_posts t
	ON t.id = w.post_id WHERE t.title = 'Study plan'
	AND w.user_id = pg_temp.id('a9')), true, 'and watches it');
SELECT is(pg_temp.res(pg_temp.create('a7', pg_temp.general('c1'))),
	'404 not-found', 'one not in the course starts none in its forum');
SELECT is(pg_temp.res(pg_temp.create('a7', pg_temp.general(NULL))), '201 -',
	'but in the general forum');
UPDATE forum_settings SET tl0_posts_a_day = 2 WHERE org_id = pg_temp.id('a1');
SELECT is(pg_temp.res(pg_temp.create('a9', pg_temp.general('c1'))), '201 -',
	'a9''s second post of the day, with two allowed');
SELECT is(to_jsonb(x) - 'audit' - 'xp', jsonb_build_object('status', 429,
		'problem', 'rate-limited', 'body', 'At trust level 0 you may make 2 '
		'posts a day; taking part raises the limit.'),
	'not a third')
FROM (SELECT pg_temp.create('a9', pg_temp.general('c1')) x) s;
SELECT is(pg_temp.res(pg_temp.answer('a9', pg_temp.id('10'))), '429 rate-limited',
	'nor a reply');
UPDATE forum_posts SET created_at = now() - interval '25 hours'
WHERE user_id = pg_temp.id('a9') AND title = 'Study plan';
SELECT is(pg_temp.res(pg_temp.create('a9', pg_temp.general('c1'))), '201 -',
	'a post of yesterday is not counted today');
SELECT is(pg_temp.res(pg_temp.create('a2', pg_temp.general('c1'))), '201 -',
	'the course''s author, of level 0 and 60-odd posts today, is not limited in its forum');
SELECT is(pg_temp.res(pg_temp.create('a2', pg_temp.general(NULL))),
	'429 rate-limited', 'in the general forum, a member there, they are');
SELECT is(pg_temp.res(pg_temp.create('a2', pg_temp.general(NULL), p_all => true)),
	'201 -', 'unless they may edit all');
UPDATE forum_settings SET tl0_posts_a_day = 100 WHERE org_id = pg_temp.id('a1');

-- ---- forum_reply_create, forum_answers_hidden -------------------------------

SELECT is(pg_temp.thread('19', pg_temp.general('c1'), 'a4', 'Closed'), 'ok',
	'a thread to lock');
SELECT is(pg_temp.res(pg_temp.mod('a2', 'thread', '19', 'lock')), '200 -',
	'locked by a moderator');
SELECT is(pg_temp.res(pg_temp.answer('a5', pg_temp.id('19'))), '409 thread-locked',
	'a member replies no more');
SELECT is(pg_temp.res(pg_temp.edit('a4', 'thread', '19', NULL, 'Edited.', 0)),
	'409 thread-locked', 'nor edits');
SELECT is(pg_temp.res(pg_temp.answer('a3', pg_temp.id('19'))), '201 -',
	'a moderator replies');
SELECT is(pg_temp.res(pg_temp.mod('a2', 'thread', '19', 'unlock')), '200 -', 'unlocked');
SELECT is(pg_temp.res(pg_temp.answer('a5', pg_temp.id('19'))), '201 -',
	'members reply again');
SELECT is(pg_temp.res(pg_temp.answer('a5', pg_temp.id('16'))), '404 not-found',
	'a hidden thread is not in sight of a member');
SELECT is(pg_temp.res(pg_temp.answer('a4', pg_temp.id('16'))), '409 thread-closed',
	'its author sees it, and cannot reply');
SELECT is(pg_temp.res(pg_temp.answer('a5', pg_temp.id('19'), pg_temp.id('20'))),
	'422 validation', 'a reply''s parent is of its thread');
SELECT is(pg_temp.res(pg_temp.answer('a5',
		(SELECT id FROM forum_posts WHERE title = 'Study plan'), NULL,
		'Count me in, @fo_a6 too.')), '201 -',
	'a reply to a9''s thread naming a6');
SELECT is(ARRAY(SELECT kind || ' ' || right(user_id::text, 2) FROM notifications
		WHERE data->>'post_id' = (SELECT id FROM forum_posts
			WHERE title = 'Study plan')::text ORDER BY 1),
	ARRAY['forum_mention a6', 'forum_reply a9'],
	'its watcher is told of the reply, the one named of being named, the writer of nothing');
SELECT is((SELECT format('%s %s', d.last_n, w.watching) FROM forum_reads d
	JOIN forum_watches w ON w.user_id = d.user_id AND w.post_id = d.post_id
	JOIN forum_posts t ON t.id = d.post_id
	WHERE t.title = 'Study plan' AND d.user_id = pg_temp.id('a5')), '1 t',
	'the writer has read to their reply and watches the thread');
SELECT is(forum_answers_hidden((SELECT k FROM forum_categories k
	WHERE id = pg_temp.id('ca')), pg_temp.id('15'), pg_temp.id('af'), 'member'),
	true, 'in a Q&A category a learner sees no answers before answering');
SELECT is(forum_answers_hidden((SELECT k FROM forum_categories k
	WHERE id = pg_temp.id('ca')), pg_temp.id('15'), pg_temp.id('a4'), 'member'),
	false, 'the asker sees them');
SELECT is(forum_answers_hidden((SELECT k FROM forum_categories k
	WHERE id = pg_temp.id('ca')), pg_temp.id('15'), pg_temp.id('af'), 'staff'),
	false, 'staff see them');
SELECT is(pg_temp.reply('37', '15', 'af', NULL, 'Thirty-two?'), 'ok', 'af answers');
SELECT is(forum_answers_hidden((SELECT k FROM forum_categories k
	WHERE id = pg_temp.id('ca')), pg_temp.id('15'), pg_temp.id('af'), 'member'),
	false, 'and sees the others''');
SELECT is(pg_temp.set('forum_replies', '37', 'deleted_at = now()'), 'ok',
	'af deletes the answer');
SELECT is(forum_answers_hidden((SELECT k FROM forum_categories k
	WHERE id = pg_temp.id('ca')), pg_temp.id('15'), pg_temp.id('af'), 'member'),
	true, 'and sees them no more');
SELECT is(forum_answers_hidden((SELECT k FROM forum_categories k
	WHERE id = pg_temp.general('c1')), pg_temp.id('10'), pg_temp.id('af'), 'member'),
	false, 'a discussion hides no replies');

-- ---- forum_edit, forum_delete ----------------------------------------------

SELECT is(pg_temp.res(pg_temp.edit('a4', 'thread', '10', ' Subnets, again ',
	'Why /30?', 1)), '200 -', 'the author edits a thread at version 1');
SELECT is((SELECT format('%s|%s|%s|%s', title, body, version, edited_at = now())
	FROM forum_posts WHERE id = pg_temp.id('10')), 'Subnets, again|Why /30?|2|t',
	'its title and body, version 2');
SELECT is(ARRAY(SELECT format('%s|%s|%s|%s', version, title, body,
		edited_by = pg_temp.id('a4'))
		FROM forum_revisions WHERE post_id = pg_temp.id('10')),
	ARRAY['1|Subnets|Why /30 for a link?|t'], 'what it said before is kept');
SELECT is(to_jsonb(x) - 'audit' - 'xp', jsonb_build_object('status', 412,
		'problem', 'stale-version', 'body', 'The post was changed since you '
		'read it: read it again.'), 'an edit of version 1 again is refused')
FROM (SELECT pg_temp.edit('a4', 'thread', '10', 'Mine', 'Mine.', 1) x) s;
SELECT is((SELECT format('%s|%s|%s', title, version, (SELECT count(*)
		FROM forum_revisions WHERE post_id = pg_temp.id('10')))
	FROM forum_posts WHERE id = pg_temp.id('10')), 'Subnets, again|2|1',
	'the thread and its revisions as they were');
SELECT is(pg_temp.res(pg_temp.edit('a4', 'thread', '10', NULL, 'Why a /30?', 0)),
	'200 -', 'an edit of any version, the title kept');
SELECT is((SELECT format('%s|%s|%s', title, version, (SELECT count(*)
		FROM forum_revisions WHERE post_id = pg_temp.id('10')))
	FROM forum_posts WHERE id = pg_temp.id('10')), 'Subnets, again|3|2',
	'version 3, two revisions');
SELECT is(pg_temp.res(pg_temp.edit('a5', 'thread', '10', NULL, 'Mine.', 0)),
	'403 forbidden', 'another member edits nothing of the author''s');
SELECT is(pg_temp.res(pg_temp.edit('a3', 'thread', '10', NULL, 'Tidied.', 3)),
	'200 -', 'a moderator does');
SELECT is((SELECT edited_by = pg_temp.id('a3') FROM forum_revisions
	WHERE post_id = pg_temp.id('10') AND version = 3), true,
	'the revision says who edited');
SELECT is(pg_temp.res(pg_temp.edit('a5', 'reply', '20', NULL, 'Two hosts.', 1)),
	'200 -', 'a reply edited');
SELECT is((SELECT format('%s|%s|%s', version, title, body) FROM forum_revisions
	WHERE reply_id = pg_temp.id('20')), '1||An answer.',
	'its revision: no title, the body of before');
SELECT is(pg_temp.res(pg_temp.edit('a5', 'reply', '20', NULL,
	'See https://example.com', 0, true)), '403 forbidden',
	'a new member edits no link in');
SELECT is(pg_temp.res(pg_temp.edit('a5', 'reply', '22', NULL, 'Back.', 0)),
	'409 post-deleted', 'a deleted reply is not edited');
SELECT is(pg_temp.res(forum_delete(pg_temp.id('a5'), false, 'thread',
	pg_temp.id('19'))), '403 forbidden', 'a member deletes none of another''s');
SELECT is(to_jsonb(x), jsonb_build_object('status', 204, 'problem', NULL,
		'body', NULL, 'audit', NULL, 'xp', NULL),
	'the author deletes their thread, nothing to audit')
FROM (SELECT forum_delete(pg_temp.id('a4'), false, 'thread', pg_temp.id('19')) x) s;
SELECT is(pg_temp.threads(pg_temp.general('c1')), pg_temp.live(pg_temp.general('c1')),
	'the category counts its threads not deleted');
SELECT is((x).audit, jsonb_build_object('action', 'forum_reply.deleted',
		'type', 'forum_reply', 'id', pg_temp.id('20'),
		'course_id', pg_temp.id('c1')),
	'a moderator deletes a reply, for the audit trail')
FROM (SELECT forum_delete(pg_temp.id('a2'), false, 'reply', pg_temp.id('20')) x) s;
SELECT is(pg_temp.res(forum_delete(pg_temp.id('a2'), false, 'reply',
	pg_temp.id('20'))), '404 not-found', 'deleted once');

-- ---- forum_moderate, forum_watch -------------------------------------------

SELECT is(pg_temp.res(pg_temp.mod('a5', 'thread', '10', 'pin')), '403 forbidden',
	'a member moderates nothing');
SELECT is((x).audit, jsonb_build_object('action', 'forum_thread.pin',
		'type', 'forum_thread', 'id', pg_temp.id('10'),
		'course_id', pg_temp.id('c1'), 'reason', NULL, 'category_id', NULL,
		'from_category_id', NULL), 'a moderator pins a thread, for the audit trail')
FROM (SELECT pg_temp.mod('a2', 'thread', '10', 'pin') x) s;
SELECT is((SELECT pinned_at FROM forum_posts WHERE id = pg_temp.id('10')), now(),
	'pinned');
SELECT is(pg_temp.res(pg_temp.mod('a3', 'thread', '10', 'move', NULL,
	pg_temp.general('c2'))), '422 validation',
	'c1''s collaborator moves no thread to c2, which they do not moderate');
SELECT is(pg_temp.res(pg_temp.mod('a3', 'thread', '10', 'move', NULL,
	pg_temp.general(NULL))), '422 validation',
	'nor to the general forum, where they are a member');
SELECT is(pg_temp.res(pg_temp.mod('a3', 'thread', '10', 'move', NULL,
	pg_temp.id('ff'))), '422 validation', 'nor to no category');
SELECT is((x).audit->>'from_category_id' || ' ' || ((x).audit->>'category_id'),
	pg_temp.general('c1') || ' ' || pg_temp.general('c2'),
	'the author of both moves it from c1 to c2')
FROM (SELECT pg_temp.mod('a2', 'thread', '10', 'move', NULL,
	pg_temp.general('c2')) x) s;
SELECT is((SELECT category_id FROM forum_posts WHERE id = pg_temp.id('10')),
	pg_temp.general('c2'), 'it is in c2''s forum');
SELECT is(ARRAY[pg_temp.threads(pg_temp.general('c1')) - pg_temp.live(pg_temp.general('c1')),
		pg_temp.threads(pg_temp.general('c2')) - pg_temp.live(pg_temp.general('c2')),
		pg_temp.threads(pg_temp.general('c2'))], ARRAY[0, 0, 1],
	'each category counts what it has');
SELECT is(pg_temp.res(pg_temp.mod('a2', 'reply', '21', 'pin')), '422 validation',
	'a reply is hidden or shown, not pinned');
SELECT is(pg_temp.res(pg_temp.accept('a4', '15', '35')), '200 -',
	'(a5''s answer accepted)');
SELECT is(pg_temp.res(pg_temp.mod('a2', 'reply', '35', 'hide', 'Wrong')), '200 -',
	'a moderator hides it');
SELECT is((SELECT ROW(t.accepted_reply_id, pg_temp.mem('a5', 'accepted_answers'),
		r.hidden_by = pg_temp.id('a2'), r.hidden_reason)::text
	FROM forum_posts t, forum_replies r
	WHERE t.id = pg_temp.id('15') AND r.id = pg_temp.id('35')), '(,0,t,Wrong)',
	'hidden by them: no longer the answer');
SELECT is((SELECT count(*) FROM notifications WHERE user_id = pg_temp.id('a5')
	AND kind = 'forum_moderated'), 1::bigint, 'its author is told');
SELECT is(pg_temp.res(forum_watch(pg_temp.id('a1'), pg_temp.id('a5'), false,
	'category', pg_temp.general('c1'), false)), '422 validation',
	'a category is not muted');
SELECT is(pg_temp.res(forum_watch(pg_temp.id('a1'), pg_temp.id('a7'), false,
	'category', pg_temp.general('c1'), true)), '404 not-found',
	'nor watched by one not in its course');
SELECT is(pg_temp.res(forum_watch(pg_temp.id('a1'), pg_temp.id('a5'), false,
	'category', pg_temp.general('c1'), true)), '200 -', 'a learner watches it');

-- ---- forum_role ------------------------------------------------------------

SELECT is(ARRAY[forum_role(pg_temp.general('c1'), pg_temp.id('a2'), false),
		forum_role(pg_temp.general('c1'), pg_temp.id('a3'), false),
		forum_role(pg_temp.general('c1'), pg_temp.id('a7'), true)],
	ARRAY['staff', 'staff', 'staff'],
	'a course''s owner, collaborator, and one who may edit all moderate its forum');
SELECT is(ARRAY[forum_role(pg_temp.general('c1'), pg_temp.id('a4'), false),
		forum_role(pg_temp.id('ca'), pg_temp.id('a4'), false)],
	ARRAY['member', 'member'], 'its learner takes part, in each of its categories');
SELECT is(ARRAY[forum_role(pg_temp.general('c1'), pg_temp.id('a7'), false),
		forum_role(pg_temp.general('c1'), pg_temp.id('aa'), false),
		forum_role(pg_temp.general('c2'), pg_temp.id('a3'), false)],
	ARRAY[NULL, NULL, NULL]::text[],
	'one not enrolled, one who dropped, an author of another course: no role');
SELECT is(ARRAY[forum_role(pg_temp.general(NULL), pg_temp.id('a7'), false),
		forum_role(pg_temp.general(NULL), pg_temp.id('a7'), true)],
	ARRAY['member', 'staff'], 'everyone of the organization is in its general forum');
SELECT is(forum_role(pg_temp.id('ff'), pg_temp.id('a2'), true), NULL,
	'no category: no role');
SELECT is(forum_role(pg_temp.general(NULL), pg_temp.id('b3'), false), NULL,
	'one of another organization is not in the general forum');

-- ---- forum_mentioned -------------------------------------------------------

SELECT is(pg_temp.mentioned('Thanks @fo_a7 and @fo_a4!', pg_temp.general(NULL),
	'a2'), ARRAY['a4', 'a7'], 'the members named in the general forum');
SELECT is(pg_temp.mentioned('Thanks @fo_a7 and @fo_a4!', pg_temp.general('c1'),
	'a2'), ARRAY['a4'], 'in a course''s, not one who cannot read it');
SELECT is(pg_temp.mentioned('Ask @fo_aa.', pg_temp.general('c1'), 'a2'), '{}',
	'(nor one who dropped the course)');
SELECT is(pg_temp.mentioned('As @fo_a2 said', pg_temp.general('c1'), 'a2'), '{}',
	'not the writer');
SELECT is(pg_temp.mentioned('Ask @FO_A5. Or @fo_a5, (@fo_a6)', pg_temp.general('c1'),
	'a2'), ARRAY['a5', 'a6'], 'whatever the case, once each, a stop after');
SELECT is(pg_temp.mentioned('mail x@fo_a5 or @nobody_here', pg_temp.general('c1'),
	'a2'), '{}', 'not an address, nor a name of nobody');
SELECT is(pg_temp.mentioned('Where is @fo_ab?', pg_temp.general('c1'), 'a2'), '{}',
	'nor one deleted');
SELECT is(cardinality(pg_temp.mentioned((SELECT string_agg('@fo_e' || to_hex(g),
		' ') FROM generate_series(0, 11) g), pg_temp.general(NULL), 'a2')), 10,
	'ten at most');

-- ---- forum_search, and the words it corrects to ----------------------------

DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000031a1', true); END$$;
SELECT is(pg_temp.thread('1a', pg_temp.general('c1'), 'a4', 'Broadcast addresses',
		'How do I find the broadcast address of a subnet?')
	|| pg_temp.reply('36', '1a', 'a5', NULL, 'Set every host bit: the wildcard helps.')
	|| pg_temp.thread('1b', pg_temp.general(NULL), 'a7', 'Study group',
		'Anyone revising broadcast storms tonight?'), 'okokok',
	'two threads and a reply to search');
SELECT is(pg_temp.found('a4', 'broadcast'), ARRAY['1a', '1b'],
	'a learner finds threads in the course''s forum and the general one');
SELECT is(pg_temp.found('a4', 'wildcard'), ARRAY['1a/36'], 'and a reply');
SELECT is((forum_search(pg_temp.id('a4'), false, 'wildcard', NULL, 20)
		#>> '{items,0,snippet}') LIKE '%' || chr(1) || 'wildcard' || chr(2) || '%',
	true, 'with the word marked in its snippet');
SELECT is(pg_temp.found('a4', 'brodcast'), ARRAY['1a', '1b'],
	'a typo is corrected from the forum''s words');
SELECT is(pg_temp.found('a7', 'broadcast'), ARRAY['1b'],
	'one not in the course finds nothing in its forum');
SELECT is(pg_temp.found('a7', 'broadcast', true), ARRAY['1a', '1b'],
	'unless they may edit all');
SELECT is(pg_temp.found('a4', 'broadcast', false, 'c1'), ARRAY['1a'],
	'a course''s forum only');
SELECT is(pg_temp.found('a4', 'kookaburra', true), '{}',
	'nothing of another organization''s');
SELECT is(pg_temp.found('af', 'netmask'), '{}',
	'nor an answer of a Q&A thread the searcher has not answered');
SELECT is(pg_temp.found('a4', 'netmask'), ARRAY['15/38'], '(which its asker finds)');
UPDATE forum_posts SET hidden_at = now(), hidden_reason = 'Checking'
WHERE id = pg_temp.id('1a');
SELECT is(pg_temp.found('a4', 'broadcast')::text || ' '
	|| pg_temp.found('a4', 'wildcard')::text, '{1b} {}',
	'a hidden thread is not found, nor its replies');
UPDATE forum_posts SET hidden_at = NULL, hidden_reason = NULL
WHERE id = pg_temp.id('1a');
UPDATE forum_replies SET deleted_at = now() WHERE id = pg_temp.id('36');
SELECT is(pg_temp.found('a4', 'wildcard'), '{}', 'a deleted reply is not found');
UPDATE forum_posts SET deleted_at = now() WHERE id = pg_temp.id('1b');
SELECT is(pg_temp.found('a7', 'broadcast', true), ARRAY['1a'],
	'nor a deleted thread');
DO $$BEGIN PERFORM set_config('ludus.org_id', '', true); END$$;
SELECT is(forum_search(pg_temp.id('a4'), true, 'broadcast', NULL, 20),
	'{"query": "broadcast", "items": []}'::jsonb,
	'no organization set: nothing found');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000031a1', true); END$$;
SELECT is(ARRAY(SELECT format('%s %s %s', right(org_id::text, 2), word, content)
		FROM search_words WHERE word IN ('broadcast', 'wildcard', 'kookaburra')
			AND org_id IN (pg_temp.id('a1'), pg_temp.id('b1')) ORDER BY 1),
	ARRAY['a1 broadcast 2', 'a1 wildcard 1', 'b1 broadcast 1', 'b1 kookaburra 1'],
	'the vocabulary has the words of threads and replies, each organization its own (deleted ones kept)');
UPDATE forum_replies SET body = 'Set every host bit.' WHERE id = pg_temp.id('36');
DELETE FROM forum_posts WHERE id = pg_temp.id('1b');
SELECT is(ARRAY(SELECT word || ' ' || content FROM search_words
		WHERE word IN ('broadcast', 'wildcard') AND org_id = pg_temp.id('a1')),
	ARRAY['broadcast 1'], 'an edit and a delete take theirs back');

-- ---- the other tables' checks ----------------------------------------------

SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason, note) VALUES (%L, %L, %L, 'other', '  ')$$,
	pg_temp.id('a1'), pg_temp.id('a7'), pg_temp.id('1e'))),
	'23514 forum_flags_check2', 'a flag for another reason says what');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason) VALUES (%L, %L, %L, 'rude')$$,
	pg_temp.id('a1'), pg_temp.id('a7'), pg_temp.id('1e'))),
	'23514 forum_flags_reason_check', 'a reason is one of four');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason, note) VALUES (%L, %L, %L, 'spam', repeat('n', 501))$$,
	pg_temp.id('a1'), pg_temp.id('a7'), pg_temp.id('1e'))),
	'23514 forum_flags_note_check', 'a note is 500 characters at most');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reply_id, reason) VALUES (%L, %L, %L, %L, 'spam')$$,
	pg_temp.id('a1'), pg_temp.id('a7'), pg_temp.id('1e'), pg_temp.id('21'))),
	'23514 forum_flags_check', 'a flag is of a thread or of a reply');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	reason) VALUES (%L, %L, 'spam')$$, pg_temp.id('a1'), pg_temp.id('a7'))),
	'23514 forum_flags_check', 'of one of them');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason, status) VALUES (%L, %L, %L, 'spam', 'agreed')$$,
	pg_temp.id('a1'), pg_temp.id('a7'), pg_temp.id('1e'))),
	'23514 forum_flags_check1', 'a settled flag has its time');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason) VALUES (%L, %L, %L, 'off_topic')$$,
	pg_temp.id('a1'), pg_temp.id('a5'), pg_temp.id('16'))),
	'23505 forum_flags_user_id_post_id_reply_id_key',
	'one flag per member and post, settled or not');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_flags (org_id, user_id,
	post_id, reason) VALUES (%L, %L, %L, 'spam')$$,
	pg_temp.id('a1'), pg_temp.id('b3'), pg_temp.id('1e'))),
	'23503 forum_flags_user_id_org_id_fkey', 'by one of the organization''s');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_revisions (org_id, post_id,
	reply_id, version, body) VALUES (%L, %L, %L, 1, 'x')$$, pg_temp.id('a1'),
	pg_temp.id('1e'), pg_temp.id('21'))), '23514 forum_revisions_check',
	'a revision is of a thread or of a reply');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_revisions (org_id, version,
	body) VALUES (%L, 1, 'x')$$, pg_temp.id('a1'))), '23514 forum_revisions_check',
	'of one of them');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_revisions (org_id, reply_id,
	version, title, body) VALUES (%L, %L, 1, 'T', 'x')$$, pg_temp.id('a1'),
	pg_temp.id('21'))), '23514 forum_revisions_check1', 'a reply''s has no title');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_revisions (org_id, post_id,
	version, body) VALUES (%L, %L, 1, 'x')$$, pg_temp.id('a1'), pg_temp.id('10'))),
	'23505 forum_revisions_post_id_reply_id_version_key', 'one per version');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_watches (user_id, org_id,
	post_id, category_id, watching) VALUES (%L, %L, %L, %L, true)$$,
	pg_temp.id('a7'), pg_temp.id('a1'), pg_temp.id('1e'), pg_temp.general(NULL))),
	'23514 forum_watches_check', 'a watch is of a thread or a category');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_watches (user_id, org_id,
	watching) VALUES (%L, %L, true)$$, pg_temp.id('a7'), pg_temp.id('a1'))),
	'23514 forum_watches_check', 'of one of them');
SELECT is(pg_temp.refused(format($$INSERT INTO forum_watches (user_id, org_id,
	category_id, watching) VALUES (%L, %L, %L, false)$$, pg_temp.id('a5'),
	pg_temp.id('a1'), pg_temp.general('c1'))),
	'23505 forum_watches_user_id_post_id_category_id_key', 'once per member');
SELECT is(pg_temp.refused(format($$UPDATE forum_reads SET last_n = -1
	WHERE user_id = %L$$, pg_temp.id('a8'))), '23514 forum_reads_last_n_check',
	'a place read is not below 0');
SELECT is(ARRAY(SELECT pg_temp.refused(format('UPDATE forum_settings SET %s
		WHERE org_id = %L', s, pg_temp.id('a1'))) FROM unnest(ARRAY[
		'flags_to_hide = 0', 'flags_to_hide = 101', 'tl2_replies = -1',
		'tl3_posts_read = 100001', 'likes_a_day = -1', 'posts_a_day = 10001',
		'tl1_posts_read = 100000, tl0_flags_a_day = 10000']) s),
	ARRAY['23514 forum_settings_flags_to_hide_check',
		'23514 forum_settings_flags_to_hide_check', '23514 forum_settings_check',
		'23514 forum_settings_check1', '23514 forum_settings_check2',
		'23514 forum_settings_check3', 'ok'],
	'settings: one to 100 flags, thresholds 0 to 100,000, limits 0 to 10,000');

-- ---- row-level security, as ludus_app --------------------------------------

SELECT is(ARRAY(SELECT t FROM unnest(pg_temp.tables()) t
		WHERE pg_temp.rows_of(t, 'b1') = 0 OR pg_temp.rows_of(t, 'a1') = 0),
	'{}', 'both organizations have rows in every forum table');
SET LOCAL ROLE ludus_app;
SELECT is(ARRAY(SELECT t FROM unnest(pg_temp.tables()) t
		WHERE pg_temp.rows_of(t, 'a1', true) > 0), '{}',
	'ludus_app sees no other organization''s rows in any of them');
SELECT is(ARRAY(SELECT t FROM unnest(pg_temp.tables()) t
		WHERE pg_temp.rows_of(t, 'a1') = 0), '{}', 'and its own in all');
SELECT is(pg_temp.found('a4', 'kookaburra', true)::text || ' '
	|| pg_temp.found('b3', 'kookaburra', true)::text, '{} {}',
	'forum_search finds nothing of the other''s, whoever asks');
SELECT is(pg_temp.found('a4', 'broadcast'), ARRAY['1a'], 'its own as before');
SELECT is(forum_role(pg_temp.id('bd'), pg_temp.id('b3'), true), NULL,
	'no role in another organization''s category');
SELECT is(pg_temp.mentioned('@fo_b3 and @fo_a4', pg_temp.general(NULL), 'a2'),
	ARRAY['a4'], 'no one of another organization is mentioned');
SELECT is(pg_temp.res(pg_temp.create('a4', pg_temp.id('bd'))), '404 not-found',
	'no thread started in another organization''s category');
SELECT is(pg_temp.res(pg_temp.answer('a4', pg_temp.id('b5'))), '404 not-found',
	'no reply to its thread');
SELECT is(pg_temp.res(pg_temp.like('a4', 'thread', 'b5')), '404 not-found',
	'no like');
SELECT is(pg_temp.res(pg_temp.flag('a4', 'reply', pg_temp.id('b6'))),
	'404 not-found', 'no flag');
SELECT is(pg_temp.res(forum_flag_resolve(pg_temp.id('a2'), true, pg_temp.id('b8'),
	'agree')), '404 not-found', 'none of its flags settled');
SELECT is(pg_temp.reply('0f', 'b5', 'a4'), '23502 -',
	'a reply written straight to its thread finds no thread to number it');
SELECT is(pg_temp.reply('0f', 'b5', 'b3', NULL, 'x', 'b1'), '42501 -',
	'nor goes in as the other organization''s');
SELECT is(pg_temp.thread('0f', pg_temp.id('bd'), 'b3', 'x', 'x', 'b1'), '42501 -',
	'nor does a thread');
SELECT is(pg_temp.res(pg_temp.create('a4', pg_temp.general(NULL), 'Under RLS',
	'Written as ludus_app.')), '201 -', 'ludus_app starts a thread');
SELECT is(pg_temp.res(pg_temp.answer('a5', (SELECT id FROM forum_posts
	WHERE title = 'Under RLS'))), '201 -', 'replies to it');
SELECT is((SELECT format('%s %s', reply_seq, replies) FROM forum_posts
	WHERE title = 'Under RLS'), '1 1', 'numbered and counted');
SELECT is((pg_temp.flag('a5', 'thread', (SELECT id FROM forum_posts
	WHERE title = 'Under RLS'))).body->>'hidden', 'false', 'flagged once: shown');
SELECT is((pg_temp.flag('a6', 'thread', (SELECT id FROM forum_posts
	WHERE title = 'Under RLS'))).body->>'hidden', 'true', 'twice: hidden');
SELECT is((SELECT hidden_at IS NOT NULL AND hidden_by IS NULL FROM forum_posts
	WHERE title = 'Under RLS'), true, 'by the flags, as ludus_app');
INSERT INTO courses (id, org_id, owner_id, slug, title)
VALUES (pg_temp.id('c3'), pg_temp.id('a1'), pg_temp.id('a2'), 'fo-c3', 'Draft');
SELECT is(pg_temp.general('c3') IS NOT NULL, true,
	'a course ludus_app makes gets its General category');
WITH u AS (UPDATE forum_posts SET title = 'Mine' WHERE id = pg_temp.id('b5')
	RETURNING 1)
SELECT is(count(*), 0::bigint, 'ludus_app changes no thread of the other''s') FROM u;
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000031b1', true); END$$;
SELECT is(pg_temp.found('b3', 'kookaburra')::text || ' '
	|| pg_temp.found('b3', 'broadcast')::text, '{b5} {b5}',
	'B finds its own thread, and none of A''s');
RESET ROLE;
SELECT is((SELECT format('%s %s %s %s', title, reply_seq, replies,
		hidden_at IS NULL) FROM forum_posts WHERE id = pg_temp.id('b5')),
	'Broadcast in B 1 1 t', 'B''s thread is as it was');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000031a1', true); END$$;

-- ---- what the counts add up to; deleted for good ---------------------------

SELECT is(ARRAY(SELECT right(t.id::text, 2) FROM forum_posts t
		WHERE t.org_id = pg_temp.id('a1') AND t.replies <> (SELECT count(*)
			FROM forum_replies r WHERE r.post_id = t.id
				AND r.deleted_at IS NULL AND r.hidden_at IS NULL)),
	'{}', 'every thread''s count of replies is its replies shown');
SELECT is(ARRAY(SELECT right(t.id::text, 2) FROM forum_posts t
		WHERE t.likes <> (SELECT count(*) FROM forum_post_likes l
			WHERE l.post_id = t.id)) || ARRAY(SELECT right(r.id::text, 2)
		FROM forum_replies r WHERE r.likes <> (SELECT count(*)
			FROM forum_reply_likes l WHERE l.reply_id = r.id)),
	'{}', 'every thread''s and reply''s count of likes its likes');
SELECT is(ARRAY(SELECT k.name || ' ' || k.threads FROM forum_categories k
		WHERE k.threads <> (SELECT count(*) FROM forum_posts t
			WHERE t.category_id = k.id AND t.deleted_at IS NULL)),
	'{}', 'every category''s count of threads its threads not deleted');
SELECT is(ARRAY(SELECT right(m.user_id::text, 2) FROM forum_members m
		WHERE m.likes_given <> (SELECT count(*) FROM forum_post_likes l
				WHERE l.user_id = m.user_id) + (SELECT count(*)
				FROM forum_reply_likes l WHERE l.user_id = m.user_id)
			OR m.likes_received <> (SELECT count(*) FROM forum_post_likes l
				JOIN forum_posts t ON t.id = l.post_id WHERE t.user_id = m.user_id)
				+ (SELECT count(*) FROM forum_reply_likes l JOIN forum_replies r
				ON r.id = l.reply_id WHERE r.user_id = m.user_id)),
	'{}', 'every member''s likes given and received their likes');
SELECT is(ARRAY[pg_temp.counts('10'), pg_temp.mem('a4', 'likes_received')::text],
	ARRAY['4 1 2', '2'], '(thread 10: a6''s reply shown, a6''s and a8''s likes)');
SELECT is(pg_temp.refused(format('DELETE FROM users WHERE id = %L',
	pg_temp.id('a6'))), 'ok', 'a6, who likes a thread, deleted for good');
DELETE FROM forum_post_likes WHERE user_id = pg_temp.id('a6');
SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('a6')$$,
	'(their like taken back first, they are)');
SELECT is(ARRAY[pg_temp.counts('10'), pg_temp.mem('a4', 'likes_received')::text],
	ARRAY['4 0 1', '1'], 'their reply and their like are gone from the counts');
SELECT is(ARRAY[(SELECT count(*) FROM forum_members WHERE user_id = pg_temp.id('a6')),
		(SELECT count(*) FROM forum_flags WHERE user_id = pg_temp.id('a6'))],
	ARRAY[0::bigint, 0], 'and their numbers and flags');
SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('ae')$$,
	'the staff who set a8''s level deleted for good');
SELECT is(pg_temp.mem('a8', 'trust_level'), 1,
	'the level they set stays: a8 does not earn 2 back');
SELECT lives_ok($$DELETE FROM courses WHERE id = pg_temp.id('c1')$$,
	'a course deleted for good');
SELECT is(ARRAY[(SELECT count(*) FROM forum_categories
		WHERE course_id = pg_temp.id('c1')),
	(SELECT count(*) FROM forum_posts WHERE id IN (pg_temp.id('11'),
		pg_temp.id('12'), pg_temp.id('15'), pg_temp.id('16'))),
	(SELECT count(*) FROM forum_flags WHERE post_id = pg_temp.id('16'))],
	ARRAY[0::bigint, 0, 0], 'takes its categories, their threads and their flags');
SELECT is(pg_temp.counts('10'), '4 0 1', 'not the thread moved to another course');

SELECT * FROM finish();
ROLLBACK;
