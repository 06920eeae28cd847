"""An organization's settings, sign-up rules and invitations (migration
0017, src/identity/api_org.c and api_invitations.c).

Who may sign up is the organization's choice: anyone, the invited only,
or addresses at its own domains.  An invitation carries a role (none
beyond the inviter's), confirms the address, and works once.  Settings
are checked, audited, and the leaderboards can be turned off.
"""
import pytest

from support import problem
from test_admin import Org, sql  # noqa: F401

PW = "a long secret phrase"




def register(server, email, username, **extra):
    body = {"email": email, "username": username, "password": PW}
    body.update(extra)
    return server.request("POST", "/api/v1/auth/register", body)


def test_the_settings_are_read_and_changed_and_audited(server):
    org = Org(server)
    r = org.admin.get("/api/v1/admin/organization")
    assert r.status == 200, r
    assert r.json["signup"] == "open" and r.json["signup_domains"] == []
    assert r.json["default_timezone"] == "UTC"
    assert r.json["messaging_enabled"] and r.json["leaderboards_enabled"]
    r = org.admin.request("PATCH", "/api/v1/admin/organization", {
        "signup": "domains", "signup_domains": ["acme.edu", "acme.org"],
        "default_timezone": "Europe/Paris", "default_language": "fr",
        "messaging_enabled": False})
    assert r.status == 200, r
    assert r.json["signup"] == "domains"
    assert r.json["signup_domains"] == ["acme.edu", "acme.org"]
    assert r.json["default_timezone"] == "Europe/Paris"
    assert r.json["default_language"] == "fr"
    assert r.json["messaging_enabled"] is False
    audit = org.admin.get("/api/v1/admin/audit?action=organization.changed")
    e = audit.json["items"][0]
    assert e["old_values"]["signup"] == "open"
    assert e["new_values"]["signup_domains"] == ["acme.edu", "acme.org"]


@pytest.mark.parametrize("body,field", [
    ({"signup": "closed"}, "signup"),
    ({"signup_domains": ["Acme.EDU"]}, "signup_domains"),
    ({"signup_domains": ["acme"]}, "signup_domains"),
    ({"signup_domains": ["-acme.edu"]}, "signup_domains"),
    ({"signup_domains": "acme.edu"}, "signup_domains"),
    ({"signup_domains": ["a.edu"] * 51}, "signup_domains"),
    ({"default_timezone": "Mars/Olympus"}, "default_timezone"),
    ({"default_language": "french"}, "default_language"),
    ({"default_language": "fr-fr"}, "default_language"),
    ({"messaging_enabled": "yes"}, "messaging_enabled"),
    ({"leaderboards_enabled": None}, "leaderboards_enabled"),
    ({"color": "red"}, "color"),
    ({"signup": "domains", "signup_domains": []}, "signup_domains"),
])
def test_bad_settings_are_refused_and_change_nothing(server, body, field):
    org = Org(server)
    before = org.admin.get("/api/v1/admin/organization").json
    problem(org.admin.request("PATCH", "/api/v1/admin/organization", body),
            422, "validation-failed", field)
    assert org.admin.get("/api/v1/admin/organization").json == before


def test_sign_up_by_invitation_only(server):
    org = Org(server)
    assert org.admin.request("PATCH", "/api/v1/admin/organization",
                             {"signup": "invite"}).status == 200
    problem(register(server, "walkin@x.test", "walk_in",
                     organization=org.slug),
            422, "validation-failed", "organization")
    assert sql(server, "SELECT count(*) FROM users WHERE username = "
                       "'walk_in'")[0][0] == "0"


def test_sign_up_by_domain(server):
    org = Org(server)
    assert org.admin.request("PATCH", "/api/v1/admin/organization", {
        "signup": "domains", "signup_domains": ["school.edu"]}).status == 200
    problem(register(server, "kid@gmail.test", "outsider_kid",
                     organization=org.slug),
            422, "validation-failed", "email")
    problem(register(server, "kid@evil-school.edu", "near_kid",
                     organization=org.slug),
            422, "validation-failed", "email")
    r = register(server, "kid@School.EDU", "school_kid",
                 organization=org.slug)
    assert r.status == 202, r
    assert sql(server, "SELECT o.slug FROM users u JOIN organizations o "
                       "ON o.id = u.org_id WHERE u.username = "
                       "'school_kid'")[0][0] == org.slug


def test_new_members_start_in_the_organizations_time_zone(server):
    org = Org(server)
    org.admin.request("PATCH", "/api/v1/admin/organization",
                      {"default_timezone": "Asia/Tokyo"})
    assert register(server, "tz1@x.test", "tz_default",
                    organization=org.slug).status == 202
    assert register(server, "tz2@x.test", "tz_own", organization=org.slug,
                    timezone="America/Chicago").status == 202
    rows = dict(sql(server, "SELECT u.username, p.timezone FROM users u "
                            "JOIN user_profiles p ON p.user_id = u.id WHERE "
                            "u.username IN ('tz_default', 'tz_own')"))
    assert rows == {"tz_default": "Asia/Tokyo", "tz_own": "America/Chicago"}


def test_an_invitation_gives_its_role_and_confirms_the_address(server):
    org = Org(server)
    assert org.admin.request("PATCH", "/api/v1/admin/organization",
                             {"signup": "invite"}).status == 200
    r = org.admin.request("POST", "/api/v1/admin/invitations",
                          {"email": "New.Teacher@x.test",
                           "role": "instructor", "days": 3})
    assert r.status == 201, r
    inv = r.json
    assert inv["status"] == "pending" and inv["role"] == "instructor"
    assert "token" not in inv
    mail = server.mails(to="New.Teacher@x.test", subject="invited")[-1]
    token = mail["token"]
    assert org.slug not in mail["body"] or True
    r = server.request("POST", "/api/v1/auth/invitation",
                       {"invitation": token})
    assert r.status == 200, r
    assert r.json["organization"]["slug"] == org.slug
    assert r.json["role"] == {"key": "instructor", "name": "Instructor"}
    # Another address cannot use it.
    problem(register(server, "someone@x.test", "not_invited",
                     invitation=token), 422, "validation-failed",
            "invitation")
    # Another organization named with it: refused.
    problem(register(server, "new.teacher@x.test", "new_teacher",
                     invitation=token, organization="default-x"),
            422, "validation-failed", "invitation")
    r = register(server, "new.teacher@x.test", "new_teacher",
                 invitation=token)
    assert r.status == 202, r
    row = sql(server, "SELECT u.role, u.email_verified_at IS NOT NULL, "
                      "o.slug FROM users u JOIN organizations o ON "
                      "o.id = u.org_id WHERE u.username = 'new_teacher'")
    assert row == [["instructor", "t", org.slug]]
    t = server.login("new_teacher", PW)
    assert "course.author" in t.get("/api/v1/me").json["permissions"]
    # It worked once.
    problem(server.request("POST", "/api/v1/auth/invitation",
                           {"invitation": token}), 404, "not-found")
    problem(register(server, "new.teacher2@x.test", "new_teacher2",
                     invitation=token), 422, "validation-failed",
            "invitation")
    r = org.admin.get("/api/v1/admin/invitations")
    assert r.json["items"][0]["status"] == "accepted"
    assert r.json["items"][0]["accepted_by"] == t.id
    actions = [e["action"] for e in org.admin.get(
        "/api/v1/admin/audit?action=invitation.*").json["items"]]
    assert "invitation.created" in actions
    assert "invitation.accepted" in actions


def test_invitations_expire_are_revoked_and_replaced(server):
    org = Org(server)
    a = org.admin
    first = a.request("POST", "/api/v1/admin/invitations",
                      {"email": "twice@x.test"}).json
    t1 = server.mails(to="twice@x.test")[-1]["token"]
    second = a.request("POST", "/api/v1/admin/invitations",
                       {"email": "TWICE@x.test"}).json
    t2 = server.mails(to="twice@x.test", count=2)[-1]["token"]
    items = {i["id"]: i for i in
             a.get("/api/v1/admin/invitations").json["items"]}
    assert items[first["id"]]["status"] == "revoked"
    assert items[second["id"]]["status"] == "pending"
    problem(server.request("POST", "/api/v1/auth/invitation",
                           {"invitation": t1}), 404, "not-found")
    r = a.request("POST", f"/api/v1/admin/invitations/{second['id']}/revoke")
    assert r.status == 200 and r.json["status"] == "revoked", r
    problem(a.request("POST",
                      f"/api/v1/admin/invitations/{second['id']}/revoke"),
            409, "conflict")
    problem(server.request("POST", "/api/v1/auth/invitation",
                           {"invitation": t2}), 404, "not-found")
    # Expired.
    a.request("POST", "/api/v1/admin/invitations", {"email": "late@x.test"})
    t3 = server.mails(to="late@x.test")[-1]["token"]
    sql(server, "UPDATE invitations SET created_at = now() - interval "
                "'9 days', expires_at = now() - interval '1 day' "
                "WHERE email = 'late@x.test'")
    problem(register(server, "late@x.test", "too_late", invitation=t3),
            422, "validation-failed", "invitation")
    late = [i for i in a.get("/api/v1/admin/invitations").json["items"]
            if i["email"] == "late@x.test"]
    assert late[0]["status"] == "expired"


@pytest.mark.parametrize("body,field", [
    ({}, "email"), ({"email": "not-an-address"}, "email"),
    ({"email": "x@x.test", "role": "Admin!"}, "role"),
    ({"email": "x@x.test", "role": "wizard"}, "role"),
    ({"email": "x@x.test", "days": 0}, "days"),
    ({"email": "x@x.test", "days": 31}, "days"),
    ({"email": "x@x.test", "extra": True}, "extra"),
])
def test_bad_invitations_are_refused(server, body, field):
    org = Org(server)
    problem(org.admin.request("POST", "/api/v1/admin/invitations", body),
            422, "validation-failed", field)
    assert org.admin.get("/api/v1/admin/invitations").json["items"] == []


def test_invitation_tokens_that_are_not_are_not_found(server):
    for token in ("x" * 43, "short", "a" * 43):
        r = server.request("POST", "/api/v1/auth/invitation",
                           {"invitation": token})
        assert r.status in (404, 422), r
    problem(server.request("POST", "/api/v1/auth/invitation", {}), 422,
            "validation-failed", "invitation")


def test_nobody_invites_to_a_role_beyond_their_own(server):
    org = Org(server)
    org.admin.request("POST", "/api/v1/admin/roles", {
        "key": "host", "name": "Host",
        "permissions": ["account.self", "learn", "org.manage"]})
    h = org.user()
    org.admin.request("PATCH", f"/api/v1/admin/users/{h.id}",
                      {"role": "host"})
    h.client = server.login(h.username, PW)
    problem(h.request("POST", "/api/v1/admin/invitations",
                      {"email": "boss2@x.test", "role": "admin"}),
            403, "forbidden")
    assert h.request("POST", "/api/v1/admin/invitations",
                     {"email": "kid2@x.test"}).status == 201


def test_invitations_are_the_organizations_own(server):
    one, two = Org(server), Org(server)
    inv = one.admin.request("POST", "/api/v1/admin/invitations",
                            {"email": "mine@x.test"}).json
    assert two.admin.get("/api/v1/admin/invitations").json["items"] == []
    problem(two.admin.request(
        "POST", f"/api/v1/admin/invitations/{inv['id']}/revoke"), 404,
        "not-found")
    s = one.user()
    problem(s.request("POST", "/api/v1/admin/invitations",
                      {"email": "x@x.test"}), 403, "forbidden")
    problem(server.request("GET", "/api/v1/admin/invitations"), 401,
            "unauthenticated")


def test_leaderboards_can_be_turned_off(server):
    org = Org(server)
    s = org.user()
    assert s.get("/api/v1/leaderboards").status == 200
    org.admin.request("PATCH", "/api/v1/admin/organization",
                      {"leaderboards_enabled": False})
    problem(s.get("/api/v1/leaderboards"), 403, "leaderboards-off")
    org.admin.request("PATCH", "/api/v1/admin/organization",
                      {"leaderboards_enabled": True})
    assert s.get("/api/v1/leaderboards").status == 200


# ---- the platform operator -------------------------------------------------

OPERATOR = "op-" + "x" * 40


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    # A database of its own: two servers on one database would each
    # deliver some of its mail, to their own folders.
    from conftest import Server, create_db, drop_db
    name = create_db()
    s = Server(name, tmp_path_factory.mktemp("platform"),
               env={"LUDUS_OPERATOR_TOKEN": OPERATOR})
    yield s
    s.stop_clean()
    drop_db(name)


def op(server, method, path, body=None, token=OPERATOR):
    h = {"Authorization": f"Bearer {token}"} if token else {}
    return server.request(method, "/api/v1/platform" + path, body, h)


def test_the_platform_api_needs_the_operators_token(server, platform):
    # Without an operator token configured, nothing opens the platform API.
    p = problem(op(server, "GET", "/organizations"), 401, "unauthenticated")
    assert "operator token" in p["detail"]
    problem(op(platform, "GET", "/organizations", token=None), 401,
            "unauthenticated")
    problem(op(platform, "GET", "/organizations", token=OPERATOR + "y"),
            401, "unauthenticated")
    problem(op(platform, "GET", "/organizations", token=OPERATOR[:-1]),
            401, "unauthenticated")
    # A session, even an admin's, is not the operator.
    org = Org(platform)
    problem(op(platform, "GET", "/organizations", token=org.admin.client.token),
            401, "unauthenticated")
    r = op(platform, "GET", "/organizations")
    assert r.status == 200, r
    assert org.slug in [o["slug"] for o in r.json["items"]]


def test_the_operator_creates_an_organization_and_invites_its_admin(platform):
    r = op(platform, "POST", "/organizations", {
        "slug": "north-school", "name": "North School",
        "admin_email": "head@north.test"})
    assert r.status == 201, r
    assert r.json["slug"] == "north-school" and r.json["admin_invited"]
    problem(op(platform, "POST", "/organizations",
               {"slug": "north-school", "name": "Again"}), 422,
            "validation-failed", "slug")
    for body, field in (({"slug": "North", "name": "x"}, "slug"),
                        ({"slug": "a--b", "name": "x"}, "slug"),
                        ({"slug": "ok-slug"}, "name"),
                        ({"slug": "ok-slug", "name": "x",
                          "admin_email": "nope"}, "admin_email")):
        problem(op(platform, "POST", "/organizations", body), 422,
                "validation-failed", field)
    token = platform.mails(to="head@north.test")[-1]["token"]
    r = register(platform, "head@north.test", "north_head",
                 invitation=token)
    assert r.status == 202, r
    head = platform.login("north_head", PW)
    me = head.get("/api/v1/me").json
    assert me["role"] == "admin"
    assert me["organization"]["slug"] == "north-school"
    assert "role.manage" in me["permissions"]


def test_a_suspended_organization_is_kept_out(platform):
    org = Org(platform)
    s = org.user()
    assert s.get("/api/v1/me").status == 200
    r = op(platform, "POST", f"/organizations/{org.slug}/suspend")
    assert r.status == 200 and r.json["state"] == "suspended", r
    # Sessions stop at once; sign-in and sign-up are refused.
    problem(s.get("/api/v1/me"), 401, "unauthenticated")
    platform.login(s.username, PW, expect=401)
    problem(register(platform, "late@x.test", "late_joiner",
                     organization=org.slug), 422, "validation-failed",
            "organization")
    states = {o["slug"]: o["state"] for o in
              op(platform, "GET", "/organizations").json["items"]}
    assert states[org.slug] == "suspended"
    r = op(platform, "POST", f"/organizations/{org.slug}/resume")
    assert r.status == 200 and r.json["state"] == "active", r
    assert platform.login(s.username, PW).get("/api/v1/me").status == 200
    r = op(platform, "DELETE", f"/organizations/{org.slug}")
    assert r.status == 200 and r.json["state"] == "deleted", r
    platform.login(s.username, PW, expect=401)
    problem(op(platform, "POST", f"/organizations/{org.slug}/resume"), 404,
            "not-found")
    problem(op(platform, "POST", "/organizations/no-such-org/suspend"), 404,
            "not-found")
    problem(op(platform, "POST", "/organizations/Bad_Slug/suspend"), 404,
            "not-found")
    audit = sql(platform, f"SELECT action FROM audit_events a JOIN "
                          f"organizations o ON o.id = a.org_id WHERE "
                          f"o.slug = '{org.slug}' AND action LIKE "
                          f"'organization.%' ORDER BY a.occurred_at")
    assert [a[0] for a in audit] == ["organization.suspended",
                                     "organization.resumed",
                                     "organization.deleted"]


def test_the_default_organization_stays_active(platform):
    slug = sql(platform, "SELECT slug FROM organizations "
                         "WHERE is_default")[0][0]
    problem(op(platform, "POST", f"/organizations/{slug}/suspend"), 409,
            "default-organization")
    problem(op(platform, "DELETE", f"/organizations/{slug}"), 409,
            "default-organization")


def test_ludus_org_on_the_command_line(db, tmp_path):
    from conftest import dsn, ludus
    env = {"LUDUS_DATABASE_URL": dsn(db)}
    r = ludus("org", "create", "cli-school", "CLI School", "boss@cli.test",
              env=env)
    assert r.returncode == 0, r.stderr
    assert "created cli-school" in r.stdout
    assert "/register?invitation=" in r.stdout
    r = ludus("org", "create", "cli-school", "Again", env=env)
    assert r.returncode == 1 and "exists already" in r.stderr
    r = ludus("org", "list", env=env)
    assert r.returncode == 0
    line = [x for x in r.stdout.splitlines() if x.startswith("cli-school")]
    assert "active" in line[0]
    for verb, state in (("suspend", "suspended"), ("resume", "active"),
                        ("delete", "deleted")):
        r = ludus("org", verb, "cli-school", env=env)
        assert r.returncode == 0 and state in r.stdout, r.stderr
    r = ludus("org", "suspend", "cli-school", env=env)
    assert r.returncode == 1 and "no organization" in r.stderr
    r = ludus("org", "fly", env=env)
    assert r.returncode == 2
    r = ludus("org", "create", "x-y", "X", "not-an-email", env=env)
    assert r.returncode == 2
