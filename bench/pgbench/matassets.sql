-- GET /api/v1/materials/{id}/assets: the session check, then one
-- transaction: may I read it, and its assets.  A random material of the
-- bench's (bench/data/80_materials.sql), read by its learner.
\set i random(1, :mat_rows)
@query auth_session \gset s_
	$1 = SELECT u.token_hash FROM bench.users u JOIN bench.mat_learners m ON m.n = u.n WHERE m.i = :i
	$2 = '1209600'
BEGIN;
@query mat_role
	$1 = SELECT material_id FROM bench.mat_learners WHERE i = :i
	$2 = :s_user_id
	$3 = 'false'
@query mat_assets
	$1 = SELECT material_id FROM bench.mat_learners WHERE i = :i
	$2 = 'false'
	$3 = NULL
	$4 = NULL
	$5 = NULL
COMMIT;
