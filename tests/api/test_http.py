"""The HTTP core: routing, JSON bodies, problems, request ids, logs."""
import json

import pytest
import re
import socket
import time

from conftest import Server  # noqa: F401  (fixtures come from conftest)

PROBLEM = "application/problem+json"


def assert_problem(r, status, code):
    assert r.status == status, r
    assert r.header("Content-Type") == PROBLEM
    p = r.json
    assert p["type"] == f"/problems/{code}"
    assert p["status"] == status
    assert p["title"] and p["detail"]
    return p


def raw(server, data, read=65536, half_close=False):
    """Sends raw bytes on a new connection and returns what comes back.

    With half_close, our side of the connection is shut after sending, so a
    server that waits for more bytes sees the end instead."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(data)
        if half_close:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:  # the server closed first
                pass
        chunks = []
        while True:
            try:
                b = s.recv(read)
            except (ConnectionResetError, TimeoutError):
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)


def test_healthz(server):
    r = server.request("GET", "/healthz")
    assert r.status == 200
    assert r.json == {"status": "ok"}
    assert r.header("Content-Type") == "application/json"


def test_web_app_is_served_at_the_root(server):
    r = server.request("GET", "/")
    assert r.status == 200
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    csp = r.header("Content-Security-Policy")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.header("Cache-Control") == "no-cache"
    page = r.body.decode()
    assert "<title>Ludus</title>" in page
    assert 'src="/js/app.js"' in page
    # A file that did not change is not sent again.
    etag = r.header("ETag")
    assert etag.startswith('"') and len(etag) == 66
    again = server.request("GET", "/", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""


def test_the_page_comes_in_the_theme_of_the_cookie(server):
    """Issue 12: no light flash on a reload in the dark theme."""
    plain = server.request("GET", "/dashboard")
    assert 'data-theme="system"' in plain.body.decode()
    assert plain.header("Vary") == "Cookie"
    for theme in ("dark", "light"):
        r = server.request("GET", "/dashboard",
                           headers={"Cookie": f"a=b; ludus_theme={theme}"})
        assert r.status == 200
        page = r.body.decode()
        assert f'<html lang="en" data-theme="{theme}">' in page
        assert "system" not in page
        # Another page, another tag: a cached page of the other theme is
        # never taken for it.
        assert r.header("ETag") != plain.header("ETag")
        again = server.request("GET", "/dashboard", headers={
            "Cookie": f"ludus_theme={theme}", "If-None-Match": r.header("ETag")})
        assert again.status == 304
        stale = server.request("GET", "/dashboard", headers={
            "Cookie": f"ludus_theme={theme}",
            "If-None-Match": plain.header("ETag")})
        assert stale.status == 200
    for junk in ("system", "x", "dark<"):
        r = server.request("GET", "/", headers={"Cookie": f"ludus_theme={junk}"})
        assert 'data-theme="system"' in r.body.decode()


@pytest.mark.parametrize("path", ["/dashboard", "/courses/4e700009-0000",
                                  "/teach/questions/new", "/login?next=/x"])
def test_app_addresses_get_the_app(server, path):
    r = server.request("GET", path)
    assert r.status == 200
    assert 'src="/js/app.js"' in r.body.decode()


@pytest.mark.parametrize("path,kind", [
    ("/js/app.js", "text/javascript; charset=utf-8"),
    ("/js/api.js", "text/javascript; charset=utf-8"),
    ("/css/app.css", "text/css; charset=utf-8"),
    ("/favicon.svg", "image/svg+xml"),
])
def test_web_files_have_their_types(server, path, kind):
    r = server.request("GET", path)
    assert r.status == 200
    assert r.header("Content-Type") == kind
    assert r.header("ETag") and r.header("X-Content-Type-Options") == "nosniff"
    assert len(r.body) > 0


def test_the_demo_videos_are_served_in_ranges(server):
    """Issue 12, defect 9: the seeded video lessons' media exist and seek."""
    path = "/media/tcp-udp-and-ports.webm"
    whole = server.request("GET", path)
    assert whole.status == 200
    assert whole.header("Content-Type") == "video/webm"
    assert whole.header("Accept-Ranges") == "bytes"
    size = len(whole.body)
    assert 1000 < size < 500000
    part = server.request("GET", path, headers={"Range": "bytes=100-199"})
    assert part.status == 206
    assert part.header("Content-Range") == f"bytes 100-199/{size}"
    assert part.body == whole.body[100:200]
    tail = server.request("GET", path, headers={"Range": "bytes=-10"})
    assert tail.status == 206 and tail.body == whole.body[-10:]
    past = server.request("GET", path, headers={"Range": f"bytes={size}-"})
    assert past.status == 416
    assert past.header("Content-Range") == f"bytes */{size}"
    # Several ranges, or a range of another version: the whole file.
    assert server.request("GET", path, headers={
        "Range": "bytes=0-1,5-6"}).status == 200
    assert server.request("GET", path, headers={
        "Range": "bytes=0-1", "If-Range": '"other"'}).status == 200
    for name in ("vlans-and-8021q-trunking", "monitoring-snmp-syslog-netflow"):
        assert server.request("GET", f"/media/{name}.webm").status == 200


def app_routes():
    """The route patterns of web/js/app.js, with each :param filled in."""
    import pathlib
    app = pathlib.Path(__file__).resolve().parents[2] / "web/js/app.js"
    routes = re.findall(r"^\s*\['(/[^']*)', '[^']+', '[a-z]+'\]",
                        app.read_text(), re.M)
    assert len(routes) > 20
    return [re.sub(r":[a-z_]+", "x-1", p) for p in routes]


def test_every_address_of_the_app_reloads_into_it(server):
    for path in app_routes():
        r = server.request("GET", path)
        assert r.status == 200, path
        assert 'src="/js/app.js"' in r.body.decode(), path
    assert_problem(server.request("GET", "/teach.x"), 404, "not-found")


@pytest.mark.parametrize("path", ["/dashbord", "/nope", "/healthz/",
                                  "/dashboardx", "/courses-old/1/2"])
def test_a_mistyped_address_gets_the_apps_404_page(server, path):
    """Issue 12, defect 11: the app shows its own "not found" page."""
    r = server.request("GET", path)
    assert r.status == 404
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    assert 'src="/js/app.js"' in r.body.decode()
    assert "unsafe-inline" not in r.header("Content-Security-Policy")
    assert r.header("ETag") is None


@pytest.mark.parametrize("path", ["/api/v1/dashbord", "/api", "/api/nope",
                                  "/nothing.js", "/css/nope.css"])
def test_unknown_api_paths_and_files_stay_problems(server, path):
    assert_problem(server.request("GET", path), 404, "not-found")


@pytest.mark.parametrize("path", [
    "/nothing.js", "/js/../Makefile", "/%2e%2e/etc/passwd", "/.git/config",
    "/js//app.js", "/index.html.bak", "/api/v1/nothing-here", "/sql/seed",
])
def test_no_file_outside_the_web_app_is_served(server, path):
    r = server.request("GET", path)
    if r.status == 200 or r.header("Content-Type").startswith("text/html"):
        # Only an app address may answer, and then with the app itself
        # (its 404 page for an unknown one).
        assert 'src="/js/app.js"' in r.body.decode(), path
        assert "/api/" not in path
    else:
        assert_problem(r, 404, "not-found")


def test_writes_to_the_app_are_404(server):
    assert_problem(server.request("POST", "/dashboard", {}), 404, "not-found")


def test_readyz_reports_the_schema(server):
    r = server.request("GET", "/readyz")
    assert r.status == 200
    assert r.json["status"] == "ready"
    assert r.json["schema_version"] >= 1


def test_unknown_route_is_404(server):
    p = assert_problem(server.request("GET", "/api/v1/nothing-here"), 404,
                       "not-found")
    assert "/api/v1/nothing-here" in p["detail"]


def test_a_path_that_is_not_utf8_is_a_clean_404(server):
    rid = "not-utf8-path"
    r = server.request("GET", "/api/v1/x/%FF%C3", headers={"X-Request-Id": rid})
    p = assert_problem(r, 404, "not-found")
    assert p["detail"] == "No resource lives at /api/v1/x/??."
    line = server.wait_log(lambda l: l.get("request_id") == rid)
    assert line and line[0]["path"] == "/api/v1/x/??"
    assert line[0]["status"] == 404


def test_trailing_slash_is_not_the_same_route(server):
    assert_problem(server.request("GET", "/api/v1/openapi.json/"), 404,
                   "not-found")
    # Outside the API, the app's own 404 page answers.
    r = server.request("GET", "/healthz/")
    assert r.status == 404 and 'src="/js/app.js"' in r.body.decode()


def test_wrong_method_is_405_with_allow(server):
    r = server.request("DELETE", "/healthz")
    assert_problem(r, 405, "method-not-allowed")
    assert r.header("Allow") == "GET, HEAD"
    r = server.request("GET", "/api/v1/_test/echo")
    assert_problem(r, 405, "method-not-allowed")
    assert r.header("Allow") == "POST"


def test_head_is_served_by_get_routes(server):
    r = server.request("HEAD", "/healthz")
    assert r.status == 200
    assert r.body == b""


def test_json_body_is_parsed(server):
    r = server.request("POST", "/api/v1/_test/echo", {"a": [1, "ü", None]})
    assert r.status == 200
    assert r.json == {"received": {"a": [1, "ü", None]}}


def test_charset_parameter_is_accepted(server):
    r = server.request("POST", "/api/v1/_test/echo", b'{"x": 1}',
                       {"Content-Type": "application/json; charset=UTF-8"})
    assert r.status == 200


def test_malformed_json_names_line_and_column(server):
    r = server.request("POST", "/api/v1/_test/echo", b'{"a": 1,\n  "b": }',
                       {"Content-Type": "application/json"})
    p = assert_problem(r, 400, "malformed-json")
    assert "line 2, column 8" in p["detail"], p


def test_duplicate_keys_are_refused(server):
    r = server.request("POST", "/api/v1/_test/echo", b'{"a": 1, "a": 2}',
                       {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_invalid_utf8_is_refused(server):
    r = server.request("POST", "/api/v1/_test/echo", b'{"a": "\xff\xfe"}',
                       {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_empty_body_is_refused(server):
    r = server.request("POST", "/api/v1/_test/echo", b"",
                       {"Content-Type": "application/json"})
    p = assert_problem(r, 400, "malformed-json")
    assert "empty" in p["detail"]


def test_wrong_content_type_is_415(server):
    for ct in ("text/plain", "application/x-www-form-urlencoded",
               "application/json; charset=latin1", "application/jsonx"):
        r = server.request("POST", "/api/v1/_test/echo", b"{}",
                           {"Content-Type": ct})
        assert_problem(r, 415, "unsupported-media-type")
    r = server.request("POST", "/api/v1/_test/echo", b"{}")
    assert_problem(r, 415, "unsupported-media-type")


def test_announced_oversized_body_is_refused_unread(server):
    # Only the headers are sent: the answer must not wait for the body.
    out = raw(server, b"POST /api/v1/_test/echo HTTP/1.1\r\n"
              b"Host: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 5000000\r\n\r\n")
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), out[:200]
    assert b"application/problem+json" in head
    assert json.loads(body)["type"] == "/problems/body-too-large"


def test_chunked_oversized_body_is_413(server):
    def chunks():
        for _ in range(40):
            yield b" " * 65536  # 2.5 MiB in all, past the 1 MiB limit

    c = server.conn()
    c.request("POST", "/api/v1/_test/echo", body=chunks(),
              headers={"Content-Type": "application/json"},
              encode_chunked=True)
    r = c.getresponse()
    assert r.status == 413
    assert json.loads(r.read())["type"] == "/problems/body-too-large"
    c.close()


def test_body_at_the_limit_is_accepted(db, start_server):
    s = start_server(db, env={"LUDUS_MAX_BODY_BYTES": "2048"})
    body = json.dumps({"k": "x" * 2030}).encode()
    assert len(body) <= 2048
    assert s.request("POST", "/api/v1/_test/echo", body,
                     {"Content-Type": "application/json"}).status == 200
    body = json.dumps({"k": "x" * 2050}).encode()
    r = s.request("POST", "/api/v1/_test/echo", body,
                  {"Content-Type": "application/json"})
    assert_problem(r, 413, "body-too-large")


def test_every_response_has_a_request_id(server):
    seen = set()
    for method, path in (("GET", "/healthz"), ("GET", "/nope"),
                         ("DELETE", "/healthz"), ("GET", "/readyz")):
        rid = server.request(method, path).header("X-Request-Id")
        assert rid and len(rid) == 32
        seen.add(rid)
    assert len(seen) == 4


def test_a_valid_client_request_id_is_kept(server):
    r = server.request("GET", "/healthz", headers={"X-Request-Id": "abc-123.x_y"})
    assert r.header("X-Request-Id") == "abc-123.x_y"
    for bad in ("has space", "x" * 65, "quote\"s", "ü"):
        try:
            r = server.request("GET", "/healthz", headers={"X-Request-Id": bad})
        except UnicodeEncodeError:
            continue
        assert r.header("X-Request-Id") != bad
        assert len(r.header("X-Request-Id")) == 32


def test_standard_headers(server):
    r = server.request("GET", "/healthz")
    assert r.header("Cache-Control") == "no-store"
    assert r.header("X-Content-Type-Options") == "nosniff"


def test_keep_alive_serves_several_requests(server):
    c = server.conn()
    for _ in range(5):
        assert server.request("GET", "/healthz", conn=c).status == 200
    # An error does not end the connection either.
    assert server.request("GET", "/nope", conn=c).status == 404
    assert server.request("GET", "/healthz", conn=c).status == 200
    c.close()


def test_garbage_does_not_hurt_the_server(server):
    for junk in (b"\x00\x01\x02garbage\r\n\r\n", b"GET\r\n\r\n",
                 b"GET / HTTP/9.9\r\n\r\n",
                 b"POST /api/v1/_test/echo HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Length: -5\r\n\r\n",
                 b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"):
        out = raw(server, junk, half_close=True)
        # libmicrohttpd answers these itself (400, 414, 505) or closes.
        assert not out.startswith(b"HTTP/1.1 500"), out[:200]
    assert server.request("GET", "/healthz").status == 200


def test_access_log_has_one_json_line_per_request(server):
    rid = "log-check-0001"
    server.request("GET", "/nope", headers={"X-Request-Id": rid})
    lines = server.wait_log(lambda l: l.get("msg") == "request" and
                            l.get("request_id") == rid)
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET" and line["path"] == "/nope"
    assert line["status"] == 404 and line["level"] == "info"
    assert line["duration_ms"] >= 0 and line["remote"] == "127.0.0.1"
    assert line["ts"].endswith("Z")


def test_log_is_json_lines_only(server):
    text = server.log_text()
    for line in text.splitlines():
        json.loads(line)


# The permissions routes may name (migration 0016, src/core/perm.h).
PERMISSIONS = ["account.self", "learn", "user.lookup", "course.author",
               "question.manage", "content.all", "grade.write",
               "analytics.read", "user.manage", "role.manage", "org.manage",
               "audit.read", "jobs.all", "token.create"]


# Every route the server has; a route missing from the OpenAPI document, or
# documented with another method, fails test_openapi_documents_every_route.
ROUTES = {
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
    ("GET", "/api/v1/openapi.json"),
    ("POST", "/api/v1/_test/echo"), ("GET", "/api/v1/_test/sleep"),
    ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/logout-all"),
    ("POST", "/api/v1/auth/verify-email"),
    ("POST", "/api/v1/auth/verify-email/resend"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/permissions"), ("GET", "/api/v1/roles"),
    ("POST", "/api/v1/admin/roles"), ("PATCH", "/api/v1/admin/roles/{key}"),
    ("DELETE", "/api/v1/admin/roles/{key}"),
    ("POST", "/api/v1/admin/invitations"), ("GET", "/api/v1/admin/invitations"),
    ("POST", "/api/v1/admin/invitations/{id}/revoke"),
    ("POST", "/api/v1/auth/invitation"),
    ("GET", "/api/v1/me/tokens"), ("POST", "/api/v1/me/tokens"),
    ("POST", "/api/v1/me/tokens/{id}/revoke"),
    ("GET", "/api/v1/auth/sso/providers"),
    ("GET", "/api/v1/auth/sso/{id}/start"),
    ("GET", "/api/v1/auth/sso/callback"),
    ("POST", "/api/v1/auth/sso/link/show"), ("POST", "/api/v1/auth/sso/link"),
    ("GET", "/api/v1/me/identities"), ("DELETE", "/api/v1/me/identities/{id}"),
    ("GET", "/api/v1/admin/identity-providers"),
    ("POST", "/api/v1/admin/identity-providers"),
    ("PATCH", "/api/v1/admin/identity-providers/{id}"),
    ("DELETE", "/api/v1/admin/identity-providers/{id}"),
    ("GET", "/api/v1/platform/organizations"),
    ("POST", "/api/v1/platform/organizations"),
    ("POST", "/api/v1/platform/organizations/{slug}/suspend"),
    ("POST", "/api/v1/platform/organizations/{slug}/resume"),
    ("DELETE", "/api/v1/platform/organizations/{slug}"),
    ("GET", "/api/v1/me"), ("PATCH", "/api/v1/me"), ("DELETE", "/api/v1/me"),
    ("GET", "/api/v1/me/settings"), ("PATCH", "/api/v1/me/settings"),
    ("GET", "/api/v1/me/sessions"), ("DELETE", "/api/v1/me/sessions/{id}"),
    ("POST", "/api/v1/me/password"), ("GET", "/api/v1/me/export"),
    ("GET", "/api/v1/admin/users"), ("GET", "/api/v1/admin/users/{id}"),
    ("PATCH", "/api/v1/admin/users/{id}"),
    ("DELETE", "/api/v1/admin/users/{id}"),
    ("POST", "/api/v1/admin/users/{id}/lock"),
    ("POST", "/api/v1/admin/users/{id}/unlock"),
    ("POST", "/api/v1/admin/users/{id}/restore"),
    ("GET", "/api/v1/admin/audit"),
    ("GET", "/api/v1/admin/organization"),
    ("PATCH", "/api/v1/admin/organization"),
    ("GET", "/api/v1/jobs"), ("GET", "/api/v1/jobs/{id}"),
    ("GET", "/api/v1/exams"), ("GET", "/api/v1/exams/{id}/objectives"),
    ("GET", "/api/v1/courses"), ("POST", "/api/v1/courses"),
    ("GET", "/api/v1/courses/{id}"), ("PATCH", "/api/v1/courses/{id}"),
    ("DELETE", "/api/v1/courses/{id}"),
    ("POST", "/api/v1/courses/{id}/restore"),
    ("POST", "/api/v1/courses/{id}/publish"),
    ("POST", "/api/v1/courses/{id}/unpublish"),
    ("POST", "/api/v1/courses/{id}/collaborators"),
    ("DELETE", "/api/v1/courses/{id}/collaborators/{user_id}"),
    ("POST", "/api/v1/courses/{id}/units"),
    ("PUT", "/api/v1/courses/{id}/units/order"),
    ("POST", "/api/v1/courses/{id}/enroll"),
    ("DELETE", "/api/v1/courses/{id}/enroll"),
    ("PATCH", "/api/v1/units/{id}"), ("DELETE", "/api/v1/units/{id}"),
    ("POST", "/api/v1/units/{id}/lessons"),
    ("PUT", "/api/v1/units/{id}/lessons/order"),
    ("GET", "/api/v1/lessons/{id}"), ("PATCH", "/api/v1/lessons/{id}"),
    ("DELETE", "/api/v1/lessons/{id}"),
    ("POST", "/api/v1/lessons/{id}/restore"),
    ("POST", "/api/v1/lessons/{id}/publish"),
    ("POST", "/api/v1/lessons/{id}/unpublish"),
    ("GET", "/api/v1/lessons/{id}/versions"),
    ("POST", "/api/v1/lessons/{id}/versions/{version}/restore"),
    ("PUT", "/api/v1/lessons/{id}/prerequisites"),
    ("POST", "/api/v1/lessons/preview"), ("GET", "/api/v1/users/lookup"),
    ("POST", "/api/v1/lessons/{id}/progress"),
    ("POST", "/api/v1/lessons/{id}/complete"),
    ("POST", "/api/v1/lessons/{id}/sessions"),
    ("PUT", "/api/v1/lessons/{id}/bookmark"),
    ("DELETE", "/api/v1/lessons/{id}/bookmark"),
    ("POST", "/api/v1/learning-sessions/{id}/heartbeat"),
    ("POST", "/api/v1/learning-sessions/{id}/end"),
    ("GET", "/api/v1/me/bookmarks"), ("GET", "/api/v1/search"),
    ("GET", "/api/v1/paths"), ("POST", "/api/v1/paths"),
    ("GET", "/api/v1/paths/{id}"), ("PATCH", "/api/v1/paths/{id}"),
    ("DELETE", "/api/v1/paths/{id}"), ("PUT", "/api/v1/paths/{id}/courses"),
    ("GET", "/api/v1/questions"), ("POST", "/api/v1/questions"),
    ("POST", "/api/v1/questions/import"), ("GET", "/api/v1/questions/stats"),
    ("GET", "/api/v1/questions/{id}"), ("PATCH", "/api/v1/questions/{id}"),
    ("DELETE", "/api/v1/questions/{id}"),
    ("POST", "/api/v1/questions/{id}/restore"),
    ("GET", "/api/v1/questions/{id}/stats"),
    ("GET", "/api/v1/assessments"), ("POST", "/api/v1/assessments"),
    ("GET", "/api/v1/assessments/{id}"), ("PATCH", "/api/v1/assessments/{id}"),
    ("DELETE", "/api/v1/assessments/{id}"),
    ("PUT", "/api/v1/assessments/{id}/questions"),
    ("POST", "/api/v1/assessments/{id}/restore"),
    ("GET", "/api/v1/assessments/{id}/results"),
    ("POST", "/api/v1/assessments/{id}/attempts"),
    ("GET", "/api/v1/attempts/{id}"),
    ("PUT", "/api/v1/attempts/{id}/answers/{question_id}"),
    ("POST", "/api/v1/attempts/{id}/submit"),
    ("GET", "/api/v1/me/attempts"), ("GET", "/api/v1/me/attempts/trends"),
    ("GET", "/api/v1/me/xp"), ("GET", "/api/v1/me/achievements"),
    ("GET", "/api/v1/me/avatars"), ("PUT", "/api/v1/me/avatar"),
    ("GET", "/api/v1/me/notifications"),
    ("POST", "/api/v1/me/notifications/read"),
    ("GET", "/api/v1/me/goals"), ("POST", "/api/v1/me/goals"),
    ("PATCH", "/api/v1/me/goals/{id}"), ("DELETE", "/api/v1/me/goals/{id}"),
    ("GET", "/api/v1/me/dashboard"), ("GET", "/api/v1/leaderboards"),
    ("GET", "/api/v1/flashcards/decks"), ("POST", "/api/v1/flashcards/decks"),
    ("GET", "/api/v1/flashcards/decks/{id}"),
    ("PATCH", "/api/v1/flashcards/decks/{id}"),
    ("DELETE", "/api/v1/flashcards/decks/{id}"),
    ("GET", "/api/v1/courses/{id}/decks"),
    ("GET", "/api/v1/flashcards/decks/{id}/notes"),
    ("POST", "/api/v1/flashcards/decks/{id}/notes"),
    ("GET", "/api/v1/flashcards/notes/{id}"),
    ("PATCH", "/api/v1/flashcards/notes/{id}"),
    ("DELETE", "/api/v1/flashcards/notes/{id}"),
    ("POST", "/api/v1/flashcards/preview"), ("GET", "/api/v1/flashcards/queue"),
    ("GET", "/api/v1/flashcards/stats"), ("GET", "/api/v1/flashcards/workload"),
    ("POST", "/api/v1/flashcards/from-question"),
    ("POST", "/api/v1/flashcards/decks/{id}/import"),
    ("GET", "/api/v1/flashcards/decks/{id}/export"),
    ("GET", "/api/v1/flashcards/decks/{id}/media"),
    ("PUT", "/api/v1/flashcards/decks/{id}/media/{name}"),
    ("GET", "/api/v1/flashcards/decks/{id}/media/{name}"),
    ("DELETE", "/api/v1/flashcards/decks/{id}/media/{name}"),
    ("POST", "/api/v1/flashcards/decks/{id}/from-questions"),
    ("POST", "/api/v1/flashcards/decks/{id}/from-lesson"),
    ("POST", "/api/v1/flashcards/cards/{id}/review"),
    ("POST", "/api/v1/flashcards/undo"),
    ("GET", "/api/v1/flashcards/cards/{id}"),
    ("POST", "/api/v1/flashcards/cards/{id}/suspend"),
    ("POST", "/api/v1/flashcards/cards/{id}/bury"),
    ("POST", "/api/v1/flashcards/cards/{id}/reset"),
    ("GET", "/api/v1/me/flashcard-settings"),
    ("PATCH", "/api/v1/me/flashcard-settings"),
    ("POST", "/api/v1/me/flashcard-settings/optimize"),
    ("DELETE", "/api/v1/me/flashcard-settings/parameters"),
    ("GET", "/api/v1/admin/flashcard-parameters"),
    ("DELETE", "/api/v1/admin/flashcard-parameters"),
    ("POST", "/api/v1/admin/flashcard-parameters/optimize"),
    ("POST", "/api/v1/lessons/{id}/suggestions"),
    ("GET", "/api/v1/lessons/{id}/suggestions"),
    ("GET", "/api/v1/suggestions/{id}"),
    ("DELETE", "/api/v1/suggestions/{id}"),
    ("POST", "/api/v1/suggestions/{id}/accept"),
    ("POST", "/api/v1/suggestions/{id}/reject"),
    ("GET", "/api/v1/courses/{id}/reviews"),
    ("PUT", "/api/v1/courses/{id}/reviews/mine"),
    ("DELETE", "/api/v1/courses/{id}/reviews/mine"),
    ("POST", "/api/v1/reviews/{id}/upvote"),
    ("DELETE", "/api/v1/reviews/{id}/upvote"),
    ("PUT", "/api/v1/reviews/{id}/response"),
    ("DELETE", "/api/v1/reviews/{id}/response"),
    ("POST", "/api/v1/reviews/{id}/hide"),
    ("DELETE", "/api/v1/reviews/{id}/hide"),
    ("GET", "/api/v1/live"),
    ("GET", "/api/v1/conversations"), ("POST", "/api/v1/conversations"),
    ("GET", "/api/v1/conversations/{id}"),
    ("GET", "/api/v1/conversations/{id}/messages"),
    ("POST", "/api/v1/conversations/{id}/messages"),
    ("POST", "/api/v1/conversations/{id}/read"),
    ("DELETE", "/api/v1/conversations/{id}/members/me"),
    ("GET", "/api/v1/messages/unread"), ("GET", "/api/v1/messages/contacts"),
    ("DELETE", "/api/v1/messages/{id}"),
    ("POST", "/api/v1/messages/{id}/report"),
    ("GET", "/api/v1/blocks"), ("PUT", "/api/v1/blocks/{id}"),
    ("DELETE", "/api/v1/blocks/{id}"),
    ("GET", "/api/v1/message-reports"),
    ("POST", "/api/v1/message-reports/{id}/resolve"),
    ("GET", "/api/v1/forums"),
    ("GET", "/api/v1/forum"),
    ("POST", "/api/v1/forum/categories"),
    ("PATCH", "/api/v1/forum/categories/{id}"),
    ("DELETE", "/api/v1/forum/categories/{id}"),
    ("GET", "/api/v1/forum/categories/{id}/threads"),
    ("POST", "/api/v1/forum/categories/{id}/threads"),
    ("PUT", "/api/v1/forum/categories/{id}/watch"),
    ("DELETE", "/api/v1/forum/categories/{id}/watch"),
    ("GET", "/api/v1/forum/threads/{id}"),
    ("PATCH", "/api/v1/forum/threads/{id}"),
    ("DELETE", "/api/v1/forum/threads/{id}"),
    ("GET", "/api/v1/forum/threads/{id}/replies"),
    ("POST", "/api/v1/forum/threads/{id}/replies"),
    ("GET", "/api/v1/forum/threads/{id}/revisions"),
    ("POST", "/api/v1/forum/threads/{id}/like"),
    ("DELETE", "/api/v1/forum/threads/{id}/like"),
    ("POST", "/api/v1/forum/threads/{id}/accept"),
    ("DELETE", "/api/v1/forum/threads/{id}/accept"),
    ("PUT", "/api/v1/forum/threads/{id}/watch"),
    ("DELETE", "/api/v1/forum/threads/{id}/watch"),
    ("POST", "/api/v1/forum/threads/{id}/read"),
    ("POST", "/api/v1/forum/threads/{id}/flag"),
    ("POST", "/api/v1/forum/threads/{id}/moderate"),
    ("GET", "/api/v1/forum/replies/{id}"),
    ("PATCH", "/api/v1/forum/replies/{id}"),
    ("DELETE", "/api/v1/forum/replies/{id}"),
    ("GET", "/api/v1/forum/replies/{id}/revisions"),
    ("POST", "/api/v1/forum/replies/{id}/like"),
    ("DELETE", "/api/v1/forum/replies/{id}/like"),
    ("POST", "/api/v1/forum/replies/{id}/flag"),
    ("POST", "/api/v1/forum/replies/{id}/moderate"),
    ("GET", "/api/v1/forum/search"),
    ("GET", "/api/v1/forum/flags"),
    ("POST", "/api/v1/forum/flags/{id}/resolve"),
    ("GET", "/api/v1/forum/members/me"),
    ("PUT", "/api/v1/forum/members/{id}/trust"),
    ("GET", "/api/v1/forum/settings"),
    ("PATCH", "/api/v1/forum/settings"),
    ("GET", "/api/v1/materials"), ("POST", "/api/v1/materials"),
    ("POST", "/api/v1/materials/upload"), ("GET", "/api/v1/materials/search"),
    ("GET", "/api/v1/materials/{id}"), ("PATCH", "/api/v1/materials/{id}"),
    ("DELETE", "/api/v1/materials/{id}"),
    ("GET", "/api/v1/materials/{id}/chunks"),
    ("GET", "/api/v1/materials/{id}/assets"),
    ("POST", "/api/v1/materials/{id}/generate"),
    ("POST", "/api/v1/materials/{id}/sessions"),
    ("GET", "/api/v1/courses/{id}/materials"),
    ("GET", "/api/v1/assets/{id}"), ("PATCH", "/api/v1/assets/{id}"),
    ("POST", "/api/v1/assets/{id}/accept"),
    ("POST", "/api/v1/assets/{id}/reject"),
    ("POST", "/api/v1/assets/{id}/reopen"),
    ("PUT", "/api/v1/assets/{id}/feedback"),
    ("DELETE", "/api/v1/assets/{id}/feedback"),
    ("GET", "/api/v1/study-sessions/{id}"),
    ("POST", "/api/v1/study-sessions/{id}/interactions"),
    ("POST", "/api/v1/study-sessions/{id}/end"),
    ("GET", "/api/v1/me/material-progress"),
    ("POST", "/api/v1/jobs/{id}/cancel"),
}


def test_openapi_documents_every_route(server):
    doc = server.request("GET", "/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    documented = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    assert documented == ROUTES
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op["summary"] and op["operationId"], (method, path)
            assert op["x-ludus-permission"] in \
                PERMISSIONS + ["public", "operator"], \
                (method, path)
            # Every {name} of the path is a documented parameter.
            assert [p["name"] for p in op["parameters"]] == \
                re.findall(r"{(\w+)}", path), (method, path)
    # Everything documented exists: no documented route answers 404 or 405.
    for path, ops in paths.items():
        for method in ops:
            if "{" in path:
                continue
            r = server.request(method.upper(), path, b"{}",
                               {"Content-Type": "application/json"})
            assert r.status not in (404, 405), (method, path, r)


def test_metrics_count_requests(server):
    def unmatched(text):
        for line in text.splitlines():
            if line.startswith('ludus_http_requests_total{method="",'
                               'route="unmatched",code="4xx"}'):
                return int(line.split()[-1])
        return 0

    before = server.request("GET", "/metrics").body.decode()
    server.request("GET", "/nope")
    # A request is counted when libmicrohttpd reports it complete, which
    # may be just after the client has read the answer.
    until = time.monotonic() + 5
    while True:
        after = server.request("GET", "/metrics").body.decode()
        if (unmatched(after) > unmatched(before) or
                time.monotonic() > until):
            break
        time.sleep(0.02)
    assert "ludus_http_requests_total" in after
    assert "ludus_db_connects_total" in after
    assert unmatched(after) == unmatched(before) + 1
