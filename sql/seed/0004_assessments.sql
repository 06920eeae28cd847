-- Demo assessments over the Network+ question bank (0003_questions.csv):
-- one quiz per domain, drawn at random from the domain's questions with
-- feedback after each answer, and a full exam simulation in the CompTIA
-- style: 90 questions in 90 minutes, drawn by domain weight and scored on
-- the 100-900 scale.  The security quiz and the troubleshooting practice
-- exam are also the course's quiz and practice-exam lessons: passing them
-- completes those lessons.
--
-- Ids: 4e700009-0000-4000-8000-0000000009NN.

INSERT INTO assessments (id, org_id, owner_id, kind, title, description,
	exam_id, lesson_id, selection, rules, question_count, time_limit_seconds,
	passing_percent, feedback, partial_credit, status, published_at)
SELECT v.id::uuid, u.org_id, u.id, v.kind, v.title, v.description, e.id,
	v.lesson_id::uuid, 'rules', v.rules::jsonb, v.n, v.seconds, v.pass,
	v.feedback, v.kind <> 'exam_simulation', 'published', now()
FROM users u
JOIN organizations o ON o.id = u.org_id AND o.is_default
JOIN exams e ON e.code = 'network'
CROSS JOIN (VALUES
	('4e700009-0000-4000-8000-000000000901', 'quiz',
	 'Quiz: 1.0 Networking Concepts',
	 'Ten questions on the OSI model, ports and protocols, addressing, cabling and topologies, with an explanation after each answer.',
	 NULL, '{"domains": [{"code": "1.0", "count": 10}]}', 10, NULL, 70.0,
	 'immediate'),
	('4e700009-0000-4000-8000-000000000902', 'quiz',
	 'Quiz: 2.0 Network Implementation',
	 'Ten questions on routing, switching, wireless and the physical installation.',
	 NULL, '{"domains": [{"code": "2.0", "count": 10}]}', 10, NULL, 70.0,
	 'immediate'),
	('4e700009-0000-4000-8000-000000000903', 'quiz',
	 'Quiz: 3.0 Network Operations',
	 'Ten questions on documentation, monitoring, disaster recovery and network services.',
	 NULL, '{"domains": [{"code": "3.0", "count": 10}]}', 10, NULL, 70.0,
	 'immediate'),
	('4e700009-0000-4000-8000-000000000904', 'quiz',
	 'Quiz: 4.0 Network Security',
	 'Ten questions on security concepts, attacks and defenses. Passing it completes the course''s security quiz.',
	 '4e700009-0000-4000-8000-000000000403',
	 '{"domains": [{"code": "4.0", "count": 10}]}', 10, NULL, 70.0,
	 'immediate'),
	('4e700009-0000-4000-8000-000000000905', 'practice_exam',
	 'Practice exam: 5.0 Network Troubleshooting',
	 'Fifteen timed questions on the methodology, cabling, services and tools; results at the end.',
	 '4e700009-0000-4000-8000-000000000503',
	 '{"domains": [{"code": "5.0", "count": 15}]}', 15, 1200, 75.0, 'end'),
	('4e700009-0000-4000-8000-000000000909', 'exam_simulation',
	 'Network+ N10-009 exam simulation',
	 '90 questions in 90 minutes drawn by the exam''s domain weights, scored from 100 to 900; 720 passes.',
	 NULL, '{}', 90, 5400, 77.5, 'end')
) AS v (id, kind, title, description, lesson_id, rules, n, seconds, pass,
	feedback)
WHERE u.email = 'instructor@network.test'
ON CONFLICT DO NOTHING;
