#!/usr/bin/env bash
# Match throughput on the ledger store (part of `make bench`): a synthetic city of N
# entities (`huiqi demo-data`, seed 1) imported into a fresh SQLite ledger, then
# `huiqi match --year 2021` on all cores, twice (the first run inserts the candidates, the
# second finds them unchanged). Prints import and match times and entities/s.
#   bench/ledger.sh [N ...]      default: 100000 1000000
# Files above 200 MB are imported in parts of 500,000 rows (the importer takes at most
# 256 MiB per file); the complete-list kinds (mujun, credit) are imported whole.
set -euo pipefail
BUILD=${BUILD:-build}
HQ="$(pwd)/$BUILD/huiqi"
export HUIQI_POLICIES=$(pwd)/policies HUIQI_NOW=2022-03-01 HUIQI_ACTOR=bench
tmp=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
secs() { date +%s.%N; }

import_kind() { # kind file
    local kind=$1 file=$2
    if [ "$kind" = mujun ] || [ "$kind" = credit ] || [ "$(stat -c %s "$file")" -lt 200000000 ]; then
        "$HQ" import "$kind" "$file" >/dev/null
        return
    fi
    head -1 "$file" >"$tmp/header"
    tail -n +2 "$file" | split -l 500000 - "$tmp/part-$kind-"
    for p in "$tmp"/part-"$kind"-*; do
        cat "$tmp/header" "$p" >"$p.csv"
        "$HQ" import "$kind" "$p.csv" >/dev/null
        rm -f "$p" "$p.csv"
    done
}

for N in "${@:-100000 1000000}"; do
    for n in $N; do
        dir="$tmp/city-$n"
        export HUIQI_DB="$tmp/ledger-$n.db"
        t0=$(secs)
        "$HQ" demo-data --out "$dir" --entities "$n" --seed 1 >/dev/null
        t1=$(secs)
        "$HQ" init >/dev/null
        for kind in entities tax stats projects mujun credit recognitions awards; do import_kind "$kind" "$dir/$kind.csv"; done
        t2=$(secs)
        rm -rf "$dir"
        out1=$("$HQ" match --year 2021 --quiet)
        t3=$(secs)
        out2=$("$HQ" match --year 2021 --quiet)
        t4=$(secs)
        echo
        echo "== ledger match, $n entities ($(nproc) cores)"
        printf '  demo-data %.1f s, import %.1f s (%.0f entities/s), database %s\n' "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" \
            "$(echo "$n / ($t2 - $t1)" | bc -l)" "$(du -h "$HUIQI_DB" | cut -f1)"
        echo "  first:  $out1"
        echo "  second: $out2"
        printf '  match throughput: %.0f entities/s (first run, candidates inserted), %.0f entities/s (second run, unchanged)\n' \
            "$(echo "$n / ($t3 - $t2)" | bc -l)" "$(echo "$n / ($t4 - $t3)" | bc -l)"
        rm -f "$HUIQI_DB" "$HUIQI_DB-wal" "$HUIQI_DB-shm"
    done
done
