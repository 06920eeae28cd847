-- POST /api/v1/lessons/{id}/progress: a random learner at a random lesson
-- (enrolled on the way when new to the course; the activity row ludus then
-- adds is left out).
\set n random(1, 90000)
\set l random(1, 400)
\set pct random(1, 99)
\set pos random(0, 900)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
BEGIN;
@query lesson_learnable
	$1 = SELECT id FROM bench.lessons WHERE i = :l
	$2 = :s_org_id
	$3 = :s_user_id
@query enroll
	$1 = :s_user_id
	$2 = :s_org_id
	$3 = SELECT course_id FROM bench.lessons WHERE i = :l
@query progress_upsert
	$1 = :s_user_id
	$2 = :s_org_id
	$3 = SELECT id FROM bench.lessons WHERE i = :l
	$4 = SELECT course_id FROM bench.lessons WHERE i = :l
	$5 = :pct
	$6 = jsonb_build_object('seconds', :pos::integer)::text
@query enrollment_refresh
	$1 = :s_user_id
	$2 = SELECT course_id FROM bench.lessons WHERE i = :l
@query progress_get
	$1 = :s_user_id
	$2 = SELECT id FROM bench.lessons WHERE i = :l
COMMIT;
