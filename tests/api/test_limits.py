"""Connection limits, request framing and who may read /metrics.

- Slow clients: connections per client address are limited and a request's
  headers have a deadline, so many slow connections from one address
  (slowloris) neither hold the server nor keep others out.
- Framing: a request whose body length is ambiguous (two Content-Length
  headers, Content-Length with Transfer-Encoding) is refused with 400 and
  the connection closed, so nothing after it is read as another request.
- /metrics: loopback only by default, behind a bearer token, or on an
  address of its own.

Everything here talks to 127.0.0.1 (and 127.0.0.2, another loopback
address); each server is stopped by the start_server fixture, by pid.
"""
import http.client
import json
import re
import socket
import time

import pytest

from conftest import SEEN, free_port

PROBLEM = "application/problem+json"


def metric(text, name):
    """The value of one sample of the Prometheus text, or 0."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0


def get(port, path, headers=None, source="127.0.0.1", timeout=10):
    """GET on a new connection from the given loopback address."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                   source_address=(source, 0))
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        SEEN["bodies"].append(("GET", path, body.decode("utf-8", "replace")))
        return r.status, dict(r.getheaders()), body
    finally:
        c.close()


# ---- slow clients -----------------------------------------------------------

class Slow:
    """A connection that sends a request's headers one line at a time."""

    def __init__(self, port):
        self.opened = time.monotonic()
        self.closed = None
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.setblocking(False)
        self.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")

    def send(self, data):
        if self.closed is None:
            try:
                self.sock.send(data)
            except OSError:
                self.close()

    def poll(self):
        """Notes when the server closed the connection."""
        if self.closed is not None:
            return
        try:
            if self.sock.recv(4096) == b"":
                self.close()
        except BlockingIOError:
            pass
        except OSError:
            self.close()

    def close(self):
        if self.closed is None:
            self.closed = time.monotonic()
            self.sock.close()

    @property
    def lived(self):
        return self.closed - self.opened


def limit_lines(server):
    return [l for l in server.log_lines()
            if l.get("msg") == "connection limits hit"]


def test_slow_clients_are_limited_and_others_still_served(db, start_server):
    per_ip, deadline, n = 20, 3, 300
    # A total limit of 64: without the per-address limit, the slow
    # connections would fill every slot and 127.0.0.2 would wait.
    s = start_server(db, env={"LUDUS_MAX_CONNECTIONS": "64",
                              "LUDUS_MAX_CONNECTIONS_PER_IP": str(per_ip),
                              "LUDUS_HEADER_TIMEOUT": str(deadline),
                              "LUDUS_CONNECTION_TIMEOUT": "60"})
    # The connections of the start-up checks must be gone from the count
    # of 127.0.0.1 (the one asking here comes from 127.0.0.2).
    until = time.monotonic() + 5
    while metric(get(s.port, "/metrics", source="127.0.0.2")[2].decode(),
                 "ludus_http_connections_open") > 1:
        assert time.monotonic() < until
        time.sleep(0.05)
    slow = []
    try:
        for _ in range(n):
            slow.append(Slow(s.port))
        # (a) Past the per-address limit, connections are closed at once.
        until = time.monotonic() + deadline - 1
        while time.monotonic() < until:
            for c in slow:
                c.poll()
            if sum(c.closed is not None for c in slow) >= n - per_ip:
                break
            time.sleep(0.05)
        held = [c for c in slow if c.closed is None]
        assert len(held) == per_ip
        assert all(c.lived < deadline - 0.5 for c in slow if c.closed)

        # (c) Meanwhile another address is served at once, and /metrics
        # (loopback) shows the open connections.
        t = time.monotonic()
        status, _, _ = get(s.port, "/healthz", source="127.0.0.2")
        assert status == 200 and time.monotonic() - t < 1.0
        status, _, body = get(s.port, "/metrics", source="127.0.0.2")
        assert status == 200
        assert metric(body.decode(), "ludus_http_connections_open") >= per_ip

        # (b) The held ones keep sending header lines, more often than
        # any idle timeout, and are still cut at the header deadline.
        until = time.monotonic() + deadline + 3
        while time.monotonic() < until and any(c.closed is None
                                               for c in held):
            for c in held:
                c.send(b"X-Slow: 1\r\n")
                c.poll()
            time.sleep(0.25)
        for c in held:
            assert c.closed is not None, "a slow client outlived the deadline"
            assert deadline - 0.5 < c.lived < deadline + 2.5, c.lived
    finally:
        for c in slow:
            c.close()

    # Both limits are logged (at most once a second) and counted.
    lines = []
    until = time.monotonic() + 5
    while time.monotonic() < until:
        lines = limit_lines(s)
        if (sum(l["header_timeouts"] for l in lines) >= per_ip and
                sum(l["refused_per_ip"] for l in lines) >= n - per_ip):
            break
        time.sleep(0.2)
    assert sum(l["refused_per_ip"] for l in lines) == n - per_ip
    assert sum(l["header_timeouts"] for l in lines) == per_ip
    assert any(l.get("last_refused_address") == "127.0.0.1" for l in lines)
    assert all(l["level"] == "warn" for l in lines)
    assert len(lines) <= 10
    _, _, body = get(s.port, "/metrics")
    text = body.decode()
    assert metric(text, 'ludus_http_connections_refused_total{limit="per_ip"}'
                  ) == n - per_ip
    assert metric(text, "ludus_http_header_timeouts_total") == per_ip
    # None of the slow requests reached a handler.
    assert not [l for l in s.log_lines() if l.get("msg") == "request" and
                l.get("path") == "/healthz" and l.get("status") != 200]


def test_the_deadline_spares_idle_keep_alive_but_not_a_slow_next_request(
        db, start_server):
    deadline = 2
    s = start_server(db, env={"LUDUS_HEADER_TIMEOUT": str(deadline),
                              "LUDUS_CONNECTION_TIMEOUT": "60"})
    idle = s.conn()
    slow = s.conn()
    try:
        for c in (idle, slow):
            assert s.request("GET", "/healthz", conn=c).status == 200
        # The next request on slow begins, and trickles.
        slow.sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        slow.sock.settimeout(0.2)
        t = time.monotonic()
        cut = None
        while time.monotonic() - t < deadline + 4:
            try:
                slow.sock.sendall(b"X-Slow: 1\r\n")
                if slow.sock.recv(4096) == b"":
                    cut = time.monotonic() - t
                    break
            except socket.timeout:
                pass
            except OSError:
                cut = time.monotonic() - t
                break
        assert cut is not None and deadline - 0.5 < cut < deadline + 3, cut
        # Idle between requests for longer than the deadline: still open.
        assert s.request("GET", "/healthz", conn=idle).status == 200
    finally:
        idle.close()
        slow.close()


def test_a_proxy_is_not_held_to_the_per_address_limit(db, start_server):
    s = start_server(db, env={"LUDUS_MAX_CONNECTIONS_PER_IP": "2",
                              "LUDUS_TRUST_PROXY": "on"})
    conns = [s.conn() for _ in range(4)]
    try:
        for c in conns:
            assert s.request("GET", "/healthz", conn=c).status == 200
    finally:
        for c in conns:
            c.close()


def wait_open_connections(port, n, timeout=10):
    """Waits until the server counts n open connections besides the one
    asking: it learns of a close only when its worker reads the end of the
    stream, which may take a while on a busy machine or under the
    sanitizers.  It asks on one kept-alive connection from 127.0.0.2, so
    that asking adds one connection and never meets 127.0.0.2's own limit."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                   source_address=("127.0.0.2", 0))
    until = time.monotonic() + timeout
    try:
        while True:
            c.request("GET", "/metrics")
            text = c.getresponse().read().decode()
            if metric(text, "ludus_http_connections_open") <= n + 1:
                return
            assert time.monotonic() < until, "closed connections counted"
            time.sleep(0.02)
    finally:
        c.close()


def test_the_per_address_limit_frees_up_as_connections_close(db,
                                                             start_server):
    s = start_server(db, env={"LUDUS_MAX_CONNECTIONS_PER_IP": "2"})
    # The connections of the start-up checks (from 127.0.0.1) are gone.
    wait_open_connections(s.port, 0)
    held = [s.conn() for _ in range(2)]
    for c in held:
        assert s.request("GET", "/healthz", conn=c).status == 200
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        s.request("GET", "/healthz")
    held[0].close()
    wait_open_connections(s.port, 1)
    assert s.request("GET", "/healthz").status == 200
    held[1].close()


# ---- request framing --------------------------------------------------------

def exchange(port, data, timeout=5):
    """Sends data on a new connection; returns (what came back, whether the
    server closed the connection before timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as c:
        c.sendall(data)
        out = []
        while True:
            try:
                b = c.recv(65536)
            except ConnectionResetError:
                return b"".join(out), True
            except socket.timeout:
                return b"".join(out), False
            if not b:
                return b"".join(out), True
            out.append(b)


ECHO = (b"POST /api/v1/_test/echo HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/json\r\n")


def smuggled(rid):
    return (f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: {rid}\r\n"
            f"\r\n").encode()


@pytest.mark.parametrize("name,framing,body", [
    ("two-lengths", b"Content-Length: 2\r\nContent-Length: 60\r\n", b"{}"),
    ("two-lengths-reversed", b"Content-Length: 60\r\nContent-Length: 2\r\n",
     b"{}"),
    ("two-equal-lengths", b"Content-Length: 2\r\nContent-Length: 2\r\n",
     b"{}"),
    ("length-and-chunked",
     b"Content-Length: 9\r\nTransfer-Encoding: chunked\r\n",
     b"2\r\n{}\r\n0\r\n\r\n"),
    ("chunked-and-length",
     b"Transfer-Encoding: chunked\r\nContent-Length: 9\r\n",
     b"2\r\n{}\r\n0\r\n\r\n"),
])
def test_ambiguous_length_is_400_and_nothing_more_is_read(server, name,
                                                          framing, body):
    rid = f"smuggled-{name}"
    out, closed = exchange(server.port, ECHO + framing + b"\r\n" + body +
                           smuggled(rid))
    assert closed, out
    assert out.count(b"HTTP/1.1 ") == 1, out
    head, _, rest = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), out
    assert b"\r\nConnection: close" in head
    assert f"Content-Type: {PROBLEM}".encode() in head
    p = json.loads(rest)
    assert p["type"] == "/problems/ambiguous-framing" and p["status"] == 400
    # The refused request is logged; the one behind it was never read.
    assert server.wait_log(lambda l: l.get("msg") == "request" and
                           l.get("status") == 400 and
                           l.get("path") == "/api/v1/_test/echo")
    time.sleep(0.3)
    assert not [l for l in server.log_lines()
                if l.get("request_id") == rid]


def test_a_pipelined_request_behind_a_clear_length_is_served(server):
    # The control of the test above: the same bytes with one length.
    rid = "pipelined-after-one-length"
    out, _ = exchange(server.port, ECHO + b"Content-Length: 2\r\n\r\n{}" +
                      smuggled(rid), timeout=1)
    assert out.count(b"HTTP/1.1 200 ") == 2, out
    assert server.wait_log(lambda l: l.get("request_id") == rid)


@pytest.mark.parametrize("framing,version", [
    (b"Transfer-Encoding: gzip, chunked\r\n", b"HTTP/1.1"),
    (b"Transfer-Encoding: identity\r\n", b"HTTP/1.1"),
    (b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
     b"HTTP/1.1"),
    (b"Transfer-Encoding: chunked\r\n", b"HTTP/1.0"),
])
def test_other_transfer_codings_are_400(server, framing, version):
    data = (b"POST /api/v1/_test/echo " + version + b"\r\nHost: x\r\n"
            b"Content-Type: application/json\r\n" + framing +
            b"\r\n2\r\n{}\r\n0\r\n\r\n")
    out, closed = exchange(server.port, data)
    assert closed and out.startswith(b"HTTP/1.1 400 "), out
    assert b"/problems/ambiguous-framing" in out


def test_chunked_alone_is_still_accepted(server):
    out, _ = exchange(server.port, ECHO + b"Transfer-Encoding: Chunked\r\n"
                      b"Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 200 "), out
    assert out.endswith(b'{"received":{}}')


# ---- who may read /metrics --------------------------------------------------

def test_metrics_by_default_only_for_local_unrelayed_clients(server):
    status, _, body = get(server.port, "/metrics")
    assert status == 200 and b"ludus_http_requests_total" in body
    status, _, body = get(server.port, "/metrics", source="127.0.0.2")
    assert status == 200
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        status, h, body = get(server.port, "/metrics",
                              {header: "203.0.113.9"})
        assert status == 404, header
        assert json.loads(body)["type"] == "/problems/not-found"
        assert b"ludus_" not in body


def test_metrics_behind_a_token(db, start_server):
    token = "metrics-" + "7f3a9c" * 4
    SEEN["tokens"].add(token)
    s = start_server(db, env={"LUDUS_METRICS_TOKEN": token})
    for headers in ({}, {"Authorization": "Bearer wrong-token-of-some-size"},
                    {"Authorization": f"Bearer {token[:-1]}"},
                    {"Authorization": f"Bearer {token}x"},
                    {"Authorization": f"Basic {token}"}):
        status, h, body = get(s.port, "/metrics", headers)
        assert status == 401, headers
        assert h["WWW-Authenticate"].startswith("Bearer")
        assert json.loads(body)["type"] == "/problems/unauthenticated"
        assert b"ludus_" not in body
    status, _, body = get(s.port, "/metrics",
                          {"Authorization": f"Bearer {token}"})
    assert status == 200 and b"ludus_http_requests_total" in body
    # With the token, a relayed request may read it too.
    status, _, _ = get(s.port, "/metrics",
                       {"Authorization": f"bearer {token}",
                        "X-Forwarded-For": "203.0.113.9"})
    assert status == 200
    assert token not in s.log_text()


def test_metrics_on_their_own_address(db, start_server):
    port = free_port()
    s = start_server(db, env={"LUDUS_METRICS_ADDR": f"127.0.0.1:{port}"})
    status, _, body = get(s.port, "/metrics")
    assert status == 404 and b"ludus_" not in body
    status, _, body = get(port, "/metrics")
    assert status == 200 and b"ludus_http_requests_total" in body
    # The scrape counts on the same route as on the main address.
    assert re.search(rb'route="/metrics",code="2xx"\} 1', body) is None
    status, _, body = get(port, "/metrics")
    assert re.search(rb'route="/metrics",code="2xx"\} 1\n', body), body
    # Only /metrics lives there.
    for path in ("/healthz", "/", "/api/v1/openapi.json"):
        status, _, body = get(port, path)
        assert status == 404, path
        assert json.loads(body)["type"] == "/problems/not-found"
    assert get(s.port, "/healthz")[0] == 200


def test_metrics_on_their_own_address_with_a_token(db, start_server):
    port = free_port()
    token = "another-metrics-token-0123"
    SEEN["tokens"].add(token)
    s = start_server(db, env={"LUDUS_METRICS_ADDR": f"127.0.0.1:{port}",
                              "LUDUS_METRICS_TOKEN": token})
    assert get(port, "/metrics")[0] == 401
    assert get(port, "/metrics", {"Authorization": "Bearer nope"})[0] == 401
    assert get(port, "/metrics", {"Authorization": f"Bearer {token}"}
               )[0] == 200
    assert get(s.port, "/metrics", {"Authorization": f"Bearer {token}"}
               )[0] == 404
