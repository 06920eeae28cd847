-- 0007_leaderboard_privacy: who shows on a leaderboard, and by what name.
--
-- Each learner chooses how leaderboards show them: by username only (the
-- default), by their display name too, or not at all.  Staff (instructors
-- and admins) are left off learners' leaderboards unless their
-- organization's settings say {"leaderboard_include_staff": true}.

ALTER TABLE user_settings ADD COLUMN leaderboard_visibility text NOT NULL
	DEFAULT 'username'
	CHECK (leaderboard_visibility IN ('username', 'full_name', 'hidden'));
-- The boards leave out the hidden, who are few: found on this index
-- without reading every learner's settings.
CREATE INDEX user_settings_hidden_idx ON user_settings (user_id)
	WHERE leaderboard_visibility = 'hidden';

ALTER TABLE organizations ADD CONSTRAINT organizations_settings_staff_check
	CHECK (NOT settings ? 'leaderboard_include_staff'
		OR jsonb_typeof(settings->'leaderboard_include_staff') = 'boolean');
