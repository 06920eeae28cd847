#!/bin/bash
# security.sh - `make security`: the security suite, against a throwaway
# cluster (scripts/testdb.sh) and servers started and stopped by pid.
#
#  1. fuzzing: each parser a client or an author controls (question files
#     in CSV, GIFT and Aiken; lesson Markdown; cookies, JSON bodies, bearer
#     tokens and paths; Anki packages) under libFuzzer (clang, with ASan and
#     UBSan), for SECURITY_FUZZ_SECONDS (60) each, from a seed corpus;
#  2. the authorization matrix generated from the OpenAPI document
#     (tests/api/test_authz_generated.py);
#  3. sqlmap over the routes that take input, and slowhttptest (slow
#     headers, 1,000 connections) while a normal client measures that it
#     is still served (tests/api/security_attack.py, which `make test`
#     does not collect: its name is not test_*).
#
# The numbers go to var/security/*.json and a summary to stdout; the exit
# status is 1 when anything was found.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=var/security
FUZZ_SECONDS=${SECURITY_FUZZ_SECONDS:-60}
export LUDUS_TEST_PG_PORT=${SECURITY_PG_PORT:-5444}
export LUDUS_TEST_PG_DIR_REL=$OUT/pg
rm -rf "$OUT/fuzz" "$OUT/sqlmap"
mkdir -p "$OUT/fuzz/build" "$OUT/fuzz/crashes"
failed=0

# ---- 1. fuzzing ---------------------------------------------------------------
# The libraries of the build, as the Makefile names them (make reads its
# PKGS, which spans more than one line).
PKGS=$(make -s --no-print-directory --eval 'print-pkgs: ; @echo $(PKGS)' print-pkgs)
CFLAGS="-std=gnu11 -D_GNU_SOURCE -g -O1 -Isrc $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lcrypt -lpthread -lm"
echo "security: building the fuzz targets (clang, libFuzzer, ASan, UBSan)"
objs=()
for f in $(ls src/*/*.c | grep -v '^src/main.c$'); do
	o=$OUT/fuzz/build/$(echo "$f" | tr / _).o
	clang $CFLAGS -fsanitize=fuzzer-no-link,address,undefined -c "$f" -o "$o" || exit 1
	objs+=("$o")
done
# The embedded files (migrations, queries, web app) some units refer to.
make -s all >/dev/null || exit 1
clang $CFLAGS -c build/embedded.c -o "$OUT/fuzz/build/embedded.o" || exit 1
clang $CFLAGS -c build/version.c -o "$OUT/fuzz/build/version.o" || exit 1
objs+=("$OUT/fuzz/build/embedded.o" "$OUT/fuzz/build/version.o")

seed() { # target dir
	mkdir -p "$2"
	case $1 in
	fuzz_import)
		printf '\000' >"$2/csv"; head -c 4000 sql/seed/0003_questions.csv >>"$2/csv"
		printf '\001::Q1:: What is 2+2? {=4 ~3 ~5}\n\n::Q2:: Sky is blue {T}\n' >"$2/gift"
		printf '\002What port does SSH use?\nA. 22\nB. 23\nANSWER: A\n' >"$2/aiken" ;;
	fuzz_markdown)
		head -c 6000 README.md >"$2/readme"
		printf '# T\n\n[a](javascript:x) ![i](http://e/x.png) <b>x</b>\n\n| a | b |\n|---|---|\n' >"$2/md"
		printf 'A card: ![osi](osi.png) ![b](<a b%%25.png>) [sound:port 22.mp3] `[sound:c.mp3]` [sound:v.webm]\n' >"$2/media" ;;
	fuzz_http)
		printf 'ludus_session=abc; ludus_csrf="x"' >"$2/cookie"
		printf '{"title":"x","tags":["a"],"n":1.5e3,"o":{"k":null}}' >"$2/json"
		printf '/api/v1/attempts/1/answers/2' >"$2/path" ;;
	fuzz_jwt)
		# A real RS256 and ES256 token with their key sets (tests/fuzz/seed_jwt.py).
		/usr/bin/python3 tests/fuzz/seed_jwt.py "$2" ;;
	fuzz_anki)
		# Small .apkg packages of schema 11 and 18, and bare collections.
		/usr/bin/python3 tests/fuzz/seed_anki.py "$2" ;;
	fuzz_materials)
		# HTML, Markdown and text (first byte 0, 1, 2), and a model's
		# answers for each asset type (3, 7, 11, 15).
		{ printf '\000'; printf '<html><head><title>T</title><script>x</script></head><body><h1>DHCP</h1><p>Dynamic Host Configuration Protocol (DHCP) is a protocol that assigns addresses.</p><ul><li><b>DNS</b>: names</li></ul><table><tr><th>a</th><th>b</th></tr><tr><td>SSH</td><td>22</td></tr></table><pre>code</pre></body></html>'; } >"$2/html"
		{ printf '\001'; head -c 6000 README.md; } >"$2/md"
		{ printf '\002'; printf 'SSH uses port 22. Telnet uses port 23.\n\nDNS is the service that translates names.\n'; } >"$2/text"
		{ printf '\003'; printf '{"model":"m","choices":[{"message":{"content":"{\\"assets\\":[{\\"kind\\":\\"basic\\",\\"front\\":\\"SSH\\",\\"back\\":\\"22\\",\\"source\\":[1]}]}"}}]}'; } >"$2/llm" ;;
	esac
}

declare -A EXECS
for t in fuzz_import fuzz_markdown fuzz_http fuzz_jwt fuzz_anki fuzz_materials; do
	bin=$OUT/fuzz/$t
	clang $CFLAGS -fsanitize=fuzzer,address,undefined tests/fuzz/$t.c \
		"${objs[@]}" $LIBS -o "$bin" || exit 1
	seed "$t" "$OUT/fuzz/corpus-$t"
	echo "security: $t for ${FUZZ_SECONDS}s"
	"$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$OUT/fuzz/crashes/$t-" "$OUT/fuzz/corpus-$t" \
		>"$OUT/fuzz/$t.log" 2>&1
	rc=$?
	EXECS[$t]=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/fuzz/$t.log" | grep -o '[0-9]*$')
	cov=$(grep -o 'cov: [0-9]*' "$OUT/fuzz/$t.log" | tail -1 | grep -o '[0-9]*')
	if [ $rc -ne 0 ]; then
		echo "security: $t FOUND a crash; see $OUT/fuzz/$t.log"
		failed=1
	fi
	echo "{\"target\": \"$t\", \"seconds\": $FUZZ_SECONDS, \"executions\": ${EXECS[$t]:-0}, \"coverage\": ${cov:-0}, \"crashed\": $([ $rc -ne 0 ] && echo true || echo false)}" >"$OUT/fuzz/$t.json"
done

# ---- 2. and 3.: the matrix and the attacks, against real servers -------------
echo "security: the authorization matrix, sqlmap and slowhttptest"
LUDUS_SECURITY_REPORT=$ROOT/$OUT/authz.json LUDUS_SECURITY_DIR=$ROOT/$OUT \
	scripts/dev-test.sh build /usr/bin/python3 -m pytest -q -p no:cacheprovider \
	tests/api/test_authz_generated.py tests/api/security_attack.py || failed=1

# ---- the summary --------------------------------------------------------------
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def load(p):
    return json.load(open(p)) if os.path.exists(p) else None
print()
for p in sorted(glob.glob(os.path.join(out, 'fuzz', 'fuzz_*.json'))):
    f = load(p)
    print('fuzz  %-14s %8d executions in %d s, coverage %d, %s' % (
        f['target'], f['executions'], f['seconds'], f['coverage'],
        'CRASHED' if f['crashed'] else 'no crash'))
a = load(os.path.join(out, 'authz.json'))
if a:
    print('authz %d routes x 5 actors: %d requests, %d refused 401, %d refused '
          '403, %d findings' % (a['routes'], a['requests'], a['refused_401'],
                                a['refused_403'], a['findings']))
s = load(os.path.join(out, 'sqlmap.json'))
if s:
    sent = sum(r['requests'] or 0 for r in s['results'])
    print('sqlmap %d routes, %d requests, %d injectable' % (
        s['routes'], sent, len(s['findings'])))
w = load(os.path.join(out, 'slowhttptest.json'))
if w:
    print('slowhttptest %d slow connections for %d s: the normal client made '
          '%d requests, %d failed, p50 %s ms, max %s ms' % (
              w['slow_connections'], w['seconds'], w['normal_requests'],
              w['normal_errors'], w['normal_p50_ms'], w['normal_max_ms']))
PY
exit $failed
