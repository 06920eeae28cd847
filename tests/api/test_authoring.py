"""Content authoring: courses, units and lessons, their order, publication,
soft deletion, collaborators, a lesson's earlier versions and its
prerequisites, the exam catalog, and the authorization matrix of every
route that takes the instructor role.

The tests share one server and database (the module's); each makes courses
of its own, with unique slugs and titles, so they do not depend on one
another.  The demo instructor owns most courses; other instructors are
registered and promoted with SQL, then signed in (a session carries the
role it had at sign-in).

Tests of a change that reaches PATCH /api/v1/lessons/{id} run on a server
of their own, which the test itself stops and checks: that route once sent
parameters it never set (regression: BUG_LESSON_PATCH, fixed), and a crash
must count against the test that caused it, not the whole module.
"""
import html.parser
import itertools
import json
import re
import uuid

import pytest

from conftest import (ROOT, SEEN, Client, Server, create_db, drop_db, psql)

PROBLEM = "application/problem+json"
PW = "a long secret phrase"
DEMO_PW = "password123"
_seq = itertools.count(1)

COURSE_KEYS = {"id", "slug", "title", "summary", "description", "difficulty",
               "language", "tags", "status", "published_at", "deleted_at",
               "version", "can_edit", "exam", "owner", "created_at",
               "updated_at", "units"}
LESSON_KEYS = {"id", "course", "unit_id", "kind", "title", "summary",
               "position", "estimated_minutes", "difficulty",
               "objective_codes", "content", "content_html", "status",
               "published_at", "language", "tags", "version", "can_edit",
               "deleted_at", "prerequisites", "locked"}
RANDOM_ID = "7d9f3a52-4c1e-4b8a-9f00-123456789abc"

BUG_LESSON_PATCH = (
    "BUG: PATCH /api/v1/lessons/{id} fails whenever estimated_minutes or "
    "content is left out (so nearly always): lesson_patch() declares "
    "'struct lesson_in l;' without zeroing it, and lesson_input() sets "
    "value[3] (estimated_minutes), value[6] (content) and html only when "
    "those fields are sent, so $9, $15 and $16 of lesson_update carry "
    "stack garbage (PostgreSQL: 'invalid byte sequence for encoding UTF8 "
    "... parameter $9'); the release build answers 400 bad-request, the "
    "sanitized build dies (SEGV in strlen under PQexecPrepared, from "
    "apply_query in apply_lesson_patch).  lesson_create zeroes its struct; "
    "lesson_patch (api_author.c) does not.")


# ---- helpers ---------------------------------------------------------------

def n():
    return next(_seq)


def new_slug(prefix="course"):
    return f"{prefix}-{n()}-{uuid.uuid4().hex[:6]}"


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
    assert "errors" in p, f"a 422 must name the invalid fields: {p}"
    assert {e["field"] for e in p["errors"]} == set(fields), p
    for e in p["errors"]:
        assert e["message"], p
    return p


def etag(version):
    return f'"v{version}"'


def sql(server, query):
    return psql(query, server.db)


def sign_in(server, login, password=PW):
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": login, "password": password})
    assert r.status == 200, r
    SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    return Client(server, r.json)


def new_account(server, role="student", org=None):
    """Registers an account (in org, by slug), promotes it with SQL and
    signs in (after the promotion: the session carries the role)."""
    k = n()
    name = f"author_{k:04d}_{uuid.uuid4().hex[:4]}"
    body = {"organization": org} if org else {}
    r = server.register(f"{name}@example.com", name, PW, **body)
    assert r.status == 202, r
    uid = sql(server, f"SELECT id FROM users WHERE username = '{name}'")[0][0]
    if role != "student":
        sql(server, f"UPDATE users SET role = '{role}' WHERE id = '{uid}'")
    c = sign_in(server, name)
    assert c.id == uid
    return c


def new_org(server):
    k = n()
    slug = f"author-org-{k}-{uuid.uuid4().hex[:4]}"
    sql(server, f"INSERT INTO organizations (slug, name) "
                f"VALUES ('{slug}', 'Author Org {k}')")
    return slug


class People:
    """The actors: the demo instructor owns the courses; a stranger is
    another instructor; a helper instructor becomes a collaborator; the
    demo admin and student; an admin and an instructor of another
    organization."""

    def __init__(self, server):
        self.owner = sign_in(server, "instructor", DEMO_PW)
        self.student = sign_in(server, "sarah_network", DEMO_PW)
        self.admin = sign_in(server, "admin", DEMO_PW)
        self.stranger = new_account(server, "instructor")
        self.helper = new_account(server, "instructor")
        self.other_org = new_org(server)
        self.other_admin = new_account(server, "admin", self.other_org)
        self.other_instructor = new_account(server, "instructor",
                                            self.other_org)


@pytest.fixture(scope="module")
def people(server):
    return People(server)


@pytest.fixture
def lone(tmp_path):
    """Starts servers of their own (each on its own database).  The test
    calls finish(s) itself, so a crash fails the test; whatever is left
    running is stopped (without checks) and the databases dropped."""
    made = []

    def start():
        s = Server(create_db(), tmp_path)
        made.append(s)
        return s

    yield start
    for s in made:
        try:
            s.stop()
        finally:
            drop_db(s.db)


def finish(s):
    """Stops a server of a lone test: exit 0, no sanitizer report."""
    s.stop_clean()


def create_course(who, **body):
    body.setdefault("title", f"Course {n()}")
    body.setdefault("slug", new_slug())
    r = who.request("POST", "/api/v1/courses", body)
    assert r.status == 201, r
    return r.json


def get_course(who, cid):
    r = who.get(f"/api/v1/courses/{cid}")
    assert r.status == 200, r
    return r.json


def add_unit(who, cid, title=None, **body):
    body["title"] = title or f"Unit {n()}"
    r = who.request("POST", f"/api/v1/courses/{cid}/units", body)
    assert r.status == 201, r
    unit = r.json["units"][-1]
    assert unit["title"] == body["title"]
    return unit


def add_lesson(who, uid, **body):
    body.setdefault("title", f"Lesson {n()}")
    r = who.request("POST", f"/api/v1/units/{uid}/lessons", body)
    assert r.status == 201, r
    return r.json


def get_lesson(who, lid):
    r = who.get(f"/api/v1/lessons/{lid}")
    assert r.status == 200, r
    return r.json


def tree(who, units=1, lessons=2, **course):
    """A course with units, each with lessons: (course id, [unit ids],
    [[lesson ids] per unit])."""
    c = create_course(who, **course)
    uids, lids = [], []
    for _ in range(units):
        u = add_unit(who, c["id"])
        uids.append(u["id"])
        lids.append([add_lesson(who, u["id"])["id"] for _ in range(lessons)])
    return c["id"], uids, lids


def outline_units(doc):
    return [u["id"] for u in doc["units"]]


def outline_lessons(doc):
    return {u["id"]: [l["id"] for l in u["lessons"]] for u in doc["units"]}


def publish(who, what, ident):
    r = who.request("POST", f"/api/v1/{what}/{ident}/publish")
    assert r.status == 200, r
    return r.json


def edit_in_db(server, lid, title, markdown):
    """Changes a lesson's title and content behind the API's back (the
    trigger keeps the earlier version, as a PATCH would)."""
    content = json.dumps({"markdown": markdown}).replace("'", "''")
    sql(server, f"UPDATE lessons SET title = '{title}', "
                f"content = '{content}'::jsonb, "
                f"content_html = '<p>{markdown}</p>' WHERE id = '{lid}'")


CONTENT_TABLES = ("courses", "units", "lessons", "lesson_versions",
                  "lesson_prerequisites", "course_collaborators",
                  "learning_paths", "learning_path_courses")


def content_state(server):
    """A fingerprint of every authoring table: equal before and after a
    refused request when it changed nothing."""
    q = " UNION ALL ".join(
        f"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' "
        f"ORDER BY x::text), '')) FROM {t} x" for t in CONTENT_TABLES)
    return sql(server, q)


class Tags(html.parser.HTMLParser):
    """The start tags of an HTML fragment, with their attributes decoded
    the way a browser decodes them."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def url_scheme(value):
    """The scheme a browser reads in an attribute value (already
    entity-decoded): leading spaces and control characters dropped, tabs
    and newlines ignored; "" for a relative address."""
    v = (value or "").lstrip("".join(chr(i) for i in range(0x21)))
    v = v.replace("\t", "").replace("\n", "").replace("\r", "")
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", v)
    return m.group(1).lower() if m else ""


def assert_safe_html(text):
    """No script, no event handler, and every address relative, http(s),
    a fragment, or (for links) mailto."""
    for tag, attrs in Tags(text).tags:
        assert tag not in ("script", "iframe", "object", "embed", "style"), \
            text
        for name, value in attrs.items():
            assert not name.startswith("on"), text
            if name in ("href", "src"):
                ok = {"", "http", "https"} | (
                    {"mailto"} if name == "href" else set())
                assert url_scheme(value) in ok, f"{name}={value!r} in {text}"


# ---- POST /api/v1/courses --------------------------------------------------

def test_create_answers_the_new_draft_outline(server, people):
    slug = new_slug()
    r = people.owner.request("POST", "/api/v1/courses",
                             {"title": "Routing Basics", "slug": slug})
    assert r.status == 201, r
    doc = r.json
    assert COURSE_KEYS <= set(doc)
    assert r.header("Location") == f"/api/v1/courses/{doc['id']}"
    assert r.header("ETag") == '"v1"'
    assert doc["version"] == 1
    assert doc["slug"] == slug and doc["title"] == "Routing Basics"
    assert doc["can_edit"] is True
    assert doc["status"] == "draft" and doc["published_at"] is None
    assert doc["deleted_at"] is None
    assert doc["units"] == []
    assert doc["difficulty"] == "beginner" and doc["language"] == "en"
    assert doc["tags"] == [] and doc["exam"] is None
    assert doc["summary"] is None and doc["description"] is None
    assert doc["owner"] == {"id": people.owner.id, "username": "instructor"}
    # The Location answers the same document and version.
    again = people.owner.get(r.header("Location"))
    assert again.status == 200 and again.header("ETag") == '"v1"'
    assert again.json == doc


@pytest.mark.parametrize("title,slug", [
    ("Subnetting: Deep Dive!", "subnetting-deep-dive"),
    ("  OSI -- Layers 1 & 2  ", "osi-layers-1-2"),
    ("\u00bfQu\u00e9 es IPv6?", "qu-es-ipv6"),
    ("!!! ???", "course"),
])
def test_slug_comes_from_the_title(server, people, title, slug):
    r = people.owner.request("POST", "/api/v1/courses", {"title": title})
    assert r.status == 201, r
    assert r.json["slug"] == slug
    assert r.json["title"] == title


def test_slug_from_a_long_title_is_cut_at_80_without_a_trailing_dash(
        server, people):
    title = ("ab " * 66 + "z")[:200]
    r = people.owner.request("POST", "/api/v1/courses", {"title": title})
    assert r.status == 201, r
    slug = r.json["slug"]
    assert 1 <= len(slug) <= 80 and not slug.endswith("-"), slug
    assert slug.startswith("ab-ab-ab")


def test_a_taken_slug_is_refused(server, people):
    c = create_course(people.owner)
    before = content_state(server)
    r = people.owner.request("POST", "/api/v1/courses",
                             {"title": "Another", "slug": c["slug"]})
    assert_invalid(r, "slug")
    assert content_state(server) == before
    # A slug made from the title is checked the same way.
    title = f"Taken Title {n()}"
    r = people.owner.request("POST", "/api/v1/courses", {"title": title})
    assert r.status == 201, r
    state = content_state(server)
    r = people.admin.request("POST", "/api/v1/courses", {"title": title})
    assert_invalid(r, "slug")
    assert content_state(server) == state
    # Slugs are per organization.
    r = people.other_admin.request("POST", "/api/v1/courses",
                                   {"title": "Theirs", "slug": c["slug"]})
    assert r.status == 201, r
    assert r.json["slug"] == c["slug"] and r.json["id"] != c["id"]


def test_create_with_every_field(server, people):
    tags = [f"tag-{i}" for i in range(20)]
    body = {"title": "\u00e9" * 200, "slug": new_slug(), "exam": "network",
            "summary": "s" * 500, "description": "d" * 20000,
            "difficulty": "advanced", "language": "pt-BR", "tags": tags}
    r = people.owner.request("POST", "/api/v1/courses", body)
    assert r.status == 201, r
    doc = r.json
    for k in ("title", "slug", "summary", "description", "difficulty",
              "language", "tags"):
        assert doc[k] == body[k], k
    assert doc["exam"]["code"] == "network"
    assert doc["exam"]["name"] == "CompTIA Network+"
    r = people.owner.request("POST", "/api/v1/courses",
                             {"title": "No exam", "exam": None,
                              "summary": None, "description": None})
    assert r.status == 201, r
    assert r.json["exam"] is None and r.json["summary"] is None


def _t(**kw):
    body = {"title": f"Bad {n()}"}
    body.update(kw)
    return {k: v for k, v in body.items() if v is not ...}


@pytest.mark.parametrize("body,fields", [
    (_t(slug="Bad Slug"), {"slug"}),
    (_t(slug="UPPER"), {"slug"}),
    (_t(slug="a--b"), {"slug"}),
    (_t(slug="-a"), {"slug"}),
    (_t(slug="a-"), {"slug"}),
    (_t(slug=""), {"slug"}),
    (_t(slug="a" * 81), {"slug"}),
    (_t(slug=None), {"slug"}),
    (_t(slug=5), {"slug"}),
    (_t(difficulty="expert"), {"difficulty"}),
    (_t(difficulty="Beginner"), {"difficulty"}),
    (_t(language="english"), {"language"}),
    (_t(language="EN"), {"language"}),
    (_t(language="pt-br"), {"language"}),
    (_t(language="pt_BR"), {"language"}),
    (_t(tags=["Upper"]), {"tags"}),
    (_t(tags=["two words"]), {"tags"}),
    (_t(tags=["ok", "bad--dash"]), {"tags"}),
    (_t(tags=[f"t{i}" for i in range(21)]), {"tags"}),
    (_t(tags=["a" * 41]), {"tags"}),
    (_t(tags="subnetting"), {"tags"}),
    (_t(tags=[1]), {"tags"}),
    (_t(title="   "), {"title"}),
    (_t(title=""), {"title"}),
    (_t(title="x" * 201), {"title"}),
    (_t(title=None), {"title"}),
    (_t(title=...), {"title"}),
    (_t(title=7), {"title"}),
    (_t(summary="s" * 501), {"summary"}),
    (_t(description="d" * 20001), {"description"}),
    (_t(exam=12), {"exam"}),
    (_t(colour="red"), {"colour"}),
    (_t(status="published"), {"status"}),
    (_t(owner_id=RANDOM_ID), {"owner_id"}),
    ({"slug": "Bad", "difficulty": "hard", "x": 1}, {"title", "slug",
                                                     "difficulty", "x"}),
], ids=itertools.count())
def test_create_refuses_bad_fields(server, people, body, fields):
    before = content_state(server)
    r = people.owner.request("POST", "/api/v1/courses", body)
    assert_invalid(r, *fields)
    assert content_state(server) == before


@pytest.mark.parametrize("raw", ["[]", '[{"title": "x"}]'])
def test_create_refuses_a_body_that_is_not_an_object(server, people, raw):
    r = people.owner.request("POST", "/api/v1/courses", raw,
                             {"Content-Type": "application/json"})
    # The body as a whole, and the title it therefore lacks.
    assert_invalid(r, "", "title")


@pytest.mark.parametrize("raw", ['"a course"', "5", "null", "true", "{",
                                 ""])
def test_create_refuses_a_body_that_is_not_a_json_document(server, people,
                                                           raw):
    before = content_state(server)
    r = people.owner.request("POST", "/api/v1/courses", raw,
                             {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")
    assert content_state(server) == before


def test_create_refuses_an_unknown_exam(server, people):
    before = content_state(server)
    r = people.owner.request("POST", "/api/v1/courses",
                             {"title": "Exam nope", "exam": "nope"})
    p = assert_invalid(r, "exam")
    assert "exam" in p["errors"][0]["message"]
    assert content_state(server) == before


def test_create_needs_json(server, people):
    r = people.owner.request("POST", "/api/v1/courses", "title=x",
                             {"Content-Type": "text/plain"})
    assert_problem(r, 415, "unsupported-media-type")


def test_create_needs_an_instructor(server, people):
    before = content_state(server)
    body = {"title": "Not mine", "slug": new_slug()}
    assert_problem(people.student.request("POST", "/api/v1/courses", body),
                   403, "forbidden")
    assert_problem(server.request("POST", "/api/v1/courses", body),
                   401, "unauthenticated")
    assert content_state(server) == before


# ---- PATCH /api/v1/courses/{id} -----------------------------------------

def test_patch_changes_the_given_fields_only(server, people):
    c = create_course(people.owner, summary="keep me", tags=["a"])
    slug = new_slug()
    body = {"title": "Renamed", "slug": slug, "difficulty": "intermediate",
            "language": "de", "tags": ["ipv4", "subnetting"],
            "description": "Long text", "exam": "security"}
    r = people.owner.request("PATCH", f"/api/v1/courses/{c['id']}", body)
    assert r.status == 200, r
    assert r.header("ETag") == '"v2"'
    doc = r.json
    assert doc["version"] == 2
    for k in ("title", "slug", "difficulty", "language", "tags",
              "description"):
        assert doc[k] == body[k], k
    assert doc["exam"]["code"] == "security"
    assert doc["summary"] == "keep me"
    assert get_course(people.owner, c["id"]) == doc
    # null clears the nullable ones.
    r = people.owner.request("PATCH", f"/api/v1/courses/{c['id']}",
                             {"exam": None, "summary": None, "tags": []})
    assert r.status == 200, r
    assert r.json["exam"] is None and r.json["summary"] is None
    assert r.json["tags"] == [] and r.json["title"] == "Renamed"


def test_patch_with_if_match(server, people):
    cid = create_course(people.owner, title="Version One")["id"]
    url = f"/api/v1/courses/{cid}"
    r = people.owner.request("PATCH", url, {"title": "Version Two"},
                             {"If-Match": '"v1"'})
    assert r.status == 200, r
    assert r.header("ETag") == '"v2"' and r.json["version"] == 2
    # The old ETag is stale now: 412 with the current one, nothing changed.
    before = content_state(server)
    r = people.owner.request("PATCH", url, {"title": "Lost update"},
                             {"If-Match": '"v1"'})
    assert_problem(r, 412, "stale-version")
    assert r.header("ETag") == '"v2"'
    assert content_state(server) == before
    doc = get_course(people.owner, cid)
    assert doc["title"] == "Version Two" and doc["version"] == 2
    # A version from the future is no better.
    r = people.owner.request("PATCH", url, {"title": "Future"},
                             {"If-Match": '"v9"'})
    assert_problem(r, 412, "stale-version")
    # A weak validator of the current version is accepted.
    r = people.owner.request("PATCH", url, {"title": "Version Three"},
                             {"If-Match": 'W/"v2"'})
    assert r.status == 200, r
    assert r.header("ETag") == '"v3"'


@pytest.mark.parametrize("header", ["abc", "v1", '"v"', '"v0"', '"v-1"',
                                    '"1"', '"v1', 'v1"', '"v1x"', '""'])
def test_patch_with_a_malformed_if_match_is_refused(server, people, header):
    cid = create_course(people.owner)["id"]
    before = content_state(server)
    r = people.owner.request("PATCH", f"/api/v1/courses/{cid}",
                             {"title": "Never"}, {"If-Match": header})
    assert_problem(r, 412, "stale-version")
    assert r.header("ETag") == '"v1"'
    assert content_state(server) == before


def test_patch_without_if_match_the_last_write_wins(server, people):
    cid = create_course(people.owner)["id"]
    url = f"/api/v1/courses/{cid}"
    for i in range(3):
        r = people.owner.request("PATCH", url, {"title": f"Write {i}"})
        assert r.status == 200, r
        assert r.header("ETag") == etag(i + 2)
    assert get_course(people.owner, cid)["title"] == "Write 2"


@pytest.mark.parametrize("body,fields", [
    ({"slug": None}, {"slug"}),
    ({"slug": "Not A Slug"}, {"slug"}),
    ({"title": None}, {"title"}),
    ({"title": "  \t "}, {"title"}),
    ({"title": "x" * 201}, {"title"}),
    ({"difficulty": None}, {"difficulty"}),
    ({"difficulty": "hard"}, {"difficulty"}),
    ({"language": None}, {"language"}),
    ({"language": "xx-x"}, {"language"}),
    ({"tags": None}, {"tags"}),
    ({"tags": ["Caps"]}, {"tags"}),
    ({"exam": "nope"}, {"exam"}),
    ({"status": "published"}, {"status"}),
    ({"version": 7}, {"version"}),
    ({"title": "", "tags": "x", "what": 1}, {"title", "tags", "what"}),
], ids=itertools.count())
def test_patch_refuses_bad_fields(server, people, body, fields):
    c = create_course(people.owner)
    before = content_state(server)
    r = people.owner.request("PATCH", f"/api/v1/courses/{c['id']}", body)
    assert_invalid(r, *fields)
    assert content_state(server) == before


def test_patch_to_a_taken_slug_is_refused(server, people):
    a = create_course(people.owner)
    b = create_course(people.owner)
    before = content_state(server)
    r = people.owner.request("PATCH", f"/api/v1/courses/{b['id']}",
                             {"slug": a["slug"]})
    assert_invalid(r, "slug")
    assert content_state(server) == before
    # Its own slug is no conflict.
    r = people.owner.request("PATCH", f"/api/v1/courses/{b['id']}",
                             {"slug": b["slug"]})
    assert r.status == 200, r


def test_patch_by_others(server, people):
    cid = create_course(people.owner, title="Owned")["id"]
    url = f"/api/v1/courses/{cid}"
    before = content_state(server)
    assert_problem(people.stranger.request("PATCH", url, {"title": "Mine"}),
                   403, "forbidden")
    assert_problem(people.student.request("PATCH", url, {"title": "Mine"}),
                   403, "forbidden")
    assert_problem(server.request("PATCH", url, {"title": "Mine"}),
                   401, "unauthenticated")
    assert_problem(people.other_admin.request("PATCH", url,
                                              {"title": "Mine"}),
                   404, "not-found")
    assert content_state(server) == before
    # The stranger may not read the draft either.
    assert_problem(people.stranger.get(url), 404, "not-found")
    # An admin of the organization may change it.
    r = people.admin.request("PATCH", url, {"title": "Admin's"})
    assert r.status == 200, r
    assert r.json["title"] == "Admin's" and r.json["can_edit"] is True
    assert r.json["owner"]["id"] == people.owner.id


def test_a_collaborator_may_edit_until_removed(server, people):
    cid = create_course(people.owner, title="Shared")["id"]
    url = f"/api/v1/courses/{cid}"
    helper = people.helper
    assert_problem(helper.request("PATCH", url, {"title": "Try"}), 403,
                   "forbidden")
    r = people.owner.request("POST", f"{url}/collaborators",
                             {"user_id": helper.id})
    assert r.status == 200, r
    assert r.json["id"] == cid
    # Adding again is fine.
    r = people.owner.request("POST", f"{url}/collaborators",
                             {"user_id": helper.id})
    assert r.status == 200, r
    doc = get_course(helper, cid)
    assert doc["can_edit"] is True and doc["status"] == "draft"
    r = helper.request("PATCH", url, {"title": "Helped"})
    assert r.status == 200, r
    assert r.json["title"] == "Helped"
    uid = add_unit(helper, cid, "Helper's unit")["id"]
    add_lesson(helper, uid, title="Helper's lesson")
    # Removing takes the right away (and the draft out of sight).
    r = people.owner.request("DELETE", f"{url}/collaborators/{helper.id}")
    assert r.status == 200, r
    before = content_state(server)
    assert_problem(helper.request("PATCH", url, {"title": "Again"}), 403,
                   "forbidden")
    assert_problem(helper.request("POST", f"{url}/units", {"title": "U"}),
                   403, "forbidden")
    assert_problem(helper.get(url), 404, "not-found")
    assert content_state(server) == before
    # Removing again: not a collaborator.
    assert_problem(people.owner.request(
        "DELETE", f"{url}/collaborators/{helper.id}"), 404, "not-found")
    assert_problem(people.owner.request(
        "DELETE", f"{url}/collaborators/not-a-uuid"), 404, "not-found")


def test_a_reviewer_reads_the_drafts_and_changes_nothing(server, people):
    cid, (uid,), ((lid, _),) = tree(people.owner)
    url = f"/api/v1/courses/{cid}"
    helper = people.helper
    # Added by username, as a reviewer: the draft and its lessons are
    # theirs to read, not to change.
    r = people.owner.request("POST", f"{url}/collaborators",
                             {"login": helper.user["username"],
                              "role": "reviewer"})
    assert r.status == 200, r
    doc = get_course(helper, cid)
    assert doc["status"] == "draft" and doc["can_edit"] is False
    assert doc["can_review"] is True
    assert [(c["id"], c["role"]) for c in doc["collaborators"]] == [
        (helper.id, "reviewer")]
    assert helper.get(f"/api/v1/lessons/{lid}").status == 200
    before = content_state(server)
    assert_problem(helper.request("PATCH", url, {"title": "Mine"}), 403,
                   "forbidden")
    assert_problem(helper.request("POST", f"{url}/units", {"title": "U"}),
                   403, "forbidden")
    assert_problem(helper.request("PATCH", f"/api/v1/lessons/{lid}",
                                  {"title": "Mine"}), 403, "forbidden")
    assert_problem(helper.request("POST", f"{url}/collaborators",
                                  {"user_id": people.admin.id}), 403,
                   "forbidden")
    assert content_state(server) == before
    # Among the course's authors where it meets its learners: its forum.
    assert helper.get(f"/api/v1/forum?course={cid}").json["role"] == "staff"
    # By email, as an editor now: the same collaborator, another role.
    email = sql(server, f"SELECT email FROM users WHERE id = "
                        f"'{helper.id}'")[0][0]
    r = people.owner.request("POST", f"{url}/collaborators",
                             {"login": email.upper(), "role": "editor"})
    assert r.status == 200, r
    assert get_course(helper, cid)["collaborators"][0]["role"] == "editor"
    assert helper.request("PATCH", url, {"title": "Helped"}).status == 200
    assert sql(server, f"SELECT action, old_values->>'role', "
                       f"new_values->>'role' FROM audit_events WHERE "
                       f"entity_id = '{cid}' AND action LIKE "
                       f"'course.collaborator%' ORDER BY occurred_at") == [
        ["course.collaborator_added", "", "reviewer"],
        ["course.collaborator_changed", "reviewer", "editor"]]
    # Learners do not see who works on a course.
    assert "collaborators" not in people.student.get(url).json or \
        people.student.get(url).status == 404


def test_a_collaborator_is_an_instructor_or_admin_of_my_organization(
        server, people):
    cid = create_course(people.owner)["id"]
    url = f"/api/v1/courses/{cid}/collaborators"
    before = content_state(server)
    for body, fields in [
            ({"user_id": people.student.id}, {"user_id"}),
            ({"user_id": people.other_instructor.id}, {"user_id"}),
            ({"user_id": people.other_admin.id}, {"user_id"}),
            ({"user_id": RANDOM_ID}, {"user_id"}),
            ({"user_id": "not-a-uuid"}, {"user_id"}),
            ({"user_id": "x" * 36}, {"user_id"}),
            ({"user_id": None}, {"user_id"}),
            ({}, {"user_id"}),
            ({"user_id": people.helper.id, "role": "owner"}, {"role"}),
            ({"login": people.student.user["username"]}, {"login"}),
            ({"login": "nobody-at-all"}, {"login"}),
            ({"user_id": people.helper.id,
              "login": people.helper.user["username"]}, {"login"}),
            ({"user_id": people.helper.id, "rank": "editor"}, {"rank"})]:
        assert_invalid(people.owner.request("POST", url, body), *fields)
    assert content_state(server) == before
    # An admin of the organization qualifies.
    r = people.owner.request("POST", url, {"user_id": people.admin.id})
    assert r.status == 200, r


def test_a_course_of_another_organization_is_not_found(server, people):
    cid, (uid,), ((lid, _),) = tree(people.owner)
    publish(people.owner, "courses", cid)
    publish(people.owner, "lessons", lid)
    other = people.other_admin
    before = content_state(server)
    assert_problem(other.get(f"/api/v1/courses/{cid}"), 404, "not-found")
    assert_problem(other.get(f"/api/v1/lessons/{lid}"), 404, "not-found")
    assert_problem(other.request("PATCH", f"/api/v1/courses/{cid}",
                                 {"title": "Taken over"}), 404, "not-found")
    for action in ("publish", "unpublish", "restore"):
        assert_problem(other.request(
            "POST", f"/api/v1/courses/{cid}/{action}"), 404, "not-found")
    assert_problem(other.request("DELETE", f"/api/v1/courses/{cid}"), 404,
                   "not-found")
    assert_problem(other.request("PATCH", f"/api/v1/units/{uid}",
                                 {"title": "x"}), 404, "not-found")
    assert_problem(other.request("POST", f"/api/v1/units/{uid}/lessons",
                                 {"title": "x"}), 404, "not-found")
    assert content_state(server) == before
    # Nor is it in their catalog.
    r = other.get("/api/v1/courses?status=all&limit=100")
    assert r.status == 200, r
    assert cid not in {i["id"] for i in r.json["items"]}


@pytest.mark.parametrize("path", [f"/api/v1/courses/{RANDOM_ID}",
                                  "/api/v1/courses/not-a-uuid",
                                  "/api/v1/courses/" + RANDOM_ID[:-1]])
def test_patch_an_unknown_course_is_not_found(server, people, path):
    assert_problem(people.owner.request("PATCH", path, {"title": "x"}), 404,
                   "not-found")
    assert_problem(people.owner.get(path), 404, "not-found")


# ---- publication and deletion ---------------------------------------------

def test_publish_and_unpublish_a_course(server, people):
    cid, _, ((lid, _),) = tree(people.owner, title="Going Public")
    url = f"/api/v1/courses/{cid}"
    publish(people.owner, "lessons", lid)
    assert_problem(people.student.get(url), 404, "not-found")
    r = people.owner.request("POST", f"{url}/publish")
    assert r.status == 200, r
    assert r.json["status"] == "published" and r.json["published_at"]
    # Adding the unit and the lesson moved the version on too.
    assert r.header("ETag") == etag(r.json["version"])
    assert r.json["version"] >= 2
    first = r.json["published_at"]
    doc = get_course(people.student, cid)
    assert doc["can_edit"] is False and doc["status"] == "published"
    r = people.student.get("/api/v1/courses?limit=100")
    assert cid in {i["id"] for i in r.json["items"]}
    # Publishing again keeps the first date.
    r = people.owner.request("POST", f"{url}/publish")
    assert r.status == 200 and r.json["published_at"] == first
    r = people.owner.request("POST", f"{url}/unpublish")
    assert r.status == 200, r
    assert r.json["status"] == "draft" and r.json["published_at"] is None
    assert_problem(people.student.get(url), 404, "not-found")
    assert_problem(people.student.get(f"/api/v1/lessons/{lid}"), 404,
                   "not-found")
    r = people.student.get("/api/v1/courses?limit=100")
    assert cid not in {i["id"] for i in r.json["items"]}


def test_a_deleted_course_is_gone_until_restored(server, people):
    cid, (uid,), ((lid, _),) = tree(people.owner, title="Doomed")
    url = f"/api/v1/courses/{cid}"
    publish(people.owner, "courses", cid)
    publish(people.owner, "lessons", lid)
    assert get_course(people.student, cid)["status"] == "published"
    r = people.owner.request("DELETE", url)
    assert r.status == 200, r
    assert r.json["deleted_at"] is not None
    version = r.json["version"]
    assert_problem(people.student.get(url), 404, "not-found")
    assert_problem(people.student.get(f"/api/v1/lessons/{lid}"), 404,
                   "not-found")
    for who in (people.student, people.owner):
        r = who.get("/api/v1/courses?status=all&limit=100")
        assert cid not in {i["id"] for i in r.json["items"]}
    before = content_state(server)
    assert_problem(people.owner.request("PATCH", url, {"title": "Zombie"}),
                   404, "not-found")
    assert_problem(people.owner.request("DELETE", url), 404, "not-found")
    assert_problem(people.owner.request("POST", f"{url}/publish"), 404,
                   "not-found")
    assert_problem(people.owner.request("POST", f"{url}/units",
                                        {"title": "More"}), 404, "not-found")
    assert_problem(people.admin.request("PATCH", url, {"title": "Zombie"}),
                   404, "not-found")
    assert content_state(server) == before
    # Its editors still see it, marked deleted, so they can restore it.
    doc = get_course(people.owner, cid)
    assert doc["deleted_at"] is not None and doc["can_edit"] is True
    r = people.owner.request("POST", f"{url}/restore")
    assert r.status == 200, r
    assert r.json["deleted_at"] is None and r.json["version"] == version + 1
    assert r.header("ETag") == etag(version + 1)
    doc = get_course(people.student, cid)
    assert outline_lessons(doc)[uid] == [lid]
    r = people.owner.request("PATCH", url, {"title": "Back"})
    assert r.status == 200 and r.json["title"] == "Back"
    # Stale If-Match on a delete is refused too.
    r = people.owner.request("DELETE", url, headers={"If-Match": '"v1"'})
    assert_problem(r, 412, "stale-version")
    assert get_course(people.student, cid)["title"] == "Back"


def test_students_never_see_drafts(server, people):
    cid, (uid,), ((draft, shown),) = tree(people.owner, title="Mixed")
    publish(people.owner, "courses", cid)
    publish(people.owner, "lessons", shown)
    for who in (people.student, people.stranger):
        doc = get_course(who, cid)
        assert doc["can_edit"] is False
        assert outline_lessons(doc) == {uid: [shown]}
        assert_problem(who.get(f"/api/v1/lessons/{draft}"), 404, "not-found")
        assert get_lesson(who, shown)["can_edit"] is False
    doc = get_course(people.owner, cid)
    assert doc["can_edit"] is True
    assert outline_lessons(doc) == {uid: [draft, shown]}
    statuses = [l["status"] for l in doc["units"][0]["lessons"]]
    assert statuses == ["draft", "published"]
    lesson = get_lesson(people.owner, draft)
    assert lesson["can_edit"] is True and lesson["status"] == "draft"
    assert get_lesson(people.admin, draft)["can_edit"] is True


def test_a_published_lesson_of_a_draft_course_is_hidden(server, people):
    cid, _, ((lid, _),) = tree(people.owner)
    publish(people.owner, "lessons", lid)
    assert_problem(people.student.get(f"/api/v1/lessons/{lid}"), 404,
                   "not-found")
    assert_problem(people.student.get(f"/api/v1/courses/{cid}"), 404,
                   "not-found")


def test_lesson_publication_and_deletion(server, people):
    cid, (uid,), ((lid, other),) = tree(people.owner)
    publish(people.owner, "courses", cid)
    url = f"/api/v1/lessons/{lid}"
    r = people.owner.request("POST", f"{url}/publish")
    assert r.status == 200, r
    assert r.json["status"] == "published" and r.json["published_at"]
    assert r.header("ETag") == '"v2"' and r.json["version"] == 2
    assert get_lesson(people.student, lid)["status"] == "published"
    r = people.owner.request("POST", f"{url}/unpublish")
    assert r.status == 200, r
    assert r.json["status"] == "draft" and r.json["published_at"] is None
    assert_problem(people.student.get(url), 404, "not-found")
    publish(people.owner, "lessons", lid)
    r = people.owner.request("DELETE", url)
    assert r.status == 200, r
    assert r.json["deleted_at"] is not None
    assert_problem(people.student.get(url), 404, "not-found")
    assert outline_lessons(get_course(people.owner, cid)) == {uid: [other]}
    assert outline_lessons(get_course(people.student, cid)) == {uid: []}
    before = content_state(server)
    assert_problem(people.owner.request("PATCH", url, {"title": "x"}), 404,
                   "not-found")
    assert_problem(people.owner.request("POST", f"{url}/publish"), 404,
                   "not-found")
    assert_problem(people.owner.request("DELETE", url), 404, "not-found")
    assert content_state(server) == before
    r = people.owner.request("POST", f"{url}/restore")
    assert r.status == 200, r
    assert r.json["deleted_at"] is None and r.json["status"] == "published"
    assert get_lesson(people.student, lid)["id"] == lid
    assert outline_lessons(get_course(people.student, cid)) == {uid: [lid]}


@pytest.mark.parametrize("action", ["publish", "unpublish", "restore",
                                    "versions", "prerequisites", "delete"])
def test_lesson_routes_on_an_unknown_lesson(server, people, action):
    for lid in (RANDOM_ID, "nope"):
        url = f"/api/v1/lessons/{lid}"
        if action == "versions":
            r = people.owner.get(f"{url}/versions")
        elif action == "prerequisites":
            r = people.owner.request("PUT", f"{url}/prerequisites",
                                     {"lesson_ids": []})
        elif action == "delete":
            r = people.owner.request("DELETE", url)
        else:
            r = people.owner.request("POST", f"{url}/{action}")
        assert_problem(r, 404, "not-found")


# ---- units ------------------------------------------------------------------

def test_units_are_appended(server, people):
    cid = create_course(people.owner)["id"]
    r = people.owner.request("POST", f"/api/v1/courses/{cid}/units",
                             {"title": "First", "summary": "one"})
    assert r.status == 201, r
    assert r.header("ETag") == etag(r.json["version"])
    assert r.json["id"] == cid
    add_unit(people.owner, cid, "Second")
    add_unit(people.owner, cid, "Third", summary=None)
    units = get_course(people.owner, cid)["units"]
    assert [(u["title"], u["position"]) for u in units] == [
        ("First", 0), ("Second", 1), ("Third", 2)]
    assert units[0]["summary"] == "one" and units[2]["summary"] is None
    assert all(u["lessons"] == [] for u in units)


@pytest.mark.parametrize("body,fields", [
    ({}, {"title"}),
    ({"title": None}, {"title"}),
    ({"title": ""}, {"title"}),
    ({"title": "   "}, {"title"}),
    ({"title": "x" * 201}, {"title"}),
    ({"title": 3}, {"title"}),
    ({"title": "ok", "summary": "s" * 501}, {"summary"}),
    ({"title": "ok", "position": 0}, {"position"}),
    ({"summary": 5}, {"title", "summary"}),
], ids=itertools.count())
def test_unit_create_refuses_bad_fields(server, people, body, fields):
    cid = create_course(people.owner)["id"]
    before = content_state(server)
    r = people.owner.request("POST", f"/api/v1/courses/{cid}/units", body)
    assert_invalid(r, *fields)
    assert content_state(server) == before


def test_unit_create_on_an_unknown_course(server, people):
    for cid in (RANDOM_ID, "x"):
        r = people.owner.request("POST", f"/api/v1/courses/{cid}/units",
                                 {"title": "Orphan"})
        assert_problem(r, 404, "not-found")


def test_patch_a_unit(server, people):
    cid = create_course(people.owner)["id"]
    uid = add_unit(people.owner, cid, "Before", summary="sum")["id"]
    r = people.owner.request("PATCH", f"/api/v1/units/{uid}",
                             {"title": "After"})
    assert r.status == 200, r
    assert r.json["units"][0]["title"] == "After"
    assert r.json["units"][0]["summary"] == "sum"
    r = people.owner.request("PATCH", f"/api/v1/units/{uid}",
                             {"summary": None})
    assert r.status == 200, r
    unit = get_course(people.owner, cid)["units"][0]
    assert unit["title"] == "After" and unit["summary"] is None
    before = content_state(server)
    for body, fields in [({"title": None}, {"title"}),
                         ({"title": "  "}, {"title"}),
                         ({"title": "x" * 201}, {"title"}),
                         ({"summary": "s" * 501}, {"summary"}),
                         ({"position": 3}, {"position"})]:
        assert_invalid(people.owner.request(
            "PATCH", f"/api/v1/units/{uid}", body), *fields)
    assert_problem(people.stranger.request(
        "PATCH", f"/api/v1/units/{uid}", {"title": "Mine"}), 403, "forbidden")
    for bad in (RANDOM_ID, "zzz"):
        assert_problem(people.owner.request(
            "PATCH", f"/api/v1/units/{bad}", {"title": "x"}), 404,
            "not-found")
    assert content_state(server) == before


def test_delete_a_unit_takes_its_lessons_out_of_the_outline(server, people):
    cid, (u1, u2), (l1, l2) = tree(people.owner, units=2, lessons=2)
    publish(people.owner, "courses", cid)
    for lid in l1 + l2:
        publish(people.owner, "lessons", lid)
    r = people.owner.request("DELETE", f"/api/v1/units/{u1}")
    assert r.status == 200, r
    assert outline_lessons(r.json) == {u2: l2}
    assert outline_lessons(get_course(people.owner, cid)) == {u2: l2}
    assert outline_lessons(get_course(people.student, cid)) == {u2: l2}
    for lid in l1:
        assert_problem(people.student.get(f"/api/v1/lessons/{lid}"), 404,
                       "not-found")
        assert get_lesson(people.owner, lid)["deleted_at"] is not None
    before = content_state(server)
    assert_problem(people.owner.request("PATCH", f"/api/v1/units/{u1}",
                                        {"title": "x"}), 404, "not-found")
    assert_problem(people.owner.request("DELETE", f"/api/v1/units/{u1}"),
                   404, "not-found")
    assert_problem(people.owner.request(
        "POST", f"/api/v1/units/{u1}/lessons", {"title": "x"}), 404,
        "not-found")
    assert_problem(people.owner.request(
        "PUT", f"/api/v1/units/{u1}/lessons/order", {"ids": l1}), 404,
        "not-found")
    assert_problem(people.stranger.request("DELETE", f"/api/v1/units/{u2}"),
                   403, "forbidden")
    assert content_state(server) == before
    # A new unit goes after the live ones.
    add_unit(people.owner, cid, "Later")
    assert [u["title"] for u in get_course(people.owner, cid)["units"]][-1] \
        == "Later"


def test_reorder_units(server, people):
    cid, uids, _ = tree(people.owner, units=3, lessons=0)
    new = [uids[2], uids[0], uids[1]]
    r = people.owner.request("PUT", f"/api/v1/courses/{cid}/units/order",
                             {"ids": new})
    assert r.status == 200, r
    assert outline_units(r.json) == new
    doc = get_course(people.owner, cid)
    assert outline_units(doc) == new
    assert [u["position"] for u in doc["units"]] == [0, 1, 2]
    # The same order again is fine; upper-case ids are ids too.
    r = people.owner.request("PUT", f"/api/v1/courses/{cid}/units/order",
                             {"ids": [i.upper() for i in new]})
    assert r.status == 200, r
    assert outline_units(r.json) == new


def test_reorder_units_refuses_a_wrong_list(server, people):
    cid, uids, _ = tree(people.owner, units=3, lessons=0)
    _, (foreign,), _ = tree(people.owner, units=1, lessons=0)
    gone = add_unit(people.owner, cid, "Gone")["id"]
    assert people.owner.request("DELETE", f"/api/v1/units/{gone}").status \
        == 200
    url = f"/api/v1/courses/{cid}/units/order"
    before = content_state(server)
    for ids in ([uids[0], uids[1]],                     # one missing
                uids + [foreign],                       # one extra
                [uids[0], uids[1], foreign],            # one foreign
                uids + [uids[0]],                       # a duplicate
                [uids[0], uids[0], uids[1]],
                uids + [RANDOM_ID],
                uids + [gone],                          # a deleted one
                []):
        assert_invalid(people.owner.request("PUT", url, {"ids": ids}), "ids")
    for body in ({"ids": uids[:2] + ["not-a-uuid"]}, {"ids": uids[0]},
                 {"ids": [1, 2, 3]}, {"ids": None}, {}):
        assert_invalid(people.owner.request("PUT", url, body), "ids")
    assert_invalid(people.owner.request("PUT", url, {"ids": uids, "x": 1}),
                   "x")
    assert content_state(server) == before
    assert outline_units(get_course(people.owner, cid)) == uids


def test_a_unit_change_makes_older_if_match_stale(server, people):
    cid = create_course(people.owner)["id"]
    uid = add_unit(people.owner, cid, "Shared unit")["id"]
    r = people.owner.get(f"/api/v1/courses/{cid}")
    seen = r.header("ETag")
    r = people.admin.request("PATCH", f"/api/v1/units/{uid}",
                             {"title": "Admin's title"}, {"If-Match": seen})
    assert r.status == 200, r
    assert r.header("ETag") != seen
    r = people.owner.request("PATCH", f"/api/v1/units/{uid}",
                             {"title": "Owner's title"}, {"If-Match": seen})
    assert_problem(r, 412, "stale-version")
    assert get_course(people.owner, cid)["units"][0]["title"] == \
        "Admin's title"


# ---- lessons ---------------------------------------------------------------

def test_create_a_lesson(server, people):
    cid = create_course(people.owner, title="Lesson host")["id"]
    uid = add_unit(people.owner, cid)["id"]
    r = people.owner.request("POST", f"/api/v1/units/{uid}/lessons",
                             {"title": "The OSI model"})
    assert r.status == 201, r
    doc = r.json
    assert LESSON_KEYS <= set(doc)
    assert r.header("Location") == f"/api/v1/lessons/{doc['id']}"
    assert r.header("ETag") == '"v1"' and doc["version"] == 1
    assert doc["title"] == "The OSI model"
    assert doc["course"] == {"id": cid, "title": "Lesson host"}
    assert doc["unit_id"] == uid and doc["position"] == 0
    assert doc["kind"] == "lesson" and doc["estimated_minutes"] == 10
    assert doc["difficulty"] == "beginner" and doc["language"] == "en"
    assert doc["objective_codes"] == [] and doc["tags"] == []
    assert doc["content"] == {} and doc["content_html"] == ""
    assert doc["status"] == "draft" and doc["published_at"] is None
    assert doc["can_edit"] is True and doc["deleted_at"] is None
    assert doc["prerequisites"] == [] and doc["locked"] is False
    again = people.owner.get(r.header("Location"))
    assert again.status == 200 and again.header("ETag") == '"v1"'
    assert again.json == doc
    second = add_lesson(people.owner, uid, title="Second")
    assert second["position"] == 1
    outline = get_course(people.owner, cid)["units"][0]["lessons"]
    assert [(l["id"], l["position"]) for l in outline] == [
        (doc["id"], 0), (second["id"], 1)]


def test_create_a_lesson_with_every_field(server, people):
    _, (uid,), _ = tree(people.owner, lessons=0)
    content = {
        "markdown": "# Ports\n\nHTTP uses **80**.",
        "media": [{"type": "video", "url": "https://cdn.example.com/a.mp4",
                   "title": "Intro"},
                  {"type": "document", "url": "https://example.com/a.pdf"}],
        "chapters": [{"title": "Start", "start_seconds": 0},
                     {"title": "End", "start_seconds": 86400}]}
    body = {"title": "Ports", "kind": "video", "summary": "s" * 500,
            "estimated_minutes": 600, "difficulty": "advanced",
            "objective_codes": ["1.4", "10.12", "5.5"],
            "language": "pt-BR", "tags": ["ports", "tcp-udp"],
            "content": content}
    r = people.owner.request("POST", f"/api/v1/units/{uid}/lessons", body)
    assert r.status == 201, r
    doc = r.json
    for k, v in body.items():
        assert doc[k] == v, k
    assert doc["content_html"] == \
        "<h1>Ports</h1>\n<p>HTTP uses <strong>80</strong>.</p>\n"
    for kind in ("lesson", "flashcards", "quiz", "lab", "simulation",
                 "practice_exam", "study_guide"):
        assert add_lesson(people.owner, uid, kind=kind,
                          estimated_minutes=1)["kind"] == kind


def _l(**kw):
    body = {"title": f"Bad lesson {n()}"}
    body.update(kw)
    return {k: v for k, v in body.items() if v is not ...}


MEDIA = {"type": "video", "url": "https://example.com/v.mp4"}


@pytest.mark.parametrize("body,fields", [
    (_l(kind="podcast"), {"kind"}),
    (_l(kind="Lesson"), {"kind"}),
    (_l(kind=None), {"kind"}),
    (_l(estimated_minutes=0), {"estimated_minutes"}),
    (_l(estimated_minutes=601), {"estimated_minutes"}),
    (_l(estimated_minutes=-5), {"estimated_minutes"}),
    (_l(estimated_minutes="10"), {"estimated_minutes"}),
    (_l(estimated_minutes=1.5), {"estimated_minutes"}),
    (_l(difficulty="hard"), {"difficulty"}),
    (_l(objective_codes=["1.x"]), {"objective_codes"}),
    (_l(objective_codes=["1"]), {"objective_codes"}),
    (_l(objective_codes=["1.4", "123.1"]), {"objective_codes"}),
    (_l(objective_codes=["1.123"]), {"objective_codes"}),
    (_l(objective_codes=[".4"]), {"objective_codes"}),
    (_l(objective_codes=["1.4 "]), {"objective_codes"}),
    (_l(objective_codes="1.4"), {"objective_codes"}),
    (_l(objective_codes=["1.1"] * 51), {"objective_codes"}),
    (_l(tags=["Bad"]), {"tags"}),
    (_l(tags=[f"t{i}" for i in range(21)]), {"tags"}),
    (_l(language="EN"), {"language"}),
    (_l(language="eng"), {"language"}),
    (_l(title=...), {"title"}),
    (_l(title="   "), {"title"}),
    (_l(title="x" * 201), {"title"}),
    (_l(summary="s" * 501), {"summary"}),
    (_l(unit_id="not-a-uuid"), {"unit_id"}),
    (_l(position=2), {"position"}),
    (_l(status="published"), {"status"}),
    (_l(content="# markdown"), {"content"}),
    (_l(content=None), {"content"}),
    (_l(content=["x"]), {"content"}),
    (_l(content={"foo": 1}), {"content.foo"}),
    (_l(content={"markdown": "ok", "html": "<b>x</b>"}), {"content.html"}),
    (_l(content={"markdown": 5}), {"content.markdown"}),
    (_l(content={"markdown": "x" * 100001}), {"content.markdown"}),
    (_l(content={"media": "x"}), {"content.media"}),
    (_l(content={"media": [MEDIA] * 21}), {"content.media"}),
    (_l(content={"media": ["https://example.com"]}), {"content.media[0]"}),
    (_l(content={"media": [{"type": "video"}]}), {"content.media[0]"}),
    (_l(content={"media": [{"url": "https://example.com/v"}]}),
     {"content.media[0]"}),
    (_l(content={"media": [MEDIA, dict(MEDIA, extra=1)]}),
     {"content.media[1]"}),
    (_l(content={"media": [dict(MEDIA, type="gif")]}),
     {"content.media[0].type"}),
    (_l(content={"media": [dict(MEDIA, url="javascript:alert(1)")]}),
     {"content.media[0].url"}),
    (_l(content={"media": [dict(MEDIA, url="data:video/mp4;base64,AA")]}),
     {"content.media[0].url"}),
    (_l(content={"media": [dict(MEDIA, url="ftp://example.com/v")]}),
     {"content.media[0].url"}),
    (_l(content={"media": [dict(MEDIA, url="/relative/v.mp4")]}),
     {"content.media[0].url"}),
    (_l(content={"media": [dict(MEDIA, url="https://e.com/" + "a" * 490)]}),
     {"content.media[0].url"}),
    (_l(content={"media": [MEDIA, dict(MEDIA, url="https://")]}),
     {"content.media[1].url"}),
    (_l(content={"media": [dict(MEDIA, url=5)]}), {"content.media[0]"}),
    (_l(content={"media": [dict(MEDIA, title=7)]}),
     {"content.media[0].title"}),
    (_l(content={"media": [dict(MEDIA, title="t" * 201)]}),
     {"content.media[0].title"}),
    (_l(content={"chapters": {}}), {"content.chapters"}),
    (_l(content={"chapters": [{"title": "a"}]}), {"content.chapters[0]"}),
    (_l(content={"chapters": [{"title": "a", "start_seconds": -1}]}),
     {"content.chapters[0]"}),
    (_l(content={"chapters": [{"title": "a", "start_seconds": 86401}]}),
     {"content.chapters[0]"}),
    (_l(content={"chapters": [{"title": "a", "start_seconds": "1"}]}),
     {"content.chapters[0]"}),
    (_l(content={"chapters": [{"title": "a", "start_seconds": 1, "x": 1}]}),
     {"content.chapters[0]"}),
    (_l(content={"chapters": [{"title": 1, "start_seconds": 1}]}),
     {"content.chapters[0]"}),
    (_l(content={"chapters": [{"title": "a", "start_seconds": 1}] * 101}),
     {"content.chapters"}),
    ({"kind": "quiz", "difficulty": "x", "tags": ["A"]},
     {"title", "difficulty", "tags"}),
], ids=itertools.count())
def test_create_a_lesson_refuses_bad_fields(server, people, body, fields):
    _, (uid,), _ = tree(people.owner, lessons=0)
    before = content_state(server)
    r = people.owner.request("POST", f"/api/v1/units/{uid}/lessons", body)
    assert_invalid(r, *fields)
    assert content_state(server) == before


@pytest.mark.parametrize("url", [
    "https-cdn/v.mp4", "http", "https:", "https://", "https:///v.mp4",
    "https:evil.example/v.mp4", "httpx://example.com/v", "//example.com/v",
    " javascript:alert(1)", "java\tscript:alert(1)"])
def test_a_media_url_is_an_absolute_http_address(server, people, url):
    _, (uid,), _ = tree(people.owner, lessons=0)
    before = content_state(server)
    r = people.owner.request("POST", f"/api/v1/units/{uid}/lessons",
                             _l(content={"media": [dict(MEDIA, url=url)]}))
    assert_invalid(r, "content.media[0].url")
    assert content_state(server) == before


def test_media_of_every_type(server, people):
    _, (uid,), _ = tree(people.owner, lessons=0)
    media = [{"type": t, "url": u} for t, u in (
        ("video", "https://example.com/v.mp4"),
        ("audio", "http://example.com/a.mp3"),
        ("image", "HTTPS://EXAMPLE.COM/i.png"),
        ("link", "https://example.com/page?q=1#top"),
        ("document", "https://example.com:8443/d.pdf"))]
    doc = add_lesson(people.owner, uid, content={"media": media})
    assert doc["content"] == {"media": media}
    assert doc["content_html"] == ""


def test_create_a_lesson_in_an_unknown_unit(server, people):
    for uid in (RANDOM_ID, "unit"):
        r = people.owner.request("POST", f"/api/v1/units/{uid}/lessons",
                                 {"title": "Lost"})
        assert_problem(r, 404, "not-found")


def test_markdown_is_rendered_and_raw_html_escaped(server, people):
    _, (uid,), _ = tree(people.owner, lessons=0)
    md = ("## Attack\n\n<script>alert(1)</script>\n\n"
          "<img src=x onerror=alert(1)>\n\n"
          "Text <b onmouseover=\"alert(1)\">bold</b> and "
          "<a href=\"javascript:alert(1)\">raw link</a>.\n\n"
          "<iframe src=\"https://evil.example\"></iframe>\n\n"
          "- item *one*\n- `code <b>`\n")
    doc = add_lesson(people.owner, uid, content={"markdown": md})
    out = doc["content_html"]
    assert_safe_html(out)
    assert "<h2>Attack</h2>" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<script" not in out and "<img" not in out and "<iframe" not in out
    assert "<b " not in out and "<a " not in out
    assert "<li>item <em>one</em></li>" in out
    assert "<code>code &lt;b&gt;</code>" in out
    assert {t for t, _ in Tags(out).tags} <= {"h2", "p", "ul", "li", "em",
                                              "code"}
    assert get_lesson(people.owner, doc["id"])["content_html"] == out
    assert doc["content"] == {"markdown": md}


@pytest.mark.parametrize("link", [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "jav&#97;script&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "<javascript:alert(1)>",
])
def test_unsafe_link_targets_become_a_hash(server, people, link):
    _, (uid,), _ = tree(people.owner, lessons=0)
    dest = link if link.startswith("<") else f"<{link}>" \
        if " " in link else link
    md = (f"[click]({dest}) and ![pic]({dest})\n\n[ref][r]\n\n"
          f"[r]: {dest}\n")
    out = add_lesson(people.owner, uid, content={"markdown": md})[
        "content_html"]
    assert_safe_html(out)
    found = [(t, a.get("href", a.get("src"))) for t, a in Tags(out).tags
             if t in ("a", "img")]
    assert found == [("a", "#"), ("img", "#"), ("a", "#")], out


@pytest.mark.parametrize("link", [
    "java&Tab;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "&#x20;javascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;x",
    "javascript&#x3A;alert(1)",
    "<java\tscript:alert(1)>",
    "< javascript:alert(1)>",
    "\\javascript:alert(1)",
])
def test_obfuscated_link_targets_never_carry_a_script_scheme(server, people,
                                                             link):
    _, (uid,), _ = tree(people.owner, lessons=0)
    md = f"[click]({link}) ![pic]({link})\n\n[ref][r]\n\n[r]: {link}\n"
    out = add_lesson(people.owner, uid, content={"markdown": md})[
        "content_html"]
    # Whatever is kept is relative to a browser (such as "%20javascript:").
    assert_safe_html(out)
    assert len([t for t, _ in Tags(out).tags if t in ("a", "img")]) == 3


@pytest.mark.parametrize("link,kept", [
    ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
    ("http://example.com", "http://example.com"),
    ("HTTPS://EXAMPLE.COM/x", "HTTPS://EXAMPLE.COM/x"),
    ("/lessons/osi", "/lessons/osi"),
    ("osi.html#layers", "osi.html#layers"),
    ("#layers", "#layers"),
    ("../up", "../up"),
    ("mailto:teacher@example.com", "mailto:teacher@example.com"),
])
def test_safe_link_targets_are_kept(server, people, link, kept):
    _, (uid,), _ = tree(people.owner, lessons=0)
    out = add_lesson(people.owner, uid,
                     content={"markdown": f"[go]({link})"})["content_html"]
    assert_safe_html(out)
    assert Tags(out).tags == [("p", {}), ("a", {"href": kept})], out


def test_image_sources(server, people):
    _, (uid,), _ = tree(people.owner, lessons=0)
    md = ("![a](https://example.com/a.png) ![b](/img/b.png) "
          "![c](mailto:x@example.com) ![d](javascript:alert(1))")
    out = add_lesson(people.owner, uid, content={"markdown": md})[
        "content_html"]
    assert_safe_html(out)
    assert [a["src"] for t, a in Tags(out).tags if t == "img"] == [
        "https://example.com/a.png", "/img/b.png", "#", "#"]


def test_autolinks_are_filtered_too(server, people):
    _, (uid,), _ = tree(people.owner, lessons=0)
    md = ("<https://example.com/x> <mailto:a@example.com> "
          "<javascript:alert(1)> www.example.com a@example.com")
    out = add_lesson(people.owner, uid, content={"markdown": md})[
        "content_html"]
    assert_safe_html(out)
    hrefs = [a["href"] for t, a in Tags(out).tags if t == "a"]
    assert hrefs[:3] == ["https://example.com/x", "mailto:a@example.com",
                         "#"], out


@pytest.mark.parametrize("body,fields", [
    ({"title": None}, {"title"}),
    ({"title": "  "}, {"title"}),
    ({"content": None}, {"content"}),
    ({"content": {"foo": 1}}, {"content.foo"}),
    ({"content": {"media": [{"type": "video", "url": "javascript:x"}]}},
     {"content.media[0].url"}),
    ({"kind": "podcast"}, {"kind"}),
    ({"estimated_minutes": 0}, {"estimated_minutes"}),
    ({"estimated_minutes": 601}, {"estimated_minutes"}),
    ({"objective_codes": ["1.x"]}, {"objective_codes"}),
    ({"unit_id": "nope"}, {"unit_id"}),
    ({"unit_id": None}, {"unit_id"}),
    ({"version": 2}, {"version"}),
], ids=itertools.count())
def test_patch_a_lesson_refuses_bad_fields(server, people, body, fields):
    _, _, ((lid, _),) = tree(people.owner)
    before = content_state(server)
    r = people.owner.request("PATCH", f"/api/v1/lessons/{lid}", body)
    assert_invalid(r, *fields)
    assert content_state(server) == before


def test_patch_a_lesson_with_a_stale_if_match(server, people):
    _, _, ((lid, _),) = tree(people.owner)
    publish(people.owner, "lessons", lid)         # now at version 2
    url = f"/api/v1/lessons/{lid}"
    before = content_state(server)
    for header in ('"v1"', '"v3"', "abc", '"v"'):
        r = people.owner.request("PATCH", url, {"title": "Stale"},
                                 {"If-Match": header})
        assert_problem(r, 412, "stale-version")
        assert r.header("ETag") == '"v2"'
    assert content_state(server) == before
    assert get_lesson(people.owner, lid)["title"] != "Stale"


def test_patch_a_lesson_by_others(server, people):
    _, _, ((lid, _),) = tree(people.owner)
    url = f"/api/v1/lessons/{lid}"
    before = content_state(server)
    assert_problem(people.stranger.request("PATCH", url, {"title": "x"}),
                   403, "forbidden")
    assert_problem(people.student.request("PATCH", url, {"title": "x"}),
                   403, "forbidden")
    assert_problem(server.request("PATCH", url, {"title": "x"}), 401,
                   "unauthenticated")
    assert_problem(people.other_admin.request("PATCH", url, {"title": "x"}),
                   404, "not-found")
    assert content_state(server) == before


def test_patch_a_lesson_changes_it_and_keeps_each_version(lone):
    s = lone()
    owner = sign_in(s, "instructor", DEMO_PW)
    _, _, ((lid, _),) = tree(owner)
    first = get_lesson(owner, lid)["title"]
    url = f"/api/v1/lessons/{lid}"
    r = owner.request("PATCH", url, {
        "title": "Second", "kind": "lab", "estimated_minutes": 45,
        "objective_codes": ["2.1"],
        "content": {"markdown": "[x](javascript:alert(1)) **two**"}},
        {"If-Match": '"v1"'})
    assert r.status == 200, r
    assert r.header("ETag") == '"v2"' and r.json["version"] == 2
    doc = r.json
    assert doc["title"] == "Second" and doc["kind"] == "lab"
    assert doc["estimated_minutes"] == 45
    assert doc["objective_codes"] == ["2.1"]
    assert doc["content_html"] == \
        '<p><a href="#">x</a> <strong>two</strong></p>\n'
    r = owner.request("PATCH", url, {"content": {"markdown": "three"}})
    assert r.status == 200, r
    assert r.json["title"] == "Second"
    assert r.json["content_html"] == "<p>three</p>\n"
    r = owner.get(f"{url}/versions")
    assert r.status == 200, r
    assert [(v["version"], v["title"]) for v in r.json["items"]] == [
        (2, "Second"), (1, first)]
    finish(s)


def test_move_a_lesson_to_another_unit_of_its_course(lone):
    s = lone()
    owner = sign_in(s, "instructor", DEMO_PW)
    cid, (u1, u2), (l1, l2) = tree(owner, units=2, lessons=2)
    r = owner.request("PATCH", f"/api/v1/lessons/{l1[0]}", {"unit_id": u2})
    assert r.status == 200, r
    assert r.json["unit_id"] == u2 and r.json["position"] == 2
    assert outline_lessons(get_course(owner, cid)) == {
        u1: [l1[1]], u2: l2 + [l1[0]]}
    finish(s)


def test_move_a_lesson_to_a_unit_of_another_course_is_refused(lone):
    s = lone()
    owner = sign_in(s, "instructor", DEMO_PW)
    _, (u1,), ((lid, _),) = tree(owner)
    _, (foreign,), _ = tree(owner, lessons=0)
    before = content_state(s)
    for unit in (foreign, RANDOM_ID):
        r = owner.request("PATCH", f"/api/v1/lessons/{lid}",
                          {"unit_id": unit})
        assert_invalid(r, "unit_id")
    assert content_state(s) == before
    assert get_lesson(owner, lid)["unit_id"] == u1
    finish(s)


def test_reorder_lessons(server, people):
    cid, (uid, other), (lids, olids) = tree(people.owner, units=2,
                                            lessons=3)
    url = f"/api/v1/units/{uid}/lessons/order"
    new = [lids[1], lids[2], lids[0]]
    r = people.owner.request("PUT", url, {"ids": new})
    assert r.status == 200, r
    assert outline_lessons(r.json)[uid] == new
    doc = get_course(people.owner, cid)
    assert outline_lessons(doc) == {uid: new, other: olids}
    assert [l["position"] for l in doc["units"][0]["lessons"]] == [0, 1, 2]
    assert get_lesson(people.owner, lids[0])["position"] == 2
    before = content_state(server)
    for ids in (new[:2], new + [olids[0]], [new[0], new[1], olids[0]],
                new + [new[0]], new + [RANDOM_ID], []):
        assert_invalid(people.owner.request("PUT", url, {"ids": ids}), "ids")
    for body in ({"ids": new[:2] + ["x"]}, {"ids": "x"}, {}):
        assert_invalid(people.owner.request("PUT", url, body), "ids")
    assert_problem(people.stranger.request("PUT", url, {"ids": new}), 403,
                   "forbidden")
    assert content_state(server) == before
    # A deleted lesson is not named any more.
    assert people.owner.request("DELETE",
                                f"/api/v1/lessons/{new[0]}").status == 200
    r = people.owner.request("PUT", url, {"ids": [new[2], new[1]]})
    assert r.status == 200, r
    assert outline_lessons(r.json)[uid] == [new[2], new[1]]


# ---- versions ------------------------------------------------------------

def test_versions_list_and_restore(server, people):
    _, (uid,), _ = tree(people.owner, lessons=0)
    lesson = add_lesson(people.owner, uid, title="First title",
                        content={"markdown": "**one**"})
    lid = lesson["id"]
    url = f"/api/v1/lessons/{lid}"
    r = people.owner.get(f"{url}/versions")
    assert r.status == 200 and r.json == {"items": []}
    edit_in_db(server, lid, "Second title", "two")
    edit_in_db(server, lid, "Third title", "three")
    r = people.owner.get(f"{url}/versions")
    assert r.status == 200, r
    items = r.json["items"]
    assert [(v["version"], v["title"]) for v in items] == [
        (2, "Second title"), (1, "First title")]
    assert all(v["saved_at"] and v["kind"] == "lesson" for v in items)
    # Bring back version 1: its title, content and rendering.
    r = people.owner.request("POST", f"{url}/versions/1/restore")
    assert r.status == 200, r
    doc = r.json
    assert doc["title"] == "First title"
    assert doc["content"] == {"markdown": "**one**"}
    assert doc["content_html"] == lesson["content_html"] == \
        "<p><strong>one</strong></p>\n"
    assert doc["version"] == 4 and r.header("ETag") == '"v4"'
    assert get_lesson(people.owner, lid) == doc
    # ... and the version it replaced is kept, newest first.
    r = people.owner.get(f"{url}/versions")
    assert [(v["version"], v["title"]) for v in r.json["items"]] == [
        (3, "Third title"), (2, "Second title"), (1, "First title")]
    r = people.admin.request("POST", f"{url}/versions/3/restore",
                             headers={"If-Match": '"v4"'})
    assert r.status == 200, r
    assert r.json["title"] == "Third title" and r.json["version"] == 5


def test_restore_an_unknown_version(server, people):
    _, _, ((lid, _),) = tree(people.owner)
    edit_in_db(server, lid, "Changed", "changed")
    url = f"/api/v1/lessons/{lid}/versions"
    before = content_state(server)
    for v in ("2", "99", "0", "-1", "abc", "1.0", "01", "1000001",
              "99999999999999999999"):
        assert_problem(people.owner.request("POST", f"{url}/{v}/restore"),
                       404, "not-found")
    assert content_state(server) == before
    r = people.owner.request("POST", f"{url}/1/restore",
                             headers={"If-Match": '"v1"'})
    assert_problem(r, 412, "stale-version")
    assert r.header("ETag") == '"v2"'
    assert content_state(server) == before


def test_versions_are_for_editors(server, people):
    _, _, ((lid, _),) = tree(people.owner)
    publish(people.owner, "lessons", lid)
    edit_in_db(server, lid, "Edited", "edited")
    url = f"/api/v1/lessons/{lid}/versions"
    before = content_state(server)
    for who, status, code in ((people.student, 403, "forbidden"),
                              (people.stranger, 403, "forbidden"),
                              (people.other_admin, 404, "not-found")):
        assert_problem(who.get(url), status, code)
        assert_problem(who.request("POST", f"{url}/1/restore"), status,
                       code)
    assert_problem(server.request("GET", url), 401, "unauthenticated")
    assert content_state(server) == before
    assert people.admin.get(url).status == 200


# ---- prerequisites -------------------------------------------------------

def prereqs(who, lid, ids):
    return who.request("PUT", f"/api/v1/lessons/{lid}/prerequisites",
                       {"lesson_ids": ids})


def test_set_and_clear_prerequisites(server, people):
    _, _, ((a, b, c),) = tree(people.owner, lessons=3)
    r = prereqs(people.owner, c, [b, a])
    assert r.status == 200, r
    assert r.header("ETag") == etag(r.json["version"])
    assert [p["id"] for p in r.json["prerequisites"]] == [a, b]
    doc = get_lesson(people.owner, c)
    assert [(p["id"], p["completed"]) for p in doc["prerequisites"]] == [
        (a, False), (b, False)]
    assert doc["prerequisites"][0]["title"] == get_lesson(people.owner,
                                                          a)["title"]
    # [] clears them.
    r = prereqs(people.owner, c, [])
    assert r.status == 200, r
    assert r.json["prerequisites"] == []
    assert get_lesson(people.owner, c)["prerequisites"] == []
    # Others may be set afterwards.
    assert prereqs(people.owner, c, [a]).status == 200
    assert [p["id"] for p in get_lesson(people.owner, c)["prerequisites"]] \
        == [a]


def test_prerequisites_may_be_replaced_by_a_list_that_keeps_some(server,
                                                                 people):
    _, _, ((a, b, c),) = tree(people.owner, lessons=3)
    assert prereqs(people.owner, c, [a, b]).status == 200
    r = prereqs(people.owner, c, [a, b])          # PUT is idempotent
    assert r.status == 200, r
    assert [p["id"] for p in r.json["prerequisites"]] == [a, b]
    r = prereqs(people.owner, c, [b])
    assert r.status == 200, r
    assert [p["id"] for p in r.json["prerequisites"]] == [b]
    r = prereqs(people.owner, c, [a, b])
    assert r.status == 200, r
    assert [p["id"] for p in get_lesson(people.owner, c)["prerequisites"]] \
        == [a, b]


def test_prerequisites_may_not_go_round_in_a_circle(server, people):
    _, _, ((a, b, c),) = tree(people.owner, lessons=3)
    assert prereqs(people.owner, a, [b]).status == 200
    before = content_state(server)
    p = assert_invalid(prereqs(people.owner, b, [a]), "lesson_ids")
    assert "circle" in p["errors"][0]["message"]
    assert content_state(server) == before
    assert prereqs(people.owner, b, [c]).status == 200
    before = content_state(server)
    p = assert_invalid(prereqs(people.owner, c, [a]), "lesson_ids")
    assert "circle" in p["errors"][0]["message"]
    assert content_state(server) == before
    assert get_lesson(people.owner, c)["prerequisites"] == []
    assert [x["id"] for x in get_lesson(people.owner, b)["prerequisites"]] \
        == [c]
    # Breaking the chain makes room for the other direction.
    assert prereqs(people.owner, b, []).status == 200
    assert prereqs(people.owner, c, [a]).status == 200


def test_prerequisites_refuses_wrong_lessons(server, people):
    _, _, ((a, b),) = tree(people.owner)
    _, _, ((foreign, _),) = tree(people.owner)
    before = content_state(server)
    for ids in ([a], [b, a], [foreign], [b, foreign], [RANDOM_ID], [b, b]):
        assert_invalid(prereqs(people.owner, a, ids), "lesson_ids")
    for body in ({"lesson_ids": ["nope"]}, {"lesson_ids": b}, {},
                 {"lesson_ids": None}, {"lesson_ids": [5]}):
        assert_invalid(people.owner.request(
            "PUT", f"/api/v1/lessons/{a}/prerequisites", body),
            "lesson_ids")
    assert_invalid(people.owner.request(
        "PUT", f"/api/v1/lessons/{a}/prerequisites",
        {"lesson_ids": [], "also": 1}), "also")
    for who, status, code in ((people.student, 403, "forbidden"),
                              (people.stranger, 403, "forbidden"),
                              (people.other_admin, 404, "not-found")):
        assert_problem(prereqs(who, a, []), status, code)
    assert content_state(server) == before
    assert get_lesson(people.owner, a)["prerequisites"] == []


# ---- the exam catalog ------------------------------------------------------

def shared_exam():
    path = ROOT / "tests" / "data" / "network-plus-n10-009.json"
    return json.loads(path.read_text())


def test_exams_list(server, people):
    r = people.student.get("/api/v1/exams")
    assert r.status == 200, r
    items = r.json["items"]
    assert [e["code"] for e in items] == ["network", "security", "a1101",
                                          "a1102"]
    numbers = {e["code"]: e["exam_number"] for e in items}
    assert numbers == {"network": "N10-009", "security": "SY0-701",
                       "a1101": "220-1101", "a1102": "220-1102"}
    for e in items:
        assert sum(d["weight"] for d in e["domains"]) == 100, e
        assert e["scale_min"] < e["passing_score"] <= e["scale_max"]
    net = items[0]
    ref = shared_exam()
    assert net["passing_score"] == ref["passing_score"] == 720
    assert [net["scale_min"], net["scale_max"]] == ref["scale"]
    assert net["max_questions"] == ref["max_questions"]
    assert net["minutes"] == ref["minutes"]
    assert [(d["code"], d["name"], d["weight"]) for d in net["domains"]] == \
        [(d["id"], d["name"], d["weight"]) for d in ref["domains"]]
    assert_problem(server.request("GET", "/api/v1/exams"), 401,
                   "unauthenticated")


def test_network_plus_objectives(server, people):
    ref = shared_exam()
    r = people.student.get("/api/v1/exams/network/objectives")
    assert r.status == 200, r
    doc = r.json
    assert doc["exam"]["code"] == "network"
    assert doc["exam"]["exam_number"] == "N10-009"
    assert [d["code"] for d in doc["domains"]] == ["1.0", "2.0", "3.0",
                                                   "4.0", "5.0"]
    assert [d["name"] for d in doc["domains"]] == [
        "Networking Concepts", "Network Implementation",
        "Network Operations", "Network Security", "Network Troubleshooting"]
    got = {o["code"]: o["title"] for d in doc["domains"]
           for o in d["objectives"]}
    want = {c: t for d in ref["domains"] for c, t in d["objectives"].items()}
    assert len(got) == 25 and got == want
    assert got["1.1"] == ("Explain concepts related to the Open Systems "
                          "Interconnection (OSI) reference model")
    assert got["3.3"] == "Explain disaster recovery (DR) concepts"
    assert got["5.5"] == ("Given a scenario, use the appropriate tool or "
                          "protocol to solve networking issues")
    for d in doc["domains"]:
        codes = [o["code"] for o in d["objectives"]]
        assert all(c.split(".")[0] == d["code"].split(".")[0]
                   for c in codes)
        assert codes == sorted(codes, key=lambda c: int(c.split(".")[1]))
    assert sum(d["weight"] for d in doc["domains"]) == 100
    # By id as well as by code.
    r = people.student.get(f"/api/v1/exams/{doc['exam']['id']}/objectives")
    assert r.status == 200 and r.json == doc


@pytest.mark.parametrize("code,domains", [("security", 5), ("a1101", 5),
                                          ("a1102", 4)])
def test_other_exams_have_domains(server, people, code, domains):
    r = people.student.get(f"/api/v1/exams/{code}/objectives")
    assert r.status == 200, r
    assert len(r.json["domains"]) == domains
    assert sum(d["weight"] for d in r.json["domains"]) == 100


@pytest.mark.parametrize("exam", ["nope", "NETWORK", RANDOM_ID, "x" * 65,
                                  "network'%20OR%20'1'='1", "%20network"])
def test_an_unknown_exam_is_not_found(server, people, exam):
    assert_problem(people.student.get(f"/api/v1/exams/{exam}/objectives"),
                   404, "not-found")


# ---- the authorization matrix ----------------------------------------------
#
# Every route that takes the instructor role, against six actors: nobody
# signed in, a student, an instructor who is neither owner nor
# collaborator (the "stranger"), the owner, an admin of the organization,
# and an admin of another organization.  Routes that create a course or a
# path are open to every instructor and admin; the rest act on the owner's
# course, unit, lesson or path.

ACTORS = ("anonymous", "student", "stranger", "owner", "admin",
          "other_admin")
OK = "2xx"
EXPECT = {
    "create": dict(anonymous=401, student=403, stranger=OK, owner=OK,
                   admin=OK, other_admin=OK),
    "owned": dict(anonymous=401, student=403, stranger=403, owner=OK,
                  admin=OK, other_admin=404),
}


class World:
    """A course of the owner (two units, two lessons in the first) and a
    learning path of theirs."""

    def __init__(self, people):
        o = people.owner
        self.people = people
        self.course = create_course(o)["id"]
        self.unit = add_unit(o, self.course)["id"]
        self.unit2 = add_unit(o, self.course)["id"]
        self.lesson = add_lesson(o, self.unit)["id"]
        self.lesson2 = add_lesson(o, self.unit)["id"]
        r = o.request("POST", "/api/v1/paths", {"title": f"Path {n()}"})
        assert r.status == 201, r
        self.path = r.json["id"]

    def url(self, pattern):
        ids = {"courses": self.course, "units": self.unit,
               "lessons": self.lesson, "paths": self.path}
        kind = pattern.split("/")[3]
        return (pattern.replace("{id}", ids[kind])
                .replace("{user_id}", self.people.helper.id)
                .replace("{version}", "1"))


def _delete_course(w):
    assert w.people.owner.request(
        "DELETE", f"/api/v1/courses/{w.course}").status == 200


def _delete_lesson(w):
    assert w.people.owner.request(
        "DELETE", f"/api/v1/lessons/{w.lesson}").status == 200


def _publish_course(w):
    publish(w.people.owner, "courses", w.course)


def _publish_lesson(w):
    publish(w.people.owner, "lessons", w.lesson)


def _add_helper(w):
    r = w.people.owner.request("POST",
                               f"/api/v1/courses/{w.course}/collaborators",
                               {"user_id": w.people.helper.id})
    assert r.status == 200, r


def _make_version(w):
    edit_in_db(w.people.owner.server, w.lesson, "Edited in the matrix", "e")


# method, pattern, kind, body (a dict or a function of the world), prepare
ROUTES = [
    ("POST", "/api/v1/courses", "create",
     lambda w: {"title": f"Matrix {n()}", "slug": new_slug("matrix")}, None),
    ("PATCH", "/api/v1/courses/{id}", "owned", {"summary": "matrix"}, None),
    ("DELETE", "/api/v1/courses/{id}", "owned", None, None),
    ("POST", "/api/v1/courses/{id}/restore", "owned", None, _delete_course),
    ("POST", "/api/v1/courses/{id}/publish", "owned", None, None),
    ("POST", "/api/v1/courses/{id}/unpublish", "owned", None,
     _publish_course),
    ("POST", "/api/v1/courses/{id}/collaborators", "owned",
     lambda w: {"user_id": w.people.helper.id}, None),
    ("DELETE", "/api/v1/courses/{id}/collaborators/{user_id}", "owned", None,
     _add_helper),
    ("POST", "/api/v1/courses/{id}/units", "owned", {"title": "Matrix unit"},
     None),
    ("PUT", "/api/v1/courses/{id}/units/order", "owned",
     lambda w: {"ids": [w.unit2, w.unit]}, None),
    ("PATCH", "/api/v1/units/{id}", "owned", {"title": "Matrix title"},
     None),
    ("DELETE", "/api/v1/units/{id}", "owned", None, None),
    ("POST", "/api/v1/units/{id}/lessons", "owned",
     {"title": "Matrix lesson"}, None),
    ("PUT", "/api/v1/units/{id}/lessons/order", "owned",
     lambda w: {"ids": [w.lesson2, w.lesson]}, None),
    ("PATCH", "/api/v1/lessons/{id}", "owned", {"title": "Matrix title"},
     None),
    ("DELETE", "/api/v1/lessons/{id}", "owned", None, None),
    ("POST", "/api/v1/lessons/{id}/restore", "owned", None, _delete_lesson),
    ("POST", "/api/v1/lessons/{id}/publish", "owned", None, None),
    ("POST", "/api/v1/lessons/{id}/unpublish", "owned", None,
     _publish_lesson),
    ("GET", "/api/v1/lessons/{id}/versions", "owned", None, _make_version),
    ("POST", "/api/v1/lessons/{id}/versions/{version}/restore", "owned",
     None, _make_version),
    ("PUT", "/api/v1/lessons/{id}/prerequisites", "owned",
     lambda w: {"lesson_ids": [w.lesson2]}, None),
    ("POST", "/api/v1/lessons/preview", "create", {"markdown": "# Matrix"},
     None),
    ("POST", "/api/v1/paths", "create", {"title": "Matrix path"}, None),
    ("PATCH", "/api/v1/paths/{id}", "owned", {"title": "Matrix path"}, None),
    ("DELETE", "/api/v1/paths/{id}", "owned", None, None),
    ("PUT", "/api/v1/paths/{id}/courses", "owned",
     lambda w: {"course_ids": [w.course]}, None),
]

CREATED = {("POST", "/api/v1/courses"), ("POST", "/api/v1/paths"),
           ("POST", "/api/v1/courses/{id}/units"),
           ("POST", "/api/v1/units/{id}/lessons")}

# The cases that reach the broken PATCH of a lesson run on a server of
# their own (see the module's docstring).
LONE = {("PATCH", "/api/v1/lessons/{id}", "owner"),
        ("PATCH", "/api/v1/lessons/{id}", "admin")}


def _route_id(route):
    return f"{route[0]} {route[1]}"


def _matrix_cases():
    for route in ROUTES:
        for actor in ACTORS:
            yield pytest.param(route, actor,
                               id=f"{_route_id(route)}-{actor}")


@pytest.fixture(scope="module")
def shared_world(people):
    """For the actors the role check turns away before anything is read."""
    return World(people)


def _check_case(server, people, world, route, actor):
    method, pattern, kind, body, prepare = route
    who = None if actor == "anonymous" else getattr(people, actor)
    if prepare:
        prepare(world)
    if callable(body):
        body = body(world)
    path = world.url(pattern)
    want = EXPECT[kind][actor]
    before = content_state(server) if want != OK else None
    if who is None:
        r = server.request(method, path, body)
    else:
        r = who.request(method, path, body)
    if want == OK:
        assert 200 <= r.status < 300, r
        if (method, pattern) in CREATED:
            assert r.status == 201, r
            assert r.header("Location") or pattern.endswith("/units"), r
    else:
        code = {401: "unauthenticated", 403: "forbidden",
                404: "not-found"}[want]
        assert_problem(r, want, code)
        assert content_state(server) == before


@pytest.mark.parametrize("route,actor", list(_matrix_cases()))
def test_authorization_matrix(server, people, shared_world, lone, route,
                              actor):
    if (route[0], route[1], actor) in LONE:
        s = lone()
        mine = People(s)
        _check_case(s, mine, World(mine), route, actor)
        finish(s)
        return
    shared = actor in ("anonymous", "student")
    world = shared_world if shared else World(people)
    if shared:
        route = route[:4] + (None,)     # turned away before any lookup
    _check_case(server, people, world, route, actor)


def test_matrix_covers_every_instructor_route(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    # The content routes; test_assessment_matrix.py has the assessment
    # module's.
    documented = {(method.upper(), path)
                  for path, item in doc["paths"].items()
                  for method, op in item.items()
                  if op.get("x-ludus-permission") == "course.author"
                  and set(op.get("tags", [])) & {"courses", "paths"}}
    table = {(m, p) for m, p, *_ in ROUTES}
    assert len(table) == len(ROUTES)
    assert table == documented, \
        f"routes missing from the matrix: {documented - table}; " \
        f"routes in the matrix but not documented as instructor routes: " \
        f"{table - documented}"


def test_every_actor_is_in_every_row_of_expectations():
    for row in EXPECT.values():
        assert set(row) == set(ACTORS)


def test_estimated_minutes_come_from_words_and_media(server, people):
    """Without a time of the author's, a lesson takes as long as its words
    take to read (200 a minute) and its media to play; an author's time,
    or an assessment's lesson, keeps its own."""
    who = people.owner
    cid = create_course(who)["id"]
    uid = add_unit(who, cid)["id"]
    text = " ".join(["word"] * 400)
    lid = add_lesson(who, uid, content={"markdown": text})["id"]
    assert get_lesson(who, lid)["estimated_minutes"] == 2
    video = {"type": "video", "url": "https://example.com/v.mp4",
             "duration_seconds": 600}
    r = who.request("PATCH", f"/api/v1/lessons/{lid}",
                    {"content": {"markdown": "Watch this.",
                                 "media": [video]}})
    assert r.status == 200, r
    assert get_lesson(who, lid)["estimated_minutes"] == 11
    r = who.request("PATCH", f"/api/v1/lessons/{lid}",
                    {"content": {"markdown": text}, "estimated_minutes": 45})
    assert r.status == 200, r
    assert get_lesson(who, lid)["estimated_minutes"] == 45
    # The author's time stays through later edits of the text...
    r = who.request("PATCH", f"/api/v1/lessons/{lid}",
                    {"content": {"markdown": text + " more"}})
    assert r.status == 200, r
    assert get_lesson(who, lid)["estimated_minutes"] == 45
    # ...until the author clears it: the content's again.
    r = who.request("PATCH", f"/api/v1/lessons/{lid}",
                    {"content": {"markdown": text}, "estimated_minutes": None})
    assert r.status == 200, r
    assert get_lesson(who, lid)["estimated_minutes"] == 2
    r = who.request("PATCH", f"/api/v1/lessons/{lid}",
                    {"content": {"markdown": text + " " + text}})
    assert r.status == 200, r
    assert get_lesson(who, lid)["estimated_minutes"] == 4
    created = add_lesson(who, uid, estimated_minutes=30,
                         content={"markdown": "Short."})
    r = who.request("PATCH", f"/api/v1/lessons/{created['id']}",
                    {"content": {"markdown": text}})
    assert r.status == 200, r
    assert get_lesson(who, created["id"])["estimated_minutes"] == 30
    quiz = add_lesson(who, uid, kind="quiz", content={"markdown": "Go."})
    assert get_lesson(who, quiz["id"])["estimated_minutes"] == 10
    lab = add_lesson(who, uid, kind="lab", estimated_minutes=40,
                     content={"markdown": "Do it."})
    r = who.request("PATCH", f"/api/v1/lessons/{lab['id']}",
                    {"content": {"markdown": text}, "estimated_minutes": None})
    assert r.status == 200, r
    assert get_lesson(who, lab["id"])["estimated_minutes"] == 40
    bad = dict(video, duration_seconds=0)
    assert_invalid(who.request("PATCH", f"/api/v1/lessons/{lid}",
                               {"content": {"media": [bad]}}),
                   "content.media[0].duration_seconds")
    # The seeded reading lessons are timed the same way: no more twenty
    # minutes for two of reading.
    rows = sql(server, """
        SELECT estimated_minutes, array_length(regexp_split_to_array(
            btrim(content->>'markdown'), '\\s+'), 1)
        FROM lessons WHERE kind IN ('lesson', 'study_guide')
            AND content ? 'markdown'
            AND course_id = '4e700009-0000-4000-8000-000000000001'""")
    assert rows
    for minutes, words in rows:
        assert int(minutes) <= int(words) // 200 + 2, (minutes, words)
