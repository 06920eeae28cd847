-- 0033_collaborator_roles: seed 002's collaborators with a role.
--
-- An editor changes the course as its owner does (its details, units,
-- lessons, decks and materials).  A reviewer reads all of it, drafts
-- included, and takes part as one of its authors where the course meets
-- its learners (course_member_role, 0029: answering and hiding reviews,
-- rejecting suggested edits, moderating its forum), but changes nothing
-- of its content: accepting a suggested edit, which makes a new version
-- of a lesson, is an editor's.  Collaborators made before are editors,
-- as they could edit.

ALTER TABLE course_collaborators ADD COLUMN role text NOT NULL
	DEFAULT 'editor' CHECK (role IN ('editor', 'reviewer'));

-- Whether a user may change a course's content: content.all (edit_all),
-- its owner, or one of its editors.
CREATE FUNCTION course_can_edit(course uuid, uid uuid, edit_all boolean)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT edit_all OR EXISTS (SELECT 1 FROM courses c
			WHERE c.id = course AND c.owner_id = uid)
		OR EXISTS (SELECT 1 FROM course_collaborators k
			WHERE k.course_id = course AND k.user_id = uid
				AND k.role = 'editor')
$$;

-- Whether a user reads a course as one of its makers (its drafts too):
-- those who may change it, and its reviewers.
CREATE FUNCTION course_can_review(course uuid, uid uuid, edit_all boolean)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT edit_all OR EXISTS (SELECT 1 FROM courses c
			WHERE c.id = course AND c.owner_id = uid)
		OR EXISTS (SELECT 1 FROM course_collaborators k
			WHERE k.course_id = course AND k.user_id = uid)
$$;

-- A course deck (0021): its editors edit it; its reviewers read it as its
-- learners do.
CREATE OR REPLACE FUNCTION flashcard_deck_role(d flashcard_sets, uid uuid,
	edit_all boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN d.deleted_at IS NOT NULL THEN NULL
		WHEN d.owner_id IS NOT NULL THEN
			CASE WHEN d.owner_id = uid THEN 'owner' END
		WHEN (SELECT c.deleted_at FROM courses c WHERE c.id = d.course_id)
			IS NOT NULL THEN NULL
		WHEN course_can_edit(d.course_id, uid, edit_all) THEN 'editor'
		WHEN EXISTS (SELECT 1 FROM course_collaborators k
				WHERE k.course_id = d.course_id AND k.user_id = uid)
			OR EXISTS (SELECT 1 FROM enrollments e JOIN courses c
				ON c.id = e.course_id
			WHERE e.user_id = uid AND e.course_id = d.course_id
				AND e.status = 'active' AND c.status = 'published'
				AND c.deleted_at IS NULL)
			THEN 'learner'
	END
$$;

-- A course material (0023): the same.
CREATE OR REPLACE FUNCTION material_role(m study_materials, uid uuid,
	edit_all boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN m.deleted_at IS NOT NULL THEN NULL
		WHEN m.course_id IS NULL THEN
			CASE WHEN m.user_id = uid THEN 'owner' END
		WHEN (SELECT c.deleted_at FROM courses c WHERE c.id = m.course_id)
			IS NOT NULL THEN NULL
		WHEN course_can_edit(m.course_id, uid, edit_all) THEN 'editor'
		WHEN m.status = 'ready' AND (EXISTS (SELECT 1
				FROM course_collaborators k
				WHERE k.course_id = m.course_id AND k.user_id = uid)
			OR EXISTS (SELECT 1 FROM enrollments e
				JOIN courses c ON c.id = e.course_id
			WHERE e.user_id = uid AND e.course_id = m.course_id
				AND e.status = 'active' AND c.status = 'published'
				AND c.deleted_at IS NULL))
			THEN 'learner'
	END
$$;
