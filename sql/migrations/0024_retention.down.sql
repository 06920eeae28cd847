-- 0024_retention, undone.
DROP FUNCTION retention_apply(integer, integer, integer, integer, integer,
	timestamptz), drop_partitions_before(regclass, timestamptz),
	partitions_ahead(integer), monthly_partitions(regclass);
