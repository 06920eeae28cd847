/*
 * routes.c - the community route table.
 */
#include "community/api.h"

#define J ROUTE_JSON_BODY
#define RV "/api/v1/reviews/{id}"
#define F "/api/v1/forum"
#define FT F "/threads/{id}"
#define FR F "/replies/{id}"
#define FC F "/categories/{id}"
#define L PERM_LEARN
#define C "community"

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
	{"GET", "/api/v1/conversations", msg_conversations_list, 0, L, C,
	    "My conversations, the latest activity first, each with its "
	    "members, last message and unread count: after, limit"},
	{"POST", "/api/v1/conversations", msg_conversation_start, J, L, C,
	    "Write to members: user_ids (one: our conversation, found again; "
	    "2-19: a group, with a title), body"},
	{"GET", "/api/v1/conversations/{id}", msg_conversation_get, 0, L, C,
	    "A conversation I am in"},
	{"GET", "/api/v1/conversations/{id}/messages", msg_messages_list, 0, L,
	    C, "Its messages, newest first: before (a message id), limit"},
	{"POST", "/api/v1/conversations/{id}/messages", msg_send, J, L, C,
	    "Send a message: body (plain text; 30 a minute)"},
	{"POST", "/api/v1/conversations/{id}/read", msg_read, 0, L, C,
	    "I have read the conversation up to now"},
	{"DELETE", "/api/v1/conversations/{id}/members/me", msg_leave, 0, L, C,
	    "Leave a group"},
	{"GET", "/api/v1/messages/unread", msg_unread_get, 0, L, C,
	    "How many messages wait for me"},
	{"GET", "/api/v1/messages/contacts", msg_contacts_list, 0, L, C,
	    "Who I may write to: q, limit"},
	{"DELETE", "/api/v1/messages/{id}", msg_delete, 0, L, C,
	    "Delete my message (its place stays)"},
	{"POST", "/api/v1/messages/{id}/report", msg_report, J, L, C,
	    "Report a message to the admins: reason (spam, harassment, "
	    "inappropriate, other), note"},
	{"GET", "/api/v1/blocks", msg_blocks_list, 0, L, C,
	    "The members I blocked"},
	{"PUT", "/api/v1/blocks/{id}", msg_block, 0, L, C, "Block a member: "
	    "neither of us writes to the other, and I see none of their "
	    "messages"},
	{"DELETE", "/api/v1/blocks/{id}", msg_unblock, 0, L, C,
	    "Unblock a member"},
	{"GET", "/api/v1/message-reports", msg_reports_list, 0,
	    PERM_USER_MANAGE, C, "The organization's reported messages: "
	    "status (open, dismissed, removed), limit"},
	{"POST", "/api/v1/message-reports/{id}/resolve", msg_report_resolve, J,
	    PERM_USER_MANAGE, C, "Settle a message's reports: decision "
	    "dismiss, or remove (the message is removed) (audited)"},
	{"GET", "/api/v1/live", live_stream, 0, L, C, "My live updates, as "
	    "Server-Sent Events: notification (and, with ?thread=, that "
	    "thread's new replies: reply); Last-Event-ID replays what I missed"},
	{"GET", "/api/v1/forums", forum_list, 0, L, C, "The forums I may "
	    "read: the organization's general one and my courses'"},
	{"GET", F, forum_get, 0, L, C, "A forum (?course=, else the general "
	    "one): its categories, with unread threads, and the latest threads"},
	{"POST", F "/categories", forum_category_create, J, L, C, "Add a "
	    "category to a forum I moderate: course_id (null: the general "
	    "forum), name, description, kind (discussion, qa), position "
	    "(audited)"},
	{"PATCH", FC, forum_category_update, J, L, C, "Change a category of a "
	    "forum I moderate (audited)"},
	{"DELETE", FC, forum_category_delete, 0, L, C, "Delete a category and "
	    "its threads (not a forum's last) (audited)"},
	{"GET", FC "/threads", forum_threads_list, 0, L, C, "A category's "
	    "threads, pinned first, then by last activity: after, limit"},
	{"POST", FC "/threads", forum_thread_create_h, J, L, C, "Start a "
	    "thread: title, body (Markdown)"},
	{"PUT", FC "/watch", forum_category_watch, J, L, C, "Watch a category: "
	    "{\"watching\": true}, notified of its new threads' replies"},
	{"DELETE", FC "/watch", forum_category_unwatch, 0, L, C, "Stop "
	    "watching a category"},
	{"GET", FT, forum_thread_get, 0, L, C, "A thread's first post, my "
	    "place in it, and whether its answers wait for mine (Q&A)"},
	{"PATCH", FT, forum_thread_edit, J, L, C, "Edit my thread (or as a "
	    "moderator): title, body (If-Match); the old text is kept"},
	{"DELETE", FT, forum_thread_delete, 0, L, C, "Delete my thread (its "
	    "replies stay)"},
	{"GET", FT "/replies", forum_replies_list, 0, L, C, "A page of a "
	    "thread's replies: ?order= tree (nested, default), time or newest; "
	    "after (a reply number), limit"},
	{"POST", FT "/replies", forum_reply_create_h, J, L, C, "Reply to a "
	    "thread, or to a reply (parent_id): body (Markdown; @username "
	    "notifies)"},
	{"GET", FT "/revisions", forum_thread_revisions, 0, L, C, "What a "
	    "thread said before each edit"},
	{"POST", FT "/like", forum_thread_like, 0, L, C, "Like a thread (once; "
	    "not my own)"},
	{"DELETE", FT "/like", forum_thread_unlike, 0, L, C, "Take my like "
	    "back"},
	{"POST", FT "/accept", forum_accept_h, J, L, C, "Mark a reply as the "
	    "answer (the thread's author or a moderator): reply_id"},
	{"DELETE", FT "/accept", forum_unaccept_h, 0, L, C, "Unmark the "
	    "answer"},
	{"PUT", FT "/watch", forum_thread_watch, J, L, C, "Watch (true) or "
	    "mute (false) a thread: {\"watching\"}"},
	{"DELETE", FT "/watch", forum_thread_unwatch, 0, L, C, "Neither watch "
	    "nor mute a thread"},
	{"POST", FT "/read", forum_read_h, J, L, C, "I have read a thread up "
	    "to a reply number: {\"upto\"}"},
	{"POST", FT "/flag", forum_thread_flag, J, L, C, "Flag a thread for "
	    "the moderators: reason (spam, inappropriate, off_topic, other), "
	    "note"},
	{"POST", FT "/moderate", forum_thread_moderate, J, L, C, "Moderate a "
	    "thread: action pin, unpin, lock, unlock, hide (reason), unhide, "
	    "move (category_id) (audited)"},
	{"GET", FR, forum_reply_get_h, 0, L, C, "A reply as I may see it (its "
	    "thread in post_id, its number in n)"},
	{"PATCH", FR, forum_reply_edit, J, L, C, "Edit my reply (or as a "
	    "moderator): body (If-Match); the old text is kept"},
	{"DELETE", FR, forum_reply_delete, 0, L, C, "Delete my reply (its "
	    "answers stay)"},
	{"GET", FR "/revisions", forum_reply_revisions, 0, L, C, "What a reply "
	    "said before each edit"},
	{"POST", FR "/like", forum_reply_like, 0, L, C, "Like a reply (once; "
	    "not my own)"},
	{"DELETE", FR "/like", forum_reply_unlike, 0, L, C, "Take my like "
	    "back"},
	{"POST", FR "/flag", forum_reply_flag, J, L, C, "Flag a reply for the "
	    "moderators: reason, note"},
	{"POST", FR "/moderate", forum_reply_moderate, J, L, C, "Hide a reply "
	    "(reason) or show it again: action hide, unhide (audited)"},
	{"GET", F "/search", forum_search_posts, 0, L, C, "Search the posts "
	    "of the forums I read, typos forgiven: q, course, limit"},
	{"GET", F "/flags", forum_flags_list, 0, L, C, "The moderation queue "
	    "of the forums I moderate: ?status= open (default), agreed, "
	    "dismissed"},
	{"POST", F "/flags/{id}/resolve", forum_flag_resolve_h, J, L, C,
	    "Settle a post's flags: decision agree (it stays hidden) or "
	    "dismiss (shown again) (audited)"},
	{"GET", F "/members/me", forum_member_me, 0, L, C, "My trust level, "
	    "my numbers, my daily limits and what the next level asks"},
	{"PUT", F "/members/{id}/trust", forum_trust_put, J, PERM_USER_MANAGE,
	    C, "Set a member's trust level, 0-4 (null: earned again) "
	    "(audited)"},
	{"GET", F "/settings", forum_settings_get_h, 0, PERM_ORG_MANAGE, C,
	    "The organization's forum rules: flags that hide a post, trust "
	    "thresholds and daily limits"},
	{"PATCH", F "/settings", forum_settings_patch, J, PERM_ORG_MANAGE, C,
	    "Change the forum rules (audited)"},
};
const size_t community_routes_count =
    sizeof(community_routes) / sizeof(community_routes[0]);
