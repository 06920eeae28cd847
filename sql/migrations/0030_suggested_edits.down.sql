-- 0030_suggested_edits, undone.
DELETE FROM notifications WHERE kind IN ('edit_suggested',
	'suggestion_accepted', 'suggestion_rejected');
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
	CHECK (kind IN ('achievement_unlocked', 'level_up', 'streak_at_risk',
		'goal_reached', 'avatar_unlocked', 'course_reviewed',
		'review_answered'));
DROP FUNCTION suggested_edit_json(suggested_edits);
DROP TABLE suggested_edits;
