"""Gamification: what learning earns and how the learner sees it.

XP with its ledger and levels, achievements (with progress, hidden ones
masked until earned), avatars, notifications, study days, streaks and
their freezes in the learner's own time zone, the daily goal and the
other study goals, leaderboards, the dashboard, and `ludus gamify
rebuild`.

The XP rules (src/gamify/engine.h): a lesson completed for the first time
20, a question answered right for the first time 2, a finished attempt 10
(+10 at 90 % or more, +25 more at 100 %), the first event of a day 5, the
daily goal 15, an achievement its xp_reward (sql/seed/0005_gamification.sql).
Level n starts at 50 * n * (n - 1) XP.

The tests share the module's server and database.  The demo instructor
writes the questions and quizzes of the default organization (where the
seeded Network+ course is); every test registers learners of its own, so
that nothing one test earns shows up in another.  Leaderboards use
organizations made for the test, whose boards hold only its learners.
"""
import json
import subprocess
import threading
import time
from collections import Counter
from types import SimpleNamespace

import pytest

from conftest import assert_no_sanitizer_report, create_db, drop_db, dsn, \
    ludus, psql
from support import (DEMO_PW, PW, assert_invalid, assert_problem, label,
                     new_account, new_org, published_quiz_lesson, qs,
                     right_answer, sign_in, sql, uniq)

COURSE = "4e700009-0000-4000-8000-000000000001"
# Seeded lessons without prerequisites (sql/seed/0002_network_plus.sql).
L101 = "4e700009-0000-4000-8000-000000000101"
L102 = "4e700009-0000-4000-8000-000000000102"
L201 = "4e700009-0000-4000-8000-000000000201"
RANDOM_ID = "7d9f3a52-4c1e-4b8a-9f00-123456789abc"

XP_LESSON, XP_ANSWER, XP_ATTEMPT, XP_HIGH, XP_PERFECT = 20, 2, 10, 10, 25
XP_DAY, XP_GOAL = 5, 15
# The seeded achievements this file earns, with their xp_reward.
REWARD = {"first-lesson": 10, "first-quiz": 10, "perfect-quiz-1": 50,
          "high-score-5": 75, "perfect-quiz-5": 200, "correct-10": 20,
          "network-5": 75, "level-5": 50, "streak-3": 25, "streak-7": 75,
          "streak-14": 150}


# ---- helpers ---------------------------------------------------------------

def learner(server, org=None):
    return new_account(server, "student", org, "gm")


def level_of(xp):
    n = 1
    while 50 * (n + 1) * n <= xp:
        n += 1
    return n


def my_xp(c, **params):
    r = c.get("/api/v1/me/xp" + qs(**params))
    assert r.status == 200, r
    return r.json


def ledger(c):
    """Every item of my XP ledger, following the pages."""
    items, after = [], None
    while True:
        doc = my_xp(c, limit=200, **({"after": after} if after else {}))
        items += doc["items"]
        after = doc["next"]
        if after is None:
            return items


def ledger_sum(server, user):
    return int(sql(server, f"SELECT coalesce(sum(amount), 0) FROM xp_events "
                           f"WHERE user_id = '{user}'")[0][0])


def cached_xp(server, user):
    return [int(v) for v in sql(server, f"SELECT xp, level FROM "
                                        f"user_profiles WHERE user_id = "
                                        f"'{user}'")[0]]


def assert_consistent(server, c):
    """The cached total and level follow the ledger, and /me/xp says so."""
    total = ledger_sum(server, c.id)
    doc = my_xp(c)
    assert doc["xp"] == total
    assert doc["level"] == level_of(total)
    assert cached_xp(server, c.id) == [total, level_of(total)]
    return doc


def achievements(c):
    r = c.get("/api/v1/me/achievements")
    assert r.status == 200, r
    return r.json["items"]


def by_code(items):
    return {a["code"]: a for a in items if a["code"] != "hidden"}


def achievement_id(server, code):
    return sql(server, f"SELECT id FROM achievements WHERE code = "
                       f"'{code}'")[0][0]


def avatar_id(server, code):
    return sql(server, f"SELECT id FROM avatars WHERE code = '{code}'")[0][0]


def earned_codes(server, user):
    return sorted(r[0] for r in sql(server, f"""
        SELECT a.code FROM user_achievements u
        JOIN achievements a ON a.id = u.achievement_id
        WHERE u.user_id = '{user}'"""))


def notifications(c, **params):
    params.setdefault("limit", 200)
    r = c.get("/api/v1/me/notifications" + qs(**params))
    assert r.status == 200, r
    return r.json


def dashboard(c):
    r = c.get("/api/v1/me/dashboard")
    assert r.status == 200, r
    return r.json


def complete(c, lesson, fresh=True):
    r = c.request("POST", f"/api/v1/lessons/{lesson}/complete")
    assert r.status == 200, r
    assert r.json["newly_completed"] is fresh, r
    return r.json


def today(server, tz="UTC"):
    return sql(server, f"SELECT (now() AT TIME ZONE '{tz}')::date")[0][0]


def at_once(n_threads, fn):
    """Runs fn(i) in threads released together; the results in order."""
    barrier = threading.Barrier(n_threads)
    out = [None] * n_threads

    def run(i):
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as e:  # reported by the caller's asserts
            out[i] = e

    threads = [threading.Thread(target=run, args=(i,))
               for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


# Questions and quizzes ------------------------------------------------------

def make_question(ins, exam=True):
    """A single-choice question: "22" is right, "21" is wrong."""
    q = {"type": "single_choice", "status": "active",
         "stem": f"Which port does SSH listen on? [{uniq('gq')}]",
         "body": {"options": [
             {"key": k, "text": t, "correct": t == "22"}
             for k, t in zip("WXYZ", ("21", "22", "23", "25"))]}}
    if exam:
        q.update(exam="network", objectives=["1.4"])
    r = ins.request("POST", "/api/v1/questions", q)
    assert r.status == 201, r
    return SimpleNamespace(id=r.json["id"], doc=r.json)


def make_quiz(ins, questions, **fields):
    body = {"title": f"Gamified quiz {uniq()}", "status": "published"}
    body.update(fields)
    r = ins.request("POST", "/api/v1/assessments", body)
    assert r.status == 201, r
    aid = r.json["id"]
    r = ins.request("PUT", f"/api/v1/assessments/{aid}/questions",
                    {"questions": [{"question_id": q.id} for q in questions]})
    assert r.status == 200, r
    return aid


def begin(c, aid):
    r = c.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == 201, r
    return r.json


def answer(c, doc, questions, right):
    """Answers every question of the attempt: right when its id is in
    right, else wrong."""
    for q in questions:
        item = [i for i in doc["questions"] if i["question_id"] == q.id][0]
        if q.id in right:
            a = right_answer(item, q.doc)
        else:
            a = {"choice": label(item["options"], "21")}
        r = c.request("PUT", f"/api/v1/attempts/{doc['id']}/answers/{q.id}",
                      {"answer": a})
        assert r.status == 200, r


def submit(c, attempt):
    return c.request("POST", f"/api/v1/attempts/{attempt}/submit")


def take(c, aid, questions, right):
    """A whole attempt; its id and result."""
    doc = begin(c, aid)
    answer(c, doc, questions, {q.id for q in right})
    r = submit(c, doc["id"])
    assert r.status == 200, r
    return doc["id"], r.json["result"]


def quiz_xp(percent):
    return XP_ATTEMPT + (XP_HIGH if percent >= 90 else 0) + \
        (XP_PERFECT if percent >= 100 else 0)


# Courses of a test's own organization ---------------------------------------

def make_course(ins, lessons=2):
    r = ins.request("POST", "/api/v1/courses",
                    {"title": f"Gamified course {uniq()}", "exam": "network"})
    assert r.status == 201, r
    cid = r.json["id"]
    r = ins.request("POST", f"/api/v1/courses/{cid}/units", {"title": "U"})
    assert r.status == 201, r
    unit = r.json["units"][-1]["id"]
    ids = []
    for i in range(lessons):
        r = ins.request("POST", f"/api/v1/units/{unit}/lessons",
                        {"title": f"Lesson {i}",
                         "content": {"markdown": f"Words {i}."}})
        assert r.status == 201, r
        ids.append(r.json["id"])
        r = ins.request("POST", f"/api/v1/lessons/{ids[-1]}/publish")
        assert r.status == 200, r
    r = ins.request("POST", f"/api/v1/courses/{cid}/publish")
    assert r.status == 200, r
    return ids


def named(server, name, org):
    """A learner of org with the username name (plus a unique tail)."""
    username = f"{name}_{uniq('x').replace('-', '_')}"
    r = server.register(f"{username}@example.com", username, PW,
                        organization=org)
    assert r.status == 202, r
    c = sign_in(server, username)
    c.username = username
    return c


def board(c, **params):
    r = c.get("/api/v1/leaderboards" + qs(**params))
    assert r.status == 200, r
    return r.json


def rows(doc):
    return [(i["rank"], i["username"], float(i["value"]))
            for i in doc["items"]]


# ---- fixtures --------------------------------------------------------------

@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


# ---- the XP rules, levels, achievements, notifications, avatars -------------

def test_a_learner_journey_earns_exactly_what_the_rules_say(server, ins):
    me = learner(server)
    start = my_xp(me)
    assert (start["xp"], start["level"], start["items"]) == (0, 1, [])
    assert start["level_starts_at"] == 0 and start["next_level_at"] == 100

    # A first lesson: 20, 5 for the day, and "Hello, World".
    complete(me, L101)
    doc = assert_consistent(server, me)
    assert doc["xp"] == XP_LESSON + XP_DAY + REWARD["first-lesson"] == 35
    assert doc["level"] == 1 and float(doc["progress_percent"]) == 35
    # The same lesson again earns nothing.
    complete(me, L101, fresh=False)
    assert my_xp(me)["xp"] == 35

    # A quiz of ten known questions, three times.
    questions = [make_question(ins) for _ in range(10)]
    aid = make_quiz(ins, questions, exam="network")

    # 7 of 10 (70 %): 10 for the attempt, 2 for each answer, "First
    # Handshake".
    a1, res = take(me, aid, questions, questions[:7])
    assert float(res["percentage"]) == 70 and res["correct"] == 7
    doc = assert_consistent(server, me)
    assert doc["xp"] == 35 + quiz_xp(70) + 7 * XP_ANSWER + \
        REWARD["first-quiz"] == 69
    assert doc["level"] == 1
    mine = by_code(achievements(me))
    assert mine["first-quiz"]["earned"] is True
    assert mine["first-quiz"]["progress"] == {"have": 1, "need": 1}
    assert mine["correct-10"]["earned"] is False
    assert mine["correct-10"]["earned_at"] is None
    assert mine["correct-10"]["progress"] == {"have": 7, "need": 10}
    assert mine["network-5"]["progress"] == {"have": 1, "need": 5}
    assert mine["high-score-5"]["progress"] == {"have": 0, "need": 5}

    # The retake at 9 of 10 (90 %): the attempt and its bonus again, but
    # only the two questions right for the first time pay; "10BASE-T"
    # (16 right answers in all) lifts the learner to level 2.
    a2, res = take(me, aid, questions, questions[:9])
    assert float(res["percentage"]) == 90
    doc = assert_consistent(server, me)
    assert doc["xp"] == 69 + quiz_xp(90) + 2 * XP_ANSWER + \
        REWARD["correct-10"] == 113
    assert doc["level"] == 2
    assert doc["level_starts_at"] == 100 and doc["next_level_at"] == 300
    assert float(doc["progress_percent"]) == pytest.approx(6.5)

    # And 10 of 10: every bonus, one new answer, "Zero Packet Loss" (and
    # its avatar).
    a3, res = take(me, aid, questions, questions)
    assert float(res["percentage"]) == 100
    doc = assert_consistent(server, me)
    assert doc["xp"] == 113 + quiz_xp(100) + XP_ANSWER + \
        REWARD["perfect-quiz-1"] == 210
    assert doc["level"] == 2

    # The ledger, item by item.
    items = ledger(me)
    assert len(items) == 22
    assert sum(i["amount"] for i in items) == 210
    assert Counter((i["source"], i["amount"]) for i in items) == Counter({
        ("lesson", 20): 1, ("streak", 5): 1, ("quiz", 10): 5, ("quiz", 25): 1,
        ("answer", 2): 10, ("achievement", 10): 2, ("achievement", 20): 1,
        ("achievement", 50): 1})
    assert [i["entity_id"] for i in items if i["source"] == "lesson"] == [L101]
    assert Counter(i["entity_id"] for i in items if i["source"] == "quiz") \
        == Counter({a1: 1, a2: 2, a3: 3})
    assert {i["entity_type"] for i in items if i["source"] == "quiz"} == \
        {"attempt"}
    paid = [i["entity_id"] for i in items if i["source"] == "answer"]
    assert sorted(paid) == sorted(q.id for q in questions)
    assert {i["entity_type"] for i in items if i["source"] == "answer"} == \
        {"question"}
    rewards = {i["reason"]: (i["entity_type"], i["entity_id"], i["amount"])
               for i in items if i["source"] == "achievement"}
    assert rewards == {
        name: ("achievement", achievement_id(server, code), REWARD[code])
        for name, code in (("Hello, World", "first-lesson"),
                           ("First Handshake", "first-quiz"),
                           ("10BASE-T", "correct-10"),
                           ("Zero Packet Loss", "perfect-quiz-1"))}
    day = [i for i in items if i["source"] == "streak"][0]
    assert day["reason"] and day["entity_type"] is None
    for i in items:
        assert i["id"] and i["reason"] and i["occurred_at"]
    stamps = [i["occurred_at"] for i in items]
    assert stamps == sorted(stamps, reverse=True)     # newest first
    # Pages of five, following "next", hold the same items.
    seen, after = [], None
    while True:
        page = my_xp(me, limit=5, **({"after": after} if after else {}))
        assert len(page["items"]) <= 5
        assert page["xp"] == 210
        seen += [i["id"] for i in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [i["id"] for i in items]
    assert_invalid(me.get("/api/v1/me/xp?limit=0"), "limit")
    assert_invalid(me.get("/api/v1/me/xp?after=nope"), "after")

    # Achievements: the earned ones with their time and full progress.
    mine = achievements(me)
    assert len(mine) == 31
    earned = {a["code"]: a for a in mine if a["earned"]}
    assert set(earned) == {"first-lesson", "first-quiz", "correct-10",
                           "perfect-quiz-1"}
    for a in earned.values():
        assert a["earned_at"]
        assert a["progress"]["have"] == a["progress"]["need"]
        assert a["xp_reward"] == REWARD[a["code"]]
    assert earned["perfect-quiz-1"]["avatar"]["code"] == "parity-parrot"
    codes = by_code(mine)
    assert codes["high-score-5"]["progress"] == {"have": 2, "need": 5}
    assert codes["network-5"]["progress"] == {"have": 3, "need": 5}
    assert codes["correct-100"]["progress"] == {"have": 26, "need": 100}
    assert codes["streak-3"]["progress"] == {"have": 1, "need": 3}
    assert codes["level-5"]["progress"] == {"have": 2, "need": 5}
    # Hidden ones stay masked until earned.
    hidden = [a for a in mine if a["hidden"]]
    assert len(hidden) == 3
    for a in hidden:
        assert a["earned"] is False and a["earned_at"] is None
        assert a["code"] == "hidden" and a["name"] == "Hidden achievement"
        assert a["description"] == "Keep learning to find out."
        assert a["avatar"] is None
        # Its goal would tell what it is ("need": 50 of "Levels").
        assert a["progress"] is None
    assert not {"perfect-quiz-5", "network-troubleshooting-mastery",
                "level-50"} & {a["code"] for a in mine}
    assert not {"Lossless Link", "Root Cause Found", "Root Bridge"} & \
        {a["name"] for a in mine}

    # A notification for each achievement, the level and the avatar.
    note = notifications(me)
    assert note["unread"] == 6 and note["next"] is None
    assert Counter((n["kind"], n["title"]) for n in note["items"]) == Counter({
        ("achievement_unlocked", "Hello, World"): 1,
        ("achievement_unlocked", "First Handshake"): 1,
        ("achievement_unlocked", "10BASE-T"): 1,
        ("achievement_unlocked", "Zero Packet Loss"): 1,
        ("level_up", "Level 2 reached"): 1,
        ("avatar_unlocked", "New avatar: Parity Parrot"): 1})
    for n in note["items"]:
        assert n["read_at"] is None and n["created_at"]
        if n["kind"] == "achievement_unlocked":
            assert n["data"]["achievement_id"] == \
                earned[{"Hello, World": "first-lesson",
                        "First Handshake": "first-quiz",
                        "10BASE-T": "correct-10",
                        "Zero Packet Loss": "perfect-quiz-1"}[n["title"]]
                       ]["id"]
        if n["kind"] == "level_up":
            assert n["data"] == {"level": 2}
        if n["kind"] == "avatar_unlocked":
            assert n["data"] == {"avatar_id": avatar_id(server,
                                                        "parity-parrot")}

    seen, after = [], None
    while True:
        page = notifications(me, limit=4, **({"after": after} if after
                                             else {}))
        assert len(page["items"]) <= 4 and page["unread"] == 6
        seen += [n["id"] for n in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [n["id"] for n in note["items"]]

    # Marking read: some by id, then the rest with {}.
    ids = [n["id"] for n in note["items"][:2]]
    r = me.request("POST", "/api/v1/me/notifications/read", {"ids": ids})
    assert r.status == 200 and r.json == {"marked": 2, "unread": 4}, r
    left = notifications(me, unread="true")
    assert left["unread"] == 4 and len(left["items"]) == 4
    assert not set(ids) & {n["id"] for n in left["items"]}
    read = [n for n in notifications(me)["items"] if n["id"] in ids]
    assert len(read) == 2 and all(n["read_at"] for n in read)
    assert dashboard(me)["unread_notifications"] == 4
    # Again: nothing more to mark.  Someone else's ids mark nothing.
    r = me.request("POST", "/api/v1/me/notifications/read", {"ids": ids})
    assert r.json == {"marked": 0, "unread": 4}, r
    other = learner(server)
    complete(other, L101)
    theirs = [n["id"] for n in notifications(other)["items"]]
    assert len(theirs) == 1
    r = me.request("POST", "/api/v1/me/notifications/read", {"ids": theirs})
    assert r.json == {"marked": 0, "unread": 4}, r
    assert notifications(other)["unread"] == 1
    r = me.request("POST", "/api/v1/me/notifications/read", {})
    assert r.status == 200 and r.json == {"marked": 4, "unread": 0}, r
    assert notifications(me)["unread"] == 0
    assert notifications(me, unread="true")["items"] == []
    assert dashboard(me)["unread_notifications"] == 0
    assert notifications(other)["unread"] == 1
    assert_invalid(me.request("POST", "/api/v1/me/notifications/read",
                              {"ids": []}), "ids")
    assert_invalid(me.request("POST", "/api/v1/me/notifications/read",
                              {"ids": ["nope"]}), "ids[0]")
    assert_invalid(me.request("POST", "/api/v1/me/notifications/read",
                              {"ids": ids, "all": True}), "all")
    assert_invalid(me.get("/api/v1/me/notifications?unread=maybe"), "unread")

    # The avatar "Zero Packet Loss" unlocked: mine to wear.
    r = me.get("/api/v1/me/avatars")
    assert r.status == 200, r
    avatars = {a["code"]: a for a in r.json["items"]}
    assert len(avatars) == 18
    parrot = avatars["parity-parrot"]
    assert parrot["unlocked"] is True and parrot["unlocked_at"]
    assert parrot["unlocked_by"] == "Zero Packet Loss"
    for code, a in avatars.items():
        assert a["unlocked"] is (a["rarity"] == "common" or
                                 code == "parity-parrot"), code
    # The hidden achievements' avatars do not say what unlocks them.
    assert avatars["lossless-lynx"]["unlocked_by"] is None
    assert avatars["ping-pigeon"]["unlocked_by"] == "Week of Uptime"
    r = me.request("PUT", "/api/v1/me/avatar", {"avatar_id": parrot["id"]})
    assert r.status == 200, r
    worn = [a["code"] for a in r.json["items"] if a["equipped"]]
    assert worn == ["parity-parrot"]
    assert dashboard(me)["avatar"]["code"] == "parity-parrot"
    # Locked, unknown, malformed.
    r = me.request("PUT", "/api/v1/me/avatar",
                   {"avatar_id": avatars["lossless-lynx"]["id"]})
    assert_problem(r, 409, "avatar-locked")
    assert_invalid(me.request("PUT", "/api/v1/me/avatar",
                              {"avatar_id": RANDOM_ID}), "avatar_id")
    assert_invalid(me.request("PUT", "/api/v1/me/avatar",
                              {"avatar_id": "nope"}), "avatar_id")
    assert_invalid(me.request("PUT", "/api/v1/me/avatar", {}), "avatar_id")
    assert dashboard(me)["avatar"]["code"] == "parity-parrot"
    # A common avatar belongs to everybody.
    r = me.request("PUT", "/api/v1/me/avatar",
                   {"avatar_id": avatars["terminal-cat"]["id"]})
    assert r.status == 200, r
    assert [a["code"] for a in r.json["items"] if a["equipped"]] == \
        ["terminal-cat"]
    # Someone without the achievement cannot wear its avatar.
    assert_problem(other.request("PUT", "/api/v1/me/avatar",
                                 {"avatar_id": parrot["id"]}),
                   409, "avatar-locked")
    assert_consistent(server, me)


def test_the_level_curve(server):
    # Level n starts at 50 * n * (n - 1) XP.
    got = sql(server, "SELECT xp_level(x) FROM unnest(ARRAY[0, 1, 99, 100, "
                      "299, 300, 599, 600, 999, 1000, 4499, 4500, 122499, "
                      "122500]) x")
    assert [int(r[0]) for r in got] == [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 9,
                                        10, 49, 50]
    for xp in range(0, 3000, 7):
        assert level_of(xp) == max(n for n in range(1, 20)
                                   if 50 * n * (n - 1) <= xp)


def test_the_seeded_achievements_and_avatars(server):
    """What the XP sums of this file count on."""
    got = dict(sql(server, "SELECT code, xp_reward FROM achievements"))
    assert len(got) == 31
    assert {c: int(got[c]) for c in REWARD} == REWARD
    assert sorted(r[0] for r in sql(server, "SELECT code FROM achievements "
                                            "WHERE is_hidden")) == [
        "level-50", "network-troubleshooting-mastery", "perfect-quiz-5"]
    assert sql(server, "SELECT rarity, count(*), count(*) FILTER (WHERE "
                       "is_default) FROM avatars GROUP BY rarity ORDER BY "
                       "rarity") == [["common", "3", "3"], ["epic", "7", "0"],
                                     ["legendary", "5", "0"],
                                     ["rare", "3", "0"]]
    assert dict(sql(server, "SELECT a.code, v.code FROM achievements a JOIN "
                            "avatars v ON v.id = a.avatar_id WHERE a.code IN "
                            "('perfect-quiz-1', 'perfect-quiz-5', 'level-5', "
                            "'streak-7')")) == {
        "perfect-quiz-1": "parity-parrot", "perfect-quiz-5": "lossless-lynx",
        "level-5": "cable-crab", "streak-7": "ping-pigeon"}


def test_earned_at_reads_like_every_other_time(server):
    me = learner(server)
    complete(me, L101)
    earned = [a for a in achievements(me) if a["earned"]]
    recent = dashboard(me)["recent_achievements"]
    assert len(earned) == len(recent) == 1
    assert earned[0]["earned_at"] == recent[0]["earned_at"]
    assert "T" in earned[0]["earned_at"]


def test_a_new_learner_wears_no_avatar(server):
    me = learner(server)
    r = me.get("/api/v1/me/avatars")
    assert r.status == 200, r
    assert [a["equipped"] for a in r.json["items"]] == [False] * 18


def test_a_new_learner_has_not_studied_today(server):
    me = learner(server)
    assert dashboard(me)["streak"]["studied_today"] is False


# ---- concurrency ------------------------------------------------------------

def test_twenty_submits_at_once_award_each_achievement_once(server, ins):
    me = learner(server)
    qa, qb = make_question(ins), make_question(ins)
    docs = []
    for _ in range(20):
        doc = begin(me, make_quiz(ins, [qa, qb], exam="network"))
        answer(me, doc, [qa, qb], {qa.id, qb.id})
        docs.append(doc)
    assert ledger_sum(server, me.id) == 0

    out = at_once(20, lambda i: submit(me, docs[i]["id"]))
    assert [getattr(r, "status", r) for r in out] == [200] * 20, out
    for r in out:
        assert float(r.json["result"]["percentage"]) == 100

    # 20 perfect quizzes of the same two questions: each question pays
    # once; first-quiz, perfect-quiz-1, high-score-5, perfect-quiz-5,
    # correct-10 (40 right), network-5, and level-5 once the rest is in.
    codes = ["correct-10", "first-quiz", "high-score-5", "level-5",
             "network-5", "perfect-quiz-1", "perfect-quiz-5"]
    before_level = 20 * quiz_xp(100) + 2 * XP_ANSWER + XP_DAY + sum(
        REWARD[c] for c in codes if c != "level-5")
    assert level_of(before_level) == 5
    total = before_level + REWARD["level-5"]
    assert earned_codes(server, me.id) == codes
    rows_ = sql(server, f"""
        SELECT a.code, count(*) FROM xp_events x
        JOIN achievements a ON a.id = x.entity_id
        WHERE x.user_id = '{me.id}' AND x.source = 'achievement'
        GROUP BY a.code ORDER BY a.code""")
    assert rows_ == [[c, "1"] for c in codes]
    assert sql(server, f"SELECT count(*) FROM user_achievements WHERE "
                       f"user_id = '{me.id}' GROUP BY achievement_id "
                       f"HAVING count(*) > 1") == []
    assert sorted(r[0] for r in sql(server, f"""
        SELECT v.code FROM user_avatars u JOIN avatars v ON v.id = u.avatar_id
        WHERE u.user_id = '{me.id}'""")) == ["cable-crab", "lossless-lynx",
                                             "parity-parrot"]
    assert sql(server, f"SELECT source, count(*), sum(amount) FROM "
                       f"xp_events WHERE user_id = '{me.id}' AND source <> "
                       f"'achievement' GROUP BY source ORDER BY source") == [
        ["answer", "2", "4"], ["quiz", "60", str(20 * quiz_xp(100))],
        ["streak", "1", "5"]]
    doc = assert_consistent(server, me)
    assert doc["xp"] == total and doc["level"] == 5
    # A notification for each: 7 achievements, 3 avatars, levels 2 to 5.
    note = notifications(me)
    assert Counter(n["kind"] for n in note["items"]) == Counter({
        "achievement_unlocked": 7, "avatar_unlocked": 3, "level_up": 4})
    assert sorted(n["data"]["level"] for n in note["items"]
                  if n["kind"] == "level_up") == [2, 3, 4, 5]
    # The hidden one, once earned, shows what it is.
    mine = by_code(achievements(me))
    assert mine["perfect-quiz-5"]["name"] == "Lossless Link"
    assert mine["perfect-quiz-5"]["hidden"] is True
    assert mine["perfect-quiz-5"]["earned"] is True
    assert mine["perfect-quiz-5"]["avatar"]["code"] == "lossless-lynx"
    assert mine["high-score-25"]["progress"] == {"have": 20, "need": 25}
    r = me.get("/api/v1/me/avatars")
    lynx = [a for a in r.json["items"] if a["code"] == "lossless-lynx"][0]
    assert lynx["unlocked"] is True and lynx["unlocked_by"] == "Lossless Link"


def test_twenty_submits_of_one_attempt_award_it_once(server, ins):
    me = learner(server)
    q = make_question(ins)
    doc = begin(me, make_quiz(ins, [q], exam="network"))
    answer(me, doc, [q], {q.id})
    out = at_once(20, lambda i: submit(me, doc["id"]))
    statuses = sorted(getattr(r, "status", r) for r in out)
    assert statuses == [200] + [409] * 19, out
    for r in out:
        if r.status == 409:
            assert_problem(r, 409, "already-submitted")
    assert sql(server, f"SELECT count(*), sum(amount) FROM xp_events WHERE "
                       f"entity_id = '{doc['id']}'") == [
        ["3", str(quiz_xp(100))]]
    assert earned_codes(server, me.id) == ["first-quiz", "perfect-quiz-1"]
    total = quiz_xp(100) + XP_ANSWER + XP_DAY + REWARD["first-quiz"] + \
        REWARD["perfect-quiz-1"]
    doc = assert_consistent(server, me)
    assert doc["xp"] == total == 112 and doc["level"] == 2
    assert len(ledger(me)) == 3 + 1 + 1 + 2


def test_lessons_completed_at_once_count_one_day(server):
    me = learner(server)
    lessons = [f"4e700009-0000-4000-8000-000000000{n}"
               for n in (101, 102, 103, 201, 202, 203, 301, 302)]
    out = at_once(len(lessons), lambda i: me.request(
        "POST", f"/api/v1/lessons/{lessons[i]}/complete"))
    assert [getattr(r, "status", r) for r in out] == [200] * 8, out
    total = 8 * XP_LESSON + XP_DAY + REWARD["first-lesson"]
    doc = assert_consistent(server, me)
    assert doc["xp"] == total and doc["level"] == 2
    assert sql(server, f"SELECT day, lessons FROM activity_days WHERE "
                       f"user_id = '{me.id}'") == [[today(server), "8"]]
    assert streak_row(server, me.id) == ["1", "1", "0", "0"]
    assert Counter(n["kind"] for n in notifications(me)["items"]) == \
        Counter({"achievement_unlocked": 1, "level_up": 1})


def test_an_expired_attempt_is_a_finished_one(server, ins):
    me = learner(server)
    qa, qb = make_question(ins), make_question(ins)
    doc = begin(me, make_quiz(ins, [qa, qb], time_limit_seconds=60))
    answer(me, doc, [qa], {qa.id})
    sql(server, f"UPDATE attempts SET deadline_at = started_at + "
                f"interval '1 millisecond' WHERE id = '{doc['id']}'")
    r = me.get(f"/api/v1/attempts/{doc['id']}")
    assert r.status == 200 and r.json["status"] == "expired", r
    assert float(r.json["result"]["percentage"]) == 50
    assert assert_consistent(server, me)["xp"] == \
        quiz_xp(50) + XP_ANSWER + XP_DAY + REWARD["first-quiz"]
    assert earned_codes(server, me.id) == ["first-quiz"]
    # Reading it again pays nothing more.
    assert me.get(f"/api/v1/attempts/{doc['id']}").status == 200
    assert len(ledger(me)) == 4


def test_a_passed_quiz_that_completes_its_lesson_pays_for_the_lesson(
        server, ins):
    lesson = published_quiz_lesson(ins)
    q = make_question(ins)
    aid = make_quiz(ins, [q], lesson_id=lesson, passing_percent=50)
    me = learner(server)
    take(me, aid, [q], [q])
    items = ledger(me)
    assert [(i["amount"], i["entity_id"]) for i in items
            if i["source"] == "lesson"] == [(XP_LESSON, lesson)]
    total = XP_LESSON + quiz_xp(100) + XP_ANSWER + XP_DAY + \
        REWARD["first-lesson"] + REWARD["first-quiz"] + \
        REWARD["perfect-quiz-1"]
    assert assert_consistent(server, me)["xp"] == total
    assert earned_codes(server, me.id) == ["first-lesson", "first-quiz",
                                           "perfect-quiz-1"]
    # Completing it by hand now is nothing new.
    complete(me, lesson, fresh=False)
    assert my_xp(me)["xp"] == total


# ---- leaderboards ----------------------------------------------------------

def test_leaderboards(server, ins):
    org = new_org(server, "board")
    teacher = new_account(server, "instructor", org, "gt")
    l1, l2 = make_course(teacher, 2)
    # Made in an order that is not the board's.
    zed = named(server, "zed", org)
    kim = named(server, "kim", org)
    amy = named(server, "amy", org)
    nil = named(server, "nil", org)           # never learns anything
    for who, lessons in ((zed, (l1, l2)), (amy, (l1, l2)), (kim, (l1,))):
        for lesson in lessons:
            complete(who, lesson)
    two = 2 * XP_LESSON + XP_DAY + REWARD["first-lesson"]
    one = XP_LESSON + XP_DAY + REWARD["first-lesson"]
    # Someone of another organization with more XP than anybody here.
    outsider = learner(server)
    complete(outsider, L101)
    complete(outsider, L102)
    complete(outsider, L201)
    assert my_xp(outsider)["xp"] > two

    # By XP, all time: ties share a rank and go by username.
    doc = board(kim, period="all", by="xp")
    assert (doc["period"], doc["by"], doc["exam"], doc["since"]) == \
        ("all", "xp", None, None)
    assert rows(doc) == [(1, amy.username, two), (1, zed.username, two),
                         (3, kim.username, one)]
    assert doc["entries"] == 3
    assert [i["user_id"] for i in doc["items"]] == [amy.id, zed.id, kim.id]
    for i in doc["items"]:
        assert set(i) == {"rank", "user_id", "username", "display_name",
                          "avatar", "value"}
    assert doc["me"] == {"rank": 3, "value": one}
    # My own place even outside the top N.
    doc = board(kim, period="all", by="xp", limit=1)
    assert rows(doc) == [(1, amy.username, two)]
    assert doc["me"] == {"rank": 3, "value": one} and doc["entries"] == 3
    assert board(zed, period="all", limit=1)["me"] == {"rank": 1,
                                                       "value": two}
    # Names and avatars as the learners chose them: a display name shows
    # only where its owner allows it (test_leaderboard_privacy).
    r = amy.request("PATCH", "/api/v1/me", {"display_name": "Amy Ace"})
    assert r.status == 200, r
    r = amy.request("PATCH", "/api/v1/me/settings",
                    {"leaderboard_visibility": "full_name"})
    assert r.status == 200, r
    r = amy.request("PUT", "/api/v1/me/avatar",
                    {"avatar_id": avatar_id(server, "terminal-cat")})
    assert r.status == 200, r
    first = board(kim, period="all")["items"][0]
    assert (first["display_name"], first["avatar"]) == ("Amy Ace",
                                                        "terminal-cat")
    assert board(kim, period="all")["items"][2]["avatar"] is None
    # Nobody without XP is on the board, me included.
    doc = board(nil, period="all")
    assert doc["me"] is None and doc["entries"] == 3
    # Another organization's learners never appear, either way.
    theirs = board(outsider, period="all", limit=100)
    assert not {amy.id, zed.id, kim.id} & {i["user_id"]
                                           for i in theirs["items"]}
    assert theirs["me"]["value"] == my_xp(outsider)["xp"]

    # This week: the default; only what was earned since Monday counts.
    doc = board(kim)
    assert doc["period"] == "weekly" and doc["since"]
    assert rows(doc) == rows(board(kim, period="all"))
    psql(f"SET session_replication_role = replica; "
         f"UPDATE xp_events SET occurred_at = now() - interval '8 days' "
         f"WHERE user_id = '{zed.id}' AND idempotency_key = 'lesson:{l1}'",
         server.db)
    # The weekly totals are a cache of the ledger, which was changed behind
    # its back: the rebuild puts them right.
    assert rebuild(server.db).returncode == 0
    assert rows(board(kim, period="weekly")) == [
        (1, amy.username, two), (2, kim.username, one),
        (2, zed.username, two - XP_LESSON)]
    assert rows(board(kim, period="all")) == [
        (1, amy.username, two), (1, zed.username, two),
        (3, kim.username, one)]
    assert board(zed, period="weekly")["me"] == {"rank": 2,
                                                 "value": two - XP_LESSON}

    # By score: the average percentage of finished attempts.
    four = [make_question(teacher) for _ in range(4)]
    net = make_quiz(teacher, four, exam="network")
    two_q = [make_question(teacher, exam=False) for _ in range(2)]
    sec = make_quiz(teacher, two_q, exam="security")
    take(amy, net, four, four)             # 100
    take(amy, net, four, four[:2])         # 50
    take(zed, net, four, four[:3])         # 75
    take(kim, sec, two_q, [])              # 0
    begin(nil, net)                        # never finished: not counted
    doc = board(kim, period="all", by="score")
    assert doc["by"] == "score"
    assert rows(doc) == [(1, amy.username, 75), (1, zed.username, 75),
                         (3, kim.username, 0)]
    assert doc["me"] == {"rank": 3, "value": 0} and doc["entries"] == 3
    assert board(nil, period="all", by="score")["me"] is None
    assert rows(board(kim, by="score")) == rows(doc)    # all this week
    # An exam's board counts that exam's attempts only.
    doc = board(kim, period="all", by="score", exam="network")
    assert doc["exam"] == "network"
    assert rows(doc) == [(1, amy.username, 75), (1, zed.username, 75)]
    assert doc["me"] is None
    assert rows(board(kim, period="all", by="score", exam="security")) == [
        (1, kim.username, 0)]
    assert rows(board(kim, period="all", by="score", exam="a1101")) == []
    # By XP for an exam: the attempts and the questions of that exam.
    amy_net = quiz_xp(100) + 4 * XP_ANSWER + quiz_xp(50)
    zed_net = quiz_xp(75) + 3 * XP_ANSWER
    assert rows(board(kim, period="all", by="xp", exam="network")) == [
        (1, amy.username, amy_net), (2, zed.username, zed_net)]
    assert rows(board(kim, period="all", by="xp", exam="security")) == [
        (1, kim.username, quiz_xp(0))]

    # A deleted account leaves every board.
    r = zed.request("DELETE", "/api/v1/me", {"password": PW})
    assert r.status in (200, 202, 204), r
    for by in ("xp", "score"):
        for period in ("all", "weekly"):
            doc = board(kim, period=period, by=by)
            assert zed.id not in {i["user_id"] for i in doc["items"]}
    totals = sorted((-my_xp(w)["xp"], w.username) for w in (amy, kim))
    assert rows(board(kim, period="all")) == [
        (rank, name, -xp) for rank, (xp, name) in zip((1, 2), totals)]

    # Refusals.
    assert_invalid(kim.get("/api/v1/leaderboards?period=monthly"), "period")
    assert_invalid(kim.get("/api/v1/leaderboards?by=time"), "by")
    assert_invalid(kim.get("/api/v1/leaderboards?period=day&by=streak"),
                   "period", "by")
    assert_invalid(kim.get("/api/v1/leaderboards?exam=Not%20one"), "exam")
    assert_invalid(kim.get("/api/v1/leaderboards?limit=0"), "limit")
    assert_invalid(kim.get("/api/v1/leaderboards?limit=101"), "limit")
    r = server.request("GET", "/api/v1/leaderboards")
    assert r.status == 401, r


def test_a_preview_awards_nothing_and_counts_nowhere(server):
    """An author trying their own quiz (a draft, or a published one of
    theirs) gets it scored, and nothing else: no XP, achievement, study
    day, streak, goal or notification, no place on a board, no learner
    statistics."""
    org = new_org(server, "preview")
    author = new_account(server, "instructor", org, "pv")
    qs_ = [make_question(author) for _ in range(3)]
    draft = make_quiz(author, qs_, status="draft", exam="network")
    attempt, result = take(author, draft, qs_, qs_)
    assert result["percentage"] == 100
    r = author.get(f"/api/v1/attempts/{attempt}")
    assert r.status == 200 and r.json["preview"] is True, r
    published = make_quiz(author, qs_, exam="network")
    attempt2, _ = take(author, published, qs_, qs_)
    for table in ("xp_events", "user_achievements", "notifications",
                  "activity_days"):
        assert sql(server, f"SELECT count(*) FROM {table} "
                           f"WHERE user_id = '{author.id}'") == [["0"]], table
    assert sql(server, f"SELECT event_type FROM activity_events "
                       f"WHERE user_id = '{author.id}'") == \
        [["user.registered"]]
    assert sql(server, f"SELECT coalesce(current_streak, 0) FROM "
                       f"learning_streaks WHERE user_id = '{author.id}'") \
        in ([], [["0"]])
    assert my_xp(author)["xp"] == 0
    assert dashboard(author)["streak"]["current"] == 0
    # Even where staff are on the boards, a preview is on none of them.
    admin = new_account(server, "admin", org, "pa")
    r = admin.request("PATCH", "/api/v1/admin/organization",
                      {"leaderboard_include_staff": True})
    assert r.status == 200, r
    for by in ("xp", "score"):
        for exam in (None, "network"):
            doc = board(author, period="all", by=by,
                        **({"exam": exam} if exam else {}))
            assert doc["items"] == [] and doc["me"] is None, doc
    # The author's results page leaves previews out; a learner's attempt
    # counts.
    kid = named(server, "kid", org)
    theirs, _ = take(kid, published, qs_, qs_[:1])
    r = author.get(f"/api/v1/assessments/{published}/results")
    assert r.status == 200, r
    assert [i["id"] for i in r.json["items"]] == [theirs], r.json


def test_leaderboard_privacy(server):
    """Usernames only by default; a display name when its owner allows it;
    nobody who chose to be hidden; staff only when the organization says
    so, and that change is audited."""
    org = new_org(server, "privacy")
    teacher = new_account(server, "instructor", org, "pt")
    admin = new_account(server, "admin", org, "pa")
    l1, l2 = make_course(teacher, 2)
    ann = named(server, "ann", org)
    bob = named(server, "bob", org)
    for who, lessons in ((ann, (l1, l2)), (bob, (l1,)), (teacher, (l1, l2))):
        for lesson in lessons:
            complete(who, lesson)
    for c, name in ((ann, "Ann Real"), (bob, "Bob Real")):
        r = c.request("PATCH", "/api/v1/me", {"display_name": name})
        assert r.status == 200, r
    r = ann.get("/api/v1/me/settings")
    assert r.status == 200 and \
        r.json["leaderboard_visibility"] == "username", r

    # Staff are not on the learners' board, and see their own place as none.
    doc = board(ann, period="all")
    assert [i["username"] for i in doc["items"]] == [ann.username,
                                                     bob.username]
    assert all(i["display_name"] is None for i in doc["items"]), doc
    assert board(teacher, period="all")["me"] is None

    r = bob.request("PATCH", "/api/v1/me/settings",
                    {"leaderboard_visibility": "full_name"})
    assert r.status == 200 and r.json["leaderboard_visibility"] == "full_name"
    names = {i["username"]: i["display_name"]
             for i in board(ann, period="all")["items"]}
    assert names == {ann.username: None, bob.username: "Bob Real"}

    r = ann.request("PATCH", "/api/v1/me/settings",
                    {"leaderboard_visibility": "hidden"})
    assert r.status == 200, r
    for period in ("all", "weekly"):
        doc = board(ann, period=period)
        assert [i["username"] for i in doc["items"]] == [bob.username]
        assert doc["me"] is None and doc["entries"] == 1
    assert_invalid(ann.request("PATCH", "/api/v1/me/settings",
                               {"leaderboard_visibility": "everyone"}),
                   "leaderboard_visibility")
    assert_invalid(ann.request("PATCH", "/api/v1/me/settings",
                               {"leaderboard_visibility": 3}),
                   "leaderboard_visibility")

    # The organization brings its staff onto the board.
    r = admin.get("/api/v1/admin/organization")
    assert r.status == 200 and r.json["leaderboard_include_staff"] is False
    r = admin.request("PATCH", "/api/v1/admin/organization",
                      {"leaderboard_include_staff": True})
    assert r.status == 200 and r.json["leaderboard_include_staff"] is True
    doc = board(bob, period="all")
    assert [i["user_id"] for i in doc["items"]] == [teacher.id, bob.id]
    assert board(teacher, period="all")["me"]["rank"] == 1
    audit = sql(server, f"""
        SELECT old_values, new_values
        FROM audit_events WHERE action = 'organization.changed'
            AND actor_user_id = '{admin.id}'""")
    assert len(audit) == 1, audit
    assert '"leaderboard_include_staff": true' in audit[0][1], audit
    # The same value again changes nothing and audits nothing.
    r = admin.request("PATCH", "/api/v1/admin/organization",
                      {"leaderboard_include_staff": True})
    assert r.status == 200, r
    assert len(sql(server, f"SELECT 1 FROM audit_events WHERE action = "
                           f"'organization.changed' AND actor_user_id = "
                           f"'{admin.id}'")) == 1

    # Refusals: not an admin, bad values, unknown fields.
    r = teacher.request("PATCH", "/api/v1/admin/organization",
                        {"leaderboard_include_staff": False})
    assert r.status == 403, r
    assert bob.get("/api/v1/admin/organization").status == 403
    assert_invalid(admin.request("PATCH", "/api/v1/admin/organization",
                                 {"leaderboard_include_staff": "yes"}),
                   "leaderboard_include_staff")
    assert_invalid(admin.request("PATCH", "/api/v1/admin/organization",
                                 {"name": ""}), "name")
    assert_invalid(admin.request("PATCH", "/api/v1/admin/organization",
                                 {"slug": "x"}), "slug")
    r = admin.request("PATCH", "/api/v1/admin/organization",
                      {"name": "  "})
    assert r.status == 422, r
    # Another organization's board is not touched.
    assert sql(server, "SELECT settings FROM organizations WHERE "
                       "is_default") == [["{}"]]


# ---- days, streaks and freezes ----------------------------------------------

def history(server, user, streak, last_ago, freezes=0, longest=None):
    """As if the learner (in UTC) had studied `streak` days in a row, the
    last of them `last_ago` days ago, and held `freezes` freezes."""
    longest = streak if longest is None else longest
    sql(server, f"""
        INSERT INTO learning_streaks (user_id, org_id, current_streak,
            longest_streak, last_activity_date, freezes_available)
        SELECT id, org_id, {streak}, {longest},
            (now() AT TIME ZONE 'UTC')::date - {last_ago}, {freezes}
        FROM users WHERE id = '{user}'
        ON CONFLICT (user_id) DO UPDATE SET
            current_streak = EXCLUDED.current_streak,
            longest_streak = EXCLUDED.longest_streak,
            last_activity_date = EXCLUDED.last_activity_date,
            freezes_available = EXCLUDED.freezes_available;
        INSERT INTO activity_days (user_id, day, org_id, lessons)
        SELECT u.id, (now() AT TIME ZONE 'UTC')::date - {last_ago} - g,
            u.org_id, 1
        FROM users u, generate_series(0, {streak} - 1) g
        WHERE u.id = '{user}';""")


def streak_row(server, user):
    return sql(server, f"""
        SELECT current_streak, longest_streak, freezes_available,
            (now() AT TIME ZONE 'UTC')::date - last_activity_date
        FROM learning_streaks WHERE user_id = '{user}'""")[0]


def frozen_days(server, user):
    """How many days ago each frozen day of the learner was."""
    return sorted(int(r[0]) for r in sql(server, f"""
        SELECT (now() AT TIME ZONE 'UTC')::date - day FROM activity_days
        WHERE user_id = '{user}' AND frozen"""))


def test_a_first_day_starts_a_streak(server):
    me = learner(server)
    streak = dashboard(me)["streak"]
    assert (streak["current"], streak["longest"], streak["freezes"],
            streak["last_day"]) == (0, 0, 0, None)
    complete(me, L101)
    streak = dashboard(me)["streak"]
    assert streak == {"current": 1, "longest": 1, "freezes": 0,
                      "last_day": today(server), "studied_today": True}
    assert sql(server, f"SELECT day, lessons, attempts FROM activity_days "
                       f"WHERE user_id = '{me.id}'") == [
        [today(server), "1", "0"]]
    # More on the same day: the same day, the same streak, no second 5.
    complete(me, L102)
    assert dashboard(me)["streak"]["current"] == 1
    assert sql(server, f"SELECT day, lessons FROM activity_days WHERE "
                       f"user_id = '{me.id}'") == [[today(server), "2"]]
    items = ledger(me)
    assert [(i["source"], i["amount"]) for i in items].count(("streak", 5)) \
        == 1
    assert sql(server, f"SELECT idempotency_key FROM xp_events WHERE "
                       f"user_id = '{me.id}' AND source = 'streak'") == [
        [f"day:{today(server)}"]]


# (streak, last studied days ago, freezes) before a lesson today ->
# (streak, freezes) after, and the frozen days (days ago).
STREAKS = {
    "yesterday": ((3, 1, 0), (4, 0), []),
    "yesterday-keeps-freezes": ((3, 1, 2), (4, 2), []),
    "one-missed-day-and-a-freeze": ((3, 2, 1), (4, 0), [1]),
    "one-missed-day-no-freeze": ((3, 2, 0), (1, 0), []),
    "two-missed-days-two-freezes": ((3, 3, 2), (4, 0), [1, 2]),
    "two-missed-days-one-freeze": ((3, 3, 1), (1, 1), []),
    "a-week-earns-a-freeze": ((6, 1, 0), (7, 1), []),
    "at-most-two-freezes": ((6, 1, 2), (7, 2), []),
    "a-freeze-spent-and-one-earned": ((13, 2, 1), (14, 1), [1]),
    "not-every-day-earns-one": ((7, 1, 1), (8, 1), []),
}


@pytest.mark.parametrize("case", list(STREAKS))
def test_streaks_and_freezes(server, case):
    (streak, ago, freezes), (after, freezes_after), frozen = STREAKS[case]
    me = learner(server)
    history(server, me.id, streak, ago, freezes)
    complete(me, L101)
    longest = max(streak, after)
    assert streak_row(server, me.id) == [str(after), str(longest),
                                         str(freezes_after), "0"]
    assert frozen_days(server, me.id) == frozen
    s = dashboard(me)["streak"]
    assert s == {"current": after, "longest": longest,
                 "freezes": freezes_after, "last_day": today(server),
                 "studied_today": True}
    # The day's 5 XP, and the streak achievements the longest streak
    # reached.
    want = [c for c, n in (("streak-3", 3), ("streak-7", 7),
                           ("streak-14", 14)) if longest >= n]
    assert earned_codes(server, me.id) == sorted(["first-lesson"] + want)
    total = XP_LESSON + XP_DAY + REWARD["first-lesson"] + \
        sum(REWARD[c] for c in want)
    assert assert_consistent(server, me)["xp"] == total
    progress = by_code(achievements(me))
    assert progress["streak-30"]["progress"] == {"have": longest,
                                                 "need": 30}


def test_a_day_already_counted_is_not_new(server):
    me = learner(server)
    history(server, me.id, 2, 0)           # today and yesterday
    complete(me, L101)
    assert streak_row(server, me.id) == ["2", "2", "0", "0"]
    # No day XP: today was there already.
    assert assert_consistent(server, me)["xp"] == \
        XP_LESSON + REWARD["first-lesson"]


# (streak, last studied days ago, freezes) -> the streak the dashboard shows
@pytest.mark.parametrize("before,shown", [
    ((5, 1, 0), 5), ((5, 2, 0), 0), ((5, 2, 1), 5), ((5, 3, 1), 0),
    ((5, 3, 2), 5), ((5, 4, 2), 0)])
def test_the_dashboard_streak_lapses_when_the_freezes_cannot_cover_it(
        server, before, shown):
    me = learner(server)
    history(server, me.id, *before)
    s = dashboard(me)["streak"]
    assert s["current"] == shown and s["longest"] == 5
    assert s["studied_today"] is False
    assert s["freezes"] == before[2]


def test_the_learners_time_zone_decides_the_day(server):
    east = learner(server)      # UTC+14
    west = learner(server)      # UTC-11
    for who, tz in ((east, "Pacific/Kiritimati"), (west, "Pacific/Pago_Pago")):
        r = who.request("PATCH", "/api/v1/me", {"timezone": tz})
        assert r.status == 200 and r.json["profile"]["timezone"] == tz, r
    days = {}
    for who, tz in ((east, "Pacific/Kiritimati"), (west, "Pacific/Pago_Pago")):
        before = today(server, tz)
        complete(who, L101)
        after = today(server, tz)
        (day,), = sql(server, f"SELECT day FROM activity_days WHERE "
                              f"user_id = '{who.id}'")
        assert day in (before, after), (tz, day)
        assert sql(server, f"SELECT idempotency_key FROM xp_events WHERE "
                           f"user_id = '{who.id}' AND source = 'streak'") \
            == [[f"day:{day}"]]
        s = dashboard(who)["streak"]
        assert s["last_day"] == day and s["studied_today"] is True
        assert s["current"] == 1
        days[tz] = day
    # 25 hours apart: never the same date.
    gap = sql(server, f"SELECT '{days['Pacific/Kiritimati']}'::date - "
                      f"'{days['Pacific/Pago_Pago']}'::date")[0][0]
    assert gap in ("1", "2"), days


def zone_where_it_is(server, lo, hi):
    """A time zone whose local time now is between lo and hi."""
    got = sql(server, f"""
        SELECT name, (now() AT TIME ZONE name)::date FROM pg_timezone_names
        WHERE name ~
            '^(America|Europe|Asia|Africa|Australia|Pacific)/[A-Za-z_]+$'
            AND (now() AT TIME ZONE name)::time BETWEEN '{lo}' AND '{hi}'
        ORDER BY name LIMIT 1""")
    assert got, (lo, hi)
    return got[0]


def test_a_streak_at_risk_is_told_once_a_day(server, start_server):
    evening, evening_day = zone_where_it_is(server, "18:30", "23:15")
    morning, _ = zone_where_it_is(server, "06:00", "16:30")
    at_risk, studied, early, lapsed = (learner(server) for _ in range(4))
    for who, tz in ((at_risk, evening), (studied, evening),
                    (early, morning), (lapsed, evening)):
        r = who.request("PATCH", "/api/v1/me", {"timezone": tz})
        assert r.status == 200, r
    # Yesterday, their time; two days ago for the one whose streak lapsed.
    for who, ago in ((at_risk, 1), (studied, 1), (early, 1), (lapsed, 2)):
        sql(server, f"""
            INSERT INTO learning_streaks (user_id, org_id, current_streak,
                longest_streak, last_activity_date)
            SELECT u.id, u.org_id, 3, 3,
                (now() AT TIME ZONE p.timezone)::date - {ago}
            FROM users u JOIN user_profiles p ON p.user_id = u.id
            WHERE u.id = '{who.id}'
            ON CONFLICT (user_id) DO UPDATE SET current_streak = 3,
                longest_streak = 3,
                last_activity_date = EXCLUDED.last_activity_date""")
    complete(studied, L101)                 # today: nothing at risk

    def told(who):
        return [n for n in notifications(who)["items"]
                if n["kind"] == "streak_at_risk"]

    # A server's maintenance job runs when it starts: a second one does.
    start_server(server.db)
    deadline = time.monotonic() + 10
    while not told(at_risk):
        assert time.monotonic() < deadline, "no streak-at-risk notification"
        time.sleep(0.1)
    (n,) = told(at_risk)
    assert n["title"] == "Your streak is at risk"
    assert n["data"] == {"streak": 3} and "3-day" in n["body"]
    assert sql(server, f"SELECT dedupe_key FROM notifications WHERE id = "
                       f"'{n['id']}'") == [[f"streak:{evening_day}"]]
    # Once a day, however often the job runs.
    start_server(server.db).stop_clean()
    assert len(told(at_risk)) == 1
    assert told(studied) == [] and told(early) == [] and told(lapsed) == []


# ---- the daily goal and the other goals -------------------------------------

def backdate(server, user, session, seconds):
    sql(server, f"""
        UPDATE learning_sessions
            SET last_heartbeat_at = now() - interval '{seconds} seconds'
            WHERE id = '{session}';
        UPDATE study_clocks
            SET counted_until = now() - interval '{seconds} seconds'
            WHERE user_id = '{user}';""")


def heartbeat(c, session):
    r = c.request("POST", f"/api/v1/learning-sessions/{session}/heartbeat")
    assert r.status == 200, r
    return r.json["seconds_counted"]


def seconds_today(server, user):
    got = sql(server, f"SELECT study_seconds, goal_met_at IS NOT NULL FROM "
                      f"activity_days WHERE user_id = '{user}' AND day = "
                      f"(now() AT TIME ZONE 'UTC')::date")
    return (int(got[0][0]), got[0][1] == "t") if got else (0, False)


def test_the_daily_goal(server):
    me = learner(server)
    assert dashboard(me)["today"] == {"study_minutes": 0, "goal_minutes": 30,
                                      "goal_met": False}
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 1})
    assert r.status == 201, r
    (goal,) = r.json["items"]
    assert goal["kind"] == "daily_minutes" and goal["target"] == 1
    assert goal["status"] == "active" and goal["progress"] == 0
    assert goal["met"] is False
    assert dashboard(me)["today"]["goal_minutes"] == 1

    r = me.request("POST", f"/api/v1/lessons/{L201}/sessions")
    assert r.status == 201, r
    sid = r.json["id"]
    base = heartbeat(me, sid)
    assert base <= 2
    assert seconds_today(server, me.id) == (base, False)
    # 70 seconds later: a minute studied, the goal met.
    backdate(server, me.id, sid, 70)
    gained = heartbeat(me, sid) - base
    assert 70 <= gained <= 73, gained
    assert seconds_today(server, me.id) == (base + gained, True)
    d = dashboard(me)
    assert d["today"] == {"study_minutes": 1, "goal_minutes": 1,
                          "goal_met": True}
    assert d["streak"]["current"] == 1
    r = me.get("/api/v1/me/goals")
    assert r.status == 200, r
    assert r.json["items"][0]["progress"] == 1, r
    assert r.json["items"][0]["met"] is True, r
    assert r.json["items"][0]["status"] == "active", r
    items = ledger(me)
    assert Counter((i["source"], i["amount"]) for i in items) == Counter({
        ("daily_goal", XP_GOAL): 1, ("streak", XP_DAY): 1})
    assert assert_consistent(server, me)["xp"] == XP_GOAL + XP_DAY
    reached = [n for n in notifications(me)["items"]
               if n["kind"] == "goal_reached"]
    assert len(reached) == 1 and reached[0]["title"] == "Daily goal reached"

    # Ten minutes later: at most 120 seconds count; the goal pays once.
    spent = seconds_today(server, me.id)[0]
    counted = heartbeat(me, sid)
    backdate(server, me.id, sid, 600)
    assert heartbeat(me, sid) - counted == 120
    assert seconds_today(server, me.id)[0] - spent - (counted - base -
                                                       gained) == 120
    assert assert_consistent(server, me)["xp"] == XP_GOAL + XP_DAY
    assert len([n for n in notifications(me)["items"]
                if n["kind"] == "goal_reached"]) == 1
    assert sql(server, f"SELECT sum(study_seconds) FROM activity_days WHERE "
                       f"user_id = '{me.id}'")[0][0] == \
        sql(server, f"SELECT sum(seconds_counted) FROM learning_sessions "
                    f"WHERE user_id = '{me.id}'")[0][0]


def test_goals(server):
    me = learner(server)
    other = learner(server)

    def goals(who=me):
        r = who.get("/api/v1/me/goals")
        assert r.status == 200, r
        return {g["kind"]: g for g in r.json["items"]}

    assert goals() == {}
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 20})
    assert r.status == 201, r
    daily = r.json["items"][0]
    assert daily["kind"] == "daily_minutes" and daily["target"] == 20
    assert daily["status"] == "active" and daily["completed_at"] is None
    # One active goal of a kind.
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 5})
    assert_problem(r, 409, "conflict")
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "weekly_lessons", "target": 3})
    assert r.status == 201, r
    r = me.request("POST", "/api/v1/me/goals", {
        "kind": "exam_date", "exam": "network", "target_date": "2099-12-31"})
    assert r.status == 201, r
    mine = goals()
    assert set(mine) == {"daily_minutes", "weekly_lessons", "exam_date"}
    exam = mine["exam_date"]
    assert exam["exam"] == "network" and exam["target_date"] == "2099-12-31"
    assert exam["target"] is None and exam["days_left"] > 20000
    assert mine["weekly_lessons"]["progress"] == 0
    assert [mine[k]["met"] for k in ("daily_minutes", "weekly_lessons",
                                     "exam_date")] == [False] * 3
    complete(me, L101)
    assert goals()["weekly_lessons"]["progress"] == 1
    assert goals()["weekly_lessons"]["met"] is False
    r = me.request("PATCH", f"/api/v1/me/goals/{mine['weekly_lessons']['id']}",
                   {"target": 1})
    assert r.status == 200, r
    assert goals()["weekly_lessons"]["met"] is True
    assert goals()["weekly_lessons"]["status"] == "active"
    # The other learner has none of these.
    assert goals(other) == {}
    r = other.request("POST", "/api/v1/me/goals",
                      {"kind": "daily_minutes", "target": 20})
    assert r.status == 201, r

    # Changing one.
    r = me.request("PATCH", f"/api/v1/me/goals/{daily['id']}",
                   {"target": 45})
    assert r.status == 200, r
    assert {g["kind"]: g["target"] for g in r.json["items"]}[
        "daily_minutes"] == 45
    assert dashboard(me)["today"]["goal_minutes"] == 45
    r = me.request("PATCH", f"/api/v1/me/goals/{exam['id']}",
                   {"target_date": "2098-01-02"})
    assert r.status == 200, r
    assert goals()["exam_date"]["target_date"] == "2098-01-02"
    r = me.request("PATCH", f"/api/v1/me/goals/{mine['weekly_lessons']['id']}",
                   {"status": "completed"})
    assert r.status == 200, r
    weekly = goals()["weekly_lessons"]
    assert weekly["status"] == "completed" and weekly["completed_at"]
    assert weekly["met"] is True
    # A completed goal is no longer the active one of its kind.
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "weekly_lessons", "target": 5})
    assert r.status == 201, r
    assert_invalid(me.request("PATCH", f"/api/v1/me/goals/{daily['id']}",
                              {"status": "done"}), "status")
    assert_invalid(me.request("PATCH", f"/api/v1/me/goals/{daily['id']}",
                              {"target": 0}), "target")
    assert_invalid(me.request("PATCH", f"/api/v1/me/goals/{daily['id']}",
                              {"kind": "exam_date"}), "kind")

    # Abandoning one: gone from the list; a new one of its kind may start.
    r = me.request("DELETE", f"/api/v1/me/goals/{daily['id']}")
    assert r.status == 200, r
    assert "daily_minutes" not in {g["kind"] for g in r.json["items"]}
    assert sql(server, f"SELECT status FROM study_goals WHERE id = "
                       f"'{daily['id']}'") == [["abandoned"]]
    assert dashboard(me)["today"]["goal_minutes"] == 30
    assert_problem(me.request("DELETE", f"/api/v1/me/goals/{daily['id']}"),
                   404, "not-found")
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 10})
    assert r.status == 201, r

    # Someone else's goal, an unknown one, a malformed id.
    theirs = list(goals(other).values())[0]["id"]
    for gid in (theirs, RANDOM_ID, "nope"):
        assert_problem(me.request("PATCH", f"/api/v1/me/goals/{gid}",
                                  {"target": 3}), 404, "not-found")
        assert_problem(me.request("DELETE", f"/api/v1/me/goals/{gid}"),
                       404, "not-found")
    assert goals(other)["daily_minutes"]["target"] == 20
    assert goals(other)["daily_minutes"]["status"] == "active"

    # What a goal must say.
    def refused(body, *fields):
        assert_invalid(me.request("POST", "/api/v1/me/goals", body), *fields)

    refused({}, "kind")
    refused({"kind": "monthly", "target": 2}, "kind")
    refused({"kind": "daily_minutes"}, "target")
    refused({"kind": "weekly_lessons", "target": None}, "target")
    refused({"kind": "daily_minutes", "target": 0}, "target")
    refused({"kind": "daily_minutes", "target": 10001}, "target")
    refused({"kind": "exam_date"}, "exam", "target_date")
    refused({"kind": "exam_date", "exam": "network"}, "target_date")
    refused({"kind": "exam_date", "target_date": "2099-01-01"}, "exam")
    refused({"kind": "exam_date", "exam": "network",
             "target_date": "2099-13-45"}, "target_date")
    refused({"kind": "exam_date", "exam": "nope",
             "target_date": "2099-01-01"}, "exam")
    refused({"kind": "daily_minutes", "target": 5, "colour": "red"},
            "colour")


def test_a_learner_has_one_daily_goal_at_a_time(server):
    me = learner(server)
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 5})
    assert r.status == 201, r
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 10,
                    "exam": "network"})
    assert r.status in (201, 409, 422), r
    r = me.request("POST", f"/api/v1/lessons/{L101}/complete")
    assert r.status == 200, r
    r = me.get("/api/v1/me/dashboard")
    assert r.status == 200, r
    r = me.get("/api/v1/me/goals")
    assert [g["kind"] for g in r.json["items"]
            if g["status"] == "active"].count("daily_minutes") == 1, r


def test_a_bad_target_is_one_error(server):
    me = learner(server)
    for target in (5.5, "5", True, -1):
        r = me.request("POST", "/api/v1/me/goals",
                       {"kind": "daily_minutes", "target": target})
        p = assert_invalid(r, "target")
        assert [e["message"] for e in p["errors"]] == [
            "must be a whole number from 1 to 10000"], (target, p)


# ---- the dashboard ---------------------------------------------------------

def test_the_dashboard_in_one_call(server, ins):
    me = learner(server)
    d = dashboard(me)
    assert (d["xp"], d["level"], d["next_level_at"]) == (0, 1, 100)
    assert float(d["level_progress_percent"]) == 0
    assert d["recent_achievements"] == [] and d["continue"] == []
    assert d["unread_notifications"] == 0 and d["goals"] == []
    assert d["practice"]["in_progress"] == [] and d["avatar"] is None

    # A lesson started, another completed, a goal, a quiz begun.
    r = me.request("POST", f"/api/v1/lessons/{L102}/progress",
                   {"progress_percent": 40})
    assert r.status == 200, r
    complete(me, L101)
    r = me.request("POST", "/api/v1/me/goals",
                   {"kind": "daily_minutes", "target": 25})
    assert r.status == 201, r
    goal = r.json["items"][0]["id"]
    q = make_question(ins)
    title = f"Dashboard quiz {uniq()}"
    aid = make_quiz(ins, [q], title=title)
    doc = begin(me, aid)
    attempt = doc["id"]

    d = dashboard(me)
    assert d["xp"] == 35 and d["level"] == 1 and d["next_level_at"] == 100
    assert float(d["level_progress_percent"]) == 35
    assert d["streak"] == {"current": 1, "longest": 1, "freezes": 0,
                           "last_day": today(server), "studied_today": True}
    assert d["today"] == {"study_minutes": 0, "goal_minutes": 25,
                          "goal_met": False}
    assert [(a["id"], a["name"]) for a in d["recent_achievements"]] == [
        (achievement_id(server, "first-lesson"), "Hello, World")]
    assert d["recent_achievements"][0]["earned_at"]
    assert d["unread_notifications"] == 1
    (cont,) = d["continue"]
    assert cont["lesson_id"] == L102 and cont["course_id"] == COURSE
    assert float(cont["progress_percent"]) == 40
    assert cont["title"] and cont["course_title"]
    (practice,) = d["practice"]["in_progress"]
    assert practice == {"attempt_id": attempt, "assessment_id": aid,
                        "title": title, "deadline_at": None}
    assert d["goals"] == [{"id": goal, "kind": "daily_minutes",
                           "target": 25, "target_date": None}]
    # Finished: the attempt leaves the list; a completed lesson leaves
    # "continue".
    answer(me, doc, [q], {q.id})
    assert submit(me, attempt).status == 200
    complete(me, L102)
    d = dashboard(me)
    assert d["practice"]["in_progress"] == [] and d["continue"] == []
    assert d["xp"] == ledger_sum(server, me.id)
    names = [a["name"] for a in d["recent_achievements"]]
    assert names[0] in ("First Handshake", "Zero Packet Loss")
    assert names[-1] == "Hello, World"
    assert {a["name"] for a in d["recent_achievements"]} == {
        "Hello, World", "First Handshake", "Zero Packet Loss"}
    r = server.request("GET", "/api/v1/me/dashboard")
    assert r.status == 401, r


# ---- ludus gamify rebuild ---------------------------------------------------

@pytest.fixture
def own_db():
    name = create_db()
    yield name
    drop_db(name)


# What a rebuild that found everything right says it changed.
NOTHING = ('{"board_bands": 0, "board_counts": 0, "board_totals": 0, "learner_stats": 0, '
           '"learner_domain_stats": 0}')


def rebuild(db):
    p = ludus("gamify", "rebuild", env={"LUDUS_DATABASE_URL": dsn(db)})
    assert_no_sanitizer_report(p.stderr)
    return p


QUIZ = {d: f"4e700009-0000-4000-8000-00000000090{d}" for d in (1, 2, 3, 4)}


def test_the_suggested_quizzes_put_untried_and_weak_domains_first(server,
                                                                   ins):
    """A quiz just scored 100 % is not suggested while other domains are
    untried; once all are tried, the weakest comes first."""
    me = learner(server)

    def take_seeded(domain, right):
        doc = begin(me, QUIZ[domain])
        if right:
            for item in doc["questions"]:
                q = ins.get(f"/api/v1/questions/{item['question_id']}")
                assert q.status == 200, q
                r = me.request(
                    "PUT", f"/api/v1/attempts/{doc['id']}/answers/"
                           f"{item['question_id']}",
                    {"answer": right_answer(item, q.json)})
                assert r.status == 200, r
        r = submit(me, doc["id"])
        assert r.status == 200, r
        return r.json["result"]["percentage"]

    def suggested():
        return [(s["assessment_id"], s["domain_percent"])
                for s in dashboard(me)["practice"]["suggested"]]

    # Nothing tried yet: the first three domains' quizzes, by title.
    assert suggested() == [(QUIZ[1], None), (QUIZ[2], None),
                           (QUIZ[3], None)]
    assert take_seeded(1, True) == 100
    assert suggested() == [(QUIZ[2], None), (QUIZ[3], None),
                           (QUIZ[4], None)]
    assert take_seeded(2, False) == 0
    assert take_seeded(3, True) == 100
    assert suggested() == [(QUIZ[4], None), (QUIZ[2], 0), (QUIZ[1], 100)]
    assert take_seeded(4, True) == 100
    assert suggested() == [(QUIZ[2], 0), (QUIZ[1], 100), (QUIZ[3], 100)]
    for s in dashboard(me)["practice"]["suggested"]:
        assert s["exam"] == "network" and s["kind"] == "quiz", s


def test_rebuild_restores_the_cache_from_the_ledger(own_db, start_server):
    server = start_server(own_db)
    a, b, c = learner(server), learner(server), learner(server)
    for who in (a, b, c):
        complete(who, L101)
    complete(a, L102)
    want = {who.id: ledger_sum(server, who.id) for who in (a, b, c)}
    assert want[a.id] == 55 and want[b.id] == want[c.id] == 35

    p = rebuild(own_db)
    assert p.returncode == 0, p
    assert p.stdout == "rebuilt XP totals and levels from the ledger: " \
                       "0 changed\nrebuilt the leaderboards and the " \
                       "achievement counters: 0 changed " + NOTHING + "\n", p

    # The boards' totals follow the ledger by themselves...
    week = "date_trunc('week', now() AT TIME ZONE 'UTC')::date"
    total = ("SELECT value FROM board_totals WHERE user_id = '%s' AND "
             "metric = 'xp' AND exam_id = board_any_exam() AND week = %s")
    assert psql(total % (a.id, week), own_db) == [["55"]]
    assert psql(total % (a.id, "'-infinity'"), own_db) == [["55"]]
    this_week = psql(f"SELECT {week}", own_db)[0][0]
    # ... and a wrong one, a missing one and a stray one are put right,
    # with the boards' histograms.
    psql(f"UPDATE board_totals SET value = 1 WHERE user_id = '{a.id}' "
         f"AND week = {week}", own_db)
    psql(f"DELETE FROM board_totals WHERE user_id = '{b.id}'", own_db)
    psql(f"INSERT INTO board_totals (org_id, user_id, metric, exam_id, week, "
         f"total, n, value) SELECT org_id, id, 'xp', board_any_exam(), "
         f"'2020-01-06', 5, 1, 5 FROM users WHERE id = '{c.id}'", own_db)
    p = rebuild(own_db)
    changed = json.loads(p.stdout.rsplit(" changed ", 1)[1])
    assert changed["board_totals"] == 4 and changed["board_counts"] > 0, p
    assert psql(total % (a.id, week), own_db) == [["55"]]
    assert psql(f"SELECT user_id, week, value FROM board_totals WHERE user_id "
                f"IN ('{a.id}', '{b.id}', '{c.id}') AND metric = 'xp' "
                f"ORDER BY value DESC, user_id, week", own_db) == sorted(
        [[a.id, w, "55"] for w in ("-infinity", this_week)]
        + [[who.id, w, "35"] for who in (b, c) for w in ("-infinity",
                                                        this_week)],
        key=lambda r: (-int(r[2]), r[0], r[1]))
    assert psql("SELECT count(*) FROM board_counts_check()", own_db) \
        == [["0"]]

    # A wrong total, and a wrong level alone.
    psql(f"UPDATE user_profiles SET xp = 9999, level = 7 "
         f"WHERE user_id = '{a.id}'", own_db)
    psql(f"UPDATE user_profiles SET level = 3 WHERE user_id = '{b.id}'",
         own_db)
    assert my_xp(a)["xp"] == 9999
    p = rebuild(own_db)
    assert p.returncode == 0 and p.stderr == "", p
    assert p.stdout.startswith("rebuilt XP totals and levels from the "
                                "ledger: 2 changed\n"), p
    for who in (a, b, c):
        assert cached_xp(server, who.id) == [want[who.id], 1]
        assert my_xp(who)["xp"] == want[who.id]
    p = rebuild(own_db)
    assert p.stdout.endswith(": 0 changed " + NOTHING + "\n"), p

    # The ledger itself cannot be changed.
    with pytest.raises(subprocess.CalledProcessError) as e:
        psql(f"UPDATE xp_events SET amount = 1000 WHERE user_id = '{a.id}'",
             own_db)
    assert "XP events cannot be changed" in e.value.stderr
    assert ledger_sum(server, a.id) == 55


def test_rebuild_usage_and_refusals(own_db):
    for args in (("gamify",), ("gamify", "rebuild", "now"),
                 ("gamify", "redo")):
        p = ludus(*args, env={"LUDUS_DATABASE_URL": dsn(own_db)})
        assert p.returncode == 2, p
        assert "usage: ludus gamify rebuild" in p.stderr
        assert p.stdout == ""
        assert_no_sanitizer_report(p.stderr)
    # A database that is not migrated.
    empty = create_db("template0")
    try:
        p = ludus("gamify", "rebuild", env={"LUDUS_DATABASE_URL": dsn(empty)})
        assert p.returncode == 1 and p.stdout == "", p
        assert p.stderr.startswith("ludus gamify: "), p
        assert_no_sanitizer_report(p.stderr)
    finally:
        drop_db(empty)


# The leaderboard as it was computed before the totals of migration 0010:
# the whole organization ranked from the ledger and the attempts on every
# call.  The boards must give exactly these answers.
REFERENCE_BOARD = """
WITH since AS (
    SELECT CASE WHEN '{period}' = 'weekly' THEN date_trunc('week',
        now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END AS t
), exam AS (SELECT id FROM exams WHERE code = {exam}
), xp AS (
    SELECT x.user_id, sum(x.amount)::numeric AS value
    FROM xp_events x
    LEFT JOIN attempts a ON x.entity_type = 'attempt' AND a.id = x.entity_id
    LEFT JOIN questions q ON x.entity_type = 'question' AND q.id = x.entity_id
    WHERE x.org_id = '{org}' AND '{by}' = 'xp'
        AND x.occurred_at >= coalesce((SELECT t FROM since), '-infinity')
        AND ({exam}::text IS NULL OR a.exam_id = (SELECT id FROM exam)
            OR q.exam_id = (SELECT id FROM exam))
    GROUP BY x.user_id
), score AS (
    SELECT t.user_id, round(avg(t.percentage), 2) AS value
    FROM attempts t
    WHERE t.org_id = '{org}' AND '{by}' = 'score' AND t.status <> 'in_progress'
        AND NOT t.preview
        AND t.finished_at >= coalesce((SELECT t FROM since), '-infinity')
        AND ({exam}::text IS NULL OR t.exam_id = (SELECT id FROM exam))
    GROUP BY t.user_id
), board AS (
    SELECT v.user_id, v.value, u.username,
        rank() OVER (ORDER BY v.value DESC) AS rank,
        row_number() OVER (ORDER BY v.value DESC, u.username) AS place
    FROM (SELECT * FROM xp UNION ALL SELECT * FROM score) v
    JOIN users u ON u.id = v.user_id AND u.deleted_at IS NULL
    LEFT JOIN user_settings s ON s.user_id = u.id
    WHERE (v.value > 0 OR '{by}' = 'score') AND u.role = 'student'
        AND coalesce(s.leaderboard_visibility, '') <> 'hidden'
)
SELECT rank, username, value FROM board ORDER BY place
"""


def test_the_boards_rank_exactly_as_a_ranking_of_the_whole_organization(
        server):
    """Every variant (week and all time, XP and score, every exam and one)
    lists and ranks as the whole organization ranked from its history:
    ties share a rank and go by username; the hidden, staff and the
    deleted are left out; my rank and the count of entries agree."""
    org = new_org(server, "ranked")
    teacher = new_account(server, "instructor", org, "rt")
    people = [named(server, f"r{i:02d}", org) for i in range(14)]
    org_id = sql(server, f"SELECT id FROM organizations "
                         f"WHERE slug = '{org}'")[0][0]
    network_q = sql(server, "SELECT id FROM questions WHERE exam_id = "
                            "(SELECT id FROM exams WHERE code = 'network') "
                            "AND deleted_at IS NULL ORDER BY id LIMIT 1")[0][0]
    # XP straight into the ledger (the triggers keep the boards): amounts
    # that tie, some about a Network+ question, some last week, one
    # correction below zero.
    values = []
    for i, who in enumerate(people):
        amount = 10 * (1 + (i * 5) % 6)
        values.append(f"('{org_id}', '{who.id}', 'admin', {amount}, 't', "
                      f"'now:{i}', NULL, NULL, now())")
        if i % 3 == 0:
            values.append(f"('{org_id}', '{who.id}', 'answer', {amount // 2},"
                          f" 't', 'q:{i}', 'question', '{network_q}', now())")
        if i % 4 == 1:
            values.append(f"('{org_id}', '{who.id}', 'admin', 15, 't', "
                          f"'old:{i}', NULL, NULL, now() - interval '8 days')")
    values.append(f"('{org_id}', '{people[13].id}', 'admin', -500, 't', "
                  f"'fine', NULL, NULL, now())")
    sql(server, "INSERT INTO xp_events (org_id, user_id, source, amount, "
                "reason, idempotency_key, entity_type, entity_id, "
                "occurred_at) VALUES " + ", ".join(values))
    # Scores through the API: two quizzes at two exams.
    four = [make_question(teacher) for _ in range(4)]
    net = make_quiz(teacher, four, exam="network")
    two = [make_question(teacher, exam=False) for _ in range(2)]
    sec = make_quiz(teacher, two, exam="security")
    for i, who in enumerate(people[:8]):
        take(who, net, four, four[:i % 5])
        if i % 2:
            take(who, sec, two, two[:i % 3])
    # Off the boards: one hidden, one made staff, one deleted.
    r = people[2].request("PATCH", "/api/v1/me/settings",
                          {"leaderboard_visibility": "hidden"})
    assert r.status == 200, r
    sql(server, f"UPDATE users SET role = 'instructor' "
                f"WHERE id = '{people[4].id}'")
    sql(server, f"UPDATE users SET deleted_at = now() "
                f"WHERE id = '{people[6].id}'")

    viewers = (people[0], people[7], people[13])
    seen_ties = False
    for period in ("weekly", "all"):
        for by in ("xp", "score"):
            for exam in (None, "network", "security"):
                want = [(int(r), u, float(v)) for r, u, v in sql(
                    server, REFERENCE_BOARD.format(
                        org=org_id, period=period, by=by,
                        exam="NULL" if exam is None else f"'{exam}'"))]
                seen_ties |= len({r for r, _, _ in want}) < len(want)
                params = {"period": period, "by": by, "limit": 100}
                if exam:
                    params["exam"] = exam
                for who in viewers:
                    doc = board(who, **params)
                    label_ = (period, by, exam, who.username)
                    assert rows(doc) == want, label_
                    assert doc["entries"] == len(want), label_
                    mine = [(r, v) for r, u, v in want if u == who.username]
                    if mine:
                        assert (doc["me"]["rank"], float(doc["me"]["value"])) \
                            == mine[0], label_
                    else:
                        assert doc["me"] is None, label_
                # A short page lists the same first rows.
                short = board(viewers[0], **dict(params, limit=3))
                assert rows(short) == want[:3]
    assert seen_ties
