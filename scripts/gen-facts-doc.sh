#!/usr/bin/env bash
# Regenerates the fact table at the end of docs/facts.md from the corpus (huiqi facts --json).
# With --check, the current docs/facts.md must equal what would be written.
set -euo pipefail
cd "$(dirname "$0")/.."
HQ=${HQ:-build/huiqi}
doc=docs/facts.md
marker='<!-- generated: facts -->'
head=$(sed "/$marker/q" "$doc")
new=$(mktemp)
trap 'rm -f "$new"' EXIT
{
    printf '%s\n\n' "$head"
    echo '| fact | type | yearly | 名称 | 数据来源 |'
    echo '| --- | --- | --- | --- | --- |'
    "$HQ" facts --json | jq -r '.facts[] | "| `\(.name)` | \(.type) | \(if .yearly then "是" else "" end) | \(.label) | \(.from) |"'
    echo
    echo '**Lists** (`lists`):'
    echo
    "$HQ" facts --json | jq -r '.lists[] | "- `\(.name)` — \(.label) (\(.from))"'
    echo
    echo '**Recognitions** (`recognitions`):'
    echo
    "$HQ" facts --json | jq -r '.recognitions[] | "- `\(.name)` — \(.label); levels: \(if .levels then (.levels | join(" < ")) else "none" end)\(if .grades then "; grades: " + (.grades | join(" < ")) else "" end) (\(.from))"'
} >"$new"
if [ "${1:-}" = --check ]; then
    cmp -s "$doc" "$new" && exit 0
    echo "gen-facts-doc: docs/facts.md is not current; run scripts/gen-facts-doc.sh" >&2
    diff "$doc" "$new" | head -20 >&2 || true
    exit 1
fi
cp "$new" "$doc"
