"""Single sign-on with OpenID Connect (migration 0020, src/identity/
api_sso.c, src/core/jwt.c), end to end against a real provider.

The provider is tests/oidc/provider.py, built on Debian's python3-authlib:
it runs the authorization-code flow with PKCE (it checks the verifier),
signs ID tokens with RS256 or ES256 keys it publishes and rotates, and can
be told to spoil its next ID token (forged, wrong audience, expired...).
Here the test plays the browser: it carries the state cookie from Ludus to
the provider's sign-in form and back to the callback.
"""
import base64
import hashlib
import json
import os
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import SEEN, Client, free_port
from support import PW, assert_invalid, assert_problem, n, sql
from test_admin import Org

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "ludus-test"
# Characters that Basic authentication must form-encode (RFC 6749 2.3.1).
CLIENT_SECRET = "s3cret/+&= with spaces"
CALLBACK = "http://ludus.test/api/v1/auth/sso/callback"


class Provider:
    """tests/oidc/provider.py on a free loopback port, stopped by pid."""

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", str(ROOT / "tests/oidc/provider.py"),
             "--port", str(self.port), "--client-id", CLIENT_ID,
             "--client-secret", CLIENT_SECRET, "--redirect-uri", CALLBACK],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        assert line == "ready", line

    def call(self, method, path, body=None, form=None):
        data = headers = None
        if body is not None:
            data = json.dumps(body).encode()
            headers = {"Content-Type": "application/json"}
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        req = urllib.request.Request(self.issuer + path, data=data,
                                     method=method, headers=headers or {})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **kw):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            r = opener.open(req, timeout=10)
        except urllib.error.HTTPError as e:
            r = e
        return r.status, dict(r.headers), r.read().decode()

    def user(self, sub, email, verified=True, name="Pat Doe",
             preferred=None):
        st, _, _ = self.call("POST", "/control/users", {
            "sub": sub, "email": email, "email_verified": verified,
            "name": name, "preferred_username": preferred or sub})
        assert st == 200

    def defect(self, what):
        assert self.call("POST", "/control/next", {"defect": what})[0] == 200

    def rotate(self, alg, keep_old=False):
        st, _, body = self.call("POST", "/control/rotate",
                                {"alg": alg, "keep_old": keep_old})
        assert st == 200, body
        return json.loads(body)["kid"]

    def log(self):
        return json.loads(self.call("GET", "/control/log")[2])

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)


@pytest.fixture(scope="module")
def provider():
    p = Provider()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def server(db, tmp_path_factory):
    from conftest import Server
    s = Server(db, tmp_path_factory.mktemp("server"),
               env={"LUDUS_OIDC_ALLOW_HTTP": "1"})
    yield s
    s.stop_clean()


def add_provider(admin, provider, **kw):
    body = {"name": kw.pop("name", "Campus login"),
            "issuer": provider.issuer, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET}
    body.update(kw)
    r = admin.request("POST", "/api/v1/admin/identity-providers", body)
    assert r.status == 201, r
    return r.json


@pytest.fixture
def org(server, provider):
    o = Org(server)
    o.idp = add_provider(o.admin, provider)
    return o


def set_cookies(r):
    jar = {}
    for k, v in r.headers:
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


class Flow:
    """One browser going through a sign-in."""

    def __init__(self, server, provider, idp_id, next_path=None):
        self.server, self.provider = server, provider
        path = f"/api/v1/auth/sso/{idp_id}/start"
        if next_path is not None:
            path += "?" + urllib.parse.urlencode({"next": next_path})
        r = server.request("GET", path)
        assert r.status == 302, r
        assert r.header("Cache-Control") == "no-store"
        self.state_cookie = set_cookies(r)["ludus_sso"]
        self.authorize = r.header("Location")
        self.params = dict(urllib.parse.parse_qsl(
            urllib.parse.urlsplit(self.authorize).query))

    def at_provider(self, sub=None, deny=False):
        """The provider's sign-in page, then its form: the callback URL."""
        path = self.authorize[len(self.provider.issuer):]
        st, _, page = self.provider.call("GET", path)
        assert st == 200 and "Test identity provider" in page, page
        form = dict(self.params)
        form.update({"deny": "1"} if deny else {"user": sub})
        st, headers, _ = self.provider.call("POST", "/authorize", form=form)
        assert st == 302
        loc = headers["Location"]
        assert loc.startswith(CALLBACK)
        return loc[len("http://ludus.test"):]

    def back(self, callback, cookie=True):
        headers = {"Cookie": f"ludus_sso={self.state_cookie}"} if cookie \
            else {}
        return self.server.request("GET", callback, headers=headers)

    def run(self, sub):
        return self.back(self.at_provider(sub))


def landed(r):
    """The answer of a callback: where it sends the browser, and the
    session cookie it set (or None)."""
    assert r.status == 303, r
    return r.header("Location"), set_cookies(r).get("ludus_session") or None


def signed_in(server, r, next_path="/"):
    loc, session = landed(r)
    assert loc == next_path, loc
    assert session, r.headers
    SEEN["tokens"].add(session)
    me = server.request("GET", "/api/v1/me",
                        headers={"Cookie": f"ludus_session={session}"})
    assert me.status == 200, me
    return session, me.json


def sso_error(r):
    loc, session = landed(r)
    assert session is None
    assert loc.startswith("/login?sso_error="), loc
    return loc.split("=", 1)[1]


def who(n_):
    return f"sso-{n_}-{os.getpid()}"


# ---- the admin's side --------------------------------------------------------

def test_an_admin_adds_a_provider_that_the_sign_in_page_offers(server,
                                                               provider):
    o = Org(server)
    idp = add_provider(o.admin, provider, allowed_domains=["campus.test"])
    assert "client_secret" not in idp
    assert idp["issuer"] == provider.issuer
    assert idp["authorization_endpoint"] == provider.issuer + "/authorize"
    assert idp["allowed_domains"] == ["campus.test"]
    assert idp["enabled"] and idp["create_accounts"]
    r = o.admin.get("/api/v1/admin/identity-providers")
    assert r.status == 200, r
    assert [i["id"] for i in r.json["items"]] == [idp["id"]]
    assert r.json["redirect_uri"] == CALLBACK
    r = server.request("GET", f"/api/v1/auth/sso/providers?organization="
                              f"{o.slug}")
    assert r.status == 200
    assert r.json["items"] == [{"id": idp["id"], "name": "Campus login",
                                "organization": o.slug}]
    # Audited, without the secret.
    rows = sql(server, f"SELECT new_values::text FROM audit_events WHERE "
                       f"action = 'identity_provider.created' AND "
                       f"entity_id = '{idp['id']}'")
    assert len(rows) == 1 and CLIENT_SECRET not in rows[0][0]
    # Switched off: no longer offered, and no sign-in starts with it.
    r = o.admin.request("PATCH", f"/api/v1/admin/identity-providers/"
                                 f"{idp['id']}", {"enabled": False,
                                                  "client_secret": "new"})
    assert r.status == 200 and r.json["enabled"] is False, r
    changed = sql(server, f"SELECT new_values::text FROM audit_events WHERE "
                          f"action = 'identity_provider.changed' AND "
                          f"entity_id = '{idp['id']}'")
    assert '"(changed)"' in changed[0][0] and '"new"' not in changed[0][0]
    assert server.request("GET", f"/api/v1/auth/sso/providers?organization="
                                 f"{o.slug}").json["items"] == []
    assert_problem(server.request("GET", f"/api/v1/auth/sso/{idp['id']}/"
                                         f"start"), 404, "not-found")
    r = o.admin.request("DELETE", f"/api/v1/admin/identity-providers/"
                                  f"{idp['id']}")
    assert r.status == 204, r
    assert o.admin.get("/api/v1/admin/identity-providers").json["items"] == []


@pytest.mark.parametrize("change,field", [
    ({"issuer": "ftp://idp.test"}, "issuer"),
    ({"issuer": "https://idp.test/?tenant=1"}, "issuer"),
    ({"issuer": "not a url"}, "issuer"),
    ({"client_id": ""}, "client_id"),
    ({"client_id": "a\nb"}, "client_id"),
    ({"client_secret": None}, "client_secret"),
    ({"client_secret": "x" * 501}, "client_secret"),
    ({"name": " " * 3}, "name"),
    ({"allowed_domains": ["Campus.TEST"]}, "allowed_domains"),
    ({"allowed_domains": "campus.test"}, "allowed_domains"),
    ({"enabled": "yes"}, "enabled"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_provider_is_refused(server, provider, change, field):
    o = Org(server)
    body = {"name": "IdP", "issuer": provider.issuer, "client_id": CLIENT_ID,
            "client_secret": "s"}
    body.update(change)
    r = o.admin.request("POST", "/api/v1/admin/identity-providers", body)
    assert_invalid(r, field)
    assert sql(server, f"SELECT count(*) FROM identity_providers WHERE "
                       f"org_id = '{o.id}'")[0][0] == "0"


def test_an_issuer_must_answer_with_its_own_discovery_document(server,
                                                                provider):
    o = Org(server)
    body = {"name": "IdP", "client_id": CLIENT_ID, "client_secret": "s"}
    # Nobody listens there.
    r = o.admin.request("POST", "/api/v1/admin/identity-providers",
                        dict(body, issuer=f"http://127.0.0.1:{free_port()}"))
    p = assert_invalid(r, "issuer")
    assert "discovery" in p["errors"][0]["message"]
    # The same provider under another name: its document names 127.0.0.1.
    r = o.admin.request("POST", "/api/v1/admin/identity-providers",
                        dict(body, issuer=f"http://localhost:{provider.port}"))
    p = assert_invalid(r, "issuer")
    assert "another issuer" in p["errors"][0]["message"]
    add_provider(o.admin, provider)
    r = o.admin.request("POST", "/api/v1/admin/identity-providers",
                        dict(body, issuer=provider.issuer))
    assert_problem(r, 409, "conflict")


def test_only_an_admin_of_the_organization_manages_its_providers(org, server):
    student = org.user()
    path = f"/api/v1/admin/identity-providers/{org.idp['id']}"
    assert_problem(student.get("/api/v1/admin/identity-providers"), 403,
                   "forbidden")
    assert_problem(student.request("PATCH", path, {"name": "Mine"}), 403,
                   "forbidden")
    other = Org(server)
    assert_problem(other.admin.request("PATCH", path, {"name": "Mine"}), 404,
                   "not-found")
    assert_problem(other.admin.request("DELETE", path), 404, "not-found")
    assert other.admin.get("/api/v1/admin/identity-providers").json[
        "items"] == []
    assert org.admin.get("/api/v1/admin/identity-providers").json["items"][
        0]["name"] == "Campus login"


def test_https_is_required_unless_the_operator_allows_http(db, provider,
                                                           start_server):
    s = start_server(db)
    o = Org(s)
    r = o.admin.request("POST", "/api/v1/admin/identity-providers", {
        "name": "IdP", "issuer": provider.issuer, "client_id": CLIENT_ID,
        "client_secret": "s"})
    p = assert_invalid(r, "issuer")
    assert "https" in p["errors"][0]["message"]


# ---- signing in --------------------------------------------------------------

def test_a_new_person_gets_an_account_with_the_default_role(server, provider,
                                                           org):
    r = org.admin.request("PATCH", "/api/v1/admin/organization",
                          {"default_role": "instructor"})
    assert r.status == 200 and r.json["default_role"] == "instructor", r
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test", preferred="pat.doe")
    before = provider.log()
    f = Flow(server, provider, org.idp["id"], next_path="/courses?tab=mine")
    # What Ludus asked the provider for.
    assert f.params["response_type"] == "code"
    assert f.params["client_id"] == CLIENT_ID
    assert f.params["redirect_uri"] == CALLBACK
    assert set(f.params["scope"].split()) >= {"openid", "email"}
    assert f.params["state"] == f.state_cookie
    assert f.params["code_challenge_method"] == "S256"
    assert len(f.params["nonce"]) >= 22
    _, me = signed_in(server, f.run(sub), "/courses?tab=mine")
    assert me["email"] == f"{sub}@campus.test"
    assert me["username"] == "pat.doe"
    assert me["role"] == "instructor"
    assert me["email_verified"] is True
    assert me["organization"]["slug"] == org.slug
    # The code went back with the verifier of the challenge, and the
    # client authenticated with Basic.
    log = provider.log()
    sent = log["last_token_request"]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(
        sent["code_verifier"].encode()).digest()).rstrip(b"=").decode()
    assert challenge == f.params["code_challenge"]
    assert log["last_token_auth"] == "basic"
    assert sent["redirect_uri"] == CALLBACK
    assert log["discovery"] == before["discovery"]  # cached at creation
    rows = sql(server, f"SELECT action, new_values->>'method', success FROM "
                       f"audit_events WHERE actor_user_id = '{me['id']}' "
                       f"ORDER BY occurred_at, id")
    assert [r[0] for r in rows] == ["user.registered", "user.login"]
    assert all(r[1] == "sso" and r[2] == "t" for r in rows)


def test_a_known_subject_signs_in_to_the_same_account(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    _, first = signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    # The provider changed the address: the subject is what counts.
    provider.user(sub, f"{sub}.new@campus.test")
    session, again = signed_in(server, Flow(server, provider,
                                            org.idp["id"]).run(sub))
    assert again["id"] == first["id"]
    ids = server.request("GET", "/api/v1/me/identities",
                         headers={"Cookie": f"ludus_session={session}"})
    assert ids.status == 200
    assert [i["provider"]["name"] for i in ids.json["items"]] == \
        ["Campus login"]
    assert ids.json["items"][0]["email"] == f"{sub}.new@campus.test"
    assert sql(server, f"SELECT count(*) FROM users WHERE org_id = "
                       f"'{org.id}' AND email LIKE '{sub}%'")[0][0] == "1"


def test_an_existing_account_is_linked_only_with_its_password(server,
                                                              provider, org):
    member = org.user()
    sub = who(n())
    provider.user(sub, member.email.upper())  # case does not matter
    loc, session = landed(Flow(server, provider, org.idp["id"],
                               next_path="/progress").run(sub))
    assert session is None
    assert loc.startswith("/sso/link#"), loc
    token = loc.split("#", 1)[1]
    SEEN["tokens"].add(token)
    r = server.request("POST", "/api/v1/auth/sso/link/show",
                       {"token": token})
    assert r.status == 200, r
    assert r.json == {"provider": "Campus login",
                      "email": member.email.upper(), "next": "/progress"}
    r = server.request("POST", "/api/v1/auth/sso/link",
                       {"token": token, "password": "not the password"})
    assert_problem(r, 401, "login-failed")
    assert sql(server, f"SELECT count(*) FROM user_identities WHERE "
                       f"user_id = '{member.id}'")[0][0] == "0"
    r = server.request("POST", "/api/v1/auth/sso/link",
                       {"token": token, "password": PW})
    assert r.status == 200, r
    SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
    assert r.json["user"]["id"] == member.id
    # Spent; and from now on the provider signs in directly.
    assert_invalid(server.request("POST", "/api/v1/auth/sso/link",
                                  {"token": token, "password": PW}), "token")
    _, me = signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    assert me["id"] == member.id
    rows = sql(server, f"SELECT action, success FROM audit_events WHERE "
                       f"actor_user_id = '{member.id}' AND action LIKE 'sso.%'"
                       f" ORDER BY occurred_at, id")
    assert rows == [["sso.link_offered", "t"], ["sso.linked", "f"],
                    ["sso.linked", "t"]]


@pytest.mark.parametrize("body", [
    {}, {"token": "short"}, {"token": "!" * 43}, {"token": "A" * 43},
    {"token": "A" * 43, "extra": 1},
])
def test_a_bad_link_offer_is_refused(server, body):
    r = server.request("POST", "/api/v1/auth/sso/link/show", body)
    assert r.status == 422, r
    r = server.request("POST", "/api/v1/auth/sso/link",
                       dict(body, password=PW))
    assert r.status == 422, r


def test_an_address_the_provider_does_not_vouch_for_links_nothing(
        server, provider, org):
    member = org.user()
    sub = who(n())
    provider.user(sub, member.email, verified=False)
    assert sso_error(Flow(server, provider, org.idp["id"]).run(sub)) == \
        "email-unverified"
    assert sql(server, f"SELECT count(*) FROM sso_links WHERE "
                       f"user_id = '{member.id}'")[0][0] == "0"
    # Nor does it make an account at an address nobody vouched for.
    other = who(n())
    provider.user(other, f"{other}@campus.test", verified=False)
    assert sso_error(Flow(server, provider, org.idp["id"]).run(other)) == \
        "email-unverified"
    assert sql(server, f"SELECT count(*) FROM users WHERE email = "
                       f"'{other}@campus.test'")[0][0] == "0"


def test_allowed_domains_and_account_creation_are_the_providers_rules(
        server, provider):
    o = Org(server)
    idp = add_provider(o.admin, provider, allowed_domains=["campus.test"],
                       create_accounts=False)
    sub = who(n())
    provider.user(sub, f"{sub}@elsewhere.test")
    assert sso_error(Flow(server, provider, idp["id"]).run(sub)) == "domain"
    provider.user(sub, f"{sub}@campus.test", verified=False)
    assert sso_error(Flow(server, provider, idp["id"]).run(sub)) == "domain"
    provider.user(sub, f"{sub}@campus.test")
    assert sso_error(Flow(server, provider, idp["id"]).run(sub)) == \
        "no-account"
    assert sql(server, f"SELECT count(*) FROM users WHERE email LIKE "
                       f"'{sub}%'")[0][0] == "0"


def test_an_address_of_another_organization_is_not_taken_over(server,
                                                              provider, org):
    elsewhere = Org(server).user()
    sub = who(n())
    provider.user(sub, elsewhere.email)
    assert sso_error(Flow(server, provider, org.idp["id"]).run(sub)) == \
        "email-taken"
    assert sql(server, f"SELECT count(*) FROM user_identities WHERE "
                       f"subject = '{sub}'")[0][0] == "0"


def test_a_locked_or_disabled_account_stays_out(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    _, me = signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    r = org.admin.request("POST", f"/api/v1/admin/users/{me['id']}/lock")
    assert r.status == 200, r
    assert sso_error(Flow(server, provider, org.idp["id"]).run(sub)) == \
        "account-disabled"
    # An unlinked account that is deleted is not offered for linking.
    gone = org.user()
    assert gone.request("DELETE", "/api/v1/me", {"password": PW}).status \
        in (200, 202, 204)
    other = who(n())
    provider.user(other, gone.email)
    assert sso_error(Flow(server, provider, org.idp["id"]).run(other)) == \
        "account-disabled"


# ---- what must fail ----------------------------------------------------------

@pytest.mark.parametrize("defect,reason", [
    ("forge", "signature"),
    ("unknown_kid", "no-key"),
    ("alg_none", "alg"),
    ("hs256", "alg"),
    ("wrong_aud", "audience"),
    ("wrong_iss", "issuer"),
    ("expired", "expired"),
    ("future_iat", "not-yet-valid"),
    ("bad_nonce", "nonce"),
    ("no_nonce", "nonce"),
])
def test_a_bad_id_token_signs_nobody_in(server, provider, org, defect,
                                        reason):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    f = Flow(server, provider, org.idp["id"])
    callback = f.at_provider(sub)
    provider.defect(defect)
    assert sso_error(f.back(callback)) == "token-invalid"
    assert sql(server, f"SELECT count(*) FROM users WHERE email = "
                       f"'{sub}@campus.test'")[0][0] == "0"
    rows = sql(server, f"SELECT error_message FROM audit_events WHERE "
                       f"action = 'user.login' AND NOT success AND "
                       f"entity_id = '{org.idp['id']}' ORDER BY occurred_at "
                       f"DESC, id DESC LIMIT 1")
    assert rows == [[reason]]
    # The provider is fine again: the same person signs in.
    signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))


def test_a_state_works_once_and_only_in_its_browser(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    f = Flow(server, provider, org.idp["id"])
    callback = f.at_provider(sub)
    # Another browser (no cookie, or another sign-in's cookie).
    assert sso_error(f.back(callback, cookie=False)) == "state-mismatch"
    other = Flow(server, provider, org.idp["id"])
    r = server.request("GET", callback, headers={
        "Cookie": f"ludus_sso={other.state_cookie}"})
    assert sso_error(r) == "state-mismatch"
    signed_in(server, f.back(callback))
    # Replayed: spent.
    assert sso_error(f.back(callback)) == "state-invalid"
    # Made up, or no state at all.
    assert sso_error(server.request(
        "GET", "/api/v1/auth/sso/callback?code=x&state=" + "A" * 43,
        headers={"Cookie": "ludus_sso=" + "A" * 43})) == "state-invalid"
    assert sso_error(server.request(
        "GET", "/api/v1/auth/sso/callback?code=x")) == "state-invalid"
    assert sso_error(server.request(
        "GET", "/api/v1/auth/sso/callback?state=%00&code=x")) == \
        "state-invalid"


def test_an_expired_sign_in_is_refused(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    f = Flow(server, provider, org.idp["id"])
    callback = f.at_provider(sub)
    sql(server, "UPDATE sso_requests SET expires_at = now() - interval "
                "'1 second' WHERE used_at IS NULL")
    assert sso_error(f.back(callback)) == "state-invalid"


def test_a_refusal_at_the_provider_comes_back_as_denied(server, provider,
                                                        org):
    f = Flow(server, provider, org.idp["id"])
    assert sso_error(f.back(f.at_provider(deny=True))) == "denied"


def test_where_a_sign_in_lands_stays_on_this_site(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    for bad in ("//evil.test/x", "https://evil.test", "/\\evil.test",
                "javascript:alert(1)", "/a\nb"):
        signed_in(server, Flow(server, provider, org.idp["id"],
                               next_path=bad).run(sub), "/")


def test_a_start_with_an_unknown_provider_is_a_404(server):
    for idp in ("00000000-0000-4000-8000-000000000000", "nope"):
        assert_problem(server.request("GET", f"/api/v1/auth/sso/{idp}/start"),
                       404, "not-found")
    r = server.request("GET", "/api/v1/auth/sso/providers?organization=NO!")
    assert_invalid(r, "organization")
    r = server.request("GET", "/api/v1/auth/sso/providers?organization="
                              "no-such-org")
    assert r.status == 200 and r.json["items"] == []


def test_the_keys_are_cached_and_fetched_again_when_rotated(server,
                                                            provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    fetched = provider.log()["jwks"]
    signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    assert provider.log()["jwks"] == fetched, "the keys are cached"
    # The provider moves to a new EC key and drops the old one.
    provider.rotate("ES256")
    time.sleep(5.2)  # Ludus refetches at most every 5 s for an unknown key
    signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    assert provider.log()["jwks"] == fetched + 1
    provider.rotate("RS256", keep_old=True)
    time.sleep(5.2)
    signed_in(server, Flow(server, provider, org.idp["id"]).run(sub))
    assert provider.log()["jwks"] == fetched + 2


# ---- signing out and unlinking -----------------------------------------------

def test_signing_out_offers_the_providers_sign_out(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    session, _ = signed_in(server, Flow(server, provider,
                                        org.idp["id"]).run(sub))
    me = server.request("GET", "/api/v1/me/sessions",
                        headers={"Cookie": f"ludus_session={session}"})
    assert me.status == 200
    r = server.request("POST", "/api/v1/auth/logout",
                       headers={"Authorization": f"Bearer {session}"})
    assert r.status == 200, r
    url = urllib.parse.urlsplit(r.json["sso_logout_url"])
    assert f"{url.scheme}://{url.netloc}" == provider.issuer
    q = dict(urllib.parse.parse_qsl(url.query))
    assert q == {"client_id": CLIENT_ID,
                 "post_logout_redirect_uri": "http://ludus.test/login"}
    # A password sign-in has no provider to leave.
    u = org.user()
    r = u.request("POST", "/api/v1/auth/logout")
    assert r.status == 200 and "sso_logout_url" not in r.json


def test_unlinking_a_provider(server, provider, org):
    sub = who(n())
    provider.user(sub, f"{sub}@campus.test")
    session, me = signed_in(server, Flow(server, provider,
                                         org.idp["id"]).run(sub))
    c = Client(server, {"token": session, "csrf_token": "", "user": me})
    ident = c.get("/api/v1/me/identities").json["items"][0]
    r = c.request("DELETE", f"/api/v1/me/identities/{ident['id']}")
    assert r.status == 204, r
    assert_problem(c.request("DELETE", f"/api/v1/me/identities/"
                                       f"{ident['id']}"), 404, "not-found")
    assert c.get("/api/v1/me/identities").json["items"] == []
    assert sql(server, f"SELECT count(*) FROM audit_events WHERE action = "
                       f"'sso.unlinked' AND actor_user_id = '{me['id']}'"
               )[0][0] == "1"
    # The address is the account's: linking again needs its password.
    loc, _ = landed(Flow(server, provider, org.idp["id"]).run(sub))
    assert loc.startswith("/sso/link#")


def test_the_default_role_is_checked(org):
    for role, status in (("wizard", 422), ("Admin", 422), (5, 422)):
        r = org.admin.request("PATCH", "/api/v1/admin/organization",
                              {"default_role": role})
        assert r.status == status, r
    r = org.admin.request("PATCH", "/api/v1/admin/organization",
                          {"default_role": "student"})
    assert r.status == 200 and r.json["default_role"] == "student"


def test_maintenance_clears_old_sign_ins_and_offers(server, provider, org,
                                                    start_server):
    f = Flow(server, provider, org.idp["id"])
    assert f.state_cookie
    sql(server, f"UPDATE sso_requests SET expires_at = now() - interval "
                f"'2 days', created_at = now() - interval '2 days' WHERE "
                f"org_id = '{org.id}'")
    # A server's maintenance job runs its cleanup when it starts.
    start_server(server.db, env={"LUDUS_OIDC_ALLOW_HTTP": "1"})
    deadline = time.monotonic() + 10
    while sql(server, f"SELECT count(*) FROM sso_requests WHERE org_id = "
                      f"'{org.id}'") != [["0"]]:
        assert time.monotonic() < deadline, "the old sign-in stayed"
        time.sleep(0.1)


def test_sign_ins_are_rate_limited_per_address(db, org, start_server):
    s = start_server(db, env={"LUDUS_OIDC_ALLOW_HTTP": "1",
                              "LUDUS_LOGIN_RATE": "3"})
    path = f"/api/v1/auth/sso/{org.idp['id']}/start"
    # The window of this minute, without the other tests' sign-ins.
    sql(s, "DELETE FROM rate_limits WHERE key LIKE 'sso:%'")
    assert [s.request("GET", path).status for _ in range(3)] == [302] * 3
    r = s.request("GET", path)
    assert_problem(r, 429, "rate-limited")
    assert r.header("Retry-After")
