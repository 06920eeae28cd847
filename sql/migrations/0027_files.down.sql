-- 0027_files, undone.
DROP FUNCTION file_blobs_sweep(interval);
DROP FUNCTION file_blob_ref();
DROP TABLE file_blobs;
