#!/usr/bin/env bash
# The Hummingbird embedding example (Examples/HummingbirdSessions): builds the real `sesior`
# (debug) in the main package, then builds and runs the example package's tests, which start one
# redis-server with `sesior` and `hummingbird-sessions` on it and check that each server accepts
# the other's sessions. Extra arguments go to `swift test` (e.g. --filter SessionSharingTests).
# Needs redis-server (apt-get install redis-server). Exits non-zero when a build or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product sesior
SESIOR_BINARY="$(swift build --show-bin-path)/sesior"
export SESIOR_BINARY
echo "--- sesior: $SESIOR_BINARY"

swift test --package-path Examples/HummingbirdSessions "$@"
