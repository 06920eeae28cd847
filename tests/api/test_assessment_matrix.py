"""The authorization matrix of the assessment module: every route that
takes the instructor role, against six actors (nobody signed in, a
student, another instructor of the organization, the author, an admin of
the organization, an admin of another organization), plus the learner's
routes on someone else's attempt.

The question bank is shared within an organization: any instructor reads
it and its statistics; only a question's author or an admin changes it.
Assessments are changed by their author or an admin.  Another
organization never sees any of it (404).
"""
import uuid

import pytest

from conftest import psql
from test_authoring import People, assert_problem, n

ACTORS = ("anonymous", "student", "stranger", "owner", "admin",
          "other_admin")
OK = "2xx"
EXPECT = {
    # open to every instructor and admin (of their own organization)
    "create": dict(anonymous=401, student=403, stranger=OK, owner=OK,
                   admin=OK, other_admin=OK),
    # reading the owner's question: the organization's bank is shared
    "shared": dict(anonymous=401, student=403, stranger=OK, owner=OK,
                   admin=OK, other_admin=404),
    # changing the owner's question or assessment
    "owned": dict(anonymous=401, student=403, stranger=403, owner=OK,
                  admin=OK, other_admin=404),
}

QUESTION = {"type": "single_choice", "stem": "Which port does SSH use?",
            "exam": "network", "objectives": ["1.4"], "status": "active",
            "body": {"options": [
                {"key": "A", "text": "22", "correct": True},
                {"key": "B", "text": "23"}]}}

CSV = ("question_id,exam_type,domain,question_text,option_a,option_b,"
       "correct_answer\n"
       "{id},network,1.4,Which port does DNS use?,53,80,A\n")


def bank_state(server):
    """A fingerprint of the bank and the assessments."""
    return psql("SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY "
                "x::text), '')) FROM (SELECT q::text FROM questions q "
                "UNION ALL SELECT a::text FROM assessments a UNION ALL "
                "SELECT k::text FROM assessment_questions k) x", server.db)


class World:
    """A question and an assessment of the owner (the demo instructor)."""

    def __init__(self, people):
        o = people.owner
        self.people = people
        r = o.request("POST", "/api/v1/questions", QUESTION)
        assert r.status == 201, r
        self.question = r.json["id"]
        r = o.request("POST", "/api/v1/assessments",
                      {"title": f"Matrix quiz {n()}", "exam": "network"})
        assert r.status == 201, r
        self.assessment = r.json["id"]

    def url(self, pattern):
        kind = pattern.split("/")[3]
        ids = {"questions": self.question, "assessments": self.assessment}
        return pattern.replace("{id}", ids[kind])


def _delete_question(w):
    r = w.people.owner.request("DELETE",
                               f"/api/v1/questions/{w.question}")
    assert r.status == 200, r


def _delete_assessment(w):
    r = w.people.owner.request("DELETE",
                               f"/api/v1/assessments/{w.assessment}")
    assert r.status == 200, r


def _csv(w):
    return CSV.format(id=f"MATRIX-{uuid.uuid4().hex[:8]}")


# method, pattern, kind, body (a dict, a text or a function of the world),
# headers, prepare
ROUTES = [
    ("GET", "/api/v1/questions", "create", None, None, None),
    ("POST", "/api/v1/questions", "create", QUESTION, None, None),
    ("POST", "/api/v1/questions/import?format=csv", "create", _csv,
     {"Content-Type": "text/csv"}, None),
    ("GET", "/api/v1/questions/stats", "create", None, None, None),
    ("GET", "/api/v1/questions/{id}", "shared", None, None, None),
    ("PATCH", "/api/v1/questions/{id}", "owned", {"difficulty": 4}, None,
     None),
    ("DELETE", "/api/v1/questions/{id}", "owned", None, None, None),
    ("POST", "/api/v1/questions/{id}/restore", "owned", None, None,
     _delete_question),
    ("GET", "/api/v1/questions/{id}/stats", "shared", None, None, None),
    ("POST", "/api/v1/assessments", "create",
     lambda w: {"title": f"Matrix {n()}"}, None, None),
    ("PATCH", "/api/v1/assessments/{id}", "owned", {"title": "Changed"},
     None, None),
    ("DELETE", "/api/v1/assessments/{id}", "owned", None, None, None),
    ("POST", "/api/v1/assessments/{id}/restore", "owned", None, None,
     _delete_assessment),
    ("GET", "/api/v1/assessments/{id}/results", "owned", None, None, None),
    ("PUT", "/api/v1/assessments/{id}/questions", "owned",
     lambda w: {"questions": [{"question_id": w.question}]}, None, None),
]


@pytest.fixture(scope="module")
def people(server):
    return People(server)


@pytest.fixture(scope="module")
def shared_world(people):
    return World(people)


def _cases():
    for route in ROUTES:
        for actor in ACTORS:
            yield pytest.param(route, actor, id=f"{route[0]} {route[1]}-{actor}")


@pytest.mark.parametrize("route,actor", list(_cases()))
def test_authorization_matrix(server, people, shared_world, route, actor):
    method, pattern, kind, body, headers, prepare = route
    shared = actor in ("anonymous", "student")
    world = shared_world if shared else World(people)
    if prepare and not shared:
        prepare(world)
    if callable(body):
        body = body(world)
    want = EXPECT[kind][actor]
    before = bank_state(server) if want != OK else None
    who = None if actor == "anonymous" else getattr(people, actor)
    path = world.url(pattern)
    if who is None:
        r = server.request(method, path, body, headers)
    else:
        r = who.request(method, path, body, headers)
    if want == OK:
        assert 200 <= r.status < 300, r
    else:
        code = {401: "unauthenticated", 403: "forbidden",
                404: "not-found"}[want]
        assert_problem(r, want, code)
        assert bank_state(server) == before


def test_matrix_covers_every_instructor_route(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    documented = {(method.upper(), path)
                  for path, item in doc["paths"].items()
                  for method, op in item.items()
                  if op.get("x-ludus-permission") == "question.manage"
                  and set(op.get("tags", [])) & {"questions", "assessments",
                                                  "attempts"}}
    table = {(m, p.split("?")[0]) for m, p, *_ in ROUTES}
    assert len(table) == len(ROUTES)
    assert table == documented


def test_other_organizations_see_nothing(server, people, shared_world):
    """Listing from another organization shows none of ours."""
    r = people.other_admin.request("GET", "/api/v1/questions?limit=200")
    assert r.status == 200, r
    assert shared_world.question not in {q["id"] for q in r.json["items"]}
    r = people.other_admin.request("GET", "/api/v1/assessments?status=all")
    assert r.status == 200, r
    assert shared_world.assessment not in {a["id"] for a in r.json["items"]}
    r = people.other_admin.request(
        "POST", f"/api/v1/assessments/{shared_world.assessment}/attempts")
    assert_problem(r, 404, "not-found")


def test_learners_see_only_their_own_attempts(server, people):
    """A student's attempt is invisible to another student, to the
    instructor and to an admin through the learner's routes (404)."""
    o = people.owner
    q = o.request("POST", "/api/v1/questions", QUESTION).json["id"]
    a = o.request("POST", "/api/v1/assessments",
                  {"title": f"Mine {n()}", "exam": "network",
                   "status": "published"}).json["id"]
    r = o.request("PUT", f"/api/v1/assessments/{a}/questions",
                  {"questions": [{"question_id": q}]})
    assert r.status == 200, r
    r = people.student.request("POST", f"/api/v1/assessments/{a}/attempts")
    assert r.status == 201, r
    attempt = r.json["id"]
    label = r.json["questions"][0]["options"][0]["label"]
    others = [people.stranger, people.owner, people.admin,
              people.other_admin]
    for who in others:
        assert_problem(who.request("GET", f"/api/v1/attempts/{attempt}"),
                       404, "not-found")
        assert_problem(who.request(
            "PUT", f"/api/v1/attempts/{attempt}/answers/{q}",
            {"answer": {"choice": label}}), 404, "not-found")
        assert_problem(who.request(
            "POST", f"/api/v1/attempts/{attempt}/submit"), 404, "not-found")
    assert_problem(server.request("GET", f"/api/v1/attempts/{attempt}"),
                   401, "unauthenticated")
    # Nothing was answered or submitted by them.
    rows = psql(f"SELECT status, (SELECT count(*) FROM attempt_answers "
                f"WHERE attempt_id = '{attempt}' AND answer IS NOT NULL) "
                f"FROM attempts WHERE id = '{attempt}'", server.db)
    assert rows == [["in_progress", "0"]]


def test_results_show_learners_attempts_to_the_author(server, people):
    """The author sees every learner's finished attempt and a summary;
    their own preview and attempts in progress are not among them."""
    o = people.owner
    q = o.request("POST", "/api/v1/questions", QUESTION).json["id"]
    a = o.request("POST", "/api/v1/assessments",
                  {"title": f"Results {n()}", "exam": "network",
                   "status": "published"}).json["id"]
    assert o.request("PUT", f"/api/v1/assessments/{a}/questions",
                     {"questions": [{"question_id": q}]}).status == 200

    def take(who, right, submit=True):
        r = who.request("POST", f"/api/v1/assessments/{a}/attempts")
        assert r.status == 201, r
        item = r.json["questions"][0]
        choice = [x["label"] for x in item["options"]
                  if (x["text"] == "22") == right][0]
        assert who.request("PUT", f"/api/v1/attempts/{r.json['id']}/answers/"
                           f"{q}", {"answer": {"choice": choice}}).status \
            == 200
        if submit:
            assert who.request(
                "POST", f"/api/v1/attempts/{r.json['id']}/submit").status \
                == 200
        return r.json["id"]

    take(people.student, True)
    take(o, False)                      # the author's preview
    take(people.stranger, False, submit=False)
    r = o.get(f"/api/v1/assessments/{a}/results")
    assert r.status == 200, r
    assert r.json["summary"] == {"attempts": 1, "learners": 1,
                                 "average_percent": 100.0, "pass_rate": 1.0,
                                 "in_progress": 1}
    (row,) = r.json["items"]
    assert row["username"] == "sarah_network" and row["passed"] is True
    assert people.admin.get(f"/api/v1/assessments/{a}/results").json == \
        r.json
    # Deleted, it has no results; restored, they are back.
    assert o.request("DELETE", f"/api/v1/assessments/{a}").status == 200
    assert_problem(o.get(f"/api/v1/assessments/{a}/results"), 404,
                   "not-found")
    assert_problem(o.request("POST", f"/api/v1/assessments/{a}/restore",
                             headers={"If-Match": '"v1"'}), 412,
                   "stale-version")
    r = o.request("POST", f"/api/v1/assessments/{a}/restore")
    assert r.status == 200 and r.json["deleted_at"] is None, r
    assert_problem(o.request("POST", f"/api/v1/assessments/{a}/restore"),
                   409, "conflict")
    assert o.get(f"/api/v1/assessments/{a}/results").status == 200
