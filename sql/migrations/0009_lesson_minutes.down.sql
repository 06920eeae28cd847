-- 0009_lesson_minutes, undone.
ALTER TABLE lessons DROP COLUMN minutes_by_author;
