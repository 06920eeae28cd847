"""Migrations and the demo seed, against real databases."""
import os
import shutil
import subprocess

import pytest

from conftest import BIN, PGBIN, PGHOST, PGPORT, ROOT, create_db, drop_db, \
    dsn, ludus, psql


@pytest.fixture
def empty_db():
    name = create_db("template0")
    yield name
    drop_db(name)


def run(db, *args, **kw):
    return ludus(*args, env={"LUDUS_DATABASE_URL": dsn(db),
                             "LUDUS_BCRYPT_COST": "10"}, **kw)


def schema(db):
    out = subprocess.run(
        [f"{PGBIN}/pg_dump", "--schema-only", "--no-owner", "-h", PGHOST,
         "-p", PGPORT, "-U", "postgres", "-d", db],
        check=True, capture_output=True, text=True).stdout
    # pg_dump 15.14+ brackets its output with \restrict and \unrestrict
    # lines that carry a random key; they are not part of the schema.
    return "\n".join(line for line in out.splitlines()
                     if not line.startswith(("\\restrict", "\\unrestrict")))


MIGRATIONS = sorted(p.name[:-len(".up.sql")] for p in
                    (ROOT / "sql" / "migrations").glob("*.up.sql"))


def tables(db):
    return sorted(r[0] for r in psql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", db))


def test_status_up_and_again(empty_db):
    r = run(empty_db, "migrate", "status")
    assert r.returncode == 0
    assert r.stdout.count("pending") == len(MIGRATIONS)
    r = run(empty_db, "migrate", "up")
    assert r.returncode == 0, r.stderr
    for name in MIGRATIONS:
        assert f"applied  {name}" in r.stdout
    r = run(empty_db, "migrate", "up")
    assert r.returncode == 0 and "up to date" in r.stdout
    r = run(empty_db, "migrate", "status")
    assert r.stdout.count("applied 20") == len(MIGRATIONS)
    assert "pending" not in r.stdout
    rows = psql("SELECT version, name, length(checksum) "
                "FROM schema_migrations ORDER BY version", empty_db)
    assert rows == [[str(int(n[:4])), n, "64"] for n in MIGRATIONS]


def test_up_down_up_leaves_an_identical_schema(empty_db):
    assert run(empty_db, "migrate", "up").returncode == 0
    first = schema(empty_db)
    r = run(empty_db, "migrate", "down", "all")
    assert r.returncode == 0, r.stderr
    for name in MIGRATIONS:
        assert f"reverted {name}" in r.stdout
    assert tables(empty_db) == ["schema_migrations"]
    leftovers = psql("SELECT proname FROM pg_proc p JOIN pg_namespace n "
                     "ON n.oid = p.pronamespace WHERE nspname = 'public'",
                     empty_db)
    assert leftovers == []
    assert run(empty_db, "migrate", "down").stdout.strip() == \
        "nothing to revert"
    assert run(empty_db, "migrate", "up").returncode == 0
    assert schema(empty_db) == first


def test_concurrent_ups_take_turns(empty_db):
    env = dict(os.environ, LUDUS_DATABASE_URL=dsn(empty_db))
    procs = [subprocess.Popen([BIN, "migrate", "up"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for _ in range(4)]
    outs = [p.communicate(60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outs
    for name in MIGRATIONS:  # each applied by exactly one of them
        assert sum(o.count(f"applied  {name}") for o, _ in outs) == 1, outs
    assert psql("SELECT count(*) FROM schema_migrations", empty_db) == \
        [[str(len(MIGRATIONS))]]


@pytest.fixture
def migrations_copy(tmp_path):
    d = tmp_path / "migrations"
    shutil.copytree(ROOT / "sql" / "migrations", d)
    return d


def test_an_edited_migration_is_refused(empty_db, migrations_copy):
    d = str(migrations_copy)
    assert run(empty_db, "migrate", "up", "--migrations-dir", d).returncode == 0
    up = migrations_copy / "0001_core.up.sql"
    up.write_text(up.read_text() + "\n-- a harmless-looking edit\n")
    r = run(empty_db, "migrate", "up", "--migrations-dir", d)
    assert r.returncode == 1
    assert "0001_core was edited after it was applied" in r.stderr
    r = run(empty_db, "migrate", "status", "--migrations-dir", d)
    assert r.returncode == 1 and "EDITED" in r.stdout
    r = run(empty_db, "migrate", "down", "--migrations-dir", d)
    assert r.returncode == 1
    assert tables(empty_db) != ["schema_migrations"]  # nothing reverted


def test_a_failing_migration_leaves_nothing_behind(empty_db, migrations_copy):
    (migrations_copy / "9001_broken.up.sql").write_text(
        "CREATE TABLE half_done (id integer);\n"
        "ALTER TABLE no_such_table ADD COLUMN x integer;\n")
    (migrations_copy / "9001_broken.down.sql").write_text(
        "DROP TABLE half_done;\n")
    r = run(empty_db, "migrate", "up", "--migrations-dir",
            str(migrations_copy))
    assert r.returncode == 1
    assert "9001_broken up failed" in r.stderr
    assert "no_such_table" in r.stderr
    assert "half_done" not in tables(empty_db)
    # The good migrations before it stay applied.
    assert psql("SELECT count(*) FROM schema_migrations", empty_db) == \
        [[str(len(MIGRATIONS))]]


def test_badly_named_or_unpaired_files_are_refused(empty_db, migrations_copy):
    (migrations_copy / "2_oops.up.sql").write_text("SELECT 1;")
    r = run(empty_db, "migrate", "up", "--migrations-dir",
            str(migrations_copy))
    assert r.returncode == 1 and "2_oops.up.sql" in r.stderr
    (migrations_copy / "2_oops.up.sql").unlink()
    (migrations_copy / "9001_lonely.up.sql").write_text("SELECT 1;")
    r = run(empty_db, "migrate", "up", "--migrations-dir",
            str(migrations_copy))
    assert r.returncode == 1 and "9001_lonely has no down.sql" in r.stderr
    (migrations_copy / "README").write_text("not a migration")
    (migrations_copy / "9001_lonely.up.sql").unlink()
    assert run(empty_db, "migrate", "up", "--migrations-dir",
               str(migrations_copy)).returncode == 0


def test_a_newer_database_is_refused(empty_db):
    assert run(empty_db, "migrate", "up").returncode == 0
    psql("INSERT INTO schema_migrations (version, name, checksum) "
         f"VALUES (9999, '9999_future', '{'0' * 64}')", empty_db)
    r = run(empty_db, "migrate", "up")
    assert r.returncode == 1 and "9999_future" in r.stderr
    assert "newer" in r.stderr
    assert "UNKNOWN" in run(empty_db, "migrate", "status").stdout


def test_down_takes_a_count(empty_db, migrations_copy):
    (migrations_copy / "9001_extra.up.sql").write_text(
        "CREATE TABLE extra (id integer);")
    (migrations_copy / "9001_extra.down.sql").write_text("DROP TABLE extra;")
    d = str(migrations_copy)
    assert run(empty_db, "migrate", "up", "--migrations-dir", d).returncode == 0
    assert "extra" in tables(empty_db)
    r = run(empty_db, "migrate", "down", "1", "--migrations-dir", d)
    assert r.returncode == 0 and "reverted 9001_extra" in r.stdout
    assert "extra" not in tables(empty_db) and "users" in tables(empty_db)


def test_seed_needs_migrations(empty_db):
    r = run(empty_db, "seed")
    assert r.returncode == 1
    assert "migrate up" in r.stderr


def test_seed_is_idempotent(empty_db):
    assert run(empty_db, "migrate", "up").returncode == 0
    for _ in range(2):
        r = run(empty_db, "seed")
        assert r.returncode == 0, r.stderr
    users = psql("SELECT username, role, o.slug FROM users u JOIN "
                 "organizations o ON o.id = u.org_id ORDER BY username",
                 empty_db)
    assert users == [["admin", "admin", "default"],
                     ["instructor", "instructor", "default"],
                     ["jane_tech", "student", "default"],
                     ["mike_netplus", "student", "default"],
                     ["sarah_network", "student", "default"]]
    assert psql("SELECT count(*) FROM user_profiles", empty_db) == [["5"]]
    assert psql("SELECT count(*) FROM user_settings", empty_db) == [["5"]]
    emails = [r[0] for r in psql("SELECT email FROM users ORDER BY email",
                                 empty_db)]
    assert emails == ["admin@network.test", "instructor@network.test",
                      "student1@network.test", "student2@network.test",
                      "student3@network.test"]
    hashes = psql("SELECT DISTINCT left(password_hash, 7) FROM users",
                  empty_db)
    assert hashes == [["$2b$10$"]]


def test_seed_keeps_changed_accounts(empty_db):
    assert run(empty_db, "migrate", "up").returncode == 0
    assert run(empty_db, "seed").returncode == 0
    psql("UPDATE users SET role = 'instructor' WHERE username = 'jane_tech'",
         empty_db)
    assert run(empty_db, "seed").returncode == 0
    assert psql("SELECT role FROM users WHERE username = 'jane_tech'",
                empty_db) == [["instructor"]]


def test_the_demo_earned_what_the_rules_say(empty_db):
    """The seeded progress is awarded by the engine, at its own times: every
    completed lesson paid its XP, the first-lesson achievement is there,
    the cached totals follow the ledger, a rebuild finds nothing to put
    right, and seeding again awards nothing twice."""
    assert run(empty_db, "migrate", "up").returncode == 0
    assert run(empty_db, "seed").returncode == 0

    def state():
        return psql("""
            SELECT u.username, p.xp, p.level,
                (SELECT coalesce(sum(amount), 0) FROM xp_events x
                 WHERE x.user_id = u.id),
                (SELECT count(*) FROM lesson_progress l
                 WHERE l.user_id = u.id AND l.status = 'completed'),
                (SELECT count(*) FROM xp_events x
                 WHERE x.user_id = u.id AND x.source = 'lesson'),
                (SELECT string_agg(a.code, ',' ORDER BY a.code)
                 FROM user_achievements ua JOIN achievements a
                     ON a.id = ua.achievement_id WHERE ua.user_id = u.id),
                (SELECT count(*) FROM activity_days d
                 WHERE d.user_id = u.id AND NOT d.frozen),
                (SELECT longest_streak FROM learning_streaks k
                 WHERE k.user_id = u.id)
            FROM users u JOIN user_profiles p ON p.user_id = u.id
            ORDER BY u.username""", empty_db)

    before = state()
    rows = {r[0]: r for r in before}
    sarah = rows["sarah_network"]
    assert sarah[4] == "6" and sarah[5] == "6", sarah
    assert int(sarah[1]) > 0 and sarah[1] == sarah[3], sarah
    assert "first-lesson" in sarah[6].split(","), sarah
    # Six lessons over five days (6, 5, 4, 2 and 1 day ago, and in-progress
    # study today): the days are the completions' own, not the seeding's.
    assert int(sarah[7]) >= 5, sarah
    mike = rows["mike_netplus"]
    assert mike[4] == "3" and mike[5] == "3" and mike[1] == mike[3], mike
    for r in before:
        assert r[1] == r[3], r          # the cache follows the ledger
        assert r[4] == r[5], r          # a lesson XP per completed lesson
    # The award path is the learners' own: nothing is left to put right.
    r = run(empty_db, "gamify", "rebuild")
    assert r.returncode == 0, r.stderr
    assert state() == before
    assert run(empty_db, "seed").returncode == 0
    assert state() == before
