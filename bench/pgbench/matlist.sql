-- GET /api/v1/materials?limit=20: the session check, then the list (one
-- statement).  A random material's learner (bench/data/80_materials.sql).
\set i random(1, :mat_rows)
@query auth_session \gset s_
	$1 = SELECT u.token_hash FROM bench.users u JOIN bench.mat_learners m ON m.n = u.n WHERE m.i = :i
	$2 = '1209600'
@query mat_list
	$1 = :s_user_id
	$2 = 'false'
	$3 = NULL
	$4 = NULL
	$5 = NULL
	$6 = NULL
	$7 = NULL
	$8 = NULL
	$9 = '20'
