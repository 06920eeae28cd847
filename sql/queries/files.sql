-- The file store (migration 0027, src/db/files.c).

-- name: file_put
-- $1 org, $2 the bytes (binary), $3 their media type: kept once; the
-- SHA-256 in hex.  Met again, the blob is touched so that the sweep
-- leaves it to the caller's row, which counts it.
INSERT INTO file_blobs AS b (org_id, sha256, media_type, size_bytes, data)
VALUES ($1, sha256($2::bytea), $3, octet_length($2::bytea), $2::bytea)
ON CONFLICT (org_id, sha256) DO UPDATE SET touched_at = now()
RETURNING encode(b.sha256, 'hex')

-- name: file_blobs_sweep
-- org: any
-- $1 how long unused (an interval): the blobs nobody uses, removed.
SELECT file_blobs_sweep($1::interval)
