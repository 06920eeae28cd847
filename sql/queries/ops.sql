-- Operations queries.

-- name: ops_schema_version
SELECT coalesce(max(version), 0) FROM schema_migrations
