#!/usr/bin/env bash
# WebSocket echo round-trip throughput: SESIOR's websocket-echo-server vs Node's `ws` echo server,
# same client (echo-client.js, Node `ws`), same settings, in one run. Prints key=value lines:
#   sesior_<scenario>_messages_per_second, node_ws_<scenario>_messages_per_second, ratio_<scenario>
# Scenarios: small text (64 B), 16 KiB binary, 16 KiB text with permessage-deflate.
# Usage: run.sh [SERVER_BINARY]   (default: builds websocket-echo-server in release)
# Environment: CONNECTIONS=16 SECONDS=5
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
connections="${CONNECTIONS:-16}"
seconds="${SECONDS_PER_RUN:-${SECONDS:-5}}"
binary="${1:-}"
if [ -z "$binary" ]; then
    (cd "$root" && swift build -c release --product websocket-echo-server >&2)
    binary="$(cd "$root" && swift build -c release --show-bin-path)/websocket-echo-server"
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2).close()" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

sesior_port=$(free_port)
node_port=$(free_port)
"$binary" --port "$sesior_port" >/dev/null 2>&1 &
sesior_pid=$!
node "$here/node-ws-echo-server.js" "$node_port" >/dev/null 2>&1 &
node_pid=$!
trap 'kill $sesior_pid $node_pid 2>/dev/null || true' EXIT
wait_port "$sesior_port"
wait_port "$node_port"

figure() { grep -E '^messages_per_second=' | cut -d= -f2; }
for scenario in "text64 64 0 0" "binary16k 16384 0 1" "deflate16k 16384 1 0"; do
    read -r name size deflate binary_flag <<<"$scenario"
    sesior=$(node "$here/echo-client.js" "ws://127.0.0.1:$sesior_port/" "$connections" "$size" "$seconds" "$deflate" "$binary_flag" | figure)
    node_ws=$(node "$here/echo-client.js" "ws://127.0.0.1:$node_port/" "$connections" "$size" "$seconds" "$deflate" "$binary_flag" | figure)
    echo "sesior_${name}_messages_per_second=$sesior"
    echo "node_ws_${name}_messages_per_second=$node_ws"
    python3 -c "print('ratio_${name}=%.2f' % ($sesior / $node_ws))"
done
