-- 0021_flashcards, undone.
DELETE FROM xp_events WHERE source = 'flashcards';
ALTER TABLE xp_events DROP CONSTRAINT xp_events_source_check,
	ADD CONSTRAINT xp_events_source_check CHECK (source IN ('lesson',
		'answer', 'quiz', 'daily_goal', 'streak', 'achievement', 'goal',
		'admin'));
DROP FUNCTION flashcard_set_json(flashcard_sets, text),
	flashcard_note_json(flashcard_notes), flashcard_decks_for(uuid),
	flashcard_deck_role(flashcard_sets, uuid, boolean),
	local_day_bounds(timestamptz, text), fc_deck_room(uuid);
DROP TABLE flashcard_reviews, user_flashcard_progress, flashcard_settings,
	flashcards, flashcard_notes, flashcard_sets;
DROP FUNCTION flashcard_reviews_append_only(), flashcard_notes_before_write(),
	flashcard_sets_exam_check(),
	flashcard_steps_ok(integer[]), flashcard_easy_days_ok(numeric[]);
