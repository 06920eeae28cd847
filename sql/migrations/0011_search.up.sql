-- 0011_search: the vocabulary that typo-tolerant search corrects a query
-- against, and full-text search of the question bank.
--
-- search_words holds each organization's distinct words (lower case, as
-- the simple text-search configuration reads them: not stemmed, since a
-- typo is closer to the word than to its stem) with how many courses and
-- lessons (content) and how many questions carry each.  A query word that
-- is not one of them is also matched by its closest words, found by
-- trigram similarity on the (small) vocabulary's index; the query then
-- runs as full-text search on the GIN indexes of the search tsvectors.
-- Nothing scans the text of every lesson (the trigram index over it goes).
--
-- The words are per organization: a correction is drawn only from the
-- caller's own content, so another organization's words neither reach a
-- query nor crowd out the right correction.  The corrected words are never
-- shown (a draft's or a deleted lesson's words may correct a query and then
-- match nothing the caller may see).
--
-- Statement-level triggers with transition tables keep the counts in the
-- transaction that changes the text: one upsert per organization and word
-- of each statement (a bulk import adds each word once, not once a row), in
-- word order so that concurrent writers cannot deadlock; a word whose counts
-- both reach 0 is deleted there and then, so nothing needs pruning later.
-- Soft deletion keeps a row's words: they leave with the row.

CREATE TABLE search_words (
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	word text NOT NULL,
	-- courses and lessons carrying the word, questions carrying it
	content integer NOT NULL DEFAULT 0,
	questions integer NOT NULL DEFAULT 0,
	PRIMARY KEY (org_id, word)
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- The question bank's full text: stem and tags, as search_text holds them.
ALTER TABLE questions ADD COLUMN search tsvector NOT NULL
	GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED;
CREATE INDEX questions_search_idx ON questions USING gin (search);

-- The head of a course or lesson: its title (weight A), summary and tags
-- (B), the part of search that is small enough to stay in the row.  Search
-- ranks matches in a head on it, and only the first few matches in the
-- text alone on the whole tsvector, which is out of the row (a common word
-- is in thousands of lessons; ranking them all cost 30 ms on the bench's
-- 10,000).
ALTER TABLE courses ADD COLUMN search_head tsvector NOT NULL DEFAULT '';
ALTER TABLE lessons ADD COLUMN search_head tsvector NOT NULL DEFAULT '';
CREATE FUNCTION search_head_before_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_head :=
		setweight(to_tsvector('english', NEW.title), 'A') ||
		setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
		setweight(to_tsvector('english', array_to_string(NEW.tags, ' ')), 'B');
	RETURN NEW;
END
$$;
CREATE TRIGGER courses_search_head BEFORE INSERT OR UPDATE ON courses
	FOR EACH ROW EXECUTE FUNCTION search_head_before_write();
CREATE TRIGGER lessons_search_head BEFORE INSERT OR UPDATE ON lessons
	FOR EACH ROW EXECUTE FUNCTION search_head_before_write();
-- What is there already, without a new version of every row.
ALTER TABLE courses DISABLE TRIGGER courses_before_write;
ALTER TABLE courses DISABLE TRIGGER courses_updated_at;
UPDATE courses SET title = title;
ALTER TABLE courses ENABLE TRIGGER courses_before_write;
ALTER TABLE courses ENABLE TRIGGER courses_updated_at;
ALTER TABLE lessons DISABLE TRIGGER lessons_before_write;
ALTER TABLE lessons DISABLE TRIGGER lessons_updated_at;
UPDATE lessons SET title = title;
ALTER TABLE lessons ENABLE TRIGGER lessons_before_write;
ALTER TABLE lessons ENABLE TRIGGER lessons_updated_at;
CREATE INDEX courses_search_head_idx ON courses USING gin (search_head);
CREATE INDEX lessons_search_head_idx ON lessons USING gin (search_head);

-- Search no longer reads lessons.search_text through trigrams.
DROP INDEX lessons_search_trgm_idx;

-- The text a row's words come from, what its search tsvector is made of:
-- a course's or a lesson's title, summary, description or Markdown and
-- tags; a question's stem and tags.  It takes the row as jsonb, because a
-- trigger's transition table gives records, not rows of a table type.
CREATE FUNCTION search_doc(r jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws(' ', r->>'title', r->>'summary', r->>'description',
		r->'content'->>'markdown', r->>'stem',
		(SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(r->'tags') t))
$$;

-- The vocabulary's words of a text: 3 to 40 characters, not a number.
CREATE FUNCTION search_words_of(doc text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
	SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', doc))) w
	WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9.,/:_-]*$'
$$;

-- A query's terms combined: tsquery_any(q) is q1 | q2 | ..., tsquery_all(q)
-- q1 & q2 & ... (NULL for no rows).
CREATE AGGREGATE tsquery_any (tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
CREATE AGGREGATE tsquery_all (tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

-- The full-text query for a searcher's text in an organization, typos
-- corrected against its words: those of its courses and lessons, or of its
-- question bank (p_questions).  Each of the text's first ten words (stop
-- words left out) that is not one of them also matches its three closest
-- words by trigram similarity (pg_trgm's threshold, 0.3), unless one of
-- those is the same word inflected (routers, router); the last word, when
-- unknown, also matches as a prefix.  Words are ANDed, a word's
-- corrections ORed.  NULL when the text has no word.  (PL/pgSQL: its plans
-- are kept for the session.)
CREATE FUNCTION search_tsquery(p_org uuid, p_text text, p_questions boolean)
RETURNS tsquery
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (
		WITH words AS (
			SELECT w.word, w.pos, w.stem, EXISTS (SELECT 1
				FROM search_words s WHERE s.org_id = p_org
				AND s.word = w.word AND CASE WHEN p_questions
					THEN s.questions ELSE s.content END > 0) AS known
			FROM (SELECT u.lexeme AS word, u.positions[1] AS pos,
					plainto_tsquery('english', u.lexeme) AS stem
				FROM unnest(to_tsvector('simple', p_text)) u
				-- no stop word (which plainto_tsquery would log)
				WHERE length(to_tsvector('english', u.lexeme)) > 0
				ORDER BY u.positions[1]
				LIMIT 10) w
		), fixes AS (
			SELECT w.pos, w.stem, plainto_tsquery('english', c.word) AS tsq
			FROM words w CROSS JOIN LATERAL (
				SELECT s.word FROM search_words s
				WHERE s.org_id = p_org AND s.word % w.word
					AND CASE WHEN p_questions THEN s.questions
						ELSE s.content END > 0
					AND length(to_tsvector('english', s.word)) > 0
				ORDER BY similarity(s.word, w.word) DESC,
					s.content + s.questions DESC, s.word
				LIMIT 3) c
			WHERE NOT w.known AND length(w.word) >= 4
		), terms AS (
			SELECT w.pos, w.stem AS tsq FROM words w
			UNION ALL
			SELECT w.pos, (w.stem::text || ':*')::tsquery FROM words w
			WHERE NOT w.known AND w.pos = (SELECT max(pos) FROM words)
			UNION ALL
			SELECT f.pos, f.tsq FROM fixes f
			WHERE NOT EXISTS (SELECT 1 FROM fixes g
				WHERE g.pos = f.pos AND g.tsq = g.stem)
		)
		SELECT tsquery_all(t.tsq)
		FROM (SELECT tsquery_any(tsq) AS tsq FROM terms GROUP BY pos) t);
END
$$;

-- TG_ARGV[0] is the count a table feeds: 'content' or 'questions'.  The
-- transition tables are old_rows and new_rows; org_id, id and search are
-- columns of every table it is attached to.  A count at or below 0 (which
-- only a vocabulary out of step could make) deletes the word all the same.
CREATE FUNCTION search_words_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	is_content boolean := TG_ARGV[0] = 'content';
	orgs uuid[];
	words text[];
	deltas integer[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(d.org_id), array_agg(d.w), array_agg(d.k)
		INTO orgs, words, deltas
		FROM (SELECT r.org_id, w, count(*)::integer AS k
			FROM new_rows r, search_words_of(search_doc(to_jsonb(r))) w
			GROUP BY 1, 2) d;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(d.org_id), array_agg(d.w), array_agg(d.k)
		INTO orgs, words, deltas
		FROM (SELECT r.org_id, w, -count(*)::integer AS k
			FROM old_rows r, search_words_of(search_doc(to_jsonb(r))) w
			GROUP BY 1, 2) d;
	ELSE
		SELECT array_agg(d.org_id), array_agg(d.w), array_agg(d.k)
		INTO orgs, words, deltas
		FROM (SELECT x.org_id, x.w, sum(x.k)::integer AS k
			FROM (SELECT n.org_id, w, 1 AS k
				FROM new_rows n JOIN old_rows o USING (id),
					search_words_of(search_doc(to_jsonb(n))) w
				WHERE n.search IS DISTINCT FROM o.search
				UNION ALL
				SELECT o.org_id, w, -1
				FROM new_rows n JOIN old_rows o USING (id),
					search_words_of(search_doc(to_jsonb(o))) w
				WHERE n.search IS DISTINCT FROM o.search) x
			GROUP BY 1, 2 HAVING sum(x.k) <> 0) d;
	END IF;
	IF orgs IS NULL THEN
		RETURN NULL;
	END IF;
	WITH up AS (
		INSERT INTO search_words AS s (org_id, word, content, questions)
		SELECT d.org_id, d.word, CASE WHEN is_content THEN d.k ELSE 0 END,
			CASE WHEN is_content THEN 0 ELSE d.k END
		FROM unnest(orgs, words, deltas) d (org_id, word, k)
		ORDER BY d.org_id, d.word
		ON CONFLICT (org_id, word) DO UPDATE SET
			content = s.content + EXCLUDED.content,
			questions = s.questions + EXCLUDED.questions
		RETURNING s.org_id, s.word, s.content, s.questions
	)
	SELECT array_agg(up.org_id), array_agg(up.word) INTO orgs, words
	FROM up WHERE up.content <= 0 AND up.questions <= 0;
	IF orgs IS NOT NULL THEN
		DELETE FROM search_words s USING unnest(orgs, words) d (org_id, word)
		WHERE s.org_id = d.org_id AND s.word = d.word
			AND s.content <= 0 AND s.questions <= 0;
	END IF;
	RETURN NULL;
END
$$;

-- One trigger a table and operation: INSERT, UPDATE and DELETE each take
-- their own transition tables.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['courses', 'lessons', 'questions'] LOOP
		EXECUTE format('CREATE TRIGGER %1$s_search_words_ins AFTER INSERT '
			'ON %1$I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
			'EXECUTE FUNCTION search_words_follow(%2$L)', t,
			CASE t WHEN 'questions' THEN 'questions' ELSE 'content' END);
		EXECUTE format('CREATE TRIGGER %1$s_search_words_upd AFTER UPDATE '
			'ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION search_words_follow(%2$L)', t,
			CASE t WHEN 'questions' THEN 'questions' ELSE 'content' END);
		EXECUTE format('CREATE TRIGGER %1$s_search_words_del AFTER DELETE '
			'ON %1$I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
			'EXECUTE FUNCTION search_words_follow(%2$L)', t,
			CASE t WHEN 'questions' THEN 'questions' ELSE 'content' END);
	END LOOP;
END
$$;

-- What is there already.
INSERT INTO search_words (org_id, word, content, questions)
SELECT org_id, word, sum(content), sum(questions)
FROM (
	SELECT r.org_id, w AS word, 1 AS content, 0 AS questions
	FROM courses r, search_words_of(search_doc(to_jsonb(r))) w
	UNION ALL
	SELECT r.org_id, w, 1, 0 FROM lessons r, search_words_of(search_doc(to_jsonb(r))) w
	UNION ALL
	SELECT r.org_id, w, 0, 1 FROM questions r, search_words_of(search_doc(to_jsonb(r))) w
) x
GROUP BY org_id, word;
