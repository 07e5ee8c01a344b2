#!/usr/bin/env bash
# The threaded parts of huiqi under ThreadSanitizer (make test-tsan builds $BUILD, default
# build/tsan, with SANITIZER=thread): the HTTP API tests, whose server answers on pool threads
# and a writers' pool with a database connection each, and `huiqi match` over the demo city
# with several threads. Any ThreadSanitizer report fails the run (halt_on_error: the process
# exits non-zero at the first one; the API test also greps the server's stderr).
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build/tsan}
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
fail=0
echo "== ThreadSanitizer: HTTP API (tests/api)"
if BUILD="$BUILD" bash tests/api/run.sh >"$BUILD/tsan-api.log" 2>&1; then tail -1 "$BUILD/tsan-api.log"; else
    fail=1
    echo "FAIL: tests/api under ThreadSanitizer"
    grep -E '^(not ok|#   )' "$BUILD/tsan-api.log" | head -60
fi
grep -q 'ThreadSanitizer' "$BUILD/tsan-api.log" && { fail=1; echo "FAIL: ThreadSanitizer report in the API run"; }

echo "== ThreadSanitizer: match of the demo city on 4 threads, and of 9,000 entities (reading overlapped)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HUIQI_POLICIES=$PWD/policies HUIQI_DB=$T/demo.db HUIQI_NOW=2022-03-01
(
    set -e
    "$BUILD/huiqi" init
    for k in entities tax stats projects mujun credit recognitions awards; do "$BUILD/huiqi" import $k demo/city/$k.csv; done
    "$BUILD/huiqi" match --year 2021 --threads 4 --quiet
    "$BUILD/huiqi" match --year 2022 --threads 4 --quiet
    "$BUILD/huiqi" audit verify
    # More entities than three chunks of 4,096, so that a chunk is read while the one before
    # is evaluated and written (match.c reads on a thread of its own).
    "$BUILD/huiqi" demo-data --out "$T/city" --entities 9000 --seed 3 >/dev/null
    export HUIQI_DB=$T/big.db
    "$BUILD/huiqi" init
    for k in entities tax stats projects mujun credit recognitions awards; do "$BUILD/huiqi" import $k "$T/city/$k.csv"; done
    "$BUILD/huiqi" match --year 2021 --threads 2 --quiet
) >"$T/match.log" 2>&1 || {
    fail=1
    echo "FAIL: the demo match under ThreadSanitizer"
    head -80 "$T/match.log"
}
grep -q 'ThreadSanitizer' "$T/match.log" && { fail=1; echo "FAIL: ThreadSanitizer report in the match"; head -80 "$T/match.log"; }
[ $fail = 0 ] && echo "tsan: api and match clean"
exit $fail
