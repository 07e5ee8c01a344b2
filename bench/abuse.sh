#!/usr/bin/env bash
# The server under abuse (issue 12), measured, not asserted: a server on the demo city's
# ledger, then, one after the other, a login flood, slow connections and large anonymous
# bodies from 127.0.0.1 — each a bounded loop on loopback — while a normal reader on
# 127.0.0.2 asks for GET /api/items/12-7-12. Printed per phase: that request's median and
# worst latency, and the server's peak resident memory.
#
# Usage: BUILD=build bench/abuse.sh   (about a minute; run by `make bench`)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
HQ=$BUILD/huiqi
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-abuse.XXXXXX")
SPID=
PIDS=()
cleanup() {
    kill "${PIDS[@]}" 2>/dev/null || true
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export HUIQI_POLICIES=policies HUIQI_ACTOR=bench
unset HUIQI_NOW

"$HQ" init --db "$T/l.db" >/dev/null
for k in entities tax stats projects mujun credit recognitions awards; do "$HQ" import $k "demo/city/$k.csv" --db "$T/l.db" >/dev/null; done
"$HQ" user add --db "$T/l.db" --username admin --role admin --password admin-pass-1 >/dev/null
PORT=$((20000 + RANDOM % 40000))
"$HQ" serve --db "$T/l.db" --listen "127.0.0.1:$PORT" --web web >"$T/serve.out" 2>&1 &
SPID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 100); do curl -sf -o /dev/null "$URL/api/health" && break; sleep 0.1; done

PEAK=0
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SPID/status"; }
# probe N: N normal requests from 127.0.0.2, one every 0.1 s; prints "median worst" in ms,
# sampling the server's memory between them.
probe() {
    local i ms=()
    for i in $(seq "$1"); do
        ms+=("$(curl -s -o /dev/null --interface 127.0.0.2 --max-time 10 -w '%{time_total}' "$URL/api/items/12-7-12" | awk '{printf "%.1f", $1 * 1000}')")
        local r
        r=$(rss)
        [ "${r:-0}" -gt "$PEAK" ] && PEAK=$r
        sleep 0.1
    done
    printf '%s\n' "${ms[@]}" | sort -n | awk '{a[NR] = $1} END {printf "%s %s", a[int((NR + 1) / 2)], a[NR]}'
}
report() { # PHASE "median worst"
    set -- "$1" $2
    printf '| %s | %s ms | %s ms | %s MB |\n' "$1" "$2" "$3" "$((PEAK / 1024))"
}

echo "== the server under abuse: $(nproc) cores; a normal request from 127.0.0.2 during each phase"
echo "| phase | median | worst | server peak RSS |"
echo "| --- | ---: | ---: | ---: |"
PEAK=$(rss)
report "idle" "$(probe 20)"

# 1. a login flood: 8 clients × 150 wrong passwords for random names and for admin
for c in $(seq 8); do
    (for i in $(seq 150); do
        curl -s -o /dev/null --max-time 10 -H 'Content-Type: application/json' \
            -d "{\"username\":\"$([ $((i % 2)) = 0 ] && echo admin || echo "guess$c-$i")\",\"password\":\"x\"}" "$URL/api/login"
    done) &
    PIDS+=($!)
done
PEAK=$(rss)
report "login flood (1,200 wrong passwords, 8 clients)" "$(probe 20)"
wait "${PIDS[@]}" 2>/dev/null || true
PIDS=()

# 2. slow connections: 200 from one address, each a request line and nothing more
for i in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'POST /api/evaluate HTTP/1.1\r\nHost: x\r\n' >&3 && sleep 30) 2>/dev/null &
    PIDS+=($!)
done
sleep 0.5
PEAK=$(rss)
report "200 slow connections from one address" "$(probe 20)"
kill "${PIDS[@]}" 2>/dev/null || true
wait "${PIDS[@]}" 2>/dev/null || true
PIDS=()

# 3. large anonymous bodies: 24 × 60 MB imports without a session
head -c $((60 << 20)) /dev/zero >"$T/big.csv"
for i in $(seq 24); do
    curl -s -o /dev/null --max-time 60 -H 'X-Filename: big.csv' --data-binary @"$T/big.csv" "$URL/api/imports/entities" &
    PIDS+=($!)
done
PEAK=$(rss)
report "24 anonymous 60 MB bodies" "$(probe 20)"
wait "${PIDS[@]}" 2>/dev/null || true
PIDS=()
echo "(audit rows written by the flood: $(sqlite3 "$T/l.db" "SELECT count(*) FROM audit WHERE action LIKE 'login-failed%'"))"
