# The TLS scenario of scripts/bench.sh (sourced by it, not run): the plain route and the session
# route over https, sesior (`--tls-cert/--tls-key`, swift-nio-ssl) against the same Express peers
# served by Node's https module, with one self-signed RSA-2048 certificate made for the run. wrk
# keeps its connections open, so this measures encrypted requests, not handshakes.
# Uses bench.sh's settings and helpers (record, bench_start, measure_rounds, …).
if selected tls; then
  TLS_DIR="$WORK/tls"
  mkdir -p "$TLS_DIR"
  record tls_plain.note "Same certificate for every server: self-signed RSA-2048 made by openssl for this run; TLS 1.3 as negotiated by wrk (OpenSSL) with each server; wrk keeps its $BENCH_CONNECTIONS connections open, so the figures are encrypted requests, not handshakes. Express peers: the plain and session peers of the scenarios above, served by Node's https module (\`--tls-cert/--tls-key\`)."
  if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >"$TLS_DIR/openssl.log" 2>&1; then
    record tls_plain.sesior.reason "openssl could not make a certificate ($(tail -1 "$TLS_DIR/openssl.log"))"
    record tls_session.sesior.reason "openssl could not make a certificate"
  else
    tls_flags=(--tls-cert "$TLS_DIR/cert.pem" --tls-key "$TLS_DIR/key.pem")
    plain_subjects=() session_subjects=() TLS_PIDS=()
    expected="{\"sessionVerified\":true,\"user\":{\"userName\":\"$SESSION_USER\"}}"
    if [ -n "$SESIOR_BIN" ]; then
      port=$(free_port)
      bench_start sesior-tls "$WORK/sesior-tls.log" $SERVER_PREFIX "$SESIOR_BIN" --host 127.0.0.1 --port "$port" \
        --log-level warning ${REDIS_URL:+--redis "$REDIS_URL"} --secret "$SESSION_SECRET" "${tls_flags[@]}"
      TLS_PIDS+=("$BENCH_LAST_PID")
      if wait_http "https://127.0.0.1:$port/health" 30 "$BENCH_LAST_PID" &&
        health_ok "$(http_body "https://127.0.0.1:$port/health")"; then
        plain_subjects+=("sesior|$BENCH_LAST_PID|https://127.0.0.1:$port/health")
        if [ -n "$REDIS_URL" ] &&
          same_json "$(http_body "https://127.0.0.1:$port/verify-session" -H "Cookie: $SESSION_COOKIE")" "$expected"; then
          session_subjects+=("sesior|$BENCH_LAST_PID|https://127.0.0.1:$port/verify-session")
        else
          record tls_session.sesior.reason "sesior over TLS did not verify the session (Redis: ${REDIS_URL:-none})"
        fi
      else
        record tls_session.sesior.reason "sesior did not answer over https"
        record tls_plain.sesior.reason "sesior did not answer over https ($(tail -1 "$WORK/sesior-tls.log" | cut -c1-160))"
      fi
    else
      record tls_plain.sesior.reason "$SESIOR_REASON"
      record tls_session.sesior.reason "$SESIOR_REASON"
    fi
    port=$(free_port)
    bench_start express-hello-tls "$WORK/express-tls.log" $SERVER_PREFIX node Benchmarks/peers/express-hello.js \
      --port "$port" "${tls_flags[@]}"
    TLS_PIDS+=("$BENCH_LAST_PID")
    if wait_http "https://127.0.0.1:$port/health" 30 "$BENCH_LAST_PID" &&
      health_ok "$(http_body "https://127.0.0.1:$port/health")"; then
      plain_subjects+=("express|$BENCH_LAST_PID|https://127.0.0.1:$port/health")
    else
      record tls_plain.express.reason "the Express hello-world did not start over https ($(tail -1 "$WORK/express-tls.log"))"
    fi
    if [ -n "$REDIS_URL" ]; then
      port=$(free_port)
      bench_start express-session-tls "$WORK/express-session-tls.log" $SERVER_PREFIX node \
        Benchmarks/peers/express-session-standin.js --port "$port" --redis "$REDIS_URL" --secret "$SESSION_SECRET" \
        ${BENCH_STANDIN_TOUCH---touch} "${tls_flags[@]}"
      TLS_PIDS+=("$BENCH_LAST_PID")
      url="https://127.0.0.1:$port/verify-session"
      if wait_http "$url" 30 "$BENCH_LAST_PID" && same_json "$(http_body "$url" -H "Cookie: $SESSION_COOKIE")" "$expected"; then
        session_subjects+=("express|$BENCH_LAST_PID|$url")
      else
        record tls_session.express.reason "the Express stand-in did not answer over https ($(tail -1 "$WORK/express-session-tls.log"))"
      fi
    fi
    measure_rounds tls_plain "${plain_subjects[*]}"
    [ ${#session_subjects[@]} -gt 0 ] && measure_rounds tls_session "${session_subjects[*]}" -H "Cookie: $SESSION_COOKIE"
    for pid in "${TLS_PIDS[@]}"; do bench_stop "$pid"; done
  fi
fi
