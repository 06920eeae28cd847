-- 0011_search: the vocabulary (search_words) follows every insert, update
-- and delete of courses, lessons and questions, per organization, in the
-- same transaction, one count per row that carries a word; words whose
-- counts reach 0 leave.  search_tsquery corrects a misspelled word to the
-- organization's own words only, and the corrected query finds the lesson
-- on its tsvector.  search_head holds title, summary and tags only.  The
-- questions' search tsvector follows the stem.  The
-- vocabulary equals what a rebuild from the rows gives.  All in one
-- rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(24);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
INSERT INTO organizations (slug, name) VALUES ('search-other', 'Another');
CREATE FUNCTION pg_temp.other() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE slug = 'search-other'
$$;
INSERT INTO users (org_id, email, username, password_hash, role)
VALUES (pg_temp.other(), 'other@search.test', 'search_other',
	'$2b$10$' || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), 53),
	'instructor');
CREATE FUNCTION pg_temp.owner(p_org uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE org_id = p_org AND role = 'instructor'
	ORDER BY username LIMIT 1
$$;
CREATE FUNCTION pg_temp.n(p_org uuid, p_word text) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT content FROM search_words WHERE org_id = p_org AND word = p_word
$$;
CREATE FUNCTION pg_temp.nq(p_org uuid, p_word text) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT questions FROM search_words WHERE org_id = p_org AND word = p_word
$$;
-- A course with one unit in an organization.
CREATE FUNCTION pg_temp.course(p_org uuid, p_slug text) RETURNS uuid
LANGUAGE sql AS $$
	WITH c AS (INSERT INTO courses (org_id, owner_id, slug, title)
		VALUES (p_org, pg_temp.owner(p_org), p_slug, 'Course ' || p_slug)
		RETURNING id, org_id)
	INSERT INTO units (org_id, course_id, title)
	SELECT org_id, id, 'Unit' FROM c RETURNING course_id
$$;
CREATE FUNCTION pg_temp.lesson(p_course uuid, p_title text, p_md text)
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO lessons (org_id, course_id, unit_id, title, content)
	SELECT u.org_id, u.course_id, u.id, p_title,
		jsonb_build_object('markdown', p_md)
	FROM units u WHERE u.course_id = p_course
	RETURNING id
$$;
-- The lessons of an organization that a text finds.
CREATE FUNCTION pg_temp.found(p_org uuid, p_text text) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
	SELECT title FROM lessons
	WHERE org_id = p_org AND search @@ search_tsquery(p_org, p_text, false)
	ORDER BY title
$$;

SELECT is(pg_temp.n(pg_temp.org(), 'zygomorphic'), NULL, 'a new word is no word yet');

CREATE TEMP TABLE ids AS SELECT pg_temp.course(pg_temp.org(), 'srch-a') AS a,
	pg_temp.course(pg_temp.other(), 'srch-b') AS b;
SELECT pg_temp.lesson((SELECT a FROM ids), 'Petal one',
	'The zygomorphic flowerbed of quaternions.');
SELECT pg_temp.lesson((SELECT a FROM ids), 'Petal two',
	'Another zygomorphic flowerbed.');
SELECT is(pg_temp.n(pg_temp.org(), 'zygomorphic'), 2,
	'an insert counts each lesson that carries the word');
SELECT is(pg_temp.n(pg_temp.org(), 'petal'), 2, 'titles are words too');
SELECT is(pg_temp.n(pg_temp.other(), 'zygomorphic'), NULL,
	'and only in the lesson''s organization');

-- Many rows in one statement: one upsert of each word.
INSERT INTO lessons (org_id, course_id, unit_id, title, content)
SELECT u.org_id, u.course_id, u.id, 'Bulk ' || i,
	jsonb_build_object('markdown', 'the xylophonic anemometer')
FROM units u, generate_series(1, 5) i WHERE u.course_id = (SELECT a FROM ids);
SELECT is(pg_temp.n(pg_temp.org(), 'xylophonic'), 5,
	'a statement of many rows counts each of them');

UPDATE lessons SET content = '{"markdown": "A hendecagonal flowerbed."}'
WHERE title = 'Petal two' AND org_id = pg_temp.org();
SELECT is(pg_temp.n(pg_temp.org(), 'zygomorphic'), 1,
	'an update takes the words the row lost away');
SELECT is(pg_temp.n(pg_temp.org(), 'hendecagonal'), 1,
	'and adds the words it gained');
SELECT is(pg_temp.n(pg_temp.org(), 'flowerbed'), 2,
	'and leaves the words it kept');
UPDATE lessons SET position = position WHERE org_id = pg_temp.org()
	AND title LIKE 'Bulk %';
SELECT is(pg_temp.n(pg_temp.org(), 'xylophonic'), 5,
	'an update that changes no text changes no count');

-- The head: title, summary and tags only.
UPDATE lessons SET summary = 'A parterre.' WHERE title = 'Petal one'
	AND org_id = pg_temp.org();
SELECT ok((SELECT search_head @@ to_tsquery('english', 'petal & parterre')
	FROM lessons WHERE title = 'Petal one' AND org_id = pg_temp.org()),
	'the head follows the title and the summary');
SELECT ok((SELECT NOT search_head @@ to_tsquery('english', 'quaternion')
	AND search @@ to_tsquery('english', 'quaternion')
	FROM lessons WHERE title = 'Petal one' AND org_id = pg_temp.org()),
	'and holds none of the text');

-- A lesson in the other organization.
SELECT pg_temp.lesson((SELECT b FROM ids), 'Abroad',
	'The quasicrystalline lattice.');
SELECT is(pg_temp.n(pg_temp.other(), 'quasicrystalline'), 1,
	'the other organization has its own words');

-- Typos.
SELECT results_eq($$SELECT pg_temp.found(pg_temp.org(), 'zygomorphc')$$,
	ARRAY['Petal one'], 'a misspelled word finds its lesson');
SELECT results_eq($$SELECT pg_temp.found(pg_temp.org(), 'xylophonik anemometr')$$,
	ARRAY['Bulk 1', 'Bulk 2', 'Bulk 3', 'Bulk 4', 'Bulk 5'],
	'two misspelled words: every one of them corrected, all of them in each hit');
SELECT results_eq($$SELECT pg_temp.found(pg_temp.org(), 'zygomorphic quaternion')$$,
	ARRAY['Petal one'], 'words that are known stay as they are');
SELECT results_eq($$SELECT pg_temp.found(pg_temp.org(), 'hendecag')$$,
	ARRAY['Petal two'], 'the last word, unknown, is a prefix too');
SELECT is(search_tsquery(pg_temp.org(), 'quasicrystaline', false)::text
	LIKE '%quasicrystallin%', false,
	'a word of another organization is never a correction');
SELECT is_empty($$SELECT pg_temp.found(pg_temp.org(), 'quasicrystaline')$$,
	'so that organization''s lesson is not found');
SELECT results_eq($$SELECT pg_temp.found(pg_temp.other(), 'quasicrystaline')$$,
	ARRAY['Abroad'], 'but its own searchers find it misspelled');
SELECT is(search_tsquery(pg_temp.org(), '!! the of -- ', false), NULL,
	'no word, no query');

-- Deletion: words with no row left leave the vocabulary.
DELETE FROM lessons WHERE org_id = pg_temp.org() AND title LIKE 'Bulk %';
SELECT is(pg_temp.n(pg_temp.org(), 'xylophonic'), NULL,
	'a word whose last row is deleted leaves the vocabulary');

-- Questions: their own count and the generated tsvector.
INSERT INTO questions (org_id, owner_id, content_hash, type, stem, body,
	tags, status)
VALUES (pg_temp.org(), pg_temp.owner(pg_temp.org()), repeat('a', 64),
	'single_choice', 'Which zygomorphic ombudsman decides?',
	'{"options": []}', '{ombudsperson}', 'active');
SELECT is(ARRAY[pg_temp.n(pg_temp.org(), 'ombudsman'),
	pg_temp.nq(pg_temp.org(), 'ombudsman'), pg_temp.nq(pg_temp.org(), 'zygomorphic'),
	pg_temp.nq(pg_temp.org(), 'ombudsperson')], ARRAY[0, 1, 1, 1],
	'a question counts for the bank, not for the content');
SELECT ok((SELECT search @@ search_tsquery(pg_temp.org(), 'ombudsmen', true)
	FROM questions WHERE content_hash = repeat('a', 64)),
	'the bank search corrects against the bank''s words');

-- The counts are what the rows say.
SELECT set_eq($$SELECT org_id, word, content, questions FROM search_words$$,
	$$SELECT org_id, word, sum(content)::integer AS c, sum(questions)::integer AS q
	FROM (SELECT r.org_id, w AS word, 1 AS content, 0 AS questions
		FROM courses r, search_words_of(search_doc(to_jsonb(r))) w
		UNION ALL
		SELECT r.org_id, w, 1, 0 FROM lessons r,
			search_words_of(search_doc(to_jsonb(r))) w
		UNION ALL
		SELECT r.org_id, w, 0, 1 FROM questions r,
			search_words_of(search_doc(to_jsonb(r))) w) x
	GROUP BY org_id, word$$,
	'the vocabulary is what a rebuild from the rows gives');

SELECT * FROM finish();
ROLLBACK;
