-- Bench data set, step 2: the content of the default organization, next
-- to the demo's: 10 published courses of 5 units and 40 lessons each (400
-- lessons with a few paragraphs of Markdown: the courses learners follow,
-- bench.courses and bench.lessons), a catalog of 240 more published
-- courses of 40 lessons (9,600 lessons: 10,000 in all, for search; their
-- text mixes the vocabulary with some 2,400 other words), 1,000 active
-- questions (250 per exam, by domain; 80 % single choice, 10 % multiple
-- select, 10 % true/false) and 27 published assessments (a 10-question quiz
-- per domain, a 30-question practice exam and a 90-question simulation per
-- exam).  Each smaller organization gets two courses of 10 lessons.
-- Authors are the organization's instructors (accounts 1, 1001, 2001...).

-- Sentence k about two terms.
CREATE FUNCTION pg_temp.template(k bigint, t1 text, t2 text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT format((ARRAY[
		'A %s works together with the %s to keep traffic flowing to the right place.',
		'When you troubleshoot %s, check the %s first: most faults start there.',
		'The exam expects you to compare %s with %s and to know when each applies.',
		'Configure %s carefully, because a mistake in the %s affects every user.',
		'Documenting the %s makes later work on the %s much faster.',
		'In a small office the %s and the %s often share one device.',
		'Attackers look for a weak %s; a well-managed %s stops most of them.',
		'Remember that %s is measured end to end, while %s is measured per link.',
		'Use a lab to practise %s until the %s behaves as you expect.',
		'A common scenario question pairs %s with %s and asks for the best fix.'
		])[1 + (hashint8(k) & 1023) % 10], t1, t2)
$$;

-- A sentence about two terms of the vocabulary.
CREATE FUNCTION pg_temp.sentence(k bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT pg_temp.template(k,
		w.vocab[1 + (hashint8(k * 3 + 1) & 1023) % cardinality(w.vocab)],
		w.vocab[1 + (hashint8(k * 5 + 2) & 1023) % cardinality(w.vocab)])
	FROM words w
$$;

CREATE FUNCTION pg_temp.paragraph(k bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT string_agg(pg_temp.sentence(k * 10 + i), ' ' ORDER BY i)
	FROM generate_series(1, 5) i
$$;

CREATE TEMP TABLE g_courses AS
SELECT c.i, gen_random_uuid() AS id, e.id AS exam_id, e.code AS exam_code,
	c.slug, c.title, c.difficulty,
	(SELECT id FROM g_users WHERE n = (c.i - 1) * 1000 + 1) AS owner_id,
	now() - interval '420 days' + c.i * interval '3 days' AS created_at
FROM (VALUES
	(1, 'network', 'n10-009-foundations', 'Network+ N10-009: Foundations', 'beginner'),
	(2, 'network', 'n10-009-routing-switching', 'Network+ N10-009: Routing and Switching in Practice', 'intermediate'),
	(3, 'network', 'n10-009-troubleshooting', 'Network+ N10-009: The Troubleshooting Lab', 'advanced'),
	(4, 'security', 'sy0-701-core-concepts', 'Security+ SY0-701: Core Concepts', 'beginner'),
	(5, 'security', 'sy0-701-threats-defenses', 'Security+ SY0-701: Threats and Defenses', 'intermediate'),
	(6, 'security', 'sy0-701-security-operations', 'Security+ SY0-701: Security Operations', 'advanced'),
	(7, 'a1101', 'a-plus-1101-hardware', 'A+ Core 1: Hardware and Mobile Devices', 'beginner'),
	(8, 'a1101', 'a-plus-1101-networking-cloud', 'A+ Core 1: Networking, Virtualization and Cloud', 'intermediate'),
	(9, 'a1102', 'a-plus-1102-operating-systems', 'A+ Core 2: Operating Systems', 'beginner'),
	(10, 'a1102', 'a-plus-1102-security-procedures', 'A+ Core 2: Security and Operational Procedures', 'intermediate')
) AS c (i, exam, slug, title, difficulty)
JOIN exams e ON e.code = c.exam;

INSERT INTO courses (id, org_id, owner_id, exam_id, slug, title, summary,
	description, difficulty, tags, status, published_at, created_at,
	updated_at)
SELECT c.id, (SELECT id FROM organizations WHERE is_default), c.owner_id,
	c.exam_id, c.slug, c.title,
	'Forty lessons, labs and flashcards that follow the exam blueprint, '
		|| 'domain by domain.',
	pg_temp.paragraph(c.i * 1000) || E'\n\n' || pg_temp.paragraph(c.i * 1000 + 1),
	c.difficulty, ARRAY[c.exam_code, 'comptia', c.difficulty], 'published',
	c.created_at + interval '2 days', c.created_at, c.created_at
FROM g_courses c;

CREATE TEMP TABLE g_units AS
SELECT c.i AS course_i, u, gen_random_uuid() AS id, c.id AS course_id,
	coalesce((SELECT d.code || ' ' || d.name FROM exam_domains d
		WHERE d.exam_id = c.exam_id AND d.code = u || '.0'),
		'Review and exam practice') AS title,
	(SELECT d.id FROM exam_domains d WHERE d.exam_id = c.exam_id
		AND d.code = u || '.0') AS domain_id,
	c.created_at
FROM g_courses c, generate_series(1, 5) u;

INSERT INTO units (id, org_id, course_id, title, summary, position,
	created_at, updated_at)
SELECT u.id, (SELECT id FROM organizations WHERE is_default), u.course_id,
	u.title, 'Eight lessons on ' || lower(u.title) || '.', u.u - 1,
	u.created_at, u.created_at
FROM g_units u;

CREATE TEMP TABLE g_lessons AS
SELECT (u.course_i - 1) * 40 + (u.u - 1) * 8 + p AS i, u.course_i, u.u, p,
	gen_random_uuid() AS id, u.id AS unit_id, u.course_id, u.domain_id,
	(ARRAY['lesson', 'video', 'lesson', 'flashcards', 'lesson', 'lab',
		'lesson', 'study_guide'])[p] AS kind,
	(ARRAY['Understanding', 'Configuring', 'Securing', 'Troubleshooting',
		'Planning', 'Monitoring', 'Comparing', 'Reviewing'])[p] || ' '
		|| w.vocab[1 + (hashint4(u.course_i * 100 + u.u * 10 + p) & 1023)
			% cardinality(w.vocab)] AS title,
	u.created_at
FROM g_units u, generate_series(1, 8) p, words w;

INSERT INTO lessons (id, org_id, course_id, unit_id, kind, title, summary,
	position, estimated_minutes, difficulty, objective_codes, content,
	content_html, status, published_at, tags, created_by, created_at,
	updated_at)
SELECT l.id, (SELECT id FROM organizations WHERE is_default), l.course_id,
	l.unit_id, l.kind, l.title,
	pg_temp.sentence(l.i * 7), l.p - 1, 5 + (l.i * 7) % 26,
	(ARRAY['beginner', 'intermediate', 'advanced'])[1 + l.i % 3],
	coalesce((SELECT ARRAY[o.code] FROM exam_objectives o
		WHERE o.domain_id = l.domain_id
		ORDER BY o.code OFFSET (l.p - 1) % greatest(1, (SELECT count(*)
			FROM exam_objectives x WHERE x.domain_id = l.domain_id)) LIMIT 1),
		'{}'),
	jsonb_build_object('markdown', '## ' || l.title || E'\n\n'
		|| pg_temp.paragraph(l.i * 3) || E'\n\n' || pg_temp.paragraph(l.i * 3 + 1)
		|| E'\n\n' || pg_temp.paragraph(l.i * 3 + 2)),
	'', 'published', l.created_at + interval '2 days',
	ARRAY[replace(split_part(l.title, ' ', 2), ' ', '-')],
	(SELECT owner_id FROM g_courses WHERE i = l.course_i),
	l.created_at, l.created_at
FROM g_lessons l;
-- The HTML ludus would render from that Markdown (a heading, paragraphs).
UPDATE lessons l SET content_html = '<h2>' || g.title || E'</h2>\n<p>'
	|| replace(substr(l.content->>'markdown', length(g.title) + 6),
		E'\n\n', E'</p>\n<p>') || E'</p>\n'
FROM g_lessons g WHERE g.id = l.id;

-- ---- The catalog: more courses, for search ----

-- Words: the vocabulary (1..nv) and, beside it, 20 prefixes x 20 roots x 6
-- endings (2,400 more).
CREATE TEMP TABLE g_words AS
SELECT i, w FROM words, unnest(vocab) WITH ORDINALITY v (w, i)
UNION ALL
SELECT (SELECT cardinality(vocab) FROM words) + row_number() OVER (
		ORDER BY hashtext(p || r || e), p || r || e), p || r || e
FROM unnest(ARRAY['micro', 'hyper', 'auto', 'geo', 'tele', 'crypto',
		'bio', 'neuro', 'data', 'cyber', 'meta', 'info', 'nano', 'opto',
		'thermo', 'electro', 'photo', 'radio', 'hydro', 'astro']) p,
	unnest(ARRAY['graph', 'scope', 'metric', 'logic', 'sphere', 'stream',
		'flux', 'vector', 'matrix', 'kinetic', 'dynamic', 'lith', 'phase',
		'core', 'node', 'mesh', 'gram', 'tron', 'cell', 'wave']) r,
	unnest(ARRAY['', 's', 'ing', 'ation', 'ics', 'al']) e;
CREATE UNIQUE INDEX ON g_words (i);
ANALYZE g_words;

-- Catalog term k: one in four from the vocabulary, the others from the
-- other words (the number of a word in g_words).
CREATE FUNCTION pg_temp.pick(k bigint, nv integer) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN hashint8(k) & 3 = 0 THEN 1 + (hashint8(k * 7) & 4095) % nv
		ELSE nv + 1 + (hashint8(k * 11) & 4095) % 2400 END
$$;
CREATE FUNCTION pg_temp.term(k bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT w FROM g_words
	WHERE i = pg_temp.pick(k, (SELECT cardinality(vocab) FROM words))
$$;

-- Paragraph k of the catalog: five sentences (made in one pass, joins
-- rather than a function call for each word).
CREATE FUNCTION pg_temp.paragraphs(keys bigint[]) RETURNS TABLE (k bigint, text text)
LANGUAGE sql STABLE AS $$
	SELECT x.k, string_agg(pg_temp.template(x.k * 10 + s, a.w, b.w), ' '
		ORDER BY s)
	FROM (SELECT cardinality(vocab) AS nv FROM words) n
	CROSS JOIN unnest(keys) x (k) CROSS JOIN generate_series(1, 5) s
	JOIN g_words a ON a.i = pg_temp.pick(x.k * 20 + s * 2, n.nv)
	JOIN g_words b ON b.i = pg_temp.pick(x.k * 20 + s * 2 + 1, n.nv)
	GROUP BY x.k
$$;

CREATE TEMP TABLE g_catalog AS
SELECT o.org_id, o.i, gen_random_uuid() AS id, e.id AS exam_id,
	e.code AS exam_code, o.owner_id, o.lessons,
	initcap(pg_temp.term(o.i * 101)) || ' and ' || initcap(pg_temp.term(o.i * 103))
		|| ' ' || o.i AS title,
	(ARRAY['beginner', 'intermediate', 'advanced'])[1 + o.i % 3] AS difficulty,
	now() - interval '360 days' + o.i * interval '1 day' AS created_at
FROM (SELECT (SELECT id FROM organizations WHERE is_default) AS org_id, i,
		(SELECT id FROM g_users WHERE n = 1 + 1000 * (i % 90)) AS owner_id,
		40 AS lessons
	FROM generate_series(11, 250) i
	UNION ALL
	SELECT g.org_id, 250 + 2 * x.k + c, g.id, 10
	FROM (SELECT org_id, min(n) AS n, row_number() OVER (ORDER BY org_id) AS k
		FROM g_users WHERE role = 'instructor' AND n > 90000
		GROUP BY org_id) x
	JOIN g_users g ON g.n = x.n, generate_series(1, 2) c) o
JOIN exams e ON e.position = 1 + o.i % 4;

INSERT INTO courses (id, org_id, owner_id, exam_id, slug, title, summary,
	description, difficulty, tags, status, published_at, created_at,
	updated_at)
SELECT c.id, c.org_id, c.owner_id, c.exam_id, 'catalog-' || c.i, c.title,
	'Lessons on ' || lower(c.title) || '.',
	(SELECT text FROM pg_temp.paragraphs(ARRAY[c.i * 1000])), c.difficulty,
	ARRAY[c.exam_code, c.difficulty], 'published',
	c.created_at + interval '2 days', c.created_at, c.created_at
FROM g_catalog c;

CREATE TEMP TABLE g_cunits AS
SELECT c.i AS course_i, u, gen_random_uuid() AS id, c.id AS course_id,
	c.org_id, c.lessons / 5 AS per_unit, c.created_at,
	'Part ' || u || ': ' || initcap(pg_temp.term(c.i * 10 + u)) AS title
FROM g_catalog c, generate_series(1, 5) u;

INSERT INTO units (id, org_id, course_id, title, summary, position,
	created_at, updated_at)
SELECT u.id, u.org_id, u.course_id, u.title, NULL, u.u - 1, u.created_at,
	u.created_at
FROM g_cunits u;

CREATE TEMP TABLE g_clessons AS
SELECT u.course_i * 100 + (u.u - 1) * u.per_unit + p AS k, u.org_id, p,
	gen_random_uuid() AS id, u.id AS unit_id, u.course_id, u.created_at,
	(ARRAY['Understanding', 'Configuring', 'Securing', 'Troubleshooting',
		'Planning', 'Monitoring', 'Comparing', 'Reviewing'])[1 + (p - 1) % 8]
		|| ' ' || pg_temp.term(u.course_i * 1000 + u.u * 10 + p) AS title
FROM g_cunits u, generate_series(1, u.per_unit) p;
CREATE TEMP TABLE g_cparas AS
SELECT * FROM pg_temp.paragraphs(ARRAY(SELECT k * 3 + j FROM g_clessons,
	generate_series(0, 2) j));
CREATE UNIQUE INDEX ON g_cparas (k);
ALTER TABLE g_clessons ADD COLUMN md text;
UPDATE g_clessons l SET md = '## ' || l.title || E'\n\n' || (SELECT
	string_agg(p.text, E'\n\n' ORDER BY p.k) FROM g_cparas p
	WHERE p.k BETWEEN l.k * 3 AND l.k * 3 + 2);

INSERT INTO lessons (id, org_id, course_id, unit_id, kind, title, summary,
	position, estimated_minutes, difficulty, content, content_html, status,
	published_at, tags, created_at, updated_at)
SELECT l.id, l.org_id, l.course_id, l.unit_id, 'lesson', l.title,
	'About ' || lower(l.title) || '.', l.p - 1, 5 + l.k % 26,
	(ARRAY['beginner', 'intermediate', 'advanced'])[1 + l.k % 3],
	jsonb_build_object('markdown', l.md),
	'<h2>' || l.title || E'</h2>\n<p>' || replace(substr(l.md,
		length(l.title) + 6), E'\n\n', E'</p>\n<p>') || E'</p>\n',
	'published', l.created_at + interval '2 days',
	ARRAY[replace(split_part(l.title, ' ', 2), ' ', '-')],
	l.created_at, l.created_at
FROM g_clessons l;

-- ---- The question bank ----

CREATE TEMP TABLE g_questions AS
SELECT e.id AS exam_id, e.code AS exam_code, e.position AS exam_pos, i,
	gen_random_uuid() AS id,
	d.id AS domain_id, d.code AS domain_code,
	CASE WHEN i % 10 = 0 THEN 'multiple_select'
		WHEN i % 10 = 5 THEN 'true_false' ELSE 'single_choice' END AS type,
	w.vocab[1 + (hashint4(e.position * 1000 + i) & 1023) % cardinality(w.vocab)] AS t1,
	w.vocab[1 + (hashint4(e.position * 1000 + i + 500) & 1023) % cardinality(w.vocab)] AS t2,
	i % 4 AS c
FROM exams e
CROSS JOIN generate_series(1, 250) i
CROSS JOIN words w
JOIN LATERAL (SELECT * FROM exam_domains x WHERE x.exam_id = e.id
	ORDER BY x.code
	OFFSET (i - 1) % (SELECT count(*) FROM exam_domains y
		WHERE y.exam_id = e.id) LIMIT 1) d ON true;

ALTER TABLE g_questions ADD COLUMN body jsonb, ADD COLUMN stem text,
	ADD COLUMN objectives text[];
UPDATE g_questions q SET
	stem = CASE q.type
		WHEN 'true_false' THEN format('True or false: a %s can replace a %s in every network.', q.t1, q.t2)
		WHEN 'multiple_select' THEN format('Which TWO statements about %s are correct when a %s is involved?', q.t1, q.t2)
		ELSE format((ARRAY['Which of the following best describes %s in a network that uses %s?',
			'A technician must fix a problem with %s after a change to the %s. What should be checked first?',
			'Which tool or setting is most closely associated with %s when planning %s?',
			'An administrator sees errors related to %s. Which %s-related step comes next?'])[1 + q.i % 4],
			q.t1, q.t2) END,
	body = CASE q.type
		WHEN 'true_false' THEN jsonb_build_object('options', jsonb_build_array(
			jsonb_build_object('key', 'true', 'text', 'True', 'correct', q.c = 0,
				'explanation', 'Think about what the ' || q.t1 || ' does.'),
			jsonb_build_object('key', 'false', 'text', 'False', 'correct', q.c <> 0,
				'explanation', 'Each has its own role.')))
		ELSE jsonb_build_object('options', (SELECT jsonb_agg(jsonb_build_object(
			'key', chr(65 + k), 'text', initcap(w.vocab[1 + (hashint4(q.exam_pos
				* 10000 + q.i * 10 + k) & 1023) % cardinality(w.vocab)])
				|| (ARRAY[' settings', ' logs', ' configuration', ' design'])[1 + k],
			'explanation', CASE WHEN k = q.c OR (q.type = 'multiple_select'
				AND k = (q.c + 1) % 4) THEN 'Correct: this is how ' || q.t1
				|| ' is handled.' ELSE 'Not this one: it concerns another layer.' END,
			'correct', k = q.c OR (q.type = 'multiple_select' AND k = (q.c + 1) % 4))
			ORDER BY k) FROM generate_series(0, 3) k, words w)) END,
	objectives = CASE WHEN q.exam_code = 'network' THEN (SELECT ARRAY[o.code]
		FROM exam_objectives o WHERE o.domain_id = q.domain_id ORDER BY o.code
		OFFSET q.i % (SELECT count(*) FROM exam_objectives x
			WHERE x.domain_id = q.domain_id) LIMIT 1) ELSE '{}' END;

INSERT INTO questions (id, org_id, owner_id, external_id, content_hash, type,
	stem, explanation, body, exam_id, domain_id, objective_codes, difficulty,
	tags, status, created_at, updated_at)
SELECT q.id, (SELECT id FROM organizations WHERE is_default),
	(SELECT id FROM g_users WHERE n = 1 + 1000 * ((q.i + q.exam_pos) % 10)),
	'BENCH-' || upper(q.exam_code) || '-' || lpad(q.i::text, 4, '0'),
	encode(sha256(convert_to(q.type || q.stem || q.body::text, 'UTF8')), 'hex'),
	q.type, q.stem,
	'The key idea: ' || q.t1 || ' and ' || q.t2 || ' solve different problems.',
	q.body, q.exam_id, q.domain_id, q.objectives, 1 + q.i % 5,
	ARRAY[replace(q.t1, ' ', '-')], 'active',
	now() - interval '400 days' + q.i * interval '1 hour',
	now() - interval '400 days' + q.i * interval '1 hour'
FROM g_questions q;

-- What an attempt freezes of each question, and a right and a wrong answer
-- in the question's keys (as ludus stores answers).
CREATE TEMP TABLE g_qmeta AS
SELECT q.id, q.exam_id, q.domain_code, q.type, q.stem, q.body,
	'The key idea: ' || q.t1 || ' and ' || q.t2 || ' solve different problems.'
		AS explanation,
	q.objectives,
	jsonb_build_object('options', (SELECT jsonb_agg(o->'key')
		FROM jsonb_array_elements(q.body->'options') o)) AS layout,
	CASE q.type
		WHEN 'multiple_select' THEN jsonb_build_object('choices',
			(SELECT jsonb_agg(o->'key') FROM jsonb_array_elements(q.body->'options') o
				WHERE (o->>'correct')::boolean))
		ELSE jsonb_build_object('choice', (SELECT o->'key'
			FROM jsonb_array_elements(q.body->'options') o
			WHERE (o->>'correct')::boolean)) END AS right_answer,
	CASE q.type
		WHEN 'multiple_select' THEN jsonb_build_object('choices',
			jsonb_build_array(chr(65 + (q.c + 2) % 4)))
		ELSE jsonb_build_object('choice', (SELECT o->'key'
			FROM jsonb_array_elements(q.body->'options') o
			WHERE NOT (o->>'correct')::boolean LIMIT 1)) END AS wrong_answer,
	row_number() OVER (PARTITION BY q.exam_id, q.domain_code ORDER BY q.i) - 1
		AS k_domain,
	row_number() OVER (PARTITION BY q.exam_id ORDER BY q.i) - 1 AS k_exam
FROM g_questions q;
CREATE INDEX ON g_qmeta (exam_id, domain_code, k_domain);
CREATE INDEX ON g_qmeta (exam_id, k_exam);
ANALYZE g_qmeta;

-- ---- Assessments ----

CREATE TEMP TABLE g_assessments AS
SELECT gen_random_uuid() AS id, x.*
FROM (
	SELECT e.id AS exam_id, e.code AS exam_code, 'quiz' AS kind,
		'Quiz: ' || d.code || ' ' || d.name AS title, d.code AS domain_code,
		jsonb_build_object('domains', jsonb_build_array(jsonb_build_object(
			'code', d.code, 'count', 10))) AS rules,
		10 AS n, NULL::integer AS seconds, 70.0 AS pass
	FROM exams e JOIN exam_domains d ON d.exam_id = e.id
	UNION ALL
	SELECT e.id, e.code, 'practice_exam', e.name || ' practice exam', NULL,
		'{}', 30, 2700, 75.0 FROM exams e
	UNION ALL
	SELECT e.id, e.code, 'exam_simulation', e.name || ' ' || e.exam_number
		|| ' exam simulation', NULL, '{}', 90, 5400, 80.0 FROM exams e
) x;

INSERT INTO assessments (id, org_id, owner_id, kind, title, description,
	exam_id, selection, rules, question_count, time_limit_seconds,
	passing_percent, feedback, partial_credit, status, published_at,
	created_at, updated_at)
SELECT a.id, (SELECT id FROM organizations WHERE is_default),
	(SELECT id FROM g_users WHERE n = 1 + 1000 * (a.n % 10)), a.kind, a.title,
	'Questions drawn at random from the bank; results and explanations at the end.',
	a.exam_id, 'rules', a.rules, a.n, a.seconds, a.pass, 'end',
	a.kind <> 'exam_simulation', 'published', now() - interval '380 days',
	now() - interval '381 days', now() - interval '381 days'
FROM g_assessments a;
