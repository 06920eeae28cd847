-- 0020_sso: identity providers, sign-ins under way spent once, offers to
-- link an account, and the organization's default role.

BEGIN;
SET client_min_messages = warning;
SELECT plan(20);

INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000020a0', 'sso-a', 'SSO A');
INSERT INTO users (id, org_id, email, username, password_hash)
VALUES ('00000000-0000-4000-8000-0000000020a1', '00000000-0000-4000-8000-0000000020a0',
	'member@sso-a.example', 'sso_member', '$2b$10$' || repeat('.', 53)),
	('00000000-0000-4000-8000-0000000020a2', '00000000-0000-4000-8000-0000000020a0',
	'other@sso-a.example', 'sso_other', '$2b$10$' || repeat('.', 53));

SELECT is((SELECT default_role FROM organizations WHERE slug = 'sso-a'), 'student',
	'new members of an organization are students unless it says otherwise');
SELECT throws_ok($$UPDATE organizations SET default_role = 'wizard' WHERE slug = 'sso-a';
	SET CONSTRAINTS organizations_default_role_fkey IMMEDIATE$$,
	'23503', NULL, 'the default role is one of the organization''s roles');

SELECT throws_ok($$INSERT INTO identity_providers (org_id, name, issuer, client_id, client_secret)
	VALUES ('00000000-0000-4000-8000-0000000020a0', 'Bad', 'ftp://idp.example', 'c', 's')$$,
	'23514', NULL, 'an issuer is an http(s) URL');
SELECT throws_ok($$INSERT INTO identity_providers (org_id, name, issuer, client_id, client_secret)
	VALUES ('00000000-0000-4000-8000-0000000020a0', 'Bad', 'https://idp.example/?x=1', 'c', 's')$$,
	'23514', NULL, 'without a query');
SELECT throws_ok($$INSERT INTO identity_providers (org_id, name, issuer, client_id, client_secret,
		allowed_domains)
	VALUES ('00000000-0000-4000-8000-0000000020a0', 'Bad', 'https://idp.example', 'c', 's',
		'{Example.COM}')$$,
	'23514', NULL, 'allowed domains are lowercase names');

INSERT INTO identity_providers (id, org_id, name, issuer, client_id, client_secret)
VALUES ('00000000-0000-4000-8000-0000000020b0', '00000000-0000-4000-8000-0000000020a0',
	'Campus', 'https://idp.example', 'ludus', 's3cret'),
	('00000000-0000-4000-8000-0000000020b1', '00000000-0000-4000-8000-0000000020a0',
	'Old', 'https://old.example', 'ludus', 's3cret');
UPDATE identity_providers SET enabled = false
WHERE id = '00000000-0000-4000-8000-0000000020b1';

SELECT throws_ok($$INSERT INTO identity_providers (org_id, name, issuer, client_id, client_secret)
	VALUES ('00000000-0000-4000-8000-0000000020a0', 'Twice', 'https://idp.example', 'ludus', 'x')$$,
	'23505', NULL, 'one provider per issuer and client');
SELECT results_eq($$SELECT name FROM sso_providers_for('sso-a')$$, ARRAY['Campus'],
	'the sign-in page offers the providers switched on');
SELECT is(sso_provider_org('00000000-0000-4000-8000-0000000020b1'), NULL,
	'a provider switched off starts no sign-in');
SELECT is((identity_provider_json(p)::jsonb) ? 'client_secret', false,
	'the secret never leaves in the JSON')
FROM identity_providers p WHERE id = '00000000-0000-4000-8000-0000000020b0';

-- A sign-in under way is spent once.
INSERT INTO sso_requests (state_hash, org_id, provider_id, nonce, code_verifier, next,
	expires_at)
VALUES (repeat('a', 64), '00000000-0000-4000-8000-0000000020a0',
	'00000000-0000-4000-8000-0000000020b0', repeat('n', 43), repeat('v', 43), '/courses',
	now() + interval '10 minutes'),
	(repeat('b', 64), '00000000-0000-4000-8000-0000000020a0',
	'00000000-0000-4000-8000-0000000020b0', repeat('n', 43), repeat('v', 43), '/',
	now() - interval '1 second');
SELECT is((SELECT next FROM sso_request_take(repeat('a', 64))), '/courses',
	'the callback takes its sign-in');
SELECT is_empty($$SELECT * FROM sso_request_take(repeat('a', 64))$$,
	'and a replayed state finds nothing');
SELECT is_empty($$SELECT * FROM sso_request_take(repeat('b', 64))$$,
	'nor does an expired one');
SELECT throws_ok($$INSERT INTO sso_requests (state_hash, org_id, provider_id, nonce,
		code_verifier, next, expires_at)
	VALUES (repeat('c', 64), '00000000-0000-4000-8000-0000000020a0',
		'00000000-0000-4000-8000-0000000020b0', repeat('n', 43), repeat('v', 43),
		'//evil.example', now())$$,
	'23514', NULL, 'where a sign-in lands is a path of this site, never another host');

-- A person at a provider is one account, and an account one person there.
INSERT INTO user_identities (org_id, user_id, provider_id, subject)
VALUES ('00000000-0000-4000-8000-0000000020a0', '00000000-0000-4000-8000-0000000020a1',
	'00000000-0000-4000-8000-0000000020b0', 'alice');
SELECT throws_ok($$INSERT INTO user_identities (org_id, user_id, provider_id, subject)
	VALUES ('00000000-0000-4000-8000-0000000020a0', '00000000-0000-4000-8000-0000000020a2',
		'00000000-0000-4000-8000-0000000020b0', 'alice')$$,
	'23505', NULL, 'a subject links one account');
SELECT throws_ok($$INSERT INTO user_identities (org_id, user_id, provider_id, subject)
	VALUES ('00000000-0000-4000-8000-0000000020a0', '00000000-0000-4000-8000-0000000020a1',
		'00000000-0000-4000-8000-0000000020b0', 'alice-2')$$,
	'23505', NULL, 'an account links one subject per provider');

-- An offer to link is looked at, then spent once.
INSERT INTO sso_links (token_hash, org_id, user_id, provider_id, subject, email, expires_at)
VALUES (repeat('d', 64), '00000000-0000-4000-8000-0000000020a0',
	'00000000-0000-4000-8000-0000000020a2', '00000000-0000-4000-8000-0000000020b0', 'bob',
	'other@sso-a.example', now() + interval '15 minutes');
SELECT is((SELECT username FROM sso_link_find(repeat('d', 64), false)), 'sso_other',
	'an offer shows its account');
SELECT is((SELECT subject FROM sso_link_find(repeat('d', 64), true)), 'bob',
	'the confirmation spends it');
SELECT is_empty($$SELECT * FROM sso_link_find(repeat('d', 64), true)$$,
	'once');

-- A session made by a provider outlives the provider.
INSERT INTO sessions (id, user_id, org_id, token_hash, csrf_token, expires_at,
	absolute_expires_at, provider_id)
VALUES ('00000000-0000-4000-8000-0000000020c0', '00000000-0000-4000-8000-0000000020a1',
	'00000000-0000-4000-8000-0000000020a0', repeat('e', 64), repeat('f', 43),
	now() + interval '1 hour', now() + interval '1 day',
	'00000000-0000-4000-8000-0000000020b0');
DELETE FROM identity_providers WHERE id = '00000000-0000-4000-8000-0000000020b0';
SELECT is((SELECT provider_id FROM sessions WHERE id = '00000000-0000-4000-8000-0000000020c0'),
	NULL, 'removing a provider keeps its sessions');
SELECT is((SELECT count(*)::integer FROM user_identities
	WHERE user_id = '00000000-0000-4000-8000-0000000020a1'), 0,
	'and drops the links to it');

SELECT * FROM finish();
ROLLBACK;
