-- 0015_isolation: organizations kept apart by the database.
--
-- Every table that holds an organization's data gets row-level security
-- with one policy, org_isolation: a row is seen, and may be written, only
-- by a transaction whose setting ludus.org_id names its organization.
-- ludus sets it at the start of each transaction (SET LOCAL, from the
-- authenticated session) and serves as ludus_app, a role that owns no
-- table and cannot bypass the policies; migrations and the seed run as the
-- tables' owner.  A forgotten "AND org_id = $n" in a query then returns
-- nothing from another organization instead of its rows.
--
-- What must look across organizations is done by the few functions below,
-- SECURITY DEFINER (they run as the owner), each answering one narrow
-- question: the session behind a token, the account behind a sign-in, the
-- next mail or job to handle, the organizations to maintain.  Only
-- ludus_app may call them.
--
-- A table added later calls ludus_isolate('its_name') in its own
-- migration; tests/sql/0015_isolation.sql fails for a table with an org_id
-- column and no policy.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ludus_app') THEN
		RAISE EXCEPTION 'the role ludus_app does not exist'
			USING HINT = 'As a superuser: CREATE ROLE ludus_app LOGIN '
				'NOSUPERUSER NOBYPASSRLS; GRANT ludus_app TO ' ||
				current_user || ';  (scripts/pg.sh does this.)';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ludus_app'
		AND (rolsuper OR rolbypassrls)) THEN
		RAISE EXCEPTION 'the role ludus_app must not bypass row-level security'
			USING HINT = 'ALTER ROLE ludus_app NOSUPERUSER NOBYPASSRLS';
	END IF;
END
$$;

-- The organization the transaction works for, or null (then no
-- organization's rows are visible).  Inlined into each policy, and read
-- once per statement where it is an index condition.
CREATE FUNCTION ludus_org() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT nullif(current_setting('ludus.org_id', true), '')::uuid $$;

-- Row-level security on table t, with the one policy.  Partitions get it
-- too: the parent's policy does not apply to a partition read by name.
-- ludus_org() is taken from t's schema, whatever the search_path.
CREATE FUNCTION ludus_isolate(t regclass, col name DEFAULT 'org_id')
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	sch name := (SELECT relnamespace::regnamespace::name FROM pg_class
		WHERE oid = t);
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY org_isolation ON %s USING (%I = %I.ludus_org()) '
		'WITH CHECK (%I = %I.ludus_org())', t, col, sch, col, sch);
END
$$;

DO $$
DECLARE
	t regclass;
BEGIN
	FOR t IN
		SELECT c.oid::regclass FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id'
			AND NOT a.attisdropped
		WHERE c.relnamespace = 'public'::regnamespace
			AND c.relkind IN ('r', 'p')
		ORDER BY c.relname
	LOOP
		PERFORM ludus_isolate(t);
	END LOOP;
END
$$;
SELECT ludus_isolate('organizations', 'id');

-- New monthly partitions are isolated as they are made.
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
			IF EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = parent) THEN
				EXECUTE format('SELECT %I.ludus_isolate($1)', sch)
					USING format('%I.%I', sch, name)::regclass;
			END IF;
			made := made + 1;
		END IF;
		m := (m + interval '1 month')::date;
	END LOOP;
	RETURN made;
END
$$;

-- What ludus_app may do: read and write rows (never the schema, never
-- TRUNCATE), read the migrations' ledger, and the same on tables to come.
GRANT USAGE ON SCHEMA public TO ludus_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public
	TO ludus_app;
REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ludus_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ludus_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ludus_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
	GRANT USAGE, SELECT ON SEQUENCES TO ludus_app;

-- ---- Looking across organizations, one narrow question each -------------

-- The session behind a token hash and its user, if both are good; a
-- session last used over a minute ago is pushed forward (see the query
-- auth_session for why the push does not wait for the WAL flush).
CREATE FUNCTION auth_session(p_hash text, p_idle integer)
RETURNS TABLE (id uuid, user_id uuid, org_id uuid, csrf_token text,
	role text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	seen timestamptz;
	ends timestamptz;
BEGIN
	SELECT s.id, s.user_id, s.org_id, s.csrf_token, u.role, s.last_seen_at,
		s.absolute_expires_at
	INTO id, user_id, org_id, csrf_token, role, seen, ends
	FROM sessions s
	JOIN users u ON u.id = s.user_id AND u.org_id = s.org_id
	WHERE s.token_hash = p_hash
		AND s.expires_at > now() AND s.absolute_expires_at > now()
		AND u.deleted_at IS NULL AND u.is_active;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF seen < now() - interval '1 minute' THEN
		PERFORM set_config('synchronous_commit', 'off', true);
		UPDATE sessions t SET last_seen_at = now(),
			expires_at = least(now() + make_interval(secs => p_idle), ends)
		WHERE t.id = auth_session.id;
	END IF;
	RETURN NEXT;
END
$$;

-- The account a sign-in names (email or username), whatever its state.
CREATE FUNCTION login_lookup(p_login text)
RETURNS TABLE (id uuid, org_id uuid, password_hash text, role text,
	disabled boolean, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, org_id, password_hash, role,
		(NOT is_active OR deleted_at IS NOT NULL),
		coalesce(locked_until > now(), false)
	FROM users
	WHERE lower(email) = lower(p_login) OR lower(username) = lower(p_login)
$$;

-- The account an email belongs to, if it can receive mail.
CREATE FUNCTION user_by_email(p_email text)
RETURNS TABLE (id uuid, org_id uuid, username text, verified boolean,
	email text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, org_id, username, email_verified_at IS NOT NULL, email
	FROM users
	WHERE lower(email) = lower(p_email) AND deleted_at IS NULL AND is_active
$$;

-- Whether an email and a username are taken (both are unique everywhere).
CREATE FUNCTION user_taken(p_email text, p_username text,
	OUT email_taken boolean, OUT username_taken boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(p_email)),
		EXISTS (SELECT 1 FROM users WHERE lower(username) = lower(p_username))
$$;

-- The organization a registration goes to (a slug, or null for the
-- default one), and whether it takes registrations.
CREATE FUNCTION org_for_registration(p_slug text)
RETURNS TABLE (id uuid, open boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, coalesce(settings->>'registration', 'open') = 'open'
	FROM organizations
	WHERE deleted_at IS NULL
		AND (CASE WHEN p_slug IS NULL THEN is_default ELSE slug = p_slug END)
$$;

CREATE FUNCTION org_default() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT id FROM organizations WHERE is_default $$;

-- Spends a one-time token (verification, reset): its user, or no row.
CREATE FUNCTION token_use(p_hash text, p_purpose text)
RETURNS TABLE (id uuid, org_id uuid, username text, email text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	UPDATE user_tokens t SET used_at = now()
	FROM users u
	WHERE t.token_hash = p_hash AND t.purpose = p_purpose
		AND t.used_at IS NULL AND t.expires_at > now() AND u.id = t.user_id
		AND u.deleted_at IS NULL
	RETURNING u.id, u.org_id, u.username, u.email
$$;

CREATE FUNCTION token_valid(p_hash text, p_purpose text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT EXISTS (SELECT 1 FROM user_tokens WHERE token_hash = p_hash
		AND purpose = p_purpose AND used_at IS NULL AND expires_at > now())
$$;

-- The oldest pending mail of any organization, locked for one mailer.
CREATE FUNCTION mail_claim()
RETURNS TABLE (id uuid, org_id uuid, to_address text, subject text,
	body_text text, date text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	SELECT id, org_id, to_address, subject, body_text,
		to_char(created_at AT TIME ZONE 'UTC',
			'Dy, DD Mon YYYY HH24:MI:SS "+0000"')
	FROM mail_outbox
	WHERE status = 'pending'
	ORDER BY created_at
	LIMIT 1
	FOR UPDATE SKIP LOCKED
$$;

-- The oldest waiting job of any organization (or a running one whose
-- lease ran out: its server died), now running under a lease.
CREATE FUNCTION job_claim(p_lease integer)
RETURNS TABLE (id uuid, org_id uuid, user_id uuid, kind text,
	payload jsonb, input text, attempts integer, max_attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
	UPDATE jobs j SET status = 'running', attempts = j.attempts + 1,
		started_at = now(), lease_until = now() + make_interval(secs => p_lease)
	WHERE j.id = (
		SELECT id FROM jobs
		WHERE (status = 'queued' OR (status = 'running' AND lease_until < now()))
		ORDER BY created_at
		FOR UPDATE SKIP LOCKED
		LIMIT 1)
	RETURNING j.id, j.org_id, j.user_id, j.kind, j.payload, j.input,
		j.attempts, j.max_attempts
$$;

-- Every organization, for the maintenance that visits each in turn.
CREATE FUNCTION ludus_orgs() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT id FROM organizations ORDER BY created_at, id $$;

-- Only ludus_app may call the functions that look across organizations;
-- a migration that adds one calls this again.
CREATE FUNCTION ludus_grant_definers() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
		WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
	LOOP
		EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO ludus_app', f);
	END LOOP;
END
$$;
SELECT ludus_grant_definers();
