-- GET /api/v1/me/dashboard: the session check (autocommit), then one
-- transaction with the dashboard document.  A random learner of the
-- default organization.
\set n random(1, 90000)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
@query me_dashboard
	$1 = :s_user_id
	$2 = :s_org_id
