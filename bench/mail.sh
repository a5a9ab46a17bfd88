#!/usr/bin/env bash
# The mail engine end to end: render, track, build MIME, DKIM-sign (RSA-2048)
# and deliver N messages from W worker threads through the SMTP pool to
# postfix's smtp-sink, beside openssl's RSA-2048 sign rate (the ceiling).
#
#   MESSAGES=100000 THREADS="2 4" bench/mail.sh
#
# smtp-sink comes from the postfix .deb, extracted into .cache/postfix (no MTA
# is installed or configured); the first run downloads it with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH="${HERALD_BENCH_MAIL:-build/bench/herald_bench_mail}"
[[ -x "$BENCH" ]] || { echo "build it first: cmake --build build --target herald_bench_mail" >&2; exit 1; }
MESSAGES="${MESSAGES:-100000}"
THREADS="${THREADS:-2 4}"
OPENDKIM_MESSAGES="${OPENDKIM_MESSAGES:-10000}"

# ---- smtp-sink, extracted once ------------------------------------------------
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
[[ $(id -u) -eq 0 ]] && SINK_USER=(-u nobody)  # smtp-sink drops root privileges

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

SINK_PID=""
SINK_OUT=""
start_sink() {
  local port=$1
  SINK_OUT=$(mktemp)
  LD_LIBRARY_PATH="$PF/usr/lib/postfix" "$PF/usr/sbin/smtp-sink" -c "${SINK_USER[@]}" "127.0.0.1:$port" 1024 \
    >"$SINK_OUT" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "smtp-sink did not start: $(cat "$SINK_OUT")" >&2
  return 1
}
stop_sink() {
  [[ -n "$SINK_PID" ]] || return 0
  kill "$SINK_PID" 2>/dev/null || true
  wait "$SINK_PID" 2>/dev/null || true
  SINK_PID=""
}
# Messages the sink received: its last "mesg=N" counter.
sink_count() { tr '\r' '\n' <"$SINK_OUT" | awk -F'mesg=' 'NF > 1 { n = $2 } END { print n + 0 }'; }
trap 'stop_sink; rm -f "$SINK_OUT"' EXIT

# ---- the ceiling ----------------------------------------------------------------
speed=$(openssl speed -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
speed2=$(openssl speed -multi 2 -seconds 5 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
echo "openssl speed rsa2048: ${speed} signs/s on one core, ${speed2} signs/s with -multi 2"
echo

# ---- cost of each stage --------------------------------------------------------
"$BENCH" --stages
echo

# ---- end to end ------------------------------------------------------------------
printf '| signer | messages | threads | pool | accepted | failed | seconds | msg/s | peak RSS MiB | sink received |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
run() {
  local signer=$1 n=$2 threads=$3
  local port
  port=$(free_port)
  start_sink "$port"
  local row
  row=$("$BENCH" "smtp://127.0.0.1:$port?starttls=never" --messages "$n" --threads "$threads" --pool "$threads" \
    --signer "$signer" 2>/dev/null) || true
  sleep 0.5
  local received
  received=$(sink_count)
  stop_sink
  printf '%s %s |\n' "$row" "$received"
}
for t in $THREADS; do run ours "$MESSAGES" "$t"; done
run none "$MESSAGES" 4
run opendkim "$OPENDKIM_MESSAGES" 4
