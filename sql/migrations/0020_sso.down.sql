-- 0020_sso, undone.
DROP FUNCTION sso_providers_for(text), sso_provider_org(uuid),
	sso_request_take(text), sso_link_find(text, boolean),
	identity_provider_json(identity_providers);
ALTER TABLE sessions DROP COLUMN provider_id;
DROP TABLE sso_links, sso_requests, user_identities, identity_providers;
CREATE OR REPLACE FUNCTION org_json(o organizations) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', o.id, 'slug', o.slug, 'name', o.name,
		'leaderboard_include_staff',
		coalesce((o.settings->>'leaderboard_include_staff')::boolean, false),
		'signup', o.signup, 'signup_domains', o.signup_domains,
		'default_timezone', o.default_timezone,
		'default_language', o.default_language,
		'messaging_enabled', o.messaging_enabled,
		'leaderboards_enabled', o.leaderboards_enabled,
		'updated_at', o.updated_at)
$$;
ALTER TABLE organizations DROP COLUMN default_role;
