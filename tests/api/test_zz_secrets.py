"""Runs last: no secret the suite saw appears where it must not.

Session and CSRF tokens may appear only in the login response that issued
them; mailed link tokens, stored token hashes and password hashes in no
response body and no server log line at all.
"""
from conftest import SEEN


def test_the_suite_saw_secrets_to_look_for():
    # If this fails, the checks below prove nothing.
    assert len(SEEN["tokens"]) >= 5
    assert len(SEEN["hashes"]) >= 5
    assert len(SEEN["logs"]) >= 3 and len(SEEN["bodies"]) >= 100


def test_no_secret_in_any_response_body():
    leaks = []
    for method, path, body in SEEN["bodies"]:
        # The sign-ins that issue them: with a password, or linking an
        # account to an identity provider.
        issued_here = path in ("/api/v1/auth/login", "/api/v1/auth/sso/link")
        for t in SEEN["tokens"]:
            if t in body and not issued_here:
                leaks.append((method, path, "token"))
        for h in SEEN["hashes"]:
            if h in body:
                leaks.append((method, path, "hash"))
    assert leaks == []


def test_no_secret_in_any_log_line():
    leaks = []
    for path in SEEN["logs"]:
        if not path.exists():
            continue
        text = path.read_text()
        for t in SEEN["tokens"] | SEEN["hashes"]:
            if t in text:
                leaks.append((path.name, t[:6] + "..."))
        assert "$2b$" not in text and "$2y$" not in text, path
    assert leaks == []
