"""Content changes in the audit trail, the people lookup for instructors,
and the lesson editor's Markdown preview.

Every change to a course (and its units, their order, its collaborators),
a lesson, a question or an assessment leaves one audit event: the action,
the target, the actor, and the item's fields before and after.  The tests
share the module's server; each works in an organization of its own.
"""
import json

from support import (assert_invalid, assert_problem, new_account,
                     new_org, qs, sql, uniq)



def events(server, entity_id, action=None):
    """The audit events about entity_id, oldest first."""
    where = f"AND action = '{action}'" if action else ""
    rows = sql(server, f"""
        SELECT action, entity_type, coalesce(actor_user_id::text, ''),
               coalesce(old_values::text, ''), coalesce(new_values::text, ''),
               success
        FROM audit_events WHERE entity_id = '{entity_id}' {where}
        ORDER BY occurred_at, id""")
    return [{"action": a, "type": t, "actor": u,
             "old": json.loads(o) if o else None,
             "new": json.loads(n) if n else None, "success": s == "t"}
            for a, t, u, o, n, s in rows]


def one(server, entity_id, action):
    found = events(server, entity_id, action)
    assert len(found) == 1, (action, events(server, entity_id))
    return found[0]


def ok(r, status=200):
    assert r.status == status, r
    return r.json


# ---- courses, units and lessons ----------------------------------------------

def test_course_changes_are_audited(server):
    org = new_org(server, "audc")
    ins = new_account(server, "instructor", org)
    mate = new_account(server, "instructor", org)
    title = f"Audited course {uniq()}"
    c = ok(ins.request("POST", "/api/v1/courses", {"title": title}), 201)
    cid = c["id"]
    e = one(server, cid, "course.created")
    assert (e["type"], e["actor"], e["old"]) == ("course", ins.id, None)
    assert e["new"]["title"] == title and e["new"]["status"] == "draft"

    ok(ins.request("PATCH", f"/api/v1/courses/{cid}",
                   {"title": title + " (2)", "summary": "Now with one"}))
    e = one(server, cid, "course.updated")
    assert e["old"]["title"] == title and e["new"]["title"] == title + " (2)"
    assert e["old"]["summary"] is None and e["new"]["summary"] == "Now with one"
    # Unchanged fields stay the same on both sides; the per-user and
    # bookkeeping fields stay out.
    assert e["old"]["slug"] == e["new"]["slug"]
    for k in ("version", "updated_at", "can_edit"):
        assert k not in e["old"] and k not in e["new"]

    u = ok(ins.request("POST", f"/api/v1/courses/{cid}/units",
                       {"title": "Unit one"}), 201)
    unit = u["units"][-1]["id"]
    e = one(server, cid, "course.unit_created")
    assert e["old"]["units"] == []
    assert e["new"]["units"] == [{"id": unit, "title": "Unit one"}]

    ok(ins.request("POST", f"/api/v1/courses/{cid}/publish"))
    e = one(server, cid, "course.published")
    assert (e["old"]["status"], e["new"]["status"]) == ("draft", "published")

    ok(ins.request("POST", f"/api/v1/courses/{cid}/collaborators",
                   {"user_id": mate.id}))
    e = one(server, cid, "course.collaborator_added")
    assert e["old"] is None and e["new"] == {"collaborator": mate.id,
                                             "role": "editor"}
    ok(ins.request("DELETE", f"/api/v1/courses/{cid}/collaborators/{mate.id}"))
    e = one(server, cid, "course.collaborator_removed")
    assert e["old"] == {"collaborator": mate.id} and e["new"] is None

    ok(ins.request("DELETE", f"/api/v1/courses/{cid}"))
    e = one(server, cid, "course.deleted")
    assert e["old"]["deleted_at"] is None and e["new"]["deleted_at"]
    ok(ins.request("POST", f"/api/v1/courses/{cid}/restore"))
    e = one(server, cid, "course.restored")
    assert e["old"]["deleted_at"] and e["new"]["deleted_at"] is None


def test_a_refused_change_leaves_no_event(server):
    org = new_org(server, "audr")
    ins = new_account(server, "instructor", org)
    other = new_account(server, "instructor", org)
    cid = ok(ins.request("POST", "/api/v1/courses",
                         {"title": f"Mine {uniq()}"}), 201)["id"]
    assert other.request("PATCH", f"/api/v1/courses/{cid}",
                         {"title": "Theirs now"}).status == 403
    assert ins.request("PATCH", f"/api/v1/courses/{cid}",
                       {"title": ""}).status == 422
    assert [e["action"] for e in events(server, cid)] == ["course.created"]


def test_lesson_changes_are_audited(server):
    org = new_org(server, "audl")
    ins = new_account(server, "instructor", org)
    cid = ok(ins.request("POST", "/api/v1/courses",
                         {"title": f"Lessons {uniq()}"}), 201)["id"]
    unit = ok(ins.request("POST", f"/api/v1/courses/{cid}/units",
                          {"title": "U"}), 201)["units"][-1]["id"]
    lesson = ok(ins.request("POST", f"/api/v1/units/{unit}/lessons",
                            {"title": "First", "content":
                             {"markdown": "Old text"}}), 201)
    lid = lesson["id"]
    e = one(server, lid, "lesson.created")
    assert (e["type"], e["actor"], e["old"]) == ("lesson", ins.id, None)
    assert e["new"]["title"] == "First"
    assert e["new"]["content"]["markdown"] == "Old text"

    ok(ins.request("PATCH", f"/api/v1/lessons/{lid}",
                   {"content": {"markdown": "New text"}}))
    e = one(server, lid, "lesson.updated")
    assert e["old"]["content"]["markdown"] == "Old text"
    assert e["new"]["content"]["markdown"] == "New text"
    assert e["old"]["title"] == e["new"]["title"] == "First"

    ok(ins.request("POST", f"/api/v1/lessons/{lid}/publish"))
    e = one(server, lid, "lesson.published")
    assert (e["old"]["status"], e["new"]["status"]) == ("draft", "published")
    ok(ins.request("DELETE", f"/api/v1/lessons/{lid}"))
    e = one(server, lid, "lesson.deleted")
    assert e["old"]["deleted_at"] is None and e["new"]["deleted_at"]
    ok(ins.request("POST", f"/api/v1/lessons/{lid}/restore"))
    e = one(server, lid, "lesson.restored")
    assert e["old"]["deleted_at"] and e["new"]["deleted_at"] is None


# ---- questions and assessments ----------------------------------------------

def _question(stem):
    return {"type": "single_choice", "stem": stem, "body": {"options": [
        {"key": "A", "text": "21"}, {"key": "B", "text": "22",
                                     "correct": True}]}}


def test_question_changes_are_audited(server):
    org = new_org(server, "audq")
    ins = new_account(server, "instructor", org)
    stem = f"Which port does SSH use? {uniq()}"
    q = ok(ins.request("POST", "/api/v1/questions", _question(stem)), 201)
    qid = q["id"]
    e = one(server, qid, "question.created")
    assert (e["type"], e["actor"], e["old"]) == ("question", ins.id, None)
    assert e["new"]["stem"] == stem and e["new"]["status"] == "draft"
    assert e["new"]["body"]["options"][1]["correct"] is True

    ok(ins.request("PATCH", f"/api/v1/questions/{qid}", {"status": "active"}))
    e = one(server, qid, "question.updated")
    assert (e["old"]["status"], e["new"]["status"]) == ("draft", "active")
    assert e["old"]["stem"] == e["new"]["stem"] == stem
    # A change that changes nothing is no event.
    ok(ins.request("PATCH", f"/api/v1/questions/{qid}", {"status": "active"}))
    assert len(events(server, qid, "question.updated")) == 1

    ok(ins.request("DELETE", f"/api/v1/questions/{qid}"))
    e = one(server, qid, "question.deleted")
    assert e["old"]["deleted_at"] is None and e["new"]["deleted_at"]
    ok(ins.request("POST", f"/api/v1/questions/{qid}/restore"))
    e = one(server, qid, "question.restored")
    assert e["old"]["deleted_at"] and e["new"]["deleted_at"] is None


def test_assessment_changes_are_audited(server):
    org = new_org(server, "auda")
    ins = new_account(server, "instructor", org)
    qid = ok(ins.request("POST", "/api/v1/questions",
                         dict(_question(f"Q {uniq()}"), status="active")),
             201)["id"]
    title = f"Audited quiz {uniq()}"
    a = ok(ins.request("POST", "/api/v1/assessments", {"title": title}), 201)
    aid = a["id"]
    e = one(server, aid, "assessment.created")
    assert (e["type"], e["actor"], e["old"]) == ("assessment", ins.id, None)
    assert e["new"]["title"] == title and e["new"]["kind"] == "quiz"
    assert "my_attempts" not in e["new"]

    ok(ins.request("PATCH", f"/api/v1/assessments/{aid}",
                   {"time_limit_seconds": 600}))
    e = one(server, aid, "assessment.updated")
    assert e["old"]["time_limit_seconds"] != 600
    assert e["new"]["time_limit_seconds"] == 600

    ok(ins.request("PUT", f"/api/v1/assessments/{aid}/questions",
                   {"questions": [{"question_id": qid, "points": 2}]}))
    e = one(server, aid, "assessment.questions_set")
    assert e["old"]["questions"] == []
    assert e["new"]["questions"] == [{"question_id": qid, "points": 2}]

    ok(ins.request("DELETE", f"/api/v1/assessments/{aid}"))
    e = one(server, aid, "assessment.deleted")
    assert e["old"]["deleted_at"] is None
    ok(ins.request("POST", f"/api/v1/assessments/{aid}/restore"))
    e = one(server, aid, "assessment.restored")
    assert e["new"]["deleted_at"] is None


def test_admins_read_content_events_in_the_audit_trail(server):
    org = new_org(server, "audt")
    ins = new_account(server, "instructor", org)
    admin = new_account(server, "admin", org)
    cid = ok(ins.request("POST", "/api/v1/courses",
                         {"title": f"Seen {uniq()}"}), 201)["id"]
    r = ok(admin.get("/api/v1/admin/audit" + qs(entity_id=cid)))
    assert [i["action"] for i in r["items"]] == ["course.created"]


# ---- GET /api/v1/users/lookup ----------------------------------------------

class People:
    """An organization of its own with named people, and a second one."""

    def __init__(self, server):
        self.org = new_org(server, "look")
        self.ins = new_account(server, "instructor", self.org)
        self.admin = new_account(server, "admin", self.org)
        self.student = new_account(server, "student", self.org)
        self.tag = uniq("zq").replace("-", "")[:12].lower()
        self.names = {}
        for i, role in enumerate(["instructor", "instructor", "student"]):
            u = new_account(server, role, self.org)
            name = f"{self.tag} Person {i}"
            sql(server, f"UPDATE user_profiles SET display_name = '{name}' "
                        f"WHERE user_id = '{u.id}'")
            self.names[u.id] = (u, role)
        self.other_org = new_org(server, "lookx")
        stranger = new_account(server, "instructor", self.other_org)
        sql(server, f"UPDATE user_profiles SET display_name = "
                    f"'{self.tag} Stranger' WHERE user_id = '{stranger.id}'")
        self.stranger = stranger

    def lookup(self, who, **params):
        return who.get("/api/v1/users/lookup" + qs(**params))


def test_lookup_finds_people_of_my_organization_by_name(server):
    p = People(server)
    r = p.lookup(p.ins, q=p.tag.upper())
    assert r.status == 200, r
    items = r.json["items"]
    assert {i["id"] for i in items} == set(p.names)
    for i in items:
        assert set(i) == {"id", "username", "display_name", "role"}
        assert "email" not in i
    # By username too, and staff only when asked.
    u, _ = next(iter(p.names.values()))
    r = p.lookup(p.ins, q=u.user["username"][2:])
    assert u.id in {i["id"] for i in r.json["items"]}
    r = p.lookup(p.ins, q=p.tag, staff="true")
    assert {i["id"] for i in r.json["items"]} == {
        k for k, (_, role) in p.names.items() if role == "instructor"}


def test_lookup_keeps_to_the_organization(server):
    p = People(server)
    ids = {i["id"] for i in p.lookup(p.ins, q=p.tag).json["items"]}
    assert p.stranger.id not in ids
    r = p.lookup(p.stranger, q=p.tag)
    assert [i["id"] for i in r.json["items"]] == [p.stranger.id]


def test_lookup_leaves_out_deleted_and_locked_accounts(server):
    p = People(server)
    gone, locked = list(p.names)[:2]
    sql(server, f"UPDATE users SET deleted_at = now() WHERE id = '{gone}'")
    sql(server, f"UPDATE users SET is_active = false WHERE id = '{locked}'")
    ids = {i["id"] for i in p.lookup(p.ins, q=p.tag).json["items"]}
    assert ids == set(p.names) - {gone, locked}


def test_lookup_shows_emails_to_admins_only(server):
    p = People(server)
    items = p.lookup(p.admin, q=p.tag).json["items"]
    assert items and all(i["email"].endswith("@example.com") for i in items)
    # Admins also find people by address; instructors do not.
    u, _ = next(iter(p.names.values()))
    email = u.user["email"]
    assert [i["id"] for i in p.lookup(p.admin, q=email).json["items"]] == [
        u.id]
    assert p.lookup(p.ins, q=email).json["items"] == []


def test_lookup_limits(server):
    p = People(server)
    r = p.lookup(p.ins, q=p.tag, limit=2)
    assert len(r.json["items"]) == 2
    assert len(p.lookup(p.ins, q=p.tag, limit=25).json["items"]) == 3
    assert_invalid(p.lookup(p.ins, q=p.tag, limit=26), "limit")
    assert_invalid(p.lookup(p.ins, q=p.tag, limit=0), "limit")


def test_lookup_refuses_bad_input(server):
    p = People(server)
    assert_invalid(p.lookup(p.ins), "q")
    assert_invalid(p.lookup(p.ins, q="a"), "q")
    assert_invalid(p.lookup(p.ins, q="x" * 101), "q")
    assert_invalid(p.lookup(p.ins, q="ab\x01"), "q")
    assert_invalid(p.lookup(p.ins, q=p.tag, staff="yes"), "staff")
    # Wildcards are text, not patterns.
    assert p.lookup(p.ins, q="%%").json["items"] == []
    assert p.lookup(p.ins, q="__").json["items"] == []
    # Bytes that are not UTF-8 are no server error.
    r = p.ins.request("GET", "/api/v1/users/lookup?q=%ff%fe")
    assert r.status == 200, r


def test_lookup_is_for_instructors(server):
    p = People(server)
    assert_problem(p.lookup(p.student, q=p.tag), 403, "forbidden")
    r = server.request("GET", "/api/v1/users/lookup?q=" + p.tag)
    assert r.status == 401, r


def test_the_openapi_document_lists_the_new_routes(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    assert "get" in doc["paths"]["/api/v1/users/lookup"]
    assert "post" in doc["paths"]["/api/v1/lessons/preview"]


# ---- POST /api/v1/lessons/preview ------------------------------------------

def test_preview_renders_markdown_as_a_saved_lesson(server):
    org = new_org(server, "prev")
    ins = new_account(server, "instructor", org)
    md = ("# Title\n\n**bold** <script>alert(1)</script> "
          "[x](javascript:alert(1)) [ok](https://example.com)")
    r = ins.request("POST", "/api/v1/lessons/preview", {"markdown": md})
    assert r.status == 200, r
    html = r.json["html"]
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script>" not in html and "javascript:" not in html
    assert 'href="https://example.com"' in html
    # The same HTML a saved lesson gets.
    cid = ok(ins.request("POST", "/api/v1/courses",
                         {"title": f"Preview {uniq()}"}), 201)["id"]
    unit = ok(ins.request("POST", f"/api/v1/courses/{cid}/units",
                          {"title": "U"}), 201)["units"][-1]["id"]
    saved = ok(ins.request("POST", f"/api/v1/units/{unit}/lessons",
                           {"title": "L", "content": {"markdown": md}}), 201)
    assert saved["content_html"] == html
    # Nothing is kept.
    assert ok(ins.request("POST", "/api/v1/lessons/preview",
                          {"markdown": ""}))["html"] == ""


def test_preview_refuses_bad_input_and_students(server):
    org = new_org(server, "prevx")
    ins = new_account(server, "instructor", org)
    student = new_account(server, "student", org)
    path = "/api/v1/lessons/preview"
    assert_invalid(ins.request("POST", path, {}), "markdown")
    assert_invalid(ins.request("POST", path, {"markdown": 3}), "markdown")
    assert_invalid(ins.request("POST", path, {"markdown": "x", "y": 1}), "y")
    assert_invalid(ins.request("POST", path, {"markdown": "x" * 100001}),
                   "markdown")
    assert ins.request("POST", path,
                       {"markdown": "x" * 100000}).status == 200
    assert_problem(student.request("POST", path, {"markdown": "x"}), 403,
                   "forbidden")
