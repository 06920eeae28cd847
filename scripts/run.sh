#!/bin/sh
# `make run`: the embedded PostgreSQL under var/pg (unless
# LUDUS_DATABASE_URL names another database), migrations, the demo seed,
# then `ludus serve` in the foreground until Ctrl-C.  `make stop` stops the
# cluster.
set -eu
cd "$(dirname "$0")/.."

PORT=${LUDUS_PG_PORT:-5432}
if [ -z "${LUDUS_DATABASE_URL:-}" ]; then
	./scripts/pg.sh start var/pg "$PORT"
	LUDUS_DATABASE_URL=$(./scripts/pg.sh url var/pg "$PORT")
	export LUDUS_DATABASE_URL
	echo "PostgreSQL: running in var/pg (stop it with 'make stop')"
fi

./build/ludus migrate up
./build/ludus seed

host=${LUDUS_LISTEN:-127.0.0.1}
case "$host" in *:*) host="[$host]" ;; esac
cat <<MSG

  Ludus is at http://$host:${LUDUS_PORT:-8080}

  Demo accounts (password: password123)
    admin       admin@network.test        admin
    instructor  instructor@network.test   instructor
    student     student1@network.test     sarah_network
    student     student2@network.test     mike_netplus
    student     student3@network.test     jane_tech

  Ctrl-C stops the server; 'make stop' stops PostgreSQL.

MSG
exec ./build/ludus serve
