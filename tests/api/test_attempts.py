"""Taking an assessment: starting an attempt (and carrying on with the open
one), what a learner sees before the end (no answers, no explanations,
options under labels, an ordering never in its order), saving, changing,
clearing and flagging answers, the answers that do not fit, other people's
attempts, submitting and the score (partial credit, fill-in-the-blank
rules, the domain breakdown), the review, double and concurrent submits,
attempts left, the availability window, immediate feedback, the time
limit and the attempts nobody finished, my history and trends, the lesson
a passed attempt completes, and the statistics of the questions.

The tests share the module's server and database.  The demo instructor
writes the questions and assessments; every test registers learners of
its own, so that attempts do not meet.
"""
import json
import math
import threading
import time
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, label,
                     published_quiz_lesson, qs, right_answer, sign_in, sql)
from support import new_account as _new_account, new_org as _new_org, uniq as _uniq


def uniq(prefix="t"):
    return _uniq(prefix)


def new_org(server):
    return _new_org(server, "attempt")


def learner(server, role="student", org=None):
    return _new_account(server, role, org, "at")

RANDOM_ID = "7d9f3a52-4c1e-4b8a-9f00-123456789abc"
SECRET = "EXPLAINED-"          # every explanation holds it
HIDDEN_KEYS = {"correct", "explanation", "solution", "accepted", "numeric",
               "credit", "selected", "key"}


# ---- helpers ---------------------------------------------------------------





def c_round(x, digits=2):
    """C's round() to digits (halves away from zero), for x >= 0."""
    f = 10 ** digits
    return math.floor(x * f + 0.5) / f
















def walk_keys(doc):
    """Every object key anywhere in a JSON document."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from walk_keys(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from walk_keys(v)


def at_once(n_threads, fn):
    """Runs fn(i) in threads released together; the results in order."""
    barrier = threading.Barrier(n_threads)
    out = [None] * n_threads

    def run(i):
        barrier.wait()
        out[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,))
               for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


# ---- questions ------------------------------------------------------------------

def opts(correct, *texts, keys=None):
    keys = keys or [f"k{i}" for i in range(len(texts))]
    return {"options": [
        {"key": k, "text": t, "correct": t in correct,
         "explanation": f"{SECRET}{k}-{t}"} for k, t in zip(keys, texts)]}


def spec_single(stem=None, objective="1.4", texts=("21", "22", "23", "25"),
                right=("22",)):
    return {"type": "single_choice",
            "stem": stem or f"Which port is SSH? {uniq()}",
            "objectives": [objective],
            "body": opts(right, *texts,
                         keys=["W", "X", "Y", "Z"] if len(texts) == 4 else
                         None)}


SPECS = {
    "single": spec_single(),
    "multi": {"type": "multiple_select", "objectives": ["1.4"],
              "stem": "Which three are secure?",
              "body": opts({"SSH", "SFTP", "HTTPS"}, "SSH", "SFTP", "HTTPS",
                           "Telnet", "HTTP")},
    "tf": {"type": "true_false", "objectives": ["2.1"],
           "stem": "OSPF is a distance-vector protocol.",
           "body": {"options": [
               {"key": "true", "text": "True",
                "explanation": f"{SECRET}tf-true"},
               {"key": "false", "text": "False", "correct": True,
                "explanation": f"{SECRET}tf-false"}]}},
    "fill": {"type": "fill_blank", "objectives": ["2.3"],
             "stem": "Which protocol stops switching loops?",
             "body": {"answers": [{"text": "Spanning Tree"}]}},
    "ignore": {"type": "fill_blank", "objectives": ["1.7"],
               "stem": "The first usable host of 10.0.0.0/24?",
               "body": {"answers": [{"text": "10.0.0.1"}],
                        "whitespace": "ignore"}},
    "exact": {"type": "fill_blank", "objectives": ["1.4"],
              "stem": "The three letters of secure shell, in capitals?",
              "body": {"answers": [{"text": "SSH"}], "whitespace": "exact",
                       "case_sensitive": True}},
    "number": {"type": "fill_blank", "objectives": ["1.5"],
               "stem": "The port of SSH, give or take one?",
               "body": {"numeric": [{"value": 22, "tolerance": 1}]}},
    "match": {"type": "matching", "objectives": ["1.5"],
              "stem": "Match the protocol to its port.",
              "body": {"pairs": [
                  {"key": "p1", "left": "SSH", "right": "22",
                   "explanation": f"{SECRET}ssh"},
                  {"key": "p2", "left": "Telnet", "right": "23"},
                  {"key": "p3", "left": "HTTP", "right": "80"},
                  {"key": "p4", "left": "HTTPS", "right": "443"}]}},
    "order": {"type": "ordering", "objectives": ["5.1"],
              "stem": "Order the OSI layers from the bottom.",
              "body": {"items": [{"key": "P", "text": "Physical"},
                                 {"key": "D", "text": "Data link"},
                                 {"key": "N", "text": "Network"},
                                 {"key": "T", "text": "Transport"}]}},
    # No exam: its domain is "none".
    "pair": {"type": "ordering", "stem": "Order: first, then second.",
             "body": {"items": [{"key": "F", "text": "First"},
                                {"key": "S", "text": "Second"}]}},
}


def make_question(who, spec, **over):
    q = {"exam": "network", "status": "active",
         "explanation": f"{SECRET}general {uniq()}"}
    q.update(spec)
    q.update(over)
    if "objectives" not in q:
        q.pop("exam")
    q["stem"] = f"{q['stem']} [{uniq()}]"
    r = who.request("POST", "/api/v1/questions", q)
    assert r.status == 201, r
    return SimpleNamespace(id=r.json["id"], doc=r.json)


def make_assessment(who, questions, points=None, **fields):
    body = {"title": f"Attempted {uniq()}", "status": "published"}
    body.update(fields)
    r = who.request("POST", "/api/v1/assessments", body)
    assert r.status == 201, r
    aid = r.json["id"]
    if questions:
        items = [{"question_id": q.id} for q in questions]
        for item, p in zip(items, points or []):
            if p is not None:
                item["points"] = p
        r = who.request("PUT", f"/api/v1/assessments/{aid}/questions",
                        {"questions": items})
        assert r.status == 200, r
    return aid


def start(who, aid, expect=201):
    r = who.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == expect, r
    return r.json


def read(who, att, expect=200):
    r = who.get(f"/api/v1/attempts/{att}")
    assert r.status == expect, r
    return r.json


def save(who, att, qid, body):
    return who.request("PUT", f"/api/v1/attempts/{att}/answers/{qid}", body)


def submit(who, att):
    return who.request("POST", f"/api/v1/attempts/{att}/submit")


def item_of(doc, qid):
    found = [q for q in doc["questions"] if q["question_id"] == qid]
    assert len(found) == 1, doc
    return found[0]



def answer_for(item, q):
    """The right answer to the item of question q, in the item's labels."""
    return right_answer(item, q.doc)


def answer_right(who, att, doc, q):
    r = save(who, att, q.id, {"answer": answer_for(item_of(doc, q.id), q)})
    assert r.status == 200, r
    return r.json


def answer_wrong(who, att, doc, q):
    """A wrong answer for a choice question (the first wrong option)."""
    item = item_of(doc, q.id)
    wrong = [o["text"] for o in q.doc["body"]["options"] if not o["correct"]]
    r = save(who, att, q.id, {"answer": {"choice": label(item["options"],
                                                         wrong[0])}})
    assert r.status == 200, r
    return r.json


def events(server, attempt, event):
    return int(sql(server, f"SELECT count(*) FROM activity_events WHERE "
                           f"entity_id = '{attempt}' AND event_type = "
                           f"'{event}'")[0][0])


def make_overdue(server, att):
    sql(server, f"UPDATE attempts SET deadline_at = started_at + "
                f"interval '1 millisecond' WHERE id = '{att}'")


# ---- fixtures --------------------------------------------------------------

@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


@pytest.fixture(scope="module")
def bank(server, ins):
    """One question of each kind in SPECS."""
    return SimpleNamespace(**{k: make_question(ins, v)
                              for k, v in SPECS.items()})


@pytest.fixture
def me(server):
    return learner(server)


# ---- start and resume --------------------------------------------------------

def test_start_then_carry_on(server, ins, bank, me):
    qs_ = [bank.single, bank.multi, bank.order]
    aid = make_assessment(ins, qs_, points=[1, 2, 1], exam="network")
    r = me.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == 201, r
    doc = r.json
    assert r.header("Location") == f"/api/v1/attempts/{doc['id']}"
    assert doc["status"] == "in_progress" and doc["number"] == 1
    assert doc["assessment"]["id"] == aid
    assert doc["assessment"]["exam"] == "network"
    assert doc["question_count"] == 3 and float(doc["max_score"]) == 4
    assert doc["answered"] == 0 and doc["flagged"] == 0
    assert doc["result"] is None and doc["finished_at"] is None
    assert doc["deadline_at"] is None and doc["seconds_left"] is None
    assert [q["position"] for q in doc["questions"]] == [1, 2, 3]
    assert {q["question_id"] for q in doc["questions"]} == {q.id for q in qs_}
    # Starting again carries on with the same attempt.
    r = me.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == 200 and r.header("Location") is None, r
    assert r.json == doc
    assert read(me, doc["id"]) == doc
    assert sql(server, f"SELECT count(*), min(status) FROM attempts WHERE "
                       f"assessment_id = '{aid}'") == [["1", "in_progress"]]
    assert events(server, doc["id"], "assessment.started") == 1
    mine = ins.get(f"/api/v1/assessments/{aid}")
    assert mine.json["my_attempts"]["used"] == 0
    a = me.get(f"/api/v1/assessments/{aid}").json
    assert a["my_attempts"] == {"used": 1, "best_percent": None,
                                "in_progress": doc["id"], "left": None,
                                "seconds_left": None}
    assert doc["preview"] is False


def test_starting_twice_at_once_makes_one_attempt(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single, bank.tf])
    out = at_once(2, lambda i: me.request(
        "POST", f"/api/v1/assessments/{aid}/attempts"))
    assert sorted(r.status for r in out) == [200, 201], out
    assert out[0].json["id"] == out[1].json["id"]
    assert sql(server, f"SELECT count(*) FROM attempts WHERE "
                       f"assessment_id = '{aid}'") == [["1"]]


def test_start_refusals(server, ins, bank, me):
    # An unknown or malformed assessment.
    for aid in (RANDOM_ID, "nope"):
        assert_problem(me.request("POST", f"/api/v1/assessments/{aid}/"
                                          f"attempts"), 404, "not-found")
    # A draft: not found for learners, a preview for its author.
    draft = make_assessment(ins, [bank.single], status="draft")
    assert_problem(me.request("POST", f"/api/v1/assessments/{draft}/"
                                      f"attempts"), 404, "not-found")
    preview = start(ins, draft)
    assert preview["status"] == "in_progress" and preview["preview"] is True
    assert ins.get("/api/v1/me/attempts").json["items"][0]["preview"] is True
    # Of another organization.
    stranger = learner(server, org=new_org(server))
    live = make_assessment(ins, [bank.single])
    assert_problem(stranger.request(
        "POST", f"/api/v1/assessments/{live}/attempts"), 404, "not-found")
    # No active question to ask.
    drafted = make_question(ins, SPECS["single"], status="draft")
    empty = make_assessment(ins, [drafted])
    assert_problem(me.request("POST", f"/api/v1/assessments/{empty}/"
                                      f"attempts"), 409, "no-questions")
    # Rules that find nothing (an organization with an empty bank).
    org = new_org(server)
    teacher = learner(server, "instructor", org)
    nothing = make_assessment(teacher, [], exam="network", question_count=5,
                              selection="rules")
    assert_problem(learner(server, org=org).request(
        "POST", f"/api/v1/assessments/{nothing}/attempts"), 409,
        "no-questions")
    assert sql(server, f"SELECT count(*) FROM attempts WHERE assessment_id "
                       f"IN ('{empty}', '{nothing}', '{live}')") == [["0"]]


# ---- what a learner sees ---------------------------------------------------------

def test_nothing_gives_the_answers_away_before_the_end(server, ins, bank, me):
    qs_ = list(vars(bank).values())
    aid = make_assessment(ins, qs_, shuffle_options=False,
                          shuffle_questions=False)
    r = me.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == 201, r
    att = r.json["id"]

    def check(raw, doc):
        keys = set(walk_keys(doc))
        assert not keys & HIDDEN_KEYS, keys & HIDDEN_KEYS
        assert SECRET.encode() not in raw
        for q in qs_:
            item = item_of(doc, q.id) if "questions" in doc else doc
            if item["question_id"] != q.id:
                continue
            t = q.doc["type"]
            if t in ("single_choice", "multiple_select"):
                n_ = len(q.doc["body"]["options"])
                assert [o["label"] for o in item["options"]] == \
                    [chr(65 + i) for i in range(n_)]
                assert {o["text"] for o in item["options"]} == \
                    {o["text"] for o in q.doc["body"]["options"]}
            if t == "single_choice":
                # Its own keys (W, X, Y, Z) never show.
                assert not {"W", "X", "Y", "Z"} & {
                    o["label"] for o in item["options"]}
            if t == "multiple_select":
                assert item["choose"] == 3
            if t == "true_false":
                assert [o["label"] for o in item["options"]] == [
                    "true", "false"]
            if t == "matching":
                assert [e["label"] for e in item["lefts"]] == [
                    "1", "2", "3", "4"]
                assert [e["label"] for e in item["rights"]] == [
                    "a", "b", "c", "d"]
                assert {e["text"] for e in item["rights"]} == {
                    "22", "23", "80", "443"}
            if t == "ordering":
                texts = [e["text"] for e in item["items"]]
                assert texts != [i["text"] for i in q.doc["body"]["items"]]
                assert sorted(texts) == sorted(
                    i["text"] for i in q.doc["body"]["items"])
            if t == "fill_blank":
                assert set(item) == {"position", "question_id", "type",
                                     "stem", "points", "flagged", "answered",
                                     "time_spent_seconds", "answer"}

    check(r.body, r.json)
    # Answered, wrongly or rightly, it stays hidden.
    doc = r.json
    for q in qs_:
        rr = save(me, att, q.id, {"answer": answer_for(item_of(doc, q.id),
                                                       q)})
        assert rr.status == 200, rr
        check(rr.body, rr.json)
    rr = me.get(f"/api/v1/attempts/{att}")
    assert rr.status == 200
    check(rr.body, rr.json)
    assert rr.json["answered"] == len(qs_)


def test_an_ordering_question_is_never_shown_in_its_order(server, ins, me):
    pairs = [make_question(ins, SPECS["pair"]) for _ in range(10)]
    threes = [make_question(ins, {
        "type": "ordering", "stem": "Three in a row",
        "body": {"items": [{"key": "A", "text": "one"},
                           {"key": "B", "text": "two"},
                           {"key": "C", "text": "three"}]}})
        for _ in range(10)]
    aid = make_assessment(ins, pairs + threes)
    for _ in range(3):
        doc = start(me, aid)
        for q in pairs:
            assert [i["text"] for i in item_of(doc, q.id)["items"]] == [
                "Second", "First"]
        for q in threes:
            assert [i["text"] for i in item_of(doc, q.id)["items"]] != [
                "one", "two", "three"]
        assert submit(me, doc["id"]).status == 200


def test_an_ordering_answered_in_the_order_shown_is_kept(server, ins, me):
    """The web app's "Keep this order": the labels in the order shown are
    an answer like any other, saved, counted as answered and scored."""
    q = make_question(ins, SPECS["order"])
    aid = make_assessment(ins, [q])
    doc = start(me, aid)
    shown = [i["label"] for i in item_of(doc, q.id)["items"]]
    r = save(me, doc["id"], q.id, {"answer": {"order": shown}})
    assert r.status == 200, r
    assert r.json["answer"] == {"order": shown}
    got = me.get(f"/api/v1/attempts/{doc['id']}")
    assert got.json["answered"] == 1
    assert item_of(got.json, q.id)["answer"] == {"order": shown}
    done = submit(me, doc["id"])
    assert done.status == 200, done
    review = item_of(me.get(f"/api/v1/attempts/{doc['id']}").json, q.id)
    assert review["answer"] == {"order": shown}
    # Never shown in its order, so the order shown is not fully right.
    assert review["solution"]["order"] != shown and review["credit"] < 1


def test_shuffling_questions_and_options(server, ins, me):
    many = [make_question(ins, spec_single(texts=tuple(
        f"option {j}" for j in range(8)), right=("option 0",)))
        for _ in range(12)]
    plain = make_assessment(ins, many, shuffle_questions=False,
                            shuffle_options=False)
    doc = start(me, plain)
    assert [q["question_id"] for q in doc["questions"]] == [q.id for q in
                                                             many]
    assert all([o["text"] for o in q["options"]] ==
               [f"option {j}" for j in range(8)] for q in doc["questions"])
    shuffled = make_assessment(ins, many)
    doc = start(me, shuffled)
    # 12! and (8!)^12 orders: the authored one is (all but) impossible.
    assert [q["question_id"] for q in doc["questions"]] != [q.id for q in
                                                             many]
    assert any([o["text"] for o in q["options"]] !=
               [f"option {j}" for j in range(8)] for q in doc["questions"])
    # The layout is kept: reading again shows the same order.
    assert read(me, doc["id"])["questions"] == doc["questions"]


# ---- answering ------------------------------------------------------------------

def test_save_change_clear_and_flag(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single, bank.multi])
    doc = start(me, aid)
    att = doc["id"]
    item = item_of(doc, bank.single.id)
    first = item["options"][0]["label"]
    second = item["options"][1]["label"]
    r = save(me, att, bank.single.id, {"answer": {"choice": first},
                                       "time_spent_seconds": 30})
    assert r.status == 200, r
    assert r.json["answered"] is True
    assert r.json["answer"] == {"choice": first}
    assert r.json["time_spent_seconds"] == 30
    r = save(me, att, bank.single.id, {"answer": {"choice": second},
                                       "time_spent_seconds": 15})
    assert r.status == 200 and r.json["answer"] == {"choice": second}, r
    assert r.json["time_spent_seconds"] == 45
    # Stored in the question's own keys, counted as a change.
    key = [o["key"] for o in bank.single.doc["body"]["options"]
           if o["text"] == item["options"][1]["text"]][0]
    assert sql(server, f"SELECT answer->>'choice', changes, flagged FROM "
                       f"attempt_answers WHERE attempt_id = '{att}' AND "
                       f"question_id = '{bank.single.id}'") == [
        [key, "2", "f"]]
    # Flagging keeps the answer.
    r = save(me, att, bank.single.id, {"flagged": True})
    assert r.status == 200, r
    assert r.json["flagged"] is True and r.json["answer"] == {"choice":
                                                              second}
    head = read(me, att)
    assert head["answered"] == 1 and head["flagged"] == 1
    # Clearing keeps the flag.
    r = save(me, att, bank.single.id, {"answer": None})
    assert r.status == 200, r
    assert r.json["answered"] is False and r.json["answer"] is None
    assert r.json["flagged"] is True
    assert sql(server, f"SELECT answer IS NULL, answered_at IS NULL, "
                       f"changes FROM attempt_answers WHERE attempt_id = "
                       f"'{att}' AND question_id = '{bank.single.id}'") == [
        ["t", "t", "3"]]
    r = save(me, att, bank.single.id, {"flagged": False,
                                       "time_spent_seconds": 0})
    assert r.status == 200 and r.json["flagged"] is False, r
    head = read(me, att)
    assert head["answered"] == 0 and head["flagged"] == 0
    # A multiple-select answer is kept as given.
    labels = [o["label"] for o in item_of(doc, bank.multi.id)["options"]]
    r = save(me, att, bank.multi.id, {"answer": {"choices": [labels[3],
                                                             labels[0]]}})
    assert r.status == 200, r
    assert r.json["answer"] == {"choices": [labels[3], labels[0]]}


def _bad_answers():
    return [
        ("single", {"choice": "Q"}),
        ("single", {"choice": "W"}),           # a key, not a label
        ("single", {"choice": 1}),
        ("single", {"choices": ["A"]}),
        ("single", {"choice": "A", "extra": 1}),
        ("single", {}),
        ("tf", {"choice": "A"}),
        ("tf", {"choice": "True"}),
        ("multi", {"choices": []}),
        ("multi", {"choices": ["A", "A"]}),
        ("multi", {"choices": ["A", "Z"]}),
        ("multi", {"choices": "A"}),
        ("multi", {"choices": ["A", "B", "C", "D", "E", "A"]}),
        ("fill", {"text": 22}),
        ("fill", {"text": "x" * 2001}),
        ("fill", {"choice": "A"}),
        ("match", {"pairs": {"1": "a", "2": "a"}}),
        ("match", {"pairs": {"9": "a"}}),
        ("match", {"pairs": {"1": "z"}}),
        ("match", {"pairs": [["1", "a"]]}),
        ("order", {"order": ["A", "B", "C"]}),
        ("order", {"order": ["A", "B", "C", "C"]}),
        ("order", {"order": ["A", "B", "C", "E"]}),
        ("order", {"order": "ABCD"}),
    ]


@pytest.fixture(scope="module")
def open_attempt(server, ins, bank):
    """An attempt at every kind of question, left open."""
    who = learner(server)
    aid = make_assessment(ins, list(vars(bank).values()))
    doc = start(who, aid)
    return SimpleNamespace(who=who, id=doc["id"], doc=doc)


@pytest.mark.parametrize("name,answer", _bad_answers(),
                         ids=[f"{k}-{i}" for i, (k, _) in
                              enumerate(_bad_answers())])
def test_an_answer_that_does_not_fit_is_refused(server, bank, open_attempt,
                                                name, answer):
    q = getattr(bank, name)
    r = save(open_attempt.who, open_attempt.id, q.id, {"answer": answer})
    assert_invalid(r, "answer")
    assert sql(server, f"SELECT answer IS NULL, changes FROM attempt_answers "
                       f"WHERE attempt_id = '{open_attempt.id}' AND "
                       f"question_id = '{q.id}'") == [["t", "0"]]


@pytest.mark.parametrize("body,fields", [
    ({"answer": "A"}, ["answer"]),
    ({"answer": ["A"]}, ["answer"]),
    ({}, ["answer"]),
    ({"flagged": "yes"}, ["flagged", "answer"]),
    ({"time_spent_seconds": -1}, ["time_spent_seconds"]),
    ({"time_spent_seconds": 3601}, ["time_spent_seconds"]),
    ({"answer": None, "colour": 1}, ["colour"]),
])
def test_a_save_that_does_not_fit_is_refused(server, bank, open_attempt,
                                             body, fields):
    r = save(open_attempt.who, open_attempt.id, bank.single.id, body)
    assert_invalid(r, *fields)


def test_a_save_needs_json(server, bank, open_attempt):
    r = open_attempt.who.request(
        "PUT", f"/api/v1/attempts/{open_attempt.id}/answers/{bank.single.id}",
        b'{"answer": null}', {"Content-Type": "text/plain"})
    assert_problem(r, 415, "unsupported-media-type")


def test_questions_and_attempts_that_are_not_there(server, ins, bank,
                                                   open_attempt):
    who, att = open_attempt.who, open_attempt.id
    other_q = make_question(ins, SPECS["single"])
    for qid in (RANDOM_ID, other_q.id, "nope"):
        r = save(who, att, qid, {"answer": None})
        assert_problem(r, 404, "not-found")
    for aid in (RANDOM_ID, "nope"):
        assert_problem(save(who, aid, bank.single.id, {"answer": None}), 404,
                       "not-found")
        assert_problem(who.get(f"/api/v1/attempts/{aid}"), 404, "not-found")
        assert_problem(submit(who, aid), 404, "not-found")


def test_someone_elses_attempt_is_not_found(server, ins, bank):
    one, two = learner(server), learner(server)
    aid = make_assessment(ins, [bank.single, bank.tf])
    doc = start(one, aid)
    att = doc["id"]
    answer_right(one, att, doc, bank.single)
    before = sql(server, f"SELECT answer, changes, flagged FROM "
                         f"attempt_answers WHERE attempt_id = '{att}' "
                         f"ORDER BY position")
    assert_problem(two.get(f"/api/v1/attempts/{att}"), 404, "not-found")
    r = save(two, att, bank.tf.id, {"answer": {"choice": "true"}})
    assert_problem(r, 404, "not-found")
    assert_problem(save(two, att, bank.single.id, {"flagged": True}), 404,
                   "not-found")
    assert_problem(submit(two, att), 404, "not-found")
    # The instructor who wrote the assessment does not read it either.
    assert_problem(ins.get(f"/api/v1/attempts/{att}"), 404, "not-found")
    assert sql(server, f"SELECT answer, changes, flagged FROM "
                       f"attempt_answers WHERE attempt_id = '{att}' "
                       f"ORDER BY position") == before
    assert sql(server, f"SELECT status FROM attempts WHERE id = '{att}'") \
        == [["in_progress"]]
    # Their own attempt at it is theirs alone.
    mine = start(two, aid)
    assert mine["id"] != att and mine["number"] == 1
    assert read(one, att)["answered"] == 1


# ---- submitting and the score ---------------------------------------------------

# name: (points, the answer as a function of (item, question), credit with
# partial credit, credit without)
def _answers():
    def by_text(field, texts):
        return lambda item, q: {field: [label(item[entries(q)], t)
                                        for t in texts]}

    def entries(q):
        return {"multiple_select": "options", "ordering": "items"}[
            q.doc["type"]]

    def pairs(mapping):
        return lambda item, q: {"pairs": {
            label(item["lefts"], l): label(item["rights"], r)
            for l, r in mapping.items()}}

    return {
        "single": (1, lambda i, q: answer_for(i, q), 1, 1),
        # 2 right, 1 wrong of 3 right ones: (2 - 1) / 3.
        "multi": (3, by_text("choices", ["SSH", "HTTPS", "Telnet"]),
                  0.33333, 0),
        "tf": (1, lambda i, q: {"choice": "true"}, 0, 0),
        "fill": (1, lambda i, q: {"text": "  spanning \t  TREE "}, 1, 1),
        "ignore": (1, lambda i, q: {"text": " 10 . 0 . 0 . 1 "}, 1, 1),
        "exact": (1, lambda i, q: {"text": "SSH "}, 0, 0),
        "number": (1, lambda i, q: {"text": "23"}, 1, 1),
        # 2 of 4 pairs right.
        "match": (2, pairs({"SSH": "22", "Telnet": "23", "HTTP": "443",
                            "HTTPS": "80"}), 0.5, 0),
        # 5 of 6 pairs of items in the right relative order.
        "order": (1, by_text("order", ["Physical", "Data link", "Transport",
                                       "Network"]), 0.83333, 0),
        "pair": (1, None, 0, 0),                 # not answered
    }


@pytest.mark.parametrize("partial", [True, False])
def test_submit_scores_the_attempt(server, ins, bank, me, partial):
    plan = _answers()
    names = list(plan)
    qs_ = [getattr(bank, k) for k in names]
    aid = make_assessment(ins, qs_, points=[plan[k][0] for k in names],
                          partial_credit=partial, passing_percent=50,
                          exam="network")
    doc = start(me, aid)
    att = doc["id"]
    assert float(doc["max_score"]) == sum(plan[k][0] for k in names)
    sent = {}
    for k in names:
        q = getattr(bank, k)
        make = plan[k][1]
        if make is None:
            continue
        sent[k] = make(item_of(doc, q.id), q)
        r = save(me, att, q.id, {"answer": sent[k]})
        assert r.status == 200, (k, r)
    r = submit(me, att)
    assert r.status == 200, r
    res = r.json
    credit = {k: plan[k][2] if partial else plan[k][3] for k in names}
    points = {k: plan[k][0] for k in names}
    score = sum(credit[k] * points[k] for k in names)
    max_score = sum(points.values())
    percent = c_round(100 * score / max_score)
    correct = sum(1 for k in names if credit[k] == 1)
    assert res["status"] == "submitted" and res["finished_at"]
    result = res["result"]
    assert float(result["score"]) == pytest.approx(c_round(score), abs=0.006)
    assert float(result["max_score"]) == max_score
    assert result["correct"] == correct
    assert float(result["percentage"]) == pytest.approx(percent, abs=0.006)
    assert result["passed"] is (percent >= 50)
    assert result["scaled_score"] is None and result["scale"] is None
    assert result["time_taken_seconds"] >= 0
    # By domain: the domain of each question's first objective.
    domain = {k: getattr(bank, k).doc["domain"] or "none" for k in names}
    want = {}
    for k in names:
        d = want.setdefault(domain[k], {"questions": 0, "correct": 0,
                                        "score": 0.0, "max_score": 0.0})
        d["questions"] += 1
        d["correct"] += credit[k] == 1
        d["score"] += credit[k] * points[k]
        d["max_score"] += points[k]
    assert set(result["domains"]) == set(want) == {"1.0", "2.0", "5.0",
                                                   "none"}
    for code, d in want.items():
        got = result["domains"][code]
        assert got["questions"] == d["questions"], code
        assert got["correct"] == d["correct"], code
        assert got["score"] == pytest.approx(c_round(d["score"]), abs=0.006)
        assert got["max_score"] == pytest.approx(d["max_score"])
        assert got["percent"] == pytest.approx(
            c_round(100 * d["score"] / d["max_score"]), abs=0.006), code
    # The database holds the same.
    row = sql(server, f"SELECT status, score, correct_count, percentage, "
                      f"passed FROM attempts WHERE id = '{att}'")[0]
    assert row[0] == "submitted" and int(row[2]) == correct
    assert float(row[1]) == pytest.approx(score, abs=0.006)
    assert row[4] == ("t" if percent >= 50 else "f")
    stored = dict(sql(server, f"SELECT question_id, credit FROM "
                              f"attempt_answers WHERE attempt_id = '{att}'"))
    for k in names:
        assert float(stored[getattr(bank, k).id]) == pytest.approx(
            credit[k], abs=1e-5), k
    assert events(server, att, "assessment.submitted") == 1

    # The review: every answer, what was right, and why.
    review = read(me, att)
    assert review["result"] == result
    for k in names:
        q = getattr(bank, k)
        item = item_of(review, q.id)
        assert item["credit"] == pytest.approx(credit[k], abs=1e-5), k
        assert item["correct"] is (credit[k] == 1), k
        assert item["explanation"] == q.doc["explanation"]
        assert item["domain"] == q.doc["domain"]
        assert item["answer"] == sent.get(k), k
        assert item["answered"] is (k in sent)
    single = item_of(review, bank.single.id)
    for o in single["options"]:
        src = [x for x in bank.single.doc["body"]["options"]
               if x["text"] == o["text"]][0]
        assert o["correct"] is src["correct"]
        assert o["explanation"] == src["explanation"]
        assert o["selected"] is (o["label"] == sent["single"]["choice"])
    multi = item_of(review, bank.multi.id)
    assert {o["text"] for o in multi["options"] if o["selected"]} == {
        "SSH", "HTTPS", "Telnet"}
    assert {o["text"] for o in multi["options"] if o["correct"]} == {
        "SSH", "SFTP", "HTTPS"}
    match = item_of(review, bank.match.id)
    want_pairs = answer_for(match, bank.match)["pairs"]
    assert match["solution"] == {"pairs": want_pairs}
    assert [e["explanation"] for e in match["lefts"]
            if e["text"] == "SSH"] == [f"{SECRET}ssh"]
    order = item_of(review, bank.order.id)
    assert order["solution"] == {"order": answer_for(order,
                                                     bank.order)["order"]}
    fill = item_of(review, bank.fill.id)
    assert fill["accepted"] == ["Spanning Tree"] and fill["numeric"] == []
    number = item_of(review, bank.number.id)
    assert number["accepted"] == []
    assert number["numeric"] == [{"value": 22, "tolerance": 1}]

    # Once over, nothing changes.
    r = save(me, att, bank.pair.id, {"answer": None})
    assert_problem(r, 409, "attempt-finished")
    r = save(me, att, bank.single.id, {"flagged": True})
    assert_problem(r, 409, "attempt-finished")
    p = assert_problem(submit(me, att), 409, "already-submitted")
    assert "first" in p["detail"]
    assert read(me, att) == review
    assert sql(server, f"SELECT status, score, correct_count, percentage, "
                       f"passed FROM attempts WHERE id = '{att}'")[0] == row
    assert events(server, att, "assessment.submitted") == 1


def test_an_attempt_keeps_its_questions_as_they_were(server, ins, me):
    q = make_question(ins, spec_single())
    aid = make_assessment(ins, [q])
    doc = start(me, aid)
    item = item_of(doc, q.id)
    # The author moves the right answer, renames the question, deletes it.
    body = json.loads(json.dumps(q.doc["body"]))
    for o in body["options"]:
        o["correct"] = o["text"] == "21"
    r = ins.request("PATCH", f"/api/v1/questions/{q.id}",
                    {"stem": "Changed under the learner", "body": body})
    assert r.status == 200, r
    assert ins.request("DELETE", f"/api/v1/questions/{q.id}").status == 200
    # The attempt goes on with the question it began with.
    again = read(me, doc["id"])
    assert item_of(again, q.id)["stem"] == item["stem"]
    assert item_of(again, q.id)["options"] == item["options"]
    r = save(me, doc["id"], q.id, {"answer": {"choice": label(
        item["options"], "22")}})
    assert r.status == 200, r
    r = submit(me, doc["id"])
    assert r.status == 200, r
    assert r.json["result"]["correct"] == 1
    review = item_of(r.json, q.id)
    assert [o["text"] for o in review["options"] if o["correct"]] == ["22"]
    # A new attempt has nothing left to ask.
    assert_problem(me.request("POST", f"/api/v1/assessments/{aid}/attempts"),
                   409, "no-questions")


# Each round gives each fill-in question a text; the credit it earns.
FILL_ROUNDS = [
    {"fill": ("spanning tree", 1), "ignore": ("10.0.0.1", 1),
     "exact": ("SSH", 1), "number": ("22", 1)},
    {"fill": ("  Spanning   Tree  ", 1), "ignore": ("1 0 . 0.0.1", 1),
     "exact": ("ssh", 0), "number": ("21.0", 1)},
    {"fill": ("SpanningTree", 0), "ignore": ("10.0.0.2", 0),
     "exact": (" SSH", 0), "number": ("2.2e1", 1)},
    {"fill": ("Spanning\tTREE", 1), "ignore": ("\t10.0.0.1\n", 1),
     "exact": ("S S H", 0), "number": (" 23 ", 1)},
    {"fill": ("Spanning Tree Protocol", 0), "ignore": ("10.0.0.10", 0),
     "exact": ("SSH\n", 0), "number": ("24", 0)},
    {"fill": ("", 0), "ignore": ("", 0), "exact": ("", 0),
     "number": ("twenty-two", 0)},
    {"fill": ("spanning-tree", 0), "ignore": ("10,0,0,1", 0),
     "exact": ("SSh", 0), "number": ("20.5", 0)},
]


@pytest.fixture(scope="module")
def fill_quiz(server, ins, bank):
    return make_assessment(ins, [bank.fill, bank.ignore, bank.exact,
                                 bank.number])


@pytest.mark.parametrize("round_", FILL_ROUNDS,
                         ids=[f"round{i}" for i in range(len(FILL_ROUNDS))])
def test_fill_in_the_blank_rules(server, bank, fill_quiz, me, round_):
    doc = start(me, fill_quiz)
    for name, (text, _) in round_.items():
        r = save(me, doc["id"], getattr(bank, name).id,
                 {"answer": {"text": text}})
        assert r.status == 200, r
        assert r.json["answer"] == {"text": text}
    r = submit(me, doc["id"])
    assert r.status == 200, r
    for name, (text, credit) in round_.items():
        item = item_of(r.json, getattr(bank, name).id)
        assert item["credit"] == credit, (name, text)
    assert r.json["result"]["correct"] == sum(c for _, c in round_.values())


def test_submitting_twice_at_once_counts_once(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single, bank.tf])
    doc = start(me, aid)
    answer_right(me, doc["id"], doc, bank.single)
    out = at_once(2, lambda i: submit(me, doc["id"]))
    assert sorted(r.status for r in out) == [200, 409], out
    loser = [r for r in out if r.status == 409][0]
    assert_problem(loser, 409, "already-submitted")
    winner = [r for r in out if r.status == 200][0]
    assert winner.json["result"]["correct"] == 1
    assert events(server, doc["id"], "assessment.submitted") == 1
    assert sql(server, f"SELECT status, correct_count FROM attempts "
                       f"WHERE id = '{doc['id']}'") == [["submitted", "1"]]


def test_saves_to_different_questions_at_once_all_stay(server, ins, me):
    many = [make_question(ins, spec_single()) for _ in range(8)]
    aid = make_assessment(ins, many)
    doc = start(me, aid)
    out = at_once(8, lambda i: save(me, doc["id"], many[i].id, {
        "answer": answer_for(item_of(doc, many[i].id), many[i]),
        "flagged": i % 2 == 0, "time_spent_seconds": i}))
    assert [r.status for r in out] == [200] * 8, out
    again = read(me, doc["id"])
    assert again["answered"] == 8 and again["flagged"] == 4
    for i, q in enumerate(many):
        item = item_of(again, q.id)
        assert item["answer"] == answer_for(item, q)
        assert item["flagged"] is (i % 2 == 0)
        assert item["time_spent_seconds"] == i
    r = submit(me, doc["id"])
    assert r.status == 200 and r.json["result"]["correct"] == 8, r
    assert float(r.json["result"]["percentage"]) == 100


def test_saves_racing_a_submit_are_either_in_or_refused(server, ins, me):
    many = [make_question(ins, spec_single()) for _ in range(6)]
    aid = make_assessment(ins, many)
    doc = start(me, aid)

    def go(i):
        if i == 6:
            return submit(me, doc["id"])
        return save(me, doc["id"], many[i].id, {
            "answer": answer_for(item_of(doc, many[i].id), many[i])})

    out = at_once(7, go)
    assert out[6].status == 200, out[6]
    saved = sum(1 for r in out[:6] if r.status == 200)
    for r in out[:6]:
        if r.status != 200:
            assert_problem(r, 409, "attempt-finished")
    # What was saved before the submit counts; nothing came after it.
    assert out[6].json["result"]["correct"] == saved
    assert sql(server, f"SELECT count(*) FROM attempt_answers WHERE "
                       f"attempt_id = '{doc['id']}' AND answer IS NOT NULL") \
        == [[str(saved)]]


# ---- attempts left, the window, feedback, time ----------------------------------

def test_max_attempts(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single], max_attempts=2)
    first = start(me, aid)
    assert start(me, aid, expect=200)["id"] == first["id"]
    assert submit(me, first["id"]).status == 200
    second = start(me, aid)
    assert second["number"] == 2 and second["id"] != first["id"]
    a = me.get(f"/api/v1/assessments/{aid}").json
    assert a["my_attempts"]["used"] == 2 and a["my_attempts"]["left"] == 0
    assert a["my_attempts"]["in_progress"] == second["id"]
    assert float(a["my_attempts"]["best_percent"]) == 0
    # The open one goes on; a third does not start.
    assert start(me, aid, expect=200)["id"] == second["id"]
    assert submit(me, second["id"]).status == 200
    r = me.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert_problem(r, 409, "no-attempts-left")
    assert sql(server, f"SELECT count(*) FROM attempts WHERE "
                       f"assessment_id = '{aid}' AND user_id = '{me.id}'") \
        == [["2"]]
    # Others have their own allowance.
    assert start(learner(server), aid)["number"] == 1


def test_the_availability_window(server, ins, bank, me):
    later = make_assessment(ins, [bank.single],
                            available_from="2099-01-01T00:00:00Z")
    assert_problem(me.request("POST", f"/api/v1/assessments/{later}/"
                                      f"attempts"), 409, "not-open")
    assert me.get(f"/api/v1/assessments/{later}").json["open_now"] is False
    over = make_assessment(ins, [bank.single],
                           available_from="2020-01-01T00:00:00Z",
                           available_until="2020-02-01T00:00:00Z")
    assert_problem(me.request("POST", f"/api/v1/assessments/{over}/"
                                      f"attempts"), 409, "not-open")
    assert sql(server, f"SELECT count(*) FROM attempts WHERE assessment_id "
                       f"IN ('{later}', '{over}')") == [["0"]]
    # Open: the window's end is the deadline, or the time limit if sooner.
    end = datetime.now(timezone.utc).replace(microsecond=0) + \
        timedelta(days=400)
    until = end.isoformat()
    now = make_assessment(ins, [bank.single], available_until=until)
    doc = start(me, now)
    assert doc["deadline_at"].startswith(end.strftime("%Y-%m-%dT%H:%M:%S"))
    assert 3600 * 24 * 399 < doc["seconds_left"] <= 3600 * 24 * 400
    timed = make_assessment(ins, [bank.single], available_until=until,
                            time_limit_seconds=120)
    doc = start(me, timed)
    assert 110 <= doc["seconds_left"] <= 120
    # The time left of the open attempt, where it is continued from.
    mine = me.get(f"/api/v1/assessments/{timed}").json["my_attempts"]
    assert 100 <= mine["seconds_left"] <= 120
    listed = me.get(f"/api/v1/me/attempts?assessment={timed}").json["items"]
    assert 100 <= listed[0]["seconds_left"] <= 120
    assert sql(server, f"SELECT extract(epoch FROM deadline_at - started_at)"
                       f"::integer FROM attempts WHERE id = '{doc['id']}'") \
        == [["120"]]


def test_a_window_that_closes_in_a_hundred_years(server, ins, bank, me):
    end = datetime.now(timezone.utc) + timedelta(days=36500)
    aid = make_assessment(ins, [bank.single],
                          available_until=end.strftime("%Y-%m-%dT00:00:00Z"))
    doc = start(me, aid)
    assert doc["seconds_left"] > 3600 * 24 * 365 * 99


def test_immediate_feedback(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single, bank.multi, bank.tf],
                          feedback="immediate")
    doc = start(me, aid)
    att = doc["id"]
    assert doc["feedback"] == "immediate"
    r = save(me, att, bank.single.id, {
        "answer": answer_for(item_of(doc, bank.single.id), bank.single)})
    assert r.status == 200, r
    item = r.json
    assert item["correct"] is True and item["credit"] == 1
    assert item["explanation"] == bank.single.doc["explanation"]
    assert [o["text"] for o in item["options"] if o["correct"]] == ["22"]
    assert all(o["explanation"].startswith(SECRET) for o in item["options"])
    # Final: no change, no clearing; a flag is still fine.
    other = [o["label"] for o in item["options"] if not o["correct"]][0]
    assert_problem(save(me, att, bank.single.id,
                        {"answer": {"choice": other}}), 409, "answer-final")
    assert_problem(save(me, att, bank.single.id, {"answer": None}), 409,
                   "answer-final")
    r = save(me, att, bank.single.id, {"flagged": True})
    assert r.status == 200 and r.json["flagged"] is True, r
    assert r.json["answer"] == item["answer"]
    # A wrong answer is shown wrong, with partial credit where it earns it.
    labels = {o["text"]: o["label"] for o in
              item_of(doc, bank.multi.id)["options"]}
    r = save(me, att, bank.multi.id, {"answer": {"choices": [
        labels["SSH"], labels["SFTP"], labels["HTTPS"], labels["HTTP"]]}})
    assert r.status == 200, r
    assert r.json["correct"] is False
    assert r.json["credit"] == pytest.approx(0.66667, abs=1e-5)
    # The rest stays hidden until answered.
    again = read(me, att)
    assert "correct" not in item_of(again, bank.tf.id)
    assert "explanation" not in item_of(again, bank.tf.id)
    assert item_of(again, bank.single.id)["correct"] is True
    r = submit(me, att)
    assert r.status == 200, r
    assert float(r.json["result"]["score"]) == pytest.approx(1.67, abs=0.006)
    assert r.json["result"]["correct"] == 1
    assert sql(server, f"SELECT count(*) FILTER (WHERE locked) FROM "
                       f"attempt_answers WHERE attempt_id = '{att}'") == [
        ["2"]]


def test_an_answer_after_the_time_is_up(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single, bank.tf], time_limit_seconds=60)
    doc = start(me, aid)
    att = doc["id"]
    assert 55 <= doc["seconds_left"] <= 60
    answer_right(me, att, doc, bank.single)
    make_overdue(server, att)
    r = save(me, att, bank.tf.id, {"answer": {"choice": "false"}})
    assert_problem(r, 409, "time-up")
    # The attempt ended there, with what was saved in time.
    row = sql(server, f"SELECT status, correct_count, finished_at IS NOT "
                      f"NULL FROM attempts WHERE id = '{att}'")
    assert row == [["expired", "1", "t"]]
    assert sql(server, f"SELECT answer IS NULL FROM attempt_answers WHERE "
                       f"attempt_id = '{att}' AND question_id = "
                       f"'{bank.tf.id}'") == [["t"]]
    assert events(server, att, "assessment.expired") == 1
    assert events(server, att, "assessment.submitted") == 0
    doc = read(me, att)
    assert doc["status"] == "expired" and doc["seconds_left"] is None
    assert doc["result"]["correct"] == 1
    assert float(doc["result"]["percentage"]) == 50
    assert_problem(submit(me, att), 409, "already-submitted")
    assert_problem(save(me, att, bank.tf.id, {"answer": None}), 409,
                   "attempt-finished")


def test_an_overdue_attempt_ends_when_read(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single, bank.tf], time_limit_seconds=60)
    doc = start(me, aid)
    answer_right(me, doc["id"], doc, bank.tf)
    make_overdue(server, doc["id"])
    again = read(me, doc["id"])
    assert again["status"] == "expired" and again["finished_at"]
    assert again["result"]["correct"] == 1
    # The review is there at once.
    assert item_of(again, bank.tf.id)["correct"] is True
    assert events(server, doc["id"], "assessment.expired") == 1
    assert read(me, doc["id"]) == again
    assert events(server, doc["id"], "assessment.expired") == 1


def test_an_overdue_attempt_ends_when_starting_again(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single], time_limit_seconds=60,
                          max_attempts=2)
    first = start(me, aid)
    make_overdue(server, first["id"])
    second = start(me, aid)
    assert second["id"] != first["id"] and second["number"] == 2
    assert sql(server, f"SELECT status FROM attempts WHERE id = "
                       f"'{first['id']}'") == [["expired"]]
    make_overdue(server, second["id"])
    assert_problem(me.request("POST", f"/api/v1/assessments/{aid}/attempts"),
                   409, "no-attempts-left")
    assert read(me, second["id"])["status"] == "expired"


def test_a_refused_start_still_ends_the_overdue_attempt(server, ins, bank,
                                                        me):
    aid = make_assessment(ins, [bank.single], time_limit_seconds=60,
                          max_attempts=1)
    first = start(me, aid)
    make_overdue(server, first["id"])
    assert_problem(me.request("POST", f"/api/v1/assessments/{aid}/attempts"),
                   409, "no-attempts-left")
    assert sql(server, f"SELECT status FROM attempts WHERE id = "
                       f"'{first['id']}'") == [["expired"]]


def test_submit_of_an_overdue_attempt_expires_it(server, ins, bank, me):
    aid = make_assessment(ins, [bank.single], time_limit_seconds=60)
    doc = start(me, aid)
    answer_right(me, doc["id"], doc, bank.single)
    make_overdue(server, doc["id"])
    r = submit(me, doc["id"])
    assert r.status == 200, r
    assert r.json["status"] == "expired"
    assert r.json["result"]["correct"] == 1


def test_the_maintenance_job_ends_the_attempts_nobody_came_back_to(
        server, ins, bank, start_server):
    who = learner(server)
    aid = make_assessment(ins, [bank.single, bank.tf], time_limit_seconds=60)
    doc = start(who, aid)
    answer_right(who, doc["id"], doc, bank.single)
    make_overdue(server, doc["id"])
    # A server's maintenance job runs its cleanup when it starts (then
    # every minute): a second server on this database finishes it.
    s = start_server(server.db)
    deadline = time.monotonic() + 10
    while sql(server, f"SELECT status FROM attempts WHERE id = "
                      f"'{doc['id']}'") != [["expired"]]:
        assert time.monotonic() < deadline, "the attempt was not finished"
        time.sleep(0.1)
    lines = s.wait_log(lambda l: l.get("msg") == "overdue attempts finished"
                       and l.get("count", 0) >= 1)
    assert lines, s.log_text()[-2000:]
    assert sql(server, f"SELECT correct_count, passed FROM attempts WHERE "
                       f"id = '{doc['id']}'") == [["1", "f"]]
    assert events(server, doc["id"], "assessment.expired") == 1
    assert read(who, doc["id"])["status"] == "expired"


# ---- history and trends -------------------------------------------------------------

def test_my_attempts(server, ins, bank, me):
    a1 = make_assessment(ins, [bank.single], exam="network")
    a2 = make_assessment(ins, [bank.pair])
    d1 = start(me, a1)
    answer_right(me, d1["id"], d1, bank.single)
    assert submit(me, d1["id"]).status == 200
    d2 = start(me, a2)
    d3 = start(me, a1)
    start(learner(server), a1)         # someone else's
    r = me.get("/api/v1/me/attempts")
    assert r.status == 200, r
    items = r.json["items"]
    assert [i["id"] for i in items] == [d3["id"], d2["id"], d1["id"]]
    assert r.json["next"] is None
    first = items[2]
    assert first["assessment_id"] == a1 and first["status"] == "submitted"
    assert first["number"] == 1 and first["kind"] == "quiz"
    assert float(first["percentage"]) == 100 and first["passed"] is True
    assert float(first["score"]) == 1 and float(first["max_score"]) == 1
    assert first["domains"]["1.0"]["correct"] == 1
    assert items[0]["number"] == 2 and items[0]["status"] == "in_progress"
    assert items[0]["score"] is None and items[0]["passed"] is None
    assert [i["id"] for i in me.get("/api/v1/me/attempts" + qs(
        assessment=a1)).json["items"]] == [d3["id"], d1["id"]]
    assert [i["id"] for i in me.get("/api/v1/me/attempts" + qs(
        exam="network")).json["items"]] == [d3["id"], d1["id"]]
    assert me.get("/api/v1/me/attempts" + qs(
        exam="security")).json["items"] == []
    # Pages.
    page = me.get("/api/v1/me/attempts" + qs(limit=2)).json
    assert [i["id"] for i in page["items"]] == [d3["id"], d2["id"]]
    assert page["next"] == d2["id"]
    page = me.get("/api/v1/me/attempts" + qs(limit=2,
                                             after=page["next"])).json
    assert [i["id"] for i in page["items"]] == [d1["id"]]
    assert page["next"] is None
    for params, field in (({"assessment": "x"}, "assessment"),
                          ({"exam": "Net Plus"}, "exam"),
                          ({"after": "x"}, "after"),
                          ({"limit": "0"}, "limit")):
        assert_invalid(me.get("/api/v1/me/attempts" + qs(**params)), field)


def test_my_trends_by_domain(server, ins, me):
    one = make_question(ins, spec_single(objective="1.4"))
    two = make_question(ins, spec_single(objective="2.1"))
    aid = make_assessment(ins, [one, two], exam="network")
    doc = start(me, aid)
    answer_right(me, doc["id"], doc, one)
    answer_wrong(me, doc["id"], doc, two)
    assert submit(me, doc["id"]).status == 200
    doc = start(me, aid)
    answer_right(me, doc["id"], doc, one)
    answer_right(me, doc["id"], doc, two)
    assert submit(me, doc["id"]).status == 200
    start(me, aid)                     # open: not counted
    r = me.get("/api/v1/me/attempts/trends" + qs(exam="network"))
    assert r.status == 200, r
    t = r.json
    assert t["exam"] == "network" and t["attempts"] == 2
    by = {d["code"]: d for d in t["domains"]}
    assert list(by) == ["1.0", "2.0"]
    assert by["1.0"]["name"] == "Networking Concepts"
    assert by["2.0"]["name"] == "Network Implementation"
    assert by["1.0"]["attempts"] == 2
    assert float(by["1.0"]["average_percent"]) == 100
    assert float(by["1.0"]["last_percent"]) == 100
    assert float(by["1.0"]["change"]) == 0
    assert float(by["2.0"]["average_percent"]) == 50
    assert float(by["2.0"]["last_percent"]) == 100
    assert float(by["2.0"]["change"]) == 100
    assert [float(p["percent"]) for p in by["2.0"]["points"]] == [0, 100]
    # Another exam: nothing yet.
    r = me.get("/api/v1/me/attempts/trends" + qs(exam="security"))
    assert r.status == 200 and r.json["attempts"] == 0, r
    assert r.json["domains"] == []
    # Without ?exam=: the exam of my latest finished attempt.
    r = me.get("/api/v1/me/attempts/trends")
    assert r.status == 200 and r.json == t, r
    r = learner(server).get("/api/v1/me/attempts/trends")
    assert r.status == 200, r
    assert r.json["attempts"] == 0 and r.json["domains"] == []
    assert r.json["exam"] is None
    assert_invalid(me.get("/api/v1/me/attempts/trends?exam=Not%20One"),
                   "exam")


# ---- the lesson a passed attempt completes ----------------------------------------

def test_a_passed_attempt_completes_its_lesson(server, ins, bank):
    lesson = published_quiz_lesson(ins)
    aid = make_assessment(ins, [bank.single, bank.tf], lesson_id=lesson,
                          passing_percent=50)

    def progress(who):
        return sql(server, f"SELECT status, progress_percent::int, "
                           f"completed_at IS NOT NULL FROM lesson_progress "
                           f"WHERE user_id = '{who.id}' AND lesson_id = "
                           f"'{lesson}'")

    failed = learner(server)
    doc = start(failed, aid)
    answer_wrong(failed, doc["id"], doc, bank.single)
    r = submit(failed, doc["id"])
    assert r.status == 200 and r.json["result"]["passed"] is False, r
    assert progress(failed) == []
    passed = learner(server)
    doc = start(passed, aid)
    answer_right(passed, doc["id"], doc, bank.single)     # 1 of 2: 50 %
    r = submit(passed, doc["id"])
    assert r.status == 200 and r.json["result"]["passed"] is True, r
    assert progress(passed) == [["completed", "100", "t"]]
    # The learner's own view of the lesson says so too.
    r = passed.get(f"/api/v1/lessons/{lesson}")
    if r.status == 200 and isinstance(r.json.get("progress"), dict):
        assert r.json["progress"].get("status") == "completed", r.json


# ---- statistics of the questions ----------------------------------------------------

@pytest.fixture(scope="module")
def stats_world(server, ins):
    """Four questions in nine finished attempts (ten learners: the tenth
    comes in the test): q1, q2 and q4 right in the first five and wrong in
    the last five, q3 the other way round."""
    q = [make_question(ins, spec_single(texts=("right", "wrong", "never",
                                               "nor this"),
                                        right=("right",)))
         for _ in range(2)]
    q.append(make_question(ins, spec_single(texts=("right", "wrong"),
                                            right=("right",))))
    q.append(make_question(ins, spec_single(texts=("right", "wrong"),
                                            right=("right",))))
    aid = make_assessment(ins, q)
    w = SimpleNamespace(q=q, aid=aid)

    def one_attempt(i, finish=True):
        """An attempt of a learner of its own."""
        who = w.who = learner(server)
        doc = start(who, aid)
        for j, x in enumerate(q):
            good = (i < 5) != (j == 2)
            item = item_of(doc, x.id)
            r = save(who, doc["id"], x.id, {
                "answer": {"choice": label(item["options"],
                                           "right" if good else "wrong")},
                "time_spent_seconds": 10 + j})
            assert r.status == 200, r
        if finish:
            assert submit(who, doc["id"]).status == 200
        return doc["id"]

    w.one_attempt = one_attempt
    for i in range(9):
        one_attempt(i)
    return w


def stats(who, qid):
    r = who.get(f"/api/v1/questions/{qid}/stats")
    assert r.status == 200, r
    return r.json


def test_question_statistics(server, ins, stats_world):
    w = stats_world
    s = stats(ins, w.q[0].id)
    assert s["question_id"] == w.q[0].id and s["type"] == "single_choice"
    assert s["attempts"] == 9 and s["answered"] == 9
    assert float(s["share_correct"]) == pytest.approx(5 / 9, abs=1e-4)
    assert float(s["average_seconds"]) == 10
    assert s["discrimination"] is not None
    assert float(s["discrimination"]) == pytest.approx(1, abs=1e-4)
    chosen = {o["text"]: (o["chosen"], o["correct"]) for o in s["options"]}
    assert chosen == {"right": (5, True), "wrong": (4, False),
                      "never": (0, False), "nor this": (0, False)}
    shares = {o["text"]: float(o["share"]) for o in s["options"]}
    assert shares["right"] == pytest.approx(5 / 9, abs=1e-4)
    # Under ten attempts, no flags yet.
    assert s["flags"] == []
    s3 = stats(ins, w.q[2].id)
    assert float(s3["discrimination"]) == pytest.approx(-1, abs=1e-4)
    assert s3["flags"] == []
    # An open attempt does not count.
    w.one_attempt(9, finish=False)
    assert stats(ins, w.q[0].id)["attempts"] == 9
    # The tenth finished attempt brings the flags.
    r = w.who.request("POST", f"/api/v1/assessments/{w.aid}/attempts")
    assert r.status == 200, r
    assert submit(w.who, r.json["id"]).status == 200
    s = stats(ins, w.q[0].id)
    assert s["attempts"] == 10
    assert float(s["share_correct"]) == pytest.approx(0.5, abs=1e-4)
    assert s["flags"] == ["unused_option"]
    s3 = stats(ins, w.q[2].id)
    assert s3["flags"] == ["negative_discrimination"]
    s4 = stats(ins, w.q[3].id)
    assert s4["flags"] == []
    # The bank's list puts the doubtful first; ?flagged=true only them.
    r = ins.get("/api/v1/questions/stats" + qs(flagged="true", limit=500))
    assert r.status == 200, r
    flagged = {i["question_id"]: i for i in r.json["items"]}
    assert {w.q[0].id, w.q[1].id, w.q[2].id} <= set(flagged)
    assert w.q[3].id not in flagged
    assert flagged[w.q[2].id]["flags"] == ["negative_discrimination"]
    assert flagged[w.q[0].id]["attempts"] == 10
    assert all(i["flags"] for i in r.json["items"])
    r = ins.get("/api/v1/questions/stats" + qs(limit=500, exam="network"))
    assert r.status == 200
    items = r.json["items"]
    assert w.q[3].id in {i["question_id"] for i in items}
    # The doubtful first.
    counts = [len(i["flags"]) for i in items]
    assert counts == sorted(counts, reverse=True)
    assert all(i["attempts"] > 0 for i in items)


def test_statistics_of_a_question_nobody_answered(server, ins):
    q = make_question(ins, spec_single())
    s = stats(ins, q.id)
    assert s["attempts"] == 0 and s["answered"] == 0
    assert s["share_correct"] is None and s["discrimination"] is None
    assert s["flags"] == []
    assert [o["chosen"] for o in s["options"]] == [0, 0, 0, 0]
    assert all(o["share"] is None for o in s["options"])
    assert_problem(ins.get(f"/api/v1/questions/{RANDOM_ID}/stats"), 404,
                   "not-found")
    for params, field in (({"flagged": "1"}, "flagged"),
                          ({"limit": "501"}, "limit"),
                          ({"mine": "x"}, "mine")):
        assert_invalid(ins.get("/api/v1/questions/stats" + qs(**params)),
                       field)


# ---- drawing by rules ----------------------------------------------------------------

def test_rules_draw_by_domain_difficulty_and_tags(server):
    org = new_org(server)
    teacher = learner(server, "instructor", org)
    student = learner(server, org=org)

    def q(objective, difficulty=3, tags=(), status="active"):
        return make_question(teacher, spec_single(objective=objective),
                             difficulty=difficulty, tags=list(tags),
                             status=status)

    d1 = [q("1.4"), q("1.5"), q("1.6", difficulty=5)]
    d2 = [q("2.1", tags=["routing"]), q("2.2")]
    d3 = [q("3.1", tags=["routing"])]
    q("1.4", status="draft")
    q("2.1", status="retired")
    gone = q("1.4")
    assert teacher.request("DELETE", f"/api/v1/questions/{gone.id}") \
        .status == 200
    domains = {x.id: x.doc["domain"] for x in d1 + d2 + d3}

    def drawn(**fields):
        aid = make_assessment(teacher, [], **fields)
        doc = start(student, aid)
        assert submit(student, doc["id"]).status == 200
        return [x["question_id"] for x in doc["questions"]]

    got = drawn(exam="network", rules={"domains": [
        {"code": "1.0", "count": 2}, {"code": "2.0", "count": 1}]})
    assert len(got) == 3 and len(set(got)) == 3
    assert sorted(domains[x] for x in got) == ["1.0", "1.0", "2.0"]
    # More than a domain holds: the rest from anywhere, never twice.
    got = drawn(exam="network", question_count=6, rules={"domains": [
        {"code": "3.0", "count": 2}]})
    assert len(got) == 6 and len(set(got)) == 6
    assert set(got) == set(domains)
    # Difficulty and tags narrow the draw.
    got = drawn(exam="network", question_count=1,
                rules={"difficulty": {"min": 5, "max": 5}})
    assert got == [d1[2].id]
    got = drawn(exam="network", question_count=5,
                rules={"tags": ["routing"]})
    assert sorted(got) == sorted([d2[0].id, d3[0].id])
    got = drawn(exam="network", question_count=5,
                rules={"objectives": ["1.5", "2.2"]})
    assert sorted(got) == sorted([d1[1].id, d2[1].id])
    # By the exam's weights: all six active questions at most.
    got = drawn(kind="exam_simulation", exam="network", question_count=10)
    assert sorted(got) == sorted(domains)

