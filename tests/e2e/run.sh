#!/usr/bin/env bash
# End-to-end tests of the web UI: a real `huiqi serve` on a fresh ledger, driven through
# Debian's chromium by playwright-core, asserting on what the pages show.
#
# It builds nothing: it takes $BUILD/huiqi (default build/, relative to the repository).
# It creates a temporary database, imports the data ($E2E_DATA, default the fixtures next
# to this script; any folder of CSV files named by import kind, such as demo/city), runs
# `huiqi match --year 2021`, adds the accounts (an enterprise with an eligible award, a
# second enterprise, a reviewer of that award's department, 财政, 领导) and the fiscal split
# of every district, starts `huiqi serve` on a free loopback port with HUIQI_NOW fixed,
# runs the node tests (workflow, access, mobile), stops the server with SIGTERM and exits
# non-zero if anything failed. Screenshots of every page go to $E2E_SHOTS (default
# build/e2e-shots/).
#
# Usage (from a fresh checkout):
#   make && (cd tests/e2e && npm ci) && bash tests/e2e/run.sh
# Needs: node >= 20, chromium at $CHROMIUM (default /usr/bin/chromium; apt-get install -y
# chromium), and for readable screenshots a CJK font (apt-get install -y fonts-wqy-microhei).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E=$ROOT/tests/e2e
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQ=$BUILD/huiqi
DATA=${E2E_DATA:-$E2E/fixtures}
case $DATA in /*) ;; *) DATA=$ROOT/$DATA ;; esac
export E2E_SHOTS=${E2E_SHOTS:-$ROOT/build/e2e-shots}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

die() { echo "not ok - e2e: $*" >&2; exit 1; }
[ -x "$HQ" ] || die "$HQ is not built (make BUILD=${BUILD#$ROOT/})"
command -v node >/dev/null || die "node is required (apt-get install -y nodejs npm)"
[ -x "$CHROMIUM" ] || die "no chromium at $CHROMIUM (apt-get install -y chromium)"
[ -d "$DATA" ] || die "no data folder $DATA"
if [ ! -d "$E2E/node_modules/playwright-core" ]; then
    echo "# installing playwright-core (npm ci)"
    (cd "$E2E" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in tests/e2e"
fi
fc-list :lang=zh 2>/dev/null | grep -q . || echo "# note: no CJK font installed; screenshots will show boxes (apt-get install -y fonts-wqy-microhei)"

T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-e2e.XXXXXX")
SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" || true
    fi
    SERVER_PID=
}
trap 'stop_server; rm -rf "$T"' EXIT

export HUIQI_POLICIES=$ROOT/policies
# The clock is a file (HUIQI_NOW=@FILE) so that the workflow test can let a 公示 period run
# out on the running server: 公示 cannot be back-dated.
NOW0=${E2E_NOW:-2022-03-01T09:30:00+08:00}
echo "$NOW0" >"$T/clock"
export HUIQI_NOW=@$T/clock E2E_CLOCK=$T/clock
export HUIQI_ACTOR=e2e-setup
export HUIQI_DB=$T/e2e.db
export E2E_DB=$HUIQI_DB E2E_HQ=$HQ
export E2E_PASSWORD=e2e-pass-2022

# hq ARGS…: run huiqi, quietly unless it fails.
hq() { "$HQ" "$@" >"$T/out" 2>&1 || { echo "not ok - huiqi $*" >&2; cat "$T/out" >&2; exit 1; }; }

t0=$(date +%s)
hq init
for kind in entities tax stats projects mujun credit recognitions awards; do
    if [ -f "$DATA/$kind.csv" ]; then hq import "$kind" "$DATA/$kind.csv"; fi
done
# The plan indicators' observations (规划监测): the data folder's, else the demo's simulated ones.
# Their 发布日期 are after the scenario's clock, so they are imported at a later one; an
# older huiqi without `import indicators` only leaves the 规划监测 scenario to skip.
IND=$DATA/indicators.csv
[ -f "$IND" ] || IND=$ROOT/demo/city/indicators.csv
if ! HUIQI_NOW=2026-01-01T00:00:00+08:00 "$HQ" import indicators "$IND" >"$T/out" 2>&1; then
    echo "# note: indicators not imported ($(head -1 "$T/out"))"
fi
hq match --year 2021 --quiet
"$HQ" award list --json --year 2021 >"$T/awards.json"
node "$E2E/pick.mjs" "$T/awards.json" >"$T/pick.env" || die "the data has no award fit for the scenarios"
. "$T/pick.env"

# Publicity: two periods from today: one of 7 days (5 working days, the shortest allowed), over
# when the test moves the clock to E2E_AFTER_PUB, and one still open then.
TODAY=${NOW0:0:10}
export E2E_PUB_START=$TODAY E2E_PUB_END=$(date -d "$TODAY +6 days" +%F) E2E_AFTER_PUB=$(date -d "$TODAY +7 days" +%F)
export E2E_OPEN_START=$TODAY E2E_OPEN_END=$(date -d "$TODAY +9 days" +%F)

hq user add --username e2e-qiye --role enterprise --credit-code "$E2E_FIRM" --name "$E2E_FIRM_NAME" --password "$E2E_PASSWORD"
hq user add --username e2e-qiye2 --role enterprise --credit-code "$E2E_OTHER_FIRM" --name "$E2E_OTHER_FIRM_NAME" --password "$E2E_PASSWORD"
hq user add --username e2e-shenhe --role reviewer --department "$E2E_DEPT" --name "${E2E_DEPT}审核员" --password "$E2E_PASSWORD"
hq user add --username e2e-caizheng --role finance --name 市财政局 --password "$E2E_PASSWORD"
hq user add --username e2e-lingdao --role leader --name 市政府领导 --password "$E2E_PASSWORD"
hq user add --username e2e-admin --role admin --name 系统管理员 --password "$E2E_PASSWORD"
for d in $E2E_DISTRICTS; do
    hq fiscal set --district "$d" --city-share 40% --source "e2e: 现行财政体制 市40%、区60%"
done

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
up() { node -e "fetch(process.argv[1]+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" "$1"; }
for attempt in 1 2 3; do
    PORT=$(free_port)
    export E2E_BASE=http://127.0.0.1:$PORT
    "$HQ" serve --listen "127.0.0.1:$PORT" --web "$ROOT/web" --threads 4 --access-log "$T/access.log" >"$T/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 50); do
        up "$E2E_BASE" && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    up "$E2E_BASE" && break
    stop_server
done
[ -n "$SERVER_PID" ] || { cat "$T/serve.log" >&2; die "huiqi serve did not start"; }
echo "# huiqi serve on $E2E_BASE (HUIQI_NOW=$NOW0, data $DATA, enterprise $E2E_FIRM, award #$E2E_AWARD $E2E_ITEM, reviewer $E2E_DEPT)"
mkdir -p "$E2E_SHOTS"
rm -f "$E2E_SHOTS"/*.png

rc=0
# suite.mjs runs the scenario files in order; E2E_TESTS may name a single one instead.
(cd "$E2E" && node --test --test-reporter=spec "${E2E_TESTS:-suite.mjs}") || rc=$?

stop_server
if [ "$rc" != 0 ]; then
    echo "# server log:"; tail -20 "$T/serve.log" | sed 's/^/#   /'
    echo "# last requests:"; tail -30 "$T/access.log" | sed 's/^/#   /'
fi
echo "# e2e: $( [ $rc = 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - t0 ))s; screenshots in $E2E_SHOTS"
exit $rc
