"""Black-box API tests: a real `ludus serve` against a real PostgreSQL.

scripts/test.sh starts a throwaway cluster and a migrated, seeded template
database, then runs pytest with:

  LUDUS_BIN             the ludus binary under test (release or sanitized)
  LUDUS_TEST_PG_HOST    the cluster's socket folder
  LUDUS_TEST_PG_PORT    its port
  LUDUS_TEST_PG_DIR     its folder (for scripts/pg.sh stop/start)
  LUDUS_TEST_TEMPLATE   the template database
  LUDUS_SANITIZED       1 when LUDUS_BIN is built with ASan and UBSan

Every server a test starts is stopped by the test, by process id; it must
exit 0 with no sanitizer report in its log.

The suite also records every response body, every server log and every
secret it comes across (session tokens, mailed tokens, password and token
hashes); test_zz_secrets.py, which runs last, checks that no secret shows
up where it must not.
"""
import http.client
import itertools
import json
import os
import re
import pathlib
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("LUDUS_BIN", str(ROOT / "build" / "ludus"))
PGHOST = os.environ.get("LUDUS_TEST_PG_HOST", "")
PGPORT = os.environ.get("LUDUS_TEST_PG_PORT", "5439")
PGDIR = os.environ.get("LUDUS_TEST_PG_DIR", str(ROOT / "var" / "test"))
TEMPLATE = os.environ.get("LUDUS_TEST_TEMPLATE", "ludus_template")
SANITIZED = os.environ.get("LUDUS_SANITIZED") == "1"
PGBIN = "/usr/lib/postgresql/15/bin"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")

_names = itertools.count(1)

# What the whole run saw, for test_zz_secrets.py.
SEEN = {
    "bodies": [],      # (method, path, body text) of every response
    "logs": [],        # paths of the log files of every server
    "tokens": set(),   # session and CSRF tokens, mailed link tokens
    "hashes": set(),   # password hashes and stored token hashes
}

# Test servers hash with the lowest bcrypt cost and do not rate-limit,
# unless a test asks for it: see Server(env=...).
FAST = {"LUDUS_BCRYPT_COST": "10", "LUDUS_LOGIN_RATE": "100000",
        "LUDUS_REGISTER_RATE": "100000", "LUDUS_LOGIN_FAILURES_PER_IP": "1000000"}


def psql(sql, db="postgres", user="postgres"):
    """Runs sql and returns the rows as lists of strings."""
    out = subprocess.run(
        [f"{PGBIN}/psql", "-X", "-q", "-A", "-t", "-F", "\x1f",
         "-v", "ON_ERROR_STOP=1", "-h", PGHOST, "-p", PGPORT, "-U", user,
         "-d", db, "-c", sql],
        check=True, capture_output=True, text=True).stdout
    return [line.split("\x1f") for line in out.splitlines() if line != ""]


def dsn(db):
    return f"host={PGHOST} port={PGPORT} dbname={db} user=ludus"


def create_db(template=TEMPLATE):
    """A new database, a copy of the template (or empty with template0)."""
    name = f"t_{os.getpid()}_{next(_names)}"
    psql(f"CREATE DATABASE {name} TEMPLATE {template} OWNER ludus")
    return name


def drop_db(name):
    """Drops a test database, first noting the hashes it holds."""
    try:
        for table, column in (("users", "password_hash"),
                              ("sessions", "token_hash"),
                              ("user_tokens", "token_hash")):
            for row in psql(f"SELECT {column} FROM {table}", name):
                SEEN["hashes"].add(row[0])
    except subprocess.CalledProcessError:
        pass  # a database without these tables
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ludus(*args, env=None, timeout=60):
    """Runs a ludus subcommand; returns the CompletedProcess."""
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([BIN, *args], env=full, capture_output=True,
                          text=True, timeout=timeout)


def assert_no_sanitizer_report(text):
    for mark in SANITIZER_MARKS:
        assert mark not in text, f"sanitizer report:\n{text[-4000:]}"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


class Server:
    """One `ludus serve` process on a free loopback port."""

    def __init__(self, db, tmp_path, env=None, args=()):
        self.db = db
        self.port = free_port()
        self.log_path = tmp_path / f"ludus-{self.port}.log"
        self.mail_dir = tmp_path / f"mail-{self.port}"
        SEEN["logs"].append(self.log_path)
        full = dict(os.environ)
        full.update({"LUDUS_DATABASE_URL": dsn(db), "LUDUS_LOG_LEVEL": "info",
                     "LUDUS_WORKERS": "4", "LUDUS_MAIL_DIR": str(self.mail_dir),
                     "LUDUS_PUBLIC_URL": "http://ludus.test"})
        full.update(FAST)
        full.update(env or {})
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--test-routes", *args],
            env=full, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        deadline = time.monotonic() + (30 if SANITIZED else 10)
        while True:
            assert self.proc.poll() is None, \
                f"ludus exited at start:\n{self.log_text()}"
            try:
                if self.request("GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "ludus did not start"
            time.sleep(0.05)

    def conn(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        """One request; body may be bytes, str, or a dict sent as JSON."""
        headers = dict(headers or {})
        if isinstance(body, dict) or isinstance(body, list):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        own = conn is None
        c = conn or self.conn()
        try:
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse()
            resp = Response(r.status, r.getheaders(), r.read())
        finally:
            if own:
                c.close()
        SEEN["bodies"].append((method, path, resp.body.decode("utf-8",
                                                              "replace")))
        return resp

    def login(self, login, password, expect=200):
        """Signs in; returns a Client that sends the bearer token."""
        r = self.request("POST", "/api/v1/auth/login",
                         {"login": login, "password": password})
        assert r.status == expect, r
        if r.status != 200:
            return None
        SEEN["tokens"].update((r.json["token"], r.json["csrf_token"]))
        return Client(self, r.json)

    def register(self, email, username, password="a long secret phrase",
                 **extra):
        body = {"email": email, "username": username, "password": password}
        body.update(extra)
        return self.request("POST", "/api/v1/auth/register", body)

    def mails(self, to=None, subject=None, count=1, timeout=10):
        """The delivered mails (newest last) to an address, once there are
        at least count of them: dicts with to, subject, body, token."""
        deadline = time.monotonic() + timeout
        while True:
            found = []
            if self.mail_dir.exists():
                for f in sorted(self.mail_dir.glob("*.eml")):
                    # Bytes: read_text() would turn the CRLFs into LFs.
                    head, _, body = f.read_bytes().decode().partition(
                        "\r\n\r\n")
                    h = dict(line.split(": ", 1) for line in
                             head.split("\r\n") if ": " in line)
                    m = re.search(r"(?:token|invitation)=([A-Za-z0-9_-]+)", body)
                    mail = {"to": h.get("To"), "subject": h.get("Subject"),
                            "body": body, "token": m.group(1) if m else None,
                            "file": f}
                    if mail["token"]:
                        SEEN["tokens"].add(mail["token"])
                    if ((to is None or mail["to"].lower() == to.lower()) and
                            (subject is None or subject in mail["subject"])):
                        found.append(mail)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def log_text(self):
        self.log.flush()
        return self.log_path.read_text()

    def log_lines(self):
        """The JSON log lines written so far."""
        lines = []
        for line in self.log_text().splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines

    def wait_log(self, pred, timeout=5):
        """The log lines matching pred, once there is at least one.

        The access log line is written when libmicrohttpd reports the
        request complete, which may be just after the client has read the
        response."""
        deadline = time.monotonic() + timeout
        while True:
            found = [l for l in self.log_lines() if pred(l)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Stops the server; returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        self.log.close()
        return self.proc.returncode

    def stop_clean(self):
        rc = self.stop()
        text = self.log_path.read_text()
        assert_no_sanitizer_report(text)
        assert rc == 0, f"ludus exited {rc}:\n{text[-4000:]}"


class Client:
    """A signed-in API client (bearer token)."""

    def __init__(self, server, login_body):
        self.server = server
        self.token = login_body["token"]
        self.csrf = login_body["csrf_token"]
        self.user = login_body["user"]
        self.id = self.user["id"]

    def request(self, method, path, body=None, headers=None):
        h = {"Authorization": f"Bearer {self.token}"}
        h.update(headers or {})
        return self.server.request(method, path, body, h)

    def get(self, path):
        return self.request("GET", path)


@pytest.fixture(scope="module")
def db():
    name = create_db()
    yield name
    drop_db(name)


@pytest.fixture(scope="module")
def server(db, tmp_path_factory):
    s = Server(db, tmp_path_factory.mktemp("server"))
    yield s
    s.stop_clean()


@pytest.fixture
def start_server(tmp_path):
    """Starts servers for one test; stops each by pid at the end."""
    started = []

    def start(db, env=None, args=()):
        s = Server(db, tmp_path, env=env, args=args)
        started.append(s)
        return s

    yield start
    for s in started:
        if s.proc.poll() is None:
            s.stop_clean()
