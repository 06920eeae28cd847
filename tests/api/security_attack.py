"""Attacks on a running ludus for `make security` (scripts/security.sh;
not collected by `make test`, whose files are test_*.py):
sqlmap over routes that take input, and slowhttptest (slow headers) while
a normal client checks that it is still served.  Run by pytest so that it
gets the API suite's server and database (tests/api/conftest.py); the
numbers go to $LUDUS_SECURITY_DIR.

Only loopback is used; every process started here is stopped by pid.
"""
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.parse

import pytest

from test_authoring import DEMO_PW, sign_in

OUT = os.environ.get("LUDUS_SECURITY_DIR", "/tmp")
SQLMAP_SECONDS = int(os.environ.get("SECURITY_SQLMAP_SECONDS", "60"))
SLOW_SECONDS = int(os.environ.get("SECURITY_SLOW_SECONDS", "30"))

# Routes with input, and where the input goes: a query string, a path id,
# or a JSON body; "*" marks what sqlmap injects into.
TARGETS = [
    ("GET", "/api/v1/search?q=subnet*", None, "learner"),
    ("GET", "/api/v1/courses?tag=cloud*&limit=5", None, "learner"),
    ("GET", "/api/v1/courses?exam=network*", None, "learner"),
    ("GET", "/api/v1/users/lookup?q=sar*", None, "instructor"),
    ("GET", "/api/v1/questions?q=port*&limit=5", None, "instructor"),
    ("GET", "/api/v1/admin/users?q=sar*", None, "admin"),
    ("GET", "/api/v1/admin/audit?action=user.login*", None, "admin"),
    ("GET", "/api/v1/leaderboards?period=weekly*&by=xp", None, "learner"),
    ("GET", "/api/v1/courses/{course}*", None, "learner"),
    ("GET", "/api/v1/lessons/{lesson}*", None, "learner"),
    ("POST", "/api/v1/auth/login", {"login": "sarah_network*",
                                    "password": "x*"}, None),
    ("POST", "/api/v1/auth/password-reset", {"email": "a@b.test*"}, None),
    ("POST", "/api/v1/courses", {"title": "Injected*"}, "instructor"),
    ("PATCH", "/api/v1/me", {"bio": "hello*"}, "learner"),
    ("POST", "/api/v1/me/goals", {"kind": "weekly_lessons*", "target": 3},
     "learner"),
    ("POST", "/api/v1/admin/roles", {"key": "sqlmap*", "name": "x*",
                                     "permissions": ["learn"]}, "admin"),
    ("GET", "/api/v1/auth/sso/providers?organization=default*", None, None),
    ("GET", "/api/v1/auth/sso/callback?code=abc&state=" + "A" * 42 + "*",
     None, None),
    ("POST", "/api/v1/auth/sso/link/show", {"token": "A" * 42 + "*"}, None),
    ("PATCH", "/api/v1/admin/organization", {"default_role": "student*"},
     "admin"),
]


def requests_seen(server):
    """How many requests the server has logged (one access line each)."""
    return sum(1 for line in server.log_lines() if "status" in line)


def _ids(server):
    from conftest import psql
    course = psql("SELECT id FROM courses WHERE status = 'published' "
                  "LIMIT 1", server.db)[0][0]
    lesson = psql(f"SELECT id FROM lessons WHERE course_id = '{course}' "
                  "LIMIT 1", server.db)[0][0]
    return {"course": course, "lesson": lesson}


@pytest.fixture(scope="module")
def tokens(server):
    """Sessions made before any attack (sqlmap's sign-in probes lock the
    accounts they name)."""
    return {r: sign_in(server, u, DEMO_PW).token for r, u in
            (("learner", "sarah_network"), ("instructor", "instructor"),
             ("admin", "admin"), ("other", "mike_netplus"))}


def test_sqlmap(server, tokens):
    if shutil.which("sqlmap") is None:
        pytest.skip("sqlmap is not installed (scripts/deps.sh security)")
    ids = _ids(server)
    base = f"http://127.0.0.1:{server.port}"
    results, findings = [], []
    work = os.path.join(OUT, "sqlmap")
    os.makedirs(work, exist_ok=True)
    for n, (method, path, body, who) in enumerate(TARGETS):
        url = base + path.format(**ids)
        cmd = ["sqlmap", "-u", url, "--method", method, "--batch",
               "--level", "3", "--risk", "2", "--threads", "4",
               "--timeout", "10", "--retries", "0", "--time-sec", "2",
               "--output-dir", work, "--disable-coloring",
               "--skip-waf", "--ignore-code", "400,401,403,404,409,422,429"]
        headers = ["Content-Type: application/json"]
        if who:
            headers.append(f"Authorization: Bearer {tokens[who]}")
        cmd += ["--headers", "\n".join(headers)]
        if body is not None:
            cmd += ["--data", json.dumps(body)]
        t0 = time.monotonic()
        before = requests_seen(server)
        try:
            p = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=SQLMAP_SECONDS * 3)
            out = p.stdout
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") \
                if isinstance(e.stdout, bytes) else (e.stdout or "")
        with open(os.path.join(work, f"{n:02d}.log"), "w") as f:
            f.write(out)
        # What reached the server: its access log has a line a request.
        sent = requests_seen(server) - before
        vulnerable = "sqlmap identified the following injection" in out
        results.append({"route": f"{method} {path}", "seconds":
                        round(time.monotonic() - t0, 1),
                        "requests": sent, "injectable": vulnerable})
        if vulnerable:
            findings.append(f"{method} {path}")
    with open(os.path.join(OUT, "sqlmap.json"), "w") as f:
        json.dump({"routes": len(TARGETS), "results": results,
                   "findings": findings}, f, indent=1)
    assert not findings, findings
    # The server lived through it, and answers.
    assert server.request("GET", "/healthz").status == 200


def test_slow_headers_do_not_starve_normal_clients(server, tokens):
    if shutil.which("slowhttptest") is None:
        pytest.skip("slowhttptest is not installed (scripts/deps.sh "
                    "security)")
    url = f"http://127.0.0.1:{server.port}/api/v1/exams"
    token = tokens["other"]
    stop = threading.Event()
    lat, errors = [], []

    def normal_client():
        import http.client
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                # From another loopback address: the attacker's
                # connections count against 127.0.0.1's per-address cap.
                c = http.client.HTTPConnection(
                    "127.0.0.1", server.port, timeout=5,
                    source_address=("127.0.0.2", 0))
                c.request("GET", "/api/v1/exams",
                          headers={"Authorization": f"Bearer {token}"})
                r = c.getresponse()
                r.read()
                c.close()
                if r.status != 200:
                    errors.append(r.status)
                lat.append(time.monotonic() - t0)
            except OSError as e:
                errors.append(str(e))
            time.sleep(0.2)

    t = threading.Thread(target=normal_client)
    t.start()
    proc = subprocess.Popen(
        ["slowhttptest", "-H", "-c", "1000", "-r", "200", "-i", "10",
         "-l", str(SLOW_SECONDS), "-u", url, "-o",
         os.path.join(OUT, "slowhttptest"), "-g"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = proc.communicate(timeout=SLOW_SECONDS + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stop.set()
        t.join()
    lat.sort()
    summary = {"seconds": SLOW_SECONDS, "slow_connections": 1000,
               "normal_requests": len(lat) + len(errors),
               "normal_errors": len(errors),
               "normal_p50_ms": round(lat[len(lat) // 2] * 1000, 1)
               if lat else None,
               "normal_max_ms": round(lat[-1] * 1000, 1) if lat else None,
               "slowhttptest_tail": out[-600:]}
    with open(os.path.join(OUT, "slowhttptest.json"), "w") as f:
        json.dump(summary, f, indent=1)
    assert lat and len(errors) <= len(lat) // 20, summary
    assert server.request("GET", "/healthz").status == 200
