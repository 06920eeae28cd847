-- GET /api/v1/leaderboards: a board's top ten in my organization and my
-- own rank.  Needs -D period=weekly|all, -D exam=all|<code>, -D by=xp|score
-- and -D first=N -D last=N (the accounts that ask: 1-90000 is the default
-- organization, 90001-92500 a smaller one).
\set n random(:first, :last)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
@query leaderboard
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = :period::text
	$4 = SELECT nullif(:exam::text, 'all')
	$5 = :by::text
	$6 = '10'
