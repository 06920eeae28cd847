-- 0032_live: the events that live updates carry (src/http/live.c).
--
-- live_emit() writes an event on a channel ('user:<id>' for what concerns
-- one member, 'thread:<id>' for a forum thread's readers) and sends it
-- with pg_notify on ludus_live, which PostgreSQL delivers to every
-- listening server when the transaction commits (never if it rolls
-- back).  The row stays a few hours, for a client that comes back with
-- Last-Event-ID; the maintenance removes older ones.  Events say what
-- happened, briefly (ids, a kind, a title): the client reads the rest
-- through the API, as the member it is.

CREATE TABLE live_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	channel text NOT NULL CHECK (channel ~ '^(user|thread):[0-9a-f-]{36}$'),
	event text NOT NULL CHECK (event ~ '^[a-z][a-z_]{0,31}$'),
	data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'
		AND length(data::text) <= 2000),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX live_events_channel_idx ON live_events (channel, id);
CREATE INDEX live_events_org_idx ON live_events (org_id, created_at);
SELECT ludus_isolate('live_events');

CREATE FUNCTION live_emit(org uuid, chan text, ev text, payload jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	i bigint;
BEGIN
	INSERT INTO live_events (org_id, channel, event, data)
	VALUES (org, chan, ev, payload)
	RETURNING id INTO i;
	PERFORM pg_notify('ludus_live', chan || ' ' || i || ' ' || ev || ' '
		|| payload::text);
END
$$;

-- A notification new, or back unread (a forum thread's, by a new reply):
-- its member's bell rings.
CREATE FUNCTION notifications_live() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.read_at IS NULL AND (TG_OP = 'INSERT'
		OR OLD.read_at IS NOT NULL OR OLD.created_at <> NEW.created_at) THEN
		PERFORM live_emit(NEW.org_id, 'user:' || NEW.user_id, 'notification',
			jsonb_build_object('id', NEW.id, 'kind', NEW.kind,
				'title', NEW.title));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER notifications_live AFTER INSERT OR UPDATE OF read_at, created_at
	ON notifications FOR EACH ROW EXECUTE FUNCTION notifications_live();

-- A new reply in a thread: its open readers fetch it.
CREATE FUNCTION forum_replies_live() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM live_emit(NEW.org_id, 'thread:' || NEW.post_id, 'reply',
		jsonb_build_object('id', NEW.id, 'n', NEW.num,
			'parent_id', NEW.parent_reply_id));
	RETURN NULL;
END
$$;
CREATE TRIGGER forum_replies_live AFTER INSERT ON forum_replies
	FOR EACH ROW EXECUTE FUNCTION forum_replies_live();
