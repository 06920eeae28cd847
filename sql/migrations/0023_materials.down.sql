-- 0023_materials, undone.
DROP INDEX flashcard_sets_material_key;
UPDATE flashcard_sets SET source = NULL WHERE source = 'material';
ALTER TABLE flashcard_sets DROP CONSTRAINT flashcard_sets_material_check,
	DROP CONSTRAINT flashcard_sets_mistakes_owner_check,
	ADD CONSTRAINT flashcard_sets_check1
		CHECK (source IS NULL OR owner_id IS NOT NULL),
	DROP CONSTRAINT flashcard_sets_material_fk, DROP COLUMN material_id,
	DROP CONSTRAINT flashcard_sets_source_check,
	ADD CONSTRAINT flashcard_sets_source_check CHECK (source IN ('mistakes'));
DROP TRIGGER jobs_material_status ON jobs;
DROP FUNCTION jobs_material_status();
DROP INDEX jobs_material_idx;
DROP FUNCTION material_room(uuid, integer, bigint),
	generated_asset_json(generated_assets),
	material_json(study_materials, text),
	material_role(study_materials, uuid, boolean);
DROP TABLE progress_metrics, user_feedback, interactions;
DROP FUNCTION user_feedback_after(), generated_asset_requality(uuid),
	feedback_score(integer, text[]);
DELETE FROM learning_sessions WHERE session_type <> 'lesson';
DROP INDEX learning_sessions_material_idx, learning_sessions_user_material_idx,
	learning_sessions_status_idx, learning_sessions_type_idx;
ALTER TABLE learning_sessions DROP CONSTRAINT learning_sessions_material_fk,
	DROP CONSTRAINT learning_sessions_kind_check,
	DROP COLUMN session_type, DROP COLUMN study_material_id,
	DROP COLUMN status, DROP COLUMN total_interactions,
	DROP COLUMN completion_percentage, DROP COLUMN configuration,
	DROP COLUMN session_data, DROP COLUMN archived_at,
	ALTER COLUMN lesson_id SET NOT NULL,
	DROP CONSTRAINT learning_sessions_id_org_key;
DROP TABLE generated_assets, content_chunks, study_materials;
DROP FUNCTION tags_text(text[]);
