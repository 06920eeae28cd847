-- 0011_search, undone.
DROP TRIGGER courses_search_words_ins ON courses;
DROP TRIGGER courses_search_words_upd ON courses;
DROP TRIGGER courses_search_words_del ON courses;
DROP TRIGGER lessons_search_words_ins ON lessons;
DROP TRIGGER lessons_search_words_upd ON lessons;
DROP TRIGGER lessons_search_words_del ON lessons;
DROP TRIGGER questions_search_words_ins ON questions;
DROP TRIGGER questions_search_words_upd ON questions;
DROP TRIGGER questions_search_words_del ON questions;
DROP FUNCTION search_words_follow();
DROP FUNCTION search_tsquery(uuid, text, boolean);
DROP AGGREGATE tsquery_any (tsquery);
DROP AGGREGATE tsquery_all (tsquery);
DROP FUNCTION search_words_of(text);
DROP FUNCTION search_doc(jsonb);
CREATE INDEX lessons_search_trgm_idx ON lessons USING gin (search_text gin_trgm_ops);
ALTER TABLE questions DROP COLUMN search;
DROP TABLE search_words;
