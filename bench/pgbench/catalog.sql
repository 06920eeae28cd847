-- GET /api/v1/courses: the first page of the course catalog (no filter).
\set n random(1, 90000)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
@query courses_catalog
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = 'content.all' = ANY (:s_perms::text[])
	$4 = NULL
	$5 = NULL
	$6 = NULL
	$7 = NULL
	$8 = NULL
	$9 = NULL
	$10 = NULL
	$11 = NULL
	$12 = '20'
