"""A deck's media: images, sounds and videos put under a name, recognized
by their content, served to whoever may read the deck, shown in the cards
that name them, kept once per organization however many decks hold them,
and refused with a clear 4xx when they are not what a card can show.
"""
import struct
import zlib

import pytest

from support import (DEMO_PW, assert_invalid, assert_problem, new_account,
                     new_org, sign_in, sql)

FC = "/api/v1/flashcards"
COURSE = "4e700009-0000-4000-8000-000000000001"


def png(seed=0):
    """A valid 1x1 PNG; seed changes its pixel (and so its bytes)."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(
            ">I", zlib.crc32(body))
    raw = b"\x00" + bytes([seed % 256, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def mp3():
    """An ID3 tag and MPEG audio frames of silence."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * 4


def wav():
    data = b"\x00\x00" * 800
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) +
            b"data" + struct.pack("<I", len(data)) + data)


SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
       b'width="4" height="4"><script>alert(1)</script>'
       b'<rect width="4" height="4"/></svg>\n')


def deck(who, title="Media", **extra):
    r = who.request("POST", f"{FC}/decks", {"title": title, **extra})
    assert r.status == 201, r
    return r.json["id"]


def put(who, d, name, data, ctype="application/octet-stream"):
    return who.request("PUT", f"{FC}/decks/{d}/media/{name}", data,
                       {"Content-Type": ctype})


def note(who, d, front, back=""):
    r = who.request("POST", f"{FC}/decks/{d}/notes",
                    {"kind": "basic", "front": front, "back": back})
    assert r.status == 201, r
    return r.json


@pytest.fixture
def learner(server):
    return new_account(server)


def test_a_file_is_put_served_replaced_and_removed(server, learner):
    d = deck(learner)
    r = put(learner, d, "osi.png", png())
    assert r.status == 201, r
    assert r.json["name"] == "osi.png" and r.json["media_type"] == \
        "image/png" and r.json["size"] == len(png())
    assert r.json["markdown"] == "![](osi.png)"
    assert r.header("Location") == f"{FC}/decks/{d}/media/osi.png"
    g = learner.get(f"{FC}/decks/{d}/media/osi.png")
    assert g.status == 200 and g.body == png()
    assert g.header("Content-Type") == "image/png"
    assert "sandbox" in g.header("Content-Security-Policy")
    assert g.header("X-Content-Type-Options") == "nosniff"
    etag = g.header("ETag")
    assert etag == f'"{r.json["sha256"]}"'
    # Asked again with its ETag: not sent again.
    again = learner.request("GET", f"{FC}/decks/{d}/media/osi.png",
                            headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    # The same name with new bytes replaces it (200), and its ETag moves.
    r2 = put(learner, d, "osi.png", png(7))
    assert r2.status == 200 and r2.json["sha256"] != r.json["sha256"]
    g2 = learner.request("GET", f"{FC}/decks/{d}/media/osi.png",
                         headers={"If-None-Match": etag})
    assert g2.status == 200 and g2.body == png(7)
    # A sound, and a name with a space and non-ASCII letters.
    s = put(learner, d, "port%2022%20%C3%A9t%C3%A9.mp3", mp3())
    assert s.status == 201, s
    assert s.json["name"] == "port 22 été.mp3"
    assert s.json["media_type"] == "audio/mpeg"
    assert s.json["markdown"] == "[sound:port 22 été.mp3]"
    assert put(learner, d, "beep.wav", wav()).json["media_type"] == \
        "audio/wav"
    lst = learner.get(f"{FC}/decks/{d}/media").json
    assert [m["name"] for m in lst["media"]] == [
        "beep.wav", "osi.png", "port 22 été.mp3"]
    assert lst["role"] == "owner"
    assert lst["room"]["files"] == 4997
    # Removed: gone from the list and from its address.
    assert learner.request("DELETE",
                           f"{FC}/decks/{d}/media/osi.png").status == 204
    assert_problem(learner.get(f"{FC}/decks/{d}/media/osi.png"), 404,
                   "not-found")
    assert_problem(learner.request("DELETE", f"{FC}/decks/{d}/media/osi.png"),
                   404, "not-found")
    assert len(learner.get(f"{FC}/decks/{d}/media").json["media"]) == 2


def test_what_a_file_is_comes_from_its_bytes(server, learner):
    d = deck(learner)
    # Text named like a picture and sent as one is still text.
    r = put(learner, d, "fake.png", b"just some words\n", "image/png")
    p = assert_problem(r, 415, "unsupported-media-type")
    assert "text/plain" in p["detail"]
    assert_problem(put(learner, d, "doc.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"
                       b"<<>>endobj\ntrailer<<>>\n%%EOF\n"), 415,
                   "unsupported-media-type")
    assert_problem(put(learner, d, "a.zip", b"PK\x03\x04" + b"\x00" * 60),
                   415, "unsupported-media-type")
    # A picture named like a sound is a picture.
    assert put(learner, d, "odd.mp3", png()).json["media_type"] == \
        "image/png"
    # SVG is taken, and served so that its script cannot run.
    assert put(learner, d, "x.svg", SVG).json["media_type"] == \
        "image/svg+xml"
    g = learner.get(f"{FC}/decks/{d}/media/x.svg")
    csp = g.header("Content-Security-Policy")
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert_problem(put(learner, d, "empty.png", b""), 422,
                   "validation-failed")
    assert learner.get(f"{FC}/decks/{d}/media").json["room"]["files"] == 4998


@pytest.mark.parametrize("name", [
    ".hidden.png", "%20lead.png", "trail%20", "a:b.png", "a%5Bb%5D.png",
    "q%3F.png", "star*.png", "pipe%7C.png", "ctl%01.png", "x" * 121,
    "%C3%28.png"])
def test_bad_names_are_refused(server, learner, name):
    d = deck(learner)
    r = put(learner, d, name, png())
    assert r.status in (404, 422), r
    if r.status == 422:
        assert_problem(r, 422, "validation-failed")
    assert learner.get(f"{FC}/decks/{d}/media").json["media"] == []
    assert sql(server, f"SELECT count(*) FROM flashcard_media "
                       f"WHERE set_id = '{d}'")[0][0] == "0"


def test_a_slash_in_a_name_is_no_path(server, learner):
    d = deck(learner)
    for name in ("a%2Fb.png", "..%2F..%2Fetc%2Fpasswd", "a/b.png"):
        r = put(learner, d, name, png())
        assert r.status in (404, 422), (name, r)
    assert learner.get(f"{FC}/decks/{d}/media").json["media"] == []


def test_too_large_files_are_refused(server, learner):
    from conftest import Response
    d = deck(learner)
    c = server.conn()
    c.putrequest("PUT", f"{FC}/decks/{d}/media/big.png")
    c.putheader("Authorization", f"Bearer {learner.token}")
    c.putheader("Content-Length", str(11 << 20))
    c.endheaders()
    r = c.getresponse()
    assert_problem(Response(r.status, r.getheaders(), r.read()), 413,
                   "body-too-large")
    c.close()
    assert learner.get(f"{FC}/decks/{d}/media").json["media"] == []


def test_cards_show_their_decks_media(server, learner):
    d = deck(learner)
    assert put(learner, d, "osi.png", png()).status == 201
    assert put(learner, d, "ssh%20port.mp3", mp3()).status == 201
    n = note(learner, d, "Layers: ![the OSI model](osi.png)",
             "SSH: [sound:ssh port.mp3] and `[sound:code.mp3]` and "
             "![far](https://example.com/x.png)")
    q = learner.get(f"{FC}/queue?deck={d}").json["cards"]
    card = [c for c in q if c["note_id"] == n["id"]][0]
    base = f"{FC}/decks/{d}/media/"
    assert f'<img src="{base}osi.png" alt="the OSI model">' in \
        card["question_html"]
    ans = card["answer_html"]
    assert f'<audio controls preload="metadata" src="{base}ssh%20port.mp3">' \
        in ans
    # Code stays code, and another site's picture is left alone.
    assert "<code>[sound:code.mp3]</code>" in ans
    assert 'src="https://example.com/x.png"' in ans
    # The card on its own shows the same.
    one = learner.get(f"{FC}/cards/{card['id']}").json
    assert one["question_html"] == card["question_html"]
    # The editor's preview shows them when told the deck.
    body = {"kind": "basic", "front": "![a](osi.png) [sound:clip.mp4]",
            "back": "b"}
    pv = learner.request("POST", f"{FC}/preview", {**body, "deck_id": d})
    assert pv.status == 200, pv
    html = pv.json["cards"][0]["question_html"]
    assert f'src="{base}osi.png"' in html
    assert f'<video controls preload="metadata" src="{base}clip.mp4">' in html
    plain = learner.request("POST", f"{FC}/preview", body).json
    assert 'src="osi.png"' in plain["cards"][0]["question_html"]
    assert_invalid(learner.request("POST", f"{FC}/preview",
                                   {**body, "deck_id": "nope"}), "deck_id")
    # A name that is not a media name stays as it was written.
    pv = learner.request("POST", f"{FC}/preview", {
        "kind": "basic", "front": "[sound:a/b.mp3] ![x](../y.png)",
        "back": "b", "deck_id": d}).json["cards"][0]["question_html"]
    assert "[sound:a/b.mp3]" in pv and "/media/" not in pv


def test_only_those_who_read_the_deck_see_its_media(server, learner):
    d = deck(learner)
    assert put(learner, d, "a.png", png()).status == 201
    other = new_account(server)
    for r in (other.get(f"{FC}/decks/{d}/media"),
              other.get(f"{FC}/decks/{d}/media/a.png"),
              put(other, d, "b.png", png()),
              other.request("DELETE", f"{FC}/decks/{d}/media/a.png")):
        assert_problem(r, 404, "not-found")
    assert server.request("GET", f"{FC}/decks/{d}/media/a.png").status == 401
    # A deleted deck's media are gone with it.
    assert learner.request("DELETE", f"{FC}/decks/{d}").status == 204
    assert_problem(learner.get(f"{FC}/decks/{d}/media/a.png"), 404,
                   "not-found")


def test_a_course_decks_media_are_for_its_learners(server):
    ins = sign_in(server, "instructor", DEMO_PW)
    d = deck(ins, "Course media", course_id=COURSE)
    assert put(ins, d, "topology.png", png(3)).status == 201
    learner = new_account(server)
    assert_problem(learner.get(f"{FC}/decks/{d}/media/topology.png"), 404,
                   "not-found")
    assert learner.request("POST",
                           f"/api/v1/courses/{COURSE}/enroll").status in \
        (200, 201)
    g = learner.get(f"{FC}/decks/{d}/media/topology.png")
    assert g.status == 200 and g.body == png(3)
    assert learner.get(f"{FC}/decks/{d}/media").json["role"] == "learner"
    assert_problem(put(learner, d, "mine.png", png()), 403, "forbidden")
    assert_problem(learner.request(
        "DELETE", f"{FC}/decks/{d}/media/topology.png"), 403, "forbidden")
    assert ins.request("DELETE",
                       f"{FC}/decks/{d}/media/topology.png").status == 204


def blob(server, sha, org=None):
    where = f"sha256 = decode('{sha}', 'hex')"
    rows = sql(server, f"SELECT refs FROM file_blobs WHERE {where}")
    return [int(r[0]) for r in rows]


def test_the_same_bytes_are_kept_once_per_organization(server, learner):
    data = png(42)
    a, b = deck(learner, "A"), deck(learner, "B")
    sha = put(learner, a, "one.png", data).json["sha256"]
    assert put(learner, b, "two.png", data).json["sha256"] == sha
    assert put(learner, b, "three.png", data).status == 201
    assert blob(server, sha) == [3]
    # Another organization's copy is its own.
    org = new_org(server)
    far = new_account(server, org=org)
    assert put(far, deck(far), "x.png", data).json["sha256"] == sha
    assert sorted(blob(server, sha)) == [1, 3]
    # Each use that goes lowers the count; the sweep takes what nobody uses
    # once it has been unused for the time it is given.
    learner.request("DELETE", f"{FC}/decks/{b}/media/two.png")
    put(learner, b, "three.png", png(43))       # replaced
    assert sorted(blob(server, sha)) == [1, 1]
    learner.request("DELETE", f"{FC}/decks/{a}/media/one.png")
    assert sorted(blob(server, sha)) == [0, 1]
    assert sql(server, "SELECT file_blobs_sweep('1 hour')")[0][0] is not None
    assert sorted(blob(server, sha)) == [0, 1]       # unused just now
    sql(server, f"UPDATE file_blobs SET touched_at = now() - interval "
                f"'2 days' WHERE sha256 = decode('{sha}', 'hex')")
    sql(server, "SELECT file_blobs_sweep('1 day')")
    assert blob(server, sha) == [1]
    # Put again, it is kept again.
    assert put(learner, a, "back.png", data).status == 201
    assert sorted(blob(server, sha)) == [1, 1]


def test_a_full_deck_takes_no_more(server, learner):
    d = deck(learner)
    r = put(learner, d, "seed.png", png(9))
    sha = r.json["sha256"]
    org = sql(server, f"SELECT org_id FROM flashcard_sets "
                      f"WHERE id = '{d}'")[0][0]
    sql(server, f"INSERT INTO flashcard_media (org_id, set_id, name, sha256, "
                f"media_type, size_bytes) SELECT '{org}', '{d}', 'f' || i, "
                f"decode('{sha}', 'hex'), 'image/png', 1 "
                f"FROM generate_series(1, 4999) i")
    assert learner.get(f"{FC}/decks/{d}/media").json["room"]["files"] == 0
    assert_problem(put(learner, d, "more.png", png(10)), 409, "deck-full")
    # Replacing a file of the deck needs no more room.
    assert put(learner, d, "seed.png", png(11)).status == 200
    assert sql(server, f"SELECT count(*) FROM flashcard_media "
                       f"WHERE set_id = '{d}'")[0][0] == "5000"


def test_my_data_export_holds_my_decks_and_their_media(server, learner):
    d = deck(learner, "Exported")
    sha = put(learner, d, "osi.png", png(21)).json["sha256"]
    n = note(learner, d, "Layers: ![](osi.png)", "Seven")
    card = n["cards"][0]["id"]
    assert learner.request("POST", f"{FC}/cards/{card}/review",
                           {"rating": 3}).status == 200
    other = new_account(server)
    od = deck(other, "Not mine")
    put(other, od, "secret.png", png(22))
    doc = learner.get("/api/v1/me/export").json
    fc = doc["flashcards"]
    (mine,) = fc["decks"]
    assert mine["id"] == d and mine["title"] == "Exported"
    assert [x["front"] for x in mine["notes"]] == ["Layers: ![](osi.png)"]
    assert [(m["name"], m["sha256"]) for m in mine["media"]] == [
        ("osi.png", sha)]
    assert [m["card_id"] for m in fc["memory"]] == [card]
    assert [(r["card_id"], r["rating"]) for r in fc["reviews"]] == [
        (card, 3)]
    assert fc["settings"]["desired_retention"] == 0.9
    body = learner.get("/api/v1/me/export").body.decode()
    assert od not in body and "secret.png" not in body
