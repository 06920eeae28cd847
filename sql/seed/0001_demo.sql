-- The demo accounts of seed 000, in the default organization.  Idempotent:
-- accounts that exist are left as they are (their password included).
-- ludus seed sets ludus.demo_password_hash to the bcrypt hash of the demo
-- password for this transaction.

CREATE TEMPORARY TABLE demo_accounts (
	email text, username text, role text, first_name text, last_name text,
	timezone text
) ON COMMIT DROP;

INSERT INTO demo_accounts VALUES
	('admin@network.test', 'admin', 'admin', 'Alex', 'Morgan', 'UTC'),
	('instructor@network.test', 'instructor', 'instructor', 'Priya', 'Raman',
		'America/Chicago'),
	('student1@network.test', 'sarah_network', 'student', 'Sarah', 'Lindqvist',
		'Europe/Stockholm'),
	('student2@network.test', 'mike_netplus', 'student', 'Mike', 'Okafor',
		'America/New_York'),
	('student3@network.test', 'jane_tech', 'student', 'Jane', 'Tanaka',
		'Asia/Tokyo');

INSERT INTO users (org_id, email, username, password_hash, role,
	email_verified_at)
SELECT o.id, d.email, d.username, current_setting('ludus.demo_password_hash'),
	d.role, now()
FROM demo_accounts d
CROSS JOIN organizations o
WHERE o.is_default
ON CONFLICT DO NOTHING;

INSERT INTO user_profiles (user_id, org_id, first_name, last_name,
	display_name, timezone)
SELECT u.id, u.org_id, d.first_name, d.last_name,
	d.first_name || ' ' || d.last_name, d.timezone
FROM demo_accounts d
JOIN users u ON lower(u.email) = lower(d.email)
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO user_settings (user_id, org_id)
SELECT u.id, u.org_id
FROM demo_accounts d
JOIN users u ON lower(u.email) = lower(d.email)
ON CONFLICT (user_id) DO NOTHING;

-- Every account has a streak row, as registration makes one.
INSERT INTO learning_streaks (user_id, org_id)
SELECT u.id, u.org_id
FROM demo_accounts d
JOIN users u ON lower(u.email) = lower(d.email)
ON CONFLICT (user_id) DO NOTHING;
