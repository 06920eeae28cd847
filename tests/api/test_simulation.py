"""The seeded Network+ assessments over the seeded question bank
(sql/seed/0003_questions.csv, sql/seed/0004_assessments.sql): the exam
simulation (90 questions in 90 minutes, drawn by the exam's domain weights
and scored on the 100-900 scale with 720 to pass), the four domain quizzes
with feedback after each answer, and the timed troubleshooting practice
exam.  A passed security quiz completes the course's quiz lesson.

Meaningful only with the seeded bank: the module is skipped when it holds
fewer than 90 active Network+ questions.  Every test registers learners of
its own.
"""
import itertools
import math
import uuid

import pytest

from support import DEMO_PW, PW, right_answer, sign_in, sql

SIM = "4e700009-0000-4000-8000-000000000909"
QUIZZES = {"4e700009-0000-4000-8000-000000000901": ("1.0", 10),
           "4e700009-0000-4000-8000-000000000902": ("2.0", 10),
           "4e700009-0000-4000-8000-000000000903": ("3.0", 10),
           "4e700009-0000-4000-8000-000000000904": ("4.0", 10)}
PRACTICE = "4e700009-0000-4000-8000-000000000905"
SECURITY_QUIZ_LESSON = "4e700009-0000-4000-8000-000000000403"
# Network+ N10-009: domain weights, the scale and its passing score.
WEIGHTS = {"1.0": 23, "2.0": 20, "3.0": 19, "4.0": 14, "5.0": 24}
LO, PASS, HI = 100, 720, 900
CUT = 100 * (PASS - LO) / (HI - LO)          # 77.5: the linear scale's cut
_seq = itertools.count(1)




def learner(server):
    name = f"sim_{next(_seq):04d}_{uuid.uuid4().hex[:4]}"
    r = server.register(f"{name}@example.com", name, PW)
    assert r.status == 202, r
    return sign_in(server, name)


def c_round(x, digits=0):
    f = 10 ** digits
    return math.floor(x * f + 0.5) / f


def apportion(weights, total):
    """Largest remainder; ties to the heavier domain, then the earlier."""
    codes = list(weights)
    s = sum(weights.values())
    out = {c: math.floor(total * weights[c] / s) for c in codes}
    while sum(out.values()) < total:
        best = max(codes, key=lambda c: (total * weights[c] / s - out[c],
                                         weights[c], -codes.index(c)))
        out[best] += 1
    return out


def scaled(percent):
    """The documented linear scale: (0, 100) to (77.5, 720) to (100, 900);
    under the cut it stays under 720."""
    if percent >= CUT:
        return int(c_round(PASS + (HI - PASS) * (percent - CUT) / (100 - CUT)))
    return min(int(c_round(LO + (PASS - LO) * percent / CUT)), PASS - 1)


def test_the_documented_numbers():
    assert apportion(WEIGHTS, 90) == {"1.0": 21, "2.0": 18, "3.0": 17,
                                      "4.0": 12, "5.0": 22}
    assert CUT == 77.5
    assert (scaled(0), scaled(77.5), scaled(100)) == (100, 720, 900)


# ---- the bank ----------------------------------------------------------------

@pytest.fixture(scope="module")
def available(server):
    """Active Network+ questions per domain in the seeded bank; skips the
    module when there are fewer than 90."""
    rows = sql(server, """
        SELECT d.code, count(*) FROM questions q
        JOIN exams e ON e.id = q.exam_id AND e.code = 'network'
        JOIN exam_domains d ON d.id = q.domain_id
        JOIN organizations o ON o.id = q.org_id AND o.is_default
        WHERE q.status = 'active' AND q.deleted_at IS NULL
        GROUP BY d.code""")
    counts = {code: int(k) for code, k in rows}
    if sum(counts.values()) < 90:
        pytest.skip(f"the seeded bank holds {sum(counts.values())} active "
                    f"Network+ questions, fewer than the 90 of a simulation "
                    f"(sql/seed/0003_questions.csv)")
    return counts


@pytest.fixture(autouse=True)
def _needs_the_bank(available):
    pass


@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


@pytest.fixture(scope="module")
def questions(ins):
    """The questions as the instructor reads them (their answers), by id."""
    cache = {}

    def get(qid):
        if qid not in cache:
            r = ins.get(f"/api/v1/questions/{qid}")
            assert r.status == 200, r
            cache[qid] = r.json
        return cache[qid]
    return get




def start(who, aid, expect=201):
    r = who.request("POST", f"/api/v1/assessments/{aid}/attempts")
    assert r.status == expect, r
    return r.json


def answer(who, doc, questions, how_many):
    """Answers the first how_many questions right; the rest stay blank."""
    for item in doc["questions"][:how_many]:
        r = who.request(
            "PUT", f"/api/v1/attempts/{doc['id']}/answers/"
                   f"{item['question_id']}",
            {"answer": right_answer(item, questions(item["question_id"]))})
        assert r.status == 200, r


def submit(who, doc):
    r = who.request("POST", f"/api/v1/attempts/{doc['id']}/submit")
    assert r.status == 200, r
    return r.json


def drawn_domains(server, att):
    return {code: int(k) for code, k in sql(server, f"""
        SELECT domain_code, count(*) FROM attempt_answers
        WHERE attempt_id = '{att}' GROUP BY domain_code""")}


# ---- the simulation --------------------------------------------------------------

def test_the_simulation_as_seeded(server):
    r = learner(server).get(f"/api/v1/assessments/{SIM}")
    assert r.status == 200, r
    a = r.json
    assert (a["kind"], a["exam"], a["status"], a["selection"]) == (
        "exam_simulation", "network", "published", "rules")
    assert a["question_count"] == 90 and a["time_limit_seconds"] == 5400
    assert float(a["passing_percent"]) == CUT
    assert a["partial_credit"] is False and a["feedback"] == "end"


def test_starting_the_simulation(server, available):
    who = learner(server)
    doc = start(who, SIM)
    assert doc["question_count"] == 90 and len(doc["questions"]) == 90
    assert len({q["question_id"] for q in doc["questions"]}) == 90
    assert float(doc["max_score"]) == 90
    assert doc["partial_credit"] is False
    assert float(doc["passing_percent"]) == CUT
    assert 5390 <= doc["seconds_left"] <= 5400
    assert sql(server, f"SELECT extract(epoch FROM deadline_at - "
                       f"started_at)::integer, kind FROM attempts WHERE "
                       f"id = '{doc['id']}'") == [["5400", "exam_simulation"]]
    got = drawn_domains(server, doc["id"])
    want = apportion(WEIGHTS, 90)
    assert sum(got.values()) == 90
    if all(available.get(c, 0) >= k for c, k in want.items()):
        assert got == want
    else:
        # A short domain gives what it has; the rest comes from the others.
        for code, k in want.items():
            assert got.get(code, 0) >= min(k, available.get(code, 0)), code
    # Every question is an active Network+ one of the bank.
    assert sql(server, f"""
        SELECT count(*) FROM attempt_answers aa JOIN questions q
            ON q.id = aa.question_id
        JOIN exams e ON e.id = q.exam_id AND e.code = 'network'
        WHERE aa.attempt_id = '{doc['id']}' AND q.status = 'active'""") == [
        ["90"]]
    # Another learner gets another draw (90 of more than 90).
    if sum(available.values()) > 95:
        other = start(learner(server), SIM)
        assert {q["question_id"] for q in other["questions"]} != \
            {q["question_id"] for q in doc["questions"]}


@pytest.mark.parametrize("right", [90, 0, 70, 69])
def test_the_scaled_score(server, questions, right):
    who = learner(server)
    doc = start(who, SIM)
    answer(who, doc, questions, right)
    res = submit(who, doc)
    result = res["result"]
    percent = round(100 * right / 90, 2)
    assert result["correct"] == right
    assert float(result["score"]) == right
    assert float(result["percentage"]) == pytest.approx(percent, abs=0.006)
    assert result["scaled_score"] == scaled(percent)
    assert result["passed"] is (result["scaled_score"] >= PASS)
    assert result["passed"] is (percent >= CUT)
    assert result["scale"] == {"min": LO, "max": HI, "passing": PASS}
    assert sum(d["questions"] for d in result["domains"].values()) == 90
    assert sum(d["correct"] for d in result["domains"].values()) == right
    if right == 90:
        assert result["scaled_score"] == 900
        assert all(d["percent"] == 100 for d in result["domains"].values())
    if right == 0:
        assert result["scaled_score"] == 100
    assert sql(server, f"SELECT scaled_score, passed FROM attempts "
                       f"WHERE id = '{doc['id']}'") == [
        [str(scaled(percent)), "t" if percent >= CUT else "f"]]
    # The history shows the same.
    r = who.get("/api/v1/me/attempts")
    assert r.status == 200
    assert r.json["items"][0]["scaled_score"] == scaled(percent)
    # And the trends, by domain.
    r = who.get("/api/v1/me/attempts/trends?exam=network")
    assert r.status == 200 and r.json["attempts"] == 1, r
    assert {d["code"] for d in r.json["domains"]} == set(result["domains"])


# ---- the quizzes and the practice exam -------------------------------------------

@pytest.mark.parametrize("aid", sorted(QUIZZES))
def test_a_domain_quiz(server, available, questions, aid):
    domain, count = QUIZZES[aid]
    who = learner(server)
    doc = start(who, aid)
    assert doc["feedback"] == "immediate"
    assert doc["question_count"] == count
    assert doc["deadline_at"] is None
    got = drawn_domains(server, doc["id"])
    assert got.get(domain, 0) == min(count, available.get(domain, 0))
    # Feedback after each answer.
    item = doc["questions"][0]
    r = who.request("PUT", f"/api/v1/attempts/{doc['id']}/answers/"
                           f"{item['question_id']}",
                    {"answer": right_answer(item, questions(
                        item["question_id"]))})
    assert r.status == 200, r
    assert r.json["correct"] is True and r.json["credit"] == 1
    res = submit(who, doc)
    assert res["result"]["correct"] == 1
    assert res["result"]["scaled_score"] is None     # a quiz is not scaled


def test_passing_the_security_quiz_completes_its_lesson(server, questions):
    aid = "4e700009-0000-4000-8000-000000000904"
    who = learner(server)
    doc = start(who, aid)
    answer(who, doc, questions, len(doc["questions"]))
    res = submit(who, doc)
    assert res["result"]["passed"] is True
    assert float(res["result"]["percentage"]) == 100
    assert sql(server, f"SELECT status FROM lesson_progress WHERE user_id = "
                       f"'{who.id}' AND lesson_id = "
                       f"'{SECURITY_QUIZ_LESSON}'") == [["completed"]]
    # A failed attempt completes nothing.
    other = learner(server)
    res = submit(other, start(other, aid))
    assert res["result"]["passed"] is False
    assert sql(server, f"SELECT count(*) FROM lesson_progress WHERE user_id "
                       f"= '{other.id}'") == [["0"]]


def test_the_practice_exam(server, available, questions):
    who = learner(server)
    doc = start(who, PRACTICE)
    assert doc["question_count"] == 15 and doc["feedback"] == "end"
    assert 1190 <= doc["seconds_left"] <= 1200
    assert drawn_domains(server, doc["id"]).get("5.0", 0) == min(
        15, available.get("5.0", 0))
    answer(who, doc, questions, 12)
    res = submit(who, doc)["result"]
    assert res["correct"] == 12 and float(res["percentage"]) == 80
    assert res["passed"] is True                     # 75 % passes
    # A practice exam of an exam is scaled too, with its own cut.
    cut = 75.0
    want = int(c_round(PASS + (HI - PASS) * (80 - cut) / (100 - cut)))
    assert res["scaled_score"] == want


# ---- the exam-date goal ------------------------------------------------------

def test_a_passed_simulation_completes_the_exam_goal(server, questions):
    """A failed simulation leaves the goal active; a passed one completes
    it, with 50 XP and a goal_reached notification, once."""
    who = learner(server)
    r = who.request("POST", "/api/v1/me/goals",
                    {"kind": "exam_date", "exam": "network",
                     "target_date": "2027-06-30"})
    assert r.status == 201, r
    (goal,) = r.json["items"]
    assert goal["status"] == "active" and goal["met"] is False

    doc = start(who, SIM)
    answer(who, doc, questions, 60)             # 66.67 %: under the cut
    assert submit(who, doc)["result"]["passed"] is False
    (goal,) = who.get("/api/v1/me/goals").json["items"]
    assert goal["status"] == "active"

    doc = start(who, SIM)
    answer(who, doc, questions, 72)             # 80 %: a pass
    assert submit(who, doc)["result"]["passed"] is True
    (goal,) = who.get("/api/v1/me/goals").json["items"]
    assert goal["status"] == "completed" and goal["met"] is True
    assert goal["completed_at"] is not None
    assert sql(server, f"SELECT amount FROM xp_events WHERE user_id = "
                       f"'{who.id}' AND idempotency_key = "
                       f"'goal:{goal['id']}'") == [["50"]]
    kinds = [n["kind"] for n in who.get("/api/v1/me/notifications")
             .json["items"]]
    assert kinds.count("goal_reached") == 1
