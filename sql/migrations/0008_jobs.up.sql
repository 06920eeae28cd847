-- 0008_jobs: work longer than a request should take, queued in PostgreSQL.
--
-- A request enqueues a job in its own transaction and answers 202 at once;
-- a runner thread of any `ludus serve` claims it (FOR UPDATE SKIP LOCKED,
-- so that any number of servers share the queue), does the work and marks
-- the job done in the work's own transaction, so a job's effects and its
-- "succeeded" are committed together.  A claimed job holds a lease that
-- its progress renews; a job whose server died is claimed again when the
-- lease runs out, up to max_attempts times.  The input (an uploaded file)
-- is dropped once the job has ended; ended jobs go after 30 days.

CREATE TABLE jobs (
	id uuid PRIMARY KEY DEFAULT uuid_v7(),
	org_id uuid NOT NULL REFERENCES organizations (id),
	user_id uuid NOT NULL,
	kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
	status text NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
	payload jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(payload) = 'object'),
	input text CHECK (octet_length(input) <= 16777216),
	progress jsonb NOT NULL DEFAULT '{}'
		CHECK (jsonb_typeof(progress) = 'object'),
	result jsonb CHECK (jsonb_typeof(result) = 'object'),
	error text CHECK (length(error) <= 1000),
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
	lease_until timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	started_at timestamptz,
	finished_at timestamptz,
	CHECK ((status IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)),
	CHECK (status <> 'running' OR lease_until IS NOT NULL),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
-- What a runner claims next: the oldest waiting job, or a running one
-- whose lease ran out.
CREATE INDEX jobs_waiting_idx ON jobs (created_at)
	WHERE status IN ('queued', 'running');
CREATE INDEX jobs_user_idx ON jobs (user_id, org_id, created_at DESC);
CREATE INDEX jobs_org_idx ON jobs (org_id, created_at DESC);
CREATE INDEX jobs_finished_idx ON jobs (finished_at)
	WHERE finished_at IS NOT NULL;
