-- 0027_files: one store for the files an organization keeps (flashcard
-- media now; issue 18's submissions next).
--
-- A file is kept once per organization by its content: file_blobs is keyed
-- by (org_id, SHA-256 of the bytes), so the same picture in ten decks, or
-- the same PDF handed in twice, takes its room once.  The bytes live in
-- PostgreSQL (bytea, stored out of line and not compressed again: media
-- are compressed already), so a file is written in the transaction that
-- uses it (nothing half written) and whatever backs up the database backs
-- up the files.  Keys are per organization so that one organization can
-- never learn, by timing or by a reference, what another one stores.
--
-- Who uses a blob is counted, not searched for: a table that refers to
-- blobs attaches the trigger file_blob_ref('<its column>') and every
-- insert, change and delete of its rows moves the count.  A blob nobody
-- uses is removed by the daily maintenance (file_blobs_sweep) once it has
-- been unused for a day; an upload that meets it again first takes it
-- back (touched_at moves, the count goes up in the same transaction).
CREATE TABLE file_blobs (
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	sha256 bytea NOT NULL CHECK (octet_length(sha256) = 32),
	media_type text NOT NULL CHECK (media_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
	size_bytes integer NOT NULL CHECK (size_bytes >= 0),
	data bytea NOT NULL,
	refs integer NOT NULL DEFAULT 0 CHECK (refs >= 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	touched_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, sha256),
	CHECK (octet_length(data) = size_bytes),
	CHECK (sha256 = sha256(data))
);
ALTER TABLE file_blobs ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX file_blobs_unused_idx ON file_blobs (touched_at) WHERE refs = 0;
SELECT ludus_isolate('file_blobs');

-- The trigger of a table whose column TG_ARGV[0] (bytea) names a blob of
-- the row's org_id: AFTER INSERT OR UPDATE OR DELETE, FOR EACH ROW.
CREATE FUNCTION file_blob_ref() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	was bytea;
	now_is bytea;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO was USING OLD;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO now_is USING NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND was IS NOT DISTINCT FROM now_is
		AND OLD.org_id = NEW.org_id THEN
		RETURN NULL;
	END IF;
	IF now_is IS NOT NULL THEN
		UPDATE file_blobs SET refs = refs + 1, touched_at = now()
		WHERE org_id = NEW.org_id AND sha256 = now_is;
	END IF;
	IF was IS NOT NULL THEN
		UPDATE file_blobs SET refs = refs - 1, touched_at = now()
		WHERE org_id = OLD.org_id AND sha256 = was;
	END IF;
	RETURN NULL;
END
$$;

-- Removes the blobs unused for longer than `unused` (every organization's:
-- it runs as the table's owner, for the daily maintenance); how many.
CREATE FUNCTION file_blobs_sweep(unused interval DEFAULT interval '1 day')
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	gone integer;
BEGIN
	IF unused < interval '1 hour' THEN
		RAISE EXCEPTION 'a blob stays at least an hour after its last use'
			USING ERRCODE = 'check_violation';
	END IF;
	DELETE FROM file_blobs WHERE refs = 0 AND touched_at < now() - unused;
	GET DIAGNOSTICS gone = ROW_COUNT;
	RETURN gone;
END
$$;

-- Closed to PUBLIC, open to the app's role (0016).
SELECT ludus_grant_definers();
