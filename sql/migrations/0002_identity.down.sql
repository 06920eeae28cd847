-- Reverts 0002_identity.
DROP INDEX users_username_search_idx;
DROP INDEX users_email_search_idx;
DROP EXTENSION pg_trgm;
ALTER TABLE users DROP CONSTRAINT users_reserved_names;
ALTER TABLE users DROP CONSTRAINT users_anonymized_deleted;
ALTER TABLE users DROP COLUMN anonymized_at;
DROP TABLE learning_streaks;
DROP TABLE rate_limits;
DROP TABLE mail_outbox;
DROP TABLE user_tokens;
DROP TABLE sessions;
