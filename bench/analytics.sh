#!/usr/bin/env bash
# Analytics at 10,000,000 events, on SQLite and on PostgreSQL: the event log
# filled with a synthetic year of 200 campaigns to 100,000 leads (sends,
# bounces, opens — some through proxies —, clicks on 5 links, unsubscribes,
# replies), then `herald serve` started on it:
#   - the time its analytics.rollup jobs take to fold every event (events/s);
#   - GET /api/analytics/overview and /timeseries (a year, 30 days, one
#     campaign) and a campaign report under wrk, while one real message's
#     open pixel is hit INGEST_RATE times a second (default 1,000; a paced
#     wrk, bench/wrk/pace.lua) and the roll-up folds those events: reads are
#     measured on a system that is being written to. INGEST_RATE=0 measures
#     them on an idle one, as before 2026-11-30 15:00 UTC;
#   - the same endpoints with a different period per request
#     (bench/wrk/analytics_periods.lua: from/to at random in 2026, 30 to 365
#     days), so answers kept from an earlier request are not all it shows;
#   - ingest: wrk on the open pixel /t/o/{token} for INGEST (30 s) while the
#     roll-up runs: events written per second and the roll-up's lag at the end.
# Each row carries the server's CPU time per request and the load average
# (1 min) when it finished: the machine is shared.
#
#   bench/analytics.sh        EVENTS=10000000 DURATION=10s CONNS=16 BACKENDS="sqlite postgresql" ROLLUP_WINDOW=
#                             INGEST_RATE=1000 PG_STATS=
# PG_STATS=1: PostgreSQL with pg_stat_statements; after each row its
# statements by total time go to stderr (calls, per request, mean, max ms).
# PostgreSQL: a throwaway server of the script's own (initdb under /tmp), run as root.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }

EVENTS="${EVENTS:-10000000}"
PORT="${PORT:-18195}"
INGEST="${INGEST:-30}"
INGEST_RATE="${INGEST_RATE:-1000}"  # pixel hits/s while the report rows run (0: none)
ROLLUP_WINDOW="${ROLLUP_WINDOW:-}"  # seconds: measure the roll-up over this long only (see synthetic_rollup)
BACKENDS="${BACKENDS:-sqlite postgresql}"
export CONNS="${CONNS:-16}"
WORK="$(mktemp -d /tmp/herald-analytics-bench.XXXXXX)"
chmod 755 "$WORK"  # PostgreSQL runs as postgres
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
JWT=0123456789abcdef0123456789abcdef-bench
PG_BIN=""
PG_DIR=""
BG_PID=""  # the paced pixel writer during the report rows
cleanup() {
  [[ -z "$BG_PID" ]] || kill "$BG_PID" 2>/dev/null || true
  stop_herald
  if [[ -n "$PG_DIR" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# The server's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$HERALD_PID/stat"; }
# PostgreSQL's CPU time so far (the postmaster and its children: the
# server's pooled connections, the background workers), in clock ticks; 0 on SQLite.
pg_ticks() {
  [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]] || { echo 0; return; }
  local pm
  pm=$(head -1 "$PG_DIR/data/postmaster.pid")
  { echo "$pm"; pgrep -P "$pm"; } | while read -r p; do cat "/proc/$p/stat" 2>/dev/null || true; done |
    awk '{s += $14 + $15} END {print s + 0}'
}
TICK_MS=$(awk "BEGIN {print 1000 / $(getconf CLK_TCK)}")
# row NAME URL [wrk args...] — like wrk_row (bench/lib.sh), plus the server's
# CPU time per request (what the process spent during the measured run over
# the requests answered: steadier than latency on a shared machine; it
# includes the background writes' share), PostgreSQL's the same way (its
# processes' CPU over the run per request, the roll-up's and the pixel
# writes' share included; "-" on SQLite) and the load average when it finished.
row() {
  local name="$1" url="$2"
  shift 2
  local out c0 c1 g0 g1
  wrk -t"${THREADS:-2}" -c"$CONNS" -d"${WARMUP:-3s}" "$@" "$url" >/dev/null
  [[ -z "${PG_STATS:-}" || "$backend" != postgresql ]] || psql_q -c "SELECT pg_stat_statements_reset()" >/dev/null
  c0=$(cpu_ticks)
  g0=$(pg_ticks)
  out=$(wrk -t"${THREADS:-2}" -c"$CONNS" -d"${DURATION:-10s}" --latency "$@" "$url")
  c1=$(cpu_ticks)
  g1=$(pg_ticks)
  local rps p50 p99 non2xx n cpu pg
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v d="$((c1 - c0))" -v n="${n:-0}" -v t="$TICK_MS" 'BEGIN {if (n > 0) printf "%.2f", d * t / n; else print "-"}')
  pg=$(awk -v d="$((g1 - g0))" -v n="${n:-0}" -v t="$TICK_MS" -v b="$backend" \
    'BEGIN {if (b != "postgresql") print "-"; else if (n > 0) printf "%.2f", d * t / n; else print "-"}')
  printf '| %-40s | %10s | %8s | %8s | %7s | %7s | %7s | %5s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" "$cpu" "$pg" "$(load1)"
  if [[ -n "${PG_STATS:-}" && "$backend" == postgresql ]]; then
    # The run's statements by total execution time: calls, calls per request, mean and max ms.
    psql_q -tA -F ' | ' -c "SELECT calls, round(calls::numeric / greatest(${n:-0}, 1), 2), round(mean_exec_time::numeric, 3),
        round(max_exec_time::numeric, 2), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 6" | sed 's/^/    /' >&2
  fi
}

# The synthetic year: 2026-01-01 + a year; types by share: 40% delivered,
# 1% bounce, 1% rejected, 33% open (1 in 4 through Apple's proxy), 20% click,
# 2% unsubscribe, 3% reply.
fill_sqlite() {
  sqlite3 "$1" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200)
INSERT INTO campaigns (name, template_id, audience, status, created_at, updated_at)
SELECT 'Bench ' || i, 1, '{"all":true}', 'completed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM c;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $EVENTS)
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
SELECT 1 + (i % 200), 1 + abs(random()) % 100000,
       CASE WHEN r < 40 THEN 'delivered' WHEN r < 41 THEN 'bounce' WHEN r < 42 THEN 'rejected'
            WHEN r < 75 THEN 'open' WHEN r < 95 THEN 'click' WHEN r < 97 THEN 'unsubscribe' ELSE 'reply' END,
       1767225600000 + (i * 31536000000 / $EVENTS),
       CASE WHEN i % 4 = 0 THEN 'Mozilla/5.0' ELSE 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' END,
       CASE WHEN i % 4 = 0 THEN '17.58.1.' || (i % 250) ELSE '203.0.113.' || (i % 250) END,
       CASE WHEN r >= 75 AND r < 95 THEN 'https://example.org/link' || (i % 5) END
FROM (SELECT i, abs(random()) % 100 AS r FROM n);
COMMIT;
SQL
}

fill_postgres() {
  psql_q <<SQL
INSERT INTO campaigns (name, template_id, audience, status, created_at, updated_at)
SELECT 'Bench ' || i, 1, '{"all":true}', 'completed', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
FROM generate_series(1, 200) i;
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
SELECT 1 + (i % 200), 1 + (random() * 99999)::bigint,
       CASE WHEN r < 40 THEN 'delivered' WHEN r < 41 THEN 'bounce' WHEN r < 42 THEN 'rejected'
            WHEN r < 75 THEN 'open' WHEN r < 95 THEN 'click' WHEN r < 97 THEN 'unsubscribe' ELSE 'reply' END,
       1767225600000 + (i * 31536000000 / $EVENTS),
       CASE WHEN i % 4 = 0 THEN 'Mozilla/5.0' ELSE 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' END,
       CASE WHEN i % 4 = 0 THEN '17.58.1.' || (i % 250) ELSE '203.0.113.' || (i % 250) END,
       CASE WHEN r >= 75 AND r < 95 THEN 'https://example.org/link' || (i % 5) END
FROM (SELECT i, (random() * 100)::int AS r FROM generate_series(1::bigint, $EVENTS) i) s;
ANALYZE;
SQL
}

# Roll-up tables of a whole synthetic year: campaigns 0-200, every hour and
# day of 2026 (what 10M events over a year give), the watermark at the end.
synthetic_rollup() {
  local cols="sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied"
  local sql="DELETE FROM analytics_hourly; DELETE FROM analytics_daily;
INSERT INTO analytics_hourly (campaign_id, hour, $cols)
SELECT c, h, 5, 4, 1, 0, 3, 2, 2, 1, 2, 1, 0, 0 FROM CAMPAIGNS, HOURS;
INSERT INTO analytics_daily (campaign_id, day, $cols)
SELECT campaign_id, hour / 24, sum(sent), sum(delivered), sum(bounced), sum(rejected), sum(opens), sum(human_opens),
       sum(opened), sum(human_opened), sum(clicks), sum(clicked), sum(unsubscribed), sum(replied)
FROM analytics_hourly GROUP BY campaign_id, hour / 24;
UPDATE analytics_watermarks SET last_event_id = (SELECT max(id) FROM campaign_events);"
  if [[ "$backend" == sqlite ]]; then
    sql=${sql//CAMPAIGNS/(WITH RECURSIVE r(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM r WHERE c < 200) SELECT c FROM r)}
    sql=${sql//HOURS/(WITH RECURSIVE r(h) AS (SELECT 490896 UNION ALL SELECT h + 1 FROM r WHERE h < 490896 + 8759) SELECT h FROM r)}
    sqlite3 "$data/herald.db" "BEGIN; $sql COMMIT;" >/dev/null
  else
    sql=${sql//CAMPAIGNS/generate_series(0, 200) c}
    sql=${sql//HOURS/generate_series(490896, 490896 + 8759) h}
    # Then the aftermath of loading ~20M rows in minutes (autovacuum of the
    # event log and the firsts, the checkpoint of the load) is settled before
    # the rows, as on a server whose events came in over a year.
    psql_q -c "BEGIN; $sql COMMIT;" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
  fi
}

# q SQL — one value from the backend under test.
q() {
  if [[ "$backend" == sqlite ]]; then
    sqlite3 "$data/herald.db" "PRAGMA busy_timeout=5000; $1" | tail -1
  else
    psql_q -tAc "$1"
  fi
}

login() {
  curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' | json 'd["token"]'
}

wait_caught_up() {  # prints the seconds until the watermark reaches the last event
  local last t0 t1 wm
  last=$(q "SELECT max(id) FROM campaign_events")
  t0=$(date +%s.%N)
  while :; do
    wm=$(q "SELECT last_event_id FROM analytics_watermarks")
    # At or past it: the watermark may pass a max(id) read a moment before.
    [[ -n "$wm" ]] && (( wm >= last )) && break
    sleep 1
  done
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

run_backend() {
  backend="$1"
  local env=()
  data="$WORK/$backend"
  mkdir -p "$data"
  if [[ "$backend" == postgresql ]]; then
    PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    PG_DIR="$WORK/pg"
    mkdir -p "$PG_DIR"
    chown postgres: "$PG_DIR"
    pg_port=$((PORT + 100))
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_buffers=512MB -c max_wal_size=4GB${PG_STATS:+ -c shared_preload_libraries=pg_stat_statements}" \
      start >/dev/null
    runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE herald" >/dev/null
    psql_q() { runuser -u postgres -- psql -h 127.0.0.1 -p "$pg_port" -U postgres -d herald -q "$@"; }
    [[ -z "${PG_STATS:-}" ]] || psql_q -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    env=(HERALD_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/herald")
  fi
  echo
  echo "## $backend — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  # The schema, then the server stops: the events go in while nothing rolls up.
  start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}" "${env[@]}"
  stop_herald
  local t0 t1 secs last
  t0=$(date +%s.%N)
  if [[ "$backend" == sqlite ]]; then fill_sqlite "$data/herald.db"; else fill_postgres; fi
  t1=$(date +%s.%N)
  printf 'event log filled: %s events in %.0f s (load %s)\n' "$EVENTS" "$(echo "$t1 - $t0" | bc)" "$(load1)"

  # Retention off: the synthetic year stays whole while it is measured.
  start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}" "${env[@]}" \
    HERALD_PUBLIC_RATE_LIMIT=1000000000/min HERALD_ANALYTICS_RETENTION_DAYS=0
  last=$(q "SELECT max(id) FROM campaign_events")
  if [[ -n "$ROLLUP_WINDOW" ]]; then
    # Roll-up throughput over a window only; then the roll-up tables get the
    # shape a whole year gives (every campaign-hour and campaign-day filled),
    # which is what the reports' cost depends on.
    sleep "$ROLLUP_WINDOW"
    local done_events
    done_events=$(q "SELECT last_event_id FROM analytics_watermarks")
    printf 'roll-up: %s events in the first %s s = %.0f events/s (RSS peak %s MB, load %s)\n' "$done_events" \
      "$ROLLUP_WINDOW" "$(echo "$done_events / $ROLLUP_WINDOW" | bc -l)" \
      "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$HERALD_PID/status")" "$(load1)"
    stop_herald
    synthetic_rollup
    echo "roll-up tables replaced by a synthetic year of the same shape (reports below read them; overview figures synthetic)"
    start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}" "${env[@]}" \
      HERALD_PUBLIC_RATE_LIMIT=1000000000/min HERALD_ANALYTICS_RETENTION_DAYS=0
  else
    secs=$(wait_caught_up)
    printf 'roll-up: %s events in %.1f s = %.0f events/s (RSS peak %s MB, load %s)\n' "$last" "$secs" \
      "$(echo "$last / $secs" | bc -l)" "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$HERALD_PID/status")" "$(load1)"
  fi
  echo "roll-up rows: $(q "SELECT count(*) FROM analytics_hourly") hourly, $(q "SELECT count(*) FROM analytics_daily") daily, $(q "SELECT count(*) FROM analytics_firsts") firsts"

  TOKEN=$(login)
  local API="http://127.0.0.1:$PORT/api/analytics" H="Authorization: Bearer $TOKEN"
  curl -sf -H "$H" "$API/overview?from=2026-01-01&to=2027-01-01" |
    json '"overview check: sent %d, opened %d (human %d), clicked %d" % (d["sent"], d["opened"], d["human_opened"], d["clicked"])'
  # One real message's open pixel: the background writes during the rows, and the ingest run.
  local base="http://127.0.0.1:$PORT" message pixel before after lag
  message=$(outbox_message "$base" "$TOKEN" '<p>Hi</p>')
  pixel=$(grep -o '/t/o/[A-Za-z0-9_-]*' <<<"$message" | head -1)
  [[ -n "$pixel" ]] || { echo "no open pixel in the message" >&2; return 1; }
  wait_caught_up >/dev/null

  # Background writes while the report rows run: the pixel at ~INGEST_RATE/s
  # (8 connections, each pausing PACE_MS after every response), which the
  # roll-up folds as it goes. On a loaded machine it gets less: the rate
  # reached is printed after the rows.
  local bg_before bg_t0 bg_after bg_t1
  bg_before=$(q "SELECT max(id) FROM campaign_events")
  bg_t0=$(date +%s.%N)
  if (( INGEST_RATE > 0 )); then
    PACE_MS=$(( 8000 / INGEST_RATE > 1 ? 8000 / INGEST_RATE - 1 : 1 )) \
      wrk -t1 -c8 -d3600s -s wrk/pace.lua "$base$pixel" >/dev/null 2>&1 &
    BG_PID=$!
    sleep 2
  fi
  echo
  printf '| %-40s | %10s | %8s | %8s | %7s | %7s | %7s | %5s |\n' "scenario" "req/s" "p50" "p99" "non-2xx" "CPU ms" "PG ms" "load"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------------------------" "-----------:" "---------:" "---------:" "--------:" "--------:" "--------:" "------:"
  row "overview, a year vs the year before" "$API/overview?from=2026-01-01&to=2027-01-01" -H "$H"
  row "overview, 30 days (edge hours)" "$API/overview?from=2026-06-01T07:00:00Z&to=2026-07-01T07:00:00Z" -H "$H"
  row "timeseries, a year by day, New York" \
    "$API/timeseries?metric=opened&interval=day&tz=America/New_York&from=2026-01-01&to=2027-01-01" -H "$H"
  row "timeseries, a year by day, UTC" \
    "$API/timeseries?metric=opened&interval=day&from=2026-01-01&to=2027-01-01" -H "$H"
  row "timeseries, 30 days by day, New York" \
    "$API/timeseries?metric=sent&interval=day&tz=America/New_York&from=2026-06-01&to=2026-07-01" -H "$H"
  row "timeseries, one campaign, a year by day" \
    "$API/timeseries?metric=clicked&interval=day&tz=America/New_York&campaign_id=7&from=2026-01-01&to=2027-01-01" -H "$H"
  row "timeseries, one campaign, 2 days by hour" \
    "$API/timeseries?metric=clicked&interval=hour&campaign_id=7&from=2026-06-01&to=2026-06-03" -H "$H"
  row "campaign report (a year, by day)" "$API/campaigns/7" -H "$H"
  # A different period per request (from/to at random in 2026, 30–365 days).
  vrow() { TOKEN="$TOKEN" PERIOD_PATH="$2" row "$1" "$base$2" -s wrk/analytics_periods.lua; }
  vrow "overview, random periods" "/api/analytics/overview"
  vrow "timeseries by day, New York, random periods" "/api/analytics/timeseries?metric=opened&interval=day&tz=America/New_York"
  vrow "timeseries by day, UTC, random periods" "/api/analytics/timeseries?metric=opened&interval=day"
  vrow "timeseries, one campaign, random periods" "/api/analytics/timeseries?metric=clicked&interval=day&tz=America/New_York&campaign_id=7"
  if [[ -n "$BG_PID" ]]; then
    kill "$BG_PID" 2>/dev/null || true
    wait "$BG_PID" 2>/dev/null || true
    BG_PID=""
    bg_t1=$(date +%s.%N)
    sleep 1  # the EventWriter's last batch
    bg_after=$(q "SELECT max(id) FROM campaign_events")
    printf '\nduring the rows: %s pixel events written = %.0f events/s; roll-up lag at the end %s events\n' \
      "$((bg_after - bg_before))" "$(echo "($bg_after - $bg_before) / ($bg_t1 - $bg_t0)" | bc -l)" \
      "$((bg_after - $(q "SELECT last_event_id FROM analytics_watermarks")))"
  else
    echo
    echo "during the rows: no writes (INGEST_RATE=0)"
  fi

  # Ingest: the pixel under full wrk while the roll-up runs.
  secs=$(wait_caught_up)
  before=$(q "SELECT max(id) FROM campaign_events")
  t0=$(date +%s.%N)
  local out
  out=$(wrk -t"${THREADS:-2}" -c"$CONNS" -d"${INGEST}s" --latency "$base$pixel")
  t1=$(date +%s.%N)
  sleep 1  # the EventWriter's last batch
  after=$(q "SELECT max(id) FROM campaign_events")
  lag=$(( after - $(q "SELECT last_event_id FROM analytics_watermarks") ))
  printf 'ingest: pixel %s req/s (p99 %s) for %ss; %s events written = %.0f events/s; roll-up lag at the end %s events (load %s)\n' \
    "$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$INGEST" \
    "$((after - before))" "$(echo "($after - $before) / ($t1 - $t0)" | bc -l)" "$lag" "$(load1)"
  secs=$(wait_caught_up)
  printf 'roll-up caught up %.1f s after that\n' "$secs"
  stop_herald
  if [[ "$backend" == postgresql ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null
    PG_DIR=""
  fi
  rm -rf "$data"
}

echo "# analytics, $EVENTS events — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uptime | sed 's/.*load/load/')"
for b in $BACKENDS; do run_backend "$b"; done
echo "uptime after: $(uptime | sed 's/.*load/load/')"
