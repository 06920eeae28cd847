-- POST /api/v1/attempts/{id}/submit: each transaction submits an open,
-- fully answered attempt of its own: client c's k-th takes number
-- base + (c + clients * k) % span of bench.submit_pool (the driver gives
-- each pgbench run its own rows, above 17500: wrk takes 1..17500), with
-- the credits ludus would compute.  The steps ludus takes only sometimes
-- (a lesson completed, a new day, an achievement granted) are left out.
-- Needs -D i=0, -D clients=N, -D base=N and -D span=N.
\set i :i + 1
\set k :base + (:client_id + :clients * (:i - 1)) % :span
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = (SELECT n FROM bench.submit_pool WHERE i = :k)
	$2 = '1209600'
BEGIN;
@query attempt_lock
	$1 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$2 = :s_user_id
@query attempt_items
	$1 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$2 = SELECT started_at FROM bench.submit_pool WHERE i = :k
@query answers_score
	$1 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$2 = SELECT started_at FROM bench.submit_pool WHERE i = :k
	$3 = SELECT positions FROM bench.submit_pool WHERE i = :k
	$4 = SELECT credits FROM bench.submit_pool WHERE i = :k
@query attempt_finish
	$1 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$2 = 'submitted'
	$3 = SELECT correct FROM bench.submit_pool WHERE i = :k
	$4 = SELECT correct FROM bench.submit_pool WHERE i = :k
	$5 = SELECT percentage FROM bench.submit_pool WHERE i = :k
	$6 = SELECT passed FROM bench.submit_pool WHERE i = :k
	$7 = NULL
	$8 = SELECT domain_scores FROM bench.submit_pool WHERE i = :k
	$9 = '300'
@query activity_insert
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = 'assessment.submitted'
	$4 = 'attempt'
	$5 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$6 = SELECT jsonb_build_object('status', 'submitted', 'percentage', percentage, 'passed', passed)::text FROM bench.submit_pool WHERE i = :k
@query gamify_lock
	$1 = :s_user_id
@query activity_touch
	$1 = :s_user_id
	$2 = :s_org_id
	$3 = '0'
	$4 = '1'
	$5 = '0'
	$6 = NULL
@query goal_exam_done
	$1 = :s_user_id
	$2 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
@query xp_awards
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = SELECT jsonb_build_array(jsonb_build_object('source', 'quiz', 'amount', 10, 'reason', 'Quiz finished', 'key', 'attempt' || chr(58) || attempt_id, 'type', 'attempt', 'id', attempt_id))::text FROM bench.submit_pool WHERE i = :k
	$4 = NULL
	$5 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$6 = '2'
@query xp_refresh
	$1 = :s_user_id
@query gamify_stats
	$1 = :s_user_id
@query achievements_open
	$1 = :s_user_id
@query attempt_head
	$1 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$2 = :s_user_id
@query attempt_items
	$1 = SELECT attempt_id FROM bench.submit_pool WHERE i = :k
	$2 = SELECT started_at FROM bench.submit_pool WHERE i = :k
COMMIT;
