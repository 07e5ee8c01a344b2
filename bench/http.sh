#!/usr/bin/env bash
# Throughput and latency of the policy calculator over HTTP: `huiqi serve` on loopback, wrk
# posting one realistic entity (tests/api/fixtures/entity-a.json, 温州示例科技有限公司, the
# firm of policies/cases/base.json with a 国家级工业设计中心) to POST /api/evaluate with
# "explain": false, for DURATION seconds each at 4 connections per core and at 64
# connections. Prints requests/s and the latency percentiles (p50, p90, p99, max) of each run.
# docs/benchmarks.md records the figures.
#
# Usage: BUILD=build bench/http.sh        (env: DURATION=10, THREADS=server threads,
#                                          CONNS="4xcores 64", WRK_THREADS=cores)
# Needs wrk (Debian package wrk: apt-get install wrk), curl and jq.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQBIN=$BUILD/huiqi
CORES=$(nproc)
DURATION=${DURATION:-10}
CONNS=${CONNS:-"$((4 * CORES)) 64"}
WRK_THREADS=${WRK_THREADS:-$CORES}
export HUIQI_POLICIES=$ROOT/policies
unset HUIQI_DB

command -v wrk >/dev/null || { echo "bench/http.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
command -v jq >/dev/null && command -v curl >/dev/null || { echo "bench/http.sh: curl and jq are required" >&2; exit 1; }
[ -x "$HQBIN" ] || { echo "bench/http.sh: $HQBIN is not built (make BUILD=${BUILD#$ROOT/})" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-http-bench.XXXXXX")
SPID=
cleanup() {
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

jq -c '{entity: ., year: 2021, explain: false}' "$ROOT/tests/api/fixtures/entity-a.json" >"$T/body.json"
"$HQBIN" init --db "$T/bench.db" >/dev/null

for try in 1 2 3 4 5 6 7 8; do
    PORT=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
    # wrk's connections all come from one address, which the server otherwise holds to an
    # eighth of its connections (docs/security.md): the benchmark measures throughput, not that.
    "$HQBIN" serve --db "$T/bench.db" --listen "127.0.0.1:$PORT" --web "$ROOT/web" ${THREADS:+--threads "$THREADS"} --max-per-address 256 \
        >"$T/serve.out" 2>"$T/serve.err" &
    SPID=$!
    for i in $(seq 100); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/items/-")" != 000 ] && break 2
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.1
    done
    kill -TERM "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null || true
    SPID=
done
[ -n "$SPID" ] || { echo "bench/http.sh: cannot start huiqi serve" >&2; cat "$T/serve.err" >&2; exit 1; }
HQ=http://127.0.0.1:$PORT

# The request must be answered correctly before it is timed.
curl -fsS -H 'Content-Type: application/json' --data-binary @"$T/body.json" "$HQ/api/evaluate" >"$T/answer.json"
jq -e '.final_total_fen == 100000000 and any(.results[]; .item == "12-7-12" and .status == "eligible")' "$T/answer.json" >/dev/null ||
    { echo "bench/http.sh: wrong answer from POST /api/evaluate" >&2; head -c 500 "$T/answer.json" >&2; exit 1; }

echo "huiqi HTTP benchmark: POST /api/evaluate, explain false ($(wc -c <"$T/body.json") B request, $(wc -c <"$T/answer.json") B response)"
echo "cores $CORES, server threads ${THREADS:-$CORES}, wrk threads $WRK_THREADS, $DURATION s per run, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-12s %10s %10s %10s %10s %10s %10s %8s\n' connections requests req/s p50_ms p90_ms p99_ms max_ms errors
for c in $CONNS; do
    t=$WRK_THREADS
    [ "$t" -gt "$c" ] && t=$c
    HQ_BENCH_BODY=$T/body.json wrk -t"$t" -c"$c" -d"${DURATION}s" --timeout 10s -s "$ROOT/bench/http-evaluate.lua" "$HQ" >"$T/wrk.$c" 2>&1 ||
        { cat "$T/wrk.$c" >&2; exit 1; }
    r=$(grep '^RESULT ' "$T/wrk.$c") || { cat "$T/wrk.$c" >&2; exit 1; }
    v() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$r"; }
    printf '%-12s %10s %10s %10s %10s %10s %10s %8s\n' "$c" "$(v requests)" "$(v rps)" "$(v p50_ms)" "$(v p90_ms)" \
        "$(v p99_ms)" "$(v max_ms)" "$(($(v errors) + $(v non2xx)))"
done
