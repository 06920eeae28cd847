-- 0008_jobs, undone.
DROP TABLE jobs;
