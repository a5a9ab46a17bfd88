#!/usr/bin/env bash
# PostgreSQL query plans at a million leads, exactly as Herald runs them.
#
# A throwaway PostgreSQL with auto_explain loaded; a generated CSV of ROWS
# leads imported with `herald import-leads`; then `herald serve` (page cache
# off, so every page reaches the database) answers the leads list and segment
# scenarios below. For each scenario:
#   1. latency over HTTP: RUNS sequential requests on one keep-alive
#      connection, p50 / p99 / max (auto_explain off). The count of a filter
#      is cached per leads version, so after the first request only the page
#      query runs; a cold count is the EXPLAIN's time below;
#   2. the plans: auto_explain logs EXPLAIN (ANALYZE, BUFFERS) of every
#      statement the server ran for one request with empty caches, i.e. the
#      prepared statements as the code runs them (generic or custom plan,
#      bound parameters), not hand-written copies.
# Prints a summary table (statement, scan nodes and indexes, rows, buffers,
# execution time with auto_explain's per-node timing, so a little above the
# uninstrumented time) and writes the full plans to OUT (default
# /tmp/herald-pg-explain.txt) and PostgreSQL's log to OUT.pglog.
#
#   bench/pg_explain.sh      ROWS=1000000 RUNS=200 OUT=/tmp/herald-pg-explain.txt
#
# Campaign send-batch and analytics queries (issue 15, at 10M events) are not
# here yet: add their scenarios under "Campaigns and analytics" below when
# those endpoints exist.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "run as root (PostgreSQL runs as the postgres user)" >&2; exit 1; }

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-200}"
PORT="${PORT:-18190}"
OUT="${OUT:-/tmp/herald-pg-explain.txt}"
PY=/usr/bin/python3
WORK="$(mktemp -d /tmp/herald-pg-explain.XXXXXX)"
chmod 755 "$WORK"
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DIR="$WORK/pg"
PG_PORT=$((PORT + 100))
JWT=0123456789abcdef0123456789abcdef-bench
ADMIN=(HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1)

cleanup() {
  stop_herald
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [[ -f "$PG_DIR/log" ]] && cp "$PG_DIR/log" "$OUT.pglog"
  rm -rf "$WORK"
}
trap cleanup EXIT

psql_() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d herald -qAt "$@"; }

# ---- PostgreSQL: durable defaults, the bench's cache size, auto_explain loaded (quiet until ALTER SYSTEM:
# settings given on the command line would override ALTER SYSTEM).
mkdir -p "$PG_DIR"
chown postgres: "$PG_DIR"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-p $PG_PORT \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_buffers=512MB \
  -c shared_preload_libraries=auto_explain \
  -c logging_collector=off -c log_line_prefix=" start >/dev/null
runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE herald"
PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/herald"
DB=(HERALD_DATABASE_URL="$PG_URL" HERALD_JWT_SECRET="$JWT")

# ---- a million leads through the real importer.
echo "generating $ROWS leads..." >&2
"$PY" leads/gen_leads.py "$WORK/leads.csv" "$ROWS"
echo "importing (herald import-leads)..." >&2
t0=$(date +%s.%N)
env HERALD_DATA_DIR="$WORK/data" HERALD_LOG_FORMAT=json "${DB[@]}" "$BIN" import-leads "$WORK/leads.csv" \
  >"$WORK/import.txt" 2>&1 || { cat "$WORK/import.txt" >&2; exit 1; }
t1=$(date +%s.%N)
LEADS=$(psql_ -c "SELECT count(*) FROM leads")
TAGGED=$(psql_ -c "SELECT count(*) FROM lead_tags")

start() {
  start_herald "$PORT" "$WORK/data" "${ADMIN[@]}" "${DB[@]}" HERALD_PAGE_CACHE=0 HERALD_HTTP_THREADS=8
  TOKEN=$(curl -sf "http://127.0.0.1:$PORT/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@example.com","password":"bench-password-1"}' | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

start
SEG_NEW_VIP=$(api "http://127.0.0.1:$PORT/api/segments" -d '{"name":"new vip","filter":{"status":"new","tag":["vip"]}}' |
  "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
SEG_DE=$(api "http://127.0.0.1:$PORT/api/segments" -d '{"name":"German contacted","filter":{"country":"DE","status":"contacted"}}' |
  "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# name|path — the scenarios.
SCENARIOS=(
  "list, no filter, page 1|/api/leads"
  "list, status=new, page 1|/api/leads?status=new"
  "list, status=new, page 2000 (offset 99,950)|/api/leads?status=new&page=2000"
  "list, cursor deep (sort=-id)|/api/leads?sort=-id&cursor=500000"
  "list, tag=vip|/api/leads?tag=vip"
  "list, country=DE, sort=email|/api/leads?country=DE&sort=email"
  "list, q=rossi (search)|/api/leads?q=rossi"
  "list, created_from (last day)|/api/leads?created_from=$(date -u -d '1 day ago' +%Y-%m-%dT%H:%M:%SZ)"
  "segments with member counts|/api/segments"
  "list, segment new+vip|/api/leads?segment_id=$SEG_NEW_VIP"
  "list, segment DE+contacted|/api/leads?segment_id=$SEG_DE"
  # ---- Campaigns and analytics (send batch, overview, timeseries at 10M events): add here when they exist.
)

# ---- 1. latency over HTTP (auto_explain off).
latency() {  # latency PATH → "p50 p99 max" in ms
  local url="http://127.0.0.1:$PORT$1" args=()
  for _ in $(seq 1 "$RUNS"); do args+=(-o /dev/null "$url"); done
  curl -s -H "Authorization: Bearer $TOKEN" -w '%{http_code} %{time_total}\n' "${args[@]}" |
    "$PY" -c '
import sys
codes, times = [], []
for line in sys.stdin:
    c, t = line.split()
    codes.append(c); times.append(float(t) * 1000)
bad = sum(1 for c in codes if c != "200")
times.sort()
q = lambda p: times[min(len(times) - 1, int(round(p * (len(times) - 1))))]
print(f"{q(0.5):.2f} {q(0.99):.2f} {times[-1]:.2f} {bad}")'
}
declare -A LAT
for s in "${SCENARIOS[@]}"; do
  LAT["${s%%|*}"]=$(latency "${s#*|}")
done
stop_herald

# ---- 2. the plans: every statement of one request, caches empty (a fresh server).
psql_ -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" \
  -c "ALTER SYSTEM SET auto_explain.log_analyze = on" -c "ALTER SYSTEM SET auto_explain.log_buffers = on" \
  -c "ALTER SYSTEM SET auto_explain.log_timing = on" -c "ALTER SYSTEM SET auto_explain.log_verbose = off" \
  -c "SELECT pg_reload_conf()" >/dev/null
start
for s in "${SCENARIOS[@]}"; do
  psql_ -c "SELECT 'herald-bench-scenario: ${s%%|*}'" >/dev/null
  api -o /dev/null "http://127.0.0.1:$PORT${s#*|}"
done
psql_ -c "SELECT 'herald-bench-scenario: end'" >/dev/null
stop_herald

HEADER="## PostgreSQL plans at $LEADS leads, $(date -u +%Y-%m-%d), $(nproc) cores: $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | xargs)

Load average at the start $LOAD (the machine is shared). PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), shared_buffers 512MB, fsync on; $LEADS leads ($TAGGED tag links) imported in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s; page cache off; $RUNS requests per scenario, one connection.
"
echo "$HEADER"

LAT_FILE="$WORK/latency.txt"
for s in "${SCENARIOS[@]}"; do echo "${s%%|*}|${s#*|}|${LAT["${s%%|*}"]}"; done >"$LAT_FILE"

"$PY" - "$PG_DIR/log" "$LAT_FILE" "$OUT" <<'EOF'
import re
import sys

log_path, lat_path, out_path = sys.argv[1:4]
lines = open(log_path, encoding="utf-8", errors="replace").read().splitlines()

# auto_explain entries: "LOG:  duration: X ms  plan:" then indented lines.
entries, cur = [], None
for line in lines:
    m = re.match(r"^LOG:\s+duration: ([\d.]+) ms\s+plan:", line)
    if m:
        cur = {"ms": float(m.group(1)), "lines": []}
        entries.append(cur)
    elif cur is not None and (line.startswith("\t") or line.startswith("  ")):
        cur["lines"].append(line.strip("\t").rstrip())
    else:
        cur = None

scenarios, current = {}, None
order = []
for e in entries:
    text = "\n".join(e["lines"])
    m = re.search(r"herald-bench-scenario: ([^']+)'", text)
    if m:
        current = m.group(1)
        if current != "end":
            order.append(current)
            scenarios[current] = []
        continue
    if current and current != "end":
        scenarios[current].append(e)

def summary(e):
    text = e["lines"]
    start = next((i for i, l in enumerate(text) if l.startswith("Query Text: ")), 0)
    stop = next((i for i, l in enumerate(text) if "(cost=" in l), len(text))
    query = " ".join(text[start:stop])[len("Query Text: "):]
    # "->  Index Only Scan using leads_status on leads  (cost=…" → "Index Only Scan using leads_status on leads"
    scans = [l.split("  (cost")[0].replace("->", "").strip() for l in text if "Scan" in l and "(cost" in l]
    top = next((l for l in text if "(cost=" in l), "")
    m = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+)", top)
    buf = next((l.strip() for l in text if l.strip().startswith("Buffers:")), "")
    plan_ms = float(m.group(1)) if m else float("nan")
    return query, scans, m.group(2) if m else "?", buf.replace("Buffers: ", ""), plan_ms, e["ms"]

def kind(query):
    q = query.lower()
    if "from lead_counts" in q:
        return "count (kept)"
    if "count(" in q:
        return "count, capped" if " limit " in q else "count"
    if "lead_counters" in q:
        return "version"
    if "from leads" in q or "leads l" in q or "join leads" in q:
        return "page"
    if "segments" in q:
        return "segments"
    return "other"

lat = {}
for line in open(lat_path, encoding="utf-8"):
    name, path, numbers = line.rstrip("\n").split("|")
    lat[name] = (path, numbers.split())

out = open(out_path, "w", encoding="utf-8")
# plan ms: the top node's actual total time; statement ms: auto_explain's duration
# (executor start to end, sending the rows included).
table = ["| scenario | HTTP p50 / p99 / max (ms) | statement | plan: scans | rows | buffers | plan ms | statement ms |",
         "|---|---:|---|---|---:|---|---:|---:|"]
seq_scans = []
for name in order:
    path, (p50, p99, mx, bad) = lat[name]
    out.write(f"\n==== {name}: GET {path}\n")
    first = True
    for e in scenarios[name]:
        query, scans, rows, buf, plan_ms, ms = summary(e)
        k = kind(query)
        out.write(f"\n-- {k}, {ms:.3f} ms\n" + "\n".join(e["lines"]) + "\n")
        if k in ("other", "version"):
            continue
        if any(s.startswith("Seq Scan on leads") or s.startswith("Parallel Seq Scan on leads") for s in scans):
            seq_scans.append(f"{name} ({k})")
        http = f"{p50} / {p99} / {mx}" + (f" ({bad} non-200)" if bad != "0" else "") if first else ""
        label = name if first else ""
        first = False
        table.append(f"| {label} | {http} | {k} | {'; '.join(dict.fromkeys(scans)) or '-'} | {rows} | {buf} | {plan_ms:.2f} | {ms:.2f} |")
out.close()
print("\n".join(table))
print()
if seq_scans:
    print("Sequential scans of leads: " + ", ".join(seq_scans))
else:
    print("No statement scanned the leads table sequentially.")
print(f"\nFull plans: {out_path}")
EOF
{ echo "$HEADER"; cat "$OUT"; } >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
