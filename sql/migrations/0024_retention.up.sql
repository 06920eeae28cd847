-- 0024_retention: monthly partitions made ahead of time, and seed 001's
-- retention policy.
--
-- Every table partitioned by month (activity and audit events, attempt
-- answers, flashcard reviews, interactions, progress metrics) gets its
-- partitions made ahead by the daily maintenance (partitions_ahead), so
-- that rows never pile up in a default partition, which would stop that
-- month's partition from being made later.
--
-- The retention policy (retention_apply, run daily by one server; the
-- windows are the operator's settings, LUDUS_RETAIN_*):
--   interactions       1 year; 6 months for a learner not seen for 6 months
--   session data       6 months, then folded into monthly progress_metrics
--   audit events       2 years (whole month partitions are dropped: the
--                      audit trail is never changed row by row)
--   progress metrics   5 years
-- Both run as the tables' owner (SECURITY DEFINER): they look across
-- organizations, drop partitions and delete what the app may not.

-- The monthly partitions of one table: each partition's name, and the
-- month it holds (from the name ensure_monthly_partitions gave it).
CREATE FUNCTION monthly_partitions(parent regclass)
RETURNS TABLE (part regclass, month date)
LANGUAGE sql STABLE AS $$
	SELECT c.oid::regclass, to_date(substring(c.relname from
		'_([0-9]{4}_[0-9]{2})$'), 'YYYY_MM')
	FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
	WHERE i.inhparent = parent AND c.relname ~ '_[0-9]{4}_[0-9]{2}$'
$$;

-- Makes the partitions of every month-partitioned table from last month to
-- `months` ahead; how many it made.
CREATE FUNCTION partitions_ahead(months integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
	-- (making or dropping a partition locks its table: never wait long
	-- behind the requests for that, try again tomorrow)
	SET lock_timeout = '5s'
AS $$
DECLARE
	t regclass;
	made integer := 0;
BEGIN
	IF months NOT BETWEEN 1 AND 36 THEN
		RAISE EXCEPTION 'months must be 1 to 36' USING ERRCODE = 'check_violation';
	END IF;
	FOR t IN SELECT p.partrelid::regclass FROM pg_partitioned_table p
		JOIN pg_class c ON c.oid = p.partrelid
		WHERE c.relnamespace = 'public'::regnamespace AND p.partstrat = 'r'
		ORDER BY c.relname
	LOOP
		made := made + ensure_monthly_partitions(t,
			(now() - interval '1 month')::date, months + 2);
	END LOOP;
	RETURN made;
END
$$;

-- Drops the month partitions of parent that end before `before`; how
-- many it dropped.
CREATE FUNCTION drop_partitions_before(parent regclass, before timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	p record;
	n integer := 0;
BEGIN
	FOR p IN SELECT * FROM monthly_partitions(parent)
		WHERE ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC')
			<= before
		ORDER BY month
	LOOP
		EXECUTE format('DROP TABLE %s', p.part);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

-- Applies the policy as of p_now; what it did, as JSON.  Windows in days.
CREATE FUNCTION retention_apply(p_interactions integer, p_inactive integer,
	p_sessions integer, p_audit integer, p_metrics integer,
	p_now timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
	SET lock_timeout = '5s'
AS $$
DECLARE
	out jsonb := '{}';
	n integer;
	cut timestamptz;
BEGIN
	IF least(p_interactions, p_inactive, p_sessions, p_audit, p_metrics) < 30
		OR p_inactive > p_interactions THEN
		RAISE EXCEPTION 'retention windows must be 30 days or more, and '
			'the inactive learners'' window no longer than the others'''
			USING ERRCODE = 'check_violation';
	END IF;

	-- Interactions: whole months first, then the rows left over (in the
	-- partition the cut falls in, and the default one).
	cut := p_now - make_interval(days => p_interactions);
	out := out || jsonb_build_object('interaction_partitions_dropped',
		drop_partitions_before('interactions', cut));
	DELETE FROM interactions WHERE created_at < cut;
	GET DIAGNOSTICS n = ROW_COUNT;
	out := out || jsonb_build_object('interactions_deleted', n);
	-- A learner not seen for p_inactive days keeps less.
	cut := p_now - make_interval(days => p_inactive);
	DELETE FROM interactions i USING users u
	WHERE u.id = i.user_id AND i.created_at < cut
		AND coalesce(u.last_login_at, u.created_at) < cut;
	GET DIAGNOSTICS n = ROW_COUNT;
	out := out || jsonb_build_object('inactive_interactions_deleted', n);

	-- Session data: ended sessions of materials, folded into one row a
	-- month per learner and material, then cleared.
	cut := p_now - make_interval(days => p_sessions);
	WITH old AS (
		SELECT * FROM learning_sessions
		WHERE study_material_id IS NOT NULL AND archived_at IS NULL
			AND ended_at < cut
		FOR UPDATE
	), folded AS (
		INSERT INTO progress_metrics (org_id, user_id, material_id,
			metric_type, metric_value, metric_data, recorded_at,
			time_period, aggregation_type)
		SELECT org_id, user_id, study_material_id, 'sessions', count(*),
			jsonb_build_object('month', to_char(date_trunc('month',
					started_at AT TIME ZONE 'UTC'), 'YYYY-MM'),
				'interactions', sum(total_interactions),
				'seconds', sum(extract(epoch FROM ended_at - started_at))::bigint,
				'completed', count(*) FILTER (WHERE status = 'completed'),
				'mean_completion', round(avg(completion_percentage)::numeric, 1),
				'correct', sum(coalesce((session_data->>'correct')::integer, 0)),
				'answered', sum(coalesce((session_data->>'answered')::integer, 0))),
			date_trunc('month', started_at AT TIME ZONE 'UTC')
				AT TIME ZONE 'UTC',
			'month', 'sum'
		FROM old
		GROUP BY org_id, user_id, study_material_id,
			date_trunc('month', started_at AT TIME ZONE 'UTC')
		RETURNING 1
	)
	UPDATE learning_sessions s SET session_data = NULL, configuration = NULL,
		archived_at = p_now
	FROM old WHERE s.id = old.id;
	GET DIAGNOSTICS n = ROW_COUNT;
	out := out || jsonb_build_object('sessions_archived', n);

	-- Audit events: whole months only.
	out := out || jsonb_build_object('audit_partitions_dropped',
		drop_partitions_before('audit_events',
			p_now - make_interval(days => p_audit)));

	-- Progress metrics.
	cut := p_now - make_interval(days => p_metrics);
	out := out || jsonb_build_object('metric_partitions_dropped',
		drop_partitions_before('progress_metrics', cut));
	DELETE FROM progress_metrics WHERE recorded_at < cut;
	GET DIAGNOSTICS n = ROW_COUNT;
	out := out || jsonb_build_object('metrics_deleted', n);
	RETURN out;
END
$$;

SELECT ludus_grant_definers();
