-- Schema-wide invariants: the conventions of 0001_core that every later
-- migration must keep, written as generic catalog queries so that a new
-- table is checked without touching this file.
--
--   * every foreign key in schema public has an index whose leading
--     columns are the foreign key's columns (partitioned tables and their
--     partitions included), so deletes on the referenced side and joins
--     never scan;
--   * every table with an updated_at column has a BEFORE UPDATE row
--     trigger calling set_updated_at(), and no other table has one;
--   * time columns are timestamptz, uuid keys have defaults, org_id is on
--     every tenant-owned row and is tied to a foreign key, partitioned
--     tables have a DEFAULT partition, jsonb columns are shape-checked.
--
-- Each detector is shown to work on a throwaway probe table first (a test
-- that can never fail proves nothing).  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(21);

-- Foreign keys without a covering index ----------------------------------------------

CREATE TEMP VIEW unindexed_fks AS
SELECT c.conrelid::regclass::text COLLATE "default" AS table_name, c.conname::text COLLATE "default" AS fk,
	(SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
	 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
WHERE c.contype = 'f'
	AND t.relnamespace = 'public'::regnamespace
	AND NOT EXISTS (
		SELECT 1
		FROM pg_index i
		WHERE i.indrelid = c.conrelid
			AND i.indpred IS NULL                          -- a partial index does not cover every row
			AND i.indnkeyatts >= cardinality(c.conkey)     -- key columns, not INCLUDE ones
			AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
			AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey);

SELECT ok((SELECT count(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
	WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace AND t.relkind = 'p') > 0,
	'set-up: partitioned tables with foreign keys are among those checked');
SELECT is_empty($$SELECT * FROM unindexed_fks$$,
	'every foreign key in public has an index whose leading columns are its columns');

-- The detector catches a missing index, an index in the wrong order and a
-- partial index, and accepts a composite index led by the key.
CREATE TABLE public.pgtap_fk_probe (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	user_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
);
SELECT results_eq($$SELECT table_name, fk FROM unindexed_fks ORDER BY fk$$,
	$$VALUES ('pgtap_fk_probe', 'pgtap_fk_probe_org_id_fkey'), ('pgtap_fk_probe', 'pgtap_fk_probe_user_id_org_id_fkey')$$,
	'detector: finds the two unindexed foreign keys of a probe table');
CREATE INDEX ON public.pgtap_fk_probe (created_at, org_id);
CREATE INDEX ON public.pgtap_fk_probe (org_id) WHERE created_at > '2000-01-01';
SELECT results_eq($$SELECT fk FROM unindexed_fks ORDER BY fk$$,
	$$VALUES ('pgtap_fk_probe_org_id_fkey'), ('pgtap_fk_probe_user_id_org_id_fkey')$$,
	'detector: an index not led by the key, or a partial one, does not count');
CREATE INDEX ON public.pgtap_fk_probe (org_id, created_at);
CREATE INDEX ON public.pgtap_fk_probe (org_id, user_id);
SELECT is_empty($$SELECT * FROM unindexed_fks$$,
	'detector: an index led by the key columns, in either order, counts');
DROP TABLE public.pgtap_fk_probe;

-- updated_at is kept by set_updated_at() ------------------------------------------------

CREATE TEMP VIEW updated_at_tables AS
SELECT c.oid::regclass::text COLLATE "default" AS table_name
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p');

-- tgtype bits: 1 = row, 2 = before, 16 = update.
CREATE TEMP VIEW updated_at_untriggered AS
SELECT table_name FROM updated_at_tables u
WHERE NOT EXISTS (
	SELECT 1 FROM pg_trigger tg
	WHERE tg.tgrelid = u.table_name::regclass
		AND tg.tgfoid = 'public.set_updated_at()'::regprocedure
		AND tg.tgtype & (1 | 2 | 16) = (1 | 2 | 16)
		AND tg.tgenabled <> 'D');

SELECT ok((SELECT count(*) FROM updated_at_tables WHERE table_name IN
	('organizations', 'user_profiles', 'user_settings', 'users', 'learning_streaks')) = 5,
	'set-up: the detector sees the tables with updated_at');
SELECT is_empty($$SELECT * FROM updated_at_untriggered$$,
	'every table with an updated_at column has a BEFORE UPDATE row trigger calling set_updated_at()');
SELECT is_empty(
	$$SELECT tg.tgrelid::regclass FROM pg_trigger tg
	  WHERE tg.tgfoid = 'public.set_updated_at()'::regprocedure
	    AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = tg.tgrelid
	                    AND a.attname = 'updated_at' AND NOT a.attisdropped)$$,
	'set_updated_at() is attached only to tables that have updated_at');
SELECT is_empty(
	$$SELECT tg.tgrelid::regclass, tg.tgname FROM pg_trigger tg
	  WHERE tg.tgfoid = 'public.set_updated_at()'::regprocedure AND tg.tgenabled = 'D'$$,
	'no set_updated_at() trigger is disabled');

-- The detector catches a table without the trigger, and an AFTER trigger.
CREATE TABLE public.pgtap_updated_at_probe (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
SELECT results_eq($$SELECT table_name FROM updated_at_untriggered$$, $$VALUES ('pgtap_updated_at_probe')$$,
	'detector: finds a table with updated_at and no trigger');
CREATE TRIGGER probe_after AFTER UPDATE ON public.pgtap_updated_at_probe
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT results_eq($$SELECT table_name FROM updated_at_untriggered$$, $$VALUES ('pgtap_updated_at_probe')$$,
	'detector: an AFTER trigger does not count');
CREATE TRIGGER probe_before BEFORE UPDATE ON public.pgtap_updated_at_probe
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
SELECT is_empty($$SELECT * FROM updated_at_untriggered$$, 'detector: a BEFORE UPDATE row trigger counts');
DROP TABLE public.pgtap_updated_at_probe;

-- Other conventions of 0001_core --------------------------------------------------------

SELECT is_empty(
	$$SELECT table_name, column_name, data_type FROM information_schema.columns
	  WHERE table_schema = 'public' AND column_name LIKE '%\_at' AND data_type <> 'timestamp with time zone'$$,
	'every *_at column in public is timestamptz');

SELECT is_empty(
	$$SELECT c.relname FROM pg_class c
	  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')$$,
	'every table (and partition) in public has a primary key');

-- A single-column uuid primary key that is not a foreign key is generated
-- by PostgreSQL (user_profiles/user_settings.user_id borrow the user's id).
SELECT is_empty(
	$$SELECT k.conrelid::regclass, a.attname
	  FROM pg_constraint k
	  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
	  WHERE k.contype = 'p' AND k.connamespace = 'public'::regnamespace
	    AND a.atttypid = 'uuid'::regtype AND NOT a.atthasdef
	    AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = k.conrelid
	                    AND f.contype = 'f' AND a.attnum = ANY (f.conkey))$$,
	'every uuid primary key column that is not borrowed through a foreign key has a default');

-- org_id on every tenant-owned row: every table but organizations and the
-- migration bookkeeping has a NOT NULL org_id that a foreign key checks.
SELECT is_empty(
	$$SELECT c.relname FROM pg_class c
	  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
	    -- Install-wide tables: the tenants themselves, migrations, the
	    -- rate-limit counters (keyed by client address, before any tenant)
	    -- the exam catalog every organization shares, and the
	    -- achievements and avatars every learner can earn.
	    AND c.relname NOT IN ('organizations', 'schema_migrations', 'rate_limits',
	                          'exams', 'exam_domains', 'exam_objectives',
	                          'achievements', 'avatars', 'permissions')
	    AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id'
	                    AND a.attnotnull AND NOT a.attisdropped)$$,
	'every tenant-owned table has a NOT NULL org_id column');
SELECT is_empty(
	$$SELECT c.relname FROM pg_class c
	  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
	  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	    AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = c.oid
	                    AND f.contype = 'f' AND a.attnum = ANY (f.conkey))$$,
	'every org_id column is checked by a foreign key');

SELECT is_empty(
	$$SELECT p.relname FROM pg_class p
	  WHERE p.relnamespace = 'public'::regnamespace AND p.relkind = 'p'
	    AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
	                    WHERE i.inhparent = p.oid AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT')$$,
	'every partitioned table has a DEFAULT partition');

SELECT is_empty(
	$$SELECT c.relname, a.attname FROM pg_class c
	  JOIN pg_attribute a ON a.attrelid = c.oid AND a.atttypid = 'jsonb'::regtype AND NOT a.attisdropped
	  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	    AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c'
	                    AND k.conkey = ARRAY[a.attnum]
	                    AND pg_get_constraintdef(k.oid) LIKE '%jsonb_typeof(' || a.attname || ') = ''object''%')$$,
	'every jsonb column is checked to be a JSON object');

SELECT is_empty(
	$$SELECT conrelid::regclass, conname FROM pg_constraint
	  WHERE connamespace = 'public'::regnamespace AND NOT convalidated$$,
	'every constraint in public is validated');
SELECT is_empty(
	$$SELECT i.indexrelid::regclass FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	  WHERE c.relnamespace = 'public'::regnamespace AND NOT (i.indisvalid AND i.indisready)$$,
	'every index in public is valid (partitioned indexes are attached on every partition)');

SELECT * FROM finish();
ROLLBACK;
