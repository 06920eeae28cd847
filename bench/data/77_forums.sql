-- Bench data set, step 7c: the course forums (migration 0031).  Each of
-- the ten bench courses has its forum, the "General" category its
-- courses_forum_start trigger made when 20_content.sql inserted it.  In
-- each, 2,000 threads over the last year, each started by a learner of the
-- course (an active enrollment) after they enrolled, with 0 to 30 replies
-- (most threads a few, 11 on average) from the course's learners, the
-- thread's author among them, within three weeks of its start: about
-- 20,000 threads and 227,000 replies, nested as people answer (about half
-- at the top, the others under an earlier reply, most often a recent
-- one).  One in four replies has a like or a few, some threads too; one
-- reply in a hundred and one thread in two hundred were deleted by their
-- authors.
--
-- And one big thread in course 1's forum: the study group its author
-- (the course's owner) pinned, 10,000 replies over the ten months since
-- the course's learners enrolled.  60 % of them answer an earlier reply
-- (most often a recent one) and the rest the thread, so most sit at the
-- top or 1 to 3 deep; twenty back-and-forths between two learners run
-- 15 to 35 replies deep on top of that: 38 % of the replies are at the
-- top, 43 % 1 to 3 deep, the deepest 43 deep (replies nest to 64).
--
-- The rows go in as the app's writes leave them, but in one statement a
-- table: the row triggers that number the replies and keep the counts
-- (forum_replies_place, the *_count ones) and that announce new replies
-- (forum_replies_live) are off for the load, and what they keep is set
-- here, from the same rows: each reply's number (in time order) and path,
-- the threads' reply_seq, replies (not deleted), likes, last activity and
-- last replier, the replies' likes, the category's threads, each member's
-- counters in forum_members (threads, replies, likes given and received;
-- their trust level from those, by its own trigger, left on).  The
-- statement triggers that feed the search vocabulary stay on (one
-- statement a table).  As forum_thread_create and forum_reply_create do,
-- authors and repliers watch their threads, and a replier has read a
-- thread up to their last reply.  Not made: the notifications of replies
-- to watchers, and the XP of likes (the caller's, not a trigger's).
--
-- Randomness from hashes of each row's key, not random(): the files after
-- this one draw the same numbers as before it existed.  Needs only
-- persistent tables (bench.*, the real ones), so it also runs alone on a
-- data set made before the forums (after `ludus migrate up`).  About two
-- and a half minutes, most of it the replies' insert (with the triggers
-- on, the big thread's 10,000 replies alone took 100 s: each updates the
-- thread's row, whose versions pile up).
--
--   bench.forum_categories  i, the id of course i's "General" category
--   bench.forum_pages       i, p, after: the thread ending page p (30 a
--                           page) of course i's category (for ?after=)
--   bench.forum_big         the big thread's id and its last reply number

BEGIN;
SET LOCAL work_mem = '256MB';

-- Uniform in [0, 1) from a key and a salt.
CREATE FUNCTION pg_temp.u(k bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
	SELECT ((hashint8(k * 64 + salt) & 2147483647) / 2147483648.0)::float8
$$;

-- The text: words and sentences of the bench's vocabulary (STABLE, as
-- format() is, so that they are inlined: declared IMMUTABLE, they were
-- called row by row, and the replies took four times as long).
CREATE FUNCTION pg_temp.fword(k bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT (ARRAY['subnet', 'router', 'switch', 'vlan', 'trunk', 'ospf',
		'bgp', 'dns', 'dhcp', 'nat', 'firewall', 'proxy', 'tcp', 'udp',
		'arp', 'ethernet', 'wireless', 'spanning tree', 'ipv6', 'cidr',
		'gateway', 'latency', 'bandwidth', 'qos', 'vpn', 'ipsec', 'tls',
		'certificate', 'encryption', 'hashing', 'mfa', 'radius', 'ldap',
		'kerberos', 'phishing', 'malware', 'ransomware', 'ddos',
		'vulnerability', 'patching', 'siem', 'ids', 'segmentation',
		'zero trust', 'least privilege', 'incident response', 'backup',
		'raid', 'hypervisor', 'container', 'bios', 'uefi', 'ssd',
		'active directory', 'group policy', 'osi model', 'wireshark',
		'traceroute', 'syslog', 'snmp'])[1 + (hashint8(k) & 1023) % 60]
$$;

CREATE FUNCTION pg_temp.fsentence(k bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format((ARRAY[
		'Does anyone have a good way to remember %s versus %s?',
		'In my lab the %s kept failing until I checked the %s.',
		'Thanks, that cleared up %s for me, and the %s part too.',
		'The practice exam had two questions on %s and one on %s.',
		'I think the lesson on %s explains it better than the one on %s.',
		'Same here: %s made sense once I drew the %s on paper.',
		'Careful, %s and %s are easy to mix up under time pressure.',
		'Has anyone found a free simulator for %s or %s?',
		'My notes say to check %s before %s when troubleshooting.',
		'Good point. I would add that %s depends on the %s being right.',
		'Try the flashcards on %s; they helped me with %s as well.',
		'I passed last week: expect scenario questions on %s and %s.'
		])[1 + (hashint8(k) & 1023) % 12],
		pg_temp.fword(k * 3 + 1), pg_temp.fword(k * 5 + 2))
$$;

-- n (1 to 3) sentences.
CREATE FUNCTION pg_temp.ftext(k bigint, n integer) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT concat_ws(' ', pg_temp.fsentence(k),
		CASE WHEN n >= 2 THEN pg_temp.fsentence(k + 1) END,
		CASE WHEN n >= 3 THEN pg_temp.fsentence(k + 2) END)
$$;

CREATE FUNCTION pg_temp.ftitle(k bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format((ARRAY['Question about %s and %s',
		'Stuck on %s: what about %s?', 'How is %s different from %s?',
		'Lab help: %s with %s', 'Tips for remembering %s and %s',
		'Is %s in the objectives next to %s?',
		'Study partner for %s and %s?', 'Why does %s need %s?'
		])[1 + (hashint8(k) & 1023) % 8],
		pg_temp.fword(k * 7 + 3), pg_temp.fword(k * 11 + 4))
$$;

-- The big thread's chains: chain s (0..19) starts at reply 250 + 487 s
-- (an ordinary reply) and goes on for 14 to 34 more, each answering the
-- one before.  chain_at(j): j's place in its chain (0: not a follower).
CREATE FUNCTION pg_temp.chain_at(j integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN j > 250 AND (j - 250) / 487 <= 19
		AND (j - 250) % 487 <= 14 + (hashint4((j - 250) / 487 * 7 + 11)
			& 1023) % 21
		THEN (j - 250) % 487 ELSE 0 END
$$;

-- Every row trigger on what is loaded here, each one's effect reproduced
-- below: a new one must be looked at first.
DO $$
DECLARE
	have text[];
BEGIN
	SELECT array_agg(t ORDER BY t) INTO have
	FROM (SELECT tgrelid::regclass::text || '.' || tgname AS t
		FROM pg_trigger
		WHERE NOT tgisinternal AND tgtype & 1 = 1
			AND tgrelid IN ('forum_posts'::regclass,
				'forum_replies'::regclass, 'forum_post_likes'::regclass,
				'forum_reply_likes'::regclass, 'forum_watches'::regclass,
				'forum_reads'::regclass)) x;
	IF have IS DISTINCT FROM ARRAY['forum_post_likes.forum_post_likes_count',
		'forum_posts.forum_posts_accepted', 'forum_posts.forum_posts_count',
		'forum_replies.forum_replies_count', 'forum_replies.forum_replies_live',
		'forum_replies.forum_replies_place',
		'forum_replies.forum_replies_unaccept',
		'forum_reply_likes.forum_reply_likes_count'] THEN
		RAISE EXCEPTION '77_forums.sql: the forum tables'' row triggers are '
			'now %; see what they keep before loading without them', have;
	END IF;
END
$$;

-- ---- Who may post: the learners of each course ----

-- r: their order of enrolling (so that those enrolled by a time are
-- r <= the r of the last one enrolled by then).
CREATE TEMP TABLE g_fl AS
SELECT c.i AS course_i, u.n, u.user_id, e.enrolled_at,
	row_number() OVER (PARTITION BY c.i ORDER BY e.enrolled_at, u.n) AS r
FROM bench.courses c
JOIN enrollments e ON e.course_id = c.id AND e.status = 'active'
JOIN bench.users u ON u.user_id = e.user_id AND u.role = 'student'
WHERE c.i <= 10;
CREATE UNIQUE INDEX ON g_fl (course_i, r);
CREATE INDEX ON g_fl (course_i, enrolled_at, r);
ANALYZE g_fl;

CREATE TEMP TABLE g_fcat AS
SELECT c.i, k.id, k.org_id, co.owner_id, co.title,
	(SELECT max(r) FROM g_fl l WHERE l.course_i = c.i) AS learners,
	(SELECT min(enrolled_at) FROM g_fl l WHERE l.course_i = c.i) AS first_at
FROM bench.courses c
JOIN courses co ON co.id = c.id
JOIN forum_categories k ON k.course_id = c.id AND k.name = 'General'
WHERE c.i <= 10;

DO $$
BEGIN
	IF (SELECT count(*) FROM g_fcat WHERE learners > 0) <> 10 THEN
		RAISE EXCEPTION '77_forums.sql: not every bench course has a '
			'"General" forum category and learners';
	END IF;
END
$$;

-- ---- Threads ----

-- tk: 1..20000 (course i's are (i - 1) * 2000 + 1..2000), the big one
-- 20001.
CREATE TEMP TABLE g_ft AS
SELECT x.tk, x.course_i, uuid_v7() AS id, k.id AS category_id, k.org_id,
	x.user_id, x.t0 AS created_at, x.nrep, x.deleted, false AS big,
	-- replies come within three weeks (or by now), most of them early
	least(now() - x.t0, interval '21 days')
		* (0.2 + 0.8 * pg_temp.u(x.tk, 5)) AS horizon
FROM (SELECT x.*, a.user_id,
		greatest(a.enrolled_at, now() - interval '365 days')
			+ greatest(now() - interval '2 hours' - greatest(a.enrolled_at,
				now() - interval '365 days'), interval '0')
			* pg_temp.u(x.tk, 2) AS t0,
		CASE WHEN pg_temp.u(x.tk, 4) < 0.005 THEN 0
			ELSE floor(31 * pg_temp.u(x.tk, 3) ^ 1.6)::integer END AS nrep,
		pg_temp.u(x.tk, 4) < 0.005 AS deleted
	FROM (SELECT k.i AS course_i, (k.i - 1) * 2000 + t AS tk,
			1 + floor(k.learners * pg_temp.u((k.i - 1) * 2000 + t, 1)
				^ 1.5)::integer AS ar
		FROM g_fcat k, generate_series(1, 2000) t) x
	JOIN g_fl a ON a.course_i = x.course_i AND a.r = x.ar) x
JOIN g_fcat k ON k.i = x.course_i;

INSERT INTO g_ft
SELECT 20001, 1, uuid_v7(), k.id, k.org_id, k.owner_id,
	greatest(k.first_at, now() - interval '365 days') + interval '1 hour',
	10000, false, true, NULL
FROM g_fcat k WHERE k.i = 1;
CREATE UNIQUE INDEX ON g_ft (tk);
ANALYZE g_ft;

-- ---- Replies ----

-- Reply j of thread tk (its number: the times grow with j); rk its key.
CREATE TEMP TABLE g_fr AS
SELECT t.tk, t.course_i, j AS num, t.tk::bigint * 100000 + j AS rk,
	uuid_v7() AS id,
	CASE WHEN t.big
		THEN t.created_at + (now() - interval '1 hour' - t.created_at)
			* ((j - 1 + pg_temp.u(t.tk::bigint * 100000 + j, 1)) / t.nrep)
		ELSE t.created_at + t.horizon
			* ((j - 1 + pg_temp.u(t.tk::bigint * 100000 + j, 1)) / t.nrep) ^ 2
		END AS created_at
FROM g_ft t CROSS JOIN LATERAL generate_series(1, t.nrep) j;

-- Who wrote it: in a small thread, its author one time in six (after the
-- first reply), else one of the course's learners enrolled by then (the
-- earlier ones more often); in the big one, the course's owner one time
-- in thirty, a chain's two learners taking turns, or anyone.
ALTER TABLE g_fr ADD COLUMN user_id uuid, ADD COLUMN parent_num integer,
	ADD COLUMN deleted_at timestamptz;
UPDATE g_fr r SET
	user_id = CASE
		WHEN NOT t.big AND r.num >= 2 AND pg_temp.u(r.rk, 2) < 0.15
			THEN t.user_id
		WHEN t.big AND pg_temp.chain_at(r.num) > 0
			THEN (SELECT l.user_id FROM g_fl l WHERE l.course_i = 1
				AND l.r = 1 + floor(k.learners * pg_temp.u(
					(r.num - 250) / 487 * 2 + pg_temp.chain_at(r.num) % 2,
					7))::integer)
		WHEN t.big AND pg_temp.u(r.rk, 2) < 0.03 THEN t.user_id
		ELSE (SELECT l.user_id FROM g_fl l WHERE l.course_i = r.course_i
			AND l.r = 1 + floor((SELECT m.r FROM g_fl m
				WHERE m.course_i = r.course_i AND m.enrolled_at <= r.created_at
				ORDER BY m.enrolled_at DESC, m.r DESC LIMIT 1)
				* pg_temp.u(r.rk, 3) ^ 1.5)::integer) END,
	parent_num = CASE
		WHEN r.num = 1 THEN NULL
		WHEN NOT t.big THEN CASE WHEN pg_temp.u(r.rk, 4) < 0.55 THEN NULL
			ELSE r.num - 1 - floor((r.num - 1) * pg_temp.u(r.rk, 5) ^ 2)::integer
			END
		WHEN pg_temp.chain_at(r.num) > 0 THEN r.num - 1
		WHEN pg_temp.u(r.rk, 4) < 0.4 THEN NULL
		-- an earlier reply (recent ones more often); a chain's follower
		-- stands for its chain's start, so chains do not grow deeper
		ELSE (SELECT CASE WHEN pg_temp.chain_at(p) > 0
				THEN p - pg_temp.chain_at(p) ELSE p END
			FROM (SELECT r.num - 1 - floor((r.num - 1)
				* pg_temp.u(r.rk, 5) ^ 1.5)::integer AS p) x) END,
	deleted_at = CASE WHEN pg_temp.u(r.rk, 6) < 0.01
		THEN least(r.created_at + interval '2 hours', now()) END
FROM g_ft t, g_fcat k
WHERE t.tk = r.tk AND k.i = t.course_i;
CREATE UNIQUE INDEX ON g_fr (tk, num);
ANALYZE g_fr;

-- Paths: the numbers from the top of a branch down.
CREATE TEMP TABLE g_fpath AS
WITH RECURSIVE p AS (
	SELECT tk, num, ARRAY[num] AS path FROM g_fr WHERE parent_num IS NULL
	UNION ALL
	SELECT c.tk, c.num, p.path || c.num
	FROM p JOIN g_fr c ON c.tk = p.tk AND c.parent_num = p.num
)
SELECT * FROM p;
CREATE UNIQUE INDEX ON g_fpath (tk, num);

DO $$
BEGIN
	IF (SELECT count(*) FROM g_fpath) <> (SELECT count(*) FROM g_fr)
		OR (SELECT max(cardinality(path)) FROM g_fpath) > 64 THEN
		RAISE EXCEPTION '77_forums.sql: the replies'' paths are wrong';
	END IF;
END
$$;

-- ---- Likes: never one's own, nor of a deleted post ----

CREATE TEMP TABLE g_frl AS
SELECT DISTINCT ON (x.reply_id, l.user_id) x.reply_id, x.org_id, l.user_id,
	least(greatest(x.created_at, l.enrolled_at)
		+ interval '1 hour' * (1 + 200 * pg_temp.u(x.rk * 4 + q, 9)), now())
		AS created_at,
	x.author
FROM (SELECT r.id AS reply_id, k.org_id, r.created_at, r.rk, r.course_i,
		r.user_id AS author,
		CASE WHEN pg_temp.u(r.rk, 7) < 0.25
			THEN 1 + floor(3 * pg_temp.u(r.rk, 8) ^ 2)::integer ELSE 0 END
			AS n
	FROM g_fr r JOIN g_fcat k ON k.i = r.course_i
	WHERE r.deleted_at IS NULL) x
CROSS JOIN LATERAL generate_series(1, x.n) q
JOIN g_fcat k ON k.i = x.course_i
JOIN g_fl l ON l.course_i = x.course_i
	AND l.r = 1 + floor(k.learners * pg_temp.u(x.rk * 4 + q, 10))::integer
WHERE l.user_id <> x.author;

CREATE TEMP TABLE g_ftl AS
SELECT DISTINCT ON (x.id, l.user_id) x.id AS post_id, x.org_id, l.user_id,
	least(greatest(x.created_at, l.enrolled_at)
		+ interval '1 hour' * (1 + 200 * pg_temp.u(x.tk * 64 + q, 9)), now())
		AS created_at,
	x.user_id AS author
FROM (SELECT t.*, CASE WHEN t.deleted THEN 0 WHEN t.big THEN 40
		ELSE floor(6 * pg_temp.u(t.tk, 7) ^ 2.5)::integer END AS n
	FROM g_ft t) x
CROSS JOIN LATERAL generate_series(1, x.n) q
JOIN g_fcat k ON k.i = x.course_i
JOIN g_fl l ON l.course_i = x.course_i
	AND l.r = 1 + floor(k.learners * pg_temp.u(x.tk * 64 + q, 10))::integer
WHERE l.user_id <> x.user_id;

-- ---- The rows ----

ALTER TABLE forum_replies DISABLE TRIGGER forum_replies_place,
	DISABLE TRIGGER forum_replies_count, DISABLE TRIGGER forum_replies_live;
ALTER TABLE forum_posts DISABLE TRIGGER forum_posts_count;
ALTER TABLE forum_post_likes DISABLE TRIGGER forum_post_likes_count;
ALTER TABLE forum_reply_likes DISABLE TRIGGER forum_reply_likes_count;

-- What each thread's and reply's triggers would have counted.
CREATE TEMP TABLE g_ftc AS
SELECT t.tk, count(r.num) FILTER (WHERE r.deleted_at IS NULL) AS replies,
	max(r.created_at) AS last_at,
	(array_agg(r.user_id ORDER BY r.num DESC))[1] AS last_by
FROM g_ft t LEFT JOIN g_fr r ON r.tk = t.tk
GROUP BY t.tk;
CREATE TEMP TABLE g_ftlc AS
SELECT post_id, count(*) AS likes FROM g_ftl GROUP BY post_id;
CREATE TEMP TABLE g_frlc AS
SELECT reply_id, count(*) AS likes FROM g_frl GROUP BY reply_id;

INSERT INTO forum_posts (id, org_id, category_id, user_id, title, body,
	body_html, reply_seq, replies, likes, last_activity_at, last_reply_by,
	pinned_at, deleted_at, created_at)
SELECT t.id, t.org_id, t.category_id, t.user_id, b.title, b.body,
	'<p>' || b.body || E'</p>\n', t.nrep, c.replies, coalesce(l.likes, 0),
	coalesce(c.last_at, t.created_at), c.last_by,
	CASE WHEN t.big THEN t.created_at + interval '10 minutes' END,
	CASE WHEN t.deleted THEN least(t.created_at + interval '1 day', now()) END,
	t.created_at
FROM g_ft t
JOIN g_fcat k ON k.i = t.course_i
JOIN g_ftc c ON c.tk = t.tk
LEFT JOIN g_ftlc l ON l.post_id = t.id
CROSS JOIN LATERAL (SELECT
	CASE WHEN t.big THEN 'Study group: ask anything about ' || k.title
		ELSE pg_temp.ftitle(t.tk) END AS title,
	CASE WHEN t.big THEN 'Welcome! This is the place for any question '
		|| 'about the course, big or small, and for finding others to '
		|| 'study with. ' || pg_temp.ftext(t.tk * 10, 3)
		ELSE pg_temp.ftext(t.tk * 10, 1 + (hashint4(t.tk) & 1023) % 3)
		END AS body) b
ORDER BY t.created_at;

INSERT INTO forum_replies (id, org_id, post_id, parent_reply_id, num, path,
	user_id, body, body_html, likes, deleted_at, created_at)
SELECT r.id, t.org_id, t.id, p.id, r.num, x.path, r.user_id, b.body,
	'<p>' || b.body || E'</p>\n', coalesce(l.likes, 0), r.deleted_at,
	r.created_at
FROM g_fr r
JOIN g_ft t ON t.tk = r.tk
JOIN g_fpath x ON x.tk = r.tk AND x.num = r.num
LEFT JOIN g_fr p ON p.tk = r.tk AND p.num = r.parent_num
LEFT JOIN g_frlc l ON l.reply_id = r.id
CROSS JOIN LATERAL (SELECT pg_temp.ftext(r.rk * 4,
	1 + (hashint8(r.rk) & 1023) % 3) AS body) b
ORDER BY r.created_at;

INSERT INTO forum_post_likes (post_id, user_id, org_id, created_at)
SELECT post_id, user_id, org_id, created_at FROM g_ftl;
INSERT INTO forum_reply_likes (reply_id, user_id, org_id, created_at)
SELECT reply_id, user_id, org_id, created_at FROM g_frl;

ALTER TABLE forum_replies ENABLE TRIGGER forum_replies_place,
	ENABLE TRIGGER forum_replies_count, ENABLE TRIGGER forum_replies_live;
ALTER TABLE forum_posts ENABLE TRIGGER forum_posts_count;
ALTER TABLE forum_post_likes ENABLE TRIGGER forum_post_likes_count;
ALTER TABLE forum_reply_likes ENABLE TRIGGER forum_reply_likes_count;

-- ---- What the app's writes leave around them ----

-- The author of a thread and each replier watch it; a replier has read it
-- up to their last reply.
INSERT INTO forum_watches (user_id, org_id, post_id, watching, created_at)
SELECT user_id, org_id, post_id, true, min(created_at)
FROM (SELECT t.user_id, t.org_id, t.id AS post_id, t.created_at FROM g_ft t
	UNION ALL
	SELECT r.user_id, t.org_id, t.id, r.created_at
	FROM g_fr r JOIN g_ft t ON t.tk = r.tk) x
GROUP BY user_id, org_id, post_id;

INSERT INTO forum_reads (user_id, post_id, org_id, last_n, read_at)
SELECT r.user_id, t.id, t.org_id, max(r.num), max(r.created_at)
FROM g_fr r JOIN g_ft t ON t.tk = r.tk
GROUP BY r.user_id, t.id, t.org_id;

UPDATE forum_categories k SET threads = k.threads + x.n
FROM (SELECT category_id, count(*) AS n FROM g_ft WHERE NOT deleted
	GROUP BY category_id) x
WHERE k.id = x.category_id;

-- Each member's counters, as forum_member_add keeps them (a deleted post
-- counts no more; its likes stay given and received).
INSERT INTO forum_members AS m (user_id, org_id, threads, replies,
	likes_given, likes_received)
SELECT x.user_id, u.org_id, sum(x.threads), sum(x.replies), sum(x.given),
	sum(x.received)
FROM (SELECT user_id, (NOT deleted)::integer AS threads, 0 AS replies,
		0 AS given, 0 AS received FROM g_ft
	UNION ALL
	SELECT user_id, 0, (deleted_at IS NULL)::integer, 0, 0 FROM g_fr
	UNION ALL
	SELECT user_id, 0, 0, 1, 0 FROM g_ftl
	UNION ALL
	SELECT author, 0, 0, 0, 1 FROM g_ftl
	UNION ALL
	SELECT user_id, 0, 0, 1, 0 FROM g_frl
	UNION ALL
	SELECT author, 0, 0, 0, 1 FROM g_frl) x
JOIN users u ON u.id = x.user_id
GROUP BY x.user_id, u.org_id
ON CONFLICT (user_id) DO UPDATE SET threads = m.threads + excluded.threads,
	replies = m.replies + excluded.replies,
	likes_given = m.likes_given + excluded.likes_given,
	likes_received = m.likes_received + excluded.likes_received;

-- The counts, checked against the rows.
DO $$
DECLARE
	bad bigint;
BEGIN
	SELECT count(*) INTO bad
	FROM forum_posts t JOIN g_ft g ON g.id = t.id
	WHERE t.reply_seq <> (SELECT coalesce(max(num), 0) FROM forum_replies r
			WHERE r.post_id = t.id)
		OR t.replies <> (SELECT count(*) FROM forum_replies r
			WHERE r.post_id = t.id AND r.deleted_at IS NULL
				AND r.hidden_at IS NULL)
		OR t.likes <> (SELECT count(*) FROM forum_post_likes l
			WHERE l.post_id = t.id);
	IF bad > 0 THEN
		RAISE EXCEPTION '77_forums.sql: % threads with wrong counts', bad;
	END IF;
	IF EXISTS (SELECT 1 FROM forum_categories k JOIN g_fcat g ON g.id = k.id
		WHERE k.threads <> (SELECT count(*) FROM forum_posts t
			WHERE t.category_id = k.id AND t.deleted_at IS NULL)) THEN
		RAISE EXCEPTION '77_forums.sql: a category''s threads are wrong';
	END IF;
END
$$;

-- ---- For the drivers ----

CREATE TABLE bench.forum_categories (i integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO bench.forum_categories SELECT i, id FROM g_fcat;

CREATE TABLE bench.forum_pages (i integer, p integer, after uuid NOT NULL,
	PRIMARY KEY (i, p));
INSERT INTO bench.forum_pages
SELECT i, n / 30, id
FROM (SELECT k.i, t.id, row_number() OVER (PARTITION BY k.i
		ORDER BY t.pinned_at IS NOT NULL DESC, t.last_activity_at DESC,
			t.id DESC) AS n
	FROM g_fcat k JOIN forum_posts t ON t.category_id = k.id
	WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL) x
WHERE n % 30 = 0 AND n <= 300;

CREATE TABLE bench.forum_big (id uuid PRIMARY KEY, reply_seq integer NOT NULL);
INSERT INTO bench.forum_big SELECT id, nrep FROM g_ft WHERE big;

COMMIT;
