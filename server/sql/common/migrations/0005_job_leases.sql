-- Named leases: work that one process at a time does (the job reconciler).
-- A holder renews its lease before expires_at (epoch milliseconds); once it
-- has run out, any process may take it over.
CREATE TABLE job_leases (
  name       TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
