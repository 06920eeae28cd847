"""The learner's side of the content API: the catalog, enrolling, a course's
outline and a lesson as a learner sees them, learning sessions with their
heartbeats, progress and completion, bookmarks and search.

The demo instructor (or an instructor of an organization made for the test)
builds the courses through the API; every test registers learners of its
own, so the tests do not depend on one another or on their order.  Tests
that need to know every course a learner can see make an organization of
their own.
"""
import itertools
import json
import re
import threading
import urllib.parse
import uuid
from types import SimpleNamespace

import pytest

from conftest import SEEN, Client, psql

PROBLEM = "application/problem+json"
PW = "a long secret phrase"
DEMO_PW = "password123"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"
                     r"-[0-9a-f]{12}$")
_seq = itertools.count(1)


# ---- helpers ---------------------------------------------------------------

def assert_problem(r, status, code):
    assert r.status == status, r
    assert r.header("Content-Type") == PROBLEM, r
    p = r.json
    assert p["type"] == f"/problems/{code}", p
    assert p["status"] == status
    assert p["title"] and p["detail"]
    return p


def assert_invalid(r, *fields):
    """A 422 whose errors name exactly these fields."""
    p = assert_problem(r, 422, "validation-failed")
    assert {e["field"] for e in p.get("errors", [])} == set(fields), p
    for e in p["errors"]:
        assert e["message"], p
    return p


def sql(server, query):
    return psql(query, server.db)


def sign_in(server, login, password=PW):
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": login, "password": password})
    assert r.status == 200, r
    SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    c = Client(server, r.json)
    c.login = login
    return c


def new_user(server, role="student", org=None):
    """Registers a new account (promoted to role via SQL) and signs in."""
    n = next(_seq)
    username = f"learner_{n:04d}"
    extra = {"organization": org} if org else {}
    r = server.register(f"learner.{n:04d}@example.com", username, PW, **extra)
    assert r.status == 202, r
    if role != "student":
        sql(server, f"UPDATE users SET role = '{role}' "
                    f"WHERE username = '{username}'")
    return sign_in(server, username)


def new_org(server):
    """A new organization that takes registrations; its slug."""
    n = next(_seq)
    slug = f"learn-org-{n}"
    sql(server, f"INSERT INTO organizations (slug, name) "
                f"VALUES ('{slug}', 'Learning org {n}')")
    return slug


def qs(**params):
    return "?" + urllib.parse.urlencode(params) if params else ""


def build_course(ins, lessons=("Lesson",), *, prereqs=None, draft=(),
                 publish=True, title=None, **course):
    """A course with one unit per distinct lesson "unit" index.

    lessons: titles or dicts (title, markdown, unit, and any lesson field);
    prereqs: {lesson index: [prerequisite indexes]}; draft: the indexes of
    lessons left unpublished; publish: whether to publish the course."""
    n = next(_seq)
    body = {"title": title or f"Learning course {n}", "exam": "network",
            "tags": ["learning"]}
    body.update(course)
    body = {k: v for k, v in body.items() if v is not None}
    r = ins.request("POST", "/api/v1/courses", body)
    assert r.status == 201, r
    cid = r.json["id"]
    specs = [{"title": l} if isinstance(l, str) else dict(l) for l in lessons]
    units = []
    for i in range(max(s.get("unit", 0) for s in specs) + 1 if specs else 0):
        r = ins.request("POST", f"/api/v1/courses/{cid}/units",
                        {"title": f"Unit {i + 1}"})
        assert r.status == 201, r
        units.append(r.json["units"][-1]["id"])
    ids = []
    for s in specs:
        unit = units[s.pop("unit", 0)]
        md = s.pop("markdown", f"Some words about {s['title']}.")
        s["content"] = {"markdown": md}
        r = ins.request("POST", f"/api/v1/units/{unit}/lessons", s)
        assert r.status == 201, r
        ids.append(r.json["id"])
    for i, pre in (prereqs or {}).items():
        r = ins.request("PUT", f"/api/v1/lessons/{ids[i]}/prerequisites",
                        {"lesson_ids": [ids[j] for j in pre]})
        assert r.status == 200, r
    for i, lid in enumerate(ids):
        if i not in draft:
            r = ins.request("POST", f"/api/v1/lessons/{lid}/publish")
            assert r.status == 200, r
    if publish:
        r = ins.request("POST", f"/api/v1/courses/{cid}/publish")
        assert r.status == 200, r
    return SimpleNamespace(id=cid, units=units, lessons=ids,
                           titles=[s["title"] for s in specs],
                           title=body["title"])


def activity_count(server, user_id, event, entity_id):
    return int(sql(server, f"""
        SELECT count(*) FROM activity_events WHERE user_id = '{user_id}'
            AND event_type = '{event}' AND entity_id = '{entity_id}'""")[0][0])


def enroll(c, course):
    return c.request("POST", f"/api/v1/courses/{course}/enroll")


def complete(c, lesson):
    return c.request("POST", f"/api/v1/lessons/{lesson}/complete")


def progress(c, lesson, body):
    return c.request("POST", f"/api/v1/lessons/{lesson}/progress", body)


def start(c, lesson):
    return c.request("POST", f"/api/v1/lessons/{lesson}/sessions")


def heartbeat(c, session):
    return c.request("POST", f"/api/v1/learning-sessions/{session}/heartbeat")


def end(c, session):
    return c.request("POST", f"/api/v1/learning-sessions/{session}/end")


def outline_states(c, course):
    r = c.get(f"/api/v1/courses/{course}")
    assert r.status == 200, r
    return {l["id"]: l["state"] for u in r.json["units"] for l in u["lessons"]}


def catalog_ids(c, **params):
    r = c.get("/api/v1/courses" + qs(**params))
    assert r.status == 200, r
    return [i["id"] for i in r.json["items"]]


def catalog_item(c, course, **params):
    r = c.get("/api/v1/courses" + qs(limit=100, **params))
    assert r.status == 200, r
    found = [i for i in r.json["items"] if i["id"] == course]
    assert len(found) == 1, r.json
    return found[0]


def time_spent(c, lesson):
    r = c.get(f"/api/v1/lessons/{lesson}")
    assert r.status == 200, r
    return r.json["progress"]["time_spent_seconds"]


def backdate(server, user_id, sessions, seconds):
    """Moves the sessions' last heartbeat and the user's study clock back
    to `seconds` ago, as if that much time had passed since."""
    ids = ", ".join(f"'{s}'" for s in sessions)
    sql(server, f"""
        UPDATE learning_sessions
            SET last_heartbeat_at = now() - interval '{seconds} seconds'
            WHERE id IN ({ids});
        UPDATE study_clocks
            SET counted_until = now() - interval '{seconds} seconds'
            WHERE user_id = '{user_id}';""")


def at_once(n, fn):
    """Runs fn(i) in n threads released together; the results in order."""
    barrier = threading.Barrier(n)
    out = [None] * n

    def run(i):
        barrier.wait()
        out[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def search(c, q, **params):
    return c.get("/api/v1/search" + qs(q=q, **params))


def search_hits(c, q, **params):
    r = search(c, q, limit=50, **params)
    assert r.status == 200, r
    return r.json["items"]


# ---- fixtures ----------------------------------------------------------------

@pytest.fixture(scope="module")
def ins(server):
    """The demo instructor."""
    return sign_in(server, "instructor", DEMO_PW)


@pytest.fixture(scope="module")
def admin(server):
    return sign_in(server, "admin", DEMO_PW)


@pytest.fixture
def student(server):
    return new_user(server)


@pytest.fixture(scope="module")
def foreign(server):
    """A published course of another organization."""
    teacher = new_user(server, "instructor", new_org(server))
    return build_course(teacher, ["Abroad"])


# ---- the catalog -------------------------------------------------------------

def test_catalog_shows_only_published_live_courses_of_my_org(server):
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    me = new_user(server, org=org)
    live = build_course(teacher, ["A"])
    draft = build_course(teacher, ["B"], publish=False)
    gone = build_course(teacher, ["C"])
    assert teacher.request("DELETE", f"/api/v1/courses/{gone.id}").status \
        == 200
    unpublished = build_course(teacher, ["D"])
    assert teacher.request(
        "POST", f"/api/v1/courses/{unpublished.id}/unpublish").status == 200
    other = new_org(server)
    build_course(new_user(server, "instructor", other), ["E"])

    assert catalog_ids(me) == [live.id]
    assert catalog_ids(me, status="all") == [live.id]
    assert catalog_ids(me, status="draft") == []
    item = catalog_item(me, live.id)
    assert item["status"] == "published" and item["can_edit"] is False
    assert item["title"] == live.title and item["exam"] == "network"
    assert item["lessons"] == 1
    # The owner sees the drafts when asking for them, not deleted courses.
    assert set(catalog_ids(teacher, status="all")) == {
        live.id, draft.id, unpublished.id}
    # A demo student of the default organization sees none of it.
    demo = sign_in(server, "sarah_network", DEMO_PW)
    seen = set(catalog_ids(demo, limit=100))
    assert not seen & {live.id, draft.id, gone.id, unpublished.id}


@pytest.fixture(scope="module")
def filter_world(server):
    """An organization of its own with courses to filter."""
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    w = SimpleNamespace(org=org)
    w.net = build_course(teacher, [{"title": "IPv4 addressing",
                                    "objective_codes": ["1.7"]}],
                         exam="network", difficulty="beginner",
                         language="en", tags=["subnetting"])
    w.sec = build_course(teacher, [{"title": "Crypto lab", "kind": "lab",
                                    "objective_codes": ["2.1"]}],
                         exam="security", difficulty="advanced",
                         language="de", tags=["crypto"])
    w.mixed = build_course(teacher, [{"title": "OSI video", "kind": "video",
                                      "objective_codes": ["1.1", "3.2"]}],
                           exam=None, difficulty="intermediate",
                           language="pt-BR", tags=["subnetting", "ipv6"])
    w.ten = build_course(teacher, [{"title": "Domain ten",
                                    "objective_codes": ["10.1"]}],
                         exam="network", difficulty="beginner",
                         language="en", tags=["misc"])
    w.student = new_user(server, org=org)
    return w


CATALOG_FILTERS = [
    ({}, {"net", "sec", "mixed", "ten"}),
    ({"exam": "network"}, {"net", "ten"}),
    ({"exam": "security"}, {"sec"}),
    ({"exam": "a1101"}, set()),
    ({"domain": "1.0"}, {"net", "mixed"}),
    ({"domain": "2.0"}, {"sec"}),
    ({"domain": "3.0"}, {"mixed"}),
    ({"domain": "10.0"}, {"ten"}),
    ({"domain": "5.0"}, set()),
    ({"kind": "lab"}, {"sec"}),
    ({"kind": "video"}, {"mixed"}),
    ({"kind": "lesson"}, {"net", "ten"}),
    ({"kind": "quiz"}, set()),
    ({"difficulty": "advanced"}, {"sec"}),
    ({"difficulty": "beginner"}, {"net", "ten"}),
    ({"tag": "subnetting"}, {"net", "mixed"}),
    ({"tag": "ipv6"}, {"mixed"}),
    ({"language": "pt-BR"}, {"mixed"}),
    ({"language": "de"}, {"sec"}),
    ({"exam": "network", "tag": "subnetting"}, {"net"}),
    ({"domain": "1.0", "difficulty": "intermediate"}, {"mixed"}),
]


@pytest.mark.parametrize("params, expect", CATALOG_FILTERS, ids=[
    "&".join(f"{k}={v}" for k, v in p.items()) or "none"
    for p, _ in CATALOG_FILTERS])
def test_catalog_filters(filter_world, params, expect):
    w = filter_world
    want = {getattr(w, name).id for name in expect}
    assert set(catalog_ids(w.student, **params)) == want


def test_catalog_filters_ignore_draft_lessons(server):
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    me = new_user(server, org=org)
    c = build_course(teacher, [
        {"title": "Published", "objective_codes": ["1.1"]},
        {"title": "Draft lab", "kind": "lab", "objective_codes": ["4.1"]}],
        draft={1})
    assert catalog_ids(me, domain="1.0") == [c.id]
    assert catalog_ids(me, domain="4.0") == []
    assert catalog_ids(me, kind="lab") == []


def test_catalog_filters_ignore_deleted_lessons(server):
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    me = new_user(server, org=org)
    c = build_course(teacher, [
        {"title": "Kept", "objective_codes": ["1.1"]},
        {"title": "Gone lab", "kind": "lab", "objective_codes": ["4.1"]}])
    assert catalog_ids(me, domain="4.0") == [c.id]
    r = teacher.request("DELETE", f"/api/v1/lessons/{c.lessons[1]}")
    assert r.status == 200, r
    assert catalog_ids(me, domain="4.0") == []
    assert catalog_ids(me, kind="lab") == []
    assert catalog_ids(me, domain="1.0") == [c.id]


@pytest.mark.parametrize("param, value", [
    ("exam", "Network"), ("exam", "net work"), ("exam", "x" * 33),
    ("domain", "1.1"), ("domain", "1"), ("domain", "abc"),
    ("domain", "100.0"), ("domain", "1.0.0"),
    ("kind", "podcast"), ("kind", "Lab"),
    ("difficulty", "expert"),
    ("tag", "Bad Tag"), ("tag", "-x"), ("tag", "x" * 41),
    ("language", "english"), ("language", "EN"),
    ("status", "archived"),
    ("after", "not-a-uuid"), ("after", "1234"),
    ("limit", "0"), ("limit", "101"), ("limit", "abc"), ("limit", "-1"),
    ("limit", "1.5"),
])
def test_catalog_bad_filter_is_422_on_it(student, param, value):
    r = student.get("/api/v1/courses" + qs(**{param: value}))
    assert_invalid(r, param)


def test_catalog_names_every_bad_filter(student):
    r = student.get("/api/v1/courses" + qs(kind="x", difficulty="y",
                                           tag="Z Z", domain="9"))
    assert_invalid(r, "kind", "difficulty", "tag", "domain")


def test_catalog_limit_bounds_are_accepted(student):
    for limit in ("1", "100"):
        r = student.get("/api/v1/courses" + qs(limit=limit))
        assert r.status == 200, r
        assert len(r.json["items"]) <= int(limit)


def test_catalog_pages_walk_every_course_once(server):
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    me = new_user(server, org=org)
    published = []
    for i in range(7):
        published.append(build_course(teacher, [], title=f"Paged {i}").id)
        if i % 3 == 0:
            build_course(teacher, [], publish=False, title=f"Draft {i}")
    newest_first = list(reversed(published))
    assert catalog_ids(me, limit=100) == newest_first

    for limit in (1, 2, 3, 6, 7):
        seen, after, pages = [], None, 0
        while True:
            params = {"limit": limit}
            if after:
                params["after"] = after
            r = me.get("/api/v1/courses" + qs(**params))
            assert r.status == 200, r
            items = [i["id"] for i in r.json["items"]]
            assert len(items) <= limit
            seen += items
            pages += 1
            after = r.json["next"]
            if after is None:
                break
            assert after == items[-1]
            assert pages < 20
        assert seen == newest_first, limit
        assert pages == -(-7 // limit)
    # After the last course there is nothing; an unknown id gives nothing.
    r = me.get("/api/v1/courses" + qs(after=published[0]))
    assert r.status == 200 and r.json == {"items": [], "next": None}
    r = me.get("/api/v1/courses" + qs(after=str(uuid.uuid4())))
    assert r.status == 200 and r.json["items"] == []


def test_catalog_cursor_survives_its_course_going_away(server):
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    me = new_user(server, org=org)
    ids = [build_course(teacher, [], title=f"Cursor {i}").id
           for i in range(5)][::-1]
    r = me.get("/api/v1/courses" + qs(limit=2))
    assert r.json["next"] == ids[1]
    assert teacher.request("DELETE", f"/api/v1/courses/{ids[1]}").status \
        == 200
    r = me.get("/api/v1/courses" + qs(limit=2, after=ids[1]))
    assert [i["id"] for i in r.json["items"]] == ids[2:4]


def test_catalog_enrolled_and_progress_are_the_callers(server, ins):
    tag = f"mine-{next(_seq)}"
    c = build_course(ins, ["One", "Two"], tags=[tag])
    me, other = new_user(server), new_user(server)
    item = catalog_item(me, c.id, tag=tag)
    assert item["enrolled"] is False and item["progress_percent"] is None
    assert complete(me, c.lessons[0]).status == 200
    item = catalog_item(me, c.id, tag=tag)
    assert item["enrolled"] is True and item["progress_percent"] == 50
    theirs = catalog_item(other, c.id, tag=tag)
    assert theirs["enrolled"] is False and theirs["progress_percent"] is None
    # Leaving keeps the progress, but the course is no longer enrolled.
    assert me.request("DELETE", f"/api/v1/courses/{c.id}/enroll").status \
        == 204
    item = catalog_item(me, c.id, tag=tag)
    assert item["enrolled"] is False and item["progress_percent"] == 50


# ---- enrollment --------------------------------------------------------------

def test_enroll_is_201_then_200(server, ins, student):
    c = build_course(ins, ["A", "B"])
    r = enroll(student, c.id)
    assert r.status == 201, r
    e = r.json
    assert e["course_id"] == c.id and e["status"] == "active"
    assert e["progress_percent"] == 0 and e["completed_at"] is None
    assert e["enrolled_at"]
    r = enroll(student, c.id)
    assert r.status == 200, r
    assert r.json["status"] == "active"
    assert r.json["enrolled_at"] == e["enrolled_at"]
    assert activity_count(server, student.id, "course.enrolled", c.id) == 1
    outline = student.get(f"/api/v1/courses/{c.id}").json
    assert outline["enrollment"]["status"] == "active"


def test_concurrent_enrolls_count_once(server, ins, student):
    c = build_course(ins, ["A"])
    codes = at_once(8, lambda i: enroll(student, c.id).status)
    assert sorted(codes) == [200] * 7 + [201], codes
    assert activity_count(server, student.id, "course.enrolled", c.id) == 1


def test_enroll_in_what_is_not_there_is_404(server, ins, student):
    draft = build_course(ins, ["A"], publish=False)
    gone = build_course(ins, ["A"])
    assert ins.request("DELETE", f"/api/v1/courses/{gone.id}").status == 200
    org = new_org(server)
    foreign = build_course(new_user(server, "instructor", org), ["A"])
    for cid in (draft.id, gone.id, foreign.id, str(uuid.uuid4()),
                "not-a-uuid"):
        assert_problem(enroll(student, cid), 404, "not-found")
    n = sql(server, f"SELECT count(*) FROM enrollments "
                    f"WHERE user_id = '{student.id}'")[0][0]
    assert n == "0"


def test_leave_then_enroll_again_keeps_progress(server, ins, student):
    c = build_course(ins, ["A", "B", "C", "D"])
    assert enroll(student, c.id).status == 201
    assert complete(student, c.lessons[0]).status == 200
    r = student.request("DELETE", f"/api/v1/courses/{c.id}/enroll")
    assert r.status == 204 and r.body == b""
    assert activity_count(server, student.id, "course.unenrolled", c.id) == 1
    assert_problem(student.request("DELETE", f"/api/v1/courses/{c.id}/enroll"),
                   404, "not-found")
    outline = student.get(f"/api/v1/courses/{c.id}").json
    assert outline["enrollment"]["status"] == "dropped"
    assert outline["enrollment"]["progress_percent"] == 25
    r = enroll(student, c.id)
    assert r.status in (200, 201), r
    assert r.json["status"] == "active" and r.json["progress_percent"] == 25
    assert outline_states(student, c.id)[c.lessons[0]] == "completed"


def test_leave_what_i_never_joined_is_404(ins, student):
    c = build_course(ins, ["A"])
    for cid in (c.id, str(uuid.uuid4()), "nope"):
        assert_problem(student.request("DELETE",
                                       f"/api/v1/courses/{cid}/enroll"),
                       404, "not-found")


# ---- a course's outline ------------------------------------------------------

def test_outline_shows_my_state_in_each_lesson(ins, student):
    c = build_course(ins, [
        "Basics",                                # 0
        "Needs basics",                          # 1: locked by 0
        {"title": "Needs a draft", "unit": 1},   # 2: its prerequisite is a draft
        {"title": "Hidden draft", "unit": 1},    # 3: a draft
        {"title": "Free", "unit": 1},            # 4
    ], prereqs={1: [0], 2: [3]}, draft={3})
    L = c.lessons
    r = student.get(f"/api/v1/courses/{c.id}")
    assert r.status == 200, r
    assert re.fullmatch(r'"v\d+"', r.header("ETag")), r.headers
    doc = r.json
    assert doc["id"] == c.id and doc["status"] == "published"
    assert doc["can_edit"] is False and doc["enrollment"] is None
    assert [u["id"] for u in doc["units"]] == c.units
    listed = [l["id"] for u in doc["units"] for l in u["lessons"]]
    assert listed == [L[0], L[1], L[2], L[4]]  # no draft
    assert outline_states(student, c.id) == {
        L[0]: "not_started", L[1]: "locked", L[2]: "not_started",
        L[4]: "not_started"}

    assert start(student, L[4]).status == 201
    assert outline_states(student, c.id)[L[4]] == "in_progress"
    assert complete(student, L[0]).status == 200
    states = outline_states(student, c.id)
    assert states[L[0]] == "completed" and states[L[1]] == "not_started"
    lesson = [l for u in student.get(f"/api/v1/courses/{c.id}").json["units"]
              for l in u["lessons"] if l["id"] == L[0]][0]
    assert lesson["progress_percent"] == 100
    # Someone else's state is their own.
    other = new_user(student.server)
    assert outline_states(other, c.id)[L[1]] == "locked"


def test_a_deleted_prerequisite_does_not_lock(ins, student):
    c = build_course(ins, ["First", "Second"], prereqs={1: [0]})
    assert outline_states(student, c.id)[c.lessons[1]] == "locked"
    assert ins.request("DELETE", f"/api/v1/lessons/{c.lessons[0]}").status \
        == 200
    assert outline_states(student, c.id) == {c.lessons[1]: "not_started"}
    assert start(student, c.lessons[1]).status == 201


def test_outline_of_what_is_not_there_is_404(server, ins, student):
    draft = build_course(ins, ["A"], publish=False)
    gone = build_course(ins, ["A"])
    assert ins.request("DELETE", f"/api/v1/courses/{gone.id}").status == 200
    foreign = build_course(new_user(server, "instructor", new_org(server)),
                           ["A"])
    for cid in (draft.id, gone.id, foreign.id, str(uuid.uuid4()), "x"):
        assert_problem(student.get(f"/api/v1/courses/{cid}"), 404,
                       "not-found")


# ---- a lesson ----------------------------------------------------------------

def test_lesson_view(ins, student):
    c = build_course(ins, [
        {"title": "Ports", "markdown": "# Ports\n\nTCP **22** is SSH."},
        {"title": "Protocols", "markdown": "UDP & <b>friends</b>",
         "summary": "Which is which", "objective_codes": ["1.4"]},
    ], prereqs={1: [0]})
    first, second = c.lessons
    r = student.get(f"/api/v1/lessons/{second}")
    assert r.status == 200, r
    assert re.fullmatch(r'"v\d+"', r.header("ETag")), r.headers
    doc = r.json
    assert doc["id"] == second and doc["title"] == "Protocols"
    assert doc["course"] == {"id": c.id, "title": c.title}
    assert doc["content"] == {"markdown": "UDP & <b>friends</b>"}
    assert "&amp;" in doc["content_html"] and "<b>" not in doc["content_html"]
    assert doc["objective_codes"] == ["1.4"]
    assert doc["prerequisites"] == [{"id": first, "title": "Ports",
                                     "completed": False}]
    assert doc["locked"] is True
    assert doc["progress"] is None and doc["bookmark"] is None
    assert doc["can_edit"] is False

    r = student.get(f"/api/v1/lessons/{first}")
    assert "<strong>22</strong>" in r.json["content_html"]
    assert r.json["prerequisites"] == [] and r.json["locked"] is False

    assert complete(student, first).status == 200
    r = student.request("PUT", f"/api/v1/lessons/{second}/bookmark",
                        {"note": "read twice"})
    assert r.status == 200, r
    assert progress(student, second, {"progress_percent": 30,
                                      "last_position": {"line": 4}}).status \
        == 200
    doc = student.get(f"/api/v1/lessons/{second}").json
    assert doc["prerequisites"][0]["completed"] is True
    assert doc["locked"] is False
    assert doc["bookmark"]["note"] == "read twice"
    p = doc["progress"]
    assert p["status"] == "in_progress" and p["progress_percent"] == 30
    assert p["last_position"] == {"line": 4} and p["completed_at"] is None


def test_lesson_that_is_not_there_is_404(server, ins, student):
    c = build_course(ins, ["Published", "Draft", "Deleted"], draft={1})
    assert ins.request("DELETE", f"/api/v1/lessons/{c.lessons[2]}").status \
        == 200
    hidden = build_course(ins, ["In a draft course"], publish=False)
    foreign = build_course(new_user(server, "instructor", new_org(server)),
                           ["Abroad"])
    for lid in (c.lessons[1], c.lessons[2], hidden.lessons[0],
                foreign.lessons[0], str(uuid.uuid4()), "42"):
        assert_problem(student.get(f"/api/v1/lessons/{lid}"), 404,
                       "not-found")
    assert student.get(f"/api/v1/lessons/{c.lessons[0]}").status == 200


def test_lesson_view_does_not_show_draft_prerequisites(ins, student):
    c = build_course(ins, ["Secret draft", "Visible"], prereqs={1: [0]},
                     draft={0})
    doc = student.get(f"/api/v1/lessons/{c.lessons[1]}").json
    assert doc["locked"] is False
    assert doc["prerequisites"] == []


# ---- learning sessions -------------------------------------------------------

def test_session_starts_then_resumes(server, ins, student):
    c = build_course(ins, ["Watch me"])
    lesson = c.lessons[0]
    r = start(student, lesson)
    assert r.status == 201, r
    s = r.json
    assert UUID_RE.match(s["id"])
    assert s["lesson_id"] == lesson and s["ended_at"] is None
    assert s["seconds_counted"] == 0 and s["completion_achieved"] is False
    assert activity_count(server, student.id, "lesson.viewed", lesson) == 1
    # Studying enrolls and starts the lesson.
    outline = student.get(f"/api/v1/courses/{c.id}").json
    assert outline["enrollment"]["status"] == "active"
    assert outline_states(student, c.id)[lesson] == "in_progress"

    r = start(student, lesson)
    assert r.status == 200, r
    assert r.json["id"] == s["id"]
    assert activity_count(server, student.id, "lesson.viewed", lesson) == 1
    # Four minutes without a heartbeat still resumes; six do not.
    sql(server, f"UPDATE learning_sessions SET last_heartbeat_at = "
                f"now() - interval '4 minutes' WHERE id = '{s['id']}'")
    r = start(student, lesson)
    assert r.status == 200 and r.json["id"] == s["id"], r
    sql(server, f"UPDATE learning_sessions SET last_heartbeat_at = "
                f"now() - interval '6 minutes', started_at = "
                f"now() - interval '7 minutes' WHERE id = '{s['id']}'")
    r = start(student, lesson)
    assert r.status == 201 and r.json["id"] != s["id"], r
    assert activity_count(server, student.id, "lesson.viewed", lesson) == 2


def test_sessions_started_at_once_are_one(server, ins, student):
    c = build_course(ins, ["Double click"])
    rs = at_once(5, lambda i: start(student, c.lessons[0]))
    assert sorted(r.status for r in rs) == [200] * 4 + [201], rs
    assert len({r.json["id"] for r in rs}) == 1
    assert activity_count(server, student.id, "lesson.viewed",
                          c.lessons[0]) == 1


def test_session_on_a_locked_lesson_is_409(server, ins, student):
    c = build_course(ins, ["Intro", "Basics", "Advanced"],
                     prereqs={2: [0, 1]})
    r = start(student, c.lessons[2])
    p = assert_problem(r, 409, "lesson-locked")
    missing = sorted(p["missing_prerequisites"], key=lambda m: m["title"])
    assert missing == [{"id": c.lessons[1], "title": "Basics"},
                       {"id": c.lessons[0], "title": "Intro"}]
    assert complete(student, c.lessons[0]).status == 200
    p = assert_problem(start(student, c.lessons[2]), 409, "lesson-locked")
    assert p["missing_prerequisites"] == [{"id": c.lessons[1],
                                           "title": "Basics"}]
    n = sql(server, f"SELECT count(*) FROM learning_sessions "
                    f"WHERE user_id = '{student.id}'")[0][0]
    assert n == "0"
    assert complete(student, c.lessons[1]).status == 200
    assert start(student, c.lessons[2]).status == 201


def test_session_on_what_is_not_there_is_404(ins, student, foreign):
    c = build_course(ins, ["Published", "Draft"], draft={1})
    hidden = build_course(ins, ["In a draft course"], publish=False)
    for lid in (c.lessons[1], hidden.lessons[0], foreign.lessons[0],
                str(uuid.uuid4()), "x"):
        assert_problem(start(student, lid), 404, "not-found")


def test_heartbeat_credits_the_time_since_the_last(server, ins, student):
    c = build_course(ins, ["Read me"])
    lesson = c.lessons[0]
    sid = start(student, lesson).json["id"]
    r = heartbeat(student, sid)
    assert r.status == 200, r
    assert r.json["id"] == sid and 0 <= r.json["seconds_counted"] <= 2
    base, spent = r.json["seconds_counted"], time_spent(student, lesson)
    assert spent == base

    backdate(server, student.id, [sid], 40)
    r = heartbeat(student, sid)
    assert r.status == 200, r
    gained = r.json["seconds_counted"] - base
    assert 40 <= gained <= 43, r.json
    assert time_spent(student, lesson) - spent == gained
    last = r.json["last_heartbeat_at"]

    # Right away again: next to nothing.
    r = heartbeat(student, sid)
    assert r.json["seconds_counted"] - base - gained <= 1
    assert r.json["last_heartbeat_at"] >= last


def test_heartbeat_credits_at_most_120_seconds(server, ins, student):
    c = build_course(ins, ["Long read"])
    sid = start(student, c.lessons[0]).json["id"]
    base = heartbeat(student, sid).json["seconds_counted"]
    backdate(server, student.id, [sid], 600)
    r = heartbeat(student, sid)
    assert r.status == 200, r
    assert r.json["seconds_counted"] - base == 120
    assert time_spent(student, c.lessons[0]) == base + 120


def _two_tabs(server, ins, student):
    c = build_course(ins, ["Tab one", "Tab two"])
    sids = [start(student, l).json["id"] for l in c.lessons]
    assert sids[0] != sids[1]
    base = [heartbeat(student, s).json["seconds_counted"] for s in sids]
    spent = [time_spent(student, l) for l in c.lessons]
    backdate(server, student.id, sids, 60)
    return c, sids, base, spent


def test_two_tabs_count_the_time_once(server, ins, student):
    c, sids, base, spent = _two_tabs(server, ins, student)
    after = [heartbeat(student, s).json["seconds_counted"] for s in sids]
    gained = sum(after) - sum(base)
    assert 60 <= gained <= 63, (base, after)
    assert sum(time_spent(student, l) for l in c.lessons) - sum(spent) \
        == gained


def test_two_tabs_beating_at_once_count_the_time_once(server, ins, student):
    c, sids, base, spent = _two_tabs(server, ins, student)
    rs = at_once(2, lambda i: heartbeat(student, sids[i]))
    assert [r.status for r in rs] == [200, 200], rs
    gained = sum(r.json["seconds_counted"] for r in rs) - sum(base)
    assert 60 <= gained <= 63, rs
    assert sum(time_spent(student, l) for l in c.lessons) - sum(spent) \
        == gained


def test_another_users_session_is_404(server, ins, student):
    c = build_course(ins, ["Mine"])
    sid = start(student, c.lessons[0]).json["id"]
    intruder = new_user(server)
    assert_problem(heartbeat(intruder, sid), 404, "not-found")
    assert_problem(end(intruder, sid), 404, "not-found")
    row = sql(server, f"SELECT ended_at IS NULL, seconds_counted "
                      f"FROM learning_sessions WHERE id = '{sid}'")[0]
    assert row == ["t", "0"]
    assert heartbeat(student, sid).status == 200


def test_end_a_session(server, ins, student):
    c = build_course(ins, ["Finish"])
    sid = start(student, c.lessons[0]).json["id"]
    heartbeat(student, sid)
    backdate(server, student.id, [sid], 30)
    r = end(student, sid)
    assert r.status == 200, r
    assert r.json["ended_at"] is not None
    assert 30 <= r.json["seconds_counted"] <= 34  # ending credits, too
    assert_problem(heartbeat(student, sid), 404, "not-found")
    assert_problem(end(student, sid), 404, "not-found")
    # Studying again starts a new session.
    r = start(student, c.lessons[0])
    assert r.status == 201 and r.json["id"] != sid, r


@pytest.mark.parametrize("sid", ["not-a-uuid", "1", str(uuid.uuid4())])
def test_unknown_session_is_404(student, sid):
    assert_problem(heartbeat(student, sid), 404, "not-found")
    assert_problem(end(student, sid), 404, "not-found")


# ---- progress ----------------------------------------------------------------

def test_progress_is_saved_and_never_goes_down(server, ins, student):
    c = build_course(ins, ["Video"])
    lesson = c.lessons[0]
    r = progress(student, lesson, {"progress_percent": 40,
                                   "last_position": {"seconds": 12}})
    assert r.status == 200, r
    p = r.json
    assert p["lesson_id"] == lesson and p["status"] == "in_progress"
    assert p["progress_percent"] == 40
    assert p["last_position"] == {"seconds": 12}
    assert p["completed_at"] is None

    r = progress(student, lesson, {"progress_percent": 30,
                                   "last_position": {"seconds": 5}})
    assert r.status == 200, r
    assert r.json["progress_percent"] == 40
    assert r.json["last_position"] == {"seconds": 5}
    r = progress(student, lesson, {"last_position": {"seconds": 7}})
    assert r.json["progress_percent"] == 40
    r = progress(student, lesson, {"progress_percent": 55})
    assert r.json["progress_percent"] == 55
    assert r.json["last_position"] == {"seconds": 7}
    r = progress(student, lesson, {})
    assert r.status == 200 and r.json["progress_percent"] == 55
    lesson_doc = student.get(f"/api/v1/lessons/{lesson}").json
    assert lesson_doc["progress"]["progress_percent"] == 55


def test_progress_auto_enrolls(server, ins, student):
    c = build_course(ins, ["Auto"])
    assert progress(student, c.lessons[0], {"progress_percent": 1}).status \
        == 200
    outline = student.get(f"/api/v1/courses/{c.id}").json
    assert outline["enrollment"]["status"] == "active"
    assert activity_count(server, student.id, "course.enrolled", c.id) == 1


def test_progress_after_completion_stays_complete(ins, student):
    c = build_course(ins, ["Done"])
    assert complete(student, c.lessons[0]).status == 200
    r = progress(student, c.lessons[0], {"progress_percent": 30,
                                         "last_position": {"page": 2}})
    assert r.status == 200, r
    assert r.json["status"] == "completed"
    assert r.json["progress_percent"] == 100
    assert r.json["completed_at"] is not None


@pytest.mark.parametrize("body, field", [
    ({"progress_percent": 101}, "progress_percent"),
    ({"progress_percent": -1}, "progress_percent"),
    ({"progress_percent": "40"}, "progress_percent"),
    ({"progress_percent": 40.5}, "progress_percent"),
    ({"progress_percent": True}, "progress_percent"),
    ({"last_position": [1, 2]}, "last_position"),
    ({"last_position": "12"}, "last_position"),
    ({"last_position": 12}, "last_position"),
    ({"last_position": {"x": "y" * 2000}}, "last_position"),
    ({"percent": 40}, "percent"),
])
def test_progress_bad_values_are_422(ins, student, body, field):
    c = build_course(ins, ["Checked"])
    assert_invalid(progress(student, c.lessons[0], body), field)
    assert student.get(f"/api/v1/lessons/{c.lessons[0]}").json["progress"] \
        is None


def test_progress_bad_values_are_named_together(ins, student):
    c = build_course(ins, ["Checked"])
    assert_invalid(progress(student, c.lessons[0],
                            {"progress_percent": 200, "last_position": []}),
                   "progress_percent", "last_position")


def test_progress_position_near_the_limit_is_saved(ins, student):
    c = build_course(ins, ["Limit"])
    # 1,999 characters of compact JSON, 2,000 as PostgreSQL writes it.
    pos = {"x": "y" * (1999 - len('{"x":""}'))}
    assert len(json.dumps(pos, separators=(",", ":"))) == 1999
    r = progress(student, c.lessons[0], {"last_position": pos})
    assert r.status == 200, r
    assert r.json["last_position"] == pos


@pytest.mark.parametrize("pos", [
    {"x": "y" * (2000 - len('{"x":""}'))},      # exactly 2000
    {f"k{i:03d}": 1 for i in range(220)},       # 1981, with many keys
], ids=["one-key-2000", "many-keys-1981"])
def test_progress_position_up_to_the_limit_is_saved(ins, student, pos):
    c = build_course(ins, ["Up to the limit"])
    assert len(json.dumps(pos, separators=(",", ":"))) <= 2000
    r = progress(student, c.lessons[0], {"last_position": pos})
    assert r.status == 200, r
    assert r.json["last_position"] == pos


def test_progress_position_limit_counts_characters(ins, student):
    c = build_course(ins, ["Unicode"])
    pos = {"n": "\u00e9" * 999}
    assert len(json.dumps(pos, ensure_ascii=False,
                          separators=(",", ":"))) == 1007
    r = progress(student, c.lessons[0], {"last_position": pos})
    assert r.status == 200, r


def test_progress_on_a_locked_lesson_is_409(server, ins, student):
    c = build_course(ins, ["First", "Second"], prereqs={1: [0]})
    p = assert_problem(progress(student, c.lessons[1],
                                {"progress_percent": 10}), 409,
                       "lesson-locked")
    assert p["missing_prerequisites"] == [{"id": c.lessons[0],
                                           "title": "First"}]
    assert student.get(f"/api/v1/lessons/{c.lessons[1]}").json["progress"] \
        is None
    # Nothing was enrolled either: the refusal rolled back.
    assert sql(server, f"SELECT count(*) FROM enrollments WHERE user_id = "
                       f"'{student.id}'")[0][0] == "0"


def test_progress_on_what_is_not_there_is_404(ins, student, foreign):
    c = build_course(ins, ["Published", "Draft", "Deleted"], draft={1})
    assert ins.request("DELETE", f"/api/v1/lessons/{c.lessons[2]}").status \
        == 200
    for lid in (c.lessons[1], c.lessons[2], foreign.lessons[0],
                str(uuid.uuid4()), "x"):
        assert_problem(progress(student, lid, {"progress_percent": 5}), 404,
                       "not-found")


# ---- completion --------------------------------------------------------------

def test_complete_counts_once(server, ins, student):
    c = build_course(ins, ["One", "Two", "Three", "Four"])
    lesson = c.lessons[0]
    r = complete(student, lesson)
    assert r.status == 200, r
    doc = r.json
    assert doc["newly_completed"] is True
    assert doc["progress"]["status"] == "completed"
    assert doc["progress"]["progress_percent"] == 100
    assert doc["progress"]["completed_at"] is not None
    assert doc["enrollment"]["status"] == "active"
    assert doc["enrollment"]["progress_percent"] == 25
    assert doc["enrollment"]["completed_at"] is None
    assert activity_count(server, student.id, "lesson.completed", lesson) == 1
    assert activity_count(server, student.id, "course.enrolled", c.id) == 1

    r = complete(student, lesson)
    assert r.status == 200, r
    assert r.json["newly_completed"] is False
    assert r.json["progress"] == doc["progress"]
    assert r.json["enrollment"]["progress_percent"] == 25
    assert activity_count(server, student.id, "lesson.completed", lesson) == 1


def test_ten_completions_at_once_count_once(server, ins, student):
    c = build_course(ins, ["Race", "Other"])
    lesson = c.lessons[0]
    rs = at_once(10, lambda i: complete(student, lesson))
    assert [r.status for r in rs] == [200] * 10, rs
    assert sorted(r.json["newly_completed"] for r in rs) == \
        [False] * 9 + [True]
    assert activity_count(server, student.id, "lesson.completed", lesson) == 1
    assert activity_count(server, student.id, "course.enrolled", c.id) == 1
    assert len({r.json["progress"]["completed_at"] for r in rs}) == 1
    outline = student.get(f"/api/v1/courses/{c.id}").json
    assert outline["enrollment"]["progress_percent"] == 50


def test_completing_every_lesson_completes_the_course(ins, student):
    c = build_course(ins, ["A", "B", {"title": "C", "unit": 1}])
    percents = []
    for lesson in c.lessons:
        r = complete(student, lesson)
        assert r.status == 200, r
        percents.append(r.json["enrollment"]["progress_percent"])
    assert percents == [33.33, 66.67, 100]
    assert r.json["enrollment"]["completed_at"] is not None
    outline = student.get(f"/api/v1/courses/{c.id}").json
    assert outline["enrollment"]["completed_at"] is not None
    assert set(outline_states(student, c.id).values()) == {"completed"}


def test_only_published_live_lessons_count(ins, student):
    c = build_course(ins, ["A", "B", "C", "Draft", "Doomed"], draft={3})
    A, B, C, _, doomed = c.lessons
    r = complete(student, doomed)
    assert r.json["enrollment"]["progress_percent"] == 25  # 1 of 4
    assert ins.request("DELETE", f"/api/v1/lessons/{doomed}").status == 200
    r = complete(student, A)
    assert r.json["enrollment"]["progress_percent"] == 33.33  # 1 of 3
    assert ins.request("POST", f"/api/v1/lessons/{C}/unpublish").status == 200
    r = complete(student, B)
    assert r.json["enrollment"]["progress_percent"] == 100  # 2 of 2
    assert r.json["enrollment"]["completed_at"] is not None


def test_completion_marks_open_sessions(server, ins, student):
    c = build_course(ins, ["Watched"])
    lesson = c.lessons[0]
    old = start(student, lesson).json["id"]
    assert end(student, old).status == 200
    sid = start(student, lesson).json["id"]
    assert sid != old
    assert complete(student, lesson).json["newly_completed"] is True
    r = heartbeat(student, sid)
    assert r.status == 200 and r.json["completion_achieved"] is True, r
    rows = dict(sql(server, f"SELECT id, completion_achieved::text FROM "
                            f"learning_sessions WHERE user_id = "
                            f"'{student.id}'"))
    assert rows == {old: "false", sid: "true"}


def test_complete_locked_or_missing_lesson(ins, student, foreign):
    c = build_course(ins, ["Gate", "Behind", "Draft"], prereqs={1: [0]},
                     draft={2})
    p = assert_problem(complete(student, c.lessons[1]), 409, "lesson-locked")
    assert p["missing_prerequisites"] == [{"id": c.lessons[0],
                                           "title": "Gate"}]
    for lid in (c.lessons[2], foreign.lessons[0], str(uuid.uuid4()), "x"):
        assert_problem(complete(student, lid), 404, "not-found")
    assert complete(student, c.lessons[0]).json["newly_completed"] is True
    assert complete(student, c.lessons[1]).json["newly_completed"] is True


# ---- bookmarks ---------------------------------------------------------------

def put_mark(c, lesson, body):
    return c.request("PUT", f"/api/v1/lessons/{lesson}/bookmark", body)


def del_mark(c, lesson):
    return c.request("DELETE", f"/api/v1/lessons/{lesson}/bookmark")


def test_bookmark_put_is_an_upsert(ins, student):
    c = build_course(ins, ["Marked"])
    lesson = c.lessons[0]
    r = put_mark(student, lesson, {"note": "come back"})
    assert r.status == 200, r
    first = r.json
    assert first["lesson_id"] == lesson and first["note"] == "come back"
    assert first["created_at"]
    r = put_mark(student, lesson, {"note": "again"})
    assert r.status == 200, r
    assert r.json["note"] == "again"
    assert r.json["created_at"] == first["created_at"]
    assert student.get(f"/api/v1/lessons/{lesson}").json["bookmark"][
        "note"] == "again"
    r = put_mark(student, lesson, {"note": None})
    assert r.status == 200 and r.json["note"] is None, r
    r = put_mark(student, lesson, {})
    assert r.status == 200, r
    r = put_mark(student, lesson, {"note": "n" * 2000})
    assert r.status == 200 and len(r.json["note"]) == 2000, r
    items = student.get("/api/v1/me/bookmarks").json["items"]
    assert [i["lesson"]["id"] for i in items] == [lesson]


def test_bookmark_on_a_locked_lesson_is_allowed(ins, student):
    c = build_course(ins, ["Gate", "Later"], prereqs={1: [0]})
    r = put_mark(student, c.lessons[1], {"note": "for later"})
    assert r.status == 200, r
    doc = student.get(f"/api/v1/lessons/{c.lessons[1]}").json
    assert doc["locked"] is True and doc["bookmark"]["note"] == "for later"


@pytest.mark.parametrize("body, field", [
    ({"note": "n" * 2001}, "note"),
    ({"note": 5}, "note"),
    ({"note": ["a"]}, "note"),
    ({"colour": "red"}, "colour"),
])
def test_bookmark_bad_note_is_422(ins, student, body, field):
    c = build_course(ins, ["Noted"])
    assert_invalid(put_mark(student, c.lessons[0], body), field)
    assert student.get(f"/api/v1/lessons/{c.lessons[0]}").json["bookmark"] \
        is None


def test_bookmark_on_what_is_not_there_is_404(ins, student, foreign):
    c = build_course(ins, ["Published", "Draft"], draft={1})
    for lid in (c.lessons[1], foreign.lessons[0], str(uuid.uuid4()), "x"):
        assert_problem(put_mark(student, lid, {"note": "x"}), 404,
                       "not-found")


def test_bookmark_delete(ins, student):
    c = build_course(ins, ["Unmarked"])
    lesson = c.lessons[0]
    assert put_mark(student, lesson, {"note": "x"}).status == 200
    r = del_mark(student, lesson)
    assert r.status == 204 and r.body == b""
    assert_problem(del_mark(student, lesson), 404, "not-found")
    assert student.get(f"/api/v1/lessons/{lesson}").json["bookmark"] is None
    assert student.get("/api/v1/me/bookmarks").json == {"items": [],
                                                        "next": None}
    for lid in (str(uuid.uuid4()), "x"):
        assert_problem(del_mark(student, lid), 404, "not-found")


def test_bookmarks_list_newest_first_paged_and_mine_only(server, ins,
                                                         student):
    a = build_course(ins, ["A1", "A2", "A3"])
    b = build_course(ins, ["B1", "B2"])
    order = [a.lessons[1], b.lessons[0], a.lessons[0], b.lessons[1],
             a.lessons[2]]
    titles = {**dict(zip(a.lessons, a.titles)), **dict(zip(b.lessons,
                                                           b.titles))}
    course_of = {**{l: a for l in a.lessons}, **{l: b for l in b.lessons}}
    for i, lesson in enumerate(order):
        assert put_mark(student, lesson, {"note": f"note {i}"}).status == 200
    # Changing a note does not move it up.
    assert put_mark(student, order[0], {"note": "changed"}).status == 200
    other = new_user(server)
    assert put_mark(other, a.lessons[0], {"note": "theirs"}).status == 200

    r = student.get("/api/v1/me/bookmarks")
    assert r.status == 200, r
    items = r.json["items"]
    assert [i["lesson"]["id"] for i in items] == order[::-1]
    assert r.json["next"] is None
    for i in items:
        lid = i["lesson"]["id"]
        assert i["lesson"]["title"] == titles[lid]
        assert i["lesson"]["kind"] == "lesson"
        assert i["course"] == {"id": course_of[lid].id,
                               "title": course_of[lid].title}
    assert items[-1]["note"] == "changed" and items[0]["note"] == "note 4"
    assert "theirs" not in r.body.decode()

    for limit in (1, 2, 4, 5):
        seen, after = [], None
        for _ in range(10):
            params = {"limit": limit}
            if after:
                params["after"] = after
            r = student.get("/api/v1/me/bookmarks" + qs(**params))
            assert r.status == 200, r
            page = [i["lesson"]["id"] for i in r.json["items"]]
            assert len(page) <= limit
            seen += page
            after = r.json["next"]
            if after is None:
                break
            # The cursor is "<microseconds>.<lesson id>" of the last item.
            assert after.endswith("." + page[-1])
        assert seen == order[::-1], limit

    theirs = other.get("/api/v1/me/bookmarks").json["items"]
    assert [(i["lesson"]["id"], i["note"]) for i in theirs] == \
        [(a.lessons[0], "theirs")]
    # A cursor is a position, not a key: another user's list starts there.
    mine = student.get("/api/v1/me/bookmarks" + qs(limit=1)).json["next"]
    r = other.get("/api/v1/me/bookmarks" + qs(after=mine))
    assert r.status == 200
    assert all(i["note"] == "theirs" for i in r.json["items"]), r


def test_bookmarks_cursor_survives_its_bookmark_going_away(ins, student):
    c = build_course(ins, ["One", "Two", "Three", "Four"])
    for lesson in c.lessons:
        assert put_mark(student, lesson, {"note": "x"}).status == 200
    newest_first = c.lessons[::-1]
    r = student.get("/api/v1/me/bookmarks" + qs(limit=2))
    cursor = r.json["next"]
    assert cursor.endswith("." + newest_first[1])
    assert del_mark(student, newest_first[1]).status == 204
    r = student.get("/api/v1/me/bookmarks" + qs(limit=2, after=cursor))
    assert r.status == 200, r
    assert [i["lesson"]["id"] for i in r.json["items"]] == newest_first[2:]


@pytest.mark.parametrize("params, field", [
    ({"after": "nope"}, "after"), ({"limit": "0"}, "limit"),
    ({"limit": "201"}, "limit"), ({"limit": "x"}, "limit"),
])
def test_bookmarks_list_bad_params_are_422(student, params, field):
    assert_invalid(student.get("/api/v1/me/bookmarks" + qs(**params)), field)


def test_bookmarks_of_a_deleted_lesson_are_not_listed(ins, student):
    c = build_course(ins, ["Stays", "Goes"])
    for lesson in c.lessons:
        assert put_mark(student, lesson, {"note": "x"}).status == 200
    assert ins.request("DELETE", f"/api/v1/lessons/{c.lessons[1]}").status \
        == 200
    items = student.get("/api/v1/me/bookmarks").json["items"]
    assert [i["lesson"]["id"] for i in items] == [c.lessons[0]]


def test_bookmarks_of_hidden_lessons_are_not_listed(ins, student):
    shown = build_course(ins, ["Shown"])
    drafted = build_course(ins, ["Drafted"])
    pulled = build_course(ins, ["In a pulled course"])
    gone = build_course(ins, ["In a deleted course"])
    for c in (shown, drafted, pulled, gone):
        assert put_mark(student, c.lessons[0], {"note": "x"}).status == 200
    for path in (f"/api/v1/lessons/{drafted.lessons[0]}/unpublish",
                 f"/api/v1/courses/{pulled.id}/unpublish"):
        assert ins.request("POST", path).status == 200
    assert ins.request("DELETE", f"/api/v1/courses/{gone.id}").status == 200
    # None of them can be opened any more ...
    for c in (drafted, pulled, gone):
        assert_problem(student.get(f"/api/v1/lessons/{c.lessons[0]}"), 404,
                       "not-found")
    # ... and none of them is listed.
    items = student.get("/api/v1/me/bookmarks").json["items"]
    assert [i["lesson"]["id"] for i in items] == [shown.lessons[0]]


# ---- search ------------------------------------------------------------------

def hit_ids(hits, type_=None):
    return [h["id"] for h in hits if type_ is None or h["type"] == type_]


def test_search_ranks_a_title_match_above_a_body_match(ins, student):
    c = build_course(ins, [
        {"title": "Routing basics",
         "markdown": "Static routes and the quokkafjord gateway."},
        {"title": "Quokkafjord explained",
         "markdown": "Everything about gateways."},
    ])
    hits = search_hits(student, "quokkafjord")
    lessons = hit_ids(hits, "lesson")
    assert lessons == [c.lessons[1], c.lessons[0]], hits
    by_id = {h["id"]: h for h in hits}
    assert by_id[c.lessons[1]]["rank"] > by_id[c.lessons[0]]["rank"]
    h = by_id[c.lessons[0]]
    assert h["title"] == "Routing basics"
    assert h["course"] == {"id": c.id, "title": c.title}
    assert "<mark>quokkafjord</mark>" in h["snippet"].lower()


def test_search_finds_courses_by_title_and_summary(ins, student):
    n = next(_seq)
    c = build_course(ins, ["Inside"], title=f"Vexillology primer {n}",
                     summary="Flags and banners, with marmalisk examples.")
    hits = search_hits(student, "vexillology")
    assert c.id in hit_ids(hits, "course"), hits
    hits = search_hits(student, "marmalisk")
    course = [h for h in hits if h["type"] == "course" and h["id"] == c.id]
    assert course, hits
    assert course[0]["course"] == {"id": c.id, "title": c.title}
    assert "<mark>marmalisk</mark>" in course[0]["snippet"]


@pytest.fixture(scope="module")
def subnetting(ins):
    return build_course(ins, [{
        "title": "Subnetting with CIDR",
        "markdown": "Split a network into smaller networks with masks."}])


@pytest.mark.parametrize("q", ["subnetting", "subneting", "subnettting",
                               "Subnetting CIDR"])
def test_search_tolerates_misspellings(subnetting, student, q):
    hits = search_hits(student, q)
    assert subnetting.lessons[0] in hit_ids(hits, "lesson"), (q, hits)


@pytest.mark.parametrize("q", ["sesquipedalan", "sesquipedallian",
                               "Sesquipedalians"])
def test_search_corrects_a_typo_to_the_catalogs_word(ins, student, q):
    """The misspelled word matches the lesson that has the right one, and
    the title match still ranks first."""
    c = build_course(ins, [
        {"title": "Sesquipedalian words",
         "markdown": "Long ones."},
        {"title": "Short words",
         "markdown": "Nothing sesquipedalian here."},
        {"title": "Unrelated", "markdown": "Pedal bikes."},
    ])
    hits = hit_ids(search_hits(student, q), "lesson")
    assert [h for h in hits if h in c.lessons] == c.lessons[:2], (q, hits)


def test_search_needs_every_word(ins, student):
    c = build_course(ins, [
        {"title": "Gallimaufry of ports", "markdown": "One word."},
        {"title": "Gallimaufry of zeugmas", "markdown": "Both words."},
    ])
    hits = hit_ids(search_hits(student, "galimaufry zeugma"), "lesson")
    assert [h for h in hits if h in c.lessons] == [c.lessons[1]], hits


@pytest.mark.parametrize("q", [
    "!!!!", "..,,;;", "the of and a an", " ".join(["network"] * 50),
    " ".join(f"w{i}x" for i in range(50)), "subnet " * 28, "a" * 200,
    "-" * 200, "x:* & | ! <-> ()", "\u0001\u0002 marks", "ünïcödé wörds",
], ids=["bangs", "punctuation", "stop-words", "50-same", "50-words",
        "200-chars", "one-long-word", "dashes", "operators", "controls",
        "unicode"])
def test_search_odd_text_is_no_error(student, q):
    r = search(student, q[:200])
    assert r.status == 200, r
    assert isinstance(r.json["items"], list)


def test_search_snippet_marks_matches_and_escapes_the_rest(ins, student):
    c = build_course(ins, [{
        "title": "Comparisons",
        "markdown": "When x < y & z > w the zanzibarite rule applies, "
                    "\"quoted\" and 'single'."}])
    hits = [h for h in search_hits(student, "zanzibarite")
            if h["id"] == c.lessons[0]]
    assert hits, c
    snippet = hits[0]["snippet"]
    assert "<mark>zanzibarite</mark>" in snippet
    assert "&lt;" in snippet and "&gt;" in snippet and "&amp;" in snippet
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_search_snippet_never_carries_markup(ins, student):
    c = build_course(ins, [{
        "title": "Hostile",
        "markdown": "Hello <script>alert(1)</script> <b>bold</b> "
                    "<img src=x onerror=alert(2)> the glimmerquartz end."}])
    hits = [h for h in search_hits(student, "glimmerquartz")
            if h["id"] == c.lessons[0]]
    assert hits
    snippet = hits[0]["snippet"]
    assert "<mark>glimmerquartz</mark>" in snippet
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks, snippet


def test_search_snippet_shows_tags_escaped(ins, student):
    c = build_course(ins, [{
        "title": "Script tags",
        "markdown": "Hello <script>alert(1)</script> the ferroglyph end."}])
    hits = [h for h in search_hits(student, "ferroglyph")
            if h["id"] == c.lessons[0]]
    assert hits
    assert "&lt;script&gt;" in hits[0]["snippet"], hits[0]["snippet"]


def test_search_snippet_marks_are_always_balanced(ins, student):
    """The characters the snippet marks are made from, stored in a lesson,
    come out as nothing: every <mark> is closed, and nothing else is
    markup."""
    c = build_course(ins, [{
        "title": "Control characters",
        "markdown": "Start \u0001 and \u0002 stray \u0002\u0001 marks "
                    "around the quillhammer word \u0001 end."}])
    hits = [h for h in search_hits(student, "quillhammer")
            if h["id"] == c.lessons[0]]
    assert hits, c
    snippet = hits[0]["snippet"]
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1, snippet
    assert "<mark>quillhammer</mark>" in snippet
    assert "\u0001" not in snippet and "\u0002" not in snippet
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_search_finds_drafts_only_for_those_who_may_edit(server, ins, admin,
                                                         student):
    pub = build_course(ins, [{"title": "Open", "markdown": "plumbagoid one"},
                             {"title": "Hidden",
                              "markdown": "plumbagoid two"}], draft={1})
    dc = build_course(ins, [{"title": "Unreleased",
                             "markdown": "plumbagoid three"}],
                      publish=False, title=f"Plumbagoid draft {next(_seq)}")
    stranger = new_user(server, "instructor")
    visible = {pub.lessons[0]}
    everything = {pub.lessons[0], pub.lessons[1], dc.lessons[0], dc.id}
    for who, want in ((student, visible), (stranger, visible),
                      (ins, everything), (admin, everything)):
        got = set(hit_ids(search_hits(who, "plumbagoid")))
        assert got & everything == want, who.login


def test_search_never_finds_another_orgs_content(server, admin, student):
    org = new_org(server)
    teacher = new_user(server, "instructor", org)
    c = build_course(teacher, [{"title": "Abroad",
                                "markdown": "the tamborskelp protocol"}],
                     title=f"Tamborskelp {next(_seq)}")
    local = new_user(server, org=org)
    assert set(hit_ids(search_hits(local, "tamborskelp"))) == \
        {c.lessons[0], c.id}
    for who in (student, admin):
        assert search_hits(who, "tamborskelp") == []
        assert search_hits(who, "tamborskelps") == []


@pytest.mark.parametrize("params", [
    {}, {"q": ""}, {"q": "a"}, {"q": "\u00fc"}, {"q": "x" * 201},
    {"q": "\u00fc" * 201},
], ids=["missing", "empty", "one", "one-umlaut", "201", "201-umlauts"])
def test_search_q_length_is_checked(student, params):
    assert_invalid(student.get("/api/v1/search" + qs(**params)), "q")


@pytest.mark.parametrize("q", ["ab", "\u00fc\u00fc", "x" * 200,
                               "\u00fc" * 200])
def test_search_q_at_the_bounds_is_accepted(student, q):
    r = search(student, q)
    assert r.status == 200, r
    assert r.json["query"] == q
    assert isinstance(r.json["items"], list)


@pytest.mark.parametrize("q", ["!!", "a & b", "' OR 1=1 --", "<script>",
                               "()", '""', "-foo", "x:*", "a\\b", "%_"])
def test_search_takes_any_text(student, q):
    r = search(student, q)
    assert r.status == 200, r
    assert r.json["query"] == q


def test_search_q_that_is_not_utf8_is_not_an_error(student):
    r = student.get("/api/v1/search?q=%FF%FEab")
    assert r.status in (200, 422), r
    if r.status == 200:
        r.body.decode("utf-8")  # valid UTF-8 back


@pytest.mark.parametrize("limit", ["0", "51", "x", "-1"])
def test_search_limit_bounds(student, limit):
    assert_invalid(search(student, "network", limit=limit), "limit")


def test_search_limit_caps_the_hits(ins, student):
    build_course(ins, [{"title": f"Lemniscate {i}",
                        "markdown": "lemniscate curve"} for i in range(3)])
    assert len(search(student, "lemniscate", limit=2).json["items"]) == 2
    assert len(search(student, "lemniscate", limit=1).json["items"]) == 1
    assert len(search(student, "lemniscate", limit=50).json["items"]) >= 3


# ---- authorization -----------------------------------------------------------

X = "00000000-0000-4000-8000-000000000000"
LEARNER_ROUTES = [
    ("GET", "/api/v1/courses", None),
    ("GET", f"/api/v1/courses/{X}", None),
    ("POST", f"/api/v1/courses/{X}/enroll", None),
    ("DELETE", f"/api/v1/courses/{X}/enroll", None),
    ("GET", f"/api/v1/lessons/{X}", None),
    ("POST", f"/api/v1/lessons/{X}/progress", {"progress_percent": 1}),
    ("POST", f"/api/v1/lessons/{X}/complete", None),
    ("POST", f"/api/v1/lessons/{X}/sessions", None),
    ("PUT", f"/api/v1/lessons/{X}/bookmark", {"note": "x"}),
    ("DELETE", f"/api/v1/lessons/{X}/bookmark", None),
    ("POST", f"/api/v1/learning-sessions/{X}/heartbeat", None),
    ("POST", f"/api/v1/learning-sessions/{X}/end", None),
    ("GET", "/api/v1/me/bookmarks", None),
    ("GET", "/api/v1/search?q=network", None),
]


@pytest.mark.parametrize("method, path, body", LEARNER_ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in LEARNER_ROUTES])
def test_anonymous_is_401_on_learner_routes(server, method, path, body):
    assert_problem(server.request(method, path, body), 401,
                   "unauthenticated")
    r = server.request(method, path, body,
                       {"Authorization": "Bearer not-a-real-token"})
    assert_problem(r, 401, "unauthenticated")


@pytest.mark.parametrize("role", ["student", "instructor", "admin"])
def test_every_role_may_learn(server, ins, role):
    c = build_course(ins, ["First", "Second"])
    me = new_user(server, role)
    assert c.id in catalog_ids(me, limit=100)
    assert me.get(f"/api/v1/courses/{c.id}").status == 200
    assert enroll(me, c.id).status == 201
    assert me.get(f"/api/v1/lessons/{c.lessons[0]}").status == 200
    sid = start(me, c.lessons[0]).json["id"]
    assert heartbeat(me, sid).status == 200
    assert progress(me, c.lessons[0], {"progress_percent": 50}).status == 200
    r = complete(me, c.lessons[0])
    assert r.status == 200 and r.json["newly_completed"] is True
    assert r.json["enrollment"]["progress_percent"] == 50
    assert end(me, sid).status == 200
    assert put_mark(me, c.lessons[1], {"note": role}).status == 200
    items = me.get("/api/v1/me/bookmarks").json["items"]
    assert [i["note"] for i in items] == [role]
    assert del_mark(me, c.lessons[1]).status == 204
    assert search(me, "second").status == 200
    assert me.request("DELETE", f"/api/v1/courses/{c.id}/enroll").status \
        == 204


def test_demo_students_can_learn(server, ins):
    c = build_course(ins, ["Demo"])
    for name in ("sarah_network", "mike_netplus", "jane_tech"):
        me = sign_in(server, name, DEMO_PW)
        r = enroll(me, c.id)
        assert r.status == 201, (name, r)
        r = complete(me, c.lessons[0])
        assert r.json["newly_completed"] is True, name
        assert r.json["enrollment"]["progress_percent"] == 100
