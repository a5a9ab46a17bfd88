#!/usr/bin/env bash
# Time from start to the first healthy answer, and the idle resident memory
# of `herald serve` on the embedded defaults (fresh data directory).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
PORT="${PORT:-18081}"
RUNS="${RUNS:-5}"
DATA_ROOT="$(mktemp -d /tmp/herald-bench.XXXXXX)"
trap 'stop_herald; rm -rf "$DATA_ROOT"' EXIT

printf '| %-4s | %-22s | %-20s |\n' "run" "ready after (ms)" "idle RSS (MiB)"
printf '|%s|%s|%s|\n' "------" "------------------------:" "----------------------:"
for run in $(seq 1 "$RUNS"); do
  data="$DATA_ROOT/$run"
  mkdir -p "$data"
  start_ns=$(date +%s%N)
  env HERALD_DATA_DIR="$data" HERALD_LISTEN="127.0.0.1:$PORT" HERALD_LOG_FORMAT=json "$BIN" serve >"$data/server.log" 2>&1 &
  HERALD_PID=$!
  until curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1; do
    kill -0 "$HERALD_PID" 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
    sleep 0.002
  done
  ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  sleep 2
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$HERALD_PID/status")
  printf '| %-4s | %22s | %20.1f |\n' "$run" "$ready_ms" "$(awk -v k="$rss_kb" 'BEGIN {print k / 1024}')"
  stop_herald
done
