-- Single sign-on: identity providers, sign-ins under way, linked accounts
-- (0020).

-- name: sso_providers_public
-- org: any
-- $1 organization slug or null (the default one): the providers its
-- sign-in page offers.
SELECT id, name, org_slug FROM sso_providers_for($1)

-- name: sso_provider_org
-- org: any
-- $1 provider: its organization, if a sign-in may start with it.
SELECT sso_provider_org($1)

-- name: sso_provider_get
-- $1 provider: what a sign-in needs of it, with the age in seconds of its
-- discovery document and of its keys (null: never fetched), and the
-- time zone new members of its organization start with.
SELECT name, issuer, client_id, client_secret, allowed_domains::text,
	create_accounts, enabled, authorization_endpoint, token_endpoint,
	jwks_uri, end_session_endpoint, jwks,
	extract(epoch FROM now() - discovered_at)::bigint,
	extract(epoch FROM now() - jwks_fetched_at)::bigint,
	(SELECT default_timezone FROM organizations o WHERE o.id = org_id)
FROM identity_providers WHERE id = $1

-- name: sso_provider_discovered
-- $1 provider, $2 authorization endpoint, $3 token endpoint, $4 JWKS URI,
-- $5 end-session endpoint (or null)
UPDATE identity_providers SET authorization_endpoint = $2,
	token_endpoint = $3, jwks_uri = $4, end_session_endpoint = $5,
	discovered_at = now()
WHERE id = $1

-- name: sso_provider_keys
-- $1 provider, $2 the JWKS text
UPDATE identity_providers SET jwks = $2, jwks_fetched_at = now()
WHERE id = $1

-- name: sso_request_insert
-- $1 state hash, $2 org, $3 provider, $4 nonce, $5 PKCE verifier,
-- $6 where to go after, $7 seconds it may take
INSERT INTO sso_requests (state_hash, org_id, provider_id, nonce,
	code_verifier, next, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))

-- name: sso_request_take
-- org: any
-- $1 state hash: spends the sign-in under way; no row when there is none
-- (unknown, expired, or spent already).
SELECT org_id, provider_id, nonce, code_verifier, next
FROM sso_request_take($1)

-- name: sso_identity_find
-- $1 provider, $2 subject: the account the provider's subject signs in
-- to, and whether it may sign in now.
SELECT i.id, u.id, u.is_active AND u.deleted_at IS NULL,
	coalesce(u.locked_until > now(), false)
FROM user_identities i JOIN users u ON u.id = i.user_id
WHERE i.provider_id = $1 AND i.subject = $2

-- name: sso_identity_touch
-- $1 identity, $2 the email the provider gave
UPDATE user_identities SET last_login_at = now(), email = $2 WHERE id = $1

-- name: sso_identity_insert
-- $1 org, $2 user, $3 provider, $4 subject, $5 email
INSERT INTO user_identities (org_id, user_id, provider_id, subject, email,
	last_login_at)
VALUES ($1, $2, $3, $4, $5, now())
RETURNING id

-- name: sso_user_by_email
-- $1 email: the account of the organization with it, and whether it may
-- sign in now.
SELECT id, is_active AND deleted_at IS NULL,
	coalesce(locked_until > now(), false)
FROM users WHERE lower(email) = lower($1)

-- name: sso_link_insert
-- $1 token hash, $2 org, $3 user, $4 provider, $5 subject, $6 email,
-- $7 where to go after, $8 seconds it stays open
INSERT INTO sso_links (token_hash, org_id, user_id, provider_id, subject,
	email, next, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))

-- name: sso_link_find
-- org: any
-- $1 token hash, $2 whether to spend it: an offer to link an account.
SELECT org_id, user_id, provider_id, subject, email, next, provider_name,
	username
FROM sso_link_find($1, $2)

-- name: session_provider
-- $1 session, $2 provider: the session was made by this provider.
UPDATE sessions SET provider_id = $2 WHERE id = $1

-- name: session_sso_logout
-- $1 session: the provider that made it, for its sign-out.
SELECT p.end_session_endpoint, p.client_id
FROM sessions s JOIN identity_providers p ON p.id = s.provider_id
WHERE s.id = $1 AND p.end_session_endpoint IS NOT NULL

-- name: idp_list
-- The organization's identity providers.
SELECT coalesce(json_agg(identity_provider_json(p) ORDER BY p.name, p.id),
	'[]')
FROM identity_providers p

-- name: idp_get
-- $1 provider
SELECT identity_provider_json(p) FROM identity_providers p WHERE id = $1

-- name: idp_insert
-- $1 org, $2 name, $3 issuer, $4 client id, $5 client secret,
-- $6 allowed domains (array literal), $7 create accounts, $8 enabled
INSERT INTO identity_providers (org_id, name, issuer, client_id,
	client_secret, allowed_domains, create_accounts, enabled)
VALUES ($1, $2, $3, $4, $5, coalesce($6::text[], '{}'),
	coalesce($7::boolean, true), coalesce($8::boolean, true))
RETURNING id

-- name: idp_update
-- $1 provider, $2 name, $3 client id, $4 client secret, $5 allowed
-- domains, $6 create accounts, $7 enabled (each null: unchanged)
UPDATE identity_providers SET name = coalesce($2, name),
	client_id = coalesce($3, client_id),
	client_secret = coalesce($4, client_secret),
	allowed_domains = coalesce($5::text[], allowed_domains),
	create_accounts = coalesce($6::boolean, create_accounts),
	enabled = coalesce($7::boolean, enabled)
WHERE id = $1
RETURNING identity_provider_json(identity_providers)

-- name: idp_delete
-- $1 provider: it goes, with the links to it; its sessions stay.
DELETE FROM identity_providers WHERE id = $1 RETURNING name

-- name: me_identities
-- $1 user: the providers I sign in with.
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
	'id', i.id, 'provider', json_build_object('id', p.id, 'name', p.name),
	'email', i.email, 'created_at', i.created_at,
	'last_login_at', i.last_login_at) ORDER BY i.created_at), '[]'))
FROM user_identities i JOIN identity_providers p ON p.id = i.provider_id
WHERE i.user_id = $1

-- name: me_identity_delete
-- $1 identity, $2 user
DELETE FROM user_identities WHERE id = $1 AND user_id = $2
RETURNING provider_id

-- name: sso_cleanup
-- Sign-ins and link offers that can no longer be used.
WITH r AS (
	DELETE FROM sso_requests WHERE expires_at < now() - interval '1 day'
	RETURNING 1
), l AS (
	DELETE FROM sso_links WHERE expires_at < now() - interval '1 day'
	RETURNING 1
)
SELECT (SELECT count(*) FROM r) + (SELECT count(*) FROM l)
