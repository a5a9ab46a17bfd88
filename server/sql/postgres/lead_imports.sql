-- CSV imports: the upload in chunks, the checkpointed processing, the report.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/lead_imports.sql.

-- name: imports.chunk_insert
-- The bytes arrive base64-encoded: text parameters cannot carry arbitrary bytes.
INSERT INTO lead_import_chunks (import_id, seq, data) VALUES ($1, $2, decode($3, 'base64'));

-- name: imports.chunk
SELECT encode(data, 'base64') FROM lead_import_chunks WHERE import_id = $1 AND seq = $2;

-- name: imports.existing
-- Leads of a batch that exist already: $1 is a JSON array of addresses.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons, leads.import_id, leads.import_line
FROM leads WHERE leads.email IN (SELECT jsonb_array_elements_text($1::jsonb));

-- name: imports.tune_session
-- Each batch commits with its checkpoint, so a commit lost in a crash is
-- redone from the previous checkpoint: no need to wait for the WAL flush.
SET synchronous_commit = off;

-- name: imports.tune_reads
SELECT 1;

-- name: imports.untune_session
RESET synchronous_commit;

-- name: imports.untune_reads
SELECT 1;

-- name: imports.settle
-- After a large import: fresh statistics for the planner, and the visibility
-- map set so the list's index-only scans need no heap fetches.
VACUUM (ANALYZE) leads;

-- name: imports.settled
-- VACUUM marks a page all-visible only when no open snapshot (an autovacuum
-- ANALYZE running at the same time, say) may still miss its rows; the list's
-- index-only scans need most pages marked.
SELECT relallvisible >= relpages * 0.95 FROM pg_class WHERE oid = 'leads'::regclass;
