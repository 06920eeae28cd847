/*
 * routes.c - the identity route table.
 */
#include "identity/api.h"
#include "identity/platform.h"

#define J ROUTE_JSON_BODY
#define PUB ROUTE_PUBLIC

const struct route identity_routes[] = {
	{"POST", "/api/v1/auth/register", auth_register, PUB | J, 0, "auth",
	    "Create an account (answers 202 whether or not the email is "
	    "taken)"},
	{"POST", "/api/v1/auth/login", auth_login, PUB | J, 0, "auth", "Sign "
	    "in with email or username: a session token and cookies"},
	{"POST", "/api/v1/auth/logout", auth_logout, 0, PERM_ACCOUNT, "auth",
	    "End this session"},
	{"POST", "/api/v1/auth/logout-all", auth_logout_all, 0, PERM_ACCOUNT,
	    "auth", "End every session of the account"},
	{"POST", "/api/v1/auth/verify-email", auth_verify_email, PUB | J, 0,
	    "auth", "Confirm the email address with the token of the link"},
	{"POST", "/api/v1/auth/verify-email/resend", auth_verify_email_resend,
	    0, PERM_ACCOUNT, "auth", "Send a new confirmation link"},
	{"POST", "/api/v1/auth/password-reset", auth_password_reset, PUB | J, 0,
	    "auth", "Mail a password reset link (answers 202 in any case)"},
	{"POST", "/api/v1/auth/password-reset/confirm",
	    auth_password_reset_confirm, PUB | J, 0, "auth", "Set a new "
	    "password with the token of the link"},

	{"GET", "/api/v1/me", me_get, 0, PERM_ACCOUNT, "me", "My account and "
	    "profile"},
	{"PATCH", "/api/v1/me", me_patch, J, PERM_ACCOUNT, "me", "Change my "
	    "profile"},
	{"DELETE", "/api/v1/me", me_delete, J, PERM_ACCOUNT, "me", "Delete my "
	    "account (with my password); anonymized later"},
	{"GET", "/api/v1/me/settings", me_settings_get, 0, PERM_ACCOUNT, "me",
	    "My settings"},
	{"PATCH", "/api/v1/me/settings", me_settings_patch, J, PERM_ACCOUNT,
	    "me", "Change my settings"},
	{"GET", "/api/v1/me/sessions", me_sessions, 0, PERM_ACCOUNT, "me", "My "
	    "sessions, the current one marked"},
	{"DELETE", "/api/v1/me/sessions/{id}", me_session_delete, 0,
	    PERM_ACCOUNT, "me", "End one of my sessions"},
	{"POST", "/api/v1/me/password", me_password, J, PERM_ACCOUNT, "me",
	    "Change my password; my other sessions end"},
	{"GET", "/api/v1/me/export", me_export, 0, PERM_ACCOUNT, "me",
	    "Everything Ludus keeps about me, as JSON"},

	{"GET", "/api/v1/me/tokens", tokens_list, 0, PERM_ACCOUNT, "me",
	    "My personal access tokens with their last use (never the "
	    "tokens themselves)"},
	{"POST", "/api/v1/me/tokens", token_create, J, PERM_TOKEN_CREATE,
	    "me", "Make a personal access token: name, permissions (some of "
	    "mine), days (1 to 365, default 30); shown once"},
	{"POST", "/api/v1/me/tokens/{id}/revoke", token_revoke, 0,
	    PERM_ACCOUNT, "me", "Revoke one of my tokens"},
	{"GET", "/api/v1/users/lookup", users_lookup, 0, PERM_USER_LOOKUP,
	    "users", "Find active people of my organization by name: ?q= (2 to "
	    "100 characters), staff=true (instructors and admins), limit (up "
	    "to 25); emails for admins only"},

	{"GET", "/api/v1/admin/users", admin_users, 0, PERM_USER_MANAGE,
	    "admin", "Users of my organization: ?q=, role, status, after, "
	    "limit"},
	{"GET", "/api/v1/admin/users/{id}", admin_user_get, 0, PERM_USER_MANAGE,
	    "admin", "One user of my organization"},
	{"PATCH", "/api/v1/admin/users/{id}", admin_user_patch, J,
	    PERM_USER_MANAGE, "admin", "Change a user's role; their sessions "
	    "end"},
	{"POST", "/api/v1/admin/users/{id}/lock", admin_user_lock, 0,
	    PERM_USER_MANAGE, "admin", "Lock a user out; their sessions end"},
	{"POST", "/api/v1/admin/users/{id}/unlock", admin_user_unlock, 0,
	    PERM_USER_MANAGE, "admin", "Let a locked user in again"},
	{"DELETE", "/api/v1/admin/users/{id}", admin_user_delete, 0,
	    PERM_USER_MANAGE, "admin", "Delete a user (soft; anonymized "
	    "later)"},
	{"POST", "/api/v1/admin/users/{id}/restore", admin_user_restore, 0,
	    PERM_USER_MANAGE, "admin", "Restore a deleted user not yet "
	    "anonymized"},
	{"GET", "/api/v1/admin/audit", admin_audit, 0, PERM_AUDIT_READ, "admin",
	    "The audit trail: ?action=, actor, entity_type, entity_id, since, "
	    "until, success, after, limit"},
	{"GET", "/api/v1/permissions", permissions_list, 0, PERM_ACCOUNT,
	    "roles", "Every permission a role can hold"},
	{"GET", "/api/v1/roles", roles_list, 0, PERM_ACCOUNT, "roles",
	    "My organization's roles with their permissions and members"},
	{"POST", "/api/v1/admin/roles", role_create, J, PERM_ROLE_MANAGE,
	    "roles", "Define a role: key, name, description, permissions "
	    "(none beyond mine)"},
	{"PATCH", "/api/v1/admin/roles/{key}", role_patch, J,
	    PERM_ROLE_MANAGE, "roles", "Change a role of my own organization "
	    "(not a built-in one): name, description, permissions"},
	{"DELETE", "/api/v1/admin/roles/{key}", role_delete, 0,
	    PERM_ROLE_MANAGE, "roles", "Delete a role nobody has"},
	{"POST", "/api/v1/admin/invitations", invitation_create, J,
	    PERM_ORG_MANAGE, "organization", "Invite someone by email: email, "
	    "role (none beyond mine; default student), days (1 to 30, default "
	    "7)"},
	{"GET", "/api/v1/admin/invitations", invitations_list, 0,
	    PERM_ORG_MANAGE, "organization", "My organization's invitations, "
	    "newest first, with their status: ?limit="},
	{"POST", "/api/v1/admin/invitations/{id}/revoke", invitation_revoke,
	    0, PERM_ORG_MANAGE, "organization", "Revoke an open invitation"},
	{"POST", "/api/v1/auth/invitation", invitation_show, PUB | J, 0,
	    "auth", "What an invitation invites to, by its token (for the "
	    "sign-up page; in a body, so that it stays out of logs)"},
	{"GET", "/api/v1/platform/organizations", platform_orgs_list,
	    ROUTE_OPERATOR, 0, "platform", "Every organization with its state "
	    "and members (the operator's token)"},
	{"POST", "/api/v1/platform/organizations", platform_org_create,
	    ROUTE_OPERATOR | J, 0, "platform", "Create an organization: slug, "
	    "name, admin_email (invited as its admin)"},
	{"POST", "/api/v1/platform/organizations/{slug}/suspend",
	    platform_org_suspend, ROUTE_OPERATOR, 0, "platform", "Suspend an "
	    "organization: its members are signed out and kept out"},
	{"POST", "/api/v1/platform/organizations/{slug}/resume",
	    platform_org_resume, ROUTE_OPERATOR, 0, "platform", "Let a "
	    "suspended organization in again"},
	{"DELETE", "/api/v1/platform/organizations/{slug}",
	    platform_org_delete, ROUTE_OPERATOR, 0, "platform", "Delete an "
	    "organization (soft, for good)"},
	{"GET", "/api/v1/auth/sso/providers", sso_providers, PUB, 0, "sso",
	    "The identity providers a sign-in page offers: ?organization= "
	    "(a slug; default: the default organization)"},
	{"GET", "/api/v1/auth/sso/{id}/start", sso_start, PUB, 0, "sso",
	    "Sign in with an identity provider: redirects there (OpenID "
	    "Connect, code flow with PKCE); ?next= a path to land on"},
	{"GET", "/api/v1/auth/sso/callback", sso_callback, PUB, 0, "sso",
	    "Where the provider sends the browser back: signs in and "
	    "redirects, or to /login?sso_error=..."},
	{"POST", "/api/v1/auth/sso/link/show", sso_link_show, PUB | J, 0,
	    "sso", "What an offer to link an account is about, by its token"},
	{"POST", "/api/v1/auth/sso/link", sso_link, PUB | J, 0, "sso",
	    "Link my account to the provider with my password (token, "
	    "password) and sign in"},
	{"GET", "/api/v1/me/identities", me_identities, 0, PERM_ACCOUNT, "me",
	    "The identity providers I sign in with"},
	{"DELETE", "/api/v1/me/identities/{id}", me_identity_delete, 0,
	    PERM_ACCOUNT, "me", "Unlink one of them"},
	{"GET", "/api/v1/admin/identity-providers", idp_list, 0,
	    PERM_ORG_MANAGE, "sso", "My organization's identity providers "
	    "(never their secrets) and the redirect URI to register"},
	{"POST", "/api/v1/admin/identity-providers", idp_create, J,
	    PERM_ORG_MANAGE, "sso", "Add an identity provider: name, issuer "
	    "(its discovery document is fetched now), client_id, "
	    "client_secret, allowed_domains, create_accounts, enabled"},
	{"PATCH", "/api/v1/admin/identity-providers/{id}", idp_patch, J,
	    PERM_ORG_MANAGE, "sso", "Change a provider: name, client_id, "
	    "client_secret, allowed_domains, create_accounts, enabled"},
	{"DELETE", "/api/v1/admin/identity-providers/{id}", idp_delete, 0,
	    PERM_ORG_MANAGE, "sso", "Remove a provider and the links to it"},
	{"GET", "/api/v1/admin/organization", admin_org_get, 0, PERM_ORG_MANAGE,
	    "admin", "My organization: its name and settings"},
	{"PATCH", "/api/v1/admin/organization", admin_org_patch, J,
	    PERM_ORG_MANAGE, "admin", "Change my organization's name or "
	    "settings (signup, signup_domains, default_timezone, "
	    "default_language, default_role, messaging_enabled, "
	    "leaderboards_enabled, leaderboard_include_staff)"},
};
const size_t identity_routes_count =
    sizeof(identity_routes) / sizeof(identity_routes[0]);
