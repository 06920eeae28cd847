-- 0015_isolation: every table that holds an organization's data is kept
-- apart by the database.
--
-- For each table with an org_id column (found in the catalog, so a table
-- added later is checked without touching this file), as ludus_app:
--   set to organization A, it sees exactly A's rows;
--   set to another organization C, it sees none of A's rows (nor any but
--   C's own), updates and deletes none, and cannot insert a row of A;
--   set to nothing, it sees nothing.
-- A is the seeded default organization, with a fixture below for the
-- tables the seed leaves empty; a table without rows of A fails the suite
-- (add it to the fixture).  The policy check: every such table, and each
-- partition, has row-level security and the one policy; ludus_app owns
-- nothing and bypasses nothing.

BEGIN;
SET client_min_messages = warning;

CREATE TEMP TABLE org_tables ON COMMIT DROP AS
SELECT c.oid::regclass AS t, c.relispartition AS part
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id'
	AND NOT a.attisdropped
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p');

SELECT plan((SELECT 2 * count(*)::integer FROM org_tables)
	+ (SELECT 6 * count(*)::integer FROM org_tables WHERE NOT part) + 11);

-- ---- the policy check ------------------------------------------------------

SELECT ok(c.relrowsecurity, t || ' has row-level security')
FROM org_tables JOIN pg_class c ON c.oid = t ORDER BY t::text;

SELECT is((SELECT array_agg(polname::text || ': ' || pg_get_expr(polqual, polrelid)
		|| ' / ' || pg_get_expr(polwithcheck, polrelid))
	FROM pg_policy WHERE polrelid = t),
	ARRAY['org_isolation: (org_id = ludus_org()) / (org_id = ludus_org())'],
	t || ' has the one policy, for reading and for writing')
FROM org_tables ORDER BY t::text;

SELECT is((SELECT array_agg(pg_get_expr(polqual, polrelid)) FROM pg_policy
	WHERE polrelid = 'organizations'::regclass),
	ARRAY['(id = ludus_org())'], 'an organization sees only itself');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'organizations'::regclass),
	'organizations has row-level security');

SELECT is((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = 'ludus_app'),
	false, 'ludus_app is no superuser and cannot bypass row-level security');
SELECT is_empty($$
	SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	WHERE r.rolname = 'ludus_app'$$, 'ludus_app owns nothing');
SELECT is_empty($$
	SELECT relname FROM pg_class
	WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
		AND relforcerowsecurity$$,
	'no table forces its policies on the owner (migrations run as it)');
SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_proc p
	WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
		AND has_function_privilege('public', p.oid, 'EXECUTE')$$,
	'every function that looks across organizations is closed to PUBLIC');
SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_proc p
	WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
		AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c
			WHERE c LIKE 'search_path=%')$$,
	'and each fixes its search_path');
SELECT ok(NOT has_table_privilege('ludus_app', 'schema_migrations', 'INSERT')
	AND has_table_privilege('ludus_app', 'schema_migrations', 'SELECT'),
	'ludus_app reads the migrations ledger and cannot write it');
SELECT ok(NOT has_table_privilege('ludus_app', 'users', 'TRUNCATE'),
	'ludus_app cannot truncate');

-- ---- the fixture: a row of A in each table the seed leaves empty -----------

SET LOCAL session_replication_role = replica; -- no triggers, no FK checks
CREATE TEMP TABLE a ON COMMIT DROP AS
SELECT o.id AS org, u.id AS usr, c.id AS course, l.id AS lesson,
	q.id AS question, s.id AS assessment, x.id AS exam,
	(SELECT id FROM avatars LIMIT 1) AS avatar
FROM organizations o
JOIN users u ON u.org_id = o.id AND u.username = 'sarah_network'
JOIN courses c ON c.org_id = o.id
JOIN lessons l ON l.course_id = c.id
JOIN questions q ON q.org_id = o.id
JOIN assessments s ON s.org_id = o.id
JOIN exams x ON true
WHERE o.is_default
LIMIT 1;

INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, expires_at,
	absolute_expires_at)
SELECT usr, org, repeat('d', 64), repeat('c', 43), now() + interval '1 hour',
	now() + interval '1 day' FROM a;
INSERT INTO user_tokens (user_id, org_id, purpose, token_hash, expires_at)
SELECT usr, org, 'password_reset', repeat('e', 64), now() + interval '1 hour' FROM a;
INSERT INTO mail_outbox (org_id, user_id, to_address, subject, body_text)
SELECT org, usr, 'sarah@example.test', 'Hello', 'Body' FROM a;
INSERT INTO jobs (org_id, user_id, kind) SELECT org, usr, 'test.isolation' FROM a;
INSERT INTO audit_events (org_id, actor_user_id, action, entity_type)
SELECT org, usr, 'test.isolation', 'user' FROM a;
INSERT INTO activity_events (org_id, user_id, event_type)
SELECT org, usr, 'test.isolation' FROM a;
INSERT INTO bookmarks (user_id, lesson_id, org_id) SELECT usr, lesson, org FROM a;
INSERT INTO course_collaborators (course_id, user_id, org_id)
SELECT course, usr, org FROM a;
INSERT INTO learning_paths (id, org_id, owner_id, title)
SELECT '00000000-0000-4000-8000-000000001501', org, usr, 'Path' FROM a;
INSERT INTO learning_path_courses (path_id, course_id, org_id, position)
SELECT '00000000-0000-4000-8000-000000001501', course, org, 0 FROM a;
INSERT INTO learning_sessions (user_id, org_id, lesson_id) SELECT usr, org, lesson FROM a;
INSERT INTO study_clocks (user_id, org_id, counted_until) SELECT usr, org, now() FROM a;
INSERT INTO study_goals (org_id, user_id, kind, target)
SELECT org, usr, 'daily_minutes', 30 FROM a;
INSERT INTO learner_domain_stats (user_id, exam_id, domain_code, org_id)
SELECT usr, exam, '1.0', org FROM a;
INSERT INTO user_avatars (user_id, avatar_id, org_id) SELECT usr, avatar, org FROM a;
INSERT INTO lesson_versions (lesson_id, org_id, version, kind, title,
	estimated_minutes, difficulty, objective_codes, content, content_html,
	tags, language)
SELECT lesson, org, 99, 'lesson', 'Old', 5, 'beginner', '{}', '{}', '', '{}',
	'en' FROM a;
INSERT INTO assessment_questions (assessment_id, question_id, org_id, position)
SELECT assessment, question, org, 1 FROM a;
INSERT INTO attempts (id, org_id, user_id, assessment_id, number, kind,
	passing_percent, feedback, partial_credit, question_count, max_score)
SELECT '00000000-0000-4000-8000-000000001502', org, usr, assessment, 1,
	'quiz', 70, 'end', false, 1, 1 FROM a;
INSERT INTO attempt_answers (attempt_id, started_at, user_id, org_id,
	question_id, position, points, type, stem, body, layout)
SELECT id, started_at, user_id, org_id, (SELECT question FROM a), 1, 1,
	'single_choice', 'Stem', '{}', '{}'
FROM attempts WHERE id = '00000000-0000-4000-8000-000000001502';
INSERT INTO invitations (org_id, email, role, token_hash, expires_at)
SELECT org, 'invited@example.test', 'student', repeat('9', 64),
	now() + interval '1 day' FROM a;
INSERT INTO access_tokens (org_id, user_id, name, token_hash, prefix,
	permissions, expires_at)
SELECT org, usr, 'CI', repeat('8', 64), 'lpat_abcd', '{learn}',
	now() + interval '1 day' FROM a;
INSERT INTO identity_providers (id, org_id, name, issuer, client_id,
	client_secret)
SELECT '00000000-0000-4000-8000-000000001503', org, 'IdP',
	'https://idp.example.test', 'ludus', 'secret' FROM a;
INSERT INTO user_identities (org_id, user_id, provider_id, subject)
SELECT org, usr, '00000000-0000-4000-8000-000000001503', 'sub-1' FROM a;
INSERT INTO sso_requests (state_hash, org_id, provider_id, nonce,
	code_verifier, expires_at)
SELECT repeat('7', 64), org, '00000000-0000-4000-8000-000000001503',
	repeat('n', 43), repeat('v', 43), now() + interval '10 minutes' FROM a;
INSERT INTO sso_links (token_hash, org_id, user_id, provider_id, subject,
	email, expires_at)
SELECT repeat('6', 64), org, usr, '00000000-0000-4000-8000-000000001503',
	'sub-2', 'x@example.test', now() + interval '10 minutes' FROM a;
INSERT INTO flashcard_sets (id, org_id, owner_id, created_by, title)
SELECT '00000000-0000-4000-8000-000000001511', org, usr, usr, 'Ports' FROM a;
INSERT INTO flashcard_notes (id, org_id, set_id, kind, front, back,
	created_by)
SELECT '00000000-0000-4000-8000-000000001512', org,
	'00000000-0000-4000-8000-000000001511', 'basic', 'SSH', '22', usr FROM a;
INSERT INTO flashcards (id, org_id, note_id, set_id, ordinal)
SELECT '00000000-0000-4000-8000-000000001513', org,
	'00000000-0000-4000-8000-000000001512',
	'00000000-0000-4000-8000-000000001511', 0 FROM a;
INSERT INTO flashcard_settings (user_id, org_id) SELECT usr, org FROM a;
INSERT INTO user_flashcard_progress (user_id, card_id, org_id, state,
	stability, difficulty, last_review, reps)
SELECT usr, '00000000-0000-4000-8000-000000001513', org, 2, 3, 5, now(), 1
FROM a;
INSERT INTO flashcard_reviews (org_id, user_id, card_id, rating, reviewed_at,
	scheduled_seconds, state, step, stability, difficulty, due, reps, lapses,
	state_after, stability_after, difficulty_after)
SELECT org, usr, '00000000-0000-4000-8000-000000001513', 3, now(), 86400,
	0, 0, 0, 0, now(), 0, 0, 2, 3, 5 FROM a;
INSERT INTO flashcard_org_params (org_id, params, loss_before, loss_after,
	reviews, fitted_by)
SELECT org, array_fill(0.5::double precision, ARRAY[21]), 0.4, 0.3, 1000, usr
FROM a ON CONFLICT (org_id) DO NOTHING;
INSERT INTO study_materials (id, org_id, user_id, title, source_type,
	media_type, status, body)
SELECT '00000000-0000-4000-8000-000000001521', org, usr, 'Notes', 'text',
	'text/plain', 'ready', 'DHCP hands out addresses.' FROM a;
INSERT INTO content_chunks (id, org_id, material_id, chunk_order, content,
	chunk_type, start_offset, end_offset, word_count)
SELECT '00000000-0000-4000-8000-000000001522', org,
	'00000000-0000-4000-8000-000000001521', 0, 'DHCP hands out addresses.',
	'paragraph', 0, 25, 4 FROM a;
INSERT INTO generated_assets (id, org_id, material_id, chunk_id, asset_type,
	content, metadata, generation_model)
SELECT '00000000-0000-4000-8000-000000001523', org,
	'00000000-0000-4000-8000-000000001521',
	'00000000-0000-4000-8000-000000001522', 'flashcard',
	'{"kind": "basic", "front": "DHCP", "back": "hands out addresses"}',
	'{"source": [{"start": 0, "end": 25}]}', 'ludus-extractive-1' FROM a;
INSERT INTO learning_sessions (id, user_id, org_id, session_type,
	study_material_id)
SELECT '00000000-0000-4000-8000-000000001524', usr, org, 'study',
	'00000000-0000-4000-8000-000000001521' FROM a;
INSERT INTO interactions (org_id, user_id, learning_session_id, material_id,
	generated_asset_id, interaction_type)
SELECT org, usr, '00000000-0000-4000-8000-000000001524',
	'00000000-0000-4000-8000-000000001521',
	'00000000-0000-4000-8000-000000001523', 'view' FROM a;
INSERT INTO user_feedback (org_id, user_id, generated_asset_id,
	feedback_type, rating)
SELECT org, usr, '00000000-0000-4000-8000-000000001523', 'rating', 4 FROM a;
INSERT INTO progress_metrics (org_id, user_id, learning_session_id,
	material_id, metric_type, metric_value, time_period, aggregation_type)
SELECT org, usr, '00000000-0000-4000-8000-000000001524',
	'00000000-0000-4000-8000-000000001521', 'accuracy', 0.5, 'session',
	'value' FROM a;
INSERT INTO file_blobs (org_id, sha256, media_type, size_bytes, data)
SELECT org, sha256('\x00'::bytea), 'image/png', 1, '\x00'::bytea FROM a;
INSERT INTO flashcard_media (org_id, set_id, name, sha256, media_type,
	size_bytes, created_by)
SELECT org, '00000000-0000-4000-8000-000000001511', 'a.png',
	sha256('\x00'::bytea), 'image/png', 1, usr FROM a;
INSERT INTO course_feedback (id, org_id, course_id, user_id, rating, comment,
	upvotes)
SELECT '00000000-0000-4000-8000-000000001531', org, course, usr, 4, 'Clear.',
	1 FROM a;
INSERT INTO feedback_upvotes (feedback_id, user_id, org_id)
SELECT '00000000-0000-4000-8000-000000001531', usr, org FROM a;
INSERT INTO course_ratings (course_id, org_id, reviews, rating_sum, stars)
SELECT course, org, 1, 4, '{0,0,0,1,0}' FROM a
ON CONFLICT (course_id) DO NOTHING;
INSERT INTO suggested_edits (org_id, lesson_id, course_id, user_id, payload,
	base_version)
SELECT org, lesson, course, usr, '{"markdown": "A better text."}', 1 FROM a;
INSERT INTO forum_settings (org_id) SELECT org FROM a ON CONFLICT DO NOTHING;
INSERT INTO forum_categories (id, org_id, course_id, name)
SELECT '00000000-0000-4000-8000-000000001541', org, course, 'Isolation' FROM a;
INSERT INTO forum_posts (id, org_id, category_id, user_id, title, body,
	body_html)
SELECT '00000000-0000-4000-8000-000000001542', org,
	'00000000-0000-4000-8000-000000001541', usr, 'Subnets', 'Why /30?',
	'<p>Why /30?</p>' FROM a;
INSERT INTO forum_replies (id, org_id, post_id, num, path, user_id, body,
	body_html)
SELECT '00000000-0000-4000-8000-000000001543', org,
	'00000000-0000-4000-8000-000000001542', 1, '{1}', usr, 'Two hosts.',
	'<p>Two hosts.</p>' FROM a;
INSERT INTO forum_post_likes (post_id, user_id, org_id)
SELECT '00000000-0000-4000-8000-000000001542', usr, org FROM a;
INSERT INTO forum_reply_likes (reply_id, user_id, org_id)
SELECT '00000000-0000-4000-8000-000000001543', usr, org FROM a;
INSERT INTO forum_revisions (org_id, post_id, version, title, body, edited_by)
SELECT org, '00000000-0000-4000-8000-000000001542', 1, 'Subnet', 'Why?', usr
FROM a;
INSERT INTO forum_watches (user_id, org_id, post_id, watching)
SELECT usr, org, '00000000-0000-4000-8000-000000001542', true FROM a;
INSERT INTO forum_reads (user_id, post_id, org_id, last_n)
SELECT usr, '00000000-0000-4000-8000-000000001542', org, 1 FROM a;
INSERT INTO forum_flags (org_id, user_id, reply_id, reason)
SELECT org, usr, '00000000-0000-4000-8000-000000001543', 'spam' FROM a;
INSERT INTO forum_members (user_id, org_id, posts_read) SELECT usr, org, 2
FROM a;
INSERT INTO conversations (id, org_id, created_by, is_group, title)
SELECT '00000000-0000-4000-8000-000000001551', org, usr, true, 'Study group'
FROM a;
INSERT INTO conversation_members (conversation_id, user_id, org_id)
SELECT '00000000-0000-4000-8000-000000001551', usr, org FROM a;
INSERT INTO messages (id, org_id, conversation_id, sender_id, body)
SELECT '00000000-0000-4000-8000-000000001552', org,
	'00000000-0000-4000-8000-000000001551', usr, 'Hello' FROM a;
INSERT INTO message_reports (org_id, message_id, reporter_id, reason)
SELECT org, '00000000-0000-4000-8000-000000001552', usr, 'spam' FROM a;
INSERT INTO user_blocks (blocker_id, blocked_id, org_id)
SELECT usr, (SELECT u.id FROM users u WHERE u.org_id = a.org
	AND u.id <> a.usr ORDER BY u.username LIMIT 1), org FROM a;
SET LOCAL session_replication_role = DEFAULT;

-- Organization C: no data at all.
INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000015cc', 'isolation-c', 'C');

-- ---- the isolation suite ---------------------------------------------------

CREATE FUNCTION pg_temp.isolation(t regclass) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE
	a_org uuid := (SELECT org FROM a);
	c_org uuid := '00000000-0000-4000-8000-0000000015cc';
	cols text;
	n bigint;
	seen bigint;
BEGIN
	EXECUTE format('SELECT count(*) FROM %s WHERE org_id = $1', t) INTO n
		USING a_org;
	RETURN NEXT cmp_ok(n, '>', 0::bigint, t || ': the fixture has rows of A');
	-- One of A's rows, to try to write as C (columns the table lets one set).
	SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
	FROM pg_attribute WHERE attrelid = t AND attnum > 0 AND NOT attisdropped
		AND attgenerated = '' AND attidentity <> 'a';
	EXECUTE format('CREATE TEMP TABLE a_row ON COMMIT DROP AS '
		'SELECT %s FROM %s WHERE org_id = $1 LIMIT 1', cols, t) USING a_org;
	GRANT SELECT ON a_row TO ludus_app;

	SET LOCAL ROLE ludus_app;
	PERFORM set_config('ludus.org_id', a_org::text, true);
	EXECUTE format('SELECT count(*) FROM %s', t) INTO seen;
	RETURN NEXT is(seen, n, t || ': A sees its rows, and only them');

	PERFORM set_config('ludus.org_id', '', true);
	EXECUTE format('SELECT count(*) FROM %s', t) INTO seen;
	RETURN NEXT is(seen, 0::bigint, t || ': no organization set: nothing');

	-- C may have rows of its own (its built-in roles): none other.
	PERFORM set_config('ludus.org_id', c_org::text, true);
	EXECUTE format('SELECT count(*) FROM %s WHERE org_id <> $1', t) INTO seen
		USING c_org;
	RETURN NEXT is(seen, 0::bigint, t || ': C reads none of A''s rows');
	IF has_table_privilege('ludus_app', t, 'DELETE') THEN
		EXECUTE format('WITH u AS (UPDATE %s SET org_id = org_id '
			'WHERE org_id <> $1 RETURNING 1), '
			'd AS (DELETE FROM %s WHERE org_id <> $1 RETURNING 1) '
			'SELECT (SELECT count(*) FROM u) + (SELECT count(*) FROM d)',
			t, t) INTO seen USING c_org;
		RETURN NEXT is(seen, 0::bigint,
			t || ': C updates and deletes none of them');
	ELSE
		-- An append-only log (flashcard_reviews): the app may mark a
		-- row undone, nothing more, and only in its organization.
		EXECUTE format('WITH u AS (UPDATE %s SET undone_at = now() '
			'WHERE org_id <> $1 RETURNING 1) SELECT count(*) FROM u', t)
			INTO seen USING c_org;
		RETURN NEXT is(seen, 0::bigint,
			t || ': C marks none of them (and may delete nothing)');
	END IF;
	BEGIN
		EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM a_row', t, cols,
			cols);
		RETURN NEXT fail(t || ': C cannot insert a row of A');
	EXCEPTION WHEN insufficient_privilege THEN
		RETURN NEXT pass(t || ': C cannot insert a row of A');
	WHEN OTHERS THEN
		RETURN NEXT fail(t || ': C cannot insert a row of A (refused by '
			|| SQLSTATE || ' ' || SQLERRM || ', not by the policy)');
	END;
	RESET ROLE;
	DROP TABLE a_row;
END
$f$;

SELECT pg_temp.isolation(t) FROM org_tables WHERE NOT part ORDER BY t::text;

-- The functions that look across organizations still do, for ludus_app.
GRANT SELECT ON a TO ludus_app;
SET LOCAL ROLE ludus_app;
SET LOCAL ludus.org_id = '00000000-0000-4000-8000-0000000015cc';
SELECT is((SELECT count(*) FROM login_lookup('sarah_network')), 1::bigint,
	'a sign-in finds the account whatever the organization set');
SELECT is((SELECT user_id FROM auth_session(repeat('d', 64), 3600)),
	(SELECT usr FROM a), 'and a session its user');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
