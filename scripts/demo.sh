#!/usr/bin/env bash
# The main job on the bundled demo data: install, build, check the policy corpus, then tell
# each demo enterprise what it is owed under 温政发〔2020〕12号 and why.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
make -s
build/huiqi check policies
for e in demo/entities/*.json; do
    echo
    echo "=============== $e"
    build/huiqi eval --entity "$e" --history demo/history.json
done
echo
echo "=============== 单项解释 (huiqi explain)"
build/huiqi explain 12-7-12 --entity demo/entities/fashion-design.json
