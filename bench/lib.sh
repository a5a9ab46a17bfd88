# Shared helpers for the benchmark scripts (sourced).
BIN="${HERALD_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/herald}"

# start_herald PORT DATA_DIR [extra env assignments...] — sets HERALD_PID.
start_herald() {
  local port="$1" data="$2"
  shift 2
  env HERALD_DATA_DIR="$data" HERALD_LISTEN="127.0.0.1:$port" HERALD_RATE_LIMIT="1000000000/min" \
    HERALD_LOG_FORMAT=json "$@" "$BIN" serve >"$data/server.log" 2>&1 &
  HERALD_PID=$!
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "herald did not start:" >&2
  cat "$data/server.log" >&2
  return 1
}

# stop_pid VAR — stops the background process whose pid $VAR holds (if
# any), waits for it, and empties VAR.
stop_pid() {
  local pid="${!1:-}"
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  printf -v "$1" '%s' ""
}

stop_herald() { stop_pid HERALD_PID; }
# The background writer a live read row runs beside wrk.
stop_writer() { stop_pid WRITER_PID; }

# wrk_row NAME URL [wrk args...] — prints "NAME | req/s | p50 | p99 | non-2xx".
wrk_row() {
  local name="$1" url="$2"
  shift 2
  local out
  wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"${WARMUP:-3s}" "$@" "$url" >/dev/null
  out=$(wrk -t"${THREADS:-2}" -c"${CONNS:-64}" -d"${DURATION:-10s}" --latency "$@" "$url")
  local rps p50 p99 non2xx
  wrk_stats "$out"
  rps=$WRK_RPS p50=$WRK_P50 p99=$WRK_P99 non2xx=$WRK_NON2XX
  printf '| %-40s | %10s | %8s | %8s | %7s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

table_header() {
  printf '| %-40s | %10s | %8s | %8s | %7s |\n' "scenario" "req/s" "p50" "p99" "non-2xx"
  printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------" "-----------:" "---------:" "---------:" "--------:"
}

# wrk_stats OUT — from wrk's --latency output: WRK_RPS, WRK_P50, WRK_P99, WRK_NON2XX.
wrk_stats() {
  WRK_RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$1")
  WRK_P50=$(awk '$1 == "50%" {print $2}' <<<"$1")
  WRK_P99=$(awk '$1 == "99%" {print $2}' <<<"$1")
  WRK_NON2XX=$(awk '/Non-2xx/ {print $NF}' <<<"$1")
  WRK_NON2XX="${WRK_NON2XX:-0}"
}

# leads_csv FILE N — the campaign benchmarks' audience: N leads over five domains.
leads_csv() {
  python3 - "$1" "$2" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
domains = ["example.org", "example.net", "mail.example", "inbox.example", "corp.example"]
with open(path, "w") as f:
    f.write("email,first_name,last_name,company\n")
    for i in range(n):
        f.write(f"lead{i}@{domains[i % len(domains)]},First{i},Last{i},Company {i % 977}\n")
PY
}

# outbox_message BASE TOKEN HTML — adds one lead, sends it a one-lead campaign
# of that HTML into the outbox (no SMTP server set) and prints the message,
# quoted-printable decoded, so that its /t/o/ and /t/c/ links can be read.
outbox_message() {
  local base="$1" token="$2" html="$3" tid id raw
  _outbox_call() { curl -sf -X "$1" "$base$2" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
  _outbox_json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
  _outbox_call POST /api/leads '{"email":"reader@example.org","first_name":"Ann"}' >/dev/null
  tid=$(_outbox_call POST /api/templates "$(python3 -c 'import json,sys; print(json.dumps({"name":"Links","subject":"Hi","html":sys.argv[1]}))' "$html")" | _outbox_json 'd["id"]')
  id=$(_outbox_call POST /api/campaigns "{\"name\":\"Links\",\"template_id\":$tid,\"from_email\":\"news@example.com\",\"audience\":{\"all\":true},\"send_now\":true}" | _outbox_json 'd["id"]')
  for _ in $(seq 1 600); do
    [[ $(_outbox_call GET "/api/campaigns/$id" | _outbox_json 'd["status"]') == completed ]] && break
    sleep 0.1
  done
  raw=$(_outbox_call GET "/api/admin/outbox?page_size=1" | _outbox_json 'd["items"][0]["id"]')
  _outbox_call GET "/api/admin/outbox/$raw" | _outbox_json 'd.get("raw") or d.get("data") or d.get("message") or ""' |
    python3 -c 'import sys,quopri; sys.stdout.write(quopri.decodestring(sys.stdin.buffer.read()).decode("utf-8","replace"))'
}
