-- 0033_collaborator_roles: a collaborator is an editor or a reviewer.
--
-- The role column (editor by default, as collaborators made before
-- could edit; nothing else taken); course_can_edit (content.all, the
-- owner, an editor) and course_can_review (those, and reviewers); a
-- course deck's and a course material's role for each (an editor edits,
-- a reviewer reads as a learner, unenrolled); course_member_role (0029)
-- counting a reviewer among the authors.  All in one rolled-back
-- transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(27);

\ir lib/refused.psql

-- a1 the organization, a2 the course's owner, a3 an editor, a4 a
-- reviewer, a5 an instructor of the organization who is neither, a6 a
-- learner enrolled; c1 the (draft) course, d1 its deck, e1 its material.
CREATE FUNCTION pg_temp.id(p text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
	SELECT ('00000000-0000-4000-8000-0000000033' || p)::uuid
$$;

SELECT has_column('course_collaborators', 'role');
SELECT col_not_null('course_collaborators', 'role');
SELECT col_default_is('course_collaborators', 'role', 'editor');
SELECT function_returns('course_can_edit', ARRAY['uuid', 'uuid', 'boolean'],
	'boolean');
SELECT function_returns('course_can_review', ARRAY['uuid', 'uuid', 'boolean'],
	'boolean');

INSERT INTO organizations (id, slug, name)
VALUES (pg_temp.id('a1'), 'roles-a', 'Roles A');
INSERT INTO users (id, org_id, email, username, password_hash, role)
SELECT pg_temp.id(u), pg_temp.id('a1'), 'cr-' || u || '@x.test', 'cr_' || u,
	'$2b$10$' || repeat('.', 53), r
FROM (VALUES ('a2', 'instructor'), ('a3', 'instructor'), ('a4', 'instructor'),
	('a5', 'instructor'), ('a6', 'student')) v(u, r);
INSERT INTO courses (id, org_id, owner_id, slug, title)
VALUES (pg_temp.id('c1'), pg_temp.id('a1'), pg_temp.id('a2'), 'cr-c1', 'Draft');
INSERT INTO enrollments (org_id, user_id, course_id)
VALUES (pg_temp.id('a1'), pg_temp.id('a6'), pg_temp.id('c1'));
INSERT INTO course_collaborators (course_id, org_id, user_id)
VALUES (pg_temp.id('c1'), pg_temp.id('a1'), pg_temp.id('a3'));
SELECT is((SELECT role FROM course_collaborators
	WHERE user_id = pg_temp.id('a3')), 'editor', 'a collaborator edits by default');
SELECT is(pg_temp.refused(format('INSERT INTO course_collaborators (course_id,
	org_id, user_id, role) VALUES (%L, %L, %L, %L)', pg_temp.id('c1'),
	pg_temp.id('a1'), pg_temp.id('a4'), 'owner')),
	'23514 course_collaborators_role_check', 'the roles are editor and reviewer');
INSERT INTO course_collaborators (course_id, org_id, user_id, role)
VALUES (pg_temp.id('c1'), pg_temp.id('a1'), pg_temp.id('a4'), 'reviewer');
INSERT INTO flashcard_sets (id, org_id, course_id, created_by, title)
VALUES (pg_temp.id('d1'), pg_temp.id('a1'), pg_temp.id('c1'), pg_temp.id('a2'),
	'Course deck');
INSERT INTO study_materials (id, org_id, user_id, course_id, title,
	source_type, media_type, status, body)
VALUES (pg_temp.id('e1'), pg_temp.id('a1'), pg_temp.id('a2'), pg_temp.id('c1'),
	'Notes', 'text', 'text/plain', 'ready', 'DHCP hands out addresses.');

-- Who may change the course, and who reads it as one of its makers.
SELECT is(ARRAY(SELECT u || ':' || course_can_edit(pg_temp.id('c1'),
		pg_temp.id(u), false)::text
	FROM unnest(ARRAY['a2', 'a3', 'a4', 'a5', 'a6']) u),
	ARRAY['a2:true', 'a3:true', 'a4:false', 'a5:false', 'a6:false'],
	'the owner and the editor change the course; the reviewer does not');
SELECT is(ARRAY(SELECT u || ':' || course_can_review(pg_temp.id('c1'),
		pg_temp.id(u), false)::text
	FROM unnest(ARRAY['a2', 'a3', 'a4', 'a5', 'a6']) u),
	ARRAY['a2:true', 'a3:true', 'a4:true', 'a5:false', 'a6:false'],
	'the reviewer reads it as they do; others not');
SELECT ok(course_can_edit(pg_temp.id('c1'), pg_temp.id('a5'), true),
	'content.all changes any course');
SELECT ok(course_can_review(pg_temp.id('c1'), pg_temp.id('a5'), true),
	'and reads it');
SELECT ok(NOT course_can_edit(pg_temp.id('c1'), NULL, false),
	'nobody: nothing');

-- The course's deck and material.
SELECT is(ARRAY(SELECT u || ':' || coalesce(flashcard_deck_role(d,
		pg_temp.id(u), false), '-')
	FROM flashcard_sets d, unnest(ARRAY['a2', 'a3', 'a4', 'a5']) u
	WHERE d.id = pg_temp.id('d1')),
	ARRAY['a2:editor', 'a3:editor', 'a4:learner', 'a5:-'],
	'a course deck: editors edit, the reviewer studies it, others nothing');
SELECT is((SELECT flashcard_deck_role(d, pg_temp.id('a6'), false)
	FROM flashcard_sets d WHERE d.id = pg_temp.id('d1')), NULL,
	'(the course is a draft: its learner does not see the deck yet)');
SELECT is(ARRAY(SELECT u || ':' || coalesce(material_role(m,
		pg_temp.id(u), false), '-')
	FROM study_materials m, unnest(ARRAY['a2', 'a3', 'a4', 'a5']) u
	WHERE m.id = pg_temp.id('e1')),
	ARRAY['a2:editor', 'a3:editor', 'a4:learner', 'a5:-'],
	'a course material: the same');
UPDATE study_materials SET status = 'processing' WHERE id = pg_temp.id('e1');
SELECT is((SELECT material_role(m, pg_temp.id('a4'), false)
	FROM study_materials m WHERE m.id = pg_temp.id('e1')), NULL,
	'the reviewer reads a material once it is ready, as learners do');
SELECT is((SELECT material_role(m, pg_temp.id('a3'), false)
	FROM study_materials m WHERE m.id = pg_temp.id('e1')), 'editor',
	'an editor sees it at once');

-- Where the course meets its learners, the reviewer is one of its authors.
SELECT is(course_member_role(pg_temp.id('c1'), pg_temp.id('a4'), false),
	'author', 'a reviewer answers reviews and decides suggestions (0029)');
UPDATE courses SET status = 'published', published_at = now()
WHERE id = pg_temp.id('c1');
SELECT is((SELECT forum_role(k.id, pg_temp.id('a4'), false)
	FROM forum_categories k WHERE k.course_id = pg_temp.id('c1')), 'staff',
	'and moderates its forum (0031)');
SELECT is(course_member_role(pg_temp.id('c1'), pg_temp.id('a6'), false),
	'learner', '(its learner stays a learner)');
SELECT is((SELECT flashcard_deck_role(d, pg_temp.id('a6'), false)
	FROM flashcard_sets d WHERE d.id = pg_temp.id('d1')), 'learner',
	'(and studies its deck once it is published)');

-- A role changes; going away still takes the collaborator.
UPDATE course_collaborators SET role = 'editor'
WHERE user_id = pg_temp.id('a4');
SELECT ok(course_can_edit(pg_temp.id('c1'), pg_temp.id('a4'), false),
	'a reviewer made an editor edits');
UPDATE course_collaborators SET role = 'reviewer'
WHERE user_id = pg_temp.id('a3');
SELECT ok(NOT course_can_edit(pg_temp.id('c1'), pg_temp.id('a3'), false),
	'an editor made a reviewer no longer does');
DELETE FROM course_collaborators WHERE user_id = pg_temp.id('a3');
SELECT ok(NOT course_can_review(pg_temp.id('c1'), pg_temp.id('a3'), false),
	'removed: nothing');

-- As the app's role, under the organization's policy.
GRANT EXECUTE ON FUNCTION pg_temp.id(text) TO ludus_app;
SET LOCAL ROLE ludus_app;
SET LOCAL ludus.org_id = '00000000-0000-4000-8000-0000000033a1';
SELECT ok(course_can_edit(pg_temp.id('c1'), pg_temp.id('a4'), false),
	'the same answers as ludus_app');
SELECT ok(NOT course_can_review(pg_temp.id('c1'), pg_temp.id('a5'), false),
	'(and the same refusals)');
SET LOCAL ludus.org_id = '00000000-0000-4000-8000-000000000000';
SELECT ok(NOT course_can_review(pg_temp.id('c1'), pg_temp.id('a2'), false),
	'another organization''s transaction sees no course to review');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
