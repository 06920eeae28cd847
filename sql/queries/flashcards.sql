-- Flashcards: decks, notes and their cards, the review queue, reviews and
-- their undo, a learner's card actions and settings (migration 0021).

-- name: fc_decks_mine
-- $1 user: the decks I study, with their cards, what is new to me and
-- what is due by the end of my day.
WITH tz AS (
	SELECT b.day_end FROM local_day_bounds(now(), coalesce(
		(SELECT timezone FROM user_profiles WHERE user_id = $1), 'UTC')) b
)
SELECT coalesce(jsonb_agg(flashcard_set_json(d, flashcard_deck_role(d, $1,
		false)) || jsonb_build_object('cards', n.cards, 'new', n.new,
		'due', n.due) ORDER BY d.course_id NULLS FIRST, d.title, d.id),
	'[]')
FROM flashcard_sets d
CROSS JOIN tz
CROSS JOIN LATERAL (
	SELECT count(*) AS cards,
		count(*) FILTER (WHERE p.card_id IS NULL OR p.state = 0) AS new,
		count(*) FILTER (WHERE p.state > 0 AND p.due < tz.day_end
			AND NOT p.suspended AND (p.buried_until IS NULL
				OR p.buried_until <= now())) AS due
	FROM flashcards c
	LEFT JOIN user_flashcard_progress p ON p.user_id = $1
		AND p.card_id = c.id
	WHERE c.set_id = d.id AND c.deleted_at IS NULL) n
WHERE d.id IN (SELECT flashcard_decks_for($1))

-- name: fc_course_decks
-- $1 course, $2 user, $3 edit_all: a course's decks as I may see them;
-- null when there is no such course.
SELECT CASE WHEN EXISTS (SELECT 1 FROM courses WHERE id = $1
		AND deleted_at IS NULL) THEN
	(SELECT coalesce(jsonb_agg(flashcard_set_json(d, r.role)
		ORDER BY d.title, d.id), '[]')
	FROM flashcard_sets d
	CROSS JOIN LATERAL (SELECT flashcard_deck_role(d, $2, $3) AS role) r
	WHERE d.course_id = $1 AND r.role IS NOT NULL) END

-- name: fc_deck_access
-- $1 deck, $2 user, $3 edit_all: my role on the deck (null: none), locked
-- for a change, with its version, course and exam.
SELECT flashcard_deck_role(d, $2, $3), d.version, d.course_id, d.exam_id
FROM flashcard_sets d
WHERE d.id = $1
FOR UPDATE

-- name: fc_deck_get
-- $1 deck, $2 user, $3 edit_all: the deck as I see it, or no row.
SELECT flashcard_set_json(d, r.role) || jsonb_build_object('cards',
	(SELECT count(*) FROM flashcards c WHERE c.set_id = d.id
		AND c.deleted_at IS NULL),
	'notes', (SELECT count(*) FROM flashcard_notes n WHERE n.set_id = d.id
		AND n.deleted_at IS NULL))
FROM flashcard_sets d
CROSS JOIN LATERAL (SELECT flashcard_deck_role(d, $2, $3) AS role) r
WHERE d.id = $1 AND r.role IS NOT NULL

-- name: fc_deck_insert
-- $1 org, $2 owner (or null), $3 course (or null), $4 author, $5 title,
-- $6 description, $7 exam code (or null), $8 retention (or null), $9 fuzz:
-- no row when the learner has 1,000 decks, or the course 100.
INSERT INTO flashcard_sets (org_id, owner_id, course_id, created_by, title,
	description, exam_id, desired_retention, fuzz)
SELECT $1, $2, $3, $4, $5, coalesce($6, ''),
	(SELECT id FROM exams WHERE code = $7), $8::numeric, $9::boolean
WHERE (SELECT count(*) FROM flashcard_sets d WHERE d.deleted_at IS NULL
	AND (d.owner_id = $2 OR d.course_id = $3))
	< CASE WHEN $2::uuid IS NULL THEN 100 ELSE 1000 END
RETURNING id

-- name: fc_deck_update
-- $1 deck, $2 title, $3 description, $4 exam code, $5 clear the exam,
-- $6 retention, $7 clear the retention, $8 fuzz (each null: unchanged)
UPDATE flashcard_sets SET title = coalesce($2, title),
	description = coalesce($3, description),
	exam_id = CASE WHEN $5::boolean THEN NULL WHEN $4::text IS NULL THEN exam_id
		ELSE (SELECT id FROM exams WHERE code = $4) END,
	desired_retention = CASE WHEN $7::boolean THEN NULL
		ELSE coalesce($6::numeric, desired_retention) END,
	fuzz = coalesce($8::boolean, fuzz), version = version + 1
WHERE id = $1

-- name: fc_deck_delete
-- $1 deck: gone from every list and queue (its notes and cards stay, for
-- the review log).
UPDATE flashcard_sets SET deleted_at = now(), version = version + 1
WHERE id = $1 AND deleted_at IS NULL

-- name: fc_notes_list
-- $1 deck, $2 after (a note id, or null), $3 limit, $4 tag (or null),
-- $5 text to look for (or null): the deck's notes, oldest first.
SELECT coalesce(jsonb_agg(flashcard_note_json(n) ORDER BY n.id), '[]')
FROM (SELECT * FROM flashcard_notes n
	WHERE n.set_id = $1 AND n.deleted_at IS NULL
		AND ($2::uuid IS NULL OR n.id > $2)
		AND ($4::text IS NULL OR n.tags @> ARRAY[$4::text])
		AND ($5::text IS NULL OR strpos(lower(n.front || ' ' || n.back),
			lower($5)) > 0)
	ORDER BY n.id LIMIT $3::integer) n

-- name: fc_note_insert
-- $1 org, $2 deck, $3 kind, $4 front, $5 back, $6 tags, $7 objectives,
-- $8 author, $9 question (or null), $10 lesson (or null): no row when
-- the deck is full.
INSERT INTO flashcard_notes (org_id, set_id, kind, front, back, tags,
	objective_codes, created_by, question_id, lesson_id)
SELECT $1, $2, $3, $4, coalesce($5, ''), coalesce($6::text[], '{}'),
	coalesce($7::text[], '{}'), $8, $9, $10
WHERE fc_deck_room($2) > 0
RETURNING id

-- name: fc_note_access
-- $1 note, $2 user, $3 edit_all: the note's deck, my role on it, the
-- note's kind, front and back, version and whether it is deleted, locked.
SELECT n.set_id, flashcard_deck_role(d, $2, $3), n.kind, n.front, n.back,
	n.version, n.deleted_at IS NOT NULL
FROM flashcard_notes n JOIN flashcard_sets d ON d.id = n.set_id
WHERE n.id = $1
FOR UPDATE OF n

-- name: fc_note_get
-- $1 note: the note as the API shows it.
SELECT flashcard_note_json(n) FROM flashcard_notes n WHERE n.id = $1

-- name: fc_note_update
-- $1 note, $2 kind, $3 front, $4 back, $5 tags, $6 objectives (each null:
-- unchanged)
UPDATE flashcard_notes SET kind = coalesce($2, kind),
	front = coalesce($3, front), back = coalesce($4, back),
	tags = coalesce($5::text[], tags),
	objective_codes = coalesce($6::text[], objective_codes)
WHERE id = $1

-- name: fc_note_delete
-- $1 note: the note and its cards, soft.
WITH c AS (
	UPDATE flashcards SET deleted_at = now()
	WHERE note_id = $1 AND deleted_at IS NULL
)
UPDATE flashcard_notes SET deleted_at = now() WHERE id = $1
	AND deleted_at IS NULL

-- name: fc_cards_sync
-- $1 note, $2 org, $3 deck, $4 ordinals (integer[] literal): the note's
-- cards are those; a card that comes back is restored with its learners'
-- memory of it.
WITH want AS (
	SELECT DISTINCT unnest($4::integer[])::smallint AS o
), put AS (
	INSERT INTO flashcards (org_id, note_id, set_id, ordinal)
	SELECT $2, $1, $3, o FROM want
	ON CONFLICT (note_id, ordinal) DO UPDATE SET deleted_at = NULL
		WHERE flashcards.deleted_at IS NOT NULL
	RETURNING 1
)
UPDATE flashcards SET deleted_at = now()
WHERE note_id = $1 AND deleted_at IS NULL
	AND ordinal <> ALL (SELECT o FROM want)

-- name: fc_settings
-- $1 user, $2 org: my settings (made on first use), my time zone, the
-- bounds of my today and now (unix seconds).  The parameters (column 10)
-- are mine, else my organization's, else empty (FSRS-6's defaults); the
-- last column says which: mine, organization or default.
WITH made AS (
	INSERT INTO flashcard_settings (user_id, org_id) VALUES ($1, $2)
	ON CONFLICT DO NOTHING
	RETURNING *
), s AS (
	SELECT * FROM made
	UNION ALL
	SELECT * FROM flashcard_settings WHERE user_id = $1
)
SELECT s.desired_retention, s.new_per_day, s.reviews_per_day,
	array_to_string(s.learning_steps, ','),
	array_to_string(s.relearning_steps, ','), s.max_interval_days,
	s.bury_siblings, s.load_balance, array_to_string(s.easy_days, ','),
	s.cards_from_mistakes, array_to_string(coalesce(s.params, o.params), ','),
	s.params_fitted_at, s.reviews, z.tz, b.day_start, b.day_end,
	extract(epoch FROM now())::bigint, s.params_loss_before,
	s.params_loss_after, s.params_reviews,
	CASE WHEN s.params IS NOT NULL THEN 'mine'
		WHEN o.params IS NOT NULL THEN 'organization' ELSE 'default' END
FROM s
LEFT JOIN flashcard_org_params o ON o.org_id = $2
CROSS JOIN (SELECT coalesce((SELECT timezone FROM user_profiles
	WHERE user_id = $1), 'UTC') AS tz) z
CROSS JOIN LATERAL local_day_bounds(now(), z.tz) b
LIMIT 1

-- name: fc_settings_update
-- $1 user, $2 retention, $3 new per day, $4 reviews per day, $5 learning
-- steps, $6 relearning steps, $7 maximum interval, $8 bury siblings,
-- $9 load balance, $10 easy days, $11 cards from mistakes (each null:
-- unchanged)
UPDATE flashcard_settings SET
	desired_retention = coalesce($2::numeric, desired_retention),
	new_per_day = coalesce($3::integer, new_per_day),
	reviews_per_day = coalesce($4::integer, reviews_per_day),
	learning_steps = coalesce($5::integer[], learning_steps),
	relearning_steps = coalesce($6::integer[], relearning_steps),
	max_interval_days = coalesce($7::integer, max_interval_days),
	bury_siblings = coalesce($8::boolean, bury_siblings),
	load_balance = coalesce($9::boolean, load_balance),
	easy_days = coalesce($10::numeric[], easy_days),
	cards_from_mistakes = coalesce($11, cards_from_mistakes)
WHERE user_id = $1

-- name: fc_today
-- $1 user, $2 day start, $3 day end: what I did today, in every deck (the
-- limits are mine, not a deck's): new cards seen, review cards reviewed,
-- every review, and the seconds.
SELECT count(*) FILTER (WHERE r.state = 0),
	count(*) FILTER (WHERE r.state = 2), count(*),
	coalesce(sum(r.duration_ms), 0) / 1000
FROM flashcard_reviews r
WHERE r.user_id = $1 AND r.reviewed_at >= $2 AND r.reviewed_at < $3
	AND r.undone_at IS NULL

-- name: fc_queue
-- $1 user, $2 deck (or null: every deck I study), $3 now, $4 the end of
-- my day, $5 new cards left today, $6 review cards left today, $7 at most:
-- the cards to review, in order: learning and relearning cards due (up to
-- 20 minutes ahead, as Anki's learn-ahead), review cards due today, then
-- new ones, each with its note and my state of it.  Column 0 is the queue
-- (0 learning, 1 review, 2 new).
WITH decks AS (
	SELECT id FROM flashcard_decks_for($1) id
	WHERE $2::uuid IS NULL OR id = $2
), due AS (
	SELECT p.*, c.note_id, c.set_id, c.ordinal,
		CASE WHEN p.state = 2 THEN 1 ELSE 0 END AS q
	FROM user_flashcard_progress p
	JOIN flashcards c ON c.id = p.card_id AND c.deleted_at IS NULL
	WHERE p.user_id = $1 AND p.state > 0 AND NOT p.suspended
		AND (p.buried_until IS NULL OR p.buried_until <= $3)
		AND p.due < CASE WHEN p.state = 2 THEN $4::timestamptz
			ELSE $3::timestamptz + interval '20 minutes' END
		AND c.set_id IN (SELECT id FROM decks)
), learning AS (
	SELECT * FROM due WHERE q = 0 ORDER BY due, card_id LIMIT $7::integer
), review AS (
	SELECT * FROM due WHERE q = 1 ORDER BY due, card_id
	LIMIT least($6::integer, $7::integer)
), fresh AS (
	SELECT c.id AS card_id, c.note_id, c.set_id, c.ordinal
	FROM decks d
	CROSS JOIN LATERAL (
		SELECT c.* FROM flashcards c
		WHERE c.set_id = d.id AND c.deleted_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM user_flashcard_progress p
				WHERE p.user_id = $1 AND p.card_id = c.id
					AND (p.state > 0 OR p.suspended
						OR p.buried_until > $3))
		ORDER BY c.note_id, c.ordinal
		LIMIT least($5::integer, $7::integer)) c
	ORDER BY c.note_id, c.ordinal
	LIMIT least($5::integer, $7::integer)
), picked AS (
	SELECT 0 AS q, card_id, note_id, set_id, ordinal, state, step,
		stability, difficulty, due, last_review, reps, lapses
	FROM learning
	UNION ALL
	SELECT 1, card_id, note_id, set_id, ordinal, state, step, stability,
		difficulty, due, last_review, reps, lapses
	FROM review
	UNION ALL
	SELECT 2, card_id, note_id, set_id, ordinal, 0, 0, 0, 0, $3, NULL, 0, 0
	FROM fresh
)
SELECT k.q, k.card_id, k.note_id, k.set_id, d.title, n.kind, n.front,
	n.back, k.ordinal, k.state, k.step, k.stability, k.difficulty,
	extract(epoch FROM k.due)::bigint,
	extract(epoch FROM k.last_review)::bigint, k.reps, k.lapses,
	d.desired_retention, d.fuzz, to_json(n.tags), to_json(n.objective_codes)
FROM picked k
JOIN flashcard_notes n ON n.id = k.note_id
JOIN flashcard_sets d ON d.id = k.set_id
ORDER BY k.q, k.due, k.note_id, k.ordinal, k.card_id
LIMIT $7::integer

-- name: fc_counts
-- $1 user, $2 deck (or null), $3 now, $4 the end of my day: the cards
-- waiting now: learning, review (due today) and new (before the limits).
WITH decks AS (
	SELECT id FROM flashcard_decks_for($1) id
	WHERE $2::uuid IS NULL OR id = $2
)
SELECT count(*) FILTER (WHERE p.state IN (1, 3)
		AND p.due < $3::timestamptz + interval '20 minutes'),
	count(*) FILTER (WHERE p.state = 2 AND p.due < $4),
	(SELECT count(*) FROM flashcards c
	WHERE c.set_id IN (SELECT id FROM decks) AND c.deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM user_flashcard_progress p
			WHERE p.user_id = $1 AND p.card_id = c.id
				AND (p.state > 0 OR p.suspended OR p.buried_until > $3)))
FROM user_flashcard_progress p
JOIN flashcards c ON c.id = p.card_id AND c.deleted_at IS NULL
WHERE p.user_id = $1 AND p.state > 0 AND NOT p.suspended
	AND (p.buried_until IS NULL OR p.buried_until <= $3)
	AND c.set_id IN (SELECT id FROM decks)

-- name: fc_card_access
-- $1 card, $2 user, $3 edit_all: my role on the card's deck, whether the
-- card or its note is deleted, the note's kind, front and back, the
-- card's ordinal, note and deck, and the deck's retention and fuzz.
SELECT flashcard_deck_role(d, $2, $3),
	c.deleted_at IS NOT NULL OR n.deleted_at IS NOT NULL, n.kind, n.front,
	n.back, c.ordinal, c.note_id, c.set_id, d.desired_retention, d.fuzz
FROM flashcards c
JOIN flashcard_notes n ON n.id = c.note_id
JOIN flashcard_sets d ON d.id = c.set_id
WHERE c.id = $1

-- name: fc_progress_lock
-- $1 user, $2 org, $3 card: my state of the card (made new if I had
-- none), locked, times in unix seconds.
INSERT INTO user_flashcard_progress AS p (user_id, card_id, org_id)
VALUES ($1, $3, $2)
ON CONFLICT (user_id, card_id) DO UPDATE SET user_id = EXCLUDED.user_id
RETURNING p.state, p.step, p.stability, p.difficulty,
	extract(epoch FROM p.due)::bigint,
	extract(epoch FROM p.last_review)::bigint, p.reps, p.lapses,
	p.suspended, p.buried_until > now()

-- name: fc_loads
-- $1 user, $2 a time (unix seconds), $3 first day, $4 days, $5 time zone:
-- the review cards due on each of my days from the $3rd day after the one
-- holding $2 (local days, so that a change of clocks is not a day), as
-- "n,n,n", and the ISO weekday of the first (1 Monday .. 7 Sunday).
WITH b AS (
	SELECT (local_day_bounds(to_timestamp($2::bigint), $5)).day
		+ $3::integer AS first
)
SELECT string_agg(coalesce(x.n, 0)::text, ',' ORDER BY g.d),
	extract(isodow FROM (SELECT first FROM b))::integer
FROM generate_series(0, $4::integer - 1) g (d)
LEFT JOIN (
	SELECT (p.due AT TIME ZONE $5)::date - (SELECT first FROM b) AS d,
		count(*) AS n
	FROM user_flashcard_progress p
	WHERE p.user_id = $1 AND p.state = 2
		AND p.due >= (SELECT first FROM b)::timestamp AT TIME ZONE $5
		AND p.due < ((SELECT first FROM b) + $4::integer)::timestamp
			AT TIME ZONE $5
	GROUP BY 1) x ON x.d = g.d

-- name: fc_day_count
-- $1 user, $2 a time (unix seconds), $3 time zone: my reviews (not
-- undone) on the local day holding it.
SELECT count(*)
FROM flashcard_reviews r, local_day_bounds(to_timestamp($2::bigint), $3) b
WHERE r.user_id = $1 AND r.reviewed_at >= b.day_start
	AND r.reviewed_at < b.day_end AND r.undone_at IS NULL

-- name: fc_epoch
-- $1 a time as ISO 8601 text: unix seconds.
SELECT extract(epoch FROM $1::timestamptz)::bigint

-- name: fc_review_insert
-- $1 org, $2 user, $3 card, $4 rating, $5 reviewed at, $6 scheduled
-- seconds, $7 duration ms, $8 .. $15 the state before (state, step,
-- stability, difficulty, due, last review (unix seconds; null), reps,
-- lapses), $16 .. $18 after (state, stability, difficulty)
INSERT INTO flashcard_reviews (org_id, user_id, card_id, rating, reviewed_at,
	elapsed_seconds, scheduled_seconds, duration_ms, state, step, stability,
	difficulty, due, last_review, reps, lapses, state_after,
	stability_after, difficulty_after)
VALUES ($1, $2, $3, $4::smallint, $5::timestamptz,
	extract(epoch FROM $5::timestamptz)::bigint - $13::bigint,
	$6::bigint, $7::integer, $8::smallint, $9::smallint,
	$10::double precision, $11::double precision, to_timestamp($12::bigint),
	to_timestamp($13::bigint), $14::integer, $15::integer, $16::smallint,
	$17::double precision, $18::double precision)
RETURNING id

-- name: fc_progress_put
-- $1 user, $2 card, $3 state, $4 step, $5 stability, $6 difficulty,
-- $7 due, $8 last review (unix seconds; null), $9 reps, $10 lapses
UPDATE user_flashcard_progress SET state = $3::smallint,
	step = $4::smallint, stability = $5::double precision,
	difficulty = $6::double precision, due = to_timestamp($7::bigint),
	last_review = to_timestamp($8::bigint), reps = $9::integer,
	lapses = $10::integer, buried_until = NULL
WHERE user_id = $1 AND card_id = $2

-- name: fc_card_state
-- $1 user, $2 card: my state of the card as the API shows it.
SELECT jsonb_build_object('card_id', p.card_id,
	'state', (ARRAY['new', 'learning', 'review', 'relearning'])[p.state + 1],
	'step', p.step, 'stability', round(p.stability::numeric, 4),
	'difficulty', round(p.difficulty::numeric, 4), 'due', p.due,
	'last_review', p.last_review, 'reps', p.reps, 'lapses', p.lapses,
	'suspended', p.suspended,
	'buried_until', CASE WHEN p.buried_until > now() THEN p.buried_until END)
FROM user_flashcard_progress p
WHERE p.user_id = $1 AND p.card_id = $2

-- name: fc_bury_siblings
-- $1 user, $2 org, $3 card, $4 until: the card's new and review siblings
-- wait for tomorrow (those in (re)learning go on).
INSERT INTO user_flashcard_progress AS p (user_id, card_id, org_id,
	buried_until)
SELECT $1, s.id, $2, $4::timestamptz
FROM flashcards c
JOIN flashcards s ON s.note_id = c.note_id AND s.id <> c.id
	AND s.deleted_at IS NULL
WHERE c.id = $3
ON CONFLICT (user_id, card_id) DO UPDATE SET buried_until = EXCLUDED.buried_until
	WHERE p.state IN (0, 2)

-- name: fc_reviews_count
-- $1 user, $2 by how much: the number achievements look at.
UPDATE flashcard_settings SET reviews = reviews + $2::integer
WHERE user_id = $1

-- name: fc_last_review
-- $1 user: my latest review not undone, within the last day, with the
-- card's state before it, and whether the card was reviewed since.
SELECT r.id, r.reviewed_at, r.card_id, r.state, r.step, r.stability,
	r.difficulty, extract(epoch FROM r.due)::bigint,
	extract(epoch FROM r.last_review)::bigint, r.reps, r.lapses,
	p.reps = r.reps + 1 AND p.last_review = r.reviewed_at
FROM flashcard_reviews r
JOIN user_flashcard_progress p ON p.user_id = r.user_id
	AND p.card_id = r.card_id
WHERE r.user_id = $1 AND r.undone_at IS NULL
	AND r.reviewed_at > now() - interval '1 day'
ORDER BY r.recorded_at DESC, r.id DESC
LIMIT 1
FOR UPDATE OF p

-- name: fc_review_undo
-- $1 review, $2 its reviewed_at
UPDATE flashcard_reviews SET undone_at = now()
WHERE id = $1 AND reviewed_at = $2::timestamptz AND undone_at IS NULL

-- name: fc_card_suspend
-- $1 user, $2 org, $3 card, $4 suspended
INSERT INTO user_flashcard_progress AS p (user_id, card_id, org_id,
	suspended)
VALUES ($1, $3, $2, $4::boolean)
ON CONFLICT (user_id, card_id) DO UPDATE SET suspended = EXCLUDED.suspended

-- name: fc_card_bury
-- $1 user, $2 org, $3 card, $4 until (null: unbury)
INSERT INTO user_flashcard_progress AS p (user_id, card_id, org_id,
	buried_until)
VALUES ($1, $3, $2, $4::timestamptz)
ON CONFLICT (user_id, card_id) DO UPDATE
	SET buried_until = EXCLUDED.buried_until

-- name: fc_card_reset
-- $1 user, $2 card: new again (the log keeps its history).
UPDATE user_flashcard_progress SET state = 0, step = 0, stability = 0,
	difficulty = 0, due = now(), last_review = NULL, reps = 0, lapses = 0,
	buried_until = NULL
WHERE user_id = $1 AND card_id = $2

-- name: fc_card_log
-- $1 user, $2 card: my reviews of the card, newest first.
SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id,
	'rating', r.rating, 'reviewed_at', r.reviewed_at,
	'elapsed_seconds', r.elapsed_seconds,
	'scheduled_seconds', r.scheduled_seconds,
	'duration_ms', r.duration_ms,
	'state_before', (ARRAY['new', 'learning', 'review',
		'relearning'])[r.state + 1],
	'stability', round(r.stability_after::numeric, 4),
	'difficulty', round(r.difficulty_after::numeric, 4),
	'undone', r.undone_at IS NOT NULL)
	ORDER BY r.reviewed_at DESC, r.id DESC), '[]')
FROM flashcard_reviews r
WHERE r.user_id = $1 AND r.card_id = $2

-- name: fc_stats
-- $1 user, $2 deck (or null: every deck I study): my cards by state, my
-- reviews by day over the last year (the heatmap), the true retention of
-- Review cards by day over the last 30 days, and the review cards due on
-- each of the next 30 days (the first holds the overdue), in my days.
WITH z AS (
	SELECT coalesce((SELECT timezone FROM user_profiles WHERE user_id = $1),
		'UTC') AS tz
), b AS (
	SELECT z.tz, l.* FROM z, local_day_bounds(now(), z.tz) l
), cards AS (
	SELECT c.id FROM flashcards c
	WHERE c.set_id IN (SELECT id FROM flashcard_decks_for($1) id
			WHERE $2::uuid IS NULL OR id = $2)
		AND c.deleted_at IS NULL
), prog AS (
	SELECT p.* FROM user_flashcard_progress p
	WHERE p.user_id = $1 AND p.card_id IN (SELECT id FROM cards)
), log AS (
	SELECT (r.reviewed_at AT TIME ZONE b.tz)::date AS d, r.rating, r.state,
		r.duration_ms
	FROM flashcard_reviews r, b
	WHERE r.user_id = $1 AND r.undone_at IS NULL
		AND r.reviewed_at >= b.day_start - interval '365 days'
		AND ($2::uuid IS NULL OR r.card_id IN (SELECT id FROM cards))
)
SELECT json_build_object(
	'counts', json_build_object(
		'cards', (SELECT count(*) FROM cards),
		'new', (SELECT count(*) FROM cards)
			- (SELECT count(*) FROM prog WHERE state > 0),
		'learning', (SELECT count(*) FROM prog WHERE state = 1),
		'review', (SELECT count(*) FROM prog WHERE state = 2),
		'relearning', (SELECT count(*) FROM prog WHERE state = 3),
		'suspended', (SELECT count(*) FROM prog WHERE suspended)),
	'heatmap', (SELECT coalesce(json_agg(json_build_object('day', d,
			'reviews', n) ORDER BY d), '[]')
		FROM (SELECT d, count(*) AS n FROM log GROUP BY d) x),
	'retention', (SELECT coalesce(json_agg(json_build_object('day', d,
			'reviews', n, 'passed', passed,
			'retention', round(passed::numeric / n, 4)) ORDER BY d), '[]')
		FROM (SELECT l.d, count(*) AS n,
				count(*) FILTER (WHERE l.rating > 1) AS passed
			FROM log l, b WHERE l.state = 2 AND l.d > b.day - 30
			GROUP BY l.d) x),
	'forecast', (SELECT json_agg(json_build_object('day', b.day + g,
			'due', (SELECT count(*) FROM prog p
				WHERE p.state = 2 AND NOT p.suspended
					AND (g = 0 OR p.due >= ((b.day + g)::timestamp
						AT TIME ZONE b.tz))
					AND p.due < ((b.day + g + 1)::timestamp
						AT TIME ZONE b.tz))) ORDER BY g)
		FROM b, generate_series(0, 29) g),
	'minutes_last_30_days', (SELECT round(coalesce(sum(duration_ms), 0)
			/ 60000.0, 1)
		FROM log l, b WHERE l.d > b.day - 30))

-- name: fc_memory
-- $1 user, $2 deck (or null): my cards in Review and (re)learning with
-- their memory (as fc_progress_lock gives it, from column 1) and their
-- front, at most 20,000.
SELECT p.card_id, p.state, p.step, p.stability, p.difficulty,
	extract(epoch FROM p.due)::bigint,
	extract(epoch FROM p.last_review)::bigint, p.reps, p.lapses,
	left(n.front, 200)
FROM user_flashcard_progress p
JOIN flashcards c ON c.id = p.card_id AND c.deleted_at IS NULL
JOIN flashcard_notes n ON n.id = c.note_id
WHERE p.user_id = $1 AND p.state > 0 AND NOT p.suspended
	AND c.set_id IN (SELECT id FROM flashcard_decks_for($1) id
		WHERE $2::uuid IS NULL OR id = $2)
LIMIT 20000

-- name: fc_durations
-- $1 user: my average seconds over the last 90 days for a passed review,
-- a failed one and a new card (null where I have none), and the new cards
-- waiting in the decks I study.
SELECT avg(duration_ms) FILTER (WHERE state = 2 AND rating > 1) / 1000.0,
	avg(duration_ms) FILTER (WHERE state = 2 AND rating = 1) / 1000.0,
	avg(duration_ms) FILTER (WHERE state = 0) / 1000.0
FROM flashcard_reviews
WHERE user_id = $1 AND undone_at IS NULL AND duration_ms > 0
	AND reviewed_at > now() - interval '90 days'

-- name: fc_fit_log
-- $1 user: my reviews (undone ones left out) for the optimizer, card by
-- card in time order: card, rating, the state before (0 starts a card's
-- history again, after a reset) and the seconds since the review before.
SELECT r.card_id, r.rating, r.state, coalesce(r.elapsed_seconds, 0)
FROM flashcard_reviews r
WHERE r.user_id = $1 AND r.undone_at IS NULL
ORDER BY r.card_id, r.reviewed_at, r.recorded_at
LIMIT 2000000

-- name: fc_params_save
-- $1 user, $2 org, $3 parameters (double precision[] literal), $4 log loss
-- with the defaults, $5 with the fit, $6 reviews scored
INSERT INTO flashcard_settings AS s (user_id, org_id, params,
	params_fitted_at, params_loss_before, params_loss_after, params_reviews)
VALUES ($1, $2, $3::double precision[], now(), $4::double precision,
	$5::double precision, $6::integer)
ON CONFLICT (user_id) DO UPDATE SET params = EXCLUDED.params,
	params_fitted_at = now(), params_loss_before = EXCLUDED.params_loss_before,
	params_loss_after = EXCLUDED.params_loss_after,
	params_reviews = EXCLUDED.params_reviews

-- name: fc_params_reset
-- $1 user: back to FSRS-6's defaults.
UPDATE flashcard_settings SET params = NULL, params_fitted_at = NULL,
	params_loss_before = NULL, params_loss_after = NULL,
	params_reviews = NULL
WHERE user_id = $1

-- name: fc_fit_log_org
-- $1 org, $2 at most: its learners' reviews (undone ones left out) for the
-- optimizer, learner by learner, most recently active first (the one who
-- reviewed last, ties by id), each learner's card by card in time order:
-- learner, card, rating, the state before and the seconds since the review
-- before, as fc_fit_log.  Whole learners are taken until $2 reviews; the
-- last one taken may be cut, which leaves each of its cards the start of
-- its history.
WITH r AS (
	SELECT r.user_id, r.card_id, r.rating, r.state, r.elapsed_seconds,
		r.reviewed_at, r.recorded_at
	FROM flashcard_reviews r
	WHERE r.org_id = $1 AND r.undone_at IS NULL
), learners AS (
	SELECT user_id, sum(n) OVER (ORDER BY last DESC, user_id) - n AS before
	FROM (SELECT user_id, max(reviewed_at) AS last, count(*) AS n
		FROM r GROUP BY user_id) l
)
SELECT r.user_id, r.card_id, r.rating, r.state,
	coalesce(r.elapsed_seconds, 0)
FROM r JOIN learners l USING (user_id)
WHERE l.before < $2::bigint
ORDER BY l.before, r.card_id, r.reviewed_at, r.recorded_at
LIMIT $2::bigint

-- name: fc_org_params_save
-- $1 org, $2 parameters (double precision[] literal), $3 log loss with the
-- defaults, $4 with the fit, $5 reviews scored, $6 who asked: the
-- organization's parameters, as the audit shows them (the row before, or
-- null, and after).
WITH old AS (
	SELECT to_jsonb(p) - 'org_id' AS doc FROM flashcard_org_params p
	WHERE org_id = $1
), saved AS (
	INSERT INTO flashcard_org_params AS p (org_id, params, loss_before,
		loss_after, reviews, fitted_by)
	VALUES ($1, $2::double precision[], $3::double precision,
		$4::double precision, $5::integer, $6)
	ON CONFLICT (org_id) DO UPDATE SET params = EXCLUDED.params,
		loss_before = EXCLUDED.loss_before,
		loss_after = EXCLUDED.loss_after, reviews = EXCLUDED.reviews,
		fitted_at = now(), fitted_by = EXCLUDED.fitted_by
	RETURNING to_jsonb(p) - 'org_id' AS doc
)
SELECT (SELECT doc::text FROM old), (SELECT doc::text FROM saved)

-- name: fc_org_params
-- $1 org: its fitted parameters (text of a double precision[]), the log
-- losses before and after, reviews, when and by whom (id and username);
-- no row: FSRS-6's defaults.
SELECT array_to_string(p.params, ','), p.loss_before, p.loss_after,
	p.reviews, p.fitted_at, p.fitted_by, u.username
FROM flashcard_org_params p
LEFT JOIN users u ON u.id = p.fitted_by
WHERE p.org_id = $1

-- name: fc_org_params_reset
-- $1 org: back to FSRS-6's defaults; the row removed, as
-- fc_org_params_save shows it, or none.
DELETE FROM flashcard_org_params p WHERE p.org_id = $1
RETURNING (to_jsonb(p) - 'org_id')::text

-- name: fc_wrong_answer
-- $1 user, $2 question: the question (type, stem, explanation, body, exam,
-- objectives) when I answered it wrong where the answer is shown: in a
-- finished attempt, or checked at once (immediate feedback).
SELECT q.type, q.stem, coalesce(q.explanation, ''), q.body::text, q.exam_id,
	q.objective_codes::text
FROM questions q
WHERE q.id = $2 AND EXISTS (SELECT 1 FROM attempt_answers a
	JOIN attempts t ON t.id = a.attempt_id AND t.started_at = a.started_at
	WHERE a.question_id = $2 AND a.user_id = $1 AND a.is_correct = false
		AND (t.status <> 'in_progress' OR a.locked))

-- name: fc_attempt_mistakes
-- $1 user, $2 attempt: the questions I answered wrong in it, as
-- fc_wrong_answer gives them (with the id first), when my setting makes
-- cards of them.
SELECT q.id, q.type, q.stem, coalesce(q.explanation, ''), q.body::text,
	q.exam_id, q.objective_codes::text
FROM attempt_answers a
JOIN attempts t ON t.id = a.attempt_id AND t.started_at = a.started_at
JOIN questions q ON q.id = a.question_id
WHERE t.id = $2 AND t.user_id = $1 AND a.is_correct = false AND NOT t.preview
	AND EXISTS (SELECT 1 FROM flashcard_settings s WHERE s.user_id = $1
		AND s.cards_from_mistakes = 'make')
ORDER BY a.position
LIMIT 500

-- name: fc_mistakes_deck
-- $1 user, $2 org, $3 exam (or null): my deck of mistakes for the exam,
-- made if I have none.
WITH made AS (
	INSERT INTO flashcard_sets (org_id, owner_id, created_by, title, exam_id,
		source)
	SELECT $2, $1, $1, 'My mistakes' || coalesce(': ' || (SELECT e.name
		FROM exams e WHERE e.id = $3::uuid), ''), $3::uuid, 'mistakes'
	ON CONFLICT (owner_id, exam_id) WHERE source = 'mistakes'
		AND deleted_at IS NULL DO NOTHING
	RETURNING id
)
SELECT id FROM made
UNION ALL
SELECT id FROM flashcard_sets
WHERE owner_id = $1 AND source = 'mistakes'
	AND exam_id IS NOT DISTINCT FROM $3::uuid AND deleted_at IS NULL
LIMIT 1

-- name: fc_question_note
-- $1 org, $2 deck, $3 front, $4 back, $5 objectives, $6 author,
-- $7 question: the deck's note of the question, made if it has none (and
-- has room); whether it was made now.
WITH made AS (
	INSERT INTO flashcard_notes (org_id, set_id, kind, front, back,
		objective_codes, created_by, question_id)
	SELECT $1, $2, 'basic', $3, $4, $5::text[], $6, $7
	WHERE fc_deck_room($2) > 0
	ON CONFLICT (set_id, question_id) WHERE question_id IS NOT NULL
		AND deleted_at IS NULL DO NOTHING
	RETURNING id
)
SELECT id, true FROM made
UNION ALL
SELECT id, false FROM flashcard_notes
WHERE set_id = $2 AND question_id = $7 AND deleted_at IS NULL
LIMIT 1

-- name: fc_bank_questions
-- $1 questions (uuid[] literal): those of the bank (not deleted), as
-- fc_attempt_mistakes gives them.
SELECT q.id, q.type, q.stem, coalesce(q.explanation, ''), q.body::text,
	q.exam_id, q.objective_codes::text
FROM questions q
WHERE q.id = ANY ($1::uuid[]) AND q.deleted_at IS NULL
ORDER BY array_position($1::uuid[], q.id)

-- name: fc_deck_room
-- $1 deck: how many more notes it takes.
SELECT fc_deck_room($1)

-- name: fc_lesson_source
-- $1 lesson: its Markdown, course, objectives, the course's exam, and
-- whether it is published in a published course.
SELECT coalesce(l.content->>'markdown', ''), l.course_id,
	l.objective_codes::text, c.exam_id,
	l.status = 'published' AND c.status = 'published'
		AND l.deleted_at IS NULL AND c.deleted_at IS NULL
FROM lessons l JOIN courses c ON c.id = l.course_id
WHERE l.id = $1

-- name: fc_lesson_note
-- $1 org, $2 deck, $3 kind, $4 front, $5 back, $6 objectives, $7 author,
-- $8 lesson: a note of the lesson's, unless the deck has it already (the
-- caller made sure of the room).
INSERT INTO flashcard_notes (org_id, set_id, kind, front, back,
	objective_codes, created_by, lesson_id)
SELECT $1, $2, $3, $4, $5, $6::text[], $7, $8
WHERE NOT EXISTS (SELECT 1 FROM flashcard_notes n WHERE n.set_id = $2
	AND n.lesson_id = $8 AND n.front = $4 AND n.deleted_at IS NULL)
RETURNING id

-- name: fc_import_target
-- $1 deck: the deck a job imports into, still there: its retention and
-- fuzz (for replaying the reviews), and how many notes it has room for.
-- Locked, as a change of the deck locks it (fc_deck_access), so that the
-- room for notes and media is the import's until it commits.
SELECT d.desired_retention, d.fuzz, fc_deck_room(d.id)
FROM flashcard_sets d
WHERE d.id = $1 AND d.deleted_at IS NULL
FOR NO KEY UPDATE

-- name: fc_import_notes
-- $1 org, $2 deck, $3 author, $4 notes: a JSON array of {kind, front,
-- back, tags: [...], cards: [ordinal, ...]}: the notes and their cards in
-- one statement; each card's note (its index from 1), ordinal and id.
WITH n AS (
	SELECT e.i::integer AS i, e.x, uuid_v7() AS id
	FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY e (x, i)
), notes AS (
	INSERT INTO flashcard_notes (id, org_id, set_id, kind, front, back, tags,
		created_by)
	SELECT n.id, $1, $2, n.x->>'kind', n.x->>'front', n.x->>'back',
		ARRAY(SELECT jsonb_array_elements_text(n.x->'tags')), $3
	FROM n
), c AS (
	SELECT n.i, o.v::smallint AS ordinal, uuid_v7() AS id, n.id AS note_id
	FROM n, jsonb_array_elements_text(n.x->'cards') o (v)
), cards AS (
	INSERT INTO flashcards (id, org_id, note_id, set_id, ordinal)
	SELECT c.id, $1, c.note_id, $2, c.ordinal FROM c
)
SELECT i, ordinal, id FROM c ORDER BY i, ordinal

-- name: fc_import_reviews
-- $1 org, $2 user, $3 reviews: a JSON array of the log's rows, the
-- state before and after each (as fc_review_insert), times in unix
-- seconds.
INSERT INTO flashcard_reviews (org_id, user_id, card_id, rating, reviewed_at,
	elapsed_seconds, scheduled_seconds, duration_ms, state, step, stability,
	difficulty, due, last_review, reps, lapses, state_after,
	stability_after, difficulty_after)
SELECT $1, $2, r.card, r.rating, to_timestamp(r.at),
	r.at - r.last, r.ivl, r.ms, r.state, r.step, r.s, r.d, to_timestamp(r.due),
	to_timestamp(r.last), r.reps, r.lapses, r.state_after, r.s_after,
	r.d_after
FROM jsonb_to_recordset($3::jsonb) AS r (card uuid, rating smallint,
	at bigint, last bigint, ivl bigint, ms integer, state smallint,
	step smallint, s double precision, d double precision, due bigint,
	reps integer, lapses integer, state_after smallint,
	s_after double precision, d_after double precision)

-- name: fc_import_progress
-- $1 org, $2 user, $3 cards: a JSON array of {card, state, step, s, d,
-- due, last, reps, lapses}: my memory of each, as the replay left it.
INSERT INTO user_flashcard_progress (user_id, card_id, org_id, state, step,
	stability, difficulty, due, last_review, reps, lapses)
SELECT $2, p.card, $1, p.state, p.step, p.s, p.d, to_timestamp(p.due),
	to_timestamp(p.last), p.reps, p.lapses
FROM jsonb_to_recordset($3::jsonb) AS p (card uuid, state smallint,
	step smallint, s double precision, d double precision, due bigint,
	last bigint, reps integer, lapses integer)
ON CONFLICT (user_id, card_id) DO NOTHING

-- name: fc_export_notes
-- $1 deck: its notes, oldest first, with their tags as JSON.
SELECT n.id, n.kind, n.front, n.back, to_json(n.tags)
FROM flashcard_notes n
WHERE n.set_id = $1 AND n.deleted_at IS NULL
ORDER BY n.id
LIMIT 50001

-- name: fc_export_media_size
-- $1 deck: the bytes of its media, and how many files.
SELECT coalesce(sum(size_bytes), 0), count(*)
FROM flashcard_media WHERE set_id = $1

-- name: fc_export_media
-- $1 deck: its media files, names and bytes (asked for in binary).
SELECT f.name, b.data
FROM flashcard_media f
JOIN file_blobs b ON b.org_id = f.org_id AND b.sha256 = f.sha256
WHERE f.set_id = $1
ORDER BY f.name

-- name: fc_export_cards
-- $1 deck, $2 user: its cards with my reviews of them (undone ones left
-- out) as [[unix seconds, rating, duration ms], ...].
SELECT c.note_id, c.ordinal, coalesce((SELECT json_agg(json_build_array(
		extract(epoch FROM r.reviewed_at)::bigint, r.rating, r.duration_ms)
		ORDER BY r.reviewed_at)
	FROM flashcard_reviews r
	WHERE r.card_id = c.id AND r.user_id = $2 AND r.undone_at IS NULL),
	'[]')
FROM flashcards c
JOIN flashcard_notes n ON n.id = c.note_id AND n.deleted_at IS NULL
WHERE c.set_id = $1 AND c.deleted_at IS NULL
ORDER BY c.note_id, c.ordinal

-- name: fc_material_deck
-- $1 user, $2 org, $3 material, $4 course (or null), $5 title: the deck
-- of the material's accepted cards (the learner's own, or the course's),
-- made if it has none.
WITH made AS (
	INSERT INTO flashcard_sets (org_id, owner_id, course_id, created_by,
		title, source, material_id)
	SELECT $2, CASE WHEN $4::uuid IS NULL THEN $1::uuid END, $4::uuid, $1,
		left($5, 200), 'material', $3
	ON CONFLICT (material_id) WHERE source = 'material'
		AND deleted_at IS NULL DO NOTHING
	RETURNING id
)
SELECT id FROM made
UNION ALL
SELECT id FROM flashcard_sets
WHERE material_id = $3 AND source = 'material' AND deleted_at IS NULL
LIMIT 1

-- name: fc_media_list
-- $1 deck, $2 user, $3 edit_all: the deck's media and the room left, or
-- no row when I may not see the deck.
SELECT jsonb_build_object('role', r.role,
	'room', jsonb_build_object('files', m.files, 'bytes', m.bytes),
	'media', coalesce((SELECT jsonb_agg(flashcard_media_json(f)
			ORDER BY f.name)
		FROM flashcard_media f WHERE f.set_id = d.id), '[]'))
FROM flashcard_sets d
CROSS JOIN LATERAL (SELECT flashcard_deck_role(d, $2, $3) AS role) r
CROSS JOIN LATERAL fc_media_room(d.id) m
WHERE d.id = $1 AND r.role IS NOT NULL

-- name: fc_media_head
-- $1 deck, $2 user, $3 edit_all, $4 name: the file's type, SHA-256 (hex)
-- and size, or no row (no such file, or a deck I may not see).
SELECT f.media_type, encode(f.sha256, 'hex'), f.size_bytes
FROM flashcard_sets d
JOIN flashcard_media f ON f.set_id = d.id AND f.name = $4
WHERE d.id = $1 AND flashcard_deck_role(d, $2, $3) IS NOT NULL

-- name: fc_media_data
-- $1 deck, $2 name: the file's bytes (asked for in binary), once
-- fc_media_head has said that I may see them.
SELECT b.data
FROM flashcard_media f
JOIN file_blobs b ON b.org_id = f.org_id AND b.sha256 = f.sha256
WHERE f.set_id = $1 AND f.name = $2

-- name: fc_media_put
-- $1 org, $2 deck (locked by fc_deck_access), $3 name, $4 SHA-256 (hex),
-- $5 type, $6 size, $7 user: the file put under its name (a new one, or
-- replacing the one of that name) when the deck has room; true when new,
-- and the file; no row when the deck is full.
WITH old AS (
	SELECT size_bytes FROM flashcard_media WHERE set_id = $2 AND name = $3
), room AS (
	SELECT m.files + (SELECT count(*) FROM old) AS files,
		m.bytes + coalesce((SELECT size_bytes FROM old), 0) AS bytes
	FROM fc_media_room($2) m
)
INSERT INTO flashcard_media AS f (org_id, set_id, name, sha256, media_type,
	size_bytes, created_by)
SELECT $1, $2, $3, decode($4, 'hex'), $5, $6::integer, $7
FROM room WHERE room.files >= 1 AND room.bytes >= $6::integer
ON CONFLICT (set_id, name) DO UPDATE SET sha256 = excluded.sha256,
	media_type = excluded.media_type, size_bytes = excluded.size_bytes,
	created_by = excluded.created_by
RETURNING f.xmax = 0, flashcard_media_json(f)

-- name: fc_media_delete
-- $1 deck (locked by fc_deck_access), $2 name: removed; its name, or no
-- row.
DELETE FROM flashcard_media WHERE set_id = $1 AND name = $2
RETURNING name
