-- 0025_deck_lookup: the decks a user studies, looked up with a plan kept
-- for the connection.
--
-- flashcard_decks_for() was an SQL function: every statement that called
-- it planned its body again (about 0.8 ms, a quarter of the dashboard's
-- time in the bench).  As PL/pgSQL its plan is kept for the connection,
-- and ROWS tells the planner a user studies a few decks, not a thousand,
-- so their cards are found through the deck index.  What it answers is
-- unchanged.
CREATE OR REPLACE FUNCTION flashcard_decks_for(uid uuid) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE ROWS 4 AS $$
BEGIN
	RETURN QUERY
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
		WHERE k.user_id = uid AND c.deleted_at IS NULL);
END
$$;
