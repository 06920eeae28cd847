-- 0007_leaderboard_privacy, undone.
ALTER TABLE organizations DROP CONSTRAINT organizations_settings_staff_check;
DROP INDEX user_settings_hidden_idx;
ALTER TABLE user_settings DROP COLUMN leaderboard_visibility;
