"""Learning paths: an ordered list of courses toward a goal."""
import itertools

import pytest

_seq = itertools.count(1)
PATHS = "/api/v1/paths"


@pytest.fixture(scope="module")
def people(server):
    instructor = server.login("instructor", "password123")
    student = server.login("sarah_network", "password123")
    admin = server.login("admin", "password123")
    return instructor, student, admin


def course(instructor, publish=True):
    n = next(_seq)
    r = instructor.request("POST", "/api/v1/courses",
                           {"title": f"Path course {n}", "exam": "network"})
    assert r.status == 201, r
    if publish:
        cid = r.json["id"]
        assert instructor.request(
            "POST", f"/api/v1/courses/{cid}/publish").status == 200
    return r.json["id"]


def test_create_order_and_follow_a_path(people):
    instructor, student, _ = people
    a, b, draft = course(instructor), course(instructor), course(
        instructor, publish=False)
    r = instructor.request("POST", PATHS, {"title": "Road to Network+",
                                           "exam": "network"})
    assert r.status == 201, r
    assert r.header("Location") == f"{PATHS}/{r.json['id']}"
    pid = r.json["id"]
    assert r.json["status"] == "draft" and r.json["courses"] == []
    r = instructor.request("PUT", f"{PATHS}/{pid}/courses",
                           {"course_ids": [b, a, draft]})
    assert r.status == 200, r
    assert [c["id"] for c in r.json["courses"]] == [b, a, draft]
    # A draft path is the owner's only.
    assert student.get(f"{PATHS}/{pid}").status == 404
    assert pid not in student.get(PATHS).body.decode()
    r = instructor.request("PATCH", f"{PATHS}/{pid}", {"status": "published"})
    assert r.status == 200 and r.json["status"] == "published"
    r = student.get(f"{PATHS}/{pid}")
    assert r.status == 200
    # Learners see the published courses, in order, with their progress.
    assert [c["id"] for c in r.json["courses"]] == [b, a]
    assert r.json["courses"][0]["progress_percent"] is None
    assert any(p["id"] == pid for p in student.get(PATHS).json["items"])


def test_path_validation(people):
    instructor, _, _ = people
    for body, field in (({}, "title"), ({"title": ""}, "title"),
                        ({"title": "x", "status": "live"}, "status"),
                        ({"title": "x", "exam": "nope"}, "exam"),
                        ({"title": "x", "extra": 1}, "extra")):
        r = instructor.request("POST", PATHS, body)
        assert r.status == 422, (body, r)
        assert field in [e["field"] for e in r.json["errors"]], (body, r)
    pid = instructor.request("POST", PATHS, {"title": "v"}).json["id"]
    c = course(instructor)
    for ids in ([c, c], ["not-a-uuid"], ["00000000-0000-4000-8000-000000000000"]):
        r = instructor.request("PUT", f"{PATHS}/{pid}/courses",
                               {"course_ids": ids})
        assert r.status == 422, (ids, r)
    r = instructor.request("PATCH", f"{PATHS}/{pid}", {"title": None})
    assert r.status == 422


def test_who_may_change_a_path(people, server):
    instructor, student, admin = people
    pid = instructor.request("POST", PATHS, {"title": "Mine"}).json["id"]
    assert student.request("POST", PATHS, {"title": "x"}).status == 403
    assert student.request("PATCH", f"{PATHS}/{pid}",
                           {"title": "x"}).status == 403
    assert admin.request("PATCH", f"{PATHS}/{pid}",
                         {"title": "Admin's"}).status == 200
    assert server.request("GET", PATHS).status == 401
    assert instructor.request("DELETE", f"{PATHS}/{pid}").status == 204
    assert instructor.get(f"{PATHS}/{pid}").status == 404
    assert instructor.request("DELETE", f"{PATHS}/{pid}").status == 404
    assert instructor.get(f"{PATHS}/nope").status == 404
