-- GET /api/v1/search?q=...: a word of the lessons' vocabulary, or a
-- misspelling of one.  Needs -D terms=N (the rows of bench.terms).
\set n random(1, 90000)
\set t random(1, :terms)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
@query search
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = :s_role
	$4 = SELECT term FROM bench.terms WHERE i = :t
	$5 = '20'
