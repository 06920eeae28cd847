"""Forums, from the moderators' side: who may call each forum route (an
authorization matrix over every route of src/community/routes.c); pins,
locks, hiding with a reason, moving between categories, each in the audit
trail; flags, the auto-hide at the organization's number and the queue
that settles them; trust levels and the daily limits they lift; the
organization's forum rules; categories; many members at once; and a long
thread read a page at a time in either order.

Each test runs in an organization of its own (new_org), so that the rules
it changes (forum_settings) touch nothing else; the matrix's callers share
one.
"""
import threading
import types
import uuid

import pytest

from support import (assert_invalid, assert_problem, new_account, new_org,
                     sql, uniq)
from test_forum import F, count, general, reply, thread, trusted
from test_reviews import published_course

# Limits no test meets unless it means to (forum_settings maxima).
NO_LIMITS = {f"{level}{what}_a_day": 10000 for level in ("tl0_", "tl1_", "")
             for what in ("posts", "likes", "flags")}


# ---- an organization with a course forum ------------------------------------

def world(server, **rules):
    """A fresh organization: its admin (content.all, org.manage,
    user.manage), an instructor (owner of a published course), the course
    and its forum's first category; rules are set with PATCH
    /forum/settings as the admin."""
    slug = new_org(server, "forum")
    admin = new_account(server, "admin", org=slug)
    owner = new_account(server, "instructor", org=slug)
    if rules:
        r = admin.request("PATCH", f"{F}/settings", rules)
        assert r.status == 200, r
    course = published_course(owner)
    w = types.SimpleNamespace(slug=slug, admin=admin, owner=owner,
                              course=course)
    w.cat = general(owner, course)
    return w


def learner(server, w, enroll=True):
    """A learner of the world's organization, enrolled in its course (or
    not)."""
    who = new_account(server, org=w.slug)
    if enroll:
        r = who.request("POST", f"/api/v1/courses/{w.course}/enroll")
        assert r.status in (200, 201), r
    return who


def stranger(server):
    """The admin of another organization."""
    return new_account(server, "admin", org=new_org(server, "far"))


def category(who, course, name=None, **extra):
    r = who.request("POST", f"{F}/categories",
                    dict({"course_id": course, "name": name or uniq("Cat")},
                         **extra))
    assert r.status == 201, r
    return r.json


def moderate(who, tid, action, kind="thread", **extra):
    return who.request("POST", f"{F}/{'threads' if kind == 'thread' else 'replies'}"
                       f"/{tid}/moderate", dict({"action": action}, **extra))


def flag(who, tid, kind="threads", reason="spam"):
    return who.request("POST", f"{F}/{kind}/{tid}/flag", {"reason": reason})


def audit(server, entity):
    """The audit actions about an entity, oldest first."""
    return [a[0] for a in sql(server, f"SELECT action FROM audit_events "
                                      f"WHERE entity_id = '{entity}' "
                                      f"ORDER BY occurred_at, id")]


def threads_of(who, cat, query=""):
    r = who.get(f"{F}/categories/{cat}/threads{query}")
    assert r.status == 200, r
    return r.json


def categories(who, course):
    r = who.get(f"{F}?course={course}")
    assert r.status == 200, r
    return {c["id"]: c for c in r.json["categories"]}


def queue(who, status=None):
    r = who.get(f"{F}/flags" + (f"?status={status}" if status else ""))
    assert r.status == 200, r
    return r.json["items"]


def body(r):
    """A response's JSON document; a failure naming the body if it is not
    JSON."""
    try:
        return r.json
    except ValueError:
        pytest.fail(f"{r.status} with a body that is not JSON: {r.body!r}")


def in_parallel(calls):
    """Runs each call in a thread of its own, all at once: their results,
    in order."""
    results = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(i, fn):
        gate.wait()
        results[i] = fn()

    workers = [threading.Thread(target=run, args=(i, fn))
               for i, fn in enumerate(calls)]
    for x in workers:
        x.start()
    for x in workers:
        x.join()
    return results


# ---- 1. the authorization matrix --------------------------------------------
#
# Who calls (the table's columns), for a thread started by `author` in a
# course forum:
#   auth  author    the thread's author, a learner enrolled in the course
#   lrnr  learner   another enrolled learner
#   outs  outsider  a learner of the organization not enrolled in the course
#   ownr  owner     the course's instructor (a moderator of its forum)
#   admn  admin     an admin of the organization (content.all, org.manage,
#                   user.manage: moderates every forum)
#   far   foreign   the admin of another organization
#
# Refusals: 404 to whoever may not read the forum (nothing leaks), 403 to
# a member who may read it but not do that (README: "A learner who tries
# to change it gets 403; anyone else, 404").
#
# Placeholders: {course}; {cat} its forum's first category; {cat2} a second
# category; {t} a thread by author; {r} author's reply in it; {r2} another
# learner's reply in it; {flag} a flag (by a third learner) on a thread of
# author's; {author_id}; {name} a new name; {word} a word said in {t}.

ROLES = ("author", "learner", "outsider", "owner", "admin", "foreign")

NEW_CATEGORY = {"course_id": "{course}", "name": "{name}"}
NEW_THREAD = {"title": "T", "body": "B"}
HIDE = {"action": "hide", "reason": "Rude"}
DESCRIBE = {"description": "Changed"}

MATRIX = [
    # method  path                          body                     auth lrnr outs ownr admn far
    ("GET",   "/forums",                    None,                    200, 200, 200, 200, 200, 200),
    ("GET",   "",                           None,                    200, 200, 200, 200, 200, 200),
    ("GET",   "?course={course}",           None,                    200, 200, 404, 200, 200, 404),
    ("POST",  "/categories",                NEW_CATEGORY,            403, 403, 404, 201, 201, 404),
    ("PATCH", "/categories/{cat2}",         DESCRIBE,                403, 403, 404, 200, 200, 404),
    ("DELETE", "/categories/{cat2}",         None,                    403, 403, 404, 204, 204, 404),
    ("GET",   "/categories/{cat}/threads",  None,                    200, 200, 404, 200, 200, 404),
    ("POST",  "/categories/{cat}/threads",  NEW_THREAD,              201, 201, 404, 201, 201, 404),
    ("PUT",   "/categories/{cat}/watch",    {"watching": True},      200, 200, 404, 200, 200, 404),
    ("DELETE", "/categories/{cat}/watch",    None,                    200, 200, 404, 200, 200, 404),
    ("GET",   "/threads/{t}",               None,                    200, 200, 404, 200, 200, 404),
    ("PATCH", "/threads/{t}",               {"body": "Edited"},      200, 403, 404, 200, 200, 404),
    ("DELETE", "/threads/{t}",               None,                    204, 403, 404, 204, 204, 404),
    ("GET",   "/threads/{t}/replies",       None,                    200, 200, 404, 200, 200, 404),
    ("POST",  "/threads/{t}/replies",       {"body": "Me too"},      201, 201, 404, 201, 201, 404),
    ("GET",   "/threads/{t}/revisions",     None,                    200, 200, 404, 200, 200, 404),
    ("POST",  "/threads/{t}/like",          None,                    403, 200, 404, 200, 200, 404),
    ("DELETE", "/threads/{t}/like",          None,                    403, 200, 404, 200, 200, 404),
    ("POST",  "/threads/{t}/accept",        {"reply_id": "{r2}"},    200, 403, 404, 200, 200, 404),
    ("DELETE", "/threads/{t}/accept",        None,                    200, 403, 404, 200, 200, 404),
    ("PUT",   "/threads/{t}/watch",         {"watching": False},     200, 200, 404, 200, 200, 404),
    ("DELETE", "/threads/{t}/watch",         None,                    200, 200, 404, 200, 200, 404),
    ("POST",  "/threads/{t}/read",          {"upto": 0},             200, 200, 404, 200, 200, 404),
    ("POST",  "/threads/{t}/flag",          {"reason": "spam"},      403, 201, 404, 201, 201, 404),
    ("POST",  "/threads/{t}/moderate",      {"action": "pin"},       403, 403, 404, 200, 200, 404),
    ("GET",   "/replies/{r}",               None,                    200, 200, 404, 200, 200, 404),
    ("PATCH", "/replies/{r}",               {"body": "Edited"},      200, 403, 404, 200, 200, 404),
    ("DELETE", "/replies/{r}",               None,                    204, 403, 404, 204, 204, 404),
    ("GET",   "/replies/{r}/revisions",     None,                    200, 200, 404, 200, 200, 404),
    ("POST",  "/replies/{r}/like",          None,                    403, 200, 404, 200, 200, 404),
    ("DELETE", "/replies/{r}/like",          None,                    403, 200, 404, 200, 200, 404),
    ("POST",  "/replies/{r}/flag",          {"reason": "off_topic"}, 403, 201, 404, 201, 201, 404),
    ("POST",  "/replies/{r}/moderate",      HIDE,                    403, 403, 404, 200, 200, 404),
    ("GET",   "/search?q={word}",           None,                    200, 200, 200, 200, 200, 200),
    ("GET",   "/flags",                     None,                    200, 200, 200, 200, 200, 200),
    ("POST",  "/flags/{flag}/resolve",      {"decision": "dismiss"}, 404, 404, 404, 200, 200, 404),
    ("GET",   "/members/me",                None,                    200, 200, 200, 200, 200, 200),
    ("PUT",   "/members/{author_id}/trust", {"trust_level": 1},      403, 403, 403, 403, 200, 404),
    ("GET",   "/settings",                  None,                    403, 403, 403, 403, 200, 200),
    ("PATCH", "/settings",                  {"flags_to_hide": 3},    403, 403, 403, 403, 200, 200),
]


@pytest.fixture(scope="module")
def cast(server):
    """The organization and the six callers of the matrix."""
    w = world(server, **NO_LIMITS)
    w.author = learner(server, w)
    w.learner = learner(server, w)
    w.flagger = learner(server, w)
    w.outsider = learner(server, w, enroll=False)
    w.foreign = stranger(server)
    return w


class Scene(dict):
    """The objects a matrix row names, made fresh for each call (a call may
    delete them), only when named."""

    def __init__(self, w):
        super().__init__()
        self.w = w

    def __missing__(self, key):
        w = self.w
        make = {
            "course": lambda: w.course,
            "cat": lambda: w.cat,
            "cat2": lambda: category(w.owner, w.course)["id"],
            "word": lambda: self["_t"]["word"],
            "t": lambda: self["_t"]["id"],
            "r": lambda: reply(w.author, self["t"], "Mine")["id"],
            "r2": lambda: reply(w.learner, self["t"], "Answer")["id"],
            "flag": lambda: self._flag(),
            "author_id": lambda: w.author.id,
            "name": lambda: uniq("Cat"),
            "_t": lambda: self._thread(),
        }[key]
        self[key] = make()
        return self[key]

    def _thread(self):
        word = "quokka" + uuid.uuid4().hex[:8]
        t = thread(self.w.author, self.w.cat, f"About {word}",
                   f"What is {word}?")
        return {"id": t["id"], "word": word}

    def _flag(self):
        t = thread(self.w.author, self.w.cat, "Flag me", "Spam?")
        r = flag(self.w.flagger, t["id"])
        assert r.status == 201, r
        return r.json["id"]


def fill(value, scene):
    if isinstance(value, str):
        return value.format_map(scene)
    if isinstance(value, dict):
        return {k: fill(v, scene) for k, v in value.items()}
    return value


@pytest.mark.parametrize("row", MATRIX, ids=[f"{m} {p or '/'}" for m, p, *_
                                             in MATRIX])
def test_who_may_call_each_forum_route(server, cast, row):
    method, path, body, *codes = row
    want = dict(zip(ROLES, codes))
    got = {}
    for role in ROLES:
        scene = Scene(cast)
        url = ("/api/v1/forums" if path == "/forums"
               else F + fill(path, scene))
        r = getattr(cast, role).request(method, url, fill(body, scene))
        got[role] = r.status
        if r.status >= 400:
            # A refusal is a problem document, never a 500 in disguise.
            assert r.header("Content-Type") == "application/problem+json", r
    assert got == want, f"{method} {path}"


def test_the_matrix_names_every_forum_route():
    """A forum route added later must be added to the matrix too."""
    import pathlib
    import re
    src = (pathlib.Path(__file__).resolve().parents[2] / "src" / "community"
           / "routes.c").read_text()
    token = r'[A-Z]\w*|"[^"]*"'
    defs = {m.group(1): re.findall(token, m.group(2)) for m in
            re.finditer(r"^#define (\w+) (.*)$", src, re.M)}

    def text(parts):
        return "".join(p.strip('"') if p.startswith('"') else text(defs[p])
                       for p in parts)
    routes = set()
    for m in re.finditer(r'\{"(GET|POST|PUT|PATCH|DELETE)",\s*((?:(?:%s)\s*)+),'
                         % token, src):
        path = text(re.findall(token, m.group(2))).replace("/api/v1", "")
        if path.startswith("/forum"):
            routes.add((m.group(1), path))
    named = set()
    for method, path, *_ in MATRIX:
        p = "/forums" if path == "/forums" else "/forum" + path.split("?")[0]
        named.add((method, re.sub(r"\{(?:cat2?|t|r2?|flag|author_id)\}",
                                  "{id}", p)))
    assert len(routes) > 30, sorted(routes)
    assert routes == named, (routes - named, named - routes)


def test_nothing_leaks_to_those_outside_the_course_or_the_organization(
        server, cast):
    w = cast
    scene = Scene(w)
    tid, word = scene["t"], scene["word"]
    assert flag(w.learner, tid).status == 201
    # Lists: the course's forum is the enrolled learners' and the staff's.
    for who, sees in ((w.author, True), (w.outsider, False),
                      (w.foreign, False), (w.owner, True), (w.admin, True)):
        listed = who.get("/api/v1/forums").json["items"]
        assert (w.course in [f["course_id"] for f in listed]) == sees
        hits = who.get(f"{F}/search?q={word}").json["items"]
        assert ([h["post_id"] for h in hits] == [tid]) == sees, hits
    # The queue is the moderators'.
    for who, sees in ((w.author, False), (w.learner, False),
                      (w.outsider, False), (w.foreign, False),
                      (w.owner, True), (w.admin, True)):
        ids = [x["post_id"] for x in queue(who)]
        assert (tid in ids) == sees
    # The other organization's general forum is its own.
    mine = {c["id"] for c in w.author.get(F).json["categories"]}
    theirs = {c["id"] for c in w.foreign.get(F).json["categories"]}
    assert mine and theirs and not mine & theirs
    # A 404 says nothing of what is there.
    r = w.foreign.get(f"{F}/threads/{tid}")
    assert word not in r.body.decode()
    # Its admin changes its rules, not ours.
    before = w.admin.get(f"{F}/settings").json["tl2_replies"]
    assert w.foreign.request("PATCH", f"{F}/settings",
                             {"tl2_replies": before + 7}).status == 200
    assert w.admin.get(f"{F}/settings").json["tl2_replies"] == before
    assert_problem(w.foreign.request("PUT", f"{F}/members/{w.author.id}/trust",
                                     {"trust_level": 3}), 404, "not-found")


# ---- 2. moderation -----------------------------------------------------------

def test_a_pinned_thread_comes_first_in_its_category(server):
    w = world(server)
    me = learner(server, w)
    old = thread(me, w.cat, "Oldest")
    mid = thread(me, w.cat, "Middle")
    new = thread(me, w.cat, "Newest")
    ids = [x["id"] for x in threads_of(me, w.cat)["items"]]
    assert ids == [new["id"], mid["id"], old["id"]]
    r = moderate(w.owner, old["id"], "pin")
    assert r.status == 200 and r.json["pinned"], r
    items = threads_of(me, w.cat)["items"]
    assert [x["id"] for x in items] == [old["id"], new["id"], mid["id"]]
    assert [x["pinned"] for x in items] == [True, False, False]
    # Page by page, the same order, each once.
    seen, after = [], None
    while True:
        doc = threads_of(me, w.cat, "?limit=1" + (f"&after={after}"
                                                  if after else ""))
        seen += [x["id"] for x in doc["items"]]
        after = doc["next"]
        if after is None:
            break
    assert seen == [old["id"], new["id"], mid["id"]]
    # Activity does not beat a pin; unpinned, activity orders again.
    reply(me, mid["id"], "Bump")
    assert [x["id"] for x in threads_of(me, w.cat)["items"]][:2] == [
        old["id"], mid["id"]]
    assert moderate(w.owner, old["id"], "unpin").status == 200
    assert [x["id"] for x in threads_of(me, w.cat)["items"]] == [
        mid["id"], new["id"], old["id"]]
    assert audit(server, old["id"]) == ["forum_thread.pin",
                                        "forum_thread.unpin"]


def test_a_locked_thread_takes_replies_from_moderators_only(server):
    w = world(server)
    me, you = learner(server, w), learner(server, w)
    t = thread(me, w.cat)
    a = reply(you, t["id"], "Before the lock")
    r = moderate(w.owner, t["id"], "lock")
    assert r.status == 200 and r.json["locked"], r
    for who in (me, you):
        assert_problem(who.request("POST", f"{F}/threads/{t['id']}/replies",
                                   {"body": "Still?"}), 409, "thread-locked")
        assert_problem(who.request("POST", f"{F}/threads/{t['id']}/replies",
                                   {"body": "Under", "parent_id": a["id"]}),
                       409, "thread-locked")
    assert_problem(me.request("PATCH", f"{F}/threads/{t['id']}",
                              {"body": "Sneaky edit"}), 409, "thread-locked")
    # Staff still answer; the thread reads as locked.
    reply(w.owner, t["id"], "Closing: see the FAQ.")
    reply(w.admin, t["id"], "Agreed.")
    head = me.get(f"{F}/threads/{t['id']}").json["thread"]
    assert head["locked"] and head["replies"] == 3
    assert moderate(w.owner, t["id"], "unlock").status == 200
    reply(you, t["id"], "Open again")
    assert audit(server, t["id"]) == ["forum_thread.lock",
                                      "forum_thread.unlock"]


def test_hiding_needs_a_reason_and_hides_from_other_members_only(server):
    w = world(server)
    me, you = learner(server, w), learner(server, w)
    t = thread(me, w.cat, "Rant", "You are all wrong")
    url = f"{F}/threads/{t['id']}"
    assert_invalid(moderate(w.owner, t["id"], "hide"), "reason")
    assert_invalid(moderate(w.owner, t["id"], "hide", reason="  "), "reason")
    assert_invalid(moderate(w.owner, t["id"], "shout"), "action")
    assert audit(server, t["id"]) == []
    assert flag(you, t["id"]).status == 201
    r = moderate(w.owner, t["id"], "hide", reason="Be kind")
    assert r.status == 200, r
    assert r.json["hidden"] and r.json["hidden_reason"] == "Be kind"
    # Others: gone.
    assert_problem(you.get(url), 404, "not-found")
    assert t["id"] not in [x["id"] for x in threads_of(you, w.cat)["items"]]
    # Its author sees it, and why; so do the moderators.
    for who in (me, w.owner, w.admin):
        head = who.get(url).json["thread"]
        assert head["hidden"] and head["hidden_reason"] == "Be kind"
        assert head["body"] == "You are all wrong"
        assert t["id"] in [x["id"] for x in threads_of(who, w.cat)["items"]]
    # The open flag was settled with it.
    assert queue(w.owner) == []
    assert [x["post_id"] for x in queue(w.owner, "agreed")] == [t["id"]]
    # Its author was told why.
    n = [x for x in me.get("/api/v1/me/notifications?limit=200").json[
        "items"] if x["kind"] == "forum_moderated"]
    assert len(n) == 1 and n[0]["body"] == "Be kind"
    r = moderate(w.owner, t["id"], "unhide")
    assert r.status == 200 and not r.json["hidden"], r
    assert r.json["hidden_reason"] is None
    assert you.get(url).status == 200
    rows = sql(server, f"SELECT action, actor_user_id, new_values->>'reason' "
                       f"FROM audit_events WHERE entity_id = '{t['id']}' "
                       f"ORDER BY occurred_at, id")
    assert rows == [["forum_thread.hide", w.owner.id, "Be kind"],
                    ["forum_thread.unhide", w.owner.id, ""]]


# What another member may try on a hidden thread: each answers 404, as for
# a thread that is not there.
HIDDEN_ROUTES = [
    ("GET", "", None), ("GET", "/replies", None), ("GET", "/revisions", None),
    ("PATCH", "", {"body": "x"}), ("DELETE", "", None),
    ("POST", "/replies", {"body": "x"}), ("POST", "/like", None),
    ("DELETE", "/like", None), ("POST", "/flag", {"reason": "spam"}),
    ("POST", "/accept", {"reply_id": "{r}"}), ("DELETE", "/accept", None),
    ("PUT", "/watch", {"watching": True}), ("DELETE", "/watch", None),
    ("POST", "/read", {"upto": 1}), ("POST", "/moderate", {"action": "pin"}),
]


def test_a_hidden_thread_is_not_there_for_other_members(server):
    w = world(server)
    me, you = learner(server, w), learner(server, w)
    t = thread(me, w.cat, "Hidden", "Shh")
    a = reply(me, t["id"], "My own answer")
    assert moderate(w.admin, t["id"], "hide", reason="Spam").status == 200
    got = {}
    for method, path, body in HIDDEN_ROUTES:
        body = {k: (a["id"] if v == "{r}" else v)
                for k, v in body.items()} if body else None
        r = you.request(method, f"{F}/threads/{t['id']}{path}", body)
        got[f"{method} {path or '/'}"] = r.status
    for method, path in (("GET", ""), ("GET", "/revisions"),
                         ("POST", "/like")):
        r = you.request(method, f"{F}/replies/{a['id']}{path}")
        got[f"{method} reply{path}"] = r.status
    assert {k: v for k, v in got.items() if v != 404} == {}
    # Nothing of the member's stayed behind.
    assert count(server, f"SELECT count(*) FROM forum_watches WHERE user_id "
                         f"= '{you.id}'") == 0
    assert count(server, f"SELECT count(*) FROM forum_reads WHERE user_id "
                         f"= '{you.id}'") == 0


def test_hidden_replies_keep_their_place_without_their_text(server):
    w = world(server)
    me, you, third = (learner(server, w), learner(server, w),
                      learner(server, w))
    t = thread(me, w.cat)
    a = reply(you, t["id"], "Rude words")
    reply(third, t["id"], "Fine words")
    assert_invalid(moderate(w.owner, a["id"], "pin", kind="reply"), "action")
    assert_invalid(moderate(w.owner, a["id"], "hide", kind="reply"), "reason")
    assert_problem(moderate(me, a["id"], "hide", kind="reply",
                            reason="Mine to hide?"), 403, "forbidden")
    assert me.request("POST", f"{F}/threads/{t['id']}/accept",
                      {"reply_id": a["id"]}).status == 200
    r = moderate(w.owner, a["id"], "hide", kind="reply", reason="Rude")
    assert r.status == 200 and r.json["hidden"], r
    assert me.get(f"{F}/threads/{t['id']}").json["thread"][
        "accepted_reply_id"] is None
    items = third.get(f"{F}/threads/{t['id']}/replies").json["items"]
    assert [x["n"] for x in items] == [1, 2]
    assert items[0]["hidden"] and items[0]["body"] is None
    assert items[0]["hidden_reason"] is None
    mine = you.get(f"{F}/threads/{t['id']}/replies").json["items"][0]
    assert mine["body"] == "Rude words" and mine["hidden_reason"] == "Rude"
    assert third.get(f"{F}/threads/{t['id']}").json["thread"]["replies"] == 1
    assert_problem(third.request("POST", f"{F}/replies/{a['id']}/like"), 404,
                   "not-found")
    assert moderate(w.owner, a["id"], "unhide", kind="reply").status == 200
    assert third.get(f"{F}/threads/{t['id']}").json["thread"]["replies"] == 2
    assert audit(server, a["id"]) == ["forum_reply.hide",
                                      "forum_reply.unhide"]


def test_moving_a_thread_between_categories_the_moderator_runs(server):
    w = world(server)
    me = learner(server, w)
    qa = category(w.owner, w.course, "Questions", kind="qa")
    t = thread(me, w.cat, "Wrong place")
    thread(me, w.cat, "Stays")
    cats = categories(me, w.course)
    assert (cats[w.cat]["threads"], cats[qa["id"]]["threads"]) == (2, 0)
    assert_invalid(moderate(w.owner, t["id"], "move"), "category_id")
    assert_problem(moderate(me, t["id"], "move", category_id=qa["id"]), 403,
                   "forbidden")
    r = moderate(w.owner, t["id"], "move", category_id=qa["id"])
    assert r.status == 200 and r.json["category_id"] == qa["id"], r
    cats = categories(me, w.course)
    assert (cats[w.cat]["threads"], cats[qa["id"]]["threads"]) == (1, 1)
    assert [x["id"] for x in threads_of(me, qa["id"])["items"]] == [t["id"]]
    assert t["id"] not in [x["id"] for x in threads_of(me, w.cat)["items"]]
    assert me.get(f"{F}/threads/{t['id']}").json["category"]["id"] == qa["id"]
    row = sql(server, f"SELECT new_values->>'category_id', "
                      f"new_values->>'from_category_id' FROM audit_events "
                      f"WHERE entity_id = '{t['id']}' AND action = "
                      f"'forum_thread.move'")
    assert row == [[qa["id"], w.cat]]
    # Not to a category of a course the instructor does not write, nor to
    # the general forum (content.all's), nor to another organization's.
    other_owner = new_account(server, "instructor", org=w.slug)
    elsewhere = general(other_owner, published_course(other_owner))
    general_forum = me.get(F).json["categories"][0]["id"]
    far = stranger(server).get(F).json["categories"][0]["id"]
    for target in (elsewhere, general_forum, far, str(uuid.uuid4())):
        assert_invalid(moderate(w.owner, t["id"], "move", category_id=target),
                       "category_id")
    assert me.get(f"{F}/threads/{t['id']}").json["category"]["id"] == qa["id"]
    # The organization's admin moderates every forum: to the general one.
    assert moderate(w.admin, t["id"], "move",
                    category_id=general_forum).status == 200
    assert categories(me, w.course)[qa["id"]]["threads"] == 0
    assert audit(server, t["id"]) == ["forum_thread.move",
                                      "forum_thread.move"]


def test_staff_deleting_a_post_is_audited_an_author_deleting_is_not(server):
    w = world(server)
    me = learner(server, w)
    mine, theirs = thread(me, w.cat, "Mine"), thread(me, w.cat, "Theirs")
    assert me.request("DELETE", f"{F}/threads/{mine['id']}").status == 204
    assert w.owner.request("DELETE",
                           f"{F}/threads/{theirs['id']}").status == 204
    assert audit(server, mine["id"]) == []
    assert audit(server, theirs["id"]) == ["forum_thread.deleted"]


# ---- 3. flags ----------------------------------------------------------------

def test_flags_once_each_never_ones_own_and_enough_of_them_hide(server):
    w = world(server, flags_to_hide=2)
    me, a, b, c = (learner(server, w) for _ in range(4))
    t = thread(me, w.cat, "Buy now", "Cheap certificates")
    url = f"{F}/threads/{t['id']}"
    assert_problem(flag(me, t["id"]), 403, "forbidden")
    r = flag(a, t["id"])
    assert r.status == 201 and r.json["status"] == "open", r
    assert r.json["hidden"] is False
    assert_problem(flag(a, t["id"], reason="inappropriate"), 409,
                   "already-flagged")
    assert c.get(url).status == 200
    # The second member's flag reaches the organization's number.
    r = flag(b, t["id"])
    assert r.status == 201 and r.json["hidden"] is True, r
    assert_problem(c.get(url), 404, "not-found")
    assert_problem(flag(c, t["id"]), 404, "not-found")
    head = me.get(url).json["thread"]
    assert head["hidden"] and "flags from 2 members" in head["hidden_reason"]
    # The staff's queue holds it, with both flags; the learners' is empty.
    (item,) = [x for x in queue(w.owner) if x["post_id"] == t["id"]]
    assert item["kind"] == "thread" and item["hidden"]
    assert [f["by"] for f in item["flags"]] == [a.user["username"],
                                                b.user["username"]]
    assert [x["post_id"] for x in queue(w.admin)] == [t["id"]]
    for who in (me, a, b, c):
        assert queue(who) == []
        assert_problem(who.request("POST", f"{F}/flags/{item['flag_id']}"
                                   "/resolve", {"decision": "dismiss"}), 404,
                       "not-found")
    # Dismissed: shown again, out of the open queue, in the dismissed one.
    assert_invalid(w.owner.request("POST", f"{F}/flags/{item['flag_id']}"
                                   "/resolve", {"decision": "ignore"}),
                   "decision")
    r = w.owner.request("POST", f"{F}/flags/{item['flag_id']}/resolve",
                        {"decision": "dismiss"})
    assert r.status == 200 and r.json == {"resolved": 2,
                                          "decision": "dismiss"}, r
    assert c.get(url).status == 200
    assert not c.get(url).json["thread"]["hidden"]
    assert queue(w.owner) == []
    assert [x["post_id"] for x in queue(w.owner, "dismissed")] == [t["id"]]
    assert_problem(w.owner.request("POST", f"{F}/flags/{item['flag_id']}"
                                   "/resolve", {"decision": "agree"}), 409,
                   "already-resolved")
    assert audit(server, t["id"]) == ["forum_flag.dismissed"]
    assert_invalid(w.owner.get(f"{F}/flags?status=pending"), "status")


def test_agreeing_with_flags_keeps_the_post_hidden(server):
    w = world(server, flags_to_hide=2)
    me, a, b, c = (learner(server, w) for _ in range(4))
    t = thread(me, w.cat)
    rp = reply(me, t["id"], "Spam spam spam")
    assert flag(a, rp["id"], "replies").status == 201
    assert flag(b, rp["id"], "replies").json["hidden"] is True
    (item,) = queue(w.admin)
    assert item["kind"] == "reply" and item["reply_id"] == rp["id"]
    assert item["post_id"] == t["id"] and item["n"] == 1
    r = w.admin.request("POST", f"{F}/flags/{item['flag_id']}/resolve",
                        {"decision": "agree"})
    assert r.status == 200 and r.json["resolved"] == 2, r
    items = c.get(f"{F}/threads/{t['id']}/replies").json["items"]
    assert items[0]["hidden"] and items[0]["body"] is None
    assert [x["reply_id"] for x in queue(w.owner, "agreed")] == [rp["id"]]
    assert queue(w.owner) == []
    assert audit(server, rp["id"]) == ["forum_flag.agreed"]
    assert count(server, f"SELECT count(*) FROM forum_replies WHERE id = "
                         f"'{rp['id']}' AND hidden_by = '{w.admin.id}'") == 1


def test_the_queue_holds_only_the_forums_i_moderate(server):
    w = world(server, flags_to_hide=5)
    me, a = learner(server, w), learner(server, w)
    # Another instructor: the author of course B, a learner of course A.
    other = new_account(server, "instructor", org=w.slug)
    other_course = published_course(other)
    assert other.request("POST",
                         f"/api/v1/courses/{w.course}/enroll").status in (
        200, 201)
    assert a.request("POST",
                     f"/api/v1/courses/{other_course}/enroll").status in (
        200, 201)
    in_a = thread(me, w.cat, "In course A")
    in_b = thread(a, general(other, other_course), "In course B")
    in_general = thread(a, me.get(F).json["categories"][0]["id"],
                        "In general")
    assert flag(other, in_a["id"]).status == 201
    assert flag(me, in_general["id"]).status == 201
    assert flag(w.owner, in_b["id"]).status == 404  # not his course
    b_learner = learner(server, w, enroll=False)
    assert b_learner.request(
        "POST", f"/api/v1/courses/{other_course}/enroll").status in (200, 201)
    assert flag(b_learner, in_b["id"]).status == 201

    def ids(who):
        return sorted(x["post_id"] for x in queue(who))
    assert ids(w.owner) == [in_a["id"]]
    assert ids(other) == [in_b["id"]]
    assert ids(w.admin) == sorted([in_a["id"], in_b["id"],
                                   in_general["id"]])
    assert ids(me) == [] and ids(a) == []
    # Nor may the other instructor settle course A's flags.
    (fa,) = [x for x in queue(w.owner)]
    assert_problem(other.request("POST", f"{F}/flags/{fa['flag_id']}/resolve",
                                 {"decision": "agree"}), 404, "not-found")


def test_the_queue_keeps_to_the_limit_asked(server):
    w = world(server, flags_to_hide=5)
    me, a = learner(server, w), learner(server, w)
    for i in range(3):
        assert flag(a, thread(me, w.cat, f"Flagged {i}")["id"]).status == 201
    assert len(queue(w.owner)) == 3
    r = w.owner.get(f"{F}/flags?limit=2")
    assert r.status == 200 and len(r.json["items"]) == 2, r


def test_the_queue_finds_my_forums_flags_behind_many_others(server):
    """Six hundred open flags in a course of another instructor's, older
    than the one in mine: mine is still in my queue."""
    w = world(server, flags_to_hide=5)
    me, a = learner(server, w), learner(server, w)
    other = new_account(server, "instructor", org=w.slug)
    other_cat = general(other, published_course(other))
    sql(server, f"""
INSERT INTO forum_posts (org_id, category_id, user_id, title, body, body_html)
SELECT k.org_id, k.id, '{other.id}', 'Old ' || i, 'x', '<p>x</p>'
FROM forum_categories k, generate_series(1, 600) i WHERE k.id = '{other_cat}';
INSERT INTO forum_flags (org_id, user_id, post_id, reason, created_at)
SELECT t.org_id, '{me.id}', t.id, 'spam', now() - interval '1 hour'
FROM forum_posts t WHERE t.category_id = '{other_cat}'""")
    assert count(server, f"SELECT count(*) FROM forum_flags WHERE user_id = "
                         f"'{me.id}' AND status = 'open'") == 600
    mine = thread(me, w.cat, "Mine to see")
    assert flag(a, mine["id"]).status == 201
    assert [x["post_id"] for x in queue(w.owner)] == [mine["id"]]


# ---- 4. trust and limits -----------------------------------------------------

def test_a_new_member_has_daily_limits_and_staff_none(server):
    w = world(server, tl0_posts_a_day=2, tl0_likes_a_day=2,
              tl0_flags_a_day=1)
    me, you = learner(server, w), learner(server, w)
    doc = me.get(f"{F}/members/me").json
    assert doc["trust_level"] == 0 and not doc["set_by_staff"]
    assert doc["limits"] == {"posts_a_day": 2, "likes_a_day": 2,
                             "flags_a_day": 1, "links_and_pictures": False}
    # Posts: a thread and a reply, then no more today.
    t = thread(me, w.cat)
    reply(me, t["id"], "One more")
    r = me.request("POST", f"{F}/threads/{t['id']}/replies", {"body": "3rd"})
    p = assert_problem(r, 429, "rate-limited")
    assert "2 posts a day" in p["detail"]
    assert int(r.header("Retry-After")) > 0
    assert_problem(me.request("POST", f"{F}/categories/{w.cat}/threads",
                              {"title": "t", "body": "b"}), 429,
                   "rate-limited")
    # Likes: two, then no more (taking one back is always allowed).
    trusted(server, you)
    posts = [thread(you, w.cat, f"Post {i}")["id"] for i in range(3)]
    for p_ in posts[:2]:
        assert me.request("POST", f"{F}/threads/{p_}/like").status == 200
    r = me.request("POST", f"{F}/threads/{posts[2]}/like")
    assert_problem(r, 429, "rate-limited")
    assert r.header("Retry-After")
    assert me.request("DELETE", f"{F}/threads/{posts[0]}/like").status == 200
    # Flags: one.
    assert flag(me, posts[0]).status == 201
    assert_problem(flag(me, posts[1]), 429, "rate-limited")
    # The course's staff have no limits, at level 0 as they are.
    for who in (w.owner, w.admin):
        for i in range(3):
            reply(who, t["id"], f"Staff {i}")
        for p_ in posts:
            assert who.request("POST", f"{F}/threads/{p_}/like").status == 200
        for p_ in posts[1:]:
            assert flag(who, p_).status == 201
    doc = me.get(f"{F}/members/me").json
    assert doc["numbers"]["threads"] == 1 and doc["numbers"]["replies"] == 1
    assert doc["numbers"]["likes_given"] == 1


def test_staff_set_a_members_trust_and_release_it(server):
    w = world(server, tl0_posts_a_day=50)
    me = learner(server, w)
    cat = w.cat
    link = {"title": "Link", "body": "See <https://example.com>"}
    assert_problem(me.request("POST", f"{F}/categories/{cat}/threads", link),
                   403, "forbidden")
    url = f"{F}/members/{me.id}/trust"
    r = w.admin.request("PUT", url, {"trust_level": 1})
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/json"
    assert body(r) == {"user_id": me.id, "trust_level": 1,
                       "set_by_staff": True}
    doc = me.get(f"{F}/members/me").json
    assert doc["trust_level"] == 1 and doc["set_by_staff"]
    assert doc["limits"]["links_and_pictures"] is True
    assert doc["limits"]["posts_a_day"] == 50
    assert me.request("POST", f"{F}/categories/{cat}/threads",
                      link).status == 201
    rows = sql(server, f"SELECT old_values->>'trust_level', "
                       f"new_values->>'trust_level', actor_user_id FROM "
                       f"audit_events WHERE entity_id = '{me.id}' AND action "
                       f"= 'forum_member.trust_set'")
    assert rows == [["0", "1", w.admin.id]]
    # Null: earned again (here: nothing earned yet).
    r = w.admin.request("PUT", url, {"trust_level": None})
    assert r.status == 200 and body(r) == {
        "user_id": me.id, "trust_level": 0, "set_by_staff": False}, r
    doc = me.get(f"{F}/members/me").json
    assert doc["trust_level"] == 0 and not doc["set_by_staff"]
    assert_problem(me.request("POST", f"{F}/categories/{cat}/threads", link),
                   403, "forbidden")


def test_setting_trust_checks_its_input(server):
    w = world(server)
    me = learner(server, w)
    url = f"{F}/members/{me.id}/trust"
    for bad in ({"trust_level": 5}, {"trust_level": -1},
                {"trust_level": "2"}, {"trust_level": 1.5}, {}):
        assert_invalid(w.admin.request("PUT", url, bad), "trust_level")
    assert_invalid(w.admin.request("PUT", url, {"trust_level": 1,
                                                "reason": "x"}), "reason")
    assert_problem(w.admin.request("PUT", f"{F}/members/{uuid.uuid4()}/trust",
                                   {"trust_level": 1}), 404, "not-found")
    assert_problem(w.admin.request("PUT", f"{F}/members/nope/trust",
                                   {"trust_level": 1}), 404, "not-found")
    assert_problem(w.owner.request("PUT", url, {"trust_level": 4}), 403,
                   "forbidden")
    assert count(server, f"SELECT count(*) FROM forum_members WHERE user_id "
                         f"= '{me.id}' AND trust_level > 0") == 0


def test_my_numbers_follow_what_i_do(server):
    w = world(server, **NO_LIMITS)
    me, you = learner(server, w), learner(server, w)
    t = thread(me, w.cat)
    reply(me, t["id"], "a")
    theirs = thread(you, w.cat)
    for i in range(3):
        reply(you, theirs["id"], f"r{i}")
    assert me.request("POST", f"{F}/threads/{theirs['id']}/read",
                      {"upto": 3}).status == 200
    assert me.request("POST", f"{F}/threads/{theirs['id']}/like").status == 200
    assert you.request("POST", f"{F}/threads/{t['id']}/like").status == 200
    doc = me.get(f"{F}/members/me").json
    assert doc["numbers"] == {"threads_entered": 1, "posts_read": 4,
                              "days_visited": 1, "threads": 1, "replies": 1,
                              "likes_given": 1, "likes_received": 1,
                              "accepted_answers": 0}
    assert doc["next_level"] == {"threads_entered": 5, "posts_read": 30}


def test_the_forum_rules_are_checked_and_audited(server):
    w = world(server)
    url = f"{F}/settings"
    before = w.admin.get(url).json
    assert before["flags_to_hide"] == 3 and before["tl0_posts_a_day"] == 10
    for field, bad in (("flags_to_hide", 0), ("flags_to_hide", 101),
                       ("tl0_posts_a_day", -1), ("tl0_posts_a_day", 10001),
                       ("tl2_replies", 100001), ("likes_a_day", "5"),
                       ("flags_a_day", None), ("posts_a_day", 2.5)):
        assert_invalid(w.admin.request("PATCH", url, {field: bad}), field)
    assert_invalid(w.admin.request("PATCH", url, {"flags_to_hide": 2,
                                                  "org_id": "x"}), "org_id")
    assert_invalid(w.admin.request("PATCH", url, {"tl9_posts_a_day": 1}),
                   "tl9_posts_a_day")
    assert_invalid(w.admin.request("PATCH", url, []), "")
    assert w.admin.get(url).json == before
    r = w.admin.request("PATCH", url, {"flags_to_hide": 1,
                                       "tl0_posts_a_day": 0})
    assert r.status == 200, r
    assert r.json["flags_to_hide"] == 1 and r.json["tl0_posts_a_day"] == 0
    assert r.json["tl0_likes_a_day"] == before["tl0_likes_a_day"]
    assert "org_id" not in r.json
    assert w.admin.get(url).json["flags_to_hide"] == 1
    rows = sql(server, f"SELECT old_values->>'flags_to_hide', "
                       f"new_values->>'flags_to_hide' FROM audit_events "
                       f"WHERE action = 'forum_settings.changed' AND org_id = "
                       f"(SELECT id FROM organizations WHERE slug = "
                       f"'{w.slug}')")
    assert rows == [["3", "1"]]
    # A limit of 0: a new member may not post at all.
    me = learner(server, w)
    assert_problem(me.request("POST", f"{F}/categories/{w.cat}/threads",
                              {"title": "t", "body": "b"}), 429,
                   "rate-limited")
    for who in (w.owner, me):
        assert_problem(who.get(url), 403, "forbidden")
        assert_problem(who.request("PATCH", url, {"flags_to_hide": 9}), 403,
                       "forbidden")
    assert w.admin.get(url).json["flags_to_hide"] == 1


# ---- 5. categories -----------------------------------------------------------

def test_moderators_make_change_and_delete_categories(server):
    w = world(server)
    me = learner(server, w)
    qa = category(w.owner, w.course, "Ask here", kind="qa",
                  description="Questions", position=5)
    assert (qa["name"], qa["kind"], qa["description"], qa["position"],
            qa["threads"], qa["course_id"]) == (
        "Ask here", "qa", "Questions", 5, 0, w.course)
    # The name is the forum's once; another course may have it too.
    for name in ("Ask here", "  Ask here  "):
        r = w.admin.request("POST", f"{F}/categories",
                            {"course_id": w.course, "name": name})
        assert_problem(r, 409, "name-taken")
    other_owner = new_account(server, "instructor", org=w.slug)
    category(other_owner, published_course(other_owner), "Ask here")
    for bad, field in (({"name": " "}, "name"), ({"name": "x" * 81}, "name"),
                       ({"name": "x", "kind": "poll"}, "kind"),
                       ({"name": "x", "position": -1}, "position"),
                       ({"name": "x", "course_id": "nope"}, "course_id"),
                       ({"name": "x", "colour": "red"}, "colour"),
                       ({}, "name")):
        body = dict({"course_id": w.course}, **bad)
        assert_invalid(w.owner.request("POST", f"{F}/categories", body),
                       field)
    # Ordered by position, then name.
    assert [c["name"] for c in me.get(f"{F}?course={w.course}").json[
        "categories"]] == ["General", "Ask here"]
    r = w.owner.request("PATCH", f"{F}/categories/{qa['id']}",
                        {"name": "Questions", "kind": "discussion",
                         "position": 0, "description": ""})
    assert r.status == 200, r
    assert (r.json["name"], r.json["kind"], r.json["position"],
            r.json["description"]) == ("Questions", "discussion", 0, "")
    assert_invalid(w.owner.request("PATCH", f"{F}/categories/{qa['id']}",
                                   {"course_id": None}), "course_id")
    assert_problem(w.owner.request("PATCH", f"{F}/categories/{qa['id']}",
                                   {"name": "General"}), 409, "name-taken")
    assert [c["name"] for c in me.get(f"{F}?course={w.course}").json[
        "categories"]] == ["General", "Questions"]
    # Deleted with its threads.
    t = thread(me, qa["id"])
    assert w.owner.request("DELETE",
                           f"{F}/categories/{qa['id']}").status == 204
    assert_problem(me.get(f"{F}/threads/{t['id']}"), 404, "not-found")
    assert_problem(w.owner.request("DELETE", f"{F}/categories/{qa['id']}"),
                   404, "not-found")
    # Not the forum's last.
    for who in (w.owner, w.admin):
        assert_problem(who.request("DELETE", f"{F}/categories/{w.cat}"), 409,
                       "last-category")
    assert list(categories(me, w.course)) == [w.cat]
    # Each change is in the audit trail, under the category's id.
    assert audit(server, qa["id"]) == ["forum_category.created",
                                       "forum_category.changed",
                                       "forum_category.deleted"]


def test_learners_do_not_run_categories(server):
    w = world(server)
    me = learner(server, w)
    qa = category(w.owner, w.course)
    n = count(server, "SELECT count(*) FROM forum_categories")
    refused = (
        me.request("POST", f"{F}/categories",
                   {"course_id": w.course, "name": "Mine"}),
        me.request("POST", f"{F}/categories", {"name": "General 2"}),
        me.request("PATCH", f"{F}/categories/{qa['id']}", {"name": "Mine"}),
        me.request("DELETE", f"{F}/categories/{qa['id']}"),
        w.owner.request("POST", f"{F}/categories", {"name": "Org-wide"}),
    )
    for r in refused:
        assert r.status in (403, 404), r
    assert count(server, "SELECT count(*) FROM forum_categories") == n
    assert categories(me, w.course)[qa["id"]]["name"] == qa["name"]
    # The organization's admin runs the general forum.
    r = w.admin.request("POST", f"{F}/categories", {"name": "Announcements"})
    assert r.status == 201 and r.json["course_id"] is None, r
    assert "Announcements" in [c["name"] for c in me.get(F).json[
        "categories"]]


def test_a_qa_category_made_by_a_moderator_gates_answers(server):
    w = world(server)
    qa = category(w.owner, w.course, kind="qa")
    asker, first, late = (learner(server, w) for _ in range(3))
    t = thread(asker, qa["id"], "Port 443?", "Which protocol?")
    reply(first, t["id"], "HTTPS")
    doc = late.get(f"{F}/threads/{t['id']}/replies").json
    assert doc["answers_hidden"] and doc["items"] == []
    # Made a discussion: nothing hidden any more.
    assert w.owner.request("PATCH", f"{F}/categories/{qa['id']}",
                           {"kind": "discussion"}).status == 200
    doc = late.get(f"{F}/threads/{t['id']}/replies").json
    assert not doc["answers_hidden"] and len(doc["items"]) == 1


# ---- 6. many at once ---------------------------------------------------------

def test_likes_and_replies_at_once_are_counted_exactly(server):
    w = world(server, **NO_LIMITS)
    me = learner(server, w)
    t = thread(me, w.cat)
    target = reply(me, t["id"], "Like me")
    fans = [learner(server, w) for _ in range(5)]
    statuses = in_parallel([
        (lambda f=f: f.request("POST", f"{F}/replies/{target['id']}/like"
                               ).status) for f in fans for _ in range(2)])
    assert statuses == [200] * 10
    items = me.get(f"{F}/threads/{t['id']}/replies").json["items"]
    assert items[0]["likes"] == 5
    assert count(server, f"SELECT count(*) FROM forum_reply_likes WHERE "
                         f"reply_id = '{target['id']}'") == 5
    assert count(server, f"SELECT likes_received FROM forum_members WHERE "
                         f"user_id = '{me.id}'") == 5
    # Ten replies at once: numbers 2 to 11, each once, and counted.
    writers = [learner(server, w) for _ in range(10)]
    made = in_parallel([
        (lambda x=x, i=i: x.request("POST", f"{F}/threads/{t['id']}/replies",
                                    {"body": f"At once {i}"}))
        for i, x in enumerate(writers)])
    assert [r.status for r in made] == [201] * 10, made
    assert sorted(r.json["n"] for r in made) == list(range(2, 12))
    head = me.get(f"{F}/threads/{t['id']}").json["thread"]
    assert head["replies"] == 11 and head["reply_seq"] == 11
    by_time = me.get(f"{F}/threads/{t['id']}/replies?order=time").json
    assert [x["n"] for x in by_time["items"]] == list(range(1, 12))


def test_replies_to_a_new_thread_at_once_number_from_one(server):
    w = world(server, **NO_LIMITS)
    me = learner(server, w)
    t = thread(me, w.cat)
    writers = [learner(server, w) for _ in range(10)]
    made = in_parallel([
        (lambda x=x: x.request("POST", f"{F}/threads/{t['id']}/replies",
                               {"body": "Quick!"})) for x in writers])
    assert [r.status for r in made] == [201] * 10, made
    assert sorted(r.json["n"] for r in made) == list(range(1, 11))
    assert me.get(f"{F}/threads/{t['id']}").json["thread"]["replies"] == 10
    assert count(server, f"SELECT replies FROM forum_posts WHERE id = "
                         f"'{t['id']}'") == 10


def test_a_daily_limit_holds_when_asked_many_times_at_once(server):
    w = world(server, tl0_posts_a_day=2)
    me = learner(server, w)
    made = in_parallel([
        (lambda i=i: me.request("POST", f"{F}/categories/{w.cat}/threads",
                                {"title": f"Flood {i}", "body": "x"}))
        for i in range(8)])
    assert {r.status for r in made} == {201, 429}, made
    made_ = [r for r in made if r.status == 201]
    assert len(made_) == 2, f"{len(made_)} threads made past a limit of 2"
    assert count(server, f"SELECT count(*) FROM forum_posts WHERE user_id = "
                         f"'{me.id}'") == 2


# ---- 7. a long thread, a page at a time --------------------------------------

def long_thread(server, w, who, n=300):
    """A thread of who's with n replies, inserted by SQL as the API would
    (the trigger gives each its number and path): every third a new branch,
    the others answering an earlier reply, so the tree is deep and wide."""
    t = thread(who, w.cat, "Long", "Many replies")
    sql(server, f"""
DO $$
DECLARE
	ids uuid[] := '{{}}';
	parent uuid;
	made uuid;
BEGIN
	FOR i IN 1..{n} LOOP
		parent := CASE WHEN i % 3 = 1 THEN NULL
			ELSE ids[1 + (i * 7919) % (i - 1)] END;
		INSERT INTO forum_replies (org_id, post_id, parent_reply_id, num,
			path, user_id, body, body_html)
		VALUES ('{w.org_id}', '{t['id']}', parent, 0, '{{0}}', '{who.id}',
			'reply ' || i, '<p>reply ' || i || '</p>')
		RETURNING id INTO made;
		ids := ids || made;
	END LOOP;
END
$$""")
    return t


def walk(who, tid, order, limit):
    seen, after, pages = [], None, 0
    while True:
        q = f"?order={order}&limit={limit}" + (f"&after={after}"
                                               if after is not None else "")
        r = who.get(f"{F}/threads/{tid}/replies{q}")
        assert r.status == 200, r
        doc = r.json
        assert len(doc["items"]) <= limit
        seen += doc["items"]
        pages += 1
        after = doc["next"]
        if after is None:
            return seen, pages
        assert doc["items"][-1]["n"] == after
        assert pages < 400


def test_three_hundred_replies_read_page_by_page_in_each_order(server):
    w = world(server, **NO_LIMITS)
    w.org_id = sql(server, f"SELECT id FROM organizations WHERE slug = "
                           f"'{w.slug}'")[0][0]
    me, you = learner(server, w), learner(server, w)
    t = long_thread(server, w, me)
    rows = sql(server, f"SELECT r.num, p.num FROM forum_replies r LEFT JOIN "
                       f"forum_replies p ON p.id = r.parent_reply_id WHERE "
                       f"r.post_id = '{t['id']}'")
    parent = {int(a): (int(b) if b else None) for a, b in rows}
    assert sorted(parent) == list(range(1, 301))

    def path(num):
        return (path(parent[num]) if parent[num] else ()) + (num,)
    tree = sorted(parent, key=path)
    assert max(len(path(x)) for x in tree) > 3  # deep enough to matter
    # A deleted reply and a hidden one keep their places.
    ids = {int(a): b for a, b in sql(server, f"SELECT num, id FROM "
                                             f"forum_replies WHERE post_id = "
                                             f"'{t['id']}'")}
    assert me.request("DELETE", f"{F}/replies/{ids[150]}").status == 204
    assert moderate(w.owner, ids[151], "hide", kind="reply",
                    reason="Off topic").status == 200
    head = you.get(f"{F}/threads/{t['id']}").json["thread"]
    assert head["reply_seq"] == 300 and head["replies"] == 298
    for order, want in (("tree", tree), ("time", list(range(1, 301))),
                        ("newest", list(range(300, 0, -1)))):
        for limit in (50, 37, 200):
            items, pages = walk(you, t["id"], order, limit)
            assert [x["n"] for x in items] == want, (order, limit)
            assert pages == -(-300 // limit)
            assert len({x["id"] for x in items}) == 300
            if order == "tree":
                for x in items:
                    assert x["depth"] == len(path(x["n"])) - 1
                    assert (x["parent_id"] is None) == (parent[x["n"]] is None)
    items, _ = walk(you, t["id"], "time", 50)
    assert items[149]["deleted"] and items[149]["body"] is None
    assert items[150]["hidden"] and items[150]["body"] is None
    assert items[151]["body"] == "reply 152"
    assert_invalid(you.get(f"{F}/threads/{t['id']}/replies?limit=201"),
                   "limit")
    # A new reply after all that is number 301, at the end of its branch.
    rp = reply(you, t["id"], "Late", ids[1])
    assert rp["n"] == 301 and rp["depth"] == 1
    order = [x["n"] for x in walk(you, t["id"], "tree", 100)[0]]
    branch = [n for n in tree if path(n)[0] == 1]
    assert order == tree[:tree.index(branch[-1]) + 1] + [301] + \
        tree[tree.index(branch[-1]) + 1:]
