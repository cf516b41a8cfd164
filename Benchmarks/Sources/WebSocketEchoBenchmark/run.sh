#!/usr/bin/env bash
# WebSocket echo round-trip throughput: SESIOR's websocket-echo-server vs Node's `ws` echo server,
# same client (echo-client.js, Node `ws`), same settings, in one run. Prints key=value lines:
#   sesior_<scenario>_messages_per_second, node_ws_<scenario>_messages_per_second, ratio_<scenario>,
#   sesior_<scenario>_messages_per_server_cpu_second, node_ws_..., cpu_ratio_<scenario>
# Scenarios: small text (64 B), 16 KiB binary, 16 KiB text with permessage-deflate.
# Fails (exit 1, reason on stderr, no figure printed for that scenario) when a subject echoes
# nothing or too little to measure: a 0 is never printed as a result.
# Usage: run.sh [SERVER_BINARY]   (default: builds websocket-echo-server in release)
# Environment: CONNECTIONS=16 SECONDS_PER_RUN=5 (measured seconds per subject and scenario;
# not SECONDS, which is bash's own clock), ROUNDS=1 (alternating rounds; the median is printed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
connections="${CONNECTIONS:-16}"
seconds="${SECONDS_PER_RUN:-5}"
rounds="${ROUNDS:-1}"
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
wait_port "$sesior_port" || { echo "websocket-echo-server did not start on port $sesior_port" >&2; exit 1; }
wait_port "$node_port" || { echo "node-ws-echo-server.js did not start on port $node_port" >&2; exit 1; }

failed=0
# measure SUBJECT PORT PID SIZE DEFLATE BINARY: prints "messages_per_second cpu_figure", or fails.
measure() {
    local subject=$1 port=$2 pid=$3 size=$4 deflate=$5 binary_flag=$6 out
    kill -0 "$pid" 2>/dev/null || { echo "$subject: the server (pid $pid) is not running" >&2; return 1; }
    if ! out=$(node "$here/echo-client.js" "ws://127.0.0.1:$port/" "$connections" "$size" "$seconds" \
        "$deflate" "$binary_flag" "$pid"); then
        echo "$subject: echo-client.js failed: $(tail -1 <<<"$out")" >&2
        return 1
    fi
    local rate cpu
    rate=$(grep -E '^messages_per_second=' <<<"$out" | cut -d= -f2)
    cpu=$(grep -E '^messages_per_server_cpu_second=' <<<"$out" | cut -d= -f2)
    [ -n "$rate" ] && [ -n "$cpu" ] || { echo "$subject: echo-client.js printed no figures" >&2; return 1; }
    echo "$rate $cpu"
}
median() { python3 -c 'import statistics, sys; print(round(statistics.median(float(x) for x in sys.argv[1:])))' "$@"; }

for scenario in "text64 64 0 0" "binary16k 16384 0 1" "deflate16k 16384 1 0"; do
    read -r name size deflate binary_flag <<<"$scenario"
    s_rates=() s_cpus=() n_rates=() n_cpus=() ok=1
    for _ in $(seq 1 "$rounds"); do
        if s=$(measure sesior "$sesior_port" "$sesior_pid" "$size" "$deflate" "$binary_flag") &&
           n=$(measure node_ws "$node_port" "$node_pid" "$size" "$deflate" "$binary_flag"); then
            read -r a b <<<"$s"; s_rates+=("$a"); s_cpus+=("$b")
            read -r a b <<<"$n"; n_rates+=("$a"); n_cpus+=("$b")
        else
            ok=0
            break
        fi
    done
    if [ "$ok" = 0 ]; then
        echo "scenario $name: not measured (see the reason above)" >&2
        failed=1
        continue
    fi
    sesior=$(median "${s_rates[@]}") node_ws=$(median "${n_rates[@]}")
    sesior_cpu=$(median "${s_cpus[@]}") node_cpu=$(median "${n_cpus[@]}")
    echo "sesior_${name}_messages_per_second=$sesior"
    echo "node_ws_${name}_messages_per_second=$node_ws"
    python3 -c "print('ratio_${name}=%.2f' % ($sesior / $node_ws))"
    echo "sesior_${name}_messages_per_server_cpu_second=$sesior_cpu"
    echo "node_ws_${name}_messages_per_server_cpu_second=$node_cpu"
    python3 -c "print('cpu_ratio_${name}=%.2f' % ($sesior_cpu / $node_cpu))"
done
exit "$failed"
