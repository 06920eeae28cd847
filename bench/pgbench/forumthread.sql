-- Reading the big thread (bench/data/77_forums.sql): the session check,
-- then one statement: one time in five the thread's first post
-- (GET /api/v1/forum/threads/{id}), else a page of 50 replies after a
-- random reply, in tree order (3 in 5) or by time (1 in 5).  A random one
-- of the learners n = 10, 20, .. 20000 (enrolled in course 1).  The
-- thread's id and last reply number come from the driver (-D forum_big,
-- forum_seq), and the page's length as a parameter (as ludus sends it:
-- the generic plan depends on it), so that the planner sees what it sees
-- of ludus's statement.
\set n 10 * random(1, 2000)
\set r random(1, 5)
\set k random(1, :forum_seq)
\set page 50
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
\if :r = 1
@query forum_thread
	$1 = :s_user_id
	$2 = 'content.all' = ANY (:s_perms::text[])
	$3 = :forum_big
\elif :r = 5
@query forum_replies_page
	$1 = :s_user_id
	$2 = 'content.all' = ANY (:s_perms::text[])
	$3 = :forum_big
	$4 = 'time'
	$5 = :k
	$6 = :page
\else
@query forum_replies_page
	$1 = :s_user_id
	$2 = 'content.all' = ANY (:s_perms::text[])
	$3 = :forum_big
	$4 = 'tree'
	$5 = :k
	$6 = :page
\endif
