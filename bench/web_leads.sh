#!/usr/bin/env bash
# The web UI's leads page over a million leads, in Debian's chromium (playwright-core):
# first paint and paging. Imports ROWS generated leads with `herald import-leads`, serves
# web/dist with `herald serve` (SQLite), then runs bench/web/leads_page.mjs.
#
#   bench/web_leads.sh        ROWS=1000000 PAGES=50
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
PAGES="${PAGES:-50}"
BIN="${BIN:-build/herald}"
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }
[[ -f web/dist/index.html ]] || { echo "web/dist is missing: make build" >&2; exit 1; }
[[ -d web/node_modules ]] || { echo "web/node_modules is missing: scripts/setup" >&2; exit 1; }

WORK="$(mktemp -d /tmp/herald-web-bench.XXXXXX)"
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

export HERALD_DATA_DIR="$WORK/data" HERALD_LOG_FORMAT=json
export HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1
mkdir -p "$HERALD_DATA_DIR"
echo "generating $ROWS leads…" >&2
python3 bench/leads/gen_leads.py "$WORK/leads.csv" "$ROWS"
/usr/bin/time -f "import: %e s, peak RSS %M KiB" "$BIN" import-leads "$WORK/leads.csv" >/dev/null 2>"$WORK/import.log" ||
  { cat "$WORK/import.log" >&2; exit 1; }
tail -1 "$WORK/import.log" >&2

HERALD_LISTEN=127.0.0.1:0 HERALD_WEB_DIR="$PWD/web/dist" HERALD_RATE_LIMIT=100000/min \
  "$BIN" serve >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 200); do
  ADDR=$(grep -so '"msg":"listening","address":"[^"]*"' "$WORK/serve.log" | sed 's/.*"address":"//; s/"$//' || true)
  [[ -n "$ADDR" ]] && break
  sleep 0.1
done
[[ -n "${ADDR:-}" ]] || { cat "$WORK/serve.log" >&2; exit 1; }

# Wait (up to QUIET_WAIT seconds) for the shared machine to calm down before measuring.
for _ in $(seq 1 "${QUIET_WAIT:-300}"); do
  awk '{ exit !($1 < 1.5) }' /proc/loadavg && break
  sleep 1
done
echo "$(date -u +%Y-%m-%d) on $(hostname), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(/usr/bin/chromium --version 2>/dev/null | head -1)"
echo
node bench/web/leads_page.mjs --url "http://$ADDR" --email "$HERALD_ADMIN_EMAIL" \
  --password "$HERALD_ADMIN_PASSWORD" --pages "$PAGES"
