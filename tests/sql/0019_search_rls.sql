-- 0019_search_rls: search runs as the owner (to keep its indexes under
-- row-level security) and still searches the transaction's organization
-- only: another organization finds nothing of it, nor does no organization.

BEGIN;
SET client_min_messages = warning;
SELECT plan(5);

CREATE TEMP TABLE a ON COMMIT DROP AS
SELECT o.id AS org, u.id AS usr FROM organizations o
JOIN users u ON u.org_id = o.id AND u.username = 'sarah_network'
WHERE o.is_default;
GRANT SELECT ON a TO ludus_app;
INSERT INTO organizations (id, slug, name)
VALUES ('00000000-0000-4000-8000-0000000019cc', 'search-c', 'C');

SET LOCAL ROLE ludus_app;
SELECT set_config('ludus.org_id', (SELECT org::text FROM a), true) IS NOT NULL AS set;
SELECT cmp_ok(json_array_length(search_doc((SELECT usr FROM a), false, 'subnetting', 20)->'items'),
	'>', 0, 'the organization finds its own lessons');
SELECT ok(search_doc((SELECT usr FROM a), false, 'subnetting', 20)::text LIKE '%<mark>%',
	'with their snippets');
SELECT set_config('ludus.org_id', '00000000-0000-4000-8000-0000000019cc', true) IS NOT NULL AS set;
SELECT is(json_array_length(search_doc((SELECT usr FROM a), true, 'subnetting', 20)->'items'),
	0, 'another organization finds none of them, even asking as their learner');
SELECT set_config('ludus.org_id', '', true) IS NOT NULL AS set;
SELECT is(json_array_length(search_doc((SELECT usr FROM a), true, 'subnetting', 20)->'items'),
	0, 'and no organization finds nothing');
RESET ROLE;
SELECT ok(NOT has_function_privilege('public', 'search_doc(uuid, boolean, text, integer)', 'EXECUTE'),
	'only ludus_app may call it');

SELECT * FROM finish();
ROLLBACK;
