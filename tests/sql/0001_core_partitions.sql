-- 0001_core: the partitioned event streams.
--
-- activity_events and audit_events are range-partitioned by month on
-- occurred_at with a DEFAULT partition; the migration made the month before
-- it ran, that month and a year ahead.  Rows are routed by occurred_at; the
-- row-level CHECKs and foreign keys hold; audit_events is append-only
-- (UPDATE and DELETE raise 42501 through a trigger, on the parent and on
-- every partition).  All in one rolled-back transaction.

BEGIN;
SET client_min_messages = warning;
SELECT plan(52);

-- Month partitions are cut at midnight in the time zone of the session that
-- made them (see the BUG note in 0001_core_functions.sql): the migration
-- ran with the server's configured TimeZone.  Use that zone here, so that
-- "this month" means the same thing even if the client sets PGTZ.
DO $$
BEGIN
	PERFORM set_config('TimeZone',
		coalesce((SELECT setting FROM pg_file_settings WHERE name = 'timezone' AND applied
		          ORDER BY seqno DESC LIMIT 1), current_setting('TimeZone')), true);
END
$$;

-- Shape ----------------------------------------------------------------------------

SELECT results_eq(
	$$SELECT relname, relkind FROM pg_class
	  WHERE relnamespace = 'public'::regnamespace AND relname IN ('activity_events', 'audit_events')
	  ORDER BY relname$$,
	$$VALUES ('activity_events'::name, 'p'::"char"), ('audit_events'::name, 'p'::"char")$$,
	'activity_events and audit_events are partitioned tables (relkind p)');
SELECT is(pg_get_partkeydef('public.activity_events'::regclass), 'RANGE (occurred_at)',
	'activity_events is partitioned by RANGE (occurred_at)');
SELECT is(pg_get_partkeydef('public.audit_events'::regclass), 'RANGE (occurred_at)',
	'audit_events is partitioned by RANGE (occurred_at)');
SELECT is(
	(SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'public.activity_events_default'::regclass),
	'DEFAULT', 'activity_events_default is the DEFAULT partition of activity_events');
SELECT is(
	(SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'public.audit_events_default'::regclass),
	'DEFAULT', 'audit_events_default is the DEFAULT partition of audit_events');

-- The window the migration made: from the month before it ran, 14 months.
CREATE TEMP TABLE window_months ON COMMIT DROP AS
SELECT to_char(m, 'YYYY_MM') AS ym
FROM schema_migrations s,
	generate_series(date_trunc('month', s.applied_at) - interval '1 month',
		date_trunc('month', s.applied_at) + interval '12 months', interval '1 month') m
WHERE s.version = 1;
SELECT is((SELECT count(*) FROM window_months), 14::bigint, 'set-up: the migration window is 14 months');
SELECT is_empty($$SELECT ym FROM window_months WHERE to_regclass('public.activity_events_' || ym) IS NULL$$,
	'activity_events has a partition for the month before the migration, its month and 12 ahead');
SELECT is_empty($$SELECT ym FROM window_months WHERE to_regclass('public.audit_events_' || ym) IS NULL$$,
	'audit_events has a partition for the month before the migration, its month and 12 ahead');
SELECT isnt(to_regclass('public.activity_events_' || to_char(now(), 'YYYY_MM')), NULL,
	'activity_events has a partition for the current month');
SELECT isnt(to_regclass('public.audit_events_' || to_char(now(), 'YYYY_MM')), NULL,
	'audit_events has a partition for the current month');

-- Routing ----------------------------------------------------------------------------

CREATE FUNCTION pg_temp.activity_at(p_at timestamptz) RETURNS text LANGUAGE sql AS $$
	INSERT INTO activity_events (org_id, user_id, event_type, occurred_at)
	SELECT org_id, id, 'routing.test', p_at FROM users WHERE username = 'sarah_network'
	RETURNING tableoid::regclass::text
$$;
CREATE FUNCTION pg_temp.audit_at(p_at timestamptz) RETURNS text LANGUAGE sql AS $$
	INSERT INTO audit_events (org_id, actor_user_id, action, entity_type, occurred_at)
	SELECT org_id, id, 'routing.test', 'user', p_at FROM users WHERE username = 'admin'
	RETURNING tableoid::regclass::text
$$;

WITH r AS (
	INSERT INTO activity_events (org_id, user_id, event_type)
	SELECT org_id, id, 'lesson.viewed' FROM users WHERE username = 'sarah_network'
	RETURNING tableoid::regclass::text AS part)
SELECT is(part, 'activity_events_' || to_char(now(), 'YYYY_MM'),
	'activity_events: a row for now() (the default) lands in the current month''s partition')
FROM r;
WITH r AS (
	INSERT INTO audit_events (org_id, actor_user_id, action, entity_type, entity_id)
	SELECT org_id, id, 'user.login', 'user', id FROM users WHERE username = 'admin'
	RETURNING tableoid::regclass::text AS part)
SELECT is(part, 'audit_events_' || to_char(now(), 'YYYY_MM'),
	'audit_events: a row for now() (the default) lands in the current month''s partition')
FROM r;
SELECT is(pg_temp.activity_at('2001-01-01 00:00:00+00'), 'activity_events_default',
	'activity_events: a row dated 2001-01-01 lands in the default partition');
SELECT is(pg_temp.audit_at('2001-01-01 00:00:00+00'), 'audit_events_default',
	'audit_events: a row dated 2001-01-01 lands in the default partition');
SELECT is(pg_temp.activity_at('2150-06-01 00:00:00+00'), 'activity_events_default',
	'activity_events: a row far beyond the window lands in the default partition');
-- Bounds of a partition, as written in the catalog.
CREATE FUNCTION pg_temp.bound(p_part regclass, p_which text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT substring(pg_get_expr(relpartbound, oid) FROM p_which || $r$ \('([^']+)'\)$r$)::timestamptz
	FROM pg_class WHERE oid = p_part
$$;
CREATE TEMP TABLE this_month ON COMMIT DROP AS
SELECT c.oid::regclass AS part, pg_temp.bound(c.oid, 'FROM') AS lo, pg_temp.bound(c.oid, 'TO') AS hi
FROM pg_class c WHERE c.oid = to_regclass('public.activity_events_' || to_char(now(), 'YYYY_MM'));

SELECT ok((SELECT lo <= now() AND now() < hi FROM this_month),
	'activity_events: this month''s partition covers now()');
SELECT is((SELECT hi - lo BETWEEN interval '28 days' AND interval '31 days' FROM this_month), true,
	'activity_events: this month''s partition spans one month');
SELECT is(pg_temp.activity_at((SELECT hi FROM this_month)),
	'activity_events_' || to_char(now() + interval '1 month', 'YYYY_MM'),
	'activity_events: the first instant of next month lands in next month''s partition (upper bound exclusive)');
SELECT is(pg_temp.activity_at((SELECT hi - interval '1 microsecond' FROM this_month)),
	'activity_events_' || to_char(now(), 'YYYY_MM'),
	'activity_events: the last microsecond of this month lands in this month''s partition');
SELECT is(pg_temp.activity_at((SELECT lo FROM this_month)),
	'activity_events_' || to_char(now(), 'YYYY_MM'),
	'activity_events: the first instant of this month lands in this month''s partition (lower bound inclusive)');
SELECT is(pg_temp.activity_at((SELECT lo - interval '1 microsecond' FROM this_month)),
	'activity_events_' || to_char(now() - interval '1 month', 'YYYY_MM'),
	'activity_events: the instant before lands in last month''s partition');
SELECT results_eq(
	$$SELECT count(*), count(DISTINCT tableoid) FROM activity_events WHERE event_type IN ('routing.test', 'lesson.viewed')$$,
	$$VALUES (7::bigint, 4::bigint)$$,
	'activity_events: the parent sees all 7 rows, spread over 4 partitions');

-- activity_events row rules -------------------------------------------------------------

CREATE FUNCTION pg_temp.activity(p_type text, p_entity_type text DEFAULT NULL,
	p_data jsonb DEFAULT '{}', p_user uuid DEFAULT NULL) RETURNS void LANGUAGE sql AS $$
	INSERT INTO activity_events (org_id, user_id, event_type, entity_type, data)
	SELECT org_id, coalesce(p_user, id), p_type, p_entity_type, p_data FROM users WHERE username = 'sarah_network'
$$;

SELECT lives_ok($$SELECT pg_temp.activity('quiz.answered', 'question', '{"correct": true}')$$,
	'activity_events: a well-formed event is accepted');
SELECT throws_ok($$SELECT pg_temp.activity('Quiz.Answered')$$, '23514',
	'new row for relation "activity_events_' || to_char(now(), 'YYYY_MM') || '" violates check constraint "activity_events_event_type_check"',
	'activity_events: an event_type with uppercase is refused');
SELECT throws_ok($$SELECT pg_temp.activity('1st.event')$$, '23514', NULL,
	'activity_events: an event_type starting with a digit is refused');
SELECT throws_ok($$SELECT pg_temp.activity('x' || repeat('y', 64))$$, '23514', NULL,
	'activity_events: a 65-character event_type is refused');
SELECT throws_ok($$SELECT pg_temp.activity('quiz.answered', 'question.sub')$$, '23514', NULL,
	'activity_events: an entity_type with a dot is refused');
SELECT throws_ok($$SELECT pg_temp.activity('quiz.answered', NULL, '[1]')$$, '23514', NULL,
	'activity_events: data that is not an object is refused');
SELECT throws_ok($$SELECT pg_temp.activity('quiz.answered', NULL, '{}', '00000000-0000-0000-0000-000000000002')$$, '23503', NULL,
	'activity_events: an event for a user who does not exist is refused');
SELECT throws_ok($$DELETE FROM users WHERE username = 'sarah_network'$$, '23503', NULL,
	'users: a user with activity history cannot be hard-deleted');

-- audit_events row rules -----------------------------------------------------------------

SELECT lives_ok($$INSERT INTO audit_events (org_id, actor_user_id, action, entity_type, entity_id,
		old_values, new_values, ip, user_agent, request_id, success, error_message)
	SELECT org_id, id, 'user.role_changed', 'user', id, '{"role": "student"}', '{"role": "instructor"}',
		'192.0.2.10', 'Mozilla/5.0', 'req-1', true, NULL
	FROM users WHERE username = 'admin'$$,
	'audit_events: a full event is accepted');
SELECT lives_ok($$INSERT INTO audit_events (org_id, action, entity_type)
	SELECT id, 'system.partitions_made', 'table' FROM organizations WHERE is_default$$,
	'audit_events: an event without an actor (system) is accepted');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type)
	SELECT id, 'User.Login', 'user' FROM organizations WHERE is_default$$, '23514', NULL,
	'audit_events: an action with uppercase is refused');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type)
	SELECT id, 'user.login', NULL FROM organizations WHERE is_default$$, '23502', NULL,
	'audit_events: entity_type is required');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type, old_values)
	SELECT id, 'user.login', 'user', '[]' FROM organizations WHERE is_default$$, '23514', NULL,
	'audit_events: old_values that are not an object are refused');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type, user_agent)
	SELECT id, 'user.login', 'user', repeat('u', 513) FROM organizations WHERE is_default$$, '23514', NULL,
	'audit_events: a user_agent over 512 characters is refused');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type, request_id)
	SELECT id, 'user.login', 'user', repeat('r', 65) FROM organizations WHERE is_default$$, '23514', NULL,
	'audit_events: a request_id over 64 characters is refused');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type, ip)
	SELECT id, 'user.login', 'user', 'not-an-ip' FROM organizations WHERE is_default$$, '22P02', NULL,
	'audit_events: an ip that is not an address is refused');
SELECT throws_ok($$INSERT INTO audit_events (org_id, action, entity_type)
	VALUES ('00000000-0000-0000-0000-000000000003', 'user.login', 'user')$$, '23503', NULL,
	'audit_events: an event in an organization that does not exist is refused');

-- audit_events is append-only -----------------------------------------------------------

CREATE TEMP TABLE audit_count ON COMMIT DROP AS SELECT count(*) AS n FROM audit_events;

SELECT throws_ok($$UPDATE audit_events SET success = false WHERE action = 'user.login'$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: UPDATE is refused');
SELECT throws_ok($$DELETE FROM audit_events WHERE action = 'user.login'$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: DELETE is refused');
SELECT throws_ok($$DELETE FROM audit_events$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: DELETE of everything is refused');
SELECT throws_ok($$UPDATE audit_events SET occurred_at = '2001-06-01' WHERE action = 'user.login'$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: moving a row to another partition is refused');
SELECT throws_ok(format('UPDATE %I SET action = %L', 'audit_events_' || to_char(now(), 'YYYY_MM'), 'tampered'), '42501',
	'audit events cannot be changed or deleted', 'audit_events: UPDATE straight on the month partition is refused');
SELECT throws_ok($$DELETE FROM audit_events_default$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: DELETE straight on the default partition is refused');
SELECT is((SELECT count(*) FROM audit_events), (SELECT n FROM audit_count),
	'audit_events: every row is still there');
SELECT is((SELECT count(*) FROM audit_events WHERE action = 'tampered' OR NOT success), 0::bigint,
	'audit_events: no row was changed');

-- Partitions made later inherit the trigger.
SET LOCAL TimeZone = 'UTC';
SELECT is(ensure_monthly_partitions('audit_events', '2099-05-01', 1), 1, 'set-up: made audit_events_2099_05');
SELECT is(pg_temp.audit_at('2099-05-10 00:00:00+00'), 'audit_events_2099_05',
	'audit_events: a row lands in the new partition');
SELECT throws_ok($$UPDATE audit_events_2099_05 SET success = false$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: a partition made later refuses UPDATE too');
SELECT throws_ok($$DELETE FROM audit_events WHERE occurred_at >= '2099-05-01'$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: a partition made later refuses DELETE too');

-- Regression (fixed): TRUNCATE bypasses the row-level trigger and empties the whole
-- audit log (all partitions, current month included).  Retention is meant
-- to drop old month partitions; a statement-level BEFORE TRUNCATE trigger
-- raising the same error would close this.  Expected 42501; actual: the
-- TRUNCATE succeeds.
SELECT throws_ok($$TRUNCATE audit_events$$, '42501',
	'audit events cannot be changed or deleted', 'audit_events: TRUNCATE is refused');

SELECT * FROM finish();
ROLLBACK;
