"""Direct messages (issue 17, migration 0034): conversations one to one
(found again, never made twice, even asked at once) and in small titled
groups; who may write to whom (staff to anyone, learners to staff and to
the learners of a course they take together; nobody across organizations,
to a deleted member, or past a block); unread counts; pages newest first;
deleting one's own message; leaving a group; reports and the admins who
settle them; the rate; an organization that turns messaging off; bad
input; the live 'message' event; and the contacts list.
"""
import threading
import time
import uuid

import pytest

from support import (assert_invalid, assert_problem, new_account, new_org,
                     qs, sql)
from test_live import Stream
from test_reviews import published_course

C = "/api/v1/conversations"
M = "/api/v1/messages"
R = "/api/v1/message-reports"


class Org:
    """An organization of its own: an admin, an instructor and a published
    course of theirs."""

    def __init__(self, server):
        self.server = server
        self.slug = new_org(server)
        self.admin = new_account(server, "admin", org=self.slug)
        self.ins = new_account(server, "instructor", org=self.slug)
        self.course = published_course(self.ins)

    def learner(self, enrolled=True):
        who = new_account(self.server, org=self.slug)
        if enrolled:
            r = who.request("POST", f"/api/v1/courses/{self.course}/enroll")
            assert r.status in (200, 201), r
        return who


@pytest.fixture
def org(server):
    return Org(server)


def start(who, others, body="Hello there.", title=None, status=201):
    doc = {"user_ids": [o.id for o in others], "body": body}
    if title is not None:
        doc["title"] = title
    r = who.request("POST", C, doc)
    assert r.status == status, r
    return r.json


def send(who, conv, body):
    r = who.request("POST", f"{C}/{conv}/messages", {"body": body})
    assert r.status == 201, r
    return r.json


def page(who, conv, **params):
    r = who.get(f"{C}/{conv}/messages{qs(**params)}")
    assert r.status == 200, r
    return r.json


def conv(who, cid):
    r = who.get(f"{C}/{cid}")
    assert r.status == 200, r
    return r.json


def unread(who):
    r = who.get(f"{M}/unread")
    assert r.status == 200, r
    return r.json


def listed(who):
    r = who.get(C)
    assert r.status == 200, r
    return [c["id"] for c in r.json["items"]]


def block(who, whom):
    r = who.request("PUT", f"/api/v1/blocks/{whom.id}")
    assert r.status == 204, r


# ---- starting, and who may write to whom -----------------------------------

def test_one_to_one_is_found_again_and_a_group_needs_a_title(server, org):
    a, b = org.learner(), org.learner()
    first = start(a, [b], "Hi B")
    assert first["is_group"] is False and first["title"] is None
    assert [m["id"] for m in first["members"]] == [b.id]
    assert first["last"]["excerpt"] == "Hi B" and first["unread"] == 0
    # Again, from either side: the same conversation, 200.
    again = start(a, [b], "Hi again", status=200)
    assert again["id"] == first["id"]
    back = start(b, [a], "Hello A", status=200)
    assert back["id"] == first["id"]
    assert [x["body"] for x in page(a, first["id"])["items"]] == [
        "Hello A", "Hi again", "Hi B"]
    # A group: 2 to 19 others, with a title.
    c = org.learner()
    assert_invalid(a.request("POST", C, {"user_ids": [b.id, c.id],
                                         "body": "Team?"}), "title")
    g = start(a, [b, c], "Team!", title="  Study group ")
    assert g["is_group"] is True and g["title"] == "Study group"
    assert {m["id"] for m in g["members"]} == {b.id, c.id}
    # Another group with the same people is another conversation.
    g2 = start(a, [b, c], "Again", title="Second group")
    assert g2["id"] != g["id"]
    # More than 19 others, none, or blank title: refused.
    many = [str(uuid.uuid4()) for _ in range(20)]
    assert_invalid(org.ins.request("POST", C, {"user_ids": many, "title": "T",
                                               "body": "x"}), "user_ids")
    assert_invalid(a.request("POST", C, {"user_ids": [], "body": "x"}),
                   "user_ids")
    assert_invalid(a.request("POST", C, {"user_ids": [b.id, c.id],
                                         "title": "  ", "body": "x"}),
                   "title")


def test_a_group_of_twenty_is_the_largest(server, org):
    others = [org.learner(enrolled=False) for _ in range(19)]
    g = start(org.ins, others, "Welcome all", title="Cohort")
    assert len(g["members"]) == 19
    (n,) = sql(server, f"SELECT count(*) FROM conversation_members "
                       f"WHERE conversation_id = '{g['id']}'")
    assert int(n[0] if isinstance(n, (list, tuple)) else n) == 20


def test_a_group_names_each_member_once(server, org):
    """The same member twice, or oneself, is no group of three."""
    a, b = org.learner(), org.learner()
    assert_invalid(a.request("POST", C, {"user_ids": [b.id, b.id],
                                         "title": "Dup", "body": "x"}),
                   "user_ids")
    (n,) = sql(server, f"SELECT count(*) FROM conversations WHERE "
                       f"created_by = '{a.id}' AND is_group")
    assert str(n[0] if isinstance(n, (list, tuple)) else n) == "0"


def test_who_may_write_to_whom(server, org):
    a, mate = org.learner(), org.learner()
    stranger = org.learner(enrolled=False)
    # Staff to anyone.
    start(org.ins, [stranger])
    start(org.admin, [stranger])
    # A learner to staff.
    start(stranger, [org.ins], status=200)
    start(stranger, [org.admin], status=200)
    # A learner to a learner of a course they both take.
    start(a, [mate])
    # Not to an unrelated learner, nor one whose enrollment ended.
    p = assert_problem(a.request("POST", C, {"user_ids": [stranger.id],
                                             "body": "hi"}), 403, "forbidden")
    assert stranger.user["username"] in p["detail"]
    assert_problem(stranger.request("POST", C, {"user_ids": [a.id],
                                                "body": "hi"}),
                   403, "forbidden")
    # Nor to a learner whose enrollment is no longer active.
    gone = org.learner()
    sql(server, f"UPDATE enrollments SET status = 'dropped' "
                f"WHERE user_id = '{gone.id}'")
    assert_problem(a.request("POST", C, {"user_ids": [gone.id],
                                         "body": "hi"}), 403, "forbidden")
    # A group with one member not allowed: refused whole, nothing made.
    assert_problem(a.request("POST", C, {"user_ids": [mate.id, stranger.id],
                                         "title": "T", "body": "hi"}),
                   403, "forbidden")
    # Anyone of another organization, even staff: refused.
    other = Org(server)
    assert_problem(other.ins.request("POST", C, {"user_ids": [a.id],
                                                 "body": "hi"}),
                   403, "forbidden")
    assert_problem(a.request("POST", C, {"user_ids": [other.ins.id],
                                         "body": "hi"}), 403, "forbidden")
    # A deleted member: refused, also in the conversation we had.
    c = start(org.ins, [a], "Before")
    sql(server, f"UPDATE users SET deleted_at = now() WHERE id = '{a.id}'")
    assert_problem(org.ins.request("POST", C, {"user_ids": [a.id],
                                               "body": "hi"}),
                   403, "forbidden")
    assert_problem(org.ins.request("POST", f"{C}/{c['id']}/messages",
                                   {"body": "hi"}), 403, "forbidden")
    # Oneself: no conversation.
    r = org.ins.request("POST", C, {"user_ids": [org.ins.id], "body": "me"})
    assert r.status in (403, 422), r
    # No such member.
    r = org.ins.request("POST", C, {"user_ids": [str(uuid.uuid4())],
                                    "body": "x"})
    assert r.status == 403, r


def test_contacts_are_exactly_whom_i_may_write_to(server, org):
    a, mate = org.learner(), org.learner()
    stranger = org.learner(enrolled=False)
    blocked, blocker, deleted = org.learner(), org.learner(), org.learner()
    block(a, blocked)
    block(blocker, a)
    sql(server, f"UPDATE users SET deleted_at = now() "
                f"WHERE id = '{deleted.id}'")
    Org(server)  # another organization's people are no contacts
    r = a.get(f"{M}/contacts?limit=50")
    assert r.status == 200, r
    got = {c["id"]: c["staff"] for c in r.json["items"]}
    assert got == {org.admin.id: True, org.ins.id: True, mate.id: False}
    # Each of them may be written to; the others not.
    for who in (org.admin, org.ins, mate):
        start(a, [who])
    for who in (stranger, blocked, blocker, deleted):
        assert_problem(a.request("POST", C, {"user_ids": [who.id],
                                             "body": "x"}), 403, "forbidden")
    # q finds by username; staff see everyone not blocked or deleted.
    r = a.get(f"{M}/contacts{qs(q=mate.user['username'][2:])}")
    assert [c["id"] for c in r.json["items"]] == [mate.id]
    r = org.ins.get(f"{M}/contacts?limit=50")
    assert {c["id"] for c in r.json["items"]} == {
        org.admin.id, a.id, mate.id, stranger.id, blocked.id, blocker.id}
    # A learner with no course: only the staff.
    r = stranger.get(f"{M}/contacts")
    assert {c["id"] for c in r.json["items"]} == {org.admin.id, org.ins.id}
    # A wildcard in q is a character, not a pattern (as in users_lookup).
    for q in ("%", "%%"):
        r = a.get(f"{M}/contacts{qs(q=q)}")
        assert r.json["items"] == [], (q, r.json)


# ---- blocking --------------------------------------------------------------

def test_a_block_stops_a_one_to_one_both_ways(server, org):
    a, b = org.learner(), org.learner()
    c = start(a, [b], "Hi")["id"]
    block(b, a)
    for who, whom in ((a, b), (b, a)):
        assert_problem(who.request("POST", C, {"user_ids": [whom.id],
                                               "body": "x"}),
                       403, "forbidden")
        assert_problem(who.request("POST", f"{C}/{c}/messages",
                                   {"body": "x"}), 403, "forbidden")
    r = b.get("/api/v1/blocks")
    assert [x["id"] for x in r.json["items"]] == [a.id]
    assert conv(b, c)["members"][0]["blocked"] is True
    assert conv(a, c)["members"][0]["blocked"] is False
    # Again is fine; unblocking lets us write again.
    block(b, a)
    assert b.request("DELETE", f"/api/v1/blocks/{a.id}").status == 204
    assert_problem(b.request("DELETE", f"/api/v1/blocks/{a.id}"), 404,
                   "not-found")
    send(a, c, "Back")
    # Oneself, no one, another organization's member: 404.
    assert_problem(a.request("PUT", f"/api/v1/blocks/{a.id}"), 404,
                   "not-found")
    assert_problem(a.request("PUT", f"/api/v1/blocks/{uuid.uuid4()}"), 404,
                   "not-found")
    assert_problem(a.request("PUT", f"/api/v1/blocks/{Org(server).ins.id}"),
                   404, "not-found")


def test_in_a_group_the_blocker_sees_nothing_of_the_blocked(server, org):
    a, b, c = org.learner(), org.learner(), org.learner()
    g = start(a, [b, c], "From A", title="Three")["id"]
    send(b, g, "From B")
    block(a, b)
    send(b, g, "B again")       # the group goes on
    send(c, g, "From C")
    send(b, g, "B last")
    bodies = [x["body"] for x in page(a, g)["items"]]
    assert bodies == ["From C", "From A"]
    doc = conv(a, g)
    assert doc["last"]["excerpt"] == "From C"
    assert doc["unread"] == 1
    assert unread(a) == {"unread": 1, "conversations": 1}
    # C sees everything.
    assert [x["body"] for x in page(c, g)["items"]] == [
        "B last", "From C", "B again", "From B", "From A"]
    assert conv(c, g)["unread"] == 1    # B last (C wrote after the rest)
    # Blocked can't start a new conversation with the blocker's group.
    assert_problem(b.request("POST", C, {"user_ids": [a.id, c.id],
                                         "title": "T", "body": "x"}),
                   403, "forbidden")


# ---- unread, reading, paging -----------------------------------------------

def test_unread_counts_and_reading(server, org):
    a, b, c = org.learner(), org.learner(), org.learner()
    one = start(a, [b], "1")["id"]
    send(a, one, "2")
    g = start(c, [a, b], "g1", title="G")["id"]
    assert unread(b) == {"unread": 3, "conversations": 2}
    assert unread(a) == {"unread": 1, "conversations": 1}
    assert conv(b, one)["unread"] == 2 and conv(b, g)["unread"] == 1
    # The list: the latest activity first, each with its unread count.
    r = b.get(C)
    assert [(x["id"], x["unread"]) for x in r.json["items"]] == [
        (g, 1), (one, 2)]
    assert b.request("POST", f"{C}/{one}/read").status == 204
    assert conv(b, one)["unread"] == 0
    assert unread(b) == {"unread": 1, "conversations": 1}
    # My own messages are never unread; a deleted one is not either.
    send(b, one, "mine")
    x = send(a, one, "oops")
    assert unread(b)["unread"] == 2
    assert a.request("DELETE", f"{M}/{x['id']}").status == 204
    assert unread(b)["unread"] == 1
    # Listing pages: after, limit.
    r = b.get(f"{C}?limit=1")
    assert len(r.json["items"]) == 1 and r.json["next"]
    r2 = b.get(f"{C}{qs(limit=1, after=r.json['next'])}")
    assert [x["id"] for x in r2.json["items"]] != [
        x["id"] for x in r.json["items"]]
    assert r2.json["next"] is None


def test_pages_are_newest_first_and_keyset_exact(server, org):
    a, b = org.learner(), org.learner()
    cid = start(a, [b], "m000")["id"]
    # 70 more, ten at each of seven instants (ties broken by id).
    sql(server, f"""INSERT INTO messages (org_id, conversation_id, sender_id,
        body, created_at)
        SELECT c.org_id, c.id, '{a.id}', 'm' || lpad(i::text, 3, '0'),
            now() + make_interval(secs => 1 + (i - 1) / 10)
        FROM conversations c, generate_series(1, 70) i
        WHERE c.id = '{cid}'""")
    seen, before = [], None
    while True:
        params = {"limit": 8}
        if before:
            params["before"] = before
        doc = page(b, cid, **params)
        assert len(doc["items"]) <= 8
        seen += doc["items"]
        if doc["next"] is None:
            break
        assert doc["next"] == doc["items"][-1]["id"]
        before = doc["next"]
    assert len(seen) == 71 and len({x["id"] for x in seen}) == 71
    keys = [(x["created_at"], x["id"]) for x in seen]
    assert keys == sorted(keys, reverse=True)
    assert seen[-1]["body"] == "m000"
    # Default page is 30, max 100.
    assert len(page(b, cid)["items"]) == 30
    assert len(page(b, cid, limit=100)["items"]) == 71
    r = b.get(f"{C}/{cid}/messages?limit=101")
    assert r.status == 422, r
    # The conversation's last is the newest.
    assert conv(b, cid)["last"]["id"] == seen[0]["id"]
    assert conv(b, cid)["unread"] == 71


def test_a_group_member_reads_from_when_they_joined(server, org):
    """Added later (by SQL: the API has no adding), they see only what
    came after."""
    a, b, c = org.learner(), org.learner(), org.learner()
    g = start(a, [b, org.ins], "old", title="G")["id"]
    time.sleep(0.01)
    sql(server, f"INSERT INTO conversation_members (conversation_id, user_id,"
                f" org_id) SELECT '{g}', id, org_id FROM users "
                f"WHERE id = '{c.id}'")
    send(a, g, "new")
    assert [x["body"] for x in page(c, g)["items"]] == ["new"]
    assert conv(c, g)["unread"] == 1


# ---- deleting, leaving -----------------------------------------------------

def test_a_sender_deletes_their_message_and_its_place_stays(server, org):
    a, b = org.learner(), org.learner()
    cid = start(a, [b], "first")["id"]
    x = send(a, cid, "regret")
    send(a, cid, "last")
    assert_problem(b.request("DELETE", f"{M}/{x['id']}"), 404, "not-found")
    assert a.request("DELETE", f"{M}/{x['id']}").status == 204
    assert_problem(a.request("DELETE", f"{M}/{x['id']}"), 404, "not-found")
    items = page(b, cid)["items"]
    assert [(i["body"], i["deleted"]) for i in items] == [
        ("last", False), (None, True), ("first", False)]
    assert items[1]["id"] == x["id"] and items[1]["sender"]["id"] == a.id
    assert items[1]["mine"] is False and items[0]["removed"] is False
    # A deleted message as the last one shows no excerpt.
    assert a.request("DELETE",
                     f"{M}/{items[0]['id']}").status == 204
    assert conv(b, cid)["last"]["excerpt"] is None


def test_leaving_a_group(server, org):
    a, b, c = org.learner(), org.learner(), org.learner()
    g = start(a, [b, c], "hi", title="G")["id"]
    one = start(a, [b], "hi")["id"]
    assert b.request("DELETE", f"{C}/{g}/members/me").status == 204
    assert g not in listed(b) and one in listed(b)
    assert_problem(b.request("POST", f"{C}/{g}/messages", {"body": "x"}),
                   409, "left")
    assert_problem(b.request("DELETE", f"{C}/{g}/members/me"), 404,
                   "not-found")
    # A one to one can't be left.
    assert_problem(b.request("DELETE", f"{C}/{one}/members/me"), 404,
                   "not-found")
    # The others see that b left; b's unread no longer counts the group.
    assert {m["id"]: m["left"] for m in conv(a, g)["members"]} == {
        b.id: True, c.id: False}
    send(a, g, "after b left")
    assert unread(b)["conversations"] <= 1
    assert conv(b, g)["left"] is True


def test_who_left_a_group_reads_nothing_said_after(server, org):
    a, b, c = org.learner(), org.learner(), org.learner()
    g = start(a, [b, c], "before", title="G")["id"]
    assert b.request("DELETE", f"{C}/{g}/members/me").status == 204
    send(a, g, "secret after b left")
    bodies = [x["body"] for x in page(b, g)["items"]]
    assert "secret after b left" not in bodies, bodies
    assert (conv(b, g)["last"] or {}).get("excerpt") != "secret after b left"


# ---- reports ---------------------------------------------------------------

def test_reports_and_their_resolution(server, org):
    a, b, c = org.learner(), org.learner(), org.learner()
    g = start(a, [b, c], "hi", title="G")["id"]
    bad = send(a, g, "something rude")
    path = f"{M}/{bad['id']}/report"
    assert_invalid(b.request("POST", path, {"reason": "other"}), "note")
    assert_invalid(b.request("POST", path, {"reason": "other", "note": " "}),
                   "note")
    assert_invalid(b.request("POST", path, {"reason": "rude"}), "reason")
    assert_invalid(b.request("POST", path, {}), "reason")
    assert_invalid(b.request("POST", path, {"reason": "spam", "x": 1}), "x")
    r = b.request("POST", path, {"reason": "harassment"})
    assert r.status == 201 and r.json["status"] == "open", r
    assert_problem(b.request("POST", path, {"reason": "spam"}), 409,
                   "already-reported")
    r = c.request("POST", path, {"reason": "other", "note": "Rude."})
    assert r.status == 201, r
    assert_problem(a.request("POST", path, {"reason": "spam"}), 403,
                   "forbidden")
    assert_problem(b.request("POST", f"{M}/{uuid.uuid4()}/report",
                             {"reason": "spam"}), 404, "not-found")
    # Only user.manage lists and settles them.
    for who in (a, org.ins):
        assert_problem(who.get(R), 403, "forbidden")
    r = org.admin.get(R)
    assert r.status == 200, r
    mine = [x for x in r.json["items"] if x["message"]["id"] == bad["id"]]
    assert len(mine) == 2
    assert {x["reporter"] for x in mine} == {b.user["username"],
                                             c.user["username"]}
    assert mine[0]["message"]["body"] == "something rude"
    assert mine[0]["message"]["sender"] == a.user["username"]
    rid = mine[0]["id"]
    assert_problem(org.ins.request("POST", f"{R}/{rid}/resolve",
                                   {"decision": "remove"}), 403, "forbidden")
    assert_invalid(org.admin.request("POST", f"{R}/{rid}/resolve",
                                     {"decision": "ban"}), "decision")
    r = org.admin.request("POST", f"{R}/{rid}/resolve",
                          {"decision": "remove"})
    assert r.status == 204, r
    # Gone for everyone, the sender too; both reports settled.
    for who in (a, b, c):
        x = [i for i in page(who, g)["items"] if i["id"] == bad["id"]][0]
        assert x["body"] is None and x["removed"] is True
    assert conv(c, g)["last"]["excerpt"] is None
    r = org.admin.get(f"{R}?status=removed")
    assert {x["id"] for x in r.json["items"]} == {x["id"] for x in mine}
    assert org.admin.get(R).json["items"] == []
    for x in mine:
        assert_problem(org.admin.request("POST", f"{R}/{x['id']}/resolve",
                                         {"decision": "dismiss"}),
                       404, "not-found")
    rows = sql(server, f"SELECT actor_user_id, entity_id, "
                       f"new_values->>'reports' FROM audit_events "
                       f"WHERE action = 'message.removed' "
                       f"AND entity_id = '{bad['id']}'")
    assert len(rows) == 1 and rows[0][0] == org.admin.id
    assert rows[0][2] == "2"
    # A removed message can't be reported again.
    assert_problem(b.request("POST", path, {"reason": "spam"}), 404,
                   "not-found")
    # Dismissed: the message stays.
    ok = send(a, g, "fine actually")
    r = b.request("POST", f"{M}/{ok['id']}/report", {"reason": "spam"})
    rid = r.json["id"]
    r = org.admin.request("POST", f"{R}/{rid}/resolve",
                          {"decision": "dismiss"})
    assert r.status == 204, r
    x = [i for i in page(c, g)["items"] if i["id"] == ok["id"]][0]
    assert x["body"] == "fine actually" and x["removed"] is False
    rows = sql(server, f"SELECT count(*) FROM audit_events WHERE action = "
                       f"'message_report.dismissed' "
                       f"AND entity_id = '{ok['id']}'")
    assert str(rows[0][0]) == "1"
    assert [x["id"] for x in org.admin.get(f"{R}?status=dismissed")
            .json["items"]] == [rid]
    assert_invalid(org.admin.get(f"{R}?status=bogus"), "status")
    # Another organization's admin sees none of them, settles none.
    other = Org(server)
    assert other.admin.get(f"{R}?status=removed").json["items"] == []
    assert_problem(other.admin.request("POST", f"{R}/{rid}/resolve",
                                       {"decision": "remove"}),
                   404, "not-found")


# ---- the rate --------------------------------------------------------------

def test_thirty_messages_a_minute(server, org):
    a, b = org.learner(), org.learner()
    cid = start(a, [b], "1")["id"]
    for i in range(29):
        send(a, cid, f"m{i}")
    r = a.request("POST", f"{C}/{cid}/messages", {"body": "one too many"})
    assert_problem(r, 429, "rate-limited")
    # b is not limited by a's rate.
    send(b, cid, "fine")
    # The limit is a minute's: waiting a minute is enough.
    retry = r.header("Retry-After")
    assert retry is not None and 0 < int(retry) <= 60, retry


# ---- messaging off ---------------------------------------------------------

def test_messaging_off_closes_every_messages_route(server, org):
    a, b = org.learner(), org.learner()
    cid = start(a, [b], "hi")["id"]
    x = send(b, cid, "yo")
    rid = a.request("POST", f"{M}/{x['id']}/report",
                    {"reason": "spam"}).json["id"]
    r = org.admin.request("PATCH", "/api/v1/admin/organization",
                          {"messaging_enabled": False})
    assert r.status == 200, r
    # The sessions signed in before see it at once.
    for method, path, body in (
            ("GET", C, None), ("POST", C, {"user_ids": [b.id], "body": "x"}),
            ("GET", f"{C}/{cid}", None), ("GET", f"{C}/{cid}/messages", None),
            ("POST", f"{C}/{cid}/messages", {"body": "x"}),
            ("POST", f"{C}/{cid}/read", None),
            ("DELETE", f"{C}/{cid}/members/me", None),
            ("GET", f"{M}/unread", None), ("GET", f"{M}/contacts", None),
            ("DELETE", f"{M}/{x['id']}", None),
            ("POST", f"{M}/{x['id']}/report", {"reason": "spam"})):
        for who in (a, org.ins, org.admin):
            assert_problem(who.request(method, path, body), 403,
                           "messaging-off")
    # Blocks and the admins' reports still work.
    block(a, b)
    assert a.get("/api/v1/blocks").status == 200
    assert a.request("DELETE", f"/api/v1/blocks/{b.id}").status == 204
    assert org.admin.get(R).status == 200
    assert org.admin.request("POST", f"{R}/{rid}/resolve",
                             {"decision": "dismiss"}).status == 204
    # Another organization is not concerned; on again, all is back.
    o2 = Org(server)
    assert o2.ins.get(C).status == 200
    r = org.admin.request("PATCH", "/api/v1/admin/organization",
                          {"messaging_enabled": True})
    assert r.status == 200, r
    send(a, cid, "back")


# ---- bad input, other organizations ----------------------------------------

def test_bad_input(server, org):
    a, b = org.learner(), org.learner()
    cid = start(a, [b], "hi")["id"]
    for path in (f"{C}/nope", f"{C}/nope/messages", f"{C}/{uuid.uuid4()}",
                 f"{C}/{uuid.uuid4()}/messages"):
        assert_problem(a.get(path), 404, "not-found")
    for method, path in (("POST", f"{C}/{uuid.uuid4()}/read"),
                         ("POST", f"{C}/nope/read"),
                         ("DELETE", f"{M}/{uuid.uuid4()}"),
                         ("DELETE", f"{M}/nope"),
                         ("DELETE", f"{C}/{uuid.uuid4()}/members/me")):
        assert_problem(a.request(method, path), 404, "not-found")
    assert_problem(a.request("POST", f"{C}/{uuid.uuid4()}/messages",
                             {"body": "x"}), 404, "not-found")
    assert_problem(a.request("POST", f"{M}/nope/report", {"reason": "spam"}),
                   404, "not-found")
    assert_invalid(a.request("POST", C, {"user_ids": ["bob"], "body": "x"}),
                   "user_ids")
    assert_invalid(a.request("POST", C, {"user_ids": b.id, "body": "x"}),
                   "user_ids")
    assert_invalid(a.request("POST", C, {"user_ids": [b.id]}), "body")
    assert_invalid(a.request("POST", C, {"user_ids": [b.id], "body": " \n"}),
                   "body")
    assert_invalid(a.request("POST", C, {"user_ids": [b.id], "body": "x",
                                         "to": "b"}), "to")
    assert_invalid(a.request("POST", C, {"user_ids": [b.id, a.id],
                                         "title": "t" * 101, "body": "x"}),
                   "title")
    path = f"{C}/{cid}/messages"
    assert_invalid(a.request("POST", path, {"body": ""}), "body")
    assert_invalid(a.request("POST", path, {"body": "\t \r\n"}), "body")
    assert_invalid(a.request("POST", path, {"body": "x" * 5001}), "body")
    assert_invalid(a.request("POST", path, {"body": 5}), "body")
    assert_invalid(a.request("POST", path, {"body": "x", "html": 1}), "html")
    # 5000 characters, not bytes.
    x = send(a, cid, "é" * 5000)
    assert len(x["body"]) == 5000
    assert_invalid(a.get(f"{path}?before=nope"), "before")
    assert_invalid(a.get(f"{C}?after=nope"), "after")
    assert_invalid(a.get(f"{M}/contacts{qs(q='x' * 101)}"), "q")
    assert_problem(a.request("PUT", "/api/v1/blocks/nope"), 404, "not-found")


def test_another_organization_sees_nothing(server, org):
    a, b = org.learner(), org.learner()
    cid = start(a, [b], "private")["id"]
    x = send(b, cid, "also private")
    other = Org(server)
    for who in (other.admin, other.ins, other.learner()):
        for path in (f"{C}/{cid}", f"{C}/{cid}/messages"):
            assert_problem(who.get(path), 404, "not-found")
        assert_problem(who.request("POST", f"{C}/{cid}/messages",
                                   {"body": "in"}), 404, "not-found")
        assert_problem(who.request("POST", f"{C}/{cid}/read"), 404,
                       "not-found")
        assert_problem(who.request("POST", f"{M}/{x['id']}/report",
                                   {"reason": "spam"}), 404, "not-found")
        assert_problem(who.request("DELETE", f"{M}/{x['id']}"), 404,
                       "not-found")
        assert who.get(C).json["items"] == []
        assert unread(who) == {"unread": 0, "conversations": 0}
        ids = {c["id"] for c in who.get(f"{M}/contacts?limit=50")
               .json["items"]}
        assert not ids & {a.id, b.id, org.ins.id, org.admin.id}
    # A member of the same organization not in it: 404 too.
    c = org.learner()
    assert_problem(c.get(f"{C}/{cid}/messages"), 404, "not-found")
    assert_problem(c.request("POST", f"{M}/{x['id']}/report",
                             {"reason": "spam"}), 404, "not-found")


# ---- at once ---------------------------------------------------------------

def test_two_starting_the_same_pair_at_once_make_one(server, org):
    for _ in range(3):
        a, b = org.learner(), org.learner()
        results = []
        go = threading.Barrier(2)

        def run(who, whom):
            go.wait()
            results.append(who.request("POST", C, {"user_ids": [whom.id],
                                                   "body": "at once"}))

        ts = [threading.Thread(target=run, args=(a, b)),
              threading.Thread(target=run, args=(b, a))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert sorted(r.status for r in results) == [200, 201], results
        assert len({r.json["id"] for r in results}) == 1
        assert len(page(a, results[0].json["id"])["items"]) == 2


# ---- live ------------------------------------------------------------------

def test_a_new_message_reaches_the_others_streams(server, org):
    a, b, c = org.learner(), org.learner(), org.learner()
    g = start(a, [b, c], "hi", title="Live")["id"]
    block(c, a)
    sb, sa, sc = Stream(server, b), Stream(server, a), Stream(server, c)
    assert sb.status == sa.status == sc.status == 200
    time.sleep(0.2)
    x = send(a, g, "live!")
    ev = sb.next("message")
    assert ev is not None and ev["data"] == {"id": x["id"],
                                             "conversation_id": g}
    assert sa.next("message", timeout=1.5) is None
    assert sc.next("message", timeout=1.5) is None
    for s in (sa, sb, sc):
        s.close()
