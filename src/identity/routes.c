/*
 * routes.c - the identity route table.
 */
#include "identity/api.h"

#define J ROUTE_JSON_BODY
#define PUB ROUTE_PUBLIC
#define ADM ROUTE_ADMIN

const struct route identity_routes[] = {
	{"POST", "/api/v1/auth/register", auth_register, PUB | J, "auth",
	    "Create an account (answers 202 whether or not the email is taken)"},
	{"POST", "/api/v1/auth/login", auth_login, PUB | J, "auth",
	    "Sign in with email or username: a session token and cookies"},
	{"POST", "/api/v1/auth/logout", auth_logout, 0, "auth",
	    "End this session"},
	{"POST", "/api/v1/auth/logout-all", auth_logout_all, 0, "auth",
	    "End every session of the account"},
	{"POST", "/api/v1/auth/verify-email", auth_verify_email, PUB | J,
	    "auth", "Confirm the email address with the token of the link"},
	{"POST", "/api/v1/auth/verify-email/resend", auth_verify_email_resend,
	    0, "auth", "Send a new confirmation link"},
	{"POST", "/api/v1/auth/password-reset", auth_password_reset, PUB | J,
	    "auth", "Mail a password reset link (answers 202 in any case)"},
	{"POST", "/api/v1/auth/password-reset/confirm",
	    auth_password_reset_confirm, PUB | J, "auth",
	    "Set a new password with the token of the link"},

	{"GET", "/api/v1/me", me_get, 0, "me", "My account and profile"},
	{"PATCH", "/api/v1/me", me_patch, J, "me", "Change my profile"},
	{"DELETE", "/api/v1/me", me_delete, J, "me",
	    "Delete my account (with my password); anonymized later"},
	{"GET", "/api/v1/me/settings", me_settings_get, 0, "me",
	    "My settings"},
	{"PATCH", "/api/v1/me/settings", me_settings_patch, J, "me",
	    "Change my settings"},
	{"GET", "/api/v1/me/sessions", me_sessions, 0, "me",
	    "My sessions, the current one marked"},
	{"DELETE", "/api/v1/me/sessions/{id}", me_session_delete, 0, "me",
	    "End one of my sessions"},
	{"POST", "/api/v1/me/password", me_password, J, "me",
	    "Change my password; my other sessions end"},
	{"GET", "/api/v1/me/export", me_export, 0, "me",
	    "Everything Ludus keeps about me, as JSON"},

	{"GET", "/api/v1/users/lookup", users_lookup, ROUTE_INSTRUCTOR, "users",
	    "Find active people of my organization by name: ?q= (2 to 100 "
	    "characters), staff=true (instructors and admins), limit (up to "
	    "25); emails for admins only"},

	{"GET", "/api/v1/admin/users", admin_users, ADM, "admin",
	    "Users of my organization: ?q=, role, status, after, limit"},
	{"GET", "/api/v1/admin/users/{id}", admin_user_get, ADM, "admin",
	    "One user of my organization"},
	{"PATCH", "/api/v1/admin/users/{id}", admin_user_patch, ADM | J,
	    "admin", "Change a user's role; their sessions end"},
	{"POST", "/api/v1/admin/users/{id}/lock", admin_user_lock, ADM,
	    "admin", "Lock a user out; their sessions end"},
	{"POST", "/api/v1/admin/users/{id}/unlock", admin_user_unlock, ADM,
	    "admin", "Let a locked user in again"},
	{"DELETE", "/api/v1/admin/users/{id}", admin_user_delete, ADM,
	    "admin", "Delete a user (soft; anonymized later)"},
	{"POST", "/api/v1/admin/users/{id}/restore", admin_user_restore, ADM,
	    "admin", "Restore a deleted user not yet anonymized"},
	{"GET", "/api/v1/admin/audit", admin_audit, ADM, "admin",
	    "The audit trail: ?action=, actor, entity_type, entity_id, since, "
	    "until, success, after, limit"},
	{"GET", "/api/v1/admin/organization", admin_org_get, ADM, "admin",
	    "My organization: its name and settings"},
	{"PATCH", "/api/v1/admin/organization", admin_org_patch, ADM | J,
	    "admin", "Change my organization's name or settings "
	    "(leaderboard_include_staff)"},
};
const size_t identity_routes_count =
    sizeof(identity_routes) / sizeof(identity_routes[0]);
