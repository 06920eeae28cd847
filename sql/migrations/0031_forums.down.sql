-- 0031_forums, undone.
DELETE FROM notifications WHERE kind IN ('forum_reply', 'forum_mention',
	'forum_accepted', 'forum_moderated');
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind IN ('achievement_unlocked', 'level_up', 'streak_at_risk',
		'goal_reached', 'avatar_unlocked', 'course_reviewed',
		'review_answered', 'edit_suggested', 'suggestion_accepted',
		'suggestion_rejected'));
DELETE FROM xp_events WHERE source = 'forum';
ALTER TABLE xp_events DROP CONSTRAINT xp_events_source_check,
	ADD CONSTRAINT xp_events_source_check CHECK (source IN ('lesson',
		'answer', 'quiz', 'daily_goal', 'streak', 'achievement', 'goal',
		'admin', 'flashcards'));
-- The forums' words leave the vocabulary with their rows (deleted, so
-- that the triggers take them out).
DELETE FROM forum_replies;
DELETE FROM forum_posts;
CREATE OR REPLACE FUNCTION search_doc(r jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws(' ', r->>'title', r->>'summary', r->>'description',
		r->'content'->>'markdown', r->>'stem',
		(SELECT string_agg(t, ' ') FROM jsonb_array_elements_text(r->'tags') t))
$$;
DROP FUNCTION forum_flag_resolve(uuid, boolean, uuid, text),
	forum_moderate(uuid, boolean, text, uuid, text, text, uuid),
	forum_flag(uuid, uuid, boolean, text, uuid, text, text),
	forum_read(uuid, uuid, boolean, uuid, integer),
	forum_watch(uuid, uuid, boolean, text, uuid, boolean),
	forum_accept(uuid, uuid, boolean, uuid, uuid),
	forum_like(uuid, uuid, boolean, text, uuid, boolean),
	forum_delete(uuid, boolean, text, uuid),
	forum_edit(uuid, uuid, boolean, text, uuid, text, text, text, boolean,
		integer),
	forum_reply_create(uuid, uuid, boolean, uuid, uuid, text, text, boolean),
	forum_thread_create(uuid, uuid, boolean, uuid, text, text, text, boolean),
	forum_notify(uuid, uuid, uuid, integer, uuid, text),
	forum_mentioned(text, uuid, uuid), forum_tell_hidden(uuid, uuid, text), forum_may_post(uuid, uuid, boolean),
	forum_over_limit(uuid, uuid, text), forum_limit_lock(uuid),
	forum_locate(text, uuid, uuid, boolean),
	forum_no(integer, text, text), forum_ok(integer, jsonb);
DROP TYPE forum_result;
DROP FUNCTION forum_search(uuid, boolean, text, uuid, integer);
DROP FUNCTION forum_reply_json(forum_replies, uuid, boolean, uuid);
DROP FUNCTION forum_post_json(forum_posts, uuid, boolean);
DROP FUNCTION forum_user_json(uuid);
DROP FUNCTION forum_answers_hidden(forum_categories, uuid, uuid, text),
	forum_thread_item(forum_posts, uuid, boolean);
DROP FUNCTION forum_role(uuid, uuid, boolean);
DROP TABLE forum_flags, forum_reads, forum_watches, forum_revisions,
	forum_reply_likes, forum_post_likes;
DROP FUNCTION forum_trust_earned(forum_members);
DROP TABLE forum_members;
ALTER TABLE forum_posts DROP CONSTRAINT forum_posts_accepted_reply_id_id_fkey;
DROP TABLE forum_replies, forum_posts;
DROP FUNCTION forum_flags_hide(), forum_posts_accepted(), forum_likes_count(),
	forum_posts_count(), forum_replies_count(), forum_replies_place(),
	forum_replies_unaccept(),
	forum_member_add(uuid, uuid, text, integer), forum_members_level();
DROP TRIGGER organizations_forum_start ON organizations;
DROP TRIGGER courses_forum_start ON courses;
DROP FUNCTION forum_start();
DROP TABLE forum_categories, forum_settings;
