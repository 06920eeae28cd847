"""Background jobs: large question imports run in the queue, and a busy
database is never called unreachable.

An import of more than 200 records (or 256 KiB) answers 202 at once with
the job to follow at /api/v1/jobs/{id}; the runner thread saves it in one
transaction and reports its progress.  Two identical imports at once both
succeed.  A request that waits too long for another's lock answers 409
"busy" with Retry-After, not 503.
"""
import subprocess
import threading
import time

import pytest

from conftest import PGBIN, PGHOST, PGPORT, create_db, drop_db
from support import DEMO_PW, assert_problem, follow_job, new_account, \
    new_org, qs, sign_in, sql, uniq

HEAD = ("question_id,exam_type,domain,type,question_text,option_a,option_b,"
        "option_c,correct_answer,explanation\n")


def csv(prefix, n):
    rows = [f"{prefix}-{i},network,1.4,single_choice,Which port is number "
            f"{i} of {prefix}?,21,22,23,B,Because.\n" for i in range(n)]
    return HEAD + "".join(rows)


def upload(who, text, **params):
    params.setdefault("format", "csv")
    return who.request("POST", "/api/v1/questions/import" + qs(**params),
                       text.encode(), {"Content-Type": "text/csv"})


def follow(who, href):
    """The job's last document and every progress seen on the way."""
    seen = []
    return follow_job(who, href, seen), seen


def count(server, prefix):
    return int(sql(server, f"SELECT count(*) FROM questions "
                           f"WHERE external_id LIKE '{prefix}-%'")[0][0])


@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


def test_a_large_import_runs_as_a_job(server, ins):
    prefix = uniq("big")
    r = upload(ins, csv(prefix, 450))
    assert r.status == 202, r
    assert r.json["status"] == "queued" and r.json["records"] == 450
    assert r.header("Location") == r.json["href"] == \
        f"/api/v1/jobs/{r.json['id']}"
    job, seen = follow(ins, r.json["href"])
    assert job["status"] == "succeeded", job
    assert job["kind"] == "questions.import" and job["error"] is None
    assert job["result"]["created"] == 450 and job["result"]["failed"] == 0
    assert job["result"]["dry_run"] is False
    assert job["progress"] == {"done": 450, "total": 450}
    # It ended when the work did, not when its transaction began.
    assert job["finished_at"] > job["started_at"]
    assert sql(server, f"SELECT finished_at - started_at > interval '5 ms' "
                       f"FROM jobs WHERE id = '{job['id']}'") == [["t"]]
    assert all(p == {} or p["total"] == 450 for p in seen), seen
    assert count(server, prefix) == 450
    # The file is dropped once the job has ended.
    assert sql(server, f"SELECT input IS NULL FROM jobs "
                       f"WHERE id = '{job['id']}'") == [["t"]]
    # It is among my jobs.
    r = ins.get("/api/v1/jobs")
    assert r.status == 200 and r.json["items"][0]["id"] == job["id"], r


def test_a_small_import_may_ask_for_a_job_and_a_dry_run_saves_nothing(
        server, ins):
    prefix = uniq("dry")
    r = upload(ins, csv(prefix, 3), background="true", dry_run="true")
    assert r.status == 202, r
    job, _ = follow(ins, r.json["href"])
    assert job["status"] == "succeeded", job
    assert job["result"]["created"] == 3 and job["result"]["dry_run"] is True
    assert count(server, prefix) == 0
    # Without asking, a small file is answered at once, as before.
    r = upload(ins, csv(prefix, 3))
    assert r.status == 200 and r.json["created"] == 3, r
    assert_problem(upload(ins, csv(prefix, 3), background="soon"), 422,
                   "validation-failed")


def test_two_identical_imports_at_once_both_succeed(server, ins):
    prefix = uniq("twin")
    text = csv(prefix, 300)
    answers = [None, None]
    barrier = threading.Barrier(2)

    def send(i):
        barrier.wait()
        answers[i] = upload(ins, text)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [a.status for a in answers] == [202, 202], answers
    jobs = [follow(ins, a.json["href"])[0] for a in answers]
    assert [j["status"] for j in jobs] == ["succeeded", "succeeded"], jobs
    results = sorted((j["result"]["created"], j["result"]["unchanged"])
                     for j in jobs)
    assert results == [(0, 300), (300, 0)], results
    assert count(server, prefix) == 300


def test_jobs_are_their_owners_and_their_admins(server, ins):
    r = upload(ins, csv(uniq("own"), 2), background="true")
    assert r.status == 202, r
    href = r.json["href"]
    follow(ins, href)
    other = new_account(server, "instructor", None, "jo")
    assert_problem(other.get(href), 404, "not-found")
    assert other.get("/api/v1/jobs").json["items"] == []
    admin = sign_in(server, "admin", DEMO_PW)
    assert admin.get(href).status == 200
    # Another organization's admin does not see it.
    theirs = new_account(server, "admin", new_org(server, "jobs"), "ja")
    assert_problem(theirs.get(href), 404, "not-found")
    assert_problem(ins.get("/api/v1/jobs/not-a-uuid"), 404, "not-found")
    assert_problem(ins.get("/api/v1/jobs/7d9f3a52-4c1e-4b8a-9f00-"
                           "123456789abc"), 404, "not-found")
    learner = new_account(server, "student", None, "jl")
    assert learner.request(
        "POST", "/api/v1/questions/import?format=csv&background=true",
        csv(uniq("no"), 1).encode(), {"Content-Type": "text/csv"}
    ).status == 403
    assert server.request("GET", href).status == 401
    assert_problem(ins.get("/api/v1/jobs?limit=0"), 422, "validation-failed")


def test_a_busy_row_is_busy_not_an_outage(start_server):
    """A request that waits past the lock timeout for a row another
    transaction holds answers 409 busy, with Retry-After."""
    db = create_db()
    try:
        s = start_server(db, env={"LUDUS_STATEMENT_TIMEOUT_MS": "600"})
        me = new_account(s, "student", None, "busy")
        holder = subprocess.Popen(
            [f"{PGBIN}/psql", "-X", "-q", "-h", PGHOST, "-p", PGPORT,
             "-U", "postgres", "-d", db, "-c",
             f"BEGIN; SELECT 1 FROM user_settings WHERE user_id = "
             f"'{me.id}' FOR UPDATE; SELECT pg_sleep(4); COMMIT;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            t0 = time.monotonic()
            r = me.request("PATCH", "/api/v1/me/settings", {"theme": "dark"})
            assert time.monotonic() - t0 < 3
            assert_problem(r, 409, "busy")
            assert r.header("Retry-After") == "1"
        finally:
            holder.wait(20)
        r = me.request("PATCH", "/api/v1/me/settings", {"theme": "dark"})
        assert r.status == 200, r
        s.stop_clean()
    finally:
        drop_db(db)
