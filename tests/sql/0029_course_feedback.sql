-- 0029_course_feedback: a course's reviews, their upvotes and its rating.
--
-- course_feedback: its keys and checks (a rating of 1 to 5, a comment of
-- 5,000 characters at most, an answer neither blank nor too long and
-- given with its time, a hiding given with its reason, one review per
-- learner and course), its keys to its organization's course and people
-- and what their going away does.  feedback_upvotes: one per person, the
-- review's count kept as they come and go, a review's going taking them.
-- course_ratings: kept by the trigger of course_feedback through
-- course_ratings_move (a review made, rated again, hidden, shown again,
-- taken back; another column changed moves nothing), never below zero;
-- course_rating_json, course_member_role, course_feedback_json; the two
-- new kinds of notification; row-level security as ludus_app
-- (tests/sql/0015_isolation.sql checks the policy with every other
-- table).  The down migration is not tested here.  All in one
-- rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(157);

\ir lib/refused.psql

-- This file's ids: a1 organization A, a2 its instructor (owns A's
-- courses), a3 a collaborator of c1, a4 a learner enrolled in c1 (and c2),
-- a5 one who completed c1, a6 one who dropped it, a7 and a8 members
-- enrolled in nothing; c1 A's published course, c2 a draft, c3 a
-- published course deleted, c4 a published course without reviews; f1..
-- A's reviews.  b1 organization B, b2 its instructor, b3 a learner, bc its
-- course, bf a review of it.
CREATE FUNCTION pg_temp.id(p text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
	SELECT ('00000000-0000-4000-8000-0000000029' || p)::uuid
$$;
GRANT EXECUTE ON FUNCTION pg_temp.id(text) TO ludus_app;
-- A review p_id of course p_course by p_user, rated p_rating.
CREATE FUNCTION pg_temp.review(p_id text, p_course text, p_user text,
	p_rating integer, p_comment text DEFAULT '', p_org text DEFAULT 'a1')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO course_feedback (id, org_id,
		course_id, user_id, rating, comment) VALUES (%L, %L, %L, %L, %s, %L)',
		pg_temp.id(p_id), pg_temp.id(p_org), pg_temp.id(p_course),
		pg_temp.id(p_user), p_rating, p_comment))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.review(text, text, text, integer, text, text)
	TO ludus_app;
-- The review p_id changed by p_set (an UPDATE's SET list).
CREATE FUNCTION pg_temp.set(p_id text, p_set text) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('UPDATE course_feedback SET %s WHERE id = %L',
		p_set, pg_temp.id(p_id)))
$$;
-- p_user's upvote of the review p_review.
CREATE FUNCTION pg_temp.upvote(p_review text, p_user text,
	p_org text DEFAULT 'a1') RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO feedback_upvotes (feedback_id,
		user_id, org_id) VALUES (%L, %L, %L)', pg_temp.id(p_review),
		pg_temp.id(p_user), pg_temp.id(p_org)))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.upvote(text, text, text) TO ludus_app;
-- A review's count of upvotes (null: no such review).
CREATE FUNCTION pg_temp.upvotes(p_review text) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT upvotes FROM course_feedback WHERE id = pg_temp.id(p_review)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.upvotes(text) TO ludus_app;
-- A course's rating as kept: 'reviews sum stars' (null: no row).
CREATE FUNCTION pg_temp.kept(p_course text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s', reviews, rating_sum, stars) FROM course_ratings
	WHERE course_id = pg_temp.id(p_course)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.kept(text) TO ludus_app;
-- What the kept rating should be, counted from the shown reviews.
CREATE FUNCTION pg_temp.counted(p_course text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s', sum(n), coalesce(sum(s.rating), 0),
		array_agg(n ORDER BY k))
	FROM generate_series(1, 5) k, LATERAL (SELECT count(*)::integer AS n,
		sum(rating) AS rating FROM course_feedback f
		WHERE course_id = pg_temp.id(p_course) AND hidden_at IS NULL
			AND f.rating = k) s
$$;
-- p_user's role on course p_course for its reviews.
CREATE FUNCTION pg_temp.role(p_course text, p_user text,
	p_edit_all boolean DEFAULT false) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT course_member_role(pg_temp.id(p_course), pg_temp.id(p_user),
		p_edit_all)
$$;
-- The review p_review as p_user sees it.
CREATE FUNCTION pg_temp.json(p_review text, p_user text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT course_feedback_json(f, pg_temp.id(p_user)) FROM course_feedback f
	WHERE id = pg_temp.id(p_review)
$$;

-- ---- the tables ------------------------------------------------------------

SELECT has_table('course_feedback');
SELECT col_is_pk('course_feedback', 'id');
SELECT col_is_unique('course_feedback', ARRAY['course_id', 'user_id']);
SELECT fk_ok('course_feedback', ARRAY['course_id', 'org_id'],
	'courses', ARRAY['id', 'org_id']);
SELECT fk_ok('course_feedback', ARRAY['user_id', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT fk_ok('course_feedback', ARRAY['responded_by', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT is(ARRAY(SELECT conname || ' ' || confdeltype::text FROM pg_constraint
		WHERE conrelid = 'course_feedback'::regclass AND contype = 'f'
		ORDER BY conname),
	ARRAY['course_feedback_course_id_org_id_fkey c',
		'course_feedback_responded_by_org_id_fkey n',
		'course_feedback_user_id_org_id_fkey c'],
	'a review goes with its course and its learner; its answerer is forgotten');
SELECT matches((SELECT pg_get_constraintdef(oid) FROM pg_constraint
	WHERE conname = 'course_feedback_responded_by_org_id_fkey'),
	'ON DELETE SET NULL \(responded_by\)$',
	'(the answerer only, not the organization)');
SELECT has_table('feedback_upvotes');
SELECT col_is_pk('feedback_upvotes', ARRAY['feedback_id', 'user_id']);
SELECT fk_ok('feedback_upvotes', ARRAY['feedback_id', 'org_id'],
	'course_feedback', ARRAY['id', 'org_id']);
SELECT fk_ok('feedback_upvotes', ARRAY['user_id', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT is(ARRAY(SELECT conname || ' ' || confdeltype::text FROM pg_constraint
		WHERE conrelid = 'feedback_upvotes'::regclass AND contype = 'f'
		ORDER BY conname),
	ARRAY['feedback_upvotes_feedback_id_org_id_fkey c',
		'feedback_upvotes_user_id_org_id_fkey c'],
	'an upvote goes with its review and its voter');
SELECT has_table('course_ratings');
SELECT col_is_pk('course_ratings', 'course_id');
SELECT fk_ok('course_ratings', ARRAY['course_id', 'org_id'],
	'courses', ARRAY['id', 'org_id']);
SELECT is((SELECT confdeltype::text FROM pg_constraint
	WHERE conname = 'course_ratings_course_id_org_id_fkey'), 'c',
	'a rating goes with its course');
SELECT trigger_is('feedback_upvotes', 'feedback_upvotes_count',
	'feedback_upvotes_count');
SELECT trigger_is('course_feedback', 'course_feedback_count',
	'course_feedback_count');

-- Two organizations of their own.
INSERT INTO organizations (id, slug, name) VALUES
	(pg_temp.id('a1'), 'feedback-a', 'Feedback A'),
	(pg_temp.id('b1'), 'feedback-b', 'Feedback B');
INSERT INTO users (id, org_id, email, username, password_hash, role)
SELECT pg_temp.id(u), pg_temp.id(o), 'fb-' || u || '@x.test', 'fb_' || u,
	'$2b$10$' || repeat('.', 53), r
FROM (VALUES ('a2', 'a1', 'instructor'), ('a3', 'a1', 'instructor'),
	('a4', 'a1', 'student'), ('a5', 'a1', 'student'), ('a6', 'a1', 'student'),
	('a7', 'a1', 'student'), ('a8', 'a1', 'student'),
	('b2', 'b1', 'instructor'), ('b3', 'b1', 'student')) v(u, o, r);
INSERT INTO user_profiles (user_id, org_id, first_name, last_name, display_name)
VALUES (pg_temp.id('a4'), pg_temp.id('a1'), 'Ada', 'Lovelace', 'Ada L.');
INSERT INTO courses (id, org_id, owner_id, slug, title, status, published_at,
	deleted_at)
SELECT pg_temp.id(c), pg_temp.id(o), pg_temp.id(w), 'fb-' || c,
	'Course ' || c, s, CASE WHEN s = 'published' THEN now() END,
	CASE WHEN d THEN now() END
FROM (VALUES ('c1', 'a1', 'a2', 'published', false),
	('c2', 'a1', 'a2', 'draft', false), ('c3', 'a1', 'a2', 'published', true),
	('c4', 'a1', 'a2', 'published', false),
	('bc', 'b1', 'b2', 'published', false)) v(c, o, w, s, d);
INSERT INTO course_collaborators (course_id, user_id, org_id)
VALUES (pg_temp.id('c1'), pg_temp.id('a3'), pg_temp.id('a1'));
INSERT INTO enrollments (user_id, course_id, org_id, status, progress_percent,
	completed_at)
VALUES (pg_temp.id('a4'), pg_temp.id('c1'), pg_temp.id('a1'), 'active', 20,
		NULL),
	(pg_temp.id('a5'), pg_temp.id('c1'), pg_temp.id('a1'), 'active', 100,
		now()),
	(pg_temp.id('a6'), pg_temp.id('c1'), pg_temp.id('a1'), 'dropped', 0, NULL),
	(pg_temp.id('a4'), pg_temp.id('c2'), pg_temp.id('a1'), 'active', 0, NULL),
	(pg_temp.id('a4'), pg_temp.id('c3'), pg_temp.id('a1'), 'active', 0, NULL),
	(pg_temp.id('b3'), pg_temp.id('bc'), pg_temp.id('b1'), 'active', 0, NULL);

-- ---- course_feedback: keys and checks --------------------------------------

SELECT is(pg_temp.review('f9', 'c1', 'a8', 0), '23514 course_feedback_rating_check',
	'a rating is not below one star');
SELECT is(pg_temp.review('f9', 'c1', 'a8', 6), '23514 course_feedback_rating_check',
	'nor above five');
SELECT is(pg_temp.review('f9', 'c1', 'a8', 3, repeat('x', 5001)),
	'23514 course_feedback_comment_check', 'a comment of 5,001 characters is refused');
SELECT is(pg_temp.review('f9', 'c1', 'a8', 3, NULL), '23502 -',
	'a comment is never null');
SELECT is(pg_temp.review('f9', 'bc', 'a8', 3), '23503 course_feedback_course_id_org_id_fkey',
	'a course of the review''s organization');
SELECT is(pg_temp.review('f9', 'c1', 'b3', 3), '23503 course_feedback_user_id_org_id_fkey',
	'by one of its people');
SELECT is(pg_temp.review('f9', 'c1', 'b3', 3, '', 'b1'),
	'23503 course_feedback_course_id_org_id_fkey',
	'(nor written as the other organization''s)');
SELECT is(pg_temp.kept('c1'), NULL, 'no review yet: no rating kept');
SELECT is(course_rating_json(pg_temp.id('c1')),
	'{"average": null, "count": 0, "stars": [0, 0, 0, 0, 0]}'::jsonb,
	'a course without reviews: no average, none counted, no stars');

-- f1 (a4, 4 stars), f2 (a5, 5 stars), f3 (a7, 2 stars, the longest
-- comment); f4 a8's review of c4.
SELECT is(pg_temp.review('f1', 'c1', 'a4', 4, 'Clear and short.'), 'ok',
	'a learner reviews a course');
SELECT is(pg_temp.kept('c1'), '1 4 {0,0,0,1,0}',
	'the first review makes the course''s rating: one, its stars');
SELECT is(pg_temp.review('f2', 'c1', 'a5', 5), 'ok', 'five stars, no comment');
SELECT is(pg_temp.kept('c1'), '2 9 {0,0,0,1,1}', 'a second is added to it');
SELECT is(pg_temp.review('f3', 'c1', 'a7', 2, repeat('x', 5000)), 'ok',
	'two stars and a comment of 5,000 characters');
SELECT is(pg_temp.kept('c1'), '3 11 {0,1,0,1,1}', 'a third');
SELECT is(pg_temp.review('f9', 'c1', 'a4', 1), '23505 course_feedback_course_id_user_id_key',
	'one review per learner and course');
SELECT is(pg_temp.review('f1', 'c4', 'a4', 1), '23505 course_feedback_pkey',
	'a review''s id is its own');
SELECT is(pg_temp.review('f4', 'c4', 'a8', 1), 'ok', 'one star for another course');
SELECT is(pg_temp.kept('c4'), '1 1 {1,0,0,0,0}', 'which has a rating of its own');
SELECT is(course_rating_json(pg_temp.id('c1')),
	'{"average": 3.67, "count": 3, "stars": [0, 1, 0, 1, 1]}'::jsonb,
	'a course''s rating: 11 / 3 rounded to two places, the count, the stars');

SELECT is(pg_temp.set('f1', $$response = '   ', responded_at = now()$$),
	'23514 course_feedback_response_check', 'an answer is not blank');
SELECT is(pg_temp.set('f1', $$response = repeat('x', 5001), responded_at = now()$$),
	'23514 course_feedback_response_check', 'nor longer than 5,000 characters');
SELECT is(pg_temp.set('f1', $$response = 'Thanks'$$),
	'23514 course_feedback_check', 'an answer has its time');
SELECT is(pg_temp.set('f1', $$responded_at = now()$$),
	'23514 course_feedback_check', 'a time an answer');
SELECT is(pg_temp.set('f1', format('response = ''Thanks'', responded_at = now(),
	responded_by = %L', pg_temp.id('b2'))),
	'23503 course_feedback_responded_by_org_id_fkey',
	'the answer is by one of the organization''s people');
SELECT is(pg_temp.set('f1', $$hidden_at = now()$$),
	'23514 course_feedback_check1', 'a review is hidden with a reason');
SELECT is(pg_temp.set('f1', $$hidden_reason = 'Spam'$$),
	'23514 course_feedback_check1', 'a reason is for a hidden review');
SELECT is(pg_temp.set('f1', $$hidden_at = now(), hidden_reason = ' '$$),
	'23514 course_feedback_hidden_reason_check', 'the reason is not blank');
SELECT is(pg_temp.set('f1', $$hidden_at = now(), hidden_reason = repeat('x', 501)$$),
	'23514 course_feedback_hidden_reason_check', 'nor longer than 500 characters');
SELECT is(pg_temp.set('f1', $$upvotes = -1$$), '23514 course_feedback_upvotes_check',
	'upvotes are not negative');
SELECT is(pg_temp.set('f1', $$version = 0$$), '23514 course_feedback_version_check',
	'a version is positive');
SELECT is(pg_temp.set('f1', format('response = repeat(''x'', 5000),
	responded_at = now(), responded_by = %L', pg_temp.id('a3'))), 'ok',
	'an answer of 5,000 characters by a collaborator');
SELECT is(pg_temp.kept('c1'), '3 11 {0,1,0,1,1}',
	'answering (and the refused changes) move no rating');

-- ---- feedback_upvotes --------------------------------------------------------

SELECT is(pg_temp.upvote('f1', 'a7'), 'ok', 'a member upvotes a review');
SELECT is(pg_temp.upvotes('f1'), 1, 'which counts one');
SELECT is(pg_temp.upvote('f1', 'a8'), 'ok', 'another member upvotes it');
SELECT is(pg_temp.upvotes('f1'), 2, 'two');
SELECT is(pg_temp.upvote('f1', 'a7'), '23505 feedback_upvotes_pkey',
	'once each');
SELECT is(pg_temp.upvote('f1', 'b3'), '23503 feedback_upvotes_user_id_org_id_fkey',
	'by one of the organization''s people');
SELECT is(pg_temp.upvote('f1', 'b3', 'b1'),
	'23503 feedback_upvotes_feedback_id_org_id_fkey',
	'of a review of its own organization');
SELECT is(pg_temp.upvote('fe', 'a7'), '23503 feedback_upvotes_feedback_id_org_id_fkey',
	'of a review that exists');
SELECT is(pg_temp.upvote('f2', 'a7'), 'ok', 'a member upvotes another review');
SELECT is(ARRAY[pg_temp.upvotes('f1'), pg_temp.upvotes('f2'), pg_temp.upvotes('f3')],
	ARRAY[2, 1, 0], 'each review counts its own');
DELETE FROM feedback_upvotes WHERE feedback_id = pg_temp.id('f1')
	AND user_id = pg_temp.id('a8');
SELECT is(pg_temp.upvotes('f1'), 1, 'an upvote taken back counts one fewer');
SELECT is(pg_temp.kept('c1'), '3 11 {0,1,0,1,1}', 'upvotes move no rating');

-- ---- course_ratings, kept --------------------------------------------------

SELECT is(pg_temp.set('f3', 'rating = 1'), 'ok', 'a review rated again');
SELECT is(pg_temp.kept('c1'), '3 10 {1,0,0,1,1}',
	'moves its star, and the sum, not the count');
SELECT is(pg_temp.set('f3', 'rating = rating'), 'ok', 'rated the same');
SELECT is(pg_temp.kept('c1'), '3 10 {1,0,0,1,1}', 'moves nothing');
SELECT is(pg_temp.set('f3', $$comment = 'Too short.', version = version + 1,
	updated_at = now()$$), 'ok', 'a comment changed');
SELECT is(pg_temp.kept('c1'), '3 10 {1,0,0,1,1}', 'moves nothing either');
SELECT is(pg_temp.set('f2', $$hidden_at = now(), hidden_reason = 'Off topic'$$),
	'ok', 'a review hidden');
SELECT is(pg_temp.kept('c1'), '2 5 {1,0,0,1,0}', 'is not counted');
SELECT is(course_rating_json(pg_temp.id('c1')),
	'{"average": 2.50, "count": 2, "stars": [1, 0, 0, 1, 0]}'::jsonb,
	'nor in the average');
SELECT is(pg_temp.set('f2', 'rating = 3'), 'ok', 'a hidden review rated again');
SELECT is(pg_temp.kept('c1'), '2 5 {1,0,0,1,0}', 'is still not counted');
SELECT is(pg_temp.set('f2', $$hidden_at = now() - interval '1 minute',
	hidden_reason = 'Spam'$$), 'ok', 'hidden again, for another reason');
SELECT is(pg_temp.kept('c1'), '2 5 {1,0,0,1,0}', 'not counted twice away');
SELECT is(pg_temp.set('f2', 'hidden_at = NULL, hidden_reason = NULL'), 'ok',
	'shown again');
SELECT is(pg_temp.kept('c1'), '3 8 {1,0,1,1,0}', 'it counts, with its new rating');
SELECT is(pg_temp.review('f5', 'c1', 'a6', 5), 'ok', 'a review of a learner who dropped');
UPDATE course_feedback SET hidden_at = now(), hidden_reason = 'Rude'
WHERE id = pg_temp.id('f5');
SELECT is(pg_temp.kept('c1'), '3 8 {1,0,1,1,0}',
	'made and hidden: not counted');
DELETE FROM course_feedback WHERE id = pg_temp.id('f5');
SELECT is(pg_temp.kept('c1'), '3 8 {1,0,1,1,0}',
	'a hidden review taken back takes nothing away');
SELECT is(pg_temp.set('f2', 'upvotes = upvotes + 1'), 'ok',
	'an upvote counted on a shown review');
SELECT is(pg_temp.kept('c1'), '3 8 {1,0,1,1,0}', 'moves no rating');
SELECT is(pg_temp.kept('c1'), pg_temp.counted('c1'),
	'the kept rating is what the shown reviews add up to');

DELETE FROM course_feedback WHERE id = pg_temp.id('f3');
SELECT is(pg_temp.kept('c1'), '2 7 {0,0,1,1,0}', 'a review taken back is taken away');
SELECT is((SELECT count(*) FROM feedback_upvotes
	WHERE feedback_id = pg_temp.id('f1')), 1::bigint, '(f1 keeps its upvote)');
DELETE FROM course_feedback WHERE id = pg_temp.id('f1');
SELECT is((SELECT count(*) FROM feedback_upvotes
	WHERE feedback_id = pg_temp.id('f1')), 0::bigint,
	'a review taken back takes its upvotes');
SELECT is(pg_temp.kept('c1'), '1 3 {0,0,1,0,0}', 'and its rating');
DELETE FROM course_feedback WHERE id = pg_temp.id('f2');
SELECT is(pg_temp.kept('c1'), '0 0 {0,0,0,0,0}', 'the last taken back: all zero');
SELECT is(course_rating_json(pg_temp.id('c1')),
	'{"average": null, "count": 0, "stars": [0, 0, 0, 0, 0]}'::jsonb,
	'a course whose reviews were all taken back: as one never reviewed');

-- Never below zero.
-- (It breaks the three checks at once; which is named is the first.)
SELECT matches(pg_temp.refused($$SELECT course_ratings_move(pg_temp.id('c1'),
	pg_temp.id('a1'), 3::smallint, -1)$$),
	'^23514 course_ratings_(reviews|rating_sum|stars)_check$',
	'a rating with no review left takes none away');
SELECT is(pg_temp.refused($$UPDATE course_ratings SET reviews = -1
	WHERE course_id = pg_temp.id('c1')$$), '23514 course_ratings_reviews_check',
	'the count is not negative');
SELECT is(pg_temp.refused($$UPDATE course_ratings SET rating_sum = -1
	WHERE course_id = pg_temp.id('c1')$$), '23514 course_ratings_rating_sum_check',
	'the sum is not negative');
SELECT is(pg_temp.refused($$UPDATE course_ratings SET stars[2] = -1
	WHERE course_id = pg_temp.id('c1')$$), '23514 course_ratings_stars_check',
	'nor a star''s count');
SELECT is(pg_temp.refused($$UPDATE course_ratings SET stars = '{0,0,0,0}'
	WHERE course_id = pg_temp.id('c1')$$), '23514 course_ratings_stars_check',
	'there are five stars');
SELECT is(pg_temp.refused($$SELECT course_ratings_move(pg_temp.id('c2'),
	pg_temp.id('a1'), 3::smallint, -1)$$), 'ok',
	'taking away from a course never rated');
SELECT is(pg_temp.kept('c2'), NULL, 'makes no row');
SELECT is(pg_temp.refused($$INSERT INTO course_ratings (course_id, org_id)
	VALUES (pg_temp.id('bc'), pg_temp.id('a1'))$$),
	'23503 course_ratings_course_id_org_id_fkey',
	'a rating is of a course of its organization');

-- ---- course_member_role ----------------------------------------------------

SELECT is(pg_temp.role('c1', 'a2'), 'author', 'the owner of a course is its author');
SELECT is(pg_temp.role('c1', 'a3'), 'author', 'so is a collaborator');
SELECT is(pg_temp.role('c1', 'a7', true), 'author', 'and one who may edit all');
SELECT is(pg_temp.role('c1', 'a4'), 'learner', 'an active enrollment: a learner');
SELECT is(pg_temp.role('c1', 'a5'), 'learner', 'so is one who completed it');
SELECT is(pg_temp.role('c1', 'a6'), 'member', 'one who dropped it is a member');
SELECT is(pg_temp.role('c1', 'a7'), 'member', 'as is one never enrolled');
SELECT is(pg_temp.role('c2', 'a2'), 'author', 'a draft has its authors');
SELECT is(pg_temp.role('c2', 'a4'), NULL, 'and no learner, though enrolled');
SELECT is(pg_temp.role('c2', 'a7'), NULL, 'nor member');
SELECT is(pg_temp.role('c3', 'a4'), NULL, 'a deleted course: no learner');
SELECT is(pg_temp.role('c3', 'a7'), NULL, 'nor member');
SELECT is(pg_temp.role('c3', 'a2'), NULL, 'nor author');
SELECT is(pg_temp.role('ff', 'a2', true), NULL, 'a course that does not exist: none');

-- ---- course_feedback_json --------------------------------------------------

SELECT is(pg_temp.review('f1', 'c1', 'a4', 4, 'Clear and short.'), 'ok',
	'a4 reviews c1 again');
SELECT is(pg_temp.review('f2', 'c1', 'a5', 2), 'ok', 'and a5');
SELECT is(pg_temp.upvote('f1', 'a7'), 'ok', 'a7 upvotes a4''s review');
SELECT is(ARRAY(SELECT jsonb_object_keys(pg_temp.json('f1', 'a7')) ORDER BY 1),
	ARRAY['author', 'comment', 'course_id', 'created_at', 'hidden',
		'hidden_reason', 'id', 'mine', 'rating', 'response', 'updated_at',
		'upvoted', 'upvotes', 'version'], 'a review as JSON: its keys');
SELECT is(pg_temp.json('f1', 'a7') - 'created_at' - 'updated_at',
	jsonb_build_object('id', pg_temp.id('f1'), 'course_id', pg_temp.id('c1'),
		'rating', 4, 'comment', 'Clear and short.', 'upvotes', 1,
		'upvoted', true, 'mine', false, 'author', jsonb_build_object('id',
			pg_temp.id('a4'), 'username', 'fb_a4', 'display_name',
			'Ada L.'), 'response', NULL, 'hidden', false,
		'hidden_reason', NULL, 'version', 1),
	'as one who upvoted it sees it: upvoted, not theirs, no answer');
SELECT is((SELECT jsonb_build_array(j->'upvoted', j->'mine')
	FROM pg_temp.json('f1', 'a4') j), '[false, true]'::jsonb,
	'as its author sees it: not upvoted, theirs');
SELECT is((SELECT jsonb_build_array(j->'upvoted', j->'mine')
	FROM pg_temp.json('f2', 'a7') j), '[false, false]'::jsonb,
	'another review, as a7 sees it: neither');
SELECT is(pg_temp.json('f2', 'a7')->'author',
	jsonb_build_object('id', pg_temp.id('a5'), 'username', 'fb_a5',
		'display_name', NULL), 'an author without a name: no display name');
SELECT is(pg_temp.json('f1', 'a7')->'created_at',
	to_jsonb((SELECT created_at FROM course_feedback WHERE id = pg_temp.id('f1'))),
	'when it was written');
UPDATE course_feedback SET response = 'Thank you!', responded_at = now(),
	responded_by = pg_temp.id('a3'), hidden_at = now(),
	hidden_reason = 'Spoilers'
WHERE id = pg_temp.id('f1');
SELECT is(pg_temp.json('f1', 'a7')->'response',
	jsonb_build_object('text', 'Thank you!', 'at', now(), 'by', 'fb_a3'),
	'an answer: its text, when, and by whom');
SELECT is((SELECT jsonb_build_array(j->'hidden', j->'hidden_reason')
	FROM pg_temp.json('f1', 'a7') j), '[true, "Spoilers"]'::jsonb,
	'a hidden review says so, and why');
DELETE FROM users WHERE id = pg_temp.id('a3');
SELECT is((SELECT ARRAY[response, responded_by::text, (responded_at = now())::text]
	FROM course_feedback WHERE id = pg_temp.id('f1')),
	ARRAY['Thank you!', NULL, 'true'],
	'its answerer deleted for good: the answer stays, by nobody');
SELECT is(pg_temp.json('f1', 'a7')->'response',
	jsonb_build_object('text', 'Thank you!', 'at', now(), 'by', NULL),
	'and is shown without a name');

-- A member deleted for good takes their upvotes (a review counts fewer)
-- and their review (the course's rating less).
SELECT is(pg_temp.review('f6', 'c1', 'a7', 5), 'ok', 'a7 reviews c1');
SELECT is(pg_temp.upvote('f2', 'a7'), 'ok', 'and upvotes a5''s review');
SELECT is(ARRAY[pg_temp.kept('c1'), pg_temp.upvotes('f1')::text,
	pg_temp.upvotes('f2')::text], ARRAY['2 7 {0,1,0,0,1}', '1', '1'],
	'(f1 hidden: c1 counts f2 and f6; f1 and f2 an upvote each)');
DELETE FROM users WHERE id = pg_temp.id('a7');
SELECT is(ARRAY[pg_temp.upvotes('f1'), pg_temp.upvotes('f2')], ARRAY[0, 0],
	'a member deleted for good: the reviews they upvoted count one fewer');
SELECT is((SELECT count(*) FROM course_feedback
	WHERE user_id = pg_temp.id('a7')), 0::bigint, 'their review goes');
SELECT is(pg_temp.kept('c1'), '1 2 {0,1,0,0,0}', 'and out of the rating');

-- ---- notifications ---------------------------------------------------------

SELECT is(pg_temp.refused(format($$INSERT INTO notifications (org_id, user_id,
	kind, title, dedupe_key) VALUES (%L, %L, 'course_reviewed', 'A review',
	'course_reviewed:1')$$, pg_temp.id('a1'), pg_temp.id('a2'))), 'ok',
	'a notification of a new review');
SELECT is(pg_temp.refused(format($$INSERT INTO notifications (org_id, user_id,
	kind, title, dedupe_key) VALUES (%L, %L, 'review_answered', 'An answer',
	'review_answered:1')$$, pg_temp.id('a1'), pg_temp.id('a4'))), 'ok',
	'of an answer');
SELECT is(pg_temp.refused(format($$INSERT INTO notifications (org_id, user_id,
	kind, title, dedupe_key) VALUES (%L, %L, 'level_up', 'Level 2',
	'level:2')$$, pg_temp.id('a1'), pg_temp.id('a4'))), 'ok',
	'the kinds of before still go in');
SELECT is(pg_temp.refused(format($$INSERT INTO notifications (org_id, user_id,
	kind, title, dedupe_key) VALUES (%L, %L, 'review_upvoted', 'An upvote',
	'review_upvoted:1')$$, pg_temp.id('a1'), pg_temp.id('a4'))),
	'23514 notifications_kind_check', 'a kind unknown does not');

-- ---- row-level security, as ludus_app --------------------------------------

SELECT is(pg_temp.review('bf', 'bc', 'b3', 3, 'B''s', 'b1'), 'ok',
	'B has a review');
SELECT is(pg_temp.upvote('bf', 'b2', 'b1'), 'ok', 'and an upvote');
SELECT is(pg_temp.upvote('f2', 'a4'), 'ok', 'A has an upvote too');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000029a1', true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is(ARRAY(SELECT DISTINCT org_id FROM course_feedback),
	ARRAY[pg_temp.id('a1')], 'ludus_app sees its organization''s reviews only');
SELECT is(ARRAY(SELECT DISTINCT org_id FROM feedback_upvotes),
	ARRAY[pg_temp.id('a1')], 'its upvotes only');
SELECT is(ARRAY(SELECT DISTINCT org_id FROM course_ratings),
	ARRAY[pg_temp.id('a1')], 'and its ratings only');
SELECT is(course_member_role(pg_temp.id('bc'), pg_temp.id('b3'), true), NULL,
	'another organization''s course: no role on it, whoever asks');
SELECT is(course_rating_json(pg_temp.id('bc')),
	'{"average": null, "count": 0, "stars": [0, 0, 0, 0, 0]}'::jsonb,
	'another organization''s course has no rating it can see');
SELECT is(pg_temp.review('f7', 'c4', 'a4', 5), 'ok', 'it writes a review');
SELECT is(pg_temp.kept('c4'), '2 6 {1,0,0,0,1}', 'the rating follows');
SELECT is(pg_temp.upvote('f7', 'a8'), 'ok', 'it upvotes one');
SELECT is(pg_temp.upvotes('f7'), 1, 'and the count follows');
SELECT is(pg_temp.review('f8', 'bc', 'b2', 4, '', 'b1'), '42501 -',
	'but writes no review for another organization');
SELECT is(pg_temp.upvote('bf', 'b3', 'b1'), '42501 -', 'upvotes none of its');
SELECT is(pg_temp.refused($$INSERT INTO course_ratings (course_id, org_id)
	VALUES (pg_temp.id('bc'), pg_temp.id('b1'))$$), '42501 -',
	'nor writes its rating');
SELECT is(pg_temp.refused($$SELECT course_ratings_move(pg_temp.id('bc'),
	pg_temp.id('b1'), 5::smallint, 1)$$), '42501 -',
	'even through course_ratings_move');
RESET ROLE;
SELECT is(ARRAY[pg_temp.kept('bc'), pg_temp.upvotes('bf')::text,
	(SELECT count(*)::text FROM course_feedback WHERE org_id = pg_temp.id('b1'))],
	ARRAY['1 3 {0,0,1,0,0}', '1', '1'], 'whose reviews and rating are as they were');

-- ---- a course deleted for good ---------------------------------------------

SELECT is(pg_temp.upvote('f2', 'a8'), 'ok', '(f2 has two upvotes)');
SELECT lives_ok($$DELETE FROM courses WHERE id = pg_temp.id('c1')$$,
	'a course deleted for good');
SELECT is(ARRAY[(SELECT count(*) FROM course_feedback
		WHERE course_id = pg_temp.id('c1')),
	(SELECT count(*) FROM feedback_upvotes
		WHERE feedback_id IN (pg_temp.id('f1'), pg_temp.id('f2'))),
	(SELECT count(*) FROM course_ratings WHERE course_id = pg_temp.id('c1'))],
	ARRAY[0::bigint, 0, 0], 'takes its reviews, their upvotes and its rating');
SELECT is(ARRAY[pg_temp.kept('c4'), pg_temp.upvotes('f7')::text],
	ARRAY['2 6 {1,0,0,0,1}', '1'], 'not another course''s');

SELECT * FROM finish();
ROLLBACK;
