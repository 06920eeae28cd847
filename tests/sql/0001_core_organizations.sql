-- 0001_core: organizations constraints.
--
-- Slug format and uniqueness, name length, settings shape, the
-- single-default partial unique index and the rule that the default
-- organization cannot be soft-deleted.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(32);

-- Inserts one organization; the error of a refused row propagates.
CREATE FUNCTION pg_temp.new_org(p_slug text, p_name text DEFAULT 'Test org',
	p_default boolean DEFAULT false, p_settings jsonb DEFAULT '{}')
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO organizations (slug, name, is_default, settings)
	VALUES (p_slug, p_name, p_default, p_settings)
	RETURNING id
$$;

-- slug: ^[a-z0-9][a-z0-9-]{1,62}$ (2..63 characters) ------------------------

SELECT lives_ok($$SELECT pg_temp.new_org('ab')$$, 'slug: 2 characters is accepted');
SELECT lives_ok($$SELECT pg_temp.new_org('acme-corp')$$, 'slug: lowercase with a hyphen is accepted');
SELECT lives_ok($$SELECT pg_temp.new_org('0rg-42')$$, 'slug: may start with a digit');
SELECT lives_ok($$SELECT pg_temp.new_org(repeat('s', 63))$$, 'slug: 63 characters is accepted');

SELECT throws_ok($$SELECT pg_temp.new_org('a')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: 1 character is refused');
SELECT throws_ok($$SELECT pg_temp.new_org(repeat('s', 64))$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: 64 characters is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('Acme')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: uppercase is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('-acme')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: a leading hyphen is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('acme_corp')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: an underscore is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('acme corp')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: a space is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('ac.me')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: a dot is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_slug_check"',
	'slug: empty is refused');
SELECT throws_ok($$SELECT pg_temp.new_org(NULL)$$, '23502', NULL, 'slug: NULL is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('default')$$, '23505',
	'duplicate key value violates unique constraint "organizations_slug_key"',
	'slug: a taken slug is refused');

-- name: 1..200 characters once trimmed ---------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_org('name-200', repeat('n', 200))$$, 'name: 200 characters is accepted');
SELECT throws_ok($$SELECT pg_temp.new_org('name-201', repeat('n', 201))$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_name_check"',
	'name: 201 characters is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('name-empty', '')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_name_check"',
	'name: empty is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('name-blank', '   ')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_name_check"',
	'name: only spaces is refused');

-- settings: a JSON object --------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_org('settings-ok', 'x', false, '{"a": [1, 2]}')$$,
	'settings: an object is accepted');
SELECT throws_ok($$SELECT pg_temp.new_org('settings-array', 'x', false, '[]')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_settings_check"',
	'settings: an array is refused');
SELECT throws_ok($$SELECT pg_temp.new_org('settings-null', 'x', false, 'null')$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_settings_check"',
	'settings: JSON null is refused');

-- A single default organization ---------------------------------------------

SELECT throws_ok($$SELECT pg_temp.new_org('second-default', 'x', true)$$, '23505',
	'duplicate key value violates unique constraint "organizations_one_default"',
	'a second default organization is refused');
SELECT lives_ok($$SELECT pg_temp.new_org('not-default-1'); SELECT pg_temp.new_org('not-default-2')$$,
	'any number of non-default organizations is accepted (the index is partial)');
SELECT throws_ok($$UPDATE organizations SET is_default = true WHERE slug = 'acme-corp'$$, '23505',
	'duplicate key value violates unique constraint "organizations_one_default"',
	'turning a second organization into the default is refused');
SELECT lives_ok($$
	UPDATE organizations SET is_default = false WHERE slug = 'default';
	UPDATE organizations SET is_default = true WHERE slug = 'acme-corp'$$,
	'the default can move to another organization once the old one lets go');
SELECT results_eq($$SELECT slug FROM organizations WHERE is_default$$, $$VALUES ('acme-corp'::text)$$,
	'after the move, exactly one organization is the default');
SELECT lives_ok($$
	UPDATE organizations SET is_default = false WHERE slug = 'acme-corp';
	UPDATE organizations SET is_default = true WHERE slug = 'default'$$,
	'and it can move back');

-- The default organization cannot be soft-deleted -----------------------------

SELECT throws_ok($$UPDATE organizations SET deleted_at = now() WHERE slug = 'default'$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_check"',
	'soft-deleting the default organization is refused');
SELECT lives_ok($$UPDATE organizations SET deleted_at = now() WHERE slug = 'ab'$$,
	'soft-deleting another organization is accepted');
SELECT throws_ok($$INSERT INTO organizations (slug, name, is_default, deleted_at)
	VALUES ('deleted-default', 'x', true, now())$$, '23514',
	'new row for relation "organizations" violates check constraint "organizations_check"',
	'inserting a deleted default organization is refused');

-- Organizations are referenced --------------------------------------------

SELECT throws_ok($$DELETE FROM organizations WHERE slug = 'default'$$, '23503', NULL,
	'deleting an organization that still has users is refused');
SELECT is((SELECT count(*) FROM organizations WHERE is_default), 1::bigint,
	'still exactly one default organization');

SELECT * FROM finish();
ROLLBACK;
