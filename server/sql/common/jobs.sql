-- The embedded job queue (jobs/db_queue.cpp). Times are epoch milliseconds.

-- name: jobs.find_by_unique_key
SELECT id FROM jobs WHERE unique_key = $1;

-- name: jobs.requeue_expired
-- Claims whose worker stopped extending them (it died or hung): back to the
-- queue, or dead when that was the last attempt. $1 now, $2 the error text.
UPDATE jobs
SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
    finished_at = CASE WHEN attempts >= max_attempts THEN $1 ELSE NULL END,
    run_at = $1, last_error = $2, worker_id = NULL, locked_until = NULL
WHERE state = 'running' AND locked_until < $1;

-- name: jobs.complete
-- $1 id, $2 attempt (the delivery being acknowledged), $3 now, $4 result JSON.
UPDATE jobs
SET state = 'completed', finished_at = $3, result = $4, progress = 100, locked_until = NULL
WHERE id = $1 AND attempts = $2 AND state = 'running';

-- name: jobs.retry_later
-- $1 id, $2 attempt, $3 run again at, $4 error.
UPDATE jobs
SET state = 'queued', run_at = $3, last_error = $4, worker_id = NULL, locked_until = NULL
WHERE id = $1 AND attempts = $2 AND state = 'running';

-- name: jobs.bury
-- $1 id, $2 attempt, $3 'failed' or 'dead', $4 now, $5 error.
UPDATE jobs
SET state = $3, finished_at = $4, last_error = $5, worker_id = NULL, locked_until = NULL
WHERE id = $1 AND attempts = $2 AND state = 'running';

-- name: jobs.release
-- Given back unstarted: the attempt does not count. $1 id, $2 attempt.
UPDATE jobs
SET state = 'queued', attempts = attempts - 1, worker_id = NULL, locked_until = NULL, started_at = NULL
WHERE id = $1 AND attempts = $2 AND state = 'running';

-- name: jobs.mark_cancelled
-- $1 id, $2 attempt, $3 now.
UPDATE jobs
SET state = 'cancelled', finished_at = $3, worker_id = NULL, locked_until = NULL
WHERE id = $1 AND attempts = $2 AND state = 'running';

-- name: jobs.extend
-- Heartbeat: every job the worker holds stays claimed until $2.
UPDATE jobs SET locked_until = $2 WHERE worker_id = $1 AND state = 'running';

-- name: jobs.cancel_requests
SELECT id FROM jobs WHERE worker_id = $1 AND state = 'running' AND cancel_requested = 1;

-- name: jobs.set_progress
UPDATE jobs SET progress = $2, progress_detail = $3 WHERE id = $1 AND state = 'running';

-- name: jobs.cancel_waiting
UPDATE jobs SET state = 'cancelled', finished_at = $2 WHERE id = $1 AND state = 'queued';

-- name: jobs.request_cancel
UPDATE jobs SET cancel_requested = 1 WHERE id = $1 AND state = 'running';

-- name: jobs.get
SELECT id, queue, name, payload, priority, state, attempts, max_attempts, unique_key, run_at, created_at,
       started_at, finished_at, progress, progress_detail, result, last_error, worker_id, cancel_requested
FROM jobs WHERE id = $1;

-- name: jobs.get_by_unique_key
SELECT id, queue, name, payload, priority, state, attempts, max_attempts, unique_key, run_at, created_at,
       started_at, finished_at, progress, progress_detail, result, last_error, worker_id, cancel_requested
FROM jobs WHERE unique_key = $1;

-- name: jobs.stats
-- $1 queue, $2 now, $3 start of the last minute.
SELECT
  (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'queued' AND run_at <= $2),
  (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'queued' AND run_at > $2),
  (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'running'),
  (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state IN ('failed', 'dead')),
  (SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state = 'completed' AND finished_at >= $3),
  (SELECT MIN(run_at) FROM jobs WHERE queue = $1 AND state = 'queued' AND run_at <= $2);

-- name: jobs.failed_page
-- $1 queue, $2 limit, $3 offset.
SELECT id, queue, name, payload, priority, state, attempts, max_attempts, unique_key, run_at, created_at,
       started_at, finished_at, progress, progress_detail, result, last_error, worker_id, cancel_requested
FROM jobs WHERE queue = $1 AND state IN ('failed', 'dead')
ORDER BY finished_at DESC, id DESC
LIMIT $2 OFFSET $3;

-- name: jobs.failed_count
SELECT COUNT(*) FROM jobs WHERE queue = $1 AND state IN ('failed', 'dead');

-- name: jobs.retry_all
-- Dead letters back to the queue with a fresh set of attempts. $1 queue, $2 now.
UPDATE jobs
SET state = 'queued', attempts = 0, run_at = $2, finished_at = NULL, cancel_requested = 0
WHERE queue = $1 AND state IN ('failed', 'dead');

-- name: jobs.retry_one
-- $1 queue, $2 now, $3 id.
UPDATE jobs
SET state = 'queued', attempts = 0, run_at = $2, finished_at = NULL, cancel_requested = 0
WHERE queue = $1 AND state IN ('failed', 'dead') AND id = $3;

-- name: jobs.purge_finished
-- Completed and cancelled jobs past the retention, a bounded number at a time
-- so the write lock is never held for long. $1 queue, $2 finished before, $3 how many.
DELETE FROM jobs WHERE id IN (
  SELECT id FROM jobs WHERE queue = $1 AND state IN ('completed', 'cancelled') AND finished_at < $2 LIMIT $3);

-- name: jobs.worker_heartbeat
INSERT INTO job_workers (id, queues, concurrency, host, pid, started_at, heartbeat_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at;

-- name: jobs.workers_live
SELECT id, queues, concurrency, host, pid FROM job_workers WHERE heartbeat_at >= $1 ORDER BY id;

-- name: jobs.worker_delete
DELETE FROM job_workers WHERE id = $1;

-- name: jobs.workers_purge
DELETE FROM job_workers WHERE heartbeat_at < $1;

-- name: jobs.lease_take
-- Takes or renews the lease $1 for holder $2 until $3, unless another
-- holder's lease is still good at $4 (now). Returns a row when $2 holds it.
INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < $4
RETURNING holder;

-- name: jobs.lease_give_up
DELETE FROM job_leases WHERE name = $1 AND holder = $2;

-- name: jobs.test_effect
-- The side effect of the built-in `test.effect` job (HERALD_ENABLE_TEST_JOBS=1):
-- idempotent, keyed by job id.
INSERT INTO job_test_effects (job_id, attempt, created_at) VALUES ($1, $2, $3)
ON CONFLICT (job_id) DO NOTHING;

-- name: jobs.test_run
-- One row per execution of `test.effect` that reached its effect, in the
-- effect's transaction: applied = 1 when this execution wrote the effect,
-- 0 when it found it already there.
INSERT INTO job_test_runs (job_id, attempt, applied, created_at) VALUES ($1, $2, $3, $4);

-- name: jobs.test_effect_table
-- Created on demand by the test job, never by a migration.
CREATE TABLE IF NOT EXISTS job_test_effects (
  job_id     TEXT PRIMARY KEY,
  attempt    INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS job_test_runs (
  job_id     TEXT NOT NULL,
  attempt    INTEGER NOT NULL,
  applied    INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

-- name: jobs.ping
-- The queue's health check: a round trip to the database it lives in.
SELECT 1;
