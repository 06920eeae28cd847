"""The question bank: writing each type of question through the API and the
normal form it comes back in, the field-by-field errors, versions and
If-Match, who may change a question, soft deletion, the list's filters and
its keyset pagination, and importing CSV, GIFT and Aiken files (reports
with line numbers, re-imports that add nothing, dry runs, whole-file
faults and the body size limit).

The tests share the module's server and database.  Most of them work in an
organization made for the module (its bank holds only what the tests put
there, never the seeded Network+ questions); each test uses ids, stems and
tags of its own, so the tests do not depend on one another or their order.
"""
import json

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, follow_job, qs,
                     sign_in, sql)
from support import new_account as _new_account, new_org as _new_org, uniq as _uniq


def uniq(prefix="q"):
    return _uniq(prefix)


def new_org(server):
    return _new_org(server, "qbank")


def new_account(server, role="student", org=None):
    return _new_account(server, role, org, "qb")

RANDOM_ID = "7d9f3a52-4c1e-4b8a-9f00-123456789abc"

QUESTION_KEYS = {"id", "external_id", "type", "stem", "explanation", "exam",
                 "domain", "objectives", "difficulty", "tags", "status",
                 "body", "owner_id", "version", "created_at", "updated_at",
                 "deleted_at"}


# ---- helpers ---------------------------------------------------------------



















def single(**over):
    q = {"type": "single_choice", "stem": f"Which port does SSH use? {uniq()}",
         "exam": "network", "objectives": ["1.4"],
         "body": {"options": [
             {"key": "A", "text": "21"},
             {"key": "B", "text": "22", "correct": True},
             {"key": "C", "text": "23"}]}}
    q.update(over)
    return q


def create(who, q, status=201):
    r = who.request("POST", "/api/v1/questions", q)
    assert r.status == status, r
    return r.json


def get(who, qid):
    r = who.get(f"/api/v1/questions/{qid}")
    assert r.status == 200, r
    return r


def import_file(who, text, fmt="csv", ctype="text/plain", **params):
    params = dict(params)
    if fmt is not None:
        params["format"] = fmt
    body = text.encode() if isinstance(text, str) else text
    return who.request("POST", "/api/v1/questions/import" + qs(**params),
                       body, {"Content-Type": ctype})


def report(r):
    assert r.status == 200, r
    return r.json


def bank_rows(server, org, where="TRUE"):
    """(external_id, type, stem, status, deleted) of an org's questions,
    by external id (an import writes in one transaction: one created_at)."""
    return sql(server, f"""
        SELECT coalesce(q.external_id, ''), q.type,
               replace(q.stem, chr(10), '<LF>'), q.status,
               (q.deleted_at IS NOT NULL)::text
        FROM questions q JOIN organizations o ON o.id = q.org_id
        WHERE o.slug = '{org}' AND {where}
        ORDER BY coalesce(q.external_id, ''), q.stem""")


# ---- fixtures --------------------------------------------------------------

class Bank:
    """An organization of its own: two instructors, an admin, a student."""

    def __init__(self, server):
        self.org = new_org(server)
        self.ins = new_account(server, "instructor", self.org)
        self.other = new_account(server, "instructor", self.org)
        self.admin = new_account(server, "admin", self.org)
        self.student = new_account(server, "student", self.org)


@pytest.fixture(scope="module")
def bank(server):
    return Bank(server)


@pytest.fixture
def fresh(server):
    """A bank of its own for one test (an empty organization)."""
    return Bank(server)


# ---- create: the six types and their normal form ---------------------------

NORMAL = {
    "single_choice": (
        {"options": [
            {"key": "A", "text": " 21 ", "explanation": "FTP."},
            {"key": "B", "text": "22", "correct": True},
            {"key": "C", "text": "23", "correct": False,
             "explanation": ""}]},
        {"options": [
            {"key": "A", "text": "21", "explanation": "FTP.",
             "correct": False},
            {"key": "B", "text": "22", "explanation": None,
             "correct": True},
            {"key": "C", "text": "23", "explanation": None,
             "correct": False}]}),
    "multiple_select": (
        {"options": [
            {"key": "K1", "text": "SSH", "correct": True},
            {"key": "K2", "text": "Telnet"},
            {"key": "K3", "text": "HTTPS", "correct": True}]},
        {"options": [
            {"key": "K1", "text": "SSH", "explanation": None,
             "correct": True},
            {"key": "K2", "text": "Telnet", "explanation": None,
             "correct": False},
            {"key": "K3", "text": "HTTPS", "explanation": None,
             "correct": True}]}),
    # False written first: True comes first in normal form.
    "true_false": (
        {"options": [
            {"key": "false", "text": "False", "explanation": "It is."},
            {"key": "true", "text": "True", "correct": True}]},
        {"options": [
            {"key": "true", "text": "True", "explanation": None,
             "correct": True},
            {"key": "false", "text": "False", "explanation": "It is.",
             "correct": False}]}),
    "fill_blank": (
        {"answers": [{"text": " 255.255.255.0 "}],
         "numeric": [{"value": 24}, {"value": 1.5, "tolerance": 0.25}]},
        {"answers": [{"text": "255.255.255.0"}],
         "numeric": [{"value": 24.0, "tolerance": 0.0},
                     {"value": 1.5, "tolerance": 0.25}],
         "case_sensitive": False, "whitespace": "collapse"}),
    "matching": (
        {"pairs": [
            {"key": "1", "left": "SSH", "right": "22",
             "explanation": "Secure shell."},
            {"key": "2", "left": "Telnet", "right": "23"}]},
        {"pairs": [
            {"key": "1", "left": "SSH", "right": "22",
             "explanation": "Secure shell."},
            {"key": "2", "left": "Telnet", "right": "23",
             "explanation": None}]}),
    "ordering": (
        {"items": [{"key": "P", "text": "Physical"},
                   {"key": "D", "text": "Data link"},
                   {"key": "N", "text": "Network"}]},
        {"items": [{"key": "P", "text": "Physical"},
                   {"key": "D", "text": "Data link"},
                   {"key": "N", "text": "Network"}]}),
}


@pytest.mark.parametrize("qtype", sorted(NORMAL))
def test_create_each_type_answers_its_normal_form(server, bank, qtype):
    given, normal = NORMAL[qtype]
    ext = uniq("EXT").upper()
    stem = f"  A {qtype} question {uniq()}\non two lines  "
    r = bank.ins.request("POST", "/api/v1/questions", {
        "external_id": ext, "type": qtype, "stem": stem,
        "explanation": "  Why it is so.  ", "exam": "network",
        "objectives": ["2.3", "2.1", "2.3"], "difficulty": 4,
        "tags": ["ports", "layer-2", "ports"], "body": given})
    assert r.status == 201, r
    q = r.json
    assert r.header("Location") == f"/api/v1/questions/{q['id']}"
    assert r.header("ETag") == '"v1"'
    assert set(q) == QUESTION_KEYS
    assert q["external_id"] == ext and q["type"] == qtype
    assert q["stem"] == stem.strip() and "\n" in q["stem"]
    assert q["explanation"] == "Why it is so."
    assert q["exam"] == "network"
    # The domain is the first objective's; duplicates are dropped.
    assert q["domain"] == "2.0" and q["objectives"] == ["2.3", "2.1"]
    assert q["difficulty"] == 4 and q["tags"] == ["ports", "layer-2"]
    assert q["status"] == "draft"            # the API writes drafts
    assert q["body"] == normal
    assert q["owner_id"] == bank.ins.id and q["version"] == 1
    assert q["deleted_at"] is None
    # GET at the Location gives the same document and version.
    again = get(bank.ins, q["id"])
    assert again.json == q and again.header("ETag") == '"v1"'
    # What the database holds.
    row = sql(server, f"SELECT type, status, difficulty, objective_codes, "
                      f"owner_id FROM questions WHERE id = '{q['id']}'")
    assert row == [[qtype, "draft", "4", "{2.3,2.1}", bank.ins.id]]


def test_create_with_the_least_there_is(server, bank):
    q = create(bank.ins, {"type": "true_false", "stem": f"Sure? {uniq()}",
                          "body": {"options": [
                              {"key": "true", "text": "True"},
                              {"key": "false", "text": "False",
                               "correct": True}]}})
    assert q["external_id"] is None and q["exam"] is None
    assert q["domain"] is None and q["objectives"] == []
    assert q["explanation"] is None and q["tags"] == []
    assert q["difficulty"] == 3 and q["status"] == "draft"


def test_create_with_a_status(server, bank):
    q = create(bank.ins, single(status="active"))
    assert q["status"] == "active"


def test_create_reports_every_mistake_at_once(server, bank):
    r = bank.ins.request("POST", "/api/v1/questions", {
        "type": "single_choice", "stem": "   ", "difficulty": 9,
        "tags": ["Bad Tag"], "colour": "red",
        "body": {"options": [{"key": "A", "text": "x", "correct": True},
                             {"key": "A!", "text": ""}]}})
    assert_invalid(r, "stem", "difficulty", "tags[0]", "colour",
                   "body.options[1].key", "body.options[1].text")


def _opts(*specs):
    return {"options": [dict(key=k, text=t, **({"correct": True} if c else {}))
                        for k, t, c in specs]}


ABC = _opts(("A", "a", False), ("B", "b", True), ("C", "c", False))

BAD = [
    ({"type": None}, ["type"]),
    ({"type": "essay"}, ["type"]),
    ({"stem": None}, ["stem"]),
    ({"stem": "x" * 5001}, ["stem"]),
    ({"stem": 42}, ["stem"]),
    ({"stem": "bell\u0007"}, ["stem"]),
    ({"explanation": "x" * 5001}, ["explanation"]),
    ({"external_id": "has space"}, ["external_id"]),
    ({"external_id": "x" * 101}, ["external_id"]),
    ({"exam": "Network!"}, ["exam"]),
    ({"domain": "1.4"}, ["domain"]),
    ({"domain": "2.0"}, ["domain"]),          # the first objective is 1.4
    ({"exam": None}, ["exam"]),               # objectives need an exam
    ({"objectives": ["1.4", "one"]}, ["objectives[1]"]),
    ({"objectives": "1.4"}, ["objectives"]),
    ({"objectives": [f"1.{i}" for i in range(1, 22)]}, ["objectives"]),
    ({"tags": ["ok", "NotOk"]}, ["tags[1]"]),
    ({"difficulty": 0}, ["difficulty"]),
    ({"difficulty": 6}, ["difficulty"]),
    ({"difficulty": "3"}, ["difficulty"]),
    ({"status": "live"}, ["status"]),
    ({"body": None}, ["body"]),
    ({"body": []}, ["body"]),
    ({"body": {"options": []}}, ["body.options"]),
    ({"body": {"options": ABC["options"], "shuffle": True}}, ["body.shuffle"]),
    ({"body": _opts(("A", "a", True), ("B", "b", True))}, ["body.options"]),
    ({"body": _opts(("A", "a", False), ("B", "b", False))}, ["body.options"]),
    ({"body": _opts(("A", "a", True))}, ["body.options"]),
    ({"body": _opts(*[(f"K{i}", "t", i == 0) for i in range(11)])},
     ["body.options"]),
    ({"body": _opts(("A", "a", True), ("A", "b", False))},
     ["body.options[1].key"]),
    ({"body": _opts(("A", "a", True), ("toolongkey", "b", False))},
     ["body.options[1].key"]),
    ({"body": _opts(("A", "x" * 1001, True), ("B", "b", False))},
     ["body.options[0].text"]),
    ({"body": {"options": [{"key": "A", "text": "a", "correct": "yes"},
                           {"key": "B", "text": "b", "correct": True}]}},
     ["body.options[0].correct"]),
    ({"body": {"options": [{"key": "A", "text": "a", "weight": 1},
                           {"key": "B", "text": "b", "correct": True}]}},
     ["body.options[0].weight"]),
    ({"body": {"options": ["A", {"key": "B", "text": "b", "correct": True}]}},
     ["body.options[0]"]),
    ({"type": "true_false", "body": _opts(("A", "True", True),
                                          ("B", "False", False))},
     ["body.options"]),
    ({"type": "true_false",
      "body": _opts(("true", "True", True), ("false", "False", False),
                    ("maybe", "Maybe", False))}, ["body.options"]),
    ({"type": "multiple_select",
      "body": _opts(("A", "a", False), ("B", "b", False))},
     ["body.options"]),
    ({"type": "fill_blank", "body": {}}, ["body.answers"]),
    ({"type": "fill_blank", "body": {"answers": [{"text": "x"}],
                                     "whitespace": "trim"}},
     ["body.whitespace"]),
    ({"type": "fill_blank", "body": {"answers": [{"text": "x"}],
                                     "case_sensitive": "no"}},
     ["body.case_sensitive"]),
    ({"type": "fill_blank", "body": {"numeric": [{"value": "22"}]}},
     ["body.numeric[0]"]),
    ({"type": "fill_blank",
      "body": {"numeric": [{"value": 22, "tolerance": -1}]}},
     ["body.numeric[0]"]),
    ({"type": "fill_blank", "body": {"answers": [{"text": ""}]}},
     ["body.answers[0].text"]),
    ({"type": "fill_blank", "body": {"answers": ["22"]}},
     ["body.answers[0]"]),
    ({"type": "fill_blank", "body": {"answers": [{"text": "x"}],
                                     "options": []}}, ["body.options"]),
    ({"type": "matching", "body": {"pairs": [
        {"key": "1", "left": "SSH", "right": "22"},
        {"key": "2", "left": "SFTP", "right": "22"}]}},
     ["body.pairs[1].right"]),
    ({"type": "matching", "body": {"pairs": [
        {"key": "1", "left": "SSH", "right": "22"}]}}, ["body.pairs"]),
    ({"type": "matching", "body": {"pairs": [
        {"key": "1", "left": "", "right": "22"},
        {"key": "2", "left": "Telnet"}]}},
     ["body.pairs[0].left", "body.pairs[1].right"]),
    ({"type": "ordering", "body": {"items": [
        {"key": f"I{i}", "text": "t"} for i in range(13)]}}, ["body.items"]),
    ({"type": "ordering", "body": {"items": [
        {"key": "A", "text": "a"}, {"key": "B"}]}}, ["body.items[1].text"]),
    ({"type": "ordering", "body": {"items": [
        {"key": "A", "text": "a"}, {"key": "A", "text": "b"}]}},
     ["body.items[1].key"]),
]


@pytest.mark.parametrize("change,fields", BAD,
                         ids=[f"{'-'.join(f)}-{i}" for i, (_, f) in
                              enumerate(BAD)])
def test_create_refuses_a_bad_field(server, bank, change, fields):
    q = single(body=ABC)
    for k, v in change.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    before = sql(server, "SELECT count(*) FROM questions")
    r = bank.ins.request("POST", "/api/v1/questions", q)
    assert_invalid(r, *fields)
    assert sql(server, "SELECT count(*) FROM questions") == before


@pytest.mark.parametrize("raw", [b"[]", b'[{"type": "fill_blank"}]'])
def test_create_refuses_a_body_that_is_not_an_object(server, bank, raw):
    r = bank.ins.request("POST", "/api/v1/questions", raw,
                         {"Content-Type": "application/json"})
    assert_invalid(r, "")


@pytest.mark.parametrize("raw", [b"42", b'"q"', b"null", b"{", b""])
def test_create_refuses_a_body_that_is_not_a_json_document(server, bank,
                                                           raw):
    r = bank.ins.request("POST", "/api/v1/questions", raw,
                         {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_create_needs_json(server, bank):
    r = bank.ins.request("POST", "/api/v1/questions", json.dumps(single()),
                         {"Content-Type": "text/plain"})
    assert_problem(r, 415, "unsupported-media-type")
    r = bank.ins.request("POST", "/api/v1/questions", b"{nope",
                         {"Content-Type": "application/json"})
    assert_problem(r, 400, "malformed-json")


def test_an_objective_that_is_not_in_the_exam(server, bank):
    # 1.9 is no Network+ objective, though its domain 1.0 is.
    r = bank.ins.request("POST", "/api/v1/questions",
                         single(objectives=["1.4", "1.9"]))
    p = assert_invalid(r, "objectives")
    assert "1.9" in p["errors"][0]["message"]
    r = bank.ins.request("POST", "/api/v1/questions",
                         single(objectives=["1.9"]))
    assert_invalid(r, "objectives")


def test_a_reason_from_the_database_reads_like_the_others(server, fresh):
    r = fresh.ins.request("POST", "/api/v1/questions",
                          single(objectives=["1.9"]))
    p = assert_invalid(r, "objectives")
    assert not p["errors"][0]["message"].startswith("ERROR"), p
    rep = report(import_file(
        fresh.ins, "question_text,exam_type,domain,option_a,option_b,"
                   "correct_answer\nQ,network,1.9,a,b,A\n"))
    assert rep["failed"] == 1
    assert rep["errors"][0]["reason"] == "objective 1.9 is not in the exam"


def test_a_domain_that_is_not_in_the_exam(server, bank):
    r = bank.ins.request("POST", "/api/v1/questions",
                         single(objectives=["9.1"]))
    assert_invalid(r, "domain")
    r = bank.ins.request("POST", "/api/v1/questions",
                         single(objectives=[], domain="7.0"))
    assert_invalid(r, "domain")


def test_an_unknown_exam(server, bank):
    r = bank.ins.request("POST", "/api/v1/questions",
                         single(exam="nosuchexam", objectives=[]))
    assert_invalid(r, "exam")
    r = bank.ins.request("POST", "/api/v1/questions",
                         single(exam="nosuchexam"))
    assert r.status == 422, r


def test_an_external_id_is_unique_in_the_organization(server, bank):
    ext = uniq("DUP")
    first = create(bank.ins, single(external_id=ext))
    r = bank.ins.request("POST", "/api/v1/questions", single(external_id=ext))
    assert_problem(r, 409, "conflict")
    # Another author may not take it either; another organization may.
    r = bank.other.request("POST", "/api/v1/questions",
                           single(external_id=ext))
    assert_problem(r, 409, "conflict")
    other_org = Bank(server)
    create(other_org.ins, single(external_id=ext))
    # A change to a taken id is refused too.
    second = create(bank.ins, single(external_id=uniq("DUP")))
    r = bank.ins.request("PATCH", f"/api/v1/questions/{second['id']}",
                         {"external_id": ext})
    assert_problem(r, 409, "conflict")
    assert get(bank.ins, second["id"]).json == second
    assert get(bank.ins, first["id"]).json == first


# ---- read and change ---------------------------------------------------------

def test_get_an_unknown_question(server, bank):
    for path in (RANDOM_ID, "not-a-uuid"):
        assert_problem(bank.ins.get(f"/api/v1/questions/{path}"), 404,
                       "not-found")


def test_the_bank_is_shared_within_the_organization_only(server, bank):
    q = create(bank.ins, single())
    # Another instructor and an admin of the org read it...
    assert get(bank.other, q["id"]).json == q
    assert get(bank.admin, q["id"]).json == q
    # ... an instructor of another organization does not find it.
    demo = sign_in(server, "instructor", DEMO_PW)
    assert_problem(demo.get(f"/api/v1/questions/{q['id']}"), 404,
                   "not-found")
    r = demo.request("PATCH", f"/api/v1/questions/{q['id']}",
                     {"difficulty": 1})
    assert_problem(r, 404, "not-found")
    assert_problem(demo.request("DELETE", f"/api/v1/questions/{q['id']}"),
                   404, "not-found")
    r = demo.get("/api/v1/questions" + qs(q=q["stem"][-20:], limit=200))
    assert r.status == 200 and q["id"] not in [i["id"] for i in r.json["items"]]


def test_patch_with_if_match(server, bank):
    q = create(bank.ins, single(status="active"))
    path = f"/api/v1/questions/{q['id']}"
    r = bank.ins.request("PATCH", path, {"stem": "A new stem, patched"},
                         {"If-Match": '"v1"'})
    assert r.status == 200, r
    assert r.header("ETag") == '"v2"'
    assert r.json["version"] == 2 and r.json["stem"] == "A new stem, patched"
    # Every other field is kept.
    for k in ("body", "exam", "domain", "objectives", "status", "difficulty",
              "owner_id", "created_at"):
        assert r.json[k] == q[k], k
    # A stale version is refused and changes nothing.
    r = bank.ins.request("PATCH", path, {"stem": "Stale"},
                         {"If-Match": '"v1"'})
    p = assert_problem(r, 412, "stale-version")
    assert "2" in p["detail"]
    for bad in ('"x"', "v2", '"v0"'):
        r = bank.ins.request("PATCH", path, {"stem": "Stale"},
                             {"If-Match": bad})
        assert_problem(r, 412, "stale-version")
    assert get(bank.ins, q["id"]).json["stem"] == "A new stem, patched"
    # The current version (or * or none) goes through.
    r = bank.ins.request("PATCH", path, {"difficulty": 5},
                         {"If-Match": '"v2"'})
    assert r.status == 200 and r.json["version"] == 3, r
    r = bank.ins.request("PATCH", path, {"difficulty": 1}, {"If-Match": "*"})
    assert r.status == 200 and r.json["version"] == 4, r
    r = bank.ins.request("PATCH", path, {"difficulty": 2})
    assert r.status == 200 and r.json["version"] == 5, r
    assert sql(server, f"SELECT version, difficulty FROM questions "
                       f"WHERE id = '{q['id']}'") == [["5", "2"]]


def test_patch_merges_and_checks_the_result(server, bank):
    q = create(bank.ins, single())
    path = f"/api/v1/questions/{q['id']}"
    # New objectives bring their domain with them.
    r = bank.ins.request("PATCH", path, {"objectives": ["3.2"]})
    assert r.status == 200, r
    assert r.json["objectives"] == ["3.2"] and r.json["domain"] == "3.0"
    # A whole new body replaces the old one (and may change the type).
    r = bank.ins.request("PATCH", path, {"type": "fill_blank", "body": {
        "answers": [{"text": "22"}]}})
    assert r.status == 200, r
    assert r.json["type"] == "fill_blank"
    assert r.json["body"]["answers"] == [{"text": "22"}]
    # The merged question is checked like a new one.
    r = bank.ins.request("PATCH", path, {"type": "matching"})
    p = assert_problem(r, 422, "validation-failed")
    assert "body.pairs" in {e["field"] for e in p["errors"]}, p
    r = bank.ins.request("PATCH", path, {"objectives": ["1.9"]})
    assert_invalid(r, "objectives")
    r = bank.ins.request("PATCH", path, {"exam": None})
    assert_invalid(r, "exam")
    r = bank.ins.request("PATCH", path, {"owner_id": bank.other.id})
    assert_invalid(r, "owner_id")
    r = bank.ins.request("PATCH", path, [1])
    assert_invalid(r, "")
    # Nothing of the refused changes went in.
    now = get(bank.ins, q["id"]).json
    assert now["type"] == "fill_blank" and now["objectives"] == ["3.2"]
    assert now["version"] == 3


def test_patch_that_changes_nothing_keeps_the_version(server, bank):
    q = create(bank.ins, single())
    r = bank.ins.request("PATCH", f"/api/v1/questions/{q['id']}",
                         {"stem": q["stem"], "difficulty": q["difficulty"]})
    assert r.status == 200, r
    assert r.json["version"] == 1 and r.header("ETag") == '"v1"'


def test_only_the_author_or_an_admin_changes_a_question(server, bank):
    q = create(bank.ins, single())
    path = f"/api/v1/questions/{q['id']}"
    r = bank.other.request("PATCH", path, {"difficulty": 1})
    assert_problem(r, 403, "forbidden")
    assert_problem(bank.other.request("DELETE", path), 403, "forbidden")
    assert get(bank.ins, q["id"]).json == q
    r = bank.admin.request("PATCH", path, {"difficulty": 1},
                           {"If-Match": '"v1"'})
    assert r.status == 200, r
    assert r.json["difficulty"] == 1 and r.json["version"] == 2
    assert r.json["owner_id"] == bank.ins.id     # still the author's
    r = bank.admin.request("DELETE", path)
    assert r.status == 200 and r.json["deleted_at"], r
    assert_problem(bank.other.request("POST", path + "/restore"), 403,
                   "forbidden")
    r = bank.ins.request("POST", path + "/restore")
    assert r.status == 200 and r.json["deleted_at"] is None, r


def test_delete_and_restore(server, bank):
    q = create(bank.ins, single(tags=[uniq("gone")]))
    tag = q["tags"][0]
    path = f"/api/v1/questions/{q['id']}"
    r = bank.ins.request("DELETE", path)
    assert r.status == 200, r
    assert r.json["deleted_at"] is not None and r.json["version"] == 2
    assert r.header("ETag") == '"v2"'
    # Soft: the author may still read it (marked deleted)...
    r = get(bank.ins, q["id"])
    assert r.json["deleted_at"] is not None
    assert sql(server, f"SELECT deleted_at IS NOT NULL FROM questions "
                       f"WHERE id = '{q['id']}'") == [["t"]]
    # ... but it leaves the list, except the list of the deleted ones...
    assert list_ids(bank.ins, tag=tag) == []
    assert list_ids(bank.ins, tag=tag, deleted="true") == [q["id"]]
    # ... and takes no change until restored.
    assert_problem(bank.ins.request("PATCH", path, {"difficulty": 1}), 404,
                   "not-found")
    assert_problem(bank.ins.request("DELETE", path), 404, "not-found")
    r = bank.ins.request("POST", path + "/restore", None, {"If-Match": '"v1"'})
    assert_problem(r, 412, "stale-version")
    r = bank.ins.request("POST", path + "/restore")
    assert r.status == 200 and r.json["deleted_at"] is None, r
    assert_problem(bank.ins.request("POST", path + "/restore"), 409,
                   "conflict")
    assert list_ids(bank.ins, tag=tag) == [q["id"]]
    for route in ("DELETE", "POST"):
        sub = "" if route == "DELETE" else "/restore"
        r = bank.ins.request(route, f"/api/v1/questions/{RANDOM_ID}{sub}")
        assert_problem(r, 404, "not-found")


# ---- the list ---------------------------------------------------------------

def list_page(who, **params):
    r = who.get("/api/v1/questions" + qs(**params))
    assert r.status == 200, r
    assert set(r.json) == {"items", "next"}
    return r.json


def list_ids(who, **params):
    params.setdefault("limit", 200)
    return [i["id"] for i in list_page(who, **params)["items"]]


@pytest.fixture(scope="module")
def listed(server):
    """A bank of its own holding a known set of questions."""
    b = Bank(server)
    t = uniq("lst")
    made = {}

    def add(name, who, **q):
        made[name] = create(who, q)["id"]

    add("net14", b.ins, **single(stem="Default port of secure shell?",
                                 tags=[t, "ports"], difficulty=2,
                                 status="active"))
    add("net23", b.ins, **single(stem="Spanning tree protocol blocks loops",
                                 objectives=["2.3"], tags=[t],
                                 difficulty=4, status="active"))
    add("sec", b.other, **single(stem="Phishing awareness training",
                                 exam="security", objectives=[],
                                 tags=[t, "people"], status="draft"))
    add("fill", b.other, type="fill_blank",
        stem="The subnet mask of a slash 24", exam="network",
        objectives=["1.7"], tags=[t], status="retired",
        body={"answers": [{"text": "255.255.255.0"}]})
    add("plain", b.ins, type="ordering", stem="Order the OSI layers",
        tags=[t, "osi"], difficulty=1,
        body={"items": [{"key": "A", "text": "Physical"},
                        {"key": "B", "text": "Data link"}]})
    gone = create(b.ins, single(stem="Deleted question about ports",
                                tags=[t]))
    assert b.ins.request("DELETE", f"/api/v1/questions/{gone['id']}") \
        .status == 200
    made["gone"] = gone["id"]
    # Created in this order: the list is newest first.
    order = ["plain", "fill", "sec", "net23", "net14"]
    return b, made, order


def test_the_list_is_newest_first_with_every_field(server, listed):
    b, made, order = listed
    page = list_page(b.ins, limit=200)
    assert [i["id"] for i in page["items"]] == [made[k] for k in order]
    assert page["next"] is None
    for item in page["items"]:
        assert set(item) == QUESTION_KEYS
        assert item == get(b.ins, item["id"]).json


@pytest.mark.parametrize("params,want", [
    ({"exam": "network"}, ["fill", "net23", "net14"]),
    ({"exam": "security"}, ["sec"]),
    ({"exam": "a1101"}, []),
    ({"domain": "2.0"}, ["net23"]),
    ({"domain": "1.0", "exam": "network"}, ["fill", "net14"]),
    ({"objective": "1.7"}, ["fill"]),
    ({"objective": "2.3"}, ["net23"]),
    ({"type": "ordering"}, ["plain"]),
    ({"type": "single_choice"}, ["sec", "net23", "net14"]),
    ({"status": "active"}, ["net23", "net14"]),
    ({"status": "retired"}, ["fill"]),
    ({"status": "draft"}, ["plain", "sec"]),
    ({"difficulty": "4"}, ["net23"]),
    ({"difficulty": "3"}, ["fill", "sec"]),
    ({"tag": "ports"}, ["net14"]),
    ({"tag": "osi"}, ["plain"]),
    ({"q": "spanning"}, ["net23"]),
    ({"q": "SUBNET MASK"}, ["fill"]),
    ({"q": "people"}, ["sec"]),            # tags are searched too
    ({"q": "nothing like this at all"}, []),
    ({"q": "spaning tre"}, ["net23"]),      # misspelled: the bank's words
    ({"q": "phishng awarness"}, ["sec"]),
    ({"q": "protocols blocking"}, ["net23"]),  # inflected
    ({"q": "f secure sh"}, ["net14"]),     # a substring of the stem
    ({"deleted": "true"}, ["gone"]),
    ({"deleted": "false"}, ["plain", "fill", "sec", "net23", "net14"]),
    ({"exam": "network", "status": "active", "difficulty": "2"}, ["net14"]),
])
def test_list_filters(server, listed, params, want):
    b, made, _ = listed
    assert list_ids(b.ins, **params) == [made[k] for k in want]


def test_a_domain_without_an_exam_matches_that_domain_of_every_exam(server,
                                                                     fresh):
    net = create(fresh.ins, single(objectives=["2.3"]))
    sec = create(fresh.ins, single(exam="security", objectives=[],
                                   domain="2.0"))
    create(fresh.ins, single(exam="security", objectives=[], domain="3.0"))
    assert list_ids(fresh.ins, domain="2.0", exam="network") == [net["id"]]
    assert list_ids(fresh.ins, domain="2.0", exam="security") == [sec["id"]]
    assert set(list_ids(fresh.ins, domain="2.0")) == {net["id"], sec["id"]}


def test_list_mine(server, listed):
    b, made, _ = listed
    assert list_ids(b.ins, mine="true") == [made[k] for k in
                                            ("plain", "net23", "net14")]
    assert list_ids(b.other, mine="true") == [made["fill"], made["sec"]]
    assert list_ids(b.admin, mine="true") == []
    assert len(list_ids(b.admin, mine="false")) == 5


def test_list_pages_by_keyset(server, listed):
    b, made, order = listed
    seen, after, pages = [], None, 0
    while True:
        params = {"limit": 2}
        if after:
            params["after"] = after
        page = list_page(b.ins, **params)
        pages += 1
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        if page["next"] is None:
            break
        assert page["next"] == page["items"][-1]["id"]
        after = page["next"]
    assert pages == 3
    assert seen == [made[k] for k in order] and len(set(seen)) == len(seen)
    # A page that ends exactly at the end says so.
    page = list_page(b.ins, limit=5)
    assert len(page["items"]) == 5 and page["next"] is None
    page = list_page(b.ins, limit=4)
    assert page["next"] == made[order[3]]
    assert list_ids(b.ins, **{"after": RANDOM_ID}) == []


def test_a_new_question_does_not_shift_the_pages_after_a_cursor(server,
                                                                fresh):
    ids = [create(fresh.ins, single(stem=f"Paged {i} {uniq()}"))["id"]
           for i in range(4)]
    page = list_page(fresh.ins, limit=2)
    assert [i["id"] for i in page["items"]] == [ids[3], ids[2]]
    create(fresh.ins, single(stem=f"Newer than the cursor {uniq()}"))
    rest = list_page(fresh.ins, limit=2, after=page["next"])
    assert [i["id"] for i in rest["items"]] == [ids[1], ids[0]]
    assert rest["next"] is None


@pytest.mark.parametrize("params,field", [
    ({"type": "essay"}, "type"),
    ({"status": "live"}, "status"),
    ({"difficulty": "9"}, "difficulty"),
    ({"difficulty": "x"}, "difficulty"),
    ({"domain": "1.4"}, "domain"),
    ({"objective": "one"}, "objective"),
    ({"tag": "Not A Tag"}, "tag"),
    ({"q": "x"}, "q"),
    ({"mine": "yes"}, "mine"),
    ({"deleted": "1"}, "deleted"),
    ({"after": "nope"}, "after"),
    ({"exam": "Net Plus"}, "exam"),
    ({"limit": "0"}, "limit"),
    ({"limit": "201"}, "limit"),
])
def test_list_refuses_bad_parameters(server, bank, params, field):
    assert_invalid(bank.ins.get("/api/v1/questions" + qs(**params)), field)


# ---- who may call the question routes ---------------------------------------

QUESTION_ROUTES = [
    ("GET", "/api/v1/questions", None),
    ("POST", "/api/v1/questions", "json"),
    ("POST", "/api/v1/questions/import?format=csv", "csv"),
    ("GET", "/api/v1/questions/stats", None),
    ("GET", "/api/v1/questions/{id}", None),
    ("PATCH", "/api/v1/questions/{id}", "json"),
    ("DELETE", "/api/v1/questions/{id}", None),
    ("POST", "/api/v1/questions/{id}/restore", None),
    ("GET", "/api/v1/questions/{id}/stats", None),
]


@pytest.fixture(scope="module")
def victim(server, bank):
    """A question the refused callers aim at."""
    return create(bank.ins, single(status="active"))


@pytest.mark.parametrize("method,path,kind", QUESTION_ROUTES,
                         ids=[f"{m} {p}" for m, p, _ in QUESTION_ROUTES])
@pytest.mark.parametrize("actor", ["student", "demo_student", "anonymous"])
def test_students_and_strangers_may_not_use_the_bank(server, bank, victim,
                                                     method, path, kind,
                                                     actor):
    path = path.replace("{id}", victim["id"])
    body, headers = None, {}
    if kind == "json":
        body = json.dumps(single()).encode()
        headers["Content-Type"] = "application/json"
    elif kind == "csv":
        body = b"question_text,option_a,option_b,correct_answer\nQ,a,b,A\n"
        headers["Content-Type"] = "text/csv"
    before = sql(server, "SELECT count(*), max(version), "
                         "count(deleted_at) FROM questions")
    if actor == "anonymous":
        r = server.request(method, path, body, headers)
        assert_problem(r, 401, "unauthenticated")
    else:
        who = bank.student if actor == "student" else \
            sign_in(server, "sarah_network", DEMO_PW)
        r = who.request(method, path, body, headers)
        assert_problem(r, 403, "forbidden")
    assert sql(server, "SELECT count(*), max(version), "
                       "count(deleted_at) FROM questions") == before
    assert get(bank.ins, victim["id"]).json == victim


def test_the_openapi_document_lists_the_bank_routes_for_instructors(server):
    r = server.request("GET", "/api/v1/openapi.json")
    if r.status == 404:
        pytest.skip("no OpenAPI document served")
    paths = r.json["paths"]
    for method, path, _ in QUESTION_ROUTES:
        op = paths[path.split("?")[0]][method.lower()]
        assert op["x-ludus-permission"] == "question.manage", \
            (method, path)


# ---- import: CSV -------------------------------------------------------------

def csv_file(tag, prefix):
    """A CSV with five good records and four broken ones, one of them a
    record whose quoted field spans lines (so line numbers are not row
    numbers)."""
    return (
        "question_id,exam_type,domain,type,question_text,option_a,"
        "option_a_explanation,option_b,option_b_explanation,option_c,"
        "correct_answer,explanation,difficulty,tags\n"
        f"{prefix}-1,network,1.4,single_choice,Which port is SSH?,21,FTP.,"
        f"22,SSH.,23,B,SSH is 22.,2,{tag};ports\n"
        f"{prefix}-2,network,2.1,multiple_select,\"Pick the two routing "
        f"protocols,\nwith a comma and a line break\",OSPF,,BGP,,ARP,"
        f"\"A,B\",,3,{tag}\n"
        f"{prefix}-3,network,1.0,true_false,Is UDP connectionless?,,,,,,"
        f"true,It is.,1,{tag}\n"
        f"{prefix}-4,network,1.4,single_choice,Broken: no such answer,a,,b,"
        f",,D,,,{tag}\n"
        f"{prefix}-5,network,1.4,fill_blank,The port of HTTPS?,,,,,,"
        f"443|https,,,{tag}\n"
        f"{prefix}-6,network,1.4,single_choice,Broken: bad difficulty,a,,b,"
        f",,A,,9,{tag}\n"
        f"{prefix}-7,network,1.9,single_choice,Broken: objective 1.9,a,,b,"
        f",,A,,,{tag}\n"
        "\n"
        f"{prefix}-8,network,3.1,ordering,Order the steps,Identify,,Test,,"
        f"Establish,\"A,C,B\",,,{tag}\n"
        f"{prefix}-9,network,1.4,single_choice,\"Broken: a stray \"quote,"
        f"a,,b,,,A,,,{tag}\n")


def test_csv_import_takes_the_good_records_and_reports_the_rest(server,
                                                                fresh):
    tag, prefix = uniq("csv"), uniq("C").upper()
    text = csv_file(tag, prefix)
    rep = report(import_file(fresh.ins, text, ctype="text/csv"))
    assert rep["dry_run"] is False
    assert rep["records"] == 9
    assert (rep["created"], rep["updated"], rep["unchanged"],
            rep["failed"]) == (5, 0, 0, 4)
    errors = {e["line"]: e["reason"] for e in rep["errors"]}
    assert set(errors) == {6, 8, 9, 12}, rep["errors"]
    assert "no option D" in errors[6]
    assert "difficulty" in errors[8]
    assert "1.9" in errors[9]
    assert "quote" in errors[12]
    rows = bank_rows(server, fresh.org)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (f"{prefix}-1", "single_choice", "active"),
        (f"{prefix}-2", "multiple_select", "active"),
        (f"{prefix}-3", "true_false", "active"),
        (f"{prefix}-5", "fill_blank", "active"),
        (f"{prefix}-8", "ordering", "active")]
    assert rows[1][2] == ("Pick the two routing protocols,<LF>with a comma "
                          "and a line break")
    # Each is a normal question of the importer's.
    items = {i["external_id"]: i for i in
             list_page(fresh.ins, tag=tag, limit=50)["items"]}
    one = items[f"{prefix}-1"]
    assert one["owner_id"] == fresh.ins.id
    assert one["exam"] == "network" and one["domain"] == "1.0"
    assert one["objectives"] == ["1.4"] and one["difficulty"] == 2
    assert one["tags"] == [tag, "ports"] and one["explanation"] == "SSH is 22."
    assert one["body"]["options"] == [
        {"key": "A", "text": "21", "explanation": "FTP.", "correct": False},
        {"key": "B", "text": "22", "explanation": "SSH.", "correct": True},
        {"key": "C", "text": "23", "explanation": None, "correct": False}]
    two = items[f"{prefix}-2"]
    assert [o["correct"] for o in two["body"]["options"]] == [True, True,
                                                               False]
    three = items[f"{prefix}-3"]
    assert three["domain"] == "1.0" and three["objectives"] == []
    assert [(o["key"], o["correct"]) for o in three["body"]["options"]] == [
        ("true", True), ("false", False)]
    five = items[f"{prefix}-5"]
    assert five["body"]["answers"] == [{"text": "443"}, {"text": "https"}]
    eight = items[f"{prefix}-8"]
    assert [i["text"] for i in eight["body"]["items"]] == [
        "Identify", "Establish", "Test"]

    # The same file again adds nothing.
    rep = report(import_file(fresh.ins, text, ctype="text/csv"))
    assert (rep["created"], rep["updated"], rep["unchanged"],
            rep["failed"]) == (0, 0, 5, 4)
    assert bank_rows(server, fresh.org) == rows
    versions = sql(server, "SELECT q.version FROM questions q JOIN "
                           "organizations o ON o.id = q.org_id "
                           f"WHERE o.slug = '{fresh.org}'")
    assert versions == [["1"]] * 5

    # A changed record is updated, in place.
    changed = text.replace("Which port is SSH?", "Which TCP port is SSH?") \
        .replace(f"{prefix}-5,network,1.4,fill_blank,The port of HTTPS?,,,,,,"
                 f"443|https,,,",
                 f"{prefix}-5,network,1.4,fill_blank,The port of HTTPS?,,,,,,"
                 f"443|https,,4,")
    rep = report(import_file(fresh.ins, changed, ctype="text/csv"))
    assert (rep["created"], rep["updated"], rep["unchanged"],
            rep["failed"]) == (0, 2, 3, 4)
    rows2 = bank_rows(server, fresh.org)
    assert len(rows2) == 5 and rows2[0][2] == "Which TCP port is SSH?"
    assert sql(server, f"SELECT difficulty, version FROM questions WHERE "
                       f"external_id = '{prefix}-5'") == [["4", "2"]]


def test_records_without_an_id_match_by_their_content(server, fresh):
    text = ("question_text,option_a,option_b,correct_answer,difficulty\n"
            "Which layer is IP?,Network,Transport,A,2\n"
            "Which layer is TCP?,Network,Transport,B,2\n"
            "Which layer is TCP?,Network,Transport,B,2\n")
    rep = report(import_file(fresh.ins, text))
    # The third record is the second again.
    assert (rep["created"], rep["updated"], rep["unchanged"],
            rep["failed"]) == (2, 0, 1, 0)
    rep = report(import_file(fresh.ins, text))
    assert (rep["created"], rep["unchanged"]) == (0, 3)
    # Not content: metadata changes update the question found by content.
    rep = report(import_file(fresh.ins, text.replace(",A,2", ",A,5")))
    assert (rep["created"], rep["updated"], rep["unchanged"]) == (0, 1, 2)
    # New content is a new question.
    rep = report(import_file(fresh.ins, text.replace("Network,Transport,A",
                                                     "Network,Session,A")))
    assert (rep["created"], rep["unchanged"]) == (1, 2)
    assert len(bank_rows(server, fresh.org)) == 3
    assert sql(server, "SELECT q.difficulty FROM questions q JOIN "
                       "organizations o ON o.id = q.org_id WHERE o.slug = "
                       f"'{fresh.org}' AND q.stem = 'Which layer is IP?' "
                       "ORDER BY q.created_at") == [["5"], ["2"]]


def test_a_dry_run_keeps_nothing(server, fresh):
    tag, prefix = uniq("dry"), uniq("D").upper()
    rep = report(import_file(fresh.ins, csv_file(tag, prefix),
                             dry_run="true"))
    assert rep["dry_run"] is True
    assert (rep["created"], rep["failed"]) == (5, 4)
    assert bank_rows(server, fresh.org) == []
    rep = report(import_file(fresh.ins, csv_file(tag, prefix),
                             dry_run="false"))
    assert rep["dry_run"] is False and rep["created"] == 5
    # A dry run of what is there reports it unchanged, and keeps that too.
    rep = report(import_file(fresh.ins, csv_file(tag, prefix).replace(
        "Which port is SSH?", "Changed?"), dry_run="true"))
    assert (rep["created"], rep["updated"], rep["unchanged"]) == (0, 1, 4)
    assert bank_rows(server, fresh.org)[0][2] == "Which port is SSH?"


def test_import_options_exam_and_status(server, fresh):
    text = ("question_id,domain,question_text,option_a,option_b,"
            "correct_answer,status\n"
            "OPT-1,2.1,Which protocol is a link state one?,OSPF,RIP,A,\n"
            "OPT-2,,A question with no domain,yes,no,A,retired\n"
            "OPT-3,1.1,A question of another exam,yes,no,A,\n")
    rep = report(import_file(fresh.ins, text, exam="network",
                             status="draft"))
    assert (rep["created"], rep["failed"]) == (3, 0), rep
    got = {i["external_id"]: i for i in list_page(fresh.ins)["items"]}
    assert got["OPT-1"]["exam"] == "network"
    assert got["OPT-1"]["domain"] == "2.0"
    assert got["OPT-1"]["status"] == "draft"
    assert got["OPT-2"]["status"] == "retired"
    r = import_file(fresh.ins, text, exam="Bad Exam")
    assert_invalid(r, "exam")
    r = import_file(fresh.ins, text, status="live")
    assert_invalid(r, "status")
    r = import_file(fresh.ins, text, dry_run="maybe")
    assert_invalid(r, "dry_run")


def test_the_seed_format_with_its_options_json(server, fresh):
    """Seed 003's columns, with every type through the options JSON."""
    def row(*cells):
        out = []
        for c in cells:
            c = str(c)
            if any(ch in c for ch in ',"\n'):
                c = '"' + c.replace('"', '""') + '"'
            out.append(c)
        return ",".join(out)
    opts = json.dumps
    lines = [
        "Question_ID,Exam_Type,Domain,Type,Question_Text,Options,"
        "Correct_Answer,Explanation,Difficulty,Tags",
        row("SEED-1", "network", "1.4", "", "Port of DNS?",
            opts({"A": {"text": "53", "explanation": "DNS."},
                  "B": {"text": "67", "explanation": "DHCP."}}),
            "A", "DNS is 53.", 2, "dns"),
        row("SEED-2", "network", "1.0", "matching", "Match the ports.",
            opts({"1": {"text": "SSH", "match": "22"},
                  "2": {"text": "HTTPS", "match": "443",
                        "explanation": "TLS."}}), "", "", "", ""),
        row("SEED-3", "network", "5.1", "ordering", "Order the method.",
            opts({"A": "Identify the problem", "B": "Test the theory",
                  "C": "Establish a theory"}), "A,C,B", "", 3, ""),
        row("SEED-4", "network", "1.0", "true_false", "UDP is reliable.",
            opts({"true": {"explanation": "No: UDP has no acks."},
                  "false": {"explanation": "Right: no acks."}}),
            "F", "", "", ""),
        row("SEED-5", "NETWORK", "1.4", "multiple_select", "Pick two.",
            opts({"A": "SSH", "B": "SFTP", "C": "Telnet"}), "A;B", "", "",
            "Mixed Case"),
        row("SEED-6", "network", "1.4", "single_choice", "Broken JSON",
            "{not json", "A", "", "", ""),
        row("SEED-7", "network", "1.4", "essay", "Unknown type", "", "", "",
            "", ""),
    ]
    rep = report(import_file(fresh.ins, "\r\n".join(lines) + "\r\n"))
    assert (rep["created"], rep["failed"]) == (5, 2), rep
    errors = {e["line"]: e["reason"] for e in rep["errors"]}
    assert set(errors) == {7, 8}
    assert "JSON" in errors[7] and "essay" in errors[8]
    got = {i["external_id"]: i for i in list_page(fresh.ins)["items"]}
    assert got["SEED-1"]["type"] == "single_choice"
    assert got["SEED-1"]["body"]["options"][1]["explanation"] == "DHCP."
    assert got["SEED-2"]["body"]["pairs"] == [
        {"key": "1", "left": "SSH", "right": "22", "explanation": None},
        {"key": "2", "left": "HTTPS", "right": "443", "explanation": "TLS."}]
    assert [i["text"] for i in got["SEED-3"]["body"]["items"]] == [
        "Identify the problem", "Establish a theory", "Test the theory"]
    assert got["SEED-3"]["domain"] == "5.0"
    assert got["SEED-4"]["body"]["options"] == [
        {"key": "true", "text": "True", "explanation": "No: UDP has no acks.",
         "correct": False},
        {"key": "false", "text": "False", "explanation": "Right: no acks.",
         "correct": True}]
    assert got["SEED-5"]["exam"] == "network"
    assert got["SEED-5"]["tags"] == ["mixed", "case"]
    assert [o["correct"] for o in got["SEED-5"]["body"]["options"]] == [
        True, True, False]


def test_a_true_false_row_with_explanation_columns_only(server, fresh):
    """docs/questions.md: a true_false row's options only explain True and
    False (seed 003's line 35 is such a row)."""
    text = ("question_id,type,question_text,option_a,option_a_explanation,"
            "option_b,option_b_explanation,correct_answer\n"
            "TF-1,true_false,East-west traffic stays inside the data "
            "center.,,Right: it moves between servers.,,No: that is "
            "north-south.,true\n")
    rep = report(import_file(fresh.ins, text))
    assert (rep["created"], rep["failed"]) == (1, 0), rep
    q = list_page(fresh.ins)["items"][0]
    assert q["body"]["options"][0]["explanation"] == \
        "Right: it moves between servers."


def test_a_fault_of_the_whole_file(server, fresh):
    good = "question_text,option_a,option_b,correct_answer\nQ,a,b,A\n"
    cases = [
        ("question_text,option_a,colour\nQ,a,b\n", 1, "colour"),
        ("\n\nquestion_text,question_text\nQ,Q\n", 3, "twice"),
        ("option_a,option_b\na,b\n", 1, "question_text"),
        ("hello,world\n1,2\n", 1, "header"),
        ("\n\n", 1, "empty"),
        ("question_text,option_a\nQ,\xff\n".encode("latin-1"), 2, "UTF-8"),
        (b"question_text\nQ\x00\n", 2, "NUL"),
    ]
    for text, line, words in cases:
        r = import_file(fresh.ins, text)
        p = assert_problem(r, 422, "unreadable-file")
        assert p["line"] == line, (text, p)
        assert words in p["detail"], (text, p)
    assert bank_rows(server, fresh.org) == []
    assert report(import_file(fresh.ins, good))["created"] == 1


def test_a_report_names_the_first_thousand_faults_and_counts_all(server,
                                                                  fresh):
    text = "\ufeffQuestion_Text,option_a,option_b,correct_answer\n" + "".join(
        f"Broken {i},a,b,Z\n" for i in range(1005)) + "Good one,a,b,B\n"
    # As many records make a background job (test_jobs.py): its result is
    # the report.
    r = import_file(fresh.ins, text)
    assert r.status == 202, r
    job = follow_job(fresh.ins, r.json["href"])
    assert job["status"] == "succeeded", job
    rep = job["result"]
    assert (rep["records"], rep["created"], rep["failed"]) == (1006, 1, 1005)
    assert len(rep["errors"]) == 1000
    assert [e["line"] for e in rep["errors"][:3]] == [2, 3, 4]
    assert rep["errors"][-1]["line"] == 1001


def test_the_format_and_the_body_are_required(server, bank):
    text = "question_text,option_a,option_b,correct_answer\nQ,a,b,A\n"
    assert_invalid(import_file(bank.ins, text, fmt=None), "format")
    assert_invalid(import_file(bank.ins, text, fmt="xlsx"), "format")
    assert_invalid(import_file(bank.ins, "", fmt=None), "format")
    assert_problem(import_file(bank.ins, "", fmt="csv"), 400, "empty-body")
    assert_problem(import_file(bank.ins, "", fmt="gift"), 400, "empty-body")


def test_a_csv_content_type_names_the_format(server, fresh):
    text = ("question_text,option_a,option_b,correct_answer\n"
            f"By content type {uniq()},a,b,A\n")
    rep = report(import_file(fresh.ins, text, fmt=None,
                             ctype="text/csv; charset=utf-8"))
    assert rep["created"] == 1
    # ?format= wins over the content type.
    gift = f"::CT-1::By GIFT {uniq()}{{=a ~b}}\n"
    rep = report(import_file(fresh.ins, gift, fmt="gift", ctype="text/csv"))
    assert rep["created"] == 1


def test_import_keeps_to_the_authors_own_questions(server, fresh):
    text = ("question_id,question_text,option_a,option_b,correct_answer\n"
            "OWN-1,Whose is it?,mine,yours,A\n"
            "OWN-2,Whose is this one?,mine,yours,A\n")
    assert report(import_file(fresh.ins, text))["created"] == 2
    # Another instructor may not overwrite them...
    rep = report(import_file(fresh.other, text.replace("mine", "theirs")))
    assert (rep["created"], rep["updated"], rep["failed"]) == (0, 0, 2)
    assert all("another author" in e["reason"] for e in rep["errors"])
    assert [e["line"] for e in rep["errors"]] == [2, 3]
    # ... an admin may.
    rep = report(import_file(fresh.admin, text.replace("mine", "ours")))
    assert (rep["updated"], rep["failed"]) == (2, 0), rep
    # A deleted question must be restored before a re-import.
    q = list_page(fresh.ins)["items"][0]
    assert fresh.ins.request("DELETE", f"/api/v1/questions/{q['id']}") \
        .status == 200
    rep = report(import_file(fresh.ins, text))
    assert rep["failed"] == 1 and "restore" in rep["errors"][0]["reason"]
    assert rep["unchanged"] + rep["updated"] == 1
    assert len(bank_rows(server, fresh.org)) == 2


# ---- import: GIFT and Aiken ---------------------------------------------------

GIFT = r"""// Network+ questions written the way Moodle's docs show them.
// A comment line before the category.
$CATEGORY: $course$/top/network/1.5/Common Ports

::G-SSH::[markdown]Which port does **SSH** use by default?{
	=22 # Right: SSH listens on TCP 22.
	~23 # Telnet.
	~21 # FTP control.
	####SSH replaced Telnet for remote shells.
}

::G-SECURE:: Select the secure protocols.{
	~%50%SSH
	~%50%HTTPS # TLS.
	~%-100%Telnet
}

// T/F with feedback: the first is shown to who answers wrong.
::G-TF::DNS uses port 53.{T#No, it does.#Yes.}

::G-NUM::What is the default port of HTTP?{#80}

::G-RANGE::Give a port of the dynamic range's first hundred.{#49152..49251}

::G-NUMS::A port of SSH or, for half marks, FTP?{#
	=22:0 # SSH.
	=%50%21:0.5
	~%0%99
}

::G-MATCH::Match the protocol to its port.{
	=SSH -> 22
	=Telnet -> 23
	=HTTP -> 80
}

$CATEGORY: network/2.0/Routing Basics
::G-SHORT::Type the IPv4 loopback address.{=127.0.0.1 =localhost}

::G-ESC::Escapes\: a \{brace\}, an equals \= sign, a tilde \~ and a hash \#.{
	=yes \= right
	~no
}

::G-ESSAY::Describe the OSI model.{}

::G-MISSING::The cat {=sat ~stood} on the mat.

A title-less question about\nline breaks?{=Yes ~No}

Just a description, no answers.
"""


def test_a_gift_file_in_moodles_syntax(server, fresh):
    rep = report(import_file(fresh.ins, GIFT, fmt="gift"))
    assert (rep["records"], rep["created"], rep["failed"]) == (13, 11, 2), rep
    errors = {e["line"]: e["reason"] for e in rep["errors"]}
    lines = GIFT.split("\n")
    line_of = {name: i + 1 for i, l in enumerate(lines) for name in
               ("G-ESSAY",) if l.startswith(f"::{name}::")}
    line_of["desc"] = lines.index("Just a description, no answers.") + 1
    assert set(errors) == set(line_of.values()), rep["errors"]
    assert "essay" in errors[line_of["G-ESSAY"]]
    assert "description" in errors[line_of["desc"]]

    got = {i["external_id"]: i for i in list_page(fresh.ins)["items"]}
    ssh = got["G-SSH"]
    assert ssh["type"] == "single_choice"
    assert ssh["stem"] == "Which port does **SSH** use by default?"
    assert ssh["explanation"] == "SSH replaced Telnet for remote shells."
    assert ssh["exam"] == "network" and ssh["objectives"] == ["1.5"]
    assert ssh["domain"] == "1.0" and ssh["tags"] == ["common-ports"]
    assert ssh["status"] == "active"
    assert ssh["body"]["options"] == [
        {"key": "A", "text": "22", "explanation":
         "Right: SSH listens on TCP 22.", "correct": True},
        {"key": "B", "text": "23", "explanation": "Telnet.",
         "correct": False},
        {"key": "C", "text": "21", "explanation": "FTP control.",
         "correct": False}]
    sec = got["G-SECURE"]
    assert sec["type"] == "multiple_select"
    assert [(o["text"], o["correct"]) for o in sec["body"]["options"]] == [
        ("SSH", True), ("HTTPS", True), ("Telnet", False)]
    assert sec["body"]["options"][1]["explanation"] == "TLS."
    tf = got["G-TF"]
    assert tf["type"] == "true_false"
    assert tf["body"]["options"] == [
        {"key": "true", "text": "True", "explanation": "Yes.",
         "correct": True},
        {"key": "false", "text": "False", "explanation": "No, it does.",
         "correct": False}]
    num = got["G-NUM"]
    assert num["type"] == "fill_blank"
    assert num["body"]["numeric"] == [{"value": 80, "tolerance": 0}]
    assert num["body"]["answers"] == []
    rng = got["G-RANGE"]["body"]["numeric"][0]
    assert (rng["value"], rng["tolerance"]) == (49201.5, 49.5)
    nums = got["G-NUMS"]
    assert nums["type"] == "fill_blank"
    assert nums["body"]["numeric"] == [{"value": 22, "tolerance": 0},
                                       {"value": 21, "tolerance": 0.5,
                                        "credit": 0.5}]
    # The missing-word form keeps a blank where the block was.
    assert got["G-MISSING"]["stem"] == "The cat _____ on the mat."
    match = got["G-MATCH"]
    assert match["type"] == "matching"
    assert [(p["left"], p["right"]) for p in match["body"]["pairs"]] == [
        ("SSH", "22"), ("Telnet", "23"), ("HTTP", "80")]
    short = got["G-SHORT"]
    assert short["type"] == "fill_blank"
    assert short["body"]["answers"] == [{"text": "127.0.0.1"},
                                        {"text": "localhost"}]
    # The second category replaced the first: domain, no objectives.
    assert short["domain"] == "2.0" and short["objectives"] == []
    assert short["tags"] == ["routing-basics"]
    esc = got["G-ESC"]
    assert esc["stem"] == ("Escapes: a {brace}, an equals = sign, a tilde ~ "
                           "and a hash #.")
    assert [(o["text"], o["correct"]) for o in esc["body"]["options"]] == [
        ("yes = right", True), ("no", False)]
    untitled = [i for i in list_page(fresh.ins)["items"]
                if i["external_id"] is None]
    assert len(untitled) == 1
    assert untitled[0]["stem"] == "A title-less question about\nline breaks?"
    assert untitled[0]["type"] == "single_choice"

    # Again: nothing new (by external id, and by content for the untitled).
    rep = report(import_file(fresh.ins, GIFT, fmt="gift"))
    assert (rep["created"], rep["unchanged"], rep["failed"]) == (0, 11, 2)


AIKEN = """Which port does SSH use by default?
A) 21
B) 22
C. 23
ANSWER: B

Which device works at layer 3
of the OSI model?
A. Hub
B. Switch
C. Router
ANSWER: C

What is 2+2?
A) 3
B) 4
ANSWER: C

A question without an answer line
A) yes
B) no
Next question right after the options?
A) one
B) two
ANSWER: A
"""


def test_an_aiken_file(server, fresh):
    rep = report(import_file(fresh.ins, AIKEN, fmt="aiken", exam="network"))
    assert (rep["records"], rep["created"], rep["failed"]) == (5, 3, 2), rep
    errors = {e["line"]: e["reason"] for e in rep["errors"]}
    assert set(errors) == {14, 19}, rep["errors"]
    assert "no option C" in errors[14]
    assert "ANSWER" in errors[19]
    got = sorted(list_page(fresh.ins)["items"], key=lambda q: q["stem"])
    assert [q["stem"] for q in got] == [
        "Next question right after the options?",
        "Which device works at layer 3\nof the OSI model?",
        "Which port does SSH use by default?"]
    assert all(q["type"] == "single_choice" and q["exam"] == "network"
               and q["external_id"] is None for q in got)
    assert got[2]["body"]["options"] == [
        {"key": "A", "text": "21", "explanation": None, "correct": False},
        {"key": "B", "text": "22", "explanation": None, "correct": True},
        {"key": "C", "text": "23", "explanation": None, "correct": False}]
    assert [o["correct"] for o in got[1]["body"]["options"]] == [
        False, False, True]
    assert [o["correct"] for o in got[0]["body"]["options"]] == [True, False]
    rep = report(import_file(fresh.ins, AIKEN, fmt="aiken", exam="network"))
    assert (rep["created"], rep["unchanged"]) == (0, 3)


ODD_FILES = [
    ("csv", '"'),
    ("csv", 'question_text\n"'),
    ("csv", 'question_text\n""""\n'),
    ("csv", 'question_text,options,correct_answer\nQ,"{""A"": 1}",A\n'),
    ("csv", 'question_text,options,correct_answer\nQ,"[1,2]",A\n'),
    ("csv", 'question_text,options,correct_answer\nQ,"{""A"": {""text"": '
            '5}}",A\n'),
    ("csv", "question_text,type,correct_answer\nQ,matching,\n"
            "Q,ordering,\nQ,true_false,maybe\nQ,fill_blank,|||\n"),
    ("csv", "question_text,type,option_a,correct_answer\nQ,matching,"
            "a -> ,\nQ,matching,->b,\nQ,ordering,x,\"A,A\"\n"),
    ("csv", "question_text,domain,objectives,difficulty,tags\n"
            "Q,99.99,1.1;x;;,-0,TAG;;\n"),
    ("csv", ",,,\n,,,\n"),
    ("csv", "question_text," + ",".join(["option_a"] * 3) + "\n"),
    ("gift", "{"), ("gift", "}"), ("gift", "::"), ("gift", "::a::"),
    ("gift", "::a::{"), ("gift", "Q{#}"), ("gift", "Q{#..}"),
    ("gift", "Q{#:}"), ("gift", "Q{#=}"), ("gift", "Q{#=%50%}"),
    ("gift", "Q{=->}"), ("gift", "Q{= -> a =b -> }"), ("gift", "Q{~%%}"),
    ("gift", "Q{~%100%}"), ("gift", "Q{=a ~b #}"), ("gift", "Q{T#}"),
    ("gift", "Q{FALSE##}"), ("gift", "Q{####}"), ("gift", "Q{=a####}"),
    ("gift", "\\"), ("gift", "Q\\{=a}"), ("gift", "$CATEGORY:"),
    ("gift", "$CATEGORY: ////"), ("gift", "$CATEGORY: 1.1/2.0/3.3/top/$x$"),
    ("gift", "Q{" + "~a " * 150 + "=b}"), ("gift", "Q{=" + "x" * 5000 + "}"),
    ("gift", "// only a comment"), ("gift", "Q{=a}{=b}"),
    ("aiken", "A)"), ("aiken", "ANSWER:"), ("aiken", "Q\nANSWER: A"),
    ("aiken", "Q\nA) a\nB) b\nANSWER: AB"),
    ("aiken", "Q\nA) a\nC) c\nANSWER: A"),
    ("aiken", "Q\nA) \nB) b\nANSWER: A"),
    ("aiken", "Q\n" + "".join(f"{chr(65 + i)}) x\n" for i in range(26)) +
     "ANSWER: Z"),
    ("aiken", "\n\n\n"),
]


@pytest.mark.parametrize("fmt,text", ODD_FILES,
                         ids=[f"{f}-{i}" for i, (f, _) in
                              enumerate(ODD_FILES)])
def test_odd_files_are_reported_not_fatal(server, bank, fmt, text):
    before = sql(server, "SELECT count(*) FROM questions")
    r = import_file(bank.ins, text, fmt=fmt, dry_run="true")
    assert r.status in (200, 422), r
    if r.status == 422:
        assert r.json["type"] == "/problems/unreadable-file"
        assert r.json["line"] >= 1
    else:
        rep = r.json
        assert rep["created"] + rep["updated"] + rep["unchanged"] + \
            rep["failed"] == rep["records"]
        assert len(rep["errors"]) == rep["failed"]
        assert all(e["line"] >= 1 and e["reason"] for e in rep["errors"])
    assert sql(server, "SELECT count(*) FROM questions") == before
    assert server.request("GET", "/healthz").status == 200


def test_a_file_over_the_body_limit(server, start_server):
    s = start_server(server.db, env={"LUDUS_MAX_BODY_BYTES": "2048"})
    ins = sign_in(s, "instructor", DEMO_PW)
    head = "question_text,option_a,option_b,correct_answer\n"
    rows = "".join(f"Big file question {i},a,b,A\n" for i in range(200))
    before = sql(server, "SELECT count(*) FROM questions")
    r = import_file(ins, head + rows)
    assert_problem(r, 413, "body-too-large")
    assert sql(server, "SELECT count(*) FROM questions") == before
    # Under the limit it goes through on the same server.
    r = import_file(ins, head + f"Small file {uniq()},a,b,A\n",
                    dry_run="true")
    assert r.status == 200 and r.json["created"] == 1, r

