#!/usr/bin/env bash
# Regenerates the fact table at the end of docs/facts.md from the corpus (huiqi facts --json).
set -euo pipefail
cd "$(dirname "$0")/.."
doc=docs/facts.md
marker='<!-- generated: facts -->'
head=$(sed "/$marker/q" "$doc")
{
    printf '%s\n\n' "$head"
    echo '| fact | type | yearly | 名称 | 数据来源 |'
    echo '| --- | --- | --- | --- | --- |'
    build/huiqi facts --json | jq -r '.facts[] | "| `\(.name)` | \(.type) | \(if .yearly then "是" else "" end) | \(.label) | \(.from) |"'
    echo
    echo '**Lists** (`lists`):'
    echo
    build/huiqi facts --json | jq -r '.lists[] | "- `\(.name)` — \(.label) (\(.from))"'
    echo
    echo '**Recognitions** (`recognitions`):'
    echo
    build/huiqi facts --json | jq -r '.recognitions[] | "- `\(.name)` — \(.label); levels: \(if .levels then (.levels | join(" < ")) else "none" end)\(if .grades then "; grades: " + (.grades | join(" < ")) else "" end) (\(.from))"'
} >"$doc.new"
mv "$doc.new" "$doc"
