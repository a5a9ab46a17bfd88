#!/usr/bin/env bash
# Throughput of the HTTP core: GET /api/health through the whole middleware
# chain (request id, host check, CORS, security headers, access log; liveness
# takes no rate-limit token), and an /api path with no route, which takes its
# token from the API budget and is answered 404 (every response is non-2xx by
# design), with wrk on the same machine; then both with HERALD_REDIS_URL set,
# where that token comes from a Redis on this machine.
#   bench/http.sh            DURATION=30s CONNS=64 THREADS=2 PORT=18080
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
PORT="${PORT:-18080}"
DATA="$(mktemp -d /tmp/herald-bench.XXXXXX)"
REDIS_PID=""
trap 'stop_herald; [[ -z "$REDIS_PID" ]] || kill "$REDIS_PID" 2>/dev/null; rm -rf "$DATA"' EXIT

echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs); wrk -t${THREADS:-2} -c${CONNS:-64} -d${DURATION:-10s}"
start_herald "$PORT" "$DATA"
table_header
wrk_row "GET /api/health (access log on)" "http://127.0.0.1:$PORT/api/health"
wrk_row "GET /api/unrouted (404, one token)" "http://127.0.0.1:$PORT/api/unrouted"
stop_herald

if command -v redis-server >/dev/null; then
  REDIS_PORT=$((PORT + 1))
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$DATA/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
  rm -f "$DATA/herald.db"*
  start_herald "$PORT" "$DATA" HERALD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  wrk_row "GET /api/health (Redis configured)" "http://127.0.0.1:$PORT/api/health"
  wrk_row "GET /api/unrouted (404, token from Redis)" "http://127.0.0.1:$PORT/api/unrouted"
  stop_herald
fi
