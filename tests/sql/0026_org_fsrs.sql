-- 0026_org_fsrs: an organization's fitted FSRS parameters.
--
-- The table, its key and checks (21 parameters, as flashcard_settings
-- keeps a learner's; reviews not negative; an organization that exists;
-- one row each), the admin who asked for the fit going away (the row
-- stays, without them), the organization going away (the row goes), and
-- row-level security as ludus_app: its own organization's row, upserted as
-- the job does, and no other's (tests/sql/0015_isolation.sql checks the
-- policy with every other table).  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(26);

\ir lib/refused.psql

-- ---- the table -------------------------------------------------------------

SELECT has_table('flashcard_org_params');
SELECT col_is_pk('flashcard_org_params', 'org_id');
SELECT fk_ok('flashcard_org_params', 'org_id', 'organizations', 'id');
SELECT fk_ok('flashcard_org_params', ARRAY['fitted_by', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT col_type_is('flashcard_org_params', 'params', 'double precision[]');
SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	WHERE attrelid = 'flashcard_org_params'::regclass AND attname = 'params'),
	(SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	WHERE attrelid = 'flashcard_settings'::regclass AND attname = 'params'),
	'the parameters are of the type of a learner''s');
SELECT col_not_null('flashcard_org_params', 'params');
SELECT col_not_null('flashcard_org_params', 'loss_before');
SELECT col_not_null('flashcard_org_params', 'loss_after');
SELECT col_not_null('flashcard_org_params', 'reviews');
SELECT col_not_null('flashcard_org_params', 'fitted_at');
SELECT col_is_null('flashcard_org_params', 'fitted_by');

-- Two organizations of their own, each with an admin.
INSERT INTO organizations (id, slug, name) VALUES
	('00000000-0000-4000-8000-0000000026a1', 'fsrs-a', 'FSRS A'),
	('00000000-0000-4000-8000-0000000026b1', 'fsrs-b', 'FSRS B');
INSERT INTO users (id, org_id, email, username, password_hash, role) VALUES
	('00000000-0000-4000-8000-0000000026a2',
		'00000000-0000-4000-8000-0000000026a1', 'fsrs-a@x.test', 'fsrs_a',
		'$2b$10$' || repeat('.', 53), 'admin'),
	('00000000-0000-4000-8000-0000000026b2',
		'00000000-0000-4000-8000-0000000026b1', 'fsrs-b@x.test', 'fsrs_b',
		'$2b$10$' || repeat('.', 53), 'admin');

CREATE FUNCTION pg_temp.put(p_org text, p_n integer, p_reviews integer,
	p_by text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO flashcard_org_params (org_id,
		params, loss_before, loss_after, reviews, fitted_by)
		VALUES (%L, array_fill(0.5::double precision, ARRAY[%s]), 0.4, 0.35,
			%s, %L)', p_org, p_n, p_reviews, p_by))
$$;

SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026a1', 20, 1000),
	'23514 flashcard_org_params_params_check', 'not 20 parameters');
SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026a1', 22, 1000),
	'23514 flashcard_org_params_params_check', 'nor 22');
SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026a1', 21, -1),
	'23514 flashcard_org_params_reviews_check', 'reviews are not negative');
SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026c1', 21, 1000),
	'23503 flashcard_org_params_org_id_fkey', 'an organization that exists');
SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026a1', 21, 1000,
	'00000000-0000-4000-8000-0000000026b2'),
	'23503 flashcard_org_params_fitted_by_org_id_fkey',
	'fitted by one of its own people');
SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026a1', 21, 1000,
	'00000000-0000-4000-8000-0000000026a2'), 'ok', '21 parameters go in');
SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026a1', 21, 1200),
	'23505 flashcard_org_params_pkey', 'one row per organization');

DELETE FROM users WHERE id = '00000000-0000-4000-8000-0000000026a2';
SELECT is((SELECT fitted_by FROM flashcard_org_params
	WHERE org_id = '00000000-0000-4000-8000-0000000026a1'), NULL::uuid,
	'the admin who asked goes away; the parameters stay');

-- ---- as the app: its own organization's row only ---------------------------

SELECT is(pg_temp.put('00000000-0000-4000-8000-0000000026b1', 21, 1000,
	'00000000-0000-4000-8000-0000000026b2'), 'ok', 'B has its own');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000026a1', true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is(ARRAY(SELECT org_id FROM flashcard_org_params),
	ARRAY['00000000-0000-4000-8000-0000000026a1'::uuid],
	'ludus_app sees its organization''s parameters, not another''s');
-- The job's upsert (fc_org_params_save).
INSERT INTO flashcard_org_params AS p (org_id, params, loss_before,
	loss_after, reviews)
VALUES ('00000000-0000-4000-8000-0000000026a1',
	array_fill(0.25::double precision, ARRAY[21]), 0.5, 0.45, 1500)
ON CONFLICT (org_id) DO UPDATE SET params = EXCLUDED.params,
	reviews = EXCLUDED.reviews, fitted_at = now();
SELECT is((SELECT reviews FROM flashcard_org_params), 1500,
	'and refits them in place');
SELECT is(pg_temp.refused($$INSERT INTO flashcard_org_params (org_id, params,
	loss_before, loss_after, reviews)
	VALUES ('00000000-0000-4000-8000-0000000026b1',
		array_fill(0.5::double precision, ARRAY[21]), 0.4, 0.35, 1000)
	ON CONFLICT (org_id) DO UPDATE SET reviews = 1$$),
	'42501 -', 'but writes none for another organization');
RESET ROLE;
SELECT is((SELECT reviews FROM flashcard_org_params
	WHERE org_id = '00000000-0000-4000-8000-0000000026b1'), 1000,
	'whose row is as it was');

-- ---- an organization that goes takes its parameters -------------------------

-- (An organization is not deleted while it has built-in roles; the key
-- says what would happen.)
SELECT is((SELECT confdeltype::text FROM pg_constraint
	WHERE conname = 'flashcard_org_params_org_id_fkey'), 'c',
	'the parameters go with their organization');

SELECT * FROM finish();
ROLLBACK;
