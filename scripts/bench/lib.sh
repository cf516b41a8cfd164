# Shared helpers of scripts/bench.sh (sourced, not run). Everything started through `bench_start`
# is recorded and stopped by `bench_cleanup`, which bench.sh installs as its EXIT trap.

BENCH_PIDS=()
BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# bench_log MESSAGE...: a progress line on stderr, prefixed with the time.
bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# free_port: prints a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# bench_start NAME LOGFILE CMD...: starts CMD in the background, logs to LOGFILE, records its pid.
# The pid is left in BENCH_LAST_PID.
bench_start() {
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  BENCH_LAST_PID=$!
  BENCH_PIDS+=("$BENCH_LAST_PID")
  bench_log "started $name (pid $BENCH_LAST_PID)"
}

# bench_stop PID: stops one process started by bench_start (TERM, then KILL after 3 s).
bench_stop() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# bench_cleanup: stops every process bench_start started, newest first.
bench_cleanup() {
  local i
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
    bench_stop "${BENCH_PIDS[$i]}"
  done
  BENCH_PIDS=()
}

# bench_forget PID: drops PID from the processes bench_cleanup stops.
bench_forget() {
  local kept=() p
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

# bench_run SECONDS OUT ERR CMD...: runs CMD bounded by SECONDS, stdout to OUT, stderr to ERR,
# and returns its exit status. It runs as a recorded background job that the script waits for,
# so Ctrl-C or SIGTERM interrupts the script at once and the EXIT trap stops CMD.
bench_run() {
  local seconds=$1 out=$2 err=$3 pid rc
  shift 3
  timeout "$seconds" "$@" >"$out" 2>"$err" &
  pid=$!
  BENCH_PIDS+=("$pid")
  wait "$pid"
  rc=$?
  bench_forget "$pid"
  return "$rc"
}

# wait_http URL SECONDS [PID]: waits until URL answers (any HTTP status). Fails early if PID died.
wait_http() {
  local url=$1 pid=${3:-} deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [ "$(http_status "$url")" != 000 ] && return 0
    sleep 0.2
  done
  return 1
}

# wait_tcp PORT SECONDS: waits until something listens on 127.0.0.1:PORT.
wait_tcp() {
  local port=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# http_status URL [-H "NAME: VALUE"]...: prints the HTTP status code (000 when nothing answered).
http_status() {
  local url=$1 headers=()
  shift
  while [ $# -ge 2 ] && [ "$1" = -H ]; do headers+=("$2"); shift 2; done
  python3 "$BENCH_LIB_DIR/http_get.py" status "$url" "${headers[@]}"
}

# http_body URL [-H "NAME: VALUE"]...: prints the response body.
http_body() {
  local url=$1 headers=()
  shift
  while [ $# -ge 2 ] && [ "$1" = -H ]; do headers+=("$2"); shift 2; done
  python3 "$BENCH_LIB_DIR/http_get.py" body "$url" "${headers[@]}"
}

# proc_cpu_ticks PID: CPU time (user + system, all threads) the process used so far, in clock
# ticks (getconf CLK_TCK per second); empty when there is no such process.
proc_cpu_ticks() {
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 0
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# run_wrk LOGFILE PID URL [WRK ARGS...]: one measured wrk run with the common settings, after a
# warm-up run of BENCH_WARMUP seconds. Prints "REQUESTS_PER_S REQUESTS SERVER_CPU_SECONDS" (the
# CPU time PID used during the measured run, "-" without a PID). Fails (prints nothing) when
# wrk saw non-2xx answers or finished no request.
run_wrk() {
  local log=$1 pid=$2 url=$3 before after cpu=-
  shift 3
  local common=(-t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS")
  $WRK_PREFIX wrk "${common[@]}" -d "${BENCH_WARMUP}s" "$@" "$url" >/dev/null 2>&1 || true
  before=$(proc_cpu_ticks "$pid")
  $WRK_PREFIX wrk "${common[@]}" -d "${BENCH_DURATION}s" --latency "$@" "$url" >"$log" 2>&1 || return 1
  after=$(proc_cpu_ticks "$pid")
  if [ -n "$before" ] && [ -n "$after" ]; then
    cpu=$(awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }')
  fi
  if grep -q 'Non-2xx or 3xx responses' "$log"; then
    bench_log "wrk: non-2xx answers from $url, run discarded (see $log)"
    return 1
  fi
  if grep -Eq 'Socket errors:.*(read|write|timeout) [1-9]' "$log"; then
    bench_log "wrk: socket errors against $url (see $log)"
  fi
  awk -v cpu="$cpu" '/ requests in / { n = $1 } /^Requests\/sec:/ { rps = $2 }
    END { if (rps == "" || n == "") exit 1; print rps, n, cpu }' "$log"
}

# wrk_latency LOGFILE PERCENT: the latency percentile (e.g. 50 or 99) from a `wrk --latency` log.
wrk_latency() {
  awk -v p="$2%" '$1 == p { print $2; exit }' "$1"
}

# record KEY VALUE: appends one result to the results file that write_doc.py reads.
record() {
  printf '%s\t%s\n' "$1" "$2" >>"$BENCH_RESULTS"
}

# swift_product_available PACKAGE_DIR PRODUCT: true when the manifest names that product (or the
# executable target SwiftPM makes a product of). A plain text check: asking SwiftPM would resolve
# the package's dependencies first.
swift_product_available() {
  local dir=$1 product=$2
  [ -f "$dir/Package.swift" ] && grep -q "name: *\"$product\"" "$dir/Package.swift"
}

# load_note: the 1-minute load average and how many swift-frontend processes run right now.
load_note() {
  local load frontends
  load=$(cut -d' ' -f1 /proc/loadavg)
  frontends=$(pgrep -c -x swift-frontend 2>/dev/null) || true
  echo "load ${load}, ${frontends:-0} swift-frontend running"
}
