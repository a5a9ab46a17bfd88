-- The admin dashboard's per-minute traffic figures (migration 0006).

-- name: observability.put_minute
-- Absolute values: a process rewrites its own row of a minute.
INSERT INTO system_minutes (minute, process, calls, errors, latency_us) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (minute, process) DO UPDATE
SET calls = excluded.calls, errors = excluded.errors, latency_us = excluded.latency_us;

-- name: observability.put_latency
INSERT INTO system_minute_latency (minute, process, le_us, calls) VALUES ($1, $2, $3, $4)
ON CONFLICT (minute, process, le_us) DO UPDATE SET calls = excluded.calls;

-- name: observability.seen_user
-- A late write of an older minute never moves last_seen back.
INSERT INTO system_active_users (user_id, last_seen_minute) VALUES ($1, $2)
ON CONFLICT (user_id) DO UPDATE SET last_seen_minute = excluded.last_seen_minute
WHERE excluded.last_seen_minute > system_active_users.last_seen_minute;

-- name: observability.sum_minutes
-- Every process's calls in [$1, $2).
SELECT CAST(COALESCE(SUM(calls), 0) AS BIGINT), CAST(COALESCE(SUM(errors), 0) AS BIGINT),
       CAST(COALESCE(SUM(latency_us), 0) AS BIGINT)
FROM system_minutes WHERE minute >= $1 AND minute < $2;

-- name: observability.sum_latency
SELECT le_us, CAST(SUM(calls) AS BIGINT) FROM system_minute_latency
WHERE minute >= $1 AND minute < $2 GROUP BY le_us;

-- name: observability.series
-- One row per minute that had calls, summed over processes.
SELECT minute, CAST(SUM(calls) AS BIGINT), CAST(SUM(errors) AS BIGINT), CAST(SUM(latency_us) AS BIGINT)
FROM system_minutes WHERE minute >= $1 AND minute < $2 GROUP BY minute ORDER BY minute;

-- name: observability.active_users
SELECT COUNT(*) FROM system_active_users WHERE last_seen_minute >= $1;

-- name: observability.prune_minutes
DELETE FROM system_minutes WHERE minute < $1;

-- name: observability.prune_latency
DELETE FROM system_minute_latency WHERE minute < $1;

-- name: observability.prune_users
DELETE FROM system_active_users WHERE last_seen_minute < $1;
