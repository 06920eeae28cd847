"""Course reviews: one per enrolled learner (rating 1-5 and a text, changed
with If-Match or taken back), upvotes once per member and never one's own,
even asked many times at once, the authors' public answer with its
notification, hiding with a reason in the audit trail, the sorts and pages,
the rating on the catalog and the course page, and nothing for anyone who
may not see the course.
"""
import threading

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, new_account,
                     new_org, sign_in, sql, uniq)

CR = "/api/v1/courses"


def published_course(ins):
    """A published course of the instructor's, with a published lesson."""
    r = ins.request("POST", CR, {"title": f"Reviewed course {uniq()}",
                                 "exam": "network"})
    assert r.status == 201, r
    cid = r.json["id"]
    r = ins.request("POST", f"{CR}/{cid}/units", {"title": "U"})
    unit = r.json["units"][-1]["id"]
    r = ins.request("POST", f"/api/v1/units/{unit}/lessons",
                    {"title": "Read me", "kind": "lesson",
                     "content": {"markdown": "Text."}})
    assert r.status == 201, r
    for path in (f"/api/v1/lessons/{r.json['id']}/publish",
                 f"{CR}/{cid}/publish"):
        assert ins.request("POST", path).status == 200
    return cid


def enrolled(server, cid):
    who = new_account(server)
    assert who.request("POST", f"{CR}/{cid}/enroll").status in (200, 201)
    return who


def review(who, cid, rating, comment="", headers=None):
    return who.request("PUT", f"{CR}/{cid}/reviews/mine",
                       {"rating": rating, "comment": comment}, headers)


def listing(who, cid, query=""):
    r = who.get(f"{CR}/{cid}/reviews{query}")
    assert r.status == 200, r
    return r.json


@pytest.fixture(scope="module")
def ins(server):
    return sign_in(server, "instructor", DEMO_PW)


@pytest.fixture
def course(ins):
    return published_course(ins)


def test_a_learner_reviews_a_course_once_and_changes_it(server, ins, course):
    me = enrolled(server, course)
    r = review(me, course, 4, "Clear on ports.")
    assert r.status == 201, r
    mine = r.json
    assert mine["rating"] == 4 and mine["comment"] == "Clear on ports."
    assert mine["mine"] and mine["upvotes"] == 0 and mine["version"] == 1
    assert mine["author"]["username"] == me.user["username"]
    doc = listing(me, course)
    assert doc["role"] == "learner" and doc["mine"]["id"] == mine["id"]
    assert doc["rating"] == {"average": 4, "count": 1,
                             "stars": [0, 0, 0, 1, 0]}
    # Again: the same review, changed (200), its version moved.
    r = review(me, course, 2, "Too short.")
    assert r.status == 200 and r.json["id"] == mine["id"]
    assert r.json["version"] == 2
    assert listing(me, course)["rating"]["stars"] == [0, 1, 0, 0, 0]
    # With If-Match: the version I read, or 412.
    assert_problem(review(me, course, 5, "", {"If-Match": '"v1"'}), 412,
                   "stale-version")
    assert review(me, course, 5, "", {"If-Match": '"v2"'}).status == 200
    # The course's owner heard of it once.
    n = sql(server, f"SELECT count(*) FROM notifications WHERE kind = "
                    f"'course_reviewed' AND data->>'review_id' = "
                    f"'{mine['id']}'")
    assert n[0][0] == "1"
    # Taken back: gone, and the rating with it.
    assert me.request("DELETE", f"{CR}/{course}/reviews/mine").status == 204
    doc = listing(me, course)
    assert doc["mine"] is None and doc["items"] == []
    assert doc["rating"]["count"] == 0 and doc["rating"]["average"] is None
    assert_problem(me.request("DELETE", f"{CR}/{course}/reviews/mine"), 404,
                   "not-found")


def test_bad_reviews_are_refused(server, course):
    me = enrolled(server, course)
    for bad in ({"rating": 0}, {"rating": 6}, {"rating": "5"}, {},
                {"rating": 3, "comment": "x" * 5001},
                {"rating": 3, "stars": 2}):
        r = me.request("PUT", f"{CR}/{course}/reviews/mine", bad)
        assert_problem(r, 422, "validation-failed")
    assert listing(me, course)["mine"] is None
    # Hostile text is kept as text: the web app never reads it as HTML.
    r = review(me, course, 3, "<script>alert(1)</script>")
    assert r.status == 201 and r.json["comment"] == \
        "<script>alert(1)</script>"


def test_only_learners_of_the_course_review_it(server, ins, course):
    # Not enrolled: 403; the author: 403 (they answer instead).
    stranger = new_account(server)
    assert listing(stranger, course)["role"] == "member"
    assert_problem(review(stranger, course, 5), 403, "forbidden")
    assert_problem(review(ins, course, 5), 403, "forbidden")
    # Another organization sees nothing at all.
    far = new_account(server, org=new_org(server))
    assert_problem(far.get(f"{CR}/{course}/reviews"), 404, "not-found")
    assert_problem(review(far, course, 5), 404, "not-found")
    # A draft course has no reviews for learners.
    r = ins.request("POST", CR, {"title": f"Draft {uniq()}"})
    assert_problem(stranger.get(f"{CR}/{r.json['id']}/reviews"), 404,
                   "not-found")
    assert listing(ins, r.json["id"])["role"] == "author"
    # A review of another organization's course cannot be reached.
    me = enrolled(server, course)
    rid = review(me, course, 4).json["id"]
    for m, path in (("POST", "upvote"), ("DELETE", "upvote"),
                    ("DELETE", "response"), ("DELETE", "hide")):
        assert_problem(far.request(m, f"/api/v1/reviews/{rid}/{path}"), 404,
                       "not-found")


def test_upvotes_count_once_and_never_my_own(server, course):
    author = enrolled(server, course)
    rid = review(author, course, 5, "Great").json["id"]
    fan = enrolled(server, course)
    r = fan.request("POST", f"/api/v1/reviews/{rid}/upvote")
    assert r.status == 200 and r.json["upvotes"] == 1 and r.json["upvoted"]
    assert fan.request("POST", f"/api/v1/reviews/{rid}/upvote").json[
        "upvotes"] == 1
    # A member who sees the course (not enrolled) may upvote too.
    member = new_account(server)
    assert member.request("POST", f"/api/v1/reviews/{rid}/upvote").json[
        "upvotes"] == 2
    assert_problem(author.request("POST", f"/api/v1/reviews/{rid}/upvote"),
                   403, "forbidden")
    r = fan.request("DELETE", f"/api/v1/reviews/{rid}/upvote")
    assert r.json["upvotes"] == 1 and not r.json["upvoted"]
    assert fan.request("DELETE", f"/api/v1/reviews/{rid}/upvote").json[
        "upvotes"] == 1
    # Many at once: each person once, however often they ask.
    people = [new_account(server) for _ in range(6)]
    errors = []

    def vote(who):
        for _ in range(3):
            r = who.request("POST", f"/api/v1/reviews/{rid}/upvote")
            if r.status != 200:
                errors.append(r)
    threads = [threading.Thread(target=vote, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    got = [x for x in listing(author, course)["items"] if x["id"] == rid]
    assert got[0]["upvotes"] == 7
    n = sql(server, f"SELECT count(*) FROM feedback_upvotes "
                    f"WHERE feedback_id = '{rid}'")
    assert n[0][0] == "7"


def test_authors_answer_and_hide_reviews(server, ins, course):
    me = enrolled(server, course)
    rid = review(me, course, 1, "Useless").json["id"]
    other = enrolled(server, course)
    assert review(other, course, 5, "Superb").status == 201
    assert listing(me, course)["rating"]["average"] == 3
    # Only the authors answer.
    assert_problem(other.request("PUT", f"/api/v1/reviews/{rid}/response",
                                 {"response": "No"}), 403, "forbidden")
    assert_invalid(ins.request("PUT", f"/api/v1/reviews/{rid}/response",
                               {"response": "   "}), "response")
    r = ins.request("PUT", f"/api/v1/reviews/{rid}/response",
                    {"response": "Sorry: lesson 3 now has examples."})
    assert r.status == 200, r
    assert r.json["response"]["text"] == "Sorry: lesson 3 now has examples."
    assert r.json["response"]["by"] == "instructor"
    n = sql(server, f"SELECT count(*) FROM notifications WHERE user_id = "
                    f"'{me.id}' AND kind = 'review_answered'")
    assert n[0][0] == "1"
    # Hidden with a reason: out of the rating and of others' sight, still
    # shown to its author (marked) and to the authors.
    assert_problem(other.request("POST", f"/api/v1/reviews/{rid}/hide",
                                 {"reason": "spam"}), 403, "forbidden")
    assert_invalid(ins.request("POST", f"/api/v1/reviews/{rid}/hide", {}),
                   "reason")
    r = ins.request("POST", f"/api/v1/reviews/{rid}/hide",
                    {"reason": "Insulting"})
    assert r.status == 200 and r.json["hidden"], r
    assert [x["id"] for x in listing(other, course)["items"]] != [] and \
        rid not in [x["id"] for x in listing(other, course)["items"]]
    assert listing(other, course)["rating"] == {
        "average": 5, "count": 1, "stars": [0, 0, 0, 0, 1]}
    mine = listing(me, course)["mine"]
    assert mine["hidden"] and mine["hidden_reason"] == "Insulting"
    assert rid in [x["id"] for x in listing(ins, course)["items"]]
    assert_problem(other.request("POST", f"/api/v1/reviews/{rid}/upvote"),
                   404, "not-found")
    audit = sql(server, f"SELECT action FROM audit_events WHERE entity_id "
                        f"= '{rid}' ORDER BY occurred_at")
    assert [a[0] for a in audit] == ["course_review.hidden"]
    # Shown again.
    assert ins.request("DELETE", f"/api/v1/reviews/{rid}/hide").status == 200
    assert listing(other, course)["rating"]["count"] == 2
    assert ins.request("DELETE",
                       f"/api/v1/reviews/{rid}/response").json[
        "response"] is None


def test_sorts_and_pages(server, course):
    people = [enrolled(server, course) for _ in range(5)]
    ids = [review(p, course, s, f"r{s}").json["id"]
           for p, s in zip(people, (3, 5, 1, 4, 2))]
    # Upvotes: the 1-star one twice, the 4-star one once.
    for voter in people[:2]:
        voter.request("POST", f"/api/v1/reviews/{ids[2]}/upvote")
    people[0].request("POST", f"/api/v1/reviews/{ids[3]}/upvote")

    def order(sort):
        seen, after = [], None
        while True:
            q = f"?sort={sort}&limit=2" + (f"&after={after}" if after else "")
            doc = listing(people[0], course, q)
            seen += [x["comment"] for x in doc["items"]]
            after = doc["next"]
            if after is None:
                return seen
    assert order("highest") == ["r5", "r4", "r3", "r2", "r1"]
    assert order("lowest") == ["r1", "r2", "r3", "r4", "r5"]
    assert order("newest") == ["r2", "r4", "r1", "r5", "r3"]
    assert order("helpful")[:2] == ["r1", "r4"]
    assert sorted(order("helpful")) == ["r1", "r2", "r3", "r4", "r5"]
    assert listing(people[0], course)["rating"]["average"] == 3
    assert_invalid(people[0].get(f"{CR}/{course}/reviews?sort=best"), "sort")
    assert_invalid(people[0].get(f"{CR}/{course}/reviews?after=x"), "after")


def test_the_catalog_and_the_course_page_show_the_rating(server, ins,
                                                          course):
    a, b = enrolled(server, course), enrolled(server, course)
    review(a, course, 5)
    review(b, course, 4)
    page = a.get(f"{CR}/{course}").json
    assert page["rating"]["average"] == 4.5 and page["rating"]["count"] == 2
    items = a.get(f"{CR}?limit=100").json["items"]
    (mine,) = [c for c in items if c["id"] == course]
    assert mine["rating"]["average"] == 4.5 and mine["rating"]["count"] == 2
    fresh = published_course(ins)
    (none,) = [c for c in a.get(f"{CR}?limit=100").json["items"]
               if c["id"] == fresh]
    assert none["rating"] == {"average": None, "count": 0,
                              "stars": [0, 0, 0, 0, 0]}


def test_my_data_export_holds_my_reviews_and_upvotes(server, course):
    me = enrolled(server, course)
    rid = review(me, course, 4, "Mine").json["id"]
    other = enrolled(server, course)
    oid = review(other, course, 2, "Theirs").json["id"]
    me.request("POST", f"/api/v1/reviews/{oid}/upvote")
    doc = me.get("/api/v1/me/export").json
    assert [(x["id"], x["comment"]) for x in doc["course_reviews"]] == [
        (rid, "Mine")]
    assert [x["review_id"] for x in doc["review_upvotes"]] == [oid]
