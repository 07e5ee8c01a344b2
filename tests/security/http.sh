#!/usr/bin/env bash
# Issue 12, the HTTP findings, reproduced over real HTTP on loopback for one build tree
# ($BUILD, default build/), each in a bounded, quick form:
#   finding 2  anonymous bodies: 8 parallel 16 MB anonymous POSTs to /api/imports/entities are
#              answered 401 from their headers, and the server's memory stays bounded; a
#              signed-in caller without the role gets 403 the same way;
#   finding 3  slow clients: one address holding more connections than --max-per-address
#              cannot stop another address being answered; a body trickled past
#              --request-timeout is cut off;
#   finding 8  invalid UTF-8 in a URL is 400 (was 500); the access log escapes a newline in a
#              path (no forged line); login refuses text/plain (415: login CSRF); a symbolic
#              link in the web directory is not served; every answer carries CSP,
#              X-Frame-Options and Referrer-Policy; a budget year past 32 bits is refused.
# Output: "ok - …" / "not ok - …" lines and a summary; exit status non-zero on a failure.
# Usage: BUILD=build tests/security/http.sh   (about 15 s)
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FIX=$ROOT/tests/api/fixtures
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQBIN=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies HUIQI_ACTOR=security-test
unset HUIQI_DB HUIQI_NOW HUIQI_TEST_MAX_PAGE_COUNT
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-sec-http.XXXXXX")
SPID=
cleanup() {
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
npass=0 nfail=0
ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }
check() {
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$what"; else notok "$what"; fi
}
show() { [ -s "$1" ] && head -c "${2:-600}" "$1" | sed 's/^/#   /' && echo; return 0; }
for tool in curl jq sqlite3; do command -v $tool >/dev/null || { echo "not ok - $tool is required"; exit 1; }; done

echo "# setup: a ledger from tests/api/fixtures, an administrator and a reviewer; a web copy with a symbolic link"
DB=$T/ledger.db
if (
    set -e
    export HUIQI_NOW=2022-03-01
    "$HQBIN" init --db "$DB"
    for k in entities tax; do "$HQBIN" import $k "$FIX/$k.csv" --db "$DB"; done
    "$HQBIN" user add --db "$DB" --username admin --role admin --password admin-pass-1
    "$HQBIN" user add --db "$DB" --username jxj --role reviewer --department 市经信局 --password jxj-pass-1
) >"$T/setup.log" 2>&1; then ok "setup"; else notok "setup"; show "$T/setup.log" 2000; exit 1; fi
cp -r "$ROOT/web" "$T/web"
echo "secret outside the web directory" >"$T/secret.txt"
ln -s "$T/secret.txt" "$T/web/leak.txt"
mkdir -p "$T/outside" && echo "also outside" >"$T/outside/x.txt" && ln -s "$T/outside" "$T/web/dir"

start_server() {
    local port try i
    for try in 1 2 3 4 5 6; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        "$HQBIN" serve --db "$DB" --listen "127.0.0.1:$port" --web "$T/web" --threads 4 --max-connections 64 \
            --max-per-address 8 --request-timeout 3 --timeout 30 --access-log "$T/access.log" >"$T/serve.out" 2>"$T/serve.err" &
        SPID=$!
        for i in $(seq 100); do
            if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/health")" = 200 ]; then
                HQ=http://127.0.0.1:$port PORT=$port
                return 0
            fi
            kill -0 "$SPID" 2>/dev/null || break
            sleep 0.1
        done
        kill -TERM "$SPID" 2>/dev/null
        wait "$SPID" 2>/dev/null
    done
    echo "not ok - cannot start huiqi serve"
    show "$T/serve.err"
    exit 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SPID/status"; }
start_server

echo "# finding 2: who may send a body is decided before it is read"
head -c $((16 << 20)) /dev/zero | tr '\0' 'a' >"$T/big.csv"
RSS0=$(rss_kb)
t0=$(date +%s%N)
CURLS=()
for i in 1 2 3 4 5 6 7 8; do
    curl -sS -o /dev/null -w '%{http_code}\n' --max-time 30 -X POST -H 'X-Filename: big.csv' -H 'Content-Type: text/csv' \
        --data-binary @"$T/big.csv" "$HQ/api/imports/entities" >"$T/anon.$i" 2>/dev/null &
    CURLS+=($!)
done
PEAK=$RSS0
running() { local p; for p in "${CURLS[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while running; do
    r=$(rss_kb)
    [ "${r:-0}" -gt "$PEAK" ] && PEAK=$r
    sleep 0.05
done
wait "${CURLS[@]}" 2>/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
codes=$(cat "$T"/anon.* | sort | uniq -c | tr -s ' ')
check "8 anonymous 16 MB imports are all answered 401 ($codes, ${ms} ms)" test "$(cat "$T"/anon.* | sort -u)" = 401
check "the server's memory grew by less than 32 MB during them (RSS ${RSS0} kB → peak ${PEAK} kB)" test $((PEAK - RSS0)) -lt 32768
curl -sS -c "$T/jxj.jar" -o "$T/login.json" -H 'Content-Type: application/json' \
    -d '{"username":"jxj","password":"jxj-pass-1"}' "$HQ/api/login"
code=$(curl -sS -o "$T/body" -w '%{http_code}' --max-time 30 -b "$T/jxj.jar" -X POST -H "X-CSRF-Token: $(jq -r .csrf "$T/login.json")" \
    -H 'X-Filename: big.csv' --data-binary @"$T/big.csv" "$HQ/api/imports/entities")
check "a reviewer's 16 MB import (not its role) is 403 from the headers ($code)" test "$code" = 403
check "… with the refusal in Chinese" jq -e '.error.message | test("无权")' "$T/body"

echo "# finding 3: slow clients hold no more than their address's share"
SLOW=()
for i in $(seq 70); do
    # a request line and one header, then silence: the classic slowloris connection
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'POST /api/evaluate HTTP/1.1\r\nHost: x\r\n' >&3 && sleep 20) 2>/dev/null &
    SLOW+=($!)
done
sleep 0.5
code=$(curl -sS -o /dev/null -w "%{http_code}" --interface 127.0.0.2 --max-time 5 "$HQ/api/health" 2>/dev/null)
check "with 70 slow connections from 127.0.0.1 (more than the 64 in all; 8 per address), 127.0.0.2 is answered at once ($code)" test "$code" = 200
kill "${SLOW[@]}" 2>/dev/null
wait "${SLOW[@]}" 2>/dev/null
# A body sent a byte a second: the idle timeout (30 s) never fires; the request deadline (3 s) does.
start=$(date +%s)
(
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
    printf 'POST /api/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n' >&3
    for i in $(seq 15); do printf ' ' >&3 2>/dev/null || break; sleep 1; done
) 2>/dev/null
took=$(($(date +%s) - start))
check "a body trickled a byte a second is cut off by the request deadline (after ${took} s of 15)" test "$took" -lt 10

echo "# finding 8: the smaller ones"
code=$(curl -sS -o "$T/body" -w '%{http_code}' --path-as-is "$HQ/api/items/%FF%FE")
check "invalid UTF-8 in a URL is 400, not 500 ($code)" test "$code" = 400
check "… said in Chinese" jq -e '.error.code == "bad_request" and (.error.message | test("UTF-8"))' "$T/body"
lines0=$(wc -l <"$T/access.log")
curl -sS -o /dev/null --path-as-is "$HQ/api/x%0A2026-01-01T00:00:00+08:00%20127.0.0.9%20%22GET%20/forged%22%20200"
sleep 0.2
check "a newline in a path cannot forge an access-log line (one line, escaped)" \
    test "$(($(wc -l <"$T/access.log") - lines0))" = 1 -a -z "$(grep '^2026-01-01' "$T/access.log")"
check "… the newline is written as \\x0A" grep -q 'x0A2026-01-01' "$T/access.log"
code=$(curl -sS -o "$T/body" -w '%{http_code}' -H 'Content-Type: text/plain' -d '{"username":"admin","password":"admin-pass-1"}' "$HQ/api/login")
check "login with a text/plain body is refused 415 (login CSRF)" test "$code" = 415
check "… and sets no cookie" bash -c "! grep -qi '^set-cookie' <(curl -sS -D - -o /dev/null -H 'Content-Type: text/plain' -d '{}' '$HQ/api/login')"
code=$(curl -sS -o "$T/body" -w '%{http_code}' "$HQ/leak.txt")
check "a symbolic link in the web directory is not served ($code)" test "$code" = 404 -a -z "$(grep -l secret "$T/body")"
code=$(curl -sS -o "$T/body" -w '%{http_code}' "$HQ/dir/x.txt")
check "nor a file under a linked directory ($code)" test "$code" = 404
code=$(curl -sS -o /dev/null -w '%{http_code}' "$HQ/css/app.css")
check "the UI's own files are served ($code)" test "$code" = 200
curl -sS -D "$T/h1" -o /dev/null "$HQ/"
curl -sS -D "$T/h2" -o /dev/null "$HQ/api/items"
for h in "Content-Security-Policy: default-src 'self'" "X-Frame-Options: DENY" "Referrer-Policy: same-origin" "X-Content-Type-Options: nosniff"; do
    check "the page and the API both send $h" bash -c "grep -qi \"^$h\" '$T/h1' && grep -qi \"^$h\" '$T/h2'"
done
curl -sS -c "$T/admin.jar" -o "$T/login.json" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"admin-pass-1"}' "$HQ/api/login"
for y in 4294969317 -7 0 99999; do
    code=$(curl -sS -o "$T/body" -w '%{http_code}' -b "$T/admin.jar" -H "X-CSRF-Token: $(jq -r .csrf "$T/login.json")" \
        -H 'Content-Type: application/json' -d "{\"year\": $y, \"item\": \"12-7-12\", \"amount\": \"1\"}" "$HQ/api/budgets")
    check "a budget year of $y is refused 400 naming the year ($code)" bash -c "test $code = 400 && jq -e '.error.field == \"year\"' '$T/body'"
done
check "no budget was written by them" test "$(sqlite3 "$DB" 'SELECT count(*) FROM budget')" = 0

kill -TERM "$SPID" 2>/dev/null
wait "$SPID"
SPID=
if grep -q 'Sanitizer\|runtime error' "$T/serve.err"; then
    notok "server: sanitizer report"
    show "$T/serve.err" 3000
fi
echo "# security/http ($BUILD): $npass passed, $nfail failed"
[ "$nfail" = 0 ]
