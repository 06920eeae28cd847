-- 0014_lesson_passages: search snippets from one passage of a lesson, not
-- from its whole text.
--
-- A search result's snippet was ts_headline over the lesson's whole
-- Markdown: parsing and stemming every word of each shown lesson, three
-- quarters of a search's time on the bench's lessons of 1,300 characters,
-- and more for longer ones.  lesson_passages holds each lesson's text cut
-- into passages (its paragraphs, a long one cut at a blank near 250
-- characters), HTML-escaped and without the two characters the snippets
-- mark with, each with its own small tsvector.  A snippet is made from the
-- first passage that matches the query (or the first passage, when only
-- the title or summary matched): the same few hundred characters whatever
-- the lesson's length.  The passages follow the lesson's text in the
-- statement that changes it.

-- What a snippet may show of a text: HTML-escaped, so that ts_headline's
-- parser sees no tag to drop ("<script>" shows as text), without chr(1)
-- and chr(2), so that every mark in a snippet is one that ts_headline made.
CREATE FUNCTION snippet_text(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT replace(replace(replace(translate(p_text, chr(1) || chr(2), ''),
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;')
$$;

-- A text's passages, in order: its paragraphs (split at blank lines), a
-- paragraph over 250 characters cut at its last blank that leaves at most
-- 250 (or at 250, in a word that long).
CREATE FUNCTION passages_of(p_text text) RETURNS TABLE (n integer, body text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	t text;
	s text;
	b integer;
BEGIN
	n := 0;
	FOR t IN SELECT btrim(x, E' \t\r\n')
		FROM regexp_split_to_table(coalesce(p_text, ''), '\n[ \t]*\n') x
	LOOP
		WHILE length(t) > 250 LOOP
			-- the last blank of the first 251 characters, counted from
			-- their end: it stands at 252 - b
			s := reverse(left(t, 251));
			b := least(nullif(strpos(s, ' '), 0), nullif(strpos(s, E'\n'), 0));
			IF b IS NULL OR b > 250 THEN
				body := left(t, 250);
				t := substr(t, 251);
			ELSE
				body := rtrim(left(t, 251 - b), E' \t\r\n');
				t := ltrim(substr(t, 253 - b), E' \t\r\n');
			END IF;
			n := n + 1;
			RETURN NEXT;
		END LOOP;
		IF t <> '' THEN
			n := n + 1;
			body := t;
			RETURN NEXT;
		END IF;
	END LOOP;
END
$$;

CREATE TABLE lesson_passages (
	lesson_id uuid NOT NULL,
	n integer NOT NULL,
	org_id uuid NOT NULL,
	-- snippet_text() of the passage
	body text NOT NULL,
	words tsvector NOT NULL,
	-- (led by the foreign key's columns, so that it serves it too)
	PRIMARY KEY (lesson_id, org_id, n),
	FOREIGN KEY (lesson_id, org_id) REFERENCES lessons (id, org_id)
		ON DELETE CASCADE
);

CREATE FUNCTION lesson_passages_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM lesson_passages WHERE lesson_id = NEW.id;
	END IF;
	INSERT INTO lesson_passages (lesson_id, n, org_id, body, words)
	SELECT NEW.id, p.n, NEW.org_id, snippet_text(p.body),
		to_tsvector('english', p.body)
	FROM passages_of(coalesce(NEW.content->>'markdown', NEW.summary)) p;
	RETURN NULL;
END
$$;
CREATE TRIGGER lessons_passages_insert AFTER INSERT ON lessons
	FOR EACH ROW EXECUTE FUNCTION lesson_passages_follow();
CREATE TRIGGER lessons_passages_update AFTER UPDATE OF content, summary
	ON lessons
	FOR EACH ROW WHEN (OLD.content->>'markdown' IS DISTINCT FROM
		NEW.content->>'markdown'
		OR (NEW.content->>'markdown' IS NULL
			AND OLD.summary IS DISTINCT FROM NEW.summary))
	EXECUTE FUNCTION lesson_passages_follow();

INSERT INTO lesson_passages (lesson_id, n, org_id, body, words)
SELECT l.id, p.n, l.org_id, snippet_text(p.body), to_tsvector('english', p.body)
FROM lessons l
CROSS JOIN LATERAL passages_of(coalesce(l.content->>'markdown', l.summary)) p;
