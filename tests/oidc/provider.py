#!/usr/bin/python3
"""Minimal OpenID Connect provider for the test suite (loopback only).

Runs with Debian 12's /usr/bin/python3 and only Debian packages:
the standard library, python3-authlib (authlib.jose) and python3-cryptography.

    /usr/bin/python3 tests/oidc/provider.py --port N --client-id ID \
        --client-secret SECRET --redirect-uri URI [--redirect-uri URI2 ...]

Prints "ready" on stdout once listening on 127.0.0.1:N; exits on SIGTERM/SIGINT.
See README.md in this directory for the endpoints and the /control routes.
"""

import argparse
import base64
import hashlib
import hmac
import html
import json
import secrets
import signal
import sys
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from authlib.jose import JsonWebKey, JsonWebSignature

CODE_TTL = 60          # seconds an authorization code stays valid
TOKEN_TTL = 300        # lifetime of ID/access tokens
MAX_BODY = 1 << 20     # refuse request bodies larger than this

DEFECTS = ("forge", "wrong_aud", "wrong_iss", "expired", "future_iat",
           "bad_nonce", "no_nonce", "alg_none", "hs256", "unknown_kid")
ALGS = {"RS256": ("RSA", 2048), "ES256": ("EC", "P-256")}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_bytes(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


class SigningKey:
    """A private signing key (authlib JWK object) with its kid and alg."""

    def __init__(self, alg, kid=None):
        if alg not in ALGS:
            raise ValueError("unsupported alg %r" % alg)
        kty, size = ALGS[alg]
        self.alg = alg
        self.kid = kid or secrets.token_urlsafe(12)
        self.key = JsonWebKey.generate_key(
            kty, size, {"kid": self.kid}, is_private=True)

    def public_jwk(self):
        jwk = self.key.as_dict(is_private=False)
        jwk.update({"kid": self.kid, "use": "sig", "alg": self.alg})
        return jwk

    def sign(self, header, payload):
        jws = JsonWebSignature(algorithms=[self.alg])
        return jws.serialize_compact(header, json_bytes(payload),
                                     self.key).decode("ascii")


class Provider:
    """All mutable state; every access goes through self.lock."""

    def __init__(self, port, client_id, client_secret, redirect_uris):
        self.issuer = "http://127.0.0.1:%d" % port
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris)
        self.lock = threading.Lock()
        self.current = SigningKey("RS256")
        self.published = [self.current]
        self.users = {}            # sub -> user record
        self.codes = {}            # code -> grant dict
        self.defect = None
        self.reset_log()

    def reset_log(self):
        self.counts = {"discovery": 0, "jwks": 0, "token": 0, "end_session": 0}
        self.last_token_request = None
        self.last_token_auth = None
        self.last_end_session = None

    # -- documents -----------------------------------------------------------

    def discovery(self):
        i = self.issuer
        return {
            "issuer": i,
            "authorization_endpoint": i + "/authorize",
            "token_endpoint": i + "/token",
            "jwks_uri": i + "/jwks",
            "end_session_endpoint": i + "/end_session",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported":
                ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
            "grant_types_supported": ["authorization_code"],
        }

    def jwks(self):
        return {"keys": [k.public_jwk() for k in self.published]}

    def rotate(self, alg, keep_old):
        key = SigningKey(alg)
        self.published = [key] + (self.published if keep_old else [])
        self.current = key
        return key.kid

    # -- ID tokens -----------------------------------------------------------

    def make_id_token(self, grant, user, defect):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user["sub"],
            "aud": self.client_id,
            "exp": now + TOKEN_TTL,
            "iat": now,
            "auth_time": grant["auth_time"],
        }
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        for field in ("email", "email_verified", "name", "preferred_username"):
            claims[field] = user[field]

        if defect == "wrong_aud":
            claims["aud"] = "someone-else"
        elif defect == "wrong_iss":
            claims["iss"] = self.issuer + "/evil"
        elif defect == "expired":
            claims["exp"], claims["iat"] = now - 3600, now - 3900
        elif defect == "future_iat":
            claims["iat"], claims["exp"] = now + 3600, now + 4000
        elif defect == "bad_nonce":
            claims["nonce"] = "not-the-nonce"
        elif defect == "no_nonce":
            claims.pop("nonce", None)

        cur = self.current
        if defect == "alg_none":
            header = {"alg": "none", "typ": "JWT"}
            return "%s.%s." % (b64url(json_bytes(header)),
                               b64url(json_bytes(claims)))
        if defect == "hs256":
            # HMAC secret: the compact JSON text of the current key's public
            # JWK (sorted keys, no spaces) -- the classic alg-confusion attack.
            secret = json.dumps(cur.public_jwk(), sort_keys=True,
                                separators=(",", ":")).encode("utf-8")
            header = {"alg": "HS256", "typ": "JWT", "kid": cur.kid}
            signing_input = "%s.%s" % (b64url(json_bytes(header)),
                                       b64url(json_bytes(claims)))
            mac = hmac.new(secret, signing_input.encode("ascii"),
                           hashlib.sha256).digest()
            return signing_input + "." + b64url(mac)
        if defect == "forge":
            rogue = SigningKey(cur.alg, kid=cur.kid)      # unpublished
            return rogue.sign({"alg": cur.alg, "kid": cur.kid, "typ": "JWT"},
                              claims)
        if defect == "unknown_kid":
            rogue = SigningKey(cur.alg)                   # unpublished
            return rogue.sign({"alg": rogue.alg, "kid": rogue.kid,
                               "typ": "JWT"}, claims)
        return cur.sign({"alg": cur.alg, "kid": cur.kid, "typ": "JWT"}, claims)


class HTTPError(Exception):
    def __init__(self, status, body, content_type="text/plain; charset=utf-8",
                 headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}


def json_error(status, error, description=None, headers=None):
    body = {"error": error}
    if description:
        body["error_description"] = description
    return HTTPError(status, json_bytes(body), "application/json", headers)


def text_error(status, message):
    return HTTPError(status, (message + "\n").encode("utf-8"))


def add_query(uri, params):
    """Append params to uri's query, keeping whatever query is already there."""
    parts = urllib.parse.urlsplit(uri)
    extra = urllib.parse.urlencode(params)
    query = parts.query + "&" + extra if parts.query else extra
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def first_values(qs):
    """parse_qs result -> dict of the first value of each field."""
    return {k: v[0] for k, v in qs.items()}


AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "scope",
                    "state", "nonce", "code_challenge", "code_challenge_method")


class Handler(BaseHTTPRequestHandler):
    server_version = "test-oidc-provider/1"
    sys_version = ""
    provider = None   # set by main()

    # -- plumbing ------------------------------------------------------------

    def log_message(self, fmt, *args):
        line = fmt % args
        sys.stderr.write("oidc-provider: %s\n" %
                         line.encode("ascii", "backslashreplace").decode())

    def log_request(self, code="-", size="-"):
        path = self.path.split("?", 1)[0] if isinstance(self.path, str) else "-"
        self.log_message("%s %s %s", self.command, path,
                         getattr(code, "value", code))

    def send(self, status, body=b"", content_type="text/plain; charset=utf-8",
             headers=None):
        self.send_response(status)
        if body or status != 302:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, obj, status=200, headers=None):
        self.send(status, json_bytes(obj), "application/json", headers)

    def redirect(self, location):
        self.send(302, b"", headers={"Location": location,
                                     "Cache-Control": "no-store"})

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            raise text_error(400, "bad Content-Length")
        if n < 0:
            raise text_error(400, "bad Content-Length")
        if n > MAX_BODY:
            raise text_error(413, "request body too large")
        return self.rfile.read(n)

    def read_form(self):
        try:
            text = self.read_body().decode("utf-8")
            return first_values(urllib.parse.parse_qs(
                text, keep_blank_values=True, strict_parsing=False))
        except UnicodeDecodeError:
            raise text_error(400, "form body is not UTF-8")

    def read_json(self):
        body = self.read_body()
        try:
            obj = json.loads(body.decode("utf-8") if body else "{}")
        except (UnicodeDecodeError, ValueError):
            raise json_error(400, "invalid_json", "body is not valid JSON")
        if not isinstance(obj, dict):
            raise json_error(400, "invalid_json", "body must be a JSON object")
        return obj

    def query(self):
        q = urllib.parse.urlsplit(self.path).query
        return first_values(urllib.parse.parse_qs(q, keep_blank_values=True))

    def dispatch(self, routes):
        path = urllib.parse.urlsplit(self.path).path
        try:
            handler = routes.get(path)
            if handler is None:
                known = set(self.GET_ROUTES) | set(self.POST_ROUTES)
                if path in known:
                    raise text_error(405, "method not allowed")
                raise text_error(404, "not found")
            handler(self)
        except HTTPError as e:
            self.send(e.status, e.body, e.content_type, e.headers)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception:
            traceback.print_exc(file=sys.stderr)
            try:
                self.send(500, b"internal error\n")
            except Exception:
                pass

    def do_GET(self):
        self.dispatch(self.GET_ROUTES)

    def do_POST(self):
        self.dispatch(self.POST_ROUTES)

    # -- discovery / keys ----------------------------------------------------

    def get_discovery(self):
        p = self.provider
        with p.lock:
            p.counts["discovery"] += 1
            doc = p.discovery()
        self.send_json(doc)

    def get_jwks(self):
        p = self.provider
        with p.lock:
            p.counts["jwks"] += 1
            doc = p.jwks()
        self.send_json(doc)

    # -- authorization endpoint ----------------------------------------------

    def check_client_redirect(self, params):
        p = self.provider
        if params.get("client_id") != p.client_id:
            raise text_error(400, "unknown client_id")
        if params.get("redirect_uri") not in p.redirect_uris:
            raise text_error(400, "redirect_uri is not registered for this client")

    def error_redirect(self, params, error, description=None):
        out = {"error": error}
        if description:
            out["error_description"] = description
        if params.get("state"):
            out["state"] = params["state"]
        self.redirect(add_query(params["redirect_uri"], out))

    def check_request(self, params):
        """Returns an error description, or None if the request is fine."""
        if params.get("response_type") != "code":
            return "response_type must be code"
        if "openid" not in params.get("scope", "").split():
            return "scope must include openid"
        if not params.get("code_challenge"):
            return "code_challenge is required"
        if params.get("code_challenge_method") != "S256":
            return "code_challenge_method must be S256"
        return None

    def get_authorize(self):
        params = self.query()
        self.check_client_redirect(params)
        problem = self.check_request(params)
        if problem:
            return self.error_redirect(params, "invalid_request", problem)
        with self.provider.lock:
            users = list(self.provider.users.values())
        hidden = "".join(
            '<input type="hidden" name="%s" value="%s">' %
            (name, html.escape(params[name], quote=True))
            for name in AUTHORIZE_PARAMS if name in params)
        forms = []
        for u in users:
            forms.append(
                '<form method="POST" action="/authorize">%s'
                '<input type="hidden" name="user" value="%s">'
                '<button type="submit">Sign in as %s</button></form>'
                % (hidden, html.escape(u["sub"], quote=True),
                   html.escape(u["name"])))
        if not forms:
            forms.append("<p>No users are configured.</p>")
        forms.append('<form method="POST" action="/authorize">%s'
                     '<input type="hidden" name="deny" value="1">'
                     '<button type="submit">Cancel</button></form>' % hidden)
        page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                "<title>Test identity provider</title></head><body>"
                "<h1>Test identity provider</h1>\n%s\n</body></html>\n"
                % "\n".join(forms))
        self.send(200, page.encode("utf-8"), "text/html; charset=utf-8",
                  {"Cache-Control": "no-store"})

    def post_authorize(self):
        params = self.read_form()
        self.check_client_redirect(params)
        if params.get("deny"):
            return self.error_redirect(params, "access_denied")
        problem = self.check_request(params)
        if problem:
            return self.error_redirect(params, "invalid_request", problem)
        p = self.provider
        code = secrets.token_urlsafe(32)
        now = time.time()
        with p.lock:
            if params.get("user") not in p.users:
                raise text_error(400, "unknown user")
            p.codes = {c: g for c, g in p.codes.items()
                       if g["expires"] > now}          # drop stale codes
            p.codes[code] = {
                "client_id": params["client_id"],
                "redirect_uri": params["redirect_uri"],
                "nonce": params.get("nonce") or None,
                "code_challenge": params["code_challenge"],
                "user": params["user"],
                "auth_time": int(now),
                "expires": now + CODE_TTL,
            }
        out = {"code": code}
        if params.get("state"):
            out["state"] = params["state"]
        self.redirect(add_query(params["redirect_uri"], out))

    # -- token endpoint ------------------------------------------------------

    def authenticate_client(self, form):
        """Returns "basic" or "post"; raises invalid_client otherwise."""
        p = self.provider
        auth = self.headers.get("Authorization")
        if auth is not None:
            scheme, _, value = auth.partition(" ")
            bad = json_error(401, "invalid_client", None,
                             {"WWW-Authenticate": 'Basic realm="oidc-provider"',
                              "Cache-Control": "no-store"})
            if scheme.lower() != "basic":
                raise bad
            try:
                decoded = base64.b64decode(value.strip(), validate=True)
                user, sep, password = decoded.decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                raise bad
            if not sep:
                raise bad
            # RFC 6749 2.3.1: both parts are form-urlencoded before encoding.
            cid = urllib.parse.unquote_plus(user)
            secret = urllib.parse.unquote_plus(password)
            if "client_id" in form and form["client_id"] != cid:
                raise bad
            method = "basic"
        else:
            cid = form.get("client_id")
            secret = form.get("client_secret")
            bad = json_error(401, "invalid_client", None,
                             {"Cache-Control": "no-store"})
            if cid is None or secret is None:
                raise bad
            method = "post"
        ok = (hmac.compare_digest(cid.encode(), p.client_id.encode()) and
              hmac.compare_digest(secret.encode(), p.client_secret.encode()))
        if not ok:
            raise bad
        return method

    def post_token(self):
        p = self.provider
        form = self.read_form()
        auth_kind = None
        if self.headers.get("Authorization") is not None:
            auth_kind = "basic"
        elif "client_secret" in form or "client_id" in form:
            auth_kind = "post"
        with p.lock:
            p.counts["token"] += 1
            p.last_token_request = dict(form)
            p.last_token_auth = auth_kind

        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        self.authenticate_client(form)
        if form.get("grant_type") != "authorization_code":
            raise json_error(400, "unsupported_grant_type", None, no_store)

        def invalid_grant(why):
            # The reason goes to the log only; the body is exactly
            # {"error":"invalid_grant"} so tests can compare it verbatim.
            self.log_message("token: invalid_grant: %s", why)
            return json_error(400, "invalid_grant", None, no_store)

        now = time.time()
        with p.lock:
            grant = p.codes.pop(form.get("code", ""), None)   # one-time use
            if grant is None:
                raise invalid_grant("unknown or already used code")
            if grant["expires"] <= now:
                raise invalid_grant("code expired")
            if grant["client_id"] != p.client_id:
                raise invalid_grant("code was issued to another client")
            if form.get("redirect_uri") != grant["redirect_uri"]:
                raise invalid_grant("redirect_uri does not match")
            verifier = form.get("code_verifier", "")
            try:
                digest = hashlib.sha256(verifier.encode("ascii")).digest()
            except UnicodeEncodeError:
                raise invalid_grant("bad code_verifier")
            if not verifier or not hmac.compare_digest(
                    b64url(digest), grant["code_challenge"]):
                raise invalid_grant("PKCE verification failed")
            user = p.users.get(grant["user"])
            if user is None:
                raise invalid_grant("user no longer exists")
            defect, p.defect = p.defect, None
            id_token = p.make_id_token(grant, user, defect)
        self.send_json({
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": TOKEN_TTL,
            "id_token": id_token,
        }, headers=no_store)

    # -- logout --------------------------------------------------------------

    def end_session(self, params):
        p = self.provider
        with p.lock:
            p.counts["end_session"] += 1
            p.last_end_session = dict(params)
        target = params.get("post_logout_redirect_uri")
        if target:
            extra = {"state": params["state"]} if params.get("state") else {}
            return self.redirect(add_query(target, extra) if extra else target)
        self.send(200, b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                  b"<title>Signed out</title></head><body><h1>Signed out</h1>"
                  b"</body></html>\n", "text/html; charset=utf-8")

    def get_end_session(self):
        self.end_session(self.query())

    def post_end_session(self):
        self.end_session(self.read_form())

    # -- test controls -------------------------------------------------------

    def control_users(self):
        body = self.read_json()
        sub = body.get("sub")
        if not isinstance(sub, str) or not sub:
            raise json_error(400, "invalid_request", "sub must be a non-empty string")
        user = {"sub": sub,
                "email": body.get("email", ""),
                "email_verified": body.get("email_verified", False),
                "name": body.get("name", sub),
                "preferred_username": body.get("preferred_username", sub)}
        for field in ("email", "name", "preferred_username"):
            if not isinstance(user[field], str):
                raise json_error(400, "invalid_request", field + " must be a string")
        if not isinstance(user["email_verified"], bool):
            raise json_error(400, "invalid_request", "email_verified must be a boolean")
        with self.provider.lock:
            self.provider.users[sub] = user
        self.send_json({"ok": True})

    def control_next(self):
        body = self.read_json()
        defect = body.get("defect")
        if defect is not None and defect not in DEFECTS:
            raise json_error(400, "invalid_request",
                             "defect must be one of " + ", ".join(DEFECTS))
        with self.provider.lock:
            self.provider.defect = defect
        self.send_json({"ok": True, "defect": defect})

    def control_rotate(self):
        body = self.read_json()
        alg = body.get("alg", "RS256")
        keep_old = body.get("keep_old", False)
        if alg not in ALGS:
            raise json_error(400, "invalid_request", "alg must be RS256 or ES256")
        if not isinstance(keep_old, bool):
            raise json_error(400, "invalid_request", "keep_old must be a boolean")
        with self.provider.lock:
            kid = self.provider.rotate(alg, keep_old)
        self.send_json({"kid": kid})

    def control_log(self):
        p = self.provider
        with p.lock:
            out = dict(p.counts)
            out["last_token_request"] = p.last_token_request
            out["last_token_auth"] = p.last_token_auth
            out["last_end_session"] = p.last_end_session
        self.send_json(out)

    def control_reset(self):
        self.read_body()
        with self.provider.lock:
            self.provider.reset_log()
            self.provider.defect = None
        self.send_json({"ok": True})

    GET_ROUTES = {
        "/.well-known/openid-configuration": get_discovery,
        "/jwks": get_jwks,
        "/authorize": get_authorize,
        "/end_session": get_end_session,
        "/control/log": control_log,
    }
    POST_ROUTES = {
        "/authorize": post_authorize,
        "/token": post_token,
        "/end_session": post_end_session,
        "/control/users": control_users,
        "/control/next": control_next,
        "/control/rotate": control_rotate,
        "/control/reset": control_reset,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description="Test OpenID Connect provider")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--client-secret", required=True)
    ap.add_argument("--redirect-uri", action="append", required=True)
    args = ap.parse_args(argv)

    try:
        server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    except OSError as e:
        sys.stderr.write("oidc-provider: cannot listen on 127.0.0.1:%d: %s\n"
                         % (args.port, e))
        return 1
    server.daemon_threads = True
    port = server.server_address[1]
    Handler.provider = Provider(port, args.client_id, args.client_secret,
                                args.redirect_uri)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    worker = threading.Thread(target=server.serve_forever,
                              kwargs={"poll_interval": 0.1}, daemon=True)
    worker.start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while not stop.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
