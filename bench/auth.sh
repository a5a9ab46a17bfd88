#!/usr/bin/env bash
# Auth throughput: login (argon2id bound), an authenticated GET /api/auth/me
# (JWT check + principal lookup), and a state-changing PATCH that writes an
# audit entry, on the embedded defaults (SQLite).
#   bench/auth.sh            DURATION=10s CONNS=64 THREADS=2 PORT=18082
set -euo pipefail
cd "$(dirname "$0")"
source ./lib.sh
PORT="${PORT:-18082}"
DATA="$(mktemp -d /tmp/herald-bench.XXXXXX)"
trap 'stop_herald; rm -rf "$DATA"' EXIT
BASE="http://127.0.0.1:$PORT"

start_herald "$PORT" "$DATA" HERALD_ADMIN_EMAIL=bench@example.com HERALD_ADMIN_PASSWORD=bench-password-1 \
  HERALD_LOGIN_RATE_LIMIT=1000000000/min
TOKEN=$(curl -sf -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-1"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
export TOKEN
USER_ID=$(curl -sf -X POST "$BASE/api/admin/users" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"email":"target@example.com","password":"target-password-1","role":"viewer"}' | sed -E 's/.*"id":([0-9]+).*/\1/')

echo "machine: $(nproc) cores; wrk -t${THREADS:-2} -c${CONNS:-64} -d${DURATION:-10s}"
table_header
CONNS="${LOGIN_CONNS:-4}" wrk_row "POST /api/auth/login (argon2id)" "$BASE/api/auth/login" -s wrk/login.lua
wrk_row "GET /api/auth/me (JWT)" "$BASE/api/auth/me" -s wrk/auth.lua
wrk_row "GET /api/health (same server)" "$BASE/api/health"
wrk_row "PATCH /api/admin/users/{id} (audited)" "$BASE/api/admin/users/$USER_ID" -s wrk/patch_user.lua
stop_herald
