/*
 * api.h - the gamification routes.
 */
#ifndef LUDUS_GAMIFY_API_H
#define LUDUS_GAMIFY_API_H

#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

extern const struct route gamify_routes[];
extern const size_t gamify_routes_count;

void me_xp(struct req *r);
void me_achievements(struct req *r);
void me_avatars(struct req *r);
void me_avatar_put(struct req *r);
void me_notifications(struct req *r);
void me_notifications_read(struct req *r);
void leaderboard(struct req *r);
void me_dashboard(struct req *r);
void me_goals(struct req *r);
void me_goal_create(struct req *r);
void me_goal_patch(struct req *r);
void me_goal_delete(struct req *r);

#endif
