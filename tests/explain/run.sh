#!/usr/bin/env bash
# Golden explanation texts (tests/explain/cases.txt): `huiqi explain` of each case must print
# exactly the expected text. With --update, write the texts instead of comparing them.
set -u
BUILD=${BUILD:-build}
HQ="$BUILD/huiqi"
dir=$(dirname "$0")
update=0
[ "${1:-}" = "--update" ] && update=1
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
while read -r name corpus item year; do
    case "$name" in '' | '#'*) continue ;; esac
    # The last line holds the decision id and the corpus hash, which change with any rule edit.
    "$HQ" explain "$item" --entity "$dir/$name.json" --year "$year" --policies "$corpus" | grep -v '决策编号：' >"$out"
    if [ $update = 1 ]; then
        cp "$out" "$dir/$name.txt"
    elif diff -u "$dir/$name.txt" "$out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: explanation of $item for $name differs (bash tests/explain/run.sh --update rewrites it)"
    fi
done <"$dir/cases.txt"
echo "explanations: $pass passed, $fail failed"
[ "$fail" = 0 ]
