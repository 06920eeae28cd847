-- 0026_org_fsrs, undone.
DROP TABLE flashcard_org_params;
