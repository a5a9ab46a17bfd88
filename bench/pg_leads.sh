#!/usr/bin/env bash
# Lead lists and segment counts on PostgreSQL at ten million leads, on a live
# system (issue 15: p99 ≤ 20 ms).
#
#   1. Fill: ROWS leads written by one INSERT … SELECT generate_series (the
#      shape of bench/leads/gen_leads.py: 8 statuses and 12 countries spread
#      evenly and independently, `vip` and `2026` tags on ~10 %, 24 first
#      names, 16 last names, 12 companies), with the lead triggers and the
#      secondary indexes off; then the indexes are built as the migrations
#      define them, the kept totals (`lead_counts`) recomputed the way
#      0008_lead_search.sql does, the triggers turned back on, VACUUM
#      ANALYZE. The script checks the kept totals against count(*) before
#      measuring. KEEP=DIR keeps the cluster there, and a later run with the
#      same KEEP and ROWS reuses it (migrations a newer binary brings are
#      applied by `herald serve` as usual).
#   2. `herald serve` on it (page cache as configured: PAGE_CACHE, default
#      the default 64 MiB; 8 HTTP threads), a writer (bench/leads/writer.py)
#      changing RATE lead statuses/s through PATCH /api/leads/{id} during
#      every row, wrk -t2 with each of CONNS connections (default "64 16")
#      on each scenario below for DURATION after WARMUP. Prints p50 / p99 /
#      req/s per row, the CPU time per request of herald and of PostgreSQL's
#      client backends (/proc, over the measured run), PostgreSQL's committed
#      transactions per request (herald's reads are one statement each, outside
#      a transaction: about its statements per request), the writer's rate,
#      and `uptime` per row. Each path is
#      requested once before its row, so that a filter's first count in the
#      process (a whole count, in the plans below) is not in the row.
#      Before the rows, a fresh server's first GET /api/segments is timed
#      after its start-up count of every segment (WARM_WAIT, default 30 s).
#   3. EXPLAIN=1 (default): with auto_explain on, one request of each
#      scenario on a fresh server (empty caches but for its start-up count of
#      every segment, which it waits for; the writer stopped): every
#      statement's EXPLAIN (ANALYZE, BUFFERS) to OUT (default
#      /tmp/herald-pg-leads.txt) and a summary table.
#
#   bench/pg_leads.sh    ROWS=10000000 KEEP=/var/tmp/herald-pg10m DURATION=8s WARMUP=2s RATE=25 CONNS="64 16"
#                        ONLY="segments" (a regex: the scenarios whose name matches) EXPLAIN=0
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "run as root (PostgreSQL runs as the postgres user)" >&2; exit 1; }

ROWS="${ROWS:-10000000}"
PORT="${PORT:-18290}"
RATE="${RATE:-25}"
DURATION="${DURATION:-8s}"
WARMUP="${WARMUP:-2s}"
CONNS="${CONNS:-64 16}"
EXPLAIN="${EXPLAIN:-1}"
ONLY="${ONLY:-.}"
OUT="${OUT:-/tmp/herald-pg-leads.txt}"
PY=/usr/bin/python3
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=$((PORT + 100))
JWT=0123456789abcdef0123456789abcdef-bench
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)
if [[ -n "${KEEP:-}" ]]; then
  WORK="$KEEP"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d /tmp/herald-pg-leads.XXXXXX)"
fi
chmod 755 "$WORK"
PG_DIR="$WORK/pg"
DATA="$WORK/data"
RUN="$(mktemp -d /tmp/herald-pg-leads-run.XXXXXX)"
WRITER_PID=""

cleanup() {
  stop_writer
  stop_herald
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [[ -f "$PG_DIR/log" ]] && cp "$PG_DIR/log" "$OUT.pglog"
  rm -rf "$RUN"
  [[ -n "${KEEP:-}" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

psql_() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d herald -qAt -v ON_ERROR_STOP=1 "$@"; }
load() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }
TICK_MS=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN {print 1000 / hz}')
# CPU time so far (user + system, clock ticks) of herald, and of PostgreSQL's
# processes (the postmaster's children: herald's pooled connections stay open).
herald_ticks() { awk '{print $14 + $15}' "/proc/$HERALD_PID/stat"; }
pg_ticks() {  # "pid ticks" of each backend of a TCP client (herald's connections, the writer's), not autovacuum's
  local pm p
  pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  for p in $(awk -v pm="$pm" '$4 == pm {print $1}' /proc/[0-9]*/stat 2>/dev/null); do
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q '127\.0\.0\.1(' || continue
    awk '{print $1, $14 + $15}' "/proc/$p/stat" 2>/dev/null || true
  done
}
# ticks_delta BEFORE AFTER: the ticks spent between, by the backends alive at both readings.
ticks_delta() { awk 'NR == FNR {t[$1] = $2; next} ($1 in t) {d += $2 - t[$1]} END {print d + 0}' <(echo "$1") <(echo "$2"); }
# Transactions committed in the database so far: herald's reads are one statement each outside a transaction.
pg_xacts() { psql_ -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'herald'"; }

# ---- PostgreSQL: durable defaults, live.sh's cache size, auto_explain loaded (quiet until ALTER SYSTEM).
start_pg() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 600 -o "-p $PG_PORT \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_buffers=512MB \
    -c shared_preload_libraries=auto_explain -c max_wal_size=8GB \
    -c logging_collector=off -c log_line_prefix=" start >/dev/null
}
PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/herald"
DB=(HERALD_DATABASE_URL="$PG_URL" HERALD_JWT_SECRET="$JWT")

fill() {
  rm -rf "$PG_DIR" "$DATA"
  mkdir -p "$PG_DIR" "$DATA"
  chown postgres: "$PG_DIR"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  start_pg
  runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE herald"
  env HERALD_DATA_DIR="$DATA" "${DB[@]}" "$BIN" migrate >"$RUN/migrate.txt" 2>&1 || { cat "$RUN/migrate.txt" >&2; exit 1; }
  echo "filling $ROWS leads..." >&2
  local t0 t1
  t0=$(date +%s.%N)
  psql_ <<SQL
SET maintenance_work_mem = '1GB';
SET max_parallel_maintenance_workers = 2;
SET synchronous_commit = off;
ALTER TABLE leads DISABLE TRIGGER USER;
ALTER TABLE lead_tags DISABLE TRIGGER USER;
CREATE TABLE bench_indexes AS
  SELECT indexname, indexdef FROM pg_indexes
  WHERE tablename IN ('leads', 'lead_tags') AND indexname NOT IN ('leads_pkey', 'lead_tags_pkey', 'leads_email_key');
DO \$\$ DECLARE i RECORD; BEGIN
  FOR i IN SELECT indexname FROM bench_indexes LOOP EXECUTE 'DROP INDEX ' || quote_ident(i.indexname); END LOOP;
END \$\$;
ALTER TABLE leads DROP CONSTRAINT leads_email_key;
SELECT setseed(0.20261130);
INSERT INTO leads (email, first_name, last_name, company, title, phone, website, country, timezone, status, score,
                   tags, custom_fields, source, created_at, updated_at)
SELECT lower(f) || '.' || i || '@' || d, f, l, c, t, '+' || (i % 97 + 1) || ' 555 ' || (1000000 + i % 8999999),
       'https://www.' || lower(split_part(c, ' ', 1)) || '.example', co, '', st, 0,
       CASE WHEN tg THEN '["vip", "2026"]'::jsonb ELSE '[]'::jsonb END,
       jsonb_build_object('industry', ind, 'employees', (i % 4999 + 1)::text), 'bench', ts, ts
FROM (SELECT i,
        (ARRAY['Ann','Bob','Chloé','Dmitri','Eva','Farid','Grace','Hiro','Ines','Jonas','Kofi','Lena','Mateo','Nora',
               'Omar','Priya','Quinn','Rosa','Sven','Tara','Umar','Vera','Wei','Ximena'])[1 + floor(random() * 24)::int] AS f,
        (ARRAY['Smith','Müller','García','Rossi','Dubois','Kowalski','Nakamura','Okafor','Silva','Novak','Jensen',
               'O''Brien','van Dijk','Nguyen','Ivanova','Haddad'])[1 + floor(random() * 16)::int] AS l,
        (ARRAY['Acme','Globex','Initech','Umbrella','Hooli','Stark Industries','Wayne Enterprises','Wonka, Inc.',
               'Soylent','Tyrell','Cyberdyne','Aperture "Science"'])[1 + floor(random() * 12)::int] AS c,
        (ARRAY['CEO','CTO','Head of Sales','Marketing Manager','Engineer','Buyer','Founder',
               'VP Operations'])[1 + floor(random() * 8)::int] AS t,
        (ARRAY['example.com','example.org','mail.example.net','corp.example'])[1 + floor(random() * 4)::int] AS d,
        (ARRAY['DE','FR','US','GB','ES','IT','NL','SE','PL','JP','BR','IN'])[1 + floor(random() * 12)::int] AS co,
        (ARRAY['new','contacted','replied','interested','not_interested','converted','unsubscribed',
               'bounced'])[1 + floor(random() * 8)::int] AS st,
        (ARRAY['saas','retail','finance','health','logistics','education'])[1 + floor(random() * 6)::int] AS ind,
        random() < 0.1 AS tg,
        to_char(timestamp '2025-12-01' + i * (interval '1 second' * 31536000 / $ROWS),
                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts
      FROM generate_series(1, $ROWS) AS i) AS s;
INSERT INTO lead_tags (lead_id, tag)
SELECT id, tag FROM leads, (VALUES ('vip'), ('2026')) AS t (tag) WHERE tags <> '[]'::jsonb;
ALTER TABLE leads ADD CONSTRAINT leads_email_key UNIQUE (email);
DO \$\$ DECLARE i RECORD; BEGIN
  FOR i IN SELECT indexdef FROM bench_indexes LOOP EXECUTE i.indexdef; END LOOP;
END \$\$;
DROP TABLE bench_indexes;
-- The kept totals, as 0008_lead_search.sql computes them.
DELETE FROM lead_counts;
INSERT INTO lead_counts (key, n) SELECT 'all', count(*) FROM leads;
INSERT INTO lead_counts (key, n) SELECT 'status:' || status, count(*) FROM leads GROUP BY status;
INSERT INTO lead_counts (key, n) SELECT 'owner:' || coalesce(owner_id::text, ''), count(*) FROM leads GROUP BY owner_id;
INSERT INTO lead_counts (key, n) SELECT 'tag:' || tag, count(*) FROM lead_tags GROUP BY tag;
UPDATE lead_counters SET version = version + 1, rows_version = rows_version + 1,
                         added_to = (SELECT max(id) FROM leads) WHERE id = 1;
ALTER TABLE leads ENABLE TRIGGER USER;
ALTER TABLE lead_tags ENABLE TRIGGER USER;
SQL
  t1=$(date +%s.%N)
  echo "VACUUM ANALYZE..." >&2
  psql_ -c "VACUUM (ANALYZE) leads" -c "VACUUM (ANALYZE) lead_tags"
  local t2
  t2=$(date +%s.%N)
  printf '%s %.0f %.0f\n' "$ROWS" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" >"$WORK/filled"
}

if [[ -f "$WORK/filled" && "$(cut -d' ' -f1 "$WORK/filled")" == "$ROWS" && -d "$PG_DIR/data" ]]; then
  start_pg
else
  fill
fi
read -r _ FILL_S VACUUM_S <"$WORK/filled"

# The kept totals must be what the data says (as the triggers would leave them).
BAD=$(psql_ <<'SQL'
SELECT count(*) FROM (
  SELECT key, n FROM lead_counts WHERE n <> 0
  EXCEPT
  SELECT * FROM (SELECT 'all', count(*) FROM leads
                 UNION ALL SELECT 'status:' || status, count(*) FROM leads GROUP BY status
                 UNION ALL SELECT 'owner:' || coalesce(owner_id::text, ''), count(*) FROM leads GROUP BY owner_id
                 UNION ALL SELECT 'tag:' || tag, count(*) FROM lead_tags GROUP BY tag) AS actual) AS differ
SQL
)
[[ "$BAD" == 0 ]] || { echo "lead_counts differs from the data in $BAD keys" >&2; exit 1; }
LEADS=$(psql_ -c "SELECT n FROM lead_counts WHERE key = 'all'")
TAGGED=$(psql_ -c "SELECT n FROM lead_counts WHERE key = 'tag:vip'")
MAX_ID=$(psql_ -c "SELECT max(id) FROM leads")

start() {
  start_herald "$PORT" "$DATA" "${ADMIN[@]}" "${DB[@]}" HERALD_HTTP_THREADS=8 \
    ${PAGE_CACHE:+HERALD_PAGE_CACHE=$PAGE_CACHE}
  TOKEN=$(curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
segment() {  # segment NAME FILTER_JSON → id (created once; kept with KEEP)
  local id
  id=$(psql_ -c "SELECT id FROM segments WHERE name = '$1'")
  [[ -n "$id" ]] || id=$(api "http://127.0.0.1:$PORT/api/segments" -d "{\"name\":\"$1\",\"filter\":$2}" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "$id"
}

start
SEG_COMMON=$(segment "new vip" '{"status":"new","tag":["vip"]}')
SEG_RARE=$(segment "German contacted" '{"country":"DE","status":"contacted"}')

# A fresh server's first segment list: an API process counts every segment
# at start (leads::SegmentWarmer, logged as "segment counts warmed"); timed
# once that is done (or after WARM_WAIT seconds when the binary does not log it).
wait_warm() {  # sets WARM_MS: the start-up count's ms, or "none"
  local warm="" i
  for ((i = 0; i < ${WARM_WAIT:-30} * 10; i++)); do
    warm=$( (grep -o '"msg":"segment counts warmed"[^}]*' "$DATA/server.log" || true) | (grep -o '"ms":[0-9]*' || true) |
      cut -d: -f2 | tail -n 1)
    [[ -n "$warm" ]] && break
    sleep 0.1
  done
  WARM_MS="${warm:-none}"
}
first_list() {
  wait_warm
  FIRST_MS=$(api -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/api/segments" | awk '{printf "%.1f", $1 * 1000}')
}
stop_herald
start
first_list

# name|paths (paths.lua: several separated by spaces, {n} a random number) — the scenarios.
SCENARIOS=(
  "list, no filter, page 1|/api/leads"
  "list, status=new, page 1|/api/leads?status=new"
  "list, tag=vip, page 1|/api/leads?tag=vip"
  "list, country=DE, sort=email, page 1|/api/leads?country=DE&sort=email"
  "list, q warm (4 names)|/api/leads?q=rossi /api/leads?q=globex /api/leads?q=nakamura /api/leads?q=priya"
  "list, q cold (hiro.N, new each request)|/api/leads?q=hiro.{n}"
  "list, cursor deep page (sort=-id, random cursor)|/api/leads?sort=-id&cursor={n}"
  "segments with member counts|/api/segments"
  "segment new+vip (common): GET|/api/segments/$SEG_COMMON"
  "segment new+vip (common): lead page 1|/api/leads?segment_id=$SEG_COMMON"
  "segment DE+contacted (rare, ~1 %): GET|/api/segments/$SEG_RARE"
  "segment DE+contacted (rare, ~1 %): lead page 1|/api/leads?segment_id=$SEG_RARE"
)

row() {  # row NAME PATHS CONNS
  local name="$1" paths="$2" conns="$3" at out p
  # Once each first, alone: a filter's first count in a process (a whole
  # count; its time is in the plans below) is not what the row measures.
  for p in $paths; do
    api -o /dev/null -m 300 "http://127.0.0.1:$PORT${p//\{n\}/1}" || true
  done
  at=$(uptime | sed 's/.*load average: //')
  "$PY" leads/writer.py "$PORT" "$TOKEN" "$RATE" "$MAX_ID" "$RUN/writer.txt" &
  WRITER_PID=$!
  TOKEN="$TOKEN" PATHS="$paths" MAX_N="$MAX_ID" wrk -t2 -c"$conns" -d"$WARMUP" -s leads/paths.lua \
    "http://127.0.0.1:$PORT" >/dev/null
  local h0 p0 x0 h1 p1 x1
  h0=$(herald_ticks) p0=$(pg_ticks) x0=$(pg_xacts)
  out=$(TOKEN="$TOKEN" PATHS="$paths" MAX_N="$MAX_ID" wrk -t2 -c"$conns" -d"$DURATION" --latency -s leads/paths.lua \
    "http://127.0.0.1:$PORT")
  h1=$(herald_ticks) p1=$(pg_ticks) x1=$(pg_xacts)
  stop_writer
  local rps p50 p99 non2xx writes
  wrk_stats "$out"
  rps=$WRK_RPS p50=$WRK_P50 p99=$WRK_P99 non2xx=$WRK_NON2XX
  writes=$(awk '{printf "%s/s (p99 %s ms)", $6, $10}' "$RUN/writer.txt")
  # Per request of the measured run (the writer's few requests are in the figures too).
  local n per
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  per=$(awk -v n="${n:-0}" -v t="$TICK_MS" -v h="$((h1 - h0))" -v p="$(ticks_delta "$p0" "$p1")" -v x="$((x1 - x0))" \
    'BEGIN {if (n > 0) printf "%.3f | %.3f | %.2f", h * t / n, p * t / n, x / n; else print "- | - | -"}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$conns" "$p50" "$p99" "$rps" "${non2xx:-0}" \
    "$per" "$writes" "$at"
}

echo "## PostgreSQL lead reads at $LEADS leads, live — \`bench/pg_leads.sh\` — $(date -u '+%Y-%m-%d %H:%M') UTC"
echo
echo "$(nproc) cores: $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs); PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), shared_buffers 512MB, fsync on."
echo "$LEADS leads ($TAGGED tagged vip), filled in $FILL_S s + VACUUM ANALYZE $VACUUM_S s; kept totals checked against count(*)."
echo "wrk -t2, $WARMUP warm-up then $DURATION per row; writer at $RATE status changes/s during every row; page cache ${PAGE_CACHE:-default}."
echo "uptime at the start: $(uptime)"
echo "A fresh server: its start-up count of every segment took $WARM_MS ms (\"none\": not logged in ${WARM_WAIT:-30} s); then its first GET /api/segments $FIRST_MS ms."
echo
echo "| scenario | conns | p50 | p99 | req/s | non-2xx | herald CPU ms/req | PostgreSQL CPU ms/req | PostgreSQL xacts/req | writer | load (1/5/15 min) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
for conns in $CONNS; do
  for s in "${SCENARIOS[@]}"; do
    [[ "${s%%|*}" =~ $ONLY ]] || continue
    row "${s%%|*}" "${s#*|}" "$conns"
  done
done
stop_herald

[[ "$EXPLAIN" == 1 ]] || exit 0
# ---- The plans: every statement of one request per scenario, caches empty (a fresh server), no writer.
psql_ -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" \
  -c "ALTER SYSTEM SET auto_explain.log_analyze = on" -c "ALTER SYSTEM SET auto_explain.log_buffers = on" \
  -c "ALTER SYSTEM SET auto_explain.log_timing = on" -c "ALTER SYSTEM SET auto_explain.log_verbose = off" \
  -c "SELECT pg_reload_conf()" >/dev/null
: >"$PG_DIR/log.explain"
start
# The start-up count of every segment first: its statements are not a scenario's.
wait_warm
LOG_START=$(stat -c %s "$PG_DIR/log")
: >"$RUN/latency.txt"
for s in "${SCENARIOS[@]}"; do
  [[ "${s%%|*}" =~ $ONLY ]] || continue
  path="${s#*|}"
  path="${path%% *}"
  path="${path//\{n\}/4242}"
  psql_ -c "SELECT 'herald-bench-scenario: ${s%%|*}'" >/dev/null
  api -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT$path" |
    awk -v n="${s%%|*}" -v p="$path" '{printf "%s|%s|%.2f %.2f %.2f 0\n", n, p, $1 * 1000, $1 * 1000, $1 * 1000}' \
      >>"$RUN/latency.txt"
done
psql_ -c "SELECT 'herald-bench-scenario: end'" >/dev/null
stop_herald
psql_ -c "ALTER SYSTEM RESET auto_explain.log_min_duration" -c "SELECT pg_reload_conf()" >/dev/null
tail -c +"$((LOG_START + 1))" "$PG_DIR/log" >"$RUN/explain.log"
echo
echo "Plans (one request per scenario on a fresh server, no writer; HTTP column: that one request's time):"
echo
# The summary of bench/pg_explain.sh, on this run's log.
sed -n '/^"\$PY" - "\$PG_DIR\/log" "\$LAT_FILE" "\$OUT" <<'"'"'EOF'"'"'$/,/^EOF$/p' pg_explain.sh | sed '1d;$d' \
  >"$RUN/summary.py"
"$PY" "$RUN/summary.py" "$RUN/explain.log" "$RUN/latency.txt" "$OUT"
