"""Anki packages: import into a deck (a job: notes of the three kinds,
their cards, the importer's review history replayed through FSRS), export
of a deck as an .apkg that holds what Anki needs, the round trip, and
broken and hostile packages refused with their reason and nothing half
imported.  The packages are built here with Python's sqlite3 and zipfile.
"""
import io
import json
import os
import sqlite3
import tempfile
import time
import zipfile

import pytest

from support import (DEMO_PW, assert_problem, follow_job, new_account,
                     sign_in, sql)

FC = "/api/v1/flashcards"
COURSE = "4e700009-0000-4000-8000-000000000001"

SCHEMA = """
CREATE TABLE col (id integer primary key, crt integer not null,
 mod integer not null, scm integer not null, ver integer not null,
 dty integer not null, usn integer not null, ls integer not null,
 conf text not null, models text not null, decks text not null,
 dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null,
 mid integer not null, mod integer not null, usn integer not null,
 tags text not null, flds text not null, sfld integer not null,
 csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null,
 did integer not null, ord integer not null, mod integer not null,
 usn integer not null, type integer not null, queue integer not null,
 due integer not null, ivl integer not null, factor integer not null,
 reps integer not null, lapses integer not null, left integer not null,
 odue integer not null, odid integer not null, flags integer not null,
 data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null,
 usn integer not null, ease integer not null, ivl integer not null,
 lastIvl integer not null, factor integer not null, time integer not null,
 type integer not null);
"""
MODELS = {
    "1001": {"id": 1001, "name": "Basic", "type": 0,
             "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}"}]},
    "1002": {"id": 1002, "name": "Basic (and reversed card)", "type": 0,
             "tmpls": [{"qfmt": "{{Front}}"}, {"qfmt": "{{Back}}"}]},
    "1003": {"id": 1003, "name": "Cloze", "type": 1,
             "tmpls": [{"qfmt": "{{cloze:Text}}"}]},
}
DAY = 86400


def collection(notes=(), cards=(), revlog=()):
    """The bytes of a schema 11 collection."""
    fd, path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    try:
        db = sqlite3.connect(path)
        db.executescript(SCHEMA)
        db.execute("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', "
                   "?, ?, '{}', '{}')", (json.dumps(MODELS), json.dumps(
                       {"1": {"name": "Default"},
                        "77": {"name": "Networking::Ports"}})))
        for nid, mid, tags, flds in notes:
            db.execute("INSERT INTO notes VALUES (?, 'g' || ?, ?, 0, 0, ?, "
                       "?, '', 0, 0, '')", (nid, nid, mid, tags, flds))
        for cid, nid, ord_ in cards:
            db.execute("INSERT INTO cards VALUES (?, ?, 77, ?, 0, 0, 0, 0, "
                       "0, 0, 0, 0, 0, 0, 0, 0, 0, '')", (cid, nid, ord_))
        for rid, cid, ease, ms in revlog:
            db.execute("INSERT INTO revlog VALUES (?, ?, 0, ?, 1, 0, 2500, "
                       "?, 1)", (rid, cid, ease, ms))
        db.commit()
        db.close()
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def package(entries):
    """A zip of {name: bytes}."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def sample():
    """Three notes (basic, reversed, cloze) and the history of two cards."""
    now = int(time.time())
    t0 = (now - 40 * DAY) * 1000
    notes = [
        (1, 1001, " ports ", "Which port does <b>SSH</b> use?\x1f22"),
        (2, 1002, "", "HTTPS\x1f443"),
        (3, 1003, "dns", "{{c1::DNS}} uses port {{c2::53}}\x1fUDP mostly"),
    ]
    cards = [(11, 1, 0), (21, 2, 0), (22, 2, 1), (31, 3, 0), (32, 3, 1)]
    revlog = [(t0, 11, 3, 8000), (t0 + 2 * DAY * 1000, 11, 3, 6000),
              (t0 + 12 * DAY * 1000, 11, 1, 9000),
              (t0 + 13 * DAY * 1000, 11, 3, 5000),
              (t0 + 5000, 31, 4, 4000)]
    return package({"collection.anki2": collection(notes, cards, revlog),
                    "media": b"{}"})


def deck(who, title="Imported"):
    r = who.request("POST", f"{FC}/decks", {"title": title})
    assert r.status == 201, r
    return r.json


def import_(who, deck_id, data):
    return who.request("POST", f"{FC}/decks/{deck_id}/import", data,
                       {"Content-Type": "application/zip"})


def imported(who, deck_id, data):
    r = import_(who, deck_id, data)
    assert r.status == 202, r
    return follow_job(who, r.json["href"])


@pytest.fixture
def learner(server):
    return new_account(server)


def test_a_package_comes_in_with_its_history(server, learner):
    d = deck(learner)
    job = imported(learner, d["id"], sample())
    assert job["status"] == "succeeded", job
    res = job["result"]
    assert res["notes"] == 3 and res["cards"] == 5 and res["reviews"] == 5
    assert res["name"] == "Networking::Ports"
    notes = learner.get(f"{FC}/decks/{d['id']}/notes").json["items"]
    kinds = {n["kind"]: n for n in notes}
    assert kinds["basic"]["front"] == "Which port does SSH use?"
    assert kinds["basic"]["back"] == "22"
    assert kinds["basic"]["tags"] == ["ports"]
    assert [c["ordinal"] for c in kinds["reversed"]["cards"]] == [0, 1]
    assert kinds["cloze"]["front"] == "{{c1::DNS}} uses port {{c2::53}}"
    assert [c["ordinal"] for c in kinds["cloze"]["cards"]] == [1, 2]
    # The history, replayed: four reviews and a lapse make a Review card.
    card = kinds["basic"]["cards"][0]["id"]
    c = learner.get(f"{FC}/cards/{card}").json
    assert [x["rating"] for x in c["reviews"]] == [3, 1, 3, 3]
    assert c["state"]["state"] == "review" and c["state"]["reps"] == 4
    assert c["state"]["lapses"] == 1
    assert c["reviews"][-1]["duration_ms"] == 8000
    # The cloze card answered Easy once is in Review; the others are new.
    cl = learner.get(f"{FC}/cards/{kinds['cloze']['cards'][0]['id']}").json
    assert cl["state"]["state"] == "review"
    q = learner.get(f"{FC}/queue").json
    assert q["counts"]["new"] == 3
    # Imported reviews are history, not today's work.
    assert q["today"]["reviews"] == 0


def test_a_deck_goes_out_as_an_apkg_and_back(server, learner):
    d = deck(learner, "Ports & protocols")
    assert imported(learner, d["id"], sample())["status"] == "succeeded"
    r = learner.get(f"{FC}/decks/{d['id']}/export")
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/zip"
    assert 'filename="Ports-protocols.apkg"' in r.header(
        "Content-Disposition")
    with zipfile.ZipFile(io.BytesIO(r.body)) as z:
        names = set(z.namelist())
        assert {"collection.anki2", "media"} <= names
        with tempfile.NamedTemporaryFile(suffix=".anki2") as f:
            f.write(z.read("collection.anki2"))
            f.flush()
            db = sqlite3.connect(f.name)
            assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == 3
            assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == 5
            assert db.execute("SELECT count(*) FROM revlog").fetchone()[0] == 5
            assert db.execute("SELECT ver FROM col").fetchone()[0] == 11
            models = json.loads(db.execute("SELECT models FROM col")
                                .fetchone()[0])
            assert sorted(m["type"] for m in models.values()) == [0, 0, 1]
            db.close()
    # And back into another deck: the same notes.
    d2 = deck(learner, "Again")
    job = imported(learner, d2["id"], r.body)
    assert job["status"] == "succeeded", job
    a = learner.get(f"{FC}/decks/{d['id']}/notes").json["items"]
    b = learner.get(f"{FC}/decks/{d2['id']}/notes").json["items"]
    assert sorted((x["kind"], x["front"], x["back"], x["tags"]) for x in a) \
        == sorted((x["kind"], x["front"], x["back"], x["tags"]) for x in b)
    # Only what I may read.
    other = new_account(server)
    assert_problem(other.get(f"{FC}/decks/{d['id']}/export"), 404,
                   "not-found")


def bomb():
    """An entry of 300 MiB of zeros, deflated to well under 1 MiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=9) as z:
        with z.open("collection.anki2", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                f.write(block)
    return out.getvalue()


def traversal():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("collection.anki2", collection())
        z.writestr("../../etc/evil", b"x")
    return out.getvalue()


def test_a_full_deck_takes_no_package(server, learner):
    d = deck(learner)
    sql(server, f"""
        INSERT INTO flashcard_notes (org_id, set_id, kind, front, back,
            created_by)
        SELECT u.org_id, '{d["id"]}', 'basic', 'Q' || g, 'A', u.id
        FROM users u, generate_series(1, 49999) g
        WHERE u.id = '{learner.id}'""")
    job = imported(learner, d["id"], sample())
    assert job["status"] == "failed"
    assert "room for 1 more notes" in job["error"]
    assert learner.get(f"{FC}/decks/{d['id']}").json["notes"] == 49999


@pytest.mark.parametrize("name,data,reason", [
    ("no collection", lambda: package({"media": b"{}"}),
     "no Anki collection"),
    ("not sqlite", lambda: package({"collection.anki2": b"hello" * 100}),
     "not SQLite"),
    ("zip bomb", bomb, "unpack"),
    ("path traversal", traversal, "path traversal"),
])
def test_hostile_packages_fail_with_their_reason(server, learner, name, data,
                                                 reason):
    d = deck(learner)
    job = imported(learner, d["id"], data())
    assert job["status"] == "failed", (name, job)
    assert reason in job["error"], (name, job["error"])
    # Nothing half imported.
    assert learner.get(f"{FC}/decks/{d['id']}").json["notes"] == 0


def test_an_import_is_checked_at_the_door(server, learner):
    d = deck(learner)
    assert_problem(import_(learner, d["id"], b"not a zip at all"), 422,
                   "validation-failed")
    assert_problem(import_(learner, d["id"], b""), 422, "validation-failed")
    other = new_account(server)
    assert_problem(import_(other, d["id"], sample()), 404, "not-found")
    # A course's deck takes imports from its authors only.
    ins = sign_in(server, "instructor", DEMO_PW)
    cd = ins.request("POST", f"{FC}/decks", {"title": "Course import",
                                             "course_id": COURSE}).json
    learner.request("POST", f"/api/v1/courses/{COURSE}/enroll")
    assert_problem(import_(learner, cd["id"], sample()), 403, "forbidden")
    job = imported(ins, cd["id"], sample())
    assert job["status"] == "succeeded"
    ins.request("DELETE", f"{FC}/decks/{cd['id']}")
    # None of the refusals queued a job.
    n = sql(server, f"SELECT count(*) FROM jobs WHERE user_id = "
                    f"'{learner.id}'")[0][0]
    assert n == "0"


# ---- media --------------------------------------------------------------------

def png(seed=0):
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(
            ">I", zlib.crc32(body))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(bytes([0, seed, 0, 0]))) +
            chunk(b"IEND", b""))


MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" +
                                           b"\x00" * 413) * 4


def with_media():
    notes = [(1, 1001, "", 'The OSI model: <img src="osi%20model.png">'
              '\x1fSeven layers'),
             (2, 1001, "", "Listen [sound:ssh.mp3]\x1f22"),
             (3, 1001, "", 'Path <img src="../etc/passwd">\x1fx'),
             (4, 1001, "", '<img src="notes.png">\x1fnot a picture')]
    cards = [(11, 1, 0), (21, 2, 0), (31, 3, 0), (41, 4, 0)]
    media = {"0": "osi model.png", "1": "ssh.mp3", "2": "notes.png",
             "3": "../escape.png", "9": "missing.png"}
    return package({"collection.anki2": collection(notes, cards),
                    "media": json.dumps(media).encode(), "0": png(5),
                    "1": MP3, "2": b"only text\n", "3": png(6)})


def test_a_packages_media_come_with_it(server, learner):
    d = deck(learner, "With pictures")
    job = imported(learner, d["id"], with_media())
    assert job["status"] == "succeeded", job
    res = job["result"]
    assert res["notes"] == 4 and res["media"] == 2, res
    # Left out: text posing as a picture, a name with a path, a file the
    # package lacks; and the reference to a name that is no media name.
    assert res["skipped"]["media"] == 3, res
    assert res["skipped"]["media_references"] == 1, res
    m = learner.get(f"{FC}/decks/{d['id']}/media").json["media"]
    assert [(x["name"], x["media_type"]) for x in m] == [
        ("osi model.png", "image/png"), ("ssh.mp3", "audio/mpeg")]
    got = learner.get(f"{FC}/decks/{d['id']}/media/osi%20model.png")
    assert got.status == 200 and got.body == png(5)
    notes = {n["front"]: n for n in learner.get(
        f"{FC}/decks/{d['id']}/notes").json["items"]}
    assert "The OSI model: ![](<osi model.png>)" in notes
    assert "Listen [sound:ssh.mp3]" in notes
    q = learner.get(f"{FC}/queue?deck={d['id']}").json["cards"]
    html = " ".join(c["question_html"] for c in q)
    base = f"{FC}/decks/{d['id']}/media/"
    assert f'src="{base}osi%20model.png"' in html
    assert f'<audio controls preload="metadata" src="{base}ssh.mp3">' in html


def test_a_decks_media_go_out_with_it_and_back(server, learner):
    d = deck(learner, "Pictures out")
    assert imported(learner, d["id"], with_media())["status"] == "succeeded"
    r = learner.get(f"{FC}/decks/{d['id']}/export")
    assert r.status == 200, r
    with zipfile.ZipFile(io.BytesIO(r.body)) as z:
        mapping = json.loads(z.read("media"))
        files = {name: z.read(entry) for entry, name in mapping.items()}
        assert files == {"osi model.png": png(5), "ssh.mp3": MP3}
        with tempfile.NamedTemporaryFile(suffix=".anki2") as f:
            f.write(z.read("collection.anki2"))
            f.flush()
            db = sqlite3.connect(f.name)
            flds = [x[0] for x in db.execute("SELECT flds FROM notes")]
            db.close()
    assert any('<img src="osi model.png">' in x for x in flds), flds
    assert any("[sound:ssh.mp3]" in x for x in flds), flds
    # Back into another deck: the same files, the same notes.
    d2 = deck(learner, "Pictures back")
    job = imported(learner, d2["id"], r.body)
    assert job["status"] == "succeeded" and job["result"]["media"] == 2, job
    a = learner.get(f"{FC}/decks/{d['id']}/media").json["media"]
    b = learner.get(f"{FC}/decks/{d2['id']}/media").json["media"]
    assert [(x["name"], x["sha256"]) for x in a] == \
        [(x["name"], x["sha256"]) for x in b]
    # Without them, when asked.
    r = learner.get(f"{FC}/decks/{d['id']}/export?media=false")
    with zipfile.ZipFile(io.BytesIO(r.body)) as z:
        assert json.loads(z.read("media")) == {}
    assert_problem(learner.get(f"{FC}/decks/{d['id']}/export?media=maybe"),
                   422, "validation-failed")
