-- GET /api/v1/leaderboards (weekly, by XP): the top ten of my organization
-- since Monday and my own rank.
\set n random(1, 90000)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
BEGIN;
@query leaderboard
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = 'weekly'
	$4 = NULL
	$5 = 'xp'
	$6 = '10'
COMMIT;
