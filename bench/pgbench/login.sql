-- POST /api/v1/auth/login: the rate-limit counters and the account lookup
-- (autocommit), then the sign-in transaction.  Without bcrypt: the floor
-- is the database's share only.
\set n random(1, 90000)
@query rate_hit
	$1 = 'login' || chr(58) || 'ip' || chr(58) || '127.0.0.1'
	$2 = '60'
@query rate_peek
	$1 = 'login-fail' || chr(58) || 'ip' || chr(58) || '127.0.0.1'
	$2 = '3600'
@query login_lookup
	$1 = SELECT username FROM bench.users WHERE n = :n
BEGIN;
@query login_recheck
	$1 = SELECT user_id FROM bench.users WHERE n = :n
	$2 = SELECT u.password_hash FROM users u JOIN bench.users b ON b.user_id = u.id WHERE b.n = :n
@query login_succeeded
	$1 = SELECT user_id FROM bench.users WHERE n = :n
@query session_create
	$1 = SELECT user_id FROM bench.users WHERE n = :n
	$2 = SELECT org_id FROM bench.users WHERE n = :n
	$3 = md5(random()::text) || md5(random()::text)
	$4 = md5(random()::text)
	$5 = '1209600'
	$6 = '2592000'
	$7 = '127.0.0.1'
	$8 = 'pgbench'
@query me_get
	$1 = SELECT user_id FROM bench.users WHERE n = :n
@query audit_insert
	$1 = SELECT org_id FROM bench.users WHERE n = :n
	$2 = SELECT user_id FROM bench.users WHERE n = :n
	$3 = 'user.login'
	$4 = 'user'
	$5 = SELECT user_id FROM bench.users WHERE n = :n
	$6 = NULL
	$7 = jsonb_build_object('session', gen_random_uuid())::text
	$8 = '127.0.0.1'
	$9 = 'pgbench'
	$10 = 'bench'
	$11 = 'true'
	$12 = NULL
COMMIT;
