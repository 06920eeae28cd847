/*
 * api.h - the flashcard routes: decks, notes and cards (api_decks.c),
 * the review queue, reviews, undo, card actions and settings
 * (api_review.c), statistics and the workload simulator (api_stats.c),
 * the organization's fitted parameters (api_org.c), Anki packages
 * (api_anki.c) and a deck's media (api_media.c).
 */
#ifndef LUDUS_FLASHCARDS_API_H
#define LUDUS_FLASHCARDS_API_H

#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

extern const struct route flashcard_routes[];
extern const size_t flashcard_routes_count;

void fc_decks_list(struct req *r);
void fc_deck_create(struct req *r);
void fc_deck_show(struct req *r);
void fc_deck_patch(struct req *r);
void fc_deck_delete(struct req *r);
void fc_course_decks(struct req *r);
void fc_notes_list(struct req *r);
void fc_note_create(struct req *r);
void fc_note_show(struct req *r);
void fc_note_patch(struct req *r);
void fc_note_delete(struct req *r);
void fc_preview(struct req *r);
void fc_deck_import(struct req *r);
void fc_deck_export(struct req *r);
void fc_media_list(struct req *r);
void fc_media_put(struct req *r);
void fc_media_get(struct req *r);
void fc_media_delete(struct req *r);
void fc_from_question(struct req *r);
void fc_deck_from_questions(struct req *r);
void fc_deck_from_lesson(struct req *r);

void fc_queue(struct req *r);
void fc_review(struct req *r);
void fc_undo(struct req *r);
void fc_card_show(struct req *r);
void fc_card_suspend(struct req *r);
void fc_card_bury(struct req *r);
void fc_card_reset(struct req *r);
void fc_settings_show(struct req *r);
void fc_settings_patch(struct req *r);
void fc_optimize(struct req *r);
void fc_params_reset(struct req *r);
void fc_org_params_show(struct req *r);
void fc_org_optimize(struct req *r);
void fc_org_params_reset(struct req *r);
void fc_stats(struct req *r);
void fc_workload(struct req *r);

#endif
