#!/usr/bin/env bash
# Throughput of the HTTP core: GET /api/health through the whole middleware
# chain (request id, host check, CORS, rate limiter, security headers, access
# log), with wrk on the same machine.
#   bench/http.sh            DURATION=30s CONNS=64 THREADS=2 PORT=18080
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
PORT="${PORT:-18080}"
DATA="$(mktemp -d /tmp/herald-bench.XXXXXX)"
trap 'stop_herald; rm -rf "$DATA"' EXIT

echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs); wrk -t${THREADS:-2} -c${CONNS:-64} -d${DURATION:-10s}"
start_herald "$PORT" "$DATA"
table_header
wrk_row "GET /api/health (access log on)" "http://127.0.0.1:$PORT/api/health"
stop_herald
