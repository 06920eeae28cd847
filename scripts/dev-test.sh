#!/bin/bash
# dev-test.sh - one suite or one file while developing, against a throwaway
# cluster set up as `make test` sets it up (scripts/testdb.sh).
#
#   scripts/dev-test.sh BUILD_DIR COMMAND...
#
#   scripts/dev-test.sh build /usr/bin/python3 -m pytest -q tests/api/test_http.py
#   scripts/dev-test.sh build node --test tests/e2e/learner.test.js
#   scripts/dev-test.sh build pg_prove tests/sql/0005_gamification.sql
#
# LUDUS_TEST_PG_PORT and LUDUS_TEST_PG_DIR_REL (default 5439, var/test) let
# two checkouts test at once.  LUDUS_BIN is BUILD_DIR/ludus; pg_prove gets
# a fresh copy of the template with pgTAP, as in make test.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. scripts/testdb.sh
[ $# -ge 2 ] || { echo "usage: scripts/dev-test.sh BUILD_DIR COMMAND..." >&2; exit 2; }
build=$1
shift
testdb_start "$build"
export LUDUS_BIN=$ROOT/$build/ludus
if [ "$1" = pg_prove ]; then
	fresh_db ludus_sqltest
	psql_su -d ludus_sqltest -c "CREATE EXTENSION IF NOT EXISTS pgtap" || exit 1
	shift
	pg_prove -h "$SOCK" -p "$PORT" -U postgres -d ludus_sqltest "$@"
	exit
fi
if [ "${1##*/}" != node ] && [ "${1##*/}" != python3 ]; then
	fresh_db ludus_dbtest
	export LUDUS_TEST_DATABASE_URL=$(url ludus_dbtest)
fi
"$@"
