-- 0015_isolation, undone: no policies, no grants, 0001's partition maker.
DROP FUNCTION auth_session(text, integer), login_lookup(text),
	user_by_email(text), user_taken(text, text), org_for_registration(text),
	org_default(), token_use(text, text), token_valid(text, text),
	mail_claim(), job_claim(integer), ludus_orgs();

DO $$
DECLARE
	t regclass;
BEGIN
	FOR t IN SELECT DISTINCT polrelid::regclass FROM pg_policy
		WHERE polname = 'org_isolation'
	LOOP
		EXECUTE format('DROP POLICY org_isolation ON %s', t);
		EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', t);
	END LOOP;
END
$$;

ALTER DEFAULT PRIVILEGES IN SCHEMA public
	REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ludus_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
	REVOKE USAGE, SELECT ON SEQUENCES FROM ludus_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ludus_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ludus_app;
REVOKE USAGE ON SCHEMA public FROM ludus_app;

CREATE OR REPLACE FUNCTION ensure_monthly_partitions(parent regclass,
	start date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	m date := date_trunc('month', start)::date;
	made integer := 0;
	sch text;
	rel text;
	name text;
BEGIN
	SELECT n.nspname, c.relname INTO sch, rel
	FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = parent;
	FOR i IN 1..months LOOP
		name := rel || '_' || to_char(m, 'YYYY_MM');
		IF to_regclass(format('%I.%I', sch, name)) IS NULL THEN
			EXECUTE format(
				'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
				sch, name, sch, rel, m::timestamp AT TIME ZONE 'UTC',
				(m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
			made := made + 1;
		END IF;
		m := (m + interval '1 month')::date;
	END LOOP;
	RETURN made;
END
$$;

DROP FUNCTION ludus_isolate(regclass, name), ludus_org(),
	ludus_grant_definers();
