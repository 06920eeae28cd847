-- 0007_leaderboard_privacy and 0008_jobs: the leaderboard setting and the
-- organization's staff switch take only their values; a job moves through
-- its states as the runner's queries move it (claimed oldest first under
-- a lease, SKIP LOCKED, taken again when the lease ran out, back in the
-- queue while tries are left, failed for good after), and the table's
-- constraints refuse what no state allows.  All in one rolled-back
-- transaction; the named queries are copied here as the runner sends them
-- (sql/queries/jobs.sql).

BEGIN;
SET client_min_messages = warning;
SELECT plan(16);

CREATE FUNCTION pg_temp.org() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM organizations WHERE is_default
$$;
CREATE FUNCTION pg_temp.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT id FROM users WHERE username = 'instructor'
$$;
CREATE FUNCTION pg_temp.claim(p_lease integer) RETURNS uuid LANGUAGE sql AS $$
	UPDATE jobs j SET status = 'running', attempts = j.attempts + 1,
		started_at = now(), lease_until = now() + make_interval(secs => p_lease)
	WHERE j.id = (
		SELECT id FROM jobs
		WHERE (status = 'queued' OR (status = 'running' AND lease_until < now()))
		ORDER BY created_at
		FOR UPDATE SKIP LOCKED
		LIMIT 1)
	RETURNING j.id
$$;
CREATE FUNCTION pg_temp.fail(p_job uuid, p_retry boolean) RETURNS text
LANGUAGE sql AS $$
	UPDATE jobs SET
		status = CASE WHEN p_retry AND attempts < max_attempts
			THEN 'queued' ELSE 'failed' END,
		error = 'x',
		finished_at = CASE WHEN p_retry AND attempts < max_attempts
			THEN NULL ELSE now() END,
		lease_until = NULL
	WHERE id = p_job
	RETURNING status
$$;

-- 0007
SELECT throws_ok($$UPDATE user_settings SET leaderboard_visibility = 'all'
	WHERE user_id = pg_temp.uid()$$, '23514', NULL,
	'leaderboard_visibility takes username, full_name or hidden only');
SELECT is((SELECT leaderboard_visibility FROM user_settings
	WHERE user_id = pg_temp.uid()), 'username', 'usernames only by default');
SELECT throws_ok($$UPDATE organizations SET settings =
	'{"leaderboard_include_staff": "yes"}' WHERE is_default$$, '23514', NULL,
	'leaderboard_include_staff is a boolean');
SELECT lives_ok($$UPDATE organizations SET settings =
	'{"leaderboard_include_staff": true, "other": 1}' WHERE is_default$$,
	'and other settings are left to their own checks');

-- 0008: the queue
INSERT INTO jobs (id, org_id, user_id, kind, created_at) VALUES
	('00000000-0000-7000-8000-000000000001', pg_temp.org(), pg_temp.uid(),
		'questions.import', now() - interval '2 minutes'),
	('00000000-0000-7000-8000-000000000002', pg_temp.org(), pg_temp.uid(),
		'questions.import', now() - interval '1 minute');
SELECT is(pg_temp.claim(600), '00000000-0000-7000-8000-000000000001'::uuid,
	'the oldest waiting job is claimed first');
SELECT is(pg_temp.claim(600), '00000000-0000-7000-8000-000000000002'::uuid,
	'a running job under its lease is not claimed again');
SELECT is(pg_temp.claim(600), NULL, 'nothing else waits');
UPDATE jobs SET lease_until = now() - interval '1 second'
WHERE id = '00000000-0000-7000-8000-000000000001';
SELECT is(pg_temp.claim(600), '00000000-0000-7000-8000-000000000001'::uuid,
	'a job whose lease ran out (its server died) is claimed again');
SELECT is((SELECT attempts FROM jobs
	WHERE id = '00000000-0000-7000-8000-000000000001'), 2,
	'and that is its second try');
SELECT is(pg_temp.fail('00000000-0000-7000-8000-000000000001', true), 'queued',
	'a failure that may pass puts it back while tries are left');
SELECT is(pg_temp.claim(600), '00000000-0000-7000-8000-000000000001'::uuid,
	'and it is claimed again');
SELECT is(pg_temp.fail('00000000-0000-7000-8000-000000000001', true), 'failed',
	'after the last try it fails for good');
SELECT is(pg_temp.fail('00000000-0000-7000-8000-000000000002', false), 'failed',
	'a failure that cannot pass fails at once');

-- 0008: what no state allows
SELECT throws_ok($$INSERT INTO jobs (org_id, user_id, kind, status)
	VALUES (pg_temp.org(), pg_temp.uid(), 'x', 'succeeded')$$, '23514', NULL,
	'an ended job has an end time');
SELECT throws_ok($$INSERT INTO jobs (org_id, user_id, kind, status)
	VALUES (pg_temp.org(), pg_temp.uid(), 'x', 'running')$$, '23514', NULL,
	'a running job has a lease');
SELECT throws_ok($$INSERT INTO jobs (org_id, user_id, kind)
	VALUES (pg_temp.org(), pg_temp.uid(), 'Not A Kind')$$, '23514', NULL,
	'a kind is a lowercase name');

SELECT * FROM finish();
ROLLBACK;
