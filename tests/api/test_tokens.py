"""Personal access tokens (migration 0018, src/identity/api_tokens.c).

A token is shown once, does what both it and its owner's role (as it is
now) permit, cannot make tokens, is listed with its last use, and stops
working when revoked or expired, or when its owner is locked out.
"""
import pytest

from support import problem
from test_admin import Org, sql  # noqa: F401

PW = "a long secret phrase"




def with_token(server, token, method, path, body=None):
    return server.request(method, path, body,
                          {"Authorization": f"Bearer {token}"})


def test_a_token_does_what_it_and_its_owner_may(server):
    org = Org(server)
    t = org.user(role="instructor")
    r = t.request("POST", "/api/v1/me/tokens", {
        "name": "CI import", "permissions": ["question.manage", "learn"],
        "days": 10})
    assert r.status == 201, r
    token = r.json["token"]
    assert token.startswith("lpat_") and len(token) == 48
    assert r.json["prefix"] == token[:9]
    assert r.json["status"] == "active"
    # Shown once: the list has the prefix, never the token.
    listed = t.get("/api/v1/me/tokens").json["items"]
    assert listed[0]["name"] == "CI import" and "token" not in listed[0]
    assert token not in str(listed)
    assert sql(server, "SELECT count(*) FROM access_tokens WHERE "
                       f"token_hash LIKE '%{token[5:]}%'")[0][0] == "0"

    # What it may: questions (question.manage), not courses (course.author
    # is the owner's, not the token's), not its owner's account.
    assert with_token(server, token, "GET",
                      "/api/v1/questions?limit=1").status == 200
    problem(with_token(server, token, "POST", "/api/v1/courses",
                       {"title": "Nope"}), 403, "forbidden")
    problem(with_token(server, token, "GET", "/api/v1/me"), 403,
            "forbidden")
    # Its last use is noted.
    used = t.get("/api/v1/me/tokens").json["items"][0]
    assert used["last_used_at"] and used["last_used_ip"] == "127.0.0.1"

    # The owner's role loses question.manage: so does the token.
    org.admin.request("PATCH", f"/api/v1/admin/users/{t.id}",
                      {"role": "student"})
    problem(with_token(server, token, "GET", "/api/v1/questions?limit=1"),
            403, "forbidden")
    assert with_token(server, token, "GET",
                      "/api/v1/me/dashboard").status == 200


def test_a_token_cannot_make_tokens_or_exceed_its_owner(server):
    org = Org(server)
    t = org.user(role="instructor")
    token = t.request("POST", "/api/v1/me/tokens", {
        "name": "all of mine", "permissions": ["account.self", "learn",
                                               "token.create"]}).json["token"]
    problem(with_token(server, token, "POST", "/api/v1/me/tokens",
                       {"name": "child", "permissions": ["learn"]}),
            403, "forbidden")
    p = problem(t.request("POST", "/api/v1/me/tokens", {
        "name": "too much", "permissions": ["audit.read"]}), 403,
        "forbidden")
    assert "audit.read" in p["detail"]
    # A student has no token.create at all.
    s = org.user()
    problem(s.request("POST", "/api/v1/me/tokens", {
        "name": "x", "permissions": ["learn"]}), 403, "forbidden")


@pytest.mark.parametrize("body,field", [
    ({"permissions": ["learn"]}, "name"),
    ({"name": "", "permissions": ["learn"]}, "name"),
    ({"name": "x" * 101, "permissions": ["learn"]}, "name"),
    ({"name": "x"}, "permissions"),
    ({"name": "x", "permissions": []}, "permissions"),
    ({"name": "x", "permissions": ["fly"]}, "permissions"),
    ({"name": "x", "permissions": ["learn"], "days": 0}, "days"),
    ({"name": "x", "permissions": ["learn"], "days": 366}, "days"),
    ({"name": "x", "permissions": ["learn"], "scope": "all"}, "scope"),
])
def test_bad_tokens_are_refused(server, body, field):
    org = Org(server)
    t = org.user(role="instructor")
    problem(t.request("POST", "/api/v1/me/tokens", body), 422,
            "validation-failed", field)
    assert t.get("/api/v1/me/tokens").json["items"] == []


def test_revoked_expired_and_locked_out_tokens_stop(server):
    org = Org(server)
    t = org.user(role="instructor")
    make = lambda n: t.request("POST", "/api/v1/me/tokens", {  # noqa: E731
        "name": n, "permissions": ["learn"]}).json
    a, b, c = make("a"), make("b"), make("c")
    r = t.request("POST", f"/api/v1/me/tokens/{a['id']}/revoke")
    assert r.status == 200 and r.json["status"] == "revoked", r
    problem(t.request("POST", f"/api/v1/me/tokens/{a['id']}/revoke"), 409,
            "conflict")
    p = problem(with_token(server, a["token"], "GET", "/api/v1/me/xp"), 401,
                "unauthenticated")
    assert "revoked" in p["detail"]
    sql(server, "UPDATE access_tokens SET created_at = now() - interval "
                "'40 days', expires_at = now() - interval '1 second' "
                f"WHERE id = '{b['id']}'")
    problem(with_token(server, b["token"], "GET", "/api/v1/me/xp"), 401,
            "unauthenticated")
    assert with_token(server, c["token"], "GET",
                      "/api/v1/me/xp").status == 200
    org.admin.request("POST", f"/api/v1/admin/users/{t.id}/lock")
    problem(with_token(server, c["token"], "GET", "/api/v1/me/xp"), 401,
            "unauthenticated")
    # Garbage is just not a token.
    for bad in ("lpat_", "lpat_short", "lpat_" + "!" * 43):
        problem(with_token(server, bad, "GET", "/api/v1/me/xp"), 401,
                "unauthenticated")


def test_tokens_are_their_owners_own(server):
    org = Org(server)
    t = org.user(role="instructor")
    other = org.user(role="instructor")
    tok = t.request("POST", "/api/v1/me/tokens", {
        "name": "mine", "permissions": ["learn"]}).json
    assert other.get("/api/v1/me/tokens").json["items"] == []
    problem(other.request("POST", f"/api/v1/me/tokens/{tok['id']}/revoke"),
            404, "not-found")
    actions = [e["action"] for e in org.admin.get(
        "/api/v1/admin/audit?action=token.*").json["items"]]
    assert actions == ["token.created"]
