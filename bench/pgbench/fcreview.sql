-- POST /api/v1/flashcards/cards/{id}/review: the session check, then one
-- transaction: the card and the learner's right to it, their settings,
-- the card's memory locked, the load of the days its interval may take,
-- the log row, the new memory, the siblings buried, the count, and what
-- the review earns (the day's study, XP, achievements looked at).  A
-- random one of the first 20,000 learners and a random card of their
-- deck, rated Good.
\set n random(1, 20000)
\set c random(1, 500)
@query auth_session \gset s_
	$1 = SELECT token_hash FROM bench.users WHERE n = :n
	$2 = '1209600'
BEGIN;
@query fc_card_access
	$1 = SELECT id FROM bench.fc_cards WHERE deck_i = 1 + :n % 10 AND c = :c
	$2 = :s_user_id
	$3 = 'false'
@query fc_settings \gset f_
	$1 = :s_user_id
	$2 = :s_org_id
@query fc_progress_lock
	$1 = :s_user_id
	$2 = :s_org_id
	$3 = SELECT id FROM bench.fc_cards WHERE deck_i = 1 + :n % 10 AND c = :c
@query fc_loads
	$1 = :s_user_id
	$2 = extract(epoch FROM now())::bigint
	$3 = '25'
	$4 = '7'
	$5 = :f_tz
@query fc_review_insert
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = SELECT id FROM bench.fc_cards WHERE deck_i = 1 + :n % 10 AND c = :c
	$4 = '3'
	$5 = now()::text
	$6 = '2592000'
	$7 = '5000'
	$8 = '2'
	$9 = '0'
	$10 = '12.5'
	$11 = '5.1'
	$12 = extract(epoch FROM now())::bigint
	$13 = extract(epoch FROM now())::bigint - 1000000
	$14 = '4'
	$15 = '0'
	$16 = '2'
	$17 = '30.2'
	$18 = '5.0'
@query fc_progress_put
	$1 = :s_user_id
	$2 = SELECT id FROM bench.fc_cards WHERE deck_i = 1 + :n % 10 AND c = :c
	$3 = '2'
	$4 = '0'
	$5 = '30.2'
	$6 = '5.0'
	$7 = extract(epoch FROM now())::bigint + 2592000
	$8 = extract(epoch FROM now())::bigint
	$9 = '5'
	$10 = '0'
@query fc_bury_siblings
	$1 = :s_user_id
	$2 = :s_org_id
	$3 = SELECT id FROM bench.fc_cards WHERE deck_i = 1 + :n % 10 AND c = :c
	$4 = :f_day_end
@query fc_reviews_count
	$1 = :s_user_id
	$2 = '1'
@query fc_day_count
	$1 = :s_user_id
	$2 = extract(epoch FROM now())::bigint
	$3 = :f_tz
@query gamify_lock
	$1 = :s_user_id
@query activity_touch
	$1 = :s_user_id
	$2 = :s_org_id
	$3 = '0'
	$4 = '0'
	$5 = '5'
	$6 = NULL
@query xp_awards
	$1 = :s_org_id
	$2 = :s_user_id
	$3 = SELECT jsonb_build_array(jsonb_build_object('source', 'flashcards', 'amount', 1, 'reason', 'A flashcard reviewed', 'key', 'review' || chr(58) || gen_random_uuid()))::text
	$4 = NULL
	$5 = NULL
	$6 = '2'
@query xp_refresh
	$1 = :s_user_id
@query gamify_stats
	$1 = :s_user_id
@query achievements_open
	$1 = :s_user_id
COMMIT;
