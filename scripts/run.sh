#!/usr/bin/env bash
# `make run`: builds sesior in release, makes sure a Redis answers on 127.0.0.1:6379 (starting one
# with its data in run/redis when none does), then starts sesior in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
REDIS_PORT=${REDIS_PORT:-6379}
mkdir -p run/redis

swift build -c release --product sesior
bin="$(swift build -c release --show-bin-path)/sesior"

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "Starting redis-server on 127.0.0.1:$REDIS_PORT (data in run/redis)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$PWD/run/redis" \
    --appendonly yes --daemonize yes --pidfile "$PWD/run/redis/redis.pid" \
    --logfile "$PWD/run/redis/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

args=(--host "${SESIOR_HOST:-127.0.0.1}" --port "${SESIOR_PORT:-7331}")
if "$bin" --help 2>&1 | grep -q -- '--redis'; then
  args+=(--redis "redis://127.0.0.1:$REDIS_PORT")
fi
echo "Open http://${SESIOR_HOST:-127.0.0.1}:${SESIOR_PORT:-7331}/ in a browser (Ctrl-C stops the server)."
exec "$bin" "${args[@]}" "$@"
