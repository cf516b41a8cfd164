#!/usr/bin/env bash
# Everything CI checks, stage by stage; the first failing stage stops the run.
# Each stage prints its duration; the run ends with one line "stages: N passed, N failed in Ns".
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
export PATH="$PWD/.venv/bin:$PATH"
export SESIOR_PYTHON="$PWD/.venv/bin/python"
export SESIOR_PYTHON_EIO3="$PWD/.venv-eio3/bin/python"
export SWIFT_BACKTRACE=enable=no

passed=0
run_stage() {
  local name=$1
  shift
  printf '\n=== %s ===\n' "$name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '=== %s: passed in %ss ===\n' "$name" $((SECONDS - started))
  else
    printf '=== %s: FAILED after %ss ===\n' "$name" $((SECONDS - started))
    echo "stages: $passed passed, 1 failed in ${SECONDS}s"
    exit 1
  fi
}

run_stage "build (debug, with tests)" swift build --build-tests
run_stage "swift test (unit, integration, interop, end-to-end)" swift test --skip-build
run_stage "Hummingbird embedding example (sesior and hummingbird-sessions on one Redis)" scripts/hummingbird-example.sh
run_stage "doc comments on every public declaration" python3 scripts/check-doc-comments.py
run_stage "API documentation (DocC, warnings fail)" scripts/docs.sh
run_stage "web client against a mock API (JS codec, Socket.IO protocol, headless Chromium)" scripts/webclient-test.sh
run_stage "web client against the real sesior (headless Chromium, cross-origin)" scripts/e2e-browser.sh
run_stage "web client against sesior over https/wss (self-signed certificate, headless Chromium)" scripts/e2e-browser.sh --tls
run_stage "WebSocket conformance (Autobahn cases via kosoku)" scripts/autobahn.sh release
run_stage "short fuzz run of every target (optimised + ASan, ${FUZZ_SECONDS:-30}s each)" scripts/fuzz.sh "${FUZZ_SECONDS:-30}"

echo "stages: $passed passed, 0 failed in ${SECONDS}s"
