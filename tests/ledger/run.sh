#!/usr/bin/env bash
# The ledger reliability tests, for one build tree ($BUILD, default build/):
#   import_bad.sh   bad department files rejected precisely, the database untouched
#   workflow.sh     one award's life through the CLI, illegal transitions, the audit chain
#   rematch.sh      matching again writes only what changed and ends where a fresh match does
#   tamper.sh       the audit log against a database-file writer: keyed chain, checkpoints,
#                   awards and payments against the log, read-only verification
#   recheck.sh      payment re-checks eligibility; 晋升差额 across years; recognition subjects
#   concurrency.sh  simultaneous approvals against 附则3's annual cap and same-basis rule
#   crash.sh        kill -9 during a payment batch, repeatedly
#   quota.sh        名额 across entities: 15-15-2's 优秀 (2) and 良好 (3) places per year
#   demo.sh         the demo city approved and paid: quotas, lifetime limits, once, upgrade
#                   differences and the annual cap hold across the whole ledger
# Each script's "ok"/"not ok" lines are shown; the last line is
# "ledger (BUILD): N passed, M failed (K scripts failed)", and the exit status is non-zero
# if any check failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
export BUILD=${BUILD:-build}
pass=0
fail=0
scripts_failed=""
for t in import_bad workflow rematch tamper recheck concurrency crash quota demo; do
    echo "== ledger: $t"
    start=$(date +%s%3N)
    out=$(bash "tests/ledger/$t.sh" 2>&1)
    st=$?
    echo "$out"
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep -c '^not ok - ' <<<"$out")
    pass=$((pass + p))
    fail=$((fail + f))
    if [ $st != 0 ]; then
        scripts_failed="$scripts_failed $t"
        [ "$f" = 0 ] && fail=$((fail + 1)) && echo "not ok - $t.sh exited $st"
    fi
    echo "# $t: $(($(date +%s%3N) - start)) ms"
done
echo "ledger ($BUILD): $pass passed, $fail failed${scripts_failed:+ (failed:$scripts_failed)}"
[ "$fail" = 0 ] && [ -z "$scripts_failed" ]
