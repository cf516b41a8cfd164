#!/usr/bin/env bash
# `make bench`: SESIOR against its peers on loopback, results in Docs/PERFORMANCE.md.
#
# Scenarios (select with BENCH_ONLY="plain metrics session tls redis parser codec websocket fanout cluster memory"):
#   plain     GET /health: sesior vs Express hello-world vs Hummingbird 2 hello-world (wrk)
#   metrics   GET /health: sesior with its Prometheus metrics on vs the same binary with --no-metrics (wrk)
#   session   GET /verify-session with a Redis session: sesior vs an Express stand-in (wrk)
#   tls       the plain and session routes over https: sesior (swift-nio-ssl) vs the same Express
#             peers on Node's https module (wrk)
#   redis     RedisSessionBenchmark vs redis-benchmark -t get on the same redis-server
#   parser    HTTPParserBenchmark (MB/s)
#   codec     CodecBenchmark (session and Socket.IO JSON, ns/op) on this tree vs a base commit
#   websocket WebSocketEchoBenchmark (whatever key=value figures it prints)
#   fanout    Socket.IO broadcast to N clients: SocketIOFanoutServer vs python-socketio's server
#             and a raw Node ws server sending the same frames
#   cluster   the same fan-out through the Redis adapter: one instance, and two instances on one
#             Redis with the clients split over both, against the in-memory single instance
#   memory    resident memory per idle Socket.IO connection at N connections, same two servers
# Settings (environment): BENCH_ROUNDS=5 BENCH_DURATION=5 BENCH_WARMUP=2 BENCH_THREADS=2
#   BENCH_CONNECTIONS=64 BENCH_PIN=0 (1: servers on CPU 0, wrk on CPU 1) BENCH_REDIS_ROUNDS=3
#   BENCH_REDIS_CONCURRENCY=50 BENCH_REDIS_REQUESTS=100000 FANOUT_CLIENTS=1000
#   FANOUT_BROADCASTS=100 FANOUT_PROCESSES=1 FANOUT_ROUNDS=3 FANOUT_CLIENT=swift MEMORY_CLIENTS=10000
#   MEMORY_PROCESSES=4 MEMORY_HOLD=30 BENCH_CODEC_BASE=7dacf84 (empty: no base build) CODEC_ROUNDS=3
#   BENCH_OUTPUT=Docs/PERFORMANCE.md BENCH_KEEP=0
#   BENCH_STANDIN_TOUCH=--touch (set it empty for a stand-in that skips express-session's EXPIRE touch)
#   SESIOR_SESSION_ARGS (extra sesior flags for Redis sessions; detected from --help otherwise)
#   BENCH_SESIOR=0 measures the peers only (sesior is neither built nor started)
# Everything runs on 127.0.0.1; every process the script starts is stopped on exit, Ctrl-C or
# failure (EXIT trap). Every external step is bounded by a timeout.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/bench/lib.sh

BENCH_ONLY=${BENCH_ONLY:-plain metrics session tls redis parser codec websocket fanout cluster memory}
BENCH_FAILED=0
BENCH_ROUNDS=${BENCH_ROUNDS:-5}
BENCH_DURATION=${BENCH_DURATION:-5}
BENCH_WARMUP=${BENCH_WARMUP:-2}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_PIN=${BENCH_PIN:-0}
BENCH_REDIS_ROUNDS=${BENCH_REDIS_ROUNDS:-3}
BENCH_REDIS_CONCURRENCY=${BENCH_REDIS_CONCURRENCY:-50}
BENCH_REDIS_REQUESTS=${BENCH_REDIS_REQUESTS:-100000}
FANOUT_CLIENTS=${FANOUT_CLIENTS:-1000}
FANOUT_BROADCASTS=${FANOUT_BROADCASTS:-100}
FANOUT_PROCESSES=${FANOUT_PROCESSES:-1}
FANOUT_ROUNDS=${FANOUT_ROUNDS:-3}
# Load client of the fan-out scenario: swift (Benchmarks/Sources/SocketIOFanoutClient, on NIO, one
# event-loop thread) or python (Benchmarks/peers/fanout_client.py, FANOUT_PROCESSES processes).
FANOUT_CLIENT=${FANOUT_CLIENT:-swift}
MEMORY_CLIENTS=${MEMORY_CLIENTS:-10000}
MEMORY_PROCESSES=${MEMORY_PROCESSES:-4}
MEMORY_HOLD=${MEMORY_HOLD:-30}
BENCH_OUTPUT=${BENCH_OUTPUT:-Docs/PERFORMANCE.md}
BENCH_KEEP=${BENCH_KEEP:-0}
SESSION_SECRET=bench-secret-$RANDOM$RANDOM
SESSION_USER=alice
export NODE_PATH=/usr/share/nodejs

WORK=$(mktemp -d /tmp/sesior-bench.XXXXXX)
BENCH_RESULTS=$WORK/results.tsv
: >"$BENCH_RESULTS"
finish() {
  bench_cleanup
  if [ "$BENCH_KEEP" = 1 ]; then bench_log "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap finish EXIT
trap 'bench_log "interrupted"; exit 130' INT TERM

PYTHON=python3
[ -x .venv/bin/python ] && PYTHON=$ROOT/.venv/bin/python
WRK_PREFIX="" SERVER_PREFIX=""
if [ "$BENCH_PIN" = 1 ]; then
  WRK_PREFIX="taskset -c 1" SERVER_PREFIX="taskset -c 0"
fi
selected() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }

for tool in wrk redis-server redis-cli redis-benchmark node swift python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (run: make bench as root)" >&2; exit 1; }
done

# ---------------------------------------------------------------- run description
package_version() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$1" 2>/dev/null || echo unknown; }
python_version() { "$PYTHON" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || echo "not installed"; }
hummingbird_version() {
  python3 - <<'PY' 2>/dev/null || echo "2.28.1 or later (not resolved yet)"
import json
pins = json.load(open("Benchmarks/HummingbirdHello/Package.resolved"))["pins"]
print(next(p["state"]["version"] for p in pins if p["identity"] == "hummingbird"))
PY
}
record meta.date "$(date -u '+%Y-%m-%d %H:%M UTC')"
record meta.nproc "$(nproc)"
record meta.cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
record meta.memory "$(free -g | awk '/^Mem:/ { print $2 " GiB RAM" }')"
record meta.kernel "Linux $(uname -r)"
record meta.load_start "$(load_note)"
record meta.swift "$(swift --version 2>&1 | grep -o 'Swift version [0-9.]*' | head -1 | cut -d' ' -f3)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- . ':!Docs/PERFORMANCE.md' 2>/dev/null || commit="$commit (with uncommitted changes)"
record meta.commit "$commit"
record meta.node "$(node --version)"
record meta.express "$(package_version /usr/share/nodejs/express/package.json)"
record meta.node_ws "$(package_version /usr/share/nodejs/ws/package.json)"
record meta.node_redis "$(package_version /usr/share/nodejs/redis/package.json)"
record meta.cookie_signature "$(package_version /usr/share/nodejs/cookie-signature/package.json)"
record meta.python "$("$PYTHON" -c 'import platform; print(platform.python_version())')"
record meta.python_socketio "$(python_version python-socketio)"
record meta.python_engineio "$(python_version python-engineio)"
record meta.aiohttp "$(python_version aiohttp)"
record meta.redis "$(redis-server --version | awk '{ print $1, $2, $3 }')"
record meta.wrk "$(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }')"
for key in rounds duration warmup threads connections; do
  var="BENCH_${key^^}"
  record "meta.$key" "${!var}"
done
if [ "$BENCH_PIN" = 1 ]; then
  record meta.pinning "This run pinned every server to CPU 0 and wrk to CPU 1 (taskset, BENCH_PIN=1)."
else
  record meta.pinning "This run did not pin (BENCH_PIN=0): the kernel schedules wrk's $BENCH_THREADS threads and the server's threads over both cores, so a multi-threaded server shares its cores with wrk while the single-threaded Express process gets at most one."
fi

# ---------------------------------------------------------------- builds
SESIOR_BIN="" HUMMINGBIRD_BIN="" SESIOR_BUILD_REASON=""
need_sesior=0
for s in plain metrics session tls; do selected "$s" && need_sesior=1; done
if [ "${BENCH_SESIOR:-1}" = 0 ]; then
  need_sesior=0
  SESIOR_BUILD_REASON="not measured in this run (BENCH_SESIOR=0)"
fi
if [ "$need_sesior" = 1 ]; then
  bench_log "building sesior (release)"
  if bench_run 1800 "$WORK/build-sesior.log" "$WORK/build-sesior.log" swift build -c release --product sesior; then
    SESIOR_BIN="$(swift build -c release --show-bin-path)/sesior"
  else
    SESIOR_BUILD_REASON="sesior did not build in release ($(grep -m1 'error:' "$WORK/build-sesior.log" | cut -c1-160))"
    bench_log "$SESIOR_BUILD_REASON"
  fi
fi
if selected plain; then
  bench_log "building the Hummingbird hello-world (release)"
  if bench_run 2400 "$WORK/build-hummingbird.log" "$WORK/build-hummingbird.log" \
    swift build -c release --package-path Benchmarks/HummingbirdHello --product hummingbird-hello; then
    HUMMINGBIRD_BIN="$(swift build -c release --package-path Benchmarks/HummingbirdHello --show-bin-path)/hummingbird-hello"
  else
    record plain.hummingbird.reason "the Hummingbird hello-world did not build ($(grep -m1 'error:' "$WORK/build-hummingbird.log" | cut -c1-160))"
  fi
fi
# bench_product PRODUCT: builds a product of the Benchmarks package; sets BENCH_PRODUCT_PATH to
# its executable, or fails with the reason in BENCH_PRODUCT_REASON.
bench_product() {
  local product=$1
  BENCH_PRODUCT_PATH=""
  if ! swift_product_available Benchmarks "$product"; then
    BENCH_PRODUCT_REASON="not available yet (no product $product in Benchmarks/Package.swift)"
    return 1
  fi
  bench_log "building $product (release)"
  if ! bench_run 1800 "$WORK/build-$product.log" "$WORK/build-$product.log" \
    swift build -c release --package-path Benchmarks --product "$product"; then
    BENCH_PRODUCT_REASON="$product did not build ($(grep -m1 'error:' "$WORK/build-$product.log" | cut -c1-160))"
    return 1
  fi
  BENCH_PRODUCT_PATH="$(swift build -c release --package-path Benchmarks --show-bin-path)/$product"
}

record meta.hummingbird "$(hummingbird_version)"
record meta.only "$BENCH_ONLY"

# ---------------------------------------------------------------- shared services
REDIS_PORT="" REDIS_URL="" SESSION_ID="" SESSION_JSON="" SESSION_COOKIE=""
start_redis() {
  REDIS_PORT=$(free_port)
  mkdir -p "$WORK/redis"
  bench_start redis-server "$WORK/redis.log" $SERVER_PREFIX redis-server --bind 127.0.0.1 \
    --port "$REDIS_PORT" --dir "$WORK/redis" --save "" --appendonly no --protected-mode yes
  wait_tcp "$REDIS_PORT" 10 || { bench_log "redis-server did not start"; REDIS_PORT=""; return 1; }
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  # One session in the express-session + connect-redis format (protocol-facts §1–§3).
  { read -r SESSION_ID; read -r SESSION_JSON; read -r SESSION_COOKIE; } \
    < <(python3 scripts/bench/session_cookie.py "$SESSION_SECRET" "$SESSION_USER")
  redis-cli -p "$REDIS_PORT" SET "sess:$SESSION_ID" "$SESSION_JSON" EX 86400 >/dev/null
  # redis-benchmark -t get reads the key `key:__rand_int__`: give it a value of the same size.
  redis-cli -p "$REDIS_PORT" SET "key:__rand_int__" "$SESSION_JSON" >/dev/null
}

SESIOR_PID="" SESIOR_PORT="" SESIOR_REASON=$SESIOR_BUILD_REASON
start_sesior() {
  [ -n "$SESIOR_BIN" ] || return 1
  SESIOR_PORT=$(free_port)
  local extra=() help flag
  help=$("$SESIOR_BIN" --help 2>&1 || true)
  # No request log lines during the benchmark (the peers log nothing either).
  [[ "$help" == *--log-level* ]] && extra+=(--log-level warning)
  if [ -n "${SESIOR_SESSION_ARGS:-}" ]; then
    read -r -a flag <<<"$SESIOR_SESSION_ARGS"
    extra+=("${flag[@]}")
  elif [ -n "$REDIS_URL" ]; then
    # Whatever flags sesior has for its Redis URL and session secret, e.g. --redis-url, --session-secret.
    flag=$(grep -o -- '--[a-z-]*redis[a-z-]*' <<<"$help" | head -1)
    [ -n "$flag" ] && extra+=("$flag" "$REDIS_URL")
    flag=$(grep -o -- '--[a-z-]*secret[a-z-]*' <<<"$help" | head -1)
    [ -n "$flag" ] && extra+=("$flag" "$SESSION_SECRET")
  fi
  record meta.sesior_args "--host 127.0.0.1 --port <free> ${extra[*]}"
  bench_start sesior "$WORK/sesior.log" env SESIOR_REDIS_URL="$REDIS_URL" \
    SESIOR_SESSION_SECRET="$SESSION_SECRET" $SERVER_PREFIX "$SESIOR_BIN" \
    --host 127.0.0.1 --port "$SESIOR_PORT" "${extra[@]}"
  SESIOR_PID=$BENCH_LAST_PID
  if ! wait_http "http://127.0.0.1:$SESIOR_PORT/health" 30 "$SESIOR_PID"; then
    SESIOR_REASON="sesior did not answer on /health ($(tail -1 "$WORK/sesior.log" | cut -c1-160))"
    bench_log "$SESIOR_REASON"
    bench_stop "$SESIOR_PID"
    SESIOR_PID=""
    return 1
  fi
}

# same_json A B: true when both texts are the same JSON value.
same_json() {
  python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1]) == json.loads(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

# health_ok TEXT: true when TEXT is a JSON object whose "status" is "ok". sesior's /health adds
# "redis" (its cached Redis health, PINGed at most once a second) and "instance"; the peers
# answer {"status":"ok"} only.
health_ok() {
  python3 -c 'import json, sys; v = json.loads(sys.argv[1]); sys.exit(0 if isinstance(v, dict) and v.get("status") == "ok" else 1)' "$1" 2>/dev/null
}

if selected session || selected redis || selected tls || selected cluster; then start_redis; fi
if [ "$need_sesior" = 1 ]; then
  if selected plain || selected session || selected tls; then start_sesior; fi
fi

# ---------------------------------------------------------------- plain route
measure_rounds() { # SCENARIO "name|pid|url ..." [wrk args...]: alternating wrk rounds
  local scenario=$1 subjects=($2) round i n log out name pid url rps requests cpu errors
  shift 2
  n=${#subjects[@]}
  for ((round = 0; round < BENCH_ROUNDS; round++)); do
    bench_log "$scenario round $((round + 1))/$BENCH_ROUNDS ($(load_note))"
    for ((i = 0; i < n; i++)); do
      IFS='|' read -r name pid url <<<"${subjects[$(((round + i) % n))]}"
      log="$WORK/wrk-$scenario-$name-$round.log"
      if out=$(run_wrk "$log" "$pid" "$url" "$@"); then
        read -r rps requests cpu <<<"$out"
        record "$scenario.$name.rps" "$rps"
        record "$scenario.$name.requests" "$requests"
        record "$scenario.$name.cpu_s" "$cpu"
        record "$scenario.$name.p50" "$(wrk_latency "$log" 50)"
        record "$scenario.$name.p99" "$(wrk_latency "$log" 99)"
        bench_log "  $name: $rps requests/s, server CPU $cpu s"
        errors=$(grep -o 'Socket errors:.*' "$log" || true)
        [ -n "$errors" ] && record "$scenario.note" "Round $((round + 1)), $name: wrk reported ${errors#Socket errors: } (socket errors; a timeout is a request slower than wrk's 2 s limit)."
      else
        record "$scenario.$name.reason" "a wrk run failed or saw non-2xx answers"
        record "$scenario.note" "Round $((round + 1)): the $name run was discarded (wrk failed or saw non-2xx answers)."
      fi
    done
  done
}

if selected plain; then
  subjects=() health='{"status":"ok"}'
  if [ -n "$SESIOR_PID" ]; then
    body=$(http_body "http://127.0.0.1:$SESIOR_PORT/health")
    if health_ok "$body"; then
      subjects+=("sesior|$SESIOR_PID|http://127.0.0.1:$SESIOR_PORT/health")
      same_json "$body" "$health" ||
        record plain.note "sesior's /health answers \`$body\` ($(printf %s "$body" | wc -c) bytes of body against the peers' ${#health}): its Redis health is PINGed at most once a second in the background of the route, never per request, so the route touches no store."
    else
      record plain.sesior.reason "sesior /health answered '$body' instead of a JSON object with \"status\":\"ok\""
    fi
  else
    record plain.sesior.reason "$SESIOR_REASON"
  fi
  port=$(free_port)
  bench_start express-hello "$WORK/express.log" $SERVER_PREFIX node Benchmarks/peers/express-hello.js --port "$port"
  EXPRESS_PID=$BENCH_LAST_PID
  if wait_http "http://127.0.0.1:$port/health" 30 "$EXPRESS_PID" &&
    same_json "$(http_body "http://127.0.0.1:$port/health")" "$health"; then
    subjects+=("express|$EXPRESS_PID|http://127.0.0.1:$port/health")
  else
    record plain.express.reason "the Express hello-world did not start ($(tail -1 "$WORK/express.log"))"
  fi
  HUMMINGBIRD_PID=""
  if [ -n "$HUMMINGBIRD_BIN" ]; then
    port=$(free_port)
    bench_start hummingbird-hello "$WORK/hummingbird.log" $SERVER_PREFIX "$HUMMINGBIRD_BIN" --port "$port"
    HUMMINGBIRD_PID=$BENCH_LAST_PID
    if wait_http "http://127.0.0.1:$port/health" 30 "$HUMMINGBIRD_PID" &&
      same_json "$(http_body "http://127.0.0.1:$port/health")" "$health"; then
      subjects+=("hummingbird|$HUMMINGBIRD_PID|http://127.0.0.1:$port/health")
    else
      record plain.hummingbird.reason "the Hummingbird hello-world did not start ($(tail -1 "$WORK/hummingbird.log"))"
    fi
  fi
  measure_rounds plain "${subjects[*]}"
  for entry in "sesior $SESIOR_PID" "express $EXPRESS_PID" "hummingbird $HUMMINGBIRD_PID"; do
    set -- $entry
    [ -n "${2:-}" ] && record "plain.$1.rss_kib" "$(ps -o rss= -p "$2" | tr -d ' ')"
  done
  bench_stop "$EXPRESS_PID"
  [ -n "$HUMMINGBIRD_PID" ] && bench_stop "$HUMMINGBIRD_PID"
fi

# ---------------------------------------------------------------- plain route, metrics on and off
# shellcheck source=scripts/bench/metrics.sh
source "$BENCH_LIB_DIR/metrics.sh"

# ---------------------------------------------------------------- session route
if selected session; then
  record session.note "Both servers read the same session: a 32-character id stored as \`sess:<id>\` (connect-redis JSON with default cookie options, \`SET … EX 86400\`), sent as the signed cookie \`connect.sid=s%3A<id>.<HMAC-SHA256>\` in every wrk request (protocol-facts §1–§3)."
  record session.note "The Express peer is a stand-in for express-session + connect-redis (npm is not reachable): Benchmarks/peers/express-session-standin.js parses the cookie (node-cookie), verifies it with node-cookie-signature, reads \`sess:<id>\` with node-redis 4 (one connection, commands pipelined) and, run with \`--touch\`, sends \`EXPIRE sess:<id> 86400\` before answering — the Redis work express-session (resave: false) + connect-redis do on a read-only request: \`store.get\`, then \`store.touch\` (connect-redis: EXPIRE) before the response ends. sesior does the same Redis work in one command: \`GETEX sess:<id> EX 86400\` (the load sets the TTL the touch would set; same resulting TTL, one round trip). The stand-in skips the rest of the real middleware (Session object, modified-check), which favours Node."
  [ "${BENCH_STANDIN_TOUCH---touch}" = --touch ] ||
    record session.note "This run started the stand-in WITHOUT \`--touch\` (BENCH_STANDIN_TOUCH empty): it sent only the GET, one Redis round trip less than sesior and express-session."
  expected="{\"sessionVerified\":true,\"user\":{\"userName\":\"$SESSION_USER\"}}"
  subjects=()
  if [ -z "$REDIS_PORT" ]; then
    record session.sesior.reason "redis-server did not start"
    record session.express.reason "redis-server did not start"
  else
    if [ -n "$SESIOR_PID" ]; then
      status=$(http_status "http://127.0.0.1:$SESIOR_PORT/verify-session" -H "Cookie: $SESSION_COOKIE")
      body=$(http_body "http://127.0.0.1:$SESIOR_PORT/verify-session" -H "Cookie: $SESSION_COOKIE")
      if [ "$status" = 404 ]; then
        echo "sesior /verify-session: not available yet"
        record session.sesior.reason "not available yet: sesior answers 404 on /verify-session"
      elif [ "$status" = 200 ] && same_json "$body" "$expected"; then
        subjects+=("sesior|$SESIOR_PID|http://127.0.0.1:$SESIOR_PORT/verify-session")
      else
        record session.sesior.reason "sesior /verify-session answered $status '$(echo "$body" | cut -c1-120)' instead of $expected"
      fi
    else
      record session.sesior.reason "$SESIOR_REASON"
    fi
    port=$(free_port)
    bench_start express-session-standin "$WORK/express-session.log" $SERVER_PREFIX node \
      Benchmarks/peers/express-session-standin.js --port "$port" --redis "$REDIS_URL" --secret "$SESSION_SECRET" \
      ${BENCH_STANDIN_TOUCH---touch}
    STANDIN_PID=$BENCH_LAST_PID
    url="http://127.0.0.1:$port/verify-session"
    if wait_http "$url" 30 "$STANDIN_PID" && same_json "$(http_body "$url" -H "Cookie: $SESSION_COOKIE")" "$expected"; then
      subjects+=("express|$STANDIN_PID|$url")
    else
      record session.express.reason "the Express stand-in did not answer $expected ($(tail -1 "$WORK/express-session.log"))"
    fi
    measure_rounds session "${subjects[*]}" -H "Cookie: $SESSION_COOKIE"
    bench_stop "$STANDIN_PID"
  fi
fi

# ---------------------------------------------------------------- plain and session routes over TLS
# shellcheck source=scripts/bench/tls.sh
source "$BENCH_LIB_DIR/tls.sh"

# ---------------------------------------------------------------- Redis session reads
if selected redis; then
  record redis.note "Same redis-server, same run, concurrency $BENCH_REDIS_CONCURRENCY for both, $BENCH_REDIS_ROUNDS alternating rounds. redis-benchmark: \`redis-benchmark -t get -c $BENCH_REDIS_CONCURRENCY -n $BENCH_REDIS_REQUESTS -q\` reading a value of the session's size; RedisSessionBenchmark: \`--concurrency $BENCH_REDIS_CONCURRENCY --seconds $BENCH_DURATION\`, session reads through RedisSessionStore (GET + JSON decode)."
  if [ -z "$REDIS_PORT" ]; then
    record redis.sesior.reason "redis-server did not start"
    record redis.redis_benchmark.reason "redis-server did not start"
  else
    REDIS_BENCH_BIN=""
    if bench_product RedisSessionBenchmark; then
      REDIS_BENCH_BIN=$BENCH_PRODUCT_PATH
    else
      record redis.sesior.reason "$BENCH_PRODUCT_REASON"
      echo "RedisSessionBenchmark: $BENCH_PRODUCT_REASON"
    fi
    for ((round = 0; round < BENCH_REDIS_ROUNDS; round++)); do
      bench_log "redis round $((round + 1))/$BENCH_REDIS_ROUNDS ($(load_note))"
      if [ -n "$REDIS_BENCH_BIN" ]; then
        bench_run $((BENCH_DURATION + 60)) "$WORK/redis-session-$round.out" "$WORK/redis-session-$round.err" \
          "$REDIS_BENCH_BIN" --url "$REDIS_URL" --concurrency "$BENCH_REDIS_CONCURRENCY" --seconds "$BENCH_DURATION"
        out=$(cat "$WORK/redis-session-$round.out")
        value=$(grep -o 'redis_session_reads_per_s=[0-9.]*' <<<"$out" | tail -1 | cut -d= -f2)
        if [ -n "$value" ]; then record redis.sesior.rps "$value"; bench_log "  RedisSessionBenchmark: $value reads/s"
        else record redis.sesior.reason "RedisSessionBenchmark printed no redis_session_reads_per_s ($(tail -1 "$WORK/redis-session-$round.err" | cut -c1-120))"; fi
      fi
      bench_run 120 "$WORK/redis-benchmark-$round.out" "$WORK/redis-benchmark-$round.out" redis-benchmark \
        -h 127.0.0.1 -p "$REDIS_PORT" -t get -c "$BENCH_REDIS_CONCURRENCY" -n "$BENCH_REDIS_REQUESTS" -q
      out=$(tr '\r' '\n' <"$WORK/redis-benchmark-$round.out")
      value=$(grep -o 'GET: [0-9.]* requests per second' <<<"$out" | tail -1 | awk '{ print $2 }')
      if [ -n "$value" ]; then record redis.redis_benchmark.rps "$value"; bench_log "  redis-benchmark: $value GET/s"
      else record redis.redis_benchmark.reason "redis-benchmark printed no result"; fi
    done
  fi
fi

# ---------------------------------------------------------------- parser throughput
if selected parser; then
  record parser.note "A realistic ~500-byte browser request parsed repeatedly on one core by HTTPParserBenchmark, which prints the median of its own runs per second of thread CPU time (parser_mb_per_s) and by the wall clock (wall_mb_per_s)."
  if bench_product HTTPParserBenchmark; then
    bench_run 300 "$WORK/parser.out" "$WORK/parser.err" "$BENCH_PRODUCT_PATH"
    out=$(cat "$WORK/parser.out")
    value=$(grep -o 'parser_mb_per_s=[0-9.]*' <<<"$out" | tail -1 | cut -d= -f2)
    if [ -n "$value" ]; then
      record parser.sesior.mbps "$value"
      wall=$(grep -o 'wall_mb_per_s=[0-9.]*' <<<"$out" | tail -1 | cut -d= -f2)
      [ -n "$wall" ] && record parser.note "Wall-clock median of the same runs: $wall MB/s."
      bench_log "parser: $value MB/s (CPU time), ${wall:-?} MB/s (wall clock)"
    else
      record parser.sesior.reason "HTTPParserBenchmark printed no parser_mb_per_s ($(tail -1 "$WORK/parser.err" | cut -c1-120))"
    fi
  else
    record parser.sesior.reason "$BENCH_PRODUCT_REASON"
    echo "HTTPParserBenchmark: $BENCH_PRODUCT_REASON"
  fi
fi

# ---------------------------------------------------------------- JSON codecs against a base commit
# shellcheck source=scripts/bench/codec.sh
source "$BENCH_LIB_DIR/codec.sh"

# ---------------------------------------------------------------- WebSocket codec / echo
if selected websocket; then
  if bench_product WebSocketEchoBenchmark; then
    ws_rc=0
    bench_run 600 "$WORK/websocket.out" "$WORK/websocket.err" "$BENCH_PRODUCT_PATH" || ws_rc=$?
    out=$(cat "$WORK/websocket.out")
    lines=$(grep -E '^[A-Za-z0-9_]+=[0-9.]+$' <<<"$out" || true)
    if [ -n "$lines" ]; then
      while read -r line; do record websocket.sesior.line "$line"; done <<<"$lines"
    fi
    if [ "$ws_rc" != 0 ]; then
      # run.sh prints no figure for a scenario a subject did not deliver; say why, loudly.
      reason=$(grep -E 'echo-client|not running|did not start|not measured' "$WORK/websocket.err" | head -3 | tr '\n' ' ' | cut -c1-300)
      record websocket.sesior.reason "WebSocketEchoBenchmark failed (exit $ws_rc): ${reason:-$(tail -1 "$WORK/websocket.err" | cut -c1-200)}"
      echo "WebSocketEchoBenchmark FAILED (exit $ws_rc): $reason" >&2
    elif [ -z "$lines" ]; then
      record websocket.sesior.reason "WebSocketEchoBenchmark printed no key=value figures"
    fi
  else
    record websocket.sesior.reason "$BENCH_PRODUCT_REASON"
    echo "WebSocketEchoBenchmark: $BENCH_PRODUCT_REASON"
  fi
fi

# ---------------------------------------------------------------- Socket.IO fan-out and idle memory
# shellcheck source=scripts/bench/socketio.sh
source "$BENCH_LIB_DIR/socketio.sh"

record meta.load_end "$(load_note)"
bench_cleanup
mkdir -p "$(dirname "$BENCH_OUTPUT")"
python3 scripts/bench/write_doc.py "$BENCH_RESULTS" "$BENCH_OUTPUT"
bench_log "wrote $BENCH_OUTPUT"
if [ "$BENCH_FAILED" != 0 ]; then
  echo "error: a scenario measured nothing where it must (see the errors above and $BENCH_OUTPUT)" >&2
  exit 1
fi
