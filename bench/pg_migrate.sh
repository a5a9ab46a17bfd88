#!/usr/bin/env bash
# What an upgrade's migrations cost on PostgreSQL at a million leads, and
# what the running previous version feels meanwhile (docs/operations.md,
# "Expand and contract").
#
# A throwaway PostgreSQL gets the schema of the previous release: every
# migration file (server/sql/common and server/sql/postgres) with a version
# below FROM, applied with psql and recorded in schema_migrations as
# `herald migrate` records them. ROWS leads (10 % tagged) are written with SQL.
# Then `herald migrate` applies the rest while two clients play the previous
# version's traffic: a reader (the leads version, then a page of 50 ids) and a
# writer (one lead's status), each in a loop on its own connection. Prints the
# migration's duration and the slowest read and write during it.
#
#   bench/pg_migrate.sh       ROWS=1000000 FROM=<the newest migration's version>
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${HERALD_BIN:-$PWD/build/herald}"
[[ -x "$BIN" ]] || { echo "$BIN is missing: make build" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "run as root (PostgreSQL runs as the postgres user)" >&2; exit 1; }

ROWS="${ROWS:-1000000}"
PG_PORT="${PG_PORT:-18833}"
PY=/usr/bin/python3
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
WORK="$(mktemp -d /tmp/herald-pg-migrate.XXXXXX)"
chmod 755 "$WORK"
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
READER_PID=""
WRITER_PID=""

cleanup() {
  [[ -n "$READER_PID" ]] && kill "$READER_PID" 2>/dev/null
  [[ -n "$WRITER_PID" ]] && kill "$WRITER_PID" 2>/dev/null
  wait 2>/dev/null || true
  if [[ -f "$WORK/pg/data/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Every migration file, "VERSION PATH", by version.
mapfile -t MIGRATIONS < <(for f in server/sql/common/migrations/*.sql server/sql/postgres/migrations/*.sql; do
  [[ -f "$f" ]] && echo "$((10#$(basename "$f" | cut -d_ -f1))) $f"
done | sort -n)
LAST=$(printf '%s\n' "${MIGRATIONS[@]}" | tail -n 1 | cut -d' ' -f1)
FROM="${FROM:-$LAST}"

mkdir -p "$WORK/pg"
chown postgres: "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PG_PORT \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK/pg -c shared_buffers=512MB" start >/dev/null
psql_() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_ -d postgres -c "CREATE DATABASE herald"
URL="postgresql://postgres@127.0.0.1:$PG_PORT/herald"

# ---- the previous release's schema, as herald migrate would have left it.
psql_ -d herald -c "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
for m in "${MIGRATIONS[@]}"; do
  version=${m%% *} file=${m#* }
  ((version < FROM)) || continue
  name=$(basename "$file" .sql)
  { echo "BEGIN;"; cat "$file"; echo ";"
    echo "INSERT INTO schema_migrations VALUES ($version, '${name#*_}', '2026-01-01T00:00:00Z');"; echo "COMMIT;"
  } | psql_ -d herald >/dev/null
done

# ---- ROWS leads as the importer writes them (statuses, countries, 10 % tagged vip).
t0=$(date +%s.%N)
psql_ -d herald <<SQL >/dev/null
INSERT INTO leads (email, first_name, last_name, company, country, status, tags, source, created_at, updated_at)
SELECT 'lead' || i || '@example.com', (ARRAY['Ann','Bob','Eva','Hiro','Ines','Omar'])[1 + i % 6],
       (ARRAY['Smith','Rossi','Novak','Silva'])[1 + i % 4], (ARRAY['Acme','Globex','Initech'])[1 + i % 3],
       (ARRAY['DE','FR','US','GB','JP','BR'])[1 + i % 6],
       (ARRAY['new','contacted','replied','interested','converted','bounced'])[1 + i % 6],
       CASE WHEN i % 10 = 0 THEN '["vip"]' ELSE '[]' END::jsonb, 'import',
       '2026-11-30T00:00:00Z', '2026-11-30T00:00:00Z'
FROM generate_series(1, $ROWS) AS i;
INSERT INTO lead_tags (lead_id, tag) SELECT id, 'vip' FROM leads WHERE id % 10 = 0;
VACUUM ANALYZE;
SQL
t1=$(date +%s.%N)

# ---- the previous version's traffic, timed per round trip (ms).
loop() {  # loop OUT SQL… — runs the statements in one session, one round trip at a time
  local out="$1"
  shift
  "$PY" - "$URL" "$out" "$@" <<'EOF'
import signal, subprocess, sys, time
url, out, statements = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.Popen(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=0"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
def stop(*_):
    p.kill()
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
with open(out, "w") as f:
    n = 0
    while True:
        start = time.monotonic()
        for s in statements:
            p.stdin.write(s.replace("$N", str(n)) + "\n\\echo done\n")
            p.stdin.flush()
            while p.stdout.readline().strip() != "done":
                pass
        f.write(f"{time.time():.3f} {(time.monotonic() - start) * 1000:.2f}\n")
        f.flush()
        n += 1
        time.sleep(0.02)
EOF
}
loop "$WORK/reads" "SELECT version FROM lead_counters WHERE id = 1;" \
  "SELECT id FROM leads WHERE status = 'new' ORDER BY id DESC LIMIT 50;" &
READER_PID=$!
loop "$WORK/writes" "UPDATE leads SET status = CASE WHEN status = 'new' THEN 'contacted' ELSE 'new' END, \
  updated_at = '2026-11-30T00:00:01Z' WHERE id = 1 + (\$N * 7919) % $ROWS;" &
WRITER_PID=$!
sleep 2

m0=$(date +%s.%N)
env -i PATH="$PATH" HERALD_DATA_DIR="$WORK/data" HERALD_DATABASE_URL="$URL" HERALD_JWT_SECRET=0123456789abcdef0123456789abcdef-bench \
  HERALD_LOG_FORMAT=json "$BIN" migrate >"$WORK/migrate.txt" 2>&1 || { cat "$WORK/migrate.txt" >&2; exit 1; }
m1=$(date +%s.%N)
sleep 2
kill "$READER_PID" "$WRITER_PID" 2>/dev/null || true
wait "$READER_PID" "$WRITER_PID" 2>/dev/null || true
READER_PID="" WRITER_PID=""

slowest() {  # slowest FILE → "max ms (n round trips during the migration)"
  awk -v a="$m0" -v b="$m1" '$1 >= a && $1 <= b + 60 { n++; if ($2 > max) max = $2 } END { printf "%.0f ms (%d round trips)", max, n }' "$1"
}
before() {  # before FILE → "median / max ms" of the round trips before the migration
  awk -v a="$m0" '$1 < a { print $2 }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.1f / %.1f ms", v[int((NR + 1) / 2)], v[NR] }'
}

echo "## Migrations at $ROWS leads, $(date -u +%Y-%m-%d), $(nproc) cores, load $LOAD"
echo
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'); schema of the migrations below $FROM, $ROWS leads written in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s."
echo
echo '```'
grep -E '^(applied|schema)' "$WORK/migrate.txt"
echo '```'
echo
printf '| %-44s | %s |\n' "measure" "value" "---" "---:"
printf '| %-44s | %.1f s |\n' "herald migrate" "$(echo "$m1 - $m0" | bc)"
printf '| %-44s | %s |\n' "read before: median / max (version + 50 ids)" "$(before "$WORK/reads")"
printf '| %-44s | %s |\n' "slowest read during" "$(slowest "$WORK/reads")"
printf '| %-44s | %s |\n' "write before: median / max (one lead's status)" "$(before "$WORK/writes")"
printf '| %-44s | %s |\n' "slowest write during" "$(slowest "$WORK/writes")"
