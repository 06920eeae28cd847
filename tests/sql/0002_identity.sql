-- 0002_identity: sessions, user_tokens, mail_outbox, rate_limits and
-- learning_streaks.
--
-- Their columns and keys; the CHECKs (token hashes are 64 lowercase hex
-- digits, CSRF token length, expires_at <= absolute_expires_at, token
-- purposes, mail status and the rule that body_text is kept exactly while
-- the mail is pending, attempts >= 0, rate-limit counts > 0, streaks
-- non-negative with longest >= current); the composite foreign keys
-- (user_id, org_id) that keep a row in its user's organization; ON DELETE
-- CASCADE from users, and SET NULL (user_id) for the outbox; users.
-- anonymized_at only on deleted accounts; the trigram search index; the
-- streak rows of the demo accounts and the updated_at trigger.  Then a few
-- named queries of sql/queries/identity.sql, copied verbatim into PREPARE
-- statements (prepared without parameter types, as src/db/db.c does):
-- rate_hit, token_use, login_failed, mail_sent, mail_failed and
-- user_register.  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(118);

-- Helpers ----------------------------------------------------------------------

-- The SHA-256 hex of a token, as token_hash() in C stores it.
CREATE FUNCTION pg_temp.h(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT encode(sha256(convert_to(p, 'UTF8')), 'hex')
$$;

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;

INSERT INTO organizations (slug, name) VALUES ('identity-other', 'Another organization');
CREATE FUNCTION pg_temp.other_org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE slug = 'identity-other'
$$;

CREATE FUNCTION pg_temp.uid(p_username text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = p_username
$$;

-- A well-formed bcrypt hash.
CREATE FUNCTION pg_temp.bcrypt() RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT '$2b$10$' || left(repeat('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 2), 53)
$$;

-- A user in the default organization.
CREATE FUNCTION pg_temp.new_user(p_username text) RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO users (org_id, email, username, password_hash)
	VALUES (pg_temp.org(), p_username || '@identity.test', p_username, pg_temp.bcrypt())
	RETURNING id
$$;

-- A session of a user; the hash defaults to a fresh one.
CREATE FUNCTION pg_temp.new_session(p_user uuid, p_org uuid, p_hash text DEFAULT NULL,
	p_csrf text DEFAULT repeat('c', 43),
	p_expires timestamptz DEFAULT now() + interval '1 hour',
	p_absolute timestamptz DEFAULT now() + interval '1 day',
	p_agent text DEFAULT 'pgTAP')
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, expires_at,
		absolute_expires_at, ip, user_agent)
	VALUES (p_user, p_org, coalesce(p_hash, pg_temp.h(gen_random_uuid()::text)), p_csrf,
		p_expires, p_absolute, '192.0.2.7', p_agent)
	RETURNING id
$$;

-- A single-use token of a user.
CREATE FUNCTION pg_temp.new_token(p_user uuid, p_org uuid, p_purpose text, p_hash text,
	p_created timestamptz DEFAULT now(),
	p_expires timestamptz DEFAULT now() + interval '1 hour')
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO user_tokens (user_id, org_id, purpose, token_hash, created_at, expires_at)
	VALUES (p_user, p_org, p_purpose, p_hash, p_created, p_expires)
	RETURNING id
$$;

-- A mail in the outbox.
CREATE FUNCTION pg_temp.new_mail(p_subject text, p_status text DEFAULT 'pending',
	p_body text DEFAULT 'Follow https://ludus.test/verify?t=secret',
	p_user uuid DEFAULT NULL, p_org uuid DEFAULT NULL, p_attempts integer DEFAULT 0)
RETURNS uuid LANGUAGE sql AS $$
	INSERT INTO mail_outbox (org_id, user_id, to_address, subject, body_text, status, attempts)
	VALUES (coalesce(p_org, pg_temp.org()), p_user, 'someone@identity.test', p_subject,
		p_body, p_status, p_attempts)
	RETURNING id
$$;

-- The mail with a subject (EXECUTE takes no subquery as a parameter).
CREATE FUNCTION pg_temp.mail_id(p_subject text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM mail_outbox WHERE subject = p_subject
$$;

-- The columns of a table: name, type, NOT NULL, in order.
CREATE FUNCTION pg_temp.cols(p_table regclass)
RETURNS TABLE (name text, type text, not_null boolean) LANGUAGE sql STABLE AS $$
	SELECT attname::text, format_type(atttypid, atttypmod), attnotnull
	FROM pg_attribute
	WHERE attrelid = p_table AND attnum > 0 AND NOT attisdropped
	ORDER BY attnum
$$;

-- The users the tests work with (demo accounts stay as they are, but for
-- admin's CHECK probes).
DO $$
BEGIN
	PERFORM pg_temp.new_user(u)
	FROM unnest(ARRAY['id_fk', 'id_cascade', 'id_streak', 'id_tok', 'id_tokdel', 'id_lock', 'id_anon']) u;
END
$$;

-- Tables and columns -----------------------------------------------------------

SELECT has_table('public', 'sessions', 'sessions exists');
SELECT has_table('public', 'user_tokens', 'user_tokens exists');
SELECT has_table('public', 'mail_outbox', 'mail_outbox exists');
SELECT has_table('public', 'rate_limits', 'rate_limits exists');
SELECT has_table('public', 'learning_streaks', 'learning_streaks exists');

SELECT results_eq($$SELECT * FROM pg_temp.cols('sessions')$$,
	$$VALUES
		('id'::text, 'uuid'::text, true),
		('user_id', 'uuid', true),
		('org_id', 'uuid', true),
		('token_hash', 'text', true),
		('csrf_token', 'text', true),
		('created_at', 'timestamp with time zone', true),
		('last_seen_at', 'timestamp with time zone', true),
		('expires_at', 'timestamp with time zone', true),
		('absolute_expires_at', 'timestamp with time zone', true),
		('ip', 'inet', false),
		('user_agent', 'text', false),
		('provider_id', 'uuid', false)$$,
	'sessions: columns, types and NOT NULLs');
SELECT results_eq($$SELECT * FROM pg_temp.cols('user_tokens')$$,
	$$VALUES
		('id'::text, 'uuid'::text, true),
		('user_id', 'uuid', true),
		('org_id', 'uuid', true),
		('purpose', 'text', true),
		('token_hash', 'text', true),
		('created_at', 'timestamp with time zone', true),
		('expires_at', 'timestamp with time zone', true),
		('used_at', 'timestamp with time zone', false)$$,
	'user_tokens: columns, types and NOT NULLs');
SELECT results_eq($$SELECT * FROM pg_temp.cols('mail_outbox')$$,
	$$VALUES
		('id'::text, 'uuid'::text, true),
		('org_id', 'uuid', true),
		('user_id', 'uuid', false),
		('to_address', 'text', true),
		('subject', 'text', true),
		('body_text', 'text', false),
		('status', 'text', true),
		('attempts', 'integer', true),
		('last_error', 'text', false),
		('created_at', 'timestamp with time zone', true),
		('sent_at', 'timestamp with time zone', false)$$,
	'mail_outbox: columns, types and NOT NULLs');
SELECT results_eq($$SELECT * FROM pg_temp.cols('rate_limits')$$,
	$$VALUES
		('key'::text, 'text'::text, true),
		('window_start', 'timestamp with time zone', true),
		('count', 'integer', true)$$,
	'rate_limits: columns, types and NOT NULLs');
SELECT results_eq($$SELECT * FROM pg_temp.cols('learning_streaks')$$,
	$$VALUES
		('user_id'::text, 'uuid'::text, true),
		('org_id', 'uuid', true),
		('current_streak', 'integer', true),
		('longest_streak', 'integer', true),
		('last_activity_date', 'date', false),
		('freezes_available', 'integer', true),
		('created_at', 'timestamp with time zone', true),
		('updated_at', 'timestamp with time zone', true)$$,
	'learning_streaks: columns, types and NOT NULLs');
SELECT col_type_is('public', 'users', 'anonymized_at', 'timestamp with time zone',
	'users.anonymized_at is timestamptz');
SELECT col_is_null('public', 'users', 'anonymized_at', 'users.anonymized_at is nullable');

-- Keys ---------------------------------------------------------------------------

SELECT col_is_pk('public', 'sessions', ARRAY['id'], 'sessions: PK is (id)');
SELECT col_is_pk('public', 'user_tokens', ARRAY['id'], 'user_tokens: PK is (id)');
SELECT col_is_pk('public', 'mail_outbox', ARRAY['id'], 'mail_outbox: PK is (id)');
SELECT col_is_pk('public', 'rate_limits', ARRAY['key', 'window_start'],
	'rate_limits: PK is (key, window_start)');
SELECT col_is_pk('public', 'learning_streaks', ARRAY['user_id'], 'learning_streaks: PK is (user_id)');
SELECT col_is_unique('public', 'sessions', ARRAY['token_hash'], 'sessions.token_hash is unique');
SELECT col_is_unique('public', 'user_tokens', ARRAY['token_hash'], 'user_tokens.token_hash is unique');

SELECT fk_ok('public', 'sessions', ARRAY['user_id', 'org_id'], 'public', 'users', ARRAY['id', 'org_id'],
	'sessions: (user_id, org_id) references users (id, org_id)');
SELECT fk_ok('public', 'user_tokens', ARRAY['user_id', 'org_id'], 'public', 'users', ARRAY['id', 'org_id'],
	'user_tokens: (user_id, org_id) references users (id, org_id)');
SELECT fk_ok('public', 'learning_streaks', ARRAY['user_id', 'org_id'], 'public', 'users', ARRAY['id', 'org_id'],
	'learning_streaks: (user_id, org_id) references users (id, org_id)');
SELECT fk_ok('public', 'mail_outbox', ARRAY['user_id', 'org_id'], 'public', 'users', ARRAY['id', 'org_id'],
	'mail_outbox: (user_id, org_id) references users (id, org_id)');
SELECT fk_ok('public', 'mail_outbox', ARRAY['org_id'], 'public', 'organizations', ARRAY['id'],
	'mail_outbox: org_id references organizations (id)');

-- Indexes and the trigger ----------------------------------------------------------

SELECT has_extension('pg_trgm', 'pg_trgm is installed');
SELECT is((SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'users_email_search_idx'),
	$$CREATE INDEX users_email_search_idx ON public.users USING gin (lower(email) gin_trgm_ops)$$,
	'users_email_search_idx is a trigram GIN index on lower(email)');
SELECT is((SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'users_username_search_idx'),
	$$CREATE INDEX users_username_search_idx ON public.users USING gin (lower(username) gin_trgm_ops)$$,
	'users_username_search_idx is a trigram GIN index on lower(username)');
SELECT trigger_is('public', 'learning_streaks', 'learning_streaks_updated_at', 'public', 'set_updated_at',
	'learning_streaks has the set_updated_at trigger');

-- sessions CHECKs ------------------------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), pg_temp.h('session-a'))$$,
	'sessions: a well-formed session is accepted');
SELECT is((SELECT substr(id::text, 15, 1) FROM sessions WHERE token_hash = pg_temp.h('session-a')), '7',
	'sessions: id defaults to a version 7 UUID');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), upper(pg_temp.h('session-b')))$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_token_hash_check"',
	'sessions: an uppercase token_hash is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), left(pg_temp.h('session-c'), 63))$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_token_hash_check"',
	'sessions: a token_hash of 63 digits is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), pg_temp.h('session-d') || '0')$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_token_hash_check"',
	'sessions: a token_hash of 65 digits is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), 'g' || right(pg_temp.h('session-e'), 63))$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_token_hash_check"',
	'sessions: a token_hash with a non-hex digit is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), 'session-token-itself')$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_token_hash_check"',
	'sessions: the token itself (not its hash) is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('instructor'), pg_temp.org(), pg_temp.h('session-a'))$$,
	'23505', 'duplicate key value violates unique constraint "sessions_token_hash_key"',
	'sessions: a token_hash in use is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 31))$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_csrf_token_check"',
	'sessions: a csrf_token of 31 characters is refused');
SELECT lives_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 32))$$,
	'sessions: a csrf_token of 32 characters is accepted');
SELECT lives_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 128))$$,
	'sessions: a csrf_token of 128 characters is accepted');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 129))$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_csrf_token_check"',
	'sessions: a csrf_token of 129 characters is refused');
SELECT lives_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 43),
		now() + interval '1 day', now() + interval '1 day')$$,
	'sessions: expires_at = absolute_expires_at is accepted');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 43),
		now() + interval '1 day 1 second', now() + interval '1 day')$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_check"',
	'sessions: expires_at after absolute_expires_at is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('admin'), pg_temp.org(), NULL, repeat('c', 43),
		now() + interval '1 hour', now() + interval '1 day', repeat('u', 513))$$,
	'23514', 'new row for relation "sessions" violates check constraint "sessions_user_agent_check"',
	'sessions: a user_agent of 513 characters is refused');

-- user_tokens CHECKs -------------------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'verify_email', pg_temp.h('ut-a'))$$,
	'user_tokens: purpose verify_email is accepted');
SELECT lives_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'password_reset', pg_temp.h('ut-b'))$$,
	'user_tokens: purpose password_reset is accepted');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'login', pg_temp.h('ut-c'))$$,
	'23514', 'new row for relation "user_tokens" violates check constraint "user_tokens_purpose_check"',
	'user_tokens: purpose login is refused');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'Verify_Email', pg_temp.h('ut-d'))$$,
	'23514', 'new row for relation "user_tokens" violates check constraint "user_tokens_purpose_check"',
	'user_tokens: purpose in another case is refused');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'verify_email', upper(pg_temp.h('ut-e')))$$,
	'23514', 'new row for relation "user_tokens" violates check constraint "user_tokens_token_hash_check"',
	'user_tokens: an uppercase token_hash is refused');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'verify_email', left(pg_temp.h('ut-f'), 32))$$,
	'23514', 'new row for relation "user_tokens" violates check constraint "user_tokens_token_hash_check"',
	'user_tokens: a token_hash of 32 digits is refused');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('instructor'), pg_temp.org(), 'password_reset', pg_temp.h('ut-a'))$$,
	'23505', 'duplicate key value violates unique constraint "user_tokens_token_hash_key"',
	'user_tokens: a token_hash in use is refused');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('admin'), pg_temp.org(), 'verify_email', pg_temp.h('ut-g'),
		now(), now())$$,
	'23514', 'new row for relation "user_tokens" violates check constraint "user_tokens_check"',
	'user_tokens: expires_at not after created_at is refused');

-- mail_outbox CHECKs -----------------------------------------------------------------

SELECT lives_ok($$SELECT pg_temp.new_mail('mail pending')$$, 'mail_outbox: a pending mail with a body is accepted');
INSERT INTO mail_outbox (org_id, to_address, subject, body_text)
VALUES (pg_temp.org(), 'someone@identity.test', 'mail defaults', 'text');
SELECT results_eq($$SELECT status, attempts, user_id, sent_at FROM mail_outbox WHERE subject = 'mail defaults'$$,
	$$VALUES ('pending'::text, 0, NULL::uuid, NULL::timestamptz)$$,
	'mail_outbox: status defaults to pending and attempts to 0');
SELECT throws_ok($$SELECT pg_temp.new_mail('mail pending no body', 'pending', NULL)$$,
	'23514', 'new row for relation "mail_outbox" violates check constraint "mail_outbox_check"',
	'mail_outbox: a pending mail without a body is refused');
SELECT lives_ok($$SELECT pg_temp.new_mail('mail sent', 'sent', NULL)$$,
	'mail_outbox: a sent mail without a body is accepted');
SELECT throws_ok($$SELECT pg_temp.new_mail('mail sent with body', 'sent')$$,
	'23514', 'new row for relation "mail_outbox" violates check constraint "mail_outbox_check"',
	'mail_outbox: a sent mail that keeps its body is refused');
SELECT lives_ok($$SELECT pg_temp.new_mail('mail failed', 'failed', NULL)$$,
	'mail_outbox: a failed mail without a body is accepted');
SELECT throws_ok($$SELECT pg_temp.new_mail('mail failed with body', 'failed')$$,
	'23514', 'new row for relation "mail_outbox" violates check constraint "mail_outbox_check"',
	'mail_outbox: a failed mail that keeps its body is refused');
SELECT throws_ok($$SELECT pg_temp.new_mail('mail queued', 'queued', NULL)$$,
	'23514', 'new row for relation "mail_outbox" violates check constraint "mail_outbox_status_check"',
	'mail_outbox: status queued is refused');
SELECT throws_ok($$SELECT pg_temp.new_mail('mail attempts', 'pending', 'text', NULL, NULL, -1)$$,
	'23514', 'new row for relation "mail_outbox" violates check constraint "mail_outbox_attempts_check"',
	'mail_outbox: attempts -1 is refused');
SELECT lives_ok($$SELECT pg_temp.new_mail('mail other org', 'pending', 'text', NULL, pg_temp.other_org())$$,
	'mail_outbox: a mail of another organization without a user is accepted');

-- rate_limits CHECKs -----------------------------------------------------------------

INSERT INTO rate_limits (key, window_start) VALUES ('test:check', '2024-01-01 00:00:00+00');
SELECT is((SELECT count FROM rate_limits WHERE key = 'test:check'), 1, 'rate_limits: count defaults to 1');
SELECT throws_ok($$INSERT INTO rate_limits (key, window_start, count) VALUES ('test:zero', now(), 0)$$,
	'23514', 'new row for relation "rate_limits" violates check constraint "rate_limits_count_check"',
	'rate_limits: count 0 is refused');
SELECT throws_ok($$INSERT INTO rate_limits (key, window_start, count) VALUES ('test:neg', now(), -1)$$,
	'23514', 'new row for relation "rate_limits" violates check constraint "rate_limits_count_check"',
	'rate_limits: count -1 is refused');
SELECT throws_ok($$INSERT INTO rate_limits (key, window_start) VALUES ('test:check', '2024-01-01 00:00:00+00')$$,
	'23505', 'duplicate key value violates unique constraint "rate_limits_pkey"',
	'rate_limits: a second row for the same key and window is refused');
SELECT lives_ok($$INSERT INTO rate_limits (key, window_start) VALUES ('test:check', '2024-01-01 01:00:00+00')$$,
	'rate_limits: the same key in another window is accepted');
SELECT throws_ok($$INSERT INTO rate_limits (key, window_start) VALUES ('', now())$$,
	'23514', 'new row for relation "rate_limits" violates check constraint "rate_limits_key_check"',
	'rate_limits: an empty key is refused');

-- learning_streaks CHECKs and trigger -----------------------------------------------

SELECT lives_ok($$INSERT INTO learning_streaks (user_id, org_id) VALUES (pg_temp.uid('id_streak'), pg_temp.org())$$,
	'learning_streaks: a row with the defaults is accepted');
SELECT results_eq(
	$$SELECT current_streak, longest_streak, freezes_available, last_activity_date
	  FROM learning_streaks WHERE user_id = pg_temp.uid('id_streak')$$,
	$$VALUES (0, 0, 0, NULL::date)$$,
	'learning_streaks: streaks and freezes default to 0, no activity date');
SELECT throws_ok($$UPDATE learning_streaks SET current_streak = -1 WHERE user_id = pg_temp.uid('id_streak')$$,
	'23514', 'new row for relation "learning_streaks" violates check constraint "learning_streaks_current_streak_check"',
	'learning_streaks: current_streak -1 is refused');
-- longest -1 also breaks longest >= current, so only the SQLSTATE is checked.
SELECT throws_ok($$UPDATE learning_streaks SET longest_streak = -1 WHERE user_id = pg_temp.uid('id_streak')$$,
	'23514', NULL, 'learning_streaks: longest_streak -1 is refused');
SELECT throws_ok($$UPDATE learning_streaks SET current_streak = 5, longest_streak = 4 WHERE user_id = pg_temp.uid('id_streak')$$,
	'23514', 'new row for relation "learning_streaks" violates check constraint "learning_streaks_check"',
	'learning_streaks: longest_streak below current_streak is refused');
SELECT lives_ok($$UPDATE learning_streaks SET current_streak = 5, longest_streak = 5 WHERE user_id = pg_temp.uid('id_streak')$$,
	'learning_streaks: longest_streak = current_streak is accepted');
SELECT throws_ok($$UPDATE learning_streaks SET freezes_available = -1 WHERE user_id = pg_temp.uid('id_streak')$$,
	'23514', 'new row for relation "learning_streaks" violates check constraint "learning_streaks_freezes_available_check"',
	'learning_streaks: freezes_available -1 is refused');
SELECT throws_ok($$INSERT INTO learning_streaks (user_id, org_id) VALUES (pg_temp.uid('id_streak'), pg_temp.org())$$,
	'23505', 'duplicate key value violates unique constraint "learning_streaks_pkey"',
	'learning_streaks: a second row for a user is refused');
UPDATE learning_streaks SET updated_at = '2000-01-01 00:00:00+00', current_streak = 1
WHERE user_id = pg_temp.uid('id_streak');
SELECT is((SELECT updated_at FROM learning_streaks WHERE user_id = pg_temp.uid('id_streak')), now(),
	'learning_streaks: an UPDATE sets updated_at to now(), whatever it was given');

-- Composite foreign keys: a row stays in its user's organization -------------------

SELECT throws_ok($$SELECT pg_temp.new_session(pg_temp.uid('id_fk'), pg_temp.other_org())$$,
	'23503', 'insert or update on table "sessions" violates foreign key constraint "sessions_user_id_org_id_fkey"',
	'sessions: a user with another organization is refused');
SELECT throws_ok($$SELECT pg_temp.new_session(gen_random_uuid(), pg_temp.org())$$,
	'23503', 'insert or update on table "sessions" violates foreign key constraint "sessions_user_id_org_id_fkey"',
	'sessions: a user that does not exist is refused');
SELECT throws_ok($$SELECT pg_temp.new_token(pg_temp.uid('id_fk'), pg_temp.other_org(), 'verify_email', pg_temp.h('fk-token'))$$,
	'23503', 'insert or update on table "user_tokens" violates foreign key constraint "user_tokens_user_id_org_id_fkey"',
	'user_tokens: a user with another organization is refused');
SELECT throws_ok($$INSERT INTO learning_streaks (user_id, org_id) VALUES (pg_temp.uid('id_fk'), pg_temp.other_org())$$,
	'23503', 'insert or update on table "learning_streaks" violates foreign key constraint "learning_streaks_user_id_org_id_fkey"',
	'learning_streaks: a user with another organization is refused');
SELECT throws_ok($$SELECT pg_temp.new_mail('fk mail', 'pending', 'text', pg_temp.uid('id_fk'), pg_temp.other_org())$$,
	'23503', 'insert or update on table "mail_outbox" violates foreign key constraint "mail_outbox_user_id_org_id_fkey"',
	'mail_outbox: a user with another organization is refused');

-- Deleting a user: CASCADE, and SET NULL (user_id) for the outbox --------------------

DO $$
BEGIN
	PERFORM pg_temp.new_session(pg_temp.uid('id_cascade'), pg_temp.org());
	PERFORM pg_temp.new_token(pg_temp.uid('id_cascade'), pg_temp.org(), 'verify_email', pg_temp.h('cascade-token'));
	INSERT INTO learning_streaks (user_id, org_id) VALUES (pg_temp.uid('id_cascade'), pg_temp.org());
	PERFORM pg_temp.new_mail('cascade mail', 'pending', 'text', pg_temp.uid('id_cascade'));
END
$$;
CREATE TEMP TABLE cascade_user AS SELECT pg_temp.uid('id_cascade') AS id;

SELECT lives_ok($$DELETE FROM users WHERE username = 'id_cascade'$$,
	'a user with a session, a token, a streak and a mail can be deleted');
SELECT is_empty($$SELECT 1 FROM sessions WHERE user_id = (SELECT id FROM cascade_user)$$,
	'deleting a user deletes its sessions');
SELECT is_empty($$SELECT 1 FROM user_tokens WHERE user_id = (SELECT id FROM cascade_user)$$,
	'deleting a user deletes its tokens');
SELECT is_empty($$SELECT 1 FROM learning_streaks WHERE user_id = (SELECT id FROM cascade_user)$$,
	'deleting a user deletes its streak row');
SELECT results_eq($$SELECT user_id, org_id, status FROM mail_outbox WHERE subject = 'cascade mail'$$,
	$$SELECT NULL::uuid, pg_temp.org(), 'pending'::text$$,
	'deleting a user keeps its mail, with user_id NULL and org_id kept');

-- users.anonymized_at only on deleted accounts --------------------------------------

SELECT throws_ok($$UPDATE users SET anonymized_at = now() WHERE username = 'id_anon'$$,
	'23514', 'new row for relation "users" violates check constraint "users_anonymized_deleted"',
	'users: anonymized_at without deleted_at is refused');
SELECT lives_ok($$UPDATE users SET deleted_at = now(), anonymized_at = now() WHERE username = 'id_anon'$$,
	'users: anonymized_at on a deleted account is accepted');
SELECT throws_ok($$UPDATE users SET deleted_at = NULL WHERE username = 'id_anon'$$,
	'23514', 'new row for relation "users" violates check constraint "users_anonymized_deleted"',
	'users: an anonymized account cannot be undeleted');
SELECT is_empty($$SELECT username FROM users WHERE anonymized_at IS NOT NULL AND username <> 'id_anon'$$,
	'users: no other account is anonymized');

-- The demo accounts' streak rows ------------------------------------------------------

-- Regression (fixed): the demo accounts had no learning_streaks row (the
-- migration's back-fill runs before the seed makes them).
SELECT is_empty(
	$$SELECT u.username FROM users u
	  WHERE u.username IN ('admin', 'instructor', 'sarah_network', 'mike_netplus', 'jane_tech')
		AND NOT EXISTS (SELECT 1 FROM learning_streaks k WHERE k.user_id = u.id AND k.org_id = u.org_id)$$,
	'every demo account has a learning_streaks row');

-- Named query rate_hit ------------------------------------------------------------------

PREPARE rate_hit AS
INSERT INTO rate_limits AS r (key, window_start)
VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2))
ON CONFLICT (key, window_start) DO UPDATE SET count = r.count + 1
RETURNING count, greatest(1, ceil(extract(epoch FROM
	r.window_start + make_interval(secs => $2) - now())))::integer;

-- now() is fixed in the transaction, so every hit lands in the same window;
-- a window of 1 second always has 1 second left to say.
SELECT results_eq($$EXECUTE rate_hit('test:hit', 1)$$, $$VALUES (1, 1)$$, 'rate_hit: the first hit counts 1');
SELECT results_eq($$EXECUTE rate_hit('test:hit', 1)$$, $$VALUES (2, 1)$$, 'rate_hit: the second hit counts 2');
SELECT results_eq($$EXECUTE rate_hit('test:hit', 1)$$, $$VALUES (3, 1)$$, 'rate_hit: the third hit counts 3');
SELECT results_eq($$EXECUTE rate_hit('test:other', 1)$$, $$VALUES (1, 1)$$, 'rate_hit: another key counts on its own');
SELECT results_eq($$SELECT count FROM rate_limits WHERE key = 'test:hit'$$, $$VALUES (3)$$,
	'rate_hit: one row holds the three hits');
SELECT lives_ok($$EXECUTE rate_hit('test:hour', 3600)$$, 'rate_hit: an hour window');
SELECT ok((SELECT extract(epoch FROM window_start)::bigint % 3600 = 0
		AND window_start <= now() AND now() < window_start + interval '1 hour'
		FROM rate_limits WHERE key = 'test:hour'),
	'rate_hit: an hour window starts at the hour (UTC epoch multiple) holding now()');

-- Named query token_use -----------------------------------------------------------------

PREPARE token_use AS
UPDATE user_tokens t SET used_at = now()
FROM users u
WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL
	AND t.expires_at > now() AND u.id = t.user_id
	AND u.deleted_at IS NULL
RETURNING u.id, u.org_id, u.username, u.email;

DO $$
BEGIN
	PERFORM pg_temp.new_token(pg_temp.uid('id_tok'), pg_temp.org(), 'verify_email', pg_temp.h('tok-good'));
	PERFORM pg_temp.new_token(pg_temp.uid('id_tok'), pg_temp.org(), 'verify_email', pg_temp.h('tok-expired'),
		now() - interval '2 hours', now() - interval '1 hour');
	PERFORM pg_temp.new_token(pg_temp.uid('id_tok'), pg_temp.org(), 'password_reset', pg_temp.h('tok-reset'));
	PERFORM pg_temp.new_token(pg_temp.uid('id_tokdel'), pg_temp.org(), 'verify_email', pg_temp.h('tok-deleted'));
	UPDATE users SET deleted_at = now() WHERE username = 'id_tokdel';
END
$$;

SELECT results_eq($$EXECUTE token_use(pg_temp.h('tok-good'), 'verify_email')$$,
	$$SELECT id, org_id, username, email FROM users WHERE username = 'id_tok'$$,
	'token_use: a good token is spent and names its user');
SELECT is((SELECT used_at FROM user_tokens WHERE token_hash = pg_temp.h('tok-good')), now(),
	'token_use: the token is marked used');
SELECT is_empty($$EXECUTE token_use(pg_temp.h('tok-good'), 'verify_email')$$,
	'token_use: a token is spent only once');
SELECT is_empty($$EXECUTE token_use(pg_temp.h('tok-expired'), 'verify_email')$$,
	'token_use: an expired token is refused');
SELECT is_empty($$EXECUTE token_use(pg_temp.h('tok-reset'), 'verify_email')$$,
	'token_use: a token of another purpose is refused');
SELECT is_empty($$SELECT 1 FROM user_tokens WHERE token_hash IN (pg_temp.h('tok-expired'), pg_temp.h('tok-reset'))
	AND used_at IS NOT NULL$$,
	'token_use: refused tokens are not marked used');
SELECT is_empty($$EXECUTE token_use(pg_temp.h('tok-deleted'), 'verify_email')$$,
	'token_use: a token of a deleted user is refused');

-- Named query login_failed -------------------------------------------------------------

PREPARE login_failed AS
UPDATE users SET
	failed_login_count = CASE WHEN failed_login_count + 1 >= $2 THEN 0
		ELSE failed_login_count + 1 END,
	locked_until = CASE WHEN failed_login_count + 1 >= $2
		THEN now() + make_interval(secs => $3) ELSE locked_until END
WHERE id = $1
RETURNING coalesce(locked_until > now(), false);

SELECT results_eq($$EXECUTE login_failed(pg_temp.uid('id_lock'), 3, 900)$$, $$VALUES (false)$$,
	'login_failed: the first failure does not lock');
SELECT is((SELECT failed_login_count FROM users WHERE username = 'id_lock'), 1,
	'login_failed: the first failure counts 1');
SELECT results_eq($$EXECUTE login_failed(pg_temp.uid('id_lock'), 3, 900)$$, $$VALUES (false)$$,
	'login_failed: the second failure does not lock');
SELECT results_eq($$EXECUTE login_failed(pg_temp.uid('id_lock'), 3, 900)$$, $$VALUES (true)$$,
	'login_failed: the third failure (the threshold) locks');
SELECT results_eq($$SELECT failed_login_count, locked_until FROM users WHERE username = 'id_lock'$$,
	$$SELECT 0, now() + interval '900 seconds'$$,
	'login_failed: at the threshold the count starts again and the lock lasts the given seconds');

-- Named queries mail_sent and mail_failed: they keep the body_text rule ----------------

PREPARE mail_sent AS
UPDATE mail_outbox SET status = 'sent', sent_at = now(), body_text = NULL,
	attempts = attempts + 1
WHERE id = $1;

PREPARE mail_failed AS
UPDATE mail_outbox SET attempts = attempts + 1, last_error = left($2, 1000),
	status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE status END,
	body_text = CASE WHEN attempts + 1 >= $3 THEN NULL ELSE body_text END
WHERE id = $1;

DO $$
BEGIN
	PERFORM pg_temp.new_mail('to send');
	PERFORM pg_temp.new_mail('to fail');
END
$$;

SELECT lives_ok($$EXECUTE mail_sent(pg_temp.mail_id('to send'))$$,
	'mail_sent runs');
SELECT results_eq($$SELECT status, body_text, attempts, sent_at FROM mail_outbox WHERE subject = 'to send'$$,
	$$SELECT 'sent'::text, NULL::text, 1, now()$$,
	'mail_sent: the mail is sent, its body cleared');
SELECT lives_ok($$EXECUTE mail_failed(pg_temp.mail_id('to fail'), 'timeout', 2)$$,
	'mail_failed runs (first attempt)');
SELECT results_eq($$SELECT status, body_text IS NOT NULL, attempts, last_error FROM mail_outbox WHERE subject = 'to fail'$$,
	$$VALUES ('pending'::text, true, 1, 'timeout'::text)$$,
	'mail_failed: below the limit the mail stays pending with its body');
SELECT lives_ok($$EXECUTE mail_failed(pg_temp.mail_id('to fail'), repeat('x', 2000), 2)$$,
	'mail_failed runs (last attempt)');
SELECT results_eq($$SELECT status, body_text, attempts, length(last_error) FROM mail_outbox WHERE subject = 'to fail'$$,
	$$VALUES ('failed'::text, NULL::text, 2, 1000)$$,
	'mail_failed: at the limit the mail fails, its body cleared, the error cut to 1000');

-- Named query user_register: the registration flow makes the streak row ---------------

PREPARE user_register AS
WITH u AS (
	INSERT INTO users (org_id, email, username, password_hash)
	VALUES ($1, $2, $3, $4)
	RETURNING id, org_id
), p AS (
	INSERT INTO user_profiles (user_id, org_id, first_name, last_name,
		display_name, timezone)
	SELECT id, org_id, nullif($5, ''), nullif($6, ''),
		nullif(btrim(coalesce($5, '') || ' ' || coalesce($6, '')), ''),
		coalesce($7, 'UTC')
	FROM u
), s AS (
	INSERT INTO user_settings (user_id, org_id) SELECT id, org_id FROM u
), k AS (
	INSERT INTO learning_streaks (user_id, org_id) SELECT id, org_id FROM u
)
SELECT id FROM u;

SELECT lives_ok($$EXECUTE user_register(pg_temp.org(), 'reg@identity.test', 'id_reg',
		pg_temp.bcrypt(), 'Reg', '', NULL)$$,
	'user_register runs');
SELECT results_eq(
	$$SELECT k.org_id, k.current_streak, k.longest_streak, p.display_name, p.timezone
	  FROM users u JOIN learning_streaks k ON k.user_id = u.id JOIN user_profiles p ON p.user_id = u.id
	  WHERE u.username = 'id_reg'$$,
	$$SELECT pg_temp.org(), 0, 0, 'Reg'::text, 'UTC'::text$$,
	'user_register: the account gets its profile and its streak row in its organization');

SELECT * FROM finish();
ROLLBACK;
