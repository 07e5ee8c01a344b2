# Shared by the ledger reliability tests (tests/ledger/*.sh); sourced, not run.
#
# Each test script runs from anywhere, takes the build tree in $BUILD (default build/,
# relative to the repository root), uses $BUILD/huiqi with the repository's policies, a
# private temporary directory ($T, removed on exit) and a fixed clock (HUIQI_NOW). It prints
# one "ok - …" or "not ok - …" line per check and exits non-zero if any check failed.
# Databases come from db_new (tests/lib/db.sh): SQLite files in $T, or fresh PostgreSQL
# databases when HUIQI_TEST_DB_URL is set; SQLite-only checks are skipped there, saying so.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=$ROOT/tests/ledger/data
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQ=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies
export HUIQI_ACTOR=ledger-test
export HUIQI_NOW=2022-03-01
unset HUIQI_DB
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-ledger.XXXXXX")
trap 'rm -rf "$T"' EXIT
NAME=$(basename "$0" .sh)
. "$ROOT/tests/lib/db.sh"
npass=0
nfail=0

ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }

# Print a file indented as diagnostics under a failed check.
show() { [ -s "$1" ] && sed 's/^/#   /' "$1" | head -${2:-20}; return 0; }

db_tools >"$T/tools" || { echo "not ok - $NAME: $(cat "$T/tools")"; exit 1; }
for tool in awk iconv; do
    command -v $tool >/dev/null || { echo "not ok - $NAME: $tool is required"; exit 1; }
done
[ -x "$HQ" ] || { echo "not ok - $NAME: $HQ is not built (make BUILD=${BUILD#$ROOT/})"; exit 1; }

# hq ARGS…: run huiqi; stdout in $T/out, stderr in $T/err, the exit status in $rc.
hq() { "$HQ" "$@" >"$T/out" 2>"$T/err"; rc=$?; }

# expect WANT DESCRIPTION ARGS…: run huiqi and check its exit status.
expect() {
    local want=$1 what=$2
    shift 2
    hq "$@"
    if [ "$rc" = "$want" ]; then
        ok "$what"
    else
        notok "$what (exit $rc, expected $want)"
        show "$T/out"
        show "$T/err"
    fi
}

# has FILE DESCRIPTION STRING…: every STRING occurs (fixed, not a pattern) in FILE.
has() {
    local f=$1 what=$2 s missing=""
    shift 2
    for s in "$@"; do grep -qF -- "$s" "$f" || missing="$missing «$s»"; done
    if [ -z "$missing" ]; then ok "$what"; else notok "$what: missing$missing"; show "$f"; fi
}

# same A B DESCRIPTION: two values are equal.
same() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3: got «$1», expected «$2»"; fi; }

# q DB SQL: one value from the database.
q() { db_q "$1" "$2"; }

# dump DB FILE: the database's content as text.
dump() { db_dump "$1" "$2"; }

# copy SRC DST: a consistent copy of a database (for SQLite WAL included, with its audit key
# file: a keyed ledger cannot be written without it). DST is a name made by db_new.
copy_db() { db_copy "$1" "$2"; }

# verify_audit DB DESCRIPTION: `huiqi audit verify` passes.
verify_audit() { expect 0 "$2" audit verify --db "$1"; }

# uscc PREFIX17…: each 17-character prefix (arguments, or lines of stdin) completed with
# its GB 32100 check character.
uscc() {
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cat; fi | awk 'BEGIN { a = "0123456789ABCDEFGHJKLMNPQRTUWXY"; split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", w, " ") }
        { s = 0; for (i = 1; i <= 17; i++) s += (index(a, substr($0, i, 1)) - 1) * w[i]
          k = 31 - s % 31; if (k == 31) k = 0; print $0 substr(a, k + 1, 1) }'
}

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

finish() {
    echo "# $NAME: $npass passed, $nfail failed"
    [ "$nfail" = 0 ]
    exit
}
