-- 0009_lesson_minutes: whether a lesson's estimated minutes are its
-- author's.  Those that are not follow the content: each write of it sets
-- them to its reading time plus its media's durations (src/content/rules.c,
-- content_estimate_minutes).  An author's time stays until the author
-- clears it (estimated_minutes: null).
ALTER TABLE lessons ADD COLUMN minutes_by_author boolean NOT NULL
	DEFAULT false;
