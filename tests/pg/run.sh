#!/usr/bin/env bash
# The store-level suites again on PostgreSQL (issue 15), for one build tree ($BUILD, default
# build/): starts a throwaway cluster (scripts/pg-cluster.sh: a Unix socket in a temporary
# directory, no TCP port, no service), runs tests/ledger, tests/api, tests/security/login.sh,
# tests/indicators, tests/batch, tests/performance and tests/multi with HUIQI_TEST_DB_URL
# pointing at it (each test makes its own fresh databases there, tests/lib/db.sh), and stops
# and removes it.
# While huiqi is built without the PostgreSQL back end (`huiqi init --db postgresql://…`
# says so), it prints "PostgreSQL back end not built", a SKIP line, and exits 0; otherwise
# any failing suite fails the run. The last line is "pg (BUILD): N passed, M failed …".
# Usage: BUILD=build tests/pg/run.sh
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export BUILD=${BUILD:-build}
case $BUILD in /*) HQBIN=$BUILD/huiqi ;; *) HQBIN=$ROOT/$BUILD/huiqi ;; esac
[ -x "$HQBIN" ] || { echo "not ok - $HQBIN is not built"; exit 1; }
export HUIQI_POLICIES=$ROOT/policies HUIQI_ACTOR=pg-test
unset HUIQI_DB HUIQI_TEST_DB_URL

# The cluster's directory must be reachable by its (unprivileged) owner: mode 755.
D=$(mktemp -d /tmp/huiqi-pg.XXXXXX)
chmod 755 "$D"
CLUSTER=$D/c
trap 'bash "$ROOT/scripts/pg-cluster.sh" stop "$CLUSTER"; rm -rf "$D"' EXIT
trap 'exit 130' INT TERM HUP
if ! bash scripts/pg-cluster.sh start "$CLUSTER"; then
    echo "not ok - could not start a PostgreSQL cluster (scripts/pg-cluster.sh; scripts/setup.sh installs postgresql)"
    exit 1
fi
export HUIQI_TEST_DB_URL
# The back end keeps each database's audit key under $XDG_CONFIG_HOME/huiqi/pg/: here, thrown
# away with the cluster.
export XDG_CONFIG_HOME=$D/config
HUIQI_TEST_DB_URL=$(bash scripts/pg-cluster.sh url "$CLUSTER")
echo "# PostgreSQL cluster at $HUIQI_TEST_DB_URL"

# Is the back end built? Ask huiqi init on a fresh database.
T=$D
. "$ROOT/tests/lib/db.sh"
probe=$(db_new probe) || { echo "not ok - cannot create a database on the cluster"; exit 1; }
if ! "$HQBIN" init --db "$probe" >"$D/init.out" 2>&1; then
    if grep -qiE 'no PostgreSQL back end|PostgreSQL back end not|unknown.*(back end|database|location)' "$D/init.out"; then
        echo "PostgreSQL back end not built"
        echo "ok - tests on PostgreSQL # SKIP huiqi says: $(head -1 "$D/init.out")"
        echo "pg ($BUILD): SKIP (PostgreSQL back end not built)"
        exit 0
    fi
    echo "not ok - huiqi init --db $probe"
    sed 's/^/#   /' "$D/init.out"
    exit 1
fi

pass=0 fail=0 todo=0 failed=""
for suite in ledger/run.sh api/run.sh security/login.sh indicators/run.sh batch/run.sh performance/run.sh multi/run.sh; do
    echo "== PostgreSQL: tests/$suite"
    start=$(date +%s)
    out=$(bash "tests/$suite" 2>&1)
    st=$?
    echo "$out"
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep '^not ok - ' <<<"$out" | grep -vc '# TODO')
    t=$(grep '^not ok - ' <<<"$out" | grep -c '# TODO')
    pass=$((pass + p)) fail=$((fail + f)) todo=$((todo + t))
    if [ $st != 0 ]; then
        failed="$failed $suite"
        [ "$f" = 0 ] && fail=$((fail + 1)) && echo "not ok - tests/$suite exited $st"
    fi
    echo "# tests/$suite on PostgreSQL: $p passed, $f failed, $t todo, $(($(date +%s) - start)) s"
done
echo "pg ($BUILD): $pass passed, $fail failed, $todo todo${failed:+ (failed:$failed)}"
[ "$fail" = 0 ] && [ -z "$failed" ]
