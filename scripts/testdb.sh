# testdb.sh - sourced by test.sh and dev-test.sh: a throwaway cluster in
# $PGDIR on $PORT with a migrated, seeded template database, and the
# environment the test runners read (LUDUS_TEST_PG_*, LUDUS_TEST_TEMPLATE).
#
#   testdb_start BUILD_DIR     start afresh; stops it again on exit
#   psql_su ARGS...            psql as the superuser, database postgres
#   url DBNAME                 ludus's connection string to DBNAME
#   fresh_db NAME              NAME, a new copy of the template

PORT=${LUDUS_TEST_PG_PORT:-5439}
PGDIR=${LUDUS_TEST_PG_DIR_REL:-var/test}
export PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
LOGS=$PGDIR/logs

psql_su() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres \
		-d postgres "$@"
}
url() { echo "host=$SOCK port=$PORT dbname=$1 user=ludus"; }

fresh_db() { # name
	psql_su -c "DROP DATABASE IF EXISTS $1" -c \
		"CREATE DATABASE $1 TEMPLATE ludus_template OWNER ludus" || exit 1
}

testdb_cleanup() {
	./scripts/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
}

testdb_start() { # build
	trap testdb_cleanup EXIT
	trap 'exit 130' INT TERM
	./scripts/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
	rm -rf "$PGDIR"
	./scripts/pg.sh start "$PGDIR" "$PORT" --no-fsync || exit 1
	mkdir -p "$LOGS"
	SOCK=$(./scripts/pg.sh url "$PGDIR" "$PORT" | sed 's/^host=\([^ ]*\) .*/\1/')
	export LUDUS_TEST_PG_DIR=$ROOT/$PGDIR LUDUS_TEST_PG_PORT=$PORT \
		LUDUS_TEST_PG_HOST=$SOCK
	# A migrated and seeded template; each suite copies it.
	psql_su -c "CREATE DATABASE ludus_template OWNER ludus" || exit 1
	LUDUS_DATABASE_URL=$(url ludus_template) "$1/ludus" migrate up >/dev/null || exit 1
	LUDUS_DATABASE_URL=$(url ludus_template) LUDUS_BCRYPT_COST=10 \
		"$1/ludus" seed >/dev/null || exit 1
	export LUDUS_TEST_TEMPLATE=ludus_template
}
