-- Demo avatars and achievements (seed 003): 18 avatars in four rarities
-- and 27 achievements in nine categories.  Both are install-wide
-- definitions, not owned by an organization.  Idempotent: a code that
-- exists is left as it is.
--
-- Common avatars belong to everybody (is_default); each of the other 15 is
-- unlocked by exactly one achievement (achievements.avatar_id): rare ones
-- by easy achievements, epic ones by mid-tier achievements and legendary
-- ones by the hardest.  Criteria objects follow src/gamify/criteria.h.

-- ---- Avatars ----

INSERT INTO avatars (code, name, description, image_url, rarity, is_default,
	display_order)
SELECT v.code, v.name, v.description, '/avatars/' || v.code || '.svg',
	v.rarity, v.rarity = 'common', v.position
FROM (VALUES
	-- common: everybody's from the start
	('packet-courier', 'Packet Courier',
	 'A cheerful runner who carries your sealed envelope from hop to hop and never peeks inside.',
	 'common', 1),
	('patch-panel-owl', 'Patch-Panel Owl',
	 'A wide-eyed owl who knows which port goes where and labels every cable twice.',
	 'common', 2),
	('terminal-cat', 'Terminal Cat',
	 'A sleepy cat who naps on warm keyboards and only wakes up for a blinking cursor.',
	 'common', 3),
	-- rare: easy achievements
	('parity-parrot', 'Parity Parrot',
	 'A bright parrot who repeats every bit back exactly as it heard it, without a single error.',
	 'rare', 4),
	('ping-pigeon', 'Ping Pigeon',
	 'A homing pigeon who flies out every day and always comes back with an echo reply.',
	 'rare', 5),
	('cable-crab', 'Cable Crab',
	 'A tidy crab who crimps RJ45 ends with its claws and keeps to the T568B pinout.',
	 'rare', 6),
	-- epic: mid-tier achievements
	('lossless-lynx', 'Lossless Lynx',
	 'A keen-eyed lynx who has never dropped a frame and never will.',
	 'epic', 7),
	('subnet-squirrel', 'Subnet Squirrel',
	 'A busy squirrel who stores addresses for winter in neat /26 caches.',
	 'epic', 8),
	('steady-state-tortoise', 'Steady-State Tortoise',
	 'A patient tortoise with an uptime counter nobody has seen reset.',
	 'epic', 9),
	('backbone-bear', 'Backbone Bear',
	 'A strong bear who carries the whole campus backbone on its shoulders.',
	 'epic', 10),
	('dimm-ram', 'DIMM Ram',
	 'A sturdy ram whose curled horns are two sticks of dual-channel memory.',
	 'epic', 11),
	('registry-raccoon', 'Registry Raccoon',
	 'A curious raccoon who rummages through the registry and leaves it cleaner than it found it.',
	 'epic', 12),
	('firewall-fox', 'Firewall Fox',
	 'A clever fox who checks every packet at the gate and denies anything not explicitly allowed.',
	 'epic', 13),
	-- legendary: the hardest achievements
	('fiber-kraken', 'Fiber Kraken',
	 'A deep-sea giant whose single-mode tentacles carry the world''s traffic across the ocean floor.',
	 'legendary', 14),
	('traceroute-rex', 'Traceroute Rex',
	 'An ancient tyrant lizard who follows every hop until it finds the root cause.',
	 'legendary', 15),
	('gigabit-griffin', 'Gigabit Griffin',
	 'Half eagle, half lion, and fast enough to move a billion bits before you blink.',
	 'legendary', 16),
	('uptime-phoenix', 'Uptime Phoenix',
	 'A fiery bird who reboots from its own ashes and still reports five nines.',
	 'legendary', 17),
	('root-bridge-dragon', 'Root Bridge Dragon',
	 'The elder dragon elected root of every spanning tree it has ever flown over.',
	 'legendary', 18)
) AS v (code, name, description, rarity, position)
ON CONFLICT (code) DO NOTHING;

-- ---- Achievements ----

INSERT INTO achievements (code, name, description, category, criteria,
	xp_reward, avatar_id, display_order, is_hidden)
SELECT v.code, v.name, v.description, v.category, v.criteria::jsonb,
	v.xp, (SELECT a.id FROM avatars a WHERE a.code = v.avatar),
	v.position, v.hidden
FROM (VALUES
	-- Getting Started
	('first-lesson', 'Hello, World', 'Complete your first lesson.',
	 'Getting Started', '{"type": "lessons_completed", "count": 1}',
	 10, NULL, 1, false),
	('first-quiz', 'First Handshake',
	 'Finish your first quiz, practice exam or exam simulation.',
	 'Getting Started', '{"type": "quiz_completed", "count": 1}',
	 10, NULL, 2, false),
	('first-hour', 'Warm Boot', 'Spend your first hour studying.',
	 'Getting Started', '{"type": "study_time", "minutes": 60}',
	 25, NULL, 3, false),
	-- Accuracy
	('perfect-quiz-1', 'Zero Packet Loss',
	 'Score 100 % on a quiz.',
	 'Accuracy', '{"type": "perfect_quiz", "count": 1}',
	 50, 'parity-parrot', 4, false),
	('high-score-5', 'Five Nines',
	 'Score 90 % or more on five quizzes.',
	 'Accuracy', '{"type": "high_score_quiz", "count": 5}',
	 75, NULL, 5, false),
	('perfect-quiz-5', 'Lossless Link',
	 'Score 100 % on five quizzes.',
	 'Accuracy', '{"type": "perfect_quiz", "count": 5}',
	 200, 'lossless-lynx', 6, true),
	('high-score-25', 'Clean Signal',
	 'Score 90 % or more on twenty-five quizzes.',
	 'Accuracy', '{"type": "high_score_quiz", "count": 25}',
	 400, 'fiber-kraken', 7, false),
	-- Question Milestones
	('correct-10', '10BASE-T', 'Answer ten questions correctly.',
	 'Question Milestones', '{"type": "correct_answers", "count": 10}',
	 20, NULL, 8, false),
	('correct-100', 'Fast Ethernet', 'Answer a hundred questions correctly.',
	 'Question Milestones', '{"type": "correct_answers", "count": 100}',
	 75, NULL, 9, false),
	('correct-500', 'Half a Gig',
	 'Answer five hundred questions correctly.',
	 'Question Milestones', '{"type": "correct_answers", "count": 500}',
	 200, 'subnet-squirrel', 10, false),
	('correct-1000', 'Gigabit', 'Answer a thousand questions correctly.',
	 'Question Milestones', '{"type": "correct_answers", "count": 1000}',
	 400, 'gigabit-griffin', 11, false),
	-- Study Streaks
	('streak-3', 'Keepalive', 'Study three days in a row.',
	 'Study Streaks', '{"type": "study_streak", "days": 3}',
	 25, NULL, 12, false),
	('streak-7', 'Week of Uptime', 'Study seven days in a row.',
	 'Study Streaks', '{"type": "study_streak", "days": 7}',
	 75, 'ping-pigeon', 13, false),
	('streak-14', 'Persistent Connection',
	 'Study fourteen days in a row.',
	 'Study Streaks', '{"type": "study_streak", "days": 14}',
	 150, 'steady-state-tortoise', 14, false),
	('streak-30', 'Always On', 'Study thirty days in a row.',
	 'Study Streaks', '{"type": "study_streak", "days": 30}',
	 400, 'uptime-phoenix', 15, false),
	-- A+ Core 1
	('a1101-first', 'Bench Tech',
	 'Finish your first A+ Core 1 quiz or practice exam.',
	 'A+ Core 1', '{"type": "exam_specific", "exam": "a1101", "count": 1}',
	 25, NULL, 16, false),
	('a1101-10', 'Hardware Whisperer',
	 'Finish ten A+ Core 1 quizzes or practice exams.',
	 'A+ Core 1', '{"type": "exam_specific", "exam": "a1101", "count": 10}',
	 150, 'dimm-ram', 17, false),
	-- A+ Core 2
	('a1102-first', 'Clean Install',
	 'Finish your first A+ Core 2 quiz or practice exam.',
	 'A+ Core 2', '{"type": "exam_specific", "exam": "a1102", "count": 1}',
	 25, NULL, 18, false),
	('a1102-10', 'Ticket Closer',
	 'Finish ten A+ Core 2 quizzes or practice exams.',
	 'A+ Core 2', '{"type": "exam_specific", "exam": "a1102", "count": 10}',
	 150, 'registry-raccoon', 19, false),
	-- Network+
	('network-5', 'Packet Pusher',
	 'Finish five Network+ quizzes or practice exams.',
	 'Network+', '{"type": "exam_specific", "exam": "network", "count": 5}',
	 75, NULL, 20, false),
	('network-troubleshooting-mastery', 'Root Cause Found',
	 'Answer a hundred Network+ troubleshooting (domain 5.0) questions with at least 85 % of them right.',
	 'Network+',
	 '{"type": "domain_mastery", "exam": "network", "domain": "5.0", "percent": 85, "questions": 100}',
	 300, 'traceroute-rex', 21, true),
	-- Security+
	('security-first', 'Threat Model',
	 'Finish your first Security+ quiz or practice exam.',
	 'Security+', '{"type": "exam_specific", "exam": "security", "count": 1}',
	 25, NULL, 22, false),
	('security-10', 'Defense in Depth',
	 'Finish ten Security+ quizzes or practice exams.',
	 'Security+', '{"type": "exam_specific", "exam": "security", "count": 10}',
	 150, 'firewall-fox', 23, false),
	-- Levels
	('level-5', 'Link Up', 'Reach level 5.',
	 'Levels', '{"type": "level_reached", "level": 5}',
	 50, 'cable-crab', 24, false),
	('level-10', 'Routed', 'Reach level 10.',
	 'Levels', '{"type": "level_reached", "level": 10}',
	 100, NULL, 25, false),
	('level-20', 'Backbone', 'Reach level 20.',
	 'Levels', '{"type": "level_reached", "level": 20}',
	 250, 'backbone-bear', 26, false),
	('level-50', 'Root Bridge', 'Reach level 50.',
	 'Levels', '{"type": "level_reached", "level": 50}',
	 500, 'root-bridge-dragon', 27, true),
	-- Flashcards
	('reviews-100', 'Spaced Out', 'Review 100 flashcards.',
	 'Flashcards', '{"type": "flashcard_reviews", "count": 100}',
	 25, NULL, 28, false),
	('reviews-1000', 'Long-Term Memory', 'Review 1,000 flashcards.',
	 'Flashcards', '{"type": "flashcard_reviews", "count": 1000}',
	 100, NULL, 29, false),
	-- Forums
	('answer-accepted', 'Helping Hand', 'Have a reply accepted as the '
	 'answer to a question in a forum.',
	 'Community', '{"type": "accepted_answers", "count": 1}',
	 25, NULL, 30, false),
	('likes-25', 'Well Received', 'Receive 25 likes on your forum posts.',
	 'Community', '{"type": "likes_received", "count": 25}',
	 50, NULL, 31, false)
) AS v (code, name, description, category, criteria, xp, avatar, position,
	hidden)
ON CONFLICT (code) DO NOTHING;
