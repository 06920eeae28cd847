-- 0019_search_rls, undone: search as a plain query again.
DROP FUNCTION search_doc(uuid, boolean, text, integer);
