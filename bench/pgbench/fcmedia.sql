-- GET /api/v1/flashcards/decks/{id}/media/{name}: the session check, then
-- two statements of their own: who may see the file (its type and hash),
-- then its bytes.  A random one of the first 20,000 learners and one of
-- the 100 files of their course's deck (1 + n % 10).  pgbench reads the
-- bytes as text (hex, twice their size); ludus asks for them in binary.
\set n random(1, 20000)
\set k random(1, 100)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
@query fc_media_head
	$1 = SELECT id FROM bench.fc_decks WHERE i = 1 + :n % 10
	$2 = :s_user_id
	$3 = NULL
	$4 = 'fig-' || :k || '.png'
@query fc_media_data
	$1 = SELECT id FROM bench.fc_decks WHERE i = 1 + :n % 10
	$2 = 'fig-' || :k || '.png'
