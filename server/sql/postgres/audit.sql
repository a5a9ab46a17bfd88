-- The hash-chained audit log.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/audit.sql.

-- name: audit.lock
-- Serialises chain writers across every API process until the transaction ends.
SELECT pg_advisory_xact_lock(726173);
