"""Live updates: Server-Sent Events fed by PostgreSQL LISTEN/NOTIFY.

A member's stream carries their notifications and, with ?thread=, the
new replies of a thread they may read; an event written through one
server reaches a stream open on another; a stream that comes back with
Last-Event-ID gets what it missed; idle streams hold no worker (more of
them than workers, and the server still answers); the limits, the bad
paths, and a server that stops with streams open stops cleanly.
"""
import http.client
import json
import socket
import time

import pytest

from support import assert_invalid, assert_problem, new_account, sign_in
from test_forum import F, general, reply, thread
from test_reviews import enrolled, published_course
from support import DEMO_PW, PW


class Stream:
    """One open event stream, read event by event."""

    def __init__(self, server, client, query="", last_id=None, timeout=10):
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port,
                                               timeout=timeout)
        headers = {"Authorization": f"Bearer {client.token}",
                   "Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = str(last_id)
        self.conn.request("GET", f"/api/v1/live{query}", headers=headers)
        self.resp = self.conn.getresponse()
        self.status = self.resp.status

    def next(self, want=None, timeout=10):
        """The next event (of kind want, skipping others): a dict with
        id, event, data; None when the stream ends."""
        deadline = time.monotonic() + timeout
        ev = {}
        while time.monotonic() < deadline:
            try:
                line = self.resp.readline()
            except (socket.timeout, TimeoutError):
                return None
            if not line:
                return None
            line = line.decode().rstrip("\n")
            if line == "":
                if "event" in ev and (want is None or ev["event"] == want):
                    ev["data"] = json.loads(ev.get("data", "{}"))
                    return ev
                ev = {}
                continue
            if line.startswith(":"):
                continue
            key, _, value = line.partition(": ")
            ev[key] = value
        return None

    def close(self):
        self.conn.close()


@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


@pytest.fixture(scope="module")
def course(ins):
    return published_course(ins)


def test_a_reply_reaches_the_thread_and_a_mention_the_member(
        server, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    t = thread(me, general(me, course))
    s = Stream(server, me, f"?thread={t['id']}")
    assert s.status == 200
    assert s.resp.getheader("Content-Type") == "text/event-stream"
    r = reply(you, t["id"], f"@{me.user['username']} see this")
    ev = s.next("reply")
    assert ev["data"] == {"id": r["id"], "n": r["n"], "parent_id": None}
    assert int(ev["id"]) > 0
    # The mention and the watcher's notification come on my own channel.
    ev = s.next("notification")
    assert ev["data"]["kind"] in ("forum_mention", "forum_reply")
    s.close()


def test_another_servers_event_reaches_my_stream(
        server, start_server, course):
    other = start_server(server.db)
    me = enrolled(server, course)
    you = enrolled(server, course)
    t = thread(me, general(me, course))
    # The stream on the second server, the reply through the first.
    mine = other.login(me.user["username"], PW)
    s = Stream(other, mine, f"?thread={t['id']}")
    assert s.status == 200
    r = reply(you, t["id"], "From the first server.")
    ev = s.next("reply")
    assert ev is not None and ev["data"]["id"] == r["id"]
    s.close()


def test_coming_back_with_last_event_id_replays_what_was_missed(
        server, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    t = thread(me, general(me, course))
    s = Stream(server, me, f"?thread={t['id']}")
    first = reply(you, t["id"], "One.")
    seen = s.next("reply")
    assert seen["data"]["id"] == first["id"]
    s.close()
    missed = [reply(you, t["id"], f"Missed {i}.")["id"] for i in range(3)]
    s = Stream(server, me, f"?thread={t['id']}", last_id=seen["id"])
    got = [s.next("reply")["data"]["id"] for _ in missed]
    assert got == missed
    # Nothing twice: the next is a new one.
    later = reply(you, t["id"], "Later.")
    assert s.next("reply")["data"]["id"] == later["id"]
    s.close()


def test_idle_streams_hold_no_worker(server, start_server):
    small = start_server(server.db, env={"LUDUS_WORKERS": "2"})
    people = [new_account(small) for _ in range(3)]
    streams = [Stream(small, p) for p in people for _ in range(2)]
    assert all(s.status == 200 for s in streams)
    # Six idle streams, two workers: the server still answers at once.
    t0 = time.monotonic()
    assert small.request("GET", "/healthz").status == 200
    assert people[0].get("/api/v1/me").status == 200
    assert time.monotonic() - t0 < 2
    metrics = small.request("GET", "/metrics").body.decode()
    assert "ludus_live_streams 6" in metrics
    for s in streams:
        s.close()
    # A server stopping with streams open stops cleanly (checked by the
    # fixture): open one more, and leave it open.
    Stream(small, people[0])


def test_a_members_oldest_stream_gives_way_past_their_limit(server):
    me = new_account(server)
    streams = [Stream(server, me) for _ in range(8)]
    assert all(s.status == 200 for s in streams)
    # A ninth (a reloaded tab, the old one not yet noticed gone): the
    # oldest ends, the others stay.
    ninth = Stream(server, me)
    assert ninth.status == 200
    assert streams[0].next(timeout=5) is None
    metrics = server.request("GET", "/metrics").body.decode()
    assert "ludus_live_streams" in metrics
    you = new_account(server)
    assert Stream(server, you).status == 200
    for s in streams[1:] + [ninth]:
        s.close()


def test_a_thread_not_mine_and_bad_input_get_no_stream(server, course):
    me = enrolled(server, course)
    t = thread(me, general(me, course))
    outsider = new_account(server)
    assert_problem(outsider.get(f"/api/v1/live?thread={t['id']}"), 404,
                   "not-found")
    assert_invalid(me.get("/api/v1/live?thread=nope"), "thread")
    assert_problem(server.request("GET", "/api/v1/live"), 401,
                   "unauthenticated")


def test_a_stream_says_where_events_stand_before_the_first(server, course):
    """A client that must come back before any event came asks for what
    came after the id its stream opened at."""
    me = enrolled(server, course)
    you = enrolled(server, course)
    t = thread(me, general(me, course))
    s = Stream(server, me, f"?thread={t['id']}")
    opened_at = None
    while opened_at is None:
        line = s.resp.readline().decode().rstrip("\n")
        if line.startswith("id: "):
            opened_at = line[4:]
    s.close()
    r = reply(you, t["id"], "While you were away.")
    s = Stream(server, me, f"?thread={t['id']}", last_id=opened_at)
    assert s.next("reply")["data"]["id"] == r["id"]
    s.close()
