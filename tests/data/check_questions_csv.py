#!/usr/bin/python3
"""Check the Network+ question bank seed, sql/seed/0003_questions.csv.

The file is the CSV dialect of docs/questions.md with a fixed header: 15
starter questions S000-01..S000-15 (seed 000's set, three per domain), then
N10-009-001 onwards.  This script checks the authoring rules that the
importer does not: the mix of domains (against the weights in
network-plus-n10-009.json beside this script), objectives and question
types, that every option is explained, and the shape of each type's answer.

Usage: /usr/bin/python3 tests/data/check_questions_csv.py [FILE]
Exits 0 when every check passes, 1 otherwise; prints a summary either way.
Standard library only.
"""

import collections
import csv
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSV = os.path.join(HERE, "..", "..", "sql", "seed",
    "0003_questions.csv")
EXAM_JSON = os.path.join(HERE, "network-plus-n10-009.json")

HEADER = ("question_id,exam_type,domain,type,question_text,option_a,"
    "option_a_explanation,option_b,option_b_explanation,option_c,"
    "option_c_explanation,option_d,option_d_explanation,option_e,"
    "option_e_explanation,correct_answer,explanation,difficulty,tags"
    ).split(",")
KEYS = "ABCDE"

# Share of the N10 rows per type, in percent, and how far off it may be.
TYPE_TARGETS = {
    "single_choice": (70, 6),
    "multiple_select": (12, 4),
    "true_false": (6, 3),
    "fill_blank": (6, 3),
    "matching": (3, 2),
    "ordering": (3, 2),
}
DOMAIN_TOLERANCE = 3        # rows either side of weight% x N10 rows
MIN_PER_OBJECTIVE = 3
MIN_N10_ROWS = 110
MAX_STEM, MAX_OPTION, MAX_EXPLANATION = 600, 200, 400

TAG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
S000_RE = re.compile(r"^S000-(\d\d)$")
N10_RE = re.compile(r"^N10-009-(\d{3})$")
CHOOSE = {"two": 2, "three": 3, "four": 4}
BANNED = ("all of the above", "none of the above")


class Checker:
    def __init__(self):
        self.errors = []

    def fail(self, where, message):
        self.errors.append("%s: %s" % (where, message))


def load_exam():
    with open(EXAM_JSON, encoding="utf-8") as f:
        exam = json.load(f)
    weights, objectives = {}, {}
    for domain in exam["domains"]:
        weights[domain["id"]] = domain["weight"]
        for code in domain["objectives"]:
            objectives[code] = domain["id"]
    return weights, objectives


def check_bytes(ck, raw):
    """Encoding and line ends: UTF-8, LF only, no trailing spaces."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        ck.fail("file", "not UTF-8: %s" % e)
        return None
    if "\r" in text:
        ck.fail("file", "has CR characters; use LF line ends")
    if not text.endswith("\n"):
        ck.fail("file", "does not end with a line feed")
    for n, line in enumerate(text.split("\n"), 1):
        if line != line.rstrip(" \t"):
            ck.fail("line %d" % n, "trailing whitespace")
    return text


def options_of(row):
    """The (key, text, explanation) of options A-E, in order."""
    return [(k, row["option_%s" % k.lower()],
        row["option_%s_explanation" % k.lower()]) for k in KEYS]


def check_choice(ck, where, row, opts, multiple):
    present = [o for o in opts if o[1]]
    keys = [o[0] for o in present]
    if keys != list(KEYS[:len(keys)]):
        ck.fail(where, "options must be contiguous from A, got %s" % keys)
    for k, text, expl in opts:
        if expl and not text:
            ck.fail(where, "option %s has an explanation but no text" % k)
    for k, text, expl in present:
        if not expl:
            ck.fail(where, "option %s has no explanation" % k)
    texts = [o[1] for o in present]
    if len(set(texts)) != len(texts):
        ck.fail(where, "two options have the same text")
    answer = [a.strip() for a in row["correct_answer"].split(",")]
    for a in answer:
        if a not in keys:
            ck.fail(where, "correct_answer %r is not an option key" % a)
    if len(set(answer)) != len(answer):
        ck.fail(where, "correct_answer repeats a key")
    if multiple:
        if len(present) != 5:
            ck.fail(where, "multiple_select needs 5 options, has %d"
                % len(present))
        m = re.search(r"\(Choose (two|three|four)\.\)",
            row["question_text"])
        if not m:
            ck.fail(where, "multiple_select stem lacks '(Choose two.)' or "
                "'(Choose three.)'")
        elif CHOOSE[m.group(1)] != len(answer):
            ck.fail(where, "stem says choose %s but %d keys are correct"
                % (m.group(1), len(answer)))
        if len(answer) < 2:
            ck.fail(where, "multiple_select needs two or more correct keys")
        if answer != sorted(answer):
            ck.fail(where, "correct_answer keys should be in order: %s"
                % row["correct_answer"])
    else:
        if len(present) not in (4, 5):
            ck.fail(where, "single_choice needs 4 or 5 options, has %d"
                % len(present))
        if len(answer) != 1:
            ck.fail(where, "single_choice needs exactly one correct key")
    return answer


def check_row(ck, where, row, objectives):
    """Checks one record; returns the single_choice key or None."""
    kind = row["type"]
    opts = options_of(row)
    for name, value in row.items():
        if value != value.strip():
            ck.fail(where, "%s has leading or trailing whitespace" % name)
        low = value.lower()
        for phrase in BANNED:
            if phrase in low:
                ck.fail(where, "%s uses %r" % (name, phrase))
    if row["exam_type"] != "network":
        ck.fail(where, "exam_type must be network")
    if row["domain"] not in objectives:
        ck.fail(where, "domain %r is not an N10-009 objective code"
            % row["domain"])
    stem = row["question_text"]
    if not stem:
        ck.fail(where, "empty question_text")
    if len(stem) >= MAX_STEM:
        ck.fail(where, "stem is %d characters (limit %d)"
            % (len(stem), MAX_STEM))
    if not row["explanation"]:
        ck.fail(where, "no general explanation")
    if len(row["explanation"]) >= MAX_EXPLANATION:
        ck.fail(where, "explanation is %d characters (limit %d)"
            % (len(row["explanation"]), MAX_EXPLANATION))
    for k, text, expl in opts:
        if len(text) >= MAX_OPTION:
            ck.fail(where, "option %s is %d characters (limit %d)"
                % (k, len(text), MAX_OPTION))
        if len(expl) >= MAX_EXPLANATION:
            ck.fail(where, "option %s explanation is %d characters "
                "(limit %d)" % (k, len(expl), MAX_EXPLANATION))
    try:
        difficulty = int(row["difficulty"])
    except ValueError:
        difficulty = 0
    if not 1 <= difficulty <= 5 or row["difficulty"] != str(difficulty):
        ck.fail(where, "difficulty %r is not 1-5" % row["difficulty"])
    tags = row["tags"].split(";")
    if not 1 <= len(tags) <= 3:
        ck.fail(where, "needs 1-3 tags, has %d" % len(tags))
    for tag in tags:
        if not TAG_RE.match(tag):
            ck.fail(where, "bad tag %r" % tag)
    if len(set(tags)) != len(tags):
        ck.fail(where, "repeated tag")

    answer = row["correct_answer"]
    if kind == "single_choice":
        return check_choice(ck, where, row, opts, False)[0]
    if kind == "multiple_select":
        check_choice(ck, where, row, opts, True)
    elif kind == "true_false":
        if answer not in ("true", "false"):
            ck.fail(where, "true_false correct_answer must be true or false")
        if row["option_a"] or row["option_b"]:
            ck.fail(where, "true_false leaves option_a/option_b text empty")
        if not row["option_a_explanation"] or not row["option_b_explanation"]:
            ck.fail(where, "true_false needs the explanations of True "
                "(option_a) and False (option_b)")
        if any(o[1] or o[2] for o in opts[2:]):
            ck.fail(where, "true_false uses only option_a and option_b")
        if not stem.startswith("True or false:"):
            ck.fail(where, "true_false stem should open 'True or false:'")
    elif kind == "fill_blank":
        if any(o[1] or o[2] for o in opts):
            ck.fail(where, "fill_blank has no options")
        answers = answer.split("|")
        if not answer or any(not a.strip() for a in answers):
            ck.fail(where, "fill_blank needs accepted answers split by |")
        if len({a.lower() for a in answers}) != len(answers):
            ck.fail(where, "fill_blank repeats an answer")
    elif kind == "matching":
        if answer:
            ck.fail(where, "matching leaves correct_answer empty")
        present = [o for o in opts if o[1]]
        if [o[0] for o in present] != list(KEYS[:len(present)]) \
                or len(present) < 2:
            ck.fail(where, "matching needs 2+ contiguous pairs from A")
        lefts, rights = [], []
        for k, text, expl in present:
            parts = text.split(" -> ")
            if len(parts) != 2 or not parts[0] or not parts[1]:
                ck.fail(where, "pair %s is not 'left -> right'" % k)
                continue
            lefts.append(parts[0])
            rights.append(parts[1])
            if not expl:
                ck.fail(where, "pair %s has no explanation" % k)
        if len(set(rights)) != len(rights):
            ck.fail(where, "matching right sides must all differ")
        if len(set(lefts)) != len(lefts):
            ck.fail(where, "matching left sides must all differ")
    elif kind == "ordering":
        present = [o[0] for o in opts if o[1]]
        if present != list(KEYS[:len(present)]) or len(present) < 2:
            ck.fail(where, "ordering needs 2+ contiguous items from A")
        order = answer.split(",")
        if sorted(order) != present:
            ck.fail(where, "ordering correct_answer %r is not a permutation "
                "of %s" % (answer, ",".join(present)))
        elif order == present:
            ck.fail(where, "ordering items are already in the correct order")
    else:
        ck.fail(where, "unknown type %r" % kind)
    return None


def share(count, total):
    return 100.0 * count / total if total else 0.0


def main(argv):
    path = argv[1] if len(argv) > 1 else DEFAULT_CSV
    ck = Checker()
    weights, objectives = load_exam()
    with open(path, "rb") as f:
        text = check_bytes(ck, f.read())
    if text is None:
        print("\n".join(ck.errors))
        return 1

    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        records = [(reader.line_num, r) for r in reader]
    except csv.Error as e:
        print("FAIL: CSV does not parse: %s" % e)
        return 1
    # csv.reader reports the line a record ends on; find where each starts.
    starts, prev = [], 0
    for end, _ in records:
        starts.append(prev + 1)
        prev = end
    if not records or records[0][1] != HEADER:
        ck.fail("line 1", "header differs from the required one")
    rows = []
    for start, (_, fields) in zip(starts[1:], records[1:]):
        where = "line %d" % start
        if len(fields) != len(HEADER):
            ck.fail(where, "has %d fields, not %d" % (len(fields),
                len(HEADER)))
            continue
        rows.append((where, dict(zip(HEADER, fields))))

    ids = [r["question_id"] for _, r in rows]
    for qid, n in collections.Counter(ids).items():
        if n > 1:
            ck.fail("file", "question_id %s appears %d times" % (qid, n))
    starter = [(w, r) for w, r in rows if S000_RE.match(r["question_id"])]
    n10 = [(w, r) for w, r in rows if N10_RE.match(r["question_id"])]
    for w, r in rows:
        if not (S000_RE.match(r["question_id"]) or
                N10_RE.match(r["question_id"])):
            ck.fail(w, "question_id %r is neither S000-NN nor N10-009-NNN"
                % r["question_id"])
    if [r["question_id"] for _, r in rows[:15]] != \
            ["S000-%02d" % i for i in range(1, 16)] or len(starter) != 15:
        ck.fail("file", "the first 15 rows must be S000-01 .. S000-15")
    if [r["question_id"] for _, r in n10] != \
            ["N10-009-%03d" % i for i in range(1, len(n10) + 1)]:
        ck.fail("file", "N10-009 ids must run 001, 002, ... in order")
    if len(n10) < MIN_N10_ROWS:
        ck.fail("file", "only %d N10-009 rows (need %d)" % (len(n10),
            MIN_N10_ROWS))

    letters = {"starter": collections.Counter(),
        "n10": collections.Counter()}
    for group, items in (("starter", starter), ("n10", n10)):
        for w, r in items:
            key = check_row(ck, w, r, objectives)
            if key:
                letters[group][key] += 1

    # The starter set: three beginner single-choice questions per domain.
    starter_domains = collections.Counter(objectives.get(r["domain"])
        for _, r in starter)
    for d in weights:
        if starter_domains[d] != 3:
            ck.fail("S000", "domain %s has %d starter questions, not 3"
                % (d, starter_domains[d]))
    for w, r in starter:
        if r["type"] != "single_choice":
            ck.fail(w, "starter questions are single_choice")
        if r["difficulty"] not in ("1", "2"):
            ck.fail(w, "starter questions have difficulty 1 or 2")

    # The N10 bank: domains by weight, objectives, types, answers, levels.
    total = len(n10)
    by_domain = collections.Counter(objectives.get(r["domain"])
        for _, r in n10)
    for d, weight in sorted(weights.items()):
        want = weight * total / 100.0
        if abs(by_domain[d] - want) > DOMAIN_TOLERANCE:
            ck.fail("N10", "domain %s has %d rows, want %.1f +/- %d"
                % (d, by_domain[d], want, DOMAIN_TOLERANCE))
    by_objective = collections.Counter(r["domain"] for _, r in rows)
    n10_objective = collections.Counter(r["domain"] for _, r in n10)
    for code in sorted(objectives):
        if by_objective[code] < MIN_PER_OBJECTIVE:
            ck.fail("file", "objective %s has %d questions (need %d)"
                % (code, by_objective[code], MIN_PER_OBJECTIVE))
    by_type = collections.Counter(r["type"] for _, r in n10)
    for kind, (target, tolerance) in TYPE_TARGETS.items():
        got = share(by_type[kind], total)
        if by_type[kind] == 0 or abs(got - target) > tolerance:
            ck.fail("N10", "%s is %.1f%% of the rows, want %d%% +/- %d"
                % (kind, got, target, tolerance))
    sc_total = sum(letters["n10"].values())
    for k in "ABCD":
        got = share(letters["n10"][k], sc_total)
        if not 15 <= got <= 35:
            ck.fail("N10", "correct letter %s is %.1f%% of single_choice "
                "answers, want 15-35%%" % (k, got))
    by_difficulty = collections.Counter(r["difficulty"] for _, r in n10)
    middle = by_difficulty["2"] + by_difficulty["3"]
    if middle * 2 <= total:
        ck.fail("N10", "most questions should be difficulty 2 or 3")
    for level in "12345":
        if by_difficulty[level] == 0:
            ck.fail("N10", "no question of difficulty %s" % level)

    print("%s: %d questions (%d starter S000, %d N10-009)"
        % (os.path.relpath(path), len(rows), len(starter), total))
    print("N10 by domain:    " + ", ".join("%s %d (%.1f%%, weight %d%%)"
        % (d, by_domain[d], share(by_domain[d], total), weights[d])
        for d in sorted(weights)))
    print("By objective:     " + " ".join("%s:%d" % (c, by_objective[c])
        for c in sorted(objectives)) + "  (all rows)")
    print("                  " + " ".join("%s:%d" % (c, n10_objective[c])
        for c in sorted(objectives)) + "  (N10 only)")
    print("N10 by type:      " + ", ".join("%s %d (%.1f%%)"
        % (k, by_type[k], share(by_type[k], total)) for k in TYPE_TARGETS))
    print("N10 difficulty:   " + ", ".join("%s: %d" % (lv, by_difficulty[lv])
        for lv in "12345"))
    print("Correct letters:  N10 single_choice " + ", ".join("%s %d" % (k,
        letters["n10"][k]) for k in KEYS) + "; starter " + ", ".join(
        "%s %d" % (k, letters["starter"][k]) for k in "ABCD"))
    if ck.errors:
        print("FAIL: %d problem(s)" % len(ck.errors))
        for e in ck.errors:
            print("  " + e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
