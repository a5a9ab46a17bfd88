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
# CPU seconds the sink has used (user + system, from /proc).
sink_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$SINK_PID/stat"
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
# The machine is shared, so besides wall-clock msg/s each row gives the CPU
# time per message of Herald and of the sink, and what two cores doing only
# this would deliver: 2 s / (Herald's + the sink's CPU per message).
printf '| signer | messages | threads | pool | accepted | failed | seconds | msg/s | peak RSS MiB | Herald CPU µs/msg | sink received | sink CPU µs/msg | 2 dedicated cores, msg/s |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
run() {
  local signer=$1 n=$2 threads=$3
  local port
  port=$(free_port)
  start_sink "$port"
  local row
  row=$("$BENCH" "smtp://127.0.0.1:$port?starttls=never" --messages "$n" --threads "$threads" --pool "$threads" \
    --signer "$signer" 2>/dev/null) || true
  sleep 0.5
  local received sink_cpu herald_us sink_us
  received=$(sink_count)
  sink_cpu=$(sink_cpu_seconds)
  stop_sink
  herald_us=$(awk -F'|' '{ gsub(/ /, "", $11); print $11 }' <<<"$row")
  sink_us=$(awk -v s="$sink_cpu" -v n="$n" 'BEGIN { printf "%.0f", s * 1e6 / n }')
  printf '%s %s | %s | %s |\n' "$row" "$received" "$sink_us" \
    "$(awk -v a="$herald_us" -v b="$sink_us" 'BEGIN { printf "%.0f", 2e6 / (a + b) }')"
}
for t in $THREADS; do run ours "$MESSAGES" "$t"; done
run none "$MESSAGES" 4
run opendkim "$OPENDKIM_MESSAGES" 4
