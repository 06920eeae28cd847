-- 0023_materials (and 0022_jobs_retry, 0024_retention): study materials,
-- their chunks and generated assets, feedback and the quality it moves,
-- material sessions, interactions and progress metrics partitioned by
-- month, the job that fails its material, who may see a material, the
-- jobs' backoff and cancellation, partitions made ahead and the
-- retention policy.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(79);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.uid(p_username text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = p_username
$$;
\ir lib/refused.psql
CREATE FUNCTION pg_temp.role(p_material uuid, p_user text, p_all boolean DEFAULT false)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT material_role(m, pg_temp.uid(p_user), p_all)
	FROM study_materials m WHERE m.id = p_material
$$;

-- ---- the tables ------------------------------------------------------------

SELECT has_table('study_materials');
SELECT has_table('content_chunks');
SELECT has_table('generated_assets');
SELECT has_table('interactions');
SELECT has_table('user_feedback');
SELECT has_table('progress_metrics');
SELECT has_column('learning_sessions', 'study_material_id');
SELECT has_column('learning_sessions', 'session_type');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'interactions'::regclass),
	'p', 'interactions are partitioned');
SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'progress_metrics'::regclass),
	'p', 'and progress metrics');
SELECT ok(to_regclass('interactions_' || to_char(now(), 'YYYY_MM')) IS NOT NULL,
	'this month''s partition of interactions exists');
SELECT ok(to_regclass('progress_metrics_' ||
	to_char(now() + interval '11 months', 'YYYY_MM')) IS NOT NULL,
	'and a partition of metrics a year ahead');
SELECT fk_ok('generated_assets', ARRAY['chunk_id', 'material_id'],
	'content_chunks', ARRAY['id', 'material_id']);
SELECT fk_ok('interactions', ARRAY['learning_session_id', 'org_id'],
	'learning_sessions', ARRAY['id', 'org_id']);

-- ---- materials ---------------------------------------------------------------

INSERT INTO study_materials (id, org_id, user_id, title, source_type,
	media_type)
VALUES ('00000000-0000-4000-8000-000000002301', pg_temp.org(),
	pg_temp.uid('sarah_network'), 'Ports', 'text', 'text/markdown');
SELECT is((SELECT status FROM study_materials
	WHERE id = '00000000-0000-4000-8000-000000002301'), 'processing',
	'a new material is processing');
SELECT is(pg_temp.refused($$UPDATE study_materials SET status = 'ready'
	WHERE id = '00000000-0000-4000-8000-000000002301'$$),
	'23514 study_materials_check', 'it is not ready without its text');
SELECT is(pg_temp.refused($$INSERT INTO study_materials (org_id, user_id,
	title, source_type, media_type) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), 'Web', 'url', 'text/html')$$),
	'23514 study_materials_check1', 'a URL material has its URL');
SELECT is(pg_temp.refused($$INSERT INTO study_materials (org_id, user_id,
	title, source_type, source_url, media_type) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), 'Web', 'url', 'ftp://x.example/a',
	'text/html')$$),
	'23514 study_materials_source_url_check', 'and it is http or https');
SELECT is(pg_temp.refused($$INSERT INTO study_materials (org_id, user_id,
	title, source_type, media_type) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), '  ', 'text', 'text/plain')$$),
	'23514 study_materials_title_check', 'a title is not blank');
SELECT is(pg_temp.refused($$INSERT INTO study_materials (org_id, user_id,
	title, source_type, media_type) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), 'Doc', 'text', 'application/msword')$$),
	'23514 study_materials_media_type_check', 'only the formats we read');
SELECT is(pg_temp.refused($$INSERT INTO study_materials (org_id, user_id,
	title, source_type, media_type, tags) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), 'Tags', 'text', 'text/plain',
	'{"Not A Tag"}')$$),
	'23514 study_materials_tags_check', 'tags are tags');
UPDATE study_materials SET status = 'ready',
	body = E'# Ports\n\nSSH uses port 22. HTTPS uses port 443.\n',
	tags = '{networking}', subject_area = 'Networking'
WHERE id = '00000000-0000-4000-8000-000000002301';
SELECT ok((SELECT search @@ websearch_to_tsquery('simple', 'networking')
	FROM study_materials WHERE id = '00000000-0000-4000-8000-000000002301'),
	'its search vector holds its tags and subject');

SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002301', 'sarah_network'),
	'owner', 'a learner owns her material');
SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002301', 'mike_netplus'),
	NULL, 'another learner has no part in it');
SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002301', 'admin', true),
	NULL, 'nor has an editor of all content');
INSERT INTO study_materials (id, org_id, user_id, course_id, title,
	source_type, media_type, status, body)
VALUES ('00000000-0000-4000-8000-000000002302', pg_temp.org(),
	pg_temp.uid('instructor'), '4e700009-0000-4000-8000-000000000001',
	'Course notes', 'text', 'text/plain', 'ready', 'DHCP leases addresses.');
SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002302', 'instructor'),
	'editor', 'a course''s author edits its material');
SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002302', 'sarah_network'),
	'learner', 'a learner enrolled in the course studies it');
SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002302', 'admin'),
	NULL, 'someone neither enrolled nor an author has no part in it');
UPDATE study_materials SET status = 'processing', body = NULL
WHERE id = '00000000-0000-4000-8000-000000002302';
SELECT is(pg_temp.role('00000000-0000-4000-8000-000000002302', 'sarah_network'),
	NULL, 'a learner does not see it while it is processed');
SELECT is((SELECT count_left FROM material_room(pg_temp.uid('sarah_network'), 200, 1000)),
	199, 'material_room counts what is left');

-- ---- chunks and assets ---------------------------------------------------

INSERT INTO content_chunks (id, org_id, material_id, chunk_order, content,
	chunk_type, start_offset, end_offset, word_count)
VALUES ('00000000-0000-4000-8000-000000002311', pg_temp.org(),
	'00000000-0000-4000-8000-000000002301', 0, 'SSH uses port 22.',
	'paragraph', 9, 26, 4);
SELECT is(pg_temp.refused($$INSERT INTO content_chunks (org_id, material_id,
	chunk_order, content, chunk_type, start_offset, end_offset, word_count)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-000000002301', 0, 'x',
	'paragraph', 0, 1, 1)$$),
	'23505 content_chunks_material_id_chunk_order_key', 'one chunk per order');
SELECT is(pg_temp.refused($$INSERT INTO content_chunks (org_id, material_id,
	chunk_order, content, chunk_type, start_offset, end_offset, word_count)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-000000002301', 1, 'x',
	'paragraph', 5, 5, 1)$$),
	'23514 content_chunks_check', 'a chunk is a span of its material');
SELECT is(pg_temp.refused($$INSERT INTO content_chunks (org_id, material_id,
	chunk_order, content, chunk_type, start_offset, end_offset, word_count)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-000000002301', 1, 'x',
	'essay', 0, 1, 1)$$),
	'23514 content_chunks_chunk_type_check', 'of a known type');

INSERT INTO generated_assets (id, org_id, material_id, chunk_id, asset_type,
	content, metadata, generation_model, base_quality, quality_score)
VALUES ('00000000-0000-4000-8000-000000002321', pg_temp.org(),
	'00000000-0000-4000-8000-000000002301',
	'00000000-0000-4000-8000-000000002311', 'flashcard',
	'{"kind": "basic", "front": "SSH", "back": "port 22"}',
	'{"source": [{"start": 9, "end": 26}]}', 'ludus-extractive-1', 0.5, 0.5);
SELECT is(pg_temp.refused($$INSERT INTO generated_assets (org_id, material_id,
	asset_type, content, metadata, generation_model) VALUES (pg_temp.org(),
	'00000000-0000-4000-8000-000000002301', 'flashcard',
	'{"kind": "basic", "front": "ssh", "back": "another back"}',
	'{"source": [{"start": 9, "end": 26}]}', 'ludus-extractive-1')$$),
	'23505 generated_assets_material_id_fingerprint_key',
	'the same card is proposed once per material');
SELECT is(pg_temp.refused($$INSERT INTO generated_assets (org_id, material_id,
	asset_type, content, metadata, generation_model) VALUES (pg_temp.org(),
	'00000000-0000-4000-8000-000000002301', 'flashcard',
	'{"kind": "basic", "front": "HTTPS", "back": "443"}', '{}',
	'ludus-extractive-1')$$),
	'23514 generated_assets_metadata_check', 'an asset names its source');
SELECT is(pg_temp.refused($$INSERT INTO generated_assets (org_id, material_id,
	chunk_id, asset_type, content, metadata, generation_model)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-000000002302',
	'00000000-0000-4000-8000-000000002311', 'summary', '{"text": "x"}',
	'{"source": [{"start": 0, "end": 1}]}', 'ludus-extractive-1')$$),
	'23503 generated_assets_chunk_id_material_id_fkey',
	'its chunk is one of its material''s');
SELECT is(pg_temp.refused($$UPDATE generated_assets SET status = 'accepted'
	WHERE id = '00000000-0000-4000-8000-000000002321'$$),
	'23514 generated_assets_check', 'a decision says when it was made');
SELECT is(pg_temp.refused($$INSERT INTO generated_assets (org_id, material_id,
	asset_type, content, metadata, generation_model, difficulty_level)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-000000002301', 'quiz',
	'{"stem": "x"}', '{"source": [{"start": 0, "end": 1}]}', 'm', 11)$$),
	'23514 generated_assets_difficulty_level_check', 'difficulty is 1 to 10');

-- ---- feedback and quality ------------------------------------------------

INSERT INTO user_feedback (org_id, user_id, generated_asset_id,
	feedback_type, rating)
VALUES (pg_temp.org(), pg_temp.uid('sarah_network'),
	'00000000-0000-4000-8000-000000002321', 'rating', 5);
SELECT is((SELECT round(quality_score::numeric, 3) FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 0.667,
	'a five-star rating lifts the quality: (2 x 0.5 + 1) / 3');
SELECT is(pg_temp.refused($$INSERT INTO user_feedback (org_id, user_id,
	generated_asset_id, feedback_type, rating) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), '00000000-0000-4000-8000-000000002321',
	'rating', 3)$$),
	'23505 user_feedback_user_id_generated_asset_id_key',
	'one piece of feedback per learner and asset');
SELECT is(pg_temp.refused($$INSERT INTO user_feedback (org_id, user_id,
	generated_asset_id, feedback_type) VALUES (pg_temp.org(),
	pg_temp.uid('mike_netplus'), '00000000-0000-4000-8000-000000002321',
	'comment')$$),
	'23514 user_feedback_check', 'feedback says something');
SELECT is(pg_temp.refused($$INSERT INTO user_feedback (org_id, user_id,
	generated_asset_id, feedback_type, rating) VALUES (pg_temp.org(),
	pg_temp.uid('mike_netplus'), '00000000-0000-4000-8000-000000002321',
	'rating', 6)$$),
	'23514 user_feedback_rating_check', 'a rating is 1 to 5');
SELECT is(pg_temp.refused($$INSERT INTO user_feedback (org_id, user_id,
	generated_asset_id, feedback_type, flags) VALUES (pg_temp.org(),
	pg_temp.uid('mike_netplus'), '00000000-0000-4000-8000-000000002321',
	'report', '{boring}')$$),
	'23514 user_feedback_flags_check', 'flags are the known ones');
SELECT ok((SELECT hidden_at IS NULL FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 'it is shown');
UPDATE user_feedback SET rating = 1, flags = '{wrong}'
WHERE generated_asset_id = '00000000-0000-4000-8000-000000002321';
SELECT is((SELECT round(quality_score::numeric, 3) FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 0.333,
	'"wrong" drops it: (2 x 0.5 + 0) / 3');
SELECT ok((SELECT hidden_at IS NOT NULL FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'),
	'and below 0.35 it is hidden');
INSERT INTO user_feedback (org_id, user_id, generated_asset_id,
	feedback_type, rating)
VALUES (pg_temp.org(), pg_temp.uid('mike_netplus'),
	'00000000-0000-4000-8000-000000002321', 'rating', 5),
	(pg_temp.org(), pg_temp.uid('jane_tech'),
	'00000000-0000-4000-8000-000000002321', 'rating', 5);
SELECT is((SELECT round(quality_score::numeric, 3) FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 0.6,
	'others'' ratings lift it again: (1 + 0 + 1 + 1) / 5');
SELECT ok((SELECT hidden_at IS NULL FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 'and show it');
DELETE FROM user_feedback WHERE user_id IN (pg_temp.uid('mike_netplus'),
	pg_temp.uid('jane_tech'));
SELECT is((SELECT round(quality_score::numeric, 3) FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 0.333,
	'withdrawn feedback counts no more');
DELETE FROM user_feedback
WHERE generated_asset_id = '00000000-0000-4000-8000-000000002321';
SELECT is((SELECT round(quality_score::numeric, 3) FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 0.5,
	'with none left, the quality is the generator''s own');
SELECT ok((SELECT hidden_at IS NULL FROM generated_assets
	WHERE id = '00000000-0000-4000-8000-000000002321'), 'and it is shown');

-- ---- sessions, interactions, metrics -------------------------------------

SELECT is(pg_temp.refused($$INSERT INTO learning_sessions (user_id, org_id,
	session_type) VALUES (pg_temp.uid('sarah_network'), pg_temp.org(),
	'study')$$),
	'23514 learning_sessions_kind_check', 'a material session names its material');
SELECT is(pg_temp.refused($$INSERT INTO learning_sessions (user_id, org_id,
	lesson_id, study_material_id, session_type) VALUES (
	pg_temp.uid('sarah_network'), pg_temp.org(), (SELECT id FROM lessons
	LIMIT 1), '00000000-0000-4000-8000-000000002301', 'study')$$),
	'23514 learning_sessions_kind_check', 'and no lesson');
INSERT INTO learning_sessions (id, user_id, org_id, session_type,
	study_material_id, started_at, ended_at, status, session_data,
	total_interactions, completion_percentage)
VALUES ('00000000-0000-4000-8000-000000002331', pg_temp.uid('sarah_network'),
	pg_temp.org(), 'quiz', '00000000-0000-4000-8000-000000002301',
	now() - interval '400 days', now() - interval '400 days' + interval '10 minutes',
	'completed', '{"answered": 4, "correct": 3}', 5, 100);
INSERT INTO interactions (org_id, user_id, learning_session_id, material_id,
	generated_asset_id, interaction_type, is_correct, created_at)
VALUES (pg_temp.org(), pg_temp.uid('sarah_network'),
	'00000000-0000-4000-8000-000000002331',
	'00000000-0000-4000-8000-000000002301',
	'00000000-0000-4000-8000-000000002321', 'answer', true, now());
SELECT is((SELECT tableoid::regclass::text FROM interactions LIMIT 1),
	'interactions_' || to_char(now(), 'YYYY_MM'),
	'an interaction lands in its month''s partition');
SELECT is(pg_temp.refused($$INSERT INTO interactions (org_id, user_id,
	learning_session_id, material_id, interaction_type) VALUES (
	pg_temp.org(), pg_temp.uid('sarah_network'),
	'00000000-0000-4000-8000-000000002331',
	'00000000-0000-4000-8000-000000002301', 'click')$$),
	'23514 interactions_interaction_type_check', 'of a known type');
SELECT is(pg_temp.refused($$INSERT INTO interactions (org_id, user_id,
	learning_session_id, material_id, interaction_type, response_time_ms)
	VALUES (pg_temp.org(), pg_temp.uid('sarah_network'),
	'00000000-0000-4000-8000-000000002331',
	'00000000-0000-4000-8000-000000002301', 'view', -1)$$),
	'23514 interactions_response_time_ms_check', 'with a sensible time');

-- ---- jobs --------------------------------------------------------------------

SELECT is(job_backoff(1), interval '10 seconds', 'a job waits 10 s after its first try');
SELECT is(job_backoff(3), interval '40 seconds', 'twice as long each time');
SELECT is(job_backoff(30), interval '15 minutes', 'at most 15 minutes');
INSERT INTO jobs (id, org_id, user_id, kind, payload, run_after)
VALUES ('00000000-0000-4000-8000-000000002341', pg_temp.org(),
	pg_temp.uid('sarah_network'), 'materials.process',
	'{"material_id": "00000000-0000-4000-8000-000000002302"}',
	now() + interval '1 hour');
SELECT ok(NOT EXISTS (SELECT 1 FROM job_claim(60)
	WHERE id = '00000000-0000-4000-8000-000000002341'),
	'a job waiting for its backoff is not claimed');
UPDATE jobs SET status = 'running', run_after = now(), started_at = now(),
	lease_until = now() + interval '1 minute'
WHERE id = '00000000-0000-4000-8000-000000002341';
UPDATE jobs SET status = 'failed', error = 'The PDF is encrypted.',
	finished_at = now(), lease_until = NULL
WHERE id = '00000000-0000-4000-8000-000000002341';
SELECT is((SELECT status || ': ' || error FROM study_materials
	WHERE id = '00000000-0000-4000-8000-000000002302'),
	'failed: The PDF is encrypted.', 'a material fails with its job, and says why');
SELECT is(pg_temp.refused($$UPDATE jobs SET status = 'cancelled'
	WHERE id = '00000000-0000-4000-8000-000000002341'$$),
	'ok', 'cancelled is a status of an ended job');
SELECT is(pg_temp.refused($$INSERT INTO jobs (org_id, user_id, kind, status)
	VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), 'x.y', 'cancelled')$$),
	'23514 jobs_finished_check', 'a cancelled job has ended');

-- ---- the material deck ---------------------------------------------------

INSERT INTO flashcard_sets (org_id, owner_id, created_by, title, source,
	material_id)
VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), pg_temp.uid('sarah_network'),
	'Cards: Ports', 'material', '00000000-0000-4000-8000-000000002301');
SELECT is(pg_temp.refused($$INSERT INTO flashcard_sets (org_id, owner_id,
	created_by, title, source, material_id) VALUES (pg_temp.org(),
	pg_temp.uid('sarah_network'), pg_temp.uid('sarah_network'), 'Again',
	'material', '00000000-0000-4000-8000-000000002301')$$),
	'23505 flashcard_sets_material_key', 'a material has one deck');
SELECT is(pg_temp.refused($$INSERT INTO flashcard_sets (org_id, course_id,
	created_by, title, source) VALUES (pg_temp.org(),
	'4e700009-0000-4000-8000-000000000001', pg_temp.uid('instructor'), 'M',
	'mistakes')$$),
	'23514 flashcard_sets_mistakes_owner_check',
	'a deck of mistakes is still a learner''s');

-- ---- partitions ahead and retention ------------------------------------------

SELECT ok(partitions_ahead(13) >= 1, 'partitions_ahead makes the months missing');
SELECT is(partitions_ahead(13), 0, 'and nothing the second time');
SELECT ok(to_regclass('audit_events_' ||
	to_char(now() + interval '13 months', 'YYYY_MM')) IS NOT NULL,
	'for every month-partitioned table (audit events)');
SELECT ok(to_regclass('flashcard_reviews_' ||
	to_char(now() + interval '13 months', 'YYYY_MM')) IS NOT NULL,
	'(flashcard reviews)');
SELECT throws_ok($$SELECT retention_apply(10, 10, 10, 10, 10)$$, '23514', NULL,
	'retention windows of less than 30 days are refused');

-- Audit events two and a half years old, in a partition of their own.
SELECT ensure_monthly_partitions('audit_events',
	(now() - interval '30 months')::date, 1);
INSERT INTO audit_events (org_id, action, entity_type, occurred_at)
VALUES (pg_temp.org(), 'test.old', 'user', date_trunc('month',
	now() - interval '30 months') + interval '1 day');
-- Interactions of a learner not seen for 8 months, 7 months old.
UPDATE users SET last_login_at = now() - interval '240 days'
WHERE id = pg_temp.uid('sarah_network');
INSERT INTO interactions (org_id, user_id, learning_session_id, material_id,
	interaction_type, created_at)
VALUES (pg_temp.org(), pg_temp.uid('sarah_network'),
	'00000000-0000-4000-8000-000000002331',
	'00000000-0000-4000-8000-000000002301', 'view', now() - interval '210 days');
-- Metrics six years old.
INSERT INTO progress_metrics (org_id, user_id, metric_type, metric_value,
	recorded_at, time_period, aggregation_type)
VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), 'accuracy', 1,
	now() - interval '6 years', 'month', 'mean');

SELECT lives_ok($$SELECT retention_apply(365, 182, 182, 730, 1826)$$,
	'the retention policy runs');
SELECT is((SELECT count(*)::integer FROM audit_events WHERE action = 'test.old'),
	0, 'audit events older than 2 years are gone');
SELECT ok(to_regclass('audit_events_' ||
	to_char(now() - interval '30 months', 'YYYY_MM')) IS NULL,
	'with their month''s partition');
SELECT is((SELECT count(*)::integer FROM interactions
	WHERE created_at < now() - interval '200 days'), 0,
	'an inactive learner''s interactions older than 6 months are gone');
SELECT is((SELECT count(*)::integer FROM interactions
	WHERE user_id = pg_temp.uid('sarah_network') AND created_at > now() - interval '1 day'),
	1, 'her recent ones stay');
SELECT is((SELECT count(*)::integer FROM progress_metrics
	WHERE recorded_at < now() - interval '5 years'), 0,
	'metrics older than 5 years are gone');
SELECT ok((SELECT archived_at IS NOT NULL AND session_data IS NULL
	FROM learning_sessions WHERE id = '00000000-0000-4000-8000-000000002331'),
	'a session ended over 6 months ago has its data folded away');
SELECT is((SELECT (metric_value::integer, (metric_data->>'correct')::integer,
		(metric_data->>'answered')::integer)::text
	FROM progress_metrics WHERE metric_type = 'sessions'
		AND material_id = '00000000-0000-4000-8000-000000002301'),
	'(1,3,4)', 'into a monthly metric that keeps its counts');
SELECT is((retention_apply(365, 182, 182, 730, 1826)->>'sessions_archived')::integer,
	0, 'run again, it has nothing left to do');

SELECT * FROM finish();
ROLLBACK;
