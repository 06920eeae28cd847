-- 0021_flashcards: decks, notes, cards, settings, each learner's memory of
-- a card, and the review log.
--
-- The tables, their keys and foreign keys.  flashcard_sets: a learner's or
-- a course's (never both, never neither), the title's length.  flashcard_
-- notes: kind, front and back, objectives that must be the deck's exam's
-- (flashcard_notes_before_write), the version moving on.  flashcards: one
-- card per note and ordinal, 0..99.  user_flashcard_progress: state, new iff
-- never reviewed iff no reps, difficulty and stability.  flashcard_settings:
-- the defaults, steps, easy days, params.  flashcard_reviews: partitioned
-- by month, rating and duration, append-only for ludus_app (no DELETE, no
-- UPDATE but undone_at, and that once).  flashcard_deck_role,
-- flashcard_decks_for, flashcard_note_json, local_day_bounds, the queue's
-- index, and XP from flashcards.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(150);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.uid(p_username text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = p_username
$$;
CREATE FUNCTION pg_temp.exam(p_code text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM exams WHERE code = p_code
$$;
-- The SQLSTATE and the constraint a statement is refused by ('ok' if it is
-- not), so that a check is told apart from its neighbours.
\ir lib/refused.psql
-- The deck role of a deck (by id).
CREATE FUNCTION pg_temp.role(p_deck uuid, p_user text, p_all boolean DEFAULT false)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT flashcard_deck_role(d, pg_temp.uid(p_user), p_all)
	FROM flashcard_sets d WHERE d.id = p_deck
$$;

-- ---- the tables ------------------------------------------------------------

SELECT has_table('flashcard_sets');
SELECT has_table('flashcard_notes');
SELECT has_table('flashcards');
SELECT has_table('flashcard_settings');
SELECT has_table('user_flashcard_progress');
SELECT has_table('flashcard_reviews');

SELECT col_is_pk('flashcard_sets', 'id');
SELECT col_is_pk('flashcard_notes', 'id');
SELECT col_is_pk('flashcards', 'id');
SELECT col_is_pk('flashcard_settings', 'user_id');
SELECT col_is_pk('user_flashcard_progress', ARRAY['user_id', 'card_id']);
SELECT col_is_pk('flashcard_reviews', ARRAY['id', 'reviewed_at']);
SELECT col_is_unique('flashcards', ARRAY['note_id', 'ordinal']);

SELECT col_not_null('flashcard_sets', 'org_id');
SELECT col_not_null('flashcard_sets', 'created_by');
SELECT col_is_null('flashcard_sets', 'owner_id');
SELECT col_is_null('flashcard_sets', 'course_id');
SELECT col_not_null('flashcard_notes', 'set_id');
SELECT col_not_null('flashcard_notes', 'kind');
SELECT col_not_null('flashcards', 'note_id');
SELECT col_not_null('flashcards', 'set_id');
SELECT col_not_null('flashcards', 'ordinal');
SELECT col_not_null('user_flashcard_progress', 'org_id');
SELECT col_not_null('flashcard_reviews', 'rating');
SELECT col_not_null('flashcard_reviews', 'reviewed_at');
SELECT col_is_null('flashcard_reviews', 'undone_at');

SELECT fk_ok('flashcard_sets', ARRAY['owner_id', 'org_id'], 'users', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcard_sets', ARRAY['course_id', 'org_id'], 'courses', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcard_sets', 'exam_id', 'exams', 'id');
SELECT fk_ok('flashcard_notes', ARRAY['set_id', 'org_id'],
	'flashcard_sets', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcards', ARRAY['note_id', 'org_id'],
	'flashcard_notes', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcards', ARRAY['set_id', 'org_id'],
	'flashcard_sets', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcard_settings', ARRAY['user_id', 'org_id'], 'users', ARRAY['id', 'org_id']);
SELECT fk_ok('user_flashcard_progress', ARRAY['user_id', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT fk_ok('user_flashcard_progress', ARRAY['card_id', 'org_id'],
	'flashcards', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcard_reviews', ARRAY['card_id', 'org_id'],
	'flashcards', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcard_reviews', ARRAY['user_id', 'org_id'], 'users', ARRAY['id', 'org_id']);

SELECT is_partitioned('flashcard_reviews');
SELECT has_index('user_flashcard_progress', 'user_flashcard_progress_due_idx',
	ARRAY['user_id', 'due'], 'the queue''s index: a learner''s cards by due time');
SELECT is((SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
	WHERE i.indexrelid = 'user_flashcard_progress_due_idx'::regclass), '(state > 0)',
	'and only the cards seen (new cards have no row, or state 0)');

-- ---- decks -----------------------------------------------------------------
-- d1 sarah's (exam network), d2 the course's (exam network), d3 mike's,
-- d4 sarah's deleted, d5 sarah's without an exam, d6 the course's deleted,
-- d7 sarah's for the security exam.

SELECT lives_ok($$
	INSERT INTO flashcard_sets (id, org_id, owner_id, created_by, title, exam_id)
	VALUES ('00000000-0000-4000-8000-0000000021d1', pg_temp.org(),
		pg_temp.uid('sarah_network'), pg_temp.uid('sarah_network'), 'Ports',
		pg_temp.exam('network'))$$,
	'a learner''s own deck goes in');
INSERT INTO flashcard_sets (id, org_id, course_id, created_by, title, exam_id)
VALUES ('00000000-0000-4000-8000-0000000021d2', pg_temp.org(),
	'4e700009-0000-4000-8000-000000000001', pg_temp.uid('instructor'), 'Course deck',
	pg_temp.exam('network')),
	('00000000-0000-4000-8000-0000000021d6', pg_temp.org(),
	'4e700009-0000-4000-8000-000000000001', pg_temp.uid('instructor'), 'Old course deck',
	NULL);
INSERT INTO flashcard_sets (id, org_id, owner_id, created_by, title, exam_id)
VALUES ('00000000-0000-4000-8000-0000000021d3', pg_temp.org(), pg_temp.uid('mike_netplus'),
	pg_temp.uid('mike_netplus'), 'Mike''s', NULL),
	('00000000-0000-4000-8000-0000000021d4', pg_temp.org(), pg_temp.uid('sarah_network'),
	pg_temp.uid('sarah_network'), 'Gone', NULL),
	('00000000-0000-4000-8000-0000000021d5', pg_temp.org(), pg_temp.uid('sarah_network'),
	pg_temp.uid('sarah_network'), 'No exam', NULL),
	('00000000-0000-4000-8000-0000000021d7', pg_temp.org(), pg_temp.uid('sarah_network'),
	pg_temp.uid('sarah_network'), 'Security', pg_temp.exam('security'));
UPDATE flashcard_sets SET deleted_at = now()
WHERE id IN ('00000000-0000-4000-8000-0000000021d4', '00000000-0000-4000-8000-0000000021d6');

SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_sets (org_id, owner_id, course_id, created_by, title)
	VALUES (pg_temp.org(), pg_temp.uid('sarah_network'),
		'4e700009-0000-4000-8000-000000000001', pg_temp.uid('sarah_network'), 'Both')$$),
	'23514 flashcard_sets_check', 'a deck is not both a learner''s and a course''s');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_sets (org_id, created_by, title)
	VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), 'Nobody''s')$$),
	'23514 flashcard_sets_check', 'nor nobody''s');
SELECT is(pg_temp.refused($$
	UPDATE flashcard_sets SET title = '   ' WHERE id = '00000000-0000-4000-8000-0000000021d1'$$),
	'23514 flashcard_sets_title_check', 'a title is not blank');
SELECT is(pg_temp.refused($$
	UPDATE flashcard_sets SET title = repeat('t', 201)
	WHERE id = '00000000-0000-4000-8000-0000000021d1'$$),
	'23514 flashcard_sets_title_check', 'a title is at most 200 characters');
SELECT is(pg_temp.refused($$
	UPDATE flashcard_sets SET title = repeat('t', 200)
	WHERE id = '00000000-0000-4000-8000-0000000021d3'$$),
	'ok', '200 are fine');
SELECT is(pg_temp.refused($$
	UPDATE flashcard_sets SET desired_retention = 0.5
	WHERE id = '00000000-0000-4000-8000-0000000021d1'$$),
	'23514 flashcard_sets_desired_retention_check', 'a deck''s retention is 0.70 .. 0.99');

-- ---- notes -----------------------------------------------------------------

SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'image', 'Q', 'A',
		pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_kind_check', 'a note is basic, reversed or cloze');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'basic', ' ', 'A',
		pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_front_check', 'a front is not blank');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'basic',
		repeat('f', 10001), 'A', pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_front_check', 'a front is at most 10000 characters');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'basic', 'Q',
		repeat('b', 10001), pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_back_check', 'a back is at most 10000 characters');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'basic', 'Q',
		pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_check', 'a basic note needs a back');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'reversed', 'Q', '  ',
		pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_check', 'so does a reversed one, and blanks are no back');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'cloze',
		'SSH is port {{c1::22}}', pg_temp.uid('sarah_network'))$$),
	'ok', 'a cloze note does not');

-- Objectives are the deck's exam's.
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, objective_codes,
		created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d5', 'basic', 'Q', 'A',
		'{1.4}', pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_objectives_in_exam', 'a deck without an exam has no objectives');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, objective_codes,
		created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d7', 'basic', 'Q', 'A',
		'{1.4}', pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_objectives_in_exam',
	'an objective of another exam is refused');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, objective_codes,
		created_by)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021d1', 'basic', 'Q', 'A',
		'{1.4,9.9}', pg_temp.uid('sarah_network'))$$),
	'23514 flashcard_notes_objectives_in_exam',
	'as is a code that is no objective, after a good one');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcard_notes (id, org_id, set_id, kind, front, back, objective_codes,
		created_by)
	VALUES ('00000000-0000-4000-8000-0000000021a1', pg_temp.org(),
		'00000000-0000-4000-8000-0000000021d1', 'reversed', 'SSH', '22', '{1.4}',
		pg_temp.uid('sarah_network'))$$),
	'ok', 'the exam''s objective goes in');
SELECT is((SELECT version FROM flashcard_notes WHERE id = '00000000-0000-4000-8000-0000000021a1'),
	1, 'a new note is version 1');
UPDATE flashcard_notes SET back = 'TCP 22' WHERE id = '00000000-0000-4000-8000-0000000021a1';
SELECT is((SELECT version FROM flashcard_notes WHERE id = '00000000-0000-4000-8000-0000000021a1'),
	2, 'the version moves on with a change');
SELECT is(pg_temp.refused($$
	UPDATE flashcard_notes SET objective_codes = '{9.9}'
	WHERE id = '00000000-0000-4000-8000-0000000021a1'$$),
	'23514 flashcard_notes_objectives_in_exam', 'objectives are checked on a change too');
SELECT is((SELECT objective_codes FROM flashcard_notes
	WHERE id = '00000000-0000-4000-8000-0000000021a1'), '{1.4}'::text[],
	'and the note keeps its own');

-- ---- cards -----------------------------------------------------------------

INSERT INTO flashcards (id, org_id, note_id, set_id, ordinal)
VALUES ('00000000-0000-4000-8000-0000000021c2', pg_temp.org(),
	'00000000-0000-4000-8000-0000000021a1', '00000000-0000-4000-8000-0000000021d1', 2),
	('00000000-0000-4000-8000-0000000021c0', pg_temp.org(),
	'00000000-0000-4000-8000-0000000021a1', '00000000-0000-4000-8000-0000000021d1', 0),
	('00000000-0000-4000-8000-0000000021c1', pg_temp.org(),
	'00000000-0000-4000-8000-0000000021a1', '00000000-0000-4000-8000-0000000021d1', 1);

SELECT is(pg_temp.refused($$
	INSERT INTO flashcards (org_id, note_id, set_id, ordinal)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021a1',
		'00000000-0000-4000-8000-0000000021d1', 1)$$),
	'23505 flashcards_note_id_ordinal_key', 'a note has one card per ordinal');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcards (org_id, note_id, set_id, ordinal)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021a1',
		'00000000-0000-4000-8000-0000000021d1', 100)$$),
	'23514 flashcards_ordinal_check', 'an ordinal is at most 99');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcards (org_id, note_id, set_id, ordinal)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021a1',
		'00000000-0000-4000-8000-0000000021d1', -1)$$),
	'23514 flashcards_ordinal_check', 'and not negative');
SELECT is(pg_temp.refused($$
	INSERT INTO flashcards (org_id, note_id, set_id, ordinal)
	VALUES (pg_temp.org(), '00000000-0000-4000-8000-0000000021a1',
		'00000000-0000-4000-8000-0000000021d1', 99)$$),
	'ok', 'ordinal 99 is fine');

-- flashcard_note_json: the cards not deleted, in ordinal order.
SELECT is((SELECT array_agg((c.v ->> 'ordinal')::integer ORDER BY c.i)
	FROM flashcard_notes n,
		jsonb_array_elements(flashcard_note_json(n) -> 'cards') WITH ORDINALITY c (v, i)
	WHERE n.id = '00000000-0000-4000-8000-0000000021a1'),
	ARRAY[0, 1, 2, 99], 'a note''s JSON lists its cards in ordinal order');
UPDATE flashcards SET deleted_at = now()
WHERE id = '00000000-0000-4000-8000-0000000021c1'
	OR (note_id = '00000000-0000-4000-8000-0000000021a1' AND ordinal = 99);
SELECT is((SELECT array_agg((c.v ->> 'ordinal')::integer ORDER BY c.i)
	FROM flashcard_notes n,
		jsonb_array_elements(flashcard_note_json(n) -> 'cards') WITH ORDINALITY c (v, i)
	WHERE n.id = '00000000-0000-4000-8000-0000000021a1'),
	ARRAY[0, 2], 'and leaves the deleted ones out');
SELECT is((SELECT flashcard_note_json(n) -> 'cards' -> 1 ->> 'id' FROM flashcard_notes n
	WHERE n.id = '00000000-0000-4000-8000-0000000021a1'),
	'00000000-0000-4000-8000-0000000021c2', 'each with its id');
SELECT is((SELECT flashcard_note_json(n) -> 'cards' FROM flashcard_notes n
	WHERE n.front = 'SSH is port {{c1::22}}'), '[]'::jsonb,
	'a note without cards has an empty list');
SELECT is((SELECT flashcard_set_json(d, 'owner') ->> 'exam' FROM flashcard_sets d
	WHERE d.id = '00000000-0000-4000-8000-0000000021d1'), 'network',
	'a deck''s JSON names its exam by code');

-- ---- a learner's memory of a card ------------------------------------------

CREATE FUNCTION pg_temp.progress(p_state integer, p_last timestamptz, p_reps integer,
	p_difficulty double precision DEFAULT 5, p_stability double precision DEFAULT 3)
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format($q$
		INSERT INTO user_flashcard_progress (user_id, card_id, org_id, state, last_review,
			reps, difficulty, stability)
		VALUES (%L, '00000000-0000-4000-8000-0000000021c0', %L, %s, %L, %s, %s, %s)$q$,
		pg_temp.uid('mike_netplus'), pg_temp.org(), p_state, p_last, p_reps, p_difficulty,
		p_stability))
$$;

SELECT is(pg_temp.progress(4, now(), 1), '23514 user_flashcard_progress_state_check',
	'a state is 0 .. 3');
SELECT is(pg_temp.progress(-1, now(), 1), '23514 user_flashcard_progress_state_check',
	'and never negative');
SELECT is(pg_temp.progress(0, now(), 0, 0, 0), '23514 user_flashcard_progress_check',
	'a new card was never reviewed');
SELECT is(pg_temp.progress(2, NULL, 1), '23514 user_flashcard_progress_check',
	'a card in review was');
SELECT is(pg_temp.progress(0, NULL, 1, 0, 0), '23514 user_flashcard_progress_check1',
	'a new card has no reps');
SELECT is(pg_temp.progress(1, now(), 0), '23514 user_flashcard_progress_check1',
	'a card in learning has');
SELECT is(pg_temp.progress(0, NULL, 0, 0.5), '23514 user_flashcard_progress_difficulty_check',
	'a difficulty is 0 (unset) or 1 .. 10');
SELECT is(pg_temp.progress(2, now(), 1, 0, 0), '23514 user_flashcard_progress_check2',
	'a reviewed card has a memory: a stability and a difficulty');
SELECT is(pg_temp.progress(2, now(), 1, 10.5), '23514 user_flashcard_progress_difficulty_check',
	'and no more than 10');
SELECT is(pg_temp.progress(0, NULL, 0, 0, -1), '23514 user_flashcard_progress_stability_check',
	'a stability is not negative');
SELECT is(pg_temp.progress(2, now(), 1, 5, 36501),
	'23514 user_flashcard_progress_stability_check', 'nor above 36500 days');
SELECT is(pg_temp.refused(format($q$
	INSERT INTO user_flashcard_progress (user_id, card_id, org_id)
	VALUES (%L, '00000000-0000-4000-8000-0000000021c2', %L)$q$,
	pg_temp.uid('mike_netplus'), pg_temp.org())), 'ok',
	'a new card''s row takes the defaults');
SELECT is(pg_temp.progress(2, now(), 1, 10, 36500), 'ok', 'a card in review goes in');
SELECT is(pg_temp.progress(2, now(), 1), '23505 user_flashcard_progress_pkey',
	'a learner has one memory of a card');

-- ---- settings --------------------------------------------------------------

INSERT INTO flashcard_settings (user_id, org_id)
VALUES (pg_temp.uid('sarah_network'), pg_temp.org());
SELECT is((SELECT jsonb_build_object('retention', desired_retention::text,
		'new', new_per_day, 'reviews', reviews_per_day, 'learning', learning_steps,
		'relearning', relearning_steps, 'max', max_interval_days,
		'bury', bury_siblings, 'balance', load_balance, 'easy', easy_days::text,
		'mistakes', cards_from_mistakes, 'params', params, 'count', reviews)
	FROM flashcard_settings WHERE user_id = pg_temp.uid('sarah_network')),
	jsonb_build_object('retention', '0.90', 'new', 20, 'reviews', 200,
		'learning', ARRAY[60, 600], 'relearning', ARRAY[600], 'max', 36500,
		'bury', true, 'balance', true, 'easy', '{1.00,1.00,1.00,1.00,1.00,1.00,1.00}',
		'mistakes', 'offer', 'params', NULL, 'count', 0),
	'the settings'' defaults');

SELECT is(flashcard_steps_ok('{60,600}'), true, 'steps: ascending');
SELECT is(flashcard_steps_ok('{}'), true, 'steps: none');
SELECT is(flashcard_steps_ok('{600,60}'), false, 'steps: not descending');
SELECT is(flashcard_steps_ok('{60,60}'), false, 'steps: each longer than the one before');
SELECT is(flashcard_steps_ok('{0,60}'), false, 'steps: positive');
SELECT is(flashcard_steps_ok('{-60}'), false, 'steps: not negative');
SELECT is(flashcard_steps_ok('{60,NULL}'), false, 'steps: no nulls');
SELECT is(flashcard_steps_ok('{1,2,3,4,5,6,7,8}'), true, 'steps: eight');
SELECT is(flashcard_steps_ok('{1,2,3,4,5,6,7,8,9}'), false, 'steps: not nine');
SELECT is(pg_temp.refused($$UPDATE flashcard_settings SET learning_steps = '{600,60}'
	WHERE user_id = pg_temp.uid('sarah_network')$$),
	'23514 flashcard_settings_learning_steps_check', 'the learning steps are checked');
SELECT is(pg_temp.refused($$UPDATE flashcard_settings
	SET relearning_steps = '{1,2,3,4,5,6,7,8,9}'
	WHERE user_id = pg_temp.uid('sarah_network')$$),
	'23514 flashcard_settings_relearning_steps_check', 'and the relearning ones');

SELECT is(flashcard_easy_days_ok('{1,1,1,1,1,0.5,0}'), true, 'easy days: seven shares');
SELECT is(flashcard_easy_days_ok('{0,0,0,0,0,0,0.01}'), true, 'easy days: one above 0');
SELECT is(flashcard_easy_days_ok('{0,0,0,0,0,0,0}'), false, 'easy days: not all 0');
SELECT is(flashcard_easy_days_ok('{1,1,1,1,1,1}'), false, 'easy days: not six');
SELECT is(flashcard_easy_days_ok('{1,1,1,1,1,1,1,1}'), false, 'easy days: not eight');
SELECT is(flashcard_easy_days_ok('{1,1,1,1,1,1,1.5}'), false, 'easy days: at most 1');
SELECT is(flashcard_easy_days_ok('{1,1,1,1,1,1,-0.5}'), false, 'easy days: at least 0');
SELECT is(flashcard_easy_days_ok('{1,1,1,1,1,1,NULL}'), false, 'easy days: no nulls');
SELECT is(pg_temp.refused($$UPDATE flashcard_settings SET easy_days = '{0,0,0,0,0,0,0}'
	WHERE user_id = pg_temp.uid('sarah_network')$$),
	'23514 flashcard_settings_easy_days_check', 'the easy days are checked');

SELECT is(pg_temp.refused($$UPDATE flashcard_settings
	SET params = array_fill(0.5::double precision, ARRAY[20])
	WHERE user_id = pg_temp.uid('sarah_network')$$),
	'23514 flashcard_settings_params_check', 'FSRS-6 has 21 parameters, not 20');
SELECT is(pg_temp.refused($$UPDATE flashcard_settings
	SET params = array_fill(0.5::double precision, ARRAY[21])
	WHERE user_id = pg_temp.uid('sarah_network')$$),
	'ok', 'and 21 are fine');
SELECT is(pg_temp.refused($$UPDATE flashcard_settings SET cards_from_mistakes = 'always'
	WHERE user_id = pg_temp.uid('sarah_network')$$),
	'23514 flashcard_settings_cards_from_mistakes_check',
	'cards from mistakes: off, offer or make');

-- ---- the review log --------------------------------------------------------

CREATE FUNCTION pg_temp.review(p_rating integer, p_duration integer,
	p_at timestamptz DEFAULT now(),
	p_id uuid DEFAULT '00000000-0000-4000-8000-0000000021e0')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format($q$
		INSERT INTO flashcard_reviews (id, org_id, user_id, card_id, rating, reviewed_at,
			scheduled_seconds, duration_ms, state, step, stability, difficulty, due,
			reps, lapses, state_after, stability_after, difficulty_after)
		VALUES (%L, %L, %L, '00000000-0000-4000-8000-0000000021c0', %s, %L, 600, %s,
			0, 0, 0, 0, %L, 0, 0, 1, 0.4, 5.3)$q$,
		p_id, pg_temp.org(), pg_temp.uid('sarah_network'), p_rating, p_at, p_duration,
		p_at))
$$;

SELECT is(pg_temp.review(0, 1000), '23514 flashcard_reviews_rating_check',
	'a rating is 1 .. 4');
SELECT is(pg_temp.review(5, 1000), '23514 flashcard_reviews_rating_check', 'not 5');
SELECT is(pg_temp.review(3, -1), '23514 flashcard_reviews_duration_ms_check',
	'a duration is not negative');
SELECT is(pg_temp.review(3, 3600001), '23514 flashcard_reviews_duration_ms_check',
	'and at most an hour');
SELECT is(pg_temp.review(4, 3600000), 'ok', 'a review goes in');
SELECT is((SELECT tableoid::regclass::text FROM flashcard_reviews
	WHERE id = '00000000-0000-4000-8000-0000000021e0'),
	'flashcard_reviews_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM'),
	'into this month''s partition, not the default one');
SELECT is(pg_temp.review(3, 0, '1999-06-01 12:00Z', '00000000-0000-4000-8000-0000000021e9'),
	'ok', 'a review from long ago goes in');
SELECT is((SELECT tableoid::regclass::text FROM flashcard_reviews
	WHERE id = '00000000-0000-4000-8000-0000000021e9'), 'flashcard_reviews_default',
	'into the default partition');

-- Append-only for the app: it marks a review undone, once, and no more.
DO $$BEGIN PERFORM set_config('ludus.org_id', pg_temp.org()::text, true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is((SELECT count(*)::integer FROM flashcard_reviews
	WHERE id = '00000000-0000-4000-8000-0000000021e0'), 1,
	'ludus_app sees the review of its organization');
SELECT throws_ok($$DELETE FROM flashcard_reviews
	WHERE id = '00000000-0000-4000-8000-0000000021e0'$$,
	'42501', NULL, 'ludus_app deletes no review');
SELECT throws_ok($$UPDATE flashcard_reviews SET rating = 1
	WHERE id = '00000000-0000-4000-8000-0000000021e0'$$,
	'42501', NULL, 'nor changes one');
SELECT throws_ok($$UPDATE flashcard_reviews SET rating = 1, undone_at = now()
	WHERE id = '00000000-0000-4000-8000-0000000021e0'$$,
	'42501', NULL, 'not even along with undoing it');
WITH u AS (UPDATE flashcard_reviews SET undone_at = now()
	WHERE id = '00000000-0000-4000-8000-0000000021e0' RETURNING 1)
SELECT is(count(*)::integer, 1, 'it marks a review undone') FROM u;
SELECT is(pg_temp.refused($$UPDATE flashcard_reviews SET undone_at = now()
	WHERE id = '00000000-0000-4000-8000-0000000021e0'$$),
	'23514 flashcard_reviews_undo_once', 'once');
SELECT is(pg_temp.refused($$UPDATE flashcard_reviews SET undone_at = NULL
	WHERE id = '00000000-0000-4000-8000-0000000021e0'$$),
	'23514 flashcard_reviews_undo_once', 'and never redoes it');
-- A partition named directly is append-only too (the triggers are on
-- every partition, whatever its grants).
SELECT throws_ok(format('DELETE FROM %s WHERE id = %L',
	(SELECT tableoid::regclass FROM flashcard_reviews
		WHERE id = '00000000-0000-4000-8000-0000000021e0'),
	'00000000-0000-4000-8000-0000000021e0'),
	'42501', NULL, 'nor deletes it through its partition');
SELECT throws_ok(format('UPDATE %s SET rating = 2 WHERE id = %L',
	(SELECT tableoid::regclass FROM flashcard_reviews
		WHERE id = '00000000-0000-4000-8000-0000000021e0'),
	'00000000-0000-4000-8000-0000000021e0'),
	'42501', NULL, 'nor rewrites it there');
RESET ROLE;
SELECT is((SELECT undone_at IS NOT NULL AND rating = 4 FROM flashcard_reviews
	WHERE id = '00000000-0000-4000-8000-0000000021e0'), true,
	'the review stays, marked undone, its rating as it was');

-- ---- who studies a deck ----------------------------------------------------

SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d1', 'sarah_network'), 'owner',
	'a learner owns her deck');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d1', 'mike_netplus'), NULL,
	'another learner has no part in it');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d1', 'admin', true), NULL,
	'nor has an editor of all content');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d2', 'instructor'), 'editor',
	'the course''s owner edits its deck');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d2', 'admin'), NULL,
	'someone neither enrolled nor an author has no part in it');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d2', 'admin', true), 'editor',
	'an editor of all content edits it');
INSERT INTO course_collaborators (course_id, user_id, org_id)
VALUES ('4e700009-0000-4000-8000-000000000001', pg_temp.uid('jane_tech'), pg_temp.org());
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d2', 'jane_tech'), 'editor',
	'so does a collaborator of the course');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d2', 'sarah_network'), 'learner',
	'a learner enrolled in the course studies it');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d4', 'sarah_network'), NULL,
	'a deleted deck is nobody''s');
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d6', 'instructor'), NULL,
	'a deleted course deck neither');

SELECT bag_eq($$SELECT * FROM flashcard_decks_for(pg_temp.uid('sarah_network'))$$,
	$$VALUES ('00000000-0000-4000-8000-0000000021d1'::uuid),
		('00000000-0000-4000-8000-0000000021d5'), ('00000000-0000-4000-8000-0000000021d7'),
		('00000000-0000-4000-8000-0000000021d2')$$,
	'a learner studies her decks and her course''s, once each');
SELECT bag_eq($$SELECT * FROM flashcard_decks_for(pg_temp.uid('instructor'))$$,
	$$VALUES ('00000000-0000-4000-8000-0000000021d2'::uuid)$$,
	'an author studies the decks of the course');
SELECT bag_eq($$SELECT * FROM flashcard_decks_for(pg_temp.uid('jane_tech'))$$,
	$$VALUES ('00000000-0000-4000-8000-0000000021d2'::uuid)$$,
	'a collaborator who is enrolled too has the course''s deck once');

UPDATE enrollments SET status = 'dropped'
WHERE user_id = pg_temp.uid('sarah_network')
	AND course_id = '4e700009-0000-4000-8000-000000000001';
SELECT is(pg_temp.role('00000000-0000-4000-8000-0000000021d2', 'sarah_network'), NULL,
	'a learner who dropped the course no longer studies its deck');
SELECT bag_eq($$SELECT * FROM flashcard_decks_for(pg_temp.uid('sarah_network'))$$,
	$$VALUES ('00000000-0000-4000-8000-0000000021d1'::uuid),
		('00000000-0000-4000-8000-0000000021d5'), ('00000000-0000-4000-8000-0000000021d7')$$,
	'and has only her own decks');

-- ---- days ------------------------------------------------------------------

SELECT is((SELECT day FROM local_day_bounds('2026-03-08 12:00Z', 'America/New_York')),
	'2026-03-08'::date, 'the local day holding a time');
SELECT is((SELECT day_start FROM local_day_bounds('2026-03-08 12:00Z', 'America/New_York')),
	'2026-03-08 05:00Z'::timestamptz, 'starts at local midnight (EST)');
SELECT is((SELECT day_end - day_start
	FROM local_day_bounds('2026-03-08 12:00Z', 'America/New_York')),
	interval '23 hours', 'and the day the clocks go forward has 23 hours');
SELECT is((SELECT day FROM local_day_bounds('2026-03-08 03:00Z', 'America/New_York')),
	'2026-03-07'::date, 'before local midnight it is the day before');
SELECT is((SELECT day_end - day_start FROM local_day_bounds('2026-03-08 12:00Z', 'UTC')),
	interval '24 hours', 'a UTC day has 24');
SELECT is((SELECT day_start FROM local_day_bounds('2026-03-08 12:00Z', 'UTC')),
	'2026-03-08 00:00Z'::timestamptz, 'from midnight UTC');

-- ---- XP --------------------------------------------------------------------

SELECT is(pg_temp.refused($$
	INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key)
	VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), 'flashcards', 2,
		'Reviewed flashcards', 'flashcards:pgtap')$$),
	'ok', 'reviews earn XP');
SELECT is(pg_temp.refused($$
	INSERT INTO xp_events (org_id, user_id, source, amount, reason, idempotency_key)
	VALUES (pg_temp.org(), pg_temp.uid('sarah_network'), 'cards', 2,
		'Reviewed flashcards', 'cards:pgtap')$$),
	'23514 xp_events_source_check', 'the sources are still checked');

SELECT * FROM finish();
ROLLBACK;
