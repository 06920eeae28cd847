/*
 * routes.c - the study-material route table.
 */
#include "materials/api.h"

#define J ROUTE_JSON_BODY
#define M "/api/v1/materials"
#define A "/api/v1/assets"
#define S "/api/v1/study-sessions"

const struct route material_routes[] = {
	{"GET", M, mat_list, 0, PERM_LEARN, "materials", "My materials and "
	    "those of the courses I write, newest first: ?q, status, tag, "
	    "subject, course, after, limit"},
	{"POST", M, mat_create, J, PERM_LEARN, "materials", "Add a material "
	    "from pasted text (text, media_type) or a URL (url): title, "
	    "description, subject_area, tags, difficulty_level, course_id, "
	    "generate; processed by a job (202)"},
	{"POST", M "/upload", mat_upload, ROUTE_UPLOAD, PERM_LEARN,
	    "materials", "Add a material from a file as the body (Content-Type "
	    "text/plain, text/markdown, text/html or application/pdf): "
	    "?title, file_name, description, subject_area, tags, "
	    "difficulty_level, course_id, generate; processed by a job (202)"},
	{"GET", M "/search", mat_search, 0, PERM_LEARN, "materials",
	    "Full-text search over the materials and chunks I may read: ?q, "
	    "limit"},
	{"GET", M "/{id}", mat_show, 0, PERM_LEARN, "materials", "A material, "
	    "with its status, counts and latest job"},
	{"PATCH", M "/{id}", mat_patch, J, PERM_LEARN, "materials", "Change a "
	    "material's title, description, subject_area, tags, "
	    "difficulty_level (If-Match)"},
	{"DELETE", M "/{id}", mat_delete, 0, PERM_LEARN, "materials",
	    "Delete a material (soft); its waiting jobs are cancelled"},
	{"GET", M "/{id}/chunks", mat_chunks, 0, PERM_LEARN, "materials",
	    "A material's chunks in order: ?after (an order), limit"},
	{"GET", M "/{id}/assets", mat_assets, 0, PERM_LEARN, "materials",
	    "A material's generated assets, each with its source sentences: "
	    "?type, status, chunk"},
	{"POST", M "/{id}/generate", mat_generate, J, PERM_LEARN, "materials",
	    "Propose assets again: generator (builtin or model), types, "
	    "max_flashcards, max_questions, seed (a job: 202)"},
	{"POST", M "/{id}/sessions", study_start, J, PERM_LEARN, "materials",
	    "Start a session: session_type study, quiz or review; limit"},
	{"GET", "/api/v1/courses/{id}/materials", mat_course_list, 0,
	    PERM_LEARN, "materials", "A course's materials"},
	{"GET", A "/{id}", asset_show, 0, PERM_LEARN, "materials", "An asset "
	    "with its source and my feedback"},
	{"PATCH", A "/{id}", asset_patch, J, PERM_LEARN, "materials", "Edit "
	    "an asset's content (validated against its type; If-Match)"},
	{"POST", A "/{id}/accept", asset_accept, 0, PERM_LEARN, "materials",
	    "Accept an asset: a card goes into the material's deck, a "
	    "question into its quiz"},
	{"POST", A "/{id}/reject", asset_reject, 0, PERM_LEARN, "materials",
	    "Reject an asset"},
	{"POST", A "/{id}/reopen", asset_undecide, 0, PERM_LEARN,
	    "materials", "Take back a rejection: the asset is proposed again"},
	{"PUT", A "/{id}/feedback", asset_feedback_put, J, PERM_LEARN,
	    "materials", "My feedback on an asset: rating 1-5, flags (wrong, "
	    "unclear, duplicate, too_easy, too_hard, offensive), comment"},
	{"DELETE", A "/{id}/feedback", asset_feedback_delete, 0, PERM_LEARN,
	    "materials", "Withdraw my feedback on an asset"},
	{"GET", S "/{id}", study_show, 0, PERM_LEARN, "materials", "My "
	    "study session, with its items"},
	{"POST", S "/{id}/interactions", study_interact, J, PERM_LEARN,
	    "materials", "A view, reveal, answer or skip of one of the "
	    "session's items: interaction_type, asset_id, answer (an option's "
	    "index for a question, true or false for a card), "
	    "response_time_ms, confidence_level"},
	{"POST", S "/{id}/end", study_end, 0, PERM_LEARN, "materials", "End "
	    "my session; what it came to is kept in my progress"},
	{"GET", "/api/v1/me/material-progress", mat_progress, 0, PERM_LEARN,
	    "materials", "My progress on materials by day, week or month: "
	    "?period, material, days"},
};
const size_t material_routes_count =
    sizeof(material_routes) / sizeof(material_routes[0]);
