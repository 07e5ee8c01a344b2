#!/usr/bin/env bash
# Every test: installs the dependencies, then runs the suite twice, once as built and once
# under AddressSanitizer + UndefinedBehaviorSanitizer (make test), and checks that the
# tree also builds warning-free with clang.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
make -s clean
make -s BUILD=build/clang CC=clang all unit
make test
