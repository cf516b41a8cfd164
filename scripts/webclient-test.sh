#!/usr/bin/env bash
# Web client tests (Sources/SesiorServer/Public):
#   1. the Socket.IO packet codec of socketio-client.js (Node's test runner),
#   2. socketio-client.js against python-socketio, the reference server (headless Chromium),
#   3. the SESIOR page in headless Chromium against the mock API (Tests/WebClient/mock_server.py),
#      or against a running server with --server-url.
# Usage:
#   scripts/webclient-test.sh [--screenshots DIR]
#   scripts/webclient-test.sh --server-url http://127.0.0.1:7331 --cross-origin-port 7400
#       (that server must allow the origin http://127.0.0.1:7400: sesior --cors-origin http://127.0.0.1:7400)
#   scripts/webclient-test.sh --conformance-url http://127.0.0.1:3000
#       (also runs the client against a Socket.IO test-suite server, protocol-facts §6)
#   scripts/webclient-test.sh --browser-only --server-url https://127.0.0.1:7331 --cross-origin-port 7400 \
#       --tls-cert cert.pem --tls-key key.pem
#       (only test 3, over https: what scripts/e2e-browser.sh --tls runs)
# Needs: chromium and nodejs (apt), python-socketio, aiohttp, websocket-client (PyPI, in .venv).
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

py=${PYTHON:-}
if [ -z "$py" ]; then
  if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
fi
missing=()
command -v node >/dev/null 2>&1 || missing+=("nodejs (apt)")
command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 || missing+=("chromium (apt)")
"$py" -c 'import socketio, aiohttp, websocket' 2>/dev/null || missing+=("python-socketio aiohttp websocket-client (PyPI, for $py)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "error: missing ${missing[*]}" >&2
  echo "  apt-get install -y chromium nodejs; .venv/bin/pip install 'python-socketio>=5.11' aiohttp websocket-client" >&2
  exit 2
fi

protocol_args=()
browser_args=()
browser_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --browser-only) browser_only=1; shift ;;
    --conformance-url) protocol_args+=("$1" "$2"); shift 2 ;;
    --conformance-url=*) protocol_args+=("$1"); shift ;;
    *) browser_args+=("$1"); shift ;;
  esac
done

export WEBCLIENT_LOG_DIR=${WEBCLIENT_LOG_DIR:-$(mktemp -d)}
status=0
if [ $browser_only = 0 ]; then
  echo "--- socketio-client.js packet codec (node --test)"
  node --test --test-reporter=dot Tests/WebClient/codec_test.mjs || status=1
  echo "--- socketio-client.js against python-socketio (Chromium)"
  "$py" Tests/WebClient/protocol_test.py ${protocol_args[@]+"${protocol_args[@]}"} || status=1
fi
echo "--- SESIOR page in Chromium"
"$py" Tests/WebClient/browser_test.py ${browser_args[@]+"${browser_args[@]}"} || status=1
[ $status -eq 0 ] || echo "server logs: $WEBCLIENT_LOG_DIR" >&2
exit $status
