-- GET /api/v1/forum/categories/{id}/threads: the session check, then the
-- page (one statement).  A random one of the first 20,000 learners and
-- the forum of their course (1 + n % 10); one time in five a later page,
-- after the thread that ends page p (bench/data/77_forums.sql).  The ids
-- come in as the driver's lists (-D forum_cats, forum_pages), not as
-- subqueries, and the page's length as a parameter (as ludus sends it:
-- the generic plan depends on it), so that the planner sees what it sees
-- of ludus's statement.
\set n random(1, 20000)
\set r random(1, 5)
\set p random(1, 10)
\set page 30
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
\if :r = 1
@query forum_threads
	$1 = :s_user_id
	$2 = 'content.all' = ANY (:s_perms::text[])
	$3 = (:forum_cats::uuid[])[1 + :n % 10]
	$4 = (:forum_pages::uuid[])[:n % 10 * 10 + :p]
	$5 = :page
\else
@query forum_threads
	$1 = :s_user_id
	$2 = 'content.all' = ANY (:s_perms::text[])
	$3 = (:forum_cats::uuid[])[1 + :n % 10]
	$4 = NULL
	$5 = :page
\endif
