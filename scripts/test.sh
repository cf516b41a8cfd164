#!/usr/bin/env bash
# Everything CI checks. Each stage prints a banner; the first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
export PATH="$PWD/.venv/bin:$PATH"
export SWIFT_BACKTRACE=enable=no

stage() { printf '\n=== %s ===\n' "$*"; }

stage "swift test (unit, integration, interop)"
swift build --build-tests
swift test --skip-build

if [ -x scripts/autobahn.sh ]; then
  stage "WebSocket conformance (Autobahn cases via kosoku)"
  scripts/autobahn.sh release
fi

if [ -x scripts/fuzz.sh ]; then
  stage "short fuzz run of every target"
  scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
fi
