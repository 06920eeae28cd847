-- 0006_xp_weekly, undone.
DROP TRIGGER xp_events_weekly ON xp_events;
DROP FUNCTION xp_weekly_add();
DROP TABLE xp_weekly;
