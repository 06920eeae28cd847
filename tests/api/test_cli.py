"""The ludus command line: subcommands, help, configuration errors."""
import socket

import pytest

from conftest import assert_no_sanitizer_report, dsn, ludus


def test_version():
    r = ludus("version")
    assert r.returncode == 0
    assert r.stdout.startswith("ludus ")
    assert ludus("--version").stdout == r.stdout


def test_help_lists_every_command():
    r = ludus("--help")
    assert r.returncode == 0
    for cmd in ("serve", "migrate", "seed", "import", "gamify", "version"):
        assert f"  {cmd} " in r.stdout


@pytest.mark.parametrize("cmd,options", [
    ("serve", ["--database-url", "--listen", "--port", "--workers",
               "--log-level", "LUDUS_PORT", "LUDUS_DATABASE_URL"]),
    ("migrate", ["up", "down", "status", "--database-url",
                 "--migrations-dir"]),
    ("seed", ["--database-url", "--log-level"]),
    ("gamify", ["rebuild", "--database-url"]),
    ("import", ["questions FILE", "--format", "--owner", "--org", "--exam",
                "--status", "--dry-run", "LUDUS_IMPORT_FORMAT"]),
    ("version", []),
])
def test_each_command_has_help(cmd, options):
    r = ludus(cmd, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Usage: ludus {cmd}")
    for opt in options:
        assert opt in r.stdout
    assert ludus(cmd, "-h").stdout == r.stdout


def test_no_command_is_a_usage_error():
    r = ludus()
    assert r.returncode == 2
    assert "Usage:" in r.stderr


@pytest.mark.parametrize("args,env,message", [
    (["frobnicate"], {}, "unknown command 'frobnicate'"),
    (["serve", "--no-such-flag"], {}, "unknown option '--no-such-flag'"),
    (["serve", "-x"], {}, "unknown option '-x'"),
    (["serve", "--port"], {}, "needs a value"),
    (["serve", "--port", "70000"], {}, "invalid value for --port: '70000'"),
    (["serve", "--port=0"], {}, "invalid value for --port"),
    (["serve", "--workers", "many"], {}, "invalid value for --workers"),
    (["serve", "--log-level", "loud"], {}, "invalid value for --log-level"),
    (["serve", "--listen", "not-an-address"], {}, "--listen"),
    (["serve", "extra"], {}, "takes no arguments"),
    (["serve"], {"LUDUS_PORT": "abc"}, "invalid value for LUDUS_PORT"),
    (["serve"], {"LUDUS_TEST_ROUTES": "maybe"},
     "invalid value for LUDUS_TEST_ROUTES"),
    (["migrate"], {}, "missing action"),
    (["migrate", "sideways"], {}, "unknown action"),
    (["migrate", "down", "0"], {}, "at least 1"),
    (["migrate", "down", "two"], {}, "at least 1"),
    (["migrate", "up", "now"], {}, "too many arguments"),
    (["migrate", "--port", "1"], {}, "unknown option '--port'"),
    (["seed", "again"], {}, "takes no arguments"),
    (["version", "--log-level", "info"], {}, "unknown option"),
])
def test_usage_errors_exit_2_with_a_clear_message(args, env, message):
    r = ludus(*args, env=env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr, r.stderr
    assert r.stdout == ""
    assert_no_sanitizer_report(r.stderr)


def test_flags_override_environment(db):
    r = ludus("migrate", "status", "--database-url", dsn(db),
              env={"LUDUS_DATABASE_URL": "dbname=nowhere host=/nonexistent"})
    assert r.returncode == 0, r.stderr
    assert "0001_core" in r.stdout


def test_serve_on_a_busy_port_fails_cleanly(db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = ludus("serve", "--port", str(port),
                  env={"LUDUS_DATABASE_URL": dsn(db)})
    assert r.returncode == 1
    assert "cannot start the HTTP server" in r.stderr
    assert_no_sanitizer_report(r.stderr)


def test_unreachable_database_is_reported():
    for cmd in (["migrate", "up"], ["seed"]):
        r = ludus(*cmd, env={"LUDUS_DATABASE_URL":
                             "host=/nonexistent dbname=x user=ludus"})
        assert r.returncode == 1
        assert "cannot connect to the database" in r.stderr
