-- Bench data set, step 1: 100,000 accounts with their settings, streak rows
-- and one signed-in session each.  Profiles come last (step 4), when their
-- cached XP and level are known.
--
-- Account n: users 1..90000 are in the default organization (n is the order
-- in which they signed up), 90001..100000
-- in the four smaller ones (2,500 each).  One in a thousand is an
-- instructor, one in ten thousand an admin.  Everyone's password is the
-- demo password (password123): its bcrypt hash is copied from the seeded
-- admin, so it has the cost `ludus seed` ran with.  Session n's token is
-- "bench-" and n in 37 digits (43 characters, the shape of a real token);
-- only its SHA-256 is stored, as ludus stores it.

CREATE TEMP TABLE g_users AS
SELECT n, gen_random_uuid() AS id,
	CASE WHEN n <= 90000 THEN (SELECT id FROM organizations WHERE is_default)
		ELSE (SELECT id FROM organizations WHERE slug = (ARRAY[
			'northwind-academy', 'contoso-it', 'fabrikam-learning',
			'tailspin-tech'])[1 + (n - 90001) / 2500]) END AS org_id,
	w.first[1 + (hashint4(n) & 1023) % 40] AS first_name,
	w.last[1 + (hashint4(n * 7 + 3) & 1023) % 40] AS last_name,
	w.tz[1 + (hashint4(n * 13 + 5) & 1023) % 16] AS timezone,
	CASE WHEN n % 10000 = 2 THEN 'admin' WHEN n % 1000 = 1 THEN 'instructor'
		ELSE 'student' END AS role,
	-- signed up at a steady pace, in the order of n: the default
	-- organization's over the last 400 days, the others' since they began
	CASE WHEN n <= 90000
		THEN now() - interval '400 days' + (n - 1) / 90000.0 * interval '398 days'
		ELSE now() - interval '1 day' - (ARRAY[299, 249, 199, 119])[1 + (n - 90001) / 2500]
			* interval '1 day' * (1 - ((n - 90001) % 2500) / 2500.0) END
		AS created_at,
	-- how often the learner gets an answer right
	0.45 + 0.5 * random() AS skill
FROM generate_series(1, 100000) n, words w;
CREATE UNIQUE INDEX ON g_users (n);
ANALYZE g_users;

INSERT INTO users (id, org_id, email, username, password_hash, role,
	email_verified_at, last_login_at, password_changed_at, created_at,
	updated_at)
SELECT g.id, g.org_id,
	lower(g.first_name) || '.' || lower(g.last_name) || g.n || '@example.com',
	lower(g.first_name) || '_' || lower(g.last_name) || g.n,
	(SELECT password_hash FROM users WHERE email = 'admin@network.test'),
	g.role,
	CASE WHEN g.n % 10 <> 0 THEN g.created_at + interval '7 minutes' END,
	now() - interval '30 days' * power(random(), 3),
	g.created_at, g.created_at, g.created_at
FROM g_users g;

INSERT INTO user_settings (user_id, org_id, daily_goal_minutes, theme,
	created_at, updated_at)
SELECT g.id, g.org_id, (ARRAY[15, 20, 30, 30, 30, 45, 60])[1 + g.n % 7],
	(ARRAY['system', 'light', 'dark'])[1 + g.n % 3], g.created_at,
	g.created_at
FROM g_users g;

INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, created_at,
	last_seen_at, expires_at, absolute_expires_at, ip, user_agent)
SELECT g.id, g.org_id,
	encode(sha256(convert_to('bench-' || lpad(g.n::text, 37, '0'), 'UTF8')),
		'hex'),
	md5(g.n::text || random()::text) || md5(random()::text),
	now() - interval '2 hours', now() - interval '10 minutes',
	now() + interval '14 days', now() + interval '28 days',
	('10.' || (g.n >> 16) || '.' || ((g.n >> 8) & 255) || '.' || (g.n & 255))::inet,
	'Mozilla/5.0 (X11; Linux x86_64) Ludus bench'
FROM g_users g;
