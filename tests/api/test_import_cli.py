"""`ludus import questions FILE` and the seeded question bank.

The command reads a CSV, GIFT or Aiken file, saves the good records,
reports each refused one with its line, and creates nothing when the same
file comes again.  The seed's own CSV passes the content checker and,
imported again, changes nothing.
"""
import os
import subprocess

import pytest

from conftest import BIN, ROOT, assert_no_sanitizer_report, dsn, ludus, psql

SEED_CSV = ROOT / "sql" / "seed" / "0003_questions.csv"

GIFT = """// Ports, as Moodle's GIFT writes them.
$CATEGORY: $course$/network/1.4/ports

::CLI-GIFT-1::Which port does SSH use?{
=22#Secure Shell listens on TCP 22.
~23#Telnet.
~21#FTP control.
####SSH replaced Telnet for remote logins.}

::CLI-GIFT-2::DNS answers on UDP port {#53}

::CLI-GIFT-3::Write an essay about routing.{}

::CLI-GIFT-4::Match each service to its port.{
=SSH -> 22
=DNS -> 53
=HTTPS -> 443}
"""


def run(db, *args, env=None):
    r = ludus("import", "questions", *args,
              env={"LUDUS_DATABASE_URL": dsn(db), **(env or {})})
    assert_no_sanitizer_report(r.stderr)
    return r


def count(db, where):
    return int(psql(f"SELECT count(*) FROM questions WHERE {where}", db)[0][0])


def test_a_gift_file_goes_in_and_the_bad_record_is_reported(db, tmp_path):
    f = tmp_path / "ports.gift"
    f.write_text(GIFT)
    r = run(db, str(f), "--owner", "instructor")
    assert r.returncode == 1, r.stderr          # one record was refused
    assert "line 12: " in r.stderr and "essay" in r.stderr, r.stderr
    assert "4 records: 3 created, 0 updated, 0 unchanged, 1 refused" \
        in r.stdout, r.stdout
    rows = psql("SELECT external_id, type, objective_codes, tags, status, "
                "(SELECT username FROM users WHERE id = owner_id) "
                "FROM questions WHERE external_id LIKE 'CLI-GIFT-%' "
                "ORDER BY external_id", db)
    assert rows == [
        ["CLI-GIFT-1", "single_choice", "{1.4}", "{ports}", "active",
         "instructor"],
        ["CLI-GIFT-2", "fill_blank", "{1.4}", "{ports}", "active",
         "instructor"],
        ["CLI-GIFT-4", "matching", "{1.4}", "{ports}", "active",
         "instructor"]]
    # Again: nothing new, nothing changed.
    r = run(db, str(f), "--owner", "instructor")
    assert "4 records: 0 created, 0 updated, 3 unchanged, 1 refused" \
        in r.stdout, r.stdout
    assert count(db, "external_id LIKE 'CLI-GIFT-%'") == 3
    # A changed record is updated in place.
    f.write_text(GIFT.replace("Which port does SSH use?",
                              "Which TCP port does SSH use?"))
    r = run(db, str(f), "--owner", "instructor")
    assert "0 created, 1 updated, 2 unchanged, 1 refused" in r.stdout
    assert psql("SELECT stem FROM questions WHERE external_id = "
                "'CLI-GIFT-1'", db) == [["Which TCP port does SSH use?"]]


def test_aiken_without_ids_is_matched_by_content(db, tmp_path):
    f = tmp_path / "quiz.txt"
    f.write_text("Which layer routes packets?\nA) Data link\nB) Network\n"
                 "C) Transport\nANSWER: B\n\n"
                 "Which device joins VLANs?\nA. Hub\nB. Router\n"
                 "ANSWER: B\n")
    r = run(db, str(f), "--exam", "network", "--status", "draft")
    assert r.returncode == 0, r.stderr
    assert "2 records: 2 created" in r.stdout
    assert count(db, "stem LIKE 'Which layer routes%' AND status = 'draft' "
                     "AND exam_id IS NOT NULL") == 1
    r = run(db, str(f), "--exam", "network", "--status", "draft")
    assert "2 records: 0 created, 0 updated, 2 unchanged" in r.stdout
    assert count(db, "stem LIKE 'Which layer routes%'") == 1


def test_dry_run_keeps_nothing(db, tmp_path):
    f = tmp_path / "dry.csv"
    f.write_text("question_id,exam_type,domain,question_text,option_a,"
                 "option_b,correct_answer\n"
                 "CLI-DRY-1,network,2.1,Which protocol is link state?,"
                 "OSPF,RIP,A\n"
                 "CLI-DRY-2,network,9.9,Bad objective?,Yes,No,A\n")
    r = run(db, str(f), "--dry-run")
    assert r.returncode == 1
    assert "dry run, nothing kept: 2 records: 1 created" in r.stdout
    assert "line 3: domain: 9.0 is not a domain of the exam network" \
        in r.stderr, r.stderr
    assert count(db, "external_id LIKE 'CLI-DRY-%'") == 0


@pytest.mark.parametrize("args,code,text", [
    ([], 2, "usage"),
    (["nothing.csv", "extra"], 2, "usage"),
    (["file.unknown"], 2, "--format"),
    (["file.csv", "--format", "xml"], 2, "--format"),
    (["file.csv", "--status", "gone"], 2, "--status"),
    (["/nonexistent/file.csv"], 1, "No such file"),
])
def test_usage_errors(db, args, code, text):
    r = run(db, *args)
    assert r.returncode == code, (r.stdout, r.stderr)
    assert text in r.stderr
    assert r.stdout == ""


def test_a_whole_file_fault_keeps_nothing(db, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("question_id,question_text,colour\nX,Y,Z\n")
    r = run(db, str(f))
    assert r.returncode == 1
    assert "line 1" in r.stderr and "colour" in r.stderr, r.stderr


def test_the_owner_must_be_an_instructor_or_admin(db, tmp_path):
    f = tmp_path / "q.gift"
    f.write_text(GIFT)
    r = run(db, str(f), "--owner", "sarah_network")
    assert r.returncode == 1
    assert "no instructor or admin named sarah_network" in r.stderr
    assert count(db, "owner_id = (SELECT id FROM users "
                     "WHERE username = 'sarah_network')") == 0


def test_the_seed_bank_passes_the_content_checks():
    r = subprocess.run(["/usr/bin/python3",
                        str(ROOT / "tests" / "data" / "check_questions_csv.py")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "OK: all checks passed" in r.stdout


def test_the_seed_bank_imported_again_changes_nothing(db):
    r = run(db, str(SEED_CSV), "--owner", "instructor")
    assert r.returncode == 0, r.stderr
    assert "135 records: 0 created, 0 updated, 135 unchanged, 0 refused" \
        in r.stdout, r.stdout


def test_two_imports_of_one_file_at_once_count_each_record_once(db, tmp_path):
    """Both runs succeed: one creates the records, the other finds them
    (after waiting for the first to commit) and leaves them unchanged."""
    f = tmp_path / "race.csv"
    rows = "".join(f"CLI-RACE-{i},network,1.4,Race question {i}?,Yes,No,A\n"
                   for i in range(300))
    f.write_text("question_id,exam_type,domain,question_text,option_a,"
                 "option_b,correct_answer\n" + rows)
    full = dict(os.environ, LUDUS_DATABASE_URL=dsn(db))
    procs = [subprocess.Popen([BIN, "import", "questions", str(f)], env=full,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, (out, err)
        assert_no_sanitizer_report(err)
    created = sorted(int(out.split("records: ")[1].split(" created")[0])
                     for out, _ in outs)
    assert sum(created) == 300, outs
    assert count(db, "external_id LIKE 'CLI-RACE-%'") == 300
