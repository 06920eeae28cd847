"""Helpers shared by the assessment tests: unique names, problem checks,
SQL on the test's database, and accounts made through the API."""
import itertools
import time
import urllib.parse
import uuid

from conftest import SEEN, Client, psql

PROBLEM = "application/problem+json"
PW = "a long secret phrase"
DEMO_PW = "password123"
_seq = itertools.count(1)


def n():
    return next(_seq)


def uniq(prefix="x"):
    return f"{prefix}-{n()}-{uuid.uuid4().hex[:6]}"


def qs(**params):
    return "?" + urllib.parse.urlencode(params) if params else ""


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
    assert "errors" in p, p
    assert {e["field"] for e in p["errors"]} == set(fields), p
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
    return Client(server, r.json)


def new_org(server, prefix="org"):
    slug = f"{prefix}-{n()}-{uuid.uuid4().hex[:4]}"
    sql(server, f"INSERT INTO organizations (slug, name) "
                f"VALUES ('{slug}', 'Organization {slug}')")
    return slug


def new_account(server, role="student", org=None, prefix="u"):
    """Registers an account (in org, by slug), sets its role with SQL and
    signs in (after: a session carries the role it had at sign-in)."""
    name = f"{prefix}_{n():04d}_{uuid.uuid4().hex[:4]}"
    body = {"organization": org} if org else {}
    r = server.register(f"{name}@example.com", name, PW, **body)
    assert r.status == 202, r
    if role != "student":
        sql(server, f"UPDATE users SET role = '{role}' "
                    f"WHERE username = '{name}'")
    return sign_in(server, name)


def label(entries, text):
    """The label the attempt shows text under."""
    found = [e["label"] for e in entries if e["text"] == text]
    assert len(found) == 1, (entries, text)
    return found[0]


def right_answer(item, q):
    """The right answer to an attempt's item, in its labels, from the
    question's document q (as instructors read it)."""
    body, t = q["body"], q["type"]
    if t in ("single_choice", "true_false"):
        return {"choice": label(item["options"], [
            o["text"] for o in body["options"] if o["correct"]][0])}
    if t == "multiple_select":
        return {"choices": [label(item["options"], o["text"])
                            for o in body["options"] if o["correct"]]}
    if t == "matching":
        return {"pairs": {label(item["lefts"], p["left"]):
                          label(item["rights"], p["right"])
                          for p in body["pairs"]}}
    if t == "ordering":
        return {"order": [label(item["items"], i["text"])
                          for i in body["items"]]}
    if body["answers"]:
        return {"text": body["answers"][0]["text"]}
    return {"text": repr(body["numeric"][0]["value"])}


def published_quiz_lesson(ins):
    """A published course of the instructor's with one published quiz
    lesson: its lesson id."""
    r = ins.request("POST", "/api/v1/courses",
                    {"title": f"Quizzed course {uniq()}", "exam": "network"})
    assert r.status == 201, r
    cid = r.json["id"]
    r = ins.request("POST", f"/api/v1/courses/{cid}/units", {"title": "U"})
    unit = r.json["units"][-1]["id"]
    r = ins.request("POST", f"/api/v1/units/{unit}/lessons",
                    {"title": "The quiz", "kind": "quiz",
                     "content": {"markdown": "Take the quiz."}})
    assert r.status == 201, r
    lesson = r.json["id"]
    for path in (f"/api/v1/lessons/{lesson}/publish",
                 f"/api/v1/courses/{cid}/publish"):
        assert ins.request("POST", path).status == 200
    return lesson


def follow_job(who, href, seen=None, timeout=60):
    """Polls a background job (/api/v1/jobs/{id}) until it has ended; its
    last document.  Each progress seen on the way is added to seen."""
    deadline = time.monotonic() + timeout
    while True:
        r = who.get(href)
        assert r.status == 200, r
        if seen is not None:
            seen.append(r.json["progress"])
        if r.json["status"] in ("succeeded", "failed"):
            return r.json
        assert time.monotonic() < deadline, r.json
        time.sleep(0.05)


def problem(r, status, code, field=None):
    """A problem document of this status and code; with field, a 422 whose
    errors name it (among others)."""
    p = assert_problem(r, status, code)
    if field:
        assert field in [e["field"] for e in p.get("errors", [])], p
    return p
