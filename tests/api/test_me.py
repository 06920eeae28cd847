"""The signed-in user's own account: /api/v1/me and everything under it.

Every test makes its own accounts (a counter keeps the names apart), so the
tests do not depend on one another or on their order.
"""
import itertools
import json
import uuid

import pytest

from conftest import SEEN, Client, psql

PROBLEM = "application/problem+json"
PW = "a long secret phrase"
_seq = itertools.count(1)

PROFILE_KEYS = {"first_name", "last_name", "display_name", "bio",
                "avatar_url", "timezone", "locale"}
CLEARABLE = ("first_name", "last_name", "display_name", "bio", "avatar_url")


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
    assert "errors" in p, f"a 422 must name the invalid fields: {p}"
    assert {e["field"] for e in p["errors"]} == set(fields), p
    for e in p["errors"]:
        assert e["message"], p
    return p


def sign_in(server, login, password=PW):
    """Signs in; a Client that also knows its session id and password."""
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": login, "password": password})
    assert r.status == 200, r
    SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    c = Client(server, r.json)
    c.session_id = r.json["session_id"]
    c.password = password
    c.login = login
    return c


def new_user(server, role="student", org=None, password=PW, **extra):
    """Registers a new account (promoted to role via SQL) and signs in."""
    n = next(_seq)
    username = f"me_user_{n:04d}"
    email = f"me.user.{n:04d}@example.com"
    if org is not None:
        extra["organization"] = org
    r = server.register(email, username, password, **extra)
    assert r.status == 202, r
    if role != "student":
        psql(f"UPDATE users SET role = '{role}' WHERE username = '{username}'",
             server.db)
    c = sign_in(server, username, password)
    c.username, c.email = username, email
    return c


def sql(server, query):
    return psql(query, server.db)


def user_row(server, user_id, columns):
    return sql(server,
               f"SELECT {columns} FROM users WHERE id = '{user_id}'")[0]


def audits(server, action, entity_id):
    """The audit rows of action about entity_id, oldest first."""
    rows = sql(server, f"""
        SELECT actor_user_id, entity_type, coalesce(old_values::text, ''),
               coalesce(new_values::text, ''), success,
               coalesce(host(ip), ''), coalesce(request_id, '')
        FROM audit_events WHERE action = '{action}'
            AND entity_id = '{entity_id}'
        ORDER BY occurred_at, id""")
    return [{"actor": a, "entity_type": t,
             "old": json.loads(o) if o else None,
             "new": json.loads(n) if n else None,
             "success": s == "t", "ip": ip, "request_id": rid}
            for a, t, o, n, s, ip, rid in rows]


def still_signed_in(client):
    return client.get("/api/v1/me").status == 200


def assert_signed_out(client):
    r = client.get("/api/v1/me")
    assert_problem(r, 401, "unauthenticated")


def profile(client):
    r = client.get("/api/v1/me")
    assert r.status == 200, r
    return r.json["profile"]


def settings(client):
    r = client.get("/api/v1/me/settings")
    assert r.status == 200, r
    return r.json


def patch_me(client, body):
    return client.request("PATCH", "/api/v1/me", body)


def patch_settings(client, body):
    return client.request("PATCH", "/api/v1/me/settings", body)


def keys_of(doc):
    """Every object key anywhere in a JSON document."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from keys_of(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from keys_of(v)


# ---- GET /api/v1/me --------------------------------------------------------

def test_me_describes_the_account(server):
    u = new_user(server, first_name="Ada", last_name="Lovelace",
                 timezone="Europe/Berlin")
    r = u.get("/api/v1/me")
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/json"
    me = r.json
    assert me["id"] == u.id
    assert me["email"] == u.email
    assert me["username"] == u.username
    assert me["role"] == "student"
    assert me["email_verified"] is False
    assert set(me["organization"]) == {"id", "slug", "name"}
    assert me["organization"]["slug"] == "default"
    org_id = sql(server, "SELECT id FROM organizations WHERE slug = 'default'")
    assert me["organization"]["id"] == org_id[0][0]
    assert set(me["profile"]) == PROFILE_KEYS
    assert me["profile"] == {
        "first_name": "Ada", "last_name": "Lovelace",
        "display_name": "Ada Lovelace", "bio": None, "avatar_url": None,
        "timezone": "Europe/Berlin", "locale": "en"}


def test_me_never_shows_the_password_hash(server):
    u = new_user(server)
    r = u.get("/api/v1/me")
    assert "password_hash" not in set(keys_of(r.json))
    assert b"password_hash" not in r.body
    (hash_,) = user_row(server, u.id, "password_hash")
    assert hash_.encode() not in r.body
    assert u.token.encode() not in r.body


def test_me_of_a_verified_admin(server):
    a = sign_in(server, "admin", "password123")
    me = a.get("/api/v1/me").json
    assert me["role"] == "admin"
    assert me["email_verified"] is True
    assert me["username"] == "admin"


# ---- PATCH /api/v1/me ------------------------------------------------------

@pytest.mark.parametrize("field,value", [
    ("first_name", "Grace"),
    ("last_name", "Hopper"),
    ("display_name", "Amazing Grace"),
    ("bio", "Line one\nLine two\twith a tab, and ünïcödé 😀"),
    ("avatar_url", "https://cdn.example.com/avatars/grace.png?size=128"),
    ("avatar_url", "http://example.com/a.png"),
    ("timezone", "America/Argentina/Buenos_Aires"),
    ("timezone", "UTC"),
    ("timezone", "Etc/GMT+3"),
    ("locale", "de"),
    ("locale", "pt-BR"),
    ("first_name", "ü" * 100),
])
def test_patch_each_profile_field(server, field, value):
    u = new_user(server, first_name="Before", last_name="Change")
    before = profile(u)
    r = patch_me(u, {field: value})
    assert r.status == 200, r
    expected = dict(before, **{field: value})
    assert r.json["profile"] == expected
    assert r.json["id"] == u.id
    assert profile(u) == expected


def test_patch_several_fields_at_once(server):
    u = new_user(server)
    body = {"first_name": "Linus", "last_name": "Pauling", "locale": "en-GB",
            "timezone": "Europe/London", "bio": "Chemist."}
    r = patch_me(u, body)
    assert r.status == 200, r
    for k, v in body.items():
        assert r.json["profile"][k] == v


@pytest.mark.parametrize("clear", [None, ""], ids=["null", "empty"])
@pytest.mark.parametrize("field", CLEARABLE)
def test_clearable_fields_clear_with_null_or_empty(server, field, clear):
    u = new_user(server)
    value = "https://example.com/me.png" if field == "avatar_url" else "Set"
    assert patch_me(u, {field: value}).json["profile"][field] == value
    r = patch_me(u, {field: clear})
    assert r.status == 200, r
    assert r.json["profile"][field] is None
    assert profile(u)[field] is None
    col = sql(server, f"SELECT {field} IS NULL FROM user_profiles "
                      f"WHERE user_id = '{u.id}'")
    assert col == [["t"]]


@pytest.mark.parametrize("value", [None, ""], ids=["null", "empty"])
@pytest.mark.parametrize("field", ["timezone", "locale"])
def test_timezone_and_locale_cannot_be_cleared(server, field, value):
    u = new_user(server)
    before = profile(u)
    assert_invalid(patch_me(u, {field: value}), field)
    assert profile(u) == before


@pytest.mark.parametrize("url", [
    "ftp://example.com/a.png",
    "javascript:alert(1)",
    "https://example.com/my avatar.png",
    "https://example.com/" + "a" * 482,          # 501 characters
    "https://example.com/" + "a" * 1000,
    "//example.com/a.png",
    "https://",
    "https:///path",
    "https://example.com/\"onload=\"x",
    "https://example.com/<script>",
    "data:image/png;base64,AAAA",
])
def test_bad_avatar_url_is_refused(server, url):
    u = new_user(server)
    before = profile(u)
    assert_invalid(patch_me(u, {"avatar_url": url}), "avatar_url")
    assert profile(u) == before


# rules_url() looks for ASCII spaces only; the database's CHECK refuses
# these, and the 422 must still name the field.
@pytest.mark.parametrize("url", ["https://example.com/a\u3000b",
                                 "https://example.com/a\u2028b"],
                         ids=["U+3000", "U+2028"])
def test_avatar_url_with_a_unicode_space_names_the_field(server, url):
    u = new_user(server)
    r = patch_me(u, {"avatar_url": url})
    assert profile(u)["avatar_url"] is None
    assert_invalid(r, "avatar_url")


def test_avatar_url_of_500_characters_is_fine(server):
    u = new_user(server)
    url = "https://example.com/" + "a" * 480
    assert len(url) == 500
    r = patch_me(u, {"avatar_url": url})
    assert r.status == 200, r
    assert r.json["profile"]["avatar_url"] == url


@pytest.mark.parametrize("tz", [
    "utc", "UTC+3", "PST", "Europe", "Europe/", "/Berlin", "Europe//Berlin",
    "Europe/Ber lin", "europe/berlin", "Europe/" + "B" * 60, "Europe/Berlin\t",
    "Éurope/Berlin",
])
def test_bad_timezone_is_refused(server, tz):
    u = new_user(server)
    before = profile(u)
    assert_invalid(patch_me(u, {"timezone": tz}), "timezone")
    assert profile(u) == before


# Well-formed but unknown: only the database's CHECK (is_valid_timezone)
# refuses it, and the 422 must still name the field.
@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "Europe/Atlantis"])
def test_unknown_timezone_is_refused_naming_the_field(server, tz):
    u = new_user(server)
    before = profile(u)
    r = patch_me(u, {"timezone": tz})
    assert profile(u) == before
    assert_invalid(r, "timezone")


@pytest.mark.parametrize("locale", [
    "EN", "english", "en-us", "en_US", "e", "EN-US", "12", "en-U", "de-DE-x",
])
def test_bad_locale_is_refused(server, locale):
    u = new_user(server)
    before = profile(u)
    assert_invalid(patch_me(u, {"locale": locale}), "locale")
    assert profile(u) == before


def test_bio_is_counted_in_characters(server):
    u = new_user(server)
    assert_invalid(patch_me(u, {"bio": "a" * 2001}), "bio")
    assert_invalid(patch_me(u, {"bio": "ü" * 2001}), "bio")
    assert profile(u)["bio"] is None
    for bio in ("a" * 2000, "ü" * 2000, "😀" * 2000):
        r = patch_me(u, {"bio": bio})
        assert r.status == 200, r
        assert r.json["profile"]["bio"] == bio
        assert profile(u)["bio"] == bio
    assert sql(server, f"SELECT length(bio), octet_length(bio) FROM "
                       f"user_profiles WHERE user_id = '{u.id}'") == \
        [["2000", "8000"]]


@pytest.mark.parametrize("field", ["first_name", "last_name", "display_name"])
def test_names_are_at_most_100_characters(server, field):
    u = new_user(server)
    assert_invalid(patch_me(u, {field: "x" * 101}), field)
    assert_invalid(patch_me(u, {field: "ü" * 101}), field)
    assert patch_me(u, {field: "ü" * 100}).status == 200


@pytest.mark.parametrize("field", ["first_name", "bio", "display_name"])
def test_control_characters_are_refused(server, field):
    u = new_user(server)
    assert_invalid(patch_me(u, {field: "bell\x07"}), field)
    assert_invalid(patch_me(u, {field: "esc\x1b[31m"}), field)
    # jansson refuses \u0000 while parsing: a syntax error, or a 422.
    r = patch_me(u, {field: "nul\x00byte"})
    assert r.status in (400, 422), r
    assert profile(u)[field] is None


@pytest.mark.parametrize("body,fields", [
    ({"nickname": "x"}, {"nickname"}),
    ({"first_name": "Ok", "email": "new@example.com"}, {"email"}),
    ({"role": "admin"}, {"role"}),
    ({"username": "someone_else"}, {"username"}),
    ({"profile": {"bio": "x"}}, {"profile"}),
])
def test_unknown_fields_are_refused(server, body, fields):
    u = new_user(server)
    before = u.get("/api/v1/me").json
    assert_invalid(patch_me(u, body), *fields)
    after = u.get("/api/v1/me").json
    assert after["profile"] == before["profile"]
    assert after["role"] == "student"
    assert after["email"] == before["email"]


@pytest.mark.parametrize("field,value", [
    ("first_name", 5), ("last_name", True), ("display_name", 1.5),
    ("bio", ["x"]), ("avatar_url", {}), ("timezone", 1), ("locale", False),
])
def test_wrong_types_are_refused(server, field, value):
    u = new_user(server)
    before = profile(u)
    assert_invalid(patch_me(u, {field: value}), field)
    assert profile(u) == before


def test_several_errors_are_reported_together(server):
    u = new_user(server)
    r = patch_me(u, {"first_name": 1, "locale": "EN", "avatar_url": "ftp://x",
                     "shoe_size": 44})
    assert_invalid(r, "first_name", "locale", "avatar_url", "shoe_size")


def test_one_bad_field_changes_nothing(server):
    u = new_user(server)
    before = profile(u)
    assert_invalid(patch_me(u, {"first_name": "Valid", "locale": "xx-xx"}),
                   "locale")
    assert profile(u) == before


@pytest.mark.parametrize("body", [[], [{"bio": "x"}]], ids=["empty", "object"])
def test_an_array_body_is_refused(server, body):
    u = new_user(server)
    assert_invalid(patch_me(u, body), "")


@pytest.mark.parametrize("body", [b'"text"', b"42", b"null", b"true"])
def test_a_scalar_body_is_refused(server, body):
    u = new_user(server)
    r = u.request("PATCH", "/api/v1/me", body,
                  {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_profile_update_is_audited_with_the_changed_fields(server):
    u = new_user(server, first_name="Old")
    r = u.request("PATCH", "/api/v1/me",
                  {"first_name": "New", "bio": None, "locale": "fr"},
                  {"X-Request-Id": f"profile-{u.id[:8]}"})
    assert r.status == 200, r
    rows = audits(server, "user.profile_updated", u.id)
    assert len(rows) == 1
    row = rows[0]
    assert row["actor"] == u.id
    assert row["entity_type"] == "user"
    assert row["success"] is True
    assert row["new"] == {"first_name": "New", "bio": None, "locale": "fr"}
    assert row["ip"] == "127.0.0.1"
    assert row["request_id"] == f"profile-{u.id[:8]}"
    # A refused change leaves no trace.
    assert_invalid(patch_me(u, {"locale": "bad"}), "locale")
    assert len(audits(server, "user.profile_updated", u.id)) == 1


# ---- /api/v1/me/settings ---------------------------------------------------

def test_settings_of_a_new_account(server):
    u = new_user(server)
    s = settings(u)
    assert {k: v for k, v in s.items() if k != "updated_at"} == {
        "theme": "system", "daily_goal_minutes": 30,
        "email_notifications": True, "push_notifications": True,
        "sound_effects": True, "notification_prefs": {},
        "leaderboard_visibility": "username"}
    assert s["updated_at"]


@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_theme(server, theme):
    u = new_user(server)
    if theme == "system":
        patch_settings(u, {"theme": "dark"})
    r = patch_settings(u, {"theme": theme})
    assert r.status == 200, r
    assert r.json["theme"] == theme
    assert settings(u)["theme"] == theme


@pytest.mark.parametrize("theme", ["Dark", "blue", "", None, 1, "light ",
                                   ["dark"], "x" * 11])
def test_bad_theme_is_refused(server, theme):
    u = new_user(server)
    assert_invalid(patch_settings(u, {"theme": theme}), "theme")
    assert settings(u)["theme"] == "system"


@pytest.mark.parametrize("goal", [1, 1440, 45])
def test_daily_goal(server, goal):
    u = new_user(server)
    r = patch_settings(u, {"daily_goal_minutes": goal})
    assert r.status == 200, r
    assert r.json["daily_goal_minutes"] == goal
    assert settings(u)["daily_goal_minutes"] == goal


@pytest.mark.parametrize("goal", [0, 1441, -5, "30", 1.5, 30.0, None, True,
                                  2 ** 40])
def test_bad_daily_goal_is_refused(server, goal):
    u = new_user(server)
    assert_invalid(patch_settings(u, {"daily_goal_minutes": goal}),
                   "daily_goal_minutes")
    assert settings(u)["daily_goal_minutes"] == 30


@pytest.mark.parametrize("field", ["email_notifications",
                                   "push_notifications", "sound_effects"])
def test_switches(server, field):
    u = new_user(server)
    r = patch_settings(u, {field: False})
    assert r.status == 200, r
    assert r.json[field] is False
    assert settings(u)[field] is False
    others = {"email_notifications", "push_notifications",
              "sound_effects"} - {field}
    for o in others:
        assert r.json[o] is True
    assert patch_settings(u, {field: True}).json[field] is True


@pytest.mark.parametrize("value", ["true", 1, 0, None, "false", [True]])
@pytest.mark.parametrize("field", ["email_notifications",
                                   "push_notifications", "sound_effects"])
def test_bad_switch_is_refused(server, field, value):
    u = new_user(server)
    assert_invalid(patch_settings(u, {field: value}), field)
    assert settings(u)[field] is True


def test_notification_prefs(server):
    u = new_user(server)
    prefs = {"streak_reminders": True, "weekly_digest": False}
    r = patch_settings(u, {"notification_prefs": prefs})
    assert r.status == 200, r
    assert r.json["notification_prefs"] == prefs
    assert settings(u)["notification_prefs"] == prefs
    # The object replaces the old one.
    r = patch_settings(u, {"notification_prefs": {"new_content": True}})
    assert r.json["notification_prefs"] == {"new_content": True}
    r = patch_settings(u, {"notification_prefs": {}})
    assert r.json["notification_prefs"] == {}
    fifty = {f"switch_{i:02d}": i % 2 == 0 for i in range(50)}
    r = patch_settings(u, {"notification_prefs": fifty})
    assert r.status == 200, r
    assert r.json["notification_prefs"] == fifty
    r = patch_settings(u, {"notification_prefs": {"k" * 64: True}})
    assert r.status == 200, r


@pytest.mark.parametrize("prefs", [
    [], "on", None, 1, True,
    {"a": 1}, {"a": "true"}, {"a": None}, {"a": {"b": True}}, {"a": [True]},
    {"ok": True, "bad": 0},
    {f"switch_{i:02d}": True for i in range(51)},
    {"": True}, {"k" * 65: True},
], ids=lambda p: (f"{len(p)}-keys" if isinstance(p, dict) and len(p) > 5
                  else json.dumps(p)[:40]))
def test_bad_notification_prefs_are_refused(server, prefs):
    u = new_user(server)
    patch_settings(u, {"notification_prefs": {"kept": True}})
    assert_invalid(patch_settings(u, {"notification_prefs": prefs}),
                   "notification_prefs")
    assert settings(u)["notification_prefs"] == {"kept": True}


def test_settings_unknown_field_and_bad_body(server):
    u = new_user(server)
    assert_invalid(patch_settings(u, {"theme": "dark", "language": "en"}),
                   "language")
    assert settings(u)["theme"] == "system"
    assert_invalid(patch_settings(u, {"updated_at": "2020-01-01"}),
                   "updated_at")
    assert_invalid(patch_settings(u, [{"theme": "dark"}]), "")
    r = u.request("PATCH", "/api/v1/me/settings", b'"dark"',
                  {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")
    r = patch_settings(u, {"theme": "Dark", "daily_goal_minutes": 0,
                           "sound_effects": "no"})
    assert_invalid(r, "theme", "daily_goal_minutes", "sound_effects")


def test_settings_change_is_audited_with_old_and_new_values(server):
    u = new_user(server)
    before = settings(u)
    r = patch_settings(u, {"theme": "dark", "daily_goal_minutes": 45})
    assert r.status == 200, r
    rows = audits(server, "user.settings_changed", u.id)
    assert len(rows) == 1
    row = rows[0]
    assert row["actor"] == u.id
    assert row["entity_type"] == "user_settings"
    assert row["success"] is True
    old, new = row["old"], row["new"]
    assert set(old) == set(new)
    assert {k for k in old if old[k] != new[k]} == \
        {"theme", "daily_goal_minutes"}
    assert old["theme"] == before["theme"] == "system"
    assert new["theme"] == "dark"
    assert old["daily_goal_minutes"] == 30
    assert new["daily_goal_minutes"] == 45
    for k in ("email_notifications", "push_notifications", "sound_effects",
              "notification_prefs"):
        assert old[k] == new[k] == before[k]
    for hidden in ("user_id", "org_id", "created_at", "updated_at"):
        assert hidden not in old and hidden not in new

    r = patch_settings(u, {"notification_prefs": {"digest": True}})
    assert r.status == 200, r
    row = audits(server, "user.settings_changed", u.id)[-1]
    assert {k for k in row["old"] if row["old"][k] != row["new"][k]} == \
        {"notification_prefs"}
    assert row["old"]["notification_prefs"] == {}
    assert row["new"]["notification_prefs"] == {"digest": True}
    assert row["old"]["theme"] == "dark"


# ---- /api/v1/me/sessions ---------------------------------------------------

def test_sessions_lists_mine_with_the_current_one_marked(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    other = new_user(server)
    r = u.get("/api/v1/me/sessions")
    assert r.status == 200, r
    items = r.json["items"]
    assert {i["id"] for i in items} == {u.session_id, u2.session_id}
    assert other.session_id not in r.body.decode()
    current = {i["id"]: i["current"] for i in items}
    assert current == {u.session_id: True, u2.session_id: False}
    for i in items:
        assert set(i) == {"id", "created_at", "last_seen_at", "expires_at",
                          "ip", "user_agent", "current"}
        assert i["ip"] == "127.0.0.1"
    assert "token" not in r.body.decode()
    # The other session sees itself as current.
    current = {i["id"]: i["current"]
               for i in u2.get("/api/v1/me/sessions").json["items"]}
    assert current == {u.session_id: False, u2.session_id: True}


def test_sessions_shows_the_user_agent(server):
    u = new_user(server)
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": u.username, "password": PW},
                       {"User-Agent": "pytest-agent/1.0"})
    assert r.status == 200, r
    SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    items = u.get("/api/v1/me/sessions").json["items"]
    agents = {i["id"]: i["user_agent"] for i in items}
    assert agents[r.json["session_id"]] == "pytest-agent/1.0"


def test_ending_another_of_my_sessions(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    r = u.request("DELETE", f"/api/v1/me/sessions/{u2.session_id}")
    assert r.status == 204, r
    assert r.body == b""
    assert_signed_out(u2)
    assert still_signed_in(u)
    ids = [i["id"] for i in u.get("/api/v1/me/sessions").json["items"]]
    assert ids == [u.session_id]
    rows = audits(server, "session.revoked", u2.session_id)
    assert len(rows) == 1 and rows[0]["actor"] == u.id
    # Once more: it is gone.
    r = u.request("DELETE", f"/api/v1/me/sessions/{u2.session_id}")
    assert_problem(r, 404, "not-found")


def test_a_session_id_in_capitals_is_the_same_session(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    r = u.request("DELETE", f"/api/v1/me/sessions/{u2.session_id.upper()}")
    assert r.status == 204, r
    assert_signed_out(u2)
    assert still_signed_in(u)


def test_another_users_session_is_not_found(server):
    u = new_user(server)
    other = new_user(server)
    for sid in (other.session_id, other.session_id.upper()):
        r = u.request("DELETE", f"/api/v1/me/sessions/{sid}")
        assert_problem(r, 404, "not-found")
    assert still_signed_in(other)
    assert sql(server, f"SELECT count(*) FROM sessions "
                       f"WHERE id = '{other.session_id}'") == [["1"]]
    assert audits(server, "session.revoked", other.session_id) == []


@pytest.mark.parametrize("sid", [
    "not-a-uuid", "123", str(uuid.uuid4()), "0" * 36,
    "01234567-89ab-cdef-0123-456789abcdeg",
    "01234567089ab0cdef001230456789abcdef",
])
def test_a_bad_or_unknown_session_id_is_not_found(server, sid):
    u = new_user(server)
    r = u.request("DELETE", f"/api/v1/me/sessions/{sid}")
    assert_problem(r, 404, "not-found")
    assert still_signed_in(u)


def test_ending_the_current_session(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    r = u.request("DELETE", f"/api/v1/me/sessions/{u.session_id}")
    assert r.status == 204, r
    assert_signed_out(u)
    assert still_signed_in(u2)
    ids = [i["id"] for i in u2.get("/api/v1/me/sessions").json["items"]]
    assert ids == [u2.session_id]


# ---- POST /api/v1/me/password ----------------------------------------------

NEW_PW = "an even longer secret phrase"


def change_password(client, current, new):
    return client.request("POST", "/api/v1/me/password",
                          {"current_password": current, "new_password": new})


def test_wrong_current_password(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    assert_invalid(change_password(u, "not my password", NEW_PW),
                   "current_password")
    assert still_signed_in(u) and still_signed_in(u2)
    sign_in(server, u.username, PW)
    server.login(u.username, NEW_PW, expect=401)
    assert audits(server, "user.password_changed", u.id) == []


@pytest.mark.parametrize("body,fields", [
    ({}, {"current_password", "new_password"}),
    ({"current_password": PW}, {"new_password"}),
    ({"new_password": NEW_PW}, {"current_password"}),
    ({"current_password": PW, "new_password": None}, {"new_password"}),
    ({"current_password": 1, "new_password": NEW_PW}, {"current_password"}),
    ({"current_password": PW, "new_password": NEW_PW, "confirm": NEW_PW},
     {"confirm"}),
])
def test_password_change_needs_both_fields(server, body, fields):
    u = new_user(server)
    assert_invalid(u.request("POST", "/api/v1/me/password", body), *fields)
    sign_in(server, u.username, PW)


@pytest.mark.parametrize("weak", [
    "short", "123456789", "password123", "PASSWORD123", "aaaaaaaaaaaa",
    "qwertyuiop", "USERNAME", "EMAIL", "x" * 73, "ü" * 37,
])
def test_weak_new_password_is_refused(server, weak):
    u = new_user(server)
    if weak == "USERNAME":
        weak = u.username.upper()
    elif weak == "EMAIL":
        weak = u.email
    assert_invalid(change_password(u, PW, weak), "new_password")
    sign_in(server, u.username, PW)


def test_new_password_must_differ_from_the_current_one(server):
    u = new_user(server)
    p = assert_invalid(change_password(u, PW, PW), "new_password")
    assert "differ" in p["errors"][0]["message"]
    sign_in(server, u.username, PW)


def test_password_change_ends_the_other_sessions(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    u3 = sign_in(server, u.username)
    other = new_user(server)
    r = change_password(u, PW, NEW_PW)
    assert r.status == 200, r
    assert r.json == {"status": "password_changed", "other_sessions_ended": 2}
    assert_signed_out(u2)
    assert_signed_out(u3)
    assert still_signed_in(u)
    assert still_signed_in(other)
    ids = [i["id"] for i in u.get("/api/v1/me/sessions").json["items"]]
    assert ids == [u.session_id]
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": u.username, "password": PW})
    assert_problem(r, 401, "login-failed")
    sign_in(server, u.username, NEW_PW)
    rows = audits(server, "user.password_changed", u.id)
    assert len(rows) == 1
    assert rows[0]["actor"] == u.id
    assert rows[0]["new"] == {"sessions_ended": 2}
    # The hash is not in the audit trail.
    assert "$2" not in json.dumps(rows)


def test_password_change_with_no_other_session(server):
    u = new_user(server)
    r = change_password(u, PW, NEW_PW)
    assert r.status == 200, r
    assert r.json["other_sessions_ended"] == 0
    assert still_signed_in(u)


# ---- DELETE /api/v1/me -----------------------------------------------------

def delete_me(client, password):
    return client.request("DELETE", "/api/v1/me", {"password": password})


def test_delete_me_with_a_wrong_password_changes_nothing(server):
    u = new_user(server)
    assert_invalid(delete_me(u, "not my password"), "password")
    assert user_row(server, u.id, "deleted_at IS NULL") == ["t"]
    assert still_signed_in(u)
    assert audits(server, "user.deleted", u.id) == []


@pytest.mark.parametrize("body,field", [
    ({}, "password"), ({"password": None}, "password"),
    ({"password": 123}, "password"), ({"password": ""}, "password"),
    ({"password": PW, "reason": "bye"}, "reason"),
])
def test_delete_me_needs_the_password(server, body, field):
    u = new_user(server)
    assert_invalid(u.request("DELETE", "/api/v1/me", body), field)
    assert user_row(server, u.id, "deleted_at IS NULL") == ["t"]
    assert still_signed_in(u)


def test_delete_me(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    other = new_user(server)
    r = delete_me(u, PW)
    assert r.status == 200, r
    assert r.json["status"] == "deleted"
    assert r.json["anonymized_after_days"] == 30
    assert user_row(server, u.id, "deleted_at IS NOT NULL, anonymized_at "
                    "IS NULL") == ["t", "t"]
    assert_signed_out(u)
    assert_signed_out(u2)
    assert sql(server, f"SELECT count(*) FROM sessions "
                       f"WHERE user_id = '{u.id}'") == [["0"]]
    assert still_signed_in(other)
    # Signing in fails exactly like a wrong password.
    gone = server.request("POST", "/api/v1/auth/login",
                          {"login": u.username, "password": PW})
    wrong = server.request("POST", "/api/v1/auth/login",
                           {"login": other.username, "password": "wrong!!!!!"})
    assert_problem(gone, 401, "login-failed")
    assert gone.json == wrong.json
    server.login(u.email, PW, expect=401)
    rows = audits(server, "user.deleted", u.id)
    assert len(rows) == 1
    assert rows[0]["actor"] == u.id
    assert rows[0]["old"] == {"deleted": False}
    assert rows[0]["new"] == {"deleted": True, "by": "self"}


def new_org(server):
    n = next(_seq)
    slug = f"solo-{n}"
    sql(server, f"INSERT INTO organizations (slug, name) "
                f"VALUES ('{slug}', 'Solo {n}')")
    return slug


def test_the_last_admin_cannot_delete_themself(server):
    slug = new_org(server)
    boss = new_user(server, org=slug)
    sql(server, f"UPDATE users SET role = 'admin' WHERE id = '{boss.id}'")
    assert boss.get("/api/v1/me").json["organization"]["slug"] == slug
    assert_problem(delete_me(boss, PW), 409, "last-admin")
    assert user_row(server, boss.id, "deleted_at IS NULL") == ["t"]
    assert still_signed_in(boss)
    # A locked or deleted second admin does not count.
    second = new_user(server, org=slug, role="admin")
    sql(server, f"UPDATE users SET is_active = false WHERE id = '{second.id}'")
    assert_problem(delete_me(boss, PW), 409, "last-admin")
    sql(server, f"UPDATE users SET is_active = true, deleted_at = now() "
                f"WHERE id = '{second.id}'")
    assert_problem(delete_me(boss, PW), 409, "last-admin")
    assert audits(server, "user.deleted", boss.id) == []
    # With another active admin, they can go.
    sql(server, f"UPDATE users SET deleted_at = NULL WHERE id = '{second.id}'")
    r = delete_me(boss, PW)
    assert r.status == 200, r
    assert user_row(server, boss.id, "deleted_at IS NOT NULL") == ["t"]


def test_the_last_admin_check_is_per_organization(server):
    # The demo organization has an admin; a lone admin elsewhere is still
    # the last one of their own organization.
    slug = new_org(server)
    boss = new_user(server, org=slug, role="admin")
    assert_problem(delete_me(boss, PW), 409, "last-admin")
    # A student of the demo organization can always go.
    u = new_user(server)
    assert delete_me(u, PW).status == 200


# ---- GET /api/v1/me/export -------------------------------------------------

def test_export(server):
    u = new_user(server, first_name="Export", last_name="Me")
    u2 = sign_in(server, u.username)
    other = new_user(server)
    assert patch_me(u, {"bio": "My bio"}).status == 200
    assert patch_settings(u, {"theme": "dark"}).status == 200
    r = u.get("/api/v1/me/export")
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/json"
    cd = r.header("Content-Disposition")
    assert cd is not None and cd.startswith("attachment"), cd
    assert 'filename="' in cd
    doc = r.json
    for key in ("account", "profile", "settings", "streak", "sessions",
                "activity", "audit", "enrollments", "lesson_progress",
                "bookmarks", "attempts", "learning_sessions", "xp_events",
                "activity_days", "achievements", "avatars", "goals",
                "notifications", "flashcards", "materials",
                "material_feedback", "course_reviews", "review_upvotes",
                "suggested_edits", "forum_threads", "forum_replies",
                "forum_likes", "forum_flags", "forum_watches", "forum_reads",
                "forum_member", "messages_sent", "conversations", "blocks",
                "message_reports"):
        assert key in doc, key
    assert doc["forum_threads"] == [] and doc["forum_member"] is None
    assert doc["flashcards"]["decks"] == [] and doc["materials"] == []
    assert doc["account"]["id"] == u.id
    assert doc["account"]["email"] == u.email
    assert doc["account"]["username"] == u.username
    assert doc["profile"]["first_name"] == "Export"
    assert doc["profile"]["bio"] == "My bio"
    assert doc["settings"]["theme"] == "dark"
    assert isinstance(doc["streak"], dict)
    assert doc["streak"]["current_streak"] == 0
    assert {s["id"] for s in doc["sessions"]} == {u.session_id, u2.session_id}
    assert isinstance(doc["activity"], list)
    actions = [a["action"] for a in doc["audit"]]
    assert "user.login" in actions
    assert "user.profile_updated" in actions
    assert "user.settings_changed" in actions
    # Nothing secret, nothing of anyone else.
    keys = set(keys_of(doc))
    for secret in ("password_hash", "token_hash", "token", "csrf_token"):
        assert secret not in keys, secret
    body = r.body.decode()
    assert "password_hash" not in body and "token_hash" not in body
    for t in (u.token, u.csrf, u2.token, u2.csrf):
        assert t not in body
    (hash_,) = user_row(server, u.id, "password_hash")
    assert hash_ not in body
    for (th,) in sql(server, f"SELECT token_hash FROM sessions "
                             f"WHERE user_id = '{u.id}'"):
        assert th not in body
    assert other.id not in body and other.session_id not in body


def test_export_of_a_demo_account(server):
    a = sign_in(server, "jane_tech", "password123")
    r = a.get("/api/v1/me/export")
    assert r.status == 200, r
    assert r.json["account"]["username"] == "jane_tech"
    assert "password_hash" not in set(keys_of(r.json))
    # The learning record comes along: the seed enrolled jane_tech.
    assert r.json["enrollments"] and r.json["lesson_progress"]
    # An attempt, with its answers.
    s = a.request("POST", "/api/v1/assessments/"
                  "4e700009-0000-4000-8000-000000000901/attempts")
    assert s.status in (200, 201), s
    r = a.get("/api/v1/me/export")
    (t,) = [t for t in r.json["attempts"] if t["id"] == s.json["id"]]
    assert len(t["answers"]) == 10 and t["status"] == "in_progress"
    # And what finishing it earned: XP, an achievement, its notification,
    # and a goal set on the way.
    g = a.request("POST", "/api/v1/me/goals", {"kind": "daily_minutes",
                                               "target": 20})
    assert g.status == 201, g
    assert a.request("POST", f"/api/v1/attempts/{s.json['id']}/submit",
                     {}).status == 200
    doc = a.get("/api/v1/me/export").json
    assert any(x["source"] == "quiz" for x in doc["xp_events"]), \
        doc["xp_events"]
    assert "first-quiz" in {x["code"] for x in doc["achievements"]}
    assert any(n["kind"] == "achievement_unlocked"
               for n in doc["notifications"]), doc["notifications"]
    assert [x["target"] for x in doc["goals"]] == [20]
    assert doc["activity_days"] and all("day" in d for d in doc["activity_days"])
    assert "user_id" not in set(keys_of(doc["xp_events"]))


# ---- anonymous -------------------------------------------------------------

RANDOM_AVATAR = "7d9f3a52-4c1e-4b8a-9f00-123456789abc"
ME_ROUTES = [
    ("GET", "/api/v1/me", None),
    ("PATCH", "/api/v1/me", {"bio": "x"}),
    ("DELETE", "/api/v1/me", {"password": PW}),
    ("GET", "/api/v1/me/settings", None),
    ("PATCH", "/api/v1/me/settings", {"theme": "dark"}),
    ("GET", "/api/v1/me/sessions", None),
    ("DELETE", "/api/v1/me/sessions/{id}", None),
    ("POST", "/api/v1/me/password",
     {"current_password": PW, "new_password": NEW_PW}),
    ("GET", "/api/v1/me/export", None),
    ("GET", "/api/v1/me/bookmarks", None),
    ("GET", "/api/v1/me/attempts", None),
    ("GET", "/api/v1/me/attempts/trends", None),
    ("GET", "/api/v1/me/xp", None),
    ("GET", "/api/v1/me/achievements", None),
    ("GET", "/api/v1/me/avatars", None),
    ("PUT", "/api/v1/me/avatar", {"avatar_id": RANDOM_AVATAR}),
    ("GET", "/api/v1/me/notifications", None),
    ("POST", "/api/v1/me/notifications/read", {}),
    ("GET", "/api/v1/me/goals", None),
    ("POST", "/api/v1/me/goals", {"kind": "daily_minutes", "target": 10}),
    ("PATCH", "/api/v1/me/goals/{id}", {"target": 5}),
    ("DELETE", "/api/v1/me/goals/{id}", None),
    ("GET", "/api/v1/me/dashboard", None),
    ("GET", "/api/v1/me/tokens", None),
    ("POST", "/api/v1/me/tokens", {"name": "ci", "permissions": []}),
    ("POST", "/api/v1/me/tokens/{id}/revoke", {}),
    ("GET", "/api/v1/me/identities", None),
    ("DELETE", "/api/v1/me/identities/{id}", None),
    ("GET", "/api/v1/me/flashcard-settings", None),
    ("PATCH", "/api/v1/me/flashcard-settings", {"new_per_day": 5}),
    ("POST", "/api/v1/me/flashcard-settings/optimize", {}),
    ("DELETE", "/api/v1/me/flashcard-settings/parameters", None),
    ("GET", "/api/v1/me/material-progress", None),
]


def test_the_anonymous_list_covers_every_me_route(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    documented = {(m.upper(), p) for p, item in doc["paths"].items()
                  for m in item
                  if p == "/api/v1/me" or p.startswith("/api/v1/me/")}
    assert documented == {(m, p) for m, p, _ in ME_ROUTES}


@pytest.mark.parametrize("auth", [None, "Bearer nope", "Bearer " + "A" * 43,
                                  "Basic YWRtaW46cGFzc3dvcmQxMjM="],
                         ids=["none", "garbage", "unknown-token", "basic"])
@pytest.mark.parametrize("method,path,body", ME_ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in ME_ROUTES])
def test_me_routes_need_a_session(server, method, path, body, auth):
    path = path.replace("{id}", str(uuid.uuid4()))
    headers = {"Authorization": auth} if auth else {}
    r = server.request(method, path, body, headers)
    p = assert_problem(r, 401, "unauthenticated")
    assert r.header("WWW-Authenticate") == 'Bearer realm="ludus"'
    assert "password_hash" not in json.dumps(p)


def test_an_ended_session_is_refused_everywhere(server):
    u = new_user(server)
    u2 = sign_in(server, u.username)
    assert u2.request("DELETE", f"/api/v1/me/sessions/{u.session_id}").status \
        == 204
    for method, path, body in ME_ROUTES:
        path = path.replace("{id}", u2.session_id)
        r = u.request(method, path, body)
        assert_problem(r, 401, "unauthenticated")
    assert still_signed_in(u2)
    sign_in(server, u.username, PW)
