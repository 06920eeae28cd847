-- Reverts 0001_core.  Partitions go with their parent tables.
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE activity_events;
DROP TABLE user_settings;
DROP TABLE user_profiles;
DROP TABLE users;
DROP TABLE organizations;
DROP FUNCTION ensure_monthly_partitions(regclass, date, integer);
DROP FUNCTION is_valid_timezone(text);
DROP FUNCTION set_updated_at();
DROP FUNCTION uuid_v7();
