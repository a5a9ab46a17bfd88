#!/usr/bin/env bash
# A campaign to 100,000 leads end to end, as a user runs it: `herald serve`
# (API + workers) with a DKIM key (RSA-2048) for the sending domain, the
# leads imported with `herald import-leads`, a template, POST /api/campaigns
# with send_now, delivered to postfix's smtp-sink through the SMTP pool.
# Reported: messages/s from send to completed, what the sink received, the
# server's peak RSS, the load average; on SQLite (embedded queue) and on
# PostgreSQL + Redis; beside openssl's RSA-2048 sign rate (the ceiling).
# Also the CPU each message cost Herald, the database servers and the sink
# (from /proc), and what two cores doing only this would deliver — the
# figure that says something on a machine other work keeps busy.
# Then the open pixel and the click redirect with wrk.
#
#   bench/campaign.sh        LEADS=100000 SQLITE=1 POSTGRES=1 CONCURRENCY=32 POOL=32 DURATION=10s
#                            PG_OPTS="-c …" (more PostgreSQL settings, e.g. to load pg_stat_statements)
#                            STATEMENTS=1 (PostgreSQL: pg_stat_statements' costliest statements of the
#                            sending interval, needs PG_OPTS="-c shared_preload_libraries=pg_stat_statements";
#                            Redis: INFO commandstats)
#   BASELINE=1 bench/campaign.sh   also runs the design's Celery path (SPEC §7,
#                            ../shared/bench/baseline-celery, CELERY_DIR=… to point
#                            elsewhere) right after Herald's campaigns, CELERY_N
#                            messages (default 3,000) of the same content into the
#                            same smtp-sink binary, and prints Herald msg/s, Celery
#                            msg/s and their ratio (target ≥ 10×). Needs
#                            bench/setup.sh (Celery, redis, jinja2, dkimpy).
#   TRACKING=0               skips the open pixel and click rows.
#   PROFILE=1                also prints, per backend, the seconds from send to the first and the last
#                            message at the sink and a per-second trace of the CPU (Herald, database
#                            servers, sink, % of one core) across the run; PERF=1 also records
#                            `perf record -g` of herald over the sending interval (Debian linux-perf)
#                            and prints `perf report --no-children`'s top entries (PERF_DIR=… keeps
#                            the perf.data files).
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
ROOT=$(cd .. && pwd)
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }

LEADS="${LEADS:-100000}"
PORT="${PORT:-18190}"
POSTGRES="${POSTGRES:-1}"
SQLITE="${SQLITE:-1}"
CONCURRENCY="${CONCURRENCY:-32}"
STATEMENTS="${STATEMENTS:-0}"
TRACKING="${TRACKING:-1}"
POOL="${POOL:-32}"
WORK="$(mktemp -d /tmp/herald-campaign-bench.XXXXXX)"
chmod 755 "$WORK"
PG_DIR=""
REDIS_PID=""
BASELINE="${BASELINE:-0}"
declare -A RATES=() CPU_US=()  # backend row name -> msg/s, all CPU µs/msg: for the Celery comparison
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
JWT=0123456789abcdef0123456789abcdef-bench

# ---- smtp-sink, extracted once from the postfix package (no MTA installed) ----
PF="$ROOT/.cache/postfix"
if [[ ! -x "$PF/usr/sbin/smtp-sink" ]]; then
  echo "extracting smtp-sink from the postfix package into $PF" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download postfix >/dev/null 2>&1) || { echo "apt-get download postfix failed" >&2; exit 1; }
  mkdir -p "$PF"
  dpkg -x "$tmp"/postfix_*.deb "$PF"
  rm -rf "$tmp"
fi
SINK_USER=()
[[ $(id -u) -eq 0 ]] && SINK_USER=(-u nobody)
SINK_PID=""
SINK_OUT=""
start_sink() {
  SINK_OUT=$(mktemp -p "$WORK")
  LD_LIBRARY_PATH="$PF/usr/lib/postfix" "$PF/usr/sbin/smtp-sink" -c "${SINK_USER[@]}" "127.0.0.1:$1" 1024 \
    >"$SINK_OUT" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "smtp-sink did not start" >&2
  return 1
}
stop_sink() {
  [[ -n "$SINK_PID" ]] || return 0
  kill "$SINK_PID" 2>/dev/null || true
  wait "$SINK_PID" 2>/dev/null || true
  SINK_PID=""
}
sink_count() { tr '\r' '\n' <"$SINK_OUT" | awk -F'mesg=' 'NF > 1 { n = $2 } END { print n + 0 }'; }

cleanup() {
  stop_herald
  stop_sink
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# cpu_ticks PID — user + system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
# db_ticks — CPU of the database servers so far (PostgreSQL's processes,
# exited backends included, and Redis); 0 on SQLite, which runs inside Herald.
db_ticks() {
  local total=0 pm
  if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
    pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    for p in "$pm" $(pgrep -P "$pm"); do
      total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
  fi
  [[ -n "$REDIS_PID" ]] && total=$((total + $(cpu_ticks "$REDIS_PID")))
  echo "$total"
}

kb_to_mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
peak_rss_mb() { kb_to_mb "$(awk '/VmHWM/ {print $2}' "/proc/$1/status")"; }
# The statements and commands of the sending interval (STATEMENTS=1, PostgreSQL + Redis).
pg_sql() { runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -d herald -qAt -F ' | ' -c "$1"; }
stmt_reset() {
  [[ "$STATEMENTS" == 1 && -n "$PG_DIR" ]] || return 0
  pg_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
  redis-cli -p "$redis_port" CONFIG RESETSTAT >/dev/null
}
stmt_report() {
  [[ "$STATEMENTS" == 1 && -n "$PG_DIR" ]] || return 0
  echo "pg_stat_statements (calls | rows | total exec ms | shared hit | statement):" >&2
  pg_sql "SELECT calls, rows, round(total_exec_time::numeric, 0), shared_blks_hit,
                 left(regexp_replace(query, '\s+', ' ', 'g'), 110)
          FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" >&2
  pg_sql "SELECT 'all statements', sum(calls), round(sum(total_exec_time)::numeric, 0) FROM pg_stat_statements" >&2
  pg_sql "SELECT relname, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count, pg_size_pretty(pg_total_relation_size(relid))
          FROM pg_stat_user_tables WHERE relname IN ('campaign_recipients', 'campaign_events', 'campaigns', 'jobs')" >&2
  pg_sql "SELECT indexrelname, idx_scan, pg_size_pretty(pg_relation_size(indexrelid)) FROM pg_stat_user_indexes
          WHERE relname = 'campaign_recipients'" >&2
  echo "redis INFO commandstats:" >&2
  redis-cli -p "$redis_port" INFO commandstats | grep '^cmdstat' >&2
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

login() {
  curl -sf "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' | json 'd["token"]'
}
call() {  # call METHOD PATH [JSON] — against $API with $TOKEN
  local body=()
  [[ $# -ge 3 ]] && body=(-H 'Content-Type: application/json' -d "$3")
  curl -sf -X "$1" "$API$2" -H "Authorization: Bearer $TOKEN" "${body[@]}"
}

make_csv() {
  local f="$WORK/leads.csv"
  [[ -f "$f" ]] && return 0
  leads_csv "$f" "$LEADS"
}

TEMPLATE_HTML='<html><body><p>Hi {{first_name|there}},</p><p>News from us for {{company|your team}}: our winter offer is here, with a few words more so that the message is the size of a real newsletter. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p><p><a href="https://example.org/offer">See the offer</a> · <a href="https://example.org/blog">Blog</a> · <a href="https://example.org/pricing">Pricing</a> · <a href="https://example.org/help">Help</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>'

# With BASELINE=1 Herald's message carries the Celery baseline's content (its
# tasks.py: a greeting, "Some content. " × 150, one link), so both sides
# render, encode and sign the same ~4.3 KB of text: 7,125 bytes on the wire
# for Celery (base64 parts), 6,399 for Herald (quoted-printable parts).
if [[ "$BASELINE" == 1 ]]; then
  TEMPLATE_HTML="<html><body><p>Hi {{first_name|there}},</p><p>$(printf 'Some content. %.0s' $(seq 1 150))</p><p><a href=\"https://example.org/x\">More</a></p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>"
fi

# campaign_row NAME ENV... — one end-to-end run; prints a table row.
campaign_row() {
  local name="$1"
  shift
  local data="$WORK/data-$name"
  mkdir -p "$data"
  local sink_port=$((PORT + 50))
  start_sink "$sink_port"
  make_csv
  env HERALD_DATA_DIR="$data" HERALD_JWT_SECRET="$JWT" "$@" "$BIN" import-leads "$WORK/leads.csv" >/dev/null 2>&1
  start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}" HERALD_PUBLIC_URL=https://mail.example.org \
    HERALD_SMTP_URL="smtp://127.0.0.1:$sink_port?starttls=never" HERALD_SMTP_POOL="$POOL" \
    HERALD_WORKER_CONCURRENCY="$CONCURRENCY" "$@"
  API="http://127.0.0.1:$PORT"
  TOKEN=$(login "$PORT")
  call POST /api/settings/dkim '{"domain":"example.com","selector":"bench"}' >/dev/null
  local tid
  tid=$(call POST /api/templates "$(python3 -c 'import json,sys; print(json.dumps({"name":"Bench","subject":"Winter news for {{first_name|you}}","html":sys.argv[1]}))' "$TEMPLATE_HTML")" | json 'd["id"]')
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  local t0 t1 id
  local cpu0 sink0 db0
  cpu0=$(cpu_ticks "$HERALD_PID")
  sink0=$(cpu_ticks "$SINK_PID")
  stmt_reset
  db0=$(db_ticks)
  local trace_pid="" perf_pid="" first_pid="" t_first="" t_last=""
  if [[ "${PROFILE:-0}" == 1 ]]; then
    # One line a second: elapsed s, then % of one core for Herald, the database servers, the sink.
    (
      local h0 d0 s0 h1 d1 s1 i=0
      h0=$(cpu_ticks "$HERALD_PID") d0=$(db_ticks) s0=$(cpu_ticks "$SINK_PID")
      while sleep 1; do
        i=$((i + 1))
        h1=$(cpu_ticks "$HERALD_PID" 2>/dev/null) || break
        d1=$(db_ticks) s1=$(cpu_ticks "$SINK_PID" 2>/dev/null) || break
        echo "$i $(((h1 - h0) * 100 / TICK)) $(((d1 - d0) * 100 / TICK)) $(((s1 - s0) * 100 / TICK))"
        h0=$h1 d0=$d1 s0=$s1
      done
    ) >"$WORK/trace-$name" 2>/dev/null &
    trace_pid=$!
    # The first message's time, watched from before the send: the POST may
    # answer after the first messages went out.
    (while (($(sink_count) == 0)); do sleep 0.05; done; date +%s.%N >"$WORK/first-$name") 2>/dev/null &
    first_pid=$!
    if [[ "${PERF:-0}" == 1 ]]; then
      command -v perf >/dev/null || apt-get install -y linux-perf >/dev/null
      perf record -q -g -F 499 -p "$HERALD_PID" -o "${PERF_DIR:-$WORK}/perf-${name// /}.data" >/dev/null 2>&1 &
      perf_pid=$!
    fi
  fi
  t0=$(date +%s.%N)
  id=$(call POST /api/campaigns "{\"name\":\"Bench\",\"template_id\":$tid,\"from_email\":\"news@example.com\",\"from_name\":\"Bench\",\"audience\":{\"all\":true},\"send_now\":true}" | json 'd["id"]')
  # Waiting for the end costs the server nothing while the campaign runs: the
  # sink's own counter is read every 0.25 s, and the API (whose answer counts
  # the campaign's recipients by state, a scan of all 100,000 rows) only once
  # the sink has every message, or every 5 s should some never arrive.
  local status="sending" last_api=0 now_s
  local got
  while [[ "$status" == "sending" ]]; do
    sleep 0.25
    now_s=$(date +%s)
    got=$(sink_count)
    [[ -z "$t_first" && "$got" -gt 0 ]] && t_first=$(date +%s.%N)
    [[ -z "$t_last" && "$got" -ge "$LEADS" ]] && t_last=$(date +%s.%N)
    if ((got >= LEADS || now_s - last_api >= 5)); then
      status=$(call GET "/api/campaigns/$id" | json 'd["status"]')
      last_api=$now_s
    fi
  done
  t1=$(date +%s.%N)
  local cpu1 sink1 db1
  cpu1=$(cpu_ticks "$HERALD_PID")
  sink1=$(cpu_ticks "$SINK_PID")
  db1=$(db_ticks)
  if [[ -n "$trace_pid" ]]; then
    kill "$trace_pid" 2>/dev/null || true
    kill "$first_pid" 2>/dev/null || true
    [[ -s "$WORK/first-$name" ]] && t_first=$(cat "$WORK/first-$name")
    if [[ -n "$perf_pid" ]]; then kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" 2>/dev/null || true; fi
    {
      awk -v a="$t0" -v f="${t_first:-$t0}" -v l="${t_last:-$t1}" -v b="$t1" 'BEGIN {
        printf "%s: first message at the sink %.2f s after send, the last at %.2f s, completed at %.2f s\n", "'"$name"'", f - a, l - a, b - a }'
      echo "CPU per second (% of one core), Herald / database / sink:"
      awk '{ printf "%s:%s/%s/%s ", $1, $2, $3, $4 } END { print "" }' "$WORK/trace-$name"
      if [[ -f "$data/herald.db" ]] && command -v sqlite3 >/dev/null; then
        # The embedded queue keeps its finished jobs: when the expansion ran, when
        # the emails jobs ran, how long they waited in the queue.
        sqlite3 -readonly "$data/herald.db" "SELECT name, COUNT(*), printf('%.2f', MIN(started_at) / 1e3 - $t0),
            printf('%.2f', MAX(finished_at) / 1e3 - $t0), printf('%.0f', AVG(started_at - MAX(run_at, created_at))),
            MAX(started_at - MAX(run_at, created_at)) FROM jobs GROUP BY name" |
          awk -F'|' '{ printf "job %s: %s, first started at %s s, last finished at %s s, waited in the queue %s ms on average, at most %s ms\n", $1, $2, $3, $4, $5, $6 }'
      fi
      if [[ -n "$perf_pid" ]]; then
        for sort in dso dso,symbol; do
          perf report -i "${PERF_DIR:-$WORK}/perf-${name// /}.data" --no-children -g none --sort "$sort" --percent-limit 0.7 \
            --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | sed 's/ *$//' | head -n 30
        done
      fi
    } >&2 || true  # a report cut short (head) must not end the run
  fi
  stmt_report
  sleep 1
  local c sent received rss load_after
  c=$(call GET "/api/campaigns/$id")
  sent=$(json 'd["stats"]["sent"]' <<<"$c")
  received=$(sink_count)
  rss=$(peak_rss_mb "$HERALD_PID")
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  stop_herald
  stop_sink
  local secs rate us sink_us db_us free
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
  rate=$(awk -v n="$sent" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
  # CPU each message cost Herald (everything: API, queue, database client,
  # compose, DKIM, SMTP) and the sink; "2 free cores" = what two cores doing
  # only this would deliver — the figure a loaded machine cannot show directly.
  us=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$sent" -v t="$TICK" 'BEGIN {printf "%.0f", (b - a) / t * 1e6 / n}')
  sink_us=$(awk -v a="$sink0" -v b="$sink1" -v n="$sent" -v t="$TICK" 'BEGIN {printf "%.0f", (b - a) / t * 1e6 / n}')
  db_us=$(awk -v a="$db0" -v b="$db1" -v n="$sent" -v t="$TICK" 'BEGIN {printf "%.0f", (b - a) / t * 1e6 / n}')
  free=$(awk -v h="$us" -v s="$sink_us" -v d="$db_us" 'BEGIN {printf "%.0f", 2e6 / (h + s + d)}')
  printf '| %-26s | %7s | %6s | %8s | %6s | %7s | %7s | %s | %s | %s | %s | %s | %s → %s |\n' "$name" "$LEADS" "$status" \
    "$sent" "$received" "$secs" "$rate" "$rss" "$us" "$db_us" "$sink_us" "$free" "$load_before" "$load_after"
  RATES["$name"]="$rate"
  CPU_US["$name"]=$((us + db_us + sink_us))
}

# ---- the ceiling ----------------------------------------------------------------
speed=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
speed2=$(openssl speed -multi 2 -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
echo "openssl speed rsa2048: ${speed} signs/s on one core, ${speed2} signs/s with -multi 2; uptime:$(uptime | sed 's/.*load/ load/')"
echo
printf '| %-26s | %7s | %6s | %8s | %6s | %7s | %7s | %s |\n' "backend" "leads" "status" "sent" "sink" "seconds" "msg/s" \
  "peak RSS MiB | Herald CPU µs/msg | PostgreSQL + Redis CPU µs/msg | sink CPU µs/msg | 2 free cores msg/s | load avg before → after"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "----------------------------" "--------:" "--------" "---------:" "-------:" \
  "--------:" "--------:" "------:" "------:" "------:" "------:" "------:" "---"

[[ "$SQLITE" == 1 ]] && campaign_row sqlite HERALD_DATABASE_URL="sqlite://$WORK/data-sqlite/herald.db"

if [[ "$POSTGRES" == 1 ]]; then
  PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR="$WORK/pg"
  mkdir -p "$PG_DIR"
  chown postgres: "$PG_DIR"
  pg_port=$((PORT + 100))
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_buffers=512MB ${PG_OPTS:-}" \
    start >/dev/null
  runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE herald" >/dev/null
  redis_port=$((PORT + 101))
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >/dev/null 2>&1 &
  REDIS_PID=$!
  sleep 0.3
  campaign_row "postgresql + redis" HERALD_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/herald" \
    HERALD_REDIS_URL="redis://127.0.0.1:$redis_port/0" HERALD_HTTP_THREADS=8
fi

# ---- the design's Celery path, in the same run (SPEC §7: Herald ≥ 10× it) -------
# Its own bench.sh: Redis, a Celery worker pool (prefork, WORKERS = nproc),
# Jinja2 + email.mime + dkimpy (RSA-2048) + smtplib, into postfix's smtp-sink
# (the same binary as above); msg/s from the first bulk task to the last
# message at the sink.
if [[ "$BASELINE" == 1 ]]; then
  CELERY_N="${CELERY_N:-3000}"
  if [[ -z "${CELERY_DIR:-}" ]]; then
    for d in "$ROOT/../shared/bench/baseline-celery" "$ROOT/../../shared/bench/baseline-celery"; do
      [[ -x "$d/bench.sh" ]] && CELERY_DIR=$(cd "$d" && pwd) && break
    done
  fi
  [[ -x "${CELERY_DIR:-}/bench.sh" ]] || { echo "the Celery baseline is missing: set CELERY_DIR" >&2; exit 1; }
  /usr/bin/python3 -c 'import celery, redis, jinja2, dkim' 2>/dev/null ||
    { echo "the Celery baseline's packages are missing: run bench/setup.sh" >&2; exit 1; }
  echo
  celery_load=$(cut -d' ' -f1 /proc/loadavg)
  # GNU time: the CPU of bench.sh and everything it ran and reaped (the Celery
  # workers, the enqueuing script, Redis, the sink; start-up included).
  celery_out=$(SINK_DIR="$PF" /usr/bin/time -f 'cpu %U %S' -o "$WORK/celery.time" "$CELERY_DIR/bench.sh" "$CELERY_N" 2>&1 |
    tail -n 1)
  echo "$celery_out; load average $celery_load → $(cut -d' ' -f1 /proc/loadavg)"
  celery_rate=$(sed -n 's/.*= \([0-9,]*\) msg\/s.*/\1/p' <<<"$celery_out" | tr -d ,)
  celery_got=$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) delivered.*/\1/p' <<<"$celery_out")
  celery_us=$(awk -v n="${celery_got:-0}" '/^cpu / { if (n > 0) printf "%.0f", ($2 + $3) * 1e6 / n }' "$WORK/celery.time")
  echo
  # Beside the wall-clock ratio, the CPU one: all CPU per message (Herald +
  # database servers + sink, against the whole Celery stack) — what the ratio
  # would be on two cores doing only this.
  printf '| %-26s | %7s | %11s | %10s | %14s | %s | %s | %s | %s |\n' "Herald backend" "leads" "Herald msg/s" \
    "Celery msg/s" "Celery delivered" "Herald ÷ Celery (target ≥ 10)" "Herald CPU µs/msg (all)" "Celery CPU µs/msg (all)" \
    "CPU ratio"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "----------------------------" "--------:" "------------:" "-----------:" \
    "---------------:" "------:" "------:" "------:" "------:"
  for name in "${!RATES[@]}"; do
    ratio=$(awk -v h="${RATES[$name]}" -v c="${celery_rate:-0}" 'BEGIN { if (c > 0) printf "%.1f", h / c; else print "—" }')
    cpu_ratio=$(awk -v h="${CPU_US[$name]:-0}" -v c="${celery_us:-0}" 'BEGIN { if (h > 0 && c > 0) printf "%.1f", c / h; else print "—" }')
    printf '| %-26s | %7s | %11s | %10s | %14s | %s | %s | %s | %s |\n' "$name" "$LEADS" "${RATES[$name]}" \
      "${celery_rate:-—}" "${celery_got:-0} of $CELERY_N" "$ratio" "${CPU_US[$name]:-—}" "${celery_us:-—}" "$cpu_ratio"
  done
fi
[[ "$TRACKING" == 1 ]] || { echo "uptime after:$(uptime | sed 's/.*load/ load/')"; exit 0; }

# ---- tracking links ---------------------------------------------------------------
# A one-lead campaign into the outbox; its message's pixel and click links under wrk.
echo
data="$WORK/data-tracking"
mkdir -p "$data"
start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}" HERALD_PUBLIC_RATE_LIMIT=1000000000/min
API="http://127.0.0.1:$PORT"
TOKEN=$(login "$PORT")
message=$(outbox_message "$API" "$TOKEN" "$TEMPLATE_HTML")
pixel=$(grep -o '/t/o/[A-Za-z0-9_-]*' <<<"$message" | head -1)
click=$(grep -o '/t/c/[A-Za-z0-9_-]*' <<<"$message" | head -1)
table_header
wrk_row "open pixel GET /t/o/{token}" "$API$pixel"
wrk_row "click redirect GET /t/c/{token} (302)" "$API$click"
stop_herald
echo "uptime after:$(uptime | sed 's/.*load/ load/')"
