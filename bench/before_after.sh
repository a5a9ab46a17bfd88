#!/usr/bin/env bash
# Two herald binaries side by side on one SQLite database: GET /api/health and
# GET /api/leads (signed in) with wrk, in interleaved rounds, so that both see
# the same machine. The leads are imported once, by BEFORE (the older binary
# must be able to open the database: give it a schema it knows).
#
#   BEFORE=/path/to/old/herald AFTER=build/herald bench/before_after.sh
#   ROWS=1000000 ROUNDS=2 DURATION=8s WARMUP=2s CONNS=64 THREADS=2
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
: "${BEFORE:?set BEFORE to the older binary}"
AFTER="${AFTER:-$BIN}"
ROWS="${ROWS:-1000000}"
ROUNDS="${ROUNDS:-2}"
PORT="${PORT:-18130}"
export DURATION="${DURATION:-8s}" WARMUP="${WARMUP:-2s}"
WORK="$(mktemp -d /tmp/herald-before-after.XXXXXX)"
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
trap 'stop_herald; rm -rf "$WORK"' EXIT

login() {
  curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs)"
echo "before: $BEFORE ($("$BEFORE" version | sed -n 2p))"
echo "after:  $AFTER ($("$AFTER" version | sed -n 2p))"
python3 leads/gen_leads.py "$WORK/leads.csv" "$ROWS"
mkdir -p "$WORK/data"
env HERALD_DATA_DIR="$WORK/data" HERALD_LOG_FORMAT=json "${ADMIN[@]}" "$BEFORE" import-leads "$WORK/leads.csv" \
  >"$WORK/import.log" 2>&1
echo "imported $ROWS leads; wrk -t${THREADS:-2} -c${CONNS:-64} -d$DURATION after a $WARMUP warm-up"
echo
printf '| round | binary | load | %s | %s | %s | %s |\n' "GET /api/health" "status=new p1-10, cache off" \
  "status=new p1-200, cache on" "no filter p7, cache on"
echo "|---:|---|---:|---:|---:|---:|---:|"

rps() { sed -nE 's/^\| [^|]+\| +([0-9]+) .*/\1/p'; }

for round in $(seq 1 "$ROUNDS"); do
  for which in after before; do
    bin="$AFTER"
    [[ "$which" == before ]] && bin="$BEFORE"
    load=$(cut -d' ' -f1 /proc/loadavg)
    BIN="$bin" start_herald "$PORT" "$WORK/data" "${ADMIN[@]}" HERALD_PAGE_CACHE=0
    token=$(login)
    health=$(wrk_row health "http://127.0.0.1:$PORT/api/health" | rps)
    off=$(TOKEN="$token" PATHS="/api/leads?status=new" MAX_PAGE=10 \
      wrk_row off "http://127.0.0.1:$PORT" -s leads/list.lua | rps)
    stop_herald
    BIN="$bin" start_herald "$PORT" "$WORK/data" "${ADMIN[@]}" HERALD_PAGE_CACHE=64MiB
    token=$(login)
    on=$(TOKEN="$token" PATHS="/api/leads?status=new" MAX_PAGE=200 \
      wrk_row on "http://127.0.0.1:$PORT" -s leads/list.lua | rps)
    page7=$(wrk_row page7 "http://127.0.0.1:$PORT/api/leads?page=7" -H "Authorization: Bearer $token" | rps)
    stop_herald
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$round" "$which" "$load" "$health" "$off" "$on" "$page7"
  done
done
