-- 0033_collaborator_roles, undone: every collaborator edits again.
CREATE OR REPLACE FUNCTION material_role(m study_materials, uid uuid,
	edit_all boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN m.deleted_at IS NOT NULL THEN NULL
		WHEN m.course_id IS NULL THEN
			CASE WHEN m.user_id = uid THEN 'owner' END
		WHEN (SELECT c.deleted_at FROM courses c WHERE c.id = m.course_id)
			IS NOT NULL THEN NULL
		WHEN edit_all OR EXISTS (SELECT 1 FROM courses c
				WHERE c.id = m.course_id AND c.owner_id = uid)
			OR EXISTS (SELECT 1 FROM course_collaborators k
				WHERE k.course_id = m.course_id AND k.user_id = uid)
			THEN 'editor'
		WHEN m.status = 'ready' AND EXISTS (SELECT 1 FROM enrollments e
				JOIN courses c ON c.id = e.course_id
			WHERE e.user_id = uid AND e.course_id = m.course_id
				AND e.status = 'active' AND c.status = 'published'
				AND c.deleted_at IS NULL)
			THEN 'learner'
	END
$$;
CREATE OR REPLACE FUNCTION flashcard_deck_role(d flashcard_sets, uid uuid,
	edit_all boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN d.deleted_at IS NOT NULL THEN NULL
		WHEN d.owner_id IS NOT NULL THEN
			CASE WHEN d.owner_id = uid THEN 'owner' END
		WHEN (SELECT c.deleted_at FROM courses c WHERE c.id = d.course_id)
			IS NOT NULL THEN NULL
		WHEN edit_all OR EXISTS (SELECT 1 FROM courses c
				WHERE c.id = d.course_id AND c.owner_id = uid)
			OR EXISTS (SELECT 1 FROM course_collaborators k
				WHERE k.course_id = d.course_id AND k.user_id = uid)
			THEN 'editor'
		WHEN EXISTS (SELECT 1 FROM enrollments e JOIN courses c
				ON c.id = e.course_id
			WHERE e.user_id = uid AND e.course_id = d.course_id
				AND e.status = 'active' AND c.status = 'published'
				AND c.deleted_at IS NULL)
			THEN 'learner'
	END
$$;
DROP FUNCTION course_can_review(uuid, uuid, boolean);
DROP FUNCTION course_can_edit(uuid, uuid, boolean);
ALTER TABLE course_collaborators DROP COLUMN role;
