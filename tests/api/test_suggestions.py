"""Suggested edits: a learner of a course proposes a lesson's text (kept as
seed 002's JSON payload with the version they read); the course's authors
see it beside the text it was made against, accept it (a new version of
the lesson, the learner credited and notified; 409 when the lesson changed
since, unless merged) or reject it with a reason; the learner withdraws it
while it waits; nobody else sees or decides anything.
"""
import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, new_account,
                     new_org, sign_in, sql, uniq)

CR = "/api/v1/courses"


def course_with_lesson(ins, text="Port 22 is SSH."):
    r = ins.request("POST", CR, {"title": f"Suggested {uniq()}"})
    assert r.status == 201, r
    cid = r.json["id"]
    r = ins.request("POST", f"{CR}/{cid}/units", {"title": "U"})
    unit = r.json["units"][-1]["id"]
    r = ins.request("POST", f"/api/v1/units/{unit}/lessons",
                    {"title": "Ports", "kind": "lesson",
                     "content": {"markdown": text,
                                 "media": [{"type": "link",
                                            "url": "https://example.com"}]}})
    assert r.status == 201, r
    lesson = r.json["id"]
    for path in (f"/api/v1/lessons/{lesson}/publish", f"{CR}/{cid}/publish"):
        assert ins.request("POST", path).status == 200
    return cid, lesson


def learner_of(server, cid):
    who = new_account(server)
    assert who.request("POST", f"{CR}/{cid}/enroll").status in (200, 201)
    return who


def suggest(who, lesson, markdown, **extra):
    return who.request("POST", f"/api/v1/lessons/{lesson}/suggestions",
                       {"markdown": markdown, **extra})


def lesson_doc(who, lesson):
    r = who.get(f"/api/v1/lessons/{lesson}")
    assert r.status == 200, r
    return r.json


@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


def test_a_suggestion_accepted_becomes_the_lesson(server, ins):
    cid, lesson = course_with_lesson(ins)
    me = learner_of(server, cid)
    base = lesson_doc(me, lesson)["version"]
    r = suggest(me, lesson, "Port 22 is SSH (TCP).", note="Say TCP",
                base_version=base)
    assert r.status == 201, r
    s = r.json
    assert s["status"] == "pending" and s["base_version"] == base
    assert s["markdown"] == "Port 22 is SSH (TCP)." and s["note"] == "Say TCP"
    assert lesson_doc(me, lesson)["my_suggestion"]["id"] == s["id"]
    # Kept as seed 002's JSON payload.
    row = sql(server, f"SELECT payload->>'markdown' FROM suggested_edits "
                      f"WHERE id = '{s['id']}'")
    assert row[0][0] == "Port 22 is SSH (TCP)."
    # The authors see it with the text it was made against.
    lst = ins.get(f"/api/v1/lessons/{lesson}/suggestions").json
    assert lst["role"] == "author" and [x["id"] for x in lst["items"]] == \
        [s["id"]]
    one = ins.get(f"/api/v1/suggestions/{s['id']}").json
    assert one["base_markdown"] == "Port 22 is SSH."
    assert one["current_markdown"] == "Port 22 is SSH."
    assert one["changed_since"] is False
    # Accepted: a new version with the text, the media kept, the learner
    # credited and told.
    r = ins.request("POST", f"/api/v1/suggestions/{s['id']}/accept", {})
    assert r.status == 200, r
    assert r.json["status"] == "accepted" and r.json["decided_by"] == \
        "instructor"
    doc = lesson_doc(me, lesson)
    assert doc["content"]["markdown"] == "Port 22 is SSH (TCP)."
    assert doc["content"]["media"][0]["url"] == "https://example.com"
    assert "(TCP)" in doc["content_html"]
    assert r.json["applied_version"] == doc["version"] > base
    assert doc["contributors"] == [me.user["username"]]
    assert doc["my_suggestion"] is None
    versions = ins.get(f"/api/v1/lessons/{lesson}/versions").json
    assert any(v["version"] == base for v in versions["items"]), versions
    n = sql(server, f"SELECT kind FROM notifications WHERE user_id = "
                    f"'{me.id}' AND data->>'suggestion_id' = '{s['id']}'")
    assert [x[0] for x in n] == ["suggestion_accepted"]
    n = sql(server, f"SELECT count(*) FROM notifications WHERE kind = "
                    f"'edit_suggested' AND data->>'suggestion_id' = "
                    f"'{s['id']}'")
    assert n[0][0] == "1"
    # Decided once.
    assert_problem(ins.request("POST", f"/api/v1/suggestions/{s['id']}/"
                               "reject", {"reason": "x"}), 409,
                   "already-decided")


def test_a_lesson_changed_since_needs_a_merge(server, ins):
    cid, lesson = course_with_lesson(ins, "Line one.\n\nLine two.")
    me = learner_of(server, cid)
    base = lesson_doc(me, lesson)["version"]
    sid = suggest(me, lesson, "Line one, fixed.\n\nLine two.",
                  base_version=base).json["id"]
    # The author changes the lesson meanwhile.
    r = ins.request("PATCH", f"/api/v1/lessons/{lesson}", {
        "content": {"markdown": "Line one.\n\nLine two, changed."}})
    assert r.status == 200, r
    one = ins.get(f"/api/v1/suggestions/{sid}").json
    assert one["changed_since"] is True
    assert one["base_markdown"] == "Line one.\n\nLine two."
    assert one["current_markdown"] == "Line one.\n\nLine two, changed."
    assert_problem(ins.request("POST", f"/api/v1/suggestions/{sid}/accept",
                               {}), 409, "lesson-changed")
    now = lesson_doc(ins, lesson)["version"]
    merged = "Line one, fixed.\n\nLine two, changed."
    # Merged against an old version: refused too.
    assert_problem(ins.request("POST", f"/api/v1/suggestions/{sid}/accept",
                               {"markdown": merged,
                                "lesson_version": now - 1}), 409,
                   "lesson-changed")
    assert_invalid(ins.request("POST", f"/api/v1/suggestions/{sid}/accept",
                               {"markdown": merged}), "lesson_version")
    r = ins.request("POST", f"/api/v1/suggestions/{sid}/accept",
                    {"markdown": merged, "lesson_version": now})
    assert r.status == 200, r
    assert lesson_doc(me, lesson)["content"]["markdown"] == merged


def test_rejected_and_withdrawn(server, ins):
    cid, lesson = course_with_lesson(ins)
    me = learner_of(server, cid)
    sid = suggest(me, lesson, "Port 22 is Telnet.").json["id"]
    # One waiting at a time per learner and lesson.
    assert_problem(suggest(me, lesson, "Port 22 is FTP."), 409, "conflict")
    assert_invalid(ins.request("POST", f"/api/v1/suggestions/{sid}/reject",
                               {"reason": "  "}), "reason")
    assert_invalid(ins.request("POST", f"/api/v1/suggestions/{sid}/reject",
                               {}), "reason")
    r = ins.request("POST", f"/api/v1/suggestions/{sid}/reject",
                    {"reason": "Port 22 is SSH."})
    assert r.status == 200 and r.json["status"] == "rejected"
    assert r.json["reason"] == "Port 22 is SSH."
    assert lesson_doc(me, lesson)["content"]["markdown"] == "Port 22 is SSH."
    n = sql(server, f"SELECT body FROM notifications WHERE user_id = "
                    f"'{me.id}' AND kind = 'suggestion_rejected'")
    assert "Port 22 is SSH." in n[0][0]
    # A new one may follow, and be withdrawn while it waits.
    sid2 = suggest(me, lesson, "Port 22 is SSH, over TCP.").json["id"]
    r = me.request("DELETE", f"/api/v1/suggestions/{sid2}")
    assert r.status == 200 and r.json["status"] == "withdrawn"
    assert_problem(me.request("DELETE", f"/api/v1/suggestions/{sid2}"), 404,
                   "not-found")
    assert_problem(ins.request("POST", f"/api/v1/suggestions/{sid2}/accept",
                               {}), 409, "already-decided")
    mine = me.get(f"/api/v1/lessons/{lesson}/suggestions").json
    assert [x["status"] for x in mine["items"]] == ["withdrawn", "rejected"]
    assert [x["status"] for x in me.get(
        f"/api/v1/lessons/{lesson}/suggestions?status=rejected").json[
        "items"]] == ["rejected"]
    assert_invalid(me.get(f"/api/v1/lessons/{lesson}/suggestions?status=x"),
                   "status")


def test_who_may_suggest_and_decide(server, ins):
    cid, lesson = course_with_lesson(ins)
    # Not enrolled, the author, another organization.
    stranger = new_account(server)
    assert_problem(suggest(stranger, lesson, "x"), 403, "forbidden")
    assert_problem(suggest(ins, lesson, "x"), 403, "forbidden")
    far = new_account(server, org=new_org(server))
    assert_problem(suggest(far, lesson, "x"), 404, "not-found")
    me = learner_of(server, cid)
    # Nothing to suggest, a version from the future, bad bodies.
    assert_invalid(suggest(me, lesson, "Port 22 is SSH."), "markdown")
    assert_invalid(suggest(me, lesson, "y", base_version=10 ** 6),
                   "base_version")
    assert_invalid(suggest(me, lesson, ""), "markdown")
    assert_invalid(suggest(me, lesson, "x" * 100001), "markdown")
    assert_invalid(suggest(me, lesson, "y", colour="red"), "colour")
    sid = suggest(me, lesson, "Port 22: SSH").json["id"]
    # Only the proposer and the authors see it; only the authors decide.
    other = learner_of(server, cid)
    assert_problem(other.get(f"/api/v1/suggestions/{sid}"), 404, "not-found")
    assert other.get(f"/api/v1/lessons/{lesson}/suggestions").json[
        "items"] == []
    assert_problem(other.request("DELETE", f"/api/v1/suggestions/{sid}"),
                   404, "not-found")
    assert me.get(f"/api/v1/suggestions/{sid}").status == 200
    # (a learner's role lacks course.author: the route refuses first)
    assert_problem(me.request("POST", f"/api/v1/suggestions/{sid}/accept",
                              {}), 403, "forbidden")
    far_ins = new_account(server, role="instructor",
                          org=new_org(server))
    for path in ("accept", "reject"):
        assert_problem(far_ins.request(
            "POST", f"/api/v1/suggestions/{sid}/{path}",
            {"reason": "x"} if path == "reject" else {}), 404, "not-found")
    other_ins = new_account(server, role="instructor")
    assert_problem(other_ins.request(
        "POST", f"/api/v1/suggestions/{sid}/accept", {}), 404, "not-found")
    assert_problem(far.get(f"/api/v1/suggestions/{sid}"), 404, "not-found")
    # A day's limit.
    sql(server, f"INSERT INTO suggested_edits (org_id, lesson_id, course_id, "
                f"user_id, payload, base_version, status) SELECT org_id, "
                f"lesson_id, course_id, user_id, payload, base_version, "
                f"'withdrawn' FROM suggested_edits s, generate_series(1, 20) "
                f"WHERE s.id = '{sid}'")
    other_lesson = course_with_lesson(ins)
    assert learner_of_course(server, me, other_lesson[0])
    r = suggest(me, other_lesson[1], "More text")
    assert r.status == 429, r


def learner_of_course(server, who, cid):
    return who.request("POST", f"{CR}/{cid}/enroll").status in (200, 201)


def test_my_data_export_holds_my_suggestions(server, ins):
    cid, lesson = course_with_lesson(ins)
    me = learner_of(server, cid)
    sid = suggest(me, lesson, "Port 22 is SSH, always.").json["id"]
    doc = me.get("/api/v1/me/export").json
    assert [(x["id"], x["markdown"]) for x in doc["suggested_edits"]] == [
        (sid, "Port 22 is SSH, always.")]


def test_a_reviewer_rejects_but_an_editor_accepts(server, ins):
    """A collaborator who reviews (0033) decides what comes in by
    rejecting; accepting makes a new version of the lesson, an editor's."""
    cid, lesson = course_with_lesson(ins)
    reviewer = new_account(server, role="instructor")
    r = ins.request("POST", f"{CR}/{cid}/collaborators",
                    {"login": reviewer.user["username"], "role": "reviewer"})
    assert r.status == 200, r
    me = learner_of(server, cid)
    sid = suggest(me, lesson, "Port 22 is Secure Shell.").json["id"]
    # The reviewer sees it, as the course's authors do.
    assert reviewer.get(f"/api/v1/suggestions/{sid}").status == 200
    assert_problem(reviewer.request("POST",
                                    f"/api/v1/suggestions/{sid}/accept", {}),
                   403, "forbidden")
    assert lesson_doc(me, lesson)["content"]["markdown"] == "Port 22 is SSH."
    r = reviewer.request("POST", f"/api/v1/suggestions/{sid}/reject",
                         {"reason": "SSH is the usual name."})
    assert r.status == 200 and r.json["status"] == "rejected"
