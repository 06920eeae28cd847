-- Bench data set, step 6b: XP in the four smaller organizations (2,500
-- accounts each, 90001..100000), so that their leaderboards have learners
-- on them: thirty awards each over the last nine weeks, 2 to 45 XP, some
-- for a Network+ question of the organization's (where it has any).  The
-- leaderboard case compares one of these boards with the default
-- organization's, 36 times as many learners: what a board costs must not
-- depend on it.  The totals come from
-- gamify_rebuild() in 90_finish.sql, like everything loaded without
-- triggers.

RESET ROLE;
SET session_replication_role = replica;
SET ROLE ludus;
WITH q AS (
	-- a Network+ question of each organization, where it has one (picked
	-- once per organization, not once per award)
	SELECT DISTINCT ON (org_id) org_id, id FROM questions
	WHERE exam_id = (SELECT id FROM exams WHERE code = 'network')
		AND deleted_at IS NULL
	ORDER BY org_id, id
)
INSERT INTO xp_events (org_id, user_id, source, amount, reason,
	idempotency_key, entity_type, entity_id, occurred_at)
SELECT u.org_id, u.user_id, 'admin',
	(ARRAY[2, 5, 10, 10, 15, 20, 25, 45])[1 + (hashint8(u.n * 31 + k) & 1023) % 8],
	'Bench award', 'bench:' || k,
	CASE WHEN k % 5 = 0 AND q.id IS NOT NULL THEN 'question' END,
	CASE WHEN k % 5 = 0 THEN q.id END,
	now() - interval '63 days' * power(random(), 1.5)
FROM bench.users u
CROSS JOIN generate_series(1, 30) k
LEFT JOIN q ON q.org_id = u.org_id
WHERE u.n BETWEEN 90001 AND 100000 AND u.role = 'student';
-- (each learner's sum by their index, not by reading the whole ledger)
UPDATE user_profiles p SET xp = greatest(x.xp, 0), level = xp_level(x.xp)
FROM (SELECT u.user_id, (SELECT sum(e.amount) FROM xp_events e
		WHERE e.user_id = u.user_id) AS xp
	FROM bench.users u WHERE u.n BETWEEN 90001 AND 100000) x
WHERE p.user_id = x.user_id AND x.xp IS NOT NULL;
RESET ROLE;
SET session_replication_role = DEFAULT;
SET ROLE ludus;
