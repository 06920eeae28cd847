/*
 * api.h - the community routes: course reviews (api_reviews.c).
 */
#ifndef LUDUS_COMMUNITY_API_H
#define LUDUS_COMMUNITY_API_H

#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

extern const struct route community_routes[];
extern const size_t community_routes_count;

void reviews_list(struct req *r);
void review_put_mine(struct req *r);
void review_delete_mine(struct req *r);
void review_upvote(struct req *r);
void review_unvote(struct req *r);
void review_respond(struct req *r);
void review_unrespond(struct req *r);
void review_hide(struct req *r);
void review_show(struct req *r);

#endif
