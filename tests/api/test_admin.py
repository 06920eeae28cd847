"""Admin routes (/api/v1/admin/*) and the authorization matrix of every
signed-in route.

Most tests make an organization of their own (INSERT INTO organizations via
psql), register users into it and promote one to admin, so that listings
can be checked exactly and the tests do not depend on one another.
"""
import datetime
import itertools
import json
import os
import subprocess
import threading
import time
import urllib.parse
import uuid

import pytest

from conftest import PGBIN, PGHOST, PGPORT, SEEN, Client, psql

PROBLEM = "application/problem+json"
PW = "a long secret phrase"
_seq = itertools.count(1)

USER_ITEM_KEYS = {"id", "email", "username", "display_name", "role",
                  "status", "email_verified", "created_at", "last_login_at",
                  "deleted_at"}
USER_KEYS = USER_ITEM_KEYS | {"failed_login_count", "locked_until",
                              "sessions"}
AUDIT_KEYS = {"id", "occurred_at", "action", "actor_user_id",
              "actor_username", "entity_type", "entity_id", "old_values",
              "new_values", "ip", "user_agent", "request_id", "success",
              "error_message"}


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
    return p


def sql(server, query):
    return psql(query, server.db)


def sign_in(server, login, password=PW):
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": login, "password": password})
    assert r.status == 200, r
    SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    c = Client(server, r.json)
    c.session_id = r.json["session_id"]
    c.password = password
    return c


class Account:
    """A registered account: id, names, and (once signed in) a Client."""

    def __init__(self, server, org=None, role="student", sign=True,
                 name=None, email=None):
        n = next(_seq)
        self.username = name or f"adm_user_{n:04d}"
        self.email = email or f"adm.user.{n:04d}@example.com"
        body = {"organization": org} if org else {}
        r = server.register(self.email, self.username, PW, **body)
        assert r.status == 202, r
        self.id = sql(server, f"SELECT id FROM users WHERE username = "
                              f"'{self.username}'")[0][0]
        if role != "student":
            sql(server, f"UPDATE users SET role = '{role}' "
                        f"WHERE id = '{self.id}'")
        self.server = server
        self.client = sign_in(server, self.username) if sign else None

    def request(self, method, path, body=None, headers=None):
        return self.client.request(method, path, body, headers)

    def get(self, path):
        return self.client.get(path)

    def signed_in(self):
        return self.client.get("/api/v1/me").status == 200


class Org:
    """An organization of its own with one admin."""

    def __init__(self, server):
        n = next(_seq)
        self.slug = f"acme-{n}"
        sql(server, f"INSERT INTO organizations (slug, name) "
                    f"VALUES ('{self.slug}', 'Acme {n}')")
        self.id = sql(server, f"SELECT id FROM organizations "
                              f"WHERE slug = '{self.slug}'")[0][0]
        self.server = server
        self.admin = self.user(role="admin", name=f"boss{n}",
                               email=f"boss{n}@acme.test")

    def user(self, **kw):
        return Account(self.server, org=self.slug, **kw)


def audits(server, action, entity_id):
    rows = sql(server, f"""
        SELECT actor_user_id, coalesce(old_values::text, ''),
               coalesce(new_values::text, ''), success
        FROM audit_events WHERE action = '{action}'
            AND entity_id = '{entity_id}'
        ORDER BY occurred_at, id""")
    return [{"actor": a, "old": json.loads(o) if o else None,
             "new": json.loads(n) if n else None, "success": s == "t"}
            for a, o, n, s in rows]


def state(server, user_id):
    """What an admin change may touch, for before/after comparisons."""
    return sql(server, f"""
        SELECT role, is_active, deleted_at IS NOT NULL,
               coalesce(locked_until::text, ''), failed_login_count,
               (SELECT count(*) FROM sessions WHERE user_id = u.id)
        FROM users u WHERE id = '{user_id}'""")[0]


def login_status(server, login, password=PW):
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": login, "password": password})
    if r.status == 200:
        SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    return r


def generic_login_failure(server):
    """The body of a plain wrong-password sign-in."""
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": "admin", "password": "not the password"})
    assert r.status == 401
    return r.json


def qs(**params):
    return "?" + urllib.parse.urlencode(params) if params else ""


def users_list(admin, **params):
    r = admin.get("/api/v1/admin/users" + qs(**params))
    assert r.status == 200, r
    return r.json


def user_ids(admin, **params):
    params.setdefault("limit", 200)
    doc = users_list(admin, **params)
    assert doc["next"] is None
    return {i["id"] for i in doc["items"]}


def audit_list(admin, **params):
    r = admin.get("/api/v1/admin/audit" + qs(**params))
    assert r.status == 200, r
    return r.json


# ---- GET /api/v1/admin/users -----------------------------------------------

def test_list_holds_the_users_of_my_organization_only(server):
    org = Org(server)
    members = [org.user(sign=False) for _ in range(3)]
    outsider = Account(server, sign=False)
    doc = users_list(org.admin)
    assert doc["next"] is None
    ids = {i["id"] for i in doc["items"]}
    assert ids == {org.admin.id} | {m.id for m in members}
    assert outsider.id not in ids
    for item in doc["items"]:
        assert set(item) == USER_ITEM_KEYS
        assert "password_hash" not in item
    me = next(i for i in doc["items"] if i["id"] == org.admin.id)
    assert me["role"] == "admin" and me["status"] == "active"
    assert me["username"] == org.admin.username
    # And the demo admin does not see them.
    demo = sign_in(server, "admin", "password123")
    for m in members:
        assert users_list(demo, q=m.username)["items"] == []
    assert users_list(demo, q=org.admin.username)["items"] == []


def test_list_search(server):
    org = Org(server)
    n = next(_seq)
    ua = org.user(sign=False, name=f"ab_cd{n}", email=f"first{n}@acme.test")
    ub = org.user(sign=False, name=f"abxcd{n}", email=f"second{n}@acme.test")
    uc = org.user(sign=False, name=f"zed{n}", email=f"Per%Cent{n}@acme.test")
    ud = org.user(sign=False, name=f"perxcent{n}",
                  email=f"fourth{n}@acme.test")
    everyone = {org.admin.id, ua.id, ub.id, uc.id, ud.id}
    a = org.admin
    # Case-insensitive substrings of the username or of the email.
    assert user_ids(a, q=f"AB_CD{n}") == {ua.id}
    assert user_ids(a, q="SECOND") == {ub.id}
    assert user_ids(a, q="per%cent") == {uc.id}
    assert user_ids(a, q=f"zed{n}") == {uc.id}
    assert user_ids(a, q="acme.test") == everyone
    assert user_ids(a, q="@ACME") == everyone
    # '_' and '%' are plain characters, not LIKE wildcards.
    assert user_ids(a, q="b_c") == {ua.id}
    assert user_ids(a, q="_") == {ua.id}
    assert user_ids(a, q="r%c") == {uc.id}
    assert user_ids(a, q="%") == {uc.id}
    assert user_ids(a, q="\\") == set()
    assert user_ids(a, q="nobody-here") == set()
    # Another organization's user is not found by name.
    assert user_ids(a, q="sarah_network") == set()


def test_list_search_does_not_match_across_email_and_username(server):
    org = Org(server)
    n = next(_seq)
    u = org.user(sign=False, name=f"omega{n}", email=f"zed{n}@acme.test")
    a = org.admin
    assert user_ids(a, q=" ") == set()
    assert user_ids(a, q=f"test omega{n}") == set()
    assert u.id in user_ids(a, q=f"omega{n}")


def test_list_search_length_is_counted_in_characters(server):
    org = Org(server)
    assert user_ids(org.admin, q="ü" * 60) == set()
    r = org.admin.get("/api/v1/admin/users" + qs(q="ü" * 101))
    assert_invalid(r, "q")


def test_list_filters_by_role(server):
    org = Org(server)
    s1 = org.user(sign=False)
    s2 = org.user(sign=False)
    teacher = org.user(sign=False, role="instructor")
    a = org.admin
    assert user_ids(a, role="admin") == {a.id}
    assert user_ids(a, role="instructor") == {teacher.id}
    assert user_ids(a, role="student") == {s1.id, s2.id}
    assert user_ids(a, role="student", q=s1.username) == {s1.id}
    assert user_ids(a, role="admin", q=s1.username) == set()


def status_org(server):
    """An organization with a user in each state."""
    org = Org(server)
    a = org.admin
    active = org.user(sign=False)
    locked = org.user(sign=False)
    assert a.request("POST", f"/api/v1/admin/users/{locked.id}/lock").status \
        == 200
    temp = org.user(sign=False)
    sql(server, f"UPDATE users SET locked_until = now() + interval '1 hour' "
                f"WHERE id = '{temp.id}'")
    deleted = org.user(sign=False)
    assert a.request("DELETE", f"/api/v1/admin/users/{deleted.id}").status \
        == 200
    return org, active, locked, temp, deleted


def test_list_filters_by_status(server):
    org, active, locked, temp, deleted = status_org(server)
    a = org.admin
    everyone = {a.id, active.id, locked.id, temp.id, deleted.id}
    assert user_ids(a) == everyone
    assert user_ids(a, status="all") == everyone
    assert user_ids(a, status="locked") == {locked.id, temp.id}
    assert user_ids(a, status="deleted") == {deleted.id}
    got = user_ids(a, status="active")
    assert {a.id, active.id} <= got
    assert locked.id not in got and deleted.id not in got
    statuses = {i["id"]: i["status"]
                for i in users_list(a, status="all")["items"]}
    assert statuses == {a.id: "active", active.id: "active",
                        locked.id: "locked", temp.id: "temporarily_locked",
                        deleted.id: "deleted"}
    deleted_item = users_list(a, status="deleted")["items"][0]
    assert deleted_item["deleted_at"] is not None


def test_status_active_lists_only_active_users(server):
    org, active, locked, temp, deleted = status_org(server)
    items = users_list(org.admin, status="active", limit=200)["items"]
    assert {i["status"] for i in items} == {"active"}
    assert {i["id"] for i in items} == {org.admin.id, active.id}


@pytest.mark.parametrize("query,field", [
    ({"role": "superuser"}, "role"),
    ({"role": "Admin"}, "role"),
    ({"role": ""}, "role"),
    ({"status": "gone"}, "status"),
    ({"status": "ACTIVE"}, "status"),
    ({"status": "temporarily_locked"}, "status"),
    ({"after": "xyz"}, "after"),
    ({"after": "01234567-89ab-cdef-0123-456789abcdeg"}, "after"),
    ({"limit": "0"}, "limit"),
    ({"limit": "201"}, "limit"),
    ({"limit": "-1"}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"limit": "1.5"}, "limit"),
    ({"limit": ""}, "limit"),
    ({"limit": " 5"}, "limit"),
    ({"q": ""}, "q"),
    ({"q": "x" * 101}, "q"),
])
def test_list_bad_parameters(server, query, field):
    org = Org(server)
    r = org.admin.get("/api/v1/admin/users" + qs(**query))
    assert_invalid(r, field)


def test_list_reports_several_bad_parameters(server):
    org = Org(server)
    r = org.admin.get("/api/v1/admin/users" +
                      qs(role="boss", status="gone", after="x"))
    assert_invalid(r, "role", "status", "after")


def walk(admin, path, **params):
    """Every item of a paginated list, page by page."""
    items, pages, after = [], [], None
    while True:
        p = dict(params)
        if after:
            p["after"] = after
        r = admin.get(path + qs(**p))
        assert r.status == 200, r
        doc = r.json
        pages.append(len(doc["items"]))
        items.extend(doc["items"])
        if doc["next"] is None:
            return items, pages
        assert doc["next"] == doc["items"][-1]["id"]
        after = doc["next"]
        assert len(pages) < 1000


def test_list_pagination_walks_every_user_once(server):
    org = Org(server)
    for _ in range(4):
        org.user(sign=False)
    expected = [row[0] for row in sql(server, f"""
        SELECT id FROM users WHERE org_id = '{org.id}'
        ORDER BY created_at DESC, id DESC""")]
    assert len(expected) == 5
    items, pages = walk(org.admin, "/api/v1/admin/users", limit=2)
    assert pages == [2, 2, 1]
    assert [i["id"] for i in items] == expected
    stamps = [i["created_at"] for i in items]
    assert stamps == sorted(stamps, reverse=True)
    # Exactly a page's worth: no next.
    assert users_list(org.admin, limit=5)["next"] is None
    assert users_list(org.admin, limit=4)["next"] == expected[3]
    assert users_list(org.admin, limit=1)["items"][0]["id"] == expected[0]
    # With one creation time for all, the id breaks the tie.
    sql(server, f"UPDATE users SET created_at = '2026-01-01T00:00:00Z' "
                f"WHERE org_id = '{org.id}'")
    items, pages = walk(org.admin, "/api/v1/admin/users", limit=2)
    assert pages == [2, 2, 1]
    assert [i["id"] for i in items] == sorted(expected, reverse=True)
    # Filters hold across pages.
    items, pages = walk(org.admin, "/api/v1/admin/users", limit=1,
                        role="student")
    assert len(items) == 4 and pages == [1, 1, 1, 1]


def test_list_after_a_user_of_another_org_gives_nothing_of_it(server):
    org = Org(server)
    org.user(sign=False)
    outsider = Account(server, sign=False)
    doc = users_list(org.admin, after=outsider.id)
    assert outsider.id not in json.dumps(doc)


# ---- GET /api/v1/admin/users/{id} ------------------------------------------

def test_get_a_user(server):
    org = Org(server)
    u = org.user()
    r = org.admin.get(f"/api/v1/admin/users/{u.id}")
    assert r.status == 200, r
    doc = r.json
    assert set(doc) == USER_KEYS
    assert doc["id"] == u.id and doc["username"] == u.username
    assert doc["email"] == u.email
    assert doc["role"] == "student" and doc["status"] == "active"
    assert doc["sessions"] == 1
    assert doc["failed_login_count"] == 0 and doc["locked_until"] is None
    assert b"password_hash" not in r.body
    (h,) = sql(server, f"SELECT password_hash FROM users "
                       f"WHERE id = '{u.id}'")[0]
    assert h.encode() not in r.body
    # The id in capitals is the same user.
    assert org.admin.get(f"/api/v1/admin/users/{u.id.upper()}").status == 200


@pytest.mark.parametrize("which", ["other-org", "demo-admin", "random",
                                   "not-a-uuid", "short", "sql"])
def test_get_a_user_not_in_my_organization(server, which):
    org = Org(server)
    ids = {
        "other-org": lambda: Account(server, sign=False).id,
        "demo-admin": lambda: sql(server, "SELECT id FROM users "
                                          "WHERE username = 'admin'")[0][0],
        "random": lambda: str(uuid.uuid4()),
        "not-a-uuid": lambda: "not-a-uuid",
        "short": lambda: "1234",
        "sql": lambda: "1'%20OR%20'1'='1",
    }
    r = org.admin.get(f"/api/v1/admin/users/{ids[which]()}")
    assert_problem(r, 404, "not-found")


# ---- PATCH /api/v1/admin/users/{id} (role) ---------------------------------

def set_role(admin, user_id, role):
    return admin.request("PATCH", f"/api/v1/admin/users/{user_id}",
                         {"role": role})


def test_role_change_ends_the_targets_sessions(server):
    org = Org(server)
    u = org.user()
    u2 = sign_in(server, u.username)
    bystander = org.user()
    r = set_role(org.admin, u.id, "instructor")
    assert r.status == 200, r
    assert r.json["id"] == u.id and r.json["role"] == "instructor"
    assert r.json["sessions"] == 0
    assert_problem(u.get("/api/v1/me"), 401, "unauthenticated")
    assert u2.get("/api/v1/me").status == 401
    assert bystander.signed_in() and org.admin.signed_in()
    assert org.admin.get(f"/api/v1/admin/users/{u.id}").json["role"] == \
        "instructor"
    again = sign_in(server, u.username)
    assert again.get("/api/v1/me").json["role"] == "instructor"
    assert_problem(again.get("/api/v1/admin/users"), 403, "forbidden")
    rows = audits(server, "user.role_changed", u.id)
    assert len(rows) == 1
    assert rows[0]["actor"] == org.admin.id
    assert rows[0]["old"] == {"role": "student"}
    assert rows[0]["new"] == {"role": "instructor"}
    # Promoted to admin, a new session reaches the admin routes.
    assert set_role(org.admin, u.id, "admin").status == 200
    assert again.get("/api/v1/me").status == 401
    newest = sign_in(server, u.username)
    assert newest.get("/api/v1/admin/users").status == 200
    assert [r["new"]["role"] for r in
            audits(server, "user.role_changed", u.id)] == ["instructor",
                                                           "admin"]


def test_setting_the_same_role_changes_nothing(server):
    org = Org(server)
    u = org.user()
    r = set_role(org.admin, u.id, "student")
    assert r.status == 200, r
    assert r.json["role"] == "student"
    assert u.signed_in()
    assert audits(server, "user.role_changed", u.id) == []


@pytest.mark.parametrize("body,fields", [
    ({"role": "root"}, {"role"}),
    ({"role": "Admin"}, {"role"}),
    ({"role": ""}, {"role"}),
    ({"role": None}, {"role"}),
    ({"role": 1}, {"role"}),
    ({"role": ["admin"]}, {"role"}),
    ({}, {"role"}),
    ({"role": "instructor", "is_active": False}, {"is_active"}),
    ({"role": "admin", "email": "x@example.com"}, {"email"}),
    ([], {"", "role"}),
])
def test_bad_role_change_is_refused(server, body, fields):
    org = Org(server)
    u = org.user()
    before = state(server, u.id)
    r = org.admin.request("PATCH", f"/api/v1/admin/users/{u.id}", body)
    assert_invalid(r, *fields)
    assert state(server, u.id) == before
    assert u.signed_in()


@pytest.mark.parametrize("role", ["student", "instructor", "admin"])
def test_an_admin_cannot_change_their_own_role(server, role):
    org = Org(server)
    r = set_role(org.admin, org.admin.id, role)
    assert_problem(r, 409, "own-account")
    assert state(server, org.admin.id)[0] == "admin"
    assert org.admin.signed_in()


def test_another_admin_can_be_demoted(server):
    org = Org(server)
    other = org.user(role="admin")
    r = set_role(org.admin, other.id, "student")
    assert r.status == 200, r
    assert not other.signed_in()
    assert org.admin.signed_in()


class RowLock:
    """A psql session holding FOR UPDATE locks on users rows, so that
    requests touching them wait until it commits."""

    def __init__(self, server, user_ids):
        self.server = server
        self.app = f"pytest-holder-{os.getpid()}-{next(_seq)}"
        env = dict(os.environ, PGAPPNAME=self.app)
        self.proc = subprocess.Popen(
            [f"{PGBIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
             "-h", PGHOST, "-p", PGPORT, "-U", "postgres", "-d", server.db],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, env=env)
        ids = ", ".join(f"'{i}'" for i in user_ids)
        self.send(f"BEGIN; SELECT id FROM users WHERE id IN ({ids}) "
                  f"FOR UPDATE;")
        self.wait_for(f"application_name = '{self.app}' "
                      f"AND state = 'idle in transaction'", 1)

    def send(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def wait_for(self, where, count, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            n = int(psql(f"SELECT count(*) FROM pg_stat_activity "
                         f"WHERE datname = '{self.server.db}' AND {where}")
                    [0][0])
            if n >= count:
                return
            if time.monotonic() > deadline:
                rows = psql("SELECT application_name, state, "
                            "wait_event_type, wait_event, left(query, 60) "
                            "FROM pg_stat_activity "
                            f"WHERE datname = '{self.server.db}'")
                raise TimeoutError(f"never: {where}: {rows}")
            time.sleep(0.02)

    def wait_for_waiters(self, count):
        """Until count other backends wait for a lock."""
        self.wait_for(f"application_name <> '{self.app}' "
                      f"AND wait_event_type = 'Lock'", count)

    def commit(self, before=""):
        self.send(f"{before} COMMIT;")
        self.proc.stdin.close()
        assert self.proc.wait(30) == 0, self.proc.stderr.read()


def in_thread(fn):
    """Runs fn in a thread; returns a function that joins and returns."""
    out = {}
    t = threading.Thread(target=lambda: out.update(r=fn()))
    t.start()

    def join():
        t.join(30)
        assert not t.is_alive()
        return out["r"]
    return join


def test_demoting_the_last_admin_is_refused(server):
    # The only way to meet this rule is a race: admin A demotes admin B
    # while A loses the admin role (here, through SQL) before A's change
    # runs.  B is then the last admin and stays one.
    org = Org(server)
    a, b = org.admin, org.user(role="admin")
    hold = RowLock(server, [b.id])
    result = in_thread(lambda: set_role(a, b.id, "student"))
    hold.wait_for_waiters(1)
    hold.commit(f"UPDATE users SET role = 'student' WHERE id = '{a.id}';")
    assert_problem(result(), 409, "last-admin")
    assert state(server, b.id)[0] == "admin"
    assert b.signed_in()
    assert audits(server, "user.role_changed", b.id) == []


def test_two_admins_demoting_each_other_at_once_leave_one(server):
    org = Org(server)
    a, b = org.admin, org.user(role="admin")
    hold = RowLock(server, [a.id, b.id])
    # One request at a time until it waits: a worker thread of
    # libmicrohttpd that accepted both connections would serve the second
    # only after the first.
    ra = in_thread(lambda: set_role(a, b.id, "student"))
    hold.wait_for_waiters(1)
    rb = in_thread(lambda: set_role(b, a.id, "student"))
    hold.wait_for_waiters(2)
    hold.commit()
    results = [ra(), rb()]
    # Admin changes of an organization go one at a time; the second finds
    # its actor no longer an admin.
    assert sorted(r.status for r in results) == [200, 403], results
    refused = next(r for r in results if r.status == 403)
    assert_problem(refused, 403, "forbidden")
    admins = sql(server, f"SELECT count(*) FROM users WHERE org_id = "
                         f"'{org.id}' AND role = 'admin' AND is_active "
                         f"AND deleted_at IS NULL")
    assert admins == [["1"]]


def test_two_admins_locking_each_other_at_once_leave_one(server):
    org = Org(server)
    a, b = org.admin, org.user(role="admin")
    hold = RowLock(server, [a.id, b.id])
    ra = in_thread(lambda: a.request("POST",
                                     f"/api/v1/admin/users/{b.id}/lock"))
    hold.wait_for_waiters(1)
    rb = in_thread(lambda: b.request("POST",
                                     f"/api/v1/admin/users/{a.id}/lock"))
    hold.wait_for_waiters(2)
    hold.commit()
    results = [ra(), rb()]
    admins = sql(server, f"SELECT count(*) FROM users WHERE org_id = "
                         f"'{org.id}' AND role = 'admin' AND is_active "
                         f"AND deleted_at IS NULL")
    assert admins == [["1"]], results
    assert sorted(r.status for r in results) == [200, 403], results


def test_role_change_of_another_orgs_user_is_not_found(server):
    org = Org(server)
    outsider = Account(server)
    before = state(server, outsider.id)
    assert_problem(set_role(org.admin, outsider.id, "admin"), 404,
                   "not-found")
    assert state(server, outsider.id) == before
    assert outsider.signed_in()
    assert_problem(set_role(org.admin, str(uuid.uuid4()), "admin"), 404,
                   "not-found")
    assert_problem(set_role(org.admin, "nobody", "admin"), 404, "not-found")


# ---- lock and unlock -------------------------------------------------------

def test_lock_and_unlock(server):
    org = Org(server)
    u = org.user()
    u2 = sign_in(server, u.username)
    a = org.admin
    r = a.request("POST", f"/api/v1/admin/users/{u.id}/lock")
    assert r.status == 200, r
    assert r.json["status"] == "locked" and r.json["sessions"] == 0
    assert_problem(u.get("/api/v1/me"), 401, "unauthenticated")
    assert u2.get("/api/v1/me").status == 401
    refused = login_status(server, u.username)
    assert_problem(refused, 401, "login-failed")
    assert refused.json == generic_login_failure(server)
    assert a.get(f"/api/v1/admin/users/{u.id}").json["status"] == "locked"
    rows = audits(server, "user.locked", u.id)
    assert len(rows) == 1
    assert rows[0]["actor"] == a.id
    assert rows[0]["old"] == {"is_active": True}
    assert rows[0]["new"] == {"is_active": False}

    r = a.request("POST", f"/api/v1/admin/users/{u.id}/unlock")
    assert r.status == 200, r
    assert r.json["status"] == "active"
    back = sign_in(server, u.username)
    assert back.get("/api/v1/me").status == 200
    rows = audits(server, "user.unlocked", u.id)
    assert len(rows) == 1
    assert rows[0]["old"] == {"is_active": False}
    assert rows[0]["new"] == {"is_active": True}


def test_unlock_lifts_a_lock_from_failed_logins(server):
    org = Org(server)
    u = org.user()
    sql(server, f"UPDATE users SET locked_until = now() + interval '1 hour', "
                f"failed_login_count = 3 WHERE id = '{u.id}'")
    assert_problem(login_status(server, u.username), 401, "login-failed")
    doc = org.admin.get(f"/api/v1/admin/users/{u.id}").json
    assert doc["status"] == "temporarily_locked"
    assert doc["locked_until"] is not None
    r = org.admin.request("POST", f"/api/v1/admin/users/{u.id}/unlock")
    assert r.status == 200, r
    assert r.json["status"] == "active"
    assert r.json["locked_until"] is None
    assert r.json["failed_login_count"] == 0
    sign_in(server, u.username)


def test_an_admin_cannot_lock_themself(server):
    org = Org(server)
    r = org.admin.request("POST", f"/api/v1/admin/users/{org.admin.id}/lock")
    assert_problem(r, 409, "own-account")
    assert org.admin.signed_in()
    r = org.admin.request("POST",
                          f"/api/v1/admin/users/{org.admin.id.upper()}/lock")
    assert_problem(r, 409, "own-account")
    assert org.admin.signed_in()


@pytest.mark.parametrize("action", ["lock", "unlock", "restore"])
def test_lock_unlock_restore_another_orgs_user_is_not_found(server, action):
    org = Org(server)
    outsider = Account(server)
    before = state(server, outsider.id)
    r = org.admin.request("POST",
                          f"/api/v1/admin/users/{outsider.id}/{action}")
    assert_problem(r, 404, "not-found")
    assert state(server, outsider.id) == before
    assert outsider.signed_in()


# ---- delete and restore ----------------------------------------------------

def test_delete_and_restore(server):
    org = Org(server)
    u = org.user()
    a = org.admin
    r = a.request("DELETE", f"/api/v1/admin/users/{u.id}")
    assert r.status == 200, r
    assert r.json["status"] == "deleted" and r.json["deleted_at"]
    assert r.json["sessions"] == 0
    assert not u.signed_in()
    assert_problem(login_status(server, u.username), 401, "login-failed")
    rows = audits(server, "user.deleted", u.id)
    assert len(rows) == 1
    assert rows[0]["actor"] == a.id
    assert rows[0]["new"] == {"deleted": True, "by": "admin"}

    assert_problem(a.request("DELETE", f"/api/v1/admin/users/{u.id}"), 409,
                   "conflict")
    assert_problem(set_role(a, u.id, "instructor"), 409, "conflict")
    assert_problem(a.request("POST", f"/api/v1/admin/users/{u.id}/lock"), 409,
                   "conflict")
    assert_problem(a.request("POST", f"/api/v1/admin/users/{u.id}/unlock"),
                   409, "conflict")
    assert state(server, u.id)[:3] == ["student", "t", "t"]
    # Still listed, as deleted; still readable.
    assert a.get(f"/api/v1/admin/users/{u.id}").json["status"] == "deleted"

    r = a.request("POST", f"/api/v1/admin/users/{u.id}/restore")
    assert r.status == 200, r
    assert r.json["status"] == "active" and r.json["deleted_at"] is None
    back = sign_in(server, u.username)
    assert back.get("/api/v1/me").status == 200
    rows = audits(server, "user.restored", u.id)
    assert len(rows) == 1
    assert rows[0]["old"] == {"deleted": True}
    assert rows[0]["new"] == {"deleted": False}
    assert_problem(a.request("POST", f"/api/v1/admin/users/{u.id}/restore"),
                   409, "conflict")


def test_restore_of_a_user_never_deleted(server):
    org = Org(server)
    u = org.user()
    r = org.admin.request("POST", f"/api/v1/admin/users/{u.id}/restore")
    assert_problem(r, 409, "conflict")
    assert u.signed_in()


def test_an_anonymized_user_cannot_be_restored(server):
    org = Org(server)
    u = org.user(sign=False)
    assert org.admin.request("DELETE", f"/api/v1/admin/users/{u.id}").status \
        == 200
    sql(server, f"UPDATE users SET anonymized_at = now() WHERE id = '{u.id}'")
    r = org.admin.request("POST", f"/api/v1/admin/users/{u.id}/restore")
    assert_problem(r, 409, "conflict")
    assert state(server, u.id)[2] == "t"
    assert audits(server, "user.restored", u.id) == []


def test_an_admin_cannot_delete_themself_here(server):
    org = Org(server)
    org.user(role="admin")  # not the last admin: still refused
    r = org.admin.request("DELETE", f"/api/v1/admin/users/{org.admin.id}")
    assert_problem(r, 409, "own-account")
    assert org.admin.signed_in()
    assert state(server, org.admin.id)[2] == "f"


def test_deleting_another_admin(server):
    org = Org(server)
    other = org.user(role="admin")
    r = org.admin.request("DELETE", f"/api/v1/admin/users/{other.id}")
    assert r.status == 200, r
    assert not other.signed_in()


def test_delete_another_orgs_user_is_not_found(server):
    org = Org(server)
    outsider = Account(server)
    assert_problem(org.admin.request("DELETE",
                                     f"/api/v1/admin/users/{outsider.id}"),
                   404, "not-found")
    assert outsider.signed_in()
    assert state(server, outsider.id)[2] == "f"


# ---- GET /api/v1/admin/audit -----------------------------------------------

def audit_org(server):
    """An organization with a few audited events, made with a known user
    agent and request ids."""
    org = Org(server)
    a = org.admin
    s1, s2 = org.user(), org.user()
    tag = f"{next(_seq):04d}"
    h = {"User-Agent": "audit-agent/1.0"}
    assert a.request("POST", f"/api/v1/admin/users/{s1.id}/lock",
                     headers=dict(h, **{"X-Request-Id": f"lock-{tag}"})
                     ).status == 200
    assert a.request("POST", f"/api/v1/admin/users/{s1.id}/unlock",
                     headers=h).status == 200
    assert a.request("PATCH", f"/api/v1/admin/users/{s2.id}",
                     {"role": "instructor"}, headers=h).status == 200
    assert s1.client.request("PATCH", "/api/v1/me/settings",
                             {"theme": "dark"}).status == 401  # locked out
    s1 = sign_in(server, s1.username)
    assert s1.request("PATCH", "/api/v1/me/settings",
                      {"theme": "dark"}).status == 200
    assert login_status(server, s1.user["username"], "wrong password!")\
        .status == 401
    return org, s1, s2, tag


def test_audit_rows_and_filters(server):
    org, s1, s2, tag = audit_org(server)
    a = org.admin
    everything = audit_list(a, limit=200)
    assert everything["next"] is None
    items = everything["items"]
    (count,) = sql(server, f"SELECT count(*) FROM audit_events "
                           f"WHERE org_id = '{org.id}'")[0]
    assert len(items) == int(count)
    for i in items:
        assert set(i) == AUDIT_KEYS
    stamps = [i["occurred_at"] for i in items]
    assert stamps == sorted(stamps, reverse=True)

    lock = audit_list(a, action="user.locked")["items"]
    assert len(lock) == 1
    lock = lock[0]
    assert lock["entity_type"] == "user" and lock["entity_id"] == s1.id
    assert lock["actor_user_id"] == a.id
    assert lock["actor_username"] == a.username
    assert lock["ip"] == "127.0.0.1"
    assert lock["user_agent"] == "audit-agent/1.0"
    assert lock["request_id"] == f"lock-{tag}"
    assert lock["success"] is True and lock["error_message"] is None
    assert lock["old_values"] == {"is_active": True}
    assert lock["new_values"] == {"is_active": False}
    for i in items:
        assert i["ip"] == "127.0.0.1"
        assert i["request_id"]

    # Exact action, and a prefix with '*'.
    assert audit_list(a, action="user")["items"] == []
    prefixed = audit_list(a, action="user.*", limit=200)["items"]
    assert prefixed and all(i["action"].startswith("user.") for i in prefixed)
    assert len(prefixed) == sum(i["action"].startswith("user.")
                                for i in items)
    assert {i["action"] for i in audit_list(a, action="user.lock*")
            ["items"]} == {"user.locked"}
    assert {i["action"] for i in audit_list(a, action="user.role_*")
            ["items"]} == {"user.role_changed"}
    assert audit_list(a, action="user%")["items"] == []
    assert audit_list(a, action="u_er.locked")["items"] == []

    by_admin = audit_list(a, actor=a.id, limit=200)["items"]
    assert by_admin and all(i["actor_user_id"] == a.id for i in by_admin)
    assert len(by_admin) == sum(i["actor_user_id"] == a.id for i in items)

    settings = audit_list(a, entity_type="user_settings")["items"]
    assert [(i["action"], i["entity_id"]) for i in settings] == \
        [("user.settings_changed", s1.id)]

    about_s2 = audit_list(a, entity_id=s2.id, limit=200)["items"]
    assert about_s2 and all(i["entity_id"] == s2.id for i in about_s2)
    assert "user.role_changed" in {i["action"] for i in about_s2}

    failed = audit_list(a, success="false")["items"]
    assert failed and all(i["success"] is False for i in failed)
    assert [(i["action"], i["entity_id"]) for i in failed] == \
        [("user.login", s1.id)]
    assert failed[0]["error_message"] == "wrong password"
    ok = audit_list(a, success="true", limit=200)["items"]
    assert all(i["success"] is True for i in ok)
    assert len(ok) + len(failed) == len(items)

    combined = audit_list(a, action="user.login", success="false",
                          entity_id=s1.id)["items"]
    assert len(combined) == 1


def test_audit_time_window(server):
    org, s1, s2, tag = audit_org(server)
    a = org.admin
    n = len(audit_list(a, limit=200)["items"])
    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    yesterday, tomorrow = (now - day).date(), (now + day).date()
    assert len(audit_list(a, since=str(yesterday), limit=200)["items"]) == n
    assert audit_list(a, since=str(tomorrow))["items"] == []
    assert len(audit_list(a, until=str(tomorrow), limit=200)["items"]) == n
    assert audit_list(a, until=str(yesterday))["items"] == []
    later = (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier = (now - datetime.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert audit_list(a, since=later)["items"] == []
    assert len(audit_list(a, since=earlier, until=later,
                          limit=200)["items"]) == n
    assert audit_list(a, since=later, until=earlier)["items"] == []
    # An offset (its '+' sent as %2B).
    east = (now + datetime.timedelta(hours=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=5)))
    assert audit_list(a, since=east.strftime("%Y-%m-%dT%H:%M:%S+05:00"))[
        "items"] == []
    assert len(audit_list(a, until=east.strftime("%Y-%m-%dT%H:%M:%S+05:00"),
                          limit=200)["items"]) == n


@pytest.mark.parametrize("query,field", [
    ({"action": "a" * 65}, "action"),
    ({"action": ""}, "action"),
    ({"entity_type": "x" * 65}, "entity_type"),
    ({"entity_type": ""}, "entity_type"),
    ({"actor": "xyz"}, "actor"),
    ({"actor": ""}, "actor"),
    ({"entity_id": "xyz"}, "entity_id"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2026/01/01"}, "since"),
    ({"since": "2026-1-1"}, "since"),
    ({"since": "2026-13-45"}, "since"),
    ({"until": "soon"}, "until"),
    ({"until": "20260101T00:00:00"}, "until"),
    ({"success": "yes"}, "success"),
    ({"success": "1"}, "success"),
    ({"success": "TRUE"}, "success"),
    ({"after": "xyz"}, "after"),
    ({"limit": "0"}, "limit"),
    ({"limit": "201"}, "limit"),
    ({"limit": "ten"}, "limit"),
])
def test_audit_bad_parameters(server, query, field):
    org = Org(server)
    r = org.admin.get("/api/v1/admin/audit" + qs(**query))
    assert_invalid(r, field)


@pytest.mark.parametrize("until", ["2026-13-45", "2026-02-30",
                                   "2026-01-01T25:00:00Z"])
def test_audit_impossible_until_names_until(server, until):
    org = Org(server)
    r = org.admin.get("/api/v1/admin/audit" + qs(until=until))
    assert_invalid(r, "until")


def test_audit_pagination_walks_every_event_once(server):
    org, s1, s2, tag = audit_org(server)
    a = org.admin
    everything = audit_list(a, limit=200)["items"]
    assert len(everything) >= 6
    items, pages = walk(a, "/api/v1/admin/audit", limit=2)
    assert [i["id"] for i in items] == [i["id"] for i in everything]
    assert len(set(i["id"] for i in items)) == len(items)
    assert all(p == 2 for p in pages[:-1]) and 1 <= pages[-1] <= 2
    # Filters hold across pages.
    items, _ = walk(a, "/api/v1/admin/audit", limit=1, action="user.*")
    assert [i["id"] for i in items] == \
        [i["id"] for i in everything if i["action"].startswith("user.")]


def test_audit_shows_my_organization_only(server):
    org, s1, s2, tag = audit_org(server)
    demo = sign_in(server, "admin", "password123")
    # The demo admin sees nothing of the other organization...
    for key in ("entity_id", "actor"):
        for who in (s1.id, s2.id, org.admin.id):
            assert audit_list(demo, **{key: who})["items"] == []
    demo_events = audit_list(demo, limit=200)["items"]
    assert demo_events
    mine = {i["id"] for i in audit_list(org.admin, limit=200)["items"]}
    # ...and the organization's admin nothing of the demo organization.
    assert not mine & {i["id"] for i in demo_events}
    assert audit_list(org.admin, actor=demo.id)["items"] == []
    ids = sql(server, f"SELECT id FROM audit_events WHERE org_id = '{org.id}'")
    assert mine == {row[0] for row in ids}
    # A page boundary from the other organization leads nowhere.
    doc = audit_list(org.admin, after=demo_events[0]["id"])
    assert not {i["id"] for i in doc["items"]} & {i["id"] for i in
                                                  demo_events}


# ---- the authorization matrix ----------------------------------------------
#
# Actors: nobody signed in; "student", the owner of the /me data and of the
# session the session route names; "other_student" of the same
# organization; an instructor; an admin of the same organization; an admin
# of another organization.  Admin routes name "target", a student of the
# first organization.

ACTORS = ("anonymous", "student", "other_student", "instructor", "admin",
          "other_admin")
OK = "2xx"
EXPECT = {
    # Routes about the caller's own account: everyone signed in.
    "self": dict(anonymous=401, student=OK, other_student=OK, instructor=OK,
                 admin=OK, other_admin=OK),
    # The student's own session: nobody else finds it.
    "own_session": dict(anonymous=401, student=OK, other_student=404,
                        instructor=404, admin=404, other_admin=404),
    # The student's own study goal: the same.
    "own_goal": dict(anonymous=401, student=OK, other_student=404,
                     instructor=404, admin=404, other_admin=404),
    # Lists of the admin's organization.
    "admin_list": dict(anonymous=401, student=403, other_student=403,
                       instructor=403, admin=OK, other_admin=OK),
    # One user of the first organization.
    "admin_user": dict(anonymous=401, student=403, other_student=403,
                       instructor=403, admin=OK, other_admin=404),
    # Public routes: a session is never needed; {} is simply invalid.
    "public": dict(anonymous=422, student=422, other_student=422,
                   instructor=422, admin=422, other_admin=422),
}
# The lowest built-in role that holds each permission a route names.
LOWEST_ROLE = {"public": "public", "account.self": "student",
               "learn": "student", "user.manage": "admin",
               "audit.read": "admin", "org.manage": "admin",
               "role.manage": "admin", "token.create": "instructor"}
ROLE_OF_KIND = {"self": "student", "own_session": "student",
                "own_goal": "student",
                "admin_list": "admin", "admin_user": "admin",
                "public": "public"}
NEW_PW = "a brand new secret phrase"


def _common_avatar(w, actor):
    (avatar,) = sql(w.server, "SELECT id FROM avatars WHERE is_default "
                              "ORDER BY display_order LIMIT 1")[0]
    return {"avatar_id": avatar}


def _goal(w, actor):
    return {"kind": "weekly_lessons", "target": 3}


def _pw(w, actor):
    return {"password": actor.client.password if actor else PW}


def _pw_change(w, actor):
    return {"current_password": actor.client.password if actor else PW,
            "new_password": NEW_PW}


def _deleted_target(w):
    sql(w.server, f"UPDATE users SET deleted_at = now() "
                  f"WHERE id = '{w.target.id}'")


# method, path, kind, body (a dict, or a function of world and actor),
# prepare (a function of the world), shared (whether the case may run in
# the world shared by the read-only cases).
ROUTES = [
    ("GET", "/api/v1/me", "self", None, None, True),
    ("PATCH", "/api/v1/me", "self", {"bio": "matrix"}, None, True),
    ("DELETE", "/api/v1/me", "self", _pw, None, False),
    ("GET", "/api/v1/me/settings", "self", None, None, True),
    ("PATCH", "/api/v1/me/settings", "self", {"theme": "dark"}, None, True),
    ("GET", "/api/v1/me/sessions", "self", None, None, True),
    ("DELETE", "/api/v1/me/sessions/{id}", "own_session", None, None, False),
    ("POST", "/api/v1/me/password", "self", _pw_change, None, False),
    ("GET", "/api/v1/me/export", "self", None, None, True),
    ("GET", "/api/v1/me/bookmarks", "self", None, None, True),
    ("GET", "/api/v1/me/attempts", "self", None, None, True),
    ("GET", "/api/v1/me/attempts/trends", "self", None, None, True),
    ("GET", "/api/v1/me/xp", "self", None, None, True),
    ("GET", "/api/v1/me/achievements", "self", None, None, True),
    ("GET", "/api/v1/me/avatars", "self", None, None, True),
    ("PUT", "/api/v1/me/avatar", "self", _common_avatar, None, True),
    ("GET", "/api/v1/me/notifications", "self", None, None, True),
    ("POST", "/api/v1/me/notifications/read", "self", {}, None, True),
    ("GET", "/api/v1/me/goals", "self", None, None, True),
    ("POST", "/api/v1/me/goals", "self", _goal, None, False),
    ("PATCH", "/api/v1/me/goals/{id}", "own_goal", {"target": 45}, None,
     False),
    ("DELETE", "/api/v1/me/goals/{id}", "own_goal", None, None, False),
    ("GET", "/api/v1/me/dashboard", "self", None, None, True),
    ("GET", "/api/v1/admin/users", "admin_list", None, None, True),
    ("GET", "/api/v1/admin/users/{id}", "admin_user", None, None, True),
    ("PATCH", "/api/v1/admin/users/{id}", "admin_user",
     {"role": "instructor"}, None, False),
    ("DELETE", "/api/v1/admin/users/{id}", "admin_user", None, None, False),
    ("POST", "/api/v1/admin/users/{id}/lock", "admin_user", None, None,
     False),
    ("POST", "/api/v1/admin/users/{id}/unlock", "admin_user", None, None,
     False),
    ("POST", "/api/v1/admin/users/{id}/restore", "admin_user", None,
     _deleted_target, False),
    ("GET", "/api/v1/admin/audit", "admin_list", None, None, True),
    ("GET", "/api/v1/admin/organization", "admin_list", None, None, True),
    ("PATCH", "/api/v1/admin/organization", "admin_list",
     {"leaderboard_include_staff": False}, None, False),
    ("POST", "/api/v1/auth/logout", "self", None, None, False),
    ("POST", "/api/v1/auth/logout-all", "self", None, None, False),
    ("POST", "/api/v1/auth/verify-email/resend", "self", None, None, True),
    ("POST", "/api/v1/auth/register", "public", {}, None, True),
    ("POST", "/api/v1/auth/login", "public", {}, None, True),
    ("POST", "/api/v1/auth/verify-email", "public", {}, None, True),
    ("POST", "/api/v1/auth/password-reset", "public", {}, None, True),
    ("POST", "/api/v1/auth/password-reset/confirm", "public", {}, None,
     True),
]


class World:
    """The accounts a matrix case needs: the student (also an actor), a
    second session of theirs, the target of the admin routes, and the
    actors (all of them for the shared world)."""

    def __init__(self, server, other_slug, actor=None, kind=None):
        self.server = server
        self.other_slug = other_slug
        self.student = Account(server)
        self.spare = self.target = None
        if kind in (None, "own_session"):
            # The session the session route names.
            self.spare = sign_in(server, self.student.username)
        if kind in (None, "admin_user", "admin_list"):
            self.target = Account(server, sign=False)
        self.goal = None
        if kind in (None, "own_goal"):
            r = self.student.request("POST", "/api/v1/me/goals",
                                     {"kind": "daily_minutes", "target": 20})
            assert r.status == 201, r
            self.goal = r.json["items"][0]["id"]
        self.actors = {"anonymous": None, "student": self.student}
        for name in ACTORS if actor is None else (actor,):
            if name not in self.actors:
                self.actors[name] = self.make(name)

    def make(self, name):
        s = self.server
        if name == "other_student":
            return Account(s)
        if name == "instructor":
            return Account(s, role="instructor")
        if name == "admin":
            return Account(s, role="admin")
        assert name == "other_admin"
        return Account(s, org=self.other_slug, role="admin")


@pytest.fixture(scope="module")
def other_org(server):
    """A second organization, with an admin who stays, so that the other
    admin of the matrix may delete their own account."""
    n = next(_seq)
    slug = f"other-{n}"
    sql(server, f"INSERT INTO organizations (slug, name) "
                f"VALUES ('{slug}', 'Other {n}')")
    Account(server, org=slug, role="admin", sign=False)
    return slug


@pytest.fixture(scope="module")
def shared_world(server, other_org):
    return World(server, other_org)


def _route_id(route):
    return f"{route[0]} {route[1]}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_authorization_matrix(server, other_org, shared_world, route, actor):
    method, pattern, kind, body, prepare, shared = route
    w = shared_world if shared else World(server, other_org, actor, kind)
    if prepare:
        prepare(w)
    who = w.actors[actor]
    path = pattern
    if "{id}" in pattern:
        path = pattern.replace("{id}", w.spare.session_id
                               if kind == "own_session" else w.goal
                               if kind == "own_goal" else w.target.id)
    if callable(body):
        body = body(w, who)
    before = state(server, w.target.id) if w.target else None
    if who is None:
        r = server.request(method, path, body)
    else:
        r = who.request(method, path, body)

    want = EXPECT[kind][actor]
    if want == OK:
        assert 200 <= r.status < 300, r
    else:
        code = {401: "unauthenticated", 403: "forbidden", 404: "not-found",
                422: "validation-failed"}[want]
        assert_problem(r, want, code)
    if want in (401, 403, 404):
        # A refusal changes nothing: the target, the student and their
        # sessions are as they were.
        if w.target:
            assert state(server, w.target.id) == before
        if w.spare:
            assert w.spare.get("/api/v1/me").status == 200
        if actor != "student":
            assert w.student.signed_in()
    if actor == "other_admin" and r.status == 200 and kind != "self":
        # Their own organization's lists: nobody of the first one.
        assert w.target.id not in r.body.decode()
        assert w.student.id not in r.body.decode()


def test_matrix_covers_every_documented_route(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    documented = {}
    for path, item in doc["paths"].items():
        if path.startswith(("/api/v1/admin/roles",
                            "/api/v1/admin/invitations",
                            "/api/v1/auth/invitation", "/api/v1/me/tokens",
                            "/api/v1/auth/sso/",
                            "/api/v1/admin/identity-providers",
                            "/api/v1/me/identities",
                            "/api/v1/me/flashcard-settings",
                            "/api/v1/admin/flashcard-parameters",
                            "/api/v1/me/material-progress")):
            # test_roles.py, test_organizations.py, test_tokens.py,
            # test_sso.py, test_flashcards.py, test_materials.py
            continue
        if any(path == p or path.startswith(p + "/") for p in
               ("/api/v1/me", "/api/v1/admin", "/api/v1/auth")):
            for method, op in item.items():
                documented[(method.upper(), path)] = \
                    LOWEST_ROLE[op["x-ludus-permission"]]
    table = {(m, p): ROLE_OF_KIND[k] for m, p, k, *_ in ROUTES}
    assert set(table) == set(documented), \
        f"routes missing from the matrix: {set(documented) - set(table)}; " \
        f"routes no longer documented: {set(table) - set(documented)}"
    # Each route's kind agrees with the lowest role the document names.
    assert table == documented
    assert len(ROUTES) == len(table)


def test_every_actor_is_in_every_row_of_expectations():
    for kind, row in EXPECT.items():
        assert set(row) == set(ACTORS), kind
