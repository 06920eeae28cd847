-- Bench data set, step 8: study materials.  Learners n = 1..5000 (the
-- students among them) have added four materials each, processed: a body
-- of twelve sections (a heading and a paragraph), twelve chunks, and 49
-- generated assets (a summary per chunk, two cards and a question per
-- chunk, the material's key terms), a third of them accepted.  About
-- 20,000 materials, 240,000 chunks and a million assets: the list of my
-- materials and a material's assets read against a table of that size.
--
--   bench.mat_learners  i (1..), n, a material of learner n (for wrk and
--                       pgbench: whose material to read)

CREATE TEMP TABLE g_mat AS
SELECT u.n, u.id AS user_id, u.org_id, m, uuid_v7() AS id,
	u.n::bigint * 4 + m AS k
FROM g_users u, generate_series(1, 4) m
WHERE u.n <= 5000 AND u.role = 'student';
CREATE UNIQUE INDEX ON g_mat (id);

-- Twelve sections a material; the text of each from the catalog's words.
CREATE TEMP TABLE g_mat_chunks AS
SELECT g.id AS material_id, g.org_id, g.k, c - 1 AS ord,
	uuid_v7() AS chunk_id, pg_temp.term(g.k * 16 + c) AS term,
	'## ' || pg_temp.term(g.k * 16 + c) || ' ' || c AS heading
FROM g_mat g, generate_series(1, 12) c;
ALTER TABLE g_mat_chunks ADD COLUMN para text;
UPDATE g_mat_chunks x SET para = p.text
FROM pg_temp.paragraphs(ARRAY(SELECT k * 16 + ord + 1 FROM g_mat_chunks)) p
WHERE p.k = x.k * 16 + x.ord + 1;
ALTER TABLE g_mat_chunks ADD COLUMN content text, ADD COLUMN start_at integer;
UPDATE g_mat_chunks SET content = heading || E'\n\n' || para;
UPDATE g_mat_chunks x SET start_at = s.start_at
FROM (SELECT chunk_id, coalesce(sum(octet_length(content) + 2) OVER (
		PARTITION BY material_id ORDER BY ord ROWS BETWEEN UNBOUNDED
		PRECEDING AND 1 PRECEDING), 0)::integer AS start_at
	FROM g_mat_chunks) s
WHERE s.chunk_id = x.chunk_id;
CREATE INDEX ON g_mat_chunks (material_id, ord);

INSERT INTO study_materials (id, org_id, user_id, title, description,
	source_type, media_type, byte_size, status, body, content_length,
	word_count, language, subject_area, tags, processed_at, created_at,
	updated_at)
SELECT g.id, g.org_id, g.user_id, 'Notes ' || g.m || ': ' ||
		(SELECT term FROM g_mat_chunks c WHERE c.material_id = g.id
			AND c.ord = 0),
	'', 'text', 'text/markdown', octet_length(b.body), 'ready', b.body,
	length(b.body), b.words, 'en', 'Networking', '{networking}',
	now() - (g.m * 7) * interval '1 day', now() - (g.m * 7) * interval '1 day',
	now() - (g.m * 7) * interval '1 day'
FROM g_mat g
CROSS JOIN LATERAL (SELECT string_agg(c.content, E'\n\n' ORDER BY c.ord)
		|| E'\n' AS body,
		sum(array_length(regexp_split_to_array(c.content, '\s+'), 1))::integer
		AS words
	FROM g_mat_chunks c WHERE c.material_id = g.id) b;

INSERT INTO content_chunks (id, org_id, material_id, chunk_order, content,
	chunk_type, heading, start_offset, end_offset, word_count, language,
	summary, relevance_score)
SELECT c.chunk_id, c.org_id, c.material_id, c.ord, c.content, 'section',
	substr(c.heading, 4), c.start_at, c.start_at + octet_length(c.content),
	array_length(regexp_split_to_array(c.content, '\s+'), 1), 'en',
	split_part(c.para, '. ', 1) || '.', 0.2 + (c.ord % 5) * 0.2
FROM g_mat_chunks c;

-- The assets: per chunk a summary, two cards and a question; per
-- material its key terms.  Their sources are the chunk's paragraph.
INSERT INTO generated_assets (org_id, material_id, chunk_id, asset_type,
	content, metadata, generation_model, generation_params, status,
	base_quality, quality_score, difficulty_level, position, decided_at,
	decided_by)
SELECT c.org_id, c.material_id, c.chunk_id, a.type, a.content,
	jsonb_build_object('source', jsonb_build_array(jsonb_build_object(
		'start', c.start_at + octet_length(c.heading) + 2,
		'end', c.start_at + octet_length(c.content),
		'text', left(c.para, 300)))),
	'ludus-extractive-1', '{"generator": "builtin", "version": 1}',
	CASE WHEN (c.ord + a.j) % 3 = 0 THEN 'accepted' ELSE 'ready' END,
	0.5 + a.j * 0.1, 0.5 + a.j * 0.1, 2 + a.j, c.ord * 4 + a.j,
	CASE WHEN (c.ord + a.j) % 3 = 0 THEN now() END,
	CASE WHEN (c.ord + a.j) % 3 = 0 THEN g.user_id END
FROM g_mat_chunks c
JOIN g_mat g ON g.id = c.material_id
CROSS JOIN LATERAL (VALUES
	(0, 'summary', jsonb_build_object('text', left(c.para, 400))),
	(1, 'flashcard', jsonb_build_object('kind', 'basic', 'front',
		c.term || ' (' || c.ord || ')', 'back', split_part(c.para, '. ', 1))),
	(2, 'flashcard', jsonb_build_object('kind', 'cloze', 'text',
		'{{c1::' || c.term || '}} ' || split_part(c.para, '. ', 2) || ' ('
		|| c.ord || ')', 'extra', '')),
	(3, 'quiz', jsonb_build_object('stem', 'Which term matches this '
		|| 'description: ' || split_part(c.para, '. ', 1) || ' (' || c.ord
		|| ')?', 'options', jsonb_build_array(c.term, 'switch', 'router',
		'firewall'), 'answer', 0, 'explanation', split_part(c.para, '. ', 1)))
) a (j, type, content);

INSERT INTO generated_assets (org_id, material_id, asset_type, content,
	metadata, generation_model, status, base_quality, quality_score)
SELECT g.org_id, g.id, 'key_terms', jsonb_build_object('terms',
		(SELECT jsonb_agg(jsonb_build_object('term', c.term, 'kind', 'phrase',
			'score', 1 - c.ord / 12.0) ORDER BY c.ord)
		FROM g_mat_chunks c WHERE c.material_id = g.id)),
	jsonb_build_object('source', jsonb_build_array(jsonb_build_object(
		'start', 0, 'end', 40, 'text', 'the headings'))),
	'ludus-extractive-1', 'ready', 0.8, 0.8
FROM g_mat g;

CREATE TABLE bench.mat_learners (i integer PRIMARY KEY, n integer NOT NULL,
	material_id uuid NOT NULL);
INSERT INTO bench.mat_learners
SELECT row_number() OVER (ORDER BY n, m), n, id FROM g_mat;
