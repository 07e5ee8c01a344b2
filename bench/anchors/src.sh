# src.sh (sourced by check.sh and run.sh): sets SRC, the bench-anchors folder: $ANCHORS_SRC, else
# ../shared/bench-anchors beside the repository (beside the main checkout for a git worktree).
if [ -n "${ANCHORS_SRC:-}" ]; then
    SRC=$ANCHORS_SRC
elif [ -d "$ROOT/../shared/bench-anchors" ]; then
    SRC=$ROOT/../shared/bench-anchors
else
    common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    SRC=$(dirname "${common:-$ROOT/.git}")/../shared/bench-anchors
fi
[ -f "$SRC/gen.py" ] || { echo "bench-anchors not found at $SRC (set ANCHORS_SRC)" >&2; exit 2; }
SRC=$(cd "$SRC" && pwd)
