-- The embedded job queue (jobs/db_queue.cpp). Times are epoch milliseconds.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/jobs.sql.

-- name: jobs.insert_batch
-- $1: a JSON array of {id, queue, name, payload (object), priority,
-- max_attempts, unique_key, run_at, created_at}. A job whose unique key
-- exists already is skipped; RETURNING lists the jobs created.
INSERT INTO jobs (id, queue, name, payload, priority, state, attempts, max_attempts, unique_key, run_at, created_at)
SELECT j.id, j.queue, j.name, j.payload::text, j.priority, 'queued', 0, j.max_attempts, j.unique_key,
       j.run_at, j.created_at
FROM json_to_recordset($1::json) AS j(id text, queue text, name text, payload json, priority integer,
                                      max_attempts integer, unique_key text, run_at bigint, created_at bigint)
ON CONFLICT (unique_key) DO NOTHING
RETURNING id;

-- name: jobs.claim
-- $1 worker, $2 locked until, $3 now, $4 queue, $5 how many.
UPDATE jobs
SET state = 'running', attempts = attempts + 1, worker_id = $1, locked_until = $2, started_at = $3
WHERE id IN (SELECT id FROM jobs
             WHERE queue = $4 AND state = 'queued' AND run_at <= $3
             ORDER BY priority DESC, run_at, id
             LIMIT $5
             FOR UPDATE SKIP LOCKED)
RETURNING id, queue, name, payload, priority, attempts, max_attempts, unique_key, run_at, created_at;
