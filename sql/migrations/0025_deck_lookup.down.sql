-- 0025_deck_lookup, undone: the SQL function of 0021.
DROP FUNCTION flashcard_decks_for(uuid);
CREATE FUNCTION flashcard_decks_for(uid uuid) RETURNS SETOF uuid
LANGUAGE sql STABLE AS $$
	SELECT d.id FROM flashcard_sets d
	WHERE d.owner_id = uid AND d.deleted_at IS NULL
	UNION ALL
	SELECT d.id FROM flashcard_sets d
	WHERE d.deleted_at IS NULL AND d.course_id IN (
		SELECT e.course_id FROM enrollments e JOIN courses c
			ON c.id = e.course_id
		WHERE e.user_id = uid AND e.status = 'active'
			AND c.status = 'published' AND c.deleted_at IS NULL
		UNION
		SELECT c.id FROM courses c
		WHERE c.owner_id = uid AND c.deleted_at IS NULL
		UNION
		SELECT k.course_id FROM course_collaborators k JOIN courses c
			ON c.id = k.course_id
		WHERE k.user_id = uid AND c.deleted_at IS NULL)
$$;
