-- 0007_leaderboard_privacy, undone.
ALTER TABLE organizations DROP CONSTRAINT organizations_settings_staff_check;
ALTER TABLE user_settings DROP COLUMN leaderboard_visibility;
