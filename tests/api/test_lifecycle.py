"""Readiness across a database outage, and graceful shutdown."""
import http.client
import signal
import socket
import subprocess
import threading
import time

from conftest import PGDIR, PGPORT, ROOT, SANITIZED, free_port


def pg(action):
    args = [str(ROOT / "scripts" / "pg.sh"), action, PGDIR]
    if action == "start":
        args += [PGPORT, "--no-fsync"]
    subprocess.run(args, check=True, capture_output=True)


def wait_for(server, path, status, limit):
    """Polls path until it answers status; returns the seconds it took."""
    t0 = time.monotonic()
    while True:
        r = server.request("GET", path)
        if r.status == status:
            return time.monotonic() - t0, r
        assert time.monotonic() - t0 < limit, (path, r)
        time.sleep(0.02)


def test_readyz_follows_the_database(db, start_server):
    s = start_server(db)
    assert s.request("GET", "/readyz").status == 200
    pg("stop")
    try:
        took, r = wait_for(s, "/readyz", 503, 1.0)
        assert took < 1.0
        assert r.header("Content-Type") == "application/problem+json"
        assert r.json["type"] == "/problems/database-unavailable"
        assert r.header("Retry-After") == "1"
        # The process itself is fine.
        assert s.request("GET", "/healthz").status == 200
        # Every worker answers 503, quickly, not a 500.
        for _ in range(12):
            assert s.request("GET", "/readyz").status == 503
    finally:
        pg("start")
    took, r = wait_for(s, "/readyz", 200, 10.0)
    assert s.proc.poll() is None  # recovered without a restart
    # All workers recover, not only one. A worker whose last attempt
    # failed waits DB_RECONNECT_MS (200 ms) before its next one.
    time.sleep(0.3)
    for _ in range(12):
        assert s.request("GET", "/readyz").status == 200


def unanswered(port, rid):
    """A request on a new connection: None when the server closed the
    connection without an answer, else what happened."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        c.request("GET", "/healthz", headers={"X-Request-Id": rid})
        return c.getresponse().status
    except socket.timeout:
        return "no answer, and the connection left open"
    except (OSError, http.client.HTTPException):
        return None
    finally:
        c.close()


def test_sigterm_finishes_requests_in_flight(db, start_server):
    mport = free_port()
    s = start_server(db, env={"LUDUS_METRICS_ADDR": f"127.0.0.1:{mport}"})
    result = {}
    kept = s.conn()
    assert s.request("GET", "/healthz", conn=kept).status == 200

    def slow():
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        c.request("GET", "/api/v1/_test/sleep?ms=1500")
        r = c.getresponse()
        result["status"] = r.status
        result["body"] = r.read()

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.4)  # the request is in the handler now
    t0 = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    # No new connection is served while draining, on either listener: it
    # is closed unread.
    assert unanswered(s.port, "while-draining") is None
    assert unanswered(mport, "while-draining-metrics") is None
    # A connection kept alive from before is answered, then closed.
    r = s.request("GET", "/healthz", conn=kept)
    assert r.status == 200 and r.header("Connection").lower() == "close"
    kept.close()
    t.join(10)
    assert result.get("status") == 200, result
    rc = s.proc.wait(20)
    assert rc == 0
    assert time.monotonic() - t0 >= 0.8  # it waited for the request
    msgs = [l["msg"] for l in s.log_lines()]
    assert "shutting down" in msgs and msgs[-1] == "stopped"
    assert not [l for l in s.log_lines()
                if l.get("request_id", "").startswith("while-draining")]


def test_sigint_stops_an_idle_server_at_once(db, start_server):
    s = start_server(db)
    t0 = time.monotonic()
    s.proc.send_signal(signal.SIGINT)
    assert s.proc.wait(20) == 0
    assert time.monotonic() - t0 < (10 if SANITIZED else 2)
    assert any(l.get("signal") == "SIGINT" for l in s.log_lines())


def test_shutdown_timeout_bounds_the_wait(db, start_server):
    s = start_server(db, env={"LUDUS_SHUTDOWN_TIMEOUT": "1"})

    def slow():
        try:
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            c.request("GET", "/api/v1/_test/sleep?ms=4000")
            c.getresponse().read()
        except OSError:
            pass

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    t0 = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    # libmicrohttpd joins its threads, so the process ends when the
    # handler returns; the log says it gave up waiting after 1 s.
    assert s.proc.wait(20) == 0
    t.join(10)
    assert any("shutdown timeout" in l["msg"] for l in s.log_lines())
    assert time.monotonic() - t0 < 10
