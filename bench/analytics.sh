#!/usr/bin/env bash
# Analytics at 10,000,000 events (SQLite): the event log filled with a
# synthetic year of 200 campaigns to 100,000 leads (sends, bounces, opens —
# some through proxies —, clicks on 5 links, unsubscribes, replies), then
# `herald serve` started on it: the time its analytics.rollup jobs take to
# fold every event (events/s), then GET /api/analytics/overview (a year
# against the year before) and /api/analytics/timeseries (a year by day in
# America/New_York; one campaign by hour over 2 days) with wrk.
#
#   bench/analytics.sh        EVENTS=10000000 DURATION=10s CONNS=16
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }

EVENTS="${EVENTS:-10000000}"
PORT="${PORT:-18195}"
export CONNS="${CONNS:-16}"
WORK="$(mktemp -d /tmp/herald-analytics-bench.XXXXXX)"
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
JWT=0123456789abcdef0123456789abcdef-bench
cleanup() {
  stop_herald
  rm -rf "$WORK"
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "# analytics, $EVENTS events, SQLite — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
data="$WORK/sqlite"
mkdir -p "$data"
# The schema, then the server stops: the events go in while nothing rolls up.
start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}"
stop_herald

t0=$(date +%s.%N)
# 2026-01-01 + a year; types by share: 40% delivered, 1% bounce, 1% rejected,
# 33% open (1 in 4 through Apple's proxy), 20% click, 2% unsubscribe, 3% reply.
sqlite3 "$data/herald.db" >/dev/null <<SQL
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
t1=$(date +%s.%N)
printf 'event log filled: %s events in %.0f s\n' "$EVENTS" "$(echo "$t1 - $t0" | bc)"

start_herald "$PORT" "$data" HERALD_JWT_SECRET="$JWT" "${ADMIN[@]}"
last=$(sqlite3 "$data/herald.db" "SELECT max(id) FROM campaign_events")
t0=$(date +%s.%N)
while :; do
  wm=$(sqlite3 "$data/herald.db" "PRAGMA busy_timeout=5000; SELECT last_event_id FROM analytics_watermarks" | tail -1)
  [[ "$wm" == "$last" ]] && break
  sleep 1
done
t1=$(date +%s.%N)
secs=$(echo "$t1 - $t0" | bc)
printf 'roll-up: %s events in %.1f s = %.0f events/s (RSS peak %s MB)\n' "$last" "$secs" "$(echo "$last / $secs" | bc -l)" \
  "$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$HERALD_PID/status")"
echo "roll-up rows: $(sqlite3 "$data/herald.db" "SELECT count(*) FROM analytics_hourly") hourly, $(sqlite3 "$data/herald.db" "SELECT count(*) FROM analytics_firsts") firsts"

TOKEN=$(curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@example.com","password":"bench-password-1"}' | json 'd["token"]')
API="http://127.0.0.1:$PORT/api/analytics"
curl -sf -H "Authorization: Bearer $TOKEN" "$API/overview?from=2026-01-01&to=2027-01-01" |
  json '"overview check: sent %d, opened %d (human %d), clicked %d" % (d["sent"], d["opened"], d["human_opened"], d["clicked"])'
echo
table_header
wrk_row "overview, a year vs the year before" "$API/overview?from=2026-01-01&to=2027-01-01" -H "Authorization: Bearer $TOKEN"
wrk_row "timeseries, a year by day, New York" \
  "$API/timeseries?metric=opened&interval=day&tz=America/New_York&from=2026-01-01&to=2027-01-01" \
  -H "Authorization: Bearer $TOKEN"
wrk_row "timeseries, one campaign, 2 days by hour" \
  "$API/timeseries?metric=clicked&interval=hour&campaign_id=7&from=2026-06-01&to=2026-06-03" \
  -H "Authorization: Bearer $TOKEN"
wrk_row "campaign report" "$API/campaigns/7" -H "Authorization: Bearer $TOKEN"
