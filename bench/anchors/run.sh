#!/usr/bin/env bash
# run.sh (make bench-anchors): huiqi against the bench-anchors yardstick (../shared/bench-anchors,
# its README.md). Copies it into $BUILD/anchors, builds its C loop, generates the firms with
# gen.py for each N, and times as whole processes, with /usr/bin/time (wall seconds, peak RSS):
#   C loop (run_c.sh), SQLite (run_sqlite.sh), [CLIPS, json-rules-engine: ANCHORS_SLOW=1, 100k only],
#   huiqi convert (bench/anchors/convert.sh: stands in for the departments' exports; reported apart),
#   huiqi ledger (init, import, match: bench/anchors/ledger.sh), huiqi batch (eval --batch on the JSON
#   Lines: batch.sh) and huiqi sheet (eval --batch on the one-sheet CSV: batch.sh).
# Every engine must print the same "<count> <total>" (and the README's figures where it gives
# them), else this fails. Ends with a table and the ratios huiqi/SQLite and huiqi/C of this run.
# Environment: ANCHORS_SRC (the folder), ANCHORS_N (default "100000 1000000"), ANCHORS_SLOW=1,
# ANCHORS_REPEAT (runs per engine, median reported; default 3 up to 100k, else 1), BUILD.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
. "$ROOT/bench/anchors/src.sh"
export HQ=$BUILD/huiqi HUIQI_POLICIES=$ROOT/bench/anchors HUIQI_ACTOR=bench-anchors
unset HUIQI_DB
NS=${ANCHORS_N:-100000 1000000}
SLOW=${ANCHORS_SLOW:-0}
HERE=$ROOT/bench/anchors
[ -x "$HQ" ] || { echo "run.sh: $HQ missing: make BUILD=... all first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time missing (apt-get install time; scripts/setup.sh --bench)" >&2; exit 2; }

W=$BUILD/anchors
rm -rf "$W"
mkdir -p "$W"
cp -r "$SRC"/. "$W"/
chmod -R u+w "$W"
mkdir -p "$W/data" "$W/out"
if [ "$SLOW" = 1 ] && command -v npm >/dev/null && command -v node >/dev/null; then
    (cd "$W" && ./build.sh) >&2
else
    # build.sh without its npm step
    gcc -O2 -Wall -Wextra -o "$W/c/awards" "$W/c/awards.c"
fi

# expected figures given by the README
declare -A EXPECT=([100000]="13477 16032489029" [1000000]="135167 161732949390")

# tm NAME CMD...: run CMD REPEAT times, its stdout to out/NAME.out, its stderr to out/NAME.err;
# appends "NAME seconds peak-KiB" to out/times: the median wall time (measured around the
# process with date's nanoseconds, since /usr/bin/time rounds to 10 ms) and the largest peak RSS
# (/usr/bin/time's %M: for a script, the largest of its processes).
tm() {
    local name=$1 i t0 t1 kib
    shift
    : >"$W/out/$name.runs"
    for ((i = 0; i < REPEAT; i++)); do
        t0=$(date +%s%N)
        if ! /usr/bin/time -f "%M" -o "$W/out/$name.rss" "$@" >"$W/out/$name.out" 2>"$W/out/$name.err"; then
            echo "run.sh: $name failed:" >&2
            tail -20 "$W/out/$name.err" >&2
            exit 1
        fi
        t1=$(date +%s%N)
        kib=$(tail -1 "$W/out/$name.rss")
        echo "$(((t1 - t0) / 1000000)) $kib" >>"$W/out/$name.runs"
    done
    sort -n "$W/out/$name.runs" | awk -v name="$name" '
        { ms[NR] = $1; if ($2 > kib) kib = $2 }
        END { printf "%s %.3f %d %d\n", name, ms[int((NR + 1) / 2)] / 1000, kib, NR }' >>"$W/out/times"
}

echo "# bench-anchors $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), huiqi $(git -C "$ROOT" rev-parse --short HEAD)"
fail=0
for N in $NS; do
    stem=$W/data/e$N
    : >"$W/out/times"
    REPEAT=${ANCHORS_REPEAT:-$([ "$N" -le 100000 ] && echo 3 || echo 1)}
    python3 "$W/gen.py" "$N" "$stem" >&2
    engines=(c sqlite)
    tm c "$W/run_c.sh" "$stem"
    tm sqlite "$W/run_sqlite.sh" "$stem"
    if [ "$SLOW" = 1 ] && [ "$N" = 100000 ]; then
        command -v clips >/dev/null && { tm clips "$W/run_clips.sh" "$stem"; engines+=(clips); } ||
            echo "run.sh: clips not installed, skipped" >&2
        [ -d "$W/jre/node_modules/json-rules-engine" ] && { tm jre "$W/run_jre.sh" "$stem"; engines+=(jre); } ||
            echo "run.sh: json-rules-engine not installed, skipped" >&2
    fi
    tm huiqi-convert "$HERE/convert.sh" "$stem.csv" "$W/data/conv$N"
    tm huiqi-ledger "$HERE/ledger.sh" "$W/data/conv$N" "$W/data/ledger$N.db"
    tm huiqi-batch "$HERE/batch.sh" "$W/data/conv$N/entities.jsonl"
    tm huiqi-sheet "$HERE/batch.sh" "$W/data/conv$N/sheet.csv"
    engines+=(huiqi-ledger huiqi-batch huiqi-sheet)

    want=${EXPECT[$N]:-$(cat "$W/out/c.out")}
    for e in "${engines[@]}"; do
        got=$(cat "$W/out/$e.out")
        if [ "$got" != "$want" ]; then
            echo "run.sh: N=$N: $e printed \"$got\", expected \"$want\"" >&2
            fail=1
        fi
    done
    cp "$W/out/times" "$W/out/times.$N"
    echo
    echo "## N = $N: every engine printed \"$want\" (median of $REPEAT runs)$([ $fail = 0 ] || echo " -- NOT ALL: see above")"
    awk -v n="$N" -v ok="$fail" '
        { name[NR] = $1; s[$1] = $2; kb[$1] = $3 }
        END {
            printf "| %-24s | %9s | %13s | %10s | %8s |\n", "engine (whole process)", "seconds", "peak RSS MiB", "÷ SQLite", "÷ C"
            printf "|%s|%s|%s|%s|%s|\n", "--------------------------", "-----------:", "--------------:", "-----------:", "---------:"
            for (i = 1; i <= NR; i++) {
                e = name[i]
                rs = s["sqlite"] > 0 ? sprintf("%.1f", s[e] / s["sqlite"]) : "-"
                rc = s["c"] > 0 ? sprintf("%.1f", s[e] / s["c"]) : "-"
                printf "| %-24s | %9.3f | %13.1f | %10s | %8s |\n", e, s[e], kb[e] / 1024, rs, rc
            }
            u = s["huiqi-convert"] + s["huiqi-ledger"]
            rs = s["sqlite"] > 0 ? sprintf("%.1f", u / s["sqlite"]) : "-"
            rc = s["c"] > 0 ? sprintf("%.1f", u / s["c"]) : "-"
            printf "| %-24s | %9.3f | %13s | %10s | %8s |\n", "huiqi convert + ledger", u, "", rs, rc
        }' "$W/out/times"
    echo
    echo "huiqi ledger steps (N = $N):"
    grep '^huiqi ledger:' "$W/out/huiqi-ledger.err" | sed 's/^/  /'
    grep -h '^sqlite:' "$W/out/sqlite.err" | sed 's/^/  /' || true
    [ $fail = 0 ] || { echo "run.sh: engines disagree at N=$N" >&2; exit 1; }
done
