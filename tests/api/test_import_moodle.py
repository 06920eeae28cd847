"""Imports that Moodle accepts: GIFT and Aiken files written with the
constructs Moodle's documentation shows (matching with extra wrong answers,
the missing-word form, numeric tolerances, ranges and part credit, several
accepted short answers, weights, feedback, escapes, comments, titles,
format markers, categories; Aiken options without a space after the
letter) go through the import endpoint into the bank as the questions they
mean, the ones Ludus cannot score the same way are refused with their line
and reason, and an imported distractor and part credit count in an attempt.

Each test has an organization of its own.
"""
import pytest

from support import qs, sign_in, sql
from support import new_account as _new_account, new_org as _new_org


class Org:
    def __init__(self, server):
        self.org = _new_org(server, "moodle")
        self.ins = _new_account(server, "instructor", self.org, "mi")
        self.student = _new_account(server, "student", self.org, "ms")


@pytest.fixture
def fresh(server):
    return Org(server)


def import_file(who, text, fmt, **params):
    params["format"] = fmt
    r = who.request("POST", "/api/v1/questions/import" + qs(**params),
                    text.encode(), {"Content-Type": "text/plain"})
    assert r.status == 200, r
    return r.json


def bank(who):
    r = who.get("/api/v1/questions" + qs(limit=200))
    assert r.status == 200, r
    return r.json["items"]


GIFT = r"""// Moodle's GIFT, as its documentation writes it.
$CATEGORY: $course$/top/network/1.5/Ports from Moodle

::M-MATCH::Match the protocol to its port.{
	=SSH -> 22
	=Telnet -> 23
	= -> 25
	=HTTP -> 80
	=   -> 8080
}

::M-MISSING::Moodle costs {~lots of money =nothing ~a small amount} to download.

::M-TF-MISSING::The sun {T} rises in the east.

::M-PI::[markdown]What is **pi**, to three places?{#3.14:0.005}

::M-RANGE::A number from 1 to 5?{#1..5}

::M-PI-PART::Pi, please.{#
	=%50%3.1:0.1 # Close.
	=3.14:0.005 # Right.
	####Pi is about 3.14159.
}

::M-SHORT::Two plus two is {=four =4 =%50%for} in words or digits.

::M-ESC::Escapes\: \{ \} \= \~ \# and a colon.{=a \= b ~c \~ d}

// A comment between questions.
::M-HTML::[html]<p>Which tag is <b>bold</b>?</p>{=&lt;b&gt; ~&lt;i&gt;}

::M-ESSAY::Describe the OSI model.{}

::M-TWO::Which is a loopback address?{=127.0.0.1 =::1 ~10.0.0.1}

::M-HEAVY::Too heavy {~%150%a ~b}
"""


def test_a_gift_file_with_moodles_constructs(server, fresh):
    rep = import_file(fresh.ins, GIFT, "gift")
    lines = GIFT.split("\n")
    line = {l.split("::")[1]: i + 1 for i, l in enumerate(lines)
            if l.startswith("::")}
    errors = {e["line"]: e["reason"] for e in rep["errors"]}
    assert (rep["records"], rep["created"], rep["failed"]) == (12, 9, 3), rep
    assert set(errors) == {line["M-ESSAY"], line["M-TWO"], line["M-HEAVY"]}
    assert errors[line["M-ESSAY"]] == ("essay questions ({}) need manual "
                                       "grading, not yet supported")
    assert "2 answers are marked = in a one-answer question" in \
        errors[line["M-TWO"]]
    assert "weighs more than 100%" in errors[line["M-HEAVY"]]

    got = {q["external_id"]: q for q in bank(fresh.ins)}
    assert set(got) == {"M-MATCH", "M-MISSING", "M-TF-MISSING", "M-PI",
                        "M-RANGE", "M-PI-PART", "M-SHORT", "M-ESC", "M-HTML"}
    # The category applies to every question after it.
    assert all(q["exam"] == "network" and q["objectives"] == ["1.5"] and
               q["tags"] == ["ports-from-moodle"] for q in got.values())

    match = got["M-MATCH"]
    assert match["type"] == "matching"
    assert [(p["key"], p["left"], p["right"])
            for p in match["body"]["pairs"]] == [
        ("1", "SSH", "22"), ("2", "Telnet", "23"), ("3", "HTTP", "80")]
    assert match["body"]["distractors"] == [{"key": "x1", "text": "25"},
                                            {"key": "x2", "text": "8080"}]

    assert got["M-MISSING"]["stem"] == "Moodle costs _____ to download."
    assert [(o["text"], o["correct"])
            for o in got["M-MISSING"]["body"]["options"]] == [
        ("lots of money", False), ("nothing", True), ("a small amount", False)]
    assert got["M-TF-MISSING"]["type"] == "true_false"
    assert got["M-TF-MISSING"]["stem"] == "The sun _____ rises in the east."

    assert got["M-PI"]["stem"] == "What is **pi**, to three places?"
    assert got["M-PI"]["body"]["numeric"] == [{"value": 3.14,
                                               "tolerance": 0.005}]
    assert got["M-RANGE"]["body"]["numeric"] == [{"value": 3,
                                                  "tolerance": 2}]
    part = got["M-PI-PART"]
    assert part["explanation"] == "Pi is about 3.14159."
    assert part["body"]["numeric"] == [
        {"value": 3.1, "tolerance": 0.1, "credit": 0.5},
        {"value": 3.14, "tolerance": 0.005}]
    assert got["M-SHORT"]["stem"] == "Two plus two is _____ in words or digits."
    assert got["M-SHORT"]["body"]["answers"] == [
        {"text": "four"}, {"text": "4"}, {"text": "for", "credit": 0.5}]

    esc = got["M-ESC"]
    assert esc["stem"] == "Escapes: { } = ~ # and a colon."
    assert [o["text"] for o in esc["body"]["options"]] == ["a = b", "c ~ d"]
    html = got["M-HTML"]
    assert html["stem"] == "Which tag is bold?"
    assert [o["text"] for o in html["body"]["options"]] == ["<b>", "<i>"]

    # Again: nothing new, nothing changed (the same normal form and hash).
    rep = import_file(fresh.ins, GIFT, "gift")
    assert (rep["created"], rep["updated"], rep["unchanged"],
            rep["failed"]) == (0, 0, 9, 3), rep


AIKEN = """What is the capital of France?
A)Paris
B)Rome
C.Berlin
D. Madrid
ANSWER:A

A.M. radio uses which modulation?
A)Amplitude
B)Frequency
answer : A

Which layer routes packets?
A) Physical
B)\tNetwork
ANSWER: B
"""


def test_an_aiken_file_in_moodles_lenient_forms(server, fresh):
    rep = import_file(fresh.ins, AIKEN, "aiken")
    assert (rep["records"], rep["created"], rep["failed"]) == (3, 3, 0), rep
    got = {q["stem"]: q for q in bank(fresh.ins)}
    assert set(got) == {"What is the capital of France?",
                        "A.M. radio uses which modulation?",
                        "Which layer routes packets?"}
    assert [(o["key"], o["text"], o["correct"]) for o in
            got["What is the capital of France?"]["body"]["options"]] == [
        ("A", "Paris", True), ("B", "Rome", False), ("C", "Berlin", False),
        ("D", "Madrid", False)]
    assert [o["text"] for o in got["A.M. radio uses which modulation?"]
            ["body"]["options"]] == ["Amplitude", "Frequency"]
    assert [o["correct"] for o in got["Which layer routes packets?"]
            ["body"]["options"]] == [False, True]


def label(entries, text):
    found = [e["label"] for e in entries if e["text"] == text]
    assert len(found) == 1, (entries, text)
    return found[0]


def test_imported_distractors_and_part_credit_count_in_an_attempt(server,
                                                                  fresh):
    """A learner sees the distractors among the right texts and may pick
    one (wrong); a part-credit range earns its part with partial credit."""
    text = ("::A-MATCH::Match the port.{=SSH -> 22 =Telnet -> 23 "
            "= -> 25 = -> 80}\n\n"
            "::A-PI::Pi?{#=%50%3.1:0.1 =3.14:0.005}\n")
    rep = import_file(fresh.ins, text, "gift", exam="network")
    assert rep["created"] == 2, rep
    ids = {q["external_id"]: q["id"] for q in bank(fresh.ins)}
    r = fresh.ins.request("POST", "/api/v1/assessments",
                          {"title": "From Moodle", "status": "published",
                           "partial_credit": True})
    assert r.status == 201, r
    aid = r.json["id"]
    r = fresh.ins.request("PUT", f"/api/v1/assessments/{aid}/questions",
                          {"questions": [{"question_id": ids["A-MATCH"]},
                                         {"question_id": ids["A-PI"]}]})
    assert r.status == 200, r

    me = fresh.student
    r = me.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == 201, r
    att = r.json
    items = {q["question_id"]: q for q in att["questions"]}
    match = items[ids["A-MATCH"]]
    assert sorted(e["text"] for e in match["rights"]) == ["22", "23", "25",
                                                          "80"]
    assert sorted(e["text"] for e in match["lefts"]) == ["SSH", "Telnet"]
    # SSH right, Telnet matched to the distractor 25.
    pairs = {label(match["lefts"], "SSH"): label(match["rights"], "22"),
             label(match["lefts"], "Telnet"): label(match["rights"], "25")}
    r = me.request("PUT", f"/api/v1/attempts/{att['id']}/answers/"
                   f"{ids['A-MATCH']}", {"answer": {"pairs": pairs}})
    assert r.status == 200, r
    r = me.request("PUT", f"/api/v1/attempts/{att['id']}/answers/"
                   f"{ids['A-PI']}", {"answer": {"text": "3.05"}})
    assert r.status == 200, r
    r = me.request("POST", f"/api/v1/attempts/{att['id']}/submit")
    assert r.status == 200, r
    stored = dict(sql(server, f"SELECT question_id, credit FROM "
                              f"attempt_answers WHERE attempt_id = "
                              f"'{att['id']}'"))
    assert float(stored[ids["A-MATCH"]]) == pytest.approx(0.5)
    assert float(stored[ids["A-PI"]]) == pytest.approx(0.5)
    assert float(r.json["result"]["percentage"]) == pytest.approx(50)
