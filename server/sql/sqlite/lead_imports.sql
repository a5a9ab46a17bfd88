-- CSV imports: the upload in chunks, the checkpointed processing, the report.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/lead_imports.sql.

-- name: imports.chunk_insert
INSERT INTO lead_import_chunks (import_id, seq, data) VALUES (?1, ?2, ?3);

-- name: imports.chunk
SELECT data FROM lead_import_chunks WHERE import_id = ?1 AND seq = ?2;

-- name: imports.existing
-- Leads of a batch that exist already: ?1 is a JSON array of addresses.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags,
       leads.custom_fields, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons, leads.import_id, leads.import_line
FROM leads WHERE leads.email IN (SELECT value FROM json_each(?1));

-- name: imports.tune_session
-- The importer's connection: a larger page cache for the email index.
PRAGMA cache_size = -65536;

-- name: imports.tune_reads
-- Pages through the cache instead of mmap, so the importing process stays small.
PRAGMA mmap_size = 0;

-- name: imports.untune_session
PRAGMA cache_size = -16000;

-- name: imports.untune_reads
PRAGMA mmap_size = 268435456;

-- name: imports.settle
-- After a large import: move the WAL into the database so readers do not
-- look every page up in a long WAL (TRUNCATE also gives its disk space back).
PRAGMA wal_checkpoint(TRUNCATE);

-- name: imports.settled
SELECT 1;
