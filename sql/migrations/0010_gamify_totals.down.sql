-- 0010_gamify_totals, undone: the cached totals go, and the weekly XP
-- totals of 0006 come back, rebuilt from the ledger.
DROP FUNCTION gamify_rebuild();
DROP FUNCTION learner_domain_stats_fresh();
DROP FUNCTION learner_stats_fresh();
DROP FUNCTION board_totals_fresh();
DROP FUNCTION board_counts_check();
DROP TRIGGER organizations_boards ON organizations;
DROP FUNCTION organizations_boards();
DROP INDEX users_staff_idx;
DROP TRIGGER user_settings_boards ON user_settings;
DROP FUNCTION user_settings_boards();
DROP TRIGGER users_boards ON users;
DROP FUNCTION users_boards();
DROP FUNCTION board_totals_reshow(uuid);
DROP INDEX attempts_open_user_idx;
DROP TRIGGER activity_days_totals_insert ON activity_days;
DROP TRIGGER activity_days_totals_update ON activity_days;
DROP TRIGGER activity_days_totals_delete ON activity_days;
DROP FUNCTION activity_days_totals();
DROP TRIGGER lesson_progress_totals_insert ON lesson_progress;
DROP TRIGGER lesson_progress_totals_update ON lesson_progress;
DROP TRIGGER lesson_progress_totals_delete ON lesson_progress;
DROP FUNCTION lesson_progress_totals();
DROP TRIGGER attempts_totals_insert ON attempts;
DROP TRIGGER attempts_totals_update ON attempts;
DROP TRIGGER attempts_totals_delete ON attempts;
DROP FUNCTION attempts_totals();
DROP FUNCTION attempt_totals_apply(attempts, integer);
DROP FUNCTION attempt_domain_rows(attempts);
DROP TABLE learner_domain_stats;
DROP TABLE learner_stats;
DROP TRIGGER xp_events_boards ON xp_events;
DROP FUNCTION xp_events_boards();
DROP FUNCTION xp_event_exam(text, uuid);
DROP TABLE board_counts;
DROP TRIGGER board_totals_count ON board_totals;
DROP TRIGGER board_totals_fill ON board_totals;
DROP TRIGGER board_totals_uncount ON board_totals;
DROP FUNCTION board_counted(board_totals);
DROP TABLE board_totals;
DROP FUNCTION board_totals_uncount();
DROP FUNCTION board_totals_count();
DROP FUNCTION board_totals_fill();
DROP FUNCTION board_shown(uuid);
DROP VIEW board_eligibility;
DROP FUNCTION board_period(text);
DROP FUNCTION board_exam(text);
DROP FUNCTION board_week(timestamptz);
DROP FUNCTION board_any_exam();

CREATE TABLE xp_weekly (
	org_id uuid NOT NULL,
	user_id uuid NOT NULL,
	week date NOT NULL CHECK (extract(isodow FROM week) = 1),
	xp bigint NOT NULL,
	PRIMARY KEY (user_id, week),
	FOREIGN KEY (user_id, org_id) REFERENCES users (id, org_id)
		ON DELETE CASCADE
);
CREATE INDEX xp_weekly_user_org_idx ON xp_weekly (user_id, org_id);
CREATE INDEX xp_weekly_board_idx ON xp_weekly (org_id, week, xp DESC);
CREATE FUNCTION xp_weekly_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO xp_weekly AS w (org_id, user_id, week, xp)
	SELECT org_id, user_id,
		date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date,
		sum(amount)
	FROM new_events
	GROUP BY 1, 2, 3
	ORDER BY 2, 3
	ON CONFLICT (user_id, week) DO UPDATE SET xp = w.xp + EXCLUDED.xp;
	RETURN NULL;
END
$$;
CREATE TRIGGER xp_events_weekly AFTER INSERT ON xp_events
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT EXECUTE FUNCTION xp_weekly_add();
INSERT INTO xp_weekly (org_id, user_id, week, xp)
SELECT org_id, user_id, date_trunc('week', occurred_at AT TIME ZONE 'UTC')::date,
	sum(amount)
FROM xp_events
GROUP BY 1, 2, 3;
