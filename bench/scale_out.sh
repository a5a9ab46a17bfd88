#!/usr/bin/env bash
# One worker vs two (issue 15's ratio, target ≥ 1.8× until the SMTP sink or
# RSA signing is the ceiling): throwaway PostgreSQL + Redis, postfix's
# smtp-sink, a DKIM key (RSA-2048) for the sending domain, one `herald serve
# --no-workers` (the API), and then 1, then 2 `herald worker` processes, each
# with a default deployment's threads and pool (HERALD_WORKER_CONCURRENCY=4,
# HERALD_SMTP_POOL=4, unless CONCURRENCY / POOL say otherwise). Each run sends
# a campaign to all LEADS leads; reported: msg/s from the first to the last
# message at the sink (its own counter, read every 0.1 s), exactly LEADS
# delivered (the sink's count and the campaign's `sent`), and the CPU each
# process used over the run (herald workers, the API, PostgreSQL with its
# backends, Redis, the sink) as a share of one core, so that the ceiling can
# be named. `openssl speed rsa2048` (one core and -multi 2) beside it.
#
#   bench/scale_out.sh        LEADS=20000 RUNS="1 2" CONCURRENCY=4 POOL=4 PORT=18490
#                             PG_OPTS="-c …" (more PostgreSQL settings; as bench/campaign.sh, fsync stays on)
#
# Needs bench/setup.sh (smtp-sink from the postfix package) and a release build.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
ROOT=$(cd .. && pwd)
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }
PF="$ROOT/.cache/postfix"
[[ -x "$PF/usr/sbin/smtp-sink" ]] || { echo "smtp-sink is missing: run bench/setup.sh" >&2; exit 1; }

LEADS="${LEADS:-20000}"
RUNS="${RUNS:-1 2}"
CONCURRENCY="${CONCURRENCY:-4}"
POOL="${POOL:-4}"
PORT="${PORT:-18490}"
API_PORT=$PORT
SINK_PORT=$((PORT + 1))
PG_PORT=$((PORT + 2))
REDIS_PORT=$((PORT + 3))
WORK="$(mktemp -d /tmp/herald-scale-out-bench.XXXXXX)"
chmod 755 "$WORK"
JWT=0123456789abcdef0123456789abcdef-bench
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DIR="$WORK/pg"
REDIS_PID=""
SINK_PID=""
API_PID=""
WORKER_PIDS=()

stop_pid() {
  [[ -n "${1:-}" ]] || return 0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
stop_workers() {
  local p
  for p in "${WORKER_PIDS[@]}"; do stop_pid "$p"; done
  WORKER_PIDS=()
}
cleanup() {
  stop_workers
  stop_pid "$API_PID"
  stop_pid "$SINK_PID"
  stop_pid "$REDIS_PID"
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

TICK=$(getconf CLK_TCK)
# ticks PID — user + system CPU of a process so far (clock ticks); with
# CHILDREN=1 also that of its waited-for children (PostgreSQL's exited backends).
ticks() {
  awk -v c="${CHILDREN:-0}" '{ sub(/^.*\) /, ""); print $12 + $13 + (c ? $14 + $15 : 0) }' "/proc/$1/stat" 2>/dev/null ||
    echo 0
}
pg_ticks() {
  local pm total=0 p
  pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  total=$(CHILDREN=1 ticks "$pm")
  for p in $(pgrep -P "$pm"); do total=$((total + $(ticks "$p"))); done
  echo "$total"
}
sink_count() { tr '\r' '\n' <"$WORK/sink.out" | awk -F'mesg=' 'NF > 1 { n = $2 } END { print n + 0 }'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
call() {
  local body=()
  [[ $# -ge 3 ]] && body=(-H 'Content-Type: application/json' -d "$3")
  curl -sf -X "$1" "http://127.0.0.1:$API_PORT$2" -H "Authorization: Bearer $TOKEN" "${body[@]}"
}

# ---- services -------------------------------------------------------------------
mkdir -p "$PG_DIR"
chown postgres: "$PG_DIR"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_buffers=512MB ${PG_OPTS:-}" \
  start >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE herald" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >/dev/null 2>&1 &
REDIS_PID=$!
SINK_USER=()
[[ $(id -u) -eq 0 ]] && SINK_USER=(-u nobody)
LD_LIBRARY_PATH="$PF/usr/lib/postfix" "$PF/usr/sbin/smtp-sink" -c "${SINK_USER[@]}" "127.0.0.1:$SINK_PORT" 1024 \
  >"$WORK/sink.out" 2>&1 &
SINK_PID=$!

ENV=(HERALD_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/herald"
  HERALD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" HERALD_JWT_SECRET="$JWT"
  HERALD_PUBLIC_URL=https://mail.example.org HERALD_LOG_FORMAT=json
  HERALD_SMTP_URL="smtp://127.0.0.1:$SINK_PORT?starttls=never"
  HERALD_SMTP_POOL="$POOL" HERALD_WORKER_CONCURRENCY="$CONCURRENCY")

leads_csv "$WORK/leads.csv" "$LEADS"
mkdir -p "$WORK/api"
env HERALD_DATA_DIR="$WORK/api" "${ENV[@]}" "$BIN" import-leads "$WORK/leads.csv" >/dev/null 2>&1

env HERALD_DATA_DIR="$WORK/api" HERALD_LISTEN="127.0.0.1:$API_PORT" HERALD_RATE_LIMIT=1000000000/min \
  HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1 "${ENV[@]}" \
  "$BIN" serve --no-workers >"$WORK/api/server.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$API_PORT/api/health" >/dev/null 2>&1 && break
  sleep 0.05
done
TOKEN=$(curl -sf "http://127.0.0.1:$API_PORT/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@example.com","password":"bench-password-1"}' | json 'd["token"]')
call POST /api/settings/dkim '{"domain":"example.com","selector":"bench"}' >/dev/null
HTML='<html><body><p>Hi {{first_name|there}},</p><p>News from us for {{company|your team}}: our winter offer is here, with a few words more so that the message is the size of a real newsletter. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p><p><a href="https://example.org/offer">See the offer</a> · <a href="https://example.org/blog">Blog</a> · <a href="https://example.org/pricing">Pricing</a> · <a href="https://example.org/help">Help</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>'
TID=$(call POST /api/templates "$(python3 -c 'import json,sys; print(json.dumps({"name":"Bench","subject":"Winter news for {{first_name|you}}","html":sys.argv[1]}))' "$HTML")" | json 'd["id"]')

# ---- the ceiling -------------------------------------------------------------------
speed=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
speed2=$(openssl speed -multi 2 -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
echo "openssl speed rsa2048: ${speed} signs/s on one core, ${speed2} with -multi 2; $(nproc) cores"
echo "uptime before:$(uptime | sed 's/.*load/ load/')"
echo
printf '| %7s | %13s | %6s | %6s | %6s | %7s | %7s | %-21s | %6s | %6s | %6s | %6s | %6s | %9s | %s |\n' \
  workers "threads×pool" leads sent sink seconds "msg/s" "worker CPU % (each)" "API %" "PG %" "Redis %" "sink %" \
  "total %" "µs CPU/msg" "load before → after"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "--------:" "--------------:" "-------:" "-------:" \
  "-------:" "--------:" "--------:" "----------------------" "-------:" "-------:" "--------:" "-------:" "--------:" \
  "----------:" "---"

declare -A RATE=()
run=0
for n in $RUNS; do
  run=$((run + 1))
  for i in $(seq 1 "$n"); do
    mkdir -p "$WORK/w$run-$i"
    env HERALD_DATA_DIR="$WORK/w$run-$i" "${ENV[@]}" "$BIN" worker >"$WORK/w$run-$i/worker.log" 2>&1 &
    WORKER_PIDS+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 200); do
      grep -q '"workers started"' "$WORK/w$run-$i/worker.log" 2>/dev/null && break
      sleep 0.05
    done
  done
  load0=$(cut -d' ' -f1 /proc/loadavg)
  base=$(sink_count)
  w0=()
  for i in "${!WORKER_PIDS[@]}"; do w0[i]=$(ticks "${WORKER_PIDS[$i]}"); done
  api0=$(ticks "$API_PID") pg0=$(pg_ticks) redis0=$(ticks "$REDIS_PID") sink0=$(ticks "$SINK_PID")
  t_campaign=$(date +%s.%N)
  id=$(call POST /api/campaigns "{\"name\":\"Scale $run\",\"template_id\":$TID,\"from_email\":\"news@example.com\",\"from_name\":\"Bench\",\"audience\":{\"all\":true},\"send_now\":true}" | json 'd["id"]')
  # The first and the last message at the sink, by its own counter.
  t_first="" t_last="" idle=0 last_got=0
  while :; do
    got=$(($(sink_count) - base))
    now=$(date +%s.%N)
    [[ -z "$t_first" && $got -gt 0 ]] && t_first=$now
    if ((got >= LEADS)); then
      t_last=$now
      break
    fi
    if ((got == last_got)); then idle=$((idle + 1)); else idle=0; fi
    last_got=$got
    ((idle < 1200)) || { echo "run $run: stuck at $got of $LEADS for 120 s" >&2; break; }
    sleep 0.1
  done
  w1=()
  for i in "${!WORKER_PIDS[@]}"; do w1[i]=$(ticks "${WORKER_PIDS[$i]}"); done
  api1=$(ticks "$API_PID") pg1=$(pg_ticks) redis1=$(ticks "$REDIS_PID") sink1=$(ticks "$SINK_PID")
  t_end=$(date +%s.%N)
  t_last=${t_last:-$t_end}
  status=""
  for _ in $(seq 1 600); do
    status=$(call GET "/api/campaigns/$id" | json 'd["status"]')
    [[ "$status" != sending ]] && break
    sleep 0.2
  done
  sleep 1
  sent=$(call GET "/api/campaigns/$id" | json 'd["stats"]["sent"]')
  at_sink=$(($(sink_count) - base))
  load1=$(cut -d' ' -f1 /proc/loadavg)
  stop_workers

  secs=$(awk -v a="${t_first:-$t_last}" -v b="$t_last" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="$at_sink" -v s="$secs" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }')
  RATE[$n]="$rate"
  # CPU from the campaign's creation to its last message, as % of one core
  # (200 % = both cores), and all of it per message.
  window=$(awk -v a="$t_campaign" -v b="$t_end" 'BEGIN { print b - a }')
  pct() { awk -v d="$1" -v t="$TICK" -v w="$window" 'BEGIN { printf "%.0f", d / t / w * 100 }'; }
  each="" total=0
  for i in "${!w1[@]}"; do
    d=$((w1[i] - w0[i]))
    each+="${each:+ + }$(pct "$d")"
    total=$((total + d))
  done
  d_api=$((api1 - api0)) d_pg=$((pg1 - pg0)) d_redis=$((redis1 - redis0)) d_sink=$((sink1 - sink0))
  total=$((total + d_api + d_pg + d_redis + d_sink))
  us=$(awk -v d="$total" -v t="$TICK" -v n="$at_sink" 'BEGIN { if (n > 0) printf "%.0f", d / t * 1e6 / n; else print 0 }')
  printf '| %7s | %13s | %6s | %6s | %6s | %7s | %7s | %-21s | %6s | %6s | %6s | %6s | %6s | %9s | %s |\n' \
    "$n" "${CONCURRENCY}×${POOL} each" "$LEADS" "$sent" "$at_sink" "$secs" "$rate" "$each" "$(pct "$d_api")" \
    "$(pct "$d_pg")" "$(pct "$d_redis")" "$(pct "$d_sink")" "$(pct "$total")" "$us" "$load0 → $load1"
  [[ "$status" == completed && "$sent" == "$LEADS" && "$at_sink" == "$LEADS" ]] ||
    echo "run $run ($n workers): status $status, sent $sent, at the sink $at_sink of $LEADS" >&2
done
echo
if [[ -n "${RATE[1]:-}" && -n "${RATE[2]:-}" && "${RATE[1]}" != 0 ]]; then
  echo "two workers ÷ one: $(awk -v a="${RATE[2]}" -v b="${RATE[1]}" 'BEGIN { printf "%.2f", a / b }')× (target ≥ 1.8 until the sink or RSA signing is the ceiling)"
fi
echo "uptime after:$(uptime | sed 's/.*load/ load/')"
