-- The hash-chained audit log.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/audit.sql.

-- name: audit.lock
-- The writer's transaction is BEGIN IMMEDIATE: SQLite already serialises it.
SELECT 1;
