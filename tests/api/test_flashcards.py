"""Flashcards: decks, notes and their cards, the review queue with its
daily limits in the learner's time zone, reviews (offline ones with
reviewed_at), undo, suspend, bury, reset, settings, course decks and who
may see what.

The tests share the module's server and database; each registers the
learners it needs, so that one test's reviews never count in another's.
"""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, new_account,
                     new_org, sign_in, sql)

FC = "/api/v1/flashcards"
COURSE = "4e700009-0000-4000-8000-000000000001"  # the seeded Network+ course


def iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def deck(who, title="Ports", **extra):
    r = who.request("POST", f"{FC}/decks", {"title": title, **extra})
    assert r.status == 201, r
    return r.json


def note(who, deck_id, front, back="", kind="basic", **extra):
    r = who.request("POST", f"{FC}/decks/{deck_id}/notes",
                    {"kind": kind, "front": front, "back": back, **extra})
    assert r.status == 201, r
    return r.json


def queue(who, **params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    r = who.get(f"{FC}/queue" + (f"?{q}" if q else ""))
    assert r.status == 200, r
    return r.json


def review(who, card, rating, **extra):
    return who.request("POST", f"{FC}/cards/{card}/review",
                       {"rating": rating, **extra})


@pytest.fixture
def learner(server):
    return new_account(server)


# ---- decks and notes --------------------------------------------------------

def test_a_learner_makes_a_deck_and_only_they_see_it(server, learner):
    d = deck(learner, "Well-known ports", description="The ones on the exam",
             desired_retention=0.85, fuzz=False)
    assert d["title"] == "Well-known ports" and d["role"] == "owner"
    assert d["desired_retention"] == 0.85 and d["fuzz"] is False
    assert d["owner_id"] == learner.id and d["course_id"] is None
    mine = learner.get(f"{FC}/decks").json
    assert [x["id"] for x in mine] == [d["id"]]
    assert mine[0]["cards"] == 0

    other = new_account(server)
    assert other.get(f"{FC}/decks").json == []
    assert_problem(other.get(f"{FC}/decks/{d['id']}"), 404, "not-found")
    assert_problem(other.request("PATCH", f"{FC}/decks/{d['id']}",
                                 {"title": "Mine now"}), 404, "not-found")
    assert_problem(other.request("POST", f"{FC}/decks/{d['id']}/notes",
                                 {"kind": "basic", "front": "a", "back": "b"}),
                   404, "not-found")
    assert_problem(other.get(f"{FC}/decks/{d['id']}/notes"), 404, "not-found")
    assert_problem(other.request("DELETE", f"{FC}/decks/{d['id']}"), 404,
                   "not-found")
    # Another organization's admin does not see it either.
    admin = new_account(server, "admin", new_org(server))
    assert_problem(admin.get(f"{FC}/decks/{d['id']}"), 404, "not-found")


def test_deck_input_is_checked(learner):
    assert_invalid(learner.request("POST", f"{FC}/decks", {}), "title")
    assert_invalid(learner.request("POST", f"{FC}/decks", {
        "title": "x", "desired_retention": 0.5}), "desired_retention")
    assert_invalid(learner.request("POST", f"{FC}/decks", {
        "title": "x", "desired_retention": "high"}), "desired_retention")
    assert_invalid(learner.request("POST", f"{FC}/decks", {
        "title": " " * 3}), "title")
    assert_invalid(learner.request("POST", f"{FC}/decks", {
        "title": "x", "colour": "red"}), "colour")
    assert_invalid(learner.request("POST", f"{FC}/decks", {
        "title": "x", "exam": "no-such-exam"}), "exam")
    assert_invalid(learner.request("POST", f"{FC}/decks", {
        "title": "x", "course_id": "nope"}), "course_id")
    assert_problem(learner.get(f"{FC}/decks/not-a-uuid"), 404, "not-found")


def test_deck_changes_and_soft_delete(learner):
    d = deck(learner, exam="network")
    r = learner.request("PATCH", f"{FC}/decks/{d['id']}",
                        {"title": "Ports, again", "desired_retention": None,
                         "exam": None})
    assert r.status == 200, r
    assert r.json["title"] == "Ports, again" and r.json["exam"] is None
    assert r.json["version"] == d["version"] + 1
    # A stale If-Match is refused.
    r = learner.request("PATCH", f"{FC}/decks/{d['id']}", {"title": "x"},
                        {"If-Match": f'"v{d["version"]}"'})
    assert_problem(r, 412, "stale-version")
    n = note(learner, d["id"], "SSH", "22")
    assert learner.request("DELETE", f"{FC}/decks/{d['id']}").status == 204
    assert_problem(learner.get(f"{FC}/decks/{d['id']}"), 404, "not-found")
    assert learner.get(f"{FC}/decks").json == []
    assert_problem(learner.get(f"{FC}/cards/{n['cards'][0]['id']}"), 404,
                   "not-found")
    assert queue(learner)["cards"] == []


def test_the_three_kinds_of_note_make_their_cards(learner):
    d = deck(learner)
    basic = note(learner, d["id"], "Port of **SSH**?", "22")
    assert [c["ordinal"] for c in basic["cards"]] == [0]
    rev = note(learner, d["id"], "HTTPS", "443", kind="reversed")
    assert [c["ordinal"] for c in rev["cards"]] == [0, 1]
    cloze = note(learner, d["id"],
                 "{{c1::DNS}} uses port {{c2::53::a number}}; {{c1::it}} "
                 "resolves names.", "Both TCP and UDP.", kind="cloze")
    assert [c["ordinal"] for c in cloze["cards"]] == [1, 2]

    c = learner.get(f"{FC}/cards/{cloze['cards'][1]['id']}").json
    assert "[a number]" in c["question_html"] and "DNS" in c["question_html"]
    assert "<strong>53</strong>" in c["answer_html"]
    assert "Both TCP and UDP." in c["answer_html"]
    c = learner.get(f"{FC}/cards/{cloze['cards'][0]['id']}").json
    assert c["question_html"].count("[...]") == 2 and "53" in \
        c["question_html"]
    c = learner.get(f"{FC}/cards/{rev['cards'][1]['id']}").json
    assert "443" in c["question_html"] and "HTTPS" in c["answer_html"]
    c = learner.get(f"{FC}/cards/{basic['cards'][0]['id']}").json
    assert "<strong>SSH</strong>" in c["question_html"]
    assert c["state"]["state"] == "new" and c["reviews"] == []

    listed = learner.get(f"{FC}/decks/{d['id']}/notes").json["items"]
    assert [x["id"] for x in listed] == [basic["id"], rev["id"], cloze["id"]]
    assert learner.get(f"{FC}/decks/{d['id']}").json["cards"] == 5


def test_a_note_is_checked_before_it_makes_cards(learner):
    d = deck(learner)
    url = f"{FC}/decks/{d['id']}/notes"
    assert_invalid(learner.request("POST", url, {"kind": "basic",
                                                 "front": "x"}), "back")
    assert_invalid(learner.request("POST", url, {"kind": "cloze",
                                                 "front": "no deletion"}),
                   "front")
    assert_invalid(learner.request("POST", url, {"kind": "cloze",
                                                 "front": "{{c1::open"}),
                   "front")
    assert_invalid(learner.request("POST", url, {"kind": "cloze",
                                                 "front": "{{c0::zero}}"}),
                   "front")
    assert_invalid(learner.request("POST", url, {"kind": "cloze",
                                                 "front": "{{c1:: }}"}),
                   "front")
    assert_invalid(learner.request("POST", url, {"kind": "flip",
                                                 "front": "a", "back": "b"}),
                   "kind")
    assert_invalid(learner.request("POST", url, {
        "kind": "basic", "front": "a", "back": "b", "tags": ["Not A Tag"]}),
        "tags")
    assert_invalid(learner.request("POST", url, {
        "kind": "basic", "front": "x" * 10001, "back": "b"}), "front")
    # Objectives need the deck's exam, and must be the exam's.
    assert_invalid(learner.request("POST", url, {
        "kind": "basic", "front": "a", "back": "b", "objectives": ["1.4"]}),
        "objectives")
    exam_deck = deck(learner, "Exam deck", exam="network")
    assert_invalid(learner.request(
        "POST", f"{FC}/decks/{exam_deck['id']}/notes",
        {"kind": "basic", "front": "a", "back": "b", "objectives": ["9.9"]}),
        "objectives")
    ok = note(learner, exam_deck["id"], "a", "b", objectives=["1.4"],
              tags=["ports"])
    assert ok["objectives"] == ["1.4"] and ok["tags"] == ["ports"]
    # The deck's exam stays while its notes name the exam's objectives.
    assert_invalid(learner.request("PATCH", f"{FC}/decks/{exam_deck['id']}",
                                   {"exam": None}), "exam")
    r = learner.request("PATCH", f"{FC}/notes/{ok['id']}", {"back": "c"})
    assert r.status == 200 and r.json["objectives"] == ["1.4"]
    # Nothing half written.
    assert learner.get(f"{FC}/decks/{d['id']}").json["notes"] == 0


def test_editing_a_cloze_note_keeps_the_cards_that_stay(learner):
    d = deck(learner)
    n = note(learner, d["id"], "{{c1::OSPF}} is a {{c2::link-state}} "
             "protocol", kind="cloze")
    first, second = [c["id"] for c in n["cards"]]
    assert review(learner, first, 3).status == 200
    r = learner.request("PATCH", f"{FC}/notes/{n['id']}",
                        {"front": "{{c1::OSPF}} is an interior protocol"})
    assert r.status == 200, r
    assert [c["id"] for c in r.json["cards"]] == [first]
    assert r.json["version"] == n["version"] + 1
    assert_problem(learner.get(f"{FC}/cards/{second}"), 404, "not-found")
    # The deletion comes back: the same card, and my memory of the first
    # is where it was.
    r = learner.request("PATCH", f"{FC}/notes/{n['id']}",
                        {"front": "{{c1::OSPF}} is {{c2::link-state}}"})
    assert [c["id"] for c in r.json["cards"]] == [first, second]
    assert learner.get(f"{FC}/cards/{first}").json["state"]["reps"] == 1
    # An edit that would leave no card is refused, and changes nothing.
    assert_invalid(learner.request("PATCH", f"{FC}/notes/{n['id']}",
                                   {"front": "no deletions now"}), "front")
    assert_invalid(learner.request("PATCH", f"{FC}/notes/{n['id']}",
                                   {"kind": "basic"}), "back")
    r = learner.request("PATCH", f"{FC}/notes/{n['id']}",
                        {"kind": "reversed", "back": "A routing protocol"})
    assert [c["ordinal"] for c in r.json["cards"]] == [0, 1]
    assert learner.request("DELETE", f"{FC}/notes/{n['id']}").status == 204
    assert_problem(learner.get(f"{FC}/notes/{n['id']}"), 404, "not-found")
    assert learner.get(f"{FC}/decks/{d['id']}").json["cards"] == 0


def test_the_preview_renders_every_card_of_a_note(learner):
    r = learner.request("POST", f"{FC}/preview", {
        "kind": "cloze", "front": "{{c1::a}} {{c2::b}} {{c3::c}}"})
    assert r.status == 200, r
    assert [c["ordinal"] for c in r.json["cards"]] == [1, 2, 3]
    r = learner.request("POST", f"{FC}/preview", {
        "kind": "basic", "front": "<script>alert(1)</script>",
        "back": "[x](javascript:alert(1))"})
    assert r.status == 200, r
    html = r.json["cards"][0]["question_html"] + \
        r.json["cards"][0]["answer_html"]
    assert "<script" not in html and "javascript:" not in html
    assert_invalid(learner.request("POST", f"{FC}/preview",
                                   {"kind": "cloze", "front": "x"}), "front")


# ---- the queue and reviews ---------------------------------------------------

def test_the_queue_gives_new_cards_up_to_the_daily_limit(learner):
    d = deck(learner)
    cards = [note(learner, d["id"], f"Q{i}", f"A{i}")["cards"][0]["id"]
             for i in range(5)]
    q = queue(learner)
    assert [c["id"] for c in q["cards"]] == cards
    assert q["counts"] == {"learning": 0, "review": 0, "new": 5}
    assert q["limits"] == {"new_per_day": 20, "reviews_per_day": 200}
    assert all(c["queue"] == "new" for c in q["cards"])
    first = q["cards"][0]
    assert [p["rating"] for p in first["previews"]] == [1, 2, 3, 4]
    now = parse(q["now"])
    secs = [p["interval_seconds"] for p in first["previews"]]
    assert secs[0] == 60 and secs[2] == 600 and secs[3] >= 86400
    assert parse(first["previews"][2]["due"]) - now == \
        dt.timedelta(seconds=600)

    r = learner.request("PATCH", "/api/v1/me/flashcard-settings",
                        {"new_per_day": 2})
    assert r.status == 200 and r.json["new_per_day"] == 2
    q = queue(learner)
    assert [c["id"] for c in q["cards"]] == cards[:2]
    assert q["counts"]["new"] == 2
    assert review(learner, cards[0], 3).status == 200
    assert review(learner, cards[1], 4).status == 200
    q = queue(learner)
    # The Good card is learning again in 10 minutes (learn-ahead is 20);
    # the Easy one is in Review, due in days; no new card is left today.
    assert [c["id"] for c in q["cards"]] == [cards[0]]
    assert q["cards"][0]["queue"] == "learning"
    assert q["counts"] == {"learning": 1, "review": 0, "new": 0}
    assert q["today"]["new"] == 2 and q["today"]["reviews"] == 2
    # One deck or every deck: another deck's cards stay out of the first's.
    other = deck(learner, "Other")
    note(learner, other["id"], "x", "y")
    assert queue(learner, deck=other["id"])["cards"] == []  # limit reached
    assert_problem(learner.get(f"{FC}/queue?deck=nope"), 422,
                   "validation-failed")
    assert_problem(learner.get(f"{FC}/queue?limit=0"), 422,
                   "validation-failed")


def test_a_review_schedules_the_card_with_fsrs(server, learner):
    d = deck(learner)
    card = note(learner, d["id"], "SMTP", "25")["cards"][0]["id"]
    r = review(learner, card, 3, duration_ms=4200)
    assert r.status == 200, r
    s = r.json["card"]
    # FSRS-6 defaults: a first Good gives stability w2 = 2.3065 and
    # difficulty D0(3) = 2.1181 (tests/unit/test_fsrs.c has the rest).
    assert s["state"] == "learning" and s["step"] == 1 and s["reps"] == 1
    assert s["stability"] == pytest.approx(2.3065, abs=1e-4)
    assert s["difficulty"] == pytest.approx(2.1181, abs=1e-3)
    assert parse(s["due"]) - parse(s["last_review"]) == \
        dt.timedelta(minutes=10)
    assert [p["rating"] for p in r.json["previews"]] == [1, 2, 3, 4]
    # The last step: Good graduates the card to Review.
    r = review(learner, card, 3)
    assert r.json["card"]["state"] == "review"
    assert parse(r.json["card"]["due"]) - parse(r.json["card"]["last_review"]) \
        >= dt.timedelta(days=1)
    log = learner.get(f"{FC}/cards/{card}").json["reviews"]
    assert [x["rating"] for x in log] == [3, 3]
    assert log[1]["state_before"] == "new" and log[1]["duration_ms"] == 4200
    assert log[1]["elapsed_seconds"] is None and log[0]["elapsed_seconds"] >= 0
    assert log[0]["state_before"] == "learning"
    assert log[0]["scheduled_seconds"] % 86400 == 0


def test_a_review_is_checked(server, learner):
    d = deck(learner)
    card = note(learner, d["id"], "SMTP", "25")["cards"][0]["id"]
    url = f"{FC}/cards/{card}/review"
    for bad in (0, 5, "3", None, 2.5):
        assert_invalid(learner.request("POST", url, {"rating": bad}),
                       "rating")
    assert_invalid(learner.request("POST", url, {}), "rating")
    assert_invalid(learner.request("POST", url, {
        "rating": 3, "reviewed_at": "yesterday"}), "reviewed_at")
    assert_invalid(learner.request("POST", url, {
        "rating": 3, "duration_ms": -1}), "duration_ms")
    assert_invalid(learner.request("POST", url, {
        "rating": 3, "duration_ms": 3600001}), "duration_ms")
    assert_invalid(learner.request("POST", url, {
        "rating": 3, "grade": 1}), "grade")
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
    assert_invalid(review(learner, card, 3, reviewed_at=iso(future)),
                   "reviewed_at")
    assert_problem(review(learner, "00000000-0000-4000-8000-000000000000",
                          3), 404, "not-found")
    # Another learner cannot review it, nor see its state.
    other = new_account(server)
    assert_problem(review(other, card, 3), 404, "not-found")
    assert_problem(other.get(f"{FC}/cards/{card}"), 404, "not-found")
    assert_problem(other.request("POST", f"{FC}/cards/{card}/suspend",
                                 {"suspended": True}), 404, "not-found")
    # None of that wrote anything.
    assert learner.get(f"{FC}/cards/{card}").json["reviews"] == []
    assert sql(server, f"SELECT count(*) FROM flashcard_reviews "
                       f"WHERE card_id = '{card}'")[0][0] == "0"


def test_offline_reviews_sync_with_their_time(server, learner):
    d = deck(learner)
    card = note(learner, d["id"], "POP3", "110")["cards"][0]["id"]
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    t1 = now - dt.timedelta(days=3)
    t2 = t1 + dt.timedelta(minutes=11)
    r = review(learner, card, 3, reviewed_at=iso(t1))
    assert r.status == 200, r
    assert r.json["reviewed_at"] == iso(t1)
    assert parse(r.json["card"]["last_review"]) == t1
    r = review(learner, card, 3, reviewed_at=iso(t2))
    assert r.json["card"]["state"] == "review"
    due = parse(r.json["card"]["due"])
    assert (due - t2) % dt.timedelta(days=1) == dt.timedelta(0)
    # Not before the card's last review.
    assert_invalid(review(learner, card, 3, reviewed_at=iso(t1)),
                   "reviewed_at")
    log = learner.get(f"{FC}/cards/{card}").json["reviews"]
    assert [parse(x["reviewed_at"]) for x in log] == [t2, t1]
    assert log[0]["elapsed_seconds"] == 660
    # Reviews of an earlier day do not count toward today's limits.
    assert queue(learner)["today"]["reviews"] == 0


def test_days_are_the_learners_own(server, learner):
    """A day starts at midnight where the learner lives: the limits and
    the counts of today follow the time zone."""
    tz = "Pacific/Kiritimati"  # UTC+14
    assert learner.request("PATCH", "/api/v1/me",
                           {"timezone": tz}).status == 200
    learner.request("PATCH", "/api/v1/me/flashcard-settings",
                    {"new_per_day": 1})
    d = deck(learner)
    cards = [note(learner, d["id"], f"Q{i}", "A")["cards"][0]["id"]
             for i in range(3)]
    local_midnight = dt.datetime.now(ZoneInfo(tz)).replace(
        hour=0, minute=0, second=0, microsecond=0)
    before = local_midnight - dt.timedelta(minutes=1)  # yesterday, there
    assert review(learner, cards[0], 4, reviewed_at=iso(before)).status == 200
    q = queue(learner)
    assert q["today"]["new"] == 0 and q["counts"]["new"] == 1
    assert review(learner, cards[1], 4,
                  reviewed_at=iso(local_midnight)).status == 200
    q = queue(learner)
    assert q["today"]["new"] == 1 and q["counts"]["new"] == 0
    assert q["cards"] == []


def test_undo_puts_the_card_back_as_it_was(server, learner):
    d = deck(learner)
    card = note(learner, d["id"], "IMAP", "143")["cards"][0]["id"]
    assert_problem(learner.request("POST", f"{FC}/undo"), 404, "not-found")
    first = review(learner, card, 3).json["card"]
    second = review(learner, card, 1).json["card"]
    assert second["reps"] == 2
    r = learner.request("POST", f"{FC}/undo")
    assert r.status == 200, r
    assert r.json["card"]["reps"] == 1
    assert r.json["card"]["state"] == first["state"]
    assert r.json["card"]["stability"] == pytest.approx(first["stability"],
                                                        abs=1e-4)
    assert r.json["card"]["due"][:19] == first["due"][:19]
    r = learner.request("POST", f"{FC}/undo")
    assert r.json["card"]["state"] == "new" and r.json["card"]["reps"] == 0
    assert_problem(learner.request("POST", f"{FC}/undo"), 404, "not-found")
    log = learner.get(f"{FC}/cards/{card}").json["reviews"]
    assert [x["undone"] for x in log] == [True, True]
    # The log keeps the rows; an undone review counts nowhere.
    assert queue(learner)["today"]["reviews"] == 0
    assert learner.get("/api/v1/me/flashcard-settings").json["reviews"] == 0
    # The app may not remove or rewrite them.
    assert sql(server, "SELECT has_table_privilege('ludus_app', "
                       "'flashcard_reviews', 'DELETE')")[0][0] == "f"


def test_undo_refuses_after_a_reset(learner):
    d = deck(learner)
    card = note(learner, d["id"], "NTP", "123")["cards"][0]["id"]
    review(learner, card, 3)
    r = learner.request("POST", f"{FC}/cards/{card}/reset")
    assert r.status == 200 and r.json["state"]["state"] == "new"
    assert len(r.json["reviews"]) == 1  # the history stays
    assert_problem(learner.request("POST", f"{FC}/undo"), 409, "conflict")


def test_siblings_wait_for_tomorrow(learner):
    d = deck(learner)
    n = note(learner, d["id"], "LDAP", "389", kind="reversed")
    a, b = [c["id"] for c in n["cards"]]
    assert [c["id"] for c in queue(learner)["cards"]] == [a, b]
    review(learner, a, 4)
    assert queue(learner)["cards"] == []
    s = learner.get(f"{FC}/cards/{b}").json["state"]
    assert s["buried_until"] is not None
    # Unless the learner turns that off.
    learner.request("PATCH", "/api/v1/me/flashcard-settings",
                    {"bury_siblings": False})
    n2 = note(learner, d["id"], "LDAPS", "636", kind="reversed")
    review(learner, n2["cards"][0]["id"], 4)
    q = queue(learner)["cards"]
    assert [c["id"] for c in q] == [n2["cards"][1]["id"]], (n2, q)


def test_suspend_and_bury(learner):
    d = deck(learner)
    card = note(learner, d["id"], "SNMP", "161")["cards"][0]["id"]
    url = f"{FC}/cards/{card}"
    r = learner.request("POST", f"{url}/suspend", {"suspended": True})
    assert r.status == 200 and r.json["state"]["suspended"] is True
    assert queue(learner)["cards"] == []
    assert_problem(review(learner, card, 3), 409, "suspended")
    learner.request("POST", f"{url}/suspend", {"suspended": False})
    assert [c["id"] for c in queue(learner)["cards"]] == [card]
    r = learner.request("POST", f"{url}/bury", {"buried": True})
    assert r.json["state"]["buried_until"] is not None
    assert queue(learner)["cards"] == []
    learner.request("POST", f"{url}/bury", {"buried": False})
    assert [c["id"] for c in queue(learner)["cards"]] == [card]
    assert_invalid(learner.request("POST", f"{url}/bury", {}), "buried")
    assert_invalid(learner.request("POST", f"{url}/suspend",
                                   {"suspended": "yes"}), "suspended")


def test_easy_days_move_long_intervals(server, learner):
    """With every day but Sunday set to no reviews, a long Review interval
    lands on a Sunday (the fuzz range of a 100-day interval spans two
    weeks)."""
    tz = "America/New_York"
    learner.request("PATCH", "/api/v1/me", {"timezone": tz})
    r = learner.request("PATCH", "/api/v1/me/flashcard-settings",
                        {"easy_days": [0, 0, 0, 0, 0, 0, 1]})
    assert r.status == 200 and r.json["easy_days"] == [0, 0, 0, 0, 0, 0, 1]
    d = deck(learner)
    cards = [note(learner, d["id"], f"Q{i}", "A")["cards"][0]["id"]
             for i in range(3)]
    for card in cards:
        review(learner, card, 3)
        sql(server, f"UPDATE user_flashcard_progress SET state = 2, "
                    f"stability = 100, difficulty = 5, "
                    f"last_review = now() - interval '100 days', "
                    f"due = now() WHERE card_id = '{card}'")
        r = review(learner, card, 3)
        assert r.status == 200, r
        due = parse(r.json["card"]["due"]).astimezone(ZoneInfo(tz))
        assert due.isoweekday() == 7, due
        assert due - dt.datetime.now(ZoneInfo(tz)) > dt.timedelta(days=100)


def test_settings_are_checked(learner):
    s = learner.get("/api/v1/me/flashcard-settings").json
    assert s["desired_retention"] == 0.9 and s["new_per_day"] == 20
    assert s["reviews_per_day"] == 200 and s["learning_steps"] == [60, 600]
    assert s["relearning_steps"] == [600] and s["max_interval_days"] == 36500
    assert len(s["parameters"]) == 21 and s["parameters_fitted_at"] is None
    assert s["easy_days"] == [1] * 7 and s["load_balance"] is True
    url = "/api/v1/me/flashcard-settings"
    for field, bad in (("desired_retention", 0.6), ("desired_retention", 1),
                       ("new_per_day", -1), ("reviews_per_day", 100000),
                       ("learning_steps", [600, 60]),
                       ("learning_steps", [1] * 9),
                       ("relearning_steps", [0]),
                       ("learning_steps", [1.5]),
                       ("max_interval_days", 0), ("easy_days", [1] * 6),
                       ("easy_days", [0] * 7), ("easy_days", [2] * 7),
                       ("cards_from_mistakes", "always"),
                       ("load_balance", "yes"), ("theme", "dark")):
        assert_invalid(learner.request("PATCH", url, {field: bad}), field)
    r = learner.request("PATCH", url, {
        "desired_retention": 0.85, "learning_steps": [30, 300, 1800],
        "relearning_steps": [], "max_interval_days": 365,
        "cards_from_mistakes": "make", "load_balance": False})
    assert r.status == 200, r
    assert r.json["desired_retention"] == 0.85
    assert r.json["learning_steps"] == [30, 300, 1800]
    assert r.json["relearning_steps"] == []
    assert r.json["cards_from_mistakes"] == "make"
    d = deck(learner)
    card = note(learner, d["id"], "a", "b")["cards"][0]["id"]
    assert review(learner, card, 3).json["card"]["step"] == 1
    # Due in 5 minutes (the second step), within the 20 minutes of
    # learn-ahead: it is next.
    q = queue(learner)["cards"]
    assert [(c["id"], c["queue"]) for c in q] == [(card, "learning")]


# ---- motivation ---------------------------------------------------------------

def test_reviews_earn_xp_and_count_as_study(server, learner):
    d = deck(learner)
    cards = [note(learner, d["id"], f"Q{i}", "A")["cards"][0]["id"]
             for i in range(3)]
    for c in cards:
        assert review(learner, c, 4, duration_ms=30000).status == 200
    ledger = learner.get("/api/v1/me/xp").json
    reviews = [x for x in ledger["items"] if x["source"] == "flashcards"]
    assert len(reviews) == 3 and all(x["amount"] == 1 for x in reviews)
    assert any(x["source"] == "streak" for x in ledger["items"])
    secs = sql(server, f"SELECT sum(study_seconds) FROM activity_days "
                       f"WHERE user_id = '{learner.id}'")[0][0]
    assert int(secs) == 90
    # Undo and redo: the XP is not paid twice.
    learner.request("POST", f"{FC}/undo")
    review(learner, cards[2], 4)
    ledger = learner.get("/api/v1/me/xp").json
    assert len([x for x in ledger["items"]
                if x["source"] == "flashcards"]) == 3
    # The dashboard counts what waits today.
    d2 = deck(learner, "More")
    note(learner, d2["id"], "new", "card")
    f = learner.get("/api/v1/me/dashboard").json["flashcards"]
    assert f == {"due": 0, "new": 1}
    sql(server, f"UPDATE user_flashcard_progress SET due = now() "
                f"WHERE user_id = '{learner.id}' AND card_id = '{cards[0]}'")
    assert learner.get("/api/v1/me/dashboard").json["flashcards"]["due"] == 1
    ach = learner.get("/api/v1/me/achievements").json["items"]
    spaced = next(a for a in ach if a["code"] == "reviews-100")
    assert spaced["progress"] == {"have": 3, "need": 100}


# ---- course decks ---------------------------------------------------------------

def test_course_decks_are_for_the_courses_learners(server):
    ins = sign_in(server, "instructor", DEMO_PW)
    r = ins.request("POST", f"{FC}/decks", {
        "title": "Network+ ports", "course_id": COURSE, "exam": "network"})
    assert r.status == 201, r
    d = r.json
    assert d["course_id"] == COURSE and d["role"] == "editor"
    card = note(ins, d["id"], "Port of SSH?", "22",
                objectives=["1.4"])["cards"][0]["id"]

    learner = new_account(server)
    assert_problem(learner.get(f"{FC}/decks/{d['id']}"), 404, "not-found")
    assert_problem(review(learner, card, 3), 404, "not-found")
    assert learner.get(f"/api/v1/courses/{COURSE}/decks").json == []
    assert learner.request("POST",
                           f"/api/v1/courses/{COURSE}/enroll").status in \
        (200, 201)
    decks = learner.get(f"{FC}/decks").json
    assert [x["id"] for x in decks] == [d["id"]]
    assert decks[0]["role"] == "learner" and decks[0]["new"] == 1
    assert [x["id"] for x in learner.get(
        f"/api/v1/courses/{COURSE}/decks").json] == [d["id"]]
    assert [c["id"] for c in queue(learner)["cards"]] == [card]
    assert review(learner, card, 3).status == 200
    # A learner reads the deck but cannot change it.
    assert_problem(learner.request("PATCH", f"{FC}/decks/{d['id']}",
                                   {"title": "Mine"}), 403, "forbidden")
    assert_problem(learner.request("POST", f"{FC}/decks/{d['id']}/notes", {
        "kind": "basic", "front": "a", "back": "b"}), 403, "forbidden")
    nid = learner.get(f"{FC}/decks/{d['id']}/notes").json["items"][0]["id"]
    assert_problem(learner.request("DELETE", f"{FC}/notes/{nid}"), 403,
                   "forbidden")
    # Nor may they add a deck to the course.
    assert_problem(learner.request("POST", f"{FC}/decks", {
        "title": "x", "course_id": COURSE}), 403, "forbidden")
    # Each learner's memory is their own.
    other = new_account(server)
    other.request("POST", f"/api/v1/courses/{COURSE}/enroll")
    assert queue(other)["cards"][0]["state"]["state"] == "new"
    # Dropping the course takes its decks out of my queue.
    assert learner.request("DELETE",
                           f"/api/v1/courses/{COURSE}/enroll").status in \
        (200, 204)
    assert queue(learner)["cards"] == []
    assert_problem(learner.get(f"{FC}/cards/{card}"), 404, "not-found")
    # The change is in the audit trail.
    n = sql(server, f"SELECT count(*) FROM audit_events WHERE entity_id = "
                    f"'{d['id']}' AND action = 'flashcard_deck.created'")
    assert n[0][0] == "1"
    ins.request("DELETE", f"{FC}/decks/{d['id']}")


# ---- statistics and the workload simulator ----------------------------------

def test_statistics_follow_the_reviews(server, learner):
    d = deck(learner)
    cards = [note(learner, d["id"], f"Q{i}", "A")["cards"][0]["id"]
             for i in range(4)]
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for c in cards[:3]:
        review(learner, c, 4, reviewed_at=iso(now - dt.timedelta(days=20)),
               duration_ms=6000)
    # Two of the three come back remembered, one forgotten.
    sql(server, f"UPDATE user_flashcard_progress SET due = now() "
                f"WHERE user_id = '{learner.id}'")
    for c, g in zip(cards[:3], (3, 3, 1)):
        assert review(learner, c, g, duration_ms=5000).status == 200
    sql(server, f"UPDATE user_flashcard_progress SET due = now() + "
                f"interval '1 day' WHERE user_id = '{learner.id}' "
                f"AND state = 2")
    s = learner.get(f"{FC}/stats").json
    assert s["counts"] == {"cards": 4, "new": 1, "learning": 0,
                           "review": 2, "relearning": 1, "suspended": 0}
    days = {x["day"]: x["reviews"] for x in s["heatmap"]}
    assert sum(days.values()) == 6 and len(days) == 2
    today = s["retention"][-1]
    assert (today["reviews"], today["passed"]) == (3, 2)
    assert today["retention"] == pytest.approx(2 / 3, abs=1e-3)
    assert len(s["forecast"]) == 30
    assert [x["due"] for x in s["forecast"][:3]] == [0, 2, 0]
    m = s["memory"]
    assert m["cards"] == 3 and 0 < m["average_retrievability"] <= 1
    assert sum(b["cards"] for b in m["difficulty"]) == 3
    assert sum(b["cards"] for b in m["retrievability"]) == 3
    assert len(m["weakest"]) == 3 and m["weakest"][0]["front"].startswith("Q")
    assert s["minutes_last_30_days"] == 0.6  # 3 x 6 s + 3 x 5 s
    # One deck, or another learner: only what is theirs.
    assert learner.get(f"{FC}/stats?deck={d['id']}").json["counts"][
        "cards"] == 4
    other = new_account(server)
    assert other.get(f"{FC}/stats").json["counts"]["cards"] == 0
    assert_problem(other.get(f"{FC}/stats?deck={d['id']}"), 404, "not-found")


def test_the_workload_grows_with_the_retention(server, learner):
    d = deck(learner)
    for i in range(30):
        c = note(learner, d["id"], f"Q{i}", "A")["cards"][0]["id"]
        review(learner, c, 4, duration_ms=7000)
    r = learner.get(f"{FC}/workload?days=120")
    assert r.status == 200, r
    w = r.json
    assert w["days"] == 120 and w["cards"] == 30
    assert w["seconds"]["new"] == pytest.approx(7.0)
    mins = [x["minutes_per_day"] for x in w["retentions"]]
    kept = [x["memorized"] for x in w["retentions"]]
    assert [x["desired_retention"] for x in w["retentions"]][0] == 0.7
    assert mins == sorted(mins) and mins[-1] > mins[0]
    # (a simulation of 30 cards is noisy between neighbours)
    assert kept[-1] > kept[0]
    assert_invalid(learner.get(f"{FC}/workload?days=3"), "days")
    assert_invalid(learner.get(f"{FC}/workload?days=x"), "days")


# ---- the optimizer ------------------------------------------------------------

def review_history(server, who, cards=300):
    """A new deck of who's with cards cards, each reviewed five times over
    two months: Good, and Again for one card in five at its fourth review
    (cards * 4 reviews the optimizer scores).  The deck."""
    d = deck(who)
    sql(server, f"""
        WITH n AS (
            INSERT INTO flashcard_notes (org_id, set_id, kind, front, back,
                created_by)
            SELECT u.org_id, '{d["id"]}', 'basic', 'Q' || g, 'A', u.id
            FROM users u, generate_series(1, {cards}) g
            WHERE u.id = '{who.id}'
            RETURNING id, org_id, set_id)
        INSERT INTO flashcards (org_id, note_id, set_id, ordinal)
        SELECT org_id, id, set_id, 0 FROM n""")
    sql(server, f"""
        INSERT INTO flashcard_reviews (org_id, user_id, card_id, rating,
            reviewed_at, elapsed_seconds, scheduled_seconds, state, step,
            stability, difficulty, due, reps, lapses, state_after,
            stability_after, difficulty_after)
        SELECT c.org_id, '{who.id}', c.id,
            CASE WHEN k = 4 AND row_number() OVER (PARTITION BY k
                ORDER BY c.id) % 5 = 0 THEN 1 ELSE 3 END,
            now() - interval '60 days' + (ARRAY[0, 2, 6, 15, 35])[k]
                * interval '1 day',
            CASE WHEN k = 1 THEN NULL ELSE ((ARRAY[0, 2, 6, 15, 35])[k]
                - (ARRAY[0, 0, 2, 6, 15])[k]) * 86400 END,
            86400, CASE WHEN k = 1 THEN 0 ELSE 2 END, 0, 1, 5, now(),
            k - 1, 0, 2, 1, 5
        FROM flashcards c, generate_series(1, 5) k
        WHERE c.set_id = '{d["id"]}'""")
    return d


def test_the_optimizer_fits_my_parameters_from_my_reviews(server, learner):
    from support import follow_job
    r = learner.request("POST", "/api/v1/me/flashcard-settings/optimize")
    assert r.status == 202, r
    job = follow_job(learner, r.json["href"])
    assert job["status"] == "failed"
    assert "needs 1000 reviews" in job["error"]

    d = review_history(server, learner)
    r = learner.request("POST", "/api/v1/me/flashcard-settings/optimize")
    job = follow_job(learner, r.json["href"])
    assert job["status"] == "succeeded", job
    res = job["result"]
    assert res["reviews"] == 1200 and len(res["parameters"]) == 21
    assert res["log_loss_after"] <= res["log_loss_before"]
    s = learner.get("/api/v1/me/flashcard-settings").json
    assert s["parameters_fitted_at"] is not None
    assert s["parameters_from"] == "mine"
    assert s["fit"]["reviews"] == 1200
    assert s["parameters"] == pytest.approx(res["parameters"], rel=1e-6)
    # The fitted parameters schedule from now on; the defaults come back
    # on request.
    card = note(learner, d["id"], "new", "card")["cards"][0]["id"]
    first = review(learner, card, 3).json["card"]
    assert first["stability"] == pytest.approx(res["parameters"][2], abs=1e-3)
    r = learner.request("DELETE", "/api/v1/me/flashcard-settings/parameters")
    assert r.status == 200 and r.json["fit"] is None
    assert r.json["parameters_from"] == "default"
    assert r.json["parameters"][2] == pytest.approx(2.3065)


ORG_PARAMS = "/api/v1/admin/flashcard-parameters"


def test_an_organizations_parameters_are_fitted_to_all_its_learners(server):
    from support import follow_job
    org = new_org(server, "fsrs")
    admin = new_account(server, "admin", org)
    a, b, c, d = (new_account(server, org=org) for _ in range(4))

    # Too few reviews: the job fails and says so.
    r = admin.request("POST", f"{ORG_PARAMS}/optimize")
    assert r.status == 202, r
    assert r.json["kind"] == "flashcards.optimize_org"
    job = follow_job(admin, r.json["href"])
    assert job["status"] == "failed", job
    assert "needs 1000 reviews" in job["error"]
    assert "its learners have 0" in job["error"]
    assert admin.get(ORG_PARAMS).json == {"parameters": None}

    # Two learners with 600 scored reviews each: too few for either
    # alone, enough together.
    review_history(server, a, 150)
    review_history(server, b, 150)
    r = a.request("POST", "/api/v1/me/flashcard-settings/optimize")
    assert follow_job(a, r.json["href"])["status"] == "failed"
    cd = deck(c)
    note(c, cd["id"], "SSH", "22")
    r = admin.request("POST", f"{ORG_PARAMS}/optimize")
    assert r.status == 202, r
    job = follow_job(admin, r.json["href"])
    assert job["status"] == "succeeded", job
    assert job["progress"]["total"] == 3
    res = job["result"]
    assert res["reviews"] == 1200 and len(res["parameters"]) == 21
    assert res["log_loss_after"] <= res["log_loss_before"]
    doc = admin.get(ORG_PARAMS).json
    assert doc["parameters"] == pytest.approx(res["parameters"], rel=1e-6)
    assert doc["fit"] == {"log_loss_before": pytest.approx(
        res["log_loss_before"]), "log_loss_after": pytest.approx(
        res["log_loss_after"]), "reviews": 1200}
    assert doc["fitted_by"]["id"] == admin.id and doc["fitted_at"]

    # A learner without parameters of their own is scheduled with the
    # organization's.
    s = c.get("/api/v1/me/flashcard-settings").json
    assert s["parameters_from"] == "organization" and s["fit"] is None
    assert s["parameters"] == pytest.approx(res["parameters"], rel=1e-6)
    # (the previews, rounded to days, may not move: the first review's
    # stability is the organization's w[2], which says it exactly)
    card = queue(c)["cards"][0]["id"]
    first = review(c, card, 3).json["card"]
    assert first["stability"] == pytest.approx(res["parameters"][2],
                                               abs=1e-3)
    # One with their own keeps them.
    own = res["parameters"][:2] + [5.0] + res["parameters"][3:]
    sql(server, f"""INSERT INTO flashcard_settings (user_id, org_id, params)
        SELECT id, org_id, '{{{",".join(map(str, own))}}}'
        FROM users WHERE id = '{d.id}'""")
    s = d.get("/api/v1/me/flashcard-settings").json
    assert s["parameters_from"] == "mine"
    assert s["parameters"] == pytest.approx(own, rel=1e-6)

    # Only admins.
    for method, path in (("GET", ORG_PARAMS), ("DELETE", ORG_PARAMS),
                         ("POST", f"{ORG_PARAMS}/optimize")):
        assert_problem(a.request(method, path), 403, "forbidden")
    assert admin.get(ORG_PARAMS).json["fit"]["reviews"] == 1200

    # Back to the defaults, for everyone who followed the organization's.
    r = admin.request("DELETE", ORG_PARAMS)
    assert r.status == 204 and r.body == b""
    assert admin.get(ORG_PARAMS).json == {"parameters": None}
    s = c.get("/api/v1/me/flashcard-settings").json
    assert s["parameters_from"] == "default"
    assert s["parameters"][2] == pytest.approx(2.3065)
    assert d.get("/api/v1/me/flashcard-settings").json[
        "parameters_from"] == "mine"
    assert admin.request("DELETE", ORG_PARAMS).status == 204

    # The fit and the reset are in the audit trail, once each.
    rows = sql(server, f"""SELECT action, actor_user_id,
            old_values IS NULL, new_values IS NULL,
            coalesce(new_values, old_values)->>'reviews'
        FROM audit_events WHERE entity_type = 'flashcard_parameters'
            AND org_id = (SELECT id FROM organizations WHERE slug = '{org}')
        ORDER BY occurred_at""")
    assert rows == [
        ["flashcard_parameters.fitted", admin.id, "t", "f", "1200"],
        ["flashcard_parameters.reset", admin.id, "f", "t", "1200"]]


# ---- cards from what the learner already does --------------------------------

SSH = {"type": "single_choice", "exam": "network", "objectives": ["1.4"],
       "status": "active", "explanation": "SSH replaced Telnet.",
       "body": {"options": [
           {"key": "A", "text": "23", "correct": False},
           {"key": "B", "text": "22", "correct": True,
            "explanation": "Secure Shell."}]}}


def quiz_with(ins, n=2):
    """A published assessment of n new questions; their ids and its id."""
    from support import uniq
    qids = []
    for i in range(n):
        r = ins.request("POST", "/api/v1/questions",
                        {**SSH, "stem": f"Which port does SSH use? {uniq()}"})
        assert r.status == 201, r
        qids.append(r.json["id"])
    r = ins.request("POST", "/api/v1/assessments",
                    {"title": f"SSH quiz {uniq()}", "status": "published"})
    assert r.status == 201, r
    aid = r.json["id"]
    r = ins.request("PUT", f"/api/v1/assessments/{aid}/questions",
                    {"questions": [{"question_id": q} for q in qids]})
    assert r.status == 200, r
    return qids, aid


def answer_wrong(who, aid):
    """Starts an attempt, answers every question with its wrong option and
    submits; the attempt's id."""
    from support import label
    att = who.request("POST", f"/api/v1/assessments/{aid}/attempts").json
    for item in att["questions"]:
        r = who.request("PUT", f"/api/v1/attempts/{att['id']}/answers/"
                        f"{item['question_id']}",
                        {"answer": {"choice": label(item["options"], "23")}})
        assert r.status == 200, r
    assert who.request("POST",
                       f"/api/v1/attempts/{att['id']}/submit").status == 200
    return att["id"]


def test_a_wrong_answer_offers_a_card(server, learner):
    ins = sign_in(server, "instructor", DEMO_PW)
    qids, aid = quiz_with(ins)
    # Not before I have answered it wrong in a finished attempt.
    url = f"{FC}/from-question"
    assert_problem(learner.request("POST", url, {"question_id": qids[0]}),
                   404, "not-found")
    att = learner.request("POST", f"/api/v1/assessments/{aid}/attempts").json
    from support import label
    item = att["questions"][0]
    learner.request("PUT", f"/api/v1/attempts/{att['id']}/answers/"
                    f"{item['question_id']}",
                    {"answer": {"choice": label(item["options"], "23")}})
    assert_problem(learner.request("POST", url, {
        "question_id": item["question_id"]}), 404, "not-found")
    learner.request("POST", f"/api/v1/attempts/{att['id']}/submit")
    # The default setting offers: nothing was made by the submit.
    assert learner.get(f"{FC}/decks").json == []
    r = learner.request("POST", url, {"question_id": item["question_id"]})
    assert r.status == 201, r
    n = r.json
    assert n["question_id"] == item["question_id"]
    assert n["objectives"] == ["1.4"] and n["kind"] == "basic"
    assert "Which port does SSH use?" in n["front"] and "- 23" in n["front"]
    assert n["back"] == "- **22**: Secure Shell.\n\nSSH replaced Telnet."
    decks = learner.get(f"{FC}/decks").json
    assert len(decks) == 1 and decks[0]["source"] == "mistakes"
    assert decks[0]["title"].startswith("My mistakes: ")
    assert decks[0]["exam"] == "network"
    # Once: the same question again gives the same note.
    r = learner.request("POST", url, {"question_id": item["question_id"]})
    assert r.status == 200 and r.json["id"] == n["id"]
    # Another learner cannot take the answer out of my mistake.
    other = new_account(server)
    assert_problem(other.request("POST", url, {
        "question_id": item["question_id"]}), 404, "not-found")
    assert_invalid(learner.request("POST", url, {"question_id": "x"}),
                   "question_id")


def test_a_setting_makes_the_cards_at_once(server, learner):
    ins = sign_in(server, "instructor", DEMO_PW)
    qids, aid = quiz_with(ins, 3)
    learner.request("PATCH", "/api/v1/me/flashcard-settings",
                    {"cards_from_mistakes": "make"})
    answer_wrong(learner, aid)
    decks = learner.get(f"{FC}/decks").json
    assert len(decks) == 1 and decks[0]["cards"] == 3
    notes = learner.get(f"{FC}/decks/{decks[0]['id']}/notes").json["items"]
    assert sorted(x["question_id"] for x in notes) == sorted(qids)
    # A second attempt with the same mistakes makes no second card.
    answer_wrong(learner, aid)
    assert learner.get(f"{FC}/decks").json[0]["cards"] == 3
    # Off: nothing.
    other = new_account(server)
    other.request("PATCH", "/api/v1/me/flashcard-settings",
                  {"cards_from_mistakes": "off"})
    answer_wrong(other, aid)
    assert other.get(f"{FC}/decks").json == []


def test_authors_turn_questions_and_lessons_into_a_course_deck(server):
    ins = sign_in(server, "instructor", DEMO_PW)
    qids, _ = quiz_with(ins, 2)
    d = ins.request("POST", f"{FC}/decks", {
        "title": "From the bank", "course_id": COURSE,
        "exam": "network"}).json
    r = ins.request("POST", f"{FC}/decks/{d['id']}/from-questions",
                    {"question_ids": qids})
    assert r.status == 200, r
    assert r.json == {"added": 2, "already": 0}
    r = ins.request("POST", f"{FC}/decks/{d['id']}/from-questions",
                    {"question_ids": qids})
    assert r.json == {"added": 0, "already": 2}
    notes = ins.get(f"{FC}/decks/{d['id']}/notes").json["items"]
    assert all(x["objectives"] == ["1.4"] for x in notes)
    assert_invalid(ins.request("POST", f"{FC}/decks/{d['id']}/from-questions",
                               {"question_ids": ["nope"]}), "question_ids")
    # A lesson's key terms: the seeded "TCP, UDP and the Ports to Know".
    lesson = "4e700009-0000-4000-8000-000000000102"
    r = ins.request("POST", f"{FC}/decks/{d['id']}/from-lesson",
                    {"lesson_id": lesson})
    assert r.status == 200, r
    added = r.json["added"]
    assert added >= 12  # TCP, UDP and each row of the ports table
    notes = ins.get(f"{FC}/decks/{d['id']}/notes?limit=500").json["items"]
    terms = {x["front"]: x for x in notes if x["lesson_id"] == lesson}
    assert terms["TCP"]["back"].startswith("is connection-oriented")
    port22 = terms["**Port**: 22"]
    assert port22["kind"] == "reversed" and "SSH" in port22["back"]
    assert port22["objectives"] == ["1.4"]
    r = ins.request("POST", f"{FC}/decks/{d['id']}/from-lesson",
                    {"lesson_id": lesson})
    assert r.json == {"added": 0, "already": added}
    # Not a lesson of the deck's course.
    other_course = ins.request("POST", "/api/v1/courses",
                               {"title": "Another"}).json["id"]
    unit = ins.request("POST", f"/api/v1/courses/{other_course}/units",
                       {"title": "U"}).json["units"][-1]["id"]
    foreign = ins.request("POST", f"/api/v1/units/{unit}/lessons", {
        "title": "L", "kind": "lesson",
        "content": {"markdown": "**X** is y."}}).json["id"]
    assert_invalid(ins.request("POST", f"{FC}/decks/{d['id']}/from-lesson",
                               {"lesson_id": foreign}), "lesson_id")
    # Learners may not use the bank, nor change a course's deck.
    learner = new_account(server)
    assert_problem(learner.request(
        "POST", f"{FC}/decks/{d['id']}/from-questions",
        {"question_ids": qids}), 403, "forbidden")
    mine = deck(learner)
    r = learner.request("POST", f"{FC}/decks/{mine['id']}/from-lesson",
                        {"lesson_id": lesson})
    assert r.status == 200 and r.json["added"] == added
    assert_invalid(learner.request(
        "POST", f"{FC}/decks/{mine['id']}/from-lesson",
        {"lesson_id": foreign}), "lesson_id")  # not published
    ins.request("DELETE", f"{FC}/decks/{d['id']}")


def test_decks_and_notes_have_limits(server, learner):
    d = deck(learner)
    sql(server, f"""
        INSERT INTO flashcard_sets (org_id, owner_id, created_by, title)
        SELECT u.org_id, u.id, u.id, 'Deck ' || g
        FROM users u, generate_series(1, 999) g WHERE u.id = '{learner.id}'""")
    assert_problem(learner.request("POST", f"{FC}/decks", {"title": "one more"}),
                   422, "too-many")
    sql(server, f"""
        INSERT INTO flashcard_notes (org_id, set_id, kind, front, back,
            created_by)
        SELECT u.org_id, '{d["id"]}', 'basic', 'Q' || g, 'A', u.id
        FROM users u, generate_series(1, 50000) g
        WHERE u.id = '{learner.id}'""")
    assert_problem(learner.request("POST", f"{FC}/decks/{d['id']}/notes", {
        "kind": "basic", "front": "a", "back": "b"}), 422, "too-many")
    lesson = "4e700009-0000-4000-8000-000000000102"
    assert_problem(learner.request("POST", f"{FC}/decks/{d['id']}/from-lesson",
                                   {"lesson_id": lesson}), 422, "too-many")
    # Deleting one makes room for one.
    sql(server, f"UPDATE flashcard_notes SET deleted_at = now() WHERE id = "
                f"(SELECT id FROM flashcard_notes WHERE set_id = '{d['id']}' "
                f"LIMIT 1)")
    assert learner.request("POST", f"{FC}/decks/{d['id']}/notes", {
        "kind": "basic", "front": "a", "back": "b"}).status == 201
