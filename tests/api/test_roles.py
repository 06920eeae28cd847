"""Permissions and roles (migration 0016, src/identity/api_roles.c).

Routes check permissions, not role names: a role of one's own (a teaching
assistant who grades but does not author) gets exactly what its set
permits, at the next request after a change.  Nobody gives a role, or
changes one, beyond what they hold; the built-in roles do not change; the
organization keeps an admin; every change is audited; another
organization's roles are out of sight.
"""
import json

import pytest

from support import problem
from test_admin import Account, Org, sql  # noqa: F401




def test_the_permissions_are_listed_in_their_order(server):
    org = Org(server)
    r = org.admin.get("/api/v1/permissions")
    assert r.status == 200, r
    codes = [p["code"] for p in r.json["items"]]
    assert codes[:2] == ["account.self", "learn"]
    assert len(codes) == 14 and "grade.write" in codes
    assert all(p["description"] for p in r.json["items"])


def test_every_organization_has_the_built_in_roles(server):
    org = Org(server)
    student = org.user()
    r = student.get("/api/v1/roles")
    assert r.status == 200, r
    roles = {x["key"]: x for x in r.json["items"]}
    assert list(roles) == ["student", "instructor", "admin"]
    assert roles["student"]["permissions"] == ["account.self", "learn"]
    assert roles["student"]["members"] == 1
    assert roles["admin"]["members"] == 1
    assert all(x["builtin"] for x in roles.values())
    me = student.get("/api/v1/me").json
    assert me["role"] == "student"
    assert me["permissions"] == ["account.self", "learn"]


def test_a_teaching_assistant_grades_but_does_not_author(server):
    org = Org(server)
    r = org.admin.request("POST", "/api/v1/admin/roles", {
        "key": "ta", "name": "Teaching assistant",
        "description": "Grades and answers questions.",
        "permissions": ["account.self", "learn", "grade.write",
                        "user.lookup"]})
    assert r.status == 201, r
    assert r.json["key"] == "ta" and not r.json["builtin"]
    assert r.json["permissions"] == ["account.self", "learn", "user.lookup",
                                     "grade.write"]
    ta = org.user()
    r = org.admin.request("PATCH", f"/api/v1/admin/users/{ta.id}",
                          {"role": "ta"})
    assert r.status == 200, r
    # The role change ended the sessions: sign in again.
    ta.client = server.login(ta.username, "a long secret phrase")
    me = ta.get("/api/v1/me").json
    assert me["role"] == "ta" and "grade.write" in me["permissions"]
    # user.lookup: yes; course.author: no; user.manage: no.
    assert ta.get("/api/v1/users/lookup?q=boss").status == 200
    r = ta.request("POST", "/api/v1/courses", {"title": "Mine"})
    body = problem(r, 403, "forbidden")
    assert "course.author" in body["detail"]
    problem(ta.get("/api/v1/admin/users"), 403, "forbidden")
    assert ta.get("/api/v1/me/dashboard").status == 200

    # Giving the role authoring takes effect at the next request.
    r = org.admin.request("PATCH", "/api/v1/admin/roles/ta", {
        "permissions": ["account.self", "learn", "grade.write",
                        "user.lookup", "course.author"]})
    assert r.status == 200, r
    r = ta.request("POST", "/api/v1/courses", {"title": "Mine now"})
    assert r.status == 201, r
    # And taking it away, too.
    r = org.admin.request("PATCH", "/api/v1/admin/roles/ta",
                          {"permissions": ["account.self", "learn"]})
    assert r.status == 200, r
    problem(ta.request("POST", "/api/v1/courses", {"title": "No"}), 403,
            "forbidden")

    # The role is in use: it stays until nobody has it.
    problem(org.admin.request("DELETE", "/api/v1/admin/roles/ta"), 409,
            "role-in-use")
    assert org.admin.request("PATCH", f"/api/v1/admin/users/{ta.id}",
                             {"role": "student"}).status == 200
    r = org.admin.request("DELETE", "/api/v1/admin/roles/ta")
    assert r.status == 204, r
    problem(org.admin.request("DELETE", "/api/v1/admin/roles/ta"), 404,
            "not-found")

    # Every step is in the audit trail, with the values before and after.
    r = org.admin.get("/api/v1/admin/audit?entity_type=role&limit=10")
    actions = [e["action"] for e in r.json["items"]]
    assert actions.count("role.changed") == 2
    assert "role.created" in actions and "role.deleted" in actions
    changed = [e for e in r.json["items"] if e["action"] == "role.changed"]
    assert "course.author" in json.dumps(changed[-1]["new_values"]) or \
        "course.author" in json.dumps(changed[0]["new_values"])


def test_role_input_is_checked(server):
    org = Org(server)
    a = org.admin
    cases = [
        ({"key": "TA", "name": "x", "permissions": []}, "key"),
        ({"key": "t", "name": "x", "permissions": []}, "key"),
        ({"key": "ta", "name": "", "permissions": []}, "name"),
        ({"key": "ta", "name": "x", "permissions": ["fly"]}, "permissions"),
        ({"key": "ta", "name": "x", "permissions": "learn"}, "permissions"),
        ({"key": "ta", "name": "x"}, "permissions"),
        ({"key": "ta", "name": "x", "permissions": [], "extra": 1}, "extra"),
        ({"key": "ta", "name": "x" * 101, "permissions": []}, "name"),
    ]
    for body, field in cases:
        r = a.request("POST", "/api/v1/admin/roles", body)
        p = problem(r, 422, "validation-failed")
        assert field in [e["field"] for e in p["errors"]], (body, p)
    assert a.request("POST", "/api/v1/admin/roles", {
        "key": "ta", "name": "x", "permissions": []}).status == 201
    problem(a.request("POST", "/api/v1/admin/roles", {
        "key": "ta", "name": "y", "permissions": []}), 409, "conflict")
    p = problem(a.request("PATCH", "/api/v1/admin/roles/ta",
                          {"key": "tb"}), 422, "validation-failed")
    assert p["errors"][0]["field"] == "key"
    problem(a.request("PATCH", "/api/v1/admin/roles/Bad-Key",
                      {"name": "z"}), 404, "not-found")
    problem(a.request("PATCH", "/api/v1/admin/roles/nosuch",
                      {"name": "z"}), 404, "not-found")
    p = problem(a.request("PATCH", f"/api/v1/admin/users/{org.user().id}",
                          {"role": "wizard"}), 422, "validation-failed")
    assert p["errors"][0]["field"] == "role"


def test_the_built_in_roles_do_not_change(server):
    org = Org(server)
    for method, body in (("PATCH", {"name": "Pupil"}), ("DELETE", None)):
        problem(org.admin.request(method, "/api/v1/admin/roles/student",
                                  body), 409, "builtin-role")
    r = org.admin.get("/api/v1/roles")
    student = [x for x in r.json["items"] if x["key"] == "student"][0]
    assert student["name"] == "Student"


def test_nobody_gives_more_than_they_hold(server):
    org = Org(server)
    # A user manager who may manage users and roles, but not read the audit.
    assert org.admin.request("POST", "/api/v1/admin/roles", {
        "key": "manager", "name": "Manager",
        "permissions": ["account.self", "learn", "user.manage",
                        "role.manage"]}).status == 201
    m = org.user()
    assert org.admin.request("PATCH", f"/api/v1/admin/users/{m.id}",
                             {"role": "manager"}).status == 200
    m.client = server.login(m.username, "a long secret phrase")
    # A role beyond their own set: refused, whether made or changed.
    p = problem(m.request("POST", "/api/v1/admin/roles", {
        "key": "spy", "name": "Spy",
        "permissions": ["account.self", "audit.read"]}), 403, "forbidden")
    assert "audit.read" in p["detail"]
    assert m.request("POST", "/api/v1/admin/roles", {
        "key": "helper", "name": "Helper",
        "permissions": ["account.self", "learn"]}).status == 201
    problem(m.request("PATCH", "/api/v1/admin/roles/helper", {
        "permissions": ["account.self", "analytics.read"]}), 403, "forbidden")
    # Giving the admin role, or taking it from an admin: refused.
    s = org.user()
    problem(m.request("PATCH", f"/api/v1/admin/users/{s.id}",
                      {"role": "admin"}), 403, "forbidden")
    problem(m.request("PATCH", f"/api/v1/admin/users/{org.admin.id}",
                      {"role": "student"}), 403, "forbidden")
    problem(m.request("POST", f"/api/v1/admin/users/{org.admin.id}/lock"),
            403, "forbidden")
    # Within their set: fine.
    assert m.request("PATCH", f"/api/v1/admin/users/{s.id}",
                     {"role": "helper"}).status == 200
    # The admin's role cannot be changed by anyone holding less.
    r = org.admin.get(f"/api/v1/admin/users/{org.admin.id}")
    assert r.json["role"] == "admin"


def test_the_organization_keeps_an_admin(server):
    org = Org(server)
    assert org.admin.request("POST", "/api/v1/admin/roles", {
        "key": "boss", "name": "Boss",
        "permissions": [p["code"] for p in
                        org.admin.get("/api/v1/permissions").json["items"]]
    }).status == 201
    b = org.user()
    assert org.admin.request("PATCH", f"/api/v1/admin/users/{b.id}",
                             {"role": "boss"}).status == 200
    b.client = server.login(b.username, "a long secret phrase")
    assert b.request("PATCH", f"/api/v1/admin/users/{org.admin.id}",
                     {"role": "student"}).status == 200
    # b is the last who may manage roles: their own role keeps role.manage.
    problem(b.request("PATCH", "/api/v1/admin/roles/boss", {
        "permissions": ["account.self", "learn", "user.manage"]}), 409,
        "last-admin")
    r = b.get("/api/v1/roles")
    boss = [x for x in r.json["items"] if x["key"] == "boss"][0]
    assert "role.manage" in boss["permissions"]


def test_another_organizations_roles_are_out_of_sight(server):
    one, two = Org(server), Org(server)
    assert one.admin.request("POST", "/api/v1/admin/roles", {
        "key": "secret", "name": "Secret one",
        "permissions": ["account.self"]}).status == 201
    keys = [x["key"] for x in two.admin.get("/api/v1/roles").json["items"]]
    assert "secret" not in keys
    problem(two.admin.request("PATCH", "/api/v1/admin/roles/secret",
                              {"name": "Mine"}), 404, "not-found")
    problem(two.admin.request("DELETE", "/api/v1/admin/roles/secret"), 404,
            "not-found")
    # Nor can their members be given it.
    u = two.user()
    p = problem(two.admin.request("PATCH", f"/api/v1/admin/users/{u.id}",
                                  {"role": "secret"}), 422,
                "validation-failed")
    assert p["errors"][0]["field"] == "role"


@pytest.mark.parametrize("who", ["anonymous", "student", "instructor"])
def test_only_role_managers_define_roles(server, who):
    org = Org(server)
    client = None if who == "anonymous" else org.user(role=who)
    for method, path, body in (
            ("POST", "/api/v1/admin/roles",
             {"key": "x1", "name": "X", "permissions": []}),
            ("PATCH", "/api/v1/admin/roles/student", {"name": "Y"}),
            ("DELETE", "/api/v1/admin/roles/student", None)):
        r = (server.request(method, path, body) if client is None
             else client.request(method, path, body))
        if who == "anonymous":
            problem(r, 401, "unauthenticated")
        else:
            problem(r, 403, "forbidden")
