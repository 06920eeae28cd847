/*
 * routes.c - the flashcard route table.
 */
#include "flashcards/api.h"

#define J ROUTE_JSON_BODY
#define FC "/api/v1/flashcards"

const struct route flashcard_routes[] = {
	{"GET", FC "/decks", fc_decks_list, 0, PERM_LEARN, "flashcards",
	    "The decks I study (mine, my courses'), with cards, new and due"},
	{"POST", FC "/decks", fc_deck_create, J, PERM_LEARN, "flashcards",
	    "Make a deck: title, description, exam, desired_retention, fuzz; "
	    "course_id makes a course's deck (its authors only)"},
	{"GET", FC "/decks/{id}", fc_deck_show, 0, PERM_LEARN, "flashcards",
	    "A deck I study or write"},
	{"PATCH", FC "/decks/{id}", fc_deck_patch, J, PERM_LEARN, "flashcards",
	    "Change a deck of mine or of a course I write (If-Match)"},
	{"DELETE", FC "/decks/{id}", fc_deck_delete, 0, PERM_LEARN,
	    "flashcards", "Delete a deck (soft)"},
	{"GET", "/api/v1/courses/{id}/decks", fc_course_decks, 0, PERM_LEARN,
	    "flashcards", "A course's decks"},
	{"GET", FC "/decks/{id}/notes", fc_notes_list, 0, PERM_LEARN,
	    "flashcards", "A deck's notes with their cards: ?after, limit, tag, "
	    "q"},
	{"POST", FC "/decks/{id}/notes", fc_note_create, J, PERM_LEARN,
	    "flashcards", "Add a note: kind basic, reversed or cloze, front, "
	    "back, tags, objectives"},
	{"GET", FC "/notes/{id}", fc_note_show, 0, PERM_LEARN, "flashcards",
	    "A note and its cards"},
	{"PATCH", FC "/notes/{id}", fc_note_patch, J, PERM_LEARN,
	    "flashcards", "Change a note; its cards follow (If-Match)"},
	{"DELETE", FC "/notes/{id}", fc_note_delete, 0, PERM_LEARN,
	    "flashcards", "Delete a note and its cards (soft)"},
	{"POST", FC "/preview", fc_preview, J, PERM_LEARN, "flashcards",
	    "The cards a note would make, as HTML: kind, front, back"},
	{"POST", FC "/from-question", fc_from_question, J, PERM_LEARN,
	    "flashcards", "A card from a question I answered wrong (in my deck "
	    "of mistakes): {\"question_id\"}"},
	{"POST", FC "/decks/{id}/from-questions", fc_deck_from_questions, J,
	    PERM_QUESTION_MANAGE, "flashcards", "Notes from questions of the "
	    "bank: {\"question_ids\": [...]} (at most 200)"},
	{"POST", FC "/decks/{id}/from-lesson", fc_deck_from_lesson, J,
	    PERM_LEARN, "flashcards", "Notes from a lesson's key terms: "
	    "{\"lesson_id\"}"},
	{"POST", FC "/decks/{id}/import", fc_deck_import, ROUTE_UPLOAD,
	    PERM_LEARN, "flashcards", "Import an Anki package (.apkg, .colpkg) "
	    "as the body into a deck, with its media and my review history (a "
	    "job: 202)"},
	{"GET", FC "/decks/{id}/export", fc_deck_export, 0, PERM_LEARN,
	    "flashcards", "The deck as an Anki package (.apkg), with my "
	    "reviews"},
	{"GET", FC "/decks/{id}/media", fc_media_list, 0, PERM_LEARN,
	    "flashcards", "A deck's images, sounds and videos, and the room "
	    "left"},
	{"PUT", FC "/decks/{id}/media/{name}", fc_media_put, ROUTE_UPLOAD,
	    PERM_LEARN, "flashcards", "Put a file (the body) in a deck under "
	    "a name its cards use: ![](name) or [sound:name] (201 new, 200 "
	    "replaced; 415 for a type cards cannot show)"},
	{"GET", FC "/decks/{id}/media/{name}", fc_media_get, 0, PERM_LEARN,
	    "flashcards", "A file of a deck (ETag, If-None-Match)"},
	{"DELETE", FC "/decks/{id}/media/{name}", fc_media_delete, 0,
	    PERM_LEARN, "flashcards", "Remove a file from a deck"},
	{"GET", FC "/queue", fc_queue, 0, PERM_LEARN, "flashcards",
	    "What to review now, in order, with each rating's next due time: "
	    "?deck, limit"},
	{"POST", FC "/cards/{id}/review", fc_review, J, PERM_LEARN,
	    "flashcards", "Review a card: rating 1-4, reviewed_at (offline), "
	    "duration_ms"},
	{"POST", FC "/undo", fc_undo, 0, PERM_LEARN, "flashcards",
	    "Undo my last review"},
	{"GET", FC "/cards/{id}", fc_card_show, 0, PERM_LEARN, "flashcards",
	    "A card: its sides, my memory of it and my reviews"},
	{"POST", FC "/cards/{id}/suspend", fc_card_suspend, J, PERM_LEARN,
	    "flashcards", "Suspend or unsuspend a card: {\"suspended\"}"},
	{"POST", FC "/cards/{id}/bury", fc_card_bury, J, PERM_LEARN,
	    "flashcards", "Bury a card until tomorrow, or unbury it: "
	    "{\"buried\"}"},
	{"POST", FC "/cards/{id}/reset", fc_card_reset, 0, PERM_LEARN,
	    "flashcards", "Make a card new again (its reviews stay)"},
	{"GET", FC "/stats", fc_stats, 0, PERM_LEARN, "flashcards",
	    "My statistics: cards by state, reviews by day, true retention, "
	    "the 30-day forecast, memory (difficulty, stability, recall): "
	    "?deck"},
	{"GET", FC "/workload", fc_workload, 0, PERM_LEARN, "flashcards",
	    "What each desired retention would cost me a day, simulated: "
	    "?deck, days"},
	{"GET", "/api/v1/me/flashcard-settings", fc_settings_show, 0,
	    PERM_LEARN, "flashcards", "My scheduler settings and limits"},
	{"PATCH", "/api/v1/me/flashcard-settings", fc_settings_patch, J,
	    PERM_LEARN, "flashcards", "Change my scheduler settings and limits"},
	{"POST", "/api/v1/me/flashcard-settings/optimize", fc_optimize, 0,
	    PERM_LEARN, "flashcards", "Fit my FSRS parameters to my reviews "
	    "(a job: 202 and where to follow it)"},
	{"DELETE", "/api/v1/me/flashcard-settings/parameters", fc_params_reset,
	    0, PERM_LEARN, "flashcards", "Go back to FSRS-6's default "
	    "parameters"},
	{"GET", "/api/v1/admin/flashcard-parameters", fc_org_params_show, 0,
	    PERM_ORG_MANAGE, "flashcards", "The FSRS parameters fitted to my "
	    "organization's reviews ({\"parameters\": null}: the defaults)"},
	{"POST", "/api/v1/admin/flashcard-parameters/optimize",
	    fc_org_optimize, 0, PERM_ORG_MANAGE, "flashcards", "Fit FSRS "
	    "parameters to all my organization's learners' reviews, for those "
	    "without their own (a job: 202)"},
	{"DELETE", "/api/v1/admin/flashcard-parameters", fc_org_params_reset,
	    0, PERM_ORG_MANAGE, "flashcards", "Go back to FSRS-6's defaults "
	    "for the organization"},
};
const size_t flashcard_routes_count =
    sizeof(flashcard_routes) / sizeof(flashcard_routes[0]);
