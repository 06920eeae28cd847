/*
 * routes.c - the content route table.
 */
#include "content/api.h"

#define J ROUTE_JSON_BODY

const struct route content_routes[] = {
	{"GET", "/api/v1/exams", exams_list, 0, PERM_LEARN, "exams", "Exam "
	    "tracks with their domains and weights"},
	{"GET", "/api/v1/exams/{id}/objectives", exam_objectives, 0, PERM_LEARN,
	    "exams", "An exam's domains and objectives (id or code)"},

	{"GET", "/api/v1/courses", courses_list, 0, PERM_LEARN, "courses",
	    "The catalog: ?exam=, domain, kind, difficulty, tag, language, "
	    "status, after, limit"},
	{"POST", "/api/v1/courses", course_create, J, PERM_COURSE_AUTHOR,
	    "courses", "Create a course (a draft)"},
	{"GET", "/api/v1/courses/{id}", course_get, 0, PERM_LEARN, "courses",
	    "A course, its outline and my state in each lesson (ETag)"},
	{"PATCH", "/api/v1/courses/{id}", course_patch, J, PERM_COURSE_AUTHOR,
	    "courses", "Change a course (If-Match)"},
	{"DELETE", "/api/v1/courses/{id}", course_delete, 0, PERM_COURSE_AUTHOR,
	    "courses", "Delete a course (soft)"},
	{"POST", "/api/v1/courses/{id}/restore", course_restore, 0,
	    PERM_COURSE_AUTHOR, "courses", "Restore a deleted course"},
	{"POST", "/api/v1/courses/{id}/publish", course_publish, 0,
	    PERM_COURSE_AUTHOR, "courses", "Publish a course"},
	{"POST", "/api/v1/courses/{id}/unpublish", course_unpublish, 0,
	    PERM_COURSE_AUTHOR, "courses", "Take a course back to draft"},
	{"POST", "/api/v1/courses/{id}/collaborators", course_collaborator_add,
	    J, PERM_COURSE_AUTHOR, "courses", "Add an instructor of the "
	    "organization to the course, or change their role: user_id or "
	    "login (username or email), role (editor, the default, or "
	    "reviewer)"},
	{"DELETE", "/api/v1/courses/{id}/collaborators/{user_id}",
	    course_collaborator_remove, 0, PERM_COURSE_AUTHOR, "courses",
	    "Remove a collaborator"},
	{"POST", "/api/v1/courses/{id}/units", unit_create, J,
	    PERM_COURSE_AUTHOR, "courses", "Add a unit at the end of the "
	    "course"},
	{"PUT", "/api/v1/courses/{id}/units/order", units_order, J,
	    PERM_COURSE_AUTHOR, "courses", "Reorder the course's units: "
	    "{\"ids\": [...]}"},
	{"POST", "/api/v1/courses/{id}/enroll", course_enroll, 0, PERM_LEARN,
	    "learning", "Enroll in a published course"},
	{"DELETE", "/api/v1/courses/{id}/enroll", course_unenroll, 0,
	    PERM_LEARN, "learning", "Leave a course (progress is kept)"},

	{"PATCH", "/api/v1/units/{id}", unit_patch, J, PERM_COURSE_AUTHOR,
	    "courses", "Change a unit"},
	{"DELETE", "/api/v1/units/{id}", unit_delete, 0, PERM_COURSE_AUTHOR,
	    "courses", "Delete a unit and its lessons (soft)"},
	{"POST", "/api/v1/units/{id}/lessons", lesson_create, J,
	    PERM_COURSE_AUTHOR, "courses", "Add a lesson at the end of the "
	    "unit"},
	{"PUT", "/api/v1/units/{id}/lessons/order", lessons_order, J,
	    PERM_COURSE_AUTHOR, "courses", "Reorder the unit's lessons: "
	    "{\"ids\": [...]}"},

	{"POST", "/api/v1/lessons/preview", lesson_preview, J,
	    PERM_COURSE_AUTHOR, "courses", "Render Markdown as a lesson's "
	    "content would be (nothing is saved): {\"markdown\"} to "
	    "{\"html\"}"},
	{"GET", "/api/v1/lessons/{id}", lesson_get, 0, PERM_LEARN, "courses",
	    "A lesson with its content, my progress and bookmark (ETag)"},
	{"PATCH", "/api/v1/lessons/{id}", lesson_patch, J, PERM_COURSE_AUTHOR,
	    "courses", "Change a lesson (If-Match); the old version is kept"},
	{"DELETE", "/api/v1/lessons/{id}", lesson_delete, 0, PERM_COURSE_AUTHOR,
	    "courses", "Delete a lesson (soft)"},
	{"POST", "/api/v1/lessons/{id}/restore", lesson_restore, 0,
	    PERM_COURSE_AUTHOR, "courses", "Restore a deleted lesson"},
	{"POST", "/api/v1/lessons/{id}/publish", lesson_publish, 0,
	    PERM_COURSE_AUTHOR, "courses", "Publish a lesson"},
	{"POST", "/api/v1/lessons/{id}/unpublish", lesson_unpublish, 0,
	    PERM_COURSE_AUTHOR, "courses", "Take a lesson back to draft"},
	{"POST", "/api/v1/lessons/{id}/suggestions", suggestion_create, J,
	    PERM_LEARN, "community", "Suggest an edit of a lesson of a course I "
	    "take: markdown, note, base_version (the version I read)"},
	{"GET", "/api/v1/lessons/{id}/suggestions", suggestions_list, 0,
	    PERM_LEARN, "community", "A lesson's suggested edits (its authors: "
	    "all; a learner: mine): ?status="},
	{"GET", "/api/v1/suggestions/{id}", suggestion_get, 0, PERM_LEARN,
	    "community", "A suggested edit with the lesson's text at its base "
	    "version and now, for a diff"},
	{"DELETE", "/api/v1/suggestions/{id}", suggestion_withdraw, 0,
	    PERM_LEARN, "community", "Withdraw my waiting suggestion"},
	{"POST", "/api/v1/suggestions/{id}/accept", suggestion_accept, J,
	    PERM_COURSE_AUTHOR, "community", "Accept a suggested edit: a new "
	    "version of the lesson (409 when the lesson changed since, unless "
	    "merged: markdown, lesson_version)"},
	{"POST", "/api/v1/suggestions/{id}/reject", suggestion_reject, J,
	    PERM_COURSE_AUTHOR, "community", "Reject a suggested edit, saying "
	    "why: {\"reason\"}"},
	{"GET", "/api/v1/lessons/{id}/versions", lesson_versions, 0,
	    PERM_COURSE_AUTHOR, "courses", "A lesson's earlier versions"},
	{"POST", "/api/v1/lessons/{id}/versions/{version}/restore",
	    lesson_version_restore, 0, PERM_COURSE_AUTHOR, "courses", "Bring "
	    "back an earlier version of a lesson"},
	{"PUT", "/api/v1/lessons/{id}/prerequisites", lesson_prerequisites, J,
	    PERM_COURSE_AUTHOR, "courses", "Set the lessons to complete first: "
	    "{\"lesson_ids\": [...]}"},
	{"POST", "/api/v1/lessons/{id}/progress", lesson_progress, J,
	    PERM_LEARN, "learning", "Save my progress: progress_percent, "
	    "last_position"},
	{"POST", "/api/v1/lessons/{id}/complete", lesson_complete, 0,
	    PERM_LEARN, "learning", "Complete the lesson (counts once)"},
	{"POST", "/api/v1/lessons/{id}/sessions", lesson_session_start, 0,
	    PERM_LEARN, "learning", "Start or resume a learning session on the "
	    "lesson"},
	{"PUT", "/api/v1/lessons/{id}/bookmark", bookmark_put, J, PERM_LEARN,
	    "learning", "Bookmark the lesson, with a note"},
	{"DELETE", "/api/v1/lessons/{id}/bookmark", bookmark_delete, 0,
	    PERM_LEARN, "learning", "Remove the bookmark"},

	{"POST", "/api/v1/learning-sessions/{id}/heartbeat", session_heartbeat,
	    0, PERM_LEARN, "learning", "Still studying: credits the time since "
	    "the last"},
	{"POST", "/api/v1/learning-sessions/{id}/end", session_end, 0,
	    PERM_LEARN, "learning", "Stop studying"},
	{"GET", "/api/v1/me/bookmarks", bookmarks_list, 0, PERM_LEARN,
	    "learning", "My bookmarks: ?after=, limit"},
	{"GET", "/api/v1/search", content_search, 0, PERM_LEARN, "courses",
	    "Search courses and lessons: ?q=, limit"},

	{"GET", "/api/v1/paths", paths_list, 0, PERM_LEARN, "paths", "Learning "
	    "paths: published ones, and my drafts"},
	{"POST", "/api/v1/paths", path_create, J, PERM_COURSE_AUTHOR, "paths",
	    "Create a learning path"},
	{"GET", "/api/v1/paths/{id}", path_get, 0, PERM_LEARN, "paths", "A "
	    "learning path with its courses in order and my progress"},
	{"PATCH", "/api/v1/paths/{id}", path_patch, J, PERM_COURSE_AUTHOR,
	    "paths", "Change a learning path"},
	{"DELETE", "/api/v1/paths/{id}", path_delete, 0, PERM_COURSE_AUTHOR,
	    "paths", "Delete a learning path (soft)"},
	{"PUT", "/api/v1/paths/{id}/courses", path_courses, J,
	    PERM_COURSE_AUTHOR, "paths", "Set the path's courses in order: "
	    "{\"course_ids\": [...]}"},
};
const size_t content_routes_count =
    sizeof(content_routes) / sizeof(content_routes[0]);
