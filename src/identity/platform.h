/*
 * platform.h - the platform operator's organizations: `ludus org` and the
 * platform API's handlers (see platform.c).
 */
#ifndef LUDUS_IDENTITY_PLATFORM_H
#define LUDUS_IDENTITY_PLATFORM_H

#include "core/config.h"

struct req;

/* `ludus org list | create | suspend | resume | delete`. */
int org_main(const struct config *cfg, int argc, char **argv);

void platform_orgs_list(struct req *r);
void platform_org_create(struct req *r);
void platform_org_suspend(struct req *r);
void platform_org_resume(struct req *r);
void platform_org_delete(struct req *r);

#endif
