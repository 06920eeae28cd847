-- 0028_card_media: the images, sounds and videos of a deck's cards.
--
-- A deck has its own media by name, as an Anki collection does: a card's
-- Markdown says ![a diagram](osi.png) or [sound:port-22.mp3] and the name
-- is looked up in the card's deck (src/flashcards/media.c rewrites it into
-- the address that serves it).  The bytes are a blob of 0027's store, kept
-- once per organization however many decks use them.  Names follow Anki's
-- rule (none of [ ] < > : " / ? * ^ \ | nor control characters), do not
-- begin with a dot or a space nor end with a space, and take at most 120
-- bytes; putting a file under a name the deck has replaces it.
CREATE TABLE flashcard_media (
	org_id uuid NOT NULL,
	set_id uuid NOT NULL,
	name text NOT NULL CHECK (octet_length(name) BETWEEN 1 AND 120
		AND name !~ '[][<>:"/?*^\\|[:cntrl:]]' AND name !~ '^[. ]'
		AND name !~ ' $'),
	sha256 bytea NOT NULL,
	media_type text NOT NULL,
	size_bytes integer NOT NULL CHECK (size_bytes >= 0),
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (set_id, name),
	FOREIGN KEY (set_id, org_id) REFERENCES flashcard_sets (id, org_id)
		ON DELETE CASCADE,
	FOREIGN KEY (org_id, sha256) REFERENCES file_blobs (org_id, sha256),
	FOREIGN KEY (created_by, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (created_by)
);
CREATE INDEX flashcard_media_blob_idx ON flashcard_media (org_id, sha256);
CREATE INDEX flashcard_media_created_by_idx
	ON flashcard_media (created_by, org_id);
CREATE INDEX flashcard_media_set_fk_idx ON flashcard_media (set_id, org_id);
SELECT ludus_isolate('flashcard_media');
CREATE TRIGGER flashcard_media_updated_at BEFORE UPDATE ON flashcard_media
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER flashcard_media_blob AFTER INSERT OR UPDATE OR DELETE
	ON flashcard_media FOR EACH ROW EXECUTE FUNCTION file_blob_ref('sha256');

-- What a deck may hold: 5,000 files, 500 MiB in all (an Anki deck of
-- pictures and sounds for a whole exam stays well within it).
CREATE FUNCTION fc_media_room(deck uuid, OUT files integer, OUT bytes bigint)
LANGUAGE sql STABLE AS $$
	SELECT 5000 - count(*)::integer,
		524288000 - coalesce(sum(size_bytes), 0)::bigint
	FROM flashcard_media WHERE set_id = deck
$$;

CREATE FUNCTION flashcard_media_json(f flashcard_media) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('name', f.name, 'media_type', f.media_type,
		'size', f.size_bytes, 'sha256', encode(f.sha256, 'hex'),
		'created_at', f.created_at, 'updated_at', f.updated_at)
$$;
