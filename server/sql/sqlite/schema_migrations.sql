-- Bookkeeping for storage::migrate(); one row per applied migration.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/schema_migrations.sql.

-- name: schema_migrations.lock
-- Each migration's BEGIN IMMEDIATE already keeps other writers out.
SELECT 1;

-- name: schema_migrations.unlock
SELECT 1;
