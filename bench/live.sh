#!/usr/bin/env bash
# GET /api/leads on a live system, on SQLite and PostgreSQL:
#   1. 1M generated leads (bench/leads/gen_leads.py) imported with `herald import-leads`;
#   2. cold searches: one request each for search terms no one asked before,
#      on an idle server (nothing cached), timed by curl;
#   3. a writer (bench/leads/writer.py) changing lead statuses at RATE/s through
#      PATCH /api/leads/{id} while wrk runs bench/leads/live.lua — 70% filtered
#      first pages, 20% `q` searches, 10% deep pages — for DURATION after a
#      WARMUP; the writer's achieved rate and latency are reported beside wrk's.
# Every table row says the load average when it started: other work on the
# machine shares its cores with the server, wrk and the writer.
#
#   bench/live.sh        ROWS=1000000 DURATION=8s WARMUP=3s RATE=25 CONNS=64 THREADS=2 POSTGRES=1
#                        COLD_DETAIL=1 prints each cold search's time
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }

ROWS="${ROWS:-1000000}"
PORT="${PORT:-18095}"
RATE="${RATE:-25}"
DURATION="${DURATION:-8s}"
WARMUP="${WARMUP:-3s}"
POSTGRES="${POSTGRES:-1}"
WORK="$(mktemp -d /tmp/herald-live-bench.XXXXXX)"
chmod 755 "$WORK"  # PostgreSQL runs as its own user
PG_DIR=""
WRITER_PID=""
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
JWT=0123456789abcdef0123456789abcdef-bench

cleanup() {
  stop_writer
  stop_herald
  if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# Waits (up to two minutes) for the machine to be quiet enough to measure.
wait_quiet() {
  for _ in $(seq 1 24); do
    awk '{exit !($1 < 1.5)}' /proc/loadavg && return 0
    sleep 5
  done
  echo "note: load average is $(load); the figures below are load-limited" >&2
}

login() {  # login PORT → token
  curl -sf "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

start_postgres() {
  PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR="$WORK/pg"
  mkdir -p "$PG_DIR"
  chown postgres: "$PG_DIR"
  local port=$((PORT + 100))
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  # Durable defaults (fsync on); a bigger cache than the default 128 MB.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_buffers=512MB" \
    start >/dev/null
  runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE herald" >/dev/null
  PG_URL="postgresql://postgres@127.0.0.1:$port/herald"
}

# import NAME ENV... — herald import-leads of the CSV; prints its time.
import() {
  local name="$1"
  shift
  local t0 t1
  t0=$(date +%s.%N)
  env HERALD_LOG_FORMAT=json "$@" "$BIN" import-leads "$WORK/leads.csv" >"$WORK/import-$name.txt" 2>&1
  t1=$(date +%s.%N)
  printf '%s: imported in %.1f s (%s)\n' "$name" "$(echo "$t1 - $t0" | bc)" \
    "$(grep -o '[0-9]* created' "$WORK/import-$name.txt" | head -n 1)"
}

# Search terms no request has asked yet: ten words of the data, ten pieces of addresses.
cold_terms() {
  printf '%s\n' acme hooli umbrella soylent tyrell cyberdyne rossi dubois okafor jensen
  python3 -c '
import random
r = random.Random(7)
for _ in range(10):
    print(r.choice(["quinn", "rosa", "umar", "vera", "grace", "farid", "mateo", "jonas"]) + "." + str(r.randrange(1, 999999)))'
}

# cold_row NAME — one request per cold term on the idle server: median and slowest.
cold_row() {
  local name="$1" token="$2" times=()
  wait_quiet
  local at
  at=$(load)
  while read -r term; do
    local q
    q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$term")
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$PORT/api/leads?q=$q")")
    [[ -z "${COLD_DETAIL:-}" ]] || echo "  cold q=$term: ${times[-1]} s" >&2
  done < <(cold_terms)
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v at="$at" '
    {t[NR] = $1 * 1000}
    END {printf "| %-28s | %5d | %9.1f ms | %9.1f ms | %6s |\n", name, NR, t[int((NR + 1) / 2)], t[NR], at}'
}

# live_row NAME MAX_ID — wrk with the live mix while the writer writes.
live_row() {
  local name="$1" max_id="$2" token="$3"
  wait_quiet
  local at
  at=$(load)
  python3 leads/writer.py "$PORT" "$token" "$RATE" "$max_id" "$WORK/writer.txt" &
  WRITER_PID=$!
  TOKEN="$token" wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"$WARMUP" -s leads/live.lua "http://127.0.0.1:$PORT" >/dev/null
  local out
  out=$(TOKEN="$token" wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"$DURATION" --latency -s leads/live.lua \
    "http://127.0.0.1:$PORT")
  stop_writer
  local rps p50 p99 non2xx writes
  wrk_stats "$out"
  rps=$WRK_RPS p50=$WRK_P50 p99=$WRK_P99 non2xx=$WRK_NON2XX
  writes=$(awk '{printf "%s/s (p99 %s ms, %s errors)", $6, $10, $14}' "$WORK/writer.txt")
  printf '| %-28s | %8s | %8s | %8s | %7s | %-32s | %6s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" \
    "$writes" "$at"
}

# measure NAME DATA ENV... — a server on the imported database: cold searches, then the live mix.
measure() {
  local name="$1" data="$2"
  shift 2
  start_herald "$PORT" "$data" "${ADMIN[@]}" "$@"
  local token max_id
  token=$(login "$PORT")
  max_id=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/leads?page_size=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  cold_row "$name" "$token" >>"$WORK/cold.md"
  live_row "$name" "$max_id" "$token" >>"$WORK/live.md"
  stop_herald
}

echo "## Live leads benchmark, $(date -u +%Y-%m-%d), $(nproc) cores: $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs)"
echo "wrk -t${THREADS:-2} -c${CONNS:-64} -d$DURATION (after a $WARMUP warm-up), bench/leads/live.lua; writer at $RATE status changes/s; $ROWS generated rows"
python3 leads/gen_leads.py "$WORK/leads.csv" "$ROWS"
mkdir -p "$WORK/sqlite"
import SQLite HERALD_DATA_DIR="$WORK/sqlite"
if [[ "$POSTGRES" == 1 ]]; then
  start_postgres
  import PostgreSQL HERALD_DATA_DIR="$WORK/pg-data" HERALD_DATABASE_URL="$PG_URL" HERALD_JWT_SECRET="$JWT"
fi
: >"$WORK/cold.md"
: >"$WORK/live.md"
measure SQLite "$WORK/sqlite"
if [[ "$POSTGRES" == 1 ]]; then
  mkdir -p "$WORK/pg-data"
  measure PostgreSQL "$WORK/pg-data" HERALD_DATABASE_URL="$PG_URL" HERALD_JWT_SECRET="$JWT" HERALD_HTTP_THREADS=8
fi
echo
echo "### Cold searches (one request per new term, idle server)"
printf '| %-28s | %5s | %12s | %12s | %6s |\n' "backend" "terms" "median" "slowest" "load"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------" "------:" "-------------:" "-------------:" "-------:"
cat "$WORK/cold.md"
echo
echo "### Live mix with a writer"
printf '| %-28s | %8s | %8s | %8s | %7s | %-32s | %6s |\n' "backend" "req/s" "p50" "p99" "non-2xx" "writer" "load"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------------" "---------:" "---------:" "---------:" "--------:" \
  "----------------------------------" "-------:"
cat "$WORK/live.md"
