#!/usr/bin/env bash
# check.sh: the 50 hand-computed edge rows of bench-anchors (tests/edge.csv, tests/edge.expected)
# through huiqi, by both paths: the ledger (init, import the converted department files,
# match --year 2021, each entity's total of final amounts from `huiqi award list`) and the
# batch (`huiqi eval --batch`, the 附则3 column). Prints one line per disagreement and
# "N failed"; exit status 1 if any.
# Usage: bench/anchors/check.sh   (BUILD=build, ANCHORS_SRC=../shared/bench-anchors)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
. "$ROOT/bench/anchors/src.sh"
HQ=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/bench/anchors HUIQI_ACTOR=bench-anchors
unset HUIQI_DB
T=$(mktemp -d "${TMPDIR:-/tmp}/anchors-check.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$ROOT/bench/anchors/convert.sh" "$SRC/tests/edge.csv" "$T"

# ledger path
"$HQ" init --db "$T/l.db" >/dev/null
for k in entities tax stats projects mujun credit; do "$HQ" import "$k" "$T/$k.csv" --db "$T/l.db" >/dev/null; done
"$HQ" match --year 2021 --db "$T/l.db" >/dev/null
"$HQ" award list --year 2021 --limit 100000 --json --db "$T/l.db" |
    jq -r '.awards[] | [.credit_code, .amount_fen] | @tsv' |
    awk '{ t[substr($1, 9, 9) + 0] += $2 } END { for (k in t) print k, t[k] }' >"$T/ledger.tot"

# batch path: column 6 is the amount after 附则3, in yuan with two decimals
"$HQ" eval --batch "$T/entities.jsonl" --year 2021 --out "$T/batch.csv"
tail -n +2 "$T/batch.csv" |
    awk -F, '{ split($6, p, "."); t[substr($1, 9, 9) + 0] += p[1] * 100 + p[2] } END { for (k in t) print k, t[k] }' >"$T/batch.tot"

fail=0
for path in ledger batch; do
    n=$(awk -v path="$path" 'NR == FNR { got[$1] = $2; next }
        /^#/ { next }
        { want = $2 * 100; have = got[$1] + 0
          if (have != want) { printf "FAIL %s id %s: expected %d fen, got %d fen (%s)\n", path, $1, want, have, $0 > "/dev/stderr"; f++ }
          rows++ }
        END { if (rows != 50) { print "FAIL " path ": " rows " rows, expected 50" > "/dev/stderr"; f++ }
              print f + 0 }' "$T/$path.tot" "$SRC/tests/edge.expected")
    echo "$path: $n failed"
    fail=$((fail + n))
done
echo "$fail failed"
[ "$fail" = 0 ]
