#!/usr/bin/env bash
# Leads at a million, on SQLite and PostgreSQL:
#   1. import a generated CSV (1M rows, ~1% invalid, ~1% duplicates) with
#      `herald import-leads` (upload into the database, then apply), time and peak RSS;
#      then the same file through POST /api/leads/import (server's peak RSS);
#   2. GET /api/leads?status=new&page=N (random N) with wrk, signed in, with the
#      page cache (default) and without it (HERALD_PAGE_CACHE=0);
#   3. GET /api/leads/export of all leads: time, size and the server's peak RSS;
#   4. the FastAPI baseline (../shared/bench/baseline-fastapi) on its own list endpoint, same run.
#
#   bench/leads.sh       ROWS=1000000 DURATION=10s CONNS=64 THREADS=2 POSTGRES=1 BASELINE=1
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }

ROWS="${ROWS:-1000000}"
PORT="${PORT:-18090}"
POSTGRES="${POSTGRES:-1}"
BASELINE="${BASELINE:-1}"
BASELINE_DIR="${BASELINE_DIR:-$(cd .. && pwd)/../shared/bench/baseline-fastapi}"
WORK="$(mktemp -d /tmp/herald-leads-bench.XXXXXX)"
chmod 755 "$WORK"  # PostgreSQL runs as its own user
PG_DIR=""
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
JWT=0123456789abcdef0123456789abcdef-bench

cleanup() {
  stop_herald
  [[ -n "${BASE_PID:-}" ]] && kill "$BASE_PID" 2>/dev/null && wait "$BASE_PID" 2>/dev/null
  if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Waits (up to a minute) for the machine to be quiet enough to measure.
wait_quiet() {
  for _ in $(seq 1 12); do
    awk '{exit !($1 < 2.0)}' /proc/loadavg && return 0
    sleep 5
  done
  echo "note: load average is $(cut -d' ' -f1 /proc/loadavg); numbers may be low" >&2
}

kb_to_mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
peak_rss_mb() { kb_to_mb "$(awk '/VmHWM/ {print $2}' "/proc/$1/status")"; }

login() {  # login PORT → token
  curl -sf "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# import_cli NAME ENV... — herald import-leads of the CSV; prints a table row.
import_cli() {
  local name="$1"
  shift
  local out="$WORK/import-$name.txt"
  wait_quiet
  env HERALD_LOG_FORMAT=json "$@" /usr/bin/time -v "$BIN" import-leads "$WORK/leads.csv" >"$out" 2>"$out.time"
  local upload apply total rss rows
  upload=$(awk '/^time:/ {print $2}' "$out")
  apply=$(awk '/^time:/ {print $6}' "$out")
  total=$(awk '/^time:/ {print $10}' "$out")
  rss=$(kb_to_mb "$(awk '/Maximum resident/ {print $6}' "$out.time")")
  rows=$(grep -o '[0-9]* created, [0-9]* updated, [0-9]* skipped, [0-9]* failed' "$out")
  printf '| %-34s | %8s s | %8s s | %8s s | %6s MB | %s |\n' "$name" "$upload" "$apply" "$total" "$rss" "$rows"
}

# import_http NAME ENV... — a fresh server, the CSV through POST /api/leads/import.
import_http() {
  local name="$1"
  shift
  local data="$WORK/http-$name"
  mkdir -p "$data"
  start_herald "$PORT" "$data" "${ADMIN[@]}" "$@"
  local token started uploaded job status
  token=$(login "$PORT")
  wait_quiet
  started=$(date +%s.%N)
  job=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$WORK/leads.csv" \
    "http://127.0.0.1:$PORT/api/leads/import" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
  uploaded=$(date +%s.%N)
  while :; do
    status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/leads/import/$job" |
      python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["created"], j["skipped"], j["failed"])')
    [[ "$status" == completed* || "$status" == failed* ]] && break
    sleep 0.2
  done
  local done_at
  done_at=$(date +%s.%N)
  printf '| %-34s | %8.2f s | %8.2f s | %8.2f s | %6s MB | server peak; %s |\n' "$name (HTTP)" \
    "$(echo "$uploaded - $started" | bc)" "$(echo "$done_at - $uploaded" | bc)" "$(echo "$done_at - $started" | bc)" \
    "$(peak_rss_mb "$HERALD_PID")" "$status"
  stop_herald
}

# list_rows NAME DATA ENV... — the list endpoint with wrk, cached and uncached.
list_rows() {
  local name="$1" data="$2"
  shift 2
  for cache in 64MiB 0; do
    start_herald "$PORT" "$data" "${ADMIN[@]}" HERALD_PAGE_CACHE="$cache" "$@"
    local token
    token=$(login "$PORT")
    wait_quiet
    local label="cache on"
    [[ "$cache" == 0 ]] && label="cache off"
    TOKEN="$token" PATHS="/api/leads?status=new" MAX_PAGE=200 wrk_row "$name status=new page 1-200, $label" \
      "http://127.0.0.1:$PORT" -s leads/list.lua
    TOKEN="$token" PATHS="/api/leads?status=new" MAX_PAGE=10 wrk_row "$name status=new page 1-10, $label" \
      "http://127.0.0.1:$PORT" -s leads/list.lua
    if [[ "$cache" != 0 ]]; then
      wrk_row "$name no filter page 7, $label" "http://127.0.0.1:$PORT/api/leads?page=7" \
        -H "Authorization: Bearer $token"
    fi
    stop_herald
  done
}

# Samples a process's anonymous (heap) and file-backed (mmap of the database)
# resident memory every 50 ms; prints the peaks in MB when stopped.
sample_rss() {  # sample_rss PID OUT
  local pid="$1" out="$2" anon=0 file=0
  trap 'echo "$((anon / 1024)) $((file / 1024))" >"$out"; exit 0' TERM
  while kill -0 "$pid" 2>/dev/null; do
    read -r a f < <(awk '/RssAnon/ {a=$2} /RssFile/ {f=$2} END {print a, f}' "/proc/$pid/status")
    ((a > anon)) && anon=$a
    ((f > file)) && file=$f
    sleep 0.05
  done
}

# export_row NAME DATA ENV... — the whole table as CSV from a fresh server.
export_row() {
  local name="$1" data="$2"
  shift 2
  start_herald "$PORT" "$data" "${ADMIN[@]}" "$@"
  local token before t0 t1 bytes sampler
  token=$(login "$PORT")
  before=$(kb_to_mb "$(awk '/RssAnon/ {print $2}' "/proc/$HERALD_PID/status")")
  wait_quiet
  sample_rss "$HERALD_PID" "$WORK/rss" &
  sampler=$!
  t0=$(date +%s.%N)
  bytes=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/leads/export" | wc -c)
  t1=$(date +%s.%N)
  kill -TERM "$sampler"
  wait "$sampler" 2>/dev/null || true
  read -r anon file <"$WORK/rss"
  printf '| %-34s | %8.2f s | %6s MB | %4s MB | %6s MB | %6s MB |\n' "$name" "$(echo "$t1 - $t0" | bc)" \
    "$(awk -v b="$bytes" 'BEGIN {printf "%.0f", b / 1048576}')" "$before" "$anon" "$file"
  stop_herald
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

baseline_row() {
  local dir="$WORK/baseline"
  echo "installing the baseline's Debian packages (apt)..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fastapi python3-uvicorn python3-sqlmodel \
    python3-sqlalchemy python3-passlib python3-argon2 python3-jwt python3-httptools python3-uvloop >/dev/null 2>&1 ||
    { echo "| baseline: could not install its packages | | | | |"; return; }
  cp -r "$BASELINE_DIR" "$dir"
  (cd "$dir" && /usr/bin/python3 seed.py >/dev/null)
  (cd "$dir" && RATE_LIMIT_PER_MINUTE=1000000000 exec /usr/bin/python3 -m uvicorn app:app --workers 2 \
    --port $((PORT + 1)) --log-level warning >"$dir/server.log" 2>&1) &
  BASE_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$((PORT + 1))/api/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  local token
  token=$(curl -sf -X POST "http://127.0.0.1:$((PORT + 1))/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"admin-pass"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["token"])')
  wait_quiet
  wrk_row "FastAPI baseline, 100k leads, page 7" "http://127.0.0.1:$((PORT + 1))/api/leads?page=7" \
    -H "Authorization: Bearer $token"
  kill "$BASE_PID" 2>/dev/null || true
  wait "$BASE_PID" 2>/dev/null || true
  BASE_PID=""
}

echo "## Leads benchmark, $(date -u +%Y-%m-%d), $(nproc) cores: $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs)"
echo "wrk -t${THREADS:-2} -c${CONNS:-64} -d${DURATION:-10s} (after a ${WARMUP:-3s} warm-up); $ROWS generated rows"
python3 leads/gen_leads.py "$WORK/leads.csv" "$ROWS"
echo "CSV: $(( $(stat -c %s "$WORK/leads.csv") / 1048576 )) MB"
echo
echo "### Import"
printf '| %-34s | %10s | %10s | %10s | %9s | %s |\n' "backend" "upload" "apply" "total" "peak RSS" "rows"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "-----------:" "-----------:" "-----------:" "----------:" "---"
mkdir -p "$WORK/sqlite"
import_cli "SQLite, herald import-leads" HERALD_DATA_DIR="$WORK/sqlite"
import_http "SQLite"
if [[ "$POSTGRES" == 1 ]]; then
  start_postgres
  import_cli "PostgreSQL, herald import-leads" HERALD_DATA_DIR="$WORK/pg-cli" HERALD_DATABASE_URL="$PG_URL" \
    HERALD_JWT_SECRET="$JWT"
fi
echo
echo "### GET /api/leads ($ROWS rows imported, signed in)"
table_header
list_rows "SQLite" "$WORK/sqlite"
if [[ "$POSTGRES" == 1 ]]; then
  list_rows "PostgreSQL" "$WORK/pg-cli" HERALD_DATABASE_URL="$PG_URL" HERALD_JWT_SECRET="$JWT" HERALD_HTTP_THREADS=8
fi
[[ "$BASELINE" == 1 ]] && baseline_row
echo
echo "### GET /api/leads/export (every lead)"
printf '| %-34s | %10s | %9s | %7s | %9s | %9s |\n' "backend" "time" "CSV" "heap before" "peak heap" "peak mmap"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "-----------:" "----------:" "--------:" "----------:" "----------:"
export_row "SQLite" "$WORK/sqlite"
if [[ "$POSTGRES" == 1 ]]; then
  export_row "PostgreSQL" "$WORK/pg-cli" HERALD_DATABASE_URL="$PG_URL" HERALD_JWT_SECRET="$JWT"
fi
