-- POST /api/v1/assessments/{id}/attempts: a new attempt at a 10-question
-- quiz, never a resumed one: client c's k-th transaction takes the pair
-- (learner, quiz) number c + clients * k of accounts base..base+span-1
-- (the driver gives each pgbench run its own accounts, above 25000: wrk
-- takes 1..25000).  The questions an attempt freezes come from
-- bench.quizzes (ludus draws and shuffles them in C).  Needs -D i=0,
-- -D clients=N, -D base=N and -D span=N.
\set i :i + 1
\set k :client_id + :clients * (:i - 1)
\set n :base + :k % :span
\set q 1 + (:k / :span) % 19
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
BEGIN;
@query attempt_turn
	$1 = :s_user_id
	$2 = SELECT id FROM bench.quizzes WHERE i = :q
@query attempt_plan
	$1 = SELECT id FROM bench.quizzes WHERE i = :q
	$2 = :s_org_id
	$3 = :s_user_id
	$4 = 'content.all' = ANY (:s_perms::text[])
@query pick_rules
	$1 = :s_org_id
	$2 = SELECT exam_id FROM bench.quizzes WHERE i = :q
	$3 = SELECT domain_code FROM bench.quizzes WHERE i = :q
	$4 = '10'
	$5 = '1'
	$6 = '5'
	$7 = NULL
	$8 = NULL
	$9 = '{}'
@query attempt_insert \gset a_
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = SELECT id FROM bench.quizzes WHERE i = :q
	$4 = SELECT count(*) + 1 FROM attempts WHERE user_id = :s_user_id AND assessment_id = (SELECT id FROM bench.quizzes WHERE i = :q)
	$5 = NULL
	$6 = 'quiz'
	$7 = SELECT exam_id FROM bench.quizzes WHERE i = :q
	$8 = '70.00'
	$9 = 'end'
	$10 = 'true'
	$11 = '10'
	$12 = '10.00'
@query attempt_answers_insert
	$1 = :a_id
	$2 = :a_started_at
	$3 = :s_user_id
	$4 = :s_org_id
	$5 = SELECT items FROM bench.quizzes WHERE i = :q
@query activity_insert
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = 'assessment.started'
	$4 = 'attempt'
	$5 = :a_id
	$6 = NULL
@query attempt_head
	$1 = :a_id
	$2 = :s_user_id
@query attempt_items
	$1 = :a_id
	$2 = :a_started_at
COMMIT;
