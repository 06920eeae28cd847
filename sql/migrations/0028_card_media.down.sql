-- 0028_card_media, undone.
DROP FUNCTION flashcard_media_json(flashcard_media);
DROP FUNCTION fc_media_room(uuid);
DROP TABLE flashcard_media;
