# The metrics scenario of scripts/bench.sh (sourced by it, not run): the plain route `GET /health`
# on two sesior processes of the same release build, one with its Prometheus metrics on (the
# default: request counter and latency histogram per request, every library gauge live) and one
# started with `--no-metrics` (no middleware, swift-metrics' no-op handler), measured in
# alternating wrk rounds like the plain scenario. Both keep sessions in memory (the route touches
# no store). Fails loudly, and makes bench.sh exit non-zero, when either side measured nothing.
# Uses bench.sh's settings and helpers (record, bench_start, measure_rounds, …).
if selected metrics; then
  record metrics.note "Same binary, same flags except \`--no-metrics\`, sessions in memory; wrk as in the plain scenario, the two processes measured in alternation. With metrics on, \`App.metrics\` records every request after the chain (two clock reads, a lookup of the counter and histogram of its route and status in the thread's own cache, an atomic counter increment, and swift-prometheus's histogram observation, which takes a lock shared by the event loops); the connection gauge moves on each connect."
  selected plain || selected session || selected tls ||
    record meta.sesior_args "--host 127.0.0.1 --port <free> --log-level warning --secret <run secret> --run-dir <scratch> (and --no-metrics for the off side)"
  METRICS_PIDS=() subjects=()
  if [ -n "$SESIOR_BIN" ]; then
    for side in on off; do
      flags=()
      [ "$side" = off ] && flags+=(--no-metrics)
      port=$(free_port)
      bench_start "sesior-metrics-$side" "$WORK/sesior-metrics-$side.log" $SERVER_PREFIX "$SESIOR_BIN" \
        --host 127.0.0.1 --port "$port" --log-level warning --secret "$SESSION_SECRET" \
        --run-dir "$WORK/run-metrics-$side" "${flags[@]}"
      METRICS_PIDS+=("$BENCH_LAST_PID")
      if wait_http "http://127.0.0.1:$port/health" 30 "$BENCH_LAST_PID" &&
        health_ok "$(http_body "http://127.0.0.1:$port/health")"; then
        subjects+=("$side|$BENCH_LAST_PID|http://127.0.0.1:$port/health")
        [ "$side" = on ] && METRICS_ON_PORT=$port
        [ "$side" = off ] && METRICS_OFF_PORT=$port
      else
        record "metrics.$side.reason" "sesior (metrics $side) did not answer on /health ($(tail -1 "$WORK/sesior-metrics-$side.log" | cut -c1-160))"
      fi
    done
    # Each side must be what it claims: /metrics answers with metrics on, 404 with them off.
    if [ -n "${METRICS_ON_PORT:-}" ] && [ "$(http_status "http://127.0.0.1:$METRICS_ON_PORT/metrics")" != 200 ]; then
      record metrics.on.reason "sesior with metrics on did not answer GET /metrics"
      subjects=("${subjects[@]/on|*/}")
    fi
    if [ -n "${METRICS_OFF_PORT:-}" ] && [ "$(http_status "http://127.0.0.1:$METRICS_OFF_PORT/metrics")" = 200 ]; then
      record metrics.off.reason "sesior --no-metrics still answered GET /metrics"
    fi
    measure_rounds metrics "${subjects[*]}"
    if [ -n "${METRICS_ON_PORT:-}" ]; then
      counted=$(http_body "http://127.0.0.1:$METRICS_ON_PORT/metrics" |
        grep -E '^http_requests_total\{route="/health",status="200"\}' | awk '{ print $2 }')
      record metrics.note "After the runs, the metrics-on process had counted \`http_requests_total{route=\"/health\",status=\"200\"} ${counted:-?}\` (warm-up runs included)."
    fi
    for pid in "${METRICS_PIDS[@]}"; do bench_stop "$pid"; done
  else
    record metrics.on.reason "$SESIOR_REASON"
    record metrics.off.reason "$SESIOR_REASON"
  fi
  for side in on off; do
    if ! grep -qE "^metrics\.$side\.rps	[0-9.]*[1-9]" "$BENCH_RESULTS"; then
      echo "error: metrics scenario: the metrics-$side side measured 0 requests/s ($(grep -m1 "^metrics\.$side\.reason" "$BENCH_RESULTS" | cut -f2))" >&2
      record "metrics.$side.reason" "measured 0 requests/s"
      BENCH_FAILED=1
    fi
  done
fi
