# The shell suites' reporting and scratch directory; sourced, not run.
#   tap_init NAME   a private temporary directory $T (removed on exit, after tap_cleanup_hook
#                   if the script defines it); NAME names the script in messages
#   ok / notok DESCRIPTION          one "ok - …" / "not ok - …" line
#   todo DESCRIPTION WHY            a check that fails for a known reason someone is fixing:
#                                   "not ok - … # TODO WHY", counted apart, not a failure
#                                   (HQ_STRICT=1 counts it as one)
#   check DESCRIPTION COMMAND…      ok if the command succeeds
#   same GOT WANT DESCRIPTION       ok if equal
#   show FILE [BYTES]               a file, indented, under a failed check
#   tap_finish                      "# NAME: N passed, M failed, K todo"; exit non-zero on a failure
npass=0 nfail=0 ntodo=0
tap_init() {
    TAP_NAME=$1
    T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-$1.XXXXXX")
    trap 'declare -F tap_cleanup_hook >/dev/null && tap_cleanup_hook; rm -rf "$T"' EXIT
}
ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }
todo() {
    if [ -n "${HQ_STRICT:-}" ]; then notok "$1"; else ntodo=$((ntodo + 1)); echo "not ok - $1 # TODO $2"; fi
}
check() {
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then ok "$what"; else notok "$what"; fi
}
same() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3: got «$1», expected «$2»"; fi; }
show() { [ -s "$1" ] && head -c "${2:-600}" "$1" | sed 's/^/#   /' && echo; return 0; }
tap_finish() {
    echo "# $TAP_NAME: $npass passed, $nfail failed, $ntodo todo"
    [ "$nfail" = 0 ]
    exit
}
