-- 0013_session_touch: a session's use is recorded without touching its
-- indexes.
--
-- Every request checks its session, and one that comes over a minute
-- after the session's last pushes its idle expiry forward
-- (auth_session).  expires_at had an index (0002), so each push wrote a
-- new entry in all four of the table's indexes and left dead ones that
-- every later lookup by token stepped over: on the bench, where most
-- requests come from a session not seen for a minute, the session check
-- cost more than the leaderboard it guarded.  Without that index the push
-- is a heap-only update (HOT) when the page has room, which the fill
-- factor keeps.  The only reader of the index was the cleanup of expired
-- sessions, once a minute in the background, which now reads the table.
DROP INDEX sessions_expiry_idx;
ALTER TABLE sessions SET (fillfactor = 80);
