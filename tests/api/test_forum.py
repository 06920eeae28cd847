"""Forums: each course's and the organization's, with categories; threads
and replies nested to any depth, read as a tree or by time, a page at a
time; likes once per member, never one's own, even asked at once; edits
with their history and If-Match; soft deletion; the accepted answer and
its XP; a Q&A category's answers hidden until one answers; mentions and
watching with their notifications; unread counts; search; and nothing for
a learner of another course or organization.
"""
import threading
import time

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, new_account,
                     new_org, sign_in, sql, uniq)
from test_reviews import enrolled, published_course

F = "/api/v1/forum"


@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


@pytest.fixture
def course(ins):
    return published_course(ins)


def general(who, course):
    """The course forum's first category."""
    r = who.get(f"{F}?course={course}")
    assert r.status == 200, r
    return r.json["categories"][0]["id"]


def thread(who, cat, title="Why /30 for links?", body="Two hosts only?"):
    r = who.request("POST", f"{F}/categories/{cat}/threads",
                    {"title": title, "body": body})
    assert r.status == 201, r
    return r.json


def reply(who, tid, body, parent=None):
    doc = {"body": body}
    if parent:
        doc["parent_id"] = parent
    r = who.request("POST", f"{F}/threads/{tid}/replies", doc)
    assert r.status == 201, r
    return r.json


def trusted(server, who, level=2):
    """Raises a member's trust (new members may not post links)."""
    sql(server, f"UPDATE forum_members SET trust_level = {level} "
        f"WHERE user_id = '{who.user['id']}'")
    sql(server, f"INSERT INTO forum_members (user_id, org_id, trust_level) "
        f"SELECT id, org_id, {level} FROM users WHERE id = '{who.user['id']}' "
        f"ON CONFLICT DO NOTHING")


def test_every_course_has_a_forum_for_its_learners_and_authors(
        server, ins, course):
    me = enrolled(server, course)
    doc = me.get(f"{F}?course={course}").json
    assert doc["role"] == "member" and doc["course"]["id"] == course
    assert [c["name"] for c in doc["categories"]] == ["General"]
    assert ins.get(f"{F}?course={course}").json["role"] == "staff"
    # Not enrolled: the course is in the catalog, its forum is not mine.
    other = new_account(server)
    assert_problem(other.get(f"{F}?course={course}"), 404, "not-found")
    cat = doc["categories"][0]["id"]
    assert_problem(other.get(f"{F}/categories/{cat}/threads"), 404,
                   "not-found")
    # Everyone reads the general forum; my courses' forums are listed.
    assert other.get(F).json["categories"][0]["name"] == "General"
    listed = me.get("/api/v1/forums").json["items"]
    assert listed[0]["course_id"] is None and listed[0]["role"] == "member"
    assert course in [f["course_id"] for f in listed]


def test_replies_nest_and_read_as_a_tree_or_by_time(server, ins, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    cat = general(me, course)
    t = thread(me, cat)
    assert t["replies"] == 0 and t["html"] == "<p>Two hosts only?</p>\n"
    a = reply(you, t["id"], "Yes: network, two hosts, broadcast.")
    b = reply(me, t["id"], "And /31?")
    a1 = reply(me, t["id"], "Thanks!", a["id"])
    a11 = reply(you, t["id"], "You are welcome.", a1["id"])
    assert (a["n"], b["n"], a1["n"], a11["n"]) == (1, 2, 3, 4)
    assert (a1["depth"], a11["depth"]) == (1, 2)
    tree = me.get(f"{F}/threads/{t['id']}/replies").json["items"]
    assert [x["n"] for x in tree] == [1, 3, 4, 2]
    by_time = me.get(f"{F}/threads/{t['id']}/replies?order=time").json
    assert [x["n"] for x in by_time["items"]] == [1, 2, 3, 4]
    newest = me.get(f"{F}/threads/{t['id']}/replies?order=newest").json
    assert [x["n"] for x in newest["items"]] == [4, 3, 2, 1]
    # Pages: the next key is a reply number, in either order.
    page = me.get(f"{F}/threads/{t['id']}/replies?limit=2").json
    assert [x["n"] for x in page["items"]] == [1, 3] and page["next"] == 3
    page = me.get(f"{F}/threads/{t['id']}/replies?limit=2&after=3").json
    assert [x["n"] for x in page["items"]] == [4, 2] and page["next"] is None
    head = me.get(f"{F}/threads/{t['id']}").json
    assert head["thread"]["replies"] == 4 and head["watching"] is True
    # A reply to a reply of another thread is refused.
    other = thread(me, cat, "Another")
    r = me.request("POST", f"{F}/threads/{other['id']}/replies",
                   {"body": "x", "parent_id": a["id"]})
    assert_invalid(r, "parent_id")


def test_bad_input_is_refused_clearly(server, course):
    me = enrolled(server, course)
    cat = general(me, course)
    url = f"{F}/categories/{cat}/threads"
    assert_invalid(me.request("POST", url, {"title": " ", "body": "x"}),
                   "title")
    assert_invalid(me.request("POST", url, {"title": "t"}), "body")
    assert_invalid(me.request("POST", url, {"title": "t", "body": "b",
                                            "pinned": True}), "pinned")
    assert_invalid(me.request("POST", url, {"title": "t" * 201,
                                            "body": "b"}), "title")
    t = thread(me, cat)
    assert_invalid(me.get(f"{F}/threads/{t['id']}/replies?order=random"),
                   "order")
    assert_invalid(me.get(f"{F}/threads/{t['id']}/replies?after=-1"),
                   "after")
    assert_problem(me.get(f"{F}/threads/not-an-id"), 404, "not-found")
    assert_problem(me.get(f"{F}/threads/{uniq_uuid()}"), 404, "not-found")
    assert_invalid(me.request("POST", f"{F}/threads/{t['id']}/flag",
                              {"reason": "rude"}), "reason")
    assert_invalid(me.request("POST", f"{F}/threads/{t['id']}/flag",
                              {"reason": "other"}), "note")


def count(server, query):
    return int(sql(server, query)[0][0])


def uniq_uuid():
    import uuid
    return str(uuid.uuid4())


def test_no_script_survives_a_post(server, course):
    me = enrolled(server, course)
    trusted(server, me)
    cat = general(me, course)
    t = thread(me, cat, "Hostile", "<script>alert(1)</script>\n\n"
               "[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script" not in t["html"] and "javascript:" not in t["html"]
    assert "<img" not in t["html"]
    r = reply(me, t["id"], "[y](JaVaScRiPt:alert(2))")
    assert "javascript" not in r["html"].lower()


def test_a_new_member_posts_no_links_until_trusted(server, course):
    me = enrolled(server, course)
    cat = general(me, course)
    r = me.request("POST", f"{F}/categories/{cat}/threads",
                   {"title": "Spam?", "body": "See https://example.com"})
    assert_problem(r, 403, "forbidden")
    trusted(server, me, 1)
    assert me.request("POST", f"{F}/categories/{cat}/threads",
                      {"title": "Fine", "body": "See <https://example.com>"}
                      ).status == 201


def test_likes_count_once_even_at_once_and_never_ones_own(
        server, ins, course):
    me = enrolled(server, course)
    cat = general(me, course)
    t = thread(me, cat)
    assert_problem(me.request("POST", f"{F}/threads/{t['id']}/like"), 403,
                   "forbidden")
    fans = [enrolled(server, course) for _ in range(3)]
    results = []

    def hit(who):
        for _ in range(3):
            results.append(who.request("POST",
                                       f"{F}/threads/{t['id']}/like").status)

    threads = [threading.Thread(target=hit, args=(f,)) for f in fans]
    for x in threads:
        x.start()
    for x in threads:
        x.join()
    assert set(results) == {200}
    assert me.get(f"{F}/threads/{t['id']}").json["thread"]["likes"] == 3
    r = fans[0].request("DELETE", f"{F}/threads/{t['id']}/like")
    assert r.status == 200 and r.json["likes"] == 2
    # The author earned XP for the likes, once each however often asked.
    n = count(server, f"SELECT count(*) FROM xp_events WHERE user_id = "
            f"'{me.user['id']}' AND source = 'forum'")
    assert n == 3
    fans[0].request("POST", f"{F}/threads/{t['id']}/like")
    assert count(server, f"SELECT count(*) FROM xp_events WHERE user_id = "
               f"'{me.user['id']}' AND source = 'forum'") == 3


def test_edits_keep_history_and_need_the_version_read(server, ins, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    cat = general(me, course)
    t = thread(me, cat, "Old title", "Old body")
    url = f"{F}/threads/{t['id']}"
    assert_problem(you.request("PATCH", url, {"body": "Mine now"}), 403,
                   "forbidden")
    r = me.request("PATCH", url, {"title": "New title"}, {"If-Match": '"v1"'})
    assert r.status == 200 and r.json["version"] == 2
    assert r.json["body"] == "Old body" and r.json["edited_at"]
    assert_problem(me.request("PATCH", url, {"body": "Again"},
                              {"If-Match": '"v1"'}), 412, "stale-version")
    hist = me.get(f"{url}/revisions").json["items"]
    assert [h["title"] for h in hist] == ["Old title"]
    # Moderators edit too.
    assert ins.request("PATCH", url, {"body": "Tidied"}).status == 200
    rp = reply(you, t["id"], "First")
    r = you.request("PATCH", f"{F}/replies/{rp['id']}", {"body": "Second"})
    assert r.status == 200 and r.json["body"] == "Second"
    assert [h["body"] for h in you.get(
        f"{F}/replies/{rp['id']}/revisions").json["items"]] == ["First"]
    got = me.get(f"{F}/replies/{rp['id']}").json
    assert got["body"] == "Second" and got["post_id"] == t["id"]


def test_deleting_keeps_the_replies_and_hides_the_text(server, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    cat = general(me, course)
    t = thread(me, cat)
    a = reply(you, t["id"], "Parent")
    reply(me, t["id"], "Child", a["id"])
    assert_problem(me.request("DELETE", f"{F}/replies/{a['id']}"), 403,
                   "forbidden")
    assert you.request("DELETE", f"{F}/replies/{a['id']}").status == 204
    items = me.get(f"{F}/threads/{t['id']}/replies").json["items"]
    assert items[0]["deleted"] and items[0]["body"] is None
    assert items[0]["author"] is None and items[1]["body"] == "Child"
    assert me.get(f"{F}/threads/{t['id']}").json["thread"]["replies"] == 1
    assert_problem(you.request("DELETE", f"{F}/replies/{a['id']}"), 404,
                   "not-found")


def test_the_accepted_answer_pays_its_author_once(server, ins, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    cat = general(me, course)
    t = thread(me, cat)
    a = reply(you, t["id"], "The answer")
    url = f"{F}/threads/{t['id']}/accept"
    assert_problem(you.request("POST", url, {"reply_id": a["id"]}), 403,
                   "forbidden")
    r = me.request("POST", url, {"reply_id": a["id"]})
    assert r.status == 200 and r.json["accepted_reply_id"] == a["id"]
    items = me.get(f"{F}/threads/{t['id']}/replies").json["items"]
    assert items[0]["accepted"]
    kinds = [n["kind"] for n in you.get("/api/v1/me/notifications?limit=200").json[
        "items"]]
    assert "forum_accepted" in kinds
    assert me.request("DELETE", url).status == 200
    assert me.request("POST", url, {"reply_id": a["id"]}).status == 200
    assert count(server, f"SELECT count(*) FROM xp_events WHERE user_id = "
               f"'{you.user['id']}' AND idempotency_key LIKE 'accepted:%'"
               ) == 1
    assert count(server, f"SELECT accepted_answers FROM forum_members WHERE "
               f"user_id = '{you.user['id']}'") == 1


def test_a_qa_category_hides_answers_until_i_answer(server, ins, course):
    r = ins.request("POST", f"{F}/categories",
                    {"course_id": course, "name": f"Q&A {uniq()}",
                     "kind": "qa"})
    assert r.status == 201, r
    qa = r.json["id"]
    asker = enrolled(server, course)
    t = thread(asker, qa, "What is port 22?", "Tell me.")
    first = enrolled(server, course)
    reply(first, t["id"], "SSH.")
    late = enrolled(server, course)
    doc = late.get(f"{F}/threads/{t['id']}/replies").json
    assert doc["answers_hidden"] and doc["items"] == []
    reply(late, t["id"], "Secure shell.")
    doc = late.get(f"{F}/threads/{t['id']}/replies").json
    assert not doc["answers_hidden"] and len(doc["items"]) == 2
    # The asker and staff see them all along.
    assert len(asker.get(f"{F}/threads/{t['id']}/replies").json[
        "items"]) == 2
    assert not ins.get(f"{F}/threads/{t['id']}").json["answers_hidden"]


def test_mentions_and_watchers_are_notified(server, ins, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    outsider = new_account(server)
    cat = general(me, course)
    t = thread(me, cat, "Ping", f"@{you.user['username']} and "
               f"@{outsider.user['username']}, look")

    def kinds(who):
        return [n["kind"] for n in who.get("/api/v1/me/notifications?limit=200").json[
            "items"]]
    assert "forum_mention" in kinds(you)
    assert "forum_mention" not in kinds(outsider)
    reply(you, t["id"], "Looking.")
    reply(you, t["id"], "Still looking.")
    mine = [n for n in me.get("/api/v1/me/notifications?limit=200").json["items"]
            if n["kind"] == "forum_reply"]
    assert len(mine) == 1 and not mine[0]["read_at"]
    # Muting the thread stops them.
    assert me.request("PUT", f"{F}/threads/{t['id']}/watch",
                      {"watching": False}).status == 200
    sql(server, f"DELETE FROM notifications WHERE user_id = '{me.user['id']}'")
    reply(you, t["id"], "Again.")
    assert "forum_reply" not in kinds(me)


def test_unread_counts_follow_what_i_read(server, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    cat = general(me, course)
    t = thread(you, cat, f"Unread {uniq()}")
    for i in range(3):
        reply(you, t["id"], f"r{i}")
    item = [x for x in me.get(f"{F}/categories/{cat}/threads").json["items"]
            if x["id"] == t["id"]][0]
    assert item["unread"] is None
    r = me.request("POST", f"{F}/threads/{t['id']}/read", {"upto": 2})
    assert r.status == 200 and r.json == {"last_read": 2, "unread": 1}
    r = me.request("POST", f"{F}/threads/{t['id']}/read", {"upto": 99})
    assert r.json == {"last_read": 3, "unread": 0}
    assert count(server, f"SELECT posts_read FROM forum_members WHERE user_id = "
               f"'{me.user['id']}'") == 4


def test_search_finds_posts_with_a_typo_in_my_forums_only(
        server, ins, course):
    me = enrolled(server, course)
    cat = general(me, course)
    word = "zorbification" + uniq().replace("-", "")[:6]
    t = thread(me, cat, "Strange word", f"What is {word} in routing?")
    r = me.get(f"{F}/search?q={word}")
    assert r.status == 200 and r.json["items"][0]["post_id"] == t["id"]
    other = new_account(server)
    assert other.get(f"{F}/search?q={word}").json["items"] == []
    assert_invalid(me.get(f"{F}/search?q=%20"), "q")


def test_another_organization_sees_nothing(server, ins, course):
    me = enrolled(server, course)
    cat = general(me, course)
    t = thread(me, cat)
    admin = new_account(server, "admin", org=new_org(server))
    for url in (f"{F}?course={course}", f"{F}/categories/{cat}/threads",
                f"{F}/threads/{t['id']}", f"{F}/threads/{t['id']}/replies"):
        assert_problem(admin.get(url), 404, "not-found")
    assert_problem(admin.request("POST", f"{F}/threads/{t['id']}/like"),
                   404, "not-found")


def test_unread_forum_news_go_out_as_one_daily_digest(
        server, start_server, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    t = thread(me, general(me, course), "Digest me")
    reply(you, t["id"], "First news.")
    thread(you, general(you, course), "Ping",
           f"@{me.user['username']} look")
    # An hour later, unread: the next maintenance round mails them once.
    sql(server, f"UPDATE notifications SET created_at = now() - "
                f"interval '2 hours' WHERE user_id = '{me.user['id']}'")
    email = me.get("/api/v1/me").json["email"]
    subject = "New in your Ludus forums"
    other = start_server(server.db)

    def digests(timeout):
        # Whichever server's mail loop takes it from the outbox delivers it.
        deadline = time.monotonic() + timeout
        while True:
            found = [m for s in (server, other) for m in
                     s.mails(to=email, subject=subject, count=0, timeout=0)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)
    mails = digests(10)
    assert len(mails) == 1, mails
    assert "Digest me" in mails[0]["body"] and "mentioned you" in \
        mails[0]["body"]
    assert count(server, f"SELECT count(*) FROM forum_members WHERE "
                         f"user_id = '{me.user['id']}' AND digested_at "
                         f"IS NOT NULL") == 1
    # Not again within the day, though the maintenance runs again.
    start_server(server.db)
    assert len(digests(2)) == 1


def test_my_forum_posts_are_in_my_data_export(server, course):
    me = enrolled(server, course)
    you = enrolled(server, course)
    t = thread(me, general(me, course), "Exported", "Old words")
    assert me.request("PATCH", f"{F}/threads/{t['id']}",
                      {"body": "New words"}).status == 200
    r = reply(me, t["id"], "My reply")
    mine = reply(you, t["id"], "Yours")
    assert me.request("POST", f"{F}/replies/{mine['id']}/like").status == 200
    assert me.request("POST", f"{F}/replies/{mine['id']}/flag",
                      {"reason": "spam"}).status == 201
    doc = me.get("/api/v1/me/export").json
    (th,) = doc["forum_threads"]
    assert th["id"] == t["id"] and th["body"] == "New words"
    assert [v["body"] for v in th["revisions"]] == ["Old words"]
    assert [x["id"] for x in doc["forum_replies"]] == [r["id"]]
    assert [x["reply_id"] for x in doc["forum_likes"]] == [mine["id"]]
    assert [x["reason"] for x in doc["forum_flags"]] == ["spam"]
    assert doc["forum_reads"][0]["thread_id"] == t["id"]
    assert doc["forum_member"]["threads"] == 1
    assert "Yours" not in str(doc["forum_replies"])
