#!/bin/bash
# `make test`: every suite against a throwaway PostgreSQL cluster.
#
#   scripts/test.sh BUILD_DIR...
#
# For each build folder (build, build/asan) it runs the C unit tests, the C
# database tests and the API tests; the pgTAP suite runs once, on the first,
# and the browser suite once, on the last (the sanitized build of make
# test, so the pages also drive a server under ASan and UBSan).  The cluster
# lives in var/test with its own socket and port, so it never touches the
# data of `make run`, and it is stopped on exit whatever happens.  Each
# runner prints its own summary; the last line adds them all up.
#
# The C suites and pgTAP run first, then the browser suite alone (its
# timing is the most sensitive to a busy machine), then the API suites at
# once: the other builds' in the background, each on a PostgreSQL cluster
# of its own (var/test-bg1, the next port), beside the last build's (each
# waits on its servers and the database more than on the CPU): make test
# stays well under CI's half hour.  A background suite's output is printed
# when it ends.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)

. scripts/testdb.sh

total_pass=0 total_fail=0 total_skip=0
summary=()

add() { # runner-name passed failed skipped
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	total_skip=$((total_skip + $4))
	summary+=("$(printf '%-28s %d passed, %d failed, %d skipped' "$1" "$2" "$3" "$4")")
}

testdb_start "$1"

# cmocka binaries: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
run_cmocka() { # runner-name binary...
	local name=$1 p=0 f=0 s=0
	shift
	for bin in "$@"; do
		local log
		log=$LOGS/$(echo "$bin" | tr / _).log
		"$bin" 2>&1 | tee "$log"
		local rc=${PIPESTATUS[0]}
		local bp bf bs
		bp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		bf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		bs=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		p=$((p + ${bp:-0})); f=$((f + ${bf:-0})); s=$((s + ${bs:-0}))
		if [ "$rc" -ne 0 ] && [ "${bf:-0}" -eq 0 ]; then
			echo "$bin: exited with status $rc" >&2
			f=$((f + 1))
		fi
	done
	echo "$name: $p passed, $f failed, $s skipped"
	add "$name" $p $f $s
}

# pytest's run into its log (and to stdout unless quiet), then its counts.
pytest_exec() { # build log [quiet]
	if [ -n "${3:-}" ]; then
		LUDUS_BIN=$ROOT/$1/ludus /usr/bin/python3 -m pytest \
			-p no:cacheprovider -q -r fEs tests/api >"$2" 2>&1
		echo $? >"$2.rc"
	else
		LUDUS_BIN=$ROOT/$1/ludus /usr/bin/python3 -m pytest \
			-p no:cacheprovider -q -r fEs tests/api 2>&1 | tee "$2"
		echo "${PIPESTATUS[0]}" >"$2.rc"
	fi
}

pytest_count() { # runner-name log
	local rc last p f e s
	rc=$(cat "$2.rc" 2>/dev/null || echo 1)
	# The closing line: "3 passed, 1 failed in 2.1s" (with -q, no banner).
	last=$(grep -E '[0-9]+ (passed|failed|errors?|skipped).* in [0-9.]+s' \
		"$2" | tail -1)
	p=$(echo "$last" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$last" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	e=$(echo "$last" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
	s=$(echo "$last" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+')
	f=$(( ${f:-0} + ${e:-0} ))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "pytest exited with status $rc" >&2
		f=1
	fi
	add "$1" "${p:-0}" "$f" "${s:-0}"
}

pytest_log() { echo "$LOGS/pytest_$(echo "$1" | tr / _).log"; }

run_pytest() { # runner-name build
	local log
	log=$(pytest_log "$2")
	pytest_exec "$2" "$log"
	pytest_count "$1" "$log"
}

# pg_prove: "Files=N, Tests=M" and, per failing file, "Failed: K".
run_pgtap() {
	local log=$LOGS/pg_prove.log
	fresh_db ludus_sqltest
	"$PGBIN/psql" -X -q -h "$SOCK" -p "$PORT" -U postgres -d ludus_sqltest \
		-c "CREATE EXTENSION IF NOT EXISTS pgtap" || exit 1
	pg_prove -h "$SOCK" -p "$PORT" -U postgres -d ludus_sqltest \
		tests/sql/*.sql 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local tests failed
	tests=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$log" | tail -1)
	failed=$(grep -oE 'Failed: [0-9]+\)' "$log" | grep -oE '[0-9]+' |
		awk '{s += $1} END {print s + 0}')
	tests=${tests:-0}
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1
	fi
	add "pgTAP" $((tests - failed < 0 ? 0 : tests - failed)) "$failed" 0
}

# Browser tests (node:test, TAP): "# pass N", "# fail N", "# skipped N".
run_e2e() { # runner-name build
	local name=$1 log=$LOGS/e2e_$(echo "$2" | tr / _).log
	# playwright-core, from the npm registry, pinned by package-lock.json.
	# A copy of the lock file marks an install that matches it.
	if ! cmp -s tests/e2e/package-lock.json \
		tests/e2e/node_modules/.ludus-installed 2>/dev/null &&
		! (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error &&
		cp package-lock.json node_modules/.ludus-installed); then
		echo "browser tests: npm ci failed" >&2
		add "$name" 0 1 0
		return
	fi
	rm -rf tests/e2e/artifacts
	LUDUS_BIN=$ROOT/$2/ludus node --test --test-concurrency=1 \
		--test-reporter=tap tests/e2e/ 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]} p f s
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
	s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$log" | tail -1)
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "browser tests exited with status $rc" >&2
		f=1
	fi
	add "$name" "${p:-0}" "$f" "${s:-0}"
}

sanitizers() { # tag: the sanitizers' options for a build, or none
	if [ "$1" = asan ]; then
		export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
		export LUDUS_SANITIZED=1
	else
		unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS LUDUS_SANITIZED
	fi
}

tag_of() { # build
	local tag=${1#build}
	tag=${tag#/}
	echo "${tag:-release}"
}

first=$1 last=${*: -1}
for build in "$@"; do
	tag=$(tag_of "$build")
	sanitizers "$tag"
	echo "=== C unit tests ($tag) ==="
	run_cmocka "C unit ($tag)" "$build"/tests/unit/test_*
	echo "=== C database tests ($tag) ==="
	fresh_db ludus_dbtest
	LUDUS_TEST_DATABASE_URL=$(url ludus_dbtest) \
		run_cmocka "C database ($tag)" "$build"/tests/db/test_*
	if [ "$build" = "$first" ]; then
		echo "=== SQL tests (pgTAP) ==="
		run_pgtap
	fi
done

tag=$(tag_of "$last")
sanitizers "$tag"
echo "=== Browser tests ($tag) ==="
run_e2e "Browser ($tag)" "$last"

# The API suites: the other builds' in the background, each on a
# PostgreSQL cluster of its own (the next ports, var/test-bg...: some API
# tests stop and start their database, which must not be another suite's),
# and the last build's here.
bg_pids=() bg_logs=() bg_names=() i=0
for build in "$@"; do
	[ "$build" = "$last" ] && continue
	i=$((i + 1))
	tag=$(tag_of "$build")
	bg_names+=("API ($tag)")
	bg_logs+=("$(pytest_log "$build")")
	echo "=== API tests ($tag): in the background, on a cluster of its own ==="
	(
		sanitizers "$tag"
		PORT=$((PORT + i)) PGDIR=$PGDIR-bg$i
		LOGS=$PGDIR/logs
		testdb_start "$build" >"${bg_logs[-1]}" 2>&1
		pytest_exec "$build" "${bg_logs[-1]}" quiet
	) &
	bg_pids+=($!)
done
tag=$(tag_of "$last")
sanitizers "$tag"
echo "=== API tests ($tag) ==="
run_pytest "API ($tag)" "$last"
for k in "${!bg_pids[@]}"; do
	wait "${bg_pids[$k]}"
	echo "=== ${bg_names[$k]}, from the background ==="
	cat "${bg_logs[$k]}"
	pytest_count "${bg_names[$k]}" "${bg_logs[$k]}"
done

echo
echo "=== Summary ==="
printf '%s\n' "${summary[@]}"
echo "=== Total ==="
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
