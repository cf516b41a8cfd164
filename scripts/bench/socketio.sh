# The Socket.IO scenarios of scripts/bench.sh (sourced by it, not run): broadcast fan-out and
# resident memory per idle connection. Uses bench.sh's settings and helpers (record, bench_start,
# bench_product, …).

# Both scenarios compare Benchmarks/Sources/SocketIOFanoutServer (the SocketIO library used as an
# app would) with Benchmarks/peers/python_socketio_server.py: same protocol, same client settings.
FANOUT_BIN="" FANOUT_BIN_REASON=""
if selected fanout || selected memory || selected cluster; then
  if [ "${BENCH_SESIOR:-1}" = 0 ]; then
    FANOUT_BIN_REASON="not measured in this run (BENCH_SESIOR=0)"
  elif bench_product SocketIOFanoutServer; then
    FANOUT_BIN=$BENCH_PRODUCT_PATH
  else
    FANOUT_BIN_REASON=$BENCH_PRODUCT_REASON
  fi
fi
FANOUT_CLIENT_BIN=""
if { selected fanout || selected cluster; } && [ "$FANOUT_CLIENT" = swift ]; then
  if bench_product SocketIOFanoutClient; then
    FANOUT_CLIENT_BIN=$BENCH_PRODUCT_PATH
  else
    record fanout.note "The Swift load client is not available ($BENCH_PRODUCT_REASON): the Python one measured both servers."
    FANOUT_CLIENT=python
  fi
fi
HAVE_PYSIO=1
"$PYTHON" -c 'import socketio, aiohttp' 2>/dev/null || HAVE_PYSIO=0

# start_sio_server SUBJECT SCENARIO: starts the Socket.IO server of SUBJECT (python | sesior) on a
# free port; sets SIO_PID and SIO_URL, or records the reason and fails.
start_sio_server() {
  local subject=$1 scenario=$2 port
  port=$(free_port)
  SIO_PID="" SIO_URL="http://127.0.0.1:$port"
  if [ "$subject" = python ]; then
    if [ "$HAVE_PYSIO" = 0 ]; then
      record "$scenario.python.reason" "python-socketio or aiohttp is not installed in $PYTHON's environment"
      return 1
    fi
    bench_start python-socketio "$WORK/$scenario-python.log" $SERVER_PREFIX "$PYTHON" \
      Benchmarks/peers/python_socketio_server.py --port "$port"
  elif [ "$subject" = nodews ]; then
    # Node cannot lift its own open-file limit; 1,000+ sockets need more than 1,024.
    bench_start node-ws "$WORK/$scenario-nodews.log" $SERVER_PREFIX bash -c \
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec node "$@"' node-ws Benchmarks/peers/node_ws_fanout_server.js --port "$port"
  else
    if [ -z "$FANOUT_BIN" ]; then
      record "$scenario.sesior.reason" "$FANOUT_BIN_REASON"
      return 1
    fi
    bench_start SocketIOFanoutServer "$WORK/$scenario-sesior.log" $SERVER_PREFIX "$FANOUT_BIN" --port "$port"
  fi
  SIO_PID=$BENCH_LAST_PID
  if ! wait_http "$SIO_URL/health" 60 "$SIO_PID" ||
    ! same_json "$(http_body "$SIO_URL/health")" '{"status":"ok"}'; then
    record "$scenario.$subject.reason" "the $subject Socket.IO server did not start ($(tail -1 "$WORK/$scenario-$subject.log" | cut -c1-160))"
    bench_stop "$SIO_PID"
    SIO_PID=""
    return 1
  fi
}

# run_fanout SUBJECT SERVER_PID URL ROUND: one fan-out client run, figures recorded.
run_fanout() {
  local subject=$1 pid=$2 url=$3 round=$4 out
  bench_log "fan-out against $subject: $FANOUT_CLIENTS clients, $FANOUT_BROADCASTS broadcasts ($(load_note))"
  if [ "$FANOUT_CLIENT" = swift ]; then
    bench_run 900 "$WORK/fanout-$subject-$round.out" "$WORK/fanout-$subject-$round.err" $WRK_PREFIX "$FANOUT_CLIENT_BIN" \
      --url "$url" --clients "$FANOUT_CLIENTS" --broadcasts "$FANOUT_BROADCASTS" --server-pid "$pid"
  else
    bench_run 900 "$WORK/fanout-$subject-$round.out" "$WORK/fanout-$subject-$round.err" $WRK_PREFIX "$PYTHON" \
      Benchmarks/peers/fanout_client.py --url "$url" --clients "$FANOUT_CLIENTS" \
      --broadcasts "$FANOUT_BROADCASTS" --processes "$FANOUT_PROCESSES" --server-pid "$pid"
  fi
  record_fanout_output fanout "$subject" "$round" $?
}

# record_fanout_output SCENARIO SUBJECT ROUND RC: records the key=value figures the fan-out client
# wrote to $WORK/SCENARIO-SUBJECT-ROUND.out as SCENARIO.SUBJECT.*; a run that delivered nothing is
# a failure (its reason recorded, BENCH_FAILED set), never a figure.
record_fanout_output() {
  local scenario=$1 subject=$2 round=$3 rc=$4 out
  out=$(cat "$WORK/$scenario-$subject-$round.out")
  if ! grep -q '^fanout_msgs_per_s=[1-9]' <<<"$out"; then
    record "$scenario.$subject.reason" "the fan-out client measured nothing (exit $rc: $(grep -v '^#' "$WORK/$scenario-$subject-$round.err" | tail -1 | cut -c1-160))"
    BENCH_FAILED=1
    return 1
  fi
  while IFS='=' read -r key value; do
    [ -n "$key" ] && record "$scenario.$subject.$key" "$value"
  done < <(grep -E '^fanout_[a-z0-9_]+=' <<<"$out")
  bench_log "  $(tr '\n' ' ' <<<"$out")"
  [ "$rc" = 0 ] || record "$scenario.note" "$subject, round $((round + 1)): the client reported an incomplete run (exit $rc); see the lost and clients columns."
}

if selected fanout; then
  record fanout.note "Servers: sesior is Benchmarks/Sources/SocketIOFanoutServer (the SocketIO library as an app uses it: namespace \`/\`, on \`fanout\` emit \`fanout\` with the same argument to every socket of \`/\`, release build, NIO's default thread count); the peer is Benchmarks/peers/python_socketio_server.py (python-socketio AsyncServer on aiohttp, default asyncio loop, one process), which does exactly the same."
  if [ "$FANOUT_CLIENT" = swift ]; then
    client_note="Benchmarks/Sources/SocketIOFanoutClient (Swift on NIO, release build, one event-loop thread; the same protocol, measurement and output as Benchmarks/peers/fanout_client.py; measured at about 20–25% less CPU per delivery than it, most of either client's cost being the kernel's receive path)"
  else
    client_note="Benchmarks/peers/fanout_client.py (raw asyncio protocol in Benchmarks/peers/eio_websocket.py, $FANOUT_PROCESSES process(es))"
  fi
  record fanout.note "Load client: $client_note opens $FANOUT_CLIENTS Engine.IO v4 WebSocket clients (50 handshakes at a time) and one control client; the same client measures both servers in the same run. The control client emits \`fanout\`; the server emits it to every socket; the next broadcast starts when all clients got the previous one. $FANOUT_BROADCASTS measured broadcasts after 3 warm-up ones, $FANOUT_ROUNDS alternating rounds (a fresh server and fresh clients each); the table gives medians over rounds (100 broadcasts by default since 27 Nov 2026: with 20, a round of sesior lasted about half a second and its rounds differed by up to 40%). deliveries/s = deliveries / summed time from emit to the last delivery; p50/p99 are over every single delivery."
  record fanout.note "The client runs on the same cores as the server: the CPU it spends per delivery (client_cpu column) is taken from the server, so deliveries/s is a floor for both servers; the server CPU time per delivery (from /proc/PID/stat over the broadcast phase, warm-up included) does not depend on that. FANOUT_CLIENT=python selects the Python client (on uvloop when installed)."
  record fanout.note "Raw Node \`ws\` peer: Benchmarks/peers/node_ws_fanout_server.js (Debian's node-ws $(package_version /usr/share/nodejs/ws/package.json), one Node process, permessage-deflate off): it answers the same Engine.IO open and Socket.IO connect frames and sends each \`42[\"fanout\",…]\` frame it receives, unparsed, to every open client; the floor of what Node does for the same frames, without socket.io's parsing, encoding or rooms."
  for ((round = 0; round < FANOUT_ROUNDS; round++)); do
    case $((round % 3)) in
      0) order="python sesior nodews" ;;
      1) order="sesior nodews python" ;;
      *) order="nodews python sesior" ;;
    esac
    for subject in $order; do
      if start_sio_server "$subject" fanout; then
        run_fanout "$subject" "$SIO_PID" "$SIO_URL" "$round"
        bench_stop "$SIO_PID"
      fi
    done
  done
fi

# start_fanout_instance SCENARIO NAME [REDIS_URL]: one SocketIOFanoutServer (through the Redis
# adapter when REDIS_URL is given); sets SIO_PID and SIO_URL, or records the reason and fails.
start_fanout_instance() {
  local scenario=$1 name=$2 redis=${3:-} port
  port=$(free_port)
  SIO_PID="" SIO_URL="http://127.0.0.1:$port"
  if [ -z "$FANOUT_BIN" ]; then
    record "$scenario.$name.reason" "$FANOUT_BIN_REASON"
    return 1
  fi
  bench_start "SocketIOFanoutServer-$name" "$WORK/$scenario-$name.log" $SERVER_PREFIX "$FANOUT_BIN" --port "$port" \
    ${redis:+--redis "$redis"}
  SIO_PID=$BENCH_LAST_PID
  if ! wait_http "$SIO_URL/health" 60 "$SIO_PID"; then
    record "$scenario.$name.reason" "SocketIOFanoutServer ($name) did not start ($(tail -1 "$WORK/$scenario-$name.log" | cut -c1-160))"
    bench_stop "$SIO_PID"
    SIO_PID=""
    return 1
  fi
}

# run_cluster_fanout SUBJECT ROUND URL PID [SECOND_URL SECOND_PID]: one run of the Swift client,
# its figures recorded as cluster.SUBJECT.*.
run_cluster_fanout() {
  local subject=$1 round=$2 url=$3 pid=$4 second_url=${5:-} second_pid=${6:-0}
  bench_log "cluster fan-out, $subject: $FANOUT_CLIENTS clients, $FANOUT_BROADCASTS broadcasts ($(load_note))"
  bench_run 900 "$WORK/cluster-$subject-$round.out" "$WORK/cluster-$subject-$round.err" $WRK_PREFIX "$FANOUT_CLIENT_BIN" \
    --url "$url" --clients "$FANOUT_CLIENTS" --broadcasts "$FANOUT_BROADCASTS" --server-pid "$pid" \
    ${second_url:+--second-url "$second_url" --second-server-pid "$second_pid"}
  record_fanout_output cluster "$subject" "$round" $?
}

if selected cluster; then
  if [ -z "$FANOUT_CLIENT_BIN" ]; then
    for subject in single redis1 redis2; do record "cluster.$subject.reason" "the Swift fan-out client is not available"; done
    BENCH_FAILED=1
  elif [ -z "$REDIS_URL" ]; then
    for subject in single redis1 redis2; do record "cluster.$subject.reason" "redis-server did not start"; done
    BENCH_FAILED=1
  else
    record cluster.note "The fan-out scenario's server and Swift client (see above), $FANOUT_CLIENTS clients, $FANOUT_BROADCASTS measured broadcasts, $FANOUT_ROUNDS alternating rounds. \`single\`: one SocketIOFanoutServer with the in-memory adapter. \`redis1\`: one instance with \`--redis\` (SocketIORedisBus, @socket.io/redis-adapter's format): every broadcast is published to Redis and delivered when it comes back from the subscription. \`redis2\`: two instances on the same redis-server, every other client on the second one, the control client on the first; each instance delivers to its own half. Server CPU per delivery adds both instances' CPU time (Redis's own is not counted)."
    for ((round = 0; round < FANOUT_ROUNDS; round++)); do
      case $((round % 3)) in
        0) order="single redis1 redis2" ;;
        1) order="redis1 redis2 single" ;;
        *) order="redis2 single redis1" ;;
      esac
      for subject in $order; do
        case $subject in
          single)
            start_fanout_instance cluster single || continue
            run_cluster_fanout single "$round" "$SIO_URL" "$SIO_PID"
            bench_stop "$SIO_PID" ;;
          redis1)
            start_fanout_instance cluster redis1 "$REDIS_URL" || continue
            run_cluster_fanout redis1 "$round" "$SIO_URL" "$SIO_PID"
            bench_stop "$SIO_PID" ;;
          redis2)
            start_fanout_instance cluster redis2 "$REDIS_URL" || continue
            first_url=$SIO_URL first_pid=$SIO_PID
            if start_fanout_instance cluster redis2 "$REDIS_URL"; then
              run_cluster_fanout redis2 "$round" "$first_url" "$first_pid" "$SIO_URL" "$SIO_PID"
              bench_stop "$SIO_PID"
            fi
            bench_stop "$first_pid" ;;
        esac
      done
    done
  fi
fi

if selected memory; then
  record memory.note "Idle connections: Benchmarks/peers/memory_client.py opens $MEMORY_CLIENTS Socket.IO clients over WebSocket (Engine.IO open, \`40\` connect of namespace \`/\`, heartbeats answered; $MEMORY_PROCESSES client processes, 100 handshakes at a time per process), keeps them idle for $MEMORY_HOLD s with every client connected, and reads the server's VmRSS (/proc/PID/status) before the first of them connects (after 20 warm-up clients connected and left) and at the end of the hold. KiB per connection = (after − before) / connected clients."
  record memory.note "Same servers as the fan-out scenario, each freshly started: sesior's SocketIOFanoutServer (release build, default settings: pingInterval 25 s) and python-socketio's AsyncServer on aiohttp (pingInterval 25 s)."
  for subject in python sesior; do
    start_sio_server "$subject" memory || continue
    bench_log "memory against $subject: $MEMORY_CLIENTS idle clients, hold $MEMORY_HOLD s ($(load_note))"
    bench_run 1200 "$WORK/memory-$subject.out" "$WORK/memory-$subject.err" "$PYTHON" \
      Benchmarks/peers/memory_client.py --url "$SIO_URL" --server-pid "$SIO_PID" \
      --clients "$MEMORY_CLIENTS" --processes "$MEMORY_PROCESSES" --hold "$MEMORY_HOLD"
    rc=$?
    out=$(cat "$WORK/memory-$subject.out")
    if grep -q '^memory_kib_per_connection=[0-9]' <<<"$out"; then
      while IFS='=' read -r key value; do
        [ -n "$key" ] && record "memory.$subject.$key" "$value"
      done < <(grep -E '^memory_[a-z0-9_]+=' <<<"$out")
      bench_log "  $(tr '\n' ' ' <<<"$out")"
      [ "$rc" = 0 ] || record memory.note "$subject: not every client stayed connected (exit $rc); see the clients column."
    else
      record "memory.$subject.reason" "the memory client failed (exit $rc: $(grep -v '^#' "$WORK/memory-$subject.err" | tail -1 | cut -c1-160))"
    fi
    bench_stop "$SIO_PID"
  done
fi
