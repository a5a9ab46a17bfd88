# Shared helpers for the benchmark scripts (sourced).
BIN="${HERALD_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/herald}"

# start_herald PORT DATA_DIR [extra env assignments...] — sets HERALD_PID.
start_herald() {
  local port="$1" data="$2"
  shift 2
  env HERALD_DATA_DIR="$data" HERALD_LISTEN="127.0.0.1:$port" HERALD_RATE_LIMIT="1000000000/min" \
    HERALD_LOG_FORMAT=json "$@" "$BIN" serve >"$data/server.log" 2>&1 &
  HERALD_PID=$!
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "herald did not start:" >&2
  cat "$data/server.log" >&2
  return 1
}

stop_herald() {
  [[ -n "${HERALD_PID:-}" ]] || return 0
  kill -TERM "$HERALD_PID" 2>/dev/null || true
  wait "$HERALD_PID" 2>/dev/null || true
  HERALD_PID=""
}

# wrk_row NAME URL [wrk args...] — prints "NAME | req/s | p50 | p99 | non-2xx".
wrk_row() {
  local name="$1" url="$2"
  shift 2
  local out
  wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"${WARMUP:-3s}" "$@" "$url" >/dev/null
  out=$(wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"${DURATION:-10s}" --latency "$@" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '| %-40s | %10s | %8s | %8s | %7s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

table_header() {
  printf '| %-40s | %10s | %8s | %8s | %7s |\n' "scenario" "req/s" "p50" "p99" "non-2xx"
  printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------" "-----------:" "---------:" "---------:" "--------:"
}
