#!/usr/bin/env bash
# What the request metrics cost end to end: GET /api/health and GET /api/leads
# (signed in, 10,000 leads, random pages 1–50 of status=new) with wrk against
# build/bench/herald_bench_serve — `herald serve`'s composition and pipeline —
# with the request monitor (metrics on) and without it (BENCH_NO_MONITOR=1),
# on one SQLite database, interleaved round by round (on/off, then off/on …)
# so both see the same load from whatever else runs on the machine; the load
# average is printed with every row, and the medians per mode at the end.
#   bench/metrics.sh        ROUNDS=6 DURATION=8s WARMUP=2s CONNS=64 THREADS=2 PORT=18090 LEADS=10000
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
SERVE="$(cd .. && pwd)/build/bench/herald_bench_serve"
[[ -x "$SERVE" ]] || { echo "build it first: cmake --build build --target herald_bench_serve herald" >&2; exit 1; }
PORT="${PORT:-18090}"
ROUNDS="${ROUNDS:-6}"
LEADS="${LEADS:-10000}"
export DURATION="${DURATION:-8s}" WARMUP="${WARMUP:-2s}"
WORK="$(mktemp -d /tmp/herald-metrics-bench.XXXXXX)"
ENVS=(HERALD_DATA_DIR="$WORK" HERALD_LISTEN="127.0.0.1:$PORT" HERALD_RATE_LIMIT="1000000000/min"
  HERALD_LOG_FORMAT=json HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1
  HERALD_JWT_SECRET=0123456789abcdef0123456789abcdef-bench)
PID=""
stop() { [[ -z "$PID" ]] || { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; }; }
trap 'stop; rm -rf "$WORK"' EXIT

start() {  # start on|off
  local extra=()
  [[ "$1" == off ]] && extra=(BENCH_NO_MONITOR=1)
  env "${ENVS[@]}" "${extra[@]}" "$SERVE" >>"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 400); do
    curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "the server did not start:" >&2
  tail -20 "$WORK/server.log" >&2
  exit 1
}

# The leads, once: herald import-leads on the same data directory.
python3 leads/gen_leads.py "$WORK/leads.csv" "$LEADS" >/dev/null
env "${ENVS[@]}" "$BIN" import-leads "$WORK/leads.csv" >"$WORK/import.txt" 2>&1 || {
  cat "$WORK/import.txt" >&2
  exit 1
}

echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs);" \
  "wrk -t${THREADS:-2} -c${CONNS:-64} -d$DURATION after a $WARMUP warm-up; $ROUNDS rounds; $(date -u +%FT%TZ)"
printf '| %5s | %7s | %6s | %14s | %14s |\n' round metrics load "health req/s" "leads req/s"
printf '|%s|%s|%s|%s|%s|\n' "------:" "--------" "-------:" "---------------:" "---------------:"
declare -A HEALTH LIST
# req/s, and a run with any non-2xx answer stops the benchmark (a failed sign-in would measure 401s).
rps() {
  local out
  out=$(cat)
  if grep -q Non-2xx <<<"$out"; then
    echo "non-2xx answers:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out"
}
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order=(on off); else order=(off on); fi
  for mode in "${order[@]}"; do
    start "$mode"
    token=$(curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
      -d '{"email":"admin@example.com","password":"bench-password-1"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"$WARMUP" "http://127.0.0.1:$PORT/api/health" >/dev/null
    load=$(cut -d' ' -f1 /proc/loadavg)
    h=$(wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"$DURATION" "http://127.0.0.1:$PORT/api/health" | rps)
    TOKEN="$token" PATHS="/api/leads?status=new" MAX_PAGE=50 wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"$WARMUP" \
      -s leads/list.lua "http://127.0.0.1:$PORT" >/dev/null
    l=$(TOKEN="$token" PATHS="/api/leads?status=new" MAX_PAGE=50 wrk -t"${THREADS:-2}" -c"${CONNS:-64}" \
      -d"$DURATION" -s leads/list.lua "http://127.0.0.1:$PORT" | rps)
    stop
    HEALTH[$mode]+="$h "
    LIST[$mode]+="$l "
    printf '| %5s | %7s | %6s | %14s | %14s |\n' "$round" "$mode" "$load" "$h" "$l"
  done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }
h_on=$(median <<<"${HEALTH[on]}")
h_off=$(median <<<"${HEALTH[off]}")
l_on=$(median <<<"${LIST[on]}")
l_off=$(median <<<"${LIST[off]}")
echo
echo "medians: GET /api/health $h_on on / $h_off off ($(awk -v a="$h_on" -v b="$h_off" 'BEGIN {printf "%+.1f %%", (a/b-1)*100}'));" \
  "GET /api/leads $l_on on / $l_off off ($(awk -v a="$l_on" -v b="$l_off" 'BEGIN {printf "%+.1f %%", (a/b-1)*100}'))"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
