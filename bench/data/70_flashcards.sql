-- Bench data set, step 7: flashcards.  Each of the first ten courses has
-- a deck of 400 notes that make 500 cards (300 basic notes, 50 reversed
-- and 50 cloze ones of two cards each).  Learners
-- n = 1..20000 of the default organization (the students among them)
-- study the deck of course 1 + n % 10: they are enrolled in the course,
-- and have learned 350 of its cards over the last 300 days:
--   300 in Review, due from 5 days ago to 60 days ahead (so about a
--       twentieth is due today), stability 1 to 300 days;
--   50 in Learning or Relearning, due within the hour around now;
--   the other 150 are new.
-- Every learned card has its last review in the log, and one learner in
-- ten a long tail of 20 more on 20 of their cards, in the monthly
-- partitions.  That is about 7 million memory rows and 7.8 million
-- reviews: the queue and the review run against 20,000 learners x 500
-- cards with history.
--
--   bench.fc_learners  n, the learner's deck and its cards' ids (for wrk:
--                      a card of theirs to review)

SELECT ensure_monthly_partitions('flashcard_reviews',
	(now() - interval '14 months')::date, 15);

CREATE TEMP TABLE g_fc_decks AS
SELECT c.i, uuid_v7() AS id, c.id AS course_id, c.owner_id, c.exam_id,
	c.title
FROM g_courses c WHERE c.i <= 10;

INSERT INTO flashcard_sets (id, org_id, course_id, created_by, title,
	exam_id, created_at, updated_at)
SELECT d.id, (SELECT id FROM organizations WHERE is_default), d.course_id,
	d.owner_id, d.title || ': the cards', d.exam_id,
	now() - interval '320 days', now() - interval '320 days'
FROM g_fc_decks d;

CREATE TEMP TABLE g_fc_notes AS
SELECT d.i AS deck_i, d.id AS set_id, k, uuid_v7() AS id,
	CASE WHEN k % 8 = 3 THEN 'reversed' WHEN k % 8 = 7 THEN 'cloze'
		ELSE 'basic' END AS kind, d.owner_id
FROM g_fc_decks d, generate_series(1, 400) k;

INSERT INTO flashcard_notes (id, org_id, set_id, kind, front, back,
	created_by, created_at, updated_at)
SELECT n.id, (SELECT id FROM organizations WHERE is_default), n.set_id,
	n.kind,
	CASE n.kind WHEN 'cloze'
		THEN pg_temp.sentence(n.k * 31) || ' {{c1::' || pg_temp.term(n.k)
			|| '}} and {{c2::' || pg_temp.term(n.k + 7) || '}}.'
		ELSE 'What is ' || pg_temp.term(n.k) || '?' END,
	CASE n.kind WHEN 'cloze' THEN '' ELSE pg_temp.sentence(n.k * 17) END,
	n.owner_id, now() - interval '320 days', now() - interval '320 days'
FROM g_fc_notes n;

-- 400 notes make 500 cards: the reversed and cloze ones make two.
CREATE TEMP TABLE g_fc_cards AS
SELECT n.deck_i, n.set_id, n.id AS note_id, o.ordinal, uuid_v7() AS id,
	row_number() OVER (PARTITION BY n.deck_i ORDER BY n.k, o.ordinal) AS c
FROM g_fc_notes n
CROSS JOIN LATERAL (SELECT unnest(CASE n.kind WHEN 'basic' THEN '{0}'::int[]
	WHEN 'reversed' THEN '{0,1}' ELSE '{1,2}' END) AS ordinal) o;
CREATE UNIQUE INDEX ON g_fc_cards (deck_i, c);

INSERT INTO flashcards (id, org_id, note_id, set_id, ordinal, created_at)
SELECT c.id, (SELECT id FROM organizations WHERE is_default), c.note_id,
	c.set_id, c.ordinal, now() - interval '320 days'
FROM g_fc_cards c;

CREATE TEMP TABLE g_fc_learners AS
SELECT u.n, u.id AS user_id, u.org_id, 1 + u.n % 10 AS deck_i
FROM g_users u
WHERE u.n <= 20000 AND u.role = 'student';
CREATE UNIQUE INDEX ON g_fc_learners (n);

-- (one who had dropped the course took it up again: a dropped learner
-- no longer studies its deck, and wrk's reviews would find no card)
INSERT INTO enrollments (user_id, course_id, org_id, enrolled_at)
SELECT l.user_id, d.course_id, l.org_id, now() - interval '300 days'
FROM g_fc_learners l JOIN g_fc_decks d ON d.i = l.deck_i
ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active'
	WHERE enrollments.status = 'dropped';

-- Cards 1..300 of the deck in Review, 301..350 (re)learning.
CREATE TEMP TABLE g_fc_progress AS
SELECT l.n, l.user_id, l.org_id, c.id AS card_id, c.c,
	CASE WHEN c.c <= 300 THEN 2 WHEN c.c % 2 = 0 THEN 1 ELSE 3 END AS state,
	1 + (hashint4(l.n * 1000 + c.c::integer) & 1023) * 299 / 1023.0
		AS stability,
	1 + (hashint4(l.n * 7919 + c.c::integer) & 1023) * 9 / 1023.0
		AS difficulty,
	CASE WHEN c.c <= 300
		THEN now() + ((hashint4(l.n * 31 + c.c::integer) & 1023) * 65 / 1023.0
			- 5) * interval '1 day'
		ELSE now() + ((hashint4(l.n * 37 + c.c::integer) & 1023) / 1023.0 - 0.5)
			* interval '1 hour' END AS due
FROM g_fc_learners l JOIN g_fc_cards c ON c.deck_i = l.deck_i AND c.c <= 350;

-- The memory and the log go in with triggers off, as the attempts do
-- (30_attempts.sql): every value comes from a join on the rows the
-- foreign keys point to, and checking them row by row would take most of
-- the load's time.  (No totals hang on these tables' triggers: the
-- counts achievements read are set below.)
RESET ROLE;
SET session_replication_role = replica;
SET ROLE ludus;
INSERT INTO user_flashcard_progress (user_id, card_id, org_id, state, step,
	stability, difficulty, due, last_review, reps, lapses, updated_at)
SELECT p.user_id, p.card_id, p.org_id, p.state, 0, p.stability,
	p.difficulty, p.due, least(p.due - least(p.stability, 200) * interval '1 day',
		now()) - interval '1 hour',
	2 + p.c::integer % 7, CASE WHEN p.state = 3 THEN 1 ELSE 0 END, now()
FROM g_fc_progress p;

-- A learned card's last review (its earlier ones are the long tail's,
-- below, for some), never after now: a review made now must come after
-- it.
INSERT INTO flashcard_reviews (org_id, user_id, card_id, rating, reviewed_at,
	recorded_at, elapsed_seconds, scheduled_seconds, duration_ms, state,
	step, stability, difficulty, due, last_review, reps, lapses, state_after,
	stability_after, difficulty_after)
SELECT p.org_id, p.user_id, p.card_id, CASE WHEN p.state = 3 THEN 1 ELSE 3 END,
	least(p.due - least(p.stability, 200) * interval '1 day', now())
		- interval '1 hour',
	least(p.due - least(p.stability, 200) * interval '1 day', now())
		- interval '1 hour',
	86400, 86400, 4000 + (hashint4(p.n + p.c::integer) & 4095), 2, 0, 2.3,
	5.0, now() - interval '280 days', now() - interval '300 days', 1, 0,
	p.state, p.stability, p.difficulty
FROM g_fc_progress p;

-- One learner in ten has studied 20 cards for a long time: 20 more
-- reviews each, a week apart.
INSERT INTO flashcard_reviews (org_id, user_id, card_id, rating, reviewed_at,
	recorded_at, elapsed_seconds, scheduled_seconds, duration_ms, state,
	step, stability, difficulty, due, last_review, reps, lapses, state_after,
	stability_after, difficulty_after)
SELECT p.org_id, p.user_id, p.card_id,
	CASE WHEN (hashint4(p.n * 3 + k) & 7) = 0 THEN 1 ELSE 3 END,
	now() - interval '290 days' + k * interval '7 days',
	now() - interval '290 days' + k * interval '7 days', 604800, 604800,
	5000, 2, 0, 7, 5, now() - interval '290 days' + k * interval '7 days',
	now() - interval '297 days' + k * interval '7 days', k + 2, 0, 2, 7, 5
FROM g_fc_progress p, generate_series(1, 20) k
WHERE p.n % 10 = 0 AND p.c <= 20;

RESET ROLE;
SET session_replication_role = DEFAULT;
SET ROLE ludus;

-- What the reviews count toward achievements.
INSERT INTO flashcard_settings (user_id, org_id, reviews)
SELECT l.user_id, l.org_id, 700 + CASE WHEN l.n % 10 = 0 THEN 400 ELSE 0 END
FROM g_fc_learners l;

CREATE TABLE bench.fc_learners (n integer PRIMARY KEY, user_id uuid NOT NULL,
	deck_id uuid NOT NULL);
INSERT INTO bench.fc_learners
SELECT l.n, l.user_id, d.id FROM g_fc_learners l JOIN g_fc_decks d
	ON d.i = l.deck_i;
-- The cards a learner may review: each learner's deck's cards, numbered.
CREATE TABLE bench.fc_cards (deck_i integer, c integer, id uuid NOT NULL,
	PRIMARY KEY (deck_i, c));
INSERT INTO bench.fc_cards SELECT deck_i, c, id FROM g_fc_cards;
