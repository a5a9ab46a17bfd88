-- Bookkeeping for storage::migrate(); one row per applied migration.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/schema_migrations.sql.

-- name: schema_migrations.lock
-- Held for a whole migrate() run so processes starting together take turns.
-- The key is arbitrary but must be the same in every Herald release.
SELECT pg_advisory_lock(4849651234567);

-- name: schema_migrations.unlock
SELECT pg_advisory_unlock(4849651234567);
