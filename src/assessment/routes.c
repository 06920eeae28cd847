/*
 * routes.c - the assessment route table.
 */
#include "assessment/api.h"

#define J ROUTE_JSON_BODY

const struct route assessment_routes[] = {
	{"GET", "/api/v1/questions", questions_list, 0, PERM_QUESTION_MANAGE,
	    "questions", "The question bank: ?exam=, domain, objective, type, "
	    "status, difficulty, tag, q, mine, deleted, after, limit"},
	{"POST", "/api/v1/questions", question_create, J, PERM_QUESTION_MANAGE,
	    "questions", "Write a question (docs/questions.md); a draft unless "
	    "status says"},
	{"POST", "/api/v1/questions/import", questions_import, 0,
	    PERM_QUESTION_MANAGE, "questions", "Import a CSV, GIFT or Aiken "
	    "file sent as the body: ?format=, exam, status, dry_run"},
	{"GET", "/api/v1/questions/stats", questions_stats, 0,
	    PERM_QUESTION_MANAGE, "questions", "Statistics of the bank's "
	    "questions, the doubtful first: ?exam=, flagged, mine, limit"},
	{"GET", "/api/v1/questions/{id}", question_get, 0, PERM_QUESTION_MANAGE,
	    "questions", "A question with its answers and explanations (ETag)"},
	{"PATCH", "/api/v1/questions/{id}", question_patch, J,
	    PERM_QUESTION_MANAGE, "questions", "Change a question (If-Match); "
	    "its author or an admin"},
	{"DELETE", "/api/v1/questions/{id}", question_delete, 0,
	    PERM_QUESTION_MANAGE, "questions", "Delete a question (soft)"},
	{"POST", "/api/v1/questions/{id}/restore", question_restore, 0,
	    PERM_QUESTION_MANAGE, "questions", "Restore a deleted question"},
	{"GET", "/api/v1/questions/{id}/stats", question_stats, 0,
	    PERM_QUESTION_MANAGE, "questions", "How a question did: share "
	    "correct, discrimination, time, option choices, flags"},

	{"GET", "/api/v1/assessments", assessments_list, 0, PERM_LEARN,
	    "assessments", "Quizzes, practice exams and simulations: ?exam=, "
	    "kind, lesson, status, after, limit"},
	{"POST", "/api/v1/assessments", assessment_create, J,
	    PERM_QUESTION_MANAGE, "assessments", "Create an assessment (a "
	    "draft unless status says)"},
	{"GET", "/api/v1/assessments/{id}", assessment_get, 0, PERM_LEARN,
	    "assessments", "An assessment and my attempts at it (ETag)"},
	{"PATCH", "/api/v1/assessments/{id}", assessment_patch, J,
	    PERM_QUESTION_MANAGE, "assessments", "Change an assessment "
	    "(If-Match)"},
	{"DELETE", "/api/v1/assessments/{id}", assessment_delete, 0,
	    PERM_QUESTION_MANAGE, "assessments", "Delete an assessment (soft)"},
	{"POST", "/api/v1/assessments/{id}/restore", assessment_restore, 0,
	    PERM_QUESTION_MANAGE, "assessments", "Restore a deleted "
	    "assessment"},
	{"GET", "/api/v1/assessments/{id}/results", assessment_results, 0,
	    PERM_QUESTION_MANAGE, "assessments", "Its author's or an admin's "
	    "view: learners' finished attempts and a summary: ?limit="},
	{"PUT", "/api/v1/assessments/{id}/questions", assessment_questions, J,
	    PERM_QUESTION_MANAGE, "assessments", "Set the fixed questions: "
	    "{\"questions\": [{\"question_id\", \"points\"}]}"},
	{"POST", "/api/v1/assessments/{id}/attempts", attempt_start, 0,
	    PERM_LEARN, "attempts", "Start an attempt (or carry on with the "
	    "open one)"},

	{"GET", "/api/v1/attempts/{id}", attempt_get, 0, PERM_LEARN, "attempts",
	    "My attempt: its questions, my answers; the review once finished"},
	{"PUT", "/api/v1/attempts/{id}/answers/{question_id}", attempt_answer,
	    J, PERM_LEARN, "attempts", "Save, change or clear an answer; flag "
	    "the question"},
	{"POST", "/api/v1/attempts/{id}/submit", attempt_submit, 0, PERM_LEARN,
	    "attempts", "Submit: score it (only the first submit counts)"},
	{"GET", "/api/v1/me/attempts", my_attempts, 0, PERM_LEARN, "attempts",
	    "My attempts, newest first: ?assessment=, exam, after, limit"},
	{"GET", "/api/v1/me/attempts/trends", my_trends, 0, PERM_LEARN,
	    "attempts", "My percentage by domain over my last attempts: ?exam= "
	    "(default: the exam of my latest attempt)"},
};
const size_t assessment_routes_count =
    sizeof(assessment_routes) / sizeof(assessment_routes[0]);
