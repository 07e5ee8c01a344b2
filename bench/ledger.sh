#!/usr/bin/env bash
# Match throughput on the ledger store (part of `make bench`): a synthetic city of N
# entities (`huiqi demo-data`, seed 1) imported into a fresh SQLite ledger, then
# `huiqi match --year 2021` on all cores, twice (the first run inserts the candidates, the
# second finds them unchanged), then the same on PostgreSQL (up to LEDGER_PG_MAX entities).
# Prints import and match times and entities/s for each back end.
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

# One run: a fresh ledger at $HUIQI_DB (a SQLite file or a PostgreSQL database), the city
# imported, matched twice. $1 entities, $2 the back end's name for the heading.
run_one() {
    local n=$1 backend=$2 dir="$tmp/city-$1" t0 t1 t2 t3 t4 out1 out2 size
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
    size=$([ -f "$HUIQI_DB" ] && du -h "$HUIQI_DB" | cut -f1 || echo "-")
    echo
    echo "== ledger match on $backend, $n entities ($(nproc) cores)"
    printf '  demo-data %.1f s, import %.1f s (%.0f entities/s), database %s\n' "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" \
        "$(echo "$n / ($t2 - $t1)" | bc -l)" "$size"
    echo "  first:  $out1"
    echo "  second: $out2"
    printf '  match throughput: %.0f entities/s (first run, candidates inserted), %.0f entities/s (second run, unchanged)\n' \
        "$(echo "$n / ($t3 - $t2)" | bc -l)" "$(echo "$n / ($t4 - $t3)" | bc -l)"
}

for N in "${@:-100000 1000000}"; do
    for n in $N; do
        export HUIQI_DB="$tmp/ledger-$n.db"
        run_one "$n" SQLite
        rm -f "$HUIQI_DB" "$HUIQI_DB-wal" "$HUIQI_DB-shm" "$HUIQI_DB.key"
    done
done

# The same on PostgreSQL, on a throwaway cluster (scripts/pg-cluster.sh), at the sizes up to
# LEDGER_PG_MAX (default 100,000: a city of 1,000,000 takes a quarter of an hour to import
# there today, docs/benchmarks.md). Skipped with a line when no cluster can be started.
PG_MAX=${LEDGER_PG_MAX:-100000}
cluster="$tmp/pg"
mkdir -p "$tmp" && chmod 755 "$tmp"
if bash scripts/pg-cluster.sh start "$cluster" >/dev/null 2>&1; then
    trap 'bash scripts/pg-cluster.sh stop "$cluster" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
    export XDG_CONFIG_HOME="$tmp/config" # the audit key of each database (store_pg.c)
    base=$(bash scripts/pg-cluster.sh url "$cluster")
    for N in "${@:-100000 1000000}"; do
        for n in $N; do
            [ "$n" -le "$PG_MAX" ] || { echo; echo "== ledger match on PostgreSQL, $n entities: skipped (above LEDGER_PG_MAX=$PG_MAX)"; continue; }
            psql "$base" -qc "CREATE DATABASE bench_$n" >/dev/null
            export HUIQI_DB="${base/\/postgres\?//bench_$n?}"
            run_one "$n" PostgreSQL
        done
    done
else
    echo
    echo "== ledger match on PostgreSQL: skipped (no cluster could be started: scripts/setup.sh installs postgresql)"
fi
