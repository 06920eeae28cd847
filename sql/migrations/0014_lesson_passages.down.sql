-- 0014_lesson_passages, undone.
DROP TRIGGER lessons_passages_update ON lessons;
DROP TRIGGER lessons_passages_insert ON lessons;
DROP FUNCTION lesson_passages_follow();
DROP TABLE lesson_passages;
DROP FUNCTION passages_of(text);
DROP FUNCTION snippet_text(text);
