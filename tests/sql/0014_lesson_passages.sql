-- 0014_lesson_passages: a lesson's text cut into passages (paragraphs, a
-- long one at a word near 250 characters), escaped for snippets, and
-- following the lesson's text.

BEGIN;
SET client_min_messages = warning;
SELECT plan(14);

-- ---- Cutting and escaping -------------------------------------------------

SELECT results_eq($$SELECT n, body FROM passages_of(E'# Title\n\nFirst paragraph\nstill first.\n  \nSecond.')$$,
	$$VALUES (1, '# Title'), (2, E'First paragraph\nstill first.'), (3, 'Second.')$$,
	'paragraphs are passages, in order (a line of spaces is blank)');
SELECT is((SELECT max(length(body)) FROM passages_of(repeat('word ', 200))), 249,
	'a long paragraph is cut after the last word that fits in 250 characters');
SELECT is((SELECT string_agg(body, ' ' ORDER BY n) FROM passages_of(repeat('word ', 200))),
	rtrim(repeat('word ', 200)), 'and nothing of it is lost');
SELECT is((SELECT count(*) FROM passages_of(NULL)), 0::bigint, 'no text, no passage');
SELECT is(snippet_text('a < b && c > d' || chr(1) || chr(2)), 'a &lt; b &amp;&amp; c &gt; d',
	'a snippet''s text is escaped, without the marks'' characters');

-- ---- Following the lesson -------------------------------------------------

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
INSERT INTO courses (id, org_id, owner_id, slug, title)
SELECT '00000000-0000-4000-8000-0000000014c1', pg_temp.org(), id, 'passages', 'Passages'
FROM users WHERE username = 'instructor';
INSERT INTO units (id, org_id, course_id, title)
VALUES ('00000000-0000-4000-8000-0000000014a1', pg_temp.org(),
	'00000000-0000-4000-8000-0000000014c1', 'U');
INSERT INTO lessons (id, org_id, course_id, unit_id, title, summary, content)
VALUES ('00000000-0000-4000-8000-000000001401', pg_temp.org(),
	'00000000-0000-4000-8000-0000000014c1', '00000000-0000-4000-8000-0000000014a1',
	'Subnets', 'About subnets',
	'{"markdown": "Intro <b>here</b>.\n\nSubnetting splits a network."}');

SELECT results_eq($$SELECT n, body FROM lesson_passages
	WHERE lesson_id = '00000000-0000-4000-8000-000000001401' ORDER BY n$$,
	$$VALUES (1, 'Intro &lt;b&gt;here&lt;/b&gt;.'), (2, 'Subnetting splits a network.')$$,
	'a new lesson''s text is cut into escaped passages');
SELECT is((SELECT n FROM lesson_passages WHERE lesson_id = '00000000-0000-4000-8000-000000001401'
	AND words @@ plainto_tsquery('english', 'subnets')), 2,
	'each passage has its words (stemmed) to match a query');
SELECT is((SELECT org_id FROM lesson_passages WHERE lesson_id = '00000000-0000-4000-8000-000000001401' LIMIT 1),
	pg_temp.org(), 'in the lesson''s organization');

UPDATE lessons SET title = 'Subnets again' WHERE id = '00000000-0000-4000-8000-000000001401';
SELECT is((SELECT count(*) FROM lesson_passages WHERE lesson_id = '00000000-0000-4000-8000-000000001401'),
	2::bigint, 'a change of title leaves the passages');
UPDATE lessons SET content = '{"markdown": "Only one now."}'
WHERE id = '00000000-0000-4000-8000-000000001401';
SELECT results_eq($$SELECT n, body FROM lesson_passages
	WHERE lesson_id = '00000000-0000-4000-8000-000000001401' ORDER BY n$$,
	$$VALUES (1, 'Only one now.')$$, 'a new text replaces them');
UPDATE lessons SET content = '{}', summary = 'The summary.'
WHERE id = '00000000-0000-4000-8000-000000001401';
SELECT results_eq($$SELECT body FROM lesson_passages
	WHERE lesson_id = '00000000-0000-4000-8000-000000001401'$$,
	$$VALUES ('The summary.')$$, 'a lesson without text has its summary as its passage');
UPDATE lessons SET summary = 'Another summary.'
WHERE id = '00000000-0000-4000-8000-000000001401';
SELECT results_eq($$SELECT body FROM lesson_passages
	WHERE lesson_id = '00000000-0000-4000-8000-000000001401'$$,
	$$VALUES ('Another summary.')$$, 'and follows it');
DELETE FROM lessons WHERE id = '00000000-0000-4000-8000-000000001401';
SELECT is((SELECT count(*) FROM lesson_passages WHERE lesson_id = '00000000-0000-4000-8000-000000001401'),
	0::bigint, 'a removed lesson''s passages go with it');

SELECT is_empty($$SELECT l.id FROM lessons l
	WHERE NOT EXISTS (SELECT 1 FROM lesson_passages p WHERE p.lesson_id = l.id)
		AND coalesce(l.content->>'markdown', l.summary, '') ~ '\S'$$,
	'every lesson with text has passages');

SELECT * FROM finish();
ROLLBACK;
