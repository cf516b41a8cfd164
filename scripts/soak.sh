#!/usr/bin/env bash
# `make soak`: fault, load and hostile-input scenarios against a release `sesior` on loopback
# (scripts/soak/*.py; Docs/RELIABILITY.md describes each). Every scenario prints PASS/FAIL lines
# with its measured figures; the script exits non-zero if any check failed.
#   a. redis_restart.py  — Redis killed (SIGKILL) and restarted under session reads and writes
#   b. connect_cycles.py — 10,000 Socket.IO connect/disconnect cycles: RSS and descriptors
#   c. slow_clients.py   — slowloris heads, never-reading HTTP and WebSocket clients
#   d. oversize.py       — oversize input at every layer, a normal client served meanwhile
# About 3–5 minutes at the default scale. Environment:
#   SOAK_SCALE=N       multiplies load durations, cycle and connection counts (default 1)
#   SOAK_ONLY="a c"    runs only these scenarios
#   SESIOR_BIN, ECHO_BIN  use already built binaries (default: swift build -c release)
#   SOAK_SCRATCH_PATH  SwiftPM scratch folder of the release build (default .build)
#   SOAK_RESULTS       file receiving one JSON line per check (default reports/soak.jsonl)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$SECONDS

python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python

scratch=${SOAK_SCRATCH_PATH:-.build}
if [ -z "${SESIOR_BIN:-}" ] || [ -z "${ECHO_BIN:-}" ]; then
  echo "[soak] building sesior and websocket-echo-server (release, $scratch)"
  for product in sesior websocket-echo-server; do
    swift build -c release --scratch-path "$scratch" --product "$product" >/tmp/sesior-soak-build.log 2>&1 || {
      tail -30 /tmp/sesior-soak-build.log
      echo "[soak] FAIL: $product did not build"
      exit 1
    }
  done
  bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
  export SESIOR_BIN=${SESIOR_BIN:-$bin/sesior} ECHO_BIN=${ECHO_BIN:-$bin/websocket-echo-server}
fi
command -v redis-server >/dev/null || { echo "[soak] FAIL: redis-server is not installed"; exit 1; }

mkdir -p reports
export SOAK_RESULTS=${SOAK_RESULTS:-$root/reports/soak.jsonl}
: >"$SOAK_RESULTS"

declare -A scripts=([a]=redis_restart [b]=connect_cycles [c]=slow_clients [d]=oversize)
failed=()
for letter in ${SOAK_ONLY:-a b c d}; do
  name=${scripts[$letter]:-}
  [ -n "$name" ] || { echo "[soak] unknown scenario '$letter'"; failed+=("$letter"); continue; }
  echo "== soak $letter: $name"
  t0=$SECONDS
  # Each scenario is bounded: it stops its own processes; 10 minutes at most, scaled.
  limit=$(awk -v s="${SOAK_SCALE:-1}" 'BEGIN { printf "%d", 600 * (s < 1 ? 1 : s) }')
  if ! timeout --kill-after=10 "$limit" "$python" "scripts/soak/$name.py"; then
    failed+=("$letter:$name")
  fi
  echo "== soak $letter: $((SECONDS - t0)) s"
done

passes=$(grep -c '"pass": true' "$SOAK_RESULTS")
fails=$(grep -c '"pass": false' "$SOAK_RESULTS")
echo "== soak summary: $passes passed, $fails failed checks in $((SECONDS - started)) s (results: $SOAK_RESULTS)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "[soak] FAIL: ${failed[*]}"
  exit 1
fi
echo "[soak] PASS"
