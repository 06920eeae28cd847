/*
 * api.h - the study-material routes: materials, their chunks and search
 * (api_materials.c), generated assets and feedback (api_assets.c), study
 * sessions and progress (api_study.c).
 */
#ifndef LUDUS_MATERIALS_API_H
#define LUDUS_MATERIALS_API_H

#include <stddef.h>

#include "http/request.h"
#include "http/router.h"

extern const struct route material_routes[];
extern const size_t material_routes_count;

void mat_list(struct req *r);
void mat_create(struct req *r);
void mat_upload(struct req *r);
void mat_show(struct req *r);
void mat_patch(struct req *r);
void mat_delete(struct req *r);
void mat_chunks(struct req *r);
void mat_search(struct req *r);
void mat_course_list(struct req *r);
void mat_generate(struct req *r);

void mat_assets(struct req *r);
void asset_show(struct req *r);
void asset_patch(struct req *r);
void asset_accept(struct req *r);
void asset_reject(struct req *r);
void asset_undecide(struct req *r);
void asset_feedback_put(struct req *r);
void asset_feedback_delete(struct req *r);

void study_start(struct req *r);
void study_show(struct req *r);
void study_interact(struct req *r);
void study_end(struct req *r);
void mat_progress(struct req *r);

#endif
