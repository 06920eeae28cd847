-- GET /api/v1/flashcards/queue?limit=20: the session check, then one
-- transaction: the learner's settings and day, what they did today, the
-- queue and its counts.  A random one of the first 20,000 learners
-- (those with flashcards, bar the few instructors among them).
\set n random(1, 20000)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
BEGIN;
@query fc_settings \gset f_
	$1 = :s_user_id
	$2 = :s_org_id
@query fc_today
	$1 = :s_user_id
	$2 = :f_day_start
	$3 = :f_day_end
@query fc_queue
	$1 = :s_user_id
	$2 = NULL
	$3 = now()
	$4 = :f_day_end
	$5 = '20'
	$6 = '200'
	$7 = '20'
@query fc_counts
	$1 = :s_user_id
	$2 = NULL
	$3 = now()
	$4 = :f_day_end
COMMIT;
