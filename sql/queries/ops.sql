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
