-- 0017_organizations: sign-up settings with their rules, invitations, and
-- suspended or deleted organizations kept out by the functions that look
-- across organizations.

BEGIN;
SET client_min_messages = warning;
SELECT plan(17);

INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000017a0', 'orgs-a', 'Orgs A');

SELECT is((SELECT signup || '/' || default_timezone || '/' || default_language
		|| '/' || messaging_enabled || '/' || leaderboards_enabled
	FROM organizations WHERE slug = 'orgs-a'),
	'open/UTC/en/true/true', 'a new organization is open, in UTC and English, with everything on');
SELECT throws_ok($$UPDATE organizations SET signup = 'closed' WHERE slug = 'orgs-a'$$,
	'23514', NULL, 'sign-up is open, invite or domains');
SELECT throws_ok($$UPDATE organizations SET signup = 'domains' WHERE slug = 'orgs-a'$$,
	'23514', NULL, 'sign-up by domain needs a domain');
SELECT throws_ok($$UPDATE organizations SET signup_domains = '{Example.EDU}' WHERE slug = 'orgs-a'$$,
	'23514', NULL, 'domains are lowercase names');
SELECT throws_ok($$UPDATE organizations SET signup_domains = '{example}' WHERE slug = 'orgs-a'$$,
	'23514', NULL, 'with a top-level domain');
SELECT lives_ok($$UPDATE organizations SET signup = 'domains',
	signup_domains = '{example.edu,cs.example.edu}' WHERE slug = 'orgs-a'$$,
	'a list of domains is kept');
SELECT throws_ok($$UPDATE organizations SET default_timezone = 'Mars/Base' WHERE slug = 'orgs-a'$$,
	'23514', NULL, 'the default time zone is a real one');
SELECT throws_ok($$UPDATE organizations SET suspended_at = now() WHERE is_default$$,
	'23514', NULL, 'the default organization is never suspended');

-- An invitation, and what it allows.
INSERT INTO invitations (id, org_id, email, role, token_hash, expires_at)
VALUES ('00000000-0000-4000-8000-0000000017a1', '00000000-0000-4000-8000-0000000017a0',
	'Guest@Example.edu', 'instructor', repeat('1', 64), now() + interval '1 day');
SELECT throws_ok($$
	INSERT INTO invitations (org_id, email, role, token_hash, expires_at)
	VALUES ('00000000-0000-4000-8000-0000000017a0', 'guest@example.EDU', 'student',
		repeat('2', 64), now() + interval '1 day')$$,
	'23505', NULL, 'one open invitation per address');
SELECT throws_ok($$
	INSERT INTO invitations (org_id, email, role, token_hash, expires_at)
	VALUES ('00000000-0000-4000-8000-0000000017a0', 'other@example.edu', 'wizard',
		repeat('3', 64), now() + interval '1 day')$$,
	'23503', NULL, 'an invitation names a role of the organization');
SELECT is((SELECT org_slug || ' ' || role || ' ' || role_name FROM invitation_lookup(repeat('1', 64))),
	'orgs-a instructor Instructor', 'an open invitation is found by its token');

UPDATE invitations SET revoked_at = now() WHERE id = '00000000-0000-4000-8000-0000000017a1';
SELECT is_empty($$SELECT * FROM invitation_lookup(repeat('1', 64))$$,
	'a revoked one is not');
SELECT throws_ok($$UPDATE invitations SET accepted_at = now(),
	accepted_by = (SELECT id FROM users LIMIT 1)
	WHERE id = '00000000-0000-4000-8000-0000000017a1'$$,
	'23514', NULL, 'and cannot be accepted');

-- A suspended organization: no session, no sign-in, no registration.
INSERT INTO users (id, org_id, email, username, password_hash)
VALUES ('00000000-0000-4000-8000-0000000017a2', '00000000-0000-4000-8000-0000000017a0',
	'member@example.edu', 'orgs_member', '$2b$10$' || repeat('.', 53));
INSERT INTO sessions (user_id, org_id, token_hash, csrf_token, expires_at,
	absolute_expires_at)
VALUES ('00000000-0000-4000-8000-0000000017a2', '00000000-0000-4000-8000-0000000017a0',
	repeat('e', 64), repeat('c', 43), now() + interval '1 hour', now() + interval '1 day');
SELECT is((SELECT count(*) FROM auth_session(repeat('e', 64), 3600)), 1::bigint,
	'a member of an active organization has a session');
SELECT ok(platform_org_state('orgs-a', 'suspended') IS NOT NULL, 'the operator suspends it');
SELECT is((SELECT count(*) FROM auth_session(repeat('e', 64), 3600)), 0::bigint,
	'suspended: the session stops');
SELECT is((SELECT disabled::text || ' ' || (SELECT open::text FROM org_for_registration('orgs-a'))
	FROM login_lookup('orgs_member')), 'true false',
	'and neither sign-in nor registration is let through');

SELECT * FROM finish();
ROLLBACK;
