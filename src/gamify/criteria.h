/*
 * criteria.h - achievement criteria: what each one asks for and how far a
 * learner is toward it.  Pure code, unit-tested in
 * tests/unit/test_criteria.c.
 *
 * A criteria object names its type and its target:
 *
 *	{"type": "quiz_completed", "count": 10}       finished attempts
 *	{"type": "perfect_quiz", "count": 1}          attempts at 100 %
 *	{"type": "high_score_quiz", "count": 5}       attempts at 90 % or more
 *	{"type": "correct_answers", "count": 100}     questions answered right
 *	{"type": "study_streak", "days": 7}           longest streak, in days
 *	{"type": "level_reached", "level": 5}
 *	{"type": "exam_specific", "exam": "network", "count": 3}
 *	                                              finished attempts at that
 *	                                              exam's assessments
 *	{"type": "lessons_completed", "count": 10}    seed 000's components
 *	{"type": "study_time", "minutes": 600}        time studied
 *	{"type": "flashcard_reviews", "count": 100}   flashcard reviews (undone
 *	                                              ones left out)
 *	{"type": "domain_mastery", "exam": "network", "domain": "1.0",
 *	 "percent": 80, "questions": 20}              at least `questions`
 *	                                              answered in the domain,
 *	                                              `percent` of them right
 *
 * Targets are whole numbers from 1 to 1,000,000 (percent 1..100); nothing
 * else may be in the object.
 *
 * A learner's numbers come from the database as one JSON object:
 *
 *	{"quizzes": 12, "perfect": 1, "high": 4, "correct": 230,
 *	 "longest_streak": 9, "level": 4, "lessons": 11, "study_seconds": 40000,
 *	 "reviews": 350, "likes_received": 12, "accepted_answers": 2,
 *	 "exams": {"network": 7},
 *	 "domains": {"network 1.0": {"answered": 40, "correct": 33}}}
 *
 * (a missing number counts as 0).
 */
#ifndef LUDUS_GAMIFY_CRITERIA_H
#define LUDUS_GAMIFY_CRITERIA_H

#include <stdbool.h>

#include <jansson.h>

/* NULL when criteria is well formed, else why not. */
const char *criteria_check(const json_t *criteria);

/*
 * How far stats are toward criteria: *have of *need (have is capped at
 * need; for domain_mastery, need is the questions to answer and have
 * counts only while the share right is high enough... see criteria.c).
 * Returns true when the criteria are met.  Malformed criteria are never
 * met (0 of 1).
 */
bool criteria_progress(const json_t *criteria, const json_t *stats,
    long *have, long *need);

#endif
