-- Bench data set, step 7b: card media.  Each of the ten course decks of
-- 70_flashcards.sql has 100 files named fig-1.png .. fig-100.png, of 8 to
-- 64 KiB (a diagram's size), kept in the organization's file store
-- (file_blobs, 0027) with their use counted by the trigger as the app's
-- writes count it.  Every tenth note of a deck shows one of them, so the
-- queue's card HTML has its addresses written in.
--
--   bench.fc_decks   i, the deck's id (for wrk: the address of a file)

CREATE TEMP TABLE g_fc_blobs AS
SELECT d.i AS deck_i, d.id AS set_id, k,
	-- Bytes of their own (a file's content decides its key): the deck
	-- and k hashed, repeated to 8 to 64 KiB.
	decode(repeat(md5(d.i || ':' || k), 256 * (1 + (k * 7) % 8)), 'hex')
		AS data
FROM g_fc_decks d, generate_series(1, 100) k;

INSERT INTO file_blobs (org_id, sha256, media_type, size_bytes, data,
	created_at, touched_at)
SELECT (SELECT id FROM organizations WHERE is_default), sha256(b.data),
	'image/png', octet_length(b.data), b.data, now() - interval '300 days',
	now() - interval '300 days'
FROM g_fc_blobs b;

INSERT INTO flashcard_media (org_id, set_id, name, sha256, media_type,
	size_bytes, created_by, created_at, updated_at)
SELECT (SELECT id FROM organizations WHERE is_default), b.set_id,
	'fig-' || b.k || '.png', sha256(b.data), 'image/png',
	octet_length(b.data), d.owner_id, now() - interval '300 days',
	now() - interval '300 days'
FROM g_fc_blobs b JOIN g_fc_decks d ON d.i = b.deck_i;

UPDATE flashcard_notes n SET front = n.front || ' ![a diagram](fig-' ||
	(1 + g.k % 100) || '.png)'
FROM g_fc_notes g
WHERE g.id = n.id AND g.k % 10 = 0 AND g.kind <> 'cloze';

CREATE TABLE bench.fc_decks (i integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench.fc_decks SELECT i, id FROM g_fc_decks;
