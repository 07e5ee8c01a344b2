#!/usr/bin/env bash
# Installs what huiqi needs to build and test on a fresh Debian (12) machine. Every package
# is Debian's own; nothing is downloaded from elsewhere. Safe to run twice.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
PKGS=(
    build-essential pkg-config   # gcc, make
    clang libclang-rt-14-dev     # second compiler for -Werror builds; libFuzzer for make fuzz
    libjansson-dev               # JSON: entity input, case files, --json output
    libssl-dev                   # SHA-256 for corpus hashes and decision ids (libcrypto)
    libcmocka-dev                # unit tests
    libsqlite3-dev sqlite3       # the ledger store (WAL); sqlite3 CLI for the reliability tests
    libpq-dev                    # the PostgreSQL back end of the ledger store (libpq)
    libxlsxwriter-dev            # reports as Excel workbooks
    libzip-dev libexpat1-dev     # reading departments' Excel workbooks (.xlsx: a zip of XML parts)
    libmicrohttpd-dev            # HTTP server (thread pool, epoll)
    libargon2-dev                # password hashing (argon2id)
    jq curl                      # JSON checks and HTTP calls in the test scripts
    postgresql                   # server and psql: tests/pg runs the suites on a throwaway cluster
)
# The browser tests (tests/e2e) also need a browser and Node.js: `setup.sh --e2e`.
# `make bench` needs wrk and bc, `make bench-anchors` python3 and time: `setup.sh --bench`.
for arg in "$@"; do
    case $arg in
    --e2e)
        PKGS+=(chromium fonts-wqy-microhei)                  # the browser, and a CJK font for screenshots
        command -v node >/dev/null && command -v npm >/dev/null || PKGS+=(nodejs npm)
        ;;
    --bench) PKGS+=(wrk bc python3 time) ;;
    esac
done
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
