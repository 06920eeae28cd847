"""Study materials: added as text, upload (text, Markdown, HTML, PDF) or
URL, processed by a job into chunks and generated assets; accepting,
editing, rejecting and rating assets; study sessions; progress; who may
see and change what; limits and hostile inputs (an encrypted PDF, a PDF
that is not one, a decompression bomb, a URL that redirects to
127.0.0.1); jobs that fail, are retried with backoff, crash, and are
cancelled; a language model (a scripted server speaking the
chat-completions API) whose answers are checked."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import llm_server
import pdfs
from conftest import SANITIZED, Server
from support import (DEMO_PW, assert_invalid, assert_problem, new_account,
                     sign_in, sql, uniq)

M = "/api/v1/materials"
COURSE = "4e700009-0000-4000-8000-000000000001"
WAIT = 180 if SANITIZED else 60

TEXT = """# Network services

## Addressing

Dynamic Host Configuration Protocol (DHCP) is a protocol that assigns IP
addresses to hosts automatically. A DHCP lease is the time a host may keep
its address before it must renew it.

The Domain Name System (DNS) is the service that translates host names
into IP addresses. DNS uses port 53. A resolver is the client part of DNS
that asks name servers on behalf of applications.

## Remote access

Secure Shell (SSH) is a protocol for encrypted remote logins. SSH uses
port 22. Telnet is an old protocol that sends everything in clear text.
Telnet uses port 23. Remote Desktop Protocol (RDP) is a protocol that shows
a remote graphical desktop. RDP uses port 3389.

| Protocol | Port |
| --- | --- |
| HTTP | 80 |
| HTTPS | 443 |

- **NTP**: keeps the clocks of hosts in step.
- **SNMP**: monitors and manages network devices.
"""

HTML = """<!doctype html><html><head><title>Cabling basics</title>
<script>alert('no')</script><style>p{}</style></head><body>
<nav>menu</nav><h1>Cabling</h1>
<p>Twisted pair is a cable whose wires are twisted to cancel
interference. Fiber optic cable is a cable that carries light.</p>
<ul><li>Cat 6 supports 10 Gbps up to 55 meters.</li>
<li>Single-mode fiber reaches far.</li></ul></body></html>"""


# ---- servers -----------------------------------------------------------------

class Web(BaseHTTPRequestHandler):
    """Pages for the URL tests, on 127.0.0.2."""
    flaky = {"n": 0}

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8",
             headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/notes.html":
            self.send(200, HTML.encode())
        elif self.path == "/notes.md":
            self.send(200, TEXT.encode(), "text/markdown")
        elif self.path == "/to-loopback":
            self.send(302, headers=[("Location",
                                     "http://127.0.0.1:1/notes.html")])
        elif self.path == "/missing":
            self.send(404, b"no")
        elif self.path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        elif self.path == "/flaky":
            Web.flaky["n"] += 1
            if Web.flaky["n"] == 1:
                self.send(503, b"later")
            else:
                self.send(200, HTML.encode())
        else:
            self.send(404, b"no")


@pytest.fixture(scope="module")
def web():
    s = ThreadingHTTPServer(("127.0.0.2", 0), Web)
    t = threading.Thread(target=s.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.2:{s.server_address[1]}"
    s.shutdown()
    s.server_close()


@pytest.fixture(scope="module")
def llm():
    s, t = llm_server.start(0)
    yield s
    llm_server.stop(s, t)


@pytest.fixture(scope="module")
def server(db, tmp_path_factory, llm):
    s = Server(db, tmp_path_factory.mktemp("materials"), env={
        "LUDUS_FETCH_ALLOW_NETS": "127.0.0.2/32",
        "LUDUS_LLM_URL": f"http://127.0.0.1:{llm.port}/v1",
        "LUDUS_LLM_MODEL": "tiny-test-model",
        "LUDUS_LLM_TIMEOUT_MS": "5000",
        "LUDUS_LLM_ATTEMPTS": "2",
        "LUDUS_MAX_UPLOAD_BYTES": str(2 << 20)})
    yield s
    s.stop_clean()


@pytest.fixture
def me(server):
    return new_account(server)


def control(llm, path, body=None):
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", llm.port, timeout=10)
    c.request("POST" if body is not None or path.endswith("reset") else
              "GET", path, json.dumps(body) if body is not None else None,
              {"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return json.loads(data) if data else None


# ---- helpers ---------------------------------------------------------------

def add_text(who, text=None, **extra):
    """Adds pasted text; by default TEXT with a line of its own, since the
    same contents twice are refused."""
    if text is None:
        text = f"{TEXT}\nThese notes are number {uniq('n')}.\n"
    body = {"title": extra.pop("title", "Network services"), "text": text}
    body.update(extra)
    r = who.request("POST", M, body)
    assert r.status == 202, r
    return r.json


def upload(who, data, ctype, query=""):
    return who.request("POST", f"{M}/upload{query}", data,
                       {"Content-Type": ctype} if ctype else {})


def settle(who, mid, timeout=WAIT):
    """The material once its job has ended."""
    deadline = time.monotonic() + timeout
    while True:
        r = who.get(f"{M}/{mid}")
        assert r.status == 200, r
        job = r.json.get("job") or {}
        if r.json["status"] != "processing" and job.get("status") not in \
                ("queued", "running"):
            return r.json
        assert time.monotonic() < deadline, r.json
        time.sleep(0.1)


def assets(who, mid, **q):
    qs = "&".join(f"{k}={v}" for k, v in q.items())
    r = who.get(f"{M}/{mid}/assets" + (f"?{qs}" if qs else ""))
    assert r.status == 200, r
    return r.json


def chunks(who, mid):
    r = who.get(f"{M}/{mid}/chunks?limit=200")
    assert r.status == 200, r
    return r.json["items"]


def ready_material(who, **extra):
    m = settle(who, add_text(who, **extra)["id"])
    assert m["status"] == "ready", m
    return m


# ---- adding and processing ---------------------------------------------------

def test_pasted_text_becomes_chunks_and_assets_with_their_sources(server, me):
    m = add_text(me, tags=["networking"], subject_area="Networking",
                 difficulty_level="beginner")
    assert m["status"] == "processing" and m["source_type"] == "text"
    assert m["job"]["status"] in ("queued", "running", "succeeded")
    m = settle(me, m["id"])
    assert m["status"] == "ready", m
    assert m["language"] == "en" and m["word_count"] > 100
    assert m["tags"] == ["networking"] and m["chunks"] >= 2
    cs = chunks(me, m["id"])
    assert [c["chunk_order"] for c in cs] == list(range(len(cs)))
    assert {c["chunk_type"] for c in cs} <= {"section", "paragraph", "list",
                                            "table", "code"}
    assert any("Addressing" in c["heading"] for c in cs)
    for c in cs:
        assert c["word_count"] > 0 and 0 <= c["relevance_score"] <= 1
        assert c["end_offset"] > c["start_offset"]
    a = assets(me, m["id"])
    kinds = {x["asset_type"] for x in a}
    assert {"flashcard", "quiz", "summary", "key_terms"} <= kinds, kinds
    spans = {c["id"]: (c["start_offset"], c["end_offset"]) for c in cs}
    for x in a:
        assert x["status"] == "ready" and x["generation_model"] == \
            "ludus-extractive-1"
        assert 0 <= x["quality_score"] <= 1
        assert x["source"], x
        for s in x["source"]:
            assert s["text"] and s["end"] > s["start"]
            if x["chunk_id"]:
                lo, hi = spans[x["chunk_id"]]
                assert lo <= s["start"] and s["end"] <= hi, (x, lo, hi)
    q = next(x for x in a if x["asset_type"] == "quiz")
    assert 2 <= len(q["content"]["options"]) <= 6
    assert 0 <= q["content"]["answer"] < len(q["content"]["options"])


def test_generation_is_deterministic(server, me):
    """The same text gives the same assets, for two learners."""
    other = new_account(server)
    one = ready_material(me, title="One", text=TEXT)
    two = ready_material(other, title="Two", text=TEXT)

    def strip(who, m):
        return [(x["asset_type"], json.dumps(x["content"], sort_keys=True),
                 json.dumps(x["source"], sort_keys=True), x["quality_score"])
                for x in assets(who, m["id"])]
    assert strip(me, one) == strip(other, two)
    assert_problem(me.request("POST", M, {"title": "Again", "text": TEXT}),
                   409, "duplicate-material")


def test_uploads_of_each_format(server, me):
    r = upload(me, TEXT.encode(), "text/markdown",
               "?title=Markdown%20notes&tags=networking,ports")
    assert r.status == 202, r
    assert r.header("Location") == f"{M}/{r.json['id']}"
    m = settle(me, r.json["id"])
    assert m["status"] == "ready" and m["media_type"] == "text/markdown"
    assert m["tags"] == ["networking", "ports"] and len(m["sha256"]) == 64

    r = upload(me, HTML.encode(), "text/html; charset=utf-8",
               "?file_name=cabling.html")
    assert r.status == 202, r
    m = settle(me, r.json["id"])
    assert m["status"] == "ready", m
    assert m["title"] == "cabling.html" and m["file_name"] == "cabling.html"
    text = " ".join(c["content"] for c in chunks(me, m["id"]))
    assert "Twisted pair" in text and "alert" not in text and "menu" not in text

    r = upload(me, b"Plain notes.\n\nSSH uses port 22. Telnet uses port 23.",
               "text/plain", "?title=Plain")
    assert r.status == 202, r
    assert settle(me, r.json["id"])["status"] == "ready"


def test_a_pdf_upload_is_read_in_a_sandbox(server, me):
    doc = pdfs.pdf([["Subnetting", "A subnet mask is a number that splits "
                     "an address into network and host parts."],
                    ["Page two", "A default gateway is the router a host "
                     "sends traffic to for other networks."]],
                   title="Subnetting notes")
    r = upload(me, doc, "application/pdf")
    assert r.status == 202, r
    assert r.json["title"] == "Subnetting notes"
    m = settle(me, r.json["id"])
    assert m["status"] == "ready", m
    assert m["metadata"]["pages"] == 2 and m["media_type"] == "application/pdf"
    text = " ".join(c["content"] for c in chunks(me, m["id"]))
    assert "subnet mask" in text and "default gateway" in text


@pytest.mark.parametrize("data,ctype,status,code", [
    (b"x", None, 415, "unsupported-media-type"),
    (b"x", "application/msword", 415, "unsupported-media-type"),
    (b"x", "text/plain; charset=latin-1", 415, "unsupported-media-type"),
    (b"", "text/plain", 422, "unreadable-file"),
    (b"   \n\t ", "text/markdown", 422, "unreadable-file"),
    (b"caf\xe9 au lait", "text/plain", 422, "unreadable-file"),
    (b"plain words", "application/pdf", 422, "unreadable-file"),
    (b"%PDF-1.4 binary", "text/plain", 422, "unreadable-file"),
])
def test_bad_uploads_are_refused_at_once(server, me, data, ctype, status,
                                         code):
    before = sql(server, "SELECT count(*) FROM study_materials")
    assert_problem(upload(me, data, ctype), status, code)
    assert sql(server, "SELECT count(*) FROM study_materials") == before


def test_hostile_pdfs_are_refused_with_their_reason(server, me):
    p = assert_problem(upload(me, pdfs.encrypted(), "application/pdf"), 422,
                       "unreadable-file")
    assert "encrypt" in p["detail"].lower() or "password" in \
        p["detail"].lower(), p
    p = assert_problem(upload(me, pdfs.not_a_pdf(), "application/pdf"), 422,
                       "unreadable-file")
    assert "PDF" in p["detail"]
    many = pdfs.pdf([["page"]] * 501)
    assert_problem(upload(me, many, "application/pdf"), 422,
                   "unreadable-file")


def test_a_decompression_bomb_fails_its_job_and_nothing_else(server, me):
    data = pdfs.bomb()
    assert len(data) < 100_000
    r = upload(me, data, "application/pdf", "?title=Bomb")
    assert r.status == 202, r
    m = settle(me, r.json["id"], timeout=WAIT * 2)
    assert m["status"] == "failed", m
    assert m["error"], m
    assert m["chunks"] == 0 and sum(m["assets"].values()) == 0
    # The server is still there.
    assert me.get(f"{M}/{m['id']}").status == 200


def test_too_large_an_upload_is_413(server, me):
    """Refused on its Content-Length, before a byte of it is read; an
    upload may be larger than an ordinary body (1 MiB) up to the limit."""
    from conftest import Response
    c = server.conn()
    c.putrequest("POST", f"{M}/upload")
    c.putheader("Authorization", f"Bearer {me.token}")
    c.putheader("Content-Type", "text/plain")
    c.putheader("Content-Length", str((2 << 20) + 1))
    c.endheaders()
    r = c.getresponse()
    assert_problem(Response(r.status, r.getheaders(), r.read()), 413,
                   "body-too-large")
    c.close()
    big = (b"A line of notes about subnets and masks. " * 40 + b"\n\n") * 700
    assert (1 << 20) < len(big) < (2 << 20)
    assert upload(me, big, "text/plain").status == 202


def test_the_same_file_twice_is_a_conflict(server, me):
    r = upload(me, b"DNS uses port 53, and so on.", "text/plain")
    assert r.status == 202, r
    p = assert_problem(upload(me, b"DNS uses port 53, and so on.",
                              "text/plain"), 409, "duplicate-material")
    assert r.json["id"] in p["detail"]


@pytest.mark.parametrize("body,fields", [
    ({"title": "x"}, {"text"}),
    ({"title": "x", "text": "a", "url": "https://example.com/"}, {"url"}),
    ({"text": "a"}, {"title"}),
    ({"title": "   ", "text": "a"}, {"title"}),
    ({"title": "x", "url": "ftp://example.com/a"}, {"url"}),
    ({"title": "x", "url": "http://127.0.0.1/"}, {"url"}),
    ({"title": "x", "url": "http://10.1.2.3/notes"}, {"url"}),
    ({"title": "x", "url": "http://[::1]:8080/"}, {"url"}),
    ({"title": "x", "url": "http://localhost/"}, {"url"}),
    ({"title": "x", "url": "https://user:pw@example.com/"}, {"url"}),
    ({"title": "x", "url": "not a url"}, {"url"}),
    ({"title": "x", "text": "a", "tags": ["Not A Tag"]}, {"tags"}),
    ({"title": "x", "text": "a", "difficulty_level": "hard"},
     {"difficulty_level"}),
    ({"title": "x", "text": "a", "media_type": "application/pdf"},
     {"media_type"}),
    ({"title": "x", "text": "a", "surprise": 1}, {"surprise"}),
    ({"title": "x", "text": "a", "course_id": "nope"}, {"course_id"}),
])
def test_bad_json_materials_are_422(server, me, body, fields):
    assert_invalid(me.request("POST", M, body), *fields)


def test_limits_on_materials_per_learner(server, me):
    sql(server, f"""INSERT INTO study_materials (org_id, user_id, title,
        source_type, media_type)
        SELECT org_id, id, 'm' || g, 'text', 'text/plain'
        FROM users, generate_series(1, 200) g WHERE id = '{me.id}'""")
    p = assert_problem(me.request("POST", M, {"title": "one more",
                                              "text": "x"}), 422, "too-many")
    assert "200" in p["detail"]


# ---- URLs -----------------------------------------------------------------

def test_a_url_on_an_allowed_network_is_fetched(server, me, web):
    r = me.request("POST", M, {"title": "Cabling", "url": f"{web}/notes.html"})
    assert r.status == 202, r
    m = settle(me, r.json["id"])
    assert m["status"] == "ready", m
    assert m["media_type"] == "text/html" and m["byte_size"] > 100
    assert m["metadata"]["fetched_url"] == f"{web}/notes.html"
    r = me.request("POST", M, {"title": "Notes", "url": f"{web}/notes.md"})
    assert settle(me, r.json["id"])["media_type"] == "text/markdown"


def test_a_url_that_redirects_to_loopback_fails(server, me, web):
    r = me.request("POST", M, {"title": "Trap", "url": f"{web}/to-loopback"})
    assert r.status == 202, r
    m = settle(me, r.json["id"])
    assert m["status"] == "failed", m
    assert "127.0.0.1" in m["error"] and "public" in m["error"], m
    assert m["job"]["status"] == "failed" and m["job"]["attempts"] == 1


def test_urls_that_answer_badly_fail_with_their_reason(server, me, web):
    r = me.request("POST", M, {"title": "Gone", "url": f"{web}/missing"})
    m = settle(me, r.json["id"])
    assert m["status"] == "failed" and "404" in m["error"], m
    r = me.request("POST", M, {"title": "Picture", "url": f"{web}/image"})
    m = settle(me, r.json["id"])
    assert m["status"] == "failed" and m["error"], m


def test_a_server_away_is_tried_again_later(server, me, web):
    Web.flaky["n"] = 0
    r = me.request("POST", M, {"title": "Flaky", "url": f"{web}/flaky"})
    mid = r.json["id"]
    deadline = time.monotonic() + WAIT
    while True:
        job = me.get(f"{M}/{mid}").json["job"]
        if job["status"] == "queued" and job["attempts"] == 1:
            break
        assert job["status"] != "failed", job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    jr = me.get(f"/api/v1/jobs/{job['id']}").json
    assert "503" in jr["error"] and jr["run_after"] > jr["created_at"]
    # Its wait is 10 s: cut it short.
    sql(server, f"UPDATE jobs SET run_after = now() WHERE id = '{job['id']}'")
    m = settle(me, mid)
    assert m["status"] == "ready" and m["job"]["attempts"] == 2, m


# ---- jobs: crash, cancel ---------------------------------------------------

def test_a_job_whose_server_died_is_run_again(server, me):
    mid = sql(server, f"""INSERT INTO study_materials (org_id, user_id, title,
        source_type, media_type) SELECT org_id, id, 'Crashed', 'text',
        'text/plain' FROM users WHERE id = '{me.id}' RETURNING id""")[0][0]
    sql(server, f"""INSERT INTO jobs (org_id, user_id, kind, payload, input,
        status, attempts, started_at, lease_until)
        SELECT org_id, id, 'materials.process', jsonb_build_object(
            'material_id', '{mid}', 'format', 'text', 'generate', true),
        'SSH uses port 22. Telnet uses port 23. DNS uses port 53.',
        'running', 1, now() - interval '20 minutes',
        now() - interval '1 minute' FROM users WHERE id = '{me.id}'""")
    m = settle(me, mid)
    assert m["status"] == "ready" and m["job"]["attempts"] == 2, m


def test_cancelling_a_job(server, me):
    mat = ready_material(me, title="Cancel me")
    jid = sql(server, f"""INSERT INTO jobs (org_id, user_id, kind, payload,
        run_after) SELECT org_id, id, 'materials.generate',
        jsonb_build_object('material_id', '{mat['id']}'),
        now() + interval '1 hour' FROM users WHERE id = '{me.id}'
        RETURNING id""")[0][0]
    other = new_account(server)
    assert_problem(other.request("POST", f"/api/v1/jobs/{jid}/cancel"), 404,
                   "not-found")
    r = me.request("POST", f"/api/v1/jobs/{jid}/cancel")
    assert r.status == 202 and r.json["status"] == "cancelled", r
    assert_problem(me.request("POST", f"/api/v1/jobs/{jid}/cancel"), 409,
                   "job-ended")
    assert me.get(f"{M}/{mat['id']}").json["status"] == "ready"


# ---- reading, changing, deleting, searching -----------------------------------

def test_a_learners_material_is_hers_alone(server, me):
    m = ready_material(me, title="Mine")
    a = assets(me, m["id"])[0]
    other = new_account(server)
    for path in (f"{M}/{m['id']}", f"{M}/{m['id']}/chunks",
                 f"{M}/{m['id']}/assets", f"/api/v1/assets/{a['id']}"):
        assert_problem(other.get(path), 404, "not-found")
    assert_problem(other.request("PATCH", f"{M}/{m['id']}", {"title": "x"}),
                   404, "not-found")
    assert_problem(other.request("DELETE", f"{M}/{m['id']}"), 404,
                   "not-found")
    assert_problem(other.request("POST", f"/api/v1/assets/{a['id']}/accept"),
                   404, "not-found")
    assert_problem(other.request("PUT", f"/api/v1/assets/{a['id']}/feedback",
                                 {"rating": 1}), 404, "not-found")
    assert_problem(other.request("POST", f"{M}/{m['id']}/sessions",
                                 {"session_type": "study"}), 404, "not-found")
    assert other.get(f"{M}/search?q=DHCP").json["items"] == []
    assert all(x["id"] != m["id"] for x in other.get(M).json["items"])


def test_patch_delete_and_versions(server, me):
    m = ready_material(me, title="Old title")
    r = me.request("PATCH", f"{M}/{m['id']}", {"title": "New title",
                                               "tags": ["dns"],
                                               "subject_area": None})
    assert r.status == 200 and r.json["title"] == "New title", r
    assert r.json["tags"] == ["dns"] and r.json["subject_area"] is None
    assert_problem(me.request("PATCH", f"{M}/{m['id']}", {"title": "x"},
                              {"If-Match": f'"v{m["version"]}"'}), 412,
                   "stale-version")
    assert_invalid(me.request("PATCH", f"{M}/{m['id']}", {"status": "ready"}),
                   "status")
    assert me.request("DELETE", f"{M}/{m['id']}").status == 204
    assert_problem(me.get(f"{M}/{m['id']}"), 404, "not-found")


def test_list_filters_and_pages(server, me):
    ids = [ready_material(me, title=f"Paged {i}", tags=[f"t{i % 2}"])["id"]
           for i in range(3)]
    r = me.get(f"{M}?limit=2")
    assert r.status == 200 and [x["id"] for x in r.json["items"]] == \
        ids[::-1][:2]
    r2 = me.get(f"{M}?limit=2&after={r.json['next']}")
    assert [x["id"] for x in r2.json["items"]][0] == ids[0]
    assert {x["id"] for x in me.get(f"{M}?tag=t1").json["items"]} == {ids[1]}
    assert len(me.get(f"{M}?status=ready").json["items"]) == 3
    assert_invalid(me.get(f"{M}?status=done"), "status")
    assert_invalid(me.get(f"{M}?after=x"), "after")


def test_search_over_materials_and_chunks(server, me):
    m = ready_material(me, title="Searchable")
    r = me.get(f"{M}/search?q=resolver")
    assert r.status == 200, r
    hits = r.json["items"]
    assert any(h["kind"] == "chunk" and h["material_id"] == m["id"]
               for h in hits), hits
    assert "resolver" in " ".join(h["excerpt"] for h in hits).lower()
    assert any(h["kind"] == "material" for h in
               me.get(f"{M}/search?q=Searchable").json["items"])
    assert_invalid(me.get(f"{M}/search"), "q")
    assert me.get(f"{M}?q=resolver").json["items"][0]["id"] == m["id"]


# ---- assets ---------------------------------------------------------------

def test_accepting_a_card_puts_it_in_the_materials_deck(server, me):
    m = ready_material(me, title="Deck source")
    card = next(x for x in assets(me, m["id"], type="flashcard"))
    r = me.request("POST", f"/api/v1/assets/{card['id']}/accept")
    assert r.status == 200 and r.json["status"] == "accepted", r
    assert r.json["note_id"]
    again = me.request("POST", f"/api/v1/assets/{card['id']}/accept")
    assert again.status == 200 and again.json["note_id"] == r.json["note_id"]
    decks = me.get("/api/v1/flashcards/decks").json
    deck = next(d for d in decks if d["title"] == "Cards: Deck source")
    assert deck["cards"] >= 1 and deck["new"] >= 1
    q = me.get(f"/api/v1/flashcards/queue?deck={deck['id']}").json
    assert q["cards"] or q.get("items"), q
    assert_problem(me.request("PATCH", f"/api/v1/assets/{card['id']}",
                              {"content": card["content"]}), 409,
                   "asset-accepted")
    assert_problem(me.request("POST", f"/api/v1/assets/{card['id']}/reject"),
                   409, "asset-accepted")


def test_editing_and_rejecting_assets(server, me):
    m = ready_material(me, title="Edits")
    q = next(x for x in assets(me, m["id"], type="quiz"))
    url = f"/api/v1/assets/{q['id']}"
    bad = dict(q["content"], answer=9)
    p = assert_invalid(me.request("PATCH", url, {"content": bad}),
                       "content.answer")
    bad = dict(q["content"], options=[q["content"]["options"][0]])
    assert_invalid(me.request("PATCH", url, {"content": bad}),
                   "content.options")
    assert_invalid(me.request("PATCH", url, {"content": "text"}), "content")
    good = dict(q["content"], stem="Which is it, in your own words?")
    r = me.request("PATCH", url, {"content": good},
                   {"If-Match": f'"v{q["version"]}"'})
    assert r.status == 200 and r.json["edited"] and \
        r.json["content"]["stem"] == good["stem"], r
    assert_problem(me.request("PATCH", url, {"content": good},
                              {"If-Match": f'"v{q["version"]}"'}), 412,
                   "stale-version")
    r = me.request("POST", f"{url}/reject")
    assert r.status == 200 and r.json["status"] == "rejected"
    assert all(x["id"] != q["id"] for x in assets(me, m["id"], status="ready"))
    r = me.request("POST", f"{url}/reopen")
    assert r.status == 200 and r.json["status"] == "ready"
    del p


def test_feedback_moves_quality_and_hides_an_asset(server, me):
    m = ready_material(me, title="Feedback")
    a = assets(me, m["id"], type="summary")[0]
    url = f"/api/v1/assets/{a['id']}/feedback"
    assert_invalid(me.request("PUT", url, {}), "rating")
    assert_invalid(me.request("PUT", url, {"rating": 6}), "rating")
    assert_invalid(me.request("PUT", url, {"flags": ["boring"]}), "flags")
    r = me.request("PUT", url, {"rating": 5, "comment": "clear"})
    assert r.status == 200 and r.json["quality_score"] > a["quality_score"], r
    assert r.json["my_feedback"]["rating"] == 5
    r = me.request("PUT", url, {"rating": 1, "flags": ["wrong"]})
    # Her word alone, on her own material, hides a wrong asset.
    assert r.json["hidden"] and r.json["quality_score"] < \
        a["quality_score"], r
    assert all(x["id"] != a["id"] or x["hidden"]
               for x in assets(me, m["id"]))
    assert me.request("DELETE", url).status == 204
    assert_problem(me.request("DELETE", url), 404, "not-found")
    assert not me.get(f"/api/v1/assets/{a['id']}").json["hidden"]


def test_generating_again_with_the_builtin_generator(server, me):
    m = ready_material(me, title="Again")
    before = {x["id"] for x in assets(me, m["id"])}
    keep = next(iter(before))
    me.request("POST", f"/api/v1/assets/{keep}/reject")
    r = me.request("POST", f"{M}/{m['id']}/generate",
                   {"types": ["quiz"], "seed": 7, "max_questions": 5})
    assert r.status == 202, r
    m2 = settle(me, m["id"])
    assert m2["job"]["status"] == "succeeded", m2
    quizzes = assets(me, m["id"], type="quiz", status="ready")
    assert 1 <= len(quizzes) <= 5
    assert me.get(f"/api/v1/assets/{keep}").json["status"] == "rejected"
    assert_invalid(me.request("POST", f"{M}/{m['id']}/generate",
                              {"generator": "magic"}), "generator")
    assert_invalid(me.request("POST", f"{M}/{m['id']}/generate",
                              {"types": ["essay"]}), "types")


# ---- a language model -------------------------------------------------------

def test_a_model_that_corrects_itself_is_used(server, me, llm):
    m = ready_material(me, title="Model")
    control(llm, "/control/reset")
    bad = json.dumps({"assets": [{"kind": "basic", "front": "", "back": "x",
                                  "source": [1]}]})
    control(llm, "/control/script", [{"content": "not json"},
                                     {"content": bad}])
    r = me.request("POST", f"{M}/{m['id']}/generate",
                   {"generator": "model", "types": ["flashcard"]})
    assert r.status == 202, r
    m2 = settle(me, m["id"])
    assert m2["job"]["status"] == "succeeded", m2
    made = [x for x in assets(me, m["id"], type="flashcard")
            if x["generation_model"] == "tiny-test-model"]
    assert made, assets(me, m["id"])
    for x in made:
        assert x["source"] and x["source"][0]["text"]
    reqs = control(llm, "/control/requests")
    assert reqs[0]["body"]["model"] == "tiny-test-model"
    assert reqs[0]["body"]["temperature"] == 0
    assert any("not json" in json.dumps(q["body"]) or "JSON" in
               json.dumps(q["body"]) for q in reqs[1:]), reqs


def test_a_model_that_never_answers_well_fails_the_job(server, me, llm):
    m = ready_material(me, title="Bad model", text="SSH uses port 22. "
                       "Telnet uses port 23. DNS uses port 53.")
    control(llm, "/control/reset")
    control(llm, "/control/script", [{"raw": "garbage"}] * 40)
    r = me.request("POST", f"{M}/{m['id']}/generate",
                   {"generator": "model", "types": ["quiz"]})
    assert r.status == 202, r
    jid = me.get(f"{M}/{m['id']}").json["job"]["id"]
    deadline = time.monotonic() + WAIT
    while True:
        job = me.get(f"/api/v1/jobs/{jid}").json
        if job["status"] == "failed":
            break
        if job["status"] == "queued":
            sql(server, f"UPDATE jobs SET run_after = now() WHERE id = '{jid}'")
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert "model" in job["error"] and job["attempts"] == job["max_attempts"]
    assert me.get(f"{M}/{m['id']}").json["status"] == "ready"
    control(llm, "/control/reset")


# ---- studying ---------------------------------------------------------------

def test_a_quiz_session(server, me):
    m = ready_material(me, title="Quiz")
    assert_problem(me.request("POST", f"{M}/{m['id']}/sessions",
                              {"session_type": "quiz"}), 422,
                   "nothing-to-study")
    qs = assets(me, m["id"], type="quiz")[:2]
    for q in qs:
        assert me.request("POST", f"/api/v1/assets/{q['id']}/accept").status \
            == 200
    r = me.request("POST", f"{M}/{m['id']}/sessions", {"session_type": "quiz"})
    assert r.status == 201, r
    s = r.json
    assert len(s["items"]) == 2 and s["status"] == "active"
    for it in s["items"]:
        assert "answer" not in it["content"] and "source" not in it
    url = f"/api/v1/study-sessions/{s['id']}/interactions"
    first, second = s["items"]
    right = next(q for q in qs if q["id"] == first["id"])["content"]["answer"]
    assert_invalid(me.request("POST", url, {"interaction_type": "answer",
                                            "asset_id": first["id"],
                                            "answer": 99}), "answer")
    assert_invalid(me.request("POST", url, {"interaction_type": "answer",
                                            "asset_id": first["id"]}),
                   "answer")
    assert_invalid(me.request("POST", url, {"interaction_type": "answer",
                                            "asset_id": m["id"],
                                            "answer": 0}), "asset_id")
    r = me.request("POST", url, {"interaction_type": "answer",
                                 "asset_id": first["id"], "answer": right,
                                 "response_time_ms": 4000,
                                 "confidence_level": 0.8})
    assert r.status == 201 and r.json["is_correct"] is True, r
    assert r.json["feedback"]["correct_answer"] == right
    assert_problem(me.request("POST", url, {"interaction_type": "answer",
                                            "asset_id": first["id"],
                                            "answer": right}), 409,
                   "answered-already")
    wrong = (next(q for q in qs if q["id"] == second["id"])["content"]
             ["answer"] + 1) % len(second["content"]["options"])
    r = me.request("POST", url, {"interaction_type": "answer",
                                 "asset_id": second["id"], "answer": wrong})
    assert r.json["is_correct"] is False and r.json["completion_percentage"] \
        == 100
    shown = me.get(f"/api/v1/study-sessions/{s['id']}").json
    assert all("answer" in it["content"] for it in shown["items"])
    r = me.request("POST", f"/api/v1/study-sessions/{s['id']}/end")
    assert r.status == 200 and r.json["status"] == "completed", r
    assert_problem(me.request("POST", f"/api/v1/study-sessions/{s['id']}/end"),
                   409, "session-ended")
    assert_problem(me.request("POST", url, {"interaction_type": "view",
                                            "asset_id": first["id"]}), 409,
                   "session-ended")
    # What came of it.
    p = me.get(f"/api/v1/me/material-progress?material={m['id']}").json
    row = p["items"][0]
    assert row["sessions"] == 1 and row["answered"] == 2 and \
        row["correct"] == 1 and row["accuracy"] == 0.5, p
    assert p["materials"][0]["assets_accepted"] >= 2
    # The one got wrong is there to review.
    r = me.request("POST", f"{M}/{m['id']}/sessions",
                   {"session_type": "review"})
    assert r.status == 201 and [i["id"] for i in r.json["items"]] == \
        [second["id"]], r
    other = new_account(server)
    assert_problem(other.get(f"/api/v1/study-sessions/{s['id']}"), 404,
                   "not-found")


def test_a_study_session_of_cards(server, me):
    m = ready_material(me, title="Study")
    r = me.request("POST", f"{M}/{m['id']}/sessions",
                   {"session_type": "study", "limit": 3})
    assert r.status == 201 and len(r.json["items"]) == 3, r
    url = f"/api/v1/study-sessions/{r.json['id']}/interactions"
    card = next((i for i in r.json["items"]
                 if i["asset_type"] == "flashcard"), None)
    summary = next((i for i in r.json["items"]
                    if i["asset_type"] == "summary"), None)
    if card:
        assert me.request("POST", url, {"interaction_type": "reveal",
                                        "asset_id": card["id"]}).status == 201
        assert_invalid(me.request("POST", url, {"interaction_type": "answer",
                                                "asset_id": card["id"],
                                                "answer": 2}), "answer")
        r2 = me.request("POST", url, {"interaction_type": "answer",
                                      "asset_id": card["id"],
                                      "answer": True})
        assert r2.status == 201 and r2.json["is_correct"] is True
    if summary:
        assert_invalid(me.request("POST", url, {"interaction_type": "answer",
                                                "asset_id": summary["id"],
                                                "answer": True}),
                       "interaction_type")
    assert_invalid(me.request("POST", url, {"interaction_type": "click",
                                            "asset_id": r.json["items"][0]
                                            ["id"]}), "interaction_type")
    assert_invalid(me.request("POST", f"{M}/{m['id']}/sessions",
                              {"session_type": "cram"}), "session_type")


# ---- course materials --------------------------------------------------------

def test_course_materials_are_written_by_authors_and_read_by_learners(server):
    ins = sign_in(server, "instructor", DEMO_PW)
    student = new_account(server)
    assert_problem(student.request("POST", M, {"title": "Mine now",
                                               "text": "x",
                                               "course_id": COURSE}), 403,
                   "forbidden")
    r = ins.request("POST", M, {"title": "Course notes", "text": TEXT,
                                "course_id": COURSE})
    assert r.status == 202, r
    m = settle(ins, r.json["id"])
    assert m["role"] == "editor" and m["course_id"] == COURSE
    card = assets(ins, m["id"], type="flashcard")[0]
    quiz = assets(ins, m["id"], type="quiz")[0]
    assert_problem(student.get(f"{M}/{m['id']}"), 404, "not-found")
    assert student.request("POST", f"/api/v1/courses/{COURSE}/enroll").status \
        in (200, 201)
    seen = student.get(f"{M}/{m['id']}")
    assert seen.status == 200 and seen.json["role"] == "learner"
    assert student.get(f"{M}/{m['id']}/assets").json == []
    assert_problem(student.get(f"/api/v1/assets/{quiz['id']}"), 404,
                   "not-found")
    assert ins.request("POST", f"/api/v1/assets/{quiz['id']}/accept").status \
        == 200
    assert ins.request("POST", f"/api/v1/assets/{card['id']}/accept").status \
        == 200
    visible = {x["id"] for x in student.get(f"{M}/{m['id']}/assets").json}
    assert visible == {quiz["id"], card["id"]}
    assert_problem(student.request("PATCH", f"{M}/{m['id']}", {"title": "x"}),
                   403, "forbidden")
    assert_problem(student.request("POST",
                                   f"/api/v1/assets/{quiz['id']}/reject"),
                   403, "forbidden")
    assert student.request("PUT", f"/api/v1/assets/{quiz['id']}/feedback",
                           {"rating": 4}).status == 200
    decks = student.get("/api/v1/flashcards/decks").json
    assert any(d["title"] == "Cards: Course notes" for d in decks)
    r = student.request("POST", f"{M}/{m['id']}/sessions",
                        {"session_type": "quiz"})
    assert r.status == 201 and [i["id"] for i in r.json["items"]] == \
        [quiz["id"]]
    listed = student.get(f"/api/v1/courses/{COURSE}/materials").json
    assert [x["id"] for x in listed] == [m["id"]]
    audit = sql(server, f"""SELECT string_agg(action, ',' ORDER BY action)
        FROM audit_events WHERE entity_id = '{m['id']}'""")[0][0]
    assert "material.created" in audit


# ---- data care ----------------------------------------------------------------

def test_the_daily_maintenance_applies_retention_and_makes_partitions(server):
    """Once a day (and at start), by one server: the next months'
    partitions, then the retention policy, which says what it did."""
    done = server.wait_log(lambda l: l.get("msg") == "retention applied",
                           timeout=WAIT)
    assert done, server.log_text()[-2000:]
    assert {"interactions_deleted", "sessions_archived",
            "audit_partitions_dropped", "metrics_deleted"} <= set(done[0])
    ahead = sql(server, """SELECT count(*) FROM pg_class WHERE relname =
        'interactions_' || to_char(now() + interval '12 months', 'YYYY_MM')""")
    assert ahead == [["1"]]
    assert not server.wait_log(
        lambda l: l.get("msg") == "maintenance step failed", timeout=0)
