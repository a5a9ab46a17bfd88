-- Background jobs of the embedded queue (the Redis backend keeps its own).
-- Times are milliseconds since the Unix epoch. A job waiting to run is
-- 'queued' (due when run_at <= now); a claimed one is 'running' until
-- locked_until, after which another worker may take it over.
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  queue            TEXT NOT NULL,
  name             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  priority         INTEGER NOT NULL DEFAULT 0,
  state            TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  unique_key       TEXT UNIQUE,
  run_at           INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  locked_until     INTEGER,
  worker_id        TEXT,
  progress         INTEGER NOT NULL DEFAULT 0,
  progress_detail  TEXT,
  result           TEXT,
  last_error       TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0
);

-- Claiming: the next ready jobs of a queue by priority, then due time.
CREATE INDEX jobs_ready ON jobs (queue, priority DESC, run_at, id) WHERE state = 'queued';
-- Taking over jobs whose worker stopped extending its claim, and heartbeats.
CREATE INDEX jobs_running ON jobs (worker_id, locked_until) WHERE state = 'running';
CREATE INDEX jobs_lease ON jobs (locked_until) WHERE state = 'running';
-- Statistics, the dead-letter list and purging finished jobs.
CREATE INDEX jobs_finished ON jobs (queue, state, finished_at);

-- Worker processes, for the health report (alive = a recent heartbeat).
CREATE TABLE job_workers (
  id           TEXT PRIMARY KEY,
  queues       TEXT NOT NULL,
  concurrency  INTEGER NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
