/*
 * routes.c - the gamification route table.
 */
#include "gamify/api.h"

#define J ROUTE_JSON_BODY

const struct route gamify_routes[] = {
	{"GET", "/api/v1/me/xp", me_xp, 0, PERM_LEARN, "gamification", "My XP, "
	    "level and ledger, newest first: ?after=, limit"},
	{"GET", "/api/v1/me/achievements", me_achievements, 0, PERM_LEARN,
	    "gamification", "Every achievement with my progress (hidden ones "
	    "until earned)"},
	{"GET", "/api/v1/me/avatars", me_avatars, 0, PERM_LEARN, "gamification",
	    "Every avatar: which I have, which I wear"},
	{"PUT", "/api/v1/me/avatar", me_avatar_put, J, PERM_LEARN,
	    "gamification", "Wear an avatar I have: {\"avatar_id\"}"},
	{"GET", "/api/v1/me/notifications", me_notifications, 0, PERM_LEARN,
	    "gamification", "My notifications and the unread count: ?unread=, "
	    "after, limit"},
	{"POST", "/api/v1/me/notifications/read", me_notifications_read, J,
	    PERM_LEARN, "gamification", "Mark notifications read: {\"ids\": "
	    "[...]}, or all with {}"},
	{"GET", "/api/v1/me/goals", me_goals, 0, PERM_LEARN, "gamification",
	    "My study goals with their progress"},
	{"POST", "/api/v1/me/goals", me_goal_create, J, PERM_LEARN,
	    "gamification", "Set a goal: daily_minutes, weekly_lessons or "
	    "exam_date"},
	{"PATCH", "/api/v1/me/goals/{id}", me_goal_patch, J, PERM_LEARN,
	    "gamification", "Change a goal's target, date or status"},
	{"DELETE", "/api/v1/me/goals/{id}", me_goal_delete, 0, PERM_LEARN,
	    "gamification", "Abandon a goal"},
	{"GET", "/api/v1/me/dashboard", me_dashboard, 0, PERM_LEARN,
	    "gamification", "Everything my home page shows, in one call"},
	{"GET", "/api/v1/leaderboards", leaderboard, 0, PERM_LEARN,
	    "gamification", "Ranks in my organization: ?period=weekly|all, "
	    "exam, by=xp|score, limit; my own place too"},
};
const size_t gamify_routes_count =
    sizeof(gamify_routes) / sizeof(gamify_routes[0]);
