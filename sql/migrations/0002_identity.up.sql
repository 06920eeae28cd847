-- 0002_identity: sessions, single-use tokens (email verification, password
-- reset), the mail outbox, rate-limit counters and the streak row every
-- account gets at registration.

-- A signed-in browser or API client.  Only the SHA-256 of the token is
-- kept; the token itself exists only in the client.
CREATE TABLE sessions (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	-- Sent back in X-CSRF-Token by cookie-authenticated writes.
	csrf_token text NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 128),
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	-- Sliding: pushed forward on use, never past absolute_expires_at.
	expires_at timestamptz NOT NULL,
	absolute_expires_at timestamptz NOT NULL,
	ip inet,
	user_agent text CHECK (length(user_agent) <= 512),
	CHECK (expires_at <= absolute_expires_at),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions (user_id, org_id, created_at);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- Single-use secrets mailed to a user; only their SHA-256 is kept.
CREATE TABLE user_tokens (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL,
	org_id uuid NOT NULL,
	purpose text NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
	token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz,
	CHECK (expires_at > created_at),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, org_id, purpose);
CREATE INDEX user_tokens_expiry_idx ON user_tokens (expires_at);

-- Mail waits here until a mailer delivers it.  The body is cleared once it
-- is sent, so a link with a secret does not outlive its delivery.
CREATE TABLE mail_outbox (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	user_id uuid,
	to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
	subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
	body_text text CHECK (length(body_text) <= 20000),
	status text NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'sent', 'failed')),
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	last_error text CHECK (length(last_error) <= 1000),
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz,
	CHECK ((status = 'pending') = (body_text IS NOT NULL)),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE SET NULL (user_id)
);
CREATE INDEX mail_outbox_pending_idx ON mail_outbox (created_at)
	WHERE status = 'pending';
CREATE INDEX mail_outbox_org_idx ON mail_outbox (org_id);
CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id, org_id);

-- Fixed-window counters for rate limits, shared by every ludus process.
-- key: what is limited, e.g. "login:ip:192.0.2.7".
CREATE TABLE rate_limits (
	key text NOT NULL CHECK (length(key) BETWEEN 1 AND 300),
	window_start timestamptz NOT NULL,
	count integer NOT NULL DEFAULT 1 CHECK (count > 0),
	PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);

-- Study streaks: one row per account, made at registration (seed 000's
-- flow); the gamification migration gives it its rules.
CREATE TABLE learning_streaks (
	user_id uuid PRIMARY KEY,
	org_id uuid NOT NULL,
	current_streak integer NOT NULL DEFAULT 0 CHECK (current_streak >= 0),
	longest_streak integer NOT NULL DEFAULT 0 CHECK (longest_streak >= 0),
	last_activity_date date,
	freezes_available integer NOT NULL DEFAULT 0
		CHECK (freezes_available >= 0),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (longest_streak >= current_streak),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX learning_streaks_user_org_idx ON learning_streaks (user_id, org_id);
CREATE TRIGGER learning_streaks_updated_at BEFORE UPDATE ON learning_streaks
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Users soft-deleted before this are anonymized by the maintenance job.
ALTER TABLE users ADD COLUMN anonymized_at timestamptz;
ALTER TABLE users ADD CONSTRAINT users_anonymized_deleted
	CHECK (anonymized_at IS NULL OR deleted_at IS NOT NULL);
-- The names anonymization gives are reserved for it, so that no live
-- account can take one and block the job.
ALTER TABLE users ADD CONSTRAINT users_reserved_names CHECK (
	anonymized_at IS NOT NULL OR (username !~* '^deleted_'
		AND lower(email) NOT LIKE '%@deleted.invalid'));

-- Listing and searching users in an organization.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_search_idx ON users
	USING gin (lower(email) gin_trgm_ops);
CREATE INDEX users_username_search_idx ON users
	USING gin (lower(username) gin_trgm_ops);

-- Streak rows for the accounts that exist already (on a fresh install
-- there are none yet: the seed makes its own).
INSERT INTO learning_streaks (user_id, org_id)
SELECT id, org_id FROM users
ON CONFLICT DO NOTHING;
