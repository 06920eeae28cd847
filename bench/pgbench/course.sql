-- GET /api/v1/courses/{id}: a course's outline with my state in each of
-- its 40 lessons.
\set n random(1, 90000)
\set c random(1, 10)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
@query course_get
	$1 = SELECT id FROM bench.courses WHERE i = :c
	$2 = :s_org_id
	$3 = :s_user_id
	$4 = 'content.all' = ANY (:s_perms::text[])
