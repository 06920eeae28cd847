-- 0013_session_touch: pushing a session's idle expiry forward touches no
-- index (a heap-only update), and expired sessions are still found for
-- the cleanup.

BEGIN;
SET client_min_messages = warning;
SELECT plan(4);

SELECT is_empty($$
	SELECT i.indexrelid::regclass FROM pg_index i
	JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
	WHERE i.indrelid = 'sessions'::regclass
		AND a.attname IN ('last_seen_at', 'expires_at')$$,
	'no index of sessions holds the columns a touch changes');
SELECT ok((SELECT 'fillfactor=80' = ANY (reloptions) FROM pg_class WHERE oid = 'sessions'::regclass),
	'and its pages keep room for the new versions');

INSERT INTO users (id, org_id, email, username, password_hash)
SELECT '00000000-0000-4000-8000-0000000013aa', id, 'touch@x.test', 'touch',
	'$2b$10$' || repeat('.', 53)
FROM organizations WHERE is_default;
INSERT INTO sessions (id, user_id, org_id, token_hash, csrf_token, expires_at, absolute_expires_at)
SELECT '00000000-0000-4000-8000-000000001301', id, org_id, repeat('a', 64), repeat('c', 43),
	now() + interval '1 hour', now() + interval '1 day'
FROM users WHERE username = 'touch';
INSERT INTO sessions (id, user_id, org_id, token_hash, csrf_token, expires_at, absolute_expires_at)
SELECT '00000000-0000-4000-8000-000000001302', id, org_id, repeat('b', 64), repeat('c', 43),
	now() - interval '2 days', now() + interval '1 day'
FROM users WHERE username = 'touch';
-- The touch, as auth_session makes it.
UPDATE sessions SET last_seen_at = now(),
	expires_at = least(now() + interval '14 days', absolute_expires_at)
WHERE id = '00000000-0000-4000-8000-000000001301';
SELECT is(pg_stat_get_xact_tuples_hot_updated('sessions'::regclass), 1::bigint,
	'a touch is a heap-only update');

-- The cleanup's condition (cleanup_expired) still finds what expired a
-- day ago, without an index on expires_at.
SELECT is(ARRAY(SELECT id FROM sessions
	WHERE (expires_at < now() - interval '1 day' OR absolute_expires_at < now() - interval '1 day')
		AND id IN ('00000000-0000-4000-8000-000000001301', '00000000-0000-4000-8000-000000001302')),
	ARRAY['00000000-0000-4000-8000-000000001302'::uuid],
	'the cleanup finds the session that idled out and leaves the live one');

SELECT * FROM finish();
ROLLBACK;
