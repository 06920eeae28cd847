"""Assessments: quizzes, practice exams and exam simulations.  Creating them
(a fixed list of questions, or rules that draw questions at each attempt),
the field-by-field errors, the fixed question list (PUT), changes merged
into what is there (PATCH with If-Match), soft deletion, who may read and
change them, and the list with its visibility and filters.

The tests share the module's server and database.  Tests of the list work
in an organization made for them, so they know every assessment there is;
the others use assessments and questions of their own.
"""
import json
import uuid
from types import SimpleNamespace

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, qs, sign_in, sql)
from support import new_account as _new_account, new_org as _new_org, uniq as _uniq


def uniq(prefix="a"):
    return _uniq(prefix)


def new_org(server):
    return _new_org(server, "assess")


def new_account(server, role="student", org=None):
    return _new_account(server, role, org, "as")

RANDOM_ID = "7d9f3a52-4c1e-4b8a-9f00-123456789abc"

ASSESSMENT_KEYS = {"id", "kind", "title", "description", "exam", "lesson_id",
                   "selection", "question_count", "shuffle_questions",
                   "shuffle_options", "time_limit_seconds", "passing_percent",
                   "max_attempts", "available_from", "available_until",
                   "feedback", "partial_credit", "status", "version",
                   "can_edit", "deleted_at", "open_now", "my_attempts",
                   "rules", "questions"}
LIST_KEYS = {"id", "kind", "title", "description", "exam", "lesson_id",
             "question_count", "time_limit_seconds", "passing_percent",
             "max_attempts", "status", "can_edit", "my_attempts",
             "my_best_percent"}


# ---- helpers ---------------------------------------------------------------



















def question(who, status="active", **over):
    q = {"type": "single_choice", "stem": f"Which port is SSH? {uniq()}",
         "exam": "network", "objectives": ["1.4"], "status": status,
         "body": {"options": [{"key": "A", "text": "21"},
                              {"key": "B", "text": "22", "correct": True}]}}
    q.update(over)
    r = who.request("POST", "/api/v1/questions", q)
    assert r.status == 201, r
    return r.json["id"]


def create(who, expect=201, **body):
    body.setdefault("title", f"Assessment {uniq()}")
    r = who.request("POST", "/api/v1/assessments", body)
    assert r.status == expect, r
    return r.json


def get(who, aid, status=200):
    r = who.get(f"/api/v1/assessments/{aid}")
    assert r.status == status, r
    return r


def put_questions(who, aid, ids, points=None):
    items = []
    for i, q in enumerate(ids):
        item = {"question_id": q}
        if points and points[i] is not None:
            item["points"] = points[i]
        items.append(item)
    return who.request("PUT", f"/api/v1/assessments/{aid}/questions",
                       {"questions": items})


def build_lesson(who):
    """A course with one lesson, by who; the lesson's id."""
    r = who.request("POST", "/api/v1/courses",
                    {"title": f"Course {uniq()}", "exam": "network"})
    assert r.status == 201, r
    cid = r.json["id"]
    r = who.request("POST", f"/api/v1/courses/{cid}/units",
                    {"title": "Unit"})
    assert r.status == 201, r
    unit = r.json["units"][-1]["id"]
    r = who.request("POST", f"/api/v1/units/{unit}/lessons",
                    {"title": "Quiz lesson", "content": {"markdown": "Quiz"}})
    assert r.status == 201, r
    return r.json["id"]


def assessment_count(server):
    return sql(server, "SELECT count(*), coalesce(sum(version), 0) "
                       "FROM assessments")


# ---- fixtures --------------------------------------------------------------

class People:
    def __init__(self, server):
        self.ins = sign_in(server, "instructor", DEMO_PW)
        self.admin = sign_in(server, "admin", DEMO_PW)
        self.student = sign_in(server, "sarah_network", DEMO_PW)
        self.other = new_account(server, "instructor")
        self.foreign = new_account(server, "instructor", new_org(server))


@pytest.fixture(scope="module")
def people(server):
    return People(server)


@pytest.fixture(scope="module")
def qids(server, people):
    """Four active questions of the demo instructor."""
    return [question(people.ins) for _ in range(4)]


# ---- create --------------------------------------------------------------------

def test_create_a_quiz_with_the_defaults(server, people):
    title = f"A quiz {uniq()}"
    r = people.ins.request("POST", "/api/v1/assessments", {"title": title})
    assert r.status == 201, r
    a = r.json
    assert r.header("Location") == f"/api/v1/assessments/{a['id']}"
    assert r.header("ETag") == '"v1"'
    assert set(a) == ASSESSMENT_KEYS
    assert a["title"] == title
    assert (a["kind"], a["selection"], a["status"], a["feedback"]) == (
        "quiz", "fixed", "draft", "end")
    assert a["exam"] is None and a["lesson_id"] is None
    assert a["description"] is None
    assert a["question_count"] == 0 and a["questions"] == []
    assert a["rules"] == {}
    assert a["shuffle_questions"] is True and a["shuffle_options"] is True
    assert a["partial_credit"] is True
    assert float(a["passing_percent"]) == 70
    assert a["time_limit_seconds"] is None and a["max_attempts"] is None
    assert a["available_from"] is None and a["available_until"] is None
    assert a["can_edit"] is True and a["open_now"] is True
    assert a["version"] == 1 and a["deleted_at"] is None
    assert a["my_attempts"] == {"used": 0, "best_percent": None,
                                "in_progress": None, "left": None,
                                "seconds_left": None}
    again = get(people.ins, a["id"])
    assert again.json == a and again.header("ETag") == '"v1"'
    row = sql(server, f"SELECT owner_id, kind, status, published_at IS NULL "
                      f"FROM assessments WHERE id = '{a['id']}'")
    assert row == [[people.ins.id, "quiz", "draft", "t"]]


def test_create_with_every_field(server, people):
    lesson = build_lesson(people.ins)
    body = {"title": "Practice: ports", "description": "Ports, all of them.",
            "kind": "practice_exam", "exam": "network", "lesson_id": lesson,
            "selection": "rules",
            "rules": {"domains": [{"code": "1.0", "count": 3},
                                  {"code": "2.0", "count": 2}],
                      "difficulty": {"min": 2, "max": 4},
                      "objectives": ["1.4", "2.1"], "tags": ["ports"]},
            "question_count": 6, "shuffle_questions": False,
            "shuffle_options": False, "time_limit_seconds": 600,
            "passing_percent": 82.5, "max_attempts": 3,
            "available_from": "2020-01-01T00:00:00Z",
            "available_until": "2099-12-31T23:59:59+02:00",
            "feedback": "immediate", "partial_credit": False,
            "status": "published"}
    a = create(people.ins, **body)
    for k in ("title", "description", "kind", "exam", "lesson_id",
              "selection", "question_count", "shuffle_questions",
              "shuffle_options", "time_limit_seconds", "max_attempts",
              "feedback", "partial_credit", "status"):
        assert a[k] == body[k], k
    assert float(a["passing_percent"]) == 82.5
    assert a["rules"] == body["rules"]
    assert a["available_from"].startswith("2020-01-01T00:00:00")
    assert a["available_until"].startswith("2099-12-31T21:59:59")
    assert a["open_now"] is True
    assert a["my_attempts"]["left"] == 3
    assert sql(server, f"SELECT published_at IS NOT NULL FROM assessments "
                       f"WHERE id = '{a['id']}'") == [["t"]]


def test_rules_take_their_count_from_the_domains(server, people):
    a = create(people.ins, exam="network", rules={"domains": [
        {"code": "1.0", "count": 3}, {"code": "4.0", "count": 2}]})
    assert a["selection"] == "rules" and a["question_count"] == 5
    a = create(people.ins, exam="network", question_count=8, rules={
        "domains": [{"code": "1.0", "count": 3}]})
    assert a["question_count"] == 8
    a = create(people.ins, exam="network", question_count=10, rules={
        "domains": [{"code": "1.0", "weight": 60},
                    {"code": "2.0", "weight": 40}]})
    assert a["selection"] == "rules" and a["question_count"] == 10
    a = create(people.ins, exam="network", selection="rules",
               question_count=4)
    assert a["rules"] == {} and a["question_count"] == 4


def test_an_exam_simulation_takes_the_exams_shape(server, people):
    a = create(people.ins, kind="exam_simulation", exam="network")
    assert a["selection"] == "rules"
    assert a["question_count"] == 90 and a["time_limit_seconds"] == 5400
    assert float(a["passing_percent"]) == 77.5       # (720-100)/(900-100)
    assert a["partial_credit"] is False
    a = create(people.ins, kind="exam_simulation", exam="security")
    assert float(a["passing_percent"]) == 81.25      # (750-100)/(900-100)
    # What is given is kept.
    a = create(people.ins, kind="exam_simulation", exam="network",
               question_count=30, time_limit_seconds=1800,
               passing_percent=80, partial_credit=True)
    assert (a["question_count"], a["time_limit_seconds"]) == (30, 1800)
    assert float(a["passing_percent"]) == 80 and a["partial_credit"] is True


BAD = [
    ({"title": None}, ["title"]),
    ({"title": ""}, ["title"]),
    ({"title": "x" * 201}, ["title"]),
    ({"description": "x" * 5001}, ["description"]),
    ({"colour": "red"}, ["colour"]),
    ({"kind": "exam"}, ["kind"]),
    ({"kind": "exam_simulation"}, ["exam"]),
    ({"selection": "random"}, ["selection"]),
    ({"selection": "rules", "exam": "network"}, ["question_count"]),
    ({"selection": "rules", "question_count": 5}, ["exam"]),
    ({"rules": {"domains": [{"code": "1.0", "count": 2}]}}, ["exam"]),
    ({"exam": "network", "rules": []}, ["rules"]),
    ({"exam": "network", "rules": {"shuffle": True}}, ["rules.shuffle"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": {"1.0": 3}}},
     ["rules.domains"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [{"code": "1.4", "count": 2}]}},
     ["rules.domains[0]"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [{"code": "1.0", "count": 0}]}},
     ["rules.domains[0]"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [{"code": "1.0",
                                                "count": 501}]}},
     ["rules.domains[0]"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [{"code": "1.0"}]}},
     ["rules.domains[0]"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [
        {"code": "1.0", "count": 2, "weight": 5}]}}, ["rules.domains[0]"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [
        {"code": "1.0", "count": 2, "extra": 1}]}}, ["rules.domains[0]"]),
    ({"exam": "network", "rules": {"domains": [
        {"code": "1.0", "weight": 0}]}, "question_count": 5},
     ["rules.domains[0]"]),
    ({"exam": "network", "question_count": 5, "rules": {"domains": [
        {"code": "1.0", "count": 2}, {"code": "2.0", "weight": 50}]}},
     ["rules.domains"]),
    ({"exam": "network", "question_count": 2, "rules": {"domains": [
        {"code": "1.0", "count": 2}, {"code": "2.0", "count": 1}]}},
     ["question_count"]),
    ({"exam": "network", "question_count": 5,
      "rules": {"difficulty": {"min": 4, "max": 2}}}, ["rules.difficulty"]),
    ({"exam": "network", "question_count": 5,
      "rules": {"difficulty": {"min": 0}}}, ["rules.difficulty"]),
    ({"exam": "network", "question_count": 5,
      "rules": {"objectives": ["1.4", "one"]}}, ["rules.objectives[1]"]),
    ({"exam": "network", "question_count": 5,
      "rules": {"tags": ["Not A Tag"]}}, ["rules.tags[0]"]),
    ({"question_count": 0}, ["question_count"]),
    ({"question_count": 501}, ["question_count"]),
    ({"time_limit_seconds": 59}, ["time_limit_seconds"]),
    ({"time_limit_seconds": 86401}, ["time_limit_seconds"]),
    ({"time_limit_seconds": "600"}, ["time_limit_seconds"]),
    ({"passing_percent": 100.5}, ["passing_percent"]),
    ({"passing_percent": -1}, ["passing_percent"]),
    ({"passing_percent": "70"}, ["passing_percent"]),
    ({"max_attempts": 0}, ["max_attempts"]),
    ({"max_attempts": 1001}, ["max_attempts"]),
    ({"available_from": "tomorrow morning"}, ["available_from"]),
    ({"available_from": "2025-02-30"}, ["available_from"]),
    ({"available_until": "2025-13-01T00:00:00Z"}, ["available_until"]),
    ({"available_until": "2025-01-01T25:00:00Z"}, ["available_until"]),
    ({"available_from": 20250101}, ["available_from"]),
    ({"feedback": "never"}, ["feedback"]),
    ({"partial_credit": "yes"}, ["partial_credit"]),
    ({"shuffle_options": 1}, ["shuffle_options"]),
    ({"status": "live"}, ["status"]),
    ({"lesson_id": "not-a-uuid"}, ["lesson_id"]),
    ({"kind": "exam_simulation", "passing_percent": 101, "max_attempts": 0},
     ["exam", "passing_percent", "max_attempts"]),
]


@pytest.mark.parametrize("body,fields", BAD,
                         ids=[f"{'-'.join(f)}-{i}" for i, (_, f) in
                              enumerate(BAD)])
def test_create_refuses_a_bad_field(server, people, body, fields):
    body = dict(body)
    if body.get("title", "") is None:
        del body["title"]
    else:
        body.setdefault("title", f"Bad {uniq()}")
    before = assessment_count(server)
    r = people.ins.request("POST", "/api/v1/assessments", body)
    assert_invalid(r, *fields)
    assert assessment_count(server) == before


def test_create_refuses_references_that_do_not_hold(server, people):
    before = assessment_count(server)
    r = people.ins.request("POST", "/api/v1/assessments",
                           {"title": "x", "exam": "nosuchexam"})
    assert_invalid(r, "exam")
    r = people.ins.request("POST", "/api/v1/assessments",
                           {"title": "x", "lesson_id": RANDOM_ID})
    assert_invalid(r, "lesson_id")
    # A lesson of a course the caller may not edit.
    theirs = build_lesson(people.other)
    r = people.ins.request("POST", "/api/v1/assessments",
                           {"title": "x", "lesson_id": theirs})
    assert_invalid(r, "lesson_id")
    # An admin may tie an assessment to any lesson of the organization.
    a = create(people.admin, lesson_id=theirs)
    assert a["lesson_id"] == theirs
    assert assessment_count(server)[0][0] == str(int(before[0][0]) + 1)


def test_the_window_must_close_after_it_opens(server, people):
    before = assessment_count(server)
    r = people.ins.request("POST", "/api/v1/assessments", {
        "title": "Backwards", "available_from": "2030-01-02T00:00:00Z",
        "available_until": "2030-01-01T00:00:00Z"})
    assert_invalid(r, "available_until")
    r = people.ins.request("POST", "/api/v1/assessments", {
        "title": "Empty", "available_from": "2030-01-01T00:00:00Z",
        "available_until": "2030-01-01T00:00:00Z"})
    assert_invalid(r, "available_until")
    assert assessment_count(server) == before
    a = create(people.ins, available_from="2030-01-01",
               available_until="2030-01-01T00:00:01Z")
    assert a["open_now"] is False


def test_rules_name_domains_of_the_exam(server, people):
    r = people.ins.request("POST", "/api/v1/assessments", {
        "title": "Nine", "exam": "network",
        "rules": {"domains": [{"code": "9.0", "count": 2}]}})
    assert_invalid(r, "rules.domains[0]")


def test_create_needs_json(server, people):
    r = people.ins.request("POST", "/api/v1/assessments", b'{"title": "x"}',
                           {"Content-Type": "text/plain"})
    assert_problem(r, 415, "unsupported-media-type")
    r = people.ins.request("POST", "/api/v1/assessments", b"[1]",
                           {"Content-Type": "application/json"})
    p = assert_problem(r, 422, "validation-failed")
    assert "" in {e["field"] for e in p["errors"]}


# ---- the fixed list of questions ------------------------------------------------

def test_put_the_questions_in_order_with_their_points(server, people, qids):
    a = create(people.ins)
    r = put_questions(people.ins, a["id"], [qids[2], qids[0], qids[1]],
                      [None, 2.5, 0.25])
    assert r.status == 200, r
    assert r.header("ETag") == '"v1"'     # the list is not the assessment
    got = r.json["questions"]
    assert [(q["question_id"], float(q["points"]), q["position"])
            for q in got] == [(qids[2], 1, 1), (qids[0], 2.5, 2),
                              (qids[1], 0.25, 3)]
    assert all(q["status"] == "active" and q["deleted"] is False
               for q in got)
    assert r.json["question_count"] == 3
    assert get(people.ins, a["id"]).json["questions"] == got
    # An empty list clears it.
    r = put_questions(people.ins, a["id"], [])
    assert r.status == 200 and r.json["questions"] == [], r
    assert r.json["question_count"] == 0
    assert sql(server, f"SELECT count(*) FROM assessment_questions "
                       f"WHERE assessment_id = '{a['id']}'") == [["0"]]


# Regression: the list's DELETE once ran in the INSERT's own statement,
# after it, so any second non-empty list collided with the first (409).


def test_put_replaces_the_list(server, people, qids):
    a = create(people.ins)
    assert put_questions(people.ins, a["id"], [qids[0], qids[1]]).status \
        == 200
    r = put_questions(people.ins, a["id"], [qids[1], qids[3]], [None, 3])
    assert r.status == 200, r
    assert [(q["question_id"], q["position"]) for q in r.json["questions"]] \
        == [(qids[1], 1), (qids[3], 2)]
    assert sql(server, f"SELECT question_id, position, points FROM "
                       f"assessment_questions WHERE assessment_id = "
                       f"'{a['id']}' ORDER BY position") == [
        [qids[1], "1", "1.00"], [qids[3], "2", "3.00"]]


def test_put_takes_any_question_of_the_bank(server, people, qids):
    """The bank is shared: another instructor's question, a draft one."""
    theirs = question(people.other)
    draft = question(people.ins, status="draft")
    a = create(people.ins)
    r = put_questions(people.ins, a["id"], [qids[0], theirs, draft])
    assert r.status == 200, r
    # Only active questions are asked, so only they count.
    assert r.json["question_count"] == 2
    assert [q["status"] for q in r.json["questions"]] == [
        "active", "active", "draft"]


@pytest.mark.parametrize("items,field", [
    ("list", "questions"),
    (None, "questions"),
    ([{"question_id": "not-a-uuid"}], "questions[0]"),
    ([{"question_id": 42}], "questions[0]"),
    ([{}], "questions[0]"),
    (["id"], "questions[0]"),
    ([{"question_id": "Q0", "points": 0}], "questions[0]"),
    ([{"question_id": "Q0", "points": -1}], "questions[0]"),
    ([{"question_id": "Q0", "points": 100.5}], "questions[0]"),
    ([{"question_id": "Q0", "points": 1.005}], "questions[0]"),
    ([{"question_id": "Q0", "points": "1"}], "questions[0]"),
    ([{"question_id": "Q0", "weight": 1}], "questions[0]"),
    ([{"question_id": "Q0"}, {"question_id": "Q1"},
      {"question_id": "Q0"}], "questions[2]"),
])
def test_put_refuses_a_bad_list(server, people, qids, items, field):
    a = create(people.ins)
    assert put_questions(people.ins, a["id"], [qids[0]]).status == 200
    if isinstance(items, list):
        items = json.loads(json.dumps(items).replace(
            '"Q0"', f'"{qids[0]}"').replace('"Q1"', f'"{qids[1]}"'))
    body = {"questions": items} if items is not None else {}
    r = people.ins.request("PUT", f"/api/v1/assessments/{a['id']}/questions",
                           body)
    assert_invalid(r, field)
    assert [q["question_id"] for q in
            get(people.ins, a["id"]).json["questions"]] == [qids[0]]


def test_put_refuses_more_than_500_and_unknown_fields(server, people, qids):
    a = create(people.ins)
    r = people.ins.request(
        "PUT", f"/api/v1/assessments/{a['id']}/questions",
        {"questions": [{"question_id": str(uuid.uuid4())}
                       for _ in range(501)]})
    assert_invalid(r, "questions")
    r = people.ins.request(
        "PUT", f"/api/v1/assessments/{a['id']}/questions",
        {"questions": [{"question_id": qids[0]}], "shuffle": True})
    assert_invalid(r, "shuffle")


def test_put_names_the_question_that_is_not_in_the_bank(server, people,
                                                        qids):
    a = create(people.ins)
    r = put_questions(people.ins, a["id"], [qids[1], RANDOM_ID, qids[2]])
    p = assert_invalid(r, "questions[1].question_id")
    assert "bank" in p["errors"][0]["message"]
    # A question of another organization is not in this bank either.
    foreign = question(people.foreign)
    r = put_questions(people.ins, a["id"], [foreign])
    assert_invalid(r, "questions[0].question_id")
    # A deleted one is refused too.
    gone = question(people.ins)
    assert people.ins.request("DELETE", f"/api/v1/questions/{gone}") \
        .status == 200
    r = put_questions(people.ins, a["id"], [qids[1], gone])
    assert r.status == 422, r
    assert r.json["errors"][0]["field"] in ("questions",
                                            "questions[1].question_id")
    # Nothing went in.
    assert get(people.ins, a["id"]).json["questions"] == []
    assert sql(server, f"SELECT count(*) FROM assessment_questions "
                       f"WHERE assessment_id = '{a['id']}'") == [["0"]]


def test_put_on_an_unknown_assessment(server, people, qids):
    for aid in (RANDOM_ID, "nope"):
        r = put_questions(people.ins, aid, [qids[0]])
        assert_problem(r, 404, "not-found")


# ---- change ---------------------------------------------------------------------

def test_patch_merges_into_what_is_there(server, people):
    a = create(people.ins, exam="network", time_limit_seconds=900,
               max_attempts=2, feedback="immediate", passing_percent=60,
               available_until="2099-01-01T00:00:00Z",
               rules={"domains": [{"code": "1.0", "count": 2}],
                      "tags": ["ports"]})
    path = f"/api/v1/assessments/{a['id']}"
    r = people.ins.request("PATCH", path, {"title": "Renamed"},
                           {"If-Match": '"v1"'})
    assert r.status == 200, r
    assert r.header("ETag") == '"v2"'
    b = r.json
    assert b["title"] == "Renamed" and b["version"] == 2
    for k in ASSESSMENT_KEYS - {"title", "version"}:
        assert b[k] == a[k], k
    # null clears a field; rules are replaced as a whole.
    r = people.ins.request("PATCH", path, {
        "time_limit_seconds": None, "max_attempts": None,
        "rules": {"domains": [{"code": "2.0", "count": 1}]}})
    assert r.status == 200, r
    c = r.json
    assert c["time_limit_seconds"] is None and c["max_attempts"] is None
    assert c["rules"] == {"domains": [{"code": "2.0", "count": 1}]}
    assert c["question_count"] == 2        # kept from before
    assert c["available_until"] == a["available_until"]
    assert float(c["passing_percent"]) == 60 and c["feedback"] == "immediate"
    # Publishing stamps it; unpublishing clears the stamp.
    r = people.ins.request("PATCH", path, {"status": "published"})
    assert r.status == 200 and r.json["status"] == "published", r
    assert sql(server, f"SELECT published_at IS NOT NULL FROM assessments "
                       f"WHERE id = '{a['id']}'") == [["t"]]
    r = people.ins.request("PATCH", path, {"status": "draft"})
    assert r.status == 200 and r.json["status"] == "draft", r
    assert sql(server, f"SELECT published_at IS NULL, version FROM "
                       f"assessments WHERE id = '{a['id']}'") == [["t", "5"]]


def test_patch_with_a_stale_version(server, people):
    a = create(people.ins)
    path = f"/api/v1/assessments/{a['id']}"
    assert people.ins.request("PATCH", path, {"title": "One"}).status == 200
    for tag in ('"v1"', '"v9"', "v2", '"x"'):
        r = people.ins.request("PATCH", path, {"title": "Two"},
                               {"If-Match": tag})
        assert_problem(r, 412, "stale-version")
    r = people.ins.request("PATCH", path, {"title": "Two"},
                           {"If-Match": '"v2"'})
    assert r.status == 200 and r.json["version"] == 3, r
    assert get(people.ins, a["id"]).json["title"] == "Two"


def test_patch_checks_the_merged_whole(server, people):
    a = create(people.ins, available_from="2030-01-01T00:00:00Z")
    path = f"/api/v1/assessments/{a['id']}"
    cases = [
        ({"kind": "exam_simulation"}, ["exam"]),
        ({"available_until": "2029-01-01T00:00:00Z"}, ["available_until"]),
        ({"title": ""}, ["title"]),
        ({"passing_percent": 120}, ["passing_percent"]),
        ({"exam": "nosuchexam"}, ["exam"]),
        ({"rules": {"domains": [{"code": "1.0", "count": 1}]}}, ["exam"]),
        ({"owner_id": people.other.id}, ["owner_id"]),
        ({"id": RANDOM_ID}, ["id"]),
    ]
    for body, fields in cases:
        r = people.ins.request("PATCH", path, body)
        assert_invalid(r, *fields)
    r = people.ins.request("PATCH", path, [1])
    assert_invalid(r, "")
    b = get(people.ins, a["id"]).json
    assert b == a
    # A whole, valid change goes through.
    r = people.ins.request("PATCH", path, {"kind": "exam_simulation",
                                           "exam": "network",
                                           "selection": "rules"})
    assert r.status == 200, r
    assert r.json["kind"] == "exam_simulation"
    assert r.json["question_count"] == 90
    assert r.json["time_limit_seconds"] == 5400


def test_patch_and_delete_of_unknown_assessments(server, people):
    for aid in (RANDOM_ID, "nope"):
        assert_problem(people.ins.request(
            "PATCH", f"/api/v1/assessments/{aid}", {"title": "x"}), 404,
            "not-found")
        assert_problem(people.ins.request(
            "DELETE", f"/api/v1/assessments/{aid}"), 404, "not-found")
        assert_problem(people.ins.get(f"/api/v1/assessments/{aid}"), 404,
                       "not-found")


def test_delete_is_soft(server, people, qids):
    a = create(people.ins, status="published")
    assert put_questions(people.ins, a["id"], [qids[0]]).status == 200
    path = f"/api/v1/assessments/{a['id']}"
    r = people.ins.request("DELETE", path)
    assert r.status == 200, r
    assert r.json == {"id": a["id"], "deleted": True}
    # Gone for learners and from the lists...
    assert_problem(people.student.get(path), 404, "not-found")
    assert a["id"] not in list_ids(people.ins, status="all", limit=100)
    r = people.student.request("POST", path + "/attempts")
    assert_problem(r, 404, "not-found")
    # ... while its author still finds it, marked, and may not change it.
    b = get(people.ins, a["id"]).json
    assert b["deleted_at"] is not None
    assert_problem(people.ins.request("PATCH", path, {"title": "x"}), 404,
                   "not-found")
    assert_problem(people.ins.request("DELETE", path), 404, "not-found")
    assert_problem(put_questions(people.ins, a["id"], [qids[1]]), 404,
                   "not-found")
    assert sql(server, f"SELECT deleted_at IS NOT NULL, "
                       f"(SELECT count(*) FROM assessment_questions WHERE "
                       f"assessment_id = '{a['id']}') FROM assessments "
                       f"WHERE id = '{a['id']}'") == [["t", "1"]]


# ---- who may do what --------------------------------------------------------------

def test_only_the_author_or_an_admin_changes_an_assessment(server, people,
                                                           qids):
    a = create(people.ins, status="published")
    path = f"/api/v1/assessments/{a['id']}"
    before = assessment_count(server)
    # Another instructor reads a published one, but may not change it.
    seen = get(people.other, a["id"]).json
    assert seen["can_edit"] is False
    assert seen["rules"] is None and seen["questions"] is None
    assert_problem(people.other.request("PATCH", path, {"title": "x"}), 403,
                   "forbidden")
    assert_problem(put_questions(people.other, a["id"], [qids[0]]), 403,
                   "forbidden")
    assert_problem(people.other.request("DELETE", path), 403, "forbidden")
    assert assessment_count(server) == before
    # An instructor of another organization does not find it at all.
    assert_problem(people.foreign.get(path), 404, "not-found")
    assert_problem(people.foreign.request("PATCH", path, {"title": "x"}),
                   404, "not-found")
    # An admin may.
    assert get(people.admin, a["id"]).json["can_edit"] is True
    r = people.admin.request("PATCH", path, {"title": "By the admin"},
                             {"If-Match": '"v1"'})
    assert r.status == 200 and r.json["title"] == "By the admin", r
    assert put_questions(people.admin, a["id"], [qids[1]]).status == 200
    assert people.admin.request("DELETE", path).status == 200
    assert sql(server, f"SELECT owner_id FROM assessments "
                       f"WHERE id = '{a['id']}'") == [[people.ins.id]]


def test_a_draft_is_for_its_editors_only(server, people):
    a = create(people.ins)
    for who in (people.student, people.other, people.foreign):
        assert_problem(who.get(f"/api/v1/assessments/{a['id']}"), 404,
                       "not-found")
    assert get(people.admin, a["id"]).json["can_edit"] is True
    r = people.student.request("POST",
                               f"/api/v1/assessments/{a['id']}/attempts")
    assert_problem(r, 404, "not-found")


def test_students_read_published_assessments_without_their_insides(
        server, people, qids):
    a = create(people.ins, status="published", exam="network",
               rules={"domains": [{"code": "1.0", "count": 1}]})
    b = get(people.student, a["id"]).json
    assert set(b) == ASSESSMENT_KEYS
    assert b["can_edit"] is False
    assert b["rules"] is None and b["questions"] is None
    assert b["question_count"] == 1 and b["title"] == a["title"]
    assert b["my_attempts"]["used"] == 0


AUTHOR_ROUTES = [
    ("POST", "/api/v1/assessments", lambda w: {"title": "By a student"}),
    ("PATCH", "/api/v1/assessments/{id}", lambda w: {"title": "Student"}),
    ("DELETE", "/api/v1/assessments/{id}", None),
    ("PUT", "/api/v1/assessments/{id}/questions",
     lambda w: {"questions": [{"question_id": w.qid}]}),
]


@pytest.fixture(scope="module")
def target(server, people, qids):
    a = create(people.ins, status="published")
    assert put_questions(people.ins, a["id"], [qids[0]]).status == 200
    return SimpleNamespace(id=a["id"], qid=qids[1], doc=get(people.ins,
                                                            a["id"]).json)


@pytest.mark.parametrize("method,path,body", AUTHOR_ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in AUTHOR_ROUTES])
@pytest.mark.parametrize("actor", ["student", "anonymous"])
def test_students_and_strangers_do_not_author(server, people, target, method,
                                              path, body, actor):
    path = path.replace("{id}", target.id)
    body = body(target) if body else None
    before = assessment_count(server)
    if actor == "anonymous":
        assert_problem(server.request(method, path, body), 401,
                       "unauthenticated")
    else:
        assert_problem(people.student.request(method, path, body), 403,
                       "forbidden")
    assert assessment_count(server) == before
    assert get(people.ins, target.id).json == target.doc


@pytest.mark.parametrize("path", ["/api/v1/assessments",
                                  f"/api/v1/assessments/{RANDOM_ID}",
                                  f"/api/v1/assessments/{RANDOM_ID}/attempts"])
def test_anonymous_callers_are_turned_away(server, path):
    method = "POST" if path.endswith("attempts") else "GET"
    assert_problem(server.request(method, path), 401, "unauthenticated")


# ---- the list -----------------------------------------------------------------

def list_page(who, **params):
    r = who.get("/api/v1/assessments" + qs(**params))
    assert r.status == 200, r
    assert set(r.json) == {"items", "next"}
    return r.json


def list_ids(who, **params):
    return [i["id"] for i in list_page(who, **params)["items"]]


@pytest.fixture(scope="module")
def shelf(server):
    """An organization of its own with assessments of every kind."""
    org = new_org(server)
    w = SimpleNamespace(org=org)
    w.ins = new_account(server, "instructor", org)
    w.other = new_account(server, "instructor", org)
    w.admin = new_account(server, "admin", org)
    w.student = new_account(server, "student", org)
    w.lesson = build_lesson(w.ins)
    made = {}
    made["quiz"] = create(w.ins, status="published", exam="network")["id"]
    made["draft"] = create(w.ins)["id"]
    made["practice"] = create(w.ins, kind="practice_exam", status="published",
                              lesson_id=w.lesson)["id"]
    made["sim"] = create(w.other, kind="exam_simulation", exam="security",
                         status="published")["id"]
    made["other_draft"] = create(w.other, exam="network")["id"]
    gone = create(w.ins, status="published")["id"]
    assert w.ins.request("DELETE", f"/api/v1/assessments/{gone}").status \
        == 200
    w.made = made
    w.published = [made[k] for k in ("sim", "practice", "quiz")]
    return w


def test_the_list_shows_what_each_may_see(server, shelf):
    m = shelf.made
    # Learners: published ones, newest first, whatever they ask.
    assert list_ids(shelf.student) == shelf.published
    assert list_ids(shelf.student, status="all") == shelf.published
    assert list_ids(shelf.student, status="draft") == []
    # Instructors: their own drafts when they ask.
    assert list_ids(shelf.ins) == shelf.published
    assert list_ids(shelf.ins, status="draft") == [m["draft"]]
    assert list_ids(shelf.ins, status="all") == [
        m["sim"], m["practice"], m["draft"], m["quiz"]]
    assert list_ids(shelf.other, status="draft") == [m["other_draft"]]
    # An admin sees every draft.
    assert set(list_ids(shelf.admin, status="all")) == set(m.values())
    # Nobody sees another organization's.
    demo = sign_in(server, "sarah_network", DEMO_PW)
    assert not set(list_ids(demo, status="all", limit=100)) & set(m.values())


def test_the_list_items(server, shelf):
    items = {i["id"]: i for i in list_page(shelf.ins, status="all")["items"]}
    for item in items.values():
        assert set(item) == LIST_KEYS
    quiz = items[shelf.made["quiz"]]
    assert (quiz["kind"], quiz["exam"], quiz["status"]) == (
        "quiz", "network", "published")
    assert quiz["can_edit"] is True and quiz["my_attempts"] == 0
    assert quiz["my_best_percent"] is None
    sim = items[shelf.made["sim"]]
    assert sim["can_edit"] is False and sim["question_count"] == 90
    assert sim["time_limit_seconds"] == 5400
    assert items[shelf.made["practice"]]["lesson_id"] == shelf.lesson


@pytest.mark.parametrize("params,want", [
    ({"kind": "quiz"}, ["quiz"]),
    ({"kind": "practice_exam"}, ["practice"]),
    ({"kind": "exam_simulation"}, ["sim"]),
    ({"exam": "network"}, ["quiz"]),
    ({"exam": "security"}, ["sim"]),
    ({"exam": "a1102"}, []),
    ({"lesson": "LESSON"}, ["practice"]),
    ({"lesson": RANDOM_ID}, []),
    ({"exam": "network", "status": "all"}, ["other_draft", "quiz"]),
])
def test_list_filters(server, shelf, params, want):
    params = {k: (shelf.lesson if v == "LESSON" else v)
              for k, v in params.items()}
    who = shelf.admin if params.get("status") == "all" else shelf.student
    assert list_ids(who, **params) == [shelf.made[k] for k in want]


def test_list_pages(server, shelf):
    seen, after = [], None
    while True:
        params = {"limit": 2, "status": "all"}
        if after:
            params["after"] = after
        page = list_page(shelf.admin, **params)
        seen += [i["id"] for i in page["items"]]
        if page["next"] is None:
            break
        assert page["next"] == page["items"][-1]["id"]
        after = page["next"]
    assert len(seen) == 5 and len(set(seen)) == 5
    assert set(seen) == set(shelf.made.values())


@pytest.mark.parametrize("params,field", [
    ({"kind": "exam"}, "kind"),
    ({"status": "deleted"}, "status"),
    ({"exam": "Net Plus"}, "exam"),
    ({"lesson": "nope"}, "lesson"),
    ({"after": "nope"}, "after"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
])
def test_list_refuses_bad_parameters(server, shelf, params, field):
    assert_invalid(shelf.student.get("/api/v1/assessments" + qs(**params)),
                   field)


def test_the_list_counts_the_questions_an_attempt_asks(server, people, qids):
    draft = question(people.ins, status="draft")
    a = create(people.ins, status="published")
    assert put_questions(people.ins, a["id"], [qids[0], draft]).status == 200
    assert get(people.ins, a["id"]).json["question_count"] == 1
    item = [i for i in list_page(people.ins, limit=100)["items"]
            if i["id"] == a["id"]]
    assert item and item[0]["question_count"] == 1

