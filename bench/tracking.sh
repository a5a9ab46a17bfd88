#!/usr/bin/env bash
# The tracking links alone: the open pixel and the click redirect of a real
# message under wrk (the same rows as bench/campaign.sh's, without the
# 100,000-lead campaigns), then GET /api/health on the same server through
# the same middleware chain, so that what the tracking routes cost over it
# shows. A one-lead campaign goes to the outbox, its message's /t/o/ and
# /t/c/ links are read back and loaded.
# PERF=1 also records each row (pixel, click, health) with perf (Debian's linux-perf; bench/setup.sh
# installs it) and prints where Herald's CPU went, by symbol. Beside req/s: the
# CPU Herald spent per request (from /proc over the measured run), which says
# more than req/s on a machine other work keeps busy.
#
#   bench/tracking.sh         DURATION=10s THREADS=2 CONNS=64 DATABASE_URL=… (default: SQLite in a temp dir)
#                             PERF=1 PERF_OUT=DIR (keeps pixel.perf and click.perf there)
# With PERF=1 the req/s include perf's own cost: compare the two rows, not runs.
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }
PORT="${PORT:-18195}"
PERF="${PERF:-0}"
[[ "$PERF" != 1 ]] || command -v perf >/dev/null || { echo "perf is missing: run bench/setup.sh" >&2; exit 1; }
WORK="$(mktemp -d /tmp/herald-tracking-bench.XXXXXX)"
PERF_OUT="${PERF_OUT:-$WORK}"
mkdir -p "$PERF_OUT"
cleanup() {
  stop_herald
  rm -rf "$WORK"
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
DB=()
[[ -n "${DATABASE_URL:-}" ]] && DB=(HERALD_DATABASE_URL="$DATABASE_URL")
start_herald "$PORT" "$WORK" HERALD_JWT_SECRET=0123456789abcdef0123456789abcdef-bench \
  HERALD_ADMIN_EMAIL=admin@example.com HERALD_ADMIN_PASSWORD=bench-password-1 \
  HERALD_PUBLIC_RATE_LIMIT=1000000000/min "${DB[@]}"
API="http://127.0.0.1:$PORT"
TOKEN=$(curl -sf "$API/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@example.com","password":"bench-password-1"}' | json 'd["token"]')
html='<html><body><p>Hi {{first_name|there}},</p><p><a href="https://example.org/offer">See the offer</a> · <a href="https://example.org/blog">Blog</a> · <a href="https://example.org/pricing">Pricing</a> · <a href="https://example.org/help">Help</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>'
message=$(outbox_message "$API" "$TOKEN" "$html")
pixel=$(grep -o '/t/o/[A-Za-z0-9_-]*' <<<"$message" | head -1)
click=$(grep -o '/t/c/[A-Za-z0-9_-]*' <<<"$message" | head -1)
[[ -n "$pixel" && -n "$click" ]] || { echo "no tracking links in the message" >&2; exit 1; }

echo "uptime before:$(uptime | sed 's/.*load/ load/')"
TICK=$(getconf CLK_TCK)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# row NAME URL PERF_NAME — wrk (warm-up, then the measured run) and Herald's
# CPU per request over the measured run: what two free cores would serve,
# the figure a loaded machine cannot show directly, wrk's own CPU aside.
row() {
  local perf_pid="" out t0 t1 rps p50 p99 non2xx reqs us
  if [[ "$PERF" == 1 ]]; then
    perf record -q -F 999 -g -p "$HERALD_PID" -o "$PERF_OUT/$3.perf" -- sleep "${PERF_SECONDS:-8}" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"${WARMUP:-3s}" "$2" >/dev/null
  t0=$(ticks "$HERALD_PID")
  out=$(wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"${DURATION:-10s}" --latency "$2")
  t1=$(ticks "$HERALD_PID")
  [[ -z "$perf_pid" ]] || wait "$perf_pid" || true
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  us=$(awk -v a="$t0" -v b="$t1" -v t="$TICK" -v n="$reqs" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')
  printf '| %-40s | %10s | %8s | %8s | %7s | %10s |\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}" "$us"
}
printf '| %-40s | %10s | %8s | %8s | %7s | %10s |\n' "scenario" "req/s" "p50" "p99" "non-2xx" "Herald CPU µs/req"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------------" "-----------:" "---------:" "---------:" \
  "--------:" "-----------:"
row "open pixel GET /t/o/{token}" "$API$pixel" pixel
row "click redirect GET /t/c/{token} (302)" "$API$click" click
row "health GET /api/health (for comparison)" "$API/api/health" health
echo "uptime after:$(uptime | sed 's/.*load/ load/')"
if [[ "$PERF" == 1 ]]; then
  for what in pixel click health; do
    echo
    echo "perf, $what: Herald's CPU by symbol (self), top 30"
    perf report -i "$PERF_OUT/$what.perf" --no-children -g none --sort dso,symbol --stdio 2>/dev/null |
      grep -E '^ +[0-9]' | sed 's/  */ /g' | cut -c1-150 | head -n 30
  done
fi
