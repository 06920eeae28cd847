#!/usr/bin/python3
"""A scripted OpenAI-compatible chat-completions server for the API tests
(src/materials/llm.c is the client).  Python 3 standard library only.

It answers POST /v1/chat/completions on 127.0.0.1 from a script, a queue
of steps set through the control endpoints; once the queue is empty it
answers with valid assets made from the request itself (the sentences the
prompt numbers "[1] ...", one a line), so a test that does not care what
the model says gets something that passes Ludus's checks.

Steps (POST /control/script, a JSON list; each is used once, in order):
    {"status": 200, "content": "<assistant text>", "model": "m"}
    {"content": "...", "finish_reason": "length"}
    {"status": 500}                  an error, OpenAI-style JSON body
    {"status": 429, "body": {...}}   an error with this JSON body
    {"raw": "not json at all"}       this body as is (status 200 unless set)
    {"delay_ms": 3000, ...}          waits first (any step)
Other control endpoints:
    GET  /control/requests   the requests received: [{"method", "path",
                             "headers" (lowercase names), "body" (JSON, or
                             the text when it is not JSON)}]
    POST /control/reset      forgets the script and the requests
    GET  /v1/models          lists the one model, "tiny-test-model"

Command line: llm_server.py [--port N]  (0 or none: a free port) prints
"ready <port>" once it listens, and serves until SIGTERM or SIGINT.
As a module: server, thread = start(port=0); server.port; stop(server).
"""
import argparse
import json
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_MODEL = "tiny-test-model"
SENTENCE = re.compile(r"^\[(\d+)\] (.*)$", re.M)


def sentences_of(messages):
    """The numbered sentences of the first user message that has any."""
    for m in messages:
        if m.get("role") == "user":
            found = SENTENCE.findall(m.get("content") or "")
            if found:
                return [(int(n), s.strip()) for n, s in found]
    return []


def type_of(messages):
    """The asset type asked for, from the shape the system prompt shows."""
    system = " ".join(m.get("content") or "" for m in messages
                      if m.get("role") == "system")
    if '"kind":"basic"' in system or "flashcard" in system:
        return "flashcard"
    if '"options"' in system:
        return "quiz"
    if '"terms"' in system:
        return "key_terms"
    return "summary"


def count_of(messages):
    for m in messages:
        if m.get("role") == "user":
            got = re.search(r"(?:Write|up to) (\d+)", m.get("content") or "")
            if got:
                return max(1, int(got.group(1)))
    return 1


def first_words(text, n=6):
    words = text.split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


def term_kind(word):
    if any(c.isdigit() for c in word):
        return "number"
    if len(word) > 1 and word.isupper():
        return "acronym"
    if word[:1].isupper():
        return "name"
    return "phrase"


def made_up_assets(req):
    """Valid assets (asset.h shapes plus "source") for a request."""
    messages = req.get("messages") or []
    sents = sentences_of(messages) or [(1, "Nothing was given.")]
    kind = type_of(messages)
    count = count_of(messages)
    if kind == "flashcard":
        return [{"kind": "basic", "front": f"What follows \"{first_words(s)}\"?",
                 "back": s, "source": [n]} for n, s in sents[:count]]
    if kind == "quiz":
        return [{"stem": f"Which sentence begins \"{first_words(s, 3)}\"?",
                 "options": [s, "None of the sentences given"],
                 "answer": 0, "explanation": f"Sentence {n} says so.",
                 "source": [n]} for n, s in sents[:count]]
    if kind == "key_terms":
        terms, seen = [], set()
        for _, s in sents:
            for w in re.findall(r"[\w-]{3,}", s):
                if w.lower() not in seen and len(terms) < count:
                    seen.add(w.lower())
                    terms.append({"term": w, "kind": term_kind(w),
                                  "score": 0.5})
        if not terms:
            terms = [{"term": sents[0][1][:100], "kind": "phrase",
                      "score": 0.5}]
        return [{"terms": terms, "source": [sents[0][0]]}]
    return [{"text": " ".join(s for _, s in sents[:2]),
             "source": [n for n, _ in sents[:2]]}]


def completion(content, model, finish="stop"):
    return {
        "id": f"chatcmpl-{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1,
                  "total_tokens": 2},
    }


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.script = []
        self.requests = []

    def reset(self):
        with self.lock:
            self.script = []
            self.requests = []


class Handler(BaseHTTPRequestHandler):
    server_version = "llm-test-server"

    def log_message(self, fmt, *args):
        pass

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, status, body, ctype="application/json"):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)
        self.close_connection = True

    def do_GET(self):
        state = self.server.state
        if self.path == "/control/requests":
            with state.lock:
                self.send(200, list(state.requests))
        elif self.path == "/v1/models":
            self.send(200, {"object": "list", "data": [
                {"id": DEFAULT_MODEL, "object": "model"}]})
        else:
            self.send(404, {"error": {"message": "no such path"}})

    def do_POST(self):
        state = self.server.state
        raw = self.body()
        if self.path == "/control/script":
            try:
                steps = json.loads(raw)
                assert isinstance(steps, list)
                assert all(isinstance(s, dict) for s in steps)
            except (ValueError, AssertionError):
                self.send(400, {"error": "a JSON list of steps, please"})
                return
            with state.lock:
                state.script.extend(steps)
            self.send(200, {"queued": len(steps)})
        elif self.path == "/control/reset":
            state.reset()
            self.send(200, {})
        elif self.path == "/v1/chat/completions":
            self.chat(state, raw)
        else:
            self.send(404, {"error": {"message": "no such path"}})

    def chat(self, state, raw):
        try:
            req = json.loads(raw)
        except ValueError:
            req = None
        with state.lock:
            state.requests.append({
                "method": "POST", "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": req if req is not None else raw.decode("utf-8",
                                                               "replace")})
            step = state.script.pop(0) if state.script else None
        if not isinstance(req, dict):
            self.send(400, {"error": {"message": "the body is not JSON"}})
            return
        model = req.get("model") or DEFAULT_MODEL
        if step is None:
            content = json.dumps({"assets": made_up_assets(req)})
            self.send(200, completion(content, model))
            return
        if step.get("delay_ms"):
            time.sleep(step["delay_ms"] / 1000)
        status = int(step.get("status", 200))
        if "raw" in step:
            self.send(status, step["raw"], "text/plain")
        elif "body" in step:
            self.send(status, step["body"])
        elif "content" in step:
            self.send(status, completion(step["content"],
                                         step.get("model", DEFAULT_MODEL),
                                         step.get("finish_reason", "stop")))
        elif status == 200:
            content = json.dumps({"assets": made_up_assets(req)})
            self.send(200, completion(content, step.get("model", model)))
        else:
            self.send(status, {"error": {
                "message": f"scripted error {status}",
                "type": "server_error" if status >= 500 else
                "invalid_request_error"}})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), Handler)
        self.state = State()
        self.port = self.server_address[1]


def start(port=0):
    """A server on 127.0.0.1:port (0: any free port), serving in a thread."""
    server = Server(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def stop(server, thread=None):
    server.shutdown()
    server.server_close()
    if thread is not None:
        thread.join(timeout=5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    server, thread = start(args.port)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    print(f"ready {server.port}", flush=True)
    done.wait()
    stop(server, thread)
    return 0


if __name__ == "__main__":
    sys.exit(main())
