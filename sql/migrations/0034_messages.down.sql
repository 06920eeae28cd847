-- 0034_messages, undone.
DELETE FROM live_events WHERE event = 'message';
DROP FUNCTION message_report(uuid, uuid, uuid, text, text),
	message_send(uuid, uuid, uuid, text),
	conversation_start(uuid, uuid, uuid[], text, text);
DROP TABLE message_reports, user_blocks;
DROP FUNCTION message_json(messages, uuid);
DROP TABLE messages;
DROP FUNCTION messages_after_insert(), message_allowed(uuid, uuid);
DROP FUNCTION conversation_json(conversations, uuid);
DROP TABLE conversation_members, conversations;
