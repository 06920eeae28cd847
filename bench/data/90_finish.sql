-- Bench data set, last step: vacuum and statistics, as a database that has
-- been running a while would have them (and so that autovacuum does not
-- start on the fresh tables in the middle of a measurement).
RESET ROLE;
VACUUM (ANALYZE);
