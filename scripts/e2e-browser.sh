#!/usr/bin/env bash
# The web client in headless Chromium against the real `sesior` (not the mock API):
# builds sesior (debug), starts it on a free port with the in-memory store and
# --cors-origin http://127.0.0.1:<P>, runs scripts/webclient-test.sh --server-url … --cross-origin-port P,
# and stops the server. Extra arguments go to webclient-test.sh.
# Needs what webclient-test.sh needs (chromium, nodejs, .venv with python-socketio aiohttp websocket-client).
set -euo pipefail
cd "$(dirname "$0")/.."

py=${PYTHON:-}
if [ -z "$py" ]; then
  if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
fi
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

swift build --product sesior
bin="$(swift build --show-bin-path)/sesior"

cross_port=$(free_port)
logs=$(mktemp -d)
SESIOR_SECRET="e2e-browser-$RANDOM$RANDOM" "$bin" --host 127.0.0.1 --port 0 \
  --cors-origin "http://127.0.0.1:$cross_port" >"$logs/sesior.out" 2>"$logs/sesior.err" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT

url=""
for _ in $(seq 300); do
  url=$(sed -n 's/^sesior listening on \(http[^ ]*\) .*/\1/p' "$logs/sesior.out" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$logs/sesior.err" >&2; echo "error: sesior exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "error: sesior did not print its URL (logs in $logs)" >&2; exit 1; }
echo "--- sesior at $url (cross origin http://127.0.0.1:$cross_port, logs in $logs)"

status=0
PYTHON="$py" scripts/webclient-test.sh --server-url "$url" --cross-origin-port "$cross_port" "$@" || status=$?
[ $status -eq 0 ] || { echo "sesior stderr:" >&2; tail -n 50 "$logs/sesior.err" >&2; }
exit $status
