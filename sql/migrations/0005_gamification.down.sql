-- Reverts 0005_gamification.
DROP FUNCTION streak_now(uuid);
DROP FUNCTION activity_touch(uuid, uuid, timestamptz, integer, integer, integer);
DROP TABLE notifications;
DROP TABLE study_goals;
ALTER TABLE user_profiles DROP COLUMN avatar_id;
DROP TABLE user_avatars;
DROP TABLE user_achievements;
DROP TABLE achievements;
DROP TABLE avatars;
DROP TABLE activity_days;
DROP INDEX user_profiles_board_idx;
ALTER TABLE user_profiles DROP COLUMN level, DROP COLUMN xp;
DROP FUNCTION xp_level(bigint);
DROP TABLE xp_events;
DROP FUNCTION xp_events_append_only();
