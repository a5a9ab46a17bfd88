#!/usr/bin/env bash
# Empty-job throughput (enqueue in batches of 1,000 + process with a worker
# pool) for each queue backend, against throwaway PostgreSQL and Redis.
#   JOBS=100000 CONCURRENCY=4 bench/jobs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH="${HERALD_BENCH_JOBS:-build/bench/herald_bench_jobs}"
[[ -x "$BENCH" ]] || { echo "build it first: cmake --build build --target herald_bench_jobs" >&2; exit 1; }
SERVICES_DIR="$(mktemp -d /tmp/herald-bench-services.XXXXXX)"
rmdir "$SERVICES_DIR"
trap 'scripts/test-services stop "$SERVICES_DIR" >/dev/null 2>&1 || true' EXIT
eval "$(scripts/test-services start "$SERVICES_DIR" 2>/dev/null)"
"$BENCH" "${JOBS:-100000}" "${CONCURRENCY:-4}"
