"""Stopping a server that is busy: it exits 0, with nothing fatal logged.

libmicrohttpd 0.9.75's MHD_quiesce_daemon() races its own epoll worker
threads and now and then aborts the process ("Fatal error in GNU
libmicrohttpd daemon.c:5531: Failed to remove listen FD from epoll set");
new connections wake every worker, so load makes the race likelier.  The
server no longer calls it (src/http/server.c).

LUDUS_STRESS_STOPS=N adds the long run: N start/stop cycles under light
load, with the counts printed (minutes, so not in the suite by default);
LUDUS_STRESS_AB=1 makes the load ab's, much heavier:

  LUDUS_STRESS_STOPS=2000 scripts/dev-test.sh build /usr/bin/python3 -m \\
      pytest -q -s -p no:cacheprovider tests/api/test_shutdown.py -k stress
"""
import http.client
import itertools
import os
import signal
import subprocess
import threading
import time

import pytest

from conftest import SANITIZED, assert_no_sanitizer_report, free_port

FATAL = "Fatal error"


class Load:
    """Client threads sending GET /healthz until stopped: some on a new
    connection each time (each wakes every worker), some kept alive."""

    def __init__(self, port, fresh=2, kept=1):
        self.port = port
        self.done = threading.Event()
        self.ok = [0] * (fresh + kept)
        self.threads = [threading.Thread(target=self.run, args=(i, i >= fresh))
                        for i in range(fresh + kept)]
        for t in self.threads:
            t.start()

    def run(self, i, keep):
        conn = None
        while not self.done.is_set():
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                      timeout=5)
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                r.read()
                self.ok[i] += 1
                if not keep or r.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.005)

    def answered(self):
        return sum(self.ok)

    def stop(self):
        self.done.set()
        for t in self.threads:
            t.join(10)


class AbLoad:
    """The same from ab (apache2-utils): a new connection per request, four
    at a time, far more of them than Load manages."""

    def __init__(self, port):
        self.proc = subprocess.Popen(
            ["ab", "-q", "-r", "-c", "4", "-t", "30", "-n", "10000000",
             f"http://127.0.0.1:{port}/healthz"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.since = time.monotonic()

    def answered(self):
        return 1000 if time.monotonic() - self.since > 0.1 else 0

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def stop_under_load(s, min_answered=20, load_class=Load, in_flight=None):
    """Sends SIGTERM to s while a Load runs, once in_flight (a started
    thread) has had time to send its request; returns (exit code, log)."""
    # The main thread waits for the signal once it has logged who may read
    # /metrics; a SIGTERM before then may reach a thread that does not block
    # it (the maintenance thread, the job runner) and kill the process.
    assert s.wait_log(lambda l: l.get("msg") == "metrics", timeout=10)
    load = load_class(s.port)
    try:
        until = time.monotonic() + 10
        while load.answered() < min_answered:
            assert time.monotonic() < until, "the load got no answers"
            time.sleep(0.005)
        if in_flight is not None:
            in_flight.start()
            time.sleep(0.2)
        s.proc.send_signal(signal.SIGTERM)
        rc = s.proc.wait(30)
    finally:
        load.stop()
    return rc, s.log_text()


def test_stopping_under_load_exits_cleanly(db, start_server):
    for _ in range(3 if SANITIZED else 6):
        mport = free_port()
        s = start_server(db, env={"LUDUS_METRICS_ADDR": f"127.0.0.1:{mport}"})
        slow = {}

        def slow_request():
            r = s.request("GET", "/api/v1/_test/sleep?ms=500")
            slow["status"] = r.status

        t = threading.Thread(target=slow_request)
        rc, text = stop_under_load(s, in_flight=t)
        t.join(10)
        assert slow.get("status") == 200, slow
        assert FATAL not in text, text[-4000:]
        assert_no_sanitizer_report(text)
        assert rc == 0, text[-4000:]
        msgs = [l["msg"] for l in s.log_lines()]
        assert "shutting down" in msgs and msgs[-1] == "stopped"


@pytest.mark.skipif(not os.environ.get("LUDUS_STRESS_STOPS"),
                    reason="set LUDUS_STRESS_STOPS=N for N stop cycles")
def test_stress_many_stops_under_load(db, start_server):
    """LUDUS_STRESS_PARALLEL servers (default 3) at a time, as most of a
    cycle is the process starting and ending."""
    n = int(os.environ["LUDUS_STRESS_STOPS"])
    cycles = itertools.count()
    ab = os.environ.get("LUDUS_STRESS_AB") == "1"
    fatal, bad_rc, t0 = [], [], time.monotonic()

    def cycle_until_done():
        for i in iter(lambda: next(cycles), None):
            if i >= n:
                return
            s = start_server(db)
            rc, text = stop_under_load(s, 5, AbLoad if ab else Load)
            if FATAL in text:
                fatal.append((i, [l for l in text.splitlines()
                                  if FATAL in l]))
            if rc != 0:
                bad_rc.append((i, rc))
            s.log.close()

    workers = [threading.Thread(target=cycle_until_done) for _ in
               range(int(os.environ.get("LUDUS_STRESS_PARALLEL", "3")))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"\nstress: {n} stops under load in {time.monotonic() - t0:.0f} s:"
          f" {len(bad_rc)} exited non-zero, {len(fatal)} logged {FATAL!r}")
    for i, lines in fatal[:5]:
        print(f"  stop {i}: {lines}")
    assert not fatal and not bad_rc, (bad_rc, fatal[:5])
