"""Regression tests for findings of the security review of accounts."""
import itertools
import time

from conftest import psql

_seq = itertools.count(1)
PW = "a long secret phrase"


def fresh(server, prefix):
    n = next(_seq)
    email, username = f"{prefix}{n}@example.test", f"{prefix}{n}"
    assert server.register(email, username, PW).status == 202
    return email, username


def test_names_of_anonymized_accounts_are_reserved(server):
    r = server.register("x1@example.test", "deleted_0123456789abcdef", PW)
    assert r.status == 422
    assert [e["field"] for e in r.json["errors"]] == ["username"]
    r = server.register("someone@deleted.invalid", "someone_ok", PW)
    assert r.status == 422
    assert [e["field"] for e in r.json["errors"]] == ["email"]


def test_anonymization_runs_and_leaves_nothing_behind(db, start_server):
    first = start_server(db)
    email, username = fresh(first, "anon")
    c = first.login(username, PW)
    uid = c.id
    assert c.request("DELETE", "/api/v1/me", {"password": PW}).status == 200
    first.stop_clean()
    # A server whose retention is 0 anonymizes on its first maintenance
    # pass, at start.
    start_server(db, env={"LUDUS_DELETED_RETENTION_DAYS": "0"})
    deadline = time.monotonic() + 10
    while True:
        row = psql("SELECT email, username, anonymized_at IS NOT NULL "
                   f"FROM users WHERE id = '{uid}'", db)[0]
        if row[2] == "t" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert row[2] == "t", row
    assert row[0] == f"deleted-{uid}@deleted.invalid"
    assert row[1].startswith("deleted_")
    # Nothing of the old names in mail, audit or profile.
    dump = psql("SELECT coalesce(string_agg(to_address, ','), '') FROM "
                f"mail_outbox WHERE user_id = '{uid}'", db)[0][0]
    assert email not in dump
    audit = psql("SELECT coalesce(string_agg(coalesce(new_values::text, '')"
                 " || coalesce(old_values::text, ''), ','), '') FROM "
                 f"audit_events WHERE entity_id = '{uid}'", db)[0][0]
    assert email not in audit and username not in audit
    assert psql("SELECT count(*) FROM audit_events WHERE action = "
                f"'user.anonymized' AND entity_id = '{uid}'", db) == [["1"]]


def test_reset_confirm_refuses_made_up_tokens_before_hashing(db,
                                                             start_server):
    # At bcrypt cost 15 each hash takes over a second on this machine,
    # so three answers within 1.5 s on a busy machine mean none was made.
    s = start_server(db, env={"LUDUS_LOGIN_RATE": "3",
                              "LUDUS_BCRYPT_COST": "15"})
    body = {"token": "A" * 43, "password": "Zq8!vLm2pQxZZ"}
    t0 = time.monotonic()
    for _ in range(3):
        r = s.request("POST", "/api/v1/auth/password-reset/confirm", body)
        assert r.status == 400 and r.json["type"] == "/problems/invalid-token"
    # No bcrypt for a token that does not exist: three answers are quick.
    assert time.monotonic() - t0 < 1.5
    r = s.request("POST", "/api/v1/auth/password-reset/confirm", body)
    assert r.status == 429 and r.header("Retry-After")


def test_a_password_change_spends_reset_links(server):
    email, username = fresh(server, "spend")
    assert server.request("POST", "/api/v1/auth/password-reset",
                          {"email": email}).status == 202
    token = server.mails(to=email, subject="Reset")[-1]["token"]
    c = server.login(username, PW)
    r = c.request("POST", "/api/v1/me/password",
                  {"current_password": PW, "new_password": "another phrase x"})
    assert r.status == 200
    r = server.request("POST", "/api/v1/auth/password-reset/confirm",
                       {"token": token, "password": "a third phrase y"})
    assert r.status == 400


def test_password_checks_are_limited_per_account(server):
    email, username = fresh(server, "oracle")
    c = server.login(username, PW)
    statuses = [c.request("POST", "/api/v1/me/password",
                          {"current_password": f"guess {i} wrong",
                           "new_password": "whatever phrase z"}).status
                for i in range(6)]
    # LUDUS_LOCKOUT_THRESHOLD (5) checks in 15 minutes, then 429.
    assert statuses == [422] * 5 + [429]


def test_unknown_account_logins_keep_what_was_typed_out_of_audit(server, db):
    secret = "MySecretPass2024x"
    r = server.request("POST", "/api/v1/auth/login",
                       {"login": secret, "password": "whatever"})
    assert r.status == 401
    rows = psql("SELECT count(*) FROM audit_events WHERE "
                f"new_values::text LIKE '%{secret}%'", db)
    assert rows == [["0"]]


def test_tags_named_null_stay_words(server):
    c = server.login("instructor", "password123")
    r = c.request("POST", "/api/v1/courses",
                  {"title": "Null tag course", "tags": ["null", "ipv6"]})
    assert r.status == 201, r
    assert r.json["tags"] == ["null", "ipv6"]


def test_older_hashes_are_redone_at_sign_in(server, db):
    import subprocess
    email, username = fresh(server, "rehash")
    out = subprocess.run(["htpasswd", "-nbBC", "11", "x", PW],
                         capture_output=True, text=True, check=True).stdout
    legacy = out.strip().split(":", 1)[1]
    assert legacy.startswith("$2y$11$")
    psql(f"UPDATE users SET password_hash = '{legacy}' WHERE username = "
         f"'{username}'", db)
    server.login(username, PW)
    # The test servers hash at cost 10.
    now = psql(f"SELECT password_hash FROM users WHERE username = "
               f"'{username}'", db)[0][0]
    assert now.startswith("$2b$10$") and now != legacy
    server.login(username, PW)  # and the new hash works
