-- 0011_search, undone.
DO $$
DECLARE
	t text;
	op text;
BEGIN
	FOREACH t IN ARRAY ARRAY['courses', 'lessons', 'questions'] LOOP
		FOREACH op IN ARRAY ARRAY['ins', 'upd', 'del'] LOOP
			EXECUTE format('DROP TRIGGER %s_search_words_%s ON %I', t, op, t);
		END LOOP;
	END LOOP;
END
$$;
DROP FUNCTION search_words_follow();
DROP FUNCTION search_tsquery(uuid, text, boolean);
DROP AGGREGATE tsquery_any (tsquery);
DROP AGGREGATE tsquery_all (tsquery);
DROP FUNCTION search_words_of(text);
DROP FUNCTION search_doc(jsonb);
CREATE INDEX lessons_search_trgm_idx ON lessons USING gin (search_text gin_trgm_ops);
ALTER TABLE questions DROP COLUMN search;
DROP TRIGGER courses_search_head ON courses;
DROP TRIGGER lessons_search_head ON lessons;
DROP FUNCTION search_head_before_write();
ALTER TABLE courses DROP COLUMN search_head;
ALTER TABLE lessons DROP COLUMN search_head;
DROP TABLE search_words;
