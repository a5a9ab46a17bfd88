-- CSV imports: the upload in chunks, the checkpointed processing, the report.

-- name: imports.insert
INSERT INTO lead_imports (status, options, filename, created_by, chunk_size, created_at, updated_at)
VALUES ('uploading', $1, $2, $3, $4, $5, $5)
RETURNING id;

-- name: imports.touch
UPDATE lead_imports SET updated_at = $2 WHERE id = $1;

-- name: imports.upload_done
UPDATE lead_imports SET status = 'queued', chunks = $2, total_bytes = $3, updated_at = $4
WHERE id = $1 AND status = 'uploading';

-- name: imports.delete
DELETE FROM lead_imports WHERE id = $1;

-- name: imports.delete_stale_uploads
-- Uploads whose client went away without the server noticing (a crash).
DELETE FROM lead_imports WHERE status = 'uploading' AND updated_at < $1;

-- name: imports.get
SELECT id, status, options, filename, created_by, chunk_size, chunks, total_bytes, delimiter, header, next_offset,
       next_line, rows_read, created, updated, skipped, failed, errors_stored, error, worker, heartbeat_at,
       created_at, updated_at, started_at, finished_at
FROM lead_imports WHERE id = $1;

-- name: imports.unfinished
SELECT id FROM lead_imports WHERE status IN ('queued', 'running') ORDER BY id;

-- name: imports.stranded
-- Imports that should be applied but that no worker is on, as far as the
-- database can tell: queued, or running without a heartbeat since $1.
SELECT id FROM lead_imports
WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < CAST($1 AS TEXT)) ORDER BY id;

-- name: imports.give_up
-- The import's job gave up for good: the import fails with its reason,
-- unless a live worker (a heartbeat since $4) holds it.
UPDATE lead_imports SET status = 'failed', error = $2, finished_at = $3, updated_at = $3, worker = NULL
WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND heartbeat_at < CAST($4 AS TEXT)));

-- name: imports.set_header
UPDATE lead_imports SET delimiter = $3, header = $4, next_offset = $5, next_line = $6, heartbeat_at = $7,
                        updated_at = $7
WHERE id = $1 AND worker = $2 AND next_offset = 0;

-- name: imports.checkpoint
-- Moves the checkpoint only from where this worker read it: a worker that
-- lost its claim (or a second one) changes nothing and rolls back.
UPDATE lead_imports SET next_offset = $4, next_line = $5, rows_read = $6, created = $7, updated = $8, skipped = $9,
                        failed = $10, errors_stored = $11, heartbeat_at = $12, updated_at = $12
WHERE id = $1 AND worker = $2 AND next_offset = $3;

-- name: imports.finish
UPDATE lead_imports SET status = $3, error = $4, finished_at = $5, updated_at = $5, worker = NULL
WHERE id = $1 AND worker = $2;

-- name: imports.drop_chunks
DELETE FROM lead_import_chunks WHERE import_id = $1;

-- name: imports.error_insert
INSERT INTO lead_import_errors (import_id, line, kind, reason) VALUES ($1, $2, $3, $4);

-- name: imports.errors_after
SELECT line, kind, reason FROM lead_import_errors WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3;

-- name: imports.lead_insert_head
-- The store adds one (…) of 18 placeholders per row (created_at = updated_at).
INSERT INTO leads (email, first_name, last_name, company, title, phone, website, country, timezone, status, score,
                   owner_id, tags, custom_fields, source, import_id, import_line, created_at, updated_at) VALUES

-- name: imports.lead_insert_tail
ON CONFLICT (email) DO NOTHING RETURNING id, email

-- name: imports.tag_insert_head
INSERT INTO lead_tags (lead_id, tag) VALUES

-- name: imports.tag_insert_tail
ON CONFLICT DO NOTHING

-- name: imports.set_options
UPDATE lead_imports SET options = $2, filename = $3 WHERE id = $1 AND status = 'uploading';

-- name: imports.release
-- A worker shutting down hands the import back; the next one resumes at the checkpoint.
UPDATE lead_imports SET status = 'queued', worker = NULL WHERE id = $1 AND worker = $2 AND status = 'running';

-- name: imports.claim
-- Queued, or running under a worker that stopped sending heartbeats ($4 = stale before).
UPDATE lead_imports SET status = 'running', worker = CAST($2 AS TEXT), heartbeat_at = CAST($3 AS TEXT),
                        updated_at = CAST($3 AS TEXT), started_at = coalesce(started_at, CAST($3 AS TEXT))
WHERE id = $1
  AND (status = 'queued' OR (status = 'running' AND (worker = CAST($2 AS TEXT) OR heartbeat_at < CAST($4 AS TEXT))));
