-- 0018_access_tokens, undone.
DROP FUNCTION auth_token(text, text), access_token_json(access_tokens);
DROP TABLE access_tokens;
