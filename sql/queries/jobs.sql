-- Background jobs (migration 0008): enqueue, claim, progress, end, read.

-- name: job_enqueue
-- $1 org, $2 user, $3 kind, $4 payload (JSON object), $5 input (or null):
-- the new job's id.
INSERT INTO jobs (org_id, user_id, kind, payload, input)
VALUES ($1, $2, $3, $4::jsonb, $5)
RETURNING id

-- name: job_claim
-- org: any
-- $1 lease seconds: the oldest waiting job of any organization (or a
-- running one whose lease ran out: its server died), now running under a
-- lease; no row when there is none.  SKIP LOCKED lets every server's
-- runner claim at once.
SELECT id, org_id, user_id, kind, payload, input, attempts, max_attempts
FROM job_claim($1)

-- name: job_progress
-- $1 job, $2 done, $3 total, $4 lease seconds: how far it is, and a
-- longer lease (from the runner's second connection, outside the work's
-- transaction, so that it shows at once); whether it was asked to stop.
UPDATE jobs SET progress = jsonb_build_object('done', $2::bigint,
		'total', $3::bigint),
	lease_until = now() + make_interval(secs => $4)
WHERE id = $1 AND status = 'running'
RETURNING cancel_requested_at IS NOT NULL

-- name: job_succeed
-- $1 job, $2 result (JSON): done, in the work's own transaction.
UPDATE jobs SET status = 'succeeded', result = $2::jsonb, input = NULL,
	-- the end of the work, not the start of its transaction (now())
	finished_at = clock_timestamp(), lease_until = NULL,
	progress = CASE WHEN progress ? 'total' THEN jsonb_build_object('done',
		progress->'total', 'total', progress->'total') ELSE progress END
WHERE id = $1

-- name: job_fail
-- $1 job, $2 error, $3 whether to try again: back in the queue while
-- attempts are left and the failure may pass (the database, or a server
-- the job talks to, was away or busy), after a wait that doubles each
-- time (job_backoff), else failed for good.
UPDATE jobs SET
	status = CASE WHEN $3::boolean AND attempts < max_attempts
		THEN 'queued' ELSE 'failed' END,
	error = left($2, 1000),
	finished_at = CASE WHEN $3::boolean AND attempts < max_attempts
		THEN NULL ELSE now() END,
	input = CASE WHEN $3::boolean AND attempts < max_attempts
		THEN input END,
	run_after = CASE WHEN $3::boolean AND attempts < max_attempts
		THEN now() + job_backoff(attempts) ELSE run_after END,
	lease_until = NULL
WHERE id = $1
RETURNING status

-- name: job_cancelled
-- $1 job: a running job that stopped because it was asked to; its work
-- was rolled back.
UPDATE jobs SET status = 'cancelled', finished_at = now(), input = NULL,
	lease_until = NULL, error = 'Cancelled.'
WHERE id = $1 AND status = 'running'

-- name: job_cancel
-- $1 job, $2 org, $3 user, $4 may see every job: a queued job ends at
-- once; a running one is asked to stop (its runner sees it at its next
-- progress report).  The job's status after, or no row when there is no
-- such job of the caller's; an ended job is left as it is.
UPDATE jobs SET
	status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END,
	finished_at = CASE status WHEN 'queued' THEN now() ELSE finished_at END,
	input = CASE status WHEN 'queued' THEN NULL ELSE input END,
	error = CASE status WHEN 'queued' THEN 'Cancelled.' ELSE error END,
	cancel_requested_at = CASE WHEN status IN ('queued', 'running')
		THEN coalesce(cancel_requested_at, now()) END
WHERE id = $1 AND org_id = $2 AND (user_id = $3 OR $4::boolean)
RETURNING status, cancel_requested_at IS NOT NULL

-- name: job_get
-- $1 job, $2 org, $3 user, $4 role: the job, for the one who asked for it
-- (or an admin of the organization).
SELECT json_build_object('id', id, 'kind', kind, 'status', status,
	'progress', progress, 'result', result, 'error', error,
	'attempts', attempts, 'max_attempts', max_attempts,
	'run_after', run_after, 'cancel_requested', cancel_requested_at IS NOT NULL,
	'created_at', created_at, 'started_at', started_at,
	'finished_at', finished_at)
FROM jobs
WHERE id = $1 AND org_id = $2 AND (user_id = $3 OR $4::boolean)

-- name: jobs_list
-- $1 org, $2 user, $3 limit: my latest jobs, newest first.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', id, 'kind', kind, 'status', status, 'progress', progress,
	'error', error, 'created_at', created_at, 'finished_at', finished_at)
	ORDER BY created_at DESC), '[]'))
FROM (SELECT * FROM jobs WHERE org_id = $1 AND user_id = $2
	ORDER BY created_at DESC LIMIT $3::integer) j

-- name: jobs_cleanup
-- Jobs that ended more than 30 days ago; how many went.
WITH gone AS (
	DELETE FROM jobs WHERE finished_at < now() - interval '30 days'
	RETURNING 1
)
SELECT count(*) FROM gone
