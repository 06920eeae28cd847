-- 0032_live, undone.
DROP TRIGGER forum_replies_live ON forum_replies;
DROP FUNCTION forum_replies_live();
DROP TRIGGER notifications_live ON notifications;
DROP FUNCTION notifications_live();
DROP FUNCTION live_emit(uuid, text, text, jsonb);
DROP TABLE live_events;
