#!/usr/bin/env bash
# What `make bench` runs (docs/benchmarks.md records the figures). Runs of
# $BUILD/bench/hqbench over synthetic entities (src/facts/synth.c), evaluation year 2021:
#   1. the eight-item corpus bench/eight, 1,000,000 entities, 1 and 2 threads: the compiled
#      evaluator against the hand-written C loop of bench/handloop.c, with the differential
#      check that both give every entity the same status and amount for every item;
#   2. the full corpus policies/, 1,000,000 entities, 1 thread and all cores;
#   3. the full corpus, 2,000,000 entities on all cores (the target: under 10 s on 2 cores);
#   4. while policies/ is still being written: a stand-in of the full corpus's size, the
#      eight items repeated to fill the 103 rows of the 执行责任分工表, 2,000,000 entities;
#   5. the ledger (bench/ledger.sh): `huiqi match` on a store of 100,000 and 1,000,000
#      synthetic entities, in entities/s;
#   6. the HTTP calculator endpoint with wrk (bench/http.sh): requests/s and p99 latency.
# Memory: a batch takes (fact slots × 9 + 147) bytes per entity; hqbench refuses batches
# larger than 75% of RAM. Exit status: non-zero if any run fails a check.
set -euo pipefail
BUILD=${BUILD:-build}
HQBENCH="$BUILD/bench/hqbench"
CORES=$(nproc)
ROWS=103
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
    echo
    echo "\$ $HQBENCH $*"
    "$HQBENCH" "$@"
}

# bench/eight with its items repeated, renumbered 12-<article>-1 … 12-<article>-$ROWS.
standin_corpus() {
    cp bench/eight/facts.hq "$1/"
    awk -v rows="$ROWS" '
        /^item / { inside = 1; n++; block[n] = ""; }
        inside    { block[n] = block[n] $0 "\n"; if ($0 == "}") inside = 0; next }
                  { printf "%s\n", $0 }
        END {
            for (r = 1; r <= rows; r++) {
                b = block[(r - 1) % n + 1]
                split(b, first, "-"); article = first[2]
                sub(/^item [^ ]+/, "item 12-" article "-" r, b)
                sub(/\n  row +[0-9]+/, "\n  row        " r, b)
                printf "\n%s", b
            }
        }' bench/eight/wzf-2020-12.hq >"$1/wzf-2020-12.hq"
}

echo "== huiqi benchmark: $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
run --policies bench/eight --entities 1000000 --threads 2
run --policies policies --entities 1000000 --threads "$CORES"
run --policies policies --entities 2000000 --threads "$CORES"
mkdir -p "$tmp/standin"
standin_corpus "$tmp/standin"
run --policies "$tmp/standin" --entities 2000000 --threads "$CORES"

# The ledger: match throughput on the store for 100,000 and 1,000,000 entities.
BUILD="$BUILD" bench/ledger.sh 100000 1000000

# The HTTP calculator endpoint: throughput and p99 latency with wrk (scripts/setup.sh --bench).
if command -v wrk >/dev/null; then
    BUILD="$BUILD" bench/http.sh
else
    echo "wrk not installed: skipping bench/http.sh (bash scripts/setup.sh --bench)"
fi

# The server under abuse (issue 12): a normal request's latency and the server's memory
# during a login flood, slow connections and large anonymous bodies.
BUILD="$BUILD" bench/abuse.sh
