/*
 * routes.c - the community route table.
 */
#include "community/api.h"

#define J ROUTE_JSON_BODY
#define RV "/api/v1/reviews/{id}"

const struct route community_routes[] = {
	{"GET", "/api/v1/courses/{id}/reviews", reviews_list, 0, PERM_LEARN,
	    "community", "A course's reviews, its rating and mine: ?sort= "
	    "helpful (default), newest, highest, lowest; after, limit"},
	{"PUT", "/api/v1/courses/{id}/reviews/mine", review_put_mine, J,
	    PERM_LEARN, "community", "Review a course I am enrolled in, or "
	    "change my review: rating 1-5, comment (If-Match)"},
	{"DELETE", "/api/v1/courses/{id}/reviews/mine", review_delete_mine, 0,
	    PERM_LEARN, "community", "Take my review of a course back"},
	{"POST", RV "/upvote", review_upvote, 0, PERM_LEARN, "community",
	    "Upvote a review as helpful (once; not my own)"},
	{"DELETE", RV "/upvote", review_unvote, 0, PERM_LEARN, "community",
	    "Take my upvote back"},
	{"PUT", RV "/response", review_respond, J, PERM_LEARN, "community",
	    "Answer a review of a course I write, in public: {\"response\"}"},
	{"DELETE", RV "/response", review_unrespond, 0, PERM_LEARN,
	    "community", "Take the answer back"},
	{"POST", RV "/hide", review_hide, J, PERM_LEARN, "community",
	    "Hide a review of a course I write, saying why: {\"reason\"} "
	    "(audited)"},
	{"DELETE", RV "/hide", review_show, 0, PERM_LEARN, "community",
	    "Show a hidden review again (audited)"},
};
const size_t community_routes_count =
    sizeof(community_routes) / sizeof(community_routes[0]);
