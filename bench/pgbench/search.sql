-- GET /api/v1/search?q=...: a word of the lessons' vocabulary, or a
-- misspelling of one.  Needs -D terms=N (the rows of bench.terms).
\set n random(1, 90000)
\set t random(1, :terms)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
-- ludus's session has the organization set (search_doc() reads it).
SELECT set_config('ludus.org_id', :s_org_id, false);
@query search
	$1 = :s_user_id
	$2 = 'content.all' = ANY (:s_perms::text[])
	$3 = SELECT term FROM bench.terms WHERE i = :t
	$4 = '20'
