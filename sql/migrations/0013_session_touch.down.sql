-- 0013_session_touch, undone.
ALTER TABLE sessions RESET (fillfactor);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);
