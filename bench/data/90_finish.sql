-- Bench data set, last step: the cached totals, then vacuum and
-- statistics, as a database that has been running a while would have them
-- (and so that autovacuum does not start on the fresh tables in the middle
-- of a measurement).

-- The leaderboards' totals and histograms and the achievement counters
-- (migration 0010) from the history, as `ludus gamify rebuild` makes them.
SELECT gamify_rebuild();

RESET ROLE;
VACUUM (ANALYZE);
