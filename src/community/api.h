/*
 * api.h - the community routes: course reviews (api_reviews.c), forums
 * (api_forum.c), running them (api_forum_admin.c), direct messages
 * (api_messages.c), and live updates (api_live.c).
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

/* api_forum.c */
void forum_list(struct req *r);
void forum_get(struct req *r);
void forum_threads_list(struct req *r);
void forum_thread_get(struct req *r);
void forum_replies_list(struct req *r);
void forum_reply_get_h(struct req *r);
void forum_thread_revisions(struct req *r);
void forum_reply_revisions(struct req *r);
void forum_search_posts(struct req *r);
void forum_member_me(struct req *r);
void forum_flags_list(struct req *r);
void forum_thread_create_h(struct req *r);
void forum_reply_create_h(struct req *r);
void forum_thread_edit(struct req *r);
void forum_reply_edit(struct req *r);
void forum_thread_delete(struct req *r);
void forum_reply_delete(struct req *r);
void forum_thread_like(struct req *r);
void forum_thread_unlike(struct req *r);
void forum_reply_like(struct req *r);
void forum_reply_unlike(struct req *r);
void forum_accept_h(struct req *r);
void forum_unaccept_h(struct req *r);
void forum_thread_watch(struct req *r);
void forum_thread_unwatch(struct req *r);
void forum_category_watch(struct req *r);
void forum_category_unwatch(struct req *r);
void forum_read_h(struct req *r);
void forum_thread_flag(struct req *r);
void forum_reply_flag(struct req *r);
void forum_thread_moderate(struct req *r);
void forum_reply_moderate(struct req *r);
void forum_flag_resolve_h(struct req *r);

/* api_messages.c */
void msg_conversations_list(struct req *r);
void msg_unread_get(struct req *r);
void msg_conversation_get(struct req *r);
void msg_messages_list(struct req *r);
void msg_contacts_list(struct req *r);
void msg_blocks_list(struct req *r);
void msg_conversation_start(struct req *r);
void msg_send(struct req *r);
void msg_report(struct req *r);
void msg_read(struct req *r);
void msg_leave(struct req *r);
void msg_delete(struct req *r);
void msg_block(struct req *r);
void msg_unblock(struct req *r);
void msg_reports_list(struct req *r);
void msg_report_resolve(struct req *r);

/* api_live.c */
void live_stream(struct req *r);

/* api_forum_admin.c */
void forum_category_create(struct req *r);
void forum_category_update(struct req *r);
void forum_category_delete(struct req *r);
void forum_trust_put(struct req *r);
void forum_settings_get_h(struct req *r);
void forum_settings_patch(struct req *r);

#endif
