/*
 * api.h - the identity routes: under /api/v1/auth, /api/v1/me and
 * /api/v1/admin (users and the audit trail).
 */
#ifndef LUDUS_IDENTITY_API_H
#define LUDUS_IDENTITY_API_H

#include <stddef.h>

#include "http/router.h"

#include "core/config.h"

extern const struct route identity_routes[];
extern const size_t identity_routes_count;

/* Prepares what the handlers need (a dummy hash); 0 or -1.  Call once. */
int identity_init(const struct config *cfg);

/* Handlers, by file. */
void auth_register(struct req *r);
void auth_login(struct req *r);
void auth_logout(struct req *r);
void auth_logout_all(struct req *r);
void auth_verify_email(struct req *r);
void auth_verify_email_resend(struct req *r);
void auth_password_reset(struct req *r);
void auth_password_reset_confirm(struct req *r);

void me_get(struct req *r);
void me_patch(struct req *r);
void me_delete(struct req *r);
void me_settings_get(struct req *r);
void me_settings_patch(struct req *r);
void me_sessions(struct req *r);
void me_session_delete(struct req *r);
void me_password(struct req *r);
void me_export(struct req *r);

void admin_users(struct req *r);
void admin_user_get(struct req *r);
void admin_user_patch(struct req *r);
void admin_user_lock(struct req *r);
void admin_user_unlock(struct req *r);
void admin_user_delete(struct req *r);
void admin_user_restore(struct req *r);
void admin_audit(struct req *r);
void admin_org_get(struct req *r);
void admin_org_patch(struct req *r);

void users_lookup(struct req *r);

void permissions_list(struct req *r);
void roles_list(struct req *r);
void role_create(struct req *r);
void role_patch(struct req *r);
void role_delete(struct req *r);

void invitation_create(struct req *r);
void invitations_list(struct req *r);
void invitation_revoke(struct req *r);
void invitation_show(struct req *r);

void token_create(struct req *r);
void tokens_list(struct req *r);
void token_revoke(struct req *r);
void sso_providers(struct req *r);
void sso_start(struct req *r);
void sso_callback(struct req *r);
void sso_link_show(struct req *r);
void sso_link(struct req *r);
void me_identities(struct req *r);
void me_identity_delete(struct req *r);
void idp_list(struct req *r);
void idp_create(struct req *r);
void idp_patch(struct req *r);
void idp_delete(struct req *r);

#endif
