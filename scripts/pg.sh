#!/bin/sh
# A private PostgreSQL 15 cluster in a folder of the project.
#
#   pg.sh start DIR PORT [--no-fsync]   create on first use, then start
#   pg.sh stop DIR                      stop (fast: sessions are ended)
#   pg.sh status DIR
#   pg.sh url DIR PORT [DBNAME]         the libpq connection string of ludus
#
# DIR holds data/ (the cluster), run/ (its Unix socket) and log/.  It
# listens on the socket only, never on TCP.  As root, PostgreSQL runs as the
# `postgres` system user (it refuses to run as root); otherwise as you.  The
# database `ludus` belongs to the role `ludus`, and ludus serves as the role
# `ludus_app` (row-level security binds it); local connections are trusted,
# and the socket is reachable by its owner (and root) only.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() { echo "pg.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: pg.sh start|stop|status|url DIR [PORT]"
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
port=${3:-5432}

if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	as_owner() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as_owner() { "$@"; }
fi

sockdir() {
	# A Unix socket path is at most 107 bytes: fall back to /tmp when the
	# project lives too deep.
	if [ ${#dir} -gt 80 ]; then
		echo "/tmp/ludus-pg-$(echo "$dir" | cksum | cut -d' ' -f1)"
	else
		echo "$dir/run"
	fi
}

# PostgreSQL's user must be able to walk down to DIR.
ensure_traversable() {
	[ "$owner" = postgres ] || return 0
	p=$dir
	while [ "$p" != / ]; do
		p=$(dirname "$p")
		if ! runuser -u postgres -- test -x "$p"; then
			echo "pg.sh: letting the postgres user traverse $p (chmod o+x)" >&2
			chmod o+x "$p"
		fi
	done
}

psql_su() {
	as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(sockdir)" -p "$port" \
		-U postgres -d postgres "$@"
}

case "$cmd" in
start)
	[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 is not installed (run scripts/deps.sh)"
	fsync=on
	[ "${4:-}" = "--no-fsync" ] && fsync=off
	sock=$(sockdir)
	mkdir -p "$dir/log" "$sock"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		ensure_traversable
		rm -rf "$dir/data"
		mkdir -p "$dir/data"
		chmod 700 "$dir/data"
		chown "$owner" "$dir/data" "$dir/log" "$sock"
		chmod 700 "$sock"
		as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 \
			--locale=C.UTF-8 --auth-local=trust --auth-host=reject \
			>"$dir/log/initdb.log" 2>&1 ||
			die "initdb failed; see $dir/log/initdb.log"
		cat >>"$dir/data/postgresql.conf" <<CONF

# Ludus: a private cluster on a Unix socket.
listen_addresses = ''
port = $port
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
fsync = $fsync
max_connections = 200
shared_buffers = 256MB
log_destination = 'stderr'
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
CONF
	fi
	if as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		:
	else
		# A clean socket folder, in case a crash left a stale lock.
		mkdir -p "$sock"
		chown "$owner" "$sock"
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log/postgres.log" \
			-w -t 60 -o "-p $port -k $sock" start >/dev/null ||
			die "PostgreSQL did not start; see $dir/log/postgres.log"
	fi
	if [ "$(psql_su -Atc "SELECT 1 FROM pg_roles WHERE rolname = 'ludus'")" != 1 ]; then
		psql_su -c "CREATE ROLE ludus LOGIN"
	fi
	# The role ludus serves as: it owns nothing and row-level security
	# binds it (migration 0015).  ludus, the owner, may become it (tests).
	if [ "$(psql_su -Atc "SELECT 1 FROM pg_roles WHERE rolname = 'ludus_app'")" != 1 ]; then
		psql_su -c "CREATE ROLE ludus_app LOGIN NOSUPERUSER NOBYPASSRLS" \
			-c "GRANT ludus_app TO ludus"
	fi
	if [ "$(psql_su -Atc "SELECT 1 FROM pg_database WHERE datname = 'ludus'")" != 1 ]; then
		psql_su -c "CREATE DATABASE ludus OWNER ludus"
	fi
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
	fi
	;;
status)
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" status
	;;
url)
	echo "host=$(sockdir) port=$port dbname=${4:-ludus} user=ludus"
	;;
*)
	die "unknown command: $cmd"
	;;
esac
