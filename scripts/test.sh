#!/usr/bin/env bash
# Every test: installs the dependencies, then runs the suite twice, once as built and once
# under AddressSanitizer + UndefinedBehaviorSanitizer, and the threaded parts (the HTTP API
# tests and a threaded match of the demo city) under ThreadSanitizer (make test: test-plain,
# test-asan, test-tsan; the Makefile's SANITIZER= switch), checks that the tree also
# builds warning-free with clang, runs the store-level suites again on a throwaway PostgreSQL
# cluster (tests/pg/run.sh; a SKIP while huiqi is built without that back end), and finally
# runs the end-to-end browser tests (tests/e2e: Playwright driving Debian's Chromium against
# `huiqi serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --e2e
make -s clean
make -s BUILD=build/clang CC=clang all unit
make test
bash tests/pg/run.sh
bash tests/e2e/run.sh
