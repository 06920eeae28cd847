-- PUT /api/v1/attempts/{id}/answers/{question_id}: a single-choice answer
-- to a random question of one of the 5,000 open attempts.  Needs
-- -D save_rows=N (the rows of bench.save_pool).
\set i random(1, :save_rows)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = (SELECT n FROM bench.save_pool WHERE i = :i)
	$2 = '1209600'
BEGIN;
@query attempt_share
	$1 = SELECT attempt_id FROM bench.save_pool WHERE i = :i
	$2 = :s_user_id
@query answer_row
	$1 = SELECT attempt_id FROM bench.save_pool WHERE i = :i
	$2 = SELECT started_at FROM bench.save_pool WHERE i = :i
	$3 = SELECT question_id FROM bench.save_pool WHERE i = :i
@query answer_save
	$1 = SELECT attempt_id FROM bench.save_pool WHERE i = :i
	$2 = SELECT started_at FROM bench.save_pool WHERE i = :i
	$3 = SELECT question_id FROM bench.save_pool WHERE i = :i
	$4 = 'true'
	$5 = jsonb_build_object('choice', chr(65 + :i % 4))::text
	$6 = NULL
	$7 = '5'
	$8 = 'false'
	$9 = '0'
@query answer_row
	$1 = SELECT attempt_id FROM bench.save_pool WHERE i = :i
	$2 = SELECT started_at FROM bench.save_pool WHERE i = :i
	$3 = SELECT question_id FROM bench.save_pool WHERE i = :i
COMMIT;
