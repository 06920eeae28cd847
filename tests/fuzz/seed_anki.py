"""Seeds for tests/fuzz/fuzz_anki.c: small Anki packages that the reader
takes whole, built with Python's sqlite3 and zipfile only.

  basic.apkg     schema 11 collection.anki2: a Basic, a reversed and a
                 Cloze note type in col.models, their notes, cards and
                 review log (tests/api/test_anki.py's sample)
  html.apkg      the same as collection.anki21, stored, with fields full of
                 HTML, entities, media and Markdown to escape
  wal.apkg       a collection whose header says WAL, as Anki leaves them
  anki21b.apkg   schema 18 (notetypes, templates, decks) zstd-compressed as
                 collection.anki21b, beside a legacy collection.anki2
  collection.sqlite, collection.zst
                 bare collections, which fuzz_anki puts in a package itself
                 (a collection mutated inside a zip fails the zip's CRC)

zstd has no module in Python's standard library here, so the frames are
written by hand with raw (stored) blocks: valid zstd that any decoder
reads, with no compressor needed.
"""
import io
import json
import sqlite3
import sys
import zipfile
from pathlib import Path

SCHEMA11 = """
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
SCHEMA18 = """
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY,
 name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,
 usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL,
 name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,
 usn integer NOT NULL, config blob NOT NULL,
 PRIMARY KEY (ntid, ord)) without rowid;
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL,
 name text NOT NULL COLLATE unicase, mtime_secs integer NOT NULL,
 usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
"""
MODELS = {
    "1001": {"id": 1001, "name": "Basic", "type": 0,
             "tmpls": [{"name": "Card 1", "qfmt": "{{Front}}"}]},
    "1002": {"id": 1002, "name": "Basic (and reversed card)", "type": 0,
             "tmpls": [{"qfmt": "{{Front}}"}, {"qfmt": "{{Back}}"}]},
    "1003": {"id": 1003, "name": "Cloze", "type": 1,
             "tmpls": [{"qfmt": "{{cloze:Text}}"}]},
}
DECKS = {"1": {"name": "Default"}, "77": {"name": "Networking::Ports"}}
T0 = 1700000000000          # ms: review ids are times
DAY = 86400 * 1000

# (id, note type, tags, fields) for the three kinds; cards (id, note, ord);
# reviews (id, card, ease, ms).
PLAIN = [
    (1, 1001, " ports ", "Which port does <b>SSH</b> use?\x1f22"),
    (2, 1002, "", "HTTPS\x1f443"),
    (3, 1003, "dns", "{{c1::DNS}} uses port {{c2::53}}\x1fUDP mostly"),
]
HTML = [
    (1, 1001, " Networking::Ports tcp TCP ",
     "What is <b>port 22</b>?<br>*not* 23\x1fSSH&nbsp;&amp; SFTP<div>"
     "encrypted</div><img src=\"ssh.png\"> [sound:ssh.mp3]"),
    (2, 1002, "", "# DNS<div>&#x41;&#66; &lt;tag&gt;</div>\x1f53 | `udp` "
     "_x_ [link](y) 1. one"),
    (3, 1003, "geo", "{{c1::Paris}} is the capital of {{c2::France::a "
     "country}}<script>x()</script><!-- note -->\x1fA &lt;city&gt;\\"),
]
CARDS = [(11, 1, 0), (21, 2, 0), (22, 2, 1), (31, 3, 0), (32, 3, 1)]
REVIEWS = [(T0, 11, 3, 8000), (T0 + 2 * DAY, 11, 3, 6000),
           (T0 + 12 * DAY, 11, 1, 9000), (T0 + 13 * DAY, 11, 3, 5000),
           (T0 + 5000, 31, 4, 4000), (T0 + DAY, 22, 2, 0)]


def unicase(a, b):
    a, b = a.lower(), b.lower()
    return (a > b) - (a < b)


def content(db, notes, deck):
    for nid, mid, tags, flds in notes:
        db.execute("INSERT INTO notes VALUES (?, 'g' || ?, ?, 0, 0, ?, ?, "
                   "'', 0, 0, '')", (nid, nid, mid, tags, flds))
    for cid, nid, ord_ in CARDS:
        db.execute("INSERT INTO cards VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, 0, "
                   "0, 0, 0, 0, 0, 0, 0, '')", (cid, nid, deck, ord_))
    for rid, cid, ease, ms in REVIEWS:
        db.execute("INSERT INTO revlog VALUES (?, ?, 0, ?, 1, 0, 2500, ?, "
                   "1)", (rid, cid, ease, ms))


def new_db():
    db = sqlite3.connect(":memory:")
    db.create_collation("unicase", unicase)
    db.execute("PRAGMA page_size = 1024")    # small seeds mutate faster
    db.executescript(SCHEMA11)
    return db


def schema11(notes=PLAIN):
    """The bytes of a schema 11 collection."""
    db = new_db()
    db.execute("INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, ?, "
               "'{}', '{}')", (json.dumps(MODELS), json.dumps(DECKS)))
    content(db, notes, 77)
    db.commit()
    return db.serialize()


def pb_string(field, s):
    """A protobuf message holding one short string field."""
    b = s.encode()
    return bytes([field << 3 | 2, len(b)]) + b


def schema18():
    """The bytes of a schema 18 collection: note types in notetypes (the
    kind in the config's field 1, 1 for cloze), templates, decks."""
    db = new_db()
    db.executescript(SCHEMA18)
    db.execute("INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', '', "
               "'', '')")
    types = [(1001, b"", ["{{Front}}"]),
             (1002, b"\x10\x01", ["{{Front}}", "{{Back}}"]),
             (1003, b"\x08\x01", ["{{cloze:Text}}"])]
    for ntid, config, tmpls in types:
        db.execute("INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)",
                   (ntid, "type %d" % ntid, config))
        for ord_, q in enumerate(tmpls):
            db.execute("INSERT INTO templates VALUES (?, ?, 'Card', 0, 0, ?)",
                       (ntid, ord_, pb_string(1, q)))
    db.execute("INSERT INTO decks VALUES (1, 'Default', 0, 0, x'', x''), "
               "(88, 'Networking' || char(31) || 'Protocols', 0, 0, x'', "
               "x'')")
    content(db, PLAIN, 88)
    db.commit()
    return db.serialize()


def zstd_raw(data):
    """A zstd frame of data in raw blocks (RFC 8878): the magic number, a
    header saying single segment with a 4-byte content size, then blocks
    of at most 128 KiB, each with its 3-byte header (size, type 0, last)."""
    out = bytearray(b"\x28\xb5\x2f\xfd\xa0")
    out += len(data).to_bytes(4, "little")
    chunks = [data[i:i + (1 << 17)] for i in range(0, len(data), 1 << 17)]
    for i, chunk in enumerate(chunks or [b""]):
        last = i == len(chunks or [b""]) - 1
        out += (len(chunk) << 3 | int(last)).to_bytes(3, "little") + chunk
    return bytes(out)


def package(entries, how=zipfile.ZIP_DEFLATED):
    """A zip of [(name, bytes)]."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", how) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    legacy = schema11()
    wal = bytearray(legacy)
    wal[18:20] = b"\x02\x02"     # file format versions 2: WAL
    new = zstd_raw(schema18())
    seeds = {
        "basic.apkg": package([("collection.anki2", legacy),
                               ("media", b"{}")]),
        "html.apkg": package([("collection.anki21", schema11(HTML)),
                              ("media", b"{}")], zipfile.ZIP_STORED),
        "wal.apkg": package([("collection.anki2", bytes(wal)),
                             ("media", b"{}")]),
        "anki21b.apkg": package([("collection.anki2", legacy),
                                 ("collection.anki21b", new),
                                 ("media", b"")]),
        "collection.sqlite": legacy,
        "collection.zst": new,
    }
    for name, data in seeds.items():
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
