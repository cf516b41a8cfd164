#!/usr/bin/env bash
# The web client in headless Chromium against the real `sesior` (not the mock API):
# builds sesior (debug), starts it on a free port with the in-memory store and
# --cors-origin http://127.0.0.1:<P>, runs scripts/webclient-test.sh --server-url … --cross-origin-port P,
# and stops the server. Extra arguments go to webclient-test.sh.
#   scripts/e2e-browser.sh --tls   the same page over https/wss: a self-signed certificate for
#       IP:127.0.0.1 made now (openssl, in a temp dir), sesior --tls-cert/--tls-key, the second
#       origins on https with that certificate (--cors-origin https://127.0.0.1:<P>), Chromium told
#       to trust exactly its key (--ignore-certificate-errors-spki-list). Only the browser tests run
#       (the codec and protocol tests do not depend on the server).
# Needs what webclient-test.sh needs (chromium, nodejs, .venv with python-socketio aiohttp websocket-client).
set -euo pipefail
cd "$(dirname "$0")/.."

tls=0
if [ "${1:-}" = --tls ]; then
  tls=1
  shift
fi

py=${PYTHON:-}
if [ -z "$py" ]; then
  if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
fi
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

swift build --product sesior
bin="$(swift build --show-bin-path)/sesior"

cross_port=$(free_port)
logs=$(mktemp -d)
scheme=http tls_flags=() test_flags=()
if [ $tls = 1 ]; then
  scheme=https
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -keyout "$logs/key.pem" -out "$logs/cert.pem" \
    -subj /CN=sesior-e2e -addext subjectAltName=IP:127.0.0.1 >"$logs/openssl.log" 2>&1 ||
    { cat "$logs/openssl.log" >&2; echo "error: openssl could not make a certificate" >&2; exit 1; }
  tls_flags=(--tls-cert "$logs/cert.pem" --tls-key "$logs/key.pem")
  test_flags=(--browser-only "${tls_flags[@]}")
fi
SESIOR_SECRET="e2e-browser-$RANDOM$RANDOM" "$bin" --host 127.0.0.1 --port 0 ${tls_flags[@]+"${tls_flags[@]}"} \
  --cors-origin "$scheme://127.0.0.1:$cross_port" >"$logs/sesior.out" 2>"$logs/sesior.err" &
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
case "$url" in "$scheme://"*) ;; *) echo "error: sesior listens on $url, not $scheme" >&2; exit 1 ;; esac
echo "--- sesior at $url (cross origin $scheme://127.0.0.1:$cross_port, logs in $logs)"

status=0
PYTHON="$py" scripts/webclient-test.sh --server-url "$url" --cross-origin-port "$cross_port" \
  ${test_flags[@]+"${test_flags[@]}"} "$@" || status=$?
[ $status -eq 0 ] || { echo "sesior stderr:" >&2; tail -n 50 "$logs/sesior.err" >&2; }
echo "--- e2e-browser ($scheme): exit $status after ${SECONDS}s (build included)"
exit $status
