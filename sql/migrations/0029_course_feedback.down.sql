-- 0029_course_feedback, undone.
DELETE FROM notifications WHERE kind IN ('course_reviewed', 'review_answered');
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind IN ('achievement_unlocked', 'level_up', 'streak_at_risk',
		'goal_reached', 'avatar_unlocked'));
DROP FUNCTION course_rating_json(uuid);
DROP FUNCTION course_feedback_json(course_feedback, uuid);
DROP FUNCTION course_member_role(uuid, uuid, boolean);
DROP TABLE feedback_upvotes;
DROP FUNCTION feedback_upvotes_count();
DROP TABLE course_feedback;
DROP FUNCTION course_feedback_count();
DROP FUNCTION course_ratings_move(uuid, uuid, smallint, integer);
DROP TABLE course_ratings;
