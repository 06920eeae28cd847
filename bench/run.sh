#!/bin/bash
# `make bench`: each main operation of ludus under load, next to its floors;
# then at half of its capacity; then a learner's day mixed in one run; then
# the mix and a few operations again with 4, 8 and 16 workers.
#
#   bench/run.sh            (after scripts/deps.sh and make all)
#
# 1. A fresh PostgreSQL cluster in var/bench (port BENCH_PG_PORT, 5441),
#    migrated and seeded, then the bench data set generated in SQL
#    (bench/data/*.sql: 100,000 users, the content, 200,000 attempts, about
#    2 million answers and the activity, sessions, bookmarks and goals that
#    go with them; flashcards, study materials, and the course forums'
#    20,000 threads with a 10,000-reply one among them).
# 2. ludus on 127.0.0.1:BENCH_HTTP_PORT (8091), as it runs by default (its
#    worker count, bcrypt cost BENCH_BCRYPT_COST, 12, access logs at info),
#    with the login rate limits lifted (every request comes from one
#    address).
# 3. Capacity: for each operation, wrk with BENCH_CONNECTIONS (64)
#    connections for BENCH_DURATION (8) seconds (bench/wrk/*.lua, each
#    request as another signed-in user), then pgbench over the same socket
#    running the same named queries in the same transactions
#    (bench/pgbench/*.sql) with as many clients as ludus has workers (and
#    so database connections): the database floor (BENCH_FLOOR_64=1: also
#    with as many clients as connections, and the better of the two; the
#    workers' count was the better in every run, and the second run cost
#    80 s of the 15 minutes).  GET /healthz first: the HTTP floor.
# 4. Paced: each operation again for BENCH_PACED_DURATION (8) seconds at
#    half the rate it reached in 3 (wrk's delay(), bench/wrk/common.lua),
#    its latency counted from each request's due time: p50, p99, p99.9.
# 5. Mixed: bench/wrk/mixed.lua (a learner's day by weight) for
#    BENCH_MIXED_DURATION (15) seconds at 64 connections, by kind.
# 6. Workers: ludus restarted with each of BENCH_WORKER_SWEEP (4 8 16)
#    workers, BENCH_SWEEP_OPS (dashboard progress submit mixed) for
#    BENCH_SWEEP_DURATION (6) seconds each.
# 7. The tables on stdout, and bench/results/<UTC time>.json with every
#    number, the peak memory of ludus (VmHWM) and PostgreSQL (the sum of
#    the PSS of its processes, sampled) and the size of the data set.
#
# Everything started here is stopped on exit, by pid.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PG_PORT=${BENCH_PG_PORT:-5441}
HTTP_PORT=${BENCH_HTTP_PORT:-8091}
DURATION=${BENCH_DURATION:-8}
PACED_DURATION=${BENCH_PACED_DURATION:-8}
MIXED_DURATION=${BENCH_MIXED_DURATION:-15}
SWEEP=${BENCH_WORKER_SWEEP-4 8 16}     # empty: no sweep
SWEEP_OPS=${BENCH_SWEEP_OPS:-dashboard progress submit mixed}
SWEEP_DURATION=${BENCH_SWEEP_DURATION:-6}
BOARD_DURATION=${BENCH_BOARD_DURATION:-3}     # each leaderboard variant
HISTORY_DURATION=${BENCH_HISTORY_DURATION:-4} # submits with and without history
RLS_OPS=${BENCH_RLS_OPS-dashboard catalog course progress save leaderboard search}
RLS_DURATION=${BENCH_RLS_DURATION:-6}         # each, per side and round
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
COST=${BENCH_BCRYPT_COST:-12}
ONLY=${BENCH_ONLY:-}            # e.g. "dashboard search mixed": a subset
FLOOR_64=${BENCH_FLOOR_64:-}    # 1: the database floor at $CONNS clients too
REUSE=${BENCH_REUSE:-}          # 1: keep var/bench's data set (development;
                                # the write benchmarks use up their pools)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
export PGBIN

DIR=var/bench
WORK=$DIR/work
LOGS=$DIR/log
RESULTS=bench/results
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
ENDPOINTS="login dashboard catalog course progress start save submit leaderboard search fcqueue fcreview fcmedia matlist matassets forumidx forumthread"

say() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "$*"; exit 1; }

for tool in wrk "$PGBIN/pgbench" "$PGBIN/psql" /usr/bin/python3; do
	command -v "$tool" >/dev/null || die "$tool is missing (run scripts/deps.sh)"
done
[ -x build/ludus ] || die "build/ludus is missing (run make all)"

LUDUS_PID="" SAMPLER_PID=""
cleanup() {
	set +e
	[ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
	if [ -n "$LUDUS_PID" ] && kill -0 "$LUDUS_PID" 2>/dev/null; then
		kill -TERM "$LUDUS_PID"
		wait "$LUDUS_PID" 2>/dev/null
	fi
	./scripts/pg.sh stop "$DIR" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$(date +%s)

# ---- 1. the cluster and the data set -------------------------------------

./scripts/pg.sh stop "$DIR" >/dev/null 2>&1 || true
if [ "$REUSE" = 1 ] && [ -f "$DIR/data/PG_VERSION" ]; then
	say "PostgreSQL: reusing the cluster and data set in $DIR"
else
	REUSE=""
	rm -rf "$DIR"
	say "PostgreSQL: a fresh cluster in $DIR (port $PG_PORT)"
fi
mkdir -p "$WORK" "$LOGS" "$RESULTS"
./scripts/pg.sh start "$DIR" "$PG_PORT" >/dev/null
URL=$(./scripts/pg.sh url "$DIR" "$PG_PORT")
SOCK=$(echo "$URL" | sed 's/^host=\([^ ]*\) .*/\1/')
psql_su() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
		    -h "$SOCK" -p "$PG_PORT" -U postgres "$@"
	else
		"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PG_PORT" \
		    -U postgres "$@"
	fi
}
q() { psql_su -d ludus -Atc "$1"; }
# Room for the load's WAL without a checkpoint in the middle of it.
psql_su -d postgres -c "ALTER SYSTEM SET max_wal_size = '8GB'" \
    -c "ALTER SYSTEM SET checkpoint_timeout = '30min'" \
    -c "SELECT pg_reload_conf()" >/dev/null

export LUDUS_DATABASE_URL=$URL LUDUS_BCRYPT_COST=$COST
GEN_SECONDS=0
if [ -z "$REUSE" ]; then
	./build/ludus migrate up >/dev/null
	./build/ludus seed >/dev/null
	say "generating the data set (bench/data/*.sql)"
	G0=$(date +%s)
	args=()
	for f in bench/data/*.sql; do args+=(-f "$f"); done
	psql_su -d ludus -c "SET ROLE ludus" "${args[@]}" >"$LOGS/generate.log" 2>&1 || {
		tail -20 "$LOGS/generate.log" >&2
		die "the data set failed; see $LOGS/generate.log"
	}
	GEN_SECONDS=$(($(date +%s) - G0))
fi
DB_BYTES=$(q "SELECT pg_database_size('ludus')")
say "data set: $(q "SELECT pg_size_pretty(pg_database_size('ludus'))") in ${GEN_SECONDS}s"
COUNTS=$(q "SELECT json_build_object(
	'users', (SELECT count(*) FROM users),
	'organizations', (SELECT count(*) FROM organizations),
	'courses', (SELECT count(*) FROM courses),
	'lessons', (SELECT count(*) FROM lessons),
	'questions', (SELECT count(*) FROM questions),
	'assessments', (SELECT count(*) FROM assessments),
	'attempts', (SELECT count(*) FROM attempts),
	'attempt_answers', (SELECT count(*) FROM attempt_answers),
	'enrollments', (SELECT count(*) FROM enrollments),
	'lesson_progress', (SELECT count(*) FROM lesson_progress),
	'xp_events', (SELECT count(*) FROM xp_events),
	'xp_events_this_week', (SELECT count(*) FROM xp_events WHERE occurred_at
		>= date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
	'activity_days', (SELECT count(*) FROM activity_days),
	'activity_events', (SELECT count(*) FROM activity_events),
	'sessions', (SELECT count(*) FROM sessions),
	'flashcards', (SELECT count(*) FROM flashcards),
	'flashcard_progress', (SELECT count(*) FROM user_flashcard_progress),
	'flashcard_reviews', (SELECT count(*) FROM flashcard_reviews),
	'study_materials', (SELECT count(*) FROM study_materials),
	'content_chunks', (SELECT count(*) FROM content_chunks),
	'generated_assets', (SELECT count(*) FROM generated_assets),
	'forum_threads', (SELECT count(*) FROM forum_posts),
	'forum_replies', (SELECT count(*) FROM forum_replies))")

# What the wrk scripts pick from.
DATA=$WORK/data
mkdir -p "$DATA"
q "SELECT username FROM bench.users WHERE n <= 90000 ORDER BY n" >"$DATA/logins.txt"
q "SELECT id FROM bench.courses ORDER BY i" >"$DATA/courses.txt"
q "SELECT id FROM bench.lessons ORDER BY i" >"$DATA/lessons.txt"
q "SELECT id FROM bench.quizzes ORDER BY i" >"$DATA/quizzes.txt"
q "SELECT n || ' ' || attempt_id || ' ' || question_id FROM bench.save_pool ORDER BY i" >"$DATA/save.txt"
# Of the 25,000 open, fully answered attempts, wrk submits 1..17500 (the
# capacity, paced, mixed and worker runs, one after the other) and each of
# the two pgbench runs 3,750 of its own.
SUBMIT_WRK=17500
q "SELECT n || ' ' || attempt_id FROM bench.submit_pool WHERE i <= $SUBMIT_WRK ORDER BY i" >"$DATA/submit.txt"
# The "submit with history" case (bench/data/60_history.sql): four learners
# with 10,000 finished attempts each, four with none.
q "SELECT n || ' ' || attempt_id FROM bench.submit_pool WHERE i BETWEEN 200001 AND 299999 ORDER BY i" >"$DATA/history.txt"
q "SELECT n || ' ' || attempt_id FROM bench.submit_pool WHERE i > 300000 ORDER BY i" >"$DATA/fresh.txt"
q "SELECT replace(term, ' ', '+') FROM bench.terms ORDER BY i" >"$DATA/terms.txt"
# Flashcards (bench/data/70_flashcards.sql): each learner's n and deck, and
# every deck's cards.
q "SELECT n || ' ' || (1 + n % 10) FROM bench.fc_learners ORDER BY n" >"$DATA/fc_learners.txt"
q "SELECT deck_i || ' ' || id FROM bench.fc_cards ORDER BY deck_i, c" >"$DATA/fc_cards.txt"
# Card media (bench/data/75_card_media.sql): each deck's id.
q "SELECT i || ' ' || id FROM bench.fc_decks ORDER BY i" >"$DATA/fc_decks.txt"
# Forums (bench/data/77_forums.sql): each course's category, the threads
# that end its first ten pages, and the big thread (its last reply's
# number); the readers are the flashcard learners above, each in their
# course's forum.
q "SELECT i || ' ' || id FROM bench.forum_categories ORDER BY i" >"$DATA/forum_categories.txt"
q "SELECT i || ' ' || p || ' ' || after FROM bench.forum_pages ORDER BY i, p" >"$DATA/forum_pages.txt"
q "SELECT id || ' ' || reply_seq FROM bench.forum_big" >"$DATA/forum_big.txt"
# (pgbench: the same as lists, -D forum_cats and forum_pages, whose
# entries the planner sees as values, as it sees ludus's parameters)
FORUM_CATS=$(q "SELECT '{' || string_agg(id::text, ',' ORDER BY i) || '}' FROM bench.forum_categories")
FORUM_PAGES=$(q "SELECT '{' || string_agg(after::text, ',' ORDER BY i, p) || '}' FROM bench.forum_pages")
read -r FORUM_BIG FORUM_SEQ <"$DATA/forum_big.txt"
# Study materials (bench/data/80_materials.sql): each material's learner.
q "SELECT n || ' ' || material_id FROM bench.mat_learners ORDER BY i" >"$DATA/mat_learners.txt"
MAT_ROWS=$(q "SELECT count(*) FROM bench.mat_learners")
SAVE_ROWS=$(q "SELECT count(*) FROM bench.save_pool")
TERMS=$(q "SELECT count(*) FROM bench.terms")

# The pgbench scripts: the templates with the named queries put in.
for e in $ENDPOINTS; do
	/usr/bin/python3 bench/pgbench/expand.py sql/queries "bench/pgbench/$e.sql" "$WORK/$e.pgbench.sql"
done

# ---- 2. ludus ---------------------------------------------------------------

# LUDUS_AS_OWNER=1: as the tables' owner, whom row-level security does not
# bind (the reference for its cost).
start_ludus() { # [workers]: the default when none is given
	local log=$LOGS/ludus${1:+-$1}${LUDUS_AS_OWNER:+-owner}.log
	say "ludus: serving on 127.0.0.1:$HTTP_PORT (bcrypt cost $COST, ${1:-default} workers${LUDUS_AS_OWNER:+, as the owner})"
	LUDUS_LISTEN=127.0.0.1 LUDUS_PORT=$HTTP_PORT LUDUS_LOGIN_RATE=100000 \
	LUDUS_LOGIN_FAILURES_PER_IP=1000000 LUDUS_MAIL_DIR=$WORK/mail \
	env ${1:+LUDUS_WORKERS=$1} ${LUDUS_AS_OWNER:+LUDUS_DATABASE_ROLE=ludus LUDUS_ALLOW_RLS_BYPASS=1} \
	    ./build/ludus serve >"$log" 2>&1 &
	LUDUS_PID=$!
	for _ in $(seq 100); do
		curl -fs "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1 && break
		kill -0 "$LUDUS_PID" 2>/dev/null || die "ludus did not start; see $log"
		sleep 0.1
	done
	curl -fs "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null || die "ludus is not ready"
}

stop_ludus() {
	kill -TERM "$LUDUS_PID"
	wait "$LUDUS_PID" 2>/dev/null || true
	LUDUS_PID=""
}

start_ludus
WORKERS=$(grep -o '"workers": *[0-9]*' "$LOGS/ludus.log" | head -1 | grep -o '[0-9]*$' || true)

# PostgreSQL's memory: the PSS (each shared page divided among the
# processes that map it) of the postmaster and all its children, summed,
# every half second; the peak is kept.
PG_MAIN=$(head -1 "$DIR/data/postmaster.pid")
(
	peak=0
	while :; do
		pids="$PG_MAIN $(cat /proc/"$PG_MAIN"/task/*/children 2>/dev/null)"
		total=$(for p in $pids; do cat /proc/"$p"/smaps_rollup 2>/dev/null; done |
			awk '/^Pss:/ {s += $2} END {print s + 0}')
		if [ "$total" -gt "$peak" ]; then
			peak=$total
			echo "$peak" >"$WORK/pg_pss_peak_kb"
		fi
		sleep 1
	done
) &
SAMPLER_PID=$!

# ---- 3. the measurements ----------------------------------------------------

export BENCH_WRK=$ROOT/bench/wrk BENCH_DATA=$ROOT/$DATA BENCH_THREADS=$THREADS

# The writes that must not repeat (submit's open attempts, start's
# (learner, quiz) pairs): each run starts past what the runs before it
# used, kept with the data set (so BENCH_REUSE goes on from there).
OFFSETS=$DIR/offsets
[ -f "$OFFSETS" ] || echo "0 0" >"$OFFSETS"
read -r OFFSET_SUBMIT OFFSET_START <"$OFFSETS"

run_wrk() { # name seconds [out [rate]] -> $WORK/out.wrk.json
	local name=$1 secs=$2 out=${3:-$1} rate=${4:-} timeout=10s
	case "$name" in login | mixed) timeout=60s ;; esac
	BENCH_KIND=$name BENCH_RATE=$rate BENCH_OUT=$ROOT/$WORK/$out.wrk.json \
	BENCH_OFFSET_SUBMIT=$OFFSET_SUBMIT BENCH_OFFSET_START=$OFFSET_START \
	    wrk -t "$THREADS" -c "$CONNS" -d "${secs}s" --timeout "$timeout" \
	    -s "bench/wrk/$name.lua" "http://127.0.0.1:$HTTP_PORT" \
	    >"$LOGS/$out.wrk.txt" 2>&1 || die "wrk failed on $name; see $LOGS/$out.wrk.txt"
	[ -s "$WORK/$out.wrk.json" ] || die "wrk wrote no summary for $name; see $LOGS/$out.wrk.txt"
	read -r OFFSET_SUBMIT OFFSET_START < <(/usr/bin/python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))["kinds"]
print(int(sys.argv[2]) + k.get("submit", {}).get("used", 0),
      int(sys.argv[3]) + k.get("start", {}).get("used", 0))' \
	    "$WORK/$out.wrk.json" "$OFFSET_SUBMIT" "$OFFSET_START")
	echo "$OFFSET_SUBMIT $OFFSET_START" >"$OFFSETS"
	if [ "$OFFSET_SUBMIT" -gt "$SUBMIT_WRK" ]; then
		say "warning: the runs so far used $OFFSET_SUBMIT of the $SUBMIT_WRK open attempts; submits past them are 409s"
	fi
}

wanted() { [ -z "$ONLY" ] || echo " $ONLY " | grep -q " $1 "; }

# PGB_EXTRA: more -D settings; PGB_SECONDS: another duration; out: another
# name for the results (the leaderboard variants).
run_pgbench() { # name clients part [out] -> $WORK/out.pgbench-clients.json
	local name=$1 c=$2 part=$3 log=$WORK/pgbench-$1 base span
	local out=$WORK/${4:-$name}.pgbench-$c
	# shellcheck disable=SC2086 # PGB_EXTRA is words
	set -- ${PGB_EXTRA:--D period=weekly -D exam=all -D by=xp -D first=1 -D last=90000}
	# Each run gets its own accounts (start) or open attempts (submit).
	case "$name" in
	start) span=12500 base=$((25001 + part * 12500)) ;;
	submit) span=3750 base=$((SUBMIT_WRK + 1 + part * 3750)) ;;
	*) span=1 base=1 ;;
	esac
	rm -f "$log".*
	if ! PGOPTIONS="-c statement_timeout=5000 -c TimeZone=UTC" \
	    "$PGBIN/pgbench" -n -M prepared -c "$c" -j "$(( c < THREADS ? c : THREADS ))" \
	    -T "${PGB_SECONDS:-$DURATION}" -D i=0 -D clients="$c" -D base="$base" -D span="$span" "$@" \
	    -D save_rows="$SAVE_ROWS" -D terms="$TERMS" -D mat_rows="$MAT_ROWS" \
	    -D forum_cats="$FORUM_CATS" -D forum_pages="$FORUM_PAGES" \
	    -D forum_big="$FORUM_BIG" -D forum_seq="$FORUM_SEQ" \
	    -l --log-prefix="$log" \
	    -h "$SOCK" -p "$PG_PORT" -U ludus -f "$WORK/$name.pgbench.sql" ludus \
	    >"$out.txt" 2>&1; then
		say "pgbench reported errors on $name ($c clients); see $out.txt"
	fi
	cp "$out.txt" "$LOGS/"
	/usr/bin/python3 - "$out.txt" "$log" "$out.json" <<'PY'
import glob, json, re, sys
text = open(sys.argv[1]).read()
lat = []
for path in glob.glob(sys.argv[2] + '.*'):
    for line in open(path):
        f = line.split()
        if len(f) >= 3 and f[2].isdigit():
            lat.append(int(f[2]))
lat.sort()
def pct(p):
    return lat[min(len(lat) - 1, int(len(lat) * p / 100))] if lat else None
def num(pattern):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else None
out = {
    'tps': num(r'tps = ([0-9.]+) \(without initial connection time\)'),
    'transactions': len(lat),
    'failed': int(num(r'number of failed transactions: (\d+)') or 0),
    'aborted_clients': len(set(re.findall(r'client (\d+) (?:script \d+ )?aborted', text))),
    'latency_us': {'mean': (num(r'latency average = ([0-9.]+) ms') or 0) * 1000,
                   'p50': pct(50), 'p99': pct(99)},
}
json.dump(out, open(sys.argv[3], 'w'))
PY
	rm -f "$log".*
}

rm -f "$WORK"/*.json
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "warming up (2 s each of dashboards, catalogs and outlines)"
for e in dashboard catalog course; do run_wrk "$e" 2; done
rm -f "$WORK"/*.json

say "HTTP floor: GET /healthz for ${DURATION}s"
run_wrk healthz "$DURATION"
for e in $ENDPOINTS; do
	wanted "$e" || continue
	say "$e: wrk, then pgbench with ${FLOOR_64:+$CONNS and }${WORKERS:-4} clients (${DURATION}s each)"
	run_wrk "$e" "$DURATION"
	[ "$FLOOR_64" = 1 ] && run_pgbench "$e" "$CONNS" 0
	run_pgbench "$e" "${WORKERS:-4}" 1
done

# Paced: half of what each operation reached above.
for e in $ENDPOINTS; do
	[ -f "$WORK/$e.wrk.json" ] || continue
	rate=$(/usr/bin/python3 -c '
import json, sys
w = json.load(open(sys.argv[1]))
print("%.1f" % max(1.0, w["requests"] / (w["duration_us"] / 1e6) / 2))' "$WORK/$e.wrk.json")
	say "$e: paced at $rate req/s for ${PACED_DURATION}s"
	run_wrk "$e" "$PACED_DURATION" "$e.paced" "$rate"
done

if wanted mixed; then
	say "mixed: a learner's day, ${MIXED_DURATION}s"
	run_wrk mixed "$MIXED_DURATION"
fi

# Leaderboards: every variant (period:exam:by:accounts), then the same
# boards asked by a 2,500-learner organization's learners
# (bench/data/65_small_org_xp.sql): what a board costs must not depend on
# how many learners are on it.  wrk, then pgbench at ludus's workers.
BOARDS="weekly-xp:weekly:all:xp:1-90000 all-xp:all:all:xp:1-90000
weekly-score:weekly:all:score:1-90000 all-score:all:all:score:1-90000
exam-week-xp:weekly:network:xp:1-90000 exam-all-score:all:network:score:1-90000
small-all-xp:all:all:xp:90001-92500 small-week-xp:weekly:all:xp:90001-92500"
if wanted leaderboard; then
	for b in $BOARDS; do
		IFS=: read -r name period exam by users <<<"$b"
		query="period=$period&by=$by"
		[ "$exam" = all ] || query="$query&exam=$exam"
		say "board $name: wrk, then pgbench with ${WORKERS:-8} clients (${BOARD_DURATION}s each)"
		export BENCH_BOARD=$query BENCH_USERS=$users
		run_wrk leaderboard "$BOARD_DURATION" "board-$name"
		unset BENCH_BOARD BENCH_USERS
		PGB_SECONDS=$BOARD_DURATION PGB_EXTRA="-D period=$period -D exam=$exam \
-D by=$by -D first=${users%-*} -D last=${users#*-}" \
		    run_pgbench leaderboard "${WORKERS:-8}" 1 "board-$name"
	done
fi

# Submits with a history: four learners with 10,000 finished attempts each,
# then four with none (bench/data/60_history.sql), one connection and one
# wrk thread each, so that no two requests wait on one learner's lock.
if wanted submit; then
	for h in history fresh; do
		say "submit, learners with $h: 4 connections, ${HISTORY_DURATION}s"
		BENCH_KIND=submit BENCH_SUBMIT_ROWS=$h.txt BENCH_THREADS=4 \
		BENCH_OFFSET_SUBMIT=0 BENCH_OFFSET_START=0 \
		BENCH_OUT=$ROOT/$WORK/submit-$h.wrk.json \
		    wrk -t 4 -c 4 -d "${HISTORY_DURATION}s" --timeout 10s \
		    -s bench/wrk/submit.lua "http://127.0.0.1:$HTTP_PORT" \
		    >"$LOGS/submit-$h.wrk.txt" 2>&1 ||
			die "wrk failed on submit-$h; see $LOGS/submit-$h.wrk.txt"
	done
fi

LUDUS_HWM_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$LUDUS_PID/status")
stop_ludus

# Workers: the same operations with each worker count.
for w in $SWEEP; do
	start_ludus "$w"
	for e in $SWEEP_OPS; do
		wanted "$e" || continue
		say "workers $w: $e for ${SWEEP_DURATION}s"
		run_wrk "$e" "$SWEEP_DURATION" "sweep-$w-$e"
	done
	stop_ludus
done

# Row-level security's cost: the operations against ludus serving as the
# tables' owner (the policies do not bind it), then as ludus_app, as it
# always runs; two rounds, so that a drift of the machine falls on both.
for round in 1 2; do
	for side in owner app; do
		[ -n "$RLS_OPS" ] || continue
		LUDUS_AS_OWNER=$([ $side = owner ] && echo 1 || true)
		start_ludus
		for e in $RLS_OPS; do
			wanted "$e" || continue
			say "row-level security, round $round, as $side: $e for ${RLS_DURATION}s"
			run_wrk "$e" "$RLS_DURATION" "rls-$side-$round-$e"
		done
		stop_ludus
		LUDUS_AS_OWNER=
	done
done

kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
PG_PSS_KB=$(cat "$WORK/pg_pss_peak_kb" 2>/dev/null || echo 0)

# ---- 3b. processing a study material ------------------------------------------

# The materials job's work apart from the database (bench/matgen.c): this
# README and FSRS.md as Markdown, then as a PDF.
if wanted matgen; then
	say "processing: extract, chunk and generate, then a PDF (bench/matgen.c)"
	build/bench/matgen "$ROOT/build/ludus" README.md src/flashcards/FSRS.md \
		>"$WORK/matgen.json"
fi

# ---- 4. the table and the JSON ----------------------------------------------

OUT=$RESULTS/$STAMP.json
/usr/bin/python3 - "$WORK" "$OUT" <<PY
import json, os, sys
work, out = sys.argv[1], sys.argv[2]
meta = {
    'date': '$STAMP', 'machine': {'cpus': os.cpu_count(),
        'model': next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo')
                       if l.startswith('model name')), '?'),
        'memory_kb': int(next(l.split()[1] for l in open('/proc/meminfo')
                              if l.startswith('MemTotal')))},
    'version': os.popen('./build/ludus version').read().strip(),
    'connections': $CONNS, 'threads': $THREADS, 'duration_s': $DURATION,
    'bcrypt_cost': $COST, 'ludus_workers': '${WORKERS:-default}' or 'default',
    'data_set': {'bytes': $DB_BYTES, 'generated_in_s': $GEN_SECONDS,
                 'rows': json.loads('''$COUNTS''')},
    # the load average before the measurements and after: other work on
    # the machine shows here (and in the HTTP floor)
    'loadavg': {'before': '$LOAD_BEFORE', 'after': open('/proc/loadavg').read().split()[:3]},
    'memory': {'ludus_vmhwm_kb': int('${LUDUS_HWM_KB:-0}' or 0),
               'postgres_pss_peak_kb': int('$PG_PSS_KB' or 0)},
}
def load(name):
    p = os.path.join(work, name)
    return json.load(open(p)) if os.path.exists(p) else None
http = load('healthz.wrk.json')
def rate(w):
    return w['requests'] / (w['duration_us'] / 1e6) if w else 0
rows, results = [], {}
hrate = rate(http)
results['http_floor'] = dict(http, req_per_s=hrate)
order = '$ENDPOINTS'.split()
workers = int('${WORKERS:-4}')
for name in order:
    w = load(name + '.wrk.json')
    if not w:
        continue
    runs = {c: load('%s.pgbench-%d.json' % (name, c)) for c in ($CONNS, workers)}
    runs = {c: p for c, p in runs.items() if p}
    # The floor: the better of the two concurrencies.
    best = max(runs.items(), key=lambda cp: cp[1].get('tps') or 0,
               default=(None, None))
    r = rate(w)
    floor = (best[1] or {}).get('tps') or 0
    results[name] = {'wrk': dict(w, req_per_s=r),
                     'pgbench': {str(c): p for c, p in runs.items()},
                     'db_floor': dict(best[1] or {}, clients=best[0]),
                     'ratio_to_db_floor': r / floor if floor else None,
                     'ratio_to_http_floor': r / hrate if hrate else None}
meta['results'] = results
meta['processing'] = load('matgen.json')

# Paced: each operation at half its capacity; the goals are DESIGN.md's
# (a tenth of the seeds' budgets, p99, in ms).
goals = {'dashboard': 20, 'course': 10, 'progress': 5, 'submit': 50}
paced = {}
for name in order:
    w = load(name + '.paced.wrk.json')
    if not w:
        continue
    p99 = w['latency_us']['p99'] / 1000.0
    paced[name] = dict(w, req_per_s=rate(w), goal_p99_ms=goals.get(name),
                       goal_met=(p99 <= goals[name]) if name in goals else None)
meta['paced'] = {'duration_s': $PACED_DURATION, 'results': paced}
mixed = load('mixed.wrk.json')
if mixed:
    mixed['req_per_s'] = rate(mixed)
    mixed['goal_req_per_s'] = 3000
    for k in mixed['kinds'].values():
        k['req_per_s'] = k['requests'] / (mixed['duration_us'] / 1e6)
meta['mixed'] = {'duration_s': $MIXED_DURATION, 'result': mixed}
sweep = {}
for wk in '$SWEEP'.split():
    for name in '$SWEEP_OPS'.split():
        w = load('sweep-%s-%s.wrk.json' % (wk, name))
        if w:
            sweep.setdefault(wk, {})[name] = dict(w, req_per_s=rate(w))
meta['worker_sweep'] = {'duration_s': $SWEEP_DURATION, 'results': sweep}
boards = {}
for b in """$BOARDS""".split():
    name, period, exam, by, users = b.split(':')
    w = load('board-%s.wrk.json' % name)
    if not w:
        continue
    boards[name] = {'period': period, 'exam': exam, 'by': by, 'accounts': users,
                    'wrk': dict(w, req_per_s=rate(w)),
                    'db': load('board-%s.pgbench-%d.json' % (name, workers))}
meta['boards'] = {'duration_s': $BOARD_DURATION, 'goal_req_per_s': 2000,
                  'goal_db_ms': 2, 'results': boards}
history = {h: load('submit-%s.wrk.json' % h) for h in ('history', 'fresh')}
history = {h: dict(w, req_per_s=rate(w)) for h, w in history.items() if w}
meta['submit_history'] = {'duration_s': $HISTORY_DURATION, 'results': history}
# Row-level security: requests per second summed over both rounds, each side.
rls = {}
for name in '$RLS_OPS'.split():
    sides = {}
    for side in ('owner', 'app'):
        ws = [w for w in (load('rls-%s-%d-%s.wrk.json' % (side, n, name))
                          for n in (1, 2)) if w]
        if ws:
            sides[side] = {'req_per_s': sum(w['requests'] for w in ws)
                           / (sum(w['duration_us'] for w in ws) / 1e6),
                           'p50_us': sorted(w['latency_us']['p50'] for w in ws)[0],
                           'errors': sum(w['errors'] for w in ws)}
    if len(sides) == 2:
        sides['cost'] = 1 - sides['app']['req_per_s'] / sides['owner']['req_per_s']
        rls[name] = sides
meta['rls'] = {'duration_s': $RLS_DURATION, 'rounds': 2, 'goal_cost': 0.05,
               'results': rls}
json.dump(meta, open(out, 'w'), indent=1)

def ms(us):
    return '%.1f' % (us / 1000.0) if us is not None else '-'
line = '%-12s %8s %8s %8s %8s %10s %8s %6s %7s'
print()
print(line % ('endpoint', 'req/s', 'p50 ms', 'p99 ms', 'errors',
              'db floor', 'db p50', 'ratio', 'of http'))
print('-' * 86)
print(line % ('http floor', '%.0f' % hrate, ms(http['latency_us']['p50']),
              ms(http['latency_us']['p99']), http['errors'], '-', '-', '-',
              '1.00'))
bad = []
for name in order:
    if name not in results:
        continue
    x = results[name]; w = x['wrk']; p = x['db_floor']
    errs = w['errors']
    pe = sum((q.get('failed') or 0) + (q.get('aborted_clients') or 0)
             for q in x['pgbench'].values())
    print(line % (name, '%.0f' % w['req_per_s'], ms(w['latency_us']['p50']),
                  ms(w['latency_us']['p99']),
                  str(errs) + ('' if not pe else ' (db %d)' % pe),
                  '%.0f@%s' % (p.get('tps') or 0, p.get('clients')),
                  ms((p.get('latency_us') or {}).get('p50')),
                  '%.2f' % x['ratio_to_db_floor'] if x['ratio_to_db_floor'] else '-',
                  '%.2f' % x['ratio_to_http_floor'] if x['ratio_to_http_floor'] else '-'))
    if w['requests'] == 0 or w['errors'] * 2 > w['requests']:
        bad.append(name)
m = meta['memory']; d = meta['data_set']
print()
print('req/s, p50, p99: ludus under wrk (%d connections, %d s, bcrypt cost %d);'
      % ($CONNS, $DURATION, $COST))
print('db floor: pgbench, same SQL and transactions, same socket, %s%d clients'
      % ('the better of %d and ' % $CONNS if '$FLOOR_64' == '1' else '', workers))
print('  (ludus\'s workers) @clients; db p50 at that concurrency;')
print('ratio: req/s / db floor; of http: req/s / http floor (GET /healthz);')
print('errors: non-2xx answers and socket errors (start: 200 = resumed counts);')
print('  (db N): failed transactions and aborted clients of pgbench.')
print('peak memory: ludus %.0f MiB (VmHWM), PostgreSQL %.0f MiB (sum of PSS)'
      % (m['ludus_vmhwm_kb'] / 1024, m['postgres_pss_peak_kb'] / 1024))
print('data set: %.2f GiB on disk, generated in %d s; %d users, %d attempts, '
      '%d answers' % (d['bytes'] / 2**30, d['generated_in_s'], d['rows']['users'],
                      d['rows']['attempts'], d['rows']['attempt_answers']))

if paced:
    line = '%-12s %8s %8s %8s %8s %9s %6s %7s %9s'
    print()
    print(line % ('paced', 'target/s', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms',
                  'late', 'errors', 'p99 goal'))
    print('-' * 86)
    for name in order:
        if name not in paced:
            continue
        w = paced[name]; l = w['latency_us']
        g = w['goal_p99_ms']
        print(line % (name, '%.0f' % w['rate'], '%.0f' % w['req_per_s'],
                      ms(l['p50']), ms(l['p99']), ms(l['p999']), w['late'],
                      w['errors'], '-' if g is None else
                      '%d %s' % (g, 'met' if w['goal_met'] else 'MISSED')))
    print()
    print('paced: each operation at half its req/s above, %d s (wrk delay(): due'
          % $PACED_DURATION)
    print('  times at a constant interval); latency from each request\'s due time')
    print('  (late: requests sent more than 1 ms after it, their connection busy);')
    print('  p99 goal: DESIGN.md, a tenth of the seed budgets, in ms.')
if mixed:
    l = mixed['latency_us']
    print()
    print('mixed (a learner\'s day, %d connections, %d s): %.0f req/s, p50 %s ms, '
          'p99 %s ms, p99.9 %s ms, %d errors (goal: 3000 req/s, %s)'
          % ($CONNS, $MIXED_DURATION, mixed['req_per_s'], ms(l['p50']),
             ms(l['p99']), ms(l['p999']), mixed['errors'],
             'met' if mixed['req_per_s'] >= 3000 else 'MISSED'))
    line = '  %-12s %8s %8s %8s %8s'
    print(line % ('kind', 'req/s', 'p50 ms', 'p99 ms', 'errors'))
    for name, k in sorted(mixed['kinds'].items(), key=lambda kv: -kv[1]['requests']):
        print(line % (name, '%.0f' % k['req_per_s'], ms(k['latency_us']['p50']),
                      ms(k['latency_us']['p99']), k['errors']))
if sweep:
    ops = [o for o in '$SWEEP_OPS'.split() if any(o in v for v in sweep.values())]
    print()
    print('%-8s' % 'workers' + ''.join(' %18s' % o for o in ops))
    print('%-8s' % '' + ''.join(' %18s' % 'req/s   p99 ms' for o in ops))
    print('-' * (8 + 19 * len(ops)))
    for wk, v in sweep.items():
        print('%-8s' % wk + ''.join(
            ' %18s' % ('%.0f %8s' % (v[o]['req_per_s'], ms(v[o]['latency_us']['p99']))
                       if o in v else '-') + ('*' if v.get(o, {}).get('errors') else '')
            for o in ops))
    print('workers: ludus restarted with LUDUS_WORKERS=N, %d connections, %d s each'
          % ($CONNS, $SWEEP_DURATION))
if boards:
    print()
    line = '%-15s %11s %8s %8s %8s %7s %9s %8s'
    print(line % ('board', 'accounts', 'req/s', 'p50 ms', 'p99 ms', 'errors',
                  'db tx/s', 'db p50'))
    print('-' * 81)
    for name, x in boards.items():
        w, d = x['wrk'], x['db'] or {}
        print(line % (name, x['accounts'], '%.0f' % w['req_per_s'],
                      ms(w['latency_us']['p50']), ms(w['latency_us']['p99']),
                      w['errors'], '%.0f' % (d.get('tps') or 0),
                      ms((d.get('latency_us') or {}).get('p50'))))
    print('boards: GET /api/v1/leaderboards, %d connections, %d s each; db: pgbench'
          % ($CONNS, $BOARD_DURATION))
    print('  with %d clients, the same transaction; goal: 2000 req/s and 2 ms of'
          % workers)
    print('  database time each; small-*: asked by a 2,500-learner organization')
if rls:
    print()
    line = '%-12s %14s %14s %8s'
    print(line % ('rls', 'owner req/s', 'ludus_app', 'cost'))
    print('-' * 51)
    for name, x in rls.items():
        print(line % (name, '%.0f' % x['owner']['req_per_s'],
                      '%.0f' % x['app']['req_per_s'], '%+.1f %%' % (100 * x['cost']))
              + ('*' if x['owner']['errors'] or x['app']['errors'] else ''))
    print('rls: ludus as the tables\' owner (row-level security does not bind it),')
    print('  then as ludus_app, %d s each, two rounds; cost: the share of requests'
          % $RLS_DURATION)
    print('  per second lost to the policies; goal: under 5 %% (%s)' % (
        'met' if all(x['cost'] < 0.05 for x in rls.values()) else 'MISSED'))
if history:
    print()
    for h, w in history.items():
        print('submit, 4 learners with %s: %.0f req/s, p50 %s ms, p99 %s ms, '
              '%d errors' % ({'history': '10,000 finished attempts each',
                              'fresh': 'no history'}[h], w['req_per_s'],
                             ms(w['latency_us']['p50']),
                             ms(w['latency_us']['p99']), w['errors']))
proc = meta['processing']
if proc:
    print()
    print('processing a material (one core, %.1f MB of Markdown, %d chunks, %d '
          'assets):' % (proc['corpus_bytes'] / 1e6, proc['chunks'], proc['assets']))
    print('  extract %.1f MB/s, chunk %.1f MB/s, generate %.1f MB/s, all three '
          '%.1f MB/s;' % (proc['extract_mb_s'], proc['chunk_mb_s'],
                          proc['generate_mb_s'], proc['process_mb_s']))
    print('  a %d-page PDF read at %.0f pages/s (%.0f in the sandboxed child)'
          % (proc['pdf_pages'], proc['pdf_pages_s'], proc['pdf_sandboxed_pages_s']))
print()
print('load average: %s before the measurements, %s after (2 cores: above 2,'
      % (meta['loadavg']['before'], ' '.join(meta['loadavg']['after'])))
print('  something else was running)')
print('results: %s' % out)
if bad:
    print('FAILED: most requests were errors: %s (see var/bench/log/)'
          % ', '.join(bad))
    sys.exit(1)
PY
say "done in $(($(date +%s) - T0))s"
