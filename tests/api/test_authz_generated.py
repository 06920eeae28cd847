"""The authorization matrix generated from the OpenAPI document: every
route, as each of five actors (nobody signed in, a learner, another
learner, an instructor, an admin of another organization), against the
route's declared permission (x-ludus-permission).

Path parameters are filled with real ids of the first organization's
records (a learner's own attempt, goal, session; the instructor's token;
the admin's invitation and role; the catalog's course, unit, lesson, path,
question and assessment).  Bodies are empty objects: what is checked is
who gets past the door, not what they do inside.  For every request:

- nothing answers 5xx;
- nobody signed in gets 401 from every route that is not public;
- an actor whose role lacks the route's permission gets 403 naming it;
- an actor whose role holds it is never refused for want of it;
- another organization's admin never reads or writes the first
  organization's records (no 2xx on a path naming one), and no answer to
  them holds any of its ids;
- another learner's answers hold none of the first learner's own ids.

With LUDUS_SECURITY_REPORT set, the counts go to that file (make security).
"""
import json
import os
import re
import time

import pytest

from test_authoring import DEMO_PW, new_account, new_org, sign_in

ACTORS = ("anonymous", "learner", "other_learner", "instructor",
          "other_admin")
# Not the organizations' business: the operator's API, health, the test
# routes, the document itself; and the live event stream, which does not
# end (test_live.py checks who may open it).
SKIP = re.compile(r"^/(healthz|readyz|metrics)$|^/api/v1/(_test|openapi"
                  r"\.json|platform|live$)")
QUESTION = {"type": "single_choice", "stem": "Which port does SSH use?",
            "exam": "network", "objectives": ["1.4"], "status": "active",
            "body": {"options": [{"key": "A", "text": "22", "correct": True},
                                 {"key": "B", "text": "23"}]}}
COUNTS = {"routes": 0, "requests": 0, "refused_401": 0, "refused_403": 0,
          "findings": 0}


def sql(server, query):
    from conftest import psql
    return psql(query, server.db)


class World:
    def __init__(self, server):
        self.server = server
        self.learner = sign_in(server, "sarah_network", DEMO_PW)
        self.other_learner = sign_in(server, "mike_netplus", DEMO_PW)
        self.instructor = sign_in(server, "instructor", DEMO_PW)
        self.admin = sign_in(server, "admin", DEMO_PW)
        other = new_org(server)
        self.other_admin = new_account(server, "admin", other)
        one = lambda q: sql(server, q)[0][0]  # noqa: E731
        org = one("SELECT id FROM organizations WHERE is_default")
        ids = {
            "course": one(f"SELECT id FROM courses WHERE org_id = '{org}' "
                          "AND status = 'published' ORDER BY created_at "
                          "LIMIT 1"),
            "question": self.instructor.request(
                "POST", "/api/v1/questions", QUESTION).json["id"],
        }
        ids["unit"] = one(f"SELECT id FROM units WHERE course_id = "
                          f"'{ids['course']}' LIMIT 1")
        ids["lesson"] = one(f"SELECT id FROM lessons WHERE course_id = "
                            f"'{ids['course']}' ORDER BY position LIMIT 1")
        ids["assessment"] = one(f"SELECT id FROM assessments WHERE org_id = "
                                f"'{org}' AND status = 'published' LIMIT 1")
        path = self.instructor.request("POST", "/api/v1/paths",
                                       {"title": "Matrix path"})
        assert path.status == 201, path
        ids["path"] = path.json["id"]
        r = self.learner.request(
            "POST", f"/api/v1/assessments/{ids['assessment']}/attempts")
        assert r.status in (200, 201), r
        ids["attempt"] = r.json["id"]
        self.learner.request("POST", "/api/v1/me/goals",
                             {"kind": "weekly_lessons", "target": 3})
        ids["goal"] = one(f"SELECT id FROM study_goals WHERE user_id = "
                          f"'{self.learner.id}' LIMIT 1")
        ids["session"] = one(f"SELECT id FROM sessions WHERE user_id = "
                             f"'{self.learner.id}' LIMIT 1")
        r = self.learner.request(
            "POST", f"/api/v1/lessons/{ids['lesson']}/sessions")
        ids["learning_session"] = one(
            f"SELECT coalesce(max(id::text), "
            f"'00000000-0000-4000-8000-000000000000') FROM "
            f"learning_sessions WHERE user_id = '{self.learner.id}'")
        ids["token"] = self.instructor.request(
            "POST", "/api/v1/me/tokens",
            {"name": "matrix", "permissions": ["learn"]}).json["id"]
        ids["invitation"] = self.admin.request(
            "POST", "/api/v1/admin/invitations",
            {"email": "matrix@example.test"}).json["id"]
        assert self.admin.request("POST", "/api/v1/admin/roles", {
            "key": "matrix", "name": "Matrix",
            "permissions": ["account.self"]}).status == 201
        ids["idp"] = one(f"INSERT INTO identity_providers (org_id, name, "
                         f"issuer, client_id, client_secret) VALUES "
                         f"('{org}', 'Matrix IdP', 'https://idp.invalid', "
                         f"'ludus', 'secret') RETURNING id")
        ids["identity"] = one(f"INSERT INTO user_identities (org_id, "
                              f"user_id, provider_id, subject) VALUES "
                              f"('{org}', '{self.learner.id}', "
                              f"'{ids['idp']}', 'matrix') RETURNING id")
        r = self.learner.request("POST", "/api/v1/flashcards/decks",
                                 {"title": "Matrix deck"})
        assert r.status == 201, r
        ids["deck"] = r.json["id"]
        r = self.learner.request(
            "POST", f"/api/v1/flashcards/decks/{ids['deck']}/notes",
            {"kind": "basic", "front": "SSH", "back": "22"})
        assert r.status == 201, r
        ids["note"] = r.json["id"]
        ids["card"] = r.json["cards"][0]["id"]
        ids["user"] = self.learner.id
        r = self.learner.request("POST", "/api/v1/materials", {
            "title": "Matrix notes", "text": "Secure Shell (SSH) is a "
            "protocol for encrypted remote logins. SSH uses port 22. "
            "Telnet uses port 23. DNS uses port 53."})
        assert r.status == 202, r
        ids["material"] = r.json["id"]
        for _ in range(600):
            m = self.learner.get(f"/api/v1/materials/{ids['material']}")
            if m.json["status"] != "processing":
                break
            time.sleep(0.1)
        assert m.json["status"] == "ready", m
        ids["asset"] = self.learner.get(
            f"/api/v1/materials/{ids['material']}/assets").json[0]["id"]
        r = self.learner.request(
            "POST", f"/api/v1/materials/{ids['material']}/sessions",
            {"session_type": "study"})
        assert r.status == 201, r
        ids["study_session"] = r.json["id"]
        self.learner.request("POST", f"/api/v1/courses/{ids['course']}/"
                             "enroll")
        r = self.learner.request(
            "PUT", f"/api/v1/courses/{ids['course']}/reviews/mine",
            {"rating": 4, "comment": "Matrix review"})
        assert r.status in (200, 201), r
        ids["review"] = r.json["id"]
        r = self.learner.request(
            "POST", f"/api/v1/lessons/{ids['lesson']}/suggestions",
            {"markdown": "Matrix suggestion: a clearer text."})
        assert r.status == 201, r
        ids["suggestion"] = r.json["id"]
        # The course's forum: the learner's thread, the instructor's reply,
        # the learner's flag on it.
        forum = self.learner.get(f"/api/v1/forum?course={ids['course']}")
        assert forum.status == 200, forum
        ids["category"] = forum.json["categories"][0]["id"]
        r = self.learner.request(
            "POST", f"/api/v1/forum/categories/{ids['category']}/threads",
            {"title": "Matrix thread", "body": "Which port is SSH?"})
        assert r.status == 201, r
        ids["thread"] = r.json["id"]
        r = self.instructor.request(
            "POST", f"/api/v1/forum/threads/{ids['thread']}/replies",
            {"body": "Port 22."})
        assert r.status == 201, r
        ids["reply"] = r.json["id"]
        r = self.learner.request(
            "POST", f"/api/v1/forum/replies/{ids['reply']}/flag",
            {"reason": "off_topic"})
        assert r.status == 201, r
        ids["flag"] = r.json["id"]
        # A conversation of the learner's with the instructor, and the
        # instructor's report of its message.
        r = self.learner.request("POST", "/api/v1/conversations", {
            "user_ids": [self.instructor.id], "body": "Matrix message"})
        assert r.status == 201, r
        ids["conversation"] = r.json["id"]
        ids["message"] = r.json["last"]["id"]
        r = self.instructor.request(
            "POST", f"/api/v1/messages/{ids['message']}/report",
            {"reason": "spam"})
        assert r.status == 201, r
        ids["message_report"] = r.json["id"]
        ids["blocked"] = self.admin.id
        self.ids = ids
        # What must never reach another organization, and what is the
        # learner's alone (a review is the course's members' to read).
        self.org_ids = {v for v in ids.values() if len(v) == 36} | {
            self.instructor.id, self.admin.id}
        self.own_ids = {ids["attempt"], ids["goal"], ids["session"],
                        ids["deck"], ids["note"], ids["card"],
                        ids["material"], ids["asset"],
                        ids["study_session"], ids["suggestion"],
                        ids["thread"], ids["flag"], ids["conversation"],
                        ids["message"]}
        self.perms = {a: set(getattr(self, a).get("/api/v1/me").json[
            "permissions"]) for a in ACTORS if a != "anonymous"}

    def fill(self, path):
        """The path with the first organization's ids; which it names."""
        named = []

        def one(m):
            name = m.group(1)
            before = path[:m.start()]
            if name == "key":
                return "matrix"
            if name == "version":
                return "1"
            if name == "slug":
                return "default"
            if name == "name":      # a deck's media file
                return "matrix.png"
            if name == "question_id":
                named.append(self.ids["question"])
                return self.ids["question"]
            if name == "user_id":
                named.append(self.instructor.id)
                return self.instructor.id
            for prefix, kind in (("/exams/", None), ("/courses/", "course"),
                                 ("/units/", "unit"), ("/lessons/", "lesson"),
                                 ("/paths/", "path"),
                                 ("/questions/", "question"),
                                 ("/assessments/", "assessment"),
                                 ("/attempts/", "attempt"),
                                 ("/goals/", "goal"),
                                 ("/sessions/", "session"),
                                 ("/learning-sessions/", "learning_session"),
                                 ("/tokens/", "token"),
                                 ("/invitations/", "invitation"),
                                 ("/identity-providers/", "idp"),
                                 ("/identities/", "identity"),
                                 ("/sso/", "idp"),
                                 ("/decks/", "deck"), ("/notes/", "note"),
                                 ("/cards/", "card"),
                                 ("/materials/", "material"),
                                 ("/assets/", "asset"),
                                 ("/study-sessions/", "study_session"),
                                 ("/reviews/", "review"),
                                 ("/suggestions/", "suggestion"),
                                 ("/threads/", "thread"),
                                 ("/replies/", "reply"),
                                 ("/categories/", "category"),
                                 ("/flags/", "flag"),
                                 ("/members/", "user"),
                                 ("/conversations/", "conversation"),
                                 ("/messages/", "message"),
                                 ("/message-reports/", "message_report"),
                                 ("/blocks/", "blocked"),
                                 ("/users/", "user"), ("/jobs/", None)):
                if before.endswith(prefix):
                    if prefix == "/exams/":
                        return "network"
                    if kind is None:
                        return "00000000-0000-4000-8000-000000000000"
                    named.append(self.ids[kind])
                    return self.ids[kind]
            raise AssertionError(f"no id for {{{name}}} in {path}")
        return re.sub(r"{(\w+)}", one, path), named


def _routes(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    out = []
    for path, item in sorted(doc["paths"].items()):
        if SKIP.search(path):
            continue
        for method, op in sorted(item.items()):
            out.append((method.upper(), path, op["x-ludus-permission"],
                        "requestBody" in op))
    return out


@pytest.fixture(scope="module")
def world(server):
    return World(server)


def test_every_route_against_every_actor(server, world):
    routes = _routes(server)
    assert len(routes) > 100
    findings = []
    for method, path, perm, has_body in routes:
        COUNTS["routes"] += 1
        url, named = world.fill(path)
        # The learner's own session, the one the requests run on, stays.
        if method == "DELETE" and "/sessions/" in path:
            continue
        if path in ("/api/v1/me", "/api/v1/auth/logout",
                    "/api/v1/auth/logout-all") and method != "GET":
            continue  # would end the actors' own sessions or accounts
        for actor in ACTORS:
            body = {} if has_body else None
            who = getattr(world, actor) if actor != "anonymous" else None
            r = (who.request(method, url, body) if who
                 else server.request(method, url, body))
            COUNTS["requests"] += 1
            where = f"{method} {url} as {actor}: {r.status}"
            text = r.body.decode(errors="replace")
            if r.status >= 500:
                findings.append(f"{where}: a server error")
                continue
            if perm == "public":
                continue
            if actor == "anonymous":
                COUNTS["refused_401"] += r.status == 401
                if r.status != 401:
                    findings.append(f"{where}: not 401 without a session")
                continue
            held = perm in world.perms[actor]
            if not held:
                COUNTS["refused_403"] += r.status == 403
                if r.status != 403 or perm not in text:
                    findings.append(f"{where}: lacks {perm}, not refused")
                continue
            if r.status == 403 and "permission " + perm in text:
                findings.append(f"{where}: holds {perm}, refused for it")
            if actor == "other_admin":
                if named and 200 <= r.status < 300:
                    findings.append(f"{where}: another organization's "
                                    f"record answered")
                leaked = [i for i in world.org_ids if i in text]
                if leaked:
                    findings.append(f"{where}: holds the first "
                                    f"organization's ids {leaked}")
            if actor == "other_learner":
                leaked = [i for i in world.own_ids if i in text]
                if leaked and 200 <= r.status < 300:
                    findings.append(f"{where}: holds the learner's own ids "
                                    f"{leaked}")
    COUNTS["findings"] = len(findings)
    report = os.environ.get("LUDUS_SECURITY_REPORT")
    if report:
        with open(report, "w") as f:
            json.dump(dict(COUNTS, examples=findings[:20]), f, indent=1)
    assert not findings, "\n".join(findings[:40])
    # The records are still there, as they were.
    assert world.learner.get(f"/api/v1/attempts/{world.ids['attempt']}") \
        .status == 200
    assert world.learner.get("/api/v1/me").status == 200
