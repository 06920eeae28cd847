-- 0022_jobs_retry: a job tried again waits longer each time, and a job can
-- be cancelled.
--
-- A failure that may pass (the database, or a server the job talks to,
-- was away) puts the job back in the queue with run_after pushed out:
-- 10 s, 20 s, 40 s ... at most 15 minutes, so that a dead model server is
-- not hammered.  Cancelling a queued job ends it at once; cancelling a
-- running one asks its runner to stop, which it sees at its next progress
-- report, and its transaction is rolled back: nothing of it is kept.

ALTER TABLE jobs DROP CONSTRAINT jobs_status_check,
	ADD CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running',
		'succeeded', 'failed', 'cancelled')),
	DROP CONSTRAINT jobs_check,
	ADD CONSTRAINT jobs_finished_check CHECK ((status IN ('succeeded',
		'failed', 'cancelled')) = (finished_at IS NOT NULL)),
	ADD COLUMN run_after timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN cancel_requested_at timestamptz;

DROP INDEX jobs_waiting_idx;
CREATE INDEX jobs_waiting_idx ON jobs (run_after, created_at)
	WHERE status IN ('queued', 'running');

-- The wait before try n + 1 after n tries: 10 s doubled each time, at most
-- 15 minutes.
CREATE FUNCTION job_backoff(tries integer) RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT make_interval(secs => least(900, 10 * power(2,
		greatest(0, least(tries, 20) - 1))))
$$;

CREATE OR REPLACE FUNCTION job_claim(p_lease integer)
RETURNS TABLE (id uuid, org_id uuid, user_id uuid, kind text,
	payload jsonb, input text, attempts integer, max_attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	UPDATE jobs j SET status = 'running', attempts = j.attempts + 1,
		started_at = now(), lease_until = now() + make_interval(secs => p_lease)
	WHERE j.id = (
		SELECT id FROM jobs
		WHERE (status = 'queued' AND run_after <= now())
			OR (status = 'running' AND lease_until < now())
		ORDER BY run_after, created_at
		FOR UPDATE SKIP LOCKED
		LIMIT 1)
	RETURNING j.id, j.org_id, j.user_id, j.kind, j.payload, j.input,
		j.attempts, j.max_attempts
$$;
