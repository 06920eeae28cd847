-- 0019_search_rls: search keeps its indexes under row-level security.
--
-- With the policies in force, PostgreSQL does not evaluate a condition
-- that is not leakproof before the policy's: "tsvector @@ tsquery" and
-- pg_trgm's similarity are not, so search read every lesson of the
-- organization instead of its GIN indexes (the bench: 165 requests per
-- second as ludus_app, 860 as the owner).  The search now runs in one
-- SECURITY DEFINER function, as the owner, and confines itself: the
-- organization is the transaction's (ludus_org()), never a parameter, so
-- a request can still search its own organization only.  The query is the
-- named query's of 0011 and 0014, unchanged: search_tsquery (0011)
-- corrects the query's typos against the organization's words; matches in
-- a title, summary or tags (search_head) rank first, by how well those
-- match (the first 10 x p_limit found); matches in the text alone come
-- after, the first p_limit found, ranked on their whole text; only the
-- hits shown read a passage for their snippet (0014), whose marks are
-- chr(1) and chr(2) until the end.

CREATE FUNCTION search_doc(p_user uuid, p_all boolean, p_q text,
	p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_org uuid := ludus_org();
BEGIN
	IF v_org IS NULL THEN
		RETURN json_build_object('query', p_q, 'items', '[]'::json);
	END IF;
	RETURN (
	WITH q AS (
		SELECT search_tsquery(v_org, p_q, false) AS tsq
	), seen AS NOT MATERIALIZED (
		-- the organization's courses, and whether I see their drafts (a
		-- lesson is in its course's organization: no org_id test on lessons,
		-- which led the planner to AND the matches with all the org's lessons)
		SELECT c.id, c.title, c.status = 'published' AS published,
			p_all OR c.owner_id = p_user OR EXISTS (SELECT 1
				FROM course_collaborators k WHERE k.course_id = c.id
				AND k.user_id = p_user) AS drafts
		FROM courses c WHERE c.org_id = v_org AND c.deleted_at IS NULL
	), lesson_hits AS (
		(SELECT 'lesson' AS type, l.id, l.title, l.course_id,
			c.title AS course_title,
			1 + ts_rank_cd(l.search_head, q.tsq, 32) AS rank
		FROM q, lessons l JOIN seen c ON c.id = l.course_id
		WHERE l.search_head @@ q.tsq AND l.deleted_at IS NULL
			AND ((l.status = 'published' AND c.published) OR c.drafts)
		LIMIT 10 * p_limit)
		UNION ALL
		(SELECT 'lesson', l.id, l.title, l.course_id, c.title,
			ts_rank_cd(l.search, q.tsq, 32)
		FROM q, lessons l JOIN seen c ON c.id = l.course_id
		WHERE l.search @@ q.tsq AND NOT l.search_head @@ q.tsq
			AND l.deleted_at IS NULL
			AND ((l.status = 'published' AND c.published) OR c.drafts)
		LIMIT p_limit)
	), course_hits AS (
		SELECT 'course' AS type, c.id, c.title, c.id AS course_id,
			c.title AS course_title,
			CASE WHEN c.search_head @@ q.tsq
				THEN 1 + ts_rank_cd(c.search_head, q.tsq, 32)
				ELSE ts_rank_cd(c.search, q.tsq, 32) END AS rank
		FROM q, courses c JOIN seen s ON s.id = c.id
		WHERE c.org_id = v_org AND c.search @@ q.tsq AND (s.published OR s.drafts)
	), hits AS (
		SELECT * FROM lesson_hits UNION ALL SELECT * FROM course_hits
		ORDER BY rank DESC, title, id
		LIMIT p_limit
	), shown AS (
		-- Snippets for the hits shown only (ts_headline is the costly part;
		-- one fragment: a fifth of the time of the default's covers), each
		-- from a lesson's first passage that matches, or its first passage
		-- (0014_lesson_passages: escaped, and the marks are chr(1) and chr(2),
		-- which the text cannot hold).
		SELECT h.*, ts_headline('english', coalesce(b.body, ''), q.tsq,
			'StartSel=' || chr(1) || ', StopSel=' || chr(2)
			|| ', MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1')
			AS snippet
		FROM hits h CROSS JOIN q LEFT JOIN LATERAL (
			(SELECT p.body FROM lesson_passages p
			WHERE h.type = 'lesson' AND p.lesson_id = h.id
			ORDER BY p.words @@ q.tsq DESC, p.n
			LIMIT 1)
			UNION ALL
			SELECT snippet_text(coalesce(c.summary, c.description)) FROM courses c
			WHERE h.type = 'course' AND c.id = h.id) b ON true
	)
	SELECT json_build_object('query', p_q, 'items', coalesce(json_agg(
		json_build_object('type', type, 'id', id, 'title', title,
			'course', json_build_object('id', course_id, 'title', course_title),
			'rank', round(rank::numeric, 4),
			'snippet', replace(replace(snippet, chr(1), '<mark>'), chr(2),
				'</mark>'))
		ORDER BY rank DESC, title, id), '[]'))
	FROM shown
	);
END
$fn$;
SELECT ludus_grant_definers();
