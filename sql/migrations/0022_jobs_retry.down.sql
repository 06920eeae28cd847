-- 0022_jobs_retry, undone: cancelled jobs count as failed.
CREATE OR REPLACE FUNCTION job_claim(p_lease integer)
RETURNS TABLE (id uuid, org_id uuid, user_id uuid, kind text,
	payload jsonb, input text, attempts integer, max_attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	UPDATE jobs j SET status = 'running', attempts = j.attempts + 1,
		started_at = now(), lease_until = now() + make_interval(secs => p_lease)
	WHERE j.id = (
		SELECT id FROM jobs
		WHERE (status = 'queued' OR (status = 'running' AND lease_until < now()))
		ORDER BY created_at
		FOR UPDATE SKIP LOCKED
		LIMIT 1)
	RETURNING j.id, j.org_id, j.user_id, j.kind, j.payload, j.input,
		j.attempts, j.max_attempts
$$;
DROP FUNCTION job_backoff(integer);
UPDATE jobs SET status = 'failed' WHERE status = 'cancelled';
DROP INDEX jobs_waiting_idx;
ALTER TABLE jobs DROP COLUMN run_after, DROP COLUMN cancel_requested_at,
	DROP CONSTRAINT jobs_finished_check,
	ADD CONSTRAINT jobs_check CHECK ((status IN ('succeeded', 'failed'))
		= (finished_at IS NOT NULL)),
	DROP CONSTRAINT jobs_status_check,
	ADD CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running',
		'succeeded', 'failed'));
CREATE INDEX jobs_waiting_idx ON jobs (created_at)
	WHERE status IN ('queued', 'running');
