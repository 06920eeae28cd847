-- Operations queries.

-- name: ops_schema_version
-- org: any
SELECT coalesce(max(version), 0) FROM schema_migrations

-- name: orgs_all
-- org: any
-- Every organization, for the maintenance that visits each (0015).
SELECT ludus_orgs()

-- name: role_bypasses_rls
-- org: any
-- Whether the role ludus serves as escapes row-level security: a superuser,
-- a role with BYPASSRLS, or the owner of a table (policies do not bind the
-- owner).  ludus serve refuses such a role (0015).
SELECT current_user, r.rolsuper OR r.rolbypassrls OR EXISTS (
		SELECT 1 FROM pg_class c
		WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p')
			AND c.relnamespace = 'public'::regnamespace)
FROM pg_roles r WHERE r.rolname = current_user

-- name: partitions_ahead
-- org: any
-- The next year's monthly partitions of every partitioned table, by one
-- server at a time (the others skip); how many were made.
SELECT partitions_ahead(12)
WHERE pg_try_advisory_xact_lock(hashtext('ludus.partitions_ahead'))

-- name: retention_apply
-- org: any
-- $1 interactions, $2 inactive learners', $3 session data, $4 audit, $5
-- metrics (days): the retention policy, by one server at a time; what it
-- did.
SELECT retention_apply($1::integer, $2::integer, $3::integer, $4::integer,
	$5::integer)
WHERE pg_try_advisory_xact_lock(hashtext('ludus.retention'))

-- name: live_replay
-- $1 channels (a text array), $2 after this event id: the events since,
-- oldest first, one more than a replay sends (src/http/live.c), in the
-- organization the transaction is set to.
SELECT id, event, data FROM live_events
WHERE channel = ANY($1::text[]) AND id > $2::bigint
ORDER BY id
LIMIT 201

-- name: live_last_id
-- The organization's last event id (0: none yet), where a new stream
-- starts.
SELECT coalesce(max(id), 0) FROM live_events

-- name: live_prune
-- The events older than six hours: no client replays them.
WITH gone AS (
	DELETE FROM live_events WHERE created_at < now() - interval '6 hours'
	RETURNING 1
)
SELECT count(*) FROM gone
