-- 0027_files and 0028_card_media: the file store and a deck's media.
--
-- file_blobs: its key (organization, SHA-256), its checks (a 32-byte hash
-- that is the bytes' own, a media type, a size that is the bytes', a count
-- not below zero), the bytes stored out of line and uncompressed, the
-- organization going away taking its files; the app's upsert (file_put):
-- the same bytes once per organization, met again only touched.
-- flashcard_media: the name's rule (Anki's, 120 bytes at most), its key
-- (deck, name), the deck (a hard delete takes its media) and a blob of its
-- own organization.  The uses counted by file_blob_ref as rows come, change
-- and go; file_blobs_sweep (an hour at least; only the unused and old,
-- every organization's, for ludus_app whatever organization it is set
-- to); fc_media_room and flashcard_media_json; row-level security as
-- ludus_app (tests/sql/0015_isolation.sql checks the policy with every
-- other table).  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(105);

\ir lib/refused.psql

-- This file's ids: a1 organization A, a2 its admin, b1 B, b2 its admin,
-- c1 C (nothing in it); d1..d4 A's decks, e1 B's.
CREATE FUNCTION pg_temp.id(p text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
	SELECT ('00000000-0000-4000-8000-0000000027' || p)::uuid
$$;
GRANT EXECUTE ON FUNCTION pg_temp.id(text) TO ludus_app;
-- A file's bytes: the text given, in UTF-8.
CREATE FUNCTION pg_temp.b(p text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT convert_to(p, 'UTF8')
$$;
GRANT EXECUTE ON FUNCTION pg_temp.b(text) TO ludus_app;
-- The app's file_put (sql/queries/files.sql) for organization p_org.
CREATE FUNCTION pg_temp.put(p_org text, p_bytes text,
	p_type text DEFAULT 'image/png') RETURNS text LANGUAGE sql AS $$
	INSERT INTO file_blobs AS b (org_id, sha256, media_type, size_bytes, data)
	VALUES (pg_temp.id(p_org), sha256(pg_temp.b(p_bytes)), p_type,
		octet_length(pg_temp.b(p_bytes)), pg_temp.b(p_bytes))
	ON CONFLICT (org_id, sha256) DO UPDATE SET touched_at = now()
	RETURNING encode(b.sha256, 'hex')
$$;
GRANT EXECUTE ON FUNCTION pg_temp.put(text, text, text) TO ludus_app;
-- How many use the blob of p_org whose bytes are p_bytes (null: no blob).
CREATE FUNCTION pg_temp.refs(p_org text, p_bytes text) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT refs FROM file_blobs
	WHERE org_id = pg_temp.id(p_org) AND sha256 = sha256(pg_temp.b(p_bytes))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.refs(text, text) TO ludus_app;
-- A medium named p_name in deck p_set, the blob of the bytes p_bytes.
CREATE FUNCTION pg_temp.media(p_set text, p_name text, p_bytes text,
	p_org text DEFAULT 'a1', p_by text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO flashcard_media (org_id, set_id,
		name, sha256, media_type, size_bytes, created_by)
		VALUES (%L, %L, %L, sha256(pg_temp.b(%L)), ''image/png'',
			octet_length(pg_temp.b(%L)), %L)', pg_temp.id(p_org),
		pg_temp.id(p_set), p_name, p_bytes, p_bytes,
		CASE WHEN p_by IS NOT NULL THEN pg_temp.id(p_by) END))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.media(text, text, text, text, text)
	TO ludus_app;
-- A blob row of A written directly, all of its columns given.
CREATE FUNCTION pg_temp.blob(p_sha bytea, p_type text, p_size integer,
	p_data bytea, p_refs integer DEFAULT 0, p_org text DEFAULT 'a1')
RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.refused(format('INSERT INTO file_blobs (org_id, sha256,
		media_type, size_bytes, data, refs) VALUES (%L, %L, %L, %s, %L, %s)',
		pg_temp.id(p_org), p_sha, p_type, p_size, p_data, p_refs))
$$;

-- ---- file_blobs: the table -------------------------------------------------

SELECT has_table('file_blobs');
SELECT col_is_pk('file_blobs', ARRAY['org_id', 'sha256']);
SELECT fk_ok('file_blobs', 'org_id', 'organizations', 'id');
-- (An organization is not deleted while it has built-in roles; the key
-- says what would happen, and the end of this file does it.)
SELECT is((SELECT confdeltype::text FROM pg_constraint
	WHERE conname = 'file_blobs_org_id_fkey'), 'c',
	'the files go with their organization');
SELECT is((SELECT attstorage::text FROM pg_attribute
	WHERE attrelid = 'file_blobs'::regclass AND attname = 'data'), 'e',
	'the bytes are stored out of line and not compressed again (EXTERNAL)');
SELECT is((SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
	WHERE i.indexrelid = 'file_blobs_unused_idx'::regclass), '(refs = 0)',
	'the sweep''s index holds the unused blobs only');
-- A hash of another length cannot be a SHA-256 of the bytes either (that
-- check would refuse it too): the length check is read from the catalog.
SELECT is((SELECT pg_get_constraintdef(oid) FROM pg_constraint
	WHERE conname = 'file_blobs_sha256_check'),
	'CHECK ((octet_length(sha256) = 32))', 'the hash takes 32 bytes');

-- Three organizations of their own (C holds nothing), A and B with an
-- admin; A's decks d1..d4, B's e1.
INSERT INTO organizations (id, slug, name) VALUES
	(pg_temp.id('a1'), 'files-a', 'Files A'),
	(pg_temp.id('b1'), 'files-b', 'Files B'),
	(pg_temp.id('c1'), 'files-c', 'Files C');
INSERT INTO users (id, org_id, email, username, password_hash, role) VALUES
	(pg_temp.id('a2'), pg_temp.id('a1'), 'files-a@x.test', 'files_a',
		'$2b$10$' || repeat('.', 53), 'admin'),
	(pg_temp.id('b2'), pg_temp.id('b1'), 'files-b@x.test', 'files_b',
		'$2b$10$' || repeat('.', 53), 'admin');
INSERT INTO flashcard_sets (id, org_id, owner_id, created_by, title)
SELECT pg_temp.id(d), pg_temp.id('a1'), pg_temp.id('a2'), pg_temp.id('a2'),
	'Deck ' || d
FROM unnest(ARRAY['d1', 'd2', 'd3', 'd4']) d;
INSERT INTO flashcard_sets (id, org_id, owner_id, created_by, title)
VALUES (pg_temp.id('e1'), pg_temp.id('b1'), pg_temp.id('b2'),
	pg_temp.id('b2'), 'Deck e1');

SELECT matches(pg_temp.blob(substr(sha256(pg_temp.b('x')), 1, 31),
	'image/png', 1, pg_temp.b('x')), '^23514 ', 'a 31-byte hash is refused');
SELECT is(pg_temp.blob(sha256(pg_temp.b('y')), 'image/png', 1,
	pg_temp.b('x')), '23514 file_blobs_check1',
	'a hash that is not the bytes'' is refused');
SELECT is(pg_temp.blob(sha256(pg_temp.b('x')), 'Image/png', 1,
	pg_temp.b('x')), '23514 file_blobs_media_type_check',
	'a media type is in lower case');
SELECT is(pg_temp.blob(sha256(pg_temp.b('x')), 'image', 1,
	pg_temp.b('x')), '23514 file_blobs_media_type_check',
	'and has a type and a subtype');
SELECT is(pg_temp.blob(sha256(pg_temp.b('x')), 'image/png', 2,
	pg_temp.b('x')), '23514 file_blobs_check',
	'the size is the bytes''');
SELECT is(pg_temp.blob(sha256(pg_temp.b('x')), 'image/png', 1,
	pg_temp.b('x'), -1), '23514 file_blobs_refs_check',
	'the uses are not negative');
SELECT is(pg_temp.blob(sha256(pg_temp.b('x')), 'image/png', 1,
	pg_temp.b('x'), 0, 'f1'), '23503 file_blobs_org_id_fkey',
	'of an organization that exists');
-- Kept (unused, touched now): the sweep leaves it to the '1 hour' sweep.
SELECT is(pg_temp.blob(sha256(pg_temp.b('<svg/>')), 'image/svg+xml', 6,
	pg_temp.b('<svg/>')), 'ok', 'image/svg+xml, its hash and size go in');

-- ---- the app's upsert (file_put) -------------------------------------------

WITH p AS (
	INSERT INTO file_blobs AS b (org_id, sha256, media_type, size_bytes, data)
	VALUES ('00000000-0000-4000-8000-0000000027a1',
		sha256('\x6f6e652e706e67206279746573'::bytea), 'image/png',
		octet_length('\x6f6e652e706e67206279746573'::bytea),
		'\x6f6e652e706e67206279746573'::bytea)
	ON CONFLICT (org_id, sha256) DO UPDATE SET touched_at = now()
	RETURNING encode(b.sha256, 'hex'))
SELECT is((SELECT * FROM p), encode(sha256(pg_temp.b('one.png bytes')), 'hex'),
	'a file goes in and its SHA-256 comes back in hex');
UPDATE file_blobs SET created_at = now() - interval '2 days',
	touched_at = now() - interval '2 days'
WHERE org_id = pg_temp.id('a1');
WITH p AS (
	INSERT INTO file_blobs AS b (org_id, sha256, media_type, size_bytes, data)
	VALUES ('00000000-0000-4000-8000-0000000027a1',
		sha256('\x6f6e652e706e67206279746573'::bytea), 'image/png',
		octet_length('\x6f6e652e706e67206279746573'::bytea),
		'\x6f6e652e706e67206279746573'::bytea)
	ON CONFLICT (org_id, sha256) DO UPDATE SET touched_at = now()
	RETURNING encode(b.sha256, 'hex'))
SELECT is((SELECT * FROM p), encode(sha256(pg_temp.b('one.png bytes')), 'hex'),
	'the same bytes again: the same hash');
SELECT is((SELECT count(*) FROM file_blobs WHERE org_id = pg_temp.id('a1')
	AND sha256 = sha256(pg_temp.b('one.png bytes'))), 1::bigint,
	'and still one blob');
SELECT is((SELECT array[touched_at = now(),
		created_at = now() - interval '2 days', refs = 0]
	FROM file_blobs WHERE org_id = pg_temp.id('a1')
		AND sha256 = sha256(pg_temp.b('one.png bytes'))),
	array[true, true, true],
	'touched now, made when it was made, used by nobody yet');
SELECT is((SELECT touched_at FROM file_blobs WHERE org_id = pg_temp.id('a1')
	AND sha256 = sha256(pg_temp.b('<svg/>'))), now() - interval '2 days',
	'the organization''s other blob is not touched');
UPDATE file_blobs SET touched_at = now() WHERE org_id = pg_temp.id('a1')
	AND sha256 = sha256(pg_temp.b('<svg/>'));
SELECT is(pg_temp.put('b1', 'one.png bytes'),
	encode(sha256(pg_temp.b('one.png bytes')), 'hex'),
	'the same bytes in another organization');
SELECT is(ARRAY(SELECT org_id FROM file_blobs
	WHERE sha256 = sha256(pg_temp.b('one.png bytes')) ORDER BY org_id),
	ARRAY[pg_temp.id('a1'), pg_temp.id('b1')], 'are a blob of each');
SELECT is(pg_temp.put('a1', 'two.png bytes'),
	encode(sha256(pg_temp.b('two.png bytes')), 'hex'), 'A keeps another');
SELECT is(pg_temp.put('b1', 'b only', 'audio/mpeg'),
	encode(sha256(pg_temp.b('b only')), 'hex'), 'and B another');

-- ---- flashcard_media: the table --------------------------------------------

SELECT has_table('flashcard_media');
SELECT col_is_pk('flashcard_media', ARRAY['set_id', 'name']);
SELECT fk_ok('flashcard_media', ARRAY['set_id', 'org_id'],
	'flashcard_sets', ARRAY['id', 'org_id']);
SELECT fk_ok('flashcard_media', ARRAY['org_id', 'sha256'],
	'file_blobs', ARRAY['org_id', 'sha256']);
SELECT fk_ok('flashcard_media', ARRAY['created_by', 'org_id'],
	'users', ARRAY['id', 'org_id']);
SELECT is((SELECT confdeltype::text FROM pg_constraint
	WHERE conname = 'flashcard_media_set_id_org_id_fkey'), 'c',
	'the media go with their deck');

-- Names: Anki's rule, no dot or space first nor space last, 120 bytes.
CREATE FUNCTION pg_temp.shown(n text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN octet_length(n) > 40 THEN format('a name of %s bytes '
		'(%s characters)', octet_length(n), length(n))
	ELSE replace(to_json(n)::text, chr(127), '\u007f') END
$$;
SELECT is(pg_temp.media('d4', n, 'two.png bytes'),
	'23514 flashcard_media_name_check', pg_temp.shown(n) || ' is refused')
FROM unnest(ARRAY['', '.x', ' x', 'x ', 'a/b', 'a:b', 'a[b', 'a]b', 'a<b',
	'a>b', 'a"b', 'a?b', 'a*b', 'a^b', 'a\b', 'a|b', e'a\nb', e'a\tb',
	e'a\x7fb', repeat('x', 117) || '.png', repeat('é', 58) || 'a.png'])
	WITH ORDINALITY AS t(n, i) ORDER BY i;
SELECT is(pg_temp.media('d4', n, 'two.png bytes'), 'ok',
	pg_temp.shown(n) || ' is a name')
FROM unnest(ARRAY['osi model.png', 'été.mp3', 'a-b_c (1)+{2}.png',
	repeat('x', 116) || '.png', repeat('é', 58) || '.png'])
	WITH ORDINALITY AS t(n, i) ORDER BY i;
SELECT is(pg_temp.refs('a1', 'two.png bytes'), 5,
	'five media of a deck use the blob: it counts five');
SELECT is(pg_temp.media('d4', 'osi model.png', 'one.png bytes'),
	'23505 flashcard_media_pkey', 'a name once in a deck');
SELECT is(pg_temp.refs('a1', 'one.png bytes'), 0,
	'(the refused row counted nothing)');
DELETE FROM flashcard_sets WHERE id = pg_temp.id('d4');
SELECT is((SELECT count(*) FROM flashcard_media
	WHERE set_id = pg_temp.id('d4')), 0::bigint,
	'a deck deleted for good takes its media');
SELECT is(pg_temp.refs('a1', 'two.png bytes'), 0, 'and their uses');

-- The deck and the blob.
SELECT is(pg_temp.media('d1', 'a.png', 'nothing'),
	'23503 flashcard_media_org_id_sha256_fkey', 'a blob that exists');
SELECT is(pg_temp.media('d1', 'a.png', 'b only'),
	'23503 flashcard_media_org_id_sha256_fkey', 'of the deck''s organization');
SELECT is(pg_temp.media('d1', 'a.png', 'b only', 'b1'),
	'23503 flashcard_media_set_id_org_id_fkey',
	'in a deck of the row''s organization');
SELECT is(pg_temp.media('d1', 'a.png', 'one.png bytes', 'a1', 'b2'),
	'23503 flashcard_media_created_by_org_id_fkey',
	'put there by one of its own people');

-- ---- the uses, counted -----------------------------------------------------

SELECT is(pg_temp.media('d1', 'a.png', 'one.png bytes', 'a1', 'a2'), 'ok',
	'a picture in a deck');
SELECT is(pg_temp.media('d2', 'b.png', 'one.png bytes'), 'ok',
	'the same in another deck');
SELECT is(pg_temp.media('d2', 'a.png', 'two.png bytes'), 'ok',
	'a name of one deck in another');
SELECT is(ARRAY[pg_temp.refs('a1', 'one.png bytes'),
	pg_temp.refs('a1', 'two.png bytes'), pg_temp.refs('b1', 'one.png bytes')],
	ARRAY[2, 1, 0], 'two use one blob, one the other (and not B''s)');
SELECT is(pg_temp.refused($$DELETE FROM file_blobs
	WHERE org_id = pg_temp.id('a1')
		AND sha256 = sha256(pg_temp.b('one.png bytes'))$$),
	'23503 flashcard_media_org_id_sha256_fkey', 'a blob in use stays');

UPDATE file_blobs SET touched_at = now() - interval '2 days'
WHERE org_id = pg_temp.id('a1');
UPDATE flashcard_media SET sha256 = sha256(pg_temp.b('two.png bytes'))
WHERE set_id = pg_temp.id('d2') AND name = 'b.png';
SELECT is(ARRAY[pg_temp.refs('a1', 'one.png bytes'),
	pg_temp.refs('a1', 'two.png bytes')], ARRAY[1, 2],
	'a medium given other bytes: a use moves from one blob to the other');
SELECT is(ARRAY(SELECT touched_at = now() FROM file_blobs
	WHERE org_id = pg_temp.id('a1') AND sha256 IN
		(sha256(pg_temp.b('one.png bytes')), sha256(pg_temp.b('two.png bytes')))),
	ARRAY[true, true], 'both are touched');

UPDATE file_blobs SET touched_at = now() - interval '2 days'
WHERE org_id = pg_temp.id('a1');
UPDATE flashcard_media SET media_type = 'image/webp', sha256 = sha256
WHERE set_id = pg_temp.id('d1') AND name = 'a.png';
UPDATE flashcard_media SET name = 'c.png'
WHERE set_id = pg_temp.id('d2') AND name = 'b.png';
SELECT is(ARRAY[pg_temp.refs('a1', 'one.png bytes'),
	pg_temp.refs('a1', 'two.png bytes')], ARRAY[1, 2],
	'a medium retyped or renamed keeps its bytes and their count');
SELECT is((SELECT count(*) FROM file_blobs WHERE org_id = pg_temp.id('a1')
	AND touched_at = now()), 0::bigint, 'and touches no blob');

-- What a deck may still take, and a medium as JSON.
SELECT is((SELECT ARRAY[files::bigint, bytes] FROM fc_media_room(pg_temp.id('d3'))),
	ARRAY[5000::bigint, 524288000], 'an empty deck: 5,000 files, 500 MiB');
SELECT is((SELECT ARRAY[files::bigint, bytes] FROM fc_media_room(pg_temp.id('d2'))),
	ARRAY[4998::bigint, 524288000 - 2 * octet_length(pg_temp.b('two.png bytes'))],
	'a deck with two: two files fewer, their bytes less');
SELECT is((SELECT ARRAY(SELECT jsonb_object_keys(flashcard_media_json(m))
		ORDER BY 1) FROM flashcard_media m
	WHERE set_id = pg_temp.id('d1') AND name = 'a.png'),
	ARRAY['created_at', 'media_type', 'name', 'sha256', 'size', 'updated_at'],
	'a medium as JSON: its keys');
SELECT is((SELECT flashcard_media_json(m) - 'created_at' - 'updated_at'
	FROM flashcard_media m WHERE set_id = pg_temp.id('d1') AND name = 'a.png'),
	jsonb_build_object('name', 'a.png', 'media_type', 'image/webp',
		'size', octet_length(pg_temp.b('one.png bytes')),
		'sha256', encode(sha256(pg_temp.b('one.png bytes')), 'hex')),
	'and its values, the hash in hex');

DELETE FROM flashcard_media WHERE set_id = pg_temp.id('d1') AND name = 'a.png';
SELECT is(pg_temp.refs('a1', 'one.png bytes'), 0, 'a medium removed: one use fewer');
SELECT is((SELECT touched_at FROM file_blobs WHERE org_id = pg_temp.id('a1')
	AND sha256 = sha256(pg_temp.b('one.png bytes'))), now(),
	'and the blob''s last use is now (the sweep waits from here)');
DELETE FROM flashcard_sets WHERE id = pg_temp.id('d2');
SELECT is(pg_temp.refs('a1', 'two.png bytes'), 0,
	'a deck deleted for good: each of its media one use fewer');

-- ---- row-level security, as ludus_app --------------------------------------

SELECT is(pg_temp.media('e1', 'b.mp3', 'b only', 'b1'), 'ok', 'B has a medium');
SELECT is(pg_temp.media('d3', 'keep.png', 'two.png bytes'), 'ok',
	'and A one');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000027a1', true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is(ARRAY(SELECT DISTINCT org_id FROM file_blobs),
	ARRAY[pg_temp.id('a1')], 'ludus_app sees its organization''s blobs only');
SELECT is(ARRAY(SELECT DISTINCT org_id FROM flashcard_media),
	ARRAY[pg_temp.id('a1')], 'and its media only');
SELECT is(pg_temp.put('a1', 'app bytes', 'image/jpeg'),
	encode(sha256(pg_temp.b('app bytes')), 'hex'), 'it puts a file');
SELECT is(pg_temp.media('d3', 'app.jpg', 'app bytes'), 'ok',
	'names it in a deck');
SELECT is(pg_temp.refs('a1', 'app bytes'), 1, 'and the use is counted');
SELECT is(pg_temp.refused($$SELECT pg_temp.put('b1', 'app bytes')$$),
	'42501 -', 'but puts no file for another organization');
SELECT is(pg_temp.refused($$SELECT pg_temp.put('b1', 'b only')$$),
	'42501 -', 'nor touches one of its files');
SELECT is(pg_temp.media('e1', 'a.mp3', 'b only', 'b1'), '42501 -',
	'nor names one in its decks');
RESET ROLE;
SELECT is(ARRAY[pg_temp.refs('b1', 'b only'), pg_temp.refs('b1', 'app bytes')],
	ARRAY[1, NULL], 'whose files are as they were');

-- ---- the sweep -------------------------------------------------------------

-- A: one.png unused for two days (goes), two.png used (keep.png) but not
-- touched for two days (stays), <svg/> unused for two hours (stays for a
-- day, goes with an hour), app bytes used now; B: one.png unused for two
-- days (goes), b only used.
UPDATE file_blobs SET touched_at = now() - interval '2 days'
WHERE org_id IN (pg_temp.id('a1'), pg_temp.id('b1'))
	AND sha256 <> sha256(pg_temp.b('app bytes'));
UPDATE file_blobs SET touched_at = now() - interval '2 hours'
WHERE org_id = pg_temp.id('a1') AND sha256 = sha256(pg_temp.b('<svg/>'));

SELECT is(pg_temp.refused($$SELECT file_blobs_sweep('59 minutes')$$),
	'23514 -', 'a blob stays at least an hour');
SELECT ok(has_function_privilege('ludus_app', 'file_blobs_sweep(interval)',
	'EXECUTE'), 'ludus_app may sweep');
SELECT ok((SELECT prosecdef FROM pg_proc
	WHERE oid = 'file_blobs_sweep(interval)'::regprocedure),
	'as the tables'' owner');
DO $$BEGIN PERFORM set_config('ludus.org_id',
	'00000000-0000-4000-8000-0000000027c1', true); END$$;
SET LOCAL ROLE ludus_app;
SELECT is(file_blobs_sweep(), 2,
	'set to an organization without files, it sweeps everyone''s');
RESET ROLE;
SELECT is(ARRAY(SELECT f FROM (SELECT org_id::text || ' '
		|| convert_from(data, 'UTF8') AS f FROM file_blobs) s
		ORDER BY f COLLATE "C"),
	ARRAY[pg_temp.id('a1') || ' <svg/>', pg_temp.id('a1') || ' app bytes',
		pg_temp.id('a1') || ' two.png bytes', pg_temp.id('b1') || ' b only'],
	'the blobs unused for a day are gone, the others stay');
SELECT is(file_blobs_sweep('1 hour'), 1, 'unused for an hour: one more');
SELECT is(ARRAY(SELECT convert_from(data, 'UTF8') FROM file_blobs
		WHERE org_id = pg_temp.id('a1')
		ORDER BY convert_from(data, 'UTF8') COLLATE "C"),
	ARRAY['app bytes', 'two.png bytes'], 'the picture unused for two hours');
SELECT is(file_blobs_sweep(), 0, 'and nothing left to sweep');

-- ---- the organization goes -------------------------------------------------

-- Its people and roles first (an organization with either is not
-- deleted): A's admin takes the decks they own, whose media give up their
-- uses.
SELECT lives_ok($$DELETE FROM users WHERE id = pg_temp.id('a2')$$,
	'a learner deleted for good');
SELECT is(ARRAY[pg_temp.refs('a1', 'two.png bytes'),
	pg_temp.refs('a1', 'app bytes'), (SELECT count(*)::integer
		FROM flashcard_media WHERE org_id = pg_temp.id('a1'))],
	ARRAY[0, 0, 0], 'takes their decks, their media and the media''s uses');
SET LOCAL ludus.roles_builtin = 'on';
DELETE FROM roles WHERE org_id = pg_temp.id('a1');
SELECT lives_ok($$DELETE FROM organizations WHERE id = pg_temp.id('a1')$$,
	'an organization with files goes');
SELECT is((SELECT count(*) FROM file_blobs WHERE org_id = pg_temp.id('a1')),
	0::bigint, 'with its files');
SELECT is((SELECT count(*) FROM file_blobs WHERE org_id = pg_temp.id('b1')),
	1::bigint, 'not another''s');

SELECT * FROM finish();
ROLLBACK;
